"""Turn a Brief's tables into findings: a table whose columns the printed page cannot hold.

print.css never lets a table run off the page: a table too wide for its column takes the
full width of its container in smaller type (a section's own table the hanging margin
too), and a word or number longer than its column breaks where it must. Past some width
that breaking makes a table hard to read ("1,234,56" over "7"), so ``check`` warns, before
anything is laid out, when a table's longest unbreakable words and numbers, one per column,
cannot stand side by side across the narrowest page (A4): the full text width for a table
of brief.md, the text column for one of a recommendation or a bio. The Word edition sets
the same tables across its text, as wide as an A4 page's, in the same smaller type
(render/docx_tables.py), so a table of brief.md that breaks in the PDF breaks there too; a
recommendation's or a bio's has the whole width there, which may hold it.

The widths are estimated from the characters, not measured in the fonts
(render/table_width.py, by which render/pdf_text.py and render/docx_tables.py also decide
which tables they set across the full width): a warning, never an error.
"""

from __future__ import annotations

import re

from briefpress.check.safety import written_parts
from briefpress.errors import Problem
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.render.table_width import (
    estimated_width,
    page_width_pt,
    text_column_pt,
    wide_table_gap_pt,
    wide_type_pt,
    widest_pieces,
)

_TABLE_RULE = re.compile(r"^\s*(\|.*\||\+[-=:+]+\+|-{2,}[-:]*(?: +[-:]*-{2,}[-:]*)+)\s*$")
"""A line only a table is written with: a pipe table's row, a grid table's rule, or a simple
table's dashes under its header, one run for each column (a lone ``---`` is a rule, or the
front matter's fence)."""


def _table_lines(lines: list[str], start: int, first: str) -> tuple[int, int] | None:
    """Where the table whose first cell reads ``first`` is written, looked for from line
    index ``start`` on: its first line (counted from 1) and the index just past it, i.e.
    of the first block of lines, between blank lines, that is written as a table and
    holds that text (indented too: a YAML block, a list). None when no such block is there."""
    index = start
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        end = index
        while end < len(lines) and lines[end].strip():
            end += 1
        block = lines[index:end]
        if first in "\n".join(block) and any(_TABLE_RULE.match(line) for line in block):
            return index + 1, end
        index = end
    return None


def check_tables(brief: Brief) -> list[Problem]:
    """A warning per table whose columns' longest pieces are together wider than the column
    it is set in. A piece wider than the column alone breaks inside, in a table as in a
    paragraph, and is no table's fault: it is left out, and the rest measured."""
    problems = []
    # print.css gives the whole width only to a section's own tables: one in a div, a quote,
    # a list, a recommendation or a bio has the text column
    own = {id(block) for section in brief.walk() for block in section.blocks
           if isinstance(block, blocks.Table)}
    for path, text, anchor, part in written_parts(brief):
        lines = text.splitlines()
        # each table is looked for after the last found; the body's first after the front
        # matter, whose words ("A subtitle") a table's first cell may share
        after = anchor - 1 if anchor else brief.front_matter_lines
        for node in brief.index.find((blocks.Table,), part):
            whole = anchor is None and id(node) in own
            column = page_width_pt() if whole else text_column_pt()
            where = "an A4 page" if whole else "an A4 page's text column"
            widest = widest_pieces([[blocks.stringify(cell[4]) for cell in row[1]]
                                    for row in node.rows()])
            pieces = [piece for piece in widest
                      if estimated_width([piece], wide_type_pt(), 0) <= column]
            need = estimated_width(pieces, wide_type_pt(), wide_table_gap_pt())
            first = next((blocks.stringify(cell[4]) for row in node.rows()
                          for cell in row[1] if blocks.stringify(cell[4]).strip()), "")
            found = _table_lines(lines, after, first) if first else None
            line = None
            if found is not None:
                line, after = found[0], found[1]
            if need <= column or len(pieces) < 2:
                continue  # fits, leaving out what breaks as in a line
            longest = max(pieces, key=len)
            rows = ("turn some of its columns into rows (the years, say), "
                    if len(widest) > 2 else "")
            problems.append(Problem(
                path, line or anchor,
                f"a table of {len(widest)} columns is too wide for the printed page: their "
                f"longest words and numbers (the longest {longest!r}) need about "
                f"{need:.0f} pt side by side, {where} holds {column:.0f} pt, so the "
                f"{'PDF and the Word file break' if whole else 'PDF breaks'} them inside",
                f"split the table in two, {rows}or shorten its longest entries",
                severity="warning"))
    return problems
