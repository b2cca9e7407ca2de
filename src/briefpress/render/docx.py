"""Turn a Brief into the editors' Word file, and a Word file back into its outline.

pandoc writes the document from an AST assembled unit by unit (:mod:`.docx_ast`),
with a reference document generated from the design tokens (:mod:`.docx_styles`):
in the run that reads the brief, as its draft (:func:`draft`, lua/docx.lua), or, for
a Brief read without one, in a run of its own. :mod:`.docx_package` then makes the
file reproducible and records the source revision it was made from, for
``briefpress import``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefpress import pandoc
from briefpress.errors import BriefError
from briefpress.render import docx_styles as styles
from briefpress.render import fontcache

if TYPE_CHECKING:
    from briefpress.model.brief import Brief, OutlineEntry
    from briefpress.model.options import RenderOptions

DRAFT_FILTER = Path(__file__).resolve().parent.parent / "lua" / "docx.lua"

# The pipeline asks for the draft before pandoc starts: that needs only the reference
# document. The rest (the units, lxml) loads in warm_up, while pandoc parses.


def draft(folder: Path) -> pandoc.Draft:
    """How the pandoc run that parses a brief goes on to write its Word file (into
    ``folder``)."""
    return pandoc.Draft("docx", folder / "draft.docx",
                        ["--reference-doc", str(_reference_doc())], DRAFT_FILTER, _plan)


def _plan(brief: Brief) -> str:
    from briefpress.render.docx_ast import brief_plan

    return brief_plan(brief)


def warm_up() -> None:
    """Load the units and the packaging code, and find (or make) the reference document now:
    the pipeline calls this while pandoc parses the brief."""

    _reference_doc()


def _reference_doc() -> Path:
    # shared with the other formats' caches (BRIEFPRESS_CACHE or build/.cache): every key
    # is a content hash, so any build may reuse what another made
    reference = _reference(fontcache.cache_dir().parent)
    if not reference.is_file():  # the cache was emptied since
        _reference.cache_clear()
        reference = _reference(fontcache.cache_dir().parent)
    return reference


@cache
def _reference(cache: Path) -> Path:
    return styles.reference_doc(cache)


def render(brief: Brief, out: Path, options: RenderOptions) -> None:
    """Write the Word edition of ``brief`` to ``out``."""
    from briefpress import parses
    from briefpress.render.docx_ast import brief_ast, brief_units
    from briefpress.render.docx_fonts import embedded_faces
    from briefpress.render.docx_package import finish

    # while pandoc writes the draft: the record of the parse for the file's import, and
    # the fonts to embed
    parses.record(brief)
    faces = embedded_faces(fontcache.cache_dir().parent)
    raw = _drafted(brief)
    if raw is None:  # read without a draft, or the draft failed: a pandoc run of its own
        raw = out.with_name(f"{out.name}.{os.getpid()}.pandoc.docx")
        ast = brief_ast(brief, brief_units(brief))
        try:
            pandoc.write_file(json.dumps(ast), "docx", "json", str(raw),
                              ["--reference-doc", str(_reference_doc())],
                              source=str(brief.markdown_path))
        except BaseException:
            raw.unlink(missing_ok=True)
            raise
    try:
        data = finish(raw.read_bytes(), brief, options, faces)
    finally:
        raw.unlink(missing_ok=True)
    out.write_bytes(data)


def _drafted(brief: Brief) -> Path | None:
    """The Word file the reader's pandoc run wrote, if it did."""
    job = brief.drafts.pop("docx", None)
    if job is None:
        return None
    try:
        return job.finish()
    except BriefError:  # the run of its own reports what went wrong, if it fails again
        return None


def read_outline(path: Path) -> list[OutlineEntry]:
    """Sections (Heading styles), areas and recommendations (their styles) with their ids."""
    from briefpress.model.brief import OutlineEntry
    from briefpress.readback.docx import body_blocks
    from briefpress.render.docx_package import open_docx

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
