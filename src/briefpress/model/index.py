"""Turn a brief's text (its sections and YAML fragments) into an index of its elements.

Several stages look for the same few kinds of element in the same text: the checks for
links, images, raw formats, ids and captions, ``model/xref.py`` for figures, tables and
cross-references. Walking the real brief's ~7,000 elements costs about 1.4 ms a time;
the index walks it once (``Brief.index``, made on first use) and answers each of them
from lists: the elements of given kinds, part by part, in document order.

Only the Brief's own text is indexed: what a stage makes of it (the resolved copy
``xref.resolve`` returns, the document citeproc fills) has its own elements, and the
parse ``read/brief.py`` counts before the sections exist holds text the sections leave
out (what stands before the first heading).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, TypeVar

from msgspec import Struct

from briefpress.model import blocks

if TYPE_CHECKING:  # model/brief.py holds the index on each Brief: only the type is needed
    from briefpress.model.brief import Section

PartKind = Literal["heading", "blocks", "fragment"]
N = TypeVar("N", bound=blocks.Node)


class Part(Struct, frozen=True):
    """One stretch of the brief's text: a section's heading, a section's own blocks (up to
    its first subsection), or a fragment of Markdown held in YAML."""

    kind: PartKind
    key: str
    """The section's id (a heading, blocks) or the fragment's key (``rec:<id>``, ``intro``,
    ``bio:<n>``)."""
    section: Section | None
    """The section of a heading or blocks part; None for a fragment."""
    start: int
    end: int
    """Its elements are ``TextIndex.nodes[start:end]``."""


class TextIndex(Struct, frozen=True):
    """Every element of a brief's text in document order: brief.md's body (each section's
    heading, then its own blocks, depth first; generated sections have none), then each
    fragment; and where the elements of each type stand."""

    nodes: list[blocks.Node]
    parts: list[Part]
    positions: dict[type, list[int]]
    """For each type of element, its positions in ``nodes``, in order."""
    body: Part
    """brief.md's body as one part (kind ``blocks``, key ``""``): every section's heading
    and blocks, as ``Brief.body()`` gives them."""
    whole: Part
    """The whole text as one part: the body, then every fragment."""

    def parts_of(self, kind: PartKind) -> list[Part]:
        """The parts of ``kind``, in document order: ``"heading"`` and ``"blocks"`` one of
        each per section, ``"fragment"`` one per YAML fragment (``Brief.fragments``: a
        recommendation's text, the intro, a bio)."""
        return [part for part in self.parts if part.kind == kind]

    def find(self, kinds: type[N] | tuple[type[N], ...], *within: Part) -> list[N]:
        """The elements that are instances of ``kinds`` in the parts ``within`` (none:
        nothing), in document order."""
        spans = [(part.start, part.end) for part in within]
        found: list[int] = []
        matched = 0
        for kind, positions in self.positions.items():
            if not issubclass(kind, kinds):
                continue
            matched += 1
            for start, end in spans:
                found.extend(positions[bisect_left(positions, start):
                                       bisect_left(positions, end)])
        if matched > 1 or len(spans) > 1:
            found.sort()
        nodes = self.nodes
        return [nodes[position] for position in found]  # type: ignore[misc]


def index_text(sections: Iterable[Section],
               fragments: dict[str, list[blocks.Block]]) -> TextIndex:
    """The index of the text of ``sections`` (every section, depth first, as
    ``Brief.walk()`` gives them) and ``fragments`` (``Brief.fragments``)."""
    nodes: list[blocks.Node] = []
    parts: list[Part] = []

    def add(kind: PartKind, key: str, section: Section | None,
            content: list[blocks.Block]) -> None:
        start = len(nodes)
        nodes.extend(blocks.walk(content))
        parts.append(Part(kind, key, section, start, len(nodes)))

    for section in sections:
        if section.generated_from is None:
            add("heading", section.id, section, [section.header()])
            add("blocks", section.id, section, section.blocks)
    body = Part("blocks", "", None, 0, len(nodes))
    for key, content in fragments.items():
        add("fragment", key, None, content)
    positions: dict[type, list[int]] = {}
    for position, node in enumerate(nodes):
        kind = type(node)
        if kind in positions:
            positions[kind].append(position)
        else:
            positions[kind] = [position]
    return TextIndex(nodes, parts, positions, body, Part("blocks", "", None, 0, len(nodes)))
