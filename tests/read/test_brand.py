"""read/brand.py: a brand named by the front matter, a program or briefpress.yaml is read from
brands/<name>/, its logo cleaned, and every mistake of its file reported at once, located."""

from __future__ import annotations

import shutil
from pathlib import Path

import msgspec
import pytest
from tests.conftest import ROOT, edit

from briefpress.errors import BriefError, display_path
from briefpress.read.brief import read_brief
from briefpress.render import design

TIDEWATER = ROOT / "tests" / "fixtures" / "brands" / "tidewater"


def with_brand(folder: Path, name: str = "tidewater") -> Path:
    """The project of the brief in ``folder`` with the tidewater brand as ``name``."""
    target = folder.parent.parent / "brands" / name
    shutil.copytree(TIDEWATER, target)
    return target


def name_brand(folder: Path, name: str = "tidewater") -> None:
    edit(folder / "brief.md", "\nlang:", f"\nbrand: {name}\nlang:")


def test_a_brand_the_front_matter_names_is_read_with_its_logo_cleaned(scratch) -> None:
    folder = scratch()
    with_brand(folder)
    name_brand(folder)
    brand = read_brief(folder).brand
    assert brand is not None
    assert brand.title == "Tidewater Institute" and brand.wordmark == "Tidewater"
    assert dict(brand.colors)["navy"] == "#0f4c5c"
    assert dict(brand.colors_cmyk)["navy"] == (85, 30, 30, 50)
    assert brand.logo_svg is not None and "<circle" in brand.logo_svg
    for unsafe in ("<script", "alert", "onclick", "https://example.org", "<?xml"):
        assert unsafe not in brand.logo_svg
    tokens = design.tokens(brand)
    assert tokens.colors["navy"] == "#0f4c5c"
    assert tokens.colors["ink"] == design.house_tokens().colors["ink"]  # not overridden
    assert "--color-accent: #e09f3e;" in design.css_variables(brand=brand)
    assert "--color-accent: device-cmyk(0 0.4 0.8 0.08);" in design.css_variables("cmyk", brand)


def test_no_brand_is_the_house_style(scratch) -> None:
    assert read_brief(scratch()).brand is None
    house = design.house_tokens()
    # the house's tokens, and the one colour derived from them (its red is legible as text)
    assert design.tokens(None) == msgspec.structs.replace(
        house, colors={**house.colors, "accent-text": "#c8102e"},
        colors_cmyk={**house.colors_cmyk, "accent-text": [2, 100, 85, 6]})


def test_a_brand_whose_accent_is_too_light_for_text_is_warned_about(scratch) -> None:
    folder = scratch()
    with_brand(folder)
    name_brand(folder)
    found = [p for p in read_brief(folder).findings if "accent" in p.message]
    assert [(p.file.name, p.line, p.severity) for p in found] == [("brand.yml", 8, "warning")]
    assert found[0].message == (
        "the accent #e09f3e has a contrast of 1.99:1 with the page (paper and tint), under "
        "the 4.5:1 text needs (WCAG AA): the editions set text in the accent in #886735 "
        "instead (4.54:1)")
    edit(folder.parent.parent / "brands" / "tidewater" / "brand.yml", '"#e09f3e"', '"#a0522d"')
    assert not [p for p in read_brief(folder).findings if "accent" in p.message]


def test_a_brand_may_not_give_the_accent_s_text_colour(scratch) -> None:
    """``accent-text`` is derived from the accent and the page (render/design.py): one a
    brand gave would be replaced; it is refused at its line instead."""
    folder = scratch()
    brand = with_brand(folder)
    name_brand(folder)
    edit(brand / "brand.yml", '  link: "#0f6b78"\n',
         '  link: "#0f6b78"\n  accent-text: "#000000"\n')
    edit(brand / "brand.yml", "  link: [88, 30, 30, 20]\n",
         "  link: [88, 30, 30, 20]\n  accent-text: [0, 0, 0, 100]\n")
    with pytest.raises(BriefError) as caught:
        read_brief(folder)
    found = [(p.line, p.message.split(":")[0]) for p in caught.value.problems]
    assert found == [(11, "`color.accent-text` is not a brand's to give"),
                     (18, "`color_cmyk.accent-text` is not a brand's to give")]
    assert all(p.fix.startswith("remove `accent-text:`") for p in caught.value.problems)


def without_accent(brand: Path) -> None:
    """The brand keeps the house's accent (its red, which reads on the house's page)."""
    edit(brand / "brand.yml", '  accent: "#e09f3e"\n', "")
    edit(brand / "brand.yml", "  accent: [0, 40, 80, 8]\n", "")


def test_a_brand_whose_page_makes_the_house_accent_too_light_is_warned_about(scratch) -> None:
    """The brand changes the tint, not the accent: the accent's text is still derived, and
    the warning is at the tint's line."""
    folder = scratch()
    brand = with_brand(folder)
    name_brand(folder)
    without_accent(brand)
    edit(brand / "brand.yml", '"#e6f2f1"', '"#f0c0c0"')
    found = [p for p in read_brief(folder).findings if "accent" in p.message]
    assert [(p.line, p.severity) for p in found] == [(8, "warning")]
    assert found[0].message == (
        "the accent #c8102e has a contrast of 3.64:1 with the page (paper and tint), under "
        "the 4.5:1 text needs (WCAG AA): the editions set text in the accent in #a6142d "
        "instead (4.71:1)")
    assert found[0].fix.startswith("choose an accent that reads on the brand's paper")


def test_a_dark_page_on_which_not_even_the_ink_reads_is_warned_about(scratch) -> None:
    """On dark paper the mixture ends at the ink and still fails: a warning says so,
    rather than naming a colour that reads."""
    folder = scratch()
    brand = with_brand(folder)
    name_brand(folder)
    without_accent(brand)
    edit(brand / "brand.yml", '  tint: "#e6f2f1"\n', '  tint: "#e6f2f1"\n  paper: "#101010"\n')
    edit(brand / "brand.yml", "  tint: [8, 0, 4, 2]\n", "  tint: [8, 0, 4, 2]\n"
         "  paper: [0, 0, 0, 95]\n")
    found = [p for p in read_brief(folder).findings if "accent" in p.message]
    assert [(p.line, p.severity) for p in found] == [(9, "warning")]
    assert found[0].message == (
        "the accent #c8102e has a contrast of 3.23:1 with the page (paper and tint), under "
        "the 4.5:1 text needs (WCAG AA), and no mixture of it with the ink #1d232b reaches "
        "it: the editions set text in the accent in #1d232b, at 1.20:1")
    assert found[0].fix.startswith("give the brand a paper and a tint the ink reads on")


def test_the_config_s_brand_and_a_program_s_brand_are_defaults(scratch) -> None:
    folder = scratch()
    with_brand(folder, "house")
    with_brand(folder, "polar")
    config = folder.parent.parent / "briefpress.yaml"
    config.write_text("brand: house\nprograms:\n  - id: polar\n    name: Polar Program\n"
                      "    brand: polar\n", encoding="utf-8")
    assert read_brief(folder).brand.name == "house"  # type: ignore[union-attr]
    edit(folder / "brief.md", "program: \"Polar Institute\"", "program: polar")
    assert read_brief(folder).brand.name == "polar"  # type: ignore[union-attr]
    name_brand(folder, "house")  # the brief's own word wins
    assert read_brief(folder).brand.name == "house"  # type: ignore[union-attr]


def test_an_unknown_brand_is_a_located_error_that_lists_the_brands(scratch) -> None:
    folder = scratch()
    with_brand(folder)
    name_brand(folder, "tidewaters")
    with pytest.raises(BriefError) as raised:
        read_brief(folder)
    [problem] = raised.value.problems
    assert problem.file == folder / "brief.md" and problem.line is not None
    assert "no brand `tidewaters`" in problem.message and "tidewater" in problem.fix


def test_every_mistake_of_a_brand_file_is_reported_at_once(scratch) -> None:
    folder = scratch()
    brand = with_brand(folder)
    name_brand(folder)
    path = brand / "brand.yml"
    edit(path, '  navy: "#0f4c5c"', '  navy: "navy"\n  teal: "#008080"')
    edit(path, "  accent: [0, 40, 80, 8]\n", "")
    edit(path, "logo: logo.svg", "logo: logo.png\nfonts: none")
    with pytest.raises(BriefError) as raised:
        read_brief(folder)
    found = {(p.line, p.message.split(" (")[0][:40]) for p in raised.value.problems}
    lines = path.read_text(encoding="utf-8").splitlines()
    line = {key: next(n for n, text in enumerate(lines, 1) if text.startswith(key))
            for key in ("  navy:", "  teal:", "  accent:", "logo:", "fonts:")}
    messages = [str(p) for p in raised.value.problems]
    assert all(p.file == path for p in raised.value.problems), messages
    assert {n for n, _ in found} >= {line["  navy:"], line["  teal:"], line["  accent:"],
                                     line["fonts:"]}, messages
    assert any("is not a colour" in m for m in messages)
    assert any("`color.teal` is no colour" in m for m in messages)
    assert any("`accent` has no CMYK value" in m for m in messages)
    assert any("unknown key 'fonts'" in m for m in messages)
    assert all("fix:" in m for m in messages)


def test_a_logo_that_is_not_svg_or_not_xml_is_refused(scratch) -> None:
    folder = scratch()
    brand = with_brand(folder)
    name_brand(folder)
    (brand / "logo.svg").write_text("<svg><unclosed></svg>", encoding="utf-8")
    with pytest.raises(BriefError, match="the logo is unusable: not well-formed XML"):
        read_brief(folder)
    edit(brand / "brand.yml", "logo: logo.svg", "logo: ../logo.svg")
    with pytest.raises(BriefError, match=r"brand.yml:\d+: error: the logo must be an .svg file"):
        read_brief(folder)


@pytest.mark.parametrize(("root", "message"), [
    ('width="0" height="0"', "the logo's width '0' is not a positive length"),
    ('width="40" height="-2mm"', "the logo's height '-2mm' is not a positive length"),
    ('width="wide" height="20"', "the logo's width 'wide' is not a positive length"),
    ('viewBox="0 0 0 0"', "the logo's viewBox '0 0 0 0' is not four numbers with a positive "
                          "width and height"),
    ('viewBox="0 0 40"', "the logo's viewBox '0 0 40' is not four numbers with a positive "
                         "width and height"),
    ('width="40"', "the logo has no size (neither a viewBox nor a width and a height): each "
                   "edition would give it its own"),
    ('width="100%" height="100%"', "the logo has no size (neither a viewBox nor a width and "
                                   "a height): each edition would give it its own"),
    ('viewBox="0 0 100000 1"', "the logo is 100000 times as wide as it is high (100000 by 1): "
                               "more than 20:1, which the editions cannot set beside the "
                               "wordmark"),
    ('viewBox="0 0 10 10" width="2in" height="4px"', "the logo is 48 times as wide as it is "
                                                      "high (192 by 4): more than 20:1, which "
                                                      "the editions cannot set beside the "
                                                      "wordmark"),
    ('viewBox="0 0 1 30" width="100%"', "the logo is 30 times as tall as it is wide (1 by "
                                        "30): more than 20:1, which the editions cannot set "
                                        "beside the wordmark")],
    ids=["zero", "negative", "no-length", "zero-viewbox", "short-viewbox", "no-size",
         "percent-of-nothing", "wide", "wide-by-units", "tall"])
def test_a_logo_of_no_size_or_an_extreme_shape_is_refused_at_its_svg(
        root: str, message: str, scratch) -> None:
    """typst refused a logo of no size with a traceback when the Word edition was made,
    and took minutes over one 100,000 times as wide as high: the brand loader refuses both,
    at the <svg>'s line, with the fix."""
    folder = scratch()
    brand = with_brand(folder)
    name_brand(folder)
    (brand / "logo.svg").write_text(
        f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" {root}>\n'
        '<rect width="1" height="1"/>\n</svg>\n', encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        read_brief(folder)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.message) == (brand / "logo.svg", 2, message)
    assert problem.fix


@pytest.mark.parametrize("root", ['viewBox="0 0 20 1"', 'viewBox="0,0,1,20"',
                                  'width="4cm" height="1cm"', 'width="100%" viewBox="0 0 3 1"'])
def test_a_logo_of_a_positive_size_up_to_20_to_1_is_read(root: str, scratch) -> None:
    folder = scratch()
    brand = with_brand(folder)
    name_brand(folder)
    (brand / "logo.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" {root}><rect width="1" height="1"/></svg>',
        encoding="utf-8")
    assert read_brief(folder).brand.logo_file == brand / "logo.svg"


def test_a_logo_that_sets_text_in_a_font_is_refused_at_each_text(scratch) -> None:
    folder = scratch()
    brand = with_brand(folder)
    name_brand(folder)
    (brand / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">\n'
        '<rect width="40" height="40" fill="#7a1f3d"/>\n'
        '<text x="48" y="27">HB<tspan>R</tspan></text>\n'
        '<g><text x="48" y="38"/></g>\n</svg>\n', encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        read_brief(folder)
    found = [(p.line, p.message) for p in caught.value.problems]
    assert found == [(3, "the logo sets text ('HBR' in a <text>) in a font: each edition "
                         "would take it from the system, and no font comes from the system"),
                     (4, "the logo sets text (in a <text>) in a font: each edition would "
                         "take it from the system, and no font comes from the system")]
    assert all(p.file == brand / "logo.svg" and "to outlines" in p.fix
               for p in caught.value.problems)


def test_a_brand_s_typography_sets_the_body_and_heading_faces_from_its_files(scratch) -> None:
    folder = scratch()
    target = with_brand(folder)
    name_brand(folder)
    brand = read_brief(folder).brand
    assert brand is not None
    fonts = {font.role: font for font in brand.fonts}
    assert fonts["serif"].family == "Fira Sans" and fonts["sans"].family == "Fira Sans Medium"
    assert [(f.path.name, f.weight, f.style, f.word_slot) for f in fonts["serif"].faces] == [
        ("FiraSans-Regular.woff2", 400, "normal", "embedRegular"),
        ("FiraSans-Italic.woff2", 400, "italic", "embedItalic")]
    assert fonts["sans"].licence == (target / "fonts" / "OFL-FiraSans.txt").resolve()
    tokens = design.tokens(brand)
    assert tokens.fonts.serif.family == "Fira Sans"
    assert tokens.fonts.sans.fallbacks == design.house_tokens().fonts.sans.fallbacks
    assert '--font-sans: "Fira Sans Medium", Calibri' in design.css_variables(brand=brand)
    # the brand's faces replace the bundled ones, declared whole (no unicode-range)
    assert {face.path.parent for face in design.font_faces(brand)} == {
        (target / "fonts").resolve()}
    css = design.font_face_css(lambda path: path.name, brand)
    assert 'src: url("FiraSans-Medium.woff2") format("woff2");' in css
    assert "unicode-range" not in css and "Source" not in css


def test_a_brand_may_set_only_the_headings(scratch) -> None:
    folder = scratch()
    target = with_brand(folder)
    name_brand(folder)
    edit(target / "brand.yml", "  base: Fira Sans\n", "")
    brand = read_brief(folder).brand
    assert brand is not None and [font.role for font in brand.fonts] == ["sans"]
    families = {face.family for face in design.font_faces(brand)}
    assert families == {"Source Serif 4", "Fira Sans Medium"}
    assert design.font_licences(brand) == [
        design.FONTS / "OFL-SourceSerif4.txt", (target / "fonts" / "OFL-FiraSans.txt").resolve()]


def test_every_mistake_of_a_brand_s_fonts_is_reported_at_once_at_its_line(scratch) -> None:
    folder = scratch()
    target = with_brand(folder)
    name_brand(folder)
    path = target / "brand.yml"
    (target / "fonts" / "Fake.woff2").write_text("not a font at all", encoding="utf-8")
    (folder.parent.parent / "outside.woff2").write_bytes(
        (target / "fonts" / "FiraSans-Italic.woff2").read_bytes())
    edit(path, "fonts/FiraSans-Regular.woff2", "fonts/Missing.woff2")
    edit(path, "fonts/FiraSans-Italic.woff2", "../../outside.woff2")
    edit(path, "fonts/FiraSans-Medium.woff2", "logo.svg")
    edit(path, "fonts/FiraSans-MediumItalic.woff2", "fonts/Fake.woff2")
    edit(path, "  base: Fira Sans\n", "    - family: Fira Mono\n"
         "      files: [{path: fonts/FiraSans-Regular.woff2}]\n  base: Fira Sans\n")
    edit(path, "  headings:\n    family: Fira Sans Medium", "  headings: Helvetica")
    with pytest.raises(BriefError) as raised:
        read_brief(folder)
    assert raised.value.exit_code == 2
    lines = path.read_text(encoding="utf-8").splitlines()

    def line(text: str) -> int:
        return next(n for n, found in enumerate(lines, 1) if text in found)

    found = {p.line: str(p) for p in raised.value.problems}
    assert all(p.file == path and p.fix for p in raised.value.problems), found
    assert "no font file" in found[line("fonts/Missing.woff2")]
    assert "outside the brand's folder" in found[line("../../outside.woff2")]
    assert "is no font file" in found[line("{path: logo.svg")]
    assert "not a font" in found[line("fonts/Fake.woff2")]
    assert "is a face of `Fira Sans`, not of `Fira Mono`" in found[
        line("FiraSans-Regular.woff2}]")]
    assert "`typography.headings` names `Helvetica`" in found[line("headings: Helvetica")]
    assert "never from the system" in found[line("headings: Helvetica")]
    assert len(raised.value.problems) == 6


def test_one_family_for_the_body_and_the_headings_is_declared_and_embedded_once(
        scratch, tmp_path: Path) -> None:
    from briefpress.render.docx_fonts import embedded_faces

    folder = scratch()
    target = with_brand(folder)
    name_brand(folder)
    edit(target / "brand.yml", "    family: Fira Sans Medium", "    family: Fira Sans")
    brand = read_brief(folder).brand
    assert brand is not None and [f.family for f in brand.fonts] == ["Fira Sans"] * 2
    faces = design.font_faces(brand)
    assert [(f.path.name, f.style) for f in faces] == [
        ("FiraSans-Regular.woff2", "normal"), ("FiraSans-Italic.woff2", "italic")]
    embedded = embedded_faces(tmp_path, brand)
    assert [(f.family, f.slot) for f in embedded] == [("Fira Sans", "embedRegular"),
                                                      ("Fira Sans", "embedItalic")]


def test_a_brand_s_font_names_are_read_once_then_from_the_cache(
        scratch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefpress.read import brand as brand_module

    folder = scratch()
    with_brand(folder)
    name_brand(folder)
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(tmp_path / "cache"))
    brand_module._NAMES.clear()
    first = read_brief(folder).brand
    assert len(list((tmp_path / "cache" / "fonts").glob("names-v1-*.json"))) == 4

    def no_font_tools(data: bytes) -> None:
        raise AssertionError("read the font again")

    # another process: nothing kept in memory, the names come from the cache on disk
    monkeypatch.setattr(brand_module, "_read_font_names", no_font_tools)
    brand_module._NAMES.clear()
    assert read_brief(folder).brand == first
    brand_module._NAMES.clear()


def test_a_brand_whose_text_colour_does_not_read_on_its_page_is_warned_about(scratch) -> None:
    """The ink, the muted grey, links and headings are set as the brand gives them: one
    that does not reach 4.5:1 on the brand's page is a warning at its own line, or at the
    line of the page's colour that makes it fail."""
    folder = scratch()
    brand = with_brand(folder)
    name_brand(folder)
    assert not [p for p in read_brief(folder).findings if "colour" in p.message]
    edit(brand / "brand.yml", '  link: "#0f6b78"\n', '  link: "#7fb8c0"\n')
    found = [p for p in read_brief(folder).findings if "`link` colour" in p.message]
    assert [(p.line, p.severity) for p in found] == [(10, "warning")]
    assert found[0].message.startswith("the `link` colour #7fb8c0 (links on screen) has a "
                                       "contrast of ")
    edit(brand / "brand.yml", '  link: "#7fb8c0"\n', '  link: "#0f6b78"\n')
    edit(brand / "brand.yml", '"#e6f2f1"', '"#7f8f8f"')  # a dark tint: the house's grey fails
    found = [p for p in read_brief(folder).findings if "`muted` colour" in p.message]
    assert [(p.line, p.severity) for p in found] == [(9, "warning")]


def test_a_value_of_the_wrong_kind_hides_none_of_the_brand_s_own_mistakes(scratch) -> None:
    """A brand file the schema refuses (a face's `weight: bold`) is still checked for what
    is well formed beside it: a misspelt font file, a `base:` that names no family, a
    missing logo and licence are said with it, sorted by line, each once (tester 11: they
    came a round later)."""
    folder = scratch()
    target = with_brand(folder)
    name_brand(folder)
    path = target / "brand.yml"
    edit(path, "weight: 500}", "weight: bold}")
    edit(path, "FiraSans-Italic.woff2", "FiraSans-Itallic.woff2")
    edit(path, "  base: Fira Sans\n", "  base: Fira Sanz\n")
    edit(path, "logo: logo.svg", "logo: logo-dark.svg")
    edit(path, "      license: fonts/OFL-FiraSans.txt\n      files:\n        - {path: "
         "fonts/FiraSans-Medium", "      license: fonts/OFL.txt\n      files:\n        - "
         "{path: fonts/FiraSans-Medium")
    with pytest.raises(BriefError) as raised:
        read_brief(folder)
    lines = path.read_text(encoding="utf-8").splitlines()

    def line(text: str) -> int:
        return next(n for n, found in enumerate(lines, 1) if text in found)

    found = [(p.line, str(p).split(": error: ")[1]) for p in raised.value.problems]
    shown = display_path(target)
    assert found == [
        (line("logo:"), f"no logo file `logo-dark.svg` in the brand's folder {shown} (fix: "
                        "did you mean `logo.svg`? Else add the file there)"),
        (line("Itallic"), "no font file `fonts/FiraSans-Itallic.woff2` in the brand's folder "
                          f"{shown} (fix: did you mean `fonts/FiraSans-Italic.woff2`? Else "
                          "add the file there)"),
        (line("fonts/OFL.txt"), f"no licence file `fonts/OFL.txt` in the brand's folder "
                                f"{shown} (fix: did you mean `fonts/OFL-FiraSans.txt`? Else "
                                "add the file there)"),
        (line("weight: bold"), "typography.fonts[1].files[0].weight: input should be a valid "
                               "integer (got 'bold') (fix: write a weight from 100 to 900, "
                               "e.g. `400` (regular) or `700` (bold))"),
        (line("base: Fira Sanz"), "`typography.base` names `Fira Sanz`, which is no family "
                                  "of `typography.fonts` (fonts come only from files in the "
                                  "brand's folder, never from the system or the network) "
                                  "(fix: did you mean `Fira Sans`?)")]
    assert all(p.file == path for p in raised.value.problems)


@pytest.mark.parametrize("typography", [
    "typography: 3\n",
    "typography:\n  fonts: Fira Sans\n  base: Fira Sans\n",
    "typography:\n  fonts: [x, {files: x}, {family: 1, files: [x, {path: 3}, {weight: 400}]},"
    " {family: A, files: [{path: \"a\\0b.woff2\"}], license: 5}]\n  base: [1]\n"
    "  headings: {family: 2}\n"])
def test_a_malformed_typography_is_said_by_the_schema_and_crashes_nothing(
        typography: str, scratch) -> None:
    """The brand's own font checks look only at the parts that are well formed: a family
    whose name is wrong is not one `base:` could name, so no `base:` is refused for it."""
    folder = scratch()
    target = with_brand(folder)
    name_brand(folder)
    path = target / "brand.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("typography:")] + typography, encoding="utf-8")
    with pytest.raises(BriefError) as raised:
        read_brief(folder)
    messages = [str(p) for p in raised.value.problems]
    assert messages and all(p.file == path and p.fix for p in raised.value.problems), messages
    assert not any("names `Fira Sans`, which is no family" in m for m in messages), messages
    assert not any("docs/writing.md" in m or "README" in m for m in messages), messages
    assert len(messages) == len(set(messages))


def test_a_colour_name_of_the_wrong_form_is_said_once_with_the_names_a_brand_may_give(
        scratch) -> None:
    folder = scratch()
    target = with_brand(folder)
    name_brand(folder)
    path = target / "brand.yml"
    edit(path, '  navy: "#0f4c5c"', '  Navy!: "#0f4c5c"')
    edit(path, '  tint: "#e6f2f1"', '  tint: "#e6f"')
    with pytest.raises(BriefError) as raised:
        read_brief(folder)
    found = [(p.line, p.message.split(" (")[0]) for p in raised.value.problems]
    assert found == [
        (6, "`color.Navy!` is no colour of the design tokens"),
        (9, "color.tint: is not a colour")]
    assert "navy-deep" in raised.value.problems[0].fix


@pytest.mark.parametrize(("value", "message"), [
    ("[0, 50, 100]", "color_cmyk.accent: list should have exactly 4 entries"),
    ("[0, 40, 80, 8, 0]", "color_cmyk.accent: list should have exactly 4 entries"),
    ("[0, 40, 180, 8]", "color_cmyk.accent[2]: should be at most 100.0 (got 180)"),
    ("red", "color_cmyk.accent: input should be a valid list (got 'red')")])
def test_a_cmyk_value_that_is_not_four_percentages_is_told_what_the_four_are(
        value: str, message: str, scratch) -> None:
    """`accent: [0, 50, 100]` was told "give exactly 4 entries", which names none of them."""
    folder = scratch()
    target = with_brand(folder)
    name_brand(folder)
    path = target / "brand.yml"
    edit(path, "  accent: [0, 40, 80, 8]", f"  accent: {value}")
    with pytest.raises(BriefError) as raised:
        read_brief(folder)
    line = path.read_text(encoding="utf-8").splitlines().index(f"  accent: {value}") + 1
    assert [(p.file, p.line, p.message, p.fix) for p in raised.value.problems] == [
        (path, line, message, "give four numbers, 0 to 100: `[C, M, Y, K]` (cyan, magenta, "
                              "yellow, black), e.g. `[100, 78, 28, 52]`")]
