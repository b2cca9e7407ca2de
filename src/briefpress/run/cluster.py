"""Turn a Dask scheduler's address into an executor that builds briefs on its cluster.

A publisher with a large archive adds machines instead of waiting: ``briefpress build
--scheduler tcp://HOST:8786`` sends each brief's job to an existing Dask distributed
cluster (the optional extra ``briefpress[cluster]``). Each Dask worker runs a job as it
would run on this machine: inside a pool of warm briefpress worker processes of its own
(:mod:`briefpress.run.cluster_worker`), so a brief keeps its time and memory limits
and a runaway brief stops only its own process, never the Dask worker. A Ctrl-C stops the
jobs under way on the cluster too: each Dask worker kills the pool processes of this
build's jobs (:func:`~briefpress.run.cluster_worker.stop_build`, sent by
``Client.run``; a normal build pays nothing for it). docs/catalog.md says what the workers
need.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import Any

from briefpress.errors import BriefError, Problem, WorkerCrashed

CONNECT_SECONDS = 10
"""How long to wait for the scheduler before saying it cannot be reached."""

FIX = "start the scheduler, or give its address as tcp://HOST:PORT (see docs/catalog.md)"


@contextlib.contextmanager
def cluster_executor(address: str | None) -> Iterator[Executor | None]:
    """The cluster's executor for the time of the block, or None when no address is given
    (the build then uses this machine's own worker pool)."""
    if not address:
        yield None
        return
    try:
        from distributed import Client, KilledWorker

        from briefpress.run.cluster_worker import (
            STOP_SECONDS,
            ClosePools,
            Isolated,
            source_epoch,
            stop_build,
        )
    except ImportError:
        raise BriefError(Problem("--scheduler", None, "Dask distributed is not installed",
                                 "pip install 'briefpress[cluster]'")) from None
    try:
        _probe(address)
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BriefError(Problem("--scheduler", None,
                                 f"cannot reach the Dask scheduler at {address!r}: {exc}",
                                 FIX)) from None
    with client:
        # once per cluster (the plugin is idempotent): each Dask worker closes its pools,
        # and every process in them, when it closes itself
        client.register_plugin(ClosePools())
        build = uuid.uuid4().hex  # names this build's jobs, for a Ctrl-C to stop them

        def stop() -> bool:
            return _ask_every_worker(lambda: client.run(stop_build, build, on_error="return"),
                                     STOP_SECONDS + CONNECT_SECONDS)

        yield _ClusterExecutor(client.get_executor(pure=False),
                               functools.partial(Isolated, epoch=source_epoch(), build=build),
                               KilledWorker, stop)


def _ask_every_worker(run: Callable[[], dict[str, Any]], seconds: float) -> bool:
    """Whether every Dask worker answered ``run`` (:func:`stop_build` on each) with 0 jobs
    still running, within ``seconds``: a worker lost or too slow to answer may still be
    running one."""
    answer: Future[dict[str, Any]] = Future()

    def ask() -> None:
        try:
            answer.set_result(run())
        except Exception as exc:  # the scheduler gone: nothing is known of the workers
            answer.set_exception(exc)

    # in a thread of its own, so that a worker that never answers cannot hold the command
    threading.Thread(target=ask, name="briefpress-stop", daemon=True).start()
    try:
        return all(left == 0 for left in answer.result(timeout=seconds).values())
    except Exception:
        return False


def _probe(address: str) -> None:
    """Refuse at once an address that is malformed or where nothing listens.

    Dask's client retries a refused or unresolvable address until its timeout, and a
    client it could not make reports its own failure again, with a traceback, when it is
    collected; a plain connection to a TCP or TLS address says the same in an instant.
    """
    import socket  # as distributed: only a build with --scheduler needs it

    from distributed.comm import get_address_host_port, parse_address

    scheme, _ = parse_address(address)
    if scheme not in ("tcp", "tls"):
        return  # another transport (ucx, inproc): the client alone knows how to reach it
    host, port = get_address_host_port(address)
    with socket.create_connection((host, port), timeout=CONNECT_SECONDS):
        pass


class _ClusterExecutor(Executor):
    """The client's executor, with each brief's job wrapped to run isolated on its worker,
    and the cluster's own failures turned into the failure of that one brief."""

    def __init__(self, executor: Executor, wrap: Callable[[Any], Callable[..., Any]],
                 killed: type[BaseException], stop: Callable[[], bool] = lambda: False
                 ) -> None:
        self.executor = executor
        self.wrap = wrap
        self.killed = killed
        """What the cluster raises for a job whose Dask workers kept dying under it."""
        self.stop = stop
        """Stops the jobs under way on the cluster; whether every worker said they are."""
        self.stopped = False
        """Whether :meth:`shutdown` stopped every job under way (none can replace an
        edition after it); what a Ctrl-C's message needs to know."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        job = self.executor.submit(self.wrap(fn), *args, **kwargs)
        answer: Future[Any] = Future()
        answer.set_running_or_notify_cancel()
        job.add_done_callback(lambda done: self._settle(done, answer))
        return answer

    def _settle(self, job: Future[Any], answer: Future[Any]) -> None:
        if job.cancelled():  # the client lost the scheduler (or it closed)
            answer.set_exception(WorkerCrashed("the cluster dropped the job: its scheduler "
                                               "went away"))
        elif isinstance(exc := job.exception(), self.killed):
            answer.set_exception(WorkerCrashed(f"every Dask worker that ran it died ({exc})"))
        elif exc is not None:
            answer.set_exception(exc)
        else:
            answer.set_result(job.result())

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        # the client's executor takes no cancel_futures: without waiting, it cancels every
        # job it has (Client.cancel) instead
        self.executor.shutdown(wait=wait and not cancel_futures)
        if cancel_futures:
            # the cancel stops only the jobs not started: those under way are stopped next,
            # on each Dask worker (after the cancel, so that the client never fetches the
            # answer of a job stopped before it was cancelled)
            self.stopped = self.stop()
