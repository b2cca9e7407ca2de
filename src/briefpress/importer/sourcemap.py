"""Turn brief.md into a map of where each block, heading and definition stands, by line.

pandoc's AST has no source positions, so the map is rebuilt from the text: the
lines between two headings are cut at blank lines (outside fenced code and
divs), link and footnote definitions are set aside, and chunks that continue a
list, a quotation or a table caption are joined to it. The map is trusted only
where it agrees with pandoc: a section whose chunk count differs from its block
count is marked, and the importer then rewrites that section's body as a whole.
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


def _chunks(lines: list[str], first: int, last: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines in ``first..last``, a fenced block kept whole."""
    chunks: list[tuple[int, int]] = []
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
            chunks.append((start, number - 1))
            start = None
    if start is not None:
        chunks.append((start, last))
    return chunks


def _groups(lines: list[str], first: int, last: int, smap: SourceMap) -> list[tuple[int, int]]:
    """The chunks of a section body grouped into blocks; definitions recorded, not grouped."""
    groups: list[tuple[int, int]] = []
    in_note = False
    for start, end in _chunks(lines, first, last):
        head = lines[start - 1]
        if _LINK_DEF.match(head) and all(_LINK_DEF.match(lines[n - 1]) or
                                         lines[n - 1].startswith((" ", "\t"))
                                         for n in range(start, end + 1)):
            _record_links(lines, start, end, smap)
            in_note = False
            continue
        if _NOTE_DEF.match(head) or (in_note and head.startswith(("    ", "\t"))):
            # definitions written line after line, without blank lines between, and a
            # note's indented paragraphs: each definition its own span (a line that starts
            # no definition continues the one before), also where the next starts right
            # under a note's last indented paragraph
            _record_notes(lines, start, end, smap)
            in_note = True
            continue
        in_note = False
        if groups and _continues(lines, groups[-1], start):
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    return groups


def _record_notes(lines: list[str], start: int, end: int, smap: SourceMap) -> None:
    for number in range(start, end + 1):
        note = _NOTE_DEF.match(lines[number - 1])
        if note:
            smap.notes[note.group(1)] = Definition(note.group(1), number, number)
        elif _LINK_DEF.match(lines[number - 1]):
            _record_links(lines, number, number, smap)
        else:
            smap.notes[next(reversed(smap.notes))].end = number


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
