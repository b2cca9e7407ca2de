"""Turn a Brief's tables into findings: a table whose columns the printed page cannot hold.

print.css never lets a table run off the page: a table of seven columns or more takes the
full width in smaller type, and a word or number longer than its column breaks where it
must. Past some width that breaking makes a table hard to read ("1,234,56" over "7"), so
``check`` warns, before anything is laid out, when a table's longest unbreakable words and
numbers, one per column, cannot stand side by side across the narrowest page (A4).

The widths are estimated from the number of characters, not measured in the fonts: a
warning, never an error, and a generous one (the average character of the sans's
figures and lowercase letters is about half an em).
"""

from __future__ import annotations

import re

from briefpress.check.safety import written_parts
from briefpress.errors import Problem
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.read.brief import line_of

PAGE_WIDTH_PT = 595.28 - 2 * 72
"""The full text width of the narrowest page a brief is printed on: A4 (210 mm) less the
margins of 1 in either side (styles/tokens.yaml); Letter and the facing layout are wider."""

CHARACTER_PT = 8 * 0.5
"""An average character of a wide table's type (``--type-label``, 8 pt): half an em."""

CELL_PADDING_PT = 5
"""The space print.css keeps between a wide table's columns."""

_PIECE = re.compile(r"[^\s-]*-?")
"""A piece of a cell's text no line can break inside: words break at spaces and after a
hyphen, numbers ("1,234,567") nowhere."""


def check_tables(brief: Brief) -> list[Problem]:
    """A warning per table whose columns' longest pieces are together wider than the page."""
    problems = []
    for path, text, anchor, content in written_parts(brief):
        lines = text.splitlines()
        for node in blocks.walk(content):
            if not isinstance(node, blocks.Table):
                continue
            widest = _widest_pieces(node)
            need = sum(len(piece) * CHARACTER_PT + CELL_PADDING_PT for piece in widest) \
                - CELL_PADDING_PT
            if need <= PAGE_WIDTH_PT:
                continue
            first = next((blocks.stringify(cell[4]) for row in node.rows()
                          for cell in row[1] if blocks.stringify(cell[4]).strip()), "")
            line = (line_of(first, lines[anchor - 1 if anchor else 0:]) if first else None)
            if line is not None and anchor:
                line += anchor - 1
            longest = max(widest, key=len)
            problems.append(Problem(
                path, line or anchor,
                f"a table of {len(widest)} columns is too wide for the printed page: their "
                f"longest words and numbers (the longest {longest!r}) need about "
                f"{need:.0f} pt side by side, an A4 page holds {PAGE_WIDTH_PT:.0f} pt, so the "
                "PDF breaks them inside",
                "split the table in two, turn some of its columns into rows (the years, say), "
                "or shorten its longest entries", severity="warning"))
    return problems


def _widest_pieces(table: blocks.Table) -> list[str]:
    """The longest unbreakable piece of each column of ``table`` (header and body)."""
    widest: dict[int, str] = {}
    for row in table.rows():
        for column, cell in enumerate(row[1]):  # a cell spanning columns counts as its first
            for piece in _PIECE.findall(blocks.stringify(cell[4])):
                if len(piece) > len(widest.get(column, "")):
                    widest[column] = piece
    return [widest.get(column, "") for column in range(max(widest, default=-1) + 1)]
