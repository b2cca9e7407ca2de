"""A brief's job on a Dask worker (run/cluster_worker.py): the epoch check, the worker's
own warm pool of briefpress processes, and the pools closed with the worker.

The Dask worker runs in this process (a LocalCluster of threads, no nanny): its jobs and
pools are those a separate worker would run, without the seconds a cluster of processes
takes to start. Each pool process is a child of this process, found with psutil.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from distributed import Client, LocalCluster

from briefpress.build import BriefJob, BriefResult
from briefpress.errors import Problem
from briefpress.model.options import RenderOptions
from briefpress.run.cluster_worker import (
    ClosePools,
    Isolated,
    close_pools,
    source_epoch,
    stop_build,
)
from briefpress.support.locking import brief_lock


@pytest.fixture
def client() -> Iterator[Client]:
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as connected:
        connected.register_plugin(ClosePools())  # no pool outlives its test, even a failed one
        yield connected


def _address(client: Client) -> str:
    [address] = client.scheduler_info()["workers"]
    return address


def _pool_processes() -> list[psutil.Process]:
    """The processes of this process's WorkerPools (multiprocessing's spawned children)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if any("spawn_main" in part for part in child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


def _run(client: Client, job: BriefJob, name: str, epoch: str, build: str = "") -> BriefResult:
    return client.submit(Isolated(job, epoch=epoch, build=build), name,
                         pure=False).result(timeout=120)


def test_source_epoch_is_the_variable_stripped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_epoch() == ""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 1700000000\n")
    assert source_epoch() == "1700000000"


def test_a_worker_with_another_epoch_builds_nothing(client: Client, scratch: Callable[..., Path],
                                                    tmp_path: Path) -> None:
    folder = scratch()
    theirs = source_epoch()  # the Dask worker's: this process's environment
    ours = "1700000001" if theirs == "1700000000" else "1700000000"
    job = BriefJob(["html"], RenderOptions(), tmp_path / "build")
    result = _run(client, job, str(folder), ours)
    assert (result.name, result.exit_code, result.built) == (str(folder), 2, [])
    assert result.errors == [Problem(
        "--scheduler", None, f"the Dask worker at {_address(client)} has "
        f"SOURCE_DATE_EPOCH={theirs!r}, this build {ours!r}",
        "set the same SOURCE_DATE_EPOCH (or none) for the workers as for the build "
        "(see docs/catalog.md)")]
    assert not (tmp_path / "build").exists() and _pool_processes() == []


def test_jobs_run_in_one_warm_pool_per_worker_until_it_is_closed(
        client: Client, scratch: Callable[..., Path], tmp_path: Path, warm_cache: Path) -> None:
    folders = [scratch(slug=f"brief-{n}") for n in range(3)]
    html = BriefJob(["html"], RenderOptions(), tmp_path / "build")
    docx = BriefJob(["docx"], RenderOptions(), tmp_path / "build")
    first = _run(client, html, str(folders[0]), source_epoch())
    assert (first.built, first.errors) == (["html"], [])
    assert (tmp_path / "build" / "brief-0" / "index.html").is_file()
    [pool] = _pool_processes()
    # the next job, of another format that warms no other engine, goes to the same process
    second = _run(client, docx, str(folders[1]), source_epoch())
    assert second.built == ["docx"] and _pool_processes() == [pool]
    close_pools("tcp://127.0.0.1:1")  # another worker's: this one's pool stays
    assert _pool_processes() == [pool]
    close_pools(_address(client))
    assert psutil.wait_procs([pool], timeout=15)[1] == [] and _pool_processes() == []
    # a job after that starts a fresh pool
    third = _run(client, html, str(folders[2]), source_epoch())
    assert third.built == ["html"] and len(_pool_processes()) == 1
    close_pools(_address(client))
    assert psutil.wait_procs(_pool_processes(), timeout=15)[1] == []


def test_the_pools_close_with_their_dask_worker(scratch: Callable[..., Path],
                                               tmp_path: Path) -> None:
    job = BriefJob(["html"], RenderOptions(), tmp_path / "build")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
        client.register_plugin(ClosePools())
        client.register_plugin(ClosePools())  # every build registers it; one stays
        assert _run(client, job, str(scratch()), source_epoch()).built == ["html"]
        started = _pool_processes()
        assert len(started) == 1
    _, alive = psutil.wait_procs(started, timeout=15)
    assert alive == [] and _pool_processes() == []


def test_a_job_that_warms_another_engine_gets_a_pool_of_its_own(client: Client,
                                                                tmp_path: Path) -> None:
    html = BriefJob(["html"], RenderOptions(), tmp_path / "build")
    pdf = BriefJob(["pdf", "html"], RenderOptions(), tmp_path / "build")
    missing = str(tmp_path / "no-such-brief")  # fails in its pool at once: no build to wait for
    for job in (html, pdf, html, pdf):
        result = _run(client, job, missing, source_epoch())
        assert result.exit_code == 2 and "no brief named" in result.errors[0].message
    assert len(_pool_processes()) == 2


def test_stop_build_stops_its_job_under_way_and_keeps_the_pool_warm(
        client: Client, scratch: Callable[..., Path], tmp_path: Path) -> None:
    """What a Ctrl-C of the build asks of each Dask worker (Client.run): the build's job
    under way (held at its brief's lock by this test) ends within a second with its pool
    process, a fresh process takes its place, and a job of that build that starts
    afterwards builds nothing; another build's jobs are not touched."""
    folder = scratch()
    job = BriefJob(["html"], RenderOptions(), tmp_path / "build")
    lock = tmp_path / "build" / folder.name / ".lock"
    with brief_lock(tmp_path / "build", folder.name):
        running = client.submit(Isolated(job, epoch=source_epoch(), build="interrupted"),
                                str(folder), pure=False)
        deadline = time.monotonic() + 60
        while not [p for p in _pool_processes()
                   if any(Path(f.path) == lock for f in p.open_files())]:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        [pool] = _pool_processes()
        assert client.run(stop_build, "another") == {_address(client): 0}
        assert not running.done()
        started = time.monotonic()
        assert client.run(stop_build, "interrupted") == {_address(client): 0}
        assert time.monotonic() - started < 1.0 and not pool.is_running()
        result = running.result(timeout=30)
        assert result.exit_code == 2 and result.built == []
        assert result.errors[0].message == (
            "building this brief was stopped: its process was killed on request")
        late = _run(client, job, str(folder), source_epoch(), build="interrupted")
        assert late.errors[0].message == ("building this brief was stopped: the build was "
                                          "interrupted")
        [fresh] = _pool_processes()
        assert fresh.pid != pool.pid
    # the fresh process builds the next brief
    assert _run(client, job, str(folder), source_epoch()).built == ["html"]
    assert _pool_processes() == [fresh]
    close_pools(_address(client))


def test_a_job_stopped_as_its_pool_starts_builds_nothing(client: Client,
                                                          scratch: Callable[..., Path],
                                                          tmp_path: Path) -> None:
    """A stop as the job reaches a Dask worker whose pool is not warm yet (its job waiting
    for the first process to import its engines) gives a stopped result, not an error."""
    folder = scratch()
    job = BriefJob(["pdf"], RenderOptions(), tmp_path / "build")
    running = client.submit(Isolated(job, epoch=source_epoch(), build="early"), str(folder),
                            pure=False)
    while not _pool_processes():  # the pool's first process is starting
        time.sleep(0.01)
    assert client.run(stop_build, "early") == {_address(client): 0}
    result = running.result(timeout=60)
    assert result.built == [] and result.errors[0].message == (
        "building this brief was stopped: the build was interrupted before it started")
    assert not (tmp_path / "build" / folder.name / f"{folder.name}.pdf").exists()
    close_pools(_address(client))
