"""Turn timed runs of each build step and of pandoc baselines into a table of medians and ratios.

Every step is timed as a whole process (start-up included), several runs, and
compared with baselines measured in the same run over the same source:

    python -m tools.bench [--runs N] [--slug SLUG] [--compare BRIEFS] [--only GROUPS]
                                                                   (or: make bench)

The brief of ``--slug`` (the repository's) is the one the targets are for; the briefs of
``--compare`` (by default the second brief, ``tests/fixtures/briefs/water-security``, in its
brand) are timed in the same runs, each in a scratch project of its own, and their ratios
are shown for comparison.

The catalog group builds catalogs of generated briefs (:mod:`tools.catalog`) and compares
builds of the same catalog with each other: cold with one worker and with two, a rebuild
with nothing changed, a rebuild with one paragraph edited, and the peak memory and open
files of every process of the command, as the catalog grows::

    python -m tools.bench --only catalog [--catalog-sizes 1,10,100] [--catalog-large]
                          [--catalog-ulimit]

The ``serve`` group times the live preview instead: from a one-paragraph save of brief.md
to the reload event of the rebuilt web page, and to the new PDF being served.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import psutil
from msgspec import Struct

from briefpress.pandoc import pandoc_path
from briefpress.support.paths import build_dir, content_dir
from tools import catalog

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


class Step(Struct, frozen=True):
    """One row: a name, the commands it runs (in order, timed together), and its target."""

    name: str
    commands: tuple[tuple[str, ...], ...]
    baseline_of: str | None = None
    """For a baseline: the group it is compared with."""
    group: str | None = None
    """For a briefpress step: the group name its baselines refer to."""
    needs: str | None = None
    """A module that must exist for the step to run (a format not built yet is skipped)."""
    needs_tool: str | None = None
    """A program that must be on PATH for the step to run."""
    prepare: tuple[str, ...] | None = None
    """A command run once, untimed, before the step (e.g. building the .docx it reads)."""
    cwd: str | None = None
    """The folder the commands run in (a scratch project); None: the bench's own."""


class Target(Struct, frozen=True):
    """What a briefpress step must achieve against a baseline: at most ``factor`` times it
    (``None``: the ratio is shown for comparison, with no target; ``at_least``: at least
    ``factor`` times it)."""

    group: str
    baseline: str
    factor: float | None
    at_least: bool = False


class Compared(Struct, frozen=True):
    """A brief timed beside the first, for comparison, in a scratch project of its own."""

    folder: Path
    """The brief's folder (brief.md and what it reads), copied to the project's content/."""
    brand: Path | None = None
    """A brand folder copied to the project's brands/ and named by its briefpress.yaml."""


COMPARED = {
    "water-security": Compared(FIXTURES / "briefs" / "water-security",
                               FIXTURES / "brands" / "tidewater"),
    "arctic-shipping": Compared(FIXTURES / "briefs" / "arctic-shipping"),
}
"""The briefs ``--compare`` knows by name; another brief is named by its folder."""
DEFAULT_COMPARED = ("water-security",)
"""The second brief (issue 15): an issue brief with a table, a figure, notes, citations and
cross-references, of another publisher, built in the tidewater brand as the tests do."""


def compared(name: str) -> Compared:
    """The brief ``--compare`` means by ``name``: a known name or a brief's folder."""
    if name in COMPARED:
        return COMPARED[name]
    folder = Path(name)
    if not (folder / "brief.md").is_file():
        raise RuntimeError(f"--compare {name}: neither a brief's folder (no brief.md there) "
                           f"nor one of {', '.join(COMPARED)}")
    return Compared(folder.resolve())


def scratch_project(brief: Compared, root: Path) -> Path:
    """A project at ``root`` holding ``brief`` under content/ (and its brand); ``root``."""
    shutil.copytree(brief.folder, root / "content" / brief.folder.name)
    if brief.brand is not None:
        shutil.copytree(brief.brand, root / "brands" / brief.brand.name)
        # the project's default brand: brief.md stays the fixture's, byte for byte, so the
        # pandoc baselines read the very file briefpress builds
        (root / "briefpress.yaml").write_text(f"brand: {brief.brand.name}\n", encoding="utf-8")
    return root


def steps(slug: str, work: Path, project: Path | None = None) -> list[Step]:
    """The steps of a bench run over ``slug``; ``work`` is a scratch folder for baselines;
    ``project`` the folder holding the brief's content/ (the commands run there), else the
    bench's own project."""
    pandoc = pandoc_path()
    bp = str(Path(sys.executable).parent / "briefpress")
    python = sys.executable
    folder = (project / "content" if project else content_dir()) / slug
    source = str(folder / "brief.md")
    docx = str((project / "build" if project else build_dir()) / slug / f"{slug}.docx")
    cwd = str(project) if project else None
    # pandoc finds the brief's figures where briefpress does, beside brief.md; Typst finds
    # them beside its input, so that folder holds a copy of the brief's files
    resources = f"--resource-path={folder}"
    typst_folder = work / "typst"
    shutil.copytree(folder, typst_folder)
    make_docx = (bp, "build", slug, "--format", "docx")  # the file the import steps read
    # --force: each run renders the edition; an up-to-date one would only be hashed (the
    # catalog group times that no-op on its own)
    build = (bp, "build", slug, "--force", "--format")
    typ = str(typst_folder / "baseline.typ")
    # pandoc 3.9's Typst writer emits what Typst 0.15 rejects for these sources (links with an
    # empty target, unquoted keywords, citations of keys that are cross-references, which
    # pandoc leaves to citeproc); this filter drops just those, so the baseline runs.
    typst_fix = work / "typst-fix.lua"
    typst_fix.write_text(_TYPST_FIX, encoding="utf-8")
    return [
        Step("briefpress build --format pdf", ((*build, "pdf"),),
             group="pdf", needs="briefpress.render.pdf", cwd=cwd),
        Step("pandoc -> typst -> PDF", (
            (pandoc, source, "-s", "-L", str(typst_fix), "-t", "typst", "-o", typ),
            (python, "-c", f"import typst; typst.compile({typ!r}, output={str(work / 't.pdf')!r})"),
        ), baseline_of="pdf", needs="typst", cwd=cwd),
        Step("pandoc -> PDF via xelatex",
             ((pandoc, source, resources, "--pdf-engine=xelatex", "-o", str(work / "x.pdf")),),
             baseline_of="pdf", needs_tool="xelatex", cwd=cwd),
        Step("briefpress build --format html", ((*build, "html"),),
             group="html", needs="briefpress.render.web", cwd=cwd),
        Step("pandoc -s -> HTML", ((pandoc, source, "-s", "-o", str(work / "p.html")),),
             baseline_of="html", cwd=cwd),
        Step("briefpress build --format docx", ((*build, "docx"),),
             group="docx", needs="briefpress.render.docx", cwd=cwd),
        Step("pandoc -> DOCX", ((pandoc, source, resources, "-o", str(work / "p.docx")),),
             baseline_of="docx", cwd=cwd),
        Step("briefpress import (unedited DOCX)", ((bp, "import", docx, "--brief", slug),),
             group="import", needs="briefpress.importer", prepare=make_docx, cwd=cwd),
        Step("pandoc DOCX -> Markdown", ((pandoc, docx, "-t", "markdown", "-o",
                                          str(work / "p.md")),),
             baseline_of="import", needs="briefpress.render.docx", prepare=make_docx,
             cwd=cwd),
    ]


_TYPST_FIX = """\
function Link(el) if el.target == "" then return el.content end end
function Meta(meta) meta.keywords = nil; return meta end
function Cite(el) return el.content end
"""

TARGETS = [
    Target("pdf", "pandoc -> PDF via xelatex", 0.8),
    Target("pdf", "pandoc -> typst -> PDF", None),
    Target("html", "pandoc -s -> HTML", 2.5),
    Target("docx", "pandoc -> DOCX", 2.5),
    Target("import", "pandoc DOCX -> Markdown", 2.5),
]

PEAK_RSS_LIMIT_MB = {"pdf": 300}


def available(step: Step) -> bool:
    if step.needs and find_spec(step.needs) is None:
        return False
    return not (step.needs_tool and shutil.which(step.needs_tool) is None)


def measure(step: Step) -> tuple[float, float]:
    """Wall time (s) of running the step's commands one after another, and peak RSS (MB)."""
    start = time.perf_counter()
    peak_kb = 0
    for command in step.commands:
        process = subprocess.Popen(command, cwd=step.cwd, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        peak_kb = max(peak_kb, usage.ru_maxrss)
        if process.returncode != 0:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"{step.name}: {' '.join(command)} failed:\n{error}")
        if process.stderr:
            process.stderr.close()
    return time.perf_counter() - start, peak_kb / 1024


def run(slug: str, runs: int, only: Sequence[str] = (),
        compare: Sequence[Compared] = ()) -> list[str]:
    """Time every available step ``runs`` times (interleaved) and report medians and ratios;
    ``only`` names the groups to time (pdf, html, docx, import), all when empty. The briefs
    of ``compare`` are timed in the same runs, each in a scratch project, their steps
    interleaved with the first brief's; their ratios are reported for comparison."""
    with tempfile.TemporaryDirectory(prefix="briefpress-bench-") as scratch:
        work = Path(scratch)
        (work / "baselines").mkdir()
        benches = [(slug, steps(slug, work / "baselines"))]
        for index, brief in enumerate(compare, 1):
            root = work / f"compare-{index}"
            project = scratch_project(brief, root / "project")
            (root / "baselines").mkdir()
            benches.append((brief.folder.name,
                            steps(brief.folder.name, root / "baselines", project)))
        chosen = [[s for s in bench if available(s)
                   and (not only or (s.group or s.baseline_of) in only)]
                  for _, bench in benches]
        every = [(i, s) for i, bench in enumerate(chosen) for s in bench]
        times: dict[tuple[int, str], list[float]] = {(i, s.name): [] for i, s in every}
        peaks: dict[tuple[int, str], float] = {(i, s.name): 0.0 for i, s in every}
        for command, cwd in dict.fromkeys((s.prepare, s.cwd) for _, s in every if s.prepare):
            measure(Step("prepare", (command,), cwd=cwd))
        for _, step in every:  # warm-up: file caches, .pyc files
            measure(step)
        for _ in range(runs):
            for i, step in every:
                seconds, peak = measure(step)
                times[i, step.name].append(seconds)
                peaks[i, step.name] = max(peaks[i, step.name], peak)
    lines = [f"briefpress bench: {slug}, {runs} runs each, whole processes, median"]
    for i, ((name, _), bench) in enumerate(zip(benches, chosen, strict=True)):
        medians = {s.name: statistics.median(times[i, s.name]) for s in bench}
        brief_peaks = {s.name: peaks[i, s.name] for s in bench}
        if i:
            brand = compare[i - 1].brand
            lines += ["", f"{name} ({_shown(compare[i - 1].folder)}"
                      f"{', brand ' + brand.name if brand else ''}): timed in the same runs, "
                      f"for comparison (the targets are {slug}'s)"]
        lines += _table(bench, medians, brief_peaks, only, f"{name}: " if i else None)
    return lines


def _shown(folder: Path) -> str:
    """``folder`` as the repository names it, when it is in the repository."""
    root = FIXTURES.parents[1]
    return str(folder.relative_to(root)) if folder.is_relative_to(root) else str(folder)


def _table(chosen: Sequence[Step], medians: dict[str, float], peaks: dict[str, float],
           only: Sequence[str], compared: str | None) -> list[str]:
    """The rows of one brief's steps, then its ratios: against the targets, or (``compared``:
    the label of a brief timed for comparison) each shown for comparison."""
    lines = [f"{'step':40} {'median s':>9} {'peak MB':>8}"]
    for step in chosen:
        lines.append(f"{step.name:40} {medians[step.name]:9.3f} {peaks[step.name]:8.0f}")
    lines.append("")
    width = 60 + (len(compared) if compared else 0)
    lines.append(f"{'ratio':{width}} {'value':>6} {'target':>8}  verdict")
    groups = {s.group: s.name for s in chosen if s.group}
    for target in TARGETS:
        if only and target.group not in only:
            continue
        if target.group not in groups or target.baseline not in medians:
            lines.append(f"{compared or ''}{target.group} vs {target.baseline}: not measured "
                         "(format not built yet or baseline tool missing)")
            continue
        ratio = medians[groups[target.group]] / medians[target.baseline]
        label = f"{compared or ''}{groups[target.group]} / {target.baseline}"
        if target.factor is None or compared:
            lines.append(f"{label:{width}} {ratio:6.2f} {'-':>8}  (for comparison)")
        else:
            verdict = "ok" if ratio <= target.factor else "MISSED"
            lines.append(f"{label:{width}} {ratio:6.2f} "
                         f"{'<= ' + format(target.factor, 'g'):>8}  {verdict}")
    for group, limit in PEAK_RSS_LIMIT_MB.items():
        if group in groups:
            peak = peaks[groups[group]]
            label = f"{compared or ''}{groups[group]} peak memory"
            if compared:
                lines.append(f"{label:{width}} {peak:6.0f} {'-':>8}  (for comparison)")
            else:
                verdict = "ok" if peak <= limit else "MISSED"
                lines.append(f"{label:{width}} {peak:6.0f} {'<= ' + str(limit):>8}  {verdict}")
    return lines


# --- serve: a save to the preview's page and PDF ---------------------------------------------

SERVE_TARGETS = (("html", "serve: save -> web page rebuilt, reload sent", 0.3),
                 ("pdf", "serve: save -> new PDF served", 1.5))
"""What `briefpress serve` must achieve after a one-paragraph save (seconds)."""


def serve_rows(slug: str, runs: int) -> list[str]:
    """Time `briefpress serve` over a copy of ``slug``: ``runs`` one-paragraph saves, each
    from the file's write to the event that the web page was rebuilt (the page reloads on
    it) and to the event that the new PDF is in place (served from then on). Beside the
    wall time, the processor time the preview (and its pandoc runs) spent meanwhile: what
    the wall time would be on a machine with a core to spare."""
    times = serve_times(slug, runs)
    lines = [f"briefpress serve: {slug}, {runs} saves, warm process, load average "
             f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
             f"{'step':48} {'median':>6} {'worst':>6} {'CPU s':>6} {'target':>8}  verdict"]
    for kind, label, target in SERVE_TARGETS:
        median, worst = statistics.median(times[kind]), max(times[kind])
        cpu = statistics.median(times[kind + " cpu"])
        verdict = "ok" if median <= target else "MISSED"
        lines.append(f"{label:48} {median:6.3f} {worst:6.3f} {cpu:6.3f} "
                     f"{'<= ' + format(target, 'g'):>8}  {verdict}")
    return lines


def serve_times(slug: str, runs: int) -> dict[str, list[float]]:
    bp = str(Path(sys.executable).parent / "briefpress")
    times: dict[str, list[float]] = {"html": [], "pdf": [], "html cpu": [], "pdf cpu": []}
    with tempfile.TemporaryDirectory(prefix="briefpress-bench-serve-") as scratch:
        project = Path(scratch)
        source = project / "content" / slug / "brief.md"
        shutil.copytree(content_dir() / slug, source.parent)
        log = project / "serve.log"
        env = {**os.environ, "BRIEFPRESS_CACHE": str(project / "cache")}
        with log.open("w") as output:
            process = subprocess.Popen((bp, "serve", slug, "--port", "0"), cwd=project,
                                       env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            events = _ServeEvents(_serve_port(log, process))
            server = psutil.Process(process.pid)
            state = events.until(lambda s: s["pdf_generation"] > 0 and not s["building"])
            for run in range(runs + 1):  # the first save warms what a save alone uses
                cpu = _cpu_seconds(server)
                start = _save_paragraph(source, run)
                page = events.until(lambda s, g=state["generation"]: s["generation"] > g)
                page_at, page_cpu = time.perf_counter(), _cpu_seconds(server)
                pdf = events.until(lambda s, p=state["pdf_generation"]: s["pdf_generation"] > p)
                pdf_at, pdf_cpu = time.perf_counter(), _cpu_seconds(server)
                state = events.until(lambda s: not s["building"]) if pdf["building"] else pdf
                if page["problems"] or state["problems"]:
                    raise RuntimeError(f"serve: the edited brief failed: {state['problems']}")
                if run:
                    times["html"].append(page_at - start)
                    times["pdf"].append(pdf_at - start)
                    times["html cpu"].append(page_cpu - cpu)
                    times["pdf cpu"].append(pdf_cpu - cpu)
            events.close()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(30)
    return times


def _cpu_seconds(process: psutil.Process) -> float:
    """Processor time of ``process`` and of the children it waited for (pandoc)."""
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def _serve_port(log: Path, process: subprocess.Popen[bytes]) -> int:
    """The port `briefpress serve --port 0` chose, from its first line."""
    end = time.monotonic() + 60
    while time.monotonic() < end:
        words = log.read_text().split()
        if words[2:3] and words[2].startswith("http://"):
            return int(words[2].split(":")[2].split("/")[0])
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"serve did not start: {log.read_text()}")


def _save_paragraph(source: Path, run: int) -> float:
    """Change the first paragraph of the body, write it as an editor saves; the time of
    the write."""
    lines = source.read_text(encoding="utf-8").split("\n")
    body = lines.index("---", 1) + 1  # the end of the front matter
    first = next(i for i in range(body, len(lines)) if lines[i][:1].isalpha())
    lines[first] = lines[first].split(" [bench ")[0] + f" [bench save {run}]"
    text = "\n".join(lines)
    start = time.perf_counter()
    source.write_text(text, encoding="utf-8")
    return start


class _ServeEvents:
    """The preview's Server-Sent Events, read as a browser's EventSource would."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.connection.request("GET", "/__briefpress/events")
        self.response = self.connection.getresponse()

    def until(self, test: Any) -> dict[str, Any]:
        while line := self.response.readline().decode():
            if line.startswith("data: ") and test(state := json.loads(line[6:])):
                return state
        raise RuntimeError("serve: the event stream ended")

    def close(self) -> None:
        self.connection.close()


# --- the catalog group -------------------------------------------------------------------

CATALOG_SIZES = (1, 10, 100)
CATALOG_LARGE = 1000
"""The size ``--catalog-large`` adds."""
CATALOG_JOBS = (1, 2)
CATALOG_EDITED = 1
"""The brief whose paragraph is edited (tools.catalog's brief 1: the shorter source, so the
catalog's own cost weighs most against its build)."""
ULIMIT_BRIEFS, ULIMIT_FILES = 500, 64
"""``--catalog-ulimit``: this many briefs built with at most this many open files a process."""
TREE_POLL_SECONDS = 0.05

CATALOG_TARGETS = [
    Target("catalog", "no-op rebuild / cold build --jobs 2", 0.02),
    Target("catalog", "one brief edited / that brief alone, edited", 1.3),
    Target("catalog", "cold build --jobs 1 / cold build --jobs 2", 1.7, at_least=True),
    Target("catalog", "peak memory --jobs 2 / 10 briefs' peak memory --jobs 2", 1.3),
]
CATALOG_TARGET_SIZE, CATALOG_MEMORY_BASE = 100, 10


class TreeRun(Struct, frozen=True):
    """One briefpress command measured as the tree of processes it is: its wall time, the
    peak of its processes' memory summed (proportional set size), the peak of their open
    files summed, and its exit status."""

    seconds: float
    peak_mb: float
    peak_files: int
    status: int
    stderr: str = ""


def measure_tree(command: Sequence[str], cwd: Path, env: dict[str, str]) -> TreeRun:
    """Run ``command`` and poll it with every process below it every 50 ms."""
    # stderr to a file, not a pipe: 500 briefs' progress lines would fill a pipe nobody
    # reads while the build runs, and stall it
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                   stderr=stderr)
        root = psutil.Process(process.pid)
        peak_bytes = peak_files = 0
        while True:
            held, files = _tree_usage(root)
            peak_bytes, peak_files = max(peak_bytes, held), max(peak_files, files)
            try:
                process.wait(timeout=TREE_POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                continue
        seconds = time.perf_counter() - start
        stderr.seek(0)
        text = stderr.read().decode(errors="replace")
    return TreeRun(seconds, peak_bytes / 2**20, peak_files, process.returncode, text)


def _tree_usage(root: psutil.Process) -> tuple[int, int]:
    """Memory and open files of ``root`` and every process below it, summed. Memory is the
    proportional set size: a page several processes share (pandoc's binary, the Python
    libraries of two workers) counts once in all, as it does in the machine's RAM, where
    summed resident sizes would count it once per process."""
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    held = files = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            held += process.memory_full_info().pss
            files += process.num_fds()
    return held, files


class CatalogRow(Struct):
    """The figures of one catalog size."""

    briefs: int
    cold: dict[int, TreeRun]
    """By --jobs."""
    noop: float
    edited: float | None = None
    alone: float | None = None
    """The edited brief alone in its own project, edited and rebuilt alongside."""


class _Catalog:
    """The projects a catalog bench builds, in one scratch folder."""

    def __init__(self, scratch: Path, largest: int) -> None:
        self.scratch = scratch
        self.bp = str(Path(sys.executable).parent / "briefpress")
        self.pool = scratch / "generated"
        catalog.generate(self.pool, largest)

    def project(self, name: str, count: int, first: int = 0) -> Path:
        """A folder holding ``content/`` with briefs ``first`` to ``first + count - 1``."""
        folder = self.scratch / name
        for index in range(first, first + count):
            slug = catalog.slug_of(index)
            shutil.copytree(self.pool / "content" / slug, folder / "content" / slug)
        return folder

    def build(self, folder: Path, tag: str, jobs: int, wrap: Sequence[str] = ()) -> TreeRun:
        """``briefpress build --jobs N`` of the project, into ``build-<tag>`` with the
        caches in ``cache-<tag>`` (a new tag: a cold build)."""
        env = {**os.environ, "BRIEFPRESS_CACHE": str(folder / f"cache-{tag}")}
        # as make does (see the Makefile): a process that may not keep its bytecode compiles
        # every module again, which would swamp a no-op rebuild
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        command = (*wrap, self.bp, "build", "--jobs", str(jobs), "--build-dir",
                   str(folder / f"build-{tag}"))
        run = measure_tree(command, folder, env)
        if run.status != 0 and not wrap:
            tail = "\n".join(run.stderr.splitlines()[-5:])
            raise RuntimeError(f"catalog: {' '.join(command)} in {folder} failed "
                               f"({run.status}):\n{tail}")
        return run


def _say(text: str) -> None:
    print(f"catalog: {text}", file=sys.stderr, flush=True)


def run_catalog(sizes: Sequence[int], runs: int, ulimit: bool = False) -> list[str]:
    """Build catalogs of ``sizes`` generated briefs and report their figures and targets;
    with ``ulimit``, also build 500 under ``ulimit -n 64``."""
    rows: list[CatalogRow] = []
    edited_slug = catalog.slug_of(CATALOG_EDITED)
    limited: TreeRun | None = None
    with tempfile.TemporaryDirectory(prefix="briefpress-bench-catalog-") as scratch:
        largest = max([*sizes, CATALOG_EDITED + 1, ULIMIT_BRIEFS if ulimit else 0])
        _say(f"generating {largest} briefs")
        bench = _Catalog(Path(scratch), largest)
        alone = bench.project("alone", 1, first=CATALOG_EDITED)
        bench.build(alone, "edit", 1)  # untimed: the edits below rebuild it from warm
        for size in sizes:
            folder = bench.project(f"catalog-{size}", size)
            cold = {}
            for jobs in CATALOG_JOBS:
                _say(f"{size} briefs, cold, --jobs {jobs}")
                cold[jobs] = bench.build(folder, f"j{jobs}", jobs)
            last = max(CATALOG_JOBS)
            _say(f"{size} briefs, nothing changed, --jobs {last}")
            noop = statistics.median(bench.build(folder, f"j{last}", last).seconds
                                     for _ in range(runs))
            row = CatalogRow(size, cold, noop)
            if size > CATALOG_EDITED:
                _say(f"{size} briefs, one paragraph edited, and that brief alone")
                edited, single = [], []
                for revision in range(runs):  # interleaved: a slow moment hits both alike
                    catalog.edit_paragraph(folder / "content" / edited_slug, revision)
                    edited.append(bench.build(folder, f"j{last}", last).seconds)
                    catalog.edit_paragraph(alone / "content" / edited_slug, revision)
                    single.append(bench.build(alone, "edit", last).seconds)
                row.edited, row.alone = statistics.median(edited), statistics.median(single)
            rows.append(row)
        if ulimit:
            folder = bench.project(f"catalog-{ULIMIT_BRIEFS}-ulimit", ULIMIT_BRIEFS)
            _say(f"{ULIMIT_BRIEFS} briefs, cold, --jobs {max(CATALOG_JOBS)}, "
                 f"ulimit -n {ULIMIT_FILES}")
            limited = bench.build(folder, "ulimit", max(CATALOG_JOBS), wrap=(
                "sh", "-c", f'ulimit -n {ULIMIT_FILES} && exec "$0" "$@"'))
    return _catalog_table(rows, runs, edited_slug, limited)


def _catalog_table(rows: list[CatalogRow], runs: int, edited_slug: str,
                   limited: TreeRun | None) -> list[str]:
    j1, j2 = CATALOG_JOBS
    lines = [f"briefpress bench: catalogs of generated briefs, whole command with all its "
             f"processes; no-op and edit: median of {runs}",
             f"{'briefs':>6} {'cold -j1 s':>10} {'cold -j2 s':>10} {'no-op s':>8} "
             f"{'edited s':>8} {'alone s':>8} {'peak MB -j1':>11} {'peak MB -j2':>11} "
             f"{'files -j1':>9} {'files -j2':>9}"]
    def cell(value: float | None, width: int) -> str:
        return f"{value:{width}.3f}" if value is not None else f"{'-':>{width}}"

    for row in rows:
        lines.append(f"{row.briefs:6d} {row.cold[j1].seconds:10.2f} {row.cold[j2].seconds:10.2f} "
                     f"{row.noop:8.3f} {cell(row.edited, 8)} {cell(row.alone, 8)} "
                     f"{row.cold[j1].peak_mb:11.0f} {row.cold[j2].peak_mb:11.0f} "
                     f"{row.cold[j1].peak_files:9d} {row.cold[j2].peak_files:9d}")
    lines.append(f"(edited: one paragraph of {edited_slug} changed, then the catalog rebuilt; "
                 "alone: that brief in a project of its own, edited and rebuilt in turn)")
    lines.append("")
    lines.append(f"{'ratio':60} {'value':>6} {'target':>8}  verdict")
    by_size = {row.briefs: row for row in rows}
    big, base = by_size.get(CATALOG_TARGET_SIZE), by_size.get(CATALOG_MEMORY_BASE)
    values: list[float | None] = [None] * 4
    if big is not None:
        values[0] = big.noop / big.cold[j2].seconds
        values[1] = big.edited / big.alone if big.edited and big.alone else None
        values[2] = big.cold[j1].seconds / big.cold[j2].seconds
        if base is not None:
            values[3] = big.cold[j2].peak_mb / base.cold[j2].peak_mb
    for target, value in zip(CATALOG_TARGETS, values, strict=True):
        label = f"catalog {CATALOG_TARGET_SIZE}: {target.baseline}"
        if value is None or target.factor is None:
            lines.append(f"{label}: not measured (run with --catalog-sizes "
                         f"{CATALOG_MEMORY_BASE},{CATALOG_TARGET_SIZE})")
            continue
        met = value >= target.factor if target.at_least else value <= target.factor
        sign = ">= " if target.at_least else "<= "
        lines.append(f"{label:60} {value:6.3f} {sign + format(target.factor, 'g'):>8}  "
                     f"{'ok' if met else 'MISSED'}")
    label = f"catalog {ULIMIT_BRIEFS} under ulimit -n {ULIMIT_FILES}: exit status"
    if limited is None:
        lines.append(f"{label}: not measured (run with --catalog-ulimit)")
    else:
        lines.append(f"{label:60} {limited.status:6d} {'== 0':>8}  "
                     f"{'ok' if limited.status == 0 else 'MISSED'}")
        lines.append(f"  ({limited.seconds:.1f} s, peak {limited.peak_mb:.0f} MB, "
                     f"{limited.peak_files} open files)")
        if limited.status != 0:
            lines.extend("  " + line for line in limited.stderr.splitlines()[-5:])
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 5)))
    parser.add_argument("--slug", default="us-rok-partnership",
                        help="the brief the targets are for (default: %(default)s)")
    parser.add_argument("--compare", default=",".join(DEFAULT_COMPARED),
                        help="comma-separated briefs timed in the same runs for comparison, "
                        f"each in a scratch project: {', '.join(COMPARED)} or a brief's "
                        "folder; empty for none (default: %(default)s)")
    parser.add_argument("--only", default="", help="comma-separated groups to time: "
                        "pdf, html, docx, import, catalog, serve (default: all)")
    parser.add_argument("--catalog-sizes", default=",".join(map(str, CATALOG_SIZES)),
                        help="comma-separated numbers of briefs of the catalog group "
                        "(default: %(default)s)")
    parser.add_argument("--catalog-large", action="store_true",
                        help=f"add a catalog of {CATALOG_LARGE:,} briefs (tens of minutes)")
    parser.add_argument("--catalog-ulimit", action="store_true",
                        help=f"also build {ULIMIT_BRIEFS} briefs under ulimit -n "
                        f"{ULIMIT_FILES} (half an hour on a busy 2-core machine)")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    sizes = sorted({int(n) for n in args.catalog_sizes.split(",") if n.strip()}
                   | ({CATALOG_LARGE} if args.catalog_large else set()))
    try:
        briefs = [compared(name.strip()) for name in args.compare.split(",") if name.strip()]
        steps = [g for g in only if g not in ("catalog", "serve")]
        if not only or steps:
            for line in run(args.slug, args.runs, steps, briefs):
                print(line)
        if not only or "catalog" in only:
            if not only or steps:
                print()
            for line in run_catalog(sizes, args.runs, args.catalog_ulimit):
                print(line)
        if not only or "serve" in only:
            if not only or set(only) - {"serve"}:
                print()
            for line in serve_rows(args.slug, max(args.runs, 5)):
                print(line)
    except RuntimeError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
