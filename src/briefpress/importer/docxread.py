"""Turn an edited .docx into pandoc blocks, each tied to the Word paragraphs it came from.

pandoc reads the content (formatting, links, notes, tables, tracked changes
accepted or rejected); the XML scan (:mod:`..formats.docx_scan`) knows what
pandoc drops (bookmark ids, style names). To join the two, every top-level
paragraph gets an invisible token run before pandoc reads a private copy of
the file; the token in each pandoc block names the paragraphs it holds.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from briefpress import pandoc
from briefpress.errors import BriefError, Problem
from briefpress.readback.docx import Block, body_blocks, read_styles, w
from briefpress.render import docx_styles as styles
from briefpress.render.docx_package import Package, read_entry

_TOKEN = re.compile("\ue000(\\d+)\ue001")

# pandoc turns paragraphs in these styles into document metadata; briefpress reads them as
# paragraphs (the title block), so the private copy gives them a style pandoc does not know.
_PANDOC_META_STYLES = {"title", "subtitle", "author", "date", "abstract"}

Changes = Literal["accept", "reject"]


class EditedBlock:
    """One block of the edited document as pandoc read it, with what Word knew about it."""

    __slots__ = ("ast", "cls", "ids", "paragraphs")

    def __init__(self, ast: dict[str, Any], paragraphs: list[Block], cls: str = "body",
                 ids: list[str] | None = None) -> None:
        self.ast = ast
        self.paragraphs = paragraphs
        """The top-level Word paragraphs (or table) the block was read from, in order."""
        self.cls = cls
        """What the block is: ``heading``, ``rec``, ``area``, ``bio``, ``meta:title``…,
        ``body``."""
        self.ids = ids if ids is not None else []

    def __repr__(self) -> str:
        return f"EditedBlock({self.ast.get('t')!r}, cls={self.cls!r}, ids={self.ids!r})"

    @property
    def level(self) -> int:
        return int(self.ast["c"][0]) if self.ast["t"] == "Header" else 0


class EditedDocument:
    """The edited file's blocks as pandoc read them, and its top-level Word paragraphs."""

    def __init__(self, blocks: list[EditedBlock], xml_blocks: list[Block],
                 api_version: list[int]) -> None:
        self.blocks, self.xml_blocks, self.api_version = blocks, xml_blocks, api_version


STYLE_CLASSES = {
    "title": "meta:title",
    "subtitle": "meta:subtitle",
    "author": "meta:author",
    styles.PROGRAM.casefold(): "meta:program",
    styles.RECOMMENDATION.casefold(): "rec",
    styles.RECOMMENDATION_AREA.casefold(): "area",
    styles.AUTHOR_BIO.casefold(): "bio",
    styles.DOCUMENT_TYPE.casefold(): "generated",
    styles.COLOPHON.casefold(): "generated",
}


def read_edited(package: Package, changes: Changes) -> EditedDocument:
    """The blocks of ``package`` with tracked changes accepted or rejected."""
    return start_reading_edited(package, changes).finish()


class EditedReading:
    """An edited .docx whose private copy pandoc is reading (see start_reading_edited)."""

    def __init__(self, package: Package, xml_blocks: list[Block], scratch: Path,
                 job: pandoc.Job) -> None:
        self.package, self.xml_blocks, self.scratch, self.job = package, xml_blocks, scratch, job

    def finish(self) -> EditedDocument:
        """Wait for pandoc and tie its blocks to the Word paragraphs they came from."""
        try:
            ast = _parse_ast(self.job.output(), self.package.path)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
        return EditedDocument(_tie(ast["blocks"], self.xml_blocks), self.xml_blocks,
                              ast["pandoc-api-version"])

    def cancel(self) -> None:
        self.job.cancel()
        shutil.rmtree(self.scratch, ignore_errors=True)


def start_reading_edited(package: Package, changes: Changes) -> EditedReading:
    """Mark every paragraph of ``package`` and start pandoc on the marked copy; pandoc reads
    it while the caller goes on (the importer reads the brief's source meanwhile)."""
    found_styles = read_styles(package)
    xml_blocks = body_blocks(package, found_styles)
    root = xml_blocks[0].element.getroottree().getroot() if xml_blocks else None
    pending = {ident for ident, name in found_styles.characters.items()
               if name == styles.LINK_WITHOUT_TARGET}
    for block in xml_blocks:
        _mark(block)
        _expose_pending_links(block.element, pending)
    main = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
        if root is not None else package.parts[package.main]
    scratch = Path(tempfile.mkdtemp(prefix="briefpress-import-"))
    try:
        copy = scratch / "edited.docx"
        _copy_with_part(package, package.main, main, copy)
        job = pandoc.start_read_file(str(copy), "docx", "json", [f"--track-changes={changes}"])
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return EditedReading(package, xml_blocks, scratch, job)


MAX_AST_DEPTH = 100
"""Deepest nesting of pandoc's JSON for a Word file (a real brief's is 9, tables and lists
give 15). The import walks the AST recursively: tables nested dozens deep in a crafted file
would exhaust Python's stack, so they are refused first."""


def _parse_ast(text: str, path: Path) -> dict[str, Any]:
    """pandoc's JSON, refused if it nests deeper than :data:`MAX_AST_DEPTH`."""
    try:
        ast = json.loads(text)
    except RecursionError:
        ast = None
    depth, stack = 0, [(ast, 1)] if ast is not None else []
    while stack and depth <= MAX_AST_DEPTH:  # containers only: words are most of the nodes
        node, level = stack.pop()
        depth = max(depth, level)
        for child in (node.values() if type(node) is dict else node):
            if type(child) is list or type(child) is dict:
                stack.append((child, level + 1))
    if ast is None or depth > MAX_AST_DEPTH:
        raise BriefError(Problem(path, None, "the .docx nests tables, lists or other blocks "
                                 "too deeply to be read as a brief",
                                 "flatten the nested tables or lists in Word and save again"))
    return ast


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


PENDING_ANCHOR = "briefpress-link-without-target"
"""pandoc drops character styles; a phrase in "Link Without Target" reaches it as a link here."""


def _expose_pending_links(element: Any, style_ids: set[str]) -> None:
    """Wrap runs in the "Link Without Target" style in an internal hyperlink pandoc keeps."""
    if not style_ids:
        return
    for run in list(element.iter(w("r"))):
        rstyle = run.find(f"{w('rPr')}/{w('rStyle')}")
        if rstyle is None or rstyle.get(w("val")) not in style_ids:
            continue
        if any(a.tag == w("hyperlink") for a in run.iterancestors()):
            continue  # the editor has given it a real link
        previous = run.getprevious()
        if previous is not None and previous.tag == w("hyperlink") \
                and previous.get(w("anchor")) == PENDING_ANCHOR:
            previous.append(run)
            continue
        link = etree.Element(w("hyperlink"))
        link.set(w("anchor"), PENDING_ANCHOR)
        run.addprevious(link)
        link.append(run)


def _copy_with_part(package: Package, name: str, data: bytes, out: Path) -> None:
    """Write the package's zip to ``out`` with one part replaced (media and all other parts
    as they were), an entry at a time: memory holds one part, never the whole package.

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
            copy.writestr(entry, data if info.filename == name else read_entry(archive, info))
        if name not in names:
            copy.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)


def _tie(blocks: list[Any], xml_blocks: list[Block]) -> list[EditedBlock]:
    """Strip the tokens from pandoc's blocks and attach the Word paragraphs they name."""
    tied: list[EditedBlock] = []
    for block in blocks:
        indices: list[int] = []
        _strip_tokens(block, indices)
        paragraphs = [xml_blocks[i] for i in indices if i < len(xml_blocks)]
        if _is_empty(block):
            continue
        tied.append(_classify(EditedBlock(block, paragraphs)))
    return _figures(tied)


_CAPTION_STYLES = {"image caption", "caption"}


def _figures(blocks: list[EditedBlock]) -> list[EditedBlock]:
    """An image alone in its paragraph, then a caption paragraph: pandoc's Figure, as written."""
    out: list[EditedBlock] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (previous is not None and previous.ast["t"] in ("Para", "Plain")
                and [n["t"] for n in previous.ast["c"]] == ["Image"]
                and block.ast["t"] in ("Para", "Plain") and block.paragraphs
                and block.paragraphs[0].style.casefold() in _CAPTION_STYLES):
            image = previous.ast["c"][0]
            previous.ast = {"t": "Figure", "c": [
                ["", [], []], [None, [{"t": "Plain", "c": block.ast["c"]}]],
                [{"t": "Plain", "c": [image]}]]}
            previous.paragraphs.extend(block.paragraphs)
            continue
        out.append(block)
    return out


_WORD_SPACES = frozenset({"Space", "SoftBreak", "LineBreak"})


def _strip_tokens(node: Any, found: list[int]) -> None:
    """Remove every token from the Str nodes under ``node``, recording their numbers."""
    if isinstance(node, list):
        index = 0
        while index < len(node):
            item = node[index]
            kind = item.get("t") if isinstance(item, dict) else None
            if kind == "Str":
                if "\ue000" in item["c"]:
                    found.extend(int(n) for n in _TOKEN.findall(item["c"]))
                    item["c"] = _TOKEN.sub("", item["c"])
                    if not item["c"]:
                        del node[index]
                        continue
            elif kind not in _WORD_SPACES and isinstance(item, dict | list):
                _strip_tokens(item, found)
            index += 1
        _drop_leading_space(node)
    elif isinstance(node, dict):
        content = node.get("c")
        if node.get("t") == "Note":
            return  # footnotes hold no tokens; their paragraphs are not in the body
        if isinstance(content, list | dict):
            _strip_tokens(content, found)


def _drop_leading_space(inlines: list[Any]) -> None:
    while inlines and isinstance(inlines[0], dict) and inlines[0].get("t") in ("Space",
                                                                               "SoftBreak"):
        del inlines[0]


def _is_empty(block: dict[str, Any]) -> bool:
    """An empty paragraph (a blank line typed in Word) carries nothing to import."""
    return block["t"] in ("Para", "Plain") and not block["c"]


def _classify(block: EditedBlock) -> EditedBlock:
    first = block.paragraphs[0] if block.paragraphs else None
    if block.ast["t"] == "Header":
        block.cls = "heading"
    elif first is not None:
        block.cls = STYLE_CLASSES.get(first.style.casefold(), "body")
    if first is not None:
        block.ids = list(first.bookmarks)
    return block
