"""The corpus of broken briefs: each refused with exact, located messages, nothing written."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from briefpress.cli import main
from conftest import ROOT

BAD = ROOT / "tests" / "fixtures" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "brief.md").is_file())
LINE = re.compile(r"^\S+?:\d+: (error|warning): .+ \(fix: .+\)$")
"""Every problem names its file and line, and says how to fix it."""


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # messages name files relative to the working directory
    # the message of an undated brief names the print edition's date, which this would set
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.parametrize("case", CASES)
def test_check_reports_exactly_the_expected_problems(case, capsys):
    code = main(["check", str(BAD.relative_to(ROOT) / case)])
    err = capsys.readouterr().err
    assert code in (1, 2)
    assert "Traceback" not in err
    assert err == (BAD / case / "expected.txt").read_text(encoding="utf-8")
    problems = [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]
    assert problems and all(LINE.match(line) for line in problems)


@pytest.mark.parametrize("case", CASES)
def test_build_refuses_and_writes_nothing(case, capsys, tmp_path):
    before = {p: p.read_bytes() for p in (BAD / case).iterdir()}
    code = main(["build", str(BAD / case), "--build-dir", str(tmp_path / "build")])
    assert code == 2
    assert not (tmp_path / "build").exists()
    assert {p: p.read_bytes() for p in (BAD / case).iterdir()} == before


def test_five_megabyte_paragraph_is_refused(capsys, tmp_path):
    folder = tmp_path / "huge"
    shutil.copytree(BAD / "duplicate-ids", folder)
    (folder / "expected.txt").unlink()
    text = (folder / "brief.md").read_text(encoding="utf-8")
    (folder / "brief.md").write_text(text.replace("More.", "word " * 1_000_000),
                                     encoding="utf-8")
    assert os.path.getsize(folder / "brief.md") > 5_000_000
    code = main(["build", str(folder), "--build-dir", str(tmp_path / "build")])
    assert code == 2
    assert capsys.readouterr().err == (
        f"{folder / 'brief.md'}: error: file is 5.0 MB, over the 2.0 MB limit for a brief's "
        "source (fix: split the text or move data out of the brief, or set "
        "BRIEFPRESS_LIMIT_SOURCE_BYTES to raise the limit (default 2000000))\n")
    assert not (tmp_path / "build").exists()


def test_every_case_is_documented():
    assert len(CASES) >= 15
    assert Path(BAD / "README.md").is_file()
