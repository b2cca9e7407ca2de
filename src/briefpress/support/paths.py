"""The working directory into the project's folders: content, templates, styles, build outputs."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def _project_root() -> Path:
    """The checkout that holds templates/ and styles/ (BRIEFPRESS_ROOT overrides)."""
    if env := os.environ.get("BRIEFPRESS_ROOT"):
        return Path(env).resolve()
    return Path(__file__).resolve().parents[3]


ROOT = _project_root()
TEMPLATES = ROOT / "templates"
STYLES = ROOT / "styles"
FONTS = STYLES / "fonts"


_chosen: Path | None = None
"""The project a command acts on when the briefs it was given say which (:func:`project`);
None: the working directory's. A module's global, not a context variable: the preview's
threads act on the same project."""


def working_content_dir() -> Path | None:
    """The ``content/`` of the working directory, or of the nearest folder above it that
    has one (a command run from inside a project, from ``content/<slug>/`` say, finds it as
    git finds its repository); None outside every project."""
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "content").is_dir():
            return folder / "content"
    return None


def found_content_dir() -> Path | None:
    """The ``content/`` of the project the command acts on: that of the briefs it was given
    (:func:`project`), else :func:`working_content_dir`."""
    return _chosen / "content" if _chosen is not None else working_content_dir()


def project_of(folder: Path) -> Path | None:
    """The root of the project whose brief is in ``folder``: the folder that holds the
    ``content/`` it is in, the path made absolute and its ``..`` taken away first (so that
    ``.`` in ``content/<slug>/`` is in the project above); None for a folder that is not in
    a ``content/`` (a test fixture's brief)."""
    folder = Path(os.path.abspath(folder))
    return folder.parent.parent if folder.parent.name == "content" else None


def given_folder(name: str | Path) -> Path | None:
    """The folder ``name`` gives as a path from the working directory (to the folder, or to
    its brief.md), absolute and without ``..``; None when it is no folder here (a slug)."""
    candidate = Path(name)
    if candidate.name == "brief.md":
        candidate = candidate.parent
    return Path(os.path.abspath(candidate)) if candidate.is_dir() else None


def briefs_project(names: Sequence[str | Path]) -> Path | None:
    """The root of the project the briefs given as folders (:func:`given_folder`) are in,
    which a command given them acts on, whatever the working directory; None when none is
    given as a folder of a project (slugs: the working directory's project). Briefs of two
    projects are refused: each has its own build folder and catalog."""
    found: dict[Path, Path] = {}
    for name in names:
        folder = given_folder(name)
        root = project_of(folder) if folder is not None else None
        if root is not None and folder is not None:
            found.setdefault(root, folder)
    if len(found) > 1:
        from briefpress.errors import BriefError, Problem, display_path

        (first, one), (second, other) = list(found.items())[:2]
        raise BriefError(Problem(other, None,
                                 f"the briefs given are in two projects, {display_path(first)} "
                                 f"(as {display_path(one)}) and {display_path(second)}",
                                 "run briefpress once for each project: each has its own "
                                 "briefpress.yaml, build folder and catalog"))
    return next(iter(found), None)


def chosen_project() -> Path | None:
    """The root of the project :func:`project` chose, if one is chosen."""
    return _chosen


@contextmanager
def project(root: Path | None) -> Iterator[None]:
    """Act on the project at ``root`` for the duration, whatever the working directory
    (None: the working directory's): its content/, build/ and cache."""
    global _chosen
    before, _chosen = _chosen, root if root is None else Path(os.path.abspath(root))
    try:
        yield
    finally:
        _chosen = before


def new_content_dir() -> tuple[Path, Path | None]:
    """Where ``briefpress new`` writes a brief: the project's ``content/``
    (:func:`found_content_dir`); outside every project, a ``content/`` beside the nearest
    ``briefpress.yaml`` above (a project of a config and no brief yet), else here (a new
    project, as ``git init`` starts one), never among the checkout's example briefs. With
    the folder whose ``content/`` is new (None when the project had one)."""
    found = found_content_dir()
    if found is not None:
        return found, None
    here = Path.cwd()
    root = next((folder for folder in (here, *here.parents)
                 if (folder / "briefpress.yaml").is_file()), here)
    return root / "content", root


def content_dir() -> Path:
    """Folder of brief sources: :func:`found_content_dir`, else the checkout's (its example
    briefs)."""
    return found_content_dir() or ROOT / "content"


def build_dir() -> Path:
    """Folder of outputs: ./build beside content/."""
    return content_dir().parent / "build"


def cache_dir(kind: str = "fonts") -> Path:
    """Where what is made once from content and named by its hash is kept (decompressed
    faces, the Word file's reference document, a font's names; ``kind`` names the folder):
    under ``BRIEFPRESS_CACHE`` or ``build/.cache``."""
    root = os.environ.get("BRIEFPRESS_CACHE")
    return (Path(root) if root else build_dir() / ".cache") / kind
