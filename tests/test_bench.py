"""`make bench`: every step timed against its baselines in the same run, ratios reported."""

from __future__ import annotations

import re

from tools.bench import TARGETS, run


def test_a_bench_of_one_group_times_the_step_and_its_baseline_and_reports_the_ratio() -> None:
    lines = run("us-rok-partnership", runs=1, only=["html"])
    text = "\n".join(lines)
    assert re.search(r"^briefpress build --format html +\d+\.\d{3} +\d+$", text, re.M)
    assert re.search(r"^pandoc -s -> HTML +\d+\.\d{3} +\d+$", text, re.M)
    [ratio] = [line for line in lines if line.startswith("briefpress build --format html /")]
    value, target, verdict = ratio.split()[-4], ratio.split()[-2], ratio.split()[-1]
    assert float(value) > 0 and target == "2"
    assert verdict == ("ok" if float(value) <= 2 else "MISSED")
    assert "pdf" not in text and "docx" not in text.lower()


def test_every_target_names_a_step_of_the_bench() -> None:
    groups = {target.group for target in TARGETS}
    assert groups == {"pdf", "html", "docx", "import"}
    assert all(target.factor >= 1 for target in TARGETS)


def test_the_import_is_also_timed_without_a_recorded_parse() -> None:
    """The import of a file built elsewhere parses the source again: timed, with its ratio,
    beside the import of the file `make docx` made here (which has the target)."""
    lines = run("us-rok-partnership", runs=1, only=["import"])
    text = "\n".join(lines)
    assert re.search(r"^briefpress import, no recorded parse +\d+\.\d{3} +\d+$", text, re.M)
    [target] = [line for line in lines if line.startswith("briefpress import (unedited DOCX) /")]
    assert target.split()[-2] == "2"
    [extra] = [line for line in lines if line.startswith("briefpress import, no recorded parse /")]
    ratio = re.search(r"/ pandoc DOCX -> Markdown +(\d+\.\d+) +- +\(", extra)
    assert ratio and float(ratio.group(1)) > 0 and "parsed again" in extra
