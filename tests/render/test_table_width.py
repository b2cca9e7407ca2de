"""render/table_width.py: a table's widths estimated from its characters, and the page's and
type's sizes read from the design tokens."""

from __future__ import annotations

import pytest

from briefpress.read.tokens import house_tokens, points
from briefpress.render.table_width import (
    WIDE_COLUMNS,
    estimated_width,
    is_wide,
    page_width_pt,
    table_gap_pt,
    table_type_pt,
    text_column_pt,
    wide_table_gap_pt,
    wide_type_pt,
    widest_pieces,
)


def test_the_page_is_a4_less_its_side_margins_and_the_column_less_the_indent() -> None:
    """A4 (210 mm) less the tokens' 1 in margins each side; the column less 1.35 in."""
    assert page_width_pt() == pytest.approx(210 / 25.4 * 72 - 2 * 72)
    assert text_column_pt() == pytest.approx(page_width_pt() - 1.35 * 72)


def test_the_gaps_and_type_sizes_are_the_tokens() -> None:
    tokens = house_tokens()
    assert table_gap_pt() == points(tokens.print.table_gap) == 8
    assert wide_table_gap_pt() == points(tokens.print.wide_table_gap) == 5
    assert table_type_pt() == tokens.type.small
    assert wide_type_pt() == tokens.type.label
    assert wide_type_pt() < table_type_pt()  # a wide table is set smaller


def test_a_line_breaks_at_spaces_and_after_hyphens_never_inside_a_number() -> None:
    assert widest_pieces([["Norway-and-Svalbard", "1,234"], ["x", "12,345,678"]]) == [
        "Svalbard", "12,345,678"]
    assert widest_pieces([["a longer-winded phrasebook"]]) == ["phrasebook"]
    assert widest_pieces([["Norway-and"]]) == ["Norway-"]  # the hyphen ends its line
    assert widest_pieces([["short", "x"], ["a"]]) == ["short", "x"]  # a shorter row


def test_no_cells_have_no_pieces() -> None:
    assert widest_pieces([]) == []
    assert widest_pieces([[]]) == []
    assert estimated_width([], 10, 8) == 0.0


def test_wide_letters_and_capitals_are_counted_wider_and_the_gaps_added() -> None:
    assert estimated_width(["WWW", "abc"], 10, 8) == pytest.approx(3 * 10 + 3 * 5.5 + 8)
    assert estimated_width(["ABC"], 10, 8) == pytest.approx(3 * 7.5)  # one piece: no gap
    assert estimated_width(["m@%"], 12, 0) == pytest.approx(3 * 12)


def test_a_table_of_many_columns_or_of_long_unbreakable_pieces_is_wide() -> None:
    assert not is_wide([["2019", "North", "12", "Of which tankers"]])
    assert is_wide([["x"] * WIDE_COLUMNS])
    assert not is_wide([["x"] * (WIDE_COLUMNS - 1)])
    assert is_wide([["W" * 66]])  # 66 em at 8.5 pt: wider than the column
    assert not is_wide([["a" * 40, "1,234,567 and more"]])
    assert is_wide([["w" * 40, "1,234,567 and more"]])
