"""Turn a brief's job on a Dask worker into a run in that worker's own pool of processes.

What :mod:`briefpress.run.cluster` sends to the cluster. A Dask worker runs each job
in a :class:`~briefpress.run.pool.WorkerPool` of its own, made by its first job and
kept warm for the rest, so a brief keeps its time and memory limits there too, and a
runaway brief kills only its pool process, never the Dask worker. The pools close with
their Dask worker (:class:`ClosePools`). A Ctrl-C of the build reaches each Dask worker as
:func:`stop_build` (``Client.run``), which kills the pool processes of that build's jobs
under way (a Dask task cannot be interrupted, but the brief's work is in the pool process,
not in the task). This module needs Dask distributed (``briefpress[cluster]``).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import deque
from concurrent.futures import CancelledError, Future
from typing import TYPE_CHECKING

from distributed import Worker, WorkerPlugin, get_worker
from msgspec import Struct

from briefpress.errors import JobStopped, Problem
from briefpress.run.pool import WorkerPool
from briefpress.support import limits

if TYPE_CHECKING:
    from briefpress.build import BriefJob, BriefResult


class Isolated(Struct, frozen=True):
    """A brief's job as a Dask worker runs it: in that worker's pool of processes."""

    job: BriefJob
    epoch: str = ""
    """``SOURCE_DATE_EPOCH`` where the build was started ("" when unset)."""
    build: str = ""
    """The build that sent the job, for :func:`stop_build` to find it ("" for none)."""

    def __call__(self, name: str) -> BriefResult:
        from briefpress.build import BriefResult, result_of

        # the editions' dates, and their keys, come from SOURCE_DATE_EPOCH where they are
        # made: a worker that sees another one would write editions other than the ones
        # asked for, and the next build would take them for stale
        if (epoch := source_epoch()) != self.epoch:
            return BriefResult(name, errors=[Problem(
                "--scheduler", None, f"the Dask worker at {get_worker().address} has "
                f"SOURCE_DATE_EPOCH={epoch!r}, this build {self.epoch!r}",
                "set the same SOURCE_DATE_EPOCH (or none) for the workers as for the build "
                "(see docs/catalog.md)")], exit_code=2)
        pool = _local_pool(self.job)
        with _RUNS_LOCK:
            if self.build and self.build in _STOPPED:  # it started as the build was stopped
                return _stopped(name, "the build was interrupted")
            future = pool.submit(self.job, name)
            if self.build:
                _RUNS.setdefault(self.build, {})[future] = pool
        try:
            return result_of(future, name)
        except CancelledError:  # stopped while its pool process was still warming up
            return _stopped(name, "the build was interrupted before it started")
        finally:
            with _RUNS_LOCK:
                runs = _RUNS.get(self.build, {})
                runs.pop(future, None)
                if not runs:
                    _RUNS.pop(self.build, None)


def _stopped(name: str, why: str) -> BriefResult:
    """The result of a job its build's interrupt stopped, as the client would word it."""
    from briefpress.build import result_of

    future: Future[BriefResult] = Future()
    future.set_exception(JobStopped(why))
    return result_of(future, name)


def source_epoch() -> str:
    """``SOURCE_DATE_EPOCH`` as this process sees it ("" when unset)."""
    return os.environ.get("SOURCE_DATE_EPOCH", "").strip()


_POOLS: dict[tuple[str, tuple[str, ...]], WorkerPool] = {}
"""Each Dask worker's pools, by the worker's address and the engines their processes import
(one process may host several Dask workers: a threaded cluster, ``--nworkers`` without a
nanny)."""
_POOLS_LOCK = threading.Lock()


def _local_pool(job: BriefJob) -> WorkerPool:
    """The pool of the Dask worker running this job: as many processes as the Dask worker
    runs threads, since it never runs more jobs at once."""
    from briefpress.render import FORMATS

    worker = get_worker()
    engines = tuple(sorted({FORMATS[name].engine for name in job.formats} - {None}))
    with _POOLS_LOCK:
        key = (worker.address, engines)
        if key not in _POOLS:
            _POOLS[key] = WorkerPool(worker.state.nthreads, warm=engines,
                                     seconds=limits.BRIEF_SECONDS.value(),
                                     memory_mb=limits.BRIEF_MEMORY_MB.value(),
                                     jobs_per_worker=limits.JOBS_PER_WORKER.value())
        return _POOLS[key]


_RUNS: dict[str, dict[Future[BriefResult], WorkerPool]] = {}
"""The jobs under way in this process's pools, by the build that sent them."""
_STOPPED: deque[str] = deque(maxlen=100)
"""The builds lately stopped (:func:`stop_build`): a job of theirs that starts afterwards, as
the client cancels it, returns at once."""
_RUNS_LOCK = threading.Lock()

STOP_SECONDS = 5.0
"""How long :func:`stop_build` waits for the killed processes to be gone (a kill and a reap
take milliseconds)."""


async def stop_build(build: str, seconds: float = STOP_SECONDS) -> int:
    """Stop the build ``build`` on this Dask worker's process (what its Ctrl-C asks, sent
    by ``Client.run``): each of its jobs under way has its pool process killed with every
    process it started (a fresh one takes its place, the pool stays warm), and a job of it
    that starts later returns at once. Return how many of its jobs still ran after
    ``seconds``: 0 once none can write anything more."""
    with _RUNS_LOCK:
        _STOPPED.append(build)
        runs = dict(_RUNS.get(build, {}))
    for future, pool in runs.items():
        pool.stop(future)  # returns at once: the pool's own thread kills and reaps
    deadline = time.monotonic() + seconds
    while not all(future.done() for future in runs) and time.monotonic() < deadline:
        await asyncio.sleep(0.02)  # on the Dask worker's event loop: never block it
    return sum(not future.done() for future in runs)


def close_pools(address: str) -> None:
    """Shut down the pools of the Dask worker at ``address``: pending jobs are cancelled,
    running ones finish (each within its time limit), then every process is reaped."""
    with _POOLS_LOCK:
        closing = [_POOLS.pop(key) for key in list(_POOLS) if key[0] == address]
    for pool in closing:
        pool.shutdown(wait=True, cancel_futures=True)


class ClosePools(WorkerPlugin):
    """Closes a Dask worker's briefpress pools when the worker closes, so no briefpress
    process outlives its Dask worker."""

    idempotent = True
    """Registered by every build; the first registration stays (replacing it would close
    the pools of a build running meanwhile)."""
    name = "briefpress-pools"

    async def teardown(self, worker: Worker) -> None:
        # off the worker's event loop: a running brief may take a while to finish
        await asyncio.to_thread(close_pools, worker.address)
