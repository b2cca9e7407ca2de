"""Cross-references (@fig-x, @tbl-x, @sec-x) as a reader sees them in the PDF, the Word file
and the web page: the same numbers and live links in all three; and they survive the Word
round trip, as built and as LibreOffice saves it again."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import lxml.html
import pypdf
import pytest
from tests.conftest import WATER

from briefpress.build import build
from briefpress.importer import import_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("xref")
    folder = root / "content" / WATER.name
    shutil.copytree(WATER, folder)
    paths = build([str(folder)], ["pdf", "docx", "html"], build_dir=root / "build")
    found = {p.suffix.lstrip("."): p for p in paths if p.parent.name == WATER.name}
    return {"folder": folder, "build": root / "build", "root": root, **found}


def test_the_pdf_numbers_captions_and_links_references(editions: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(editions["pdf"])
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "since 2005 (Figure 1); Table 1 lists" in text
    assert "FIGURE 1: Withdrawals from four shared basins" in text
    assert "TABLE 1: Agreements in the basins studied" in text
    assert "the section What Makes Agreements Hold says" in text
    assert {"fig-withdrawals", "tbl-agreements", "agreements"} <= set(reader.named_destinations)
    dests = [a.get_object().get("/Dest") for page in reader.pages
             for a in page.get("/Annots") or []]
    assert {"fig-withdrawals", "tbl-agreements", "agreements"} <= set(dests)


def test_the_web_page_links_the_same_numbers(editions: dict[str, Path]) -> None:
    page = lxml.html.parse(str(editions["html"])).getroot()
    refs = [(a.get("href"), a.text_content()) for a in page.xpath("//main//a[@class='xref']")]
    assert refs == [("#fig-withdrawals", "Figure 1"), ("#tbl-agreements", "Table 1"),
                    ("#agreements", "What Makes Agreements Hold"), ("#tbl-agreements", "Table 1")]
    assert page.xpath("//figure[@id='fig-withdrawals']//span[@class='caption-label']/text()") \
        == ["Figure 1:"]
    assert page.xpath("//table[@id='tbl-agreements']//span[@class='caption-label']/text()") \
        == ["Table 1:"]
    assert page.xpath("//*[@id='agreements']")


def test_the_word_file_links_to_bookmarks_with_the_same_numbers(
        editions: dict[str, Path]) -> None:
    document = docx.Document(str(editions["docx"]))
    body = document.element.body
    links = [(h.get(f"{W}anchor"), "".join(t.text for t in h.iter(f"{W}t")))
             for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    assert links == [("fig-withdrawals", "Figure 1"), ("tbl-agreements", "Table 1"),
                     ("agreements", "What Makes Agreements Hold"), ("tbl-agreements", "Table 1")]
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert {"fig-withdrawals", "tbl-agreements", "agreements"} <= bookmarks
    text = [p.text for p in document.paragraphs]
    assert "Figure 1: Withdrawals from four shared basins, 2005–2020 (illustrative)." in text
    assert "Table 1: Agreements in the basins studied (illustrative)." in text


@pytest.mark.libreoffice
@pytest.mark.parametrize("which", ["built", "resaved"])
def test_references_survive_the_round_trip(editions: dict[str, Path], which: str) -> None:
    from office import soffice_convert
    source = editions["docx"]
    if which == "resaved":
        source = soffice_convert(source, "docx", editions["root"] / "resaved",
                                 editions["root"] / "profile")
    folder = editions["folder"]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = import_docx(source, str(folder), dry_run=True, build_dir=editions["build"])
    assert result.unchanged, result.diff()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize("which", ["built", "resaved"])
def test_an_edited_paragraph_keeps_its_references_and_captions_their_numbers(
        editions: dict[str, Path], tmp_path: Path, which: str) -> None:
    from docxedit import DocxEditor
    from office import soffice_convert
    source = editions["docx"]
    if which == "resaved":
        source = soffice_convert(source, "docx", editions["root"] / "resaved-2",
                                 editions["root"] / "profile-2")
    doc = DocxEditor(source)
    doc.replace("grew every five years", "every five years", "in each five-year period")
    doc.replace("Agreements in the basins studied", "(illustrative)", "(illustrative data)")
    edited = tmp_path / "edited.docx"
    doc.save(edited)
    folder = editions["folder"]
    result = import_docx(edited, str(folder), dry_run=True, build_dir=editions["build"])
    diff = result.diff()
    assert "+Withdrawals in the basins studied grew in each five-year period since 2005 " \
        "(@fig-withdrawals); @tbl-agreements lists the agreements that govern them, and the " \
        "section @sec-agreements says which of them held." in diff
    assert "+: Agreements in the basins studied (illustrative data). {#tbl-agreements}" in diff
    assert "Table 1" not in diff and "Figure 1" not in diff
