"""Turn the Word file's tables too wide for the text column into compact ones, with lxml.

pandoc writes every table in the body's type, with Word's cell margins, so a table of many
columns breaks its words and numbers letter by letter. The tables the PDF sets across the
full width in smaller type (render/table_width.py's ``is_wide``, asked of the same cell
texts) get the Word form of that: their cells' paragraphs in the reference document's
**Wide Table Text** style (the smaller sans of print.css's ``table.wide``, made in
render/docx_reference.py), the table as wide as the text, its cell margins the wide
table's gap after each column and none before. Column widths stay pandoc's: those the
source gives (a long pipe table's dashes), which the PDF follows too and an edited table
carries back, else autofit (Word fits them to the text; LibreOffice shares the width out).

A style name, not direct formatting: an editor sees why the type is smaller, a row added in
Word takes the style, and the importer, which reads a cell's words and not its style, reads
the table as written.
"""

from __future__ import annotations

from typing import Any

from briefpress.render.docx_styles import WIDE_TABLE_TEXT
from briefpress.render.table_width import is_wide, wide_table_gap_pt
from briefpress.support.ooxml import W, in_schema_order, part_bytes, qname, trusted_xml

_TEXT_STYLES = frozenset({"Compact", "BodyText", "FirstParagraph"})
"""The style ids pandoc gives a cell's plain paragraphs, a list item's too (pandoc reads it
by its numbering, which stays); a quotation and code keep theirs, by which pandoc reads them."""

_TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription",
                "tblPrChange"]
"""The children of a table's properties in the schema's order (CT_TblPr): Word refuses a
file whose elements stand in another."""


def compact_wide_tables(document: bytes, styles: bytes) -> bytes:
    """The main part with every table too wide for the text column made compact (see
    above). Unchanged (the same bytes) when there is none."""
    root = trusted_xml(document)
    wide = [table for table in root.iter(qname(W, "tbl")) if is_wide(_rows(table))]
    if not wide:
        return document
    style_id = _style_id(styles, WIDE_TABLE_TEXT)
    gap = str(round(wide_table_gap_pt() * 20))  # twentieths of a point
    for table in wide:
        properties = _first(table, "tblPr")
        width = _set(properties, "tblW")
        width.attrib.clear()
        width.set(qname(W, "type"), "pct")
        width.set(qname(W, "w"), "5000")  # fiftieths of a percent: the text's width
        margins = _set(properties, "tblCellMar")
        for side in list(margins):
            margins.remove(side)
        for side, twips in (("left", "0"), ("right", gap)):
            margins.append(margins.makeelement(qname(W, side),
                                               {qname(W, "w"): twips, qname(W, "type"): "dxa"}))
        for row in table.iterchildren(qname(W, "tr")):
            for cell in row.iterchildren(qname(W, "tc")):
                for paragraph in cell.iterchildren(qname(W, "p")):
                    _restyle(paragraph, style_id)
    return part_bytes(root)


def _rows(table: Any) -> list[list[str]]:
    """The text of each cell of ``table``'s own rows."""
    return [["".join(text.text or "" for text in cell.iter(qname(W, "t")))
             for cell in row.iterchildren(qname(W, "tc"))]
            for row in table.iterchildren(qname(W, "tr"))]


def _style_id(styles: bytes, name: str) -> str:
    """The id of the paragraph style named ``name`` in the styles part (python-docx made it
    from the name)."""
    for style in trusted_xml(styles).iter(qname(W, "style")):
        found = style.find(qname(W, "name"))
        if style.get(qname(W, "type")) == "paragraph" and found is not None \
                and found.get(qname(W, "val")) == name:
            return str(style.get(qname(W, "styleId")))
    raise ValueError(f"the reference document has no paragraph style {name!r}")


def _restyle(paragraph: Any, style_id: str) -> None:
    """``paragraph`` in the style ``style_id`` if pandoc gave it a plain text style."""
    properties = _first(paragraph, "pPr")
    style = properties.find(qname(W, "pStyle"))
    if style is None:
        style = properties.makeelement(qname(W, "pStyle"), {})
        properties.insert(0, style)  # the first of a paragraph's properties
    elif style.get(qname(W, "val")) not in _TEXT_STYLES:
        return
    style.set(qname(W, "val"), style_id)


def _first(parent: Any, tag: str) -> Any:
    """``parent``'s properties ``w:tag``, made as its first child (where the schema puts
    them) if it has none."""
    found = parent.find(qname(W, tag))
    if found is None:
        found = parent.makeelement(qname(W, tag), {})
        parent.insert(0, found)
    return found


def _set(properties: Any, tag: str) -> Any:
    """The table properties' child ``w:tag``, made where the schema puts it if missing."""
    found = properties.find(qname(W, tag))
    if found is not None:
        return found
    return in_schema_order(properties, properties.makeelement(qname(W, tag), {}), _TBLPR_ORDER)
