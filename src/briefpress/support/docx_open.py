"""Turn any .docx into its parts, read safely: the one gate every reader of a Word file passes.

Opening a file is where untrusted input enters: the zip is checked for size,
entry count, compression ratio, path tricks and macros before anything is
decompressed, and XML is parsed without DTDs, entities or network. The writing of
briefpress's own package is render/docx_package.py's; readback/ and importer/ read here.
"""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import msgspec
from lxml import etree

from briefpress.errors import BriefError, Problem
from briefpress.support.files import open_regular
from briefpress.support.ooxml import REL

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
NOT_A_ZIP = "not a Word .docx file (it is not a zip package)"
"""What a file that no zip reader opens is: one of other bytes, or a .docx cut short."""

_MACRO_TYPES = re.compile(r"macroEnabled|vbaProject|vbaData|activeX", re.IGNORECASE)
"""Words in the content type, part name or extension of a macro or ActiveX part."""


def read_zip_trusted(raw: bytes) -> dict[str, bytes]:
    """Every entry of a package briefpress itself (or pandoc for it) just wrote."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()
                if not info.is_dir()}


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
        raise refuse(NOT_A_ZIP, "give the .docx that Word or LibreOffice saved")
    if size > MAX_FILE_BYTES:
        raise refuse(f"file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB "
                     "limit", "remove large embedded media and save again")
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile:  # a zip's start without its end: said as a file of no zip
        raise refuse(NOT_A_ZIP, "give the .docx that Word or LibreOffice saved, whole: this "
                     "one may have been cut short by a copy or a download") from None
    except (OSError, ValueError, NotImplementedError) as exc:
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
