"""The fuzzer of ``make fuzz``: a few cases run clean, a crash is caught, saved and fails the run.

The real run (``make fuzz``, a minute or more) is not part of ``make test``; these cases
check that the harness works: mutations change files, every outcome is counted, an
importer that crashes, hangs or writes in a dry run is reported as a crash with the file
that made it, and the exit status says so.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tools import fuzz

from conftest import ARCTIC, SharedBuild

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds(built_once: Callable[..., SharedBuild]) -> list[fuzz.Seed]:
    docx, = built_once([ARCTIC], ["docx"]).outputs
    return [fuzz.Seed(docx, ARCTIC)]


def test_every_mutation_changes_a_real_file(seeds: list[fuzz.Seed]) -> None:
    original = seeds[0].docx.read_bytes()
    for name, mutation in fuzz.MUTATIONS.items():
        changed = [mutation(random.Random(n), original) != original for n in range(5)]
        assert any(changed), name


def test_a_few_cases_end_in_clean_imports_or_clear_refusals(seeds: list[fuzz.Seed],
                                                             tmp_path: Path) -> None:
    lines: list[str] = []
    tally = fuzz.fuzz(seeds, tmp_path, seconds=0, first=0, iterations=12, timeout=60,
                      memory=2**40, say=lines.append)
    assert tally["cases"] == 12
    assert tally["clean"] + tally["refused"] == 12, "\n".join(lines)
    assert tally["refused"] >= 1
    assert lines[0].startswith("12 cases: ")
    assert not (tmp_path / "crashes").exists()


def _crashing(case: Path, seed: fuzz.Seed, scratch: Path) -> tuple[int, str]:
    raise KeyError("word/document.xml")


def _hanging(case: Path, seed: fuzz.Seed, scratch: Path) -> tuple[int, str]:
    time.sleep(60)
    return 0, ""


def _writing(case: Path, seed: fuzz.Seed, scratch: Path) -> tuple[int, str]:
    (scratch / "content" / ARCTIC.name / "brief.md").write_text("overwritten", encoding="utf-8")
    return 0, ""


def _refusing(case: Path, seed: fuzz.Seed, scratch: Path) -> tuple[int, str]:
    return 2, "refused"


@pytest.mark.parametrize(("attempt", "detail"), [
    (_crashing, "KeyError: 'word/document.xml'"),
    (_hanging, "hang: no answer in 1 s"),
    (_writing, "a dry run wrote files"),
])
def test_a_crash_is_saved_with_its_traceback_and_fails_the_run(
        seeds: list[fuzz.Seed], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        attempt: object, detail: str) -> None:
    monkeypatch.setattr(fuzz, "attempt", attempt)
    lines: list[str] = []
    tally = fuzz.fuzz(seeds, tmp_path, seconds=0, first=7, iterations=1, timeout=1,
                      memory=2**40, say=lines.append)
    assert tally["crash"] == 1
    report = (tmp_path / "crashes" / "case-7.txt").read_text(encoding="utf-8")
    assert report.startswith(f"case 7: {ARCTIC.name}.docx + ")
    assert "replay: python -m tools.fuzz --seed 7 --iterations 1" in report
    assert detail in report
    assert (tmp_path / "crashes" / "case-7.docx").is_file()
    assert lines[0].startswith("CRASH case 7")


def test_the_command_exits_1_when_a_case_crashes(seeds: list[fuzz.Seed], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzz, "make_seeds", lambda out: seeds)
    monkeypatch.setattr(fuzz, "attempt", _refusing)
    assert fuzz.main(["--iterations", "2", "--out", str(tmp_path)]) == 0
    monkeypatch.setattr(fuzz, "attempt", _crashing)
    assert fuzz.main(["--iterations", "2", "--out", str(tmp_path)]) == 1
    shutil.rmtree(tmp_path / "crashes")
