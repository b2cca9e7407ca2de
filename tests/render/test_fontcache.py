"""The TrueType forms of WOFF2 faces, made once and kept on disk by their hash
(render/fontcache.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpress.render import design, fontcache

TRUETYPE_TAGS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
"""The first four bytes of an sfnt: TrueType, CFF-flavoured OpenType, Apple TrueType."""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(tmp_path))
    return tmp_path / "fonts"


def test_font_cache_holds_truetype_and_serves_it(cache: Path) -> None:
    woff2 = design.font_files()[0].read_bytes()
    first = fontcache.truetype(woff2, "face.woff2")
    assert first[:4] in TRUETYPE_TAGS
    [cached] = cache.iterdir()
    assert cached.read_bytes() == first
    cached.write_bytes(b"cached")
    assert fontcache.truetype(woff2, "face.woff2") == b"cached"


def test_each_face_is_kept_under_its_name_and_the_hash_of_its_bytes(cache: Path) -> None:
    """Two faces, or two versions of one, never share a file; the stem tells them apart
    to a person looking in the folder."""
    regular, italic = (path for path in design.font_files()[:2])
    fontcache.truetype(regular.read_bytes(), regular.name)
    fontcache.truetype(italic.read_bytes(), regular.name)  # another face under the same name
    fontcache.truetype(regular.read_bytes(), "renamed.woff2")
    names = sorted(path.name for path in cache.iterdir())
    assert len(names) == 3 and all(name.endswith(".ttf") for name in names)
    assert sum(name.startswith(f"{regular.stem}-") for name in names) == 2
    assert any(name.startswith("renamed-") for name in names)
    assert not [path for path in cache.iterdir() if path.name.startswith(".")]  # no temporaries


def test_a_cache_that_cannot_be_written_costs_only_the_cache(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_bytes(b"")
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(blocked))  # its fonts/ cannot be made
    face = design.font_files()[0]
    data = fontcache.truetype(face.read_bytes(), face.name)
    assert data[:4] in TRUETYPE_TAGS
    assert fontcache.truetype(face.read_bytes(), face.name) == data
