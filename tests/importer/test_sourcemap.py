"""importer/sourcemap.py: where each block, heading and definition of brief.md stands."""

from __future__ import annotations

import pytest

from briefpress import pandoc
from briefpress.importer.sourcemap import (
    Definition,
    ListStyle,
    _item,
    _Spans,
    _Unmapped,
    chunks,
    list_items,
    list_styles,
    source_map,
)
from briefpress.model import blocks

from .conftest import section

MARKDOWN = """\
---
title: x
---

# Intro {#intro}

Para one
continues here.

- item
- item two

- loose item

> quote

> more quote

[ref]: https://example.org/a "Title"
[Other]: <https://example.org/b>

[^n]: A note
    with a lazy line

    continued note paragraph

Setext Sub
----------

```
code

more code
```

a | b
--|--
1 | 2

Table: caption

Term
: definition

::: {.box}
Inside

the div
:::
"""


def parsed(make_brief, markdown: str):
    """``markdown`` read by pandoc into a brief of one section per heading (the map walks
    the sections in reading order; their levels do not matter to it)."""
    document, _ = pandoc.parse_markdown(markdown.split("---\n", 2)[-1]
                                        if markdown.startswith("---\n") else markdown)
    lines = markdown.split("\n")
    sections: list = []
    at = 0
    for block in document.blocks:
        if isinstance(block, blocks.Header):
            title = blocks.stringify(block.c[2])
            at = next(n for n in range(at + 1, len(lines) + 1)
                      if lines[n - 1].lstrip("# ").startswith(title))
            sections.append(section(block.c[1][0], at))
        elif sections:
            sections[-1].blocks.append(block)
    return make_brief(sections, markdown)


def mapped(make_brief, markdown=MARKDOWN):
    return source_map(parsed(make_brief, markdown))


def test_blocks_are_cut_at_blank_lines_and_joined_where_they_continue(make_brief):
    smap = mapped(make_brief)
    assert smap.unmapped == {}
    assert {key: smap.text(span) for key, span in smap.blocks.items()} == {
        "block:intro:0": "Para one\ncontinues here.",
        "block:intro:1": "- item\n- item two\n\n- loose item",
        "block:intro:2": "> quote",  # a blank line ends a quotation
        "block:intro:3": "> more quote",
        "block:setext-sub:0": "```\ncode\n\nmore code\n```",
        "block:setext-sub:1": "a | b\n--|--\n1 | 2\n\nTable: caption",
        "block:setext-sub:2": "Term\n: definition",
        "block:setext-sub:3": "::: {.box}\nInside\n\nthe div\n:::",
    }


def test_headings_and_bodies(make_brief):
    smap = mapped(make_brief)
    assert smap.headings == {"intro": (5, 5), "setext-sub": (27, 28)}  # setext: two lines
    # a body runs up to the next heading; the last one to the end of the file
    assert smap.bodies == {"intro": (6, 26), "setext-sub": (29, 50)}
    assert smap.text(smap.headings["setext-sub"]) == "Setext Sub\n----------"


def test_link_and_note_definitions_are_set_aside(make_brief):
    smap = mapped(make_brief)
    assert smap.links == {
        "ref": Definition("ref", 19, 19, "https://example.org/a"),
        "other": Definition("Other", 20, 20, "https://example.org/b"),  # keyed case-folded
    }
    # a note runs on through its indented paragraphs
    assert smap.notes == {"n": Definition("n", 22, 25)}


def test_a_section_whose_blocks_cannot_be_told_apart_is_unmapped(make_brief):
    """An HTML div over blank lines is one block pandoc reads, which the map cannot follow:
    the section is unmapped, where and what said; the others are still mapped."""
    markdown = MARKDOWN.replace("> more quote\n", "> more quote\n\n<div>\n\nInside\n\n</div>\n")
    smap = mapped(make_brief, markdown)
    assert smap.unmapped == {"intro": (19, "div")}  # its last block ran on
    assert not any(key.startswith("block:intro:") for key in smap.blocks)
    assert "block:setext-sub:0" in smap.blocks  # the other section is still mapped
    assert smap.bodies["intro"] == (6, 32)


def test_a_thematic_break_after_an_atx_heading_is_no_underline(make_brief):
    markdown = "# Head {#head}\n---\n\nText.\n"
    smap = source_map(make_brief([section("head", 1, 2)], markdown))
    assert smap.headings == {"head": (1, 1)}
    assert smap.blocks == {"block:head:0": (2, 2), "block:head:1": (4, 4)}


def test_fences_keep_blank_lines_inside_until_a_long_enough_closer(make_brief):
    markdown = "# H {#h}\n\n````\na\n\n```\nstill code\n````\n\n~~~\nx\n\ny\n~~~\n\nAfter.\n"
    smap = source_map(make_brief([section("h", 1, 3)], markdown))
    assert [smap.text(span) for span in smap.blocks.values()] == [
        "````\na\n\n```\nstill code\n````", "~~~\nx\n\ny\n~~~", "After."]


def test_an_unclosed_fence_runs_to_the_end_of_the_section(make_brief):
    markdown = "# H {#h}\n\n```\ncode\n\nmore\n\n# Next {#next}\n\nText.\n"
    smap = source_map(make_brief([section("h", 1, 1), section("next", 8, 1)], markdown))
    assert smap.text(smap.blocks["block:h:0"]) == "```\ncode\n\nmore\n"
    assert smap.blocks["block:next:0"] == (10, 10)


def test_generated_sections_without_a_line_are_left_out(make_brief):
    markdown = "# A {#a}\n\nOne.\n\n# B {#b}\n\nTwo.\n"
    sections = [section("a", 1, 1), section("recs"), section("b", 5, 1)]
    smap = source_map(make_brief(sections, markdown))
    assert set(smap.headings) == {"a", "b"}
    assert smap.bodies == {"a": (2, 4), "b": (6, 8)}


def test_a_link_definition_ends_a_note(make_brief):
    markdown = "# H {#h}\n\n[^a]: note\n\n[x]: https://x.org\n\n    indented code\n"
    smap = source_map(make_brief([section("h", 1, 1)], markdown))
    assert smap.notes == {"a": Definition("a", 3, 3)}
    assert smap.links == {"x": Definition("x", 5, 5, "https://x.org")}
    assert smap.blocks == {"block:h:0": (7, 7)}  # the indented chunk is a block of its own


def test_note_definitions_on_consecutive_lines_are_each_their_own(make_brief):
    """Notes written line after line (as the fixture briefs do) each span their own line, so
    rewriting one does not drop the next."""
    markdown = ("---\ntitle: x\n---\n\n# A {#a}\n\nText.[^one] More.[^two]\n\n"
                "[^one]: First note.\n[^two]: Second note\n    continued.\n[link]: https://x.org\n")
    smap = source_map(make_brief([section("a", 5, 1)], markdown=markdown))
    assert smap.notes == {"one": Definition("one", 9, 9), "two": Definition("two", 10, 11)}
    assert smap.links["link"].start == 12


def test_a_lists_items_are_its_lines_from_marker_to_marker() -> None:
    """Items start where a marker stands in the first one's column, outside fenced code;
    each keeps its lines (the list's indentation taken off), not the blank lines after it."""
    text = ("  1.  one\n      wrapped\n\n      ```\n  2. not an item\n      ```\n\n"
            "  2.  two\n      - nested\n  3)  three")
    found = list_items(text)
    assert found is not None and found.column == 2
    assert [(i.marker, i.gap) for i in found.items] == [("1.", 2), ("2.", 2), ("3)", 2)]
    assert found.items[0].text == "1.  one\n    wrapped\n\n    ```\n2. not an item\n    ```"
    assert found.items[1].text == "2.  two\n    - nested"
    assert list_items("A paragraph.") is None


def test_list_styles_are_read_from_the_first_list_of_each_kind_and_depth() -> None:
    text = ("1) one\n1) two\n\nText.\n\n* a\n    + b\n\n* c\n\n3.  x\n4.  y\n\n- z\n")
    styles = list_styles(text)
    assert styles[(True, 0)] == ListStyle("-", 1, same=True)
    assert styles[(False, 0)] == ListStyle("*", 1)
    assert styles[(False, 1)] == ListStyle("+", 1, nest=2, nest_blank=False)


def test_a_note_right_under_the_last_paragraph_of_a_long_note_is_its_own(make_brief):
    """A multi-paragraph note followed on the next line by another definition (the end of
    the arctic-constructs fixture): each definition spans exactly its own lines."""
    markdown = ("# A {#a}\n\nText.[^one] More.[^two]\n\n"
                "[^one]: First note.\n\n    Its second paragraph.\n\n    Its third.\n"
                "[^two]: Second note.\n\n    Its own second paragraph.\n[^three]: Third.\n")
    smap = source_map(make_brief([section("a", 1, 1)], markdown=markdown))
    assert smap.notes == {"one": Definition("one", 5, 9), "two": Definition("two", 10, 12),
                          "three": Definition("three", 13, 13)}
    assert smap.blocks == {"block:a:0": (3, 3)}


RUSSELL = ("# A {#a}\n\n- alpha item one, as argued by\nB. Russell in 1912\n- beta item two\n"
           "- delta item four\n\nA paragraph.\n\n> One quotation.\n\n> Another.\n")


def test_a_capital_letter_and_one_space_is_no_item_as_pandoc_reads_it(make_brief):
    """``B. Russell`` wrapped into a bullet item continues it (pandoc wants two spaces, or a
    tab, after a capital letter and a period): the list is three items, and the blocks
    after it keep their own lines."""
    smap = mapped(make_brief, RUSSELL)
    assert smap.unmapped == {}
    assert {key: smap.text(span) for key, span in smap.blocks.items()} == {
        "block:a:0": "- alpha item one, as argued by\nB. Russell in 1912\n- beta item two\n"
                     "- delta item four",
        "block:a:1": "A paragraph.",
        "block:a:2": "> One quotation.",
        "block:a:3": "> Another.",
    }


@pytest.mark.parametrize(("line", "item"), [
    ("B. Russell", False), ("B.  Russell", True), ("B.\tRussell", True), ("I. x", False),
    ("IV. x", True), ("b. x", True), ("B) x", True), ("(B) x", True), ("p. 5", False),
    ("p.  5", True), ("p. x", True), ("A.", True), ("1.x", False), ("(b. x", False),
    ("(1. x", False), ("(ii) x", True),
])
def test_a_line_opens_an_item_where_pandoc_reads_one(line: str, item: bool) -> None:
    """The map's reading of a marker agrees with pandoc's, case by case."""
    document, _ = pandoc.parse_markdown(f"- alpha\n{line}\n- beta\n")
    assert (len(document.blocks) > 1) is item  # an item: a list of its own between them
    assert _item(line) is item


def test_a_paragraph_opening_with_an_initial_teaches_no_list_style() -> None:
    text = "A. Smith wrote it.\n\nB. Jones agreed.\n\n1)  one\n2)  two\n"
    assert list_styles(text)[(True, 0)] == ListStyle("-", 2)
    assert list_items("A. Smith wrote it.\nB. Jones agreed.") is None


def test_an_unmapped_section_is_reported_at_the_block_that_ran_wrong() -> None:
    """A list pandoc reads as two items whose text shows three: the walk fails at the
    quotation further on, but the list is the block whose lines disagree."""
    lines = ["- a", "- b", "- c", "", "A paragraph.", "", "> quoted"]
    found = [blocks.BulletList([[blocks.Plain([])], [blocks.Plain([])]]), blocks.Para([]),
             blocks.BlockQuote([])]
    assert _Spans(lines, chunks(lines, 1, len(lines)), found).all() == _Unmapped(1, "list")


def test_a_div_inside_a_div_keeps_the_outer_one_whole(make_brief):
    """Fenced divs nest: the inner one's closing fence does not end the outer one, whose
    blank lines stay inside its block."""
    markdown = ("# A {#a}\n\n::: {.outer}\n::: {.inner}\nIn.\n:::\n\nStill outer.\n:::\n\n"
                "After.\n")
    smap = mapped(make_brief, markdown)
    assert smap.unmapped == {}
    assert [smap.text(span) for span in smap.blocks.values()] == [
        "::: {.outer}\n::: {.inner}\nIn.\n:::\n\nStill outer.\n:::", "After."]


def test_a_note_right_under_link_definitions_is_recorded(make_brief):
    """An import adds a new note's definition right under the link definitions a brief
    ends with: the next import must know that note, or it gives a new note its label again
    (two definitions of ``[^1]``: every edition then shows the last one for both calls)."""
    markdown = ("---\ntitle: x\n---\n\n# A {#a}\n\nText.[^1]\n\n"
                "[treaty]: https://x.org\n[other]: <>\n[^1]: Figure as of 2024.\n")
    smap = source_map(make_brief([section("a", 5, 1)], markdown=markdown))
    assert smap.notes == {"1": Definition("1", 11, 11)}
    assert set(smap.links) == {"treaty", "other"}
    assert smap.blocks == {"block:a:0": (7, 7)}
