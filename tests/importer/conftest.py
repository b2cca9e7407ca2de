"""Briefs built by hand, without pandoc: the importer's pure stages need only their records."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefpress.model import blocks
from briefpress.model.brief import Brief, Link, Section
from briefpress.model.schema import (
    Author,
    Metadata,
    Publisher,
    Recommendation,
    RecommendationArea,
    Recommendations,
)


def section(ident: str, line: int | None = None, count: int = 0, level: int = 1,
            children: list[Section] | None = None, title: str = "") -> Section:
    """A section whose blocks are placeholders: the stages under test only count them."""
    return Section(ident, title or ident.replace("-", " ").title(), level,
                   blocks=[blocks.Para([]) for _ in range(count)], children=children or [],
                   line=line)


def areas(spec: dict[str, list[str]]) -> Recommendations:
    """``{"area-id": ["rec-id", …]}`` as a Recommendations record."""
    return Recommendations(areas=[
        RecommendationArea(area, area.title(),
                           [Recommendation(rec, f"Text of {rec}.", "body") for rec in recs])
        for area, recs in spec.items()])


@pytest.fixture
def make_brief(tmp_path: Path) -> Callable[..., Brief]:
    def make(sections: list[Section] | None = None, markdown: str = "",
             recommendations: Recommendations | None = None, links: list[Link] | None = None,
             recommendations_text: str = "", **extra: Any) -> Brief:
        meta = Metadata(title="A Brief", authors=[Author("Ann Author")],
                        publisher=Publisher("The Publisher"))
        return Brief("a-brief", tmp_path / "content" / "a-brief", meta, sections or [],
                     recommendations or Recommendations(), links or [], markdown,
                     recommendations_text, **extra)

    return make


BRIEFS = Path(__file__).resolve().parents[1] / "fixtures" / "briefs"


def water_in_text(content: Path) -> Path:
    """The water-security brief copied under ``content`` with an author-date citation style,
    so that its citation stands in the body's text (not in a note): its folder."""
    folder = content / "water-security"
    shutil.copytree(BRIEFS / "water-security", folder)
    shutil.copyfile(BRIEFS / "author-date.csl", folder / "author-date.csl")
    brief = folder / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8").replace(
        "bibliography: references.bib\n",
        "bibliography: references.bib\ncsl: author-date.csl\n", 1), encoding="utf-8")
    return folder
