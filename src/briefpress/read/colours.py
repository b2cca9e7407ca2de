"""Turn the house tokens' colours and a brand's into an edition's, text in the accent derived.

The one colour no file gives, ``accent-text`` (the accent as text takes it), is derived
here by WCAG 2's contrast: read/brand.py warns of a brand whose accent does not read on
its page, and render/design.py lays the same colours into every edition's tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefpress.read.tokens import house_tokens

if TYPE_CHECKING:
    from briefpress.model.brief import Brand


def brand_colours(brand: Brand | None = None) -> tuple[dict[str, str], dict[str, list[float]]]:
    """The colours of a brief of ``brand``, on screen and for the press: the house's with the
    brand's laid over them, and :data:`ACCENT_TEXT` derived (:func:`text_colour`)."""
    house = house_tokens()
    colors, cmyk = dict(house.colors), dict(house.colors_cmyk)
    if brand is not None:
        colors.update(brand.colors)
        cmyk.update((k, list(v)) for k, v in brand.colors_cmyk)
    colors[ACCENT_TEXT], cmyk[ACCENT_TEXT] = text_colour("accent", colors, cmyk)
    return colors, cmyk


ACCENT_TEXT = "accent-text"
"""The derived colour text in the accent takes (labels, markers, footnote calls)."""

TEXT_CONTRAST = 4.5
"""WCAG 2's level AA for text (success criterion 1.4.3): the least contrast ratio of text
with its background. The accent's small capitals and markers are small text."""

TEXT_GROUNDS = ("paper", "tint")
"""The colours text in the accent stands on: the page, and the recommendations' boxes."""

TEXT_COLOURS = {"ink": "body text", "muted": "running heads, captions and folios",
                "link": "links on screen", "navy": "headings and the wordmark"}
"""The colours text is set in as they are (no darker one is derived for them, as for the
accent), each with what it sets: each must reach :data:`TEXT_CONTRAST` on every ground."""


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two ``#rrggbb`` colours, from 1 to 21
    (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    """WCAG 2's relative luminance of ``#rrggbb`` (sRGB linearised, weighted)."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def text_contrast(colour: str, colors: dict[str, str]) -> float:
    """The least contrast of ``#rrggbb`` with the grounds text stands on (``colors``' values
    of :data:`TEXT_GROUNDS`)."""
    return min(contrast(colour, colors[ground]) for ground in TEXT_GROUNDS)


def unreadable_text(colors: dict[str, str]) -> list[tuple[str, float]]:
    """Each of :data:`TEXT_COLOURS` in ``colors`` whose contrast with a ground of ``colors``
    is under :data:`TEXT_CONTRAST`, with that contrast."""
    ratios = ((name, text_contrast(colors[name], colors)) for name in TEXT_COLOURS
              if name in colors)
    return [(name, ratio) for name, ratio in ratios if ratio < TEXT_CONTRAST]


def unreadable_message(name: str, ratio: float, colors: dict[str, str]) -> str:
    """What a too light (or too dark) text colour makes of the editions, for a message."""
    return (f"the `{name}` colour {colors[name]} ({TEXT_COLOURS[name]}) has a contrast of "
            f"{ratio:.2f}:1 with the page ({' and '.join(TEXT_GROUNDS)}), under the "
            f"{TEXT_CONTRAST}:1 text needs (WCAG AA)")


def text_colour(name: str, colors: dict[str, str], cmyk: dict[str, list[float]]
                ) -> tuple[str, list[float]]:
    """Colour ``name`` as text may take it, on screen and for the press: the colour itself
    when its contrast with every ground (:data:`TEXT_GROUNDS`) reaches
    :data:`TEXT_CONTRAST`, else the least mixture of it with the ink that does, in steps of
    5 % (the same mixture of their CMYK values for the press), the ink itself at worst."""
    for step in range(21):
        share = step / 20  # of the ink
        mixed = _mix(colors[name], colors["ink"], share)
        if step == 0 and text_contrast(colors[name], colors) >= TEXT_CONTRAST:
            return colors[name], list(cmyk[name])
        if step == 20 or text_contrast(mixed, colors) >= TEXT_CONTRAST:
            return mixed, [round(a * (1 - share) + b * share, 1)
                           for a, b in zip(cmyk[name], cmyk["ink"], strict=True)]
    raise AssertionError("unreachable: the last step is the ink")


def _mix(colour: str, other: str, share: float) -> str:
    """``#rrggbb`` of ``colour`` with ``share`` (0 to 1) of ``other``, channel by channel."""
    channels = (round(int(colour[i:i + 2], 16) * (1 - share) + int(other[i:i + 2], 16) * share)
                for i in (1, 3, 5))
    return "#" + "".join(f"{channel:02x}" for channel in channels)
