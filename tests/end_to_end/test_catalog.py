"""Catalog builds from the command line: what is up to date is not rebuilt, briefs build in
worker processes, and a brief that fails, runs away or crashes its worker fails alone."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import psutil
import pytest
from tests.conftest import ARCTIC, edit

from briefpress.support.cache import RECORD
from briefpress.support.locking import brief_lock

pytestmark = pytest.mark.slow

BRIEFPRESS = str(Path(sys.executable).parent / "briefpress")
NESTED = "[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]] "
"""Brackets nested 16 deep: pandoc's time on them grows exponentially (minutes)."""


class Catalog:
    """A project folder with content/ of ``count`` briefs, each a retitled copy of the
    Arctic fixture brief, built with the briefpress command (its cache: ``cache``, else a
    cold one of its own)."""

    def __init__(self, root: Path, count: int, cache: Path | None = None) -> None:
        self.root = root
        self.env = {**os.environ, "BRIEFPRESS_CACHE": str(cache or root / "cache")}
        for index in range(count):
            folder = root / "content" / f"brief-{index:03d}"
            shutil.copytree(ARCTIC, folder)
            edit(folder / "brief.md", 'title: "Shipping Lanes', f'title: "{index}: Shipping Lanes')

    def folder(self, index: int) -> Path:
        return self.root / "content" / f"brief-{index:03d}"

    def run(self, *args: str, limit_files: int | None = None, **env: str
            ) -> subprocess.CompletedProcess[str]:
        return subprocess.run([BRIEFPRESS, "build", *args], cwd=self.root, text=True,
                              capture_output=True, env={**self.env, **env}, timeout=600,
                              preexec_fn=_open_files(limit_files) if limit_files else None)

    def outputs(self, build: str = "build") -> dict[str, bytes]:
        """Every file of a build folder except its locks and records."""
        out = self.root / build
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
                if p.is_file() and p.name not in (".lock", RECORD)}

    def copy(self, root: Path) -> Catalog:
        """This project, its build folders and all, copied to ``root``: as up to date there
        as here (a build's records name each file by its path below the brief's folder and
        the brief's folder relative to the build folder, and the keys hash contents, not
        places)."""
        shutil.copytree(self.root, root)
        copied = Catalog(root, 0)
        copied.env = dict(self.env)
        return copied


class Built(NamedTuple):
    """The module's catalog of 4 briefs built once, as a test's first build was."""

    catalog: Catalog
    result: subprocess.CompletedProcess[str]
    """``briefpress build --jobs 2``: every edition of every brief, from nothing."""


def _open_files(limit: int):
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
    return limited


@pytest.fixture
def catalog(tmp_path: Path, warm_cache: Path) -> Catalog:
    return Catalog(tmp_path, 4, warm_cache)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> Built:
    """The first build of a catalog, which several tests make alike: made once (a whole
    pool build of 4 briefs, every edition); a test that changes the project or its build
    works on its own copy (:meth:`Catalog.copy`), and none writes here."""
    catalog = Catalog(tmp_path_factory.mktemp("built"), 4, warm_cache)
    result = catalog.run("--jobs", "2")
    assert result.returncode == 0, result.stderr
    return Built(catalog, result)


def test_an_unchanged_catalog_is_up_to_date_and_an_edit_rebuilds_one_brief(
        built: Built, tmp_path: Path) -> None:
    first = built.result
    assert first.returncode == 0, first.stderr
    assert "4 brief(s): 4 built, 0 up to date, 0 failed" in first.stderr
    catalog = built.catalog.copy(tmp_path / "catalog")
    outputs = catalog.outputs()
    page = catalog.root / "build" / "index.html"
    page_time = page.stat().st_mtime_ns
    records = {p: p.read_bytes() for p in (catalog.root / "build").glob(f"*/{RECORD}")}

    again = catalog.run("--jobs", "2")
    assert "4 brief(s): 0 built, 4 up to date, 0 failed" in again.stderr
    assert catalog.outputs() == outputs
    assert page.stat().st_mtime_ns == page_time  # the catalog page was not written again
    # nor a record: they name the briefs' folders relative to the build folder
    assert len(records) == 4 and all(p.read_bytes() == data for p, data in records.items())

    edit(catalog.folder(2) / "brief.md", "quadrupled in five years", "quadrupled in six years")
    edited = catalog.run("--jobs", "2")
    assert "[" in edited.stderr and "brief-002: built pdf, docx, html" in edited.stderr
    assert "4 brief(s): 1 built, 3 up to date, 0 failed" in edited.stderr
    changed = {name for name, data in catalog.outputs().items() if outputs.get(name) != data}
    # the catalog page and its program's page show each edition's size, which the edit may
    # have changed
    assert {name.split("/")[0] for name in changed} - {"index.html", "programs"} == {
        "brief-002"}

    # a title is on the catalog page, which a build of the web pages alone writes too
    edit(catalog.folder(1) / "brief.md", "1: Shipping Lanes", "1: Sea Lanes")
    retitled = catalog.run("--jobs", "2", "--format", "html")
    assert "4 brief(s): 1 built, 3 up to date, 0 failed" in retitled.stderr
    assert "1: Sea Lanes" in page.read_text(encoding="utf-8")


def test_a_damaged_edition_or_record_is_rebuilt_never_trusted(built: Built,
                                                             tmp_path: Path) -> None:
    # a damaged web page, not a PDF: every file of every edition is held to its hash in the
    # record alike, and a PDF, the one edition that takes a second to make, is rebuilt with
    # brief-003's record (a web page, as no other edition shows its hash, alone)
    catalog = built.catalog.copy(tmp_path / "catalog")
    outputs = catalog.outputs()
    page = catalog.root / "build" / "brief-000" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</html>", b"</htm>"))
    (catalog.root / "build" / "brief-001" / "index.html").unlink()
    (catalog.root / "build" / "brief-003" / RECORD).write_text("{ half a rec")
    result = catalog.run("--jobs", "2")
    assert "brief-000: built html; pdf, docx up to date" in result.stderr
    assert "brief-001: built html; pdf, docx up to date" in result.stderr
    assert "brief-003: built pdf, docx, html" in result.stderr
    assert "brief-002: pdf, docx, html up to date" in result.stderr
    assert catalog.outputs() == outputs  # each rebuilt edition is byte for byte the first one


def test_force_rebuilds_what_is_up_to_date(built: Built, tmp_path: Path) -> None:
    catalog = built.catalog.copy(tmp_path / "catalog")
    assert catalog.run("brief-000", "--format", "docx").stdout.startswith("up to date ")
    assert catalog.run("brief-000", "--format", "docx", "--force").stdout.startswith("built ")


def test_a_bad_brief_fails_alone_and_the_command_names_it(catalog: Catalog) -> None:
    edit(catalog.folder(1) / "brief.md", "lang: en-US", "lang: [en-US")
    # web pages only: the brief fails at its reading, before any edition
    result = catalog.run("--jobs", "2", "--format", "html")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    failed = next(n for n, line in enumerate(lines) if "] brief-001: failed (" in line)
    # the message right after the brief's line, as docs/catalog.md shows, not after the others
    assert lines[failed + 1].startswith("content/brief-001/brief.md:4: error: malformed YAML")
    assert result.stderr.rstrip().endswith("briefpress: 1 of 4 briefs failed: brief-001")
    for index in (0, 2, 3):
        assert (catalog.root / "build" / f"brief-{index:03d}" / "index.html").is_file()
    assert not (catalog.root / "build" / "brief-001").exists()


def test_a_brief_past_its_pandoc_limit_fails_alone_within_the_limit(catalog: Catalog) -> None:
    edit(catalog.folder(3) / "brief.md", "This brief proposes", NESTED + "This brief proposes")
    started = time.monotonic()
    result = catalog.run("--jobs", "2", "--format", "html", BRIEFPRESS_LIMIT_PANDOC_SECONDS="3")
    assert result.returncode == 1
    assert ("content/brief-003/brief.md: error: pandoc took longer than the limit of 3 s"
            in result.stderr)
    assert "1 of 4 briefs failed: brief-003" in result.stderr
    assert sorted(p.parent.name for p in (catalog.root / "build").glob("*/index.html")) == [
        "brief-000", "brief-001", "brief-002"]
    assert time.monotonic() - started < 60


def test_a_brief_past_its_whole_time_limit_is_stopped_with_its_pandoc(catalog: Catalog) -> None:
    """The worker pool's own limit: the worker and the pandoc it waits for are killed."""
    edit(catalog.folder(0) / "brief.md", "This brief proposes", NESTED + "This brief proposes")
    # 4 s: the other briefs' web pages take well under 1 s each (the limit counts from a
    # job's start, not from its worker's warm-up)
    result = catalog.run("--jobs", "2", "--format", "html", BRIEFPRESS_LIMIT_BRIEF_SECONDS="4")
    assert result.returncode == 1
    assert ("content/brief-000/brief.md: error: building this brief was stopped: still running "
            "after 4 s, over the limit of 4 s" in result.stderr)
    assert "BRIEFPRESS_LIMIT_BRIEF_SECONDS" in result.stderr
    assert len(list((catalog.root / "build").glob("*/index.html"))) == 3
    assert not _pandocs_in(catalog.root)


def _pandocs_in(root: Path) -> list[psutil.Process]:
    """pandoc processes working in ``root`` (a killed worker's would be orphans there)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.name() == "pandoc" and Path(process.cwd()).is_relative_to(root):
                found.append(process)
        except psutil.Error:
            continue
    return found


def test_a_worker_that_dies_fails_only_its_brief(catalog: Catalog) -> None:
    """The workers wait at the locks of brief-001 and brief-002, which this test holds, and
    the one at brief-002's is killed: a worker surely at work on a brief (not between
    briefs, nor done with its last) while brief-001's job is surely under way or waiting,
    however fast the machine builds the others. Their web pages only: what a worker makes
    does not matter to its death."""
    build = catalog.root / "build"
    lock = build / "brief-002" / ".lock"
    with brief_lock(build, "brief-001"), brief_lock(build, "brief-002"):
        command = subprocess.Popen([BRIEFPRESS, "build", "--jobs", "2", "--format", "html"],
                                   cwd=catalog.root, env=catalog.env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        victim = None
        while victim is None and time.monotonic() < deadline:
            for child in psutil.Process(command.pid).children():
                try:
                    if any(Path(f.path) == lock for f in child.open_files()):
                        victim = child
                        break
                except psutil.Error:
                    continue
            time.sleep(0.02)
        assert victim is not None
        victim.send_signal(signal.SIGKILL)
    _, stderr = command.communicate(timeout=300)
    assert command.returncode == 1
    assert ("content/brief-002/brief.md: error: the process building this brief died: "
            "killed by signal SIGKILL") in stderr
    assert "1 of 4 briefs failed: brief-002" in stderr
    assert sorted(p.parent.name for p in build.glob("*/index.html")) == [
        "brief-000", "brief-001", "brief-003"]


def test_jobs_1_past_a_worker_s_share_writes_what_jobs_2_writes(built: Built,
                                                               tmp_path: Path) -> None:
    """Four briefs, every edition, shared by two workers as they come free (the module's
    build), against one worker's build of the same that retires after its share
    (``BRIEFPRESS_LIMIT_JOBS_PER_WORKER``, 3 here): one process builds three briefs in a
    row, a fresh one takes over for the fourth, and every file is the same bytes as those
    of two workers side by side."""
    catalog = built.catalog.copy(tmp_path / "catalog")
    catalog.env["BRIEFPRESS_LIMIT_JOBS_PER_WORKER"] = "3"
    code, workers = _run_watching_workers(catalog, "--jobs", "1", "--build-dir", "one")
    assert code == 0, (catalog.root / "build.log").read_text()
    assert len(workers) == 2  # one at a time, the first retired after its third brief: 3 + 1
    one, two = catalog.outputs("one"), catalog.outputs("build")
    assert len([name for name in one if name.endswith("/index.html")
                and not name.startswith(("programs/", "series/"))]) == 4
    assert len(one) > 4 * 3 and one == two


def _run_watching_workers(catalog: Catalog, *args: str) -> tuple[int, set[int]]:
    """Run a build of every edition: its exit status, and the process ids of the pool's
    workers (the command's children that multiprocessing spawned), looked at every 250 ms.
    A worker lives for its warm-up and at least one brief's every edition, well over that
    (the warm-up alone imports the PDF's engine: 0.8 s of processor time, measured); each
    look lists every process of the machine (psutil's children), some 2 to 3 ms of
    processor time, and the build takes longer the busier the machine."""
    # its output to a file, not a pipe (one nobody reads while the build runs could fill)
    with open(catalog.root / "build.log", "w") as log:
        command = subprocess.Popen([BRIEFPRESS, "build", *args], cwd=catalog.root,
                                   env=catalog.env, stdout=log, stderr=log)
        workers: set[int] = set()
        while command.poll() is None:
            with contextlib.suppress(psutil.Error):
                for child in psutil.Process(command.pid).children():
                    with contextlib.suppress(psutil.Error):
                        if "--multiprocessing-fork" in child.cmdline():
                            workers.add(child.pid)
            time.sleep(0.25)
    return command.wait(), workers


@pytest.mark.parametrize("args", [("--jobs", "2"), ("brief-000",)], ids=["pool", "alone"])
def test_a_bad_share_of_jobs_per_worker_is_a_located_error(catalog: Catalog,
                                                           args: tuple[str, ...]) -> None:
    """Refused before anything builds, also by a build that starts no pool (a typo found
    at once, not on the day the catalog grows)."""
    result = catalog.run(*args, BRIEFPRESS_LIMIT_JOBS_PER_WORKER="0")
    assert result.returncode == 2
    assert result.stderr == (
        "BRIEFPRESS_LIMIT_JOBS_PER_WORKER: error: '0' is not a whole number of at least 1 "
        "(fix: set BRIEFPRESS_LIMIT_JOBS_PER_WORKER to a number of briefs (default 50), or "
        "unset it)\n")
    assert not (catalog.root / "build").exists()


def test_a_catalog_builds_with_few_open_files(tmp_path: Path, warm_cache: Path) -> None:
    """What a build holds open does not grow with its briefs: 15 descriptors are enough for
    2 briefs with a warm cache, and for 10 (14 are not; 17 before each worker closed the two
    it has no use for; measured in December 2026). Under a limit of 18, 3 above that, a
    leak of one descriptor a brief fails this build once a worker goes past its third
    brief: 10 briefs on two workers, whatever their share, take one of them to its fifth
    (tried: a file opened and never closed at the start of ``build_brief`` failed 4 of
    the 10, 2 a worker; one opened by the command for each brief it looks at failed all
    10; under 22, as before, the worker's leak failed 20 briefs from each worker's
    eighth). Under 64, a worker would have to build 48 briefs to show that leak (and it
    retires after 50)."""
    count = 10
    catalog = Catalog(tmp_path, count, warm_cache)
    result = catalog.run("--jobs", "2", "--format", "docx,html", limit_files=18)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(list((tmp_path / "build").glob("*/*.docx"))) == count


@pytest.mark.parametrize(("args", "fewer"), [
    (("--jobs", "2"), ", or build with fewer --jobs"),  # no worker of the two started
    (("--jobs", "1"), ""),  # one is the fewest
    (("brief-000",), ""),  # built in this process
], ids=["pool", "pool-of-one", "alone"])
def test_too_few_open_files_for_any_build_is_a_message_per_brief(
        catalog: Catalog, args: tuple[str, ...], fewer: str) -> None:
    """Under a limit of 8 open files no worker starts, and a brief built in this process
    cannot start its pandoc: each brief says so with the way out, never a traceback."""
    result = catalog.run(*args, "--format", "html", limit_files=8)
    assert result.returncode == (1 if len(args) == 2 else 2), result.stderr
    assert "Traceback" not in result.stderr
    assert ("content/brief-000/brief.md: error: the machine allowed this build no more open "
            "files or processes: [Errno 24] Too many open files (fix: raise the limit of open "
            f"files (`ulimit -n`, now 8) or of processes (`ulimit -u`){fewer})"
            in result.stderr)
    assert not (catalog.root / "build" / "brief-000" / "index.html").exists()


def test_a_worker_that_starts_but_runs_out_of_open_files_says_so_without_a_traceback(
        catalog: Catalog) -> None:
    """Under a limit of 14 open files the pool's one worker starts (its start needs 14 in
    the parent) but cannot start a brief's pandoc (a worker holds three descriptors more
    than the briefpress process: its connection, its exit's pipe and the resource tracker's;
    it needs 15 or 16, measured in December 2026): each brief says so, with the one way out
    sure to work. Not "build each brief on its own": that needs fewer for a web page (12 or
    13) but as many or more for a PDF (15 to 17, a tester measured), so it is no advice."""
    result = catalog.run("--jobs", "1", "--format", "html", limit_files=14)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    for index in range(4):
        assert (f"content/brief-{index:03d}/brief.md: error: the machine allowed this build "
                "no more open files or processes: [Errno 24] Too many open files (fix: raise "
                "the limit of open files (`ulimit -n`, now 14) or of processes (`ulimit -u`))"
                ) in result.stderr
    assert not list((catalog.root / "build").glob("*/index.html"))


def test_progress_is_a_line_per_brief_when_not_a_terminal(built: Built) -> None:
    # the module's build, its stderr a pipe
    lines = [line for line in built.result.stderr.splitlines() if line.startswith("[")]
    assert sorted(line.split("]")[0] for line in lines) == ["[1/4", "[2/4", "[3/4", "[4/4"]
    assert all(": built pdf, docx, html (" in line and line.endswith(" s)") for line in lines)
