"""Running pandoc (pandoc.py): the brief's Markdown dialect, each call's conversion, warnings
with their lines, the sandbox, and pandoc's failures as located problems."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from briefpress import pandoc
from briefpress.errors import BriefError, Problem
from briefpress.model import blocks
from briefpress.read.citations import DEFAULT_CSL


def _problem(call: object) -> Problem:
    with pytest.raises(BriefError) as caught:
        call()  # type: ignore[operator]
    [problem] = caught.value.problems
    return problem


def test_the_binary_is_the_wheels_and_runs() -> None:
    path = Path(pandoc.pandoc_path())
    assert path.is_file() and path.name == "pandoc"
    assert pandoc.pandoc_path() is pandoc.pandoc_path()  # looked up once
    assert pandoc.run("*a*", "html", "markdown") == "<p><em>a</em></p>\n"


def test_a_default_data_file_is_pandocs_own() -> None:
    reference = pandoc.default_data_file("reference.docx")
    with zipfile.ZipFile(io.BytesIO(reference)) as archive:
        assert "word/styles.xml" in archive.namelist()
    problem = _problem(lambda: pandoc.default_data_file("no-such-file"))
    assert problem.file == "pandoc's default no-such-file"
    assert "pandoc could not convert it" in problem.message


def test_dollars_and_backslashes_are_text_not_tex() -> None:
    text = "Budgets grew from $5 million to $10 million, \\emph{not} a TeX command."
    document, warnings = pandoc.parse_markdown(text)
    assert warnings == []
    assert not [n for n in blocks.walk(document.blocks)
                if isinstance(n, (blocks.Math, blocks.RawInline))]
    assert pandoc.convert(document, "html", ["--wrap=none"]) == f"<p>{text}</p>\n"


def test_a_yaml_block_is_not_front_matter_to_pandoc() -> None:
    """briefpress reads the front matter itself: pandoc's metadata stays empty."""
    document, _ = pandoc.parse_markdown("---\ntitle: Not metadata\n---\n\nBody.\n")
    assert document.meta == {}
    assert "Not metadata" in blocks.stringify(document.blocks)


def test_parse_markdown_gives_typed_blocks_and_warnings_with_their_lines() -> None:
    document, warnings = pandoc.parse_markdown(
        "Text [a].\n\n[a]: /x\n\n[a]: /y\n\n[^u]: unused\n")
    assert isinstance(document.blocks[0], blocks.Para)
    assert document.api_version and all(isinstance(n, int) for n in document.api_version)
    assert sorted(warnings, key=lambda w: w.line or 0) == [
        pandoc.Warning("Duplicate link reference '[a]' at line 5 column 1", 5),
        pandoc.Warning("Note with key 'u' defined at line 7 column 1 but not used.", 7)]


def test_a_document_written_to_a_file_is_read_back(tmp_path: Path) -> None:
    document, _ = pandoc.parse_markdown("# Title {#top}\n\nSome *words* here.\n")
    pandoc.write(document, "docx", tmp_path / "out.docx")
    with zipfile.ZipFile(tmp_path / "out.docx") as package:
        assert "word/document.xml" in package.namelist()
    again, warnings = pandoc.read_file(tmp_path / "out.docx", "docx")
    assert warnings == []
    assert blocks.stringify(again.blocks) == blocks.stringify(document.blocks)
    assert isinstance(again.blocks[0], blocks.Header)


def test_citeproc_renders_the_citations_and_the_sources(tmp_path: Path) -> None:
    bibliography = tmp_path / "refs.json"
    bibliography.write_text(json.dumps([{
        "id": "smith2020", "type": "book", "title": "Rivers", "issued": {"date-parts": [[2020]]},
        "author": [{"family": "Smith", "given": "Ann"}]}]), encoding="utf-8")
    document, _ = pandoc.parse_markdown("Rivers run [@smith2020, 4].\n")
    done = pandoc.citeproc(document, bibliography, DEFAULT_CSL)
    [cite] = [n for n in blocks.walk(done.blocks) if isinstance(n, blocks.Cite)]
    assert [c.citation_id for c in cite.citations] == ["smith2020"]
    [note] = [n for n in cite.content if isinstance(n, blocks.Note)]  # Chicago's notes
    assert " ".join(blocks.stringify(note.content).split()) == "Ann Smith, Rivers (2020), 4."
    refs = next(b for b in done.blocks if isinstance(b, blocks.Div))
    assert refs.attr[0] == "refs"
    assert "Smith, Ann. Rivers. 2020." in blocks.stringify([refs])


def test_citeproc_runs_once_for_the_same_document_and_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF and the web page render the same parts: a process building both runs
    citeproc once, and again once the bibliography changed."""
    bibliography = tmp_path / "refs.json"
    entry = {"id": "smith2020", "type": "book", "title": "Rivers",
             "issued": {"date-parts": [[2020]]}, "author": [{"family": "Smith"}]}
    bibliography.write_text(json.dumps([entry]), encoding="utf-8")
    runs: list[list[str]] = []
    run = pandoc._pandoc

    def counted(args: list[str], stdin: bytes, source: str) -> tuple[bytes, list]:
        runs.append(args)
        return run(args, stdin, source)

    monkeypatch.setattr(pandoc, "_pandoc", counted)
    document, _ = pandoc.parse_markdown("Rivers run [@smith2020].\n")
    first = pandoc.citeproc(document, bibliography, DEFAULT_CSL)
    assert pandoc.citeproc(document, bibliography, DEFAULT_CSL) == first
    assert len(runs) == 2  # the parse, then citeproc once
    other, _ = pandoc.parse_markdown("Rivers flow [@smith2020].\n")
    pandoc.citeproc(other, bibliography, DEFAULT_CSL)
    assert len(runs) == 4  # another document: its parse, its citeproc
    bibliography.write_text(json.dumps([{**entry, "title": "Streams"}]), encoding="utf-8")
    again = pandoc.citeproc(document, bibliography, DEFAULT_CSL)
    assert len(runs) == 5 and "Streams" in blocks.stringify(again.blocks)


def test_the_sandbox_lets_pandoc_read_no_other_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret", encoding="utf-8")
    document, _ = pandoc.parse_markdown(f"![x]({secret})\n")
    html = pandoc.convert(document, "html", ["--embed-resources", "--standalone",
                                             "--metadata=title:x"])
    assert f'src="{secret}"' in html and "data:" not in html  # left a link, not embedded


def test_a_failure_is_pandocs_last_line_located_at_the_source(tmp_path: Path) -> None:
    assert _problem(lambda: pandoc.run("x", "nosuchformat", "markdown",
                                       source="brief.md")) == Problem(
        "brief.md", None, "pandoc could not convert it: Unknown output format nosuchformat",
        "check the file is what its name says")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    problem = _problem(lambda: pandoc.read_file(broken, "docx"))
    assert (problem.file, problem.line) == (str(broken), None)
    assert problem.message.startswith("pandoc could not convert it: ")
    assert problem.fix == "check the file is what its name says"
