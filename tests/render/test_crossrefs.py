"""Cross-references of the recommendations: a section named without the author's numbering,
and unambiguously when two sections read the same once unnumbered."""

from __future__ import annotations

from typing import Any

import pytest

from briefpress.read.brief import read_brief
from briefpress.render import htmlparts
from conftest import edit


@pytest.mark.parametrize(("title", "plain"), [
    ("1) Economic Security & Supply Chains", "Economic Security & Supply Chains"),
    ("2. Digital & Cybersecurity", "Digital & Cybersecurity"),
    ("(a) Ports", "Ports"),
    ("iv) Insurance", "Insurance"),
    ("B. Search and Rescue", "Search and Rescue"),
    ("U.S. Policy in 2024", "U.S. Policy in 2024"),
    ("2023 in Review", "2023 in Review"),
    ("1)", "1)"),
])
def test_the_authors_numbering_is_left_out(title: str, plain: str) -> None:
    assert htmlparts.unnumbered(title) == plain


def test_two_subsections_numbered_alike_are_named_with_their_parents(scratch: Any) -> None:
    folder = scratch()
    edit(folder / "brief.md", "# What Should Change {#what-should-change}\n",
         "# What Should Change {#what-should-change}\n\n## 1) Standards {#change-standards}\n")
    edit(folder / "brief.md", "# The Traffic Is Already Here {#traffic}\n",
         "# The Traffic Is Already Here {#traffic}\n\n## 1) Standards {#traffic-standards}\n")
    edit(folder / "recommendations.yaml", "section: traffic", "section: traffic-standards")
    edit(folder / "recommendations.yaml", "section: what-should-change",
         "section: change-standards", count=3)
    fragments = htmlparts.render_fragments(read_brief(folder), notes="inline")
    titles = {rec.section_id: rec.section_title for area in fragments.areas
              for rec in area.recommendations}
    assert titles == {"traffic-standards": "Standards (The Traffic Is Already Here)",
                      "change-standards": "Standards (What Should Change)"}


def test_a_title_unique_once_unnumbered_is_named_alone(real_brief: Any) -> None:
    fragments = htmlparts.render_fragments(real_brief, notes="inline")
    titles = {rec.section_title for area in fragments.areas for rec in area.recommendations}
    assert "Economic Security & Supply Chain Resiliency" in titles
    assert not any(title[0].isdigit() for title in titles)
