"""read/yamlfile.py: YAML parsed to data and nodes, every error located on its line."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated

import pytest
from msgspec import Meta, Struct

from briefpress.errors import BriefError, Problem
from briefpress.model.schema import HEX_COLOR_PATTERN, SLUG_PATTERN
from briefpress.read.yamlfile import (
    about_a_value_of,
    key_line,
    key_lines,
    node_line,
    parse_yaml,
    validate,
)

MD = Path("content/a-brief/brief.md")


def refused(text: str, first_line: int = 2) -> Problem:
    with pytest.raises(BriefError) as caught:
        parse_yaml(text, MD, first_line)
    (problem,) = caught.value.problems
    return problem


# -- parse_yaml ----------------------------------------------------------------------------

def test_data_and_nodes():
    data, node = parse_yaml("title: Brief\ndate: 2024-05-01\nlist: [1, two]\n", MD)
    assert data == {"title": "Brief", "date": datetime.date(2024, 5, 1), "list": [1, "two"]}
    assert node.value[2][1].value[1].value == "two"
    assert parse_yaml("", MD) == (None, None)
    assert parse_yaml("# only a comment\n", MD) == (None, None)


def test_aliases_are_refused_on_the_line_of_the_anchor_they_repeat():
    assert refused("a: b\nc: &x [1, 2]\nd: *x\n") == Problem(
        MD, 3, "YAML anchors and aliases (&name, *name) are not allowed",
        "write the value out in full")


def test_an_alias_bomb_is_refused_before_it_expands():
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    rows += [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]"
             for n in range(8)]
    assert refused("\n".join(rows), first_line=1).line == 1


def test_an_anchor_alone_is_harmless():
    assert parse_yaml("a: &x 1\n", MD)[0] == {"a": 1}


def test_malformed_yaml_names_the_line_counted_from_first_line():
    assert refused("title: ok\nlist: 1\n next: 2\n", first_line=2) == Problem(
        MD, 4, "malformed YAML: mapping values are not allowed in this context",
        "check the indentation and quoting on that line")
    assert refused("title: ok\nlist: 1\n next: 2\n", first_line=10).line == 12


UNCLOSED_LIST = ("the `[` list opened on this line is not closed",
                 "close the list with `]`, or put the value in quotes if the `[` is part of "
                 "its text")
UNCLOSED_MAPPING = ("the `{` mapping opened on this line is not closed",
                    "close the mapping with `}`, or put the value in quotes if the `{` is part "
                    "of its text")
UNCLOSED_QUOTE = ("the quoted text opened on this line is not closed",
                  "close the quote; a quote inside the text is written \\\" within \"...\" "
                  "and '' within '...'")
LOOK = "check the indentation and quoting on that line"
MISSING_COMMA_LIST = "separate the items with commas, as in `[a, b, c]`"
AFTER_QUOTE = ("put all of the value inside the quotes, or remove what follows the closing "
               "quote")


@pytest.mark.parametrize(("text", "line", "message", "fix"), [
    # an unclosed bracket or quote: the line that opened it, not the one where parsing gave up
    ("a: 1\nb: [x, y\nc: 3\nd: 4\n", 3,
     f"{UNCLOSED_LIST[0]} (did not find expected ',' or ']' on line 4)", UNCLOSED_LIST[1]),
    ("a: 1\nb: [x,\n  y,\n  z\nc: 3\n", 3,
     f"{UNCLOSED_LIST[0]} (did not find expected ',' or ']' on line 6)", UNCLOSED_LIST[1]),
    ("a: 1\nb: {x: 1, y: 2\nc: 3\n", 3,
     f"{UNCLOSED_MAPPING[0]} (did not find expected ',' or '}}' on line 4)",
     UNCLOSED_MAPPING[1]),
    ('a: 1\nb: "open\nc: 3\nd: 4\n', 3,
     f"{UNCLOSED_QUOTE[0]} (found unexpected end of stream on line 6)", UNCLOSED_QUOTE[1]),
    ("a: 1\nb: 'open\nc: 3\nd: 4\n", 3,
     f"{UNCLOSED_QUOTE[0]} (found unexpected end of stream on line 6)", UNCLOSED_QUOTE[1]),
    ("a: 1\nb: 'open", 3, f"{UNCLOSED_QUOTE[0]} (found unexpected end of stream)",
     UNCLOSED_QUOTE[1]),
    ("a: [x, y}\n", 2, f"{UNCLOSED_LIST[0]} (did not find expected ',' or ']')",
     UNCLOSED_LIST[1]),
    # an unclosed quote that the next quote, lines later, closes
    ('a: "open\nb: 2\nc: "three"\n', 2,
     "the quoted text opened on this line runs on to line 4 (did not find expected key there)",
     UNCLOSED_QUOTE[1]),
    ("a:\n  - 'open\n  - 'two'\n", 3,
     "the quoted text opened on this line runs on to line 4 (did not find expected '-' "
     "indicator there)", UNCLOSED_QUOTE[1]),
    # a list or mapping closed on its line that lacks a comma: the line, and the comma
    ('keywords: ["x", "y" "z"]\ntype: x\n', 2,
     "a `,` is missing between two items of the `[` list (did not find expected ',' or ']')",
     MISSING_COMMA_LIST),
    ('a: 1\nkeywords: ["x",\n  "y" "z"]\ntype: x\n', 4,
     "a `,` is missing between two items of the `[` list opened on line 3 (did not find "
     "expected ',' or ']')", MISSING_COMMA_LIST),
    ("a: {x: 1 y: 2}\nb: 1\n", 2,
     "a `,` is missing between two entries of the `{` mapping (did not find expected ',' or "
     "'}')", "separate the entries with commas, as in `{a: 1, b: 2}`"),
    ('keywords: ["x", "y"\ntype: x\n', 2,
     f"{UNCLOSED_LIST[0]} (did not find expected ',' or ']' on line 3)", UNCLOSED_LIST[1]),
    ('keywords: ["x", "y"\ntype: [a, b]\n', 2,
     f"{UNCLOSED_LIST[0]} (did not find expected ',' or ']' on line 3)", UNCLOSED_LIST[1]),
    ("a: {x: 1, y: 2\nb: 1\n", 2,
     f"{UNCLOSED_MAPPING[0]} (did not find expected ',' or '}}' on line 3)",
     UNCLOSED_MAPPING[1]),
    ("a: {x: 1]\n", 2, f"{UNCLOSED_MAPPING[0]} (did not find expected ',' or '}}')",
     UNCLOSED_MAPPING[1]),
    # a closed quote with something after it: the line of the closing quote
    ('title: "Foo\n  bar" junk\ntype: x\n', 3,
     "something follows the closing quote of the value on this line (did not find expected "
     "key)", AFTER_QUOTE),
    ('title: "Foo" junk\n', 2,
     "something follows the closing quote of the value on this line (did not find expected "
     "key)", AFTER_QUOTE),
    ('title: "Foo\n  key: bar" junk\ntype: x\n', 3,
     "something follows the closing quote of the value on this line (did not find expected "
     "key)", AFTER_QUOTE),
    # a key without its colon: its own line
    ("a: 1\nb\nc: 2\n", 3,
     "the key on this line has no `:` after it (could not find expected ':' on line 4)",
     "write `key: value`, or indent the line under the value it continues"),
    # bad indentation: the line that is out of step, not the start of its block
    ("a: 1\nb:\n  c: 1\n d: 2\ne: 3\n", 5, "did not find expected key", LOOK),
    ("a:\n  - x\n  y: 1\n", 4, "did not find expected '-' indicator", LOOK),
    ("a: 1\n- x\nb: 2\n", 3, "did not find expected key", LOOK),
    ("a: 1\nb:\n\tc: 1\n", 4, "found character that cannot start any token",
     "indent with spaces, not tabs"),
], ids=["list", "list-over-lines", "mapping", "double-quote", "single-quote", "quote-at-end",
        "list-closed-by-brace", "quote-closed-lines-later", "quote-in-a-list-closed-later",
        "list-missing-comma", "list-over-lines-missing-comma", "mapping-missing-comma",
        "list-not-closed-next-key", "list-not-closed-next-list", "mapping-not-closed",
        "mapping-closed-by-bracket", "junk-after-quote-over-lines", "junk-after-quote",
        "junk-after-quote-with-a-colon-inside", "key-without-colon", "dedented-key",
        "key-in-a-list", "list-entry-in-a-mapping", "tab"])
def test_a_syntax_error_is_reported_on_the_line_that_helps(text, line, message, fix):
    assert refused(text) == Problem(MD, line, f"malformed YAML: {message}", fix)


RECOMMENDATIONS = """\
intro: "The partnership plays an increasing role."
areas:
  - id: security
    title: Security
    recommendations:
      - id: coordination
        section: policy-alignment
        text: "Mutual policy coordination should be considered as vital.
      - id: ncg
        section: nuclear-consultative-group
        text: "Strengthening defense cooperation should remain high on the list."
"""


def test_a_quote_left_open_is_reported_where_it_opened_not_where_the_next_quote_closes_it():
    assert refused(RECOMMENDATIONS, first_line=1) == Problem(
        MD, 8, "malformed YAML: the quoted text opened on this line runs on to line 11 (did not "
        "find expected key there)", UNCLOSED_QUOTE[1])


def test_a_key_written_twice_is_reported_on_the_second():
    assert refused("a: 1\nb: 2\na: 3\n") == Problem(
        MD, 4, "the key 'a' is written twice in one mapping (first on line 2)",
        "keep one of them: YAML would keep the last and lose the other")


def test_a_tab_indent_is_named_as_the_fault():
    assert refused("authors:\n\t- name: A\n") == Problem(
        MD, 3, "malformed YAML: found character that cannot start any token",
        "indent with spaces, not tabs")


def test_an_unclosed_quote_and_a_second_document():
    assert refused("title: 'unclosed\n").message == \
        "malformed YAML: the quoted text opened on this line is not closed (found unexpected " \
        "end of stream on line 3)"
    assert refused("x: 1\n---\ny: 2\n") == Problem(
        MD, 3, "malformed YAML: but found another document",
        "check the indentation and quoting on that line")


def test_python_tags_are_not_constructed():
    problem = refused("a: !!python/object/apply:os.system [echo hi]\n")
    assert problem.line == 2
    assert problem.message.startswith("malformed YAML: could not determine a constructor")


def test_a_value_yaml_types_but_cannot_make_is_located():
    assert refused("title: x\ncount: !!int x\n") == Problem(
        MD, 3, "'x' cannot be read (invalid literal for int() with base 10: 'x')",
        "put the value in quotes")


@pytest.mark.parametrize("date", ["2024-13-45", "2024-02-30"])
def test_a_date_yaml_cannot_make_stays_text_for_validation_to_report(date):
    # refused here, it would hide every other mistake of the file
    data, _ = parse_yaml(f"title: x\ndate: {date}\n", MD, first_line=2)
    assert data == {"title": "x", "date": date}


def test_a_duplicate_key_is_refused_on_its_second_line():
    assert refused("title: First\nlang: en\ntitle: Second\n").line == 4


# -- node_line and key_line ----------------------------------------------------------------

TEXT = """\
title: T
authors:
  - name: A
  - name: B
    bio: >
      Folded.
publisher:
  name: P
"""


def test_node_line_follows_keys_and_indices():
    _, node = parse_yaml(TEXT, MD)
    assert node_line(node, ("authors", 1, "bio")) == 5
    assert node_line(node, ("authors", 1)) == 4
    assert node_line(node, ("publisher", "name"), first_line=2) == 9
    assert node_line(node, ()) == 1


def test_node_line_stops_at_the_deepest_node_found():
    _, node = parse_yaml(TEXT, MD)
    assert node_line(node, ("authors", 5, "name")) == 3  # past the list: the list
    assert node_line(node, ("publisher", "url")) == 8  # missing key: its mapping
    assert node_line(None, ("a",)) is None


def test_key_line_is_the_line_of_the_key():
    _, node = parse_yaml("a:\n  b:\n    c\n", MD)
    assert node_line(node, ("a", "b")) == 3  # the value
    assert key_line(node, ("a", "b")) == 2  # the key
    assert key_line(node, ("a", "x")) == 2  # no such key: the mapping


def test_key_lines_give_every_key_and_item_its_own_line():
    _, node = parse_yaml(TEXT, MD)
    assert key_lines(node, first_line=2) == {
        ("title",): 2, ("authors",): 3, ("authors", 0): 4, ("authors", 0, "name"): 4,
        ("authors", 1): 5, ("authors", 1, "name"): 5, ("authors", 1, "bio"): 6,
        ("publisher",): 8, ("publisher", "name"): 9}
    # a quoted key, a flow mapping: where the key is, as YAML reads it
    _, node = parse_yaml('"title": T\nareas: [{id: a,\n  title: A}]\n', MD)
    assert key_lines(node) == {("title",): 1, ("areas",): 2, ("areas", 0): 2,
                               ("areas", 0, "id"): 2, ("areas", 0, "title"): 3}
    assert key_lines(None) == {}


# -- validate (the mechanics; schema messages are in tests/model/test_schema.py) ------------

class Inner(Struct, forbid_unknown_fields=True):
    name: str
    size: int = 0


class Outer(Struct, forbid_unknown_fields=True):
    title: str
    items: list[Inner] = []


def check(text: str, schema: type = Outer, first_line: int = 2):
    data, node = parse_yaml(text, MD, first_line)
    return validate(schema, data, node, MD, first_line)


def test_text_is_stripped_before_validation():
    model, findings = check("title: '  padded  '\nitems:\n  - name: ' n '\n")
    assert model == Outer("padded", [Inner("n")])
    assert findings == []


def test_unknown_keys_are_all_found_with_a_did_you_mean_and_dropped():
    model, findings = check("titel: x\ntitle: T\nitems:\n  - name: a\n    sise: 3\n"
                            "  - name: b\n    colour: red\n")
    assert model == Outer("T", [Inner("a"), Inner("b")])
    assert findings == [
        Problem(MD, 2, "unknown key 'titel'", "did you mean 'title'?"),
        Problem(MD, 6, "unknown key 'items[0].sise'", "did you mean 'size'?"),
        Problem(MD, 8, "unknown key 'items[1].colour'", "known keys: name, size"),
    ]


def test_a_mismatch_stops_validation_with_a_located_error():
    with pytest.raises(BriefError) as caught:
        check("title: T\nitems:\n  - name: a\n    size: big\n")
    assert caught.value.problems == [Problem(
        MD, 5, "items[0].size: input should be a valid integer (got 'big')",
        "write a whole number, e.g. `400`")]


def test_a_missing_field_is_located_at_its_mapping():
    with pytest.raises(BriefError) as caught:
        check("title: T\nitems:\n  - size: 1\n")
    assert caught.value.problems == [Problem(MD, 4, "items[0].name: field required",
                                             "add `name:`")]


def test_data_that_is_not_a_mapping():
    for text, found in (("- a\n", "list"), ("", "nothing"), ("just text\n", "str")):
        with pytest.raises(BriefError) as caught:
            check(text, first_line=5)
        assert caught.value.problems == [Problem(
            MD, 5, f"expected a mapping of keys, found {found}",
            "write `key: value` lines, `title:` among them")]


def test_a_misspelt_required_key_keeps_its_did_you_mean():
    with pytest.raises(BriefError) as caught:
        check("title: T\nitems:\n  - nmae: a\n")
    assert Problem(MD, 4, "unknown key 'items[0].nmae'", "did you mean 'name'?") in \
        caught.value.problems


class _Palette(Struct):
    colors: dict[str, Annotated[str, Meta(pattern=HEX_COLOR_PATTERN)]]
    cmyk: dict[str, Annotated[list[Annotated[float, Meta(le=100)]], Meta(min_length=4)]]


def test_a_mapping_s_entry_at_fault_is_named_by_its_key_on_its_line() -> None:
    """msgspec names a mapping's value by the mapping alone (``colors[...]``): the entry at
    fault is found, named and located, and every one is said at once."""
    text = ("colors:\n  navy: '#0b2545'\n  accent: red\n  ink: blue\n"
            "cmyk:\n  navy: [1, 2, 3, 4]\n  accent: [1, 2, 300, 4]\n")
    data, node = parse_yaml(text, Path("p.yaml"))
    with pytest.raises(BriefError) as caught:
        validate(_Palette, data, node, Path("p.yaml"))
    assert [(p.line, p.message.split(" (got")[0]) for p in caught.value.problems] == [
        (3, "colors.accent: is not a colour"), (4, "colors.ink: is not a colour"),
        (7, "cmyk.accent[2]: should be at most 100.0")]


class _Sizes(Struct, forbid_unknown_fields=True):
    body: float
    heading: float


class _Gaps(Struct, forbid_unknown_fields=True):
    before: Annotated[str, Meta(min_length=1)]
    after: float


class _Design(Struct, forbid_unknown_fields=True):
    sizes: _Sizes
    gaps: _Gaps
    name: str


def test_a_required_value_set_aside_does_not_hide_the_other_fields_mistakes():
    """msgspec stops at its first mismatch; a required value set aside to go on would be
    missing, so each field is also converted on its own: every mistake, at once."""
    text = "sizes:\n  body: 10pt\n  heading: x\ngaps:\n  before: ''\n  after: wide\nname: 3\n"
    data, node = parse_yaml(text, Path("design.yaml"))
    with pytest.raises(BriefError) as caught:
        validate(_Design, data, node, Path("design.yaml"))
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (2, "sizes.body"), (3, "sizes.heading"), (5, "gaps.before"), (6, "gaps.after"),
        (7, "name")]


class _Press(Struct, forbid_unknown_fields=True):
    inks: dict[str, Annotated[list[int], Meta(min_length=4, max_length=4)]]
    names: Annotated[list[str], Meta(max_length=2)] = []


def test_a_list_of_a_fixed_length_is_said_as_exactly_that():
    """Tester 11: a brand's CMYK of three values got "expected `array` of length >= 4"."""
    data, node = parse_yaml("inks:\n  navy: [85, 30, 30]\nnames: [a, b, c]\n", Path("b.yml"))
    with pytest.raises(BriefError) as caught:
        validate(_Press, data, node, Path("b.yml"))
    assert [(p.line, p.message, p.fix) for p in caught.value.problems] == [
        (2, "inks.navy: list should have exactly 4 entries", "give exactly 4 entries"),
        (3, "names: list should have at most 2 entries", "give at most 2 entries")]


def test_a_problem_of_a_value_is_told_from_one_of_its_key():
    """A reader words the fix of a value it knows (a brand's CMYK), not of a key beside it."""
    text = "inks:\n  navy: [85, 30, 30]\n  teal: [1, 2, 3, x]\n  Red!: [1, 2, 3, 4]\n"
    data, node = parse_yaml(text, Path("b.yml"))
    with pytest.raises(BriefError) as caught:
        validate(_Inks, data, node, Path("b.yml"))
    assert [(p.message.split(" (")[0], about_a_value_of(p, "inks"),
             about_a_value_of(p, "ink")) for p in caught.value.problems] == [
        ("inks.navy: list should have exactly 4 entries", True, False),
        ("inks.teal[3]: input should be a valid integer", True, False),
        ("inks.Red!: the key is not an id", False, False)]


class _Inks(Struct, forbid_unknown_fields=True):
    inks: dict[Annotated[str, Meta(pattern=SLUG_PATTERN)],
               Annotated[list[int], Meta(min_length=4, max_length=4)]]


class _Face(Struct, forbid_unknown_fields=True):
    family: Annotated[str, Meta(min_length=1)]
    weight: int = 400


class _Kit(Struct, forbid_unknown_fields=True):
    name: str
    faces: list[_Face]
    colors: dict[Annotated[str, Meta(pattern=SLUG_PATTERN)],
                 Annotated[str, Meta(pattern=HEX_COLOR_PATTERN)]] = {}


def test_each_item_entry_and_missing_field_is_said_beside_a_mistake_that_stops_validation():
    """A list's item that is no mapping, or a mapping's key of the wrong form, stops
    validation where it is; the other items, entries and a required key missing are said
    too, and a key its pattern refuses is named (not "a key that is not text")."""
    text = ("faces: [x, {family: 1}, {weight: 400}, {family: A, weight: bold}]\n"
            "colors:\n  Navy!: '#0b2545'\n  ink: blue\n")
    data, node = parse_yaml(text, Path("kit.yml"))
    with pytest.raises(BriefError) as caught:
        validate(_Kit, data, node, Path("kit.yml"))
    assert [(p.line, p.message.split(" (got")[0], p.fix) for p in caught.value.problems] == [
        (1, "faces[0]: input should be a valid mapping",
         "write `key: value` lines, indented under the key"),
        (1, "name: field required", "add `name:`"),  # the whole file's line
        (1, "faces[1].family: input should be a valid string",
         "write text (in quotes if YAML would read it otherwise)"),
        (1, "faces[2].family: field required", "add `family:`"),
        (1, "faces[3].weight: input should be a valid integer", "write a whole number, e.g. "
                                                               "`400`"),
        (3, "colors.Navy!: the key is not an id",
         "use lowercase letters, digits and hyphens, e.g. `my-section`"),
        (4, "colors.ink: is not a colour", "write `#` and six hex digits, e.g. `#0b2545`")]
