"""A brief's ``bibliography:`` and ``csl:`` (files in its folder) into its Citations.

The files are read here, through the same gate as every source file; pandoc, which runs
sandboxed, is then given their paths on its command line (``--bibliography``, ``--csl``),
the files its sandbox lets it read. A BibTeX file is turned into CSL JSON by pandoc from
standard input, so the keys it holds are known to ``check`` before any edition is made.

Citations and cross-references share pandoc's syntax (``[@key]`` and ``@fig-x`` are both a
``Cite``): cross-references own the ids that start with ``fig-``, ``tbl-`` or ``sec-``
(:data:`XREF_PREFIXES`); every other id is a citation and belongs here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec
import yaml

from briefpress import pandoc
from briefpress.errors import BriefError, Problem
from briefpress.model import blocks
from briefpress.model.brief import Citations
from briefpress.model.schema import WEB_URL_PATTERN
from briefpress.support import limits
from briefpress.support.files import read_regular
from briefpress.support.paths import STYLES

XREF_PREFIXES = ("fig-", "tbl-", "sec-")
"""Cite ids that are cross-references, not citations (see the module's docstring)."""

DEFAULT_CSL = STYLES / "csl" / "chicago-notes-bibliography.csl"
"""The bundled style: the Chicago Manual of Style's notes and bibliography."""

_WEB_URL = re.compile(WEB_URL_PATTERN)

_FORMATS = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csljson", ".yaml": "yaml",
            ".yml": "yaml"}


def is_citation(cite_id: str) -> bool:
    """A Cite's id names a work (not a figure, table or section: those are cross-references)."""
    return not cite_id.startswith(XREF_PREFIXES)


def cited_ids(value: Any) -> list[str]:
    """The ids of every citation (not cross-reference) in ``value``, in reading order."""
    return [c.citation_id for node in blocks.walk(value) if isinstance(node, blocks.Cite)
            for c in node.citations if is_citation(c.citation_id)]


def load_citations(folder: Path, bibliography: str | None, csl: str | None, md_path: Path,
                   line: int | None = None, project_csl: str | None = None,
                   config: Path | None = None) -> Citations | None:
    """The Citations of the brief in ``folder`` (None without a ``bibliography:``); the
    style is the brief's ``csl:``, else the project's (``project_csl``, a file of the
    ``styles/csl/`` folder beside the project's ``config``), else the bundled one."""
    if bibliography is None:
        if csl is not None:
            raise BriefError(Problem(md_path, line, "`csl:` is set but there is no "
                                     "`bibliography:`", "add `bibliography: references.bib` "
                                     "or remove `csl:`"))
        return None
    bib = _inside(folder, bibliography, "bibliography", md_path, line)
    kind = _FORMATS.get(bib.suffix.lower())
    if kind is None:
        raise BriefError(Problem(md_path, line, f"bibliography {bibliography!r} is not a "
                                 "BibTeX, CSL JSON or CSL YAML file",
                                 "name a .bib, .json or .yaml file"))
    data = read_regular(bib, limits.SOURCE_BYTES.value(), of="bibliography")
    keys = _keys(data, kind, bib)
    if csl is not None:
        style = _inside(folder, csl, "csl", md_path, line)
    elif project_csl is not None and config is not None:
        style = project_style(config, project_csl, None)
    else:
        style = DEFAULT_CSL
    if style.suffix.lower() != ".csl":
        raise BriefError(Problem(md_path, line, f"csl {csl!r} is not a .csl style file",
                                 "name a .csl file in the brief's folder, or remove `csl:` "
                                 "for the bundled Chicago style"))
    read_regular(style, limits.SOURCE_BYTES.value(), of="citation style")  # there, regular
    return Citations(bibliography=bib, csl=style, keys=keys)


def project_style(config: Path, csl: str, line: int | None) -> Path:
    """The project's style ``csl`` (the ``csl:`` at ``line`` of ``config``, the project's
    briefpress.yaml) as a .csl file of its ``styles/csl/`` folder; anything else is refused."""
    # only the project's styles/csl/ folder, which the editions' cache keys hash
    folder = config.parent / "styles" / "csl"
    path = (config.parent / csl).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise BriefError(Problem(config, line, f"`csl: {csl}` is no file in the project's "
                                 "styles/csl/ folder", "put the style there and name it "
                                 f"`csl: styles/csl/{Path(csl).name}`"))
    if path.suffix.lower() != ".csl":
        raise BriefError(Problem(config, line, f"csl {csl!r} is not a .csl style file",
                                 "name a .csl file of styles/csl/, or remove `csl:` for the "
                                 "bundled Chicago style"))
    return path


def _inside(folder: Path, name: str, key: str, md_path: Path, line: int | None) -> Path:
    """``name`` as a file of the brief's folder; outside it, it is refused."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise BriefError(Problem(md_path, line, f"`{key}: {name}` is no file in the brief's "
                                 "folder", f"put the file beside brief.md and name it "
                                 f"there, e.g. `{key}: {Path(name).name}`"))
    return path


def _keys(data: bytes, kind: str, path: Path) -> frozenset[str]:
    """The ids of the entries of a bibliography file."""
    try:
        if kind == "bibtex":
            data = pandoc.run(data.decode("utf-8"), "csljson", "bibtex",
                              source=str(path)).encode("utf-8")
        entries: Any = (msgspec.json.decode(data) if kind != "yaml"
                        else yaml.safe_load(data))
    except (msgspec.DecodeError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise BriefError(Problem(path, None, f"the bibliography cannot be read: {error}",
                                 "mend the file (a .json file is CSL JSON)")) from None
    if isinstance(entries, dict):  # CSL YAML as pandoc writes it: `references:` holds them
        entries = entries.get("references")
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "id" in e
                                                for e in entries):
        raise BriefError(Problem(path, None, "the bibliography is not a list of entries with "
                                 "an `id` each", "write CSL JSON (a list) or CSL YAML "
                                 "(`references:` with a list)"))
    for entry in entries:
        # citeproc makes the URL a live link in every edition: only a web address may be one
        url = entry.get("URL")
        if url is not None and not (isinstance(url, str) and _WEB_URL.match(url.strip())):
            raise BriefError(Problem(path, None, f"entry {entry['id']!r} has the URL {url!r}, "
                                     "not an absolute http(s) address", "write the full "
                                     "address, e.g. https://www.example.org, or remove it"))
    return frozenset(str(e["id"]) for e in entries)
