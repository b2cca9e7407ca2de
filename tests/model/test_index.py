"""The index of a brief's text (model/index.py, ``Brief.index``): every element once, in
document order, part by part; what it finds is what walking each part finds."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from tests.model.test_brief import small_brief

from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.model.index import index_text
from briefpress.read.brief import read_brief
from conftest import WATER

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "briefs"


def linked(text: str, url: str) -> blocks.Link:
    return blocks.Link((blocks.attr(), [blocks.Str(text)], (url, "")))


def brief_with_text() -> Brief:
    """The small brief with a link and raw HTML in its sections and a fragment of YAML."""
    brief = small_brief()
    brief.sections[0].blocks.append(blocks.Para([linked("one", "#background"),
                                                 blocks.RawInline(("html", "<b>"))]))
    brief.sections[2].blocks.append(blocks.Plain([linked("two", "https://example.org")]))
    brief.fragments["rec:ice-class"] = [blocks.Para([linked("three", "#summary")])]
    return brief


def test_the_index_holds_every_element_of_the_body_then_of_the_fragments() -> None:
    brief = brief_with_text()
    index = brief.index
    assert index.nodes == [*blocks.walk(brief.body()),
                           *blocks.walk(brief.fragments["rec:ice-class"])]
    assert [(p.kind, p.key) for p in index.parts] == [
        ("heading", "summary"), ("blocks", "summary"),
        ("heading", "background"), ("blocks", "background"),
        ("heading", "conclusion"), ("blocks", "conclusion"),  # generated sections have none
        ("fragment", "rec:ice-class")]
    assert index.parts[2].section is brief.section("background")
    assert index.parts[-1].section is None
    assert index.nodes[index.body.start:index.body.end] == list(blocks.walk(brief.body()))
    assert (index.whole.start, index.whole.end) == (0, len(index.nodes))


def test_found_elements_come_in_document_order_with_their_subclasses() -> None:
    index = brief_with_text().index
    links = index.find(blocks.Link, index.whole)
    assert [blocks.stringify(link.content) for link in links] == ["one", "two", "three"]
    assert [blocks.stringify(link.content) for link in index.find(blocks.Link, index.body)] \
        == ["one", "two"]
    mixed = index.find((blocks.RawInline, blocks.Link), index.body)
    assert [type(node).__name__ for node in mixed] == ["Link", "RawInline", "Link"]
    # Para is a Plain (as isinstance says): both, in order
    paragraphs = index.find(blocks.Plain, *index.parts_of("blocks"))
    assert [type(node).__name__ for node in paragraphs] == ["Para", "Para", "Para", "Para",
                                                            "Para", "Plain"]
    assert index.find(blocks.Header, index.parts_of("heading")[1]) == [
        brief_with_text().section("background").header()]
    assert index.find(blocks.Note, index.whole) == []
    assert index.find(blocks.Link) == []  # in no part: nothing (not the whole text)


def test_several_parts_are_searched_in_document_order_whatever_order_they_are_given() -> None:
    index = brief_with_text().index
    fragment, first = index.parts_of("fragment")[0], index.parts_of("blocks")[0]
    found = index.find(blocks.Link, fragment, first)
    assert [blocks.stringify(link.content) for link in found] == ["one", "three"]


def test_a_brief_makes_its_index_once_and_a_copy_makes_its_own() -> None:
    brief = brief_with_text()
    assert brief.index is brief.index
    copy = msgspec.structs.replace(brief, fragments={})
    assert copy.index is not brief.index
    found = copy.index.find(blocks.Link, copy.index.whole)
    assert [blocks.stringify(link.content) for link in found] == ["one", "two"]
    # the index is no field: it is neither encoded nor compared
    assert "index" not in msgspec.structs.asdict(brief)
    assert brief == msgspec.structs.replace(brief)


def test_an_empty_text_has_an_empty_index() -> None:
    index = index_text([], {})
    assert index.nodes == [] and index.parts == []
    assert index.find(blocks.Link, index.whole) == []
    assert (index.body.start, index.body.end) == (index.whole.start, index.whole.end) == (0, 0)


@pytest.mark.parametrize("folder", [WATER, FIXTURES / "arctic-shipping",
                                    Path(__file__).resolve().parents[2] / "content"
                                    / "us-rok-partnership"], ids=lambda f: f.name)
def test_on_real_briefs_each_part_finds_what_walking_it_finds(folder: Path) -> None:
    brief = read_brief(folder)
    index = brief.index
    contents = [[section.header()] if kind == "heading" else section.blocks
                for section in brief.walk() if section.generated_from is None
                for kind in ("heading", "blocks")] + list(brief.fragments.values())
    assert len(contents) == len(index.parts)
    for kinds in (blocks.Link, blocks.Plain, (blocks.Figure, blocks.Table, blocks.Cite),
                  (blocks.RawBlock, blocks.RawInline, blocks.Image, blocks.Note)):
        for part, content in zip(index.parts, contents, strict=True):
            assert index.find(kinds, part) == [
                node for node in blocks.walk(content) if isinstance(node, kinds)]
        assert index.find(kinds, index.body) == [
            node for node in blocks.walk(brief.body()) if isinstance(node, kinds)]
