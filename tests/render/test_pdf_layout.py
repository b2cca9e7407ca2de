"""A PDF edition's HTML laid out into a tagged PDF by WeasyPrint, every resource through the
sandbox, within its time limit (render/pdf_layout.py); on small HTML pages, not whole briefs."""

from __future__ import annotations

import gc
import io
import signal
import tempfile
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from msgspec.structs import replace
from PIL import Image
from weasyprint.logger import LOGGER

from briefpress.errors import BriefError
from briefpress.model.brief import Brand, BrandFace, BrandFontFamily, Brief
from briefpress.model.options import RenderOptions
from briefpress.read.brief import read_brief
from briefpress.render import design, pdf_layout
from briefpress.render import pdf as pdf_format
from briefpress.render.pdf import BRAND_URL, BRIEF_URL
from briefpress.support.sandbox import Resource, Sandbox
from conftest import ARCTIC, ROOT, edit

PAGE = ('<!DOCTYPE html><html lang="en-US"><head><title>A page</title><style>{css}</style>'
        "</head><body><h1>A page</h1><p>Some text.</p>{body}</body></html>")


def page(body: str = "", css: str = "") -> str:
    return PAGE.format(body=body, css=css)


@pytest.fixture(autouse=True)
def _font_cache(warm_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The TrueType faces from the session's cache, not the project's build folder."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))


@pytest.fixture
def broken_image_brief(scratch) -> Brief:
    """The arctic brief whose figure, on line 38, is a file that is no image."""
    folder = scratch()
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n but not really")
    edit(folder / "brief.md", "(transits.png)", "(broken.png)")
    return read_brief(folder)


def _refused(brief: Brief, html: str, out: Path, **kwargs: object) -> list[tuple]:
    with pytest.raises(BriefError) as caught:
        pdf_layout.write_pdf(brief, html, out, RenderOptions(), **kwargs)  # type: ignore[arg-type]
    assert not out.exists()
    return [(p.file, p.line, p.message, p.fix) for p in caught.value.problems]


# --------------------------------------------------------------------------- the file

def test_a_page_becomes_a_tagged_pdf_ua_file_that_opens_with_its_bookmarks(
        arctic_brief: Brief, tmp_path: Path) -> None:
    out = tmp_path / "page.pdf"
    pdf_layout.write_pdf(arctic_brief, page('<img alt="Transits" src="transits.png">'), out,
                         RenderOptions())
    with pikepdf.open(out) as pdf:
        assert pdf.Root.PageMode == "/UseOutlines"
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        assert 'pdfuaid:part="1"' in str(pdf.open_metadata())
        assert "/OutputIntents" not in pdf.Root
        [image] = pdf.pages[0].get_images().values()  # the brief's image, fetched through BRIEF_URL
        assert (int(image.Width), int(image.Height)) == Image.open(ARCTIC / "transits.png").size


def test_archival_variant_is_pdfa_and_still_tagged(arctic_brief: Brief, tmp_path: Path) -> None:
    out = tmp_path / "page.pdf"
    pdf_layout.write_pdf(arctic_brief, page(), out, RenderOptions(pdf_variant="a"))
    with pikepdf.open(out) as pdf:
        xmp = str(pdf.open_metadata())
        assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="U"' in xmp
        assert str(pdf.Root.OutputIntents[0].S) == "/GTS_PDFA1"
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en-US"


def test_a_render_leaves_no_temporary_fonts_once_collected(
        arctic_brief: Brief, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where WeasyPrint puts its fonts
    face = design.font_files()[0]
    html = page(css=f'@font-face {{ font-family: "Face"; src: url("{face.as_uri()}") }} '
                'body { font-family: "Face" }')
    pdf_layout.write_pdf(arctic_brief, html, tmp_path / "first.pdf", RenderOptions())
    pdf_layout.write_pdf(arctic_brief, html, tmp_path / "second.pdf", RenderOptions())
    with pikepdf.open(tmp_path / "first.pdf") as pdf:
        fonts = [str(font.BaseFont) for font in pdf.pages[0].Resources.Font.values()]
        assert any(name.endswith("+Face") for name in fonts), fonts  # the face it was given
    gc.collect()  # WeasyPrint removes a font configuration's folder when it is collected
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
    assert not list(tmp_path.glob("weasyprint-*"))


# --------------------------------------------------------------------------- the print file

def test_the_print_file_names_its_output_condition_and_its_ids_by_the_source(
        arctic_brief: Brief, tmp_path: Path) -> None:
    """Undated, it takes the fixed date PDF/X requires rather than the clock; its ids come
    from the brief, its revision and the page set-up."""
    paths = [tmp_path / f"{n}.pdf" for n in range(3)]
    for path, layout in zip(paths, ["facing", "facing", "single"], strict=True):
        pdf_layout.write_pdf(arctic_brief, page(), path, RenderOptions(pdf_layout=layout),
                             "print")
    assert paths[0].read_bytes() == paths[1].read_bytes()
    with pikepdf.open(paths[0]) as pdf, pikepdf.open(paths[2]) as other:
        [intent] = pdf.Root.OutputIntents
        assert str(intent.S) == "/GTS_PDFX"
        assert str(intent.OutputCondition) == str(intent.Info) == pdf_layout.CMYK_CONDITION
        assert str(intent.OutputConditionIdentifier) == "Custom"
        assert str(pdf.docinfo.CreationDate) == str(pdf.docinfo.ModDate) == "D:19800101000000Z"
        assert "PDF/X-4" in str(pdf.open_metadata())
        assert bytes(pdf.trailer.ID[0]) != bytes(other.trailer.ID[0])
        assert pdf.open_metadata()["xmpMM:DocumentID"] != \
            other.open_metadata()["xmpMM:DocumentID"]


def test_a_missing_profile_stops_the_print_edition_with_the_package_to_install(
        arctic_brief: Brief, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absent = tmp_path / "absent" / "default_cmyk.icc"
    monkeypatch.setattr(pdf_layout, "CMYK_PROFILE", absent)
    [(file, line, message, fix)] = _refused(arctic_brief, page(), tmp_path / "print.pdf",
                                            edition="print")
    assert (file, line) == (arctic_brief.markdown_path, None)
    assert message == (f"the print edition needs the CMYK profile {absent}, which is not "
                       "installed")
    assert fix == "install the Debian package libgs-common (`make sysdeps` does, as root)"


def _png(mode: str, colour: tuple[int, ...] | int, **info: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (4, 2), colour).save(out, format="PNG", **info)
    return out.getvalue()


def test_raster_images_go_to_the_press_in_cmyk_transparency_on_white() -> None:
    red = pdf_layout._press_resource(Resource("u", _png("RGB", (255, 0, 0), dpi=(300, 300)),
                                              "image/png"))
    assert red.media_type == "image/jpeg" and red.url == "u"
    image = Image.open(io.BytesIO(red.data))
    assert image.mode == "CMYK" and image.size == (4, 2)
    assert round(image.info["dpi"][0]) == 300  # the size an author gave it on the page
    c, m, y, _ = image.getpixel((0, 0))
    assert c < 30 and m > 200 and y > 200
    clear = pdf_layout._press_resource(Resource("u", _png("RGBA", (255, 0, 0, 0)),
                                                "image/png"))
    assert max(Image.open(io.BytesIO(clear.data)).getpixel((0, 0))) < 10  # the paper's white
    assert "dpi" not in Image.open(io.BytesIO(clear.data)).info


@pytest.mark.parametrize("resource", [
    Resource("u", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    Resource("u", b"\x00\x01\x00\x00 a font", "font/ttf"),
    Resource("u", b"\x89PNG but broken", "image/png"),
], ids=["svg", "font", "unreadable"])
def test_what_the_press_need_not_convert_is_served_as_it_is(resource: Resource) -> None:
    assert pdf_layout._press_resource(resource) is resource


def test_a_cmyk_image_is_served_as_it_is() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (2, 2), (0, 100, 100, 0)).save(out, format="JPEG")
    resource = Resource("u", out.getvalue(), "image/jpeg")
    assert pdf_layout._press_resource(resource) is resource


# --------------------------------------------------------------------------- images

def test_images_without_alternative_text_are_refused_each_at_its_line(
        arctic_brief: Brief, tmp_path: Path) -> None:
    problems = _refused(arctic_brief, page('<img src="transits.png"><img alt=" " src="x.png">'
                                           '<img alt="Described" src="transits.png">'),
                        tmp_path / "page.pdf")
    assert problems == [
        (arctic_brief.markdown_path, 38, "image 'transits.png' has no alternative text",
         "describe it for readers who cannot see it: `![description](transits.png)`"),
        (arctic_brief.markdown_path, None, "image 'x.png' has no alternative text",
         "describe it for readers who cannot see it: `![description](x.png)`")]


def test_an_image_that_cannot_be_decoded_is_refused_at_its_line(
        broken_image_brief: Brief, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert pdf_layout.LOGGER is LOGGER  # the logger WeasyPrint writes to, reached by name
    monkeypatch.setattr(LOGGER, "propagate", True)  # as logging leaves it
    handlers = list(LOGGER.handlers)
    problems = _refused(broken_image_brief, page('<img alt="Transits" src="broken.png">'),
                        tmp_path / "page.pdf")
    assert problems == [(broken_image_brief.markdown_path, 38,
                         "image 'broken.png' cannot be read as an image",
                         "save it as PNG, JPEG, GIF, WebP or SVG")]
    # WeasyPrint's warnings were collected for the render only
    assert (LOGGER.handlers, LOGGER.propagate) == (handlers, True)


@pytest.mark.parametrize("body", [
    '<img alt="x" src="/etc/hostname">',
    '<a rel="attachment" href="/etc/hostname">the file</a>',  # fetched as the PDF is written
    '<img alt="x" src="file:///briefpress-brief/../../../../etc/hostname">',
], ids=["image", "attachment", "alias"])
def test_a_reference_out_of_the_brief_stops_the_render_with_the_sandbox_s_problem(
        arctic_brief: Brief, tmp_path: Path, body: str) -> None:
    [(file, line, message, fix)] = _refused(arctic_brief, page(body), tmp_path / "page.pdf")
    assert (file, line) == (arctic_brief.markdown_path, None)
    assert message.endswith("etc/hostname' is outside the brief's folder") and fix


# --------------------------------------------------------------------------- the fetcher

@pytest.fixture
def sandbox(arctic_brief: Brief) -> Sandbox:
    return Sandbox([ARCTIC], arctic_brief.markdown_path, arctic_brief.markdown)


def test_the_fetcher_serves_an_aliased_url_under_its_own_name(sandbox: Sandbox) -> None:
    """The URL WeasyPrint names the image by stays the alias, the same on every machine."""
    fetcher = pdf_layout.weasyprint_fetcher(sandbox, aliases={BRIEF_URL: ARCTIC})
    response = fetcher.fetch(f"{BRIEF_URL}transits.png")
    assert response.url == f"{BRIEF_URL}transits.png"
    assert response.read() == (ARCTIC / "transits.png").read_bytes()
    assert response.content_type == "image/png"
    direct = (ARCTIC / "transits.png").resolve().as_uri()
    assert fetcher.fetch(direct).url == direct


def test_the_fetcher_applies_its_transform(sandbox: Sandbox) -> None:
    def transform(resource: Resource) -> Resource:
        return Resource(resource.url, resource.data[:4], "image/x-test")

    fetcher = pdf_layout.weasyprint_fetcher(sandbox, transform=transform)
    response = fetcher.fetch((ARCTIC / "transits.png").resolve().as_uri())
    assert (response.read(), response.content_type) == (b"\x89PNG", "image/x-test")


@pytest.mark.parametrize(("url", "message"), [
    ("transits.png", "reference 'transits.png' is not a URL the renderer can resolve"),
    ("https://example.org/a.png", "reference 'https://example.org/a.png' is not a file of the "
                                  "brief: renders fetch nothing from the network"),
    ("file:///etc/hostname", "reference '/etc/hostname' is outside the brief's folder"),
])
def test_the_fetcher_refuses_what_the_sandbox_does_not_serve(sandbox: Sandbox, url: str,
                                                             message: str) -> None:
    fetcher = pdf_layout.weasyprint_fetcher(sandbox, aliases={BRIEF_URL: ARCTIC})
    with pytest.raises(BriefError) as caught:
        fetcher.fetch(url)
    [problem] = caught.value.problems
    assert (problem.file, problem.message) == (sandbox.source, message) and problem.fix


# --------------------------------------------------------------------------- fonts

def _brand() -> Brand:
    fonts = (ROOT / "tests" / "fixtures" / "brands" / "tidewater" / "fonts").resolve()
    face = BrandFace(fonts / "FiraSans-Regular.woff2", 400, "normal")
    return Brand("tidewater", "Tidewater", (), (), folder=fonts.parent,
                 fonts=(BrandFontFamily("serif", "Fira Sans", (face,)),))


def test_the_design_s_woff2_faces_are_served_as_truetype_and_other_files_as_they_are(
        tmp_path: Path) -> None:
    brand = _brand()
    serve = pdf_layout._TrueTypeFonts(brand)
    for path in (design.font_files()[0], brand.fonts[0].faces[0].path):
        served = serve(Resource("u", path.read_bytes(), "font/woff2", path))
        assert served.media_type == "font/ttf" and served.data[:4] == b"\x00\x01\x00\x00"
    stray = tmp_path / "stray.woff2"  # a .woff2 of the brief's folder is no face of the design
    for resource in (Resource("u", b"junk", "font/woff2", stray),
                     Resource("u", b"png", "image/png", ARCTIC / "transits.png"),
                     Resource("data:font/woff2,junk", b"junk", "font/woff2")):
        assert serve(resource) is resource
    assert pdf_layout._TrueTypeFonts(None).own == frozenset()


def test_a_brand_s_folder_serves_its_font_files_and_nothing_else(arctic_brief: Brief,
                                                                   tmp_path: Path) -> None:
    brief = replace(arctic_brief, brand=_brand())
    css = (f'@font-face {{ font-family: "Fira"; src: url("{BRAND_URL}fonts/FiraSans-Regular.woff2")'
           ' } body { font-family: "Fira" }')
    pdf_layout.write_pdf(brief, page(css=css), tmp_path / "ok.pdf", RenderOptions())
    with pikepdf.open(tmp_path / "ok.pdf") as pdf:
        names = [str(font.BaseFont) for font in pdf.pages[0].Resources.Font.values()]
        assert names and all(name.split("+")[1].startswith("Fira") for name in names), names
    for other in ("brand.yml", "logo.svg", "fonts/OFL-FiraSans.txt"):
        [(_, _, message, _)] = _refused(brief, page(f'<img alt="x" src="{BRAND_URL}{other}">'),
                                        tmp_path / "no.pdf")
        assert message.endswith("is outside the brief's folder"), message
    # a brief of no brand (or of a brand without fonts) has no such folder at all
    [(_, _, message, _)] = _refused(arctic_brief, page(css=css), tmp_path / "no.pdf")
    assert "FiraSans-Regular.woff2' is outside the brief's folder" in message


def test_a_brand_s_damaged_face_is_a_located_error() -> None:
    brand = _brand()
    face = brand.fonts[0].faces[0].path
    with pytest.raises(BriefError, match="the font cannot be decompressed") as raised:
        pdf_layout._TrueTypeFonts(brand)(Resource("u", b"wOF2 and then nothing", "font/woff2",
                                                  face))
    [problem] = raised.value.problems
    assert (problem.file, problem.line) == (face, None)
    assert problem.fix == "give the face's file as its foundry published it"


# --------------------------------------------------------------------------- the time limit

def test_the_time_limit_interrupts_the_block_and_again_if_the_first_is_swallowed() -> None:
    previous = signal.getsignal(signal.SIGALRM)
    interrupted = []
    started = time.monotonic()
    with pytest.raises(pdf_layout._OutOfTime), pdf_layout._time_limit(1):
        try:
            while time.monotonic() - started < 3:
                time.sleep(0.01)
        except BaseException:  # swallowed, as a careless ``except`` inside WeasyPrint might
            interrupted.append(time.monotonic() - started)
        while time.monotonic() - started < 3:
            time.sleep(0.01)
    elapsed = time.monotonic() - started
    assert 0.95 < interrupted[0] < 1.5  # after the limit
    assert 0.3 < elapsed - interrupted[0] < 1.0  # and half a second later
    # the timer is stopped and the handler of before restored
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == previous


def test_the_time_limit_ends_with_its_block_and_needs_the_main_thread() -> None:
    with pdf_layout._time_limit(1):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    errors = []

    def in_a_thread() -> None:
        try:
            with pdf_layout._time_limit(1):
                pass
        except Exception as exc:  # signal.signal would raise ValueError here
            errors.append(exc)

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert errors == []


FIGURE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200">'
              '<text x="10" y="40" font-family="sans-serif">Murmansk</text>'
              '<text x="10" y="80" font-family="serif">Bering Strait</text>'
              '<text x="10" y="120">Northern Sea Route</text>'
              '<text x="10" y="160" style="font: 12px Helvetica, Arial">Tromsø</text></svg>')
"""A chart whose labels name a generic family, none, or one of the machine's."""


def test_an_svg_figure_s_text_is_set_in_the_edition_s_own_faces(scratch, tmp_path: Path
                                                                 ) -> None:
    """Tester 13: the labels of an SVG figure (``font-family="sans-serif"``) were set in
    DejaVu Sans, a font of the build machine, in the PDF, and in Source Sans 3 in the Word
    file: the PDF sets them in the edition's faces too, a serif generic in the serif; the
    file in the brief's folder is untouched."""
    folder = scratch()
    (folder / "chart.svg").write_text(FIGURE_SVG, encoding="utf-8")
    # the page in the sans alone: the serif can only be the figure's serif label
    css = pdf_format.font_faces(brand=None) + 'body { font-family: "Source Sans 3" }'
    html = page('<img alt="A chart" src="chart.svg" style="width: 4in">', css)
    pdf_layout.write_pdf(read_brief(folder), html, tmp_path / "figure.pdf", RenderOptions())
    with pikepdf.open(tmp_path / "figure.pdf") as pdf:  # WeasyPrint names them on the page
        fonts = {str(font.BaseFont).split("+")[1].rstrip(",")
                 for font in pdf.pages[0].Resources.Font.values()}
    assert fonts == {"Source-Sans-3", "Source-Sans-3-Bold", "Source-Serif-4"}, fonts
    assert (folder / "chart.svg").read_text(encoding="utf-8") == FIGURE_SVG

