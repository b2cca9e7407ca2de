"""Turn a Brief into HTML fragments (headings, section bodies, recommendations, bios) for templates.

The print and web templates lay out the same fragments. One pandoc run writes them
all: every part of the brief (a section's heading ``h:ID``, its own blocks ``b:ID``, and
the Markdown from YAML: ``rec:ID``, ``intro``, ``bio:N``) goes into one document, each in
a Div of its own, so that footnotes are numbered across the whole brief; lxml then reads
each Div's content back out, and the endnotes pandoc writes after them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from html import escape
from types import MappingProxyType
from typing import Any, Literal
from urllib.parse import unquote

from lxml import html as lxml_html
from msgspec import Struct, field

from briefpress import pandoc
from briefpress.errors import BriefError, Problem
from briefpress.model import blocks, xref
from briefpress.model.brief import Author, Brief, Section

PART = "briefpress-part"
"""The attribute of the Divs that hold the parts (pandoc writes it ``data-briefpress-part``).
Only the Divs the document is built of are read as parts: an author's Div with the same
attribute stands inside one of them, so it is content like any other."""

_NONE: Mapping[str, str] = MappingProxyType({})
"""No id written otherwise than the brief has it."""

PENDING = "link-pending"
"""The class of a link whose target is not known yet, written as plain text (a span)."""


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
    bibliography_html: str = ""
    """The works cited, as the brief's citation style lists them (empty without a
    ``bibliography:``)."""


def render_fragments(brief: Brief, notes: Literal["inline", "endnotes"] = "endnotes",
                     targets: Mapping[str, str] = _NONE) -> HtmlBrief:
    """The HTML of every piece of Markdown of ``brief``, attached to what it belongs to.

    ``notes="inline"`` turns footnotes into ``<span class="footnote">`` where they
    are called (for CSS paged media's ``float: footnote``); ``"endnotes"`` keeps
    pandoc's numbered notes section. ``targets`` gives the id an edition writes for an id of
    the brief, where the two differ: an in-page link to it goes there.
    """
    pieces, notes_html = split_parts(brief, notes, targets)

    def convert(section: Section) -> HtmlSection:
        return HtmlSection(
            id=section.id, level=section.level, title=section.title,
            heading_html=pieces.get(f"h:{section.id}", ""),
            body_html=pieces.get(f"b:{section.id}", ""),
            children=[convert(child) for child in section.children],
            generated_from=section.generated_from,
        )

    areas = [
        HtmlArea(area.id, area.title, [
            HtmlRecommendation(rec.id, pieces.get(f"rec:{rec.id}", ""), rec.section,
                               _title_of(brief, rec.section))
            for rec in area.recommendations])
        for area in brief.recommendations.areas
    ]
    bios = [(author, pieces.get(f"bio:{i}", ""))
            for i, author in enumerate(brief.meta.authors) if author.bio]
    return HtmlBrief(brief=brief, sections=[convert(s) for s in brief.sections],
                     intro_html=pieces.get("intro", ""), areas=areas, bios=bios,
                     notes_html=notes_html, bibliography_html=pieces.get(REFS, ""))


def parts(brief: Brief) -> Iterator[tuple[str, list[blocks.Block]]]:
    """Every part of the brief, keyed, in reading order (the order notes are numbered in)."""
    for section in brief.walk():
        if section.generated_from is None:
            yield f"h:{section.id}", [blocks.Plain(section.heading)]
            yield f"b:{section.id}", section.blocks
    yield from brief.fragments.items()


REFS = "refs"
"""The part that holds the bibliography (pandoc's citeproc fills the Div of id ``refs``)."""


def _all_parts(brief: Brief) -> Iterator[tuple[str, list[blocks.Block]]]:
    """Every part, and with a bibliography the place citeproc lists the works cited in."""
    yield from parts(brief)
    if brief.citations is not None:
        yield REFS, [blocks.Div((blocks.attr(REFS), []))]


def cites_nothing(listed: list[blocks.Block]) -> bool:
    """Whether citeproc's list of the works cited (the blocks its Div of id ``refs`` is in,
    :data:`REFS`) lists none: the brief cites nothing."""
    return not any(not isinstance(node, blocks.Div) for node in blocks.walk(listed))


def parts_document(brief: Brief, notes: Literal["inline", "endnotes"],
                   targets: Mapping[str, str] = _NONE) -> blocks.Document:
    """One document of every part, each in a Div of its own, its citations rendered; pending
    links as spans, with ``notes="inline"`` each note (a note style's citations too) as a
    span where it is called, and an in-page link to an id of ``targets`` to the id given
    there."""
    def retarget(node: blocks.Node) -> str | None:
        if isinstance(node, blocks.Link) and node.url.startswith("#"):
            return targets.get(unquote(node.url[1:]))
        return None

    def replace(node: blocks.Node) -> blocks.Node | None:
        if (ident := retarget(node)) is not None:
            link: blocks.Link = node  # type: ignore[assignment]
            return blocks.Link((link.attr, blocks.rewrite(link.content, replace),
                                (f"#{ident}", link.title)))
        if isinstance(node, blocks.Link) and not node.url:
            # a link whose target is not known yet is plain text to a reader: a span
            ident, classes, pairs = node.attr
            return blocks.Span((blocks.attr(ident, [*classes, PENDING], pairs),
                                blocks.rewrite(node.content, replace)))
        if isinstance(node, blocks.Note) and notes == "inline":
            # CSS paged media sets a footnote where its call stands: <span class="footnote">
            inlines: list[blocks.Inline] = []
            for index, block in enumerate(node.content):
                if index:
                    inlines.append(blocks.Space())
                if isinstance(block, blocks.Plain):  # Para too
                    inlines.extend(block.content)
            return blocks.Span((blocks.attr(classes=["footnote"]),
                                blocks.rewrite(inlines, replace)))
        return None

    wrapped: list[blocks.Block] = [blocks.Div((blocks.attr(pairs=[(PART, key)]), content))
                                   for key, content in _all_parts(brief)]
    if brief.citations is not None:
        wrapped = pandoc.citeproc(blocks.document(wrapped, brief.api_version),
                                  brief.citations.bibliography, brief.citations.csl,
                                  str(brief.markdown_path)).blocks
        # nothing cited: no works-cited part, so no edition shows an empty "Sources"
        wrapped = [part for part in wrapped
                   if not (isinstance(part, blocks.Div) and dict(part.attr[2]).get(PART) == REFS
                           and cites_nothing(part.content))]

    def changes(node: blocks.Node) -> bool:
        return (isinstance(node, blocks.Link) and not node.url) or (
            notes == "inline" and isinstance(node, blocks.Note)) or retarget(node) is not None

    # a copy only of the parts that change: rewriting copies every element below a part
    return blocks.document([blocks.rewrite(part, replace)
                            if any(changes(node) for node in blocks.walk(part)) else part
                            for part in wrapped], brief.api_version)


def split_parts(brief: Brief, notes: Literal["inline", "endnotes"],
                targets: Mapping[str, str] = _NONE) -> tuple[dict[str, str], str]:
    """The HTML of each part (by key) and pandoc's endnotes section (empty if none); captions
    numbered and cross-references linked from the model (``model/xref.py``), as in the Word
    file."""
    document = parts_document(xref.resolve(brief), notes, targets)
    written = pandoc.convert(document, "html5", ["--wrap=none"], str(brief.markdown_path))
    root = lxml_html.fragment_fromstring(written or "<div></div>", create_parent="div")
    if not brief.meta.in_english():
        _mark_english(root)
    # the parts the document holds (no works cited when nothing is cited), in order
    keys = iter([dict(part.attr[2]).get(PART) for part in document.blocks
                 if isinstance(part, blocks.Div)])
    pieces: dict[str, str] = {}
    notes_html = ""
    last = None
    for element in root:
        key = element.get(f"data-{PART}") if isinstance(element.tag, str) else None
        if key is not None and key == next(keys, None):
            inner = _unwrapped_paragraph(element) if key.startswith("rec:") else element
            pieces[key] = inner_html(inner).strip()
        elif element.tag == "section" and element.get("id") == "footnotes":
            for link in element.xpath('.//a[@role="doc-backlink"]'):
                # the link is an arrow glyph alone: a screen reader would read out its name
                link.set("aria-label", "Back to text")
            notes_html = lxml_html.tostring(element, encoding="unicode", with_tail=False)
        else:  # a raw </div> ended a part early, or a raw <div> left open took in the next
            raise BriefError(_unbalanced(brief, last))
        if (element.tail or "").strip():
            raise BriefError(_unbalanced(brief, key))
        last = key
    missing = next(keys, None)
    if missing is not None or (root.text or "").strip():
        raise BriefError(_unbalanced(brief, last))
    return pieces, notes_html


def _mark_english(root: Any) -> None:
    """``lang="en"`` on the words briefpress writes inside the text of a brief of another
    language, the smallest element around each: a caption's number ("Figure 1:"), a
    reference to a figure or a table ("Table 2"; one to a section reads its title, the
    brief's words), a note's link back (its name, "Back to text"). A screen reader then
    reads them in English, as it reads the page's other English words (WCAG 2.1, 3.1.2)."""
    for label in root.find_class(xref.LABEL_CLASS):
        label.set("lang", "en")
    for link in root.find_class(xref.XREF_CLASS):
        if link.get("data-xref", "").startswith(("fig-", "tbl-")):
            link.set("lang", "en")
    for link in root.xpath('.//a[@role="doc-backlink"]'):
        link.set("lang", "en")


def inner_html(element: Any) -> str:
    """The markup of what ``element`` holds (its text and children), not of itself."""
    return escape(element.text or "", quote=False) + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in element)


def _unwrapped_paragraph(element: Any) -> Any:
    """A recommendation is one paragraph: its <p>, so templates can wrap it as they like."""
    children = [child for child in element if isinstance(child.tag, str)]  # no comments
    if (len(children) == 1 and children[0].tag == "p" and not children[0].attrib
            and not (element.text or "").strip() and not (children[0].tail or "").strip()):
        return children[0]
    return element


def _unbalanced(brief: Brief, key: str | None) -> Problem:
    """The part (``key``) whose raw HTML broke the parts apart, as a problem to mend."""
    section = brief.section(key.split(":", 1)[1]) if key and key[:2] in ("h:", "b:") else None
    where = f"section {section.title!r}" if section else f"the YAML text {key!r}"
    return Problem(brief.markdown_path, section.line if section else None,
                   f"raw HTML in {where} closes an element it did not open, or leaves one "
                   "open", "balance the HTML tags there (or write it in Markdown)")


def _title_of(brief: Brief, section_id: str) -> str:
    """How a cross-reference names a section: its title without the author's own numbering
    ("1) Economic Security" reads "Economic Security"), followed by its parent's when
    another section's title reads the same once unnumbered."""
    section = brief.section(section_id)
    if section is None:
        return section_id
    title = unnumbered(section.title)
    parents = {child.id: parent for parent in brief.walk() for child in parent.children}
    if any(unnumbered(other.title) == title for other in brief.walk()
           if other.id != section.id) and section.id in parents:
        return f"{title} ({unnumbered(parents[section.id].title)})"
    return title


_NUMBERING = re.compile(r"^\s*\(?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,5})[.)]\s+")
"""An author's own numbering at the start of a heading: "1) ", "2. ", "(a) ", "iv) ", "B. "."""


def unnumbered(title: str) -> str:
    """A heading's text without the numbering its author typed before it."""
    return _NUMBERING.sub("", title, count=1) or title

