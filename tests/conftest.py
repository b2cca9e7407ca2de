"""Shared fixtures: the real brief, the fixture briefs, and a scratch copy to break."""

from __future__ import annotations

import shutil
import subprocess
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


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A BRIEFPRESS_CACHE for the briefpress processes of tests that do not test the cache:
    its fonts and Word files are keyed by their content, so tests share them, and only the
    first process pays for a cold cache (2 to 4 s of decompressed fonts)."""
    return tmp_path_factory.mktemp("warm-cache")


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
