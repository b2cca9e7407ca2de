"""support/fsutil.py: atomic writes leave the old file or the new one, and no temporaries."""

from __future__ import annotations

import os
import stat

import pytest

from briefpress.support.fsutil import atomic_write_bytes, atomic_write_text


def test_writes_creating_the_folders(tmp_path):
    target = tmp_path / "a" / "b" / "out.bin"
    atomic_write_bytes(target, b"\x00\x01data")
    assert target.read_bytes() == b"\x00\x01data"
    assert os.listdir(target.parent) == ["out.bin"]


def test_replaces_an_existing_file_and_makes_it_world_readable(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o600)
    old_umask = os.umask(0o077)
    try:
        atomic_write_text(target, "new")
    finally:
        os.umask(old_umask)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_text_is_utf8_whatever_the_locale(tmp_path):
    target = tmp_path / "out.md"
    atomic_write_text(target, "vis-à-vis 한국 \u2028")
    assert target.read_bytes() == "vis-à-vis 한국 \u2028".encode()


def test_a_failed_write_keeps_the_old_file_and_removes_its_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]

