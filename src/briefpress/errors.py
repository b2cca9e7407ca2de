"""Turn problems a user can cause into messages with a file, a line and a fix."""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct


class Problem(Struct, frozen=True):
    """One thing wrong with an input, located and with the way to mend it."""

    file: Path | str
    line: int | None
    message: str
    fix: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{display_path(self.file)}:{self.line}" if self.line else display_path(self.file)
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} (fix: {self.fix})" if self.fix else text


class BriefError(Exception):
    """Input that cannot be read or used; the CLI prints each problem and exits 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:
        # made again from its problems when it crosses to another process (a worker's)
        return type(self), (self.problems,)


class NotImplementedFormat(BriefError):
    """An output format that is registered but not built yet."""

    exit_code = 3


def display_path(path: Path | str) -> str:
    """Show a path relative to the working directory when it lies below it."""
    p = Path(path)
    # the folders resolved, not the file: a symlink is named as written, not as its target
    resolved = p.parent.resolve() / p.name if p.name not in ("", ".", "..") else p.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a build, with the editions and catalog files the build had replaced
    before it (complete and new: a file is renamed into place only once it is whole), and
    the briefs whose jobs a cluster may still be running (sent to a Dask worker that did
    not confirm it stopped them); every other output is as it was."""

    def __init__(self, replaced: list[Path], running: list[str] | None = None) -> None:
        super().__init__()
        self.replaced = replaced
        self.running = running or []


# A brief's job in another process (a worker of the pool, a cluster's) can fail without a
# Problem of its own: these say why, and build.result_of turns them into located problems.

class LimitExceeded(Exception):
    """A job ran past its time or memory limit and its worker was stopped."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind
        """``time`` or ``memory``."""
        self.message = message

    def __str__(self) -> str:
        return self.message


class WorkerCrashed(Exception):
    """The worker running a job died before it answered."""


class WorkerUnavailable(Exception):
    """No worker process could be started for a job: the machine's limits (open files,
    processes) allow none; the message is the system's."""

    def __init__(self, message: str, workers: int = 1) -> None:
        super().__init__(message)
        self.workers = workers
        """The workers the pool was asked for (more than one: fewer would need less)."""


class JobStopped(Exception):
    """A job was stopped on request before it answered (the Ctrl-C of the build that sent
    it): its worker was killed with every process it started."""
