"""Turn a Brief into the pandoc AST of its Word edition, unit by unit.

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
import json
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import urljoin

from msgspec import Struct, field

from briefpress import pandoc
from briefpress.errors import BriefError, Problem
from briefpress.model.brief import Brief, Section
from briefpress.render import docx_styles as styles
from briefpress.support.sandbox import Sandbox

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
    blocks: list[Any]
    section: str | None
    """Id of the section the unit stands in (for reports), None before the first one."""
    ident: str | None = None
    """The stable id the unit carries in the file (sections, areas, recommendations)."""
    level: int = 0
    """Heading level, for headings."""
    extra: dict[str, Any] = field(default_factory=dict)


def brief_units(brief: Brief) -> list[Unit]:
    """Every unit of the Word edition of ``brief``, in reading order."""
    meta = brief.meta
    units: list[Unit] = []
    label = brief.doctype.label if brief.doctype else ""
    if label:
        units.append(_styled("generated:doctype", "generated", styles.DOCUMENT_TYPE,
                             _plain(label), None))
    units.append(_styled("meta:title", "meta", "Title", _plain(meta.title), None))
    if meta.subtitle:
        units.append(_styled("meta:subtitle", "meta", "Subtitle", _plain(meta.subtitle), None))
    for index, author in enumerate(meta.authors):
        units.append(_styled(f"meta:author:{index}", "meta", "Author", _plain(author.name),
                             None))
    if meta.program:
        units.append(_styled("meta:program", "meta", styles.PROGRAM, _plain(meta.program),
                             None))
    for section in brief.sections:
        units.extend(_section_units(brief, section))
    units.extend(_colophon(brief))
    return units


def brief_ast(brief: Brief, units: list[Unit] | None = None) -> dict[str, Any]:
    """The pandoc AST of the Word edition: the units' blocks, links and images made ready."""
    blocks: list[Any] = []
    for unit in units if units is not None else brief_units(brief):
        blocks.extend(unit.blocks)
    sandbox = Sandbox([brief.folder], brief.markdown_path, brief.markdown)
    return {"pandoc-api-version": brief.ast["pandoc-api-version"],
            "meta": {"lang": {"t": "MetaString", "c": brief.meta.lang}},
            "blocks": prepare(blocks, sandbox)}


def brief_plan(brief: Brief, units: list[Unit] | None = None) -> str:
    """The blocks of :func:`brief_ast` as a plan for lua/docx.lua, which assembles them in
    the pandoc run that read the brief: each block that stands unchanged in the AST pandoc
    read is named by its place there; the others (headings, the title block, anything with
    an image or a link without a target) are given in full, prepared. Two lines of JSON.
    """
    body = brief.ast["blocks"]
    place: dict[int, list[int]] = {id(block): [index] for index, block in enumerate(body)}
    snippets: dict[int, tuple[int, str]] = {}
    for offset, (key, blocks) in enumerate(brief.fragments.items()):
        index = len(body) + offset  # the snippets' Divs follow the body (see reader)
        snippets[id(blocks)] = (index, key)
        place.update({id(block): [index, j] for j, block in enumerate(blocks)})
    items: list[dict[str, Any]] = []
    made: list[Any] = []
    for unit in units if units is not None else brief_units(brief):
        for block in unit.blocks:
            if id(block) in place and not _needs_preparing(block):
                items.append({"block": place[id(block)]})
            elif (style := _styled_snippet(block, snippets)) is not None:
                index, key = snippets[id(block["c"][1])]
                items.append({"div": [block["c"][0][0], style], "content": index, "key": key})
            else:
                items.append({"literal": len(made)})
                made.append(block)
    document = brief_ast(brief, [Unit("plan", "generated", "", made, None)])
    return f"{json.dumps(items)}\n{json.dumps(document)}"


def _styled_snippet(block: dict[str, Any], snippets: dict[int, tuple[int, str]]) -> str | None:
    """The style of a Div made by _styled around a YAML snippet's blocks, left as pandoc
    read them; None for any other block."""
    if block["t"] != "Div" or id(block["c"][1]) not in snippets:
        return None
    _ident, classes, attrs = block["c"][0]
    if classes or len(attrs) != 1 or attrs[0][0] != "custom-style":
        return None
    return None if _needs_preparing(block["c"][1]) else str(attrs[0][1])


def _needs_preparing(node: Any) -> bool:
    """Whether :func:`prepare` changes anything under ``node`` (an image, a link without a
    target). A loop of its own, not pandoc.walk: the plan asks this of every block while
    pandoc waits for it."""
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is list:
            stack.extend(current)
        elif type(current) is dict:
            kind = current.get("t")
            if kind == "Image" or (kind == "Link" and not current["c"][2][0].strip()):
                return True
            content = current.get("c")
            if type(content) is list:
                stack.append(content)
    return False


def prepare(blocks: list[Any], sandbox: Sandbox | None) -> list[Any]:
    """Links without a target become marked phrases; images are embedded as data URIs.

    pandoc runs sandboxed and reads no file but its input, so an image travels in
    the AST itself, loaded through ``sandbox`` like the other editions' images: a
    remote, outside, missing or oversized one stops the build. A link with no URL
    stays a phrase in its own character style instead of a hyperlink to nowhere
    (LibreOffice would drop it on saving).
    """
    def replace(node: dict[str, Any], recurse: Callable[[Any], Any]) -> Any:
        kind = node.get("t")
        if kind == "Link" and not node["c"][2][0].strip():
            return {"t": "Span", "c": [["", [], [["custom-style", styles.LINK_WITHOUT_TARGET]]],
                                       recurse(node["c"][1])]}
        if kind == "Image" and sandbox is not None:
            target = node["c"][2]
            return {**node, "c": [node["c"][0], recurse(node["c"][1]),
                                  [_embed(target[0], sandbox), target[1]]]}
        return None

    return pandoc.rewrite(blocks, replace)


def plain_inlines(text: str) -> list[Any]:
    """Inlines of plain text: words and spaces, as pandoc's readers give them."""
    inlines: list[Any] = []
    for index, word in enumerate(text.split()):
        if index:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return inlines


def _plain(text: str) -> list[Any]:
    return [{"t": "Para", "c": plain_inlines(text)}]


def _styled(key: str, kind: UnitKind, style: str, blocks: list[Any], section: str | None,
            ident: str | None = None) -> Unit:
    div_id = ident or ""
    return Unit(key, kind, style, [{"t": "Div", "c": [[div_id, [], [["custom-style", style]]],
                                                      blocks]}], section, ident)


def _section_units(brief: Brief, section: Section) -> list[Unit]:
    header = {"t": "Header", "c": [section.level, [section.id, [], []],
                                   section.heading or plain_inlines(section.title)]}
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
                              section.id, extra={"index": index}))
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
            units.append(_styled(f"rec:{rec.id}", "rec", styles.RECOMMENDATION, text,
                                 section.id, rec.id))
            units[-1].extra["area"] = area.id
    return units


def _colophon(brief: Brief) -> list[Unit]:
    publisher = brief.meta.publisher
    lines = [publisher.name, *publisher.address]
    blocks: list[Any] = [{"t": "Para", "c": plain_inlines(line)} for line in lines]
    if publisher.url:
        blocks.append({"t": "Para", "c": [{"t": "Link", "c": [["", [], []],
                                                              plain_inlines(publisher.url),
                                                              [publisher.url, ""]]}]})
    return [_styled("generated:colophon", "generated", styles.COLOPHON, blocks, None)]


def _embed(src: str, sandbox: Sandbox) -> str:
    """An image of the brief (a file in its folder, or a small data: URL) as a data URI."""
    resource = sandbox.open(urljoin(sandbox.roots[0].as_uri() + "/", src))
    if not resource.media_type.startswith("image/"):
        raise BriefError(Problem(sandbox.source, sandbox.line_of(src[:60]),
                                 f"image {src[:60]!r} is not an image file "
                                 f"({resource.media_type})",
                                 "refer to a PNG, JPEG, GIF, WebP or SVG file"))
    if len(resource.data) > MAX_IMAGE_BYTES:
        raise sandbox.refuse(resource.url, f"is larger than {MAX_IMAGE_BYTES // 2**20} MB, "
                             "too large for the Word edition", "reduce the image")
    return f"data:{resource.media_type};base64,{base64.b64encode(resource.data).decode('ascii')}"
