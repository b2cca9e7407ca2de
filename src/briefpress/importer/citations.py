"""Turn the rendered citations of an edited Word file back into the source's ``[@key]``.

The Word edition shows what citeproc made of each ``[@key]``: in a note style (the
default, Chicago notes and bibliography) a footnote, in an in-text style a phrase such as
"(Smith 2020, 12)". Each carries a bookmark named by the citation's number in the brief
(``bpcite3``; :func:`briefpress.render.docx_ast.brief_units`): in the footnote's text, or
around the phrase. The base revision's units hold the same ``Cite`` with that rendering and
that number, so a changed paragraph's citations are found again in the editor's blocks by
their marks, whatever the editor did to the footnotes around them; only a citation whose
mark is gone is found as before the marks, by its place among the paragraph's footnotes or
its exact words. Each becomes the source's ``Cite`` again, so its key, prefix and locator
are written back as they were. A citation whose text the editor changed is reported (the
text comes from the bibliography, so the change belongs there or in the locator), never
written as plain text.

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
from briefpress.render import docx_styles as styles


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


MARK_CLASS = "briefpress-citation-mark"
"""The class of the empty ``Span`` that stands, in the edited blocks, where the bookmark of a
rendered citation starts or ends (:func:`briefpress.importer.docxread.read_edited` puts it
there; pandoc's reader drops bookmarks no link points to)."""


def mark(number: int, end: bool = False) -> blocks.Span:
    """The mark of the start (or end) of citation ``number``'s bookmark."""
    return blocks.Span((blocks.attr(classes=[MARK_CLASS],
                                    pairs=[("n", str(number)), ("edge", "end" if end
                                                                  else "start")]), []))


def _marked(node: blocks.Node, end: bool = False) -> int | None:
    """The number of a citation mark (of its start, or with ``end`` its end), else None."""
    if not isinstance(node, blocks.Span) or MARK_CLASS not in node.attr[1]:
        return None
    pairs = dict(node.attr[2])
    if pairs.get("edge") != ("end" if end else "start") or not pairs.get("n", "").isdigit():
        return None
    return int(pairs["n"])


def citation_marks(base: list[blocks.Block]) -> dict[int, blocks.Cite]:
    """Every rendered citation of ``base`` (the units' blocks) by the number of its
    bookmark (:func:`briefpress.render.docx_ast.brief_units` marks them)."""
    found: dict[int, blocks.Cite] = {}
    for node in blocks.walk(base):
        if _is_citation(node):
            assert isinstance(node, blocks.Cite)
            for inner in blocks.walk(node.content):
                if isinstance(inner, blocks.Span) and \
                        (number := styles.citation_mark(inner.attr[0])) is not None:
                    found[number] = node
                    break
    return found


def strip_marks(edited: list[blocks.Block]) -> list[blocks.Block]:
    """``edited`` without the citation marks (none reaches the source)."""
    def drop(node: blocks.Node) -> list[blocks.Node] | None:
        if isinstance(node, blocks.Span) and MARK_CLASS in node.attr[1]:
            return []
        return None

    return blocks.rewrite(edited, drop)


def restore_citations(edited: list[blocks.Block], base: list[blocks.Block],
                      marked: dict[int, blocks.Cite] | None = None
                      ) -> tuple[list[blocks.Block], list[CitationEdit]]:
    """``edited`` with every rendered citation found in it made a ``Cite`` again, and the
    citations whose text changed.

    A citation is found by its mark (the bookmark the Word file carries, numbered in
    ``marked``: the citations of the whole brief; by default those of ``base``); one whose
    mark is gone (a Word file made before the marks, or a footnote retyped) by its place
    among the footnotes of ``base`` (the unit it was in), or its exact words."""
    marked = citation_marks(base) if marked is None else marked
    cites = [node for node in blocks.walk(base) if _is_citation(node)]
    if not cites and not marked:
        return strip_marks(edited), []
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
    for note in edited_notes:  # by the mark in the note: wherever the note now stands
        number = next((n for node in blocks.walk(note.content)
                       if (n := _marked(node)) is not None), None)
        cite = marked.get(number) if number is not None else None
        rendered = next((n for n in cite.content if isinstance(n, blocks.Note)), None) \
            if cite is not None else None
        if cite is None or rendered is None:
            continue
        back[id(note)] = cite
        if _text(rendered) != _text(note):
            edits.append(CitationEdit([c.citation_id for c in cite.citations],
                                      _text(rendered), _text(note)))
    found = {id(cite) for cite in back.values()}
    matcher = difflib.SequenceMatcher(None, [_text(n) for n in base_notes],
                                      [_text(n) for n in edited_notes], autojunk=False)
    for tag, b0, b1, e0, e1 in matcher.get_opcodes():
        # the notes whose mark is gone, by place: equal runs pair one to one; a replaced
        # run of the same length too (notes edited in place); otherwise a citation's note
        # was deleted or added, and is not paired
        if tag == "equal" or (tag == "replace" and b1 - b0 == e1 - e0):
            for b, e in zip(range(b0, b1), range(e0, e1), strict=True):
                cite = owner.get(id(base_notes[b]))
                if cite is None or id(cite) in found or id(edited_notes[e]) in back:
                    continue
                back[id(edited_notes[e])] = cite
                if tag == "replace":
                    edits.append(CitationEdit([c.citation_id for c in cite.citations],
                                              _text(base_notes[b]), _text(edited_notes[e])))

    restored = _put_back(edited, back) if back else edited
    in_text = {number: cite for number, cite in marked.items()
               if not any(isinstance(n, blocks.Note) for n in cite.content) and cite.content}
    if in_text:
        restored, found_in_text = _restore_marked_in_text(restored, in_text, edits)
        unmarked = [c for c in cites if isinstance(c, blocks.Cite) and id(c) not in
                    found_in_text and not any(isinstance(n, blocks.Note) for n in c.content)
                    and c.content]
        if unmarked:
            restored = _restore_in_text(restored, unmarked)
    else:
        restored = _restore_in_text(restored, [
            c for c in cites if isinstance(c, blocks.Cite)
            and not any(isinstance(n, blocks.Note) for n in c.content) and c.content])
    return strip_marks(restored), edits


def _phrase(cite: blocks.Cite) -> list[blocks.Inline]:
    """The words citeproc made of an in-text citation (inside its mark)."""
    if len(cite.content) == 1 and isinstance(cite.content[0], blocks.Span) \
            and styles.citation_mark(cite.content[0].attr[0]) is not None:
        return cite.content[0].content
    return cite.content


def _plain_words(inlines: list[blocks.Inline]) -> list[blocks.Inline]:
    """Inlines without marks, neighbouring words joined (a mark may have split a word)."""
    out: list[blocks.Inline] = []
    for inline in inlines:
        if _marked(inline) is not None or _marked(inline, end=True) is not None:
            continue
        if isinstance(inline, blocks.Str) and out and isinstance(out[-1], blocks.Str):
            out[-1] = blocks.Str(out[-1].c + inline.c)
        else:
            out.append(inline)
    return out


def _up_to_end(content: list[blocks.Inline], stop: int, words: str, phrase: str
               ) -> tuple[list[blocks.Inline], int, str]:
    """The inlines with the characters that still belong to an edited phrase moved from
    after its end mark (at ``stop``) to before it, where the mark now stands, and the
    phrase's words.

    Saving, LibreOffice may end a bookmark a character early (one after a bookmark around a
    footnote's reference in the paragraph): the word after the mark may still hold the end
    of the phrase, up to the character citeproc ended the phrase with (")")."""
    after = content[stop + 1] if stop + 1 < len(content) else None
    if not phrase or words.endswith(phrase[-1]) or not isinstance(after, blocks.Str):
        return content, stop, words
    end = after.c.find(phrase[-1])
    if end < 0:
        return content, stop, words
    moved, kept = after.c[:end + 1], after.c[end + 1:]
    return ([*content[:stop], blocks.Str(moved), content[stop],
             *([blocks.Str(kept)] if kept else []), *content[stop + 2:]], stop + 1,
            words + moved)


def _restore_marked_in_text(edited: list[blocks.Block], cites: dict[int, blocks.Cite],
                            edits: list[CitationEdit]) -> tuple[list[blocks.Block], set[int]]:
    """In-text citations found by their marks: the phrase after a start mark, as it was, or
    (edited) up to the end mark (:func:`_up_to_end`)."""
    found: set[int] = set()

    def replace(node: blocks.Node) -> blocks.Node | None:
        if not isinstance(node, blocks.Plain) or not any(
                _marked(n) in cites for n in node.content):
            return None
        content = list(node.content)
        out: list[blocks.Inline] = []
        index = 0
        while index < len(content):
            number = _marked(content[index])
            cite = cites.get(number) if number is not None else None
            if cite is None:
                out.append(content[index])
                index += 1
                continue
            phrase = _plain_words(_phrase(cite))
            start = index + 1
            stop = next((j for j in range(start, min(len(content), start + 2 * len(phrase)) + 1)
                         if _plain_words(content[start:j]) == phrase), None)
            if stop is None:
                stop = next((j for j in range(start, len(content))
                             if _marked(content[j], end=True) == number), start)
                if stop == start:  # no end mark: the words are left as they are
                    index += 1
                    continue
                words = text_of(strip_marks([blocks.Plain(content[start:stop])]))
                content, stop, words = _up_to_end(content, stop, words,
                                                  text_of([blocks.Plain(phrase)]))
                if words != text_of([blocks.Plain(phrase)]):
                    edits.append(CitationEdit([c.citation_id for c in cite.citations],
                                              text_of([blocks.Plain(phrase)]), words))
            found.add(id(cite))
            out.append(blocks.Cite((cite.citations, [])))
            index = stop
        return type(node)(blocks.rewrite(out, replace))

    return blocks.rewrite(edited, replace), found


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
    wanted = [(blocks.encode(_phrase(c)), len(_phrase(c)), c) for c in cites]

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
