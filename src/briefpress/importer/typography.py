"""Turn straight quotes, ``--`` and ``...`` typed in Word into what a brief's Markdown reads.

A brief's Markdown is read with pandoc's ``smart`` extension: a straight quote or
apostrophe reads as a curly one, ``--`` as a dash, ``...`` as an ellipsis, and every
edition prints them so. A Word file typed without Word's AutoFormat (LibreOffice, a Mac
with smart quotes off, pasted text, a file a program wrote) holds the straight
characters; written back as they are, pandoc's Markdown writer escapes each (``it\\'s``,
and a recommendation's YAML value keeps the backslash), and every edition prints them
straight. So the text is first made what a brief reads: the paragraphs that hold such
characters are written by pandoc without ``smart`` and read again with it, which curls
them as the house's own Markdown would, and the import's writer (with ``smart``) then
writes them plainly (``it's``). :func:`house_typography` does that, for a Word file
briefpress did not make (``foreign.py``) and for the paragraphs an editor changed or
added in a brief's own (``pipeline.py``), where the words the source itself holds straight
(an author's deliberate ``5\\'``) stay so.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from msgspec import Struct

from briefpress import pandoc
from briefpress.importer.docxread import EditedBlock
from briefpress.model import blocks

_STRAIGHT = ("'", '"', "--", "...")
"""What pandoc's ``smart`` reading turns into typography: straight quotes and apostrophes,
two or three hyphens (a dash), three dots (an ellipsis)."""

_SPLIT = "<!--briefpress-typography-->"

# pandoc's own Markdown, all its extensions, with and without ``smart``: the paragraphs are
# written and read in one dialect, so that only what ``smart`` reads changes
_WRITTEN = "markdown-smart"
_READ = "markdown+smart"

_KEPT = 0xF0000
"""The first of the characters (Unicode's private use plane 15, which neither pandoc's
writer nor ``smart`` touches) that stand in for the words kept straight while a paragraph
is read again: the n-th such word is ``chr(_KEPT + n)``."""


def straight(node: blocks.Node | list[blocks.Block], keep: Collection[str] = ()) -> bool:
    """Whether the words of ``node`` hold a straight quote, ``--`` or ``...`` (one of the
    words ``keep`` aside)."""
    return any(isinstance(inner, blocks.Str) and inner.c not in keep
               and any(s in inner.c for s in _STRAIGHT) for inner in blocks.walk(node))


def straight_words(found: list[blocks.Block]) -> set[str]:
    """The words (pandoc's ``Str``) of ``found`` that hold a straight character: in a
    brief's source, read with ``smart``, each one its author escaped on purpose."""
    return {node.c for node in blocks.walk(found) if isinstance(node, blocks.Str)
            and any(s in node.c for s in _STRAIGHT)}


def _count(found: list[blocks.Inline]) -> dict[str, int]:
    """How many of each of :data:`_STRAIGHT` the words of ``found`` hold (``---`` counts as
    one dash, ``--`` inside it not again)."""
    counts = dict.fromkeys(("quotes", "dashes", "dots"), 0)
    for node in blocks.walk(found):
        if isinstance(node, blocks.Str):
            counts["quotes"] += node.c.count("'") + node.c.count('"')
            counts["dashes"] += len(re.findall("-{2,3}", node.c))
            counts["dots"] += node.c.count("...")
    return counts


class Typography(Struct):
    """What :func:`house_typography` changed, for the import's report."""

    quotes: int = 0
    """Straight quotes and apostrophes curled."""
    dashes: int = 0
    """``--`` and ``---`` read as dashes."""
    dots: int = 0
    """``...`` read as an ellipsis."""

    def notice(self, whose: str = "the Word file's text") -> str | None:
        """The report's line, or None when nothing changed; ``whose`` names the text the
        straight characters were in."""
        parts = []
        if self.quotes:
            parts.append(f"{self.quotes} straight quote(s) and apostrophe(s) curl (it's → it’s)")
        if self.dashes:
            parts.append(f"{self.dashes} double or triple hyphen(s) are a dash (-- → –)")
        if self.dots:
            parts.append(f"{self.dots} run(s) of three dots are an ellipsis (... → …)")
        if not parts:
            return None
        return (f"{whose} has straight characters, which a brief's Markdown reads as every "
                "edition prints them: " + "; ".join(parts) + ". brief.md and "
                "recommendations.yaml write them as briefs do, with no backslash (`it's`, "
                "not `it\\'s`)")


def house_typography(found: list[EditedBlock], api: list[int],
                     keep: Collection[str] = ()) -> Typography:
    """Make the text of ``found`` (in place) what a brief's Markdown reads: each paragraph,
    heading or other run of words holding a straight quote, ``--`` or ``...`` written by
    pandoc without ``smart`` and read again with it (two pandoc runs for all of them, none
    when no paragraph holds one). A word of ``keep`` (pandoc's ``Str``, as
    :func:`straight_words` gives them) stays as it is. What changed is counted, for the
    report."""
    runs: list[list[blocks.Inline]] = []

    def collect(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.Plain | blocks.Header):  # Plain, Para or Header
            if straight(node, keep):
                runs.append(node.content)
            return node  # a note's paragraphs go with the paragraph that calls it
        return None

    unique = list({id(block): block for block in found}.values())  # each block once
    for block in unique:
        blocks.rewrite(block.block, collect)
    done = Typography()
    if not runs:
        return done
    kept: list[blocks.Str] = []
    stand: Collection[str] = keep
    if any(ord(char) >= _KEPT for node in blocks.walk(runs) if isinstance(node, blocks.Str)
           for char in node.c):
        stand = ()  # the file holds the stand-ins' characters itself (never seen): none kept

    def stand_in(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.Str) and node.c in stand:
            kept.append(node)
            return blocks.Str(chr(_KEPT + len(kept) - 1))
        return None

    body: list[blocks.Block] = [blocks.RawBlock(("html", _SPLIT))]
    for inlines in runs:
        body += [blocks.Para(blocks.rewrite(inlines, stand_in)),
                 blocks.RawBlock(("html", _SPLIT))]
    text = pandoc.convert(blocks.document(body, api), _WRITTEN, ["--wrap=preserve"])
    read = blocks.decode(pandoc.run(text, "json", _READ)).blocks
    parts: list[list[blocks.Block]] = [[]]
    for block in read:
        if isinstance(block, blocks.RawBlock) and block.c == ("html", _SPLIT):
            parts.append([])
        else:
            parts[-1].append(block)
    parts = parts[1:-1]
    if len(parts) != len(runs) or not all(
            len(part) == 1 and isinstance(part[0], blocks.Plain) for part in parts):
        return done  # read otherwise than written (never seen): the text stays as it was
    typeset = iter(_kept_again(part[0].content, kept) for part in parts)
    olds = iter(runs)

    def replace(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.Plain | blocks.Header):
            if not straight(node, keep):
                return node
            new, old = next(typeset), next(olds)
            before, after = _count(old), _count(new)
            done.quotes += before["quotes"] - after["quotes"]
            done.dashes += before["dashes"] - after["dashes"]
            done.dots += before["dots"] - after["dots"]
            if isinstance(node, blocks.Header):
                return blocks.Header((node.level, node.attr, new))
            return type(node)(new)
        return None

    for block in unique:
        block.block = blocks.rewrite(block.block, replace)
    return done


def _kept_again(inlines: list[blocks.Inline], kept: list[blocks.Str]) -> list[blocks.Inline]:
    """``inlines`` read again, each stand-in character the word of ``kept`` it stood for
    (a stand-in read as part of a longer word, beside the text of a word next to it, is
    split from it)."""
    if not kept:
        return inlines

    def restore(node: blocks.Node) -> blocks.Node | list[blocks.Node] | None:
        if not isinstance(node, blocks.Str) or all(ord(c) < _KEPT for c in node.c):
            return None
        pieces: list[blocks.Node] = []
        text = ""
        for char in node.c:
            if _KEPT <= ord(char) < _KEPT + len(kept):
                if text:
                    pieces.append(blocks.Str(text))
                pieces.append(kept[ord(char) - _KEPT])
                text = ""
            else:
                text += char
        if text:
            pieces.append(blocks.Str(text))
        return pieces

    return blocks.rewrite(inlines, restore)
