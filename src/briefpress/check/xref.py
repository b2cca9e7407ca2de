"""Turn a Brief's cross-references and captions into findings: unknown targets, typed numbers.

Only Cites whose every key starts with ``fig-``, ``tbl-`` or ``sec-`` are looked at
(``model/xref.is_xref``); every other Cite is a citation, checked with the bibliography.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from briefpress.errors import Problem
from briefpress.model import blocks, xref
from briefpress.model.brief import Brief
from briefpress.model.index import Part

TYPED_NUMBER = re.compile(r"^(figure|fig\.|table|tbl\.)\s*\d+\s*[.:\u2013\u2014-]", re.IGNORECASE)
"""A caption's plain text that opens with a number typed by hand ("Table 1.", "Figure 2:")."""


def check_xrefs(brief: Brief) -> list[Problem]:
    """A reference to no such figure, table or section is an error; a caption that opens with a
    typed number ("Table 1.") is a warning, since every edition numbers captions itself."""
    known: dict[str, xref.Target] | None = None  # found when a reference is: most have none
    problems: list[Problem] = []
    # the sections' own blocks (not their headings), then the fragments
    places: list[tuple[Path, str, Part]] = [
        (brief.markdown_path, brief.markdown, part) for part in brief.index.parts_of("blocks")]
    places += [(brief.recommendations_path if not part.key.startswith("bio:")
                else brief.markdown_path,
                brief.recommendations_text if not part.key.startswith("bio:")
                else brief.markdown, part) for part in brief.index.parts_of("fragment")]
    for path, text, part in places:
        for node in brief.index.find((blocks.Cite, blocks.Figure, blocks.Table), part):
            if xref.is_xref(node):
                for citation in node.citations:  # type: ignore[attr-defined]
                    key = citation.citation_id
                    known = xref.targets(brief) if known is None else known
                    if key not in known:
                        problems.append(_unknown(path, text, key, known))
            elif isinstance(node, (blocks.Figure, blocks.Table)) and path == brief.markdown_path:
                caption = blocks.stringify(node.caption).strip()
                if TYPED_NUMBER.match(caption):
                    typed = caption.split()[0] + " " + caption.split()[1]
                    problems.append(Problem(
                        path, _line_of(text, caption[:40]),
                        f"caption {caption[:40]!r} opens with a typed number, and every "
                        "edition numbers captions itself",
                        fix=f"delete {typed!r} from the caption; refer to it as "
                            f"@{node.attr[0] or 'fig-… / @tbl-…'}",
                        severity="warning"))
    return problems


def _unknown(path: Path, text: str, key: str, known: dict[str, xref.Target]) -> Problem:
    kind = {"fig-": "figure", "tbl-": "table", "sec-": "section"}[key[:4]]
    close = difflib.get_close_matches(key, [k for k in known if k[:4] == key[:4]], n=1)
    if close:
        fix = f"write @{close[0]}"
    elif kind == "section":
        fix = "give the section that id (# Title {#" + key + "}) or use @sec-<its id>"
    elif kind == "figure":
        fix = "give the figure that id: ![Caption](file.png){#" + key + "}"
    else:
        fix = "give the table that id: a caption line ': Caption {#" + key + "}'"
    return Problem(path, _line_of(text, f"@{key}"),
                   f"cross-reference @{key} points to no {kind} of this brief", fix=fix)


def _line_of(text: str, phrase: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if phrase in line:
            return number
    return None
