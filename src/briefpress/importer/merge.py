"""Turn a base text and two edited versions of it into one text, or into conflicts (diff3).

Lines that both versions keep from the base anchor the merge; between anchors,
a stretch changed on one side only takes that side, and a stretch changed
differently on both sides is a conflict. In brief.md every paragraph is a line
between blank lines, so edits to different paragraphs merge and edits to the
same paragraph conflict.
"""

from __future__ import annotations

import difflib

from msgspec import Struct


class Conflict(Struct):
    """Lines ``base_start..base_end`` (0-based, end exclusive) changed on both sides."""

    base_start: int
    base_end: int
    base: list[str]
    ours: list[str]
    theirs: list[str]
    ours_start: int
    """Where the stretch starts in our version (0-based), for messages."""


def merge3(base: str, ours: str, theirs: str) -> tuple[str, list[Conflict]]:
    """``ours`` and ``theirs`` merged over ``base``; conflicts leave our lines in place."""
    if ours == base:
        return theirs, []
    if theirs == base or ours == theirs:
        return ours, []
    a, o, t = base.split("\n"), ours.split("\n"), theirs.split("\n")
    in_ours, in_theirs = _matches(a, o), _matches(a, t)
    result: list[str] = []
    conflicts: list[Conflict] = []
    i = j = k = 0
    while i < len(a) or j < len(o) or k < len(t):
        if i < len(a) and in_ours.get(i) == j and in_theirs.get(i) == k:
            result.append(a[i])
            i, j, k = i + 1, j + 1, k + 1
            continue
        stable = next((n for n in range(i, len(a)) if n in in_ours and n in in_theirs
                       and in_ours[n] >= j and in_theirs[n] >= k), None)
        end_a = stable if stable is not None else len(a)
        end_o = in_ours[stable] if stable is not None else len(o)
        end_t = in_theirs[stable] if stable is not None else len(t)
        chunk_a, chunk_o, chunk_t = a[i:end_a], o[j:end_o], t[k:end_t]
        if chunk_o in (chunk_a, chunk_t):
            result.extend(chunk_t)
        elif chunk_t == chunk_a:
            result.extend(chunk_o)
        else:
            conflicts.append(Conflict(i, end_a, chunk_a, chunk_o, chunk_t, j))
            result.extend(chunk_o)
        i, j, k = end_a, end_o, end_t
    return "\n".join(result), conflicts


def _matches(a: list[str], b: list[str]) -> dict[int, int]:
    """Line of ``a`` -> the line of ``b`` it is kept as."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    found: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            found[block.a + offset] = block.b + offset
    return found
