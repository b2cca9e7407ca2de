"""An SVG figure in the Word edition: a PNG every reader shows (the SVG kept for Word), the
same bytes from a cold or a warm cache, shown by LibreOffice, and kept through its saves:
an untouched file imports as no change and a caption edited in LibreOffice as that edit
alone, the figure still ``chart.svg`` in brief.md. A figure taller than the page fits it, with
its caption, in the Word file (as LibreOffice prints it), the PDF and the web page's window.
"""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree
from PIL import Image

from briefpress.build import build
from briefpress.importer import import_docx
from briefpress.render.docx_raster import FIGURE_PPI
from conftest import WATER, seeded_cache
from docxedit import DocxEditor
from office import soffice_convert
from uno_office import LibreOffice

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

CHART = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 240" width="400" height="240">
  <rect x="40" y="60" width="150" height="150" fill="#0f4c5c"/>
  <rect x="210" y="30" width="150" height="180" fill="#e36414"/>
  <text x="115" y="230" font-family="sans-serif" font-size="14" text-anchor="middle">2005</text>
  <text x="285" y="230" font-family="sans-serif" font-size="14" text-anchor="middle">2020</text>
</svg>
"""
ORANGE = (0xE3, 0x64, 0x14)
FIGURE_LINE = ("![Withdrawals from four shared basins, 2005–2020 (illustrative).](chart.svg)"
               "{#fig-withdrawals width=70%}")
EDITED_LINE = ("![Withdrawals from five shared basins, 2005–2020 (illustrative).](chart.svg)"
               "{#fig-withdrawals width=70%}")
"""The caption edited: only its words change, the attributes as the source wrote them."""
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
ASVG = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def svg_brief(root: Path) -> Path:
    """The water-security brief with its figure an SVG chart (labels as text)."""
    folder = root / "content" / WATER.name
    shutil.copytree(WATER, folder)
    (folder / "withdrawals.png").unlink()
    (folder / "chart.svg").write_text(CHART, encoding="utf-8")
    text = (folder / "brief.md").read_text(encoding="utf-8")
    old = FIGURE_LINE.replace("chart.svg", "withdrawals.png")
    assert old in text
    (folder / "brief.md").write_text(text.replace(old, FIGURE_LINE), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> dict[str, Path]:
    """The brief's Word edition (a cache without its figure), LibreOffice's saves of it over
    UNO (as it is, and with the caption edited), and its PDF as LibreOffice prints it."""
    root = tmp_path_factory.mktemp("svg-figures")
    folder = svg_brief(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFPRESS_CACHE", str(seeded_cache(root / "cache", warm_cache)))
        docx, = build([str(folder)], ["docx"], build_dir=root / "build")
    office = LibreOffice(root / "profile")
    try:
        results = office.edit([
            {"source": str(docx), "out": str(root / "unedited.docx"), "steps": [],
             "author": "Jane Editor"},
            {"source": str(docx), "out": str(root / "caption.docx"), "author": "Jane Editor",
             "steps": [{"op": "replace", "find": "four shared basins",
                        "with": "five shared basins"}]}])
    finally:
        office.close()
    assert not [r for r in results if r["error"]], results
    pdf = soffice_convert(docx, "pdf", root / "pdf", root / "profile-pdf")
    return {"root": root, "folder": folder, "docx": docx, "unedited": root / "unedited.docx",
            "caption": root / "caption.docx", "pdf": pdf}


def pictures(path: Path) -> list[tuple[str | None, str | None, bytes | None, tuple[int, int]]]:
    """Each picture of the Word file's body: the content type of its image (the blip's own),
    that of its SVG (``asvg:svgBlip``), the image's bytes and the picture's size in EMU."""
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): "word/" + r.get("Target", "") for r in rels}
        found = []
        for blip in document.iter(f"{A}blip"):
            image = targets.get(blip.get(f"{R}embed"))
            vector = blip.find(f".//{ASVG}svgBlip")
            svg = targets.get(vector.get(f"{R}embed")) if vector is not None else None
            extent = next(blip.iterancestors(f"{WP}inline")).find(f"{WP}extent")
            found.append((image and image.rsplit(".", 1)[1],
                          svg and svg.rsplit(".", 1)[1],
                          archive.read(image) if image else None,
                          (int(extent.get("cx")), int(extent.get("cy")))))
    return found


def source_diff(folder: Path) -> str:
    old = svg_brief_text()
    new = (folder / "brief.md").read_text(encoding="utf-8")
    return "".join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True), n=0))


def svg_brief_text() -> str:
    return (WATER / "brief.md").read_text(encoding="utf-8").replace(
        FIGURE_LINE.replace("chart.svg", "withdrawals.png"), FIGURE_LINE)


def test_the_figure_is_a_png_at_300_ppi_with_its_svg_for_word(built: dict[str, Path]) -> None:
    [(image, svg, png, (cx, cy))] = pictures(built["docx"])
    assert (image, svg) == ("png", "svg")
    assert png is not None
    shown = Image.open(io.BytesIO(png))
    assert shown.size == (round(cx / 914400 * FIGURE_PPI), round(cy / 914400 * FIGURE_PPI))
    assert shown.convert("RGB").getpixel((shown.width * 3 // 4, shown.height // 2)) == ORANGE


def test_the_same_source_gives_the_same_bytes_from_a_cold_and_a_warm_cache(
        built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = svg_brief(tmp_path)
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(built["root"] / "cache"))  # the PNG kept
    warm, = build([str(folder)], ["docx"], build_dir=tmp_path / "warm")
    assert list((built["root"] / "cache" / "figures").glob("figure-v1-typst*.png"))
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(tmp_path / "cold"))
    cold, = build([str(folder)], ["docx"], build_dir=tmp_path / "cold-build")
    assert warm.read_bytes() == cold.read_bytes() == built["docx"].read_bytes()


def test_libreoffice_shows_the_figure(built: dict[str, Path], tmp_path: Path) -> None:
    """Printed by LibreOffice, a page carries the chart's colours (an SVG alone showed
    nothing there)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(built["pdf"]), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    orange = 0
    for page in sorted(tmp_path.glob("page-*.png")):
        pixels = Image.open(page).convert("RGB").get_flattened_data()
        orange += sum(1 for p in pixels if all(abs(a - b) < 24 for a, b in zip(p, ORANGE,
                                                                              strict=True)))
    assert orange > 1000, "no figure on any page"


def test_the_file_as_built_imports_as_no_change(built: dict[str, Path], tmp_path: Path) -> None:
    folder = svg_brief(tmp_path)
    result = import_docx(built["docx"], str(folder), dry_run=True, build_dir=tmp_path / "b")
    assert result.unchanged, result.diff()


def test_libreoffice_keeps_the_png_and_the_untouched_file_imports_as_no_change(
        built: dict[str, Path], tmp_path: Path) -> None:
    """LibreOffice 7.4 saves the picture with its PNG alone (the SVG dropped): still the
    figure, which imports as no change."""
    [(image, _svg, _png, _size)] = pictures(built["unedited"])
    assert image == "png"
    folder = svg_brief(tmp_path)
    before = (folder / "brief.md").read_bytes()
    import_docx(built["unedited"], str(folder), build_dir=tmp_path / "b")
    assert (folder / "brief.md").read_bytes() == before
    assert (folder / "chart.svg").read_text(encoding="utf-8") == CHART
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["brief.md", "recommendations.yaml", "references.bib", "chart.svg"])


def test_a_caption_edited_in_libreoffice_is_that_edit_alone(
        built: dict[str, Path], tmp_path: Path) -> None:
    folder = svg_brief(tmp_path)
    import_docx(built["caption"], str(folder), build_dir=tmp_path / "b")
    assert source_diff(folder).splitlines()[3:] == [
        "-" + FIGURE_LINE, "+" + EDITED_LINE]
    assert (folder / "chart.svg").read_text(encoding="utf-8") == CHART
    assert not [p for p in folder.iterdir() if p.suffix == ".png"]


def test_a_caption_edited_in_the_file_as_built_is_that_edit_alone(
        built: dict[str, Path], tmp_path: Path) -> None:
    """The picture with its PNG and its SVG (as Word keeps it) maps back to chart.svg too."""
    doc = DocxEditor(built["docx"])
    doc.replace("Withdrawals from four shared basins", "four", "five")
    edited = doc.save(tmp_path / "edited.docx")
    folder = svg_brief(tmp_path)
    import_docx(edited, str(folder), build_dir=tmp_path / "b")
    assert source_diff(folder).splitlines()[3:] == [
        "-" + FIGURE_LINE, "+" + EDITED_LINE]
    assert not [p for p in folder.iterdir() if p.suffix == ".png"]


# -- a figure taller than the page -----------------------------------------------------------

TALL = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="4800">'
        '<rect width="600" height="4800" fill="#e36414"/></svg>')
"""pandoc makes it 6.2 by 50 in in the Word file: fitted to the page's width only."""
CAPTION = "Withdrawals from four shared basins"
TEXT_HEIGHT_IN = 11 - 0.9 - 0.95
"""The text area's height of the house's Letter page (styles/tokens.yaml)."""


@pytest.fixture(scope="module")
def tall(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> dict[str, Path]:
    """The brief with its figure 600 by 4,800 pixels at its own width, in every edition,
    and the Word edition as LibreOffice prints it."""
    root = tmp_path_factory.mktemp("tall-figure")
    folder = svg_brief(root)
    (folder / "chart.svg").write_text(TALL, encoding="utf-8")
    text = (folder / "brief.md").read_text(encoding="utf-8")
    (folder / "brief.md").write_text(text.replace("{#fig-withdrawals width=70%}",
                                                  "{#fig-withdrawals}"), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFPRESS_CACHE", str(seeded_cache(root / "cache", warm_cache)))
        build([str(folder)], ["pdf", "docx", "html"], build_dir=root / "build")
    built = root / "build" / folder.name
    pdf, docx, html = (built / f"{folder.name}.pdf", built / f"{folder.name}.docx",
                       built / "index.html")
    office_pdf = soffice_convert(docx, "pdf", root / "office", root / "profile-tall")
    return {"pdf": pdf, "docx": docx, "html": html, "office_pdf": office_pdf}


def orange(pdf: Path, folder: Path) -> list[tuple[int, int, int, int]]:
    """Each page of ``pdf`` that shows the figure's orange (drawn at 30 dpi): its number
    (from 0), the height of the orange and its width, and the page's height, in pixels."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(folder / "page")],
                   check=True, capture_output=True, timeout=120)
    found = []
    for number, path in enumerate(sorted(folder.glob("page-*.png"))):
        image = Image.open(path).convert("RGB")
        width, height = image.size
        pixels = image.load()
        rows = [y for y in range(height) if any(
            all(abs(a - b) < 24 for a, b in zip(pixels[x, y], ORANGE, strict=True))
            for x in range(0, width, 2))]
        columns = [x for x in range(width) if any(
            all(abs(a - b) < 24 for a, b in zip(pixels[x, y], ORANGE, strict=True))
            for y in rows[::2])] if rows else []
        if len(rows) > 20:
            found.append((number, len(rows), len(columns), height))
    return found


def pages_with(pdf: Path, words: str) -> list[int]:
    reader = pypdf.PdfReader(pdf)
    return [n for n, page in enumerate(reader.pages)
            if words in " ".join(page.extract_text().split())]


def test_a_tall_figure_fits_the_word_page_with_its_caption(tall: dict[str, Path],
                                                           tmp_path: Path) -> None:
    """The Word edition builds (it was refused), its picture scaled, shape kept, to the
    text area less room for the caption, and LibreOffice prints the two on one page."""
    [(_image, _svg, png, (cx, cy))] = pictures(tall["docx"])
    assert cy == round((TEXT_HEIGHT_IN - 1) * 914400)
    assert cx / cy == pytest.approx(600 / 4800, rel=1e-3)
    assert png is not None
    assert Image.open(io.BytesIO(png)).size == (round(cx / 914400 * FIGURE_PPI),
                                                round(cy / 914400 * FIGURE_PPI))
    assert_fits_with_caption(tall["office_pdf"], tmp_path / "office")


def assert_fits_with_caption(pdf: Path, folder: Path, caption: str | None = CAPTION) -> None:
    """The orange of ``pdf`` on one page, at most the text area less 1 in high (at 30 dpi),
    its shape kept, and on the page of ``caption``."""
    [(page, high, wide, _page_height)] = orange(pdf, folder)
    assert high <= (TEXT_HEIGHT_IN - 1) * 30 + 2
    assert wide / high == pytest.approx(600 / 4800, abs=0.02)
    if caption is not None:
        assert page in pages_with(pdf, caption)


def test_a_tall_figure_fits_the_pdf_page_with_its_caption(tall: dict[str, Path],
                                                          tmp_path: Path) -> None:
    """It ran off the foot of its page, its caption on the next."""
    assert_fits_with_caption(tall["pdf"], tmp_path / "pdf")


def test_a_tall_image_in_a_paragraph_fits_the_pdf_page(tmp_path: Path) -> None:
    """An image within a line of text (no figure) is held to the same height: it ran off
    the foot of its page."""
    folder = svg_brief(tmp_path)
    (folder / "chart.svg").write_text(TALL, encoding="utf-8")
    text = (folder / "brief.md").read_text(encoding="utf-8")
    (folder / "brief.md").write_text(text.replace(
        FIGURE_LINE, "Withdrawals rose, as the bars show: ![Withdrawals, tall.](chart.svg) "
        "and so on.").replace("@fig-withdrawals", "the bars"), encoding="utf-8")
    pdf, = build([str(folder)], ["pdf"], build_dir=tmp_path / "build")
    assert_fits_with_caption(pdf, tmp_path / "pdf", caption=None)


def test_a_tall_figure_fits_the_web_page_s_window(tall: dict[str, Path],
                                                  tmp_path: Path) -> None:
    """Laid out as a screen by WeasyPrint (whose window is the page), the web page's
    figure is at most 90% of the window high, whole on one page."""
    import weasyprint

    printed = tmp_path / "web.pdf"
    weasyprint.HTML(filename=tall["html"], media_type="screen").write_pdf(printed)
    [(_page, high, _wide, page_height)] = orange(printed, tmp_path / "web")
    assert high <= 0.9 * page_height + 2
