"""Turn a Brief's citations into findings: every ``[@key]`` must name an entry of its bibliography.

Only citations are checked here: a ``Cite`` whose id starts with ``fig-``, ``tbl-`` or
``sec-`` is a cross-reference (``read.citations.is_citation``) and is checked with them.
"""

from __future__ import annotations

import difflib

from briefpress.errors import Problem
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.read.brief import line_of
from briefpress.read.citations import is_citation


def check_citations(brief: Brief) -> list[Problem]:
    """A citation whose key the bibliography lacks is an error, at the line it stands on."""
    if brief.citations is None:
        return []
    keys = brief.citations.keys
    bibliography = brief.citations.bibliography.name
    problems: list[Problem] = []
    index = brief.index
    # the sections' own blocks (not their headings), then the Markdown of the YAML
    places = [(brief.markdown_path, brief.markdown, index.parts_of("blocks")),
              (brief.recommendations_path, brief.recommendations_text,
               index.parts_of("fragment"))]
    for path, text, parts in places:
        cited = [c.citation_id for cite in index.find(blocks.Cite, *parts)
                 for c in cite.citations if is_citation(c.citation_id)]
        for key in dict.fromkeys(cited):
            if key in keys:
                continue
            near = difflib.get_close_matches(key, sorted(keys), n=1)
            fix = (f"write `@{near[0]}`" if near else
                   f"add an entry `{key}` to {bibliography}") + " (or remove the citation)"
            problems.append(Problem(path, line_of(f"@{key}", text.splitlines()),
                                    f"citation `@{key}` is not in the bibliography "
                                    f"{bibliography}", fix))
    return problems
