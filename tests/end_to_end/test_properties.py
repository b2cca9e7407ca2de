"""Properties of generated briefs: build -> DOCX -> import is the identity, and every
paragraph reaches the PDF, the web page and the Word file.

hypothesis writes briefs in the required skeleton of a policy brief (Executive
Summary, Introduction, one to three body sections with subsections, Conclusion)
with paragraphs of words, emphasis, strong text, links to known addresses and
lists, and a recommendations file whose recommendations point at the body
sections. Each one that passes ``check`` is built in all three editions; its
unedited DOCX imports as no change, byte for byte; and the text of every
paragraph (body, list items, recommendations, their intro and the bio) is found
in the PDF (pdftotext, page furniture cropped), the web page and the DOCX.

Each example builds three editions, so ``make test`` runs a few, derandomized (the
same ones every run). ``BRIEFPRESS_PROPERTY_EXAMPLES=200 pytest tests/test_properties.py``
runs more.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from briefpress.build import build
from briefpress.check.brief import check_brief
from briefpress.importer import import_docx
from briefpress.model import blocks as b
from briefpress.model.brief import Brief
from briefpress.read.brief import read_brief
from briefpress.render import design
from conftest import ARCTIC

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("BRIEFPRESS_PROPERTY_EXAMPLES", "6"))

WORDS = ("ocean", "policy", "shipping", "allies", "treaty", "coast", "guard", "trade", "risk",
         "insurance", "route", "winter", "vessel", "ice", "rescue", "data", "ports", "northern",
         "council", "states", "budget", "climate", "security", "partners", "law", "market",
         "energy", "fleet", "crew", "standards", "reporting", "joint", "planning", "season",
         "traffic", "cargo", "harbor", "agency", "review", "access")
URLS = tuple(f"https://example.org/sources/{n}" for n in range(1, 6))

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """A capitalised sentence of words, some emphasised, strong or linked."""
    parts = []
    for _ in range(draw(st.integers(3, 9))):
        kind = draw(st.sampled_from(["word"] * 6 + ["em", "strong", "link"]))
        text = draw(words) if kind != "word" else draw(st.sampled_from(WORDS))
        parts.append({"word": text, "em": f"*{text}*", "strong": f"**{text}**",
                      "link": f"[{text}]({draw(st.sampled_from(URLS))})"}[kind])
    first = parts[0]
    parts[0] = first[0].upper() + first[1:] if first[0].isalpha() else first
    return " ".join(parts) + "."


paragraph = st.lists(sentence(), min_size=1, max_size=3).map(" ".join)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["para", "para", "para", "bullets", "numbers"]))
    if kind == "para":
        return draw(paragraph)
    items = draw(st.lists(sentence(), min_size=2, max_size=4))
    marks = ["-"] * len(items) if kind == "bullets" else [f"{n}." for n in range(1, 9)]
    return "\n".join(f"{mark} {item}" for mark, item in zip(marks, items, strict=False))


def title(draw: st.DrawFn) -> str:
    return draw(words).title()


@st.composite
def generated_brief(draw: st.DrawFn) -> tuple[str, str]:
    """brief.md (the arctic fixture's front matter, a generated body) and
    recommendations.yaml."""
    def section(level: int, heading: str, ident: str, count: tuple[int, int]) -> list[str]:
        lines = [f"{'#' * level} {heading} {{#{ident}}}", ""]
        for _ in range(draw(st.integers(*count))):
            lines += [draw(block()), ""]
        return lines

    body = section(1, "Executive Summary", "executive-summary", (1, 2))
    body += section(1, "Introduction", "introduction", (1, 2))
    body_ids = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        body_ids.append(f"part-{number}")
        body += section(1, title(draw), f"part-{number}", (1, 2))
        for sub in range(1, draw(st.integers(0, 2)) + 1):
            body += section(2, title(draw), f"part-{number}-{sub}", (1, 2))
    body += section(1, "Conclusion", "conclusion", (1, 1))

    front = (ARCTIC / "brief.md").read_text(encoding="utf-8").split("# Executive Summary")[0]
    recommendations = [f"intro: {_yaml(draw(sentence()))}", "areas:"]
    for area in range(1, draw(st.integers(1, 2)) + 1):
        recommendations += [f"  - id: area-{area}", f"    title: {title(draw)}",
                            "    recommendations:"]
        for rec in range(1, draw(st.integers(1, 2)) + 1):
            recommendations += [f"      - id: rec-{area}-{rec}",
                                f"        section: {draw(st.sampled_from(body_ids))}",
                                f"        text: {_yaml(draw(sentence()))}"]
    return front + "\n".join(body), "\n".join(recommendations) + "\n"


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- reading the editions -------------------------------------------------------------------

def squeeze(text: str) -> str:
    """Text as compared: compatibility forms (ligatures) plain, no spaces, no hyphens (a line
    may break after one, and hyphenation adds them)."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", unicodedata.normalize("NFKC", text))


def source_paragraphs(brief: Brief) -> Iterator[str]:
    """The text of every paragraph and list item of the brief, recommendations and bio."""
    def paragraphs(blocks: list[Any]) -> Iterator[str]:
        for node in b.walk(blocks):
            if isinstance(node, b.Plain):  # Para too
                yield b.stringify(node.content)

    for section in brief.walk():
        yield from paragraphs(section.blocks)
    for fragment in brief.fragments.values():
        yield from paragraphs(fragment)


def pdf_text(path: Path) -> str:
    """The PDF's text without running heads and folios (cropped at the page margins)."""
    top, _, bottom, _ = (_points(v) for v in design.tokens().page.margins.split())
    size = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", size).groups())
    return subprocess.run(["pdftotext", "-x", "0", "-y", str(int(top)), "-W", str(int(width)),
                           "-H", str(int(height - top - bottom)), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def _points(length: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(in|mm|pt)", length).groups()
    return float(number) * {"in": 72.0, "mm": 72.0 / 25.4, "pt": 1.0}[unit]


def docx_text(path: Path) -> str:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p"))


def html_text(path: Path) -> str:
    return lxml_html.fromstring(path.read_bytes()).text_content()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(generated_brief())
def test_a_generated_brief_round_trips_and_every_paragraph_reaches_every_edition(
        source: tuple[str, str]) -> None:
    markdown, recommendations = source
    with tempfile.TemporaryDirectory(prefix="briefpress-property-") as scratch:
        folder = Path(scratch) / "content" / "generated"
        folder.mkdir(parents=True)
        (folder / "brief.md").write_text(markdown, encoding="utf-8")
        (folder / "recommendations.yaml").write_text(recommendations, encoding="utf-8")
        brief = read_brief(folder)
        assert [p for p in check_brief(brief) if p.severity == "error"] == []

        out = Path(scratch) / "build"
        pdf, docx, page = build([str(folder)], ["pdf", "docx", "html"], build_dir=out)[:3]
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        result = import_docx(docx, str(folder), build_dir=out)
        assert result.unchanged, result.diff()
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before

        editions = {"PDF": squeeze(pdf_text(pdf)), "DOCX": squeeze(docx_text(docx)),
                    "web page": squeeze(html_text(page))}
        paragraphs = list(source_paragraphs(brief))
        assert len(paragraphs) >= 6
        for paragraph in paragraphs:
            for edition, text in editions.items():
                assert squeeze(paragraph) in text, f"{edition} lacks {paragraph!r}"
