"""Brands from the command line: two briefs of different brands in one build look different in
every edition (PDF screen and print, web page, Word styles), each passes `check`, and
editing the brand rebuilds what uses it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from tests.conftest import ARCTIC, ROOT, WATER, edit, seeded_cache

from briefpress.render.docx_fonts import obfuscate

BRIEFPRESS = str(Path(sys.executable).parent / "briefpress")
TIDEWATER = ROOT / "tests" / "fixtures" / "brands" / "tidewater"
HOUSE_NAVY, BRAND_NAVY = "#0b2545", "#0f4c5c"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFPRESS_CACHE": str(root / "cache")}
    return subprocess.run([BRIEFPRESS, *args], cwd=root, text=True, capture_output=True,
                          env=env, timeout=600)


def fills(pdf: Path, operators: str) -> set[tuple[float, ...]]:
    """Every fill colour set on the cover page with one of ``operators`` (``rg``: RGB;
    ``k scn``: CMYK, directly or in the DeviceCMYK space)."""
    with pikepdf.open(pdf) as document:
        page = document.pages[0]
        return {tuple(round(float(value), 3) for value in operands)
                for operands, op in pikepdf.parse_content_stream(page)
                if str(op) in operators.split()}


def rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(round(int(hex_colour[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> Path:
    root = tmp_path_factory.mktemp("brands")
    seeded_cache(root / "cache", warm_cache)  # its own, for the brand's logo and faces
    shutil.copytree(ARCTIC, root / "content" / "arctic-shipping")
    shutil.copytree(WATER, root / "content" / "water-security")
    shutil.copytree(TIDEWATER, root / "brands" / "tidewater")
    edit(root / "content" / "water-security" / "brief.md", "\nlang:", "\nbrand: tidewater\nlang:")
    result = run(root, "build", "--format", "pdf,print,docx,html")
    assert result.returncode == 0, result.stderr
    return root


def test_each_brief_passes_check_in_its_own_brand(project: Path) -> None:
    result = run(project, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pdfs_paint_each_brand_s_colours(project: Path) -> None:
    house = fills(project / "build" / "arctic-shipping" / "arctic-shipping.pdf", "rg")
    brand = fills(project / "build" / "water-security" / "water-security.pdf", "rg")
    assert rgb(HOUSE_NAVY) in house and rgb(HOUSE_NAVY) not in brand
    assert rgb(BRAND_NAVY) in brand and rgb(BRAND_NAVY) not in house


def test_the_print_pdfs_paint_each_brand_s_cmyk(project: Path) -> None:
    house = fills(project / "build" / "arctic-shipping" / "arctic-shipping-print.pdf", "k scn")
    brand = fills(project / "build" / "water-security" / "water-security-print.pdf", "k scn")
    assert (1.0, 0.78, 0.28, 0.52) in house and (1.0, 0.78, 0.28, 0.52) not in brand
    assert (0.85, 0.3, 0.3, 0.5) in brand and (0.85, 0.3, 0.3, 0.5) not in house


def test_the_web_pages_and_word_styles_take_each_brand(project: Path) -> None:
    for slug, navy, other in (("arctic-shipping", HOUSE_NAVY, BRAND_NAVY),
                              ("water-security", BRAND_NAVY, HOUSE_NAVY)):
        css = (project / "build" / slug / "assets" / "web.css").read_text(encoding="utf-8")
        assert f"--color-navy: {navy};" in css and other not in css
        with zipfile.ZipFile(project / "build" / slug / f"{slug}.docx") as docx:
            styles = docx.read("word/styles.xml").decode("utf-8")
        assert f'w:val="{navy[1:].upper()}"' in styles
        assert f'w:val="{other[1:].upper()}"' not in styles


def test_text_in_a_light_accent_takes_a_legible_darker_one(project: Path) -> None:
    # tidewater's amber on white is 2.28:1: its labels take #886735 (4.54:1 on its tint)
    out = project / "build" / "water-security"
    css = (out / "assets" / "web.css").read_text(encoding="utf-8")
    assert "--color-accent: #e09f3e;" in css and "--color-accent-text: #886735;" in css
    rule = css[css.index(".doc-label {"):]
    assert "color: var(--color-accent-text);" in rule[:rule.index("}")]
    with zipfile.ZipFile(out / "water-security.docx") as docx:
        styles = etree.fromstring(docx.read("word/styles.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    colours = {style.get(f"{w}styleId"): colour.get(f"{w}val")
               for style in styles.iter(f"{w}style") for colour in style.iter(f"{w}color")}
    assert colours["DocumentType"] == colours["FootnoteReference"] == "886735"
    result = run(project, "check")
    assert "brand.yml:8: warning: the accent #e09f3e has a contrast of 1.99:1" in result.stderr


def test_the_logo_and_wordmark_are_in_all_three_editions(project: Path) -> None:
    out = project / "build" / "water-security"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="brand-logo" aria-hidden="true"><svg' in page
    assert ">Tidewater</a>" in page and "alert" not in page and "example.org/tracker" not in page
    with zipfile.ZipFile(out / "water-security.docx") as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        document = docx.read("word/document.xml").decode("utf-8")
        # a PNG every reader shows (LibreOffice shows nothing of an SVG alone), described
        # by the brand's name, never by its data: URI
        logo, = (project / "cache" / "logos").glob("*.png")  # made once, kept
        assert not [n for n in media if n.endswith(".svg")]
        assert [n for n in media if docx.read(n) == logo.read_bytes()]
        assert logo.read_bytes().startswith(b"\x89PNG")
        assert "Tidewater" in document and "data:" not in document
        assert document.count('descr="Tidewater Institute logo"') == 2
    # the cover paints the logo (its sun is a colour of no token)
    assert rgb("#f2c14e") in fills(out / "water-security.pdf", "rg")


@pytest.mark.parametrize("edition", ["", "-print"])
def test_every_page_restores_what_it_saves_of_the_graphics_state(project: Path,
                                                                 edition: str) -> None:
    """The logo's SVG had an <image> whose outside reference was removed: WeasyPrint drew
    the page's own address in its place and left two states saved, so what followed on the
    cover (its footer, the print edition's crop marks) was drawn at the wrong scale or not
    at all."""
    for slug in ("water-security", "arctic-shipping"):
        with pikepdf.open(project / "build" / slug / f"{slug}{edition}.pdf") as document:
            for number, page in enumerate(document.pages, 1):
                depth = lowest = 0
                for _, op in pikepdf.parse_content_stream(page):
                    depth += {"q": 1, "Q": -1}.get(str(op), 0)
                    lowest = min(lowest, depth)
                assert (depth, lowest) == (0, 0), (slug, edition, number)


def test_editing_the_brand_rebuilds_the_briefs_that_use_it(project: Path) -> None:
    edit(project / "brands" / "tidewater" / "brand.yml", '  navy: "#0f4c5c"', '  navy: "#10505f"')
    result = run(project, "build", "--format", "pdf,html")
    assert result.returncode == 0, result.stderr
    assert "water-security: built pdf, html" in result.stderr
    assert "arctic-shipping: pdf, html up to date" in result.stderr  # the house style's
    css = (project / "build" / "water-security" / "assets" / "web.css").read_text(
        encoding="utf-8")
    assert "--color-navy: #10505f;" in css


def font_names(pdf: Path) -> set[str]:
    """The fonts a PDF embeds, without their subset tags (``ABCDEF+``)."""
    with pikepdf.open(pdf) as document:
        return {str(font.get("/BaseFont")).lstrip("/").split("+", 1)[-1]
                for page in document.pages
                for font in (page.Resources.get("/Font") or {}).values()}


@pytest.mark.parametrize("edition", ["", "-print"])
def test_the_pdfs_embed_each_brand_s_faces(project: Path, edition: str) -> None:
    house = font_names(project / "build" / "arctic-shipping" / f"arctic-shipping{edition}.pdf")
    brand = font_names(project / "build" / "water-security" / f"water-security{edition}.pdf")
    assert not any("DejaVu" in name for name in house | brand)  # no font of the system
    # Fira Sans is on no system here: these come from the brand's folder
    assert {"Fira-Sans", "Fira-Sans-Italic"} <= brand
    assert any(name.startswith("Fira-Sans-Medium") for name in brand)
    assert not any(name.startswith("Source") for name in brand), brand
    assert any(name.startswith("Source-Serif-4") for name in house)
    assert not any("Fira" in name for name in house), house


def test_the_web_pages_ship_each_brand_s_faces(project: Path) -> None:
    out = project / "build" / "water-security" / "assets"
    css = (out / "web.css").read_text(encoding="utf-8")
    assert '--font-serif: "Fira Sans",' in css and '--font-sans: "Fira Sans Medium",' in css
    assert 'src: url("fonts/tidewater/fonts/FiraSans-Regular.woff2") format("woff2");' in css
    assert "Source Serif 4" not in css and "unicode-range" not in css
    shipped = {p.relative_to(out / "fonts").as_posix() for p in (out / "fonts").rglob("*")
               if p.is_file()}
    assert shipped == {f"tidewater/fonts/{name}" for name in (
        "FiraSans-Regular.woff2", "FiraSans-Italic.woff2", "FiraSans-Medium.woff2",
        "FiraSans-MediumItalic.woff2", "OFL-FiraSans.txt")}
    for name in shipped:
        assert (out / "fonts" / name).read_bytes() == (
            TIDEWATER / name.removeprefix("tidewater/")).read_bytes()
    house = (project / "build" / "arctic-shipping" / "assets" / "web.css").read_text("utf-8")
    assert "Fira" not in house and '--font-serif: "Source Serif 4",' in house


def test_the_word_files_name_and_embed_each_brand_s_faces(project: Path) -> None:
    for slug, serif, sans in (("water-security", "Fira Sans", "Fira Sans Medium"),
                              ("arctic-shipping", "Source Serif 4", "Source Sans 3")):
        with zipfile.ZipFile(project / "build" / slug / f"{slug}.docx") as docx:
            styles = docx.read("word/styles.xml").decode("utf-8")
            table = docx.read("word/fontTable.xml").decode("utf-8")
            rels = docx.read("word/_rels/fontTable.xml.rels").decode("utf-8")
            parts = {name: docx.read(name) for name in docx.namelist()
                     if name.startswith("word/fonts/")}
        assert f'w:ascii="{serif}"' in styles and f'w:ascii="{sans}"' in styles
        for other in (("Fira",) if slug == "arctic-shipping" else ("Source Serif",
                                                                    "Source Sans")):
            assert other not in styles and other not in table
        # each embedded face is the family its font table entry names (the files' own
        # name tables), so that Word finds it
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
        targets = {rel.get("Id"): rel.get("Target") for rel in etree.fromstring(rels.encode())}
        families = set()
        for font in etree.fromstring(table.encode()).iter(f"{w}font"):
            for slot in font:
                if slot.tag.startswith(f"{w}embed"):
                    data = obfuscate(parts["word/" + targets[slot.get(f"{r}id")]],
                                     slot.get(f"{w}fontKey"))
                    assert TTFont(io.BytesIO(data))["name"].getDebugName(1) == font.get(
                        f"{w}name")
                    families.add(font.get(f"{w}name"))
        assert families == {serif, sans}


def test_each_colophon_shows_its_brief_s_brand(project: Path) -> None:
    last = pypdf.PdfReader(project / "build" / "water-security" / "water-security.pdf").pages[-1]
    assert "Tidewater" in last.extract_text()
    page = (project / "build" / "water-security" / "index.html").read_text(encoding="utf-8")
    assert '<div class="colophon">\n  <p class="wordmark">Tidewater</p>' in page


@pytest.mark.libreoffice
def test_an_unedited_branded_word_file_saved_by_libreoffice_imports_as_no_change(
        project: Path) -> None:
    from office import soffice_convert

    built = project / "build" / "water-security" / "water-security.docx"
    resaved = soffice_convert(built, "docx:MS Word 2007 XML", project / "resaved",
                              project / "profile")
    with zipfile.ZipFile(resaved) as docx:  # LibreOffice kept the logo
        assert any(n.startswith("word/media/") for n in docx.namelist())
    result = run(project, "import", str(resaved), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "no changes to import" in result.stderr + result.stdout


def test_an_edit_of_the_lockup_is_refused_as_the_brand_s(project: Path,
                                                          tmp_path: Path) -> None:
    import docx as python_docx

    built = project / "build" / "water-security" / "water-security.docx"
    document = python_docx.Document(str(built))
    lockup = document.paragraphs[0]
    assert lockup.runs[-1].text == "Tidewater"
    lockup.runs[-1].text = "Tidewater Trust"
    edited = tmp_path / "lockup.docx"
    document.save(str(edited))
    result = run(project, "import", str(edited), "--dry-run")
    assert result.returncode == 2
    assert "changes the brand's logo and wordmark, which come from the brand `tidewater`" \
        in result.stderr
    assert "brands/tidewater/brand.yml instead" in result.stderr
    assert "document type" not in result.stderr


def test_a_brand_whose_logo_sets_text_in_a_font_is_refused(tmp_path: Path) -> None:
    # the tester's logo: its <text> came out in the system's DejaVu Sans in both PDFs
    shutil.copytree(WATER, tmp_path / "content" / "water-security")
    shutil.copytree(TIDEWATER, tmp_path / "brands" / "tidewater")
    edit(tmp_path / "content" / "water-security" / "brief.md", "\nlang:",
         "\nbrand: tidewater\nlang:")
    (tmp_path / "brands" / "tidewater" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">'
        '<text x="48" y="27" font-size="18">HBR</text></svg>', encoding="utf-8")
    result = run(tmp_path, "build", "--format", "pdf,print")
    assert result.returncode == 2
    assert "brands/tidewater/logo.svg:1: error: the logo sets text ('HBR' in a <text>)" \
        in result.stderr
    assert not (tmp_path / "build" / "water-security" / "water-security.pdf").exists()
