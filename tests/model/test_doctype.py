"""model/doctype.py: document-type rules files turned into a DocType, bad ones refused."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from briefpress.errors import BriefError, Problem
from briefpress.model.doctype import (
    DocType,
    SectionRule,
    _rule,
    describe_doctype,
    known_doctypes,
    load_doctype,
)
from briefpress.support.paths import TEMPLATES


def test_the_policy_brief_rules():
    doctype = load_doctype("policy-brief")
    assert doctype.name == "policy-brief" and doctype.label == "Policy Brief"
    assert [rule.id for rule in doctype.sections] == [
        "executive-summary", "policy-recommendations", "introduction", None, "conclusion",
        "about-the-author"]
    assert doctype.rule("policy-recommendations") == SectionRule(
        id="policy-recommendations", title="Policy Recommendations", from_="recommendations")
    assert doctype.rule("about-the-author").title_plural == "About the Authors"
    assert doctype.body_rule() == SectionRule(body=True, min=1)
    assert doctype.rule("nowhere") is None
    assert load_doctype("policy-brief") is doctype  # read once


def test_known_doctypes_are_the_rules_files():
    assert "policy-brief" in known_doctypes()
    assert known_doctypes() == sorted(known_doctypes())


@pytest.mark.parametrize("name", ["no-such-type", "../doctypes/policy-brief"])
def test_an_unknown_type_is_refused_with_the_known_ones(name):
    with pytest.raises(BriefError) as caught:
        load_doctype(name)
    assert caught.value.problems == [Problem(
        TEMPLATES / "doctypes" / f"{name}.yaml", None, f"unknown document type {name!r}",
        f"use one of: {', '.join(known_doctypes())}")]


def test_a_rule_takes_from_for_from_():
    assert _rule({"id": "x", "from": "authors", "optional": True}) == SectionRule(
        id="x", from_="authors", optional=True)
    assert _rule({"body": True}) == SectionRule(body=True)


@pytest.mark.parametrize(("entry", "message"), [
    ({"id": "x", "colour": "red", "size": 1}, "unknown key(s) colour, size"),
    ({"id": "x", "from_": "authors"}, "unknown key(s) from_"),
    ({"id": "x", "from": "nowhere"}, "`from:` must be one of recommendations, authors"),
    ({"title": "No id"}, "every section but the body needs an `id`"),
])
def test_bad_rules_are_refused(entry, message):
    with pytest.raises(ValueError) as caught:
        _rule(entry)
    assert str(caught.value) == message


def test_a_broken_rules_file_is_a_located_error(tmp_path):
    (tmp_path / "templates" / "doctypes").mkdir(parents=True)
    (tmp_path / "templates" / "doctypes" / "memo.yaml").write_text(
        "label: Memo\nsections:\n  - title: Untitled\n")
    (tmp_path / "templates" / "doctypes" / "note.yaml").write_text("label: Note\n")
    script = ("from briefpress.model.doctype import load_doctype\n"
              "from briefpress.errors import BriefError\n"
              "for name in ('memo', 'note'):\n"
              "    try:\n        load_doctype(name)\n"
              "    except BriefError as e:\n        print(e.problems[0].message)\n"
              "        print(e.problems[0].fix)\n")
    env = {**os.environ, "BRIEFPRESS_ROOT": str(tmp_path),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines() == [
        "invalid document-type rules: every section but the body needs an `id`",
        "see the comment at the top of policy-brief.yaml",
        "invalid document-type rules: 'sections'",
        "see the comment at the top of policy-brief.yaml",
    ]


def test_a_doctype_is_a_frozen_record():
    doctype = DocType("x", "X", (SectionRule(id="a"),))
    with pytest.raises(AttributeError):
        doctype.label = "Y"  # type: ignore[misc]


def test_a_type_name_no_file_could_have_is_unknown_not_a_crash() -> None:
    """Found by the source fuzzer: a 5,000-character ``type`` reached the file system."""
    for name in ("x" * 5000, "policy\x00brief", "../policy-brief"):
        with pytest.raises(BriefError) as raised:
            load_doctype(name)
        [problem] = raised.value.problems
        assert problem.message.startswith("unknown document type ")
        assert len(problem.message) < 100


def test_the_shipped_types_and_their_listing():
    assert known_doctypes() == ["commentary", "issue-brief", "policy-brief"]
    issue = load_doctype("issue-brief")
    assert [rule.id for rule in issue.sections] == [
        "key-takeaways", "introduction", None, "policy-recommendations", "conclusion",
        "about-the-author"]
    assert issue.rule("introduction").optional and issue.rule("conclusion").optional
    assert issue.rule("key-takeaways").known_as("summary", "Whatever")
    assert issue.rule("key-takeaways").known_as("x", "  Executive   Summary ")
    commentary = load_doctype("commentary")
    assert commentary.max_words == 1500
    assert not any(rule.from_ == "recommendations" for rule in commentary.sections)
    assert describe_doctype(issue).splitlines()[:4] == [
        "issue-brief: Issue Brief",
        "  An issue explained: key takeaways, the analysis, recommendations after it.",
        "  - Key Takeaways {#key-takeaways}",
        "  - Introduction {#introduction} (optional)"]
