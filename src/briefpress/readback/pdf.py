"""Turn a built PDF into its outline, read with pypdf from its bookmarks and named destinations."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import Destination

from briefpress.errors import BriefError, Problem
from briefpress.model.brief import OutlineEntry

AREA_PREFIX = "area:"
RECOMMENDATION_PREFIX = "recommendation:"
"""Prefixes of the element ids (and so of the PDF's named destinations) of recommendation
areas and recommendations, as templates/print.html.j2 writes them: a colon never occurs in
a brief's ids, so they are told from section ids."""

Place = tuple[int, float]
"""A place in the PDF: 0-based page index and the height on the page (PDF units, from the
bottom), rounded to a tenth."""

Bookmark = tuple[int, str, Place | None]
"""A bookmark: its level (1 at the top), its title with white space collapsed, its place."""


def read_pdf_outline(path: Path) -> list[OutlineEntry]:
    """The outline of the PDF at ``path``: sections and recommendation areas from its
    bookmarks, in their order; recommendations from their named destinations."""
    return outline_entries(*pdf_places(path))


def pdf_places(path: Path) -> tuple[list[tuple[str, Place]], list[Bookmark]]:
    """Named destinations (name, place) and bookmarks of the PDF at ``path``.

    A file pypdf cannot read (damaged, or not a PDF) is a :class:`BriefError` that gives
    pypdf's reason.
    """
    try:
        with _pypdf_quiet():
            reader = PdfReader(path)
            named = [(str(name), place) for name, destination
                     in reader.named_destinations.items()
                     if (place := _place(reader, destination)) is not None]
            bookmarks = list(_bookmarks(reader, reader.outline, level=1))
    # pypdf raises its own errors for what it finds damaged, and built-in ones where an
    # object has the wrong type or is missing (a /Dests that is not a dictionary, ...).
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as exc:
        raise BriefError(Problem(path, None, f"cannot read the PDF: {exc}",
                                 "rebuild it with `briefpress build`")) from None
    return named, bookmarks


def outline_entries(named: list[tuple[str, Place]], bookmarks: list[Bookmark]
                    ) -> list[OutlineEntry]:
    """The outline from the named destinations and the bookmarks of a PDF."""
    at: dict[Place, list[str]] = {}
    for name, position in named:
        at.setdefault(position, []).append(name)
    recommendations = sorted(((position, name.removeprefix(RECOMMENDATION_PREFIX))
                              for name, position in named
                              if name.startswith(RECOMMENDATION_PREFIX)),
                             key=lambda item: (item[0][0], -item[0][1]))

    # Bookmarks keep their own order (a reordered outline is a defect to report); each
    # recommendation goes where its place on the page falls between them.
    entries: list[OutlineEntry] = []
    area_level = 0

    def place_recommendations(before: Place | None) -> None:
        while recommendations and (before is None or _earlier(recommendations[0][0], before)):
            _, ident = recommendations.pop(0)
            entries.append(OutlineEntry("recommendation", area_level + 1, ident, ident))

    for level, title, position in bookmarks:
        if position is not None:
            place_recommendations(position)
        names = at.get(position, []) if position else []
        area = next((n for n in names if n.startswith(AREA_PREFIX)), None)
        if area is not None:
            area_level = level
            entries.append(OutlineEntry("area", level, area.removeprefix(AREA_PREFIX), title))
        else:
            ident = next((n for n in names if ":" not in n), "")
            entries.append(OutlineEntry("section", level, ident, title))
    place_recommendations(None)
    return entries


def _earlier(a: Place, b: Place) -> bool:
    """Whether place ``a`` comes before place ``b`` in reading order (PDF y grows upwards)."""
    return (a[0], -a[1]) < (b[0], -b[1])


@contextmanager
def _pypdf_quiet() -> Iterator[None]:
    """Silence pypdf's log for the block: on a damaged file it warns as it tries to recover,
    and the error raised after, with the file's name and a fix, says what the user needs."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def _place(reader: PdfReader, destination: Destination) -> Place | None:
    """Where ``destination`` points: its page and the top of its view (0 when it has none)."""
    page = reader.get_destination_page_number(destination)
    if page is None or page < 0:
        return None
    top = destination.top
    return page, round(float(top if top is not None else 0.0), 1)


def _bookmarks(reader: PdfReader, items: list[Any], level: int) -> Iterator[Bookmark]:
    """Bookmarks in order; pypdf gives the children of an item as the list after it."""
    for item in items:
        if isinstance(item, list):
            yield from _bookmarks(reader, item, level + 1)
        else:
            yield level, " ".join(str(item.title).split()), _place(reader, item)
