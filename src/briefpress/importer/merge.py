"""Turn a base text and two edited versions of it into one text, or into conflicts (diff3).

The merge runs over blocks, not lines: each text is cut into runs of non-blank lines
(a paragraph, a heading, the front matter, a list written without blank lines, a fenced
block whole: :func:`.sourcemap.chunks`) and the blank lines between them. Lining
up blocks rather than lines keeps a deleted paragraph's blank line from being read as
one side's change next to the other side's edit of its neighbour.

Each side's changes are the stretches of base blocks it replaced, deleted or inserted
between (difflib over the blocks). A change that touches no block the other side changed
takes that side; changes to different paragraphs merge even when the paragraphs are
neighbours. Where both sides changed the same stretch, each side's stretch is first cut
into single blocks (:func:`_split`): a block whose words are alike enough to a base
block's is an edit of it, any other a new block, and a block the other side deleted is
read as deleted here too where pairing it is not clearly likelier. What is still changed
on both sides merges when the two agree (the same paragraph deleted, or written the
same), else line by line within that stretch (lines both keep anchor it, as in the front
matter or a YAML file with no blank lines); what differs there is a conflict, which
keeps our lines. So an edit of the same paragraph on both sides, its deletion on one
side and edit on the other, or different blocks inserted at one place, conflict.

The blank lines between merged blocks are those that follow the block in the version it
comes from (one blank line where it had none after it); where the text starts and ends
is merged three ways. Lines are compared without a trailing carriage return, so a
source with Windows line endings merges with one the import wrote in LF.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from itertools import pairwise

from msgspec import Struct, field

from briefpress.importer.sourcemap import chunks

_BASE, _OURS, _THEIRS = 0, 1, 2

_RELATED = 0.5
"""How alike (difflib's ratio over words and punctuation) a block must be to a base block
to be read as an edit of it rather than as a new block."""

_AGREE = 0.25
"""What counts for reading a block the other side deleted as deleted on this side too:
it decides between pairings whose likeness differs by less."""

_ALIGN_PAIRS = 400
"""The largest stretch (base blocks times side blocks) whose blocks :func:`_pairs` pairs
by likeness; a larger one (both sides rewrote much of the text) is paired in order."""

_WORDS = 5000
"""The most words two blocks may have together for their likeness to weigh word order."""

_WORD = re.compile(r"\w+|[^\w\s]")


class Conflict(Struct):
    """Lines ``base_start..base_end`` (0-based, end exclusive) changed on both sides."""

    base_start: int
    base_end: int
    base: list[str]
    ours: list[str]
    theirs: list[str]
    ours_start: int
    """Where the stretch starts in our version (0-based), for messages."""


class _Text(Struct):
    """A text as lines, and its blocks (runs of non-blank lines) as line spans."""

    lines: list[str]
    spans: list[tuple[int, int]]
    """Each block's lines, 0-based, end exclusive."""

    @classmethod
    def of(cls, text: str) -> _Text:
        lines = text.split("\n")
        return cls(lines, [(start - 1, end) for start, end in chunks(lines, 1, len(lines))])

    def block(self, index: int) -> list[str]:
        return self.lines[slice(*self.spans[index])]

    def key(self, index: int) -> tuple[str, ...]:
        return _key(self.block(index))

    def edge(self, at: int) -> int:
        """The first line after block ``at - 1`` (0 for the text's start)."""
        return self.spans[at - 1][1] if at > 0 else 0

    def until(self, at: int) -> int:
        """The first line of block ``at`` (the line count at the text's end)."""
        return self.spans[at][0] if at < len(self.spans) else len(self.lines)

    def gap(self, at: int) -> list[str]:
        """The blank lines before block ``at``: at 0 how the text starts, at the block
        count how it ends (all of it for a text with no block)."""
        return self.lines[self.edge(at):self.until(at)]


class _Change(Struct, frozen=True):
    """Base blocks ``start..end`` that ``side`` has as its blocks ``new_start..new_end``."""

    side: int
    start: int
    end: int
    new_start: int
    new_end: int


class _Piece(Struct):
    """Part of the merged text: a block with where it stands in its versions, or a stretch
    merged line by line (``raw``), with the blank lines it had around it."""

    lines: list[str]
    at: dict[int, int] = field(default_factory=dict)
    raw: bool = False
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def merge3(base: str, ours: str, theirs: str) -> tuple[str, list[Conflict]]:
    """``ours`` and ``theirs`` merged over ``base``; conflicts leave our lines in place."""
    if ours == base:
        return theirs, []
    if theirs == base or ours == theirs:
        return ours, []
    texts = [_Text.of(base), _Text.of(ours), _Text.of(theirs)]
    kept: dict[int, dict[int, int]] = {}
    changes: list[_Change] = []
    for side in (_OURS, _THEIRS):
        kept[side], found = _diff(texts[_BASE], texts[side], side)
        changes += found
    done: list[tuple[int, int, list[_Piece]]] = []
    conflicts: list[Conflict] = []
    for group in _clusters(changes, touching=True):
        parts = [group]
        if len(group) > 1:  # both sides changed this stretch: looked at block by block
            parts = _clusters([part for change in group
                               for part in _split(change, texts, *_others(group, change.side))],
                              touching=False)
        for part in parts:
            start, end = part[0].start, max(change.end for change in part)
            if len(part) == 1:  # one side's change, which no change of the other touches
                side, first, stop = part[0].side, part[0].new_start, part[0].new_end
                done.append((start, end, [_Piece(texts[side].block(j), {side: j})
                                          for j in range(first, stop)]))
            else:
                pieces, found = _resolve(texts, part, start, end)
                done.append((start, end, pieces))
                conflicts += found
    pieces = _assemble(texts, kept, sorted(done, key=lambda item: (item[0], item[1])))
    return "\n".join(_join(texts, pieces)), sorted(conflicts, key=lambda c: c.base_start)


def _diff(base: _Text, other: _Text, side: int) -> tuple[dict[int, int], list[_Change]]:
    """Base block -> the block of ``other`` it is kept as, and the stretches changed."""
    matcher = difflib.SequenceMatcher(None, [base.key(i) for i in range(len(base.spans))],
                                      [other.key(j) for j in range(len(other.spans))],
                                      autojunk=False)
    kept: dict[int, int] = {}
    changes: list[_Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept.update(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            changes.append(_Change(side, i1, i2, j1, j2))
    return kept, changes


def _overlap(a: _Change, b: _Change, touching: bool) -> bool:
    """Whether two changes touch the same base block, or insert at the same place (or
    inside the other's stretch; with ``touching``, at either end of it too)."""
    if a.start < a.end and b.start < b.end:
        return a.start < b.end and b.start < a.end
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    insert, other = (a, b) if a.start == a.end else (b, a)
    return other.start < insert.start < other.end or (
        touching and insert.start in (other.start, other.end))


def _clusters(changes: list[_Change], touching: bool) -> list[list[_Change]]:
    """The changes grouped where one side's overlaps the other's, in base order.

    ``touching`` also groups an insertion at either end of the other side's stretch, so
    that :func:`_split` can find the same paragraph inserted on both sides (one side's
    insertion, the other's part of a replacement) and keep it once."""
    ordered = sorted(changes, key=lambda c: (c.start, c.end, c.side))
    group = list(range(len(ordered)))

    def root(n: int) -> int:
        while group[n] != n:
            group[n] = group[group[n]]
            n = group[n]
        return n

    open_: list[int] = []  # changes that may still overlap one starting later
    for n, change in enumerate(ordered):
        open_ = [o for o in open_ if ordered[o].end >= change.start]
        for o in open_:
            if ordered[o].side != change.side and _overlap(ordered[o], change, touching):
                group[root(n)] = root(o)
        open_.append(n)
    found: dict[int, list[_Change]] = {}
    for n, change in enumerate(ordered):
        found.setdefault(root(n), []).append(change)
    return list(found.values())


def _others(group: list[_Change], side: int) -> tuple[set[int], set[int]]:
    """What the side other than ``side`` did in ``group``: the base blocks it deleted
    (replaced by nothing), and where it inserted blocks."""
    others = [change for change in group if change.side != side]
    return ({i for change in others if change.new_start == change.new_end
             for i in range(change.start, change.end)},
            {change.start for change in others if change.start == change.end})


def _split(change: _Change, texts: list[_Text], deleted: set[int],
           inserted: set[int]) -> list[_Change]:
    """``change`` cut into changes of one base block each (edited or deleted) and the
    insertions between them.

    A block of the side is read as an edit of a base block when their words are alike
    (:data:`_RELATED`), else as new; as many blocks as possible are paired so, the
    likelier pairs first. A base block in ``deleted`` (deleted on the other side) counts
    :data:`_AGREE` towards being read as deleted here too: a paragraph both sides
    deleted, one also editing its neighbour, is no conflict, while a paragraph deleted on
    one side and edited on the other still is. New blocks that take the place of deleted
    ones go after them, or before them where only that keeps them from where the other
    side inserted (``inserted``): either order is the text's."""
    side, n, m = change.side, change.end - change.start, change.new_end - change.new_start
    if n == 0:
        return [change]
    base, other = texts[_BASE], texts[side]
    if m == 0:
        return [_Change(side, i, i + 1, change.new_start, change.new_start)
                for i in range(change.start, change.end)]
    pairs = _pairs(change, texts, deleted) if n * m <= _ALIGN_PAIRS \
        else list(zip(range(min(n, m)), range(min(n, m)), strict=True))
    parts: list[_Change] = []
    x = y = 0
    for px, py in [*pairs, (n, m)]:
        i, j, new = change.start + x, change.new_start + y, py - y
        before = new > 0 and change.start + px in inserted and i not in inserted
        if new:
            at = i if before else change.start + px
            parts.append(_Change(side, at, at, j, j + new))
        gone = j + new if before else j  # where this side stands at the deleted blocks
        parts += [_Change(side, i + d, i + d + 1, gone, gone) for d in range(px - x)]
        if px < n:
            i, j = change.start + px, change.new_start + py
            if base.key(i) != other.key(j):
                parts.append(_Change(side, i, i + 1, j, j + 1))
        x, y = px + 1, py + 1
    return parts


def _pairs(change: _Change, texts: list[_Text], deleted: set[int]) -> list[tuple[int, int]]:
    """The pairs (base offset, side offset) of :func:`_split`, by dynamic programming: the
    most pairs of alike blocks, then the most likeness and agreement with the other side's
    deletions."""
    n, m = change.end - change.start, change.new_end - change.new_start
    base, other = texts[_BASE], texts[change.side]
    words_a = [_words(base.block(change.start + x)) for x in range(n)]
    words_b = [_words(other.block(change.new_start + y)) for y in range(m)]
    scores: dict[tuple[int, int], float] = {}
    for x in range(n):
        for y in range(m):
            likeness = _likeness(words_a[x], words_b[y])
            if likeness >= _RELATED:
                scores[x, y] = 1 + likeness  # one more pair outweighs any likeness
    agree = [_AGREE if change.start + x in deleted else 0.0 for x in range(n)]
    # best[x][y]: the most that base blocks from offset x and side blocks from y can score
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for x in range(n, -1, -1):
        for y in range(m, -1, -1):
            options = [scores[x, y] + best[x + 1][y + 1]] if (x, y) in scores else []
            if x < n:
                options.append(agree[x] + best[x + 1][y])
            if y < m:
                options.append(best[x][y + 1])
            best[x][y] = max(options, default=0.0)
    found: list[tuple[int, int]] = []
    x = y = 0
    while x < n and y < m:  # forward: a pair where it scores as well as leaving either out
        if (x, y) in scores and scores[x, y] + best[x + 1][y + 1] >= best[x][y]:
            found.append((x, y))
            x, y = x + 1, y + 1
        elif agree[x] + best[x + 1][y] >= best[x][y]:
            x += 1
        else:
            y += 1
    return found


def _likeness(a: list[str], b: list[str]) -> float:
    """How alike two blocks' words are, from 0 to 1: difflib's ratio (which passes over
    the words most frequent in a long block), or for very long blocks the share of words
    the two have in common, in any order."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    if total > _WORDS:
        return 2 * sum((Counter(a) & Counter(b)).values()) / total
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < _RELATED or matcher.quick_ratio() < _RELATED:
        return 0.0  # not alike enough, whatever the order (an upper bound, quickly)
    return matcher.ratio()


def _words(lines: list[str]) -> list[str]:
    """A block's words and punctuation marks, for measuring likeness."""
    return _WORD.findall(" ".join(lines))


def _range(group: list[_Change], side: int, start: int, end: int) -> tuple[int, int]:
    """The blocks of ``side`` standing for base blocks ``start..end`` (changed in ``group``)."""
    mine = [c for c in group if c.side == side]
    first, last = mine[0], mine[-1]
    return first.new_start - (first.start - start), last.new_end + (end - last.end)


def _resolve(texts: list[_Text], group: list[_Change], start: int,
             end: int) -> tuple[list[_Piece], list[Conflict]]:
    """Base blocks ``start..end``, changed on both sides: the same on both, else merged
    line by line with the blank lines around them (conflicts where that fails)."""
    ours, theirs = _range(group, _OURS, start, end), _range(group, _THEIRS, start, end)
    if [texts[_OURS].key(j) for j in range(*ours)] == \
            [texts[_THEIRS].key(k) for k in range(*theirs)]:
        return [_Piece(texts[_OURS].block(j), {_OURS: j, _THEIRS: k})
                for j, k in zip(range(*ours), range(*theirs), strict=True)], []
    spans = [(texts[_BASE].edge(start), texts[_BASE].until(end)),
             (texts[_OURS].edge(ours[0]), texts[_OURS].until(ours[1])),
             (texts[_THEIRS].edge(theirs[0]), texts[_THEIRS].until(theirs[1]))]
    merged, found = _merge_lines(*(text.lines[slice(*span)]
                                   for text, span in zip(texts, spans, strict=True)))
    for conflict in found:
        conflict.base_start += spans[_BASE][0]
        conflict.base_end += spans[_BASE][0]
        conflict.ours_start += spans[_OURS][0]
    lead = next((n for n, line in enumerate(merged) if line.strip()), len(merged))
    trail = next((n for n in range(len(merged), lead, -1) if merged[n - 1].strip()), lead)
    return [_Piece(merged[lead:trail], raw=True, before=merged[:lead],
                   after=merged[trail:])], found


def _assemble(texts: list[_Text], kept: dict[int, dict[int, int]],
              done: list[tuple[int, int, list[_Piece]]]) -> list[_Piece]:
    """The merged pieces in order: the blocks no side changed around those merged."""
    pieces: list[_Piece] = []
    at = 0
    for start, end, merged in [*done, (len(texts[_BASE].spans), 0, [])]:
        for i in range(at, start):
            j, k = kept[_OURS][i], kept[_THEIRS][i]
            lines = _take(texts[_BASE].block(i), texts[_OURS].block(j), texts[_THEIRS].block(k))
            pieces.append(_Piece(lines, {_BASE: i, _OURS: j, _THEIRS: k}))
        pieces += merged
        at = max(at, end)
    return pieces


def _join(texts: list[_Text], pieces: list[_Piece]) -> list[str]:
    """The lines of the merged text: the pieces with the blank lines between them, and
    where the text starts and ends merged three ways."""
    last = {_BASE: len(texts[_BASE].spans), _OURS: len(texts[_OURS].spans),
            _THEIRS: len(texts[_THEIRS].spans)}
    ends = [texts[side].gap(last[side]) for side in (_BASE, _OURS, _THEIRS)]
    pieces = [piece for piece in pieces if piece.lines]  # a stretch merged to no text
    if not pieces:
        return _take(*ends)
    # a text with no block ends, but does not start, with its blank lines
    lines = _take(*(text.gap(0) if text.spans else [] for text in texts))
    for piece, after in pairwise([*pieces, None]):
        lines += piece.lines
        if after is None:
            lines += _take(*ends)
        elif piece.raw or after.raw:  # the blank lines the line-by-line merge kept there
            lines += (piece.after if piece.raw else after.before) or [""]
        else:
            lines += _between(texts, piece, after, last)
    return lines


def _between(texts: list[_Text], piece: _Piece, after: _Piece,
             last: dict[int, int]) -> list[str]:
    """The blank lines after ``piece``'s block in its versions, those where ``after``
    follows it first (else those before ``after``'s block, where ``piece`` ends all its
    versions); merged three ways when all three have it; one blank line if none."""
    gaps = {side: texts[side].gap(index + 1) for side, index in piece.at.items()
            if index + 1 < last[side]}
    next_to = {side: gap for side, gap in gaps.items() if after.at.get(side) == piece.at[side] + 1}
    pool = next_to or gaps or {side: texts[side].gap(index) for side, index in after.at.items()
                               if index > 0}
    if len(pool) == 3:
        return _take(pool[_BASE], pool[_OURS], pool[_THEIRS])
    for side in (_OURS, _THEIRS, _BASE):
        if side in pool:
            return pool[side]
    return [""]


def _take(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """Theirs where ours is the base's, else ours."""
    return theirs if ours == base else ours


def _key(lines: list[str]) -> tuple[str, ...]:
    """Lines as compared: without a carriage return at the end."""
    return tuple(line.removesuffix("\r") for line in lines)


def _merge_lines(a: list[str], o: list[str],
                 t: list[str]) -> tuple[list[str], list[Conflict]]:
    """diff3 over lines: lines both versions keep from ``a`` anchor the merge; between
    anchors, a stretch changed on one side only takes that side, and one changed
    differently on both sides is a conflict (our lines kept)."""
    ka, ko, kt = list(_key(a)), list(_key(o)), list(_key(t))
    if ko == ka:
        return t, []
    if kt == ka or ko == kt:
        return o, []
    in_ours, in_theirs = _matches(ka, ko), _matches(ka, kt)
    result: list[str] = []
    conflicts: list[Conflict] = []
    i = j = k = 0
    while i < len(a) or j < len(o) or k < len(t):
        if i < len(a) and in_ours.get(i) == j and in_theirs.get(i) == k:
            result.append(o[j] if o[j] != a[i] else t[k])
            i, j, k = i + 1, j + 1, k + 1
            continue
        stable = next((n for n in range(i, len(a)) if n in in_ours and n in in_theirs
                       and in_ours[n] >= j and in_theirs[n] >= k), None)
        end_a = stable if stable is not None else len(a)
        end_o = in_ours[stable] if stable is not None else len(o)
        end_t = in_theirs[stable] if stable is not None else len(t)
        chunk_a, chunk_o, chunk_t = ka[i:end_a], ko[j:end_o], kt[k:end_t]
        if chunk_o in (chunk_a, chunk_t):
            result.extend(t[k:end_t])
        elif chunk_t == chunk_a:
            result.extend(o[j:end_o])
        else:
            conflicts.append(Conflict(i, end_a, a[i:end_a], o[j:end_o], t[k:end_t], j))
            result.extend(o[j:end_o])
        i, j, k = end_a, end_o, end_t
    return result, conflicts


def _matches(a: list[str], b: list[str]) -> dict[int, int]:
    """Line of ``a`` -> the line of ``b`` it is kept as."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    found: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            found[block.a + offset] = block.b + offset
    return found
