"""Turn a Brief into its web page: build/<slug>/index.html, its CSS, fonts and images beside it.

The page is ``templates/web.html.j2`` laid out over the same HTML fragments as the
print edition (:mod:`briefpress.render.htmlparts`), cleaned by :mod:`briefpress.render.sanitize`,
and styled by ``styles/web.css`` after the design tokens. Everything it loads lives
under ``assets/`` beside it and is referred to by relative URLs, so the folder works
from disk and from any path of any static server, and the page asks nothing of
any other host. ``render_collection`` writes the catalog, ``build/index.html``.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import hashlib
import json
import mimetypes
import posixpath
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import lxml.html
import msgspec
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from lxml import etree
from markupsafe import escape
from msgspec import Struct, field
from msgspec.structs import replace

from briefpress import __version__
from briefpress.errors import BriefError, Problem, display_path
from briefpress.model import blocks
from briefpress.model.brief import Brand, Brief, Listing, Metadata, OutlineEntry
from briefpress.model.options import RenderOptions
from briefpress.model.schema import ProjectConfig, named_values
from briefpress.read.brand import FONT_BYTES, load_brand
from briefpress.read.brief import all_slugs, read_front_matter
from briefpress.read.config import config_path, find_named, load_config, project_config_path
from briefpress.read.doctype import load_doctype
from briefpress.render import FORMATS, design
from briefpress.render.htmlparts import HtmlBrief, HtmlSection, inner_html, render_fragments
from briefpress.render.sanitize import Sanitizer
from briefpress.support import cache as editions
from briefpress.support.files import cache_while_unchanged, read_regular
from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.paths import STYLES, TEMPLATES, content_dir
from briefpress.support.sandbox import Sandbox

CATALOG_PAGE = "index.html"
"""The catalog's main page, in the build folder; each brief's page is ``<slug>/index.html``."""

ASSETS = "assets"
"""Folder beside each page that holds its stylesheet, fonts and images."""

WEB_FACES = frozenset({
    ("serif", 400, "normal"), ("serif", 400, "italic"),
    ("serif", 600, "normal"), ("serif", 600, "italic"),
    ("sans", 400, "normal"), ("sans", 400, "italic"), ("sans", 600, "normal"),
    ("sans", 700, "normal"),
})
"""The (font role, weight, style) faces styles/web.css sets text in; only these are shipped.
The browser tests check that every piece of text on the page is set in one of them."""

DOWNLOADS = (("pdf", "PDF"), ("docx", "Word (DOCX)"))
"""Editions the page links to when they exist beside it at render time."""

_RIGHT_TO_LEFT = frozenset({"ar", "arc", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur",
                            "yi"})
"""Languages written right to left: the page gets ``dir="rtl"``."""

_TOC_DEPTH = 2
"""Section levels listed in the table of contents (sections and their subsections)."""


# --- the page ---------------------------------------------------------------------------------

def render(brief: Brief, out: Path, options: RenderOptions) -> list[Path]:
    """Write the web page of ``brief`` to ``out`` and its assets to ``out.parent/assets/``;
    return the assets' paths."""
    folder = out.parent
    images = _ImageCopier(brief)
    cleaner = Sanitizer(images)
    fragments = _sanitized(render_fragments(brief, notes="endnotes"), cleaner)
    page = _page_info(brief, folder, options)
    html = _environment().get_template("web.html.j2").render(
        brief=brief, meta=brief.meta, html=fragments, page=page,
        toc=_toc(fragments.sections), heading_tag=_heading_tag)
    assets = {**images.files, **_design_assets(html, brief.brand)}
    for name, data in sorted(assets.items()):
        _write_if_changed(folder / name, data)
    out.write_text(html, encoding="utf-8")
    return [folder / name for name in sorted(assets)]


def shows(slug: str, build_dir: Path) -> dict[str, bytes]:
    """What the page shows of the other editions beside it (their links and sizes), by
    format: in its key, and in its record for ``check`` to say which one changed."""
    return {name: msgspec.json.encode(download)
            for name, download in _downloads_by_format(slug, build_dir / slug).items()}


class Download(Struct, frozen=True):
    label: str
    href: str
    size: str
    media_type: str


class PageInfo(Struct, frozen=True):
    """What the template shows besides the brief's own text: titles, sharing, downloads."""

    document_title: str
    description: str
    label: str
    canonical: str | None
    locale: str
    date_iso: str | None
    date_display: str | None
    twitter_site: str | None
    json_ld: str
    generator: str
    theme_color: str
    direction: str
    downloads: list[Download] = field(default_factory=list)
    wordmark: str = ""
    """The header's wordmark: the brand's, else the publisher's short name or name."""
    logo_svg: str | None = None
    """The brand's logo (cleaned SVG markup) for the header, if it has one."""
    catalog: str = f"../{CATALOG_PAGE}"
    """The catalog's page, which the build writes beside every web page (the way up)."""
    program_page: str | None = None
    """The catalog's page of the brief's program, if it has one."""
    series_page: str | None = None
    """The catalog's page of the brief's series, if it is in one."""


def _page_info(brief: Brief, folder: Path, options: RenderOptions) -> PageInfo:
    meta = brief.meta
    description = describe(brief)
    canonical = canonical_url(brief, options)
    label = brief.doctype.label if brief.doctype else "Brief"
    publisher = meta.publisher.short_name or meta.publisher.name
    x_account = next((s.handle for s in meta.publisher.social if s.network == "x"), None)
    return PageInfo(
        document_title=f"{meta.full_title()} | {publisher}",
        description=description,
        label=label,
        canonical=canonical,
        locale=meta.lang.replace("-", "_"),
        date_iso=meta.date_iso(),
        date_display=meta.date_display(),
        twitter_site=("@" + x_account.lstrip("@")) if x_account else None,
        json_ld=json_ld(brief, description, canonical),
        generator=f"briefpress {__version__}",
        theme_color=design.tokens(brief.brand).colors["navy"],
        direction="rtl" if meta.lang.split("-")[0] in _RIGHT_TO_LEFT else "ltr",
        downloads=_downloads(brief.slug, folder),
        wordmark=design.wordmark(meta, brief.brand),
        logo_svg=brief.brand.logo_svg if brief.brand else None,
        **_collection_links(brief),
    )


def _collection_links(brief: Brief) -> dict[str, str]:
    """The catalog's pages of the brief's program and series, from its page's folder, at
    the ids the catalog gives them. The config is the one the brief was read with (its
    project's, in the page's key); the catalog's is that of the project it builds, the same
    one for every brief of its content/."""
    config = load_config(config_path(brief.folder))
    return {f"{key}_page": f"../{collection_page(kind, name, config)}"
            for kind, key in COLLECTION_KINDS.items()
            if (name := getattr(brief.meta, key)) is not None}


def describe(brief: Brief) -> str:
    """The page's description: ``summary`` from the front matter, else the summary's opening."""
    if brief.meta.summary:
        return brief.meta.summary
    for section in brief.sections:
        for block in section.blocks:
            if isinstance(block, blocks.Para):
                return lead_sentences(summary_text(block.content))
    return brief.meta.subtitle or brief.meta.title


def summary_text(content: list[blocks.Inline]) -> str:
    """A paragraph's words as a summary of it reads them, in a description, on a cover:
    its notes and its citations left out (a citation's source text, ``[@key]``, is no
    reader's; its rendered form belongs to the body, which lists the work)."""
    text = blocks.stringify(blocks.rewrite(
        content, lambda node: blocks.Str(_CITED) if isinstance(node, blocks.Cite) else None))
    # with the space before it: "as shown [@x]." reads "as shown."
    return " ".join(re.sub(rf"\s*{_CITED}", "", text).split())


_CITED = "\ue020"
"""Where a citation stood, in a summary's text being made (a private-use character)."""


_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[A-Z“\"‘(])")


def lead_sentences(text: str, at_least: int = 120, at_most: int = 300,
                   whole: bool = False) -> str:
    """The first sentences of ``text`` that make ``at_least`` characters, cut at ``at_most``
    (at a word, with an ellipsis); with ``whole``, a sentence that would pass ``at_most``
    is left out instead, when one before it was taken."""
    text = " ".join(text.split())
    taken = ""
    for sentence in _SENTENCE_END.split(text):
        if whole and taken and len(taken) + len(sentence) + 1 > at_most:
            break
        taken = f"{taken} {sentence}".strip()
        if len(taken) >= at_least:
            break
    if len(taken) > at_most:
        taken = taken[: at_most - 1].rsplit(" ", 1)[0].rstrip(",;:—–-") + "…"
    return taken


def canonical_url(brief: Brief, options: RenderOptions) -> str | None:
    """Where the page lives: the front matter's ``canonical_url`` (an absolute http(s) URL,
    see model/schema.py), else base URL + slug."""
    if brief.meta.canonical_url:
        return brief.meta.canonical_url
    if options.base_url:
        return urljoin(site_url(options.base_url), quote(brief.slug) + "/")
    return None


def site_url(base_url: str) -> str:
    """``--base-url`` (checked by RenderOptions) ending in a slash, so that slugs join under
    it."""
    return base_url if base_url.endswith("/") else base_url + "/"


def json_ld(brief: Brief, description: str, canonical: str | None) -> str:
    """schema.org ``Report`` metadata as JSON, safe to set inside a <script> element."""
    meta = brief.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": meta.title,
        "name": meta.title,
    }
    if meta.subtitle:
        data["alternativeHeadline"] = meta.subtitle
    data["description"] = description
    data["inLanguage"] = meta.lang
    data["author"] = [_person(author) for author in meta.authors]
    data["publisher"] = _organization(meta)
    if meta.program:
        data["sourceOrganization"] = {"@type": "Organization", "name": meta.program}
    if meta.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": meta.series}
    if meta.keywords:
        data["about"] = [{"@type": "Thing", "name": keyword} for keyword in meta.keywords]
        data["keywords"] = ", ".join(meta.keywords)
    if meta.date:
        data["datePublished"] = meta.date_iso()  # ISO 8601 to its precision: 2025-06
    if canonical:
        data["url"] = canonical
        data["mainEntityOfPage"] = canonical
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # "</script>" or "<!--" inside a string would end or confuse the element; \u003c is the
    # same character to a JSON parser.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _person(author: Any) -> dict[str, Any]:
    """A person who wrote the brief, or the organisation that did."""
    person: dict[str, Any] = {"@type": "Organization" if author.organization else "Person",
                              "name": author.name}
    if author.affiliation:
        key = "parentOrganization" if author.organization else "affiliation"
        person[key] = {"@type": "Organization", "name": author.affiliation}
    if author.orcid:
        person["identifier"] = {"@type": "PropertyValue", "propertyID": "ORCID",
                                "value": author.orcid}
        person["sameAs"] = author.orcid_url()
    if author.email:
        person["email"] = author.email
    if author.role:
        person["jobTitle" if not author.organization else "description"] = author.role
    return person


def _organization(meta: Metadata) -> dict[str, Any]:
    publisher = meta.publisher
    org: dict[str, Any] = {"@type": "Organization", "name": publisher.name}
    if publisher.short_name:
        org["alternateName"] = publisher.short_name
    if publisher.url:
        org["url"] = publisher.url
    return org


def _downloads(slug: str, folder: Path) -> list[Download]:
    return list(_downloads_by_format(slug, folder).values())


def _downloads_by_format(slug: str, folder: Path) -> dict[str, Download]:
    """The other editions built beside the page, by format, in the order the page lists them."""
    found = {}
    for name, label in DOWNLOADS:
        path = FORMATS[name].output(folder.parent, slug)
        if path.is_file():
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            found[name] = Download(label, quote(path.name), _size(path.stat().st_size),
                                   media_type)
    return found


def _size(octets: int) -> str:
    if octets < 1000 * 1000:
        return f"{max(1, round(octets / 1000))} KB"
    return f"{octets / 1e6:.1f} MB"


def _line_of(text: str, needle: str) -> int | None:
    return next((n for n, line in enumerate(text.splitlines(), 1) if needle in line), None)


# --- fragments and images ----------------------------------------------------------------------

def _sanitized(fragments: HtmlBrief, cleaner: Sanitizer) -> HtmlBrief:
    """Every HTML fragment of the brief through the sanitiser; tables made scrollable."""

    def clean(html: str) -> str:
        return _wrap_tables(cleaner.clean(html))

    def section(s: HtmlSection) -> HtmlSection:
        return replace(s, heading_html=cleaner.clean(s.heading_html), body_html=clean(s.body_html),
                       children=[section(child) for child in s.children])

    areas = [replace(area, recommendations=[replace(rec, html=clean(rec.html))
                                            for rec in area.recommendations])
             for area in fragments.areas]
    return replace(fragments, sections=[section(s) for s in fragments.sections],
                   intro_html=clean(fragments.intro_html), areas=areas,
                   bios=[(author, clean(bio)) for author, bio in fragments.bios],
                   notes_html=cleaner.clean(fragments.notes_html),
                   bibliography_html=cleaner.clean(fragments.bibliography_html))


def _wrap_tables(fragment: str) -> str:
    """Put each table in a focusable scrolling region, so a wide one scrolls on a phone
    instead of the page, and a keyboard user can scroll it too."""
    if not fragment:
        return fragment
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    tables = list(root.iter("table"))
    if not tables:
        return fragment
    for table in tables:
        caption = table.find("caption")
        label = " ".join(caption.text_content().split()) if caption is not None else ""
        region = lxml.html.Element("div", {"class": "table-scroll", "role": "region",
                                      "tabindex": "0", "aria-label": label or "Table"})
        table.addprevious(region)
        region.tail, table.tail = table.tail, None
        region.append(table)
    return inner_html(root)


class _ImageCopier:
    """Resolves an image reference to a file of the brief's folder and queues its copy."""

    def __init__(self, brief: Brief) -> None:
        self.base = brief.folder.resolve()
        self.sandbox = Sandbox([self.base], brief.markdown_path, brief.markdown)
        self.source, self.text = brief.markdown_path, brief.markdown
        self.files: dict[str, bytes] = {}

    def __call__(self, src: str) -> str:
        resource = self.sandbox.open(urljoin(self.base.as_uri() + "/", src))
        if not resource.media_type.startswith("image/"):
            raise BriefError(Problem(self.source, _line_of(self.text, src[:60]),
                                     f"image {src[:60]!r} is not an image file "
                                     f"({resource.media_type})",
                                     "refer to a PNG, JPEG, GIF, WebP or SVG file"))
        if resource.path is not None:
            name = f"{ASSETS}/media/{resource.path.relative_to(self.base).as_posix()}"
        else:  # a data: URL, saved as a file so the page holds markup only
            digest = hashlib.sha256(resource.data).hexdigest()[:16]
            extension = mimetypes.guess_extension(resource.media_type) or ".bin"
            name = f"{ASSETS}/media/inline-{digest}{extension}"
        self.files[name] = resource.data
        return quote(name)


# --- stylesheet and fonts ----------------------------------------------------------------------

def _design_assets(html: str, brand: Brand | None = None) -> dict[str, bytes]:
    """``assets/web.css``, the font files it names for the characters ``html`` uses, their
    licences, and the icon (without one, browsers ask the server root for /favicon.ico),
    in the colours and fonts of ``brand`` if the brief has one."""
    subsets = _subsets_used(html)
    css, fonts = _stylesheet(tuple(sorted(subsets)), design.css_variables(brand=brand), brand)
    files = {f"{ASSETS}/web.css": css.encode("utf-8"), f"{ASSETS}/icon.svg": _icon(brand)}
    for path in [*fonts, *design.font_licences(brand)]:  # the OFL travels with the fonts
        # a brand's files are the project's, not ours: read as any source file is
        files[f"{ASSETS}/{_font_asset(path, brand)}"] = read_regular(
            path, FONT_BYTES, "give a smaller font file")
    return files


def _font_asset(path: Path, brand: Brand | None) -> str:
    """Where a font file (or its licence) goes in ``assets/``: a bundled one in ``fonts/``, a
    brand's in ``fonts/<brand>/`` by its path in the brand's folder (no name can clash)."""
    if brand is not None and brand.folder is not None \
            and path.is_relative_to(brand.folder.resolve()):
        return f"fonts/{brand.name}/{path.relative_to(brand.folder.resolve()).as_posix()}"
    return f"fonts/{path.name}"


@cache_while_unchanged(lambda *args: [STYLES / "web.css", design.TOKENS])
def _stylesheet(subsets: tuple[str, ...], variables: str, brand: Brand | None = None
                ) -> tuple[str, list[Path]]:
    """The web stylesheet: tokens as custom properties (``variables``), the web scale,
    @font-face rules for the bundled faces of WEB_FACES in ``subsets`` and for every face of
    ``brand``, then styles/web.css; and the font files named."""
    wanted: dict[Path, bool] = {}
    for face in design.font_faces(brand):
        # a brand's face is one whole file the brand chose: shipped as it is
        wanted[face.path] = face.subset is None or (
            (face.role, face.weight, face.style) in WEB_FACES and face.subset in subsets)
    faces = design.font_face_css(lambda p: quote(_font_asset(p, brand)), brand,
                                 keep=lambda face: wanted[face.path])
    css = "\n".join([
        "/* Generated by briefpress from styles/tokens.yaml and styles/web.css. */",
        variables, _web_scale(), faces,
        (STYLES / "web.css").read_text(encoding="utf-8"),
    ])
    return css, [path for path, keep in wanted.items() if keep]


def _icon(brand: Brand | None = None) -> bytes:
    """A small icon in the house (or brand's) colours: a navy square with the accent rule."""
    colors = design.tokens(brand).colors
    # attributes are kept in the order given, so the file stays what the tokens make it
    svg = etree.Element(f"{{{_SVG}}}svg", {"viewBox": "0 0 32 32"}, nsmap={None: _SVG})
    etree.SubElement(svg, f"{{{_SVG}}}rect",
                     {"width": "32", "height": "32", "rx": "3", "fill": colors["navy"]})
    etree.SubElement(svg, f"{{{_SVG}}}rect", {"x": "7", "y": "21", "width": "18",
                                              "height": "3.5", "fill": colors["accent"]})
    return etree.tostring(svg, encoding="utf-8", xml_declaration=False) + b"\n"


_SVG = "http://www.w3.org/2000/svg"


def _web_scale() -> str:
    """The print type scale as ratios to the body size, for rem/em sizes on screen; and the
    print margins of the tokens for the page's own print stylesheet."""
    scale = design.tokens().type
    props = [f"  --ratio-{name}: {value / scale.body:.4f};"
             for name, value in named_values(scale) if name not in ("body", "leading")]
    margins = design.tokens().page.margins
    return (":root {\n" + "\n".join(props) + "\n}\n"
            f"@media print {{\n  @page {{ margin: {margins}; }}\n}}\n")


def _subsets_used(html: str) -> set[str]:
    """Font subsets whose unicode-range holds a character of ``html``."""
    used = set()
    characters = {ord(c) for c in set(html)}
    for subset, ranges in design.tokens().font_subsets.items():
        spans = []
        for item in ranges.split(","):
            low, _, high = item.strip().removeprefix("U+").partition("-")
            spans.append((int(low, 16), int(high or low, 16)))
        if any(low <= c <= high for c in characters for low, high in spans):
            used.add(subset)
    return used


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write atomically, and not at all when the file already holds ``data`` (keeps mtimes,
    so a sync to the web server sends only what changed)."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write_bytes(path, data)


# --- templates ---------------------------------------------------------------------------------

@cache
def _environment() -> Any:
    # Compiling the templates costs more than rendering them (~55 ms a process); Jinja's
    # per-user cache in the temp folder keeps the compiled code, checked against the source.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True,
                       bytecode_cache=FileSystemBytecodeCache())


def _heading_tag(level: int) -> str:
    """Section level 1 is an h2 (the title is the page's one h1), down to h6."""
    return f"h{min(level + 1, 6)}"


class TocEntry(Struct, frozen=True):
    id: str
    title_html: str
    children: list[TocEntry]
    generated: bool = False
    """A section briefpress made (recommendations, bios): its title is the document
    type's, in English, and marked so on a page of another language."""


def _toc(sections: list[HtmlSection], depth: int = 1) -> list[TocEntry]:
    return [TocEntry(s.id, s.heading_html or _escape(s.title),
                     _toc(s.children, depth + 1) if depth < _TOC_DEPTH else [],
                     generated=s.generated_from is not None)
            for s in sections]


def _escape(text: str) -> str:
    return str(escape(text))


# --- reading a page back -----------------------------------------------------------------------

def read_outline(path: Path) -> list[OutlineEntry]:
    """Sections, recommendation areas and recommendations of a built page, in reading order."""
    try:
        tree = lxml.html.fromstring(Path(path).read_bytes())
    except (OSError, etree.ParserError) as exc:
        raise BriefError(Problem(path, None, f"cannot read the web page: {exc}",
                                 "rebuild it with `briefpress build --format html`")) from None
    bodies = tree.xpath('//*[@data-briefpress="brief-body"]')
    if len(bodies) != 1:
        raise BriefError(Problem(path, None, "not a briefpress web page (no brief body found)",
                                 "give an index.html written by `briefpress build`"))
    entries: list[OutlineEntry] = []
    # Only the template writes <section> (the sanitiser drops an author's), and the level is
    # the one the template wrote, not the heading's rank, which stops at h6.
    for section in bodies[0].iter("section"):
        level = _section_level(section)
        heading = _first_heading(section)
        if level is None or heading is None:
            continue
        entries.append(OutlineEntry("section", level, section.get("id") or "", _text(heading)))
        for area in section.xpath('./section[@class="recommendation-area"]'):
            title = _first_heading(area)
            if title is None:
                continue
            entries.append(OutlineEntry("area", level + 1, title.get("id") or "", _text(title)))
            entries.extend(OutlineEntry("recommendation", level + 2, li.get("id") or "",
                                        li.get("id") or "")
                           for li in area.xpath('./ul[@class="recommendations"]'
                                                '/li[@class="recommendation"]'))
    return entries


def _section_level(section: Any) -> int | None:
    classes = (section.get("class") or "").split()
    if "section" not in classes:
        return None
    return next((int(c[6:]) for c in classes if re.fullmatch(r"level-\d+", c)), None)


def _first_heading(element: Any) -> Any:
    return next((child for child in element
                 if isinstance(child.tag, str) and re.fullmatch(r"h[1-6]", child.tag)), None)


def _text(heading: Any) -> str:
    """A heading's text as the source's title: without footnote calls, spaces collapsed."""
    clone = copy.deepcopy(heading)
    for call in clone.xpath('.//*[@role="doc-noteref"]'):
        call.drop_tree()  # keeps the text that follows it
    return " ".join(clone.text_content().split())


# --- the catalog -------------------------------------------------------------------------------

class CatalogEntry(Struct, frozen=True):
    slug: str
    meta: Metadata
    label: str
    description: str | None
    page: str | None
    downloads: list[Download]


CATALOG_INPUTS = ("templates/catalog.html.j2", "templates/partials/*", "styles/web.css",
                  "styles/tokens.yaml", "styles/fonts/*")
"""The project files the catalog page is made from (its key's inputs)."""

CATALOG_OPTIONS = ("base_url",)
"""The render options the catalog's pages read (its key's, as :attr:`Format.options`)."""


class Collection(Struct, frozen=True):
    """A page of the catalog that lists the briefs of one program or one series."""

    kind: str
    """``programs`` or ``series``: the folder of its pages, and the front matter key
    (``program`` or ``series``) its briefs name it by."""
    name: str
    path: str
    """Where its page is, relative to the build folder: ``series/<id>/index.html``."""


COLLECTION_KINDS = {"programs": "program", "series": "series"}
"""The catalog's kinds of collection page: each folder of them and the front matter key
whose value names the collection."""


def render_collection(listings: list[Listing], build_dir: Path, options: RenderOptions,
                      warn: Callable[[Problem], None] = lambda problem: None) -> list[Path]:
    """Write ``build_dir/index.html`` (every brief built now and every other brief in
    content/) and a page for each program and each series, listing its briefs
    (``programs/<id>/index.html``, ``series/<id>/index.html``; the id is the config's, else
    made from the name).

    The pages are written again only when what they show changed (a listed brief's front
    matter, description or editions, the template, the options, the config's ids); the page
    of a program or series no brief names any more is removed. A brief not being built
    whose front matter cannot be read is left out with a warning (``warn``), not an error:
    another author's broken or hostile folder must not stop this build; ``briefpress
    check`` of that brief reports it as an error. A build folder left by a brief withdrawn
    from content/ is named with a warning, never removed
    (:func:`briefpress.support.cache.withdrawn`).
    """
    entries = [_catalog_entry(item, build_dir) for item in listings]
    entries += _content_entries(build_dir, {item.slug for item in listings}, warn)
    entries.sort(key=lambda e: (-(e.meta.date or datetime.date.min).toordinal(),
                                e.meta.title.casefold(), e.slug))
    out = build_dir / CATALOG_PAGE
    record = editions.load_record(build_dir)
    config = _project_config()
    named = (config.brand,) if config is not None and config.brand else ()
    collections = _collections(entries, config)
    old = record.editions.get("catalog")
    kept = _kept_pages(build_dir, old, {c.path for c in collections})
    for name in sorted(kept):
        warn(_kept_warning(build_dir, name, kept[name]))
    # a brief withdrawn from content/ leaves its editions in the build folder: said, not
    # removed (the catalog drops it; its files are the publisher's to take off the site)
    for problem in editions.withdrawn_warnings(build_dir, content_dir(),
                                               {*all_slugs(), *(i.slug for i in listings)}):
        warn(problem)
    # the brand the page is styled by is the project's: only its files are in the key
    # of the options, only the one the pages read: the sizes of the editions they list
    # are in the entries; the pages kept for the links to them, so that the catalog is
    # written again (and removes them) once no page links to them
    shown = [entries, collections, *([sorted(kept)] if kept else [])]
    key = editions.edition_key("catalog", editions.catalog_brands(content_dir(), named),
                               editions.project_inputs(CATALOG_INPUTS, ""), options,
                               msgspec.json.encode(shown),
                               reads=CATALOG_OPTIONS, epoch=editions.epoch_now())
    if editions.is_current(build_dir, old, key):
        return [out, *(path for path in _recorded_pages(build_dir, old)
                       if path.relative_to(build_dir).as_posix() not in kept)]
    brand = _project_brand(named, warn)
    base = site_url(options.base_url) if options.base_url else None
    publishers = {e.meta.publisher.name for e in entries}
    publisher = entries[0].meta.publisher if len(publishers) == 1 and entries else None
    several = _several_publishers({e.meta.publisher.short_name or e.meta.publisher.name
                                   for e in entries})
    labels = {e.label for e in entries}
    heading = f"{labels.pop()}s" if len(labels) == 1 else "Briefs"
    links = {COLLECTION_KINDS[c.kind]: {} for c in collections}
    for collection in collections:
        links[COLLECTION_KINDS[collection.kind]][collection.name] = collection.path
    template = _environment().get_template("catalog.html.j2")
    generator = f"briefpress {__version__}"
    pages = {out: template.render(entries=entries, publisher=publisher, publishers=several,
                                  heading=heading, canonical=base, generator=generator,
                                  brand=brand, home=heading, root="", links=links,
                                  collections=collections, collection=None)}
    for collection in collections:
        shown = [e for e in entries
                 if getattr(e.meta, COLLECTION_KINDS[collection.kind]) == collection.name]
        pages[build_dir / collection.path] = template.render(
            entries=shown, publisher=publisher, publishers=several, heading=collection.name,
            home=heading, canonical=base and urljoin(base, _folder_url(collection.path)),
            generator=generator, brand=brand, root="../../", links=links, collections=[],
            collection=collection)
    assets = _design_assets("".join(pages.values()), brand)
    for name, data in sorted(assets.items()):
        _write_if_changed(build_dir / name, data)
    for path, html in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_if_changed(path, html.encode("utf-8"))
    _remove_old_pages(build_dir, old, {*pages, *(build_dir / name for name in kept)})
    files = editions.describe_files(build_dir, [*pages, *(build_dir / name for name in assets)])
    # a kept page stays in the record, as the catalog wrote it, for a later build to remove
    files.update((name, old.files[name]) for name in kept if old is not None)
    record.editions["catalog"] = editions.Edition(key, files)
    editions.save_record(build_dir, record)
    return [out, *sorted(set(pages) - {out})]


def _several_publishers(names: set[str]) -> str | None:
    """The publishers of a catalog of several, for its title: "A and B", "A, B and C", or
    how many there are past three; none for one publisher (its name is the site's)."""
    if len(names) < 2:
        return None
    if len(names) > 3:
        return f"{len(names)} publishers"
    *others, last = sorted(names, key=str.casefold)
    return f"{', '.join(others)} and {last}"


def _folder_url(page: str) -> str:
    """A page's address in the form the site's canonical URLs take, its folder's
    (``series/high-north/``, as a brief's is ``<slug>/``): the links between the pages name
    the file, so that they work from disk too, but a server gives the same page for both,
    and one address a page is what a search engine should see."""
    return page.removesuffix("index.html")


def _collections(entries: list[CatalogEntry], config: ProjectConfig | None
                 ) -> list[Collection]:
    """The program and series pages of the catalog: one for each program or series a listed
    brief names, in order of name, at the id the config gives it, else at one made from its
    name (:func:`_page_id`)."""
    found = [Collection(kind, name, collection_page(kind, name, config))
             for kind, key in COLLECTION_KINDS.items()
             for name in {getattr(e.meta, key) for e in entries} - {None}]
    return sorted(found, key=lambda c: (c.kind, c.name.casefold(), c.path))


def collection_page(kind: str, name: str, config: ProjectConfig | None) -> str:
    """Where the catalog writes the page of the program or series ``name`` (``kind`` is
    ``programs`` or ``series``), relative to the build folder: at the id ``config`` gives
    it, else at one made from its name (:func:`_page_id`)."""
    listed = find_named(name, getattr(config, kind) if config else [])
    return f"{kind}/{listed.id if listed is not None else _page_id(name)}/index.html"


PAGE_ID_LETTERS = 40
"""The most letters of its name a page id made from a name keeps (cut at a hyphen)."""


def _page_id(name: str) -> str:
    """The folder of a program or series the config does not list: its name in lower-case
    ASCII letters and digits joined by hyphens, at most :data:`PAGE_ID_LETTERS` of them,
    then six hex digits of the name's SHA-256 ("Sea Ice Lab" → ``sea-ice-lab-5a2e0c``).

    The digits make the id the name's alone: it never changes when other names come or go,
    and names that spell alike ("Économie", "Economie") or that have no Latin letters at
    all ("日本") still get pages of their own. A config's ``id:`` gives a plainer one."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if len(words) > PAGE_ID_LETTERS:
        words = words[:PAGE_ID_LETTERS + 1].rsplit("-", 1)[0] or words[:PAGE_ID_LETTERS]
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]
    return f"{words}-{digest}" if words else digest


_PAGE_NAME = re.compile(r"(programs|series)/[a-z0-9]+(?:-[a-z0-9]+)*/index\.html")
"""The name, in the catalog's record, of a program or series page the catalog wrote."""


def _remove_old_pages(build_dir: Path, old: editions.Edition | None, kept: set[Path]) -> None:
    """Remove the program and series pages an earlier catalog wrote that this one does not:
    a renamed series leaves no page listing its briefs under the old name. Only a page the
    record names as one, still holding what the catalog wrote there, is removed (a record is
    a file anyone may edit), then its folder if nothing else is in it."""
    for name, digest in (old.files if old is not None else {}).items():
        path = build_dir / name
        if not _PAGE_NAME.fullmatch(name) or path in kept:
            continue
        if editions.sha256_file(path) == digest:
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # not empty: something else is there too
                path.parent.rmdir()


class KeptPage(Struct, frozen=True):
    """A program or series page the catalog keeps for the pages that link to it."""

    linking: list[Path]
    """The built pages (a brief's) that link to it."""
    kept: dict[str, list[Path]]
    """The other kept pages that link to it, by their names in the build folder, each with
    the built pages that keep it other than through this one."""
    builds: list[Path]
    """The built pages that keep it, linking to it directly or through kept pages: once
    they are built again, the next catalog build removes it."""


def _kept_pages(build_dir: Path, old: editions.Edition | None, pages: set[str]
                ) -> dict[str, KeptPage]:
    """The program and series pages an earlier catalog wrote, this one does not (an id
    renamed in ``briefpress.yaml``, a brief moved to another program) and a page in the
    build folder still links to, each with the pages that link to it: pages built before
    the change and not built again by this command (one brief built, another that failed,
    or a page left from a brief no longer in content/), and other pages kept so.

    Such a page stays, as the catalog wrote it, until no page links to it: a build never
    leaves a published page linking to one that is not there. Only pages the catalog
    wrote, still as it wrote them, are kept (as only they are removed). The built pages are
    read only when there is a page to remove (a rename), never on an ordinary build."""
    gone = {name for name, digest in (old.files if old is not None else {}).items()
            if _PAGE_NAME.fullmatch(name) and name not in pages
            and editions.sha256_file(build_dir / name) == digest}
    linking: dict[str, list[Path]] = {}
    scan = sorted(build_dir.glob(f"*/{CATALOG_PAGE}")) if gone else []
    while scan:  # the brief pages, then the kept pages, which link to each other
        before = set(linking)
        for page in scan:
            for name in sorted(linked_pages(page, build_dir) & gone):
                if build_dir / name != page:
                    linking.setdefault(name, []).append(page)
        scan = [build_dir / name for name in sorted(set(linking) - before)]

    def built(name: str, seen: set[str]) -> set[Path]:
        """The pages, not kept ones, that link to ``name`` directly or through kept ones."""
        found = set()
        for page in linking[name]:
            other = page.relative_to(build_dir).as_posix()
            if other not in linking:
                found.add(page)
            elif other not in seen:
                seen.add(other)
                found |= built(other, seen)
        return found

    kept = {}
    for name, pages in linking.items():
        names = {page: page.relative_to(build_dir).as_posix() for page in pages}
        kept[name] = KeptPage(
            sorted(page for page in pages if names[page] not in linking),
            {other: sorted(built(other, {other, name}))
             for other in sorted(names.values()) if other in linking},
            sorted(built(name, {name})))
    return kept


def _kept_warning(build_dir: Path, name: str, page: KeptPage) -> Problem:
    """What the build says of a page it keeps for the pages linking to it (each named as
    it is: a built page, or another kept page with the built pages that keep it, so that
    each named page holds the link), and the commands that build again every built page
    that keeps it (after which the next catalog build removes it)."""
    slugs = set(all_slugs())
    commands, orphans = [], []
    for built in page.builds:
        slug = built.parent.name
        if built.parent.parent != build_dir:
            continue
        elsewhere = None if slug in slugs else editions.built_from(built.parent, content_dir())
        if slug in slugs or elsewhere is not None:
            commands.append(f"`briefpress build {display_path(elsewhere) if elsewhere else slug}"
                            " --format html`")
        else:
            orphans.append(display_path(built.parent))
    fix = []
    if commands:
        fix.append(f"build {'that page' if len(commands) == 1 else 'those pages'} again "
                   f"({', '.join(commands)})")
    if orphans:
        fix.append(f"remove {'that folder' if len(orphans) == 1 else 'those folders'} "
                   f"({', '.join(f'`rm -r {o}`' for o in orphans)}), which no brief in "
                   "content/ builds any more")
    links = []
    if page.linking:
        links.append(f"{'a page' if len(page.linking) == 1 else 'pages'} built before "
                     f"{'links' if len(page.linking) == 1 else 'link'} to it: "
                     f"{', '.join(display_path(p) for p in page.linking)}")
    for other, keeping in page.kept.items():
        links.append(f"the kept page {display_path(build_dir / other)} links to it, kept "
                     + (f"for {', '.join(display_path(p) for p in keeping)}" if keeping
                        else "only while this page is"))
    kind = COLLECTION_KINDS[name.split("/", 1)[0]]
    return Problem(build_dir / name, None,
                   f"kept, though the catalog has no {kind} page at this address any more, "
                   f"while {'; and '.join(links)}",
                   "; ".join(fix) + "; the next build of the catalog then removes it",
                   severity="warning")


def linked_pages(page: Path, build_dir: Path) -> set[str]:
    """The catalog's program and series pages the built page ``page`` links to, by their
    names relative to ``build_dir`` (``programs/polar/index.html``), whether or not they
    are there."""
    try:
        tree = lxml.html.fromstring(page.read_bytes())
    except (OSError, etree.ParserError):
        return set()  # no page, or not one the build wrote: it links nowhere for us
    folder = page.parent.relative_to(build_dir).as_posix()
    found = set()
    for href in tree.xpath("//a/@href"):
        target = urlsplit(str(href))
        if target.scheme or target.netloc or not target.path:
            continue
        name = posixpath.normpath(posixpath.join(folder, unquote(target.path)))
        if _PAGE_NAME.fullmatch(name):
            found.add(name)
    return found


def outdated_links(brief: Brief, page: Path, build_dir: Path) -> list[Path]:
    """The program and series pages the built web page ``page`` of ``brief`` links to that
    a build now would not link to (the id of its program or series changed in
    ``briefpress.yaml`` since it was built), for ``check`` to name: each is either a page
    the catalog keeps only while a built page links to it, or not there at all."""
    config = load_config(config_path(brief.folder))
    now = {collection_page(kind, name, config) for kind, key in COLLECTION_KINDS.items()
           if (name := getattr(brief.meta, key)) is not None}
    return [build_dir / name for name in sorted(linked_pages(page, build_dir) - now)]


def _recorded_pages(build_dir: Path, edition: editions.Edition | None) -> list[Path]:
    """The program and series pages an up-to-date catalog wrote, from its record."""
    names = edition.files if edition is not None else {}
    return sorted(build_dir / name for name in names if _PAGE_NAME.fullmatch(name))


def _project_config() -> ProjectConfig | None:
    """The project's ``briefpress.yaml``, for its brand and its programs' and series' ids. A
    config that does not read gives none (every brief says what is wrong)."""
    try:
        return load_config(project_config_path(content_dir()))
    except BriefError:
        return None


def _project_brand(named: tuple[str, ...], warn: Callable[[Problem], None]) -> Brand | None:
    """The project's brand, which styles the catalog page as the brand of a brief styles its
    page; a brand that does not read leaves the catalog in the house style, with a warning
    (the briefs of that brand fail, each saying why)."""
    if not named:
        return None
    config = project_config_path(content_dir())
    try:
        return load_brand(config.parent, named[0], config, None)
    except BriefError as exc:
        first = exc.problems[0]
        warn(Problem(first.file, first.line, f"the catalog keeps the house style: "
                     f"{first.message}", first.fix, severity="warning"))
        return None


def _catalog_entry(item: Listing, build_dir: Path) -> CatalogEntry:
    folder = build_dir / item.slug
    page = FORMATS["html"].output(build_dir, item.slug)
    # the page by its file name, not its folder: opened from disk, a folder's link shows
    # the folder's listing, and every URL must work from disk as from a server
    return CatalogEntry(item.slug, item.meta, item.label, item.description,
                        f"{quote(item.slug)}/{page.name}" if page.is_file() else None,
                        [replace(d, href=f"{quote(item.slug)}/{d.href}")
                         for d in _downloads(item.slug, folder)])


def _content_entries(build_dir: Path, exclude: set[str],
                     warn: Callable[[Problem], None]) -> list[CatalogEntry]:
    """Catalog entries of the briefs in content/ not being built, from their front matter
    alone (no pandoc run); a brief whose front matter does not read is left out, with a
    warning that says why."""
    entries = []
    for slug in all_slugs():
        if slug in exclude:
            continue
        try:
            meta = read_front_matter(content_dir() / slug)
            label = load_doctype(meta.type).label
        except BriefError as exc:
            first = exc.problems[0]
            warn(Problem(first.file, first.line, f"left out of the catalog: {first.message}",
                         first.fix, severity="warning"))
            continue
        description = (meta.summary or editions.load_record(build_dir / slug).description
                       or _built_description(build_dir / slug / "index.html"))
        entries.append(_catalog_entry(Listing(slug, meta, label, description), build_dir))
    return entries


def _built_description(page: Path) -> str | None:
    """The description an earlier build put in a page, so the catalog need not re-read it."""
    if not page.is_file():
        return None
    found = lxml.html.fromstring(page.read_bytes()).xpath('//meta[@name="description"]/@content')
    return str(found[0]) if found else None
