"""The fonts embedded in the Word file (render/docx_fonts.py): the faces, their names and
obfuscation, and the parts, relationships and settings that declare them."""

from __future__ import annotations

import io
from pathlib import Path

import msgspec
import pytest
from fontTools.ttLib import TTFont
from tests.render.test_docx_package import package_parts
from tests.support.test_ooxml import SETTINGS, parse, w

from briefpress.model.brief import Brand
from briefpress.render import design
from briefpress.render.docx_fonts import FONT_TYPE, EmbeddedFace, embed, embedded_faces, obfuscate
from briefpress.support.ooxml import R, W
from briefpress.support.paths import FONTS

WEIGHTS = {400: "Regular", 600: "SemiBold", 700: "Bold"}
SLOTS = {(400, False): "embedRegular", (700, False): "embedBold",
         (400, True): "embedItalic", (700, True): "embedBoldItalic"}
"""Word's slot for each (weight, italic) of a face, as ECMA-376 names them."""


@pytest.fixture(scope="module")
def cache(warm_cache: Path) -> Path:
    """The run's warm cache (not the checkout's build/.cache), the house faces merged in it
    (tests/conftest.py)."""
    return warm_cache


@pytest.fixture(scope="module")
def house_faces(cache: Path) -> list[EmbeddedFace]:
    return embedded_faces(cache)


def plain(face: EmbeddedFace) -> TTFont:
    """The face's font, its key taken off again (the XOR is its own inverse)."""
    return TTFont(io.BytesIO(obfuscate(face.data, face.key)))


def _bundled() -> list[tuple[str, int, str, Path]]:
    faces = []
    for font in design.tokens().fonts.roles().values():
        for face in font.faces:
            for subset in design.tokens().font_subsets:
                path = FONTS / f"{face.stem.format(subset=subset)}.woff2"
                faces.append((font.family, face.weight, face.style, path))
    return faces


@pytest.mark.parametrize(("family", "weight", "style", "path"), _bundled(),
                         ids=[face[3].stem for face in _bundled()])
def test_each_bundled_file_is_named_as_the_tokens_name_its_family(
        family: str, weight: int, style: str, path: Path) -> None:
    """Word finds an embedded face by the family name in its name table: each bundled file
    is named as the styles name its family, so Word does not fall back (to Calibri)."""
    names = TTFont(path)["name"]
    typographic = names.getDebugName(16) or names.getDebugName(1)
    assert typographic == family
    # the legacy family (what Word groups by): four styles per name, others set apart
    legacy = family if weight in (400, 700) else f"{family} {WEIGHTS[weight]}"
    assert names.getDebugName(1) == legacy
    full = " ".join([family, *([WEIGHTS[weight]] if weight != 400 else []),
                     *(["Italic"] if style == "italic" else [])])
    assert names.getDebugName(4) in (full, f"{full} Regular")
    assert "ExtraLight" not in " ".join(names.getDebugName(i) or "" for i in (1, 4, 6, 16))


def test_obfuscation_xors_the_head_with_the_key_read_backwards() -> None:
    """ECMA-376 Part 2, 11.2: the first 32 bytes XORed with the key's 16 bytes, taken from
    the GUID's last hex pair to its first."""
    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    reversed_key = bytes.fromhex("FFEEDDCCBBAA99887766554433221100")
    data = bytes(40) + b"tail"
    hidden = obfuscate(data, key)
    assert hidden[:32] == reversed_key * 2
    assert hidden[32:] == bytes(8) + b"tail"
    assert obfuscate(hidden, key) == data
    assert obfuscate(b"\x01\x02", key) == b"\xfe\xec"  # a short font: only what there is


def test_the_house_faces_fill_word_s_slots_under_their_families(
        house_faces: list[EmbeddedFace]) -> None:
    tokens = design.house_tokens().fonts.roles()
    expected = []
    for role in ("serif", "sans"):  # each family's faces in Word's order of slots
        have = {(f.weight, f.style == "italic") for f in tokens[role].faces}
        expected += [(tokens[role].family, slot) for face, slot in SLOTS.items()
                     if face in have]
    assert [(f.family, f.slot) for f in house_faces] == expected
    assert [f.part for f in house_faces] == [f"word/fonts/font{i}.odttf"
                                             for i in range(1, len(house_faces) + 1)]
    for face in house_faces:
        font = plain(face)
        assert font["name"].getDebugName(1) == face.family
        weight, italic = next(k for k, slot in SLOTS.items() if slot == face.slot)
        assert font["OS/2"].usWeightClass == weight
        assert bool(font["OS/2"].fsSelection & 1) == italic


def test_each_face_has_its_own_key_derived_from_its_bytes(
        house_faces: list[EmbeddedFace], cache: Path) -> None:
    keys = [face.key for face in house_faces]
    assert len(set(keys)) == len(keys)
    for key in keys:
        assert key.startswith("{") and key.endswith("}") and key == key.upper()
        assert [len(group) for group in key.strip("{}").split("-")] == [8, 4, 4, 4, 12]
    assert embedded_faces(cache) == house_faces  # the same fonts, the same keys and bytes


def test_a_bundled_face_joins_its_subsets(house_faces: list[EmbeddedFace]) -> None:
    """The embedded regular serif covers every character of its latin and latin-ext files."""
    face = house_faces[0]
    stem = design.house_tokens().fonts.serif.faces[0].stem
    wanted: set[int] = set()
    for subset in design.tokens().font_subsets:
        wanted |= set(TTFont(FONTS / f"{stem.format(subset=subset)}.woff2").getBestCmap())
    covered = set(plain(face).getBestCmap())
    assert wanted <= covered
    assert 0x0142 in covered and 0x0041 in covered  # "ł" of latin-ext, "A" of latin


def test_the_house_faces_are_merged_once_then_read_from_the_cache(tidewater: Brand,
                                                                   tmp_path: Path) -> None:
    """A brand that sets the serif only: its faces for it, the house sans for the rest,
    merged from the bundled subsets into an empty cache (three faces, not the seven)."""
    serif_only = msgspec.structs.replace(tidewater, fonts=tidewater.fonts[:1])
    faces = embedded_faces(tmp_path, serif_only)
    sans = design.house_tokens().fonts.sans.family
    assert [(f.family, f.slot) for f in faces] == [
        ("Fira Sans", "embedRegular"), ("Fira Sans", "embedItalic"),
        (sans, "embedRegular"), (sans, "embedBold"), (sans, "embedItalic")]
    cached = sorted((tmp_path / "docx").iterdir())
    assert [p.name.rsplit("-", 1)[0] for p in cached] == [
        "source-sans-3-all-400-italic", "source-sans-3-all-400-normal",
        "source-sans-3-all-700-normal"]  # one file a face, and no temporary left
    regular = plain(faces[2])
    assert obfuscate(faces[2].data, faces[2].key) == cached[1].read_bytes()
    assert regular["name"].getDebugName(1) == sans
    bold = obfuscate(faces[3].data, faces[3].key)
    cached[1].write_bytes(bold)  # the regular's cached file now holds the bold
    again = embedded_faces(tmp_path, serif_only)
    assert obfuscate(again[2].data, again[2].key) == bold  # read, not merged again


def test_a_brand_s_faces_replace_the_house_s_for_its_roles(tidewater: Brand,
                                                           cache: Path) -> None:
    faces = embedded_faces(cache, tidewater)
    assert [(f.family, f.slot) for f in faces] == [
        ("Fira Sans", "embedRegular"), ("Fira Sans", "embedItalic"),
        ("Fira Sans Medium", "embedRegular"), ("Fira Sans Medium", "embedItalic")]
    for face in faces:
        font = plain(face)  # the WOFF2 file, decompressed: a font Word can load
        assert font.flavor is None
        assert font["name"].getDebugName(1) == face.family


def test_a_brand_without_fonts_keeps_the_house_faces(tidewater: Brand, cache: Path,
                                                     house_faces: list[EmbeddedFace]) -> None:
    plain_brand = msgspec.structs.replace(tidewater, fonts=())
    assert embedded_faces(cache, plain_brand) == house_faces


def test_fonts_join_the_font_table_relationships_and_content_types() -> None:
    parts = package_parts()
    faces = [EmbeddedFace("House Serif", "embedRegular", "word/fonts/font1.odttf", "{K1}", b"1"),
             EmbeddedFace("House Serif", "embedBold", "word/fonts/font2.odttf", "{K2}", b"2"),
             EmbeddedFace("House & Sans", "embedRegular", "word/fonts/font3.odttf", "{K3}",
                          b"3")]
    embed(parts, faces)
    table = parse(parts["word/fontTable.xml"])
    assert table.nsmap == {"w": W, "r": R}  # r: declared once, on the root
    serif, sans = table.findall(w("font"))
    assert [c.tag for c in serif] == [w("altName"), w("embedRegular"), w("embedBold")]
    assert [(c.get(f"{{{R}}}id"), c.get(w("fontKey"))) for c in serif[1:]] == [
        ("rIdFont1", "{K1}"), ("rIdFont2", "{K2}")]
    assert sans.get(w("name")) == "House & Sans"
    rels = parse(parts["word/_rels/fontTable.xml.rels"])
    assert [(r.get("Id"), r.get("Type"), r.get("Target")) for r in rels] == [
        (f"rIdFont{i}", f"{R}/font", f"fonts/font{i}.odttf") for i in (1, 2, 3)]
    assert [parts[f"word/fonts/font{i}.odttf"] for i in (1, 2, 3)] == [b"1", b"2", b"3"]
    types = parse(parts["[Content_Types].xml"])
    assert [(d.get("Extension"), d.get("ContentType")) for d in types] == [
        ("odttf", FONT_TYPE), ("xml", "application/xml")]
    assert parse(parts["word/settings.xml"]).find(w("embedTrueTypeFonts")) is not None
    embed(parts, faces)  # again: nothing doubles
    assert len(parse(parts["[Content_Types].xml"])) == 2
    assert [len(f) for f in parse(parts["word/fontTable.xml"])] == [3, 1]


def test_no_faces_leave_the_package_as_it_was() -> None:
    parts = package_parts()
    before = dict(parts)
    embed(parts, [])
    assert parts == before
    assert parts["word/settings.xml"] == SETTINGS  # no embedTrueTypeFonts without fonts
