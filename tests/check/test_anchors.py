"""In-page links: a link to an id the brief lacks is a located error with a fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefpress.check.anchors import check_anchors
from briefpress.read.brief import read_brief
from conftest import ARCTIC, REAL, WATER, edit


def test_the_fixture_briefs_link_only_to_what_they_have() -> None:
    for folder in (ARCTIC, WATER, REAL):
        assert check_anchors(read_brief(folder)) == []


def test_every_id_an_edition_carries_is_a_target(scratch: Callable[..., Path]) -> None:
    """Sections (a generated one too), areas, recommendations, figures, spans and divs."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\n[A marked phrase]{#marked}. See [the traffic](#traffic), "
         "[the figure](#fig-transits), [the authors](#about-the-author),\n[the area](#insurance)"
         ", [the advice](#common-ice-class), [the phrase](#marked).\n")
    assert check_anchors(read_brief(folder)) == []


def test_a_link_to_no_such_id_is_an_error_at_its_line(scratch: Callable[..., Path]) -> None:
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\nSee [the traffic](#trafic) and [this](#no-such-section)"
         ".\n")
    found = [str(p) for p in check_anchors(read_brief(folder))]
    md = folder / "brief.md"
    assert found == [
        f"{md}:58: error: link 'the traffic' goes to '#trafic', which is no id of this brief "
        "(fix: write `(#traffic)`, or write the text without a link)",
        f"{md}:58: error: link 'this' goes to '#no-such-section', which is no id of this brief "
        "(fix: link to an id the brief has (#executive-summary, #policy-recommendations, "
        "#safety-standards, #common-ice-class, #mandatory-reporting…), or write the text "
        "without a link)"]
