"""Turn the Word edition's SVG images into the PNGs every reader shows, with typst, cached.

The images are a brand's logo and a brief's SVG figures; each PNG is cached by its hash.

A Word file's picture needs a raster image: Word 2016 and later also read an SVG beside
it (the ``svgBlip`` extension of the picture's ``a:blip``), but LibreOffice, older Word and
most converters show only the raster one, and a picture with none shows nothing there and
is dropped on the next save (the figure then reads as deleted, or the lockup as edited,
and the import refuses it). pandoc writes that raster picture only through
``rsvg-convert``, a program no wheel ships; the SVG is rasterised here with typst (its
``resvg``), the one SVG renderer among the pinned dependencies, with every system font
ignored. The logo is a PNG alone (its lettering is outlines: see read/brand.py); a figure
keeps its SVG for Word and gets the PNG as the picture's own image, at the size the Word
file shows it, its text set in the edition's fonts. pandoc fits a picture to the page's
width, not its height: a figure taller than the page is scaled here to fit it (as Word
shows a picture larger than its page), and drawn at that size. Each PNG is made once and
kept under the cache folder, named by a hash of all it is made from and typst's version.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lxml import etree
from msgspec import Struct

from briefpress.errors import BriefError, Problem
from briefpress.model.brief import Brand
from briefpress.read.logo import LOGO_ASPECT
from briefpress.render import design
from briefpress.render.docx_fonts import EmbeddedFace
from briefpress.support.files import scratch_folder
from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.ooxml import CT, REL, R, W, part_bytes, qname, trusted_xml
from briefpress.support.paths import cache_dir
from briefpress.support.svg import UnsafeSvg, with_families

HEIGHT_IN = 0.3
"""The logo's height beside the wordmark in the Word file, in inches."""

WIDTH_IN = HEIGHT_IN * LOGO_ASPECT
"""The widest the logo's PNG is, in inches (6 in: 3,600 pixels at :data:`PPI`): the brand
loader refuses a logo wider than :data:`~briefpress.read.brand.LOGO_ASPECT` to 1, and this
bounds the PNG of any other (a logo 100,000 to 1 took typst minutes at the fixed height),
scaling it down to this width instead."""

PPI = 600
"""The logo's resolution: at 0.3 in, 180 pixels high, sharp on paper as on screen."""

FIGURE_PPI = 300
"""A figure's resolution at the size the Word file shows it: print quality (a figure 6 in
wide is 1,800 pixels wide)."""

MAX_FIGURE_IN = 22.0
"""The longest side a figure may have in the Word file, in inches: Word's own largest
picture (55.88 cm), and its largest page. A figure is fitted to its page's text area first
(:func:`fit_to_page`), so only a page larger than Word's own comes near it."""

CAPTION_ROOM_IN = 1.0
"""How much of the text area's height a figure leaves for its caption (a few lines of small
type and the space around the figure), so the two stay on one page; the PDF leaves the
same (render/pdf.py)."""

TWIPS_PER_IN = 1440
"""WordprocessingML's page unit: twentieths of a point."""

LETTER_PAGE = (8.5, 11.0, 1.0, 1.0, 1.0, 1.0)
"""Word's default page (width, height, then the top, right, bottom and left margins, in
inches), for a document without section properties of its own."""

MAX_FIGURE_PIXELS = 16_000_000
"""The most pixels a figure's PNG may have (typst holds about 30 bytes a pixel while it
draws: 6.5 by 22 in at 300 ppi, 12.9 million pixels, took 0.3 s and 400 MB)."""

EMU_PER_IN = 914_400
"""DrawingML's unit: English Metric Units in an inch."""

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
IMAGE_REL = f"{R}/image"
MAIN_PART = "word/document.xml"

_FORMAT = {"logo": "logo-v2", "figure": "figure-v1"}
"""The cached files' names start with this: change it when the PNG would come out
different for the same SVG (another size, resolution or page); typst's version follows it
in the name, for another renderer."""

_PNG = b"\x89PNG\r\n\x1a\n"
"""Every PNG file's first bytes: a cached file without them (cut short, or not ours) is
made again."""

_PAGE = b"""#set page(width: auto, height: auto, margin: 0pt, fill: none)
#let given(key) = if key in sys.inputs { float(sys.inputs.at(key)) * 1in } else { auto }
#let families = sys.inputs.at("families", default: "").split("\\n").filter(f => f != "")
#set text(font: families) if families.len() > 0
#let draw(..size) = image(bytes(sys.inputs.at("svg")), format: "svg", fit: "stretch", ..size)
#context {
  let shown = draw(width: given("width"), height: given("height"))
  let widest = given("max-width")
  if widest != auto and measure(shown).width > widest { draw(width: widest) } else { shown }
}
"""
"""A typst page just the size of the SVG, on no background (the PNG is transparent): as
wide and high as ``width`` and ``height`` say (in inches; stretched, as Word stretches a
picture to its frame), or, given one of them, of the SVG's own shape, at most
``max-width`` wide. SVG text whose family typst lacks (or names a generic one, which typst
does not map) is set in ``families``, the first that has the glyph."""


class SvgFigure(Struct, frozen=True):
    """Where a brief refers to an SVG figure: what its errors name."""

    src: str
    """The figure's file as brief.md writes it (``chart.svg``)."""
    file: Path
    """brief.md."""
    line: int | None


class _Drawing(Struct, frozen=True):
    """What typst is given to draw one PNG."""

    kind: str
    """``logo`` or ``figure``: its cache folder (``logos``, ``figures``) and name."""
    svg: str
    size: dict[str, str]
    """``width``, ``height``, ``max-width`` in inches, as typst's page reads them."""
    ppi: int
    faces: tuple[EmbeddedFace, ...] = ()
    """The fonts its text may be set in (none for a logo: its lettering is outlines)."""
    families: tuple[str, ...] = ()


@functools.cache
def _renderer() -> str:
    """typst's version, read from its distribution's metadata (no import of typst: a
    PNG found in the cache needs none)."""
    # only a render that draws asks: importlib.metadata (email, csv, zipfile) is no part of
    # a Word file without SVG pictures, or of an import's start
    import importlib.metadata

    return "typst" + importlib.metadata.version("typst")


def logo_png(svg: str, source: Path | str = "the brand's logo") -> bytes:
    """The PNG of the logo ``svg`` (cleaned: support/svg.py), ``HEIGHT_IN`` high at ``PPI``
    (at most ``WIDTH_IN`` wide); ``source``, its file, is named when typst cannot read it."""
    drawing = _Drawing("logo", svg, {"height": repr(HEIGHT_IN), "max-width": repr(WIDTH_IN)},
                       PPI)
    return _rasterise(drawing, lambda why: Problem(
        source, None, f"the logo cannot be drawn for the Word edition (typst: {why})",
        "save it again as a plain SVG (Inkscape: File > Save As > Plain SVG) with a "
        'positive size, e.g. viewBox="0 0 120 40"'))


def figure_png(svg: bytes, width_emu: int, height_emu: int, figure: SvgFigure,
               faces: list[EmbeddedFace], families: list[str]) -> bytes:
    """The PNG of the figure ``svg`` (cleaned) as the Word file shows it, ``width_emu`` by
    ``height_emu``, at ``FIGURE_PPI``, its text set in ``faces``: its families mapped to
    ``families`` (:func:`fallback_families`: the sans-serif, then the serif) as the PDF maps
    them (``support/svg.py``'s ``with_families``); a figure too large for Word, or one typst
    cannot read, is an error at ``figure``'s line of brief.md."""
    width_in, height_in = width_emu / EMU_PER_IN, height_emu / EMU_PER_IN
    pixels = [max(1, round(side * FIGURE_PPI)) for side in (width_in, height_in)]
    if max(width_in, height_in) > MAX_FIGURE_IN or pixels[0] * pixels[1] > MAX_FIGURE_PIXELS:
        raise BriefError(Problem(
            figure.file, figure.line,
            f"figure {figure.src!r} would be {width_in:.1f} in wide and {height_in:.1f} in "
            "high in the Word edition, larger than a picture there can be (at most "
            f"{MAX_FIGURE_IN:g} in a side, {MAX_FIGURE_PIXELS / 1e6:g} million pixels at "
            f"{FIGURE_PPI} ppi)",
            "crop the SVG to its drawing (its viewBox), or export it as PNG"))
    # the PNG is exactly these pixels: typst's page is their size at FIGURE_PPI
    size = {"width": repr(pixels[0] / FIGURE_PPI), "height": repr(pixels[1] / FIGURE_PPI)}
    # its families as the PDF sets them (a serif generic in the serif face), where typst
    # would take every family it lacks, generic or not, as the first of ``families``
    if families:
        with contextlib.suppress(UnsafeSvg):  # typst's to say (_undrawable)
            svg = with_families(svg, families[0], families[-1])
    drawing = _Drawing("figure", svg.decode("utf-8"), size, FIGURE_PPI, tuple(faces),
                       tuple(families))
    return _rasterise(drawing, functools.partial(_undrawable, figure))


def figure_problem(svg: bytes, figure: SvgFigure) -> Problem | None:
    """What the Word edition would say of the figure ``svg`` (cleaned) that typst cannot
    draw, or None: ``check`` asks this of each SVG figure. typst reads the SVG whatever
    size it is drawn at, so it is drawn here at one pixel (cached like every PNG)."""
    drawing = _Drawing("figure", svg.decode("utf-8"), {"width": "0.01", "height": "0.01"},
                       100)
    try:
        _rasterise(drawing, functools.partial(_undrawable, figure))
    except BriefError as exc:
        return exc.problems[0]
    return None


def _undrawable(figure: SvgFigure, why: str) -> Problem:
    """The error of a figure typst cannot draw, ``why`` being typst's message."""
    return Problem(
        figure.file, figure.line,
        f"figure {figure.src!r} cannot be drawn for the Word edition (typst: {why})",
        "save it again as a plain SVG (Inkscape: File > Save As > Plain SVG) with a "
        'positive size (e.g. viewBox="0 0 400 240") and fewer elements, or export it as PNG')


def _rasterise(drawing: _Drawing, problem: Callable[[str], Problem]) -> bytes:
    """The PNG typst draws of ``drawing``, from the cache when it is there; ``problem``
    makes the error of an SVG typst cannot read from typst's message."""
    key = hashlib.sha256()
    for piece in (drawing.svg, repr(sorted(drawing.size.items())), str(drawing.ppi),
                  *drawing.families, *(face.key for face in drawing.faces)):
        key.update(piece.encode("utf-8") + b"\0")
    cached = (cache_dir(f"{drawing.kind}s") /
              f"{_FORMAT[drawing.kind]}-{_renderer()}-{key.hexdigest()[:24]}.png")
    with contextlib.suppress(OSError):
        kept = cached.read_bytes()
        if kept.startswith(_PNG):
            return kept
    # a design boundary: only an SVG not rasterised before loads typst
    import typst

    inputs = {"svg": drawing.svg, **drawing.size, "families": "\n".join(drawing.families)}
    with scratch_folder("briefpress-fonts-") as fonts:
        # typst reads fonts from folders of font files; the faces as the Word file embeds them
        for number, face in enumerate(drawing.faces):
            (fonts / f"{number}.ttf").write_bytes(face.truetype())
        try:
            png = typst.compile(_PAGE, format="png", ppi=drawing.ppi, sys_inputs=inputs,
                                ignore_system_fonts=True,
                                font_paths=[str(fonts)] if drawing.faces else [])
        except typst.TypstError as exc:
            raise BriefError(problem(str(exc))) from None
    assert isinstance(png, bytes)
    with contextlib.suppress(OSError):  # a read-only or full cache only loses the cache
        atomic_write_bytes(cached, png)
    return png


def fallback_families(brand: Brand | None) -> list[str]:
    """The families for a figure's text whose own family the Word file lacks: the edition's
    sans-serif, a chart's usual face, then its serif (:func:`design.figure_families`)."""
    return list(design.figure_families(brand))


def add_png_fallbacks(parts: dict[str, bytes], figures: Mapping[str, SvgFigure],
                      faces: list[EmbeddedFace], brand: Brand | None, source: Path) -> None:
    """Give every picture of the package ``parts`` that pandoc wrote with an SVG only (an
    ``a:blip`` with no image of its own, its ``asvg:svgBlip`` naming the SVG) a PNG of that
    SVG as its image, as Word writes a picture: the PNG for every reader, the SVG for Word
    2016 and later, drawn at the size the picture has in the text (:func:`fit_pictures`
    fits it to the page first). ``figures`` says where each SVG (by the SHA-256 of its
    bytes) is in brief.md (``source``), for errors."""
    families = fallback_families(brand)
    added = False
    for name in sorted(parts):
        if not name.endswith(".xml") or b"svgBlip" not in parts[name]:
            continue
        folder, base = name.rsplit("/", 1)
        rels_name = f"{folder}/_rels/{base}.rels"
        if rels_name not in parts:
            continue
        root, rels = trusted_xml(parts[name]), trusted_xml(parts[rels_name])
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
        made: dict[str, str] = {}  # a PNG part's target -> its relationship's id
        for blip in root.iter(qname(A, "blip")):
            vector = blip.find(f"{qname(A, 'extLst')}/{qname(A, 'ext')}/{qname(ASVG, 'svgBlip')}")
            if blip.get(qname(R, "embed")) is not None or vector is None:
                continue
            target = targets.get(vector.get(qname(R, "embed")), "")
            svg = parts.get(f"{folder}/{target}")
            frame = next((up for up in blip.iterancestors(qname(WP, "inline"),
                                                          qname(WP, "anchor"))), None)
            extent = frame.find(qname(WP, "extent")) if frame is not None else None
            if svg is None or extent is None or not target.endswith(".svg"):
                continue  # not pandoc's picture of an embedded SVG
            figure = figures.get(hashlib.sha256(svg).hexdigest(),
                                 SvgFigure("an SVG image", source, None))
            png = figure_png(svg, int(extent.get("cx", "0")), int(extent.get("cy", "0")),
                             figure, faces, families)
            png_target = _png_target(target, png, parts, folder)
            parts[f"{folder}/{png_target}"] = png
            if png_target not in made:
                made[png_target] = _free_id(targets, made)
                etree.SubElement(rels, qname(REL, "Relationship"), {
                    "Id": made[png_target], "Type": IMAGE_REL, "Target": png_target})
            blip.set(qname(R, "embed"), made[png_target])
        if made:
            parts[name], parts[rels_name] = part_bytes(root), part_bytes(rels)
            added = True
    if added:
        _declare_png(parts)


TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
"""The parts whose pictures stand in the page's text (a header's logo is sized apart)."""


def fit_pictures(parts: dict[str, bytes]) -> None:
    """Scale every picture of the text of the package ``parts`` (raster and SVG alike) down
    to the text area of its page (:func:`text_area`, from the main part's last section: set
    the page before), as Word shows a picture larger than its page; a part none of whose
    pictures is too large keeps its bytes."""
    if MAIN_PART not in parts:
        return
    room = text_area(parts[MAIN_PART])
    for name in TEXT_PARTS:
        if name not in parts or b"drawing" not in parts[name]:
            continue
        root = trusted_xml(parts[name])
        fitted = [fit_to_page(frame, room)
                  for frame in root.iter(qname(WP, "inline"), qname(WP, "anchor"))]
        if any(fitted):
            parts[name] = part_bytes(root)


def text_area(document: bytes) -> tuple[int, int]:
    """The width and height, in EMU, a figure of the main part ``document`` may take: its
    last section's page less its margins (Word's default page if it has none), less
    :data:`CAPTION_ROOM_IN` of height for the caption (at most half the height)."""
    section = trusted_xml(document).find(f"{qname(W, 'body')}/{qname(W, 'sectPr')}")
    width, height, top, right, bottom, left = (
        round(inches * TWIPS_PER_IN) for inches in LETTER_PAGE)
    if section is not None:
        size, margins = section.find(qname(W, "pgSz")), section.find(qname(W, "pgMar"))
        if size is not None:
            width, height = _twips(size, "w", width), _twips(size, "h", height)
        if margins is not None:
            top, right, bottom, left = (_twips(margins, side, value) for side, value in (
                ("top", top), ("right", right), ("bottom", bottom), ("left", left)))
    emu = EMU_PER_IN // TWIPS_PER_IN
    text_height = max(height - top - bottom, 1) * emu
    return (max(width - left - right, 1) * emu,
            max(text_height - round(CAPTION_ROOM_IN * EMU_PER_IN), text_height // 2))


def _twips(element: Any, name: str, default: int) -> int:
    """The attribute ``w:name`` of ``element`` in twips, ``default`` if it is missing or no
    number; a margin's size (a negative top or bottom margin is one the text may not move)."""
    try:
        return abs(int(element.get(qname(W, name), "")))
    except ValueError:
        return default


def fit_to_page(frame: Any, room: tuple[int, int]) -> bool:
    """Scale the picture ``frame`` (a ``wp:inline`` or ``wp:anchor``) down to fit ``room``
    (width and height in EMU), its shape kept, as Word shows a picture larger than its page:
    its extent in the text (``wp:extent``) and its drawing's (each ``a:ext`` of its shape).
    Whether it was scaled."""
    extent = frame.find(qname(WP, "extent"))
    if extent is None:
        return False
    try:
        cx, cy = int(extent.get("cx", "0")), int(extent.get("cy", "0"))
    except ValueError:
        return False
    if cx <= 0 or cy <= 0 or (cx <= room[0] and cy <= room[1]):
        return False
    scale = min(room[0] / cx, room[1] / cy)
    size = (str(max(1, round(cx * scale))), str(max(1, round(cy * scale))))
    for element in (extent, *frame.iter(qname(A, "ext"))):
        # an a:ext of an extension list (the SVG's) has a uri and no size: left be
        if element.get("cx") is not None and element.get("cy") is not None:
            element.set("cx", size[0])
            element.set("cy", size[1])
    return True


def _png_target(svg_target: str, png: bytes, parts: dict[str, bytes], folder: str) -> str:
    """The PNG's part beside its SVG (``media/rId21.png``), another name if that SVG is also
    shown at another size."""
    stem = svg_target.removesuffix(".svg")
    target = f"{stem}.png"
    number = 1
    while parts.get(f"{folder}/{target}", png) != png:
        number += 1
        target = f"{stem}-{number}.png"
    return target


def _free_id(targets: dict[str, str], made: dict[str, str]) -> str:
    """A relationship id the part does not use yet."""
    number = len(made) + 1
    while f"rIdPng{number}" in targets or f"rIdPng{number}" in made.values():
        number += 1
    return f"rIdPng{number}"


def _declare_png(parts: dict[str, bytes]) -> None:
    """[Content_Types].xml with PNG parts declared, if pandoc had none."""
    types = trusted_xml(parts["[Content_Types].xml"])
    if any(d.get("Extension", "").lower() == "png"
           for d in types.iterchildren(qname(CT, "Default"))):
        return
    types.insert(0, types.makeelement(qname(CT, "Default"), {"Extension": "png",
                                                             "ContentType": "image/png"}))
    parts["[Content_Types].xml"] = part_bytes(types)
