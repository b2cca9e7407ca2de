"""Turn a Brief into the screen PDF (tagged PDF/UA-1 or PDF/A), and a PDF back into its outline.

The print template (``templates/print.html.j2``) lays out the HTML fragments of
``htmlparts`` with ``styles/print.css`` and the design tokens; WeasyPrint turns
that into a paged, tagged PDF, loading every resource through the sandbox. The press
edition (``render/pdf_print.py``) is the same document in CMYK with bleed and crop marks.
"""

from __future__ import annotations

import datetime
import html as html_text
import re
from functools import cache
from pathlib import Path
from typing import Literal

import jinja2
from markupsafe import Markup, escape
from msgspec import Struct

from briefpress import __version__
from briefpress.model import blocks
from briefpress.model.brief import Brand, Brief, OutlineEntry
from briefpress.model.options import RenderOptions
from briefpress.readback import pdf as pdf_outline
from briefpress.render import design, htmlparts, pdf_text
from briefpress.render.web import lead_sentences, summary_text
from briefpress.support.epoch import edition_date
from briefpress.support.files import cache_while_unchanged
from briefpress.support.paths import STYLES, TEMPLATES

BRIEF_URL = "file:///briefpress-brief/"
"""The URL the print document gives its brief's folder, the same wherever the folder lies."""

CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
"""The press's colour space: Ghostscript's "Artifex CMYK SWOP Profile" (coated stock, US
offset), from the Debian package libgs-common (the Makefile's RUNTIME_DEBS): installed
with the system, never fetched while building."""

CMYK_PROFILE_PACKAGE = "libgs-common"

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
    """The publication date as the cover and colophon show it: month and year."""
    cover_summary: str | None
    """What the lower cover says of the brief: the ``summary``, else its opening sentences."""
    publisher_site: str | None
    """The publisher's web address without its scheme, for the cover's foot when undated."""
    page_size: str
    page_size_css: str
    page_margins: str
    edition: str
    """"screen" (RGB, no bleed: the file posted online) or "print" (CMYK, bleed, crop marks)."""
    layout: str
    """"single" (every page alike) or "facing" (mirrored left and right pages)."""
    bleed: str
    """How far backgrounds run past the trimmed page ("0in" on screen)."""
    facing_margins: tuple[str, str]
    """The inside (spine) and outside margins of a facing layout."""
    figure_height: str = "none"
    """The tallest a figure's image may be (a CSS length): the page's text area less room
    for the caption (:func:`figure_height`), so a tall figure fits on its page, whole."""
    wordmark: str = ""
    """The cover's wordmark: the brand's, else the publisher's short name or name."""
    logo_svg: str | None = None
    """The brand's logo (cleaned SVG markup) for the cover, if it has one."""


Edition = Literal["screen", "print"]


def render(brief: Brief, out: Path, options: RenderOptions) -> None:
    """Write the screen PDF of ``brief`` to ``out``."""
    render_edition(brief, out, options, "screen")


def render_edition(brief: Brief, out: Path, options: RenderOptions, edition: Edition) -> None:
    """Write the ``edition`` ("screen" or "print") of ``brief`` as a PDF to ``out``."""
    html = render_html(brief, options, edition)
    # a design boundary: only a render needs WeasyPrint, not a PDF read back (check, outline);
    # imported after the HTML is made, which a build does while WeasyPrint loads alongside
    from briefpress.render.pdf_layout import write_pdf

    write_pdf(brief, html, out, options, edition)


def render_html(brief: Brief, options: RenderOptions, edition: Edition = "screen") -> str:
    """The PDF edition as HTML, with its stylesheet inline, ready for WeasyPrint.

    The stylesheet declares the faces of the font subsets whose ranges hold a character
    of the document (see :func:`font_faces`).
    """
    fragments = htmlparts.render_fragments(brief, notes="inline", targets=print_ids(brief))
    doc = print_document(brief, options, edition)
    document = _environment().get_template("print.html.j2").render(
        brief=brief, meta=brief.meta, html=fragments, doc=doc, id_prefix=ID_PREFIX,
        css=stylesheet(faces=_FACES_PLACE, edition=edition, layout=doc.layout,
                       brand=brief.brand),
    )
    document = pdf_text.apply_break_rules(document, brief.brand)
    return document.replace(_FACES_PLACE, font_faces(_characters(document), brief.brand), 1)


ID_PREFIX = {"area": pdf_outline.AREA_PREFIX,
             "recommendation": pdf_outline.RECOMMENDATION_PREFIX}
"""The prefix of the id the PDF gives a recommendation area and a recommendation: the
outline reader (``readback/pdf.py``) tells them from sections by it."""


def print_ids(brief: Brief) -> dict[str, str]:
    """The PDF's id of each area and recommendation of ``brief``, by the brief's id: an
    in-page link to one (``[…](#data-sharing)``) goes to the id the PDF writes."""
    ids = {}
    for area in brief.recommendations.areas:
        ids[area.id] = ID_PREFIX["area"] + area.id
        for rec in area.recommendations:
            ids[rec.id] = ID_PREFIX["recommendation"] + rec.id
    return ids


def page_layout(options: RenderOptions, edition: Edition) -> str:
    """``--pdf-layout`` if given, else facing pages in print and single pages on screen."""
    if options.pdf_layout is not None:
        return options.pdf_layout
    return "facing" if edition == "print" else "single"


def print_document(brief: Brief, options: RenderOptions,
                   edition: Edition = "screen") -> PrintDocument:
    meta = brief.meta
    tokens = design.tokens()
    created = document_date(brief)
    return PrintDocument(
        full_title=meta.full_title(),
        running_title=running_title(meta.title),
        title_size=next((size for limit, size in TITLE_SIZES if len(meta.title) > limit),
                        "normal"),
        subject=meta.summary or _first_sentence(brief),
        label=brief.doctype.label if brief.doctype else "Policy Brief",
        generator=f"briefpress {__version__}",
        date=created.strftime("%Y-%m-%dT%H:%M:%SZ") if created else None,
        date_display=meta.date_display(finest="month"),  # the house style: month and year
        cover_summary=cover_summary(brief),
        publisher_site=(meta.publisher.url.split("://", 1)[-1].strip("/")
                        if meta.publisher.url else None),
        page_size=options.paper,
        page_size_css=tokens.page.size(options.paper),
        page_margins=tokens.page.margins,
        figure_height=figure_height(tokens.page.size(options.paper), tokens.page.margins),
        edition=edition,
        layout=page_layout(options, edition),
        bleed=tokens.page.bleed if edition == "print" else "0in",
        facing_margins=(tokens.page.facing.inside, tokens.page.facing.outside),
        wordmark=design.wordmark(meta, brief.brand),
        logo_svg=brief.brand.logo_svg if brief.brand else None,
    )


def missing_alt_text(src: str, captioned: bool) -> tuple[str, str]:
    """The message and fix of an image with no alternative text, which the PDF edition
    refuses (PDF/UA requires one on every figure) and ``check`` reports in the same words.
    The words in the brackets of a figure with a caption are that caption (and its alt
    text, unless its attributes give another: one with none has an empty ``{alt=""}``), so
    its description goes in those attributes: put in the brackets, it would be printed as
    the caption."""
    message = f"image {src!r} has no alternative text"
    if captioned:
        return message, ('describe it for readers who cannot see it: `alt="description"` in '
                         f"the braces after `![…]({src})` (the words in the brackets are its "
                         "caption)")
    return message, f"describe it for readers who cannot see it: `![description]({src})`"


def image_line(text: str, src: str, use: int = 0) -> int | None:
    """The line of the Markdown ``text`` where its ``use``-th image of ``src`` (from 0, in
    the order written, which is the document's) is written: ``](src`` counted; None if the
    text writes fewer (a reference-style image, raw HTML)."""
    found = [number for number, line in enumerate(text.splitlines(), start=1)
             for _ in range(line.count(f"]({src}"))]
    return found[use] if use < len(found) else None


FIGURE_CAPTION_ROOM = "1in"
"""What of the text area's height a figure leaves for its caption and the space around it
(the Word edition leaves the same: render/docx_raster.py, ``CAPTION_ROOM_IN``)."""


def figure_height(page_size: str, margins: str) -> str:
    """The CSS height of the page's text area less :data:`FIGURE_CAPTION_ROOM`, from the
    tokens' page size (``"8.5in 11in"``) and margins (CSS's shorthand, 1 to 4 lengths)."""
    height = page_size.split()[-1]
    sides = margins.split()
    top, bottom = sides[0], sides[2] if len(sides) > 2 else sides[0]
    return f"calc({height} - {top} - {bottom} - {FIGURE_CAPTION_ROOM})"


def document_date(brief: Brief) -> datetime.datetime | None:
    """When the PDF says it was made (``support.epoch.edition_date``): none for a brief with
    no date and no ``SOURCE_DATE_EPOCH``, but in the print edition, which PDF/X requires to
    be dated: there the fixed ``support.epoch.FALLBACK_DATE`` (render/pdf_layout.py), which
    ``check`` names."""
    return edition_date(brief.meta.date)


def running_title(title: str) -> str:
    """The title as it runs in the head of inner pages: its main clause if it is long."""
    if len(title) <= RUNNING_TITLE_MAX:
        return title
    head = title.split(":")[0].strip()
    if len(head) <= RUNNING_TITLE_MAX:
        return head
    words = title[:RUNNING_TITLE_MAX].rsplit(" ", 1)[0]
    return words.rstrip(",;:—– ") + "…"


def stylesheet(faces: str | None = None, edition: Edition = "screen",
               layout: str = "single", brand: Brand | None = None) -> str:
    """Tokens as custom properties (colours in CMYK for print, ``brand``'s over the house's),
    @font-face rules (``faces``, else those of every face of the design), print.css,
    then the sheets of a facing layout and of the press edition."""
    if faces is None:
        faces = font_faces(brand=brand)
    sheets = [design.css_variables("cmyk" if edition == "print" else "rgb", brand),
              design.print_variables(), faces, _css("print.css")]
    if layout == "facing":
        sheets.append(_css("print-facing.css"))
    if edition == "print":
        sheets.append(_css("print-press.css"))
    return "\n".join(sheets)


_FACES_PLACE = "/* <font-faces> */\n"
"""Where the @font-face rules go; text before the stylesheet is escaped, so cannot hold it."""


def font_faces(characters: set[str] | None = None, brand: Brand | None = None) -> str:
    """The @font-face rules of the design's fonts (``brand``'s faces for the roles it sets,
    the bundled ones for the others): of the bundled subsets (latin, latin-ext), only those
    whose ``unicode-range`` holds one of ``characters`` when they are given; a brand's face,
    a whole file without a range, always.

    A face whose range holds no character of the document is never used, but WeasyPrint
    registers every face it is given with fontconfig (about 1.5 ms each): a brief in
    English needs the ten latin faces, not the ten latin-ext ones as well.
    """
    codes = {ord(c) for c in characters} if characters is not None else None
    return design.font_face_css(lambda path: font_url(path, brand), brand,
                                keep=None if codes is None else lambda face: face.sets(codes))


BRAND_URL = "file:///briefpress-brand/"
"""The URL the print document gives its brand's folder (as :data:`BRIEF_URL` its brief's):
the same wherever the project lies, so that the same source gives the same bytes."""


def font_url(path: Path, brand: Brand | None = None) -> str:
    """The URL the PDF loads a font file from, through the sandbox: a brand's font by
    :data:`BRAND_URL`, a bundled one by its file URL."""
    if brand is not None and brand.folder is not None \
            and path.is_relative_to(brand.folder.resolve()):
        return BRAND_URL + path.relative_to(brand.folder.resolve()).as_posix()
    return path.resolve().as_uri()


_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})")


def _characters(document: str) -> set[str]:
    """Every character the document may set: as written, as HTML character references and
    as CSS escapes (``content: "\\2020"``) spell them."""
    characters = set(document) | set(html_text.unescape(document))
    for code in _CSS_ESCAPE.findall(document):
        if int(code, 16) <= 0x10FFFF:
            characters.add(chr(int(code, 16)))
    return characters


@cache_while_unchanged(lambda name: [STYLES / name])
def _css(name: str) -> str:
    return (STYLES / name).read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    # compiled templates are kept as the web page's are (render/web.py): in Jinja's
    # per-user cache, checked against the source, which Jinja makes private to the user
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             bytecode_cache=jinja2.FileSystemBytecodeCache())
    env.filters["keep_compounds"] = keep_compounds
    return env


def keep_compounds(text: str) -> Markup:
    """Escape ``text`` and wrap its hyphenated compounds so a line never breaks inside one."""
    return Markup(" ").join(
        Markup('<span class="nowrap">{}</span>').format(word) if "-" in word.strip("-")
        else escape(word)
        for word in text.split(" "))


COVER_SUMMARY = (160, 330)
"""The lower cover's summary: at least this many characters of whole sentences, at most
that many (then cut at a word, with an ellipsis)."""


def cover_summary(brief: Brief) -> str | None:
    """The ``summary`` of the front matter, else the opening sentences of the first
    paragraph, for the lower cover; None when the brief has no paragraph at all."""
    if brief.meta.summary:
        return " ".join(brief.meta.summary.split())
    for section in brief.walk():
        for block in section.blocks:
            if isinstance(block, blocks.Para):
                return lead_sentences(summary_text(block.content), *COVER_SUMMARY,
                                      whole=True)
    return None


def _first_sentence(brief: Brief) -> str:
    for section in brief.walk():
        for block in section.blocks:
            if isinstance(block, blocks.Para):
                text = summary_text(block.content)
                match = re.match(r"(.+?[.!?])(\s|$)", text)
                return match.group(1) if match else text
    return brief.meta.title


# --------------------------------------------------------------------------- outline

def read_outline(path: Path) -> list[OutlineEntry]:
    """The outline of a PDF: sections and recommendation areas from its bookmarks, in their
    order; recommendations from the named destinations the print template gives them.

    A bookmark is matched to the named destination at the same place to learn its id;
    bookmarks of recommendation areas are told from sections by their ``area:`` id.
    """
    return pdf_outline.read_pdf_outline(path)
