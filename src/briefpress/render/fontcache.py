"""Turn a bundled WOFF2 face into its TrueType form once, and keep it on disk.

WeasyPrint decompresses every WOFF2 face it is given, in pure Python, on every render,
and the Word edition embeds TrueType. The TrueType form of a face depends only on its
WOFF2 bytes, so fontTools makes it once and it is kept under ``build/.cache/fonts/``,
named by the hash of its source.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.paths import cache_dir


def truetype(woff2_bytes: bytes, name: str) -> bytes:
    """The TrueType (sfnt) form of a WOFF2 font, from the cache when it is there."""
    digest = hashlib.sha256(woff2_bytes).hexdigest()[:24]
    cached = cache_dir() / f"{Path(name).stem}-{digest}.ttf"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    # a design boundary: only a cold cache needs fontTools
    from briefpress.render.fontconvert import woff2_to_truetype

    data = woff2_to_truetype(woff2_bytes)
    _store(cached, data)
    return data


def _store(path: Path, data: bytes) -> None:
    """Write atomically, so a concurrent render never reads half a font; a read-only or
    full cache only loses the cache (the font is in hand)."""
    with contextlib.suppress(OSError):
        atomic_write_bytes(path, data)
