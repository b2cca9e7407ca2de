"""Turn edited typed blocks into Markdown written the way the brief's source is written.

pandoc's Markdown writer is faithful but has its own habits: inline links,
``---`` for dashes, numbered footnotes at the end of its output, padded list
markers (``1.  item``), indented code blocks. A brief keeps its links as it writes
them (reference links with their definitions at the end of brief.md, or inline),
literal dashes, named footnotes, its own list markers and its code fences. So
before writing, reference links and notes are swapped for placeholders, lists for
marks around their items' blocks and fenced code for the source's fences around
the new code; after writing, each list is laid out as the source writes lists (an
item the edit left as it was keeps its lines), each reference link becomes a
reference to the definition the source already has for it (or a new one), and
each note a reference to its definition (kept, rewritten or added). A link the
source writes inline (or a new one, in a brief that writes most links inline)
pandoc writes itself. One pandoc call converts every piece.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from briefpress import pandoc
from briefpress.errors import BriefError
from briefpress.importer.align import ALIKE, likeness
from briefpress.importer.signature import PENDING_URL, normalize_url, signature
from briefpress.importer.sourcemap import (
    ListItem,
    ListStyle,
    SourceMap,
    list_styles,
    opens_item,
)
from briefpress.model import blocks, xref
from briefpress.model.ids import make_id, words_of
from briefpress.read.brief import fences, split_front_matter
from briefpress.render import docx_styles as styles

_SPLIT = "<!--briefpress-split-->"
_LINK_TOKEN = re.compile(r"\]\(briefpress-link:(\d+)\)")
_NOTE_TOKEN = re.compile("\ue030(\\d+)\ue031")
_REF_LINK = re.compile(r"(?<![!\\^])\[((?:[^\[\]]|\[[^\]]*\])*)\](?:\[([^\]]*)\]|\(([^)]*)\))?")
NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
"""A reference to a footnote in Markdown (``[^label]``), its label the group."""
# a definition the calls of a block are read with: its label's number, between these two
_CALL_MARK = ("\ue034", "\ue035")
# around each cell of a table's marked copy (:func:`_marked_cells`), written after this
_CELL_MARK = ("\ue046", "\ue047")
_CELLS_SPLIT = "<!--briefpress-cells-->"
_MARKED_CELL = re.compile(f"{_CELL_MARK[0]}(.*?){_CELL_MARK[1]}")


def note_calls(text: str) -> list[str | None]:
    """The notes a piece of source Markdown calls, in order: each labelled note's label
    (``[^label]``), None for an inline note (``^[…]``, its text in the call itself)."""
    return note_calls_of([text])[0]


def note_calls_of(texts: list[str]) -> list[list[str | None]]:
    """:func:`note_calls` of each text, as pandoc reads the brief's Markdown, in one pandoc
    call (none when no text has a note call's brackets).

    A caret and a bracket are a call only where pandoc reads one: not in a code span, not
    after a backslash, yet after an escaped backslash. So the texts are read together, each
    after a split mark, followed by a definition for every label they might call whose text
    is the label's number between two marks: each Note of a text is then a labelled call
    (its text a mark) or an inline one."""
    calls: list[list[str | None]] = [[] for _ in texts]
    wanted = [index for index, text in enumerate(texts) if "^[" in text or "[^" in text]
    if not wanted:
        return calls
    # every bracketed label is a candidate: one pandoc does not read as a call is unused
    labels = list(dict.fromkeys(label for index in wanted
                                for label in NOTE_REF.findall(texts[index])))
    marks = {f"{_CALL_MARK[0]}{number}{_CALL_MARK[1]}": label
             for number, label in enumerate(labels)}
    definitions = [f"[^{label}]: {mark}" for mark, label in marks.items()]
    parts = [*(texts[index] for index in wanted), "\n\n".join(definitions)]
    found = _calls_in(f"\n\n{_SPLIT}\n\n".join(parts), marks)
    if len(found) != len(parts):
        # a text whose raw HTML took the split mark in: each is read on its own
        found = [_calls_in(f"{text}\n\n{parts[-1]}", marks)[0] for text in parts[:-1]]
    for index, text_calls in zip(wanted, found, strict=False):
        calls[index] = text_calls
    return calls


def _calls_in(text: str, marks: dict[str, str]) -> list[list[str | None]]:
    """The note calls of each part of ``text`` between split marks (see :func:`note_calls_of`)."""
    document, _ = pandoc.parse_markdown(text)
    parts: list[list[str | None]] = [[]]

    def visit(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.RawBlock) and node.c == ("html", _SPLIT):
            parts.append([])
        elif isinstance(node, blocks.Note):
            content = node.content
            mark = content[0].c[0].c if len(content) == 1 and isinstance(
                content[0], blocks.Para) and len(content[0].c) == 1 and isinstance(
                content[0].c[0], blocks.Str) else None
            parts[-1].append(marks.get(mark) if mark is not None else None)
            # a note's own text calls nothing the block counts
            return node
        return None

    blocks.rewrite(document.blocks, visit)
    return parts


_DASHES = {"\u2014": "\ue020", "\u2013": "\ue021"}
_ABBREVIATION_NBSP = re.compile(
    r"((?:^|(?<=\W))(?:Mr|Mrs|Ms|Capt|Dr|Prof|Gen|Gov|e\.g|i\.e|Sgt|St|vol|vs|Sen|Rep|Pres|Hon|"
    r"Rev|Ph\.D|M\.D|M\.A|p|pp|ch|sec|cf|cp)\.)\u00a0")
_LITERAL_DASH = re.compile("[\u2013\u2014]")
_ASCII_DASH = re.compile(r"(?<=\w)---?(?=\w)|(?<= )---?(?= )")
# pipe tables, as briefs write them (pandoc would otherwise prefer simple tables),
# every heading with its id written out (a brief's ids are stable, never derived), and
# briefs' Markdown without TeX (pandoc.NO_TEX): a dollar sign needs no backslash
_WRITER = "markdown-simple_tables-multiline_tables-grid_tables-auto_identifiers" + pandoc.NO_TEX
# a table without a header row, which a pipe table cannot write (pandoc gives it a row of
# blank cells, which reads as no header but looks like an empty one): a grid table
_GRID_WRITER = "markdown-pipe_tables-simple_tables-multiline_tables+grid_tables" + pandoc.NO_TEX


_ANY_DASH = re.compile(f"{_ASCII_DASH.pattern}|{_LITERAL_DASH.pattern}")
_SPELT = {"--": "\u2013", "---": "\u2014", "\u2013": "\u2013", "\u2014": "\u2014"}
"""Each spelling of a dash (pandoc's `--` and `---`, or the character) -> the dash it is."""


def _dashes(text: str) -> tuple[str, list[re.Match[str]]]:
    """``text`` with each of its dashes as one character (``–`` or ``—``, however it is
    spelt), and the dashes as found in ``text``, in order."""
    found = list(_ANY_DASH.finditer(text))
    parts, at = [], 0
    for match in found:
        parts += [text[at:match.start()], _SPELT[match.group()]]
        at = match.end()
    return "".join(parts) + text[at:], found


def _places(found: list[re.Match[str]]) -> list[int]:
    """Where each dash of :func:`_dashes` stands in its text of one character a dash: its
    start, less what the spellings before it took beyond one character."""
    shift, places = 0, []
    for match in found:
        places.append(match.start() - shift)
        shift += len(match.group()) - 1
    return places


def _dashes_as_in(written: str, source: str) -> str:
    """``written`` with each dash that stands where the same dash stood in ``source``, the
    text around it unchanged, spelt as ``source`` spelt it: a paragraph that mixes `--` and
    `–` keeps each of its untouched dashes as it was, whichever spelling the piece's new
    dashes take. The two texts are aligned character by character with their dashes as one
    character each (difflib, as :func:`~briefpress.importer.align.likeness` compares);
    a dash in changed text keeps the spelling it was written with."""
    plain, found = _dashes(written)
    base, base_found = _dashes(source)
    base_at = dict(zip(_places(base_found), base_found, strict=True))
    respelt = {}
    matcher = difflib.SequenceMatcher(None, plain, base, autojunk=False)
    for index, match in zip(_places(found), found, strict=True):
        for start, base_start, size in matcher.get_matching_blocks():
            if start <= index < start + size:
                other = base_at.get(base_start + index - start)
                if other is not None and other.group() != match.group():
                    respelt[match.start()] = (match.end(), other.group())
                break
    if not respelt:
        return written
    parts, at = [], 0
    for start, (end, spelling) in sorted(respelt.items()):
        parts += [written[at:start], spelling]
        at = end
    return "".join(parts) + written[at:]


def _spells_dashes_literally(markdown: str, otherwise: bool) -> bool:
    """Whether ``markdown`` writes more of its dashes as the characters (– —) than as
    pandoc's `--` and `---`; ``otherwise`` if it has as many of each (none, say)."""
    literal, ascii_ = len(_LITERAL_DASH.findall(markdown)), len(_ASCII_DASH.findall(markdown))
    return otherwise if literal == ascii_ else literal > ascii_


class Piece(Struct):
    """One thing to write: blocks (or a paragraph's inlines) and the source they replace."""

    blocks: list[blocks.Block]
    inline: bool = False
    """Write only the inlines of a single paragraph (headings, YAML values)."""
    context: str = ""
    """The source text the piece replaces (to reuse its link labels and note labels)."""
    base_notes: list[list[blocks.Block]] = field(default_factory=list)
    """The notes (blocks) of the source the piece replaces, in order."""
    base_images: list[tuple[blocks.Attr, blocks.Target]] = field(default_factory=list)
    """The images (attributes, target) of the source the piece replaces, in order: Word
    renames them ``media/rIdN.png`` and drops their ids and widths."""
    base_figures: list[blocks.Attr] = field(default_factory=list)
    """The attributes of the source's figures, in order (their ids)."""
    base_figure_alts: list[str | None] = field(default_factory=list)
    """For each of the source's figures, in order: the words of its image's alt text when
    they are its caption's (``![Caption](file)``, no ``alt=``), else None. Word keeps that
    alt text as the picture's description when the editor changes the caption, and it
    then follows the new caption rather than staying behind as an ``alt=``."""
    base_figure_images: list[int | None] = field(default_factory=list)
    """For each of the source's figures, in order: the index in ``base_images`` of its one
    image (:func:`figure_images`). Word reads a figure whose caption the editor deleted
    as a picture alone in its paragraph: by it the figure keeps its id."""
    base_tables: list[blocks.Attr] = field(default_factory=list)
    """The attributes of the source's tables, in order (their ids, ``{#tbl-x}``, which Word
    does not keep on a table)."""
    base_links: list[tuple[str, str, str]] = field(default_factory=list)
    """The links of the source the piece replaces, in order (:func:`links_of`: the words,
    address and title of each): a link whose words the editor changed is known by its
    address, and Word keeps no title."""
    link_forms: str | None = None
    """The source text whose links' forms the piece's links follow, when it is not
    ``context``: a note's (its definition, or the text an inline note stands in)."""
    heading_attrs: str | None = None
    """For a heading: the ``{#id …}`` block of the source line, kept as written."""
    markdown: str = ""
    """The piece as written (:meth:`MarkdownWriter.write_pieces`)."""
    items: list[ListItem] = field(default_factory=list)
    """For a piece that is one list: the items of the source's list it replaces, as
    written (with as many items, each edited item takes its item's marker)."""
    kept: list[int | None] = field(default_factory=list)
    """For each item of the piece's list: the index in ``items`` of the source's item it
    reads as, which keeps its lines as written (its number, if the list counts, then
    follows the item's place), or None."""
    column: int = 0
    """The indentation of the source list's markers (with ``items``)."""
    grid: bool = False
    """Write a table without a header row as a grid table (:meth:`MarkdownWriter._grid`),
    as the writer's ``grid_headerless`` does: for a piece that replaces such a table of
    the source, which brief.md writes as a grid table."""
    cells: list[list[str]] = field(default_factory=list)
    """For a piece that is one pipe table replacing one of the source's tables: each row's
    cells (the header row's first) as written in it, without pandoc's padding
    (:meth:`MarkdownWriter.write_pieces`): an edited row is laid out as the source lays
    out its rows (:func:`as_source`)."""


class Definitions(Struct):
    """Definitions to add, replace or drop at the end of brief.md."""

    new_links: dict[str, str] = field(default_factory=dict)
    """label -> URL ("" for a link whose target is not known yet)."""
    notes: dict[str, str | None] = field(default_factory=dict)
    """label -> Markdown of the note (None: drop the definition, unless the source calls
    the note in more places than ``dropped_calls`` counts)."""
    dropped_calls: dict[str, int] = field(default_factory=dict)
    """label -> how many of the source's calls of the note the import took away."""
    new_notes: dict[str, str] = field(default_factory=dict)
    retarget: dict[str, str] = field(default_factory=dict)
    """label -> new URL of a link definition whose one link the editor pointed elsewhere."""


class MarkdownWriter:
    """Writes pieces in the style of one brief's source."""

    def __init__(self, smap: SourceMap, markdown: str, api_version: list[int],
                 grid_headerless: bool = False) -> None:
        self.smap = smap
        self.grid_headerless = grid_headerless
        """Write a table without a header row as a grid table (:meth:`_grid`), not as a
        pipe table under a row of blank cells: a Word file's new brief, which has no
        tables of its own to follow."""
        self.markdown = markdown
        self.api = api_version
        # a source that spells dashes `---` and `--` gets them back that way
        self.literal_dashes = _spells_dashes_literally(markdown, True)
        self.definitions = Definitions()
        self.media: dict[str, str] = {}
        """Images the editor added: pandoc's name (``media/rId9.png``) -> file name to write."""
        self.taken: set[str] = set()
        """File names already in the brief's folder."""
        self._labels = {label.casefold() for label in smap.links} | \
            {label.casefold() for label in smap.notes}
        self._calls: dict[str, list[str | None]] = {}
        self._forms: dict[str, list[tuple[str, str, str]]] = {}
        # a link new in Word follows the brief's own habit: inline where the brief writes
        # more of its links inline than as references, else a reference (and a definition)
        forms = [form for _, label, form in _link_forms(_body(markdown))
                 if form == "inline" or label.casefold() in smap.links]
        self.inline_links = forms.count("inline") > len(forms) - forms.count("inline")
        self._list_styles: dict[str, dict[tuple[bool, int], ListStyle]] = {}
        self.uncaptioned: list[str] = []
        """The ids of the source's figures whose caption the editor deleted: each is
        written as its image with the figure's id, which is no figure to pandoc."""

    def learn_calls(self, texts: list[str]) -> None:
        """Read which notes each of ``texts`` calls, those not read yet in one pandoc call
        (:meth:`note_calls` then answers from memory)."""
        new = list(dict.fromkeys(text for text in texts if text not in self._calls))
        self._calls.update(zip(new, note_calls_of(new), strict=True))

    def note_calls(self, text: str) -> list[str | None]:
        """:func:`note_calls` of ``text``, read once."""
        if text not in self._calls:
            self.learn_calls([text])
        return self._calls[text]

    def write_pieces(self, pieces: list[Piece]) -> None:
        """Write every piece, in one pandoc call, into its ``markdown`` (and a table's
        cells into its ``cells``)."""
        for piece, (text, cells) in zip(pieces, self._write(pieces), strict=True):
            piece.markdown, piece.cells = text, cells

    def write(self, pieces: list[Piece]) -> list[str]:
        """Markdown of each piece, in one pandoc call."""
        return [text for text, _ in self._write(pieces)]

    def _write(self, pieces: list[Piece]) -> list[tuple[str, list[list[str]]]]:
        if not pieces:
            return []
        # the notes the source of every piece calls, read together
        self.learn_calls([piece.context for piece in pieces])
        body: list[blocks.Block] = []
        links: list[list[tuple[str, str]]] = []
        notes: list[list[list[blocks.Block]]] = []
        lists: list[list[_List]] = []
        for piece in pieces:
            content = piece.blocks
            if piece.inline:
                content = [blocks.Plain(_inlines_of(content))]
            piece_links: list[tuple[str, str]] = []
            piece_notes: list[list[blocks.Block]] = []
            # a rewritten copy: the piece's blocks are the edited document's, left as they are
            content = self._prepare(content, piece, piece_links, piece_notes)
            # a table that replaces one of the source's is written a second time, its
            # cells marked, after the piece: its rows' cells as pandoc writes them, which
            # the piece's finish (links, notes) turns as it turns the table's
            marked = _marked_cells(content) if piece.base_tables else None
            piece_lists: list[_List] = []
            content = _flatten(content, piece_lists, 0)
            body.append(blocks.RawBlock(("markdown", _SPLIT)))
            body.extend(content)
            if marked is not None:
                body += [blocks.RawBlock(("markdown", _CELLS_SPLIT)), marked]
            links.append(piece_links)
            notes.append(piece_notes)
            lists.append(piece_lists)
        body.append(blocks.RawBlock(("markdown", _SPLIT)))
        document = blocks.document(body, self.api)
        written = pandoc.convert(document, _WRITER, ["--wrap=none"]).split(_SPLIT)[1:-1]
        found = []
        for text, piece, piece_links, piece_notes, piece_lists in zip(
                written, pieces, links, notes, lists, strict=True):
            text, _, marked = self._finish(self._lay_out(
                text.strip("\n"), piece, piece_lists), piece, piece_links,
                piece_notes).partition(_CELLS_SPLIT)
            found.append((text.strip("\n"), _cells_of(marked)))
        return found

    # -- before writing --------------------------------------------------------------------

    def _prepare(self, content: list[blocks.Block], piece: Piece,
                 links: list[tuple[str, str]],
                 notes: list[list[blocks.Block]]) -> list[blocks.Block]:
        image_at = 0  # the next of the source's images
        figures_left = list(range(len(piece.base_figures)))
        tables = iter(piece.base_tables)
        code_fences = iter(_paired_fences(_codes(content), _fences(piece.context)))
        # the dashes as the text the piece replaces spells them, else as the brief does
        literal_dashes = _spells_dashes_literally(piece.context, self.literal_dashes)

        inline_here = False  # within a grid table, whose columns a placeholder would shift

        def fix(value: Any) -> Any:
            return blocks.rewrite(value, replace)

        def placeholder(phrase: list[blocks.Inline], url: str) -> blocks.Link:
            links.append((blocks.stringify(phrase), url))
            target = f"briefpress-link:{len(links) - 1}"
            return blocks.Link((blocks.attr(), fix(phrase), (target, "")))

        def replace(node: blocks.Node) -> blocks.Node | list[blocks.Node] | None:
            nonlocal inline_here
            if (key := xref.key_of(node)) is not None:
                return xref.cite(key)  # a cross-reference is written back as @fig-x
            if isinstance(node, blocks.Span) and xref.LABEL_CLASS in node.attr[1]:
                return []  # a caption's number: every edition writes it from the model
            if isinstance(node, blocks.Link):
                url = "" if node.url == PENDING_URL else node.url
                title = node.c[2][1] if inline_here and url else \
                    self._inline_title(node, url, piece)
                if title is not None:  # pandoc writes it: `[phrase](url)`, `<url>`
                    return blocks.Link((blocks.attr(), fix(node.content), (url, title)))
                return placeholder(node.content, url)
            if isinstance(node, blocks.Span):
                if dict(node.attr[2]).get("custom-style") == styles.LINK_WITHOUT_TARGET:
                    return placeholder(node.content, "")
                return blocks.Span((blocks.attr(), fix(node.content)))
            if isinstance(node, blocks.Note):
                notes.append(node.content)
                return blocks.Str(f"\ue030{len(notes) - 1}\ue031")
            if isinstance(node, blocks.Plain) and len(node.content) == 1 and \
                    isinstance(node.content[0], blocks.Image):  # Plain or Para
                # a picture alone: the image of one of the source's figures, its caption
                # deleted, keeps the figure's id (a figure to Word, no figure to pandoc)
                figure = next((index for index in figures_left
                               if index < len(piece.base_figure_images)
                               and piece.base_figure_images[index] == image_at), None)
                if figure is not None:
                    figures_left.remove(figure)
                    image = fix(node.content)[0]
                    return self._uncaptioned(piece.base_figures[figure], image)
            if isinstance(node, blocks.Image):
                nonlocal image_at
                attr, target = node.attr, node.c[2]
                base = piece.base_images[image_at] if image_at < len(piece.base_images) \
                    else None
                image_at += 1
                if base is not None:
                    attr, target = base
                elif not target[0].startswith(("http://", "https://")):
                    target = (self._media_name(target[0]), target[1])
                return blocks.Image((attr, fix(node.content), target))
            if isinstance(node, blocks.Table):
                attr = next(tables, None) or node.attr
                short, caption = node.c[1]
                grid = self._grid(node, piece)
                inline_here = grid
                table = blocks.Table((attr, (short, fix(xref.unlabelled(caption))),
                                      *fix(list(node.c[2:]))))
                inline_here = False
                if grid:
                    return blocks.RawBlock(("markdown", pandoc.convert(
                        blocks.document([table], self.api), _GRID_WRITER).rstrip("\n")))
                return table
            if isinstance(node, blocks.Figure):
                figure = figures_left.pop(0) if figures_left else None
                attr = piece.base_figures[figure] if figure is not None else node.attr
                short, caption = node.c[1]
                caption = fix(xref.unlabelled(caption))
                content = fix(node.content)
                base_alt = piece.base_figure_alts[figure] if figure is not None and \
                    figure < len(piece.base_figure_alts) else None
                if not blocks.stringify(caption).strip():
                    return self._uncaptioned(attr, content[0].content[0]) \
                        if _image_alt(content) is not None else \
                        blocks.Figure((attr, (short, caption), content))
                # None is no alt to follow (a figure the source lacks, or one of another
                # alt): the content is then not one image, or its alt text is its own
                if base_alt is not None and _image_alt(node.content) == base_alt:
                    content = _alt_as_caption(content, caption)
                return blocks.Figure((attr, (short, caption), content))
            if isinstance(node, blocks.CodeBlock):
                # the source's fence (its backticks or tildes, their number, its info string
                # and attributes, which Word does not keep); pandoc would indent the code
                fence = next(code_fences, None)
                if fence is None:
                    return None
                return blocks.RawBlock(("markdown", _fenced(node.text, *fence)))
            if isinstance(node, blocks.Str):
                text = _ABBREVIATION_NBSP.sub(r"\1 ", node.c)
                if literal_dashes:
                    for dash, token in _DASHES.items():
                        text = text.replace(dash, token)
                return blocks.Str(text)
            return None

        return fix(content)

    def _grid(self, table: blocks.Table, piece: Piece) -> bool:
        """Whether to write ``table`` as a grid table: with :attr:`grid_headerless` (or the
        piece's :attr:`Piece.grid`), a table without a header row whose columns have their
        widths (a Word table's, or its source's), and no note in it. A grid table reads
        back as the same table (its widths too, its cells' words wrapped within their
        columns, as pandoc wraps them at its 72 columns); a pipe table can write it only
        under a row of blank cells. Its links are written inline (``[words](url)``), by
        pandoc, since a reference's label, put in after writing, would shift the columns; a
        note, written the same way, stays in a pipe table."""
        return (self.grid_headerless or piece.grid) and not table.c[3][1] and any(
            isinstance(width, blocks.ColWidth) for _, width in table.colspecs) and not any(
            isinstance(node, blocks.Note) for node in blocks.walk(table))

    def _uncaptioned(self, attr: blocks.Attr, image: blocks.Image) -> blocks.Figure:
        """A figure of the source (its attributes ``attr``) whose caption the editor
        deleted: its image with the figure's id. pandoc's Markdown has no figure without a
        caption: pandoc writes ``![](file){#fig-x alt="…"}``, an image that keeps the id
        (an in-page link to it still leads there) and its description (Word keeps the
        picture's, which was the caption's words), numbered no more."""
        if attr[0]:
            self.uncaptioned.append(attr[0])
        return blocks.Figure((attr, (None, []), [blocks.Plain([image])]))

    # -- lists -----------------------------------------------------------------------------

    def _lay_out(self, text: str, piece: Piece, lists: list[_List]) -> str:
        """``text`` with its lists, which :func:`_flatten` wrote as marks around their items'
        blocks, laid out as brief.md writes lists: its markers, their spacing and the
        indentation of items' lines; an item of the source's list the edit left as it was
        keeps its lines as written."""
        if not lists:
            return text
        lines = text.split("\n")
        at = 0
        opened = iter(lists)

        def sequence() -> list[str | _Laid]:
            nonlocal at
            parts: list[str | _Laid] = []
            chunk: list[str] = []

            def flush() -> None:
                words = "\n".join(chunk).strip("\n")
                if words:
                    parts.append(words)
                chunk.clear()

            while at < len(lines) and lines[at] not in (_ITEM, _CLOSE):
                if lines[at] == _OPEN:
                    flush()
                    at += 1
                    parts.append(laid_list(next(opened)))
                else:
                    chunk.append(lines[at])
                    at += 1
            flush()
            return parts

        def laid_list(info: _List) -> _Laid:
            nonlocal at
            markers: list[str] = []
            while lines[at] not in (_ITEM, _CLOSE):
                if _SLOT in lines[at]:  # the marker pandoc wrote for the item: its number
                    markers.append(lines[at].split(_SLOT)[0].strip())
                at += 1
            items: list[list[str | _Laid]] = []
            while lines[at] == _ITEM:
                at += 1
                items.append(sequence())
            at += 1  # the list's end
            return _Laid(info, markers, items)

        return self._joined(sequence(), piece, top=True)

    def _joined(self, parts: list[str | _Laid], piece: Piece, top: bool = False,
                tight: bool = False, near: str = "") -> str:
        """The parts of the piece (``top``) or of one item (``near``: the source's item it
        stands for, as written, whose lists it follows first), one after the other."""
        text = ""
        for index, part in enumerate(parts):
            if isinstance(part, str):
                text += ("\n\n" if index else "") + part
                continue
            laid = self._laid_list(part, piece, top, near)
            if not index:
                text = laid
                continue
            style = self._style(piece, part.info.ordered, part.info.depth, near)
            if isinstance(parts[index - 1], _Laid):
                # two lists one right after the other would read as one (pandoc's own way)
                text += "\n\n<!-- -->\n\n" + laid
                continue
            if top:
                text += "\n\n" + laid
                continue
            # a blank line in a tight list's item would loosen it: only a loose one may
            # have the source's way
            blank = not tight and style.nest_blank is not False
            text += ("\n\n" if blank else "\n") + _indented(laid, style.nest, first=True)
        return text

    def _laid_list(self, laid: _Laid, piece: Piece, top: bool, near: str = "") -> str:
        info = laid.info
        style = self._style(piece, info.ordered, info.depth, near)
        # the piece's own list: the source's items, as written
        source = piece.items if top else []
        same_shape = bool(source) and len(source) == len(laid.items)
        written: list[str] = []
        for index, parts in enumerate(laid.items):
            if same_shape:
                marker, gap = source[index].marker, source[index].gap
            elif not info.ordered:
                marker, gap = style.bullet, style.gap
            else:
                marker = laid.markers[0 if style.same else index]
                gap = style.gap
            origin = piece.kept[index] if source and index < len(piece.kept) else None
            if origin is not None:
                item = source[origin]
                if not info.ordered or item.marker == marker:
                    written.append(item.text)
                    continue
                # its number follows its new place, its words stay in their column (if they
                # cannot and it has more lines, whose column they are, it is written anew)
                width = len(item.marker) + item.gap
                moved_gap = _gap(marker, width - len(marker), item.text[width:])
                if len(marker) + moved_gap == width or "\n" not in item.text:
                    written.append(f"{marker}{' ' * moved_gap}{item.text[width:]}")
                    continue
            body = self._joined(parts, piece, tight=info.tight,
                                near=source[index].text if same_shape else near).split("\n")
            gap = _gap(marker, gap, body[0])
            first = f"{marker}{' ' * gap}{body[0]}" if body[0] else marker
            rest = _indented("\n".join(body[1:]), len(marker) + gap, first=True)
            written.append(f"{first}\n{rest}" if len(body) > 1 else first)
        text = ("\n" if info.tight else "\n\n").join(written)
        return _indented(text, piece.column, first=True) if source else text

    def _style(self, piece: Piece, ordered: bool, depth: int, near: str = "") -> ListStyle:
        """How the source writes a list of this kind at this depth: as the item ``near``
        does (the source's item an edited one stands for), as the list the piece replaces
        does, else as the brief's first such list, else ``-`` and ``1.``."""
        item = self._styles_of(near)
        own = self._styles_of(piece.context)
        whole = self._styles_of(_body(self.markdown))
        for found, at in ((item, depth), (own, depth), (whole, depth), (own, 0), (whole, 0)):
            if (ordered, at) in found:
                return found[(ordered, at)]
        return ListStyle()

    def _styles_of(self, text: str) -> dict[tuple[bool, int], ListStyle]:
        if text not in self._list_styles:
            self._list_styles[text] = list_styles(text)
        return self._list_styles[text]

    # -- after writing ---------------------------------------------------------------------

    def _finish(self, text: str, piece: Piece, links: list[tuple[str, str]],
                notes: list[list[blocks.Block]]) -> str:
        for dash, token in _DASHES.items():
            text = text.replace(token, dash)
        if _LITERAL_DASH.search(piece.context) and _ASCII_DASH.search(piece.context):
            # a source of both spellings (a table's marked copy respelt on its own)
            text = _CELLS_SPLIT.join(_dashes_as_in(part, piece.context)
                                     for part in text.split(_CELLS_SPLIT))
        used = _source_links(piece.context if piece.link_forms is None else piece.link_forms)
        kept = {" ".join(phrase.split()).casefold() for phrase, _ in links}
        labels: dict[int, str] = {}  # a link of a table's marked copy is written twice

        def link(match: re.Match[str]) -> str:
            number = int(match.group(1))
            phrase, url = links[number]
            if number not in labels:
                labels[number] = self._label_for(phrase, url, [(p, la) for p, la, _ in used],
                                                 kept)
            label = labels[number]
            key = " ".join(phrase.split()).casefold()
            # the source's own form of this link: `[phrase]` or `[phrase][]` (a shortcut
            # before "(", "[" or ":" would read as another link or a definition)
            form = next((f for p, la, f in used if p == key and la == label), "full")
            if form == "shortcut" and match.string[match.end():match.end() + 1] in ("(", "[",
                                                                                    ":"):
                form = "full"
            return {"shortcut": "]", "collapsed": "][]"}.get(form, f"][{label}]")

        text = _LINK_TOKEN.sub(link, text)
        if notes or NOTE_REF.search(piece.context):
            # also when the piece has no note left: the definitions of those it had go
            text = self._notes(text, piece, notes)
        return text

    def _inline_title(self, link: blocks.Link, url: str, piece: Piece) -> str | None:
        """The title to write ``link`` inline with, or None to write it as a reference.

        Inline, as the source wrote it: the source's link of these words (or, its words
        edited, the source's link to this address) was inline, whatever its address now;
        an autolink (``<url>``) too. A link new to the piece: a reference if the brief
        defines its address (or it has none yet: ``[phrase]: <>``), else inline if it leads
        to a place in the brief (``#id``), else the brief's habit (:attr:`inline_links`).
        Word keeps no title: the source's link's title stays."""
        if not url:
            return None
        forms = self._forms_of(piece.context if piece.link_forms is None
                               else piece.link_forms)
        key = _key(blocks.stringify(link.content))
        wanted = normalize_url(url)
        source = next(((p, u, t) for p, u, t in piece.base_links if p == key), None) or \
            next(((p, u, t) for p, u, t in piece.base_links if normalize_url(u) == wanted),
                 None)
        form = next((f for p, _, f in forms if p == key), None)
        if form is None and source is not None:
            form = next((f for p, _, f in forms if p == source[0]), None)
            if form is None and source[0] == _key(source[1]):
                form = "inline"  # `<url>`, which no bracket shows
        if form is None:
            defined = any(d.url and normalize_url(d.url) == wanted
                          for d in self.smap.links.values())
            # a link to a place in the brief (`[Fig. 1](#fig-x)`) is inline as the docs
            # write in-page links; any other follows the brief's habit
            form = "inline" if (self.inline_links or url.startswith("#")) and not defined \
                else "full"
        if form != "inline":
            return None
        return link.c[2][1] or (source[2] if source is not None else "")

    def _forms_of(self, text: str) -> list[tuple[str, str, str]]:
        if text not in self._forms:
            self._forms[text] = _link_forms(text)
        return self._forms[text]

    def _label_for(self, phrase: str, url: str, used: list[tuple[str, str]],
                   kept: set[str] | None = None) -> str:
        """The reference label of a link: the one the source used, an existing one, or new.
        ``kept`` holds the phrases of the piece's links now (a label given to an edited link
        still to be found adds its source phrase)."""
        wanted = normalize_url(url) if url else ""
        key = " ".join(phrase.split()).casefold()
        for source_phrase, label in used:
            definition = self.smap.links.get(label.casefold())
            target = normalize_url(definition.url) if definition and definition.url else ""
            if source_phrase == key and target == wanted:
                return label
        if not url and kept is not None:
            # a link still to be found whose words were edited has no address to be known
            # by: it is the piece's one whose phrase is gone, the likeliest if many
            gone = [(source_phrase, label) for source_phrase, label in used
                    if source_phrase not in kept and (definition := self.smap.links.get(
                        label.casefold())) is not None and not definition.url.strip()]
            if gone:
                source_phrase, label = max(gone, key=lambda found: difflib.SequenceMatcher(
                    None, found[0], key, autojunk=False).ratio())
                kept.add(source_phrase)
                return label
        for source_phrase, label in used:
            # the same phrase, a new address: if no other link uses the label, its
            # definition takes the new address (a new label would leave the old one dangling)
            if source_phrase == key and label.casefold() in self.smap.links and \
                    self._uses(label) == 1 and label not in self.definitions.retarget:
                self.definitions.retarget[label] = url
                return label
        for definition in self.smap.links.values():
            target = normalize_url(definition.url) if definition.url else ""
            if target == wanted and (url or definition.label.casefold() == _slug(phrase)):
                return definition.label
        for label, target in self.definitions.new_links.items():
            if (normalize_url(target) if target else "") == wanted and \
                    (url or label == _slug(phrase)):
                return label
        label = self._new_label(_slug(phrase) or "link")
        self.definitions.new_links[label] = url
        return label

    def _uses(self, label: str) -> int:
        """How many links of the source refer to ``label``."""
        pattern = re.compile(r"\]\[" + re.escape(label) + r"\]|\[" + re.escape(label) +
                             r"\](?![\[(:])", re.IGNORECASE)
        return len(pattern.findall(self.markdown))

    def _notes(self, text: str, piece: Piece, notes: list[list[blocks.Block]]) -> str:
        # the n-th note stands where the source's n-th call stood: inline or labelled as
        # that call was; a note past them is inline in a paragraph of inline notes only
        calls = self.note_calls(piece.context)
        inline = bool(calls) and all(call is None for call in calls)
        sources: list[Piece] = []
        for number, note in enumerate(notes):
            call = calls[number] if number < len(calls) else None
            base = piece.base_notes[number] if number < len(piece.base_notes) else []
            definition = self.smap.notes.get(call) if call is not None else None
            # a labelled note's links are written as its definition writes them; an inline
            # one's (and a new one's) as the piece's text does
            context = self.smap.text((definition.start, definition.end)) \
                if definition is not None else piece.context
            sources.append(Piece(note, link_forms=context, base_links=links_of(base)))
        bodies = self.write_notes(notes, sources) if notes else []
        references: dict[int, str] = {}
        for number, note in enumerate(notes):
            call = calls[number] if number < len(calls) else None
            if call is None and (number < len(calls) or inline):
                references[number] = f"^[{bodies[number]}]"
                continue
            if call is not None:
                label = call
                base = piece.base_notes[number] if number < len(piece.base_notes) else None
                if base is None or signature(base) != signature(note):
                    self.definitions.notes[label] = bodies[number]
            else:
                label = self._note_label(note)
                self.definitions.new_notes[label] = bodies[number]
            references[number] = f"[^{label}]"
        self.drop_calls([label for label in calls[len(notes):] if label is not None])
        return _NOTE_TOKEN.sub(lambda m: references[int(m.group(1))], text)

    def drop_calls(self, labels: list[str]) -> None:
        """Record that the import took away these calls of the source's labelled notes (a
        label a call): their definitions go, unless another call of the note stays
        (:attr:`Definitions.notes`)."""
        for label in labels:
            self.definitions.notes[label] = None
            self.definitions.dropped_calls[label] = \
                self.definitions.dropped_calls.get(label, 0) + 1

    def write_notes(self, notes: list[list[blocks.Block]],
                    sources: list[Piece] | None = None) -> list[str]:
        """Markdown of footnote bodies, continuation lines indented as a definition needs
        (a blank line between its paragraphs stays empty). ``sources``: for each note, a
        piece with what the source had (its text, as :attr:`Piece.link_forms`; its links)."""
        pieces = [Piece(body, link_forms=source.link_forms, base_links=source.base_links)
                  for body, source in zip(notes, sources, strict=True)] if sources \
            else [Piece(body) for body in notes]
        return [_indented(text, 4) for text in self.write(pieces)]

    def _media_name(self, src: str) -> str:
        """Where an image the editor added will live in the brief's folder."""
        if src not in self.media:
            suffix = re.sub(r"[^a-z0-9]", "", src.rsplit(".", 1)[-1].lower())[:5] \
                if "." in src else "bin"
            number = len(self.media) + 1
            while f"image-{number}.{suffix}" in self.taken:
                number += 1
            self.media[src] = f"image-{number}.{suffix}"
            self.taken.add(self.media[src])
        return self.media[src]

    def _note_label(self, note: list[blocks.Block]) -> str:
        """A label for a note new in Word, as the brief labels its notes: named from its
        first words as ids are (``[^drought-clauses-in-treaties]``) in a brief that names
        more of its notes than it numbers (``[^transits]``), else the next number free."""
        labels = list(self.smap.notes)
        named = sum(not label.isdigit() for label in labels)
        if named > len(labels) - named:
            label = make_id(blocks.stringify(note), self._labels, words=4, fallback="note")
            self._labels.add(label.casefold())
            return label
        number = len(labels) + len(self.definitions.new_notes) + 1
        while str(number) in self._labels:
            number += 1
        self._labels.add(str(number))
        return str(number)

    def _new_label(self, wanted: str) -> str:
        label, number = wanted, 2
        while label.casefold() in self._labels:
            label = f"{wanted}-{number}"
            number += 1
        self._labels.add(label.casefold())
        return label


# a list is written as these marks around its items' blocks, each item's blocks after an
# item mark, and after the list's mark a list of the same kind holding a slot per item, so
# that pandoc writes each item's number in the list's style: :meth:`MarkdownWriter._lay_out`
# then lays the list out as the source writes lists (pandoc pads markers: `1.  item`)
_OPEN = "<!--briefpress-list-->"
_ITEM = "<!--briefpress-item-->"
_CLOSE = "<!--briefpress-list-end-->"
_SLOT = "\ue036"


class _List(Struct):
    """A list of a piece, written as marks (:func:`_flatten`)."""

    ordered: bool
    tight: bool
    depth: int


class _Laid(Struct):
    """A list read back from the marks: pandoc's marker for each item, each item's parts
    (its blocks as written, its lists)."""

    info: _List
    markers: list[str]
    items: list[list[str | _Laid]]


def _flatten(content: list[blocks.Block], lists: list[_List], depth: int
             ) -> list[blocks.Block]:
    """``content`` with each list in it (and in its items, at any depth) as marks around its
    items' blocks; ``lists`` gets each list, in the order pandoc writes them."""
    out: list[blocks.Block] = []
    for block in content:
        if not isinstance(block, blocks.BulletList | blocks.OrderedList):
            out.append(block)
            continue
        items = block.items
        lists.append(_List(isinstance(block, blocks.OrderedList), not any(
            type(part) is blocks.Para for item in items for part in item), depth))
        slots = [[blocks.Plain([blocks.Str(_SLOT)])] for _ in items]
        out.append(blocks.RawBlock(("markdown", _OPEN)))
        out.append(blocks.OrderedList((block.c[0], slots))
                   if isinstance(block, blocks.OrderedList) else blocks.BulletList(slots))
        for item in items:
            out.append(blocks.RawBlock(("markdown", _ITEM)))
            out.extend(_flatten(item, lists, depth + 1))
        out.append(blocks.RawBlock(("markdown", _CLOSE)))
    return out


def _gap(marker: str, wanted: int, words: str = "x") -> int:
    """The spaces after ``marker`` before ``words`` (an item's first line): ``wanted``, but
    at least as many as pandoc needs to read an item there (:func:`.sourcemap.opens_item`:
    ``B. Russell`` is no list item to pandoc, ``B.  Russell`` is)."""
    gap = max(wanted, 1)
    while not opens_item(marker, " " * gap, words or "x"):
        gap += 1
    return gap


def _body(markdown: str) -> str:
    """brief.md without its front matter (whose YAML lists are no Markdown lists)."""
    try:
        return split_front_matter(markdown, Path("brief.md"))[1]
    except BriefError:  # no front matter, or one never closed: all of it is body
        return markdown


def _codes(content: list[blocks.Block]) -> list[str]:
    """The text of each code block of ``content`` that the piece's own text writes, in
    order (a note's are written with the note)."""
    codes: list[str] = []

    def visit(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.CodeBlock):
            codes.append(node.text)
        return node if isinstance(node, blocks.Note | blocks.CodeBlock) else None

    blocks.rewrite(content, visit)
    return codes


def _indented(text: str, width: int, first: bool = False) -> str:
    """``text`` with every line but the first (all, ``first``) moved right by ``width``
    spaces; blank lines stay empty."""
    lines = text.split("\n")
    return "\n".join(line if not line.strip() or (index == 0 and not first)
                     else " " * width + line for index, line in enumerate(lines))


def _inlines_of(found: list[blocks.Block]) -> list[blocks.Inline]:
    """The inlines of the first paragraph found in ``found`` (looking into Divs)."""
    for block in found:
        if isinstance(block, blocks.Plain | blocks.Header):  # Plain, Para or Header
            return block.content
        if isinstance(block, blocks.Div):
            inlines = _inlines_of(block.content)
            if inlines:
                return inlines
    return []


def _fences(text: str) -> list[tuple[str, str, str]]:
    """Each fenced code block in a piece of source Markdown, in order: its opening fence's
    marker (three or more backticks or tildes) and what follows it (the info string or
    attributes), and its code (each line stripped). Indented fences count too: a list
    item's or a note's code."""
    lines = text.split("\n")
    return [(fence.marker, fence.info,
             "\n".join(line.strip() for line in lines[fence.start + 1:fence.end]))
            for fence in fences(lines, indented=True)]


def _paired_fences(codes: list[str], found: list[tuple[str, str, str]]
                   ) -> list[tuple[str, str] | None]:
    """For each code block of an edited piece (``codes``, their text in order): the fence
    (marker, info string) of the source's code block it stands for, among ``found``
    (:func:`_fences`), or None. Paired by likeness of code first (a block deleted in Word
    leaves the next its own fence, not the deleted one's), the rest in order."""
    pairs: list[tuple[str, str] | None] = [None] * len(codes)
    stripped = ["\n".join(line.strip() for line in code.split("\n")) for code in codes]
    alike = sorted(((likeness(code, source[2]), index, at)
                    for index, code in enumerate(stripped)
                    for at, source in enumerate(found)), key=lambda t: (-t[0], t[1], t[2]))
    taken: set[int] = set()
    for ratio, index, at in alike:
        if ratio >= ALIKE and pairs[index] is None and at not in taken:
            pairs[index] = found[at][:2]
            taken.add(at)
    left = (source[:2] for at, source in enumerate(found) if at not in taken)
    return [pair if pair is not None else next(left, None) for pair in pairs]


def _fenced(code: str, marker: str, rest: str) -> str:
    """``code`` between fences like the source's: its opening one (``marker`` and
    ``rest``) kept, the closing one as long; longer both if a line of the code would
    close it."""
    inner = [len(line.strip()) for line in code.split("\n")
             if line.strip() and set(line.strip()) == {marker[0]}]
    if inner and max(inner) >= len(marker):
        marker = marker[0] * (max(inner) + 1)
    return f"{marker}{rest}\n{code}\n{marker}"


def _source_links(text: str) -> list[tuple[str, str, str]]:
    """(phrase, label, form) of each reference link in a piece of source Markdown, in order:
    its form ``full`` (``[phrase][label]``), ``collapsed`` (``[phrase][]``) or ``shortcut``
    (``[phrase]``); a phrase with formatting counts as ``full`` (written again, its
    markup may differ from the label's)."""
    return [found for found in _link_forms(text) if found[2] != "inline"]


def _link_forms(text: str) -> list[tuple[str, str, str]]:
    """(phrase, label, form) of each link in a piece of source Markdown, in order: the
    reference links of :func:`_source_links` and the inline ones (``[phrase](url)``, form
    ``inline``, no label); a definition (``[label]: url``) is none."""
    found = []
    for match in _REF_LINK.finditer(text):
        phrase, label, inline = match.group(1), match.group(2), match.group(3)
        if inline is None and label is None and text[match.end():match.end() + 1] == ":":
            continue
        plain = re.sub(r"[*_`^~]", "", phrase)
        if inline is not None:
            found.append((_key(plain), "", "inline"))
            continue
        form = "full" if label or plain != phrase else "collapsed" if label == "" \
            else "shortcut"
        found.append((_key(plain), label or phrase, form))
    return found


def _key(phrase: str) -> str:
    """A link's words as compared: spaces collapsed, case folded."""
    return " ".join(phrase.split()).casefold()


def figure_images(found: list[blocks.Block]) -> list[int | None]:
    """For every figure in ``found``, in order: the index of its one image among the images
    of ``found`` (None if it holds none, or more)."""
    images = [node for node in blocks.walk(found) if isinstance(node, blocks.Image)]
    at = {id(image): index for index, image in enumerate(images)}
    result: list[int | None] = []
    for node in blocks.walk(found):
        if isinstance(node, blocks.Figure):
            own = [n for n in blocks.walk(node.content) if isinstance(n, blocks.Image)]
            result.append(at[id(own[0])] if len(own) == 1 else None)
    return result


def links_of(found: list[blocks.Block]) -> list[tuple[str, str, str]]:
    """The words (:func:`_key`), address and title of every link in ``found``, in order."""
    return [(_key(blocks.stringify(node.content)), node.url, node.c[2][1])
            for node in blocks.walk(found) if isinstance(node, blocks.Link)]


def _slug(text: str) -> str:
    """A new link label from a link's words: its first six, as ids spell words. Unlike
    :func:`briefpress.model.ids.make_id` it keeps a first word of digits (``[2024
    budget]`` is labelled ``2024-budget``) and any length: a label is no bookmark."""
    return "-".join(words_of(text)[:6])


def _image_alt(content: list[blocks.Block]) -> str | None:
    """The words of the alt text of the one image of a figure's ``content`` (None if it
    holds anything else)."""
    if len(content) != 1 or not isinstance(content[0], blocks.Plain) or \
            len(content[0].content) != 1 or not isinstance(content[0].content[0], blocks.Image):
        return None
    return " ".join(blocks.stringify(content[0].content[0].content).split())


def _alt_as_caption(content: list[blocks.Block], caption: list[blocks.Block]
                    ) -> list[blocks.Block]:
    """A figure's ``content`` (one image, :func:`_image_alt`) with the image's alt text its
    ``caption``'s words: the alt text was the caption in the source (see
    :attr:`Piece.base_figure_alts`), so an edited caption alone writes ``![New caption](file)``
    rather than the old words as an ``alt=``."""
    if len(caption) != 1 or not isinstance(caption[0], blocks.Plain):
        return content
    image = content[0].content[0]
    assert isinstance(image, blocks.Image)
    return [type(content[0])([blocks.Image((image.attr, caption[0].content, image.c[2]))])]


# -- the source's lines, where the edit left them as they were -----------------------------

TRAILING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*#*\s*$")
"""The ``{#id …}`` block that ends a heading's line or a figure's paragraph."""

_READ_APART = "<!-- briefpress: read apart -->"


def as_source(written: str, source_text: str, edited: blocks.Block,
              source: blocks.Block | None, cells: list[list[str]] | None = None) -> list[str]:
    """``written`` (pandoc's Markdown of ``edited``, a changed block) with the lines and
    attributes of ``source_text`` (the source's Markdown of ``source``) that the edit left
    as they were: a pipe table's rows the edit did not change (pandoc pads every row to
    its columns), its caption if unchanged, and its other rows laid out as the source
    lays out its rows (:class:`_PipeStyle`, from ``cells``, :attr:`Piece.cells`); a
    figure's attribute block as the source wrote it (pandoc quotes ``width="80%"``).
    The ways to write it, the likeliest first (none when there is nothing to keep); the
    first that reads as ``written`` is taken (:func:`reads_alike`)."""
    if isinstance(edited, blocks.Table) and isinstance(source, blocks.Table):
        return _table_as_source(written, source_text, edited, source, cells or [])
    if isinstance(edited, blocks.Figure) and isinstance(source, blocks.Figure):
        new, old = TRAILING_ATTRS.search(written), TRAILING_ATTRS.search(source_text)
        if new is None or old is None:
            return []
        return [written[:new.start(1)] + old.group(1) + written[new.end(1):]]
    return []


def reads_alike(pairs: list[tuple[str, str]]) -> list[bool]:
    """For each pair of Markdown texts, whether pandoc reads both as the same blocks (a
    pipe table's column widths apart, which its dashes give), all read in one call."""
    if not pairs:
        return []
    text = f"\n\n{_READ_APART}\n\n".join(part for pair in pairs for part in pair)
    document, _ = pandoc.parse_markdown(text)
    read: list[list[blocks.Block]] = [[]]
    for block in document.blocks:
        if isinstance(block, blocks.RawBlock) and block.c[1].strip() == _READ_APART:
            read.append([])
        else:
            read[-1].append(_default_widths(block))
    if len(read) != 2 * len(pairs):
        return [False] * len(pairs)
    return [blocks.encode(read[2 * index]) == blocks.encode(read[2 * index + 1])
            for index in range(len(pairs))]


def _default_widths(block: blocks.Block) -> blocks.Block:
    def replace(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.Table):
            colspecs = [(align, blocks.ColWidthDefault()) for align, _ in node.colspecs]
            return blocks.Table((node.c[0], node.c[1], colspecs,
                                 *blocks.rewrite(list(node.c[3:]), replace)))
        return None

    return blocks.rewrite(block, replace)


def _table_as_source(written: str, source_text: str, edited: blocks.Table,
                     source: blocks.Table, cells: list[list[str]]) -> list[str]:
    """A pipe table's lines: one for the header row, one of dashes, one for each row. The
    source's line of each row the edit left as it was (as ``difflib`` pairs the rows), of
    its header and dashes if they read the same; its caption's lines if unchanged. Each
    other row laid out as the source lays out its rows (:class:`_PipeStyle`), else as
    pandoc wrote it (padded to its own columns)."""
    new_rows, old_rows = list(edited.rows()), list(source.rows())
    new, old = _pipe_lines(written, len(new_rows)), _pipe_lines(source_text, len(old_rows))
    if new is None or old is None or len(edited.c[3][1]) != 1 or len(source.c[3][1]) != 1:
        return []
    new_lines, new_at = new
    old_lines, old_at = old
    old_table = old_lines[old_at:old_at + len(old_rows) + 1]
    aligns = [align for align, _ in edited.colspecs]
    style = _PipeStyle.of(old_table, [align for align, _ in source.colspecs])
    same_columns = len(edited.colspecs) == len(source.colspecs)
    # which of the source's lines each of the table's lines keeps (None: a line anew)
    mine, theirs = [_row_key(row) for row in new_rows], [_row_key(row) for row in old_rows]
    from_source: list[int | None] = [None] * (len(new_rows) + 1)
    if mine[0] == theirs[0]:
        from_source[0] = 0
    if [type(align) for align in aligns] == \
            [type(align) for align, _ in source.colspecs]:
        from_source[1] = 1
    matcher = difflib.SequenceMatcher(None, theirs[1:], mine[1:], autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            from_source[block.b + offset + 2] = block.a + offset + 2
    pandoc_lines = new_lines[new_at:new_at + len(new_rows) + 1]
    tables = []
    # a padded table's widths are its columns': with columns added or taken away, pandoc's
    if style is not None and len(cells) == len(new_rows) and \
            (same_columns or style.widths is None):
        anew = [style.row(cells[0], aligns), style.dashes(aligns),
                *(style.row(row, aligns) for row in cells[1:])]
        tables.append([old_table[kept] if kept is not None else anew[index]
                       for index, kept in enumerate(from_source)])
    if same_columns:
        tables.append([old_table[kept] if kept is not None else pandoc_lines[index]
                       for index, kept in enumerate(from_source)])
    # the caption (the lines around the table) as the source wrote it, if unchanged
    lines, at, count = new_lines, new_at, len(new_rows) + 1
    if signature(edited.caption) == signature(source.caption):
        lines, at, count = old_lines, old_at, len(old_rows) + 1
    return list(dict.fromkeys("\n".join([*lines[:at], *table, *lines[at + count:]])
                              for table in tables))


_DASH_CELL = re.compile(r"([ \t]*)(:?-+:?)([ \t]*)")


class _PipeStyle(Struct):
    """How the source lays out a pipe table's rows (:meth:`of`): padded to its columns
    (``widths``), else each cell between ``margin`` spaces."""

    indent: str
    dash_cells: list[str]
    """The source's dash line, its cells between its pipes."""
    trailing: bool
    """Whether its lines end with a pipe."""
    margin: int
    """The spaces at least between a cell's words and its pipes."""
    widths: list[int] | None = None
    """A padded table's: each column's width between its pipes (display columns)."""
    sides: list[str] = field(default_factory=list)
    """A padded table's: each column's side its cells keep to (``left``, ``right``,
    ``center``), as the source's cells do."""

    @classmethod
    def of(cls, lines: list[str], aligns: list[blocks.Alignment]) -> _PipeStyle | None:
        """The style of the source's pipe table ``lines`` (the header row's, the dashes',
        each row's), its columns aligned ``aligns``; None if its dashes are not one cell
        a column. It is padded when more than half of its rows' lines (the header row's
        among them) put their pipes where the dashes do, or else the header row does (in
        display columns: a wide character takes two), and end with a pipe there: a row
        a former import left wider than its columns (:meth:`row`) does not make a padded
        table unpadded. Unpadded, its margin is the spaces its rows most often have
        between their first and last pipes and their words."""
        lines = [line.rstrip() for line in lines]
        indent = lines[0][:len(lines[0]) - len(lines[0].lstrip())]
        dash = lines[1].strip()
        trailing = dash.endswith("|") and len(dash) > 1
        dash_cells = (dash[1:-1] if trailing else dash[1:]).split("|")
        if not dash.startswith("|") or len(dash_cells) != len(aligns) or \
                not all(_DASH_CELL.fullmatch(cell) for cell in dash_cells):
            return None
        rows = [lines[0], *lines[2:]]
        # the columns' pipes: where the dashes put them, else (dashes shorter than the
        # rows, ``|---|``) where the header row does
        for ruler in (indent + dash, lines[0]):
            stops = sorted(_pipe_columns(ruler))
            aligned = [row for row in rows if trailing and len(stops) == len(aligns) + 1
                       and set(stops) <= _pipe_columns(row)
                       and _display_width(row) == _display_width(ruler)]
            if 2 * len(aligned) > len(rows):
                break
        else:
            gaps: Counter[int] = Counter()
            for row in rows:
                body = row.strip()
                gaps[len(body[1:]) - len(body[1:].lstrip(" "))] += 1
                if trailing and body.endswith("|"):
                    gaps[len(body[:-1]) - len(body[:-1].rstrip(" "))] += 1
            margin = min(gaps, key=lambda gap: (-gaps[gap], gap)) if gaps else 1
            return cls(indent, dash_cells, trailing, margin)
        columns: list[list[str]] = [[] for _ in aligns]
        for row in aligned:
            for index, cell in enumerate(_between(row, stops)):
                if cell.strip():
                    columns[index].append(cell)
        margins = [min(len(cell) - len(cell.lstrip(" ")), len(cell) - len(cell.rstrip(" ")))
                   for column in columns for cell in column]
        sides = [_side(column, align) for column, align in zip(columns, aligns, strict=True)]
        return cls(indent, dash_cells, trailing, min(margins, default=1),
                   [end - start - 1 for start, end in pairwise(stops)],
                   sides)

    def row(self, cells: list[str], aligns: list[blocks.Alignment]) -> str:
        """A row's line, its ``cells`` written as the source writes its cells: padded to
        the source's columns, each at its column's side, where it fits (one that does not
        is written between its margins, and its row is wider than the others: only its
        line changes, and pandoc reads it as the same table), else between the margins."""
        pad = " " * self.margin
        written = []
        for index, cell in enumerate(cells):
            if self.widths is None or index >= len(self.widths) or \
                    _display_width(cell) + 2 * self.margin > self.widths[index]:
                written.append(f"{pad}{cell}{pad}")
                continue
            room = self.widths[index] - _display_width(cell) - 2 * self.margin
            before = {"left": 0, "right": room}.get(self.sides[index], room // 2)
            written.append(f"{pad}{' ' * before}{cell}{' ' * (room - before)}{pad}")
        line = f"{self.indent}|{'|'.join(written)}{'|' if self.trailing else ''}"
        return line if self.trailing else line.rstrip()

    def dashes(self, aligns: list[blocks.Alignment]) -> str:
        """The dash line for columns aligned ``aligns``: each column's dashes as long as
        the source's, their colons as the column is aligned."""
        written = []
        for index, align in enumerate(aligns):
            old = self.dash_cells[index] if index < len(self.dash_cells) else \
                f"{' ' * self.margin}---{' ' * self.margin}"
            match = _DASH_CELL.fullmatch(old)
            assert match is not None  # :meth:`of` took only dash cells
            length = max(len(match.group(2)), 3)
            dashes = {blocks.AlignLeft: ":" + "-" * (length - 1),
                      blocks.AlignRight: "-" * (length - 1) + ":",
                      blocks.AlignCenter: ":" + "-" * (length - 2) + ":"}.get(
                type(align), "-" * length)
            written.append(f"{match.group(1)}{dashes}{match.group(3)}")
        return f"{self.indent}|{'|'.join(written)}{'|' if self.trailing else ''}"


def _side(cells: list[str], align: blocks.Alignment) -> str:
    """The side a padded column's ``cells`` keep to: the one every cell is as near as the
    others; if both (cells as wide as each other, or none) or neither, the column's
    alignment's (left unless right or centred)."""
    left = len({len(cell) - len(cell.lstrip(" ")) for cell in cells}) <= 1
    right = len({len(cell) - len(cell.rstrip(" ")) for cell in cells}) <= 1
    if left == right:
        return {blocks.AlignRight: "right", blocks.AlignCenter: "center"}.get(
            type(align), "left")
    return "left" if left else "right"


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _display_width(text: str) -> int:
    """The columns ``text`` takes on screen (a wide character two, a combining one none):
    what a padded table's pipes line up by."""
    return sum(_char_width(char) for char in text)


def _pipe_columns(line: str) -> set[int]:
    """The display columns of ``line``'s pipes."""
    found, at = set(), 0
    for char in line:
        if char == "|":
            found.add(at)
        at += _char_width(char)
    return found


def _between(line: str, stops: list[int]) -> list[str]:
    """The text of ``line`` between each two of the display columns ``stops``."""
    parts: list[list[str]] = [[] for _ in stops[1:]]
    at = 0
    for char in line:
        for index, (start, end) in enumerate(pairwise(stops)):
            if start < at < end:
                parts[index].append(char)
        at += _char_width(char)
    return ["".join(part) for part in parts]


def _pipe_lines(text: str, rows: int) -> tuple[list[str], int] | None:
    """``text``'s lines and where its pipe table's begin, if its lines starting with ``|``
    are one run, one line for each of the table's ``rows`` and one for the dashes."""
    lines = text.split("\n")
    piped = [index for index, line in enumerate(lines) if line.lstrip().startswith("|")]
    if len(piped) != rows + 1 or piped[-1] - piped[0] != rows:
        return None
    return lines, piped[0]


def _marked_cells(content: list[blocks.Block]) -> blocks.Table | None:
    """A copy of ``content``'s one table, each cell's words between the two marks
    :data:`_CELL_MARK` (raw, which pandoc writes as they are), if every cell is one
    paragraph at most (as a pipe table's are)."""
    if len(content) != 1 or not isinstance(content[0], blocks.Table):
        return None
    table = content[0]
    if any(len(cell[4]) > 1 or (cell[4] and not isinstance(cell[4][0], blocks.Plain))
           for row in table.rows() for cell in row[1]):
        return None
    marks = [blocks.RawInline(("markdown", mark)) for mark in _CELL_MARK]

    def mark(cell: blocks.Cell) -> blocks.Cell:
        found = cell[4][0] if cell[4] else blocks.Plain([])
        return (*cell[:4], [type(found)([marks[0], *found.content, marks[1]])])

    def rows(found: list[blocks.Row]) -> list[blocks.Row]:
        return [(row[0], [mark(cell) for cell in row[1]]) for row in found]

    head = (table.c[3][0], rows(table.c[3][1]))
    bodies = [(body[0], body[1], rows(body[2]), rows(body[3])) for body in table.c[4]]
    foot = (table.c[5][0], rows(table.c[5][1]))
    return blocks.Table((table.c[0], table.c[1], table.c[2], head, bodies, foot))


def _cells_of(text: str) -> list[list[str]]:
    """The cells of each row of a table's marked copy as written (:func:`_marked_cells`),
    a line a row: none if pandoc wrote it otherwise than a row a line (raw HTML)."""
    rows = [_MARKED_CELL.findall(line) for line in text.split("\n") if _CELL_MARK[0] in line]
    if any(_CELL_MARK[0] in cell or _CELL_MARK[1] in cell for row in rows for cell in row) \
            or text.count(_CELL_MARK[0]) != sum(len(row) for row in rows):
        return []
    return rows


def _row_key(row: blocks.Row) -> tuple[str, ...]:
    return tuple(signature(cell[4]) for cell in row[1])
