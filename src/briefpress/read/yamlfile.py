"""Turn YAML text into Python data and validated schemas, keeping line numbers for messages."""

from __future__ import annotations

import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import yaml

from briefpress.errors import BriefError, Problem
from briefpress.model.schema import PATTERN_MESSAGES

SchemaT = TypeVar("SchemaT")


def parse_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """Parse ``text`` (which starts at line ``first_line`` of ``path``) to data and its node tree.

    Anchors and aliases are refused: a brief has no use for them and they are the
    way to build an expansion bomb.
    """
    offset = first_line - 1
    loader = _SourceLoader(text)
    try:
        node = loader.get_single_node()
        alias = _first_alias(node)
        if alias is not None:
            raise BriefError(Problem(
                path, alias.start_mark.line + 1 + offset,
                "YAML anchors and aliases (&name, *name) are not allowed",
                "write the value out in full"))
        twice = _repeated_key(node)
        if twice is not None:
            first, second = twice
            raise BriefError(Problem(
                path, second.start_mark.line + 1 + offset,
                f"the key {second.value!r} is written twice in one mapping (first on line "
                f"{first.start_mark.line + 1 + offset})",
                "keep one of them: YAML would keep the last and lose the other"))
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise BriefError(_malformed(exc, text, path, offset)) from None
    except yaml.YAMLError as exc:
        raise BriefError(Problem(path, first_line, f"malformed YAML: {exc}")) from None
    except (ValueError, OverflowError) as exc:  # a value YAML types but cannot make: 2024-13-45
        raise _unconstructible(node, path, offset, exc) from None
    finally:
        loader.dispose()
    return data, node


_OPENED = {
    "while parsing a flow sequence": (
        "the `[` list opened on this line is not closed",
        "close the list with `]`, or put the value in quotes if the `[` is part of its text"),
    "while parsing a flow mapping": (
        "the `{` mapping opened on this line is not closed",
        "close the mapping with `}`, or put the value in quotes if the `{` is part of its "
        "text"),
    "while scanning a quoted scalar": (
        "the quoted text opened on this line is not closed",
        "close the quote; a quote inside the text is written \\\" within \"...\" and '' "
        "within '...'"),
    "while scanning a simple key": (
        "the key on this line has no `:` after it",
        "write `key: value`, or indent the line under the value it continues"),
}
"""PyYAML's contexts (the same words from libyaml and from the pure-Python parser) whose
mark is where the mistake is: the construct opened there runs on until the parser gives up,
lines later (at the next key, or the end of the file). A ``[`` or ``{`` may instead be
closed with a comma missing inside (``_runs_on`` tells them apart): then the problem's line.
Other contexts (``while parsing a block mapping``) mark the start of the enclosing block;
their problem's mark is the line."""


def _malformed(exc: yaml.MarkedYAMLError, text: str, path: Path, offset: int) -> Problem:
    """The error for YAML that does not parse, on the line that helps: where an unclosed
    bracket or quote was opened (saying where the parser noticed), else where it stopped."""
    reason = exc.problem or str(exc)
    problem_mark, context_mark = exc.problem_mark, exc.context_mark
    opened = _OPENED.get(exc.context or "")
    tokens = _tokens(text)
    if opened is not None and context_mark is not None and (
            problem_mark is None or context_mark.line <= problem_mark.line):
        if exc.context in _FLOW and problem_mark is not None and not _runs_on(
                tokens, context_mark, problem_mark):
            kind, fix = _FLOW[exc.context or ""]
            where = (f" opened on line {context_mark.line + 1 + offset}"
                     if context_mark.line != problem_mark.line else "")
            if "expected ','" in reason:
                return Problem(path, problem_mark.line + 1 + offset,
                               f"malformed YAML: a `,` is missing between two {kind}{where} "
                               f"({reason})", fix)
        else:
            noticed = (f" on line {problem_mark.line + 1 + offset}"
                       if problem_mark and problem_mark.line != context_mark.line else "")
            return Problem(path, context_mark.line + 1 + offset,
                           f"malformed YAML: {opened[0]} ({reason}{noticed})", opened[1])
    quote = _quote_before(tokens, problem_mark)
    if quote is not None and problem_mark is not None:
        if _swallows_lines(text, tokens, quote):
            return Problem(path, quote.start_mark.line + 1 + offset,
                           f"malformed YAML: the quoted text opened on this line runs on to "
                           f"line {problem_mark.line + 1 + offset} ({reason} there)",
                           _OPENED["while scanning a quoted scalar"][1])
        return Problem(path, problem_mark.line + 1 + offset,
                       f"malformed YAML: something follows the closing quote of the value "
                       f"on this line ({reason})",
                       "put all of the value inside the quotes, or remove what follows the "
                       "closing quote")
    mark = problem_mark or context_mark
    lines = text.splitlines()
    bad = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    fix = ("indent with spaces, not tabs" if "\t" in bad
           else "check the indentation and quoting on that line")
    return Problem(path, mark.line + 1 + offset if mark else None,
                   f"malformed YAML: {reason}", fix)


_FLOW = {
    "while parsing a flow sequence": (
        "items of the `[` list", "separate the items with commas, as in `[a, b, c]`"),
    "while parsing a flow mapping": (
        "entries of the `{` mapping", "separate the entries with commas, as in `{a: 1, b: 2}`"),
}
"""The contexts of an unclosed ``[`` or ``{`` that may instead be closed and lack a comma."""

_FLOW_STARTS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
_FLOW_ENDS = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


def _tokens(text: str) -> list[yaml.Token]:
    """PyYAML's tokens of ``text``, up to a scanning error if there is one."""
    tokens: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=LOADER):
            tokens.append(token)
    except yaml.YAMLError:
        pass  # the tokens up to the error are what is wanted
    return tokens


def _runs_on(tokens: list[yaml.Token], opening: yaml.Mark, problem: yaml.Mark) -> bool:
    """Whether the ``[`` or ``{`` opened at ``opening`` is really left open where parsing
    stopped at ``problem``: the file ends there, or a bracket of the other kind stands there
    (``[a, b}``), or the parser stopped on a later line and no bracket closes it after that
    (the next keys were read as its items). A list closed on its own line, or later, that
    the parser stopped in is missing a comma instead (``["x", "y" "z"]``)."""
    at = next((token for token in tokens if token.start_mark.index >= problem.index), None)
    if at is None or isinstance(at, (yaml.StreamEndToken, yaml.DocumentStartToken,
                                     yaml.DocumentEndToken, *_FLOW_ENDS)):
        return True
    if problem.line == opening.line:
        return False
    depth = 0
    for token in tokens:
        if token.start_mark.index < opening.index:
            continue
        if isinstance(token, _FLOW_STARTS):
            depth += 1
        elif isinstance(token, _FLOW_ENDS):
            depth -= 1
            if depth == 0:
                return False  # closed after where the parser stopped
    return True


def _quote_before(tokens: list[yaml.Token], problem: yaml.Mark | None
                  ) -> yaml.ScalarToken | None:
    """The quoted value just before where parsing stopped, when it closes on that line
    (and so is either a quote left open, closed by the next quote of the file, or a closed
    quote with something after it)."""
    if problem is None:
        return None
    before = [token for token in tokens if token.start_mark.index < problem.index]
    last = before[-1] if before else None
    if (isinstance(last, yaml.ScalarToken) and last.style in ('"', "'")
            and last.end_mark.line == problem.line):
        return last
    return None


def _swallows_lines(text: str, tokens: list[yaml.Token], quote: yaml.ScalarToken) -> bool:
    """Whether the quoted text runs on over lines of the document: a line it spans starts,
    as PyYAML reads that line alone, with a key or a list entry no deeper than the key or
    entry the quote is the value of (a quote left open, closed by the next one lines later)."""
    if quote.start_mark.line == quote.end_mark.line:
        return False
    index = tokens.index(quote)
    owner = next((token for token in reversed(tokens[:index])
                  if isinstance(token, (yaml.KeyToken, yaml.BlockEntryToken))), None)
    if owner is None or not isinstance(tokens[index - 1], (yaml.ValueToken,
                                                            yaml.BlockEntryToken)):
        return False  # a quote inside [ ] or { }, or a key: not a value of a block
    lines = text.splitlines()
    for line in lines[quote.start_mark.line + 1: quote.end_mark.line + 1]:
        first = next((token for token in _tokens(line) if isinstance(
            token, (yaml.KeyToken, yaml.BlockEntryToken, yaml.ScalarToken))), None)
        if (isinstance(first, (yaml.KeyToken, yaml.BlockEntryToken))
                and first.start_mark.column <= owner.start_mark.column):
            return True
    return False


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


class _SourceLoader(LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, but a date YAML cannot make (``2024-13-45``) stays text: validation
    then reports it, located, beside every other mistake of the file, instead of it hiding
    them."""


def _lenient_timestamp(loader: Any, node: yaml.Node) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_SourceLoader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)


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


def _repeated_key(root: yaml.Node | None) -> tuple[yaml.Node, yaml.Node] | None:
    """The first key written twice in one mapping: its first and its second key node."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], yaml.Node] = {}
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if (key.tag, key.value) in seen:
                        return seen[(key.tag, key.value)], key
                    seen[(key.tag, key.value)] = key
            stack.extend(reversed([item for pair in node.value for item in pair]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


def node_line(node: yaml.Node | None, loc: tuple[Any, ...], first_line: int = 1) -> int | None:
    """The line of the value at ``loc`` (a path of keys and indices) in the node tree."""
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


def key_lines(node: yaml.Node | None, first_line: int = 1) -> dict[tuple[str | int, ...], int]:
    """The line of every key and list item of the node tree, by its path (keys and list
    indices from the top, ``("areas", 0, "id")``): where ``key:`` is written, where an
    item starts. What the reader keeps so that a finding names the line of a value it
    speaks of, in the source as written (a quoted key, a flow mapping), never a line
    that merely looks like it."""
    found: dict[tuple[str | int, ...], int] = {}
    stack: list[tuple[tuple[str | int, ...], yaml.Node]] = [((), node)] if node else []
    while stack:
        path, current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):  # a key that is no text: refused anyway
                    place = (*path, key.value)
                    found[place] = key.start_mark.line + first_line
                    stack.append((place, value))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                found[(*path, index)] = item.start_mark.line + first_line
                stack.append(((*path, index), item))
    return found


def _node_at(node: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    """The node at ``loc``, or the deepest one on the way there."""
    current = node
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            current = next((v for k, v in current.value if k.value == part), current)
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            current = current.value[part] if part < len(current.value) else current
    return current


def key_line(node: yaml.Node | None, loc: tuple[Any, ...], first_line: int = 1) -> int | None:
    """The line of the mapping key at ``loc`` (for unknown keys)."""
    parent = _node_at(node, loc[:-1])
    if isinstance(parent, yaml.MappingNode):
        for key, _ in parent.value:
            if key.value == loc[-1]:
                return key.start_mark.line + first_line
    return node_line(node, loc, first_line)


def required_keys(schema: type[msgspec.Struct]) -> str:
    """The keys ``schema`` requires, as a fix names them: "`title:`, `authors:` and
    `publisher:`" (empty when it requires none)."""
    names = [f"`{field.encode_name}:`" for field in msgspec.structs.fields(schema)
             if field.required]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


GENERIC_FIX = ("write it as docs/writing.md (a brief's files) or docs/project.md "
               "(briefpress.yaml, brands, document types) describes the key")
"""The fix of a mismatch :func:`validate` has no more precise words for (a file of the
house's own, the tokens or a document type, names its own place instead)."""


def about_a_value_of(problem: Problem, mapping: str) -> bool:
    """Whether ``problem``, one of :func:`validate`'s, is about a value of the mapping at the
    dotted path ``mapping`` or an item of that value (``color_cmyk.accent: list should have
    exactly 4 entries``, ``color_cmyk.accent[2]: should be at most 100.0``), not about one
    of its keys (``color_cmyk.Navy!: the key …``): a reader words the fix for that value's
    kind."""
    return re.match(rf"{re.escape(mapping)}\.[^.:\[]+(?:\[\d+\])?: (?!the key )",
                    problem.message) is not None


def validate(
    schema: type[SchemaT], data: Any, node: yaml.Node | None, path: Path, first_line: int = 1
) -> tuple[SchemaT, list[Problem]]:
    """Validate ``data`` against ``schema`` (text values are stripped of surrounding space).

    Unknown keys are returned as findings (with a did-you-mean) and dropped, so
    that ``check`` can report them beside everything else; any other mismatch is an
    error, raised with every other mismatch and unknown key found: a bad value is set
    aside and validation goes on, until a required value is missing.
    """
    if not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__
        required = required_keys(schema)
        raise BriefError(Problem(path, first_line, f"expected a mapping of keys, found {found}",
                                 "write `key: value` lines"
                                 + (f", {required} among them" if required else "")))
    original, data = data, _stripped(data)
    findings: list[Problem] = []
    errors: list[Problem] = []
    unknown: set[tuple[Any, ...]] = set()
    set_aside: set[tuple[Any, ...]] = set()
    while True:
        try:
            model = msgspec.convert(data, schema)
        except msgspec.ValidationError as exc:
            error = _pinpointed(schema, data, _Mismatch.parse(str(exc)))
            if error.unknown_key is not None:
                loc = (*error.loc, error.unknown_key)
                findings.append(_unknown(schema, node, path, first_line, loc))
                unknown.add(loc)
                _drop(data, loc)
                _drop(original, loc)
                continue
            if error.missing_key(set_aside):
                break  # the value set aside was required: reported already
            errors.append(error.problem(schema, original, node, path, first_line))
            if (error.in_key or not error.loc or isinstance(error.loc[-1], int)
                    or error.loc in set_aside or error.missing_key(None)):
                break  # nothing that can be set aside without moving what comes after
            set_aside.add(error.loc)
            _drop(data, error.loc)
            continue
        if not errors:
            return model, sorted(findings, key=lambda p: p.line or 0)
        break
    # msgspec stops at its first mismatch, and what is set aside cannot be missing: the
    # other fields' mismatches, each field converted on its own, are reported too
    said = {(p.line, p.message) for p in errors}
    for other in _mismatches_by_field(schema, data):
        if other.missing_key(set_aside) or other.unknown_key is not None:
            continue
        problem = _pinpointed(schema, data, other).problem(schema, original, node, path,
                                                             first_line)
        if (problem.line, problem.message) not in said:
            said.add((problem.line, problem.message))
            errors.append(problem)
    # validation stopped early: the unknown keys it did not reach are reported too
    findings += [_unknown(schema, node, path, first_line, loc)
                 for loc in _unknown_keys(schema, data, ()) if loc not in unknown]
    raise BriefError(sorted(findings + errors, key=lambda p: p.line or 0))


def well_formed(value: Any, annotation: Any) -> Any | None:
    """``value`` (a part of a file's data, as written) converted to ``annotation`` as
    :func:`validate` converts it, text stripped; None when it does not convert. What lets a
    file's own checks run on its well-formed parts beside the schema's errors of the others."""
    try:
        return msgspec.convert(_stripped(value), annotation)
    except msgspec.ValidationError:
        return None


def _mismatches_by_field(schema: type[Any], data: Any,
                         loc: tuple[str | int, ...] = ()) -> list[_Mismatch]:
    """The first mismatch of each field of the Struct ``schema`` in ``data``, each field's
    value converted on its own, and a Struct's fields, a list's items and a mapping's
    entries each in turn, and each required field that is missing: what a whole
    conversion, which stops at the first, does not say."""
    if not (isinstance(data, dict) and isinstance(schema, type)
            and issubclass(schema, msgspec.Struct)):
        return []
    found: list[_Mismatch] = []
    for field in msgspec.structs.fields(schema):
        if field.encode_name not in data:
            if field.required:
                found.append(_Mismatch(f"Object missing required field `{field.encode_name}`",
                                       loc))
            continue
        value = data[field.encode_name]
        try:
            msgspec.convert(value, field.type)
        except msgspec.ValidationError as exc:
            mismatch = _Mismatch.parse(str(exc))
            where = (*loc, field.encode_name)
            inner = _inner_mismatches(field.type, value, where)
            found += inner or [msgspec.structs.replace(mismatch, loc=(*where, *mismatch.loc))]
    return found


def _inner_mismatches(annotation: Any, value: Any, loc: tuple[str | int, ...]
                      ) -> list[_Mismatch]:
    """The mismatches inside ``value`` (at ``loc``), which ``annotation`` refuses: of a
    Struct's fields, of each item of a list of Structs, of each entry of a mapping."""
    members = _members(annotation)
    structs = [m for m in members if isinstance(m, type) and issubclass(m, msgspec.Struct)]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for member in structs
                for found in _mismatches_by_field(member, item, (*loc, index))]
    if not isinstance(value, dict):
        return []
    found = [found for member in structs for found in _mismatches_by_field(member, value, loc)]
    for mapping in (m for m in members if typing.get_origin(m) is dict):
        key_type, value_type = typing.get_args(mapping)
        for key, item in value.items():
            try:
                msgspec.convert(key, key_type)
            except msgspec.ValidationError as exc:
                found.append(msgspec.structs.replace(_Mismatch.parse(str(exc)), loc=loc,
                                                     in_key=True))
                continue
            try:
                msgspec.convert(item, value_type)
            except msgspec.ValidationError as exc:
                mismatch = _Mismatch.parse(str(exc))
                where = (*loc, key)
                found += (_inner_mismatches(value_type, item, where)
                          or [msgspec.structs.replace(mismatch, loc=(*where, *mismatch.loc))])
    return found


def _pinpointed(schema: type[Any], data: Any, error: _Mismatch) -> _Mismatch:
    """``error`` with the key of the mapping's entry at fault in its place: msgspec names a
    mapping's value by the mapping alone (``colors[...]``), so each entry's value is
    converted on its own to find the first it refuses, for the message to name it and give
    its line (``colors.accent``)."""
    if _ANY_KEY not in error.loc:
        return error
    at = error.loc.index(_ANY_KEY)
    mapping = _value_at(data, error.loc[:at])
    value_type = next((typing.get_args(member)[1] for member in _members(
        _field_type(schema, error.loc[:at])) if typing.get_origin(member) is dict), None)
    if not isinstance(mapping, dict) or value_type is None:
        return error
    for key, value in mapping.items():
        try:
            msgspec.convert(value, value_type)
        except msgspec.ValidationError:
            return msgspec.structs.replace(
                error, loc=(*error.loc[:at], key, *error.loc[at + 1:]))
    return error


def _unknown(schema: type[Any], node: yaml.Node | None, path: Path, first_line: int,
             loc: tuple[Any, ...]) -> Problem:
    """The finding for an unknown key at ``loc``, with the key it may stand for."""
    known = _field_names(schema, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    fix = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
    return Problem(path, key_line(node, loc, first_line), f"unknown key {_dotted(loc)!r}", fix)


def _unknown_keys(schema: type[Any], data: Any, loc: tuple[Any, ...]
                  ) -> list[tuple[Any, ...]]:
    """The places of every key in ``data`` that ``schema`` has no field for."""
    if not isinstance(data, dict):
        return []
    found: list[tuple[Any, ...]] = []
    names = {f.encode_name: f.type for f in msgspec.structs.fields(schema)}
    for key, value in data.items():
        if not isinstance(key, str):
            continue  # reported as "a key that is not text"
        if key not in names:
            found.append((*loc, key))
            continue
        inner = next((m for m in _members(names[key]) if isinstance(m, type)
                      and issubclass(m, msgspec.Struct)), None)
        if inner is None:
            continue
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            found += _unknown_keys(inner, item, (*loc, key) if index is None
                                   else (*loc, key, index))
    return found


def _stripped(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {key: _stripped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stripped(item) for item in value]
    return value


_AT = re.compile(r" - at `(?P<path>[^`]*)`(?: in `(?P<parent>[^`]*)`)?$")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+|\.\.\.)\]")  # keys as YAML names them
_ANY_KEY = "..."
"""msgspec's step for a mapping's value, whichever its key (``$.colors[...]``)."""
_TYPE_NAMES = {"str": "string", "array": "list", "object": "mapping", "int": "integer",
               "float": "number", "bool": "true or false",
               "date": "date (YYYY-MM-DD, YYYY-MM or YYYY)"}
_TYPE_FIXES = {"str": "write text (in quotes if YAML would read it otherwise)",
               "array": "write a list: `[a, b]`, or one `- item` line each",
               "object": "write `key: value` lines, indented under the key",
               "int": "write a whole number, e.g. `400`", "float": "write a number, e.g. `1.5`",
               "bool": "write `true` or `false`"}
"""What to write where a value of the wrong kind is."""
_DATE_FIX = ("write the date as YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year "
             "is known")


class _Mismatch(msgspec.Struct, frozen=True):
    """One msgspec validation error, taken apart: where, what, and which key if unknown."""

    message: str
    loc: tuple[str | int, ...]
    unknown_key: str | None = None
    in_key: bool = False
    """The mismatch is in a mapping's key, not its value."""

    def missing_key(self, among: set[tuple[Any, ...]] | None) -> bool:
        """Whether this says a required key is missing (one of ``among``, if given)."""
        missing = re.fullmatch(r"Object missing required field `(.*)`", self.message)
        return missing is not None and (among is None
                                        or (*self.loc, missing.group(1)) in among)

    @classmethod
    def parse(cls, text: str) -> _Mismatch:
        loc: tuple[str | int, ...] = ()
        in_key = False
        match = _AT.search(text)
        if match:
            text = text[: match.start()]
            in_key = match.group("parent") is not None
            where = match.group("parent") if in_key else match.group("path")
            loc = tuple(name or (index if index == _ANY_KEY else int(index))
                        for name, index in _STEP.findall(where))
        unknown = re.fullmatch(r"Object contains unknown field `(.*)`", text, re.DOTALL)
        return cls(text, loc, unknown.group(1) if unknown else None, in_key)

    def problem(self, schema: type[Any], data: Any, node: yaml.Node | None, path: Path,
                first_line: int) -> Problem:
        """The message an author reads: located, in plain words, with a fix."""
        loc, text = self.loc, self.message
        if missing := re.fullmatch(r"Object missing required field `(.*)`", text):
            loc = (*loc, missing.group(1))
            return Problem(path, node_line(node, loc, first_line),
                           f"{_dotted(loc)}: field required", f"add `{missing.group(1)}:`")
        message, fix = text[:1].lower() + text[1:], GENERIC_FIX
        if self.in_key:
            return _key_problem(text, data, node, path, loc, first_line)
        if pattern := re.fullmatch(r"Expected `str` matching regex '(.*)'", text, re.DOTALL):
            shown = {p.replace("\\", "\\\\"): told for p, told in PATTERN_MESSAGES.items()}
            message, fix = shown.get(pattern.group(1), (message, fix))
        elif text == "Invalid RFC3339 encoded date":
            message, fix = ("input should be a valid date (YYYY-MM-DD, YYYY-MM or YYYY)",
                            _DATE_FIX)
        elif text == "Expected `str` of length >= 1":
            message, fix = ("string should have at least 1 character",
                            "write the text; it may not be empty")
        elif text == "Expected `array` of length >= 1":
            message, fix = "list should have at least 1 entry", "give at least one entry"
        elif sized := re.fullmatch(r"Expected `array` of length ([<>]=) (\d+)", text):
            # a list of a fixed length (a CMYK colour's four values) is said as exactly that
            bounds = _metas(_field_type(schema, loc))
            lengths = {(meta.min_length, meta.max_length) for meta in bounds}
            count = sized.group(2)
            if (int(count), int(count)) in lengths:
                message, fix = (f"list should have exactly {count} entries",
                                f"give exactly {count} entries")
            elif sized.group(1) == ">=":
                message, fix = (f"list should have at least {count} entries",
                                f"give at least {count} entries")
            else:
                message, fix = (f"list should have at most {count} entries",
                                f"give at most {count} entries")
        elif expected := re.fullmatch(r"Expected `([^`|]+|int \| float)(?: \| null)?`, "
                                      r"got `[^`]*`", text):
            wanted = "float" if expected.group(1) == "int | float" else expected.group(1)
            message = f"input should be a valid {_TYPE_NAMES.get(wanted, wanted)}"
            fix = (_DATE_FIX if wanted == "date"
                   else _TYPE_FIXES.get(wanted, "give a value of the type named"))
            # a number where a patterned text belongs (a length without its unit): the
            # pattern's own words, which say what to write
            message, fix = next((PATTERN_MESSAGES[meta.pattern]
                                 for meta in _metas(_field_type(schema, loc))
                                 if meta.pattern in PATTERN_MESSAGES), (message, fix))
        elif bound := re.fullmatch(r"Expected `(?:int|float)` (>=|<=|>|<) (\S+)", text):
            words = _loosest_bound(_field_type(schema, loc), bound.group(1) in (">=", ">")) \
                or f"{_BOUND_WORDS[bound.group(1)]} {bound.group(2)}"
            message, fix = f"should be {words}", f"write a number {words}"
        elif text.startswith("Invalid enum value"):
            allowed = _allowed_values(schema, loc)
            message = "input is not one of the allowed values"
            fix = f"use one of: {', '.join(allowed)}" if allowed else fix
        value = _value_at(data, loc)
        if _short(value):
            message += f" (got {value!r})"
        label = _dotted(loc)
        return Problem(path, node_line(node, loc, first_line),
                       f"{label}: {message}" if label else message, fix)


def _key_problem(text: str, data: Any, node: yaml.Node | None, path: Path,
                 loc: tuple[Any, ...], first_line: int) -> Problem:
    """The error for a key of the mapping at ``loc`` that its schema refuses: one that is
    not text, or text its pattern refuses (a colour's name written `Navy!`), named."""
    mapping = _value_at(data, loc)
    keys = list(mapping) if isinstance(mapping, dict) else []
    pattern = re.fullmatch(r"Expected `str` matching regex '(.*)'", text, re.DOTALL)
    # msgspec shows the pattern with its backslashes doubled
    written = {p.replace("\\", "\\\\"): p for p in PATTERN_MESSAGES}
    if (pattern is not None and pattern.group(1) in written
            and all(isinstance(key, str) for key in keys)):
        regex = written[pattern.group(1)]
        refused = next((key for key in keys if re.search(regex, key) is None), None)
        if refused is not None:
            words, fix = PATTERN_MESSAGES[regex]
            return Problem(path, key_line(node, (*loc, refused), first_line),
                           f"{_dotted((*loc, refused))}: the key {words}", fix)
    return Problem(path, _non_text_key_line(node, loc, first_line),
                   "a key that is not text", "write keys as words, e.g. `title:`")


def _non_text_key_line(node: yaml.Node | None, loc: tuple[Any, ...], first_line: int
                       ) -> int | None:
    """The line of the first key that is not a string in the mapping at ``loc``."""
    parent = _node_at(node, loc)
    if isinstance(parent, yaml.MappingNode):
        for key, _ in parent.value:
            if key.tag != "tag:yaml.org,2002:str":
                return key.start_mark.line + first_line
    return node_line(node, loc, first_line)


def _value_at(data: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _short(value: Any) -> bool:
    return isinstance(value, str | int | float) and len(repr(value)) <= 60


def _dotted(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")


def _drop(data: Any, loc: tuple[Any, ...]) -> None:
    for part in loc[:-1]:
        data = data[part]
    data.pop(loc[-1], None)


_BOUND_WORDS = {">=": "at least", "<=": "at most", ">": "above", "<": "below"}


def _loosest_bound(annotation: Any, lower: bool) -> str | None:
    """The loosest lower (or upper) bound the members of ``annotation`` allow, in words:
    msgspec names the bound of the member it tried (``int >= 1`` of ``int > 0 | float >
    0``), where the field takes 0.5 too. None when the annotation carries none."""
    names = (("gt", "above"), ("ge", "at least")) if lower else (("lt", "below"),
                                                                  ("le", "at most"))
    found = [(getattr(meta, name), word) for meta in _metas(annotation)
             for name, word in names if getattr(meta, name) is not None]
    if not found:
        return None
    value, word = (min if lower else max)(found, key=lambda bound: bound[0])
    return f"{word} {value:g}"


def _metas(annotation: Any) -> list[msgspec.Meta]:
    """The constraints (``Meta``) an annotation carries, through unions."""
    if typing.get_origin(annotation) is typing.Annotated:
        return [arg for arg in typing.get_args(annotation)[1:] if isinstance(arg, msgspec.Meta)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [meta for arg in typing.get_args(annotation) for meta in _metas(arg)]
    return []


def _members(annotation: Any) -> list[Any]:
    """The types an annotation admits, through Annotated, unions and lists."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        return [m for arg in typing.get_args(annotation) for m in _members(arg)]
    return [annotation]


def _field_type(schema: type[Any], loc: tuple[Any, ...]) -> Any:
    """The annotation of the field at ``loc`` (list indices skipped; a mapping's key gives
    its values' annotation), or None."""
    current: Any = schema
    annotation: Any = None
    for part in loc:
        if isinstance(part, int):
            continue
        mapping = next((m for m in _members(annotation) if typing.get_origin(m) is dict), None)
        if mapping is not None:  # the entry ``part`` of a dict[str, V]: a V
            annotation = typing.get_args(mapping)[1]
            current = next((m for m in _members(annotation) if isinstance(m, type)
                            and issubclass(m, msgspec.Struct)), None)
            continue
        if not (isinstance(current, type) and issubclass(current, msgspec.Struct)):
            return None
        found = {f.encode_name: f for f in msgspec.structs.fields(current)}.get(part)
        if found is None:
            return None
        annotation = found.type
        current = next((m for m in _members(annotation) if isinstance(m, type)
                        and issubclass(m, msgspec.Struct)), None)
    return annotation


def _field_names(schema: type[Any], loc: tuple[Any, ...]) -> list[str]:
    target = schema if not loc else next(
        (m for m in _members(_field_type(schema, loc)) if isinstance(m, type)
         and issubclass(m, msgspec.Struct)), None)
    return [f.encode_name for f in msgspec.structs.fields(target)] if target else []


def _allowed_values(schema: type[Any], loc: tuple[Any, ...]) -> list[str]:
    literal = next((m for m in _members(_field_type(schema, loc))
                    if typing.get_origin(m) is typing.Literal), None)
    return [str(value) for value in typing.get_args(literal)] if literal else []
