"""Lists by position and style, alignment in pandoc's names: the private copy's XML."""

from __future__ import annotations

from typing import Any

from lxml import etree

from briefpress.importer.wordforms import (
    RULE_MARK,
    mark_rules,
    numbered_items,
    plain_alignment,
    renumber,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


NUMBERING = f"""<w:numbering {NS}>
  <w:abstractNum w:abstractNumId="1">{_lvl(0, "decimal", "%1.")}{_lvl(1, "decimal", "%2.")}
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="2">{_lvl(0, "bullet", "-")}{_lvl(1, "bullet", "o")}
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
  <w:num w:numId="8"><w:abstractNumId w:val="1"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
  <w:num w:numId="9"><w:abstractNumId w:val="1"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
  <w:num w:numId="10"><w:abstractNumId w:val="2"/></w:num>
  <w:num w:numId="7"><w:abstractNumId w:val="1"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>"""


def _document(*paragraphs: tuple[str, int] | str) -> Any:
    """A body of numbered paragraphs (numId, level) and plain ones (their style id)."""
    body = []
    for paragraph in paragraphs:
        if isinstance(paragraph, str):
            body.append(f'<w:p><w:pPr><w:pStyle w:val="{paragraph}"/></w:pPr></w:p>')
        else:
            num, level = paragraph
            body.append(f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/>'
                        f'<w:numId w:val="{num}"/></w:numPr></w:pPr></w:p>')
    return etree.fromstring(f"<w:document {NS}><w:body>{''.join(body)}</w:body></w:document>")


def _lists(document: Any, numbering: Any) -> list[tuple[str, int, str | None]]:
    """Each numbered paragraph's instance after renumbering, its level and its start."""
    starts = {}
    for num in numbering.iter(f"{{{W}}}num"):
        for override in num.iter(f"{{{W}}}startOverride"):
            starts[num.get(f"{{{W}}}numId")] = override.get(f"{{{W}}}val")
    out = []
    for num_pr in document.iter(f"{{{W}}}numPr"):
        num = num_pr.find(f"{{{W}}}numId").get(f"{{{W}}}val")
        level = int(num_pr.find(f"{{{W}}}ilvl").get(f"{{{W}}}val"))
        out.append((num, level, starts.get(num)))
    return out


def test_libreoffice_first_item_instance_joins_the_rest_of_its_list() -> None:
    """LibreOffice: the first item restarts the list with an instance of its own, the others
    share the abstract numbering's counter; Word shows 1, 2, 3 and then 4, 5."""
    numbering = etree.fromstring(NUMBERING)
    document = _document((8, 0), (1, 0), (1, 0), "BodyText", (9, 0), (1, 0))
    assert [i.number for i in numbered_items(document, numbering, {}) if i] == [1, 2, 3, 4, 5]
    assert renumber(document, numbering, None, {})
    assert _lists(document, numbering) == [("11", 0, "1")] * 3 + [("12", 0, "4")] * 2


def test_a_list_ends_where_its_kind_changes_or_its_numbers_start_again() -> None:
    numbering = etree.fromstring(NUMBERING)
    document = _document((8, 0), (1, 0), (2, 0), (2, 0), (7, 0), (1, 0))
    renumber(document, numbering, None, {})
    assert _lists(document, numbering) == [
        ("11", 0, "1"), ("11", 0, "1"), ("12", 0, "1"), ("12", 0, "1"), ("13", 0, "1"),
        ("13", 0, "1")]


def test_an_instance_used_again_numbers_on_as_in_word() -> None:
    """Word restarts an instance's override only where the instance is first used: after a
    paragraph, the same instance goes on counting (Word's "continue numbering")."""
    numbering = etree.fromstring(NUMBERING)
    document = _document((8, 0), (8, 0), "BodyText", (8, 0))
    assert [i.number for i in numbered_items(document, numbering, {}) if i] == [1, 2, 3]
    renumber(document, numbering, None, {})
    assert _lists(document, numbering) == [("11", 0, "1"), ("11", 0, "1"), ("12", 0, "3")]


def test_nested_items_of_other_instances_stay_in_their_lists() -> None:
    """LibreOffice gives every nested list a fresh instance; the outer list goes on after it,
    and a paragraph in the style pandoc joins to an item ("list-paragraph") does not end it."""
    numbering = etree.fromstring(NUMBERING)
    document = _document((2, 0), (10, 1), "ListParagraph", (10, 1), (2, 0), (2, 1))
    renumber(document, numbering, None, {"ListParagraph": "list-paragraph"})
    found = _lists(document, numbering)
    assert [n for n, level, _ in found if level == 0] == ["11", "11"]
    assert found[1][0] == found[2][0] != found[4][0]  # the second nested list is its own


def test_numbering_switched_off_is_no_item() -> None:
    numbering = etree.fromstring(NUMBERING)
    document = _document((0, 0), "BodyText")
    assert numbered_items(document, numbering, {}) == []
    assert not renumber(document, numbering, None, {})


def test_start_and_end_become_left_and_right_mirrored_right_to_left() -> None:
    document = etree.fromstring(
        f'<w:document {NS}><w:body><w:p><w:pPr><w:jc w:val="end"/></w:pPr></w:p>'
        f'<w:p><w:pPr><w:bidi/><w:jc w:val="start"/></w:pPr></w:p>'
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p></w:body></w:document>')
    assert plain_alignment(document)
    assert [jc.get(f"{{{W}}}val") for jc in document.iter(f"{{{W}}}jc")] == [
        "right", "right", "center"]


VML = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
DML = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def _paragraph(runs: str) -> Any:
    return etree.fromstring(f"<w:p {NS} {VML} {DML}>{runs}</w:p>")


def test_a_horizontal_rule_as_pandoc_or_libreoffice_writes_it_is_marked() -> None:
    pandoc = _paragraph('<w:r><w:pict><v:rect o:hr="t"/></w:pict></w:r>')
    libreoffice = _paragraph('<w:r><w:drawing><a:graphic><a:ext cx="5943600" cy="19080"/>'
                             '<a:prstGeom prst="rect"/></a:graphic></w:drawing></w:r>')
    picture = _paragraph('<w:r><w:drawing><a:graphic><a:ext cx="5943600" cy="1908000"/>'
                         '<a:prstGeom prst="rect"/></a:graphic></w:drawing></w:r>')
    worded = _paragraph('<w:r><w:t>Text</w:t></w:r><w:r><w:pict><v:rect o:hr="t"/></w:pict></w:r>')
    mark_rules([pandoc, libreoffice, picture, worded])
    texts = ["".join(p.itertext()) for p in (pandoc, libreoffice, picture, worded)]
    assert texts == [RULE_MARK, RULE_MARK, "", "Text"]
