"""Turn an edited briefpress .docx and its brief into new source files, and undo an import.

The stages (see the package's docstring for the whole import): the base revision,
alignment, splice, merge, guard and writing.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import errno
import os
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import msgspec
from msgspec import Struct, field

from briefpress.errors import BriefError, Problem, display_path
from briefpress.importer.align import Item, Step, align, base_items
from briefpress.importer.docxread import Changes, EditedDocument
from briefpress.importer.guard import source_errors, structural_losses
from briefpress.importer.merge import Conflict, merge3
from briefpress.importer.report import render_report, summary_lines
from briefpress.importer.review import Review, label_notes
from briefpress.importer.signature import signature
from briefpress.importer.splice import Outcome, source_notes, splice
from briefpress.importer.typography import Typography, house_typography, straight_words
from briefpress.model import blocks, xref
from briefpress.model.brief import Brief
from briefpress.read.brand import BRANDS, FONT_BYTES
from briefpress.read.brief import find_brief, read_brief
from briefpress.read.config import CONFIG_NAME, config_path, named_files
from briefpress.render.docx_ast import brief_units
from briefpress.render.docx_package import PROP_SLUG, custom_properties, embedded_source
from briefpress.support import limits, paths
from briefpress.support.backup import (
    IMPORTS,
    LEGACY,
    LEGACY_REVIEW,
    UNDONE,
    backup_dir,
    legacy_backup,
    move_legacy,
    review_file,
    undone_record,
)
from briefpress.support.docx_open import Package, open_docx, read_entry
from briefpress.support.files import (
    ENVIRONMENT_ERRNOS,
    copy_regular,
    copy_tree,
    read_regular,
    scratch_folder,
    writing,
)
from briefpress.support.fsutil import atomic_write_bytes, atomic_write_text
from briefpress.support.locking import brief_lock

BACKUP_FIX = "make the folder writable: an import keeps there what it replaces, for --undo"
"""The way out of a folder of import backups that cannot be written."""

REVIEW_FIX = "make the folder writable: an import writes its review report there"
"""The way out of a folder of review reports that cannot be written."""

SOURCES = ("recommendations.yaml", "brief.md")
"""The files of a brief an import rewrites, in the order it writes them (brief.md last)."""


class ImportRecord(Struct, kw_only=True):
    """A backup's ``import.json``: what ``--undo`` needs of the import it undoes."""

    docx: str = ""
    """The Word file imported."""
    brief: str
    """The brief's folder."""
    imported: dict[str, str] = {}
    """Each source as the import wrote it (or found it, if it left it alone): a source
    changed since is refused without --force."""
    added_files: list[str] = []
    """The files (images) the import added to the brief's folder, relative to it; an
    earlier version's record has none."""


class UndoneRecord(Struct, kw_only=True):
    """An undo's ``<slug>.undone.json``: the import it undid, so that a second ``--undo``
    says so (and how to import that file again)."""

    docx: str = ""
    brief: str = ""


def _encode_record(record: ImportRecord | UndoneRecord) -> bytes:
    """A record as JSON to read by eye: indented, non-ASCII letters as they are (the
    bytes ``json.dumps(..., ensure_ascii=False, indent=1)`` gave earlier versions)."""
    return msgspec.json.format(msgspec.json.encode(record), indent=1)


class ImportResult(Struct):
    """What an import did (or, in a dry run, would do)."""

    docx: Path
    slug: str
    folder: Path
    changes: Changes
    markdown_before: str
    markdown_after: str
    recommendations_before: str
    recommendations_after: str
    outcome: Outcome
    review: Review
    base_revision: str
    source_revision: str
    written: bool = False
    report_path: Path | None = None
    forced: list[Problem] = field(default_factory=list)
    """Refusals that ``--force`` overrode."""
    new_folder: bool = False
    moved: Problem | None = None
    """What an earlier version left in the build folder that this import moved out of it
    (:func:`~briefpress.support.backup.move_legacy`), in one line; None: nothing."""
    todo: list[Problem] = field(default_factory=list)
    """What the new brief of a Word file briefpress did not make still needs to pass
    ``check``, in file order (each failing check with its fix)."""
    api_version: list[int] = field(default_factory=list)
    """The pandoc-types version of pandoc's reading of the .docx: the review report's
    comments are written by pandoc."""

    @property
    def merged(self) -> bool:
        return self.base_revision != self.source_revision

    @property
    def unchanged(self) -> bool:
        return (self.markdown_before == self.markdown_after
                and self.recommendations_before == self.recommendations_after
                and not self.outcome.media)

    def diff(self) -> str:
        """Unified diff of the source files, as the import changes them."""
        out: list[str] = []
        for name, before, after in (
                ("brief.md", self.markdown_before, self.markdown_after),
                ("recommendations.yaml", self.recommendations_before,
                 self.recommendations_after)):
            where = display_path(self.folder / name).lstrip("/")
            out.extend(difflib.unified_diff(before.splitlines(keepends=True),
                                            after.splitlines(keepends=True),
                                            f"a/{where}", f"b/{where}"))
        for source, name in self.outcome.media.items():
            out.append(f"new file {display_path(self.folder / name)} (from {source})\n")
        return "".join(out)

    def summary(self) -> list[str]:
        return summary_lines(self)

    def report(self) -> str:
        return render_report(self)


def import_edited(docx: Path, package: Package, revision: str, edited: EditedDocument,
                  current: Brief, review: Review, changes: Changes, dry_run: bool, force: bool,
                  build_dir: Path | None) -> ImportResult:
    """The import of ``edited``, the blocks of a briefpress .docx made from ``revision`` of
    the brief ``current`` (as its source reads now), with the file's ``review``."""
    build_dir = build_dir or paths.build_dir()
    with scratch_folder("briefpress-import-") as scratch:
        base = _base_brief(docx, package, revision, current, Path(scratch))
        items = base_items(brief_units(base))
        with brief_lock(build_dir, current.slug):
            # an earlier version's backup and review report, out of the published build
            # folder (a dry run writes nothing): this import's replace them once written
            moved = None if dry_run else move_legacy(current.folder, build_dir)
            try:
                result = _prepare(docx, base, items, review, current, edited, changes, force,
                                  Path(scratch))
            except BriefError as exc:
                refused = _with_whose(exc, docx, package, current)
                if moved is not None:  # said before why the import stopped
                    refused = BriefError([moved, *refused.problems])
                raise refused from None
            result.moved = moved
            if result.unchanged and base.revision != current.revision:
                _refuse_another_briefs(docx, package, current, moved)
            if dry_run:
                return result
            if result.unchanged:
                if (result.review.revisions or result.review.comments
                        or result.outcome.notices):
                    # nothing to change in the source, but what the editors said (or did to
                    # a citation's rendered text) is kept
                    write_report(result, build_dir)
                return result
            _write(result, build_dir)
    return result


def _prepare(docx: Path, base: Brief, items: list[Item], review: Review, current: Brief,
             edited: EditedDocument, changes: Changes, force: bool,
             scratch: Path) -> ImportResult:
    """Everything up to writing: align, splice, merge, guard."""
    # cross-references and caption numbers as the Word file shows them are the model's again
    # (model/xref.py), so an untouched "Figure 1" is no change and an edited one becomes @fig-x
    table = xref.targets(base)
    edited_blocks = [msgspec.structs.replace(item, block=xref.relink([item.block], table)[0])
                     for item in edited.blocks]
    steps = [_references_retyped(step, table) for step in align(items, edited_blocks)]
    steps, typography = _typeset(steps, items, edited.api_version)
    if all(step.kind == "same" for step in steps):
        outcome = Outcome(base.markdown, base.recommendations_text)
    else:
        outcome = splice(base, steps, edited.api_version, str(docx))
    markdown, recs = outcome.markdown, outcome.recommendations
    if any(revision.note is not None for revision in review.revisions):
        label_notes(review, outcome.notes or source_notes(base))
    if base.revision != current.revision:
        markdown, md_conflicts = merge3(base.markdown, current.markdown, markdown)
        recs, rec_conflicts = merge3(base.recommendations_text,
                                     current.recommendations_text, recs)
        if md_conflicts or rec_conflicts:
            raise BriefError(_conflict_problems(current, base, md_conflicts,
                                                rec_conflicts))
    result = ImportResult(docx, current.slug, current.folder, changes, current.markdown,
                          markdown, current.recommendations_text, recs, outcome, review,
                          base.revision, current.revision, api_version=edited.api_version)
    if result.unchanged and outcome.changes:
        # what the file changes, the source has already (the file imported before): no
        # change, and none of the notices that come with one
        said = {change.notice for change in outcome.changes if change.notice}
        outcome.notices = [notice for notice in outcome.notices if notice not in said]
        outcome.changes = []
    if typography is not None and not result.unchanged:  # said only with the change it made
        outcome.notices.insert(0, typography)
    if not result.unchanged:
        outcome.notices += lost_html(steps)
    refusals = list(outcome.problems)
    if not result.unchanged:
        try:
            after = _read_texts(current, markdown, recs, scratch / "after")
        except BriefError as exc:  # named as the files it would write, not the scratch copy
            raise BriefError([Problem(
                current.recommendations_path if Path(p.file).name == "recommendations.yaml"
                else current.markdown_path, p.line, "the import would write a source that "
                f"cannot be read: {p.message}", "report this as a bug of briefpress import, "
                "with the .docx; meanwhile make the edit in the source") for p in exc.problems]
                ) from None
        joined = [name for heading in edited.joined_headings
                  for name in (*heading.bookmarks, heading.text)]
        _placed_headings(outcome, review, current, after)
        refusals += structural_losses(current, after, docx, joined)
        refusals += [Problem(docx, None, f"the imported source would not pass check: "
                             f"{p.message}", f"{p.fix}; or import with --force and fix "
                             f"{_file_name(p)} after" if p.fix else "import with --force "
                             f"and fix {_file_name(p)} after")
                     for p in source_errors(after, outcome.media.values(), current)]
    if refusals and not force:
        raise BriefError(refusals)
    result.forced = refusals
    return result


def lost_html(steps: list[Step]) -> list[str]:
    """A notice for each paragraph the editor changed whose source held inline HTML (an
    ``<abbr>``, a ``<span>``) the Word file cannot carry: the edited paragraph is written
    from the Word file's words, without it, which the author should know of (the text
    stays; the markup goes)."""
    notices = []
    for step in steps:
        if step.kind != "changed" or step.item is None or step.edited is None:
            continue
        kept = {node.c for node in blocks.walk(step.edited.block)
                if isinstance(node, blocks.RawInline)}
        gone = list(dict.fromkeys(
            node.c[1] for node in blocks.walk(step.item.block)
            if isinstance(node, blocks.RawInline) and node.c[0] == "html" and node.c not in kept))
        if gone:
            opening = " ".join(blocks.stringify(step.item.block).split()[:8])
            notices.append(f"the edited paragraph \"{opening}…\" loses its inline HTML "
                           f"({', '.join(gone[:4])}), which a Word file cannot hold: put it "
                           "back in brief.md if the edition needs it")
    return notices


_MARKDOWN_CLASSES = frozenset({"body", "heading", "rec", "bio"})
"""The classes of the blocks whose words are a brief's Markdown, read with ``smart`` (not
the title block's or an area's title, plain text printed as typed)."""


def _typeset(steps: list[Step], items: list[Item],
             api: list[int]) -> tuple[list[Step], str | None]:
    """``steps`` with the straight quotes, ``--`` and ``...`` of each block the editor
    changed or added read as a brief's Markdown reads them (``typography.py``), and the
    report's notice of what curled (None: nothing). A block the editor left alone is not
    looked at; the words the source itself holds straight, which its author escaped
    (``5\\'``), stay so. A block that then reads as its source's is no change (the editor
    typed "it's" over "it’s")."""
    edited = [step.edited for step in steps if step.kind in ("changed", "inserted")
              and step.edited is not None and step.edited.cls in _MARKDOWN_CLASSES]
    if not edited:
        return steps, None
    keep = straight_words([item.block for item in items if item.cls in _MARKDOWN_CLASSES])
    done = house_typography(edited, api, keep)
    if done == Typography():
        return steps, None
    return [Step("same", step.item, step.edited) if step.kind == "changed" and step.item
            and step.edited and signature([step.edited.block]) == step.item.sig else step
            for step in steps], done.notice("the text the editor typed")


def _references_retyped(step: Step, table: dict[str, xref.Target]) -> Step:
    """``step`` with the cross-references its paragraph lost in Word typed back as words
    made references again: retyping "(Figure 1)" in Word deletes the hyperlink and types
    "Figure 1" as words; those words, where they still read the label of a reference the
    paragraph had, are that reference (``model/xref.retyped``): as many as the editor typed
    more than the paragraph had, nearest where the reference stood. Anything else stays
    words (a reference deleted with its words is an edit), and the guard names the
    reference lost where its paragraph gained the label as typed words."""
    if step.kind != "changed" or step.item is None or step.edited is None:
        return step
    lost = Counter(_reference_keys(step.item.block))
    lost.subtract(_reference_keys(step.edited.block))
    wanted = {key: count for key, count in lost.items() if count > 0}
    if not wanted:
        return step
    block = xref.retyped([step.edited.block], wanted, table, [step.item.block])[0]
    if block == step.edited.block:
        return step
    edited = msgspec.structs.replace(step.edited, block=block)
    # retyped word for word: no change at all
    same = signature([block]) == step.item.sig
    return Step("same" if same else "changed", step.item, edited)


def _file_name(problem: Problem) -> str:
    """The source file a finding of check is in, by name (check read a scratch copy)."""
    return "recommendations.yaml" if Path(problem.file).name == "recommendations.yaml" \
        else "brief.md"


def _placed_headings(outcome: Outcome, review: Review, before: Brief, after: Brief) -> None:
    """Each heading whose level the import changes said with where its section now stands
    in the outline (a subsection of which section; which sections it gained or lost as its
    own), so that a chapter made a subsection, or a subsection a chapter, shows at a
    glance; and a notice for a level no tracked change of the Word file changed (a
    paragraph style LibreOffice did not track, or one it gave a heading when the paragraphs
    before it were deleted)."""
    parents = {child.id: section for section in after.walk() for child in section.children}
    for change in outcome.changes:
        if change.levels is None or change.section is None:
            continue
        now, was = after.section(change.section), before.section(change.section)
        if now is None or was is None:
            continue
        parent = parents.get(now.id)
        placed = [f"now a subsection of {parent.title!r}" if parent is not None
                  else "now a top-level section"]
        kept = {s.id for s in after.walk()}
        under_before = [c for c in was.children if c.id in kept]
        under_now = {c.id for c in now.children}
        gained = [c.title for c in now.children if c.id not in {s.id for s in was.children}]
        lost = [c.title for c in under_before if c.id not in under_now]
        if gained:
            placed.append(f"with {_titles(gained)} now under it")
        if lost:
            placed.append(f"{_titles(lost)} no longer under it")
        change.what = f"{change.what}: {'; '.join(placed)}"
        tracked = any(r.kind == "formatting changed" and r.section.endswith(f"(#{now.id})")
                      for r in review.revisions)
        if not tracked:
            outcome.notices.append(
                f"the level of heading {now.title!r} (#{now.id}) changed from "
                f"{change.levels[0]} to {change.levels[1]} with no tracked change (LibreOffice "
                "tracks no change of paragraph style, and deleting the paragraphs before a "
                "heading can give it the style of the first one deleted): check that the new "
                "level was meant")


def _titles(titles: list[str]) -> str:
    """Section titles as a message lists them."""
    quoted = [repr(title) for title in titles]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _reference_keys(block: blocks.Block) -> list[str]:
    """The keys of the cross-references in ``block`` as the Word edition holds them."""
    return [key for node in blocks.walk(block) if (key := xref.key_of(node)) is not None]


def _base_brief(docx: Path, package: Package, revision: str, current: Brief,
                scratch: Path) -> Brief:
    """The source the .docx was made from: carried in the file, or the current one."""
    if current.revision == revision:
        return current
    files = embedded_source(package)
    if files is not None:
        try:
            base = _read_texts(current, files["brief.md"], files["recommendations.yaml"],
                               scratch / "base")
        except BriefError as exc:  # read in a temporary copy of the project: named as the
            # user's files (the .docx, the brief's folder), never as that copy
            raise BriefError([_unreadable_base(docx, package, revision, current, p,
                                               scratch / "base") for p in exc.problems]
                             ) from None
        if base.revision == revision:
            return base
    made_for = _made_for(package, current)
    if made_for is not None:
        raise BriefError(Problem(docx, None, f"the .docx is the Word edition of brief "
                                 f"{made_for!r}, not of {current.slug!r}, and it carries no "
                                 "copy of its source to compare the two with",
                                 f"import it into its own brief (briefpress import "
                                 f"{display_path(docx)} --brief {made_for})"))
    raise BriefError(Problem(docx, None, f"the .docx was made from revision {revision} of "
                             f"{current.slug!r}, which has changed since, and the file no "
                             "longer carries a copy of that revision to merge against",
                             "build the .docx again from the current source and redo the "
                             "edits in it"))


def _made_for(package: Package, current: Brief) -> str | None:
    """The brief a .docx is the Word edition of, when that is not ``current`` (the file
    imported into another brief with ``--brief``: a brief renamed, or the wrong one)."""
    made_for = custom_properties(package).get(PROP_SLUG, "")
    return made_for if made_for and made_for != current.slug else None


def _refuse_another_briefs(docx: Path, package: Package, current: Brief,
                           moved: Problem | None) -> None:
    """Refuse the Word edition of another brief that brings no change: merged into
    ``current`` (whose text differs from the file's source) it changes nothing, which
    would read as "no changes" when the file given is the wrong one."""
    made_for = _made_for(package, current)
    if made_for is None:
        return
    whose = Problem(docx, None, f"the .docx is the Word edition of brief {made_for!r}, not of "
                    f"{current.slug!r}, and holds no edit to its own source",
                    f"import it into its own brief (briefpress import {display_path(docx)} "
                    f"--brief {made_for}); if {current.slug!r} is that brief renamed, there "
                    "is nothing to import")
    raise BriefError([whose] if moved is None else [moved, whose])


def _with_whose(exc: BriefError, docx: Path, package: Package, current: Brief) -> BriefError:
    """``exc``, a refused import, opening with whose Word edition the .docx is when it is
    another brief's: then what follows compares two briefs, not an edit with its source."""
    made_for = _made_for(package, current)
    if made_for is None:
        return exc
    return BriefError([Problem(
        docx, None, f"the .docx is the Word edition of brief {made_for!r}, not of "
        f"{current.slug!r}, so the import compares two briefs",
        f"import it into its own brief (briefpress import {display_path(docx)} --brief "
        f"{made_for}); if {current.slug!r} is that brief renamed, mend what follows"),
        *exc.problems])


def _unreadable_base(docx: Path, package: Package, revision: str, current: Brief,
                     problem: Problem, copy: Path) -> Problem:
    """A problem of reading the source a .docx carries (its base revision, read in ``copy``,
    a temporary copy of the project): about the .docx when it lies in the carried
    brief.md or recommendations.yaml, else about the project's own file it is a copy of
    (its briefpress.yaml, a brand, the bibliography beside brief.md). When the file is the
    Word edition of another brief, as ``--brief`` can make it, the fix says so first."""
    made_for = _made_for(package, current)
    carried = f"the copy of its source that the .docx carries (revision {revision})"
    if made_for is not None:
        opening = (f"the .docx is the Word edition of brief {made_for!r}, imported into "
                   f"{current.slug!r}; {carried} cannot be read beside "
                   f"{display_path(current.folder)}'s files")
        fix = (f"import it into its own brief (briefpress import {display_path(docx)} --brief "
               f"{made_for}); if it does belong to {current.slug!r}: {problem.fix}"
               if problem.fix else f"import it into its own brief (briefpress import "
               f"{display_path(docx)} --brief {made_for})")
    else:
        opening = f"{carried} cannot be read beside the brief's files as they are now"
        rebuild = "or build the .docx again from the current source and redo the edits in it"
        fix = f"{problem.fix}; {rebuild}" if problem.fix else rebuild
    file: Path | str = problem.file
    where = ""
    try:
        inner = Path(problem.file).relative_to(copy)
    except ValueError:
        inner = None
    if inner is not None and inner.parts[:2] == ("content", current.slug):
        name = inner.relative_to(Path("content", current.slug))
        if str(name) in ("brief.md", "recommendations.yaml"):
            file = docx
            where = (f"line {problem.line} of its {name}" if problem.line else f"its {name}")
        else:
            file = current.folder / name
    elif inner is not None:
        file = config_path(current.folder).parent / inner
    if file == docx:
        return Problem(docx, None, f"{opening}: {where}: {problem.message}", fix,
                       problem.severity)
    return Problem(file, problem.line, f"{opening}: {problem.message}", fix, problem.severity)


def _copy_limit() -> int:
    """The most a copied project file may hold: the largest any reader of it reads (a brand's
    font; the sources, a logo and a style are read up to SOURCE_BYTES)."""
    return max(limits.SOURCE_BYTES.value(), FONT_BYTES)


def copy_project(project: Path, root: Path, every_brand: bool = False) -> None:
    """Copy into ``root`` what a read of a brief of ``project`` reads there besides the
    brief's own folder: its briefpress.yaml and what that names (brands, its citation style),
    and with ``every_brand`` every brand of brands/ (for texts that may name any). Copies,
    never links, each file bounded (:func:`copy_tree`): nothing written under ``root`` can
    reach the project, and no FIFO or huge file can stall the copy. A configuration with a
    mistake is copied alone and its BriefError raised (a read of the copy reports it)."""
    limit = _copy_limit()
    names: list[Path] = []
    if (project / CONFIG_NAME).is_file():
        copy_regular(project / CONFIG_NAME, root / CONFIG_NAME, limit)
        names = named_files(project / CONFIG_NAME)
    if every_brand and (project / BRANDS).is_dir():
        # each brand on its own: a brand's folder may be a link to one shared by projects
        names += [Path(BRANDS, entry.name) for entry in sorted(
            (project / BRANDS).iterdir()) if entry.is_dir()]
    for named in dict.fromkeys(names):
        if (project / named).is_dir():
            copy_tree(project / named, root / named, limit)
        else:
            (root / named).parent.mkdir(parents=True, exist_ok=True)
            copy_regular(project / named, root / named, limit)


def _read_texts(like: Brief, markdown: str, recommendations: str, folder: Path) -> Brief:
    """A Brief from texts (a base revision, or the result of an import), for ``like``'s
    slug, in a copy of its project: its briefpress.yaml, what that names (a citation style,
    brands) and every brand, which the texts may name, beside them."""
    target = folder / "content" / like.slug
    target.mkdir(parents=True, exist_ok=True)
    copy_project(config_path(like.folder).parent, folder, every_brand=True)
    (target / "brief.md").write_text(markdown, encoding="utf-8")
    (target / "recommendations.yaml").write_text(recommendations, encoding="utf-8")
    if like.citations is not None:  # the texts' bibliography and style are the brief's own
        for used in (like.citations.bibliography, like.citations.csl):
            if used.is_relative_to(like.folder.resolve()):
                copy = target / used.relative_to(like.folder.resolve())
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy_regular(used, copy, _copy_limit())
    brief = read_brief(target)
    brief.folder = like.folder
    return brief


def _conflict_problems(current: Brief, base: Brief, markdown: list[Conflict],
                       recommendations: list[Conflict]) -> list[Problem]:
    problems = []
    for conflict in markdown:
        section = _section_at(base, conflict.base_start + 1)
        problems.append(Problem(
            current.markdown_path, conflict.ours_start + 1,
            f"conflict in {section}: this was changed in brief.md and in the Word file since "
            f"the file was made; brief.md now reads {_excerpt(conflict.ours, conflict.base)!r}"
            f", the Word file reads {_excerpt(conflict.theirs, conflict.base)!r}",
            "make the edit in one place: copy the Word file's wording into brief.md (or "
            "rebuild the .docx and redo the edit there), then import again"))
    for conflict in recommendations:
        problems.append(Problem(
            current.recommendations_path, conflict.ours_start + 1,
            "conflict: this recommendation was changed in recommendations.yaml and in the "
            f"Word file; the file now reads {_excerpt(conflict.ours, conflict.base)!r}, the "
            f"Word file reads {_excerpt(conflict.theirs, conflict.base)!r}",
            "make the edit in one place, then import again"))
    return problems


def _section_at(brief: Brief, line: int) -> str:
    found = None
    for section in brief.walk():
        if section.line is not None and section.line <= line:
            found = section
    return f"section {found.title!r} (#{found.id})" if found else "the front matter"


def _excerpt(lines: list[str], base: list[str], words: int = 10) -> str:
    """The words of one side's ``lines`` where they start to differ from the ``base`` they
    were edited from, a few before: each side's excerpt shows that side's own change (the
    point where the two sides first differ may be the other side's change alone)."""
    mine, theirs = " ".join(lines).split(), " ".join(base).split()
    first = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b),
                 min(len(mine), len(theirs)))
    start = max(first - 3, 0)
    shown = " ".join(mine[start:start + words])
    return ("…" if start else "") + shown + ("…" if start + words < len(mine) else "")


def _write(result: ImportResult, build_dir: Path) -> None:
    """Back up the sources, write the new ones atomically, then the review report.

    Each source keeps its own form: a file with Windows line endings (CRLF) or a byte-order
    mark keeps them, and a file the import does not change is not written. The backup holds
    the bytes the import replaced, and the bytes it wrote, so that ``--undo`` gives back
    exactly the files there were. A write the machine refuses (a locked or read-only folder,
    a full disk) puts back what was already written and the previous import's backup: a
    failed import leaves no trace. The backup and the review report are kept outside the
    build folder (:mod:`briefpress.support.backup`), which is published; an earlier version's
    backup there was moved beside them, under the same lock, before the import began.
    """
    backup = backup_dir(result.folder)
    before = {name: _raw(result.folder / name) for name in SOURCES}
    texts = {"brief.md": (result.markdown_before, result.markdown_after),
             "recommendations.yaml": (result.recommendations_before,
                                      result.recommendations_after)}
    new = {name: _in_style_of(texts[name][1], before[name])
           for name in SOURCES if texts[name][1] != texts[name][0]}
    media = media_bytes(result)
    previous = backup.with_name(f".{backup.name}.{os.getpid()}.old")
    # the project's folder, not the build folder: another folder is no way out
    with writing(backup.parent, BACKUP_FIX, ""):
        backup.parent.mkdir(parents=True, exist_ok=True)
        for stale in backup.parent.glob(f".{backup.name}.*.old"):  # a run killed half-way
            shutil.rmtree(stale, ignore_errors=True)
        if backup.exists():  # kept until this import has written the sources
            os.replace(backup, previous)
        try:
            _save_backup(backup, result, before, new, media)
        except OSError:  # the build folder refused it: the previous backup stays the one
            _drop_backup(backup, previous)
            raise
    done: list[str] = []
    try:
        for name, data in [*media.items(), *new.items()]:
            atomic_write_bytes(result.folder / name, data)
            done.append(name)
    except OSError as exc:
        if exc.errno not in ENVIRONMENT_ERRNOS:
            raise
        failed = next(name for name in [*media, *new] if name not in done)
        undone = _put_back(result.folder, done, before)
        if undone:  # nothing was imported: no backup of it, the previous one back
            _drop_backup(backup, previous)
        raise BriefError(_source_fault(
            result.folder / failed, exc, "import again",
            "nothing was imported" if undone else "the import is half written; "
            "briefpress import --undo puts back the sources as they were")) from None
    shutil.rmtree(previous, ignore_errors=True)
    # an earlier undo's record no longer tells of the last import (it only words a message)
    with contextlib.suppress(OSError):
        undone_record(result.folder).unlink(missing_ok=True)
    result.written = True
    write_report(result, build_dir)


def write_report(result: ImportResult, build_dir: Path) -> None:
    """Write the review report of ``result`` to the project's ``.briefpress/reviews/<slug>.md``
    (:func:`~briefpress.support.backup.review_file`), never to the build folder: that one is
    published, and the report names the reviewers and holds their comments. The report an
    earlier version wrote to ``build/<slug>/review.md`` goes: this one replaces it."""
    result.report_path = review_file(result.folder)
    with writing(result.report_path.parent, REVIEW_FIX, ""):
        atomic_write_text(result.report_path, result.report())
    with writing(build_dir / result.slug):
        (build_dir / result.slug / LEGACY_REVIEW).unlink(missing_ok=True)


def _save_backup(backup: Path, result: ImportResult, before: dict[str, bytes | None],
                 new: dict[str, bytes], media: dict[str, bytes]) -> None:
    """Keep in ``backup`` the sources' bytes ``before`` the import, and in its import.json
    the brief's folder and what the import writes (``new`` sources, ``media`` added)."""
    backup.mkdir(parents=True)
    for name, data in before.items():
        if data is not None:  # a source that was not there is not there after --undo
            (backup / name).write_bytes(data)
    imported = {name: new.get(name, before[name] or b"") for name in SOURCES}
    (backup / "import.json").write_bytes(_encode_record(ImportRecord(
        docx=str(result.docx), brief=str(result.folder),
        imported={name: data.decode("utf-8", errors="replace")
                  for name, data in imported.items()},
        added_files=sorted(media))))


def _drop_backup(backup: Path, previous: Path) -> None:
    """The backup of an import that did not happen removed, the previous one back."""
    shutil.rmtree(backup, ignore_errors=True)
    if previous.exists():
        os.replace(previous, backup)


def _raw(path: Path) -> bytes | None:
    """The bytes of the source file ``path``; None when there is none."""
    try:
        return read_regular(path, limits.SOURCE_BYTES.value(),
                            "move it out of the way: briefpress keeps the brief's text in "
                            "a file of that name")
    except FileNotFoundError:
        return None


def _in_style_of(text: str, original: bytes | None) -> bytes:
    """``text``, the new content of a source that held ``original``, in that file's form: its
    byte-order mark if it had one, and the line ending most of its lines had (CRLF or LF)
    on each line the import wrote; the lines it kept keep theirs."""
    if original is None:
        return text.encode("utf-8")
    bom = original.startswith(codecs.BOM_UTF8)
    old = original.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
    crlf = old.count("\r\n")
    if crlf > old.count("\n") - crlf:
        # the import keeps a line it does not change as it was, its CR with it: a line that
        # ends in a bare LF is one it wrote, unless the file had that line so (a mixed file)
        kept = Counter(line for line in _lines(old) if not line.endswith("\r\n"))
        lines = _lines(text)
        for at, line in enumerate(lines):
            if line.endswith("\n") and not line.endswith("\r\n"):
                if kept[line] > 0:
                    kept[line] -= 1
                else:
                    lines[at] = line[:-1] + "\r\n"
        text = "".join(lines)
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


def _lines(text: str) -> list[str]:
    """``text`` cut after each LF (only there: a form feed or a U+2028 ends no line here)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _put_back(folder: Path, names: list[str], before: dict[str, bytes | None]) -> bool:
    """Give the files ``names`` of ``folder`` their bytes of ``before`` again (no file where
    there was none); whether that worked."""
    try:
        for name in names:
            _put_back_one(folder / name, before.get(name))
    except OSError:
        return False
    return True


def _source_fault(path: Path, exc: OSError, again: str, state: str) -> Problem:
    """A write of the brief's source ``path`` refused by the machine, with the way out."""
    folder = display_path(path.parent)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = f"free some disk space, then {again}"
    elif exc.errno == errno.EROFS:
        fix = (f"{folder} is on a read-only disk: mount it writable, or copy the project to a "
               f"writable place, then {again} there")
    elif exc.errno in (errno.EPERM, errno.EACCES):
        fix = (f"make {folder} and its files writable (chmod u+w; a locked or immutable "
               f"folder: unlock it, chattr -i), then {again}")
    else:
        fix = f"make {display_path(path)} a file that can be written, then {again}"
    return Problem(path, None, f"cannot write: {exc.strerror or exc}; {state}", fix)


def media_bytes(result: ImportResult) -> dict[str, bytes]:
    """The images the editor added, taken from the .docx (pandoc names them by relationship)."""
    if not result.outcome.media:
        return {}
    package = open_docx(result.docx)
    rels = package.xml(package.main.rsplit("/", 1)[0] + "/_rels/" +
                       package.main.rsplit("/", 1)[1] + ".rels")
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels} if rels is not None else {}
    found: dict[str, bytes] = {}
    with zipfile.ZipFile(result.docx) as archive:
        names = set(archive.namelist())
        for source, name in result.outcome.media.items():
            # pandoc names an image by its relationship (media/rId9.png) or its part
            target = targets.get(Path(source).stem) or source
            part = target.lstrip("/") if target.startswith("/") else "word/" + target
            if part in names and ".." not in part:
                found[name] = read_entry(archive, archive.getinfo(part))
    return found


def undo_import(brief: str | None = None, build_dir: Path | None = None,
                force: bool = False) -> Path:
    """Put back the sources the last import replaced, byte for byte; return the brief's folder.

    A source that is as it was before the import is left alone (one the import did not
    change, or a failed import's). One changed since the import is refused unless ``force``;
    one that is no longer a file (a folder in its place) is refused even then.
    """
    build_dir = build_dir or paths.build_dir()
    slug, backup = _backup_to_undo(brief, build_dir)
    record = backup / "import.json"
    data = msgspec.json.decode(record.read_bytes(), type=ImportRecord)
    folder = Path(data.brief)
    with brief_lock(build_dir, slug):
        restore: dict[str, bytes | None] = {}
        problems: list[Problem] = []
        for name in SOURCES:  # the record's names are these two, never a path to follow
            imported = data.imported.get(name, "")
            try:
                now = _raw(folder / name)
            except BriefError as exc:
                problems += [Problem(p.file, p.line, p.message, f"{p.fix}, then undo again")
                             for p in exc.problems]
                continue
            was = _raw(backup / name)
            if now == was:
                continue
            if now != imported.encode("utf-8") and not force:
                problems.append(Problem(
                    folder / name, None, "deleted since the import" if now is None else
                    "changed since the import; undoing it would lose those changes",
                    "undo with --force to restore the file as it was before the import "
                    "anyway"))
            restore[name] = was
        if problems:
            raise BriefError(problems)
        names = [name for name in SOURCES if name in restore]
        written: list[str] = []
        try:
            for name in names:
                _put_back_one(folder / name, restore[name])
                written.append(name)
            for name in data.added_files:
                if (folder / name).is_file():
                    (folder / name).unlink()
        except OSError as exc:
            if exc.errno not in ENVIRONMENT_ERRNOS:
                raise
            failed = next((n for n in names if n not in written), None)
            state = (f"the import is undone in {', '.join(written)} only" if written
                     else "nothing was undone")
            raise BriefError(_source_fault(folder / failed if failed else folder, exc,
                                           "undo again", f"{state}; its backup is kept")
                             ) from None
        with writing(backup, BACKUP_FIX, ""):
            shutil.rmtree(backup)
        # what a second --undo says: the import was undone already (the project's
        # .briefpress/, even for a backup an earlier version left in the build folder)
        record = undone_record(folder)
        with writing(record.parent, BACKUP_FIX, ""):
            record.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(record, _encode_record(UndoneRecord(docx=data.docx,
                                                                   brief=str(folder))))
    return folder


def _backup_to_undo(brief: str | None, build_dir: Path) -> tuple[str, Path]:
    """The slug of the brief whose import to undo (``brief``, else the one brief with a
    backup in the project or the build folder) and the folder of its backup: the project's
    (``.briefpress/imports/<slug>``), else one an earlier version left in
    ``build/<slug>/.import-backup``."""
    project = paths.content_dir().parent / IMPORTS
    if brief is None:
        # not the dot-folders an import killed half-way left (``.<slug>.<pid>.old``)
        found = [record.parent.name for record in sorted(project.glob("*/import.json"))
                 if not record.parent.name.startswith(".")]
        found += [record.parent.parent.name
                  for record in sorted(build_dir.glob(f"*/{LEGACY}/import.json"))]
        slugs = list(dict.fromkeys(found))
        if not slugs:
            undone = sorted(project.glob(f"*{UNDONE}"))
            if undone:
                raise BriefError(_undone_already(project, undone))
            raise BriefError(Problem(
                project, None, "no import to undo",
                "an import keeps what it replaced until it is undone or the brief is "
                "imported again; to undo an import in another project, run it in that "
                "project's folder (where content/ is), or name the brief by its folder: "
                "briefpress import --undo --brief path/to/content/SLUG"))
        if len(slugs) != 1:
            raise BriefError(Problem(
                project, None,
                f"more than one brief has an import to undo: {', '.join(slugs)}",
                "name the brief: briefpress import --undo --brief SLUG"))
        brief = slugs[0]
    slug = Path(brief).name
    places = [project / slug, legacy_backup(build_dir, slug)]
    try:
        places.insert(0, backup_dir(find_brief(brief)))
    except BriefError:  # a folder that is no brief any more (its brief.md deleted, say)
        if Path(brief).is_dir():
            places.insert(0, backup_dir(Path(brief)))
    for place in places:
        if (place / "import.json").is_file():
            return slug, place
    record = places[0].with_name(f"{slug}{UNDONE}")
    if record.is_file():
        raise BriefError(_undone_already(places[0], [record], slug))
    raise BriefError(Problem(places[0], None, f"no import of {slug!r} to undo",
                             "an import keeps what it replaced until the next import of "
                             "the brief, or until it is undone; run it in the project's "
                             "folder (where content/ is), or name the brief by its folder: "
                             "--brief path/to/content/SLUG"))


def _undone_already(where: Path, records: list[Path], slug: str | None = None) -> Problem:
    """The refusal of an undo whose import(s) an undo undid already: ``records`` are their
    :func:`~briefpress.support.backup.undone_record`; ``slug``, the brief named."""
    docx = ""
    if len(records) == 1:
        try:
            docx = msgspec.json.decode(records[0].read_bytes(), type=UndoneRecord).docx
        except (OSError, ValueError):  # a record mangled by hand (msgspec's errors): no name
            docx = ""
    names = [record.name.removesuffix(UNDONE) for record in records]
    if slug is not None:
        message = (f"no import of {slug!r} to undo: its last import"
                   f"{f' (of {Path(docx).name})' if docx else ''} was undone already")
    elif len(names) == 1:
        message = f"no import to undo: the last import of {names[0]!r} was undone already"
    else:
        message = ("no import to undo: the last imports of "
                   f"{', '.join(repr(name) for name in names)} were undone already")
    again = (f"briefpress import {display_path(docx)} --brief {names[0]}" if docx
             else "briefpress import EDITED.docx --brief SLUG")
    return Problem(where, None, message,
                   f"nothing to do; to import {'that file' if docx else 'a file'} again: "
                   f"{again}")


def _put_back_one(path: Path, data: bytes | None) -> None:
    """``path`` holding ``data`` again, or gone if ``data`` is None."""
    if data is None:
        path.unlink(missing_ok=True)
    else:
        atomic_write_bytes(path, data)
