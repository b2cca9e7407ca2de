"""Turn a project's ``brands/<name>/brand.yml`` (and its logo) into a ``Brand``."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
from io import BytesIO
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Struct

from briefpress.errors import BriefError, Problem, display_path
from briefpress.model.brief import Brand, BrandFace, BrandFontFamily
from briefpress.model.schema import CMYK_FIX, BrandFile, BrandFontFile, BrandTextStyle, Text
from briefpress.read.colours import (
    ACCENT_TEXT,
    TEXT_CONTRAST,
    TEXT_GROUNDS,
    brand_colours,
    text_contrast,
    unreadable_message,
    unreadable_text,
)
from briefpress.read.tokens import house_tokens
from briefpress.read.yamlfile import (
    GENERIC_FIX,
    about_a_value_of,
    key_line,
    node_line,
    parse_yaml,
    validate,
    well_formed,
)
from briefpress.support.files import read_regular
from briefpress.support.fsutil import atomic_write_bytes
from briefpress.support.paths import cache_dir

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
    from briefpress.read.logo import read_logo  # lxml: only a brief with a brand needs it

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
        problems += [_with_fix(problem) for problem in exc.problems]
    raw = data if isinstance(data, dict) else {}
    colors = {k: v for k in ("color", "color_cmyk")
              for v in [raw.get(k)] if isinstance(v, dict)}
    tokens = house_tokens().colors
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
                close = difflib.get_close_matches(str(key), list(tokens), n=1)
                problems.append(Problem(path, key_line(node, (section, key)),
                                        f"`{section}.{key}` is no colour of the design tokens",
                                        (f"did you mean `{close[0]}`? " if close else "")
                                        + f"use one of: {', '.join(tokens)}"))
                # the schema's word on the same name (`Navy!` is no id) is said by this one,
                # with the names a brand may give
                problems = [p for p in problems
                            if not p.message.startswith(f"{section}.{key}: the key ")]
    for key in colors.get("color", {}):
        if key in tokens and key not in colors.get("color_cmyk", {}):
            problems.append(Problem(path, key_line(node, ("color", key)),
                                    f"colour `{key}` has no CMYK value for the print edition",
                                    f"add `{key}: [C, M, Y, K]` under `color_cmyk:`"))
    # the brand's own checks run on what is well formed even when the schema refused
    # something else of the file: its mistakes are said together, not a round later
    logo = None
    logo_name = well_formed(raw.get("logo"), Text)
    if logo_name is not None:
        logo_path = folder / logo_name
        line = node_line(node, ("logo",))
        if logo_path.suffix.lower() != ".svg" or logo_path.parent != folder:
            problems.append(Problem(path, line, "the logo must be an .svg file in the brand's "
                                    "folder", f"put the SVG in {display_path(folder)} and "
                                    "write its name after `logo:`"))
        elif not logo_path.is_file():
            problems.append(Problem(path, line, f"no logo file `{logo_name}` in the brand's "
                                    f"folder {display_path(folder)}",
                                    _absent_fix(folder, logo_name, (".svg",),
                                                "add the SVG there, or remove `logo:`")))
        else:
            logo, found = read_logo(logo_path)
            problems += found
    fonts = _fonts(folder, raw.get("typography"), node, path, problems)
    if problems or brand is None:
        raise BriefError(sorted(dict.fromkeys(problems), key=lambda p: (str(p.file), p.line or 0)))
    loaded = Brand(
        name=name, title=brand.meta.name, colors=tuple(sorted(brand.color.items())),
        colors_cmyk=tuple(sorted((k, (v[0], v[1], v[2], v[3]))
                                 for k, v in brand.color_cmyk.items())),
        wordmark=brand.meta.wordmark, logo_svg=logo,
        logo_file=folder / logo_name if logo is not None and logo_name else None,
        folder=folder, fonts=fonts)
    return msgspec.structs.replace(
        loaded, warnings=_contrast(loaded, node, path) + _unreadable(loaded, node, path))


def _with_fix(problem: Problem) -> Problem:
    """A value of the wrong kind in a brand file, with a fix in a brand's words: the
    validator's generic one names every file's documentation."""
    key = problem.message.split(":", 1)[0]
    if about_a_value_of(problem, "color_cmyk"):
        fix = CMYK_FIX  # "exactly 4 entries" says nothing of what the four are
    elif key.startswith("typography.fonts[") and key.endswith(".weight"):
        fix = "write a weight from 100 to 900, e.g. `400` (regular) or `700` (bold)"
    elif key in ("typography.base", "typography.headings") and problem.fix == GENERIC_FIX:
        fix = (f"write the name of a family of `typography.fonts`: `{key[11:]}: Fira Sans`, "
               f"or `{key[11:]}: {{family: Fira Sans}}`")
    elif problem.fix == GENERIC_FIX:
        fix = 'write it as docs/project.md ("Brands") describes the key'
    else:
        return problem
    return Problem(problem.file, problem.line, problem.message, fix, severity=problem.severity)


def _contrast(brand: Brand, node: object, path: Path) -> tuple[Problem, ...]:
    """A warning when the brand makes the accent too light for text on the page (with its
    own accent, or its own paper, tint or ink): the editions then set the accent's text
    (labels, markers, footnote calls) in a darker mixture of it with the ink
    (``read/colours.py``, ``accent-text``), which the warning names, and say so too when
    even that, the ink at worst, does not read on the page."""
    colors, _ = brand_colours(brand)
    ratio = text_contrast(colors["accent"], colors)
    given = dict(brand.colors)
    if ratio >= TEXT_CONTRAST:
        return ()
    # at the colour of the brand's that makes the accent fail: its own, else the page's
    at = next((k for k in ("accent", *TEXT_GROUNDS, "ink") if k in given), None)
    darker = colors[ACCENT_TEXT]
    darker_ratio = text_contrast(darker, colors)
    failing = (f"the accent {colors['accent']} has a contrast of {ratio:.2f}:1 with the "
               f"page ({' and '.join(TEXT_GROUNDS)}), under the "
               f"{TEXT_CONTRAST}:1 text needs (WCAG AA)")
    if darker_ratio >= TEXT_CONTRAST:
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


def _unreadable(brand: Brand, node: object, path: Path) -> tuple[Problem, ...]:
    """A warning for each colour text is set in as it is (``read/colours.TEXT_COLOURS``:
    the ink, the muted grey, links, headings) that the brand makes too light for its page,
    at the line of the brand's colour that does it (the text colour's own, else the page's)."""
    colors, _ = brand_colours(brand)
    given = dict(brand.colors)
    found = []
    for name, ratio in unreadable_text(colors):
        at = next((k for k in (name, *TEXT_GROUNDS) if k in given), None)
        found.append(Problem(path, key_line(node, ("color", at)) if at else None,
                             unreadable_message(name, ratio, colors),
                             f"choose a `{name}:` further from the brand's paper and tint, "
                             "or a paper and a tint further from it", severity="warning"))
    return tuple(found)


def _fonts(folder: Path, typography: Any, node: object, path: Path,
           problems: list[Problem]) -> tuple[BrandFontFamily, ...]:
    """The font families ``typography`` (the file's ``typography:``, as written) sets the
    base text and the headings in, each face a font file of the brand's folder whose name
    table has the family's name; every mistake goes to ``problems``.

    Each part is checked that is well formed, whatever the schema refused beside it (a
    face's `weight: bold` does not hide a misspelt file name of another): validation's
    errors say the rest."""
    if not isinstance(typography, dict):
        return ()
    declared = typography.get("fonts", [])
    # whether every family's name is known: only then is a name of none of them a mistake
    complete = isinstance(declared, list)
    families: dict[str, tuple[tuple[BrandFace, ...], Path | None]] = {}
    for index, font in enumerate(declared if isinstance(declared, list) else []):
        at = ("typography", "fonts", index)
        given = font if isinstance(font, dict) else {}
        family = well_formed(given.get("family"), Text)
        complete = complete and family is not None
        faces = []
        files = given.get("files")
        for number, file in enumerate(files if isinstance(files, list) else []):
            relative = well_formed(file.get("path") if isinstance(file, dict) else None, Text)
            if relative is None:
                continue
            line = node_line(node, (*at, "files", number, "path"))
            face = _face(folder, relative, family, line, path, problems)
            typed = well_formed(file, BrandFontFile)
            if face is not None and typed is not None:
                faces.append(BrandFace(face[0], typed.weight, typed.style, face[1]))
        licence = None
        named = well_formed(given.get("license"), Text)
        if named is not None:
            licence = _inside(folder, named)
            line = node_line(node, (*at, "license"))
            if licence is None:
                problems.append(Problem(path, line, f"the licence `{named}` is outside "
                                        "the brand's folder",
                                        f"put it in {display_path(folder)} and give its path "
                                        "from there"))
            elif not licence.is_file():
                problems.append(Problem(path, line, f"no licence file `{named}` in the "
                                        f"brand's folder {display_path(folder)}",
                                        _absent_fix(folder, named, None, "add the licence's file "
                                                    "there, or remove `license:`")))
                licence = None
        if family is not None:
            families[family] = (tuple(faces), licence)
    chosen = []
    for kind, role in ROLES.items():
        style = well_formed(typography.get(kind), Text | BrandTextStyle)
        if style is None:
            continue
        family = style if isinstance(style, str) else style.family
        if family not in families:
            if not complete:
                continue  # it may name the family written wrong: that error is said
            listed = ", ".join(f"`{f}`" for f in families)
            close = difflib.get_close_matches(family, list(families), n=1)
            problems.append(Problem(
                path, node_line(node, ("typography", kind)),
                f"`typography.{kind}` names `{family}`, which is no family of "
                "`typography.fonts` (fonts come only from files in the brand's folder, never "
                "from the system or the network)",
                f"did you mean `{close[0]}`?" if close else
                f"name one of {listed}" if listed else
                f"add `fonts: [{{family: {family}, files: [{{path: fonts/FILE.woff2}}]}}]` "
                "under `typography:`"))
            continue
        faces, licence = families[family]
        if faces:
            chosen.append(BrandFontFamily(role, family, faces, licence))
    return tuple(chosen)


def _absent_fix(folder: Path, relative: str, suffixes: tuple[str, ...] | None,
                otherwise: str) -> str:
    """The fix for a file ``relative`` the brand's folder lacks: the file of a name close
    to it there (of one of ``suffixes``, if given), which a misspelling most likely meant;
    else ``otherwise``."""
    # a brand's folder holds a few files: its logo, fonts and their licences
    present = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                     if p.is_file() and (suffixes is None or p.suffix.lower() in suffixes))
    close = difflib.get_close_matches(relative, present, n=1)
    if close:
        return f"did you mean `{close[0]}`? Else add the file there"
    return otherwise


def _inside(folder: Path, relative: str) -> Path | None:
    """``relative`` resolved within ``folder`` (symbolic links followed), or None when it
    leads out of it (or holds a NUL, which no path of a file may)."""
    if "\0" in relative:
        return None
    resolved = (folder / relative).resolve()
    return resolved if resolved.is_relative_to(folder.resolve()) else None


def _face(folder: Path, relative: str, family: str | None, line: int | None, path: Path,
          problems: list[Problem]) -> tuple[Path, str | None] | None:
    """The font file ``relative`` of the brand's folder and the Word slot it fills, if it is
    a font whose name table names ``family`` (any font, when the family's name is not well
    formed: that is an error of its own); else a problem, and None."""
    found = _inside(folder, relative)
    if found is None:
        problems.append(Problem(path, line, f"the font `{relative}` is outside the brand's "
                                "folder", f"put the font file in {display_path(folder)} "
                                "(say, in fonts/) and give its path from there"))
        return None
    if found.suffix.lower() not in FONT_SUFFIXES:
        problems.append(Problem(path, line, f"`{relative}` is no font file (a brand's fonts "
                                f"are {', '.join(FONT_SUFFIXES)} files)",
                                "give the .woff2, .ttf or .otf file of the face"))
        return None
    if not found.is_file():
        problems.append(Problem(path, line, f"no font file `{relative}` in the brand's folder "
                                f"{display_path(folder)}",
                                _absent_fix(folder, relative, FONT_SUFFIXES,
                                            "add the font file there, or correct the path")))
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
    if family is None:
        return found, None
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
