"""Cross-references resolved in the model: one numbering, links to ids, citations untouched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefpress.model import blocks, xref
from briefpress.read.brief import read_brief
from conftest import WATER, edit


def _text(folder: Path, section: str) -> str:
    brief = xref.resolve(read_brief(folder))
    found = brief.section(section)
    assert found is not None
    return blocks.stringify(found.blocks)


def test_references_read_numbers_and_titles_and_link_to_ids() -> None:
    brief = xref.resolve(read_brief(WATER))
    section = brief.section("withdrawals")
    assert section is not None
    links = [(n.url, blocks.stringify(n.content)) for n in blocks.walk(section.blocks)
             if isinstance(n, blocks.Link)]
    # a figure's or a table's label is one word (no line ends inside "Figure 1"); a
    # section's title keeps its spaces
    assert links == [("#fig-withdrawals", "Figure\u00a01"), ("#tbl-agreements", "Table\u00a01"),
                     ("#agreements", "What Makes Agreements Hold")]
    labels = [blocks.stringify(n) for n in blocks.walk(section.blocks)
              if isinstance(n, blocks.Span) and xref.LABEL_CLASS in n.attr[1]]
    assert labels == ["Figure 1:", "Table 1:"]
    assert not [n for n in blocks.walk(section.blocks) if isinstance(n, blocks.Cite)]


def test_several_keys_prefixes_and_a_sec_id_that_wins(scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    edit(folder / "brief.md", "(@fig-withdrawals)", "[see @fig-withdrawals; @tbl-agreements]")
    edit(folder / "brief.md", "# Key Takeaways {#key-takeaways}",
         "# Key Takeaways {#sec-agreements}")
    text = _text(folder, "withdrawals")
    assert "since 2005 see Figure\u00a01, Table\u00a01;" in text
    assert "the section Key Takeaways says" in text  # {#sec-agreements} before {#agreements}


def test_a_citation_and_an_unknown_key_stay_cites(scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    edit(folder / "brief.md", "(@fig-withdrawals)", "[@smith2020] (@fig-nowhere)")
    brief = xref.resolve(read_brief(folder))
    section = brief.section("withdrawals")
    assert section is not None
    cites = [n.citations[0].citation_id for n in blocks.walk(section.blocks)
             if isinstance(n, blocks.Cite)]
    assert cites == ["smith2020", "fig-nowhere"]


def test_a_label_typed_as_words_is_that_reference_again_as_often_as_wanted() -> None:
    """What an editor leaves after retyping "(Figure 1); Table 1 lists" over the references
    in Word: words. ``retyped`` makes the labels a paragraph lost references again, the
    punctuation around them kept, and no more of them than wanted; "Figure 10" and a
    label in a link are no label."""
    table = xref.targets(read_brief(WATER))
    words = blocks.plain_inlines("since 2005 (see Figure 1); Table 1 lists, Figure 10 and "
                                 "figure 1.5; Table 1 again")
    para = [blocks.Para([*words, blocks.Space(),
                         blocks.Link((blocks.attr(), blocks.plain_inlines("Table 1"),
                                      ("https://example.org", "")))])]
    assert xref.typed_keys(para, table) == ["fig-withdrawals", "tbl-agreements",
                                            "tbl-agreements"]
    # a reference's words as the Word file has them, its link removed: one word
    joined = [blocks.Para([blocks.Str("(Figure\u00a01);"), blocks.Space(),
                           blocks.Str("Figure\u00a010")])]
    assert xref.typed_keys(joined, table) == ["fig-withdrawals"]
    # the paragraph as the Word file had it: both references, "Table 1 again" as words
    base = [blocks.Para([*blocks.plain_inlines("since 2005 (see"), blocks.Space(),
                         xref.link(table["fig-withdrawals"]), blocks.Str(");"), blocks.Space(),
                         xref.link(table["tbl-agreements"]),
                         *blocks.plain_inlines(" lists, Figure 10 and figure 1.5; Table 1 again")])]
    done = xref.retyped(para, {"fig-withdrawals": 1, "tbl-agreements": 1}, table, base)
    inlines = done[0].content
    refs = [(xref.key_of(n), blocks.stringify(n)) for n in inlines if xref.key_of(n)]
    assert refs == [("fig-withdrawals", "Figure\u00a01"), ("tbl-agreements", "Table\u00a01")]
    # the same words (the references' labels joined by a no-break space)
    assert blocks.stringify(done).split() == blocks.stringify(para).split()
    assert blocks.Str("(see") in inlines and blocks.Str(");") in inlines
    assert xref.typed_keys(done, table) == ["tbl-agreements"]  # the second one, not wanted
    assert xref.retyped(para, {}, table, base) == para


def _para(text: str) -> list[blocks.Block]:
    return [blocks.Para(blocks.plain_inlines(text))]


def test_a_reference_deleted_with_its_words_is_not_put_back_on_other_words() -> None:
    """The editor deletes "(see Conclusion)": the paragraph's "In conclusion" (another
    word, a lower-case one, which the paragraph already had) is no reference; "Figure 1
    shows", words the paragraph had before the reference, stay words too."""
    brief = read_brief(WATER)
    table = xref.targets(brief)
    section = next(key for key, target in table.items() if target.kind == "section")
    title = table[section].label
    base = [blocks.Para([*blocks.plain_inlines(f"In {title.lower()}, the alliance holds"),
                         blocks.Space(), blocks.Str("(see"), blocks.Space(),
                         xref.link(table[section]), blocks.Str(").")])]
    edited = _para(f"In {title.lower()}, the alliance holds.")
    assert xref.retyped(edited, {section: 1}, table, base) == edited
    # the title as written, which the paragraph already had as words: still no reference
    base_typed = [blocks.Para([*blocks.plain_inlines(f"{title} matters"), blocks.Space(),
                               xref.link(table[section]), blocks.Str(".")])]
    assert xref.retyped(_para(f"{title} matters."), {section: 1}, table, base_typed) \
        == _para(f"{title} matters.")
    # "Figure 1 shows … (@fig-a)" with the reference retyped: the second "Figure 1" again
    base_fig = [blocks.Para([*blocks.plain_inlines("Figure 1 shows the trend"), blocks.Space(),
                             blocks.Str("("), xref.link(table["fig-withdrawals"]),
                             blocks.Str(").")])]
    done = xref.retyped(_para("Figure 1 shows the trend (Figure 1)."),
                        {"fig-withdrawals": 1}, table, base_fig)
    inlines = done[0].content  # type: ignore[attr-defined]
    assert [blocks.stringify(n) for n in inlines if xref.key_of(n)] == ["Figure\u00a01"]
    assert inlines[:2] == [blocks.Str("Figure"), blocks.Space()]  # the first stays words
    assert xref.key_of(inlines[-2]) == "fig-withdrawals"


def test_a_retyped_reference_is_put_back_nearest_where_it_stood() -> None:
    """Two labels typed, one reference lost: the one typed where the reference stood,
    first or last."""
    table = xref.targets(read_brief(WATER))
    figure = xref.link(table["fig-withdrawals"])
    for before, after, which in [
            (("Rivers fall (see", "); more later, and more."),
             "Rivers fall (see Figure 1); more later, and more. Figure 1.", 0),
            (("Rivers fall; more later, and more (see", ")."),
             "Figure 1: rivers fall; more later, and more (see Figure 1).", 1)]:
        base = [blocks.Para([*blocks.plain_inlines(before[0]), blocks.Space(), figure,
                             blocks.Str(before[1][0]), *blocks.plain_inlines(before[1][1:])])]
        done = xref.retyped(_para(after), {"fig-withdrawals": 1}, table, base)
        assert blocks.stringify(done).split() == after.split()  # "Figure\u00a01" linked
        typed = xref.typed_keys(done, table)
        assert typed == ["fig-withdrawals"]  # one label left as words
        inlines = done[0].content  # type: ignore[attr-defined]
        linked = [number for number, node in enumerate(inlines) if xref.key_of(node)]
        words = [number for number, node in enumerate(inlines)
                 if isinstance(node, blocks.Str) and node.c.startswith("Figure")]
        assert len(linked) == 1 and len(words) == 1
        assert (linked[0] < words[0]) == (which == 0)
