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
    """Ignore Pillow's ``DecompressionBombWarning`` from now on (a filter added once: the
    filters already holding it are left as they are)."""
    from PIL import Image  # only a brief with a raster image needs Pillow

    bomb = Image.DecompressionBombWarning
    if not any(action == "ignore" and category is bomb
               for action, _message, category, _module, _line in warnings.filters):
        warnings.filterwarnings("ignore", category=bomb)
