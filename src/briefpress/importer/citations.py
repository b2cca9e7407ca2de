"""Turn the rendered citations of an edited Word file back into the source's ``[@key]``.

The Word edition shows what citeproc made of each ``[@key]``: in a note style (the
default, Chicago notes and bibliography) a footnote, in an in-text style a phrase such as
"(Smith 2020, 12)". The base revision's units hold the same ``Cite`` with that rendering
(:func:`briefpress.render.docx_ast.brief_units`), so a changed paragraph's citations are
found again in the editor's blocks: a note-style citation by its place among the
paragraph's footnotes (its text may have changed), an in-text one by its exact words. Each
becomes the source's ``Cite`` again, so its key, prefix and locator are written back as
they were. A citation whose text the editor changed is reported (the text comes from the
bibliography, so the change belongs there or in the locator), never written as plain text.

Only citations: a ``Cite`` whose ids start with ``fig-``, ``tbl-`` or ``sec-`` is a
cross-reference and is left to the cross-references' own handling
(:func:`briefpress.read.citations.is_citation`).
"""

from __future__ import annotations

import difflib

from msgspec import Struct

from briefpress.importer.signature import text_of
from briefpress.model import blocks
from briefpress.read.citations import is_citation


class CitationEdit(Struct, frozen=True):
    """A citation whose rendered text the editor changed."""

    keys: list[str]
    before: str
    after: str

    def notice(self) -> str:
        cited = ", ".join(f"@{key}" for key in self.keys)
        return (f"the text of the citation [{cited}] was edited in Word (“{self.before}” → "
                f"“{self.after}”); citations are written from the bibliography, so the source "
                f"keeps [{cited}]: correct the entry in the bibliography file, or the "
                "citation's page or prefix in the source")


def _is_citation(node: blocks.Node) -> bool:
    return isinstance(node, blocks.Cite) and any(is_citation(c.citation_id)
                                                 for c in node.citations)


def _text(note: blocks.Note) -> str:
    """A footnote's words (the text of a paragraph leaves notes out)."""
    return " ".join(text_of(note.content).split())


def restore_citations(edited: list[blocks.Block], base: list[blocks.Block]
                      ) -> tuple[list[blocks.Block], list[CitationEdit]]:
    """``edited`` with every rendered citation of ``base`` found in it made a ``Cite``
    again, and the citations whose text changed."""
    cites = [node for node in blocks.walk(base) if _is_citation(node)]
    if not cites:
        return edited, []
    assert all(isinstance(c, blocks.Cite) for c in cites)
    owner: dict[int, blocks.Cite] = {}  # a footnote citeproc made -> its citation
    for cite in cites:
        assert isinstance(cite, blocks.Cite)
        for node in cite.content:
            if isinstance(node, blocks.Note):
                owner[id(node)] = cite
    base_notes = [node for node in blocks.walk(base) if isinstance(node, blocks.Note)]
    edited_notes = [node for node in blocks.walk(edited) if isinstance(node, blocks.Note)]
    edits: list[CitationEdit] = []
    back: dict[int, blocks.Cite] = {}  # an edited footnote -> the Cite it stands for
    matcher = difflib.SequenceMatcher(None, [_text(n) for n in base_notes],
                                      [_text(n) for n in edited_notes], autojunk=False)
    for tag, b0, b1, e0, e1 in matcher.get_opcodes():
        # equal runs pair one to one; a replaced run of the same length too (notes edited
        # in place); otherwise a citation's note was deleted or added, and is not paired
        if tag == "equal" or (tag == "replace" and b1 - b0 == e1 - e0):
            for b, e in zip(range(b0, b1), range(e0, e1), strict=True):
                cite = owner.get(id(base_notes[b]))
                if cite is None:
                    continue
                back[id(edited_notes[e])] = cite
                if tag == "replace":
                    edits.append(CitationEdit([c.citation_id for c in cite.citations],
                                              _text(base_notes[b]), _text(edited_notes[e])))

    restored = _put_back(edited, back) if back else edited
    in_text = [c for c in cites if isinstance(c, blocks.Cite)
               and not any(isinstance(n, blocks.Note) for n in c.content) and c.content]
    if in_text:
        restored = _restore_in_text(restored, in_text)
    return restored, edits


_MOVED = ".,;:"
"""Punctuation citeproc moves before a note (a note style puts notes after punctuation)."""


def _put_back(edited: list[blocks.Block], back: dict[int, blocks.Cite]) -> list[blocks.Block]:
    """The footnotes in ``back`` replaced by their citations, written as a source writes
    them: ``word [@key].``, where citeproc had made ``word.`` and a note."""
    def replace(node: blocks.Node) -> blocks.Node | None:
        if id(node) in back:  # a note within emphasis or a link: put back where it stands
            return blocks.Cite((back[id(node)].citations, []))
        if not isinstance(node, blocks.Plain) or not any(id(n) in back for n in node.content):
            return None
        out: list[blocks.Inline] = []
        for inline in node.content:
            cite = back.get(id(inline))
            if cite is None:
                out.append(inline)
                continue
            moved = ""
            if out and isinstance(out[-1], blocks.Str):
                word = out[-1].c
                stripped = word.rstrip(_MOVED)
                moved = word[len(stripped):]
                out[-1:] = [blocks.Str(stripped)] if stripped else []
                out.append(blocks.Space())
            # the source's Cite; its rendered text (the note) is no part of the source
            out.append(blocks.Cite((cite.citations, [])))
            if moved:
                out.append(blocks.Str(moved))
        return type(node)(blocks.rewrite(out, replace))

    return blocks.rewrite(edited, replace)


def _restore_in_text(edited: list[blocks.Block], cites: list[blocks.Cite]
                     ) -> list[blocks.Block]:
    """In-text citations found by their exact inlines in a paragraph's inlines."""
    wanted = [(blocks.encode(c.content), len(c.content), c) for c in cites]

    def replace(node: blocks.Node) -> blocks.Node | None:
        if not isinstance(node, blocks.Plain):  # Para too
            return None
        content = list(node.content)
        out: list[blocks.Inline] = []
        index = 0
        while index < len(content):
            for encoded, size, cite in wanted:
                if blocks.encode(content[index:index + size]) == encoded:
                    out.append(cite)
                    index += size
                    break
            else:
                out.append(content[index])
                index += 1
        if len(out) == len(content):
            return None
        return type(node)(blocks.rewrite(out, replace))

    return blocks.rewrite(edited, replace)
