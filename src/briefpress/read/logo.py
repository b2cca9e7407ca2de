"""Turn a brand's SVG logo into the markup every edition inlines, and findings about it.

A module of its own, loaded only when a brand is (``read/brand.py``): lxml, which reads the
SVG, is then no part of reading a brief in the house style.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from briefpress.errors import Problem
from briefpress.support import limits
from briefpress.support.files import read_regular
from briefpress.support.svg import UnsafeSvg, UnsizedSvg, clean_svg, read_svg, svg_size


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

def _logo_size(svg: bytes, path: Path) -> list[Problem]:
    """A problem when the logo ``svg`` has no positive size (``support/svg.py``'s
    ``svg_size``, which an SVG figure must have too), or one too wide or too tall
    (:data:`LOGO_ASPECT`), at its ``<svg>``'s line: typst refuses a logo of no size (the
    Word edition stopped with a traceback), and rasterises a very wide one for minutes."""
    root = read_svg(svg)
    try:
        width, height = svg_size(root)
    except UnsizedSvg as exc:
        message = f"the logo's {exc}" if exc.attribute else \
            f"the logo has {exc}: each edition would give it its own"
        return [Problem(path, root.sourceline, message,
                        'give the <svg> a positive size, e.g. viewBox="0 0 120 40", or '
                        'width="120" height="40"')]
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
