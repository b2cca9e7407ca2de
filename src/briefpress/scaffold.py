"""Turn a slug into a new brief folder that passes ``briefpress check``."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from briefpress.errors import BriefError, Problem
from briefpress.support.fsutil import atomic_write_text
from briefpress.support.paths import TEMPLATES, content_dir

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def new_brief(slug: str, title: str | None = None, root: Path | None = None) -> Path:
    """Create ``content/<slug>/`` with a brief.md and recommendations.yaml from templates/new/."""
    if not _SLUG.match(slug):
        raise BriefError(Problem(slug, None, f"{slug!r} is not a valid slug",
                                 "use lowercase letters, digits and hyphens, e.g. arctic-security"))
    folder = (root or content_dir()) / slug
    if folder.exists():
        raise BriefError(Problem(folder, None, "a brief with that slug exists already",
                                 "choose another slug"))
    for name in ("brief.md", "recommendations.yaml"):
        atomic_write_text(folder / name, render_new(name, slug, title))
    return folder


def render_new(name: str, slug: str, title: str | None = None) -> str:
    """A file of a new brief (``brief.md`` or ``recommendations.yaml``) from templates/new/."""
    # Markdown heading ids are written `{#id}`, which is Jinja's comment syntax by default.
    env = Environment(loader=FileSystemLoader(TEMPLATES / "new"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False,
                      comment_start_string="{##", comment_end_string="##}")
    values = {"slug": slug, "title": title or slug.replace("-", " ").capitalize()}
    return env.get_template(f"{name}.j2").render(values)
