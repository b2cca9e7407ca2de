"""Turn the design tokens into the Word reference document (styles, page, header), with python-docx.

python-docx takes pandoc's own default reference (so every style pandoc writes
exists) and restyles it from ``styles/tokens.yaml``, adding the house styles
editors see in Word's style gallery (Recommendation, Recommendation Area,
Program, …). :func:`briefpress.render.docx_styles.reference_doc` caches the
result and imports this module only when its cache misses.
"""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_UNDERLINE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Pt, RGBColor
from lxml import etree

from briefpress import pandoc
from briefpress.model.brief import Brand
from briefpress.model.schema import Tokens
from briefpress.read.tokens import points
from briefpress.render import design
from briefpress.render.design import ACCENT_TEXT
from briefpress.render.docx_package import write_zip
from briefpress.render.docx_styles import (
    AFFILIATION,
    AUTHOR_BIO,
    COLOPHON,
    DOCUMENT_TYPE,
    LINK_WITHOUT_TARGET,
    PROGRAM,
    PUBLICATION_DATE,
    RECOMMENDATION,
    RECOMMENDATION_AREA,
    RECOMMENDATION_CONTINUED,
    SERIES,
    TITLE_PLACEHOLDER,
    WIDE_TABLE_TEXT,
)
from briefpress.support.docx_open import read_zip_trusted
from briefpress.support.epoch import FALLBACK_EPOCH
from briefpress.support.ooxml import (
    PPR_ORDER,
    in_schema_order,
    part_bytes,
    schema_child,
    trusted_xml,
    w,
)


def build_reference_doc(brand: Brand | None = None) -> bytes:
    """A reference .docx restyled from the design tokens (``brand``'s colours over them)."""
    # pandoc's default reference, so every style pandoc writes exists; read through pandoc.py
    # like every pandoc run (sandboxed, within the time and heap limits)
    document = docx.Document(io.BytesIO(pandoc.default_data_file("reference.docx")))
    _strip_sample_content(document)
    look = _Look(design.tokens(brand))
    look.apply(document)
    font_table = document.part.part_related_by(RT.FONT_TABLE).partname.membername
    out = io.BytesIO()
    document.save(out)
    # python-docx keeps the font table as bytes it does not parse: edit it in the saved
    # package, which is then written again with fixed dates (the same tokens, the same bytes)
    parts = read_zip_trusted(out.getvalue())
    parts[font_table] = look.font_table(parts[font_table])
    return write_zip(parts, FALLBACK_EPOCH)


def _strip_sample_content(document: Any) -> None:
    """Pandoc's default reference shows every style in its body; pandoc ignores it, Word won't."""
    body = document.element.find(w("body"))
    for child in list(body):
        if child.tag != w("sectPr"):
            body.remove(child)


class _Look:
    """The house style as Word styles: one method per group of styles."""

    def __init__(self, tokens: Tokens) -> None:
        self.t = tokens
        self.type = tokens.type
        self.body = float(self.type.body)
        self.colors = tokens.colors
        self.serif = tokens.fonts.serif.family
        self.sans = tokens.fonts.sans.family
        self.paragraph_gap = points(tokens.spacing.paragraph, self.body)
        self.section_gap = points(tokens.spacing.section, self.body)

    def apply(self, document: Any) -> None:
        self.defaults(document)
        self.body_styles(document)
        self.title_block(document)
        self.headings(document)
        self.recommendations(document)
        self.notes_and_captions(document)
        self.character_styles(document)
        self.lists(document)
        self.page(document)

    # -- helpers ---------------------------------------------------------------------------

    def color(self, name: str) -> Any:
        return RGBColor.from_string(self.colors[name].lstrip("#").upper())

    def style(self, document: Any, name: str, kind: str = "paragraph", base: str | None = None,
              next_style: str | None = None) -> Any:
        wanted = {"paragraph": WD_STYLE_TYPE.PARAGRAPH, "character": WD_STYLE_TYPE.CHARACTER,
                  "table": WD_STYLE_TYPE.TABLE}[kind]
        style = _find_style(document, name) or _add_style(document, name, wanted)
        style.hidden = False
        style.quick_style = kind != "table"
        if base is not None:
            style.base_style = _find_style(document, base)
        if next_style is not None:
            # the style Enter leads to may be defined further down; create it now, style it then
            style.next_paragraph_style = (_find_style(document, next_style)
                                          or _add_style(document, next_style, wanted))
        return style

    def font(self, style: Any, family: str | None = None, size: float | None = None,
             color: str | None = None, bold: bool | None = None, italic: bool | None = None,
             caps: bool | None = None, spacing: float | None = None) -> None:
        font = style.font
        if family is not None:
            font.name = family
            rfonts = schema_child(_run_properties(style), "rFonts", _RPR_ORDER)
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                rfonts.attrib.pop(w(attr), None)
            rfonts.set(w("cs"), family)
        if size is not None:
            font.size = Pt(size)
        if color is not None:
            font.color.rgb = self.color(color)  # replaces any theme colour pandoc's had
        if bold is not None:
            font.bold = bold
        if italic is not None:
            font.italic = italic
        if caps is not None:
            font.all_caps = caps
        if spacing is not None:
            # python-docx's font has no character spacing
            el = schema_child(_run_properties(style), "spacing", _RPR_ORDER)
            el.set(w("val"), str(round(spacing * 20)))

    def para(self, style: Any, before: float | None = None, after: float | None = None,
             leading: float | None = None, keep_next: bool | None = None,
             left: float | None = None, right: float | None = None,
             align: str | None = None,
             page_break_before: bool | None = None) -> None:
        fmt = style.paragraph_format
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        if leading is not None:
            # in points, "at least": a multiple of "single" would follow each font's own line
            # gap, and Source Serif's is wide, so 1.45 would set far looser than the print
            size = style.font.size.pt if style.font.size is not None else self.body
            fmt.line_spacing = Pt(round(size * leading, 1))
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        if keep_next is not None:
            fmt.keep_with_next = keep_next
            fmt.keep_together = keep_next
        if left is not None:
            fmt.left_indent = Pt(left)
        if right is not None:
            fmt.right_indent = Pt(right)
        if align is not None:
            fmt.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT,
                             "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
        if page_break_before is not None:
            fmt.page_break_before = page_break_before
        ppr = _paragraph_properties(style)
        # pandoc's defaults leave contextual spacing on some styles; it would swallow our gaps
        for stale in ppr.findall(w("contextualSpacing")):
            ppr.remove(stale)

    def border(self, style: Any, sides: dict[str, tuple[str, float, float]],
               shade: str | None = None) -> None:
        """Paragraph borders: side -> (colour token, width in pt, gap to text in pt)."""
        ppr = _paragraph_properties(style)
        for stale in ppr.findall(w("pBdr")) + ppr.findall(w("shd")):
            ppr.remove(stale)
        if sides:
            bdr = ppr.makeelement(w("pBdr"), {})
            for side in ("top", "left", "bottom", "right"):
                if side in sides:
                    color, width, gap = sides[side]
                    bdr.append(bdr.makeelement(w(side), {
                        w("val"): "single", w("sz"): str(round(width * 8)),
                        w("space"): str(round(gap)),
                        w("color"): self.colors[color].lstrip("#").upper()}))
            _insert_ppr_child(ppr, bdr)
        if shade:
            shd = ppr.makeelement(w("shd"), {
                w("val"): "clear", w("color"): "auto",
                w("fill"): self.colors[shade].lstrip("#").upper()})
            _insert_ppr_child(ppr, shd)

    # -- the styles ------------------------------------------------------------------------

    def defaults(self, document: Any) -> None:
        styles = document.styles.element
        rpr = styles.find(w("docDefaults")).find(w("rPrDefault")).find(w("rPr"))
        rfonts = rpr.find(w("rFonts"))
        for attr in list(rfonts.attrib):
            del rfonts.attrib[attr]
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(w(attr), self.serif)
        lang = rpr.find(w("lang"))
        if lang is not None:
            lang.set(w("eastAsia"), "en-US")

    def body_styles(self, document: Any) -> None:
        leading = float(self.type.leading)
        normal = self.style(document, "Normal")
        self.font(normal, self.serif, self.body, "ink")
        self.para(normal, before=0, after=self.paragraph_gap, leading=leading)
        body = self.style(document, "Body Text", base="Normal")
        self.para(body, before=0, after=self.paragraph_gap)
        first = self.style(document, "First Paragraph", base="Body Text", next_style="Body Text")
        self.para(first, before=0)
        compact = self.style(document, "Compact", base="Body Text")
        self.para(compact, before=0, after=2)
        quote = self.style(document, "Block Text", base="Body Text", next_style="Body Text")
        self.font(quote, size=self.body, color="ink", italic=True)
        self.para(quote, before=self.paragraph_gap / 2, after=self.paragraph_gap * 1.5,
                  left=18)
        self.border(quote, {"left": ("rule", 1.5, 10)})

    def title_block(self, document: Any) -> None:
        kicker = self.style(document, DOCUMENT_TYPE, base="Normal", next_style="Title")
        self.font(kicker, self.sans, float(self.type.label) + 1, ACCENT_TEXT, bold=True,
                  caps=True, spacing=1.2)
        self.para(kicker, before=0, after=10, leading=1.0)
        self.border(kicker, {"top": ("accent", 3, 8)})
        title = self.style(document, "Title", base="Normal", next_style="Subtitle")
        self.font(title, self.sans, float(self.type.title), "navy", bold=True)
        self.para(title, before=0, after=8, leading=1.05, align="left", keep_next=True)
        self.border(title, {})
        subtitle = self.style(document, "Subtitle", base="Title", next_style="Author")
        self.font(subtitle, self.sans, float(self.type.subtitle), "muted", bold=False)
        self.para(subtitle, before=0, after=18, leading=1.15)
        program = self.style(document, PROGRAM, base="Normal", next_style="Body Text")
        # in capitals, letter-spaced and set apart from the authors, as the PDF's cover sets
        # it in its band: under an author's affiliation, in the same face as it, it read
        # as one more affiliation of the last author
        self.font(program, self.sans, float(self.type.label) + 0.5, "muted", bold=True,
                  caps=True, spacing=0.8)
        self.para(program, before=10, after=self.section_gap * 1.5, leading=1.2)
        # the series goes between the authors and the program, whose space after ends the
        # title block (Word has no space that depends on the next paragraph's style)
        series = self.style(document, SERIES, base=PROGRAM, next_style=PROGRAM)
        self.para(series, before=4, after=0, leading=1.2)
        author = self.style(document, "Author", base="Normal", next_style=PROGRAM)
        self.font(author, self.sans, self.body + 1.5, "ink", bold=True)
        self.para(author, before=0, after=1, leading=1.2, align="left", keep_next=True)
        # under each name, as on the PDF's cover; then the date, as the web page's byline
        affiliation = self.style(document, AFFILIATION, base="Normal", next_style="Author")
        self.font(affiliation, self.sans, float(self.type.small) + 0.5, "muted")
        self.para(affiliation, before=0, after=6, leading=1.2, keep_next=True)
        dated = self.style(document, PUBLICATION_DATE, base="Normal", next_style=PROGRAM)
        self.font(dated, self.sans, float(self.type.small) + 0.5, "muted")
        self.para(dated, before=2, after=8, leading=1.2, keep_next=True)
        for name in ("Date", "Abstract"):
            style = self.style(document, name, base="Normal")
            self.para(style, align="left")
            self.font(style, color="ink")

    def headings(self, document: Any) -> None:
        sizes = {1: self.type.h1, 2: self.type.h2, 3: self.type.h3}
        for level in range(1, 7):
            style = self.style(document, f"Heading {level}", base="Normal",
                               next_style="First Paragraph")
            size = float(sizes.get(level, self.type.h3))
            color = "navy" if level < 3 else "ink"
            self.font(style, self.sans, size, color, bold=True, italic=False)
            before = self.section_gap * (1.25 if level == 1 else 0.9)
            self.para(style, before=before, after=self.paragraph_gap * (1.2 if level == 1
                                                                         else 0.8),
                      leading=1.15, keep_next=True)
            if level == 1:
                self.border(style, {"top": ("rule", 0.75, 6)})

    def recommendations(self, document: Any) -> None:
        area = self.style(document, RECOMMENDATION_AREA, base="Normal",
                          next_style=RECOMMENDATION)
        self.font(area, self.sans, float(self.type.h3), ACCENT_TEXT, bold=True)
        self.para(area, before=self.section_gap * 0.8, after=self.paragraph_gap, leading=1.15,
                  keep_next=True)
        rec = self.style(document, RECOMMENDATION, base="Normal", next_style=RECOMMENDATION)
        self.font(rec, self.serif, self.body, "ink")
        gap = points(self.t.spacing.box_padding, self.body)
        self.para(rec, before=2, after=self.paragraph_gap + 2, left=gap + 3, right=gap / 2)
        # the right "border" is the tint itself: it carries the shading past the text's edge
        self.border(rec, {"left": ("accent", 3, gap / 2), "right": ("tint", 0.5, gap / 2)},
                    shade="tint")
        # a recommendation's later paragraphs: its look, and Enter goes on in the same
        # recommendation (the import reads the style, not the look)
        self.style(document, RECOMMENDATION_CONTINUED, base=RECOMMENDATION,
                   next_style=RECOMMENDATION_CONTINUED)
        bio = self.style(document, AUTHOR_BIO, base="Body Text", next_style=AUTHOR_BIO)
        self.font(bio, italic=False)
        colophon = self.style(document, COLOPHON, base="Normal", next_style=COLOPHON)
        self.font(colophon, self.sans, float(self.type.small), "muted")
        self.para(colophon, before=self.section_gap * 2, after=0, leading=1.25)
        # the gap and the rule stand above the block, not between its lines
        _insert_ppr_child(_paragraph_properties(colophon),
                          colophon.element.makeelement(w("contextualSpacing"), {}))
        self.border(colophon, {"top": ("rule", 0.75, 8)})

    def notes_and_captions(self, document: Any) -> None:
        small = float(self.type.small)
        note = self.style(document, "Footnote Text", base="Normal")
        self.font(note, self.serif, small, "ink")
        self.para(note, before=0, after=2, leading=1.25)
        for name in ("Caption", "Table Caption", "Image Caption"):
            style = self.style(document, name, base="Normal")
            self.font(style, self.sans, small, "muted", italic=False)
            self.para(style, before=4, after=self.paragraph_gap * 1.5, leading=1.25)
        # a wide table's cells (render/docx_tables.py): print.css's table.wide, the sans at
        # the label size, set tight (the body's leading "at least" would double its lines)
        wide = self.style(document, WIDE_TABLE_TEXT, base="Compact")
        self.font(wide, self.sans, float(self.type.label))
        self.para(wide, before=0, after=2, leading=1.25)
        table_caption = self.style(document, "Table Caption")
        self.para(table_caption, before=self.paragraph_gap, after=4, keep_next=True)
        figure = self.style(document, "Captioned Figure", base="Normal")
        self.para(figure, before=self.paragraph_gap, after=0, keep_next=True)
        for name in ("Header", "Footer"):
            style = self.style(document, name, base="Normal")
            self.font(style, self.sans, float(self.type.label), "muted")
            self.para(style, before=0, after=0, leading=1.0)

    def character_styles(self, document: Any) -> None:
        link = self.style(document, "Hyperlink", kind="character")
        self.font(link, color="link")
        link.font.underline = True
        pending = self.style(document, LINK_WITHOUT_TARGET, kind="character")
        self.font(pending, color="ink")
        pending.font.underline = WD_UNDERLINE.DOTTED
        ref = self.style(document, "Footnote Reference", kind="character")
        self.font(ref, color=ACCENT_TEXT)
        ref.font.superscript = True
        code = self.style(document, "Verbatim Char", kind="character")
        self.font(code, size=self.body - 1)

    def lists(self, document: Any) -> None:
        # pandoc numbers its lists itself; these are for editors who start a list in Word.
        for name in ("List Paragraph", "List Bullet", "List Number"):
            style = self.style(document, name, base="Body Text")
            self.para(style, before=0, after=2, left=18)

    def page(self, document: Any) -> None:
        top, right, bottom, left = (points(v, self.body) for v in self.t.page.margins.split())
        width, height = (points(v, self.body)
                         for v in self.t.page.size(self.t.page.default).split())
        section = document.sections[0]
        section.page_width, section.page_height = Pt(width), Pt(height)
        section.top_margin, section.bottom_margin = Pt(top), Pt(bottom)
        section.left_margin, section.right_margin = Pt(left), Pt(right)
        section.header_distance = Pt(top / 2)
        section.footer_distance = Pt(bottom / 2)
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.style = _find_style(document, "Header")
        header.paragraph_format.tab_stops.add_tab_stop(Pt(width - left - right),
                                                       WD_TAB_ALIGNMENT.RIGHT)
        header.add_run(TITLE_PLACEHOLDER)
        header.add_run("\t")
        _add_page_field(header)
        # no rule under the running head: a Heading 1 at the top of a page has its own
        section.first_page_header.paragraphs[0].style = _find_style(document, "Normal")
        _continuous_notes(document)

    def font_table(self, xml: bytes) -> bytes:
        """The font table naming the house fonts' fallbacks, for machines without them."""
        table = trusted_xml(xml)
        named = set()
        for role, generic in (("serif", "roman"), ("sans", "swiss")):
            font = self.t.fonts.roles()[role]
            if font.family in named:  # a brand's one family for both roles
                continue
            named.add(font.family)
            alt = next((f for f in font.fallbacks if f not in ("serif", "sans-serif")),
                       None)
            entry = etree.SubElement(table, w("font"), {w("name"): font.family})
            if alt:
                etree.SubElement(entry, w("altName"), {w("val"): alt})
            etree.SubElement(entry, w("family"), {w("val"): generic})
            etree.SubElement(entry, w("pitch"), {w("val"): "variable"})
        return part_bytes(table)


def _continuous_notes(document: Any) -> None:
    """Footnotes numbered through the whole document, as the PDF numbers them.

    pandoc's default reference restarts their numbers in each section
    (``<w:numRestart w:val="eachSect"/>``), which pandoc copies into every Word file. With
    one section Word shows the same numbers either way, but LibreOffice reads it as
    numbering per chapter: the notes of each Heading 1 section started again at 1. Word's
    own default, ``continuous``, is what the PDF and the web page show. (python-docx has
    no footnote settings: the section's XML, through its public element.)"""
    for section in document.element.find(w("body")).iter(w("sectPr")):
        settings = section.find(w("footnotePr"))
        restart = None if settings is None else settings.find(w("numRestart"))
        if restart is not None:
            restart.set(w("val"), "continuous")


def _find_style(document: Any, name: str) -> Any:
    """The style named ``name`` (python-docx's lookup lower-cases some names pandoc does not)."""
    return next((s for s in document.styles if s.name == name), None)


def _add_style(document: Any, name: str, kind: Any) -> Any:
    style = document.styles.add_style(name, kind)
    if name in _WORD_BUILTIN:
        # Word knows these by their built-in ids; a custom "header" would sit beside its own
        style.style_id = name.replace(" ", "")
        style.element.attrib.pop(w("customStyle"), None)
    return style


_WORD_BUILTIN = {"Header", "Footer", "List Paragraph", "List Bullet", "List Number"}


# python-docx sets most of a style's formatting through its font and paragraph_format; what
# they do not reach is edited in the style's XML (its public .element) with lxml, each child
# put where the schema puts it: Word refuses a file whose elements stand in another order.

# CT_Style: the children of a w:style
_STYLE_ORDER = ["name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden",
                "uiPriority", "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal",
                "personalCompose", "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr",
                "tcPr", "tblStylePr"]

# CT_RPr: the children of a w:rPr (EG_RPrBase's sequence, then rPrChange)
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
              "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
              "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
              "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
              "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange"]

# CT_PPr: support/ooxml.PPR_ORDER (a style's pPr, CT_PPrGeneral, has the same sequence
# without rPr and sectPr)

def _run_properties(style: Any) -> Any:
    """The style's w:rPr, added where the schema puts it if it has none."""
    return schema_child(style.element, "rPr", _STYLE_ORDER)


def _paragraph_properties(style: Any) -> Any:
    """The style's w:pPr, added where the schema puts it if it has none."""
    return schema_child(style.element, "pPr", _STYLE_ORDER)


def _insert_ppr_child(ppr: Any, child: Any) -> None:
    in_schema_order(ppr, child, PPR_ORDER)


def _add_page_field(paragraph: Any) -> None:
    """A PAGE field (the folio), as Word writes it: begin, instruction, separate, result, end."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        run = paragraph.add_run()
        if kind:
            run.element.append(run.element.makeelement(w("fldChar"),
                                                       {w("fldCharType"): kind}))
        elif text == " PAGE ":
            instr = run.element.makeelement(w("instrText"), {
                "{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            instr.text = text
            run.element.append(instr)
        else:
            run.text = text
