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
    assert float(value) > 0 and target == "2.5"
    assert verdict == ("ok" if float(value) <= 2.5 else "MISSED")
    assert "pdf" not in text and "docx" not in text.lower()


def test_every_target_names_a_step_of_the_bench() -> None:
    groups = {target.group for target in TARGETS}
    assert groups == {"pdf", "html", "docx", "import"}
    assert all(target.factor is None or target.factor > 0 for target in TARGETS)
    assert ("pdf", "pandoc -> PDF via xelatex", 0.8) in {
        (target.group, target.baseline, target.factor) for target in TARGETS}
