"""Turn the PDF editions' HTML into text a proofreader accepts: break rules CSS cannot say.

WeasyPrint hyphenates every word long enough (``hyphenate-limit-chars``), proper names
and acronyms included, and breaks a line at any hyphen or dash. Three rules of the house
style need the words themselves marked, which this module does on the document's text
nodes with lxml (never on the markup as a string):

- a capitalised word is never hyphenated ("Consulta-tive Group", "Part-nership"): it is
  wrapped, with the capitalised words next to it, in ``<span class="nohy">``
  (``hyphens: manual`` in print.css);
- a number range ("1950-1953", "2019–2023") and a compound with a part of three letters
  or fewer ("vis-à-vis", "US-ROK") never break at their hyphen or dash: ``<span
  class="keep">`` (``white-space: nowrap``);
- a line never starts with an em dash: the dash is kept with the word before it, so a
  line may end with one but not begin with one (``<span class="keep">``).

The spans carry no meaning: their text is the same, so the tagged PDF and the text a
reader copies are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import html as lxml_html

NO_HYPHENATION_CLASS = "nohy"
KEEP_CLASS = "keep"

MIN_PROTECTED = 9
"""Capitalised words shorter than this are never hyphenated anyway (print.css's
``hyphenate-limit-chars`` asks for as many letters): they are left unwrapped, and a run of
capitalised words ("Nuclear Consultative Group") takes one span, which keeps the spans
few: WeasyPrint tags each as a /Span of the PDF's structure tree."""

SKIPPED = frozenset({"style", "script", "head", "title", "pre", "code", "svg", "math",
                     "h1", "h2", "h3", "h4", "h5", "h6"})
"""Elements whose text is left alone (headings are never hyphenated, by print.css)."""

_TOKEN = re.compile(
    r"(?P<range>(?<![\w.])\d+(?:[,.]\d+)*[-–]\d+(?:[,.]\d+)*(?!\w))"
    r"|(?P<short>(?<![\w-])(?:\w{1,3}(?:-\w+)+|\w+(?:-\w+)*-\w{1,3})(?![\w-]))"
    r"|(?P<dash>[^\s—]+—)"
    r"|(?P<capital>(?<![\w-])[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*)",
)
"""What the text is searched for, in plain text (a text node's content, not markup)."""


def apply_break_rules(document: str) -> str:
    """The HTML ``document`` with the running text of its ``<body>`` marked (see above)."""
    tree = lxml_html.document_fromstring(document)
    body = tree.find("body")
    if body is None:
        return document
    for element in list(_elements(body)):
        _mark_text(element)
        for child in list(element):
            _mark_tail(child)
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def _elements(root: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """Every element under ``root`` whose own text may be marked."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in SKIPPED:
            continue
        if any(a.tag in SKIPPED or _classes(a) & {KEEP_CLASS, NO_HYPHENATION_CLASS, "nowrap"}
               for a in element.iterancestors()) or \
                _classes(element) & {KEEP_CLASS, NO_HYPHENATION_CLASS, "nowrap"}:
            continue
        yield element


def _classes(element: lxml_html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _pieces(text: str) -> list[str | lxml_html.HtmlElement]:
    """``text`` cut into plain strings and marking spans."""
    pieces: list[str | lxml_html.HtmlElement] = []
    position = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        word = match.group()
        if kind == "capital" and max(sum(c.isalpha() for c in part)
                                     for part in word.split()) < MIN_PROTECTED:
            continue
        pieces.append(text[position:match.start()])
        span = lxml_html.Element("span")
        span.set("class", NO_HYPHENATION_CLASS if kind == "capital" else KEEP_CLASS)
        span.text = word
        pieces.append(span)
        position = match.end()
    pieces.append(text[position:])
    return pieces


def _mark_text(element: lxml_html.HtmlElement) -> None:
    if not element.text:
        return
    pieces = _pieces(element.text)
    if len(pieces) == 1:
        return
    element.text = pieces[0]  # type: ignore[assignment]
    _insert(element, 0, pieces[1:])


def _mark_tail(child: lxml_html.HtmlElement) -> None:
    parent = child.getparent()
    if not child.tail or parent is None or parent.tag in SKIPPED:
        return
    pieces = _pieces(child.tail)
    if len(pieces) == 1:
        return
    child.tail = pieces[0]  # type: ignore[assignment]
    _insert(parent, parent.index(child) + 1, pieces[1:])


def _insert(parent: lxml_html.HtmlElement, index: int,
            pieces: list[str | lxml_html.HtmlElement]) -> None:
    """Insert spans at ``index`` of ``parent``, each followed by the string after it."""
    for span, after in zip(pieces[::2], pieces[1::2], strict=True):
        assert not isinstance(span, str) and isinstance(after, str)
        span.tail = after
        parent.insert(index, span)
        index += 1
