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
    assert links == [("#fig-withdrawals", "Figure 1"), ("#tbl-agreements", "Table 1"),
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
    assert "since 2005 see Figure 1, Table 1;" in text
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
    done = xref.retyped(para, {"fig-withdrawals": 1, "tbl-agreements": 1}, table)
    inlines = done[0].content
    refs = [(xref.key_of(n), blocks.stringify(n)) for n in inlines if xref.key_of(n)]
    assert refs == [("fig-withdrawals", "Figure 1"), ("tbl-agreements", "Table 1")]
    assert blocks.stringify(done) == blocks.stringify(para)  # the same words
    assert blocks.Str("(see") in inlines and blocks.Str(");") in inlines
    assert xref.typed_keys(done, table) == ["tbl-agreements"]  # the second one, not wanted
    assert xref.retyped(para, {}, table) == para
