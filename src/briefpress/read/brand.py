"""Turn a project's ``brands/<name>/brand.yml`` (and its logo) into a ``Brand``."""

from __future__ import annotations

import contextlib
import hashlib
import math
from io import BytesIO
from pathlib import Path

import msgspec
from lxml import etree
from msgspec import Struct

from briefpress.errors import BriefError, Problem
from briefpress.model.brief import Brand, BrandFace, BrandFontFamily
from briefpress.model.schema import BrandFile, BrandTypography
from briefpress.read.tokens import house_tokens
from briefpress.read.yamlfile import key_line, node_line, parse_yaml, validate
from briefpress.support import limits
from briefpress.support.files import read_regular
from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.paths import cache_dir
from briefpress.support.svg import UnsafeSvg, clean_svg

BRANDS = "brands"
"""The folder of a project's brands, beside ``content/`` and ``briefpress.yaml``."""
BRAND_FILE = "brand.yml"

FONT_SUFFIXES = (".woff2", ".ttf", ".otf")
"""The font files a brand may hold (WOFF2 for the web page; TrueType or OpenType)."""

FONT_BYTES = 32 * 1024 * 1024
"""A font file larger than this is refused (the sandbox's bound on any file it serves)."""

ROLES = {"base": "serif", "headings": "sans"}
"""Which role of the house tokens (``styles/tokens.yaml``, ``fonts:``) each kind of text of
``typography:`` takes over: the body text is set in the serif, headings, labels, captions
and tables in the sans."""

_WORD_SLOTS = {"regular": "embedRegular", "bold": "embedBold", "italic": "embedItalic",
               "bold italic": "embedBoldItalic"}
"""Word's font-table slots by the subfamily name (name ID 2) of the face that fills each."""


def brand_folder(project_root: Path, name: str) -> Path:
    """Where brand ``name`` of the project at ``project_root`` lives."""
    return project_root / BRANDS / name


def missing_brand(project_root: Path, name: str, named_in: Path,
                  line: int | None) -> Problem | None:
    """The error for a ``brand:`` (in ``named_in``, at ``line``) that names no brand of the
    project at ``project_root``, listing those there are; None when the brand exists."""
    path = brand_folder(project_root, name) / BRAND_FILE
    if path.is_file():
        return None
    known = sorted(p.parent.name for p in (project_root / BRANDS).glob(f"*/{BRAND_FILE}"))
    create = f"create {BRANDS}/{name}/{BRAND_FILE} in the project"
    return Problem(named_in, line, f"no brand `{name}` ({path} does not exist)",
                   f"name one of: {', '.join(known)}, or {create}" if known
                   else f"{create}, or remove `brand:`")


def load_brand(project_root: Path, name: str, named_in: Path, line: int | None) -> Brand:
    """The brand ``name`` of the project, validated; every mistake of its file at once.

    ``named_in`` and ``line`` locate the ``brand:`` that names it, for a brand that does
    not exist.
    """
    from briefpress.read.brief import read_text  # read/brief.py loads the brand
    from briefpress.render.design import ACCENT_TEXT  # the colour derived, never given

    folder = brand_folder(project_root, name)
    path = folder / BRAND_FILE
    missing = missing_brand(project_root, name, named_in, line)
    if missing is not None:
        raise BriefError(missing)
    text = read_text(path)
    data, node = parse_yaml(text, path)
    problems: list[Problem] = []
    brand: BrandFile | None = None
    try:
        brand, unknown = validate(BrandFile, data, node, path)
        problems += unknown  # errors here: nothing checks a brand file later
    except BriefError as exc:
        problems += exc.problems
    raw = data if isinstance(data, dict) else {}
    colors = {k: v for k in ("color", "color_cmyk")
              for v in [raw.get(k)] if isinstance(v, dict)}
    tokens = house_tokens()["colors"]
    for section, given in colors.items():
        for key in given:
            if key == ACCENT_TEXT:
                # derived from the accent and the page: a colour given here would be
                # replaced, or would set text in a colour that may not read on the page
                problems.append(Problem(path, key_line(node, (section, key)),
                                        f"`{section}.{key}` is not a brand's to give: text "
                                        "in the accent takes the accent itself when it reads "
                                        "on the page (4.5:1), else the least mixture of it "
                                        "with the ink that does",
                                        f"remove `{key}:`, and give the `accent:` text should "
                                        "take (one that reads on the paper and the tint)"))
            elif key not in tokens:
                problems.append(Problem(path, key_line(node, (section, key)),
                                        f"`{section}.{key}` is no colour of the design tokens",
                                        f"use one of: {', '.join(tokens)}"))
    for key in colors.get("color", {}):
        if key in tokens and key not in colors.get("color_cmyk", {}):
            problems.append(Problem(path, key_line(node, ("color", key)),
                                    f"colour `{key}` has no CMYK value for the print edition",
                                    f"add `{key}: [C, M, Y, K]` under `color_cmyk:`"))
    logo = None
    if brand is not None and brand.logo is not None:
        logo_path = folder / brand.logo
        line = node_line(node, ("logo",))
        if logo_path.suffix.lower() != ".svg" or logo_path.parent != folder:
            problems.append(Problem(path, line, "the logo must be an .svg file in the brand's "
                                    "folder", f"put the SVG in {folder} and write its name"))
        elif not logo_path.is_file():
            problems.append(Problem(path, line, f"no logo file {logo_path}",
                                    f"add {brand.logo} to {folder} or remove `logo:`"))
        else:
            try:
                data = read_regular(logo_path, limits.SOURCE_BYTES.value(),
                                    "save it as a smaller SVG")
                logo = _inline(clean_svg(data))
                problems += _lettering(data, logo_path)
                problems += _logo_size(data, logo_path)
            except UnsafeSvg as exc:
                problems.append(Problem(logo_path, None, f"the logo is unusable: {exc}",
                                        "save it again as a plain SVG"))
    fonts: tuple[BrandFontFamily, ...] = ()
    if brand is not None and brand.typography is not None:
        fonts = _fonts(folder, brand.typography, node, path, problems)
    if problems or brand is None:
        raise BriefError(sorted(dict.fromkeys(problems), key=lambda p: (str(p.file), p.line or 0)))
    loaded = Brand(
        name=name, title=brand.meta.name, colors=tuple(sorted(brand.color.items())),
        colors_cmyk=tuple(sorted((k, (v[0], v[1], v[2], v[3]))
                                 for k, v in brand.color_cmyk.items())),
        wordmark=brand.meta.wordmark, logo_svg=logo,
        logo_file=folder / brand.logo if logo is not None and brand.logo else None,
        folder=folder, fonts=fonts)
    return msgspec.structs.replace(loaded, warnings=_contrast(loaded, node, path))


def _contrast(brand: Brand, node: object, path: Path) -> tuple[Problem, ...]:
    """A warning when the brand makes the accent too light for text on the page (with its
    own accent, or its own paper, tint or ink): the editions then set the accent's text
    (labels, markers, footnote calls) in a darker mixture of it with the ink
    (``render/design.py``, ``accent-text``), which the warning names, and say so too when
    even that, the ink at worst, does not read on the page."""
    # a design boundary: render/design.py lays the brand over the tokens
    from briefpress.render import design

    colors = design.tokens(brand)["colors"]
    ratio = design.text_contrast(colors["accent"], colors)
    given = dict(brand.colors)
    if ratio >= design.TEXT_CONTRAST:
        return ()
    # at the colour of the brand's that makes the accent fail: its own, else the page's
    at = next((k for k in ("accent", *design.TEXT_GROUNDS, "ink") if k in given), None)
    darker = colors[design.ACCENT_TEXT]
    darker_ratio = design.text_contrast(darker, colors)
    failing = (f"the accent {colors['accent']} has a contrast of {ratio:.2f}:1 with the "
               f"page ({' and '.join(design.TEXT_GROUNDS)}), under the "
               f"{design.TEXT_CONTRAST}:1 text needs (WCAG AA)")
    if darker_ratio >= design.TEXT_CONTRAST:
        message = (f"{failing}: the editions set text in the accent in {darker} instead "
                   f"({darker_ratio:.2f}:1)")
        fix = ("choose a darker accent, if the brand's own colour for text should show"
               if at == "accent" else "choose an accent that reads on the brand's paper and "
               "tint, if the accent's own colour for text should show")
    else:
        message = (f"{failing}, and no mixture of it with the ink {colors['ink']} reaches "
                   f"it: the editions set text in the accent in {darker}, at "
                   f"{darker_ratio:.2f}:1")
        fix = ("give the brand a paper and a tint the ink reads on (4.5:1), or an ink that "
               "reads on them, and an accent that does")
    return (Problem(path, key_line(node, ("color", at)) if at else None, message, fix,
                    severity="warning"),)


def _fonts(folder: Path, typography: BrandTypography, node: object, path: Path,
           problems: list[Problem]) -> tuple[BrandFontFamily, ...]:
    """The font families ``typography`` sets the base text and the headings in, each face a
    font file of the brand's folder whose name table has the family's name; every mistake
    goes to ``problems``."""
    families: dict[str, tuple[tuple[BrandFace, ...], Path | None]] = {}
    for index, font in enumerate(typography.fonts):
        at = ("typography", "fonts", index)
        faces = []
        for number, file in enumerate(font.files):
            line = node_line(node, (*at, "files", number, "path"))
            face = _face(folder, file.path, font.family, line, path, problems)
            if face is not None:
                faces.append(BrandFace(face[0], file.weight, file.style, face[1]))
        licence = None
        if font.license is not None:
            licence = _inside(folder, font.license)
            line = node_line(node, (*at, "license"))
            if licence is None:
                problems.append(Problem(path, line, f"the licence `{font.license}` is outside "
                                        "the brand's folder", f"put it in {folder}"))
            elif not licence.is_file():
                problems.append(Problem(path, line, f"no licence file {licence}",
                                        f"add {font.license} to {folder} or remove "
                                        "`license:`"))
                licence = None
        families[font.family] = (tuple(faces), licence)
    chosen = []
    for kind, role in ROLES.items():
        style = getattr(typography, kind)
        if style is None:
            continue
        family = style if isinstance(style, str) else style.family
        if family not in families:
            declared = ", ".join(f"`{f}`" for f in families)
            problems.append(Problem(
                path, node_line(node, ("typography", kind)),
                f"`typography.{kind}` names `{family}`, which is no family of "
                "`typography.fonts` (fonts come only from files in the brand's folder, never "
                "from the system or the network)",
                f"name one of {declared}" if declared else
                f"add `fonts: [{{family: {family}, files: [{{path: fonts/FILE.woff2}}]}}]` "
                "under `typography:`"))
            continue
        faces, licence = families[family]
        if faces:
            chosen.append(BrandFontFamily(role, family, faces, licence))
    return tuple(chosen)


def _inside(folder: Path, relative: str) -> Path | None:
    """``relative`` resolved within ``folder`` (symbolic links followed), or None when it
    leads out of it."""
    resolved = (folder / relative).resolve()
    return resolved if resolved.is_relative_to(folder.resolve()) else None


def _face(folder: Path, relative: str, family: str, line: int | None, path: Path,
          problems: list[Problem]) -> tuple[Path, str | None] | None:
    """The font file ``relative`` of the brand's folder and the Word slot it fills, if it is
    a font whose name table names ``family``; else a problem, and None."""
    found = _inside(folder, relative)
    if found is None:
        problems.append(Problem(path, line, f"the font `{relative}` is outside the brand's "
                                "folder", f"put the font file in {folder} (say, in "
                                "fonts/) and give its path from there"))
        return None
    if found.suffix.lower() not in FONT_SUFFIXES:
        problems.append(Problem(path, line, f"`{relative}` is no font file (a brand's fonts "
                                f"are {', '.join(FONT_SUFFIXES)} files)",
                                "give the .woff2, .ttf or .otf file of the face"))
        return None
    if not found.is_file():
        problems.append(Problem(path, line, f"no font file {found}",
                                f"add {relative} to {folder}, or correct the path"))
        return None
    try:
        names = _font_names(read_regular(found, FONT_BYTES, "give a smaller font file"))
    except BriefError as exc:
        problems.extend(Problem(path, line, p.message, p.fix) for p in exc.problems)
        return None
    if names is None:
        problems.append(Problem(path, line, f"{relative} is not a font fontTools can read "
                                "(damaged, or another kind of file with a font's name)",
                                "give the face's .woff2, .ttf or .otf file as its foundry "
                                "published it"))
        return None
    families, subfamily = names
    if family not in families:
        problems.append(Problem(path, line, f"{relative} is a face of "
                                f"{' / '.join(f'`{n}`' for n in sorted(families)) or 'no family'}"
                                f", not of `{family}` (its name table)",
                                "write the family name the file has, or give a file of "
                                f"`{family}`"))
        return None
    word_names = families[family]
    slot = _WORD_SLOTS.get(subfamily.casefold()) if 1 in word_names else None
    return found, slot


class _FontNames(Struct, frozen=True):
    """What the disk cache keeps of a font: its families with their name IDs, its subfamily."""

    families: dict[str, list[int]]
    subfamily: str


_NAMES_FORMAT = "names-v1"
"""The disk cache's file names start with this: a change to what is read from a font (or
how) must change it, so that no answer of the old reader is taken for the new one's."""


def _font_names(data: bytes) -> tuple[dict[str, frozenset[int]], str] | None:
    """The family names of a font (name IDs 1 and 16, each with the IDs that give it) and
    its subfamily (ID 2); None when the bytes are no font.

    Kept by the hash of the bytes, for the process (a warm preview reads each brand's fonts
    once) and on disk (``build/.cache/fonts/names-v1-*.json``): reading a WOFF2 file's
    names means importing fontTools and decompressing the whole face, about 0.1 s a brief
    of a brand with four faces, for a few words that never change."""
    digest = hashlib.sha256(data).hexdigest()[:24]
    if digest not in _NAMES:  # by the hash: a preview kept alive holds no font's bytes
        _NAMES[digest] = _names_of(digest, data)
    return _NAMES[digest]


_NAMES: dict[str, tuple[dict[str, frozenset[int]], str] | None] = {}
"""The names of every font this process has read, by the hash of its bytes."""


def _names_of(digest: str, data: bytes) -> tuple[dict[str, frozenset[int]], str] | None:
    cached = cache_dir() / f"{_NAMES_FORMAT}-{digest}.json"
    try:
        known = msgspec.json.decode(cached.read_bytes(), type=_FontNames)
        return ({name: frozenset(ids) for name, ids in known.families.items()},
                known.subfamily)
    except (OSError, msgspec.DecodeError):
        pass
    names = _read_font_names(data)
    if names is not None:
        families, subfamily = names
        with contextlib.suppress(OSError):  # a read-only or full cache only loses the cache
            atomic_write_bytes(cached, msgspec.json.encode(_FontNames(
                {name: sorted(ids) for name, ids in families.items()}, subfamily)))
    return names


def _read_font_names(data: bytes) -> tuple[dict[str, frozenset[int]], str] | None:
    # a design boundary: only a brand's font not seen before needs fontTools
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(BytesIO(data), lazy=True)
        table = font["name"]
        families: dict[str, set[int]] = {}
        for record in table.names:
            if record.nameID in (1, 16):
                families.setdefault(record.toUnicode().strip(), set()).add(record.nameID)
        return ({name: frozenset(ids) for name, ids in families.items()},
                (table.getDebugName(2) or "").strip())
    except Exception:  # fontTools raises errors of many kinds on bytes that are no font
        return None


TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath", "tref", "altGlyph", "flowRoot",
                           "flowPara", "flowSpan"})
"""SVG elements that set text in a font (``flow*``: Inkscape's flowed text)."""


def _lettering(svg: bytes, path: Path) -> list[Problem]:
    """A problem for each piece of text of the logo ``svg`` that sets it in a font.

    Text in a logo would be set in whatever font each renderer finds for it on the machine
    (WeasyPrint, a browser, Word and LibreOffice each their own), against the rule that
    no font comes from the system, and unlike the lettering the designer drew; the brand's
    own font would still not be that lettering. The logo's text is shipped as outlines, as
    brand guidelines ship logos."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    found = []
    for element in etree.fromstring(svg, parser).iter(tag=etree.Element):
        name = etree.QName(element).localname
        if name in TEXT_ELEMENTS and not any(etree.QName(up).localname in TEXT_ELEMENTS
                                             for up in element.iterancestors()):
            words = " ".join("".join(element.itertext()).split())
            found.append(Problem(
                path, element.sourceline,
                f"the logo sets text ({f'{words!r} ' if words else ''}in a <{name}>) in a "
                "font: each edition would take it from the system, and no font comes from "
                "the system", "convert the logo's text to outlines (Inkscape: Path > Object "
                "to Path; Illustrator: Type > Create Outlines) and save the SVG again"))
    return found


LOGO_ASPECT = 20.0
"""The widest (or tallest) a logo may be, as the ratio of its long side to its short one.
Every edition sets the logo at a fixed height beside the wordmark (0.3 in in the Word
file): at 20:1 it is 6 in wide, the width of a page's text; a wider one would overrun the
page and its height would be too thin to read, and its PNG for the Word file (as wide as
the logo at 600 pixels an inch) would take unbounded time and memory to make."""

_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
          "in": 96.0, "em": 16.0, "ex": 8.0, "%": 1.0}
"""SVG's length units in user units (CSS pixels), as renderers take them (an em as the
default 16 px font size): enough to compare a logo's width with its height."""

_DEFAULT_SIZE = 100.0
"""The side a renderer (typst's resvg) gives a logo that has neither a size nor a viewBox."""


def _length(value: str) -> tuple[float, str] | None:
    """An SVG length attribute (``40``, ``2.5cm``, ``100%``) as its number and unit; None
    when it is not one."""
    value = value.strip()
    unit = next((u for u in _UNITS if u and value.endswith(u)), "")
    try:
        number = float(value[:len(value) - len(unit)])
    except ValueError:
        return None
    return (number, unit) if math.isfinite(number) else None


def _logo_size(svg: bytes, path: Path) -> list[Problem]:
    """A problem when the logo ``svg`` has no positive size, or one too wide or too tall
    (:data:`LOGO_ASPECT`), at its ``<svg>``'s line: typst refuses a logo of no size (the
    Word edition stopped with a traceback), and rasterises a very wide one for minutes."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(svg, parser)
    fix = ('give the <svg> a positive size, e.g. viewBox="0 0 120 40", or width="120" '
           'height="40"')
    box: tuple[float, float] | None = None
    if root.get("viewBox") is not None:
        numbers = root.get("viewBox", "").replace(",", " ").split()
        try:
            parts = [float(n) for n in numbers]
        except ValueError:
            parts = []
        if len(parts) != 4 or not all(math.isfinite(n) for n in parts) or \
                parts[2] <= 0 or parts[3] <= 0:
            return [Problem(path, root.sourceline, f"the logo's viewBox "
                            f"{root.get('viewBox')!r} is not four numbers with a positive "
                            "width and height", fix)]
        box = (parts[2], parts[3])
    sides = []
    for index, name in enumerate(("width", "height")):
        given = root.get(name)
        length = _length(given) if given is not None else (100.0, "%")
        if length is None or length[0] <= 0:
            return [Problem(path, root.sourceline, f"the logo's {name} {given!r} is not a "
                            "positive length", fix)]
        number, unit = length
        whole = box[index] if box is not None else _DEFAULT_SIZE
        sides.append(whole * number / 100 if unit == "%" else number * _UNITS[unit])
    if box is None and (root.get("width") is None or root.get("height") is None):
        return [Problem(path, root.sourceline, "the logo has no size (neither a viewBox nor "
                        "a width and a height): each edition would give it its own", fix)]
    width, height = sides
    ratio = max(width / height, height / width)
    if ratio > LOGO_ASPECT:
        shape = "wide" if width > height else "tall"
        return [Problem(path, root.sourceline, f"the logo is {ratio:.0f} times as {shape} as "
                        f"it is {'high' if shape == 'wide' else 'wide'} ({width:g} by "
                        f"{height:g}): more than {LOGO_ASPECT:g}:1, which the editions cannot "
                        "set beside the wordmark", "crop the logo to its mark (its viewBox, "
                        "or its width and height), or give the brand a more compact version "
                        "of it")]
    return []


def _inline(svg: bytes) -> str:
    """A cleaned SVG document as an element to write inside HTML (no XML declaration)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.tostring(etree.fromstring(svg, parser), encoding="unicode")
