"""Citations: `[@key]` with a bibliography in the brief's folder, rendered by citeproc in the
Chicago notes style in all three editions as a reader sees them, and given back unchanged by
`briefpress import` after Word and LibreOffice (reading the bibliography and checking the keys:
tests/read/test_citations.py, tests/check/test_citations.py)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from lxml import etree
from tests.conftest import WATER

from briefpress.cli import main
from briefpress.importer import import_docx
from briefpress.support.backup import review_file
from office import soffice_convert

pytestmark = pytest.mark.slow

NOTE = ("Stephen C. McCaffrey, “Drought Clauses in Transboundary Water Treaties,” Journal of "
        "Water Law 12, no. 3 (2019): 110.")
ENTRY = ("McCaffrey, Stephen C. “Drought Clauses in Transboundary Water Treaties.” Journal of "
         "Water Law 12, no. 3 (2019): 101–25.")
CITED = "renegotiated less often [@mccaffrey2019, 110]."
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cite") / "build"
    assert main(["build", str(WATER), "--build-dir", str(out)]) == 0
    return out / "water-security"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_sets_the_citation_as_a_footnote_and_lists_the_sources(built: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = _words(subprocess.run([pdftotext, str(built / "water-security.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout)
    assert "renegotiated less often.3" in text  # the note's call, after the full stop
    assert "3. " + NOTE in text
    assert "Sources " + ENTRY in text
    assert "@mccaffrey2019" not in text


def test_the_web_page_has_the_note_and_a_sources_section(built: Path) -> None:
    page = lxml.html.parse(str(built / "index.html")).getroot()
    notes = [_words(li.text_content())
             for li in page.xpath("//section[@role='doc-endnotes']//li")]
    assert any(note.startswith(NOTE) for note in notes)
    sources = page.xpath("//section[contains(@class, 'bibliography')]")[0]
    assert sources.xpath(".//h2")[0].text_content() == "Sources"
    assert [_words(e.text_content()) for e in sources.xpath(".//*[@class='csl-entry']")] == [
        ENTRY]


def test_the_word_file_has_the_note_and_the_sources(built: Path) -> None:
    document = docx.Document(str(built / "water-security.docx"))
    styled = [(p.style.name, _words(p.text)) for p in document.paragraphs]
    assert ("Bibliography", "Sources") in styled and ("Bibliography", ENTRY) in styled
    with zipfile.ZipFile(built / "water-security.docx") as package:
        notes = etree.fromstring(package.read("word/footnotes.xml"))
    texts = [_words("".join(n.itertext())) for n in notes.iter(f"{W}footnote")]
    assert NOTE in texts


def _edit_text(source: Path, target: Path, old: str, new: str) -> None:
    """``source`` with ``old`` replaced by ``new`` in one run of the body or the notes."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in ("word/document.xml", "word/footnotes.xml"):
                root = etree.fromstring(data)
                for text in root.iter(f"{W}t"):
                    if text.text and old in text.text:
                        text.text = text.text.replace(old, new)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            zout.writestr(info, data)


def test_an_untouched_word_file_imports_as_no_change(word_file: tuple[Path, Path]) -> None:
    folder, built_docx = word_file
    result = import_docx(built_docx, str(folder), dry_run=True,
                         build_dir=built_docx.parent.parent)
    assert result.unchanged, result.diff()
    assert not result.outcome.notices


@pytest.mark.libreoffice
def test_a_word_file_libreoffice_saved_imports_as_no_change(
        word_file: tuple[Path, Path], tmp_path: Path) -> None:
    folder, built_docx = word_file
    resaved = soffice_convert(built_docx, "docx", tmp_path / "resaved", tmp_path / "profile")
    result = import_docx(resaved, str(folder), dry_run=True, build_dir=tmp_path / "build")
    assert result.unchanged, result.diff()


def test_an_edit_beside_a_citation_keeps_the_key(word_file: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    folder, built_docx = word_file
    before = (folder / "brief.md").read_text(encoding="utf-8")
    _edit_text(built_docx, tmp_path / "edited.docx", "renegotiated less often",
               "renegotiated far less often")
    import_docx(tmp_path / "edited.docx", str(folder), build_dir=tmp_path / "build")
    assert (folder / "brief.md").read_text(encoding="utf-8") == before.replace(
        CITED, "renegotiated far less often [@mccaffrey2019, 110].")


def test_an_edit_of_a_citations_text_is_reported_not_imported(
        word_file: tuple[Path, Path], tmp_path: Path) -> None:
    folder, built_docx = word_file
    before = (folder / "brief.md").read_text(encoding="utf-8")
    _edit_text(built_docx, tmp_path / "edited.docx", "(2019): 110", "(2019): 111")
    import_docx(tmp_path / "edited.docx", str(folder), build_dir=tmp_path / "build")
    assert (folder / "brief.md").read_text(encoding="utf-8") == before
    review = review_file(folder).read_text(encoding="utf-8")
    assert "the text of the citation [@mccaffrey2019] was edited in Word" in review
    assert "(2019): 111." in review


def test_links_to_the_works_cited_and_raw_anchors_build_and_land(tmp_path: Path) -> None:
    """In-page links to what only pandoc or the templates make (citeproc's list, a note, the
    notes' heading) or raw HTML writes: the web page is built, each link lands on its id."""
    folder = tmp_path / "content" / WATER.name
    shutil.copytree(WATER, folder)
    text = (folder / "brief.md").read_text(encoding="utf-8")
    (folder / "brief.md").write_text(text.replace(
        "Where any of the three was missing,",
        "See [refs](#refs), [entry](#ref-mccaffrey2019), [raw](#rawanchor) "
        '<a id="rawanchor"></a>, [the note](#fn1) and [notes](#bp-notes-title).\n\n'
        "Where any of the three was missing,"), encoding="utf-8")
    out = tmp_path / "build"
    assert main(["build", str(folder), "--format", "html", "--build-dir", str(out)]) == 0
    page = lxml.html.parse(str(out / "water-security" / "index.html")).getroot()
    targets = ["refs", "ref-mccaffrey2019", "rawanchor", "fn1", "bp-notes-title"]
    for target in targets:
        assert page.xpath(f"//a[@href='#{target}']"), target
        assert page.xpath(f"//*[@id='{target}']"), target
