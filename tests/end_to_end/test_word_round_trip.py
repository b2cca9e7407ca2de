"""The Word edition of a brief with every construct, re-saved by LibreOffice, imports as no
change: lists (bullet, numbered from 4, nested three deep, loose and tight, an item of two
paragraphs), two code blocks in a row, a horizontal rule, a line block, a table with aligned columns
and a caption, a figure with caption and alt text, footnotes of several paragraphs with
links, a block quote, emphasis, strong, small caps, super- and subscript, code,
strikeout, underline, a line break, a definition list, a third-level heading,
non-breaking spaces, a soft hyphen, dashes and quotes; an HTML comment, which the Word
file does not hold and the import keeps; and two block quotes, and two bullet lists, one
right after the other, which are one quote and one list in Word.

The fixture ``tests/fixtures/briefs/arctic-constructs`` holds them all. LibreOffice writes
the numbering of its lists its own way (a fresh instance for the first item of a list, the
shared one for the rest, ``start``/``end`` for alignment): before the importer read lists
by position, this import changed ``brief.md`` in five places.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefpress.build import build
from briefpress.importer import import_docx
from briefpress.importer.docxread import read_edited
from briefpress.importer.signature import normalize_url
from briefpress.importer.wordforms import numbered_items
from briefpress.model import blocks
from briefpress.support.docx_open import open_docx
from conftest import ROOT
from docxedit import DocxEditor, word_like_resave
from office import soffice_convert_many

CONSTRUCTS = ROOT / "tests" / "fixtures" / "briefs" / "arctic-constructs"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture's Word edition as built, as LibreOffice saves it again, and with what
    Word does to the XML when it saves (simulated: Word does not run here)."""
    root = tmp_path_factory.mktemp("constructs")
    folder = root / "content" / CONSTRUCTS.name
    shutil.copytree(CONSTRUCTS, folder)
    built, = build([str(folder)], ["docx"], build_dir=root / "build")
    resaved, = soffice_convert_many([built], "docx", root / "resaved", root / "profile")
    word_like = word_like_resave(built, root / f"word-like-{built.name}")
    return {"folder": folder, "built": built, "resaved": resaved, "word-like": word_like,
            "build": root / "build"}


@pytest.mark.parametrize("which", ["built", "resaved", "word-like"])
def test_the_edition_imports_as_no_change(edition: dict[str, Path], which: str) -> None:
    folder = edition["folder"]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # a dry run: a failure here leaves the sources as they were for the next case
    result = import_docx(edition[which], str(folder), dry_run=True, build_dir=edition["build"])
    assert result.unchanged, result.diff()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def _read(path: Path) -> list[bytes]:
    """What the importer reads from ``path``, block by block, but for what is no part of the
    source: column widths (LibreOffice rounds them), the names of media in the zip, and a
    URL's spelling (``https://host`` is ``https://host/``)."""
    def replace(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.Table):
            specs = [(align, blocks.ColWidthDefault()) for align, _ in node.c[2]]
            return blocks.Table((node.c[0], node.c[1], specs,
                                 *blocks.rewrite(list(node.c[3:]), replace)))
        if isinstance(node, blocks.Image):
            return blocks.Image((node.attr, node.content, ("", node.title)))
        if isinstance(node, blocks.Link):
            return blocks.Link((node.attr, blocks.rewrite(node.content, replace),
                                (normalize_url(node.url), node.title)))
        return None

    return [blocks.encode(blocks.rewrite([edited.block], replace))
            for edited in read_edited(open_docx(path), "accept").blocks]


def test_libreoffice_keeps_every_construct_as_the_importer_reads_it(
        edition: dict[str, Path]) -> None:
    """Not only "no change" (the importer compares a canonical form): every block, start
    numbers, column alignments, alt text and all, reads the same from both files."""
    built, resaved = _read(edition["built"]), _read(edition["resaved"])
    assert len(built) == len(resaved)
    for one, other in zip(built, resaved, strict=True):
        assert one == other
    found = b"".join(built).decode()
    words = " ".join(_words(json.loads(b"[" + b",".join(built) + b"]")))
    for node in ('{"t":"OrderedList","c":[[4,', '"AlignRight"', '"AlignCenter"',
                 '"AlignLeft"', '"SmallCaps"', '"Superscript"', '"Subscript"', '"Code"',
                 '"BlockQuote"', '"Note"', '"Figure"', '"Emph"', '"Strong"',
                 '"POSITION 71N 168W\\n  SPEED 12 KN"', '"HorizontalRule"', '"LineBreak"',
                 '"DefinitionList"', '"Strikeout"', '"Underline"', '"LowerAlpha"',
                 '"LowerRoman"', '"TwoParens"', '"Header","c":[3,'):
        assert node in found, node
    for text in ("A bar chart of transits rising every year", "2\u00a0400", "soft\u00adhyph",
                 "curiosities \u2013 they", "exits \u2014 and \u201ctoo few\u201d",
                 "\u2018measured\u2019", "the IMO page", "A third paragraph.",
                 "Who trains the crews?A second paragraph of the item"):
        assert text in words, text


def _words(value: object) -> list[str]:
    """The words and spaces of pandoc's JSON, in order."""
    if isinstance(value, dict):
        if value.get("t") == "Str":
            return [value["c"]]
        if value.get("t") == "Space":
            return [" "]
        return _words(value.get("c"))
    if isinstance(value, list):
        return ["".join(w for item in value for w in _words(item))]
    return []


def _numbers(path: Path) -> list[tuple[int, str, int] | None]:
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        numbering = etree.fromstring(archive.read("word/numbering.xml"))
    # a bullet shows no number: only its level and kind count
    return [None if item is None else
            (item.level, item.kind[0], 0 if item.kind[0] == "bullet" else item.number)
            for item in numbered_items(document, numbering, {})]


def test_the_word_numbering_shows_the_source_numbers_before_and_after_libreoffice(
        edition: dict[str, Path]) -> None:
    """The file carries Word list numbering (abstract numberings and instances with their
    starts), and Word's own counting gives each item the number of the source, in the file
    as built and as LibreOffice saves it."""
    bullet = "bullet"
    numbers = [
        (0, bullet, 0), (0, bullet, 0), (0, bullet, 0), None,
        (0, bullet, 0), (0, bullet, 0), (0, bullet, 0), None,
        (0, "decimal", 1), (0, "decimal", 2), (0, "decimal", 3), None,
        (0, "decimal", 4), (0, "decimal", 5), None,
        (0, bullet, 0), (0, bullet, 0), (1, bullet, 0), (2, bullet, 0), (1, bullet, 0),
        (0, bullet, 0), None,
        (0, "decimal", 1), (1, "decimal", 1), (2, "decimal", 1), (1, "decimal", 2),
        (0, "decimal", 2), None]
    assert _numbers(edition["built"])[:len(numbers)] == numbers
    assert _numbers(edition["resaved"])[:len(numbers)] == numbers


def test_an_html_comment_the_word_file_lacks_stays_when_its_neighbour_is_edited(
        tmp_path: Path) -> None:
    folder = tmp_path / "content" / CONSTRUCTS.name
    shutil.copytree(CONSTRUCTS, folder)
    built, = build([str(folder)], ["docx"], build_dir=tmp_path / "build")
    edited = DocxEditor(built)
    edited.replace("Vessel counts tell the story plainly.", "plainly", "clearly")
    edited.save(tmp_path / "edited.docx")
    before = (folder / "brief.md").read_text(encoding="utf-8")
    result = import_docx(tmp_path / "edited.docx", str(folder), build_dir=tmp_path / "build")
    assert not result.unchanged
    assert (folder / "brief.md").read_text(encoding="utf-8") == before.replace(
        "Vessel counts tell the story plainly.", "Vessel counts tell the story clearly.")


MEMO = """---
title: "Fisheries After the Quota Reform"
author: "Lena Ortiz"
---

# Summary

Quotas were cut by a third in 2024.[^1] Fleets adapted unevenly.

# Findings

1. Small boats suffered most.
2. Processors consolidated.

# Recommendations

- Fund gear conversion for small boats.
- Publish landing data monthly.

[^1]: Council Regulation 2023/2890.
"""

ICE = """<html><head><meta charset="utf-8"><title>Ice Roads in a Warming North</title></head>
<body><h1>Executive Summary</h1><p>Winter roads close earlier every year.</p>
<h1>Introduction</h1><p>Communities depend on them for fuel.</p>
<h1>Policy Recommendations</h1><p>Build all-season roads to the largest communities.</p>
<h1>Conclusion</h1><p>Act before the next thaw.</p></body></html>
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose briefpress.yaml gives the publisher, as the tester's did."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "briefpress.yaml").write_text(
        "publisher:\n  name: Harbour Policy Lab\n  url: https://harbour.example.org\n"
        "type: policy-brief\n", encoding="utf-8")
    return tmp_path


def _import_then_check(docx_file: Path, slug: str, project: Path,
                       capsys: pytest.CaptureFixture[str]) -> tuple[str, list[str]]:
    """The import's output, and its still-to-do list, after asserting that `briefpress
    check` then reports exactly the errors listed."""
    from briefpress.cli import main

    assert main(["import", str(docx_file), "--brief", slug, "--build-dir",
                 str(project / "build")]) == 1
    out = capsys.readouterr().out
    listed = [line.split(". ", 1)[1] for line in
              out.split("still to do, in order", 1)[1].splitlines()[1:]]
    assert main(["check", slug]) == 1
    checked = [line.replace(": error: ", ": ", 1)
               for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert sorted(listed) == sorted(checked)
    return out, listed


def test_a_pandoc_made_word_file_lists_what_check_reports(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    from briefpress.pandoc import pandoc_path

    (project / "memo.md").write_text(MEMO, encoding="utf-8")
    # pandoc's own command, as the tester ran it: `pandoc memo.md -o memo.docx`
    subprocess.run([pandoc_path(), "memo.md", "-o", "memo.docx"], cwd=project, check=True,
                   timeout=120)
    out, listed = _import_then_check(project / "memo.docx", "memo", project, capsys)
    assert "the project's (briefpress.yaml) applies" in out
    assert not any("publisher" in line for line in listed)
    assert [line.split(": ", 1)[1].split(" (fix:")[0] for line in listed] == [
        "no author has a bio: the section 'About the Author' would be empty",
        "section 'Summary' stands where a policy brief has 'Executive Summary'",
        "required section 'Introduction' is missing",
        "required section 'Conclusion' is missing",
        "recommendation 'fund-gear-conversion-small' points at section 'section-to-name', "
        "which does not exist",
        "recommendation 'publish-landing-data-monthly' points at section 'section-to-name', "
        "which does not exist"]


def test_a_libreoffice_made_word_file_lists_what_check_reports(
        project: Path, figures_and_tables: dict[str, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Made from scratch in LibreOffice (an HTML page it converts): the sections fit a
    commentary, so the brief is one, and the "Policy Recommendations" paragraph stays."""
    docx_file = project / "lo" / "ice.docx"  # LibreOffice's conversion of ICE
    docx_file.parent.mkdir()
    shutil.copyfile(figures_and_tables["ice"], docx_file)
    out, listed = _import_then_check(docx_file, "ice-roads", project, capsys)
    assert "note: the sections fit a commentary, not the project's default type: " \
        "`type: commentary`" in out
    assert "no recommendations found" not in out
    text = (project / "content" / "ice-roads" / "brief.md").read_text(encoding="utf-8")
    assert "Build all-season roads to the largest communities." in text
    assert listed == ["content/ice-roads/brief.md:5: no author has a bio: the section 'About "
                      "the Author' would be empty (fix: add `bio:` under the author)"]


FIGURES_AND_TABLES = """Each keeps its caption: @fig-before-table, @fig-after-table and
@fig-before-captioned, with @tbl-calls.

![A chart right before a table.](transits.png){#fig-before-table}

| Port | Calls |
|---|---|
| Nuuk | 12 |

A paragraph between two tables.

| Port | Calls |
|---|---|
| Tromsø | 30 |

![A chart right after a table.](transits.png){#fig-after-table}

![A chart right before a captioned table.](transits.png){#fig-before-captioned}

| Port | Calls |
|---|---|
| Kirkenes | 8 |

: Calls by port (illustrative). {#tbl-calls}

"""


@pytest.fixture(scope="module")
def figures_and_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture with, in its conclusion, a figure right before a table without a caption,
    a table right before a figure, and a figure right before a table with its own caption,
    each cross-referenced; its Word edition as built and as LibreOffice saves it (the
    tester's filter, "MS Word 2007 XML"); and, saved in the same start of LibreOffice (which
    costs more than the saves), the page ICE converted to a Word file (``ice``)."""
    root = tmp_path_factory.mktemp("figures-and-tables")
    folder = root / "content" / "figures-and-tables"
    shutil.copytree(CONSTRUCTS, folder)
    brief = folder / "brief.md"
    text = brief.read_text(encoding="utf-8")
    heading = "# Conclusion {#conclusion}\n\n"
    assert heading in text
    brief.write_text(text.replace(heading, heading + FIGURES_AND_TABLES, 1), encoding="utf-8")
    built, = build([str(folder)], ["docx"], build_dir=root / "build")
    (root / "ice.html").write_text(ICE, encoding="utf-8")
    resaved, ice = soffice_convert_many([built, root / "ice.html"], "docx:MS Word 2007 XML",
                                        root / "resaved", root / "profile")
    return {"folder": folder, "built": built, "resaved": resaved, "build": root / "build",
            "root": root, "ice": ice}


@pytest.mark.parametrize("which", ["built", "resaved"])
def test_figures_right_before_or_after_tables_import_as_no_change(
        figures_and_tables: dict[str, Path], which: str) -> None:
    """A tester's report: an unedited file with a figure right before a table imported as
    two changes (the figure without its id, the table captioned "Figure 1: ...", its
    delimiter row rewritten), and with a cross-reference to the figure, not at all."""
    folder = figures_and_tables["folder"]
    before = (folder / "brief.md").read_bytes()
    result = import_docx(figures_and_tables[which], str(folder), dry_run=True,
                         build_dir=figures_and_tables["build"])
    assert result.unchanged, result.diff()
    found = read_edited(open_docx(figures_and_tables[which]), "accept").blocks
    captions = [blocks.stringify(b.block.c[1][1]) for b in found
                if isinstance(b.block, blocks.Figure | blocks.Table)]
    assert [c for c in captions if c] == [
        "Figure 1: Transits through the Northern Sea Route, 2019–2023 (illustrative).",
        "Table 1: Transits by year (illustrative figures).",
        "Figure 2: A chart right before a table.",
        "Figure 3: A chart right after a table.",
        "Figure 4: A chart right before a captioned table.",
        "Table 2: Calls by port (illustrative)."]
    assert (folder / "brief.md").read_bytes() == before


def _console(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The console script, as the user runs it: its exit status is the process's."""
    return subprocess.run([str(Path(sys.executable).parent / "briefpress"), *argv],
                          capture_output=True, text=True, cwd=cwd, check=False, timeout=300)


def test_the_libreoffice_saved_file_imports_with_status_0_and_a_refusal_exits_2(
        figures_and_tables: dict[str, Path], tmp_path: Path) -> None:
    """The real import of the saved file, cross-references and all, succeeds; one the guard
    refuses (the editor deleted a figure a paragraph refers to) exits with status 2, its
    source untouched."""
    folder, root = figures_and_tables["folder"], figures_and_tables["root"]
    before = (folder / "brief.md").read_bytes()
    done = _console("import", str(figures_and_tables["resaved"]), "--brief", str(folder),
                    "--build-dir", str(figures_and_tables["build"]), cwd=root)
    assert done.returncode == 0, done.stderr
    assert "no changes to import" in done.stdout
    edited = DocxEditor(figures_and_tables["built"])
    caption = edited.paragraph("A chart right before a table.")
    picture = caption.getprevious()
    assert picture.find(f".//{W}drawing") is not None
    edited.remove_paragraph("A chart right before a table.")
    picture.getparent().remove(picture)
    refused = _console("import", str(edited.save(tmp_path / "edited.docx")), "--brief",
                       str(folder), "--build-dir", str(figures_and_tables["build"]), cwd=root)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "cross-reference @fig-before-table points to no figure" in refused.stderr
    assert (folder / "brief.md").read_bytes() == before
