"""Turn the result of an import into the review report (Markdown) and a terminal summary."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from briefpress import pandoc
from briefpress.errors import Problem, display_path
from briefpress.model import blocks

if TYPE_CHECKING:
    from briefpress.importer.pipeline import ImportResult
    from briefpress.importer.review import Comment


def summary_lines(result: ImportResult) -> list[str]:
    """A few lines for the terminal: what changed, what the editors did, where the report is."""
    review, outcome = result.review, result.outcome
    verb = "accepted" if result.changes == "accept" else "rejected"
    lines = []
    if result.unchanged:
        lines.append(f"{result.docx.name}: no changes to import into "
                     f"{display_path(result.folder)}")
    else:
        counts: dict[str, int] = {}
        for change in outcome.changes:
            counts[change.what.split(" ", 1)[0] if change.what.startswith("recommendation")
                   else change.what] = counts.get(change.what, 0) + 1
        done = "imported" if result.written else "would import"
        lines.append(f"{done} {result.docx.name} into {display_path(result.folder)}: "
                     f"{len(outcome.changes)} change(s)"
                     + (", merged with source edits made since the file was built"
                        if result.merged else ""))
        for change in outcome.changes:
            where = f" in #{change.section}" if change.section else ""
            lines.append(f"  {change.what}{where}")
    if result.moved is not None:
        lines.append(str(result.moved))
    if review.revisions:
        lines.append(f"{len(review.revisions)} tracked change(s), all {verb}:")
        for rev in review.revisions:
            lines.append(f"  {rev.kind} by {rev.author}{_date(rev.date)} in {rev.section}: "
                         f"{_short(rev.text)!r}")
    if review.comments:
        lines.append(f"{len(review.comments)} comment(s):")
        for comment in review.comments:
            lines.append(f"  {comment.author}{_date(comment.date)} in {comment.section} on "
                         f"{_short(comment.anchor)!r}: {_short(comment.text)!r}")
    for notice in outcome.notices:
        lines.append(f"note: {notice}")
    for problem in result.forced:
        said = _forced(result, problem)
        lines.append(said if said.startswith("left out") else f"forced: {problem.message}")
    if result.report_path is not None:
        lines.append(f"review report: {display_path(result.report_path)}")
    if result.todo:
        lines.append(f"the new brief does not pass `briefpress check` yet; still to do, in "
                     f"order ({len(result.todo)}):")
        lines.extend(f"  {number}. {_todo(problem)}"
                     for number, problem in enumerate(result.todo, start=1))
    return lines


LEAVE_OUT = ("; or import with --force to leave it out",
             "; or import with --force to leave them out")
"""How the splice's way out of an edit with no place in the source ends (importer/splice.py):
--force leaves such an edit out, where it overrides the guard's other refusals."""


def _forced(result: ImportResult, problem: Problem) -> str:
    """A refusal ``--force`` overrode, as done: an edit with no place in the source (the
    splice's) was left out, with where to make it instead; a loss the guard named was
    accepted."""
    ending = next((end for end in LEAVE_OUT if problem.fix.endswith(end)), None)
    if problem in result.outcome.problems and ending is not None:
        return f"left out with --force: {problem.message} (to make it: " \
            f"{problem.fix.removesuffix(ending)})"
    return f"accepted with --force: {problem.message}"


def _todo(problem: Problem) -> str:
    where = display_path(problem.file) + (f":{problem.line}" if problem.line else "")
    return f"{where}: {problem.message}" + (f" (fix: {problem.fix})" if problem.fix else "")


def render_report(result: ImportResult) -> str:
    """The review report: source changes, tracked changes, comments, notices."""
    review, outcome = result.review, result.outcome
    verb = "accepted" if result.changes == "accept" else "rejected"
    out = [f"# Review of {result.docx.name}", ""]
    if result.new_folder:
        out.append(f"Imported as a new brief into `{display_path(result.folder)}` with tracked "
                   f"changes {verb}. briefpress did not make this file, so it was converted "
                   "as far as it maps; see the notices for what did not.")
    else:
        out.append(f"Imported into `{display_path(result.folder)}` with tracked changes {verb}. "
                   f"The file was made from source revision `{result.base_revision}`"
                   + (f"; the source was at `{result.source_revision}` and the two were merged."
                      if result.merged else "."))
    out.append("")
    out.append(f"## Changes to the source ({len(outcome.changes)})")
    out.append("")
    for change in outcome.changes:
        where = f" (#{change.section})" if change.section else ""
        if change.before and change.after:
            out.append(f"- **{change.what}**{where}: {word_diff(change.before, change.after)}")
        else:
            out.append(f"- **{change.what}**{where}: {_quote(change.before or change.after)}")
    if not outcome.changes:
        out.append("None.")
    out.extend(["", f"## Tracked changes ({len(review.revisions)}, {verb})", ""])
    for number, rev in enumerate(review.revisions, start=1):
        out.append(f"{number}. **{rev.kind}** by {rev.author}{_date(rev.date)}, "
                   f"in {rev.section}: {_quote(rev.text)}")
    if not review.revisions:
        out.append("None.")
    out.extend(["", f"## Comments ({len(review.comments)})", ""])
    if review.comments:
        out.append(_comments(review.comments, result.api_version))
    else:
        out.append("None.")
    if result.todo:
        out.extend(["", f"## Still to do before the brief passes check ({len(result.todo)})",
                    ""])
        out.extend(f"{number}. {_todo(problem)}"
                   for number, problem in enumerate(result.todo, start=1))
    if outcome.notices or result.forced:
        out.extend(["", "## Notices", ""])
        out.extend(f"- {notice}" for notice in outcome.notices)
        out.extend(f"- {_forced(result, p)}" for p in result.forced)
    return "\n".join(out) + "\n"


_MARKDOWN = "gfm"
"""The Markdown the comments are written in: what viewers (GitHub, an editor's preview)
show."""


def _comments(comments: list[Comment], api_version: list[int]) -> str:
    """The comments as a numbered list, each a line on who, when and where, and the
    comment in a quote, one paragraph a paragraph, written by pandoc's Markdown writer, so
    that what an editor typed shows as typed (``## x`` no heading, ``<b>`` no HTML).

    pandoc's writer leaves a few lines as Markdown (a line of hyphens, a rule; ``&amp;``, an
    entity): the list is read back, and a paragraph that does not read as written is put
    in a code span, which shows anything literally."""
    numbers = {comment.ident: number for number, comment in enumerate(comments, 1)}
    heads: list[list[blocks.Inline]] = []
    quotes: list[list[str]] = []
    for comment in comments:
        flags = []
        if comment.reply_to is not None:
            flags.append(f"reply to comment {numbers.get(comment.reply_to, '?')}")
        if comment.resolved:
            flags.append("resolved")
        extra = f" ({', '.join(flags)})" if flags else ""
        anchor = (f"“{' '.join(comment.anchor.split())}”" if comment.anchor
                  else "a point in the text")
        rest = f"{_date(comment.date)}{extra}, in {comment.section}, on {anchor}:"
        heads.append([blocks.Strong(_words(comment.author)),
                      *([blocks.Space()] if rest[0] == " " else []), *_words(rest)])
        paragraphs = [" ".join(line.split()) for line in comment.text.splitlines()]
        quotes.append([line for line in paragraphs if line] or ["(empty)"])
    literal: set[tuple[int, int]] = set()
    written = _write_comments(heads, quotes, literal, api_version)
    read = blocks.decode(pandoc.run(written, "json", _MARKDOWN).encode("utf-8")).blocks
    items = read[0].c[1] if len(read) == 1 and isinstance(read[0], blocks.OrderedList) else []
    for number, lines in enumerate(quotes):
        quote = items[number][-1] if number < len(items) else None
        found = quote.c if isinstance(quote, blocks.BlockQuote) else []
        for index, line in enumerate(lines):
            if index >= len(found) or blocks.stringify(found[index]) != line:
                literal.add((number, index))
    if literal:
        written = _write_comments(heads, quotes, literal, api_version)
    return written.rstrip("\n")


def _write_comments(heads: list[list[blocks.Inline]], quotes: list[list[str]],
                    literal: set[tuple[int, int]], api_version: list[int]) -> str:
    """The list of comments in Markdown: ``literal`` paragraphs (comment, paragraph) in
    code spans."""
    items: list[list[blocks.Block]] = [
        [blocks.Plain(head), blocks.BlockQuote([
            blocks.Para([blocks.Code((blocks.attr(), line))] if (number, index) in literal
                        else _words(line)) for index, line in enumerate(lines)])]
        for number, (head, lines) in enumerate(zip(heads, quotes, strict=True))]
    document = blocks.document(
        [blocks.OrderedList(((1, blocks.Decimal(), blocks.Period()), items))], api_version)
    return pandoc.convert(document, _MARKDOWN, ["--wrap=none"])


def _words(text: str) -> list[blocks.Inline]:
    """``text`` as pandoc's inlines: words and the spaces between them."""
    inlines: list[blocks.Inline] = []
    for word in text.split():
        if inlines:
            inlines.append(blocks.Space())
        inlines.append(blocks.Str(word))
    return inlines


def _date(value: str) -> str:
    return f" on {value.replace('T', ' ').rstrip('Z')[:16]}" if value else ""


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _quote(text: str) -> str:
    return "“" + " ".join(text.split()).replace("*", "\\*") + "”"


def word_diff(before: str, after: str, context: int = 6) -> str:
    """The words that changed, ``[-old-]{+new+}``, with a few words around each change."""
    old, new = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[str] = []
    opcodes = matcher.get_opcodes()
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = old[i1:i2]
            first, last = number == 0, number == len(opcodes) - 1
            if len(words) > 2 * context or (first and len(words) > context) or \
                    (last and len(words) > context):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                words = [*head, "…", *tail]
            pieces.append(" ".join(words))
            continue
        if i2 > i1:
            pieces.append("[-" + " ".join(old[i1:i2]) + "-]")
        if j2 > j1:
            pieces.append("{+" + " ".join(new[j1:j2]) + "+}")
    return "“" + " ".join(pieces).replace("*", "\\*") + "”"
