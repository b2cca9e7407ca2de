"""Edit a .docx the way an editor in Word does, for tests: text, tracked changes, comments.

Each edit names the paragraph by a phrase it contains and the place by a phrase
in it, so a test reads as the editor's session::

    doc = DocxEditor(path)
    doc.replace("Long-time strategic allies", "decades", "seventy years")
    doc.insert("As the US administration", "maintenance of", " a", author="Ed", date=DATE)
    doc.save(out)
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class DocxEditor:
    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.parts = {i.filename: archive.read(i) for i in archive.infolist()}
        self.doc = etree.fromstring(self.parts["word/document.xml"])
        self.comments = etree.fromstring(self.parts["word/comments.xml"]) \
            if "word/comments.xml" in self.parts else None
        self._next_id = 9000

    # -- finding ---------------------------------------------------------------------------

    def paragraph(self, containing: str) -> etree._Element:
        """The one body paragraph whose text contains ``containing``."""
        found = [p for p in self.doc.iter(w("p")) if containing in self.text(p)]
        if len(found) != 1:
            raise AssertionError(f"{len(found)} paragraphs contain {containing!r}")
        return found[0]

    @staticmethod
    def text(paragraph: etree._Element) -> str:
        return "".join(t.text or "" for t in _texts(paragraph))

    # -- editing ---------------------------------------------------------------------------

    def replace(self, containing: str, old: str, new: str) -> None:
        """Retype ``old`` as ``new`` (Track Changes off)."""
        runs = self._select(containing, old)
        first = runs[0].find(w("t"))
        first.text = new
        first.set(XML_SPACE, "preserve")
        for run in runs[1:]:
            run.getparent().remove(run)

    def insert(self, containing: str, after: str, text: str, author: str, date: str,
               formatted: bool = False) -> None:
        """A tracked insertion of ``text`` right after the phrase ``after``; ``formatted``:
        in the run properties (character style) of the text before, as Word and LibreOffice
        type it."""
        paragraph = self.paragraph(containing)
        offset = self.text(paragraph).index(after) + len(after)
        anchor = self._split(paragraph, offset)
        ins = self._revision("ins", author, date)
        ins.append(_run(text))
        before = self._select(containing, after)[-1].find(w("rPr")) if formatted else None
        if before is not None:
            ins[0].insert(0, copy.deepcopy(before))
        if anchor is None:
            paragraph.append(ins)
        else:
            anchor.addprevious(ins)

    def delete(self, containing: str, phrase: str, author: str, date: str) -> None:
        """A tracked deletion of ``phrase``."""
        for run in self._select(containing, phrase):
            wrapper = self._revision("del", author, date)
            run.addprevious(wrapper)
            wrapper.append(run)
            for t in run.findall(w("t")):
                t.tag = w("delText")

    def delete_paragraph(self, containing: str, author: str, date: str) -> None:
        """A tracked deletion of a whole paragraph, as LibreOffice records it: its words and its
        mark marked deleted, the paragraph (style, bookmark) kept."""
        paragraph = self.paragraph(containing)
        self.delete(containing, self.text(paragraph), author=author, date=date)
        self._delete_mark(paragraph, author, date)

    def delete_mark(self, containing: str, author: str, date: str) -> None:
        """A tracked deletion of the paragraph's mark (its break): accepted, the paragraph
        and the next are one."""
        self._delete_mark(self.paragraph(containing), author, date)

    def _delete_mark(self, paragraph: etree._Element, author: str, date: str) -> None:
        ppr = paragraph.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            paragraph.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._revision("del", author, date))

    def comment(self, containing: str, phrase: str, author: str, date: str, text: str) -> None:
        """A comment anchored to ``phrase``."""
        assert self.comments is not None
        runs = self._select(containing, phrase)
        ident = str(len(self.comments))
        runs[0].addprevious(etree.Element(w("commentRangeStart"), {w("id"): ident}))
        end = etree.Element(w("commentRangeEnd"), {w("id"): ident})
        runs[-1].addnext(end)
        reference = etree.Element(w("r"))
        etree.SubElement(reference, w("commentReference"), {w("id"): ident})
        end.addnext(reference)
        body = etree.SubElement(self.comments, w("comment"), {
            w("id"): ident, w("author"): author, w("date"): date, w("initials"): author[:2]})
        para = etree.SubElement(body, w("p"))
        para.append(_run(text))

    def add_paragraph(self, after: str, text: str, style: str | None = None,
                      author: str | None = None, date: str = "") -> None:
        """A new paragraph after the one containing ``after`` (tracked if ``author``)."""
        previous = self.paragraph(after)
        paragraph = etree.Element(w("p"))
        if style or author:
            ppr = etree.SubElement(paragraph, w("pPr"))
            if style:
                etree.SubElement(ppr, w("pStyle"), {w("val"): style})
            if author:
                rpr = etree.SubElement(ppr, w("rPr"))
                rpr.append(self._revision("ins", author, date))
        if author:
            ins = self._revision("ins", author, date)
            ins.append(_run(text))
            paragraph.append(ins)
        else:
            paragraph.append(_run(text))
        previous.addnext(paragraph)

    def replace_in_part(self, name: str, old: str, new: str) -> None:
        """Retype text in another part (a footnote in word/footnotes.xml); ``old`` must stand
        once, in one run."""
        xml = self.parts[name].decode("utf-8")
        assert xml.count(old) == 1, old
        self.parts[name] = xml.replace(old, new).encode("utf-8")

    def unlink(self, containing: str, phrase: str) -> None:
        """Remove the hyperlink around ``phrase`` (keep its text), as retyping it does."""
        paragraph = self.paragraph(containing)
        for link in list(paragraph.iter(w("hyperlink"))):
            if phrase in "".join(t.text or "" for t in link.iter(w("t"))):
                for run in list(link):
                    link.addprevious(run)
                link.getparent().remove(link)

    def move(self, first: str, last: str, before: str) -> None:
        """Cut the paragraphs from the one containing ``first`` to ``last`` and paste them
        before the one containing ``before``."""
        start, end = self.paragraph(first), self.paragraph(last)
        body = start.getparent()
        children = list(body)
        first_index = children.index(start)
        while first_index and children[first_index - 1].tag == w("bookmarkStart"):
            first_index -= 1  # Word moves a heading's bookmark with it
        block = children[first_index:children.index(end) + 1]
        target = self.paragraph(before)
        for element in block:
            target.addprevious(element)

    def remove_paragraph(self, containing: str) -> None:
        """Delete a whole paragraph (Track Changes off)."""
        paragraph = self.paragraph(containing)
        paragraph.getparent().remove(paragraph)

    def save(self, path: Path) -> Path:
        self.parts["word/document.xml"] = etree.tostring(self.doc, xml_declaration=True,
                                                         encoding="UTF-8", standalone=True)
        if self.comments is not None:
            self.parts["word/comments.xml"] = etree.tostring(
                self.comments, xml_declaration=True, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.parts.items():
                archive.writestr(name, data)
        path.write_bytes(out.getvalue())
        return path

    # -- helpers ---------------------------------------------------------------------------

    def _revision(self, kind: str, author: str, date: str) -> etree._Element:
        self._next_id += 1
        return etree.Element(w(kind), {w("id"): str(self._next_id), w("author"): author,
                                       w("date"): date})

    def _select(self, containing: str, phrase: str) -> list[etree._Element]:
        """The runs that hold exactly ``phrase`` (split where it starts and ends)."""
        paragraph = self.paragraph(containing)
        start = self.text(paragraph).index(phrase)
        end = start + len(phrase)
        self._split(paragraph, start)
        self._split(paragraph, end)
        runs, position = [], 0
        for t in _texts(paragraph):
            length = len(t.text or "")
            if start <= position < end:
                runs.append(t.getparent())
            position += length
        return runs

    def _split(self, paragraph: etree._Element, offset: int) -> etree._Element | None:
        """Split the run at ``offset`` so that a run starts there; return that run."""
        position = 0
        for t in _texts(paragraph):
            text = t.text or ""
            if position == offset:
                return t.getparent()
            if position < offset < position + len(text):
                run = t.getparent()
                tail = copy.deepcopy(run)
                t.text = text[:offset - position]
                t.set(XML_SPACE, "preserve")
                tail_t = tail.find(w("t"))
                tail_t.text = text[offset - position:]
                tail_t.set(XML_SPACE, "preserve")
                run.addnext(tail)
                return tail
            position += len(text)
        return None


def _texts(paragraph: etree._Element) -> list[etree._Element]:
    return [t for t in paragraph.iter(w("t"))
            if not any(a.tag == w("del") for a in t.iterancestors())]


def _run(text: str) -> etree._Element:
    run = etree.Element(w("r"))
    t = etree.SubElement(run, w("t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return run


def word_like_resave(source: Path, out: Path) -> Path:
    """What Word does to the XML when it saves: bookmarks moved into paragraphs, runs of one
    formatting merged, revision-session ids and proofing marks added, the _GoBack bookmark.
    (Word itself does not run here; LibreOffice, which does, is tested for real.)"""
    doc = DocxEditor(source)
    body = doc.doc.find(w("body"))
    children = list(body)
    for index, child in enumerate(children):
        if child.tag == w("bookmarkStart"):
            following = next((c for c in children[index + 1:] if c.tag == w("p")), None)
            if following is not None:
                ppr = following.find(w("pPr"))
                following.insert(0 if ppr is None else following.index(ppr) + 1, child)
        elif child.tag == w("bookmarkEnd"):
            previous = next((c for c in reversed(children[:index]) if c.tag == w("p")), None)
            if previous is not None:
                previous.append(child)
    for number, paragraph in enumerate(doc.doc.iter(w("p"))):
        paragraph.set(w("rsidR"), f"{number:08X}")
        _merge_runs(paragraph)
        if number % 7 == 3:
            ppr = paragraph.find(w("pPr"))
            paragraph.insert(0 if ppr is None else paragraph.index(ppr) + 1,
                             etree.Element(w("proofErr"), {w("type"): "spellStart"}))
            paragraph.append(etree.Element(w("proofErr"), {w("type"): "spellEnd"}))
    first = next(doc.doc.iter(w("p")))
    first.append(etree.Element(w("bookmarkStart"), {w("id"): "999", w("name"): "_GoBack"}))
    first.append(etree.Element(w("bookmarkEnd"), {w("id"): "999"}))
    return doc.save(out)


def _merge_runs(paragraph: etree._Element) -> None:
    """Join neighbouring runs of the same formatting, as Word writes them."""
    for parent in [paragraph, *paragraph.iter(w("hyperlink"))]:
        previous = None
        for run in list(parent):
            if run.tag != w("r") or run.find(w("t")) is None or len(run) > 2:
                previous = None
                continue
            rpr = run.find(w("rPr"))
            key = etree.tostring(rpr) if rpr is not None else b""
            if previous is not None and previous[0] == key:
                target = previous[1].find(w("t"))
                target.text = (target.text or "") + (run.find(w("t")).text or "")
                target.set(XML_SPACE, "preserve")
                parent.remove(run)
                continue
            previous = (key, run)


def edited_parts(source: Path, target: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """``source`` saved as ``target`` with its body and footnotes changed by ``change``
    (given them as lxml roots, ``document`` and ``footnotes``), every other entry as it was:
    an edit this class has no verb for."""
    parts = {"document": "word/document.xml", "footnotes": "word/footnotes.xml"}
    with zipfile.ZipFile(source) as zin:
        roots = {key: etree.fromstring(zin.read(name)) for key, name in parts.items()}
        change(roots)
        with zipfile.ZipFile(target, "w") as zout:
            for info in zin.infolist():
                key = next((k for k, name in parts.items() if name == info.filename), None)
                zout.writestr(info, zin.read(info) if key is None else etree.tostring(
                    roots[key], xml_declaration=True, encoding="UTF-8", standalone=True))
    return target
