"""Files that are not files, a machine that fails, leftovers of killed runs, a bad clock.

Each case runs the real command in a child process with a time limit (a FIFO read the
old way blocks for ever, ``/dev/zero`` never ends) and checks its exact message, its exit
status 2 and that nothing was written or earlier outputs stayed as they were.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import briefpress
from briefpress.build import build
from briefpress.cli import main
from briefpress.errors import BriefError
from briefpress.render import get_format
from briefpress.support.sandbox import Sandbox
from conftest import ARCTIC, ROOT, seeded_cache

SLUG = ARCTIC.name
SOURCE = Path(briefpress.__file__).parents[1]
"""The briefpress the tests import is the one the child processes run."""
TIME_LIMIT = 60.0
FIX_WRITABLE = "(fix: make the folder writable, or build elsewhere with --build-dir)"
FIX_SPACE = ("(fix: free some disk space, then run the command again; earlier outputs are "
             "intact)")
FIX_CACHE = ("(fix: set BRIEFPRESS_CACHE to a writable folder, or unset it to use "
             "build/.cache; the cache only saves time)")


def _limits() -> None:
    # a read of /dev/zero the old way grows without end: stop it at 3 GB of data
    resource.setrlimit(resource.RLIMIT_DATA, (3 * 2**30, 3 * 2**30))


@pytest.fixture(scope="module")
def cache(warm_cache: Path) -> Path:
    return warm_cache


class Project:
    def __init__(self, root: Path, cache: Path) -> None:
        self.root = root
        shutil.copytree(ARCTIC, root / "content" / SLUG)
        (root / "tmp").mkdir()
        self.env = {**os.environ, "BRIEFPRESS_CACHE": str(cache), "TMPDIR": str(root / "tmp"),
                    "PYTHONPATH": os.pathsep.join([str(SOURCE), str(ROOT)])}
        self.env.pop("SOURCE_DATE_EPOCH", None)

    @property
    def folder(self) -> Path:
        return self.root / "content" / SLUG

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run([sys.executable, "-m", "briefpress.cli", *args],
                                  cwd=self.root, env={**self.env, **env}, capture_output=True,
                                  text=True, timeout=TIME_LIMIT, preexec_fn=_limits,
                                  check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"briefpress {' '.join(args)} hung for {TIME_LIMIT:.0f} s")

    def build_here(self, formats: list[str], build_dir: Path) -> None:
        """``briefpress build SLUG --format ... --build-dir ...`` in this process (the same
        code, folder, cache and environment, without a command's start): an earlier build
        whose outputs a test starts from."""
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(self.root)
            patch.setenv("BRIEFPRESS_CACHE", self.env["BRIEFPRESS_CACHE"])
            patch.delenv("SOURCE_DATE_EPOCH", raising=False)
            build([SLUG], formats, build_dir=build_dir)

    def rel(self, path: Path) -> str:
        """``path`` as the command (run in the project's root) names it."""
        return str(path.relative_to(self.root))

    def snapshot(self, folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and not p.is_symlink() and p.name != ".lock"}


@pytest.fixture
def project(tmp_path: Path, cache: Path) -> Project:
    return Project(tmp_path, cache)


def _fifo(path: Path) -> Path:
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


def _device(path: Path) -> Path:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")
    return path


# --- only regular files are read ---------------------------------------------------------------

@pytest.mark.parametrize(("name", "make", "kind"), [
    ("brief.md", _fifo, "a named pipe (FIFO)"),
    ("brief.md", _device, "a character device"),
    ("recommendations.yaml", _fifo, "a named pipe (FIFO)"),
    ("recommendations.yaml", _device, "a character device"),
])
def test_a_source_that_is_no_regular_file_is_refused(project: Project, name: str,
                                                     make: object, kind: str) -> None:
    make(project.folder / name)  # type: ignore[operator]
    for command in (["check", SLUG], ["build", SLUG, "--format", "html"]):
        result = project.run(*command)
        assert (result.returncode, result.stderr) == (2, (
            f"content/{SLUG}/{name}: error: is {kind}, not a regular file (fix: replace it "
            "with a plain UTF-8 text file)\n"))
    assert not (project.root / "build").exists()


def test_the_device_fixture_is_refused(project: Project) -> None:
    folder = ROOT / "tests" / "fixtures" / "bad" / "brief-is-a-device"
    result = subprocess.run([sys.executable, "-m", "briefpress.cli", "check",
                             str(folder.relative_to(ROOT))], cwd=ROOT, env=project.env,
                            capture_output=True, text=True, timeout=TIME_LIMIT,
                            preexec_fn=_limits, check=False)
    assert (result.returncode, result.stderr) == (
        2, (folder / "expected.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("make", "kind"), [(_fifo, "a named pipe (FIFO)"),
                                            (_device, "a character device")])
def test_a_bad_brief_elsewhere_is_left_out_of_the_catalog(project: Project, make: object,
                                                          kind: str) -> None:
    """Another author's folder cannot stop, hang or exhaust this build: a warning, not an
    error (``check`` of that brief is where it is an error)."""
    other = project.root / "content" / "other"
    other.mkdir()
    make(other / "brief.md")  # type: ignore[operator]
    result = project.run("build", SLUG, "--format", "html")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"content/other/brief.md: warning: left out of the catalog: is {kind}, not a regular "
        "file (fix: replace it with a plain UTF-8 text file)\n")
    catalog = (project.root / "build" / "index.html").read_text(encoding="utf-8")
    assert f'href="{SLUG}/index.html"' in catalog and "other/" not in catalog


def test_an_image_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    _fifo(tmp_path / "pipe.png")
    sandbox = Sandbox([tmp_path], tmp_path / "brief.md", "![chart](pipe.png)\n")
    with pytest.raises(BriefError) as caught:
        sandbox.open((tmp_path / "pipe.png").as_uri())
    assert caught.value.problems[0].message == (
        "reference 'pipe.png' is not a file: it is a named pipe (FIFO)")
    assert caught.value.problems[0].line == 1


def test_a_fifo_swapped_in_after_the_check_cannot_block(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The stat says a regular file (as it did a moment ago); the file opened is a FIFO with
    no writer: opened without blocking, looked at again, refused."""
    from briefpress.support import files

    regular = tmp_path / "regular.png"
    regular.write_bytes(b"png")
    pipe = _fifo(tmp_path / "pipe.png")
    real_stat = os.stat
    monkeypatch.setattr(files.os, "stat", lambda path, *a, **k: real_stat(regular))
    started = time.monotonic()
    with pytest.raises(BriefError) as caught:
        files.read_regular(pipe, 1000, "use a file")
    assert time.monotonic() - started < 5
    assert str(caught.value) == (f"{pipe}: error: is a named pipe (FIFO), not a regular file "
                                 "(fix: use a file)")


def test_read_regular_stops_at_its_limit(tmp_path: Path) -> None:
    from briefpress.support import files

    (tmp_path / "big").write_bytes(b"x" * 2001)
    with pytest.raises(BriefError, match=r"file is 0\.0 MB, over the 0\.0 MB limit"):
        files.read_regular(tmp_path / "big", 2000)
    assert files.read_regular(tmp_path / "big", 2001) == b"x" * 2001


@pytest.mark.parametrize(("make", "kind"), [(_fifo, "a named pipe (FIFO)"),
                                            (_device, "a character device")])
def test_import_of_a_file_that_is_no_regular_file_is_refused(project: Project, make: object,
                                                            kind: str) -> None:
    make(project.root / "edited.docx")  # type: ignore[operator]
    before = project.snapshot(project.folder)
    result = project.run("import", "edited.docx")
    assert (result.returncode, result.stderr) == (2, (
        f"edited.docx: error: is {kind}, not a regular file (fix: give the path of the edited "
        ".docx)\n"))
    assert project.snapshot(project.folder) == before


# --- environment faults --------------------------------------------------------------------------

@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs of our own (root only): it can fill up and be made read-only."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "disk"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(point)],
                      capture_output=True, check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _read_only(folder: Path) -> None:
    if os.geteuid() == 0:  # root writes through modes: remount the tmpfs read-only
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o555)


@pytest.fixture
def read_only_place(tmp_path: Path) -> Iterator[Path]:
    """A folder that becomes read-only when ``_read_only`` is called on it."""
    if os.geteuid() != 0:
        place = tmp_path / "ro"
        place.mkdir()
        yield place
        for path in [place, *place.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        return
    point = tmp_path / "ro"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(point)],
                      capture_output=True, check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_read_only_build_folder_is_one_message_and_outputs_stay(
        project: Project, read_only_place: Path) -> None:
    out = read_only_place / "build"
    project.build_here(["html"], out)
    before = project.snapshot(out)
    _read_only(read_only_place)
    (project.folder / "brief.md").write_text((project.folder / "brief.md").read_text(
        encoding="utf-8").replace("Vessel counts", "Ship counts"), encoding="utf-8")
    result = project.run("build", SLUG, "--format", "html,pdf", "--build-dir", str(out))
    reason = "Read-only file system" if os.geteuid() == 0 else "Permission denied"
    assert (result.returncode, result.stderr) == (2, (
        f"{project.rel(out / SLUG / '.lock')}: error: cannot write: {reason} {FIX_WRITABLE}\n"))
    assert project.snapshot(out) == before


def test_a_full_disk_is_one_message_and_outputs_stay(project: Project, mounted: Path) -> None:
    out = mounted / "build"
    project.build_here(["docx"], out)
    before = project.snapshot(out)
    with open(mounted / "filler", "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    result = project.run("build", SLUG, "--format", "docx,pdf", "--build-dir", str(out))
    # the Word edition is up to date; the PDF is the first file this build must write
    assert (result.returncode, result.stderr) == (2, (
        f"{project.rel(out / SLUG / (SLUG + '.pdf'))}: error: cannot write: No space left "
        f"on device {FIX_SPACE}\n"))
    assert project.snapshot(out) == before  # no half-written file, no temporary left


def test_a_full_disk_while_an_edition_is_written_in_process(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The same without root: the Word edition's writer fails with ENOSPC half-way."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(cache))
    out = tmp_path / "build"
    assert main(["build", str(ARCTIC), "--format", "docx", "--build-dir", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    module = get_format("docx").load()

    def full(brief: object, path: Path, options: object) -> None:
        path.write_bytes(b"PK half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(module, "render", full)
    capsys.readouterr()
    assert main(["build", str(ARCTIC), "--format", "docx", "--build-dir", str(out),
                 "--force"]) == 2  # --force: the edition is up to date
    final = out / SLUG / f"{SLUG}.docx"
    assert capsys.readouterr().err == (
        f"{final}: error: cannot write: No space left on device {FIX_SPACE}\n")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_cache_that_is_a_file_is_one_message(project: Project) -> None:
    (project.root / "cache").write_text("not a folder", encoding="utf-8")
    result = project.run("build", SLUG, "--format", "docx",
                         BRIEFPRESS_CACHE=str(project.root / "cache"))
    assert (result.returncode, result.stderr) == (2, (
        "cache: error: cannot write: a file is in the way, where a folder must be (fix: move "
        f"or delete the file cache, or {FIX_CACHE.removeprefix('(fix: ')}\n"))
    assert not (project.root / "build" / SLUG / f"{SLUG}.docx").exists()


def test_a_read_only_cache_is_one_message(project: Project, read_only_place: Path) -> None:
    _read_only(read_only_place)
    result = project.run("build", SLUG, "--format", "docx",
                         BRIEFPRESS_CACHE=str(read_only_place))
    reason = "Read-only file system" if os.geteuid() == 0 else "Permission denied"
    assert (result.returncode, result.stderr) == (2, (
        f"{project.rel(read_only_place / 'docx')}: error: cannot write: {reason} {FIX_CACHE}\n"))


def test_the_last_line_reports_a_fault_no_deeper_code_named(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import briefpress.build

    def full(*args: object, **kwargs: object) -> list[Path]:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(briefpress.build, "build_all", full)
    assert main(["build", SLUG]) == 2
    assert capsys.readouterr().err == (
        f"briefpress: error: cannot write: No space left on device {FIX_SPACE}\n")

    def bug(*args: object, **kwargs: object) -> list[Path]:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    monkeypatch.setattr(briefpress.build, "build_all", bug)
    with pytest.raises(OSError, match="Bad file descriptor"):  # a bug keeps its traceback
        main(["build", SLUG])


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from briefpress.support.locking import brief_lock
    with brief_lock(Path(sys.argv[1]), sys.argv[2]):
        print("held", flush=True)
        time.sleep(600)
""")


def test_a_lock_held_by_a_dead_process_does_not_block(project: Project) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(project.root / "build"),
                               SLUG], env=project.env, stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    result = project.run("build", SLUG, "--format", "html")
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 30


# --- leftovers of killed runs --------------------------------------------------------------------

DEAD_PID = 99_999_999
"""Above any pid_max Linux allows (4,194,304): no process has it."""


def test_leftovers_of_a_killed_run_are_cleared_by_the_next(tmp_path: Path,
                                                           warm_cache: Path) -> None:
    # a cache of its own: the run's shared one is cleared by the other workers' builds too
    cache = seeded_cache(tmp_path / "cache", warm_cache)
    project = Project(tmp_path / "project", cache)
    scratch = project.root / "tmp" / f"briefpress-import-{DEAD_PID}-abc123"
    (scratch / "after").mkdir(parents=True)
    (scratch / "after" / "brief.md").write_text("x", encoding="utf-8")
    pandoc_scratch = project.root / "tmp" / f"briefpress-docx-{DEAD_PID}-def456"
    pandoc_scratch.mkdir()
    (pandoc_scratch / "pandoc.docx").write_bytes(b"PK half")
    live = project.root / "tmp" / f"briefpress-import-{os.getpid()}-live"
    live.mkdir()
    for kind in ("fonts", "docx"):
        (cache / kind).mkdir(parents=True, exist_ok=True)
        (cache / kind / f".font.ttf.{DEAD_PID}.x1y2.tmp").write_bytes(b"half")
        (cache / kind / f".font.ttf.{os.getpid()}.live.tmp").write_bytes(b"mine")
    (project.root / "build").mkdir()
    (project.root / "build" / f".index.html.{DEAD_PID}.z9.tmp").write_bytes(b"half")

    assert project.run("build", SLUG, "--format", "docx,html").returncode == 0
    assert not list(cache.rglob(f"*.{DEAD_PID}.*")), "a dead build's cache file stayed"
    assert not list((project.root / "build").glob(f".*.{DEAD_PID}.*"))
    assert not pandoc_scratch.exists(), "a killed build's pandoc folder stayed"
    assert [p.name for p in cache.rglob(".font.ttf.*")] == [
        f".font.ttf.{os.getpid()}.live.tmp"] * 2, "a live process's file was removed"
    docx = project.root / "build" / SLUG / f"{SLUG}.docx"
    result = project.run("import", str(docx), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert not scratch.exists(), "a killed import's scratch folder stayed"
    assert live.exists()
    assert sorted(p.name for p in (project.root / "tmp").iterdir()
                  if p.name.startswith("briefpress-")) == [live.name]
    for path in cache.rglob(f"*.{os.getpid()}.live.tmp"):
        path.unlink()
    live.rmdir()


# --- SOURCE_DATE_EPOCH ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["-1", "1.5", "1e9", "253402300800", "99999999999999999999",
                                   "\uff11\uff12", "yesterday"])
def test_a_bad_source_date_epoch_is_refused_before_anything_is_written(
        project: Project, value: str) -> None:
    result = project.run("build", SLUG, "--format", "html", SOURCE_DATE_EPOCH=value)
    assert (result.returncode, result.stderr) == (2, (
        f"SOURCE_DATE_EPOCH: error: not a number of seconds since 1970 up to year 9999: "
        f"{value!r} (fix: set it to a whole number of seconds, e.g. "
        "`git log -1 --format=%ct`, or unset it)\n"))
    assert not (project.root / "build").exists()


def test_the_last_second_of_year_9999_is_a_date(project: Project, cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(cache))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert build([str(project.folder)], ["pdf", "docx"], build_dir=project.root / "build")
