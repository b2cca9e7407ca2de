"""support/svg.py: an SVG keeps its picture and loses what runs or reaches outside it."""

from __future__ import annotations

import pytest
from lxml import etree

from briefpress.support.svg import UnsafeSvg, clean_svg

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
