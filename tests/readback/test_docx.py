"""A Word file's body read back: styles, blocks, bookmarks and visible text
(readback/docx.py), on small parts written in the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from briefpress.readback.docx import Styles, body_blocks, read_styles, visible_text
from briefpress.support.docx_open import Package
from briefpress.support.ooxml import W

NS = f'xmlns:w="{W}"'

STYLES = f"""<w:styles {NS}>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
    <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="Überschrift 2"/>
    <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="MyChapter"><w:name w:val="My Chapter"/>
    <w:basedOn w:val="berschrift2"/></w:style>
  <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>
    <w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/>
    <w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="LoopA"><w:name w:val="Loop A"/>
    <w:basedOn w:val="LoopB"/></w:style>
  <w:style w:type="paragraph" w:styleId="LoopB"><w:name w:val="Loop B"/>
    <w:basedOn w:val="LoopA"/></w:style>
  <w:style w:type="paragraph" w:styleId="Recommendation"><w:name w:val="Recommendation"/>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Nameless"/>
  <w:style w:type="character" w:styleId="LinkWithoutTarget">
    <w:name w:val="Link Without Target"/></w:style>
  <w:style w:type="table" w:styleId="Table"><w:name w:val="Table"/></w:style>
</w:styles>"""


def package(body: str, styles: str | None = STYLES) -> Package:
    parts = {"word/document.xml": f"<w:document {NS}><w:body>{body}</w:body>"
                                  "</w:document>".encode()}
    if styles is not None:
        parts["word/styles.xml"] = styles.encode()
    return Package(Path("edited.docx"), parts, "word/document.xml")


def p(text: str, style: str | None = None, inside: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{inside}<w:r><w:t>{text}</w:t></w:r></w:p>"


def start(ident: int, name: str) -> str:
    return f'<w:bookmarkStart w:id="{ident}" w:name="{name}"/>'


def end(ident: int) -> str:
    return f'<w:bookmarkEnd w:id="{ident}"/>'


def element(xml: str) -> etree._Element:
    return etree.fromstring(f"<w:body {NS}>{xml}</w:body>")[0]


def test_styles_map_ids_to_the_names_word_shows() -> None:
    styles = read_styles(package(""))
    assert styles.name("Heading1") == "heading 1"
    assert styles.name("berschrift2") == "Überschrift 2"
    assert styles.name(None) == styles.name("") == "Normal"  # the default paragraph style
    assert styles.name("Unknown") == "Unknown"  # an id no style declares: the id itself
    assert styles.name("Nameless") == "Nameless"
    assert styles.characters == {"LinkWithoutTarget": "Link Without Target"}
    assert "Table" not in styles.names and "LinkWithoutTarget" not in styles.names


def test_heading_levels_come_from_the_name_or_the_outline_level_inherited() -> None:
    levels = read_styles(package("")).levels
    # not there: Title (an outline level, but no section), Body Text (level 9: body text),
    # the two styles based on each other (the loop ends), Recommendation (no level at all)
    assert levels == {"Heading1": 1,  # "heading 1", whatever its case
                      "berschrift2": 2,  # another language's name: its outline level
                      "MyChapter": 2}  # a style of the editor's own, based on one


def test_a_package_without_styles_still_reads_headings_by_their_direct_level() -> None:
    styles = read_styles(package("", styles=None))
    assert styles == Styles({}, {}, {})
    body = ('<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Direct</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>Body</w:t></w:r></w:p>'
            + p("Plain", "Heading1"))
    blocks = body_blocks(package(body, styles=None))
    assert [(b.style, b.heading_level) for b in blocks] == [("", 2), ("", None),
                                                             ("Heading1", None)]


def test_blocks_are_the_body_s_paragraphs_and_tables_in_order() -> None:
    body = (p("Title text", "Title") + p("Intro", "Heading1") + p("Body.")
            + "<w:tbl><w:tr><w:tc>" + p("cell") + "</w:tc></w:tr></w:tbl>"
            + p("Sub", "MyChapter") + "<w:sectPr/>")
    blocks = body_blocks(package(body))
    assert [(b.index, b.kind, b.style, b.heading_level, b.text) for b in blocks] == [
        (0, "p", "Title", None, "Title text"),
        (1, "p", "heading 1", 1, "Intro"),
        (2, "p", "Normal", None, "Body."),
        (3, "tbl", "", None, "cell"),
        (4, "p", "My Chapter", 2, "Sub"),
    ]
    assert blocks[3].element.tag == f"{{{W}}}tbl"


def test_a_direct_outline_level_outranks_the_style_s() -> None:
    body = ('<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="2"/></w:pPr>'
            '<w:r><w:t>Demoted</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/></w:pPr>'
            '<w:r><w:t>Body now</w:t></w:r></w:p>')
    assert [b.heading_level for b in body_blocks(package(body))] == [3, None]


def test_content_controls_and_custom_xml_are_looked_through() -> None:
    body = (f"<w:sdt><w:sdtPr/><w:sdtContent>{p('In a control', 'Heading1')}"
            f"<w:customXml>{p('Deeper')}</w:customXml></w:sdtContent></w:sdt>"
            "<w:sdt><w:sdtPr/></w:sdt>" + p("After"))
    assert [b.text for b in body_blocks(package(body))] == ["In a control", "Deeper", "After"]


def test_bookmarks_belong_to_their_paragraph_or_the_next_one() -> None:
    """LibreOffice puts a bookmark inside its paragraph, Word may leave it between
    paragraphs: either way it names the paragraph it marks."""
    body = (start(1, "inside") + end(1)  # opened and closed between paragraphs: nothing left
            + start(2, "between")
            + p("First", "Heading1")
            + p("Second", "Recommendation", inside=start(3, "own"))
            + end(2) + end(3)
            + "<w:p>" + start(4, "empty") + end(4) + "<w:r><w:t>Third</w:t></w:r></w:p>"
            + "<w:p>" + start(5, "spans") + "<w:r><w:t>Fourth</w:t></w:r>" + end(5) + "</w:p>"
            + start(6, "before-table") + "<w:tbl/>")
    blocks = body_blocks(package(body))
    assert [b.bookmarks for b in blocks] == [["between"], ["own"], [], ["spans"],
                                             ["before-table"]]


def test_hidden_and_citation_bookmarks_are_no_ids() -> None:
    inside = start(1, "_Toc123") + start(2, "bpcite3") + start(3, "bpcite3_Copy_1") + start(
        4, "shared-loss-data")
    blocks = body_blocks(package(p("Pool loss data.", "Recommendation", inside=inside)))
    assert blocks[0].bookmarks == ["shared-loss-data"]


def test_a_document_without_a_body_has_no_blocks() -> None:
    empty = Package(Path("x.docx"), {"word/document.xml": f"<w:document {NS}/>".encode()},
                    "word/document.xml")
    assert body_blocks(empty) == []
    assert body_blocks(Package(Path("x.docx"), {}, "word/document.xml")) == []


@pytest.mark.parametrize(("xml", "expected"), [
    ("<w:p><w:r><w:t>plain</w:t></w:r></w:p>", "plain"),
    ("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>", "a b c"),
    ("<w:p><w:r><w:t>Asia</w:t><w:noBreakHyphen/><w:t>Pacific</w:t></w:r></w:p>",
     "Asia-Pacific"),
    ("<w:p><w:r><w:t>kept </w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del>"
     "<w:ins><w:r><w:t>new</w:t></w:r></w:ins></w:p>", "kept new"),
    ("<w:p><w:moveFrom><w:r><w:t>moved away </w:t></w:r></w:moveFrom>"
     "<w:r><w:t>stays</w:t></w:r><w:moveTo><w:r><w:t> moved here</w:t></w:r></w:moveTo></w:p>",
     "stays moved here"),
    ("<w:p><w:del><w:r><w:t>deleted, oddly as w:t</w:t><w:tab/></w:r></w:del></w:p>", ""),
    ("<w:p><w:r><w:t/></w:r></w:p>", ""),
])
def test_visible_text_is_the_text_with_every_change_accepted(xml: str, expected: str) -> None:
    assert visible_text(element(xml)) == expected
