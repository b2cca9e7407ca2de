"""Turn WOFF2 faces into TrueType, and subsets of one face into one font, with fontTools.

Only a cold font cache needs this (fontTools' merger alone takes a while to import):
:mod:`.fontcache` and :mod:`.docx_fonts` import it where their caches miss.
"""

from __future__ import annotations

from io import BytesIO

from fontTools.merge import Merger
from fontTools.ttLib import TTFont, woff2


def woff2_to_truetype(woff2_bytes: bytes) -> bytes:
    """The TrueType (sfnt) form of a WOFF2 font."""
    out = BytesIO()
    woff2.decompress(BytesIO(woff2_bytes), out)
    return out.getvalue()


def merge(files: list[str]) -> bytes:
    """The TrueType fonts ``files`` (subsets of one face) as one font, dated as the first."""
    merged = Merger().merge(files)
    # fontTools stamps the merge with the clock; the source's own date keeps it reproducible
    merged["head"].created = merged["head"].modified = TTFont(files[0])["head"].created
    merged.recalcTimestamp = False
    out = BytesIO()
    merged.save(out)
    return out.getvalue()
