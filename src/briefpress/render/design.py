"""Turn the design tokens and a brief's brand into CSS for print and web and values for Word.

The tokens are ``styles/tokens.yaml``; a brand (``brands/<name>/brand.yml``) lays its
colours and fonts over them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from msgspec import Struct, structs

from briefpress.model.schema import TokenFont, Tokens, named_values

# the colours' names and contrast are read/colours.py's (read/brand.py warns by them); design
# keeps its public names for its callers
from briefpress.read.colours import ACCENT_TEXT as ACCENT_TEXT
from briefpress.read.colours import TEXT_CONTRAST as TEXT_CONTRAST
from briefpress.read.colours import TEXT_GROUNDS as TEXT_GROUNDS
from briefpress.read.colours import brand_colours
from briefpress.read.colours import contrast as contrast
from briefpress.read.colours import text_colour as text_colour
from briefpress.read.colours import text_contrast as text_contrast
from briefpress.read.tokens import TOKENS, house_tokens
from briefpress.support.files import cache_while_unchanged
from briefpress.support.paths import FONTS

if TYPE_CHECKING:
    from briefpress.model.brief import Brand
    from briefpress.model.schema import Metadata


def tokens(brand: Brand | None = None) -> Tokens:
    """The design tokens of a brief of ``brand``: the house tokens with the colours the brand
    overrides (screen and press) and the family names of its fonts (the files are
    :func:`font_faces`'). Every edition takes its colours and families from here.

    One colour is derived, never given: ``accent-text``, the accent as text takes it
    (``text_colour``, read/colours.py), the accent itself when it is legible on the page;
    the brand loader refuses a brand that gives it (read/brand.py), which would otherwise be
    replaced."""
    house = house_tokens()
    fonts = house.fonts
    if brand is not None:
        for font in brand.fonts:  # the house's fallbacks stay, for characters the face lacks
            fonts = structs.replace(fonts, **{font.role: TokenFont(
                family=font.family, fallbacks=fonts.roles()[font.role].fallbacks)})
    colors, cmyk = brand_colours(brand)
    return structs.replace(house, colors=colors, colors_cmyk=cmyk, fonts=fonts)


class FontFace(Struct, frozen=True):
    """One font file an edition sets text in: a bundled face's subset, or a brand's face."""

    role: str
    """``serif`` (the body text) or ``sans`` (headings, labels, captions)."""
    family: str
    weight: int
    style: str
    path: Path
    unicode_range: str | None = None
    """The characters of a bundled subset; None for a brand's face, declared whole."""
    subset: str | None = None
    """The bundled subset (``latin``, ``latin-ext``); None for a brand's face."""

    @property
    def css_family(self) -> str:
        """The family its @font-face declares: the face's own for a brand's face and the
        tokens' first subset; for each other subset, a family of its own (``Source Serif 4
        latin-ext``), which :func:`font_stack` names right after it. WeasyPrint (70) keys a
        font of the PDF by its family, weight and style alone, so two subset files under
        one family shared one embedded font, and the second's letters were printed as the
        first's glyphs of the same numbers ("Łódź" as "Ðódª"); a browser takes both alike."""
        first = next(iter(house_tokens().font_subsets), None)
        return self.family if self.subset in (None, first) else f"{self.family} {self.subset}"

    def sets(self, codes: set[int]) -> bool:
        """Whether the face holds one of the code points ``codes``: any, for a face declared
        whole; for a subset, by the tokens' ``unicode-range`` (``U+0000-00FF, U+0131``)."""
        if self.unicode_range is None:
            return True
        for item in self.unicode_range.split(","):
            low, _, high = item.strip().removeprefix("U+").partition("-")
            if any(int(low, 16) <= code <= int(high or low, 16) for code in codes):
                return True
        return False


@cache_while_unchanged(lambda brand=None: [TOKENS])
def font_faces(brand: Brand | None = None) -> tuple[FontFace, ...]:
    """Every font file of the brief's design, in a fixed order: the brand's faces for the
    roles it sets, the bundled WOFF2 subsets of the tokens for the others."""
    house = house_tokens()
    own = {font.role: font for font in brand.fonts} if brand is not None else {}
    found = []
    for role, font in house.fonts.roles().items():
        if role in own:
            found.extend(FontFace(role, own[role].family, face.weight, face.style, face.path)
                         for face in own[role].faces)
            continue
        for face in font.faces:
            for subset, unicode_range in house.font_subsets.items():
                found.append(FontFace(
                    role, font.family, face.weight, face.style,
                    FONTS / face.file_name(subset), unicode_range,
                    subset))
    # a brand's one family may set both roles: each face declared once, for the first
    unique = {(f.family, f.weight, f.style, f.path): f for f in reversed(found)}
    return tuple(face for face in found if unique[(face.family, face.weight, face.style,
                                                   face.path)] is face)


def font_licences(brand: Brand | None = None) -> list[Path]:
    """The licence of every font :func:`font_faces` gives, which travels with the fonts."""
    own = {font.role: font for font in brand.fonts} if brand is not None else {}
    found = [own[role].licence if role in own else
             FONTS / font.licence if font.licence else None
             for role, font in house_tokens().fonts.roles().items()]
    return list(dict.fromkeys(path for path in found if path is not None))


def font_stack(role: str, brand: Brand | None = None) -> str:
    """CSS font-family value for ``serif`` or ``sans``: the bundled (or the brand's) face,
    then fallbacks."""
    font = tokens(brand).fonts.roles()[role]
    subsets = dict.fromkeys(face.css_family for face in font_faces(brand)
                            if face.role == role and face.family == font.family)
    names = [*(f'"{family}"' for family in dict.fromkeys([font.family, *subsets])),
             *(f'"{n}"' if " " in n else n for n in font.fallbacks)]
    return ", ".join(names)


def figure_families(brand: Brand | None = None) -> tuple[str, str]:
    """The sans and serif families an SVG figure's text is set in, in every edition
    (``support/svg.py``'s ``with_families``): the edition's own (the house's, or the
    brand's), never a font of the machine."""
    fonts = tokens(brand).fonts
    return fonts.sans.family, fonts.serif.family


def font_files(brand: Brand | None = None) -> list[Path]:
    """Every font file the design of ``brand`` (else the house's) names."""
    return [face.path for face in font_faces(brand)]


_FORMATS = {".woff2": "woff2", ".ttf": "truetype", ".otf": "opentype"}


def font_face_css(url_for: Callable[[Path], str], brand: Brand | None = None,
                  keep: Callable[[FontFace], bool] | None = None) -> str:
    """@font-face rules for the fonts of :func:`font_faces` (those ``keep`` keeps, if
    given); ``url_for`` turns a font file into its URL."""
    rules = []
    for face in font_faces(brand):
        if keep is not None and not keep(face):
            continue
        unicode_range = (f"  unicode-range: {face.unicode_range};\n"
                         if face.unicode_range else "")
        rules.append(
            "@font-face {\n"
            f'  font-family: "{face.css_family}";\n'
            f"  font-style: {face.style};\n"
            f"  font-weight: {face.weight};\n"
            "  font-display: swap;\n"
            f'  src: url("{url_for(face.path)}") format("{_FORMATS[face.path.suffix.lower()]}");\n'
            f"{unicode_range}"
            "}"
        )
    return "".join(rule + "\n" for rule in rules)


def css_variables(colors: Literal["rgb", "cmyk"] = "rgb", brand: Brand | None = None) -> str:
    """A ``:root`` rule with every token as a CSS custom property (``--color-navy``, …).

    ``colors="cmyk"`` gives the colours as ``device-cmyk()`` from ``colors_cmyk``, for the
    press: every rule that names a colour through its property then paints in CMYK.
    ``brand``'s colours replace the house's.
    """
    t = tokens(brand)
    if colors == "cmyk":
        props = [f"  --color-{name}: {cmyk_css(name, brand)};" for name in t.colors]
    else:
        props = [f"  --color-{name}: {value};" for name, value in t.colors.items()]
    props += [f"  --font-{role}: {font_stack(role, brand)};" for role in t.fonts.roles()]
    props += [f"  --type-{name}: {value}pt;" for name, value in named_values(t.type)
              if name != "leading"]
    props.append(f"  --leading: {t.type.leading};")
    props += [f"  --space-{name}: {value};" for name, value in named_values(t.spacing)]
    props.append(f"  --measure: {t.page.measure};")
    return ":root {\n" + "\n".join(props) + "\n}\n"


def print_variables() -> str:
    """A ``:root`` rule with the print edition's geometry (tokens' ``print``: ``--indent``,
    ``--table-gap``, ``--wide-table-gap``), which the web page has no use for."""
    props = [f"  --{name}: {value};" for name, value in named_values(house_tokens().print)]
    return ":root {\n" + "\n".join(props) + "\n}\n"


def cmyk_css(name: str, brand: Brand | None = None) -> str:
    """The CMYK form of colour ``name`` as CSS: ``device-cmyk(1 0.78 0.28 0.52)``."""
    cmyk = tokens(brand).colors_cmyk[name]
    return "device-cmyk(" + " ".join(f"{value / 100:g}" for value in cmyk) + ")"


def wordmark(meta: Metadata, brand: Brand | None = None) -> str:
    """The wordmark every edition shows: the brand's text, else the publisher's short name,
    else its name."""
    if brand is not None and brand.wordmark:
        return brand.wordmark
    return meta.publisher.short_name or meta.publisher.name
