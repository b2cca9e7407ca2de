"""A brief's bibliography and style into its Citations (read/citations.py), and which Cite ids
are citations."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefpress import pandoc
from briefpress.check.brief import check_brief
from briefpress.errors import BriefError, Problem
from briefpress.read.brief import read_brief
from briefpress.read.citations import DEFAULT_CSL, cited_ids, is_citation, load_citations
from conftest import ROOT, WATER, edit

ENTRY = '[{"id": "smith2020", "type": "book", "title": "Rivers"}]'


def _problem(call: Callable[[], object]) -> Problem:
    with pytest.raises(BriefError) as caught:
        call()
    [problem] = caught.value.problems
    return problem


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A brief's folder holding a CSL JSON bibliography (no brief.md needed: only its path)."""
    (tmp_path / "refs.json").write_text(ENTRY, encoding="utf-8")
    return tmp_path


def test_ids_of_figures_tables_and_sections_are_cross_references() -> None:
    assert [is_citation(i) for i in ("smith2020", "fig-map", "tbl-flows", "sec-intro",
                                     "figure2020")] == [True, False, False, False, True]
    document, _ = pandoc.parse_markdown(
        "As @fig-map shows [@b2; @a1, 3], see @sec-intro.\n\n- and @a1 again [@tbl-x]\n")
    assert cited_ids(document.blocks) == ["b2", "a1", "a1"]


def test_no_bibliography_no_citations(folder: Path) -> None:
    assert load_citations(folder, None, None, folder / "brief.md", 3) is None


def test_a_csl_json_bibliography_and_the_bundled_style(folder: Path) -> None:
    citations = load_citations(folder, "refs.json", None, folder / "brief.md", 3)
    assert citations is not None
    assert citations.bibliography == (folder / "refs.json").resolve()
    assert citations.keys == {"smith2020"} and citations.csl == DEFAULT_CSL
    assert DEFAULT_CSL.is_file()


def test_a_bibtex_bibliography_is_read_by_pandoc(folder: Path) -> None:
    shutil.copyfile(WATER / "references.bib", folder / "refs.bib")
    citations = load_citations(folder, "refs.bib", None, folder / "brief.md", 3)
    assert citations is not None and citations.keys == {"wolf2017", "mccaffrey2019"}


@pytest.mark.parametrize("text", ["references:\n- id: smith2020\n  type: book\n",
                                  "- id: smith2020\n  type: book\n"])
def test_csl_yaml_with_or_without_references(folder: Path, text: str) -> None:
    (folder / "refs.yml").write_text(text, encoding="utf-8")
    citations = load_citations(folder, "refs.yml", None, folder / "brief.md", 3)
    assert citations is not None and citations.keys == {"smith2020"}


def test_the_briefs_own_style(folder: Path) -> None:
    shutil.copyfile(DEFAULT_CSL, folder / "house.csl")
    citations = load_citations(folder, "refs.json", "house.csl", folder / "brief.md", 3)
    assert citations is not None and citations.csl == (folder / "house.csl").resolve()


def test_a_style_without_a_bibliography_is_refused(folder: Path) -> None:
    assert _problem(lambda: load_citations(folder, None, "house.csl", folder / "brief.md",
                                           7)) == Problem(
        folder / "brief.md", 7, "`csl:` is set but there is no `bibliography:`",
        "add `bibliography: references.bib` or remove `csl:`")


@pytest.mark.parametrize("name", ["missing.json", "../outside.json", "sub"])
def test_a_bibliography_that_is_no_file_of_the_folder_is_refused(tmp_path: Path,
                                                                  name: str) -> None:
    folder = tmp_path / "brief"
    (folder / "sub").mkdir(parents=True)
    (tmp_path / "outside.json").write_text(ENTRY, encoding="utf-8")
    assert _problem(lambda: load_citations(folder, name, None, folder / "brief.md",
                                           4)) == Problem(
        folder / "brief.md", 4, f"`bibliography: {name}` is no file in the brief's folder",
        f"put the file beside brief.md and name it there, e.g. `bibliography: {Path(name).name}`")


def test_a_bibliography_of_another_kind_is_refused(folder: Path) -> None:
    (folder / "refs.txt").write_text("smith2020", encoding="utf-8")
    assert _problem(lambda: load_citations(folder, "refs.txt", None, folder / "brief.md",
                                           4)) == Problem(
        folder / "brief.md", 4, "bibliography 'refs.txt' is not a BibTeX, CSL JSON or CSL "
        "YAML file", "name a .bib, .json or .yaml file")


@pytest.mark.parametrize(("csl", "message"), [
    ("house.xml", "csl 'house.xml' is not a .csl style file"),
    ("none.csl", "`csl: none.csl` is no file in the brief's folder")])
def test_a_style_that_is_no_csl_file_of_the_folder_is_refused(folder: Path, csl: str,
                                                               message: str) -> None:
    (folder / "house.xml").write_text("<style/>", encoding="utf-8")
    problem = _problem(lambda: load_citations(folder, "refs.json", csl, folder / "brief.md", 9))
    assert (problem.file, problem.line, problem.message) == (folder / "brief.md", 9, message)
    assert "csl" in problem.fix


@pytest.mark.parametrize(("name", "data", "message", "fix"), [
    ("refs.json", b"[{", "the bibliography cannot be read: ", "mend the file"),
    ("refs.bib", b"@book{x, title = {\xff}}", "the bibliography cannot be read: ",
     "mend the file"),
    ("refs.yaml", b"references: [", "the bibliography cannot be read: ", "mend the file"),
    ("refs.json", b'{"id": "x"}', "the bibliography is not a list of entries with an `id` each",
     "write CSL JSON (a list)"),
    ("refs.json", b'[{"title": "no id"}]', "the bibliography is not a list of entries",
     "write CSL JSON (a list)"),
    ("refs.yaml", b"references: 3\n", "the bibliography is not a list of entries",
     "write CSL JSON (a list)"),
])
def test_a_bibliography_that_cannot_be_read_is_located_in_itself(
        folder: Path, name: str, data: bytes, message: str, fix: str) -> None:
    (folder / name).write_bytes(data)
    problem = _problem(lambda: load_citations(folder, name, None, folder / "brief.md", 4))
    assert problem.file == (folder / name).resolve() and problem.line is None
    assert problem.message.startswith(message) and problem.fix.startswith(fix)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "www.example.org", 42])
def test_an_entry_whose_url_is_no_web_address_is_refused_in_any_format(
        folder: Path, url: object) -> None:
    import json

    (folder / "refs.json").write_text(json.dumps([{"id": "smith2020", "URL": url}]),
                                      encoding="utf-8")
    problem = _problem(lambda: load_citations(folder, "refs.json", None, folder / "brief.md"))
    assert problem == Problem(
        (folder / "refs.json").resolve(), None,
        f"entry 'smith2020' has the URL {url!r}, not an absolute http(s) address",
        "write the full address, e.g. https://www.example.org, or remove it")
    (folder / "refs.json").write_text(
        json.dumps([{"id": "smith2020", "URL": " https://example.org/rivers "}]),
        encoding="utf-8")
    assert load_citations(folder, "refs.json", None, folder / "brief.md") is not None


# Through the front matter and the project's config, as read_brief calls it.

def test_csl_json_and_yaml_bibliographies_and_a_file_outside_refused(
        scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    (folder / "refs.json").write_text('[{"id": "mccaffrey2019", "type": "book", '
                                      '"title": "Drought Clauses"}]', encoding="utf-8")
    edit(folder / "brief.md", "bibliography: references.bib", "bibliography: refs.json")
    brief = read_brief(folder)
    assert brief.citations is not None and brief.citations.keys == {"mccaffrey2019"}
    assert brief.citations.csl.name == "chicago-notes-bibliography.csl"
    (folder / "refs.yaml").write_text("references:\n- id: other\n  type: book\n",
                                      encoding="utf-8")
    edit(folder / "brief.md", "bibliography: refs.json", "bibliography: refs.yaml")
    brief = read_brief(folder)
    assert brief.citations is not None and brief.citations.keys == {"other"}
    assert [p.message for p in check_brief(brief) if p.severity == "error"] == [
        "citation `@mccaffrey2019` is not in the bibliography refs.yaml"]
    edit(folder / "brief.md", "bibliography: refs.yaml", "bibliography: ../../secret.bib")
    problem = _problem(lambda: read_brief(folder))
    assert "no file in the brief's folder" in problem.message
    assert (problem.file, problem.line) == (folder / "brief.md", 30)
    assert problem.fix == "put the file beside brief.md and name it there, e.g. " \
        "`bibliography: secret.bib`"


def test_the_projects_style_serves_briefs_that_name_none(tmp_path: Path) -> None:
    folder = tmp_path / "content" / WATER.name
    shutil.copytree(WATER, folder)
    styles = tmp_path / "styles" / "csl"
    styles.mkdir(parents=True)
    shutil.copyfile(ROOT / "styles" / "csl" / "chicago-notes-bibliography.csl",
                    styles / "house.csl")
    (tmp_path / "briefpress.yaml").write_text("csl: styles/csl/house.csl\n", encoding="utf-8")
    citations = read_brief(folder).citations
    assert citations is not None and citations.csl == styles / "house.csl"
    (tmp_path / "briefpress.yaml").write_text("csl: elsewhere/house.csl\n", encoding="utf-8")
    problem = _problem(lambda: read_brief(folder))
    assert (problem.file, problem.line) == (tmp_path / "briefpress.yaml", 1)
    assert problem.message.endswith("house.csl` is no file in the project's styles/csl/ folder")
    assert problem.fix == "put the style there and name it `csl: styles/csl/house.csl`"


def test_an_entry_whose_url_is_no_web_address_is_refused(
        scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    with (folder / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{bad, title = {Bad}, url = {javascript:alert(1)}}\n")
    with pytest.raises(BriefError, match="not an absolute http"):
        read_brief(folder)
