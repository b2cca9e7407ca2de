"""The brand's logo as the Word edition's PNG: rasterised from the SVG, the same bytes each
time, made once and kept by the SVG's hash."""

from __future__ import annotations

import io
import time
from importlib.metadata import version
from pathlib import Path

import pytest
from PIL import Image

from briefpress.errors import BriefError
from briefpress.render.docx_raster import HEIGHT_IN, PPI, WIDTH_IN, logo_png

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
    kept, = (cache / "logos").glob("logo-v2-*.png")
    assert kept.read_bytes() == first
    other = io.BytesIO()
    Image.new("RGBA", (2, 1)).save(other, format="PNG")
    kept.write_bytes(other.getvalue())  # the second call reads the cache, not typst
    assert logo_png(LOGO) == other.getvalue()
    kept.unlink()
    assert logo_png(LOGO) == first  # deterministic: the same SVG, the same bytes


def test_the_cache_names_typst_s_version(cache: Path) -> None:
    """Another typst may draw the logo otherwise: a cache made with the old one is not
    used after an upgrade (the DOCX was rebuilt with the old PNG in it)."""
    logo_png(LOGO)
    kept, = (cache / "logos").glob("logo-v2-*.png")
    assert kept.name.startswith(f"logo-v2-typst{version('typst')}-")


@pytest.mark.parametrize("kept", [b"", b"kept", b"\x89PNG"], ids=["empty", "no-png", "cut"])
def test_a_cached_file_that_is_no_png_is_made_again(kept: bytes, cache: Path) -> None:
    first = logo_png(LOGO)
    cached, = (cache / "logos").glob("logo-v2-*.png")
    cached.write_bytes(kept)
    assert logo_png(LOGO) == first
    assert cached.read_bytes() == first


def test_a_logo_typst_cannot_read_is_an_error_naming_its_file(tmp_path: Path) -> None:
    """typst refuses an SVG of no size (the brand loader refuses it first, see
    tests/read/test_brand.py): a located error, not a traceback."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>'
    with pytest.raises(BriefError) as caught:
        logo_png(svg, tmp_path / "logo.svg")
    [problem] = caught.value.problems
    assert problem.file == tmp_path / "logo.svg"
    assert problem.message == ("the logo cannot be drawn for the Word edition (typst: failed "
                               "to parse SVG (width, height, or viewbox is invalid))")
    assert "Plain SVG" in problem.fix


def test_a_very_wide_logo_is_bounded_in_pixels() -> None:
    """The brand loader refuses a logo wider than 20:1; any other is scaled down to
    WIDTH_IN: 100,000 to 1 at the fixed height was an 18-million-pixel PNG (minutes)."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100000 1">'
           '<rect width="100000" height="1" fill="#0f4c5c"/></svg>')
    started = time.monotonic()
    image = Image.open(io.BytesIO(logo_png(svg)))
    assert time.monotonic() - started < 10
    assert image.width == round(WIDTH_IN * PPI) == 3600
    assert image.height <= 1
