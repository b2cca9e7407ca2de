"""Turn a Brief's in-page links (``[text](#id)``) into findings: links to an id it lacks.

Written apart from the cross-references (``check/xref.py``), which have their own syntax
(``@sec-id``); both go to the ids every edition carries.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from urllib.parse import unquote

from briefpress.check.safety import fragment_place
from briefpress.errors import Problem
from briefpress.model import blocks
from briefpress.model.brief import Brief


def check_anchors(brief: Brief) -> list[Problem]:
    """An in-page link (``[text](#id)``) to an id the brief does not have is an error, as a
    cross-reference to no such section is: every edition would carry a link that goes
    nowhere. The ids are those of every edition's outline (sections, the generated ones
    included, areas, recommendations) and every id written on an element."""
    places: list[tuple[Path, str, list[blocks.Block]]] = [
        (brief.markdown_path, brief.markdown, brief.body())]
    for key, content in brief.fragments.items():
        path, text, _ = fragment_place(brief, key)
        places.append((path, text, content))
    links = [(path, text, node) for path, text, content in places
             for node in blocks.walk(content) if isinstance(node, blocks.Link)
             and node.url.startswith("#") and node.url.strip() != "#"]  # '#' is safety's
    if not links:
        return []
    known = list(dict.fromkeys([e.id for e in brief.outline()] + [
        node.attr[0] for _, _, content in places for node in blocks.walk(content)
        if isinstance(getattr(node, "attr", None), (tuple, list)) and node.attr[0]]))
    problems = []
    for path, text, link in links:
        ident = unquote(link.url[1:])
        if ident in known:
            continue
        phrase = blocks.stringify(link.content).strip()
        close = difflib.get_close_matches(ident, known, n=1)
        fix = (f"write `(#{close[0]})`" if close else "link to an id the brief has ("
               + ", ".join(f"#{k}" for k in known[:5]) + ("…" if len(known) > 5 else "")
               + ")") + ", or write the text without a link"
        problems.append(Problem(path, _line_of(text, f"({link.url}") or _line_of(text, phrase),
                                f"link {phrase!r} goes to '{link.url}', which is no id of "
                                "this brief", fix))
    return problems


def _line_of(text: str, phrase: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if phrase and phrase in line:
            return number
    return None
