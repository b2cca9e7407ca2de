"""importer/foreign_style.py: a foreign Word file's blocks made what a brief of the house
says: its lists tight, a table's typed caption its caption, a picture's its figure's (its
straight quotes: test_typography.py)."""

from __future__ import annotations

import pytest

from briefpress import pandoc
from briefpress.importer.docxread import EditedBlock
from briefpress.importer.foreign_style import (
    _unnumbered,
    figure_captions,
    table_captions,
    tight_lists,
)
from briefpress.model import blocks

API = [1, 23, 1, 1]


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


@pytest.mark.parametrize(("text", "words"), [
    ("Figure 1: Ice roads.", "Ice roads."), ("Fig. 2. Ice", "Ice"), ("fig 3: Ice", "Ice"),
    ("**Figure 4:** *Ice*", "Ice"), ("Figures 1: Ice", None), ("Table 1: Ice", None),
    ("Figure 1", None), ("See Figure 1: Ice", None),
    # the separators Word's Insert Caption offers, and LibreOffice's own name (tester 12)
    ("Figure 5 – Ice", "Ice"), ("Figure 6 — Ice", "Ice"), ("Figure 7 - Ice", "Ice"),
    ("Illustration 1: Ice", "Ice"), ("Figure 1-2 shows ice", None)])
def test_a_typed_figure_number_opens_the_words(text: str, words: str | None) -> None:
    inlines = _edited(text)[0].block.content
    found = _unnumbered(inlines, "figure")
    assert (blocks.stringify(found) if found is not None else None) == words


def _picture(alt: str = "") -> EditedBlock:
    """A body paragraph that holds a picture alone, its description ``alt``, as pandoc reads
    one from a Word file."""
    image = blocks.Image((("", [], [("width", "5in")]), blocks.plain_inlines(alt),
                          ("media/image1.png", "")))
    return EditedBlock(blocks.Para([image]), [])


def _para(text: str) -> EditedBlock:
    return _edited(text)[0]


def _markdown(found: list[EditedBlock]) -> str:
    return pandoc.convert(blocks.document([b.block for b in found], API), "markdown", [])


def test_a_typed_caption_beside_a_picture_makes_it_a_figure() -> None:
    """Below it or above it; the picture's description kept as its alt text, or, with none,
    an empty one (``{alt=""}``: check then asks for it), not the caption's words; a
    paragraph between two pictures, or one of two around a picture, captions nothing."""
    found, notices = figure_captions([
        _picture(), _para("Figure 1: Ice roads by year."), _para("Text."),
        _para("Fig. 2. Trucks."), _picture("A truck on ice"), _para("Text."),
        _picture(), _para("Figure 3: Between two."), _picture(), _para("Text."),
        _para("Figure 4: Above."), _picture(), _para("Figure 5: Below.")])
    assert [type(b.block).__name__ for b in found] == [
        "Figure", "Para", "Figure", "Para", "Para", "Para", "Para", "Para", "Para", "Para",
        "Para"]
    assert _markdown(found[:3]) == (
        '![Ice roads by year.](media/image1.png){alt="" width="5in"}\n\nText.\n\n'
        '![Trucks.](media/image1.png){alt="A truck on ice" width="5in"}\n')
    read = blocks.decode(pandoc.run(_markdown(found[:1]), "json", "markdown")).blocks[0]
    assert isinstance(read, blocks.Figure)
    assert next(n for n in blocks.walk(read) if isinstance(n, blocks.Image)).content == []
    assert notices == [
        'the paragraph "Figure 1: Ice roads by year." below a picture became its caption, '
        "without its typed number, which every edition writes itself",
        'the paragraph "Fig. 2. Trucks." above a picture became its caption, without its '
        "typed number, which every edition writes itself"]


def test_a_figure_caption_word_gave_loses_its_typed_number_and_keeps_no_caption_as_alt(
        ) -> None:
    """A picture and a paragraph of Word's Caption style below it, which the reading makes a
    figure: its typed number gone; the picture without a description gets an empty one."""
    image = _picture().block.content[0]
    figure = EditedBlock(blocks.Figure((blocks.attr(), (None, [blocks.Plain(
        blocks.plain_inlines("Figure 2: Thaw."))]), [blocks.Plain([image])])), [])
    found, notices = figure_captions([figure])
    assert _markdown(found) == '![Thaw.](media/image1.png){alt="" width="5in"}\n'
    assert notices == ['the caption "Figure 2: Thaw." lost its typed number, which every '
                       "edition writes itself"]
