"""The scheme a link would have in a browser, PDF viewer or Word, however it is spelt."""

from __future__ import annotations

import pytest

from briefpress.check.safety import url_scheme


@pytest.mark.parametrize(("url", "scheme"), [
    ("javascript:alert(1)", "javascript"),
    ("JaVaScRiPt:alert(1)", "javascript"),
    ("  javascript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),
    ("java\nscript:alert(1)", "javascript"),
    ("\x01javascript:alert(1)", "javascript"),
    ("java\u200bscript:alert(1)", "javascript"),  # a zero-width space
    ("%6Aava%73cript:alert(1)", "javascript"),
    ("%256Aavascript:alert(1)", "javascript"),  # escaped twice
    ("VBScript:msgbox", "vbscript"),
    ("data:text/html,<script>", "data"),
    ("FILE:///etc/passwd", "file"),
    ("https://example.org/a:b", "https"),
    ("mailto:a@example.org", "mailto"),
    ("notes/a:b.html", ""),
    ("#introduction", ""),
    ("", ""),
    ("1abc:x", ""),
])
def test_url_scheme(url: str, scheme: str) -> None:
    assert url_scheme(url) == scheme
