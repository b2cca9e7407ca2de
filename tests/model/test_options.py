"""Render options (model/options.py): defaults, and a base URL checked when they are made."""

from __future__ import annotations

import pytest

from briefpress.errors import BriefError, Problem
from briefpress.model.options import RenderOptions


def test_the_defaults_are_the_project_s_paper_tagged_pdf_ua_and_no_base_url() -> None:
    """No paper size asked: the project's, else Letter (filled in by the build, which
    records the options as asked)."""
    assert RenderOptions() == RenderOptions(page_size=None, pdf_variant="ua",
                                            pdf_layout=None, base_url=None)
    assert RenderOptions().paper == "letter"
    assert RenderOptions().resolved("a4") == RenderOptions(page_size="a4")
    assert RenderOptions().resolved(None) == RenderOptions(page_size="letter")
    assert RenderOptions(page_size="letter").resolved("a4").paper == "letter"  # as asked


@pytest.mark.parametrize("url", ["https://www.example.org/briefs/", "http://localhost:8000"])
def test_an_absolute_http_base_url_is_taken(url: str) -> None:
    assert RenderOptions(base_url=url).base_url == url


@pytest.mark.parametrize("url", ["example.org", "javascript:alert(1)", "https://", "ftp://x.org",
                                 "//www.example.org/", ""])
def test_another_base_url_is_refused_when_the_options_are_made(url: str) -> None:
    with pytest.raises(BriefError) as caught:
        RenderOptions(page_size="a4", base_url=url)
    assert caught.value.problems == [Problem(
        "--base-url", None, f"base URL {url!r} is not an absolute http(s) URL",
        "give the address build/ is published at, e.g. https://www.example.org/briefs/")]
