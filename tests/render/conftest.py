"""Shared fixtures of the render tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import ROOT

from briefpress.model.brief import Brand
from briefpress.read.brand import load_brand

# -- the Word edition's tests (test_docx_*.py) -------------------------------------------

@pytest.fixture(scope="session")
def tidewater() -> Brand:
    """The fixture brand tests/fixtures/brands/tidewater (its colours, logo and two Fira
    Sans families), read as a brief naming it would read it."""
    return load_brand(ROOT / "tests" / "fixtures", "tidewater", Path("brief.md"), None)
