"""The Word edition's SVG images as PNGs: the brand's logo and each figure rasterised from
the SVG, the same bytes each time, made once and kept by a hash of what they are made from;
a figure's PNG added to its picture beside the SVG."""

from __future__ import annotations

import hashlib
import io
import time
from importlib.metadata import version
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from briefpress.errors import BriefError
from briefpress.render.docx_fonts import EmbeddedFace, embedded_faces
from briefpress.render.docx_raster import (
    EMU_PER_IN,
    FIGURE_PPI,
    HEIGHT_IN,
    PPI,
    WIDTH_IN,
    SvgFigure,
    add_png_fallbacks,
    figure_png,
    figure_problem,
    fit_pictures,
    logo_png,
)
from conftest import seeded_cache

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


# -- figures -------------------------------------------------------------------------------

CHART = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
         '<rect width="100" height="100" fill="#e36414"/>'
         '<text x="150" y="60" font-size="40" {font}>Ag</text></svg>')
FIGURE = SvgFigure("chart.svg", Path("content/x/brief.md"), 12)
SANS = ["Source Sans 3", "Source Serif 4"]


@pytest.fixture(scope="module")
def faces(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> list[EmbeddedFace]:
    """The house faces the Word file embeds, from a cache of this module's seeded with the
    run's warm faces (merging them afresh costs 3 to 6 s)."""
    folder = seeded_cache(tmp_path_factory.mktemp("faces-cache"), warm_cache)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFPRESS_CACHE", str(folder))
        return embedded_faces(folder)  # as a build asks it: the cache's root


def chart(font: str = "") -> bytes:
    return CHART.format(font=font).encode("utf-8")


def draw(svg: bytes, faces: list[EmbeddedFace], width_in: float = 2.0,
         height_in: float = 1.0, families: list[str] = SANS) -> Image.Image:
    png = figure_png(svg, round(width_in * EMU_PER_IN), round(height_in * EMU_PER_IN), FIGURE,
                     faces, families)
    return Image.open(io.BytesIO(png))


def test_a_figure_is_a_png_of_its_shown_size_at_300_ppi(faces: list[EmbeddedFace]) -> None:
    image = draw(chart(), faces, 4.5, 2.25)
    assert image.format == "PNG"
    assert image.size == (round(4.5 * FIGURE_PPI), round(2.25 * FIGURE_PPI)) == (1350, 675)
    assert image.convert("RGB").getpixel((10, 10)) == (0xE3, 0x64, 0x14)


def test_a_figure_s_text_is_set_in_the_edition_s_fonts(faces: list[EmbeddedFace]) -> None:
    """No system font: a family the Word file embeds is used (quoted, as CSS wants a name
    with a digit), text of a serif generic gets the serif (as in the PDF: tester 13), and
    text of another family, or of none, the first of the fallback families; typst's own
    faces are only what typst ships."""
    sans = draw(chart("font-family=\"'Source Sans 3'\""), faces).tobytes()
    assert draw(chart('font-family="sans-serif"'), faces).tobytes() == sans
    assert draw(chart('font-family="Helvetica"'), faces).tobytes() == sans
    assert draw(chart(), faces).tobytes() == sans
    serif = draw(chart("font-family=\"'Source Serif 4'\""), faces).tobytes()
    assert serif != sans
    assert draw(chart('font-family="serif"'), faces).tobytes() == serif
    assert draw(chart(), faces, families=SANS[::-1]).tobytes() == serif
    # without the faces typst has only its own: the same text drawn otherwise
    assert draw(chart("font-family=\"'Source Sans 3'\""), [], families=[]).tobytes() != sans


def test_a_figure_is_made_once_and_named_by_what_it_is_made_from(
        cache: Path, faces: list[EmbeddedFace]) -> None:
    first = figure_png(chart(), EMU_PER_IN, EMU_PER_IN // 2, FIGURE, faces, SANS)
    kept, = (cache / "figures").glob("figure-v1-*.png")
    assert kept.name.startswith(f"figure-v1-typst{version('typst')}-")
    assert figure_png(chart(), EMU_PER_IN, EMU_PER_IN // 2, FIGURE, faces, SANS) == first
    figure_png(chart(), 2 * EMU_PER_IN, EMU_PER_IN, FIGURE, faces, SANS)  # another size
    figure_png(chart(), EMU_PER_IN, EMU_PER_IN // 2, FIGURE, faces[:2], SANS)  # other fonts
    assert len(list((cache / "figures").glob("figure-v1-*.png"))) == 3
    kept.unlink()
    assert figure_png(chart(), EMU_PER_IN, EMU_PER_IN // 2, FIGURE, faces, SANS) == first


@pytest.mark.parametrize(("width_in", "height_in"), [(6.5, 104.2), (23, 1), (21, 21)],
                         ids=["tall", "wide", "too-many-pixels"])
def test_a_figure_too_large_for_word_is_refused_at_its_line_at_once(
        width_in: float, height_in: float, faces: list[EmbeddedFace]) -> None:
    started = time.monotonic()
    with pytest.raises(BriefError) as caught:
        draw(chart(), faces, width_in, height_in)
    assert time.monotonic() - started < 1
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (FIGURE.file, FIGURE.line)
    assert problem.message.startswith(f"figure 'chart.svg' would be {width_in:.1f} in wide and "
                                      f"{height_in:.1f} in high in the Word edition, larger "
                                      "than a picture there can be")
    assert "viewBox" in problem.fix  # not a smaller width: a page's figure is fitted to it


def test_an_extreme_shape_within_the_bounds_is_one_pixel_thin(faces: list[EmbeddedFace]
                                                              ) -> None:
    assert draw(chart(), faces, 6.0, 0.00001).size == (1800, 1)


@pytest.mark.parametrize("svg", [b'<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>',
                                 b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">'
                                 + b'<g id="a0"><rect width="1" height="1"/></g>' + b"".join(
                                     b'<g id="a%d">' % n + b'<use href="#a%d"/>' % (n - 1) * 10
                                     + b"</g>" for n in range(1, 9)) + b'<use href="#a8"/></svg>'],
                         ids=["no-size", "a-billion-uses"])
def test_a_figure_typst_cannot_draw_is_an_error_at_its_line(svg: bytes,
                                                             faces: list[EmbeddedFace]) -> None:
    started = time.monotonic()
    with pytest.raises(BriefError) as caught:
        figure_png(svg, EMU_PER_IN, EMU_PER_IN, FIGURE, faces, SANS)
    assert time.monotonic() - started < 10
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (FIGURE.file, FIGURE.line)
    assert problem.message.startswith("figure 'chart.svg' cannot be drawn for the Word edition "
                                      "(typst: failed to parse SVG")
    assert "Plain SVG" in problem.fix


A = "http://schemas.openxmlformats.org/drawingml/2006/main"
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"


PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
LETTER_SECTION = ('<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1296" '
                  'w:right="1440" w:bottom="-1368" w:left="1440" w:header="720"/></w:sectPr>')
"""The Word edition's page: Letter, 0.9 in above the text and 0.95 in below (negative: a
margin the text may not move)."""


def package(svg: bytes, size: tuple[int, int] = (1828800, 914400),
            section: str = "") -> dict[str, bytes]:
    """The parts pandoc writes for one SVG picture (no raster image of its own) of ``size``
    (EMU), and a PNG picture beside it, the page's ``section`` properties after them."""
    document = (
        f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:r="{R}" xmlns:a="{A}" xmlns:pic="{PIC}" xmlns:wp="{WP}">'
        f'<w:body><w:p><w:r><w:drawing><wp:inline><wp:extent cx="{size[0]}" cy="{size[1]}"/>'
        '<a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip><a:extLst>'
        '<a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}">'
        '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
        'r:embed="rId9"/></a:ext></a:extLst></a:blip></pic:blipFill><pic:spPr><a:xfrm>'
        f'<a:off x="0" y="0"/><a:ext cx="{size[0]}" cy="{size[1]}"/></a:xfrm></pic:spPr>'
        '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><a:graphic>'
        '<a:graphicData><a:blip r:embed="rId8"/></a:graphicData></a:graphic></wp:inline>'
        f'</w:drawing></w:r></w:p>{section}</w:body></w:document>')
    rels = (f'<Relationships xmlns="{REL}">'
            f'<Relationship Id="rId8" Type="{R}/image" Target="media/rId8.jpg"/>'
            f'<Relationship Id="rId9" Type="{R}/image" Target="media/rId9.svg"/></Relationships>')
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="svg" ContentType="image/svg+xml"/></Types>')
    return {"word/document.xml": document.encode(), "word/_rels/document.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(), "word/media/rId9.svg": svg,
            "word/media/rId8.jpg": b"jpeg"}


def test_an_svg_picture_gets_its_png_as_its_own_image(faces: list[EmbeddedFace]) -> None:
    parts = package(chart())
    add_png_fallbacks(parts, {}, faces, None, Path("brief.md"))
    document = etree.fromstring(parts["word/document.xml"])
    svg_blip, png_blip = document.iter(f"{{{A}}}blip")
    assert svg_blip.get(f"{{{R}}}embed") == "rIdPng1"
    assert svg_blip.find(f".//{{{ASVG}}}svgBlip").get(f"{{{R}}}embed") == "rId9"  # kept
    assert png_blip.get(f"{{{R}}}embed") == "rId8"  # a picture with an image is left be
    rels = {r.get("Id"): (r.get("Type"), r.get("Target"))
            for r in etree.fromstring(parts["word/_rels/document.xml.rels"])}
    assert rels["rIdPng1"] == (f"{R}/image", "media/rId9.png")
    assert Image.open(io.BytesIO(parts["word/media/rId9.png"])).size == (600, 300)
    types = etree.fromstring(parts["[Content_Types].xml"])
    assert {(t.get("Extension"), t.get("ContentType")) for t in types} == {
        ("svg", "image/svg+xml"), ("png", "image/png")}


def test_a_package_without_svg_pictures_is_left_as_it_is(faces: list[EmbeddedFace]) -> None:
    parts = package(chart())
    del parts["word/media/rId9.svg"]
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"svgBlip", b"other")
    before = dict(parts)
    add_png_fallbacks(parts, {}, faces, None, Path("brief.md"))
    assert parts == before


def test_the_error_of_an_svg_picture_names_its_figure(faces: list[EmbeddedFace]) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>'
    figures = {hashlib.sha256(svg).hexdigest(): FIGURE}
    with pytest.raises(BriefError) as caught:
        add_png_fallbacks(package(svg), figures, faces, None, Path("brief.md"))
    assert [(p.file, p.line) for p in caught.value.problems] == [(FIGURE.file, FIGURE.line)]


def sizes(parts: dict[str, bytes]) -> list[tuple[int, int]]:
    """The SVG picture's size in the text (``wp:extent``) and its drawing's (``a:ext``)."""
    document = etree.fromstring(parts["word/document.xml"])
    return [(int(e.get("cx")), int(e.get("cy"))) for e in (
        *document.iter(f"{{{WP}}}extent"), *document.iter(f"{{{A}}}ext"))
        if e.get("cx") is not None][::2]


@pytest.mark.parametrize(("section", "height_in"), [(LETTER_SECTION, 9.15 - 1), ("", 9 - 1)],
                         ids=["the-page's", "word's-default-page"])
def test_a_picture_taller_than_the_page_is_fitted_to_it_and_drawn_at_that_size(
        section: str, height_in: float, faces: list[EmbeddedFace]) -> None:
    """pandoc made it 6.2 by 50 in (600 by 4,800 px): as Word shows such a picture, it is
    scaled, its shape kept, to the text area's height less 1 in for the caption; its
    drawing's size with it, and its PNG is drawn at that size."""
    parts = package(chart(), (round(6.25 * EMU_PER_IN), 50 * EMU_PER_IN), section)
    fit_pictures(parts)
    add_png_fallbacks(parts, {}, faces, None, Path("brief.md"))
    fitted = (round(6.25 * EMU_PER_IN * height_in / 50), round(height_in * EMU_PER_IN))
    assert sizes(parts) == [fitted, fitted]
    png = Image.open(io.BytesIO(parts["word/media/rId9.png"]))
    assert png.size == tuple(round(side / EMU_PER_IN * FIGURE_PPI) for side in fitted)


def test_a_picture_wider_than_the_text_is_fitted_to_its_width(
        faces: list[EmbeddedFace]) -> None:
    parts = package(chart(), (13 * EMU_PER_IN, 2 * EMU_PER_IN), LETTER_SECTION)
    fit_pictures(parts)
    add_png_fallbacks(parts, {}, faces, None, Path("brief.md"))
    assert sizes(parts) == [(round(6.5 * EMU_PER_IN), EMU_PER_IN)] * 2


def test_a_picture_within_the_page_keeps_its_size(faces: list[EmbeddedFace]) -> None:
    parts = package(chart(), (6 * EMU_PER_IN, 8 * EMU_PER_IN), LETTER_SECTION)
    before = parts["word/document.xml"]
    fit_pictures(parts)
    assert parts["word/document.xml"] == before  # the same bytes
    add_png_fallbacks(parts, {}, faces, None, Path("brief.md"))
    assert sizes(parts) == [(6 * EMU_PER_IN, 8 * EMU_PER_IN)] * 2


def test_a_raster_picture_taller_than_the_page_is_fitted_to_it_too() -> None:
    """A PNG of 300 by 3,000 px, which pandoc makes 4.17 by 41.7 in: fitted, as an SVG is,
    to the text area's height less the caption's room."""
    parts = package(chart(), (6 * EMU_PER_IN, 8 * EMU_PER_IN), LETTER_SECTION)
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b'<wp:extent cx="914400" cy="914400"/>',
        f'<wp:extent cx="{round(4.17 * EMU_PER_IN)}" cy="{round(41.7 * EMU_PER_IN)}"/>'.encode())
    fit_pictures(parts)
    document = etree.fromstring(parts["word/document.xml"])
    _svg, raster = (int(e.get("cy")) for e in document.iter(f"{{{WP}}}extent"))
    assert raster == round((9.15 - 1) * EMU_PER_IN)


def test_check_s_question_is_build_s_refusal_in_the_same_words(
        faces: list[EmbeddedFace]) -> None:
    """figure_problem (what check asks) says what figure_png (what build draws) refuses,
    and nothing of an SVG it draws."""
    assert figure_problem(chart(), FIGURE) is None
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>'
    with pytest.raises(BriefError) as caught:
        figure_png(svg, EMU_PER_IN, EMU_PER_IN, FIGURE, faces, SANS)
    assert figure_problem(svg, FIGURE) == caught.value.problems[0]
