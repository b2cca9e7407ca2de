"""Files the text refers to: check reports every reference build would refuse, word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpress.check.files import check_files
from briefpress.cli import main
from briefpress.read.brief import read_brief
from conftest import edit, seeded_cache

FIGURE = "](transits.png){#fig-transits width=80%}"

UNDRAWABLE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">'
              '<g id="a0"><rect width="1" height="1"/></g>'
              + "".join(f'<g id="a{n}">' + f'<use href="#a{n - 1}"/>' * 10 + "</g>"
                        for n in range(1, 9)) + '<use href="#a8"/></svg>')
"""An SVG every edition reads, of a size, that typst refuses to draw (a billion uses)."""


def found(folder: Path) -> list[str]:
    return [str(p) for p in check_files(read_brief(folder))]


def test_the_fixture_brief_s_image_is_found(scratch):
    assert found(scratch()) == []


@pytest.mark.parametrize(("written", "why", "fix"), [
    ("missing.png", "does not exist", "check the file name; paths are relative to brief.md"),
    ("../elsewhere.png", "is outside the brief's folder",
     "copy the file into {folder}/ and refer to it by a relative path"),
    ("https://example.org/chart.png", "is not a file of the brief: renders fetch nothing "
     "from the network", "save the file in the brief's folder and refer to it by a relative "
     "path"),
    ("charts", "is not a file: it is a folder", "refer to an image file"),
])
def test_an_image_build_refuses_is_an_error_at_its_line(scratch, written, why, fix):
    folder = scratch()
    (folder / "charts").mkdir()
    edit(folder / "brief.md", FIGURE, f"]({written}){{#fig-transits width=80%}}")
    assert found(folder) == [f"{folder / 'brief.md'}:38: error: reference {written!r} {why} "
                             f"(fix: {fix.format(folder=folder)})"]


def test_a_file_that_is_no_image_is_an_error(scratch):
    folder = scratch()
    (folder / "notes.txt").write_text("notes", encoding="utf-8")
    edit(folder / "brief.md", FIGURE, "](notes.txt)")
    assert found(folder) == [f"{folder / 'brief.md'}:38: error: image 'notes.txt' is not an "
                             "image file (text/plain) (fix: refer to a PNG, JPEG, GIF, WebP or "
                             "SVG file)"]


def test_raw_html_and_recommendations_are_looked_at_where_they_are_written(scratch):
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\n<img src=\"gone.png\" alt=\"Gone\">\n")
    edit(folder / "recommendations.yaml", "Make position reporting mandatory",
         "![A map](nowhere.png) Make position reporting mandatory")
    assert found(folder) == [
        f"{folder / 'brief.md'}:58: error: reference 'gone.png' does not exist (fix: check "
        "the file name; paths are relative to brief.md)",
        f"{folder / 'recommendations.yaml'}:11: error: reference 'nowhere.png' does not exist "
        "(fix: check the file name; paths are relative to brief.md)"]


def test_check_fails_where_build_would(scratch, capsys, tmp_path):
    folder = scratch()
    edit(folder / "brief.md", FIGURE, "](missing.png){#fig-transits width=80%}")
    line = (f"{folder / 'brief.md'}:38: error: reference 'missing.png' does not exist "
            "(fix: check the file name; paths are relative to brief.md)")
    assert main(["check", str(folder)]) == 1
    assert line in capsys.readouterr().err.splitlines()
    assert main(["build", str(folder), "--format", "html",
                 "--build-dir", str(tmp_path / "build")]) == 2
    assert capsys.readouterr().err.splitlines() == [line]


def test_raw_html_loads_are_check_s_but_not_a_build_s_that_does_not_load_them(
        scratch, capsys, tmp_path):
    """The Word file carries no raw HTML, so a Word edition builds; check reports what the
    default editions (the PDF, the web page) would refuse. A <link> that loads nothing is
    left alone."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\n<object data=\"chart.svg\">A chart</object>\n\n"
         "<link rel=\"stylesheet\" href=\"print.css\"><link rel=\"canonical\" href=\"x.html\">\n")
    assert found(folder) == [
        f"{folder / 'brief.md'}:58: error: reference 'chart.svg' does not exist (fix: check "
        "the file name; paths are relative to brief.md)",
        f"{folder / 'brief.md'}:60: error: reference 'print.css' does not exist (fix: check "
        "the file name; paths are relative to brief.md)"]
    assert check_files(read_brief(folder), every_edition=False) == []
    assert main(["build", str(folder), "--format", "docx",
                 "--build-dir", str(tmp_path / "build")]) == 0


def test_a_file_about_to_be_added_is_not_missing(scratch):
    """An import checks its result before it writes the images it took from the Word file."""
    folder = scratch()
    edit(folder / "brief.md", FIGURE, "](media/image-1.png)")
    assert found(folder) != []
    assert check_files(read_brief(folder), adding=["media/image-1.png"]) == []


def test_an_image_without_alternative_text_is_check_s_as_the_pdf_s(scratch, capsys, tmp_path):
    """PDF/UA requires it, and the PDF edition refuses it with this message; the web page and
    the Word file build without it."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\nAs ![](transits.png) shows, and <img src=\"transits.png\" "
         "alt=\"the same\"> and ![](transits.png){alt=\"again\"} too.\n")
    line = (f"{folder / 'brief.md'}:58: error: image 'transits.png' has no alternative text "
            "(fix: describe it for readers who cannot see it: `![description](transits.png)`)")
    assert found(folder) == [line]
    assert check_files(read_brief(folder), every_edition=False) == []
    build_dir = str(tmp_path / "build")
    assert main(["build", str(folder), "--format", "html", "--build-dir", build_dir]) == 0
    capsys.readouterr()
    assert main(["build", str(folder), "--format", "pdf", "--build-dir", build_dir]) == 2
    [refused] = capsys.readouterr().err.splitlines()  # the PDF's: the same words
    assert refused.split(": ", 1)[1] == line.split(": ", 1)[1]


def test_a_captioned_figure_without_alternative_text_is_told_to_give_alt(
        scratch, capsys, tmp_path):
    """A figure's caption is the words in its brackets: the fix asks for `alt="…"` in its
    braces (a description put in the brackets, as the fix for an image alone says, would
    be printed as the caption, and the caption lost or said twice). The PDF edition refuses
    it in the same words."""
    folder = scratch()
    edit(folder / "brief.md", FIGURE, '](transits.png){#fig-transits alt="" width=80%}')
    line = (f"{folder / 'brief.md'}:38: error: image 'transits.png' has no alternative text "
            "(fix: describe it for readers who cannot see it: `alt=\"description\"` in the "
            "braces after `![…](transits.png)` (the words in the brackets are its caption))")
    assert found(folder) == [line]
    assert main(["build", str(folder), "--format", "pdf", "--build-dir",
                 str(tmp_path / "build")]) == 2
    [refused] = capsys.readouterr().err.splitlines()  # the PDF's: the same words
    assert refused.split(": ", 1)[1] == line.split(": ", 1)[1]


@pytest.mark.parametrize(("name", "data"), [("empty.png", b""),
                                            ("fake.png", b"GIF89a not really")])
def test_a_file_that_is_no_image_is_check_s_error_as_build_s(scratch, capsys, tmp_path,
                                                            name, data):
    folder = scratch()
    (folder / name).write_bytes(data)
    edit(folder / "brief.md", FIGURE, f"]({name}){{#fig-transits width=80%}}")
    line = (f"{folder / 'brief.md'}:38: error: reference {name!r} cannot be read as an image "
            "(fix: save it as PNG, JPEG, GIF, WebP or SVG)")
    assert found(folder) == [line]
    for edition in ("pdf", "docx"):
        assert main(["build", str(folder), "--format", edition,
                     "--build-dir", str(tmp_path / edition)]) == 2
        assert capsys.readouterr().err.splitlines() == [line], edition


def test_an_image_over_the_pixel_limit_is_check_s_as_build_s(scratch, capsys, tmp_path,
                                                             monkeypatch):
    from PIL import Image
    monkeypatch.setenv("BRIEFPRESS_LIMIT_IMAGE_MEGAPIXELS", "1")
    folder = scratch()
    Image.new("RGB", (1500, 1000)).save(folder / "big.png")
    edit(folder / "brief.md", FIGURE, "](big.png){#fig-transits width=80%}")
    line = (f"{folder / 'brief.md'}:38: error: reference 'big.png' is an image of "
            "1500\u00d71000 px (1.5 megapixels), over the limit of 1 megapixels (fix: scale it "
            "down: print needs at most about 300 pixels an inch at the size shown (some 2,500 "
            "pixels across a full page), or set BRIEFPRESS_LIMIT_IMAGE_MEGAPIXELS to raise the "
            "limit (default 40))")
    assert found(folder) == [line]
    assert main(["build", str(folder), "--format", "pdf",
                 "--build-dir", str(tmp_path / "build")]) == 2
    assert capsys.readouterr().err.splitlines() == [line]


def own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, warm_cache: Path) -> None:
    """A cache of the test's own, so that the SVG's PNG is made here and never taken from
    another test's, seeded with the run's warm house faces (a Word edition's build with a
    cold cache merges them: 3 to 6 s)."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(seeded_cache(tmp_path / "cache", warm_cache)))


def svg_figure(scratch, svg: str, attributes: str = "{#fig-transits width=80%}") -> Path:
    """The fixture brief with the SVG ``svg`` as its figure, ``chart.svg``."""
    folder = scratch()
    (folder / "chart.svg").write_text(svg, encoding="utf-8")
    edit(folder / "brief.md", FIGURE, f"](chart.svg){attributes}")
    return folder


@pytest.mark.parametrize(("svg", "why"), [
    (UNDRAWABLE,
     "figure 'chart.svg' cannot be drawn for the Word edition (typst: failed to parse SVG"),
    ("<svg", "image 'chart.svg' cannot be read as an SVG: not well-formed XML"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>',
     "SVG image 'chart.svg' has no usable size: its width '0' is not a positive length"),
], ids=["typst-cannot-draw", "no-xml", "zero-size"])
def test_an_svg_figure_the_word_edition_refuses_is_check_s_with_build_s_words(
        scratch, capsys, tmp_path, monkeypatch, warm_cache, svg, why):
    own_cache(monkeypatch, tmp_path, warm_cache)
    folder = svg_figure(scratch, svg)
    assert main(["check", str(folder)]) == 1
    [line] = [e for e in capsys.readouterr().err.splitlines() if ": error: " in e]
    assert line.startswith(f"{folder / 'brief.md'}:38: error: {why}")
    assert main(["build", str(folder), "--format", "docx",
                 "--build-dir", str(tmp_path / "build")]) == 2
    assert capsys.readouterr().err.splitlines() == [line]


def test_an_svg_figure_taller_than_the_page_is_no_error_and_builds(
        scratch, capsys, tmp_path, monkeypatch, warm_cache):
    own_cache(monkeypatch, tmp_path, warm_cache)
    folder = svg_figure(scratch, '<svg xmlns="http://www.w3.org/2000/svg" width="600" '
                        'height="4800"><rect width="600" height="4800" fill="#e36414"/></svg>',
                        "{#fig-transits}")
    assert found(folder) == []
    assert main(["build", str(folder), "--format", "docx",
                 "--build-dir", str(tmp_path / "build")]) == 0


def test_raw_html_s_svg_is_not_asked_what_the_word_edition_draws(
        scratch, capsys, tmp_path, monkeypatch, warm_cache):
    """pandoc's Word writer drops raw HTML: an ``<img>`` of an SVG typst cannot draw is no
    error, and the Word edition builds; the same SVG as a Markdown image after it is one."""
    own_cache(monkeypatch, tmp_path, warm_cache)
    folder = scratch()
    (folder / "chart.svg").write_text(UNDRAWABLE, encoding="utf-8")
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n\n",
         '# Conclusion {#conclusion}\n\n<img src="chart.svg" alt="A chart">\n\n')
    assert found(folder) == []
    assert main(["build", str(folder), "--format", "docx",
                 "--build-dir", str(tmp_path / "build")]) == 0
    edit(folder / "brief.md", FIGURE, "](chart.svg){#fig-transits width=80%}")
    [problem] = check_files(read_brief(folder))
    assert problem.line == 38 and "cannot be drawn for the Word edition" in problem.message


def test_each_use_of_an_image_without_alternative_text_is_named_at_its_own_line(scratch):
    """Tester 12: one picture used three times, with alternative text only the first time:
    the errors stood at the first use's line, once. Each use that lacks it, at its line."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n\n",
         "# Conclusion {#conclusion}\n\n![](transits.png)\n\nAgain:\n\n![](transits.png)\n\n")
    text = (folder / "brief.md").read_text(encoding="utf-8")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if "](transits.png)" in line]
    problems = [p for p in check_files(read_brief(folder)) if "alternative text" in p.message]
    assert [p.line for p in problems] == lines[-2:] and len(lines) == 3


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != ".lock"}


@pytest.mark.parametrize(("svg", "said"), [
    ("<svg\n", "image 'chart.svg' cannot be read as an SVG: not well-formed XML (Couldn't find "
     "end of Start Tag svg line 1, line 2, column 1) (fix: export the picture again as SVG, "
     "or as PNG)"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="600" height="300"/></svg>',
     "SVG image 'chart.svg' has no size (neither a viewBox nor a width and a height): the PDF "
     "and the web page would show it 300 by 150 pixels, cut off, and the Word file whole "
     "(fix: give the <svg> a viewBox, or width and height: the extent of its drawing, e.g. "
     'viewBox="0 0 600 300")')], ids=["no-xml", "no-size"])
def test_an_svg_figure_no_edition_shows_right_stops_the_build_before_any_edition(
        scratch, capsys, tmp_path, monkeypatch, warm_cache, svg, said):
    """Tester 13: a broken SVG figure failed the PDF and the Word file, but the web page was
    published with it (the check before the editions asked only the Word file's question,
    and only of the Word file); one without a size was shown cut to 300 by 150 pixels in the
    PDF and on the web page. Each is check's one error, and the build's, before any edition:
    exit 2, the earlier web page and its assets untouched."""
    own_cache(monkeypatch, tmp_path, warm_cache)
    folder = svg_figure(scratch, '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 '
                        '300"><rect width="600" height="300"/></svg>')
    build_dir = tmp_path / "build"
    assert main(["build", str(folder), "--format", "html", "--build-dir", str(build_dir)]) == 0
    before = _files(build_dir)
    assert f"{folder.name}/assets/media/chart.svg" in before
    (folder / "chart.svg").write_text(svg, encoding="utf-8")
    capsys.readouterr()
    line = f"{folder / 'brief.md'}:38: error: {said}"
    assert found(folder) == [line]
    assert main(["build", str(folder), "--format", "pdf,docx,html",
                 "--build-dir", str(build_dir)]) == 2
    assert capsys.readouterr().err.splitlines() == [line]
    assert _files(build_dir) == before
