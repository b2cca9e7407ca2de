"""The break rules marked on the PDF's running text (render/pdf_text.py), read with lxml."""

from __future__ import annotations

import time
import unicodedata

import tinycss2
from lxml import html as lxml_html
from tests.render.test_pdf_print import _declarations

from briefpress.render.pdf_text import (
    ACCENT_WEIGHT_PT,
    LABEL_GAP_EM,
    LABEL_TRACKING_EM,
    MAX_LABEL_LINES,
    MIN_LEFT,
    MIN_PROTECTED,
    MIN_RIGHT,
    apply_break_rules,
    hyphenable,
    label_fits_margin,
)
from briefpress.support.paths import STYLES

PAGE = ('<!DOCTYPE html><html lang="en-US"><head><style>p { color: red }</style></head>'
        "<body><p>{}</p></body></html>")


def marked(text: str, page: str = PAGE) -> list[tuple[str, str]]:
    tree = lxml_html.document_fromstring(apply_break_rules(page.replace("{}", text)))
    return [(span.get("class"), span.text_content()) for span in tree.iter("span")]


def test_capitalised_words_are_kept_from_hyphenation() -> None:
    assert marked("the Nuclear Consultative Group met in Seoul, Washington and Tokyo") == [
        ("nohy", "Nuclear Consultative Group"), ("nohy", "Washington")]  # "Seoul": short


def test_only_words_the_hyphenator_could_break_are_marked() -> None:
    """A capitalised word WeasyPrint would never hyphenate needs no span: one whose words
    are short ("Indo-Pacific": four and seven letters), or long but with no break that
    leaves four letters each side ("Sustained", "Resiliency")."""
    assert marked("the Indo-Pacific and Sustained Supply Chain Resiliency, "
                  "in the Partnership") == [("nohy", "Partnership")]
    assert not hyphenable("Indo-Pacific Sustained Resiliency", "en-US")
    assert hyphenable("Consultative", "en-US") and hyphenable("Korea’s Partnership", "en-US")


def test_the_language_is_the_one_weasyprint_hyphenates_in() -> None:
    """No language, or one pyphen has no dictionary for: WeasyPrint hyphenates nothing, so
    nothing is marked; an element's own ``lang`` is the one of its text."""
    bare = PAGE.replace(' lang="en-US"', "")
    assert marked("the Washington Declaration", bare) == []
    assert marked("the Washington Declaration", PAGE.replace("en-US", "ko")) == []
    assert marked('<span lang="ko">Washington</span> Declaration') == [
        (None, "Washington"), ("nohy", "Declaration")]
    # German by its own dictionary: "Zusammenarbeit" breaks ("Zusam-menarbeit")
    assert marked("die Zusammenarbeit", PAGE.replace("en-US", "de")) == [
        ("nohy", "Zusammenarbeit")]


def test_an_empty_lang_is_no_language_and_the_parent_s_holds() -> None:
    """WeasyPrint ignores ``lang=""`` (the element hyphenates in its parent's language)."""
    assert marked('the <span lang="">Consultative</span> Group') == [
        (None, "Consultative"), ("nohy", "Consultative")]


def test_capitals_of_other_alphabets_accents_and_elisions() -> None:
    """Capitals beyond A-Z, text written decomposed (NFD) and an elided article are
    marked as WeasyPrint would hyphenate them: by the whole word Pango reads."""
    german = PAGE.replace("en-US", "de")
    assert marked("die Österreichische Verwaltung", german) == [
        ("nohy", "Österreichische Verwaltung")]
    french = PAGE.replace("en-US", "fr")
    decomposed = unicodedata.normalize("NFD", "Représentatives")
    assert marked(f"les {decomposed} élus", french) == [("nohy", decomposed)]
    assert marked("de l’Organisation mondiale", french) == [("nohy", "Organisation")]
    assert hyphenable("l’Organisation", "fr")


def test_the_limits_are_print_css_own() -> None:
    """The marks follow the hyphenation print.css asks WeasyPrint for."""
    rules = tinycss2.parse_stylesheet((STYLES / "print.css").read_text(encoding="utf-8"),
                                      skip_comments=True, skip_whitespace=True)
    limits = {tinycss2.serialize(rule.prelude).strip(): tinycss2.serialize(d.value).split()
              for rule in rules if rule.type == "qualified-rule"
              for d in _declarations(tinycss2.parse_blocks_contents(rule.content))
              if d.lower_name == "hyphenate-limit-chars"}
    # the running text's; the area labels (left unmarked) have their own
    running = {selector: value for selector, value in limits.items()
               if selector != ".recommendation-area-title"}
    assert list(running.values()) == [[str(MIN_PROTECTED), str(MIN_LEFT), str(MIN_RIGHT)]]


def test_ranges_short_compounds_and_em_dashes_are_kept_together() -> None:
    assert marked("the war (1950-1953) and 2019–2023, vis-à-vis the US-ROK talks, "
                  "clear—and, importantly, mutual—agendas") == [
        ("keep", "1950-1953"), ("keep", "2019–2023"), ("keep", "vis-à-vis"),
        ("keep", "US-ROK"), ("keep", "clear—"), ("keep", "mutual—")]


def test_the_text_is_unchanged_and_markup_around_it_kept() -> None:
    source = ('<p>In <a href="#x">Washington <em>Declaration</em></a>, the '
              'Partnership—a <code>Framework-1</code> <span class="nowrap">Indo-Pacific'
              '</span> Strategy.</p>')
    tree = lxml_html.document_fromstring(apply_break_rules(PAGE.replace("<p>{}</p>", source)))
    paragraph = tree.find(".//p")
    assert paragraph.text_content() == lxml_html.fragment_fromstring(source).text_content()
    assert tree.find(".//a").get("href") == "#x"
    assert tree.find(".//code").text == "Framework-1"  # code is left alone
    assert tree.find(".//style").text == "p { color: red }"
    classes = [(s.get("class"), s.text_content()) for s in tree.iter("span")]
    assert ("nohy", "Washington") in classes and ("nohy", "Declaration") in classes
    assert ("keep", "Partnership—") in classes and ("nowrap", "Indo-Pacific") in classes
    assert ("nohy", "Strategy") not in classes  # too short to be hyphenated anyway


def test_a_long_paragraph_is_marked_in_time_linear_in_its_length() -> None:
    """Each capitalised word looks back a few characters for an elided article, not to the
    paragraph's start: 120 kB of one paragraph took 25 s that way, and takes under a
    second now."""
    body = "Les Représentatives de la Organisation disent " * 2600
    started = time.perf_counter()
    html = apply_break_rules(PAGE.replace("en-US", "fr").replace("{}", body))
    assert time.perf_counter() - started < 8
    assert html.count('class="nohy"') == 2 * 2600  # "Les Représentatives", "Organisation"


def test_an_area_label_is_left_unmarked() -> None:
    """A label in the hanging margin is not running text: print.css never hyphenates it,
    capitalised or not (a word the margin cannot hold sets it above, below)."""
    label = PAGE.replace("<p>{}</p>", '<p class="recommendation-area-title">{}</p>')
    assert marked("Consultative Infrastructure", label) == []
    assert marked("Consultative Infrastructure") == [("nohy", "Consultative Infrastructure")]


def _table(cells: list[str]) -> str:
    row = "".join(f"<td>{cell}</td>" for cell in cells)
    return ('<!DOCTYPE html><html lang="en-US"><head></head><body><table><tbody>'
            f"<tr>{row}</tr></tbody></table></body></html>")


def _cells(page: str) -> list[list[str]]:
    """Each cell's text with ``|`` where a ``<wbr>`` stands."""
    tree = lxml_html.document_fromstring(apply_break_rules(page))
    for wbr in tree.iter("wbr"):
        wbr.tail = "|" + (wbr.tail or "")
    return [td.text_content() for td in tree.iter("td")]


def test_in_a_wide_table_a_number_breaks_only_after_a_thousands_separator() -> None:
    """print.css sets a table of seven columns or more across the page and lets a number its
    column cannot hold break: after a separator, never amid a group."""
    cells = ["Norway", "1,234,567", "+12,345.6", "2015", "12,34", "abc,123", "a 9,999 b",
             "In 1990–1995: 1,000"]
    assert _cells(_table(cells)) == [
        "Norway", "1,|234,|567", "+12,|345.6", "2015", "12,34", "abc,123", "a 9,|999 b",
        "In 1990–1995: 1,|000"]


def test_a_narrow_table_s_numbers_and_the_text_are_left_alone() -> None:
    assert _cells(_table(["1,234,567", "2", "3"])) == ["1,234,567", "2", "3"]
    tree = lxml_html.document_fromstring(apply_break_rules(_table(["1,234,567"] * 7)))
    assert [td.text_content() for td in tree.iter("td")] == ["1,234,567"] * 7


def _classes_of_tables(page: str) -> list[str | None]:
    tree = lxml_html.document_fromstring(apply_break_rules(page))
    return [table.get("class") for table in tree.iter("table")]


def test_a_table_too_wide_for_the_column_is_marked_wide() -> None:
    """Seven columns or more, or words and numbers the text column cannot hold side by side
    (capitals counted wider): print.css sets such a table across the page."""
    assert _classes_of_tables(_table(["2019", "North", "12", "Of which tankers"])) == [None]
    assert _classes_of_tables(_table(["x"] * 7)) == ["wide"]
    assert _classes_of_tables(_table(["W" * 66])) == ["wide"]
    assert _classes_of_tables(_table(["a" * 40, "1,234,567 and more"])) == [None]
    assert _classes_of_tables(_table(["w" * 40, "1,234,567 and more"])) == ["wide"]


def _label_classes(title: str) -> str:
    page = PAGE.replace("<p>{}</p>", f'<h3 class="recommendation-area-title">{title}</h3>')
    tree = lxml_html.document_fromstring(apply_break_rules(page))
    return next(tree.iter("h3")).get("class")


def test_a_label_whose_word_the_margin_cannot_hold_is_set_above_its_recommendations() -> None:
    """Testers 10 and 11: "RECOMMENDATIONS" was hyphenated in the margin ("RECOMMENDA-" over
    "TIONS"). A label with a word wider than the margin, by the bold face's advances, is
    set above its recommendations; the real brief's labels stay in the margin."""
    assert _label_classes("Recommendations") == "recommendation-area-title above"
    assert _label_classes("Energy Infrastructure") == "recommendation-area-title above"
    for fits in ("Geopolitical Security Engagement", "Economic Security Enhancement",
                 "Search and Rescue", "Insurance"):
        assert _label_classes(fits) == "recommendation-area-title", fits


def test_a_label_too_long_for_the_margin_is_set_above_though_each_word_fits() -> None:
    """A long name of short words fits the margin word by word, but ran down it in five and
    seven lines, past its one recommendation. More than MAX_LABEL_LINES lines set it above;
    four stay in the margin, as do the real briefs' labels (three lines at most, above)."""
    five = "The Alliance's Role in the Wider Indo-Pacific Region and Beyond It"
    seven = "Trade, Tech and Energy Ties in the Wider Indo-Pacific and the Law of the Sea"
    for title in (five, seven):
        assert all(label_fits_margin(word) for word in title.split()), title
        assert _label_classes(title) == "recommendation-area-title above", title
    assert _label_classes("Energy and Trade Ties in the Wider Region") == (
        "recommendation-area-title")  # four lines


def test_the_label_s_lines_are_counted_up_to_the_most_the_margin_takes() -> None:
    """"SEA LANES AND" fills a line of the margin (a fourth word would not fit on it): a
    label of that phrase said n times takes n lines, and fits up to MAX_LABEL_LINES."""
    for lines in range(1, MAX_LABEL_LINES + 3):
        title = " ".join(["Sea Lanes and"] * lines)
        assert label_fits_margin(title) == (lines <= MAX_LABEL_LINES), lines


def test_a_label_s_lines_break_after_a_hyphen_as_weasyprint_breaks_them() -> None:
    """"ENERGY AND / TECH TIES IN / THE INDO- / PACIFIC REGION": four lines, as the PDF sets
    it (below); broken only at spaces, "INDO-PACIFIC" would take a line of its own, and five."""
    assert label_fits_margin("Energy and Tech Ties in the Indo-Pacific Region")


def test_the_label_s_measures_are_print_css_own() -> None:
    """label_fits_margin measures the label as print.css sets it: its letter-spacing, the gap
    its width leaves, the box's rule."""
    rules = tinycss2.parse_stylesheet((STYLES / "print.css").read_text(encoding="utf-8"),
                                      skip_comments=True, skip_whitespace=True)
    found = {(tinycss2.serialize(rule.prelude).strip(), d.lower_name):
             tinycss2.serialize(d.value).strip()
             for rule in rules if rule.type == "qualified-rule"
             for d in _declarations(tinycss2.parse_blocks_contents(rule.content))}
    label = ".recommendation-area-title"
    assert found[(label, "letter-spacing")] == f"{LABEL_TRACKING_EM}em"
    assert found[(label, "width")] == (
        f"calc(var(--indent) - var(--box-left) - {LABEL_GAP_EM}em)")
    assert found[(":root", "--accent-weight")] == f"{ACCENT_WEIGHT_PT:g}pt"
    assert found[(".recommendation-area", "--box-left")] == (
        "calc(var(--space-box-padding) + var(--accent-weight))")


def test_a_long_label_prints_whole_above_its_recommendations(scratch, tmp_path) -> None:
    """In the PDF: a label with a word too wide for the margin, or too many lines for it,
    whole, on a line of its own above its first recommendation; a label of four lines in
    the margin, broken where label_fits_margin counts its lines (after "INDO-")."""
    from pypdf import PdfReader
    from tests.conftest import edit

    from briefpress.build import build

    folder = scratch()
    long = "The Alliance's Role in the Wider Indo-Pacific Region and Beyond It"
    edit(folder / "recommendations.yaml", "title: Search and Rescue", "title: Recommendations")
    edit(folder / "recommendations.yaml", "title: Insurance", f'title: "{long}"')
    edit(folder / "recommendations.yaml", "title: Safety Standards",
         "title: Energy and Tech Ties in the Indo-Pacific Region")
    pdf, = build([str(folder)], ["pdf"], build_dir=tmp_path / "build")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "RECOMMENDA-" not in text and "RECOMMENDA\u2010" not in text
    lines = [line.strip() for line in text.splitlines()]
    for label in ("RECOMMENDATIONS", long.upper()):
        # not beside a recommendation's words
        assert next(line for line in lines if line.startswith(label[:14])) == label
    at = lines.index("ENERGY AND")
    assert lines[at:at + 4] == ["ENERGY AND", "TECH TIES IN", "THE INDO-", "PACIFIC REGION"]
