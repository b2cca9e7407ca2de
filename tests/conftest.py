"""Shared fixtures: the real brief, the fixture briefs, and a scratch copy to break."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

from briefpress.build import build
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.read.brief import read_brief

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "content" / "us-rok-partnership"
ARCTIC = ROOT / "tests" / "fixtures" / "briefs" / "arctic-shipping"
WATER = ROOT / "tests" / "fixtures" / "briefs" / "water-security"
"""An issue brief of another shape: institutional authors, a month date, another publisher."""
FRENCH = ROOT / "tests" / "fixtures" / "briefs" / "routes-arctiques"
"""A brief in French (``lang: fr``), with every kind of text the pages write around a
brief's: generated sections, captions, references, notes, a bibliography, social accounts."""


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


def _shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's shared BRIEFPRESS_CACHE: everything in it is named by the hash of its
    content and written atomically, so the tests of every worker may add to it side by
    side, as a user's builds share theirs."""
    cache = _shared_folder(tmp_path_factory) / "warm-cache"
    cache.mkdir(exist_ok=True)
    return cache


@pytest.fixture(scope="session", autouse=True)
def _shared_cache_by_default(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds in the test process use the shared cache unless a test sets its own; the
    first builds warm it (a cold cache costs a build 3 to 6 s: the house faces merged for
    Word), so no test pays for it twice."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFPRESS_CACHE", str(_shared_cache(tmp_path_factory)))
        yield


def _shared_made(tmp_path_factory: pytest.TempPathFactory, sources: tuple[Path, ...],
                 formats: tuple[str, ...]) -> tuple[SharedBuild, dict[str, list[int]]]:
    """The build of ``formats`` of the fixture briefs ``sources`` (build()'s, in this
    process, with the run's shared cache) in the run's shared folder, made by the first
    worker that asks, under a lock of its own the others wait on; and what its files were
    then (:func:`_stat`). A build that failed is raised by the worker that tried and said
    once to the others, which do not try it again."""
    key = hashlib.sha256(repr((sources, formats)).encode()).hexdigest()[:10]
    name = f"{'+'.join(source.name for source in sources)}.{'+'.join(formats)}.{key}"
    shared = _shared_folder(tmp_path_factory) / "built-once"
    shared.mkdir(exist_ok=True)
    folder, made, failed = (shared / name, shared / f"{name}.json",
                            shared / f"{name}.failed")
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait for the first one's build
        if failed.exists():  # said once, by the worker that tried
            pytest.fail(f"the shared build {name} could not be made: {failed.read_text()}")
        if not made.exists():
            try:
                with pytest.MonkeyPatch.context() as patch:
                    patch.setenv("BRIEFPRESS_CACHE", str(_shared_cache(tmp_path_factory)))
                    outputs = build([str(source) for source in sources], list(formats),
                                    build_dir=folder)
            except Exception as exc:
                failed.write_text(str(exc), encoding="utf-8")
                raise
            record = _Made([str(path.relative_to(folder)) for path in outputs], _stat(folder))
            made.write_bytes(msgspec.json.encode(record))
    record = msgspec.json.decode(made.read_bytes(), type=_Made)
    return SharedBuild(folder, [folder / path for path in record.outputs]), record.files


def _warmed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared cache, warmed: the house faces decompressed and merged for Word and the
    Word reference document, by the arctic brief's shared Word edition (a cold cache costs
    a build 3 to 6 s), by the first worker that asks, under a lock the others wait on."""
    cache = _shared_cache(tmp_path_factory)
    failed = cache.parent / "warm-cache.failed"
    with open(cache.parent / "warm-cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait for the first one's build
        if failed.exists():  # said once, by the worker that tried
            pytest.fail(f"the warm cache could not be made: {failed.read_text()}")
        if not (cache / "ready").exists():
            try:
                _shared_made(tmp_path_factory, (ARCTIC,), ("docx",))
            except (Exception, pytest.fail.Exception) as exc:  # failed in another worker too
                failed.write_text(str(exc), encoding="utf-8")
                raise
            (cache / "ready").touch()
    return cache


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared cache, warmed before the test (:func:`_warmed`). For the briefpress
    processes a test starts, and for :func:`seeded_cache`."""
    return _warmed(tmp_path_factory)


class SharedBuild(msgspec.Struct, frozen=True):
    """A build of fixture briefs made once per test run (:func:`built_once`): its folder,
    which every test that asks for the same build reads and none may change, and build()'s
    outputs in it, in its order."""

    folder: Path
    outputs: list[Path]

    def copy(self, to: Path) -> SharedBuild:
        """The build copied into ``to`` (not there yet), for a test that changes it: the
        same files and record, below another folder."""
        shutil.copytree(self.folder, to, symlinks=True)
        return SharedBuild(to, [to / path.relative_to(self.folder) for path in self.outputs])


class _Made(msgspec.Struct, frozen=True):
    """A shared build's record beside its folder, for the workers that did not make it."""

    outputs: list[str]
    """build()'s outputs, relative to the folder."""
    files: dict[str, list[int]]
    """What the folder held once built (:func:`_stat`)."""


def _stat(folder: Path) -> dict[str, list[int]]:
    """Every file and folder below ``folder``: its size and modification time, in ns."""
    return {str(path.relative_to(folder)): [path.lstat().st_size, path.lstat().st_mtime_ns]
            for path in sorted(folder.rglob("*"))}


def _changed(before: dict[str, list[int]], now: dict[str, list[int]]) -> list[str]:
    """The files and folders made, removed or changed between two :func:`_stat`."""
    return sorted(name for name in before.keys() | now if before.get(name) != now.get(name))


SHAREABLE = (ROOT / "content", ROOT / "tests" / "fixtures" / "briefs")
"""Where the briefs of a shared build are: the repository's, which no test changes."""


@pytest.fixture(scope="session")
def built_once(tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Callable[[Sequence[Path], Sequence[str]], SharedBuild]]:
    """``built_once(sources, formats)``: the build of ``formats`` of the fixture briefs
    ``sources``, as ``build([str(s) for s in sources], formats, build_dir=...)`` makes it
    (default options, the run's shared cache), made once per test RUN: the test files of
    every pytest-xdist worker that ask for the same one share it (:func:`_shared_made`).
    Read-only: a test that changes it works on :meth:`SharedBuild.copy`; a change is an
    error of this fixture at the end of the worker's session, naming what changed. A build
    with a Word edition starts from the warm cache (:func:`_warmed`), so that no two
    workers pay for a cold one."""
    handed: dict[tuple[tuple[Path, ...], tuple[str, ...]],
                 tuple[SharedBuild, dict[str, list[int]]]] = {}

    def get(sources: Sequence[Path], formats: Sequence[str]) -> SharedBuild:
        key = tuple(Path(source) for source in sources), tuple(formats)
        assert all(source.parent in SHAREABLE for source in key[0]), key[0]
        if key not in handed:
            if "docx" in key[1]:
                _warmed(tmp_path_factory)
            handed[key] = _shared_made(tmp_path_factory, *key)
        return handed[key][0]

    yield get
    changed = [f"{made.folder}: {_changed(files, _stat(made.folder))}"
               for made, files in handed.values() if _changed(files, _stat(made.folder))]
    if changed:
        pytest.fail("a test changed a shared build (it should change a SharedBuild.copy): "
                    + "; ".join(changed))


def seeded_cache(folder: Path, warm: Path) -> Path:
    """``folder`` as a cache of its own (for what a test makes in it: figures, a brand's
    faces) that starts with the warm cache's house faces and Word reference documents
    (its finished files: not another worker's temporary ones, which come and go)."""
    for kind in ("fonts", "docx"):
        shutil.copytree(warm / kind, folder / kind, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".*"))
    return folder


@pytest.fixture
def word_file(tmp_path: Path, built_once: Callable[..., SharedBuild]) -> tuple[Path, Path]:
    """The water-security brief (citations, notes, cross-references) copied and its Word
    edition built: (its folder, the .docx). The run's shared build of the brief is copied
    beside it first (an edition's key and bytes do not depend on where its brief is), so
    the build from the copy finds it up to date and only writes its record, naming the
    copy as the source: the files and record a build of the copy makes, without a render."""
    folder = tmp_path / "content" / WATER.name
    shutil.copytree(WATER, folder)
    built_once([WATER], ["docx"]).copy(tmp_path / "build")
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


def texts_by_language(root: Any, outer: str | None = None) -> list[tuple[str, str | None]]:
    """Every piece of text under the lxml element ``root`` (an element's own text, or the
    text after it up to its next sibling) that is not blank, its spaces collapsed, with its
    language: the ``lang`` of the nearest element around it that has one, else ``outer``.
    Not the text of a script or a style."""
    found: list[tuple[str, str | None]] = []

    def language(element: Any) -> str | None:
        while element is not None:
            if element.get("lang") is not None:
                return str(element.get("lang"))
            element = element.getparent()
        return outer

    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        pieces = [] if element.tag in ("script", "style") else [(element.text, element)]
        if element is not root:
            pieces.append((element.tail, element.getparent()))
        found += [(" ".join(text.split()), language(owner))
                  for text, owner in pieces if text and text.strip()]
    return found


def words(text: str) -> set[str]:
    """The words of ``text``, casefolded, without those of digits alone (numbers, dates)."""
    return {word for word in re.findall(r"\w+", text.casefold()) if not word.isdigit()}


def brief_words(folder: Path) -> set[str]:
    """The words of a brief's own text (not of its files' keys, ids and codes): its front
    matter's values, its text, its recommendations and bios, the works it cites."""
    brief = read_brief(folder)
    codes = {"type", "lang", "date_precision", "network", "bibliography", "csl", "id"}

    def values(data: object) -> list[str]:
        if isinstance(data, dict):
            return [text for key, value in data.items() if key not in codes
                    for text in values(value)]
        if isinstance(data, list):
            return [text for item in data for text in values(item)]
        return [data] if isinstance(data, str) else []

    texts = [*values(msgspec.to_builtins(brief.meta)),
             *(area.title for area in brief.recommendations.areas),
             *(node.c for part in [brief.body(), *brief.fragments.values()]
               for node in blocks.walk(part) if isinstance(node, blocks.Str))]
    if brief.meta.bibliography:
        works = (folder / brief.meta.bibliography).read_text(encoding="utf-8")
        texts += values(yaml.safe_load(works))  # CSL YAML
    return set().union(*map(words, texts))


def english_and_the_brief_s(root: Any, lang: str, own: set[str]) -> set[str]:
    """The texts under the lxml element ``root`` marked English (``lang="en"``); every
    other one must be in ``lang`` and of the brief's own words (``own``)."""
    english = set()
    for text, language in texts_by_language(root):
        if language == "en":
            english.add(text)
        else:
            assert language == lang and words(text) <= own, (text, language)
    return english


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file, insisting that ``old`` is there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def append(path: Path, text: str) -> int:
    """Add ``text`` at the end of a file; the line it starts on."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


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
