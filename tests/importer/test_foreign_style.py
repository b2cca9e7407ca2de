"""importer/foreign_style.py: a foreign Word file's blocks made what a brief of the house
says: its lists tight, a table's typed caption its caption (its straight quotes:
test_typography.py)."""

from __future__ import annotations

import pytest

from briefpress import pandoc
from briefpress.importer.docxread import EditedBlock
from briefpress.importer.foreign_style import _unnumbered, table_captions, tight_lists
from briefpress.model import blocks


def _edited(markdown: str) -> list[EditedBlock]:
    """Blocks as a Word file holds them: read without ``smart`` (straight characters kept)."""
    document = blocks.decode(pandoc.run(markdown, "json", "markdown-smart"))
    return [EditedBlock(block, []) for block in document.blocks]


def test_a_list_of_one_paragraph_an_item_is_tight() -> None:
    """Each list on its own: one whose item holds two paragraphs stays loose (Markdown
    needs the blank line), the list around it is tight; an item's sublist is no second
    paragraph."""
    found = _edited("- one\n\n- two\n\n  1. three\n\n     still three\n\n  2. four\n")
    tight_lists(found)
    outer = found[0].block
    assert isinstance(outer, blocks.BulletList)
    assert [[type(part) for part in item] for item in outer.items] == [
        [blocks.Plain], [blocks.Plain, blocks.OrderedList]]
    inner = outer.items[1][1]
    assert isinstance(inner, blocks.OrderedList)
    assert [[type(part) for part in item] for item in inner.items] == [
        [blocks.Para, blocks.Para], [blocks.Para]]


@pytest.mark.parametrize(("text", "words"), [
    ("Table 1: Cod biomass.", "Cod biomass."), ("table 12. Cod", "Cod"),
    ("Table 1 : Cod", "Cod"), ("**Table 3:** *Cod*", "Cod"), ("Table 1:Cod", None),
    ("Table 1", None), ("Tables 1: Cod", None), ("Table 1.5 shows", None),
    ("See Table 1: Cod", None)])
def test_a_typed_table_number_opens_the_words(text: str, words: str | None) -> None:
    inlines = _edited(text)[0].block.content
    found = _unnumbered(inlines)
    assert (blocks.stringify(found) if found is not None else None) == words


def test_a_caption_word_gave_loses_its_typed_number() -> None:
    """pandoc reads a paragraph of Word's Caption style below a table as its caption, with
    the number Word's caption field typed: gone, as every edition writes it."""
    table = _edited("| A |\n|---|\n| 1 |\n\n: Table 4: Cod.\n")[0]
    found, notices = table_captions([table])
    assert isinstance(found[0].block, blocks.Table)
    assert blocks.stringify(found[0].block.caption) == "Cod."
    assert notices == ['the caption "Table 4: Cod." lost its typed number, which every '
                       "edition writes itself"]
