"""Turn the project's design tokens (styles/tokens.yaml) into a dictionary of values."""

from __future__ import annotations

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
