"""Turn a Brief into the print PDF (tagged PDF/UA-1 or PDF/A), and a PDF back into its outline.

The print template (``templates/print.html.j2``) lays out the HTML fragments of
``htmlparts`` with ``styles/print.css`` and the design tokens; WeasyPrint turns
that into a paged, tagged PDF, loading every resource through the sandbox.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import html as html_text
import logging
import os
import re
import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from msgspec import Struct
from msgspec.structs import replace

from .. import __version__, design, fontcache, htmlparts
from ..errors import BriefError, Problem
from ..model import Brief, OutlineEntry
from ..options import RenderOptions
from ..paths import FONTS, STYLES, TEMPLATES
from ..sandbox import Resource, Sandbox, weasyprint_fetcher
from ..sharedlibs import deferred_imports, fast_find_library, fast_type_parsing

BRIEF_URL = "file:///briefpress-brief/"
"""The URL the print document gives its brief's folder, the same wherever the folder lies."""

PDF_VARIANTS = {"ua": "pdf/ua-1", "a": "pdf/a-2u"}
"""WeasyPrint variant for each ``--pdf-variant``; both are tagged (see :func:`write_pdf`)."""

AREA_PREFIX = "area:"
RECOMMENDATION_PREFIX = "recommendation:"
"""Prefixes of the element ids (and so of the PDF's named destinations) of recommendation
areas and recommendations: a colon never occurs in a brief's ids, so the outline reader can
tell them from section ids."""

RUNNING_TITLE_MAX = 64
"""A title longer than this runs in the head in its short form (up to its colon)."""

TITLE_SIZES = ((150, "very-long"), (60, "long"))
"""Titles longer than these many characters are set smaller on the cover, so that any title
up to several hundred characters leaves room for the byline."""


class PrintDocument(Struct, frozen=True):
    """What the print template needs besides the brief: titles, dates, page set-up."""

    full_title: str
    running_title: str
    title_size: str
    """"normal", "long" or "very-long": how large the cover sets the title."""
    subject: str
    label: str
    generator: str
    date: str | None
    """W3C date-time of the document's creation and modification, or None when unknown."""
    date_display: str | None
    page_size: str
    page_size_css: str
    page_margins: str


def render(brief: Brief, out: Path, options: RenderOptions) -> None:
    """Write the print PDF of ``brief`` to ``out``."""
    html = render_html(brief, options)
    write_pdf(brief, html, out, options)


def render_html(brief: Brief, options: RenderOptions) -> str:
    """The print edition as HTML, with its stylesheet inline, ready for WeasyPrint.

    The stylesheet declares the faces of the font subsets whose ranges hold a character
    of the document (see :func:`font_faces`).
    """
    fragments = htmlparts.render_fragments(brief, notes="inline")
    document = _environment().get_template("print.html.j2").render(
        brief=brief, meta=brief.meta, html=fragments, doc=print_document(brief, options),
        css=stylesheet(faces=_FACES_PLACE),
    )
    return document.replace(_FACES_PLACE, font_faces(_characters(document)), 1)


def warm_up() -> None:
    """Import WeasyPrint now (the pipeline calls this while pandoc parses the brief)."""
    _weasyprint()


DEFERRED_IMPORTS = ("fontTools.subset", "fontTools.varLib.instancer")
"""What WeasyPrint imports but calls only for fonts HarfBuzz cannot subset and for variable
fonts (about 60 ms of imports): loaded if ever called (see :func:`sharedlibs.deferred_imports`)."""


@cache
def _weasyprint() -> Any:
    """WeasyPrint, imported with its shared libraries found from one ``ldconfig -p``, its
    rarely used imports deferred and its cffi type parsing narrowed (see :mod:`sharedlibs`).

    The objects the import leaves (WeasyPrint's modules, its stylesheets, cffi's type
    tables, alive until the process ends) are then frozen out of the cyclic garbage
    collector (``gc.freeze``), which would otherwise walk them all again in every full
    collection, among them the one the interpreter makes when it exits, collector or not:
    the exit of a PDF build took 130-160 ms with the collector off (``cli.run``), 85-115 ms
    with it on; frozen, 50-60 ms and about 20 ms.
    """
    with fast_find_library(), deferred_imports(*DEFERRED_IMPORTS), cycle_collection_paused():
        import weasyprint
        from weasyprint.text.ffi import ffi

        fast_type_parsing(ffi)
        gc.freeze()
    return weasyprint


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block.

    A render allocates boxes, styles and layouts by the hundred thousand, which set off
    some 140 collections, each walking every young object still alive: 45-60 ms per PDF.
    Paused, the collector frees the cycles the render leaves (some 28,000 objects: box
    trees and styles) in one pass when it resumes, 15-35 ms; the peak memory of a build
    is the same. The ``briefpress`` command runs without the collector at all
    (``cli.run``); this keeps most of that economy for other callers (the tests, a
    long-lived process). Importing WeasyPrint and reading a PDF back are paused likewise.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_pdf(brief: Brief, html: str, out: Path, options: RenderOptions) -> None:
    """Lay out ``html`` and write it as a tagged PDF; resources come only through the sandbox."""
    _weasyprint()
    with cycle_collection_paused(), _font_configuration() as font_config:
        _write_pdf(brief, html, out, options, font_config)
    if not gc.isenabled():
        # The caller collects no cycles (the briefpress command: cli.run), so what the
        # render left stays until the process ends. Frozen, it is skipped by the collection
        # the interpreter makes at exit (30 ms); the one finalizer that mattered, removing
        # the fonts' temporary folder, has run (_font_configuration).
        gc.freeze()


@contextlib.contextmanager
def _font_configuration() -> Iterator[Any]:
    """A WeasyPrint font configuration, its temporary folder of fonts removed after the block.

    WeasyPrint removes the folder when the object is finalized, and the object lies in
    reference cycles: the folder went at the next collection of cycles, or at exit.
    """
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    try:
        yield font_config
    finally:
        font_config.__del__()  # removes the folder (again harmlessly when finalized)


def _write_pdf(brief: Brief, html: str, out: Path, options: RenderOptions,
               font_config: Any) -> None:
    weasyprint = _weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    sandbox = Sandbox([brief.folder, STYLES, TEMPLATES], brief.markdown_path, brief.markdown)
    base_url = BRIEF_URL  # not the folder's own URL: see weasyprint_fetcher's aliases
    with _capture_warnings() as records:
        try:
            fetcher = weasyprint_fetcher(sandbox, transform=_truetype_fonts,
                                         aliases={BRIEF_URL: brief.folder})
            source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            problems = _images_without_alt(brief, source.etree_element)
            if problems:
                raise BriefError(problems)
            fontcache.preload_hyphenation(_languages(source.etree_element))
            document = source.render(font_config=font_config)
        except FatalURLFetchingError as exc:
            if isinstance(exc.__cause__, BriefError):
                raise exc.__cause__ from None
            raise
    problems = _unreadable_images(brief, records)
    if problems:
        raise BriefError(problems)
    try:
        # PDF/A is tagged too: an archival copy must stay as accessible as the copy we post.
        document.write_pdf(out, pdf_variant=PDF_VARIANTS[options.pdf_variant], pdf_tags=True)
    except FatalURLFetchingError as exc:  # attachments (rel="attachment") are fetched here
        if isinstance(exc.__cause__, BriefError):
            raise exc.__cause__ from None
        raise


def _languages(root: Any) -> set[str]:
    """The languages the document's text is in (its ``lang`` attributes)."""
    return {lang for element in root.iter() if (lang := element.get("lang"))}


def _truetype_fonts(resource: Resource) -> Resource:
    """Serve the bundled WOFF2 faces already decompressed (see :mod:`briefpress.fontcache`)."""
    if resource.path is None or resource.path.suffix != ".woff2" \
            or not resource.path.is_relative_to(FONTS.resolve()):
        return resource
    return replace(resource, data=fontcache.truetype(resource.data, resource.path.name),
                   media_type="font/ttf")


def print_document(brief: Brief, options: RenderOptions) -> PrintDocument:
    meta = brief.meta
    tokens = design.tokens()
    created = document_date(brief)
    full_title = f"{meta.title}: {meta.subtitle}" if meta.subtitle else meta.title
    return PrintDocument(
        full_title=full_title,
        running_title=running_title(meta.title),
        title_size=next((size for limit, size in TITLE_SIZES if len(meta.title) > limit),
                        "normal"),
        subject=meta.summary or _first_sentence(brief),
        label=brief.doctype.label if brief.doctype else "Policy Brief",
        generator=f"briefpress {__version__}",
        date=created.strftime("%Y-%m-%dT%H:%M:%SZ") if created else None,
        date_display=f"{meta.date:%B %Y}" if meta.date else None,
        page_size=options.page_size,
        page_size_css=tokens["page"]["sizes"][options.page_size],
        page_margins=tokens["page"]["margins"],
    )


def document_date(brief: Brief) -> datetime.datetime | None:
    """When the PDF says it was made: ``SOURCE_DATE_EPOCH`` if set, else the brief's date.

    Never the clock, so that the same source gives the same bytes; a brief with no
    date and no ``SOURCE_DATE_EPOCH`` gets no dates at all rather than invented ones.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        except (ValueError, OverflowError, OSError):
            raise BriefError(Problem("SOURCE_DATE_EPOCH", None,
                                     f"not a number of seconds since 1970: {epoch!r}",
                                     "set it to an integer, e.g. `git log -1 --format=%ct`"
                                     )) from None
    if brief.meta.date:
        return datetime.datetime.combine(brief.meta.date, datetime.time(), datetime.UTC)
    return None


def running_title(title: str) -> str:
    """The title as it runs in the head of inner pages: its main clause if it is long."""
    if len(title) <= RUNNING_TITLE_MAX:
        return title
    head = title.split(":")[0].strip()
    if len(head) <= RUNNING_TITLE_MAX:
        return head
    words = title[:RUNNING_TITLE_MAX].rsplit(" ", 1)[0]
    return words.rstrip(",;:—– ") + "…"


def stylesheet(faces: str | None = None) -> str:
    """Tokens as custom properties, @font-face rules (``faces``, else those of every bundled
    face and subset), print.css."""
    if faces is None:
        faces = font_faces()
    return "\n".join([design.css_variables(), faces, _print_css()])


_FACES_PLACE = "/* <font-faces> */\n"
"""Where the @font-face rules go; text before the stylesheet is escaped, so cannot hold it."""


def font_faces(characters: set[str] | None = None) -> str:
    """The @font-face rules of the bundled fonts, only of subsets (latin, latin-ext) whose
    ``unicode-range`` holds one of ``characters`` when they are given.

    A face whose range holds no character of the document is never used, but WeasyPrint
    registers every face it is given with fontconfig (about 1.5 ms each): a brief in
    English needs the ten latin faces, not the ten latin-ext ones as well.
    """
    rules = _FONT_FACE.findall(design.font_face_css(lambda path: path.resolve().as_uri()))
    if characters is not None:
        codes = {ord(c) for c in characters}
        rules = [rule for rule in rules
                 if any(low <= code <= high for low, high in _unicode_range(rule)
                        for code in codes)]
    return "".join(rules)


_FONT_FACE = re.compile(r"@font-face \{.*?\}\n", re.S)
_UNICODE_RANGE = re.compile(r"unicode-range:\s*([^;}]*)")


def _unicode_range(rule: str) -> list[tuple[int, int]]:
    """The code point spans of an @font-face rule's ``unicode-range`` (all if it has none)."""
    match = _UNICODE_RANGE.search(rule)
    if match is None:
        return [(0, 0x10FFFF)]
    spans = []
    for item in match.group(1).split(","):
        low, _, high = item.strip().removeprefix("U+").partition("-")
        spans.append((int(low, 16), int(high or low, 16)))
    return spans


_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})")


def _characters(document: str) -> set[str]:
    """Every character the document may set: as written, as HTML character references and
    as CSS escapes (``content: "\\2020"``) spell them."""
    characters = set(document) | set(html_text.unescape(document))
    for code in _CSS_ESCAPE.findall(document):
        if int(code, 16) <= 0x10FFFF:
            characters.add(chr(int(code, 16)))
    return characters


@cache
def _print_css() -> str:
    return (STYLES / "print.css").read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["keep_compounds"] = keep_compounds
    return env


def keep_compounds(text: str) -> Markup:
    """Escape ``text`` and wrap its hyphenated compounds so a line never breaks inside one."""
    return Markup(" ").join(
        Markup('<span class="nowrap">{}</span>').format(word) if "-" in word.strip("-")
        else escape(word)
        for word in text.split(" "))


def _first_sentence(brief: Brief) -> str:
    from .. import pandoc

    for section in brief.walk():
        for block in section.blocks:
            if block["t"] == "Para":
                text = " ".join(pandoc.stringify(block["c"]).split())
                match = re.match(r"(.+?[.!?])(\s|$)", text)
                return match.group(1) if match else text
    return brief.meta.title


# --------------------------------------------------------------------------- layout problems

class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _capture_warnings() -> Iterator[list[logging.LogRecord]]:
    """Collect WeasyPrint's warnings during a render instead of letting them print."""
    from weasyprint.logger import LOGGER

    handler, propagate = _Records(), LOGGER.propagate
    LOGGER.addHandler(handler)
    LOGGER.propagate = False
    try:
        yield handler.records
    finally:
        LOGGER.removeHandler(handler)
        LOGGER.propagate = propagate


_IMAGE_FAILED = re.compile(r"Failed to load image at [\"']?([^\"'\s]+)")
"""WeasyPrint's message, which gives the URL with %r (in quotes)."""


def _images_without_alt(brief: Brief, root: Any) -> list[Problem]:
    """Images with no alternative text: PDF/UA requires one on every figure."""
    problems = []
    for image in root.iter("img"):
        if (image.get("alt") or "").strip():
            continue
        src = image.get("src", "")
        problems.append(Problem(brief.markdown_path, _line_of_image(brief, src),
                                f"image {src!r} has no alternative text",
                                f"describe it for readers who cannot see it: "
                                f"`![description]({src})`"))
    return problems


def _unreadable_images(brief: Brief, records: list[logging.LogRecord]) -> list[Problem]:
    """Images WeasyPrint could fetch but not decode: it would leave them out silently."""
    problems = []
    sandbox = Sandbox([brief.folder], brief.markdown_path, brief.markdown)
    for record in records:
        if match := _IMAGE_FAILED.search(record.getMessage()):
            url = match.group(1)
            if url.startswith(BRIEF_URL):
                url = brief.folder.resolve().as_uri() + "/" + url[len(BRIEF_URL):]
            shown = sandbox.as_written(url)
            problems.append(Problem(brief.markdown_path, _line_of_image(brief, shown),
                                    f"image {shown!r} cannot be read as an image",
                                    "save it as PNG, JPEG, GIF, WebP or SVG"))
    return problems


def _line_of_image(brief: Brief, src: str) -> int | None:
    """The line of brief.md where an image with this source is written."""
    lines = brief.markdown.splitlines()
    for pattern in (f"]({src}", src):
        for number, line in enumerate(lines, start=1):
            if pattern in line:
                return number
    return None


# --------------------------------------------------------------------------- outline

def read_outline(path: Path) -> list[OutlineEntry]:
    """The outline of a PDF: sections and recommendation areas from its bookmarks, in their
    order; recommendations from the named destinations the print template gives them.

    A bookmark is matched to the named destination at the same place to learn its id;
    bookmarks of recommendation areas are told from sections by their ``area:`` id.
    """
    try:
        named, bookmarks = _quick_outline(path.read_bytes())
    except Exception:  # anything the quick reader does not know: pypdf reads it
        with cycle_collection_paused():  # pypdf parses every object of an object stream
            named, bookmarks = _pypdf_outline(path)
    return _outline_entries(named, bookmarks)


Place = tuple[int, float]
"""A place in the PDF: 0-based page index and the height on the page (PDF units, from the
bottom), rounded to a tenth."""


def _pypdf_outline(path: Path) -> tuple[list[tuple[str, Place]],
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


def _outline_entries(named: list[tuple[str, Place]],
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

class _Unsupported(Exception):
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
            raise _Unsupported("no end-of-file marker")
        offset = int(where)
        if data.startswith(b"xref", offset):
            self.trailer = self._xref_table(offset + 4)
        else:
            xref, stream = self._indirect_at(offset, None)
            if not isinstance(xref, dict) or xref.get("/Type") != "/XRef" or stream is None:
                raise _Unsupported("no cross-reference stream")
            self._xref_stream(xref, stream)
            self.trailer = xref
        if "/Prev" in self.trailer or "/Encrypt" in self.trailer \
                or "/XRefStm" in self.trailer:
            raise _Unsupported("incremental update or encryption")

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
            raise _Unsupported("cross-reference stream layout")
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
            raise _Unsupported("not the object the cross-reference gives")
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
            raise _Unsupported("stream length")
        return value, _decoded(value, raw)

    def _object_stream(self, number: int) -> tuple[bytes, dict[int, int]]:
        if number not in self.object_streams:
            kind, offset, _ = self.entries.get(number, (0, 0, 0))
            if kind != 1:
                raise _Unsupported("object stream not at an offset")
            header, data = self._indirect_at(offset, number)
            if header.get("/Type") != "/ObjStm" or data is None:
                raise _Unsupported("not an object stream")
            first = header["/First"]
            numbers = [int(n) for n in re.sub(rb"%[^\r\n]*", b"", data[:first]).split()]
            offsets = {numbers[i]: first + numbers[i + 1] for i in range(0, len(numbers), 2)}
            self.object_streams[number] = (data, offsets)
        return self.object_streams[number]

    # -- the outline

    def outline(self) -> tuple[list[tuple[str, Place]], list[tuple[int, str, Place | None]]]:
        """Named destinations and bookmarks, as :func:`_pypdf_outline` gives them."""
        catalog = self.get(self.trailer["/Root"])
        pages: dict[int, int] = {}
        self._pages(catalog["/Pages"], pages, set())
        if "/Dests" in catalog:
            raise _Unsupported("old-style destinations")
        named: dict[str, Place] = {}
        tree = self.get(self.get(catalog.get("/Names", {})).get("/Dests"))
        if tree is not None:
            if "/Kids" in tree:
                raise _Unsupported("name tree with kids")
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
            raise _Unsupported("page tree")
        seen.add(node_ref.number)
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                self._pages(kid, pages, seen)
        elif node.get("/Type") == "/Page":
            pages[node_ref.number] = len(pages)
        else:
            raise _Unsupported("page tree node")

    def _place(self, destination: Any, pages: dict[int, int]) -> Place | None:
        if not isinstance(destination, list) or len(destination) != 5 \
                or destination[1] != "/XYZ" or not isinstance(destination[0], _Ref):
            raise _Unsupported("destination")
        top = self.get(destination[3])
        if isinstance(top, bool) or not isinstance(top, int | float):
            raise _Unsupported("destination top")
        page = pages.get(destination[0].number)
        return None if page is None else (page, round(float(top), 1))

    def _bookmarks(self, item_ref: Any, level: int, pages: dict[int, int],
                   out: list[tuple[int, str, Place | None]], seen: set[int]) -> None:
        while item_ref is not None:
            if not isinstance(item_ref, _Ref) or item_ref.number in seen:
                raise _Unsupported("outline item")
            seen.add(item_ref.number)
            item = self.get(item_ref)
            if "/A" in item or "/Dest" not in item:
                raise _Unsupported("outline item without a plain destination")
            title = _text(self.get(item.get("/Title", b"")))
            out.append((level, " ".join(title.split()),
                        self._place(self.get(item["/Dest"]), pages)))
            if "/First" in item:
                self._bookmarks(item["/First"], level + 1, pages, out, seen)
            item_ref = item.get("/Next")


def _quick_outline(data: bytes) -> tuple[list[tuple[str, Place]],
                                         list[tuple[int, str, Place | None]]]:
    return _QuickPdf(data).outline()


_QUICK_STREAM_BYTES = 16 * 2**20
"""The largest stream the quick reader inflates (a brief's object stream is about 200 kB);
pypdf, with its own limits, reads files with larger ones."""


def _decoded(header: dict[str, Any], raw: bytes) -> bytes:
    filters = header.get("/Filter")
    filters = filters if isinstance(filters, list) else [filters] if filters else []
    if "/DecodeParms" in header or any(f != "/FlateDecode" for f in filters):
        raise _Unsupported("stream filter")
    for _ in filters:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(raw, _QUICK_STREAM_BYTES)
        if inflater.unconsumed_tail:
            raise _Unsupported("stream too large")
    return raw


def _text(value: Any) -> str:
    """A PDF text string: UTF-16 with its byte order mark, or ASCII (else pypdf decodes it)."""
    if not isinstance(value, bytes):
        raise _Unsupported("not a string")
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
                    raise _Unsupported("dictionary key")
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
        raise _Unsupported("unexpected delimiter")
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
        raise _Unsupported("unknown token") from None


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
