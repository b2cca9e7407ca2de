"""Cross-references (``@fig-x``, ``@tbl-x``, ``@sec-x``) in a Brief into numbered links.

Quarto's syntax: a figure gets its id from ``![Caption](file.png){#fig-x}``, a table from
``: Caption {#tbl-x}``, and ``@fig-x`` / ``@tbl-x`` refer to them. ``@sec-x`` refers to the
section whose id is ``sec-x`` (Quarto's convention) or, failing that, ``x`` (a section id as
briefs have always written them, ``# Title {#x}``), so existing briefs need no new ids.

Figures, and tables with a caption or an id, are numbered in the order brief.md gives them,
once, here; every edition takes its numbers from :func:`resolve`, so "Figure 2" is the same
figure in the PDF, the Word file and the web page. A reference reads "Figure 2", "Table 1" or
a section's title (sections are not numbered in any edition), and links to the target's id:
an anchor in the HTML and the PDF, a bookmark hyperlink in the Word file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, Literal

import msgspec
from msgspec import Struct

from briefpress.model import blocks
from briefpress.model.brief import Brief, Section

PREFIXES = ("fig-", "tbl-", "sec-")
"""The keys that are cross-references. pandoc parses ``@fig-x`` and ``[@key]`` alike, as a
Cite: a Cite whose every key starts with one of these is a cross-reference and is resolved
here; any other Cite is a citation of the bibliography, which citeproc handles elsewhere."""

XREF_CLASS = "xref"
"""The class of the link a cross-reference becomes (HTML ``<a class="xref">``)."""

LABEL_CLASS = "caption-label"
"""The class of the number a caption opens with ("Figure 1:")."""

Kind = Literal["figure", "table", "section"]
NAMES = {"figure": "Figure", "table": "Table"}


class Target(Struct, frozen=True):
    """What a cross-reference key points to."""

    key: str
    """The key as written after ``@``."""
    anchor: str
    """The id of the target in every edition."""
    kind: Kind
    label: str
    """What a reference reads: "Figure 1", "Table 2", a section's title."""


def is_xref(cite: blocks.Node) -> bool:
    """Whether ``cite`` is a cross-reference (every key ``fig-``, ``tbl-`` or ``sec-``)."""
    return isinstance(cite, blocks.Cite) and bool(cite.citations) and all(
        c.citation_id.startswith(PREFIXES) for c in cite.citations)


def _numbered(block: blocks.Node) -> Kind | None:
    """Whether a block gets a number: every figure; a table with a caption or an id."""
    if isinstance(block, blocks.Figure):
        return "figure"
    if isinstance(block, blocks.Table) and (block.attr[0] or blocks.stringify(block.caption)):
        return "table"
    return None


def targets(brief: Brief) -> dict[str, Target]:
    """Every key a cross-reference may use, with what it reads and links to."""
    found: dict[str, Target] = {}
    counts = {"figure": 0, "table": 0}
    index = brief.index
    for node in index.find((blocks.Figure, blocks.Table), *index.parts_of("blocks")):
        kind = _numbered(node)
        if kind is None:
            continue
        counts[kind] += 1
        ident = node.attr[0]  # type: ignore[attr-defined]
        if ident:
            found[ident] = Target(ident, ident, kind, f"{NAMES[kind]} {counts[kind]}")
    for section in brief.walk():
        if section.generated_from is not None:
            continue
        key = section.id if section.id.startswith("sec-") else f"sec-{section.id}"
        # an id written as sec-x wins over a section written x
        if key not in found or section.id == key:
            found[key] = Target(key, section.id, "section", section.title)
    return found


def resolve(brief: Brief) -> Brief:
    """A copy of ``brief`` whose captions open with their number and whose cross-references
    are links reading "Figure 1", "Table 2" or a section's title. An unknown key stays a
    Cite (``check`` reports it, so a checked brief has none)."""
    table = targets(brief)
    counts = {"figure": 0, "table": 0}
    index = brief.index
    # a copy only of the blocks that change: most sections have no figure, table or
    # reference, and rewriting copies every element below them
    changing = {id(part.section) for part in index.parts_of("blocks")
                if index.find(_MAY_CHANGE, part)}
    cited = {part.key for part in index.parts_of("fragment") if index.find(blocks.Cite, part)}

    def replace(node: blocks.Node) -> blocks.Node | list[blocks.Node] | None:
        if is_xref(node) and all(c.citation_id in table for c in node.citations):  # type: ignore[attr-defined]
            return _links(node, table)  # type: ignore[arg-type]
        kind = _numbered(node)
        if kind is not None:
            counts[kind] += 1
            return _caption_numbered(node, f"{NAMES[kind]} {counts[kind]}", replace)
        return None

    def section(s: Section) -> Section:
        own = s.blocks
        if id(s) in changing:  # this section itself, not one with the same id
            own = blocks.rewrite(own, replace)
        return msgspec.structs.replace(s, blocks=own, children=[section(c) for c in s.children])

    def refs_only(node: blocks.Node) -> list[blocks.Node] | None:
        if is_xref(node) and all(c.citation_id in table for c in node.citations):  # type: ignore[attr-defined]
            return _links(node, table)  # type: ignore[arg-type]
        return None

    sections = [section(s) for s in brief.sections]
    # the Markdown held in YAML (recommendations, bios) may refer to the body's figures; its
    # own tables and figures, which stand elsewhere in each edition, are not numbered
    fragments = {key: blocks.rewrite(value, refs_only) if key in cited else value
                 for key, value in brief.fragments.items()}
    return msgspec.structs.replace(brief, sections=sections, fragments=fragments)


_MAY_CHANGE = (blocks.Cite, blocks.Figure, blocks.Table)
"""What :func:`resolve` may rewrite: a reference (a Cite), a figure or table (a caption)."""


def _has(value: Any, kinds: tuple[type, ...]) -> bool:
    return any(isinstance(node, kinds) for node in blocks.walk(value))


def _links(cite: blocks.Cite, table: dict[str, Target]) -> list[blocks.Node]:
    out: list[blocks.Node] = []
    for index, citation in enumerate(cite.citations):
        if index:
            out.extend([blocks.Str(","), blocks.Space()])
        if citation.citation_prefix:
            out.extend([*citation.citation_prefix, blocks.Space()])
        target = table[citation.citation_id]
        out.append(link(target))
        if citation.citation_suffix:
            out.extend(citation.citation_suffix)
    return out


def link(target: Target) -> blocks.Link:
    """The link a reference to ``target`` becomes; it carries its key (``data-xref`` in HTML)
    so that the importer can write ``@key`` back (the web page's sanitiser drops it)."""
    return blocks.Link((blocks.attr(classes=[XREF_CLASS], pairs=[("xref", target.key)]),
                        link_words(target), (f"#{target.anchor}", "")))


def link_words(target: Target) -> list[blocks.Inline]:
    """What a reference to ``target`` reads: a figure's or a table's label as one word,
    "Figure" and its number joined by a no-break space (no edition ends a line between
    them); a section's title as its words."""
    if target.kind == "section":
        return blocks.plain_inlines(target.label)
    return [blocks.Str(target.label.replace(" ", NO_BREAK_SPACE))]


NO_BREAK_SPACE = "\u00a0"


def key_of(node: blocks.Node) -> str | None:
    """The key of a link :func:`link` made, else None."""
    if isinstance(node, blocks.Link) and XREF_CLASS in node.attr[1]:
        return dict(node.attr[2]).get("xref")
    return None


def cite(key: str) -> blocks.Cite:
    """``@key`` as pandoc parses it."""
    return blocks.Cite(([blocks.Citation(key, citation_mode=blocks.AuthorInText())],
                        [blocks.Str(f"@{key}")]))


def unlabelled(caption: list[blocks.Block]) -> list[blocks.Block]:
    """A caption without the number :func:`caption_label` opened it with (the source's form)."""
    if caption and isinstance(caption[0], blocks.Plain):
        first = caption[0].content
        if first and isinstance(first[0], blocks.Span) and LABEL_CLASS in first[0].attr[1]:
            rest = first[2:] if len(first) > 1 and isinstance(first[1], blocks.Space) \
                else first[1:]
            return [type(caption[0])(rest), *caption[1:]]
    return caption


def relink(content: list[blocks.Block], table: dict[str, Target]) -> list[blocks.Block]:
    """``content`` read back from a Word file of a brief whose :func:`targets` are
    ``table``, with what :func:`resolve` made
    recognised again: a hyperlink to a target's bookmark that still reads the target's label
    is that reference (LibreOffice may rename the bookmark ``fig-x-1``, so a numbered suffix
    is allowed); a caption that still opens with its number has it as :func:`caption_label`.
    Whatever an editor changed stays as the editor left it."""
    if not _has(content, (blocks.Link, blocks.Figure, blocks.Table)):
        return content  # nothing to recognise: most paragraphs
    by_label: dict[tuple[str, str], Target] = {(" ".join(t.label.split()), t.anchor): t
                                               for t in table.values()}

    def known(node: blocks.Link) -> Target | None:
        anchor = node.url[1:] if node.url.startswith("#") else ""
        # "Figure 1" with the no-break space link_words joins it with (Word keeps it), or
        # with a plain space an editor typed
        label = " ".join(blocks.stringify(node.content).split())
        for (text, target_anchor), target in by_label.items():
            if text == label and (anchor == target_anchor or (
                    anchor.startswith(f"{target_anchor}-")
                    and anchor[len(target_anchor) + 1:].isdigit())):
                return target
        return None

    def replace(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.Link) and (target := known(node)) is not None:
            return link(target)
        kind = _numbered(node)
        if kind is not None:
            attr, (short, caption), *rest = node.c  # type: ignore[attr-defined]
            rest = blocks.rewrite(list(rest), replace)
            caption = blocks.rewrite(caption, replace)
            if caption and isinstance(caption[0], blocks.Plain):
                first = caption[0].content
                # LibreOffice moves the figure's or table's bookmark into its caption
                while first and isinstance(first[0], blocks.Span) and not first[0].content \
                        and "anchor" in first[0].attr[1]:
                    first = first[1:]
                words = blocks.stringify(first[:3]).split()
                if len(words) == 2 and words[0] == NAMES[kind] and words[1][:-1].isdigit() \
                        and words[1].endswith(":") and len(first) >= 3:
                    rest_inlines = first[3:]
                    caption = [type(caption[0])([caption_label(" ".join(words)[:-1]),
                                                 *rest_inlines]), *caption[1:]]
            return type(node)((attr, (short, caption), *rest))
        return None

    return blocks.rewrite(content, replace)


def caption_label(label: str) -> blocks.Span:
    """The number a caption opens with: "Figure 1:" in a span of its own."""
    return blocks.Span((blocks.attr(classes=[LABEL_CLASS]), blocks.plain_inlines(f"{label}:")))


def _caption_numbered(node: blocks.Node, label: str,
                      replace: Callable[[blocks.Node], Any]) -> blocks.Node:
    attr, (short, caption), *rest = node.c  # type: ignore[attr-defined]
    caption = blocks.rewrite(caption, replace)
    rest = blocks.rewrite(list(rest), replace)
    opening: list[blocks.Inline] = [caption_label(label), blocks.Space()]
    if caption and isinstance(caption[0], blocks.Plain):  # Para too
        first = caption[0]
        caption = [type(first)([*opening, *first.content]), *caption[1:]]
    else:
        caption = [blocks.Plain(opening[:1]), *caption]
    return type(node)((attr, (short, caption), *rest))


def typed_keys(content: list[blocks.Block], table: dict[str, Target]) -> list[str]:
    """The keys of the targets whose label ("Figure 1", a section's title) ``content`` holds
    as typed words, not as a reference, in order: what a reference retyped in Word, its
    hyperlink gone, leaves. A label matches as written ("Conclusion", not "conclusion")."""
    found: list[str] = []
    _typed(content, table, lambda target, place: found.append(target.key) or False)
    return found


def reference_keys(node: blocks.Node) -> list[str]:
    """The keys ``node`` refers to: a reference as the source writes it (``@fig-x``) or as
    an edition holds it (:func:`link`); else none."""
    if isinstance(node, blocks.Cite) and is_xref(node):
        return [citation.citation_id for citation in node.citations]
    key = key_of(node)
    return [] if key is None else [key]


def retyped(content: list[blocks.Block], wanted: dict[str, int],
            table: dict[str, Target], base: list[blocks.Block]) -> list[blocks.Block]:
    """``content`` with labels of targets typed as words made that reference again
    (:func:`link`). The importer asks this of a paragraph that lost references the Word
    file had (``wanted[key]`` of them; ``base`` is that paragraph as the file had it): an
    editor who retypes "(Figure 1)" over "(Figure 1)" deletes the hyperlink and types its
    words; where those words are still the target's label, the reference is what they
    meant. Only labels the editor typed count: at most as many more as ``content`` holds
    than ``base`` held as plain words, the ones nearest where the reference stood; words
    the paragraph already had ("Figure 1 shows", "In conclusion") stay words."""
    had = Counter(typed_keys(base, table))
    # every label typed, each in place of a mark, to measure where it stands in the text
    found: list[tuple[tuple[int, int], str]] = []

    def mark(target: Target, place: tuple[int, int]) -> blocks.Inline:
        found.append((place, target.key))
        return blocks.Str(f"\x00{len(found) - 1}\x00")

    edited_at = _offsets(blocks.stringify(_typed(content, table, lambda *_: True, mark)))
    marks: list[str] = []

    def mark_reference(node: blocks.Node) -> blocks.Node | None:
        keys = reference_keys(node)
        if not keys:
            return None
        marks.append(keys[0])
        return blocks.Str(f"\x00{len(marks) - 1}\x00")

    base_at = _offsets(blocks.stringify(blocks.rewrite(base, mark_reference)))
    chosen: set[tuple[tuple[int, int], str]] = set()
    for key, count in wanted.items():
        candidates = [number for number, (_, found_key) in enumerate(found)
                      if found_key == key]
        allowed = min(count, len(candidates) - had[key])
        if allowed <= 0:
            continue
        stood = [base_at[number] for number, marked in enumerate(marks) if marked == key] \
            or [0]
        candidates.sort(key=lambda number: (
            min(abs(edited_at[number] - place) for place in stood), number))
        chosen.update(found[number] for number in candidates[:allowed])
    if not chosen:
        return content
    return _typed(content, table, lambda target, place: (place, target.key) in chosen)


def _offsets(text: str) -> dict[int, int]:
    """Where each mark ("\\x00<n>\\x00") stands in ``text``, counted in the text without
    the marks."""
    offsets: dict[int, int] = {}
    length = 0
    for number, part in enumerate(text.split("\x00")):
        if number % 2:
            offsets[int(part)] = length
        else:
            length += len(part)
    return offsets


def _typed(content: list[blocks.Block], table: dict[str, Target],
           take: Callable[[Target, tuple[int, int]], bool],
           made: Callable[[Target, tuple[int, int]], blocks.Inline] = lambda target, _: link(
               target)) -> list[blocks.Block]:
    """``content`` with each label of ``table`` typed as words (in a paragraph's own run of
    words, not inside a link or a reference) that ``take`` accepts made a link to it (or
    what ``made`` makes). Each label found is known by its place: which run of words, in
    the order they are read, and where in it; the same in every pass over ``content``."""
    # the longest labels first: "Agreements That Hold" before a section titled "Agreements"
    labels = sorted(((target.label.split(), target) for target in table.values()
                     if target.label.split()), key=lambda pair: -len(pair[0]))
    runs = [0]

    def scan(inlines: list[blocks.Inline]) -> list[blocks.Inline]:
        run = runs[0]
        runs[0] += 1
        out: list[blocks.Inline] = []
        at = 0
        while at < len(inlines):
            for words, target in labels:
                found = _label_at(inlines, at, words)
                if found is not None and take(target, (run, at)):
                    end, prefix, suffix = found
                    out.extend([*([blocks.Str(prefix)] if prefix else []),
                                made(target, (run, at)),
                                *([blocks.Str(suffix)] if suffix else [])])
                    at = end
                    break
            else:
                out.append(inlines[at])
                at += 1
        return out

    def replace(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, _NOT_TYPED):
            return node  # a link's or a reference's words are no typed label
        if isinstance(node, _WORDS):  # Para too
            return type(node)(scan(blocks.rewrite(node.c, replace)))
        return None

    return blocks.rewrite(content, replace)


_NOT_TYPED = (blocks.Link, blocks.Cite, blocks.Code, blocks.Image, blocks.Math,
              blocks.RawInline)
_WORDS = (blocks.Plain, blocks.Emph, blocks.Strong, blocks.Underline, blocks.SmallCaps)
"""What holds words an editor types, as a list of inlines of its own."""


def _label_at(inlines: list[blocks.Inline], at: int,
              words: list[str]) -> tuple[int, str, str] | None:
    """Whether the words ``words`` (a label) stand in ``inlines`` from ``at``, as pandoc reads
    typed text (each word a Str, a space between them), with punctuation glued before the
    first ("(Figure") and after the last ("1);"): then the end, and that punctuation. A
    label :func:`link_words` joined with a no-break space, which the words keep when the
    editor removes their link, is one word ("Figure\u00a01")."""
    if len(words) > 1 and at < len(inlines) and isinstance(inlines[at], blocks.Str) \
            and NO_BREAK_SPACE in inlines[at].c:  # type: ignore[union-attr]
        words = [NO_BREAK_SPACE.join(words)]
    prefix = suffix = ""
    end = at
    for number, word in enumerate(words):
        if number:
            if end >= len(inlines) or not isinstance(inlines[end], blocks.Space
                                                     | blocks.SoftBreak):
                return None
            end += 1
        if end >= len(inlines) or not isinstance(inlines[end], blocks.Str):
            return None
        text = inlines[end].c  # type: ignore[union-attr]
        start = 0
        if number == 0:
            while start < len(text) and not text[start].isalnum():
                start += 1
            prefix = text[:start]
        stop = start + len(word)
        if text[start:stop] != word:  # "conclusion" is a word, "Conclusion" a title
            return None
        rest = text[stop:]
        if number < len(words) - 1 and rest:
            return None
        if number == len(words) - 1:
            # "Figure 1);" ends the label at ")", "Figure 10" and "Figure 1.5" are others
            if rest and (rest[0].isalnum() or (rest[0] in ".,:-" and rest[1:2].isalnum())):
                return None
            suffix = rest
        end += 1
    return end, prefix, suffix
