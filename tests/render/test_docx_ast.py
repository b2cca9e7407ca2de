"""The Word edition's units and pandoc document made from the model (render/docx_ast.py)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import shutil
from pathlib import Path

import msgspec
import pytest
from tests.conftest import WATER

from briefpress.errors import BriefError
from briefpress.model import blocks
from briefpress.model.brief import Brand, Brief
from briefpress.read.brief import read_brief
from briefpress.render import docx_styles as styles
from briefpress.render.docx_ast import MAX_IMAGE_BYTES, Unit, brief_document, brief_units, prepare
from briefpress.render.docx_raster import SvgFigure, logo_png
from briefpress.support.sandbox import Sandbox

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                       "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
"""A 1 x 1 pixel PNG."""


@pytest.fixture(scope="module")
def arctic_units(arctic_brief: Brief) -> list[Unit]:
    return brief_units(arctic_brief)


@pytest.fixture(scope="module")
def water_brief() -> Brief:
    return read_brief(WATER)


def test_the_title_block_is_dated_as_the_web_page_dates_it(water_brief: Brief,
                                                            arctic_units: list[Unit]) -> None:
    """Tester 13 (finding 7): the PDF's cover and the web page date the brief, the Word
    file did not. The date stands under the authors, in the web page's words
    (``date_display``: "June 2025" for ``date: 2025-06``), before the series and program;
    an undated brief has none."""
    units = brief_units(water_brief)
    keys = [u.key for u in units]
    dated = unit(units, "generated:date")
    assert (dated.style, text(dated.blocks)) == (styles.PUBLICATION_DATE, "June 2025")
    assert text(dated.blocks) == water_brief.meta.date_display()
    last_author = max(n for n, key in enumerate(keys)
                      if key.startswith(("meta:author:", "generated:affiliation:")))
    assert keys.index("generated:date") == last_author + 1
    assert keys.index("generated:date") < keys.index("meta:program")
    assert "generated:date" not in [u.key for u in arctic_units]


def unit(units: list[Unit], key: str) -> Unit:
    return next(u for u in units if u.key == key)


def custom_style(div: blocks.Block) -> str:
    assert isinstance(div, blocks.Div)
    return dict(div.attr[2])["custom-style"]


def text(value: object) -> str:
    return blocks.stringify(value)


def test_units_follow_the_reading_order_of_the_word_file(arctic_brief: Brief,
                                                         arctic_units: list[Unit]) -> None:
    keys = [u.key for u in arctic_units]
    # each author's affiliation under the name, as on the PDF's cover (tester 13, finding 7)
    assert keys[:8] == ["generated:doctype", "meta:title", "meta:author:0",
                        "generated:affiliation:0", "meta:author:1", "generated:affiliation:1",
                        "meta:program", "heading:executive-summary"]
    affiliations = [(u.style, text(u.blocks)) for u in arctic_units
                    if u.key.startswith("generated:affiliation:")]
    assert affiliations == [(styles.AFFILIATION, a.affiliation)
                            for a in arctic_brief.meta.authors]
    assert keys[-1] == "generated:colophon"
    assert len(set(keys)) == len(keys)
    headings = [u.ident for u in arctic_units if u.kind == "heading"]
    assert headings == [s.id for s in arctic_brief.walk()]
    # the recommendations stand in their section: intro, then each area and its own
    start = keys.index("heading:policy-recommendations")
    assert keys[start:start + 9] == [
        "heading:policy-recommendations", "intro", "area:safety-standards",
        "rec:common-ice-class", "rec:mandatory-reporting", "area:search-and-rescue",
        "rec:joint-sar-planning", "area:insurance", "rec:shared-loss-data"]
    assert keys[keys.index("heading:about-the-author") + 1:-1] == ["bio:0", "bio:1"]


def test_each_unit_says_where_it_comes_from(arctic_units: list[Unit]) -> None:
    heading = unit(arctic_units, "heading:traffic")
    header, = heading.blocks
    assert isinstance(header, blocks.Header)
    assert (header.level, header.attr[0], heading.level, heading.section) == (
        1, "traffic", 1, "traffic")
    block = unit(arctic_units, "block:traffic:0")
    assert (block.kind, block.style, block.section, block.ident) == (
        "block", "body", "traffic", None)
    rec = unit(arctic_units, "rec:shared-loss-data")
    assert (rec.kind, rec.style, rec.ident, rec.area, rec.section) == (
        "rec", styles.RECOMMENDATION, "shared-loss-data", "insurance",
        "policy-recommendations")
    area = unit(arctic_units, "area:insurance")
    assert (area.kind, area.ident, area.style) == ("area", "insurance",
                                                   styles.RECOMMENDATION_AREA)
    assert unit(arctic_units, "meta:title").section is None


def test_styled_units_are_divs_in_their_word_style_carrying_their_id(
        arctic_units: list[Unit]) -> None:
    """pandoc writes a Div's ``custom-style`` as the paragraph style, its id as a bookmark:
    how recommendations and areas keep their ids in the Word file."""
    for u in arctic_units:
        if u.kind in ("heading", "block", "intro"):
            assert u.style in ("heading", "body")
            continue
        div, = u.blocks
        assert custom_style(div) == u.style
        assert div.attr[0] == (u.ident or "")
    assert unit(arctic_units, "bio:1").style == styles.AUTHOR_BIO
    assert unit(arctic_units, "generated:doctype").style == styles.DOCUMENT_TYPE
    assert text(unit(arctic_units, "generated:doctype").blocks) == "Policy Brief"


def test_recommendations_keep_their_markdown(arctic_units: list[Unit]) -> None:
    """A recommendation's text is the parsed Markdown of recommendations.yaml, not the bare
    string: *common* stays emphasised."""
    rec = unit(arctic_units, "rec:common-ice-class")
    emphasised = [n for n in blocks.walk(rec.blocks) if isinstance(n, blocks.Emph)]
    assert [text(e) for e in emphasised] == ["common"]


def test_captions_are_numbered_as_in_every_edition(arctic_units: list[Unit]) -> None:
    assert text(unit(arctic_units, "block:traffic:1").blocks).startswith(
        "Figure 1: Transits through the Northern Sea Route")
    assert text(unit(arctic_units, "block:traffic:2").blocks).startswith(
        "Table 1: Transits by year")


def test_the_colophon_names_the_publisher_and_links_its_site(arctic_brief: Brief,
                                                             arctic_units: list[Unit]) -> None:
    div, = unit(arctic_units, "generated:colophon").blocks
    publisher = arctic_brief.meta.publisher
    assert [text(p) for p in div.content] == [publisher.name, *publisher.address,
                                              publisher.url]
    link, = [n for n in blocks.walk(div) if isinstance(n, blocks.Link)]
    assert link.url == publisher.url


def test_what_the_brief_lacks_makes_no_unit(arctic_brief: Brief) -> None:
    meta = msgspec.structs.replace(arctic_brief.meta, program=None, subtitle=None,
                                   authors=[msgspec.structs.replace(a, bio=None,
                                                                    affiliation=None)
                                            for a in arctic_brief.meta.authors])
    bare = msgspec.structs.replace(arctic_brief, meta=meta, doctype=None,
                                   fragments={k: v for k, v in arctic_brief.fragments.items()
                                              if not k.startswith("bio:")})
    keys = [u.key for u in brief_units(bare)]
    assert keys[:3] == ["meta:title", "meta:author:0", "meta:author:1"]
    assert not {"generated:doctype", "meta:program", "meta:subtitle", "bio:0", "bio:1",
                "generated:affiliation:0", "generated:affiliation:1", "generated:date"} & set(
        keys)
    assert "heading:about-the-author" in keys  # the section stays, empty
    with_subtitle = msgspec.structs.replace(bare, meta=msgspec.structs.replace(
        meta, subtitle="Below the title"))
    subtitle = unit(brief_units(with_subtitle), "meta:subtitle")
    assert (subtitle.style, text(subtitle.blocks)) == ("Subtitle", "Below the title")


def test_an_affiliation_is_not_the_program_s_line_twice(arctic_brief: Brief) -> None:
    """The real brief's one author is affiliated with its program: the Word file gives the
    program's line once, under her name, where its affiliation would say the same; a date
    or a series between the two, or another author after, keeps the affiliation."""
    program = arctic_brief.meta.program
    authors = [msgspec.structs.replace(a, affiliation=program)
               for a in arctic_brief.meta.authors]

    def keys(**changes: object) -> list[str]:
        meta = msgspec.structs.replace(arctic_brief.meta, **{"authors": authors, **changes})
        return [u.key for u in brief_units(msgspec.structs.replace(arctic_brief, meta=meta))]

    assert keys()[2:6] == ["meta:author:0", "generated:affiliation:0", "meta:author:1",
                           "meta:program"]
    assert "generated:affiliation:1" in keys(series="High North")
    assert "generated:affiliation:1" in keys(date=datetime.date(2026, 11, 1),
                                             date_precision="month")


def test_a_brand_puts_its_logo_and_wordmark_above_the_document_type(
        arctic_brief: Brief, tidewater: Brand) -> None:
    units = brief_units(msgspec.structs.replace(arctic_brief, brand=tidewater))
    assert [u.key for u in units[:2]] == ["generated:brand", "generated:doctype"]
    lockup = units[0]
    assert (lockup.kind, lockup.style) == ("generated", styles.DOCUMENT_TYPE)
    image, = [n for n in blocks.walk(lockup.blocks) if isinstance(n, blocks.Image)]
    # a PNG, which LibreOffice shows and keeps on saving (an SVG alone it drops)
    prefix = "data:image/png;base64,"
    assert image.url.startswith(prefix)
    assert base64.b64decode(image.url[len(prefix):]) == logo_png(tidewater.logo_svg)
    assert blocks.stringify(image.content) == "Tidewater Institute logo"
    assert text(lockup.blocks).strip() == "Tidewater Institute logo Tidewater"  # alt, words
    no_logo = msgspec.structs.replace(tidewater, logo_svg=None)
    lockup = brief_units(msgspec.structs.replace(arctic_brief, brand=no_logo))[0]
    assert not any(isinstance(n, blocks.Image) for n in blocks.walk(lockup.blocks))
    assert text(lockup.blocks) == "Tidewater"


def test_citations_are_rendered_marked_and_followed_by_the_works_cited(
        water_brief: Brief) -> None:
    units = brief_units(water_brief)
    assert [u.key for u in units[-2:]] == ["generated:bibliography", "generated:colophon"]
    sources = units[-2]
    assert text(sources.blocks).startswith("Sources")
    assert "McCaffrey, Stephen C." in text(sources.blocks)
    assert not any(isinstance(n, blocks.Cite) and not n.content
                   for u in units for n in blocks.walk(u.blocks))
    # a note style: the bookmark is in the note, around its first paragraph's words
    marks = [(u.key, span) for u in units for n in blocks.walk(u.blocks)
             if isinstance(n, blocks.Note) for span in blocks.walk(n)
             if isinstance(span, blocks.Span) and span.attr[0].startswith(styles.CITATION_MARK)]
    assert [span.attr[0] for _, span in marks] == [f"{styles.CITATION_MARK}{i}"
                                                  for i in range(len(marks))]
    assert marks and "McCaffrey" in text(marks[0][1])


def test_a_bibliography_nothing_cites_gives_no_works_cited(tmp_path: Path) -> None:
    """The last citation removed: no "Sources" heading over nothing in the Word file."""
    folder = tmp_path / "content" / WATER.name
    shutil.copytree(WATER, folder)
    source = folder / "brief.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(" less often [@mccaffrey2019, 110].", " less often."),
                      encoding="utf-8")
    units = brief_units(read_brief(folder))
    assert [u.key for u in units[-1:]] == ["generated:colophon"]
    assert not any(u.key == "generated:bibliography" for u in units)


def test_an_in_text_citation_is_marked_around_its_phrase(water_brief: Brief) -> None:
    assert water_brief.citations is not None
    author_date = msgspec.structs.replace(water_brief.citations,
                                          csl=WATER.parent / "author-date.csl")
    units = brief_units(msgspec.structs.replace(water_brief, citations=author_date))
    cites = [n for u in units for n in blocks.walk(u.blocks) if isinstance(n, blocks.Cite)]
    assert cites and not any(isinstance(n, blocks.Note) for c in cites for n in blocks.walk(c))
    first, *_ = cites
    span, = first.content
    assert isinstance(span, blocks.Span) and span.attr[0] == f"{styles.CITATION_MARK}0"
    assert "McCaffrey" in text(span) or "Wolf" in text(span)


def test_the_document_is_the_units_blocks_in_the_brief_s_language(
        arctic_brief: Brief, arctic_units: list[Unit]) -> None:
    document = brief_document(arctic_brief, arctic_units)
    assert document.meta == {"lang": blocks.MetaString("en-US")}
    assert document.api_version == arctic_brief.api_version
    every = [b for u in arctic_units for b in u.blocks]
    assert len(document.blocks) == len(every)
    # only the figure's block changes: its image is embedded
    changed = [i for i, (a, b) in enumerate(zip(every, document.blocks, strict=True))
               if a != b]
    assert [key_of(arctic_units, every[i]) for i in changed] == ["block:traffic:1"]
    assert brief_document(arctic_brief) == document  # the units made on the way


def key_of(units: list[Unit], block: blocks.Block) -> str:
    return next(u.key for u in units if any(b is block for b in u.blocks))


def sandbox(folder: Path, markdown: str = "") -> Sandbox:
    return Sandbox([folder], folder / "brief.md", markdown)


def image(src: str) -> blocks.Para:
    return blocks.Para([blocks.Image((blocks.attr(), blocks.plain_inlines("A picture"),
                                      (src, "")))])


def test_prepare_embeds_images_marks_links_without_target_and_drops_raw(tmp_path: Path) -> None:
    (tmp_path / "dot.png").write_bytes(PNG)
    untouched = blocks.Para(blocks.plain_inlines("nothing to do here"))
    body: list[blocks.Block] = [
        untouched,
        image("dot.png"),
        blocks.RawBlock(("openxml", "<w:p><w:fldSimple w:instr='INCLUDETEXT x'/></w:p>")),
        blocks.Para([blocks.Str("a"), blocks.RawInline(("html", "<b>")),
                     blocks.Link((blocks.attr(), blocks.plain_inlines("pending phrase"),
                                  (" ", "")))]),
    ]
    prepared = prepare(body, sandbox(tmp_path))
    assert prepared[0] is untouched  # a block with nothing to prepare is the model's own
    assert len(prepared) == 3  # the raw block leaves nothing
    embedded, = [n for n in blocks.walk(prepared[1]) if isinstance(n, blocks.Image)]
    assert embedded.url == "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert text(embedded.content) == "A picture"
    last = prepared[2].content
    assert isinstance(last[0], blocks.Str) and len(last) == 2
    span = last[1]
    assert isinstance(span, blocks.Span)
    assert dict(span.attr[2]) == {"custom-style": styles.LINK_WITHOUT_TARGET}
    assert text(span) == "pending phrase"
    assert body[1] == image("dot.png")  # the model is left as it was


def test_without_a_sandbox_images_are_left_as_they_are() -> None:
    assert prepare([image("dot.png")], None) == [image("dot.png")]


def test_an_svg_image_is_cleaned_before_it_is_embedded(tmp_path: Path) -> None:
    (tmp_path / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
        '<rect width="1" height="1" onclick="alert(2)"/></svg>', encoding="utf-8")
    embedded, = [n for n in blocks.walk(prepare([image("chart.svg")], sandbox(tmp_path)))
                 if isinstance(n, blocks.Image)]
    prefix = "data:image/svg+xml;base64,"
    assert embedded.url.startswith(prefix)
    svg = base64.b64decode(embedded.url[len(prefix):])
    assert b"<rect" in svg and b"alert" not in svg


def test_each_svg_image_is_entered_with_where_brief_md_has_it(tmp_path: Path) -> None:
    """The Word file's PNG of an SVG is made once pandoc has sized the picture: its errors
    name the figure's line, found by the embedded SVG's hash."""
    (tmp_path / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"/>', encoding="utf-8")
    (tmp_path / "dot.png").write_bytes(PNG)
    figures: dict[str, SvgFigure] = {}
    prepared = prepare([image("dot.png"), image("chart.svg")],
                       sandbox(tmp_path, "Text.\n\n![A chart](chart.svg)\n"), figures)
    embedded = [n for n in blocks.walk(prepared) if isinstance(n, blocks.Image)][1]
    svg = base64.b64decode(embedded.url.split(",", 1)[1])
    assert figures == {hashlib.sha256(svg).hexdigest():
                       SvgFigure("chart.svg", tmp_path / "brief.md", 3)}


@pytest.mark.parametrize(("name", "content", "message", "fix"), [
    ("notes.txt", b"plain text", "image 'notes.txt' is not an image file (text/plain)",
     "refer to a PNG, JPEG, GIF, WebP or SVG file"),
    ("broken.svg", b"<svg><rect></svg>", "image 'broken.svg' cannot be read as an SVG: not "
     "well-formed XML", "export the picture again as SVG, or as PNG"),
    ("missing.png", None, "reference 'missing.png' does not exist", "check the file name"),
])
def test_an_image_that_cannot_be_embedded_is_a_located_error(
        tmp_path: Path, name: str, content: bytes | None, message: str, fix: str) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    markdown = f"# Figures\n\nSee ![a picture]({name}).\n"
    with pytest.raises(BriefError) as raised:
        prepare([image(name)], sandbox(tmp_path, markdown))
    problem, = raised.value.problems
    assert (problem.file, problem.line) == (tmp_path / "brief.md", 3)
    assert problem.message.startswith(message)
    assert problem.fix.startswith(fix)
    assert raised.value.exit_code == 2


def test_an_image_too_large_for_word_is_refused(tmp_path: Path) -> None:
    with (tmp_path / "huge.png").open("wb") as out:
        out.write(PNG)
        out.truncate(MAX_IMAGE_BYTES + 1)
    with pytest.raises(BriefError) as raised:
        prepare([image("huge.png")], sandbox(tmp_path, "![huge](huge.png)\n"))
    problem, = raised.value.problems
    assert problem.line == 1
    assert "too large for the Word edition" in problem.message
    assert problem.fix == "reduce the image"
