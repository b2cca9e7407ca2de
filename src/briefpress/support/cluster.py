"""Turn a Dask scheduler's address into an executor that builds briefs on its cluster.

A publisher with a large archive adds machines instead of waiting: ``briefpress build
--scheduler tcp://HOST:8786`` sends each brief's job to an existing Dask distributed
cluster (the optional extra ``briefpress[cluster]``). Each Dask worker runs a job as it
would run on this machine: inside a pool of warm briefpress worker processes of its own
(:class:`~briefpress.support.pool.WorkerPool`), so a brief keeps its time and memory limits
and a runaway brief stops only its own process, never the Dask worker. docs/catalog.md
says what the workers need.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from briefpress.errors import BriefError, Problem
from briefpress.support import limits
from briefpress.support.pool import WorkerPool

if TYPE_CHECKING:
    from briefpress.build import BriefJob, BriefResult

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
        from distributed import Client
    except ImportError:
        raise BriefError(Problem("--scheduler", None, "Dask distributed is not installed",
                                 "pip install 'briefpress[cluster]'")) from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BriefError(Problem("--scheduler", None,
                                 f"cannot reach the Dask scheduler at {address!r}: {exc}",
                                 FIX)) from None
    with client:
        yield _ClusterExecutor(client.get_executor(pure=False))


class _ClusterExecutor(Executor):
    """The client's executor, with each brief's job wrapped to run isolated on its worker."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self.executor.submit(Isolated(fn), *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.executor.shutdown(wait=wait, cancel_futures=cancel_futures)


class Isolated(Struct, frozen=True):
    """A brief's job as a Dask worker runs it: in that machine's pool of worker processes."""

    job: BriefJob

    def __call__(self, name: str) -> BriefResult:
        from briefpress.build import result_of

        return result_of(_local_pool(self.job).submit(self.job, name), name)


_POOLS: dict[tuple[str, ...], WorkerPool] = {}
_POOLS_LOCK = threading.Lock()


def _local_pool(job: BriefJob) -> WorkerPool:
    """This machine's pool, made by the first job that needs it and kept warm for the rest:
    as many worker processes as the Dask worker runs threads."""
    from distributed import get_worker

    from briefpress.render import FORMATS

    engines = tuple(sorted({FORMATS[name].engine for name in job.formats} - {None}))
    with _POOLS_LOCK:
        if engines not in _POOLS:
            _POOLS[engines] = WorkerPool(get_worker().state.nthreads, warm=engines,
                                         seconds=limits.BRIEF_SECONDS.value(),
                                         memory_mb=limits.BRIEF_MEMORY_MB.value())
        return _POOLS[engines]
