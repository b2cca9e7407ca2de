"""A PDF/X file made ready for the press: RGB colours into CMYK, crop marks in the slug, a stable
document id (render/pdf_press.py), on small PDFs made with pikepdf."""

from __future__ import annotations

import uuid
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from briefpress.render.pdf import CMYK_PROFILE
from briefpress.render.pdf_press import (
    MARK_GAP,
    MARK_LENGTH,
    MARK_WEIGHT,
    SLUG,
    finish_press,
    rgb_to_cmyk,
)

TRIM = (0.0, 0.0, 200.0, 300.0)
BLEED = (-9.0, -9.0, 209.0, 309.0)


def _form(pdf: pikepdf.Pdf, content: bytes, **resources: pikepdf.Object) -> pikepdf.Stream:
    return pikepdf.Stream(pdf, content, Type=Name.XObject, Subtype=Name.Form,
                          BBox=Array([0, 0, 10, 10]), Resources=Dictionary(XObject=Dictionary(
                              {f"/{name}": value for name, value in resources.items()})))


def press_file(path: Path, pages: int = 2) -> Path:
    """A PDF/X-like file of ``pages`` pages with a bleed: each page paints in RGB (a red, a
    grey stroke) and draws a form (a blue-green fill, and a form within it stroking blue)
    shared by every page, and an RGB image."""
    pdf = pikepdf.new()
    inner = _form(pdf, b"0 0 1 RG 0 0 m 10 10 l S")
    form = _form(pdf, b"0.2 0.4 0.6 rg 0 0 5 5 re f /Inner Do", Inner=inner)
    image = pikepdf.Stream(pdf, b"\xff\x00\x00", Type=Name.XObject, Subtype=Name.Image,
                           Width=1, Height=1, ColorSpace=Name.DeviceRGB, BitsPerComponent=8)
    for _ in range(pages):
        pdf.add_blank_page(page_size=(TRIM[2], TRIM[3]))
        page = pdf.pages[-1].obj
        page.MediaBox, page.TrimBox, page.BleedBox = Array(BLEED), Array(TRIM), Array(BLEED)
        page.Resources = Dictionary(XObject=Dictionary(Form=form, Image=image))
        page.Contents = pdf.make_stream(b"1 0 0 rg 0 0 50 50 re f 0.5 0.5 0.5 RG 0 0 m 9 9 l S"
                                        b" /Form Do q 10 0 0 10 0 0 cm /Image Do Q")
    pdf.save(path)
    return path


def operators(stream: pikepdf.Object) -> list[tuple[str, list[float | str]]]:
    """The operators of a content stream, numbers as floats and names as text."""
    return [(str(op), [str(v) if isinstance(v, pikepdf.Name) else float(v) for v in operands])
            for operands, op in pikepdf.parse_content_stream(stream)]


@pytest.fixture
def pressed(tmp_path: Path) -> pikepdf.Pdf:
    path = press_file(tmp_path / "press.pdf")
    finish_press(path, CMYK_PROFILE, "briefpress:brief:abc:letter:facing")
    return pikepdf.open(path)


# --------------------------------------------------------------------------- rgb_to_cmyk

def test_greys_go_on_the_black_plate_alone() -> None:
    assert rgb_to_cmyk((0.0, 0.0, 0.0), CMYK_PROFILE) == (0.0, 0.0, 0.0, 1.0)
    assert rgb_to_cmyk((1.0, 1.0, 1.0), CMYK_PROFILE) == (0.0, 0.0, 0.0, 0.0)
    assert rgb_to_cmyk((0.3, 0.3, 0.3), CMYK_PROFILE) == (0.0, 0.0, 0.0, 0.7)
    assert rgb_to_cmyk((0.12345, 0.12345, 0.12345), CMYK_PROFILE) == (0.0, 0.0, 0.0, 0.877)


def test_colours_go_through_the_profile_rounded_to_a_tenth_of_a_percent() -> None:
    red = rgb_to_cmyk((1.0, 0.0, 0.0), CMYK_PROFILE)
    assert red[0] < 0.1 and red[1] > 0.8 and red[2] > 0.8
    blue = rgb_to_cmyk((0.0, 0.0, 1.0), CMYK_PROFILE)
    assert blue[0] > 0.8 and blue[2] < 0.1
    near_grey = rgb_to_cmyk((0.5, 0.5, 0.51), CMYK_PROFILE)  # not a grey: all four plates
    assert near_grey[0] > 0 and near_grey[1] > 0
    for colour in (red, blue, near_grey):
        assert all(0 <= v <= 1 and round(v, 3) == v for v in colour), colour


# --------------------------------------------------------------------------- finish_press

def test_every_rgb_operator_of_pages_and_forms_becomes_its_cmyk_twin(pressed: pikepdf.Pdf
                                                                     ) -> None:
    red, blue = (rgb_to_cmyk(c, CMYK_PROFILE) for c in ((1, 0, 0), (0, 0, 1)))
    teal = rgb_to_cmyk((0.2, 0.4, 0.6), CMYK_PROFILE)
    for page in pressed.pages:
        ops = [op for stream in page.obj.Contents for op in operators(stream)]
        assert ("k", list(red)) in ops and ("K", [0.0, 0.0, 0.0, 0.5]) in ops
        assert not {"rg", "RG"} & {name for name, _ in ops}
        assert ("Do", ["/Image"]) in ops and ("re", [0.0, 0.0, 50.0, 50.0]) in ops  # the rest
        form = page.obj.Resources.XObject.Form
        assert operators(form)[0] == ("k", list(teal))
        assert operators(form.Resources.XObject.Inner)[0] == ("K", list(blue))
        assert page.obj.Resources.XObject.Image.read_bytes() == b"\xff\x00\x00"  # as it was


def test_the_media_box_reaches_past_the_bleed_by_the_slug(pressed: pikepdf.Pdf) -> None:
    for page in pressed.pages:
        assert [float(v) for v in page.obj.MediaBox] == [
            BLEED[0] - SLUG, BLEED[1] - SLUG, BLEED[2] + SLUG, BLEED[3] + SLUG]
        assert [float(v) for v in page.obj.TrimBox] == list(TRIM)
        assert [float(v) for v in page.obj.BleedBox] == list(BLEED)


def test_eight_crop_marks_on_the_trim_lines_in_the_slug_in_registration(pressed: pikepdf.Pdf
                                                                        ) -> None:
    for page in pressed.pages:
        first, *_, last = page.obj.Contents
        assert operators(first) == [("q", [])]  # the page's own drawing wrapped, then marks
        ops = operators(last)
        assert ops[0] == ("Q", [])
        assert ops[1:5] == [("BMC", ["/Artifact"]), ("q", []), ("w", [MARK_WEIGHT]),
                            ("K", [1.0, 1.0, 1.0, 1.0])]
        assert ops[-3:] == [("S", []), ("Q", []), ("EMC", [])]
        moves, lines = ([tuple(v) for name, v in ops if name == kind] for kind in ("m", "l"))
        # at each corner, one mark on the trim's horizontal and one on its vertical, each
        # starting MARK_GAP out from the bleed and running MARK_LENGTH further out
        near, far = MARK_GAP, MARK_GAP + MARK_LENGTH
        (left, bottom, right, top), (x0, y0, x1, y1) = BLEED, TRIM
        assert set(zip(moves, lines, strict=True)) == {
            *(((left - near, y), (left - far, y)) for y in (y0, y1)),
            *(((right + near, y), (right + far, y)) for y in (y0, y1)),
            *(((x, bottom - near), (x, bottom - far)) for x in (x0, x1)),
            *(((x, top + near), (x, top + far)) for x in (x0, x1))}
        assert far <= SLUG  # within the MediaBox


def test_the_document_id_and_the_file_id_come_from_the_key(tmp_path: Path) -> None:
    paths = [press_file(tmp_path / f"{n}.pdf") for n in range(3)]
    for path, key in zip(paths, ["key one", "key one", "key two"], strict=True):
        finish_press(path, CMYK_PROFILE, key)
    first, again, other = (path.read_bytes() for path in paths)
    assert first == again and first != other
    with pikepdf.open(paths[0]) as pdf:
        assert pdf.open_metadata()["xmpMM:DocumentID"] == \
            f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'key one')}"
        assert "MetadataDate" not in str(pdf.open_metadata())  # no clock, no editor stamped
