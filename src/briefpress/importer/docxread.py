"""Turn an edited .docx into typed blocks, each tied to the Word paragraphs it came from.

pandoc reads the content (formatting, links, notes, tables, tracked changes
accepted or rejected) into the brief's model (:mod:`briefpress.model.blocks`);
the XML scan (:mod:`briefpress.readback.docx`) knows what
pandoc drops (bookmark ids, style names). To join the two, every top-level
paragraph gets an invisible token run before pandoc reads a private copy of
the file; the token in each pandoc block names the paragraphs it holds.
"""

from __future__ import annotations

import re
import zipfile
from copy import deepcopy
from pathlib import Path
from typing import Any, Literal

from lxml import etree
from msgspec import Struct, field

from briefpress import pandoc
from briefpress.errors import BriefError, Problem
from briefpress.importer.citations import mark
from briefpress.importer.wordforms import RULE_MARK, mark_rules, plain_alignment, renumber
from briefpress.model import blocks
from briefpress.readback.docx import Block, body_blocks, read_styles, w
from briefpress.render import docx_styles as styles
from briefpress.support.docx_open import Package, read_entry
from briefpress.support.files import scratch_folder
from briefpress.support.ooxml import part_bytes

_TOKEN = re.compile("\ue000(\\d+)\ue001")

_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_VML = "urn:schemas-microsoft-com:vml"

# pandoc turns paragraphs in these styles into document metadata; briefpress reads them as
# paragraphs (the title block), so the private copy gives them a style pandoc does not know.
_PANDOC_META_STYLES = {"title", "subtitle", "author", "date", "abstract"}

Changes = Literal["accept", "reject"]


class EditedBlock(Struct):
    """One block of the edited document as pandoc read it, with what Word knew about it."""

    block: blocks.Block
    paragraphs: list[Block]
    """The top-level Word paragraphs (or table) the block was read from, in order."""
    cls: str = "body"
    """What the block is: ``heading``, ``rec``, ``area``, ``bio``, ``meta:title``…,
    ``body``."""
    ids: list[str] = field(default_factory=list)
    """The bookmarks of its first paragraph."""
    continues: bool = False
    """A recommendation's paragraph in the Recommendation Continued style: the
    recommendation before it goes on (one in the Recommendation style starts another)."""

    @property
    def level(self) -> int:
        return self.block.level if isinstance(self.block, blocks.Header) else 0


class EditedDocument(Struct):
    """The edited file's blocks as pandoc read them, and its top-level Word paragraphs."""

    blocks: list[EditedBlock]
    xml_blocks: list[Block]
    api_version: list[int]
    joined_headings: list[Block] = field(default_factory=list)
    """The headings a tracked change joins to the paragraph before them (the break between
    the two deleted, or inserted and rejected): they read as that paragraph's words."""


STYLE_CLASSES = {
    "title": "meta:title",
    "subtitle": "meta:subtitle",
    "author": "meta:author",
    styles.PROGRAM.casefold(): "meta:program",
    styles.SERIES.casefold(): "meta:series",
    styles.RECOMMENDATION.casefold(): "rec",
    styles.RECOMMENDATION_CONTINUED.casefold(): "rec",
    styles.RECOMMENDATION_AREA.casefold(): "area",
    styles.AUTHOR_BIO.casefold(): "bio",
    styles.DOCUMENT_TYPE.casefold(): "generated",
    styles.COLOPHON.casefold(): "generated",
    styles.BIBLIOGRAPHY.casefold(): "generated",  # the works cited, made by citeproc
    styles.AFFILIATION.casefold(): "generated",  # the title block's, from the front matter
    styles.PUBLICATION_DATE.casefold(): "generated",
}


def read_edited(package: Package, changes: Changes) -> EditedDocument:
    """The blocks of ``package`` with tracked changes accepted or rejected, each tied to the
    Word paragraphs it was read from: every paragraph of a private copy is marked, pandoc
    reads the copy, and the marks in its blocks name their paragraphs."""
    found_styles = read_styles(package)
    xml_blocks = body_blocks(package, found_styles)
    root = xml_blocks[0].element.getroottree().getroot() if xml_blocks else None
    pending = {ident for ident, name in found_styles.characters.items()
               if name == styles.LINK_WITHOUT_TARGET}
    for block in xml_blocks:
        _mark(block)
        _expose_pending_links(block.element, pending)
    replaced = {package.main: package.parts[package.main]}
    notes_part = package.related(package.main, "footnotes")
    notes_root = package.xml(notes_part) if notes_part else None
    code = _code_styles(package)
    marked = notes_root is not None and bool(_expose_citation_marks(notes_root))
    if notes_root is not None and _resolve_in_code(notes_root, code, changes):
        marked = True  # (read afresh, the notes serve nothing else)
    if marked:
        replaced[notes_part] = part_bytes(notes_root)
    body_tokens: list[Any] = []
    if root is not None:
        body_tokens = _expose_citation_marks(root)
        # lists by position and style, not numbering ids; alignment in pandoc's names
        plain_alignment(root)
        mark_rules([block.element for block in xml_blocks if block.kind == "p"])
        restyled = _figure_captions_apart(xml_blocks)
        taken = _heading_anchors_out(xml_blocks, [root] if notes_root is None
                                     else [root, notes_root])
        # what pandoc reads: paragraphs joined where a change takes their mark away, then
        # numbered by position (a joined item is numbered as one)
        read = _join_at_gone_marks(root, changes)
        if _changes_in_code(read, code):
            # the original's paragraphs keep their changes: the review lists them
            read = deepcopy(read) if read is root else read
            _resolve_in_code(read, code, changes)
        numbering_part = package.related(package.main, "numbering")
        numbering = package.xml(numbering_part) if numbering_part else None
        styles_part = package.related(package.main, "styles")
        style_root = package.xml(styles_part) if styles_part else None
        if numbering_part and renumber(read, numbering, style_root, found_styles.names):
            replaced[numbering_part] = part_bytes(numbering)
            if styles_part:
                replaced[styles_part] = part_bytes(style_root)
        replaced[package.main] = part_bytes(read)
        for pstyle, style_id in restyled:  # the paragraphs' XML keeps its styles
            pstyle.set(w("val"), style_id)
        if notes_root is not None and any(
                item.node.getroottree().getroot() is notes_root for item in taken):
            replaced[notes_part] = part_bytes(notes_root)
        # the paragraphs' XML serves the review too: the bookmarks back where they stood
        # (their places were counted with the tokens in), then the tokens out
        _put_back(taken)
        for run in body_tokens:
            run.getparent().remove(run)
    with scratch_folder("briefpress-import-") as scratch:
        copy = Path(scratch) / "edited.docx"
        _copy_with_parts(package, replaced, copy)
        try:
            document, _warnings = pandoc.read_file(
                copy, "docx", [f"--track-changes={changes}", *pandoc.DOCX_HEAP])
        except RecursionError:  # msgspec's decoder refuses what nests past Python's limit
            raise _too_deep(package.path) from None
    # a brief without citations has no tokens: its blocks are not copied to look for them
    found = _citation_marks(document.blocks) if marked or body_tokens else document.blocks
    return EditedDocument(_tie(found, xml_blocks, package.path, changes), xml_blocks,
                          document.api_version, _joined_headings(xml_blocks, changes))


_SOURCE_CODE = "source code"
"""The name (casefolded) of the paragraph style pandoc writes code blocks in, and reads as
code."""


def _code_styles(package: Package) -> set[str]:
    """The ids of the paragraph styles pandoc's reader takes as code: Source Code and the
    styles based on it (it compares the names, in any case)."""
    part = package.related(package.main, "styles")
    root = package.xml(part) if part else None
    if root is None:
        return set()
    names: dict[str, str] = {}
    based: dict[str, str] = {}
    for style in root.iter(w("style")):
        if style.get(w("type")) != "paragraph":
            continue
        ident = style.get(w("styleId"), "")
        name = style.find(w("name"))
        names[ident] = (ident if name is None else name.get(w("val"), ident)).casefold()
        base = style.find(w("basedOn"))
        if base is not None:
            based[ident] = base.get(w("val"), "")
    code: set[str] = set()
    for ident in names:
        seen: set[str] = set()
        step: str | None = ident
        while step is not None and step not in seen:
            if names.get(step) == _SOURCE_CODE:
                code.add(ident)
                break
            seen.add(step)
            step = based.get(step)
    return code


def _code_paragraphs(root: Any, code: set[str]) -> list[Any]:
    """The paragraphs under ``root`` in a style of ``code``."""
    if not code:
        return []
    return [p for p in root.iter(w("p"))
            if (style := p.find(f"{w('pPr')}/{w('pStyle')}")) is not None
            and style.get(w("val")) in code]


_RUN_CHANGES = (w("ins"), w("del"), w("moveTo"), w("moveFrom"))


def _run_changes(paragraph: Any) -> list[Any]:
    """The tracked changes of runs in ``paragraph`` (not those of its mark, which
    :func:`_join_at_gone_marks` takes care of), outermost first."""
    found = []
    for node in paragraph.iter(*_RUN_CHANGES):
        holder = node.getparent()
        while holder is not paragraph and not (
                holder.tag in _RUN_CHANGES or etree.QName(holder).localname.endswith("Pr")):
            holder = holder.getparent()
        if holder is paragraph:
            found.append(node)
    return found


def _changes_in_code(root: Any, code: set[str]) -> bool:
    """Whether a paragraph under ``root`` in a code style holds a tracked change of runs."""
    return any(_run_changes(p) for p in _code_paragraphs(root, code))


def _resolve_in_code(root: Any, code: set[str], changes: Changes) -> bool:
    """Accept (or reject) the tracked changes of runs in every code paragraph under
    ``root``; whether there were any.

    pandoc's reader makes a Source Code paragraph's text of its plain runs (and the runs
    of its links) alone: the runs of a tracked insertion or deletion in it are dropped
    whether the changes are accepted or rejected, so ``72N`` retyped ``73N`` came back as
    nothing. Here they are settled first, as Word settles them: the runs of a change that
    stays are unwrapped (deleted text made text again), those of a change that goes
    removed."""
    gone = _gone(changes)
    found = False
    for paragraph in _code_paragraphs(root, code):
        while pending := _run_changes(paragraph):
            found = True
            for change in pending:
                parent = change.getparent()
                if change.tag in gone:
                    parent.remove(change)
                    continue
                for text in change.iter(w("delText")):
                    text.tag = w("t")
                at = parent.index(change)
                for offset, child in enumerate(list(change)):
                    parent.insert(at + offset, child)
                parent.remove(change)
    return found


_CITE_TOKEN = re.compile("\ue010(\\d+)\ue011|\ue012(\\d+)\ue013")
"""Where a citation's bookmark starts (``\\ue010N\\ue011``) or ends (``\\ue012N\\ue013``)
in the private copy's words."""


def _expose_citation_marks(root: Any) -> list[Any]:
    """A token run after the start and before the end of every citation's bookmark under
    ``root`` (the body, or the footnotes), where pandoc's reader keeps it as words: it drops
    a bookmark that no link points to. The runs added (a bookmark between paragraphs gets
    none: only a paragraph holds runs)."""
    added: list[Any] = []
    opened: dict[str, int] = {}
    for node in list(root.iter(w("bookmarkStart"), w("bookmarkEnd"))):
        if node.getparent() is None or node.getparent().tag not in (w("p"), w("hyperlink")):
            continue
        ident = node.get(w("id"), "")
        if node.tag == w("bookmarkStart"):
            number = styles.citation_mark(node.get(w("name"), ""))
            if number is None:
                continue
            opened[ident] = number
            node.addnext(_token_run(f"\ue010{number}\ue011"))
            added.append(node.getnext())
        elif ident in opened:
            node.addprevious(_token_run(f"\ue012{opened.pop(ident)}\ue013"))
            added.append(node.getprevious())
    return added


class _Taken(Struct):
    """What :func:`_heading_anchors_out` changed in pandoc's copy, to be put back."""

    node: Any
    """A bookmark taken out (``parent`` and ``index`` say where it stood), or a hyperlink
    pointed elsewhere (``anchor`` says where it pointed)."""
    parent: Any = None
    index: int = 0
    anchor: str = ""


def _heading_anchors_out(xml_blocks: list[Block], roots: list[Any]) -> list[_Taken]:
    """Keep pandoc from renaming the ids of headings in the links to them.

    pandoc's reader gives a heading the id it makes from the heading's words ("The Argument"
    becomes ``the-argument``) and, when a bookmark starts inside the heading's paragraph,
    points every link to that bookmark at the made-up id. briefpress writes a section's
    bookmark between paragraphs, around the whole section, where pandoc does not see it;
    LibreOffice's save moves its start into the heading's paragraph, so ``@sec-argument``,
    a link to ``#argument``, would come back as a link to ``#the-argument``, an id the brief
    does not have. (LibreOffice often also writes a second bookmark of the same name in the
    section's last paragraph, which pandoc then takes as the link's target; it writes none
    when that paragraph ends in a footnote: that is why a footnote seemed to matter.)

    So in pandoc's copy, the bookmarks in a heading that has an id are taken out: a link
    keeps the anchor the Word file gives it. A link to one of Word's or LibreOffice's own
    bookmarks in such a heading (``_Toc…``, ``_Ref…``: an editor's link to the heading)
    points at the heading's id instead, the target it had in the brief. ``roots`` are the
    parts whose hyperlinks are looked at (the body and the footnotes). What was changed.

    The bookmark of an id written inside the heading's words (``[word]{#id}``) is taken out
    too: pandoc drops every bookmark in a heading from its words whatever is done, so only
    the links to it keep ``#id`` this way; the splice reports the id an edited heading loses."""
    taken: list[_Taken] = []
    target: dict[str, str] = {}
    for block in xml_blocks:
        if block.kind != "p" or block.heading_level is None or not block.bookmarks:
            continue
        ident = block.bookmarks[0]
        for node in list(block.element.iter(w("bookmarkStart"))):
            name = node.get(w("name"), "")
            if name.startswith("_"):
                target[name] = ident
            parent = node.getparent()
            taken.append(_Taken(node, parent, parent.index(node)))
    for item in taken:  # after every index is known: each is put back where it stood
        item.parent.remove(item.node)
    for root in roots:
        for link in root.iter(w("hyperlink")):
            anchor = link.get(w("anchor"))
            if anchor in target:
                taken.append(_Taken(link, anchor=anchor))
                link.set(w("anchor"), target[anchor])
    return taken


def _put_back(taken: list[_Taken]) -> None:
    """Undo :func:`_heading_anchors_out` (the paragraphs' XML serves the review too)."""
    for item in taken:
        if item.parent is None:
            item.node.set(w("anchor"), item.anchor)
        else:
            item.parent.insert(item.index, item.node)


def _token_run(token: str) -> Any:
    run = etree.Element(w("r"))
    etree.SubElement(run, w("t")).text = token
    return run


def _citation_marks(found: list[blocks.Block]) -> list[blocks.Block]:
    """pandoc's blocks with each citation token made a mark
    (:func:`briefpress.importer.citations.mark`), which the comparison with the base reads as
    nothing and the import of a changed paragraph uses to find its citations."""
    def replace(node: blocks.Node) -> list[blocks.Node] | None:
        if not isinstance(node, blocks.Str) or not _CITE_TOKEN.search(node.c):
            return None
        out: list[blocks.Node] = []
        last = 0
        for match in _CITE_TOKEN.finditer(node.c):
            if match.start() > last:
                out.append(blocks.Str(node.c[last:match.start()]))
            start, end = match.groups()
            out.append(mark(int(start or end), end=end is not None))
            last = match.end()
        if last < len(node.c):
            out.append(blocks.Str(node.c[last:]))
        return out

    return blocks.rewrite(found, replace)


MAX_DEPTH = 100
"""Deepest nesting of the blocks pandoc reads from a Word file, counting the lists and
tuples of parts an element holds (the real brief's is 4, the fixture's with a table 9).
The import walks blocks recursively: tables nested dozens deep in a crafted file would
exhaust Python's stack, so they are refused first."""


def _too_deep(path: Path) -> BriefError:
    return BriefError(Problem(path, None, "the .docx nests tables, lists or other blocks "
                              "too deeply to be read as a brief",
                              "flatten the nested tables or lists in Word and save again"))


def _mark(block: Block) -> None:
    """Put the token of ``block`` at the start of its (first) paragraph."""
    paragraph = block.element if block.kind == "p" else next(block.element.iter(w("p")), None)
    if paragraph is None:
        return
    ppr = paragraph.find(w("pPr"))
    run = etree.SubElement(paragraph, w("r"))
    text = etree.SubElement(run, w("t"))
    text.text = f"\ue000{block.index}\ue001"
    paragraph.remove(run)
    paragraph.insert(0 if ppr is None else paragraph.index(ppr) + 1, run)
    if block.kind == "p" and block.style.casefold() in _PANDOC_META_STYLES and ppr is not None:
        pstyle = ppr.find(w("pStyle"))
        if pstyle is not None:
            pstyle.set(w("val"), "BriefpressTitleBlock")


_FIGURE_CAPTION = "BriefpressFigureCaption"
"""The style id (in no styles part) a figure's caption has in pandoc's copy."""


def _figure_captions_apart(xml_blocks: list[Block]) -> list[tuple[Any, str]]:
    """Keep pandoc from reading a figure's caption as the caption of a table after it.

    pandoc's reader takes a caption-styled paragraph right before a table as the table's
    caption, unless the paragraph before it is a picture alone, whose caption it then is.
    In the private copy no picture is alone in its paragraph (its mark, the token, stands
    beside it; after a LibreOffice save, the figure's bookmark too): a figure's caption, which
    briefpress writes after the picture, went to a table that followed, and the figure lost
    it, with its id. So in pandoc's copy, a caption-styled paragraph right after a paragraph
    that holds a picture has a style pandoc does not know: a paragraph, which
    :func:`_figures` joins to its picture (it reads the style from the XML scan), as pandoc
    would join them were the picture alone. As pandoc does, a caption whose paragraph keeps
    with the next (``w:keepNext`` of its own) is left the caption of what follows; a table's
    own caption, which stands between the two, keeps its style. The pStyle elements changed,
    with the style ids they had, to be put back."""
    changed: list[tuple[Any, str]] = []
    for block, before in zip(xml_blocks[1:], xml_blocks, strict=False):
        if block.kind != "p" or block.style.casefold() not in _CAPTION_STYLES \
                or before.kind != "p" or not _holds_picture(before.element) \
                or block.element.find(f"{w('pPr')}/{w('keepNext')}") is not None:
            continue
        pstyle = block.element.find(f"{w('pPr')}/{w('pStyle')}")
        if pstyle is not None:
            changed.append((pstyle, pstyle.get(w("val"), "")))
            pstyle.set(w("val"), _FIGURE_CAPTION)
    return changed


def _holds_picture(paragraph: Any) -> bool:
    """Whether ``paragraph`` holds a picture: DrawingML, or a VML image of older files (not
    any ``w:pict``: pandoc writes a horizontal rule as one)."""
    return next(paragraph.iter(w("drawing"), f"{{{_VML}}}imagedata"), None) is not None


PENDING_ANCHOR = "briefpress-link-without-target"
"""pandoc drops character styles; a phrase in "Link Without Target" reaches it as a link here."""


_TRACKED = ("ins", "del", "moveFrom", "moveTo")
"""The tracked changes that hold runs."""


def _expose_pending_links(element: Any, style_ids: set[str]) -> None:
    """Wrap runs in the "Link Without Target" style in an internal hyperlink pandoc keeps:
    one for the adjacent runs of one phrase, tracked insertions and deletions of its words
    (runs in the style too) inside it, as Word writes them inside a link."""
    if not style_ids:
        return

    def styled(run: Any) -> bool:
        rstyle = run.find(f"{w('rPr')}/{w('rStyle')}")
        return rstyle is not None and rstyle.get(w("val")) in style_ids

    for run in list(element.iter(w("r"))):
        if not styled(run):
            continue
        if any(a.tag == w("hyperlink") for a in run.iterancestors()):
            continue  # the editor has given it a real link, or it is in one of ours
        unit, parent = run, run.getparent()
        if parent.tag in {w(name) for name in _TRACKED} and \
                all(styled(inner) for inner in parent.iter(w("r"))):
            unit = parent  # the tracked change of the phrase's words goes in whole
        previous = unit.getprevious()
        if previous is not None and previous.tag == w("hyperlink") \
                and previous.get(w("anchor")) == PENDING_ANCHOR:
            previous.append(unit)
            continue
        link = etree.Element(w("hyperlink"))
        link.set(w("anchor"), PENDING_ANCHOR)
        unit.addprevious(link)
        link.append(unit)


def _copy_with_parts(package: Package, replaced: dict[str, bytes], out: Path) -> None:
    """Write the package's zip to ``out`` with some parts replaced (media and all other
    parts as they were), an entry at a time: memory holds one part, never the whole package.

    Entries are stored, not compressed: a private copy wants speed, not size. Embedded
    fonts (most of a briefpress .docx's bytes) are left out: pandoc does not read them.
    """
    with zipfile.ZipFile(package.path) as archive, zipfile.ZipFile(out, "w") as copy:
        infos = sorted((i for i in archive.infolist()
                        if not i.is_dir() and not i.filename.startswith("word/fonts/")),
                       key=lambda i: (i.filename != "[Content_Types].xml",
                                      i.filename != "_rels/.rels", i.filename))
        names = {info.filename for info in infos}
        for info in infos:
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            data = replaced.get(info.filename)
            copy.writestr(entry, data if data is not None else read_entry(archive, info))
        for name, data in replaced.items():
            if name not in names:
                copy.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)


def _tie(found: list[blocks.Block], xml_blocks: list[Block], path: Path,
         changes: Changes = "accept") -> list[EditedBlock]:
    """Strip the tokens from pandoc's blocks and attach the Word paragraphs they name."""
    tied: list[EditedBlock] = []
    for block in [piece for whole in found for piece in _split_code(whole)]:
        indices: list[int] = []
        if not _strip_tokens(block, indices):
            raise _too_deep(path)
        paragraphs = [xml_blocks[i] for i in indices if i < len(xml_blocks)]
        # a paragraph gone whole (its words and its mark deleted, or with --changes reject
        # inserted) joins the next one in pandoc's reading: that one's style and bookmarks
        # are what the block is, not the vanished paragraph's
        kept = [p for p in paragraphs if not _vanished(p, changes)]
        paragraphs = kept or paragraphs
        if _is_empty(block):
            continue
        if isinstance(block, blocks.Plain) and block.content == [blocks.Str(RULE_MARK)]:
            block = blocks.HorizontalRule()
        tied.append(_classify(EditedBlock(block, paragraphs)))
    return _continuations(_figures(tied))


def _continuations(found: list[EditedBlock]) -> list[EditedBlock]:
    """Mark as going on with the recommendation before it each Recommendation paragraph
    that carries that recommendation's bookmark too: LibreOffice saves the bookmark of a
    recommendation of several paragraphs in each of them, and pasting them at the end of a
    paragraph gives the last one the style of the paragraph it was pasted into
    (Recommendation), so its own bookmark is what still says where it belongs. The same
    name, not a copy of it: a recommendation copied and pasted under itself (``id_Copy_1``
    under ``id``) is one more."""
    head: set[str] = set()
    for edited in found:
        if edited.cls != "rec":
            head = set()
            continue
        own = set(edited.ids)
        if not edited.continues and own & head:
            edited.continues = True
        elif not edited.continues:
            head = own
    return found


def copied_from(name: str) -> str:
    """The bookmark ``name`` is a copy of: LibreOffice names the bookmark of a pasted copy
    ``name_Copy_1`` (``name_Copy_1_Copy_1`` at the next save) while the name is taken."""
    while True:
        stem, copy, number = name.rpartition("_Copy_")
        if not copy or not stem or not number.isdigit():
            return name
        name = stem


_BEFORE_TOKEN = re.compile("(?=\ue000\\d+\ue001)")


def _split_code(block: blocks.Block) -> list[blocks.Block]:
    """pandoc reads Source Code paragraphs that follow each other as one code block, but
    it writes each code block as one paragraph: one code block per paragraph (per token)."""
    if not isinstance(block, blocks.CodeBlock) or len(_TOKEN.findall(block.text)) < 2:
        return [block]
    pieces = [piece for piece in _BEFORE_TOKEN.split(block.text) if piece]
    return [blocks.CodeBlock((block.c[0], piece[:-1] if piece.endswith("\n")
                              and index < len(pieces) - 1 else piece))
            for index, piece in enumerate(pieces)]


def _vanished(paragraph: Block, changes: Changes) -> bool:
    """Whether a paragraph leaves no trace once the tracked changes are accepted (or
    rejected): its mark and every word of it deleted (or inserted)."""
    if paragraph.kind != "p":
        return False
    gone = _gone(changes)
    return (_gone_mark(paragraph.element, gone) is not None
            and not _keeps_words(paragraph.element, gone))


def _gone(changes: Changes) -> tuple[str, str]:
    """The tracked changes whose content goes: deletions when accepting, insertions when
    rejecting (a move counted with them)."""
    return (w("del"), w("moveFrom")) if changes == "accept" else (w("ins"), w("moveTo"))


def _gone_mark(paragraph: Any, gone: tuple[str, str]) -> Any:
    """The tracked change of ``paragraph``'s mark (its break) that goes, or None."""
    mark = paragraph.find(f"{w('pPr')}/{w('rPr')}")
    return None if mark is None else next((c for c in mark if c.tag in gone), None)


def _keeps_words(paragraph: Any, gone: tuple[str, str]) -> bool:
    """Whether anything of ``paragraph`` is left once the changes in ``gone`` are taken out:
    any run content (a word, a tab or break, a symbol, a note's number, a picture, an
    equation, a field's result…) that is not in a change that goes.

    Decided by what is *not* content, so that no kind of content is missed: properties
    (every OOXML properties element's name ends in ``Pr``), bookmarks, comment anchors and
    proofing marks, a field's code and its characters (its result is runs of its own),
    Word's record of where a page broke, an empty run, blank text and the tokens of the
    private copy."""
    for node in paragraph.iter():
        if not isinstance(node.tag, str) or len(node) or node.tag in _NOT_CONTENT:
            continue
        if node.tag in _TEXTS and not _CITE_TOKEN.sub(
                "", _TOKEN.sub("", node.text or "")).strip():
            continue  # blank, or a mark that ties the paragraph to pandoc's block
        if not _goes(node, paragraph, gone):
            return True
    return False


def _goes(node: Any, paragraph: Any, gone: tuple[str, str]) -> bool:
    """Whether ``node``, a leaf of ``paragraph``, is no content once the changes in ``gone``
    are taken out: in such a change, in properties, or in a run (a math run too) whose
    properties mark it as such a change."""
    for holder in (node, *node.iterancestors()):
        if holder is paragraph:
            return False
        tag = etree.QName(holder).localname
        if holder.tag in gone or tag.endswith("Pr"):
            return True
        if tag == "r":
            marks = holder.find(w("rPr"))
            if marks is not None and any(mark.tag in gone for mark in marks):
                return True
    return False


_TEXTS = {w("t"), w("delText"), f"{{{_MATH}}}t"}

_NOT_CONTENT = {w(tag) for tag in (
    "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
    "commentReference", "annotationRef", "moveFromRangeStart", "moveFromRangeEnd",
    "moveToRangeStart", "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
    "customXmlDelRangeStart", "customXmlDelRangeEnd", "customXmlMoveFromRangeStart",
    "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd",
    "proofErr", "permStart", "permEnd", "lastRenderedPageBreak", "fldChar", "instrText",
    "delInstrText",
    # what holds runs, empty
    "r", "ins", "del", "moveFrom", "moveTo", "hyperlink", "smartTag", "customXml",
    "fldSimple", "sdt", "sdtContent", "dir", "bdo")} | {
    f"{{{_MATH}}}{tag}" for tag in ("oMathPara", "oMath", "r")}
"""Leaves of a paragraph that are not content."""


_BETWEEN = {w(tag) for tag in ("bookmarkStart", "bookmarkEnd", "commentRangeStart",
                               "commentRangeEnd", "moveFromRangeStart", "moveFromRangeEnd",
                               "moveToRangeStart", "moveToRangeEnd", "proofErr", "permStart",
                               "permEnd")}
"""What may stand between two paragraphs without being content: a paragraph whose mark
goes still joins the paragraph after these."""

_OF_THE_MARK = (w("rPr"), w("sectPr"), w("pPrChange"))
"""The parts of a paragraph's properties that belong to its mark: they go with it."""


def _join_at_gone_marks(root: Any, changes: Changes) -> Any:
    """``root`` (the main part), or a copy of it with every paragraph whose mark goes
    (deleted, or inserted with ``--changes reject``) joined to the paragraph after it, as
    Word joins them when it accepts (or rejects) the change.

    pandoc's reader carries such a paragraph's words into the next paragraph but still
    makes a block of the emptied paragraph: a list item whose mark was deleted came back
    as an empty item before the next one (LibreOffice deletes the last item of a list by
    deleting the mark of the item before it and the words of the last), and a deleted
    subsection as empty items where its list stood. Joined here, pandoc sees no such mark.

    The joined paragraph keeps the properties (style, numbering) of the first of the two
    with anything left in it, and the mark of the second: a paragraph deleted whole
    vanishes into the next, which stays as it was; a paragraph whose words stay takes the
    next one's words in, as LibreOffice joins them (it also writes the first's properties
    on the second). Nothing is put between the two, as neither Word nor LibreOffice puts
    anything: a break the editor typed inside a word and that is rejected (or a stray
    break in a word deleted) gives the word back whole, and two sentences joined read as
    the editor saw them once the change was accepted ("policy.The"). Where no paragraph
    follows (a table, the end of a cell), a paragraph with words keeps its mark, one
    without goes."""
    gone = _gone(changes)
    if not any(node.getparent().tag == w("rPr") and node.getparent().getparent() is not None
               and node.getparent().getparent().tag == w("pPr") for node in root.iter(*gone)):
        return root
    root = deepcopy(root)  # the original's paragraphs serve the review and the ties
    for paragraph in [p for p in root.iter(w("p")) if _gone_mark(p, gone) is not None]:
        keeps = _keeps_words(paragraph, gone)
        after = paragraph.getnext()
        while after is not None and (after.tag in _BETWEEN or not isinstance(after.tag, str)):
            after = after.getnext()
        parent = paragraph.getparent()
        if after is None or after.tag != w("p"):
            if keeps or len(parent.findall(w("p"))) < 2:
                change = _gone_mark(paragraph, gone)
                change.getparent().remove(change)
            else:
                parent.remove(paragraph)
            continue
        properties = paragraph.find(w("pPr"))
        own = after.find(w("pPr"))
        if keeps and properties is not None:
            for part in [c for c in properties if c.tag in _OF_THE_MARK]:
                properties.remove(part)
            for part in [] if own is None else [c for c in own if c.tag in _OF_THE_MARK]:
                properties.append(part)
            if own is not None:
                after.remove(own)
            after.insert(0, properties)
            own = properties
        elif keeps and own is not None:  # the first has no properties: nor has the joined
            for part in [c for c in own if c.tag not in _OF_THE_MARK]:
                own.remove(part)
        moved = [c for c in paragraph if c.tag != w("pPr")]
        at = 0 if own is None else after.index(own) + 1
        for offset, child in enumerate(moved):
            after.insert(at + offset, child)
        parent.remove(paragraph)
    return root


def _joined_headings(xml_blocks: list[Block], changes: Changes) -> list[Block]:
    """The top-level headings :func:`_join_at_gone_marks` joins to the paragraph before
    them: that paragraph keeps words and its mark goes (paragraphs between that vanish
    whole pass its properties on)."""
    gone = _gone(changes)
    joined: list[Block] = []
    for index, block in enumerate(xml_blocks):
        if block.kind != "p" or block.heading_level is None:
            continue
        before = index - 1
        while before >= 0 and _vanished(xml_blocks[before], changes):
            before -= 1
        if (before >= 0 and xml_blocks[before].kind == "p"
                and _gone_mark(xml_blocks[before].element, gone) is not None
                and _keeps_words(xml_blocks[before].element, gone)):
            joined.append(block)
    return joined


def moved_here(edited: EditedBlock) -> bool:
    """Whether every word of the block was moved here (a tracked move's new place): the
    block the editor moved, which alignment must not take as the one that stayed."""
    found = False
    for paragraph in edited.paragraphs:
        for node in paragraph.element.iter(w("t")):
            if not _TOKEN.sub("", node.text or "").strip():
                continue
            if not any(True for _ in node.iterancestors(w("moveTo"))):
                return False
            found = True
    return found


_CAPTION_STYLES = {"image caption", "caption"}


def _figures(found: list[EditedBlock]) -> list[EditedBlock]:
    """An image alone in its paragraph, then a caption paragraph: pandoc's Figure, as written.

    Alone but for empty bookmarks: LibreOffice saves the figure's bookmark (its id, which a
    cross-reference links to) inside the picture's paragraph, which pandoc reads as an empty
    ``anchor`` Span beside the image; the figure's id comes from the source, as pandoc's
    own file (with the bookmark around the paragraph) gives none."""
    out: list[EditedBlock] = []
    for edited in found:
        previous = out[-1] if out else None
        alone = [node for node in previous.block.content if not _bookmark(node)] \
            if previous is not None and isinstance(previous.block, blocks.Plain) else []
        if (previous is not None and len(alone) == 1 and isinstance(alone[0], blocks.Image)
                and isinstance(edited.block, blocks.Plain) and edited.paragraphs
                and edited.paragraphs[0].style.casefold() in _CAPTION_STYLES):
            image = alone[0]
            previous.block = blocks.Figure((blocks.attr(),
                                            (None, [blocks.Plain(edited.block.content)]),
                                            [blocks.Plain([image])]))
            previous.paragraphs.extend(edited.paragraphs)
            continue
        out.append(edited)
    return out


def _bookmark(node: blocks.Inline) -> bool:
    """Whether ``node`` is pandoc's reading of a bookmark: an empty Span with an id."""
    return isinstance(node, blocks.Span) and not node.content and bool(node.attr[0])


_WORDLESS = blocks.Space | blocks.SoftBreak | blocks.LineBreak


def _strip_tokens(value: Any, found: list[int] | None, level: int = 1) -> bool:
    """Remove every token from the words under ``value`` (an element or a list or tuple of
    parts), recording their numbers in ``found``; a list of inlines also loses the spaces a
    token led. With ``found`` None (in a footnote, whose paragraphs hold no tokens), only
    look. False if the parts nest deeper than :data:`MAX_DEPTH`."""
    if level > MAX_DEPTH:
        return False
    if isinstance(value, blocks.Node):
        if isinstance(value, blocks.Note):
            found = None
        if isinstance(value, blocks.CodeBlock):  # its text is one string, the token in it
            if found is not None and "\ue000" in value.text:
                found.extend(int(n) for n in _TOKEN.findall(value.text))
                value.c = (value.c[0], _TOKEN.sub("", value.text))
            return True
        value = getattr(value, "c", None)
    if isinstance(value, tuple):
        return all(_strip_tokens(item, found, level + 1) for item in value
                   if isinstance(item, list | tuple | blocks.Node))
    if not isinstance(value, list):
        return True
    index = 0
    while index < len(value):
        item = value[index]
        if isinstance(item, blocks.Str):
            if found is not None and "\ue000" in item.c:
                found.extend(int(n) for n in _TOKEN.findall(item.c))
                item.c = _TOKEN.sub("", item.c)
                if not item.c:
                    del value[index]
                    continue
        elif isinstance(item, list | tuple | blocks.Node) and not isinstance(
                item, _WORDLESS) and not _strip_tokens(item, found, level + 1):
            return False
        index += 1
    while found is not None and value and isinstance(value[0], blocks.Space | blocks.SoftBreak):
        del value[0]
    return True


def _is_empty(block: blocks.Block) -> bool:
    """An empty paragraph (a blank line typed in Word) carries nothing to import, and nor
    does a heading with no words: that is what a tracked deletion of a heading leaves once
    accepted (LibreOffice keeps the paragraph, its style and bookmark, with its text and
    mark marked deleted), so it reads as the deletion the editor made."""
    return isinstance(block, blocks.Plain | blocks.Header) and not block.content


def _classify(edited: EditedBlock) -> EditedBlock:
    first = edited.paragraphs[0] if edited.paragraphs else None
    if isinstance(edited.block, blocks.Header):
        edited.cls = "heading"
    elif first is not None:
        edited.cls = STYLE_CLASSES.get(first.style.casefold(), "body")
        edited.continues = first.style.casefold() == styles.RECOMMENDATION_CONTINUED.casefold()
    if first is not None:
        edited.ids = list(first.bookmarks)
    return edited
