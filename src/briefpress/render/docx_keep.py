"""Turn the Word edition's main part into one that keeps short lists and the Sources title together.

Word keeps a paragraph on the page of the next one when it has ``w:keepNext``; there is no
"keep with the previous". pandoc writes a list's items as numbered paragraphs, so, as the
PDF's stylesheet does with ``break-after``/``break-before: avoid``, the last paragraph of a
list's first item keeps with the second item, and that of the item before the last keeps
with the last: no item stands alone at a page turn, and a list of two or three items moves
whole. The title of the works cited ("Sources", a paragraph in the Bibliography style, as
citeproc's list has no heading of its own) keeps with the first work, as a heading does.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from briefpress.render.docx_styles import BIBLIOGRAPHY
from briefpress.support.ooxml import PPR_ORDER, part_bytes, schema_child, trusted_xml, w


def keep_together(document: bytes, numbering: bytes | None) -> bytes:
    """word/document.xml with ``w:keepNext`` on the paragraphs that end a list's first item
    and its item before the last, and on the title of the works cited (``numbering``:
    word/numbering.xml, which tells an item's first paragraph from the unnumbered ones that
    go on with it). The same bytes when nothing needs it."""
    root = trusted_xml(document)
    body = root.find(w("body"))
    if body is None:
        return document
    unnumbered = _unnumbered(numbering)
    keep = [paragraph for items in _lists(body, unnumbered)
            for paragraph in _ends_kept(items)]
    title = next((p for p in body.iterchildren(w("p")) if _style(p) == BIBLIOGRAPHY), None)
    if title is not None:
        keep.append(title)
    changed = False
    for paragraph in keep:
        properties = schema_child(paragraph, "pPr", ["pPr"])
        if properties.find(w("keepNext")) is None:
            schema_child(properties, "keepNext", PPR_ORDER)
            changed = True
    return part_bytes(root) if changed else document


def _ends_kept(items: list[list[Any]]) -> list[Any]:
    """Of a list's items (each its paragraphs), the last paragraphs of the first item and of
    the item before the last: those that keep with the next."""
    if len(items) < 2:
        return []
    return list(dict.fromkeys([items[0][-1], items[-2][-1]]))


def _lists(body: Any, unnumbered: set[tuple[str, str]]) -> list[list[list[Any]]]:
    """The body's lists, each as its items, each item as its paragraphs: a run of numbered
    paragraphs side by side in the body; an item starts at a paragraph of the run's own
    level (the lowest) that has a number or a bullet, and goes on with the paragraphs after
    it (its unnumbered paragraphs, its nested lists)."""
    found: list[list[list[Any]]] = []
    run: list[tuple[Any, str, str]] = []
    for child in [*body.iterchildren(etree.Element), None]:
        numbered = _numbering(child) if child is not None and child.tag == w("p") else None
        if numbered is not None:
            run.append((child, *numbered))
            continue
        if run:
            level = min(int(ilvl) if ilvl.isdigit() else 0 for _, ilvl, _ in run)
            items: list[list[Any]] = []
            for paragraph, ilvl, num in run:
                starts = (int(ilvl) if ilvl.isdigit() else 0) == level \
                    and (num, ilvl) not in unnumbered
                if starts or not items:
                    items.append([paragraph])
                else:
                    items[-1].append(paragraph)
            found.append(items)
            run = []
    return found


def _numbering(paragraph: Any) -> tuple[str, str] | None:
    """A numbered paragraph's level and numbering id, else None."""
    number = paragraph.find(f"{w('pPr')}/{w('numPr')}")
    if number is None:
        return None
    ilvl, num = number.find(w("ilvl")), number.find(w("numId"))
    ident = "" if num is None else num.get(w("val"), "")
    if ident in ("", "0"):  # numId 0: numbering taken off
        return None
    return ("0" if ilvl is None else ilvl.get(w("val"), "0")), ident


def _unnumbered(numbering: bytes | None) -> set[tuple[str, str]]:
    """The (numbering id, level) pairs that show no number or bullet (a blank ``lvlText``):
    pandoc numbers an item's later paragraphs so, to indent them with it."""
    if numbering is None:
        return set()
    root = trusted_xml(numbering)
    blank: dict[str, set[str]] = {}
    for abstract in root.iterchildren(w("abstractNum")):
        blank[abstract.get(w("abstractNumId"), "")] = {
            level.get(w("ilvl"), "0") for level in abstract.iterchildren(w("lvl"))
            if (text := level.find(w("lvlText"))) is not None
            and not text.get(w("val"), "").strip()}
    found = set()
    for num in root.iterchildren(w("num")):
        abstract = num.find(w("abstractNumId"))
        ident = None if abstract is None else abstract.get(w("val"))
        for ilvl in blank.get(ident or "", set()):
            found.add((num.get(w("numId"), ""), ilvl))
    return found


def _style(paragraph: Any) -> str | None:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return None if style is None else style.get(w("val"))
