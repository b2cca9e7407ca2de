"""The bundled fonts are named inside as the styles name them, so Word finds the embedded
face instead of falling back (to Calibri): their name tables, read with fontTools, and the
faces embedded in the Word file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from briefpress.build import build
from briefpress.render import design
from briefpress.render.docx_fonts import obfuscate
from briefpress.support.paths import FONTS
from conftest import ARCTIC

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

WEIGHTS = {400: "Regular", 600: "SemiBold", 700: "Bold"}


def _faces() -> list[tuple[str, int, str, Path]]:
    faces = []
    for font in design.tokens()["fonts"].values():
        for face in font["faces"]:
            for subset in design.tokens()["font_subsets"]:
                path = FONTS / f"{face['stem'].format(subset=subset)}.woff2"
                faces.append((font["family"], face["weight"], face["style"], path))
    return faces


@pytest.mark.parametrize(("family", "weight", "style", "path"), _faces(),
                         ids=[face[3].stem for face in _faces()])
def test_each_bundled_file_is_named_as_the_tokens_name_its_family(
        family: str, weight: int, style: str, path: Path) -> None:
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


def test_the_word_file_embeds_faces_named_as_its_styles_ask(tmp_path: Path) -> None:
    docx, = build([str(ARCTIC)], ["docx"], build_dir=tmp_path)
    with zipfile.ZipFile(docx) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
        rels = etree.fromstring(archive.read("word/_rels/fontTable.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{REL}Relationship")}
        styles = etree.fromstring(archive.read("word/styles.xml"))
        asked = {fonts.get(f"{W}ascii") for fonts in styles.iter(f"{W}rFonts")} - {None}
        embedded = {}
        for font in table.iter(f"{W}font"):
            for slot in font:
                if not slot.tag.startswith(f"{W}embed"):
                    continue
                data = obfuscate(archive.read(f"word/{targets[slot.get(f'{R}id')]}"),
                                 slot.get(f"{W}fontKey"))
                face = TTFont(io.BytesIO(data))
                embedded.setdefault(font.get(f"{W}name"), set()).add(
                    face["name"].getDebugName(1))
    families = {font["family"] for font in design.tokens()["fonts"].values()}
    assert families <= asked
    # every face embedded under a name carries that very name in its table
    assert embedded == {family: {family} for family in families}
