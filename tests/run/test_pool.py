"""WorkerPool: results, warm workers, each job's time and memory limit, crashes, clean ends."""

from __future__ import annotations

import errno
import multiprocessing
import time
from concurrent.futures import as_completed
from pathlib import Path

import psutil
import pytest
from tests.run.pool_jobs import (
    crash,
    descriptors,
    fail,
    hold,
    pid_and_modules,
    sleep,
    spawn_child,
    square,
    wait_for,
)

from briefpress.errors import WorkerUnavailable
from briefpress.run.pool import JobStopped, LimitExceeded, WorkerCrashed, WorkerPool


def test_results_come_back_in_their_futures() -> None:
    with WorkerPool(2) as pool:
        futures = [pool.submit(square, n) for n in range(10)]
        assert [f.result(timeout=60) for f in futures] == [n * n for n in range(10)]


def test_workers_stay_warm_and_import_their_modules_once() -> None:
    with WorkerPool(1, warm=["colorsys"]) as pool:
        answers = [pool.submit(pid_and_modules).result(timeout=60) for _ in range(3)]
    assert len({pid for pid, _ in answers}) == 1  # the same process ran every job
    assert all(imported for _, imported in answers)


def test_a_worker_retires_after_its_share_of_jobs() -> None:
    with WorkerPool(1, jobs_per_worker=3) as pool:
        pids = [pool.submit(pid_and_modules).result(timeout=60)[0] for _ in range(7)]
    assert [len(set(pids[i:i + 3])) for i in (0, 3, 6)] == [1, 1, 1]
    assert len(set(pids)) == 3


def test_a_job_over_its_time_limit_fails_alone_within_the_limit() -> None:
    with WorkerPool(2, seconds=1.0) as pool:
        slow = pool.submit(sleep, 60)
        started = time.monotonic()
        quick = [pool.submit(square, n) for n in range(5)]
        with pytest.raises(LimitExceeded, match="over the limit of 1 s") as info:
            slow.result(timeout=30)
        assert time.monotonic() - started < 1.0 + 2.0
        assert info.value.kind == "time"
        assert [f.result(timeout=60) for f in quick] == [n * n for n in range(5)]
        assert pool.submit(square, 7).result(timeout=60) == 49  # a fresh worker took its place


def test_a_job_over_its_memory_limit_fails_alone() -> None:
    with WorkerPool(2, memory_mb=400) as pool:
        big = pool.submit(hold, 600, 30)
        small = pool.submit(hold, 20, 0.1)
        with pytest.raises(LimitExceeded, match="over the limit of 400 MB") as info:
            big.result(timeout=60)
        assert info.value.kind == "memory"
        assert small.result(timeout=60) == 20 * 2**20


def test_a_crashed_worker_fails_only_its_job_and_is_replaced() -> None:
    with WorkerPool(2) as pool:
        futures = {pool.submit(crash): "crash", **{pool.submit(square, n): n for n in range(6)}}
        for future in as_completed(futures):
            if futures[future] == "crash":
                with pytest.raises(WorkerCrashed, match="SIGSEGV"):
                    future.result()
            else:
                assert future.result() == futures[future] ** 2


def test_a_job_s_own_exception_comes_back_as_raised() -> None:
    with WorkerPool(1) as pool:
        with pytest.raises(ValueError, match="the job's own error"):
            pool.submit(fail).result(timeout=60)
        assert pool.submit(square, 3).result(timeout=60) == 9  # the worker lives on


def test_a_stopped_job_takes_the_processes_it_started_with_it(tmp_path, monkeypatch) -> None:
    pid_file = tmp_path / "child"
    monkeypatch.setenv("CHILD_PID_FILE", str(pid_file))
    # 1 s, which the test waits out: the job starts its child within milliseconds of its
    # start (a fork and an exec: 2 to 25 ms, measured at a load of 11 on 2 cores), well
    # inside the limit, which counts from the job's start, not from its worker's warm-up
    with WorkerPool(1, seconds=1) as pool, pytest.raises(LimitExceeded):
        pool.submit(spawn_child, 60).result(timeout=60)
    try:
        child = psutil.Process(int(pid_file.read_text()))
    except psutil.NoSuchProcess:
        return  # killed and reaped already
    _, alive = psutil.wait_procs([child], timeout=10)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def test_no_worker_outlives_the_pool() -> None:
    with WorkerPool(2) as pool:
        futures = [pool.submit(pid_and_modules) for _ in range(6)]
        workers = [psutil.Process(pid) for pid in {f.result(timeout=60)[0] for f in futures}]
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)


def test_a_worker_that_cannot_start_fails_the_jobs_instead_of_restarting_for_ever() -> None:
    with WorkerPool(1, warm=["briefpress_no_such_module"]) as pool:
        futures = [pool.submit(square, n) for n in range(3)]
        for future in futures:
            with pytest.raises(WorkerCrashed, match="exit status 1"):
                future.result(timeout=60)


def test_stop_kills_one_job_and_its_processes_and_the_pool_stays_warm(
        tmp_path, monkeypatch) -> None:
    """What a cluster's Ctrl-C asks of a Dask worker's pool: the one job under way ends at
    once with every process it started, a job not started never starts, the other job
    runs on, and a warm worker takes the killed one's place."""
    pid_file = tmp_path / "child"
    monkeypatch.setenv("CHILD_PID_FILE", str(pid_file))
    go_on = tmp_path / "go-on"
    with WorkerPool(2, warm=["colorsys"]) as pool:
        other = pool.submit(wait_for, str(go_on))  # runs until the test says so
        try:
            doomed = pool.submit(spawn_child, 60)
            queued = pool.submit(square, 3)
            while not pid_file.exists():
                time.sleep(0.01)
            worker = psutil.Process(int(pid_file.read_text())).parent()
            child = psutil.Process(int(pid_file.read_text()))
            started = time.monotonic()
            pool.stop(queued)
            pool.stop(doomed)
            with pytest.raises(JobStopped):
                doomed.result(timeout=10)
            assert time.monotonic() - started < 1.0
            assert queued.cancelled()
            assert not worker.is_running()  # killed and reaped
            # the child was sent SIGKILL with its worker; a loaded machine may take a moment to
            # end it (then init reaps it, or it stays a zombie of no one's)
            _, alive = psutil.wait_procs([child], timeout=2)
            assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
            assert not other.done()  # still running, through the other's stop
        finally:  # also when an assertion above fails: the pool's shutdown would
            go_on.touch()  # otherwise wait out the job's 60 s before the test ends
        assert other.result(timeout=60) == "woke"
        pool.stop(other)  # done already: left as it is
        assert other.result() == "woke"
        # the fresh worker was started at once: warm before any job asked for it
        pids = {pool.submit(pid_and_modules).result(timeout=60) for _ in range(4)}
        assert worker.pid not in {pid for pid, _ in pids} and all(w for _, w in pids)


def test_cancelled_jobs_never_run(tmp_path) -> None:
    pool = WorkerPool(1)
    go_on = tmp_path / "go-on"
    first = pool.submit(wait_for, str(go_on))
    queued = [pool.submit(square, n) for n in range(5)]
    # the first job ends once the shutdown has cancelled the last of the others (as it
    # cancels them: the callback runs in this thread, within the shutdown)
    queued[-1].add_done_callback(lambda future: go_on.touch())
    while not first.running():
        time.sleep(0.01)
    pool.shutdown(wait=True, cancel_futures=True)
    assert first.result() == "woke"
    assert all(f.cancelled() for f in queued)
    with pytest.raises(RuntimeError):
        pool.submit(square, 1)


def test_terminate_stops_at_once_and_leaves_no_process(tmp_path, monkeypatch) -> None:
    """What Ctrl-C asks of a build: the job under way is not waited for (its worker and
    the processes it started are killed), the jobs not started never start."""
    pid_file = tmp_path / "child"
    monkeypatch.setenv("CHILD_PID_FILE", str(pid_file))
    pool = WorkerPool(1)
    first = pool.submit(spawn_child, 60)
    queued = [pool.submit(square, n) for n in range(5)]
    while not pid_file.exists():
        time.sleep(0.01)
    child = psutil.Process(int(pid_file.read_text()))
    started = time.monotonic()
    pool.terminate()
    assert time.monotonic() - started < 5
    with pytest.raises(WorkerCrashed):
        first.result(timeout=0)
    assert all(f.cancelled() for f in queued)
    _, alive = psutil.wait_procs([child], timeout=10)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


class _Refusing:
    """A spawn context that starts ``allowed`` processes, then refuses the next ones as a
    machine out of open files does."""

    def __init__(self, allowed: int) -> None:
        self.real = multiprocessing.get_context("spawn")
        self.allowed = allowed

    def Pipe(self, *args: object, **kwargs: object):
        return self.real.Pipe(*args, **kwargs)

    def Process(self, *args: object, **kwargs: object):
        process = self.real.Process(*args, **kwargs)
        if self.allowed <= 0:
            def refuse() -> None:
                raise OSError(errno.EMFILE, "Too many open files")
            process.start = refuse
        self.allowed -= 1
        return process


def test_a_pool_the_machine_allows_fewer_workers_goes_on_with_those() -> None:
    with WorkerPool(2) as pool:
        pool._context = _Refusing(1)  # before any worker starts: they start on submit
        futures = [pool.submit(pid_and_modules) for _ in range(4)]
        assert len({f.result(timeout=60)[0] for f in futures}) == 1
        assert pool._context.allowed < 0  # a second worker was asked for, and refused


def test_a_pool_the_machine_allows_no_worker_fails_its_jobs_with_the_reason() -> None:
    with WorkerPool(2) as pool:
        pool._context = _Refusing(0)
        futures = [pool.submit(square, n) for n in range(3)]
        for future in futures:
            with pytest.raises(WorkerUnavailable, match=r"Errno 24\] Too many open files"):
                future.result(timeout=60)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="lists /proc/self/fd")
def test_a_worker_holds_no_descriptor_it_has_no_use_for() -> None:
    """Besides the standard three, a worker holds its connection, the pipe whose end tells
    the pool it died and the one to multiprocessing's resource tracker: not the /dev/null
    that multiprocessing opens for a child's stdin, nor its copy of the pipe that tells a
    child its parent is gone (each one an open file less under ``ulimit -n``)."""
    with WorkerPool(1) as pool:
        has_stdin, found = pool.submit(descriptors).result(timeout=60)
    assert not has_stdin
    assert found == ["pipe", "pipe", "socket"]
