"""Turn a Brief into the pandoc document of its Word edition, unit by unit.

A *unit* is one piece of the Word file that comes from one place in the source:
the title (front matter), a heading or a block of brief.md, the
recommendations' intro, an area title or a recommendation (recommendations.yaml),
an author's bio (front matter), or generated text with no source at all. The
renderer concatenates the units' blocks; the importer compares an edited file
with the units of the revision it was made from, so both must see exactly the
same units — which is why they are made here, once.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Literal
from urllib.parse import urljoin

import msgspec
from msgspec import Struct

from briefpress import pandoc
from briefpress.errors import BriefError, Problem
from briefpress.model import blocks, xref
from briefpress.model.brief import Brief, Section
from briefpress.read.citations import is_citation
from briefpress.render import design
from briefpress.render import docx_styles as styles
from briefpress.render.docx_raster import HEIGHT_IN, SvgFigure, logo_png
from briefpress.render.htmlparts import cites_nothing
from briefpress.support.sandbox import Sandbox
from briefpress.support.svg import UnsafeSvg, clean_svg

UnitKind = Literal["meta", "heading", "block", "intro", "area", "rec", "bio", "generated"]

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""An image larger than this is not embedded (the Word file would be unusable)."""


class Unit(Struct):
    """One piece of the Word edition and where in the source it comes from."""

    key: str
    """Unique in the brief: ``meta:title``, ``heading:<id>``, ``block:<id>:<n>``, ``rec:<id>``…"""
    kind: UnitKind
    style: str
    """The paragraph style class the importer expects: a style name, ``heading`` or ``body``."""
    blocks: list[blocks.Block]
    section: str | None
    """Id of the section the unit stands in (for reports), None before the first one."""
    ident: str | None = None
    """The stable id the unit carries in the file (sections, areas, recommendations)."""
    level: int = 0
    """Heading level, for headings."""
    area: str = ""
    """For a recommendation: the id of its area."""


def brief_units(brief: Brief) -> list[Unit]:
    """Every unit of the Word edition of ``brief``, in reading order, its captions numbered and
    its cross-references linked (``model/xref.py``): the importer compares an edited file
    with these, so an untouched "Figure 1" is no change."""
    brief = xref.resolve(brief)
    meta = brief.meta
    units: list[Unit] = []
    if brief.brand is not None:
        units.append(_lockup(brief))
    label = brief.doctype.label if brief.doctype else ""
    if label:
        units.append(_styled("generated:doctype", "generated", styles.DOCUMENT_TYPE,
                             _plain(label), None))
    units.append(_styled("meta:title", "meta", "Title", _plain(meta.title), None))
    if meta.subtitle:
        units.append(_styled("meta:subtitle", "meta", "Subtitle", _plain(meta.subtitle), None))
    date = meta.date_display()  # the web page's words: "November 2026", "June 12, 2025"
    for index, author in enumerate(meta.authors):
        units.append(_styled(f"meta:author:{index}", "meta", "Author", _plain(author.name),
                             None))
        # under the name, as on the PDF's cover; but not the program's own words right above
        # its line (the last author's, with no date or series between): the same line twice
        if author.affiliation and not (index == len(meta.authors) - 1 and not date
                                       and not meta.series and author.affiliation == meta.program):
            units.append(_styled(f"generated:affiliation:{index}", "generated",
                                 styles.AFFILIATION, _plain(author.affiliation), None))
    if date:
        units.append(_styled("generated:date", "generated", styles.PUBLICATION_DATE,
                             _plain(date), None))
    if meta.series:  # before the program, whose space after ends the title block
        units.append(_styled("meta:series", "meta", styles.SERIES, _plain(meta.series), None))
    if meta.program:
        units.append(_styled("meta:program", "meta", styles.PROGRAM, _plain(meta.program),
                             None))
    for section in brief.sections:
        units.extend(_section_units(brief, section))
    if brief.citations is not None:
        units = _cited(brief, units)
    units.extend(_colophon(brief))
    return units


def _cited(brief: Brief, units: list[Unit]) -> list[Unit]:
    """The units with their citations rendered by citeproc (one pandoc run for the whole
    brief, so notes and "Ibid." follow the reading order), and the works cited after them.

    Both the Word file and the importer's base come from here, so a file the editor left
    alone reads back as the units it was made from, citations and all."""
    assert brief.citations is not None
    wrapped: list[blocks.Block] = [blocks.Div((blocks.attr(pairs=[(_UNIT, str(index))]),
                                               unit.blocks))
                                   for index, unit in enumerate(units)]
    title = blocks.Para([blocks.Strong(blocks.plain_inlines("Sources"))])
    refs = blocks.Div((blocks.attr("refs"), []))
    wrapped.append(blocks.Div((blocks.attr(pairs=[(_UNIT, "refs")]), [refs])))
    done = pandoc.citeproc(blocks.document(wrapped, brief.api_version),
                           brief.citations.bibliography, brief.citations.csl,
                           str(brief.markdown_path)).blocks
    rendered = {div.attr[2][0][1]: div.content for div in done
                if isinstance(div, blocks.Div) and div.attr[2] and div.attr[2][0][0] == _UNIT}
    cited = [msgspec.structs.replace(unit, blocks=rendered.get(str(index), unit.blocks))
             for index, unit in enumerate(units)]
    cited = _mark_citations(cited)
    listed = rendered.get("refs", [])
    if not cites_nothing(listed):  # nothing cited: no "Sources" heading over nothing
        cited.append(_styled("generated:bibliography", "generated", styles.BIBLIOGRAPHY,
                             [title, *listed], None))
    return cited


_UNIT = "briefpress-unit"
"""The attribute that carries a unit's index through pandoc's citeproc."""


def _mark_citations(units: list[Unit]) -> list[Unit]:
    """The units with every rendered citation marked by a bookmark named by its number in
    reading order (:data:`styles.CITATION_MARK`): pandoc writes a ``Span`` with an id as a
    bookmark around the Span's text, which a reader never sees.

    In a note style the bookmark spans the first paragraph of the citation's footnote, in
    the footnote itself: it travels with the note however the editor adds, deletes or moves
    other notes, and a bookmark around the note's reference in the body would not hold
    (saving, LibreOffice ends it a character early when a footnote stands before it in the
    paragraph, and bookmarks after it too). In an in-text style it spans the phrase, which
    the importer reads up to the bookmark's end (:mod:`briefpress.importer.citations`)."""
    number = 0

    def mark(node: blocks.Node) -> blocks.Node | None:
        nonlocal number
        if not (isinstance(node, blocks.Cite)
                and any(is_citation(c.citation_id) for c in node.citations)):
            return None
        ident = f"{styles.CITATION_MARK}{number}"
        number += 1
        if any(isinstance(n, blocks.Note) for n in node.content):
            content = [_mark_note(n, ident) if isinstance(n, blocks.Note) else n
                       for n in node.content]
        elif node.content:
            content = [blocks.Span((blocks.attr(ident), node.content))]
        else:
            return node
        return blocks.Cite((node.citations, content))

    return [msgspec.structs.replace(unit, blocks=blocks.rewrite(unit.blocks, mark))
            for unit in units]


def _mark_note(note: blocks.Note, ident: str) -> blocks.Note:
    """A citation's footnote with its first paragraph's words in the bookmark ``ident``."""
    first, *rest = note.content or [blocks.Para([])]
    if isinstance(first, blocks.Plain):  # Para too
        first = type(first)([blocks.Span((blocks.attr(ident), first.content))])
    return blocks.Note([first, *rest])


def brief_document(brief: Brief, units: list[Unit] | None = None,
                   figures: dict[str, SvgFigure] | None = None) -> blocks.Document:
    """The pandoc document of the Word edition: the units' blocks, links and images made
    ready, and the brief's language; ``figures`` is given where each SVG image is written
    (:func:`prepare`)."""
    body: list[blocks.Block] = []
    for unit in units if units is not None else brief_units(brief):
        body.extend(unit.blocks)
    sandbox = Sandbox([brief.folder], brief.markdown_path, brief.markdown)
    return blocks.Document(list(brief.api_version),
                           {"lang": blocks.MetaString(brief.meta.lang)},
                           prepare(body, sandbox, figures))


def prepare(body: list[blocks.Block], sandbox: Sandbox | None,
            figures: dict[str, SvgFigure] | None = None) -> list[blocks.Block]:
    """Links without a target become marked phrases; images are embedded as data URIs; raw
    blocks and inlines are left out. Each SVG image, cleaned, is entered in ``figures`` by
    the SHA-256 of its bytes with where brief.md refers to it: the Word file's PNG of it is
    made once pandoc has sized it (:mod:`.docx_raster`), and its errors name that line.

    pandoc runs sandboxed and reads no file but its input, so an image travels in
    the document itself, loaded through ``sandbox`` like the other editions' images: a
    remote, outside, missing or oversized one stops the build. A link with no URL
    stays a phrase in its own character style instead of a hyperlink to nowhere
    (LibreOffice would drop it on saving). ``check`` refuses every raw format but HTML, which
    the Word writer ignores; raw OpenXML would be copied into the file as it is, live fields
    (``INCLUDETEXT``, ``INCLUDEPICTURE``) and all, so none reaches pandoc even if a brief
    that was never checked is rendered.
    """
    def replace(node: blocks.Node) -> blocks.Node | list[blocks.Node] | None:
        if isinstance(node, (blocks.RawBlock, blocks.RawInline)):
            return []
        if isinstance(node, blocks.Link) and not node.url.strip():
            return blocks.Span((blocks.attr(pairs=[("custom-style",
                                                    styles.LINK_WITHOUT_TARGET)]),
                                blocks.rewrite(node.content, replace)))
        if isinstance(node, blocks.Image) and sandbox is not None:
            return blocks.Image((node.attr, blocks.rewrite(node.content, replace),
                                 (_embed(node.url, sandbox, figures), node.title)))
        return None

    # a rewritten copy of the few blocks that need it; the others are the model's own
    prepared: list[blocks.Block] = []
    for block in body:
        if _needs_preparing(block):
            prepared.extend(blocks.rewrite([block], replace))  # a raw block leaves nothing
        else:
            prepared.append(block)
    return prepared


def _needs_preparing(block: blocks.Block) -> bool:
    """Whether :func:`prepare` changes anything in ``block`` (an image, a link without a
    target). A loop of its own that skips words and spaces, most of a brief's elements: the
    document of the real brief is ready in 6 ms, against 16-28 ms rewriting every block."""
    stack: list[object] = [block]
    while stack:
        current = stack.pop()
        if isinstance(current, blocks.Node):
            if isinstance(current, _WORDS):
                continue
            if isinstance(current, blocks.Image | blocks.RawBlock | blocks.RawInline) or \
                    (isinstance(current, blocks.Link) and not current.url.strip()):
                return True
            current = getattr(current, "c", None)
        if isinstance(current, list | tuple):
            stack.extend(current)
    return False


_WORDS = blocks.Str | blocks.Space | blocks.SoftBreak | blocks.LineBreak


def _plain(text: str) -> list[blocks.Block]:
    return [blocks.Para(blocks.plain_inlines(text))]


def _styled(key: str, kind: UnitKind, style: str, content: list[blocks.Block],
            section: str | None, ident: str | None = None) -> Unit:
    div = blocks.Div((blocks.attr(ident or "", pairs=[("custom-style", style)]), content))
    return Unit(key, kind, style, [div], section, ident)


def _section_units(brief: Brief, section: Section) -> list[Unit]:
    header = blocks.Header((section.level, blocks.attr(section.id),
                            section.heading or blocks.plain_inlines(section.title)))
    units = [Unit(f"heading:{section.id}", "heading", "heading", [header], section.id,
                  section.id, section.level)]
    if section.generated_from == "recommendations":
        units.extend(_recommendation_units(brief, section))
    elif section.generated_from == "authors":
        for index, author in enumerate(brief.meta.authors):
            if author.bio:
                bio = brief.fragments.get(f"bio:{index}") or _plain(author.bio)
                units.append(_styled(f"bio:{index}", "bio", styles.AUTHOR_BIO, bio,
                                     section.id))
    else:
        for index, block in enumerate(section.blocks):
            units.append(Unit(f"block:{section.id}:{index}", "block", "body", [block],
                              section.id))
    for child in section.children:
        units.extend(_section_units(brief, child))
    return units


def _recommendation_units(brief: Brief, section: Section) -> list[Unit]:
    units = []
    if brief.recommendations.intro:
        intro = brief.fragments.get("intro") or _plain(brief.recommendations.intro)
        units.append(Unit("intro", "intro", "body", intro, section.id))
    for area in brief.recommendations.areas:
        units.append(_styled(f"area:{area.id}", "area", styles.RECOMMENDATION_AREA,
                             _plain(area.title), section.id, area.id))
        for rec in area.recommendations:
            text = brief.fragments.get(f"rec:{rec.id}") or _plain(rec.text)
            if len(text) > 1:
                # its later paragraphs in a style of their own, which tells the import
                # where a recommendation ends (pandoc gives a nested custom-style Div's
                # paragraphs the inner style; the bookmark still spans the whole)
                text = [text[0], blocks.Div((blocks.attr(pairs=[
                    ("custom-style", styles.RECOMMENDATION_CONTINUED)]), text[1:]))]
            units.append(_styled(f"rec:{rec.id}", "rec", styles.RECOMMENDATION, text,
                                 section.id, rec.id))
            units[-1].area = area.id
    return units


def _lockup(brief: Brief) -> Unit:
    """The brand's logo and wordmark above the title: generated (the import leaves it be),
    in the document type's style; the logo's alternative text is "<the brand's name> logo"."""
    assert brief.brand is not None
    inlines: list[blocks.Inline] = []
    if brief.brand.logo_svg:
        # a PNG, which every reader shows (an SVG alone: LibreOffice shows nothing, drops
        # the picture on saving, and the untouched lockup no longer reads as generated)
        png = logo_png(brief.brand.logo_svg, brief.brand.logo_file or "the brand's logo")
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        alt = blocks.plain_inlines(f"{brief.brand.title} logo")
        inlines += [blocks.Image((blocks.attr(pairs=[("height", f"{HEIGHT_IN}in")]), alt,
                                  (uri, ""))), blocks.Space()]
    inlines += blocks.plain_inlines(design.wordmark(brief.meta, brief.brand))
    return _styled("generated:brand", "generated", styles.DOCUMENT_TYPE,
                   [blocks.Para(inlines)], None)


def _colophon(brief: Brief) -> list[Unit]:
    publisher = brief.meta.publisher
    lines = [publisher.name, *publisher.address]
    content: list[blocks.Block] = [blocks.Para(blocks.plain_inlines(line)) for line in lines]
    if publisher.url:
        content.append(blocks.Para([blocks.Link((blocks.attr(), blocks.plain_inlines(publisher.url),
                                                 (publisher.url, "")))]))
    return [_styled("generated:colophon", "generated", styles.COLOPHON, content, None)]


def _embed(src: str, sandbox: Sandbox, figures: dict[str, SvgFigure] | None = None) -> str:
    """An image of the brief (a file in its folder, or a small data: URL) as a data URI; an
    SVG one cleaned, and entered in ``figures``."""
    resource = sandbox.open(urljoin(sandbox.roots[0].as_uri() + "/", src))
    if not resource.media_type.startswith("image/"):
        raise BriefError(Problem(sandbox.source, sandbox.line_of(src[:60]),
                                 f"image {src[:60]!r} is not an image file "
                                 f"({resource.media_type})",
                                 "refer to a PNG, JPEG, GIF, WebP or SVG file"))
    if len(resource.data) > MAX_IMAGE_BYTES:
        raise sandbox.refuse(resource.url, f"is larger than {MAX_IMAGE_BYTES // 2**20} MB, "
                             "too large for the Word edition", "reduce the image")
    data = resource.data
    if resource.media_type.lower() == "image/svg+xml":
        try:
            data = clean_svg(data)
        except UnsafeSvg as exc:
            raise BriefError(Problem(sandbox.source, sandbox.line_of(src[:60]),
                                     f"image {src[:60]!r} cannot be read as an SVG: {exc}",
                                     "export the picture again as SVG, or as PNG")) from None
        if figures is not None:
            figures.setdefault(hashlib.sha256(data).hexdigest(), SvgFigure(
                src[:60], sandbox.source, sandbox.line_of(src[:60])))
    return f"data:{resource.media_type};base64,{base64.b64encode(data).decode('ascii')}"
