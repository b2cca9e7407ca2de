"""run/progress.py: a bar on a terminal, a plain line per brief elsewhere, true counts."""

from __future__ import annotations

import io

import pytest
from rich.text import Text

from briefpress.build import BriefResult
from briefpress.errors import Problem
from briefpress.run.progress import Progress, describe


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


BUILT = BriefResult("a", "a", built=["pdf", "docx"], current=["html"])
CURRENT = BriefResult("b", "b", current=["pdf", "docx", "html"])
FAILED = BriefResult("c", "c", errors=[Problem("c/brief.md", 3, "bad")], exit_code=2)


def test_each_outcome_in_words() -> None:
    assert describe(BUILT) == "a: built pdf, docx; html up to date"
    assert describe(CURRENT) == "b: pdf, docx, html up to date"
    assert describe(FAILED) == "c: failed"


def test_a_log_gets_one_line_per_brief_and_the_counts() -> None:
    log = io.StringIO()
    with Progress(3, log) as progress:
        for result in (BUILT, CURRENT, FAILED):
            progress.advance(result)
    lines = log.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "[1/3] a: built pdf, docx; html up to date", "[2/3] b: pdf, docx, html up to date",
        "[3/3] c: failed", "c/brief.md:3: error: bad"]
    assert progress.summary().startswith("3 brief(s): 1 built, 1 up to date, 1 failed in ")


def test_a_terminal_gets_a_bar_with_the_counts() -> None:
    screen = Terminal()
    with Progress(3, screen) as progress:
        for result in (BUILT, CURRENT, FAILED):
            progress.advance(result)
    shown = screen.getvalue()
    assert "3/3" in shown and "1 built, 1 up to date, 1 failed" in shown
    assert "[1/3]" not in shown  # no log lines on a terminal


def test_a_single_brief_shows_no_progress() -> None:
    log = io.StringIO()
    with Progress(1, log) as progress:
        progress.advance(BUILT)
    assert log.getvalue() == ""


PARTLY = BriefResult("e", "e", built=["html"], failed_formats=["pdf"],
                     errors=[Problem("e/e.pdf", None, "too slow")], exit_code=2)
"""Its web page built, its PDF failed: partly built."""
STANDING = BriefResult("f", "f", current=["html"], failed_formats=["pdf"],
                       errors=[Problem("f/f.pdf", None, "too slow")], exit_code=2)
"""Its web page up to date, its PDF failed: nothing built, yet it stands in part."""
NOTHING = BriefResult("g", "g", failed_formats=["pdf", "html"],
                      errors=[Problem("g/g.pdf", None, "too slow")], exit_code=2)
"""Every edition asked for failed: no part of it built, so failed."""


def test_a_brief_some_of_whose_editions_failed_says_which_and_is_counted_apart() -> None:
    """The reviewer's defect: such a brief read "failed", and the summary "0 built, 2
    failed", though its web page was built."""
    assert describe(PARTLY) == "e: built html; pdf failed"
    assert describe(STANDING) == "f: html up to date; pdf failed"
    log = io.StringIO()
    assert describe(NOTHING) == "g: pdf, html failed"
    assert (PARTLY.partly_built, STANDING.partly_built, NOTHING.partly_built) == (
        True, True, False)
    with Progress(5, log) as progress:
        for result in (PARTLY, STANDING, NOTHING, BUILT, CURRENT):
            progress.advance(result)
    lines = [line.split(" (")[0] for line in log.getvalue().splitlines()]
    assert lines == ["[1/5] e: built html; pdf failed", "e/e.pdf: error: too slow",
                     "[2/5] f: html up to date; pdf failed", "f/f.pdf: error: too slow",
                     "[3/5] g: pdf, html failed", "g/g.pdf: error: too slow",
                     "[4/5] a: built pdf, docx; html up to date",
                     "[5/5] b: pdf, docx, html up to date"]
    # the line "html up to date; pdf failed" and the counts agree: partly built
    assert progress.summary().startswith(
        "5 brief(s): 1 built, 2 partly built, 1 up to date, 1 failed in ")


WARNED = BriefResult("d", "d", built=["pdf"], warnings=[Problem("d/brief.md", 4, "odd",
                                                                  severity="warning")])


def test_a_failure_s_messages_follow_its_line_not_the_last_brief() -> None:
    log = io.StringIO()
    with Progress(3, log) as progress:
        for result in (FAILED, BUILT, CURRENT):
            progress.advance(result)
    lines = [line.split(" (")[0] for line in log.getvalue().splitlines()]
    assert lines == ["[1/3] c: failed", "c/brief.md:3: error: bad",
                     "[2/3] a: built pdf, docx; html up to date",
                     "[3/3] b: pdf, docx, html up to date"]


@pytest.fixture
def interactive(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal rich redraws its bar on, whatever the terminal running the tests."""
    monkeypatch.setenv("TERM", "xterm")
    for name in ("TTY_INTERACTIVE", "TTY_COMPATIBLE", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)


def on_screen(output: str) -> list[str]:
    """The lines a terminal shows at the end: what follows each line's last carriage return
    (rich redraws its one-line bar after one), without the colours."""
    shown = [Text.from_ansi(line.rsplit("\r", 1)[-1]).plain for line in output.split("\n")]
    return [line for line in shown if line]


def test_a_terminal_shows_each_failure_s_messages_above_the_bar(interactive: None) -> None:
    screen = Terminal()
    with Progress(3, screen) as progress:
        progress.advance(FAILED)
        progress.advance(BUILT)
        progress.problem(WARNED.warnings[0])
        progress.advance(CURRENT)
    output = screen.getvalue()
    *messages, bar = on_screen(output)
    # what stays: the messages in the order they came, the bar below them with the counts
    assert messages == ["c/brief.md:3: error: bad", "d/brief.md:4: warning: odd"]
    assert "3/3 1 built, 1 up to date, 1 failed" in bar
    # as each came: the failure's message while the bar counted it, before the next brief
    error, warning = output.index("c/brief.md:3"), output.index("d/brief.md:4")
    assert output.count("c/brief.md:3") == output.count("d/brief.md:4") == 1
    assert error < output.index("2/3") < warning < output.index("3/3")
    under = Text.from_ansi(output[error:].split("\n")[1].split("\r")[0]).plain
    assert "1/3 0 built, 0 up to date, 1 failed" in under


def test_a_terminal_prints_the_user_s_text_as_written(interactive: None) -> None:
    screen = Terminal()
    with Progress(2, screen) as progress:
        progress.problem(Problem("c/brief.md", 3, "title :warning: [b]bold[/b] :smile:",
                                 severity="warning"))
    assert "c/brief.md:3: warning: title :warning: [b]bold[/b] :smile:" in on_screen(
        screen.getvalue())
    assert "\u26a0" not in screen.getvalue() and "\U0001f604" not in screen.getvalue()


def test_a_single_brief_s_errors_are_shown_without_a_progress_line() -> None:
    log = io.StringIO()
    with Progress(1, log) as progress:
        progress.advance(FAILED)
    assert log.getvalue() == "c/brief.md:3: error: bad\n"


def test_a_terminal_counts_a_partly_built_brief(interactive: None) -> None:
    screen = Terminal()
    with Progress(2, screen) as progress:
        progress.advance(PARTLY)
        progress.advance(CURRENT)
    *messages, bar = on_screen(screen.getvalue())
    assert messages == ["e/e.pdf: error: too slow"]
    assert "2/2 0 built, 1 partly built, 1 up to date, 0 failed" in bar
