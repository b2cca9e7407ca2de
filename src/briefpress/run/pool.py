"""Turn jobs into results in warm worker processes, each job under a wall-time and memory limit.

:class:`WorkerPool` is a :class:`concurrent.futures.Executor`. Unlike the standard library's
process pool it bounds each job: a job that runs past ``seconds``, or whose worker (with
every process the worker started, such as pandoc) holds more than ``memory_mb`` of
memory, is stopped by killing that worker and its children; its future fails with
:class:`LimitExceeded`, a fresh worker takes its place and every other job goes on. A
worker that dies on its own (a crash in a C library) fails only its job, with
:class:`WorkerCrashed`. One job can be stopped on request (:meth:`WorkerPool.stop`: a
cluster's build interrupted by Ctrl-C) the same way, its future failing with
:class:`JobStopped`. Workers stay warm between jobs: the modules named in ``warm`` are
imported once per worker, not once per job, and a killed worker's place is taken by a
fresh one.

A dispatcher thread in the calling process hands out jobs, one per idle worker, and
watches the workers: it waits on their pipes and exit sentinels at once
(:func:`multiprocessing.connection.wait`), and every ``poll`` seconds measures each busy
worker's process tree with psutil.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from multiprocessing.connection import Connection, wait
from typing import Any

import psutil
from msgspec import Struct

from briefpress.errors import JobStopped, LimitExceeded, WorkerCrashed, WorkerUnavailable
from briefpress.support import limits

POLL_SECONDS = 0.1
"""How often busy workers are measured against the limits."""

JOBS_PER_WORKER = limits.JOBS_PER_WORKER.default
"""Jobs a worker runs before it retires and a fresh one takes its place, unless the pool is
told otherwise (a catalog build passes ``BRIEFPRESS_LIMIT_JOBS_PER_WORKER``'s value;
support/limits.py says why a worker retires)."""


class _Job(Struct):
    """One job: the future its caller holds, the call a worker runs and when it started."""

    future: Future[Any]
    call: tuple[Callable[..., Any], tuple, dict]
    started: float = 0.0


class _Worker:
    """One worker process, the parent's end of its pipe and the job it is running."""

    def __init__(self, context: Any, warm: Sequence[str]) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, tuple(warm)), daemon=True,
                                       name="briefpress-worker")
        try:
            self.process.start()
        except OSError:  # the machine's limits: no descriptor of the pipe is left open
            self.connection.close()
            raise
        finally:
            child.close()
        self.ready = False
        """Whether the worker has imported its modules and waits for a job (a job's time
        starts when the worker starts it, not while a new worker warms up)."""
        self.job: _Job | None = None
        self.done = 0

    def tree_memory(self) -> int:
        """Resident bytes of the worker and every process below it."""
        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for process in processes:
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
        return total

    def kill(self) -> None:
        """Stop the worker and every process it started, and reap it."""
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.process.pid)
            for process in [*root.children(recursive=True), root]:
                with contextlib.suppress(psutil.Error):
                    process.kill()
        self.process.join()
        self.connection.close()

    def stop(self) -> None:
        """Ask an idle worker to finish, and reap it."""
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()
        else:
            self.connection.close()


class WorkerPool(Executor):
    """Up to ``workers`` warm processes; each job within ``seconds`` and ``memory_mb``."""

    def __init__(self, workers: int, warm: Sequence[str] = (), seconds: float | None = None,
                 memory_mb: int | None = None, poll: float = POLL_SECONDS,
                 jobs_per_worker: int | None = JOBS_PER_WORKER) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self._size = workers
        self._jobs_per_worker = jobs_per_worker
        self._warm = tuple(warm)
        self._seconds = seconds
        self._memory = memory_mb * 1024 * 1024 if memory_mb else None
        self._poll = poll
        # spawn, not fork: the caller may run threads, and a forked copy of a thread's lock
        # can never be released
        self._context = multiprocessing.get_context("spawn")
        self._pending: deque[_Job] = deque()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._closing = False
        self._abandon = False
        """Set by :meth:`terminate`: the jobs under way are given up, their workers killed."""
        self._stopping: set[Future[Any]] = set()
        """The futures of jobs :meth:`stop` was asked to stop (for the dispatcher to do)."""
        self._refused = False
        """Whether the machine refused the latest worker (out of open files or processes):
        no other is started until one of the pool's leaves (dispatcher thread only)."""
        self._dispatcher = threading.Thread(target=self._run, name="briefpress-pool",
                                            daemon=True)
        self._dispatcher.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a pool that is shutting down")
            self._pending.append(_Job(future, (fn, args, kwargs)))
        self._wake()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closing = True
            if cancel_futures:
                while self._pending:
                    self._pending.popleft().future.cancel()
        self._wake()
        if wait:
            self._dispatcher.join()

    def terminate(self) -> None:
        """Stop at once: the jobs not started are cancelled, those under way fail with
        :class:`WorkerCrashed` as their workers are killed with every process they started,
        and the pool is shut down (what a Ctrl-C of the caller asks)."""
        with self._lock:
            self._closing = self._abandon = True
            while self._pending:
                self._pending.popleft().future.cancel()
        self._wake()
        self._dispatcher.join()

    def stop(self, future: Future[Any]) -> None:
        """Stop one job at once, without waiting: one not started is cancelled; one under
        way has its worker killed with every process it started, and its future fails with
        :class:`JobStopped` once they are gone; a fresh worker takes the killed one's place
        (the pool stays warm). A job already done is left as it is."""
        if future.cancel():
            return
        with self._lock:
            self._stopping.add(future)
        self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send_bytes(b"")

    # --- the dispatcher thread --------------------------------------------------------------

    def _run(self) -> None:
        try:
            while self._step():
                pass
        except BaseException as exc:  # a bug here must fail the jobs, not leave them waiting
            with self._lock:
                self._closing = True
                while self._pending:
                    self._pending.popleft().future.set_exception(exc)
            raise
        finally:
            for worker in self._workers:
                if worker.job is not None:
                    worker.kill()
                    worker.job.future.set_exception(WorkerCrashed("the pool was shut down"))
                elif self._abandon:
                    worker.kill()  # one still warming up would answer only once it is warm
                else:
                    worker.stop()
            self._workers.clear()

    def _step(self) -> bool:
        """Hand out jobs, wait for news, enforce the limits; False once all is done."""
        with self._lock:
            if self._abandon:
                return False
        self._hand_out()
        busy = [w for w in self._workers if w.job is not None]
        with self._lock:
            if self._closing and not busy and not self._pending:
                return False
        waiting: list[Any] = [self._wake_reader]
        for worker in self._workers:
            waiting += [worker.connection, worker.process.sentinel]
        ready = set(wait(waiting, timeout=self._poll))
        if self._wake_reader in ready:
            while self._wake_reader.poll():
                self._wake_reader.recv_bytes()
        for worker in list(self._workers):
            if worker.connection in ready and not worker.ready:
                self._greet(worker)
            elif worker.connection in ready and worker.job is not None:
                self._answer(worker)
            elif worker.process.sentinel in ready and not worker.process.is_alive():
                self._lose(worker, WorkerCrashed(_death(worker.process.exitcode)))
        self._stop_asked()
        self._enforce_limits()
        return True

    def _hand_out(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    return
                idle = next((w for w in self._workers if w.ready and w.job is None), None)
                if idle is None:
                    starting = sum(not w.ready for w in self._workers)
                    if (len(self._workers) < self._size and starting < len(self._pending)
                            and not self._refused and self._start_worker()):
                        continue
                    return
                job = self._pending.popleft()
            if not job.future.set_running_or_notify_cancel():
                continue
            idle.job = job
            job.started = time.monotonic()
            try:
                idle.connection.send(job.call)
            except Exception as exc:  # the job cannot be pickled: its own fault, not the pool's
                idle.job = None
                job.future.set_exception(exc)

    def _start_worker(self) -> bool:
        """Start one more worker (the lock held); False if the machine allows none."""
        try:
            self._workers.append(_Worker(self._context, self._warm))
            return True
        except OSError as exc:
            # out of open files or processes: the pool goes on with the workers it has,
            # until one of them leaves, and fails its jobs if it has none (setting a
            # future's exception under the lock is safe: no callback of a caller submits)
            self._refused = bool(self._workers)
            if not self._workers:
                while self._pending:
                    job = self._pending.popleft()
                    if job.future.set_running_or_notify_cancel():
                        job.future.set_exception(WorkerUnavailable(str(exc), self._size))
            return False

    def _greet(self, worker: _Worker) -> None:
        """A new worker says it is ready (or dies trying: then the next job gets another)."""
        try:
            worker.connection.recv()
            worker.ready = True
        except (EOFError, OSError):
            worker.process.join(timeout=5)
            self._lose(worker, WorkerCrashed(_death(worker.process.exitcode)))

    def _answer(self, worker: _Worker) -> None:
        job = worker.job
        assert job is not None
        try:
            ok, value = worker.connection.recv()
        except (EOFError, OSError):
            worker.process.join()
            self._lose(worker, WorkerCrashed(_death(worker.process.exitcode)))
            return
        worker.job = None
        worker.done += 1
        if self._jobs_per_worker and worker.done >= self._jobs_per_worker:
            worker.stop()  # retired; the next job starts a fresh worker
            self._workers.remove(worker)
            self._refused = False
        if ok:
            job.future.set_result(value)
        else:
            job.future.set_exception(value)

    def _lose(self, worker: _Worker, error: Exception) -> None:
        """Take a dead or stopped worker out of the pool, failing its job with ``error``."""
        job = worker.job
        worker.kill()
        self._workers.remove(worker)
        self._refused = False
        if job is None and not worker.ready:
            # a worker that cannot even start (an import failing) fails the next job, so
            # that a pool of such workers ends instead of starting them for ever
            with self._lock:
                job = self._pending.popleft() if self._pending else None
            if job is not None and not job.future.set_running_or_notify_cancel():
                job = None
        if job is not None:
            job.future.set_exception(error)

    def _stop_asked(self) -> None:
        """Kill the workers of the jobs :meth:`stop` was asked to stop, and start one in the
        place of each (a request for a job that answered meanwhile is dropped)."""
        with self._lock:
            asked, self._stopping = self._stopping, set()
            replace = not self._closing
        for worker in [w for w in self._workers if w.job is not None]:
            assert worker.job is not None
            if worker.job.future in asked:
                self._lose(worker, JobStopped("its process was killed on request"))
                if replace and len(self._workers) < self._size:
                    with self._lock:
                        self._start_worker()

    def _enforce_limits(self) -> None:
        now = time.monotonic()
        for worker in [w for w in self._workers if w.job is not None]:
            job = worker.job
            assert job is not None
            elapsed = now - job.started
            if self._seconds is not None and elapsed > self._seconds:
                self._lose(worker, LimitExceeded(
                    "time", f"still running after {elapsed:.0f} s, over the limit of "
                    f"{self._seconds:g} s"))
            elif self._memory is not None and (held := worker.tree_memory()) > self._memory:
                self._lose(worker, LimitExceeded(
                    "memory", f"its processes held {held / 2**20:.0f} MB, over the limit of "
                    f"{self._memory / 2**20:.0f} MB"))


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"killed by signal {signal.Signals(-exitcode).name}"
    return f"exit status {exitcode}"


def _close_spare_descriptors() -> None:
    """Close the two descriptors a spawned process holds that a worker has no use for, so
    that a worker needs as few open files as it can (``ulimit -n``): the one multiprocessing
    opens on /dev/null for ``sys.stdin`` (its documented replacement of a child's standard
    input, opened with ``closefd=False``), and its copy of the pipe that tells a child its
    parent is gone (:func:`multiprocessing.parent_process`'s ``sentinel``): a worker hears
    that from its connection instead, which ends when the parent does. Measured in December
    2026: a pool of one then builds a brief's web page under ``ulimit -n`` 15, where it
    needed 17; the same brief built in the ``briefpress`` process itself needs 12 (the
    three left are the worker's connection, the spawn's exit sentinel and the resource
    tracker's pipe, which the pool needs). Nothing in a worker asks
    :func:`multiprocessing.parent_process` anything after this: its sentinel's number may
    name another file by then."""
    stdin, sys.stdin = sys.stdin, None  # as for a process started without one: no job reads it
    with contextlib.suppress(AttributeError, OSError, ValueError):  # none, or closed
        if stdin.fileno() > 2:  # multiprocessing's own, not a descriptor the worker inherited
            os.close(stdin.fileno())
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        with contextlib.suppress(OSError):
            os.close(parent.sentinel)


def _serve(connection: Connection, warm: tuple[str, ...]) -> None:
    """A worker's life: import the slow modules once, then run jobs until told to stop."""
    # Ctrl-C in a terminal reaches the whole process group; the parent decides what stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _close_spare_descriptors()
    for module in warm:
        importlib.import_module(module)
    connection.send("ready")
    while True:
        try:
            call = connection.recv()
        except (EOFError, OSError):
            return
        if call is None:
            return
        fn, args, kwargs = call
        try:
            answer: tuple[bool, Any] = (True, fn(*args, **kwargs))
        except Exception as exc:
            answer = (False, exc)
        try:
            connection.send(answer)
        except Exception as exc:  # an answer that cannot be pickled
            connection.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        del call, fn, args, kwargs, answer  # nothing of a job outlives it in the worker

