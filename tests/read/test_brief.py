"""Reading a brief: the model every stage shares, and input that cannot be read."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from briefpress import pandoc
from briefpress.errors import BriefError
from briefpress.model import blocks
from briefpress.read.brief import Fence, fenced_lines, fences, heading_lines, read_brief
from conftest import REAL, edit


def messages(folder: Path) -> list[str]:
    with pytest.raises(BriefError) as caught:
        read_brief(folder)
    return [str(p) for p in caught.value.problems]


def rel(folder: Path, name: str) -> str:
    return str(folder / name)


def test_real_brief_model(real_brief):
    meta = real_brief.meta
    assert meta.title == "US-ROK Global Strategic Partnership in the Indo-Pacific"
    assert meta.subtitle == "Policy Opportunities, Challenges, and Pitfalls"
    assert [a.name for a in meta.authors] == ["Kayla Orta"]
    assert meta.program.startswith("Hyundai Motor-Korea Foundation Center for Korean History")
    assert meta.publisher.address[-1] == "Washington, DC 20004–3027"
    assert meta.date is None
    assert meta.type == "policy-brief" and meta.lang == "en-US"


def test_real_brief_outline(real_brief):
    top = [(s.id, s.generated_from) for s in real_brief.sections]
    assert top == [
        ("executive-summary", None), ("policy-recommendations", "recommendations"),
        ("introduction", None), ("policy-alignment", None), ("security-and-defense", None),
        ("nontraditional-security", None), ("conclusion", None),
        ("about-the-author", "authors"),
    ]
    subsections = {s.id: [c.title for c in s.children] for s in real_brief.sections}
    assert subsections["security-and-defense"] == [
        "1) US-ROK Nuclear Consultative Group", "2) Joint US-ROK Military Training Exercises",
        "3) Expanding Defense Cooperation Platforms"]
    assert subsections["nontraditional-security"] == [
        "1) Economic Security & Supply Chain Resiliency", "2) Digital & Cybersecurity",
        "3) Climate & Energy Policy"]
    outline = real_brief.outline()
    assert sum(e.kind == "recommendation" for e in outline) == 7
    assert [len(a.recommendations) for a in real_brief.recommendations.areas] == [4, 3]
    ids = [e.id for e in outline]
    assert len(ids) == len(set(ids))


def test_heading_lines_point_at_the_headings(real_brief):
    lines = real_brief.markdown.splitlines()
    for section in real_brief.walk():
        if section.generated_from:
            assert section.line is None
        else:
            assert lines[section.line - 1].lstrip("#").strip().startswith(section.title[:10])


def test_links_and_their_lines(real_brief):
    assert len(real_brief.links) == 12
    pending = [link for link in real_brief.links if not link.url]
    assert len(pending) == 9
    lines = real_brief.markdown.splitlines()
    for link in real_brief.links:
        assert link.text.split()[0] in lines[link.line - 1]


def test_fragments_hold_yaml_markdown(arctic_brief):
    assert set(arctic_brief.fragments) == {
        "bio:0", "bio:1", "intro", "rec:common-ice-class", "rec:mandatory-reporting",
        "rec:joint-sar-planning", "rec:shared-loss-data"}
    [paragraph] = arctic_brief.fragments["rec:common-ice-class"]
    assert isinstance(paragraph, blocks.Para)
    assert blocks.Emph([blocks.Str("common")]) in paragraph.content


# Input that cannot be read: one line per problem, with file, line and fix.

def test_missing_brief(tmp_path, scratch, monkeypatch):
    """The fix lists the slugs in content/: a scratch project's, whatever briefs the
    repository's own content/ holds."""
    scratch()
    monkeypatch.chdir(tmp_path)
    assert messages(tmp_path / "nowhere") == [
        f"nowhere/brief.md: error: no brief named '{tmp_path}/nowhere' "  # from where it runs
        "(fix: give a slug from content/ (arctic-shipping) or a folder with brief.md)"]


def test_empty_brief(scratch):
    folder = scratch()
    (folder / "brief.md").write_text("", encoding="utf-8")
    assert messages(folder) == [
        f"{rel(folder, 'brief.md')}:1: error: the brief is empty (fix: start with a `---` front "
        "matter block (title, authors, publisher), then the sections; `briefpress new` shows one)"]


def test_not_utf8(scratch):
    folder = scratch()
    path = folder / "brief.md"
    path.write_bytes(path.read_bytes().replace("Tomás".encode(), "Tomás".encode("latin-1")))
    assert messages(folder) == [
        f"{rel(folder, 'brief.md')}:10: error: not UTF-8 text (byte 0xe1) "
        "(fix: save the file as UTF-8)"]


def test_malformed_yaml(scratch):
    folder = scratch()
    edit(folder / "brief.md", 'program: "Polar Institute"', "program: Polar: Institute")
    assert messages(folder) == [
        f"{rel(folder, 'brief.md')}:5: error: malformed YAML: mapping values are not allowed "
        "in this context (fix: check the indentation and quoting on that line)"]


def test_tab_indented_list(scratch):
    folder = scratch()
    edit(folder / "brief.md", '  - name: "Ana', '\t- name: "Ana')
    [message] = messages(folder)
    assert message.startswith(f"{rel(folder, 'brief.md')}:7: error: malformed YAML")
    assert message.endswith("(fix: indent with spaces, not tabs)")


def test_wrong_type(scratch):
    folder = scratch()
    edit(folder / "brief.md", 'keywords: ["Arctic", "shipping", "maritime governance"]',
         "keywords: {arctic: yes}")
    assert messages(folder) == [
        f"{rel(folder, 'brief.md')}:21: error: keywords: input should be a valid list "
        "(fix: write a list: `[a, b]`, or one `- item` line each)"]


def test_missing_required_key(scratch):
    folder = scratch()
    edit(folder / "brief.md", "  - name: \"Ana Lindqvist\"\n", "  - affil: x\n")
    problems = messages(folder)
    assert f"{rel(folder, 'brief.md')}:7: error: authors[0].name: field required " \
        "(fix: add `name:`)" in problems


def test_unknown_doctype(scratch):
    folder = scratch()
    edit(folder / "brief.md", "type: policy-brief", "type: white-paper")
    assert messages(folder) == [
        f"{rel(folder, 'brief.md')}:3: error: unknown document type 'white-paper' "
        "(fix: use one of: commentary, issue-brief, policy-brief)"]


def test_missing_recommendations_file(scratch):
    folder = scratch()
    (folder / "recommendations.yaml").unlink()
    assert messages(folder) == [
        f"{rel(folder, 'recommendations.yaml')}: error: file not found "
        "(fix: create it; `briefpress new SLUG` makes a complete brief)"]


def test_yaml_alias_bomb(scratch):
    folder = scratch()
    (folder / "recommendations.yaml").write_text(
        'a: &a ["x", "x"]\nb: &b [*a, *a]\nareas: [*b, *b]\n', encoding="utf-8")
    assert messages(folder) == [
        f"{rel(folder, 'recommendations.yaml')}:1: error: YAML anchors and aliases "
        "(&name, *name) are not allowed (fix: write the value out in full)"]


def test_recommendation_without_text(scratch):
    folder = scratch()
    edit(folder / "recommendations.yaml",
         'text: "Plan search and rescue jointly across coastal states."', 'text: ""')
    assert messages(folder) == [
        f"{rel(folder, 'recommendations.yaml')}:17: error: "
        "areas[1].recommendations[0].text: string should have at least 1 character "
        "(got '') (fix: write the text; it may not be empty)"]


def test_front_matter_not_closed(scratch):
    folder = scratch()
    text = (folder / "brief.md").read_text(encoding="utf-8")
    (folder / "brief.md").write_text(text.replace("---\n\n# Executive", "\n# Executive"),
                                     encoding="utf-8")
    assert messages(folder) == [
        f"{rel(folder, 'brief.md')}:1: error: front matter is not closed "
        "(fix: end the metadata block with a line holding only `---`)"]


def test_an_empty_front_matter_s_fix_names_the_keys_to_write(scratch):
    """`---` then `---`: the fix says what to write there, not how YAML writes a mapping."""
    folder = scratch()
    text = (folder / "brief.md").read_text(encoding="utf-8")
    end = text.index("\n---\n", 4)
    (folder / "brief.md").write_text("---" + text[end:], encoding="utf-8")
    assert messages(folder) == [
        f"{rel(folder, 'brief.md')}:2: error: expected a mapping of keys, found nothing (fix: "
        "add `title:`, `authors:` and `publisher:` between the --- lines, one `key: value` "
        "line each: `publisher:` may come from briefpress.yaml instead, and `briefpress new "
        "SLUG` writes a whole brief to copy from)"]


@pytest.mark.parametrize(("old", "new", "line", "expected"), [
    ("lang: en-US", "lang: English", 4,
     "lang: is not a language tag (got 'English') (fix: write a BCP 47 tag such as `en-US` "
     "or `fr`)"),
    ("type: policy-brief", "type: Policy Brief", 3,
     "unknown document type 'Policy Brief' (fix: use one of: commentary, issue-brief, "
     "policy-brief)"),
    ('url: "https://www.wilsoncenter.org"', 'url: "javascript:alert(1)"', 20,
     "publisher.url: not an absolute http(s) address (got 'javascript:alert(1)') "
     "(fix: write the full address, e.g. https://www.example.org)"),
    ('  url: "https://www.wilsoncenter.org"',
     '  url: "https://www.wilsoncenter.org"\n  social:\n    - network: myspace\n'
     '      handle: wilson', 22,
     "publisher.social[0].network: input is not one of the allowed values (got 'myspace') "
     "(fix: use one of: facebook, x, linkedin, instagram, youtube, bluesky, threads)"),
    ('program: "Polar Institute"', "program: Polar Institute\n2024: year", 6,
     "a key that is not text (fix: write keys as words, e.g. `title:`)"),
    ('program: "Polar Institute"', "program: Polar Institute\ndate: next spring", 6,
     "date: input should be a valid date (YYYY-MM-DD, YYYY-MM or YYYY) (got 'next spring') "
     "(fix: write the date as YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year is "
     "known)"),
    ('title: "Shipping Lanes at the Top of the World: Governing Arctic Transit in a Warming '
     'Decade"', 'title: "   "', 2,
     "title: string should have at least 1 character (got '   ') "
     "(fix: write the text; it may not be empty)"),
])
def test_front_matter_mismatches_are_located_and_explained(scratch, old, new, line, expected):
    folder = scratch()
    edit(folder / "brief.md", old, new)
    assert messages(folder) == [f"{rel(folder, 'brief.md')}:{line}: error: {expected}"]


def test_text_values_are_stripped(scratch):
    folder = scratch()
    edit(folder / "brief.md", 'program: "Polar Institute"', 'program: "  Polar Institute \\n"')
    assert read_brief(folder).meta.program == "Polar Institute"


def test_several_unknown_keys_are_all_reported(scratch):
    from briefpress.check.brief import check_brief

    folder = scratch()
    edit(folder / "brief.md", 'program: "Polar Institute"',
         'program: "Polar Institute"\nsubtitel: x\ncolour: navy')
    found = [str(p) for p in check_brief(read_brief(folder)) if "unknown key" in p.message]
    assert found == [
        f"{rel(folder, 'brief.md')}:6: error: unknown key 'subtitel' (fix: did you mean "
        "'subtitle'?)",
        f"{rel(folder, 'brief.md')}:7: error: unknown key 'colour' (fix: known keys: "
        "title, subtitle, type, lang, program, series, brand, authors, publisher, date, "
        "date_precision, "
        "keywords, summary, bibliography, csl, canonical_url)"]


def test_body_is_what_pandoc_parsed_of_brief_md_in_source_order():
    brief = read_brief(REAL)
    markdown = brief.markdown_path.read_text(encoding="utf-8")
    body_text = markdown.split("\n---\n", 1)[1]  # the front matter ends at the first ---
    parsed, _ = pandoc.parse_markdown(body_text)
    assert blocks.encode(brief.body()) == blocks.encode(parsed.blocks)
    assert [b.attr[0] for b in brief.body() if isinstance(b, blocks.Header)] == \
        [s.id for s in brief.walk() if s.generated_from is None]
    assert not [s.header() for s in brief.walk() if s.generated_from and s.blocks]


def test_a_heading_keeps_its_classes_and_attributes_in_the_body(scratch):
    folder = scratch()
    edit(folder / "brief.md", "{#traffic}", "{#traffic .unnumbered lang=fr}")
    header = next(b for b in read_brief(folder).body()
                  if isinstance(b, blocks.Header) and b.attr[0] == "traffic")
    assert header.attr == ("traffic", ["unnumbered"], [("lang", "fr")])


@pytest.mark.parametrize(("written", "iso", "precision"), [
    ("2025-06-12", "2025-06-12", "day"), ("2025-06", "2025-06", "month"),
    ('"2025-06"', "2025-06", "month"), ("2025", "2025", "year")])
def test_a_date_may_be_a_day_a_month_or_a_year(scratch, written, iso, precision):
    folder = scratch()
    edit(folder / "brief.md", "lang: en-US\n", f"lang: en-US\ndate: {written}\n")
    meta = read_brief(folder).meta
    assert (meta.date_iso(), meta.date_precision) == (iso, precision)
    assert meta.date == datetime.date.fromisoformat((iso + "-01-01")[:10])


def test_orcid_email_and_organisations_are_checked(scratch):
    folder = scratch()
    edit(folder / "brief.md", '  - name: "Ana Lindqvist"\n',
         '  - name: "Ana Lindqvist"\n    orcid: "0000-0002-1825-0098"\n'
         '    email: "ana at polar"\n')
    edit(folder / "brief.md", '  - name: "Tomás Okafor"\n',
         '  - name: "Tomás Okafor"\n    organization: true\n    orcid: "0000-0002-1825-0097"\n')
    assert messages(folder) == [
        f"{rel(folder, 'brief.md')}:9: error: authors[0].email: is not an email address "
        "(got 'ana at polar') (fix: write it as name@example.org)"]
    edit(folder / "brief.md", '"ana at polar"', '"ana@polar.example.org"')
    found = [str(p) for p in read_brief(folder).findings]
    assert found == [
        f"{folder / 'brief.md'}:8: error: ORCID iD '0000-0002-1825-0098' has a wrong check "
        "digit (a mistyped character) (fix: copy the iD from the author's ORCID record)",
        f"{folder / 'brief.md'}:14: error: author 'Tomás Okafor' is an organisation and has "
        "an ORCID iD, which only people have (fix: remove `orcid:`, or `organization: true`)"]


def test_a_fence_closes_only_on_its_own_kind_at_least_as_long_with_nothing_after() -> None:
    """A heading inside four backticks stays code past a ```` ```python ```` line (which
    opens nothing inside code, and closes nothing with words after it)."""
    lines = ["````md", "```python", "# not a heading", "```", "````", "# Heading"]
    assert heading_lines(lines) == [6]
    assert fences(lines) == [Fence(0, 4, "````", "md")]


def test_fences_nest_divs_skip_code_spans_and_may_be_indented() -> None:
    lines = ["::: {.outer}", "::: {.inner}", "", ":::", "", "```", ":::", "```", ":::",
             "```code``` span", "", "   ~~~", "    ~~~ indented", "x"]
    assert fences(lines, divs=True) == [Fence(0, 8, ":::", " {.outer}"),
                                        Fence(11, 13, "~~~", "")]
    assert fences(lines) == [Fence(5, 7, "```", ""), Fence(11, 13, "~~~", "")]
    assert fences(["  - item", "", "      ```sh", "      x", "      ```"], indented=True) == \
        [Fence(2, 4, "```", "sh")]
    assert fences(["[^n]: A note.", "", "\t```sh", "\tx", "\t```"], indented=True) == \
        [Fence(2, 4, "```", "sh")]
    assert fences(["\t```sh", "x"]) == []  # a tab is four spaces: indented code
    assert fenced_lines(["a", "```", "", "```", "b"]) == [False, True, True, True, False]


def test_an_unknown_type_is_said_with_the_front_matter_s_other_mistakes(scratch):
    """Tester 11: `type: policy-brif` hid every other mistake of the front matter until it
    was mended (the document type is read first, for the recommendations it asks)."""
    folder = scratch()
    edit(folder / "brief.md", "type: policy-brief", "type: policy-brif")
    edit(folder / "brief.md", "lang: en-US", "lang: english")
    found = messages(folder)
    assert [text.split(": error: ")[1].split(" (")[0] for text in found] == [
        "unknown document type 'policy-brif'", "lang: is not a language tag"]
    assert [int(text.split(":")[1]) for text in found] == sorted(
        int(text.split(":")[1]) for text in found)


def test_a_brief_given_by_a_relative_path_is_found_whole_and_absolute(
        tmp_path: Path, scratch, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tester 13: `.` in content/<slug>/ was a brief whose slug was '' (its editions were
    looked for in build/ itself, the catalog read as its web page)."""
    from briefpress.read.brief import find_brief

    folder = scratch()
    monkeypatch.chdir(folder)
    for given in (".", "../arctic-shipping", "brief.md", "./brief.md"):
        assert find_brief(given) == folder, given
    assert read_brief(".").slug == "arctic-shipping"
    monkeypatch.chdir(folder.parent)
    assert find_brief("arctic-shipping") == find_brief("./arctic-shipping") == folder
