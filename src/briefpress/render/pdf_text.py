"""Turn the PDF editions' HTML into text a proofreader accepts: break rules CSS cannot say.

WeasyPrint hyphenates every word long enough (``hyphenate-limit-chars``), proper names
and acronyms included, and breaks a line at any hyphen or dash. Three rules of the house
style need the words themselves marked, which this module does on the document's text
nodes with lxml (never on the markup as a string):

- a capitalised word is never hyphenated ("Consulta-tive Group", "Part-nership"): it is
  wrapped, with the capitalised words next to it, in ``<span class="nohy">``
  (``hyphens: manual`` in print.css), if WeasyPrint could hyphenate it at all (see
  :func:`hyphenable`);
- a number range ("1950-1953", "2019–2023") and a compound with a part of three letters
  or fewer ("vis-à-vis", "US-ROK") never break at their hyphen or dash: ``<span
  class="keep">`` (``white-space: nowrap``);
- a line never starts with an em dash: the dash is kept with the word before it, so a
  line may end with one but not begin with one (``<span class="keep">``);
- an area's label with a word the hanging margin cannot hold, or too long for it (more than
  :data:`MAX_LABEL_LINES` lines there), is ``class="above"``: print.css sets it above its
  recommendations, never hyphenated in the margin nor run down past them;
- a table too wide for the text column (render/table_width.py's ``is_wide``: of seven
  columns or more, or whose longest words and numbers, one per column, the column could not
  hold side by side), is ``<table class="wide">``: print.css sets it across the full
  width and lets it break a word or number its column cannot hold, rather than run off the
  page; in it, a number with thousands separators breaks after one of them ("1,234," above
  "567"), never amid a group: a ``<wbr>`` after each separator.

The spans carry no meaning: their text is the same, so the tagged PDF and the text a
reader copies are unchanged. They are not free: WeasyPrint lays out and draws each as a box
of its own, and tags it as a /Span of the PDF's structure tree (about 0.5 ms each for the
first brief), so a word is marked only where a rule could otherwise be broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyphen
from lxml import html as lxml_html

from briefpress.read.tokens import points
from briefpress.render import design, fontcache
from briefpress.render.table_width import is_wide

if TYPE_CHECKING:
    from briefpress.model.brief import Brand

NO_HYPHENATION_CLASS = "nohy"
KEEP_CLASS = "keep"

MIN_PROTECTED = 9
"""Words shorter than this are never hyphenated anyway (the first number of print.css's
``hyphenate-limit-chars``): a capitalised one is left unwrapped, and a run of capitalised
words ("Nuclear Consultative Group") takes one span, which keeps the spans few."""

MIN_LEFT = MIN_RIGHT = 4
"""The letters a hyphenated word keeps before and after its hyphen (the other two numbers
of ``hyphenate-limit-chars``), with which pyphen lists where WeasyPrint may break it."""

_LETTER = r"[\w\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]"
"""A letter or digit of a word, combining accents included (text written decomposed, NFD,
stays one word to Pango, as it must here)."""

_UPPER = "A-Z" + "".join(
    c for c in map(chr, (*range(0xC0, 0x590), *range(0x10A0, 0x1100), *range(0x1E00, 0x2000)))
    if c.isupper() or c.istitle())
"""Capital letters of the Latin, Greek, Cyrillic, Armenian and Georgian alphabets (the
scripts pyphen has dictionaries for): "Élysée" and "Österreich" are capitalised too."""

_WORD = re.compile(rf"{_LETTER}+(?:['’.:·]{_LETTER}+)*")
"""A word as Pango (whose word boundaries WeasyPrint hyphenates between) counts one:
letters and digits, joined by an apostrophe or a full stop ("Korea’s", "U.S"), cut at a
hyphen or a dash."""

ELISION_MAX = 16
"""The longest elided word looked for before a capitalised one ("dell’", "quell’")."""

_ELIDED = re.compile(rf"{_LETTER}+['’]$")
"""An elided word before a capitalised one ("l’", "qu’"): Pango reads "l’Organisation"
as one word, and WeasyPrint hyphenates that word."""

SKIPPED = frozenset({"style", "script", "head", "title", "pre", "code", "svg", "math",
                     "h1", "h2", "h3", "h4", "h5", "h6"})
"""Elements whose text is left alone (headings are never hyphenated, by print.css)."""

_TOKEN = re.compile(
    r"(?P<range>(?<![\w.])\d+(?:[,.]\d+)*[-–]\d+(?:[,.]\d+)*(?!\w))"
    r"|(?P<short>(?<![\w-])(?:\w{1,3}(?:-\w+)+|\w+(?:-\w+)*-\w{1,3})(?![\w-]))"
    r"|(?P<dash>[^\s—]+—)"
    rf"|(?P<capital>(?<![\w-])[{_UPPER}][\w’'\-{_LETTER[1:-1]}]*"
    rf"(?: [{_UPPER}][\w’'\-{_LETTER[1:-1]}]*)*)",
)
"""What the text is searched for, in plain text (a text node's content, not markup)."""


WIDE_CLASS = "wide"
ABOVE_CLASS = "above"
"""An area's label whose word the hanging margin cannot hold ("RECOMMENDATIONS",
letter-spaced), or that takes more than :data:`MAX_LABEL_LINES` lines there: print.css
sets it above its recommendations, across the box, rather than hyphenate it in the margin
or run it down past them."""

_GROUPED = re.compile(r"(?<![\w,])[-+−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,])")
"""A number written with thousands separators ("1,234,567", "+12,345.6")."""


LABEL_TRACKING_EM = 0.12
"""print.css's ``letter-spacing`` of an area's label (``.recommendation-area-title``)."""
LABEL_GAP_EM = 1.2
"""What print.css leaves between the label's column and the recommendations, in ems."""
ACCENT_WEIGHT_PT = 3.0
"""print.css's ``--accent-weight``, the box's rule, left of the label's column."""
LABEL_WEIGHT = 700


MAX_LABEL_LINES = 4
"""The most lines an area's label takes in the hanging margin; a longer one is set above
its recommendations. Four lines of the label (8 pt at print.css's line-height 1.35, 44 pt
in the rendered PDF) stand as tall as a recommendation of two lines and its "See" line; a
fifth makes the label a narrow column of text that runs down past such a recommendation
(and a label split at the foot of a page, seen with six lines, prints its last lines over
the next box's label). The real briefs' labels take three lines at most ("GEOPOLITICAL /
SECURITY / ENGAGEMENT"). The tokens hold no measure of it (the line-height is print.css's)."""


def label_fits_margin(title: str, brand: Brand | None = None) -> bool:
    """Whether an area's ``title``, in capitals, bold and letter-spaced, fits the hanging
    margin the PDF sets it in (the indent less the box's padding and rule, less the gap):
    each of its words on a line, and the whole in :data:`MAX_LABEL_LINES` lines at most,
    broken as WeasyPrint breaks it (:func:`_label_lines`). Measured by the advances of the
    face that sets the label (fontTools; no kerning: print.css turns it off for labels)."""
    tokens = design.tokens(brand)
    size = float(tokens.type.label)
    column = (points(tokens.print.indent) - points(tokens.spacing.box_padding)
              - ACCENT_WEIGHT_PT - LABEL_GAP_EM * size)

    def width(text: str) -> float:
        return (_advance_em(text, brand) + LABEL_TRACKING_EM * len(text)) * size

    words = title.upper().split()
    return all(width(word) <= column for word in words) and \
        _label_lines(words, width, column) <= MAX_LABEL_LINES


def _label_lines(words: list[str], width: Callable[[str], float], column: float) -> int:
    """How many lines ``words`` take in a ``column`` of points, broken as WeasyPrint breaks a
    label (greedily, at a space or after a hyphen: "WIDER INDO-" above "PACIFIC REGION"),
    each piece of text ``width`` points wide. The letter-spacing after a line's last letter
    counts, its last space does not: the counts are the rendered PDF's (115 labels of 3 to
    14 short words compared)."""
    lines = 0
    line = column  # full: the first piece starts a line
    for word in words:
        for index, piece in enumerate(p for p in re.split(r"(?<=-)", word) if p):
            joined = width(piece if index else " " + piece)
            if line + joined <= column:
                line += joined
            else:
                lines, line = lines + 1, width(piece)
    return lines


def _advance_em(word: str, brand: Brand | None) -> float:
    """How wide ``word`` is set in the sans role's bold face, in ems: each character in the
    face (of the subsets) that holds it."""
    faces = [face for face in design.font_faces(brand) if face.role == "sans"
             and face.style == "normal"]
    weight = min({face.weight for face in faces}, key=lambda w: abs(w - LABEL_WEIGHT))
    width = 0.0
    for character in word:
        face = next((f for f in faces if f.weight == weight and f.sets({ord(character)})),
                    None)
        metrics = _metrics(face.path) if face is not None else None
        glyph = metrics[0].get(ord(character)) if metrics else None
        width += metrics[1][glyph] if metrics and glyph is not None else 1.0  # an em, unknown
    return width


@cache
def _metrics(path: Path) -> tuple[dict[int, str], dict[str, float]] | None:
    """A face's characters (to glyph names) and its glyphs' advances in ems."""
    from fontTools.ttLib import TTFont  # WeasyPrint has loaded it already

    data = path.read_bytes()
    if path.suffix.lower() == ".woff2":
        data = fontcache.truetype(data, path.name)
    font = TTFont(BytesIO(data), lazy=True)
    per_em = font["head"].unitsPerEm
    return (dict(font.getBestCmap() or {}),
            {name: advance / per_em for name, (advance, _) in font["hmtx"].metrics.items()})


def apply_break_rules(document: str, brand: Brand | None = None) -> str:
    """The HTML ``document`` with the running text of its ``<body>`` marked (see above);
    ``brand``, the brief's, sets its labels."""
    tree = lxml_html.document_fromstring(document)
    body = tree.find("body")
    if body is None:
        return document
    for element, lang in list(_elements(body, tree.get("lang"))):
        _mark_text(element, lang)
        for child in list(element):
            _mark_tail(child, lang)
    for label in body.find_class("recommendation-area-title"):
        if not label_fits_margin(label.text_content(), brand):
            label.set("class", " ".join([*(label.get("class") or "").split(), ABOVE_CLASS]))
    for table in body.iter("table"):
        rows = [[cell.text_content() for cell in row if cell.tag in ("td", "th")]
                for row in table.iter("tr")]
        if is_wide(rows):
            table.set("class", " ".join([*(table.get("class") or "").split(), WIDE_CLASS]))
            for cell in (c for row in table.iter("tr") for c in row if c.tag in ("td", "th")):
                _break_numbers(cell)
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def _break_numbers(cell: lxml_html.HtmlElement) -> None:
    """A ``<wbr>`` after each thousands separator of each number in ``cell``'s text (not in
    a span kept whole)."""
    for element in list(cell.iter()):
        if not isinstance(element.tag, str) or KEEP_CLASS in _classes(element):
            continue
        if element.text and _GROUPED.search(element.text):
            pieces = _number_pieces(element.text)
            element.text = pieces[0]
            for index, (wbr, after) in enumerate(zip(pieces[1::2], pieces[2::2], strict=True)):
                wbr.tail = after
                element.insert(index, wbr)
        for child in list(element):
            if child.tail and _GROUPED.search(child.tail):
                pieces = _number_pieces(child.tail)
                child.tail = pieces[0]
                at = element.index(child) + 1
                for index, (wbr, after) in enumerate(zip(pieces[1::2], pieces[2::2],
                                                         strict=True)):
                    wbr.tail = after
                    element.insert(at + index, wbr)


def _number_pieces(text: str) -> list[Any]:
    """``text`` cut after each thousands separator of its numbers: strings and ``<wbr>``
    elements in turn, a string first and last."""
    pieces: list[Any] = []
    position = 0
    for match in _GROUPED.finditer(text):
        for separator in re.finditer(",", match.group()):
            end = match.start() + separator.end()
            pieces += [text[position:end], lxml_html.Element("wbr")]
            position = end
    pieces.append(text[position:])
    return pieces


def hyphenable(words: str, lang: str | None) -> bool:
    """Whether WeasyPrint could hyphenate a word of ``words`` set in ``lang``: one at least
    :data:`MIN_PROTECTED` characters long that pyphen's dictionary for the language (the
    one WeasyPrint picks, by :func:`pyphen.language_fallback`) can break with
    :data:`MIN_LEFT` and :data:`MIN_RIGHT` letters on either side. "Indo-Pacific" (two
    words of four and seven letters) and "Sustained" (no break leaves four letters each
    side) cannot be; "Consultative" can ("Consulta-tive").

    A word is tried whole and in its pieces between apostrophes and full stops, so that a
    word Pango cuts otherwise than :data:`_WORD` is never taken as unbreakable.
    """
    dictionary = _dictionary(lang)
    if dictionary is None:
        return False  # no dictionary for the language: WeasyPrint hyphenates nothing
    for word in _WORD.findall(words):
        for candidate in {word, *re.findall(f"{_LETTER}+", word)}:
            if len(candidate) >= MIN_PROTECTED and dictionary.positions(candidate):
                return True
    return False


@cache
def _dictionary(lang: str | None) -> pyphen.Pyphen | None:
    # pyphen keeps each dictionary it has read for the process: WeasyPrint, which asks for
    # the same one when it first hyphenates, does not read it again
    language = lang and pyphen.language_fallback(lang)
    if not language:
        return None
    return pyphen.Pyphen(lang=language, left=MIN_LEFT, right=MIN_RIGHT)


_MARKED = frozenset({KEEP_CLASS, NO_HYPHENATION_CLASS, "nowrap",
                     "recommendation-area-title"})
"""Classes whose text is left as it is: marked already, or a label in the hanging margin
(print.css breaks a label's word only when the margin cannot hold it, capitals or not)."""


def _elements(root: lxml_html.HtmlElement, lang: str | None
              ) -> Iterator[tuple[lxml_html.HtmlElement, str | None]]:
    """Every element under ``root`` whose own text may be marked, with its language (its
    own ``lang``, else its nearest ancestor's, as CSS inherits it)."""
    if not isinstance(root.tag, str) or root.tag in SKIPPED or _classes(root) & _MARKED:
        return  # nor anything inside it
    lang = root.get("lang") or lang  # an empty lang="" is no language: WeasyPrint's rule
    yield root, lang
    for child in root:
        yield from _elements(child, lang)


def _classes(element: lxml_html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _pieces(text: str, lang: str | None) -> list[str | lxml_html.HtmlElement]:
    """``text`` (set in ``lang``) cut into plain strings and marking spans."""
    pieces: list[str | lxml_html.HtmlElement] = []
    position = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        word = match.group()
        if kind == "capital":
            # only the few characters before the word: searching from the start of the
            # text for each capital would take quadratic time on a long paragraph
            elided = _ELIDED.search(text, max(0, match.start() - ELISION_MAX), match.start())
            if not hyphenable((elided.group() if elided else "") + word, lang):
                continue
        pieces.append(text[position:match.start()])
        span = lxml_html.Element("span")
        span.set("class", NO_HYPHENATION_CLASS if kind == "capital" else KEEP_CLASS)
        span.text = word
        pieces.append(span)
        position = match.end()
    pieces.append(text[position:])
    return pieces


def _mark_text(element: lxml_html.HtmlElement, lang: str | None) -> None:
    if not element.text:
        return
    pieces = _pieces(element.text, lang)
    if len(pieces) == 1:
        return
    element.text = pieces[0]  # type: ignore[assignment]
    _insert(element, 0, pieces[1:])


def _mark_tail(child: lxml_html.HtmlElement, lang: str | None) -> None:
    """Mark the text after ``child``, which is its parent's (set in ``lang``)."""
    parent = child.getparent()
    if not child.tail or parent is None or parent.tag in SKIPPED:
        return
    pieces = _pieces(child.tail, lang)
    if len(pieces) == 1:
        return
    child.tail = pieces[0]  # type: ignore[assignment]
    _insert(parent, parent.index(child) + 1, pieces[1:])


def _insert(parent: lxml_html.HtmlElement, index: int,
            pieces: list[str | lxml_html.HtmlElement]) -> None:
    """Insert spans at ``index`` of ``parent``, each followed by the string after it."""
    for span, after in zip(pieces[::2], pieces[1::2], strict=True):
        assert not isinstance(span, str) and isinstance(after, str)
        span.tail = after
        parent.insert(index, span)
        index += 1
