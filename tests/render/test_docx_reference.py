"""The Word reference document generated from the design tokens (render/docx_reference.py):
its styles, page, running head and font table, read with python-docx and lxml."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
import msgspec
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_UNDERLINE
from lxml import etree

from briefpress.model.brief import Brand
from briefpress.model.schema import Tokens
from briefpress.render import design
from briefpress.render import docx_styles as styles
from briefpress.render.docx_reference import _Look, build_reference_doc
from briefpress.support.ooxml import w


@pytest.fixture(scope="module")
def reference() -> bytes:
    return build_reference_doc()


@pytest.fixture(scope="module")
def document(reference: bytes) -> Any:
    return docx.Document(io.BytesIO(reference))


def rgb(name: str, tokens: Tokens | None = None) -> str:
    return (tokens or design.tokens()).colors[name].lstrip("#").upper()


def font_table(reference: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(reference)) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
    return list(table.iter(w("font")))


def test_word_styles_editors_recognise(document: Any) -> None:
    names = {style.name for style in document.styles}
    for wanted in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Normal",
                   "Recommendation", "Recommendation Area", "List Bullet", "List Number",
                   "Footnote Text", "Hyperlink", "Link Without Target"):
        assert wanted in names, wanted
    tokens = design.tokens()
    serif, sans = tokens.fonts.serif.family, tokens.fonts.sans.family
    assert document.styles["Normal"].font.name == serif
    assert document.styles["Normal"].font.size.pt == tokens.type.body
    heading = document.styles["Heading 1"]
    assert heading.font.name == sans
    assert heading.font.size.pt == tokens.type.h1
    assert str(heading.font.color.rgb) == rgb("navy")
    area = document.styles["Recommendation Area"]
    assert str(area.font.color.rgb) == rgb("accent")
    # Enter after a recommendation starts another recommendation; after a later paragraph
    # of one (Recommendation Continued, its look), the same recommendation goes on
    assert document.styles["Recommendation"].next_paragraph_style.name == "Recommendation"
    continued = document.styles["Recommendation Continued"]
    assert continued.base_style.name == "Recommendation"
    assert continued.next_paragraph_style.name == "Recommendation Continued"
    assert not continued.hidden and continued.quick_style


def test_the_house_styles_are_in_the_gallery_and_enter_leads_on(document: Any) -> None:
    """The styles briefpress writes by name are visible quick styles; Enter after each goes
    where an editor would type next."""
    following = {styles.DOCUMENT_TYPE: "Title", "Title": "Subtitle", "Subtitle": "Author",
                 "Author": styles.PROGRAM, styles.PROGRAM: "Body Text",
                 styles.RECOMMENDATION_AREA: styles.RECOMMENDATION,
                 styles.AUTHOR_BIO: styles.AUTHOR_BIO, styles.COLOPHON: styles.COLOPHON,
                 "Heading 2": "First Paragraph"}
    for name, after in following.items():
        style = document.styles[name]
        assert not style.hidden and style.quick_style, name
        assert style.next_paragraph_style.name == after, name
    assert document.styles[styles.AUTHOR_BIO].base_style.name == "Body Text"


def test_headings_are_sans_bold_kept_with_the_next_paragraph(document: Any) -> None:
    tokens = design.tokens()
    sizes = [tokens.type.h1, tokens.type.h2, tokens.type.h3] + [tokens.type.h3] * 3
    for level, size in enumerate(sizes, start=1):
        style = document.styles[f"Heading {level}"]
        assert (style.font.size.pt, style.font.bold, style.font.italic) == (size, True, False)
        assert str(style.font.color.rgb) == rgb("navy" if level < 3 else "ink")
        assert style.paragraph_format.keep_with_next
    # a rule above the chapters only
    borders = [document.styles[f"Heading {n}"].element.find(f'{w("pPr")}/{w("pBdr")}')
               for n in (1, 2)]
    assert borders[0].find(w("top")).get(w("color")) == rgb("rule")
    assert borders[1] is None


def test_body_text_has_the_print_leading_at_least(document: Any) -> None:
    tokens = design.tokens()
    body, leading = tokens.type.body, tokens.type.leading
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.AT_LEAST
    assert normal.line_spacing.pt == round(body * leading, 1)
    assert normal.space_after.pt == pytest.approx(0.6 * body)  # spacing.paragraph: 0.6em


def test_recommendations_are_tinted_boxes_with_an_accent_rule(document: Any) -> None:
    ppr = document.styles[styles.RECOMMENDATION].element.find(w("pPr"))
    assert ppr.find(w("shd")).get(w("fill")) == rgb("tint")
    left = ppr.find(w("pBdr")).find(w("left"))
    assert (left.get(w("color")), left.get(w("sz"))) == (rgb("accent"), "24")  # 3 pt
    # pBdr before shd, as the schema orders them
    children = [etree.QName(c).localname for c in ppr]
    assert children.index("pBdr") < children.index("shd")


def test_character_styles_mark_links_and_pending_links(document: Any) -> None:
    link = document.styles["Hyperlink"]
    assert (str(link.font.color.rgb), link.font.underline) == (rgb("link"), True)
    pending = document.styles[styles.LINK_WITHOUT_TARGET]
    assert str(pending.font.color.rgb) == rgb("ink")
    assert pending.font.underline == WD_UNDERLINE.DOTTED
    assert document.styles["Footnote Reference"].font.superscript


def test_only_the_colophon_keeps_contextual_spacing(document: Any) -> None:
    kept = {style.name for style in document.styles
            if style.element.find(f'{w("pPr")}/{w("contextualSpacing")}') is not None}
    assert kept == {styles.COLOPHON}


def test_word_s_own_styles_keep_their_built_in_ids(document: Any) -> None:
    for name in ("Header", "Footer", "List Paragraph", "List Bullet", "List Number"):
        style = document.styles[name]
        assert style.style_id == name.replace(" ", ""), name
        assert style.element.get(w("customStyle")) is None, name
    assert document.styles[styles.RECOMMENDATION].element.get(w("customStyle")) == "1"


def test_the_defaults_name_the_serif_for_every_script(reference: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(reference)) as archive:
        part = etree.fromstring(archive.read("word/styles.xml"))
    fonts = part.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}")
    serif = design.tokens().fonts.serif.family
    assert dict(fonts.attrib) == {w(a): serif for a in ("ascii", "hAnsi", "eastAsia", "cs")}


def test_pandoc_s_sample_content_is_left_out(document: Any) -> None:
    assert [etree.QName(c).localname for c in document.element.find(w("body"))] == ["sectPr"]


def test_the_page_follows_the_tokens(document: Any) -> None:
    section = document.sections[0]
    assert (round(section.page_width.inches, 2), round(section.page_height.inches, 2)) == (
        8.5, 11.0)  # page.default: letter
    margins = [float(m.removesuffix("in")) for m in design.tokens().page.margins.split()]
    assert [round(m.inches, 3) for m in (section.top_margin, section.right_margin,
                                         section.bottom_margin, section.left_margin)] == margins
    assert section.header_distance.inches == pytest.approx(margins[0] / 2, abs=0.001)
    assert section.footer_distance.inches == pytest.approx(margins[2] / 2, abs=0.001)


def test_the_running_head_holds_the_title_s_place_and_the_folio(document: Any) -> None:
    section = document.sections[0]
    assert section.different_first_page_header_footer
    head = section.header.paragraphs[0]
    assert head.style.name == "Header"
    assert head.text == f"{styles.TITLE_PLACEHOLDER}\t1"
    stop, = head.paragraph_format.tab_stops
    assert stop.alignment == WD_TAB_ALIGNMENT.RIGHT
    assert stop.position == section.page_width - section.left_margin - section.right_margin
    # the folio is a PAGE field as Word writes it: begin, instruction, separate, result, end
    part = etree.fromstring(section.header.part.blob)
    runs = list(part.find(w("p")).iter(w("r")))[2:]
    assert [(run.find(w("fldChar")).get(w("fldCharType"))
             if run.find(w("fldChar")) is not None else run.findtext("*"))
            for run in runs] == ["begin", " PAGE ", "separate", "1", "end"]
    assert not section.first_page_header.paragraphs[0].text
    assert section.first_page_header.paragraphs[0].style.name == "Normal"


def test_the_font_table_names_the_fallbacks(reference: bytes) -> None:
    entries = {font.get(w("name")): font for font in font_table(reference)}
    serif, sans = entries["Source Serif 4"], entries["Source Sans 3"]
    assert [(etree.QName(c).localname, c.get(w("val"))) for c in serif] == [
        ("altName", "Georgia"), ("family", "roman"), ("pitch", "variable")]
    assert [(etree.QName(c).localname, c.get(w("val"))) for c in sans] == [
        ("altName", "Calibri"), ("family", "swiss"), ("pitch", "variable")]


def test_the_same_tokens_give_the_same_bytes(reference: bytes) -> None:
    assert build_reference_doc() == reference
    with zipfile.ZipFile(io.BytesIO(reference)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_brand_s_colours_and_families_restyle_it(tidewater: Brand) -> None:
    tokens = design.tokens(tidewater)
    document = docx.Document(io.BytesIO(build_reference_doc(tidewater)))
    assert str(document.styles["Heading 1"].font.color.rgb) == rgb("navy", tokens) == "0F4C5C"
    # the accent's text: tidewater's amber (2.28:1 on white) darkened to AA, 4.5:1
    assert str(document.styles[styles.RECOMMENDATION_AREA].font.color.rgb) == "886735"
    assert str(document.styles[styles.DOCUMENT_TYPE].font.color.rgb) == "886735"
    assert document.styles["Normal"].font.name == "Fira Sans"
    assert document.styles["Heading 1"].font.name == "Fira Sans Medium"
    assert str(document.styles["Normal"].font.color.rgb) == rgb("ink")  # not the brand's


def test_a_brand_s_one_family_is_named_once_in_the_font_table(tidewater: Brand) -> None:
    serif, sans = tidewater.fonts
    one = msgspec.structs.replace(tidewater, fonts=(
        serif, msgspec.structs.replace(sans, family=serif.family)))
    names = [font.get(w("name")) for font in font_table(build_reference_doc(one))]
    assert "Source Serif 4" not in names and "Source Sans 3" not in names
    fira, = [font for font in font_table(build_reference_doc(one))
             if font.get(w("name")) == "Fira Sans"]
    assert fira.find(w("altName")).get(w("val")) == "Georgia"  # the serif role's


def test_a_wide_table_s_cells_have_the_print_s_smaller_sans(document: Any) -> None:
    """Wide Table Text (render/docx_tables.py gives it to the cells of a table too wide for
    the text column): print.css's table.wide, the sans at the label size, a tight leading."""
    tokens = design.tokens()
    style = document.styles[styles.WIDE_TABLE_TEXT]
    assert style.base_style.name == "Compact"
    assert not style.hidden and style.quick_style
    assert style.font.name == tokens.fonts.sans.family
    assert style.font.size.pt == tokens.type.label
    spacing = style.paragraph_format
    assert spacing.line_spacing_rule == WD_LINE_SPACING.AT_LEAST
    assert spacing.line_spacing.pt == round(tokens.type.label * 1.25, 1)
    assert (spacing.space_before.pt, spacing.space_after.pt) == (0, 2)


def test_properties_added_where_none_were_stand_in_the_schema_s_order() -> None:
    """What python-docx's font and paragraph_format do not set is added to the style's XML
    with lxml, each element where the schema puts it (Word refuses a file whose elements
    stand in another order), not at the end: a table style's new w:pPr and w:rPr before its
    w:tblPr (CT_Style), a w:spacing after the colour and before the underline (CT_RPr)."""
    document = docx.Document()  # python-docx's own template, not pandoc's
    look = _Look(design.tokens())
    table = document.styles["Normal Table"]
    assert [etree.QName(c).localname for c in table.element][-1] == "tblPr"
    look.font(table, spacing=1.2)
    look.border(table, {"top": ("rule", 0.75, 6)})
    assert [etree.QName(c).localname for c in table.element] == [
        "name", "uiPriority", "semiHidden", "unhideWhenUsed", "pPr", "rPr", "tblPr"]
    assert table.element.find(f'{w("rPr")}/{w("spacing")}').get(w("val")) == "24"
    marked = document.styles.add_style("Marked", WD_STYLE_TYPE.CHARACTER)
    marked.font.underline = True
    look.font(marked, color="ink", spacing=1.2)
    assert [etree.QName(c).localname for c in marked.element.find(w("rPr"))] == [
        "color", "spacing", "u"]
