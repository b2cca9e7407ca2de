"""Turn bytes into a file that a reader sees old or new, never half-written (a rename)."""

from __future__ import annotations

import os
from pathlib import Path

from briefpress.support.files import clear_dead_temporaries, temporary_file


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A killed writer's temporary file is cleared by the next write to the folder. An
    environment fault (a full or read-only disk) raises OSError; callers that know what
    the file is for turn it into a message (:func:`briefpress.support.files.writing`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    clear_dead_temporaries(path.parent)
    fd, tmp = temporary_file(path)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))
