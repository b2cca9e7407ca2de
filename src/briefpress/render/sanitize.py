"""Turn HTML fragments that may hold an author's raw HTML into markup safe to publish on the web.

pandoc passes raw HTML in a brief's Markdown straight through, so every fragment
goes through nh3 (the Rust ``ammonia`` sanitiser) with an allow-list that keeps
pandoc's own markup (ids, classes, figures, tables, footnote links and their
``doc-*`` roles) and drops everything that runs code, loads something from
elsewhere or restyles the page: ``script``, ``iframe``, ``object``, ``embed``,
``style``, event-handler attributes, ``javascript:`` and ``data:`` links, and any
``style`` attribute but pandoc's column alignment and image widths. Headings and
sectioning elements are dropped too (their text is kept): the page's outline is
the brief's sections and nothing an author slips into a paragraph.

Image sources go through a caller's ``resolve_image``, which turns a reference
into the URL of a copied file or raises :class:`~briefpress.errors.BriefError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import nh3

from briefpress.errors import BriefError, Problem

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul", "var", "wbr",
})
"""Phrasing and flow content pandoc writes. No headings or sectioning elements (the
template writes those, from the section tree), nothing that embeds or runs anything."""

REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math",
    "canvas", "video", "audio", "frame", "frameset", "applet", "textarea", "select", "button",
})
"""Elements whose content is code, markup for another parser or a widget: gone entirely."""

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "lang", "dir", "title", "role", "aria-hidden", "aria-label"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "style"},
    "col": {"span", "style"},
    "colgroup": {"span"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "bdo": {"dir"},
}

HIDING_CLASSES = frozenset({"visually-hidden", "skip-link", "toc", "downloads"})
"""Classes of the page's own stylesheet that hide text or move it off screen (some only in
print): on an author's span they would make text a reader cannot see, so they are dropped."""

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""Where a link may go; anything else (``javascript:``, ``data:``, ``file:``) loses its href."""

ROLES = frozenset({"doc-noteref", "doc-endnotes", "doc-backlink", "doc-footnote", "note",
                   "doc-biblioentry", "doc-bibliography", "doc-pullquote", "presentation"})
"""ARIA roles pandoc writes (footnotes, bibliography) and a few harmless ones."""

# The only inline styles kept: what pandoc writes for column alignment and relative sizes.
_STYLE_BY_TAG = {
    "th": re.compile(r"text-align: (?:left|right|center);"),
    "td": re.compile(r"text-align: (?:left|right|center);"),
    "img": re.compile(r"(?:width|height): ?\d{1,3}(?:\.\d+)?%;?"),
    "col": re.compile(r"width: ?\d{1,3}(?:\.\d+)?%;?"),
}


class Sanitizer:
    """Cleans fragments of one brief; ``resolve_image(src)`` gives the published URL of an image."""

    def __init__(self, resolve_image: Callable[[str], str]) -> None:
        self.resolve_image = resolve_image
        self._problems: list[Problem] = []

    def clean(self, html: str) -> str:
        """``html`` with only allowed markup; BriefError for an image that may not be used."""
        if not html:
            return html
        self._problems = []
        cleaned = nh3.clean(
            html,
            # pandoc writes <embed> for an image whose file type it does not know: its src is
            # checked like an image's (so a bad one is refused, not dropped unseen), then the
            # element goes (the second pass below)
            tags=set(ALLOWED_TAGS) | {"embed"},
            clean_content_tags=set(REMOVED_WITH_CONTENT) - {"embed"},
            attributes={**ALLOWED_ATTRIBUTES, "embed": {"src"}},
            attribute_filter=self._filter,
            # data: and file: get through to _filter, which keeps no link to them and has
            # resolve_image accept or refuse an image by name (rather than drop it silently).
            url_schemes=set(LINK_SCHEMES) | {"data", "file"},
            link_rel=None,
            strip_comments=True,
        )
        if self._problems:
            raise BriefError(self._problems)
        # the second pass drops the <embed>s (and changes nothing else: the first one's output
        # is within these lists and nh3 writes back what it parsed)
        return nh3.clean(cleaned, tags=set(ALLOWED_TAGS),
                         clean_content_tags=set(REMOVED_WITH_CONTENT),
                         attributes=ALLOWED_ATTRIBUTES,
                         url_schemes=set(LINK_SCHEMES) | {"data", "file"},
                         link_rel=None, strip_comments=True)

    def _filter(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute == "style":
            pattern = _STYLE_BY_TAG.get(tag)
            return value if pattern is not None and pattern.fullmatch(value.strip()) else None
        if attribute == "role":
            return value if value in ROLES else None
        if attribute == "class":
            kept = [name for name in value.split() if name not in HIDING_CLASSES]
            return " ".join(kept) or None
        if tag == "a" and attribute == "href":
            # a browser drops tabs and newlines anywhere in a URL ("java\tscript:"); the HTML
            # serialiser may have written them %-escaped, so they are judged decoded too
            bare = "".join(c for c in unquote(value) if c not in "\t\n\r")
            scheme = max(urlsplit(value).scheme, urlsplit(bare).scheme, key=len).lower()
            return value if not scheme or scheme in LINK_SCHEMES else None
        if tag in ("img", "embed") and attribute == "src":
            try:
                return self.resolve_image(value)
            except BriefError as exc:  # nh3 calls back from Rust: report after it returns
                self._problems.extend(exc.problems)
                return None
        return value
