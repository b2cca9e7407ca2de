"""WOFF2 faces into TrueType, and the subsets of one face merged into one font, with fontTools
(render/fontconvert.py)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from fontTools.ttLib import TTFont

from briefpress.render.fontconvert import merge, woff2_to_truetype
from briefpress.support.paths import FONTS

LATIN, LATIN_EXT = (FONTS / f"source-serif-4-{subset}-400-normal.woff2"
                    for subset in ("latin", "latin-ext"))


def _truetype(source: Path, folder: Path, created: int | None = None) -> str:
    """``source`` decompressed into ``folder`` (dated ``created``, if given): its path."""
    font = TTFont(BytesIO(woff2_to_truetype(source.read_bytes())))
    if created is not None:
        font["head"].created = font["head"].modified = created
        font.recalcTimestamp = False
    path = folder / f"{source.stem}.ttf"
    font.save(path)
    return str(path)


def test_a_woff2_face_becomes_the_same_font_in_truetype() -> None:
    data = woff2_to_truetype(LATIN.read_bytes())
    assert data[:4] == b"\x00\x01\x00\x00"
    converted, original = TTFont(BytesIO(data)), TTFont(LATIN)
    assert converted.flavor is None and original.flavor == "woff2"
    assert converted.getGlyphOrder() == original.getGlyphOrder()
    assert converted.getBestCmap() == original.getBestCmap()
    assert converted["name"].getDebugName(1) == original["name"].getDebugName(1)


def test_the_subsets_of_a_face_merge_into_one_font_with_every_character(tmp_path: Path
                                                                        ) -> None:
    files = [_truetype(LATIN, tmp_path), _truetype(LATIN_EXT, tmp_path)]
    merged = TTFont(BytesIO(merge(files)))
    latin, latin_ext = (set(TTFont(path).getBestCmap()) for path in files)
    assert set(merged.getBestCmap()) == latin | latin_ext
    assert {ord("a"), ord("Ł")} <= set(merged.getBestCmap())
    assert merged["name"].getDebugName(1) == TTFont(files[0])["name"].getDebugName(1)


def test_the_merged_font_is_dated_as_its_first_subset_not_by_the_clock(tmp_path: Path
                                                                       ) -> None:
    files = [_truetype(LATIN, tmp_path, created=3_000_000_000), _truetype(LATIN_EXT, tmp_path)]
    data = merge(files)
    head = TTFont(BytesIO(data))["head"]
    assert head.created == head.modified == 3_000_000_000
    assert merge(files) == data
