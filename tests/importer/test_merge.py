"""importer/merge.py: three-way merge of source texts, block by block (diff3)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefpress.importer.merge import Conflict, merge3

BASE = "# Title\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


def para(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


def test_one_side_unchanged_takes_the_other():
    ours = para(BASE, "First", "1st")
    assert merge3(BASE, BASE, ours) == (ours, [])
    assert merge3(BASE, ours, BASE) == (ours, [])


def test_identical_edits_are_no_conflict():
    ours = para(BASE, "Second", "2nd")
    assert merge3(BASE, ours, ours) == (ours, [])


def test_edits_to_different_paragraphs_merge():
    ours = para(BASE, "First", "1st")
    theirs = para(BASE, "Third", "3rd")
    assert merge3(BASE, ours, theirs) == (
        "# Title\n\n1st paragraph.\n\nSecond paragraph.\n\n3rd paragraph.\n", [])


def test_edits_to_adjacent_paragraphs_merge():
    ours = para(BASE, "First", "1st")
    theirs = para(BASE, "Second", "2nd")
    merged, conflicts = merge3(BASE, ours, theirs)
    assert conflicts == []
    assert merged == "# Title\n\n1st paragraph.\n\n2nd paragraph.\n\nThird paragraph.\n"


def test_different_edits_to_one_paragraph_conflict_and_keep_ours():
    ours = para(BASE, "Second paragraph.", "Second, ours.")
    theirs = para(BASE, "Second paragraph.", "Second, theirs.")
    merged, conflicts = merge3(BASE, ours, theirs)
    assert merged == ours
    assert conflicts == [Conflict(base_start=4, base_end=5, base=["Second paragraph."],
                                  ours=["Second, ours."], theirs=["Second, theirs."],
                                  ours_start=4)]


def test_conflict_reports_where_it_starts_in_our_version():
    ours = "Inserted.\n\n" + para(BASE, "Third paragraph.", "Third, ours.")
    theirs = para(BASE, "Third paragraph.", "Third, theirs.")
    merged, conflicts = merge3(BASE, ours, theirs)
    assert merged == ours
    assert [(c.base_start, c.ours_start, c.ours, c.theirs) for c in conflicts] == [
        (6, 8, ["Third, ours."], ["Third, theirs."])]


def test_insertions_on_both_sides_at_different_places():
    ours = BASE + "\nAppended by us.\n"
    theirs = "Prepended by them.\n\n" + BASE
    merged, conflicts = merge3(BASE, ours, theirs)
    assert conflicts == []
    assert merged == "Prepended by them.\n\n" + BASE + "\nAppended by us.\n"


def test_different_insertions_at_one_place_conflict():
    merged, conflicts = merge3("a\nc", "a\nb1\nc", "a\nb2\nc")
    assert merged == "a\nb1\nc"
    assert conflicts == [Conflict(1, 1, [], ["b1"], ["b2"], 1)]


def test_deletion_on_one_side_and_edit_of_a_paragraph_further_on():
    base = BASE + "\nFourth paragraph.\n"
    ours = para(base, "Second paragraph.\n\n", "")
    theirs = para(base, "Fourth", "4th")
    assert merge3(base, ours, theirs) == (
        "# Title\n\nFirst paragraph.\n\nThird paragraph.\n\n4th paragraph.\n", [])


def test_deletion_on_one_side_and_edit_of_the_next_paragraph_on_the_other():
    ours = para(BASE, "Second paragraph.\n\n", "")
    theirs = para(BASE, "Third", "3rd")
    assert merge3(BASE, ours, theirs) == (
        "# Title\n\nFirst paragraph.\n\n3rd paragraph.\n", [])


def test_deletion_against_an_edit_of_the_same_paragraph_conflicts():
    ours = para(BASE, "Second paragraph.\n\n", "")
    theirs = para(BASE, "Second paragraph.", "Second, edited.")
    merged, conflicts = merge3(BASE, ours, theirs)
    assert merged == ours
    assert len(conflicts) == 1
    assert conflicts[0].ours == [] and "Second, edited." in conflicts[0].theirs


def test_both_sides_deleting_the_same_paragraph():
    base = BASE + "\nFourth paragraph.\n"
    ours = para(base, "Second paragraph.\n\n", "")
    theirs = para(ours, "Fourth", "4th")
    assert merge3(base, ours, theirs) == (theirs, [])
    assert merge3(base, ours, ours) == (ours, [])


@pytest.mark.parametrize("neighbour", ["First", "Third"])
def test_both_sides_deleting_the_same_paragraph_one_editing_a_neighbour(neighbour):
    ours = para(BASE, "Second paragraph.\n\n", "")
    theirs = para(ours, neighbour, "Edited")
    assert merge3(BASE, ours, theirs) == (theirs, [])


def test_two_conflicts_are_reported_in_order():
    ours = para(para(BASE, "First", "F-ours"), "Third", "T-ours")
    theirs = para(para(BASE, "First", "F-theirs"), "Third", "T-theirs")
    merged, conflicts = merge3(BASE, ours, theirs)
    assert merged == ours
    assert [(c.base_start, c.base_end) for c in conflicts] == [(2, 3), (6, 7)]


def test_empty_base():
    assert merge3("", "", "new") == ("new", [])
    merged, conflicts = merge3("", "x", "y")
    assert merged == "x"
    assert conflicts == [Conflict(0, 1, [""], ["x"], ["y"], 0)]


def test_unicode_lines_merge_like_any_other():
    base = "Über\n\nvis-à-vis\n\n한국\n"
    assert merge3(base, "Über alles\n\nvis-à-vis\n\n한국\n", "Über\n\nvis-à-vis\n\n대한민국\n") \
        == ("Über alles\n\nvis-à-vis\n\n대한민국\n", [])


# Nearby cases of the blank-line bugs: the merge runs over blocks, so a paragraph's
# blank lines go with it whichever neighbour the other side changed.

FOUR = BASE + "\nFourth paragraph.\n"


def test_deleting_the_last_paragraph_and_editing_the_one_before():
    ours = para(BASE, "\n\nThird paragraph.", "")
    theirs = para(BASE, "Second", "2nd")
    expected = "# Title\n\nFirst paragraph.\n\n2nd paragraph.\n"
    assert merge3(BASE, ours, theirs) == (expected, [])
    assert merge3(BASE, theirs, ours) == (expected, [])


def test_both_deleting_the_last_paragraph_one_editing_the_one_before():
    ours = para(BASE, "\n\nThird paragraph.", "")
    theirs = para(ours, "Second", "2nd")
    assert merge3(BASE, ours, theirs) == (theirs, [])
    assert merge3(BASE, theirs, ours) == (theirs, [])


def test_deleting_the_first_paragraph_and_editing_the_next():
    ours = para(BASE, "# Title\n\n", "")
    theirs = para(BASE, "First", "1st")
    assert merge3(BASE, ours, theirs) == ("1st paragraph.\n\nSecond paragraph.\n\n"
                                          "Third paragraph.\n", [])


@pytest.mark.parametrize("edited", ["First", "Fourth"])
def test_two_adjacent_deletions_and_an_edit_next_to_them(edited):
    ours = para(FOUR, "Second paragraph.\n\nThird paragraph.\n\n", "")
    theirs = para(FOUR, edited, "Edited")
    expected = para(ours, edited, "Edited")
    assert merge3(FOUR, ours, theirs) == (expected, [])
    assert merge3(FOUR, theirs, ours) == (expected, [])


@pytest.mark.parametrize("where", ["Second", "Third"])
def test_an_insertion_next_to_a_paragraph_the_other_side_deleted(where):
    ours = para(BASE, f"{where} paragraph.", f"Inserted.\n\n{where} paragraph.")
    theirs = para(BASE, "Second paragraph.\n\n", "")
    expected = para(theirs, "Third paragraph.", "Inserted.\n\nThird paragraph.")
    assert merge3(BASE, ours, theirs) == (expected, [])
    assert merge3(BASE, theirs, ours) == (expected, [])


def test_an_insertion_after_a_paragraph_the_other_side_edited():
    ours = para(BASE, "Second paragraph.", "Second paragraph.\n\nInserted.")
    theirs = para(BASE, "Second", "2nd")
    assert merge3(BASE, ours, theirs) == (
        para(ours, "Second", "2nd"), [])


def test_a_paragraph_both_delete_one_putting_a_new_one_in_its_place():
    ours = para(BASE, "Second paragraph.", "A wholly new text here.")
    theirs = para(BASE, "Second paragraph.\n\n", "")
    assert merge3(BASE, ours, theirs) == (ours, [])
    assert merge3(BASE, theirs, ours) == (ours, [])


def test_the_same_paragraph_inserted_on_both_sides_one_editing_its_neighbour_is_kept_once():
    ours = para(BASE, "Second paragraph.", "Second paragraph.\n\nInserted.")
    theirs = para(ours, "Second", "2nd")
    assert merge3(BASE, ours, theirs) == (theirs, [])
    assert merge3(BASE, theirs, ours) == (theirs, [])


def test_different_paragraphs_inserted_at_one_place_conflict():
    ours = para(BASE, "Third", "Ours inserted.\n\nThird")
    theirs = para(BASE, "Third", "Theirs inserted.\n\nThird")
    merged, conflicts = merge3(BASE, ours, theirs)
    assert merged == ours
    assert [(c.ours, c.theirs) for c in conflicts] == [
        (["Ours inserted.", ""], ["Theirs inserted.", ""])]


def test_both_rewriting_one_paragraph_differently_conflict():
    ours = para(BASE, "Second paragraph.", "Ours wrote this.")
    theirs = para(BASE, "Second paragraph.", "Theirs wrote that instead.")
    merged, conflicts = merge3(BASE, ours, theirs)
    assert merged == ours
    assert len(conflicts) == 1
    assert "Ours wrote this." in conflicts[0].ours
    assert "Theirs wrote that instead." in conflicts[0].theirs


def test_deletion_against_an_edit_conflicts_when_the_editor_also_deleted_a_neighbour():
    # the other side's stretch (Second and Third) became one paragraph, plainly Second
    # edited: that is no reading of it as Second deleted and Third rewritten
    ours = para(BASE, "Second paragraph.\n\n", "")
    theirs = para(BASE, "Second paragraph.\n\nThird paragraph.",
                  "Second paragraph, edited at length.")
    conflicts = merge3(BASE, ours, theirs)[1]
    assert len(conflicts) == 1
    assert conflicts[0].ours == []
    assert "Second paragraph, edited at length." in conflicts[0].theirs


def test_blank_lines_are_kept_as_each_side_wrote_them():
    base = "A para.\n\n\nB para.\n\nC para."  # two blank lines, no newline at the end
    ours = "A para.\n\n\nC para."  # B deleted
    theirs = "A para.\n\n\nB para.\n\nC, edited."
    assert merge3(base, ours, theirs) == ("A para.\n\n\nC, edited.", [])
    appended = base + "\n\nD appended.\n"
    assert merge3(base, ours, appended) == ("A para.\n\n\nC para.\n\nD appended.\n", [])
    # the last paragraph edited on one side, a paragraph added after it on the other: the
    # blank lines before the new one are those its side wrote
    spaced = base + "\n\n\n\nD appended."
    assert merge3(base, spaced, theirs) == (
        "A para.\n\n\nB para.\n\nC, edited.\n\n\n\nD appended.", [])


def test_crlf_source_merges_with_lines_written_in_lf():
    base = BASE.replace("\n", "\r\n")
    ours = para(base, "Second paragraph.\r\n\r\n", "")
    theirs = para(base, "Third paragraph.\r\n", "3rd paragraph.\n")  # as splice writes it
    assert merge3(base, ours, theirs) == (
        "# Title\r\n\r\nFirst paragraph.\r\n\r\n3rd paragraph.\n", [])


def test_crlf_against_the_same_text_in_lf_is_no_change():
    base = BASE.replace("\n", "\r\n")
    ours = para(BASE, "First", "1st")  # the source saved again with LF, and edited
    theirs = para(base, "Third", "3rd")
    merged, conflicts = merge3(base, ours, theirs)
    assert conflicts == []
    assert merged.replace("\r", "") == "# Title\n\n1st paragraph.\n\nSecond paragraph.\n\n" \
        "3rd paragraph.\n"


FRONT = """\
---
title: "A brief"
subtitle: "Its subtitle"
type: policy-brief
date: 2024-01-01
---

# Summary {#summary}

First paragraph.

Second paragraph.
"""


def test_front_matter_edit_and_body_edit_merge():
    ours = para(FRONT, "A brief", "The brief")
    theirs = para(FRONT, "Second paragraph.\n", "")
    assert merge3(FRONT, ours, theirs) == (para(theirs, "A brief", "The brief"), [])


def test_front_matter_edits_of_keys_a_kept_line_apart_merge_line_by_line():
    ours = para(FRONT, "A brief", "The brief")
    theirs = para(FRONT, "2024-01-01", "2024-02-02")
    assert merge3(FRONT, ours, theirs) == (para(ours, "2024-01-01", "2024-02-02"), [])


def test_front_matter_edits_of_one_key_conflict_at_its_line():
    ours = para(FRONT, "A brief", "Ours")
    theirs = para(FRONT, "A brief", "Theirs")
    merged, conflicts = merge3(FRONT, ours, theirs)
    assert merged == ours
    assert conflicts == [Conflict(1, 2, ['title: "A brief"'], ['title: "Ours"'],
                                  ['title: "Theirs"'], 1)]


def test_a_fenced_block_with_blank_lines_is_one_block():
    base = "Intro.\n\n```\nx = 1\n\ny = 2\n```\n\nOutro.\n"
    ours = para(base, "y = 2", "y = 3")
    theirs = para(base, "\n\nOutro.", "")
    assert merge3(base, ours, theirs) == ("Intro.\n\n```\nx = 1\n\ny = 3\n```\n", [])
    deleted = para(base, "```\nx = 1\n\ny = 2\n```\n\n", "")
    merged, conflicts = merge3(base, ours, deleted)  # the block deleted against an edit in it
    assert merged == ours and len(conflicts) == 1


def test_edits_of_a_yaml_text_without_blank_lines_merge_line_by_line():
    base = "- id: a\n  text: A.\n- id: b\n  text: B.\n- id: c\n  text: C.\n"
    ours = para(base, "A.", "A, ours.")
    theirs = para(base, "C.", "C, theirs.")
    assert merge3(base, ours, theirs) == ("- id: a\n  text: A, ours.\n- id: b\n  text: B.\n"
                                          "- id: c\n  text: C, theirs.\n", [])


# Any mix of edits and deletions of paragraphs that only one side touches, and of new
# paragraphs each side puts at its own places, merges to both sides' changes, in either
# order of the two. (A side's new paragraph goes next to no paragraph it deleted: there
# the text cannot tell on which side of the deleted one it stood.)

_OLD_WORDS = ["alliance", "policy", "trade", "energy", "security", "region", "defense"]
_NEW_WORDS = ["harbour", "glacier", "lantern", "meadow", "orchard", "quarry", "violet"]


@st.composite
def _edits(draw: st.DrawFn) -> tuple[list[str], list[str], list[str], list[str]]:
    count = draw(st.integers(0, 7))
    paragraphs = [f"P{n} " + " ".join(draw(st.lists(st.sampled_from(_OLD_WORDS), min_size=3,
                                                      max_size=9))) + "."
                  for n in range(count)]
    fates = draw(st.lists(st.sampled_from(["kept", "ours edits", "ours deletes", "theirs edits",
                                           "theirs deletes", "both delete"]),
                          min_size=count, max_size=count))
    deletes = {side: {n for n, fate in enumerate(fates)
                      if fate in (f"{side} deletes", "both delete")} for side in ("ours", "theirs")}
    places = draw(st.lists(st.sampled_from(["none", "ours", "theirs"]), min_size=count + 1,
                           max_size=count + 1))
    new = {side: {at: [f"N{at}{side[0]}{k} " + " ".join(draw(st.lists(
        st.sampled_from(_NEW_WORDS), min_size=2, max_size=6))) + "."
        for k in range(draw(st.integers(1, 2)))]
        for at, who in enumerate(places)
        if who == side and at not in deletes[side] and at - 1 not in deletes[side]}
        for side in ("ours", "theirs")}

    def version(sides: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for n in range(count + 1):
            for side in sides:
                out += new[side].get(n, [])
            if n < count and not any(n in deletes[side] for side in sides):
                edited = any(fates[n] == f"{side} edits" for side in sides)
                out.append(paragraphs[n][:-1] + " edited." if edited else paragraphs[n])
        return out

    return paragraphs, version(("ours",)), version(("theirs",)), version(("ours", "theirs"))


def _text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(_edits())
def test_changes_to_paragraphs_the_other_side_leaves_alone_merge(edits):
    base, ours, theirs, both = (_text(version) for version in edits)
    assert merge3(base, ours, theirs) == (both, [])
    assert merge3(base, theirs, ours) == (both, [])
