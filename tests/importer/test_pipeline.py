"""importer/pipeline.py: an import once the Word file is read (base revision, splice, merge,
guard, backup and writing, the review report) and its undo.

The edited blocks are made here from the base brief's units, as docxread reads an
unedited file, then changed; the only Word file is the arctic brief's edition, built
once, for the revision and the copy of its source that it carries.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from briefpress.build import build
from briefpress.errors import BriefError
from briefpress.importer import import_docx
from briefpress.importer.align import Step, base_items
from briefpress.importer.docxread import EditedBlock, EditedDocument, read_edited
from briefpress.importer.pipeline import (
    ImportRecord,
    ImportResult,
    UndoneRecord,
    _typeset,
    import_edited,
    lost_html,
    undo_import,
)
from briefpress.importer.review import Comment, Review
from briefpress.importer.splice import splice
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.read.brief import read_brief
from briefpress.render.docx_ast import brief_units
from briefpress.render.docx_package import PROP_REVISION, custom_properties
from briefpress.support.backup import (
    IMPORTS,
    LEGACY,
    REVIEWS,
    backup_dir,
    review_file,
    undone_record,
)
from briefpress.support.docx_open import open_docx
from conftest import ARCTIC, WATER, SharedBuild, edit, immutable

SUMMARY = "Transits through Arctic waters have more than quadrupled in five years."
COUNTS = "Vessel counts tell the story plainly."


@pytest.fixture(scope="module")
def arctic_docx(built_once: Callable[..., SharedBuild]) -> Path:
    """The arctic brief's Word edition, made from the fixture's source as it is."""
    built, = built_once([ARCTIC], ["docx"]).outputs
    return built


def as_read(brief: Brief) -> list[EditedBlock]:
    """The blocks of ``brief`` as the importer reads them from its unedited Word file."""
    return [EditedBlock(item.block, [], item.cls,
                        [item.unit.ident] if item.unit.ident and item.position == 0 else [])
            for item in base_items(brief_units(brief))]


def para(text: str) -> blocks.Para:
    return blocks.Para(blocks.plain_inlines(text))


def retyped(found: list[EditedBlock], starts: str, text: str) -> list[EditedBlock]:
    """``found`` with the block that starts with ``starts`` retyped as ``text``."""
    at = next(i for i, b in enumerate(found) if blocks.stringify(b.block).startswith(starts))
    return [*found[:at], EditedBlock(para(text), [], found[at].cls), *found[at + 1:]]


Importer = Callable[..., ImportResult]


@pytest.fixture
def folder(scratch: Callable[..., Path]) -> Path:
    return scratch()


@pytest.fixture
def run(folder: Path, arctic_docx: Path, tmp_path: Path) -> Importer:
    """Import edited blocks into ``folder`` as the arctic Word file (made from the
    fixture's source, whatever ``folder`` reads now)."""
    package = open_docx(arctic_docx)
    revision = custom_properties(package)[PROP_REVISION]

    def go(change: Callable[[list[EditedBlock]], list[EditedBlock]] = lambda b: b,
           review: Review | None = None, dry_run: bool = False, force: bool = False,
           file_revision: str = revision) -> ImportResult:
        current = read_brief(folder)
        edited = EditedDocument(change(as_read(read_brief(ARCTIC))), [], current.api_version)
        return import_edited(arctic_docx, package, file_revision, edited, current,
                             review or Review(), "accept", dry_run, force, tmp_path / "build")

    return go


def sources(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.*"))
            if p.suffix in (".md", ".yaml")}


# -- writing -------------------------------------------------------------------------------


def test_an_unchanged_file_writes_nothing(run: Importer, folder: Path, tmp_path: Path) -> None:
    before = sources(folder)
    result = run()
    assert result.unchanged and not result.merged and not result.written
    assert result.report_path is None and result.diff() == ""
    assert sources(folder) == before
    assert not list((tmp_path / "build").rglob("*.md"))


def test_comments_alone_write_the_review_and_no_source(run: Importer, folder: Path,
                                                      tmp_path: Path) -> None:
    before = sources(folder)
    review = Review(comments=[Comment("0", "Sam", "", "Traffic (#traffic)", "plainly",
                                      "Which counts?")])
    result = run(review=review)
    assert result.unchanged and not result.written
    assert result.report_path == tmp_path / REVIEWS / "arctic-shipping.md"
    assert "Which counts?" in result.report_path.read_text(encoding="utf-8")
    assert sources(folder) == before
    assert not (tmp_path / IMPORTS).exists()


def test_a_change_is_written_with_a_backup_and_a_review(run: Importer, folder: Path,
                                                        tmp_path: Path) -> None:
    before = sources(folder)
    result = run(lambda found: retyped(found, COUNTS, "Vessel counts tell the story."))
    assert result.written and not result.unchanged
    assert sources(folder) == {
        "brief.md": before["brief.md"].replace(COUNTS, "Vessel counts tell the story."),
        "recommendations.yaml": before["recommendations.yaml"]}
    backup = tmp_path / IMPORTS / "arctic-shipping"
    assert backup_dir(folder) == backup
    assert sources(backup) == before
    record = json.loads((backup / "import.json").read_text(encoding="utf-8"))
    assert record == {"docx": str(result.docx), "brief": str(folder),
                      "imported": sources(folder), "added_files": []}
    assert result.report_path == review_file(folder) == tmp_path / REVIEWS / "arctic-shipping.md"
    assert result.report_path.read_text(encoding="utf-8") == result.report()
    # the build folder is published: the reviewers' names and comments stay out of it
    assert sorted(p.name for p in (tmp_path / "build" / folder.name).iterdir()) == [".lock"]
    diff = result.diff()
    assert f"-{COUNTS}\n+Vessel counts tell the story.\n" in diff
    assert "recommendations.yaml" not in diff  # unchanged: no hunk


def test_a_changed_recommendation_rewrites_only_recommendations_yaml(
        run: Importer, folder: Path) -> None:
    before = sources(folder)
    result = run(lambda found: retyped(found, "Pool loss data",
                                       "Pool loss data so that premiums follow the risk."))
    assert result.markdown_after == before["brief.md"]
    assert sources(folder) == {"brief.md": before["brief.md"],
                               "recommendations.yaml": before["recommendations.yaml"].replace(
                                   "follow risk.", "follow the risk.")}


def test_straight_characters_the_editor_typed_are_written_as_a_brief_writes_them(
        run: Importer, folder: Path) -> None:
    """The tester's edit (AutoCorrect off, LibreOffice, pasted text): straight quotes, ``--``
    and ``...`` once came back escaped (``region\\'s``, ``\\"already\\"``, a YAML value's
    ``port\\\\'s``), and every edition printed them straight. Now they read as the rest of
    the brief: written plainly, printed curled (pandoc's writer writes a dash as the
    character)."""
    before = sources(folder)

    def change(found: list[EditedBlock]) -> list[EditedBlock]:
        found = retyped(found, COUNTS, 'Vessel counts tell the "whole" story -- plainly...')
        return retyped(found, "Pool loss data", "Pool every port's loss data so that "
                       "premiums follow risk.")

    result = run(change)
    assert sources(folder) == {
        "brief.md": before["brief.md"].replace(
            COUNTS, 'Vessel counts tell the "whole" story \u2013 plainly...'),
        "recommendations.yaml": before["recommendations.yaml"].replace(
            "Pool loss data", "Pool every port's loss data")}
    assert result.outcome.notices[0] == (
        "the text the editor typed has straight characters, which a brief's Markdown reads "
        "as every edition prints them: 3 straight quote(s) and apostrophe(s) curl (it's → "
        "it’s); 1 double or triple hyphen(s) are a dash (-- → –); 1 run(s) of three dots "
        "are an ellipsis (... → …). brief.md and recommendations.yaml write them as briefs "
        "do, with no backslash (`it's`, not `it\\'s`)")
    fragments = read_brief(folder).fragments
    assert blocks.stringify(fragments["rec:shared-loss-data"]).startswith(
        "Pool every port\u2019s loss data")


def test_an_apostrophe_retyped_straight_is_no_change(run: Importer, folder: Path) -> None:
    """The editor typed "Code's" over "Code’s": the same words once read as a brief reads
    them, so no change and no notice."""
    before = sources(folder)
    result = run(lambda found: retyped(
        found, "Make position reporting", "Make position reporting mandatory beyond the "
        "Polar Code's minimum."))
    assert result.unchanged and not result.written and result.outcome.notices == []
    assert sources(folder) == before


def test_the_source_s_own_straight_words_stay_so_in_an_edited_paragraph(
        scratch: Callable[..., Path]) -> None:
    """A ``5\\'`` the author escaped on purpose: left alone in a paragraph the editor did
    not touch (it is not looked at), and kept straight in one the editor changed, while
    what the editor typed there curls."""
    folder = scratch()
    edit(folder / "brief.md", COUNTS, "Vessel counts tell the story of a 5\\' wall.")
    edit(folder / "brief.md", SUMMARY, SUMMARY + " Not \\\"hard\\\" ice.")
    base = read_brief(folder)
    items = base_items(brief_units(base))
    steps = [Step("same", item, EditedBlock(item.block, [], item.cls)) for item in items]
    at = next(i for i, s in enumerate(steps)
              if blocks.stringify(s.item.block).startswith("Vessel counts"))
    steps[at] = Step("changed", steps[at].item, EditedBlock(
        para("Vessel counts tell the \"whole\" story of a 5' wall."), [], "body"))
    steps, notice = _typeset(steps, items, base.api_version)
    assert notice is not None and "2 straight quote(s)" in notice
    assert blocks.stringify(steps[at].edited.block) == \
        "Vessel counts tell the \u201cwhole\u201d story of a 5' wall."
    markdown = splice(base, steps, base.api_version, "edited.docx").markdown
    assert markdown == base.markdown.replace(
        "the story of a 5\\' wall.", 'the "whole" story of a 5\\\' wall.')


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(run: Importer, folder: Path,
                                                            tmp_path: Path) -> None:
    before = sources(folder)
    result = run(lambda found: retyped(found, COUNTS, "Counts differ."), dry_run=True)
    assert not result.written and not result.unchanged
    assert "+Counts differ.\n" in result.diff()
    assert sources(folder) == before
    assert not list((tmp_path / "build").rglob("*.md"))  # no backup, no review


def add_image(run: Importer, arctic_docx: Path) -> tuple[ImportResult, blocks.Image]:
    """Import the Word file's chart added again after the paragraph on vessel counts."""
    found = read_edited(open_docx(arctic_docx), "accept").blocks
    [image] = [n for b in found for n in blocks.walk(b.block) if isinstance(n, blocks.Image)]

    def add(edited: list[EditedBlock]) -> list[EditedBlock]:
        at = next(i for i, b in enumerate(edited) if blocks.stringify(b.block) == COUNTS)
        picture = blocks.Para([blocks.Image((blocks.attr(), [blocks.Str("Again")], image.c[2]))])
        return [*edited[:at + 1], EditedBlock(picture, []), *edited[at + 1:]]

    return run(add), image


def test_an_added_image_is_taken_from_the_word_file(run: Importer, folder: Path,
                                                    arctic_docx: Path) -> None:
    result, image = add_image(run, arctic_docx)
    assert result.outcome.media == {image.url: "image-1.png"}
    assert (folder / "image-1.png").read_bytes() == (ARCTIC / "transits.png").read_bytes()
    assert f"new file {folder / 'image-1.png'} (from {image.url})" in result.diff()
    assert "![Again](image-1.png)" in (folder / "brief.md").read_text(encoding="utf-8")


def test_a_new_link_after_the_footnotes_stays_a_link(run: Importer, folder: Path) -> None:
    """The arctic source ends with footnote definitions: a link definition written right
    under one would continue that note's text, not define the link."""
    def linked(found: list[EditedBlock]) -> list[EditedBlock]:
        at = next(i for i, b in enumerate(found) if blocks.stringify(b.block) == COUNTS)
        link = blocks.Link((blocks.attr(), [blocks.Str("counts")], ("https://example.org/", "")))
        edited = blocks.Para([blocks.Str("Vessel"), blocks.Space(), link, blocks.Space(),
                              *blocks.plain_inlines("tell the story plainly.")])
        return [*found[:at], EditedBlock(edited, []), *found[at + 1:]]

    run(linked)
    after = read_brief(folder)
    links = [n for n in blocks.walk(after.section("traffic").blocks)
             if isinstance(n, blocks.Link)]
    assert [(blocks.stringify(n.content), n.url) for n in links] == \
        [("counts", "https://example.org/")]
    words = [n.c for s in after.walk() for n in blocks.walk(s.blocks) if isinstance(n, blocks.Str)]
    assert not any("example.org" in word for word in words)  # in no note's text
    assert (folder / "brief.md").read_text(encoding="utf-8").endswith(
        "in force since 2017.\n\n[counts]: https://example.org/\n")


# -- recommendations moved, added ----------------------------------------------------------

REPORTING = "Make position reporting mandatory beyond the Polar Code’s minimum."
REPORTING_LINES = ("      - id: mandatory-reporting\n        section: what-should-change\n"
                   "        text: \"Make position reporting mandatory beyond the Polar Code's "
                   "minimum.\"\n")
SAR = "Plan search and rescue jointly across coastal states."


def moved(found: list[EditedBlock], starts: str, after: str,
          block: EditedBlock | None = None) -> list[EditedBlock]:
    """``found`` with the block that starts with ``starts`` cut and pasted (as ``block``, if
    given) after the one that starts with ``after``."""
    at = next(i for i, b in enumerate(found) if blocks.stringify(b.block).startswith(starts))
    cut = found.pop(at)
    to = next(i for i, b in enumerate(found) if blocks.stringify(b.block).startswith(after))
    return [*found[:to + 1], block or cut, *found[to + 1:]]


@pytest.mark.parametrize("ids", [["mandatory-reporting_Copy_1"], ["mandatory-reporting"], []])
def test_a_recommendation_moved_to_another_area_keeps_its_id_section_and_lines(
        run: Importer, folder: Path, ids: list[str]) -> None:
    """The tester's move in LibreOffice (Track Changes on): the pasted copy's bookmark is
    renamed ``<id>_Copy_1`` while the original keeps its own; the import refused it as a
    dropped recommendation, and forced, wrote it anew with an id made from its words and its
    neighbour's section. A bookmark kept (an untracked cut and paste) or none (a file that
    lost it): the same move, found by its words."""
    before = sources(folder)
    result = run(lambda found: moved(found, REPORTING, SAR, EditedBlock(
        next(b for b in found if blocks.stringify(b.block) == REPORTING).block, [], "rec",
        ids)))
    assert result.written and not result.forced
    assert sources(folder) == {
        "brief.md": before["brief.md"],
        "recommendations.yaml": before["recommendations.yaml"].replace(REPORTING_LINES, "")
        .replace("  - id: insurance\n", REPORTING_LINES + "  - id: insurance\n")}
    assert [(c.what, c.section) for c in result.outcome.changes] == [
        ("recommendation 'mandatory-reporting' moved to area 'search-and-rescue'",
         "policy-recommendations")]
    assert result.outcome.notices == []


def test_a_recommendation_moved_and_edited_keeps_its_id_and_takes_its_new_words(
        run: Importer, folder: Path) -> None:
    before = sources(folder)
    edited = "Make position reporting mandatory beyond the Polar Code’s minimum, all year."
    result = run(lambda found: moved(found, REPORTING, SAR, EditedBlock(para(edited), [], "rec",
                                                                     [])))
    assert sources(folder)["recommendations.yaml"] == before["recommendations.yaml"].replace(
        REPORTING_LINES, "").replace("  - id: insurance\n", REPORTING_LINES.replace(
            "minimum.", "minimum, all year.") + "  - id: insurance\n")
    [change] = result.outcome.changes
    assert (change.what, change.before, change.after) == (
        "recommendation 'mandatory-reporting' moved to area 'search-and-rescue'", REPORTING,
        edited)


def test_a_recommendation_moved_within_its_area_is_a_move(run: Importer, folder: Path) -> None:
    before = sources(folder)
    result = run(lambda found: moved(found, "Agree on", "Make position reporting"))
    first = before["recommendations.yaml"].index("      - id: common-ice-class")
    item = before["recommendations.yaml"][first:before["recommendations.yaml"].index(
        "      - id: mandatory-reporting")]
    assert sources(folder)["recommendations.yaml"] == before["recommendations.yaml"].replace(
        item, "").replace(REPORTING_LINES, REPORTING_LINES + item)
    # the two swapped: the one read as moved is the one after the other (with Track Changes
    # on, the one moved is the one Word marks "moved here")
    assert [c.what for c in result.outcome.changes] == [
        "recommendation 'mandatory-reporting' moved"]


def test_a_recommendation_moved_to_a_new_area_keeps_its_id_and_section(
        run: Importer, folder: Path) -> None:
    result = run(_into_new_area)
    recs = read_brief(folder).recommendations
    assert [(a.id, [(r.id, r.section) for r in a.recommendations]) for a in recs.areas] == [
        ("safety-standards", [("common-ice-class", "what-should-change")]),
        ("search-and-rescue", [("joint-sar-planning", "what-should-change")]),
        ("reporting", [("mandatory-reporting", "what-should-change")]),
        ("insurance", [("shared-loss-data", "traffic")])]
    assert [c.what for c in result.outcome.changes] == [
        "recommendation area 'reporting' added",
        "recommendation 'mandatory-reporting' moved to area 'reporting'"]
    assert not result.forced


def _into_new_area(found: list[EditedBlock]) -> list[EditedBlock]:
    found = moved(found, REPORTING, SAR, EditedBlock(
        next(b for b in found if blocks.stringify(b.block) == REPORTING).block, [], "rec",
        ["mandatory-reporting_Copy_1"]))
    at = next(i for i, b in enumerate(found) if blocks.stringify(b.block) == REPORTING)
    return [*found[:at], EditedBlock(para("Reporting"), [], "area"), *found[at:]]


def test_an_area_deleted_with_its_recommendations_leaves_the_others_as_they_were(
        run: Importer, folder: Path) -> None:
    """Its recommendations' lines go with the area's (each deleted first shifted the
    area's lines: the next area lost its first lines)."""
    before = sources(folder)

    def drop(found: list[EditedBlock]) -> list[EditedBlock]:
        return [b for b in found if "search-and-rescue" not in b.ids
                and blocks.stringify(b.block) != SAR]

    result = run(drop, force=True)
    [forced] = result.forced
    assert forced.message == ("the import would drop recommendation 'joint-sar-planning' "
                              "(area 'Search and Rescue')")
    text = before["recommendations.yaml"]
    area = text[text.index("  - id: search-and-rescue"):text.index("  - id: insurance")]
    assert sources(folder)["recommendations.yaml"] == text.replace(area, "")


def test_an_area_s_only_recommendation_deleted_is_refused_then_forced_without_the_area(
        run: Importer, folder: Path) -> None:
    """The tester's edit (the heading of "Search and Rescue" kept, its only recommendation
    deleted) once stopped even a forced import with "would write a source that cannot be
    read". Now it is the guard's refusal of any dropped recommendation, and forced, the
    area goes with it and the source reads and passes check."""
    before = sources(folder)

    def drop(found: list[EditedBlock]) -> list[EditedBlock]:
        return [b for b in found if "joint-sar-planning" not in b.ids]

    with pytest.raises(BriefError) as refused:
        run(drop)
    assert [p.message for p in refused.value.problems] == [
        "the import would drop recommendation 'joint-sar-planning' (area 'Search and Rescue')"]
    result = run(drop, force=True)
    assert [p.message for p in result.forced] == [p.message for p in refused.value.problems]
    text = before["recommendations.yaml"]
    area = text[text.index("  - id: search-and-rescue"):text.index("  - id: insurance")]
    assert sources(folder)["recommendations.yaml"] == text.replace(area, "")
    assert [a.id for a in read_brief(folder).recommendations.areas] == [
        "safety-standards", "insurance"]


def test_a_recommendation_moved_out_of_an_area_deleted_with_the_rest(
        run: Importer, folder: Path) -> None:
    """The editor moves one recommendation out of an area, then deletes the area's heading and
    its other recommendation: the area goes, the one moved stays where it went."""
    before = sources(folder)

    def change(found: list[EditedBlock]) -> list[EditedBlock]:
        found = moved(found, REPORTING, SAR, EditedBlock(
            next(b for b in found if blocks.stringify(b.block) == REPORTING).block, [], "rec",
            ["mandatory-reporting_Copy_1"]))
        return [b for b in found if "safety-standards" not in b.ids
                and not blocks.stringify(b.block).startswith("Agree on")]

    result = run(change, force=True)
    assert [p.message for p in result.forced] == [
        "the import would drop recommendation 'common-ice-class' (area 'Safety Standards')"]
    text = before["recommendations.yaml"]
    area = text[text.index("  - id: safety-standards"):text.index("  - id: search-and-rescue")]
    assert sources(folder)["recommendations.yaml"] == text.replace(area, "").replace(
        "  - id: insurance\n", REPORTING_LINES + "  - id: insurance\n")
    assert [c.what for c in result.outcome.changes] == [
        "recommendation area 'safety-standards' deleted",
        "recommendation 'common-ice-class' deleted",
        "recommendation 'mandatory-reporting' moved to area 'search-and-rescue'"]


def test_a_file_imported_again_brings_no_new_recommendation_notice(
        run: Importer, folder: Path) -> None:
    """The tester imported a file that adds a recommendation, then the same file again: "no
    changes", yet the new recommendation's notice came again."""
    def add(found: list[EditedBlock]) -> list[EditedBlock]:
        at = next(i for i, b in enumerate(found) if blocks.stringify(b.block) == SAR)
        return [*found[:at + 1], EditedBlock(para("Fund a shared icebreaker pool."), [], "rec"),
                *found[at + 1:]]

    first = run(add)
    assert first.written and [n.split(":")[0] for n in first.outcome.notices] == [
        "new recommendation 'fund-shared-icebreaker-pool' points at section "
        "'what-should-change'"]
    again = run(add)
    assert again.unchanged and again.merged and not again.written
    assert again.outcome.notices == [] and again.report_path is None
    assert "note:" not in "\n".join(again.summary())


# -- refusals ------------------------------------------------------------------------------


def test_a_note_no_paragraph_calls_any_more_goes_with_its_definition(
        run: Importer, folder: Path) -> None:
    """A paragraph retyped without its only note, and one deleted with its note: neither
    note's text stays behind in brief.md as a definition nothing calls."""
    policy = "The Polar Code sets a floor, not a ceiling."

    def change(found: list[EditedBlock]) -> list[EditedBlock]:
        found = retyped(found, SUMMARY, SUMMARY + " Rules written for a frozen ocean now "
                        "govern a busy one.")
        return [b for b in found if not blocks.stringify(b.block).startswith(policy)]

    result = run(change)
    markdown = (folder / "brief.md").read_text(encoding="utf-8")
    assert "[^transits]" not in markdown and "Counts of full transits" not in markdown
    assert "[^code]" not in markdown and "International Code for Ships" not in markdown
    # the note taken out of the paragraph retyped is a change of its own (tester 6's m4)
    assert [c.what for c in result.outcome.changes] == ["paragraph changed",
                                                         "note [^transits] deleted",
                                                         "paragraph deleted"]
    brief = read_brief(folder)  # and the brief still reads, with no note
    assert not any(isinstance(node, blocks.Note) for node in blocks.walk(brief.body()))


def test_a_dropped_section_is_refused_unless_forced(run: Importer, folder: Path) -> None:
    def drop(found: list[EditedBlock]) -> list[EditedBlock]:
        return [b for b in found if "conclusion" not in b.ids and not blocks.stringify(
            b.block).startswith("The Arctic will not wait")]

    before = sources(folder)
    refusals = ["the import would drop section 'Conclusion' (#conclusion)",
                "the imported source would not pass check: required section 'Conclusion' is "
                "missing"]
    with pytest.raises(BriefError) as caught:
        run(drop)
    assert [p.message for p in caught.value.problems] == refusals
    assert sources(folder) == before
    result = run(drop, force=True)
    assert [p.message for p in result.forced] == refusals
    assert "# Conclusion" not in (folder / "brief.md").read_text(encoding="utf-8")


def test_a_source_check_would_refuse_is_refused_with_the_way_out(
        run: Importer, folder: Path, arctic_docx: Path) -> None:
    def unbalanced(found: list[EditedBlock]) -> list[EditedBlock]:
        at = next(i for i, b in enumerate(found) if blocks.stringify(b.block) == COUNTS)
        closing = blocks.Para([blocks.Str("Counts."), blocks.RawInline(("html", "</span>"))])
        return [*found[:at], EditedBlock(closing, []), *found[at + 1:]]

    before = sources(folder)
    with pytest.raises(BriefError) as caught:
        run(unbalanced)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (arctic_docx, None)
    assert problem.message == ("the imported source would not pass check: raw HTML closes "
                               "<span> that is not open")
    assert problem.fix == "balance the tags, or write it in Markdown; or import with --force " \
        "and fix brief.md after"
    assert sources(folder) == before


def test_a_refusal_of_check_in_recommendations_yaml_says_to_fix_that_file(
        run: Importer, folder: Path) -> None:
    """Tester 6's m1: a section deleted that a recommendation points at is mended in
    recommendations.yaml, which the way out names (it said brief.md)."""
    def drop(found: list[EditedBlock]) -> list[EditedBlock]:
        return [b for b in found if "traffic" not in b.ids]

    with pytest.raises(BriefError) as caught:
        run(drop)
    [pointing] = [p for p in caught.value.problems if "points at section" in p.message]
    assert pointing.fix.endswith("; or import with --force and fix recommendations.yaml after")
    [dropped] = [p for p in caught.value.problems if "would drop section" in p.message]
    assert "The Traffic Is Already Here" in dropped.message


# -- the source moved on -------------------------------------------------------------------


def test_edits_in_the_source_since_the_file_was_made_are_merged(run: Importer,
                                                                folder: Path) -> None:
    edit(folder / "brief.md", "no longer curiosities", "no longer mere curiosities")
    result = run(lambda found: retyped(found, COUNTS, "Vessel counts tell it plainly."))
    assert result.merged and result.written
    text = (folder / "brief.md").read_text(encoding="utf-8")
    assert "no longer mere curiosities" in text and "Vessel counts tell it plainly." in text
    assert COUNTS not in text


def test_one_paragraph_edited_in_both_is_a_conflict_at_the_source_line(
        run: Importer, folder: Path) -> None:
    edit(folder / "brief.md", COUNTS, "Vessel counts tell the story well.")
    before = sources(folder)
    with pytest.raises(BriefError) as caught:
        run(lambda found: retyped(found, COUNTS, "Vessel counts tell the story badly."))
    [problem] = caught.value.problems
    line = before["brief.md"].split("\n").index("Vessel counts tell the story well.") + 1
    assert (problem.file, problem.line) == (folder / "brief.md", line)
    assert problem.message == (
        "conflict in section 'The Traffic Is Already Here' (#traffic): this was changed in "
        "brief.md and in the Word file since the file was made; brief.md now reads "
        "'…tell the story well.', the Word file reads '…tell the story badly.'")
    assert problem.fix.startswith("make the edit in one place")
    assert sources(folder) == before


def test_a_conflict_shows_each_side_s_own_change_from_the_base(
        run: Importer, folder: Path) -> None:
    """brief.md changed a late word, the Word file an early one: each side's excerpt is
    taken where that side differs from the file's source, not where the two sides first
    differ (which showed brief.md's unchanged words around the Word file's change)."""
    rescue = ("Search and rescue must be planned jointly, because no single state can cover "
              "the distances involved.")
    edit(folder / "brief.md", rescue, rescue.replace("the distances", "the vast distances"))
    with pytest.raises(BriefError) as caught:
        run(lambda found: retyped(found, "Search and rescue",
                                  rescue.replace("jointly", "together")))
    [problem] = caught.value.problems
    assert problem.message == (
        "conflict in section 'What Should Change' (#what-should-change): this was changed in "
        "brief.md and in the Word file since the file was made; brief.md now reads "
        "'…can cover the vast distances involved.', the Word file reads '…must be "
        "planned together, because no single state can cover…'")


def test_a_file_from_an_unknown_revision_is_refused(run: Importer, folder: Path) -> None:
    edit(folder / "brief.md", COUNTS, "Vessel counts tell the story well.")
    with pytest.raises(BriefError) as caught:
        run(file_revision="0123456789ab")
    [problem] = caught.value.problems
    assert problem.message == (
        "the .docx was made from revision 0123456789ab of 'arctic-shipping', which has "
        "changed since, and the file no longer carries a copy of that revision to merge "
        "against")
    assert problem.fix == "build the .docx again from the current source and redo the edits in it"


# -- undo ----------------------------------------------------------------------------------


def test_undo_restores_the_sources(run: Importer, folder: Path, arctic_docx: Path,
                                   tmp_path: Path) -> None:
    before = sources(folder)
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    assert sources(folder) != before
    assert undo_import(str(folder), build_dir=tmp_path / "build") == folder
    assert sources(folder) == before
    assert not backup_dir(folder).exists()
    # a second undo says the import was undone already (it said to run it in the
    # project's folder, where it was run)
    with pytest.raises(BriefError) as caught:
        undo_import(str(folder), build_dir=tmp_path / "build")
    [problem] = caught.value.problems
    assert problem.message == (
        "no import of 'arctic-shipping' to undo: its last import (of arctic-shipping.docx) "
        "was undone already")
    assert problem.fix == (
        f"nothing to do; to import that file again: briefpress import {arctic_docx} "
        "--brief arctic-shipping")


def test_a_second_undo_without_a_brief_says_the_import_was_undone(
        run: Importer, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    monkeypatch.chdir(tmp_path)  # the project's folder
    undo_import(build_dir=tmp_path / "build")
    with pytest.raises(BriefError) as caught:
        undo_import(build_dir=tmp_path / "build")
    [problem] = caught.value.problems
    assert problem.message == (
        "no import to undo: the last import of 'arctic-shipping' was undone already")
    assert problem.fix.startswith("nothing to do; to import that file again: briefpress import ")
    # the next import is undone as any other, and its undo recorded in turn
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    undo_import(build_dir=tmp_path / "build")
    with pytest.raises(BriefError):
        undo_import(build_dir=tmp_path / "build")


def test_the_review_outlives_an_undo_and_the_next_import_replaces_it(
        run: Importer, folder: Path, tmp_path: Path) -> None:
    """The review report is not in the backup's folder: an undo leaves the review of the import
    it undid to read; the next import's report replaces it."""
    first = run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    report = review_file(folder).read_text(encoding="utf-8")
    assert report == first.report()
    undo_import(str(folder), build_dir=tmp_path / "build")
    assert review_file(folder).read_text(encoding="utf-8") == report
    second = run(lambda found: retyped(found, SUMMARY, "Transits have quadrupled."))
    assert review_file(folder).read_text(encoding="utf-8") == second.report() != report


def test_undo_refuses_when_the_source_changed_since(run: Importer, folder: Path,
                                                   tmp_path: Path) -> None:
    before = sources(folder)
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    with (folder / "brief.md").open("a", encoding="utf-8") as handle:
        handle.write("\nA later edit.\n")
    with pytest.raises(BriefError) as caught:
        undo_import(str(folder), build_dir=tmp_path / "build")
    [problem] = caught.value.problems
    assert (problem.file, problem.message) == (
        folder / "brief.md", "changed since the import; undoing it would lose those changes")
    assert problem.fix.startswith("undo with --force")
    undo_import(str(folder), build_dir=tmp_path / "build", force=True)
    assert sources(folder) == before


def test_undo_removes_the_images_the_import_added(
        run: Importer, folder: Path, arctic_docx: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    add_image(run, arctic_docx)
    assert (folder / "image-1.png").exists()
    monkeypatch.chdir(tmp_path)  # the project whose imports an undo without a brief looks at
    undo_import(build_dir=tmp_path / "build")  # the one brief with an import to undo
    assert not (folder / "image-1.png").exists()


def test_the_undo_records_are_structs_in_the_json_earlier_versions_wrote(
        run: Importer, folder: Path, tmp_path: Path) -> None:
    """import.json and <slug>.undone.json are msgspec Structs, written as the indented JSON
    (non-ASCII as it is) that ``json.dumps(..., ensure_ascii=False, indent=1)`` wrote."""
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it: déjà vu."))
    written = (backup_dir(folder) / "import.json").read_bytes()
    record = msgspec.json.decode(written, type=ImportRecord)
    assert record.brief == str(folder) and "déjà vu" in record.imported["brief.md"]
    assert written == json.dumps(msgspec.to_builtins(record), ensure_ascii=False,
                                 indent=1).encode("utf-8")
    undo_import(str(folder), build_dir=tmp_path / "build")
    undone = undone_record(folder).read_bytes()
    assert msgspec.json.decode(undone, type=UndoneRecord) == UndoneRecord(
        docx=record.docx, brief=str(folder))
    assert json.loads(undone) == {"docx": record.docx, "brief": str(folder)}


def test_an_import_json_an_earlier_version_wrote_is_undone(
        run: Importer, folder: Path, tmp_path: Path) -> None:
    """A record without ``added_files`` (and with a key this version does not know),
    written by json.dumps as earlier versions did: --undo reads it and undoes the import,
    and reads an earlier undo's record too."""
    original = sources(folder)
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    backup = backup_dir(folder)
    (backup / "import.json").write_text(json.dumps({
        "docx": "edited.docx", "brief": str(folder), "imported": sources(folder),
        "version": 1}, ensure_ascii=False, indent=1), encoding="utf-8")
    assert undo_import(str(folder), build_dir=tmp_path / "build") == folder
    assert sources(folder) == original
    undone_record(folder).write_text(json.dumps(
        {"docx": "earlier.docx", "brief": str(folder)}, indent=1), encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        undo_import(str(folder), build_dir=tmp_path / "build")
    assert caught.value.problems[0].message == (
        "no import of 'arctic-shipping' to undo: its last import (of earlier.docx) was "
        "undone already")


def test_undo_without_a_brief_needs_exactly_one_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "content").mkdir()  # the project: the folder of content/
    monkeypatch.chdir(tmp_path)
    build_dir = tmp_path / "build"
    with pytest.raises(BriefError) as caught:
        undo_import(build_dir=build_dir)
    assert (caught.value.problems[0].message, caught.value.problems[0].fix) == (
        "no import to undo",
        "an import keeps what it replaced until it is undone or the brief is imported "
        "again; to undo an import in another project, run it in that project's folder "
        "(where content/ is), or name the brief by its folder: briefpress import --undo "
        "--brief path/to/content/SLUG")
    # what an import killed half-way left is no backup to undo
    (tmp_path / IMPORTS / ".one.99999.old").mkdir(parents=True)
    (tmp_path / IMPORTS / ".one.99999.old" / "import.json").write_text("{}", encoding="utf-8")
    (tmp_path / IMPORTS / "one").mkdir(parents=True)  # this version's backup
    (tmp_path / IMPORTS / "one" / "import.json").write_text("{}", encoding="utf-8")
    (build_dir / "two" / LEGACY).mkdir(parents=True)  # an earlier version's
    (build_dir / "two" / LEGACY / "import.json").write_text("{}", encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        undo_import(build_dir=build_dir)
    assert caught.value.problems[0].message == (
        "more than one brief has an import to undo: one, two")



# -- the source a Word file carries, unreadable --------------------------------------------


@pytest.fixture(scope="module")
def water_docx(built_once: Callable[..., SharedBuild]) -> Path:
    """The water-security brief's Word edition (a brief with a bibliography)."""
    built, = built_once([WATER], ["docx"]).outputs
    return built


def test_the_word_file_of_another_brief_is_named_not_a_temporary_copy(
        water_docx: Path, folder: Path, tmp_path: Path) -> None:
    """The source the file carries names a bibliography the brief imported into lacks:
    the message is about the .docx and the brief's folder, and says the file is another
    brief's, not about the temporary copy of the project the carried source is read in."""
    with pytest.raises(BriefError) as caught:
        import_docx(water_docx, str(folder), dry_run=True, build_dir=tmp_path / "build")
    [problem] = caught.value.problems
    line = (WATER / "brief.md").read_text(encoding="utf-8").split("\n").index(
        "bibliography: references.bib") + 1
    assert (problem.file, problem.line) == (water_docx, None)
    assert problem.message == (
        "the .docx is the Word edition of brief 'water-security', imported into "
        "'arctic-shipping'; the copy of its source that the .docx carries (revision "
        f"{custom_properties(open_docx(water_docx))[PROP_REVISION]}) cannot be read beside "
        f"{folder}'s files: line {line} of its brief.md: `bibliography: references.bib` is "
        "no file in the brief's folder")
    assert problem.fix.startswith(
        f"import it into its own brief (briefpress import {water_docx} --brief water-security)"
        "; if it does belong to 'arctic-shipping': put the file beside brief.md")
    assert "briefpress-import-" not in str(caught.value)


def test_a_carried_source_the_brief_can_no_longer_read_is_named_as_the_word_file(
        water_docx: Path, scratch: Callable[..., Path], tmp_path: Path) -> None:
    """The brief's bibliography is gone since the file was made: the copy of the source the
    file carries, which names it, is what cannot be read, said of the .docx."""
    folder = scratch(WATER)
    (folder / "references.bib").unlink()
    edit(folder / "brief.md", "bibliography: references.bib\n", "")
    edit(folder / "brief.md", " [@mccaffrey2019, 110]", "")
    line = (WATER / "brief.md").read_text(encoding="utf-8").split("\n").index(
        "bibliography: references.bib") + 1
    with pytest.raises(BriefError) as caught:
        import_docx(water_docx, str(folder), dry_run=True, build_dir=tmp_path / "build")
    [problem] = caught.value.problems
    assert problem.file == water_docx
    assert problem.message.startswith(
        "the copy of its source that the .docx carries (revision ")
    assert problem.message.endswith(
        ") cannot be read beside the brief's files as they are now: "
        f"line {line} of its brief.md: `bibliography: references.bib` is no file in the "
        "brief's folder")
    assert problem.fix.endswith(
        "; or build the .docx again from the current source and redo the edits in it")
    assert "briefpress-import-" not in str(caught.value)


def test_a_refused_import_of_another_briefs_word_file_says_whose_it_is_first(
        arctic_docx: Path, scratch: Callable[..., Path], tmp_path: Path) -> None:
    """Imported with --brief into a brief of another name, a refusal (here a conflict)
    opens with whose Word edition the file is: the rest compares two briefs."""
    folder = scratch(ARCTIC, "arctic-renamed")
    edit(folder / "brief.md", COUNTS, "Vessel counts tell the story well.")
    package = open_docx(arctic_docx)
    current = read_brief(folder)
    edited = EditedDocument(retyped(as_read(read_brief(ARCTIC)), COUNTS,
                                    "Vessel counts tell the story badly."), [],
                            current.api_version)
    with pytest.raises(BriefError) as caught:
        import_edited(arctic_docx, package, custom_properties(package)[PROP_REVISION], edited,
                      current, Review(), "accept", True, False, tmp_path / "build")
    whose, conflict = caught.value.problems
    assert (whose.file, whose.line) == (arctic_docx, None)
    assert whose.message == ("the .docx is the Word edition of brief 'arctic-shipping', not "
                             "of 'arctic-renamed', so the import compares two briefs")
    assert whose.fix == (f"import it into its own brief (briefpress import {arctic_docx} "
                         "--brief arctic-shipping); if 'arctic-renamed' is that brief renamed, "
                         "mend what follows")
    assert conflict.message.startswith("conflict in section 'The Traffic Is Already Here'")


def test_another_briefs_unedited_word_file_is_refused_not_called_no_changes(
        arctic_docx: Path, scratch: Callable[..., Path], tmp_path: Path) -> None:
    """The Word edition of another brief, unedited, imported with --brief: the merge of
    nothing into a brief whose text differs changes nothing, but the file is the wrong one,
    and the import says so as it does for an edited one (it said "no changes", exit 0)."""
    folder = scratch(ARCTIC, "arctic-renamed")
    edit(folder / "brief.md", COUNTS, "Vessel counts tell the story well.")
    package = open_docx(arctic_docx)
    current = read_brief(folder)
    edited = EditedDocument(as_read(read_brief(ARCTIC)), [], current.api_version)
    with pytest.raises(BriefError) as caught:
        import_edited(arctic_docx, package, custom_properties(package)[PROP_REVISION], edited,
                      current, Review(), "accept", False, False, tmp_path / "build")
    [whose] = caught.value.problems
    assert (whose.file, whose.line) == (arctic_docx, None)
    assert whose.message == ("the .docx is the Word edition of brief 'arctic-shipping', not "
                             "of 'arctic-renamed', and holds no edit to its own source")
    assert whose.fix == (f"import it into its own brief (briefpress import {arctic_docx} "
                         "--brief arctic-shipping); if 'arctic-renamed' is that brief renamed, "
                         "there is nothing to import")
    assert not review_file(folder).exists() and not backup_dir(folder).exists()


def test_a_renamed_brief_s_unedited_word_file_of_the_same_text_changes_nothing(
        arctic_docx: Path, scratch: Callable[..., Path], tmp_path: Path) -> None:
    """The brief renamed, its text as the file was made from: nothing to import, and no
    refusal (the two are one brief)."""
    folder = scratch(ARCTIC, "arctic-renamed")
    package = open_docx(arctic_docx)
    current = read_brief(folder)
    edited = EditedDocument(as_read(read_brief(ARCTIC)), [], current.api_version)
    result = import_edited(arctic_docx, package, custom_properties(package)[PROP_REVISION],
                           edited, current, Review(), "accept", False, False,
                           tmp_path / "build")
    assert result.unchanged and not result.written


def test_another_briefs_word_file_without_its_source_says_whose_it_is(
        arctic_docx: Path, scratch: Callable[..., Path], tmp_path: Path) -> None:
    folder = scratch(ARCTIC, "arctic-renamed")
    edit(folder / "brief.md", COUNTS, "Vessel counts tell the story well.")
    package = open_docx(arctic_docx)
    current = read_brief(folder)
    with pytest.raises(BriefError) as caught:
        import_edited(arctic_docx, package, "0123456789ab", EditedDocument([], [], [1, 23]),
                      current, Review(), "accept", True, False, tmp_path / "build")
    [problem] = caught.value.problems
    assert problem.message == ("the .docx is the Word edition of brief 'arctic-shipping', not "
                               "of 'arctic-renamed', and it carries no copy of its source to "
                               "compare the two with")
    assert problem.fix == (f"import it into its own brief (briefpress import {arctic_docx} "
                           "--brief arctic-shipping)")


# -- the form of the sources, and the backup's life ----------------------------------------


def test_a_crlf_source_with_a_byte_order_mark_keeps_its_form_and_undo_its_bytes(
        folder: Path, tmp_path: Path) -> None:
    """A brief saved on Windows: brief.md with a BOM and CRLF endings, recommendations.yaml
    with CRLF. The import writes brief.md all CRLF with its BOM, leaves the file it does
    not change alone, and --undo right after gives back both files byte for byte."""
    from docxedit import DocxEditor

    md, recs = folder / "brief.md", folder / "recommendations.yaml"
    md.write_bytes(codecs.BOM_UTF8 + md.read_bytes().replace(b"\n", b"\r\n"))
    recs.write_bytes(recs.read_bytes().replace(b"\n", b"\r\n"))
    before = {p.name: p.read_bytes() for p in (md, recs)}
    recs_version = os.stat(recs).st_mtime_ns, os.stat(recs).st_ino
    built, = build([str(folder)], ["docx"], build_dir=tmp_path / "build")
    doc = DocxEditor(built)
    doc.replace(COUNTS, "plainly", "clearly")
    result = import_docx(doc.save(tmp_path / "edited.docx"), str(folder),
                         build_dir=tmp_path / "build")
    assert result.written
    data = md.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and b"tell the story clearly.\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b""), "a line of brief.md lost its CR"
    assert data.replace(b"clearly", b"plainly") == before["brief.md"]
    assert (os.stat(recs).st_mtime_ns, os.stat(recs).st_ino) == recs_version
    assert undo_import(str(folder), build_dir=tmp_path / "build") == folder
    assert {p.name: p.read_bytes() for p in (md, recs)} == before


def test_a_mixed_source_keeps_each_kept_lines_ending(folder: Path, tmp_path: Path) -> None:
    """Mostly CRLF, its front matter LF (a file pasted together): the lines the import
    keeps keep their endings, the line it writes takes CRLF, the ending of most lines."""
    from docxedit import DocxEditor

    md = folder / "brief.md"
    lines = md.read_bytes().split(b"\n")
    closing = lines.index(b"---", 1)  # the front matter's lines keep LF
    md.write_bytes(b"\n".join(lines[:closing + 1]) + b"\n"
                   + b"\r\n".join(lines[closing + 1:]))
    before = md.read_bytes()
    built, = build([str(folder)], ["docx"], build_dir=tmp_path / "build")
    doc = DocxEditor(built)
    doc.replace(COUNTS, "plainly", "clearly")
    import_docx(doc.save(tmp_path / "edited.docx"), str(folder), build_dir=tmp_path / "build")
    assert md.read_bytes() == before.replace(b"the story plainly", b"the story clearly")


def test_builds_keep_the_import_backup(run: Importer, folder: Path, tmp_path: Path) -> None:
    """The preview rebuilds within a second of an import: a build must not end what --undo
    needs. The backup lasts until the next import, or until it is undone."""
    before = sources(folder)
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    build([str(folder)], ["html"], build_dir=tmp_path / "build")
    assert (backup_dir(folder) / "import.json").is_file()
    assert not [p for p in (tmp_path / "build").rglob("*") if p.name == "import.json"]
    undo_import(str(folder), build_dir=tmp_path / "build")
    assert sources(folder) == before


def test_an_import_into_a_folder_that_cannot_be_written_leaves_no_trace(
        run: Importer, folder: Path, tmp_path: Path) -> None:
    original = sources(folder)
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))  # an earlier import
    backup = backup_dir(folder)
    earlier = {p.name: p.read_bytes() for p in backup.iterdir()}
    imported = sources(folder)
    with immutable(folder), pytest.raises(BriefError) as caught:
        run(lambda found: retyped(found, SUMMARY, "Transits have quadrupled."))
    [problem] = caught.value.problems
    assert (problem.file, problem.message) == (
        folder / "brief.md", "cannot write: Operation not permitted; nothing was imported")
    assert problem.fix.startswith(f"make {folder} and its files writable")
    assert problem.fix.endswith("then import again")
    assert sources(folder) == imported
    assert {p.name: p.read_bytes() for p in backup.iterdir()} == earlier
    assert sorted(p.name for p in backup.parent.iterdir()) == [folder.name]
    assert sorted(p.name for p in (tmp_path / "build" / folder.name).iterdir()) == [".lock"]
    undo_import(str(folder), build_dir=tmp_path / "build")  # the earlier import's undo
    assert sources(folder) == original


def test_an_undo_into_a_folder_that_cannot_be_written_keeps_the_backup(
        run: Importer, folder: Path, tmp_path: Path) -> None:
    original = sources(folder)
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    imported = sources(folder)
    with immutable(folder), pytest.raises(BriefError) as caught:
        undo_import(str(folder), build_dir=tmp_path / "build")
    [problem] = caught.value.problems
    assert (problem.file, problem.message) == (
        folder / "brief.md",
        "cannot write: Operation not permitted; nothing was undone; its backup is kept")
    assert problem.fix.endswith("then undo again")
    assert sources(folder) == imported
    undo_import(str(folder), build_dir=tmp_path / "build")
    assert sources(folder) == original


def test_undo_says_a_deleted_source_was_deleted(run: Importer, folder: Path,
                                                tmp_path: Path) -> None:
    original = sources(folder)
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    (folder / "brief.md").unlink()
    with pytest.raises(BriefError) as caught:
        undo_import(str(folder), build_dir=tmp_path / "build")
    [problem] = caught.value.problems
    assert (problem.file, problem.message) == (folder / "brief.md", "deleted since the import")
    undo_import(str(folder), build_dir=tmp_path / "build", force=True)
    assert sources(folder) == original


def test_undo_refuses_a_folder_in_place_of_a_source_even_forced(
        run: Importer, folder: Path, tmp_path: Path) -> None:
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    recs = (folder / "recommendations.yaml").read_bytes()
    (folder / "brief.md").unlink()
    (folder / "brief.md").mkdir()
    with pytest.raises(BriefError) as caught:
        undo_import(str(folder), build_dir=tmp_path / "build", force=True)
    [problem] = caught.value.problems
    assert (problem.file, problem.message) == (folder / "brief.md",
                                               "is a folder, not a regular file")
    assert problem.fix.endswith("then undo again")
    assert (folder / "recommendations.yaml").read_bytes() == recs
    assert (backup_dir(folder) / "import.json").is_file()


def test_a_refused_write_puts_back_the_sources_written_before_it(
        run: Importer, folder: Path, tmp_path: Path) -> None:
    """An import that changes both sources writes recommendations.yaml, then brief.md: a
    brief.md that cannot be replaced (immutable) has recommendations.yaml put back."""
    original = sources(folder)
    with immutable(folder / "brief.md"), pytest.raises(BriefError) as caught:
        run(lambda found: retyped(retyped(found, COUNTS, "Vessel counts tell it."),
                                  "Pool loss data",
                                  "Pool loss data so that premiums follow the risk."))
    [problem] = caught.value.problems
    assert (problem.file, problem.message) == (
        folder / "brief.md", "cannot write: Operation not permitted; nothing was imported")
    assert caught.value.exit_code == 2
    assert sources(folder) == original
    assert not backup_dir(folder).exists()
    assert not list(folder.glob(".*tmp*"))


def test_undo_finds_a_backup_an_earlier_version_left_in_the_build_folder(
        run: Importer, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Imports of earlier versions kept the backup in build/<slug>/.import-backup: --undo still
    uses it (then removes it), and a new import of the brief removes it."""
    original = sources(folder)
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    legacy = tmp_path / "build" / folder.name / LEGACY
    os.replace(backup_dir(folder), legacy)  # where an earlier version put it
    with monkeypatch.context() as here:
        here.chdir(tmp_path)
        undo_import(build_dir=tmp_path / "build")  # found in the build folder alone
    assert sources(folder) == original
    assert not legacy.exists()

    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    shutil.copytree(backup_dir(folder), legacy)
    result = run(lambda found: retyped(found, SUMMARY, "Transits have quadrupled."))
    assert not legacy.exists()  # the new import's backup is the one
    assert result.moved is not None and result.moved.message.startswith("removed")
    assert str(result.moved) in result.summary()  # said, in one line


def test_an_import_moves_an_earlier_version_s_backup_out_of_the_build_folder_first(
        run: Importer, folder: Path, tmp_path: Path) -> None:
    """A dry run writes nothing and leaves it; any other import, even one refused, moves it
    to .briefpress/ under the brief's lock and says so, and --undo still undoes the earlier
    version's import from there."""
    original = sources(folder)
    run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    imported = sources(folder)
    legacy = tmp_path / "build" / folder.name / LEGACY
    os.replace(backup_dir(folder), legacy)  # where an earlier version put it
    run(lambda found: retyped(found, SUMMARY, "Transits have quadrupled."), dry_run=True)
    assert (legacy / "import.json").is_file()
    edit(folder / "brief.md", SUMMARY, "Transits have grown.")  # a conflict to come
    with pytest.raises(BriefError) as caught:
        run(lambda found: retyped(found, SUMMARY, "Transits have quadrupled."))
    moved, *refusals = caught.value.problems
    assert moved.severity == "warning" and moved.message.startswith(
        f"moved the import backup an earlier briefpress left in {legacy} to "
        f"{backup_dir(folder)}")
    assert refusals and refusals[0].message.startswith("conflict")
    assert not legacy.exists() and (backup_dir(folder) / "import.json").is_file()
    edit(folder / "brief.md", "Transits have grown.", SUMMARY)
    assert sources(folder) == imported
    undo_import(str(folder), build_dir=tmp_path / "build")
    assert sources(folder) == original


def test_an_import_removes_the_review_an_earlier_version_left_in_the_build_folder(
        run: Importer, folder: Path, tmp_path: Path) -> None:
    """Imports of earlier versions wrote build/<slug>/review.md, which a publisher syncs to the
    web: the next import of the brief writes its report to .briefpress/reviews/ and removes it."""
    legacy = tmp_path / "build" / folder.name / "review.md"
    legacy.parent.mkdir(parents=True)
    legacy.write_text("# Review\n\nSam: Which counts?\n", encoding="utf-8")
    result = run(lambda found: retyped(found, COUNTS, "Vessel counts tell it."))
    assert not legacy.exists()
    assert result.report_path == review_file(folder)


def test_an_edited_paragraph_s_inline_html_is_said_to_be_lost() -> None:
    """Tester 12: editing a paragraph whose source held ``<abbr title="x">IMO</abbr>`` wrote
    it back as "IMO" and said nothing; the markup Word cannot hold is named in a notice."""
    item = next(i for i in base_items(brief_units(read_brief(ARCTIC))) if i.cls == "body")
    html = [blocks.RawInline(("html", '<abbr title="x">')), blocks.Str("IMO"),
            blocks.RawInline(("html", "</abbr>"))]
    source = msgspec.structs.replace(item, block=blocks.Para([blocks.Str("The"), blocks.Space(),
                                                              *html]))
    edited = EditedBlock(para("The IMO rules"), [], "body")
    assert lost_html([Step("changed", source, edited)]) == [
        'the edited paragraph "The IMO…" loses its inline HTML (<abbr title="x">, </abbr>), '
        "which a Word file cannot hold: put it back in brief.md if the edition needs it"]
    kept = EditedBlock(blocks.Para([*html, blocks.Str("!")]), [], "body")
    assert lost_html([Step("changed", source, kept), Step("same", source, edited)]) == []
