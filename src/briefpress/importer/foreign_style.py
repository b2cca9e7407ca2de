"""Turn the blocks of a Word file briefpress did not make into what a brief of the house says.

Its straight quotes, ``--`` and ``...`` are read as a brief's Markdown reads them by
``typography.py``, which the round trip of a brief's own Word file shares. Word lists have
no looseness: pandoc's docx reader makes every item a paragraph, which Markdown writes as a
loose list (a blank line between items, ``<li><p>`` on the web page); :func:`tight_lists`
makes a list of one paragraph an item tight, as a brief writes it. And a paragraph
"Table 1: …" right beside a table is that table's caption, typed by hand:
:func:`table_captions` makes it the caption, without the number every edition writes; a
paragraph "Figure 1: …" beside a picture the same, the picture then a figure
(:func:`figure_captions`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

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


_NAMES = {"table": "Table", "figure": r"(?:Figure|Fig\.?|Illustration)"}
"""How a caption typed by hand names what it captions: "Table"; "Figure", "Fig.", "Fig"
or "Illustration" (LibreOffice's own caption of a picture)."""

_SEPARATOR = r"[:.\-–—]"
"""What may stand between a caption's number and its words: a colon, a full stop, or the
hyphen, en dash and em dash Word's Insert Caption offers ("Table 1 – Cod biomass")."""


def _unnumbered(inlines: list[blocks.Inline], kind: str = "table"
                ) -> list[blocks.Inline] | None:
    """``inlines`` without their opening "Table 1:" (or "Table 1.", and for a ``figure``
    "Figure 1:", "Fig. 1."), in whatever inlines it stands ("**Table 1:**" too); None if
    they do not open so, or the number ends inside a word."""
    name = _NAMES[kind]
    # the number's own separator, then words; what inlines before the whole of "Table 1:"
    # say: "Table", "Table 1"
    if not re.match(rf"^{name}\s+\d+\s*{_SEPARATOR}\s+\S",
                    " ".join(blocks.stringify(inlines).split()), re.IGNORECASE):
        return None
    for at in range(1, len(inlines) + 1):
        prefix = " ".join(blocks.stringify(inlines[:at]).split())
        if re.match(rf"^{name}\s+\d+\s*{_SEPARATOR}$", prefix, re.IGNORECASE):
            rest = inlines[at:]
            while rest and isinstance(rest[0], blocks.Space | blocks.SoftBreak
                                      | blocks.LineBreak):
                rest = rest[1:]
            return rest or None
        if not re.match(rf"^{name}(?:\s+\d*\s*)?$", prefix, re.IGNORECASE):
            return None  # the number ends inside a word ("1:Cod")
    return None


def table_captions(found: list[EditedBlock]) -> tuple[list[EditedBlock], list[str]]:
    """``found`` with each paragraph "Table 1: …" that stands right below (or above) a
    table without a caption made that table's caption, without its typed number, which
    every edition writes itself; and a caption Word's Caption style gave (which pandoc
    reads as the table's) without it too. Only where it is plain which table the paragraph
    belongs to: one table beside it, and that table with no other such paragraph on its
    other side. The notices say what moved."""

    def caption_of(edited: EditedBlock) -> list[blocks.Block] | None:
        return edited.block.caption if isinstance(edited.block, blocks.Table) else None

    def captioned(edited: EditedBlock, words: list[blocks.Inline],
                  paragraphs: list[Block]) -> EditedBlock:
        table = edited.block
        assert isinstance(table, blocks.Table)
        short = table.c[1][0]
        block = blocks.Table((table.c[0], (short, [blocks.Plain(words)]), *table.c[2:]))
        return msgspec.structs.replace(edited, block=block,
                                       paragraphs=edited.paragraphs + paragraphs)

    return _typed_captions(found, "table", caption_of, captioned)


def figure_captions(found: list[EditedBlock]) -> tuple[list[EditedBlock], list[str]]:
    """``found`` with each paragraph "Figure 1: …" (or "Fig. 1. …") that stands right below
    (or above) a picture alone in its paragraph made that picture a figure with that
    caption, without its typed number; and a figure's caption Word's Caption style gave
    (which the reading joins to its picture) without it too. Only where it is plain which
    picture the paragraph belongs to, as for tables (:func:`table_captions`).

    A figure's picture keeps its description (Word's alt text) as its ``alt``; one with none
    is written with an empty one, ``{alt=""}``, so that ``check`` asks for it (as it did of
    the picture without a caption): pandoc's Markdown would otherwise make the caption its
    alt text (``![Caption](file)``), which the Word file did not give as its description."""

    def caption_of(edited: EditedBlock) -> list[blocks.Block] | None:
        if isinstance(edited.block, blocks.Figure):
            return edited.block.caption
        return [] if _picture(edited) is not None else None

    def captioned(edited: EditedBlock, words: list[blocks.Inline],
                  paragraphs: list[Block]) -> EditedBlock:
        block = edited.block
        if isinstance(block, blocks.Figure):
            figure = blocks.Figure((block.attr, (block.c[1][0], [blocks.Plain(words)]),
                                    _described(block.content)))
        else:
            image = _picture(edited)
            assert image is not None
            figure = blocks.Figure((blocks.attr(), (None, [blocks.Plain(words)]),
                                    _described([blocks.Plain([image])])))
        return msgspec.structs.replace(edited, block=figure,
                                       paragraphs=edited.paragraphs + paragraphs)

    found, notices = _typed_captions(found, "figure", caption_of, captioned)
    for edited in found:  # a figure Word's Caption style made, its number typed or not
        if isinstance(edited.block, blocks.Figure):
            figure = edited.block
            edited.block = blocks.Figure((figure.attr, figure.c[1],
                                          _described(figure.content)))
    return found, notices


def _picture(edited: EditedBlock) -> blocks.Image | None:
    """The picture of a body paragraph that holds a picture alone (but for bookmarks, which
    pandoc reads as empty Spans), else None."""
    block = edited.block
    if edited.cls != "body" or not isinstance(block, blocks.Plain):  # Plain or Para
        return None
    alone = [node for node in block.content
             if not (isinstance(node, blocks.Span) and not node.content)]
    return alone[0] if len(alone) == 1 and isinstance(alone[0], blocks.Image) else None


def _described(content: list[blocks.Block]) -> list[blocks.Block]:
    """A figure's ``content`` whose one picture has no description (Word's alt text) with an
    empty one that is not the caption: pandoc's writer writes an alt text other than the
    caption as ``{alt="…"}``, here ``{alt=""}``, which reads back as an image with none."""
    if len(content) != 1 or not isinstance(content[0], blocks.Plain) or \
            len(content[0].content) != 1 or not isinstance(content[0].content[0], blocks.Image):
        return content
    image = content[0].content[0]
    if blocks.stringify(image.content).strip():
        return content
    return [type(content[0])([blocks.Image((image.attr, [blocks.Str("")], image.c[2]))])]


def _typed_captions(
        found: list[EditedBlock], kind: str,
        caption_of: Callable[[EditedBlock], list[blocks.Block] | None],
        captioned: Callable[[EditedBlock, list[blocks.Inline], list[Block]], EditedBlock],
) -> tuple[list[EditedBlock], list[str]]:
    """``found`` with the paragraphs that caption a ``kind`` ("table", "figure") by a typed
    number made its caption (:func:`table_captions`). ``caption_of`` gives a block's caption
    (empty: none) if it is one of that kind, else None; ``captioned``, the block with the
    caption's words, read from the paragraphs given too."""
    notices: list[str] = []
    targets = {index for index, block in enumerate(found) if caption_of(block) is not None}

    def quoted(text: str) -> str:
        text = " ".join(text.split())
        return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'

    def unnumbered(index: int) -> list[blocks.Inline] | None:
        block = found[index] if 0 <= index < len(found) else None
        if block is None or block.cls != "body" or type(block.block) is not blocks.Para:
            return None
        return _unnumbered(block.block.content, kind)

    result = list(found)
    dropped: set[int] = set()
    for index in sorted(targets):
        caption = caption_of(found[index]) or []
        if blocks.stringify(caption).strip():
            words = _unnumbered(caption[0].content, kind) if len(caption) == 1 and \
                isinstance(caption[0], blocks.Plain) else None
            if words is not None:
                notices.append(f"the caption {quoted(blocks.stringify(caption))} lost its "
                               "typed number, which every edition writes itself")
                result[index] = captioned(found[index], words, [])
            continue
        beside = [at for at in (index + 1, index - 1) if unnumbered(at) is not None]
        if len(beside) != 1 or sum(at in targets for at in (beside[0] - 1,
                                                             beside[0] + 1)) != 1:
            continue  # none, one on each side, or a paragraph between two
        at = beside[0]
        words = unnumbered(at)
        assert words is not None
        result[index] = captioned(found[index], words, found[at].paragraphs)
        dropped.add(at)
        what = "a table" if kind == "table" else "a picture"
        notices.append(f"the paragraph {quoted(blocks.stringify(found[at].block))} "
                       f"{'below' if at > index else 'above'} {what} became its caption, "
                       "without its typed number, which every edition writes itself")
    return [block for index, block in enumerate(result) if index not in dropped], notices
