"""Turn a PDF edition's HTML into a tagged PDF with WeasyPrint, loading all through the sandbox.

:mod:`briefpress.render.pdf` writes the HTML and imports this module when it renders:
reading a PDF back (``briefpress check``, ``briefpress outline``) needs no layout engine.
The screen edition is PDF/UA-1 (or PDF/A-2u); the print edition PDF/X-4 with a CMYK
output intent.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pydyf
import weasyprint
from msgspec.structs import replace
from PIL import Image, ImageCms
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from briefpress.errors import BriefError, Problem
from briefpress.model.brief import Brand, Brief
from briefpress.model.options import RenderOptions
from briefpress.render import design, fontcache
from briefpress.render.pdf import (
    BRAND_URL,
    BRIEF_URL,
    CMYK_PROFILE,
    CMYK_PROFILE_PACKAGE,
    Edition,
    image_line,
    missing_alt_text,
)
from briefpress.support import limits
from briefpress.support.epoch import FALLBACK_DATE
from briefpress.support.paths import FONTS, STYLES, TEMPLATES
from briefpress.support.pillow import quiet_pillow
from briefpress.support.sandbox import Resource, Sandbox
from briefpress.support.svg import UnsafeSvg, with_families
from briefpress.support.watchdog import OverMemory, memory_limit

PDF_VARIANTS = {"ua": "pdf/ua-1", "a": "pdf/a-2u"}
"""WeasyPrint variant for each ``--pdf-variant``; both are tagged (see :func:`write_pdf`)."""

PRINT_VARIANT = "pdf/x-4"
"""The print edition's variant: PDF/X-4 (transparency and OpenType allowed, CMYK intent)."""


CMYK_CONDITION = "SWOP coated (Artifex CMYK SWOP Profile)"
"""The output condition the print file names; the profile itself is embedded."""

PROFILE_URL = "file:///briefpress-color/"
"""The URL the profile's folder is given, the same on every machine (see BRIEF_URL)."""

def write_pdf(brief: Brief, html: str, out: Path, options: RenderOptions,
              edition: Edition = "screen") -> None:
    """Lay out ``html`` and write it as a tagged PDF; resources come only through the sandbox.

    The faces of the document go to a temporary folder of WeasyPrint's font configuration,
    which WeasyPrint removes when the configuration is garbage-collected. The layout and
    the writing run within ``limits.PDF_SECONDS`` (see :func:`_time_limit`) and
    ``limits.PDF_MEMORY_MB`` (see :mod:`briefpress.support.watchdog`).
    """
    seconds, megabytes = limits.PDF_SECONDS.value(), limits.PDF_MEMORY_MB.value()
    try:
        quiet_pillow()  # an image the sandbox let through is within limits.IMAGE_MEGAPIXELS
        with _time_limit(seconds), memory_limit(megabytes):
            _write_pdf(brief, html, out, options, FontConfiguration(), edition)
    except _OutOfTime:
        raise BriefError(Problem(brief.markdown_path, None,
                                 f"laying out the PDF took longer than the limit of {seconds} s",
                                 f"shorten the brief or simplify its tables, or "
                                 f"{limits.PDF_SECONDS.how()}")) from None
    except OverMemory:
        raise BriefError(Problem(brief.markdown_path, None,
                                 f"laying out the PDF needed more memory than the limit of "
                                 f"{megabytes} MB", f"make its images smaller or split its "
                                 f"largest tables, or {limits.PDF_MEMORY_MB.how()}")) from None


class _OutOfTime(BaseException):
    """Raised in the main thread when the PDF's time is up. A BaseException, so that no
    ``except Exception`` inside WeasyPrint (which turns a failing image into a warning)
    can swallow it; :func:`write_pdf` turns it into a BriefError."""


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Raise _OutOfTime in the main thread once ``seconds`` have passed, and every half
    second after (should one be lost in a ``finally`` or a bare ``except``), until the block
    ends.

    Why this is safe: WeasyPrint lays out in-process and has no time limit of its own.
    Python runs signal handlers in the main thread between bytecodes, so the exception
    arises in WeasyPrint's Python code (never inside C code, which finishes its call first);
    it unwinds a layout that holds nothing but this document's own objects and the
    temporary file build.temporary_beside removes. The timer and the previous handler
    are restored when the block ends, whichever way. Outside the main thread (a caller's worker
    thread) signals cannot be used and the layout runs without this bound.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _write_pdf(brief: Brief, html: str, out: Path, options: RenderOptions,
               font_config: Any, edition: Edition) -> None:
    roots, aliases = [brief.folder, STYLES, TEMPLATES], {BRIEF_URL: brief.folder}
    if brief.brand is not None and brief.brand.folder is not None and brief.brand.fonts:
        # the brand's font files, and nothing else of its folder the document could name
        roots += [face.path for font in brief.brand.fonts for face in font.faces]
        aliases[BRAND_URL] = brief.brand.folder
    if edition == "print":
        roots.append(_cmyk_profile(brief).parent)
        aliases[PROFILE_URL] = CMYK_PROFILE.parent
    sandbox = Sandbox(roots, brief.markdown_path, brief.markdown)
    base_url = BRIEF_URL  # not the folder's own URL: see weasyprint_fetcher's aliases
    with _capture_warnings() as records:
        try:
            fonts = _TrueTypeFonts(brief.brand)
            figures = _FigureFaces(brief.brand)
            transform = (lambda resource: figures(fonts(resource))) if edition == "screen" \
                else (lambda resource: _press_resource(figures(fonts(resource))))
            fetcher = weasyprint_fetcher(sandbox, transform=transform, aliases=aliases)
            source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            problems = _images_without_alt(brief, source.etree_element)
            if problems:
                raise BriefError(problems)
            stylesheets, profiles = [], {}
            if edition == "print":
                # the profile of device-cmyk() colours, which WeasyPrint makes the output intent
                stylesheets.append(weasyprint.CSS(
                    string=f'@color-profile device-cmyk {{ src: url("{PROFILE_URL}'
                           f'{CMYK_PROFILE.name}"); components: cyan, magenta, yellow, black }}',
                    url_fetcher=fetcher, color_profiles=profiles))
            document = source.render(font_config=font_config, stylesheets=stylesheets,
                                     color_profiles=profiles)
        except FatalURLFetchingError as exc:
            if isinstance(exc.__cause__, BriefError):
                raise exc.__cause__ from None
            raise
    problems = _unreadable_images(brief, records)
    if problems:
        raise BriefError(problems)
    identifier = {}
    if edition == "print":
        variant = PRINT_VARIANT
        # WeasyPrint would hash the file, random XMP document id included, into the /ID
        identifier["pdf_identifier"] = hashlib.sha256(
            _press_key(brief, options).encode()).hexdigest()[:32].encode()
        # WeasyPrint's PDF/X writer would date an undated document by the clock
        document.metadata.created = document.metadata.created or FALLBACK_DATE
        document.metadata.modified = document.metadata.modified or document.metadata.created
    else:
        variant = PDF_VARIANTS[options.pdf_variant]
    try:
        # PDF/A and PDF/X are tagged too: every copy stays as accessible as the one we post.
        document.write_pdf(out, pdf_variant=variant, pdf_tags=True, finisher=_finish,
                           **identifier)
        if edition == "print":
            # a design boundary: pikepdf is needed by the print edition alone
            from briefpress.render.pdf_press import finish_press
            finish_press(out, CMYK_PROFILE, _press_key(brief, options))
    except FatalURLFetchingError as exc:  # attachments (rel="attachment") are fetched here
        if isinstance(exc.__cause__, BriefError):
            raise exc.__cause__ from None
        raise


def _press_key(brief: Brief, options: RenderOptions) -> str:
    """What names a print file (its ids): the brief, its source revision, the page set-up."""
    return f"briefpress:{brief.slug}:{brief.revision}:{options.paper}:{options.pdf_layout}"


def _finish(document: Any, pdf: Any) -> None:
    """What WeasyPrint leaves to the finisher it calls before the trailer is written: the
    file opens with its bookmarks shown, and a print file names its output condition."""
    pdf.catalog["PageMode"] = "/UseOutlines"
    for intent in pdf.catalog.get("OutputIntents", []):
        if intent["S"] == "/GTS_PDFX":
            # WeasyPrint names the condition by the profile's URL; a preflight shows this
            intent["OutputConditionIdentifier"] = pydyf.String("Custom")
            intent["OutputCondition"] = pydyf.String(CMYK_CONDITION)
            intent["Info"] = pydyf.String(CMYK_CONDITION)


def _cmyk_profile(brief: Brief) -> Path:
    """The CMYK profile of the print edition, or a BriefError saying how to install it."""
    if not CMYK_PROFILE.is_file():
        raise BriefError(Problem(brief.markdown_path, None,
                                 f"the print edition needs the CMYK profile {CMYK_PROFILE}, "
                                 "which is not installed",
                                 f"install the Debian package {CMYK_PROFILE_PACKAGE} "
                                 f"(`make sysdeps` does, as root)"))
    return CMYK_PROFILE


PRESS_JPEG_QUALITY = 95
"""Quality of the CMYK JPEG a raster image of the print edition becomes."""


def _press_resource(resource: Resource) -> Resource:
    """A resource for the press (its fonts served as for the screen): raster images in CMYK.

    A PNG or JPEG of the brief is in RGB, which a PDF/X file with a CMYK output intent may
    not hold: it is converted, from sRGB to the output intent's profile (relative
    colorimetric, transparency flattened onto the paper), and served as a CMYK JPEG, which
    WeasyPrint embeds as it is (DeviceCMYK). SVG images are drawn, not converted.
    """
    if not resource.media_type.startswith("image/") or resource.media_type == "image/svg+xml":
        return resource
    try:
        image = Image.open(io.BytesIO(resource.data))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return resource  # WeasyPrint reports it as it does on screen (_unreadable_images)
    if image.mode == "CMYK":
        return resource
    # the resolution an author gave the image sets its size on the page: kept
    kept = {"dpi": image.info["dpi"]} if "dpi" in image.info else {}
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    image = ImageCms.profileToProfile(image.convert("RGB"), ImageCms.createProfile("sRGB"),
                                      str(CMYK_PROFILE), outputMode="CMYK")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=PRESS_JPEG_QUALITY, **kept)
    return replace(resource, data=out.getvalue(), media_type="image/jpeg")


class _TrueTypeFonts:
    """Serves the WOFF2 faces of the design (the bundled ones, and the brief's brand's)
    already decompressed (see render/fontcache.py); any other file as it is."""

    def __init__(self, brand: Brand | None) -> None:
        self.bundled = FONTS.resolve()
        self.own = frozenset(face.path for font in brand.fonts for face in font.faces) \
            if brand is not None else frozenset()

    def __call__(self, resource: Resource) -> Resource:
        path = resource.path
        if path is None or path.suffix.lower() != ".woff2" \
                or not (path.is_relative_to(self.bundled) or path in self.own):
            return resource
        try:
            data = fontcache.truetype(resource.data, path.name)
        except Exception as exc:  # fontTools raises errors of many kinds on a damaged file
            # a brand's file whose names read but whose glyphs do not: the brand's mistake
            raise BriefError(Problem(path, None, f"the font cannot be decompressed ({exc})",
                                     "give the face's file as its foundry published it")
                             ) from None
        return replace(resource, data=data, media_type="font/ttf")


class _FigureFaces:
    """Serves an SVG image with its text in the edition's own faces (``support/svg.py``'s
    ``with_families``, as the Word edition's PNG of it): WeasyPrint sets an SVG's text in
    the families it names through the document's font configuration, which holds the
    stylesheet's @font-face faces, and a generic family (``sans-serif``) or one the
    edition lacks it would take from the machine's fonts (DejaVu Sans, embedded). The
    file itself is untouched; any other resource is served as it is."""

    def __init__(self, brand: Brand | None) -> None:
        self.sans, self.serif = design.figure_families(brand)

    def __call__(self, resource: Resource) -> Resource:
        if resource.media_type != "image/svg+xml":
            return resource
        try:
            data = with_families(resource.data, self.sans, self.serif)
        except UnsafeSvg:
            return resource  # WeasyPrint reports it (_unreadable_images); check did first
        return replace(resource, data=data)


LOGGER = logging.getLogger("weasyprint")
"""WeasyPrint's logger, reached as WeasyPrint documents it (by name, through logging)."""


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _capture_warnings() -> Iterator[list[logging.LogRecord]]:
    """Collect WeasyPrint's warnings during a render instead of letting them print."""
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
    # the images of figures with a caption (the elements themselves, kept: an lxml
    # element's proxy may be made anew, so no id() of one)
    captioned = [image for figure in root.iter("figure")
                 if any("".join(caption.itertext()).strip()
                        for caption in figure.iter("figcaption"))
                 for image in figure.iter("img")]
    uses: dict[str, int] = {}  # each source's images so far, in the document's order
    for image in root.iter("img"):
        src = image.get("src", "")
        use = uses.get(src, 0)
        uses[src] = use + 1
        if (image.get("alt") or "").strip():
            continue
        in_figure = any(image is other for other in captioned)
        line = image_line(brief.markdown, src, use) or _line_of_image(brief, src)
        problems.append(Problem(brief.markdown_path, line, *missing_alt_text(src, in_figure)))
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


_ABSOLUTE_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def weasyprint_fetcher(sandbox: Sandbox,
                       transform: Callable[[Resource], Resource] | None = None,
                       aliases: dict[str, Path] | None = None) -> Any:
    """A WeasyPrint URL fetcher that loads everything through ``sandbox``.

    ``transform`` may rewrite what the sandbox served (e.g. fonts into another form).
    ``aliases`` maps URL prefixes to the folders they stand for: the document can then
    name its files by URLs that do not depend on where the project lies on disk (PDF
    image names are hashes of their URLs; the same source must give the same bytes).
    Refusals stop the render (``fail_on_errors``): WeasyPrint raises a
    ``FatalURLFetchingError`` whose cause is the sandbox's BriefError.
    """
    class SandboxFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if not _ABSOLUTE_URL.match(url):
                raise sandbox.refuse(url, "is not a URL the renderer can resolve",
                                      "refer to a file by a path relative to brief.md")
            requested = url
            for prefix, folder in (aliases or {}).items():
                if url.startswith(prefix):
                    url = folder.resolve().as_uri() + "/" + url[len(prefix):]
                    break
            resource = sandbox.open(url)
            if transform is not None:
                resource = transform(resource)
            served = requested if requested != url else resource.url
            return URLFetcherResponse(served, resource.data,
                                      {"Content-Type": resource.media_type})

    return SandboxFetcher(fail_on_errors=True, allowed_protocols=("file", "data"))
