"""Turn a memory limit into an exception in the main thread, raised when the process passes it.

WeasyPrint lays out in this process and has no memory limit of its own; a limit of the
address space (``RLIMIT_AS``) makes GLib abort the process rather than fail one allocation.
So a watcher thread measures the process's resident memory every ``interval`` seconds and,
once it is over the limit, signals the main thread (``SIGUSR1``), whose handler raises
:class:`OverMemory` between two bytecodes of the layout's Python code: the layout unwinds
and the caller says which limit was passed. A catalog build's worker pool adds the hard
bound: it kills a worker whose processes pass ``BRIEF_MEMORY_MB`` (see run/pool.py).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

import psutil

INTERVAL = 0.05
"""Seconds between two measurements (memory grows by at most a few MB a millisecond)."""


class OverMemory(BaseException):
    """Raised in the main thread when the process holds more memory than the limit. A
    BaseException, so that no ``except Exception`` inside a library can swallow it."""


@contextlib.contextmanager
def memory_limit(megabytes: int, interval: float = INTERVAL) -> Iterator[None]:
    """Raise :class:`OverMemory` in the main thread if the process's resident memory passes
    ``megabytes`` during the block, and again every half second while it stays over
    (should one be lost in a ``finally``). Outside the main thread signals cannot be used,
    and the block runs without this bound."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    limit = megabytes * 2**20
    process = psutil.Process()
    main = threading.main_thread().ident
    assert main is not None
    stop = threading.Event()

    def over(signum: int, frame: Any) -> None:
        raise OverMemory

    def watch() -> None:
        while not stop.wait(interval):
            if process.memory_info().rss > limit:
                signal.pthread_kill(main, signal.SIGUSR1)
                stop.wait(0.5)

    previous = signal.signal(signal.SIGUSR1, over)
    watcher = threading.Thread(target=watch, name="briefpress-memory", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        try:
            watcher.join()
        finally:
            signal.signal(signal.SIGUSR1, previous)
