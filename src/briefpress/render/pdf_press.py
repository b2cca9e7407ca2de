"""Turn WeasyPrint's PDF/X-4 file into one a preflight passes: RGB colour into CMYK, a stable id.

WeasyPrint paints a few things in RGB whatever the stylesheet says (its crop marks are
an SVG stroked "black"; an SVG image keeps its own colours), and gives the PDF/X
metadata a random document id. This step, run on the written file with pikepdf's public
API, parses every content stream (pages and the form XObjects they draw), turns each RGB
colour operator into its CMYK equivalent through the output intent's profile, names the
document by the source revision, and saves with a deterministic file id.
"""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

import pikepdf
from PIL import Image, ImageCms

RGB_TO_CMYK = {"rg": "k", "RG": "K"}
"""The RGB colour operators and their CMYK twins (fill, stroke)."""


def finish_press(path: Path, profile: Path, document_key: str) -> None:
    """Rewrite the PDF/X file at ``path`` in place (see the module docstring)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _convert(page.obj, pdf, profile, seen)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["xmpMM:DocumentID"] = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, document_key)}"
        pdf.save(path, deterministic_id=True)


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
