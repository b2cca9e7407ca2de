"""The editors' Word file: styles, title block, ids, links, notes, tables, fonts, reproducibility.

Asserted through what Word shows (python-docx: styles, paragraphs, header) and the
package parts that carry meaning (relationships, bookmarks, properties), never
against a golden binary.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from tests.support.test_ooxml import SETTINGS_ORDER

from briefpress import pandoc
from briefpress.build import build
from briefpress.check.brief import compare_outlines
from briefpress.errors import BriefError
from briefpress.model import blocks, xref
from briefpress.model.options import RenderOptions
from briefpress.read.brief import read_brief
from briefpress.render import design, docx_styles
from briefpress.render import docx as docx_format
from briefpress.render.docx import read_outline
from briefpress.render.docx_fonts import obfuscate
from briefpress.render.docx_package import (
    PROP_REVISION,
    PROP_SLUG,
    custom_properties,
    embedded_source,
)
from briefpress.support.docx_open import open_docx
from conftest import ARCTIC, REAL, SharedBuild, edit
from docxedit import DocxEditor
from office import soffice_convert


@pytest.fixture(scope="module")
def built(built_once: Callable[..., SharedBuild]) -> dict[str, Path]:
    """Both briefs' Word editions, as the test files that read them share them."""
    real, = built_once([REAL], ["docx"]).outputs
    arctic, = built_once([ARCTIC], ["docx"]).outputs
    return {"real": real, "arctic": arctic}


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def xml_part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def test_house_fonts_are_named_with_fallbacks_and_embedded(built: dict[str, Path]) -> None:
    table = xml_part(built["real"], "word/fontTable.xml")
    entries = {font.get(f"{W}name"): font for font in table.iter(f"{W}font")}
    serif, sans = entries["Source Serif 4"], entries["Source Sans 3"]
    assert serif.find(f"{W}altName").get(f"{W}val") == "Georgia"
    assert serif.find(f"{W}family").get(f"{W}val") == "roman"
    assert sans.find(f"{W}altName").get(f"{W}val") == "Calibri"
    slots = {child.tag.removeprefix(W): child for child in serif
             if child.tag.startswith(f"{W}embed")}
    assert set(slots) == {"embedRegular", "embedBold", "embedItalic", "embedBoldItalic"}
    regular = slots["embedRegular"]
    key = regular.get(f"{W}fontKey")
    rels = xml_part(built["real"], "word/_rels/fontTable.xml.rels")
    target, = [rel.get("Target") for rel in rels.iter(f"{REL}Relationship")
               if rel.get("Id") == regular.get(f"{R}id")]
    with zipfile.ZipFile(built["real"]) as archive:
        fonts = [n for n in archive.namelist() if n.startswith("word/fonts/")]
        face = obfuscate(archive.read(f"word/{target}"), key)  # XOR twice: the plain font
    assert len(fonts) >= 6
    assert face[:4] == b"\x00\x01\x00\x00"  # a TrueType font once the key is taken off
    settings = xml_part(built["real"], "word/settings.xml")
    assert settings.find(f"{W}embedTrueTypeFonts") is not None


def test_the_word_file_embeds_faces_named_as_its_styles_ask(built: dict[str, Path]) -> None:
    """Every family the styles ask for is embedded, each face under the very name its own
    name table gives (Word finds an embedded font by that name)."""
    with zipfile.ZipFile(built["arctic"]) as archive:
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
    families = {font.family for font in design.tokens().fonts.roles().values()}
    assert families <= asked
    assert embedded == {family: {family} for family in families}


def test_title_block_then_the_brief_in_reading_order(built: dict[str, Path]) -> None:
    brief = read_brief(REAL)
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(built["real"])).paragraphs]
    assert paragraphs[:6] == [
        ("Document Type", "Policy Brief"),
        ("Title", brief.meta.title),
        ("Subtitle", brief.meta.subtitle),
        ("Author", "Kayla Orta"),
        ("Program", brief.meta.program),
        ("Heading 1", "Executive Summary"),
    ]
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings == [s.title for s in brief.walk()]
    recommendations = [text for style, text in paragraphs if style == "Recommendation"]
    assert recommendations[0].startswith("Mutual policy coordination between")
    assert len(recommendations) == 7
    bio = [text for style, text in paragraphs if style == "Author Bio"]
    assert bio == [brief.meta.authors[0].bio]


def test_running_head_has_the_title_and_the_page_number(built: dict[str, Path]) -> None:
    section = docx.Document(str(built["real"])).sections[0]
    assert section.different_first_page_header_footer  # the title page has no running head
    assert section.header.paragraphs[0].text.startswith(read_brief(REAL).meta.title + "\t")
    header = etree.fromstring(section.header.part.blob)
    assert [i.text for i in header.iter(f"{W}instrText")] == [" PAGE "]
    assert not any(docx_styles.TITLE_PLACEHOLDER in (t.text or "")
                   for t in header.iter(f"{W}t"))
    assert not section.first_page_header.paragraphs[0].text


def test_sections_areas_and_recommendations_carry_their_ids(built: dict[str, Path]) -> None:
    brief = read_brief(REAL)
    outline = read_outline(built["real"])
    assert outline == brief.outline()
    assert compare_outlines(brief.outline(), outline, "the DOCX edition", built["real"]) == []
    document = part(built["real"], "word/document.xml")
    for rec in ("mutual-policy-coordination", "cybersecurity-framework"):
        assert f'w:name="{rec}"' in document


def test_hyperlinks_are_live_and_unknown_targets_are_marked(built: dict[str, Path]) -> None:
    document = part(built["real"], "word/document.xml")
    rels = part(built["real"], "word/_rels/document.xml.rels")
    link = re.search(r'<w:hyperlink r:id="([^"]+)">.*?Treaty</w:t>', document)
    assert link is not None
    target = re.search(rf'Id="{link.group(1)}"[^>]*/>|<Relationship [^>]*Id="{link.group(1)}"'
                       r'[^>]*>', rels).group(0)
    assert 'Target="https://avalon.law.yale.edu/20th_century/kor001.asp"' in target
    assert 'TargetMode="External"' in target
    # a phrase whose URL is not known yet is no hyperlink to nowhere, but visibly marked
    assert 'Target=""' not in rels
    assert document.count('<w:rStyle w:val="LinkWithoutTarget" />') >= 9


def test_footnote_table_and_figure_are_word_objects(built: dict[str, Path]) -> None:
    notes = part(built["arctic"], "word/footnotes.xml")
    assert "Counts of full transits reported by the route administrations" in notes
    document = part(built["arctic"], "word/document.xml")
    assert document.count("<w:footnoteReference ") == 2
    word = docx.Document(str(built["arctic"]))
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Year", "Transits", "Of which tankers"]
    assert [c.text for c in table.rows[3].cells] == ["2023", "55", "21"]
    captions = [p.text for p in word.paragraphs if p.style.name in ("Image Caption",
                                                                     "Table Caption")]
    assert "Table 1: Transits by year (illustrative figures)." in captions  # model/xref.py
    assert any(c.startswith("Figure 1: Transits through the Northern Sea Route") for c in captions)
    with zipfile.ZipFile(built["arctic"]) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert media and (ARCTIC / "transits.png").read_bytes() in [
        zipfile.ZipFile(built["arctic"]).read(n) for n in media]


def test_two_authors_make_about_the_authors(built: dict[str, Path]) -> None:
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(built["arctic"])).paragraphs]
    assert ("Heading 1", "About the Authors") in paragraphs
    assert [t for s, t in paragraphs if s == "Author"] == ["Ana Lindqvist", "Tomás Okafor"]
    assert "Subtitle" not in {s for s, _ in paragraphs}
    # each under the name with the affiliation, in its own style (tester 13, finding 7)
    assert paragraphs[2:6] == [("Author", "Ana Lindqvist"),
                               ("Author Affiliation", "Polar Institute"),
                               ("Author", "Tomás Okafor"),
                               ("Author Affiliation", "Global Risk Initiative")]


def test_the_file_records_its_source_revision(built: dict[str, Path]) -> None:
    brief = read_brief(REAL)
    package = open_docx(built["real"])
    props = custom_properties(package)
    assert props[PROP_SLUG] == "us-rok-partnership"
    assert props[PROP_REVISION] == brief.revision
    assert embedded_source(package) == {"brief.md": brief.markdown,
                                        "recommendations.yaml": brief.recommendations_text}
    core = xml_part(built["real"], "docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == brief.meta.title
    assert core.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Kayla Orta"
    track = xml_part(built["real"], "word/settings.xml").find(f"{W}trackRevisions")
    assert track is not None and track.get(f"{W}val") is None


def test_same_source_same_bytes(built: dict[str, Path], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    again, = build([str(REAL)], ["docx"], build_dir=tmp_path / "again")
    assert again.read_bytes() == built["real"].read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709251200")  # 2024-03-01
    dated, = build([str(REAL)], ["docx"], build_dir=tmp_path / "dated")
    assert "2024-03-01T00:00:00Z" in part(dated, "docProps/core.xml")
    with zipfile.ZipFile(dated) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2024, 3, 1, 0, 0, 0)}


def test_a4_page(tmp_path: Path) -> None:
    a4, = build([str(ARCTIC)], ["docx"], RenderOptions(page_size="a4"), build_dir=tmp_path)
    section = docx.Document(str(a4)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_a_recommendation_of_two_paragraphs_is_one_in_word(scratch: Callable[..., Path],
                                                         tmp_path: Path) -> None:
    """Its later paragraphs in Recommendation Continued, inside its bookmark: the outline
    (and so the build's check of the file) reads one recommendation. Each paragraph in the
    Recommendation style was one recommendation, and the build refused the file ("has
    recommendation 'Publish the positions…' that the source does not have")."""
    folder = scratch()
    edit(folder / "recommendations.yaml",
         "        text: \"Make position reporting mandatory beyond the Polar Code's minimum.\"",
         "        text: |\n          Make position reporting mandatory.\n\n"
         "          Publish the positions weekly.\n\n          Fine those who do not.")
    path, = build([str(folder)], ["docx"], build_dir=tmp_path)
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs
                  if p.style.name.startswith("Recommendation")]
    assert paragraphs[2:6] == [
        ("Recommendation", "Make position reporting mandatory."),
        ("Recommendation Continued", "Publish the positions weekly."),
        ("Recommendation Continued", "Fine those who do not."),
        ("Recommendation Area", "Search and Rescue")]
    assert [e.id for e in read_outline(path) if e.kind == "recommendation"] == [
        "common-ice-class", "mandatory-reporting", "joint-sar-planning", "shared-loss-data"]
    body = xml_part(path, "word/document.xml").find(f"{W}body")
    order = [(child.tag, child.get(f"{W}name") or child.get(f"{W}id"), "".join(
        child.itertext())) for child in body]
    start = next(i for i, (tag, name, _) in enumerate(order) if name == "mandatory-reporting")
    ident = body[start].get(f"{W}id")
    end = next(i for i, (tag, name, _) in enumerate(order)
               if tag == f"{W}bookmarkEnd" and name == ident)
    assert [text for _, _, text in order[start + 1:end]] == [
        "Make position reporting mandatory.", "Publish the positions weekly.",
        "Fine those who do not."]
    # as LibreOffice saves it once a paste restyled its last paragraph: the recommendation's
    # bookmark in that paragraph too says it goes on
    edited = DocxEditor(path)
    last = edited.paragraph("Fine those who do not.")
    last.find(f"{W}pPr/{W}pStyle").set(f"{W}val", "Recommendation")
    last.insert(1, etree.Element(f"{W}bookmarkStart", {f"{W}id": "900",
                                                       f"{W}name": "mandatory-reporting"}))
    resaved = edited.save(tmp_path / "resaved.docx")
    assert [e.id for e in read_outline(resaved) if e.kind == "recommendation"] == [
        "common-ice-class", "mandatory-reporting", "joint-sar-planning", "shared-loss-data"]


def test_a_picture_as_wide_as_a_letter_page_fits_an_a4_page(scratch: Callable[..., Path],
                                                            tmp_path: Path) -> None:
    """pandoc scales a picture to the reference document's Letter text width (6.5 in); on
    an A4 page, whose text is narrower, it is scaled down again, keeping its shape."""
    from PIL import Image
    folder = scratch()
    Image.new("RGB", (1200, 600), "red").save(folder / "wide.png")
    edit(folder / "brief.md", "](transits.png){#fig-transits width=80%}",
         "](wide.png){#fig-transits}")
    widths = {}
    for size in ("letter", "a4"):
        path, = build([str(folder)], ["docx"], RenderOptions(page_size=size),
                      build_dir=tmp_path / size)
        document = docx.Document(str(path))
        section = document.sections[0]
        (shape,) = document.inline_shapes
        text_width = section.page_width - section.left_margin - section.right_margin
        assert shape.width <= text_width, size
        assert abs(shape.width / shape.height - 2) < 0.001, size
        widths[size] = (shape.width, text_width)
    assert widths["letter"][0] == widths["letter"][1]  # pandoc's own scaling, to the margins
    assert widths["a4"][0] == widths["a4"][1] < widths["letter"][0]


def test_a_tall_picture_raster_or_svg_fits_the_page_it_is_on(scratch: Callable[..., Path],
                                                             tmp_path: Path) -> None:
    """A PNG of 300 by 3,000 px (4.17 by 41.7 in as pandoc writes it) and a tall SVG are
    both scaled, their shapes kept, to the text area's height less 1 in for the caption:
    the height of the page they are on, A4's when the page is A4 (not Letter's)."""
    from PIL import Image
    folder = scratch()
    Image.new("RGB", (300, 3000), "red").save(folder / "tall.png")
    (folder / "tall.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="6000" viewBox="0 0 60 6000">'
        '<rect width="60" height="6000" fill="orange"/></svg>', encoding="utf-8")
    edit(folder / "brief.md", "](transits.png){#fig-transits width=80%}",
         "](tall.png){#fig-transits}\n\n![A tall vector.](tall.svg){#fig-tall}")
    for size, page_height_in in (("letter", 11), ("a4", 297 / 25.4)):
        path, = build([str(folder)], ["docx"], RenderOptions(page_size=size),
                      build_dir=tmp_path / size)
        document = docx.Document(str(path))
        section = document.sections[0]
        assert abs(section.page_height - round(page_height_in * 914400)) < 914400 / 50
        room = section.page_height - section.top_margin - abs(section.bottom_margin) - 914400
        shapes = document.inline_shapes
        assert len(shapes) == 2, size
        for shape, aspect in zip(shapes, (0.1, 0.01), strict=True):
            assert abs(shape.height - room) <= 1, (size, shape.height, room)
            assert abs(shape.width / shape.height - aspect) < 0.001, size


def test_outline_command_reads_the_docx(built: dict[str, Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from briefpress.cli import main

    assert main(["outline", str(built["arctic"])]) == 0
    from_docx = capsys.readouterr().out
    assert main(["outline", str(ARCTIC)]) == 0
    assert capsys.readouterr().out == from_docx
    assert "    recommendation  #shared-loss-data" in from_docx


@pytest.mark.libreoffice
def test_libreoffice_renders_it_in_the_house_fonts(built: dict[str, Path],
                                                   tmp_path_factory: pytest.TempPathFactory
                                                   ) -> None:
    import pypdf

    profile = tmp_path_factory.mktemp("lo-profile")
    pdf = soffice_convert(built["arctic"], "pdf", tmp_path_factory.mktemp("pdf"), profile)
    reader = pypdf.PdfReader(pdf)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Shipping Lanes at the Top of the World" in " ".join(text.split())
    assert "Agree on common ice-class requirements" in " ".join(text.split())
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("SourceSerif4" in f for f in fonts), fonts
    assert any("SourceSans3" in f for f in fonts), fonts


def test_footnotes_are_numbered_through_the_document(
        built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> None:
    """As the PDF numbers them: pandoc's default reference restarts them in each section,
    which LibreOffice reads as numbering per chapter (each Heading 1 began again at 1)."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = xml_part(built["arctic"], "word/document.xml").find(f"{w}body")
    restarts = [r.get(f"{w}val") for r in body.iter(f"{w}numRestart")]
    assert restarts and set(restarts) == {"continuous"}
    odt = soffice_convert(built["arctic"], "odt", tmp_path_factory.mktemp("odt"),
                          tmp_path_factory.mktemp("lo-profile"))
    with zipfile.ZipFile(odt) as archive:
        styles = etree.fromstring(archive.read("styles.xml"))
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    [notes] = [n for n in styles.iter(f"{{{text}}}notes-configuration")
               if n.get(f"{{{text}}}note-class") == "footnote"]
    assert notes.get(f"{{{text}}}start-numbering-at") == "document"


def test_check_compares_the_built_docx_with_the_source(built: dict[str, Path],
                                                      tmp_path: Path) -> None:
    from briefpress.check.brief import check_outputs
    from docxedit import DocxEditor

    brief = read_brief(ARCTIC)
    folder = tmp_path / "arctic-shipping"
    folder.mkdir()
    shutil.copy(built["arctic"], folder / "arctic-shipping.docx")
    assert check_outputs(brief, tmp_path) == []
    doc = DocxEditor(built["arctic"])
    doc.remove_paragraph("Pool loss data so that premiums follow risk.")
    doc.save(folder / "arctic-shipping.docx")
    assert [p.message for p in check_outputs(brief, tmp_path)] == [
        "the DOCX edition is missing recommendation 'shared-loss-data'"]


def _order(names: str) -> list[str]:
    return names.split()


# Word refuses a file whose elements stand out of the schema's order; these are the
# sequences briefpress writes into (ECMA-376 Part 1, CT_RPr, CT_PPrBase, CT_Settings).
_RPR = _order("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
              "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
              "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
              "specVanish oMath")
_PPR = _order("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange")


def test_parts_keep_the_schema_order(built: dict[str, Path]) -> None:
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def out_of_order(element: etree._Element, order: list[str]) -> list[str]:
        names = [c.tag.replace(ns, "") for c in element if c.tag.replace(ns, "") in order]
        ranks = [order.index(n) for n in names]
        return names if ranks != sorted(ranks) else []

    styles = etree.fromstring(part(built["real"], "word/styles.xml").encode())
    bad = []
    for style in styles.iter(f"{ns}style"):
        for rpr in style.findall(f"{ns}rPr"):
            bad += out_of_order(rpr, _RPR)
        for ppr in style.findall(f"{ns}pPr"):
            bad += out_of_order(ppr, _PPR)
    settings = etree.fromstring(part(built["real"], "word/settings.xml").encode())
    bad += out_of_order(settings, SETTINGS_ORDER)
    assert bad == []


@pytest.mark.parametrize("folder", [REAL, ARCTIC], ids=["real", "arctic"])
def test_one_pandoc_run_writes_the_word_file_from_the_model(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer hands pandoc the typed document of the Word edition once, and the
    document is the brief's model: every body block of brief.md stands in it as read (the
    real brief has links without a target, the fixture an image, a table, notes)."""
    brief = read_brief(folder)
    written: list[tuple[blocks.Document, str]] = []
    real_write = pandoc.write

    def write(document: blocks.Document, to: str, out: Path, *args: Any, **kwargs: Any) -> None:
        written.append((document, to))
        real_write(document, to, out, *args, **kwargs)

    monkeypatch.setattr(pandoc, "write", write)
    docx_format.render(brief, tmp_path / "out.docx", RenderOptions())
    [(document, to)] = written
    assert to == "docx"
    assert document.meta == {"lang": blocks.MetaString(brief.meta.lang)}
    # blocks with an image (embedded) or a link without a target (a marked phrase) are
    # prepared; every other block of brief.md's body is handed over as read (its captions
    # numbered and cross-references linked, model/xref.py), in order
    body = [b for b in xref.resolve(brief).body() if not isinstance(b, blocks.Header) and not any(
        isinstance(n, blocks.Image | blocks.Link) for n in blocks.walk(b))]
    remaining = iter(document.blocks)
    assert len(body) > 5 and all(any(b == d for d in remaining) for b in body)
    assert list(tmp_path.iterdir()) == [tmp_path / "out.docx"]


def test_a_failed_build_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              scratch: Callable[..., Path]) -> None:
    """A brief that does not pass check stops the build after pandoc parsed it: no pandoc
    run is left, no temporary file, and nothing is built."""
    folder = scratch(REAL)
    edit(folder / "brief.md", "# Conclusion {#conclusion}", "# Ending {#ending}")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    with pytest.raises(BriefError):
        build([str(folder)], ["docx"], build_dir=tmp_path / "build")
    assert len(started) == 1  # the parse; the Word file is never written
    assert all(process.poll() is not None for process in started)
    assert list(temporary.iterdir()) == []
    assert not (tmp_path / "build" / folder.name / f"{folder.name}.docx").exists()


def test_the_word_file_is_the_same_whatever_else_is_built(tmp_path: Path,
                                                          built: dict[str, Path]) -> None:
    """Built with the web page too, the Word file is the same."""
    docx_file, *_ = build([str(ARCTIC)], ["docx", "html"], build_dir=tmp_path)
    assert docx_file.read_bytes() == built["arctic"].read_bytes()
