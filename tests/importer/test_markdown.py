"""importer/markdown.py: typed blocks written back as Markdown in the source's own style
(reference links, named notes, dashes, images), with the definitions to add or change.

The sources are small briefs read here; the edited blocks are typed blocks made here, as
docxread gives them. pandoc runs once per ``write``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefpress import pandoc
from briefpress.importer.markdown import (
    MarkdownWriter,
    Piece,
    as_source,
    figure_images,
    links_of,
    note_calls,
    note_calls_of,
    reads_alike,
)
from briefpress.importer.signature import PENDING_URL
from briefpress.importer.sourcemap import SourceMap, list_items, source_map
from briefpress.importer.splice import _figure_alts, _figures, _images, _notes
from briefpress.model import blocks, xref
from briefpress.model.brief import Brief
from briefpress.read.brief import read_brief
from briefpress.render.docx_ast import brief_units
from conftest import ARCTIC, REAL

BODY = """
# Summary {#summary}

Vessel counts from the [route office][nsr] rose --- sharply --- since 2019.[^counts]

See the [Polar Code](https://www.imo.org/polar) and [the rules][nsr] again.[^code]

Ask the [harbour master][harbour] first.

![A chart.](transits.png){#fig-chart width=80%}

[^counts]: Full transits only.
[^code]: The code.

[nsr]: https://nsr.example.org/
[harbour]: https://harbour.example.org/
"""


def brief_with(folder: Path, body: str) -> Brief:
    """The arctic brief's front matter and recommendations with ``body`` as its text."""
    shutil.copytree(ARCTIC, folder)
    markdown = (folder / "brief.md").read_text(encoding="utf-8")
    front = markdown[:markdown.index("---\n", 4) + 4]
    (folder / "brief.md").write_text(front + body, encoding="utf-8")
    return read_brief(folder)


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Brief:
    return brief_with(tmp_path_factory.mktemp("mini") / "mini", BODY)


def writer(brief: Brief) -> MarkdownWriter:
    return MarkdownWriter(source_map(brief), brief.markdown, brief.api_version)


def words(text: str) -> list[blocks.Inline]:
    return blocks.plain_inlines(text)


def link(text: str, url: str) -> blocks.Link:
    return blocks.Link((blocks.attr(), words(text), (url, "")))


def note(text: str) -> blocks.Note:
    return blocks.Note([blocks.Para(words(text))])


def para(*parts: str | blocks.Inline | list[blocks.Inline]) -> blocks.Para:
    """A paragraph of words and inlines, a space between each part."""
    inlines: list[blocks.Inline] = []
    for part in parts:
        if inlines and not isinstance(part, blocks.Note):
            inlines.append(blocks.Space())
        inlines.extend(words(part) if isinstance(part, str) else
                       part if isinstance(part, list) else [part])
    return blocks.Para(inlines)


def context(brief: Brief, number: int) -> Piece:
    """A piece that replaces block ``number`` of the summary, with what the source has."""
    unit_blocks = brief.section("summary").blocks[number:number + 1]
    smap = source_map(brief)
    return Piece([], context=smap.text(smap.blocks[f"block:summary:{number}"]),
                 base_notes=_notes(unit_blocks), base_images=_images(unit_blocks),
                 base_figures=_figures(unit_blocks), base_figure_alts=_figure_alts(unit_blocks),
                 base_figure_images=figure_images(unit_blocks), base_links=links_of(unit_blocks))


def write_one(w: MarkdownWriter, piece: Piece, *content: blocks.Block) -> str:
    piece.blocks = list(content)
    w.write_pieces([piece])
    return piece.markdown


# -- as the source writes it ---------------------------------------------------------------


@pytest.mark.parametrize("source", [REAL, ARCTIC], ids=["us-rok", "arctic"])
def test_every_unchanged_block_is_written_as_its_source_lines(source: Path) -> None:
    """Links, dashes, quotes, superscripts, notes: an unchanged block costs no diff."""
    brief = read_brief(source)
    smap = source_map(brief)
    units = [u for u in brief_units(brief) if u.kind == "block"]
    pieces = [Piece(u.blocks, context=smap.text(smap.blocks[u.key]),
                    base_notes=_notes(u.blocks), base_images=_images(u.blocks),
                    base_figures=_figures(u.blocks)) for u in units]
    w = writer(brief)
    written = w.write(pieces)
    padded = [i for i, u in enumerate(units)
              if isinstance(u.blocks[0], blocks.Table | blocks.Figure)]
    # a pipe table comes back with its cells padded and a figure with `width="80%"` quoted
    assert [i for i, p in enumerate(pieces) if p.context != written[i]] == padded
    assert w.definitions.new_links == {} and w.definitions.notes == {}
    assert w.definitions.new_notes == {} and w.definitions.retarget == {}


def test_an_edited_paragraph_keeps_its_reference_links_and_note_labels(mini: Brief) -> None:
    w = writer(mini)
    edited = para("Vessel counts from the", link("route office", "https://nsr.example.org"),
                  "rose — steeply — since 2019.", note("Full transits only."))
    assert write_one(w, context(mini, 0), edited) == \
        "Vessel counts from the [route office][nsr] rose --- steeply --- since 2019.[^counts]"
    assert w.definitions.new_links == {} and w.definitions.notes == {}


def test_a_link_to_an_address_the_source_defines_reuses_its_label(mini: Brief) -> None:
    w = writer(mini)
    edited = para("Ask", link("the port", "https://harbour.example.org/"), "first.")
    assert write_one(w, Piece([]), edited) == "Ask [the port][harbour] first."
    assert w.definitions.new_links == {}


def test_a_new_address_gets_a_new_label_from_its_words(mini: Brief) -> None:
    w = writer(mini)
    pieces = [Piece([para("Read", link("the new rules", "https://rules.example.org/"))]),
              Piece([para("Read", link("the new rules", "https://other.example.org/"),
                          "and", link("the new rules", "https://rules.example.org/"))])]
    w.write_pieces(pieces)
    assert pieces[0].markdown == "Read [the new rules][the-new-rules]"
    assert pieces[1].markdown == ("Read [the new rules][the-new-rules-2] and "
                                  "[the new rules][the-new-rules]")
    assert w.definitions.new_links == {"the-new-rules": "https://rules.example.org/",
                                       "the-new-rules-2": "https://other.example.org/"}


def test_a_label_never_clashes_with_a_note_or_link_of_the_source(mini: Brief) -> None:
    w = writer(mini)
    assert write_one(w, Piece([]), para(link("NSR", "https://elsewhere.example.org/"))) == \
        "[NSR][nsr-2]"


def test_a_link_given_a_new_address_retargets_its_only_definition(mini: Brief) -> None:
    w = writer(mini)
    edited = para("Ask the", link("harbour master", "https://port.example.org/"), "first.")
    assert write_one(w, context(mini, 2), edited) == "Ask the [harbour master][harbour] first."
    assert w.definitions.retarget == {"harbour": "https://port.example.org/"}
    assert w.definitions.new_links == {}


def test_a_label_two_links_share_is_not_retargeted(mini: Brief) -> None:
    w = writer(mini)
    edited = para("Vessel counts from the", link("route office", "https://new.example.org/"))
    assert write_one(w, context(mini, 0), edited) == \
        "Vessel counts from the [route office][route-office]"
    assert w.definitions.retarget == {}
    assert w.definitions.new_links == {"route-office": "https://new.example.org/"}


def test_a_link_without_target_gets_an_empty_definition(mini: Brief) -> None:
    w = writer(mini)
    edited = para("See", link("the annex", PENDING_URL), "and", link("the annex", PENDING_URL))
    assert write_one(w, Piece([]), edited) == "See [the annex][the-annex] and " \
        "[the annex][the-annex]"
    assert w.definitions.new_links == {"the-annex": ""}



PENDING = """
# Summary {#summary}

Polls stressed the [domestic perception][domestic-perception] and the [second study] of
[trade-offs][trade].

[domestic-perception]: <>
[second study]: <>
[trade]: https://example.org/trade
"""


def test_an_edited_link_still_to_be_found_keeps_its_label(tmp_path: Path) -> None:
    """The tester's M3: a phrase of a link whose definition is ``<>`` edited in Word keeps
    its label, as a link with an address does, and no new definition is made (the old one
    was left an orphan); each link takes its own, the likeliest first."""
    brief = brief_with(tmp_path / "pending", PENDING)
    w = writer(brief)
    edited = para("Polls stressed the", link("domestic public perception", PENDING_URL),
                  "and the", link("second, larger study", PENDING_URL), "of",
                  link("trade-offs", "https://example.org/trade"), ".")
    assert write_one(w, context(brief, 0), edited) == (
        "Polls stressed the [domestic public perception][domestic-perception] and the "
        "[second, larger study][second study] of [trade-offs][trade] .")
    assert w.definitions.new_links == {}


def test_a_new_link_still_to_be_found_beside_a_kept_one_gets_its_own_label(
        tmp_path: Path) -> None:
    brief = brief_with(tmp_path / "pending", PENDING)
    w = writer(brief)
    edited = para("Polls stressed the", link("domestic perception", PENDING_URL), "and the",
                  link("second study", PENDING_URL), "and", link("a third", PENDING_URL), ".")
    assert write_one(w, context(brief, 0), edited) == (
        "Polls stressed the [domestic perception][domestic-perception] and the "
        "[second study] and [a third][a-third] .")
    assert w.definitions.new_links == {"a-third": ""}


# -- inline links ----------------------------------------------------------------------------


def test_an_edited_paragraph_keeps_its_inline_link(mini: Brief) -> None:
    """``[Polar Code](url)`` stays inline, beside a reference link that stays a reference:
    no label made up, no definition added."""
    w = writer(mini)
    edited = para("See the", link("Polar Code", "https://www.imo.org/polar"), "and",
                  link("the rules", "https://nsr.example.org/"), "once more.", note("The code."))
    assert write_one(w, context(mini, 1), edited) == (
        "See the [Polar Code](https://www.imo.org/polar) and [the rules][nsr] once "
        "more.[^code]")
    assert w.definitions.new_links == {} and w.definitions.retarget == {}


@pytest.mark.parametrize(("phrase", "url", "written"), [
    ("Polar Code", "https://www.imo.org/polar-2024", "[Polar Code](https://www.imo.org/polar-2024)"),
    ("the Polar Code rules", "https://www.imo.org/polar",
     "[the Polar Code rules](https://www.imo.org/polar)"),
], ids=["new-address", "new-words"])
def test_an_inline_link_edited_in_word_stays_inline(mini: Brief, phrase: str, url: str,
                                                    written: str) -> None:
    """Its address changed (its words the same), or its words (its address the same)."""
    w = writer(mini)
    edited = para("See the", link(phrase, url), "and",
                  link("the rules", "https://nsr.example.org/"), "again.", note("The code."))
    assert write_one(w, context(mini, 1), edited) == \
        f"See the {written} and [the rules][nsr] again.[^code]"
    assert w.definitions.new_links == {} and w.definitions.retarget == {}


INLINE = """
# Summary {#summary}

Counts from the [route office](https://nsr.example.org/ "Route office") and
<https://arctic.example.org/>.[^code] More.^[See [the annex](https://annex.example.org/).]

[^code]: See [the IMO page](https://www.imo.org/polar).

    A second paragraph.
"""


def test_inline_links_stay_inline_in_notes_autolinks_and_with_their_title(
        tmp_path: Path) -> None:
    """A labelled note's link, an inline note's, an autolink (``<url>``) and a link's
    title (Word keeps none) come back as the source wrote them; the note's paragraphs keep
    an empty line between them."""
    brief = brief_with(tmp_path / "inline", INLINE)
    w = writer(brief)
    edited = para("Counts from the", link("route office", "https://nsr.example.org/"), "and",
                  [link("https://arctic.example.org/", "https://arctic.example.org/"),
                   blocks.Str("."), note("See the IMO page at last.")], "More.",
                  note("See the annex, edited."))
    # the notes' words: a link each
    edited.c[-1].c[0].c[:] = [*words("See"), blocks.Space(), link("the annex",
                              "https://annex.example.org/"), *words(", edited.")]
    labelled = edited.c[-4]
    assert isinstance(labelled, blocks.Note)
    labelled.c[:] = [para("See", link("the IMO page", "https://www.imo.org/polar"), "today."),
                     blocks.Para(words("A second paragraph."))]
    assert write_one(w, context(brief, 0), edited) == (
        "Counts from the [route office](https://nsr.example.org/ \"Route office\") and "
        "<https://arctic.example.org/>.[^code] More.^[See [the annex](https://annex.example.org/)"
        ", edited.]")
    assert w.definitions.notes == {
        "code": "See [the IMO page](https://www.imo.org/polar) today.\n\n    A second paragraph."}
    assert w.definitions.new_links == {}


def test_a_notes_reference_link_keeps_its_form(tmp_path: Path) -> None:
    """A collapsed reference in a note's definition stays collapsed (its note was written
    with no source to follow: ``[Harbour Board][Harbour Board]``)."""
    brief = brief_with(tmp_path / "note", "\n# Summary {#summary}\n\nCounts.[^code]\n\n"
                       "[^code]: Ask the [Harbour Board][].\n\n"
                       "[Harbour Board]: https://harbour.example.org/\n")
    w = writer(brief)
    edited = para("Counts.", blocks.Note([para(
        "Ask the", link("Harbour Board", "https://harbour.example.org/"), "today.")]))
    assert write_one(w, context(brief, 0), edited) == "Counts.[^code]"
    assert w.definitions.notes == {"code": "Ask the [Harbour Board][] today."}


def test_a_new_link_follows_the_briefs_habit(mini: Brief, tmp_path: Path) -> None:
    """A brief that writes most of its links inline gets a new link inline; one that
    writes references (``mini``) a reference and its definition; an address the brief
    already defines, its label."""
    inline = brief_with(tmp_path / "inline", INLINE)
    added = para("Read", link("the new rules", "https://rules.example.org/"), "and",
                 link("the office", "https://nsr.example.org/"))
    w = writer(inline)
    assert write_one(w, Piece([]), added) == (
        "Read [the new rules](https://rules.example.org/) and "
        "[the office](https://nsr.example.org/)")
    assert w.definitions.new_links == {}
    w = writer(mini)
    assert write_one(w, Piece([]), added) == \
        "Read [the new rules][the-new-rules] and [the office][nsr]"
    assert w.definitions.new_links == {"the-new-rules": "https://rules.example.org/"}
    # a link to a place in the brief: inline, as in-page links are written
    assert write_one(w, Piece([]), para("See", link("Fig. 1", "#fig-chart"))) == \
        "See [Fig. 1](#fig-chart)"
    assert "fig-1" not in w.definitions.new_links


# -- code blocks and figures ------------------------------------------------------------------


@pytest.mark.parametrize(("fence", "code", "written"), [
    ("```", "POSITION 71N\n  SPEED 14 KN", "```\nPOSITION 71N\n  SPEED 14 KN\n```"),
    ("~~~~ {.text #report}", "A\n~~~", "~~~~ {.text #report}\nA\n~~~\n~~~~"),
    ("```python", "x = 1\n```", "````python\nx = 1\n```\n````"),
], ids=["backticks", "tildes-attributes", "fence-in-code"])
def test_an_edited_code_block_keeps_the_sources_fence(tmp_path: Path, fence: str, code: str,
                                                       written: str) -> None:
    """Its backticks or tildes, their number, its info string or attributes (Word keeps
    none); longer, if a line of the code would close it. pandoc would indent it."""
    marker = fence.split()[0].rstrip("python")
    brief = brief_with(tmp_path / "code", f"\n# Summary {{#summary}}\n\nReads:\n\n{fence}\n"
                       f"OLD\n{marker}\n")
    w = writer(brief)
    piece = context(brief, 1)
    assert write_one(w, piece, blocks.CodeBlock((blocks.attr(), code))) == written


def test_a_code_block_the_source_indents_stays_indented(tmp_path: Path) -> None:
    brief = brief_with(tmp_path / "code", "\n# Summary {#summary}\n\n    OLD\n")
    assert write_one(writer(brief), context(brief, 0),
                     blocks.CodeBlock((blocks.attr(), "NEW"))) == "    NEW"


def test_a_figure_whose_caption_was_deleted_keeps_its_id(mini: Brief) -> None:
    """Word reads it as the picture alone in its paragraph, its description the old
    caption's words: it is written as an image with the figure's id and that description
    (pandoc's Markdown has no figure without a caption), and the writer names it."""
    w = writer(mini)
    image = blocks.Image((blocks.attr(), words("A chart."), ("media/image1.png", "")))
    assert write_one(w, context(mini, 3), blocks.Para([image])) == \
        '![](transits.png){#fig-chart alt="A chart." width="80%"}'
    assert w.uncaptioned == ["fig-chart"]


SHORTCUTS = """
# Summary {#summary}

As summarized by
the [Arctic Council], the [Harbour Board][] and the [route office][nsr].

[Arctic Council]: https://arctic-council.org
[Harbour Board]: https://harbour.example.org/
[nsr]: https://nsr.example.org/
"""


def test_an_edited_paragraph_keeps_shortcut_and_collapsed_reference_links(
        tmp_path: Path) -> None:
    """``[Arctic Council]`` and ``[Harbour Board][]`` come back as written, not as
    ``[Arctic Council][Arctic Council]``."""
    brief = brief_with(tmp_path / "shortcuts", SHORTCUTS)
    edited = para("As summarized last year by the",
                  link("Arctic Council", "https://arctic-council.org"), ", the",
                  link("Harbour Board", "https://harbour.example.org/"), "and the",
                  link("route office", "https://nsr.example.org/"), ".")
    assert write_one(writer(brief), context(brief, 0), edited) == (
        "As summarized last year by the [Arctic Council] , the [Harbour Board][] and the "
        "[route office][nsr] .")


def test_a_shortcut_link_before_a_bracket_or_parenthesis_is_written_in_full(
        tmp_path: Path) -> None:
    """``[Arctic Council](2020)`` would be an inline link to ``2020``: there the label is
    written out; a collapsed link needs nothing (pandoc escapes a bracket after it)."""
    brief = brief_with(tmp_path / "shortcuts", SHORTCUTS)
    edited = blocks.Para([link("Arctic Council", "https://arctic-council.org"),
                          blocks.Str("(2020)"), blocks.Space(),
                          link("Harbour Board", "https://harbour.example.org/"),
                          blocks.Str("[sic]")])
    assert write_one(writer(brief), context(brief, 0), edited) == (
        "[Arctic Council][Arctic Council](2020) [Harbour Board][]\\[sic\\]")


# -- notes ---------------------------------------------------------------------------------


def test_a_changed_note_rewrites_its_definition_and_an_added_one_is_new(mini: Brief) -> None:
    """The brief names its notes (``[^counts]``, ``[^code]``): a new one is named from its
    first words, as ids are, apart from every label the brief has."""
    w = writer(mini)
    edited = para("Vessel counts rose.", note("Full transits, all routes."), "Then more.",
                  note("A second\u00a0note."), note("The code."), note("1,200 vessels."))
    assert write_one(w, context(mini, 0), edited) == (
        "Vessel counts rose.[^counts] Then more.[^a-second-note][^the-code][^vessels]")
    assert w.definitions.notes == {"counts": "Full transits, all routes."}
    assert w.definitions.new_notes == {"a-second-note": "A second note.",
                                       "the-code": "The code.", "vessels": "1,200 vessels."}


def test_a_new_note_in_a_brief_that_numbers_its_notes_takes_the_next_free_number(
        tmp_path: Path) -> None:
    brief = brief_with(tmp_path / "numbered", "\n# Summary {#summary}\n\nCounts rose.[^1] "
                       "Fell.[^3]\n\n[^1]: All routes.\n[^3]: Some routes.\n")
    w = writer(brief)
    edited = para("Counts rose.", note("All routes."), "Fell.", note("Some routes."),
                  "Then.", note("New one."), note("Another."))
    assert write_one(w, context(brief, 0), edited) == \
        "Counts rose.[^1] Fell.[^3] Then.[^4][^5]"
    assert w.definitions.new_notes == {"4": "New one.", "5": "Another."}


def test_a_note_removed_drops_its_definition(mini: Brief) -> None:
    w = writer(mini)
    piece = Piece([], context="Counts.[^counts] Code.[^code]",
                  base_notes=[[blocks.Para(words("Full transits only."))],
                              [blocks.Para(words("The code."))]])
    assert write_one(w, piece, para("Counts.", note("Full transits only."), "Code.")) == \
        "Counts.[^counts] Code."
    assert w.definitions.notes == {"code": None}


def test_an_inline_note_stays_inline(tmp_path: Path) -> None:
    brief = brief_with(tmp_path / "inline", "\n# Summary {#summary}\n\nCounts rose.^[All "
                       "routes.]\n")
    w = writer(brief)
    assert write_one(w, context(brief, 0), para("Counts fell.", note("Some routes."))) == \
        "Counts fell.^[Some routes.]"
    assert w.definitions.notes == {} and w.definitions.new_notes == {}


@pytest.mark.parametrize(("text", "calls"), [
    # a caret and a bracket in a code span call nothing
    ("Counts, matched by `grep ^[0-9]` on the logs,[^code] tell it.^[Logs.]", ["code", None]),
    # an escaped backslash, then a real inline note; an escaped caret calls nothing
    ("A path C:\\\\^[A real note.] and a caret \\^[not a note].", [None]),
    # inline and labelled notes mixed, a label in a code span no call
    ("One.^[First.] Two.[^a] `[^b]` Three.^[Third, see [x].] Four.[^c] Five.^[Fifth.]",
     [None, "a", None, "c", None]),
    ("No notes, and no [brackets] calling any.", []),
], ids=["code-span", "escaped-backslash", "mixed", "none"])
def test_note_calls_are_the_calls_pandoc_reads(text: str, calls: list[str | None]) -> None:
    assert note_calls(text) == calls


def test_the_note_calls_of_several_texts_are_read_in_one_pandoc_call(
        monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    parse = pandoc.parse_markdown

    def counted(text: str, source: str = "<input>") -> tuple[blocks.Document, list]:
        read.append(text)
        return parse(text, source)

    monkeypatch.setattr(pandoc, "parse_markdown", counted)
    texts = ["A `^[x]`.[^a]", "Plain.", "B.^[b] C.[^a]", "<div>\nRaw.^[c]"]
    assert note_calls_of(texts) == [["a"], [], [None, "a"], [None]]
    assert len(read) == 1
    assert note_calls_of(["Nothing here."]) == [[]] and len(read) == 1


def test_a_labelled_call_after_a_code_span_with_a_caret_stays_labelled(tmp_path: Path) -> None:
    """The reviewer's case: ``^[`` in a code span is no inline note, so the labelled note
    stays labelled and the inline one inline, its text kept."""
    brief = brief_with(tmp_path / "code", "\n# Summary {#summary}\n\nCounts, matched by "
                       "`grep ^[0-9]` on the logs,[^code] tell it plainly.^[Logs of the "
                       "route administrations.]\n\n[^code]: The code.\n")
    w = writer(brief)
    edited = para("Counts, matched by", [blocks.Code((blocks.attr(), "grep ^[0-9]"))],
                  "on the logs,", note("The code."), "tell it clearly.",
                  note("Logs of the route administrations."))
    assert write_one(w, context(brief, 0), edited) == (
        "Counts, matched by `grep ^[0-9]` on the logs,[^code] tell it clearly.^[Logs of the "
        "route administrations.]")
    assert w.definitions.notes == {} and w.definitions.new_notes == {}


def test_note_bodies_of_several_paragraphs_are_indented_as_definitions(mini: Brief) -> None:
    """The blank line between two paragraphs of a note stays empty (it was four spaces)."""
    body = [blocks.Para(words("First.")), blocks.Para(words("Second."))]
    assert writer(mini).write_notes([body]) == ["First.\n\n    Second."]


# -- words -----------------------------------------------------------------------------------


def test_dashes_are_written_as_the_source_spells_them(tmp_path: Path) -> None:
    literal = brief_with(tmp_path / "literal", "\n# Summary {#summary}\n\nA—b, c–d.\n")
    ascii_ = brief_with(tmp_path / "ascii", "\n# Summary {#summary}\n\nA---b, c--d.\n")
    edited = para("One—two, 3–4.")
    assert writer(literal).write([Piece([edited])]) == ["One—two, 3–4."]
    assert writer(ascii_).write([Piece([edited])]) == ["One---two, 3--4."]


def test_dashes_follow_the_paragraph_they_replace_before_the_brief(tmp_path: Path) -> None:
    """A brief of literal dashes whose paragraph spells them `--` (a paragraph pasted from
    elsewhere): its edit keeps `--`; a paragraph without dashes follows the brief."""
    mixed = brief_with(tmp_path / "mixed", "\n# Summary {#summary}\n\nA—b—c—d, e–f.\n\n"
                                            "In 2019--2024 -- so.\n")
    edited = para("In 2019–2024 – so far.")
    assert writer(mixed).write([Piece([edited], context="In 2019--2024 -- so.")]) == [
        "In 2019--2024 -- so far."]
    assert writer(mixed).write([Piece([edited], context="In those years.")]) == [
        "In 2019–2024 – so far."]


def test_a_paragraph_of_both_spellings_keeps_each_untouched_dash_as_it_was(
        tmp_path: Path) -> None:
    """A paragraph that spells two dashes `--` and one `–`: an edit elsewhere in it leaves
    each as it was (the majority's spelling goes only to a dash in the edited text)."""
    source = "Search and rescue -- planned jointly -- matters, in 2019–2023 --- often."
    mixed = brief_with(tmp_path / "mixed", f"\n# Summary {{#summary}}\n\n{source}\n")
    edited = para("Search and rescue – planned jointly – really matters, in 2019–2023 — "
                  "often, 2024–2025.")
    assert writer(mixed).write([Piece([edited], context=source)]) == [
        "Search and rescue -- planned jointly -- really matters, in 2019–2023 --- often, "
        "2024--2025."]

def test_a_no_break_space_after_an_abbreviation_is_a_plain_space(mini: Brief) -> None:
    edited = blocks.Para([blocks.Str("Dr.\u00a0Smith"), blocks.Space(), blocks.Str("said,"),
                          blocks.Space(), blocks.Str("e.g.\u00a0here,"), blocks.Space(),
                          blocks.Str("10\u00a0km.")])
    assert writer(mini).write([Piece([edited])]) == ["Dr. Smith said, e.g. here, 10\u00a0km."]


def test_an_inline_piece_writes_only_the_words_of_its_first_paragraph(mini: Brief) -> None:
    header = blocks.Header((2, blocks.attr("x"), [blocks.Emph(words("New")), blocks.Space(),
                                                   blocks.Str("title")]))
    assert writer(mini).write([Piece([blocks.Div((blocks.attr(), [header]))],
                                     inline=True)]) == ["*New* title"]


def test_a_cross_reference_is_written_as_its_key(mini: Brief) -> None:
    # as model/xref.py links a reference in every edition
    reference = blocks.Link((blocks.attr(classes=[xref.XREF_CLASS], pairs=[("xref", "fig-chart")]),
                             words("Figure 1"), ("#fig-chart", "")))
    assert writer(mini).write([Piece([para("See", reference)])]) == ["See @fig-chart"]


def test_nothing_to_write_runs_no_pandoc(mini: Brief, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("nothing to write")

    monkeypatch.setattr(pandoc, "convert", refuse)
    assert writer(mini).write([]) == []


# -- images ----------------------------------------------------------------------------------


def image(src: str) -> blocks.Para:
    return blocks.Para([blocks.Image((blocks.attr(), words("A chart."), (src, "")))])


def test_an_image_of_the_source_keeps_its_file_and_attributes(mini: Brief) -> None:
    base = context(mini, 3)
    figure = blocks.Figure((blocks.attr(), (None, [blocks.Plain(words("A new caption."))]),
                            [blocks.Plain([blocks.Image((blocks.attr(), words("A new caption."),
                                                         ("media/rId9.png", "")))])]))
    w = writer(mini)
    assert write_one(w, base, figure) == \
        '![A new caption.](transits.png){#fig-chart width="80%"}'
    assert w.media == {}


def figure(caption: str, alt: str) -> blocks.Figure:
    """A figure as the import reads it from a Word file: the picture's description is its
    image's alt text, the caption paragraph its caption."""
    return blocks.Figure((blocks.attr(), (None, [blocks.Plain(words(caption))]),
                          [blocks.Plain([blocks.Image((blocks.attr(), words(alt),
                                                       ("media/rIdPng1.png", "")))])]))


def test_an_edited_caption_takes_the_alt_text_that_was_the_caption_with_it(
        mini: Brief) -> None:
    """The source's alt text was its caption (``![A chart.](…)``); Word keeps the old words
    as the picture's description when the caption is edited: they follow the caption, not
    stay behind as ``alt="A chart."``."""
    assert write_one(writer(mini), context(mini, 3), figure("A new caption.", "A chart.")) \
        == '![A new caption.](transits.png){#fig-chart width="80%"}'


def test_an_alt_text_the_editor_changed_stays_the_figure_s_own(mini: Brief) -> None:
    assert write_one(writer(mini), context(mini, 3), figure("A new caption.", "Bars.")) \
        == '![A new caption.](transits.png){#fig-chart alt="Bars." width="80%"}'


def test_a_figure_of_no_single_image_and_no_alt_of_the_source_keeps_all_it_holds(
        mini: Brief) -> None:
    """No alt text of the source to follow the caption (a figure the editor added), and
    no single image: the figure's content stays as it is (both pictures), not one picture
    given the caption's words."""
    pictures = [blocks.Image((blocks.attr(), words(alt), (f"https://example.org/{alt}.png",
                                                          ""))) for alt in ("one", "two")]
    added = blocks.Figure((blocks.attr(), (None, [blocks.Plain(words("Both maps."))]),
                           [blocks.Plain([pictures[0], blocks.Space(), pictures[1]])]))
    written = write_one(writer(mini), Piece([]), added)
    assert "one.png" in written and "two.png" in written and "Both maps." in written


def test_an_added_image_gets_a_free_file_name_and_a_web_one_stays(mini: Brief) -> None:
    w = writer(mini)
    w.taken = {"image-1.png"}
    written = w.write([Piece([image("media/rId9.png")]), Piece([image("media/rId9.png")]),
                       Piece([image("media/rId10.JPEG")]),
                       Piece([image("https://example.org/a.png")])])
    assert written == ["![A chart.](image-2.png)", "![A chart.](image-2.png)",
                       "![A chart.](image-2.jpeg)", "![A chart.](https://example.org/a.png)"]
    assert w.media == {"media/rId9.png": "image-2.png", "media/rId10.JPEG": "image-2.jpeg"}


# -- lists, as the source writes them --------------------------------------------------------

LISTS = """
# Summary {#summary}

Numbered:

1. common safety standards;
2. shared search-and-rescue capacity;
3. an insurance regime that prices risk honestly.

Counted the same:

1) alpha item
1) beta item

Loose and nested:

* outer one

  its second paragraph.

* outer two
    + inner alpha
    + inner beta

* outer three
"""


@pytest.fixture(scope="module")
def listed(tmp_path_factory: pytest.TempPathFactory) -> Brief:
    return brief_with(tmp_path_factory.mktemp("listed") / "listed", LISTS)


@pytest.mark.parametrize("number", [1, 3, 5])
def test_a_list_is_written_with_its_sources_markers_spacing_and_indentation(
        listed: Brief, number: int) -> None:
    """``1. item`` (pandoc's writer pads it: ``1.  item``), ``1)`` on every item, ``*`` with
    a ``+`` list four columns in, a loose item's second paragraph: each list, written from
    its blocks, is its source lines."""
    block = listed.section("summary").blocks[number]
    assert isinstance(block, blocks.OrderedList | blocks.BulletList)
    piece = context(listed, number)
    assert write_one(writer(listed), piece, block) == piece.context


def test_a_list_of_its_own_follows_the_briefs_first_list_of_its_kind(listed: Brief) -> None:
    """A list the editor added (no source to follow) is written as the brief's first list
    of its kind: ``1.`` counting up, ``*`` bullets with ``+`` ones inside."""
    numbered = blocks.OrderedList(((1, blocks.Decimal(), blocks.Period()),
                                   [[blocks.Plain(words("first"))],
                                    [blocks.Plain(words("second"))]]))
    inner = blocks.BulletList([[blocks.Plain(words("inner"))]])
    bullets = blocks.BulletList([[blocks.Para(words("one"))],
                                 [blocks.Para(words("two")), inner]])
    w = writer(listed)
    assert write_one(w, Piece([]), numbered) == "1. first\n2. second"
    assert write_one(w, Piece([]), bullets) == "* one\n\n* two\n    + inner"


def test_an_item_left_as_it_was_keeps_its_lines_and_an_edited_one_its_marker(
        listed: Brief) -> None:
    """The items of the source's list an edit left as they read keep their lines (here a
    wrapped one); an edited item keeps its marker (``1)``) and its spacing."""
    items = [blocks.Plain(words(text)) for text in ("kept", "edited words", "added")]
    numbered = blocks.OrderedList(((1, blocks.Decimal(), blocks.OneParen()),
                                   [[item] for item in items]))
    source = "1)  kept, as wrapped\n    over two lines\n1)  beta item"
    written = list_items(source)
    assert written is not None
    piece = Piece([], context=source, items=written.items, kept=[0, None, None])
    assert write_one(writer(listed), piece, numbered) == (
        "1)  kept, as wrapped\n    over two lines\n1)  edited words\n1)  added")
    same = blocks.OrderedList(((1, blocks.Decimal(), blocks.OneParen()),
                               [[item] for item in items[:2]]))
    piece = Piece([], context=source, items=written.items, kept=[0, None])
    assert write_one(writer(listed), piece, same) == (
        "1)  kept, as wrapped\n    over two lines\n1)  edited words")


def test_a_capital_letter_marker_keeps_the_two_spaces_pandoc_needs(listed: Brief) -> None:
    """``B. Russell`` is a paragraph to pandoc: a list numbered ``A.`` gets two spaces after
    its markers though the brief writes one, and reads back as the list it was."""
    numbered = blocks.OrderedList(((1, blocks.UpperAlpha(), blocks.Period()),
                                   [[blocks.Plain(words("one"))], [blocks.Plain(words("two"))]]))
    written = write_one(writer(listed), Piece([]), numbered)
    assert written == "A.  one\nB.  two"
    assert pandoc.parse_markdown(written)[0].blocks == [numbered]


def test_a_counted_item_that_moved_takes_its_new_number_in_its_words_column(
        listed: Brief) -> None:
    """An item taken out of a counted list: the items after it keep their lines, each
    with the number of its new place, its words where they stood (``10.`` to ``9.``)."""
    source = "9.  nine\n10. ten, wrapped\n    over two lines\n11. eleven"
    written = list_items(source)
    assert written is not None
    items = [[blocks.Plain(words("nine"))], [blocks.Plain(words("eleven"))]]
    numbered = blocks.OrderedList(((9, blocks.Decimal(), blocks.Period()), items))
    piece = Piece([], context=source, items=written.items, kept=[0, 2])
    assert write_one(writer(listed), piece, numbered) == "9.  nine\n10. eleven"
    # the first item taken out: the wrapped one keeps both lines, its words' column too
    items = [[blocks.Plain(words("ten, wrapped over two lines"))], items[1]]
    numbered = blocks.OrderedList(((9, blocks.Decimal(), blocks.Period()), items))
    piece = Piece([], context=source, items=written.items, kept=[1, 2])
    assert write_one(writer(listed), piece, numbered) == \
        "9.  ten, wrapped\n    over two lines\n10. eleven"


def test_a_page_like_marker_gets_the_two_spaces_pandoc_needs(listed: Brief) -> None:
    """``p. 5`` is a page to pandoc, no item: a list numbered ``a.`` whose sixteenth item
    opens with a digit gets two spaces after its ``p.`` (the map's own reading of items,
    :func:`.sourcemap.opens_item`), and reads back as the list it was."""
    numbered = blocks.OrderedList(((16, blocks.LowerAlpha(), blocks.Period()),
                                   [[blocks.Plain(words("5 apples"))],
                                    [blocks.Plain(words("6 pears"))]]))
    written = write_one(writer(listed), Piece([]), numbered)
    assert written == "p.  5 apples\nq. 6 pears"
    assert pandoc.parse_markdown(written)[0].blocks == [numbered]


def test_a_code_block_keeps_its_own_fence_when_one_before_it_was_deleted(
        tmp_path: Path) -> None:
    """An item holding two fenced blocks, the first deleted in Word: the second keeps its
    own fence (``python``), not the deleted block's (``sh``), which it took by order."""
    brief = brief_with(tmp_path / "code", "\n# Summary {#summary}\n\n- Run:\n\n  ```sh\n"
                       "  make all\n  ```\n\n  ```python\n  x = 1\n  ```\n- Done.\n")
    item = [blocks.Para(words("Run:")), blocks.CodeBlock((blocks.attr(), "x = 1"))]
    written = write_one(writer(brief), context(brief, 0),
                        blocks.BulletList([item, [blocks.Plain(words("Done."))]]))
    assert written == "- Run:\n\n  ```python\n  x = 1\n  ```\n\n- Done."


def _headerless(cells: list[list[blocks.Inline]]) -> blocks.Table:
    """A table of one row, no header row, its columns' widths given (as Word's are)."""
    row = (blocks.attr(), [(blocks.attr(), blocks.AlignDefault(), 1, 1, [blocks.Plain(c)])
                           for c in cells])
    return blocks.Table((blocks.attr(), (None, []),
                         [(blocks.AlignDefault(), blocks.ColWidth(1 / len(cells)))] * len(cells),
                         (blocks.attr(), []), [(blocks.attr(), 0, [], [row])],
                         (blocks.attr(), [])))


def test_a_table_without_a_header_row_is_a_grid_table_for_a_word_file() -> None:
    """With ``grid_headerless`` (a Word file's new brief), a table without a header row is
    a grid table, which reads back as it (a pipe table needs a header: pandoc writes a row
    of blank cells); its link inline, as a reference's label would shift the columns. With
    a note, and in a brief's own import, it stays a pipe table."""
    link = blocks.Link((blocks.attr(), blocks.plain_inlines("the office"),
                        ("https://nsr.example.org/", "")))
    table = _headerless([blocks.plain_inlines("Ask"), [link]])
    writer = MarkdownWriter(SourceMap([]), "\u2014", [1, 23, 1, 1], grid_headerless=True)
    written = writer.write([Piece([table])])[0]
    assert written == (
        "+-----------------------------------+-----------------------------------+\n"
        "| Ask                               | [the                              |\n"
        "|                                   | office](https://nsr.example.org/) |\n"
        "+-----------------------------------+-----------------------------------+")
    # the same table, widths and all; the words pandoc wrapped in a column are apart by a
    # line break, which every edition sets as the space it was
    read = pandoc.parse_markdown(written)[0].blocks
    assert blocks.rewrite(read, lambda node: blocks.Space()
                          if isinstance(node, blocks.SoftBreak) else None) == [table]
    noted = _headerless([blocks.plain_inlines("Ask"), [blocks.Note([blocks.Para(
        blocks.plain_inlines("A note."))])]])
    assert writer.write([Piece([noted])])[0].startswith("|     |     |\n|-----|-----|\n")
    own = MarkdownWriter(SourceMap([]), "\u2014", [1, 23, 1, 1])
    assert own.write([Piece([table])])[0].split("\n") == [
        "|     |" + " " * 33 + "|", "|-----|" + "-" * 33 + "|",
        "| Ask | [the office][the-office] |"]


def test_the_source_s_lines_are_kept_only_where_they_read_as_pandoc_wrote() -> None:
    """A table's row or a figure's attributes as the source wrote them stand in for
    pandoc's only if pandoc reads them alike (a pipe table's widths apart)."""
    assert reads_alike([
        ("| a | b |\n|---|---|\n| 1 |   2 |", "| a | b |\n|--|--|\n| 1 | 2 |"),
        ('![x](f.png){#fig-f width="80%"}', "![x](f.png){#fig-f width=80%}"),
        ("| a |\n|---|\n| 1 |", "| a |\n|---|\n| 2 |"),
        ('![x](f.png){#fig-f width="80%"}', "![x](f.png){#fig-f width=70%}")]) == [
        True, True, False, False]


# -- an edited table's rows, laid out as the source lays out its own ------------------------


def _edited_table(folder: Path, source_md: str, edit: Callable[[blocks.Table], blocks.Table]
                  ) -> tuple[str, blocks.Table]:
    """The pipe table ``source_md`` (a brief's summary) edited by ``edit``, written as the
    import writes it: pandoc's Markdown, else the first of :func:`as_source`'s ways that
    pandoc reads alike; with the edited table."""
    brief = brief_with(folder, f"\n# Summary {{#summary}}\n\n{source_md}\n")
    smap = source_map(brief)
    source = brief.section("summary").blocks[0]
    assert isinstance(source, blocks.Table)
    edited = edit(source)
    text = smap.text(smap.blocks["block:summary:0"])
    piece = Piece([edited], context=text, base_tables=[source.attr])
    writer(brief).write_pieces([piece])
    ways = as_source(piece.markdown, text, edited, source, piece.cells)
    alike = reads_alike([(piece.markdown, way) for way in ways])
    return next((way for way, ok in zip(ways, alike, strict=True) if ok), piece.markdown), \
        edited


def _retyped(old: str, new: str) -> Callable[[blocks.Table], blocks.Table]:
    """A table with the cell that reads ``old`` retyped as ``new`` (as Word gives it)."""
    return lambda table: blocks.rewrite(table, lambda node: blocks.Plain(words(new))
                                        if isinstance(node, blocks.Plain) and
                                        blocks.stringify(node) == old else None)


def _rows_changed(table: blocks.Table, rows: Callable[[list[blocks.Row]], list[blocks.Row]]
                  ) -> blocks.Table:
    """``table`` with its one body's rows as ``rows`` makes them."""
    body = table.c[4][0]
    return blocks.Table((*table.c[:4], [(body[0], body[1], body[2], rows(list(body[3])))],
                         table.c[5]))


UNPADDED = "| Cause | Closures | Days lost |\n|:------|---------:|----------:|\n" \
    "| Surge | 14 | 41 |\n| Silt | 9 | 30 |\n| Power | 6 | 8 |"
PADDED = "| Cause | Closures | Days lost |\n|:------|---------:|----------:|\n" \
    "| Surge |       14 |        41 |\n| Silt  |        9 |        30 |"


@pytest.mark.parametrize(("source_md", "edit", "expected"), [
    # rows unpadded: the edited row too, a space each side of each cell
    (UNPADDED, _retyped("41", "44"), UNPADDED.replace("| 14 | 41 |", "| 14 | 44 |")),
    # no space between the pipes and the words: none in the edited row; a pipe in the
    # words is escaped as pandoc escapes it
    ("|Cause|Closures|\n|---|---|\n|Surge|14|\n|Silt|9|", _retyped("14", "a|b"),
     "|Cause|Closures|\n|---|---|\n|Surge|a\\|b|\n|Silt|9|"),
    # padded: the edited row padded to the source's columns, a right-aligned column's
    # words at its right
    (PADDED, _retyped("9", "11"), PADDED.replace("|        9 |", "|       11 |")),
    (PADDED, _retyped("Silt", "Ice"), PADDED.replace("| Silt  |", "| Ice   |")),
    # rows padded under short dashes: to the columns the header row's pipes give
    ("| Cause | Closures |\n|---|---|\n| Surge | 14       |\n| Silt  | 9        |",
     _retyped("Silt", "Ice"),
     "| Cause | Closures |\n|---|---|\n| Surge | 14       |\n| Ice   | 9        |"),
    # words wider than their column: the row is left wider than the others (one line
    # changes; re-padding the table would change them all), its other cells padded to
    # their columns
    (PADDED, _retyped("Surge", "Storm surge"),
     PADDED.replace("| Surge |", "| Storm surge |")),
    # a row added and a row deleted: the new row as the source writes rows, the others
    # as they were
    (UNPADDED, lambda table: _rows_changed(table, lambda rows: [
        rows[0], rows[2], _retyped("Power", "Ice")(rows[2])]),
     UNPADDED.replace("| Silt | 9 | 30 |\n", "").replace("| Power | 6 | 8 |",
                                                           "| Power | 6 | 8 |\n| Ice | 6 | 8 |")),
    (PADDED, lambda table: _rows_changed(table, lambda rows: [*rows, _retyped(
        "Silt", "Fog")(rows[1])]),
     PADDED + "\n| Fog   |        9 |        30 |"),
    # a column's alignment changed in Word: its dashes' colons follow, as long as they were
    (UNPADDED, lambda table: blocks.Table((table.c[0], table.c[1], [
        (blocks.AlignCenter(), width) if index == 1 else (align, width)
        for index, (align, width) in enumerate(table.colspecs)], *table.c[3:])),
     UNPADDED.replace("|---------:|", "|:--------:|")),
    # a column taken away in an unpadded table: every row unpadded again
    (UNPADDED, lambda table: blocks.Table((table.c[0], table.c[1], table.colspecs[:2], (
        table.c[3][0], [(row[0], row[1][:2]) for row in table.c[3][1]]), [(
            body[0], body[1], body[2], [(row[0], row[1][:2]) for row in body[3]])
            for body in table.c[4]], table.c[5])),
     "| Cause | Closures |\n|:------|---------:|\n| Surge | 14 |\n| Silt | 9 |\n| Power | 6 |"),
], ids=["unpadded", "no-spaces", "padded", "padded-left", "short-dashes", "padded-too-wide",
        "row-added-deleted", "padded-row-added", "alignment", "column-deleted"])
def test_an_edited_table_s_rows_are_laid_out_as_the_source_lays_out_its_rows(
        source_md: str, edit: Callable[[blocks.Table], blocks.Table], expected: str,
        tmp_path: Path) -> None:
    """An edited row (or one new in Word) was padded to pandoc's columns in a table whose
    rows are not padded, which mixed two styles in one table: it is written as the source
    writes its rows. pandoc reads what is written as the edited table."""
    written, edited = _edited_table(tmp_path / "b", source_md, edit)
    assert written == expected
    assert pandoc.parse_markdown(written)[0].blocks == [edited]


def test_an_edited_row_s_links_and_notes_are_written_as_the_piece_writes_them(
        tmp_path: Path) -> None:
    """A row's cells are read from a second, marked copy of the table in the same pandoc
    call, which the piece's links and notes are written into as into the table: the
    source's note label, its reference link's label though Word gave the link a new
    address (the definition takes it; the copy's link asked again for a label got a new
    one), and a link new in Word."""
    definitions = "\n\n[^n]: A note.\n\n[nsr]: https://nsr.example.org/"
    source_md = "| What | Where |\n|---|---|\n| Rules | [the rules][nsr] |\n" \
        f"| Fees | paid[^n] |{definitions}"
    new = blocks.Link((blocks.attr(), words("the office"), ("https://office.example.org/", "")))

    def edit(table: blocks.Table) -> blocks.Table:
        table = _retyped("Rules", "Codes")(table)
        return blocks.rewrite(table, lambda node: blocks.Plain([*node.content, blocks.Space(),
                                                                new])
                              if isinstance(node, blocks.Plain) and
                              blocks.stringify(node).startswith("paid") else
                              blocks.Link((node.attr, node.content, (
                                  "https://rules.example.org/", "")))
                              if isinstance(node, blocks.Link) else None)

    brief = brief_with(tmp_path / "b", f"\n# Summary {{#summary}}\n\n{source_md}\n")
    source = brief.section("summary").blocks[0]
    assert isinstance(source, blocks.Table)
    smap = source_map(brief)
    text = smap.text(smap.blocks["block:summary:0"])
    piece = Piece([edit(source)], context=text, base_tables=[source.attr],
                  base_notes=_notes([source]), base_links=links_of([source]))
    w = writer(brief)
    w.write_pieces([piece])
    ways = as_source(piece.markdown, text, piece.blocks[0], source, piece.cells)
    assert ways[0] == "| What | Where |\n|---|---|\n| Codes | [the rules][nsr] |\n" \
        "| Fees | paid[^n] [the office][the-office] |"
    assert w.definitions.new_links == {"the-office": "https://office.example.org/"}
    assert w.definitions.retarget == {"nsr": "https://rules.example.org/"}
    assert reads_alike([(piece.markdown, ways[0])]) == [True]
    assert pandoc.parse_markdown(ways[0] + definitions.replace("nsr.", "rules.") +
                                 "\n[the-office]: https://office.example.org/"
                                 )[0].blocks[0] == piece.blocks[0]
