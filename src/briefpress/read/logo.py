"""Turn a brand's SVG logo into the markup every edition inlines, and findings about it.

A module of its own, loaded only when a brand is (``read/brand.py``): lxml, which reads the
SVG, is then no part of reading a brief in the house style.
"""

from __future__ import annotations

import math
from pathlib import Path

from lxml import etree

from briefpress.errors import Problem
from briefpress.support import limits
from briefpress.support.files import read_regular
from briefpress.support.svg import UnsafeSvg, clean_svg


def read_logo(path: Path) -> tuple[str | None, list[Problem]]:
    """The logo at ``path`` cleaned (``support/svg.py``) as an element to write inside HTML,
    and what is wrong with it (lettering set in a font, no size, an extreme shape); None
    and the reason for an SVG that cannot be used at all."""
    try:
        data = read_regular(path, limits.SOURCE_BYTES.value(), "save it as a smaller SVG")
        return _inline(clean_svg(data)), _lettering(data, path) + _logo_size(data, path)
    except UnsafeSvg as exc:
        return None, [Problem(path, None, f"the logo is unusable: {exc}",
                              "save it again as a plain SVG")]


TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath", "tref", "altGlyph", "flowRoot",
                           "flowPara", "flowSpan"})
"""SVG elements that set text in a font (``flow*``: Inkscape's flowed text)."""


def _lettering(svg: bytes, path: Path) -> list[Problem]:
    """A problem for each piece of text of the logo ``svg`` that sets it in a font.

    Text in a logo would be set in whatever font each renderer finds for it on the machine
    (WeasyPrint, a browser, Word and LibreOffice each their own), against the rule that
    no font comes from the system, and unlike the lettering the designer drew; the brand's
    own font would still not be that lettering. The logo's text is shipped as outlines, as
    brand guidelines ship logos."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    found = []
    for element in etree.fromstring(svg, parser).iter(tag=etree.Element):
        name = etree.QName(element).localname
        if name in TEXT_ELEMENTS and not any(etree.QName(up).localname in TEXT_ELEMENTS
                                             for up in element.iterancestors()):
            words = " ".join("".join(element.itertext()).split())
            found.append(Problem(
                path, element.sourceline,
                f"the logo sets text ({f'{words!r} ' if words else ''}in a <{name}>) in a "
                "font: each edition would take it from the system, and no font comes from "
                "the system", "convert the logo's text to outlines (Inkscape: Path > Object "
                "to Path; Illustrator: Type > Create Outlines) and save the SVG again"))
    return found


LOGO_ASPECT = 20.0
"""The widest (or tallest) a logo may be, as the ratio of its long side to its short one.
Every edition sets the logo at a fixed height beside the wordmark (0.3 in in the Word
file): at 20:1 it is 6 in wide, the width of a page's text; a wider one would overrun the
page and its height would be too thin to read, and its PNG for the Word file (as wide as
the logo at 600 pixels an inch) would take unbounded time and memory to make."""

_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
          "in": 96.0, "em": 16.0, "ex": 8.0, "%": 1.0}
"""SVG's length units in user units (CSS pixels), as renderers take them (an em as the
default 16 px font size): enough to compare a logo's width with its height."""

_DEFAULT_SIZE = 100.0
"""The side a renderer (typst's resvg) gives a logo that has neither a size nor a viewBox."""


def _length(value: str) -> tuple[float, str] | None:
    """An SVG length attribute (``40``, ``2.5cm``, ``100%``) as its number and unit; None
    when it is not one."""
    value = value.strip()
    unit = next((u for u in _UNITS if u and value.endswith(u)), "")
    try:
        number = float(value[:len(value) - len(unit)])
    except ValueError:
        return None
    return (number, unit) if math.isfinite(number) else None


def _logo_size(svg: bytes, path: Path) -> list[Problem]:
    """A problem when the logo ``svg`` has no positive size, or one too wide or too tall
    (:data:`LOGO_ASPECT`), at its ``<svg>``'s line: typst refuses a logo of no size (the
    Word edition stopped with a traceback), and rasterises a very wide one for minutes."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(svg, parser)
    fix = ('give the <svg> a positive size, e.g. viewBox="0 0 120 40", or width="120" '
           'height="40"')
    box: tuple[float, float] | None = None
    if root.get("viewBox") is not None:
        numbers = root.get("viewBox", "").replace(",", " ").split()
        try:
            parts = [float(n) for n in numbers]
        except ValueError:
            parts = []
        if len(parts) != 4 or not all(math.isfinite(n) for n in parts) or \
                parts[2] <= 0 or parts[3] <= 0:
            return [Problem(path, root.sourceline, f"the logo's viewBox "
                            f"{root.get('viewBox')!r} is not four numbers with a positive "
                            "width and height", fix)]
        box = (parts[2], parts[3])
    sides = []
    for index, name in enumerate(("width", "height")):
        given = root.get(name)
        length = _length(given) if given is not None else (100.0, "%")
        if length is None or length[0] <= 0:
            return [Problem(path, root.sourceline, f"the logo's {name} {given!r} is not a "
                            "positive length", fix)]
        number, unit = length
        whole = box[index] if box is not None else _DEFAULT_SIZE
        sides.append(whole * number / 100 if unit == "%" else number * _UNITS[unit])
    if box is None and (root.get("width") is None or root.get("height") is None):
        return [Problem(path, root.sourceline, "the logo has no size (neither a viewBox nor "
                        "a width and a height): each edition would give it its own", fix)]
    width, height = sides
    ratio = max(width / height, height / width)
    if ratio > LOGO_ASPECT:
        shape = "wide" if width > height else "tall"
        return [Problem(path, root.sourceline, f"the logo is {ratio:.0f} times as {shape} as "
                        f"it is {'high' if shape == 'wide' else 'wide'} ({width:g} by "
                        f"{height:g}): more than {LOGO_ASPECT:g}:1, which the editions cannot "
                        "set beside the wordmark", "crop the logo to its mark (its viewBox, "
                        "or its width and height), or give the brand a more compact version "
                        "of it")]
    return []


def _inline(svg: bytes) -> str:
    """A cleaned SVG document as an element to write inside HTML (no XML declaration)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.tostring(etree.fromstring(svg, parser), encoding="unicode")
