"""Turn typed blocks into a canonical form that survives a trip through Word and back.

The DOCX writer and reader of pandoc, Word and LibreOffice each change things a
reader never sees: runs split and merged, quotes made curly, ``https://host``
becoming ``https://host/``, styles renamed, attributes dropped. Two blocks with
the same signature read the same; the importer keeps the source of such a
block byte for byte and converts only blocks whose signature changed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from briefpress.model import blocks
from briefpress.render import docx_styles as styles

PENDING_URL = "#briefpress-link-without-target"
"""How pandoc reads a phrase in the "Link Without Target" style (see docxread)."""


def signature(found: list[blocks.Block]) -> str:
    """The canonical form of ``found`` as a string (equal strings: equal content)."""
    return json.dumps(_blocks(found), ensure_ascii=False, separators=(",", ":"))


def text_of(found: list[blocks.Block] | list[blocks.Inline]) -> str:
    """Plain text of blocks, for similarity and messages: the items of a list and the cells
    of a table apart by a space, as a reader sees them."""
    return " ".join(" ".join(_texts(found)).split())


def _texts(value: Any) -> list[str]:
    """The texts of the innermost blocks under ``value`` (or its own, made of inlines)."""
    found = list(value) if isinstance(value, list) else [value]
    if not found or any(isinstance(item, blocks.Inline) for item in found):
        return [blocks.stringify(found)]
    texts: list[str] = []
    for item in found:
        if isinstance(item, blocks.Plain | blocks.Header | blocks.CodeBlock | blocks.LineBlock):
            texts.append(blocks.stringify(item))
        elif isinstance(item, blocks.Node) and not isinstance(item, blocks.RawBlock):
            texts.extend(_texts(list(blocks.children(item))))
    return texts


def normalize_url(url: str) -> str:
    """A URL as LibreOffice and Word may rewrite it: host lower-cased, empty path as ``/``."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme in ("http", "https") and parts.netloc:
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), unquote(parts.path) or "/",
                           unquote(parts.query), parts.fragment))
    return unquote(url)


def _block(block: blocks.Block) -> Any:
    if isinstance(block, blocks.Plain):  # Plain or Para
        runs = inline_runs(block.content)
        return ["p", runs] if runs else None
    if isinstance(block, blocks.Header):
        return ["h", block.level, inline_runs(block.content)]
    if isinstance(block, blocks.Div):
        inner = _blocks(block.content)
        return inner[0] if len(inner) == 1 else ["div", inner] if inner else None
    if isinstance(block, blocks.BlockQuote):
        return ["quote", _blocks(block.content)]
    if isinstance(block, blocks.BulletList):
        return ["ul", [_blocks(item) for item in block.items]]
    if isinstance(block, blocks.OrderedList):
        start, style, delim = block.c[0]
        # the default style and delimiter are what the Word file shows: 1, 2, 3 and "."
        style_name = "Decimal" if isinstance(style, blocks.DefaultStyle | blocks.Example) \
            else type(style).__name__
        delim_name = "Period" if isinstance(delim, blocks.DefaultDelim) else type(delim).__name__
        return ["ol", [start, style_name, delim_name], [_blocks(item) for item in block.items]]
    if isinstance(block, blocks.DefinitionList):
        return ["dl", [[inline_runs(term), [_blocks(d) for d in defs]]
                       for term, defs in block.c]]
    if isinstance(block, blocks.CodeBlock):
        return ["code", block.text]
    if isinstance(block, blocks.LineBlock):
        # Word has no line block: pandoc writes a paragraph with line breaks and reads that
        joined: list[blocks.Inline] = []
        for index, line in enumerate(block.c):
            joined += [blocks.LineBreak()] * (index > 0) + line
        runs = inline_runs(joined)
        return ["p", runs] if runs else None
    if isinstance(block, blocks.HorizontalRule):
        return ["hr"]
    if isinstance(block, blocks.Table):
        return ["table", _blocks(block.caption),
                [[_blocks(cell[4]) for cell in row[1]] for row in block.rows()]]
    if isinstance(block, blocks.Figure):
        return ["figure", _blocks(block.caption), _blocks(block.content)]
    return None  # RawBlock and anything Word cannot hold


def _blocks(found: list[blocks.Block]) -> list[Any]:
    return [b for b in (_block(child) for child in found) if b is not None]


_MARKS: dict[type[blocks.Node], str] = {
    blocks.Emph: "em", blocks.Strong: "strong", blocks.Underline: "u", blocks.Strikeout: "s",
    blocks.Superscript: "sup", blocks.Subscript: "sub", blocks.SmallCaps: "sc"}


def inline_runs(inlines: list[blocks.Inline]) -> list[Any]:
    """Inlines as merged ``[text, marks]`` runs, whitespace collapsed and trimmed."""
    runs: list[list[Any]] = []

    def add(text: str, marks: tuple[str, ...]) -> None:
        if runs and runs[-1][1] == marks:
            runs[-1][0] += text  # words and spaces in one formatting: one run
        else:
            runs.append([text, marks])

    def visit(nodes: list[blocks.Inline], marks: tuple[str, ...]) -> None:
        for node in nodes:
            if isinstance(node, blocks.Str):
                add(node.c, marks)
            elif isinstance(node, blocks.Space | blocks.SoftBreak):
                add(" ", marks)
            elif isinstance(node, blocks.LineBreak):
                add("\n", marks)
            elif type(node) in _MARKS:
                visit(node.content, _with(marks, _MARKS[type(node)]))
            elif isinstance(node, blocks.Quoted):
                left, right = ("\u201c", "\u201d") if node.double else ("\u2018", "\u2019")
                add(left, marks)
                visit(node.content, marks)
                add(right, marks)
            elif isinstance(node, blocks.Link):
                url = node.url
                mark = f"link:{normalize_url(url)}" if url.strip() and url != PENDING_URL \
                    else "pending"
                visit(node.content, _with(marks, mark))
            elif isinstance(node, blocks.Span):
                attrs = dict(node.attr[2])
                if attrs.get("custom-style") == styles.LINK_WITHOUT_TARGET:
                    visit(node.content, _with(marks, "pending"))
                else:
                    visit(node.content, marks)
            elif isinstance(node, blocks.Code):
                add(node.text, _with(marks, "code"))
            elif isinstance(node, blocks.Math):
                add(node.text, _with(marks, "math"))
            elif isinstance(node, blocks.Cite):
                visit(node.content, marks)
            elif isinstance(node, blocks.Note):
                runs.append(["\0note", (json.dumps(_blocks(node.content),
                                                   ensure_ascii=False),)])
            elif isinstance(node, blocks.Image):
                runs.append(["\0image", (_image_alt(node.content),)])

    visit(inlines, ())
    return _tidy([[unicodedata.normalize("NFC", text) if not text.startswith("\0") else text,
                   list(marks)] for text, marks in runs])


def _with(marks: tuple[str, ...], mark: str) -> tuple[str, ...]:
    return tuple(sorted({*marks, mark}))


def _image_alt(inlines: list[blocks.Inline]) -> str:
    return " ".join("".join(r[0] for r in inline_runs(inlines) if not r[0].startswith("\0"))
                    .split())


_SPACES = re.compile(r"([ \t\n\r]+)")


def _tidy(runs: list[list[Any]]) -> list[Any]:
    """Collapse whitespace across run borders, trim both ends, merge equal neighbours.

    A space carries no formatting: Word and LibreOffice often underline, link or
    italicise the space after a word, and a reader cannot see the difference.
    """
    pieces: list[tuple[str, tuple[str, ...]]] = []
    after_space = False  # the text so far ends with a space
    for text, marks in runs:
        if text.startswith("\0"):
            pieces.append((text, tuple(marks)))
            after_space = False
            continue
        if not marks:  # plain text, spaces and all, is one piece (plain spaces join it)
            plain = _SPACES.sub(" ", text)
            if after_space or not pieces:
                plain = plain.lstrip(" ")
            if plain:
                pieces.append((plain, ()))
                after_space = plain.endswith(" ")
            continue
        for part in _SPACES.split(text):
            if not part:
                continue
            if part[0] in " \t\n\r":
                if pieces and not after_space:
                    pieces.append((" ", ()))
                    after_space = True
            else:
                pieces.append((part, tuple(marks)))
                after_space = False
    out: list[list[Any]] = []
    for text, marks in pieces:
        if out and out[-1][1] == list(marks) and not text.startswith("\0") \
                and not out[-1][0].startswith("\0"):
            out[-1][0] += text
        else:
            out.append([text, list(marks)])
    if out and not out[-1][0].startswith("\0"):
        out[-1][0] = out[-1][0].rstrip(" ")
        if not out[-1][0]:
            out.pop()
    return out
