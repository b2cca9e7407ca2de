"""Turn briefs into their editions: read, check, render each format, verify, move into place.

This is the whole pipeline, top to bottom::

    source folder --read_brief--> Brief --check_brief--> (errors stop here)
        --format.render--> temporary file --read_outline/compare--> build/<slug>/<file>
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

from briefpress.check.brief import check_brief, compare_outlines
from briefpress.errors import BriefError, Problem
from briefpress.model.brief import Brief
from briefpress.model.options import RenderOptions
from briefpress.read.brief import all_slugs, is_current, read_brief
from briefpress.render import Format, get_format
from briefpress.render.fontcache import cache_dir
from briefpress.support import paths
from briefpress.support.backup import release_after_build
from briefpress.support.epoch import source_date_epoch
from briefpress.support.files import clear_dead_temporaries, writing
from briefpress.support.locking import brief_lock


def build(
    slugs: Sequence[str],
    formats: Sequence[str],
    options: RenderOptions | None = None,
    build_dir: Path | None = None,
    warn: Callable[[Problem], None] = lambda problem: None,
) -> list[Path]:
    """Build ``formats`` of each brief (every brief under content/ when ``slugs`` is empty).

    Nothing is written unless every brief reads and checks without errors; each
    output replaces the previous one only once it is complete and its outline
    matches the source.
    """
    options = options or RenderOptions()
    source_date_epoch()  # a bad SOURCE_DATE_EPOCH is refused before anything is written
    build_dir = build_dir or paths.build_dir()
    for kind in ("fonts", "docx"):  # what a killed build left in the shared caches
        clear_dead_temporaries(cache_dir(kind))
    chosen = [get_format(name) for name in formats]
    names = list(slugs or all_slugs())
    if not names:
        raise BriefError(Problem(paths.content_dir(), None, "no briefs to build",
                                 "create one with `briefpress new SLUG`"))
    with ThreadPoolExecutor(max_workers=1) as loader:
        # the one thing done alongside: slow engines import while pandoc reads the briefs
        # and renders their HTML (render() then finds the engine imported)
        for engine in {fmt.engine for fmt in chosen if fmt.engine}:
            loader.submit(importlib.import_module, engine)
        briefs = [read_brief(name) for name in names]
        for brief in briefs:
            for problem in ensure_buildable(brief):
                warn(problem)
        modules = {fmt.name: fmt.load() for fmt in chosen}

        outputs = []
        for index, brief in enumerate(briefs):
            with brief_lock(build_dir, brief.slug):
                brief = briefs[index] = current(brief, warn)
                outputs.extend(render_one(brief, fmt, modules[fmt.name], build_dir, options)
                               for fmt in chosen)
                release_after_build(brief, build_dir)  # an import's backup ends here
    for fmt in chosen:
        collection = getattr(modules[fmt.name], "render_collection", None)
        if collection is not None:
            outputs.extend(collection(briefs, build_dir, options, warn))
    return outputs


def current(brief: Brief, warn: Callable[[Problem], None]) -> Brief:
    """``brief``, or read again if an import rewrote its sources after it was read: briefs
    are read before their locks are taken, and an import writes its two files under the
    lock, so only now is a reading sure to be of one revision."""
    if is_current(brief):
        return brief
    fresh = read_brief(brief.folder)
    for problem in ensure_buildable(fresh):
        warn(problem)
    return fresh


def ensure_buildable(brief: Brief) -> list[Problem]:
    """Raise on any error finding of ``check``; return the warnings."""
    problems = check_brief(brief)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BriefError(errors)
    return problems


def render_one(brief: Brief, fmt: Format, module: ModuleType, build_dir: Path,
               options: RenderOptions) -> Path:
    """Render one edition beside its final place, verify its outline, then rename it in."""
    final = fmt.output(build_dir, brief.slug)
    temporary = final.with_name(f".{final.stem}.{os.getpid()}.tmp{final.suffix}")
    # a full or read-only disk while the edition is written: one message naming the file;
    # the previous edition stays (only a complete, verified file is renamed over it)
    with writing(final):
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            module.render(brief, temporary, options)
            mismatch = compare_outlines(brief.outline(), module.read_outline(temporary),
                                        f"the {fmt.name.upper()} edition", final)
            if mismatch:
                raise BriefError(mismatch)
            os.replace(temporary, final)
        finally:
            temporary.unlink(missing_ok=True)
    return final
