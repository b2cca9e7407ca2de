"""The design tokens, and a brand laid over them, into CSS and font files (render/design.py)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from msgspec.structs import replace

from briefpress.model.brief import Brand, BrandFace, BrandFontFamily, Brief
from briefpress.model.schema import TokenFont, named_values
from briefpress.read.tokens import house_tokens
from briefpress.render import design
from briefpress.support.paths import FONTS
from conftest import ROOT

TIDEWATER_FONTS = (ROOT / "tests" / "fixtures" / "brands" / "tidewater" / "fonts").resolve()
LICENCE = TIDEWATER_FONTS / "OFL-FiraSans.txt"


def brand(*roles: str, family: str = "Fira Sans", licence: Path | None = LICENCE,
          wordmark: str | None = None) -> Brand:
    """A brand with one colour of its own and the family ``family`` (two faces) for
    ``roles``."""
    faces = (BrandFace(TIDEWATER_FONTS / "FiraSans-Regular.woff2", 400, "normal"),
             BrandFace(TIDEWATER_FONTS / "FiraSans-Italic.woff2", 400, "italic"))
    return Brand("tide", "Tidewater", colors=(("navy", "#0f4c5c"),),
                 colors_cmyk=(("navy", (85, 30, 30, 50)),), wordmark=wordmark,
                 folder=TIDEWATER_FONTS.parent,
                 fonts=tuple(BrandFontFamily(role, family, faces, licence) for role in roles))


# --------------------------------------------------------------------------- tokens

def test_every_colour_of_the_tokens_has_its_cmyk_form() -> None:
    tokens = design.tokens()
    assert set(tokens.colors_cmyk) == set(tokens.colors)
    for name, values in tokens.colors_cmyk.items():
        assert len(values) == 4 and all(0 <= v <= 100 for v in values), name
    assert design.cmyk_css("navy") == "device-cmyk(1 0.78 0.28 0.52)"
    # small text in black only: one plate, nothing to register
    assert tokens.colors_cmyk["ink"][:3] == tokens.colors_cmyk["muted"][:3] == [0, 0, 0]


def test_a_brand_overrides_its_colours_and_families_and_leaves_the_rest() -> None:
    house = house_tokens()
    before = msgspec.to_builtins(house)
    tokens = design.tokens(brand("sans"))
    accent, accent_cmyk = house.colors["accent"], house.colors_cmyk["accent"]
    assert tokens.colors == {**house.colors, "navy": "#0f4c5c", "accent-text": accent}
    assert tokens.colors_cmyk == {**house.colors_cmyk, "navy": [85, 30, 30, 50],
                                  "accent-text": accent_cmyk}
    # the brand's family, the house's fallbacks (for characters its face lacks)
    assert tokens.fonts.sans == TokenFont(family="Fira Sans",
                                          fallbacks=house.fonts.sans.fallbacks)
    assert tokens.fonts.serif == house.fonts.serif
    assert (tokens.type, tokens.spacing, tokens.page, tokens.font_subsets) == \
        (house.type, house.spacing, house.page, house.font_subsets)
    # the house's tokens, shared by every brief, are left alone
    assert msgspec.to_builtins(house) == before


def test_text_in_the_accent_takes_it_only_where_it_is_legible() -> None:
    house = design.tokens()
    # the house's red reaches AA on paper and tint: text takes it unchanged
    assert house.colors["accent-text"] == house.colors["accent"] == "#c8102e"
    assert house.colors_cmyk["accent-text"] == house.colors_cmyk["accent"]
    tidewater = replace(brand(), colors=(("accent", "#e09f3e"), ("tint", "#e6f2f1")),
                        colors_cmyk=(("accent", (0, 40, 80, 8)), ("tint", (8, 0, 4, 2))))
    colors = design.tokens(tidewater).colors
    assert colors["accent"] == "#e09f3e"  # rules and bars keep the brand's accent
    text = colors["accent-text"]
    assert design.text_contrast(text, colors) >= 4.5
    # the least darkening that does: 45 % of the ink (#1d232b); 40 % (#926d36) would not
    assert text == "#886735"
    assert design.text_contrast("#926d36", colors) < 4.5
    # the press mixes the same shares of the CMYK values
    assert design.tokens(tidewater).colors_cmyk["accent-text"] == [0.0, 22.0, 44.0, 44.9]
    assert "--color-accent-text: #886735;" in design.css_variables(brand=tidewater)
    assert "--color-accent-text: device-cmyk(0 0.22 0.44 0.449);" in design.css_variables(
        "cmyk", brand=tidewater)


def test_cmyk_css_gives_fractions_of_the_percentages() -> None:
    assert design.cmyk_css("navy", brand()) == "device-cmyk(0.85 0.3 0.3 0.5)"
    paper = house_tokens().colors_cmyk["paper"]
    assert design.cmyk_css("paper") == "device-cmyk(" + " ".join(
        f"{v / 100:g}" for v in paper) + ")"
    with pytest.raises(KeyError):
        design.cmyk_css("no-such-colour")


def test_css_variables_hold_every_token_as_a_custom_property() -> None:
    house = house_tokens()
    css = design.css_variables()
    assert css.startswith(":root {\n") and css.endswith("\n}\n")
    lines = css.splitlines()[1:-1]
    assert len(lines) == len(set(lines))
    for name, value in house.colors.items():
        assert f"  --color-{name}: {value};" in lines
    for name, value in named_values(house.type):
        if name != "leading":
            assert f"  --type-{name}: {value}pt;" in lines
    assert "  --type-h1: 20pt;" in lines  # a whole number of points as written
    assert f"  --leading: {house.type.leading};" in lines
    assert not [line for line in lines if line.startswith("  --type-leading")]
    for name, value in named_values(house.spacing):
        assert f"  --space-{name}: {value};" in lines
    assert "  --space-box-padding: 12pt;" in lines  # the token's name as YAML writes it
    assert f"  --measure: {house.page.measure};" in lines
    assert f"  --font-serif: {design.font_stack('serif')};" in lines


def test_css_variables_for_the_press_give_every_colour_in_cmyk() -> None:
    css = design.css_variables("cmyk", brand())
    for name in house_tokens().colors:
        assert f"  --color-{name}: {design.cmyk_css(name, brand())};" in css
    assert "#" not in css


# --------------------------------------------------------------------------- fonts

def test_the_bundled_faces_are_every_face_in_every_subset_in_a_fixed_order() -> None:
    house = house_tokens()
    faces = design.font_faces()
    assert [(f.role, f.weight, f.style, f.subset) for f in faces] == [
        (role, face.weight, face.style, subset)
        for role, font in house.fonts.roles().items() for face in font.faces
        for subset in house.font_subsets]
    for face in faces:
        assert face.path.parent == FONTS and face.path.is_file(), face.path
        assert face.subset in face.path.name and str(face.weight) in face.path.name
        assert face.family == house.fonts.roles()[face.role].family
        assert face.unicode_range == house.font_subsets[face.subset]
    assert design.font_files() == [face.path for face in faces]


def test_a_brand_s_faces_replace_the_bundled_ones_of_its_roles_only() -> None:
    faces = design.font_faces(brand("serif"))
    own = [f for f in faces if f.role == "serif"]
    assert [(f.family, f.path.name, f.style, f.unicode_range, f.subset) for f in own] == [
        ("Fira Sans", "FiraSans-Regular.woff2", "normal", None, None),
        ("Fira Sans", "FiraSans-Italic.woff2", "italic", None, None)]
    assert [f for f in faces if f.role == "sans"] == [
        f for f in design.font_faces() if f.role == "sans"]


def test_one_family_for_both_roles_declares_each_face_once_for_the_first_role() -> None:
    faces = design.font_faces(brand("serif", "sans"))
    assert [(f.role, f.path.name) for f in faces] == [
        ("serif", "FiraSans-Regular.woff2"), ("serif", "FiraSans-Italic.woff2")]
    # another family of the same files is another face for the browser: kept
    two = replace(brand("serif"), fonts=(*brand("serif").fonts,
                                         *brand("sans", family="Fira Sans Medium").fonts))
    assert [(f.role, f.family) for f in design.font_faces(two)] == [
        ("serif", "Fira Sans"), ("serif", "Fira Sans"),
        ("sans", "Fira Sans Medium"), ("sans", "Fira Sans Medium")]


def test_the_licences_travel_with_the_fonts_each_once() -> None:
    house = house_tokens().fonts
    assert design.font_licences() == [FONTS / str(house.serif.licence),
                                       FONTS / str(house.sans.licence)]
    assert all(path.is_file() for path in design.font_licences())
    assert design.font_licences(brand("serif", "sans")) == [LICENCE]
    assert design.font_licences(brand("sans")) == [FONTS / str(house.serif.licence), LICENCE]
    assert design.font_licences(brand("sans", licence=None)) == [
        FONTS / str(house.serif.licence)]


def test_a_font_stack_quotes_the_names_with_spaces() -> None:
    fallbacks = house_tokens().fonts.sans.fallbacks
    stack = design.font_stack("sans")
    # each bundled subset after the first under a family of its own, right after it
    assert stack == ", ".join(['"Source Sans 3"', '"Source Sans 3 latin-ext"']
                              + [f'"{n}"' if " " in n else n for n in fallbacks])
    assert '"Helvetica Neue"' in stack and ", Calibri," in stack and stack.endswith(
        ", sans-serif")
    assert design.font_stack("sans", brand("sans")).startswith('"Fira Sans", Calibri, ')


def test_font_face_rules_name_each_file_by_its_url_and_format() -> None:
    asked: list[Path] = []

    def url_for(path: Path) -> str:
        asked.append(path)
        return f"fonts/{path.name}"

    css = design.font_face_css(url_for)
    faces = design.font_faces()
    assert asked == [face.path for face in faces]
    rules = css.strip().split("\n}\n")
    assert len(rules) == len(faces) and css.endswith("}\n")
    first = faces[0]
    assert rules[0].splitlines() == [
        "@font-face {", f'  font-family: "{first.family}";', f"  font-style: {first.style};",
        f"  font-weight: {first.weight};", "  font-display: swap;",
        f'  src: url("fonts/{first.path.name}") format("woff2");',
        f"  unicode-range: {first.unicode_range};"]


def test_the_faces_kept_are_the_rules_written_and_a_subset_sets_its_range() -> None:
    faces = design.font_faces()
    latin = next(face for face in faces if face.subset == "latin")
    extended = next(face for face in faces if face.subset == "latin-ext")
    assert latin.sets({ord("e")}) and not extended.sets({ord("e")})
    assert extended.sets({ord("ő")}) and not latin.sets({ord("ő")})
    assert not latin.sets(set()) and replace(latin, unicode_range=None).sets({ord("ő")})
    asked: list[Path] = []
    css = design.font_face_css(lambda path: asked.append(path) or path.name,
                               keep=lambda face: face.subset == "latin")
    assert asked == [face.path for face in faces if face.subset == "latin"]
    assert css.count("@font-face") == len(asked) and css.endswith("}\n")
    assert design.font_face_css(str, keep=lambda face: False) == ""


@pytest.mark.parametrize(("suffix", "fmt"), [(".WOFF2", "woff2"), (".ttf", "truetype"),
                                              (".OTF", "opentype")])
def test_a_brand_s_face_is_declared_whole_in_its_file_s_format(suffix: str, fmt: str) -> None:
    face = BrandFace(Path(f"/brand/fonts/Face{suffix}"), 700, "normal")
    own = replace(brand(), fonts=(BrandFontFamily("serif", "Face", (face,)),))
    css = design.font_face_css(lambda path: path.name, own)
    rule = css.split("}")[0]
    assert f'src: url("Face{suffix}") format("{fmt}");' in rule
    assert "font-weight: 700;" in rule and "unicode-range" not in rule


# --------------------------------------------------------------------------- the wordmark

def test_the_wordmark_is_the_brand_s_else_the_publisher_s_short_name_else_its_name(
        arctic_brief: Brief) -> None:
    meta = arctic_brief.meta
    publisher = replace(meta.publisher, name="Arctic Institute", short_name="AI")
    meta = replace(meta, publisher=publisher)
    assert design.wordmark(meta, brand(wordmark="Tidewater")) == "Tidewater"
    assert design.wordmark(meta, brand()) == "AI"
    assert design.wordmark(meta) == "AI"
    unnamed = replace(meta, publisher=replace(publisher, short_name=None))
    assert design.wordmark(unnamed, brand(wordmark="")) == "Arctic Institute"


def test_the_print_geometry_comes_from_the_tokens_alone():
    """print.css uses --indent and the tables' gaps and defines none of them: the tokens'
    ``print`` block does (read too by render/table_width.py's estimate)."""
    from briefpress.render.pdf import stylesheet
    from briefpress.support.paths import STYLES

    house = dict(named_values(house_tokens().print))
    assert list(house) == ["indent", "table-gap", "wide-table-gap"]
    assert design.print_variables() == (
        ":root {\n" + "".join(f"  --{name}: {value};\n" for name, value in house.items()) + "}\n")
    css = (STYLES / "print.css").read_text(encoding="utf-8")
    for name in house:
        assert f"var(--{name})" in css and f"--{name}:" not in css
    assert design.print_variables() in stylesheet(faces="")


def test_each_bundled_subset_after_the_first_is_a_family_of_its_own() -> None:
    """WeasyPrint keys a PDF's font by family, weight and style: two subset files under one
    family became one embedded font, the second's letters drawn as the first's glyphs."""
    css = design.font_face_css(lambda path: path.name)
    for subset, family in (("latin", "Source Serif 4"),
                           ("latin-ext", "Source Serif 4 latin-ext")):
        rule = next(rule for rule in css.split("@font-face")
                    if f"source-serif-4-{subset}-400-normal.woff2" in rule)
        assert f'font-family: "{family}";' in rule
