"""Turn a brief's job on a Dask worker into a run in that worker's own pool of processes.

What :mod:`briefpress.support.cluster` sends to the cluster. A Dask worker runs each job
in a :class:`~briefpress.support.pool.WorkerPool` of its own, made by its first job and
kept warm for the rest, so a brief keeps its time and memory limits there too, and a
runaway brief kills only its pool process, never the Dask worker. The pools close with
their Dask worker (:class:`ClosePools`). This module needs Dask distributed
(``briefpress[cluster]``).
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import TYPE_CHECKING

from distributed import Worker, WorkerPlugin, get_worker
from msgspec import Struct

from briefpress.errors import Problem
from briefpress.support import limits
from briefpress.support.pool import WorkerPool

if TYPE_CHECKING:
    from briefpress.build import BriefJob, BriefResult


class Isolated(Struct, frozen=True):
    """A brief's job as a Dask worker runs it: in that worker's pool of processes."""

    job: BriefJob
    epoch: str = ""
    """``SOURCE_DATE_EPOCH`` where the build was started ("" when unset)."""

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
        return result_of(_local_pool(self.job).submit(self.job, name), name)


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
                                     memory_mb=limits.BRIEF_MEMORY_MB.value())
        return _POOLS[key]


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
