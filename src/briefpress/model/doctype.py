"""Turn a document type's rules into records: its sections in order (read/doctype.py reads them)."""

from __future__ import annotations

from typing import Literal

from msgspec import Struct, field


class SectionRule(Struct, frozen=True, forbid_unknown_fields=True):
    """One slot in the order of top-level sections, as a rules file writes it (its keys
    are this record's fields: read/doctype.py validates an entry against it)."""

    id: str | None = None
    title: str | None = None
    title_plural: str | None = None
    body: bool = False
    min: int = 0
    optional: bool = False
    may_be_empty: bool = False
    from_: Literal["recommendations", "authors"] | None = field(default=None, name="from")
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
