"""Turn the design tokens into the Word reference document pandoc uses, and name its styles.

The reference document is generated, never hand-edited (:mod:`.docx_reference`
restyles pandoc's own default reference from ``styles/tokens.yaml``). The result
is cached under ``build/.cache/docx/`` keyed by a hash of the tokens, the code
that generates it and the pandoc version: python-docx alone takes some 90 ms to
import, and a build with a warm cache never needs it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from briefpress.pandoc import pandoc_path
from briefpress.render import design
from briefpress.support.files import CACHE_FIX, writing
from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.paths import STYLES

if TYPE_CHECKING:
    from briefpress.model.brief import Brand

TITLE_PLACEHOLDER = "BRIEFPRESS-RUNNING-TITLE"
"""Text of the running head in the reference document; the renderer puts the brief's title there."""

# Style names pandoc does not know and briefpress writes with ``custom-style``; the importer
# recognises paragraphs by these names, so they are part of the format, not decoration.
RECOMMENDATION = "Recommendation"
RECOMMENDATION_CONTINUED = "Recommendation Continued"
"""Paragraph style of a recommendation's second paragraph and after: the import reads a
paragraph in it as the recommendation before it going on, one in :data:`RECOMMENDATION` as
a recommendation of its own."""
RECOMMENDATION_AREA = "Recommendation Area"
PROGRAM = "Program"
AFFILIATION = "Author Affiliation"
"""An author's affiliation, under the name in the title block (generated from the front
matter, as the PDF's cover and the web page show it)."""
PUBLICATION_DATE = "Publication Date"
"""The date under the authors, as the web page gives it (generated from ``date``)."""
SERIES = "Series"
DOCUMENT_TYPE = "Document Type"
AUTHOR_BIO = "Author Bio"
COLOPHON = "Colophon"
BIBLIOGRAPHY = "Bibliography"
WIDE_TABLE_TEXT = "Wide Table Text"
"""Paragraph style of the cells of a table too wide for the text column (render/docx_tables.py):
smaller type. The importer reads a cell's words, not its style."""
LINK_WITHOUT_TARGET = "Link Without Target"
"""Character style of a link phrase whose URL is not known yet (``[phrase]: <>``)."""
CITATION_MARK = "bpcite"
"""Start of the name of the bookmark that marks a rendered citation: ``bpcite`` and the
citation's number in the brief's reading order (a Word bookmark name: a letter first, then
letters, digits or underscores, at most 40 characters). The importer finds each citation by
it (:mod:`briefpress.importer.citations`), so it is part of the format too."""


def citation_mark(name: str) -> int | None:
    """The number of the citation whose bookmark ``name`` is (``bpcite12``; LibreOffice
    adds ``_Copy_1`` to the name at each save, which the number leaves out), else None."""
    if not name.startswith(CITATION_MARK):
        return None
    rest = name[len(CITATION_MARK):]
    digits = rest[:len(rest) - len(rest.lstrip("0123456789"))]
    return int(digits) if digits else None


def reference_doc(cache_dir: Path, brand: Brand | None = None) -> Path:
    """The reference document for the current tokens (with ``brand``'s colours and font
    families over them), generated on first use and cached."""
    key = hashlib.sha256()
    key.update((STYLES / "tokens.yaml").read_bytes())
    if brand is not None:  # the colours and families the styles take (logo, wordmark: text)
        tokens = design.tokens(brand)
        key.update(msgspec.json.encode(tokens.colors))
        if brand.fonts:
            key.update(msgspec.json.encode({role: font.family
                                            for role, font in tokens.fonts.roles().items()}))
    key.update(Path(__file__).read_bytes())
    key.update(_GENERATOR.read_bytes())
    key.update(_pandoc_identity().encode())
    path = cache_dir / "docx" / f"reference-{key.hexdigest()[:16]}.docx"
    if not path.is_file():
        # a design boundary: only a cold cache needs python-docx, imported by the generator
        from briefpress.render.docx_reference import build_reference_doc

        with writing(path.parent, CACHE_FIX, CACHE_FIX):
            atomic_write_bytes(path, build_reference_doc(brand))
    return path


_GENERATOR = Path(__file__).with_name("docx_reference.py")
"""The module that generates the reference document (part of the cache key)."""


def _pandoc_identity() -> str:
    """Which pandoc binary this is (its default reference document changes with its
    version): path, size and modification time, known without running it."""
    binary = Path(pandoc_path())
    found = binary.stat()
    return f"{binary}:{found.st_size}:{found.st_mtime_ns}"
