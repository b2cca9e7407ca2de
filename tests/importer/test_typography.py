"""importer/typography.py: straight quotes, ``--`` and ``...`` typed in Word read as a
brief's Markdown reads them, the words the source holds straight kept so."""

from __future__ import annotations

import pytest

from briefpress import pandoc
from briefpress.importer.docxread import EditedBlock
from briefpress.importer.typography import Typography, house_typography, straight_words
from briefpress.model import blocks

API = [1, 23, 1, 1]


def _edited(markdown: str) -> list[EditedBlock]:
    """Blocks as a Word file holds them: read without ``smart`` (straight characters kept)."""
    document = blocks.decode(pandoc.run(markdown, "json", "markdown-smart"))
    return [EditedBlock(block, []) for block in document.blocks]


def test_straight_characters_read_as_a_brief_reads_them() -> None:
    """Every run of words that holds one (a heading, a list item, a table's cell, a note) is
    what the same words read in a brief; code, a heading's id and what holds none stay."""
    found = _edited(
        "# The ROK's Role {#role}\n\n"
        "- a \"quoted\" item -- and `it's code`\n\n"
        "| A | B |\n|---|---|\n| it's | x |\n\n"
        "Plain words, nothing to change.[^1]\n\n"
        "[^1]: The note's text...\n")
    untouched = found[3].block
    done = house_typography(found, API)
    assert done == Typography(quotes=5, dashes=1, dots=1)
    heading = found[0].block
    assert isinstance(heading, blocks.Header) and heading.attr[0] == "role"
    assert blocks.stringify(heading) == "The ROK\u2019s Role"
    assert blocks.stringify(found[1].block) == "a \u201cquoted\u201d item \u2013 and it's code"
    assert "it\u2019s" in blocks.stringify(found[2].block)
    note = next(n for n in blocks.walk(found[3].block) if isinstance(n, blocks.Note))
    assert blocks.stringify(note.content) == "The note\u2019s text\u2026"
    assert found[3].block != untouched  # its note changed, the paragraph's words did not
    assert blocks.stringify(found[3].block) == blocks.stringify(untouched)


def test_text_without_straight_characters_costs_no_pandoc_run() -> None:
    found = [EditedBlock(blocks.Para(blocks.plain_inlines("It\u2019s curled already.")), [])]
    before = blocks.encode(found[0].block)
    assert house_typography(found, API) == Typography()
    assert blocks.encode(found[0].block) == before
    assert Typography().notice() is None


def test_the_words_the_source_holds_straight_stay_so() -> None:
    """An author's deliberate ``5\\'`` and ``\\"no\\"`` (read with ``smart``, straight):
    in a paragraph the editor changed, they stay; what the editor typed curls, quotes
    paired across them too."""
    source = blocks.decode(pandoc.run('A 5\\\' wall and a \\"no\\" vote.\n', "json",
                                      "markdown+smart")).blocks
    keep = straight_words(source)
    assert keep == {"5'", '"no"'}
    found = _edited('The "high" 5\' wall, and a "no" vote that\'s final...\n')
    done = house_typography(found, API, keep)
    assert blocks.stringify(found[0].block) == (
        "The \u201chigh\u201d 5' wall, and a \"no\" vote that\u2019s final\u2026")
    assert done == Typography(quotes=3, dots=1)
    assert done.notice("the text the editor typed").startswith(
        "the text the editor typed has straight characters")


def test_a_kept_word_read_next_to_another_is_split_from_it() -> None:
    """Word's runs can cut a word in two (``5'`` and ``s``): the stand-in read as one word
    with its neighbour gives both back."""
    found = [EditedBlock(blocks.Para([blocks.Str("5'"), blocks.Str("s"), blocks.Space(),
                                      blocks.Str("it's")]), [])]
    house_typography(found, API, {"5'"})
    assert found[0].block == blocks.Para([blocks.Str("5'"), blocks.Str("s"), blocks.Space(),
                                          blocks.Str("it\u2019s")])


def test_only_kept_words_cost_no_pandoc_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("nothing to curl")

    found = _edited("A 5' wall.\n")
    before = blocks.encode(found[0].block)
    monkeypatch.setattr(pandoc, "convert", refuse)
    assert house_typography(found, API, {"5'"}) == Typography()
    assert blocks.encode(found[0].block) == before


def test_a_block_given_twice_is_curled_once() -> None:
    block = _edited("it's\n")[0]
    assert house_typography([block, block], API) == Typography(quotes=1)
    assert blocks.stringify(block.block) == "it\u2019s"
