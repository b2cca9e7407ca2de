"""Turn brief.md into a map of where each block, heading and definition stands, by line.

pandoc's AST has no source positions, so the map is rebuilt from the text: the
lines between two headings are cut at blank lines (outside fenced code and
divs), link and footnote definitions are set aside (each its own lines), and
the blocks pandoc read in the section are walked in step with what is left:
what each block is says how far its lines run (a list of n items, a definition
list of n terms, a table and its caption, …). A section where that walk does not
come out even is marked, with the line and the block where it failed, and an
edit in it is refused rather than put in the wrong place.
A list block's items are found line by line (from marker to marker in the first
one's column), and trusted only where pandoc reads as many; the lists of a text also
tell how it writes lists (markers, spacing, indentation), which an edited list follows.
"""

from __future__ import annotations

import re

from msgspec import Struct, field

from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.read.brief import fence_opened, fenced_lines

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


def chunks(lines: list[str], first: int, last: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines in ``first..last`` (1-based, inclusive), a fenced block (code
    or div, :func:`briefpress.read.brief.fences`) kept whole; the merge (:mod:`.merge`) cuts whole
    texts with it too."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    fenced = fenced_lines(lines[first - 1:last], divs=True)
    for number in range(first, last + 1):
        line = lines[number - 1]
        if line.strip() or fenced[number - first]:
            if start is None:
                start = number
        elif start is not None:
            found.append((start, number - 1))
            start = None
    if start is not None:
        found.append((start, last))
    return found


def _groups(lines: list[str], first: int, last: int, smap: SourceMap,
            found: list[blocks.Block]) -> list[tuple[int, int]] | _Unmapped:
    """The lines of each block of a section body (``found``, as pandoc read them), or where
    they could not be told apart; definitions recorded, not grouped."""
    content: list[tuple[int, int]] = []
    in_note = False
    for start, end in chunks(lines, first, last):
        head = lines[start - 1]
        if _LINK_DEF.match(head) and all(_LINK_DEF.match(lines[n - 1]) or
                                         lines[n - 1].startswith((" ", "\t"))
                                         for n in range(start, end + 1)):
            _record_links(lines, start, end, smap)
            in_note = False
            continue
        if _NOTE_DEF.match(head) or (in_note and head.startswith(("    ", "\t"))) or (
                _LINK_DEF.match(head) and any(_NOTE_DEF.match(lines[n - 1])
                                              for n in range(start, end + 1))):
            # definitions written line after line, without blank lines between, and a
            # note's indented paragraphs: each definition its own span (a line that starts
            # no definition continues the one before), also where the next starts right
            # under a note's last indented paragraph, or a note's right under link
            # definitions (as an import adds a new note to a brief that ends with them)
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
                return self._failed(spans, self.chunks[-1][1] if self.chunks else 0, block)
            start = self.line
            following = self.found[index + 1] if index + 1 < len(self.found) else None
            end = self._block(block, following)
            if end is None:
                return self._failed(spans, start, block)
            spans.append((start, end))
        if self.chunk < len(self.chunks):
            # lines left over: the last block ran on further than its kind says
            return self._failed(spans, spans[-1][0], self.found[-1]) if spans else \
                _Unmapped(self.line, "text")
        return spans

    def _failed(self, spans: list[tuple[int, int]], line: int, block: blocks.Block
                ) -> _Unmapped:
        """Where the walk went wrong: the first block whose lines disagree with what it is
        (a paragraph that opens with a list's item: the list right before it stopped short
        of it), else where the walk stopped (``line``, ``block``)."""
        for index, (start, _) in enumerate(spans):
            if not isinstance(self.found[index], blocks.Para | blocks.Plain) or \
                    not (_item(self._text(start)) or self._text(start).lstrip().startswith(">")):
                continue
            before = index - 1
            if before >= 0 and spans[before][1] + 1 == start and \
                    isinstance(self.found[before], blocks.BulletList | blocks.OrderedList):
                return _Unmapped(spans[before][0], _what(self.found[before]))
            return _Unmapped(start, _what(self.found[index]))
        return _Unmapped(line, _what(block))

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
                          if fence_opened(self._text(n))), None)
            if fence is not None:
                return self._until(fence - 1)
        return self._rest_of_chunk()

    def _list(self, block: blocks.BulletList | blocks.OrderedList, head: str) -> int | None:
        """A list of n items: up to the line that would start item n + 1, with the chunks
        after a blank line that start an item (a loose list) or are indented under one."""
        opens = _BULLET.match(head) if isinstance(block, blocks.BulletList) else _ordered(head)
        if not opens:
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
        if fence_opened(head):
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
_FIGURE = r"(?:\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+)"
"""A numbered item's number: digits, ``#``, a letter, a roman numeral."""
_NUMBER = rf"\({_FIGURE}\)|{_FIGURE}[.)]"
"""A numbered item's marker: ``(1)``, ``1)`` or ``1.`` (not ``(1.``)."""
_ORDERED = re.compile(rf"^ {{0,3}}({_NUMBER}|\(@[\w-]*\)|@[\w-]*\.)(\s*)(.*)$")
_DEFINITION = re.compile(r"^ {0,3}[:~](?:\s|$)")
_CAPTION = re.compile(r"^ {0,3}(?:Table:|:)(?:\s|$)")
_DASHES = re.compile(r"^ {0,3}-{3,}[- ]*$")
_RULE = re.compile(r"^(?=.*-)(?=.*(?:\||\+|---))[\s|+:=-]+$")
"""A table's rule: a pipe table's ``|---|``, a grid table's ``+---+``, a simple one's
``---  ---``."""


def opens_item(marker: str, gap: str, words: str) -> bool:
    """Whether pandoc's Markdown reads ``marker`` followed by ``gap`` (the spaces and tabs
    after it) and ``words`` (the rest of the line) as a list item's start. A marker needs
    space after it unless the line ends there; a capital letter and a period (``B.``, also
    ``I.``, ``V.``, ``X.``…) needs two spaces or a tab, since ``B. Russell`` may be a name;
    and ``p.`` with one space before a digit is a page (``p. 5``), no item. Shared by the
    map (which reads items) and the writer (:func:`.markdown._gap`, which writes them)."""
    if not words:
        return True
    if not gap:
        return False
    if marker == "p." and len(gap) == 1 and words[0].isdigit():
        return False
    if len(marker) == 2 and marker[1] == "." and "A" <= marker[0] <= "Z":
        return "\t" in gap or len(gap) >= 2
    return True


def _ordered(text: str) -> bool:
    """Whether a line starts a numbered list's item, as pandoc reads it."""
    match = _ORDERED.match(text)
    return match is not None and opens_item(match.group(1), match.group(2), match.group(3))


def _item(text: str) -> bool:
    """Whether a line starts a list item (of any kind)."""
    return bool(_BULLET.match(text)) or _ordered(text)


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
    # a line that starts no definition continues a note's (the one before this chunk's
    # first line too: a note's indented paragraph), not a link's
    in_note = not _LINK_DEF.match(lines[start - 1])
    for number in range(start, end + 1):
        note = _NOTE_DEF.match(lines[number - 1])
        if note:
            smap.notes[note.group(1)] = Definition(note.group(1), number, number)
            in_note = True
        elif _LINK_DEF.match(lines[number - 1]):
            _record_links(lines, number, number, smap)
            in_note = False
        elif in_note:
            smap.notes[next(reversed(smap.notes))].end = number


def _record_links(lines: list[str], start: int, end: int, smap: SourceMap) -> None:
    for number in range(start, end + 1):
        match = _LINK_DEF.match(lines[number - 1])
        if match:
            url = match.group(2).strip().split()[0] if match.group(2).strip() else ""
            smap.links[match.group(1).casefold()] = Definition(match.group(1), number, number,
                                                               url.strip("<>"))


_MARKER = re.compile(rf"^( *)([-+*]|{_NUMBER})( +|$)(.*)$")


def _marker(line: str) -> re.Match[str] | None:
    """The marker of the list item ``line`` opens, as pandoc reads it (:func:`opens_item`),
    or None: its indentation, the marker, the spaces after it."""
    match = _MARKER.match(line)
    if match is None or not opens_item(match.group(2), match.group(3), match.group(4)):
        return None
    return match


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
    fenced = fenced_lines(lines, indented=True)
    return [(number, None if fenced[number] else _marker(line))
            for number, line in enumerate(lines)]


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
