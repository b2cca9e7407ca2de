"""The Word reference document's cache and the citation bookmarks' names
(render/docx_styles.py)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from briefpress.model.brief import Brand
from briefpress.render.docx_reference import build_reference_doc
from briefpress.render.docx_styles import CITATION_MARK, citation_mark, reference_doc


@pytest.mark.parametrize(("name", "number"), [
    (f"{CITATION_MARK}0", 0),
    (f"{CITATION_MARK}12", 12),
    (f"{CITATION_MARK}12_Copy_1", 12),  # LibreOffice's copy at each save
    (f"{CITATION_MARK}007", 7),
    (CITATION_MARK, None),
    (f"{CITATION_MARK}_Copy_1", None),
    (f"{CITATION_MARK}x3", None),
    ("executive-summary", None),
    ("_Toc12", None),
    (f"x{CITATION_MARK}3", None),
    ("", None),
])
def test_citation_marks_are_read_by_their_number(name: str, number: int | None) -> None:
    assert citation_mark(name) == number


def test_the_reference_document_is_made_once_and_then_read_from_the_cache(
        tmp_path: Path) -> None:
    path = reference_doc(tmp_path)
    assert path.parent == tmp_path / "docx"
    assert path.name.startswith("reference-") and path.suffix == ".docx"
    assert path.read_bytes() == build_reference_doc()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left
    path.write_bytes(b"as cached")
    assert reference_doc(tmp_path) == path
    assert path.read_bytes() == b"as cached"  # found, not made again
    path.unlink()
    assert reference_doc(tmp_path).read_bytes() == build_reference_doc()  # emptied: made again


def test_a_brand_has_its_own_reference_document(tmp_path: Path, tidewater: Brand) -> None:
    house = reference_doc(tmp_path)
    branded = reference_doc(tmp_path, tidewater)
    assert branded != house
    assert branded.read_bytes() == build_reference_doc(tidewater)
    # the logo and the wordmark are no part of the styles: the same document
    renamed = msgspec.structs.replace(tidewater, wordmark="Other", logo_svg=None, title="X")
    assert reference_doc(tmp_path, renamed) == branded
    # another colour, or other families, are another one
    colours = tuple((k, "#000000" if k == "navy" else v) for k, v in tidewater.colors)
    recoloured = msgspec.structs.replace(tidewater, colors=colours)
    assert reference_doc(tmp_path, recoloured) not in (house, branded)
    serif, sans = tidewater.fonts
    one_family = msgspec.structs.replace(tidewater, fonts=(
        serif, msgspec.structs.replace(sans, family=serif.family)))
    assert reference_doc(tmp_path, one_family) not in (house, branded)
    assert len(list((tmp_path / "docx").iterdir())) == 4
