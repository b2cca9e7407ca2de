"""Turn a project's ``briefpress.yaml`` into a ProjectConfig, and apply it to a front matter."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import yaml

from briefpress.errors import BriefError, Problem
from briefpress.model.schema import Program, ProjectConfig, Series
from briefpress.read.brand import brand_folder, missing_brand
from briefpress.read.doctype import load_doctype
from briefpress.read.yamlfile import node_line, parse_yaml, validate

CONFIG_NAME = "briefpress.yaml"

Named = TypeVar("Named", Program, Series)


def config_path(brief_folder: Path) -> Path:
    """Where the configuration of the brief in ``brief_folder`` lives: ``briefpress.yaml`` in
    the project root, the folder that holds ``content/<slug>/``; the folder made absolute
    and its ``..`` taken away first, so that ``.`` or ``../<slug>`` typed in
    ``content/<slug>/`` finds the project's file, not one two folders above as typed."""
    return Path(os.path.abspath(brief_folder)).parent.parent / CONFIG_NAME


def project_config_path(content: Path) -> Path:
    """The configuration file of the project whose briefs are in ``content``."""
    return content.parent / CONFIG_NAME


def load_config(path: Path) -> ProjectConfig | None:
    """The validated configuration at ``path``, or None when there is no such file.

    Every mistake is reported at once, located in the file; unknown keys are errors
    here (there is no ``check`` of the config file to report them later), and so is a
    brand, document type or citation style it names that the project does not have: every
    command that reads the config says so at the line that names it, whether or not the
    brief at hand uses that value.
    """
    from briefpress.read.brief import read_text  # read/brief.py applies the config

    if not path.exists() and not path.is_symlink():
        return None
    text = read_text(path)
    data, node = parse_yaml(text, path)
    if data is None:  # an empty file: no defaults
        return ProjectConfig()
    config, unknown = validate(ProjectConfig, data, node, path)
    problems = unknown + _missing(config, node, path) + _duplicates(config, node, path)
    if problems:
        raise BriefError(sorted(problems, key=lambda p: p.line or 0))
    return config


def _missing(config: ProjectConfig, node: yaml.Node | None, path: Path) -> list[Problem]:
    """The config's names of what the project does not have, each at its line."""
    from briefpress.read.citations import project_style  # it reads the config's style

    problems: list[Problem] = []
    brands = [(config.brand, ("brand",))] + [
        (program.brand, ("programs", index, "brand"))
        for index, program in enumerate(config.programs)]
    for name, loc in brands:
        if name is not None:
            missing = missing_brand(path.parent, name, path, node_line(node, loc))
            problems += [missing] if missing is not None else []
    if config.type is not None:
        try:
            load_doctype(config.type)
        except BriefError as exc:
            line = node_line(node, ("type",))
            problems += [Problem(path, line, p.message, p.fix) for p in exc.problems]
    if config.csl is not None:
        try:
            project_style(path, config.csl, node_line(node, ("csl",)))
        except BriefError as exc:
            problems += exc.problems
    return problems


def find_named(value: Any, known: Sequence[Named]) -> Named | None:
    """The program or series of the config that ``value`` names by id, or by the name an id
    becomes (what ``briefpress new --program`` writes, and what a brief's front matter holds
    once the config is applied); None for any other value."""
    if not isinstance(value, str):
        return None
    return (next((item for item in known if item.id == value.strip()), None)
            or next((item for item in known if item.name == value.strip()), None))


def _duplicates(config: ProjectConfig, node: yaml.Node | None, path: Path) -> list[Problem]:
    """An id or a name that two programs, or two series, share: a brief naming it could
    mean either, and the catalog could not tell which page lists it."""
    problems = []
    for key, items in (("programs", config.programs), ("series", config.series)):
        for field in ("id", "name"):
            seen: set[str] = set()
            for index, item in enumerate(items):
                value = getattr(item, field)
                if value in seen:
                    problems.append(Problem(path, node_line(node, (key, index, field)),
                                            f"two of `{key}:` have the {field} {value!r}",
                                            f"give each its own {field}"))
                seen.add(value)
    return sorted(problems, key=lambda p: p.line or 0)


def named_files(path: Path) -> list[Path]:
    """The files and folders of the project that the config at ``path`` names and a read of
    it checks (its brands' folders, its citation style), relative to the project's root:
    what a copy of the project needs beside it to read as the project does. A config with a
    mistake is refused as in :func:`load_config`."""
    from briefpress.read.citations import project_style  # it reads the config's style

    config = load_config(path)
    if config is None:
        return []
    root = path.parent
    brands = [config.brand, *(program.brand for program in config.programs)]
    found = [brand_folder(root, name).relative_to(root) for name in brands if name is not None]
    if config.csl is not None:
        # the style's place in the project's styles/csl/, which may be a symbolic link to a
        # folder elsewhere (styles shared by several projects): relative to where that
        # folder resolves, then under the project's own styles/csl/, as the config names it
        folder = root / "styles" / "csl"
        style = project_style(path, config.csl, None)
        found.append(folder.relative_to(root) / style.relative_to(folder.resolve()))
    return found


def apply_config(data: Any, config: ProjectConfig | None) -> Any:
    """The front matter ``data`` with the config's defaults for every key it does not give.

    A ``program:`` that names one of the config's programs by id becomes that program's
    name, and brings that program's brand; one that gives a program's name brings its brand
    too. A ``series:`` that names one of the config's series by id becomes its name. Data
    that is not a mapping is returned as it is, for validation to report.
    """
    if config is None or not isinstance(data, dict):
        return data
    merged = dict(data)
    for key in ("publisher", "type", "lang"):
        value = getattr(config, key)
        if key not in merged and value is not None:
            merged[key] = msgspec.to_builtins(value)
    named = find_named(merged.get("program"), config.programs)
    if named is not None:
        merged["program"] = named.name
    series = find_named(merged.get("series"), config.series)
    if series is not None:
        merged["series"] = series.name
    # the brief's own brand, else its program's, else the project's
    brand = named.brand if named is not None and named.brand else config.brand
    if "brand" not in merged and brand is not None:
        merged["brand"] = brand
    return merged
