"""support/files.py: what a cache of project files reads again, and when."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefpress.errors import BriefError, Problem
from briefpress.support.files import (
    cache_while_unchanged,
    copy_regular,
    copy_tree,
    file_version,
    read_regular,
    writing,
)


def test_a_cached_reader_reads_a_file_again_only_once_it_changed(tmp_path: Path) -> None:
    path = tmp_path / "tokens.yaml"
    path.write_text("one", encoding="utf-8")
    reads: list[str] = []

    @cache_while_unchanged(lambda name: [tmp_path / name])
    def read(name: str) -> str:
        reads.append(name)
        return (tmp_path / name).read_text(encoding="utf-8")

    assert read("tokens.yaml") == read("tokens.yaml") == "one"
    assert reads == ["tokens.yaml"]
    path.write_text("two, longer", encoding="utf-8")
    assert read("tokens.yaml") == "two, longer"
    replacement = tmp_path / "new.yaml"  # an editor's save: a new file renamed over the old
    replacement.write_text("three, longer", encoding="utf-8")
    os.replace(replacement, path)
    assert read("tokens.yaml") == "three, longer"
    assert reads == ["tokens.yaml"] * 3


def test_a_file_that_is_gone_has_no_version(tmp_path: Path) -> None:
    assert file_version(tmp_path / "missing") is None
    assert file_version(tmp_path / "a\x00name") is None
    (tmp_path / "here").write_bytes(b"x")
    assert file_version(tmp_path / "here") is not None


def test_a_cached_reader_takes_keyword_arguments(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text("a", encoding="utf-8")

    @cache_while_unchanged(lambda name, prefix="": [tmp_path / name])
    def read(name: str, prefix: str = "") -> str:
        return prefix + (tmp_path / name).read_text(encoding="utf-8")

    assert read("a.css", prefix="> ") == read(name="a.css", prefix="> ") == "> a"
    assert read("a.css") == "a"


def test_a_copied_tree_holds_copies_never_links_and_reads_no_special_or_huge_file(
        tmp_path: Path) -> None:
    """copy_tree: regular files copied (a link within the folder as the file it names); a
    FIFO not opened (the copy would block), a file over the limit never read (a file of its
    size holding nothing stands in for it, which a reader refuses as it would the file);
    links out of the folder, and a link back up it, not followed."""
    source, outside = tmp_path / "brand", tmp_path / "outside"
    (source / "fonts").mkdir(parents=True)
    outside.mkdir()
    (source / "brand.yml").write_text("name: x\n", encoding="utf-8")
    (source / "fonts" / "face.ttf").write_bytes(b"font")
    (source / "same.ttf").symlink_to(source / "fonts" / "face.ttf")
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (source / "leak.txt").symlink_to(outside / "secret.txt")
    (source / "away").symlink_to(outside, target_is_directory=True)
    (source / "fonts" / "up").symlink_to(source, target_is_directory=True)
    os.mkfifo(source / "pipe.svg")
    with open(source / "huge.ttf", "wb") as huge:
        huge.truncate(10_000)
    copy_tree(source, tmp_path / "copy", limit=1_000)
    copy = tmp_path / "copy"
    found = {str(p.relative_to(copy)): p for p in copy.rglob("*")}
    assert sorted(found) == ["brand.yml", "fonts", "fonts/face.ttf", "huge.ttf", "same.ttf"]
    assert not any(p.is_symlink() for p in found.values())
    assert (copy / "same.ttf").read_bytes() == b"font"
    assert (copy / "huge.ttf").stat().st_size == 10_000
    with pytest.raises(BriefError, match="over the"):
        read_regular(copy / "huge.ttf", 1_000)


def test_a_copied_file_that_is_no_regular_file_is_not_copied(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    copy_regular(tmp_path / "pipe", tmp_path / "copy", 100)
    copy_regular(tmp_path / "gone", tmp_path / "copy", 100)
    assert not (tmp_path / "copy").exists()


def test_a_file_where_a_folder_must_be_is_named_not_its_permissions(tmp_path: Path) -> None:
    (tmp_path / "build").write_text("in the way", encoding="utf-8")
    target = tmp_path / "build" / "slug" / "slug.pdf"
    with pytest.raises(BriefError) as caught, writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
    assert caught.value.problems == [Problem(
        tmp_path / "build", None, "cannot write: a file is in the way, where a folder must be",
        f"move or delete the file {tmp_path / 'build'}, or build elsewhere with --build-dir")]


def test_a_folder_where_a_file_must_be_is_named(tmp_path: Path) -> None:
    (tmp_path / "slug.pdf").mkdir()
    (tmp_path / "new.pdf").write_bytes(b"%PDF")
    with pytest.raises(BriefError) as caught, writing(tmp_path / "slug.pdf"):
        os.replace(tmp_path / "new.pdf", tmp_path / "slug.pdf")
    assert caught.value.problems == [Problem(
        tmp_path / "slug.pdf", None, "cannot write: a folder is in the way, where a file must be",
        f"move or delete the folder {tmp_path / 'slug.pdf'}, or build elsewhere with "
        "--build-dir")]


def test_a_file_in_the_way_gets_only_the_way_out_the_caller_gives(tmp_path: Path) -> None:
    """The alternative to moving the file is its own argument, not taken off another fix:
    none given, none offered."""
    (tmp_path / "imports").write_text("in the way", encoding="utf-8")
    with pytest.raises(BriefError) as caught, writing(tmp_path / "imports" / "slug",
                                                      "make the folder writable", ""):
        (tmp_path / "imports" / "slug").mkdir(parents=True, exist_ok=True)
    assert caught.value.problems[0].fix == f"move or delete the file {tmp_path / 'imports'}"


def test_a_link_to_a_folder_that_is_not_there_is_said_to_be_one(tmp_path: Path) -> None:
    """Tester 13: a `build` linked to a drive not mounted was "a file in the way", to move
    or delete: the user's link would be lost; it is named as the link it is."""
    (tmp_path / "build").symlink_to(tmp_path / "not-mounted" / "build")
    target = tmp_path / "build" / "slug" / "slug.pdf"
    with pytest.raises(BriefError) as caught, writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
    assert caught.value.problems == [Problem(
        tmp_path / "build", None, "cannot write: it is a symbolic link to a folder that does "
        f"not exist, {tmp_path / 'not-mounted' / 'build'}",
        "mount the drive it is on, or point the link at a folder that exists: `ln -sfn FOLDER "
        f"{tmp_path / 'build'}`; or build elsewhere with --build-dir")]
    assert (tmp_path / "build").is_symlink()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_build_folder_no_folder_can_be_made_in_is_said_in_one_line(tmp_path: Path) -> None:
    """Tester 13: `--build-dir /proc/briefpress-build` (where no folder can be made, even by
    root) was a traceback from mkdir."""
    from briefpress.support.files import make_build_folder

    with pytest.raises(BriefError) as caught:
        make_build_folder(Path("/proc/briefpress-build/slug"))
    assert caught.value.problems == [Problem(
        "/proc/briefpress-build", None, "cannot create the build folder: No such file or "
        "directory", "build elsewhere with --build-dir, a folder on a disk that can hold it")]
    (tmp_path / "file").write_text("in the way", encoding="utf-8")
    with pytest.raises(OSError):  # what writing() names, it is left to name
        make_build_folder(tmp_path / "file" / "slug")
