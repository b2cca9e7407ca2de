"""Turn a document-type rules file (``templates/doctypes/<type>.yaml``) into a DocType."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import BriefError, Problem
from .paths import TEMPLATES


class SectionRule(BaseModel):
    """One slot in the order of top-level sections."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = None
    title: str | None = None
    title_plural: str | None = None
    body: bool = False
    min: int = 0
    optional: bool = False
    may_be_empty: bool = False
    from_: Literal["recommendations", "authors"] | None = Field(default=None, alias="from")


class DocType(BaseModel):
    """The rules of a document type: which sections, in which order, what is generated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    label: str
    sections: list[SectionRule]

    def named(self) -> list[SectionRule]:
        return [rule for rule in self.sections if not rule.body]

    def rule(self, section_id: str) -> SectionRule | None:
        return next((r for r in self.sections if r.id == section_id), None)

    def body_rule(self) -> SectionRule | None:
        return next((r for r in self.sections if r.body), None)


def doctype_path(name: str) -> Path:
    return TEMPLATES / "doctypes" / f"{name}.yaml"


def known_doctypes() -> list[str]:
    return sorted(p.stem for p in (TEMPLATES / "doctypes").glob("*.yaml"))


@cache
def load_doctype(name: str) -> DocType:
    """Read the rules of document type ``name``; unknown types are a user error."""
    path = doctype_path(name)
    if not path.is_file():
        raise BriefError(
            Problem(path, None, f"unknown document type {name!r}",
                    f"use one of: {', '.join(known_doctypes())}")
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return DocType(name=name, **data)
    except (yaml.YAMLError, ValidationError, TypeError) as exc:
        raise BriefError(Problem(path, None, f"invalid document-type rules: {exc}")) from None
