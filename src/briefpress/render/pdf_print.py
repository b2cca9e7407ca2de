"""Turn a Brief into the print edition: a PDF/X-4 file in CMYK with bleed and crop marks.

The same document as the screen PDF (``render/pdf.py``), laid out for the press: colours
from the tokens' ``colors_cmyk``, a CMYK output intent, backgrounds run into the bleed,
crop marks, TrimBox and BleedBox on every page, facing pages unless ``--pdf-layout single``.
"""

from __future__ import annotations

from pathlib import Path

from briefpress.model.brief import Brief, OutlineEntry
from briefpress.model.options import RenderOptions
from briefpress.render import pdf
from briefpress.support.cache import sha256_file


def render(brief: Brief, out: Path, options: RenderOptions) -> None:
    """Write the print edition of ``brief`` to ``out``."""
    pdf.render_edition(brief, out, options, "print")


def cache_extra(slug: str, build_dir: Path) -> bytes:
    """The CMYK profile the output intent embeds: a file of the system's, not the project's,
    so the edition's key names its content (a Debian update of the profile rebuilds)."""
    return (sha256_file(pdf.CMYK_PROFILE) or "no profile").encode()


def read_outline(path: Path) -> list[OutlineEntry]:
    """The outline of a print file: read as any PDF edition is (see render/pdf.py)."""
    return pdf.read_outline(path)
