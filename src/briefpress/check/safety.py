"""Turn a Brief into findings about what could act on a reader: raw formats, unsafe URLs.

Every edition is made from the same source, so what one edition must not carry is refused
here, once, with its line, rather than dropped by one renderer and kept live by another (the
web page's sanitiser removes a ``javascript:`` link; the PDF and the Word file would keep it).
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from briefpress.errors import Problem
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.model.index import Part

RAW_FORMATS = frozenset({"html"})
"""The only raw format an author may write (docs/security.md): the web page sanitises it and
the print edition loads through the sandbox. Raw OpenXML would put live Word fields
(``INCLUDETEXT``, ``INCLUDEPICTURE``) in the Word file; other formats reach no edition."""

CODE_SCHEMES = frozenset({"javascript", "vbscript"})
"""Schemes that run code wherever they stand: refused for links, images and raw HTML."""
LINK_REFUSED = CODE_SCHEMES | {"data", "file"}
"""Schemes a link may not have: a ``data:`` link opens a page made by the author, a
``file:`` link a file on the reader's own disk."""
LINK_ATTRIBUTES = frozenset({"href", "xlink:href", "action", "formaction"})
"""Raw HTML attributes that make a link (the print edition keeps them live)."""
LOAD_ATTRIBUTES = frozenset({"src", "poster", "data", "background", "srcset", "cite"})
"""Raw HTML attributes that load: ``data:`` and ``file:`` there are the sandbox's business."""


def url_scheme(url: str) -> str:
    """The scheme a browser, PDF viewer or Word would see in ``url``, lowercased ('' if none).

    Percent-escapes are undone (some viewers do), and control characters, whitespace and
    invisible formatting characters are dropped wherever they stand (browsers drop tabs and
    newlines anywhere and leading controls and spaces), so ``java\\tscript:``, `` JaVaScRiPt:``
    and ``%6Aavascript:`` all give ``javascript``.
    """
    text = url
    for _ in range(4):  # escapes of escapes
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    text = "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)
                                             in ("Cc", "Cf", "Zs", "Zl", "Zp")))
    head, colon, _ = text.partition(":")
    if not colon or not head or not (head[0].isascii() and head[0].isalpha()):
        return ""
    if not all(ch.isascii() and (ch.isalnum() or ch in "+-.") for ch in head):
        return ""
    return head.lower()


def check_safety(brief: Brief) -> list[Problem]:
    """Raw formats other than HTML, unsafe link and image schemes, links to a bare ``#``."""
    problems: list[Problem] = []
    for path, text, anchor, part in written_parts(brief):
        start = anchor  # nodes come in source order: each is looked for after the last found
        for node in brief.index.find(_LOOKED_AT, part):
            found = _node_problems(node, path, text, start)
            if found:
                problems.extend(found)
                start = max([start or 1, *(p.line for p in found if p.line)])
    return problems


_LOOKED_AT = (blocks.RawBlock, blocks.RawInline, blocks.Link, blocks.Image)
"""The elements that can carry what check_safety refuses (the text between is skipped)."""


def _node_problems(node: blocks.Node, path: Path, text: str,
                   start: int | None) -> list[Problem]:
    if isinstance(node, (blocks.RawBlock, blocks.RawInline)):
        fmt, raw = node.c
        if fmt not in RAW_FORMATS:
            first = raw.strip().splitlines()[0][:40] if raw.strip() else ""
            line = (_find(text, first, start) if first else None) or \
                _find(text, "{=" + fmt + "}", start) or start
            return [Problem(path, line, f"raw {fmt!r} is not allowed: only raw HTML may stand "
                            "in a brief", "write it in Markdown, or remove it")]
        attributes = _Attributes(raw)
        return [Problem(path, _find(text, written[:40], start) or _find(text, value[:40],
                                                                           start) or start,
                        f"raw HTML <{tag} {name}=…> has an unsafe {scheme}: address",
                        "link to an https:, http: or mailto: address, or remove the attribute")
                for tag, name, value, scheme, written in attributes.unsafe] + [
                Problem(path, _find(text, written[:40], start) or start,
                        f"raw HTML <{tag} {name}=\"#\"> goes to '#', which is nowhere",
                        "write the id of the section it means, or remove the attribute")
                for tag, name, written in attributes.nowhere]
    if isinstance(node, blocks.Link):
        scheme = url_scheme(node.url)
        if scheme not in LINK_REFUSED and node.url.strip() != "#":
            return []
        phrase = blocks.stringify(node.content).strip()
        if scheme in LINK_REFUSED:
            return [Problem(path, _find(text, node.url[:40], start) or _find(text, phrase,
                                                                              start) or start,
                            f"link {phrase!r} has an unsafe {scheme}: address",
                            "link to an https:, http: or mailto: address, or write the text "
                            "without a link")]
        if node.url.strip() == "#":
            return [Problem(path, _find(text, phrase, start) or start,
                            f"link {phrase!r} goes to '#', which is nowhere",
                            "write the id of the section it means, e.g. `(#introduction)`, "
                            "or write the text without a link")]
    if isinstance(node, blocks.Image):
        scheme = url_scheme(node.url)
        if scheme in CODE_SCHEMES:
            alt = blocks.stringify(node.content).strip()
            return [Problem(path, _find(text, node.url[:40], start) or start,
                            f"image {alt!r} has an unsafe {scheme}: address",
                            "refer to an image file beside brief.md")]
    return []


class _Attributes(HTMLParser):
    """The unsafe link and load attributes of a raw HTML fragment: ``(tag, name, value,
    scheme, start tag as written)``. Character references are decoded, as a browser would."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: list[tuple[str, str, str, str, str]] = []
        self.nowhere: list[tuple[str, str, str]] = []
        """Links to a bare ``#``: ``(tag, name, start tag as written)``."""
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            scheme = url_scheme(value)
            if (name in LINK_ATTRIBUTES and scheme in LINK_REFUSED) or \
                    (name in LOAD_ATTRIBUTES and scheme in CODE_SCHEMES):
                self.unsafe.append((tag, name, value, scheme, self.get_starttag_text() or ""))
            elif name in LINK_ATTRIBUTES and value.strip() == "#":
                self.nowhere.append((tag, name, self.get_starttag_text() or ""))

    handle_startendtag = handle_starttag


def written_parts(brief: Brief) -> list[tuple[Path, str, int | None, Part]]:
    """Every part of the brief's text with where it is written: its file, that file's text,
    the line of a YAML fragment's key (None for the body of brief.md, always first) and the
    part (of ``brief.index``: the body as one). The checks that locate what they find in the
    sources go through these."""
    parts: list[tuple[Path, str, int | None, Part]] = [
        (brief.markdown_path, brief.markdown, None, brief.index.body)]
    for part in brief.index.parts_of("fragment"):
        path, text, line = fragment_place(brief, part.key)
        parts.append((path, text, line, part))
    return parts


def fragment_place(brief: Brief, key: str) -> tuple[Path, str, int | None]:
    """The file a YAML fragment (``rec:<id>``, ``intro``, ``bio:<n>``) was written in, its
    text, and the line where the fragment's key stands."""
    if key.startswith("bio:"):
        index = int(key.removeprefix("bio:"))
        return (brief.markdown_path, brief.markdown,
                brief.front_lines.get(("authors", index, "bio")))
    text = brief.recommendations_text
    if key.startswith("rec:"):
        return brief.recommendations_path, text, brief.recommendation_line(
            key.removeprefix("rec:"))
    return brief.recommendations_path, text, brief.recommendation_lines.get(("intro",))


def _find(text: str, needle: str, start: int | None) -> int | None:
    """The first line of ``text`` from line ``start`` on that holds ``needle``, else None."""
    needle = needle.strip()
    if needle:
        for number, line in enumerate(text.splitlines()[(start or 1) - 1:], start=start or 1):
            if needle in line:
                return number
    return None
