"""Every input limit bounds the cost: over it, a located error naming the limit and how to
change it, exit 2, nothing written, and quickly (the limits are set small through the
environment so that each case runs in seconds)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefpress.cli import main
from briefpress.support import limits
from conftest import ARCTIC, edit

pytestmark = pytest.mark.slow

BRACKETS = "[[[[[[[[[[[[[[x]]]]]]]]]]]]]]"
"""29 bytes whose parsing takes pandoc time that grows exponentially with the depth."""


@pytest.fixture
def brief(scratch) -> Path:
    return scratch(ARCTIC)


def refused(capsys, folder: Path, tmp_path: Path, command: str = "check") -> tuple[str, float]:
    """Run ``command`` on ``folder``: it exits 2 and (for a build) writes nothing; its
    message and how long it took."""
    before = {p: p.read_bytes() for p in folder.iterdir()}
    started = time.monotonic()
    argv = [command, str(folder)]
    if command == "build":
        argv += ["--build-dir", str(tmp_path / "build")]
    code = main(argv)
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert {p: p.read_bytes() for p in folder.iterdir()} == before
    if command == "build":
        assert not any((tmp_path / "build").rglob("*.*")), "a build wrote something"
    return err, elapsed


def test_pandoc_is_stopped_at_its_time_limit(capsys, brief, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_PANDOC_SECONDS", "1")
    edit(brief / "brief.md", "The Arctic will not wait", f"{BRACKETS}\n\nThe Arctic will not wait")
    err, elapsed = refused(capsys, brief, tmp_path, "build")
    assert elapsed < 1 + 2
    assert err.splitlines()[-1] == (
        f"{brief / 'brief.md'}: error: pandoc took longer than the limit of 1 s to convert it "
        "(brackets, emphasis or lists nested deeply make pandoc's time grow fast) (fix: "
        "simplify the nesting, or set BRIEFPRESS_LIMIT_PANDOC_SECONDS to raise the limit "
        "(default 60))")


def test_pandoc_is_stopped_at_its_memory_limit(capsys, brief, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_PANDOC_MEMORY_MB", "16")
    edit(brief / "brief.md", "The Arctic will not wait", f"{BRACKETS}\n\nThe Arctic will not wait")
    err, elapsed = refused(capsys, brief, tmp_path)
    assert elapsed < 30
    assert err.splitlines()[-1] == (
        f"{brief / 'brief.md'}: error: pandoc needed more than the limit of 16 MB of memory to "
        "convert it (fix: shorten or simplify the text, or set BRIEFPRESS_LIMIT_PANDOC_MEMORY_MB "
        "to raise the limit (default 2048))")


def _long_brief_over_an_earlier_pdf(brief: Path, tmp_path: Path) -> Path:
    """``brief`` with 8,000 one-letter lines of code more (160 pages, whose layout takes
    WeasyPrint several seconds, where pandoc, the checks and the HTML take a few hundredths
    more than for the brief alone: see the memory limit's test below), and the PDF an
    earlier build left: its path."""
    edit(brief / "brief.md", "The Arctic will not wait",
         "```\n" + "x\n" * 8_000 + "```\n\nThe Arctic will not wait")
    return _earlier_pdf(tmp_path)


def _earlier_pdf(tmp_path: Path) -> Path:
    """The PDF an earlier build left: its path."""
    earlier = tmp_path / "build" / ARCTIC.name / f"{ARCTIC.name}.pdf"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"the PDF of an earlier build")
    return earlier


def test_the_pdf_layout_is_stopped_at_its_time_limit(capsys, brief, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_PDF_SECONDS", "1")
    earlier = _long_brief_over_an_earlier_pdf(brief, tmp_path)
    started = time.monotonic()
    code = main(["build", str(brief), "--format", "pdf", "--build-dir", str(tmp_path / "build")])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"{brief / 'brief.md'}: error: laying out the PDF took longer than the limit of 1 s "
        "(fix: shorten the brief or simplify its tables, or set BRIEFPRESS_LIMIT_PDF_SECONDS "
        "to raise the limit (default 300))")
    assert earlier.read_bytes() == b"the PDF of an earlier build"
    assert sorted(p.name for p in earlier.parent.iterdir()) == [".lock", earlier.name]
    assert elapsed < 30


def test_the_pdf_layout_is_stopped_at_its_memory_limit(brief, tmp_path):
    # 10,000 one-letter lines of code: one element for pandoc, the checks, the HTML and
    # WeasyPrint's parse and cascade (the build holds about 25 to 28 MB more than at its
    # start when the layout begins, with 6,000 lines as with 20,000), but a line box for
    # each line in the layout, which grows by some 0.25 MB a page for 200 pages (60 MB),
    # the fastest growth measured (paragraphs and long lines grow slower, lists and tables
    # cost most of their memory before the layout); a margin of 50 MB stops it near page
    # 90, about a second into the layout and some 110 pages before its end
    edit(brief / "brief.md", "The Arctic will not wait",
         "```\n" + "x\n" * 10_000 + "```\n\nThe Arctic will not wait")
    earlier = _earlier_pdf(tmp_path)
    # in a fresh process: one that ran other tests keeps memory they freed, which the
    # layout would fill before the process grows (by 100 MB after the test above)
    run = subprocess.run(
        [sys.executable, "-c", _WATCHED_BUILD, "50", "build", str(brief), "--format", "pdf",
         "--build-dir", str(tmp_path / "build")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    limit, *steps = run.stdout.splitlines()
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines()[-1] == (
        f"{brief.relative_to(tmp_path) / 'brief.md'}: error: laying out the PDF needed more "
        f"memory than the limit of {limit} MB (fix: make its images smaller or split its "
        "largest tables, or set BRIEFPRESS_LIMIT_PDF_MEMORY_MB to raise the limit (default "
        "2048))")
    # stopped while it laid out pages: past the preparation, before the layout's end (its
    # repagination) and before the PDF was written
    assert "Step 5 - Creating layout - Page 10" in steps
    assert not any(step.startswith(("Step 5 - Creating layout - Repagination", "Step 6"))
                   for step in steps), steps[-1]
    assert earlier.read_bytes() == b"the PDF of an earlier build"
    assert sorted(p.name for p in earlier.parent.iterdir()) == [".lock", earlier.name]


_WATCHED_BUILD = """
import logging, os, sys
import psutil, weasyprint
from briefpress.cli import main
# the limit is the whole process's memory: its own with the modules imported, plus a margin
# past what the build holds when the layout starts
limit = psutil.Process().memory_info().rss // 2**20 + int(sys.argv[1])
os.environ["BRIEFPRESS_LIMIT_PDF_MEMORY_MB"] = str(limit)
print(limit, flush=True)
# WeasyPrint's documented progress log says how far the layout got
progress = logging.getLogger("weasyprint.progress")
progress.setLevel(logging.INFO)
progress.addHandler(logging.StreamHandler(sys.stdout))
sys.exit(main(sys.argv[2:]))
"""
"""``briefpress`` with a PDF memory limit a margin (its first argument) over its own memory
once its modules are imported, and WeasyPrint's progress written to its output."""


@pytest.mark.parametrize(("name", "count", "fix"), [
    ("NOTES", 2, "merge or drop notes"),
    ("IMAGES", 1, "drop images"),
])
def test_notes_and_images_over_their_limits(capsys, brief, tmp_path, monkeypatch, name, count,
                                            fix):
    limit = getattr(limits, name)
    monkeypatch.setenv(limit.env, str(count - 1))
    err, elapsed = refused(capsys, brief, tmp_path, "build")
    assert err == (
        f"{brief / 'brief.md'}: error: {count} {limit.unit}, over the limit of {count - 1} "
        f"(fix: {fix} (brief.md and the Markdown of recommendations.yaml count together), or "
        f"set {limit.env} to raise the limit (default {limit.default}))\n")
    assert elapsed < 10


def test_links_over_their_limit_count_the_recommendations_too(capsys, brief, tmp_path,
                                                               monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_LINKS", "3")
    edit(brief / "brief.md", "The Arctic will not wait",
         "[one](https://example.org/1) [two](https://example.org/2) "
         "[three](https://example.org/3)\n\nThe Arctic will not wait")
    recommendations = (brief / "recommendations.yaml").read_text(encoding="utf-8")
    text_at = recommendations.index("text: ") + len("text: ")
    (brief / "recommendations.yaml").write_text(
        recommendations[:text_at] + '"[four](https://example.org/4)"\n'
        + recommendations[recommendations.index("\n", text_at) + 1:], encoding="utf-8")
    err, _ = refused(capsys, brief, tmp_path, "build")
    assert err == (
        f"{brief / 'brief.md'}: error: 4 links, over the limit of 3 (fix: drop links (brief.md "
        "and the Markdown of recommendations.yaml count together), or set "
        "BRIEFPRESS_LIMIT_LINKS to raise the limit (default 10000))\n")


def test_sections_over_their_limit_name_the_first_heading_past_it(capsys, brief, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_SECTIONS", "2")
    lines = (brief / "brief.md").read_text(encoding="utf-8").splitlines()
    third = [n for n, line in enumerate(lines, start=1) if line.startswith("#")][2]
    err, _ = refused(capsys, brief, tmp_path, "build")
    assert err.startswith(f"{brief / 'brief.md'}:{third}: error: ")
    assert err.endswith(" sections, over the limit of 2 (fix: split the brief, or set "
                        "BRIEFPRESS_LIMIT_SECTIONS to raise the limit (default 2000))\n")


def test_recommendations_over_their_limit_are_refused_before_pandoc(capsys, brief, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_RECOMMENDATIONS", "1")
    monkeypatch.setenv("BRIEFPRESS_LIMIT_PANDOC_SECONDS", "1")
    edit(brief / "brief.md", "The Arctic will not wait", f"{BRACKETS}\n\nThe Arctic will not wait")
    err, elapsed = refused(capsys, brief, tmp_path, "build")
    assert ": error: " in err and " recommendations, over the limit of 1 (fix: split the brief " \
        "or merge recommendations, or set BRIEFPRESS_LIMIT_RECOMMENDATIONS to raise the limit " \
        "(default 2000))" in err
    assert err.startswith(f"{brief / 'recommendations.yaml'}:")
    assert elapsed < 1  # pandoc, which would take its full second here, never ran


def test_the_source_size_limit_can_be_changed(capsys, brief, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_SOURCE_BYTES", "1000")
    size = (brief / "brief.md").stat().st_size
    err, _ = refused(capsys, brief, tmp_path, "build")
    assert err == (
        f"{brief / 'brief.md'}: error: file is {size / 1e6:.1f} MB, over the 0.0 MB limit for "
        "a brief's source (fix: split the text or move data out of the brief, or set "
        "BRIEFPRESS_LIMIT_SOURCE_BYTES to raise the limit (default 2000000))\n")


def test_the_nesting_limit_can_be_changed(capsys, brief, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_NESTING", "2")
    edit(brief / "brief.md", "The Arctic will not wait", "> > > deep\n\nThe Arctic will not wait")
    code = main(["check", str(brief)])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: lists or quotes nested 3 levels deep (at most 2) (fix: flatten the list, or " \
        "set BRIEFPRESS_LIMIT_NESTING to raise the limit (default 8))" in err


def test_a_limit_set_to_nonsense_is_a_clear_error(capsys, brief, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_SECTIONS", "many")
    err, _ = refused(capsys, brief, tmp_path, "build")
    assert err == (
        "BRIEFPRESS_LIMIT_SECTIONS: error: 'many' is not a whole number of at least 0 (fix: set "
        "BRIEFPRESS_LIMIT_SECTIONS to a number of sections (default 2000), or unset it)\n")
