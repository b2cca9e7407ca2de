"""Turn a Brief's citations into findings: every ``[@key]`` must name an entry of its
bibliography.

Only citations are checked here: a ``Cite`` whose id starts with ``fig-``, ``tbl-`` or
``sec-`` is a cross-reference (``read.citations.is_citation``) and is checked with them.
"""

from __future__ import annotations

import difflib

from briefpress.errors import Problem
from briefpress.model.brief import Brief
from briefpress.read.brief import line_of
from briefpress.read.citations import cited_ids


def check_citations(brief: Brief) -> list[Problem]:
    """A citation whose key the bibliography lacks is an error, at the line it stands on."""
    if brief.citations is None:
        return []
    keys = brief.citations.keys
    bibliography = brief.citations.bibliography.name
    problems: list[Problem] = []
    body = [block for section in brief.walk() for block in section.blocks]
    places = [(brief.markdown_path, brief.markdown, body),
              (brief.recommendations_path, brief.recommendations_text,
               list(brief.fragments.values()))]
    for path, text, content in places:
        for key in dict.fromkeys(cited_ids(content)):
            if key in keys:
                continue
            near = difflib.get_close_matches(key, sorted(keys), n=1)
            fix = (f"write `@{near[0]}`" if near else
                   f"add an entry `{key}` to {bibliography}") + " (or remove the citation)"
            problems.append(Problem(path, line_of(f"@{key}", text.splitlines()),
                                    f"citation `@{key}` is not in the bibliography "
                                    f"{bibliography}", fix))
    return problems
