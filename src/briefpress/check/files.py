"""Turn the files a Brief's text refers to (images, raw HTML's ``src``) into findings.

Every edition loads an image through the same gate, ``support/sandbox.py``, and stops the
build when it refuses one (missing, outside the brief's folder, on the network, not a
file). ``check`` asks the same gate about every reference, so that it reports what ``build``
would refuse, with the same message, at the line the reference is written on. An SVG image
is read here as well, before any edition: one that is not an SVG document, or has no size
every renderer takes alike (``support/svg.py``), is refused for every edition, as the web
page, which copies an image's bytes, would publish it broken or cropped.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Collection
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from briefpress.check.safety import CODE_SCHEMES, url_scheme, written_parts
from briefpress.errors import BriefError, Problem
from briefpress.model import blocks
from briefpress.model.brief import Brief
from briefpress.support.sandbox import Sandbox

LOADED = {"img": "src", "embed": "src", "object": "data", "link": "href"}
"""Raw HTML elements whose attribute an edition loads (the PDF all, the web page ``<img>``
and ``<embed>``), by tag (``<link>`` only as a stylesheet or an attachment); and
``<a rel="attachment">``, which the PDF embeds. CSS in ``<style>`` is left to the PDF's
renderer, which refuses what it would load."""


def check_files(brief: Brief, adding: Collection[str] = (),
                every_edition: bool = True) -> list[Problem]:
    """Each image that ``build`` would refuse, once per place it is written: the sandbox's
    own message and fix. With ``every_edition``, also what only some editions refuse: each
    file raw HTML loads, and an image without alternative text (PDF/UA requires one; the
    PDF edition refuses it with the same message). A file named in ``adding`` (relative to
    the brief's folder) is about to be written there: it is taken as an image that exists."""
    base = brief.folder.resolve()
    coming = {(base / name).resolve() for name in adding}
    problems: list[Problem] = []
    for path, text, _, part in written_parts(brief):
        # the images of figures with a caption: their alt text is an attribute
        captioned = {id(node) for figure in brief.index.find(blocks.Figure, part)
                     if blocks.stringify(figure.caption).strip()
                     for node in blocks.walk(figure.content) if isinstance(node, blocks.Image)}
        references = _references(brief.index.find(_REFERRING, part), every_edition, captioned)
        if not references:
            continue  # most parts name no file: no gate to set up for them
        sandbox = Sandbox([base], path, text)
        seen: set[str] = set()
        drawn: set[str] = set()
        uses: dict[str, int] = {}  # each source's Markdown images so far, in written order
        for src, image, alt, markdown, in_figure in references:
            use = uses.get(src, 0)
            if markdown:
                uses[src] = use + 1
            if url_scheme(src) in CODE_SCHEMES:  # those are check_safety's
                continue
            if every_edition and not alt:
                # the PDF edition's own words (it refuses the image), imported only here
                from briefpress.render.pdf import image_line, missing_alt_text

                line = (image_line(sandbox.source_text, src, use) if markdown else None) or \
                    sandbox.line_of(f"![]({src}") or _line(sandbox, src)
                problems.append(Problem(path, line, *missing_alt_text(src, in_figure)))
            url = urljoin(base.as_uri() + "/", src)  # as the Word file and web page do
            if src in seen or (urlsplit(url).scheme == "file"
                               and Path(unquote(urlsplit(url).path)) in coming):
                problem = None
            else:
                seen.add(src)
                problem = _refused(sandbox, url, src, image)
                if problem is None and image:  # every edition shows it: each reads it alike
                    problem = _unusable_svg(sandbox, url, src)
            # the Word edition draws a Markdown image only (pandoc's writer drops raw HTML)
            if problem is None and markdown and every_edition and src not in drawn and \
                    not (urlsplit(url).scheme == "file"
                         and Path(unquote(urlsplit(url).path)) in coming):
                drawn.add(src)
                problem = _undrawable_svg(sandbox, url, src)
            if problem is not None:
                problems.append(problem)
    return problems


_REFERRING = (blocks.Image, blocks.RawBlock, blocks.RawInline)
"""The elements that can refer to a file."""


def _references(nodes: list[blocks.Node], raw: bool, captioned: Collection[int] = ()
                ) -> list[tuple[str, bool, bool, bool, bool]]:
    """Every image source (and with ``raw``, every raw HTML load) of ``nodes`` (images and
    raw text, in reading order), each with whether an edition shows it as an image, whether
    it has what the PDF edition takes as its alternative text (pandoc's ``alt``: the
    description, else an ``alt=`` attribute), whether it is a Markdown image (the only
    kind the Word edition draws), and whether it is the image of a figure with a caption
    (its ``id()`` in ``captioned``)."""
    found: list[tuple[str, bool, bool, bool, bool]] = []
    for node in nodes:
        if isinstance(node, blocks.Image):
            alt = blocks.stringify(node.content).strip() or \
                dict(node.attr[2]).get("alt", "").strip()
            found.append((node.url, True, bool(alt), True, id(node) in captioned))
        elif raw and isinstance(node, (blocks.RawBlock, blocks.RawInline)) and \
                node.c[0] == "html":
            found.extend((*load, False, False) for load in _Loads(node.c[1]).found)
    return found


def _refused(sandbox: Sandbox, url: str, src: str, image: bool) -> Problem | None:
    """What the editions would say of the reference ``src`` (resolved: ``url``), or None if
    they take it."""
    try:
        if urlsplit(url).scheme.lower() == "file":
            path = sandbox.allowed_path(url)
            media_type = mimetypes.guess_type(path.name)[0]
            if image and media_type is not None:
                sandbox.check_pixels(url, media_type, path)  # reads the header alone
        else:
            media_type = sandbox.open(url).media_type  # data: URLs; anything else is refused
    except BriefError as exc:
        refused = exc.problems[0]
        return Problem(refused.file, _line(sandbox, src) or refused.line, refused.message,
                       refused.fix)
    if image and (media_type is None or not media_type.startswith("image/")):
        return Problem(sandbox.source, _line(sandbox, src[:60]),
                       f"image {src[:60]!r} is not an image file "
                       f"({media_type or 'application/octet-stream'})",
                       "refer to a PNG, JPEG, GIF, WebP or SVG file")
    return None


def _svg_data(sandbox: Sandbox, url: str) -> bytes | None:
    """The bytes of the image at ``url`` when it is an SVG file the sandbox serves; None for
    any other image (a raster file is not read whole here) or one it refuses."""
    try:
        if urlsplit(url).scheme.lower() != "file" or \
                mimetypes.guess_type(sandbox.allowed_path(url).name)[0] != "image/svg+xml":
            return None
        return sandbox.open(url).data
    except BriefError:
        return None  # _refused's to report


UNSIZED_FIX = ("give the <svg> a viewBox, or width and height: the extent of its drawing, "
               'e.g. viewBox="0 0 600 300"')
"""What to do with an SVG figure without a size every edition takes alike."""


def _unusable_svg(sandbox: Sandbox, url: str, src: str) -> Problem | None:
    """What every edition would do wrong with the SVG image ``src`` (resolved: ``url``):
    one that is not an SVG document (the PDF and the Word file refuse it, the web page
    would publish it broken), or one without a size every renderer takes alike
    (``support/svg.py``'s ``svg_size``: a browser and WeasyPrint crop one without a size to
    300 by 150 pixels, typst draws it whole). None for any other image."""
    data = _svg_data(sandbox, url)
    if data is None:
        return None
    # lxml, which reads the SVG, only for a brief with an SVG image
    from briefpress.support.svg import UnsafeSvg, UnsizedSvg, read_svg, svg_size

    line = _line(sandbox, src[:60])
    try:
        root = read_svg(data)
        svg_size(root)
    except UnsafeSvg as exc:
        return Problem(sandbox.source, line,
                       f"image {src[:60]!r} cannot be read as an SVG: {exc}",
                       "export the picture again as SVG, or as PNG")
    except UnsizedSvg as exc:
        said = (f"has no usable size: its {exc}" if exc.attribute else
                f"has {exc}: the PDF and the web page would show it 300 by 150 pixels, cut "
                "off, and the Word file whole")
        return Problem(sandbox.source, line, f"SVG image {src[:60]!r} {said}", UNSIZED_FIX)
    return None


def _undrawable_svg(sandbox: Sandbox, url: str, src: str) -> Problem | None:
    """What the Word edition would say of the SVG image ``src`` (resolved: ``url``) that
    typst cannot draw, as render/docx_raster.py says it; None for any other image, and for
    one no edition can read (:func:`_unusable_svg`'s to report)."""
    data = _svg_data(sandbox, url)
    if data is None:
        return None
    # a design boundary: only a brief with an SVG image loads the Word edition's rasteriser
    from briefpress.render.docx_raster import SvgFigure, figure_problem
    from briefpress.support.svg import UnsafeSvg, clean_svg

    try:
        svg = clean_svg(data)
    except UnsafeSvg:
        return None
    return figure_problem(svg, SvgFigure(src[:60], sandbox.source, sandbox.line_of(src[:60])))


def _line(sandbox: Sandbox, src: str) -> int | None:
    """The line where ``src`` is written as a reference (after ``(``, ``=`` or a quote), not
    where the same letters stand in another word; else the first line that holds them."""
    for opening in ("(", '"', "'", "="):
        if (line := sandbox.line_of(opening + src)) is not None:
            return line
    return sandbox.line_of(src)


class _Loads(HTMLParser):
    """The values of the attributes a raw HTML fragment loads (:data:`LOADED`)."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, bool, bool]] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = LOADED.get(tag)
        rel = (dict(attrs).get("rel") or "").lower().split()
        if tag == "a" and "attachment" in rel:
            wanted = "href"
        elif tag == "link" and not {"stylesheet", "attachment"} & set(rel):
            return  # a link of another kind loads nothing
        alt = tag != "img" or bool((dict(attrs).get("alt") or "").strip())
        self.found.extend((value, tag == "img", alt) for name, value in attrs
                          if name == wanted and value)

    handle_startendtag = handle_starttag
