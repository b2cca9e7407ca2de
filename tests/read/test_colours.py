"""The colours of a brief and its brand, text in the accent derived by WCAG contrast
(read/colours.py)."""

from __future__ import annotations

import pytest
from msgspec.structs import replace
from tests.render.test_design import brand

from briefpress.read import colours
from briefpress.render import design


def test_contrast_is_wcag_s_ratio() -> None:
    assert colours.contrast("#ffffff", "#000000") == pytest.approx(21)
    assert colours.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # the tester's accents on white: tidewater's (the fixture) and harbour's
    assert colours.contrast("#e09f3e", "#ffffff") == pytest.approx(2.28, abs=0.01)
    assert colours.contrast("#ffffff", "#f2c14e") == pytest.approx(1.68, abs=0.01)


def test_the_brand_s_colours_are_those_the_editions_take() -> None:
    """read/brand.py's contrast warning and every edition see the same colours."""
    tidewater = replace(brand(), colors=(("accent", "#e09f3e"), ("tint", "#e6f2f1")),
                        colors_cmyk=(("accent", (0, 40, 80, 8)), ("tint", (8, 0, 4, 2))))
    for given in (None, tidewater):
        colors, cmyk = colours.brand_colours(given)
        tokens = design.tokens(given)
        assert (colors, cmyk) == (tokens.colors, tokens.colors_cmyk)
    assert colours.brand_colours(tidewater)[0][colours.ACCENT_TEXT] == "#886735"
    assert design.ACCENT_TEXT is colours.ACCENT_TEXT  # design's names still answer
