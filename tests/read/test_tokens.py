"""read/tokens.py: the design tokens as styles/tokens.yaml has them, now."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpress.errors import BriefError
from briefpress.read import tokens as tokens_file


def test_the_design_tokens_follow_the_file(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = tmp_path / "tokens.yaml"
    tokens.write_bytes(tokens_file.TOKENS.read_bytes())
    monkeypatch.setattr(tokens_file, "TOKENS", tokens)
    before = tokens_file.house_tokens().colors["navy"]
    assert before != "#123456"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace(before, "#123456", 1),
                      encoding="utf-8")
    assert tokens_file.house_tokens().colors["navy"] == "#123456"


def test_a_token_length_is_read_in_points() -> None:
    """One reading of the tokens' lengths, for the Word styles and the tables' widths."""
    from briefpress.read.tokens import points

    assert [points(v) for v in ("12pt", "1in", "25.4mm", "2.54cm", "9", 7.5)] == pytest.approx(
        [12, 72, 72, 72, 9, 7.5])
    assert points("0.5em", em=11) == 5.5
    for bad in ("0.5em", "wide", "12px"):
        with pytest.raises(ValueError):
            points(bad)


def _tokens_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> Path:
    """A copy of styles/tokens.yaml with ``old`` replaced by ``new``, read as the tokens."""
    tokens = tmp_path / "tokens.yaml"
    text = tokens_file.TOKENS.read_text(encoding="utf-8")
    assert old in text
    tokens.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setattr(tokens_file, "TOKENS", tokens)
    return tokens


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.startswith(text) or line.startswith("  " + text))


def test_a_misspelt_token_is_an_error_on_its_line(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Every token is one an edition reads: one misspelt is an error where it is written,
    with the name it may stand for, before any render asks for the right one."""
    path = _tokens_with(tmp_path, monkeypatch, "  box-padding: 12pt", "  box-paddng: 12pt")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line(path, '  paragraph:')}: error: spacing.box-padding: field required "
        "(fix: add `box-padding:`)",
        f"{path}:{_line(path, 'box-paddng')}: error: unknown key 'spacing.box-paddng' "
        "(fix: did you mean 'box-padding'?)"]


def test_a_token_of_the_wrong_kind_is_an_error_on_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _tokens_with(tmp_path, monkeypatch, "  table-gap: 8pt", "  table-gap: 8 px")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line(path, '  table-gap:')}: error: print.table-gap: is not a length (got "
        "'8 px') (fix: write a number and its unit (pt, em, in, mm, cm), with no space "
        "between, e.g. `12pt`)"]


def test_a_colour_without_its_press_form_is_an_error(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = _tokens_with(tmp_path, monkeypatch, '  link: "#14508c"',
                        '  link: "#14508c"\n  sea: "#14508d"')
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line(path, 'sea:')}: error: colour `sea` has no CMYK value for the print "
        "edition (fix: add `sea: [C, M, Y, K]` under `colors_cmyk:`)"]


def test_bundled_faces_without_their_licence_are_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web page ships each bundled face's licence beside it: a role whose faces are
    bundled names it, or the licence would silently stay behind."""
    path = _tokens_with(tmp_path, monkeypatch, "    licence: OFL-SourceSans3.txt\n", "")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line(path, '  sans:')}: error: the `sans` fonts are bundled without their "
        "licence (fix: add `licence:` under `fonts.sans`: the licence's file in "
        "styles/fonts/)"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("licence: OFL-SourceSans3.txt", "licence: OFL-SourceSans.txt",
     "the licence `OFL-SourceSans.txt` is not in styles/fonts/ (fix: put the file there, or "
     "name the one that is)"),
    ('"source-sans-3-{subset}-700-normal"', '"source-sans-3-{subset}-700-norml"',
     "no font file `source-sans-3-latin-700-norml.woff2`, "
     "`source-sans-3-latin-ext-700-norml.woff2` in styles/fonts/ (fix: correct the `stem:` "
     "(its `{subset}` becomes each of latin, latin-ext), or add the files)"),
])
def test_a_font_file_or_licence_the_tokens_name_must_be_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str,
        message: str) -> None:
    """Found as the tokens are read, on its line, before any edition is written: not a
    missing file in the middle of a render."""
    path = _tokens_with(tmp_path, monkeypatch, old, new)
    assert _refused(path) == [f"{path}:{_line_with(path, new)}: error: {message}"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('margins: "0.9in 1in 0.95in 1in"', 'margins: "0.9in 1in"',
     "page.margins: is not four margins (got '0.9in 1in') (fix: write four lengths with a "
     "unit (pt, em, in, mm, cm): top, right, bottom and left, e.g. `0.9in 1in 0.9in 1in`)"),
    ('letter: "8.5in 11in"', 'letter: "8.5in"',
     "page.sizes.letter: is not a width and a height (got '8.5in') (fix: write two lengths "
     "with a unit (pt, em, in, mm, cm), e.g. `8.5in 11in`)"),
])
def test_a_page_takes_two_lengths_for_its_size_and_four_for_its_margins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str,
        message: str) -> None:
    path = _tokens_with(tmp_path, monkeypatch, old, new)
    assert _refused(path) == [f"{path}:{_line_with(path, new)}: error: {message}"]


@pytest.mark.parametrize("size", ["0", "-3", "400"])
def test_a_type_size_is_above_0_and_at_most_200_points(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: str) -> None:
    path = _tokens_with(tmp_path, monkeypatch, "  body: 10.5", f"  body: {size}")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (path, _line(path, f"  body: {size}"))
    assert problem.message.startswith("type.body: ")
    assert problem.fix == ("write a number of points, with no unit, above 0 and at most 200, "
                           "e.g. `10.5`")


@pytest.mark.parametrize(("old", "new", "message"), [
    ('accent: "#c8102e"', 'accent: "red"', "colors.accent: is not a colour (got 'red') (fix: "
     "write `#` and six hex digits, e.g. `#0b2545`)"),
    ("accent: [2, 100, 85, 6]", "accent: [2, 100, 185, 6]",
     "colors_cmyk.accent[2]: should be at most 100.0 (got 185) (fix: give four numbers, "
     "0 to 100: `[C, M, Y, K]` (cyan, magenta, yellow, black), e.g. `[100, 78, 28, 52]`)"),
    ("accent: [2, 100, 85, 6]", "accent: [2, 100, 85]",
     "colors_cmyk.accent: list should have exactly 4 entries (fix: give four numbers, "
     "0 to 100: `[C, M, Y, K]` (cyan, magenta, yellow, black), e.g. `[100, 78, 28, 52]`)"),
])
def test_a_bad_colour_is_named_on_its_own_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str,
        message: str) -> None:
    path = _tokens_with(tmp_path, monkeypatch, old, new)
    assert _refused(path) == [f"{path}:{_line_with(path, new)}: error: {message}"]


def test_a_cmyk_colour_s_name_of_the_wrong_form_keeps_its_own_fix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CMYK fix is for a colour's value, not its name (it was given to both: "the key
    is not an id (fix: write cyan, magenta, yellow and black …)")."""
    path = _tokens_with(tmp_path, monkeypatch, "accent: [2, 100, 85, 6]",
                        "Accent: [2, 100, 85, 6]")
    said = (f"{path}:{_line_with(path, 'Accent:')}: error: colors_cmyk.Accent: the key is not "
            "an id (fix: use lowercase letters, digits and hyphens, e.g. `my-section`)")
    assert said in _refused(path)


def _line_with(path: Path, text: str) -> int:
    """The first line of ``path`` that holds ``text``."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


def _refused(path: Path) -> list[str]:
    """What reading the tokens (of ``path``, put in place) says, each problem as printed."""
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    return [str(p) for p in caught.value.problems]


def test_a_stem_without_its_subset_is_said_on_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = '"source-sans-3-{subset}-700-normal"', '"source-sans-3-{subst}-700-normal"'
    path = _tokens_with(tmp_path, monkeypatch, old, new)
    [problem] = _refused(path)
    assert problem.startswith(f"{path}:{_line_with(path, new)}: error: fonts.sans.faces[")
    assert "is not the stem of a bundled face's files" in problem


def test_a_text_colour_that_does_not_read_on_the_page_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's `muted: "#eeeeee"`: running heads, captions and folios all but invisible
    on white. Every colour text is set in as it is (not the accent, for which a darker
    one is derived) must reach WCAG AA's 4.5:1 on the paper and the tint."""
    path = _tokens_with(tmp_path, monkeypatch, '  muted: "#5b6573"', '  muted: "#eeeeee"')
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line(path, 'muted:')}: error: the `muted` colour #eeeeee (running heads, "
        "captions and folios) has a contrast of 1.03:1 with the page (paper and tint), under "
        "the 4.5:1 text needs (WCAG AA) (fix: choose a `muted` further from the paper and the "
        "tint, or a paper and a tint further from it)"]


def test_a_colour_the_editions_read_by_name_must_be_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _tokens_with(tmp_path, monkeypatch, '  link: "#14508c"', '  linked: "#14508c"')
    text = path.read_text(encoding="utf-8").replace("  link: [", "  linked: [", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line(path, 'colors:')}: error: colour `link` is missing "
        '(fix: add `link: "#rrggbb"` under `colors:` (and its CMYK under `colors_cmyk:`))']


@pytest.mark.parametrize("name", ["rule", "navy-deep"])
def test_every_colour_an_edition_reads_must_be_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Tester 11: without `rule` the Word file crashed after the PDF was written; without
    `navy-deep` the PDF's back cover came out white, its white colophon invisible."""
    path = _tokens_with(tmp_path, monkeypatch, "colors:\n", "colors:\n")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(f"  {name}:")),
                    encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [p.message for p in caught.value.problems] == [f"colour `{name}` is missing"]


def test_the_stylesheets_and_templates_read_only_colours_the_tokens_must_have() -> None:
    """The list the tokens are held to (EDITION_COLOURS) is every colour the editions'
    stylesheets and templates name, but the one derived from the accent."""
    import re

    from briefpress.support.paths import ROOT

    named = {match for folder in ("styles", "templates")
             for path in (ROOT / folder).rglob("*") if path.suffix in (".css", ".j2", ".html")
             for match in re.findall(r"--color-([a-z-]+)", path.read_text(encoding="utf-8"))}
    assert {"navy", "rule", "navy-deep"} <= named  # the search finds them
    assert named - {"accent-text"} <= set(tokens_file.EDITION_COLOURS), named
    assert set(tokens_file.EDITION_COLOURS) <= set(tokens_file.house_tokens().colors)


def test_the_colours_mistakes_are_said_with_the_schema_s(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tester 11: a size with a unit, a muted grey too light and `link` deleted took three
    rounds of check; all three are said at once."""
    path = _tokens_with(tmp_path, monkeypatch, "  h2: 14\n", "  h2: 14pt\n")
    text = path.read_text(encoding="utf-8").replace('  muted: "#5b6573"', '  muted: "#bbbbbb"')
    text = "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith("  link:"))
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [(p.line, p.message.split(" (")[0].split(":")[0]) for p in caught.value.problems] == [
        (_line(path, "colors:"), "colour `link` is missing"),
        (_line(path, "muted:"), "the `muted` colour #bbbbbb"),
        (_line(path, "  h2:"), "type.h2")]


def test_every_mistake_of_the_tokens_is_said_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tester 10: a required size with a unit and a length without one, in two groups, were
    said one at a time (the first, set aside, left a required field missing, and validation
    stopped): each field is now converted on its own too. A number where a length belongs
    is told to take a unit."""
    path = _tokens_with(tmp_path, monkeypatch, "  h2: 14\n", "  h2: 14pt\n")
    text = path.read_text(encoding="utf-8").replace("  paragraph: 0.6em", "  paragraph: 0.6", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [(p.line, p.message, p.fix) for p in caught.value.problems] == [
        (_line(path, "  h2:"), "type.h2: input should be a valid number (got '14pt')",
         "write a number of points, with no unit, above 0 and at most 200, e.g. `10.5`"),
        (_line(path, "  paragraph:"), "spacing.paragraph: is not a length (got 0.6)",
         "write a number and its unit (pt, em, in, mm, cm), with no space between, "
         "e.g. `12pt`")]


def test_a_missing_cmyk_value_is_said_with_the_schema_s_mistakes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tester 12: a colour's CMYK deleted beside `h2: 14pt` was said a round later (and
    `rule` deleted from `colors:` alone was said twice: below)."""
    path = _tokens_with(tmp_path, monkeypatch, "  h2: 14\n", "  h2: 14pt\n")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if line != "  tint: [5, 2, 0, 2]\n"),
                    encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [p.message.split(" (")[0] for p in caught.value.problems] == [
        "colour `tint` has no CMYK value for the print edition",
        "type.h2: input should be a valid number"]


def test_a_colour_missing_from_colors_alone_is_said_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tokens_with(tmp_path, monkeypatch, '  rule: "#c9d2dd"\n', "")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [p.message for p in caught.value.problems] == ["colour `rule` is missing"]


def test_a_size_in_quotes_or_at_0_is_told_exactly_what_to_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tester 12: `h2: "14"` was told to drop a unit it does not have; `small: 0` read
    msgspec's "expected `int` >= 1" beside a fix that allows 0.5."""
    path = _tokens_with(tmp_path, monkeypatch, "  h2: 14\n", '  h2: "14"\n')
    text = path.read_text(encoding="utf-8")
    small = next(line for line in text.splitlines() if line.startswith("  small:"))
    path.write_text(text.replace(small, "  small: 0"), encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        tokens_file.house_tokens()
    assert [(p.message, p.fix) for p in caught.value.problems] == [
        ("type.small: should be above 0 (got 0)",
         "write a number of points, with no unit, above 0 and at most 200, e.g. `10.5`"),
        ("type.h2: input should be a valid number (got '14')",
         "write the number without quotes: `14`")]
