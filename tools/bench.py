"""Turn timed runs of each build step and of pandoc baselines into a table of medians and ratios.

Every step is timed as a whole process (start-up included), several runs, and
compared with baselines measured in the same run over the same source:

    python -m tools.bench [--runs N] [--slug SLUG] [--only GROUPS]   (or: make bench)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

from msgspec import Struct

from briefpress.pandoc import pandoc_path
from briefpress.support.paths import build_dir, content_dir


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


class Target(Struct, frozen=True):
    """What a briefpress step must achieve against a baseline: at most ``factor`` times it
    (``None``: the ratio is shown for comparison, with no target)."""

    group: str
    baseline: str
    factor: float | None


def steps(slug: str, work: Path) -> list[Step]:
    """The steps of a bench run over ``slug``; ``work`` is a scratch folder for baselines."""
    pandoc = pandoc_path()
    bp = str(Path(sys.executable).parent / "briefpress")
    python = sys.executable
    source = str(content_dir() / slug / "brief.md")
    docx = str(build_dir() / slug / f"{slug}.docx")
    make_docx = (bp, "build", slug, "--format", "docx")  # the file the import steps read
    typ = str(work / "baseline.typ")
    # pandoc 3.9's Typst writer emits what Typst 0.15 rejects for this source (links with an
    # empty target, unquoted keywords); this filter drops just those, so the baseline runs.
    typst_fix = work / "typst-fix.lua"
    typst_fix.write_text(_TYPST_FIX, encoding="utf-8")
    return [
        Step("briefpress build --format pdf", ((bp, "build", slug, "--format", "pdf"),),
             group="pdf", needs="briefpress.render.pdf"),
        Step("pandoc -> typst -> PDF", (
            (pandoc, source, "-s", "-L", str(typst_fix), "-t", "typst", "-o", typ),
            (python, "-c", f"import typst; typst.compile({typ!r}, output={str(work / 't.pdf')!r})"),
        ), baseline_of="pdf", needs="typst"),
        Step("pandoc -> PDF via xelatex",
             ((pandoc, source, "--pdf-engine=xelatex", "-o", str(work / "x.pdf")),),
             baseline_of="pdf", needs_tool="xelatex"),
        Step("briefpress build --format html", ((bp, "build", slug, "--format", "html"),),
             group="html", needs="briefpress.render.web"),
        Step("pandoc -s -> HTML", ((pandoc, source, "-s", "-o", str(work / "p.html")),),
             baseline_of="html"),
        Step("briefpress build --format docx", ((bp, "build", slug, "--format", "docx"),),
             group="docx", needs="briefpress.render.docx"),
        Step("pandoc -> DOCX", ((pandoc, source, "-o", str(work / "p.docx")),),
             baseline_of="docx"),
        Step("briefpress import (unedited DOCX)", ((bp, "import", docx, "--brief", slug),),
             group="import", needs="briefpress.importer", prepare=make_docx),
        Step("pandoc DOCX -> Markdown", ((pandoc, docx, "-t", "markdown", "-o",
                                          str(work / "p.md")),),
             baseline_of="import", needs="briefpress.render.docx", prepare=make_docx),
    ]


_TYPST_FIX = """\
function Link(el) if el.target == "" then return el.content end end
function Meta(meta) meta.keywords = nil; return meta end
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
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
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


def run(slug: str, runs: int, only: Sequence[str] = ()) -> list[str]:
    """Time every available step ``runs`` times (interleaved) and report medians and ratios;
    ``only`` names the groups to time (pdf, html, docx, import), all when empty."""
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="briefpress-bench-") as scratch:
        chosen = [s for s in steps(slug, Path(scratch)) if available(s)
                  and (not only or (s.group or s.baseline_of) in only)]
        times: dict[str, list[float]] = {s.name: [] for s in chosen}
        peaks: dict[str, float] = {s.name: 0.0 for s in chosen}
        for command in dict.fromkeys(s.prepare for s in chosen if s.prepare):
            measure(Step("prepare", (command,)))
        for step in chosen:  # warm-up: file caches, .pyc files
            measure(step)
        for _ in range(runs):
            for step in chosen:
                seconds, peak = measure(step)
                times[step.name].append(seconds)
                peaks[step.name] = max(peaks[step.name], peak)
    medians = {name: statistics.median(values) for name, values in times.items()}
    lines.append(f"briefpress bench: {slug}, {runs} runs each, whole processes, median")
    lines.append(f"{'step':40} {'median s':>9} {'peak MB':>8}")
    for step in chosen:
        lines.append(f"{step.name:40} {medians[step.name]:9.3f} {peaks[step.name]:8.0f}")
    lines.append("")
    lines.append(f"{'ratio':60} {'value':>6} {'target':>8}  verdict")
    groups = {s.group: s.name for s in chosen if s.group}
    for target in TARGETS:
        if only and target.group not in only:
            continue
        if target.group not in groups or target.baseline not in medians:
            lines.append(f"{target.group} vs {target.baseline}: not measured "
                         "(format not built yet or baseline tool missing)")
            continue
        ratio = medians[groups[target.group]] / medians[target.baseline]
        label = f"{groups[target.group]} / {target.baseline}"
        if target.factor is None:
            lines.append(f"{label:60} {ratio:6.2f} {'-':>8}  (for comparison)")
        else:
            verdict = "ok" if ratio <= target.factor else "MISSED"
            lines.append(f"{label:60} {ratio:6.2f} {'<= ' + format(target.factor, 'g'):>8}  "
                         f"{verdict}")
    for group, limit in PEAK_RSS_LIMIT_MB.items():
        if group in groups:
            peak = peaks[groups[group]]
            verdict = "ok" if peak <= limit else "MISSED"
            lines.append(f"{groups[group] + ' peak memory':60} {peak:6.0f} "
                         f"{'<= ' + str(limit):>8}  {verdict}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 5)))
    parser.add_argument("--slug", default="us-rok-partnership")
    parser.add_argument("--only", default="", help="comma-separated groups to time: "
                        "pdf, html, docx, import (default: all)")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    try:
        for line in run(args.slug, args.runs, only):
            print(line)
    except RuntimeError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
