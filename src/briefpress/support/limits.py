"""Turn briefpress's input limits (defaults, or BRIEFPRESS_LIMIT_<NAME> overrides) into values.

Every limit bounds what an input may cost, not only its size: how deep it nests, how many
sections, recommendations, notes, links and images it holds, and how long and how much
memory pandoc and WeasyPrint may spend on it. Each is one :class:`Limit` below, with its
default; a user raises (or lowers) one by setting the environment variable its ``env``
names, e.g. ``BRIEFPRESS_LIMIT_SECTIONS=5000``. The value is read each time the limit is
used, so a test (or a caller) can set it per run. docs/security.md lists them all.
"""

from __future__ import annotations

import os
from pathlib import Path

from msgspec import Struct

from briefpress.errors import BriefError, Problem


class Limit(Struct, frozen=True):
    """One bound on an input's cost: its name, its default and the unit of its value."""

    name: str
    """Upper-case name; the environment variable is ``BRIEFPRESS_LIMIT_<name>``."""
    default: int
    unit: str
    """What the number counts ("bytes", "seconds", "MB", "levels" or a noun)."""
    minimum: int = 0
    """The smallest value that makes sense (a count may be 0: no notes at all)."""

    @property
    def env(self) -> str:
        """The environment variable that overrides the default."""
        return f"BRIEFPRESS_LIMIT_{self.name}"

    def value(self) -> int:
        """The limit in force: the environment variable's whole number, else the default."""
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return self.default
        try:
            number = int(raw.replace("_", ""))
        except ValueError:
            number = -1
        if number < self.minimum:
            raise BriefError(Problem(self.env, None, f"{raw!r} is not a whole number of at "
                                     f"least {self.minimum}",
                                     f"set {self.env} to a number of {self.unit} "
                                     f"(default {self.default}), or unset it"))
        return number

    def how(self) -> str:
        """How to change the limit, for a message's fix."""
        return f"set {self.env} to raise the limit (default {self.default})"


SOURCE_BYTES = Limit("SOURCE_BYTES", 2_000_000, "bytes", 1)
"""brief.md or recommendations.yaml larger than this is refused before parsing (the real
brief is 28 kB)."""

NESTING = Limit("NESTING", 8, "levels", 1)
"""Lists, block quotes and divs nested deeper than this are refused by ``check``: no brief
needs them and renderers choke on them. Whatever the limit, a body that nests deeper than
Python can decode (a few hundred levels) is refused when it is read."""

SECTIONS = Limit("SECTIONS", 2_000, "sections")
"""Headings in brief.md (the real brief has 30)."""

RECOMMENDATIONS = Limit("RECOMMENDATIONS", 2_000, "recommendations")
"""Recommendations in recommendations.yaml (the real brief has 14)."""

NOTES = Limit("NOTES", 5_000, "notes")
"""Footnotes in the brief and the Markdown of recommendations.yaml."""

LINKS = Limit("LINKS", 10_000, "links")
"""Hyperlinks in the brief and the Markdown of recommendations.yaml."""

IMAGES = Limit("IMAGES", 1_000, "images")
"""Images in the brief and the Markdown of recommendations.yaml."""

IMAGE_MEGAPIXELS = Limit("IMAGE_MEGAPIXELS", 40, "megapixels", 1)
"""Pixels of one raster image (width times height, in millions), read from the image's
header before anything decodes it. A full A4 or Letter page at 300 ppi is under 9
megapixels; a decoded image costs about 4 bytes a pixel, several times over while the print
edition converts it to CMYK (a 144-megapixel PNG of 1 MB took 1.8 GB)."""

PANDOC_SECONDS = Limit("PANDOC_SECONDS", 60, "seconds", 1)
"""Wall time of one pandoc run; past it pandoc is killed (the real brief's longest run takes
well under a second). Some Markdown takes pandoc exponential time (brackets nested a dozen
deep), so every run has this bound."""

PANDOC_MEMORY_MB = Limit("PANDOC_MEMORY_MB", 2_048, "MB", 1)
"""pandoc's heap (its runtime's ``+RTS -M``); past it pandoc stops with "Heap exhausted"."""

PDF_SECONDS = Limit("PDF_SECONDS", 300, "seconds", 1)
"""Wall time of WeasyPrint's layout and writing of one PDF (the real brief: about a second)."""

PDF_MEMORY_MB = Limit("PDF_MEMORY_MB", 2_048, "MB", 64)
"""Resident memory of the process while WeasyPrint lays out and writes one PDF (the real
brief: under 100 MB in all, the interpreter and libraries included)."""

BRIEF_SECONDS = Limit("BRIEF_SECONDS", 900, "seconds", 1)
"""Wall time of one brief's whole build (every edition) in a catalog build's worker process;
past it the worker and everything it started are killed and the brief fails alone."""

BRIEF_MEMORY_MB = Limit("BRIEF_MEMORY_MB", 4_096, "MB", 64)
"""Memory of a catalog build's worker process and every process it started (pandoc) while
it builds one brief; past it they are killed and the brief fails alone."""

JOBS_PER_WORKER = Limit("JOBS_PER_WORKER", 50, "briefs", 1)
"""Briefs a catalog build's worker process builds before it retires and a fresh one takes
its place (the knob Celery calls max-tasks-per-child): what a library keeps from one render
to the next (WeasyPrint and the font libraries below it, about 0.6 MB a brief) cannot add up
over a catalog of thousands, at the cost of one warm-up per fifty briefs."""

ALL: tuple[Limit, ...] = (SOURCE_BYTES, NESTING, SECTIONS, RECOMMENDATIONS, NOTES, LINKS,
                          IMAGES, IMAGE_MEGAPIXELS, PANDOC_SECONDS, PANDOC_MEMORY_MB,
                          PDF_SECONDS, PDF_MEMORY_MB, BRIEF_SECONDS, BRIEF_MEMORY_MB,
                          JOBS_PER_WORKER)
"""Every limit, in the order docs/security.md lists them."""


def over(limit: Limit, count: int, path: Path | str, line: int | None, fix: str) -> BriefError:
    """The error for an input holding ``count`` of what ``limit`` counts, over it."""
    return BriefError(Problem(path, line, f"{count} {limit.unit}, over the limit of "
                              f"{limit.value()}", f"{fix}, or {limit.how()}"))
