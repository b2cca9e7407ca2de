"""Turn a brand's logo (a cleaned SVG) into the PNG the Word edition shows, cached by its hash.

A Word file's picture needs a raster image: Word 2016 and later also read an SVG beside
it (the ``svgBlip`` extension), but LibreOffice, older Word and most converters show only
the raster one, and a picture with none shows nothing there and is dropped on the next
save (the lockup then reads as edited, and the import refuses it). pandoc writes that
raster fallback only through ``rsvg-convert``, a program no wheel ships; the SVG is
rasterised here with typst (its ``resvg``), the one SVG renderer among the pinned
dependencies, with every system font ignored (a logo's lettering is outlines: see
read/brand.py). Made once per logo, kept under the cache folder by the SVG's hash.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from pathlib import Path

from briefpress.errors import BriefError, Problem
from briefpress.read.logo import LOGO_ASPECT
from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.paths import cache_dir

HEIGHT_IN = 0.3
"""The logo's height beside the wordmark in the Word file, in inches."""

WIDTH_IN = HEIGHT_IN * LOGO_ASPECT
"""The widest the logo's PNG is, in inches (6 in: 3,600 pixels at :data:`PPI`): the brand
loader refuses a logo wider than :data:`~briefpress.read.logo.LOGO_ASPECT` to 1, and this
bounds the PNG of any other (a logo 100,000 to 1 took typst minutes at the fixed height),
scaling it down to this width instead."""

PPI = 600
"""The PNG's resolution: at 0.3 in, 180 pixels high, sharp on paper as on screen."""

_FORMAT = "logo-v2"
"""The cached files' names start with this: change it when the PNG would come out
different for the same SVG (another size, resolution or page); typst's version follows it
in the name, for another renderer."""

_PNG = b"\x89PNG\r\n\x1a\n"
"""Every PNG file's first bytes: a cached file without them (cut short, or not ours) is
made again."""

_PAGE = (b"#set page(width: auto, height: auto, margin: 0pt, fill: none)\n"
         b'#let logo(..size) = image(bytes(sys.inputs.at("svg")), format: "svg", ..size)\n'
         b"#context {\n"
         b"  let high = logo(height: " + f"{HEIGHT_IN}in".encode("ascii") + b")\n"
         b"  if measure(high).width > " + f"{WIDTH_IN}in".encode("ascii") + b" {\n"
         b"    logo(width: " + f"{WIDTH_IN}in".encode("ascii") + b")\n"
         b"  } else { high }\n"
         b"}\n")
"""A typst page just the size of the logo, on no background (the PNG is transparent):
``HEIGHT_IN`` high, or ``WIDTH_IN`` wide for a logo that would be wider."""


@functools.cache
def _renderer() -> str:
    """typst's version, read from its distribution's metadata (no import of typst: a
    logo found in the cache needs none)."""
    # only a brand's logo asks: importlib.metadata (email, csv, zipfile) is no part of a
    # Word file without one, or of an import's start
    import importlib.metadata

    return "typst" + importlib.metadata.version("typst")


def logo_png(svg: str, source: Path | str = "the brand's logo") -> bytes:
    """The PNG of the logo ``svg`` (cleaned: support/svg.py), ``HEIGHT_IN`` high at ``PPI``
    (at most ``WIDTH_IN`` wide); ``source``, its file, is named when typst cannot read it."""
    digest = hashlib.sha256(svg.encode("utf-8")).hexdigest()[:24]
    cached = cache_dir("logos") / f"{_FORMAT}-{_renderer()}-{digest}.png"
    with contextlib.suppress(OSError):
        kept = cached.read_bytes()
        if kept.startswith(_PNG):
            return kept
    # a design boundary: only a logo not rasterised before loads typst
    import typst

    try:
        png = typst.compile(_PAGE, format="png", ppi=PPI, sys_inputs={"svg": svg},
                            ignore_system_fonts=True, font_paths=[])
    except typst.TypstError as exc:
        raise BriefError(Problem(
            source, None, "the logo cannot be drawn for the Word edition (typst: "
            f"{exc})",
            "save it again as a plain SVG (Inkscape: File > Save As > Plain SVG) with a "
            'positive size, e.g. viewBox="0 0 120 40"')) from None
    assert isinstance(png, bytes)
    with contextlib.suppress(OSError):  # a read-only or full cache only loses the cache
        atomic_write_bytes(cached, png)
    return png
