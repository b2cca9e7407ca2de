"""`make bench`: every step timed against its baselines in the same run, ratios reported."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT, WATER
from tools.bench import (
    CATALOG_TARGETS,
    COMPARED,
    DEFAULT_COMPARED,
    TARGETS,
    CatalogRow,
    Step,
    TreeRun,
    _catalog_table,
    _table,
    compared,
    main,
    measure_tree,
    run,
    scratch_project,
    steps,
)

from briefpress.read.brief import read_brief


def _files(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_a_bench_of_one_group_times_the_step_and_its_baseline_and_reports_the_ratio() -> None:
    content = _files(ROOT / "content")
    lines = run("us-rok-partnership", runs=1, only=["html"], compare=[COMPARED["water-security"]])
    text = "\n".join(lines)
    first, second = text.split("\n\nwater-security (")
    assert re.search(r"^briefpress build --format html +\d+\.\d{3} +\d+$", first, re.M)
    assert re.search(r"^pandoc -s -> HTML +\d+\.\d{3} +\d+$", first, re.M)
    [ratio] = [line for line in lines if line.startswith("briefpress build --format html /")]
    value, target, verdict = ratio.split()[-4], ratio.split()[-2], ratio.split()[-1]
    assert float(value) > 0 and target == "2.5"
    assert verdict == ("ok" if float(value) <= 2.5 else "MISSED")
    assert "pdf" not in text and "docx" not in text.lower()
    # the second brief: the same rows, in the same runs, its ratio only for comparison
    assert second.startswith("tests/fixtures/briefs/water-security, brand tidewater): timed "
                             "in the same runs, for comparison (the targets are "
                             "us-rok-partnership's)\n")
    assert re.search(r"^briefpress build --format html +\d+\.\d{3} +\d+$", second, re.M)
    assert re.search(r"^pandoc -s -> HTML +\d+\.\d{3} +\d+$", second, re.M)
    [ratio] = [line for line in lines
               if line.startswith("water-security: briefpress build --format html /")]
    assert float(ratio.split()[-4]) > 0
    assert ratio.split()[-3:] == ["-", "(for", "comparison)"]
    assert _files(ROOT / "content") == content  # built in a scratch project, not in content/


def test_the_second_brief_is_benched_in_its_brand_from_a_copy(tmp_path: Path) -> None:
    assert DEFAULT_COMPARED == ("water-security",)
    brief = compared("water-security")
    assert brief.folder == WATER and brief.brand is not None
    project = scratch_project(brief, tmp_path / "project")
    folder = project / "content" / "water-security"
    assert (folder / "brief.md").read_bytes() == (WATER / "brief.md").read_bytes()
    assert {p.name for p in folder.iterdir()} == {p.name for p in WATER.iterdir()}
    assert read_brief(folder).brand.name == "tidewater"  # type: ignore[union-attr]

    work = tmp_path / "work"
    work.mkdir()
    bench = {step.name: step for step in steps("water-security", work, project)}
    assert {step.cwd for step in bench.values()} == {str(project)}
    source = str(folder / "brief.md")
    assert source in bench["pandoc -s -> HTML"].commands[0]
    # pandoc and Typst find the figure beside the brief, as briefpress does
    assert f"--resource-path={folder}" in bench["pandoc -> DOCX"].commands[0]
    assert (work / "typst" / "withdrawals.png").is_file()
    docx = str(project / "build" / "water-security" / "water-security.docx")
    assert bench["briefpress import (unedited DOCX)"].commands == (
        (bench["briefpress import (unedited DOCX)"].commands[0][0], "import", docx,
         "--brief", "water-security"),)
    assert bench["briefpress build --format pdf"].commands[0][1:] == (
        "build", "water-security", "--force", "--format", "pdf")


def test_a_brief_to_compare_is_a_known_name_or_a_brief_s_folder(tmp_path: Path) -> None:
    arctic = compared(str(ROOT / "tests" / "fixtures" / "briefs" / "arctic-shipping"))
    assert arctic.brand is None and arctic == COMPARED["arctic-shipping"]
    with pytest.raises(RuntimeError, match="neither a brief's folder"):
        compared(str(tmp_path))
    assert main(["--compare", "no-such-brief", "--only", "html"]) == 1


def test_a_compared_brief_s_ratios_and_memory_are_shown_without_a_verdict() -> None:
    chosen = [Step("briefpress build --format pdf", (), group="pdf"),
              Step("pandoc -> PDF via xelatex", (), baseline_of="pdf"),
              Step("pandoc -> typst -> PDF", (), baseline_of="pdf"),
              Step("briefpress build --format docx", (), group="docx"),
              Step("pandoc -> DOCX", (), baseline_of="docx")]
    medians = {"briefpress build --format pdf": 2.0, "pandoc -> PDF via xelatex": 1.0,
               "pandoc -> typst -> PDF": 0.25,
               "briefpress build --format docx": 0.6, "pandoc -> DOCX": 0.1}
    peaks = dict.fromkeys(medians, 400.0)
    first = _table(chosen, medians, peaks, ["pdf", "docx"], None)
    assert [line.split()[-1] for line in first[-4:]] == [
        "MISSED", "comparison)", "MISSED", "MISSED"]  # xelatex, typst, docx, memory
    second = _table(chosen, medians, peaks, ["pdf", "docx"], "water-security: ")
    assert second[-4:] == [
        f"{'water-security: briefpress build --format pdf / pandoc -> PDF via xelatex':76}"
        "   2.00        -  (for comparison)",
        f"{'water-security: briefpress build --format pdf / pandoc -> typst -> PDF':76}"
        "   8.00        -  (for comparison)",
        f"{'water-security: briefpress build --format docx / pandoc -> DOCX':76}"
        "   6.00        -  (for comparison)",
        f"{'water-security: briefpress build --format pdf peak memory':76}"
        "    400        -  (for comparison)"]


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
