"""render/sanitize.py: what of an author's raw HTML the web page keeps, and how images in it are
resolved or refused."""

from __future__ import annotations

import pytest

from briefpress.errors import BriefError, Problem
from briefpress.render.sanitize import Sanitizer


def _no_images(src: str) -> str:
    raise AssertionError(f"unexpected image {src}")


@pytest.mark.parametrize(("dirty", "clean"), [
    ('<p>a<script>alert(1)</script>b</p>', "<p>ab</p>"),
    ('<p onclick="x()" onmouseover="y()">a</p>', "<p>a</p>"),
    ('<a href="javascript:alert(1)">a</a>', "<a>a</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">a</a>', "<a>a</a>"),
    ('<a href="data:text/html,<script>x</script>">a</a>', "<a>a</a>"),
    ('<a href="https://example.org/x" target="_blank">a</a>', '<a href="https://example.org/x">a</a>'),
    ('<iframe src="https://evil.example"></iframe>ok', "ok"),
    ('<object data="x.swf"></object>ok', "ok"),  # <embed>: tests/test_security.py
    ('<style>body{display:none}</style>ok', "ok"),
    ('<p style="position:fixed;background:url(https://evil.example/t.gif)">a</p>', "<p>a</p>"),
    ('<td style="text-align: right;">1</td>', "1"),
    ('<table><tr><td style="text-align: right;">1</td></tr></table>',
     '<table><tbody><tr><td style="text-align: right;">1</td></tr></tbody></table>'),
    ('<table><tr><td style="text-align: right; color: red">1</td></tr></table>',
     "<table><tbody><tr><td>1</td></tr></tbody></table>"),
    ('<h2 id="conclusion">Fake</h2><section id="x">s</section>', "Fakes"),
    ('<form action="https://evil.example"><input name="q"></form>ok', "ok"),
    ('<link rel="stylesheet" href="https://evil.example/x.css"><meta http-equiv="refresh">ok',
     "ok"),
    ('<svg onload="alert(1)"><script>x</script></svg>ok', "ok"),
    ('<span role="button" aria-label="x">a</span>', '<span aria-label="x">a</span>'),
    ('<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a>',
     '<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a>'),
    ("<!-- a comment -->ok", "ok"),
])
def test_sanitizer(dirty: str, clean: str) -> None:
    assert Sanitizer(_no_images).clean(dirty) == clean


def _resolver(seen: list[str]) -> Sanitizer:
    """A sanitiser whose images live under assets/media/, except those named ``bad…``."""
    def resolve(src: str) -> str:
        seen.append(src)
        if src.startswith("bad"):
            raise BriefError(Problem("brief.md", 3, f"image {src!r} refused", "use another"))
        return f"assets/media/{src}"

    return Sanitizer(resolve)


def test_an_image_gets_the_address_its_resolver_gives() -> None:
    seen: list[str] = []
    assert _resolver(seen).clean('<p><img src="chart.png" alt="A chart"></p>') == \
        '<p><img src="assets/media/chart.png" alt="A chart"></p>'
    assert seen == ["chart.png"]


def test_a_data_url_image_is_the_resolvers_to_judge_not_dropped_unseen() -> None:
    seen: list[str] = []
    _resolver(seen).clean('<img src="data:image/png;base64,AAAA">')
    assert seen == ["data:image/png;base64,AAAA"]


def test_an_embed_is_checked_like_an_image_then_dropped() -> None:
    seen: list[str] = []
    assert _resolver(seen).clean('<p><embed src="chart.svgz" type="x">text</p>') == \
        "<p>text</p>"
    assert seen == ["chart.svgz"]
    with pytest.raises(BriefError, match=r"image 'bad\.svgz' refused"):
        _resolver([]).clean('<embed src="bad.svgz">')


def test_every_refused_image_is_reported_at_once_and_the_next_fragment_starts_clean() -> None:
    sanitizer = _resolver([])
    with pytest.raises(BriefError) as caught:
        sanitizer.clean('<img src="bad1.png"><p><img src="ok.png"><img src="bad2.png"></p>')
    assert [(p.file, p.line, p.message, p.fix) for p in caught.value.problems] == [
        ("brief.md", 3, "image 'bad1.png' refused", "use another"),
        ("brief.md", 3, "image 'bad2.png' refused", "use another")]
    assert sanitizer.clean('<img src="ok.png">') == '<img src="assets/media/ok.png">'


@pytest.mark.parametrize(("dirty", "clean"), [
    ('<span class="visually-hidden note">x</span>', '<span class="note">x</span>'),
    ('<span class="toc downloads">x</span>', "<span>x</span>"),
    ('<span class="skip-link">x</span>', "<span>x</span>"),
])
def test_classes_that_would_hide_text_are_dropped(dirty: str, clean: str) -> None:
    assert Sanitizer(_no_images).clean(dirty) == clean


@pytest.mark.parametrize(("style", "kept"), [
    ("width: 50%;", True), ("height:12.5%", True), ("width: 500px", False),
    ("width: 50%; position: fixed", False), ("text-align: right;", False),
])
def test_an_image_keeps_only_a_relative_size(style: str, kept: bool) -> None:
    cleaned = Sanitizer(lambda src: src).clean(f'<img src="a.png" style="{style}">')
    assert cleaned == (f'<img src="a.png" style="{style}">' if kept else '<img src="a.png">')


def test_a_column_keeps_its_relative_width() -> None:
    html = '<table><colgroup><col style="width: 30%"></colgroup></table>'
    assert Sanitizer(_no_images).clean(html) == html
    assert Sanitizer(_no_images).clean(html.replace("30%", "30em")) == \
        "<table><colgroup><col></colgroup></table>"


@pytest.mark.parametrize(("href", "kept"), [
    ("java&#9;script:alert(1)", False),  # a browser drops the tab: still javascript:
    ("java%09script:alert(1)", False),
    ("java%0Ascript:alert(1)", False),
    ("file:///etc/passwd", False),
    ("ftp://example.org/notes", False),
    ("mailto:editor@example.org", True),
    ("#fn1", True),
    ("../other-brief/", True),
    ("HTTPS://example.org/", True),
])
def test_a_link_keeps_its_address_only_for_allowed_schemes(href: str, kept: bool) -> None:
    cleaned = Sanitizer(_no_images).clean(f'<a href="{href}">a</a>')
    assert (cleaned != "<a>a</a>") is kept, cleaned


def test_list_numbering_and_line_breaks_are_kept() -> None:
    html = '<ol start="3" type="a"><li value="4">x<br>y</li></ol>'
    assert Sanitizer(_no_images).clean(html) == html
