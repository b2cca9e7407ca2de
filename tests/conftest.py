"""Shared fixtures: the real brief, the fixture briefs, and a scratch copy to break."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefpress.build import build
from briefpress.model.brief import Brief
from briefpress.read.brief import read_brief

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "content" / "us-rok-partnership"
ARCTIC = ROOT / "tests" / "fixtures" / "briefs" / "arctic-shipping"
WATER = ROOT / "tests" / "fixtures" / "briefs" / "water-security"
"""An issue brief of another shape: institutional authors, a month date, another publisher."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files marked slow first, each file's tests kept together and in order: `make
    test` gives each worker a file at a time (`--dist loadfile --no-loadscope-reorder`), so
    the long files start at once and the short ones fill in at the end; a long file left to
    the end would keep one worker busy while the others wait."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def real_brief() -> Brief:
    return read_brief(REAL)


@pytest.fixture(scope="session")
def arctic_brief() -> Brief:
    return read_brief(ARCTIC)


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every pytest-xdist worker sees (each worker's own
    temporary folders are below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A BRIEFPRESS_CACHE warmed once for the whole run (the house faces decompressed and
    merged for Word, the Word reference document), shared by every worker's tests that do
    not test the cache itself, as a user's cache is shared by all their builds. Everything
    in it is named by the hash of its content and written atomically, so the tests may add
    to it side by side. A cold cache costs a build 3 to 6 s; each test that wants one sets
    BRIEFPRESS_CACHE to a folder of its own."""
    cache = _shared_folder(tmp_path_factory) / "warm-cache"
    cache.mkdir(exist_ok=True)
    with open(cache.parent / "warm-cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait for the first one's build
        if not (cache / "ready").exists():
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("BRIEFPRESS_CACHE", str(cache))
                out = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
                build([str(ARCTIC)], ["pdf", "docx"], build_dir=out)
            (cache / "ready").touch()
    return cache


@pytest.fixture(scope="session", autouse=True)
def _warm_cache_by_default(warm_cache: Path) -> Iterator[None]:
    """Builds in the test process use the warm cache unless a test sets its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
        yield


def seeded_cache(folder: Path, warm: Path) -> Path:
    """``folder`` as a cache of its own (for what a test makes in it: figures, a brand's
    faces) that starts with the warm cache's house faces and Word reference documents."""
    for kind in ("fonts", "docx"):
        shutil.copytree(warm / kind, folder / kind, dirs_exist_ok=True)
    return folder


@pytest.fixture
def word_file(tmp_path: Path) -> tuple[Path, Path]:
    """The water-security brief (citations, notes, cross-references) copied and its Word
    edition built: (its folder, the .docx)."""
    folder = tmp_path / "content" / WATER.name
    shutil.copytree(WATER, folder)
    built_docx, = build([str(folder)], ["docx"], build_dir=tmp_path / "build")
    return folder, built_docx


@pytest.fixture
def scratch(tmp_path: Path) -> Callable[..., Path]:
    """Copy a fixture brief into tmp_path/content/<slug> and return its folder."""

    def copy(source: Path = ARCTIC, slug: str | None = None) -> Path:
        folder = tmp_path / "content" / (slug or source.name)
        shutil.copytree(source, folder)
        return folder

    return copy


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file, insisting that ``old`` is there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@contextmanager
def immutable(folder: Path) -> Iterator[None]:
    """``folder`` made immutable (``chattr +i``: no file can be made, renamed or removed in
    it, as in a folder locked on macOS) for the block; the test is skipped where that is
    not possible (no chattr, not root, a file system without the flag)."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i refused: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
