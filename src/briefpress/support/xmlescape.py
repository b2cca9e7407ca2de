"""Escape text for XML written as strings (xml.sax.saxutils would import urllib, http, ssl)."""

from __future__ import annotations

import html


def xml_text(value: str) -> str:
    """``value`` escaped for XML character data."""
    return html.escape(value, quote=False)


def xml_attr(value: str) -> str:
    """``value`` as a double-quoted XML attribute value."""
    return f'"{html.escape(value)}"'
