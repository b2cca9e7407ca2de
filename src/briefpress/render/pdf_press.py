"""Turn WeasyPrint's PDF/X-4 file into one for the press: CMYK only, crop marks, a stable id.

WeasyPrint paints a few things in RGB whatever the stylesheet says (the colours inside
an SVG image), draws its own crop marks (CSS ``marks: crop``) in RGB black inside the
bleed, where they vanish on a full-bleed page, and gives the PDF/X metadata a random
document id. This step, run on the written file with pikepdf's public API:

- parses every content stream (pages and the form XObjects they draw) and turns each
  RGB colour operator into its CMYK equivalent through the output intent's profile;
- widens each page's MediaBox past the bleed by a slug and draws the crop marks there,
  in registration colour (all four plates), clear of the bleed, as artifacts;
- names the document by the source revision and saves with a deterministic file id;
- corrects two of WeasyPrint's PDF/X-4 XMP properties (see :func:`_press_metadata`).
"""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

import pikepdf
from PIL import Image, ImageCms

RGB_TO_CMYK = {"rg": "k", "RG": "K"}
"""The RGB colour operators and their CMYK twins (fill, stroke)."""

MARK_GAP = 3.0
"""Points between the bleed's edge and a crop mark, so no mark reaches into the bleed."""

MARK_LENGTH = 15.0
"""Length of a crop mark, in points."""

MARK_WEIGHT = 0.25
"""Line width of a crop mark, in points (a hairline, as printers draw them)."""

SLUG = MARK_GAP + MARK_LENGTH + 3.0
"""How far the MediaBox reaches past the BleedBox: room for the marks."""


def finish_press(path: Path, profile: Path, document_key: str) -> None:
    """Rewrite the PDF/X file at ``path`` in place (see the module docstring)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _convert(page.obj, pdf, profile, seen)
            _crop_marks(page, pdf)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            _press_metadata(xmp, document_key)
        pdf.save(path, deterministic_id=True)


RENDITION_CLASS = "default"
"""The XMP rendition class of the press file: the master of the document (XMP Media
Management's "default"), not a review proof ("proof:pdf", which WeasyPrint writes)."""


def _press_metadata(xmp: pikepdf.models.PdfMetadata, document_key: str) -> None:
    """The XMP of the press file: a document id named by the source; the rendition class
    of a print master; no ``pdfx:GTS_PDFXConformance``, a key of PDF/X-1a and PDF/X-3
    (WeasyPrint writes it for every PDF/X, "PDF/X-4" in it here), whereas PDF/X-4 says what
    it is by ``pdfxid:GTS_PDFXVersion`` alone."""
    xmp["xmpMM:DocumentID"] = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, document_key)}"
    xmp["xmpMM:RenditionClass"] = RENDITION_CLASS
    if "pdfx:GTS_PDFXConformance" in xmp:
        del xmp["pdfx:GTS_PDFXConformance"]


def _crop_marks(page: pikepdf.Page, pdf: pikepdf.Pdf) -> None:
    """Widen the MediaBox by the slug and draw the eight crop marks in it.

    The page's own content is wrapped in ``q``/``Q`` first: WeasyPrint leaves its flip of
    the coordinate system in force, and the marks are drawn in the PDF's own units.
    """
    trim = [float(v) for v in page.obj.TrimBox]
    bleed = [float(v) for v in page.obj.BleedBox]
    page.obj.MediaBox = pikepdf.Array([bleed[0] - SLUG, bleed[1] - SLUG,
                                       bleed[2] + SLUG, bleed[3] + SLUG])
    x0, y0, x1, y1 = trim
    lines = []
    for x, y, outward_x, outward_y in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1),
                                       (x1, y1, 1, 1)):
        # a horizontal mark on the trim's y, out past the bleed on the x side; and a
        # vertical one on its x, out past the bleed on the y side
        start_x = (bleed[0] if outward_x < 0 else bleed[2]) + outward_x * MARK_GAP
        start_y = (bleed[1] if outward_y < 0 else bleed[3]) + outward_y * MARK_GAP
        lines.append(((start_x, y), (start_x + outward_x * MARK_LENGTH, y)))
        lines.append(((x, start_y), (x, start_y + outward_y * MARK_LENGTH)))
    marks: list[tuple[list, pikepdf.Operator]] = [
        ([pikepdf.Name.Artifact], pikepdf.Operator("BMC")), ([], pikepdf.Operator("q")),
        ([MARK_WEIGHT], pikepdf.Operator("w")), ([1, 1, 1, 1], pikepdf.Operator("K"))]
    for (ax, ay), (bx, by) in lines:
        marks += [([round(ax, 3), round(ay, 3)], pikepdf.Operator("m")),
                  ([round(bx, 3), round(by, 3)], pikepdf.Operator("l"))]
    marks += [([], pikepdf.Operator("S")), ([], pikepdf.Operator("Q")),
              ([], pikepdf.Operator("EMC"))]
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"Q\n" + pikepdf.unparse_content_stream(marks)))


def _convert(owner: pikepdf.Object, pdf: pikepdf.Pdf, profile: Path,
             seen: set[tuple[int, int]]) -> None:
    """Convert the content of a page or form XObject, then of the forms it draws."""
    instructions = pikepdf.parse_content_stream(owner)
    if any(str(op) in RGB_TO_CMYK for _, op in instructions):
        rewritten = []
        for operands, operator in instructions:
            if str(operator) in RGB_TO_CMYK:
                cmyk = rgb_to_cmyk(tuple(float(v) for v in operands), profile)
                rewritten.append(([*cmyk], pikepdf.Operator(RGB_TO_CMYK[str(operator)])))
            else:
                rewritten.append((operands, operator))
        data = pikepdf.unparse_content_stream(rewritten)
        if isinstance(owner, pikepdf.Stream):
            owner.write(data)
        else:  # a page: its /Contents replaced by one stream
            owner.Contents = pdf.make_stream(data)
    for xobject in owner.get("/Resources", {}).get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _convert(xobject, pdf, profile, seen)


def rgb_to_cmyk(rgb: tuple[float, ...], profile: Path) -> tuple[float, float, float, float]:
    """An sRGB colour (0-1) as CMYK (0-1) for ``profile``: greys on the black plate alone
    (crop marks and hairlines never need four plates in register), colours through the
    profile (relative colorimetric), rounded to 0.1 %."""
    r, g, b = rgb
    if r == g == b:
        return 0.0, 0.0, 0.0, round(1 - r, 3)
    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in rgb))
    converted = ImageCms.applyTransform(pixel, _transform(str(profile)))
    assert converted is not None
    c, m, y, k = converted.getpixel((0, 0))  # type: ignore[misc]
    return tuple(round(v / 255, 3) for v in (c, m, y, k))  # type: ignore[return-value]


@cache
def _transform(profile: str) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), profile, "RGB", "CMYK")
