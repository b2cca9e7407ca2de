"""Turn briefs into their editions: read, check, render each format, verify, move into place.

This is the whole pipeline, top to bottom::

    source folder --read_brief--> Brief --check_brief--> (errors stop here)
        --format.render--> temporary file --read_outline/compare--> build/<slug>/<file>
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from briefpress.errors import BriefError, Problem
from briefpress.model.options import RenderOptions
from briefpress.read.brief import Reading, all_slugs, is_current, read_brief, start_reading
from briefpress.render import Format, get_format
from briefpress.support import paths

if TYPE_CHECKING:
    from briefpress.model.brief import Brief

# The checks, the locks and the model load once pandoc is parsing: see the functions.


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
    build_dir = build_dir or paths.build_dir()
    chosen = [get_format(name) for name in formats]
    html = tuple(dict.fromkeys(variant for fmt in chosen for variant in fmt.html))
    # the one format the parse run goes on to write (the Word file) is set up first
    drafted = next((fmt for fmt in chosen if fmt.drafted), None)
    names = list(slugs or all_slugs())
    if not names:
        raise BriefError(Problem(paths.content_dir(), None, "no briefs to build",
                                 "create one with `briefpress new SLUG`"))
    with tempfile.TemporaryDirectory(prefix="briefpress-build-") as scratch:
        draft = drafted.load().draft if drafted else None
        modules: dict[str, ModuleType] = {}

        def start(index: int, name: str) -> Reading:
            return start_reading(name, html, draft(Path(scratch) / str(index)) if draft else None)

        def load_renderers() -> None:  # while pandoc parses the first briefs
            modules.update({fmt.name: fmt.load() for fmt in chosen})
            for module in modules.values():
                if hasattr(module, "warm_up"):
                    module.warm_up()

        briefs = read_all(names, start, load_renderers)
        try:
            return render_all(briefs, chosen, modules, build_dir, options, warn)
        finally:  # what a failed build leaves: drafts no renderer finished
            for brief in briefs:
                cancel_drafts(brief)


def render_all(briefs: list[Brief], chosen: list[Format], modules: dict[str, ModuleType],
               build_dir: Path, options: RenderOptions,
               warn: Callable[[Problem], None]) -> list[Path]:
    """Check every brief, then render each one's formats and the collections."""
    from briefpress.support.backup import release_after_build
    from briefpress.support.locking import brief_lock

    for brief in briefs:
        for problem in ensure_buildable(brief):
            warn(problem)

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
            outputs.extend(collection(briefs, build_dir, options))
    return outputs


def cancel_drafts(brief: Brief) -> None:
    """Stop the pandoc runs still writing drafts of ``brief``."""
    while brief.drafts:
        brief.drafts.popitem()[1].cancel()


PARSES_AT_ONCE = max(2, os.cpu_count() or 2)
"""Briefs whose pandoc runs (each parsing a brief, and writing its Word file if asked) go at
the same time: a build of a hundred briefs does not start a hundred pandoc processes at
once."""


def read_all(names: list[str], start: Callable[[int, str], Reading],
             meanwhile: Callable[[], None]) -> list[Brief]:
    """Read the briefs ``names`` (``start(index, name)`` starts one), PARSES_AT_ONCE at a time,
    in order; ``meanwhile`` runs once the first have started. If one fails, the pandoc runs
    of the others stop."""
    readings: list[Reading] = []
    briefs: list[Brief] = []
    try:
        for index, name in enumerate(names[:PARSES_AT_ONCE]):
            readings.append(start(index, name))
        meanwhile()
        for reading in readings:  # the list grows as briefs are read
            briefs.append(reading.finish())
            if len(readings) < len(names):
                readings.append(start(len(readings), names[len(readings)]))
    except BaseException:
        for reading in readings[len(briefs):]:
            reading.cancel()
        for brief in briefs:
            cancel_drafts(brief)
        raise
    return briefs


def current(brief: Brief, warn: Callable[[Problem], None]) -> Brief:
    """``brief``, or read again if an import rewrote its sources after it was read: briefs
    are read before their locks are taken, and an import writes its two files under the
    lock, so only now is a reading sure to be of one revision."""
    if is_current(brief):
        return brief
    cancel_drafts(brief)  # made from the old text
    fresh = read_brief(brief.folder, tuple(brief.html))
    for problem in ensure_buildable(fresh):
        warn(problem)
    return fresh


def ensure_buildable(brief: Brief) -> list[Problem]:
    """Raise on any error finding of ``check``; return the warnings."""
    from briefpress.check.brief import check_brief

    problems = check_brief(brief)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BriefError(errors)
    return problems


def render_one(brief: Brief, fmt: Format, module: ModuleType, build_dir: Path,
               options: RenderOptions) -> Path:
    """Render one edition beside its final place, verify its outline, then rename it in."""
    from briefpress.check.brief import compare_outlines

    final = fmt.output(build_dir, brief.slug)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.stem}.{os.getpid()}.tmp{final.suffix}")
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
