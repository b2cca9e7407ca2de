"""The one data model of a brief: metadata, section tree, recommendations and links.

Readers turn files into a :class:`Brief`; renderers turn a :class:`Brief` into a
file; importers turn an edited file back into one. The front matter and the
recommendations file are validated against the schemas of ``schema.py``
(``Metadata``, ``Recommendations``, … are importable from here too).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from msgspec import Struct, field

from briefpress.errors import Problem
from briefpress.model.doctype import DocType

if TYPE_CHECKING:
    from briefpress.model.schema import Metadata, Recommendations

_SCHEMAS = {"Author", "Social", "Publisher", "Metadata", "Recommendation",
            "RecommendationArea", "Recommendations"}


def __getattr__(name: str) -> Any:
    """The YAML schemas (schema.py) load on first use, after pandoc has been started."""
    if name in _SCHEMAS:
        from briefpress.model import schema

        return getattr(schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Section(Struct):
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


class Link(Struct, frozen=True):
    """A hyperlink in the body; ``url`` is empty when the target is not known yet."""

    text: str
    url: str
    line: int | None


class OutlineEntry(Struct, frozen=True):
    """One line of an outline: a section, a recommendation area or a recommendation."""

    kind: Literal["section", "area", "recommendation"]
    level: int
    id: str
    title: str


class Brief(Struct):
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
    html: dict[str, str] = field(default_factory=dict)
    """Every part rendered to HTML by the reader's pandoc run, in the variants the reader was
    asked for (``{"endnotes": …}``, see htmlparts; it renders a missing one on demand)."""
    pandoc_input: str = ""
    """The Markdown pandoc read: the body (front matter blanked) and the YAML snippets."""
    parsed: Any = None
    """pandoc's parse as its run gave it (``pandoc.Parsed``: its JSON text and warnings), which
    the Word edition records for its import (parses.py)."""
    drafts: dict[str, Any] = field(default_factory=dict)
    """Editions the reader's pandoc run goes on to write (``{"docx": DraftJob}``, see
    ``pandoc.Draft``), for their renderer to finish."""

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
