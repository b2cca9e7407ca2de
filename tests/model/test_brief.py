"""The Brief model (model/brief.py) on small hand-made briefs: sections walked, the body as
brief.md has it, the outline with its generated parts, the revision, lookups."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpress.model import blocks
from briefpress.model.brief import (
    Author,
    Brief,
    Metadata,
    OutlineEntry,
    Publisher,
    Recommendation,
    RecommendationArea,
    Recommendations,
    Section,
)


def para(text: str) -> blocks.Para:
    return blocks.Para([blocks.Str(text)])


def small_brief(markdown: str = "# Summary\n", recommendations_text: str = "areas: []\n"
                ) -> Brief:
    """Summary (with Background under it), the generated Recommendations, Conclusion, and
    the generated authors' section."""
    background = Section("background", "Background", 2, [blocks.Str("Background")],
                         [para("before")], line=5)
    summary = Section("summary", "Summary", 1, [blocks.Str("Summary")], [para("short")],
                      [background], line=1, classes=["unnumbered"], attributes=[("lang", "fr")])
    recs = Section("recommendations", "Recommendations", 1, [blocks.Str("Recommendations")],
                   generated_from="recommendations")
    conclusion = Section("conclusion", "Conclusion", 1, [blocks.Str("Conclusion")],
                         [para("end"), para("more")], line=9)
    authors = Section("about", "About the Authors", 1, generated_from="authors")
    areas = [RecommendationArea("ice", "Ice", [Recommendation("ice-class", "Use it.",
                                                              "background"),
                                               Recommendation("ice-data", "Share it.",
                                                              "conclusion")]),
             RecommendationArea("rescue", "Rescue", [Recommendation("sar", "Plan.",
                                                                    "conclusion")])]
    meta = Metadata(title="A brief", authors=[Author("Ana")], publisher=Publisher("Press"))
    return Brief("small", Path("/content/small"), meta, [summary, recs, conclusion, authors],
                 Recommendations(areas=areas), [], markdown, recommendations_text)


def test_sections_are_walked_depth_first_in_reading_order() -> None:
    brief = small_brief()
    assert [s.id for s in brief.walk()] == [
        "summary", "background", "recommendations", "conclusion", "about"]
    assert [s.id for s in brief.sections[0].walk()] == ["summary", "background"]
    assert brief.section("background") is brief.sections[0].children[0]
    assert brief.section("nowhere") is None


def test_a_heading_is_given_back_as_pandoc_parsed_it() -> None:
    assert small_brief().sections[0].header() == blocks.Header(
        (1, ("summary", ["unnumbered"], [("lang", "fr")]), [blocks.Str("Summary")]))


def test_the_body_is_each_heading_then_its_blocks_without_generated_sections() -> None:
    brief = small_brief()
    assert brief.sections[0].body() == [
        brief.sections[0].header(), para("short"),
        brief.section("background").header(), para("before")]
    assert brief.sections[1].body() == []
    assert brief.body() == [*brief.sections[0].body(), brief.sections[2].header(),
                            para("end"), para("more")]


def test_a_generated_section_keeps_the_body_of_a_written_child() -> None:
    brief = small_brief()
    written = Section("note", "Note", 2, [blocks.Str("Note")], [para("aside")], line=7)
    brief.sections[1].children.append(written)
    assert brief.sections[1].body() == [written.header(), para("aside")]


def test_the_outline_lists_the_recommendations_under_their_section() -> None:
    assert small_brief().outline() == [
        OutlineEntry("section", 1, "summary", "Summary"),
        OutlineEntry("section", 2, "background", "Background"),
        OutlineEntry("section", 1, "recommendations", "Recommendations"),
        OutlineEntry("area", 2, "ice", "Ice"),
        OutlineEntry("recommendation", 3, "ice-class", "ice-class"),
        OutlineEntry("recommendation", 3, "ice-data", "ice-data"),
        OutlineEntry("area", 2, "rescue", "Rescue"),
        OutlineEntry("recommendation", 3, "sar", "sar"),
        OutlineEntry("section", 1, "conclusion", "Conclusion"),
        OutlineEntry("section", 1, "about", "About the Authors")]


def test_the_source_files_are_in_the_briefs_folder() -> None:
    brief = small_brief()
    assert (brief.markdown_path, brief.recommendations_path) == (
        Path("/content/small/brief.md"), Path("/content/small/recommendations.yaml"))


@pytest.mark.parametrize(("markdown", "recommendations_text"), [
    ("# Summary\n\nChanged.\n", "areas: []\n"), ("# Summary\n", "areas: [] # changed\n"),
    ("# Summary\nareas: []", "\n"),  # text moved from one file to the other
])
def test_the_revision_changes_with_either_file(markdown: str, recommendations_text: str) -> None:
    base = small_brief().revision
    assert len(base) == 16 and int(base, 16) >= 0
    assert small_brief().revision == base
    assert small_brief(markdown, recommendations_text).revision != base
