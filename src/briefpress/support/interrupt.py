"""Turn Ctrl-C (SIGINT) into a stop flag a long job looks at between its steps.

For ``briefpress build`` and ``briefpress serve`` alike (a build, the preview).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def ctrl_c(stop: threading.Event, *, raise_first: bool) -> Iterator[threading.Event]:
    """Set ``stop`` on each Ctrl-C for the block, and raise KeyboardInterrupt on the first
    (``raise_first``: a build stops at once) or only on the second (the preview stops once
    the edition under way is written). The flag outlives an interrupt a library swallows
    (one raised inside WeasyPrint's ``__del__`` is printed and lost): the job raises it
    again before its next step (:func:`briefpress.build.stop_if_interrupted`).

    A SIGINT the process was started ignoring (a background job of a non-interactive
    shell script) stays ignored, as it would be without briefpress's handler. Only in the
    main thread: elsewhere signals cannot be handled, and ``stop`` is only set by others.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is signal.SIG_IGN):
        yield stop
        return

    def interrupt(signum: int, frame: object) -> None:
        again = stop.is_set()
        stop.set()
        if raise_first or again:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
