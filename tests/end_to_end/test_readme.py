"""The README's worked example (a section with a list, a footnote, a table and a figure)
into a new brief that passes check and builds every edition: the README shows what works."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from briefpress.build import build
from briefpress.check.brief import check_brief
from briefpress.read.brief import read_brief
from briefpress.scaffold import new_brief

README = Path(__file__).resolve().parents[2] / "README.md"


def _example() -> str:
    """The README's one Markdown example, as a reader would copy it."""
    [block] = re.findall(r"^```markdown\n(.*?)^```$", README.read_text(encoding="utf-8"),
                         re.DOTALL | re.MULTILINE)
    return block


def test_the_readme_s_example_section_builds_in_a_new_brief(tmp_path: Path) -> None:
    example = _example()
    section, notes = example.split("\n[^", 1)
    folder = new_brief("arctic-ports", "Arctic Ports", root=tmp_path / "content")
    Image.new("RGB", (400, 240), "steelblue").save(folder / "port-calls.png")
    brief_md = folder / "brief.md"
    # the scaffold's body section, replaced by the README's; its note at the end of the file
    text, count = re.subn(r"# The Argument \{#argument\}\n\n.*?\n(?=\n# )", section,
                          brief_md.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert count == 1
    brief_md.write_text(text + "\n[^" + notes, encoding="utf-8")
    recommendations = folder / "recommendations.yaml"
    yaml_text = recommendations.read_text(encoding="utf-8")
    assert "section: argument" in yaml_text
    recommendations.write_text(yaml_text.replace("section: argument", "section: traffic"),
                               encoding="utf-8")

    brief = read_brief(folder)
    assert [p for p in check_brief(brief) if p.severity == "error"] == []
    outputs = build([str(folder)], ["pdf", "docx", "html"], build_dir=tmp_path / "build")
    assert {p.name for p in outputs} >= {"arctic-ports.pdf", "arctic-ports.docx", "index.html"}
    page = (tmp_path / "build" / "arctic-ports" / "index.html").read_text(encoding="utf-8")
    # the figure and the table numbered, the note and the list there
    assert "Table 1" in page and "Figure 1" in page
    assert "fishing vessels are excluded" in page
    assert "<li>insurers need shared loss data.</li>" in page
