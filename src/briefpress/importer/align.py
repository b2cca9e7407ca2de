"""Turn the base revision's units and the edited document's blocks into edit steps.

Each step says of one block that it stayed the same, changed, was deleted or
was inserted.

Blocks are compared by class (heading, body, recommendation, …) and signature.
Runs that agree are matched as they stand; where they differ, blocks are paired
first by the ids Word kept (bookmarks of headings, areas and recommendations),
then by position and likeness, and whatever is left was deleted or inserted.
"""

from __future__ import annotations

import difflib
from typing import Literal

from msgspec import Struct

from briefpress.importer.docxread import EditedBlock, moved_here
from briefpress.importer.signature import signature, text_of
from briefpress.model import blocks
from briefpress.render.docx_ast import Unit

_ID_CLASSES = ("heading", "rec", "area")


class Item(Struct):
    """One block of a base unit (units in a custom style hold their paragraphs in a Div)."""

    unit: Unit
    position: int
    block: blocks.Block
    cls: str
    sig: str

    @property
    def key(self) -> str:
        return f"{self.cls}\0{self.sig}"


class Step(Struct):
    kind: Literal["same", "changed", "deleted", "inserted"]
    item: Item | None = None
    edited: EditedBlock | None = None


def unit_class(unit: Unit) -> str:
    if unit.kind == "meta":
        return "meta:author" if unit.key.startswith("meta:author:") else unit.key
    return {"heading": "heading", "block": "body", "intro": "body", "rec": "rec",
            "area": "area", "bio": "bio"}.get(unit.kind, "generated")


_NOTHING = signature([])
"""The signature of what the Word file cannot hold (raw HTML, an HTML comment)."""


def base_items(units: list[Unit]) -> list[Item]:
    """Every block of every unit that the Word file holds, in reading order: a raw HTML
    block never reaches the file, so its absence there is no deletion."""
    items = []
    for unit in units:
        cls = unit_class(unit)
        found = unit.blocks
        if len(found) == 1 and isinstance(found[0], blocks.Div) and any(
                key == "custom-style" for key, _ in found[0].attr[2]):
            found = found[0].content
        if cls == "generated":
            found = _paragraphs(found)
        for position, block in enumerate(found):
            sig = signature([block])
            if sig != _NOTHING or cls != "body":
                items.append(Item(unit, position, block, cls, sig))
    return items


def _paragraphs(found: list[blocks.Block]) -> list[blocks.Block]:
    """Generated blocks as Word holds them: a ``Div`` is no paragraph of its own, so its
    blocks stand alone (citeproc's list of works cited is a ``Div`` of one ``Div`` per
    work, each work one paragraph in Word)."""
    return [inner for block in found for inner in (
        _paragraphs(block.content) if isinstance(block, blocks.Div) else [block])]


def align(items: list[Item], edited: list[EditedBlock]) -> list[Step]:
    """The steps that turn the base items into the edited blocks, in reading order."""
    edited = _split_merged(items, edited)
    # a block the editor moved (tracked) never pairs as "same" by position: with two
    # paragraphs swapped, the one moved is the one the source moves too
    keys = [f"{e.cls}\0{signature([e.block])}" + ("\0moved" if moved_here(e) else "")
            for e in edited]
    matcher = difflib.SequenceMatcher(None, [i.key for i in items], keys, autojunk=False)
    steps: list[Step] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps.extend(Step("same", items[i], edited[j])
                         for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            steps.extend(_resolve(items[i1:i2], edited[j1:j2]))
    return steps


_MERGED_IN_WORD = (blocks.BlockQuote, blocks.BulletList, blocks.OrderedList)


def _split_merged(items: list[Item], edited: list[EditedBlock]) -> list[EditedBlock]:
    """Block quotes (or lists of one kind) that follow each other in the source are one in
    Word: an edited block that is exactly such a run of base blocks put together is split
    back into them. (One edited inside is not: brief.md's line map cannot tell two
    quotes apart either, and the import refuses to rewrite that section.)"""
    runs: list[list[Item]] = []
    for start, item in enumerate(items):
        kind = type(item.block)
        if not isinstance(item.block, _MERGED_IN_WORD) or item.cls != "body" or (
                start and type(items[start - 1].block) is kind):
            continue
        run = [item]
        while start + len(run) < len(items) and type(items[start + len(run)].block) is kind \
                and items[start + len(run)].cls == "body":
            run.append(items[start + len(run)])
        if len(run) > 1:
            runs.append(run)
    if not runs:
        return edited
    joined = {signature([_joined(type(run[0].block), [i.block for i in run])]): index
              for index, run in enumerate(runs)}
    out: list[EditedBlock] = []
    next_run = 0
    for block in edited:
        found = joined.get(signature([block.block])) \
            if isinstance(block.block, _MERGED_IN_WORD) else None
        if found is None or found < next_run:
            out.append(block)
            continue
        run, next_run = runs[found], found + 1
        parts = _parts(block.block, [len(_content(i.block)) for i in run],
                       [i.block for i in run])
        out.append(EditedBlock(parts[0], block.paragraphs, block.cls, block.ids))
        out.extend(EditedBlock(part, [], block.cls) for part in parts[1:])
    return out


def _content(block: blocks.Block) -> list:
    if isinstance(block, blocks.BlockQuote):
        return block.content
    return block.items if isinstance(block, blocks.BulletList | blocks.OrderedList) else []


def _joined(kind: type, found: list[blocks.Block]) -> blocks.Block:
    content = [part for block in found for part in _content(block)]
    if kind is blocks.OrderedList:
        return blocks.OrderedList((found[0].c[0], content))
    return kind(content)


def _parts(block: blocks.Block, sizes: list[int], base: list[blocks.Block]
           ) -> list[blocks.Block]:
    """``block`` cut into pieces of ``sizes`` (blocks or items); an ordered list's pieces
    start as the base's did."""
    content, parts, at = _content(block), [], 0
    for size, model in zip(sizes, base, strict=True):
        piece = content[at:at + size]
        at += size
        if isinstance(block, blocks.OrderedList):
            parts.append(blocks.OrderedList((model.c[0], piece)))
        else:
            parts.append(type(block)(piece))
    return parts


def _resolve(old: list[Item], new: list[EditedBlock]) -> list[Step]:
    """Pair the blocks of a stretch that differs: by id, then by position and likeness."""
    anchors = _monotone([(a, b) for a, item in enumerate(old) for b, block in enumerate(new)
                         if _same_id(item, block)])
    pairs: list[tuple[int, int]] = []
    previous = (-1, -1)
    for anchor in [*anchors, (len(old), len(new))]:
        pairs.extend(_pair_gap(old, new, previous[0] + 1, anchor[0], previous[1] + 1,
                               anchor[1]))
        if anchor[0] < len(old):
            pairs.append(anchor)
        previous = anchor
    steps: list[Step] = []
    a = b = 0
    for pa, pb in [*pairs, (len(old), len(new))]:
        steps.extend(Step("deleted", old[i]) for i in range(a, pa))
        steps.extend(Step("inserted", None, new[j]) for j in range(b, pb))
        if pa < len(old):
            same = old[pa].sig == signature([new[pb].block])
            steps.append(Step("same" if same else "changed", old[pa], new[pb]))
        a, b = pa + 1, pb + 1
    return steps


def _same_id(item: Item, block: EditedBlock) -> bool:
    return (item.cls in _ID_CLASSES and item.position == 0 and item.unit.ident is not None
            and block.cls == item.cls and item.unit.ident in block.ids)


def _monotone(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of pairs increasing on both sides (a moved block is not kept paired)."""
    best: list[list[tuple[int, int]]] = []
    for pair in sorted(pairs):
        chains = [c for c in best if c[-1][0] < pair[0] and c[-1][1] < pair[1]]
        chain = [*max(chains, key=len, default=[]), pair]
        best.append(chain)
    return max(best, key=len, default=[])


def _pair_gap(old: list[Item], new: list[EditedBlock], a1: int, a2: int, b1: int,
              b2: int) -> list[tuple[int, int]]:
    """Pairs between two anchors: one for one if the classes line up, else by likeness."""
    olds, news = old[a1:a2], new[b1:b2]
    if olds and len(olds) == len(news) and all(o.cls == n.cls for o, n in zip(olds, news,
                                                                              strict=True)):
        return [(a1 + k, b1 + k) for k in range(len(olds))]
    pairs: list[tuple[int, int]] = []
    start = b1
    for a in range(a1, a2):
        item = old[a]
        text = text_of([item.block])
        for b in range(start, b2):
            block = new[b]
            if block.cls != item.cls:
                continue
            if item.cls.startswith("meta:") or _alike(text, text_of([block.block])):
                pairs.append((a, b))
                start = b + 1
                break
    return pairs


def _alike(a: str, b: str) -> bool:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= 0.5 and matcher.ratio() >= 0.5
