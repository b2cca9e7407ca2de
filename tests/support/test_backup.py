"""Tests of support/backup.py: an earlier version's import backup and review report moved out
of the published build folder into the project's .briefpress/, or removed when stale."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefpress.errors import BriefError
from briefpress.support.backup import (
    LEGACY,
    LEGACY_REVIEW,
    backup_dir,
    legacy_left,
    move_legacy,
    review_file,
)
from conftest import immutable

SLUG = "arctic-shipping"
IMPORT = b'{"brief": "content/arctic-shipping", "imported": {}, "added_files": []}'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A brief's folder in a project (tmp_path), its build folder tmp_path/build."""
    folder = tmp_path / "content" / SLUG
    folder.mkdir(parents=True)
    return folder


def legacy(build_dir: Path) -> dict[str, bytes]:
    """What an earlier version's import left in ``build_dir``: its backup and its review."""
    backup = build_dir / SLUG / LEGACY
    backup.mkdir(parents=True)
    files = {"brief.md": b"# The brief before the import\n",
             "recommendations.yaml": b"recommendations: []\r\n", "import.json": IMPORT}
    for name, data in files.items():
        (backup / name).write_bytes(data)
    (build_dir / SLUG / LEGACY_REVIEW).write_bytes(b"# Review\n\nSam: Which counts?\n")
    return files


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_both_are_moved_to_the_project_and_said_once_in_one_line(folder: Path,
                                                                   tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    files = legacy(build_dir)
    assert legacy_left(build_dir, SLUG)
    note = move_legacy(folder, build_dir)
    assert note is not None and note.severity == "warning" and "\n" not in str(note)
    assert note.file == build_dir / SLUG
    assert "moved the import backup" in note.message and "undo" in note.message
    assert "moved the review report" in note.message
    assert contents(backup_dir(folder)) == files  # byte for byte, CRLF kept
    assert review_file(folder).read_bytes() == b"# Review\n\nSam: Which counts?\n"
    assert sorted(p.name for p in (build_dir / SLUG).iterdir()) == []
    assert not legacy_left(build_dir, SLUG)
    assert move_legacy(folder, build_dir) is None  # said once: nothing is left to move
    assert sorted(p.name for p in (tmp_path / ".briefpress" / "imports").iterdir()) == [SLUG]


def test_a_later_import_s_backup_and_report_make_them_stale(folder: Path,
                                                            tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    legacy(build_dir)
    later = backup_dir(folder)
    later.mkdir(parents=True)
    (later / "import.json").write_bytes(b"{}")
    review_file(folder).parent.mkdir(parents=True)
    review_file(folder).write_bytes(b"# The later review\n")
    note = move_legacy(folder, build_dir)
    assert note is not None and note.message.count("removed") == 2
    assert not (build_dir / SLUG / LEGACY).exists()
    assert not (build_dir / SLUG / LEGACY_REVIEW).exists()
    assert contents(later) == {"import.json": b"{}"}
    assert review_file(folder).read_bytes() == b"# The later review\n"


def test_a_backup_folder_without_its_record_is_no_later_backup(folder: Path,
                                                               tmp_path: Path) -> None:
    """A folder a killed import left without import.json holds nothing to undo: the earlier
    version's backup takes its place."""
    build_dir = tmp_path / "build"
    files = legacy(build_dir)
    backup_dir(folder).mkdir(parents=True)
    (backup_dir(folder) / "brief.md").write_bytes(b"half")
    move_legacy(folder, build_dir)
    assert contents(backup_dir(folder)) == files


@pytest.fixture
def other_disk() -> Iterator[Path]:
    """A folder on another file system than tmp_path's (/dev/shm), where a rename fails."""
    if not Path("/dev/shm").is_dir():
        pytest.skip("no /dev/shm")
    place = Path(tempfile.mkdtemp(dir="/dev/shm"))
    try:
        if os.stat(place).st_dev == os.stat(tempfile.gettempdir()).st_dev:
            pytest.skip("/dev/shm is on the same file system as the temporary folder")
        yield place
    finally:
        shutil.rmtree(place)


def test_a_build_folder_on_another_disk_is_copied_then_removed(folder: Path,
                                                               other_disk: Path) -> None:
    build_dir = other_disk / "build"
    files = legacy(build_dir)
    assert move_legacy(folder, build_dir) is not None
    assert contents(backup_dir(folder)) == files
    assert review_file(folder).is_file()
    assert sorted(p.name for p in (build_dir / SLUG).iterdir()) == []
    assert [p.name for p in backup_dir(folder).parent.iterdir()] == [SLUG]  # no staging left


def test_a_project_that_cannot_take_them_is_a_message_and_nothing_is_lost(
        folder: Path, tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    files = legacy(build_dir)
    (tmp_path / ".briefpress").write_text("a file in the way", encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        move_legacy(folder, build_dir)
    assert caught.value.exit_code == 2
    [problem] = caught.value.problems
    assert problem.message.startswith(f"cannot move {build_dir / SLUG / LEGACY} to ")
    assert "nothing was lost" in problem.fix
    assert contents(build_dir / SLUG / LEGACY) == files


def test_a_build_folder_that_cannot_be_changed_is_a_message_and_nothing_is_lost(
        folder: Path, tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    files = legacy(build_dir)
    with immutable(build_dir / SLUG), pytest.raises(BriefError) as caught:
        move_legacy(folder, build_dir)
    [problem] = caught.value.problems
    assert problem.file == build_dir / SLUG / LEGACY
    assert contents(build_dir / SLUG / LEGACY) == files
    assert not backup_dir(folder).exists()


def test_a_link_in_their_place_is_no_earlier_version_s_and_is_left_alone(
        folder: Path, tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    (build_dir / SLUG).mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (build_dir / SLUG / LEGACY).symlink_to(tmp_path / "elsewhere")
    (build_dir / SLUG / LEGACY_REVIEW).symlink_to(tmp_path / "elsewhere")
    assert not legacy_left(build_dir, SLUG)
    assert move_legacy(folder, build_dir) is None
    assert (build_dir / SLUG / LEGACY).is_symlink()
