"""Turn a brief's project and slug into where an import keeps its backup and its report.

The backup: the sources it replaced, for ``import --undo``; the report: its review report.

``briefpress import`` keeps the bytes of the sources it replaced (and those it wrote) in
``.briefpress/imports/<slug>/`` of the brief's project (the folder that holds
``content/``), so that ``briefpress import --undo`` can put them back. Never under the
build folder: that folder is what a publisher copies to a web server, and the backup
holds the imported text, drafts and local paths.

The backup lives until the next import of the brief replaces it or ``--undo`` uses it; an
undo leaves ``<slug>.undone.json`` beside the backups (:func:`undone_record`), so that a
second ``--undo`` says the import was undone already.
A build does not end it: the preview (``briefpress serve``) rebuilds within a second of
every import, so a backup ended by a build would be gone before anyone could undo. An
undo long after the import is safe all the same: it refuses (unless ``--force``) when a
source changed since the import.

The review report (the reviewers' names, comments and tracked changes) goes beside the
backups, to ``.briefpress/reviews/<slug>.md`` (:func:`review_file`): out of the published
build folder too, and out of the backup's folder, so that an undo, which removes the
backup, leaves the review of the import it undid to read. The next import of the brief
replaces it.

Imports of earlier versions kept the backup in ``build/<slug>/.import-backup/``
(:data:`LEGACY`) and wrote the report to ``build/<slug>/review.md`` (:data:`LEGACY_REVIEW`),
in the published folder. The next build or import of the brief moves them, under the
brief's lock, to their places in ``.briefpress/`` (:func:`move_legacy`), and says so in one
line; one whose place there is taken already (by a later import's) is stale and is removed.
``--undo`` finds a backup in either place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from briefpress.errors import BriefError, Problem, display_path
from briefpress.support import paths
from briefpress.support.files import fault_fix

IMPORTS = Path(".briefpress") / "imports"
"""Folder of the project (beside ``content/``) that holds one backup folder per brief."""

REVIEWS = Path(".briefpress") / "reviews"
"""Folder of the project (beside ``content/``) that holds one review report per brief."""

LEGACY = ".import-backup"
"""Folder under ``build/<slug>/`` where imports of earlier versions kept the backup."""

LEGACY_REVIEW = "review.md"
"""File under ``build/<slug>/`` where imports of earlier versions wrote the review report."""


def project_of(folder: Path) -> Path:
    """The project of the brief in ``folder``: the folder that holds its ``content/``
    (:func:`briefpress.support.paths.project_of`), or, for a brief outside any ``content/``
    folder, the folder beside it."""
    return paths.project_of(folder) or Path(os.path.abspath(folder)).parent


def backup_dir(folder: Path) -> Path:
    """Where an import of the brief in ``folder`` keeps what it replaced."""
    return project_of(folder) / IMPORTS / folder.name


UNDONE = ".undone.json"
"""The end of the name of the record an undo leaves beside the backups (:func:`undone_record`)."""


def undone_record(folder: Path) -> Path:
    """Where ``--undo`` records that it undid the last import of the brief in ``folder``
    (``.briefpress/imports/<slug>.undone.json``, with the .docx imported), so that a second
    undo can say so; the next import of the brief removes it."""
    return project_of(folder) / IMPORTS / f"{folder.name}{UNDONE}"


def legacy_backup(build_dir: Path, slug: str) -> Path:
    """Where an import of an earlier version kept the backup of the brief ``slug``."""
    return build_dir / slug / LEGACY


def legacy_left(build_dir: Path, slug: str) -> bool:
    """Whether an import of an earlier version left its backup or its review report in the
    build folder of the brief ``slug`` (for :func:`move_legacy` to move): two looks, no
    lock, for a build that finds every edition up to date."""
    out = build_dir / slug
    return _is(out / LEGACY, stat.S_ISDIR) or _is(out / LEGACY_REVIEW, stat.S_ISREG)


def review_file(folder: Path) -> Path:
    """Where an import of the brief in ``folder`` writes its review report."""
    return project_of(folder) / REVIEWS / f"{folder.name}.md"


MOVE_FIX = ("make the project's .briefpress/ folder and the build folder writable, then run "
            "the command again; nothing was lost")
"""The way out of a legacy backup or review report that could not be moved."""


def move_legacy(folder: Path, build_dir: Path) -> Problem | None:
    """Move what an import of an earlier version left in the brief's published build
    folder (``build/<slug>/``: its backup, :data:`LEGACY`, and its review report,
    :data:`LEGACY_REVIEW`) to where imports keep them now (:func:`backup_dir`,
    :func:`review_file`), or remove it when its place there holds a later import's already.

    The caller holds the brief's lock. Each move is a rename (a copy, then the original's
    removal, from one disk to another), so that the backup is in one place or the other,
    whole, whatever happens. Return the one line that says what was done (None: nothing
    was there); raise BriefError when the machine refused, with nothing lost.
    """
    out = build_dir / folder.name
    done: list[str] = []
    backup = out / LEGACY
    if _is(backup, stat.S_ISDIR):
        target = backup_dir(folder)
        if (target / "import.json").is_file():
            _remove(backup)
            done.append(f"removed the import backup an earlier briefpress left in "
                        f"{display_path(backup)} (a later import's is in "
                        f"{display_path(target)})")
        else:
            _move(backup, target)
            done.append(f"moved the import backup an earlier briefpress left in "
                        f"{display_path(backup)} to {display_path(target)} (`briefpress import "
                        f"--undo` undoes that import from there)")
    review = out / LEGACY_REVIEW
    if _is(review, stat.S_ISREG):
        target = review_file(folder)
        if target.exists():
            _remove(review)
            done.append(f"removed the review report an earlier briefpress left in "
                        f"{display_path(review)} (a later import's is "
                        f"{display_path(target)})")
        else:
            _move(review, target)
            done.append(f"moved the review report an earlier briefpress left in "
                        f"{display_path(review)} to {display_path(target)}")
    if not done:
        return None
    return Problem(out, None, "; ".join(done),
                   "if this build folder was published since, take them off the published "
                   "copy too", severity="warning")


def _is(path: Path, kind: Callable[[int], bool]) -> bool:
    """Whether ``path`` itself (not a link's target) is of ``kind`` (``stat.S_ISDIR``...):
    an earlier briefpress wrote a folder and a file there, never a link."""
    try:
        return kind(os.lstat(path).st_mode)
    except OSError:
        return False


def _move(source: Path, target: Path) -> None:
    """``source`` (a file or a folder) renamed to ``target``, which is not there; across
    disks, copied beside ``target`` first, renamed into place, and only then removed."""
    staging = target.with_name(f".{target.name}.{os.getpid()}.moving")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if _is(target, stat.S_ISDIR):
            # a backup folder without its import.json (a killed import's): nothing to undo
            shutil.rmtree(target)
        try:
            os.rename(source, target)
            return
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
        if source.is_dir():
            shutil.copytree(source, staging, symlinks=True)
        else:
            shutil.copy2(source, staging)
        os.rename(staging, target)
    except OSError as exc:
        _remove_quietly(staging)
        raise _refused(source, f"cannot move {display_path(source)} to "
                       f"{display_path(target)}", exc) from None
    _remove(source, f"copied {display_path(source)} to {display_path(target)}, but cannot "
            "remove it")


def _remove(path: Path, what: str = "") -> None:
    """``path`` (a file or a folder) removed, or a message."""
    try:
        if _is(path, stat.S_ISDIR):
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError as exc:
        raise _refused(path, what or f"cannot remove {display_path(path)}", exc) from None


def _remove_quietly(path: Path) -> None:
    """What a failed move left half-copied, removed if it can be (else the next move's)."""
    with contextlib.suppress(OSError):
        if _is(path, stat.S_ISDIR):
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _refused(path: Path, what: str, exc: OSError) -> BriefError:
    """A move or removal of ``path`` that the machine refused, as a message (exit 2)."""
    return BriefError(Problem(path, None, f"{what}: {exc.strerror or exc}",
                              fault_fix(exc.errno, MOVE_FIX)))
