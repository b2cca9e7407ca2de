"""Turn a table's cell texts into the widths the printed page needs for them, estimated.

The PDF edition (render/pdf_text.py) and the Word edition (render/docx_tables.py) decide by
these which tables they set across the full width in smaller type (:func:`is_wide`), and
``check`` (check/tables.py) warns by them of tables too wide to stay readable. All
estimate from the characters rather than lay the text out, so this module imports neither
pyphen nor lxml (``check`` loads it).
"""

from __future__ import annotations

import re

from briefpress.read.tokens import house_tokens, points

_PIECE = re.compile(r"[^\s-]*-?")
"""A piece of a cell's text no line can break inside: words break at spaces and after a
hyphen, numbers ("1,234,567") nowhere."""

WIDE_COLUMNS = 7
"""A table with a row of this many cells is a wide one."""

_WIDE_GLYPHS = frozenset("MWmw@%&")
"""Characters of about an em; capitals are counted at 0.75 em, the rest at 0.55."""


def page_width_pt() -> float:
    """The full text width of the narrowest page a brief is printed on: A4 less its left
    and right margins (styles/tokens.yaml); Letter and the facing layout are wider."""
    page = house_tokens().page
    _, right, _, left = page.margins.split()
    return points(page.sizes.a4.split()[0]) - points(left) - points(right)


def text_column_pt() -> float:
    """The narrowest text column a table is set in: :func:`page_width_pt` less the hanging
    margin (a section's own paragraphs, a recommendation's, a bio's)."""
    return page_width_pt() - points(house_tokens().print.indent)


def table_gap_pt() -> float:
    """The space print.css keeps between a table's columns (``--table-gap``)."""
    return points(house_tokens().print.table_gap)


def wide_table_gap_pt() -> float:
    """The space print.css keeps between a wide table's columns (``--wide-table-gap``)."""
    return points(house_tokens().print.wide_table_gap)


def table_type_pt() -> float:
    """The size of a table's type (``--type-small``)."""
    return float(house_tokens().type.small)


def wide_type_pt() -> float:
    """The size of a wide table's type (``--type-label``)."""
    return float(house_tokens().type.label)


def widest_pieces(rows: list[list[str]]) -> list[str]:
    """The longest piece no line can break inside, per column of a table's ``rows`` (the
    text of each cell; a cell spanning columns counts as its first)."""
    widest: dict[int, str] = {}
    for row in rows:
        for column, text in enumerate(row):
            for piece in _PIECE.findall(text):
                if len(piece) > len(widest.get(column, "")):
                    widest[column] = piece
    return [widest.get(column, "") for column in range(max(widest, default=-1) + 1)]


def estimated_width(pieces: list[str], size_pt: float, padding_pt: float) -> float:
    """How wide ``pieces`` stand side by side, in points, set at ``size_pt`` with
    ``padding_pt`` between them: estimated from their characters, generously (a layout is
    chosen by it, not measured), so that a table taken for one that fits does fit."""
    if not pieces:
        return 0.0
    ems = sum(1.0 if c in _WIDE_GLYPHS else 0.75 if c.isupper() else 0.55
              for piece in pieces for c in piece)
    return ems * size_pt + padding_pt * (len(pieces) - 1)


def is_wide(rows: list[list[str]]) -> bool:
    """Whether the table of ``rows`` (the text of each cell) is too wide for the text
    column: a row of :data:`WIDE_COLUMNS` cells or more, or longest pieces that cannot
    stand side by side in the column at a table's type size."""
    return any(len(row) >= WIDE_COLUMNS for row in rows) or \
        estimated_width(widest_pieces(rows), table_type_pt(), table_gap_pt()) > text_column_pt()
