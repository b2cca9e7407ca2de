"""Turn a brief's parsed parts into the one data model every stage reads: the Brief.

Its metadata, section tree, recommendations and links.
Readers turn files into a :class:`Brief`; renderers turn a :class:`Brief` into a
file; importers turn an edited file back into one. The front matter and the
recommendations file are validated against the schemas of ``schema.py``
(``Metadata``, ``Recommendations``, … are importable from here too).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Literal

from msgspec import Struct, field

from briefpress.errors import Problem
from briefpress.model import blocks
from briefpress.model.doctype import DocType
from briefpress.model.index import TextIndex, index_text
from briefpress.model.schema import (  # noqa: F401  (importable from here, as the docstring says)
    Author,
    Metadata,
    Publisher,
    Recommendation,
    RecommendationArea,
    Recommendations,
    Social,
)

KeyPath = tuple[str | int, ...]
"""A value's place in a YAML file: its keys and list indices from the top,
``("areas", 0, "recommendations", 1, "section")``."""


class Section(Struct):
    """A heading and what follows it up to the next heading of the same or higher level."""

    id: str
    title: str
    """Plain-text title."""
    level: int
    heading: list[blocks.Inline] = field(default_factory=list)
    """The inlines of the title."""
    blocks: list[blocks.Block] = field(default_factory=list)
    """The blocks between this heading and the first subsection."""
    children: list[Section] = field(default_factory=list)
    line: int | None = None
    """Line of the heading in brief.md; None for generated sections."""
    generated_from: str | None = None
    """For generated sections: "recommendations" or "authors"."""
    classes: list[str] = field(default_factory=list)
    """The heading's classes as written (``# Title {.unnumbered}``)."""
    attributes: list[tuple[str, str]] = field(default_factory=list)
    """The heading's key-value attributes as written (``# Title {lang=fr}``)."""

    def header(self) -> blocks.Header:
        """The heading as pandoc parsed it."""
        return blocks.Header((self.level, blocks.attr(self.id, self.classes, self.attributes),
                              self.heading))

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    def body(self) -> list[blocks.Block]:
        """Its heading, its blocks and its subsections' bodies, as they stand in brief.md
        (nothing for a generated section)."""
        found: list[blocks.Block] = []
        for section in self.walk():
            if section.generated_from is None:
                found.append(section.header())
                found.extend(section.blocks)
        return found


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


class BrandFace(Struct, frozen=True):
    """One font file of a brand, as its ``brand.yml`` declares it."""

    path: Path
    """The file, in the brand's folder (resolved)."""
    weight: int
    style: str
    word_slot: str | None = None
    """The Word font table's slot it fills (``embedRegular``, ``embedBold``, …): from the
    file's own subfamily name, when its family name (name ID 1) is the declared family;
    None for a face Word would not find by that name (it is not embedded in the DOCX)."""


class BrandFontFamily(Struct, frozen=True):
    """A font family of a brand that sets one role of the house's (``serif``: the body text;
    ``sans``: headings, labels, captions)."""

    role: str
    family: str
    faces: tuple[BrandFace, ...]
    licence: Path | None = None


class Brand(Struct, frozen=True):
    """A brand as the editions apply it: the design tokens it overrides, its wordmark and
    its logo (``read/brand.py`` reads it from ``brands/<name>/``)."""

    name: str
    """Its folder's name, as a brief's ``brand:`` names it."""
    title: str
    """Its ``meta.name``."""
    colors: tuple[tuple[str, str], ...]
    """Colour tokens it overrides, ``(name, "#rrggbb")`` (pairs, so that a Brand is hashable
    and keys the caches of what is made from it)."""
    colors_cmyk: tuple[tuple[str, tuple[float, float, float, float]], ...]
    """The same colours for the press, in percent."""
    wordmark: str | None = None
    logo_svg: str | None = None
    """The logo, cleaned of scripts and external references (``support/svg.py``), as text."""
    logo_file: Path | None = None
    """The logo's file in the brand's folder, which an error about the logo names."""
    folder: Path | None = None
    """The brand's folder, ``brands/<name>/`` (the PDF's sandbox serves its fonts from it)."""
    fonts: tuple[BrandFontFamily, ...] = ()
    """Its own faces, by role; the roles it leaves out keep the house's faces."""
    warnings: tuple[Problem, ...] = ()
    """What its file may mean but should mend (an accent too light for text), which every
    brief of the brand reports among its findings."""


class Citations(Struct, frozen=True):
    """What a brief's citations are made from: its bibliography, its style, the keys."""

    bibliography: Path
    """The bibliography file, in the brief's folder."""
    csl: Path
    """The style: a .csl file in the brief's folder, or the bundled default."""
    keys: frozenset[str]
    """Every key the bibliography holds."""


class Brief(Struct, dict=True):
    """A brief as every stage of the pipeline sees it.

    Made once by a reader and not changed after (a stage that needs another text makes a
    copy, ``msgspec.structs.replace``): what is worked out from it once, its
    :attr:`index`, is kept on it (``dict=True`` gives it the ``__dict__`` a
    ``cached_property`` needs; a copy starts without, and neither is encoded or compared).
    """

    slug: str
    folder: Path
    meta: Metadata
    sections: list[Section]
    """Top-level sections in reading order, generated ones included."""
    recommendations: Recommendations
    links: list[Link]
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
    fragments: dict[str, list[blocks.Block]] = field(default_factory=dict)
    """The blocks of the Markdown held in YAML: ``rec:<id>`` for each recommendation's
    text, ``intro`` for the recommendations' opening, ``bio:<n>`` for each author's bio."""
    brand: Brand | None = None
    """The brand the front matter (or the project) names; none: the house style."""
    api_version: list[int] = field(default_factory=list)
    """The pandoc-types version of the blocks (``Document.api_version``), which pandoc needs
    to read them back."""
    citations: Citations | None = None
    """The bibliography and style ``[@key]`` citations are rendered with (None: no
    ``bibliography:``)."""
    front_lines: dict[KeyPath, int] = field(default_factory=dict)
    """The line in brief.md of each key of the front matter as written (and of each list
    item's start), by its path, as PyYAML read them: ``("authors", 0, "bio")``. A value
    the project's config gave has none."""
    recommendation_lines: dict[KeyPath, int] = field(default_factory=dict)
    """The same for recommendations.yaml: ``("areas", 0, "recommendations", 1, "id")``."""

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

    @cached_property
    def index(self) -> TextIndex:
        """The elements of its text (the body's sections, then the fragments) by type, in
        document order: walked once, on first use, for every check and ``model/xref.py``."""
        return index_text(self.walk(), self.fragments)

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in reading order."""
        for section in self.sections:
            yield from section.walk()

    def body(self) -> list[blocks.Block]:
        """brief.md's body as pandoc parsed it: each section's heading, its blocks, then its
        subsections, in source order (generated sections have none; the YAML fragments are
        in ``fragments``)."""
        return [block for section in self.sections for block in section.body()]

    def recommendation_line(self, ident: str, key: str = "id") -> int | None:
        """The line in recommendations.yaml of ``key`` (``id``, ``text``, ``section``,
        ``title``) of the first recommendation area or recommendation whose id is
        ``ident``; None when it has no such key, or there is none."""
        for a, area in enumerate(self.recommendations.areas):
            if area.id == ident:
                return self.recommendation_lines.get(("areas", a, key))
            for r, rec in enumerate(area.recommendations):
                if rec.id == ident:
                    return self.recommendation_lines.get(
                        ("areas", a, "recommendations", r, key))
        return None

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


class Listing(Struct, frozen=True):
    """What a catalog shows of a brief: its slug, front matter, type's label, description."""

    slug: str
    meta: Metadata
    label: str
    description: str | None
