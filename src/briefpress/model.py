"""The one data model of a brief: metadata, section tree, recommendations and links.

Readers turn files into a :class:`Brief`; renderers turn a :class:`Brief` into a
file; importers turn an edited file back into one. The front matter and the
recommendations file are validated against the pydantic schemas defined here.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .doctype import DocType
from .errors import Problem

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Author(_Schema):
    """A person who wrote the brief."""

    name: Text
    """Full name as printed on the cover."""
    affiliation: Text | None = None
    """Program or institution, one line."""
    bio: Text | None = None
    """One-paragraph biography, rendered in "About the Author"."""


class Social(_Schema):
    """A social-media account of the publisher, printed on the back cover."""

    network: Literal["facebook", "x", "linkedin", "instagram", "youtube", "bluesky", "threads"]
    handle: Text


class Publisher(_Schema):
    """Who publishes the brief: the colophon on the back cover and in the web footer."""

    name: Text
    """Legal name, e.g. "Woodrow Wilson International Center for Scholars"."""
    short_name: Text | None = None
    """The name used as the wordmark, e.g. "The Wilson Center"."""
    address: list[Text] = Field(default_factory=list)
    """Postal address, one line per entry."""
    url: Text | None = None
    """Web address of the publisher."""
    social: list[Social] = Field(default_factory=list)


class Metadata(_Schema):
    """The YAML front matter of ``brief.md``."""

    title: Text
    subtitle: Text | None = None
    type: Slug = "policy-brief"
    """Document type: names the rules file ``templates/doctypes/<type>.yaml``."""
    lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en-US"
    """BCP 47 language tag of the text."""
    program: Text | None = None
    """The program or center that issues the brief, shown in the cover band."""
    authors: list[Author] = Field(min_length=1)
    publisher: Publisher
    date: datetime.date | None = None
    """Publication date, only if known."""
    keywords: list[Text] = Field(default_factory=list)
    summary: Text | None = None
    """One-sentence description for indexes and sharing; defaults to the summary's opening."""
    canonical_url: Text | None = None
    """Where the web edition will live; overrides the site-wide base URL."""


class Recommendation(_Schema):
    """One policy recommendation, with a stable id and the section that argues it."""

    id: Slug
    text: Text
    """Markdown inline text of the recommendation."""
    section: Slug
    """Id of the body section that argues it."""


class RecommendationArea(_Schema):
    """A group of recommendations under one heading."""

    id: Slug
    title: Text
    recommendations: list[Recommendation] = Field(default_factory=list)


class Recommendations(_Schema):
    """The contents of ``recommendations.yaml``."""

    intro: Text | None = None
    """Paragraph that opens the "Policy Recommendations" section."""
    areas: list[RecommendationArea] = Field(default_factory=list)


@dataclass
class Section:
    """A heading and what follows it up to the next heading of the same or higher level."""

    id: str
    title: str
    """Plain-text title."""
    level: int
    heading: list[Any] = field(default_factory=list)
    """Pandoc AST inlines of the title."""
    blocks: list[Any] = field(default_factory=list)
    """Pandoc AST blocks between this heading and the first subsection."""
    children: list[Section] = field(default_factory=list)
    line: int | None = None
    """Line of the heading in brief.md; None for generated sections."""
    generated_from: str | None = None
    """For generated sections: "recommendations" or "authors"."""

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Link:
    """A hyperlink in the body; ``url`` is empty when the target is not known yet."""

    text: str
    url: str
    line: int | None


@dataclass(frozen=True)
class OutlineEntry:
    """One line of an outline: a section, a recommendation area or a recommendation."""

    kind: Literal["section", "area", "recommendation"]
    level: int
    id: str
    title: str


@dataclass
class Brief:
    """A brief as every stage of the pipeline sees it."""

    slug: str
    folder: Path
    meta: Metadata
    sections: list[Section]
    """Top-level sections in reading order, generated ones included."""
    recommendations: Recommendations
    links: list[Link]
    ast: dict[str, Any]
    """Pandoc JSON AST of the Markdown body (front matter excluded)."""
    markdown: str
    """Text of brief.md as read."""
    recommendations_text: str
    """Text of recommendations.yaml as read."""
    front_matter_lines: int = 0
    """Number of lines the front matter occupies at the top of brief.md."""
    findings: list[Problem] = field(default_factory=list)
    """Problems found while reading that do not stop reading (e.g. unknown keys)."""
    doctype: DocType | None = None
    """The rules of the brief's document type."""
    fragments: dict[str, list[Any]] = field(default_factory=dict)
    """Pandoc AST blocks of the Markdown held in YAML: ``rec:<id>`` for each recommendation's
    text, ``intro`` for the recommendations' opening, ``bio:<n>`` for each author's bio."""
    html: dict[str, str] | None = None
    """Every part rendered to HTML by the reader's pandoc run (see htmlparts), or None."""

    @property
    def markdown_path(self) -> Path:
        return self.folder / "brief.md"

    @property
    def recommendations_path(self) -> Path:
        return self.folder / "recommendations.yaml"

    @property
    def revision(self) -> str:
        """Content hash of the two source files: which revision an output was made from."""
        digest = hashlib.sha256()
        for text in (self.markdown, self.recommendations_text):
            digest.update(text.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()[:16]

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in reading order."""
        for section in self.sections:
            yield from section.walk()

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.walk() if s.id == section_id), None)

    def outline(self) -> list[OutlineEntry]:
        """Sections, recommendation areas and recommendations, in reading order."""
        entries: list[OutlineEntry] = []
        for section in self.walk():
            entries.append(OutlineEntry("section", section.level, section.id, section.title))
            if section.generated_from == "recommendations":
                for area in self.recommendations.areas:
                    entries.append(OutlineEntry("area", section.level + 1, area.id, area.title))
                    entries.extend(
                        OutlineEntry("recommendation", section.level + 2, rec.id, rec.id)
                        for rec in area.recommendations
                    )
        return entries
