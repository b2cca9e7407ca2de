"""importer/yamledit.py: YAML values edited in the text, every other byte kept."""

from __future__ import annotations

import pytest
import yaml

from briefpress.importer.yamledit import YamlText, render_scalar

RECS = """\
# Recommendations of the brief.
intro: "Opening words."  # the intro stays one line
areas:
  - id: trade
    title: 'Trade & "tariffs"'
    recommendations:
      - id: cut-tariffs
        text: >
          Folded text
          over two lines.
        section: trade-section
      - id: keep-quotas
        text: |
          Literal
          block
        section: trade-section
  - id: defence
    # ships first
    title: Defence
    recommendations:
      - id: more-ships
        text: Plain text here
        section: navy
"""


def edited(text: str, *edits: tuple[str, tuple, object]) -> str:
    doc = YamlText(text)
    for method, *args in edits:
        getattr(doc, method)(*args)
    return doc.result()


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """Pairs of differing lines (for texts with the same number of lines)."""
    a, b = before.split("\n"), after.split("\n")
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


# -- finding -------------------------------------------------------------------------------

def test_node_follows_keys_and_indices():
    doc = YamlText(RECS)
    assert doc.node(("areas", 1, "recommendations", 0, "text")).value == "Plain text here"
    assert doc.node(("areas", 0, "title")).value == 'Trade & "tariffs"'
    assert doc.node(("areas", 2)) is None
    assert doc.node(("areas", -1)) is None
    assert doc.node(("missing",)) is None
    assert doc.node(("intro", "deeper")) is None


def test_key_node_is_the_key_not_the_value():
    doc = YamlText(RECS)
    key = doc.key_node(("areas", 0, "title"))
    assert key.value == "title"
    assert (key.start_mark.line, key.start_mark.column) == (4, 4)
    assert doc.key_node(("areas", 0)) is None  # a list item has no key


def test_index_of_finds_items_by_id():
    doc = YamlText(RECS)
    assert doc.index_of(("areas",), "trade") == 0
    assert doc.index_of(("areas",), "defence") == 1
    assert doc.index_of(("areas", 0, "recommendations"), "keep-quotas") == 1
    assert doc.index_of(("areas",), "nowhere") is None
    assert doc.index_of(("intro",), "trade") is None  # not a sequence


def test_empty_text_has_no_root_and_stays_empty():
    doc = YamlText("")
    assert doc.root is None
    assert doc.node(("intro",)) is None
    assert doc.result() == ""
    assert not doc.changed


# -- replace_scalar ------------------------------------------------------------------------

def test_replace_keeps_double_quotes_and_the_trailing_comment():
    after = edited(RECS, ("replace_scalar", ("intro",), "New “intro”, café"))
    assert changed_lines(RECS, after) == [
        ('intro: "Opening words."  # the intro stays one line',
         'intro: "New “intro”, café"  # the intro stays one line')]


def test_replace_keeps_single_quotes_and_doubles_the_apostrophe():
    after = edited(RECS, ("replace_scalar", ("areas", 0, "title"), "It's trade"))
    assert changed_lines(RECS, after) == [
        ("    title: 'Trade & \"tariffs\"'", "    title: 'It''s trade'")]
    assert yaml.safe_load(after)["areas"][0]["title"] == "It's trade"


def test_replace_plain_stays_plain_when_it_can():
    after = edited(RECS, ("replace_scalar", ("areas", 1, "title"), "Defence and ships"))
    assert changed_lines(RECS, after) == [("    title: Defence", "    title: Defence and ships")]


def test_replace_plain_is_quoted_when_plain_would_change_the_value():
    for value in ("Ships: many", "yes", "1.5", "# not a comment", "trailing ", "null"):
        after = edited(RECS, ("replace_scalar", ("areas", 1, "title"), value))
        assert yaml.safe_load(after)["areas"][1]["title"] == value
        assert f'title: "{value}"' in after


@pytest.mark.parametrize("index", [0, 1])
def test_replace_block_scalar_keeps_the_next_key(index):
    path = ("areas", 0, "recommendations", index, "text")
    after = edited(RECS, ("replace_scalar", path, "One line now"))
    data = yaml.safe_load(after)
    assert data["areas"][0]["recommendations"][index] == {
        "id": ["cut-tariffs", "keep-quotas"][index], "text": "One line now",
        "section": "trade-section"}
    assert '        text: "One line now"\n        section: trade-section\n' in after
    assert len(after.split("\n")) == len(RECS.split("\n")) - 2


def test_replace_block_scalar_at_the_end_of_the_file():
    assert edited("a: 1\nb: |\n  block\n  text\n", ("replace_scalar", ("b",), "new")) == \
        'a: 1\nb: "new"\n'
    assert edited("a: 1\nb: |\n  block\n  text", ("replace_scalar", ("b",), "new")) == \
        'a: 1\nb: "new"'


def test_a_block_given_paragraphs_stays_a_block():
    """A recommendation of several paragraphs, edited, stays a literal block (it was written
    in double quotes, ``"…\\n\\n…"``), its last line break kept."""
    path = ("areas", 0, "recommendations", 1, "text")
    after = edited(RECS, ("replace_scalar", path, "First paragraph.\n\n  Indented second."))
    assert "        text: |\n          First paragraph.\n\n            Indented second.\n" \
        "        section: trade-section\n" in after
    assert yaml.safe_load(after)["areas"][0]["recommendations"][1]["text"] == \
        "First paragraph.\n\n  Indented second.\n"
    folded = ("areas", 0, "recommendations", 0, "text")
    after = edited(RECS, ("replace_scalar", folded, " Leading space.\n\nSecond."))
    assert "        text: |2\n           Leading space.\n\n          Second.\n" in after
    assert yaml.safe_load(after)["areas"][0]["recommendations"][0]["text"] == \
        " Leading space.\n\nSecond.\n"


def test_an_item_inserted_with_paragraphs_writes_them_as_a_block():
    after = edited(RECS, ("insert_item", ("areas", 1, "recommendations"), 1, [
        ("id", "more-crews"), ("section", "navy"), ("text", "Train crews.\n\nPay them.")]))
    assert after.endswith("      - id: more-crews\n        section: navy\n        text: |\n"
                          "          Train crews.\n\n          Pay them.\n")
    assert yaml.safe_load(after)["areas"][1]["recommendations"][1]["text"] == \
        "Train crews.\n\nPay them.\n"


def test_replace_with_newlines_and_line_separators_round_trips():
    value = "Line one\nLine two\u2028after a separator"
    after = edited(RECS, ("replace_scalar", ("intro",), value))
    assert yaml.safe_load(after)["intro"] == value
    assert "\u2028" not in after  # YAML would fold it; it is written escaped


def test_replace_with_the_same_value_queues_nothing():
    doc = YamlText(RECS)
    doc.replace_scalar(("areas", 0, "title"), 'Trade & "tariffs"')
    assert not doc.changed
    assert doc.result() == RECS


def test_replace_refuses_a_path_that_is_not_a_scalar():
    doc = YamlText(RECS)
    with pytest.raises(KeyError):
        doc.replace_scalar(("areas",), "x")
    with pytest.raises(KeyError):
        doc.replace_scalar(("nowhere",), "x")


def test_replace_multiline_plain_scalar_takes_all_its_lines():
    text = "t: plain words\n  continued here\nu: 2\n"
    assert edited(text, ("replace_scalar", ("t",), "x")) == "t: x\nu: 2\n"


def test_several_edits_apply_together_on_the_original_offsets():
    after = edited(RECS,
                   ("replace_scalar", ("intro",), "A much longer opening than before, by far."),
                   ("replace_scalar", ("areas", 1, "recommendations", 0, "text"), "Ships."),
                   ("replace_scalar", ("areas", 0, "recommendations", 0, "text"), "Folded."))
    data = yaml.safe_load(after)
    assert data["intro"] == "A much longer opening than before, by far."
    assert data["areas"][1]["recommendations"][0]["text"] == "Ships."
    assert data["areas"][0]["recommendations"][0]["text"] == "Folded."
    assert "    # ships first\n" in after and after.startswith("# Recommendations of the brief.\n")


def test_replace_an_empty_value():
    after = edited("t:\nu: 2\n", ("replace_scalar", ("t",), "x"))
    assert yaml.safe_load(after) == {"t": "x", "u": 2}


def test_replace_a_tilde_null():
    assert edited("t: ~\nu: 2\n", ("replace_scalar", ("t",), "x")) == "t: x\nu: 2\n"


# -- set_key -------------------------------------------------------------------------------

def test_set_key_adds_a_double_quoted_line_after_the_named_key():
    text = "title: Brief\n# a comment\nlang: en\n"
    assert edited(text, ("set_key", (), "subtitle", "Why: now", "title")) == \
        'title: Brief\nsubtitle: "Why: now"\n# a comment\nlang: en\n'


def test_set_key_in_a_nested_mapping_uses_its_indentation():
    text = "a:\n  b: 1\n  c: 2\nd: 3\n"
    assert edited(text, ("set_key", ("a",), "n", "w", "c")) == \
        'a:\n  b: 1\n  c: 2\n  n: "w"\nd: 3\n'


def test_set_key_after_a_block_scalar_goes_below_its_last_line():
    text = "title: |\n  two\n  lines\nlang: en\n"
    after = edited(text, ("set_key", (), "subtitle", "S", "title"))
    assert after == 'title: |\n  two\n  lines\nsubtitle: "S"\nlang: en\n'


def test_set_key_needs_the_anchor_key():
    with pytest.raises(KeyError):
        YamlText("a: 1\n").set_key((), "n", "v", after="missing")


# -- delete_key ----------------------------------------------------------------------------

def test_delete_key_removes_its_whole_lines():
    after = edited(RECS, ("delete_key", ("intro",)))
    assert after == RECS.replace('intro: "Opening words."  # the intro stays one line\n', "")


def test_delete_key_with_a_block_value():
    assert edited("a: 1\nb: |\n  block\n  text\nc: 2\n", ("delete_key", ("b",))) == \
        "a: 1\nc: 2\n"
    assert edited("a: 1\nb: |\n  block\n  text\n", ("delete_key", ("b",))) == "a: 1\n"


def test_delete_key_with_a_mapping_value():
    assert edited("a:\n  b: 1\n  c: 2\nd: 3\n", ("delete_key", ("a",))) == "d: 3\n"


def test_delete_missing_key_does_nothing():
    doc = YamlText(RECS)
    doc.delete_key(("nowhere",))
    assert not doc.changed


# -- delete_item ---------------------------------------------------------------------------

def test_delete_item_removes_it_with_its_comments():
    after = edited(RECS, ("delete_item", ("areas",), 1))
    assert after == RECS[:RECS.index("  - id: defence")]
    assert yaml.safe_load(after)["areas"][0]["id"] == "trade"


def test_delete_first_item_keeps_the_rest_byte_for_byte():
    after = edited(RECS, ("delete_item", ("areas", 0, "recommendations"), 0))
    start = RECS.index("      - id: cut-tariffs")
    end = RECS.index("      - id: keep-quotas")
    assert after == RECS[:start] + RECS[end:]


def test_delete_item_inside_an_item_deleted_too_goes_with_it():
    """A recommendation deleted with its area: deleted first, its lines shifted the area's,
    whose deletion then took the next area's first lines."""
    doc = YamlText(RECS)
    doc.delete_item(("areas", 0, "recommendations"), 1)
    doc.delete_item(("areas",), 0)
    doc.delete_item(("areas",), 0)  # the same lines twice
    assert doc.result() == RECS[:RECS.index("  - id: trade")] + RECS[RECS.index(
        "  - id: defence"):]


def test_delete_item_of_a_scalar_list():
    assert edited("a:\n  - 1\n  - 2\n", ("delete_item", ("a",), 0)) == "a:\n  - 2\n"


def test_delete_every_item_leaves_an_empty_list_not_a_null():
    """A key with nothing under it reads as null, which no list of the schema is: the
    tester's "areas[1].recommendations: input should be a valid list"."""
    after = edited(RECS, ("delete_item", ("areas", 1, "recommendations"), 0))
    assert after == RECS[:RECS.index("    recommendations:\n      - id: more-ships")] + \
        "    recommendations: []\n"
    assert yaml.safe_load(after)["areas"][1]["recommendations"] == []
    after = edited(RECS, ("delete_item", ("areas",), 1), ("delete_item", ("areas",), 0))
    assert after == RECS[:RECS.index("areas:")] + "areas: []\n"


def test_an_emptied_list_keeps_its_key_s_comment_and_what_follows():
    text = "areas:  # none yet\n  - id: a\n    title: A\nintro: x\n"
    assert edited(text, ("delete_item", ("areas",), 0)) == \
        "areas: []  # none yet\nintro: x\n"


def test_a_list_emptied_inside_an_item_deleted_goes_with_the_item():
    after = edited(RECS, ("delete_item", ("areas", 1, "recommendations"), 0),
                   ("delete_item", ("areas",), 1))
    assert after == RECS[:RECS.index("  - id: defence")]


def test_a_list_whose_items_are_replaced_is_no_empty_list():
    doc = YamlText(RECS)
    doc.delete_item(("areas", 1, "recommendations"), 0)
    doc.insert_item(("areas", 1, "recommendations"), 1,
                    [("id", "fewer-ships"), ("text", "Fewer"), ("section", "navy")])
    after = yaml.safe_load(doc.result())
    assert [r["id"] for r in after["areas"][1]["recommendations"]] == ["fewer-ships"]
    moved = edited(RECS, ("move_item", ("areas", 1, "recommendations"), 0,
                          ("areas", 0, "recommendations"), 2))
    assert "    recommendations: []\n" in moved
    assert [r["id"] for r in yaml.safe_load(moved)["areas"][0]["recommendations"]] == [
        "cut-tariffs", "keep-quotas", "more-ships"]


def test_delete_missing_item_does_nothing():
    doc = YamlText(RECS)
    doc.delete_item(("areas",), 7)
    assert not doc.changed


# -- insert_item ---------------------------------------------------------------------------

def test_insert_item_before_an_item_with_the_files_quoting():
    after = edited(RECS, ("insert_item", ("areas", 1, "recommendations"), 0,
                          [("id", "new-rec"), ("text", "Build ports"), ("section", "navy")]))
    # no `text` is plain or quoted: the new one is double-quoted; every `section` is plain
    assert "      - id: new-rec\n        text: \"Build ports\"\n        section: navy\n" \
           "      - id: more-ships\n" in after
    recs = yaml.safe_load(after)["areas"][1]["recommendations"]
    assert [r["id"] for r in recs] == ["new-rec", "more-ships"]


def test_insert_item_after_the_last():
    after = edited(RECS, ("insert_item", ("areas", 0, "recommendations"), 2,
                          [("id", "last"), ("text", "T"), ("section", "s")]))
    recs = yaml.safe_load(after)["areas"][0]["recommendations"]
    assert [r["id"] for r in recs] == ["cut-tariffs", "keep-quotas", "last"]
    assert "        section: trade-section\n      - id: last\n" in after


def test_insert_item_with_a_nested_list_and_the_quote_style_of_each_key():
    text = "items:\n  - id: a\n    x: \"1\"\n    subs:\n      - id: s\n        t: 'q'\n"
    after = edited(text, ("insert_item", ("items",), 0,
                          [("id", "n"), ("x", "3"), ("subs", [[("id", "s2"), ("t", "it's")]])]))
    assert after == ("items:\n  - id: n\n    x: \"3\"\n    subs:\n      - id: s2\n"
                     "        t: 'it''s'\n" + text.removeprefix("items:\n"))


def test_insert_item_quotes_each_key_as_most_of_its_values_are():
    text = ("items:\n  - id: a\n    t: 'one'\n  - id: b\n    t: 'two'\n"
            "  - id: c\n    t: \"three\"\n")
    after = edited(text, ("insert_item", ("items",), 3, [("id", "d"), ("t", "four")]))
    assert after == text + "  - id: d\n    t: 'four'\n"


def test_insert_item_in_a_sequence_written_at_the_keys_column():
    text = "items:\n- id: a\n  x: 1\n- id: b\n  x: 2\n"
    after = edited(text, ("insert_item", ("items",), 1, [("id", "n")]))
    assert after == "items:\n- id: a\n  x: 1\n- id: n\n- id: b\n  x: 2\n"


def test_two_inserts_at_one_place_keep_the_order_they_were_queued_in():
    text = "items:\n  - id: a\n  - id: b\n"
    for index in (1, 2):
        after = edited(text, ("insert_item", ("items",), index, [("id", "n1")]),
                       ("insert_item", ("items",), index, [("id", "n2")]))
        ids = [item["id"] for item in yaml.safe_load(after)["items"]]
        assert ids == (["a", "n1", "n2", "b"] if index == 1 else ["a", "b", "n1", "n2"])


def test_insert_item_needs_a_non_empty_sequence():
    with pytest.raises(KeyError):
        YamlText("items: []\n").insert_item(("items",), 0, [("id", "x")])
    with pytest.raises(KeyError):
        YamlText("items: x\n").insert_item(("items",), 0, [("id", "x")])


# -- move_item -----------------------------------------------------------------------------

def test_move_item_takes_its_own_lines_to_the_other_sequence():
    """A recommendation moved to another area: its lines move as written (its block scalar,
    its key order), nothing else changes."""
    after = edited(RECS, ("move_item", ("areas", 0, "recommendations"), 1,
                          ("areas", 1, "recommendations"), 0))
    item = RECS[RECS.index("      - id: keep-quotas"):RECS.index("  - id: defence")]
    assert after == RECS.replace(item, "").replace("      - id: more-ships",
                                                   item + "      - id: more-ships")
    areas = yaml.safe_load(after)["areas"]
    assert [[r["id"] for r in a["recommendations"]] for a in areas] == [
        ["cut-tariffs"], ["keep-quotas", "more-ships"]]
    assert areas[1]["recommendations"][0]["text"] == "Literal\nblock\n"


def test_move_item_after_the_last_item_at_the_end_of_the_text():
    after = edited(RECS, ("move_item", ("areas", 0, "recommendations"), 0,
                          ("areas", 1, "recommendations"), 1))
    item = RECS[RECS.index("      - id: cut-tariffs"):RECS.index("      - id: keep-quotas")]
    assert after == RECS.replace(item, "") + item
    without = RECS.removesuffix("\n")  # no newline at the end: one is put before the item
    after = edited(without, ("move_item", ("areas", 0, "recommendations"), 0,
                             ("areas", 1, "recommendations"), 1))
    assert after == without.replace(item, "") + "\n" + item.removesuffix("\n")


def test_move_item_takes_the_indentation_of_its_new_siblings():
    text = ("a:\n  - id: x\n    t: 'one'  # kept\n    n: |\n      two\n\n      three\n"
            "b:\n- id: y\n  t: 'four'\n")
    after = edited(text, ("move_item", ("a",), 0, ("b",), 1))
    assert after == ("a: []\nb:\n- id: y\n  t: 'four'\n- id: x\n  t: 'one'  # kept\n"
                     "  n: |\n    two\n\n    three\n")
    assert yaml.safe_load(after)["b"][1] == {"id": "x", "t": "one", "n": "two\n\nthree\n"}


def test_move_item_carries_the_edits_queued_inside_it():
    doc = YamlText(RECS)
    doc.replace_scalar(("areas", 1, "recommendations", 0, "text"), "New words")
    doc.move_item(("areas", 1, "recommendations"), 0, ("areas", 0, "recommendations"), 1)
    doc.replace_scalar(("areas", 0, "title"), "Trade")  # an edit outside it stays put
    after = doc.result()
    areas = yaml.safe_load(after)["areas"]
    assert areas[0]["title"] == "Trade" and areas[1]["recommendations"] == []
    assert [r["id"] for r in areas[0]["recommendations"]] == [
        "cut-tariffs", "more-ships", "keep-quotas"]
    assert areas[0]["recommendations"][1] == {"id": "more-ships", "text": "New words",
                                              "section": "navy"}
    assert "      - id: more-ships\n        text: New words\n        section: navy\n" \
        "      - id: keep-quotas\n" in after


def test_move_item_leaves_an_item_inserted_where_it_stood_in_its_place():
    """An editor who moves a recommendation away and types a new one in its place."""
    doc = YamlText(RECS)
    doc.move_item(("areas", 0, "recommendations"), 1, ("areas", 1, "recommendations"), 0)
    doc.insert_item(("areas", 0, "recommendations"), 2, [("id", "new"), ("text", "T"),
                                                         ("section", "s")])
    doc.insert_item(("areas", 0, "recommendations"), 1, [("id", "newer"), ("text", "T"),
                                                         ("section", "s")])
    areas = yaml.safe_load(doc.result())["areas"]
    assert [[r["id"] for r in a["recommendations"]] for a in areas] == [
        ["cut-tariffs", "newer", "new"], ["keep-quotas", "more-ships"]]


def test_move_item_to_where_it_stands_changes_nothing():
    for to_index in (1, 2):
        doc = YamlText(RECS)
        doc.move_item(("areas", 0, "recommendations"), 1, ("areas", 0, "recommendations"),
                      to_index)
        assert not doc.changed and doc.result() == RECS
    after = edited(RECS, ("move_item", ("areas", 0, "recommendations"), 1,
                          ("areas", 0, "recommendations"), 0))
    assert [r["id"] for r in yaml.safe_load(after)["areas"][0]["recommendations"]] == [
        "keep-quotas", "cut-tariffs"]


def test_move_item_needs_the_item_and_a_non_empty_sequence():
    with pytest.raises(KeyError):
        YamlText(RECS).move_item(("areas", 0, "recommendations"), 5, ("areas",), 0)
    with pytest.raises(KeyError):
        YamlText("a:\n  - x\nb: []\n").move_item(("a",), 0, ("b",), 0)


# -- render_scalar -------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "style", "written"), [
    ("plain words", None, "plain words"),
    ("path/to (x)-1.5", None, "path/to (x)-1.5"),
    ("yes", None, '"yes"'),
    ("1.5", None, '"1.5"'),
    ("a: b", None, '"a: b"'),
    ("trailing ", None, '"trailing "'),
    ("", None, '""'),
    ("x'y", "'", "'x''y'"),
    ("x\ny", "'", '"x\\ny"'),
    ("say \"hi\"", '"', '"say \\"hi\\""'),
    ("café – ok", '"', '"café – ok"'),
    ("a\u2028b\u2029c", '"', '"a\\u2028b\\u2029c"'),
    ("text", "|", '"text"'),
])
def test_render_scalar(value, style, written):
    assert render_scalar(value, style) == written
    assert yaml.safe_load(f"k: {written}")["k"] == value


def test_a_quoted_value_given_paragraphs_becomes_a_block_unless_a_comment_follows():
    after = edited(RECS, ("replace_scalar", ("areas", 1, "recommendations", 0, "text"),
                          "More ships.\n\nMore crews."))
    assert "        text: |\n          More ships.\n\n          More crews.\n" \
        "        section: navy\n" in after
    assert yaml.safe_load(after)["areas"][1]["recommendations"][0]["text"] == \
        "More ships.\n\nMore crews.\n"
    # the intro's comment would be read as its text in a block: it stays quoted
    after = edited(RECS, ("replace_scalar", ("intro",), "Opening.\n\nWords."))
    assert 'intro: "Opening.\\n\\nWords."  # the intro stays one line\n' in after
    after = edited("t:\nu: 2\n", ("replace_scalar", ("t",), "x\n\ny"))
    assert after == "t: |\n  x\n\n  y\nu: 2\n"
