"""Name the folder where an import keeps the sources it replaced, for ``import --undo``.

``briefpress import`` keeps the bytes of the sources it replaced (and those it wrote) in
``build/<slug>/.import-backup/`` so that ``briefpress import --undo`` can put them back.
The backup lives until the next import of the brief replaces it or ``--undo`` uses it.
A build does not end it: the preview (``briefpress serve``) rebuilds within a second of
every import, so a backup ended by a build would be gone before anyone could undo. An
undo long after the import is safe all the same: it refuses (unless ``--force``) when a
source changed since the import.
"""

from __future__ import annotations

BACKUP = ".import-backup"
"""Folder under ``build/<slug>/`` where an import keeps the sources it replaced."""
