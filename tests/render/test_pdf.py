"""The print PDF, asserted through what a reader sees: pages, text, outline, links, tags, fonts.

Each brief is built once per module (the fixture briefs once per test run, with
test_pdf_print.py: conftest's ``built_once``); the tests read the PDF with pypdf/pikepdf and
poppler's pdftotext (its ``-bbox`` mode gives every word with its box on the page).
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pikepdf
import pytest
import weasyprint
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from briefpress.build import build
from briefpress.check.brief import check_outputs, compare_outlines
from briefpress.cli import main
from briefpress.errors import BriefError
from briefpress.model.brief import Brief
from briefpress.model.options import RenderOptions
from briefpress.read.brief import read_brief
from briefpress.readback import pdf as pdf_outline
from briefpress.render import design, htmlparts, pdf_layout
from briefpress.render import pdf as pdf_format
from conftest import (
    ARCTIC,
    FRENCH,
    REAL,
    WATER,
    SharedBuild,
    append,
    brief_words,
    edit,
    english_and_the_brief_s,
)

pytestmark = pytest.mark.slow

POINTS_PER_INCH = 72.0


# --------------------------------------------------------------------------- reading a PDF

@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    """Box in points from the top-left corner of the page, as pdftotext reports it."""


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    def text_in(self, top: float, bottom: float) -> str:
        """Words whose box lies between ``top`` and ``bottom`` (points from the top)."""
        return " ".join(w.text for w in self.words if w.y0 >= top and w.y1 <= bottom)


_XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def pages_of(path: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         check=True).stdout
    return [Page(float(page.get("width")), float(page.get("height")),
                 [Word(word.text or "", *(float(word.get(edge))
                                          for edge in ("xMin", "yMin", "xMax", "yMax")))
                  for word in page.iterfind("x:word", _XHTML)])
            for page in etree.fromstring(out).iterfind(".//x:page", _XHTML)]


def body_text(path: Path, page: Page) -> str:
    """The text of every page in reading order, page furniture (running head, folio) cropped."""
    top, _, bottom, _ = margins()
    out = subprocess.run(["pdftotext", "-x", "0", "-y", str(int(top)), "-W", str(int(page.width)),
                          "-H", str(int(page.height - top - bottom)), str(path), "-"],
                         capture_output=True, check=True, text=True).stdout
    return out


def margins() -> tuple[float, float, float, float]:
    """The page margins of the tokens, in points: top, right, bottom, left."""
    values = [_points(v) for v in design.tokens().page.margins.split()]
    return values[0], values[1], values[2], values[3]


def _points(length: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(in|mm|pt)", length).groups()
    return float(number) * {"in": POINTS_PER_INCH, "mm": POINTS_PER_INCH / 25.4, "pt": 1}[unit]


def normalise(text: str) -> str:
    """Text as compared: ligatures and quotes plain, line-end hyphens joined, spaces single.

    Applied to the source and to the extracted text alike.

    Hyphens are dropped altogether: a line may break after the hyphen of a compound
    ("Indo-" / "Pacific") as well as inside a hyphenated word, and the extracted text
    cannot tell which.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"',
                                         "\u201d": '"', "\u00a0": " ", "\u00ad": ""}))
    text = re.sub(r"-\s*", "", text)
    text = re.sub(r"\s*([\u2013\u2014])\s*", r"\1", text)  # lines break around dashes
    return re.sub(r"\s+", " ", text).strip()


def named_pages(reader: PdfReader) -> dict[str, int]:
    """Named destination -> 1-based page number."""
    return {str(name): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


def bookmarks(reader: PdfReader, items: list[Any] | None = None, level: int = 1
              ) -> Iterator[tuple[int, str, int]]:
    """(level, title, 1-based page) of every bookmark, in order."""
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from bookmarks(reader, item, level + 1)
        else:
            yield level, str(item.title), reader.get_destination_page_number(item) + 1


def _internal_links(path: Path) -> set[tuple[int, str]]:
    """(1-based page, named destination) of every link annotation to a place in the PDF."""
    pdf = pikepdf.open(path)
    return {(number, str(annotation.Dest))
            for number, page in enumerate(pdf.pages, start=1)
            for annotation in page.get("/Annots", []) if "/Dest" in annotation}


NOTE = "\x00"
"""Stands where a footnote is called: the reader sees its number there."""


def source_paragraphs(brief: Brief) -> list[str]:
    """Every paragraph the reader must find, in reading order, with NOTE where notes are called.
    """
    from briefpress.model import blocks as b

    def text(inlines: list[Any]) -> str:
        return b.stringify([b.Str(NOTE) if isinstance(node, b.Note) else node
                            for node in inlines])

    def paragraphs(blocks: list[Any]) -> Iterator[str]:
        for block in blocks:
            if isinstance(block, b.Plain):  # Para too
                yield text(block.content)
            elif isinstance(block, (b.BulletList, b.OrderedList)):
                for item in block.items:
                    yield from paragraphs(item)
            elif isinstance(block, (b.BlockQuote, b.Div)):
                yield from paragraphs(block.content)

    found: list[str] = []
    for section in brief.walk():
        if section.generated_from == "recommendations":
            found += paragraphs(brief.fragments.get("intro", []))
            for area in brief.recommendations.areas:
                for rec in area.recommendations:
                    found += paragraphs(brief.fragments[f"rec:{rec.id}"])
        elif section.generated_from == "authors":
            for index, _ in enumerate(brief.meta.authors):
                found += paragraphs(brief.fragments.get(f"bio:{index}", []))
        else:
            found += paragraphs(section.blocks)
    return [p for p in found if p.strip()]


def footnotes(brief: Brief) -> list[str]:
    from briefpress.model import blocks as b

    return [b.stringify(node.content) for node in b.walk(brief.body())
            if isinstance(node, b.Note)]


def overlaps(words: list[Word], tolerance: float = 0.5) -> list[tuple[Word, Word]]:
    """Pairs of words drawn over each other.

    pdftotext boxes span the font's whole ascent and descent, so the lines of tightly
    leaded display type touch; each box is taken at the middle 60% of its height, where
    the letters are.
    """
    def core(w: Word) -> tuple[float, float]:
        inset = (w.y1 - w.y0) * 0.2
        return w.y0 + inset, w.y1 - inset

    found = []
    ordered = sorted(words, key=lambda w: core(w)[0])
    for index, a in enumerate(ordered):
        a_top, a_bottom = core(a)
        for b in ordered[index + 1:]:
            b_top, b_bottom = core(b)
            if b_top >= a_bottom - tolerance:
                break
            if min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance \
                    and min(a_bottom, b_bottom) - max(a_top, b_top) > tolerance:
                found.append((a, b))
    return found


# --------------------------------------------------------------------------- the builds

@dataclass
class Built:
    brief: Brief
    path: Path
    reader: PdfReader
    pages: list[Page]


def _build(folder: Path, out: Path, options: RenderOptions | None = None) -> Built:
    path = build([str(folder)], ["pdf"], options, build_dir=out)[0]
    return _read(folder, path)


def _read(folder: Path, path: Path) -> Built:
    return Built(read_brief(folder), path, PdfReader(path), pages_of(path))


def _shared(built_once: Callable[..., SharedBuild], folder: Path) -> Built:
    """A fixture brief's PDF, from the build of both PDF editions that test_pdf_print.py
    reads too (made once for both files): the same bytes as a build of the PDF alone
    (test_identical_bytes_on_two_builds compares the two)."""
    return _read(folder, built_once([folder], ["pdf", "print"]).outputs[0])


@pytest.fixture(scope="module")
def real(built_once: Callable[..., SharedBuild]) -> Built:
    return _shared(built_once, REAL)


@pytest.fixture(scope="module")
def arctic(built_once: Callable[..., SharedBuild]) -> Built:
    return _shared(built_once, ARCTIC)


@pytest.fixture(params=["real", "arctic"])
def built(request: pytest.FixtureRequest) -> Built:
    return request.getfixturevalue(request.param)


def _generated(tmp_path_factory: pytest.TempPathFactory, name: str, body: str,
               title: str | None = None, recommendations: str | None = None) -> Built:
    """A brief made from the arctic fixture with another body (and title, recommendations)."""
    root = tmp_path_factory.mktemp(name)
    folder = root / "content" / name
    shutil.copytree(ARCTIC, folder)
    if recommendations:
        (folder / "recommendations.yaml").write_text(recommendations, encoding="utf-8")
    text = (folder / "brief.md").read_text(encoding="utf-8")
    head, _, _ = text.partition("# Executive Summary")
    if title:
        head = re.sub(r'^title: .*$', f'title: "{title}"', head, count=1, flags=re.M)
    (folder / "brief.md").write_text(head + body, encoding="utf-8")
    return _build(folder, root / "build")


def _paragraphs_of_real_brief() -> list[str]:
    text = (REAL / "brief.md").read_text(encoding="utf-8")
    return [block for block in text.split("\n\n")
            if block and block[0].isalpha() and "]: " not in block]


_SHORT_LIST = "\n\n- first of list{n};\n- second of list{n};\n- third of list{n}."
"""What the long body adds after the second paragraph of each subsection: a list of three
one-line items, 36 of them at every height of the page (named by the subsection:
``list3x2``)."""


@pytest.fixture(scope="module")
def long_body(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Forty-odd pages of body: the real brief's paragraphs, repeated in many sections, and
    a recommendation area too long for one page."""
    paragraphs = _paragraphs_of_real_brief()
    recommendations = "areas:\n  - id: everything\n    title: Everything at Once\n" \
        "    recommendations:\n" + "".join(
            f"      - id: rec-{n}\n        section: part-{n}\n"
            f"        text: {json.dumps(paragraphs[n + 2])}\n" for n in range(1, 13))
    sections = []
    for number in range(1, 13):
        subsections = "".join(
            f"## {number}.{sub} Subsection {sub} of part {number} {{#part-{number}-{sub}}}\n\n"
            + "\n\n".join(paragraphs[(number * 7 + sub * 3 + k) % len(paragraphs)]
                            + (_SHORT_LIST.format(n=f"{number}x{sub}") if k == 1 else "")
                          for k in range(4)) + "\n\n"
            for sub in range(1, 4))
        sections.append(f"# Part {number} {{#part-{number}}}\n\n{paragraphs[number]}\n\n"
                        + subsections)
    body = ("# Executive Summary {#executive-summary}\n\n" + paragraphs[0] + "\n\n"
            "# Introduction {#introduction}\n\n" + paragraphs[1] + "\n\n"
            + "".join(sections).replace("{#part-2-1}", "{#traffic}")
            .replace("{#part-3-1}", "{#what-should-change}")
            + "# Conclusion {#conclusion}\n\n" + paragraphs[-1] + "\n")
    return _generated(tmp_path_factory, "long-body", body, recommendations=recommendations)


@pytest.fixture(scope="module")
def short_body(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A one-page body and a title of over four hundred characters."""
    title = ("Shipping Lanes at the Top of the World: Governing Arctic Transit, Search and "
             "Rescue, Insurance and Environmental Protection in a Warming Decade of Rapidly "
             "Growing Traffic Through the Northern Sea Route and the Northwest Passage, with "
             "Lessons from the Baltic, the Bering Strait and the Strait of Malacca for Coastal "
             "States, Flag States, Insurers, Classification Societies and the Communities "
             "Who Live Along the Routes")
    assert len(title) > 400
    body = ("# Executive Summary {#executive-summary}\n\nOne paragraph of summary.\n\n"
            "# Introduction {#introduction}\n\nOne paragraph of introduction.\n\n"
            "# The Traffic Is Already Here {#traffic}\n\nVessel counts tell the story.\n\n"
            "# What Should Change {#what-should-change}\n\nCoastal states should agree.\n\n"
            "# Conclusion {#conclusion}\n\nThe Arctic will not wait.\n")
    return _generated(tmp_path_factory, "short-body", body, title=title)


# --------------------------------------------------------------------------- pages

def test_page_count_is_sane_and_even(real: Built, arctic: Built) -> None:
    # Cover, inner pages, back cover; an even count so the back cover is a left-hand page.
    assert 10 <= len(real.pages) <= 18
    assert 5 <= len(arctic.pages) <= 8
    assert len(real.pages) % 2 == 0 and len(arctic.pages) % 2 == 0


def test_page_size_is_letter_by_default_and_a4_by_option(arctic: Built, tmp_path: Path) -> None:
    box = arctic.reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    a4 = build([str(ARCTIC)], ["pdf"], RenderOptions(page_size="a4"), build_dir=tmp_path)[0]
    box = PdfReader(a4).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_the_cover_band_shows_the_series_under_the_program(scratch: Any, tmp_path: Path
                                                           ) -> None:
    folder = scratch()
    edit(folder / "brief.md", 'program: "Polar Institute"\n',
         'program: "Polar Institute"\nseries: "High North Papers"\n')
    pdf, = build([str(folder)], ["pdf"], build_dir=tmp_path / "b")
    lines = [line.strip() for line in PdfReader(pdf).pages[0].extract_text().split("\n")]
    program = lines.index("POLAR INSTITUTE")
    assert lines[program + 1] == "High North Papers"


def test_cover_has_title_and_byline_but_no_running_head_or_folio(built: Built) -> None:
    meta = built.brief.meta
    cover = built.pages[0]
    text = " ".join(w.text for w in cover.words)
    assert normalise(meta.title) in normalise(text)
    if meta.subtitle:
        assert normalise(meta.subtitle) in normalise(text)
    for author in meta.authors:
        assert author.name in text
    assert meta.publisher.short_name in text
    assert meta.program in text.replace("\n", " ") or meta.program.upper() in text
    top, _, bottom, _ = margins()
    furniture = cover.text_in(0, top) + " " + cover.text_in(cover.height - bottom, cover.height)
    assert pdf_format.running_title(meta.title) not in furniture
    assert not re.search(r"\b1\b", furniture)


def test_every_inner_page_has_running_head_and_folio(built: Built) -> None:
    top, _, bottom, _ = margins()
    running = pdf_format.running_title(built.brief.meta.title)
    blank = 0
    for number, page in enumerate(built.pages[1:-1], start=2):
        head, foot = page.text_in(0, top), page.text_in(page.height - bottom, page.height)
        if not page.words:  # the page left blank before the back cover
            blank += 1
            continue
        assert head == running, f"page {number}"
        assert foot.split()[-1] == str(number), f"page {number}"
    assert blank <= 1
    back = built.pages[-1]
    assert running not in back.text_in(0, back.height)


def test_back_cover_has_the_colophon(built: Built) -> None:
    publisher = built.brief.meta.publisher
    text = " ".join(w.text for w in built.pages[-1].words)
    assert publisher.name in text
    for line in publisher.address:
        assert line in text
    assert "www.wilsoncenter.org" in text


@pytest.mark.parametrize(("lang", "shown"), [("en-US", "June 2025"), ("en-GB", "June 2025"),
                                             ("fr", "2025-06")])
def test_the_cover_dates_the_brief_by_month_as_the_web_page_would(lang: str, shown: str) -> None:
    """The house style shows month and year on the cover and the colophon; in the words the
    web page uses for the brief's language (an English month only in English)."""
    brief = read_brief(ARCTIC)
    meta = msgspec.structs.replace(brief.meta, lang=lang, date=datetime.date(2025, 6, 3),
                                   date_precision="day")
    shown_by = pdf_format.print_document(msgspec.structs.replace(brief, meta=meta),
                                         RenderOptions()).date_display
    assert shown_by == shown == meta.date_display(finest="month")


def test_a_brief_in_another_language_marks_the_pdf_s_own_english_words() -> None:
    """As on the web page (WCAG 2.1 SC 3.1.2): the words the print template writes, and
    those briefpress writes inside the brief's text, are marked lang="en" in a French brief;
    none of the brief's own words is. (WeasyPrint writes only the document's /Lang, not one
    per structure element: the marks reach the layout, its hyphenation, not a PDF reader.)"""
    html = pdf_format.render_html(read_brief(FRENCH), RenderOptions())
    tree = lxml_html.fromstring(html)
    assert tree.get("lang") == "fr"
    assert english_and_the_brief_s(tree.find("body"), "fr", brief_words(FRENCH)) == {
        "Policy Brief", "In brief", "Policy Recommendations", "See", "Figure 1", "Table 1",
        "Figure 1:", "Table 1:", "About the Authors", "Sources", "Published", "X", "LinkedIn"}
    english = pdf_format.render_html(read_brief(ARCTIC), RenderOptions())
    assert lxml_html.fromstring(english).xpath("//body//*[@lang]") == []


def test_long_title_shortens_in_running_head() -> None:
    assert pdf_format.running_title("Short Title") == "Short Title"
    assert pdf_format.running_title(
        "Shipping Lanes at the Top of the World: Governing Arctic Transit in a Warming Decade"
    ) == "Shipping Lanes at the Top of the World"
    cut = pdf_format.running_title("word " * 30)
    assert cut.endswith("…") and len(cut) <= pdf_format.RUNNING_TITLE_MAX + 1


# --------------------------------------------------------------------------- text

def test_every_paragraph_of_the_source_appears_in_order(built: Built) -> None:
    text = normalise(body_text(built.path, built.pages[0]))
    for note in footnotes(built.brief):  # notes sit at the page foot, between paragraphs
        text = text.replace(normalise(note), " ")
    text = re.sub(r"\s+", " ", text)
    position = 0
    paragraphs = source_paragraphs(built.brief)
    assert len(paragraphs) > (40 if built is not None and built.brief.slug == "us-rok-partnership"
                              else 10)
    for paragraph in paragraphs:
        pattern = re.escape(normalise(paragraph)).replace(re.escape(NOTE), r"\d+")
        found = re.compile(pattern).search(text, position)
        assert found, f"missing or out of order: {paragraph[:80]!r}"
        position = found.end()


def test_footnotes_are_set_at_the_foot_of_the_page_that_calls_them(arctic: Built) -> None:
    notes = footnotes(arctic.brief)
    assert len(notes) == 2
    _, _, bottom, _ = margins()
    for number, note in enumerate(notes, start=1):
        pages = [p for p in arctic.pages
                 if normalise(note) in normalise(" ".join(w.text for w in p.words))]
        assert len(pages) == 1, note
        page = pages[0]
        marker = next(w for w in page.words if w.text == f"{number}.")
        # Below the note's marker there is nothing but the note itself (and the folio).
        below = " ".join(w.text for w in page.words
                         if w.y0 >= marker.y0 - 1 and w.y0 < page.height - bottom)
        assert normalise(below) == normalise(f"{number}. {note}")
        # ... and the sentence that calls it stands on the same page, with the number.
        calling = next(p for p in source_paragraphs(arctic.brief) if NOTE in p)
        if number == 2:
            calling = [p for p in source_paragraphs(arctic.brief) if NOTE in p][1]
        before_call = normalise(calling.split(NOTE)[0])[-20:]
        page_text = normalise(" ".join(w.text for w in page.words)).replace(" ", "")
        assert (before_call + str(number)).replace(" ", "") in page_text


def test_figure_and_table_have_captions_and_alt_text(arctic: Built) -> None:
    text = normalise(" ".join(w.text for p in arctic.pages for w in p.words))
    assert normalise("FIGURE 1: Transits through the Northern Sea Route") in text
    assert normalise("TABLE 1: Transits by year (illustrative figures).") in text
    pdf = pikepdf.open(arctic.path)
    figures = [e for e in _struct_elements(pdf) if e.get("/S") == "/Figure"]
    assert [str(f.get("/Alt")) for f in figures] == [
        "Transits through the Northern Sea Route, 2019–2023 (illustrative)."]


# --------------------------------------------------------------------------- outline and links

def test_outline_read_back_matches_the_source(built: Built) -> None:
    read = pdf_format.read_outline(built.path)
    assert [(e.kind, e.level, e.id) for e in read] == \
        [(e.kind, e.level, e.id) for e in built.brief.outline()]
    assert compare_outlines(built.brief.outline(), read, "the PDF", built.path) == []


def test_each_section_title_is_on_the_page_its_bookmark_points_to(built: Built) -> None:
    marks = list(bookmarks(built.reader))
    sections = [s for s in built.brief.walk()]
    areas = [a.title for a in built.brief.recommendations.areas]
    assert [title for _, title, _ in marks] == [
        t for s in sections for t in
        ([s.title] + (areas if s.generated_from == "recommendations" else []))]
    for level, title, page in marks:
        # Letter-spaced capitals come out of pdftotext with spaces inside the words.
        text = normalise(" ".join(w.text for w in built.pages[page - 1].words)).replace(" ", "")
        title = normalise(title).replace(" ", "")
        assert title in text or title.upper() in text, (title, page)
        assert level in (1, 2)


def test_every_recommendation_is_present_and_its_link_resolves(built: Built) -> None:
    names = named_pages(built.reader)
    links = _internal_links(built.path)
    text = normalise(" ".join(w.text for p in built.pages for w in p.words))
    for area in built.brief.recommendations.areas:
        assert f"area:{area.id}" in names
        for rec in area.recommendations:
            assert f"recommendation:{rec.id}" in names
            section = built.brief.section(rec.section)
            # The link goes to the section's heading, and the page it prints is that page.
            assert (names[f"recommendation:{rec.id}"], rec.section) in links
            page = names[rec.section]
            title = htmlparts.unnumbered(section.title)  # "1) Economic …" reads "Economic …"
            assert normalise(f"See {title}, p. {page}") in text
            assert not re.search(r"See \d\)", text)


def test_live_links_are_link_annotations_and_pending_ones_are_plain_text(real: Built) -> None:
    uris = {str(a.A.URI) for p in pikepdf.open(real.path).pages for a in p.get("/Annots", [])
            if "/A" in a and a.A.get("/S") == "/URI"}
    known = {link.url for link in real.brief.links if link.url}
    assert known <= uris
    assert uris - known == {real.brief.meta.publisher.url}
    pending = [link.text for link in real.brief.links if not link.url]
    assert pending  # the real brief has links whose targets are not known yet


def test_outline_command_prints_the_pdf_outline(real: Built, capsys: pytest.CaptureFixture[str]
                                                ) -> None:
    assert main(["outline", str(real.path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Executive Summary  #executive-summary"
    assert "    recommendation  #cybersecurity-framework" in lines
    assert lines[-1] == "About the Author  #about-the-author"


def test_outline_of_a_damaged_pdf_is_an_error_not_a_traceback(
        real: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(real.path.read_bytes()[:2000])
    assert main(["outline", str(damaged)]) == 2
    assert capsys.readouterr().err == (
        f"{damaged}: error: cannot read the PDF: unable to find trailer dictionary while "
        "recovering damaged file "
        "(fix: rebuild it with `briefpress build`)\n")


def test_check_fails_for_a_pdf_with_a_section_missing_or_out_of_order(
        real: Built, tmp_path: Path) -> None:
    slug = real.brief.slug
    target = tmp_path / slug / f"{slug}.pdf"
    target.parent.mkdir()

    with pikepdf.open(real.path) as pdf:  # drop the bookmark of the Conclusion
        with pdf.open_outline() as outline:
            outline.root[:] = [item for item in outline.root if item.title != "Conclusion"]
        pdf.save(target)
    assert [p.message for p in check_outputs(real.brief, tmp_path)] == [
        "the PDF edition is missing section 'Conclusion' (conclusion)"]

    with pikepdf.open(real.path) as pdf:  # swap Introduction and Executive Summary
        with pdf.open_outline() as outline:
            first, second = outline.root[0], outline.root[2]
            assert (first.title, second.title) == ("Executive Summary", "Introduction")
            outline.root[:] = [second, outline.root[1], first, *outline.root[3:]]
        pdf.save(target)
    [problem] = check_outputs(real.brief, tmp_path)
    assert problem.message.startswith("the PDF edition has its sections out of order: ")


def test_check_fails_for_a_pdf_built_with_sections_in_another_order(
        real: Built, scratch: Any, tmp_path: Path) -> None:
    folder = scratch(REAL)
    text = (folder / "brief.md").read_text(encoding="utf-8")
    head, rest = text.split("# US-ROK Policy Alignment", 1)
    alignment, rest = rest.split("# Strategic Alliance", 1)
    security, rest = rest.split("# Expanding Cooperation", 1)
    (folder / "brief.md").write_text(head + "# Strategic Alliance" + security
                                     + "# US-ROK Policy Alignment" + alignment
                                     + "# Expanding Cooperation" + rest, encoding="utf-8")
    swapped = build([str(folder)], ["pdf"], build_dir=tmp_path / "swapped")[0]
    target = tmp_path / "built" / real.brief.slug / f"{real.brief.slug}.pdf"
    target.parent.mkdir(parents=True)
    shutil.copy(swapped, target)
    problems = [p.message for p in check_outputs(real.brief, tmp_path / "built")]
    assert problems == ["the PDF edition has its sections out of order: 'security-and-defense' "
                        "stands where the source has 'policy-alignment'"]


# --------------------------------------------------------------------------- the file

def test_fonts_are_the_bundled_ones_embedded_and_subset(built: Built) -> None:
    pdf = pikepdf.open(built.path)
    fonts = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            fonts[str(font.BaseFont)] = any(k in descriptor for k in
                                            ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    for name in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+Source-(Serif-4|Sans-3).*", name), name


def test_metadata(real: Built) -> None:
    meta = real.brief.meta
    info = real.reader.metadata
    assert info.title == f"{meta.title}: {meta.subtitle}"
    assert info.author == "Kayla Orta"
    assert info.subject.startswith("The alliance between the United States and the Republic")
    assert info["/Keywords"] == ", ".join(meta.keywords)
    assert info["/Creator"].startswith("briefpress ")
    pdf = pikepdf.open(real.path)
    assert str(pdf.Root.Lang) == "en-US"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
    xmp = str(pdf.open_metadata())
    assert 'pdfuaid:part="1"' in xmp
    assert f"{meta.title}: {meta.subtitle}" in xmp


def test_authors_of_a_brief_with_several(arctic: Built) -> None:
    assert arctic.reader.metadata.author == "Ana Lindqvist, Tomás Okafor"
    assert arctic.reader.metadata.title == arctic.brief.meta.title  # no subtitle


@pytest.fixture(scope="module")
def water(built_once: Callable[..., SharedBuild]) -> Built:
    return _shared(built_once, WATER)


def _runs(reader: PdfReader, page: int) -> list[tuple[str, str, float]]:
    """The text runs of a page: text, the font's BaseFont, the size it is set at."""
    runs: list[tuple[str, str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip() and font is not None:
            runs.append((text.strip(), str(font["/BaseFont"]), round(size * tm[0] * cm[0], 1)))

    reader.pages[page].extract_text(visitor_text=visit)
    return runs


def test_the_works_cited_are_titled_and_set_as_a_section(water: Built) -> None:
    """"Sources" is titled as "About the Authors" above it (its face and size, at the
    page's left), and its entries stand in the text column, where the bios do."""
    page = next(i for i, p in enumerate(water.pages)
                if any(w.text == "Sources" for w in p.words))
    words = water.pages[page].words
    runs = {text: (font, size) for text, font, size in _runs(water.reader, page)}
    assert runs["Sources"] == runs["About the Authors"]
    sources = next(w for w in words if w.text == "Sources")
    about = next(w for w in words if w.text == "About")
    assert sources.x0 == pytest.approx(about.x0, abs=0.5)
    below = lambda heading: min((w for w in words if w.y0 > heading.y1),  # noqa: E731
                                key=lambda w: (round(w.y0), w.x0))
    entry, bio = below(sources), below(about)
    assert entry.text.startswith("McCaffrey") and bio.text == "The"
    assert entry.x0 == pytest.approx(bio.x0, abs=0.5)
    assert entry.x0 > sources.x0 + 36  # the hanging margin, not the full measure


def _struct_elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR" \
                    and "/S" in kid:
                yield kid
                stack.append(kid)


def test_tagged_with_a_structure_tree(real: Built) -> None:
    pdf = pikepdf.open(real.path)
    assert bool(pdf.Root.MarkInfo.Marked) is True
    kinds = [str(e.S) for e in _struct_elements(pdf)]
    assert kinds.count("/H1") == 1  # the title
    assert {"/Document", "/H2", "/H3", "/P", "/L", "/LI", "/Link", "/Sect"} <= set(kinds)
    assert all("/StructParents" in page for page in pdf.pages)


def _names_and_strings(value: Any, seen: set[tuple[int, int]]) -> Iterator[str | bytes]:
    """Every name (dictionary keys included) and string in ``value`` and what it holds."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        if value.objgen in seen:
            return
        seen.add(value.objgen)
    if isinstance(value, pikepdf.Name):
        yield str(value)
    elif isinstance(value, pikepdf.String):
        yield bytes(value)
    elif isinstance(value, pikepdf.Array):
        for item in value:
            yield from _names_and_strings(item, seen)
    elif isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
        for key, item in value.items():
            yield key
            yield from _names_and_strings(item, seen)


def test_no_javascript_no_external_references_nothing_embedded(built: Built) -> None:
    pdf = pikepdf.open(built.path)
    seen: set[tuple[int, int]] = set()
    found = {found for obj in pdf.objects for found in _names_and_strings(obj, seen)}
    assert "/Outlines" in found and b"Introduction" in found  # the walk sees the whole file
    assert not found & {"/JavaScript", "/JS", "/Launch", "/GoToR", "/GoToE", "/EmbeddedFile",
                        "/EmbeddedFiles", "/SubmitForm", "/ImportData", "/OpenAction", "/AA"}
    assert not [s for s in found if isinstance(s, bytes) and b"file:" in s.lower()]
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            assert annotation.Subtype == "/Link"
            if "/A" in annotation:
                assert str(annotation.A.URI).startswith("https://")


def test_identical_bytes_on_two_builds(arctic: Built, tmp_path: Path) -> None:
    again = build([str(ARCTIC)], ["pdf"], build_dir=tmp_path)[0]
    assert again.read_bytes() == arctic.path.read_bytes()
    assert "/CreationDate" not in arctic.reader.metadata  # no date known: none invented


def test_source_date_epoch_sets_the_dates(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709251200")
    path = build([str(ARCTIC)], ["pdf"], build_dir=tmp_path)[0]
    info = PdfReader(path).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20240301000000Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BriefError) as caught:
        build([str(ARCTIC)], ["pdf"], build_dir=tmp_path)
    assert str(caught.value) == ("SOURCE_DATE_EPOCH: error: not a number of seconds since 1970 "
                                 "up to year 9999: 'yesterday' (fix: set it to a whole number "
                                 "of seconds, e.g. `git log -1 --format=%ct`, or unset it)")


# --------------------------------------------------------------------------- layout limits

def _assert_laid_out_cleanly(built: Built) -> None:
    """Every word inside its page with room to spare, inner pages within the margins,
    and no two words on top of each other."""
    _, right, _, left = margins()
    for number, page in enumerate(built.pages, start=1):
        for word in page.words:
            assert word.x0 >= 18 and word.x1 <= page.width - 18, (number, word)
            assert word.y0 >= 18 and word.y1 <= page.height - 18, (number, word)
            if 1 < number < len(built.pages):
                assert left - 0.5 <= word.x0 and word.x1 <= page.width - right + 0.5, \
                    (number, word)
        assert overlaps(page.words) == [], number


def test_real_and_arctic_lay_out_cleanly(built: Built) -> None:
    _assert_laid_out_cleanly(built)


WIDE_ROW = "| Norway-and-Svalbard-administrative-region | " + "1,234,567 | " * 10 + "+12,345,678 |"
WIDE_BODY = (
    "# Executive Summary {#executive-summary}\n\nOne paragraph of summary.\n\n"
    "# Introduction {#introduction}\n\nOne paragraph of introduction.\n\n"
    "# The Traffic Is Already Here {#traffic}\n\n"
    "| Country | " + " | ".join(str(year) for year in range(2015, 2025))
    + " | Total change over the decade |\n|" + "---|" * 12 + "\n" + WIDE_ROW + "\n\n"
    ": Wide table {#tbl-wide}\n\n"
    "| Port | Year |\n|---|---|\n| " + "Q" * 90 + " | 2024 |\n\n"
    "| Call sign |\n|---|\n| " + "W" * 66 + " |\n\n"
    "A long token: " + "a" * 100 + "/bbbb and more text.\n\n"
    "```\nresult = some_function(argument_one, argument_two, argument_three, argument_four)\n```"
    "\n\n# What Should Change {#what-should-change}\n\nCoastal states should agree.\n\n"
    "# Conclusion {#conclusion}\n\nThe Arctic will not wait.\n")
"""A table of twelve columns, one whose cell is a word wider than the column (its line long
enough for pandoc to give the columns widths), one whose cell is (in lines short enough
that pandoc gives none), a word of a hundred letters and a line of code longer than the
column: none fits as it is written."""


@pytest.fixture(scope="module", params=["letter", "a4"])
def wide(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Built:
    built = _generated(tmp_path_factory, f"wide-{request.param}", WIDE_BODY)
    if request.param == "letter":
        return built
    folder = built.brief.folder
    return _build(folder, folder.parent.parent / "a4",
                  RenderOptions(page_size=request.param))


def test_what_is_wider_than_the_column_breaks_and_stays_on_the_page(wide: Built) -> None:
    """print.css: a table, a word and a line of code too wide for the column are broken
    within the page's margins; nothing is cut, nothing runs into the margin."""
    _assert_laid_out_cleanly(wide)
    words = [word.text for page in wide.pages for word in page.words]
    for heading in ("Country", "2015", "2024", "Total", "decade"):
        assert heading in words
    text = "".join(words)
    assert "a" * 100 + "/bbbb" in text
    assert text.count("Q") == 90 and text.count("W") >= 66  # broken, none cut
    assert any(word.startswith("+12,345,") for word in words)  # broken where it must be
    assert "argument_four)" in text


NESTED_BODY = (
    "# Executive Summary {#executive-summary}\n\nOne paragraph of summary.\n\n"
    "# Introduction {#introduction}\n\nOne paragraph of introduction.\n\n"
    "# The Traffic Is Already Here {#traffic}\n\n::: aside\n\n"
    "| Insurer | Claims over the decade, as the insurers reported them to the registry |\n"
    "|---------|------------------------------------------------------------------------|\n"
    "| Lloyds | " + "many small claims and a few large ones " * 6 + "|\n\n:::\n\n"
    "# What Should Change {#what-should-change}\n\nCoastal states should agree.\n\n"
    "# Conclusion {#conclusion}\n\nThe Arctic will not wait.\n")
"""A table whose source gives its columns' widths, in a ``::: div`` (not a section's own
block), and a twelve-column table in a recommendation."""

NESTED_RECOMMENDATIONS = (
    "areas:\n  - id: insurance\n    title: Insurance\n    recommendations:\n"
    "      - id: shared-loss-data\n        section: traffic\n        text: |\n"
    "          Pool loss data.\n\n"
    "          | Insurer | " + " | ".join(f"Y{year}" for year in range(2012, 2023)) + " |\n"
    "          |---|" + "---:|" * 11 + "\n"
    "          | Lloyds | " + "+12,345,678 | " * 10 + "Last |\n")


def test_a_table_outside_a_section_s_own_blocks_takes_its_container_s_width(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """print.css takes the hanging margin off a section's own tables only: a table in a
    div or a recommendation box has its container's width (its right edge at the column's
    or the box's), not one narrowed by a margin it does not have."""
    built = _generated(tmp_path_factory, "nested", NESTED_BODY,
                       recommendations=NESTED_RECOMMENDATIONS)
    _assert_laid_out_cleanly(built)
    _, right, _, _ = margins()
    pages = {word.text: (page, word) for page in built.pages for word in page.words
             if word.text in ("Last", "registry", "Y2022")}
    assert set(pages) == {"Last", "registry", "Y2022"}
    for text in ("Last", "Y2022"):  # right-aligned in the box: at its padding
        page, word = pages[text]
        assert word.x1 >= page.width - right - 30, (text, word, page.width)
    page, _ = pages["registry"]  # the wrapped cell's lines run to the column's right edge
    cell = [word.x1 for word in page.words if word.text in ("many", "small", "claims", "and",
                                                              "a", "few", "large", "ones")]
    assert max(cell) >= page.width - right - 30


def _lines_under_headings(built: Built) -> list[tuple[str, int, int]]:
    """(title, page, lines of text under the heading on that page) for every section."""
    _, _, bottom, _ = margins()
    titles = {section.title for section in built.brief.walk()}
    found = []
    for item in _flat_outline(built.reader):
        if str(item.title) not in titles:
            continue  # recommendation areas: their boxes never split
        number = built.reader.get_destination_page_number(item) + 1
        page = built.pages[number - 1]
        top = page.height - float(item.top)
        lines: dict[int, list[str]] = {}
        for word in page.words:
            if word.y0 >= top - 2 and word.y1 < page.height - bottom:
                lines.setdefault(round(word.y0), []).append(word.text)
        heading, wanted, used = "", normalise(str(item.title)).replace(" ", ""), 0
        for _, words in sorted(lines.items()):
            if wanted in heading:
                break
            heading += normalise(" ".join(words)).replace(" ", "")
            used += 1
        assert wanted in heading, (item.title, number)
        found.append((str(item.title), number, len(lines) - used))
    return found


def _flat_outline(reader: PdfReader, items: list[Any] | None = None) -> Iterator[Any]:
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from _flat_outline(reader, item)
        else:
            yield item


def test_no_heading_is_stranded_at_a_page_foot(real: Built, arctic: Built, long_body: Built
                                               ) -> None:
    # What follows every heading of the real brief and of the long body runs two lines or
    # more (three with orphans: 3, except the two-line bio), and must not be cut after one.
    # The arctic brief has one-line paragraphs.
    for document, minimum in ((real, 2), (long_body, 2), (arctic, 1)):
        lines = _lines_under_headings(document)
        assert len(lines) == len(list(document.brief.walk()))
        assert [entry for entry in lines if entry[2] < minimum] == []


def test_no_list_item_is_alone_at_a_page_turn(long_body: Built) -> None:
    """Tester 13: a list of three items split 2+1 at a page turn. The first item stays with
    the second and the last with the one before it, so a short list moves whole."""
    def pages_with(word: str) -> set[int]:
        return {number for number, page in enumerate(long_body.pages, start=1)
                if any(w.text.startswith(word) for w in page.words)}

    lists = [f"list{part}x{sub}" for part in range(1, 13) for sub in range(1, 4)]
    assert all(pages_with(name) for name in lists)
    assert [name for name in lists if len(pages_with(name)) > 1] == []


def test_a_note_is_set_on_the_page_of_its_call() -> None:
    """Tester 13: a note called on the last line of a page was set on the next (WeasyPrint's
    footnote-policy auto moves the note alone). The house stylesheet's policy, line, takes
    the call's line over with its note. Forty-seven one-line paragraphs each calling a note,
    laid out with the stylesheet as render/pdf.py gives it: under auto, the 22nd call ends
    page 1 and its note opens page 2."""
    body = "".join(f'<p>Line{n} calls its note.<span class="footnote">Note{n}.</span></p>'
                   for n in range(1, 48))
    html = f"<main class='body'><section class='section'>{body}</section></main>"
    data = weasyprint.HTML(string=html).write_pdf(
        stylesheets=[weasyprint.CSS(string=pdf_format.stylesheet(faces=""))])
    reader = PdfReader(io.BytesIO(data))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) >= 2

    def page_of(word: str) -> list[int]:
        return [number for number, text in enumerate(texts) if re.search(rf"\b{word}\b", text)]

    assert [n for n in range(1, 48) if page_of(f"Line{n}") != page_of(f"Note{n}")] == []


def test_a_forty_page_body_lays_out_cleanly(long_body: Built) -> None:
    assert len(long_body.pages) >= 40
    # The recommendation box taller than a page goes on over the next one, box and all.
    names = named_pages(long_body.reader)
    assert names["recommendation:rec-12"] > names["area:everything"]
    _assert_laid_out_cleanly(long_body)
    assert [(e.kind, e.level, e.id) for e in pdf_format.read_outline(long_body.path)] == \
        [(e.kind, e.level, e.id) for e in long_body.brief.outline()]


def test_a_one_page_body_and_a_very_long_title_lay_out_cleanly(short_body: Built) -> None:
    assert 4 <= len(short_body.pages) <= 6
    _assert_laid_out_cleanly(short_body)
    cover = " ".join(w.text for w in short_body.pages[0].words)
    assert normalise(short_body.brief.meta.title) in normalise(cover)
    assert "Ana Lindqvist" in cover and "Tomás Okafor" in cover


# --------------------------------------------------------------------------- the sandbox

UP_TO_ROOT = "../" * 16
"""More steps up than any temporary folder is deep (pytest-xdist's are one deeper): the
path reaches / (where .. stays) whatever the depth; the message names it from the brief's
folder (``{up}``: as many steps up as that folder is deep)."""


@pytest.mark.parametrize(("reference", "message"), [
    ("/etc/passwd", "reference '/etc/passwd' is outside the brief's folder"),
    (f"{UP_TO_ROOT}etc/hostname", "reference '{up}etc/hostname' is outside the brief's folder"),
    ("https://example.org/chart.png", "reference 'https://example.org/chart.png' is not a "
                                      "file of the brief: renders fetch nothing from the network"),
    ("missing.png", "reference 'missing.png' does not exist"),
    ("escape.png", "reference 'escape.png' is outside the brief's folder"),
])
def test_images_outside_the_brief_are_refused(scratch: Any, reference: str, message: str
                                              ) -> None:
    folder = scratch()
    (folder / "escape.png").symlink_to("/etc/hostname")
    edit(folder / "brief.md", "(transits.png)", f"({reference})")
    out = folder.parent.parent / "build"
    with pytest.raises(BriefError) as caught:
        build([str(folder)], ["pdf"], build_dir=out)
    [problem] = caught.value.problems
    message = message.replace("{up}", "../" * (len(folder.resolve().parts) - 1))
    assert (problem.file, problem.line, problem.message) == (folder / "brief.md", 38, message)
    assert not list(out.glob("**/*.pdf"))


# --------------------------------------------------------------------------- outline reader

def _pypdf_places(path: Path) -> tuple[list[tuple[str, pdf_outline.Place]],
                                        list[pdf_outline.Bookmark]]:
    """Named destinations and bookmarks as pypdf, a reader independent of qpdf, finds them:
    what :func:`pdf_outline.pdf_places` must give."""
    reader = PdfReader(path)

    def place(destination: Any) -> pdf_outline.Place:
        return (reader.get_destination_page_number(destination),
                round(float(destination.top), 1))

    named = [(str(name), place(destination))
             for name, destination in reader.named_destinations.items()]
    marks: list[pdf_outline.Bookmark] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):  # pypdf gives an item's children as the list after it
                walk(item, level + 1)
            else:
                marks.append((level, " ".join(str(item.title).split()), place(item)))

    walk(reader.outline, 1)
    return named, marks


def test_outline_reader_finds_the_places_pypdf_finds(built: Built) -> None:
    named, marks = pdf_outline.pdf_places(built.path)
    expected_named, expected_marks = _pypdf_places(built.path)
    assert sorted(named) == sorted(expected_named)
    assert marks == expected_marks
    assert len(named) > 10 and len(marks) > 5
    assert pdf_format.read_outline(built.path) == pdf_outline.outline_entries(named, marks)


# --------------------------------------------------------------------------- fonts a brief needs

def test_only_the_font_subsets_the_text_needs_are_declared(real: Built) -> None:
    html = pdf_format.render_html(real.brief, RenderOptions())
    assert html.count("@font-face") == 10
    assert "-latin-400-normal.woff2" in html and "-latin-ext-" not in html


@pytest.mark.parametrize("spelling", ["Łódź", "&#x141;&oacute;d&#378;"])
def test_a_brief_with_latin_ext_characters_gets_those_faces_too(scratch: Any, tmp_path: Path,
                                                                spelling: str) -> None:
    folder = scratch()
    edit(folder / "brief.md", "# Introduction", f"# Introduction\n\n{spelling} is inland.\n")
    html = pdf_format.render_html(read_brief(folder), RenderOptions())
    assert html.count("@font-face") == 20 and "-latin-ext-400-normal.woff2" in html
    path = build([str(folder)], ["pdf"], build_dir=tmp_path / "out")[0]
    fonts = {str(font.BaseFont) for page in pikepdf.open(path).pages
             for font in page.Resources.get("/Font", {}).values()}
    assert all(re.fullmatch(r"/[A-Z]{6}\+Source-(Serif-4|Sans-3).*", f) for f in fonts), fonts
    # the latin-ext file is a font of its own (design.FontFace.css_family): under the latin
    # file's family, WeasyPrint embedded the two as one and drew "Ł" as the latin file's
    # glyph of the same number ("Ðódª"), which pdftotext below, reading /ToUnicode, missed
    assert any(f.endswith("-latin-ext") for f in fonts), fonts
    assert "Łódź is inland." in subprocess.run(["pdftotext", str(path), "-"],
                                               capture_output=True, check=True,
                                               text=True).stdout


def test_characters_spelled_as_references_or_css_escapes_count() -> None:
    found = pdf_format._characters('<p>&#x141;&eacute;</p><style>p::after { content: "\\2113" }'
                                   "</style>")
    assert {"\u0141", "\u00e9", "\u2113"} <= found
    assert "-latin-ext-" in pdf_format.font_faces({"\u2113"})
    assert "-latin-ext-" not in pdf_format.font_faces({"a", "\u00e9"})


def test_the_command_leaves_no_temporary_fonts(tmp_path: Path) -> None:
    import os
    import sys

    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp))
    subprocess.run([sys.executable, "-c", "from briefpress.cli import run; run()", "build",
                    str(ARCTIC), "--format", "pdf", "--build-dir", str(tmp_path / "build")],
                   env=env, check=True, capture_output=True)
    assert list((tmp_path / "build").rglob("*.pdf"))
    assert not list(temp.glob("weasyprint-*"))


# --------------------------------------------------------------------------- typography

@dataclass
class LineEnds:
    hyphenated: list[int]
    """Automatic hyphenations per page (a line ending with "-" whose two halves, joined
    with the hyphen, are not written so in the source)."""
    longest_run: int
    """The most hyphenated line ends in a row within one block of text."""
    capitalised: list[str]
    """Hyphenated words that begin with a capital (a name, an acronym, a sentence's start)."""
    kept_apart: list[str]
    """Breaks at the hyphen or dash of a number range or of a compound with a short part
    ("vis-à-vis", "US-ROK")."""
    bad_starts: list[str]
    """Lines that start with an em or en dash or with closing punctuation."""


_SHORT_PART = re.compile(r"(^|[-–])\w{1,3}([-–]|$)")
_RANGE = re.compile(r"^\d[\d,.]*[-–]\d")


def line_ends(path: Path, source: str) -> LineEnds:
    """How the lines of a PDF end and start, from pdftotext's blocks, lines and words."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                         check=True).stdout
    found = LineEnds([], 0, [], [], [])
    for page in etree.fromstring(out).iterfind(".//x:page", _XHTML):
        count = 0
        for block in page.iterfind(".//x:block", _XHTML):
            lines = [[w.text or "" for w in line.iterfind("x:word", _XHTML)]
                     for line in block.iterfind("x:line", _XHTML)]
            lines = [line for line in lines if line]
            run = 0
            for line, following in zip(lines, [*lines[1:], None], strict=True):
                if line[0][0] in "—–)]},.;:!?’”":
                    found.bad_starts.append(" ".join(line[:4]))
                last = line[-1]
                if following is None or not last.endswith(("-", "–")):
                    run = 0
                    continue
                joined = (last + following[0]).rstrip(".,;:)’”")
                if joined in source or joined.replace("-", "–") in source:  # a compound
                    if _RANGE.match(joined) or _SHORT_PART.search(joined):
                        found.kept_apart.append(joined)
                    run = 0
                    continue
                count += 1
                run += 1
                found.longest_run = max(found.longest_run, run)
                if last[0].isupper():
                    found.capitalised.append(joined)
        found.hyphenated.append(count)
    return found


def _source_text(brief: Brief) -> str:
    return unicodedata.normalize("NFC", brief.markdown + "\n" + brief.recommendations_text)


def test_hyphenation_is_sparing_and_never_splits_a_name(real: Built, arctic: Built,
                                                        long_body: Built) -> None:
    """At most three hyphenated line ends a page (about one in fifteen lines), never three
    in a row, never in a capitalised word; no line starts with a dash or closing mark."""
    for built in (real, arctic, long_body):
        ends = line_ends(built.path, _source_text(built.brief))
        assert max(ends.hyphenated) <= 3, (built.brief.slug, ends.hyphenated)
        assert sum(ends.hyphenated) <= len(built.pages), (built.brief.slug, ends.hyphenated)
        assert ends.longest_run <= 2, built.brief.slug
        assert ends.capitalised == [], built.brief.slug
        assert ends.bad_starts == [], built.brief.slug
        assert ends.kept_apart == [], built.brief.slug


def test_the_line_end_reader_sees_what_it_counts(tmp_path: Path, scratch: Any) -> None:
    """The counter above, on a page made to break badly: without the rules, it finds them."""
    folder = scratch()
    long_line = ("Consultative Partnership Agreement Framework Cooperation "
                 "vis-à-vis 1950-1953 clear—and important—mutual ") * 12
    edit(folder / "brief.md", "Vessel counts tell the story plainly.",
         f"Vessel counts tell the story plainly. {long_line}")
    brief = read_brief(folder)
    html = pdf_format.render_html(brief, RenderOptions())
    assert html.count('class="nohy"') >= 12 and html.count('class="keep"') >= 12 * 4
    raw = html.replace('class="nohy"', 'class="x"').replace('class="keep"', 'class="x"')
    out = tmp_path / "raw.pdf"
    pdf_layout.write_pdf(brief, raw.replace("hyphenate-limit-zone: 20%",
                                            "hyphenate-limit-zone: 0%"), out, RenderOptions())
    ends = line_ends(out, _source_text(brief))
    assert ends.capitalised or ends.kept_apart or ends.bad_starts  # it would catch them


# --------------------------------------------------------------------------- keeps

BODY_LINE = (13.5, 15.5)
"""Height of a line of body text in pdftotext's boxes (10.5 pt type): footnotes, captions,
heads and folios are smaller, headings larger."""


def body_blocks(path: Path) -> list[list[list[str]]]:
    """Per page, the blocks (paragraphs, as pdftotext groups lines) of body-size lines, each
    a list of lines, each a list of words; in reading order."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                         check=True).stdout
    pages = []
    for page in etree.fromstring(out).iterfind(".//x:page", _XHTML):
        blocks = []
        for block in page.iterfind(".//x:block", _XHTML):
            lines = [line for line in block.iterfind("x:line", _XHTML)
                     if BODY_LINE[0] <= float(line.get("yMax")) - float(line.get("yMin"))
                     <= BODY_LINE[1]]
            if lines:
                blocks.append([[w.text or "" for w in line.iterfind("x:word", _XHTML)]
                               for line in lines])
        pages.append(blocks)
    return pages


def test_no_widow_or_orphan_lines(real: Built, arctic: Built, long_body: Built) -> None:
    """A paragraph that goes on over a page (its next page opens in mid-sentence, with a
    lower-case word) leaves at least two lines at the foot and takes two to the top."""
    for built in (real, arctic, long_body):
        pages = body_blocks(built.path)
        checked = 0
        for number, (page, following) in enumerate(itertools.pairwise(pages), start=1):
            if not page or not following or not following[0][0][0][:1].islower():
                continue
            checked += 1
            assert len(page[-1]) >= 2, f"{built.brief.slug} p. {number}: orphan {page[-1]}"
            assert len(following[0]) >= 2, \
                f"{built.brief.slug} p. {number + 1}: widow {following[0]}"
        assert checked >= (5 if built is long_body else 0)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Twelve captioned tables after text of every length, so that some fall at a page foot."""
    text = ("Coastal states, insurers and shipowners each hold part of the picture, and none of "
            "them can see the whole route from where it stands.")
    parts = []
    for number in range(1, 13):
        parts.append("\n\n".join([text] * (2 + number % 4) + ["One more line."] * (number % 3)))
        parts.append(f"| Year | Transits | Tankers |\n|-----:|---------:|--------:|\n"
                     f"| 2019 | {number} | 3 |\n| 2021 | 27 | 9 |\n| 2023 | 55 | 21 |\n\n"
                     f": Caption of table {number}.")
    body = ("# Executive Summary {#executive-summary}\n\nShort.\n\n"
            "# Introduction {#introduction}\n\nShort.\n\n"
            "# The Traffic Is Already Here {#traffic}\n\n" + "\n\n".join(parts) + "\n\n"
            "# What Should Change {#what-should-change}\n\nAgree.\n\n"
            "# Conclusion {#conclusion}\n\nEnd.\n")
    return _generated(tmp_path_factory, "tables", body)


def test_a_caption_stays_with_its_table(tables: Built) -> None:
    captions, first_rows = {}, {}
    for number, page in enumerate(tables.pages, start=1):
        words = [w.text for w in page.words]
        for i, word in enumerate(words[:-1]):
            if word == "table" and words[i - 1] == "of" and words[i - 2] == "Caption":
                captions[words[i + 1].rstrip(".")] = number
            if word == "2019":
                first_rows[words[i + 1]] = number
    assert len(captions) == len(first_rows) == 12
    assert len(set(captions.values())) >= 3  # the tables stand on several pages
    assert captions == first_rows


def _in_tidewater(folder: Path) -> Path:
    """The scratch brief ``folder`` in the tidewater brand (its project given the brand)."""
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "brands" / "tidewater",
                    folder.parent.parent / "brands" / "tidewater")
    edit(folder / "brief.md", "\nlang:", "\nbrand: tidewater\nlang:")
    return folder


def test_a_brand_s_faces_are_declared_whole(scratch) -> None:
    """(That the sandbox serves them, and nothing else of the brand's folder, is
    tests/render/test_pdf_layout.py's.)"""
    folder = _in_tidewater(scratch())
    brief = read_brief(folder)
    faces = pdf_format.font_faces({"a"}, brief.brand)
    assert 'src: url("file:///briefpress-brand/fonts/FiraSans-Regular.woff2")' in faces
    assert "Source" not in faces and "unicode-range" not in faces
    assert faces == pdf_format.font_faces({"\u2113"}, brief.brand)  # whatever the characters
    assert faces in pdf_format.render_html(brief, RenderOptions())


def test_an_area_label_wider_than_the_margin_stands_whole_above_the_list(
        scratch: Any, tmp_path: Path) -> None:
    """print.css sets an area's name in the hanging margin; a word the margin cannot hold
    ("INFRASTRUCTURE") is never hyphenated there (testers 10 and 11): its label stands
    whole above the recommendations, on a line of its own, from the box's left."""
    folder = scratch()
    edit(folder / "recommendations.yaml", "title: Insurance", "title: Infrastructure")
    path = build([str(folder)], ["pdf"], build_dir=tmp_path / "out")[0]
    page = next(p for p in pages_of(path) if any(w.text == "Pool" for w in p.words))
    pool = next(w for w in page.words if w.text == "Pool")
    label = [w for w in page.words if "INFRA" in w.text or w.text == "TURE"]
    assert [w.text for w in label] == ["INFRASTRUCTURE"]
    assert label[0].y1 <= pool.y0  # above the first recommendation, not beside it
    assert label[0].x0 < pool.x0 - 12  # from the box's left, where a label in the margin stands


def test_a_link_to_an_area_or_a_recommendation_lands_on_it(scratch: Any,
                                                           tmp_path: Path) -> None:
    """The PDF names them ``area:<id>`` and ``recommendation:<id>`` (its outline reader
    tells them from sections so): a link to the bare id goes to that name, which the PDF
    has, as in the web page and the Word file."""
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}\n",
         "# Conclusion {#conclusion}\n\nSee [the area](#insurance) and [the advice]"
         "(#common-ice-class).\n")
    path = build([str(folder)], ["pdf"], build_dir=tmp_path / "out")[0]
    with pikepdf.open(path) as pdf:
        names = {str(name) for name in pikepdf.NameTree(pdf.Root.Names.Dests)}
        targets = {str(link.get("/Dest") or link.A.D) for page in pdf.pages
                   for link in page.get("/Annots", []) if link.get("/Subtype") == "/Link"
                   and (link.get("/Dest") is not None or ("/A" in link and "/D" in link.A))}
    assert {"area:insurance", "recommendation:common-ice-class"} <= targets & names


def test_a_note_in_a_recommendation_is_a_footnote_of_its_page(scratch, tmp_path: Path) -> None:
    """A recommendation's Markdown calls a note defined in brief.md: the PDF sets it at the
    foot of the page, numbered in reading order (after the body's two notes)."""
    folder = scratch()
    edit(folder / "recommendations.yaml", "jointly across coastal states.",
         "jointly across coastal states.[^sar]")
    append(folder / "brief.md", "[^sar]: As the 2011 agreement sets out.\n")
    pdf, = build([str(folder)], ["pdf"], build_dir=tmp_path / "out")
    pages = [normalise(" ".join(w.text for w in page.words)) for page in pages_of(pdf)]
    page = next(p for p in pages if "As the 2011 agreement sets out." in p)
    number = page.split("As the 2011 agreement sets out.")[0].split()[-1]
    called = normalise(f"jointly across coastal states.{number.rstrip('.')}")
    assert called.replace(" ", "") in page.replace(" ", ""), page
