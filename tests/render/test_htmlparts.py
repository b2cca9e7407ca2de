"""render/htmlparts.py: the brief's parts as HTML fragments (headings, bodies, recommendations,
bios, notes, works cited) and how a recommendation names its section."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import html as lxml_html

from briefpress.errors import BriefError
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.read.brief import read_brief
from briefpress.render import htmlparts
from conftest import WATER, edit

# -- the parts -----------------------------------------------------------------------------


def test_parts_are_every_written_section_then_the_yaml_texts_in_reading_order(
        arctic_brief: Brief) -> None:
    parts = list(htmlparts.parts(arctic_brief))
    written = [s.id for s in arctic_brief.walk() if s.generated_from is None]
    assert "policy-recommendations" not in written  # generated from recommendations.yaml
    assert [key for key, _ in parts] == [
        *(f"{kind}:{ident}" for ident in written for kind in "hb"), "bio:0", "bio:1", "intro",
        "rec:common-ice-class", "rec:mandatory-reporting", "rec:joint-sar-planning",
        "rec:shared-loss-data"]
    heading = dict(parts)["h:traffic"]
    assert heading == [blocks.Plain(arctic_brief.section("traffic").heading)]


def test_a_brief_with_a_bibliography_gets_the_works_cited_part() -> None:
    brief = read_brief(WATER)
    document = htmlparts.parts_document(brief, "endnotes")
    keys = [dict(div.attr[2]).get(htmlparts.PART) for div in document.blocks]
    assert keys[-1] == htmlparts.REFS
    fragments = htmlparts.render_fragments(brief)
    entries = lxml_html.fragment_fromstring(fragments.bibliography_html,
                                            create_parent="div").xpath(
        '//div[@role="listitem"]/@id')
    assert entries and all(ident.startswith("ref-") for ident in entries)
    assert "[@" not in "".join(s.body_html for s in fragments.sections)  # citations rendered


def test_a_bibliography_nothing_cites_gives_no_works_cited_part(scratch) -> None:
    """The last citation removed: no edition shows a "Sources" heading over nothing."""
    folder = scratch(WATER)
    edit(folder / "brief.md", " less often [@mccaffrey2019, 110].", " less often.")
    brief = read_brief(folder)
    assert brief.citations is not None  # the brief still names its bibliography
    pieces, _ = htmlparts.split_parts(brief, "endnotes")
    assert htmlparts.REFS not in pieces
    assert htmlparts.render_fragments(brief).bibliography_html == ""


def test_without_a_bibliography_there_is_no_works_cited_part(arctic_brief: Brief) -> None:
    pieces, _ = htmlparts.split_parts(arctic_brief, "endnotes")
    assert htmlparts.REFS not in pieces
    assert htmlparts.render_fragments(arctic_brief).bibliography_html == ""


# -- notes -----------------------------------------------------------------------------------


def test_endnotes_are_numbered_across_the_brief_with_named_backlinks(
        arctic_brief: Brief) -> None:
    fragments = htmlparts.render_fragments(arctic_brief, notes="endnotes")
    notes = lxml_html.fragment_fromstring(fragments.notes_html)
    assert notes.get("id") == "footnotes"
    assert notes.xpath("//li/@id") == ["fn1", "fn2"]
    backlinks = notes.xpath('//a[@role="doc-backlink"]')
    assert [a.get("aria-label") for a in backlinks] == ["Back to text", "Back to text"]
    summary = fragments.sections[0].body_html
    assert '<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref">' in summary
    change = next(s for s in fragments.sections if s.id == "what-should-change").body_html
    assert 'href="#fn2"' in change  # the second note of the brief, in another section
    # the same parts either way; only inline notes are spans where they are called
    endnotes, _ = htmlparts.split_parts(arctic_brief, "endnotes")
    inline, no_notes = htmlparts.split_parts(arctic_brief, "inline")
    assert set(endnotes) == set(inline) and no_notes == ""
    assert not any('class="footnote"' in html for html in endnotes.values())


def test_inline_notes_are_spans_where_they_are_called(arctic_brief: Brief) -> None:
    fragments = htmlparts.render_fragments(arctic_brief, notes="inline")
    assert fragments.notes_html == ""
    summary = fragments.sections[0].body_html
    assert ("quadrupled in five years.<span class=\"footnote\">Counts of full transits "
            "reported by the route administrations; partial voyages are excluded.</span> "
            "Rules") in summary
    assert "footnote-ref" not in summary


def test_a_note_of_several_paragraphs_is_one_span(scratch: Any) -> None:
    folder = scratch()
    edit(folder / "brief.md", "[^code]: International Code",
         "[^code]: First paragraph.\n\n    Second paragraph. International Code")
    pieces, _ = htmlparts.split_parts(read_brief(folder), "inline")
    assert ('<span class="footnote">First paragraph. Second paragraph. International Code'
            in pieces["b:what-should-change"])


# -- what templates get ------------------------------------------------------------------------


def test_sections_keep_their_tree_and_generated_ones_have_no_html(
        arctic_brief: Brief) -> None:
    fragments = htmlparts.render_fragments(arctic_brief)
    assert [s.id for s in fragments.sections] == [s.id for s in arctic_brief.sections]
    generated = next(s for s in fragments.sections if s.id == "policy-recommendations")
    assert (generated.generated_from, generated.heading_html, generated.body_html) == \
        ("recommendations", "", "")
    traffic = next(s for s in fragments.sections if s.id == "traffic")
    assert traffic.heading_html == "The Traffic Is Already Here"
    assert traffic.body_html.startswith("<p>Vessel counts tell the story plainly.</p>")
    assert fragments.intro_html == ("<p>Three areas of action would make Arctic transit safer "
                                    "without closing it.</p>")


def test_a_one_paragraph_recommendation_loses_its_p_and_a_longer_one_keeps_them(
        scratch: Any) -> None:
    folder = scratch()
    edit(folder / "recommendations.yaml", '"Pool loss data so that premiums follow risk."',
         '"Pool loss data.\\n\\nThen price risk."')
    fragments = htmlparts.render_fragments(read_brief(folder))
    recs = {rec.id: rec for area in fragments.areas for rec in area.recommendations}
    assert recs["common-ice-class"].html == ("Agree on <em>common</em> ice-class requirements "
                                             "for vessels on both routes.")
    assert recs["shared-loss-data"].html == "<p>Pool loss data.</p>\n<p>Then price risk.</p>"
    assert [(a.id, a.title, [r.id for r in a.recommendations]) for a in fragments.areas] == [
        ("safety-standards", "Safety Standards", ["common-ice-class", "mandatory-reporting"]),
        ("search-and-rescue", "Search and Rescue", ["joint-sar-planning"]),
        ("insurance", "Insurance", ["shared-loss-data"])]
    assert (recs["shared-loss-data"].section_id, recs["shared-loss-data"].section_title) == \
        ("traffic", "The Traffic Is Already Here")


def test_only_authors_with_a_bio_get_one(scratch: Any) -> None:
    folder = scratch()
    edit(folder / "brief.md", "    bio: \"Tomás Okafor directs the Global Risk Initiative's "
         "work on shipping and insurance.\"\n", "")
    brief = read_brief(folder)
    bios = htmlparts.render_fragments(brief).bios
    assert [(author.name, html) for author, html in bios] == [
        ("Ana Lindqvist", "<p>Ana Lindqvist is a fellow with the Polar Institute, where she "
                          "studies maritime governance.</p>")]


def test_raw_html_in_a_yaml_text_that_breaks_the_parts_names_that_text(scratch: Any) -> None:
    folder = scratch()
    edit(folder / "recommendations.yaml", '"Plan search and rescue jointly across coastal '
         'states."', '"Plan jointly.</div>\\n\\nAfter."')
    with pytest.raises(BriefError) as caught:
        htmlparts.render_fragments(read_brief(folder))
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (folder / "brief.md", None)
    assert problem.message == ("raw HTML in the YAML text 'rec:joint-sar-planning' closes an "
                               "element it did not open, or leaves one open")
    assert problem.fix == "balance the HTML tags there (or write it in Markdown)"


def test_inner_html_is_what_an_element_holds_with_its_text_escaped() -> None:
    element = lxml_html.fragment_fromstring("<div>a &lt; b <em>c</em> d</div>")
    assert htmlparts.inner_html(element) == "a &lt; b <em>c</em> d"
    assert htmlparts.inner_html(lxml_html.fragment_fromstring("<p></p>")) == ""


# -- how a recommendation names its section ------------------------------------------------------


@pytest.mark.parametrize(("title", "plain"), [
    ("1) Economic Security & Supply Chains", "Economic Security & Supply Chains"),
    ("2. Digital & Cybersecurity", "Digital & Cybersecurity"),
    ("(a) Ports", "Ports"),
    ("iv) Insurance", "Insurance"),
    ("B. Search and Rescue", "Search and Rescue"),
    ("U.S. Policy in 2024", "U.S. Policy in 2024"),
    ("2023 in Review", "2023 in Review"),
    ("1)", "1)"),
])
def test_the_authors_numbering_is_left_out(title: str, plain: str) -> None:
    assert htmlparts.unnumbered(title) == plain


def test_two_subsections_numbered_alike_are_named_with_their_parents(scratch: Any) -> None:
    folder = scratch()
    edit(folder / "brief.md", "# What Should Change {#what-should-change}\n",
         "# What Should Change {#what-should-change}\n\n## 1) Standards {#change-standards}\n")
    edit(folder / "brief.md", "# The Traffic Is Already Here {#traffic}\n",
         "# The Traffic Is Already Here {#traffic}\n\n## 1) Standards {#traffic-standards}\n")
    edit(folder / "recommendations.yaml", "section: traffic", "section: traffic-standards")
    edit(folder / "recommendations.yaml", "section: what-should-change",
         "section: change-standards", count=3)
    fragments = htmlparts.render_fragments(read_brief(folder), notes="inline")
    titles = {rec.section_id: rec.section_title for area in fragments.areas
              for rec in area.recommendations}
    assert titles == {"traffic-standards": "Standards (The Traffic Is Already Here)",
                      "change-standards": "Standards (What Should Change)"}


def test_a_title_unique_once_unnumbered_is_named_alone(real_brief: Any) -> None:
    fragments = htmlparts.render_fragments(real_brief, notes="inline")
    titles = {rec.section_title for area in fragments.areas for rec in area.recommendations}
    assert "Economic Security & Supply Chain Resiliency" in titles
    assert not any(title[0].isdigit() for title in titles)


def test_a_recommendation_pointing_nowhere_names_its_section_id(scratch: Any) -> None:
    folder = scratch()
    edit(folder / "recommendations.yaml", "section: traffic", "section: nowhere")
    fragments = htmlparts.render_fragments(read_brief(folder))
    rec = fragments.areas[-1].recommendations[0]
    assert (rec.section_id, rec.section_title) == ("nowhere", "nowhere")


def test_an_element_raw_html_leaves_open_ends_with_its_part(scratch):
    folder = scratch()
    edit(folder / "brief.md", "Vessel counts tell the story plainly.",
         "Vessel counts <span><em>tell the story plainly.\n\n<blockquote>\n\nQuoted.")
    pieces, _ = htmlparts.split_parts(read_brief(folder), "endnotes")
    assert pieces["b:traffic"].endswith("</blockquote>")
    assert pieces["h:what-should-change"] == "What Should Change"


def test_parts_stay_apart_whatever_the_text_holds(scratch):
    folder = scratch()
    marker_like = ('<!--briefpress:h:traffic--> <div data-briefpress-part="b:traffic">'
                   "fake</div> [x]{briefpress-part=intro}")
    edit(folder / "brief.md", "Vessel counts tell the story plainly.",
         f"Vessel counts tell the story plainly. {marker_like}")
    brief = read_brief(folder)
    pieces, _ = htmlparts.split_parts(brief, "endnotes")
    assert list(pieces) == [f"{kind}:{s.id}" for s in brief.walk() if not s.generated_from
                            for kind in "hb"] + list(brief.fragments)
    traffic = pieces["b:traffic"]
    assert "Vessel counts tell the story plainly." in traffic and "fake" in traffic
    assert 'data-briefpress-part="intro"' in traffic  # the author's span, as content
    assert "fake" not in pieces["intro"]


@pytest.mark.parametrize("raw", ["</div>\n\nMore text.", "</div>\n\n<p>More</p>"])
def test_unbalanced_raw_html_that_would_merge_parts_is_refused(scratch, raw):
    folder = scratch()
    edit(folder / "brief.md", "Vessel counts tell the story plainly.",
         f"Vessel counts tell the story plainly.\n\n{raw}")
    with pytest.raises(BriefError) as caught:
        htmlparts.render_fragments(read_brief(folder))
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (folder / "brief.md", 34)
    assert "in section 'The Traffic Is Already Here' closes an element it did not open" \
        in problem.message


def test_a_link_without_target_is_plain_text_to_a_reader(scratch):
    folder = scratch()
    edit(folder / "brief.md", "Vessel counts tell the story plainly.",
         "Vessel [counts][nowhere] tell [*the* story][nowhere]{#tale .shy key=val} "
         "[plainly](<> \"a title\"), see [the code](https://example.org).\n\n[nowhere]: <>")
    html = htmlparts.split_parts(read_brief(folder), "endnotes")[0]["b:traffic"]
    assert ('Vessel <span class="link-pending">counts</span> tell <span id="tale" '
            'class="shy link-pending" data-key="val"><em>the</em> story</span> <span '
            'class="link-pending">plainly</span>, see <a href="https://example.org">the code</a>'
            in html)
