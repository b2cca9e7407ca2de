"""Turn a format's name into the module that renders it: the registry of the editions.

A new edition needs three things, and nothing else of the pipeline changes (``build``,
``outline``, ``check``, the keys of the cache and ``--format``'s help all read
:data:`FORMATS`):

1. a module (``briefpress.render.<name>``) with ``render`` and ``read_outline``
   (:class:`EditionModule`, below);
2. one :class:`Format` line in :data:`FORMATS`, with its ``inputs`` (every project file
   under ``templates/`` or ``styles/`` that ``render`` reads: a change to one of them
   rebuilds the edition; ``()`` for an edition that reads none) and its ``options`` (the
   fields of :class:`~briefpress.model.options.RenderOptions` that change its bytes;
   ``()`` for one that reads none). ``tests/support/test_cache.py`` proves both for every
   format: what the render opens is among its ``inputs`` (an audit hook), and the edition
   made with every other option set otherwise is the same, byte for byte;
3. its unit tests, ``tests/render/test_<name>.py`` (tests mirror the package).

Optional: ``anchors`` (the edition's name in ``check``'s warnings about in-page links),
``engine``, the hooks below, a ``make <name>`` shortcut (the Makefile has one for each
built-in format) and a download link on the web page (``render/web.py``'s ``DOWNLOADS``
names the PDF and the Word file). The live preview (``serve.py``) builds the web page and
the PDF alone, and the web catalog is the web page's (``build.py`` lists the briefs for it
when ``html`` is built): those name their editions on purpose.

A format module satisfies :class:`EditionModule` (``render`` and ``read_outline``, which
``build`` calls on every edition) and may define any of :class:`EditionHooks`
(``render_collection``, ``cache_extra``, ``shows``, which ``build`` and the cache look
for by name, and ``outdated_links``, which ``check`` asks); ``tests/render/test_init.py``
holds every registered module to both.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from msgspec import Struct

from briefpress.errors import BriefError, NotImplementedFormat, Problem

if TYPE_CHECKING:  # the model is not imported with the registry (``--format``'s help reads it)
    from briefpress.model.brief import Brief, Listing, OutlineEntry
    from briefpress.model.options import RenderOptions

__all__ = ["FORMATS", "EditionHooks", "EditionModule", "Format", "NotImplementedFormat",
           "format_for_file", "get_format"]


@runtime_checkable
class EditionModule(Protocol):
    """What a format's module provides, and ``build`` calls on each edition it makes."""

    def render(self, brief: Brief, out: Path, options: RenderOptions) -> list[Path] | None:
        """Write the edition to ``out`` (a temporary path beside the final one; the pipeline
        checks it and renames it into place) and any assets it needs beside it; return the
        assets' paths, if any (the build's record of the edition covers them too)."""

    def read_outline(self, path: Path) -> list[OutlineEntry]:
        """The sections, recommendation areas and recommendations read back from a file of
        the format (the build compares them with the brief's outline before the file
        replaces the previous one; ``briefpress outline`` prints them)."""


class EditionHooks(Protocol):
    """What a format's module may provide besides :class:`EditionModule`, each function
    optional (looked for by name: ``getattr(module, "shows", None)``)."""

    def render_collection(self, listings: list[Listing], build_dir: Path,
                          options: RenderOptions,
                          warn: Callable[[Problem], None] = ...) -> list[Path]:
        """Files that cover every brief (the web catalog), written once the briefs are
        built; ``warn`` takes the warnings."""

    def cache_extra(self, slug: str, build_dir: Path) -> bytes:
        """What, besides the format's :attr:`Format.inputs`, the edition depends on (the
        print edition's CMYK profile, a file of the system's)."""

    def shows(self, slug: str, build_dir: Path) -> dict[str, bytes]:
        """What the edition shows of the brief's other editions, by format name (the web
        page lists the PDF and DOCX with their sizes): in its key, and in its record, for
        ``check`` to say which one changed."""

    def outdated_links(self, brief: Brief, page: Path, build_dir: Path) -> list[Path]:
        """The pages of the build folder the built edition ``page`` links to that a build
        now would not (the web page's links to a program or series page at an id since
        renamed), for ``check`` to name."""


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
    """The project files ``render`` reads (glob patterns below the project root, such as
    ``templates/print.html.j2``, ``styles/fonts/*``): a change to any of them rebuilds the
    edition (see :mod:`briefpress.support.cache`). Name what the render itself opens (and
    whatever it imports opens), not what the read or the checks do: the brief's own folder,
    the project's config and its brands, and the brief's document type are in every
    edition's key already. An edition laid out from HTML names its page template here
    (``templates/<name>.html.j2``): ``check`` reads the fixed ids it writes."""
    options: tuple[str, ...] = ()
    """The render options (fields of :class:`RenderOptions`) that change the edition's bytes;
    only these are in its key, so an option it ignores (the print PDF's ``--pdf-variant``,
    the web page's ``--page-size``) does not make it stale. ``()``: it reads none."""
    anchors: str | None = None
    """The edition's name in ``check``'s warning about an in-page link (``#id``) that goes
    nowhere in it ("the web page"); None: its links are not checked apart (the print PDF
    is the PDF's document, with the PDF's ids; a plain-text edition has no links)."""

    @property
    def suffix(self) -> str:
        """File suffix ``briefpress outline`` recognises."""
        return Path(self.filename).suffix

    def output(self, build_dir: Path, slug: str) -> Path:
        return build_dir / slug / self.filename.format(slug=slug)

    def load(self) -> EditionModule:
        """The format's module, imported (once: Python keeps it)."""
        try:
            module = importlib.import_module(self.module)
        except ModuleNotFoundError as exc:
            if exc.name != self.module:
                raise
            raise NotImplementedFormat(Problem("briefpress", None,
                                               f"the {self.name} format is not implemented yet",
                                               f"build another format ({', '.join(FORMATS)})")
                                       ) from None
        if not isinstance(module, EditionModule):  # a registry line of a module that is not one
            raise TypeError(f"{self.module} lacks render or read_outline (EditionModule)")
        return module


_DESIGN = ("styles/tokens.yaml", "styles/fonts/*", "styles/csl/*")
"""What the built-in editions are designed with: the design tokens, the bundled fonts and
citation styles (a brief's own bibliography and style are files of its folder, hashed with
it)."""

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", "briefpress.render.pdf", "{slug}.pdf", engine="briefpress.render.pdf_layout",
               inputs=("templates/print.html.j2", "templates/partials/*", "styles/print*.css",
                       *_DESIGN),
               options=("page_size", "pdf_variant", "pdf_layout"), anchors="the PDF"),
        # PDF/X-4 whatever --pdf-variant says: that option shapes the screen PDF alone
        Format("print", "briefpress.render.pdf_print", "{slug}-print.pdf",
               engine="briefpress.render.pdf_layout",
               inputs=("templates/print.html.j2", "templates/partials/*", "styles/print*.css",
                       *_DESIGN),
               options=("page_size", "pdf_layout")),
        Format("docx", "briefpress.render.docx", "{slug}.docx", inputs=_DESIGN,
               options=("page_size",), anchors="the Word file"),
        Format("html", "briefpress.render.web", "index.html",
               inputs=("templates/web.html.j2", "templates/partials/*", "styles/web.css",
                       *_DESIGN),
               options=("base_url",), anchors="the web page"),
    )
}


def get_format(name: str) -> Format:
    if name not in FORMATS:
        raise BriefError(Problem("briefpress", None, f"unknown format {name!r}",
                                 f"use one of: {', '.join(FORMATS)}"))
    return FORMATS[name]


def format_for_file(path: Path) -> Format | None:
    return next((f for f in FORMATS.values() if path.suffix.lower() == f.suffix), None)
