"""The brand's logo as the Word edition's PNG: rasterised from the SVG, the same bytes each
time, made once and kept by the SVG's hash."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from briefpress.render.docx_logo import HEIGHT_IN, PPI, logo_png

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20" width="40" height="20">'
        '<rect width="20" height="20" fill="#0f4c5c"/></svg>')


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(tmp_path))
    return tmp_path


def test_the_logo_is_a_transparent_png_of_its_height_and_shape() -> None:
    image = Image.open(io.BytesIO(logo_png(LOGO)))
    assert image.format == "PNG"
    assert image.height == round(HEIGHT_IN * PPI)
    assert image.width == 2 * image.height  # the SVG's aspect ratio
    rgba = image.convert("RGBA")
    assert rgba.getpixel((image.height // 2, image.height // 2)) == (15, 76, 92, 255)
    assert rgba.getpixel((image.width - 2, image.height // 2))[3] == 0  # no background


def test_the_png_is_made_once_and_the_same_each_time(cache: Path) -> None:
    first = logo_png(LOGO)
    kept, = (cache / "logos").glob("logo-v1-*.png")
    assert kept.read_bytes() == first
    kept.write_bytes(b"kept")  # the second call reads the cache, not typst
    assert logo_png(LOGO) == b"kept"
    kept.unlink()
    assert logo_png(LOGO) == first  # deterministic: the same SVG, the same bytes
