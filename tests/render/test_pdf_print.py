"""The print edition (PDF/X-4), asserted as a printer's preflight and a reader would: boxes,
output intent, colour operators, fonts, bleed, facing pages; and the screen PDF beside it.

Each fixture brief is built in one build of both PDF editions, as ``briefpress build SLUG
--format pdf,print`` does, once per test run: test_pdf.py reads the same build
(conftest's ``built_once``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
import tinycss2
from PIL import Image
from tests.render.test_pdf import Page, Word, margins, pages_of

from briefpress.build import build
from briefpress.cli import main
from briefpress.model.brief import Brief
from briefpress.model.options import RenderOptions
from briefpress.read.brief import read_brief
from briefpress.render import FORMATS, design, pdf_layout, pdf_press
from briefpress.render import pdf as pdf_format
from conftest import ARCTIC, REAL, WATER, SharedBuild, edit

BLEED = 9.0
"""0.125 in, in points."""

EDGE = BLEED + pdf_press.SLUG
"""From the trim to the MediaBox's edge: the bleed, then the slug with the crop marks."""

RGB_OPERATORS = {"rg", "RG"}
COLOUR_SPACE_OPERATORS = {"cs", "CS"}


@dataclass
class Editions:
    brief: Brief
    screen: Path
    press: Path
    pages: list[Page]
    """The print file's pages as pdftotext reads them (within the TrimBox)."""


def trimmed(path: Path) -> list[Page]:
    """The pages of a print file as on the trimmed sheet: pdftotext reads the MediaBox,
    which the bleed makes larger on every side."""
    return [Page(page.width - 2 * EDGE, page.height - 2 * EDGE,
                 [Word(w.text, w.x0 - EDGE, w.y0 - EDGE, w.x1 - EDGE, w.y1 - EDGE)
                  for w in page.words])
            for page in pages_of(path)]


def _build(folder: Path, out: Path) -> Editions:
    screen, press = build([str(folder)], ["pdf", "print"], build_dir=out)
    return Editions(read_brief(folder), screen, press, trimmed(press))


def _shared(built_once: Callable[..., SharedBuild], folder: Path) -> Editions:
    """A fixture brief's PDF editions, built once for this file and test_pdf.py."""
    screen, press = built_once([folder], ["pdf", "print"]).outputs
    return Editions(read_brief(folder), screen, press, trimmed(press))


@pytest.fixture(scope="module")
def real(built_once: Callable[..., SharedBuild]) -> Editions:
    return _shared(built_once, REAL)


@pytest.fixture(scope="module")
def arctic(built_once: Callable[..., SharedBuild]) -> Editions:
    return _shared(built_once, ARCTIC)


@pytest.fixture(scope="module")
def water(built_once: Callable[..., SharedBuild]) -> Editions:
    """The second brief's shape: an issue brief by institutions, with a table, a figure,
    notes, citations and cross-references, of another publisher."""
    return _shared(built_once, WATER)


@pytest.fixture(params=["real", "arctic", "water"])
def built(request: pytest.FixtureRequest) -> Editions:
    return request.getfixturevalue(request.param)


def _box(page: pikepdf.Page, name: str) -> tuple[float, ...]:
    return tuple(float(v) for v in page.obj[name])


# --------------------------------------------------------------------------- the registry

def test_the_print_edition_is_its_own_format_and_file(built: Editions) -> None:
    slug = built.brief.slug
    assert FORMATS["print"].output(Path("b"), slug) == Path("b") / slug / f"{slug}-print.pdf"
    assert built.press.name == f"{slug}-print.pdf" and built.screen.name == f"{slug}.pdf"
    assert built.press.parent == built.screen.parent


# --------------------------------------------------------------------------- boxes

def test_every_page_has_a_trim_box_and_a_bleed_box_with_the_bleed(built: Editions) -> None:
    width, height = 612.0, 792.0  # US Letter by default
    pdf = pikepdf.open(built.press)
    for number, page in enumerate(pdf.pages, start=1):
        trim, bleed, media = (_box(page, n) for n in ("/TrimBox", "/BleedBox", "/MediaBox"))
        assert trim == (0, 0, width, height), f"page {number}"
        assert bleed == (-BLEED, -BLEED, width + BLEED, height + BLEED), f"page {number}"
        assert media == (-EDGE, -EDGE, width + EDGE, height + EDGE), f"page {number}"


def test_the_screen_pdf_has_no_bleed(built: Editions) -> None:
    pdf = pikepdf.open(built.screen)
    for page in pdf.pages:
        assert _box(page, "/MediaBox") == (0, 0, 612, 792)
        assert _box(page, "/TrimBox") == _box(page, "/MediaBox")


def test_a4_print_edition_trims_to_a4(tmp_path: Path) -> None:
    press, = build([str(ARCTIC)], ["print"], RenderOptions(page_size="a4"), build_dir=tmp_path)
    pdf = pikepdf.open(press)
    trim = _box(pdf.pages[0], "/TrimBox")
    assert (round(trim[2] - trim[0]), round(trim[3] - trim[1])) == (595, 842)


# --------------------------------------------------------------------------- colour

def test_output_intent_is_a_cmyk_profile_embedded_and_the_file_says_pdfx4(
        built: Editions) -> None:
    pdf = pikepdf.open(built.press)
    intent, = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFX"
    assert str(intent.OutputCondition) == pdf_layout.CMYK_CONDITION
    profile = intent.DestOutputProfile
    assert int(profile.N) == 4
    data = profile.read_bytes()
    assert data == pdf_layout.CMYK_PROFILE.read_bytes()
    assert data[16:20] == b"CMYK" and data[12:16] == b"prtr"  # an output (printer) profile
    xmp = str(pdf.open_metadata())
    assert "PDF/X-4" in xmp
    assert pdf.pdf_version == "1.6"
    assert str(pdf.docinfo.Trapped) == "/False"


def test_the_xmp_says_pdfx4_as_pdfx4_does_and_names_a_print_master(built: Editions) -> None:
    """PDF/X-4 names itself by pdfxid:GTS_PDFXVersion (GTS_PDFXConformance is a key of
    PDF/X-1a and PDF/X-3); the press file is the document's master rendition ("default"),
    not a review proof; and every date and id a PDF/X-4 reader looks for is there."""
    with pikepdf.open(built.press).open_metadata() as xmp:
        assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert "pdfx:GTS_PDFXConformance" not in xmp
        assert xmp["xmpMM:RenditionClass"] == "default"
        assert xmp["xmpMM:VersionID"] == "1"
        assert xmp["xmpMM:DocumentID"].startswith("uuid:")
        assert xmp["xmp:CreateDate"] and xmp["xmp:ModifyDate"] and xmp["xmp:MetadataDate"]


def _content_operators(page: pikepdf.Page | pikepdf.Object,
                       seen: set[tuple[int, int]]) -> Iterator[tuple[str, list]]:
    """Every operator of a page's content and of the form XObjects it draws, parsed."""
    for operands, operator in pikepdf.parse_content_stream(page):
        yield str(operator), list(operands)
    resources = page.get("/Resources", {}) if isinstance(page, pikepdf.Object) \
        else page.obj.get("/Resources", {})
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _content_operators(xobject, seen)


def test_no_rgb_colour_anywhere_in_the_print_file(built: Editions) -> None:
    pdf = pikepdf.open(built.press)
    spaces: set[str] = set()
    cmyk = 0
    for number, page in enumerate(pdf.pages, start=1):
        for operator, operands in _content_operators(page, set()):
            assert operator not in RGB_OPERATORS, f"page {number}: {operator} {operands}"
            if operator in COLOUR_SPACE_OPERATORS:
                spaces.add(str(operands[0]))
            cmyk += operator in ("k", "K", "scn", "SCN", "sc", "SC")
        for name, image in page.get_images().items():
            assert image.ColorSpace == "/DeviceCMYK", f"page {number}: image {name}"
    assert spaces == {"/DeviceCMYK"}
    assert cmyk > 50


def test_the_screen_pdf_stays_rgb_and_pdf_ua(built: Editions) -> None:
    pdf = pikepdf.open(built.screen)
    operators = {op for page in pdf.pages for op, _ in _content_operators(page, set())}
    assert "rg" in operators and "/OutputIntents" not in pdf.Root
    xmp = str(pdf.open_metadata())
    assert 'pdfuaid:part="1"' in xmp or "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "PDF/X" not in xmp


# --------------------------------------------------------------------------- fonts, bleed

def test_fonts_are_embedded(built: Editions) -> None:
    pdf = pikepdf.open(built.press)
    fonts = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            fonts[str(font.BaseFont)] = any(k in descendant.FontDescriptor for k in
                                            ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts


def _corners(path: Path, page: int, tmp_path: Path) -> list[tuple[int, int, int]]:
    """The colours just inside the four corners of a page's MediaBox (in the bleed)."""
    stem = tmp_path / f"page{page}"
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", str(page), "-l", str(page),
                    "-singlefile", str(path), str(stem)], check=True)
    with Image.open(f"{stem}.png") as image:
        rgb = image.convert("RGB")
        w, h = rgb.size
        # 3 pt into the bleed from its outer edge
        d = round(pdf_press.SLUG + 3)
        return [rgb.getpixel((x, y)) for x, y in ((d, d), (w - d - 1, d), (d, h - d - 1),
                                                   (w - d - 1, h - d - 1))]


def test_crop_marks_stand_outside_the_bleed_in_registration_colour(built: Editions) -> None:
    """Eight hairlines per page, on the lines of the trim, in the slug beyond the bleed,
    in all four plates: visible on a full-bleed navy page too, and trimmed away."""
    pdf = pikepdf.open(built.press)
    for number, page in enumerate(pdf.pages, start=1):
        trim = _box(page, "/TrimBox")
        bleed = _box(page, "/BleedBox")
        instructions = list(_content_operators(page, set()))
        registration = [i for i, (op, operands) in enumerate(instructions)
                        if op == "K" and [float(v) for v in operands] == [1, 1, 1, 1]]
        assert registration, f"page {number}"
        points = [tuple(float(v) for v in operands)
                  for op, operands in instructions[registration[-1]:] if op in ("m", "l")]
        assert len(points) == 16, f"page {number}"
        for x, y in points:
            outside = x < bleed[0] or x > bleed[2] or y < bleed[1] or y > bleed[3]
            assert outside, (number, x, y)
            assert x in (trim[0], trim[2]) or y in (trim[1], trim[3]), (number, x, y)


def test_the_covers_run_into_the_bleed(built: Editions, tmp_path: Path) -> None:
    pages = len(pikepdf.open(built.press).pages)
    front = _corners(built.press, 1, tmp_path)
    assert all(max(pixel) < 80 for pixel in front[:2]), front  # the navy panel, top corners
    back = _corners(built.press, pages, tmp_path)
    assert all(max(pixel) < 80 for pixel in back), back  # the navy back cover, all round


# --------------------------------------------------------------------------- facing pages

def test_facing_pages_put_heads_and_folios_on_the_outer_edge(built: Editions) -> None:
    top, _, bottom, _ = margins()
    running = pdf_format.running_title(built.brief.meta.title)
    checked = 0
    for number, page in enumerate(built.pages[1:-1], start=2):
        if not page.words:
            continue  # the page left blank before the back cover
        folio = next(w for w in page.words if w.y0 >= page.height - bottom and
                     w.text == str(number))
        head = [w for w in page.words if w.y1 <= top]
        assert " ".join(w.text for w in head) == running
        middle = page.width / 2
        if number % 2 == 0:  # a left-hand page: outer edge on the left
            assert folio.x1 < middle and min(w.x0 for w in head) < 80, f"page {number}"
        else:
            assert folio.x0 > middle and max(w.x1 for w in head) > page.width - 80, \
                f"page {number}"
        checked += 1
    assert checked >= 3


def test_facing_margins_are_mirrored(built: Editions) -> None:
    inside, outside = (float(v.removesuffix("in")) * 72
                       for v in (design.tokens().page.facing.inside,
                                 design.tokens().page.facing.outside))
    top, _, bottom, _ = margins()
    for number, page in enumerate(built.pages[1:-1], start=2):
        body = [w for w in page.words if top < w.y0 and w.y1 < page.height - bottom]
        if not body:
            continue
        left, right = (inside, outside) if number % 2 else (outside, inside)
        assert min(w.x0 for w in body) >= left - 1, f"page {number}"
        assert max(w.x1 for w in body) <= page.width - right + 1, f"page {number}"


def test_the_layout_option_sets_single_pages_in_print_too(tmp_path: Path) -> None:
    press, = build([str(ARCTIC)], ["print"], RenderOptions(pdf_layout="single"),
                   build_dir=tmp_path)
    _, _, bottom, _ = margins()
    page = trimmed(press)[1]  # a left-hand page: the folio stays at the right
    folio = next(w for w in page.words if w.y0 >= page.height - bottom and w.text == "2")
    assert folio.x0 > page.width / 2


# --------------------------------------------------------------------------- the file

def test_both_editions_open_with_their_bookmarks_shown(built: Editions) -> None:
    for path in (built.screen, built.press):
        pdf = pikepdf.open(path)
        assert pdf.Root.PageMode == "/UseOutlines"
        assert len(pdf.open_outline().root) > 3


def test_the_print_edition_reads_back_to_the_source_outline(built: Editions) -> None:
    from briefpress.check.brief import compare_outlines
    assert compare_outlines(built.brief.outline(), pdf_format.read_outline(built.press),
                            "print", built.press) == []


def test_identical_bytes_on_two_builds_and_no_clock(arctic: Editions, tmp_path: Path) -> None:
    again, = build([str(ARCTIC)], ["print"], build_dir=tmp_path)
    assert again.read_bytes() == arctic.press.read_bytes()
    # PDF/X requires dates; with none known the file takes a fixed one, never the clock
    assert str(pikepdf.open(arctic.press).docinfo.CreationDate) == "D:19800101000000Z"


def test_source_date_epoch_dates_the_print_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709251200")
    press, = build([str(ARCTIC)], ["print"], build_dir=tmp_path)
    pdf = pikepdf.open(press)
    info = pdf.docinfo
    assert str(info.CreationDate) == str(info.ModDate) == "D:20240301000000Z"


def test_the_command_builds_both_editions_at_once(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(ARCTIC), "--format", "pdf,print", "--pdf-layout", "facing",
                 "--build-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "arctic-shipping.pdf" in out and "arctic-shipping-print.pdf" in out


# --------------------------------------------------------------------------- copying text

def test_letter_spaced_capitals_copy_as_words(built: Editions) -> None:
    """pdftotext, as a reader copying text: the spaced capitals come out as whole words."""
    meta = built.brief.meta
    labels = [meta.program.upper(), pdf_format.print_document(built.brief, RenderOptions()
                                                              ).label.upper()]
    labels += [area.title.upper() for area in built.brief.recommendations.areas]
    for path in (built.screen, built.press):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert not re.search(r"\b(?:[A-Z] ){3,}", text), re.search(r".*\b(?:[A-Z] ){3,}.*",
                                                                    text)
        flat = " ".join(text.split())
        for label in labels:
            assert " ".join(label.split()) in flat, (path.name, label)


# --------------------------------------------------------------------------- the cover

def test_the_lower_cover_carries_the_summary_and_the_foot(built: Editions) -> None:
    for page in (pages_of(built.screen)[0], built.pages[0]):
        lower = [w for w in page.words if w.y0 > page.height * 0.55]
        text = " ".join(w.text for w in lower)
        summary = pdf_format.cover_summary(built.brief)
        assert summary and 120 <= len(summary) <= pdf_format.COVER_SUMMARY[1]
        assert "IN BRIEF" in text
        assert " ".join(summary.split()[:6]) in text
        meta = built.brief.meta
        assert meta.publisher.name in text
        if meta.date is None:  # the foot names the publisher and its site, and invents no date
            assert meta.publisher.url.split("://")[1].removeprefix("www.").strip("/") in text
            assert not re.search(r"(January|March|June|December) \d{4}", text)
        else:  # the month and year of the front matter's date
            assert f"{meta.date:%B %Y}" in text


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Editions:
    root = tmp_path_factory.mktemp("dated")
    folder = root / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    edit(folder / "brief.md", "keywords:", 'date: 2024-03-15\nsummary: "Arctic traffic has '
         'quadrupled while the rules were written for a frozen ocean."\nkeywords:')
    return _build(folder, root / "out")


def test_a_dated_brief_shows_month_and_year_on_the_cover_and_the_colophon(
        dated: Editions) -> None:
    cover, back = dated.pages[0], dated.pages[-1]
    foot = " ".join(w.text for w in cover.words if w.y0 > cover.height * 0.85)
    assert "March 2024" in foot
    assert "Published March 2024" in " ".join(w.text for w in back.words)
    lower = " ".join(w.text for w in cover.words if w.y0 > cover.height * 0.55)
    assert "Arctic traffic has quadrupled while the rules were written" in lower


def _declarations(content: list) -> Iterator[tinycss2.ast.Declaration]:
    """Every declaration of a stylesheet's rules, @page and its margin boxes included."""
    for node in content:
        if node.type in ("qualified-rule", "at-rule") and node.content is not None:
            yield from _declarations(tinycss2.parse_blocks_contents(node.content))
        elif node.type == "declaration":
            yield node


COLOUR_NAMES = {"black", "white", "red", "navy", "blue", "gray", "grey", "silver"}


def test_the_print_stylesheets_name_every_colour_through_the_tokens() -> None:
    """A colour written in a stylesheet would escape the CMYK tokens (and the RGB ones):
    every colour in print.css and the print edition's sheets is a ``var(--color-…)``."""
    from briefpress.support.paths import STYLES

    for name in ("print.css", "print-facing.css", "print-press.css"):
        rules = tinycss2.parse_stylesheet((STYLES / name).read_text(encoding="utf-8"),
                                          skip_comments=True, skip_whitespace=True)
        checked = 0
        for declaration in _declarations(rules):
            if not any(part in declaration.lower_name for part in ("color", "background",
                                                                     "border")):
                continue
            checked += 1
            for token in declaration.value:
                assert token.type != "hash", (name, declaration.name)
                assert not (token.type == "function" and token.lower_name in
                            ("rgb", "rgba", "hsl", "hsla", "device-cmyk")), name
                assert not (token.type == "ident" and token.lower_value in COLOUR_NAMES), \
                    (name, declaration.name)
        assert checked > (20 if name == "print.css" else 0)


def test_what_is_wider_than_the_column_stays_within_the_trim_s_margins(
        tmp_path: Path) -> None:
    """A twelve-column table, a long word and a long line of code stay inside the facing
    margins of the print edition, never past the trim into the crop marks."""
    from tests.render.test_pdf import WIDE_BODY
    folder = tmp_path / "content" / "wide"
    shutil.copytree(ARCTIC, folder)
    head, _, _ = (folder / "brief.md").read_text(encoding="utf-8").partition(
        "# Executive Summary")
    (folder / "brief.md").write_text(head + WIDE_BODY, encoding="utf-8")
    built = _build(folder, tmp_path / "build")
    inside, outside = (float(v.removesuffix("in")) * 72
                       for v in (design.tokens().page.facing.inside,
                                 design.tokens().page.facing.outside))
    assert "2024" in {w.text for page in built.pages for w in page.words}
    for number, page in enumerate(built.pages[1:-1], start=2):
        left, right = (inside, outside) if number % 2 else (outside, inside)
        for word in page.words:
            assert left - 1 <= word.x0 and word.x1 <= page.width - right + 1, (number, word)
