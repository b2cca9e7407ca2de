"""Turn a Brief into the editors' Word file, and a Word file back into its outline.

The document is assembled unit by unit from the brief's model (:mod:`.docx_ast`);
one pandoc run writes it as a .docx with a reference document generated from the
design tokens (:mod:`.docx_styles`); :mod:`.docx_package` then makes the file
reproducible, gives each SVG figure its PNG (:mod:`.docx_raster`), embeds the house fonts
and records the source revision it was made from, for ``briefpress import``.
"""

from __future__ import annotations

from pathlib import Path

from briefpress import pandoc
from briefpress.model.brief import Brand, Brief, OutlineEntry
from briefpress.model.options import RenderOptions
from briefpress.readback.docx import body_blocks
from briefpress.render import design
from briefpress.render import docx_styles as styles
from briefpress.render.docx_ast import brief_document
from briefpress.render.docx_fonts import embedded_faces
from briefpress.render.docx_package import finish
from briefpress.render.docx_raster import SvgFigure
from briefpress.support.docx_open import open_docx
from briefpress.support.files import cache_while_unchanged, scratch_folder
from briefpress.support.paths import cache_dir


def render(brief: Brief, out: Path, options: RenderOptions) -> None:
    """Write the Word edition of ``brief`` to ``out``."""
    figures: dict[str, SvgFigure] = {}
    document = brief_document(brief, figures=figures)
    faces = embedded_faces(cache_dir().parent, brief.brand)
    # pandoc's own file goes to a scratch folder, not beside the output: a full or
    # read-only build folder then fails in our write below, with a message naming the file
    with scratch_folder("briefpress-docx-") as scratch:
        raw = scratch / "pandoc.docx"
        pandoc.write(document, "docx", raw,
                     ["--reference-doc", str(_reference_doc(brief.brand)), *pandoc.DOCX_HEAP],
                     source=str(brief.markdown_path))
        data = finish(raw.read_bytes(), brief, options, faces, figures)
    out.write_bytes(data)


def _reference_doc(brand: Brand | None = None) -> Path:
    # shared with the other formats' caches (BRIEFPRESS_CACHE or build/.cache): every key
    # is a content hash, so any build may reuse what another made
    reference = _reference(cache_dir().parent, brand)
    if not reference.is_file():  # the cache was emptied since
        _reference.cache_clear()
        reference = _reference(cache_dir().parent, brand)
    return reference


@cache_while_unchanged(lambda cache, brand: [design.TOKENS])
def _reference(cache: Path, brand: Brand | None) -> Path:
    return styles.reference_doc(cache, brand)


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
        elif block.style == styles.RECOMMENDATION_CONTINUED and entries and \
                entries[-1].kind == "recommendation":
            continue  # the recommendation before it goes on
        elif block.style in (styles.RECOMMENDATION_AREA, styles.RECOMMENDATION,
                             styles.RECOMMENDATION_CONTINUED):
            # a section's bookmark may end inside its last paragraph; it is not this one's id
            ident = next((b for b in block.bookmarks if b not in heading_ids), "")
            if ident and entries and entries[-1].kind == "recommendation" and \
                    entries[-1].id == ident and block.style != styles.RECOMMENDATION_AREA:
                continue  # LibreOffice saves a recommendation's bookmark in each paragraph
            if block.style == styles.RECOMMENDATION_AREA:
                entries.append(OutlineEntry("area", level + 1, ident,
                                            " ".join(block.text.split())))
            elif ident or block.text.strip():
                entries.append(OutlineEntry("recommendation", level + 2, ident,
                                            ident or " ".join(block.text.split())))
    return entries
