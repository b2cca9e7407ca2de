"""support/interrupt.py: Ctrl-C sets the stop flag, and raises at once or only the second time."""

from __future__ import annotations

import signal
import threading

import pytest

from briefpress.support.interrupt import ctrl_c


def test_a_build_stops_at_the_first_ctrl_c() -> None:
    stop = threading.Event()
    with pytest.raises(KeyboardInterrupt), ctrl_c(stop, raise_first=True) as flag:
        assert flag is stop
        signal.raise_signal(signal.SIGINT)
    assert stop.is_set()


def test_the_preview_sets_the_flag_first_and_stops_at_the_second() -> None:
    stop = threading.Event()
    with pytest.raises(KeyboardInterrupt), ctrl_c(stop, raise_first=False):
        signal.raise_signal(signal.SIGINT)
        assert stop.is_set()  # the edition under way goes on, and is written
        signal.raise_signal(signal.SIGINT)


def test_the_previous_handler_is_back_after_the_block() -> None:
    before = signal.getsignal(signal.SIGINT)
    with ctrl_c(threading.Event(), raise_first=True):
        assert signal.getsignal(signal.SIGINT) is not before
    assert signal.getsignal(signal.SIGINT) is before


def test_a_sigint_the_process_ignores_stays_ignored() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        stop = threading.Event()
        with ctrl_c(stop, raise_first=True):
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            signal.raise_signal(signal.SIGINT)
        assert not stop.is_set()
    finally:
        signal.signal(signal.SIGINT, previous)


def test_outside_the_main_thread_nothing_is_handled() -> None:
    """Only the main thread can set a handler: elsewhere the block runs, the flag unset."""
    before = signal.getsignal(signal.SIGINT)
    seen = []

    def run() -> None:
        with ctrl_c(threading.Event(), raise_first=True) as flag:
            seen.append((signal.getsignal(signal.SIGINT) is before, flag.is_set()))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [(True, False)]
