"""Read the outline back from a PDF: bookmarks, and the named destinations that give ids.

``quick_outline`` reads just what the outline needs from the files WeasyPrint writes
(one cross-reference section, Flate or no filter, no encryption): 4-6 ms, where pypdf,
asked for the pages, parses every object of the file's object stream and takes 90-110 ms
with its import. On anything else it raises, and ``pypdf_outline`` reads the file
(``formats.pdf.read_outline`` does that), so a damaged file still gets pypdf's message.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from msgspec import Struct

from briefpress.errors import BriefError, Problem
from briefpress.model.brief import OutlineEntry

AREA_PREFIX = "area:"
RECOMMENDATION_PREFIX = "recommendation:"
"""Prefixes of the element ids (and so of the PDF's named destinations) of recommendation
areas and recommendations, as templates/print.html.j2 writes them: a colon never occurs in
a brief's ids, so they are told from section ids."""

Place = tuple[int, float]
"""A place in the PDF: 0-based page index and the height on the page (PDF units, from the
bottom), rounded to a tenth."""


def pypdf_outline(path: Path) -> tuple[list[tuple[str, Place]],
                                        list[tuple[int, str, Place | None]]]:
    """Named destinations and bookmarks (level, title, place) of any PDF, read with pypdf."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    quiet = logging.getLogger("pypdf")  # its warnings about a damaged file say less than ours
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(path)
        pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
        named = list(_named_destinations(reader, pages))
        bookmarks = list(_bookmarks(reader, reader.outline, pages, level=1))
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise BriefError(Problem(path, None, f"cannot read the PDF: {exc}",
                                 "rebuild it with `briefpress build`")) from None
    finally:
        quiet.setLevel(level)
    return named, bookmarks


def outline_entries(named: list[tuple[str, Place]],
                     bookmarks: list[tuple[int, str, Place | None]]) -> list[OutlineEntry]:
    """The outline from the named destinations and the bookmarks of a PDF."""
    at: dict[Place, list[str]] = {}
    for name, position in named:
        at.setdefault(position, []).append(name)
    recommendations = sorted(((position, name.removeprefix(RECOMMENDATION_PREFIX))
                              for name, position in named
                              if name.startswith(RECOMMENDATION_PREFIX)),
                             key=lambda item: (item[0][0], -item[0][1]))

    # Bookmarks keep their own order (a reordered outline is a defect to report); each
    # recommendation goes where its place on the page falls between them.
    entries: list[OutlineEntry] = []
    area_level = 0

    def place_recommendations(before: tuple[int, float] | None) -> None:
        while recommendations and (before is None or _earlier(recommendations[0][0], before)):
            _, ident = recommendations.pop(0)
            entries.append(OutlineEntry("recommendation", area_level + 1, ident, ident))

    for level, title, position in bookmarks:
        if position is not None:
            place_recommendations(position)
        names = at.get(position, []) if position else []
        area = next((n for n in names if n.startswith(AREA_PREFIX)), None)
        if area is not None:
            area_level = level
            entries.append(OutlineEntry("area", level, area.removeprefix(AREA_PREFIX), title))
        else:
            ident = next((n for n in names if ":" not in n), "")
            entries.append(OutlineEntry("section", level, ident, title))
    place_recommendations(None)
    return entries


def _earlier(a: tuple[int, float], b: tuple[int, float]) -> bool:
    """Whether place ``a`` comes before place ``b`` in reading order (PDF y grows upwards)."""
    return (a[0], -a[1]) < (b[0], -b[1])


def _page_of(destination: Any, pages: dict[int, int]) -> int | None:
    page = destination.get("/Page")
    if page is None:
        return None
    if isinstance(page, int):
        return page
    reference = getattr(page, "indirect_reference", None) or page
    return pages.get(getattr(reference, "idnum", -1))


def _position(destination: Any, pages: dict[int, int]) -> tuple[int, float] | None:
    page = _page_of(destination, pages)
    if page is None:
        return None
    top = destination.get("/Top")
    return page, round(float(top if top is not None else 0.0), 1)


def _named_destinations(reader: Any, pages: dict[int, int]
                        ) -> Iterator[tuple[str, tuple[int, float]]]:
    for name, destination in reader.named_destinations.items():
        position = _position(destination, pages)
        if position is not None:
            yield str(name), position


def _bookmarks(reader: Any, items: list[Any], pages: dict[int, int], level: int
               ) -> Iterator[tuple[int, str, tuple[int, float] | None]]:
    for item in items:
        if isinstance(item, list):
            yield from _bookmarks(reader, item, pages, level + 1)
        else:
            yield level, " ".join(str(item.title).split()), _position(item, pages)


# --------------------------------------------------------------------------- quick outline

class Unsupported(Exception):
    """The file uses something the quick reader leaves to pypdf."""


class _Ref(Struct, frozen=True):
    number: int
    generation: int


_SPACE = re.compile(rb"(?:[ \t\n\r\f\x00]+|%[^\r\n]*)*")
"""White space and comments."""
_REGULAR = re.compile(rb"[^ \t\n\r\f\x00()<>\[\]{}/%]+")
_INT = re.compile(rb"[+-]?\d+$")
_REF = re.compile(rb"[ \t\n\r\f\x00]+(\d+)[ \t\n\r\f\x00]+R(?![^ \t\n\r\f\x00()<>\[\]{}/%])")
"""What makes the integer before it the number of an indirect reference: generation, R."""
_OBJ = re.compile(rb"(\d+)[ \t\n\r\f\x00]+(\d+)[ \t\n\r\f\x00]+obj")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b",
            ord("f"): b"\f", ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}


class _QuickPdf:
    """Just enough of a PDF reader for the outline of the files WeasyPrint writes.

    pypdf, asked for the first page, parses every object of the file's object stream
    (some 900 in a brief, most of them the structure tree) and costs, with its import, a
    tenth of a second. This reads the cross-reference stream or table, then only the
    objects the outline needs. It knows a plain subset of PDF: one cross-reference
    section, Flate-compressed or plain streams, no encryption, ASCII or UTF-16 text; on
    anything else it raises and the caller reads the file with pypdf.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.entries: dict[int, tuple[int, int, int]] = {}
        self.object_streams: dict[int, tuple[bytes, dict[int, int]]] = {}
        self.cache: dict[int, Any] = {}
        start = data.rindex(b"startxref", max(0, len(data) - 1024))
        where, end = data[start + 9:].split()[:2]
        if not end.startswith(b"%%EOF"):
            raise Unsupported("no end-of-file marker")
        offset = int(where)
        if data.startswith(b"xref", offset):
            self.trailer = self._xref_table(offset + 4)
        else:
            xref, stream = self._indirect_at(offset, None)
            if not isinstance(xref, dict) or xref.get("/Type") != "/XRef" or stream is None:
                raise Unsupported("no cross-reference stream")
            self._xref_stream(xref, stream)
            self.trailer = xref
        if "/Prev" in self.trailer or "/Encrypt" in self.trailer \
                or "/XRefStm" in self.trailer:
            raise Unsupported("incremental update or encryption")

    # -- cross-reference

    def _xref_table(self, position: int) -> dict[str, Any]:
        data = self.data
        while True:
            position = _SPACE.match(data, position).end()
            if data.startswith(b"trailer", position):
                trailer, _ = _parse(data, position + 7)
                return trailer
            first, count = data[position:position + 40].split()[:2]
            position = _SPACE.match(data, position + len(first) + 1 + len(count)).end()
            for number in range(int(first), int(first) + int(count)):
                row = data[position:position + 20]
                offset, generation, kind = row.split()[:3]
                if kind == b"n":
                    self.entries.setdefault(number, (1, int(offset), int(generation)))
                position += 20

    def _xref_stream(self, xref: dict[str, Any], stream: bytes) -> None:
        widths = xref["/W"]
        size = xref["/Size"]
        index = xref.get("/Index", [0, size])
        row = sum(widths)
        if len(widths) != 3 or row <= 0 or len(stream) % row:
            raise Unsupported("cross-reference stream layout")
        rows = iter(range(0, len(stream), row))
        for first, count in zip(index[::2], index[1::2], strict=True):
            for number in range(first, first + count):
                at = next(rows)
                fields = []
                for width in widths:
                    fields.append(int.from_bytes(stream[at:at + width], "big"))
                    at += width
                kind = fields[0] if widths[0] else 1
                self.entries.setdefault(number, (kind, fields[1], fields[2]))

    # -- objects

    def get(self, value: Any) -> Any:
        """``value``, or the object it refers to."""
        if not isinstance(value, _Ref):
            return value
        number = value.number
        if number in self.cache:
            return self.cache[number]
        kind, field, _ = self.entries.get(number, (0, 0, 0))
        if kind == 1:
            result, _ = self._indirect_at(field, number)
        elif kind == 2:
            data, offsets = self._object_stream(field)
            result, _ = _parse(data, offsets[number])
        else:
            result = None
        self.cache[number] = result
        return result

    def _indirect_at(self, offset: int, number: int | None) -> tuple[Any, bytes | None]:
        """Object ``number`` at ``offset`` (``N G obj ...``) and its stream's data, if any."""
        match = _OBJ.match(self.data, offset)
        if match is None or (number is not None and int(match.group(1)) != number):
            raise Unsupported("not the object the cross-reference gives")
        value, position = _parse(self.data, match.end())
        position = _SPACE.match(self.data, position).end()
        if not (isinstance(value, dict) and self.data.startswith(b"stream", position)):
            return value, None
        position += 6
        position += 2 if self.data.startswith(b"\r\n", position) else 1
        length = self.get(value["/Length"])
        raw = self.data[position:position + length]
        if not self.data.startswith(b"endstream", _SPACE.match(self.data,
                                                                position + length).end()):
            raise Unsupported("stream length")
        return value, decoded(value, raw)

    def _object_stream(self, number: int) -> tuple[bytes, dict[int, int]]:
        if number not in self.object_streams:
            kind, offset, _ = self.entries.get(number, (0, 0, 0))
            if kind != 1:
                raise Unsupported("object stream not at an offset")
            header, data = self._indirect_at(offset, number)
            if header.get("/Type") != "/ObjStm" or data is None:
                raise Unsupported("not an object stream")
            first = header["/First"]
            numbers = [int(n) for n in re.sub(rb"%[^\r\n]*", b"", data[:first]).split()]
            offsets = {numbers[i]: first + numbers[i + 1] for i in range(0, len(numbers), 2)}
            self.object_streams[number] = (data, offsets)
        return self.object_streams[number]

    # -- the outline

    def outline(self) -> tuple[list[tuple[str, Place]], list[tuple[int, str, Place | None]]]:
        """Named destinations and bookmarks, as :func:`pypdf_outline` gives them."""
        catalog = self.get(self.trailer["/Root"])
        pages: dict[int, int] = {}
        self._pages(catalog["/Pages"], pages, set())
        if "/Dests" in catalog:
            raise Unsupported("old-style destinations")
        named: dict[str, Place] = {}
        tree = self.get(self.get(catalog.get("/Names", {})).get("/Dests"))
        if tree is not None:
            if "/Kids" in tree:
                raise Unsupported("name tree with kids")
            pairs = self.get(tree["/Names"])
            for key, destination in zip(pairs[::2], pairs[1::2], strict=True):
                position = self._place(self.get(destination), pages)
                if position is not None:
                    named[_text(self.get(key))] = position
        bookmarks: list[tuple[int, str, Place | None]] = []
        outlines = self.get(catalog.get("/Outlines"))
        if outlines is not None:
            self._bookmarks(outlines.get("/First"), 1, pages, bookmarks, set())
        return list(named.items()), bookmarks

    def _pages(self, node_ref: Any, pages: dict[int, int], seen: set[int]) -> None:
        node = self.get(node_ref)
        if not isinstance(node_ref, _Ref) or node_ref.number in seen:
            raise Unsupported("page tree")
        seen.add(node_ref.number)
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                self._pages(kid, pages, seen)
        elif node.get("/Type") == "/Page":
            pages[node_ref.number] = len(pages)
        else:
            raise Unsupported("page tree node")

    def _place(self, destination: Any, pages: dict[int, int]) -> Place | None:
        if not isinstance(destination, list) or len(destination) != 5 \
                or destination[1] != "/XYZ" or not isinstance(destination[0], _Ref):
            raise Unsupported("destination")
        top = self.get(destination[3])
        if isinstance(top, bool) or not isinstance(top, int | float):
            raise Unsupported("destination top")
        page = pages.get(destination[0].number)
        return None if page is None else (page, round(float(top), 1))

    def _bookmarks(self, item_ref: Any, level: int, pages: dict[int, int],
                   out: list[tuple[int, str, Place | None]], seen: set[int]) -> None:
        while item_ref is not None:
            if not isinstance(item_ref, _Ref) or item_ref.number in seen:
                raise Unsupported("outline item")
            seen.add(item_ref.number)
            item = self.get(item_ref)
            if "/A" in item or "/Dest" not in item:
                raise Unsupported("outline item without a plain destination")
            title = _text(self.get(item.get("/Title", b"")))
            out.append((level, " ".join(title.split()),
                        self._place(self.get(item["/Dest"]), pages)))
            if "/First" in item:
                self._bookmarks(item["/First"], level + 1, pages, out, seen)
            item_ref = item.get("/Next")


def quick_outline(data: bytes) -> tuple[list[tuple[str, Place]],
                                         list[tuple[int, str, Place | None]]]:
    return _QuickPdf(data).outline()


QUICK_STREAM_BYTES = 16 * 2**20
"""The largest stream the quick reader inflates (a brief's object stream is about 200 kB);
pypdf, with its own limits, reads files with larger ones."""


def decoded(header: dict[str, Any], raw: bytes) -> bytes:
    filters = header.get("/Filter")
    filters = filters if isinstance(filters, list) else [filters] if filters else []
    if "/DecodeParms" in header or any(f != "/FlateDecode" for f in filters):
        raise Unsupported("stream filter")
    for _ in filters:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(raw, QUICK_STREAM_BYTES)
        if inflater.unconsumed_tail:
            raise Unsupported("stream too large")
    return raw


def _text(value: Any) -> str:
    """A PDF text string: UTF-16 with its byte order mark, or ASCII (else pypdf decodes it)."""
    if not isinstance(value, bytes):
        raise Unsupported("not a string")
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be")
    return value.decode("ascii")


def _parse(data: bytes, position: int) -> tuple[Any, int]:
    """The PDF object at ``position`` in ``data`` and the position after it."""
    position = _SPACE.match(data, position).end()
    char = data[position:position + 1]
    if char == b"/":
        match = _REGULAR.match(data, position + 1)
        end = match.end() if match else position + 1
        name = data[position:end]
        if b"#" in name:
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)
        return name.decode("latin-1"), end
    if char == b"<":
        if data.startswith(b"<<", position):
            result: dict[str, Any] = {}
            position += 2
            while True:
                position = _SPACE.match(data, position).end()
                if data.startswith(b">>", position):
                    return result, position + 2
                key, position = _parse(data, position)
                if not isinstance(key, str):
                    raise Unsupported("dictionary key")
                result[key], position = _parse(data, position)
        end = data.index(b">", position)
        digits = re.sub(rb"[^0-9A-Fa-f]", b"", data[position + 1:end])
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()), end + 1
    if char == b"[":
        items: list[Any] = []
        position += 1
        while True:
            position = _SPACE.match(data, position).end()
            if data.startswith(b"]", position):
                return items, position + 1
            item, position = _parse(data, position)
            items.append(item)
    if char == b"(":
        return _literal_string(data, position + 1)
    match = _REGULAR.match(data, position)
    if match is None:
        raise Unsupported("unexpected delimiter")
    token, end = match.group(), match.end()
    if _INT.match(token):
        ref = _REF.match(data, end)
        if ref is not None:
            return _Ref(int(token), int(ref.group(1))), ref.end()
        return int(token), end
    if token in (b"true", b"false"):
        return token == b"true", end
    if token == b"null":
        return None, end
    try:
        return float(token), end
    except ValueError:
        raise Unsupported("unknown token") from None


def _literal_string(data: bytes, position: int) -> tuple[bytes, int]:
    out = bytearray()
    depth = 0
    while True:
        char = data[position]
        position += 1
        if char == 0x5C:  # backslash
            escaped = data[position]
            position += 1
            if escaped in _ESCAPES:
                out += _ESCAPES[escaped]
            elif 0x30 <= escaped <= 0x37:
                digits = bytes([escaped])
                while len(digits) < 3 and 0x30 <= data[position] <= 0x37:
                    digits += bytes([data[position]])
                    position += 1
                out.append(int(digits, 8) & 0xFF)
            elif escaped == 0x0D:
                position += data[position] == 0x0A
            elif escaped != 0x0A:
                out.append(escaped)
        elif char == 0x28:
            depth += 1
            out.append(char)
        elif char == 0x29:
            if depth == 0:
                return bytes(out), position
            depth -= 1
            out.append(char)
        else:
            out.append(char)
