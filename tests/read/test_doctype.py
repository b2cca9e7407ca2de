"""read/doctype.py: templates/doctypes/<type>.yaml into a DocType, a bad file refused on its
lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefpress.errors import BriefError, Problem
from briefpress.model.doctype import SectionRule, describe_doctype
from briefpress.read import doctype as doctype_file
from briefpress.read.brief import read_brief
from briefpress.read.doctype import doctype_path, known_doctypes, load_doctype
from briefpress.support.paths import TEMPLATES
from conftest import ARCTIC

SEE = "See the comment at the top of templates/doctypes/policy-brief.yaml"


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
    assert doctype_path("memo") == TEMPLATES / "doctypes" / "memo.yaml"


@pytest.mark.parametrize("name", ["no-such-type", "../doctypes/policy-brief"])
def test_an_unknown_type_is_refused_with_the_known_ones(name):
    with pytest.raises(BriefError) as caught:
        load_doctype(name)
    assert caught.value.problems == [Problem(
        TEMPLATES / "doctypes" / f"{name}.yaml", None, f"unknown document type {name!r}",
        f"use one of: {', '.join(known_doctypes())}")]


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


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a rules file ``memo.yaml`` in a project of its own; its problems, or its type."""
    monkeypatch.setattr(doctype_file, "TEMPLATES", tmp_path / "templates")
    (tmp_path / "templates" / "doctypes").mkdir(parents=True)
    path = tmp_path / "templates" / "doctypes" / "memo.yaml"

    def load(text: str) -> list[Problem]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(BriefError) as caught:
            load_doctype("memo")
        assert {problem.file for problem in caught.value.problems} == {path}
        return caught.value.problems

    load.path = path  # type: ignore[attr-defined]
    return load


def test_a_rules_file_of_its_own_is_a_type(rules):
    rules.path.write_text("label: Memo\nmax_words: 800\nsections:\n  - body: true\n"
                          "  - {id: bios, title: About, from: authors, aka: [Bios]}\n",
                          encoding="utf-8")
    memo = load_doctype("memo")
    assert "memo" in known_doctypes()
    assert (memo.label, memo.description, memo.max_words) == ("Memo", "", 800)
    assert memo.sections == (SectionRule(body=True),
                             SectionRule(id="bios", title="About", from_="authors",
                                         aka=("Bios",)))


BODY = "label: Memo\nsections:\n  - body: true\n"


@pytest.mark.parametrize(("text", "line", "message", "fix"), [
    (BODY + "  - id: a\n    title: A\n    colour: red\n", 6,
     "unknown key 'sections[1].colour'",
     "known keys: id, title, title_plural, body, min, optional, may_be_empty, from, aka. "
     + SEE),
    (BODY + "  - id: a\n    from_: authors\n", 5, "unknown key 'sections[1].from_'",
     "did you mean 'from'? " + SEE),
    (BODY + "colour: red\n", 4, "unknown key 'colour'",
     "known keys: label, description, max_words, sections. " + SEE),
    (BODY + "  - id: a\n    from: nowhere\n", 5,
     "sections[1].from: input is not one of the allowed values (got 'nowhere')",
     "use one of: recommendations, authors. " + SEE),
    ("label: Memo\nmax_words: 0\nsections:\n  - body: true\n", 2,
     "max_words: should be at least 1 (got 0)", "write a number at least 1. " + SEE),
    (BODY + "  - title: Untitled\n", 4,
     "sections[1]: every section but the body needs an `id`",
     "add `id:`, or `body: true` for the body. " + SEE),
    ("# a memo\nlabel: Memo\n", 2, "sections: field required", "add `sections:`. " + SEE),
    (BODY + "  - id: a\n    aka: Key Points\n", 5,
     "sections[1].aka: input should be a valid list (got 'Key Points')",
     "write a list: `[a, b]`, or one `- item` line each. " + SEE),
    ("- label: Memo\n", 1, "expected a mapping of keys, found list",
     "write `key: value` lines, `label:` and `sections:` among them. " + SEE),
    ("label: Memo\nsections: []\n", 2, "sections: the type has none",
     "list its sections in their order, the body among them. " + SEE),
    (BODY + "  - body: true\n", 4, "sections[1]: a second body (the first is sections[0])",
     "keep one `body: true`: the brief's own sections are one run. " + SEE),
    (BODY + "  - {id: a, title: A}\n  - {id: a, title: B}\n", 5,
     "sections[2]: the id `a` is sections[1]'s too",
     "give each section an id of its own. " + SEE),
])
def test_a_bad_rules_file_is_an_error_on_its_line(rules, text, line, message, fix):
    [problem] = rules(text)
    assert (problem.line, problem.message, problem.fix, problem.severity) == (
        line, message, fix, "error")


def test_every_mistake_of_a_rules_file_is_said_at_once(rules):
    problems = rules("label: Memo\nsection:\n  - id: a\n    colour: red\n  - from: nowhere\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, "sections: field required"), (2, "unknown key 'section'")]
    problems = rules(BODY + "  - title: A\n    colour: red\n  - {id: b, from: nowhere}\n"
                     "  - {id: c, min: many}\n")
    assert [(p.line, p.message) for p in problems] == [
        (5, "unknown key 'sections[1].colour'"),
        (6, "sections[2].from: input is not one of the allowed values (got 'nowhere')"),
        (7, "sections[3].min: input should be a valid integer (got 'many')")]
    problems = rules(BODY + "  - title: A\n  - body: true\n  - title: B\n")
    assert [(p.line, p.message) for p in problems] == [
        (4, "sections[1]: every section but the body needs an `id`"),
        (5, "sections[2]: a second body (the first is sections[0])"),
        (6, "sections[3]: every section but the body needs an `id`")]


def test_a_rules_file_that_is_no_yaml_is_located(rules):
    [problem] = rules("label: [Memo\nsections: []\n")
    assert problem.line == 1
    assert problem.message.startswith("malformed YAML: the `[` list opened on this line")
    assert problem.fix.endswith(". " + SEE)


def test_a_mended_rules_file_is_read_again(rules):
    rules("label: Memo\n")
    rules.path.write_text(BODY, encoding="utf-8")
    assert load_doctype("memo").sections == (SectionRule(body=True),)


def test_a_brief_of_a_type_whose_rules_are_broken_is_told_where_the_rules_are(
        rules, tmp_path: Path) -> None:
    """The mistake is the rules file's, on its line there (not at the brief's `type:`,
    which names a type that exists); a type that does not exist is the brief's."""
    brief = tmp_path / "content" / "memo-one"
    shutil.copytree(ARCTIC, brief)
    text = (brief / "brief.md").read_text(encoding="utf-8")
    (brief / "brief.md").write_text(text.replace("type: policy-brief", "type: memo", 1),
                                    encoding="utf-8")
    rules.path.write_text(BODY + "  - id: a\n    optinal: true\n", encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        read_brief(brief)
    assert [(p.file, p.line) for p in caught.value.problems] == [(rules.path, 5)], [
        str(p) for p in caught.value.problems]
    (brief / "brief.md").write_text(text.replace("type: policy-brief", "type: memoir", 1),
                                    encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        read_brief(brief)
    assert [(p.file, p.line) for p in caught.value.problems] == [(brief / "brief.md", 3)]
