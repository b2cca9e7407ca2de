"""Turn a Brief's tables into findings: a table whose columns the printed page cannot hold.

print.css never lets a table run off the page: a table too wide for the text column takes
the full width in smaller type, and a word or number longer than its column breaks where it
must. Past some width that breaking makes a table hard to read ("1,234,56" over "7"), so
``check`` warns, before anything is laid out, when a table's longest unbreakable words and
numbers, one per column, cannot stand side by side across the narrowest page (A4).

The widths are estimated from the characters, not measured in the fonts
(``render/pdf_text.estimated_width``, which also decides which tables print.css sets
across the full width): a warning, never an error.
"""

from __future__ import annotations

from briefpress.check.safety import written_parts
from briefpress.errors import Problem
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.read.brief import line_of
from briefpress.render.pdf_text import estimated_width, widest_pieces

PAGE_WIDTH_PT = 595.28 - 2 * 72
"""The full text width of the narrowest page a brief is printed on: A4 (210 mm) less the
margins of 1 in either side (styles/tokens.yaml); Letter and the facing layout are wider."""

WIDE_TYPE_PT = 8
"""The size of a wide table's type (``--type-label``)."""

WIDE_PADDING_PT = 5
"""The space print.css keeps between a wide table's columns."""


def check_tables(brief: Brief) -> list[Problem]:
    """A warning per table whose columns' longest pieces are together wider than the page,
    though each fits it alone: a word wider than the page breaks inside, in a table as in
    a paragraph, and is no table's fault."""
    problems = []
    for path, text, anchor, part in written_parts(brief):
        lines = text.splitlines()
        for node in brief.index.find((blocks.Table,), part):
            widest = widest_pieces([[blocks.stringify(cell[4]) for cell in row[1]]
                                    for row in node.rows()])
            need = estimated_width(widest, WIDE_TYPE_PT, WIDE_PADDING_PT)
            longest = max(widest, key=len, default="")
            if need <= PAGE_WIDTH_PT or len(widest) < 2 or \
                    estimated_width([longest], WIDE_TYPE_PT, 0) > PAGE_WIDTH_PT:
                continue  # fits; or one word wider than the page, which breaks as in a line
            first = next((blocks.stringify(cell[4]) for row in node.rows()
                          for cell in row[1] if blocks.stringify(cell[4]).strip()), "")
            line = (line_of(first, lines[anchor - 1 if anchor else 0:]) if first else None)
            if line is not None and anchor:
                line += anchor - 1
            problems.append(Problem(
                path, line or anchor,
                f"a table of {len(widest)} columns is too wide for the printed page: their "
                f"longest words and numbers (the longest {longest!r}) need about "
                f"{need:.0f} pt side by side, an A4 page holds {PAGE_WIDTH_PT:.0f} pt, so the "
                "PDF breaks them inside",
                "split the table in two, turn some of its columns into rows (the years, say), "
                "or shorten its longest entries", severity="warning"))
    return problems

