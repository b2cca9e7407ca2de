"""Turn the ``SOURCE_DATE_EPOCH`` environment variable into a checked number of seconds."""

from __future__ import annotations

import datetime
import os

from briefpress.errors import BriefError, Problem

MAX_EPOCH = 253402300799
"""9999-12-31T23:59:59Z: the last second a date of the editions can show."""

FALLBACK_EPOCH = 315532800
FALLBACK_DATE = "1980-01-01T00:00:00Z"
"""The date an edition that must carry one (the print edition: PDF/X requires a creation
and a modification date; the Word file's package and properties) takes when neither
``SOURCE_DATE_EPOCH`` nor the brief gives one: a fixed date, never the clock's, so that the
same source gives the same bytes; the first a zip file can store. ``check`` (and the build
of the print edition) says so: a printer reads it."""


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds since 1970, None when unset or empty.

    Only a whole, non-negative number up to the end of year 9999 is taken; anything else
    is refused, so that every edition carries the same date (the reproducible-builds
    specification asks for a positive integer).
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_EPOCH:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise BriefError(Problem("SOURCE_DATE_EPOCH", None,
                                 f"not a number of seconds since 1970 up to year 9999: "
                                 f"{shown!r}",
                                 "set it to a whole number of seconds, e.g. "
                                 "`git log -1 --format=%ct`, or unset it"))
    return int(raw)


def edition_date(date: datetime.date | None) -> datetime.datetime | None:
    """When an edition says it was made: ``SOURCE_DATE_EPOCH`` if set, else ``date`` (the
    brief's), else None. Never the clock, so that the same source gives the same bytes; an
    undated brief's editions carry no date rather than an invented one, but where a format
    requires one (the print edition's PDF/X, a zip entry's time): :data:`FALLBACK_DATE`."""
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    if date is not None:
        return datetime.datetime.combine(date, datetime.time(), datetime.UTC)
    return None
