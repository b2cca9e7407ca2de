"""Turn the tracked changes and comments of a .docx into a review report.

Every insertion, deletion and move is listed with its author, date and section,
and every comment with its author, the text it is anchored to and its section:
nothing an editor wrote is dropped, whatever ``--changes`` does to the text.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field

from briefpress.readback.docx import Block, body_blocks, visible_text, w
from briefpress.render.docx_package import Package

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


def read_review(package: Package) -> Review:
    """Every tracked change and comment of the document, in reading order."""
    review = Review()
    blocks = body_blocks(package)
    section_of = _sections(blocks)
    comment_sections: dict[str, str] = {}
    anchors: dict[str, list[str]] = {}
    open_ids: list[str] = []
    for block in blocks:
        section = section_of[block.index]
        review.revisions.extend(_revisions(block.element, section))
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
    notes = package.related(package.main, "footnotes")
    if notes and notes in package.parts:
        root = package.xml(notes)
        for note in root.iter(w("footnote")):
            if note.get(w("type")) in (None, "normal"):
                review.revisions.extend(_revisions(note, f"footnote {note.get(w('id'))}"))
    review.comments = _comments(package, comment_sections, anchors)
    return review


def _sections(blocks: list[Block]) -> dict[int, str]:
    """The section each block stands in, as "Title (#id)"."""
    current = "the title block"
    found: dict[int, str] = {}
    for block in blocks:
        if block.heading_level is not None:
            title = " ".join(block.text.split())
            ident = block.bookmarks[0] if block.bookmarks else ""
            current = f"{title} (#{ident})" if ident else title
        found[block.index] = current
    return found


def _revisions(element: Any, section: str) -> list[Revision]:
    found: list[Revision] = []
    previous: Any = None
    for node in element.iter(w("ins"), w("del"), w("moveFrom"), w("moveTo"), w("rPrChange"),
                             w("pPrChange")):
        parent = node.getparent()
        author = node.get(w("author"), "unknown")
        date = node.get(w("date"), "")
        if node.tag in (w("rPrChange"), w("pPrChange")):
            kind, text = "formatting changed", visible_text(parent.getparent())
        elif parent is not None and parent.tag == w("rPr"):
            # the mark of a whole paragraph: its break was inserted or deleted
            if parent.getparent() is not None and parent.getparent().tag == w("pPr"):
                kind = "paragraph inserted" if node.tag == w("ins") else "paragraph deleted"
                text = _own_text(parent.getparent().getparent())
            else:
                continue
        else:
            kind = _KINDS[node.tag.split("}")[1]]
            text = "".join(t.text or "" for t in node.iter(w("t"), w("delText")))
        text = " ".join(text.split())
        if (found and previous is not None and previous.getnext() is node
                and found[-1].kind == kind and found[-1].author == author
                and found[-1].date == date):
            found[-1].text = f"{found[-1].text}{' ' if _spaced(previous, node) else ''}{text}"
        else:
            found.append(Revision(kind, author, date, section, text))
        previous = node
    return found


def _own_text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t"), w("delText")))


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
