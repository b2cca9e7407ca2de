"""Turn a project's ``brands/<name>/brand.yml`` (and its logo) into a ``Brand``."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from briefpress.errors import BriefError, Problem
from briefpress.model.brief import Brand
from briefpress.model.schema import BrandFile
from briefpress.read.yamlfile import key_line, node_line, parse_yaml, validate
from briefpress.render.svg import UnsafeSvg, clean_svg
from briefpress.support import limits
from briefpress.support.files import read_regular

BRANDS = "brands"
"""The folder of a project's brands, beside ``content/`` and ``briefpress.yaml``."""
BRAND_FILE = "brand.yml"


def brand_folder(project_root: Path, name: str) -> Path:
    """Where brand ``name`` of the project at ``project_root`` lives."""
    return project_root / BRANDS / name


def load_brand(project_root: Path, name: str, named_in: Path, line: int | None) -> Brand:
    """The brand ``name`` of the project, validated; every mistake of its file at once.

    ``named_in`` and ``line`` locate the ``brand:`` that names it, for a brand that does
    not exist.
    """
    from briefpress.read.brief import read_text  # read/brief.py loads the brand
    from briefpress.render import design

    folder = brand_folder(project_root, name)
    path = folder / BRAND_FILE
    if not path.is_file():
        known = sorted(p.parent.name for p in (project_root / BRANDS).glob(f"*/{BRAND_FILE}"))
        raise BriefError(Problem(
            named_in, line, f"no brand `{name}` ({path} does not exist)",
            f"name one of: {', '.join(known)}" if known
            else f"create {BRANDS}/{name}/{BRAND_FILE} in the project, or remove `brand:`"))
    text = read_text(path)
    data, node = parse_yaml(text, path)
    problems: list[Problem] = []
    brand: BrandFile | None = None
    try:
        brand, unknown = validate(BrandFile, data, node, path)
        problems += unknown  # errors here: nothing checks a brand file later
    except BriefError as exc:
        problems += exc.problems
    raw = data if isinstance(data, dict) else {}
    colors = {k: v for k in ("color", "color_cmyk")
              for v in [raw.get(k)] if isinstance(v, dict)}
    tokens = design.house_tokens()["colors"]
    for section, given in colors.items():
        for key in given:
            if key not in tokens:
                problems.append(Problem(path, key_line(node, (section, key)),
                                        f"`{section}.{key}` is no colour of the design tokens",
                                        f"use one of: {', '.join(tokens)}"))
    for key in colors.get("color", {}):
        if key in tokens and key not in colors.get("color_cmyk", {}):
            problems.append(Problem(path, key_line(node, ("color", key)),
                                    f"colour `{key}` has no CMYK value for the print edition",
                                    f"add `{key}: [C, M, Y, K]` under `color_cmyk:`"))
    logo = None
    if brand is not None and brand.logo is not None:
        logo_path = folder / brand.logo
        line = node_line(node, ("logo",))
        if logo_path.suffix.lower() != ".svg" or logo_path.parent != folder:
            problems.append(Problem(path, line, "the logo must be an .svg file in the brand's "
                                    "folder", f"put the SVG in {folder} and write its name"))
        elif not logo_path.is_file():
            problems.append(Problem(path, line, f"no logo file {logo_path}",
                                    f"add {brand.logo} to {folder} or remove `logo:`"))
        else:
            try:
                logo = _inline(clean_svg(read_regular(logo_path, limits.SOURCE_BYTES.value(),
                                                      "save it as a smaller SVG")))
            except UnsafeSvg as exc:
                problems.append(Problem(logo_path, None, f"the logo is unusable: {exc}",
                                        "save it again as a plain SVG"))
    if problems or brand is None:
        raise BriefError(sorted(dict.fromkeys(problems), key=lambda p: (str(p.file), p.line or 0)))
    return Brand(
        name=name, title=brand.meta.name, colors=tuple(sorted(brand.color.items())),
        colors_cmyk=tuple(sorted((k, (v[0], v[1], v[2], v[3]))
                                 for k, v in brand.color_cmyk.items())),
        wordmark=brand.meta.wordmark, logo_svg=logo)


def _inline(svg: bytes) -> str:
    """A cleaned SVG document as an element to write inside HTML (no XML declaration)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.tostring(etree.fromstring(svg, parser), encoding="unicode")
