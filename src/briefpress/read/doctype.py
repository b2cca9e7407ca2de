"""Turn templates/doctypes/<type>.yaml into a DocType."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefpress.errors import BriefError, Problem
from briefpress.model.doctype import DocType
from briefpress.model.schema import DocTypeRules
from briefpress.read.yamlfile import GENERIC_FIX, key_line, parse_yaml, validate
from briefpress.support.files import cache_while_unchanged
from briefpress.support.paths import TEMPLATES

_COMMENT = "the comment at the top of templates/doctypes/policy-brief.yaml"
"""Where the keys of a rules file are explained, which every problem's fix names."""


def doctype_path(name: str) -> Path:
    return TEMPLATES / "doctypes" / f"{name}.yaml"


def known_doctypes() -> list[str]:
    return sorted(p.stem for p in (TEMPLATES / "doctypes").glob("*.yaml"))


@cache_while_unchanged(lambda name: [doctype_path(name)])
def load_doctype(name: str) -> DocType:
    """Read the rules of document type ``name``; unknown types are a user error, and so is
    a rules file that is not what the comment at the top of ``policy-brief.yaml`` describes,
    each mistake on its line (the schema's all at once; then the sections without an id)."""
    path = doctype_path(name)
    known = known_doctypes()
    if name not in known:  # by name: a name that is no file's (too long, a NUL) never reaches one
        shown = name if len(name) <= 60 else f"{name[:57]}..."
        raise BriefError(Problem(path, None, f"unknown document type {shown!r}",
                                 f"use one of: {', '.join(known)}"))
    from briefpress.read.brief import read_text  # read/brief.py loads the type of its brief

    text = read_text(path)  # a file that is no UTF-8 text: said so, and how to mend it
    try:
        data, node = parse_yaml(text, path)
        rules, unknown = validate(DocTypeRules, data, node, path)
    except BriefError as exc:
        raise BriefError([_pointed(problem) for problem in exc.problems]) from None
    # the rules are the program's, not a brief's: a key no field has is a mistake, never
    # one that ``check`` may report beside the rest
    problems = [_pointed(problem) for problem in unknown]
    problems += [Problem(path, key_line(node, ("sections", index)),
                         f"sections[{index}]: every section but the body needs an `id`",
                         f"add `id:`, or `body: true` for the body. See {_COMMENT}")
                 for index, rule in enumerate(rules.sections) if not rule.body and not rule.id]
    problems += _inconsistent(rules, node, path)
    if problems:
        raise BriefError(sorted(problems, key=lambda p: p.line or 0))
    return DocType(name=name, label=rules.label, sections=tuple(rules.sections),
                   description=rules.description, max_words=rules.max_words)


def _inconsistent(rules: DocTypeRules, node: Any, path: Path) -> list[Problem]:
    """What no brief of the type could satisfy: no section at all, two bodies, two sections
    of one id (``briefpress new`` would write a brief its own ``check`` refuses)."""
    if not rules.sections:
        return [Problem(path, key_line(node, ("sections",)), "sections: the type has none",
                        f"list its sections in their order, the body among them. See {_COMMENT}")]
    problems = []
    bodies = [index for index, rule in enumerate(rules.sections) if rule.body]
    problems += [Problem(path, key_line(node, ("sections", index)),
                         f"sections[{index}]: a second body (the first is sections[{bodies[0]}])",
                         f"keep one `body: true`: the brief's own sections are one run. "
                         f"See {_COMMENT}") for index in bodies[1:]]
    seen: dict[str, int] = {}
    for index, rule in enumerate(rules.sections):
        if rule.id and rule.id in seen:
            problems.append(Problem(
                path, key_line(node, ("sections", index, "id")),
                f"sections[{index}]: the id `{rule.id}` is sections[{seen[rule.id]}]'s too",
                f"give each section an id of its own. See {_COMMENT}"))
        elif rule.id:
            seen[rule.id] = index
    return problems


def _pointed(problem: Problem) -> Problem:
    """The problem with its fix pointing at where the keys are explained: the schemas'
    generic words, written for a brief's own files, left out."""
    fix = problem.fix
    if not fix or fix == GENERIC_FIX:
        fix = f"see {_COMMENT}"
    else:
        fix = f"{fix} See {_COMMENT}" if fix.endswith("?") else f"{fix}. See {_COMMENT}"
    return Problem(problem.file, problem.line, problem.message, fix)
