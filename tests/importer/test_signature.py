"""The canonical form of blocks: what Word keeps of a list counts, what it rewrites does not."""

from __future__ import annotations

from briefpress.importer.signature import signature
from briefpress.model import blocks


def _ordered(start: int, style: blocks.Node, delim: blocks.Node) -> list[blocks.Block]:
    return [blocks.OrderedList(((start, style, delim),
                                [[blocks.Plain([blocks.Str("item")])]]))]


def test_an_ordered_list_start_and_numbering_are_part_of_its_signature() -> None:
    """A start number (or numbering) changed in Word is an edit to import."""
    decimal = _ordered(1, blocks.Decimal(), blocks.Period())
    assert signature(decimal) != signature(_ordered(4, blocks.Decimal(), blocks.Period()))
    assert signature(decimal) != signature(_ordered(1, blocks.LowerRoman(), blocks.Period()))
    assert signature(decimal) != signature(_ordered(1, blocks.Decimal(), blocks.OneParen()))


def test_the_default_numbering_is_the_one_word_shows() -> None:
    """``#.`` in the source (pandoc's defaults) is written and read back as ``1.``."""
    assert signature(_ordered(1, blocks.DefaultStyle(), blocks.DefaultDelim())) == \
        signature(_ordered(1, blocks.Decimal(), blocks.Period()))


def test_a_line_block_is_the_paragraph_with_line_breaks_word_holds() -> None:
    one, two = [blocks.Str("Line"), blocks.Space(), blocks.Str("one")], [blocks.Str("two")]
    assert signature([blocks.LineBlock([one, two])]) == \
        signature([blocks.Para([*one, blocks.LineBreak(), *two])])
