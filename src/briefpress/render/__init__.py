"""The output formats: one module each, registered here by name.

A format module provides

- ``render(brief: Brief, out: Path, options: RenderOptions) -> list[Path] | None``:
  write the edition to ``out`` (a temporary path beside the final one; the pipeline
  checks it and renames it into place) and any assets it needs beside it, and return
  the assets' paths, if any (the build's record of the edition covers them too);
- ``read_outline(path: Path) -> list[OutlineEntry]``: read the sections,
  recommendation areas and recommendations back from a file of that format;
- optionally ``render_collection(briefs, build_dir, options, warn) -> list[Path]``:
  files that cover every brief (e.g. the web catalog); ``warn`` takes the warnings;
- optionally ``cache_extra(slug: str, build_dir: Path) -> bytes``: what, besides the
  format's :attr:`Format.inputs`, the edition depends on (the print edition's CMYK
  profile, a file of the system's);
- optionally ``shows(slug: str, build_dir: Path) -> dict[str, bytes]``: what the edition
  shows of the brief's other editions, by format name (the web page lists the PDF and
  DOCX with their sizes): in its key, and in its record, for ``check`` to say which one
  changed.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from msgspec import Struct

from briefpress.errors import BriefError, NotImplementedFormat, Problem

__all__ = ["FORMATS", "Format", "NotImplementedFormat", "format_for_file", "get_format"]


class Format(Struct, frozen=True):
    """One output format: its name, the module that renders it and its file name."""

    name: str
    module: str
    filename: str
    """Name of the main output under build/<slug>/; ``{slug}`` is replaced."""
    engine: str | None = None
    """A module ``render`` needs that is slow to import (WeasyPrint's layout: about half a
    second), which ``build`` imports while pandoc reads the briefs."""
    inputs: tuple[str, ...] = ()
    """The project files ``render`` reads (glob patterns below the project root): a change
    to any of them rebuilds the edition (see :mod:`briefpress.support.cache`). The brief's
    own folder and its document type need not be named."""
    options: tuple[str, ...] | None = None
    """The render options (fields of :class:`RenderOptions`) ``render`` reads, which are all
    of them in the edition's key (None: every option): an option the edition ignores (the
    print PDF's ``--pdf-variant``) must not make it stale."""

    @property
    def suffix(self) -> str:
        """File suffix ``briefpress outline`` recognises."""
        return Path(self.filename).suffix

    def output(self, build_dir: Path, slug: str) -> Path:
        return build_dir / slug / self.filename.format(slug=slug)

    def load(self) -> ModuleType:
        try:
            return importlib.import_module(self.module)
        except ModuleNotFoundError as exc:
            if exc.name != self.module:
                raise
            raise NotImplementedFormat(Problem("briefpress", None,
                                               f"the {self.name} format is not implemented yet",
                                               f"build another format ({', '.join(FORMATS)})")
                                       ) from None


_DESIGN = ("styles/tokens.yaml", "styles/fonts/*", "styles/csl/*")
"""What every edition is designed with: the design tokens, the bundled fonts and citation
styles (a brief's own bibliography and style are files of its folder, hashed with it)."""

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", "briefpress.render.pdf", "{slug}.pdf", engine="briefpress.render.pdf_layout",
               inputs=("templates/print.html.j2", "templates/partials/*", "styles/print*.css",
                       *_DESIGN),
               options=("page_size", "pdf_variant", "pdf_layout")),
        # PDF/X-4 whatever --pdf-variant says: that option shapes the screen PDF alone
        Format("print", "briefpress.render.pdf_print", "{slug}-print.pdf",
               engine="briefpress.render.pdf_layout",
               inputs=("templates/print.html.j2", "templates/partials/*", "styles/print*.css",
                       *_DESIGN),
               options=("page_size", "pdf_layout")),
        Format("docx", "briefpress.render.docx", "{slug}.docx", inputs=_DESIGN,
               options=("page_size",)),
        Format("html", "briefpress.render.web", "index.html",
               inputs=("templates/web.html.j2", "templates/partials/*", "styles/web.css",
                       *_DESIGN),
               options=("base_url",)),
    )
}


def get_format(name: str) -> Format:
    if name not in FORMATS:
        raise BriefError(Problem("briefpress", None, f"unknown format {name!r}",
                                 f"use one of: {', '.join(FORMATS)}"))
    return FORMATS[name]


def format_for_file(path: Path) -> Format | None:
    return next((f for f in FORMATS.values() if path.suffix.lower() == f.suffix), None)
