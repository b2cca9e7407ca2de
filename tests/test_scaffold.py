"""A new brief from templates/new/ (scaffold.py): the sections of its type, the project's
defaults, and the slugs and programs it refuses."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from briefpress.check.brief import check_brief
from briefpress.errors import BriefError, Problem
from briefpress.read.brief import read_brief
from briefpress.scaffold import new_brief, new_files, placeholder_fields, placeholders


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A project's content/ folder (its briefpress.yaml, if any, goes beside it)."""
    (tmp_path / "content").mkdir()
    return tmp_path / "content"


def _config(content: Path, text: str) -> Path:
    path = content.parent / "briefpress.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _errors(folder: Path) -> list[str]:
    return [str(p) for p in check_brief(read_brief(folder)) if p.severity == "error"]


def _line(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.startswith(start))


def _problem(call: object) -> Problem:
    with pytest.raises(BriefError) as caught:
        call()  # type: ignore[operator]
    [problem] = caught.value.problems
    return problem


def test_a_new_brief_passes_check_and_keeps_its_title_exactly(content: Path) -> None:
    title = 'The "Cold" Front: <Arctic> & \\ Security #1'
    folder = new_brief("cold-front", title, root=content)
    assert folder == content / "cold-front"
    assert sorted(p.name for p in folder.iterdir()) == ["brief.md", "recommendations.yaml"]
    assert _errors(folder) == []
    brief = read_brief(folder)
    assert brief.meta.title == title and brief.meta.type == "policy-brief"
    assert brief.meta.lang == "en-US"
    assert brief.meta.program == "Name of the program or center"


def test_a_project_without_a_publisher_gets_one_to_fill_in_that_check_names(
        content: Path) -> None:
    """No institution's name is written for a project that has not given its own: the
    publisher block is placeholders, each a warning of check at its line (strict fails)."""
    folder = new_brief("cold-front", root=content)
    text = (folder / "brief.md").read_text(encoding="utf-8")
    assert "Wilson" not in text
    brief = read_brief(folder)
    warned = {(p.line, p.message.split("'")[1]) for p in check_brief(brief)
              if p.severity == "warning" and p.message.startswith("placeholder text")}
    publisher = brief.meta.publisher
    for field in ("name:", "short_name:", "url:"):
        line = next(n for n, row in enumerate(text.splitlines(), 1)
                    if row.startswith(f"  {field}"))
        value = getattr(publisher, field[:-1])
        assert (line, value) in warned, (field, warned)
    assert publisher.name == "Full legal name of the publisher"


def test_a_new_brief_is_dated_the_day_it_was_written(content: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`new` reads the clock (once: a build never does), so a new brief has a date and
    check has no date to warn of (a brief without one has its print edition dated 1980)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.date.today()
    folder = new_brief("cold-front", root=content)
    brief = read_brief(folder)
    assert brief.meta.date in (before, datetime.date.today())
    assert brief.meta.date_precision == "day"
    assert [p for p in check_brief(brief) if "date" in p.message] == []
    assert "date:" not in new_files("ice", content=content)["brief.md"]  # none given


def test_the_title_defaults_to_the_slug_in_words(content: Path) -> None:
    texts = new_files("arctic-security", content=content)
    assert 'title: "Arctic security"' in texts["brief.md"]
    assert not list(content.iterdir())  # new_files writes nothing


def test_new_with_a_type_writes_its_sections(content: Path) -> None:
    note = new_brief("note", root=content, doctype="commentary")
    assert not (note / "recommendations.yaml").exists()
    issue = new_brief("issue", root=content, doctype="issue-brief")
    text = (issue / "brief.md").read_text(encoding="utf-8")
    assert text.index("# Key Takeaways") < text.index("# Introduction") < text.index(
        "# The Argument") < text.index("# Conclusion")
    for folder in (note, issue):
        assert _errors(folder) == []


def test_the_projects_type_is_the_default(content: Path) -> None:
    _config(content, "type: commentary\n")
    assert list(new_files("note", content=content)) == ["brief.md"]
    assert list(new_files("note", content=content, doctype="policy-brief")) == [
        "brief.md", "recommendations.yaml"]


def test_new_fills_the_brief_from_the_project_config(content: Path) -> None:
    config = _config(content, "publisher:\n  name: Arctic Policy Forum\nprograms:\n  - id: polar\n"
                     "    name: Polar Program\n  - id: risk\n    name: Global Risk Initiative\n"
                     "lang: en-GB\n")
    folder = new_brief("ice", root=content, program="risk")
    text = (folder / "brief.md").read_text(encoding="utf-8")
    assert "publisher:" not in text and "Wilson" not in text
    assert 'program: "Global Risk Initiative"' in text and "lang: en-GB" in text
    assert _errors(folder) == []
    assert read_brief(folder).meta.publisher.name == "Arctic Policy Forum"
    assert 'program: "Polar Program"' in new_files("ice-2", content=content)["brief.md"]
    # a mistake of the command line, said there; the fix points at the config's programs
    assert _problem(lambda: new_brief("ice-2", root=content, program="arctic")) == Problem(
        "--program arctic", None, "no program 'arctic' in the project",
        f"use one of: polar, risk (the `programs:` of {config}:{_line(config, 'programs:')})")
    assert not (content / "ice-2").exists()


@pytest.mark.parametrize("config", [None, "lang: fr\n"])
def test_a_program_a_project_without_programs_lacks_is_refused(content: Path,
                                                                 config: str | None) -> None:
    if config is not None:
        _config(content, config)
    assert _problem(lambda: new_files("ice", content=content, program="polar")) == Problem(
        "--program polar", None, "no program 'polar' in the project",
        f"list it under `programs:` in {content.parent / 'briefpress.yaml'}" if config else
        "create briefpress.yaml beside content/ with the two lines `programs:` and "
        "`  - {id: polar, name: Its Full Name}` (the name is what the briefs show)")


@pytest.mark.parametrize(("slug", "suggested"), [
    ("Arctic Ports", "arctic-ports"), ("Bad Slug", "bad-slug"), ("arctic--ice", "arctic-ice"),
    ("-arctic", "arctic"), ("arctic-", "arctic"), ("arctic_ice", "arctic-ice"),
    ("Über die Häfen", "uber-die-hafen"), ("", "arctic-security"), ("北極", "arctic-security"),
    ("../escape", "escape"),
    ("arctic\n", "arctic")])  # `$` alone matches before a final newline
def test_a_slug_that_is_no_slug_is_refused(content: Path, slug: str, suggested: str) -> None:
    """Tester 13: `new "Arctic Ports"` suggested arctic-security; the fix gives the slug the
    words typed make, which new accepts (an example when they make none)."""
    assert _problem(lambda: new_brief(slug, root=content)) == Problem(
        slug, None, f"{slug!r} is not a valid slug",
        f"use lowercase letters, digits and hyphens, e.g. {suggested}")
    assert not list(content.parent.rglob("brief.md"))
    if suggested != "arctic-security":
        new_brief(suggested, root=content)  # what it suggests, new accepts


def test_an_existing_brief_is_left_alone(content: Path) -> None:
    (content / "ice").mkdir()
    (content / "ice" / "brief.md").write_text("mine", encoding="utf-8")
    assert _problem(lambda: new_brief("ice", root=content)) == Problem(
        content / "ice", None, "a brief with that slug exists already", "choose another slug")
    assert (content / "ice" / "brief.md").read_text(encoding="utf-8") == "mine"


def test_an_unknown_type_writes_nothing(content: Path) -> None:
    problem = _problem(lambda: new_brief("ice", root=content, doctype="white-paper"))
    # the mistake is on the command line, not in the rules' file the name would be
    assert problem.file == "--type white-paper"
    assert problem.message == "unknown document type 'white-paper'"
    assert problem.fix == ("use one of: commentary, issue-brief, policy-brief (`briefpress "
                           "doctypes` describes them)")
    assert not (content / "ice").exists()


def test_each_placeholder_is_known_with_the_field_it_is_written_in() -> None:
    """What check compares a placeholder with: the value of its own field, not the file."""
    fields = placeholder_fields()
    assert fields[("recommendations.yaml", "areas", "*", "title")] == ("First Area",)
    assert fields[("brief.md", "authors", "*", "bio")] == (
        "Author Name", "Author Name is a fellow with the program. Replace this with the "
        "author's bio.")
    assert set().union(*fields.values()) == set(placeholders())


def test_new_writes_the_series_named_and_refuses_one_the_project_lacks(content: Path) -> None:
    config = _config(content, "series:\n  - id: notes\n    name: Arctic Notes\n"
                     "  - id: papers\n    name: Arctic Papers\n")
    assert "series:" not in new_files("ice", content=content)["brief.md"]  # none by default
    folder = new_brief("ice", root=content, series="papers")
    # by its id: renamed in briefpress.yaml, the brief follows
    assert 'series: "papers"' in (folder / "brief.md").read_text(encoding="utf-8")
    assert read_brief(folder).meta.series == "Arctic Papers"
    assert _problem(lambda: new_brief("ice-2", root=content, series="essays")) == Problem(
        "--series essays", None, "no series 'essays' in the project",
        f"use one of: notes, papers (the `series:` of {config}:{_line(config, 'series:')})")
    assert not (content / "ice-2").exists()


def test_the_two_lines_a_refused_program_asks_for_make_it_known(content: Path) -> None:
    """The fix's example, written as it says, gives a project where the program is known."""
    fix = _problem(lambda: new_files("ice", content=content, program="polar")).fix
    first, second = fix.split("`")[1::2]
    (content.parent / "briefpress.yaml").write_text(f"{first}\n{second}\n", encoding="utf-8")
    new_files("ice", content=content, program="polar")


def test_a_section_title_s_own_article_is_not_written_twice(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Replace this paragraph with the ask.", not "with the the ask." (a tester's type)."""
    from briefpress.read import doctype as doctype_file

    rules = tmp_path / "templates" / "doctypes"
    rules.mkdir(parents=True)
    (rules / "memo.yaml").write_text(
        "label: Memo\nsections:\n  - {id: the-ask, title: The Ask}\n  - body: true\n",
        encoding="utf-8")
    monkeypatch.setattr(doctype_file, "TEMPLATES", tmp_path / "templates")
    text = (new_brief("memo-one", root=content, doctype="memo") / "brief.md").read_text(
        encoding="utf-8")
    assert "Replace this paragraph with the ask." in text and "the the" not in text
