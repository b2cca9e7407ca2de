"""The importer's splice on small typed edits: each change lands where its source stands.

The base is the fixture brief as the reader makes it; the edited blocks are typed
blocks made here (as docxread gives them), so no Word file is read. pandoc runs only
to write the Markdown of what changed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from briefpress import pandoc
from briefpress.importer.align import Item, Step, align, base_items
from briefpress.importer.docxread import EditedBlock
from briefpress.importer.splice import Outcome, splice
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.read.brief import read_brief
from briefpress.render.docx_ast import brief_units
from conftest import ARCTIC, WATER


def para(text: str) -> blocks.Para:
    return blocks.Para(blocks.plain_inlines(text))


def unedited(brief: Brief) -> list[Step]:
    """The steps of a file read back as it was built: every block the same."""
    return [Step("same", item, EditedBlock(item.block, [], item.cls,
                                           [item.unit.ident] if item.unit.ident else []))
            for item in base_items(brief_units(brief))]


def find(steps: list[Step], text: str) -> int:
    """The index of the step whose base block reads ``text``."""
    return next(i for i, s in enumerate(steps)
                if s.item and " ".join(blocks.stringify(s.item.block).split()) == text)


def edit(brief: Brief, change: Callable[[list[Step]], None]) -> Outcome:
    steps = unedited(brief)
    change(steps)
    return splice(brief, steps, brief.api_version, "edited.docx")


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    old, new = before.split("\n"), after.split("\n")
    return [line for line in old if line not in new], [line for line in new if line not in old]


def test_nothing_changed_gives_the_source_back_without_pandoc(
        arctic_brief: Brief, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("nothing to write")

    monkeypatch.setattr(pandoc, "convert", refuse)
    outcome = edit(arctic_brief, lambda steps: None)
    assert outcome.markdown == arctic_brief.markdown
    assert outcome.recommendations == arctic_brief.recommendations_text
    assert outcome.changes == [] and outcome.problems == []


def test_a_changed_paragraph_replaces_its_lines_only(arctic_brief: Brief) -> None:
    def change(steps: list[Step]) -> None:
        at = find(steps, "Vessel counts tell the story plainly.")
        steps[at] = Step("changed", steps[at].item,
                         EditedBlock(para("Vessel counts tell the story clearly."), []))

    outcome = edit(arctic_brief, change)
    assert changed_lines(arctic_brief.markdown, outcome.markdown) == (
        ["Vessel counts tell the story plainly."], ["Vessel counts tell the story clearly."])
    assert [(c.section, c.what) for c in outcome.changes] == [("traffic",
                                                               "paragraph changed")]
    assert outcome.recommendations == arctic_brief.recommendations_text


def test_an_inserted_paragraph_follows_the_block_before_it(arctic_brief: Brief) -> None:
    def change(steps: list[Step]) -> None:
        at = find(steps, "Vessel counts tell the story plainly.")
        steps.insert(at + 1, Step("inserted", None,
                                  EditedBlock(para("A sentence the editor added."), [])))

    outcome = edit(arctic_brief, change)
    lines = outcome.markdown.split("\n")
    at = lines.index("A sentence the editor added.")
    assert lines[at - 2:at] == ["Vessel counts tell the story plainly.", ""]
    assert changed_lines(arctic_brief.markdown, outcome.markdown) == (
        [], ["A sentence the editor added."])


def test_a_deleted_paragraph_takes_its_blank_line_with_it(arctic_brief: Brief) -> None:
    text = "Search and rescue must be planned jointly, because no single state can cover " \
        "the distances involved."

    def change(steps: list[Step]) -> None:
        at = find(steps, text)
        steps[at] = Step("deleted", steps[at].item)

    outcome = edit(arctic_brief, change)
    assert outcome.markdown == arctic_brief.markdown.replace(f"\n\n{text}", "")
    assert [c.what for c in outcome.changes] == ["paragraph deleted"]


def test_a_retitled_heading_keeps_its_id(arctic_brief: Brief) -> None:
    def change(steps: list[Step]) -> None:
        at = find(steps, "Introduction")
        retitled = blocks.Header((1, blocks.attr(), blocks.plain_inlines("Where Things Stand")))
        steps[at] = Step("changed", steps[at].item,
                         EditedBlock(retitled, [], "heading", ["introduction"]))

    outcome = edit(arctic_brief, change)
    assert changed_lines(arctic_brief.markdown, outcome.markdown) == (
        ["# Introduction {#introduction}"], ["# Where Things Stand {#introduction}"])


def test_a_retitled_heading_that_loses_an_id_inside_it_is_a_problem(tmp_path: Path) -> None:
    """Word keeps no id inside a heading's words (pandoc drops the span): a retitled heading
    whose source wrote one (``[Traffic]{#traffic-word}``) would lose it, and the import
    says so, naming the id (a link to it then pointed nowhere, refused without a reason)."""
    folder = tmp_path / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    brief_md = folder / "brief.md"
    brief_md.write_text(brief_md.read_text(encoding="utf-8").replace(
        "# The Traffic Is Already Here {#traffic}",
        "# The [Traffic]{#traffic-word} Is Already Here {#traffic}"), encoding="utf-8")
    brief = read_brief(folder)

    def change(steps: list[Step]) -> None:
        at = find(steps, "The Traffic Is Already Here")
        retitled = blocks.Header((1, blocks.attr(),
                                  blocks.plain_inlines("The Traffic Is Here Already")))
        steps[at] = Step("changed", steps[at].item,
                         EditedBlock(retitled, [], "heading", ["traffic"]))

    outcome = edit(brief, change)
    assert [(p.file, p.message) for p in outcome.problems] == [(
        "edited.docx", "the heading 'The Traffic Is Here Already' (section 'traffic') "
        "loses the id #traffic-word written inside its words in brief.md: Word keeps no id "
        "inside a heading")]
    assert "#traffic-word" in outcome.problems[0].fix


def test_a_changed_recommendation_is_its_yaml_value(arctic_brief: Brief) -> None:
    def change(steps: list[Step]) -> None:
        at = find(steps, "Plan search and rescue jointly across coastal states.")
        emphasised = blocks.Para([*blocks.plain_inlines("Plan search and rescue jointly across"),
                                  blocks.Space(), blocks.Emph([blocks.Str("all")]),
                                  blocks.Space(), *blocks.plain_inlines("coastal states.")])
        steps[at] = Step("changed", steps[at].item,
                         EditedBlock(emphasised, [], "rec", ["joint-sar-planning"]))

    outcome = edit(arctic_brief, change)
    assert outcome.markdown == arctic_brief.markdown
    assert changed_lines(arctic_brief.recommendations_text, outcome.recommendations) == (
        ['        text: "Plan search and rescue jointly across coastal states."'],
        ['        text: "Plan search and rescue jointly across *all* coastal states."'])
    assert [c.what for c in outcome.changes] == ["recommendation 'joint-sar-planning' changed"]


def test_an_area_s_only_recommendation_deleted_takes_the_area_with_it(
        arctic_brief: Brief) -> None:
    """The tester's edit: the only recommendation of "Search and Rescue" deleted in Word, its
    heading kept. The area has nothing left to show and check refuses it empty: it goes,
    and a notice says so (it once left ``recommendations:`` reading as null)."""
    text = arctic_brief.recommendations_text

    def change(steps: list[Step]) -> None:
        at = find(steps, "Plan search and rescue jointly across coastal states.")
        steps[at] = Step("deleted", steps[at].item)

    outcome = edit(arctic_brief, change)
    area = text[text.index("  - id: search-and-rescue"):text.index("  - id: insurance")]
    assert outcome.recommendations == text.replace(area, "")
    assert [c.what for c in outcome.changes] == [
        "recommendation 'joint-sar-planning' deleted",
        "recommendation area 'search-and-rescue' deleted"]
    assert outcome.notices == [
        "recommendation area 'Search and Rescue' (search-and-rescue) is removed with its "
        "last recommendation: an area without recommendations cannot be built; to keep it, "
        "write it back into recommendations.yaml with a recommendation under it"]


def test_an_area_s_only_recommendation_replaced_keeps_the_area(arctic_brief: Brief) -> None:
    def change(steps: list[Step]) -> None:
        at = find(steps, "Plan search and rescue jointly across coastal states.")
        steps[at] = Step("deleted", steps[at].item)
        steps.insert(at + 1, Step("inserted", None, EditedBlock(
            para("Share rescue aircraft across borders."), [], "rec")))

    outcome = edit(arctic_brief, change)
    area = next(a for a in read_recs(outcome) if a["id"] == "search-and-rescue")
    assert [r["text"] for r in area["recommendations"]] == [
        "Share rescue aircraft across borders."]
    assert [c.what for c in outcome.changes if "area" in c.what] == []


def test_every_area_deleted_leaves_an_empty_list(arctic_brief: Brief) -> None:
    """Every area's heading and recommendations deleted (a brief of one area, as `new`
    writes it, loses its only one): ``areas: []``, which reads; check then says the
    section is empty."""
    def change(steps: list[Step]) -> None:
        for at, step in enumerate(steps):
            if step.item is not None and step.item.cls in ("area", "rec"):
                steps[at] = Step("deleted", step.item)

    outcome = edit(arctic_brief, change)
    text = arctic_brief.recommendations_text
    assert outcome.recommendations == text[:text.index("areas:")] + "areas: []\n"
    assert yaml.safe_load(outcome.recommendations)["areas"] == []


def read_recs(outcome: Outcome) -> list[dict]:
    return yaml.safe_load(outcome.recommendations)["areas"]


def test_a_recommendation_split_in_two_names_the_new_one_from_whole_words(
        arctic_brief: Brief) -> None:
    """The tester's split gave ``key-consideration-s-participation`` ("the ROK's"): the
    apostrophe made a word ``s``. The new id spells "Code's" as one word, as pandoc does."""
    def change(steps: list[Step]) -> None:
        at = find(steps, "Make position reporting mandatory beyond the Polar Code’s minimum.")
        steps[at] = Step("changed", steps[at].item,
                         EditedBlock(para("Make position reporting mandatory."), [], "rec",
                                     ["mandatory-reporting"]))
        steps.insert(at + 1, Step("inserted", None, EditedBlock(
            para("The Polar Code’s rules should bind every flag."), [], "rec")))

    outcome = edit(arctic_brief, change)
    assert changed_lines(arctic_brief.recommendations_text, outcome.recommendations)[1] == [
        '        text: "Make position reporting mandatory."',
        "      - id: polar-codes-rules-bind",
        '        text: "The Polar Code\'s rules should bind every flag."']
    assert [c.what for c in outcome.changes] == [
        "recommendation 'mandatory-reporting' changed",
        "recommendation 'polar-codes-rules-bind' added"]


def test_text_typed_into_generated_parts_is_a_problem(arctic_brief: Brief) -> None:
    def change(steps: list[Step]) -> None:
        at = find(steps, "One Woodrow Wilson Plaza")
        item: Item = steps[at].item  # type: ignore[assignment]
        steps[at] = Step("changed", item, EditedBlock(para("Two Woodrow Wilson Plaza"), [],
                                                      "generated"))

    outcome = edit(arctic_brief, change)
    assert outcome.markdown == arctic_brief.markdown
    [problem] = outcome.problems
    assert "'Two Woodrow Wilson Plaza'" in problem.message
    assert "changes text generated from the publisher in the front matter" in problem.message


LISTED = """Three lines of action follow:

1. common safety standards;
2. shared search-and-rescue capacity, wrapped
   over two lines;
3. an insurance regime that prices risk honestly.
"""


def test_an_edited_list_item_changes_its_own_line_only(tmp_path: Path) -> None:
    """One word of one item retyped: that item's line changes, in the source's style
    (``3. item``, not pandoc's ``3.  item``); the other items keep their lines, the wrapped
    one too."""
    folder = tmp_path / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    brief_md = folder / "brief.md"
    brief_md.write_text(brief_md.read_text(encoding="utf-8").replace(
        "Vessel counts tell the story plainly.\n",
        f"Vessel counts tell the story plainly.\n\n{LISTED}", 1), encoding="utf-8")
    brief = read_brief(folder)

    def change(steps: list[Step]) -> None:
        at = next(i for i, s in enumerate(steps)
                  if s.item and isinstance(s.item.block, blocks.OrderedList))
        source = steps[at].item.block
        assert isinstance(source, blocks.OrderedList)
        items = [*source.items[:2], [blocks.Plain(blocks.plain_inlines(
            "an insurance regime that prices risk fairly."))]]
        steps[at] = Step("changed", steps[at].item,
                         EditedBlock(blocks.OrderedList((source.c[0], items)), []))

    outcome = edit(brief, change)
    assert changed_lines(brief.markdown, outcome.markdown) == (
        ["3. an insurance regime that prices risk honestly."],
        ["3. an insurance regime that prices risk fairly."])
    assert [c.what for c in outcome.changes] == ["list changed"]


def test_a_new_link_definition_ends_the_file_with_no_blank_line_after_it(
        tmp_path: Path) -> None:
    """A brief ending in a blank line, an edited paragraph given a link (a brief of
    reference links, or none, gets a reference): the definition goes at the end, the file
    ends with its newline (the blank line came back after the definition, a stray line)."""
    folder = tmp_path / "arctic"
    shutil.copytree(ARCTIC, folder)
    source = folder / "brief.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    brief = read_brief(folder)

    def change(steps: list[Step]) -> None:
        at = find(steps, "Insurers should share loss data so that premiums follow risk.")
        steps[at] = Step("changed", steps[at].item, EditedBlock(blocks.Para([
            *blocks.plain_inlines("Insurers should share"), blocks.Space(), blocks.Link((
                blocks.attr(), blocks.plain_inlines("loss data"),
                ("https://example.org/data", ""))), blocks.Space(),
            *blocks.plain_inlines("so that premiums follow risk.")]), []))

    outcome = edit(brief, change)
    assert "Insurers should share [loss data][loss-data] so that" in outcome.markdown
    assert outcome.markdown.endswith(
        "in force since 2017.\n\n[loss-data]: https://example.org/data\n")


def test_an_edit_in_a_section_whose_blocks_cannot_be_told_apart_names_the_block(
        tmp_path: Path) -> None:
    """An HTML div written over blank lines (one block to pandoc, which brief.md's line map
    cannot follow): an edit of another paragraph of its section is refused with the block,
    its line and a fix, and nothing said to have been imported."""
    folder = tmp_path / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    source = folder / "brief.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Vessel counts tell the story plainly.\n",
                                   "Vessel counts tell the story plainly.\n\n<div>\n\nInside."
                                   "\n\n</div>\n", 1), encoding="utf-8")
    brief = read_brief(folder)

    def change(steps: list[Step]) -> None:
        at = find(steps, "Vessel counts tell the story plainly.")
        steps[at] = Step("changed", steps[at].item,
                         EditedBlock(para("Vessel counts tell the story."), [], "body"))

    outcome = edit(brief, change)
    line = brief.markdown.split("\n").index("<div>") + 1
    assert [(p.line, p.message, p.fix) for p in outcome.problems] == [(
        line, "section 'traffic' has an edit, but briefpress cannot tell where the div here "
        "ends in brief.md, so it cannot place the section's edits",
        "put a blank line before and after the div, or make this section's edits in "
        "brief.md; or import with --force to leave them out")]
    assert outcome.markdown == brief.markdown


def test_a_figure_s_alt_text_change_is_said_as_such() -> None:
    """Tester 6's m4: an alt text edited was "paragraph changed", the caption and the alt text
    run together; it is the figure's alt text changed, its two texts compared."""
    water = read_brief(WATER)

    def change(steps: list[Step]) -> None:
        at = next(i for i, s in enumerate(steps)
                  if s.item and isinstance(s.item.block, blocks.Figure))
        figure = blocks.rewrite(steps[at].item.block, lambda node: blocks.Image((
            node.attr, blocks.plain_inlines("Line chart."), node.c[2]))
            if isinstance(node, blocks.Image) else None)
        steps[at] = Step("changed", steps[at].item, EditedBlock(figure, []))

    outcome = edit(water, change)
    assert [(c.what, c.before, c.after) for c in outcome.changes] == [
        ("figure 'fig-withdrawals': alt text changed",
         "Withdrawals from four shared basins, 2005–2020 (illustrative).", "Line chart.")]


def test_a_note_and_a_citation_taken_out_of_a_paragraph_are_changes_of_their_own() -> None:
    """Tester 6's m4: a paragraph's note deleted and its citation removed showed in no line of
    the changes (neither is words of the paragraph)."""
    water = read_brief(WATER)

    def change(steps: list[Step]) -> None:
        at = next(i for i, s in enumerate(steps) if s.item and blocks.stringify(
            s.item.block).startswith("Three features recur"))
        steps[at] = Step("changed", steps[at].item, EditedBlock(para(
            "Three features recur in the agreements of Table 1 that survived a drought: "
            "shared monitoring, allocation in shares rather than volumes, and a standing "
            "commission. Treaties with a drought clause were renegotiated less often."), []))

    outcome = edit(water, change)
    assert [(c.section, c.what, c.before) for c in outcome.changes][1:] == [
        ("agreements", "note [^commissions] deleted",
         "A commission that meets between crises, with its own secretariat."),
        ("agreements", "citation [@mccaffrey2019] removed", "[@mccaffrey2019]")]


HEADERLESS = """\
+-----------------------------------+-----------------------------------+
| Hammerfest                        | No winter tug.                    |
+-----------------------------------+-----------------------------------+
| Kirkenes                          | Ice-class berth only since 2022.  |
+-----------------------------------+-----------------------------------+
"""


def with_cell(table: blocks.Table, old: str, new: str) -> blocks.Table:
    """``table`` with one word of its cells retyped, as docxread gives it back."""
    return blocks.rewrite(table, lambda node: blocks.Str(new)
                          if isinstance(node, blocks.Str) and node.c == old else None)


def test_an_edited_headerless_table_stays_a_grid_table(tmp_path: Path) -> None:
    """Tester 11's 9: a grid table without a header row (as a Word file's import writes
    one), one cell edited in Word, came back as a pipe table under a row of blank cells,
    Word's widths its own. It is written as a grid table again, with the source's widths:
    only the edited row's line changes."""
    folder = tmp_path / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    brief_md = folder / "brief.md"
    text = brief_md.read_text(encoding="utf-8")
    start = text.index("| Year | Transits |")
    end = text.index("(illustrative figures).\n") + len("(illustrative figures).\n")
    brief_md.write_text(text[:start] + HEADERLESS + text[end:], encoding="utf-8")
    brief = read_brief(folder)

    def change(steps: list[Step]) -> None:
        at = next(i for i, s in enumerate(steps)
                  if s.item and isinstance(s.item.block, blocks.Table))
        source = steps[at].item.block
        assert isinstance(source, blocks.Table) and not source.c[3][1]
        table = with_cell(source, "2022.", "2021.")
        # Word gives the columns widths of its own
        widths = [(align, blocks.ColWidth(0.3 + 0.4 * index))
                  for index, (align, _) in enumerate(table.colspecs)]
        steps[at] = Step("changed", steps[at].item, EditedBlock(
            blocks.Table((table.c[0], table.c[1], widths, *table.c[3:])), []))

    outcome = edit(brief, change)
    assert changed_lines(brief.markdown, outcome.markdown) == (
        ["| Kirkenes                          | Ice-class berth only since 2022.  |"],
        ["| Kirkenes                          | Ice-class berth only since 2021.  |"])
    assert [c.what for c in outcome.changes] == ["table changed"]


def edit_first(brief: Brief, kind: type[blocks.Block],
               retype: Callable[[blocks.Block], blocks.Block]) -> Outcome:
    """The brief with its first block of ``kind`` changed by ``retype``."""
    def change(steps: list[Step]) -> None:
        at = next(i for i, s in enumerate(steps) if s.item and isinstance(s.item.block, kind))
        steps[at] = Step("changed", steps[at].item, EditedBlock(retype(steps[at].item.block),
                                                                []))

    return edit(brief, change)


def test_one_cell_edited_changes_its_row_s_line_only(arctic_brief: Brief) -> None:
    """Tester 11's 10 b: one cell edited in Word re-padded every row of the pipe table
    (pandoc pads each to its columns); the rows the edit left as they were keep their
    lines, with the header and the dashes, and the edited row is unpadded as they are
    (pandoc padded it to its own columns)."""
    def retype(block: blocks.Block) -> blocks.Block:
        assert isinstance(block, blocks.Table)
        return with_cell(block, "27", "28")

    outcome = edit_first(arctic_brief, blocks.Table, retype)
    assert changed_lines(arctic_brief.markdown, outcome.markdown) == (
        ["| 2021 | 27 | 9 |"], ["| 2021 | 28 | 9 |"])
    assert [c.what for c in outcome.changes] == ["table changed"]


def test_a_table_s_caption_edited_alone_changes_the_caption_only(arctic_brief: Brief) -> None:
    """Tester 11's 10 c: the caption edited alone re-padded the table's rows too."""
    def retype(block: blocks.Block) -> blocks.Block:
        assert isinstance(block, blocks.Table)
        return with_cell(block, "by", "per")

    outcome = edit_first(arctic_brief, blocks.Table, retype)
    assert changed_lines(arctic_brief.markdown, outcome.markdown) == (
        [": Transits by year (illustrative figures)."],
        [": Transits per year (illustrative figures)."])


def test_a_figure_s_caption_edited_keeps_its_attributes_as_written(
        arctic_brief: Brief) -> None:
    """Tester 11's 10 c: a figure's caption edited turned ``width=80%`` into
    ``width="80%"`` (pandoc's writer quotes it): the attributes come back as written."""
    def retype(block: blocks.Block) -> blocks.Block:
        assert isinstance(block, blocks.Figure)
        short, caption = block.c[1]
        retyped = blocks.rewrite(caption, lambda node: blocks.Str("(estimates).")
                                 if isinstance(node, blocks.Str)
                                 and node.c == "(illustrative)." else None)
        return blocks.Figure((block.attr, (short, retyped), block.content))

    outcome = edit_first(arctic_brief, blocks.Figure, retype)
    assert changed_lines(arctic_brief.markdown, outcome.markdown) == (
        ["![Transits through the Northern Sea Route, 2019–2023 (illustrative).](transits.png)"
         "{#fig-transits width=80%}"],
        ["![Transits through the Northern Sea Route, 2019–2023 (estimates).](transits.png)"
         "{#fig-transits width=80%}"])


# -- recommendations of several paragraphs -------------------------------------------------

REPORTING = "Make position reporting mandatory beyond the Polar Code’s minimum."
WEEKLY = "Publish the positions weekly for insurers."
SAR = "Plan search and rescue jointly across coastal states."
POOL = "Pool loss data so that premiums follow risk."


@pytest.fixture
def two_paragraphs(scratch: Callable[..., Path]) -> Brief:
    """The arctic brief whose 'mandatory-reporting' is a recommendation of two paragraphs
    (in Word: a Recommendation paragraph, then a Recommendation Continued one)."""
    folder = scratch()
    path = folder / "recommendations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "        text: \"Make position reporting mandatory beyond the Polar Code's minimum.\"\n",
        "        text: |\n          Make position reporting mandatory beyond the Polar Code's "
        f"minimum.\n\n          {WEEKLY}\n"), encoding="utf-8")
    return read_brief(folder)


def read_as_built(brief: Brief) -> list[EditedBlock]:
    """The blocks of ``brief``'s Word file as docxread reads them, unedited."""
    return [EditedBlock(item.block, [], item.cls, [item.unit.ident] if item.unit.ident
                        and item.position == 0 else [], continues=item.continues)
            for item in base_items(brief_units(brief))]


def aligned(brief: Brief, found: list[EditedBlock]) -> Outcome:
    return splice(brief, align(base_items(brief_units(brief)), found), brief.api_version,
                  "edited.docx")


def at(found: list[EditedBlock], text: str) -> int:
    return next(i for i, b in enumerate(found) if blocks.stringify(b.block) == text)


def area_of(outcome: Outcome, ident: str) -> dict:
    """The area ``ident`` of the recommendations the import wrote, as YAML reads it."""
    return next(a for a in yaml.safe_load(outcome.recommendations)["areas"] if a["id"] == ident)


def rec(text: str, continues: bool = False, ids: list[str] | None = None) -> EditedBlock:
    return EditedBlock(para(text), [], "rec", ids or [], continues=continues)


def test_a_recommendation_of_two_paragraphs_unedited_is_no_change(two_paragraphs: Brief) -> None:
    found = read_as_built(two_paragraphs)
    assert [b.continues for b in found if b.cls == "rec"] == [False, False, True, False, False]
    steps = align(base_items(brief_units(two_paragraphs)), found)
    assert {s.kind for s in steps} == {"same"}
    outcome = aligned(two_paragraphs, found)
    assert outcome.recommendations == two_paragraphs.recommendations_text
    assert outcome.changes == []


def test_a_new_recommendation_of_two_paragraphs_is_one_recommendation(
        arctic_brief: Brief) -> None:
    """Typed after a recommendation: its first paragraph in the Recommendation style (Enter
    gives it), the second in Recommendation Continued: one recommendation, not two."""
    found = read_as_built(arctic_brief)
    place = at(found, SAR) + 1
    found[place:place] = [rec("Fund a shared icebreaker pool."),
                          rec("Open it to every coastal state.", continues=True)]
    outcome = aligned(arctic_brief, found)
    assert changed_lines(arctic_brief.recommendations_text, outcome.recommendations) == ([], [
        "      - id: fund-shared-icebreaker-pool",
        "        text: |",  # (its paragraphs a block, whatever the file's quoting)
        "          Fund a shared icebreaker pool.",
        "          Open it to every coastal state."])
    area = area_of(outcome, "search-and-rescue")
    assert [r["id"] for r in area["recommendations"]] == [
        "joint-sar-planning", "fund-shared-icebreaker-pool"]
    assert area["recommendations"][1]["text"] == (
        "Fund a shared icebreaker pool.\n\nOpen it to every coastal state.\n")
    assert [c.what for c in outcome.changes] == [
        "recommendation 'fund-shared-icebreaker-pool' added"]
    assert outcome.changes[0].after == (
        "Fund a shared icebreaker pool. Open it to every coastal state.")


def test_a_recommendation_of_two_paragraphs_moved_keeps_its_paragraphs_id_and_lines(
        two_paragraphs: Brief) -> None:
    """Cut and pasted into another area in LibreOffice (its copy's bookmark renamed
    ``mandatory-reporting_Copy_1``): its lines move whole; its second paragraph was a
    recommendation of its own."""
    found = read_as_built(two_paragraphs)
    first = at(found, REPORTING)
    moved = found[first:first + 2]
    del found[first:first + 2]
    moved[0].ids = ["mandatory-reporting_Copy_1"]
    place = at(found, POOL) + 1
    found[place:place] = moved
    outcome = aligned(two_paragraphs, found)
    text = two_paragraphs.recommendations_text
    entry = text[text.index("      - id: mandatory-reporting"):text.index(
        "  - id: search-and-rescue")]
    assert entry.count("\n") == 6  # its id, section and the block of two paragraphs
    assert outcome.recommendations == text.replace(entry, "") + entry
    assert [c.what for c in outcome.changes] == [
        "recommendation 'mandatory-reporting' moved to area 'insurance'"]
    assert outcome.problems == []


def test_a_recommendation_of_two_paragraphs_moved_and_edited_takes_its_new_words(
        two_paragraphs: Brief) -> None:
    """Found by its words, its bookmark lost; its second paragraph edited where it went."""
    found = read_as_built(two_paragraphs)
    first = at(found, REPORTING)
    del found[first:first + 2]
    place = at(found, POOL) + 1
    found[place:place] = [rec(REPORTING), rec("Publish them daily.", continues=True)]
    outcome = aligned(two_paragraphs, found)
    area = area_of(outcome, "insurance")
    # in the block scalar the source wrote it in
    assert [(r["id"], r["section"], r["text"]) for r in area["recommendations"]] == [
        ("shared-loss-data", "traffic", POOL),
        ("mandatory-reporting", "what-should-change",
         "Make position reporting mandatory beyond the Polar Code's minimum.\n\n"
         "Publish them daily.\n")]
    [change] = outcome.changes
    assert (change.what, change.before, change.after) == (
        "recommendation 'mandatory-reporting' moved to area 'insurance'",
        f"{REPORTING} {WEEKLY}", f"{REPORTING} Publish them daily.")


def test_a_paragraph_added_in_recommendation_continued_goes_on_with_the_one_before(
        arctic_brief: Brief) -> None:
    found = read_as_built(arctic_brief)
    place = at(found, SAR) + 1
    found[place:place] = [rec("Share the rescue assets too.", continues=True)]
    outcome = aligned(arctic_brief, found)
    area = area_of(outcome, "search-and-rescue")
    assert [(r["id"], r["text"]) for r in area["recommendations"]] == [
        ("joint-sar-planning", f"{SAR}\n\nShare the rescue assets too.\n")]
    assert [c.what for c in outcome.changes] == ["recommendation 'joint-sar-planning' changed"]


ICE = "Agree on *common* ice-class requirements for vessels on both routes."
REPORTING_YAML = "Make position reporting mandatory beyond the Polar Code's minimum."


@pytest.mark.parametrize(("base", "restyled", "continues", "recs", "changes"), [
    # a later paragraph restyled Recommendation: the recommendation ends before it, and it
    # is a new one after it
    ("two_paragraphs", WEEKLY, False,
     [("common-ice-class", ICE), ("mandatory-reporting", REPORTING_YAML),
      ("publish-positions-weekly-insurers", WEEKLY)],
     ["recommendation 'mandatory-reporting' changed",
      "recommendation 'publish-positions-weekly-insurers' added"]),
    # a first paragraph restyled Recommendation Continued joins the one before; the one
    # joined is dropped, as when the break between the two is deleted (the guard then
    # refuses it unless forced)
    ("arctic_brief", REPORTING, True,
     [("common-ice-class", f"{ICE}\n\n{REPORTING_YAML}\n")],
     ["recommendation 'common-ice-class' changed",
      "recommendation 'mandatory-reporting' deleted"]),
])
def test_a_paragraph_restyled_moves_where_its_recommendation_ends(
        request: pytest.FixtureRequest, base: str, restyled: str, continues: bool,
        recs: list[tuple[str, str]], changes: list[str]) -> None:
    brief: Brief = request.getfixturevalue(base)
    found = read_as_built(brief)
    found[at(found, restyled)].continues = continues
    outcome = aligned(brief, found)
    assert [(r["id"], r["text"]) for r in area_of(outcome, "safety-standards")[
        "recommendations"]] == recs
    assert [c.what for c in outcome.changes] == changes
