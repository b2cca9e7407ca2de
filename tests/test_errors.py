"""Problems and the errors that carry them (errors.py): how a problem reads, where its file
is shown from, and errors that cross to another process."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from briefpress.errors import (
    BriefError,
    LimitExceeded,
    NotImplementedFormat,
    Problem,
    WorkerCrashed,
    display_path,
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory: a folder of tmp_path."""
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path / "work"


def test_a_problem_reads_file_line_severity_message_and_fix(here: Path) -> None:
    path = here / "content" / "x" / "brief.md"
    assert str(Problem(path, 12, "an empty section", "write it")) == \
        "content/x/brief.md:12: error: an empty section (fix: write it)"
    assert str(Problem(path, None, "no date", severity="warning")) == \
        "content/x/brief.md: warning: no date"
    assert str(Problem("--base-url", None, "not a URL", "give one")) == \
        "--base-url: error: not a URL (fix: give one)"


def test_a_path_outside_the_working_directory_is_shown_as_given(here: Path) -> None:
    outside = here.parent / "elsewhere" / "brief.md"
    assert display_path(outside) == str(outside)
    assert display_path("../elsewhere/brief.md") == "../elsewhere/brief.md"
    assert display_path("relative/brief.md") == "relative/brief.md"
    assert display_path(here / "a" / ".." / "b.md") == "b.md"


def test_the_folders_are_resolved_but_not_a_linked_file(here: Path) -> None:
    (here / "real").mkdir()
    (here / "real" / "target.md").write_text("", encoding="utf-8")
    (here / "alias.md").symlink_to(here / "real" / "target.md")
    (here.parent / "door").symlink_to(here)  # the working directory by another way in
    assert display_path(here / "alias.md") == "alias.md"
    assert display_path(here.parent / "door" / "real" / "target.md") == "real/target.md"
    assert display_path(here.parent / "door") == str(here.parent / "door")
    assert display_path(".") == "."


def test_a_brief_error_holds_one_problem_or_many() -> None:
    first = Problem("a.md", 1, "one", "mend it")
    second = Problem("b.md", 2, "two")
    one, many = BriefError(first), BriefError([first, second])
    assert one.problems == [first] and many.problems == [first, second]
    assert str(many) == "a.md:1: error: one (fix: mend it)\nb.md:2: error: two"
    assert (one.exit_code, NotImplementedFormat(first).exit_code) == (2, 3)


@pytest.mark.parametrize("kind", [BriefError, NotImplementedFormat])
def test_a_brief_error_crosses_to_another_process_whole(kind: type[BriefError]) -> None:
    problems = [Problem(Path("a.md"), 1, "one", "mend it"), Problem("b.md", None, "two")]
    again = pickle.loads(pickle.dumps(kind(problems)))
    assert type(again) is kind
    assert again.problems == problems and str(again) == str(kind(problems))


def test_a_limit_exceeded_says_its_kind_and_message_after_pickling() -> None:
    error = pickle.loads(pickle.dumps(LimitExceeded("memory", "over the limit of 400 MB")))
    assert (error.kind, error.message, str(error)) == (
        "memory", "over the limit of 400 MB", "over the limit of 400 MB")
    assert str(pickle.loads(pickle.dumps(WorkerCrashed("exit status 1")))) == "exit status 1"
