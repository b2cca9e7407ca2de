"""`make bench`: every step timed against its baselines in the same run, ratios reported."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from tools.bench import (
    CATALOG_TARGETS,
    TARGETS,
    CatalogRow,
    TreeRun,
    _catalog_table,
    measure_tree,
    run,
)


def test_a_bench_of_one_group_times_the_step_and_its_baseline_and_reports_the_ratio() -> None:
    lines = run("us-rok-partnership", runs=1, only=["html"])
    text = "\n".join(lines)
    assert re.search(r"^briefpress build --format html +\d+\.\d{3} +\d+$", text, re.M)
    assert re.search(r"^pandoc -s -> HTML +\d+\.\d{3} +\d+$", text, re.M)
    [ratio] = [line for line in lines if line.startswith("briefpress build --format html /")]
    value, target, verdict = ratio.split()[-4], ratio.split()[-2], ratio.split()[-1]
    assert float(value) > 0 and target == "2.5"
    assert verdict == ("ok" if float(value) <= 2.5 else "MISSED")
    assert "pdf" not in text and "docx" not in text.lower()


def test_every_target_names_a_step_of_the_bench() -> None:
    groups = {target.group for target in TARGETS}
    assert groups == {"pdf", "html", "docx", "import"}
    assert all(target.factor is None or target.factor > 0 for target in TARGETS)
    assert ("pdf", "pandoc -> PDF via xelatex", 0.8) in {
        (target.group, target.baseline, target.factor) for target in TARGETS}


def test_a_command_is_measured_with_every_process_below_it(tmp_path: Path) -> None:
    # the shell holds almost nothing; its child holds 60 MB and two more files
    child = ("import time; x = bytearray(60 << 20); x[::4096] = b'1' * len(x[::4096]); "
             "a = open(__import__('os').devnull); b = open(__import__('os').devnull); "
             "time.sleep(0.6)")
    run = measure_tree(("sh", "-c", f'"{sys.executable}" -c "{child}"; exit 3'), tmp_path,
                       dict(os.environ))
    assert run.status == 3
    assert run.peak_mb >= 60
    assert run.peak_files >= 5
    assert 0.6 <= run.seconds < 10


def _row(briefs: int, cold: tuple[float, float], noop: float, edited: float | None,
         alone: float | None, peak: float) -> CatalogRow:
    return CatalogRow(briefs, {1: TreeRun(cold[0], peak - 50, 20, 0),
                               2: TreeRun(cold[1], peak, 30, 0)}, noop, edited, alone)


def test_the_catalog_table_says_met_or_missed_for_each_target() -> None:
    rows = [_row(10, (20.0, 11.0), 0.3, 2.0, 1.9, 400.0),
            _row(100, (200.0, 110.0), 2.5, 2.0, 1.9, 560.0)]
    lines = _catalog_table(rows, 5, "arctic-shipping-0001", None)
    text = "\n".join(lines)
    assert re.search(r"^ +100 +200\.00 +110\.00 +2\.500 +2\.000 +1\.900 +510 +560 +20 +30$",
                     text, re.M)
    verdicts = {line.split(":")[1].split("  ")[0].strip(): line.split()[-1]
                for line in lines if line.startswith("catalog 100:")}
    assert verdicts == {
        "no-op rebuild / cold build --jobs 2": "MISSED",          # 2.5 / 110 > 2%
        "one brief edited / that brief alone, edited": "ok",      # 1.05
        "cold build --jobs 1 / cold build --jobs 2": "ok",        # 1.82 >= 1.7
        "peak memory --jobs 2 / 10 briefs' peak memory --jobs 2": "MISSED",  # 1.4
    }
    assert "exit status: not measured (run with --catalog-ulimit)" in text

    limited = TreeRun(300.0, 500.0, 40, 1, "a\nOSError: [Errno 24] Too many open files\n")
    lines = _catalog_table(rows[:1], 5, "arctic-shipping-0001", limited)
    assert sum("not measured (run with --catalog-sizes 10,100)" in line for line in lines) == 4
    [status] = [line for line in lines if "under ulimit -n 64" in line]
    assert status.split()[-4:] == ["1", "==", "0", "MISSED"]
    assert lines[-1] == "  OSError: [Errno 24] Too many open files"


def test_the_catalog_targets_are_the_issues() -> None:
    assert [(t.factor, t.at_least) for t in CATALOG_TARGETS] == [
        (0.02, False), (1.3, False), (1.7, True), (1.3, False)]
