"""Turn a slug into a new brief folder that passes ``briefpress check``.

The project's ``briefpress.yaml`` fills in what it says (publisher, program, series).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from briefpress.errors import BriefError, Problem, display_path
from briefpress.model.ids import words_of
from briefpress.model.schema import Program, ProjectConfig, Series
from briefpress.read.brief import read_text, split_front_matter
from briefpress.read.config import find_named, load_config, project_config_path
from briefpress.read.doctype import known_doctypes, load_doctype
from briefpress.read.yamlfile import key_line, parse_yaml
from briefpress.support.files import cache_while_unchanged
from briefpress.support.fsutil import atomic_write_text
from briefpress.support.paths import TEMPLATES, content_dir

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

def new_brief(slug: str, title: str | None = None, root: Path | None = None,
              doctype: str | None = None, program: str | None = None,
              series: str | None = None) -> Path:
    """Create ``content/<slug>/`` from templates/new/: a brief.md with the sections of its
    document type and, if the type has recommendations, a recommendations.yaml.

    The type, language, program and publisher come from the arguments, else from the
    project's ``briefpress.yaml``; a brief whose publisher the config gives has none of its own.
    A series is written only when ``series`` names one (a brief need not be in any). Its
    ``date:`` is today's.
    """
    if not _SLUG.fullmatch(slug):
        raise BriefError(Problem(slug, None, f"{slug!r} is not a valid slug",
                                 slug_fix(slug)))
    content = root or content_dir()
    folder = content / slug
    if folder.exists():
        raise BriefError(Problem(folder, None, "a brief with that slug exists already",
                                 "choose another slug"))
    # the one read of the clock: a scaffold is written once, and a brief with no date would
    # have its print edition dated 1980 (check warns); the build itself never reads it
    texts = new_files(slug, title, content, doctype, program, series,
                      date=datetime.date.today())
    for name, text in texts.items():
        atomic_write_text(folder / name, text)
    return folder


def slug_fix(text: str) -> str:
    """The fix for ``text`` given as a slug that is none: the slug its words make (``Arctic
    Ports`` gives ``arctic-ports``), else an example."""
    suggested = "-".join(words_of(text))
    example = suggested if _SLUG.fullmatch(suggested) else "arctic-security"
    return f"use lowercase letters, digits and hyphens, e.g. {example}"


def new_files(slug: str, title: str | None = None, content: Path | None = None,
              doctype: str | None = None, program: str | None = None,
              series: str | None = None, date: datetime.date | None = None
              ) -> dict[str, str]:
    """The files of a new brief, by name, from templates/new/ and the project's config (what
    :func:`new_brief` writes; a foreign Word file's import starts from the same defaults),
    dated ``date`` (None: no ``date:``)."""
    content = content or content_dir()
    config_file = project_config_path(content)
    config = load_config(config_file)
    if doctype is not None and doctype not in known_doctypes():
        # a mistake of the command line, located there (not at the rules' file it names)
        shown = doctype if len(doctype) <= 60 else f"{doctype[:57]}..."
        raise BriefError(Problem(f"--type {shown}", None, f"unknown document type {shown!r}",
                                 f"use one of: {', '.join(known_doctypes())} (`briefpress "
                                 "doctypes` describes them)"))
    program_name = None  # the template writes its placeholder
    if program is not None:
        program_name = _named("program", program, config.programs if config else [],
                              config_file, config is not None).name
    elif config and config.programs:
        program_name = config.programs[0].name
    series_id = None  # by its id: renamed in the config, the brief follows
    if series is not None:
        series_id = _named("series", series, config.series if config else [], config_file,
                           config is not None).id
    return _render(slug, title, config, doctype, program_name, series_id, placeholder=str,
                   date=date)


def _named(kind: str, ident: str, known: Sequence[Program | Series], config_file: Path,
           has_config: bool) -> Program | Series:
    """The program or series of the config whose id is ``ident`` (given on the command
    line as ``--program`` or ``--series``, where a mistake is located)."""
    found = find_named(ident, known)
    if found is not None:
        return found
    shown = ident if len(ident) <= 60 else f"{ident[:57]}..."
    key = "programs" if kind == "program" else "series"
    listed = ", ".join(item.id for item in known)
    where = _listed_at(config_file, key) if has_config else config_file.name
    raise BriefError(Problem(
        f"--{kind} {shown}", None, f"no {kind} {shown!r} in the project",
        f"use one of: {listed} (the `{key}:` of {where})" if listed else
        f"list it under `{key}:` in {where}" if has_config else
        # the two lines to write, not a pointer to documentation the user may not have
        f"create {config_file.name} beside content/ with the two lines `{key}:` and "
        f"`  - {{id: {shown}, name: Its Full Name}}` (the name is what the briefs show)"))


def _listed_at(config_file: Path, key: str) -> str:
    """Where the project's config lists its programs or series (``key``):
    ``briefpress.yaml:LINE``, or the file's name alone when it has no such key."""
    data, root = parse_yaml(read_text(config_file), config_file)
    shown = display_path(config_file)
    if not isinstance(data, dict) or key not in data:
        return shown
    return f"{shown}:{key_line(root, (key,))}"


@cache_while_unchanged(lambda: sorted((TEMPLATES / "new").glob("*.j2"))
                       + sorted((TEMPLATES / "doctypes").glob("*.yaml")))
def placeholders() -> tuple[str, ...]:
    """Every text the scaffold writes for the writer to replace (what templates/new/ marks
    ``{% filter placeholder %}``), for every document type: what ``check`` looks for, read
    from the templates themselves."""
    found: dict[str, None] = {}

    def record(text: str) -> str:
        found[text] = None
        return text

    for name in known_doctypes():
        _render("placeholder", None, None, name, None, None, placeholder=record)
    return tuple(found)


Field = tuple[str, ...]
"""Where a placeholder is written: the file's name, then the keys down to the value
(``"*"`` for every item of a list), e.g. ``("brief.md", "authors", "*", "bio")``; the body's
paragraphs are ``("brief.md", "body")``."""


@cache_while_unchanged(lambda: sorted((TEMPLATES / "new").glob("*.j2"))
                       + sorted((TEMPLATES / "doctypes").glob("*.yaml")))
def placeholder_fields() -> dict[Field, tuple[str, ...]]:
    """Each field the scaffold writes placeholders in, with those placeholders (of
    :func:`placeholders`), for every document type: read from the files it writes, the YAML
    parsed, so that ``check`` compares a brief's value of the same field."""
    texts = placeholders()
    fields: dict[Field, dict[str, None]] = {}

    def record(field: Field, value: str) -> None:
        for text in texts:
            if text in value:
                fields.setdefault(field, {})[text] = None

    for name in known_doctypes():
        files = _render("placeholder", None, None, name, None, None, placeholder=str)
        front, body, _ = split_front_matter(files["brief.md"], Path("brief.md"))
        for field, value in _strings(yaml.safe_load(front), ("brief.md",)):
            record(field, value)
        record(("brief.md", "body"), body)
        if "recommendations.yaml" in files:
            data = yaml.safe_load(files["recommendations.yaml"])
            for field, value in _strings(data, ("recommendations.yaml",)):
                record(field, value)
    return {field: tuple(found) for field, found in fields.items()}


def _strings(data: object, field: Field) -> list[tuple[Field, str]]:
    """Every text in parsed YAML, with the field it is the value of."""
    if isinstance(data, str):
        return [(field, data)]
    if isinstance(data, dict):
        return [found for key, value in data.items()
                for found in _strings(value, (*field, str(key)))]
    if isinstance(data, list):
        return [found for item in data for found in _strings(item, (*field, "*"))]
    return []


def _render(slug: str, title: str | None, config: ProjectConfig | None, doctype: str | None,
            program: str | None, series: str | None, placeholder: Callable[[str], str],
            date: datetime.date | None = None) -> dict[str, str]:
    """The templates of templates/new/ rendered, each text to replace passed through
    ``placeholder`` (the templates' ``{% filter placeholder %}``)."""
    rules = load_doctype(doctype or (config.type if config else None) or "policy-brief")
    # Markdown heading ids are written `{#id}`, which is Jinja's comment syntax by default.
    env = Environment(loader=FileSystemLoader(TEMPLATES / "new"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False,
                      comment_start_string="{##", comment_end_string="##}")
    env.filters["placeholder"] = placeholder
    values = {
        "slug": slug, "title": title or slug.replace("-", " ").capitalize(),
        "type": rules.name, "lang": (config.lang if config else None) or "en-US",
        "program": program, "series": series, "date": date.isoformat() if date else None,
        "publisher": None if config and config.publisher else True,
        "sections": [{"id": r.id, "title": r.title, "body": r.body, "optional": r.optional}
                     for r in rules.sections if not r.from_],
        "recommendations": any(r.from_ == "recommendations" for r in rules.sections),
        "config": msgspec.to_builtins(config) if config else {},
    }
    names = ["brief.md"] + (["recommendations.yaml"] if values["recommendations"] else [])
    return {name: env.get_template(f"{name}.j2").render(values) for name in names}
