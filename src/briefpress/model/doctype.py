"""Turn a document-type rules file (``templates/doctypes/<type>.yaml``) into a DocType."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from msgspec import Struct
from msgspec.structs import fields

from briefpress.errors import BriefError, Problem
from briefpress.read.yamlfile import LOADER
from briefpress.support.files import cache_while_unchanged
from briefpress.support.paths import TEMPLATES

_GENERATORS = ("recommendations", "authors")


class SectionRule(Struct, frozen=True):
    """One slot in the order of top-level sections."""

    id: str | None = None
    title: str | None = None
    title_plural: str | None = None
    body: bool = False
    min: int = 0
    optional: bool = False
    may_be_empty: bool = False
    from_: str | None = None
    """``recommendations`` or ``authors`` for a section briefpress generates (``from:``)."""
    aka: tuple[str, ...] = ()
    """Other titles or ids this section is written under in other document types ("Key
    Takeaways" for an Executive Summary): ``check`` names the rename instead of a move."""

    def known_as(self, section_id: str, title: str) -> bool:
        """Whether a section with this id or title is this one under another name."""
        names = {name.casefold() for name in self.aka}
        return section_id.casefold() in names or " ".join(title.split()).casefold() in names


class DocType(Struct, frozen=True):
    """The rules of a document type: which sections, in which order, what is generated."""

    name: str
    label: str
    sections: tuple[SectionRule, ...]
    description: str = ""
    """One line on what the type is for (``briefpress doctypes`` prints it)."""
    max_words: int | None = None
    """The longest a brief of this type should be, in words of its body (a warning past it)."""

    def rule(self, section_id: str) -> SectionRule | None:
        return next((r for r in self.sections if r.id == section_id), None)

    def body_rule(self) -> SectionRule | None:
        return next((r for r in self.sections if r.body), None)


def describe_doctype(doctype: DocType) -> str:
    """The type in a few lines of text: name, label, description, its sections in order."""
    lines = [f"{doctype.name}: {doctype.label}"]
    if doctype.description:
        lines.append(f"  {doctype.description}")
    if doctype.max_words:
        lines.append(f"  at most {doctype.max_words} words")
    for rule in doctype.sections:
        if rule.body:
            what = f"the body: {rule.min} or more sections of your own" if rule.min \
                else "the body: sections of your own"
        else:
            what = f"{rule.title} {{#{rule.id}}}"
            notes = ["made from recommendations.yaml" if rule.from_ == "recommendations"
                     else "made from the authors' bios" if rule.from_ == "authors" else "",
                     "optional" if rule.optional else ""]
            if any(notes):
                what += f" ({', '.join(n for n in notes if n)})"
        lines.append(f"  - {what}")
    return "\n".join(lines)


def doctype_path(name: str) -> Path:
    return TEMPLATES / "doctypes" / f"{name}.yaml"


def known_doctypes() -> list[str]:
    return sorted(p.stem for p in (TEMPLATES / "doctypes").glob("*.yaml"))


@cache_while_unchanged(lambda name: [doctype_path(name)])
def load_doctype(name: str) -> DocType:
    """Read the rules of document type ``name``; unknown types are a user error."""
    path = doctype_path(name)
    known = known_doctypes()
    if name not in known:  # by name: a name that is no file's (too long, a NUL) never reaches one
        shown = name if len(name) <= 60 else f"{name[:57]}..."
        raise BriefError(Problem(path, None, f"unknown document type {shown!r}",
                                 f"use one of: {', '.join(known)}"))
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
        unknown = set(data) - {"label", "description", "max_words", "sections"}
        if unknown:
            raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))}")
        max_words = data.get("max_words")
        if max_words is not None and (not isinstance(max_words, int) or max_words < 1):
            raise ValueError("`max_words:` must be a whole number of words")
        return DocType(name=name, label=str(data["label"]),
                       sections=tuple(_rule(entry) for entry in data["sections"]),
                       description=str(data.get("description") or ""), max_words=max_words)
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise BriefError(Problem(path, None, f"invalid document-type rules: {exc}",
                                 "see the comment at the top of policy-brief.yaml")) from None


def _rule(entry: dict[str, Any]) -> SectionRule:
    known = {f.name.rstrip("_") for f in fields(SectionRule)}
    unknown = set(entry) - known
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))}")
    values = {("from_" if key == "from" else key): value for key, value in entry.items()}
    if values.get("from_") not in (None, *_GENERATORS):
        raise ValueError(f"`from:` must be one of {', '.join(_GENERATORS)}")
    if not values.get("body") and not values.get("id"):
        raise ValueError("every section but the body needs an `id`")
    aka = values.get("aka", [])
    if not isinstance(aka, list) or not all(isinstance(name, str) for name in aka):
        raise ValueError("`aka:` must be a list of titles or ids")
    values["aka"] = tuple(aka)
    return SectionRule(**values)
