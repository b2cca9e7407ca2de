"""Turn finished briefs into progress: a live bar on a terminal, a plain line each elsewhere.

On a terminal (standard error is a TTY) rich draws one bar with the briefs done, built,
partly built (when any is: some editions built or up to date, another failed), up to date
and failed, and the elapsed time; a log, a CI job or a pipe gets one line per brief instead, which
reads well afterwards and never fills a log with redrawn bars. A failed brief's messages
come as it fails, right after its line (above the bar on a terminal), so that each is
read beside the brief it concerns, not after every other brief.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from briefpress.build import BriefResult
    from briefpress.errors import Problem


class Progress:
    """Counts of a build of ``total`` briefs, shown as they change."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = self.built = self.partly = self.current = self.failed = 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self._bar = None
        self._task = None

    def __enter__(self) -> Progress:
        if self.total > 1 and self.stream.isatty():
            # a design boundary: rich is imported only for a terminal that shows the bar
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
                            console=Console(file=self.stream), transient=False)
            self._bar.start()
            self._task = self._bar.add_task("briefs", total=self.total, counts=self.counts())
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()

    def counts(self) -> str:
        # "partly built" (some editions built or up to date, another failed) only once there
        # is one
        partly = f"{self.partly} partly built, " if self.partly else ""
        return f"{self.built} built, {partly}{self.current} up to date, {self.failed} failed"

    def advance(self, result: BriefResult) -> None:
        """Count one finished brief and show it, with its errors if it failed."""
        self.done += 1
        if result.partly_built:
            self.partly += 1
        elif result.failed:
            self.failed += 1
        elif result.built:
            self.built += 1
        else:
            self.current += 1
        if self._bar is not None:
            # drawn now, not at the next tick: the bar under a failure's messages counts it
            self._bar.update(self._task, advance=1, counts=self.counts(), refresh=True)
        elif self.total > 1:
            print(f"[{self.done}/{self.total}] {describe(result)} "
                  f"({time.monotonic() - self.started:.1f} s)", file=self.stream, flush=True)
        for problem in result.errors:
            self.problem(problem)

    def problem(self, problem: Problem) -> None:
        """Show one located message (a warning, or a brief's error) where the user reads it:
        above the bar on a terminal, as the next line elsewhere."""
        if self._bar is not None:  # the bar's console keeps the bar below what it prints
            # the text is the user's (a title, a path): printed as written, so that no
            # `:warning:` in it becomes an emoji nor a `[b]` a style
            self._bar.console.print(str(problem), markup=False, highlight=False, emoji=False,
                                    soft_wrap=True)
        else:
            print(problem, file=self.stream, flush=True)

    def summary(self) -> str:
        return f"{self.done} brief(s): {self.counts()} in {time.monotonic() - self.started:.1f} s"


def describe(result: BriefResult) -> str:
    """One brief's outcome in words: what was built, what was up to date, and what failed
    (the editions that did, or the brief as a whole)."""
    name = result.slug or result.name
    parts = []
    if result.built:
        parts.append(f"built {', '.join(result.built)}")
    if result.current:
        parts.append(f"{', '.join(result.current)} up to date")
    if result.failed_formats:
        parts.append(f"{', '.join(result.failed_formats)} failed")
    elif result.failed:
        parts.append("failed")
    return f"{name}: {'; '.join(parts)}"
