"""A catalog built on a Dask cluster (`briefpress build --scheduler`) against one built here.

One ``LocalCluster`` on 127.0.0.1 serves the module: two Dask workers, each a process of
its own under a nanny, as ``dask worker`` runs them, with the one setting docs/catalog.md
asks of real workers (``distributed.worker.daemon: False``: a daemonic Dask worker may not
start the pool of briefpress processes that holds each brief to its limits). The workers'
working directory is not the project's, so the build must send them where each brief is.
Each build is ``briefpress build`` as a process of its own, in a project of two briefs, as
many as the workers (what a pool's process does with several briefs in a row, the same on
a Dask worker as here, is end_to_end/test_catalog.py's to show).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path

import dask
import psutil
import pytest
from distributed import Client, LocalCluster

from briefpress.build import build, result_of
from briefpress.model.options import RenderOptions
from briefpress.run.cluster import CONNECT_SECONDS, _ClusterExecutor
from briefpress.run.pool import WorkerCrashed
from briefpress.support.files import file_version
from briefpress.support.locking import brief_lock
from conftest import ARCTIC, edit, seeded_cache

pytestmark = pytest.mark.slow

SLUGS = ("arctic-a", "arctic-b")


@dataclass
class Project:
    root: Path
    env: dict[str, str]
    cluster: subprocess.CompletedProcess[str] | None = None
    """The cold build on the cluster."""

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "briefpress.cli", "build", *args],
                              cwd=self.root, env=self.env, capture_output=True, text=True,
                              check=False, timeout=300)

    def files(self, build: str) -> dict[str, bytes]:
        """Every file a build wrote below ``build`` (the briefs' locks aside)."""
        out = self.root / build
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                if p.is_file() and p.name != ".lock"}


@dataclass
class Cluster:
    address: str
    workers: list[psutil.Process]
    """The Dask workers' processes."""

    def pools(self) -> list[psutil.Process]:
        """The briefpress processes the Dask workers started."""
        return [child for worker in self.workers for child in worker.children(recursive=True)]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> Path:
    """The font and Word caches, shared by this machine and the workers (as a shared volume
    would be), with the house faces already in it: whoever needs another file first makes
    it."""
    return seeded_cache(tmp_path_factory.mktemp("cache"), warm_cache)


@pytest.fixture(scope="module")
def cluster(cache: Path) -> Iterator[Cluster]:
    with dask.config.set({"distributed.worker.daemon": False}), LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, protocol="tcp",
            host="127.0.0.1", dashboard_address="127.0.0.1:0",  # any free port, not 8787
            env={"BRIEFPRESS_CACHE": str(cache)}) as local, Client(local) as client:
        workers = [psutil.Process(pid) for pid in client.run(os.getpid).values()]
        running = Cluster(local.scheduler_address, workers)
        yield running
        started = running.pools()
    # closing the cluster closed every process the Dask workers started, and the workers
    _, alive = psutil.wait_procs(started + workers, timeout=15)
    assert alive == []


@pytest.fixture(scope="module")
def scheduler(cluster: Cluster) -> str:
    return cluster.address


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, scheduler: str, cache: Path) -> Project:
    """The two briefs built here (into local/) and on the cluster (build/).

    Here is this process (``build``: ``build_all`` with no pool, as `briefpress build`
    builds a single brief), with the command's default options and formats (every
    edition), without the seconds a command and its warm worker take to start. The
    cluster's Dask workers build in pools, so the comparison also holds a pool's build to
    this process's, byte for byte; end_to_end/test_catalog.py holds ``--jobs 1`` to
    ``--jobs 2``."""
    root = tmp_path_factory.mktemp("catalog")
    for slug in SLUGS:
        shutil.copytree(ARCTIC, root / "content" / slug)
    env = {**os.environ, "BRIEFPRESS_CACHE": str(cache)}
    project = Project(root, env)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)  # its content/, as the command's working directory
        patch.setenv("BRIEFPRESS_CACHE", str(cache))
        build(list(SLUGS), ["pdf", "docx", "html"], RenderOptions(), build_dir=root / "local")
    project.cluster = project.run("--scheduler", scheduler)
    return project


def test_a_catalog_built_on_the_cluster_equals_one_built_here(built: Project,
                                                              cluster: Cluster) -> None:
    result = built.cluster
    assert result is not None and result.returncode == 0, result and result.stderr
    assert "2 built, 0 up to date, 0 failed" in result.stderr
    here, there = built.files("local"), built.files("build")
    assert sorted(there) == sorted(here)
    for slug in SLUGS:
        assert {f"{slug}/{slug}.pdf", f"{slug}/{slug}.docx", f"{slug}/index.html"} <= set(there)
    assert [name for name in here if here[name] != there[name]] == []
    # each Dask worker that built a brief keeps its pool of briefpress processes warm
    assert cluster.pools()


def test_an_unchanged_catalog_is_up_to_date_on_the_cluster(built: Project,
                                                            scheduler: str) -> None:
    before = built.files("build")
    again = built.run("--scheduler", scheduler)
    assert again.returncode == 0, again.stderr
    for slug in SLUGS:
        assert f"{slug}: pdf, docx, html up to date" in again.stderr
    assert "0 built, 2 up to date, 0 failed" in again.stderr
    assert built.files("build") == before
    # the cluster's record is this machine's: a local build of its output has nothing to do
    here = built.run("--jobs", "1")
    assert here.returncode == 0 and "0 built, 2 up to date" in here.stderr, here.stderr


def test_a_brief_that_fails_on_the_cluster_fails_alone(built: Project, scheduler: str,
                                                       tmp_path: Path) -> None:
    project = Project(tmp_path / "project", built.env)
    shutil.copytree(built.root, project.root)
    before = project.files("build")
    edit(project.root / "content" / "arctic-b" / "recommendations.yaml",
         "areas:\n", "areas: [\n")
    result = project.run("--scheduler", scheduler)
    assert result.returncode == 1, result.stderr
    assert "content/arctic-b/recommendations.yaml:3: error: malformed YAML" in result.stderr
    assert "Traceback" not in result.stderr
    assert "briefpress: 1 of 2 briefs failed: arctic-b" in result.stderr
    assert "arctic-a: pdf, docx, html up to date" in result.stderr
    # the failed brief's earlier editions stay as they were
    after = project.files("build")
    assert {n: after[n] for n in after if n.startswith("arctic-b/")} == \
        {n: before[n] for n in before if n.startswith("arctic-b/")}


def test_an_unreachable_scheduler_is_one_message(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens at
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    shutil.copytree(ARCTIC, tmp_path / "content" / ARCTIC.name)
    project = Project(tmp_path, {**os.environ, "BRIEFPRESS_CACHE": str(tmp_path / "cache")})
    for address, reason in ((f"tcp://127.0.0.1:{port}", "Connection refused"),
                            ("127.0.0.1", "missing port number")):
        started = time.monotonic()
        result = project.run("--scheduler", address)
        assert time.monotonic() - started < CONNECT_SECONDS
        assert result.returncode == 2
        assert result.stderr.startswith(
            f"--scheduler: error: cannot reach the Dask scheduler at {address!r}: ")
        assert reason in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / "build").exists()


def test_workers_with_another_source_date_epoch_build_nothing(built: Project, scheduler: str,
                                                              tmp_path: Path) -> None:
    project = Project(tmp_path / "project", dict(built.env))
    shutil.copytree(built.root, project.root)
    before = project.files("build")
    theirs = os.environ.get("SOURCE_DATE_EPOCH", "").strip()  # the workers' environment
    ours = "1700000001" if theirs == "1700000000" else "1700000000"
    project.env["SOURCE_DATE_EPOCH"] = ours
    result = project.run("--scheduler", scheduler)
    assert result.returncode == 1, result.stderr
    assert f"has SOURCE_DATE_EPOCH={theirs!r}, this build {ours!r}" in result.stderr
    assert "2 of 2 briefs failed" in result.stderr and "Traceback" not in result.stderr
    after = project.files("build")
    for slug in SLUGS:  # (the catalog page is this machine's to write)
        assert {n: after[n] for n in after if n.startswith(f"{slug}/")} == \
            {n: before[n] for n in before if n.startswith(f"{slug}/")}


def _holding(processes: list[psutil.Process], path: Path) -> psutil.Process | None:
    """The process that has ``path`` open, if one has."""
    for process in processes:
        try:
            if any(Path(f.path) == path for f in process.open_files()):
                return process
        except psutil.Error:
            continue
    return None


def test_ctrl_c_stops_the_job_running_on_the_cluster(built: Project, cluster: Cluster,
                                                     tmp_path: Path) -> None:
    """A terminal's Ctrl-C of `briefpress build --scheduler` while a brief builds on a Dask
    worker (arctic-b's job, held at its lock by this test): its pool process is killed
    within a couple of seconds, a warm one takes its place, and the last lines name
    exactly the files the build replaced (arctic-a's page, built on the other Dask worker),
    none as possibly still building. The two briefs' web pages are deleted beforehand, and
    only those are built again (what a job makes does not matter to its stop; --force would
    build every edition)."""
    project = Project(tmp_path / "project", built.env)
    shutil.copytree(built.root, project.root)
    out = project.root / "build"

    def versions() -> dict[Path, object]:
        # (the briefs' own records and locks aside: an interrupt lists editions and pages)
        return {p: file_version(p) for p in out.rglob("*")
                if p.is_file() and not any(part.startswith(".")
                                           for part in p.relative_to(out).parts)}

    for slug in SLUGS:
        (out / slug / "index.html").unlink()
    before = versions()
    with brief_lock(out, "arctic-b"):
        process = subprocess.Popen(
            [sys.executable, "-m", "briefpress.cli", "build", "--scheduler", cluster.address],
            cwd=project.root, env=project.env, stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL, start_new_session=True, text=True)
        said = []
        try:
            assert process.stderr is not None
            for line in process.stderr:  # arctic-a, on a Dask worker
                said.append(line)
                if ": built " in line:
                    break
            deadline = time.monotonic() + 60
            while (held := _holding(cluster.pools(), out / "arctic-b" / ".lock")) is None:
                assert time.monotonic() < deadline, "".join(said)
                time.sleep(0.1)
            dask_worker = held.parent()
            started = time.monotonic()
            os.killpg(process.pid, signal.SIGINT)
            _, alive = psutil.wait_procs([held], timeout=2)
            assert alive == [], f"still running {time.monotonic() - started:.1f} s after"
            said.append(process.communicate(timeout=60)[1])
            assert time.monotonic() - started < 10  # (0.4 s here: the client's closing)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    err = "".join(said)
    assert process.returncode == 130, err
    assert "sent to the cluster" not in err and "Traceback" not in err, err
    lines = err.splitlines()
    heading = "briefpress: interrupted; replaced before the interrupt (complete, new):"
    listed = {project.root / line.strip()
              for line in lines[lines.index(heading) + 1:] if line.startswith("  ")}
    now = versions()
    assert listed == {p for p in {*before, *now} if before.get(p) != now.get(p)}, err
    assert listed and not [p for p in listed if p.parent.name == "arctic-b"]
    # the Dask worker's pool stays warm: a fresh process took the killed one's place
    deadline = time.monotonic() + 10
    while held.pid in [p.pid for p in dask_worker.children()] or not dask_worker.children():
        assert time.monotonic() < deadline
        time.sleep(0.1)


class _Died(Exception):
    """Stands in for distributed.KilledWorker (made by the scheduler, not by hand)."""


class _Held(Executor):
    """An executor whose jobs end as the test says."""

    def __init__(self) -> None:
        self.jobs: list[Future[object]] = []

    def submit(self, fn: Callable[..., object], /, *args: object,
               **kwargs: object) -> Future[object]:
        self.jobs.append(Future())
        return self.jobs[-1]


def test_a_job_the_cluster_loses_fails_its_brief_alone() -> None:
    """A job whose Dask workers kept dying, or that the client lost with its scheduler,
    fails its own brief with a message; it does not end the build with a traceback."""
    held = _Held()
    cluster = _ClusterExecutor(held, lambda fn: fn, _Died)
    killed, dropped, built = (cluster.submit(print, name)
                              for name in ("arctic-a", "arctic-b", "arctic-c"))
    held.jobs[0].set_exception(_Died("its workers died three times"))
    assert held.jobs[1].cancel()  # what the client does to its futures when it loses them
    held.jobs[2].set_result("arctic-c built")
    assert built.result() == "arctic-c built"
    for answer, name, why in ((killed, "arctic-a", "every Dask worker that ran it died "
                               "(its workers died three times)"),
                              (dropped, "arctic-b", "the cluster dropped the job")):
        assert isinstance(answer.exception(), WorkerCrashed)
        result = result_of(answer, name)
        assert result.failed and result.exit_code == 2
        assert f"the process building this brief died: {why}" in str(result.errors[0])


class _ClientLike(_Held):
    """As distributed's ClientExecutor: its shutdown takes ``wait`` alone, and without
    waiting cancels every job it has (Client.cancel)."""

    waited: bool | None = None

    def submit(self, fn: Callable[..., object], /, *args: object,
               **kwargs: object) -> Future[object]:
        job = super().submit(fn, *args, **kwargs)
        if args[0] == "arctic-a":  # the first brief is done at once
            from briefpress.build import BriefResult

            job.set_result(BriefResult("arctic-a", "arctic-a"))
        return job

    def shutdown(self, wait: bool = True) -> None:  # type: ignore[override]
        self.waited = wait
        for job in self.jobs:
            job.cancel()


@pytest.mark.parametrize("stopped", [True, False])
def test_ctrl_c_stops_and_cancels_the_jobs_the_cluster_has_not_finished(
        tmp_path: Path, stopped: bool) -> None:
    """The flag Ctrl-C sets, seen as the first brief comes back: every job not finished is
    cancelled, then those under way are stopped on the Dask workers; the interrupt names
    the briefs only when a worker did not say its jobs were stopped."""
    import threading

    from briefpress.build import build_all
    from briefpress.errors import Interrupted

    held = _ClientLike()
    asked: list[bool | None] = []

    def stop_running() -> bool:
        asked.append(held.waited)  # after the cancel
        return stopped

    stop = threading.Event()
    stop.set()
    with pytest.raises(Interrupted) as caught:
        build_all(["arctic-a", "arctic-b"], ["html"], build_dir=tmp_path, stop=stop,
                  executor=_ClusterExecutor(held, lambda fn: fn, _Died, stop_running))
    assert asked == [False]
    assert held.waited is False and held.jobs[1].cancelled()
    assert caught.value.running == ([] if stopped else ["arctic-b"])
