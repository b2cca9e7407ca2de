"""Turn YAML text into Python data and validated schemas, keeping line numbers for messages."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from .errors import BriefError, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel

SchemaT = TypeVar("SchemaT", bound="BaseModel")


def parse_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """Parse ``text`` (which starts at line ``first_line`` of ``path``) to data and its node tree.

    Anchors and aliases are refused: a brief has no use for them and they are the
    way to build an expansion bomb.
    """
    offset = first_line - 1
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        alias = _first_alias(node)
        if alias is not None:
            raise BriefError(Problem(
                path, alias.start_mark.line + 1 + offset,
                "YAML anchors and aliases (&name, *name) are not allowed",
                "write the value out in full"))
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else None
        reason = exc.problem or str(exc)
        lines = text.splitlines()
        bad = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
        fix = ("indent with spaces, not tabs" if "\t" in bad
               else "check the indentation and quoting on that line")
        raise BriefError(Problem(path, line, f"malformed YAML: {reason}", fix)) from None
    except yaml.YAMLError as exc:
        raise BriefError(Problem(path, first_line, f"malformed YAML: {exc}")) from None
    except (ValueError, OverflowError) as exc:  # a value YAML types but cannot make: 2024-13-45
        raise _unconstructible(node, path, offset, exc) from None
    finally:
        loader.dispose()
    return data, node


def _unconstructible(root: yaml.Node | None, path: Path, offset: int,
                     exc: Exception) -> BriefError:
    """The error for the first scalar PyYAML cannot turn into a value, with its line."""
    constructor = yaml.constructor.SafeConstructor()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(reversed([item for pair in node.value for item in pair]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except (ValueError, OverflowError):
                line = node.start_mark.line + 1 + offset
                if node.tag.endswith(":timestamp"):
                    return BriefError(Problem(path, line, f"{node.value!r} is not a date ({exc})",
                                              "write the date as YYYY-MM-DD"))
                return BriefError(Problem(path, line, f"{node.value!r} cannot be read ({exc})",
                                          "put the value in quotes"))
    return BriefError(Problem(path, offset + 1, f"malformed YAML: {exc}"))


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it: the same results, several times faster."""


def _first_alias(root: yaml.Node | None) -> yaml.Node | None:
    """A node reached twice in the tree: that is what an alias (``*name``) makes."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


def node_line(node: yaml.Node | None, loc: tuple[Any, ...], first_line: int = 1) -> int | None:
    """The line of the value at ``loc`` (a pydantic error location) in the node tree."""
    best = node
    for part in loc:
        if isinstance(best, yaml.MappingNode):
            match = next((v for k, v in best.value if k.value == part), None)
            if match is None:
                key = next((k for k, _ in best.value if k.value == part), None)
                best = key or best
                break
            best = match
        elif isinstance(best, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(best.value):
                break
            best = best.value[part]
        else:
            break
    return best.start_mark.line + first_line if best is not None else None


def key_line(node: yaml.Node | None, loc: tuple[Any, ...], first_line: int = 1) -> int | None:
    """The line of the mapping key at ``loc`` (for unknown keys)."""
    parent = node
    for part in loc[:-1]:
        if isinstance(parent, yaml.MappingNode):
            parent = next((v for k, v in parent.value if k.value == part), parent)
        elif isinstance(parent, yaml.SequenceNode) and isinstance(part, int):
            parent = parent.value[part] if part < len(parent.value) else parent
    if isinstance(parent, yaml.MappingNode):
        for key, _ in parent.value:
            if key.value == loc[-1]:
                return key.start_mark.line + first_line
    return node_line(node, loc, first_line)


def validate(
    schema: type[SchemaT], data: Any, node: yaml.Node | None, path: Path, first_line: int = 1
) -> tuple[SchemaT, list[Problem]]:
    """Validate ``data`` against ``schema``.

    Unknown keys are returned as findings (with a did-you-mean) and dropped, so
    that ``check`` can report them beside everything else; any other mismatch
    is an error that stops reading.
    """
    if not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__
        raise BriefError(Problem(path, first_line, f"expected a mapping of keys, found {found}",
                                 f"write `key: value` lines as in a {schema.__name__} block"))
    from pydantic import ValidationError

    findings: list[Problem] = []
    try:
        return schema.model_validate(data), findings
    except ValidationError as exc:
        unknown = [e for e in exc.errors() if e["type"] == "extra_forbidden"]
        others = [e for e in exc.errors() if e["type"] != "extra_forbidden"]
        if others:
            raise BriefError([
                Problem(path, node_line(node, tuple(e["loc"]), first_line),
                        f"{_dotted(e['loc'])}: {e['msg'].lower()}"
                        + (f" (got {e['input']!r})" if _short(e.get("input")) else ""),
                        _fix_for(schema, e))
                for e in others
            ]) from None
        for err in unknown:
            loc = tuple(err["loc"])
            known = _field_names(schema, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            fix = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
            findings.append(Problem(path, key_line(node, loc, first_line),
                                    f"unknown key {_dotted(loc)!r}", fix))
            _drop(data, loc)
    model, more = validate(schema, data, node, path, first_line)
    return model, sorted(findings + more, key=lambda p: p.line or 0)


def _short(value: Any) -> bool:
    return isinstance(value, str | int | float) and len(repr(value)) <= 60


def _dotted(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")


def _drop(data: Any, loc: tuple[Any, ...]) -> None:
    for part in loc[:-1]:
        data = data[part]
    data.pop(loc[-1], None)


def _schema_at(schema: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    from pydantic import BaseModel

    current: Any = schema
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) else None
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        candidates = [annotation, *args]
        current = next((c for c in candidates if isinstance(c, type)
                        and issubclass(c, BaseModel)), None)
        if current is None:
            return None
    return current


def _field_names(schema: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    target = _schema_at(schema, loc)
    if target is None:
        return []
    return [f.alias or name for name, f in target.model_fields.items()]


def _fix_for(schema: type[BaseModel], error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return f"add `{error['loc'][-1]}:`"
    if kind == "web_url":
        return "write the full address, e.g. https://www.example.org"
    if kind == "string_pattern_mismatch":
        return "use lowercase letters, digits and hyphens, e.g. `my-section`"
    if kind in ("string_type", "list_type", "dict_type", "int_type", "date_from_datetime_parsing"):
        return "give a value of the type named"
    if kind == "too_short":
        return "give at least one entry"
    if kind == "string_too_short":
        return "write the text; it may not be empty"
    return "see the schema in the README"
