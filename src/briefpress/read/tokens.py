"""Turn the project's design tokens (styles/tokens.yaml) into validated Tokens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from briefpress.errors import BriefError, Problem
from briefpress.model.schema import CMYK_FIX, HEX_COLOR_PATTERN, Tokens
from briefpress.read.yamlfile import (
    GENERIC_FIX,
    about_a_value_of,
    key_line,
    parse_yaml,
    validate,
)
from briefpress.support.files import cache_while_unchanged
from briefpress.support.paths import FONTS, STYLES

TOKENS = STYLES / "tokens.yaml"
"""The house design: colours (screen and press), fonts, type scale, page."""


@cache_while_unchanged(lambda: [TOKENS])
def house_tokens() -> Tokens:
    """The design tokens, as written in styles/tokens.yaml (a brand validates its colours
    against their names; render/design.py turns them into CSS and Word values), validated
    as the other YAML files are: a token misspelt, missing or of the wrong kind is an error
    on its line, raised before any edition is made from them."""
    path = TOKENS
    data, node = parse_yaml(path.read_text(encoding="utf-8"), path)
    try:
        tokens, unknown = validate(Tokens, data, node, path)
    except BriefError as exc:
        # the colours' own mistakes (missing, unreadable) are said with the schema's, not a
        # round later: those of the colours that are well formed
        problems = [_with_fix(problem) for problem in exc.problems]
        given = data.get("colors") if isinstance(data, dict) else None
        if isinstance(given, dict):
            well_formed = {name: value for name, value in given.items()
                           if isinstance(value, str) and re.fullmatch(HEX_COLOR_PATTERN, value)}
            press = data.get("colors_cmyk")
            problems += _colour_problems(well_formed, set(map(str, given)),
                                         set(map(str, press)) if isinstance(press, dict)
                                         else None, node, path)
        raise BriefError(sorted(problems, key=lambda p: p.line or 0)) from None
    # every key is one an edition reads: an unknown one is a misspelt token, not a new one
    problems = list(unknown)
    # a bundled face travels with its licence (the web page's fonts/ folder ships both)
    problems += [Problem(path, key_line(node, ("fonts", role)),
                         f"the `{role}` fonts are bundled without their licence",
                         f"add `licence:` under `fonts.{role}`: the licence's file in "
                         "styles/fonts/")
                 for role in ("serif", "sans")
                 if getattr(tokens.fonts, role).faces and not getattr(tokens.fonts, role).licence]
    problems += _missing_files(tokens, node, path)
    problems += _colour_problems(dict(tokens.colors), set(tokens.colors),
                                 set(tokens.colors_cmyk), node, path)
    if problems:
        raise BriefError(sorted(problems, key=lambda p: p.line or 0))
    return tokens


EDITION_COLOURS = ("navy", "navy-deep", "accent", "tint", "ink", "muted", "rule", "paper",
                   "link")
"""The colours the editions read by name (their stylesheets' ``var(--color-…)``, the Word
styles, the web page's icon): each must be in the tokens (a test holds the stylesheets and
templates to this list). Others may be added; a brand sets only names the house has."""


def _colour_problems(colors: dict[str, str], named: set[str], press: set[str] | None,
                     node: Any, path: Path) -> list[Problem]:
    """An error for each colour of :data:`EDITION_COLOURS` not ``named`` in the tokens'
    ``colors:``; for each colour of one of ``colors:`` and ``colors_cmyk:`` (``press``, the
    names it gives; None when it is no mapping, the schema's error) without the other (a
    required colour missing from both said once); and for each text colour
    (``read/colours.TEXT_COLOURS``) of ``colors`` under WCAG AA's contrast on the paper or
    the tint: the house style promises pages that read, and its web page passes WCAG 2.1 AA
    (a brand's colours are warned of instead, read/brand.py)."""
    # read/colours.py reads these tokens for every edition, so it imports this module
    from briefpress.read.colours import TEXT_GROUNDS, unreadable_message, unreadable_text

    problems = [Problem(path, key_line(node, ("colors",)), f"colour `{name}` is missing",
                        f'add `{name}: "#rrggbb"` under `colors:` (and its CMYK under '
                        "`colors_cmyk:`)")
                for name in EDITION_COLOURS if name not in named]
    if press is not None:
        problems += [Problem(path, key_line(node, ("colors", name)),
                             f"colour `{name}` has no CMYK value for the print edition",
                             f"add `{name}: [C, M, Y, K]` under `colors_cmyk:`")
                     for name in sorted(named - press)]
        problems += [Problem(path, key_line(node, ("colors_cmyk", name)),
                             f"`colors_cmyk.{name}` is no colour of `colors:`",
                             f"add `{name}:` under `colors:`, or remove it here")
                     for name in sorted(press - named) if name not in EDITION_COLOURS]
    if all(ground in colors for ground in TEXT_GROUNDS):
        problems += [Problem(path, key_line(node, ("colors", name)),
                             unreadable_message(name, ratio, colors),
                             f"choose a `{name}` further from the paper and the tint, or "
                             "a paper and a tint further from it")
                     for name, ratio in unreadable_text(colors)]
    return problems


def _missing_files(tokens: Tokens, node: Any, path: Path) -> list[Problem]:
    """A located error for each font file or licence the tokens name that styles/fonts/
    lacks: found here, before any edition is written, not as a missing file in a render."""
    problems = []
    for role in ("serif", "sans"):
        font = getattr(tokens.fonts, role)
        if font.licence and not (FONTS / font.licence).is_file():
            problems.append(Problem(
                path, key_line(node, ("fonts", role, "licence")),
                f"the licence `{font.licence}` is not in styles/fonts/",
                "put the file there, or name the one that is"))
        for index, face in enumerate(font.faces):
            absent = [name for subset in tokens.font_subsets
                      if not (FONTS / (name := face.file_name(subset))).is_file()]
            if absent:
                problems.append(Problem(
                    path, key_line(node, ("fonts", role, "faces", index, "stem")),
                    f"no font file {', '.join(f'`{name}`' for name in absent)} in "
                    "styles/fonts/", "correct the `stem:` (its `{subset}` becomes each of "
                    f"{', '.join(tokens.font_subsets)}), or add the files"))
    return problems


_LENGTH = re.compile(r"\s*([\d.]+)\s*(pt|em|in|mm|cm)?\s*")
_POINTS = {"pt": 1.0, None: 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}


def points(value: str | float, em: float | None = None) -> float:
    """A length of the tokens (``12pt``, ``1in``, ``20mm``, a bare number of points; ``0.6em``
    given the size of an ``em``) in points."""
    if isinstance(value, int | float):
        return float(value)
    found = _LENGTH.fullmatch(value)
    if found is None or (found.group(2) == "em" and em is None):
        raise ValueError(f"not a length of the design tokens: {value!r}")
    number, unit = found.groups()
    return float(number) * (em if unit == "em" else _POINTS[unit])  # type: ignore[operator]


def _with_fix(problem: Problem) -> Problem:
    """A token of the wrong kind, with a fix for the tokens file: the validator's generic
    one points at a brief's schema."""
    cmyk = about_a_value_of(problem, "colors_cmyk")
    if problem.fix != GENERIC_FIX and not cmyk and not problem.message.startswith("type."):
        return problem  # a precise fix already (a CMYK value's and a size's are the tokens')
    quoted = re.search(r"\(got '(\d+(?:\.\d+)?)'\)", problem.message)
    if problem.message.startswith("type.") and quoted:  # a number in quotes is text to YAML
        fix = f"write the number without quotes: `{quoted.group(1)}`"
    elif problem.message.startswith("type."):
        fix = "write a number of points, with no unit, above 0 and at most 200, e.g. `10.5`"
    elif cmyk:
        fix = CMYK_FIX
    else:
        fix = "write it as the other values of its kind in styles/tokens.yaml are written"
    return Problem(problem.file, problem.line, problem.message, fix, severity=problem.severity)
