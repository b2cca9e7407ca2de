"""Turn brief.md into a map of where each block, heading and definition stands, by line.

pandoc's AST has no source positions, so the map is rebuilt from the text: the
lines between two headings are cut at blank lines (outside fenced code and
divs), link and footnote definitions are set aside, and chunks that continue a
list, a quotation or a table caption are joined to it. The map is trusted only
where it agrees with pandoc: a section whose chunk count differs from its block
count is marked, and the importer then rewrites that section's body as a whole.
A list block's items are found the same way (lines from marker to marker in the
first one's column), and trusted only where pandoc reads as many; the lists of a
text also tell how it writes lists (markers, spacing, indentation), which an
edited list follows.
"""

from __future__ import annotations

import re

from msgspec import Struct, field

from briefpress.model.brief import Brief

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})")
_LINK_DEF = re.compile(r"^ {0,3}\[(?!\^)([^\]]+)\]:\s*(.*)$")
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]]+)\]:")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-+*]|\(?(?:\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)])(?:\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


class Definition(Struct):
    """A link reference or footnote definition: ``[label]: url`` or ``[^label]: text``."""

    label: str
    start: int
    end: int
    url: str = ""


class SourceMap(Struct):
    """Line spans (1-based, inclusive) of the parts of brief.md."""

    lines: list[str]
    blocks: dict[str, tuple[int, int]] = field(default_factory=dict)
    """``block:<section>:<n>`` -> span of that block."""
    bodies: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Section id -> span of its own body (between its heading and the next heading)."""
    headings: dict[str, tuple[int, int]] = field(default_factory=dict)
    unmapped: set[str] = field(default_factory=set)
    """Sections whose blocks could not be told apart line by line."""
    links: dict[str, Definition] = field(default_factory=dict)
    notes: dict[str, Definition] = field(default_factory=dict)

    def text(self, span: tuple[int, int]) -> str:
        return "\n".join(self.lines[span[0] - 1:span[1]])


def source_map(brief: Brief) -> SourceMap:
    """Where every body block, heading and definition of ``brief`` stands in brief.md."""
    lines = brief.markdown.split("\n")
    smap = SourceMap(lines)
    sections = [s for s in brief.walk() if s.line is not None]
    for index, section in enumerate(sections):
        line = section.line or 1
        underline = line < len(lines) and bool(_SETEXT.match(lines[line])) and \
            not lines[line - 1].lstrip().startswith("#")
        heading_end = line + 1 if underline else line
        smap.headings[section.id] = (line, heading_end)
        stop = (sections[index + 1].line or len(lines) + 1) - 1 if index + 1 < len(sections) \
            else len(lines)
        smap.bodies[section.id] = (heading_end + 1, stop)
        groups = _groups(lines, heading_end + 1, stop, smap)
        if len(groups) == len(section.blocks):
            for number, group in enumerate(groups):
                smap.blocks[f"block:{section.id}:{number}"] = group
        else:
            smap.unmapped.add(section.id)
    return smap


def chunks(lines: list[str], first: int, last: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines in ``first..last`` (1-based, inclusive), a fenced block kept
    whole; the merge (:mod:`.merge`) cuts whole texts with it too."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    fence: str | None = None
    for number in range(first, last + 1):
        line = lines[number - 1]
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker[0] == fence[0] and len(marker) >= len(fence) and \
                    not line.strip()[len(marker):].strip():
                fence = None
        if line.strip() or fence is not None:
            if start is None:
                start = number
        elif start is not None:
            found.append((start, number - 1))
            start = None
    if start is not None:
        found.append((start, last))
    return found


def _groups(lines: list[str], first: int, last: int, smap: SourceMap) -> list[tuple[int, int]]:
    """The chunks of a section body grouped into blocks; definitions recorded, not grouped."""
    groups: list[tuple[int, int]] = []
    in_note = False
    for start, end in chunks(lines, first, last):
        head = lines[start - 1]
        if _LINK_DEF.match(head) and all(_LINK_DEF.match(lines[n - 1]) or
                                         lines[n - 1].startswith((" ", "\t"))
                                         for n in range(start, end + 1)):
            _record_links(lines, start, end, smap)
            in_note = False
            continue
        if _NOTE_DEF.match(head):
            # definitions written line after line, without blank lines between: each its own
            # span (a line that starts no definition continues the one before)
            for number in range(start, end + 1):
                note = _NOTE_DEF.match(lines[number - 1])
                if note:
                    smap.notes[note.group(1)] = Definition(note.group(1), number, number)
                elif _LINK_DEF.match(lines[number - 1]):
                    _record_links(lines, number, number, smap)
                else:
                    smap.notes[next(reversed(smap.notes))].end = number
            in_note = True
            continue
        if in_note and head.startswith(("    ", "\t")):
            label = next(reversed(smap.notes))
            smap.notes[label].end = end
            continue
        in_note = False
        if groups and _continues(lines, groups[-1], start):
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    return groups


def _record_links(lines: list[str], start: int, end: int, smap: SourceMap) -> None:
    for number in range(start, end + 1):
        match = _LINK_DEF.match(lines[number - 1])
        if match:
            url = match.group(2).strip().split()[0] if match.group(2).strip() else ""
            smap.links[match.group(1).casefold()] = Definition(match.group(1), number, number,
                                                               url.strip("<>"))


def _continues(lines: list[str], group: tuple[int, int], start: int) -> bool:
    """Whether the chunk at ``start`` belongs to the block of ``group`` (after a blank line)."""
    first = lines[group[0] - 1]
    head = lines[start - 1]
    if _LIST_ITEM.match(first):
        return bool(_LIST_ITEM.match(head)) or head.startswith((" ", "\t"))
    if first.lstrip().startswith(">"):
        return head.lstrip().startswith(">")
    if head.startswith((":", "Table:")) and _table_like(lines, group):
        return True
    return bool(head.lstrip().startswith(":") and not head.startswith(":::"))


def _table_like(lines: list[str], group: tuple[int, int]) -> bool:
    body = lines[group[0] - 1:group[1]]
    return any("|" in line or re.match(r"^\s*[-=+: ]{3,}\s*$", line) for line in body)


_MARKER = re.compile(r"^( *)([-+*]|\(?(?:\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)])( +|$)")


class ListItem(Struct):
    """One item of a list as brief.md writes it."""

    marker: str
    """Its marker: ``-``, ``*``, ``1.``, ``1)``, ``(a)``."""
    gap: int
    """The spaces between the marker and the item's words."""
    text: str
    """Its lines, the list's own indentation taken off (the first line opens with the
    marker); the blank lines after it, which part it from the next item, left out."""


class SourceList(Struct):
    """The items of a list block of brief.md, as written."""

    column: int
    """The indentation of its markers."""
    items: list[ListItem]


class ListStyle(Struct):
    """How brief.md writes the lists of one kind at one depth."""

    bullet: str = "-"
    gap: int = 1
    """The spaces after the marker."""
    same: bool = False
    """Every item of a numbered list has the first one's number (``1.`` ``1.`` ``1.``)."""
    nest: int = 0
    """How far a list inside an item stands right of the item's words."""
    nest_blank: bool | None = None
    """Whether a blank line stands between an item's words and a list inside it (None: as
    the list is tight or loose)."""


def _marker_lines(lines: list[str]) -> list[tuple[int, re.Match[str] | None]]:
    """Each line of ``lines`` that opens a list item, outside fenced code, with its
    marker's match (None for every other line, kept so that numbers stay lines)."""
    found: list[tuple[int, re.Match[str] | None]] = []
    fence: str | None = None
    for number, line in enumerate(lines):
        stripped = line.lstrip(" ")
        match = _FENCE.match(stripped)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
                found.append((number, None))
                continue
            if marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
                found.append((number, None))
                continue
        found.append((number, _MARKER.match(line) if fence is None else None))
    return found


def list_items(text: str) -> SourceList | None:
    """The items of the list that ``text`` (one list block of brief.md) opens with, as
    written; None when its first line opens no item. Items are the lines whose marker
    stands in the first one's column, outside fenced code: the caller trusts them only when
    pandoc reads as many."""
    lines = text.split("\n")
    found = _marker_lines(lines)
    first = found[0][1] if found else None
    if first is None:
        return None
    column = len(first.group(1))
    starts = [number for number, match in found
              if match is not None and len(match.group(1)) == column]
    items: list[ListItem] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        own = lines[start:end]
        while own and not own[-1].strip():
            own.pop()
        match = found[start][1]
        assert match is not None
        items.append(ListItem(match.group(2), len(match.group(3)) or 1,
                              "\n".join(line[column:] if line[:column].strip() == "" else
                                        line.lstrip(" ") for line in own)))
    return SourceList(column, items)


def list_styles(text: str) -> dict[tuple[bool, int], ListStyle]:
    """How ``text`` (Markdown) writes its lists: by (numbered, depth), the style of the
    first such list."""
    lines = text.split("\n")
    styles: dict[tuple[bool, int], ListStyle] = {}
    # each open list: its markers' column, its items' words' column, numbered, its style
    # when it is the one that set it, the number of its last item
    stack: list[tuple[int, int, bool, ListStyle | None, str]] = []
    for number, match in _marker_lines(lines):
        line = lines[number]
        if match is None:
            if line.strip() and not line.startswith(" ") and number and \
                    not lines[number - 1].strip():
                stack = []  # a paragraph after a blank line: the lists before it ended
            continue
        column, marker = len(match.group(1)), match.group(2)
        gap = len(match.group(3)) or 1
        ordered = marker not in ("-", "+", "*")
        figure = marker.strip("().")
        while stack and column < stack[-1][0]:
            stack.pop()
        if stack and column == stack[-1][0]:
            top = stack[-1]
            if top[3] is not None and top[2] and figure == top[4]:
                top[3].same = True
            stack[-1] = (top[0], top[1], top[2], None, figure)
            continue
        key = (ordered, len(stack))
        style = None
        if key not in styles:
            style = styles[key] = ListStyle(marker if not ordered else "-", gap)
            if stack:
                style.nest = max(column - stack[-1][1], 0)
                style.nest_blank = not lines[number - 1].strip()
        stack.append((column, column + len(marker) + gap, ordered, style, figure))
    return styles
