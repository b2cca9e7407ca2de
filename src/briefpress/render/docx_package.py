"""Turn pandoc's .docx into the briefpress edition, and any .docx into parts read safely.

Finishing a file makes it reproducible (fixed timestamps, sorted entries, fixed
core properties), gives each SVG picture a PNG every reader shows (render/docx_raster.py),
sets the tables too wide for the text in smaller type (render/docx_tables.py), puts the
title in the running head, records which source
revision it was made from (custom document properties) and embeds that source
itself as a custom XML part, which Word and LibreOffice both keep when they save:
the importer needs it as the base of a three-way merge. Every part it writes or
changes is an lxml element tree, serialised by lxml.

Opening a file is where untrusted input enters: the zip is checked for size,
entry count, compression ratio, path tricks and macros before anything is
decompressed, and XML is parsed without DTDs, entities or network.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import os
import re
import sys
import uuid
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import msgspec
from lxml import etree

from briefpress.errors import BriefError, Problem
from briefpress.model.brief import Brief
from briefpress.model.options import RenderOptions
from briefpress.model.schema import Metadata
from briefpress.render.docx_fonts import EmbeddedFace
from briefpress.render.docx_fonts import embed as embed_fonts
from briefpress.render.docx_raster import SvgFigure, add_png_fallbacks, fit_pictures
from briefpress.render.docx_styles import PROGRAM, SERIES, TITLE_PLACEHOLDER
from briefpress.render.docx_tables import compact_wide_tables
from briefpress.render.ooxml import (
    CP,
    CT,
    CUSTOM,
    DC,
    DCTERMS,
    DS,
    REL,
    VT,
    XSI,
    R,
    W,
    part_bytes,
    qname,
    switch_on,
    trusted_xml,
    xml_safe,
)
from briefpress.support.epoch import FALLBACK_EPOCH, edition_date
from briefpress.support.files import open_regular

SOURCE_NS = "urn:briefpress:source:1"
PROP_SLUG = "briefpress-slug"
PROP_REVISION = "briefpress-revision"
PROP_FORMAT = "briefpress-format"
FORMAT_VERSION = "1"

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 5000
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200
"""Compression ratio above which an entry (over 1 MB unpacked) is taken for a zip bomb."""
MAX_XML_BYTES = 64 * 1024 * 1024
MAX_MEDIA_BYTES = 32 * 1024 * 1024
"""An image (or any part that is not XML) larger than this is refused: the renders would
refuse the file anyway (``sandbox.MAX_FILE_BYTES``)."""
READ_CHUNK = 64 * 1024

_MACRO_TYPES = re.compile(r"macroEnabled|vbaProject|vbaData|activeX", re.IGNORECASE)
"""Words in the content type, part name or extension of a macro or ActiveX part."""


# -- finishing the rendered file -------------------------------------------------------------

def finish(raw: bytes, brief: Brief, options: RenderOptions, faces: list[EmbeddedFace],
           figures: Mapping[str, SvgFigure] | None = None) -> bytes:
    """Make pandoc's output the reproducible briefpress edition of ``brief``, with the
    fonts ``faces`` (docx_fonts.embedded_faces: the house's, or its brand's) embedded and
    each SVG picture given its PNG, its text set in those fonts (``figures``: where brief.md
    has each SVG, docx_ast.prepare)."""
    parts = read_zip_trusted(raw)
    if options.paper == "a4":  # first: every picture is fitted to the page it is on
        parts["word/document.xml"] = _a4(parts["word/document.xml"])
    fit_pictures(parts)
    add_png_fallbacks(parts, figures or {}, faces, brief.brand, brief.markdown_path)
    made = edition_date(brief.meta.date)
    for name in [n for n in parts if re.fullmatch(r"word/header\d*\.xml", n)]:
        parts[name] = _running_head(parts[name], _running_title(brief))
    parts["docProps/core.xml"] = core_xml(
        brief.meta, made.strftime("%Y-%m-%dT%H:%M:%SZ") if made else None)
    parts["docProps/custom.xml"] = custom_xml({PROP_SLUG: brief.slug,
                                               PROP_REVISION: brief.revision,
                                               PROP_FORMAT: FORMAT_VERSION})
    # Track Changes on: editors' edits come back listed with author and date
    parts["word/settings.xml"] = switch_on(parts["word/settings.xml"], "trackRevisions")
    parts["word/document.xml"] = _picture_descriptions(parts["word/document.xml"])
    parts["word/document.xml"] = compact_wide_tables(parts["word/document.xml"],
                                                     parts["word/styles.xml"])
    parts["word/document.xml"] = _title_block_end(parts["word/document.xml"],
                                                  parts["word/styles.xml"])
    _embed_source(parts, brief)
    embed_fonts(parts, faces)
    return write_zip(parts, timestamp(brief))


def timestamp(brief: Brief) -> int:
    """The time of every entry of the zip: the edition's date (``SOURCE_DATE_EPOCH``, else
    the brief's), else the first a zip can store, as every edition's fixed date; never the
    clock. Word shows the file's own dates from docProps/core.xml, which an undated brief's
    file leaves out."""
    made = edition_date(brief.meta.date)
    if made is None:
        return FALLBACK_EPOCH
    return min(max(int(made.timestamp()), FALLBACK_EPOCH), 4354819198)  # zip: 1980 to 2107


def write_zip(parts: dict[str, bytes], stamp: int, compress: bool = True) -> bytes:
    """A zip with the content types first, then every part in name order, all with one date."""
    date = datetime.datetime.fromtimestamp(stamp, datetime.UTC).timetuple()[:6]
    order = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            # embedded fonts are most of the bytes and deflate poorly: level 1 takes 12 ms
            # where 6 takes 28 ms, for a file 8% larger
            archive.writestr(info, parts[name],
                             compresslevel=1 if name.startswith("word/fonts/") else 6)
    return out.getvalue()


def read_zip_trusted(raw: bytes) -> dict[str, bytes]:
    """Every entry of a package briefpress itself (or pandoc for it) just wrote."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()
                if not info.is_dir()}


# -- building and editing parts, always through lxml ------------------------------------------

def core_xml(meta: Metadata, iso: str | None) -> bytes:
    """docProps/core.xml: what Word shows under File > Info, dated ``iso`` (never the clock;
    no date at all for an undated brief, as its PDF has none)."""
    fields = [
        (DC, "title", meta.title),
        (DC, "subject", meta.subtitle or ""),
        (DC, "creator", "; ".join(a.name for a in meta.authors)),
        (CP, "keywords", ", ".join(meta.keywords)),
        (DC, "description", meta.summary or ""),
        (DC, "language", meta.lang),
        (CP, "lastModifiedBy", "briefpress"),
    ]
    root = etree.Element(qname(CP, "coreProperties"),
                         nsmap={"cp": CP, "dc": DC, "dcterms": DCTERMS, "xsi": XSI})
    for namespace, tag, value in fields:
        if text := xml_safe(value):
            etree.SubElement(root, qname(namespace, tag)).text = text
    for tag in ("created", "modified") if iso else ():
        etree.SubElement(root, qname(DCTERMS, tag),
                         {qname(XSI, "type"): "dcterms:W3CDTF"}).text = iso
    return part_bytes(root)


def custom_xml(values: dict[str, str]) -> bytes:
    """docProps/custom.xml: ``values`` as text-valued custom document properties."""
    root = etree.Element(qname(CUSTOM, "Properties"), nsmap={None: CUSTOM, "vt": VT})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = etree.SubElement(root, qname(CUSTOM, "property"), {
            "fmtid": "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", "pid": str(pid),
            "name": xml_safe(name)})
        etree.SubElement(prop, qname(VT, "lpwstr")).text = xml_safe(value)
    return part_bytes(root)


def _running_title(brief: Brief) -> str:
    return brief.meta.title


def _running_head(header: bytes, title: str) -> bytes:
    """A header part with the reference document's placeholder replaced by ``title``."""
    root = trusted_xml(header)
    texts = [t for t in root.iter(qname(W, "t")) if t.text and TITLE_PLACEHOLDER in t.text]
    if not texts:
        return header
    for text in texts:
        text.text = text.text.replace(TITLE_PLACEHOLDER, xml_safe(title))
    return part_bytes(root)


A4_WIDTH_TWIPS = 11906
"""An A4 page's width in twentieths of a point."""


def _a4(document: bytes) -> bytes:
    """The main part with every section on an A4 page (portrait, in twentieths of a point).
    pandoc sized each picture for the reference document's page, Letter, whose text is
    wider than A4's: :func:`~briefpress.render.docx_raster.fit_pictures` fits them to this
    page after."""
    root = trusted_xml(document)
    for size in root.iter(qname(W, "pgSz")):
        size.attrib.clear()
        size.set(qname(W, "w"), str(A4_WIDTH_TWIPS))
        size.set(qname(W, "h"), "16838")
    return part_bytes(root)


_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _picture_descriptions(document: bytes) -> bytes:
    """The main part with each picture described by its alternative text: pandoc gives the
    picture's own description (``pic:cNvPr descr``) the image's URL, which for an embedded
    image is its whole ``data:`` URI, and LibreOffice takes that for the alternative text
    on saving. Unchanged (the same bytes) when no picture has one."""
    root = trusted_xml(document)
    changed = False
    for drawing in root.iter(qname(_WP, "inline"), qname(_WP, "anchor")):
        frame = drawing.find(qname(_WP, "docPr"))
        alt = frame.get("descr", "") if frame is not None else ""
        for own in drawing.iter(qname(_PIC, "cNvPr")):
            if own.get("descr", "").startswith("data:"):
                own.set("descr", alt)
                changed = True
    return part_bytes(root) if changed else document


def _title_block_end(document: bytes, styles: bytes) -> bytes:
    """The main part with a series that ends the title block (a brief of no program) given
    the program's space after it: the ``Program`` paragraph, which follows the series'
    otherwise, ends the block with the space before the first heading, and Word has no
    spacing that depends on the next paragraph's style. Unchanged (the same bytes) in every
    other case."""
    root = trusted_xml(document)
    series = next((p for p in root.iter(qname(W, "p")) if _style_of(p) == SERIES), None)
    if series is None:
        return document
    following = series.getnext()
    if following is not None and _style_of(following) == PROGRAM:
        return document
    program = next((s for s in trusted_xml(styles).iter(qname(W, "style"))
                    if s.get(qname(W, "styleId")) == PROGRAM), None)
    after = program.find(f"{qname(W, 'pPr')}/{qname(W, 'spacing')}") if program is not None \
        else None
    if after is None or after.get(qname(W, "after")) is None:
        return document
    properties = series.find(qname(W, "pPr"))
    spacing = properties.find(qname(W, "spacing"))
    if spacing is None:
        spacing = etree.Element(qname(W, "spacing"))
        # in the schema's order: before the first property that comes after the spacing
        later = next((child for child in properties
                      if etree.QName(child).localname in _AFTER_SPACING), None)
        if later is None:
            properties.append(spacing)
        else:
            later.addprevious(spacing)
    spacing.set(qname(W, "after"), after.get(qname(W, "after")))
    return part_bytes(root)


_AFTER_SPACING = frozenset({"ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
                            "jc", "textDirection", "textAlignment", "textboxTightWrap",
                            "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"})
"""The paragraph properties the schema (CT_PPrBase) puts after ``w:spacing``."""


def _style_of(paragraph: Any) -> str | None:
    style = paragraph.find(f"{qname(W, 'pPr')}/{qname(W, 'pStyle')}")
    return style.get(qname(W, "val")) if style is not None else None


def _embed_source(parts: dict[str, bytes], brief: Brief) -> None:
    """Store the source revision (brief.md, recommendations.yaml) as a custom XML part."""
    files = {"brief.md": brief.markdown, "recommendations.yaml": brief.recommendations_text}
    source = etree.Element(qname(SOURCE_NS, "source"), {
        "slug": xml_safe(brief.slug), "revision": xml_safe(brief.revision)},
        nsmap={"s": SOURCE_NS})
    for name, text in files.items():
        etree.SubElement(source, qname(SOURCE_NS, "file"), {"name": name}).text = \
            base64.b64encode(text.encode("utf-8")).decode("ascii")
    parts["customXml/item1.xml"] = part_bytes(source)
    item_id = uuid.UUID(hashlib.md5(brief.revision.encode(), usedforsecurity=False).hexdigest())
    item = etree.Element(qname(DS, "datastoreItem"), {
        qname(DS, "itemID"): "{" + str(item_id).upper() + "}"}, nsmap={"ds": DS})
    refs = etree.SubElement(item, qname(DS, "schemaRefs"))
    etree.SubElement(refs, qname(DS, "schemaRef"), {qname(DS, "uri"): SOURCE_NS})
    parts["customXml/itemProps1.xml"] = part_bytes(item, standalone=False)
    rels = etree.Element(qname(REL, "Relationships"), nsmap={None: REL})
    etree.SubElement(rels, qname(REL, "Relationship"), {
        "Id": "rId1", "Type": f"{R}/customXmlProps", "Target": "itemProps1.xml"})
    parts["customXml/_rels/item1.xml.rels"] = part_bytes(rels)

    types = trusted_xml(parts["[Content_Types].xml"])
    etree.SubElement(types, qname(CT, "Override"), {
        "PartName": "/customXml/itemProps1.xml",
        "ContentType": "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"})
    parts["[Content_Types].xml"] = part_bytes(types)
    document_rels = trusted_xml(parts["word/_rels/document.xml.rels"])
    etree.SubElement(document_rels, qname(REL, "Relationship"), {
        "Id": "rIdBriefpressSource", "Type": f"{R}/customXml",
        "Target": "../customXml/item1.xml"})
    parts["word/_rels/document.xml.rels"] = part_bytes(document_rels)


# -- opening any .docx ------------------------------------------------------------------------

class Package(msgspec.Struct):
    """The parts of a .docx that briefpress reads, checked and decompressed."""

    path: Path
    parts: dict[str, bytes]
    main: str
    """Name of the main document part (``word/document.xml`` in practice)."""
    problems: list[str] = msgspec.field(default_factory=list)

    def __repr__(self) -> str:  # the parts are megabytes of XML and media: name them only
        return f"Package({str(self.path)!r}, {len(self.parts)} parts, main={self.main!r})"

    def xml(self, name: str) -> Any:
        """The part ``name`` as an lxml element (None if the part is missing)."""
        data = self.parts.get(name)
        return None if data is None else parse_xml(data, self.path, name)

    def related(self, source: str, rel_type: str) -> str | None:
        """Name of the part ``source`` relates to with relationship type ``rel_type``."""
        folder, base = source.rsplit("/", 1) if "/" in source else ("", source)
        rels = self.xml(f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
        if rels is None:
            return None
        for rel in rels.iter(f"{{{REL}}}Relationship"):
            if rel.get("Type", "").endswith("/" + rel_type) and rel.get("TargetMode") != "External":
                return _resolve(folder, rel.get("Target", ""))
        return None


def open_docx(path: Path) -> Package:
    """Open ``path`` as a Word package, refusing anything that is not a sane .docx."""
    def refuse(message: str, fix: str) -> BriefError:
        return BriefError(Problem(path, None, message, fix))

    try:
        # a regular file, checked as it is opened: a FIFO or a device would block or never end
        handle = open_regular(path, sys.maxsize, "give the path of the edited .docx")
    except FileNotFoundError:
        raise refuse("file not found", "give the path of the edited .docx") from None
    except OSError as exc:
        raise refuse(f"cannot read file: {exc.strerror}", "check the path and permissions"
                     ) from None
    with handle:
        return _open_package(path, handle, refuse)


def _open_package(path: Path, handle: BinaryIO,
                  refuse: Callable[[str, str], BriefError]) -> Package:
    """The package in ``handle`` (the open file ``path``), checked before it is unpacked."""
    size = os.fstat(handle.fileno()).st_size
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise refuse("this is an old-style Word .doc or a password-protected file, not a .docx",
                     "remove the password, or open it in Word and save it as Word Document "
                     "(.docx)")
    if not head.startswith(b"PK"):
        raise refuse("not a Word .docx file (it is not a zip package)",
                     "give the .docx that Word or LibreOffice saved")
    if size > MAX_FILE_BYTES:
        raise refuse(f"file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB "
                     "limit", "remove large embedded media and save again")
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise refuse(f"the .docx is corrupt: {exc}", "save it again from Word or LibreOffice"
                     ) from None
    with archive:
        infos = archive.infolist()
        _check_entries(infos, refuse)
        names = {info.filename for info in infos}
        if "mimetype" in names and b"opendocument" in read_entry(archive,
                                                                 archive.getinfo("mimetype")):
            raise refuse("this is an OpenDocument (.odt) file, not a .docx",
                         "save it as Word 2007-365 (.docx) and import that")
        if "[Content_Types].xml" not in names:
            raise refuse("the .docx is corrupt: it has no [Content_Types].xml",
                         "save it again from Word or LibreOffice")
        parts: dict[str, bytes] = {}
        for info in infos:
            if info.is_dir() or not _wanted(info.filename):
                continue
            try:
                data = read_entry(archive, info)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError,
                    ValueError, NotImplementedError) as exc:
                raise refuse(f"the .docx is corrupt: cannot unpack {info.filename} ({exc})",
                             "save it again from Word or LibreOffice") from None
            if len(data) != info.file_size:
                raise refuse(f"the .docx is corrupt: {info.filename} has the wrong size",
                             "save it again from Word or LibreOffice")
            refuse_dtd(data, path, info.filename)  # in every part: pandoc reads more than we do
            parts[info.filename] = data
    types = parse_xml(parts["[Content_Types].xml"], path, "[Content_Types].xml")
    if _declares_macros(types) or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise refuse("the document contains macros, which briefpress does not accept",
                     "save it as Word Document (.docx), not as a macro-enabled .docm")
    package = Package(path, parts, "")
    main = package.related("", "officeDocument") or "word/document.xml"
    if main not in parts:
        raise refuse("the .docx is corrupt: it has no main document part",
                     "save it again from Word or LibreOffice")
    package.main = main
    return package


def _declares_macros(types: Any) -> bool:
    """Whether [Content_Types].xml declares a macro or ActiveX part, in any attribute."""
    return any(_MACRO_TYPES.search(value) for element in types.iter(etree.Element)
               for value in element.attrib.values())


def _check_entries(infos: list[zipfile.ZipInfo], refuse: Any) -> None:
    if len(infos) > MAX_ENTRIES:
        raise refuse(f"the .docx has {len(infos)} entries, over the limit of {MAX_ENTRIES}",
                     "this is not a document briefpress made or can read")
    total = 0
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name)
        if (name.startswith(("/", "\\")) or "\\" in name or ".." in pure.parts or "\x00" in name
                or re.match(r"^[A-Za-z]:", name)):
            raise refuse(f"the .docx contains an unsafe entry name {name!r}",
                         "this file was crafted, not saved by Word; do not use it")
        if name in seen:
            raise refuse(f"the .docx contains the entry {name!r} twice",
                         "this file was crafted, not saved by Word; do not use it")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise refuse("the .docx is encrypted", "remove the password in Word and save again")
        limit = part_limit(name)
        if info.file_size > limit:
            raise refuse(f"the .docx part {name!r} unpacks to {info.file_size / 2**20:.0f} MB, "
                         f"over the {limit // 2**20} MB limit for one part",
                         "make the image smaller (in Word: Compress Pictures) and save again")
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise refuse(f"the .docx unpacks to more than {MAX_UNPACKED_BYTES / 1e6:.0f} MB",
                         "this is not a document briefpress can read")
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise refuse(f"the .docx entry {name!r} is compressed {ratio}:1, which only a zip "
                         "bomb does", "this file was crafted, not saved by Word; do not use it")


def part_limit(name: str) -> int:
    """The most bytes the entry ``name`` may unpack to: XML parts and media have their own."""
    return MAX_XML_BYTES if _wanted(name) else MAX_MEDIA_BYTES


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The bytes of one entry, inflated a chunk at a time and never past its part's limit.

    ``ZipFile.read`` inflates a whole deflate stream in one call and only then cuts it to
    the size the zip declares: an entry that declares a few bytes but inflates to gigabytes
    would take all that memory first. Reading in chunks stops at the declared size (and the
    CRC check then fails) whatever the stream holds. A damaged entry is a BriefError.
    """
    limit = part_limit(info.filename)
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(READ_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise zipfile.BadZipFile(f"it unpacks to more than {limit // 2**20} MB")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError) as exc:
        raise BriefError(Problem(archive.filename or "the .docx", None,
                                 f"the .docx is corrupt: cannot unpack {info.filename} ({exc})",
                                 "save it again from Word or LibreOffice")) from None
    return b"".join(chunks)


def _wanted(name: str) -> bool:
    """Parts briefpress reads: XML and relationships (media stay inside the zip for pandoc)."""
    return name.endswith((".xml", ".rels")) or name == "mimetype"


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = [p for p in folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True)


def parse_xml(data: bytes, path: Path | str, name: str) -> Any:
    """Parse one part; DTDs (never used by OOXML, the road to entity bombs) are refused."""
    if len(data) > MAX_XML_BYTES:
        raise BriefError(Problem(path, None, f"the .docx part {name} is too large to read",
                                 "this is not a document briefpress can read"))
    refuse_dtd(data, path, name)
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        if exc.msg.startswith("Excessive depth"):
            raise BriefError(Problem(path, None, f"the .docx part {name} nests elements more "
                                     "than 256 deep", "this file was crafted, not saved by "
                                     "Word; do not use it")) from None
        raise BriefError(Problem(path, None, f"the .docx is corrupt: {name} is not well-formed "
                                 f"XML ({exc.msg})", "save it again from Word or LibreOffice"
                                 )) from None


def refuse_dtd(data: bytes, path: Path | str, name: str) -> None:
    """Refuse a part that declares a DTD or an entity (never used by OOXML; the road to
    entity bombs and external entities), in UTF-8 or UTF-16 alike."""
    probe = data.replace(b"\x00", b"") if b"\x00" in data[:4] else data
    if b"<!DOCTYPE" in probe or b"<!ENTITY" in probe:
        raise BriefError(Problem(path, None, f"the .docx part {name} declares a DTD",
                                 "this file was crafted, not saved by Word; do not use it"))


def custom_properties(package: Package) -> dict[str, str]:
    """The custom document properties (name -> text value)."""
    root = package.xml("docProps/custom.xml")
    if root is None:
        return {}
    values = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop):
            values[name] = prop[0].text or ""
    return values


def embedded_source(package: Package) -> dict[str, str] | None:
    """The source files the document was made from, if it carries them intact."""
    for name, data in package.parts.items():
        if not name.startswith("customXml/item") or SOURCE_NS.encode() not in data:
            continue
        root = parse_xml(data, package.path, name)
        if root.tag != f"{{{SOURCE_NS}}}source":
            continue
        files = {}
        for entry in root:
            try:
                files[entry.get("name", "")] = base64.b64decode(
                    "".join((entry.text or "").split()), validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                return None
        if set(files) == {"brief.md", "recommendations.yaml"}:
            return files
    return None
