"""Turn edits of YAML values (a recommendation's text, a title) into edits of the YAML text.

The file is never dumped again: each changed value is replaced where it stands,
in the quoting style it was written in, new entries are written with the
indentation of their neighbours, and an entry moved to another place (a
recommendation to another area) takes its own lines there, so comments, key
order and every untouched line stay byte for byte as the author wrote them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from msgspec import Struct

Path_ = tuple[Any, ...]


class _Move(Struct):
    """An item moved by :meth:`YamlText.move_item`: its lines and the edits that take them."""

    start: int
    """Where its first line starts in the original text."""
    end: int
    """Where its last line ends (before the newline)."""
    shift: int
    """Columns each of its lines gains (or, below zero, loses) at its new place."""
    delete: int
    """The edit that takes its lines away (its index in the queue)."""
    insert: int
    """The edit that writes them at the new place, its text made by :meth:`YamlText.result`."""
    before: bool
    """Whether they go before a line (lines, newline) or after the text's last line
    (newline, lines)."""


class YamlText:
    """A YAML document and the edits queued on it, applied together by :meth:`result`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root = yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None
        self.lines = text.split("\n")
        self._edits: list[tuple[int, int, str]] = []
        """(start, end, new text) on the original text; applied last to first."""
        self._items: set[int] = set()
        """The edits that write a whole item at an item's boundary (by their index)."""
        self._moves: list[_Move] = []
        self._emptied: dict[Path_, set[int]] = {}
        """Each block sequence's items deleted or moved out of it (by their index)."""
        self._filled: set[Path_] = set()
        """The sequences an item is inserted or moved into."""

    # -- finding ---------------------------------------------------------------------------

    def node(self, path: Path_) -> yaml.Node | None:
        node = self.root
        for part in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part] if 0 <= part < len(node.value) else None
            else:
                return None
        return node

    def key_node(self, path: Path_) -> yaml.Node | None:
        parent = self.node(path[:-1])
        if isinstance(parent, yaml.MappingNode):
            return next((k for k, _ in parent.value if k.value == path[-1]), None)
        return None

    def index_of(self, seq_path: Path_, ident: str) -> int | None:
        """Index of the item with ``id: ident`` in the sequence at ``seq_path``."""
        seq = self.node(seq_path)
        if not isinstance(seq, yaml.SequenceNode):
            return None
        for index, item in enumerate(seq.value):
            if isinstance(item, yaml.MappingNode) and any(
                    k.value == "id" and v.value == ident for k, v in item.value):
                return index
        return None

    # -- editing ---------------------------------------------------------------------------

    def replace_scalar(self, path: Path_, value: str) -> None:
        """Give the scalar at ``path`` a new value, quoted as the old one was (a value that
        gains lines, a block)."""
        node = self.node(path)
        if not isinstance(node, yaml.ScalarNode):
            raise KeyError(path)
        if node.style in _BLOCKS and "\n" in value.strip("\n") and \
                node.value.endswith("\n") and not value.endswith("\n"):
            value += "\n"  # a block of lines keeps its last line break, as written (`|`)
        if node.value == value:
            return
        indent = self.key_node(path).start_mark.column if self.key_node(path) else 0
        start = node.start_mark.index
        end = self._scalar_end(node)
        line_end = self.text.find("\n", end)
        rest = self.text[end:] if line_end < 0 else self.text[end:line_end]
        rendered = render_scalar(value, node.style, indent)
        if "\n" in value.strip("\n") and "\n" not in node.value.strip("\n") and \
                not rest.strip() and node.style not in _BLOCKS:
            # a value of one line given several (a recommendation given a second paragraph)
            # is written as a block of its lines, not quoted on one line ("…\n\n…"); not
            # where a comment follows it on its line, which a block would take in
            block = render_scalar(value.rstrip("\n") + "\n", "|", indent)
            rendered = block if block.startswith("|") else rendered
        if start > 0 and self.text[start - 1] == ":":
            rendered = " " + rendered  # an empty value (`key:`) starts at its colon
        self._edits.append((start, end, rendered))

    def set_key(self, mapping_path: Path_, key: str, value: str, after: str) -> None:
        """Add ``key: value`` to a mapping, on the line after its key ``after``."""
        anchor = self.node((*mapping_path, after))
        key_node = self.key_node((*mapping_path, after))
        if anchor is None or key_node is None:
            raise KeyError((*mapping_path, after))
        line = self._last_line(anchor)
        indent = " " * key_node.start_mark.column
        position = self._line_end(line)
        rendered = render_scalar(value, '"', len(indent))
        self._edits.append((position, position, f"\n{indent}{key}: {rendered}"))

    def delete_key(self, path: Path_) -> None:
        """Remove a ``key: value`` entry (its whole lines)."""
        key, value = self.key_node(path), self.node(path)
        if key is None or value is None:
            return
        self._delete_lines(key.start_mark.line, self._last_line(value))

    def delete_item(self, seq_path: Path_, index: int) -> None:
        """Remove one item of a block sequence, from its dash to its last line."""
        item = self.node((*seq_path, index))
        if item is None:
            return
        self._delete_lines(item.start_mark.line, self._last_line(item))
        self._emptied.setdefault(tuple(seq_path), set()).add(index)

    def insert_item(self, seq_path: Path_, index: int, entries: list[tuple[str, Any]]) -> None:
        """Insert a mapping item (key, value pairs; a value may be a list of such items)
        before the item at ``index`` (or after the last one), indented as its siblings."""
        seq = self.node(seq_path)
        if not isinstance(seq, yaml.SequenceNode) or not seq.value:
            raise KeyError(seq_path)
        sibling = seq.value[min(index, len(seq.value) - 1)]
        column = sibling.start_mark.column
        dash = self._dash(sibling)
        block = "\n".join(_item_lines(entries, dash, column - dash, self._key_styles()))
        position, before = self._place(seq, index)
        self._items.add(len(self._edits))
        self._edits.append((position, position, block + "\n" if before else "\n" + block))
        self._filled.add(tuple(seq_path))

    def move_item(self, seq_path: Path_, index: int, to_path: Path_, to_index: int) -> None:
        """Move the item at ``index`` of one block sequence before the item at ``to_index``
        of another (or after its last one): its own lines, comments and quoting as they
        are, with the edits queued inside it, indented as its new siblings."""
        item = self.node((*seq_path, index))
        seq = self.node(to_path)
        if item is None or not isinstance(seq, yaml.SequenceNode) or not seq.value:
            raise KeyError(to_path if item is not None else (*seq_path, index))
        if tuple(to_path) == tuple(seq_path) and to_index in (index, index + 1):
            return  # where it stands
        first, last = item.start_mark.line, self._last_line(item)
        shift = self._dash(seq.value[min(to_index, len(seq.value) - 1)]) - self._dash(item)
        self._delete_lines(first, last)
        position, before = self._place(seq, to_index)
        self._items.add(len(self._edits))
        self._edits.append((position, position, ""))
        self._moves.append(_Move(self._line_start(first), self._line_end(last), shift,
                                 len(self._edits) - 2, len(self._edits) - 1, before))
        self._emptied.setdefault(tuple(seq_path), set()).add(index)
        self._filled.add(tuple(to_path))

    def _dash(self, item: yaml.Node) -> int:
        """The column of the dash of a block sequence's ``item``."""
        column = item.start_mark.column
        dash = self.lines[item.start_mark.line].rfind("-", 0, column)
        return dash if dash >= 0 else max(column - 2, 0)

    def _place(self, seq: yaml.SequenceNode, index: int) -> tuple[int, bool]:
        """Where an item goes before the item at ``index`` of ``seq`` (or after its last):
        the start of a line (True: the item's lines and a newline are written there), or,
        after the text's last line, its end (False: a newline and the item's lines). Never
        the end of an item's last line, which moving that item takes away."""
        if index < len(seq.value):
            return self._line_start(seq.value[index].start_mark.line), True
        line = self._last_line(seq.value[-1]) + 1
        if line < len(self.lines):
            return self._line_start(line), True
        return len(self.text), False

    def _key_styles(self) -> dict[str, str | None]:
        """How the file quotes the values of each key (``text`` in double quotes, …)."""
        seen: dict[str, dict[str | None, int]] = {}

        def visit(node: yaml.Node | None) -> None:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(value, yaml.ScalarNode):
                        counts = seen.setdefault(key.value, {})
                        counts[value.style] = counts.get(value.style, 0) + 1
                    visit(value)
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    visit(item)

        visit(self.root)
        return {key: max(counts, key=lambda style: counts[style])
                for key, counts in seen.items()}

    def _empty_lists(self) -> list[tuple[int, int, str]]:
        """The edits that write ``key: []`` for each block sequence whose every item was
        deleted or moved out, and none put in: its key alone would read as null, which no
        list of the schema is (``areas:`` with nothing under it). The key's line and its
        comment stay; the lines under it go (each within an item's, taken with it)."""
        edits: list[tuple[int, int, str]] = []
        for path, gone in self._emptied.items():
            seq, key = self.node(path), self.key_node(path) if path else None
            if (path in self._filled or key is None or not isinstance(seq, yaml.SequenceNode)
                    or seq.flow_style or len(gone) < len(seq.value)):
                continue
            colon = self.text.index(":", key.end_mark.index) + 1
            edits.append((colon, colon, " []"))
            first, last = key.start_mark.line + 1, self._last_line(seq)
            end = self._line_start(last + 1) if last + 1 < len(self.lines) else len(self.text)
            edits.append((self._line_start(first), end, ""))
        return edits

    def result(self) -> str:
        edits = [*self._edits, *self._empty_lists()]
        inside: set[int] = set()
        for move in self._moves:
            # the edits within the moved item's lines are made on them, which then go
            own = {n for n, (start, end, _) in enumerate(edits)
                   if move.start <= start and end <= move.end and n not in self._items
                   and n != move.delete}
            inside |= own
            lines = _applied(self.text[move.start:move.end],
                             [(start - move.start, end - move.start, new)
                              for n, (start, end, new) in enumerate(edits) if n in own])
            block = "\n".join(_shifted(line, move.shift) for line in lines.split("\n"))
            position = edits[move.insert][0]
            edits[move.insert] = (position, position,
                                  block + "\n" if move.before else "\n" + block)
        kept = [edit for n, edit in enumerate(edits) if n not in inside]
        # an edit within lines taken away goes with them (a recommendation deleted with its
        # area): made first, it would shift the offsets the larger deletion was made on
        taken = [(start, end) for start, end, new in kept if not new and start < end]
        made: list[tuple[int, int, str]] = []
        for start, end, new in kept:
            if not new and start < end and (start, end, new) in made:
                continue  # the same lines taken away twice
            if any(first <= start and end <= last and (start, end) != (first, last)
                   and not (start == end and start in (first, last))
                   for first, last in taken):
                continue
            made.append((start, end, new))
        return _applied(self.text, made)

    @property
    def changed(self) -> bool:
        return bool(self._edits)

    # -- positions -------------------------------------------------------------------------

    def _scalar_end(self, node: yaml.ScalarNode) -> int:
        end = node.end_mark.index
        if node.style in ("|", ">"):
            # a block scalar ends where the next key starts; keep that line's indentation
            while end > 0 and self.text[end - 1] in " \n":
                end -= 1
        return end

    def _last_line(self, node: yaml.Node) -> int:
        """0-based line of the last character that belongs to ``node``."""
        if isinstance(node, yaml.ScalarNode):
            end = self._scalar_end(node)
            return self.text.count("\n", 0, max(end - 1, 0)) if end else 0
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [v for _, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if not children:
            mark = node.end_mark
            return mark.line - 1 if mark.column == 0 and mark.line > 0 else mark.line
        return max(self._last_line(child) for child in children)

    def _line_start(self, line: int) -> int:
        return sum(len(text) + 1 for text in self.lines[:line])

    def _line_end(self, line: int) -> int:
        return self._line_start(line) + len(self.lines[line])

    def _delete_lines(self, first: int, last: int) -> None:
        start = self._line_start(first)
        end = self._line_start(last + 1) if last + 1 < len(self.lines) else len(self.text)
        self._edits.append((start, end, ""))


def _applied(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with ``edits`` (start, end, new text on its offsets, in the order queued)."""
    # from the end backwards, so earlier offsets stay true; at one offset the edit queued
    # last is applied first, so that the edits end up in the order they were queued
    order = sorted(range(len(edits)), key=lambda n: (edits[n][0], edits[n][1], n),
                   reverse=True)
    for number in order:
        start, end, new = edits[number]
        text = text[:start] + new + text[end:]
    return text


def _shifted(line: str, shift: int) -> str:
    """A line of a moved item, indented by ``shift`` more columns (or fewer: only its
    leading spaces go); a blank line stays blank."""
    if not line.strip():
        return line
    if shift >= 0:
        return " " * shift + line
    return line[min(-shift, len(line) - len(line.lstrip(" "))):]


def _item_lines(entries: list[tuple[str, Any]], dash: int, gap: int,
                styles: dict[str, str | None]) -> list[str]:
    lines: list[str] = []
    key_indent = dash + gap
    for number, (key, value) in enumerate(entries):
        prefix = " " * dash + "-" + " " * (gap - 1) if number == 0 else " " * key_indent
        if isinstance(value, list):
            lines.append(f"{prefix}{key}:")
            for item in value:
                lines.extend(_item_lines(item, key_indent + 2, 2, styles))
        else:
            text = str(value)
            if "\n" in text.strip("\n"):  # text of several lines (paragraphs): a block
                rendered = render_scalar(text.rstrip("\n") + "\n", "|", key_indent)
            else:
                rendered = render_scalar(text, styles.get(key), key_indent)
            lines.append(f"{prefix}{key}: {rendered}")
    return lines


_NO_FOLDING = 1 << 20
"""A line width no text reaches: the yaml library breaks no line of a block."""

_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/()-]*$")


_BLOCKS = ("|", ">")
"""The styles of YAML's block scalars, literal and folded."""


def render_scalar(value: str, style: str | None, indent: int = 0) -> str:
    """A YAML scalar holding exactly ``value``, in ``style`` when that can hold it (a block
    scalar, ``|`` or ``>``, as a literal block of its lines, indented under a key at
    column ``indent``; the yaml library writes it, in double quotes if no block holds it)."""
    # (a block whose value ends in blank lines would keep them, `|+`, and run to the next
    # key's line, which the file's own blank lines would join)
    if style in _BLOCKS and "\n" in value.rstrip("\n") and not value.endswith("\n\n"):
        node = yaml.ScalarNode("tag:yaml.org,2002:str", value, style="|")
        lines = yaml.serialize(node, allow_unicode=True, width=_NO_FOLDING).split("\n")
        # the library indents the block under column 0; the value sits under its key (a
        # block scalar ends where the next key starts: no line break after its last line)
        block = "\n".join([lines[0], *[" " * indent + line if line else line
                                         for line in lines[1:]]]).rstrip("\n")
        # a character a block would read otherwise (U+2028 is a line break to YAML): quoted
        if yaml.safe_load(f"{' ' * indent}k: {block}\n") == {"k": value}:
            return block
    if style is None and _PLAIN_SAFE.match(value) and not value.endswith(" ") and \
            yaml.safe_load(value) == value:
        return value
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    # JSON strings are YAML double-quoted scalars; the line separators YAML would fold are
    # escaped as well
    rendered = json.dumps(value, ensure_ascii=False)
    return rendered.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
