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
    continues: bool = False
    """A recommendation's second paragraph or later (Recommendation Continued in Word)."""

    @property
    def key(self) -> str:
        return f"{self.cls}\0{self.sig}" + ("\0continues" if self.continues else "")


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
        found = unit_blocks(unit)
        if cls == "generated":
            found = _paragraphs(found)
        for position, block in enumerate(found):
            sig = signature([block])
            if sig != _NOTHING or cls != "body":
                items.append(Item(unit, position, block, cls, sig,
                                  continues=cls == "rec" and position > 0))
    return items


def unit_blocks(unit: Unit) -> list[blocks.Block]:
    """The blocks of ``unit`` as Word holds them, one a paragraph: those of a unit in a
    custom style (a ``Div``), and of a recommendation's later paragraphs (a ``Div`` of
    their own style inside it) too."""
    found = unit.blocks
    if len(found) == 1 and _styled(found[0]):
        found = found[0].content  # type: ignore[union-attr]
        if unit.kind == "rec" and len(found) == 2 and _styled(found[1]):
            found = [found[0], *found[1].content]  # type: ignore[union-attr]
    return found


def _styled(block: blocks.Block) -> bool:
    return isinstance(block, blocks.Div) and any(key == "custom-style"
                                                 for key, _ in block.attr[2])


def _paragraphs(found: list[blocks.Block]) -> list[blocks.Block]:
    """Generated blocks as Word holds them: a ``Div`` is no paragraph of its own, so its
    blocks stand alone (citeproc's list of works cited is a ``Div`` of one ``Div`` per
    work, each work one paragraph in Word)."""
    return [inner for block in found for inner in (
        _paragraphs(block.content) if isinstance(block, blocks.Div) else [block])]


def align(items: list[Item], edited: list[EditedBlock]) -> list[Step]:
    """The steps that turn the base items into the edited blocks, in reading order."""
    edited, cut_for = _split_merged(items, edited)
    # a block the editor moved (tracked) never pairs as "same" by position: with two
    # paragraphs swapped, the one moved is the one the source moves too
    keys = [f"{e.cls}\0{signature([e.block])}" + ("\0continues" if e.continues else "")
            + ("\0moved" if moved_here(e) else "") for e in edited]
    matcher = difflib.SequenceMatcher(None, [i.key for i in items], keys, autojunk=False)
    steps: list[Step] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps.extend(Step("same", items[i], edited[j])
                         for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            known = [(cut_for[j] - i1, j - j1) for j in range(j1, j2)
                     if i1 <= cut_for.get(j, -1) < i2]
            steps.extend(_resolve(items[i1:i2], edited[j1:j2], known))
    return steps


_MERGED_IN_WORD = (blocks.BlockQuote, blocks.BulletList, blocks.OrderedList)


def _split_merged(items: list[Item], edited: list[EditedBlock]
                  ) -> tuple[list[EditedBlock], dict[int, int]]:
    """Block quotes (or lists of one kind) that follow each other in the source are one in
    Word: an edited block that is such a run of base blocks put together is split back
    into them. One that is exactly the run is found by its signature; one edited inside,
    among the blocks of its kind that match no base block, by its likeness to the run (its
    quotations or items then go back to the base block each stood in: the run's sizes when
    as many are left, else by their likeness in order). Also gives, for each block cut from
    a run, the index in ``items`` of the base block it was cut for: the alignment pairs the
    two, so that a base block left with nothing is the one deleted."""
    index_of = {id(item): n for n, item in enumerate(items)}
    runs: list[list[Item]] = []
    for start, item in enumerate(items):
        if not isinstance(item.block, _MERGED_IN_WORD) or item.cls != "body" or (
                start and _joins(items[start - 1], item)):
            continue
        run = [item]
        while start + len(run) < len(items) and _joins(item, items[start + len(run)]):
            run.append(items[start + len(run)])
        if len(run) > 1:
            runs.append(run)
    if not runs:
        return edited, {}
    joined = {signature([_joined(type(run[0].block), [i.block for i in run])]): index
              for index, run in enumerate(runs)}
    found: dict[int, int] = {}  # edited block -> the run it is
    next_run = 0
    for index, block in enumerate(edited):
        run_index = joined.get(signature([block.block])) \
            if isinstance(block.block, _MERGED_IN_WORD) else None
        if run_index is not None and run_index >= next_run:
            found[index], next_run = run_index, run_index + 1
    _find_edited_runs(runs, edited, found, {item.sig for item in items})
    out: list[EditedBlock] = []
    cut_for: dict[int, int] = {}
    for index, block in enumerate(edited):
        if index not in found:
            out.append(block)
            continue
        run = runs[found[index]]
        for number, (member, part) in enumerate(_cut(block.block, run)):
            cut_for[len(out)] = index_of[id(run[member])]
            out.append(EditedBlock(part, block.paragraphs, block.cls, block.ids) if number == 0
                       else EditedBlock(part, [], block.cls))
    return out, cut_for


def _joins(first: Item, item: Item) -> bool:
    """Whether Word holds ``item`` in one block with ``first`` (a run's first block): a body
    block of its kind, an ordered list numbered in the same style and delimiter."""
    if type(item.block) is not type(first.block) or item.cls != "body":
        return False
    return not isinstance(item.block, blocks.OrderedList) or \
        item.block.c[0][1:] == first.block.c[0][1:]  # type: ignore[union-attr]


def _find_edited_runs(runs: list[list[Item]], edited: list[EditedBlock],
                      found: dict[int, int], singles: set[str]) -> None:
    """Add to ``found`` the edited blocks that are a run edited inside: of the run's kind,
    in the body, between the edited blocks of the runs found before and after it, no base
    block as it stands, and most like the run's blocks put together, or, with fewer
    quotations or items than the run (some deleted), most like one of its blocks."""
    taken = sorted(found.items())
    for run_index, run in enumerate(runs):
        if run_index in found.values():
            continue
        low = max((e for e, r in taken if r < run_index), default=-1)
        high = min((e for e, r in taken if r > run_index), default=len(edited))
        text = text_of([_joined(type(run[0].block), [i.block for i in run])])
        size = sum(len(_content(i.block)) for i in run)
        best: tuple[float, int] | None = None
        for index in range(low + 1, high):
            block = edited[index]
            if type(block.block) is not type(run[0].block) or block.cls != "body" or \
                    index in found or signature([block.block]) in singles:
                continue
            words = text_of([block.block])
            ratio = likeness(text, words)
            each = [likeness(text_of([i.block]), words) for i in run]
            if len(_content(block.block)) < size:
                # what is left of the run: :func:`_cut` gives each quotation or item to
                # the block it is most like, so that the others are the ones deleted
                ratio = max(ratio, *each)
            elif any(ratio <= alike for alike in each):
                continue  # more like one block of the run: a block edited on its own
            if ratio >= ALIKE and (best is None or ratio > best[0]):
                best = (ratio, index)
        if best is not None:
            found[best[1]] = run_index
            taken = sorted(found.items())


def _cut(block: blocks.Block, run: list[Item]) -> list[tuple[int, blocks.Block]]:
    """An edited block that stands for ``run`` cut back into a block for each of the run's
    (with the index in ``run`` of the block it stands for), those left with nothing left
    out. Where the edited block has fewer quotations or items than the base blocks they
    replace, each goes back to the base one it is most like, in order: of two quotations,
    the first deleted and the second edited, the edited one is the second's."""
    sizes = [len(_content(i.block)) for i in run]
    content = _content(block)
    if len(content) == sum(sizes):
        return list(enumerate(_parts(block, sizes, [i.block for i in run])))
    owners = [n for n, size in enumerate(sizes) for _ in range(size)]
    base_parts = [part for i in run for part in _content(i.block)]
    base = [signature(_as_blocks(part)) for part in base_parts]
    matcher = difflib.SequenceMatcher(None, base, [signature(_as_blocks(part))
                                                   for part in content], autojunk=False)
    owner_of: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and j2 - j1 < i2 - i1:
            chosen = _most_alike([text_of(_as_blocks(p)) for p in base_parts[i1:i2]],
                                 [text_of(_as_blocks(p)) for p in content[j1:j2]])
            owner_of.extend(owners[i1 + at] for at in chosen)
            continue
        for j in range(j1, j2):
            if tag in ("equal", "replace") and i2 > i1:
                owner_of.append(owners[min(i1 + (j - j1), i2 - 1)])
            elif tag != "delete":
                owner_of.append(owners[i1 - 1] if i1 else 0)
    parts = []
    for number, model in enumerate(run):
        piece = [part for part, owner in zip(content, owner_of, strict=True) if owner == number]
        if piece:
            parts.append((number, blocks.OrderedList((model.block.c[0], piece))
                          if isinstance(block, blocks.OrderedList) else type(block)(piece)))
    return parts


def _most_alike(base: list[str], edited: list[str]) -> list[int]:
    """For each of the ``edited`` texts (fewer than ``base``), the index of the base text
    it stands for: in order, the pairing whose likeness adds up to most (the earliest
    among equals, so texts alike to none pair in order)."""
    rows, width = len(edited), len(base)
    # total[j][i]: the best sum of likeness for edited[:j + 1], edited[j] paired with base[i]
    total = [[-1.0] * width for _ in range(rows)]
    back = [[-1] * width for _ in range(rows)]
    for j in range(rows):
        for i in range(j, width - (rows - 1 - j)):
            gain = likeness(base[i], edited[j])
            if j == 0:
                total[j][i] = gain
                continue
            before = max(range(j - 1, i), key=lambda k: total[j - 1][k])
            total[j][i], back[j][i] = total[j - 1][before] + gain, before
    chosen = [max(range(rows - 1, width), key=lambda i: total[rows - 1][i])]
    for j in range(rows - 1, 0, -1):
        chosen.append(back[j][chosen[-1]])
    return chosen[::-1]


def _as_blocks(part: object) -> list[blocks.Block]:
    """A quotation's block or a list's item (its blocks), as blocks."""
    return part if isinstance(part, list) else [part]  # type: ignore[list-item]


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


def _resolve(old: list[Item], new: list[EditedBlock],
             known: list[tuple[int, int]]) -> list[Step]:
    """Pair the blocks of a stretch that differs: by id or as ``known`` (a block cut from
    a run Word joined, and the base block it was cut for), then by position and likeness."""
    anchors = _monotone(known + [(a, b) for a, item in enumerate(old)
                                 for b, block in enumerate(new) if _same_id(item, block)])
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
            # a recommendation's paragraph restyled (to start one, or go on with the one
            # before) is a change of where recommendations end, its words the same
            same = old[pa].sig == signature([new[pb].block]) and \
                old[pa].continues == new[pb].continues
            steps.append(Step("same" if same else "changed", old[pa], new[pb]))
        a, b = pa + 1, pb + 1
    return steps


def _same_id(item: Item, block: EditedBlock) -> bool:
    # (a recommendation's later paragraph may carry its bookmark too: LibreOffice saves it
    # in each; it is never its first)
    return (item.cls in _ID_CLASSES and item.position == 0 and item.unit.ident is not None
            and block.cls == item.cls and item.unit.ident in block.ids
            and not block.continues)


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
            if item.cls.startswith("meta:") or likeness(text, text_of([block.block])) >= ALIKE:
                pairs.append((a, b))
                start = b + 1
                break
    return pairs


ALIKE = 0.5
"""The :func:`likeness` from which two texts are one edited."""


def likeness(a: str, b: str) -> float:
    """How alike two texts are, character by character, from 0 to 1 (difflib's ratio; 0
    where its quick upper bound is already under :data:`ALIKE`)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= ALIKE else 0.0
