"""Turn Pillow's decompression-bomb warning off for the process, once, before any image is read.

Every raster image a render decodes has passed the sandbox's pixel limit
(``limits.IMAGE_MEGAPIXELS``, support/sandbox.py), which speaks first, located and in words:
Pillow's own warning past 89 megapixels (a raised limit) is no news to the user. One filter,
added where Pillow is first used (warnings.filterwarnings, a public API), rather than
``warnings.catch_warnings()`` around each use, which swaps the process's filters while
other threads run (a loader thread importing modules).
"""

from __future__ import annotations

import warnings


def quiet_pillow() -> None:
    """Ignore Pillow's ``DecompressionBombWarning`` from now on, in the whole process (a
    program that uses briefpress as a library and wants it back can filter it again):
    ``filterwarnings`` replaces an identical filter rather than adding another."""
    from PIL import Image  # only a brief with a raster image needs Pillow

    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
