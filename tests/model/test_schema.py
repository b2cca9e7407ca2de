"""model/schema.py: the front matter and recommendations schemas, and what authors are told."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from briefpress.errors import BriefError
from briefpress.model.schema import (
    Author,
    Metadata,
    Publisher,
    Recommendation,
    RecommendationArea,
    Recommendations,
    Social,
)
from briefpress.read.yamlfile import parse_yaml, validate

MD = Path("content/a-brief/brief.md")
RECS = Path("content/a-brief/recommendations.yaml")
MINIMAL = "title: T\nauthors:\n  - name: A\npublisher:\n  name: P\n"


def field_of(value: str) -> str:
    """A short test id: the field an expected message is about."""
    return value.split(" error: ")[1].split(":")[0] if " error: " in value else "yaml"


def front(text: str):
    """Validate front matter, which starts on line 2 of brief.md."""
    data, node = parse_yaml(text, MD, 2)
    return validate(Metadata, data, node, MD, 2)


def error(text: str, schema: type = Metadata) -> str:
    path, first = (MD, 2) if schema is Metadata else (RECS, 1)
    data, node = parse_yaml(text, path, first)
    with pytest.raises(BriefError) as caught:
        validate(schema, data, node, path, first)
    (problem,) = caught.value.problems
    return str(problem)


def test_minimal_front_matter_and_its_defaults():
    meta, findings = front(MINIMAL)
    assert findings == []
    assert meta == Metadata(title="T", authors=[Author("A")], publisher=Publisher("P"))
    assert (meta.type, meta.lang, meta.date, meta.keywords) == (
        "policy-brief", "en-US", None, [])


def test_full_front_matter():
    meta, findings = front(
        "title: T\nsubtitle: S\ntype: policy-brief\nlang: fr-CA\nprogram: Asia Program\n"
        "authors:\n  - name: A\n    affiliation: Wilson\n    bio: Writes.\n"
        "publisher:\n  name: P\n  short_name: Wilson\n  address: [1 Main St, Washington]\n"
        "  url: HTTPS://example.org/path?q=1\n"
        "  social:\n    - network: bluesky\n      handle: '@p'\n"
        "date: 2024-05-01\nkeywords: [a, b]\nsummary: One.\ncanonical_url: https://x.org/b\n")
    assert findings == []
    assert meta.date == datetime.date(2024, 5, 1)
    assert meta.publisher.social == [Social("bluesky", "@p")]
    assert meta.publisher.url == "HTTPS://example.org/path?q=1"
    assert meta.authors == [Author("A", "Wilson", "Writes.")]


@pytest.mark.parametrize(("title", "subtitle", "full"), [
    ("Arctic Ports", None, "Arctic Ports"),
    ("Arctic Ports", "Who builds them", "Arctic Ports: Who builds them"),
    # a colon of its own: never "A: B: C", which browsers' tabs, search results and PDF
    # readers show
    ("Shared Rivers: Basins Under Stress", "What agreements can do",
     "Shared Rivers: Basins Under Stress — What agreements can do"),
    ("Who Pays?", "Insurance in the Arctic", "Who Pays? Insurance in the Arctic"),
    ("Arctic Ports:", "Who builds them", "Arctic Ports: Who builds them"),
])
def test_the_full_title_joins_title_and_subtitle_with_one_colon_at_most(title, subtitle, full):
    meta = Metadata(title=title, subtitle=subtitle, authors=[Author("A")],
                    publisher=Publisher("P"))
    assert meta.full_title() == full


@pytest.mark.parametrize(("lang", "precision", "shown", "month_at_most"), [
    ("en-US", "day", "June 12, 2025", "June 2025"), ("en", "day", "June 12, 2025", "June 2025"),
    ("en-CA", "day", "June 12, 2025", "June 2025"), ("en-GB", "day", "12 June 2025", "June 2025"),
    ("en-AU", "day", "12 June 2025", "June 2025"),
    ("en-Latn-IE", "day", "12 June 2025", "June 2025"),
    ("en-GB", "month", "June 2025", "June 2025"), ("en-US", "year", "2025", "2025"),
    ("fr", "day", "2025-06-12", "2025-06"), ("fr", "month", "2025-06", "2025-06"),
    ("de-DE", "year", "2025", "2025"),
])
def test_the_date_as_a_reader_reads_it_to_its_precision(lang, precision, shown, month_at_most):
    meta = Metadata(title="T", authors=[Author("A")], publisher=Publisher("P"), lang=lang,
                    date=datetime.date(2025, 6, 12), date_precision=precision)
    assert meta.date_display() == shown
    assert meta.date_display(finest="month") == month_at_most  # the PDF's cover
    assert Metadata(title="T", authors=[Author("A")], publisher=Publisher("P")
                    ).date_display() is None


@pytest.mark.parametrize(("text", "message"), [
    ("title: '   '\nauthors: [{name: A}]\npublisher: {name: P}\n",
     "content/a-brief/brief.md:2: error: title: string should have at least 1 character "
     "(got '   ') (fix: write the text; it may not be empty)"),
    ("title: T\npublisher: {name: P}\n",
     "content/a-brief/brief.md:2: error: authors: field required (fix: add `authors:`)"),
    ("title: T\nauthors: []\npublisher: {name: P}\n",
     "content/a-brief/brief.md:3: error: authors: list should have at least 1 entry "
     "(fix: give at least one entry)"),
    ("title: T\nauthors: [{name: A}]\npublisher: {name: P, url: 'javascript:alert(1)'}\n",
     "content/a-brief/brief.md:4: error: publisher.url: not an absolute http(s) address "
     "(got 'javascript:alert(1)') (fix: write the full address, e.g. https://www.example.org)"),
    ("title: T\nauthors: [{name: A}]\npublisher: {name: P, url: 'https://'}\n",
     "content/a-brief/brief.md:4: error: publisher.url: not an absolute http(s) address "
     "(got 'https://') (fix: write the full address, e.g. https://www.example.org)"),
    ("title: T\nauthors: [{name: A}]\npublisher:\n  name: P\n  social:\n"
     "    - network: myspace\n      handle: h\n",
     "content/a-brief/brief.md:7: error: publisher.social[0].network: input is not one of the "
     "allowed values (got 'myspace') (fix: use one of: facebook, x, linkedin, instagram, "
     "youtube, bluesky, threads)"),
    (MINIMAL + "date: 2024-6\n",
     "content/a-brief/brief.md:7: error: date: input should be a valid date (YYYY-MM-DD, "
     "YYYY-MM or YYYY) (got '2024-6') (fix: write the date as YYYY-MM-DD, or YYYY-MM or YYYY "
     "when only the month or year is known)"),
    (MINIMAL + "date: 'May 2024'\n",
     "content/a-brief/brief.md:7: error: date: input should be a valid date (YYYY-MM-DD, "
     "YYYY-MM or YYYY) (got 'May 2024') (fix: write the date as YYYY-MM-DD, or YYYY-MM or "
     "YYYY when only the month or year is known)"),
    (MINIMAL + "type: Policy Brief\n",
     "content/a-brief/brief.md:7: error: type: is not an id (got 'Policy Brief') (fix: use "
     "lowercase letters, digits and hyphens, e.g. `my-section`)"),
    (MINIMAL + "lang: english\n",
     "content/a-brief/brief.md:7: error: lang: is not a language tag (got 'english') (fix: "
     "write a BCP 47 tag such as `en-US` or `fr`)"),
    (MINIMAL + "keywords: 42\n",
     "content/a-brief/brief.md:7: error: keywords: input should be a valid list (got 42) "
     "(fix: write a list: `[a, b]`, or one `- item` line each)"),
    (MINIMAL + "summary: [a, b]\n",
     "content/a-brief/brief.md:7: error: summary: input should be a valid string "
     "(fix: write text (in quotes if YAML would read it otherwise))"),
    (MINIMAL + "1: x\n",
     "content/a-brief/brief.md:7: error: a key that is not text (fix: write keys as words, "
     "e.g. `title:`)"),
], ids=field_of)
def test_front_matter_errors_word_for_word(text, message):
    assert error(text) == message


def test_unknown_front_matter_keys_are_findings_not_errors():
    meta, findings = front(MINIMAL.replace("  - name: A\n", "  - name: A\n    affilation: X\n")
                           + "subtitel: S\n")
    assert meta.subtitle is None and meta.authors == [Author("A")]
    assert [str(p) for p in findings] == [
        "content/a-brief/brief.md:5: error: unknown key 'authors[0].affilation' (fix: did you "
        "mean 'affiliation'?)",
        "content/a-brief/brief.md:8: error: unknown key 'subtitel' (fix: did you mean "
        "'subtitle'?)"]


def test_recommendations():
    data, node = parse_yaml("intro: Why.\nareas:\n  - id: trade\n    title: Trade\n"
                            "    recommendations:\n      - id: cut-tariffs\n"
                            "        text: Cut *them*.\n        section: trade-section\n",
                            RECS)
    recs, findings = validate(Recommendations, data, node, RECS)
    assert findings == []
    assert recs == Recommendations("Why.", [RecommendationArea(
        "trade", "Trade", [Recommendation("cut-tariffs", "Cut *them*.", "trade-section")])])
    assert validate(Recommendations, {}, None, RECS) == (Recommendations(), [])


@pytest.mark.parametrize(("text", "message"), [
    ("areas:\n  - id: Bad Id\n    title: T\n",
     "content/a-brief/recommendations.yaml:2: error: areas[0].id: is not an id (got 'Bad Id') "
     "(fix: use lowercase letters, digits and hyphens, e.g. `my-section`)"),
    ("areas:\n  - id: a\n    title: T\n    recommendations:\n      - id: r\n        text: ''\n"
     "        section: s\n",
     "content/a-brief/recommendations.yaml:6: error: areas[0].recommendations[0].text: string "
     "should have at least 1 character (got '') (fix: write the text; it may not be empty)"),
    ("areas:\n  - id: a\n    title: T\n    recommendations:\n      - id: r\n        text: t\n",
     "content/a-brief/recommendations.yaml:5: error: areas[0].recommendations[0].section: "
     "field required (fix: add `section:`)"),
    ("areas: {id: a}\n",
     "content/a-brief/recommendations.yaml:1: error: areas: input should be a valid list "
     "(fix: write a list: `[a, b]`, or one `- item` line each)"),
], ids=field_of)
def test_recommendations_errors_word_for_word(text, message):
    assert error(text, Recommendations) == message


def test_unknown_recommendation_keys_at_every_depth_are_reported_together():
    data, node = parse_yaml(
        "areas:\n  - id: a\n    title: T\n    recommendations:\n      - id: r\n        text: t\n"
        "        section: s\n        sektion: q\n    titel: x\nintroo: y\n", RECS)
    _, findings = validate(Recommendations, data, node, RECS)
    assert [str(p) for p in findings] == [
        "content/a-brief/recommendations.yaml:8: error: unknown key "
        "'areas[0].recommendations[0].sektion' (fix: did you mean 'section'?)",
        "content/a-brief/recommendations.yaml:9: error: unknown key 'areas[0].titel' "
        "(fix: did you mean 'title'?)",
        "content/a-brief/recommendations.yaml:10: error: unknown key 'introo' "
        "(fix: did you mean 'intro'?)"]


def test_schemas_are_frozen_records():
    author = Author("A")
    with pytest.raises(AttributeError):
        author.name = "B"  # type: ignore[misc]
