"""A table too wide for the text column, in the Word edition as LibreOffice shows and saves
it: every word and number of it whole on its line (pandoc's table, in the body's type with
Word's cell margins, broke "Country" and "1,234,567" letter by letter), and the round trip
intact: the file as built and as LibreOffice saves it again import as no change, and an
edit in one of its cells, typed in LibreOffice, imports as that edit.

One soffice over UNO saves the two edited files; another renders the built file to PDF.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdf
import pytest

from briefpress.build import build
from briefpress.importer import import_docx
from briefpress.model import blocks
from briefpress.read.brief import read_brief
from briefpress.readback.outline import read_outline
from conftest import ARCTIC
from office import soffice_convert
from uno_office import LibreOffice

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

ROWS = [("Norway", "1,234,567"), ("Russia", "7,654,321"), ("Canada", "45,210"),
        ("United States", "312,004")]
WIDE_TABLE = ("| Country | " + " | ".join(str(year) for year in range(2015, 2025))
              + " | Total change |\n|" + "---|" * 12 + "\n"
              + "".join(f"| {name} | " + f"{figure} | " * 10 + "+12,345 |\n"
                        for name, figure in ROWS))
"""Twelve columns of countries and numbers: the PDF sets it across the page in smaller type."""

AFTER = "Vessel counts tell the story plainly.\n"


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The arctic brief with the wide table, its Word edition as built, as LibreOffice saves
    it unedited, with one cell edited in LibreOffice, and LibreOffice's PDF of it."""
    root = tmp_path_factory.mktemp("wide")
    folder = root / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    brief = folder / "brief.md"
    text = brief.read_text(encoding="utf-8")
    assert AFTER in text
    brief.write_text(text.replace(AFTER, AFTER + "\n" + WIDE_TABLE), encoding="utf-8")
    built, = build([str(folder)], ["docx"], build_dir=root / "build")
    office = LibreOffice(root / "profile")
    try:
        results = office.edit([
            {"source": str(built), "out": str(root / "resaved.docx"), "steps": [],
             "author": "Jane Editor"},
            {"source": str(built), "out": str(root / "edited.docx"), "author": "Jane Editor",
             "steps": [{"op": "replace", "find": "Russia", "with": "Russian Federation"}]}])
    finally:
        office.close()
    assert not [r for r in results if r["error"]], results
    pdf = soffice_convert(built, "pdf", root / "pdf", root / "pdf-profile")
    return {"folder": folder, "built": built, "resaved": root / "resaved.docx",
            "edited": root / "edited.docx", "pdf": pdf, "build": root / "build"}


def test_libreoffice_sets_every_word_of_the_wide_table_whole(wide: dict[str, Path]) -> None:
    """Each word and number of the table is a word of the PDF's text: none broken across
    lines ("Coun" over "try", "1,234" over ",567")."""
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(wide["pdf"]).pages)
    words = set(text.split())
    table = {word for line in WIDE_TABLE.splitlines() for word in line.split()} - {"|"}
    table -= {word for word in table if set(word) <= set("|-")}  # the dashes under the header
    assert table - words == set()


@pytest.mark.parametrize("which", ["built", "resaved"])
def test_the_wide_table_imports_as_no_change(wide: dict[str, Path], which: str) -> None:
    folder = wide["folder"]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = import_docx(wide[which], str(folder), dry_run=True, build_dir=wide["build"])
    assert result.unchanged, result.diff()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_the_built_file_reads_back_as_the_brief_s_outline(wide: dict[str, Path]) -> None:
    """(LibreOffice's save drops the bookmark of a heading right after a table, wide or not:
    docs/word-round-trip.md, Limits.)"""
    assert read_outline(wide["built"]) == read_brief(wide["folder"]).outline()


def _cells(folder: Path) -> list[list[str]]:
    """The text of each cell of the brief's first table."""
    table = next(block for section in read_brief(folder).walk() for block in section.blocks
                 if isinstance(block, blocks.Table))
    return [[blocks.stringify(cell[4]) for cell in row[1]] for row in table.rows()]


def test_an_edit_in_a_wide_table_s_cell_imports_as_that_edit(wide: dict[str, Path],
                                                             tmp_path: Path) -> None:
    folder = tmp_path / "content" / ARCTIC.name
    shutil.copytree(wide["folder"], folder)
    before = (folder / "brief.md").read_text(encoding="utf-8")
    cells = _cells(folder)
    result = import_docx(wide["edited"], str(folder), build_dir=tmp_path / "build")
    assert not result.unchanged
    after = (folder / "brief.md").read_text(encoding="utf-8")
    cells[2][0] = "Russian Federation"
    assert _cells(folder) == cells
    # nothing but the table's lines changed
    head, _, _ = before.partition("| Country |")
    assert after.startswith(head)
    assert after.partition("| United States |")[2].partition("\n")[2] == \
        before.partition("| United States |")[2].partition("\n")[2]
