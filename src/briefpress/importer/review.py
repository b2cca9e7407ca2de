"""Turn the tracked changes and comments of a .docx into a review report.

Every insertion, deletion and move is listed with its author, date and section,
and every comment with its author, the text it is anchored to and its section:
nothing an editor wrote is dropped, whatever ``--changes`` does to the text.
"""

from __future__ import annotations

import difflib
from typing import Any

from msgspec import Struct, field

from briefpress.readback.docx import Block, body_blocks, visible_text, w
from briefpress.render.docx_styles import BIBLIOGRAPHY
from briefpress.support.docx_open import Package

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"

_KINDS = {"ins": "inserted", "del": "deleted", "moveFrom": "moved away",
          "moveTo": "moved here"}


class Revision(Struct):
    """One tracked change."""

    kind: str
    """inserted, deleted, moved away, moved here, paragraph inserted, paragraph deleted,
    formatting changed."""
    author: str
    date: str
    section: str
    text: str
    note: str | None = None
    """The Word id of the footnote the change is in or puts in (labelled as in the source
    once spliced, :func:`label_notes`)."""


class Comment(Struct):
    ident: str
    author: str
    date: str
    section: str
    anchor: str
    """The text the comment is attached to ("" for a comment at a point)."""
    text: str
    reply_to: str | None = None
    resolved: bool = False


class Review(Struct):
    revisions: list[Revision] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    note_texts: dict[str, str] = field(default_factory=dict)
    """The text of each footnote (Word id -> its words, changes accepted)."""


def label_notes(review: Review, labels: dict[str, str]) -> None:
    """Name the footnotes of ``review``'s changes as the source names them: ``labels`` maps
    each label of the imported source (and of the notes it dropped) to its text; a note
    takes the label whose text reads most like its own."""
    for revision in review.revisions:
        if revision.note is None:
            continue
        words = review.note_texts.get(revision.note, revision.text).split()
        label = max(labels, default=None, key=lambda name: difflib.SequenceMatcher(
            None, words, _plain(labels[name]).split(), autojunk=False).ratio())
        if label is None or difflib.SequenceMatcher(
                None, words, _plain(labels[label]).split(), autojunk=False).ratio() < 0.5:
            continue
        if revision.section.startswith("footnote "):
            revision.section = f"note [^{label}]"
        if revision.kind.startswith("footnote "):
            revision.text = f"[^{label}]: {revision.text}"


def _plain(markdown: str) -> str:
    """Markdown's words with its emphasis and link marks taken off, for likeness only."""
    return "".join(" " if char in "*_[]()<>`^~" else char for char in markdown)


def read_review(package: Package) -> Review:
    """Every tracked change and comment of the document, in reading order."""
    review = Review()
    blocks = body_blocks(package)
    section_of = _sections(blocks)
    notes = _footnotes(package)
    comment_sections: dict[str, str] = {}
    anchors: dict[str, list[str]] = {}
    open_ids: list[str] = []
    paragraphs: list[tuple[Any, str]] = []
    for block in blocks:
        section = section_of[block.index]
        paragraphs.extend((p, section) for p in (
            [block.element] if block.kind == "p" else block.element.iter(w("p"))))
        for open_id in open_ids:  # an anchor that runs on into the next paragraph
            if anchors[open_id] and not anchors[open_id][-1].endswith(" "):
                anchors[open_id].append(" ")
        for node in block.element.iter(w("commentRangeStart"), w("commentRangeEnd"),
                                       w("commentReference"), w("t"), w("delText")):
            ident = node.get(w("id"), "")
            if node.tag == w("commentRangeStart"):
                open_ids.append(ident)
                anchors.setdefault(ident, [])
                comment_sections.setdefault(ident, section)
            elif node.tag == w("commentRangeEnd"):
                if ident in open_ids:
                    open_ids.remove(ident)
            elif node.tag == w("commentReference"):
                comment_sections.setdefault(ident, section)
            else:
                for open_id in open_ids:
                    anchors[open_id].append(node.text or "")
    review.revisions = _paragraph_revisions(paragraphs, notes)
    review.note_texts = {ident: " ".join(visible_text(note).split())
                         for ident, note in notes.items()}
    # a note whose reference was inserted or deleted is reported there, text and all
    whole = {r.note for r in review.revisions if r.note is not None}
    for ident, note in notes.items():
        if ident not in whole:
            review.revisions.extend(_paragraph_revisions(
                [(p, f"footnote {ident}") for p in note.iter(w("p"))], notes, ident))
    review.comments = _comments(package, comment_sections, anchors)
    return review


def _footnotes(package: Package) -> dict[str, Any]:
    """The document's own footnotes (not the separators) by their Word id."""
    part = package.related(package.main, "footnotes")
    if not part or part not in package.parts:
        return {}
    root = package.xml(part)
    return {note.get(w("id"), ""): note for note in root.iter(w("footnote"))
            if note.get(w("type")) in (None, "normal")}


def _sections(blocks: list[Block]) -> dict[int, str]:
    """The section each block stands in, as "Title (#id)" (a deleted heading by the text it
    had)."""
    current = "the title block"
    found: dict[int, str] = {}
    for block in blocks:
        if block.heading_level is not None:
            title = " ".join(block.text.split()) or " ".join(_own_text(block.element).split())
            ident = block.bookmarks[0] if block.bookmarks else ""
            current = f"{title} (#{ident})" if ident else title
        # the list of works cited has no heading of its own (its title is a paragraph in
        # its style): its paragraphs are in it, not in the section before it
        found[block.index] = SOURCES if block.style == BIBLIOGRAPHY else current
    return found


SOURCES = "Sources (the list of works cited)"
"""Where a change in the list of works cited is said to be."""


_MARK_KINDS = {"ins": "ins", "del": "del", "moveFrom": "del", "moveTo": "ins"}
_WHOLE = {("ins", False): "paragraph inserted", ("del", False): "paragraph deleted",
          ("ins", True): "paragraph moved here", ("del", True): "paragraph moved away"}


def _mark(paragraph: Any) -> Any:
    """The tracked change of a paragraph's mark (its break), or None."""
    rpr = paragraph.find(f"{w('pPr')}/{w('rPr')}")
    if rpr is None:
        return None
    return next((node for node in rpr if node.tag in (w("ins"), w("del"), w("moveFrom"),
                                                      w("moveTo"))), None)


def _all_changed(paragraph: Any, kind: str) -> Any:
    """The first change if every word of the paragraph was inserted (``ins``) or deleted
    (``del``), moves counted with them; else None."""
    tags = (w("ins"), w("moveTo")) if kind == "ins" else (w("del"), w("moveFrom"))
    first = None
    for node in paragraph.iter(w("t"), w("delText"), w("footnoteReference")):
        if node.tag != w("footnoteReference") and not (node.text or "").strip():
            continue
        change = next((a for a in node.iterancestors(*tags)), None)
        if change is None:
            return None
        first = first if first is not None else change
    return first


def _paragraph_revisions(paragraphs: list[tuple[Any, str]], notes: dict[str, Any],
                         note: str | None = None) -> list[Revision]:
    """The tracked changes of a run of paragraphs, each given to the paragraph it changed.

    Word and LibreOffice record Enter at the end of a paragraph P, then typing, as P's mark
    inserted and the next paragraph's words inserted: that is a new paragraph after P, and
    P is unchanged. Likewise a deleted paragraph leaves its words and a neighbouring mark
    marked deleted. A paragraph all of whose words are new (or gone) next to a new (or
    gone) mark is reported once, as a whole, with its text.
    """
    found: list[Revision] = []
    marks = [_mark(p) for p, _ in paragraphs]
    wholes: list[tuple[str, Any] | None] = []
    accounted: set[int] = set()
    for index, (paragraph, _) in enumerate(paragraphs):
        wholes.append(None)
        for kind in ("ins", "del"):
            change = _all_changed(paragraph, kind)
            near = [m for m in (marks[index], marks[index - 1] if index else None)
                    if m is not None and _MARK_KINDS[m.tag.split("}")[1]] == kind]
            if change is not None and near:
                wholes[-1] = (kind, change)
                accounted.update(id(m) for m in near)
    for index, (paragraph, section) in enumerate(paragraphs):
        whole = wholes[index]
        if whole is not None:
            kind, change = whole
            moved = change.tag in (w("moveFrom"), w("moveTo"))
            found.append(Revision(_WHOLE[kind, moved], change.get(w("author"), "unknown"),
                                  change.get(w("date"), ""), section,
                                  " ".join(_own_text(paragraph).split()), note))
            continue
        found.extend(_revisions(paragraph, section, notes, note))
        mark = marks[index]
        if mark is not None and id(mark) not in accounted:
            kind = "paragraph split" if _MARK_KINDS[mark.tag.split("}")[1]] == "ins" else \
                "paragraphs joined"
            # the paragraph named by its words as they now read: its words deleted and
            # inserted side by side would run the old and the new wording together
            found.append(Revision(kind, mark.get(w("author"), "unknown"),
                                  mark.get(w("date"), ""), section,
                                  " ".join((_text_now(paragraph).strip()
                                            or _own_text(paragraph)).split()), note))
    return found


def _revisions(element: Any, section: str, notes: dict[str, Any],
               note: str | None) -> list[Revision]:
    """The changes inside one paragraph (its mark aside), neighbouring ones joined."""
    found: list[Revision] = []
    previous: Any = None
    for node in element.iter(w("ins"), w("del"), w("moveFrom"), w("moveTo"), w("rPrChange"),
                             w("pPrChange")):
        parent = node.getparent()
        author = node.get(w("author"), "unknown")
        date = node.get(w("date"), "")
        ref = None
        if node.tag in (w("rPrChange"), w("pPrChange")):
            kind, text = "formatting changed", visible_text(parent.getparent())
        elif parent is not None and parent.tag == w("rPr"):
            continue  # a paragraph's mark: see _paragraph_revisions
        else:
            kind = _KINDS[node.tag.split("}")[1]]
            text = "".join(t.text or "" for t in node.iter(w("t"), w("delText")))
            ref = next((r.get(w("id"), "") for r in node.iter(w("footnoteReference"))), None)
            if ref is not None and not text.strip():
                # a note put in or taken out: shown by its text (labelled once spliced)
                kind = "footnote inserted" if node.tag in (w("ins"), w("moveTo")) else \
                    "footnote deleted"
                text = _own_text(notes[ref]) if ref in notes else ""
        text = " ".join(text.split())
        if (ref is None and found and previous is not None and previous.getnext() is node
                and found[-1].kind == kind and found[-1].author == author
                and found[-1].date == date and found[-1].note == note):
            found[-1].text = f"{found[-1].text}{' ' if _spaced(previous, node) else ''}{text}"
        else:
            found.append(Revision(kind, author, date, section, text, ref or note))
        previous = node
    return found


def _own_text(paragraph: Any) -> str:
    """The words of a paragraph, deleted ones too (a deleted paragraph is shown by what it
    said); a note reference shows as a space."""
    parts = []
    for node in paragraph.iter(w("t"), w("delText"), w("footnoteReference")):
        parts.append(" " if node.tag == w("footnoteReference") else node.text or "")
    return "".join(parts)


def _text_now(paragraph: Any) -> str:
    """The words of a paragraph with its tracked changes accepted: no deleted words, nor
    words moved away; a note reference shows as a space."""
    parts = []
    for node in paragraph.iter(w("t"), w("footnoteReference")):
        if next(node.iterancestors(w("del"), w("moveFrom")), None) is not None:
            continue
        parts.append(" " if node.tag == w("footnoteReference") else node.text or "")
    return "".join(parts)


def _spaced(first: Any, second: Any) -> bool:
    a = "".join(t.text or "" for t in first.iter(w("t"), w("delText")))
    b = "".join(t.text or "" for t in second.iter(w("t"), w("delText")))
    return bool(a) and bool(b) and (a[-1].isspace() or b[0].isspace())


def _comments(package: Package, sections: dict[str, str],
              anchors: dict[str, list[str]]) -> list[Comment]:
    part = package.related(package.main, "comments")
    root = package.xml(part) if part else None
    if root is None:
        return []
    extended = _extended(package)
    by_para: dict[str, str] = {}
    comments: list[Comment] = []
    for node in root.iter(w("comment")):
        ident = node.get(w("id"), "")
        paragraphs = list(node.iter(w("p")))
        text = "\n".join(" ".join(visible_text(p).split()) for p in paragraphs).strip()
        para_id = paragraphs[-1].get(f"{{{W14}}}paraId") if paragraphs else None
        if para_id:
            by_para[para_id] = ident
        comments.append(Comment(ident, node.get(w("author"), "unknown"), node.get(w("date"), ""),
                                sections.get(ident, "unknown section"),
                                " ".join("".join(anchors.get(ident, [])).split()), text))
    for comment, node in zip(comments, root.iter(w("comment")), strict=True):
        paragraphs = list(node.iter(w("p")))
        para_id = paragraphs[-1].get(f"{{{W14}}}paraId") if paragraphs else None
        if para_id in extended:
            parent, done = extended[para_id]
            comment.reply_to = by_para.get(parent) if parent else None
            comment.resolved = done
    return comments


def _extended(package: Package) -> dict[str, tuple[str | None, bool]]:
    """paraId -> (parent paraId, resolved) from commentsExtended.xml (Word 2013 and later)."""
    part = package.related(package.main, "commentsExtended")
    root = package.xml(part) if part else None
    if root is None:
        return {}
    return {node.get(f"{{{W15}}}paraId", ""): (node.get(f"{{{W15}}}paraIdParent"),
                                               node.get(f"{{{W15}}}done") == "1")
            for node in root.iter(f"{{{W15}}}commentEx")}
