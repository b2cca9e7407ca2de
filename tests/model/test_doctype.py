"""model/doctype.py: the records of a document type, and its description in a few lines."""

from __future__ import annotations

import msgspec
import pytest

from briefpress.model.doctype import DocType, SectionRule, describe_doctype


def test_a_doctype_is_a_frozen_record():
    doctype = DocType("x", "X", (SectionRule(id="a"),))
    with pytest.raises(AttributeError):
        doctype.label = "Y"  # type: ignore[misc]


def test_a_rule_is_found_by_id_and_the_body_by_its_flag():
    body = SectionRule(body=True, min=1)
    doctype = DocType("x", "X", (SectionRule(id="a"), body, SectionRule(id="b", optional=True)))
    assert doctype.rule("b") == SectionRule(id="b", optional=True)
    assert doctype.rule("nowhere") is None
    assert doctype.body_rule() is body
    assert DocType("y", "Y", (SectionRule(id="a"),)).body_rule() is None


def test_a_rule_knows_its_other_names_by_id_or_title():
    rule = SectionRule(id="key-takeaways", aka=("summary", "Executive Summary"))
    assert rule.known_as("Summary", "Whatever")
    assert rule.known_as("x", "  Executive   Summary ")
    assert not rule.known_as("key-takeaways", "Key Takeaways")  # its own name is no other


def test_a_rule_is_written_from_but_held_as_from_():
    """``from`` is a Python keyword: the field is ``from_``, its key in a file ``from:``."""
    assert msgspec.convert({"id": "x", "from": "authors", "optional": True}, SectionRule) \
        == SectionRule(id="x", from_="authors", optional=True)
    with pytest.raises(msgspec.ValidationError, match="unknown field `from_`"):
        msgspec.convert({"id": "x", "from_": "authors"}, SectionRule)


def test_a_type_is_described_in_a_few_lines():
    doctype = DocType(
        "memo", "Memo", (
            SectionRule(id="summary", title="Summary"),
            SectionRule(id="recs", title="Recommendations", from_="recommendations",
                        optional=True),
            SectionRule(body=True, min=2),
            SectionRule(body=True),
            SectionRule(id="bios", title="About", from_="authors")),
        description="A memo.", max_words=900)
    assert describe_doctype(doctype).splitlines() == [
        "memo: Memo",
        "  A memo.",
        "  at most 900 words",
        "  - Summary {#summary}",
        "  - Recommendations {#recs} (made from recommendations.yaml, optional)",
        "  - the body: 2 or more sections of your own",
        "  - the body: sections of your own",
        "  - About {#bios} (made from the authors' bios)"]
