"""Turn concurrent builds and imports of one brief into one-at-a-time work, with a lock file."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefpress.errors import BriefError, Problem
from briefpress.support.files import make_build_folder, writing

LOCK_TIMEOUT_S = 300.0


@contextmanager
def brief_lock(build_dir: Path, slug: str, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the exclusive lock of ``slug`` (``build/<slug>/.lock``) for the duration.

    A second build or an import of the same brief waits for the first to finish,
    so outputs are never written by two processes at once. The lock is released
    by the kernel if the holder dies, so a killed build never blocks the next.
    """
    folder = build_dir / slug
    path = folder / ".lock"
    with writing(path):  # a read-only or full build folder: one message, not a traceback
        make_build_folder(folder)
        handle = open(path, "a+b")  # noqa: SIM115 (closed by the with below)
    with handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BriefError(Problem(path, None,
                                             f"another briefpress process has held this brief "
                                             f"for over {timeout:.0f} s",
                                             "wait for it to finish, or stop it")) from None
                time.sleep(0.05)
        try:
            remove_stale_temporaries(folder)
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files a killed process left behind (we hold the lock: none is live)."""
    for leftover in folder.rglob(".*.tmp*"):
        if leftover.is_file():
            try:
                leftover.unlink()
            except OSError:
                continue
