"""Turn edited typed blocks into Markdown written the way the brief's source is written.

pandoc's Markdown writer is faithful but has its own habits: inline links,
``---`` for dashes, numbered footnotes at the end of its output. A brief keeps
reference links with their definitions at the end of brief.md, literal dashes,
and named footnotes. So before writing, links and notes are swapped for
placeholders; after writing, each link becomes a reference to the definition
the source already has for it (or a new one), and each note a reference to its
definition (kept, rewritten or added). One pandoc call converts every piece.
"""

from __future__ import annotations

import re
from typing import Any

from msgspec import Struct, field

from briefpress import pandoc
from briefpress.importer.signature import PENDING_URL, normalize_url, signature
from briefpress.importer.sourcemap import SourceMap
from briefpress.model import blocks, xref
from briefpress.render import docx_styles as styles

_SPLIT = "<!--briefpress-split-->"
_LINK_TOKEN = re.compile(r"\]\(briefpress-link:(\d+)\)")
_NOTE_TOKEN = re.compile("\ue030(\\d+)\ue031")
_REF_LINK = re.compile(r"(?<![!\\])\[((?:[^\[\]]|\[[^\]]*\])*)\](?:\[([^\]]*)\]|\(([^)]*)\))?")
NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
"""A reference to a footnote in Markdown (``[^label]``), its label the group."""
# a definition the calls of a block are read with: its label's number, between these two
_CALL_MARK = ("\ue034", "\ue035")


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
    base_tables: list[blocks.Attr] = field(default_factory=list)
    """The attributes of the source's tables, in order (their ids, ``{#tbl-x}``, which Word
    does not keep on a table)."""
    heading_attrs: str | None = None
    """For a heading: the ``{#id …}`` block of the source line, kept as written."""
    markdown: str = ""
    """The piece as written (:meth:`MarkdownWriter.write_pieces`)."""


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

    def __init__(self, smap: SourceMap, markdown: str, api_version: list[int]) -> None:
        self.smap = smap
        self.markdown = markdown
        self.api = api_version
        # a source that spells dashes `---` and `--` gets them back that way
        self.literal_dashes = len(_LITERAL_DASH.findall(markdown)) >= \
            len(_ASCII_DASH.findall(markdown))
        self.definitions = Definitions()
        self.media: dict[str, str] = {}
        """Images the editor added: pandoc's name (``media/rId9.png``) -> file name to write."""
        self.taken: set[str] = set()
        """File names already in the brief's folder."""
        self._labels = {label.casefold() for label in smap.links} | \
            {label.casefold() for label in smap.notes}
        self._calls: dict[str, list[str | None]] = {}

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
        """Write every piece, in one pandoc call, into its ``markdown``."""
        for piece, text in zip(pieces, self.write(pieces), strict=True):
            piece.markdown = text

    def write(self, pieces: list[Piece]) -> list[str]:
        """Markdown of each piece, in one pandoc call."""
        if not pieces:
            return []
        # the notes the source of every piece calls, read together
        self.learn_calls([piece.context for piece in pieces])
        body: list[blocks.Block] = []
        links: list[list[tuple[str, str]]] = []
        notes: list[list[list[blocks.Block]]] = []
        for piece in pieces:
            content = piece.blocks
            if piece.inline:
                content = [blocks.Plain(_inlines_of(content))]
            piece_links: list[tuple[str, str]] = []
            piece_notes: list[list[blocks.Block]] = []
            # a rewritten copy: the piece's blocks are the edited document's, left as they are
            content = self._prepare(content, piece, piece_links, piece_notes)
            body.append(blocks.RawBlock(("markdown", _SPLIT)))
            body.extend(content)
            links.append(piece_links)
            notes.append(piece_notes)
        body.append(blocks.RawBlock(("markdown", _SPLIT)))
        document = blocks.document(body, self.api)
        written = pandoc.convert(document, _WRITER, ["--wrap=none"]).split(_SPLIT)[1:-1]
        return [self._finish(text.strip("\n"), piece, piece_links, piece_notes)
                for text, piece, piece_links, piece_notes in zip(written, pieces, links, notes,
                                                                 strict=True)]

    # -- before writing --------------------------------------------------------------------

    def _prepare(self, content: list[blocks.Block], piece: Piece,
                 links: list[tuple[str, str]],
                 notes: list[list[blocks.Block]]) -> list[blocks.Block]:
        images = iter(piece.base_images)
        figures = iter(piece.base_figures)
        figure_alts = iter(piece.base_figure_alts)
        tables = iter(piece.base_tables)

        def fix(value: Any) -> Any:
            return blocks.rewrite(value, replace)

        def placeholder(phrase: list[blocks.Inline], url: str) -> blocks.Link:
            links.append((blocks.stringify(phrase), url))
            target = f"briefpress-link:{len(links) - 1}"
            return blocks.Link((blocks.attr(), fix(phrase), (target, "")))

        def replace(node: blocks.Node) -> blocks.Node | list[blocks.Node] | None:
            if (key := xref.key_of(node)) is not None:
                return xref.cite(key)  # a cross-reference is written back as @fig-x
            if isinstance(node, blocks.Span) and xref.LABEL_CLASS in node.attr[1]:
                return []  # a caption's number: every edition writes it from the model
            if isinstance(node, blocks.Link):
                return placeholder(node.content, "" if node.url == PENDING_URL else node.url)
            if isinstance(node, blocks.Span):
                if dict(node.attr[2]).get("custom-style") == styles.LINK_WITHOUT_TARGET:
                    return placeholder(node.content, "")
                return blocks.Span((blocks.attr(), fix(node.content)))
            if isinstance(node, blocks.Note):
                notes.append(node.content)
                return blocks.Str(f"\ue030{len(notes) - 1}\ue031")
            if isinstance(node, blocks.Image):
                attr, target = node.attr, node.c[2]
                base = next(images, None)
                if base is not None:
                    attr, target = base
                elif not target[0].startswith(("http://", "https://")):
                    target = (self._media_name(target[0]), target[1])
                return blocks.Image((attr, fix(node.content), target))
            if isinstance(node, blocks.Table):
                attr = next(tables, None) or node.attr
                short, caption = node.c[1]
                return blocks.Table((attr, (short, fix(xref.unlabelled(caption))),
                                     *fix(list(node.c[2:]))))
            if isinstance(node, blocks.Figure):
                attr = next(figures, None) or node.attr
                short, caption = node.c[1]
                caption = fix(xref.unlabelled(caption))
                content = fix(node.content)
                base_alt = next(figure_alts, None)
                # None is no alt to follow (a figure the source lacks, or one of another
                # alt): the content is then not one image, or its alt text is its own
                if base_alt is not None and _image_alt(node.content) == base_alt:
                    content = _alt_as_caption(content, caption)
                return blocks.Figure((attr, (short, caption), content))
            if isinstance(node, blocks.Str):
                text = _ABBREVIATION_NBSP.sub(r"\1 ", node.c)
                if self.literal_dashes:
                    for dash, token in _DASHES.items():
                        text = text.replace(dash, token)
                return blocks.Str(text)
            return None

        return fix(content)

    # -- after writing ---------------------------------------------------------------------

    def _finish(self, text: str, piece: Piece, links: list[tuple[str, str]],
                notes: list[list[blocks.Block]]) -> str:
        for dash, token in _DASHES.items():
            text = text.replace(token, dash)
        used = _source_links(piece.context)

        def link(match: re.Match[str]) -> str:
            phrase, url = links[int(match.group(1))]
            label = self._label_for(phrase, url, [(p, la) for p, la, _ in used])
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

    def _label_for(self, phrase: str, url: str, used: list[tuple[str, str]]) -> str:
        """The reference label of a link: the one the source used, an existing one, or new."""
        wanted = normalize_url(url) if url else ""
        key = " ".join(phrase.split()).casefold()
        for source_phrase, label in used:
            definition = self.smap.links.get(label.casefold())
            target = normalize_url(definition.url) if definition and definition.url else ""
            if source_phrase == key and target == wanted:
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
        bodies = self.write_notes(notes) if notes else []
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
                label = self._new_label(str(len(self.smap.notes) + len(
                    self.definitions.new_notes) + 1))
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

    def write_notes(self, notes: list[list[blocks.Block]]) -> list[str]:
        """Markdown of footnote bodies, continuation lines indented as a definition needs
        (a blank line between its paragraphs stays blank: no trailing spaces)."""
        texts = self.write([Piece(blocks) for blocks in notes])
        return ["\n".join(line if number == 0 or not line.strip() else "    " + line
                          for number, line in enumerate(t.split("\n"))) for t in texts]

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

    def _new_label(self, wanted: str) -> str:
        label, number = wanted, 2
        while label.casefold() in self._labels:
            label = f"{wanted}-{number}"
            number += 1
        self._labels.add(label.casefold())
        return label


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


def _source_links(text: str) -> list[tuple[str, str, str]]:
    """(phrase, label, form) of each reference link in a piece of source Markdown, in order:
    its form ``full`` (``[phrase][label]``), ``collapsed`` (``[phrase][]``) or ``shortcut``
    (``[phrase]``); a phrase with formatting counts as ``full`` (written again, its
    markup may differ from the label's)."""
    found = []
    for match in _REF_LINK.finditer(text):
        phrase, label, inline = match.group(1), match.group(2), match.group(3)
        if inline is not None:
            continue
        plain = re.sub(r"[*_`^~]", "", phrase)
        form = "full" if label or plain != phrase else "collapsed" if label == "" \
            else "shortcut"
        found.append((" ".join(plain.split()).casefold(), label or phrase, form))
    return found


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.casefold())
    return "-".join(words[:6])


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
