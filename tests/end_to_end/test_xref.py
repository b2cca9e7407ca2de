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

pytestmark = pytest.mark.slow

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
    # a label is one word: "Figure" and its number never part at a line's end
    assert refs == [("#fig-withdrawals", "Figure\u00a01"), ("#tbl-agreements", "Table\u00a01"),
                    ("#agreements", "What Makes Agreements Hold"),
                    ("#tbl-agreements", "Table\u00a01")]
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
    assert links == [("fig-withdrawals", "Figure\u00a01"), ("tbl-agreements", "Table\u00a01"),
                     ("agreements", "What Makes Agreements Hold"),
                     ("tbl-agreements", "Table\u00a01")]
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert {"fig-withdrawals", "tbl-agreements", "agreements"} <= bookmarks
    text = [p.text for p in document.paragraphs]
    assert "Figure 1: Withdrawals from four shared basins, 2005–2020 (illustrative)." in text
    assert "Table 1: Agreements in the basins studied (illustrative)." in text


@pytest.fixture(scope="module")
def resaved(editions: dict[str, Path], footnoted: dict[str, Path],
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Word files of :func:`editions` (``water``) and :func:`footnoted` as LibreOffice
    saves them again: in one start of LibreOffice, which costs more than the saves."""
    from office import soffice_convert_many
    out = tmp_path_factory.mktemp("xref-resaved")
    (out / "in").mkdir()
    named = {"water": out / "in" / "water.docx", "footnoted": out / "in" / "footnoted.docx"}
    shutil.copyfile(editions["docx"], named["water"])  # soffice names a result by its source
    shutil.copyfile(footnoted["docx"], named["footnoted"])
    saved = soffice_convert_many(list(named.values()), "docx", out / "lo", out / "profile")
    return dict(zip(named, saved, strict=True))


@pytest.mark.libreoffice
@pytest.mark.parametrize("which", ["built", "resaved"])
def test_references_survive_the_round_trip(editions: dict[str, Path], which: str,
                                           request: pytest.FixtureRequest) -> None:
    source = editions["docx"]
    if which == "resaved":
        source = request.getfixturevalue("resaved")["water"]
    folder = editions["folder"]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = import_docx(source, str(folder), dry_run=True, build_dir=editions["build"])
    assert result.unchanged, result.diff()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize("which", ["built", "resaved"])
def test_an_edited_paragraph_keeps_its_references_and_captions_their_numbers(
        editions: dict[str, Path], tmp_path: Path, which: str,
        request: pytest.FixtureRequest) -> None:
    from docxedit import DocxEditor
    source = editions["docx"]
    if which == "resaved":
        source = request.getfixturevalue("resaved")["water"]
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


def test_references_retyped_in_word_stay_references(editions: dict[str, Path],
                                                    tmp_path: Path) -> None:
    """Tester 6's M3: the editor retypes "(Figure 1); Table 1 lists" as "(see Figure 1); Table
    1 lists": Word drops the hyperlinks and keeps the words. Where those words still read
    the label of a reference the paragraph lost, they are that reference again: the source
    gains "see", and keeps @fig-withdrawals and @tbl-agreements."""
    from docxedit import DocxEditor
    doc = DocxEditor(editions["docx"])
    doc.unlink("since 2005", "Figure\u00a01")  # the words as the file has them
    doc.unlink("since 2005", "Table\u00a01")
    doc.insert("since 2005", "since 2005 (", "see ", "Jane Editor", "2026-12-07T15:34:00Z")
    edited = tmp_path / "edited.docx"
    doc.save(edited)
    result = import_docx(edited, str(editions["folder"]), dry_run=True,
                         build_dir=editions["build"])
    changed = [line for line in result.diff().splitlines()
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        "-Withdrawals in the basins studied grew every five years since 2005 "
        "(@fig-withdrawals); @tbl-agreements lists the agreements that govern them, and the "
        "section @sec-agreements says which of them held.",
        "+Withdrawals in the basins studied grew every five years since 2005 "
        "(see @fig-withdrawals); @tbl-agreements lists the agreements that govern them, and "
        "the section @sec-agreements says which of them held."]
    assert not result.forced


@pytest.fixture(scope="module")
def footnoted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The water brief with a footnote closing the section @sec-agreements points at, and
    one closing the section of the figure and the table: a section whose last paragraph
    ends in a footnote is one LibreOffice saves with the section's bookmark starting inside
    its heading (and no second bookmark of that name further down), the file that made the
    import write ``@sec-agreements`` as a link to ``#what-makes-agreements-hold``."""
    root = tmp_path_factory.mktemp("xref-notes")
    folder = root / "content" / WATER.name
    shutil.copytree(WATER, folder)
    text = (folder / "brief.md").read_text(encoding="utf-8")
    text = text.replace(
        ": Agreements in the basins studied (illustrative). {#tbl-agreements}\n",
        ": Agreements in the basins studied (illustrative). {#tbl-agreements}\n\n"
        "The figures are rounded.[^rounded]\n")
    text = text.replace("within two dry seasons.", "within two dry seasons.[^seasons]")
    text += ("[^rounded]: To the nearest cubic kilometre.\n"
             "[^seasons]: A dry season is six months here.\n")
    (folder / "brief.md").write_text(text, encoding="utf-8")
    built, = build([str(folder)], ["docx"], build_dir=root / "build")
    return {"folder": folder, "build": root / "build", "root": root, "docx": built}


@pytest.mark.libreoffice
def test_references_to_a_section_ending_in_a_footnote_survive_a_libreoffice_save(
        footnoted: dict[str, Path], resaved: dict[str, Path]) -> None:
    body = docx.Document(str(resaved["footnoted"])).element.body
    # what LibreOffice made of the section's bookmark: it starts in the heading's paragraph
    heading = next(p for p in body.iter(f"{W}p")
                   if "".join(t.text for t in p.iter(f"{W}t")) == "What Makes Agreements Hold")
    assert "agreements" in [b.get(f"{W}name") for b in heading.iter(f"{W}bookmarkStart")]
    folder = footnoted["folder"]
    result = import_docx(resaved["footnoted"], str(folder), dry_run=True,
                         build_dir=footnoted["build"])
    assert result.unchanged, result.diff()


@pytest.mark.libreoffice
def test_references_survive_a_real_libreoffice_edit_elsewhere(
        footnoted: dict[str, Path]) -> None:
    from uno_office import LibreOffice
    out = footnoted["root"] / "uno"
    office = LibreOffice(out / "profile")
    try:
        [done] = office.edit([{"source": str(footnoted["docx"]), "out": str(out / "edited.docx"),
                               "steps": [{"op": "type", "after": "crosses a border",
                                          "text": " or a coastline"}],
                               "author": "Jane Editor"}])
    finally:
        office.close()
    assert not done["error"], done
    folder = footnoted["folder"]
    result = import_docx(out / "edited.docx", str(folder), dry_run=True,
                         build_dir=footnoted["build"])
    changed = [line for line in result.diff().splitlines()
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        "-More than half of the world's river flow crosses a border.[^flow] Most basin "
        "agreements were written for average years, not for droughts.",
        "+More than half of the world's river flow crosses a border or a coastline.[^flow] "
        "Most basin agreements were written for average years, not for droughts."]
