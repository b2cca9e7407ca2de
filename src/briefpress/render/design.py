"""Turn the design tokens (styles/tokens.yaml, and a brief's brand over them) into CSS for print
and web and values for Word."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from briefpress.read.yamlfile import LOADER
from briefpress.support.paths import FONTS, STYLES

if TYPE_CHECKING:
    from briefpress.model.brief import Brand
    from briefpress.model.schema import Metadata


@cache
def house_tokens() -> dict[str, Any]:
    """The design tokens, as written in styles/tokens.yaml."""
    return yaml.load((STYLES / "tokens.yaml").read_text(encoding="utf-8"), Loader=LOADER)


def tokens(brand: Brand | None = None) -> dict[str, Any]:
    """The design tokens of a brief of ``brand``: the house tokens with the colours the brand
    overrides (screen and press). Every edition takes its colours from here."""
    house = house_tokens()
    if brand is None:
        return house
    return {**house, "colors": {**house["colors"], **dict(brand.colors)},
            "colors_cmyk": {**house["colors_cmyk"],
                            **{k: list(v) for k, v in brand.colors_cmyk}}}


def font_stack(role: str) -> str:
    """CSS font-family value for ``serif`` or ``sans``: the bundled face, then fallbacks."""
    font = tokens()["fonts"][role]
    names = [f'"{font["family"]}"', *(f'"{n}"' if " " in n else n for n in font["fallbacks"])]
    return ", ".join(names)


def font_files() -> list[Path]:
    """Every bundled font file the tokens name."""
    files = []
    for font in tokens()["fonts"].values():
        for face in font["faces"]:
            files.extend(FONTS / f"{face['stem'].format(subset=s)}.woff2"
                         for s in tokens()["font_subsets"])
    return files


def font_face_css(url_for: Callable[[Path], str]) -> str:
    """@font-face rules for the bundled fonts; ``url_for`` turns a font file into its URL."""
    rules = []
    for font in tokens()["fonts"].values():
        for face in font["faces"]:
            for subset, unicode_range in tokens()["font_subsets"].items():
                path = FONTS / f"{face['stem'].format(subset=subset)}.woff2"
                rules.append(
                    "@font-face {\n"
                    f'  font-family: "{font["family"]}";\n'
                    f"  font-style: {face['style']};\n"
                    f"  font-weight: {face['weight']};\n"
                    "  font-display: swap;\n"
                    f'  src: url("{url_for(path)}") format("woff2");\n'
                    f"  unicode-range: {unicode_range};\n"
                    "}"
                )
    return "\n".join(rules) + "\n"


def css_variables(colors: Literal["rgb", "cmyk"] = "rgb", brand: Brand | None = None) -> str:
    """A ``:root`` rule with every token as a CSS custom property (``--color-navy``, …).

    ``colors="cmyk"`` gives the colours as ``device-cmyk()`` from ``colors_cmyk``, for the
    press: every rule that names a colour through its property then paints in CMYK.
    ``brand``'s colours replace the house's.
    """
    t = tokens(brand)
    if colors == "cmyk":
        props = [f"  --color-{name}: {cmyk_css(name, brand)};" for name in t["colors"]]
    else:
        props = [f"  --color-{name}: {value};" for name, value in t["colors"].items()]
    props += [f"  --font-{role}: {font_stack(role)};" for role in t["fonts"]]
    props += [f"  --type-{name}: {value}pt;" for name, value in t["type"].items()
              if name != "leading"]
    props.append(f"  --leading: {t['type']['leading']};")
    props += [f"  --space-{name}: {value};" for name, value in t["spacing"].items()]
    props.append(f"  --measure: {t['page']['measure']};")
    return ":root {\n" + "\n".join(props) + "\n}\n"


def cmyk_css(name: str, brand: Brand | None = None) -> str:
    """The CMYK form of colour ``name`` as CSS: ``device-cmyk(1 0.78 0.28 0.52)``."""
    cmyk = tokens(brand)["colors_cmyk"][name]
    return "device-cmyk(" + " ".join(f"{value / 100:g}" for value in cmyk) + ")"


def wordmark(meta: Metadata, brand: Brand | None = None) -> str:
    """The wordmark every edition shows: the brand's text, else the publisher's short name,
    else its name."""
    if brand is not None and brand.wordmark:
        return brand.wordmark
    return meta.publisher.short_name or meta.publisher.name
