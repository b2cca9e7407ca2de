"""Turn a Brief into the editors' Word file, and a Word file back into its outline.

One pandoc call writes the document from an AST assembled unit by unit
(:mod:`.docx_ast`) with a reference document generated from the design tokens
(:mod:`.docx_styles`); :mod:`.docx_package` then makes the file reproducible and
records the source revision it was made from, for ``briefpress import``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from .. import fontcache, pandoc
from ..model import Brief, OutlineEntry
from ..options import RenderOptions
from . import docx_styles as styles
from .docx_ast import brief_ast, brief_units
from .docx_package import finish, open_docx
from .docx_scan import body_blocks


def warm_up() -> None:
    """Find (or make) the reference document now: the pipeline calls this while pandoc
    parses the brief."""
    _reference(fontcache.cache_dir().parent)


@cache
def _reference(cache: Path) -> Path:
    return styles.reference_doc(cache)


def render(brief: Brief, out: Path, options: RenderOptions) -> None:
    """Write the Word edition of ``brief`` to ``out``."""
    # shared with the other formats' caches (BRIEFPRESS_CACHE or build/.cache): every key
    # is a content hash, so any build may reuse what another made
    cache = fontcache.cache_dir().parent
    reference = _reference(cache)
    if not reference.is_file():  # the cache was emptied since
        _reference.cache_clear()
        reference = _reference(cache)
    ast = brief_ast(brief, brief_units(brief))
    raw = out.with_name(f"{out.name}.{os.getpid()}.pandoc.docx")
    try:
        pandoc.write_file(json.dumps(ast), "docx", "json", str(raw),
                          ["--reference-doc", str(reference)], source=str(brief.markdown_path))
        data = finish(raw.read_bytes(), brief, options, cache)
    finally:
        raw.unlink(missing_ok=True)
    out.write_bytes(data)


def read_outline(path: Path) -> list[OutlineEntry]:
    """Sections (Heading styles), areas and recommendations (their styles) with their ids."""
    entries: list[OutlineEntry] = []
    level = 1
    heading_ids: set[str] = set()
    for block in body_blocks(open_docx(path)):
        if block.kind != "p":
            continue
        if block.heading_level is not None:
            ident = block.bookmarks[0] if block.bookmarks else ""
            level = block.heading_level
            heading_ids.add(ident)
            entries.append(OutlineEntry("section", level, ident, " ".join(block.text.split())))
        elif block.style in (styles.RECOMMENDATION_AREA, styles.RECOMMENDATION):
            # a section's bookmark may end inside its last paragraph; it is not this one's id
            ident = next((b for b in block.bookmarks if b not in heading_ids), "")
            if block.style == styles.RECOMMENDATION_AREA:
                entries.append(OutlineEntry("area", level + 1, ident,
                                            " ".join(block.text.split())))
            elif ident or block.text.strip():
                entries.append(OutlineEntry("recommendation", level + 2, ident,
                                            ident or " ".join(block.text.split())))
    return entries
