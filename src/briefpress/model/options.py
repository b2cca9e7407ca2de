"""Options of a render, shared by every output format."""

from __future__ import annotations

from typing import Literal

from msgspec import Struct


class RenderOptions(Struct, frozen=True):
    """How to render: the same for every format of one build."""

    page_size: Literal["letter", "a4"] = "letter"
    """Paper size of the print PDF (US Letter by default: the publisher is in Washington)."""
    pdf_variant: Literal["ua", "a"] = "ua"
    """``ua``: tagged, accessible PDF/UA-1; ``a``: archival PDF/A (also tagged)."""
    base_url: str | None = None
    """Where the web edition will be published, for canonical and sharing URLs."""
