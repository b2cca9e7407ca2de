"""support/pillow.py: Pillow's decompression-bomb warning is off once quiet_pillow ran, and
only that warning."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image

from briefpress.support.pillow import quiet_pillow


def _over_pillows_limit(tmp_path: Path) -> Path:
    """A PNG of more pixels than Pillow warns past (89 megapixels), one bit each."""
    side = int((Image.MAX_IMAGE_PIXELS + 1) ** 0.5) + 1
    path = tmp_path / "big.png"
    Image.new("1", (side, side)).save(path)
    return path


def test_a_large_image_opens_without_pillow_s_warning(tmp_path: Path) -> None:
    path = _over_pillows_limit(tmp_path)
    with warnings.catch_warnings(record=True) as caught:  # the filters are restored after
        warnings.simplefilter("always")
        Image.open(path).close()
        assert [w.category for w in caught] == [Image.DecompressionBombWarning]
        caught.clear()
        quiet_pillow()
        Image.open(path).close()
        assert caught == []


def test_other_warnings_still_show_and_one_filter_is_added_once() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        quiet_pillow()
        filters = list(warnings.filters)
        quiet_pillow()
        assert warnings.filters == filters  # the same filter replaces itself
        warnings.warn("another", UserWarning, stacklevel=1)
        assert [w.category for w in caught] == [UserWarning]
