"""Checks of cross-references: a reference to no such id is a located error with a fix; a
caption that opens with a typed number is a warning; other Cites are not ours."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefpress.check.xref import check_xrefs
from briefpress.read.brief import read_brief
from conftest import WATER, edit


def test_the_fixture_refers_only_to_what_it_has() -> None:
    assert check_xrefs(read_brief(WATER)) == []


def test_a_reference_to_no_such_id_is_a_located_error(scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    edit(folder / "brief.md", "(@fig-withdrawals)", "(@fig-withdrawal)")
    edit(folder / "brief.md", "Where any of the three",
         "As @tbl-volumes shows, where any of the three")
    edit(folder / "brief.md", "Most basin agreements", "See @sec-nowhere. Most basin agreements")
    found = [str(p) for p in check_xrefs(read_brief(folder))]
    md = folder / "brief.md"
    assert found == [
        f"{md}:35: error: cross-reference @sec-nowhere points to no section of this brief "
        "(fix: give the section that id (# Title {#sec-nowhere}) or use @sec-<its id>)",
        f"{md}:41: error: cross-reference @fig-withdrawal points to no figure of this brief "
        "(fix: write @fig-withdrawals)",
        f"{md}:57: error: cross-reference @tbl-volumes points to no table of this brief "
        "(fix: give the table that id: a caption line ': Caption {#tbl-volumes}')",
    ]


def test_a_typed_number_in_a_caption_is_a_warning(scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    edit(folder / "brief.md", ": Agreements in the basins", ": Table 1. Agreements in the basins")
    problems = check_xrefs(read_brief(folder))
    assert [(p.severity, p.line) for p in problems] == [("warning", 51)]
    assert problems[0].message.startswith("caption 'Table 1. Agreements in the basins")
    assert problems[0].fix == "delete 'Table 1.' from the caption; refer to it as @tbl-agreements"


def test_a_citation_is_not_a_cross_reference(scratch: Callable[..., Path]) -> None:
    folder = scratch(WATER)
    edit(folder / "brief.md", "Where any of the three",
         "As [@smith2020] found, where any of the three")
    assert check_xrefs(read_brief(folder)) == []
