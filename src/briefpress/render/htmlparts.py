"""Turn a Brief into HTML fragments (headings, section bodies, recommendations, bios) for templates.

The print and web templates lay out the same fragments. The reader's one pandoc run
already rendered every part to HTML (``lua/brief.lua``) in the variant the renderer
asked for; here it is cut at the marker comments and attached to the sections,
recommendations and bios.
"""

from __future__ import annotations

import re
from typing import Literal

from msgspec import Struct, field

from briefpress import pandoc
from briefpress.model.brief import Author, Brief, Section

_MARK_RE = re.compile(r"<!--briefpress:([^>]*)-->\n?")


class HtmlSection(Struct):
    """A section ready for a template: its heading and own body as HTML, its subsections."""

    id: str
    level: int
    title: str
    heading_html: str
    body_html: str
    children: list[HtmlSection] = field(default_factory=list)
    generated_from: str | None = None


class HtmlRecommendation(Struct):
    id: str
    html: str
    section_id: str
    section_title: str


class HtmlArea(Struct):
    id: str
    title: str
    recommendations: list[HtmlRecommendation]


class HtmlBrief(Struct):
    """Everything a template needs besides the Brief's metadata."""

    brief: Brief
    sections: list[HtmlSection]
    intro_html: str
    areas: list[HtmlArea]
    bios: list[tuple[Author, str]]
    notes_html: str
    """The endnotes (web edition); empty when notes are set inline as page footnotes."""


def render_fragments(brief: Brief, notes: Literal["inline", "endnotes"] = "endnotes"
                     ) -> HtmlBrief:
    """The HTML of every piece of Markdown of ``brief``, attached to what it belongs to.

    ``notes="inline"`` turns footnotes into ``<span class="footnote">`` where they
    are called (for CSS paged media's ``float: footnote``); ``"endnotes"`` keeps
    pandoc's numbered notes section.
    """
    if notes not in brief.html:  # read without this variant: render it now
        job = pandoc.start_parse(brief.pandoc_input, str(brief.markdown_path), (notes,))
        brief.html[notes] = job.result().html[notes]
    pieces = _split(brief.html[notes])
    notes_html = pieces.pop("__after__", "").strip()

    def convert(section: Section) -> HtmlSection:
        return HtmlSection(
            id=section.id, level=section.level, title=section.title,
            heading_html=pieces.get(f"h:{section.id}", "").strip(),
            body_html=pieces.get(f"b:{section.id}", "").strip(),
            children=[convert(child) for child in section.children],
            generated_from=section.generated_from,
        )

    areas = [
        HtmlArea(area.id, area.title, [
            HtmlRecommendation(rec.id, _unwrap_paragraph(pieces.get(f"rec:{rec.id}", "")),
                               rec.section, _title_of(brief, rec.section))
            for rec in area.recommendations])
        for area in brief.recommendations.areas
    ]
    bios = [(author, pieces.get(f"bio:{i}", "").strip())
            for i, author in enumerate(brief.meta.authors) if author.bio]
    return HtmlBrief(brief=brief, sections=[convert(s) for s in brief.sections],
                     intro_html=pieces.get("intro", "").strip(), areas=areas, bios=bios,
                     notes_html=notes_html)


def _split(html: str) -> dict[str, str]:
    pieces: dict[str, str] = {}
    matches = list(_MARK_RE.finditer(html))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(html)
        pieces[match.group(1)] = html[match.end():end]
    pieces["__after__"] = pieces.pop("end", "")
    return pieces


def _unwrap_paragraph(html: str) -> str:
    """A recommendation is one paragraph: drop its <p> so templates can wrap it as they like."""
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def _title_of(brief: Brief, section_id: str) -> str:
    section = brief.section(section_id)
    return section.title if section else section_id

