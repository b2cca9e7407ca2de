"""Keep pandoc's parse of the revision a Word file was made from, for the file's import.

``briefpress import`` compares the edited Word file with the revision it was made
from, and for that needs pandoc's parse of that revision's Markdown: the very parse
the build of the Word file made. The DOCX renderer records it here, under
``build/.cache/parses/`` (or ``BRIEFPRESS_CACHE``), named by what the parse depends on
(this pandoc binary, the Markdown dialect and the text pandoc read: ``pandoc.parse_key``);
the import uses a record only if that name matches, and otherwise parses the source
itself. Builds always parse: a record only ever saves an import a pandoc run.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from briefpress import pandoc
from briefpress.render import fontcache

if TYPE_CHECKING:
    from briefpress.model.brief import Brief

KEEP = 64
"""Records kept: the newest, by when they were written (a record is some 200 kB)."""


def folder() -> Path:
    return fontcache.cache_dir("parses")


def record(brief: Brief) -> None:
    """Keep the parse ``brief`` was read from, if its reader kept pandoc's output."""
    parsed = brief.parsed
    if parsed is None or not parsed.text:
        return
    path = folder() / f"{pandoc.parse_key(brief.pandoc_input)}.json"
    warnings = json.dumps([[w.message, w.line] for w in parsed.warnings])
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # no fsync, unlike the sources: a record lost to a crash costs one pandoc run
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"{warnings}\n{parsed.text}")
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        _prune(path.parent)
    except OSError:  # a cache that cannot be written costs the import a pandoc run
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def recorded(text: str) -> pandoc.Parsed | None:
    """The recorded parse of ``text`` (the Markdown pandoc reads: ``Brief.pandoc_input``),
    without the HTML of its parts, or None."""
    path = folder() / f"{pandoc.parse_key(text)}.json"
    try:
        warnings, output = path.read_text(encoding="utf-8").split("\n", 1)
        ast = json.loads(output)
        for name in [n for n in ast["meta"] if n.startswith("briefpress-html-")]:
            del ast["meta"][name]
        found = [pandoc.Warning(message, line) for message, line in json.loads(warnings)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return pandoc.Parsed(ast, {}, found, output)


def _prune(where: Path) -> None:
    records = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    for old in records[:-KEEP]:
        old.unlink(missing_ok=True)
