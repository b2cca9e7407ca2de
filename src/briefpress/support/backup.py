"""Name the folder where an import keeps the sources it replaced, for ``import --undo``, and
the file of its review report.

``briefpress import`` keeps the bytes of the sources it replaced (and those it wrote) in
``.briefpress/imports/<slug>/`` of the brief's project (the folder that holds
``content/``), so that ``briefpress import --undo`` can put them back. Never under the
build folder: that folder is what a publisher copies to a web server, and the backup
holds the imported text, drafts and local paths.

The backup lives until the next import of the brief replaces it or ``--undo`` uses it.
A build does not end it: the preview (``briefpress serve``) rebuilds within a second of
every import, so a backup ended by a build would be gone before anyone could undo. An
undo long after the import is safe all the same: it refuses (unless ``--force``) when a
source changed since the import.

Imports of earlier versions kept it in ``build/<slug>/.import-backup/`` (:data:`LEGACY`):
``--undo`` still finds and uses such a backup, and the next import of the brief removes it.

The review report (the reviewers' names, comments and tracked changes) goes beside the
backups, to ``.briefpress/reviews/<slug>.md`` (:func:`review_file`): out of the published
build folder too, and out of the backup's folder, so that an undo, which removes the
backup, leaves the review of the import it undid to read. The next import of the brief
replaces it. Imports of earlier versions wrote it to ``build/<slug>/review.md``
(:data:`LEGACY_REVIEW`): the next import of the brief removes that one.
"""

from __future__ import annotations

from pathlib import Path

IMPORTS = Path(".briefpress") / "imports"
"""Folder of the project (beside ``content/``) that holds one backup folder per brief."""

REVIEWS = Path(".briefpress") / "reviews"
"""Folder of the project (beside ``content/``) that holds one review report per brief."""

LEGACY = ".import-backup"
"""Folder under ``build/<slug>/`` where imports of earlier versions kept the backup."""

LEGACY_REVIEW = "review.md"
"""File under ``build/<slug>/`` where imports of earlier versions wrote the review report."""


def project_of(folder: Path) -> Path:
    """The project of the brief in ``folder``: the folder that holds its ``content/``, or,
    for a brief outside any ``content/`` folder, the folder beside it."""
    folder = folder.absolute()
    return folder.parent.parent if folder.parent.name == "content" else folder.parent


def backup_dir(folder: Path) -> Path:
    """Where an import of the brief in ``folder`` keeps what it replaced."""
    return project_of(folder) / IMPORTS / folder.name


def legacy_backup(build_dir: Path, slug: str) -> Path:
    """Where an import of an earlier version kept the backup of the brief ``slug``."""
    return build_dir / slug / LEGACY


def review_file(folder: Path) -> Path:
    """Where an import of the brief in ``folder`` writes its review report."""
    return project_of(folder) / REVIEWS / f"{folder.name}.md"
