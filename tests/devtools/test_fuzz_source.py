"""The source fuzzer of ``make fuzz``: a few mutants run clean or refused; a crash, a hang,
a traceback or a command that touched the sources is caught, saved and fails the run.

The real run (``make fuzz``) is not part of ``make test``; these cases check the harness.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from tools import fuzz_source

from conftest import ARCTIC

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(tmp_path_factory.getbasetemp() / "fuzz-cache"))


def test_every_mutation_changes_a_real_source() -> None:
    for name, mutation in fuzz_source.MUTATIONS.items():
        for source in fuzz_source.SOURCES:
            original = (ARCTIC / source).read_bytes()
            changed = [mutation(random.Random(n), original) != original for n in range(8)]
            assert any(changed), (name, source)


def test_a_few_cases_end_clean_or_refused(tmp_path: Path) -> None:
    lines: list[str] = []
    tally = fuzz_source.fuzz([ARCTIC], tmp_path, seconds=0, first=0, iterations=4,
                             timeout=120, say=lines.append)
    assert tally["cases"] == 4
    assert tally["clean"] + tally["refused"] == 4, "\n".join(lines)
    assert tally["refused"] >= 1
    assert lines[0].startswith("4 cases: ")
    assert not (tmp_path / "crashes").exists()
    assert (ARCTIC / "brief.md").read_bytes().startswith(b"---\n")  # the seed untouched


def _crashing(argv: list[str]) -> int:
    raise KeyError("sections")


def _hanging(argv: list[str]) -> int:
    time.sleep(60)
    return 0


def _writing(argv: list[str]) -> int:
    Path("content", ARCTIC.name, "brief.md").write_text("overwritten", encoding="utf-8")
    return 0


def _exit_3(argv: list[str]) -> int:
    return 3


@pytest.mark.parametrize(("command", "detail"), [
    (_crashing, "KeyError: 'sections'"),
    (_hanging, "hang: no answer in 2 s"),
    (_writing, "the sources changed"),
    (_exit_3, "exit status 3"),
])
def test_a_crash_is_saved_and_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            command: object, detail: str) -> None:
    monkeypatch.setattr(fuzz_source, "command", command)
    lines: list[str] = []
    tally = fuzz_source.fuzz([ARCTIC], tmp_path, seconds=0, first=5, iterations=1, timeout=2,
                             say=lines.append)
    assert tally["crash"] == 1
    saved = tmp_path / "crashes" / "case-5"
    report = (saved / "report.txt").read_text(encoding="utf-8")
    assert report.startswith(f"case 5: {ARCTIC.name} + ")
    assert "replay: python -m tools.fuzz_source --seed 5 --iterations 1" in report
    assert detail in report
    assert {p.name for p in saved.iterdir()} == {"report.txt", "brief.md",
                                                 "recommendations.yaml"}
    assert lines[0].startswith("CRASH case 5")


def test_the_command_exits_1_when_a_case_crashes(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzz_source, "seed_folders", lambda: [ARCTIC])
    monkeypatch.setattr(fuzz_source, "command", lambda argv: 2)
    assert fuzz_source.main(["--iterations", "2", "--out", str(tmp_path)]) == 0
    monkeypatch.setattr(fuzz_source, "command", _crashing)
    assert fuzz_source.main(["--iterations", "2", "--out", str(tmp_path)]) == 1
