"""Turn the brief before and after an import into the structural losses the import would cause.

An import may change any word, but it may not silently drop or reorder a
section, drop a recommendation or break a link: those are refused with a
message naming what went missing, unless the user forces the import.
"""

from __future__ import annotations

from pathlib import Path

from ..checks import check_brief
from ..errors import Problem
from ..model import Brief
from .signature import normalize_url

FORCE = "restore it in the Word file and import again, or import with --force to accept"


def structural_losses(before: Brief, after: Brief, docx: Path | str) -> list[Problem]:
    """What ``after`` loses from ``before``: sections, order, recommendations, links."""
    problems: list[Problem] = []
    kept = {s.id for s in after.walk()}
    for section in before.walk():
        if section.id not in kept:
            problems.append(Problem(docx, None, f"the import would drop section "
                                    f"{section.title!r} (#{section.id})", FORCE))
    order_before = [s.id for s in before.walk() if s.id in kept]
    still = {s.id for s in before.walk()}
    order_after = [s.id for s in after.walk() if s.id in still]
    for old, new in zip(order_before, order_after, strict=True):
        if old != new:
            moved, expected = after.section(new), before.section(old)
            problems.append(Problem(docx, None, "the import would move section "
                                    f"{_title(moved, new)!r} (#{new}) to where "
                                    f"{_title(expected, old)!r} (#{old}) stands", FORCE))
            break
    recs_after = {r.id for a in after.recommendations.areas for r in a.recommendations}
    for area in before.recommendations.areas:
        for rec in area.recommendations:
            if rec.id not in recs_after:
                problems.append(Problem(docx, None, f"the import would drop recommendation "
                                        f"{rec.id!r} (area {area.title!r})", FORCE))
    targets_after = {normalize_url(link.url) for link in after.links if link.url.strip()}
    phrases_after = {" ".join(link.text.split()) for link in after.links}
    for link in before.links:
        if link.url.strip() and normalize_url(link.url) not in targets_after:
            problems.append(Problem(docx, None, f"the import would break the link "
                                    f"{link.text!r} to {link.url}", FORCE))
        elif not link.url.strip() and " ".join(link.text.split()) not in phrases_after:
            problems.append(Problem(docx, None, f"the import would drop the link "
                                    f"{link.text!r}, whose target is still to be found",
                                    FORCE))
    return problems


def source_errors(after: Brief) -> list[Problem]:
    """Errors ``check`` would report on the imported source (warnings are left to check)."""
    return [p for p in check_brief(after) if p.severity == "error"]


def _title(section: object, ident: str) -> str:
    return getattr(section, "title", ident)
