"""support/svg.py: an SVG keeps its picture and loses what runs or reaches outside it."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from briefpress.support.svg import (
    UnsafeSvg,
    UnsizedSvg,
    clean_svg,
    read_svg,
    svg_size,
    with_families,
)

SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <defs><linearGradient id="g"/></defs>
  <rect width="10" height="10" fill="url(#g)" onclick="steal()"/>
  <image href="http://example.com/track.png"/>
  <image xlink:href="data:image/png;base64,iVBORw0KGgo="/>
  <use href="#g"/>
  <circle r="1" style="fill: url(http://example.com/x.svg#p)"/>
  <style>@import url(http://example.com/a.css); rect { fill: red }</style>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
  <set attributeName="href" to="javascript:alert(3)"/>
</svg>"""


def test_code_handlers_and_outside_references_go_and_the_picture_stays() -> None:
    root = etree.fromstring(clean_svg(SVG))
    names = [etree.QName(e).localname for e in root.iter(tag=etree.Element)]
    assert "script" not in names and "foreignObject" not in names and "set" not in names
    assert not [name for e in root.iter(tag=etree.Element) for name in e.attrib
                if name.startswith("on")]
    hrefs = [value for e in root.iter(tag=etree.Element) for name, value in e.attrib.items()
             if etree.QName(name).localname == "href"]
    assert hrefs == ["data:image/png;base64,iVBORw0KGgo=", "#g"]
    assert root.find("{http://www.w3.org/2000/svg}rect").get("fill") == "url(#g)"
    assert root.find("{http://www.w3.org/2000/svg}circle").get("style") is None
    assert not root.find("{http://www.w3.org/2000/svg}style").text  # emptied


def test_entities_are_never_expanded() -> None:
    doc = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<svg xmlns="http://www.w3.org/2000/svg"><text>&e;</text></svg>')
    cleaned = clean_svg(doc)
    assert b"passwd" not in cleaned and b"DOCTYPE" not in cleaned


@pytest.mark.parametrize("data", [b"not xml", b"<html/>"])
def test_what_is_no_svg_is_refused(data: bytes) -> None:
    with pytest.raises(UnsafeSvg):
        clean_svg(data)


def test_an_image_or_use_whose_reference_went_goes_with_it() -> None:
    """Left without its href, an <image> draws nothing anywhere, and WeasyPrint resolves the
    missing reference against the document's address (a brand's logo with a tracker in it
    left the cover's crop marks and footer astray)."""
    root = etree.fromstring(clean_svg(SVG))
    images = root.findall("{http://www.w3.org/2000/svg}image")
    assert [list(image.attrib.values()) for image in images] == [
        ["data:image/png;base64,iVBORw0KGgo="]]
    assert len(root.findall("{http://www.w3.org/2000/svg}use")) == 1  # "#g" stays
    bare = clean_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><use href="https://x.org/a#b"/>'
                     b'<image width="1" height="1"/><rect width="1" height="1"/></svg>')
    assert [etree.QName(e).localname for e in etree.fromstring(bare)] == ["rect"]


@pytest.mark.parametrize(("root", "size"), [
    ('viewBox="0 0 600 300"', (600, 300)),
    ('width="600" height="300"', (600, 300)),
    ('width="2in" height="1cm"', (192, 96 / 2.54)),
    ('viewBox="0 0 600 300" width="300"', (300, 150)),
    ('viewBox="0 0 600 300" height="30mm"', (2 * 30 * 96 / 25.4, 30 * 96 / 25.4)),
    ('viewBox="0,0,600,300" width="50%" height="100%"', (300, 300))],
    ids=["viewbox", "width-height", "units", "width-and-shape", "height-and-shape", "percent"])
def test_an_svg_s_size_is_its_viewbox_or_its_width_and_height(root: str, size) -> None:
    found = svg_size(read_svg(f'<svg xmlns="http://www.w3.org/2000/svg" {root}/>'.encode()))
    assert found == pytest.approx(size)


@pytest.mark.parametrize(("root", "said"), [
    ("", "no size (neither a viewBox nor a width and a height)"),
    ('width="600"', "no size (neither a viewBox nor a width and a height)"),
    ('width="100%" height="100%"', "no size (neither a viewBox nor a width and a height)"),
    ('width="0" height="300"', "width '0' is not a positive length"),
    ('viewBox="0 0 600" width="600" height="300"',
     "viewBox '0 0 600' is not four numbers with a positive width and height")],
    ids=["none", "width-alone", "percent-of-nothing", "zero", "short-viewbox"])
def test_an_svg_without_a_size_every_renderer_takes_alike_is_said_so(root: str, said: str
                                                                     ) -> None:
    """A browser and WeasyPrint show an SVG without a size at 300 by 150 pixels, cropped;
    typst at 100 by 100 (tester 13)."""
    with pytest.raises(UnsizedSvg, match=f"^{re.escape(said)}$"):
        svg_size(read_svg(f'<svg xmlns="http://www.w3.org/2000/svg" {root}/>'.encode()))


SANS, SERIF = "Source Sans 3", "Source Serif 4"
BOTH, SERIF_FIRST = f'"{SANS}", "{SERIF}"', f'"{SERIF}", "{SANS}"'


@pytest.mark.parametrize(("attribute", "families"), [
    ("sans-serif", BOTH), ("serif", SERIF_FIRST), ("Helvetica, Arial, sans-serif", BOTH),
    ("'Source Serif 4', serif", SERIF_FIRST), ("Source Sans 3", BOTH),
    ("monospace", BOTH), ("'DejaVu Serif'", BOTH)],
    ids=["sans", "serif", "system-names", "own-serif", "own-sans-unquoted", "mono", "other"])
def test_a_family_list_becomes_the_edition_s_faces(attribute: str, families: str) -> None:
    """Every family is one of the edition's two faces, a serif generic the serif, any
    other family the sans, both at the end for a character the first lacks: no renderer
    takes a font from its machine (tester 13: DejaVu Sans in the PDF)."""
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><text font-family="{attribute}">x</text></svg>'
    root = etree.fromstring(with_families(svg.encode(), SANS, SERIF))
    assert root[0].get("font-family") == families
    assert root.get("font-family") == BOTH  # text of no family: the sans, as WeasyPrint's


def test_css_in_a_style_attribute_or_element_is_rewritten_too() -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" font-family="serif"><style>'
           '/* a chart */ text { font-family: serif; fill: red } '
           '.big { font: bold 12px/1.2 "DejaVu Sans", sans-serif !important }</style>'
           '<text style="font: 10px \'DejaVu Sans\'; text-anchor: middle">x</text>'
           '<text style="font-size: 9px">y</text></svg>')
    root = etree.fromstring(with_families(svg.encode(), SANS, SERIF))
    assert root.get("font-family") == SERIF_FIRST
    style, first, second = root
    assert style.text == (f"text {{ font-family: {SERIF_FIRST}; fill: red }}\n"
                          f".big {{ font: bold 12px/1.2 {BOTH} !important }}")
    assert first.get("style") == f"font: 10px {BOTH}; text-anchor: middle"
    assert second.get("style") == "font-size: 9px"


def test_an_svg_without_text_keeps_its_drawing() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><rect width="1"/></svg>'
    root = etree.fromstring(with_families(svg, SANS, SERIF))
    assert root.get("viewBox") == "0 0 2 2" and root[0].get("width") == "1"
    assert with_families(svg, SANS, SERIF) == with_families(svg, SANS, SERIF)
