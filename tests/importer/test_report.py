"""importer/report.py: the review report and the terminal summary of an import."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpress import pandoc
from briefpress.errors import Problem
from briefpress.importer.pipeline import ImportResult
from briefpress.importer.report import render_report, summary_lines, word_diff
from briefpress.importer.review import Comment, Review, Revision
from briefpress.importer.splice import Change, Outcome
from briefpress.model import blocks

WORDS = [f"w{n}" for n in range(1, 17)]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the working directory


def result(tmp_path: Path, edits: list[Change] = (), review: Review | None = None,
           notices: list[str] = (), **extra) -> ImportResult:
    outcome = Outcome("new md", "recs", changes=list(edits), notices=list(notices))
    values = {"docx": tmp_path / "edited.docx", "slug": "a-brief",
              "folder": tmp_path / "content" / "a-brief", "changes": "accept",
              "markdown_before": "old md", "markdown_after": "new md",
              "recommendations_before": "recs", "recommendations_after": "recs",
              "outcome": outcome, "review": review or Review(),
              "base_revision": "aaaa", "source_revision": "aaaa",
              "api_version": API_VERSION, **extra}
    return ImportResult(**values)


API_VERSION = pandoc.parse_markdown("")[0].api_version


REVIEW = Review(
    revisions=[Revision("inserted", "Ed Itor", "2026-03-04T05:06:07Z", "Intro (#intro)",
                        "new words"),
               Revision("deleted", "Ann", "", "the title block", "x" * 70)],
    comments=[Comment("0", "Ed Itor", "2026-03-04T05:06:07Z", "Intro (#intro)",
                      "anchored *text*", "Is this right?\nSecond line."),
              Comment("1", "Ann", "", "Intro (#intro)", "", "Yes.", reply_to="0",
                      resolved=True)])


# -- word_diff -----------------------------------------------------------------------------

def test_word_diff_marks_the_changed_words():
    assert word_diff("a b c", "a x c") == "“a [-b-] {+x+} c”"
    assert word_diff("a b", "a b c") == "“a b {+c+}”"
    assert word_diff("a b c", "a c") == "“a [-b-] c”"
    assert word_diff("", "new words") == "“{+new words+}”"
    assert word_diff("same  text", "same text") == "“same text”"


def test_word_diff_shortens_long_unchanged_runs():
    changed = ["X", *WORDS[1:15], "Y"]
    assert word_diff(" ".join(WORDS), " ".join(changed)) == (
        "“[-w1-] {+X+} w2 w3 w4 w5 w6 w7 … w10 w11 w12 w13 w14 w15 [-w16-] {+Y+}”")
    assert word_diff(" ".join(WORDS), " ".join([*WORDS[:15], "Y"])) == (
        "“… w10 w11 w12 w13 w14 w15 [-w16-] {+Y+}”")
    assert word_diff(" ".join(WORDS), " ".join(["X", *WORDS[1:]])) == (
        "“[-w1-] {+X+} w2 w3 w4 w5 w6 w7 …”")


def test_word_diff_escapes_markdown_emphasis():
    assert word_diff("a *b* c", "a *d* c") == "“a [-\\*b\\*-] {+\\*d\\*+} c”"


# -- render_report -------------------------------------------------------------------------

def test_report_of_an_import_with_everything(tmp_path):
    report = render_report(result(
        tmp_path,
        edits=[Change("intro", "paragraph changed", "The old text.", "The new text."),
                 Change(None, "subtitle added", "", "A *new* subtitle")],
        review=REVIEW, notices=["an image was kept"],
        forced=[Problem("edited.docx", None, "the import would drop section 'X' (#x)")]))
    assert report == """\
# Review of edited.docx

Imported into `content/a-brief` with tracked changes accepted. \
The file was made from source revision `aaaa`.

## Changes to the source (2)

- **paragraph changed** (#intro): “The [-old-] {+new+} text.”
- **subtitle added**: “A \\*new\\* subtitle”

## Tracked changes (2, accepted)

1. **inserted** by Ed Itor on 2026-03-04 05:06, in Intro (#intro): “new words”
2. **deleted** by Ann, in the title block: “XXX”

## Comments (2)

1.  **Ed Itor** on 2026-03-04 05:06, in Intro (#intro), on “anchored \\*text\\*”:
    > Is this right?
    >
    > Second line.
2.  **Ann** (reply to comment 1, resolved), in Intro (#intro), on a point in the text:
    > Yes.

## Notices

- an image was kept
- accepted with --force: the import would drop section 'X' (#x)
""".replace("XXX", "x" * 70)


def test_report_of_a_merged_import_with_nothing_in_it(tmp_path):
    report = render_report(result(tmp_path, source_revision="bbbb", changes="reject"))
    assert report == """\
# Review of edited.docx

Imported into `content/a-brief` with tracked changes rejected. The file was made from source \
revision `aaaa`; the source was at `bbbb` and the two were merged.

## Changes to the source (0)

None.

## Tracked changes (0, rejected)

None.

## Comments (0)

None.
"""


def test_report_of_a_new_brief(tmp_path):
    report = render_report(result(tmp_path, new_folder=True))
    assert report.split("\n")[2] == (
        "Imported as a new brief into `content/a-brief` with tracked changes accepted. "
        "briefpress did not make this file, so it was converted as far as it maps; see the "
        "notices for what did not.")


# -- summary_lines -------------------------------------------------------------------------

def test_summary_of_an_import(tmp_path):
    lines = summary_lines(result(
        tmp_path, written=True, report_path=tmp_path / ".briefpress" / "reviews" / "a-brief.md",
        edits=[Change("intro", "paragraph changed", "a", "b"),
                 Change(None, "recommendation 'r1' changed", "a", "b")],
        review=REVIEW, notices=["an image was kept"], source_revision="bbbb",
        forced=[Problem("edited.docx", None, "lost a link")]))
    assert lines == [
        "imported edited.docx into content/a-brief: 2 change(s), merged with source edits "
        "made since the file was built",
        "  paragraph changed in #intro",
        "  recommendation 'r1' changed",
        "2 tracked change(s), all accepted:",
        "  inserted by Ed Itor on 2026-03-04 05:06 in Intro (#intro): 'new words'",
        f"  deleted by Ann in the title block: '{'x' * 59}…'",
        "2 comment(s):",
        "  Ed Itor on 2026-03-04 05:06 in Intro (#intro) on 'anchored *text*': "
        "'Is this right? Second line.'",
        "  Ann in Intro (#intro) on '': 'Yes.'",
        "note: an image was kept",
        "forced: lost a link",
        "review report: .briefpress/reviews/a-brief.md",
    ]


def test_summary_of_a_dry_run_and_of_no_change(tmp_path):
    dry = summary_lines(result(tmp_path, edits=[Change(None, "title changed", "a", "b")],
                               review=Review()))
    assert dry == ["would import edited.docx into content/a-brief: 1 change(s)",
                   "  title changed"]
    same = summary_lines(result(tmp_path, markdown_after="old md"))
    assert same == ["edited.docx: no changes to import into content/a-brief"]


def test_comments_show_what_the_editor_typed_as_typed(tmp_path):
    """A comment's paragraphs are paragraphs of its quote (a Markdown viewer joined them),
    and what would be Markdown or HTML in it shows as typed (a line ``## x`` was a heading,
    ``<b>`` raw HTML)."""
    typed = ["## Not a heading", "See <b>this</b> & *that*.", "1. not a list",
             "---", "&amp;", "> not a quote", "[a](http://x.org)"]
    review = Review(comments=[Comment("0", "Ed <i>Itor</i>", "", "Intro (#intro)",
                                      "# anchored", "\n".join(typed))])
    report = render_report(result(tmp_path, review=review))
    comments = report.split("## Comments (1)\n\n", 1)[1].split("\n\n## ", 1)[0]
    shown = pandoc.run(comments, "json", "gfm")
    [listed] = blocks.decode(shown.encode("utf-8")).blocks
    [[head, quote]] = listed.c[1]
    assert blocks.stringify(head) == ("Ed <i>Itor</i>, in Intro (#intro), on “# anchored”:")
    assert isinstance(quote, blocks.BlockQuote)
    assert [blocks.stringify(p) for p in quote.c] == typed
    assert all(isinstance(p, blocks.Para) for p in quote.c)
    assert "    >\n" in comments  # the paragraphs apart


def test_an_edit_force_left_out_is_said_left_out_with_where_to_make_it(tmp_path):
    """Tester 6's m2: a correction of the list of sources, which --force leaves out, was
    "accepted with --force"; it is left out, with where to make it. A loss the guard named
    is still accepted."""
    left = Problem("edited.docx", None, "the text 'McCaffrey' changes the list of sources",
                   "correct the work's entry in references.bib; or import with --force to "
                   "leave it out")
    lost = Problem("edited.docx", None, "the import would drop section 'X' (#x)", "restore it")
    done = result(tmp_path, edits=[Change("intro", "paragraph changed", "a", "b")],
                  forced=[left, lost])
    done.outcome.problems.append(left)
    said = "left out with --force: the text 'McCaffrey' changes the list of sources (to make " \
        "it: correct the work's entry in references.bib)"
    assert said in summary_lines(done)
    assert "forced: the import would drop section 'X' (#x)" in summary_lines(done)
    report = render_report(done)
    assert f"- {said}\n" in report
    assert "- accepted with --force: the import would drop section 'X' (#x)\n" in report
