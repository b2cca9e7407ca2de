"""Run pandoc (from the pypandoc-binary wheel) and walk its JSON AST."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pypandoc

from .errors import BriefError, Problem

# pandoc's Markdown as briefs use it; the front matter is read by briefpress, not pandoc.
MARKDOWN = "markdown-yaml_metadata_block"


def run(text: str, to: str, fmt: str, extra_args: list[str] | None = None,
        source: str = "<input>") -> str:
    """Convert ``text`` with pandoc in sandbox mode (it may read no file but its input)."""
    try:
        return pypandoc.convert_text(text, to, format=fmt,
                                     extra_args=["--sandbox", *(extra_args or [])])
    except RuntimeError as exc:
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else "pandoc failed"
        raise BriefError(Problem(source, None, f"pandoc could not convert it: {message}")) from None


def write_file(text: str, to: str, fmt: str, out: str, extra_args: list[str] | None = None,
               source: str = "<input>") -> None:
    """Convert ``text`` into the file ``out`` (for binary formats such as docx), sandboxed."""
    try:
        pypandoc.convert_text(text, to, format=fmt, outputfile=out,
                              extra_args=["--sandbox", *(extra_args or [])])
    except RuntimeError as exc:
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else "pandoc failed"
        raise BriefError(Problem(source, None, f"pandoc could not convert it: {message}")) from None


def read_file(path: str, fmt: str, to: str, extra_args: list[str] | None = None) -> str:
    """Convert the file ``path`` (e.g. a .docx) to text in format ``to``, sandboxed."""
    try:
        return pypandoc.convert_file(path, to, format=fmt,
                                     extra_args=["--sandbox", *(extra_args or [])])
    except RuntimeError as exc:
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else "pandoc failed"
        raise BriefError(Problem(path, None, f"pandoc could not read it: {message}")) from None


def markdown_to_ast(text: str, source: str = "<input>") -> dict[str, Any]:
    """Parse Markdown to pandoc's JSON AST."""
    return json.loads(run(text, "json", MARKDOWN, source=source))


def ast_to(ast: dict[str, Any], to: str, extra_args: list[str] | None = None) -> str:
    """Write a pandoc JSON AST in another format."""
    return run(json.dumps(ast), to, "json", extra_args)


def stringify(node: Any) -> str:
    """Plain text of an AST node or list of nodes, as pandoc's ``stringify``."""
    parts: list[str] = []

    def visit(n: Any) -> None:
        if isinstance(n, list):
            for item in n:
                visit(item)
            return
        if not isinstance(n, dict):
            return
        kind, content = n.get("t"), n.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math", "RawInline"):
            parts.append(content[-1] if kind != "RawInline" else "")
        elif kind == "Quoted":
            quote = "\u201c\u201d" if content[0]["t"] == "DoubleQuote" else "\u2018\u2019"
            parts.append(quote[0])
            visit(content[1])
            parts.append(quote[1])
        elif kind == "Note":
            return
        elif kind in ("Link", "Image", "Span", "Cite"):
            visit(content[1])
        elif isinstance(content, list):
            visit(content)

    visit(node)
    return "".join(parts)


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every AST element below ``node`` (blocks and inlines), in document order."""
    if isinstance(node, list):
        for item in node:
            yield from walk(item)
    elif isinstance(node, dict):
        if "t" in node:
            yield node
        content = node.get("c")
        if isinstance(content, list | dict):
            yield from walk(content)
