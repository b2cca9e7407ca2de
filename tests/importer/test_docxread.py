"""importer/docxread.py: an edited .docx read into typed blocks, each tied to its Word
paragraphs and classed by their style, with tracked changes accepted or rejected.

Small Word files are made here with python-docx; the one briefpress file is the
water-security brief's Word edition (citations, a figure, a table), built once.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from lxml import etree

from briefpress import pandoc
from briefpress.build import build
from briefpress.importer.citations import MARK_CLASS
from briefpress.importer.docxread import EditedBlock, _continuations, moved_here, read_edited
from briefpress.importer.signature import PENDING_URL
from briefpress.model import blocks
from briefpress.support.docx_open import open_docx
from docxedit import DocxEditor, w

from .conftest import water_in_text

DATE = "2024-03-04T10:00:00Z"


@pytest.fixture(scope="module")
def water_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The water-security brief's Word edition, unedited, its citations in the text (an
    author-date style)."""
    out = tmp_path_factory.mktemp("water")
    built, = build([str(water_in_text(out / "content"))], ["docx"], build_dir=out / "build")
    return built


@pytest.fixture
def word(tmp_path: Path) -> Callable[[Callable[[docx.document.Document], None]], Path]:
    """A .docx python-docx writes, with what ``fill`` puts in it."""
    def make(fill: Callable[[docx.document.Document], None]) -> Path:
        document = docx.Document()
        fill(document)
        path = tmp_path / "small.docx"
        document.save(str(path))
        return path

    return make


def text(edited: EditedBlock) -> str:
    return blocks.stringify(edited.block)


def find(found: list[EditedBlock], start: str) -> EditedBlock:
    return next(b for b in found if text(b).startswith(start))


# -- a briefpress file ---------------------------------------------------------------------


def test_every_block_is_classed_by_its_style_and_carries_its_bookmarks(
        water_docx: Path) -> None:
    read = read_edited(open_docx(water_docx), "accept")
    classes = [(b.cls, b.ids[:1], text(b)[:24]) for b in read.blocks]
    # the affiliations under the names and the date are generated (the front matter's)
    assert classes[:12] == [
        ("generated", [], "Issue Brief"),
        ("meta:title", [], "Shared Rivers, Scarce Wa"),
        ("meta:subtitle", [], "What basin agreements ca"),
        ("meta:author", [], "Water Security Programme"),
        ("generated", [], "Institute for Water and "),
        ("meta:author", [], "Task Force on Basin Gove"),
        ("meta:author", [], "Mariam Haddad"),
        ("generated", [], "Water Security Programme"),
        ("generated", [], "June 2025"),
        ("meta:program", [], "Water Security Programme"),
        ("heading", ["key-takeaways"], "Key Takeaways"),
        ("body", [], "More than half of the wo"),
    ]
    assert [(b.cls, b.ids) for b in read.blocks if b.cls in ("rec", "area")] == [
        ("area", ["data-sharing"]), ("rec", ["shared-monitoring"]),
        ("area", ["drought-rules"]), ("rec", ["allocate-shares"]),
        ("rec", ["standing-commission"])]
    assert [b.cls for b in read.blocks if text(b).startswith("The Water Security Programme "
                                                             "studies")] == ["bio"]
    assert [b.cls for b in read.blocks][-4:] == ["generated"] * 4  # the colophon
    assert find(read.blocks, "Key Takeaways").level == 1
    assert find(read.blocks, "Data Sharing").level == 0


def test_each_word_paragraph_belongs_to_one_block_in_order(water_docx: Path) -> None:
    read = read_edited(open_docx(water_docx), "accept")
    tied = [p.index for b in read.blocks for p in b.paragraphs]
    assert tied == sorted(tied) == list(range(len(read.xml_blocks)))
    assert read.api_version[:2] == [1, 23]


def test_a_picture_and_its_caption_are_one_figure(water_docx: Path) -> None:
    read = read_edited(open_docx(water_docx), "accept")
    [figure] = [b for b in read.blocks if isinstance(b.block, blocks.Figure)]
    assert [p.style for p in figure.paragraphs] == ["Captioned Figure", "Image Caption"]
    assert figure.ids[0] == "fig-withdrawals"
    assert text(figure).startswith("Figure 1: Withdrawals from four shared basins")
    [image] = [n for n in blocks.walk(figure.block) if isinstance(n, blocks.Image)]
    assert image.c[2][0].startswith("media/")


def test_a_picture_with_its_bookmark_inside_its_paragraph_is_still_a_figure(
        water_docx: Path, tmp_path: Path) -> None:
    """LibreOffice saves the figure's bookmark inside the picture's paragraph, which pandoc
    reads as an empty Span beside the image: with the caption edited, picture and caption
    were read as two paragraphs, and the import lost the figure (and its id)."""
    doc = DocxEditor(water_docx)
    picture = next(p for p in doc.doc.iter(w("p")) if p.find(f".//{w('drawing')}") is not None
                   and p.getprevious() is not None
                   and p.getprevious().tag == w("bookmarkStart"))
    start = picture.getprevious()
    picture.insert(1 if picture.find(w("pPr")) is not None else 0, start)  # after its style
    doc.replace("Withdrawals from four shared basins", "four", "five")
    read = read_edited(open_docx(doc.save(tmp_path / "lo-like.docx")), "accept")
    [figure] = [b for b in read.blocks if isinstance(b.block, blocks.Figure)]
    assert [p.style for p in figure.paragraphs] == ["Captioned Figure", "Image Caption"]
    assert text(figure).startswith("Figure 1: Withdrawals from five shared basins")
    assert [type(n).__name__ for n in figure.block.content[0].content] == ["Image"]


def _figure_then_table(water_docx: Path) -> DocxEditor:
    """The Word edition with the table's own caption taken away: the figure's caption, the
    last paragraph of the figure, stands right before a table."""
    doc = DocxEditor(water_docx)
    doc.remove_paragraph("Agreements in the basins studied")
    caption = doc.paragraph("Withdrawals from four shared basins")
    following = caption.getnext()
    while following.tag != w("tbl"):
        # the figure's bookmark ends between, the table's starts
        assert following.tag in (w("bookmarkEnd"), w("bookmarkStart"))
        following = following.getnext()
    for element in following.iter(w("tblCaption")):  # the caption pandoc repeats there
        element.getparent().remove(element)
    return doc


@pytest.mark.parametrize("bookmark", ["between", "inside"])
def test_a_figure_s_caption_right_before_a_table_stays_the_figure_s(
        water_docx: Path, tmp_path: Path, bookmark: str) -> None:
    """pandoc reads a caption-styled paragraph right before a table as the table's caption,
    unless a picture alone stands before it: the picture's paragraph holds the private copy's
    token (and after a LibreOffice save the figure's bookmark), so an unedited file with a
    figure right before a table read as the table captioned "Figure 1: ..." and a figure
    without its caption or id: two changes, and ``@fig-`` pointing nowhere."""
    doc = _figure_then_table(water_docx)
    if bookmark == "inside":  # where LibreOffice saves it
        picture = doc.paragraph("Withdrawals from four shared basins").getprevious()
        start = picture.getprevious()
        assert start.tag == w("bookmarkStart")
        picture.insert(1, start)
    read = read_edited(open_docx(doc.save(tmp_path / "figure-table.docx")), "accept")
    [figure] = [b for b in read.blocks if isinstance(b.block, blocks.Figure)]
    assert [p.style for p in figure.paragraphs] == ["Captioned Figure", "Image Caption"]
    assert figure.ids[0] == "fig-withdrawals"
    assert text(figure).startswith("Figure 1: Withdrawals from four shared basins")
    [table] = [b for b in read.blocks if isinstance(b.block, blocks.Table)]
    assert table.block.c[1] == (None, [])
    assert read.blocks[read.blocks.index(table) - 1] is figure
    # the paragraphs' XML, which the review reads, keeps its styles
    [pstyle] = figure.paragraphs[1].element.iter(w("pStyle"))
    assert pstyle.get(w("val")) == "ImageCaption"


def test_a_caption_kept_with_the_table_after_a_picture_is_the_table_s(
        water_docx: Path, tmp_path: Path) -> None:
    """As pandoc reads it: a caption whose own paragraph keeps with the next, after a
    picture and before a table, is the table's caption, and the picture is no figure."""
    doc = _figure_then_table(water_docx)
    caption = doc.paragraph("Withdrawals from four shared basins")
    etree.SubElement(caption.find(w("pPr")), w("keepNext"))
    read = read_edited(open_docx(doc.save(tmp_path / "kept.docx")), "accept")
    assert not [b for b in read.blocks if isinstance(b.block, blocks.Figure)]
    [table] = [b for b in read.blocks if isinstance(b.block, blocks.Table)]
    assert blocks.stringify(table.block.c[1][1]).startswith("Figure 1: Withdrawals")


def test_a_table_then_a_figure_read_as_written(water_docx: Path, tmp_path: Path) -> None:
    """The table, its caption before it, moved right before the figure: each keeps its own."""
    doc = DocxEditor(water_docx)
    table_caption = doc.paragraph("Agreements in the basins studied")
    table = table_caption.getnext()
    assert table.tag == w("tbl")
    picture = doc.paragraph("Withdrawals from four shared basins").getprevious()
    start = picture.getprevious()
    start.addprevious(table_caption)
    start.addprevious(table)
    read = read_edited(open_docx(doc.save(tmp_path / "table-figure.docx")), "accept")
    [table_block] = [b for b in read.blocks if isinstance(b.block, blocks.Table)]
    [figure] = [b for b in read.blocks if isinstance(b.block, blocks.Figure)]
    assert read.blocks.index(figure) == read.blocks.index(table_block) + 1
    assert blocks.stringify(table_block.block.c[1][1]).startswith(
        "Table 1: Agreements in the basins studied")
    assert figure.ids[0] == "fig-withdrawals"
    assert text(figure).startswith("Figure 1: Withdrawals from four shared basins")


def test_a_rendered_citation_is_bracketed_by_marks_and_no_token_is_left(
        water_docx: Path) -> None:
    package = open_docx(water_docx)
    before = dict(package.parts)
    read = read_edited(package, "accept")
    cited = find(read.blocks, "Three features recur")
    marks = [dict(n.attr[2]) for n in blocks.walk(cited.block)
             if isinstance(n, blocks.Span) and MARK_CLASS in n.attr[1]]
    assert [m["edge"] for m in marks] == ["start", "end"]
    assert marks[0]["n"] == marks[1]["n"]
    content = cited.block.content
    edges = [i for i, n in enumerate(content) if isinstance(n, blocks.Span)]
    assert blocks.stringify(content[edges[0] + 1:edges[1]]) == "(McCaffrey 2019, 110)"
    words = "".join(node.c for b in read.blocks for node in blocks.walk(b.block)
                    if isinstance(node, blocks.Str))
    assert not any(c in words for c in "\ue000\ue001\ue010\ue011\ue012\ue013")
    for paragraph in read.xml_blocks:  # the review reads these: no citation token in them
        assert not any("\ue010" in (t.text or "") or "\ue012" in (t.text or "")
                       for t in paragraph.element.iter(w("t")))
    assert package.parts == before  # pandoc read a private copy


# -- tracked changes -----------------------------------------------------------------------


def edited_water(water_docx: Path, out: Path) -> Path:
    doc = DocxEditor(water_docx)
    doc.insert("Where any of the three was missing", "fell back on", " costly", author="Ed",
               date=DATE)
    doc.delete("Agreements that share data", "in advance ", author="Ed", date=DATE)
    doc.add_paragraph("Where any of the three was missing", "An inserted paragraph.",
                      author="Ed", date=DATE)
    doc.delete_paragraph("Basin states and their partners", author="Ed", date=DATE)
    return doc.save(out)


def test_accepted_changes_read_as_the_editor_left_the_text(water_docx: Path,
                                                          tmp_path: Path) -> None:
    read = read_edited(open_docx(edited_water(water_docx, tmp_path / "e.docx")), "accept")
    assert "fell back on costly unilateral measures" in text(find(read.blocks, "Where any"))
    assert text(find(read.blocks, "Agreements that share")).startswith(
        "Agreements that share data and set drought rules hold up")
    assert find(read.blocks, "An inserted paragraph.").cls == "body"
    assert not [b for b in read.blocks if text(b).startswith("Basin states")]
    # the deleted paragraph's mark joined it to the next: that one is what the block is
    area = find(read.blocks, "Data Sharing")
    assert (area.cls, area.ids, [p.style for p in area.paragraphs]) == \
        ("area", ["data-sharing"], ["Recommendation Area"])


def test_rejected_changes_read_as_the_text_was(water_docx: Path, tmp_path: Path) -> None:
    read = read_edited(open_docx(edited_water(water_docx, tmp_path / "e.docx")), "reject")
    assert "fell back on unilateral measures" in text(find(read.blocks, "Where any"))
    assert text(find(read.blocks, "Agreements that share")).startswith(
        "Agreements that share data and set drought rules in advance hold up")
    assert not [b for b in read.blocks if text(b) == "An inserted paragraph."]
    assert find(read.blocks, "Basin states and their partners").cls == "body"
    assert find(read.blocks, "Data Sharing").cls == "area"


def test_a_paragraph_moved_here_is_told_from_one_that_stayed(water_docx: Path,
                                                            tmp_path: Path) -> None:
    doc = DocxEditor(water_docx)
    paragraph = doc.paragraph("Where any of the three was missing")
    move = etree.SubElement(paragraph, w("moveTo"), {w("id"): "77", w("author"): "Ed",
                                                     w("date"): DATE})
    for run in paragraph.findall(w("r")):
        move.append(run)
    read = read_edited(open_docx(doc.save(tmp_path / "e.docx")), "accept")
    assert moved_here(find(read.blocks, "Where any of the three"))
    assert not moved_here(find(read.blocks, "Three features recur"))
    assert not moved_here(EditedBlock(blocks.Para([]), []))  # no words at all


def _code_edits(word: Callable[..., Path], tmp_path: Path) -> Path:
    """Two Source Code paragraphs, edited with Track Changes on as LibreOffice records it:
    ``72N`` retyped ``73N``, and a line typed after a break, in runs of Verbatim Char."""
    def fill(document: docx.document.Document) -> None:
        document.styles.add_style("Source Code", WD_STYLE_TYPE.PARAGRAPH)
        document.styles.add_style("Verbatim Char", WD_STYLE_TYPE.CHARACTER)
        document.add_paragraph("POSITION 72N 170W", style="Source Code")
        document.add_paragraph("SPEED 12 KN", style="Source Code")

    doc = DocxEditor(word(fill))
    doc.insert("POSITION", "POSITION ", "73N", author="Ed", date=DATE)
    doc.delete("POSITION", "72N", author="Ed", date=DATE)
    paragraph = doc.paragraph("SPEED")
    ins = etree.SubElement(paragraph, w("ins"), {w("id"): "88", w("author"): "Ed",
                                                 w("date"): DATE})
    etree.SubElement(etree.SubElement(ins, w("r")), w("br"))
    run = etree.SubElement(ins, w("r"))
    etree.SubElement(etree.SubElement(run, w("rPr")), w("rStyle"), {w("val"): "VerbatimChar"})
    etree.SubElement(run, w("t")).text = "SPEED 14 KN"
    return doc.save(tmp_path / "code.docx")


@pytest.mark.parametrize("changes, expected", [
    ("accept", ["POSITION 73N 170W", "SPEED 12 KN\nSPEED 14 KN"]),
    ("reject", ["POSITION 72N 170W", "SPEED 12 KN"])])
def test_tracked_changes_in_a_code_block_are_read_as_in_any_paragraph(
        changes: str, expected: list[str], word: Callable[..., Path], tmp_path: Path) -> None:
    """pandoc's reader takes a Source Code paragraph's words from its plain runs alone: a
    tracked insertion (and deletion) in it was lost whichever way the changes went."""
    path = _code_edits(word, tmp_path)
    read = read_edited(open_docx(path), changes)  # type: ignore[arg-type]
    assert [b.block for b in read.blocks] == [
        blocks.CodeBlock((blocks.attr(), code)) for code in expected]
    # the paragraphs' XML, which the review reads, keeps the tracked changes
    assert [len(b.paragraphs[0].element.findall(f".//{w('ins')}")) for b in read.blocks] == \
        [1, 1]


# -- Word files of other makers ------------------------------------------------------------


def test_title_styles_stay_paragraphs_and_headings_and_recommendations_are_classed(
        word: Callable[..., Path]) -> None:
    def fill(document: docx.document.Document) -> None:
        document.add_paragraph("A Title", style="Title")
        document.add_paragraph("A Subtitle", style="Subtitle")
        document.add_heading("First", level=2)
        document.add_paragraph("Alpha beta.")
        document.styles.add_style("Recommendation", WD_STYLE_TYPE.PARAGRAPH)
        document.add_paragraph("Do it.", style="Recommendation")

    read = read_edited(open_docx(word(fill)), "accept")
    assert [(b.cls, text(b)) for b in read.blocks] == [
        ("meta:title", "A Title"), ("meta:subtitle", "A Subtitle"), ("heading", "First"),
        ("body", "Alpha beta."), ("rec", "Do it.")]
    assert read.blocks[2].level == 2


def test_empty_paragraphs_are_skipped(word: Callable[..., Path]) -> None:
    def fill(document: docx.document.Document) -> None:
        document.add_paragraph("One.")
        document.add_paragraph("")
        document.add_paragraph("   ")
        document.add_paragraph("Two.")

    read = read_edited(open_docx(word(fill)), "accept")
    assert [(text(b), [p.index for p in b.paragraphs]) for b in read.blocks] == \
        [("One.", [0]), ("Two.", [3])]


def test_each_source_code_paragraph_is_a_code_block_of_its_own(
        word: Callable[..., Path]) -> None:
    def fill(document: docx.document.Document) -> None:
        document.styles.add_style("Source Code", WD_STYLE_TYPE.PARAGRAPH)
        document.add_paragraph("x = 1", style="Source Code")
        document.add_paragraph("y = 2", style="Source Code")
        document.add_paragraph("z = 3", style="Source Code")

    read = read_edited(open_docx(word(fill)), "accept")
    assert [(b.block, [p.index for p in b.paragraphs]) for b in read.blocks] == [
        (blocks.CodeBlock((blocks.attr(), "x = 1")), [0]),
        (blocks.CodeBlock((blocks.attr(), "y = 2")), [1]),
        (blocks.CodeBlock((blocks.attr(), "z = 3")), [2])]


def test_a_phrase_in_link_without_target_reads_as_a_pending_link(
        word: Callable[..., Path]) -> None:
    def fill(document: docx.document.Document) -> None:
        document.styles.add_style("Link Without Target", WD_STYLE_TYPE.CHARACTER)
        paragraph = document.add_paragraph("See ")
        paragraph.add_run("the ", style="Link Without Target")
        paragraph.add_run("report", style="Link Without Target")
        paragraph.add_run(" later.")

    [read] = read_edited(open_docx(word(fill)), "accept").blocks
    links = [n for n in blocks.walk(read.block) if isinstance(n, blocks.Link)]
    assert [(blocks.stringify(link.content), link.url) for link in links] == \
        [("the report", PENDING_URL)]  # two runs, one link


def test_a_tracked_change_of_a_pending_link_s_words_stays_inside_the_one_link(
        word: Callable[..., Path], tmp_path: Path) -> None:
    """Words typed (or deleted) with Track Changes inside a phrase in "Link Without Target"
    are in its style, in a ``w:ins`` (``w:del``) of their own: the phrase is still one link,
    accepted or rejected (it was cut in two at the insertion: the tester's M3)."""
    def fill(document: docx.document.Document) -> None:
        document.styles.add_style("Link Without Target", WD_STYLE_TYPE.CHARACTER)
        paragraph = document.add_paragraph("Polls stressed the ")
        paragraph.add_run("domestic perception", style="Link Without Target")
        paragraph.add_run(" of trade-offs.")

    doc = DocxEditor(word(fill))
    doc.insert("Polls", "domestic ", "public ", "Ed", "2024-03-04T10:00:00Z", formatted=True)
    doc.delete("Polls", "perception", "Ed", "2024-03-04T10:00:00Z")
    doc.insert("Polls", "domestic public ", "opinion", "Ed", "2024-03-04T10:00:00Z",
               formatted=True)
    edited = doc.save(tmp_path / "edited.docx")
    for changes, phrase in (("accept", "domestic public opinion"),
                            ("reject", "domestic perception")):
        [read] = read_edited(open_docx(edited), changes).blocks
        links = [n for n in blocks.walk(read.block) if isinstance(n, blocks.Link)]
        assert [(blocks.stringify(link.content), link.url) for link in links] == \
            [(phrase, PENDING_URL)]
        assert text(read) == f"Polls stressed the {phrase} of trade-offs."


def _bookmark(paragraph: etree._Element, at: int, ident: int, name: str) -> etree._Element:
    """A bookmark's start put in ``paragraph`` at child ``at``."""
    start = etree.Element(w("bookmarkStart"))
    start.set(w("id"), str(ident))
    start.set(w("name"), name)
    paragraph.insert(at, start)
    return start


def _link(paragraph: etree._Element, anchor: str, words: str) -> None:
    """A link to the bookmark ``anchor``, reading ``words``, at the end of ``paragraph``."""
    hyperlink = etree.SubElement(paragraph, w("hyperlink"))
    hyperlink.set(w("anchor"), anchor)
    run = etree.SubElement(hyperlink, w("r"))
    etree.SubElement(run, w("t")).text = words


def _run(paragraph: etree._Element, words: str) -> None:
    run = etree.SubElement(paragraph, w("r"))
    t = etree.SubElement(run, w("t"))
    t.text = words
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def test_a_link_to_a_bookmark_inside_a_heading_keeps_the_heading_id(
        word: Callable[..., Path], tmp_path: Path) -> None:
    """LibreOffice's save moves a section's bookmark into its heading's paragraph, where
    pandoc renames it to an id made of the heading's words (``the-argument``) in every link
    to it; the link reads as the Word file has it, and a link to Word's own bookmark in the
    heading (an editor's link to it) reads as a link to the heading's id."""
    def fill(document: docx.document.Document) -> None:
        document.add_heading("Introduction", level=1)
        document.add_paragraph("As ")
        document.add_heading("The Argument", level=1)
        document.add_paragraph("It holds.")

    doc = DocxEditor(word(fill))
    intro, heading = doc.paragraph("As "), doc.paragraph("The Argument")
    _link(intro, "argument", "The Argument")
    _run(intro, " and ")
    _link(intro, "_Toc12", "that section")
    _run(intro, " show.")
    _bookmark(heading, 1, 7, "argument")
    _bookmark(heading, 1, 8, "_Toc12")
    read = read_edited(open_docx(doc.save(tmp_path / "linked.docx")), "accept")
    intro_read = find(read.blocks, "As ")
    links = [n for n in blocks.walk(intro_read.block) if isinstance(n, blocks.Link)]
    assert [(blocks.stringify(n.content), n.url) for n in links] == \
        [("The Argument", "#argument"), ("that section", "#argument")]
    heading_read = find(read.blocks, "The Argument")
    assert heading_read.cls == "heading" and heading_read.ids == ["argument"]
    # the Word paragraphs, which the review reads too, are as the file has them
    element = heading_read.paragraphs[0].element
    assert [b.get(w("name")) for b in element.iter(w("bookmarkStart"))] == ["_Toc12", "argument"]
    anchors = [h.get(w("anchor"))
               for h in intro_read.paragraphs[0].element.iter(w("hyperlink"))]
    assert anchors == ["argument", "_Toc12"]


def test_a_heading_s_bookmarks_after_a_citation_stay_where_they_stood(
        word: Callable[..., Path], tmp_path: Path) -> None:
    """A heading whose bookmark stands after a citation's: the citation's token runs, put in
    and taken out for pandoc's copy, leave the heading's XML, which the review reads, as the
    file has it (each bookmark before its own end)."""
    def fill(document: docx.document.Document) -> None:
        document.add_heading("", level=1)
        document.add_paragraph("It holds.")

    doc = DocxEditor(word(fill))
    heading = next(p for p in doc.doc.iter(w("p")) if not DocxEditor.text(p))
    for ident, name, words in ((1, "bpcite1", "Smith 2020"), (2, "argument", " Heading")):
        _bookmark(heading, len(heading), ident, name)
        _run(heading, words)
        end = etree.SubElement(heading, w("bookmarkEnd"))
        end.set(w("id"), str(ident))
    def shape(paragraph: etree._Element) -> list[tuple[str, str, str]]:
        """The paragraph's bookmarks and runs in order (not the import's mark run)."""
        return [(etree.QName(child).localname, child.get(w("id"), ""),
                 child.get(w("name")) or DocxEditor.text(child))
                for child in paragraph if "\ue000" not in DocxEditor.text(child)]

    before = shape(heading)
    read = read_edited(open_docx(doc.save(tmp_path / "cited.docx")), "accept")
    assert before == [("pPr", "", ""), ("bookmarkStart", "1", "bpcite1"),
                      ("r", "", "Smith 2020"), ("bookmarkEnd", "1", ""),
                      ("bookmarkStart", "2", "argument"), ("r", "", " Heading"),
                      ("bookmarkEnd", "2", "")]
    assert shape(find(read.blocks, "Smith 2020").paragraphs[0].element) == before


# -- tracked deletions of paragraph marks ---------------------------------------------------

LISTS = """Intro.

- Alpha item.
- Beta item.
- Gamma item.

Between.

1. One item.
2. Two item.
3. Three item.

After.
"""


@pytest.fixture(scope="module")
def lists_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bulleted and a numbered list of three items each, between paragraphs, as pandoc's
    Word writer makes them (each item numbered in its own paragraph)."""
    out = tmp_path_factory.mktemp("lists") / "lists.docx"
    pandoc.write(pandoc.parse_markdown(LISTS)[0], "docx", out)
    return out


def outline(found: list[EditedBlock]) -> list[str | list[str]]:
    """Each block's words; a list as the words of its items."""
    return [[blocks.stringify(item) for item in b.block.items]
            if isinstance(b.block, blocks.BulletList | blocks.OrderedList) else text(b)
            for b in found]


ITEMS = {"bulleted": ("Intro.", ["Alpha item.", "Beta item.", "Gamma item."], "Between."),
         "numbered": ("Between.", ["One item.", "Two item.", "Three item."], "After.")}


@pytest.mark.parametrize("kind", ITEMS)
@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("way", ["libreoffice", "word"])
def test_a_tracked_deletion_of_a_list_item_takes_the_item_away(
        lists_docx: Path, tmp_path: Path, kind: str, position: int, way: str) -> None:
    """LibreOffice deletes an item with the break before it (the mark of the paragraph
    before, the item's words), Word with its own break (the item's words and mark);
    accepted, either way the item is gone and the others stay, in order: pandoc alone left
    an empty item where a mark was deleted."""
    before, items, _ = ITEMS[kind]
    doc = DocxEditor(lists_docx)
    gone = items[position]
    doc.delete_mark(gone if way == "word" else ([before, *items])[position], author="Ed",
                    date=DATE)
    doc.delete(gone, gone, author="Ed", date=DATE)
    read = read_edited(open_docx(doc.save(tmp_path / "e.docx")), "accept")
    left = [item for item in items if item != gone]
    expected: list[str | list[str]] = ["Intro.", ["Alpha item.", "Beta item.", "Gamma item."],
                                       "Between.", ["One item.", "Two item.", "Three item."],
                                       "After."]
    expected[expected.index(items)] = left
    assert outline(read.blocks) == expected


def test_a_paragraph_whose_mark_is_deleted_joins_the_next_in_its_own_style(
        lists_docx: Path, tmp_path: Path) -> None:
    """The break between two paragraphs deleted, they are one, in the first one's style
    and numbering (Word's and LibreOffice's join); the first's words come first, and
    nothing is put between the two: the sentences run on as Word shows them once the
    deletion is accepted."""
    doc = DocxEditor(lists_docx)
    doc.delete_mark("Between.", author="Ed", date=DATE)
    read = read_edited(open_docx(doc.save(tmp_path / "e.docx")), "accept")
    assert outline(read.blocks) == ["Intro.", ["Alpha item.", "Beta item.", "Gamma item."],
                                    "Between.One item.", ["Two item.", "Three item."],
                                    "After."]
    joined = find(read.blocks, "Between.")
    assert isinstance(joined.block, blocks.Para | blocks.Plain)
    assert [doc.text(p.element).endswith(words) for p, words in zip(
        joined.paragraphs, ["Between.", "One item."], strict=True)] == [True, True]


CURIOS = "Such maps are no longer curiosities.\n\nNext paragraph.\n"


def split_at(source: Path, out: Path, first: str, kind: str) -> Path:
    """``source`` with the paragraph that opens with ``first`` split after it, the first
    part's mark a tracked change of ``kind`` (``ins``: the editor pressed Enter there;
    ``del``: a stray break in the text, deleted)."""
    doc = DocxEditor(source)
    paragraph = doc.paragraph(first)
    whole = doc.text(paragraph)
    assert whole.startswith(first)
    second = deepcopy(paragraph)
    for part, words in ((paragraph, first), (second, whole[len(first):])):
        runs = part.findall(w("r"))
        for run in runs[1:]:
            part.remove(run)
        for node in runs[0]:
            if node.tag != w("rPr"):
                runs[0].remove(node)
        etree.SubElement(runs[0], w("t"), {
            "{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = words
    mark = paragraph.find(w("pPr"))
    if mark is None:
        mark = etree.Element(w("pPr"))
        paragraph.insert(0, mark)
    etree.SubElement(etree.SubElement(mark, w("rPr")), w(kind),
                     {w("id"): "91", w("author"): "Ed", w("date"): DATE})
    paragraph.addnext(second)
    return doc.save(out)


@pytest.fixture
def curios_docx(tmp_path: Path) -> Path:
    out = tmp_path / "curios.docx"
    pandoc.write(pandoc.parse_markdown(CURIOS)[0], "docx", out)
    return out


@pytest.mark.parametrize("first", ["Such maps are no longer curio", "Such maps are no longer ",
                                   "Such maps are no longer"])
def test_a_break_typed_in_the_text_then_rejected_changes_nothing(
        curios_docx: Path, tmp_path: Path, first: str) -> None:
    """Enter pressed inside a word (or beside a space), recorded as an inserted mark, and
    rejected: the paragraph is what it was, nothing put where the break stood."""
    path = split_at(curios_docx, tmp_path / "e.docx", first, "ins")
    assert outline(read_edited(open_docx(path), "reject").blocks) == [
        "Such maps are no longer curiosities.", "Next paragraph."]
    accepted = outline(read_edited(open_docx(path), "accept").blocks)
    assert accepted[0].rstrip() == first.rstrip()
    assert len(accepted) == 3


def test_a_stray_break_in_a_word_deleted_gives_the_word_back_whole(
        curios_docx: Path, tmp_path: Path) -> None:
    path = split_at(curios_docx, tmp_path / "e.docx", "Such maps are no longer curio", "del")
    assert outline(read_edited(open_docx(path), "accept").blocks) == [
        "Such maps are no longer curiosities.", "Next paragraph."]


BEFORE_TABLE = """Intro.

Content.

| Left | Right |
|------|-------|
| a    | b     |
"""

MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"


@pytest.mark.parametrize("content", ["equation", "symbol"])
def test_a_paragraph_of_other_content_whose_mark_is_deleted_stays_before_a_table(
        tmp_path: Path, content: str) -> None:
    """What is left of a paragraph is any content but deleted words: an equation alone,
    or a symbol (Insert > Symbol), whose mark is deleted before a table has no paragraph
    to join and keeps its mark; it is not taken for an empty paragraph and removed."""
    source = tmp_path / "table.docx"
    pandoc.write(pandoc.parse_markdown(BEFORE_TABLE)[0], "docx", source)
    doc = DocxEditor(source)
    doc.delete_mark("Content.", author="Ed", date=DATE)
    paragraph = doc.paragraph("Content.")
    for run in paragraph.findall(w("r")):
        paragraph.remove(run)
    if content == "equation":
        math_run = etree.SubElement(etree.SubElement(paragraph, f"{{{MATH}}}oMath"),
                                    f"{{{MATH}}}r")
        etree.SubElement(math_run, f"{{{MATH}}}t").text = "E=mc"
    else:
        etree.SubElement(etree.SubElement(paragraph, w("r")), w("sym"),
                         {w("font"): "Symbol", w("char"): "F0B7"})
    read = read_edited(open_docx(doc.save(tmp_path / "e.docx")), "accept")
    assert [type(b.block) for b in read.blocks][1:] == [blocks.Para, blocks.Table]
    kept = read.blocks[1]
    if content == "equation":
        assert [n.c[1] for n in blocks.walk(kept.block) if isinstance(n, blocks.Math)] == [
            "E = mc"]
    else:
        assert text(kept) == "\u2022"  # pandoc reads Symbol's F0B7 as the bullet it is
    assert len(kept.paragraphs) == 1


def test_a_list_item_inserted_then_rejected_leaves_no_empty_item(
        lists_docx: Path, tmp_path: Path) -> None:
    doc = DocxEditor(lists_docx)
    item = deepcopy(doc.paragraph("Beta item."))
    for run in item.findall(w("r")):
        item.remove(run)
    mark = etree.SubElement(item.find(w("pPr")), w("rPr"))
    etree.SubElement(mark, w("ins"), {w("id"): "81", w("author"): "Ed", w("date"): DATE})
    words = etree.SubElement(item, w("ins"), {w("id"): "82", w("author"): "Ed",
                                              w("date"): DATE})
    etree.SubElement(etree.SubElement(words, w("r")), w("t")).text = "New item."
    doc.paragraph("Beta item.").addnext(item)
    path = doc.save(tmp_path / "e.docx")
    assert outline(read_edited(open_docx(path), "reject").blocks)[1] == [
        "Alpha item.", "Beta item.", "Gamma item."]
    assert outline(read_edited(open_docx(path), "accept").blocks)[1] == [
        "Alpha item.", "Beta item.", "New item.", "Gamma item."]


SECTIONS = """## Kept {#kept}

Before.

## Dropped {#dropped}

Gone words.

- Gone one.
- Gone two.

# Next {#next}

Next words.
"""


def test_a_subsection_deleted_whole_leaves_nothing_of_it(tmp_path: Path) -> None:
    """A subsection deleted from its heading to the next heading (each paragraph's words
    and mark, as LibreOffice and Word record it): accepted, nothing of it is left, no
    empty item where its list stood, and the heading that follows is what it was."""
    source = tmp_path / "sections.docx"
    pandoc.write(pandoc.parse_markdown(SECTIONS)[0], "docx", source)
    doc = DocxEditor(source)
    for phrase in ("Dropped", "Gone words.", "Gone one.", "Gone two."):
        doc.delete_paragraph(phrase, author="Ed", date=DATE)
    read = read_edited(open_docx(doc.save(tmp_path / "e.docx")), "accept")
    assert outline(read.blocks) == ["Kept", "Before.", "Next", "Next words."]
    heading = read.blocks[2]
    assert (heading.cls, heading.level, heading.ids) == ("heading", 1, ["next"])
    assert [p.style.casefold() for p in heading.paragraphs] == ["heading 1"]


def test_a_recommendation_paragraph_with_the_one_before_s_bookmark_goes_on_with_it() -> None:
    """LibreOffice saves a recommendation's bookmark in each of its paragraphs; pasted at
    the end of a paragraph, its last one takes the Recommendation style. The same bookmark
    says it goes on; a copy's (``id_Copy_1`` under ``id``), a paragraph without one, or one
    after another part of the brief, each starts a recommendation of its own."""
    def rec(text: str, ids: list[str], continues: bool = False) -> EditedBlock:
        return EditedBlock(blocks.Para(blocks.plain_inlines(text)), [], "rec", ids,
                           continues=continues)

    found = _continuations([
        rec("Create a fund.", ["repair-fund_Copy_1"]),
        rec("Pay into it.", ["repair-fund_Copy_1"]),
        rec("Later paragraph.", [], continues=True),
        rec("And its bookmark again.", ["policy-recommendations", "repair-fund_Copy_1"]),
        rec("A copy of it.", ["repair-fund"]),
        rec("Typed after it.", []),
        EditedBlock(blocks.Para(blocks.plain_inlines("Area")), [], "area", ["x"]),
        rec("Under an area.", ["repair-fund"])])
    assert [b.continues for b in found] == [False, True, True, True, False, False, False,
                                            False]
