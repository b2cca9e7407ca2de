"""Turn pandoc blocks into a canonical form that survives a trip through Word and back.

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

from briefpress import pandoc
from briefpress.render import docx_styles as styles

PENDING_URL = "#briefpress-link-without-target"
"""How pandoc reads a phrase in the "Link Without Target" style (see docxread)."""

_MARKS = {"Emph": "em", "Strong": "strong", "Underline": "u", "Strikeout": "s",
          "Superscript": "sup", "Subscript": "sub", "SmallCaps": "sc"}


def signature(blocks: list[Any]) -> str:
    """The canonical form of ``blocks`` as a string (equal strings: equal content)."""
    return json.dumps([b for b in (_block(block) for block in blocks) if b is not None],
                      ensure_ascii=False, separators=(",", ":"))


def text_of(blocks: list[Any]) -> str:
    """Plain text of blocks, for similarity and messages."""
    return " ".join(pandoc.stringify(blocks).split())


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


def _block(block: dict[str, Any]) -> Any:
    kind, content = block.get("t"), block.get("c")
    if kind in ("Para", "Plain"):
        runs = inline_runs(content)
        return ["p", runs] if runs else None
    if kind == "Header":
        return ["h", content[0], inline_runs(content[2])]
    if kind == "Div":
        inner = [b for b in (_block(child) for child in content[1]) if b is not None]
        return inner[0] if len(inner) == 1 else ["div", inner] if inner else None
    if kind == "BlockQuote":
        return ["quote", _blocks(content)]
    if kind == "BulletList":
        return ["ul", [_blocks(item) for item in content]]
    if kind == "OrderedList":
        return ["ol", [_blocks(item) for item in content[1]]]
    if kind == "DefinitionList":
        return ["dl", [[inline_runs(term), [_blocks(d) for d in defs]] for term, defs in content]]
    if kind == "CodeBlock":
        return ["code", content[1]]
    if kind == "LineBlock":
        return ["lines", [inline_runs(line) for line in content]]
    if kind == "HorizontalRule":
        return ["hr"]
    if kind == "Table":
        return ["table", _caption(content[1]), _table_rows(content)]
    if kind == "Figure":
        return ["figure", _caption(content[1]), _blocks(content[2])]
    return None  # RawBlock and anything Word cannot hold


def _blocks(blocks: list[Any]) -> list[Any]:
    return [b for b in (_block(child) for child in blocks) if b is not None]


def _caption(caption: list[Any]) -> list[Any]:
    return _blocks(caption[1]) if caption and len(caption) > 1 else []


def _table_rows(content: list[Any]) -> list[Any]:
    head, bodies, foot = content[3], content[4], content[5]
    rows = list(head[1])
    for body in bodies:
        rows.extend(body[2])
        rows.extend(body[3])
    rows.extend(foot[1])
    return [[_blocks(cell[4]) for cell in row[1]] for row in rows]


def inline_runs(inlines: list[Any]) -> list[Any]:
    """Inlines as merged ``[text, marks]`` runs, whitespace collapsed and trimmed."""
    runs: list[list[Any]] = []

    def add(text: str, marks: tuple[str, ...]) -> None:
        if runs and runs[-1][1] == marks:
            runs[-1][0] += text  # words and spaces in one formatting: one run
        else:
            runs.append([text, marks])

    def visit(nodes: list[Any], marks: tuple[str, ...]) -> None:
        for node in nodes:
            kind, content = node.get("t"), node.get("c")
            if kind == "Str":
                add(content, marks)
            elif kind in ("Space", "SoftBreak"):
                add(" ", marks)
            elif kind == "LineBreak":
                add("\n", marks)
            elif kind in _MARKS:
                visit(content, _with(marks, _MARKS[kind]))
            elif kind == "Quoted":
                left, right = ("\u201c", "\u201d") if content[0]["t"] == "DoubleQuote" \
                    else ("\u2018", "\u2019")
                add(left, marks)
                visit(content[1], marks)
                add(right, marks)
            elif kind == "Link":
                url = content[2][0]
                mark = f"link:{normalize_url(url)}" if url.strip() and url != PENDING_URL \
                    else "pending"
                visit(content[1], _with(marks, mark))
            elif kind == "Span":
                attrs = dict(content[0][2])
                if attrs.get("custom-style") == styles.LINK_WITHOUT_TARGET:
                    visit(content[1], _with(marks, "pending"))
                else:
                    visit(content[1], marks)
            elif kind == "Code":
                add(content[1], _with(marks, "code"))
            elif kind == "Math":
                add(content[1], _with(marks, "math"))
            elif kind == "Cite":
                visit(content[1], marks)
            elif kind == "Note":
                runs.append(["\0note", (json.dumps(_blocks(content),
                                                   ensure_ascii=False),)])
            elif kind == "Image":
                runs.append(["\0image", (_image_alt(content[1]),)])

    visit(inlines, ())
    return _tidy([[unicodedata.normalize("NFC", text) if not text.startswith("\0") else text,
                   list(marks)] for text, marks in runs])


def _with(marks: tuple[str, ...], mark: str) -> tuple[str, ...]:
    return tuple(sorted({*marks, mark}))


def _image_alt(inlines: list[Any]) -> str:
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
