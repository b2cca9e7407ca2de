"""support/sandbox.py: renders read files of the brief and small data: URLs, nothing else."""

from __future__ import annotations

import base64
import warnings
from pathlib import Path
from typing import Any

import pytest

from briefpress.errors import BriefError, Problem
from briefpress.support.sandbox import MAX_DATA_URL_BYTES, Resource, Sandbox

PNG = b"\x89PNG\r\n\x1a\nfake"


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "a-brief"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "chart one.png").write_bytes(PNG)
    (tmp_path / "secret.txt").write_text("secret")
    return folder


def sandbox(brief: Path, text: str = "") -> Sandbox:
    return Sandbox([brief, brief.parent.parent / "styles"], brief / "brief.md", text)


def refusal(box: Sandbox, url: str) -> Problem:
    with pytest.raises(BriefError) as caught:
        box.open(url)
    (problem,) = caught.value.problems
    return problem


def test_a_file_of_the_brief_is_served_with_its_type(brief):
    url = (brief / "img" / "chart one.png").as_uri()
    assert url.endswith("chart%20one.png")
    resource = sandbox(brief).open(url)
    assert resource == Resource(url, PNG, "image/png", (brief / "img" / "chart one.png"))


def test_a_file_of_unknown_type_is_octet_stream(brief):
    (brief / "data.zzz").write_bytes(b"x")
    assert sandbox(brief).open((brief / "data.zzz").as_uri()).media_type == \
        "application/octet-stream"


def test_a_file_outside_the_brief_is_refused_where_the_author_wrote_it(brief):
    text = "# Intro\n\n![chart](../../secret.txt)\n"
    problem = refusal(sandbox(brief, text), (brief / ".." / ".." / "secret.txt").as_uri())
    assert problem.file == brief / "brief.md"
    assert problem.line == 3
    assert problem.message == "reference '../../secret.txt' is outside the brief's folder"
    assert problem.fix.startswith("copy the file into ") and problem.fix.endswith(
        "/ and refer to it by a relative path")


def test_a_symlink_out_of_the_brief_is_refused(brief):
    (brief / "link.png").symlink_to(brief.parent.parent / "secret.txt")
    problem = refusal(sandbox(brief, "![x](link.png)"), (brief / "link.png").as_uri())
    assert (problem.line, problem.message) == (
        1, "reference 'link.png' is outside the brief's folder")


@pytest.mark.parametrize(("name", "why"), [
    ("missing.png", "does not exist"),
    ("img", "is not a file: it is a folder"),
])
def test_missing_files_and_folders_are_refused(brief, name, why):
    problem = refusal(sandbox(brief, f"see ![x]({name})"), (brief / name).as_uri())
    assert problem.message == f"reference {name!r} {why}"
    assert problem.line == 1


def test_network_and_other_machines_are_refused(brief):
    assert refusal(sandbox(brief), "https://example.org/x.png").message == (
        "reference 'https://example.org/x.png' is not a file of the brief: renders fetch "
        "nothing from the network")
    problem = refusal(sandbox(brief, "\n![x](file://server/share/x.png)"),
                      "file://server/share/x.png")
    assert (problem.line, problem.message) == (
        2, "reference 'file://server/share/x.png' names another machine")
    assert sandbox(brief).open("file://localhost" + str(brief / "img" / "chart one.png")
                               ).data == PNG


def test_data_urls(brief):
    box = sandbox(brief)
    encoded = base64.b64encode(PNG).decode()
    assert box.open(f"data:image/png;base64,{encoded}") == Resource(
        f"data:image/png;base64,{encoded}", PNG, "image/png")
    assert box.open("data:,a%20b").data == b"a b"
    assert box.open("data:,a%20b").media_type == "text/plain"


def test_bad_data_urls_are_refused_shown_short(brief):
    box = sandbox(brief, "![x](data:image/png;base64,!!!)")
    problem = refusal(box, "data:image/png;base64,!!!")
    assert (problem.line, problem.message) == (
        1, "reference 'data:image/png;base64,!!!' is a data: URL whose base64 does not decode")
    assert refusal(box, "data:image/png;base64").message == (
        "reference 'data:image/png;base64' is a malformed data: URL")
    big = "data:image/png;base64," + "A" * MAX_DATA_URL_BYTES
    assert refusal(box, big).message == (
        f"reference {big[:40] + '…'!r} is a data: URL of 512 kB, over the 512 kB limit")


def test_as_written_finds_relative_and_absolute_spellings(brief):
    path = brief / "img" / "chart one.png"
    box = sandbox(brief, "![a](img/chart one.png)")
    assert box.as_written(path.as_uri()) == "img/chart one.png"
    assert sandbox(brief).as_written(path.as_uri()) == str(path)  # not found: the path
    assert box.line_of("nowhere") is None


def test_a_file_url_is_percent_decoded_once(scratch: Any) -> None:
    folder = scratch()
    (folder / "a b.txt").write_text("spaced", encoding="utf-8")
    (folder / "a%20b.txt").write_text("literal", encoding="utf-8")
    sandbox = Sandbox([folder], folder / "brief.md", "")
    assert sandbox.open((folder / "a%20b.txt").as_uri().replace("%2520", "%20")).data == b"spaced"
    assert sandbox.open((folder / "a%20b.txt").as_uri()).data == b"literal"


def _png(path: Path, size: tuple[int, int], mode: str = "RGB") -> bytes:
    from PIL import Image
    Image.new(mode, size).save(path)
    return path.read_bytes()


def test_an_image_over_the_pixel_limit_is_refused_with_its_size(brief, monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_IMAGE_MEGAPIXELS", "1")
    _png(brief / "wide.png", (1000, 1000))
    data = _png(brief / "big.png", (1250, 1000))
    assert sandbox(brief).open((brief / "wide.png").as_uri()).media_type == "image/png"
    box = sandbox(brief, "![A chart](big.png)")
    fix = ("scale it down: print needs at most about 300 pixels an inch at the size shown "
           "(some 2,500 pixels across a full page), or set BRIEFPRESS_LIMIT_IMAGE_MEGAPIXELS "
           "to raise the limit (default 40)")
    assert refusal(box, (brief / "big.png").as_uri()) == Problem(
        brief / "brief.md", 1, "reference 'big.png' is an image of 1250\u00d71000 px "
        "(1.2 megapixels), over the limit of 1 megapixels", fix)
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    assert "over the limit of 1 megapixels" in refusal(box, url).message


def test_an_image_past_pillow_s_guard_is_refused_in_words_not_warned(brief, recwarn):
    _png(brief / "huge.png", (14_000, 13_000), mode="1")  # 182 megapixels, 1 bit each
    problem = refusal(sandbox(brief), (brief / "huge.png").as_uri())
    assert problem.message.endswith("is an image of more than 179 megapixels, more than the "
                                    "image library opens")
    assert problem.fix.startswith("scale it down")
    assert not recwarn.list


def test_an_image_over_pillow_s_warning_but_within_the_limit_warns_nothing(
        brief, monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_IMAGE_MEGAPIXELS", "150")
    _png(brief / "big.png", (10_000, 9_000), mode="1")  # 90 megapixels: Pillow would warn
    # the process's filters as they stand (recwarn would show every warning, filters or not)
    with warnings.catch_warnings(record=True) as caught:
        assert sandbox(brief).open((brief / "big.png").as_uri()).media_type == "image/png"
    assert not caught


@pytest.mark.parametrize(("name", "data"), [("empty.png", b""),
                                            ("fake.png", b"GIF89a not really")])
def test_a_file_that_is_no_image_is_refused_as_the_pdf_refuses_it(brief, name, data):
    """check asks the same gate: it says what the build says, not nothing."""
    (brief / name).write_bytes(data)
    assert refusal(sandbox(brief, f"![A chart]({name})"), (brief / name).as_uri()) == Problem(
        brief / "brief.md", 1, f"reference {name!r} cannot be read as an image",
        "save it as PNG, JPEG, GIF, WebP or SVG")
