"""Turn a Brief's in-page links (``[text](#id)``) into findings, by the editions that carry each id.

Links to an id no edition carries are errors; to one only some carry, warnings.

Written apart from the cross-references (``check/xref.py``), which have their own syntax
(``@sec-id``) and go only to ids every edition carries.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache
from urllib.parse import unquote

from briefpress.check.safety import RAW_FORMATS, written_parts
from briefpress.errors import Problem
from briefpress.model import blocks, xref
from briefpress.model.brief import Brief
from briefpress.read.brief import line_of
from briefpress.render import FORMATS
from briefpress.support.paths import TEMPLATES

EDITIONS = {f.name: f.anchors for f in FORMATS.values() if f.anchors is not None}
"""The editions a link can go nowhere in, by the name the messages give them
(:attr:`Format.anchors`; the print edition is the PDF's document)."""
EVERY = frozenset(EDITIONS)
TEMPLATE_OF = {name: pattern.removeprefix("templates/") for name in EDITIONS
               for pattern in FORMATS[name].inputs
               if pattern.startswith("templates/") and pattern.endswith(".html.j2")
               and "*" not in pattern}
"""The page templates of the editions laid out from HTML (each names its own among its
inputs); the Word file has none."""
FROM_HTML = frozenset(TEMPLATE_OF)
"""The editions laid out from HTML, which carry raw HTML's ids (pandoc's Word writer drops
raw HTML)."""
_HOLE = "\ue000"
"""Stands for a template's expressions when its markup is read: an id made of one is not a
fixed id."""


def check_anchors(brief: Brief) -> list[Problem]:
    """An in-page link (``[text](#id)``) to an id no edition carries is an error, as a
    cross-reference to no such section is; to an id only some editions carry, a warning
    naming those where it goes nowhere.

    Every edition carries the ids of the outline's sections and every id written on an
    element (a heading, a figure, a table, a span, a div), and those of the recommendation
    areas and recommendations (which the PDF writes with a prefix, ``area:``,
    ``recommendation:``, and links to so); with a bibliography, every edition carries citeproc's
    ``refs`` and ``ref-<key>`` of each work it lists. Ids written in raw HTML reach the PDF
    and the web page, not the Word file; pandoc's note ids (``fn1``, ``fnref1``) and the
    ids the web page's template writes (``bp-notes-title``, …) only the web page.
    """
    places = written_parts(brief)
    # each link with where to look for it: the body from the line after the front matter
    # (with no line to fall back on), a YAML fragment from its key's line
    body = brief.front_matter_lines + 1
    links = [(path, text, body if index == 0 else start, None if index == 0 else start, node)
             for index, (path, text, start, part) in enumerate(places)
             for node in brief.index.find(blocks.Link, part)
             if node.url.startswith("#") and node.url.strip() != "#"]  # '#' is safety's
    if not links:
        return []
    carried = _written_ids(brief)
    if any(unquote(link.url[1:]) not in carried for *_, link in links):
        # what pandoc makes (notes, the works cited) costs a citeproc run: only when needed
        for ident, editions in _generated_ids(brief).items():
            carried[ident] = carried.get(ident, frozenset()) | editions
    known = [ident for ident, editions in carried.items() if editions == EVERY]
    problems = []
    for path, text, start, fallback, link in links:
        ident = unquote(link.url[1:])
        editions = carried.get(ident, frozenset())
        if editions == EVERY:
            continue
        phrase = blocks.stringify(link.content).strip()
        line = _line_of_link(text, link.url, phrase, start, fallback)
        if editions:
            missing = [name for key, name in EDITIONS.items() if key not in editions]
            problems.append(Problem(
                path, line, f"link {phrase!r} goes to '{link.url}', which is only in "
                f"{_and(EDITIONS[key] for key in EDITIONS if key in editions)}: in "
                f"{_and(missing)} it goes nowhere",
                "link to a section, figure or table (an id every edition carries), or write "
                "the text without a link", severity="warning"))
            continue
        close = difflib.get_close_matches(ident, known, n=1)
        fix = (f"write `(#{close[0]})`" if close else "link to an id the brief has ("
               + ", ".join(f"#{k}" for k in known[:5]) + ("…" if len(known) > 5 else "")
               + ")") + ", or write the text without a link"
        problems.append(Problem(path, line, f"link {phrase!r} goes to '{link.url}', which is "
                                "no id of this brief", fix))
    return problems


_WITH_ID = (blocks.Header, blocks.Div, blocks.Span, blocks.Link, blocks.Image, blocks.Table,
            blocks.Figure, blocks.RawInline, blocks.RawBlock)
"""The elements that can write an id: those with an ``attr``, and raw text."""


def _written_ids(brief: Brief) -> dict[str, frozenset[str]]:
    """The ids of the outline, of the elements and of raw HTML, each with its editions."""
    carried: dict[str, frozenset[str]] = {}

    def add(ident: str, editions: frozenset[str]) -> None:
        if ident:
            carried[ident] = carried.get(ident, frozenset()) | editions

    outline = brief.outline()
    # sections first: the ids a fix suggests are the likeliest targets; the PDF writes an
    # area's and a recommendation's id with a prefix, and links to it there
    # (render/pdf.py, print_ids): every edition carries it too
    for entry in sorted(outline, key=lambda entry: entry.kind != "section"):
        add(entry.id, EVERY)
    for node in brief.index.find(_WITH_ID, brief.index.whole):
        attr = getattr(node, "attr", None)
        if isinstance(attr, (tuple, list)):
            add(attr[0], EVERY)
        elif (isinstance(node, (blocks.RawInline, blocks.RawBlock))
              and node.format in RAW_FORMATS):
            for ident in _html_ids(node.c[1]):
                add(ident, FROM_HTML)
    for edition, name in TEMPLATE_OF.items():
        for ident in _template_ids(name):
            add(ident, frozenset({edition}))
    return carried


def _generated_ids(brief: Brief) -> dict[str, frozenset[str]]:
    """The ids pandoc makes: citeproc's works cited (every edition) and the notes' numbers,
    which only the web page's endnotes carry (the PDF sets notes on the page, the Word
    file as Word's own)."""
    # a design boundary, as the two below: only a brief with in-page links needs the
    # renderers' parts, Jinja and lxml.html here (every build checks, most briefs have none)
    from briefpress.render.htmlparts import REFS, parts_document

    # the document the renderers give citeproc, whose answer is kept for them
    document = parts_document(xref.resolve(brief), "endnotes")
    carried: dict[str, frozenset[str]] = {}
    notes = sum(isinstance(node, blocks.Note) for node in blocks.walk(document.blocks))
    for number in range(1, notes + 1):
        carried[f"fn{number}"] = carried[f"fnref{number}"] = frozenset({"html"}) & EVERY
    if brief.citations is not None:
        for node in blocks.walk(document.blocks):
            if isinstance(node, blocks.Div) and node.attr[0] == REFS:
                carried[REFS] = EVERY
                for inner in blocks.walk(node.content):
                    attr = getattr(inner, "attr", None)
                    if isinstance(attr, (tuple, list)) and attr[0]:
                        carried[attr[0]] = EVERY
    return carried


def _html_ids(markup: str) -> list[str]:
    """The ids written in a piece of raw HTML (a lone tag too: lxml closes it)."""
    import lxml.html
    from lxml import etree

    try:
        pieces = lxml.html.fragments_fromstring(markup)
    except (etree.ParserError, ValueError):
        return []
    return [element.get("id") for piece in pieces if isinstance(piece, etree.ElementBase)
            for element in piece.iter() if isinstance(element.tag, str) and element.get("id")]


@cache
def _template_ids(name: str) -> frozenset[str]:
    """The fixed ids a page template (and the templates it imports) writes, read from its
    markup with each expression a hole."""
    import jinja2
    import lxml.html
    from jinja2 import nodes

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES))
    source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    tree = env.parse(source)
    markup = "".join(
        child.data if isinstance(child, nodes.TemplateData) else _HOLE
        for output in tree.find_all(nodes.Output) for child in output.nodes)
    root = lxml.html.document_fromstring(markup or "<html></html>")
    ids = {element.get("id") for element in root.iter()
           if isinstance(element.tag, str) and element.get("id")
           and _HOLE not in element.get("id")}
    for imported in tree.find_all((nodes.Import, nodes.FromImport, nodes.Include)):
        if isinstance(imported.template, nodes.Const):
            ids |= _template_ids(imported.template.value)
    return frozenset(ids)


def _and(names: Iterable[str]) -> str:
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _line_of_link(text: str, url: str, phrase: str, start: int | None,
                  fallback: int | None) -> int | None:
    """The line of a link to ``url`` in ``text`` from line ``start`` on: where it is written
    inline (``(#id``), else the definition of a reference-style link to it (``[label]:
    #id``), else the first line holding the link's phrase; else ``fallback`` (a YAML fragment's key;
    for the body, nothing)."""
    first = start or 1
    lines = text.splitlines()[first - 1:]
    for number, line in enumerate(lines, start=first):
        if f"({url}" in line:
            return number
    for number, line in enumerate(lines, start=first):
        label, colon, target = line.strip().partition("]:")
        if label.startswith("[") and colon and target.split()[:1] in ([url], [f"<{url}>"]):
            return number
    found = line_of(phrase, lines)
    if found is not None:
        return found + first - 1
    return fallback
