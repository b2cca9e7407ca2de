"""support/watchdog.py: the main thread is stopped when the process passes its memory limit."""

from __future__ import annotations

import signal
import threading

import psutil
import pytest

from briefpress.support.watchdog import OverMemory, memory_limit


def test_growing_past_the_limit_raises_in_the_main_thread() -> None:
    limit = psutil.Process().memory_info().rss // 2**20 + 50
    held = []
    with pytest.raises(OverMemory), memory_limit(limit):
        for _ in range(400):  # up to 400 MB, in steps the watcher sees
            held.append(bytearray(2**20))
            held[-1][::4096] = b"\1" * len(held[-1][::4096])
            threading.Event().wait(0.002)
    assert len(held) < 400
    assert signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL  # the handler is restored


def test_staying_under_the_limit_changes_nothing() -> None:
    limit = psutil.Process().memory_info().rss // 2**20 + 500
    with memory_limit(limit):
        total = sum(range(10**6))
    assert total == 499999500000
    assert signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL


def test_outside_the_main_thread_the_block_runs_unbounded() -> None:
    outcome = []

    def run() -> None:
        with memory_limit(1):
            outcome.append("ran")

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert outcome == ["ran"]
