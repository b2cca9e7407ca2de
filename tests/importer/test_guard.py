"""importer/guard.py: the structural losses an import is refused for, word for word."""

from __future__ import annotations

import shutil

from briefpress.errors import Problem
from briefpress.importer.guard import FORCE, source_errors, structural_losses
from briefpress.model import blocks
from briefpress.model.brief import Link
from briefpress.read.brief import read_brief
from conftest import ARCTIC, WATER, edit

from .conftest import areas, section

DOCX = "edited.docx"


def outline(*idents: str) -> list:
    """Top-level sections; ``"a/b"`` makes ``b`` a subsection of ``a``."""
    tops: dict[str, list] = {}
    for ident in idents:
        top, _, child = ident.partition("/")
        tops.setdefault(top, [])
        if child:
            tops[top].append(section(child, level=2))
    return [section(top, children=children) for top, children in tops.items()]


def losses(make_brief, before: dict, after: dict) -> list[str]:
    problems = structural_losses(make_brief(**before), make_brief(**after), DOCX)
    assert all(p == Problem(DOCX, None, p.message, FORCE) for p in problems)
    return [p.message for p in problems]


def test_nothing_lost(make_brief):
    brief = {"sections": outline("a", "b/c"), "recommendations": areas({"x": ["r1"]}),
             "links": [Link("the report", "https://example.org/r", 3)]}
    assert losses(make_brief, brief, brief) == []


def test_a_dropped_section_and_subsection(make_brief):
    assert losses(make_brief, {"sections": outline("a", "b/c", "d")},
                  {"sections": outline("a", "d")}) == [
        "the import would drop section 'B' (#b)",
        "the import would drop section 'C' (#c)",
    ]


def test_a_moved_section_names_its_old_and_new_neighbours(make_brief):
    assert losses(make_brief, {"sections": outline("a", "b", "c", "d")},
                  {"sections": outline("a", "c", "d", "b")}) == [
        "the import would move section 'B' (#b) from after 'A' to after 'D'"]
    assert losses(make_brief, {"sections": outline("a", "b", "c")},
                  {"sections": outline("c", "a", "b")}) == [
        "the import would move section 'C' (#c) from after 'B' to after the title"]


def test_a_section_moved_under_another_is_a_move_in_reading_order_only_if_it_moved(make_brief):
    # b becomes a subsection of a: same reading order, nothing lost
    assert losses(make_brief, {"sections": outline("a", "b")},
                  {"sections": outline("a/b")}) == []


def test_a_dropped_recommendation(make_brief):
    assert losses(make_brief, {"recommendations": areas({"trade": ["r1", "r2"]})},
                  {"recommendations": areas({"trade": ["r2"]})}) == [
        "the import would drop recommendation 'r1' (area 'Trade')"]


def test_a_recommendation_moved_to_another_area_is_kept(make_brief):
    assert losses(make_brief, {"recommendations": areas({"a": ["r1"], "b": []})},
                  {"recommendations": areas({"a": [], "b": ["r1"]})}) == []


def test_a_broken_link(make_brief):
    before = [Link("the report", "https://example.org/r", 3)]
    assert losses(make_brief, {"links": before}, {"links": []}) == [
        "the import would break the link 'the report' to https://example.org/r"]


def test_a_link_rewritten_by_word_is_the_same_link(make_brief):
    before = [Link("the report", "https://example.org/a%20b", 3)]
    after = [Link("the report, again", "https://Example.ORG/a b", 3)]
    assert losses(make_brief, {"links": before}, {"links": after}) == []


def test_a_phrase_given_a_new_target_is_an_edit(make_brief):
    before = [Link("the  report", "https://example.org/old", 3)]
    after = [Link("the report", "https://example.org/new", 3)]
    assert losses(make_brief, {"links": before}, {"links": after}) == []


def test_a_link_whose_target_is_still_to_be_found(make_brief):
    before = [Link("to be linked", "", 3)]
    assert losses(make_brief, {"links": before},
                  {"links": [Link("to be linked", "", 5)]}) == []
    assert losses(make_brief, {"links": before}, {"links": []}) == [
        "the import would drop the link 'to be linked', whose target is still to be found"]


def test_a_link_still_to_be_found_whose_words_were_edited_is_kept(make_brief):
    """It has no address to be known by: a link still to be found that the source did not
    have is it, edited (the tester's M3 was refused as dropped); one gone with none new
    is still dropped."""
    before = [Link("domestic perception", "", 3), Link("the annex", "", 4)]
    after = [Link("domestic public perception", "", 3), Link("the annex", "", 4)]
    assert losses(make_brief, {"links": before}, {"links": after}) == []
    for order in (before, before[::-1]):  # the likeliest is paired, wherever it stands
        assert losses(make_brief, {"links": order},
                      {"links": [Link("domestic public perception", "", 3)]}) == [
            "the import would drop the link 'the annex', whose target is still to be found"]


def test_every_loss_is_reported_at_once(make_brief):
    before = {"sections": outline("a", "b"), "recommendations": areas({"t": ["r1"]}),
              "links": [Link("x", "https://x.org/", 1)]}
    after = {"sections": outline("a"), "recommendations": areas({"t": []})}
    assert len(losses(make_brief, before, after)) == 3


def test_a_note_call_left_without_its_definition(make_brief):
    """An import that loses the definition of a note a paragraph still calls (pandoc then
    prints ``[^b]`` as text) is refused; a call already undefined before is check's to report."""
    def brief(words: list, markdown: str) -> dict:
        found = section("a", 1)
        found.blocks = [blocks.Para(words)]
        return {"sections": [found], "markdown": markdown}

    before = brief([blocks.Str("One."), blocks.Note([blocks.Para([blocks.Str("n")])]),
                    blocks.Space(), blocks.Str("Two[^c].")],
                   "# A {#a}\n\nOne.[^b] Two[^c].\n\n[^b]: n\n")
    after = brief([blocks.Str("One.[^b]"), blocks.Space(), blocks.Str("Two[^c].")],
                  "# A {#a}\n\nOne.[^b] Two[^c].\n")
    assert losses(make_brief, before, after) == [
        'the import would leave the call of note [^b] without its definition (every edition '
        'would print "[^b]" as text)']


def test_a_lost_note_definition_is_named_once(tmp_path):
    """The real brief with the definition of ``[^ports]`` gone: the guard names the loss,
    and check's finding of the same call is left out of the errors the import reports."""
    folders = []
    for name in ("before", "after"):
        folder = tmp_path / name / "content" / "arctic-constructs"
        shutil.copytree(ARCTIC.parent / "arctic-constructs", folder)
        folders.append(folder)
    source = folders[1] / "brief.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "[^ports]: Port costs are shared unevenly.", ""), encoding="utf-8")
    before, after = (read_brief(folder) for folder in folders)
    assert [p.message for p in structural_losses(before, after, DOCX)] == [
        'the import would leave the call of note [^ports] without its definition (every '
        'edition would print "[^ports]" as text)']
    assert not [p for p in source_errors(after, before=before) if "[^ports]" in p.message]
    assert [p.message for p in source_errors(after) if "[^ports]" in p.message] == [
        'note [^ports] is called but never defined: every edition would print "[^ports]" as '
        "text"]


def test_a_cross_reference_turned_into_fixed_text(tmp_path):
    """A reference whose label now stands as typed words (``@fig-withdrawals`` gone, "Figure
    1" typed) is refused by name: the words would not follow the figure's number; one
    deleted with its words is an edit."""
    folders = []
    for name in ("before", "typed", "deleted"):
        folder = tmp_path / name / "content" / WATER.name
        shutil.copytree(WATER, folder)
        folders.append(folder)
    edit(folders[1] / "brief.md", "(@fig-withdrawals); @tbl-agreements lists",
         "(see Figure 1); Table 1 lists")
    edit(folders[2] / "brief.md", " (@fig-withdrawals)", "")
    before, typed, deleted = (read_brief(folder) for folder in folders)
    problems = structural_losses(before, typed, DOCX)
    assert [p.message for p in problems] == [
        "the import would turn the cross-reference @fig-withdrawals into the fixed text "
        "'Figure 1', which would not follow the figure's number when the brief changes",
        "the import would turn the cross-reference @tbl-agreements into the fixed text "
        "'Table 1', which would not follow the table's number when the brief changes"]
    assert "@fig-withdrawals" in problems[0].fix and "--force" in problems[0].fix
    assert structural_losses(before, deleted, DOCX) == []


def test_a_label_typed_in_another_paragraph_is_no_reference_made_text(tmp_path):
    """A reference deleted with its words in one paragraph while the next gains its label
    as ordinary words ("what makes agreements hold", the section's title in lower case, or
    as written in another paragraph) is an edit, not a reference made text; the label
    typed in the reference's own paragraph is one."""
    folders = []
    for name in ("before", "elsewhere", "own"):
        folder = tmp_path / name / "content" / WATER.name
        shutil.copytree(WATER, folder)
        folders.append(folder)
    for folder in folders[1:]:
        edit(folder / "brief.md", ", and the section @sec-agreements says which of them held.",
             ".")
    edit(folders[1] / "brief.md", "Three features recur",
         "Until what makes agreements hold is known, What Makes Agreements Hold waits. "
         "Three features recur")
    edit(folders[2] / "brief.md", "lists the agreements that govern them.",
         "lists the agreements that govern them; What Makes Agreements Hold says which held.")
    before, elsewhere, own = (read_brief(folder) for folder in folders)
    assert structural_losses(before, elsewhere, DOCX) == []
    assert [p.message for p in structural_losses(before, own, DOCX)] == [
        "the import would turn the cross-reference @sec-agreements into the fixed text "
        "'What Makes Agreements Hold', which would not follow the section's title when the "
        "brief changes"]
