"""Turn any edition of a brief (source folder, PDF, DOCX, HTML) into its outline."""

from __future__ import annotations

import json
from pathlib import Path

from msgspec.structs import asdict

from briefpress.errors import BriefError, Problem, display_path
from briefpress.model.brief import OutlineEntry
from briefpress.read.brief import read_brief
from briefpress.render import FORMATS, format_for_file
from briefpress.support.paths import build_dir


def read_outline(path: str | Path) -> list[OutlineEntry]:
    """The outline of a source folder (or slug) or of a built PDF, DOCX or HTML file."""
    candidate = Path(path)
    if not candidate.exists() and format_for_file(candidate) is not None:
        # an edition's name, not a slug: "no brief named 'x.pdf'" would send the reader
        # looking in content/ for a brief they never meant
        raise BriefError(Problem(candidate, None, "no such file",
                                 "check the path: a brief's editions are in "
                                 f"{display_path(build_dir())}/<slug>/ once `briefpress "
                                 "build` made them; or give a brief's slug or folder"))
    if candidate.is_file() and candidate.name != "brief.md":
        fmt = format_for_file(candidate)
        if fmt is None:
            raise BriefError(Problem(candidate, None, "not a brief or a briefpress output",
                                     f"give a brief folder, or {_suffixes()} file"))
        return fmt.load().read_outline(candidate)
    return read_brief(path).outline()


def format_outline(entries: list[OutlineEntry], as_json: bool = False) -> str:
    """Outline as indented text (one entry a line) or as JSON."""
    if as_json:
        return json.dumps([asdict(entry) for entry in entries], indent=2, ensure_ascii=False)
    lines = []
    for entry in entries:
        indent = "  " * (entry.level - 1)
        label = entry.title if entry.kind != "recommendation" else "recommendation"
        lines.append(f"{indent}{label}  #{entry.id}" if entry.id else f"{indent}{label}")
    return "\n".join(lines)


def _suffixes() -> str:
    """The suffixes of the editions' files, as a phrase: "a .pdf, .docx or .html"."""
    names = list(dict.fromkeys(fmt.suffix for fmt in FORMATS.values()))
    return "a " + (names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}")
