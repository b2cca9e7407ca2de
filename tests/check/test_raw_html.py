"""The raw-HTML balance check reads tags as an HTML tokenizer does, not by pattern."""

from __future__ import annotations

import pytest

from briefpress.check.brief import check_brief
from briefpress.read.brief import read_brief
from conftest import edit

SENTENCE = "They are seasonal highways with too few exits."


@pytest.mark.parametrize("html", [
    'with <span title="a > b">a quoted angle bracket</span> in it.',
    "with <!-- <b> in a comment --> a comment.",
    "with a self-closed <span/> and a void <br> element.",
    "with <SPAN>upper-case</span> names.",
])
def test_balanced_raw_html_passes(scratch, html):
    folder = scratch()
    edit(folder / "brief.md", SENTENCE, f"{SENTENCE} A sentence {html}")
    assert [str(p) for p in check_brief(read_brief(folder)) if p.severity == "error"] == []


def test_an_unclosed_tag_is_found_on_its_line(scratch):
    folder = scratch()
    edit(folder / "brief.md", SENTENCE, f'{SENTENCE} Some <b class="x>y">bold text.')
    problems = [p for p in check_brief(read_brief(folder)) if "raw HTML" in p.message]
    assert [(p.line, p.message) for p in problems] == [
        (32, "raw HTML opens <b> and never closes it")]
