"""Turn a successful build of a brief into the end of its import backup.

``briefpress import`` keeps the sources it replaced in ``build/<slug>/.import-backup/``
so that ``briefpress import --undo`` can put them back. The backup lives until the
imported sources have built successfully: from then on the import is part of the
brief's history like any other edit, and the next import starts a new backup.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from briefpress.read.brief import is_current

if TYPE_CHECKING:
    from briefpress.model.brief import Brief

BACKUP = ".import-backup"
"""Folder under ``build/<slug>/`` where an import keeps the sources it replaced."""


def release_after_build(brief: Brief, build_dir: Path) -> bool:
    """Delete the import backup of ``brief`` if the sources on disk are the ones just built.

    Called under the brief's lock, after every edition rendered. If the sources changed
    between the build's reading them and its taking the lock (an import ran in between),
    the build made editions of the text from before that import, which is not "the
    imported sources built": the backup stays, and ``--undo`` still works.
    Returns whether a backup was deleted.
    """
    folder = build_dir / brief.slug
    for stale in folder.glob(f"{BACKUP}.*.old"):  # a release killed half-way
        shutil.rmtree(stale, ignore_errors=True)
    backup = folder / BACKUP
    if not backup.is_dir():
        return False
    if not is_current(brief):
        return False
    # rename first: a process killed while deleting leaves no half backup for --undo to trust
    doomed = folder / f"{BACKUP}.{os.getpid()}.old"
    os.replace(backup, doomed)
    shutil.rmtree(doomed, ignore_errors=True)
    return True
