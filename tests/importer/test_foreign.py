"""importer/foreign.py: a Word file briefpress did not make becomes a new brief that passes
``check``, or the import lists, in order, what the author must still do, and exits 1.

The files are the Word-made ones of pandoc's test suite (``tests/fixtures/docx/word/``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefpress.check.brief import check_brief
from briefpress.cli import main
from briefpress.importer import import_docx
from briefpress.importer.foreign import project_defaults
from briefpress.read.brief import read_brief, split_front_matter

WORD = Path(__file__).resolve().parents[1] / "fixtures" / "docx" / "word"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    return tmp_path


@pytest.mark.parametrize("name", sorted(p.name for p in WORD.glob("*.docx")))
def test_every_word_file_passes_check_or_says_what_is_missing(
        name: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", str(WORD / name), "--brief", "imported",
                 "--build-dir", str(workdir / "b")])
    out = capsys.readouterr().out
    folder = workdir / "content" / "imported"
    errors = [p for p in check_brief(read_brief(folder)) if p.severity == "error"]
    if not errors:
        assert code == 0 and "does not pass" not in out
        return
    assert code == 1
    listed = out.split("still to do, in order", 1)[1].splitlines()[1:]
    # every failing check, each with its fix, brief.md top to bottom, then the YAML
    assert listed == [f"  {n}. {line}" for n, line in enumerate(
        (str(p).replace(": error: ", ": ", 1) for p in _in_order(errors)), start=1)]
    assert all("(fix: " in line for line in listed)
    report = (workdir / "b" / "imported" / "review.md").read_text(encoding="utf-8")
    assert f"## Still to do before the brief passes check ({len(errors)})" in report


def _in_order(problems: list) -> list:
    order = {"brief.md": 0, "recommendations.yaml": 1}
    return sorted(problems, key=lambda p: (order.get(Path(p.file).name, 2), p.line is None,
                                           p.line or 0))


def test_the_list_for_a_file_of_headings(workdir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(WORD / "headers.docx"), "--build-dir",
                 str(workdir / "b")]) == 1
    out = capsys.readouterr().out
    assert out.split("review report: b/a-test-of-headers/review.md\n", 1)[1] == (
        "the new brief does not pass `briefpress check` yet; still to do, in order (5):\n"
        "  1. content/a-test-of-headers/brief.md:5: no author has a bio: the section 'About "
        "the Author' would be empty (fix: add `bio:` under the author)\n"
        "  2. content/a-test-of-headers/brief.md:16: required section 'Executive Summary' is "
        "missing (fix: add `# Executive Summary {#executive-summary}` at the start of the "
        "body)\n"
        "  3. content/a-test-of-headers/brief.md:16: required section 'Introduction' is "
        "missing (fix: add `# Introduction {#introduction}` at the start of the body)\n"
        "  4. content/a-test-of-headers/brief.md:16: required section 'Conclusion' is missing "
        "(fix: add `# Conclusion {#conclusion}` at the start of the body)\n"
        "  5. content/a-test-of-headers/recommendations.yaml:1: no recommendation areas: the "
        "section 'Policy Recommendations' would be empty (fix: add `areas:` with at least one "
        "area and recommendation)\n")


def test_publisher_and_type_come_from_the_project_defaults(workdir: Path) -> None:
    defaults = project_defaults()
    assert defaults["type"] == "policy-brief"
    assert defaults["publisher"]["name"] == "Woodrow Wilson International Center for Scholars"
    import_docx(WORD / "notes.docx", "imported", build_dir=workdir / "b")
    brief = workdir / "content" / "imported" / "brief.md"
    front, _, _ = split_front_matter(brief.read_text(encoding="utf-8"), brief)
    data = yaml.safe_load(front)
    assert (data["type"], data["publisher"]) == (defaults["type"], defaults["publisher"])


def test_a_word_file_completed_as_listed_passes_check(workdir: Path) -> None:
    """Doing what the list says is enough: nothing else stands between the import and
    a brief that builds."""
    result = import_docx(WORD / "headers.docx", "headed", build_dir=workdir / "b")
    folder = workdir / "content" / "headed"
    text = (folder / "brief.md").read_text(encoding="utf-8")
    text = text.replace('  - name: "Jesse Rosenthal"\n',
                        '  - name: "Jesse Rosenthal"\n    bio: "Jesse writes tests."\n')
    text = text.replace("# A Test of Headers {#a-test-of-headers}",
                        "# Executive Summary {#executive-summary}\n\nIn short.\n\n"
                        "# Introduction {#introduction}\n\nAt first.\n\n"
                        "# A Test of Headers {#a-test-of-headers}\n\nHeaders.")
    (folder / "brief.md").write_text(text + "\n# Conclusion {#conclusion}\n\nAt last.\n",
                                     encoding="utf-8")
    (folder / "recommendations.yaml").write_text(
        "areas:\n  - id: tests\n    title: Tests\n    recommendations:\n"
        "      - id: more-tests\n        section: a-test-of-headers\n"
        "        text: \"Write more tests.\"\n", encoding="utf-8")
    assert len(result.todo) == 5
    assert [p for p in check_brief(read_brief(folder)) if p.severity == "error"] == []


def test_recommendations_of_a_word_file_get_readable_unique_ids(workdir: Path) -> None:
    """Ids from distinctive words (not the words every recommendation opens with), numbered
    on collision, and a notice to review them."""
    import docx  # python-docx writes the Word file a user might bring

    document = docx.Document()
    document.add_heading("Ports", 1)
    document.add_paragraph("Ports close in storms.")
    document.add_heading("Policy Recommendations", 1)
    for text in ("The United States and its partners should fund a joint cyber range.",
                 "The United States and its partners should fund a joint cyber range too.",
                 "The United States and its partners should publish storm data."):
        document.add_paragraph(text, style="List Bullet")
    document.save(workdir / "ports.docx")
    result = import_docx(workdir / "ports.docx", "ports", build_dir=workdir / "b")
    recs = yaml.safe_load((workdir / "content" / "ports" / "recommendations.yaml").read_text(
        encoding="utf-8"))
    assert [r["id"] for r in recs["areas"][0]["recommendations"]] == [
        "fund-joint-cyber-range", "fund-joint-cyber-range-2", "publish-storm-data"]
    assert ("each recommendation's id was made from its distinctive words "
            "(`fund-joint-cyber-range`, `fund-joint-cyber-range-2`, `publish-storm-data`): "
            "review them in recommendations.yaml (the id is how links and readers will know "
            "it)") in result.outcome.notices
