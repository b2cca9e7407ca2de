"""Jobs for test_pool's WorkerPools: module-level functions a worker imports by name.

A worker imports the module of each job it is sent; this one imports only the standard
library (a worker sent a job of the test module itself would import pytest and psutil,
about 0.15 s of processor time each, and test_pool starts some twenty workers).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def square(n: int) -> int:
    return n * n


def pid_and_modules() -> tuple[int, bool]:
    return os.getpid(), "colorsys" in sys.modules


def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def wait_for(path: str, limit: float = 60.0) -> str:
    """Run until ``path`` exists (the test says when, instead of a sleep that must outlast
    what the test does meanwhile), or give up after ``limit`` seconds: a test whose pool
    waits for the job then fails instead of hanging."""
    deadline = time.monotonic() + limit
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return "gave up"
        time.sleep(0.005)
    return "woke"


def hold(megabytes: int, seconds: float) -> int:
    block = bytearray(megabytes * 2**20)
    for i in range(0, len(block), 4096):  # touched, so that the pages are resident
        block[i] = 1
    time.sleep(seconds)
    return len(block)


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def fail() -> None:
    raise ValueError("the job's own error")


def spawn_child(seconds: float) -> int:
    """Start a grandchild (as pandoc is started) and wait for it."""
    child = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"])
    Path(os.environ["CHILD_PID_FILE"]).write_text(str(child.pid))
    return child.wait()


def descriptors() -> tuple[bool, list[str]]:
    """Whether the worker has a ``sys.stdin``, and what its descriptors above 2 are."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own, closed by now
            target = os.readlink(f"/proc/self/fd/{name}")
            if int(name) > 2 and not target.startswith("/proc/"):
                found.append(target.split(":")[0])
    return sys.stdin is not None, sorted(found)
