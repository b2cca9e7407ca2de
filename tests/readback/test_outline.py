"""Any edition of a brief (source folder, .pdf, .docx, .html) into its outline, and the outline
as text or JSON (readback/outline.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.readback.test_pdf import OUTLINE, make_pdf

from briefpress.errors import BriefError
from briefpress.model.brief import Brief, OutlineEntry
from briefpress.readback.outline import format_outline, read_outline
from briefpress.render import FORMATS
from conftest import ARCTIC

ENTRIES = [*OUTLINE, OutlineEntry("section", 2, "", "Untitled Part"),
           OutlineEntry("section", 1, "tromsø", "Tromsø — “Gateway”")]
"""The outline of readback/test_pdf.py's PDF, and an entry with no id and one with
characters beyond ASCII."""


# --------------------------------------------------------------------------- read_outline

def test_a_source_folder_its_brief_md_or_a_slug_give_the_source_s_outline(
        arctic_brief: Brief, scratch, monkeypatch: pytest.MonkeyPatch) -> None:
    outline = arctic_brief.outline()
    assert [e.kind for e in outline].count("recommendation") >= 2
    assert read_outline(ARCTIC) == outline
    assert read_outline(str(ARCTIC / "brief.md")) == outline
    folder = scratch()
    monkeypatch.chdir(folder.parent.parent)
    assert read_outline(folder.name) == outline


def test_a_pdf_is_read_by_the_pdf_reader(tmp_path: Path) -> None:
    assert read_outline(make_pdf(tmp_path / "brief.PDF")) == OUTLINE  # the suffix in any case


def test_a_web_page_is_read_by_the_web_reader(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text('<html><body><main data-briefpress="brief-body">'
                    '<section class="section level-1" id="introduction"><h2>Introduction</h2>'
                    "<p>Text.</p></section></main></body></html>", encoding="utf-8")
    assert read_outline(path) == [OutlineEntry("section", 1, "introduction", "Introduction")]


@pytest.mark.parametrize("name", ["notes.md~", "brief", "brief.pdf.bak"])
def test_a_file_of_no_edition_is_a_located_error(tmp_path: Path, name: str) -> None:
    """The fix names the file suffix of every edition, from the registry."""
    path = tmp_path / name
    path.write_text("not an edition\n", encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        read_outline(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.message) == (
        path, None, "not a brief or a briefpress output")
    suffixes = list(dict.fromkeys(fmt.suffix for fmt in FORMATS.values()))
    assert problem.fix == "give a brief folder, or a " + (
        f"{', '.join(suffixes[:-1])} or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]
    ) + " file"
    if set(FORMATS) == {"pdf", "print", "docx", "html"}:  # the built-in editions' wording
        assert problem.fix == "give a brief folder, or a .pdf, .docx or .html file"


def test_a_path_that_is_neither_file_nor_brief_is_the_reader_s_error(tmp_path: Path) -> None:
    with pytest.raises(BriefError, match="no brief named"):
        read_outline(tmp_path / "nowhere")


# --------------------------------------------------------------------------- format_outline

def test_the_outline_as_indented_text() -> None:
    assert format_outline(ENTRIES).splitlines() == [
        "Executive Summary  #executive-summary",
        "Recommendations  #recommendations",
        "  Ports and Pilots  #ports",
        "    recommendation  #pilotage",
        "    recommendation  #charts",
        "Conclusion  #conclusion",
        "  Untitled Part",
        "Tromsø — “Gateway”  #tromsø",
    ]
    assert format_outline([]) == ""


def test_the_outline_as_json_keeps_every_field_and_character() -> None:
    text = format_outline(ENTRIES, as_json=True)
    assert "Tromsø — “Gateway”" in text  # not escaped
    assert [OutlineEntry(**entry) for entry in json.loads(text)] == ENTRIES
    assert json.loads(text)[0] == {"kind": "section", "level": 1, "id": "executive-summary",
                                   "title": "Executive Summary"}
    assert json.loads(format_outline([], as_json=True)) == []
