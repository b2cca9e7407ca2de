"""Turn an edited Word file back into the brief's source: brief.md and recommendations.yaml.

The whole import, top to bottom::

    EDITED.docx --open_docx--> checked parts --custom properties--> slug, base revision
        --embedded source--> base Brief --brief_units + read_edited--> units, blocks
        --align--> steps --splice--> new brief.md and recommendations.yaml
        --merge3 with the current source (if it changed since)--> merged text | conflicts
        --guard--> structural losses (refused unless forced)
        --write--> backup, sources replaced atomically, .briefpress/reviews/<slug>.md

Nothing is written unless every stage succeeds. A file briefpress did not make
goes to :mod:`.foreign` instead.

This module imports only what starts the two pandoc reads; what follows them
(:mod:`.pipeline`: alignment, splicing, merging, the guard's checks) is imported while
pandoc reads, and :mod:`.foreign` only for a file briefpress did not make.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from briefpress.errors import BriefError, Problem
from briefpress.importer.docxread import Changes, read_edited
from briefpress.importer.review import read_review
from briefpress.read.brief import read_brief
from briefpress.render.docx_package import PROP_REVISION, PROP_SLUG, custom_properties
from briefpress.support.docx_open import open_docx

if TYPE_CHECKING:
    from briefpress.importer.pipeline import ImportResult

__all__ = ["import_docx"]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def import_docx(docx: Path, brief: str | None = None, changes: Changes = "accept",
                dry_run: bool = False, force: bool = False,
                build_dir: Path | None = None) -> ImportResult:
    """Bring the edits of ``docx`` into the source of its brief (see the module docstring)."""
    docx = Path(docx)
    package = open_docx(docx)
    props = custom_properties(package)
    if PROP_REVISION not in props:
        from briefpress.importer.foreign import import_foreign  # a file briefpress did not make

        return import_foreign(package, brief, changes, dry_run, force, build_dir)
    slug = brief or props.get(PROP_SLUG, "")
    if not slug:
        raise BriefError(Problem(docx, None, "the .docx does not say which brief it belongs to",
                                 "name it: briefpress import FILE --brief SLUG"))
    if not brief and not _SLUG.fullmatch(slug):
        # the file's own word is only good for a brief under content/, never for a path
        raise BriefError(Problem(docx, None, f"the .docx names its brief {slug[:80]!r}, which "
                                 "is not a slug", "name the brief: briefpress import FILE "
                                 "--brief SLUG"))
    # The two pandoc reads, the Word file's and the source's, at once (each call starts,
    # waits for and closes its own pandoc process); the comments are read meanwhile.
    with ThreadPoolExecutor(max_workers=2) as pool:
        edited = pool.submit(read_edited, package, changes)
        current = pool.submit(read_brief, slug)
        from briefpress.importer.pipeline import import_edited  # loads while pandoc reads

        review = read_review(package)
        current_brief, edited_document = current.result(), edited.result()
    return import_edited(docx, package, props[PROP_REVISION], edited_document, current_brief,
                         review, changes, dry_run, force, build_dir)
