"""Turn the YAML a brief is written in into typed, validated records: the schemas.

They are those of its front matter, its recommendations file, the project's
``briefpress.yaml``, a brand's ``brand.yml``, the design tokens (``styles/tokens.yaml``) and
a document type's rules (``templates/doctypes/<type>.yaml``).

Validated with msgspec (``yamlfile.validate``), which loads and checks in a few
milliseconds what pydantic took 130 ms to import and build. Text values have their
surrounding whitespace stripped before validation, so ``Text`` means "not blank".
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal, get_args

from msgspec import Meta, Struct, field, structs

from briefpress.model.doctype import SectionRule

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
WEB_URL_PATTERN = r"^(?i:https?)://[^\s/?#]+\S*$"
ORCID_PATTERN = r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"
EMAIL_PATTERN = r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"
HEX_COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
STEM_PATTERN = r"^[^{}/]*\{subset\}[^{}/]*$"
LENGTH_PATTERN = r"^[0-9]*\.?[0-9]+(?:pt|em|in|mm|cm)?$"
_ONE_LENGTH = r"[0-9]*\.?[0-9]+(?:pt|em|in|mm|cm)?"
SIZE_PATTERN = rf"^{_ONE_LENGTH} {_ONE_LENGTH}$"
MARGINS_PATTERN = rf"^{_ONE_LENGTH}(?: {_ONE_LENGTH}){{3}}$"

PATTERN_MESSAGES = {
    SLUG_PATTERN: ("is not an id", "use lowercase letters, digits and hyphens, e.g. `my-section`"),
    LANG_PATTERN: ("is not a language tag", "write a BCP 47 tag such as `en-US` or `fr`"),
    WEB_URL_PATTERN: ("not an absolute http(s) address",
                      "write the full address, e.g. https://www.example.org"),
    ORCID_PATTERN: ("is not an ORCID iD", "write the 16 characters with hyphens, e.g. "
                    "0000-0002-1825-0097 (without https://orcid.org/)"),
    EMAIL_PATTERN: ("is not an email address", "write it as name@example.org"),
    HEX_COLOR_PATTERN: ("is not a colour", "write `#` and six hex digits, e.g. `#0b2545`"),
    STEM_PATTERN: ("is not the stem of a bundled face's files", "write the file name without "
                   "`.woff2`, `{subset}` where the subset's name goes, e.g. "
                   "`source-serif-4-{subset}-400-normal`"),
    LENGTH_PATTERN: ("is not a length", "write a number and its unit (pt, em, in, mm, cm), "
                     "with no space between, e.g. `12pt`"),
    SIZE_PATTERN: ("is not a width and a height", "write two lengths with a unit (pt, em, in, "
                   "mm, cm), e.g. `8.5in 11in`"),
    MARGINS_PATTERN: ("is not four margins", "write four lengths with a unit (pt, em, in, mm, "
                      "cm): top, right, bottom and left, e.g. `0.9in 1in 0.9in 1in`"),
}
"""What to tell an author whose value does not match one of the patterns above."""

Slug = Annotated[str, Meta(pattern=SLUG_PATTERN)]
Text = Annotated[str, Meta(min_length=1)]
WebUrl = Annotated[str, Meta(pattern=WEB_URL_PATTERN)]
"""An absolute http(s) address. The editions make it a live link: a ``javascript:`` or
``file:`` address there would run code or point into the reader's own disk."""


class _Schema(Struct, frozen=True, forbid_unknown_fields=True):
    pass


class Author(_Schema):
    """A person or an organisation that wrote the brief."""

    name: Text
    """Full name as printed on the cover (of the person or the organisation)."""
    affiliation: Text | None = None
    """Program or institution, one line."""
    bio: Text | None = None
    """One-paragraph biography, rendered in "About the Author"."""
    organization: bool = False
    """The author is an institution, not a person (a task force, a research center)."""
    role: Text | None = None
    """What the author did, e.g. "Lead author", "Editor"; shown beside the name."""
    orcid: Annotated[str, Meta(pattern=ORCID_PATTERN)] | None = None
    """A person's ORCID iD, ``0000-0002-1825-0097`` (its check digit is verified)."""
    email: Annotated[str, Meta(pattern=EMAIL_PATTERN)] | None = None
    """A contact address, shown on the web page."""

    def orcid_url(self) -> str | None:
        return f"https://orcid.org/{self.orcid}" if self.orcid else None


class Social(_Schema):
    """A social-media account of the publisher, printed on the back cover."""

    network: Literal["facebook", "x", "linkedin", "instagram", "youtube", "bluesky", "threads"]
    handle: Text


class Publisher(_Schema):
    """Who publishes the brief: the colophon on the back cover and in the web footer."""

    name: Text
    """Legal name, e.g. "Woodrow Wilson International Center for Scholars"."""
    short_name: Text | None = None
    """The name used as the wordmark, e.g. "The Wilson Center"."""
    address: list[Text] = field(default_factory=list)
    """Postal address, one line per entry."""
    url: WebUrl | None = None
    """Web address of the publisher."""
    social: list[Social] = field(default_factory=list)


class Metadata(_Schema, kw_only=True):
    """The YAML front matter of ``brief.md``."""

    title: Text
    subtitle: Text | None = None
    type: Slug = "policy-brief"
    """Document type: names the rules file ``templates/doctypes/<type>.yaml``."""
    lang: Annotated[str, Meta(pattern=LANG_PATTERN)] = "en-US"
    """BCP 47 language tag of the text."""
    program: Text | None = None
    """The program or center that issues the brief, shown in the cover band."""
    series: Text | None = None
    """The series the brief is part of (e.g. "Arctic Futures"), shown after the program;
    the catalog lists each series' briefs on a page of their own."""
    brand: Slug | None = None
    """The brand of the editions (``brands/<brand>/brand.yml`` in the project): colours,
    wordmark and logo; none is the house style of ``styles/tokens.yaml``."""
    authors: Annotated[list[Author], Meta(min_length=1)]
    publisher: Publisher
    date: datetime.date | None = None
    """Publication date: a day (``2025-06-12``), a month (``2025-06``) or a year (``2025``).
    Held as a date (the first day of the month or year); ``date_precision`` says which."""
    date_precision: Literal["day", "month", "year"] = "day"
    """How much of ``date`` is known: set from how ``date`` is written (never needed by hand)."""
    keywords: list[Text] = field(default_factory=list)
    summary: Text | None = None
    """One-sentence description for indexes and sharing; defaults to the summary's opening."""
    bibliography: Text | None = None
    """The works ``[@key]`` cites: a BibTeX (``.bib``), CSL JSON (``.json``) or CSL YAML
    (``.yaml``) file in the brief's folder, named relative to it."""
    csl: Text | None = None
    """The citation style: a ``.csl`` file in the brief's folder; by default the bundled
    Chicago notes and bibliography (``styles/csl/``)."""
    canonical_url: WebUrl | None = None
    """Where the web edition will live; overrides the site-wide base URL. Checked when the
    brief is read, before any edition is written (every edition may link to it)."""

    def date_iso(self) -> str | None:
        """The date as ISO 8601 writes it to its precision: 2025-06-12, 2025-06 or 2025."""
        if self.date is None:
            return None
        return self.date.isoformat()[:{"day": 10, "month": 7, "year": 4}[self.date_precision]]

    def date_display(self, finest: Literal["day", "month"] = "day") -> str | None:
        """The date as a reader of the brief's language reads it, to its precision or to
        ``finest``, whichever is coarser (the PDF's cover shows the month): "June 12, 2025"
        in American English (and in English with no region), "12 June 2025" in any other
        English, "June 2025", "2025"; ISO 8601 in any other language (the pages' other words
        are English too)."""
        if self.date is None:
            return None
        precision = "month" if finest == "month" and self.date_precision == "day" else (
            self.date_precision)
        if precision == "year":
            return str(self.date.year)
        subtags = self.lang.split("-")
        if not self.in_english():
            return self.date.isoformat()[:{"day": 10, "month": 7}[precision]]
        month = _MONTHS[self.date.month - 1]
        if precision == "month":
            return f"{month} {self.date.year}"
        region = next((tag.upper() for tag in subtags[1:] if len(tag) == 2 or
                       (len(tag) == 3 and tag.isdigit())), None)
        if region is None or region in _MONTH_FIRST:
            return f"{month} {self.date.day}, {self.date.year}"
        return f"{self.date.day} {month} {self.date.year}"

    def in_english(self) -> bool:
        """Whether the brief is in English, of any region. The words briefpress writes
        around a brief's text (its labels, the headings it generates, a page's links) are
        English: in a brief of another language each edition marks them ``lang="en"``, so
        that a screen reader reads them in English (WCAG 2.1, 3.1.2 Language of Parts)."""
        return self.lang.split("-")[0] == "en"

    def full_title(self) -> str:
        """The title and the subtitle as one line, for a browser's tab, a search result, a PDF
        reader's title bar: "Title: Subtitle"; after a title that has a colon of its own,
        "Title: More — Subtitle" (never two colons); after one that ends in a question or an
        exclamation mark or a colon, a space ("Who Pays? The Subtitle")."""
        if not self.subtitle:
            return self.title
        if self.title.endswith(("?", "!", ":")):
            return f"{self.title} {self.subtitle}"
        return f"{self.title}{' — ' if ':' in self.title else ': '}{self.subtitle}"


_MONTH_FIRST = frozenset({"US", "CA", "PH", "PR", "VI", "UM", "AS", "GU", "MP", "MH", "BI"})
"""The regions whose English writes the month before the day ("June 12, 2025"), as the
Unicode CLDR's long date format does (CLDR 46); the others write "12 June 2025"."""

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


class Recommendation(_Schema):
    """One policy recommendation, with a stable id and the section that argues it."""

    id: Slug
    text: Text
    """Markdown inline text of the recommendation."""
    section: Slug
    """Id of the body section that argues it."""


class RecommendationArea(_Schema):
    """A group of recommendations under one heading."""

    id: Slug
    title: Text
    recommendations: list[Recommendation] = field(default_factory=list)


class Recommendations(_Schema):
    """The contents of ``recommendations.yaml``."""

    intro: Text | None = None
    """Paragraph that opens the "Policy Recommendations" section."""
    areas: list[RecommendationArea] = field(default_factory=list)


class Program(_Schema):
    """A program or center of the publisher, named in ``briefpress.yaml``."""

    id: Slug
    """What ``briefpress new --program`` and a brief's ``program:`` may name it by."""
    name: Text
    """The name shown in the cover band, e.g. "Polar Institute"."""
    brand: Slug | None = None
    """The brand (``brands/<brand>/brand.yml``) of this program's briefs."""


class Series(_Schema):
    """A series of briefs the publisher issues, named in ``briefpress.yaml``."""

    id: Slug
    """What ``briefpress new --series`` and a brief's ``series:`` may name it by, and the
    name of its catalog page (``build/series/<id>/index.html``)."""
    name: Text
    """The name the editions show, e.g. "Arctic Futures"."""


class ProjectConfig(_Schema, kw_only=True):
    """The contents of ``briefpress.yaml``, at the project root (the folder holding content/).

    Every key is optional. A brief's front matter overrides each default: a brief that names
    no publisher takes the project's, and so on.
    """

    publisher: Publisher | None = None
    """The default publisher of every brief (the front matter's ``publisher:`` block)."""
    programs: list[Program] = field(default_factory=list)
    """The programs briefs may be issued by; ``program: <id>`` in a brief names one."""
    series: list[Series] = field(default_factory=list)
    """The series briefs may be part of; ``series: <id>`` in a brief names one."""
    type: Slug | None = None
    """The default document type (``policy-brief`` if not given)."""
    lang: Annotated[str, Meta(pattern=LANG_PATTERN)] | None = None
    """The default language of briefs (``en-US`` if not given)."""
    page_size: Literal["letter", "a4"] | None = None
    """The PDF's default paper size; ``build --page-size`` overrides it."""
    brand: Slug | None = None
    """The default brand (``brands/<brand>/brand.yml``); a program's brand overrides it."""

    csl: Text | None = None
    """The citation style of every brief that names none: a ``.csl`` file in the project's
    ``styles/csl/`` folder, e.g. ``styles/csl/apa.csl`` (by default, the bundled Chicago
    notes and bibliography)."""


Percent = Annotated[float, Meta(ge=0, le=100)]
Cmyk = Annotated[list[Percent], Meta(min_length=4, max_length=4)]
"""A colour for the press: cyan, magenta, yellow and black, in percent."""
_PERCENT = get_args(Percent)[1]
CMYK_FIX = (f"give four numbers, {_PERCENT.ge:g} to {_PERCENT.le:g}: `[C, M, Y, K]` (cyan, "
            "magenta, yellow, black), e.g. `[100, 78, 28, 52]`")
"""What to tell an author whose CMYK colour (a brand's or the tokens') is not a :data:`Cmyk`:
a list of the wrong length, a number out of range, a word."""


class BrandMeta(_Schema):
    """Who the brand is: its name, and the wordmark text the editions show."""

    name: Text
    """The brand's name, e.g. "Polar Institute"."""
    wordmark: Text | None = None
    """The text of the wordmark (cover, web header, Word title block); the publisher's
    short name if not given."""


class BrandFontFile(_Schema):
    """One face of a brand's font: a file in the brand's folder and what it is."""

    path: Text
    """The font file (``.woff2``, ``.ttf`` or ``.otf``), relative to the brand's folder."""
    weight: Annotated[int, Meta(ge=100, le=900)] = 400
    style: Literal["normal", "italic"] = "normal"


class BrandFont(_Schema, kw_only=True):
    """A font family of the brand, as Quarto's ``typography.fonts`` gives one from files."""

    family: Text
    """The family name, as the files' name tables give it (name ID 1 or 16)."""
    source: Literal["file"] = "file"
    """Where the faces come from: only ``file`` (never the network or the system)."""
    files: Annotated[list[BrandFontFile], Meta(min_length=1)]
    license: Text | None = None
    """The font's licence (the OFL) in the brand's folder: shipped beside the web page's
    fonts."""


class BrandTextStyle(_Schema):
    """The face of a kind of text (``base``, ``headings``): a family of ``fonts``."""

    family: Text


class BrandTypography(_Schema):
    """Which of the brand's font families sets which text, as in Quarto's ``_brand.yml``."""

    fonts: list[BrandFont] = field(default_factory=list)
    base: Text | BrandTextStyle | None = None
    """The body text's family (the house's serif role)."""
    headings: Text | BrandTextStyle | None = None
    """The headings' family (the house's sans role: titles, labels, captions, tables)."""


class BrandFile(_Schema, kw_only=True):
    """The contents of ``brands/<name>/brand.yml``: a subset of the design tokens
    (``styles/tokens.yaml``) one publisher or program overrides, in the spirit of
    Quarto's ``_brand.yml``."""

    meta: BrandMeta
    color: dict[Slug, Annotated[str, Meta(pattern=HEX_COLOR_PATTERN)]] = field(
        default_factory=dict)
    """Colours by token name (``navy``, ``accent``, …) as ``#rrggbb``."""
    color_cmyk: dict[Slug, Cmyk] = field(default_factory=dict)
    """The same colours for the press, ``[C, M, Y, K]`` in percent: one for each of ``color``."""
    logo: Text | None = None
    """An SVG file in the brand's folder (e.g. ``logo.svg``), cleaned of scripts and external
    references, shown on the PDF cover, in the web header and in the Word title block."""
    typography: BrandTypography | None = None
    """The brand's own faces for the body text and the headings, from font files in its
    folder."""


Length = Annotated[str, Meta(pattern=LENGTH_PATTERN)]
"""A length of the design tokens: a number and its unit (``12pt``, ``0.6em``, ``1in``)."""
PageSize = Annotated[str, Meta(pattern=SIZE_PATTERN)]
"""A page's width and height (``8.5in 11in``)."""
Margins = Annotated[str, Meta(pattern=MARGINS_PATTERN)]
"""A page's four margins, in CSS's order: top, right, bottom, left."""
HexColor = Annotated[str, Meta(pattern=HEX_COLOR_PATTERN)]
Points = Annotated[int, Meta(gt=0, le=200)] | Annotated[float, Meta(gt=0, le=200)]
"""A size in points, as written (``20`` stays an integer in the CSS: ``20pt``), above 0 and
at most 200 (a title's size; a ratio such as the leading is a number of the same kind)."""


def named_values(record: Struct) -> list[tuple[str, Any]]:
    """The fields of ``record`` by the names its YAML gives them (``box-padding``), with
    their values, in order: what the stylesheets name a custom property after."""
    return [(spec.encode_name, getattr(record, spec.name)) for spec in structs.fields(record)]


class TokenFace(_Schema):
    """One bundled face of a house font: its files are ``styles/fonts/<stem>.woff2``, one a
    subset (``{subset}`` in the stem)."""

    weight: Annotated[int, Meta(ge=100, le=900)]
    style: Literal["normal", "italic"]
    stem: Annotated[str, Meta(pattern=STEM_PATTERN)]

    def file_name(self, subset: str) -> str:
        """The name of its file of ``subset`` (``latin``) in styles/fonts/."""
        return f"{self.stem.format(subset=subset)}.woff2"


class TokenFont(_Schema):
    """The family of one role of the house's text, its fallbacks and its bundled faces."""

    family: Text
    fallbacks: list[Text] = field(default_factory=list)
    """Families a reader's machine may have, in order (a CSS generic family last)."""
    licence: Text | None = None
    """Its licence, in ``styles/fonts/`` (travels with the web page's fonts)."""
    faces: list[TokenFace] = field(default_factory=list)
    """The bundled faces (none: a brand's family, whose files the brand gives)."""


class TokenFonts(_Schema):
    """The house's two roles of text: ``serif`` sets the body, ``sans`` headings, labels,
    captions and tables."""

    serif: TokenFont
    sans: TokenFont

    def roles(self) -> dict[str, TokenFont]:
        """Each role's font by its name, in order (serif, sans)."""
        return dict(named_values(self))


class TypeScale(_Schema):
    """The type scale, in points (print and Word; the web page takes its ratios)."""

    body: Points
    leading: Points
    """The line height, a ratio of the type's size (no unit)."""
    small: Points
    h1: Points
    h2: Points
    h3: Points
    title: Points
    subtitle: Points
    label: Points
    """Small capitals labels, running heads, folios."""


class Spacing(_Schema, rename="kebab"):
    """The space between paragraphs and sections, and inside a recommendation's box."""

    paragraph: Length
    section: Length
    box_padding: Length


class PageSizes(_Schema):
    """Each paper's width and height."""

    letter: PageSize
    a4: PageSize


class Facing(_Schema):
    """A facing layout's left and right margins: the inside and the outside one."""

    inside: Length
    outside: Length


class Page(_Schema):
    """The printed page."""

    default: Literal["letter", "a4"]
    """The paper of a build that names none (nor does briefpress.yaml)."""
    sizes: PageSizes
    margins: Margins
    """Top, right, bottom and left, as CSS's ``margin`` writes them."""
    facing: Facing
    bleed: Length
    """How far backgrounds run past the trim in the print edition."""
    measure: Length
    """The web page's line length."""

    def size(self, paper: str) -> str:
        """The width and height of ``paper`` (``letter``, ``a4``)."""
        return dict(named_values(self.sizes))[paper]


class PrintGeometry(_Schema, rename="kebab"):
    """The print edition's geometry (print.css's ``--indent``, ``--table-gap``,
    ``--wide-table-gap``), which the estimate of a table's width reads too."""

    indent: Length
    """The hanging margin left of the text column."""
    table_gap: Length
    """The space between a table's columns."""
    wide_table_gap: Length
    """The same in a wide table, in smaller type."""


class Tokens(_Schema, kw_only=True):
    """The contents of ``styles/tokens.yaml``: the house design, which a brand's colours and
    fonts are laid over (``render/design.py``)."""

    colors: dict[Slug, HexColor]
    """Colours by name, ``#rrggbb``, for the screen."""
    colors_cmyk: dict[Slug, Cmyk]
    """The same colours for the press, ``[C, M, Y, K]`` in percent: one for each colour."""
    fonts: TokenFonts
    font_subsets: dict[Slug, Text]
    """The bundled subsets of each face, with the characters each holds (a CSS
    ``unicode-range``)."""
    type: TypeScale
    spacing: Spacing
    page: Page
    print: PrintGeometry


class DocTypeRules(_Schema, kw_only=True):
    """The contents of ``templates/doctypes/<type>.yaml``: a ``DocType`` but its name, which
    is the file's (the comment at the top of ``policy-brief.yaml`` explains the keys)."""

    label: str
    """The type's name in prose (``Policy Brief``)."""
    description: str = ""
    max_words: Annotated[int, Meta(ge=1)] | None = None
    sections: list[SectionRule]
    """The top-level sections in order; each entry's keys are ``SectionRule``'s fields."""
