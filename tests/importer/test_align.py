"""The importer's alignment on small typed models: which base block each edited block is.

No Word file and no pandoc: the base units and the edited blocks are made here from
:mod:`briefpress.model.blocks`, as docx_ast and docxread make them.
"""

from __future__ import annotations

from briefpress.importer.align import Step, align, base_items
from briefpress.importer.docxread import EditedBlock
from briefpress.model import blocks
from briefpress.render.docx_ast import Unit


def para(text: str) -> blocks.Para:
    return blocks.Para(blocks.plain_inlines(text))


def header(ident: str, text: str, level: int = 1) -> blocks.Header:
    return blocks.Header((level, blocks.attr(ident), blocks.plain_inlines(text)))


def styled(style: str, ident: str, content: list[blocks.Block]) -> blocks.Div:
    return blocks.Div((blocks.attr(ident, pairs=[("custom-style", style)]), content))


def base_units() -> list[Unit]:
    """A title, two sections of two paragraphs, and a recommendation."""
    return [
        Unit("meta:title", "meta", "Title", [styled("Title", "", [para("A Title")])], None),
        Unit("heading:one", "heading", "heading", [header("one", "First")], "one", "one", 1),
        Unit("block:one:0", "block", "body", [para("Alpha beta gamma delta.")], "one"),
        Unit("block:one:1", "block", "body", [para("Epsilon zeta eta theta.")], "one"),
        Unit("heading:two", "heading", "heading", [header("two", "Second")], "two", "two", 1),
        Unit("block:two:0", "block", "body", [para("Iota kappa lambda mu.")], "two"),
        Unit("rec:r1", "rec", "Recommendation",
             [styled("Recommendation", "r1", [para("Do the first thing.")])], "two", "r1",
             area="a1"),
    ]


def as_read(units: list[Unit]) -> list[EditedBlock]:
    """The blocks of ``units`` as the importer reads them back from an unedited file."""
    edited = []
    for item in base_items(units):
        ids = [item.unit.ident] if item.unit.ident and item.position == 0 else []
        edited.append(EditedBlock(item.block, [], item.cls, ids))
    return edited


def kinds(steps: list[Step]) -> list[tuple[str, str | None]]:
    return [(s.kind, s.item.unit.key if s.item else None) for s in steps]


def test_base_items_open_the_styled_divs() -> None:
    items = base_items(base_units())
    assert [(i.unit.key, i.cls) for i in items][:2] == [("meta:title", "meta:title"),
                                                        ("heading:one", "heading")]
    assert items[0].block == para("A Title")  # the paragraph, not its Div
    assert items[-1].cls == "rec" and items[-1].block == para("Do the first thing.")


def test_an_unedited_document_is_the_same_throughout() -> None:
    units = base_units()
    steps = align(base_items(units), as_read(units))
    assert {s.kind for s in steps} == {"same"}
    assert len(steps) == len(base_items(units))


def test_what_word_changes_unseen_is_the_same() -> None:
    """Words split into runs, a quotation as curly quotes, a host in capitals: the same."""
    quoted = blocks.Para([blocks.Str("He"), blocks.Space(), blocks.Str("said"), blocks.Space(),
                          blocks.Quoted((blocks.DoubleQuote(), [blocks.Str("no")])),
                          blocks.Space(),
                          blocks.Link((blocks.attr(), [blocks.Str("here")],
                                       ("https://example.org", "")))])
    units = [Unit("block:s:0", "block", "body", [quoted], "s")]
    read = blocks.Para([blocks.Str("He said "), blocks.Str("\u201cno\u201d"), blocks.Space(),
                        blocks.Link((blocks.attr(), [blocks.Str("he"), blocks.Str("re")],
                                     ("HTTPS://EXAMPLE.ORG/", "")))])
    steps = align(base_items(units), [EditedBlock(read, [])])
    assert kinds(steps) == [("same", "block:s:0")]


def test_a_retyped_paragraph_is_changed_in_place() -> None:
    units = base_units()
    edited = as_read(units)
    edited[2] = EditedBlock(para("Alpha beta gamma delta, retyped."), [])
    steps = align(base_items(units), edited)
    assert kinds(steps)[2] == ("changed", "block:one:0")
    assert steps[2].edited is edited[2]
    assert [k for k, _ in kinds(steps)].count("same") == len(steps) - 1


def test_a_new_paragraph_is_inserted_and_a_removed_one_deleted() -> None:
    units = base_units()
    edited = as_read(units)
    new = EditedBlock(para("A paragraph the editor wrote."), [])
    edited.insert(4, new)  # at the end of section one
    del edited[6]  # "Iota…", the paragraph of section two
    steps = align(base_items(units), edited)
    assert ("inserted", None) in kinds(steps)
    assert next(s for s in steps if s.kind == "inserted").edited is new
    assert ("deleted", "block:two:0") in kinds(steps)
    assert [k for k, _ in kinds(steps)].count("same") == len(base_items(units)) - 1


def test_a_retitled_heading_is_paired_by_its_bookmark() -> None:
    """A heading retitled and the paragraph after it rewritten: the heading keeps its id
    through the bookmark Word kept, the paragraph pairs by position."""
    units = base_units()
    edited = as_read(units)
    edited[1] = EditedBlock(header("", "First, retitled"), [], "heading", ["one"])
    edited[2] = EditedBlock(para("Something else entirely, nothing alike."), [])
    steps = align(base_items(units), edited)
    assert kinds(steps)[1:3] == [("changed", "heading:one"), ("changed", "block:one:0")]


def test_a_block_of_another_class_does_not_pair() -> None:
    """Text given the Recommendation style in the body is not the paragraph it replaced."""
    units = base_units()
    edited = as_read(units)
    edited[5] = EditedBlock(para("Iota kappa lambda mu."), [], "rec")
    steps = align(base_items(units), edited)
    assert ("deleted", "block:two:0") in kinds(steps)
    inserted = [s.edited for s in steps if s.kind == "inserted"]
    assert inserted == [edited[5]]


def test_a_moved_section_is_not_paired_twice() -> None:
    """Section two moved before section one: the moved heading is deleted where it was and
    inserted where it is now (the guard then reports the move)."""
    units = base_units()
    edited = as_read(units)
    moved = edited[4:6]
    edited = [edited[0], *moved, *edited[1:4], *edited[6:]]
    steps = align(base_items(units), edited)
    paired = [s.item.unit.key for s in steps if s.kind in ("same", "changed") and s.item]
    assert len(paired) == len(set(paired))
    assert any(s.kind == "inserted" and s.edited is moved[0] for s in steps)
    assert any(s.kind == "deleted" and s.item and s.item.unit.key == "heading:two"
               for s in steps)


def quotes_then_list() -> list[Unit]:
    """A paragraph, two quotations one after the other (Word holds them as one), and two
    bullet lists apart only by an HTML comment (one list in Word)."""
    found = [para("Before them."),
             blocks.BlockQuote([para("First quotation, one."), para("First quotation, two.")]),
             blocks.BlockQuote([para("Second quotation.")]),
             blocks.BulletList([[blocks.Plain(blocks.plain_inlines("Ports first,"))],
                                [blocks.Plain(blocks.plain_inlines("then crews."))]]),
             blocks.RawBlock(("html", "<!-- two lists -->")),
             blocks.BulletList([[blocks.Plain(blocks.plain_inlines("Data last."))]])]
    return [Unit(f"block:s:{n}", "block", "body", [block], "s")
            for n, block in enumerate(found)]


def as_in_word(units: list[Unit], quote: list[blocks.Block], items: list[list[blocks.Block]]
               ) -> list[EditedBlock]:
    """The edited document: the paragraph, one quotation of ``quote``, one list of
    ``items``."""
    return [EditedBlock(units[0].blocks[0], [], "body"),
            EditedBlock(blocks.BlockQuote(quote), [], "body"),
            EditedBlock(blocks.BulletList(items), [], "body")]


def test_quotations_and_lists_word_joined_are_cut_back_when_edited_inside() -> None:
    """An edit inside two quotations or two lists that Word holds as one is the edit of the
    source's block it stands in (the joined block was taken for the first block changed,
    the second deleted: brief.md then had them joined)."""
    units = quotes_then_list()
    quote = [*units[1].blocks[0].content, para("Second quotation, retyped.")]
    items = [*units[3].blocks[0].items, [blocks.Plain(blocks.plain_inlines("Data at last."))]]
    steps = align(base_items(units), as_in_word(units, quote, items))
    assert kinds(steps) == [("same", "block:s:0"), ("same", "block:s:1"),
                            ("changed", "block:s:2"), ("same", "block:s:3"),
                            ("changed", "block:s:5")]
    assert steps[2].edited.block == blocks.BlockQuote([para("Second quotation, retyped.")])


def test_a_paragraph_taken_out_of_joined_quotations_leaves_the_others_where_they_were() -> None:
    """One quotation's paragraph deleted, another's retyped: each goes back to its own
    source block by likeness; a block left with nothing is deleted."""
    units = quotes_then_list()
    quote = [para("First quotation, one, retyped."), para("Second quotation.")]
    items = [units[3].blocks[0].items[0], units[5].blocks[0].items[0]]
    steps = align(base_items(units), as_in_word(units, quote, items))
    assert kinds(steps) == [("same", "block:s:0"), ("changed", "block:s:1"),
                            ("same", "block:s:2"), ("changed", "block:s:3"),
                            ("same", "block:s:5")]
    assert steps[1].edited.block == blocks.BlockQuote([para("First quotation, one, retyped.")])
    assert steps[3].edited.block == blocks.BulletList([units[3].blocks[0].items[0]])


def test_a_quotation_deleted_before_one_edited_is_the_first_deleted_the_second_changed(
        ) -> None:
    """Of two quotations Word holds as one, the first deleted and the second edited: the
    edited paragraph goes back to the quotation it is most like (it was paired with the
    first by position: the report said the first changed into the second's words and the
    second deleted)."""
    units = [Unit(f"block:s:{n}", "block", "body", [block], "s") for n, block in enumerate([
        para("Before them."), blocks.BlockQuote([para("A quotation.")]),
        blocks.BlockQuote([para("Another quotation right after.")]), para("After them.")])]
    edited = [EditedBlock(units[0].blocks[0], [], "body"),
              EditedBlock(blocks.BlockQuote([para("Another quotation, just after.")]), [],
                          "body"),
              EditedBlock(units[3].blocks[0], [], "body")]
    steps = align(base_items(units), edited)
    assert kinds(steps) == [("same", "block:s:0"), ("deleted", "block:s:1"),
                            ("changed", "block:s:2"), ("same", "block:s:3")]
    assert steps[2].edited.block == blocks.BlockQuote([para("Another quotation, just after.")])


def test_quotations_cut_back_by_likeness_keep_their_order() -> None:
    """Three quotations in Word's one, the middle one deleted and the others edited: each
    edited paragraph goes back to its own quotation."""
    texts = ["The first of the quotations.", "A second one in the middle.",
             "And the third quotation last."]
    units = [Unit(f"block:s:{n}", "block", "body", [blocks.BlockQuote([para(t)])], "s")
             for n, t in enumerate(texts)]
    edited = [EditedBlock(blocks.BlockQuote([para("The first of the quotations, retyped."),
                                             para("And the third quotation, last.")]), [],
                          "body")]
    steps = align(base_items(units), edited)
    assert kinds(steps) == [("changed", "block:s:0"), ("deleted", "block:s:1"),
                            ("changed", "block:s:2")]


def test_a_list_edited_on_its_own_after_another_of_its_kind_stays_itself() -> None:
    """Two ordered lists of one style one after the other (one list in Word), the second
    edited where Word kept it apart: it is the second list changed (a block more like one
    of the run's blocks than like the run is no run edited inside)."""
    def numbered(*texts: str) -> blocks.OrderedList:
        return blocks.OrderedList(((1, blocks.Decimal(), blocks.Period()),
                                   [[blocks.Plain(blocks.plain_inlines(t))] for t in texts]))

    units = [Unit(f"block:s:{n}", "block", "body", [block], "s")
             for n, block in enumerate([numbered("One.", "Two."),
                                        numbered("The third item here.")])]
    edited = [EditedBlock(units[0].blocks[0], [], "body"),
              EditedBlock(numbered("The third item here, retyped."), [], "body")]
    steps = align(base_items(units), edited)
    assert kinds(steps) == [("same", "block:s:0"), ("changed", "block:s:1")]
