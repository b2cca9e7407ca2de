"""Turn aligned steps into new source text: splice each change where its source stands.

Unchanged units are never touched, so their bytes stay as they were. A changed
body block replaces its lines in brief.md; a changed recommendation, area title,
intro or bio replaces its value in the YAML; a new paragraph, heading or
recommendation is written after the unit it follows in the edited document.
Edits that have no place in the source (text typed into generated parts) are
collected as problems: the import stops on them unless forced.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from typing import Any

from msgspec import Struct, field

from briefpress.errors import Problem
from briefpress.importer.align import ALIKE, Item, Step, likeness, unit_blocks
from briefpress.importer.citations import citation_marks, restore_citations
from briefpress.importer.docxread import EditedBlock, copied_from
from briefpress.importer.markdown import (
    TRAILING_ATTRS,
    MarkdownWriter,
    Piece,
    as_source,
    figure_images,
    links_of,
    reads_alike,
)
from briefpress.importer.signature import signature, text_of
from briefpress.importer.sourcemap import SourceMap, list_items, source_map
from briefpress.importer.yamledit import YamlText
from briefpress.model import blocks, xref
from briefpress.model.brief import Brief
from briefpress.model.ids import make_id, words_of
from briefpress.render.docx_ast import Unit


class Change(Struct):
    """One thing the import changes in the source, for the report."""

    section: str | None
    what: str
    before: str = ""
    after: str = ""
    notice: str = ""
    """The notice that comes with this change (also in :attr:`Outcome.notices`): said only
    if the change is made."""
    levels: tuple[int, int] | None = None
    """A heading's level before and after, when the edit changed it (Heading 2 made
    Heading 1: ``(2, 1)``)."""


class Outcome(Struct):
    markdown: str
    recommendations: str
    problems: list[Problem] = field(default_factory=list)
    """Edits with no place in the source: the import stops on them unless forced."""
    changes: list[Change] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    media: dict[str, str] = field(default_factory=dict)
    """Images to extract from the .docx: pandoc's name -> file name in the brief's folder."""
    notes: dict[str, str] = field(default_factory=dict)
    """Every footnote label of the source, after the import and before it, and its text."""


class _UnitEdit(Struct):
    unit: Unit | None
    steps: list[Step] = field(default_factory=list)
    inserted: list[EditedBlock] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        return any(s.kind != "same" for s in self.steps)

    def remaining(self) -> list[blocks.Block]:
        """The unit's blocks after the edit (kept or changed, in order)."""
        return [s.edited.block for s in self.steps
                if s.kind in ("same", "changed") and s.edited]


class _NewRec(Struct):
    """A recommendation the editor added, to write into recommendations.yaml."""

    id: str
    section: str
    piece: Piece
    """Its text, to write as Markdown."""


class _RecMove(Struct):
    """A recommendation the editor moved: deleted where it stood, inserted elsewhere."""

    item: Item
    """Its block in the base."""
    block: EditedBlock
    """Its block where it went (its first paragraph)."""
    content: list[blocks.Block] = field(default_factory=list)
    """Its blocks where it went: the first, and each paragraph after it that goes on with it
    (Recommendation Continued)."""
    source: tuple[int, int] | None = None
    """Its area's index and its own in recommendations.yaml, once its deletion is seen."""
    rec: _NewRec | None = None
    """Its entry written anew where it went, when that is a new area; None: its lines move
    there (:meth:`YamlText.move_item`)."""


class _NewArea(Struct):
    """A recommendation area the editor added."""

    id: str
    title: str
    recommendations: list[_NewRec] = field(default_factory=list)


class Splicer:
    """Applies steps to one base revision of a brief."""

    def __init__(self, base: Brief, api_version: list[int], docx_name: str) -> None:
        self.base = base
        self.smap: SourceMap = source_map(base)
        self.writer = MarkdownWriter(self.smap, base.markdown, api_version)
        self.writer.taken = {p.name for p in base.folder.iterdir()} if base.folder.is_dir() \
            else set()
        self.docx_name = docx_name
        lines = base.markdown.split("\n")
        self.front_lines = base.front_matter_lines
        self.front = YamlText("\n".join(lines[1:self.front_lines - 1]))
        self.recs = YamlText(base.recommendations_text)
        self.yaml_pieces: list[tuple[YamlText, tuple[Any, ...], Piece | str]] = []
        self.ids = {s.id for s in base.walk()} | {a.id for a in base.recommendations.areas} | {
            r.id for a in base.recommendations.areas for r in a.recommendations}
        self.outcome = Outcome("", "")
        self.moved: set[str] = set()
        self.replacements: dict[int, tuple[int, list[str] | Piece]] = {}
        """First line -> (last line, new lines or a piece to write) in brief.md."""
        self.insertions: dict[int, list[Piece]] = {}
        """Line -> pieces to write after it, in order."""
        self.deleted_recs: list[tuple[int, int]] = []
        self.deleted_areas: set[str] = set()
        self.new_areas: list[tuple[int, _NewArea]] = []
        self.rec_inserts: list[tuple[int, int, _NewRec | _RecMove]] = []
        """(area index, position, recommendation) of recommendations added to existing areas
        (or moved there), in reading order."""
        self.rec_moves: dict[int, _RecMove] = {}
        """The recommendations moved, by their edited block (its ``id``)."""
        self.extra_intro: list[EditedBlock] = []
        self.extra_bio: dict[int, list[EditedBlock]] = {}
        self.bios: dict[int, tuple[Unit, list[blocks.Block]]] = {}
        """Author index -> (bio unit, its blocks after the edit) for the bios edited."""
        self.changed_blocks: list[tuple[Change, tuple[int, int], Piece, Unit]] = []
        """Each changed body block: its change, its lines, the piece that replaces them, and
        its unit (whether it reads as the source's block apart from its notes' text and its
        citations' rendered text, then its own lines stay, is asked once the pieces are
        written: :meth:`_changed_blocks`)."""
        self.deleted_blocks: list[tuple[int, int]] = []
        """The lines of each body block deleted whole."""
        self.marked: dict[int, blocks.Cite] = {}
        """The base's rendered citations by the number of their mark."""

    # -- entry point -----------------------------------------------------------------------

    def apply(self, steps: list[Step]) -> Outcome:
        # a block deleted in one place and inserted, with its id, in another was moved: the
        # insertion keeps the id (the guard then reports the move)
        self.moved = {s.item.unit.ident for s in steps if s.kind == "deleted" and s.item
                      and s.item.unit.ident and s.item.position == 0}
        # a recommendation moved keeps its id, its section and its lines, wherever it went
        self.rec_moves = {id(block): _RecMove(item, block, [block.block])
                          for item, block in _moved_recs(steps)}
        # every rendered citation of the base by its mark: a paragraph may now hold one
        # that stood in another unit
        units = list({id(s.item.unit): s.item.unit for s in steps if s.item}.values())
        self.marked = citation_marks([b for unit in units for b in unit.blocks])
        for edit in _group(steps):
            self._unit(edit)
        self._write()
        return self.outcome

    # -- one unit --------------------------------------------------------------------------

    def _unit(self, edit: _UnitEdit) -> None:
        unit = edit.unit
        if unit is None:
            for block in edit.inserted:
                self._problem(None, block, "stands before the title; it has no place in the "
                              "source", "move it into a section")
            return
        if edit.touched:
            handler = getattr(self, f"_change_{unit.kind}")
            handler(unit, edit)
        if edit.inserted:
            self._inserted(unit, edit.inserted)

    def _change_block(self, unit: Unit, edit: _UnitEdit) -> None:
        span = self.smap.blocks.get(unit.key)
        if span is None:
            self._rewrite_section(unit.section or "")
            return
        remaining = [_tight_as(block, unit.blocks) for block in edit.remaining()]
        before = text_of(unit.blocks)
        after = text_of(remaining)
        if remaining:
            source = self._source_block(unit)
            grid = isinstance(source, blocks.Table) and not source.c[3][1]
            if grid and len(remaining) == 1:
                remaining = [_widths_as(remaining[0], source)]
            piece = self._piece(remaining, unit)
            # a table without a header row, which brief.md can hold only as a grid table,
            # is written as one again (its columns as wide), not as a pipe table under a
            # row of blank cells
            piece.grid = grid
            self._replace_lines(span, piece)
            what = f"{_kind_of(remaining)} changed"
            # a figure's caption and its alt text, said apart (one text they read as none)
            what, before, after = _figure_change(unit.blocks, remaining) or (what, before, after)
            self._record(unit.section, what, before, after)
            self.changed_blocks.append((self.outcome.changes[-1], span, piece, unit))
        else:
            self._delete_lines(span)
            # the notes it called go with it (a moved paragraph's are new notes where it
            # went): which, pandoc reads once every text is known (:meth:`_write`)
            self.deleted_blocks.append(span)
            self._record(unit.section, "paragraph deleted", before, "")

    def _change_heading(self, unit: Unit, edit: _UnitEdit) -> None:
        section = self.base.section(unit.ident or "")
        step = edit.steps[0]
        if section is None or section.generated_from is not None or section.id not in \
                self.smap.headings:
            title = section.title if section else unit.ident or ""
            block = step.edited or EditedBlock(blocks.Para([]), [])
            verb = "deletes" if step.kind == "deleted" else "replaces"
            self._problem(unit.section, block, f"{verb} the heading {title!r}, which is "
                          "generated", "the headings of generated sections come from the "
                          f"document type ({self.base.meta.type}); undo the edit",
                          text=text_of([block.block]) if step.edited else title)
            return
        span = self.smap.headings[section.id]
        if step.kind == "deleted" or step.edited is None:
            self._delete_lines(span)
            self._record(section.id, "heading deleted", section.title, "")
            return
        header = step.edited.block
        kept = _inline_ids([header])
        for ident in [i for i in _inline_ids(unit.blocks) if i not in kept]:
            # pandoc's reader drops every id inside a heading's words (it takes them for the
            # heading's own): the edited heading cannot bring it back
            self.outcome.problems.append(Problem(
                self.docx_name, None, f"the heading {text_of([header])!r} (section "
                f"{section.id!r}) loses the id #{ident} written inside its words in brief.md: "
                "Word keeps no id inside a heading",
                f"make this edit of the heading in brief.md, keeping its `{{#{ident}}}`; or "
                f"import with --force and put `{{#{ident}}}` back on its words there"))
        level = header.level if isinstance(header, blocks.Header) else section.level
        new = blocks.Header((level, blocks.attr(section.id), _inlines_of(header)))
        old_line = self.smap.lines[span[0] - 1]
        attrs = TRAILING_ATTRS.search(old_line) if span[0] == span[1] else None
        piece = Piece([new], context=old_line, base_notes=_notes(unit.blocks),
                      base_links=links_of(unit.blocks))
        self._replace_lines(span, piece, attrs=attrs.group(1) if attrs else None)
        title = text_of([header])
        if level == section.level:
            self._record(section.id, "heading changed", section.title, title)
            return
        # a level changed is said as such: the words alone may be the same (a paragraph
        # style changed in Word, which LibreOffice does not track)
        words = "" if title == section.title else " changed and"
        self.outcome.changes.append(Change(
            section.id, f"heading {section.title!r}{words} moved from level {section.level} "
            f"to level {level} ({'#' * section.level} → {'#' * level})", section.title, title,
            levels=(section.level, level)))

    def _change_intro(self, unit: Unit, edit: _UnitEdit) -> None:
        remaining = edit.remaining()
        if remaining:
            self._set_yaml(self.recs, ("intro",), self._piece(remaining, unit, yaml=True))
            self._record(unit.section, "recommendations intro changed", text_of(unit.blocks),
                         text_of(remaining))
        else:
            self.recs.delete_key(("intro",))
            self._record(unit.section, "recommendations intro deleted", text_of(unit.blocks))

    def _change_area(self, unit: Unit, edit: _UnitEdit) -> None:
        index = self.recs.index_of(("areas",), unit.ident or "")
        if index is None:
            return
        step = edit.steps[0]
        if step.kind == "deleted":
            area = next(a for a in self.base.recommendations.areas if a.id == unit.ident)
            self.deleted_areas.add(area.id)
            self._record(unit.section, f"recommendation area {area.id!r} deleted", area.title)
            return
        title = text_of([step.edited.block]) if step.edited else ""
        self._set_yaml(self.recs, ("areas", index, "title"), title)
        self._record(unit.section, f"recommendation area {unit.ident!r} renamed",
                     text_of(unit.blocks), title)

    def _change_rec(self, unit: Unit, edit: _UnitEdit) -> None:
        area_id = unit.area
        area_index = self.recs.index_of(("areas",), area_id)
        if area_index is None:
            return
        rec_index = self.recs.index_of(("areas", area_index, "recommendations"),
                                       unit.ident or "")
        if rec_index is None:
            return
        remaining = edit.remaining()
        path = ("areas", area_index, "recommendations", rec_index)
        move = next((m for m in self.rec_moves.values() if m.item.unit is unit), None)
        if not remaining and move is not None:
            move.source = (area_index, rec_index)  # it went elsewhere: said there
            return
        if not remaining:
            self.deleted_recs.append((area_index, rec_index))
            self._record(unit.section, f"recommendation {unit.ident!r} deleted",
                         text_of(unit.blocks))
            return
        self._set_yaml(self.recs, (*path, "text"), self._piece(remaining, unit, yaml=True))
        self._record(unit.section, f"recommendation {unit.ident!r} changed",
                     text_of(unit.blocks), text_of(remaining))

    def _change_meta(self, unit: Unit, edit: _UnitEdit) -> None:
        path = _META_PATHS.get(unit.key) or ("authors", int(unit.key.rsplit(":", 1)[1]), "name")
        remaining = edit.remaining()
        label = unit.key.split(":")[1]
        if not remaining:
            if label in _OPTIONAL_META:
                self.front.delete_key(path)
                self._record(None, f"{label} deleted", text_of(unit.blocks))
                return
            self._problem(None, EditedBlock(blocks.Para([]), []),
                          f"deletes the {label}, which a brief must have",
                          f"undo the deletion, or remove the {label} in brief.md",
                          text=text_of(unit.blocks))
            return
        value = text_of(remaining)
        self._set_yaml(self.front, path, value)
        self._record(None, f"{label} changed", text_of(unit.blocks), value)

    def _change_bio(self, unit: Unit, edit: _UnitEdit) -> None:
        index = int(unit.key.split(":")[1])
        remaining = edit.remaining()
        # written once every edit of the bio is known (it may also have gained paragraphs)
        self.bios[index] = (unit, remaining)
        if remaining:
            self._record(unit.section, f"bio of {self.base.meta.authors[index].name} changed",
                         text_of(unit.blocks), text_of(remaining))
        else:
            self._record(unit.section, f"bio of {self.base.meta.authors[index].name} deleted",
                         text_of(unit.blocks))

    def _change_generated(self, unit: Unit, edit: _UnitEdit) -> None:
        if unit.key == "generated:bibliography":
            message, fix = self._sources_list("changes the list of sources")
        elif unit.key == "generated:brand" and self.base.brand is not None:
            brand = self.base.brand
            message, fix = ("changes the brand's logo and wordmark, which come from the "
                            f"brand `{brand.name}`",
                            f"make the change in {brand.folder / 'brand.yml'} instead")
        else:
            source = "the publisher in the front matter" if "colophon" in unit.key else \
                "the author's `affiliation` in the front matter" if "affiliation" in unit.key \
                else "the `date` in the front matter" if unit.key == "generated:date" else \
                "the document type"
            message, fix = (f"changes text generated from {source}",
                            f"make the change in {source} instead")
        for step in edit.steps:
            if step.kind == "same":
                continue
            shown = step.edited.block if step.edited else \
                step.item.block if step.item else blocks.Para([])
            block = step.edited or EditedBlock(shown, [])
            self._problem(unit.section, block, message, fix, text=text_of([shown]))

    def _sources_list(self, did: str) -> tuple[str, str]:
        """What a refused edit of the list of works cited did, and its fix: citeproc writes
        the list from the bibliography's entries of the works brief.md cites."""
        name = self.base.citations.bibliography.name if self.base.citations else \
            "the bibliography file"
        if did.startswith("was added"):
            return (f"{did}, which lists the works brief.md cites",
                    f"cite the work in brief.md, [@key] with its entry in {name}")
        return (f"{did}, which is written from the bibliography file {name}",
                f"correct the work's entry in {name}, or the citation in brief.md")

    # -- insertions ------------------------------------------------------------------------

    def _inserted(self, unit: Unit, inserted: list[EditedBlock]) -> None:
        """New blocks after ``unit``: placed by what they are and where they stand."""
        if unit.kind in ("block", "heading") and not self._generated_heading(unit):
            self._insert_body(unit, inserted)
        elif unit.kind in ("intro", "area", "rec") or (
                unit.kind == "heading" and self._generated_heading(unit) == "recommendations"):
            self._insert_recommendations(unit, inserted)
        elif unit.kind == "bio" or (unit.kind == "heading" and
                                    self._generated_heading(unit) == "authors"):
            self._insert_bio(unit, inserted)
        elif unit.kind == "meta":
            self._insert_meta(unit, inserted)
        else:
            message, fix = self._sources_list("was added to the list of sources") \
                if unit.key == "generated:bibliography" else (
                    "was added to generated text", "move it into a section of the brief")
            for block in inserted:
                self._problem(unit.section, block, message, fix)

    def _generated_heading(self, unit: Unit) -> str | None:
        if unit.kind != "heading":
            return None
        section = self.base.section(unit.ident or "")
        return section.generated_from if section else None

    def _insert_body(self, unit: Unit, inserted: list[EditedBlock]) -> None:
        span = self.smap.blocks.get(unit.key) if unit.kind == "block" else \
            self.smap.headings.get(unit.ident or "")
        if span is None:
            self._rewrite_section(unit.section or "")
            return
        section = unit.section
        for block in inserted:
            if block.cls == "heading":
                new_id = self._moved_id(block) or self._new_id(text_of([block.block]))
                header = blocks.Header((block.level, blocks.attr(new_id),
                                        _inlines_of(block.block)))
                self._insert_after(span[1], Piece([header]))
                self._record(new_id, "section added", "", text_of([block.block]))
                section = new_id
            elif block.cls == "body":
                self._insert_after(span[1], Piece([block.block]))
                self._record(section, "paragraph added", "", text_of([block.block]))
            else:
                kind = _CLASS_NAMES.get(block.cls, block.cls)
                self._problem(section, block, f"is in the style of a {kind} but stands in "
                              "the body", "give it a body style, or move it to its part of "
                              "the brief")

    def _insert_recommendations(self, unit: Unit, inserted: list[EditedBlock]) -> None:
        areas = self.base.recommendations.areas
        if unit.kind == "rec":
            area_index = self.recs.index_of(("areas",), unit.area)
            rec_index = (self.recs.index_of(("areas", area_index, "recommendations"),
                                            unit.ident or "") if area_index is not None
                         else None)
            position = (area_index, (rec_index or 0) + 1)
        elif unit.kind == "area":
            position = (self.recs.index_of(("areas",), unit.ident or ""), 0)
        else:
            position = (0, 0) if areas else (None, 0)
        new_area: _NewArea | None = None
        for block, content in _recommendations(inserted):
            if block.cls == "rec":
                if new_area is not None:
                    new_area.recommendations.append(self._new_rec(block, content,
                                                                  new_area.id, unit))
                elif position[0] is None:
                    self._problem(unit.section, block, "is a recommendation outside any area",
                                  "put a Recommendation Area heading above it")
                else:
                    area = areas[position[0]] if position[0] < len(areas) else None
                    move = self.rec_moves.get(id(block))
                    if move is not None:
                        move.content = content
                        self._record_move(move, area.id if area else "", unit)
                    self.rec_inserts.append((position[0], position[1], move or self._new_rec(
                        block, content, area.id if area else "", unit)))
            elif block.cls == "area":
                title = text_of([block.block])
                new_area = _NewArea(self._new_id(title), title)
                index = (position[0] + 1) if position[0] is not None and unit.kind != "heading" \
                    and unit.kind != "intro" else 0
                self.new_areas.append((index, new_area))
                self._record(unit.section, f"recommendation area {new_area.id!r} added",
                             "", title)
            elif block.cls == "body" and unit.kind in ("intro", "heading"):
                self.extra_intro.append(block)
            else:
                self._problem(unit.section, block, "stands among the recommendations but is "
                              "neither a recommendation nor an area",
                              "give it the Recommendation style, or move it into a section")

    def _new_rec(self, block: EditedBlock, content: list[blocks.Block], area_id: str,
                 after: Unit) -> _NewRec:
        """A recommendation added (or moved into a new area): ``block`` its first paragraph,
        ``content`` its blocks."""
        move = self.rec_moves.get(id(block))
        if move is not None:  # to a new area: written there anew, its id and section kept
            move.content = content
            self._record_move(move, area_id, after)
            move.rec = self._moved_entry(move)
            return move.rec
        piece = self._piece(content, None, yaml=True)
        section = self._section_for(after, area_id)
        # its id from its first paragraph's words, which say what it recommends
        rec = _NewRec(self._rec_id(text_of([block.block])), section, piece)
        notice = (f"new recommendation {rec.id!r} points at section {section!r}: its id was made "
                  "from its words and its section taken from its neighbour; review both in "
                  "recommendations.yaml (the id is how links and readers will know it)")
        self._record(after.section, f"recommendation {rec.id!r} added", "",
                     text_of(content), notice)
        self.outcome.notices.append(notice)
        return rec

    def _record_move(self, move: _RecMove, area_id: str, after: Unit) -> None:
        """The change a moved recommendation makes: to another area, or in its own; with its
        words before and after when the editor also edited them."""
        ident, text = move.item.unit.ident, text_of(move.content)
        what = f"recommendation {ident!r} moved" + (
            f" to area {area_id!r}" if area_id != move.item.unit.area else "")
        self._record(after.section, what,
                     text_of(unit_blocks(move.item.unit)) if _edited(move) else "", text)

    def _moved_entry(self, move: _RecMove) -> _NewRec:
        """A moved recommendation's entry, to write anew: its id and section kept, its words
        as it now reads, in the style of its old text."""
        old = next(r for a in self.base.recommendations.areas for r in a.recommendations
                   if r.id == move.item.unit.ident)
        return _NewRec(old.id, old.section, self._piece(move.content, move.item.unit, yaml=True))

    def _section_for(self, after: Unit, area_id: str) -> str:
        for area in self.base.recommendations.areas:
            if area.id == area_id and area.recommendations:
                if after.kind == "rec":
                    return next((r.section for r in area.recommendations
                                 if r.id == after.ident), area.recommendations[0].section)
                return area.recommendations[0].section
        body = [s.id for s in self.base.walk() if s.generated_from is None]
        return body[0] if body else ""

    def _insert_bio(self, unit: Unit, inserted: list[EditedBlock]) -> None:
        index = int(unit.key.split(":")[1]) if unit.kind == "bio" else 0
        for block in inserted:
            if block.cls in ("body", "bio") and unit.kind == "bio":
                self.extra_bio.setdefault(index, []).append(block)
            else:
                self._problem(unit.section, block, "was added to About the Author",
                              "write it into an author's `bio` in the front matter")

    def _insert_meta(self, unit: Unit, inserted: list[EditedBlock]) -> None:
        for block in inserted:
            label = block.cls.split(":")[1] if block.cls.startswith("meta:") else ""
            if label in _OPTIONAL_META and self.front.node((label,)) is None:
                self.front.set_key((), label, text_of([block.block]), after="title")
                self._record(None, f"{label} added", "", text_of([block.block]))
            else:
                self._problem(None, block, "was added to the title block",
                              "add authors and titles in the front matter of brief.md")

    # -- writing ---------------------------------------------------------------------------

    def _write(self) -> None:
        self._finish_recommendations()
        new_recs = [rec for _, _, rec in self.rec_inserts if isinstance(rec, _NewRec)] + [
            rec for _, area in self.new_areas for rec in area.recommendations]
        pieces = [new for _, new in self.replacements.values() if isinstance(new, Piece)]
        pieces += [p for group in self.insertions.values() for p in group]
        pieces += [p for _, _, p in self.yaml_pieces if isinstance(p, Piece)]
        pieces += [rec.piece for rec in new_recs]
        # the notes each text calls, as pandoc reads them, in one run: the deleted blocks',
        # the changed blocks', the pieces' sources and, when a deleted block may have called
        # a labelled note (which another block may call too), the whole body's
        deleted = [self.smap.text(span) for span in self.deleted_blocks]
        body = [self._called_text()] if any("[^" in text for text in deleted) else []
        self.writer.learn_calls(
            deleted + [self.smap.text(span) for _, span, _, _ in self.changed_blocks]
            + [piece.context for piece in pieces] + body)
        for text in deleted:  # dropped before the pieces are written, which may keep a note
            self.writer.drop_calls([label for label in self.writer.note_calls(text)
                                    if label is not None])
        for _, span, piece, unit in self.changed_blocks:
            self._list_items(piece, unit, span)
        self.writer.write_pieces(pieces)
        self._as_source()
        self._uncaptioned()
        self._changed_blocks()
        self._moves()
        for yaml_text, path, value in self.yaml_pieces:
            yaml_text.replace_scalar(path, value.markdown if isinstance(value, Piece) else value)
        for area_index, position, rec in self.rec_inserts:
            if isinstance(rec, _NewRec):
                self.recs.insert_item(("areas", area_index, "recommendations"), position,
                                      _rec_entries(rec))
            elif rec.source is not None:
                self.recs.move_item(("areas", rec.source[0], "recommendations"), rec.source[1],
                                    ("areas", area_index, "recommendations"), position)
        for index, area in self.new_areas:
            entries = [("id", area.id), ("title", area.title),
                       ("recommendations", [_rec_entries(r) for r in area.recommendations])]
            self.recs.insert_item(("areas",), index, entries)
        self._note_definitions()
        lines = self.smap.lines
        body: list[str] = []
        number = self.front_lines + 1
        while number <= len(lines):
            last = number
            if number in self.replacements:
                last, new = self.replacements[number]
                if isinstance(new, Piece):
                    body.extend(_heading(new).split("\n"))
                else:
                    body.extend(new)
            else:
                body.append(lines[number - 1])
            for line in range(number, last + 1):
                for piece in self.insertions.get(line, []):
                    body.extend(["", *_heading(piece).split("\n")])
            number = last + 1
        body = self._new_definitions(body)
        head = [lines[0], *self.front.result().split("\n"), lines[self.front_lines - 1]]
        self.outcome.markdown = "\n".join(head + body)
        self.outcome.recommendations = self.recs.result()
        self.outcome.media = dict(self.writer.media)
        self.outcome.notes = self._note_texts()

    def _changed_blocks(self) -> None:
        """Each changed body block's report, once written: the notes it calls whose text
        changed are listed after it, each as its own change. A block that reads as the
        source's (only its notes' text, or a citation's rendered text, which a notice
        reports, changed) keeps its own lines, wrapping and link forms, and is no change."""
        old_notes = _source_notes(self.smap)
        changes = self.outcome.changes
        for change, span, piece, unit in self.changed_blocks:
            before = self.smap.text(span)
            as_source = self._reads_as_source(piece.blocks, unit, span)
            notes = [Change(change.section, f"note [^{label}] changed",
                            old_notes.get(label, ""), text)
                     for label, text in self.writer.definitions.notes.items()
                     if text is not None and label in self.writer.note_calls(before)
                     and text != old_notes.get(label)]
            notes += self._taken_out(change, before, piece, unit, old_notes)
            at = next(index for index, c in enumerate(changes) if c is change)
            if as_source or before == piece.markdown:
                if self.replacements.get(span[0], (0, None))[1] is piece:
                    del self.replacements[span[0]]
                del changes[at]
            else:
                if change.before == change.after:
                    # the words read the same (a footnote put in, a link's new target):
                    # the Markdown shows what changed
                    change.before, change.after = before, piece.markdown
                at += 1
            changes[at:at] = notes

    def _as_source(self) -> None:
        """Each changed table or figure, once written, with the source's lines and
        attributes the edit left as they were (:func:`as_source`): its untouched rows
        are not re-padded and its edited ones are laid out as the source's rows, its
        ``width=80%`` not quoted. Taken where pandoc reads it as what it wrote, all read
        in one call."""
        found: list[tuple[Piece, str]] = []
        for _, span, piece, unit in self.changed_blocks:
            if len(piece.blocks) != 1:
                continue
            found += [(piece, kept) for kept in as_source(
                piece.markdown, self.smap.text(span), piece.blocks[0],
                self._source_block(unit), piece.cells) if kept != piece.markdown]
        taken: set[int] = set()
        for (piece, kept), alike in zip(found, reads_alike(
                [(piece.markdown, kept) for piece, kept in found]), strict=True):
            # the likeliest way that reads alike (each read as pandoc wrote the piece)
            if alike and id(piece) not in taken:
                taken.add(id(piece))
                piece.markdown = kept

    def _taken_out(self, change: Change, before: str, piece: Piece, unit: Unit,
                   old_notes: dict[str, str]) -> list[Change]:
        """The notes and citations a changed block no longer has, each its own change: the
        block's words show neither (a note's call and a citation are no words of it)."""
        now = set(self.writer.note_calls(piece.markdown))
        found = [Change(change.section, f"note [^{label}] deleted", old_notes.get(label, ""))
                 for label in dict.fromkeys(self.writer.note_calls(before))
                 if label is not None and label not in now]
        source = self._source_block(unit)
        cited = Counter(_cited([source] if source is not None else []))
        cited.subtract(_cited(piece.blocks))
        found += [Change(change.section, f"citation [@{key}] removed", f"[@{key}]")
                  for key, count in cited.items() if count > 0]
        return found

    def _reads_as_source(self, content: list[blocks.Block], unit: Unit,
                         span: tuple[int, int]) -> bool:
        """Whether ``content`` (an edited body block, its citations ``[@key]`` again) reads
        as ``unit``'s block in the source (its lines ``span``), apart from the text of its
        labelled notes (an inline note's text is the block's own)."""
        source = self._source_block(unit)
        if source is None:
            return False
        labelled = [call is not None for call in self.writer.note_calls(self.smap.text(span))]
        return signature(_own_text(content, labelled)) == \
            signature(_own_text([source], labelled))

    def _source_block(self, unit: Unit) -> blocks.Block | None:
        """The block of brief.md a body unit stands for, as read from the source."""
        section_id, _, index = unit.key.removeprefix("block:").rpartition(":")
        section = self.base.section(section_id)
        if section is None or not index.isdigit() or int(index) >= len(section.blocks):
            return None
        return section.blocks[int(index)]

    def _list_items(self, piece: Piece, unit: Unit, span: tuple[int, int]) -> None:
        """For a changed list (the same start, if numbered): the source's items as
        written, and for each edited item the source's item it reads as, if any: that item
        keeps its lines (an item added or taken away shifts no other item's lines)."""
        edited = piece.blocks[0] if len(piece.blocks) == 1 else None
        source = self._source_block(unit)
        if not isinstance(edited, blocks.BulletList | blocks.OrderedList) or \
                type(source) is not type(edited):
            return
        if isinstance(edited, blocks.OrderedList) and isinstance(source, blocks.OrderedList) \
                and edited.start != source.start:
            return
        text = self.smap.text(span)
        written = list_items(text)
        if written is None or len(written.items) != len(source.items):
            return  # brief.md's lines do not show pandoc's items: the list is written anew
        labelled = [call is not None for call in self.writer.note_calls(text)]
        ours, theirs = _own_text([edited], labelled)[0], _own_text([source], labelled)[0]
        assert isinstance(ours, blocks.BulletList | blocks.OrderedList)
        assert isinstance(theirs, blocks.BulletList | blocks.OrderedList)
        mine = [signature(item) for item in ours.items]
        old = [signature(item) for item in theirs.items]
        piece.items, piece.column = written.items, written.column
        piece.kept = [None] * len(mine)
        matcher = difflib.SequenceMatcher(None, old, mine, autojunk=False)
        for block in matcher.get_matching_blocks():
            for offset in range(block.size):
                piece.kept[block.b + offset] = block.a + offset

    def _uncaptioned(self) -> None:
        """A figure whose caption the editor deleted is written as its image, keeping the
        figure's id: pandoc's Markdown has no figure without a caption. Then it is numbered
        no more, so a cross-reference to it would point to nothing: refused; else said."""
        if not self.writer.uncaptioned:
            return
        index = self.base.index
        cited = {citation.citation_id for cite in index.find(blocks.Cite, *index.parts)
                 for citation in cite.citations}
        for ident in self.writer.uncaptioned:
            if ident in cited:
                self.outcome.problems.append(Problem(
                    self.docx_name, None, f"the edit deletes the caption of figure #{ident}, "
                    f"which @{ident} refers to: in Markdown a figure is an image with a "
                    "caption, so without one it would be numbered no more and the reference "
                    "would point to nothing", "give the figure a caption again in the Word "
                    f"file and import again; or import with --force and take @{ident} out of "
                    "brief.md"))
            else:
                self.outcome.notices.append(
                    f"the caption of figure #{ident} was deleted: it is now an image, written "
                    f"`![](file){{#{ident} alt=\"…\"}}` (its id and its description kept), "
                    "and numbered no more; give it a caption again to make it a figure")

    def _moves(self) -> None:
        """A paragraph deleted in one place and added, word for word, in another was moved:
        one change, where it went."""
        changes = self.outcome.changes
        for added in [c for c in changes if c.what == "paragraph added"]:
            gone = next((c for c in changes if c.what == "paragraph deleted"
                         and c.before == added.after), None)
            if gone is not None:
                changes.remove(gone)
                added.what = "paragraph moved" if gone.section == added.section else \
                    f"paragraph moved from #{gone.section}"

    def _note_texts(self) -> dict[str, str]:
        """The text of every note: as the source had it, as the import rewrote it, new."""
        texts = _source_notes(self.smap)
        defs = self.writer.definitions
        texts.update({label: text for label, text in defs.notes.items() if text is not None})
        texts.update(defs.new_notes)
        return texts

    def _note_definitions(self) -> None:
        """Rewrite or drop the definitions of notes whose text changed or that were removed,
        and give link definitions their new targets."""
        for label, url in self.writer.definitions.retarget.items():
            link = self.smap.links.get(label.casefold())
            if link is not None:
                self.replacements[link.start] = (link.end, [f"[{link.label}]: {url or '<>'}"])
        defs = self.writer.definitions
        calls = self._source_calls() if None in defs.notes.values() else {}
        for label, text in defs.notes.items():
            note = self.smap.notes.get(label)
            if note is None:
                continue
            if text is None:
                if calls.get(label, 0) > defs.dropped_calls.get(label, 0):
                    continue  # another paragraph calls it too, and stays
                self.replacements[note.start] = (note.end, [])
            else:
                self.replacements[note.start] = (note.end, f"[^{label}]: {text}".split("\n"))

    def _called_text(self) -> str:
        """The body of brief.md with the notes' definitions left out: what calls notes."""
        lines = list(self.smap.lines)
        for note in self.smap.notes.values():
            lines[note.start - 1:note.end] = [""] * (note.end - note.start + 1)
        return "\n".join(lines[self.front_lines:])

    def _source_calls(self) -> dict[str, int]:
        """How many times the body of brief.md calls each labelled note, as pandoc reads it
        (a ``[^label]`` in a code span or a code block calls nothing)."""
        counts: dict[str, int] = {}
        for label in self.writer.note_calls(self._called_text()):
            if label is not None:
                counts[label] = counts.get(label, 0) + 1
        return counts

    def _new_definitions(self, body: list[str]) -> list[str]:
        """Definitions of new notes and links go at the end, after the existing ones."""
        defs = self.writer.definitions
        notes = [f"[^{label}]: {text}" for label, text in defs.new_notes.items()]
        links = [f"[{label}]: {url or '<>'}" for label, url in defs.new_links.items()]
        if not notes and not links:
            return body
        trailing = 0
        while body and not body[-1].strip():
            body.pop()
            trailing += 1
        if notes:
            body.extend(notes if _ends_with_definitions(body) else ["", *notes])
        if links:
            # a line right under a footnote's definition continues that note's text: a link
            # definition there would be words of the note, and its link no link
            together = _ends_with_definitions(body) and not _NOTE_DEFINITION.match(body[-1])
            body.extend(links if together else ["", *links])
        # the file ends after the definitions, with its newline: its blank lines at the end
        # stay before them (after them, a blank line that diff shows as added)
        body.extend([""] * min(trailing, 1))
        return body

    def _finish_recommendations(self) -> None:
        placed = {id(rec) for _, _, rec in self.rec_inserts}
        moved_out: set[tuple[int, int]] = set()
        for move in self.rec_moves.values():
            if move.source is None:
                continue
            moved_out.add(move.source)
            if id(move) not in placed or move.rec is not None:
                # written anew in a new area (or, outside any area, refused): its old lines go
                self.deleted_recs.append(move.source)
            elif _edited(move):
                # its lines move, its words edited where they stand in them
                self._set_yaml(self.recs, ("areas", move.source[0], "recommendations",
                                           move.source[1], "text"),
                               self._piece(move.content, move.item.unit, yaml=True))
        for area_index, rec_index in sorted(self.deleted_recs, reverse=True):
            self.recs.delete_item(("areas", area_index, "recommendations"), rec_index)
        for area_id in self.deleted_areas:
            index = self.recs.index_of(("areas",), area_id)
            area = next(a for a in self.base.recommendations.areas if a.id == area_id)
            # (one moved to another area is not kept here: its lines leave the area's)
            kept = [r for r in area.recommendations if (index, self.recs.index_of(
                ("areas", index, "recommendations"), r.id)) not in {*self.deleted_recs,
                                                                   *moved_out}]
            if kept:
                self._problem(None, EditedBlock(blocks.Para([]), []),
                              f"deletes the heading of recommendation area {area.id!r} but "
                              "not its recommendations", "delete them too, or keep the "
                              "area's heading", text=area.title)
            elif index is not None:
                self.recs.delete_item(("areas",), index)
        self._drop_emptied_areas({*self.deleted_recs, *moved_out})
        if self.extra_intro:
            added = [b.block for b in self.extra_intro]
            existing = self.base.fragments.get("intro") or []
            piece = Piece([*existing, *added])
            if self.recs.node(("intro",)) is not None:
                self._set_yaml(self.recs, ("intro",), piece)
            else:
                self.outcome.problems.append(Problem(
                    self.base.recommendations_path, None,
                    "text added under Policy Recommendations has no intro to join",
                    "add `intro:` to recommendations.yaml first"))
            self._record(None, "recommendations intro extended", "", text_of(added))
        for extra in self.extra_bio.values():
            self._record(None, "bio extended", "", text_of([b.block for b in extra]))
        for index in sorted(set(self.bios) | set(self.extra_bio)):
            unit, kept = self.bios.get(index, (None, None))
            content = [*(self.base.fragments.get(f"bio:{index}") or [] if kept is None
                         else kept), *[b.block for b in self.extra_bio.get(index, [])]]
            if content:
                self._set_yaml(self.front, ("authors", index, "bio"),
                               self._piece(content, unit, yaml=True))
            else:
                self.front.delete_key(("authors", index, "bio"))

    def _drop_emptied_areas(self, gone: set[tuple[int, int]]) -> None:
        """Each area whose heading the editor kept but whose every recommendation went
        (deleted, or moved to another area), none put in its place, removed with a notice:
        `check` refuses an area without recommendations, and no edition has anything to
        show under its heading. ``gone``: the (area, recommendation) indices taken out."""
        given = {area for area, _, rec in self.rec_inserts
                 if isinstance(rec, _NewRec) or rec.source is not None}
        section = next((s.id for s in self.base.walk()
                        if s.generated_from == "recommendations"), None)
        for area in self.base.recommendations.areas:
            index = self.recs.index_of(("areas",), area.id)
            if (index is None or area.id in self.deleted_areas or index in given
                    or not area.recommendations
                    or any((index, r) not in gone for r in range(len(area.recommendations)))):
                continue
            self.recs.delete_item(("areas",), index)
            notice = (f"recommendation area {area.title!r} ({area.id}) is removed with its "
                      "last recommendation: an area without recommendations cannot be built; "
                      "to keep it, write it back into recommendations.yaml with a "
                      "recommendation under it")
            self._record(section, f"recommendation area {area.id!r} deleted", area.title,
                         notice=notice)
            self.outcome.notices.append(notice)

    # -- helpers ---------------------------------------------------------------------------

    def _piece(self, content: list[blocks.Block], unit: Unit | None,
               yaml: bool = False) -> Piece:
        context = ""
        if unit is not None:
            if unit.kind == "block" and unit.key in self.smap.blocks:
                context = self.smap.text(self.smap.blocks[unit.key])
            elif unit.kind == "rec":
                rec = next((r for a in self.base.recommendations.areas
                            for r in a.recommendations if r.id == unit.ident), None)
                context = rec.text if rec else ""
            elif unit.kind == "intro":
                context = self.base.recommendations.intro or ""
            elif unit.kind == "bio":
                context = self.base.meta.authors[int(unit.key.split(":")[1])].bio or ""
        base_blocks = unit.blocks if unit is not None else []
        # the citations citeproc rendered into the Word file become `[@key]` again
        content, edited_citations = restore_citations(content, base_blocks,
                                                         self.marked)
        self.outcome.notices.extend(edit.notice() for edit in edited_citations)
        return Piece(content, context=context, base_notes=_notes(base_blocks),
                     base_images=_images(base_blocks), base_figures=_figures(base_blocks),
                     base_figure_alts=_figure_alts(base_blocks),
                     base_figure_images=figure_images(base_blocks),
                     base_tables=_tables(base_blocks), base_links=links_of(base_blocks))

    def _set_yaml(self, yaml_text: YamlText, path: tuple[Any, ...], value: Piece | str) -> None:
        self.yaml_pieces.append((yaml_text, path, value))

    def _replace_lines(self, span: tuple[int, int], piece: Piece,
                       attrs: str | None = None) -> None:
        piece.heading_attrs = attrs
        self.replacements[span[0]] = (span[1], piece)

    def _delete_lines(self, span: tuple[int, int]) -> None:
        first = span[0]
        if first - 1 > self.front_lines and not self.smap.lines[first - 2].strip():
            first -= 1  # with the blank line before it, so one blank line stays between
        self.replacements[first] = (span[1], [])

    def _insert_after(self, line: int, piece: Piece) -> None:
        self.insertions.setdefault(line, []).append(piece)

    def _rewrite_section(self, section_id: str) -> None:
        """An edit in a section whose blocks brief.md's line map could not tell apart (see
        :mod:`sourcemap`): it has no place to go, and the import stops on it."""
        line, what = self.smap.unmapped.get(section_id, (None, "text"))
        line = line or self.smap.headings.get(section_id, (None,))[0]
        problem = Problem(self.base.markdown_path, line,
                          f"section {section_id!r} has an edit, but briefpress cannot tell "
                          f"where the {what} here ends in brief.md, so it cannot place the "
                          "section's edits",
                          f"put a blank line before and after the {what}, or make this "
                          "section's edits in brief.md; or import with --force to leave them "
                          "out")
        if problem not in self.outcome.problems:
            self.outcome.problems.append(problem)

    def _moved_id(self, block: EditedBlock) -> str | None:
        """The id of a moved block (deleted where it was, inserted here), used once: its
        bookmark's, or the one LibreOffice's pasted copy of it is named after (``id_Copy_1``,
        as for a recommendation moved)."""
        ident = next((copied_from(i) for i in block.ids if copied_from(i) in self.moved),
                     None)
        if ident is not None:
            self.moved.discard(ident)
        return ident

    def _new_id(self, text: str, fallback: str = "section") -> str:
        """A readable id every edition carries (a Word bookmark name starts with a letter),
        numbered if taken."""
        ident = make_id(text, self.ids, fallback=fallback)
        self.ids.add(ident)
        return ident

    def _rec_id(self, text: str) -> str:
        """A readable id for a new recommendation, with a number if taken."""
        recs = [r.text for a in self.base.recommendations.areas for r in a.recommendations]
        return self._new_id(distinctive_words(text, recs), fallback="recommendation")

    def _record(self, section: str | None, what: str, before: str = "", after: str = "",
                notice: str = "") -> None:
        self.outcome.changes.append(Change(section, what, before, after, notice))

    def _problem(self, section: str | None, block: EditedBlock, message: str, fix: str,
                 text: str = "") -> None:
        shown = text or text_of([block.block])
        excerpt = shown if len(shown) <= 60 else shown[:57] + "..."
        where = f" (section {section!r})" if section else ""
        self.outcome.problems.append(Problem(self.docx_name, None,
                                             f"the text {excerpt!r}{where} {message}",
                                             f"{fix}; or import with --force to leave it out"))


_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for",
    "from", "with", "within", "into", "onto", "over", "under", "as", "than", "that", "this",
    "these", "those", "it", "its", "their", "there", "here", "be", "is", "are", "was", "were",
    "been", "being", "should", "must", "shall", "will", "would", "can", "could", "may", "might",
    "do", "does", "not", "no", "both", "each", "all", "any", "more", "most", "also", "such", "so",
    "very", "which", "who", "whom", "whose", "what", "when", "where", "how"})


def distinctive_words(text: str, others: list[str], count: int = 4) -> str:
    """The first ``count`` distinctive words of a recommendation, for its id: words other
    than function words and than those most of the ``others`` (the brief's recommendations)
    share (the parties, "should"); each word spelt as ids spell it ("the ROK's" is the one
    word ``roks``)."""
    seen: dict[str, int] = {}
    for other in others:
        for word in set(words_of(other)):
            seen[word] = seen.get(word, 0) + 1
    common = {word for word, n in seen.items() if n >= 3 and 2 * n > len(others)}
    words = [word for word in words_of(text) if word not in _FUNCTION_WORDS]
    distinctive = [word for word in words if word not in common] or words
    return " ".join(distinctive[:count]) or "recommendation"


def _source_notes(smap: SourceMap) -> dict[str, str]:
    return {label: smap.text((note.start, note.end)).split(":", 1)[-1].strip()
            for label, note in smap.notes.items()}


def source_notes(brief: Brief) -> dict[str, str]:
    """The footnotes of ``brief``'s source: label -> text as written."""
    return _source_notes(source_map(brief))


def splice(base: Brief, steps: list[Step], api_version: list[int], docx_name: str) -> Outcome:
    """The source of ``base`` with the steps applied."""
    return Splicer(base, api_version, docx_name).apply(steps)


_META_PATHS: dict[str, tuple[Any, ...]] = {"meta:title": ("title",),
                                          "meta:subtitle": ("subtitle",),
                                          "meta:program": ("program",),
                                          "meta:series": ("series",)}
_OPTIONAL_META = ("subtitle", "program", "series")
"""The title block's parts a brief may do without: an editor may delete or add them."""
_CLASS_NAMES = {"rec": "recommendation", "area": "recommendation area", "bio": "bio",
                "meta:title": "title", "meta:subtitle": "subtitle", "meta:author": "author",
                "meta:program": "program", "meta:series": "series",
                "generated": "generated part"}


def _moved_recs(steps: list[Step]) -> list[tuple[Item, EditedBlock]]:
    """The recommendations the editor moved: each deleted whole where it stood, paired with
    a recommendation inserted elsewhere by its bookmark (LibreOffice names the bookmark of
    a pasted copy ``id_Copy_1`` while the tracked move keeps the original where it was),
    else word for word, else the most alike of the rest (:data:`ALIKE`, as alignment pairs
    a block edited in place)."""
    staying = {id(s.item.unit) for s in steps if s.item is not None and s.kind != "deleted"}
    gone = [s.item for s in steps if s.kind == "deleted" and s.item is not None
            and s.item.cls == "rec" and s.item.position == 0 and s.item.unit.ident
            and id(s.item.unit) not in staying]
    # (a paragraph that goes on with the one before it is no recommendation of its own)
    added = [s.edited for s in steps if s.kind == "inserted" and s.edited is not None
             and s.edited.cls == "rec" and not s.edited.continues]
    pairs: list[tuple[Item, EditedBlock]] = []
    for alike in (lambda item, block: item.unit.ident in map(copied_from, block.ids),
                  lambda item, block: item.sig == signature([block.block])):
        for block in list(added):
            item = next((item for item in gone if alike(item, block)), None)
            if item is not None:
                pairs.append((item, block))
                gone.remove(item)
                added.remove(block)
    scored = sorted(((likeness(text_of([item.block]), text_of([block.block])), g, a)
                     for g, item in enumerate(gone) for a, block in enumerate(added)),
                    key=lambda score: (-score[0], score[1], score[2]))
    paired_gone: set[int] = set()
    paired_added: set[int] = set()
    for ratio, g, a in scored:
        if ratio >= ALIKE and g not in paired_gone and a not in paired_added:
            pairs.append((gone[g], added[a]))
            paired_gone.add(g)
            paired_added.add(a)
    return pairs


def _edited(move: _RecMove) -> bool:
    """Whether a moved recommendation's words (or paragraphs) differ from the source's."""
    return signature(move.content) != signature(unit_blocks(move.item.unit))


def _recommendations(inserted: list[EditedBlock]
                     ) -> list[tuple[EditedBlock, list[blocks.Block]]]:
    """The blocks inserted among the recommendations, each with its content: a
    recommendation's paragraphs in the Recommendation Continued style go with the one before
    them (a recommendation of several paragraphs is one), every other block stands alone."""
    out: list[tuple[EditedBlock, list[blocks.Block]]] = []
    for block in inserted:
        if block.continues and out and out[-1][0].cls == "rec":
            out[-1][1].append(block.block)
        else:
            out.append((block, [block.block]))
    return out


def _group(steps: list[Step]) -> list[_UnitEdit]:
    """Steps grouped by the base unit they touch; insertions go with the unit before them.

    A recommendation ends where the Word file's styles end it: a paragraph in the
    Recommendation Continued style goes on with the recommendation before it (one added
    after a recommendation is one more of its paragraphs, a recommendation's first paragraph
    restyled so joins it to the one before), and a paragraph of a recommendation restyled
    Recommendation starts a new one with the paragraphs after it (inserted after it)."""
    edits: list[_UnitEdit] = [_UnitEdit(None)]
    split: set[int] = set()  # the recommendations whose later paragraphs start a new one
    joined: dict[int, _UnitEdit] = {}  # the recommendations joined to the one before
    for step in steps:
        if step.kind == "inserted":
            if step.edited is not None:
                if step.edited.continues and _goes_on(edits[-1], split):
                    edits[-1].steps.append(Step("changed", None, step.edited))
                else:
                    edits[-1].inserted.append(step.edited)
            continue
        item: Item = step.item  # type: ignore[assignment]
        if item.cls == "rec" and step.edited is not None and _regrouped(
                step, edits, split, joined):
            continue
        if edits[-1].unit is not item.unit or edits[-1].inserted:
            if edits[-1].unit is item.unit:
                # an insertion between two blocks of one unit (a Div of several paragraphs)
                edits[-1].steps.extend(Step("changed", None, b) for b in edits[-1].inserted)
                edits[-1].inserted = []
            else:
                edits.append(_UnitEdit(item.unit))
        edits[-1].steps.append(step)
    return edits


def _goes_on(edit: _UnitEdit, split: set[int]) -> bool:
    """Whether a paragraph that goes on with the recommendation before it can join
    ``edit``: a recommendation still there, with nothing inserted after it."""
    return (edit.unit is not None and edit.unit.kind == "rec" and not edit.inserted
            and id(edit.unit) not in split and bool(edit.remaining()))


def _regrouped(step: Step, edits: list[_UnitEdit], split: set[int],
               joined: dict[int, _UnitEdit]) -> bool:
    """Place a kept paragraph of a recommendation whose style moves where the
    recommendation ends (see :func:`_group`); False if it stays where it stood."""
    item: Item = step.item  # type: ignore[assignment]
    edited: EditedBlock = step.edited  # type: ignore[assignment]
    unit, last = item.unit, edits[-1]
    into = joined.get(id(unit))
    if into is None and edited.continues and item.position == 0 and last.unit is not unit \
            and _goes_on(last, split):
        into = joined[id(unit)] = last
    if into is not None:  # its paragraphs go on with the recommendation before it
        into.steps.append(Step("changed", None, edited))
        if last.unit is not unit:
            edits.append(_UnitEdit(unit))
        edits[-1].steps.append(Step("deleted", item))
        return True
    if last.unit is not unit or (last.inserted and id(unit) not in split):
        return False
    if id(unit) in split or (not edited.continues and item.position > 0
                             and last.remaining()):
        split.add(id(unit))  # it and the paragraphs after it: a new recommendation
        last.steps.append(Step("deleted", item))
        last.inserted.append(edited)
        return True
    return False


def _own_text(found: list[blocks.Block], labelled: list[bool]) -> list[blocks.Block]:
    """``found`` as a reader of the source sees its own text: each citation and
    cross-reference a token of its keys (whatever it reads as in an edition), each note
    the source calls by a label (``labelled``: whether each call, in order, is one) empty:
    its text is its definition's, compared apart. An inline note's text stays: it is
    written in the block's own line."""
    notes = iter(labelled)

    def replace(node: blocks.Node) -> blocks.Node | None:
        keys = [key] if (key := xref.key_of(node)) is not None else \
            [c.citation_id for c in node.citations] if isinstance(node, blocks.Cite) else None
        if keys is not None:
            return blocks.Str(f"\ue0f0{' '.join(keys)}\ue0f1")
        if isinstance(node, blocks.Note) and next(notes, False):
            return blocks.Note([])
        return None

    return blocks.rewrite(found, replace)


def _figure_change(before: list[blocks.Block], after: list[blocks.Block]
                   ) -> tuple[str, str, str] | None:
    """What changed of a figure (``before`` and ``after`` one figure each): its caption, its
    alt text or both, and their texts before and after; None for anything else."""
    if len(before) != 1 or len(after) != 1 or not isinstance(before[0], blocks.Figure) \
            or not isinstance(after[0], blocks.Figure):
        return None
    (caption_was, alt_was), (caption, alt) = _figure_texts(before[0]), _figure_texts(after[0])
    name = f"figure {before[0].attr[0]!r}" if before[0].attr[0] else "figure"
    if caption_was == caption and alt_was != alt:
        return f"{name}: alt text changed", alt_was, alt
    if alt_was == alt or (alt_was == caption_was and alt == caption):
        return f"{name}: caption changed", caption_was, caption
    return (f"{name}: caption and alt text changed", f"{caption_was} (alt text: {alt_was})",
            f"{caption} (alt text: {alt})")


def _figure_texts(figure: blocks.Figure) -> tuple[str, str]:
    """A figure's caption (without its number) and its image's alt text, as plain text."""
    images = [node for node in blocks.walk(figure.content) if isinstance(node, blocks.Image)]
    alt = text_of(images[0].content) if len(images) == 1 else ""
    return text_of(xref.unlabelled(figure.caption)), alt


def _cited(found: list[blocks.Block]) -> list[str]:
    """The keys of the bibliography ``found`` cites (cross-references are not), in order."""
    return [citation.citation_id for node in blocks.walk(found)
            if isinstance(node, blocks.Cite) and not xref.is_xref(node)
            for citation in node.citations]


def _inline_ids(found: list[blocks.Block]) -> list[str]:
    """The ids written on words inside ``found`` (``[word]{#id}``, a link's or image's
    ``{#id}``), in order."""
    return [node.attr[0] for node in blocks.walk(found)
            if isinstance(node, blocks.Span | blocks.Link | blocks.Image) and node.attr[0]]


def _tight_as(block: blocks.Block, base: list[blocks.Block]) -> blocks.Block:
    """An edited definition list as compact as the source's: Word holds each definition as
    a paragraph, which would write a blank line between each term and its definition."""
    source = base[0] if len(base) == 1 else None
    if not isinstance(block, blocks.DefinitionList) or not isinstance(
            source, blocks.DefinitionList):
        return block
    firsts = [definition[0] for _, definitions in source.c for definition in definitions
              if definition]
    if not firsts or any(type(first) is not blocks.Plain for first in firsts):
        return block  # the source's are paragraphs (a blank line before each) already
    return blocks.DefinitionList([
        (term, [[blocks.Plain(part.c) if index == 0 and type(part) is blocks.Para else part
                 for index, part in enumerate(definition)] for definition in definitions])
        for term, definitions in block.c])


def _widths_as(block: blocks.Block, source: blocks.Block | None) -> blocks.Block:
    """``block``, if a table with as many columns as the table ``source``, with the source's
    column widths: a grid table is then written with its source's borders (Word gives the
    columns widths of its own)."""
    if not isinstance(block, blocks.Table) or not isinstance(source, blocks.Table) or \
            len(block.colspecs) != len(source.colspecs):
        return block
    colspecs = [(align, width) for (align, _), (_, width)
                in zip(block.colspecs, source.colspecs, strict=True)]
    return blocks.Table((block.c[0], block.c[1], colspecs, *block.c[3:]))


def _kind_of(found: list[blocks.Block]) -> str:
    """What a unit's blocks are, for the report: a list, a table, else a paragraph."""
    if len(found) == 1 and isinstance(found[0], blocks.BulletList | blocks.OrderedList):
        return "list"
    if len(found) == 1 and isinstance(found[0], blocks.DefinitionList):
        return "definition list"
    if len(found) == 1 and isinstance(found[0], blocks.Table):
        return "table"
    return "paragraph"


def _rec_entries(rec: _NewRec) -> list[tuple[str, Any]]:
    return [("id", rec.id), ("section", rec.section), ("text", rec.piece.markdown)]


def _notes(found: list[blocks.Block]) -> list[list[blocks.Block]]:
    """The content of every footnote of the source in ``found``, in order (not the notes
    citeproc made of citations: those are ``[@key]`` in the source)."""
    cited = {id(note) for node in blocks.walk(found) if isinstance(node, blocks.Cite)
             for note in node.content if isinstance(note, blocks.Note)}
    return [node.content for node in blocks.walk(found)
            if isinstance(node, blocks.Note) and id(node) not in cited]


def _images(found: list[blocks.Block]) -> list[tuple[blocks.Attr, blocks.Target]]:
    """The attributes and target of every image in ``found``, in order."""
    return [(node.attr, node.c[2]) for node in blocks.walk(found)
            if isinstance(node, blocks.Image)]


def _figures(found: list[blocks.Block]) -> list[blocks.Attr]:
    """The attributes of every figure in ``found``, in order."""
    return [node.attr for node in blocks.walk(found) if isinstance(node, blocks.Figure)]


def _figure_alts(found: list[blocks.Block]) -> list[str | None]:
    """For every figure in ``found``, in order: its image's alt text, when that is its
    caption's words (none given apart), else None."""
    alts: list[str | None] = []
    for node in blocks.walk(found):
        if not isinstance(node, blocks.Figure):
            continue
        images = [n for n in blocks.walk(node.content) if isinstance(n, blocks.Image)]
        caption = " ".join(blocks.stringify(xref.unlabelled(node.c[1][1])).split())
        alt = " ".join(blocks.stringify(images[0].content).split()) if len(images) == 1 else None
        alts.append(alt if alt == caption else None)
    return alts


def _tables(found: list[blocks.Block]) -> list[blocks.Attr]:
    """The attributes of every table in ``found``, in order."""
    return [node.attr for node in blocks.walk(found) if isinstance(node, blocks.Table)]


def _inlines_of(block: blocks.Block) -> list[blocks.Inline]:
    """The words of a heading or a paragraph."""
    return block.content if isinstance(block, blocks.Header | blocks.Plain) else []


def _heading(piece: Piece) -> str:
    """A piece as written; a rewritten heading line keeps the attribute block the source had."""
    if not piece.heading_attrs:
        return piece.markdown
    first, _, rest = piece.markdown.partition("\n")
    first = TRAILING_ATTRS.sub("", first).rstrip() + " " + piece.heading_attrs
    return f"{first}\n{rest}" if rest else first


def _ends_with_definitions(body: list[str]) -> bool:
    return bool(body) and bool(re.match(r"^ {0,3}\[[^\]]+\]:", body[-1]))


_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]]+\]:")
