"""A generated corpus: briefs made of every construct the Word round trip carries, built,
re-saved by the real LibreOffice and imported, come back byte for byte.

hypothesis writes each brief in the required skeleton of a policy brief (Executive
Summary, Introduction, body sections with subsections, Conclusion) from paragraphs with
emphasis, strong text, small caps, super- and subscript, code, links, footnote references,
non-breaking spaces, soft hyphens, dashes and quotes; bullet and numbered lists (any start
number), nested up to three deep, tight and loose, items of two paragraphs, links in
items; code blocks; horizontal rules; line blocks; tables with aligned columns and a
caption; figures with a caption and alt text; block quotes; footnotes of one to three
paragraphs with links.
Each brief must pass ``check``; its Word edition is built and imported as it is (no
change), then all the editions are re-saved by one ``soffice --convert-to docx`` run
(starting LibreOffice costs more than converting a brief) and each re-saved file is
imported: the source must not change by a byte.

Because the LibreOffice step is batched, hypothesis generates the corpus first and the
assertions come after: a failure names the generated brief, written out in full, but is
not shrunk. ``make test`` runs a few examples (the same every run);
``make roundtrip`` runs hundreds (``BRIEFPRESS_ROUNDTRIP_EXAMPLES``, default here 6).
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpress.build import build
from briefpress.check.brief import check_brief
from briefpress.importer import import_docx
from briefpress.read.brief import read_brief
from conftest import ARCTIC
from office import soffice_convert_many

EXAMPLES = int(os.environ.get("BRIEFPRESS_ROUNDTRIP_EXAMPLES", "6"))
BATCH = 50
"""Files per soffice run: one start of LibreOffice for many files, but not so many that a
crash of one run loses the whole corpus."""

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

WORDS = ("ocean", "policy", "shipping", "allies", "treaty", "coast", "guard", "trade", "risk",
         "insurance", "route", "winter", "vessel", "ice", "rescue", "data", "ports", "northern",
         "council", "states", "budget", "climate", "security", "partners", "law", "market",
         "energy", "fleet", "crew", "standards", "reporting", "joint", "planning", "season")
URLS = ("https://example.org/sources/1", "https://example.org/sources/2?page=3",
        "https://www.example.com/a/b.pdf", "https://example.net/")

word = st.sampled_from(WORDS)
words = st.lists(word, min_size=1, max_size=3).map(" ".join)


@st.composite
def inline(draw: st.DrawFn, notes: list[str] | None) -> str:
    """One piece of a sentence: a word, or a phrase in one of the inline constructs."""
    kinds = ["word"] * 8 + ["em", "strong", "smallcaps", "sup", "sub", "code", "link", "nbsp",
                            "shy", "endash", "emdash", "dquote", "squote", "strong-em"]
    if notes is not None:
        kinds.append("note")
    kind = draw(st.sampled_from(kinds))
    text = draw(words)
    one = draw(word)
    if kind == "note":
        notes.append(draw(note_text()))
        return f"{one}[^n{len(notes)}]"
    return {
        "word": one,
        "em": f"*{text}*",
        "strong": f"**{text}**",
        "strong-em": f"***{text}***",
        "smallcaps": f"[{text}]{{.smallcaps}}",
        "sup": f"{one}^{draw(st.integers(1, 99))}^",
        "sub": f"H~{draw(st.integers(2, 9))}~O",
        "code": f"`{one}`",
        "link": f"[{text}]({draw(st.sampled_from(URLS))})",
        "nbsp": f"{draw(st.integers(1, 999))}\u00a0{one}",
        "shy": f"{one[:2]}\u00ad{one[2:]}" if len(one) > 3 else one,
        "endash": f"{one} -- {draw(word)}",
        "emdash": f"{one} --- {draw(word)}",
        "dquote": f'"{text}"',
        "squote": f"'{text}'",
    }[kind]


@st.composite
def sentence(draw: st.DrawFn, notes: list[str] | None = None) -> str:
    parts = [draw(word).capitalize()]
    parts += [draw(inline(notes)) for _ in range(draw(st.integers(2, 7)))]
    return " ".join(parts) + "."


@st.composite
def note_text(draw: st.DrawFn) -> str:
    """A footnote: one to three paragraphs (the later ones indented), links allowed."""
    paragraphs = [draw(sentence()) for _ in range(draw(st.integers(1, 3)))]
    return "\n\n    ".join(paragraphs)


@st.composite
def a_list(draw: st.DrawFn, notes: list[str], depth: int = 1, indent: str = "") -> str:
    """A bullet or numbered list (any start), tight or loose, nested up to three deep."""
    ordered = draw(st.booleans())
    start = draw(st.sampled_from([1, 1, 1, 2, 4, 10]))
    loose = depth == 1 and draw(st.integers(0, 3)) == 0
    lines: list[str] = []
    for index in range(draw(st.integers(1, 4))):
        mark = f"{start + index}." if ordered else "-"
        lines.append(f"{indent}{mark} {draw(sentence(notes))}")
        if loose and draw(st.integers(0, 2)) == 0:  # an item of two paragraphs
            lines.append(f"\n{indent}{' ' * (len(mark) + 1)}{draw(sentence(notes))}")
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            child = draw(a_list(notes, depth + 1, indent + " " * (len(mark) + 1)))
            lines.append(("\n" if loose else "") + child)
        if loose:
            lines.append("")
    return "\n".join(lines).rstrip("\n")


@st.composite
def table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(2, 4))
    aligns = [draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(columns)]
    rows = [[draw(word).capitalize() for _ in range(columns)]]
    for _ in range(draw(st.integers(1, 3))):
        rows.append([draw(st.sampled_from([str(draw(st.integers(0, 999))), draw(word),
                                           f"*{draw(word)}*"])) for _ in range(columns)])
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "|".join(aligns) + "|")
    return "\n".join(lines) + f"\n\n: {draw(sentence())}"


@st.composite
def block(draw: st.DrawFn, notes: list[str]) -> str:
    kind = draw(st.sampled_from(["para"] * 4 + ["list"] * 3 + ["table", "figure", "quote",
                                                                "code", "rule", "lines"]))
    if kind == "rule":
        return "---"
    if kind == "lines":
        return "\n".join(f"| {' ' * draw(st.integers(0, 4))}{draw(sentence(notes))}"
                         for _ in range(draw(st.integers(1, 3))))
    if kind == "code":
        return "```\n" + "\n".join(" " * draw(st.integers(0, 4)) + draw(words).upper()
                                    for _ in range(draw(st.integers(1, 3)))) + "\n```"
    if kind == "list":
        return draw(a_list(notes))
    if kind == "table":
        return draw(table())
    if kind == "figure":
        return f"![{draw(sentence())}](transits.png){{alt=\"{draw(words)}\"}}"
    if kind == "quote":
        paragraphs = [draw(sentence(notes)) for _ in range(draw(st.integers(1, 2)))]
        return "\n>\n".join(f"> {p}" for p in paragraphs)
    return " ".join(draw(sentence(notes)) for _ in range(draw(st.integers(1, 3))))


@st.composite
def generated_brief(draw: st.DrawFn) -> tuple[str, str]:
    """brief.md (the arctic fixture's front matter, a generated body, its footnotes) and
    recommendations.yaml."""
    notes: list[str] = []

    def section(level: int, heading: str, ident: str, count: tuple[int, int]) -> list[str]:
        lines = [f"{'#' * level} {heading} {{#{ident}}}", ""]
        for _ in range(draw(st.integers(*count))):
            lines += [draw(block(notes)), ""]
        return lines

    body = section(1, "Executive Summary", "executive-summary", (1, 2))
    body += section(1, "Introduction", "introduction", (1, 2))
    body_ids = []
    for number in range(1, draw(st.integers(1, 2)) + 1):
        body_ids.append(f"part-{number}")
        body += section(1, draw(words).title(), f"part-{number}", (1, 4))
        for sub in range(1, draw(st.integers(0, 1)) + 1):
            body += section(2, draw(words).title(), f"part-{number}-{sub}", (1, 2))
    body += section(1, "Conclusion", "conclusion", (1, 1))
    body += [f"[^n{n}]: {text}" for n, text in enumerate(notes, 1)]

    front = (ARCTIC / "brief.md").read_text(encoding="utf-8").split("# Executive Summary")[0]
    recommendations = ["intro: " + _yaml(draw(sentence())), "areas:"]
    for area in range(1, draw(st.integers(1, 2)) + 1):
        recommendations += [f"  - id: area-{area}", f"    title: {draw(words).title()}",
                            "    recommendations:"]
        for rec in range(1, draw(st.integers(1, 2)) + 1):
            recommendations += [f"      - id: rec-{area}-{rec}",
                                f"        section: {draw(st.sampled_from(body_ids))}",
                                f"        text: {_yaml(draw(sentence()))}"]
    return front + "\n".join(body) + "\n", "\n".join(recommendations) + "\n"


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write(folder: Path, source: tuple[str, str]) -> None:
    folder.mkdir(parents=True)
    (folder / "brief.md").write_text(source[0], encoding="utf-8")
    (folder / "recommendations.yaml").write_text(source[1], encoding="utf-8")
    shutil.copy(ARCTIC / "transits.png", folder / "transits.png")


def _sources(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_generated_briefs_survive_libreoffice_byte_for_byte(tmp_path: Path) -> None:
    corpus: list[tuple[Path, Path, dict[str, bytes]]] = []
    names = itertools.count()
    started = time.perf_counter()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(generated_brief())
    def generate(source: tuple[str, str]) -> None:
        """Write, check and build one brief; its Word edition as built imports as no change."""
        folder = tmp_path / "content" / f"corpus-{next(names)}"
        _write(folder, source)
        assert [p for p in check_brief(read_brief(folder)) if p.severity == "error"] == [], \
            source[0]
        docx, = build([str(folder)], ["docx"], build_dir=tmp_path / "build")
        before = _sources(folder)
        result = import_docx(docx, str(folder), build_dir=tmp_path / "build")
        assert result.unchanged, f"{result.diff()}\n--- the brief:\n{source[0]}"
        corpus.append((folder, docx, before))

    generate()
    built = time.perf_counter()
    resaved: list[Path] = []
    for first in range(0, len(corpus), BATCH):
        batch = [docx for _, docx, _ in corpus[first:first + BATCH]]
        resaved += soffice_convert_many(batch, "docx", tmp_path / "resaved",
                                        tmp_path / "profile")
    converted = time.perf_counter()
    failures = []
    for (folder, _, before), docx in zip(corpus, resaved, strict=True):
        try:
            result = import_docx(docx, str(folder), build_dir=tmp_path / "build")
            problem = "" if result.unchanged and _sources(folder) == before else result.diff()
        except Exception as exc:  # any failure is reported with the brief that raised it
            problem = f"{type(exc).__name__}: {exc}"
        if problem:
            brief = (folder / "brief.md").read_text(encoding="utf-8")
            failures.append(f"{folder.name}: {problem}\n--- the brief:\n{brief}")
    print(f"\nword corpus: {len(corpus)} briefs; build and direct import "
          f"{built - started:.1f} s, LibreOffice {converted - built:.1f} s, import of the "
          f"re-saved files {time.perf_counter() - converted:.1f} s; "
          f"{len(corpus) - len(failures)} byte-identical, {len(failures)} changed")
    assert not failures, "\n\n".join(failures[:3])
