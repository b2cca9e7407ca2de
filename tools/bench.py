"""Turn timed runs of each build step and of pandoc baselines into a table of medians and ratios.

Every step is timed as a whole process (start-up included), several runs, and
compared with baselines measured in the same run over the same source:

    python -m tools.bench [--runs N] [--slug SLUG] [--only GROUPS]   (or: make bench)

The ``serve`` group times the live preview instead: from a one-paragraph save of brief.md
to the reload event of the rebuilt web page, and to the new PDF being served.
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 5)))
    parser.add_argument("--slug", default="us-rok-partnership")
    parser.add_argument("--only", default="", help="comma-separated groups to time: "
                        "pdf, html, docx, import, serve (default: all)")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    try:
        if not only or set(only) - {"serve"}:
            for line in run(args.slug, args.runs, [name for name in only if name != "serve"]):
                print(line)
        if not only or "serve" in only:
            print()
            for line in serve_rows(args.slug, max(args.runs, 5)):
                print(line)
    except RuntimeError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
