"""read/logo.py: a brand's SVG logo read on its own: cleaned into markup to inline, its
lettering and its size checked, an unusable file refused (tests/read/test_brand.py reads
logos through whole brands)."""

from __future__ import annotations

from pathlib import Path

from briefpress.read.logo import read_logo

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20">{}</svg>'


def test_a_clean_logo_is_inlined_without_its_script_or_declaration(tmp_path: Path) -> None:
    path = tmp_path / "logo.svg"
    path.write_text('<?xml version="1.0"?>\n' + SVG.format(
        '<script>alert(1)</script><rect width="4" height="2"/>'), encoding="utf-8")
    markup, problems = read_logo(path)
    assert problems == []
    assert markup is not None and markup.startswith("<svg") and "<rect" in markup
    assert "script" not in markup and "<?xml" not in markup


def test_lettering_and_a_bad_size_are_each_found(tmp_path: Path) -> None:
    path = tmp_path / "logo.svg"
    path.write_text(SVG.replace('viewBox="0 0 40 20"', 'viewBox="0 0 4000 1"').format(
        "<text>Tidewater</text>"), encoding="utf-8")
    markup, problems = read_logo(path)
    assert markup is not None
    assert [p.message.split(" (")[0] for p in problems] == [
        "the logo sets text", "the logo is 4000 times as wide as it is high"]


def test_an_svg_that_is_no_xml_is_unusable(tmp_path: Path) -> None:
    path = tmp_path / "logo.svg"
    path.write_text("<svg><unclosed></svg>", encoding="utf-8")
    markup, [problem] = read_logo(path)
    assert markup is None and problem.message.startswith("the logo is unusable")

