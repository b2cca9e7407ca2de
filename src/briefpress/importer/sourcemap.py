"""Turn brief.md into a map of where each block, heading and definition stands, by line.

pandoc's AST has no source positions, so the map is rebuilt from the text: the
lines between two headings are cut at blank lines (outside fenced code and
divs), link and footnote definitions are set aside (each its own lines), and
the blocks pandoc read in the section are walked in step with what is left:
what each block is says how far its lines run (a list of n items, a definition
list of n terms, a table and its caption, …). A section where that walk does not
come out even is marked, with the line and the block where it failed, and an
edit in it is refused rather than put in the wrong place.
"""

from __future__ import annotations

import re

from msgspec import Struct, field

from briefpress.model import blocks
from briefpress.model.brief import Brief

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})")
_LINK_DEF = re.compile(r"^ {0,3}\[(?!\^)([^\]]+)\]:\s*(.*)$")
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]]+)\]:")
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
    unmapped: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Sections whose blocks could not be told apart line by line: the line where that
    failed, and what pandoc read there (a list, a table, …)."""
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
        groups = _groups(lines, heading_end + 1, stop, smap, section.blocks)
        if isinstance(groups, _Unmapped):
            smap.unmapped[section.id] = (groups.line, groups.what)
        else:
            for number, group in enumerate(groups):
                smap.blocks[f"block:{section.id}:{number}"] = group
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


def _groups(lines: list[str], first: int, last: int, smap: SourceMap,
            found: list[blocks.Block]) -> list[tuple[int, int]] | _Unmapped:
    """The lines of each block of a section body (``found``, as pandoc read them), or where
    they could not be told apart; definitions recorded, not grouped."""
    content: list[tuple[int, int]] = []
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
        content.append((start, end))
    return _Spans(lines, content, found).all()


class _Unmapped(Struct):
    """Where a section's blocks could not be told apart: the line, and what stands there."""

    line: int
    what: str


class _Spans:
    """The blocks pandoc read in a section, walked in step with the section's chunks (runs
    of lines between blank lines): what each block is says how far its lines run (a list of
    n items to its n-th item and the lines indented under it, a definition list over its n
    terms, a table with its caption, a quotation to a blank line, …), so a chunk that holds
    two blocks (two lists of different kinds, a comment and a paragraph) and blocks that
    run over several chunks (a loose list, a definition list) are told apart."""

    def __init__(self, lines: list[str], chunks: list[tuple[int, int]],
                 found: list[blocks.Block]) -> None:
        self.lines = lines
        self.chunks = chunks
        self.found = found
        self.chunk = 0
        self.line = chunks[0][0] if chunks else 0
        """The next line to read: in ``chunks[chunk]``."""

    def all(self) -> list[tuple[int, int]] | _Unmapped:
        spans: list[tuple[int, int]] = []
        for index, block in enumerate(self.found):
            if self.chunk >= len(self.chunks):
                return _Unmapped(self.chunks[-1][1] if self.chunks else 0, _what(block))
            start = self.line
            following = self.found[index + 1] if index + 1 < len(self.found) else None
            end = self._block(block, following)
            if end is None:
                return _Unmapped(start, _what(block))
            spans.append((start, end))
        if self.chunk < len(self.chunks):
            # lines left over: the last block ran on further than its kind says
            return _Unmapped(spans[-1][0], _what(self.found[-1])) if spans else \
                _Unmapped(self.line, "text")
        return spans

    # -- moving on ---------------------------------------------------------------------

    def _text(self, number: int) -> str:
        return self.lines[number - 1]

    def _chunk_end(self) -> int:
        return self.chunks[self.chunk][1]

    def _rest_of_chunk(self) -> int:
        """Take the rest of the current chunk: its last line."""
        end = self.chunks[self.chunk][1]
        self._next_chunk()
        return end

    def _next_chunk(self) -> None:
        self.chunk += 1
        self.line = self.chunks[self.chunk][0] if self.chunk < len(self.chunks) else 0

    def _until(self, number: int) -> int:
        """Take the current chunk up to line ``number`` (the next block starts after it)."""
        if number >= self.chunks[self.chunk][1]:
            return self._rest_of_chunk()
        self.line = number + 1
        return number

    # -- one block -----------------------------------------------------------------------

    def _block(self, block: blocks.Block, following: blocks.Block | None) -> int | None:
        """Take ``block``'s lines from the current line on: the last one, or None where its
        start is not what it is (then the map of the section is not to be trusted)."""
        head = self._text(self.line)
        if isinstance(block, blocks.BulletList | blocks.OrderedList):
            return self._list(block, head)
        if isinstance(block, blocks.DefinitionList):
            return self._definitions(len(block.c), head)
        if isinstance(block, blocks.BlockQuote):
            return self._rest_of_chunk() if head.lstrip().startswith(">") else None
        if isinstance(block, blocks.CodeBlock):
            return self._code(head)
        if isinstance(block, blocks.Table):
            return self._table(bool(block.caption), head)
        if isinstance(block, blocks.RawBlock) and head.lstrip().startswith("<!--"):
            return self._comment()
        if isinstance(block, blocks.Div) and not head.lstrip().startswith(":::") and not any(
                "</div>" in self._text(n) for n in range(self.line, self._chunk_end() + 1)):
            return None  # an HTML div over blank lines: where it ends is for pandoc to say
        if isinstance(block, blocks.Figure) and not head.lstrip().startswith("!["):
            return None
        if isinstance(following, blocks.CodeBlock):
            # a fenced code block may follow a paragraph without a blank line
            end = self.chunks[self.chunk][1]
            fence = next((n for n in range(self.line + 1, end + 1)
                          if _FENCE.match(self._text(n)) and
                          not self._text(n).lstrip().startswith(":")), None)
            if fence is not None:
                return self._until(fence - 1)
        return self._rest_of_chunk()

    def _list(self, block: blocks.BulletList | blocks.OrderedList, head: str) -> int | None:
        """A list of n items: up to the line that would start item n + 1, with the chunks
        after a blank line that start an item (a loose list) or are indented under one."""
        kind = _BULLET if isinstance(block, blocks.BulletList) else _ORDERED
        if not kind.match(head):
            return None
        top, wanted, count = _indent(head), len(block.items), 0
        end = self.line
        while self.chunk < len(self.chunks):
            if self.line == self.chunks[self.chunk][0] and count:
                # a chunk after a blank line: an item of this list, or indented under one
                first = self._text(self.line)
                is_item = _item(first) and _indent(first) < top + 2
                if not (_indent(first) >= top + 2 or (is_item and count < wanted)):
                    break
            for number in range(self.line, self.chunks[self.chunk][1] + 1):
                text = self._text(number)
                if text.strip() and _item(text) and _indent(text) < top + 2:
                    if count == wanted:  # the next list starts here, with no blank line
                        self.line = number
                        return end
                    count += 1
                end = number
            self._next_chunk()
        return end if count == wanted else None

    def _definitions(self, wanted: int, head: str) -> int | None:
        """A definition list of n terms: each term a chunk's first line, its definitions
        (``:`` or ``~``) under it or after a blank line, and their indented paragraphs."""
        if _indent(head) or _DEFINITION.match(head) or self.line != self.chunks[self.chunk][0]:
            return None
        count, end = 0, self.line
        while self.chunk < len(self.chunks):
            first = self._text(self.line)
            if not (_DEFINITION.match(first) or _indent(first)):
                if count == wanted:
                    break
                count += 1
            end = self._rest_of_chunk()
        return end if count == wanted else None

    def _code(self, head: str) -> int | None:
        if _FENCE.match(head):
            return self._rest_of_chunk()
        if not head.startswith(("    ", "\t")):
            return None
        end = self._rest_of_chunk()
        # an indented block runs on over blank lines while its lines stay indented
        while self.chunk < len(self.chunks) and self._text(self.line).startswith(("    ", "\t")):
            end = self._rest_of_chunk()
        return end

    def _table(self, captioned: bool, head: str) -> int | None:
        """A table, with its caption (``Table:`` or ``:``) before or after it."""
        if captioned and _CAPTION.match(head):
            self._rest_of_chunk()
            if self.chunk >= len(self.chunks):
                return None
            head, captioned = self._text(self.line), False
        if not any(_RULE.match(self._text(n)) for n in range(self.line, self._chunk_end() + 1)):
            return None  # no table's rule of dashes here
        start = self.line
        end = self._rest_of_chunk()
        if _DASHES.match(head) and (end == start or not _DASHES.match(self._text(end))):
            # a multiline table: its rows are apart by blank lines, up to its closing dashes
            while self.chunk < len(self.chunks):
                end = self._rest_of_chunk()
                if _DASHES.match(self._text(end)):
                    break
        if captioned and self.chunk < len(self.chunks) and _CAPTION.match(self._text(self.line)):
            end = self._rest_of_chunk()
        return end

    def _comment(self) -> int | None:
        """An HTML comment: up to the line that closes it, over blank lines."""
        while self.chunk < len(self.chunks):
            for number in range(self.line, self.chunks[self.chunk][1] + 1):
                if "-->" in self._text(number):
                    return self._until(number)
            self._next_chunk()
        return None


_BULLET = re.compile(r"^ {0,3}[-+*](?:\s|$)")
_ORDERED = re.compile(r"^ {0,3}(?:\(?(?:\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]"
                      r"|\(@[\w-]*\)|@[\w-]*\.)"
                      r"(?:\s|$)")
_DEFINITION = re.compile(r"^ {0,3}[:~](?:\s|$)")
_CAPTION = re.compile(r"^ {0,3}(?:Table:|:)(?:\s|$)")
_DASHES = re.compile(r"^ {0,3}-{3,}[- ]*$")
_RULE = re.compile(r"^(?=.*-)(?=.*(?:\||\+|---))[\s|+:=-]+$")
"""A table's rule: a pipe table's ``|---|``, a grid table's ``+---+``, a simple one's
``---  ---``."""


def _item(text: str) -> bool:
    """Whether a line starts a list item (of any kind)."""
    return bool(_BULLET.match(text) or _ORDERED.match(text))


def _indent(text: str) -> int:
    return len(text.expandtabs(4)) - len(text.expandtabs(4).lstrip())


_KINDS = {"BulletList": "list", "OrderedList": "numbered list",
          "DefinitionList": "definition list", "BlockQuote": "quotation",
          "CodeBlock": "code block", "Table": "table", "RawBlock": "raw HTML",
          "Div": "div", "Figure": "figure", "LineBlock": "line block",
          "HorizontalRule": "rule", "Header": "heading"}


def _what(block: blocks.Block) -> str:
    """What a block is, for a message."""
    return _KINDS.get(type(block).__name__, "paragraph")


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
