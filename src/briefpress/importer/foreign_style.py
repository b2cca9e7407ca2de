"""Turn the blocks of a Word file briefpress did not make into what a brief of the house says.

Its straight quotes, ``--`` and ``...`` are read as a brief's Markdown reads them by
``typography.py``, which the round trip of a brief's own Word file shares. Word lists have
no looseness: pandoc's docx reader makes every item a paragraph, which Markdown writes as a
loose list (a blank line between items, ``<li><p>`` on the web page); :func:`tight_lists`
makes a list of one paragraph an item tight, as a brief writes it. And a paragraph
"Table 1: …" right beside a table is that table's caption, typed by hand:
:func:`table_captions` makes it the caption, without the number every edition writes.
"""

from __future__ import annotations

import re

import msgspec

from briefpress.importer.docxread import EditedBlock
from briefpress.model import blocks
from briefpress.readback.docx import Block


def tight_lists(found: list[EditedBlock]) -> None:
    """Make each list of ``found`` (in place) tight where Word's was: every item one
    paragraph, perhaps followed by lists (each looked at on its own). pandoc's docx reader
    makes every item a paragraph (Word has no loose lists, only paragraph spacing), which
    Markdown writes with a blank line between items and the web page as ``<li><p>``. A list
    whose item holds two paragraphs (or a paragraph and a table, a quote…) stays loose, as
    Markdown needs it."""

    def tighten(node: blocks.Node) -> blocks.Node | None:
        if not isinstance(node, blocks.BulletList | blocks.OrderedList):
            return None
        items = [blocks.rewrite(item, tighten) for item in node.items]
        if all(_one_paragraph(item) for item in items):
            items = [[blocks.Plain(part.content) if type(part) is blocks.Para else part
                      for part in item] for item in items]
        if isinstance(node, blocks.OrderedList):
            return blocks.OrderedList((node.c[0], items))
        return blocks.BulletList(items)

    for block in found:
        block.block = blocks.rewrite(block.block, tighten)


def _one_paragraph(item: list[blocks.Block]) -> bool:
    """Whether a list item is at most one paragraph (or plain text), then only lists."""
    rest = item[1:] if item and isinstance(item[0], blocks.Plain) else item
    return all(isinstance(part, blocks.BulletList | blocks.OrderedList) for part in rest)


_NUMBERED = re.compile(r"^Table\s+\d+\s*[:.]\s+\S", re.IGNORECASE)
"""A paragraph's text that opens as a table's caption typed by hand: "Table 1: …",
"Table 1. …" (the number's own separator, then words)."""
_NUMBER = re.compile(r"^Table\s+\d+\s*[:.]$", re.IGNORECASE)
_OPENING = re.compile(r"^Table(?:\s+\d*\s*)?$", re.IGNORECASE)
"""What inlines before the whole of "Table 1:" say: "Table", "Table 1"."""


def _unnumbered(inlines: list[blocks.Inline]) -> list[blocks.Inline] | None:
    """``inlines`` without their opening "Table 1:" (or "Table 1."), in whatever inlines it
    stands ("**Table 1:**" too); None if they do not open so, or the number ends inside a
    word."""
    if not _NUMBERED.match(" ".join(blocks.stringify(inlines).split())):
        return None
    for at in range(1, len(inlines) + 1):
        prefix = " ".join(blocks.stringify(inlines[:at]).split())
        if _NUMBER.match(prefix):
            rest = inlines[at:]
            while rest and isinstance(rest[0], blocks.Space | blocks.SoftBreak
                                      | blocks.LineBreak):
                rest = rest[1:]
            return rest or None
        if not _OPENING.match(prefix):  # the number ends inside a word ("1:Cod")
            return None
    return None


def table_captions(found: list[EditedBlock]) -> tuple[list[EditedBlock], list[str]]:
    """``found`` with each paragraph "Table 1: …" that stands right below (or above) a
    table without a caption made that table's caption, without its typed number, which
    every edition writes itself; and a caption Word's Caption style gave (which pandoc
    reads as the table's) without it too. Only where it is plain which table the paragraph
    belongs to: one table beside it, and that table with no other such paragraph on its
    other side. The notices say what moved."""
    notices: list[str] = []
    tables = {index for index, block in enumerate(found) if isinstance(block.block,
                                                                        blocks.Table)}

    def quoted(text: str) -> str:
        text = " ".join(text.split())
        return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'

    def unnumbered(index: int) -> list[blocks.Inline] | None:
        block = found[index] if 0 <= index < len(found) else None
        if block is None or block.cls != "body" or type(block.block) is not blocks.Para:
            return None
        return _unnumbered(block.block.content)

    result = list(found)
    dropped: set[int] = set()
    for index in sorted(tables):
        table = found[index].block
        assert isinstance(table, blocks.Table)
        caption = table.caption
        if blocks.stringify(caption).strip():
            words = _unnumbered(caption[0].content) if len(caption) == 1 and isinstance(
                caption[0], blocks.Plain) else None
            if words is not None:
                notices.append(f"the caption {quoted(blocks.stringify(caption))} lost its "
                               "typed number, which every edition writes itself")
                result[index] = _captioned(found[index], table, words, [])
            continue
        beside = [at for at in (index + 1, index - 1) if unnumbered(at) is not None]
        if len(beside) != 1 or sum(at in tables for at in (beside[0] - 1,
                                                            beside[0] + 1)) != 1:
            continue  # none, one on each side, or a paragraph between two tables
        at = beside[0]
        words = unnumbered(at)
        assert words is not None
        result[index] = _captioned(found[index], table, words, found[at].paragraphs)
        dropped.add(at)
        notices.append(f"the paragraph {quoted(blocks.stringify(found[at].block))} "
                       f"{'below' if at > index else 'above'} a table became its caption, "
                       "without its typed number, which every edition writes itself")
    return [block for index, block in enumerate(result) if index not in dropped], notices


def _captioned(edited: EditedBlock, table: blocks.Table, words: list[blocks.Inline],
               paragraphs: list[Block]) -> EditedBlock:
    """The table of ``edited`` with the caption ``words``, read from ``paragraphs`` too."""
    short = table.c[1][0]
    block = blocks.Table((table.c[0], (short, [blocks.Plain(words)]), *table.c[2:]))
    return msgspec.structs.replace(edited, block=block,
                                   paragraphs=edited.paragraphs + paragraphs)
