"""Turn briefs into their editions: read, check, render each format, verify, move into place.

This is the whole pipeline, top to bottom, for one brief (:func:`build_brief`)::

    source folder --edition keys--> up to date? (then nothing to do)
        --read_brief--> Brief --check_brief--> (errors stop this brief here)
        --format.render--> temporary file --read_outline/compare--> build/<slug>/<file>
        --> the record of what was built (build/<slug>/.editions.json)

and for many (:func:`build_all`): one brief builds in this process; several go to a pool
of warm worker processes (``--jobs``), or to a Dask cluster (``--scheduler``), each brief
under its own time and memory limit, and a failed brief stops no other. The catalog page
is written last, from what each brief's build reported.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import resource
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from contextlib import contextmanager
from pathlib import Path

from msgspec import Struct, field

from briefpress.errors import (
    BriefError,
    Interrupted,
    JobStopped,
    LimitExceeded,
    Problem,
    WorkerCrashed,
    WorkerUnavailable,
)
from briefpress.model.brief import Brief, Listing, Metadata
from briefpress.model.options import RenderOptions
from briefpress.read.brief import (
    all_slugs,
    find_brief,
    is_current,
    read_brief,
    read_front_matter,
)
from briefpress.read.config import config_path, load_config
from briefpress.read.doctype import load_doctype
from briefpress.render import FORMATS, Format, get_format
from briefpress.support import backup, cache, limits, paths
from briefpress.support.epoch import source_date_epoch
from briefpress.support.files import Version, clear_dead_temporaries, file_version, writing
from briefpress.support.locking import brief_lock
from briefpress.support.paths import cache_dir


def stop_if_interrupted(stop: threading.Event | None) -> None:
    """Raise KeyboardInterrupt if ``stop`` is set: the flag Ctrl-C sets
    (:func:`briefpress.support.interrupt.ctrl_c`), so that an interrupt a library swallowed
    (one raised inside WeasyPrint's ``__del__`` is printed and lost), or one the preview
    only noted, stops the build before its next edition or brief."""
    if stop is not None and stop.is_set():
        raise KeyboardInterrupt


class BriefResult(Struct):
    """What building one brief did: each format built, up to date or failed, or why the
    brief failed as a whole."""

    name: str
    """The brief as it was asked for: a slug, or a path to its folder."""
    slug: str = ""
    built: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    exit_code: int = 0
    """The failure's exit status (2: the brief's or the machine's fault; 3: a format that
    is not implemented), 0 when the brief built."""
    failed_formats: list[str] = field(default_factory=list)
    """The formats whose edition failed, each stopping none of the others (their problems
    are among ``errors``); empty when the brief failed as a whole (its read or check)."""
    listing: Listing | None = None
    """The brief's catalog listing, when its web page is built or up to date."""
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    @property
    def partly_built(self) -> bool:
        """Whether some editions failed while others were built or are up to date: the
        brief stands in part (progress counts it so, the command says so)."""
        return bool(self.failed_formats) and bool(self.built or self.current)


class Report(Struct):
    """What a build of many briefs did, brief by brief, and the collection pages it wrote."""

    results: list[BriefResult]
    collections: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[BriefResult]:
        return [r for r in self.results if r.failed]

    @property
    def outputs(self) -> list[Path]:
        return [p for r in self.results for p in r.outputs] + self.collections


def build(
    slugs: Sequence[str],
    formats: Sequence[str],
    options: RenderOptions | None = None,
    build_dir: Path | None = None,
    warn: Callable[[Problem], None] = lambda problem: None,
    force: bool = False,
) -> list[Path]:
    """Build ``formats`` of each brief (every brief under content/ when ``slugs`` is empty)
    in this process, one after the other; return every edition's path and the collections'.

    Raise BriefError with the problems of the briefs that failed, once the others are built.
    """
    report = build_all(slugs, formats, options, build_dir, warn, force=force, jobs=0)
    if report.failed:
        raise BriefError([p for r in report.failed for p in r.errors])
    return report.outputs


def build_all(
    slugs: Sequence[str],
    formats: Sequence[str],
    options: RenderOptions | None = None,
    build_dir: Path | None = None,
    warn: Callable[[Problem], None] = lambda problem: None,
    *,
    force: bool = False,
    jobs: int | None = None,
    executor: Executor | None = None,
    done: Callable[[BriefResult], None] = lambda result: None,
    stop: threading.Event | None = None,
    others: bool = True,
) -> Report:
    """Build ``formats`` of each brief; a brief that fails is reported, not raised.

    ``jobs`` is the number of worker processes (None: one per CPU); with 0, or when there
    is a single brief, the briefs build in this process. ``executor`` (a Dask cluster's,
    say) replaces the worker pool. ``done`` hears of each brief as it finishes. Once
    ``stop`` is set (by Ctrl-C), the build raises :class:`Interrupted` before its next
    brief or edition; a job waiting on a worker or cluster is cancelled, and one under way
    is stopped (a given executor's: by its ``shutdown(cancel_futures=True)``, which sets its
    ``stopped`` when it did stop them all, as the cluster's does). With ``others``, each
    brief's warnings name its editions of other formats that the build folder holds and
    that are now older than their inputs (:func:`left_stale`).
    """
    started = time.monotonic()
    options = options or RenderOptions()
    source_date_epoch()  # a bad SOURCE_DATE_EPOCH is refused before anything is written
    for limit in (limits.BRIEF_SECONDS, limits.BRIEF_MEMORY_MB, limits.JOBS_PER_WORKER):
        limit.value()  # as is a bad limit of the pool's, whether this build starts one or not
    build_dir = (build_dir or paths.build_dir()).absolute()
    chosen = [get_format(name) for name in formats]
    names = list(slugs or all_slugs())
    if not names:
        raise BriefError(Problem(paths.content_dir(), None, "no briefs to build",
                                 "create one with `briefpress new SLUG`"))
    for kind in ("fonts", "docx"):  # what a killed build left in the shared caches
        clear_dead_temporaries(cache_dir(kind))
    job = BriefJob([f.name for f in chosen], options, build_dir, force,
                   listing="html" in formats, others=others, project=paths.chosen_project())

    results, stale = [], []
    projects: dict[tuple[str, str], str] = {}  # the project files' hash, taken once a build
    for name in names:  # the cheap first pass: an up-to-date brief needs no worker at all
        result = None if force else job.if_current(name, projects)
        if result is None:
            stale.append(name)
            continue
        done(result)
        for problem in result.warnings:  # an earlier version's backup moved out of build/
            warn(problem)
        results.append(result)
    # what each edition this build may replace is now, to say after a Ctrl-C which ones it
    # did replace: a brief's job in a worker killed half-way cannot say it any more
    before = _signatures(_editions(stale, chosen, build_dir))
    futures: dict[Future[BriefResult], str] = {}
    finished: set[str] = set()
    try:
        with _runner(len(stale), jobs, executor, chosen, stop) as submit:
            for name in stale:
                futures[submit(job, _where(name))] = name
            for future in as_completed(futures):
                finished.add(futures[future])
                stop_if_interrupted(stop)  # a brief that failed as Ctrl-C killed its pandoc
                result = result_of(future, futures[future])
                result.name = futures[future]
                done(result)
                for problem in result.warnings:  # after the brief's line, beside its errors
                    warn(problem)
                results.append(result)
        order = {name: index for index, name in enumerate(names)}
        results.sort(key=lambda r: order[r.name])

        stop_if_interrupted(stop)
        collections = []
        # written unless every brief failed as a whole: a brief some of whose editions
        # failed is listed too (its listing when its web page stands; else, as a brief not
        # built now, from its front matter beside the page it had: render_collection)
        for fmt in chosen if any(r.failed_formats or not r.failed for r in results) else ():
            collection = getattr(fmt.load(), "render_collection", None)
            if collection is not None:
                listings = [r.listing for r in results if r.listing is not None]
                collections.extend(collection(listings, build_dir, options, warn))
    except KeyboardInterrupt:
        # and the files the catalog or a web page added meanwhile (a new program's page)
        now = _signatures([*before, *(path for path in _editions(stale, chosen, build_dir)
                                      if path not in before)])
        _clear_leftovers(stale, build_dir)
        # an executor that could not stop its jobs under way (a cluster's worker that did
        # not answer): they may still replace their briefs' editions (each whole), and the
        # message says so
        running = [n for n in futures.values() if n not in finished] \
            if executor is not None and not getattr(executor, "stopped", False) else []
        raise Interrupted([path for path in now if now[path] != before.get(path)],
                          running) from None
    return Report(results, collections, time.monotonic() - started)


WEB_FOLDERS = ("assets", "programs", "series")
"""The folders a web page (``<slug>/assets``) and the catalog (``assets``, and its program
and series pages) write below the build folder, beside their pages (render/web.py)."""


def _editions(names: Sequence[str], formats: Sequence[Format], build_dir: Path) -> list[Path]:
    """The files a build of the briefs ``names`` in ``formats`` may replace: the editions,
    and with the web page its assets, the catalog page, its program and series pages and
    their assets (those there now: a file added later is looked for again)."""
    found = []
    web = any(fmt.name == "html" for fmt in formats)
    for name in names:
        try:
            slug = find_brief(name).name
        except BriefError:
            continue  # no brief: nothing of it is written
        found += [fmt.output(build_dir, slug) for fmt in formats]
        if web:
            found += _files_below(build_dir / slug / "assets")
    if web:
        found.append(build_dir / "index.html")
        for folder in WEB_FOLDERS:
            found += _files_below(build_dir / folder)
    return found


def _files_below(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _signatures(files: Sequence[Path]) -> dict[Path, Version]:
    """Each file's version (:func:`~briefpress.support.files.file_version`: device, inode,
    size, modification and change time; None when there is no such file): an edition
    renamed into place, or a page rewritten, has another."""
    return {path: file_version(path) for path in files}


def _clear_leftovers(names: Sequence[str], build_dir: Path) -> None:
    """Remove the temporary files of the briefs whose jobs an interrupt stopped (a killed
    worker's), each under its lock so that no other build's are taken; a brief another
    process holds keeps them until its next build."""
    for name in names:
        try:
            slug = find_brief(name).name
            if (build_dir / slug).is_dir():
                with brief_lock(build_dir, slug, timeout=0.2):
                    pass  # taking the lock clears what a dead holder left
        except (BriefError, OSError):
            continue


@contextmanager
def _runner(count: int, jobs: int | None, executor: Executor | None, formats: list[Format],
            stop: threading.Event | None = None
            ) -> Iterator[Callable[..., Future[BriefResult]]]:
    """Where the briefs build: the given executor, this process (which looks at ``stop``
    between editions), or a warm worker pool."""
    if executor is not None:
        try:
            yield executor.submit
        except BaseException:
            # Ctrl-C: the jobs not started are cancelled (a cluster's: Client.cancel), and
            # the cluster's under way stopped on their Dask workers, before the editions
            # the build replaced are listed
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        return
    workers = _pool_size(count, jobs)
    if not workers:
        yield _InProcess(stop).submit
        return
    # a design boundary: the pool (psutil, multiprocessing) only when several briefs build
    from briefpress.run.pool import WorkerPool

    engines = tuple(sorted({f.engine for f in formats if f.engine}))
    pool = WorkerPool(workers, warm=engines, seconds=limits.BRIEF_SECONDS.value(),
                      memory_mb=limits.BRIEF_MEMORY_MB.value(),
                      jobs_per_worker=limits.JOBS_PER_WORKER.value())
    try:
        yield pool.submit
    except BaseException:
        # Ctrl-C (or a bug): stop now, not once every brief still waiting is built; a job
        # cut short leaves each of its editions old or new, never half-written
        pool.terminate()
        raise
    pool.shutdown()


def _pool_size(count: int, jobs: int | None) -> int:
    """The worker processes of the local pool that builds ``count`` stale briefs with
    ``jobs`` (None: one per CPU); 0 when they build in this process (one brief, or
    ``jobs`` 0)."""
    workers = min(count, jobs if jobs is not None else os.cpu_count() or 1)
    return workers if workers > 0 and count > 1 else 0


class _InProcess:
    """Run a job now, in this process, as an executor would (its result in a Future), with
    the flag Ctrl-C sets (``stop``) for it to look at between editions."""

    def __init__(self, stop: threading.Event | None = None) -> None:
        self.stop = stop

    def submit(self, fn: Callable[..., BriefResult], *args: object) -> Future[BriefResult]:
        future: Future[BriefResult] = Future()
        try:
            future.set_result(fn(*args, stop=self.stop))
        except BaseException as exc:
            if not isinstance(exc, Exception):
                raise  # Ctrl-C, a system exit: not one brief's failure
            future.set_exception(exc)
        return future


def result_of(future: Future[BriefResult], name: str) -> BriefResult:
    """The result of a brief's job, or a failed result saying why the job itself failed."""
    exc = future.exception()
    if exc is None:
        return future.result()
    where = _source_of(name)
    if isinstance(exc, LimitExceeded):
        limit = limits.BRIEF_SECONDS if exc.kind == "time" else limits.BRIEF_MEMORY_MB
        problem = Problem(where, None, f"building this brief was stopped: {exc}",
                          f"look for what makes it heavy (a huge table or image, deep "
                          f"nesting), or {limit.how()}")
    elif isinstance(exc, WorkerCrashed):
        problem = Problem(where, None, f"the process building this brief died: {exc}",
                          "build it alone (`briefpress build SLUG`) to see the error; other "
                          "briefs are not affected")
    elif isinstance(exc, WorkerUnavailable) or (isinstance(exc, OSError)
                                                and exc.errno in MACHINE_LIMITS):
        # the machine's limits, reached by this build as a whole: no fault of the brief's.
        # Fewer --jobs helps where the pool could start no worker. Where a worker started
        # and ran out building, nothing else is sure to: a brief built in this process needs
        # fewer for its web page, but as many or more for its PDF (measured, docs/catalog.md)
        other = (", or build with fewer --jobs"
                 if isinstance(exc, WorkerUnavailable) and exc.workers > 1 else "")
        problem = Problem(where, None, f"the machine allowed this build no more open files "
                          f"or processes: {exc}", f"raise the limit of open files (`ulimit "
                          f"-n`, now {_open_files_limit()}) or of processes (`ulimit -u`)"
                          + other)
    elif isinstance(exc, JobStopped):  # a cluster's job, as its build was interrupted
        problem = Problem(where, None, f"building this brief was stopped: {exc}",
                          "build it again")
    elif isinstance(exc, BriefError):
        return BriefResult(name, errors=exc.problems, exit_code=exc.exit_code)
    else:
        raise exc
    return BriefResult(name, errors=[problem], exit_code=2)


MACHINE_LIMITS = {errno.EMFILE, errno.ENFILE, errno.EAGAIN}
"""The errors of a process that its machine's limits cause (open files of the process or
the system, processes), whatever the brief."""


def _open_files_limit() -> int:
    """This process's limit of open files (the workers inherit it)."""
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def _where(name: str) -> str:
    """The brief's folder as an absolute path, for a worker whose working directory is not
    ours (a Dask worker's); the name itself when it names no brief (the job says so)."""
    try:
        return str(find_brief(name).absolute())
    except BriefError:
        return name


def _source_of(name: str) -> Path:
    try:
        return find_brief(name) / "brief.md"
    except BriefError:
        return Path(name)


class BriefJob(Struct, frozen=True):
    """Building one brief, as a picklable callable a worker process or a cluster runs."""

    formats: list[str]
    options: RenderOptions
    build_dir: Path
    force: bool = False
    listing: bool = False
    """Whether the catalog needs the brief's listing (the web page is being built)."""
    others: bool = False
    """Whether to name the brief's editions of other formats left stale (:func:`left_stale`)."""
    project: Path | None = None
    """The project the build acts on when not the working directory's (the briefs' given
    by path): a worker process, which has only the working directory, keeps its caches
    there too."""

    def __call__(self, name: str, stop: threading.Event | None = None) -> BriefResult:
        """Build the brief ``name``; ``stop`` (in this process only: a worker's Ctrl-C is
        its termination) is looked at between editions."""
        with paths.project(self.project):
            return build_brief(name, self, stop)

    def if_current(self, name: str, projects: dict[tuple[str, str], str] | None = None
                   ) -> BriefResult | None:
        """The result of a brief whose every edition is up to date, else None (then it
        needs :meth:`__call__`, under its lock). Nothing is read but hashes, records and
        the front matter; ``projects`` keeps the project files' hashes from one brief to
        the next.

        The lock is taken only when there is something to write: the record, when it names
        other options than this build's (:meth:`~briefpress.support.cache.EditionKeys.adopt`),
        or an earlier version's import backup to move out of the build folder
        (:func:`~briefpress.support.backup.move_legacy`)."""
        try:
            folder = find_brief(name)
            out_dir = self.build_dir / folder.name
            record = cache.load_record(out_dir)
            keys = edition_keys(folder, self, projects)
            if not all(keys.current(fmt, record) for fmt in self.formats):
                return None
            result = BriefResult(
                name, folder.name, current=list(self.formats),
                outputs=[FORMATS[fmt].output(self.build_dir, folder.name) for fmt in self.formats])
            adopted = [fmt for fmt in self.formats if keys.adopt(fmt, record)]
            if adopted or backup.legacy_left(self.build_dir, folder.name):
                with brief_lock(self.build_dir, folder.name):
                    # asked again of the files and the record now, under the lock
                    record = cache.load_record(out_dir)
                    keys = edition_keys(folder, self, projects)
                    if not all(keys.current(fmt, record) for fmt in self.formats):
                        return None  # changed meanwhile: the build proper sees to it
                    note = backup.move_legacy(folder, self.build_dir)
                    if note is not None:
                        result.warnings.append(note)
                    if [fmt for fmt in self.formats if keys.adopt(fmt, record)]:
                        cache.save_record(out_dir, record)
            if self.listing:
                result.listing = _listing(folder, None, record, out_dir, keys.meta)
            if keys.meta is not None:
                result.warnings += left_stale(folder, keys.meta, self)
            return result
        except BriefError:
            return None  # the build under the lock says what is wrong


def build_brief(name: str, job: BriefJob, stop: threading.Event | None = None) -> BriefResult:
    """Build the editions of one brief that are not up to date: read, check, then for each
    edition render, read back, place. A problem of the brief, the machine's disk or a limit
    is never raised: the result carries it (a brief that fails its read or check writes
    nothing; an edition that fails stops none of the others). Once ``stop`` is set, raise
    KeyboardInterrupt before the next edition."""
    started, result = time.monotonic(), BriefResult(name)
    try:
        folder = find_brief(name)
        result.slug = folder.name
        stop_if_interrupted(stop)
        stale = _stale(folder, job)
        with _preparing(folder, job, stale):  # imports the renderers while pandoc reads
            brief = read_brief(folder) if stale else None  # read (none: nothing to build)
            if brief is not None:
                result.warnings += ensure_buildable(brief, building=stale)  # check
            with brief_lock(job.build_dir, folder.name):  # no import rewrites it meanwhile
                brief = _read_again_if_imported(folder, brief, stale, result)
                _move_legacy_backup(folder, job, result)
                ledger = _Ledger(folder, job, stale, result)
                for fmt in [FORMATS[f] for f in job.formats]:
                    stop_if_interrupted(stop)
                    if ledger.up_to_date(fmt.name) or brief is None:  # none: all are
                        continue
                    final = fmt.output(job.build_dir, folder.name)
                    try:
                        key = ledger.key(fmt.name)  # before the render writes anything
                        with temporary_beside(final) as temporary:
                            assets = render(brief, fmt, temporary, ledger.options)
                            read_back(brief, fmt, temporary, final)
                            place(temporary, final)
                    except BriefError as exc:
                        ledger.failed(fmt.name, exc)
                        continue
                    ledger.placed(fmt.name, key, [final, *assets])
                ledger.close(brief)
                if brief is not None:  # else every edition asked for was up to date
                    result.warnings += left_stale(folder, brief.meta, job)
        ledger.raise_failures()
    except BriefError as exc:
        result.errors, result.exit_code = exc.problems, exc.exit_code
    result.seconds = time.monotonic() - started
    return result


# --- the steps of one edition ---------------------------------------------------------------

def render(brief: Brief, fmt: Format, temporary: Path, options: RenderOptions) -> list[Path]:
    """render: the brief into its edition at ``temporary`` (the format's ``render``); return
    the paths of the assets written beside it."""
    return fmt.load().render(brief, temporary, options) or []


READ_BACK_FIX = ("it was not written, and the previous one stays: if the project's templates "
                 "changed, see that they keep every section's heading and id; else this is a "
                 "fault of briefpress: report it with the brief")
"""What to do when an edition just made does not read back as the source's outline."""


def read_back(brief: Brief, fmt: Format, temporary: Path, final: Path) -> None:
    """read back: raise unless the outline of the edition at ``temporary`` (the format's
    ``read_outline``) is the brief's; the message names ``final``, the file it was not
    written to. The source passed check: building again would fail the same way."""
    from briefpress.check.brief import compare_outlines  # imported with the checks (CHECKS)

    mismatch = compare_outlines(brief.outline(), fmt.load().read_outline(temporary),
                                f"the {fmt.name.upper()} edition", final, READ_BACK_FIX)
    if mismatch:
        raise BriefError(mismatch)


def place(temporary: Path, final: Path) -> None:
    """place: the verified edition renamed over the previous one, in one step (the same
    folder, one file system): a reader, or a build killed now, sees the old file or the new,
    never half of one."""
    os.replace(temporary, final)


@contextmanager
def temporary_beside(final: Path) -> Iterator[Path]:
    """A temporary path beside ``final`` (named by this process, for a later build to clear
    it should this one be killed), removed at the end of the block unless placed; a full or
    read-only disk meanwhile is one message naming the file, and the previous edition stays
    (only a complete, verified file is renamed over it)."""
    temporary = final.with_name(f".{final.stem}.{os.getpid()}.tmp{final.suffix}")
    with writing(final):
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            yield temporary
        finally:
            temporary.unlink(missing_ok=True)


# --- what build_brief does before and after the steps ------------------------------------

def left_stale(folder: Path, meta: Metadata, job: BriefJob) -> list[Problem]:
    """A warning for each edition of the brief in ``folder`` (front matter ``meta``) of a
    format ``job`` does not build that is in the build folder and now older than its inputs
    (a print PDF beside a plain build's editions), with the command that rebuilds it, as
    ``check`` says it: a build makes only the formats asked for, and says which of the
    others it left behind. Only when ``job.others``; when the build folder holds no such
    edition this costs a look for each file, and no import."""
    if not job.others:
        return []
    present = [name for name, fmt in FORMATS.items()
               if name not in job.formats and fmt.output(job.build_dir, folder.name).is_file()]
    if not present:
        return []
    from briefpress.check.brief import stale_editions  # imported with the checks (CHECKS)

    try:
        return stale_editions(folder, meta, job.build_dir, present)
    except BriefError:  # a config broken since the build read it: check says so
        return []


def _stale(folder: Path, job: BriefJob) -> list[str]:
    """The formats whose edition is not up to date (every one with ``--force``), from one
    read of the front matter, the config and the record: it decides whether the brief is
    read at all. Each edition is asked again under the lock (:class:`_Ledger`), since
    another build or an import may have changed the files meanwhile."""
    if job.force:
        return list(job.formats)
    keys, record = edition_keys(folder, job), cache.load_record(job.build_dir / folder.name)
    return [name for name in job.formats if not keys.current(name, record)]


@contextmanager
def _preparing(folder: Path, job: BriefJob, stale: list[str]) -> Iterator[None]:
    """Run :func:`_prepare` in a thread alongside the block: the block starts with pandoc
    reading the brief (in its own process), meanwhile the checks and the renderers of
    ``stale`` import (WeasyPrint's layout: about half a second) and the files are hashed for
    the keys (cache.sha256_file keeps each digest by the file's stat signature, so the keys
    taken under the lock hash only what changed meanwhile). In a warm worker most of this
    is done already. What it saves, measured: docs/architecture.md ("What runs
    alongside").

    Its errors are left to it on purpose: the keys under the lock meet them again, and say
    them. A daemon thread, waited for at the end of the block but not after a Ctrl-C: an
    import under way (seconds on a busy machine) would hold the interrupted build up."""
    if not stale:
        yield
        return
    loader = threading.Thread(target=_prepare_quietly, args=(folder, job, stale),
                              name="briefpress-prepare", daemon=True)
    loader.start()
    interrupted = False
    try:
        yield
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if not interrupted:
            loader.join()


def _read_again_if_imported(folder: Path, brief: Brief | None, stale: list[str],
                            result: BriefResult) -> Brief | None:
    """The brief as the lock now guards it: an import (which takes the same lock) may have
    rewritten its sources between the first read and the lock, and then it is read and
    checked again, its warnings replacing the first read's; else the brief read before."""
    if brief is None or is_current(brief):
        return brief
    brief = read_brief(folder)
    result.warnings[:] = ensure_buildable(brief, building=stale)
    return brief


def _move_legacy_backup(folder: Path, job: BriefJob, result: BriefResult) -> None:
    """Move an earlier version's import backup and review report out of the published
    build folder (to the project's .briefpress/imports/: support/backup.py) before anything
    is built into it; the move is noted among the brief's warnings."""
    note = backup.move_legacy(folder, job.build_dir)
    if note is not None:
        result.warnings.append(note)


class _Ledger:
    """The brief's editions as build_brief goes through them under its lock: the record of
    what was built (build/<slug>/.editions.json) and the keys of the files now; what
    becomes of each edition goes into the record and the result at once, so that a build
    killed after one edition has recorded that edition."""

    def __init__(self, folder: Path, job: BriefJob, stale: list[str],
                 result: BriefResult) -> None:
        self.folder, self.job, self.stale, self.result = folder, job, stale, result
        self.out_dir = job.build_dir / folder.name
        self.record = cache.load_record(self.out_dir)
        self.keys = edition_keys(folder, job)  # of the files now
        self.options = self.keys.options
        """The options the renders are given (the paper size filled in)."""
        self.adopted = False
        """Whether the record names other options for an up-to-date edition (not saved)."""
        self.failures: list[BriefError] = []

    def up_to_date(self, name: str) -> bool:
        """Whether the edition of format ``name`` needs no build (every one, when nothing was
        stale and the brief not read); if so it is reported current, and the record made to
        say this build's options. Asked again here: an edition built just now can change
        the next one's inputs (the web page shows the PDF's size)."""
        current = name not in self.stale and self.keys.current(name, self.record)
        if self.stale and not current:
            return False
        if current:  # the record says the options of this build, as asked
            self.adopted = self.keys.adopt(name, self.record) or self.adopted
        self.result.current.append(name)
        self.result.outputs.append(FORMATS[name].output(self.job.build_dir, self.folder.name))
        return True

    def key(self, name: str) -> str:
        """The key of format ``name``'s edition, taken of the files now (before its render:
        what the edition shows of the others is what its record says it showed)."""
        return self.keys.key(name)

    def placed(self, name: str, key: str, files: list[Path]) -> None:
        """Record the edition of ``name`` built with ``key``: ``files``, the edition and its
        assets (the record is saved now, and with it any adoption so far)."""
        self.record.editions[name] = self.keys.edition(
            name, key, cache.describe_files(self.out_dir, files))
        cache.save_record(self.out_dir, self.record)
        self.adopted = False
        self.result.built.append(name)
        self.result.outputs.append(files[0])

    def failed(self, name: str, exc: BriefError) -> None:
        """An edition that failed: it stays as it was, or absent, stops none of the next
        ones, and is reported with them (:meth:`raise_failures`), not left unsaid."""
        self.failures.append(exc)
        self.result.failed_formats.append(name)

    def close(self, brief: Brief | None) -> None:
        """Save the record if only an adoption changed it; give the result the brief's
        catalog listing when the catalog needs it and the web page stands."""
        if self.adopted:
            cache.save_record(self.out_dir, self.record)
        if self.job.listing and "html" not in self.result.failed_formats:
            # a web page that failed leaves the previous one (or none): the catalog lists
            # the brief as it lists one not built now, and the description recorded stays
            # the one of the page that is there
            self.result.listing = _listing(self.folder, brief, self.record, self.out_dir)

    def raise_failures(self) -> None:
        """Raise the editions' failures as one: the first failure's kind (and exit status),
        every failure's problems."""
        if self.failures:
            raise type(self.failures[0])(
                [problem for exc in self.failures for problem in exc.problems])


def _prepare_quietly(folder: Path, job: BriefJob, stale: list[str]) -> None:
    """:func:`_prepare`, its errors left to the build under the lock, which meets them."""
    with contextlib.suppress(Exception):
        _prepare(folder, job, stale)


CHECKS = "briefpress.check.brief"
"""The checks a brief passes before it renders (``ensure_buildable``, ``read_back``): the
first thing :func:`_prepare` imports, while pandoc reads, since the read needs none of
them (they are a fifth of what a build imports before its first pandoc run)."""


def _prepare(folder: Path, job: BriefJob, stale: list[str]) -> None:
    """Import the checks and what rendering ``stale`` needs; hash the inputs of their keys."""
    importlib.import_module(CHECKS)
    for name in stale:
        fmt = FORMATS[name]
        if fmt.engine:
            importlib.import_module(fmt.engine)
        fmt.load()
    keys = edition_keys(folder, job)
    for name in stale:
        keys.key(name)


def edition_keys(folder: Path, job: BriefJob,
                 projects: dict[tuple[str, str], str] | None = None) -> cache.EditionKeys:
    """The keys of the editions of the brief in ``folder`` as ``job`` builds them, with its
    front matter and the project's paper size read here (support/ reads no brief): what is
    unreadable counts as absent, and the read of the brief says what is wrong."""
    try:
        meta: Metadata | None = read_front_matter(folder)
    except BriefError:
        meta = None
    try:
        config = load_config(config_path(folder))
    except BriefError:
        config = None
    return cache.EditionKeys(folder, job.options, job.build_dir, FORMATS, meta,
                             config.page_size if config else None, epoch=cache.epoch_now(),
                             projects=projects)


def _listing(folder: Path, brief: Brief | None, record: cache.Record, out_dir: Path,
             meta: Metadata | None = None) -> Listing | None:
    """The brief's catalog listing: from the brief if it was read, else from its front
    matter (``meta``, if read already) and the description the build that read it
    recorded."""
    if brief is not None:
        from briefpress.render.web import describe

        description = describe(brief)
        if record.description != description:
            record.description = description
            cache.save_record(out_dir, record)
        return Listing(folder.name, brief.meta,
                       brief.doctype.label if brief.doctype else "Brief", description)
    meta = meta or read_front_matter(folder)
    return Listing(folder.name, meta, load_doctype(meta.type).label, record.description)


def ensure_buildable(brief: Brief, building: Sequence[str] = ()) -> list[Problem]:
    """Raise on any error finding of ``check``; return the warnings (with those the
    editions ``building`` ask for even of a draft: see check_brief)."""
    from briefpress.check.brief import check_brief  # imported while pandoc read (CHECKS)

    problems = check_brief(brief, readiness=False, every_edition=False, building=building)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BriefError(errors)
    return problems


def warm(modules: Sequence[str]) -> None:
    """Import ``modules`` (a worker's slow engines) once, before its first brief."""
    for module in modules:
        importlib.import_module(module)
