"""Turn the project's design tokens (styles/tokens.yaml) into a dictionary of values."""

from __future__ import annotations

import re
from typing import Any

import yaml

from briefpress.read.yamlfile import LOADER
from briefpress.support.files import cache_while_unchanged
from briefpress.support.paths import STYLES

TOKENS = STYLES / "tokens.yaml"
"""The house design: colours (screen and press), fonts, type scale, page."""


@cache_while_unchanged(lambda: [TOKENS])
def house_tokens() -> dict[str, Any]:
    """The design tokens, as written in styles/tokens.yaml (a brand validates its colours
    against their names; render/design.py turns them into CSS and Word values)."""
    return yaml.load(TOKENS.read_text(encoding="utf-8"), Loader=LOADER)


_LENGTH = re.compile(r"\s*([\d.]+)\s*(pt|em|in|mm|cm)?\s*")
_POINTS = {"pt": 1.0, None: 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}


def points(value: str | float, em: float | None = None) -> float:
    """A length of the tokens (``12pt``, ``1in``, ``20mm``, a bare number of points; ``0.6em``
    given the size of an ``em``) in points."""
    if isinstance(value, int | float):
        return float(value)
    found = _LENGTH.fullmatch(value)
    if found is None or (found.group(2) == "em" and em is None):
        raise ValueError(f"not a length of the design tokens: {value!r}")
    number, unit = found.groups()
    return float(number) * (em if unit == "em" else _POINTS[unit])  # type: ignore[operator]
