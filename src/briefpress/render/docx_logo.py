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
import hashlib

from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.paths import cache_dir

HEIGHT_IN = 0.3
"""The logo's height beside the wordmark in the Word file, in inches."""

PPI = 600
"""The PNG's resolution: at 0.3 in, 180 pixels high, sharp on paper as on screen."""

_FORMAT = "logo-v1"
"""The cached files' names start with this: change it when the PNG would come out
different for the same SVG (another size, resolution or renderer)."""

_PAGE = (b"#set page(width: auto, height: auto, margin: 0pt, fill: none)\n"
         b'#image(bytes(sys.inputs.at("svg")), format: "svg", height: '
         + f"{HEIGHT_IN}in".encode("ascii") + b")\n")
"""A typst page just the size of the logo, on no background (the PNG is transparent)."""


def logo_png(svg: str) -> bytes:
    """The PNG of the logo ``svg`` (cleaned: support/svg.py), ``HEIGHT_IN`` high at ``PPI``."""
    digest = hashlib.sha256(svg.encode("utf-8")).hexdigest()[:24]
    cached = cache_dir("logos") / f"{_FORMAT}-{digest}.png"
    with contextlib.suppress(OSError):
        return cached.read_bytes()
    # a design boundary: only a logo not rasterised before loads typst
    import typst

    png = typst.compile(_PAGE, format="png", ppi=PPI, sys_inputs={"svg": svg},
                        ignore_system_fonts=True, font_paths=[])
    assert isinstance(png, bytes)
    with contextlib.suppress(OSError):  # a read-only or full cache only loses the cache
        atomic_write_bytes(cached, png)
    return png
