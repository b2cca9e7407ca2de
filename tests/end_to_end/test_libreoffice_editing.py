"""An editor's work in the real LibreOffice, Track Changes on, imported back into the source.

Each case is a few steps typed into a briefpress .docx through LibreOffice's own text model
over UNO (``tests/uno_edit.py``): a word replaced, a sentence typed or deleted, a paragraph
added, deleted or moved, a list item added or deleted (first, middle or last, bulleted or
numbered), a table cell edited, a footnote added, a section or subsection deleted, a
recommendation deleted, joined to the one before, edited, added or moved to the other area,
one of two paragraphs added or moved, one given a paragraph more (Recommendation Continued),
words typed beside a citation, a footnote added before it, its text edited, the one
paragraph calling a note deleted, or the note edited, while a code span elsewhere shows that
note's call. LibreOffice stores each as Word 2007-365 XML, and each case asserts the exact
diff of the source and the exact lines of the review report. One soffice serves the whole
module; every file is edited in one batch.
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from briefpress.build import build
from briefpress.errors import BriefError
from briefpress.importer import import_docx
from briefpress.read.brief import read_brief
from briefpress.readback.outline import read_outline
from conftest import REAL, WATER
from uno_office import LibreOffice

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

EDITING = Path(__file__).resolve().parents[1] / "fixtures" / "editing"
HARBOUR = EDITING / "harbour-resilience"
EXPECTED = EDITING / "expected"
"""Each case's diff of the source (``<case>.diff``) and review report from its source changes on
(``<case>.review.md``), the minute of the edit written DATE."""
CODE_SPAN = EDITING / "harbour-code-span"
"""The harbour brief with a paragraph whose code span shows a note call, `` `[^waiting]` ``:
it calls no note."""
BRIEFS = {"real": REAL, "harbour": HARBOUR, "water": WATER, "code-span": CODE_SPAN}

CASES: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "unedited": ("harbour", []),
    "replace-word": ("real", [
        {"op": "replace", "find": "devastating Korea War", "with": "devastating Korean War"}]),
    "type-sentence": ("real", [
        {"op": "type", "after": "within the Indo-Pacific remain unanswered.",
         "text": " The alliance should answer them in 2025."}]),
    "delete-sentence": ("real", [
        {"op": "delete", "find": " As the United States and the ROK look towards the decades "
                                 "to come for the alliance, both opportunities and challenges "
                                 "lay on the horizon."}]),
    "add-paragraph": ("harbour", [
        {"op": "paragraph", "after": "no longer keeps to its old calendar.",
         "text": "Insurers have noticed the change first."}]),
    "delete-paragraph": ("harbour", [
        {"op": "delete_paragraph", "find": "A repair fund would let a port reopen"}]),
    "add-list-item": ("harbour", [
        {"op": "paragraph", "after": "Ferries cancel crossings.",
         "text": "Hauliers reroute to distant ports."}]),
    # LibreOffice deletes a list item with the break before it: the first item takes the
    # mark of the paragraph before the list, any other item the mark of the item before it
    "delete-first-item": ("harbour", [
        {"op": "delete_paragraph", "find": "Fishing fleets lose whole seasons."}]),
    "delete-middle-item": ("harbour", [
        {"op": "track", "on": False},
        {"op": "paragraph", "after": "Ferries cancel crossings.",
         "text": "Hauliers reroute to distant ports."},
        {"op": "track", "on": True},
        {"op": "delete_paragraph", "find": "Ferries cancel crossings."}]),
    "delete-last-item": ("harbour", [
        {"op": "delete_paragraph", "find": "Ferries cancel crossings."}]),
    "delete-first-numbered-item": ("harbour", [
        {"op": "delete_paragraph", "find": "Storm surge over the quay."}]),
    "delete-middle-numbered-item": ("harbour", [
        {"op": "delete_paragraph", "find": "Silt in the channel after heavy rain."}]),
    "delete-last-numbered-item": ("harbour", [
        {"op": "delete_paragraph", "find": "Power cuts at the cranes."}]),
    "edit-table-cell": ("harbour", [{"op": "replace", "find": "41", "with": "44"}]),
    "add-footnote": ("harbour", [
        {"op": "footnote", "after": "shared between neighbouring ports",
         "text": "As the Baltic ports already do."}]),
    "add-first-footnote": ("real", [
        {"op": "footnote", "after": "Vigilant Storm Joint Air Training",
         "text": "Exercise names as the US Forces Korea announced them."}]),
    "edit-footnote": ("harbour", [
        {"op": "replace", "find": "five-year average", "with": "ten-year average"}]),
    "move-paragraph": ("real", [
        {"op": "move", "find": "As the United States and the ROK look towards the future of "
                               "the alliance, there are",
         "after": "In particularly, recent geopolitical events"}]),
    # a recommendation cut from one area and pasted into the other (the tester's M1): the
    # pasted copy's bookmark is "critical-emerging-tech_Copy_1"; it keeps its id, its section
    # and its lines
    "move-recommendation": ("real", [
        {"op": "move", "find": "As global leaders in science and technology (S&T) development",
         "after": "Mutual policy coordination between the United States"}]),
    "delete-subsection": ("real", [
        {"op": "delete_from", "find": "2) Joint US-ROK Military Training Exercises",
         "to": "3) Expanding Defense Cooperation Platforms"}]),
    # LibreOffice gives the heading after the deletion the deleted heading's style (its
    # own Accept All shows "What Should Change" as Heading 2): the expected diff says so
    "delete-subsection-with-list": ("harbour", [
        {"op": "delete_from", "find": "Who Pays", "to": "What Should Change"}]),
    "delete-section": ("real", [
        {"op": "delete_from", "find": "Conclusion", "to": "About the Author"}]),
    "delete-recommendation": ("real", [
        {"op": "delete_paragraph", "find": "Institutionalization of US-ROK-Japan trilateral"}]),
    "join-recommendations": ("real", [
        {"op": "join", "find": "Institutionalization of US-ROK-Japan trilateral"}]),
    "edit-recommendation": ("real", [
        {"op": "replace", "find": "should expand the Strategic Cybersecurity",
         "with": "should broaden the Strategic Cybersecurity"}]),
    "edit-beside-citation": ("water", [
        {"op": "replace", "find": "renegotiated less often",
         "with": "renegotiated far less often"}]),
    "footnote-before-citation": ("water", [
        {"op": "footnote", "after": "Treaties with a drought clause",
         "text": "Bilateral treaties only."}]),
    "edit-citation": ("water", [
        {"op": "replace", "find": "(2019): 110", "with": "(2019): 111"}]),
    "add-recommendations": ("real", [
        {"op": "paragraph", "after": "cryptocurrency theft.",
         "text": "The United States and the ROK should fund a joint cyber range."},
        {"op": "paragraph", "after": "should fund a joint cyber range.",
         "text": "The United States and the ROK should fund a joint cyber range for allies."}]),
    # a recommendation of two paragraphs typed after one: the first takes the Recommendation
    # style (Enter gives it), the second is given Recommendation Continued: one new
    # recommendation (it was two)
    "add-two-paragraph-recommendation": ("real", [
        {"op": "paragraph", "after": "cryptocurrency theft.",
         "text": "The United States and the ROK should fund a joint cyber range."},
        {"op": "paragraph", "after": "should fund a joint cyber range.",
         "text": "Its exercises should be open to Japan's teams.",
         "style": "Recommendation Continued"}]),
    # a paragraph given Recommendation Continued after a recommendation: it goes on
    "continue-recommendation": ("harbour", [
        {"op": "paragraph", "after": "Raise breakwaters where surge is worst.",
         "text": "Start with the harbour mouths.", "style": "Recommendation Continued"}]),
    # a recommendation of two paragraphs cut and pasted into the other area: its lines move
    # whole (its second paragraph was a new recommendation)
    "move-two-paragraph-recommendation": ("harbour", [
        {"op": "move", "find": "Create a repair fund", "through": "dues of the calm years.",
         "after": "Share storm and surge forecasts between neighbouring ports."}]),
    # the one paragraph that calls [^waiting] deleted: its definition goes with it (the
    # code span's `[^waiting]` was taken for another call, and the definition stayed)
    "delete-noted-paragraph-beside-code-span": ("code-span", [
        {"op": "delete_paragraph", "find": "A repair fund would let a port reopen"}]),
    # the code span's paragraph and the note edited: the note's change listed once, where
    # it is called (it was listed under the code span's paragraph too)
    "edit-note-beside-code-span": ("code-span", [
        {"op": "replace", "find": "Surge costs the most days", "with": "Surge costs the most "
                                                                      "working days"},
        {"op": "replace", "find": "Median wait at anchor", "with": "Mean wait at anchor"}]),
}


GUARDED = {
    "delete-subsection-with-list": ["the import would drop section 'Who Pays' (#who-pays)"],
    "delete-subsection": [
        "the import would drop section '2) Joint US-ROK Military Training Exercises' "
        "(#joint-military-exercises)"],
    "delete-section": [
        "the import would drop section 'Conclusion' (#conclusion)",
        "the imported source would not pass check: required section 'Conclusion' is missing"],
    "delete-recommendation": [
        "the import would drop recommendation 'trilateral-institutionalization' (area "
        "'Geopolitical Security Engagement')"],
    "join-recommendations": [
        "the import would drop recommendation 'cybersecurity-framework' (area "
        "'Geopolitical Security Engagement')"],
}


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every case's edited file, made by one soffice in one batch."""
    out = tmp_path_factory.mktemp("uno")
    office = LibreOffice(out / "profile")  # it starts while the briefs build
    try:
        built = {name: build([str(folder)], ["docx"], build_dir=out / "built")[0]
                 for name, folder in BRIEFS.items()}
        results = office.edit([{"source": str(built[brief]), "out": str(out / f"{name}.docx"),
                                "steps": steps, "author": "Jane Editor"}
                               for name, (brief, steps) in CASES.items()])
    finally:
        office.close()
    failed = [r for r in results if r["error"]]
    assert not failed, failed
    return {name: out / f"{name}.docx" for name in CASES}


class Imported:
    def __init__(self, folder: Path, before: dict[str, str], report: str | None) -> None:
        self.folder, self.before, self.report_text = folder, before, report

    def diff(self) -> str:
        out: list[str] = []
        for name, old in self.before.items():
            new = (self.folder / name).read_text(encoding="utf-8")
            out.extend(difflib.unified_diff(old.splitlines(keepends=True),
                                            new.splitlines(keepends=True), name, name, n=1))
        return "".join(out)

    def report(self) -> list[str]:
        """The review report from its source changes on, dates (the minute of the edit) as DATE."""
        assert self.report_text is not None
        text = re.sub(r" on \d{4}-\d\d-\d\d \d\d:\d\d,", " on DATE,", self.report_text)
        lines = text.splitlines()
        return lines[lines.index(next(x for x in lines if x.startswith("## Changes"))):]


def run_import(case: str, edited: dict[str, Path], tmp_path: Path,
               force: bool = False) -> Imported:
    brief = CASES[case][0]
    folder = tmp_path / "content" / BRIEFS[brief].name
    shutil.copytree(BRIEFS[brief], folder)
    before = {name: (folder / name).read_text(encoding="utf-8")
              for name in ("brief.md", "recommendations.yaml")}
    result = import_docx(edited[case], str(folder), force=force, build_dir=tmp_path / "b")
    report = result.report_path.read_text(encoding="utf-8") if result.report_path else None
    return Imported(folder, before, report)


@pytest.mark.parametrize("case", [c for c in CASES if c != "unedited" and c not in GUARDED])
def test_an_edit_in_libreoffice_imports_as_made(case: str, edited: dict[str, Path],
                                                tmp_path: Path) -> None:
    imported = run_import(case, edited, tmp_path)
    assert imported.diff() == (EXPECTED / f"{case}.diff").read_text(encoding="utf-8")
    assert imported.report() == (EXPECTED / f"{case}.review.md").read_text(
        encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", GUARDED)
def test_a_deletion_is_named_then_made_with_force(case: str, edited: dict[str, Path],
                                                  tmp_path: Path) -> None:
    """LibreOffice keeps a deleted heading's paragraph (its style and bookmark, its words
    marked deleted); the guard names the section or recommendation that would go, and
    --force deletes it, heading and all."""
    source = BRIEFS[CASES[case][0]]
    folder = tmp_path / "content" / source.name
    with pytest.raises(BriefError) as refused:
        run_import(case, edited, tmp_path)
    assert [p.message for p in refused.value.problems] == GUARDED[case]
    assert (folder / "brief.md").read_bytes() == (source / "brief.md").read_bytes()
    shutil.rmtree(folder)
    imported = run_import(case, edited, tmp_path, force=True)
    assert imported.diff() == (EXPECTED / f"{case}.diff").read_text(encoding="utf-8")
    assert imported.report() == (EXPECTED / f"{case}.review.md").read_text(
        encoding="utf-8").splitlines()


def test_the_unedited_file_re_saved_by_libreoffice_imports_as_no_change(
        edited: dict[str, Path], tmp_path: Path) -> None:
    imported = run_import("unedited", edited, tmp_path)
    assert imported.diff() == ""
    assert read_outline(edited["unedited"]) == read_brief(HARBOUR).outline()
