"""In-page links: a link to an id the brief lacks is a located error with a fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefpress.check.anchors import EDITIONS, FROM_HTML, TEMPLATE_OF, check_anchors
from briefpress.read.brief import read_brief
from briefpress.support.paths import TEMPLATES
from conftest import ARCTIC, REAL, WATER, edit


def test_the_editions_checked_are_those_the_registry_names() -> None:
    """Each format with ``anchors`` is checked under that name (the print PDF, the PDF's
    document, is not); those laid out from HTML by the page template among their inputs."""
    assert EDITIONS == {"pdf": "the PDF", "docx": "the Word file", "html": "the web page"}
    assert TEMPLATE_OF == {"pdf": "print.html.j2", "html": "web.html.j2"}
    assert frozenset({"pdf", "html"}) == FROM_HTML
    assert all((TEMPLATES / name).is_file() for name in TEMPLATE_OF.values())


def test_the_fixture_briefs_link_only_to_what_they_have() -> None:
    for folder in (ARCTIC, WATER, REAL):
        assert check_anchors(read_brief(folder)) == []


def test_every_id_every_edition_carries_is_a_target(scratch: Callable[..., Path]) -> None:
    """Sections (a generated one too), figures, spans and divs."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\n[A marked phrase]{#marked}. See [the traffic](#traffic), "
         "[the figure](#fig-transits), [the authors](#about-the-author),\n"
         "[the phrase](#marked).\n\n::: {#boxed}\nA div.\n:::\n\nAnd [the box](#boxed).\n")
    assert check_anchors(read_brief(folder)) == []


def test_areas_and_recommendations_are_targets_in_every_edition(
        scratch: Callable[..., Path]) -> None:
    """The PDF writes them ``area:<id>`` and ``recommendation:<id>`` and points a link to the
    bare id there (tests/render/test_pdf.py checks where it lands)."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\nSee [the area](#insurance) and [the advice]"
         "(#common-ice-class).\n")
    assert check_anchors(read_brief(folder)) == []


def test_ids_pandoc_and_the_templates_make_are_targets(scratch: Callable[..., Path]) -> None:
    """citeproc's list of works (every edition) is a target; raw HTML's ids (not in the Word
    file), the notes' and the web template's ids (only the web page) are warnings naming
    where the link goes nowhere; numbers past the brief's notes and works it does not cite
    are no ids at all."""
    folder = scratch(WATER)
    edit(folder / "brief.md", "Where any of the three was missing,",
         "See [refs](#refs), [entry](#ref-mccaffrey2019), [raw](#rawanchor) "
         '<a id="rawanchor"></a>,\n[the note](#fn1), [back](#fnref3) and '
         "[notes](#bp-notes-title).\n\n[not cited](#ref-wolf2017) [no note](#fn4)\n\n"
         "Where any of the three was missing,")
    found = [(p.severity, p.line, p.message.split(", which")[0],
              p.message.partition(": in ")[2]) for p in check_anchors(read_brief(folder))]
    assert found == [
        ("warning", 57, "link 'raw' goes to '#rawanchor'", "the Word file it goes nowhere"),
        ("warning", 58, "link 'the note' goes to '#fn1'",
         "the PDF and the Word file it goes nowhere"),
        ("warning", 58, "link 'back' goes to '#fnref3'",
         "the PDF and the Word file it goes nowhere"),
        ("warning", 58, "link 'notes' goes to '#bp-notes-title'",
         "the PDF and the Word file it goes nowhere"),
        ("error", 60, "link 'not cited' goes to '#ref-wolf2017'", ""),
        ("error", 60, "link 'no note' goes to '#fn4'", "")]


def test_a_reference_style_link_is_found_at_its_definition(
        scratch: Callable[..., Path]) -> None:
    """``[x][label]`` with ``[label]: #id``: the definition's line, not the first line with
    the phrase (here the title in the front matter); a link with no phrase at its
    definition too."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\nSee [Arctic][gone] and [][empty].\n\n"
         "[gone]: #nowhere\n[empty]: <#void>\n")
    found = check_anchors(read_brief(folder))
    assert [(p.line, p.message.split(",")[0]) for p in found] == [
        (60, "link 'Arctic' goes to '#nowhere'"), (61, "link '' goes to '#void'")]


def test_a_link_to_no_such_id_is_an_error_at_its_line(scratch: Callable[..., Path]) -> None:
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\nSee [the traffic](#trafic) and [this](#no-such-section)"
         ".\n")
    found = [str(p) for p in check_anchors(read_brief(folder))]
    md = folder / "brief.md"
    assert found == [
        f"{md}:58: error: link 'the traffic' goes to '#trafic', which is no id of this brief "
        "(fix: write `(#traffic)`, or write the text without a link)",
        f"{md}:58: error: link 'this' goes to '#no-such-section', which is no id of this brief "
        "(fix: link to an id the brief has (#executive-summary, #policy-recommendations, "
        "#introduction, #traffic, #what-should-change…), or write the text without a link)"]
