"""The break rules marked on the PDF's running text (render/pdf_text.py), read with lxml."""

from __future__ import annotations

from lxml import html as lxml_html

from briefpress.render.pdf_text import apply_break_rules

PAGE = ("<!DOCTYPE html><html><head><style>p { color: red }</style></head><body>"
        "<p>{}</p></body></html>")


def marked(text: str) -> list[tuple[str, str]]:
    tree = lxml_html.document_fromstring(apply_break_rules(PAGE.replace("{}", text)))
    return [(span.get("class"), span.text_content()) for span in tree.iter("span")]


def test_capitalised_words_are_kept_from_hyphenation() -> None:
    assert marked("the Nuclear Consultative Group met in Seoul, Washington and Tokyo") == [
        ("nohy", "Nuclear Consultative Group"), ("nohy", "Washington")]  # "Seoul": short


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
