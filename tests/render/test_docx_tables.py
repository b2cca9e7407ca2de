"""render/docx_tables.py: a table too wide for the text column (table_width.is_wide) gets the
Wide Table Text style in its cells' plain paragraphs, the text's width and the wide table's
gap as its cell margins; every other table, and a file without a wide one, stays as pandoc
wrote it."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefpress.build import build
from briefpress.render.docx_styles import WIDE_TABLE_TEXT
from briefpress.render.docx_tables import compact_wide_tables
from briefpress.render.table_width import wide_table_gap_pt
from conftest import ARCTIC

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _styles() -> bytes:
    """A styles part naming the wide tables' paragraph style as python-docx names it."""
    root = etree.Element(w("styles"), nsmap={"w": W})
    for ident, name in (("Compact", "Compact"), ("WideTableText", WIDE_TABLE_TEXT)):
        style = etree.SubElement(root, w("style"), {w("type"): "paragraph",
                                                    w("styleId"): ident})
        etree.SubElement(style, w("name"), {w("val"): name})
    return etree.tostring(root)


def _paragraph(cell: etree._Element, text: str, style: str | None,
               numbered: bool = False) -> None:
    paragraph = etree.SubElement(cell, w("p"))
    if style is not None or numbered:
        properties = etree.SubElement(paragraph, w("pPr"))
        if style is not None:
            etree.SubElement(properties, w("pStyle"), {w("val"): style})
        if numbered:
            numbering = etree.SubElement(properties, w("numPr"))
            etree.SubElement(numbering, w("numId"), {w("val"): "3"})
    etree.SubElement(etree.SubElement(paragraph, w("r")), w("t")).text = text


def _document(*tables: list[list[str]]) -> bytes:
    """A main part of pandoc's tables (its table properties, each cell a Compact paragraph)."""
    root = etree.Element(w("document"), nsmap={"w": W})
    body = etree.SubElement(root, w("body"))
    for rows in tables:
        table = etree.SubElement(body, w("tbl"))
        properties = etree.SubElement(table, w("tblPr"))
        etree.SubElement(properties, w("tblStyle"), {w("val"): "Table"})
        etree.SubElement(properties, w("tblW"), {w("type"): "auto", w("w"): "0"})
        etree.SubElement(properties, w("tblLook"), {w("firstRow"): "1"})
        for cells in rows:
            row = etree.SubElement(table, w("tr"))
            for text in cells:
                _paragraph(etree.SubElement(row, w("tc")), text, "Compact")
        etree.SubElement(body, w("p"))
    return etree.tostring(root)


WIDE_ROWS = [["Country", *map(str, range(2015, 2024))], ["Norway", *["1,234,567"] * 9]]
NARROW_ROWS = [["Year", "Transits"], ["2019", "12"]]


def _styles_of(table: etree._Element) -> list[str]:
    return [style.get(w("val")) for style in table.iter(w("pStyle"))]


def test_a_wide_table_is_set_compact_and_a_narrow_one_left_alone() -> None:
    root = etree.fromstring(compact_wide_tables(_document(WIDE_ROWS, NARROW_ROWS), _styles()))
    wide, narrow = root.iter(w("tbl"))
    assert _styles_of(wide) == ["WideTableText"] * 20
    properties = wide.find(w("tblPr"))
    # in the schema's order: the cell margins between the width and the look
    assert [etree.QName(child).localname for child in properties] == [
        "tblStyle", "tblW", "tblCellMar", "tblLook"]
    width = properties.find(w("tblW"))
    assert (width.get(w("type")), width.get(w("w"))) == ("pct", "5000")
    margins = {etree.QName(side).localname: (side.get(w("w")), side.get(w("type")))
               for side in properties.find(w("tblCellMar"))}
    assert margins == {"left": ("0", "dxa"),
                       "right": (str(round(wide_table_gap_pt() * 20)), "dxa")}
    assert _styles_of(narrow) == ["Compact"] * 4
    assert narrow.find(f"{w('tblPr')}/{w('tblW')}").get(w("type")) == "auto"
    assert narrow.find(f"{w('tblPr')}/{w('tblCellMar')}") is None


def test_a_table_of_few_columns_but_long_words_is_wide_too() -> None:
    """Three columns whose longest words the text column cannot hold side by side at a
    table's size (table_width.is_wide, as the PDF decides)."""
    rows = [["Registry", "Administrative-subdivision", "Reference"],
            ["W" * 28, "Norway-and-Svalbard-administrative-region", "X" * 30]]
    root = etree.fromstring(compact_wide_tables(_document(rows), _styles()))
    assert _styles_of(root.find(f".//{w('tbl')}")) == ["WideTableText"] * 6


def test_a_quotation_in_a_wide_table_s_cell_keeps_its_style() -> None:
    """pandoc reads a quotation (code too) by its style: only the plain paragraphs pandoc
    writes in a cell (Compact, Body Text, First Paragraph, or no style) take the wide
    table's, a list item among them (pandoc reads it by its numbering, which it keeps)."""
    document = etree.fromstring(_document(WIDE_ROWS))
    cell = document.find(f".//{w('tc')}")
    _paragraph(cell, "an item", "Compact", numbered=True)
    _paragraph(cell, "a quotation", "BlockText")
    _paragraph(cell, "a second paragraph", "BodyText")
    _paragraph(cell, "unstyled", None)
    root = etree.fromstring(compact_wide_tables(etree.tostring(document), _styles()))
    paragraphs = root.find(f".//{w('tc')}").findall(w("p"))
    assert [p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) for p in paragraphs] == [
        "WideTableText", "WideTableText", "BlockText", "WideTableText", "WideTableText"]
    assert paragraphs[1].find(f"{w('pPr')}/{w('numPr')}") is not None


def test_a_file_without_a_wide_table_is_the_same_bytes() -> None:
    document = _document(NARROW_ROWS)
    assert compact_wide_tables(document, _styles()) is document


def test_a_reference_document_without_the_style_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no paragraph style 'Wide Table Text'"):
        compact_wide_tables(_document(WIDE_ROWS), etree.tostring(etree.Element(w("styles"))))


WIDE_TABLE = ("| Country | " + " | ".join(str(year) for year in range(2015, 2025))
              + " | Total change |\n|" + "---|" * 12 + "\n"
              + "".join(f"| {name} | " + f"{figure} | " * 10 + "+12,345 |\n"
                        for name, figure in (("Norway", "1,234,567"), ("Russia", "7,654,321"),
                                             ("United States", "312,004"))))
"""Twelve columns of numbers: the PDF sets it across the page in smaller type."""


def test_the_built_file_of_a_wide_table_is_the_same_bytes_each_time(tmp_path: Path) -> None:
    folder = tmp_path / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    brief = folder / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8").replace(
        "Vessel counts tell the story plainly.\n",
        "Vessel counts tell the story plainly.\n\n" + WIDE_TABLE), encoding="utf-8")
    first, = build([str(folder)], ["docx"], build_dir=tmp_path / "one")
    second, = build([str(folder)], ["docx"], build_dir=tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    wide, narrow = root.iter(w("tbl"))
    assert set(_styles_of(wide)) == {"WideTableText"}
    assert set(_styles_of(narrow)) == {"Compact"}
