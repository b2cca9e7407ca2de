"""Turn what Word and LibreOffice write their own way into what pandoc's docx reader reads.

Both apply to the private copy of an edited file that pandoc reads (see
:mod:`briefpress.importer.docxread`), never to the editor's file.

**Lists.** pandoc's reader ends a list wherever the numbering instance
(``w:numId``) of the items changes at one level, and takes a list's start number
from that instance alone. Word and LibreOffice number by other rules: every
instance of one abstract numbering shares its counters, and an instance restarts
them only where it overrides a level's start. LibreOffice writes a fresh instance
for the first item of a list (the one that restarts it) and the shared one for the
rest, and Word keeps what it was given; both are right by Word's rules and pandoc
reads the first as a list of one item followed by another list starting at 1. So
the copy gets numbering by position: items that follow each other at one level, of
the same kind (bullet, or the same number format and delimiter), numbered on by
Word's rules, are one list, and each list gets an instance of its own whose start
is the number Word shows on its first item. Neither the ids nor their order of
creation matter, only the styles and the positions of the paragraphs.

**Horizontal rules.** pandoc writes a rule as a paragraph holding only a VML rectangle
marked as a horizontal line, and its reader drops it; LibreOffice saves it as a drawing of a
thin full-width rectangle. The copy puts a mark in place of either, which the importer reads
as the rule (:data:`RULE_MARK`).

**Alignment.** LibreOffice writes a paragraph's alignment as ``start`` and ``end``
(the newer names), which pandoc's reader does not know: a table's right-aligned
column would come back with the default alignment. The copy says ``left`` and
``right``, mirrored in a right-to-left paragraph.
"""

from __future__ import annotations

import copy
from typing import Any

from lxml import etree
from msgspec import Struct

from briefpress.support.ooxml import W


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


LIST_PARAGRAPH = "list-paragraph"
"""pandoc joins a paragraph in the style of this name, unnumbered, to the list item before
it (this name exactly: not Word's "List Paragraph")."""
LIST_PARAGRAPH_ID = "BriefpressListParagraph"


class _Level(Struct):
    """How one level of one numbering instance numbers its items."""

    abstract: str
    kind: tuple[str, str]
    """The number format and the text around the number (``%1.``), bullets all alike."""
    start: int
    override: int | None
    """The start the instance itself sets, restarting the counter where it is first used."""


class _Open(Struct):
    """A list being read: its level, kind, the instance made for it and its last number."""

    level: int
    kind: tuple[str, str]
    num_id: str
    number: int


class Item(Struct):
    """A numbered paragraph and the number Word shows on it."""

    paragraph: Any
    level: int
    kind: tuple[str, str]
    number: int
    num_id: str


def numbered_items(document: Any, numbering: Any, style_names: dict[str, str]
                   ) -> list[Item | None]:
    """The numbered paragraphs of ``document`` (a main part, lxml) in order, numbered as
    Word numbers them from ``numbering`` (its numbering part); None where a paragraph
    between them ends the lists (pandoc joins one in the "List Paragraph" style to the
    item before it)."""
    body = document.find(_w("body"))
    if body is None or numbering is None:
        return []
    nums = {num.get(_w("numId"), ""): num for num in numbering.iter(_w("num"))}
    abstracts = {a.get(_w("abstractNumId"), ""): a for a in numbering.iter(_w("abstractNum"))}
    counters: dict[tuple[str, int], int] = {}
    used: set[tuple[str, int]] = set()
    items: list[Item | None] = []
    for paragraph in body.iter(_w("p")):
        numbered = _numbered(paragraph)
        found = _level(nums.get(numbered[1]), abstracts, numbered[2]) if numbered else None
        if numbered is None or found is None:
            ends = numbered is not None or not _continues_item(paragraph, style_names)
            if ends and items and items[-1] is not None:
                items.append(None)
            continue
        _, num_id, level = numbered
        items.append(Item(paragraph, level, found.kind,
                          _count(found, num_id, level, counters, used), num_id))
    return items


def renumber(document: Any, numbering: Any, styles: Any, style_names: dict[str, str]
             ) -> bool:
    """Give every list in ``document`` (a main part, lxml) an instance of its own in
    ``numbering`` (its numbering part), starting at the number Word shows on its first
    item; a paragraph numbered without a mark (how pandoc writes an item's second
    paragraph) becomes a later paragraph of the item before it, in a style added to
    ``styles`` (the styles part). All three are changed in place; False if there was
    nothing to change."""
    items = numbered_items(document, numbering, style_names)
    if not any(items):
        return False
    list_paragraph = None
    nums = {num.get(_w("numId"), ""): num for num in numbering.iter(_w("num"))}
    next_id = max((int(n) for n in nums if n.isdigit()), default=0) + 1
    lists: list[_Open] = []
    for item in items:
        if item is None:
            lists = []
            continue
        if item.kind[0] == "continuation":
            if list_paragraph is None and styles is not None:
                list_paragraph = _add_list_paragraph_style(styles)
            if list_paragraph is not None:
                _continue_item(item.paragraph, list_paragraph)
            continue
        # a shallower item ends the deeper lists; one of another kind or numbered afresh
        # ends the list at its own level
        lists = [o for o in lists if o.level <= item.level]
        current = lists[-1] if lists and lists[-1].level == item.level else None
        if current is not None and (current.kind != item.kind or (
                item.kind[0] != "bullet" and item.number != current.number + 1)):
            lists.pop()
            current = None
        if current is None:
            current = _Open(item.level, item.kind, str(next_id), item.number)
            next_id += 1
            numbering.append(_instance(nums[item.num_id], current.num_id, item.level,
                                       item.number))
            lists.append(current)
        current.number = item.number
        item.paragraph.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}").set(
            _w("val"), current.num_id)
    return True


def _add_list_paragraph_style(styles: Any) -> str:
    style = etree.SubElement(styles, _w("style"))
    style.set(_w("type"), "paragraph")
    style.set(_w("styleId"), LIST_PARAGRAPH_ID)
    etree.SubElement(style, _w("name")).set(_w("val"), LIST_PARAGRAPH)
    return LIST_PARAGRAPH_ID


def _continue_item(paragraph: Any, style_id: str) -> None:
    """An unmarked numbered paragraph as pandoc reads a later paragraph of the item before
    it: unnumbered, in the "List Paragraph" style."""
    ppr = paragraph.find(_w("pPr"))
    ppr.remove(ppr.find(_w("numPr")))
    pstyle = ppr.find(_w("pStyle"))
    if pstyle is None:
        pstyle = etree.Element(_w("pStyle"))
        ppr.insert(0, pstyle)
    pstyle.set(_w("val"), style_id)


def _numbered(paragraph: Any) -> tuple[Any, str, int] | None:
    """The paragraph's own numbering (its ``w:numPr``, instance id, level), if any."""
    num_pr = paragraph.find(f"{_w('pPr')}/{_w('numPr')}")
    if num_pr is None:
        return None
    num = num_pr.find(_w("numId"))
    ilvl = num_pr.find(_w("ilvl"))
    num_id = num.get(_w("val"), "") if num is not None else ""
    level_text = ilvl.get(_w("val"), "0") if ilvl is not None else "0"
    if num_id in ("", "0") or not level_text.isdigit():  # numId 0: numbering switched off
        return None
    return num_pr, num_id, int(level_text)


def _continues_item(paragraph: Any, style_names: dict[str, str]) -> bool:
    pstyle = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
    style = pstyle.get(_w("val"), "") if pstyle is not None else ""
    return style_names.get(style, style).casefold() == LIST_PARAGRAPH


def _level(num: Any, abstracts: dict[str, Any], level: int) -> _Level | None:
    """The definition of ``level`` in instance ``num``: its abstract numbering's, with the
    instance's own overrides."""
    if num is None:
        return None
    ref = num.find(_w("abstractNumId"))
    abstract_id = ref.get(_w("val"), "") if ref is not None else ""
    definition = None
    override = None
    for lvl_override in num.iter(_w("lvlOverride")):
        if lvl_override.get(_w("ilvl")) != str(level):
            continue
        start = lvl_override.find(_w("startOverride"))
        if start is not None and (start.get(_w("val")) or "").isdigit():
            override = int(start.get(_w("val")))
        definition = lvl_override.find(_w("lvl"))
    abstract = abstracts.get(abstract_id)
    if definition is None and abstract is not None:
        definition = next((lvl for lvl in abstract.iter(_w("lvl"))
                           if lvl.get(_w("ilvl")) == str(level)), None)
    fmt = _val(definition, "numFmt") or "decimal"
    text = _val(definition, "lvlText") or ""
    start = _val(definition, "start")
    if fmt == "none" or (fmt == "bullet" and not _symbols(text).strip()):
        kind = ("continuation", "")  # no mark: how pandoc writes an item's later paragraphs
    else:
        kind = ("bullet", "") if fmt == "bullet" else (fmt, text)
    return _Level(abstract_id, kind,
                  int(start) if start and start.isdigit() else 1, override)


def _symbols(text: str) -> str:
    """Text in a symbol font as characters: LibreOffice writes pandoc's blank mark (a
    space) as U+F020, the space of the Symbol font's private-use range."""
    return "".join(chr(ord(c) - 0xF000) if 0xF020 <= ord(c) <= 0xF0FF else c for c in text)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(_w(tag)) if element is not None else None
    return child.get(_w("val")) if child is not None else None


def _count(found: _Level, num_id: str, level: int, counters: dict[tuple[str, int], int],
           used: set[tuple[str, int]]) -> int:
    """The number Word shows on an item: the instances of one abstract numbering share a
    counter per level; an instance that overrides the start restarts it where it is first
    used; an item resets the counters of the deeper levels."""
    key = (found.abstract, level)
    if found.override is not None and (num_id, level) not in used:
        number = found.override
    elif key in counters:
        number = counters[key] + 1
    else:
        number = found.start
    used.add((num_id, level))
    counters[key] = number
    for deeper in [k for k in counters if k[0] == found.abstract and k[1] > level]:
        del counters[deeper]
    return number


def _instance(model: Any, num_id: str, level: int, start: int) -> Any:
    """A copy of instance ``model`` under ``num_id`` that starts ``level`` at ``start``."""
    num = copy.deepcopy(model)
    num.set(_w("numId"), num_id)
    for lvl_override in list(num.iter(_w("lvlOverride"))):
        if lvl_override.get(_w("ilvl")) == str(level):
            start_override = lvl_override.find(_w("startOverride"))
            if start_override is not None:
                lvl_override.remove(start_override)
            break
    else:
        lvl_override = etree.SubElement(num, _w("lvlOverride"))
        lvl_override.set(_w("ilvl"), str(level))
    start_override = etree.Element(_w("startOverride"))
    start_override.set(_w("val"), str(start))
    lvl_override.insert(0, start_override)
    return num


_ALIGNMENT = {"start": "left", "end": "right"}
_ALIGNMENT_RTL = {"start": "right", "end": "left"}


def plain_alignment(document: Any) -> bool:
    """Write every paragraph alignment of ``document`` (lxml, changed in place) in the
    names pandoc reads; False if there was none to change."""
    changed = False
    for jc in document.iter(_w("jc")):
        ppr = jc.getparent()
        if ppr is None or ppr.tag != _w("pPr"):
            continue
        names = _ALIGNMENT_RTL if _on(ppr.find(_w("bidi"))) else _ALIGNMENT
        value = names.get(jc.get(_w("val"), ""))
        if value is not None:
            jc.set(_w("val"), value)
            changed = True
    return changed


def _on(toggle: Any) -> bool:
    """A Word on/off property: present and not switched off."""
    return toggle is not None and toggle.get(_w("val"), "true") not in ("0", "false", "off")


RULE_MARK = "\ue002"
"""The text that stands for a horizontal rule in the copy pandoc reads."""
_VML_OFFICE = "urn:schemas-microsoft-com:office:office"
_VML = "urn:schemas-microsoft-com:vml"
_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
_RULE_HEIGHT_EMU = 3 * 12700
"""A drawn rectangle no taller than 3 points, alone in its paragraph, is a rule."""


def mark_rules(paragraphs: list[Any]) -> None:
    """Put :data:`RULE_MARK` in place of the drawing of each paragraph (lxml ``w:p``, changed
    in place) that holds a horizontal rule and no text."""
    for paragraph in paragraphs:
        if any((t.text or "").strip() for t in paragraph.iter(_w("t"))
               if "\ue000" not in (t.text or "")):
            continue  # a paragraph with words (most of them) holds no rule
        runs = [run for run in paragraph.iter(_w("r")) if _is_rule(run)]
        if not runs:
            continue
        mark = etree.Element(_w("r"))
        etree.SubElement(mark, _w("t")).text = RULE_MARK
        runs[0].addprevious(mark)
        for run in runs:
            run.getparent().remove(run)


def _is_rule(run: Any) -> bool:
    for rect in run.iter(f"{{{_VML}}}rect"):
        if rect.get(f"{{{_VML_OFFICE}}}hr") in ("t", "true"):
            return True
    for shape in run.iter(f"{{{_DRAWING}}}prstGeom"):
        if shape.get("prst") != "rect":
            continue
        extent = next(run.iter(f"{{{_DRAWING}}}ext"), None)
        height = extent.get("cy", "") if extent is not None else ""
        if height.isdigit() and int(height) <= _RULE_HEIGHT_EMU:
            return True
    return False
