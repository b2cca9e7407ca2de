"""Citations checked against the bibliography (check/citations.py): unknown keys, located."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefpress.check.brief import check_brief
from briefpress.check.citations import check_citations
from briefpress.read.brief import read_brief
from conftest import ARCTIC, WATER, edit


def _line(path: Path, phrase: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if phrase in text)


def test_a_key_the_bibliography_lacks_is_an_error_at_its_line(scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    edit(folder / "brief.md", "@mccaffrey2019", "@mccafrey2019")
    problems = [p for p in check_brief(read_brief(folder)) if p.severity == "error"]
    assert len(problems) == 1
    line = _line(folder / "brief.md", "@mccafrey2019")
    assert (problems[0].line, problems[0].fix) == (
        line, "write `@mccaffrey2019` (or remove the citation)")
    assert "not in the bibliography references.bib" in problems[0].message


def test_known_keys_and_cross_references_are_no_findings(scratch: Callable[..., Path]) -> None:
    """The fixture cites @mccaffrey2019 and cross-references @fig-, @tbl- and @sec- ids,
    which the bibliography does not hold and need not."""
    brief = read_brief(scratch(WATER))
    assert "@fig-withdrawals" in brief.markdown and "@sec-agreements" in brief.markdown
    assert check_citations(brief) == []


def test_a_key_like_no_entry_asks_for_an_entry(scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    edit(folder / "brief.md", "[@mccaffrey2019, 110]", "[@unesco2021, 110]")
    [problem] = check_citations(read_brief(folder))
    assert problem == type(problem)(
        folder / "brief.md", _line(folder / "brief.md", "@unesco2021"),
        "citation `@unesco2021` is not in the bibliography references.bib",
        "add an entry `unesco2021` to references.bib (or remove the citation)")


def test_a_key_cited_twice_is_one_finding_at_its_first_line(scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    edit(folder / "brief.md", "[@mccaffrey2019, 110]", "[@nobody2020; @nobody2020, 3]")
    edit(folder / "brief.md", "lists the agreements", "lists [@nobody2020] the agreements")
    problems = check_citations(read_brief(folder))
    assert [(p.line, p.message) for p in problems] == [
        (_line(folder / "brief.md", "lists [@nobody2020]"),
         "citation `@nobody2020` is not in the bibliography references.bib")]


def test_a_citation_in_the_recommendations_is_located_there(
        scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    edit(folder / "recommendations.yaml", "published monthly.", "published monthly [@wolf2071].")
    [problem] = check_citations(read_brief(folder))
    assert problem.file == folder / "recommendations.yaml"
    assert problem.line == _line(folder / "recommendations.yaml", "@wolf2071")
    assert problem.fix == "write `@wolf2017` (or remove the citation)"


def test_without_a_bibliography_nothing_is_checked(scratch: Callable[..., Path]) -> None:
    folder = scratch(ARCTIC)
    edit(folder / "brief.md", "Vessel counts tell the story plainly.",
         "Vessel counts tell the story plainly [@nobody2020].")
    brief = read_brief(folder)
    assert brief.citations is None
    assert check_citations(brief) == []
