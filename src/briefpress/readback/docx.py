"""Turn the main part of a .docx into its top-level blocks: style, ids, text, revisions.

This reads what pandoc's docx reader drops: bookmark names (the stable ids of
sections, areas and recommendations; not those of hidden ones or of citations), style
names as the editor sees them, and
who inserted or deleted what. Word and LibreOffice place bookmarks differently
(between paragraphs, or inside them), so a bookmark belongs to the paragraph
it stands in or, between paragraphs, to the one that follows it.
"""

from __future__ import annotations

import re
from typing import Any

from msgspec import Struct, field

from briefpress.render.docx_styles import citation_mark
from briefpress.support.docx_open import Package
from briefpress.support.ooxml import W

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class Block(Struct):
    """A top-level paragraph or table of the document body."""

    index: int
    element: Any
    """The ``w:p`` or ``w:tbl`` element (lxml)."""
    kind: str
    """``p`` or ``tbl``."""
    style: str
    """Style name as shown in Word ("" for the default paragraph style)."""
    bookmarks: list[str] = field(default_factory=list)
    heading_level: int | None = None

    @property
    def text(self) -> str:
        return visible_text(self.element)


class Styles(Struct):
    """Paragraph style names and heading levels by style id."""

    names: dict[str, str]
    levels: dict[str, int]
    characters: dict[str, str] = field(default_factory=dict)
    """Character style names by id."""

    def name(self, style_id: str | None) -> str:
        if not style_id:
            return self.names.get("", "")
        return self.names.get(style_id, style_id)


def read_styles(package: Package) -> Styles:
    """Style ids to names, and the heading level each paragraph style implies."""
    root = package.xml("word/styles.xml")
    names: dict[str, str] = {}
    based: dict[str, str] = {}
    outline: dict[str, int] = {}
    characters: dict[str, str] = {}
    if root is not None:
        for style in root.iter(w("style")):
            if style.get(w("type")) == "character":
                name_el = style.find(w("name"))
                ident = style.get(w("styleId"), "")
                characters[ident] = name_el.get(w("val"), ident) if name_el is not None else ident
            if style.get(w("type")) != "paragraph":
                continue
            ident = style.get(w("styleId"), "")
            name_el = style.find(w("name"))
            name = name_el.get(w("val"), ident) if name_el is not None else ident
            names[ident] = name
            if style.get(w("default")) in ("1", "true", "on"):
                names[""] = name
            base = style.find(w("basedOn"))
            if base is not None:
                based[ident] = base.get(w("val"), "")
            level = style.find(f"{w('pPr')}/{w('outlineLvl')}")
            if level is not None and (level.get(w("val")) or "9").isdigit():
                outline[ident] = int(level.get(w("val"), "9"))
    levels: dict[str, int] = {}
    for ident, name in names.items():
        match = _HEADING_NAME.match(name.strip())
        if match:
            levels[ident] = int(match.group(1))
            continue
        seen, current = set(), ident
        while current and current not in seen:
            seen.add(current)
            if current in outline:
                if outline[current] < 9 and name.casefold() not in ("title", "subtitle"):
                    levels[ident] = outline[current] + 1
                break
            current = based.get(current, "")
    return Styles(names, levels, characters)


def body_blocks(package: Package, styles: Styles | None = None) -> list[Block]:
    """The top-level paragraphs and tables of the body, in reading order, with their ids."""
    styles = styles or read_styles(package)
    root = package.xml(package.main)
    body = root.find(w("body")) if root is not None else None
    blocks: list[Block] = []
    pending: dict[str, str] = {}
    """Bookmarks opened between paragraphs (id -> name): they belong to the next one, unless
    they close first (what is left of a bookmark whose paragraph was deleted)."""
    if body is None:
        return blocks
    for element in _flatten(body):
        tag = element.tag
        if tag == w("bookmarkStart"):
            pending[element.get(w("id"), "")] = element.get(w("name"), "")
            continue
        if tag == w("bookmarkEnd"):
            pending.pop(element.get(w("id"), ""), None)
            continue
        if tag not in (w("p"), w("tbl")):
            continue
        kind = "p" if tag == w("p") else "tbl"
        style_id = None
        if kind == "p":
            pstyle = element.find(f"{w('pPr')}/{w('pStyle')}")
            style_id = pstyle.get(w("val")) if pstyle is not None else None
        names = [*pending.values()] + (_own_bookmarks(element) if kind == "p" else [])
        pending = {}
        level = None
        if kind == "p":
            level = styles.levels.get(style_id or "")
            direct = element.find(f"{w('pPr')}/{w('outlineLvl')}")
            if direct is not None and (direct.get(w("val")) or "").isdigit():
                value = int(direct.get(w("val"), "9"))
                level = value + 1 if value < 9 else None
        blocks.append(Block(len(blocks), element, kind,
                            styles.name(style_id) if kind == "p" else "",
                            [n for n in names if n and not n.startswith("_")
                             and citation_mark(n) is None], level))
    return blocks


def _own_bookmarks(paragraph: Any) -> list[str]:
    """Bookmarks that start in the paragraph, except those that end before any text does
    (what Word leaves of a bookmark whose text was deleted)."""
    names: dict[str, str] = {}
    covered: dict[str, bool] = {}
    still_open: set[str] = set()
    for node in paragraph.iter(w("bookmarkStart"), w("bookmarkEnd"), w("t")):
        ident = node.get(w("id"), "")
        if node.tag == w("bookmarkStart"):
            names[ident] = node.get(w("name"), "")
            covered[ident] = False
            still_open.add(ident)
        elif node.tag == w("bookmarkEnd"):
            still_open.discard(ident)
        elif node.text:
            for open_id in still_open:
                covered[open_id] = True
    return [name for ident, name in names.items() if ident in still_open or covered[ident]]


def _flatten(body: Any) -> Any:
    """Body children, looking through content controls and custom XML wrappers."""
    for child in body:
        if child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                yield from _flatten(content)
        else:
            yield child


def visible_text(element: Any) -> str:
    """Text as it reads with every tracked change accepted: insertions in, deletions out."""
    parts: list[str] = []
    for node in element.iter(w("t"), w("tab"), w("br"), w("noBreakHyphen")):
        if _inside(node, (w("del"), w("moveFrom"))):
            continue
        if node.tag == w("t"):
            parts.append(node.text or "")
        elif node.tag == w("noBreakHyphen"):
            parts.append("-")
        else:
            parts.append(" ")
    return "".join(parts)


def _inside(node: Any, tags: tuple[str, ...]) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False
