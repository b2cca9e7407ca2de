"""importer/merge.py: three-way merge of source texts, line by line (diff3)."""

from __future__ import annotations

import pytest

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
