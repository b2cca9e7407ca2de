"""Turn a brief's source folder (brief.md + recommendations.yaml) into a Brief."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import msgspec

from briefpress import pandoc
from briefpress.errors import BriefError, Problem, display_path
from briefpress.model import blocks
from briefpress.model.brief import Brief, Link, Section
from briefpress.model.doctype import DocType
from briefpress.model.schema import Metadata, ProjectConfig, Recommendations
from briefpress.read.brand import load_brand
from briefpress.read.citations import load_citations
from briefpress.read.config import apply_config, config_path, find_named, load_config
from briefpress.read.doctype import known_doctypes, load_doctype
from briefpress.read.yamlfile import (
    key_lines,
    node_line,
    parse_yaml,
    required_keys,
    validate,
)
from briefpress.support import limits
from briefpress.support.files import read_regular
from briefpress.support.paths import content_dir, given_folder

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}|:{3,})(.*)$")


def find_brief(name: str | Path) -> Path:
    """The folder of a brief, given its slug or a path to the folder or its brief.md: a
    path as an absolute one without ``..`` (``.`` in ``content/<slug>/`` is that brief, of
    that project: :func:`~briefpress.read.config.config_path`)."""
    candidate = given_folder(name) or content_dir() / str(name)
    if not (candidate / "brief.md").exists():  # a brief.md that is no file: read_text says so
        known = ", ".join(all_slugs()) or "none"
        raise BriefError(Problem(candidate / "brief.md", None, f"no brief named {str(name)!r}",
                                 f"give a slug from content/ ({known}) or a folder with brief.md"))
    return candidate


def all_slugs() -> list[str]:
    """Slugs of every brief under content/."""
    root = content_dir()
    return sorted(p.parent.name for p in root.glob("*/brief.md")) if root.is_dir() else []


def read_brief(name: str | Path) -> Brief:
    """Read, parse and validate one brief; raise BriefError for input that cannot be used."""
    folder = find_brief(name)
    md_path, recs_path = folder / "brief.md", folder / "recommendations.yaml"
    markdown = read_text(md_path)
    front, body, body_first_line = split_front_matter(markdown, md_path)
    data, node = parse_yaml(front, md_path, first_line=2)
    own_brand = isinstance(data, dict) and "brand" in data
    config = load_config(config_path(folder))
    unlisted = _unlisted(data, node, config, md_path)
    data = apply_config(data, config)
    recs_text, recs = "", None
    if recs_path.exists():  # one that is no regular file: read_text says so
        recs_text = read_text(recs_path)
        recs = parse_yaml(recs_text, recs_path)
    try:
        doctype = _doctype(folder, data, node)
    except BriefError as exc:  # the front matter's other mistakes are said with it
        others = [p for p in _front_errors(data, node, md_path)
                  if not p.message.startswith("type:")]  # the type is said once, above
        raise BriefError(sorted(exc.problems + others,
                                key=lambda p: (p.file != md_path, p.line or 0))) from None
    if recs is None and any(r.from_ == "recommendations" for r in doctype.sections):
        read_text(recs_path)  # not there: says so, and how
    meta, findings = _validate_front(data, node, md_path)
    findings += unlisted
    brand = None
    if meta.brand is not None:  # named by the brief, else by the project's config
        named_in, line = ((md_path, node_line(node, ("brand",), 2)) if own_brand
                          else (config_path(folder), None))
        brand = load_brand(config_path(folder).parent, meta.brand, named_in, line)
        findings += brand.warnings
    citations = load_citations(folder, meta.bibliography, meta.csl, md_path,
                               node_line(node, ("bibliography",), 2),
                               config.csl if config else None, config_path(folder))
    recommendations = Recommendations()
    if recs is not None:
        recommendations, more = validate(Recommendations, *recs, recs_path)
        findings += more

    # Blank lines stand in for the front matter so pandoc's view keeps brief.md's line numbers;
    # the Markdown held in YAML (recommendations, bios) rides along in the same pandoc call,
    # after the body, so that it shares the body's link definitions.
    padded = "\n" * (body_first_line - 1) + body
    if recs is not None:
        _check_recommendation_count(recs[0], recs[1], recs_path)
    snippets = fenced_extras(yaml_markdown(data, recs[0] if recs else None))
    try:
        document, warnings = pandoc.parse_markdown(padded + "\n\n" + snippets, str(md_path))
    except RecursionError:  # msgspec's decoder refuses what nests past Python's limit
        raise _too_deep(md_path, padded, recs_path, recs_text) from None
    lines = padded.splitlines()
    body_blocks, fragments = split_extras(document.blocks)
    body_links = _check_counts(body_blocks, document.blocks[len(body_blocks):],
                               heading_lines(lines), md_path)
    findings += [_duplicate_note(md_path, w.line, w.message)
                 if w.message.startswith(_DUPLICATE_NOTE) else
                 _unused_note(md_path, w.line, w.message)
                 if w.message.startswith(_NOTE_KEY) and w.message.endswith(_NOT_USED) else
                 Problem(md_path, w.line, f"pandoc: {w.message}",
                         "mend the Markdown at that line", severity="warning")
                 for w in warnings
                 if not w.message.startswith("Duplicate identifier")  # check_ids reports it
                 and (w.line is None or w.line <= len(lines))]
    sections, stray = build_sections(body_blocks, heading_lines(lines))
    if stray is not None:
        # the heading the brief's own type opens with (a Key Takeaways, an Executive Summary)
        first = next((rule for rule in doctype.sections if not rule.from_ and rule.title), None)
        opening = (f"start the brief with `# {first.title} {{#{first.id}}}` or move"
                   if first is not None and first.id else "move")
        findings.append(Problem(md_path, stray, "text before the first section heading",
                                f"{opening} the text into a section"))
    return Brief(
        slug=folder.name, folder=folder, meta=meta,
        sections=add_generated_sections(sections, doctype, meta),
        recommendations=recommendations, links=find_links(body_links, lines),
        markdown=markdown, recommendations_text=recs_text,
        front_matter_lines=body_first_line - 1, findings=findings, doctype=doctype,
        fragments=fragments, api_version=document.api_version, brand=brand,
        citations=citations, front_lines=key_lines(node, first_line=2),
        recommendation_lines=key_lines(recs[1]) if recs is not None else {},
    )


_DUPLICATE_NOTE = "Duplicate note reference '"


def _duplicate_note(path: Path, line: int | None, message: str) -> Problem:
    """pandoc's warning of a second definition of a note as an error: pandoc gives every
    call of the label the last definition's text, so the other note is in no edition (an
    import that gave a new note a label already taken would lose a note silently)."""
    label = message[len(_DUPLICATE_NOTE):].partition("'")[0]
    return Problem(path, line, f"note [^{label}] is defined twice: every edition shows this "
                   "definition's text at each call of it, and the other's nowhere",
                   f"give one of the two notes a label of its own, `[^{label}-2]:`, and its "
                   "call too")


_NOTE_KEY, _NOT_USED = "Note with key '", " but not used."
"""pandoc's warning of a note defined but called nowhere (brief.md nor the Markdown of
recommendations.yaml and the bios, which rides in the same pandoc call)."""


def _unused_note(path: Path, line: int | None, message: str) -> Problem:
    """pandoc's warning of a note no text calls, in words: no edition prints it (as when an
    editor deleted its footnote mark in Word and kept the sentence it was for)."""
    label = message[len(_NOTE_KEY):].partition("'")[0]
    return Problem(path, line, f"note [^{label}] is defined but never called: no edition "
                   "prints it", f"call it, `[^{label}]`, after the words it is for, or delete "
                   "its definition", severity="warning")


def _check_recommendation_count(data: Any, node: Any, path: Path) -> None:
    """Refuse more recommendations than the limit, before pandoc parses their text."""
    areas = data.get("areas") if isinstance(data, dict) else None
    places = [(a, r) for a, area in enumerate(areas if isinstance(areas, list) else [])
              if isinstance(area, dict) and isinstance(area.get("recommendations"), list)
              for r in range(len(area["recommendations"]))]
    limit = limits.RECOMMENDATIONS.value()
    if len(places) > limit:
        area, index = places[limit]
        line = node_line(node, ("areas", area, "recommendations", index))
        raise limits.over(limits.RECOMMENDATIONS, len(places), path, line,
                          "split the brief or merge recommendations")


def _check_counts(body: list[blocks.Block], extras: list[blocks.Block], headings: list[int],
                  path: Path) -> list[blocks.Link]:
    """Refuse more sections, notes, links or images than their limits in the parse (the
    ``body``, then the ``extras``: the Markdown of the YAML), before any stage spends time
    on each of them; return the body's links (its walk is the one that counts them)."""
    sections = sum(isinstance(block, blocks.Header) for block in body)
    limit = limits.SECTIONS.value()
    if sections > limit:
        line = headings[limit] if limit < len(headings) else None
        raise limits.over(limits.SECTIONS, sections, path, line, "split the brief")
    counts = {blocks.Note: 0, blocks.Link: 0, blocks.Image: 0}
    body_links: list[blocks.Link] = []
    for content in (body, extras):
        for node in blocks.walk(content):
            kind = type(node)
            if kind in counts:
                counts[kind] += 1
                if kind is blocks.Link and content is body:
                    body_links.append(node)  # type: ignore[arg-type]
    for kind, limit_of, fix in ((blocks.Note, limits.NOTES, "merge or drop notes"),
                                (blocks.Link, limits.LINKS, "drop links"),
                                (blocks.Image, limits.IMAGES, "drop images")):
        if counts[kind] > limit_of.value():
            raise limits.over(limit_of, counts[kind], path, None,
                              f"{fix} (brief.md and the Markdown of recommendations.yaml "
                              f"count together)")
    return body_links


def _too_deep(md_path: Path, body: str, recs_path: Path, recs_text: str) -> BriefError:
    """Text nested deeper than can be decoded: located at the most indented line of
    whichever source file nests deepest (lists and quotes nest by indentation and ``>``)."""
    def deepest(text: str) -> tuple[int, int]:
        found, divs = (0, 0), 0
        for number, line in enumerate(text.splitlines(), start=1):
            bare = line.strip(" >")
            if bare.startswith(":::"):  # a fenced div opens (with attributes) or closes
                divs += 1 if bare.strip(":").strip() else -1
            depth = len(line) - len(line.lstrip(" >")) + max(divs, 0)
            if bare and depth > found[0]:
                found = (depth, number)
        return found

    (body_depth, body_line), (recs_depth, recs_line) = deepest(body), deepest(recs_text)
    path, line = (recs_path, recs_line) if recs_depth > body_depth else (md_path, body_line)
    return BriefError(Problem(path, line or None,
                              "lists, block quotes or divs nested hundreds of levels deep, "
                              "too deeply to be read (a brief may nest at most "
                              f"{limits.NESTING.value()})",
                              f"flatten the nesting ({limits.NESTING.env} cannot raise "
                              "this bound)"))


def read_front_matter(folder: Path) -> Metadata:
    """The validated front matter of the brief in ``folder``, without parsing its body (no
    pandoc run): what a catalog needs of a brief it does not build."""
    path = folder / "brief.md"
    front, _, _ = split_front_matter(read_text(path), path)
    data, node = parse_yaml(front, path, first_line=2)
    data = apply_config(data, load_config(config_path(folder)))
    meta, _ = _validate_front(data, node, path)
    return meta


def _unlisted(data: Any, node: Any, config: ProjectConfig | None, path: Path) -> list[Problem]:
    """A warning for a ``program:`` or ``series:`` that names none of those the project's
    config lists, by id or by name, when it lists some: after a series is renamed in the
    config, a brief that still gives the old name would otherwise have a catalog page of its
    own, silently."""
    problems: list[Problem] = []
    for key, listed in (("program", config.programs if config else []),
                        ("series", config.series if config else [])):
        value = data.get(key) if isinstance(data, dict) else None
        if not listed or not isinstance(value, str) or find_named(value, listed) is not None:
            continue
        known = ", ".join(f"{item.id} ({item.name})" for item in listed)
        plural = "programs" if key == "program" else "series"
        problems.append(Problem(
            path, node_line(node, (key,), 2),
            f"{key} {value!r} is none of the {plural} briefpress.yaml lists: the catalog "
            f"gives it a page of its own",
            f"name one by its id ({known}), or add it under `{plural}:` in briefpress.yaml",
            severity="warning"))
    return problems


def _validate_front(data: Any, node: Any, path: Path) -> tuple[Metadata, list[Problem]]:
    """The front matter validated; a missing publisher may also come from the project, a
    date may be a month or a year, and an ORCID iD must have its check digit."""
    precision = None
    if isinstance(data, dict) and "date" in data:
        data = dict(data)
        data["date"], precision = partial_date(data["date"])
    try:
        meta, findings = validate(Metadata, data, node, path, first_line=2)
    except BriefError as exc:
        raise BriefError([_front_fix(p) for p in exc.problems]) from None
    if precision is not None:
        meta = msgspec.structs.replace(meta, date_precision=precision)
    for index, author in enumerate(meta.authors):
        line = node_line(node, ("authors", index, "orcid"), 2)
        if author.orcid and author.organization:
            findings.append(Problem(path, line, f"author {author.name!r} is an organisation "
                                    "and has an ORCID iD, which only people have",
                                    "remove `orcid:`, or `organization: true`"))
        elif author.orcid and not orcid_checksum_ok(author.orcid):
            findings.append(Problem(path, line, f"ORCID iD {author.orcid!r} has a wrong check "
                                    "digit (a mistyped character)",
                                    "copy the iD from the author's ORCID record"))
    return meta, findings


def _front_fix(problem: Problem) -> Problem:
    """A problem of the front matter's validation, its fix said for the front matter: where
    a publisher may come from instead, and what an empty one (``---`` then ``---``) needs."""
    if problem.message == "publisher: field required":
        fix = "add a `publisher:` block, or give the project's publisher in briefpress.yaml"
    elif problem.message.startswith("expected a mapping of keys"):
        fix = (f"add {required_keys(Metadata)} between the --- lines, one `key: value` "
               f"line each: `publisher:` may come from briefpress.yaml instead, and "
               f"`briefpress new SLUG` writes a whole brief to copy from")
    else:
        return problem
    return Problem(problem.file, problem.line, problem.message, fix, problem.severity)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^\d{4}$")


def partial_date(value: Any) -> tuple[Any, str | None]:
    """A ``date:`` written as a month (``2025-06``) or a year (``2025``) as the first day of
    it and its precision; any other value as it is (a day, or a mistake for validation)."""
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) \
        else None
    if text is not None and (month := _MONTH.match(text)) and 1 <= int(month.group(2)) <= 12:
        return datetime.date(int(month.group(1)), int(month.group(2)), 1), "month"
    if text is not None and _YEAR.match(text) and int(text) >= 1:
        return datetime.date(int(text), 1, 1), "year"
    return value, None


def orcid_checksum_ok(orcid: str) -> bool:
    """Whether an ORCID iD's last character is the ISO 7064 MOD 11-2 check digit of the
    fifteen digits before it."""
    digits = orcid.replace("-", "")
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def is_current(brief: Brief) -> bool:
    """Whether brief.md and recommendations.yaml still hold the texts ``brief`` was read from
    (an import may have rewritten them since, one file after the other)."""
    def text(path: Path) -> str | None:
        try:
            raw = read_regular(path, limits.SOURCE_BYTES.value())
        except FileNotFoundError:
            return ""
        except (BriefError, OSError):
            return None  # no longer a readable source: reading it again says why
        return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")

    return (text(brief.markdown_path), text(brief.recommendations_path)) == \
        (brief.markdown, brief.recommendations_text)


def _front_errors(data: Any, node: Any, path: Path) -> list[Problem]:
    """The mistakes validating the front matter raises, if any (for a brief already
    refused for another reason: every mistake at once)."""
    try:
        _validate_front(data, node, path)
    except BriefError as exc:
        return list(exc.problems)
    return []


def _doctype(folder: Path, data: Any, node: Any) -> DocType:
    """The rules of the brief's document type (its front matter's ``type``)."""
    name = data.get("type", "policy-brief") if isinstance(data, dict) else "policy-brief"
    try:
        return load_doctype(name if isinstance(name, str) else "policy-brief")
    except BriefError as exc:
        if name in known_doctypes():
            raise  # a mistake of the rules file itself, on its own line there
        line = node_line(node, ("type",), 2)  # no such type: the brief's `type:` is at fault
        raise BriefError([Problem(folder / "brief.md", line, p.message, p.fix)
                          for p in exc.problems]) from None


_EXTRA_CLASS = "briefpress-fragment"
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def yaml_markdown(front: Any, recommendations: Any) -> dict[str, str]:
    """The Markdown snippets that live in YAML, keyed as in ``Brief.fragments``.

    Taken from the YAML as parsed; whatever is not of the expected shape is left to
    validation to report.
    """
    snippets: dict[str, str] = {}
    authors = front.get("authors") if isinstance(front, dict) else None
    for index, author in enumerate(authors if isinstance(authors, list) else []):
        if isinstance(author, dict) and isinstance(author.get("bio"), str):
            snippets[f"bio:{index}"] = author["bio"]
    if not isinstance(recommendations, dict):
        return snippets
    if isinstance(recommendations.get("intro"), str):
        snippets["intro"] = recommendations["intro"]
    areas = recommendations.get("areas")
    for area in areas if isinstance(areas, list) else []:
        recs = area.get("recommendations") if isinstance(area, dict) else None
        for rec in recs if isinstance(recs, list) else []:
            if (isinstance(rec, dict) and isinstance(rec.get("text"), str)
                    and isinstance(rec.get("id"), str) and _KEY.match(rec["id"])):
                snippets[f"rec:{rec['id']}"] = rec["text"]
    return snippets


def fenced_extras(snippets: dict[str, str]) -> str:
    fence = ":" * 12
    return "".join(f'{fence} {{.{_EXTRA_CLASS} key="{key}"}}\n{text}\n{fence}\n\n'
                   for key, text in snippets.items())


def split_extras(parsed: list[blocks.Block]
                 ) -> tuple[list[blocks.Block], dict[str, list[blocks.Block]]]:
    """The body's blocks, and the YAML snippets' blocks taken off their end, keyed by their
    marker."""
    body = list(parsed)
    fragments: dict[str, list[blocks.Block]] = {}
    while body and isinstance(body[-1], blocks.Div) and _EXTRA_CLASS in body[-1].attr[1]:
        div = body.pop()
        assert isinstance(div, blocks.Div)
        fragments[dict(div.attr[2])["key"]] = div.content
    return body, dict(reversed(list(fragments.items())))


def read_text(path: Path) -> str:
    """Read a UTF-8 source file, with located errors for missing, huge or mis-encoded files."""
    try:
        raw = read_regular(path, limits.SOURCE_BYTES.value(),
                           "replace it with a plain UTF-8 text file",
                           "split the text or move data out of the brief, or "
                           + limits.SOURCE_BYTES.how(), " for a brief's source")
    except FileNotFoundError:
        raise BriefError(Problem(path, None, "file not found",
                                 "create it; `briefpress new SLUG` makes a complete brief")
                         ) from None
    except OSError as exc:
        raise BriefError(Problem(path, None, f"cannot read file: {exc.strerror}")) from None
    wide = utf16_form(raw)
    if wide is not None:  # Notepad's "Unicode": every character in two bytes
        looks, encoding = wide
        shown = display_path(path)  # a command that works from where briefpress was run
        raise BriefError(Problem(path, None, f"not UTF-8 text: it looks like {looks}",
                                 "save it as UTF-8 (Notepad: Save As, Encoding: UTF-8; "
                                 "VS Code: Save with Encoding, UTF-8; or `iconv -f "
                                 f"{encoding} -t UTF-8 {shown} > {shown}.new`, then "
                                 f"rename {shown}.new to {path.name})"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BriefError(Problem(path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                                 "save the file as UTF-8")) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BriefError(Problem(path, line, "file contains a NUL character",
                                 "save the file as plain UTF-8 text"))
    return text.removeprefix("\ufeff")


def utf16_form(raw: bytes) -> tuple[str, str] | None:
    """How ``raw`` looks if it is UTF-16 text, in words (its byte-order mark, or the zero
    byte beside every Latin letter of one without), and the encoding's name for iconv;
    None if it does not."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"UTF-16 (it starts with the byte-order mark {raw[0]:02X} {raw[1]:02X})", "UTF-16"
    sample = raw[:4096]
    if len(sample) >= 8:
        for zeros, name in ((sample[1::2], "UTF-16LE"), (sample[0::2], "UTF-16BE")):
            if zeros.count(0) > len(zeros) * 3 // 4:
                return (f"{name} without a byte-order mark (a zero byte beside every "
                        "letter)", name)
    return None


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """Split brief.md into its YAML front matter, its body and the body's first line number."""
    lines = text.split("\n")
    if not text.strip():
        raise BriefError(Problem(path, 1, "the brief is empty",
                                 "start with a `---` front matter block (title, authors, "
                                 "publisher), then the sections; `briefpress new` shows one"))
    if lines[0].rstrip() != "---":
        raise BriefError(Problem(path, 1, "no YAML front matter",
                                 "begin the file with a `---` line, the metadata, "
                                 "and a `---` line"))
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise BriefError(Problem(path, 1, "front matter is not closed",
                             "end the metadata block with a line holding only `---`"))


class Fence(msgspec.Struct):
    """A fenced code block (or fenced div) of Markdown lines, as pandoc reads it."""

    start: int
    """Its opening fence's line (0-based, in the lines given)."""
    end: int
    """Its closing fence's line; the last line given when it is never closed."""
    marker: str
    """Its opening fence: three or more backticks, tildes or colons."""
    info: str
    """What follows that marker: the info string or attributes."""


def fence_opened(line: str, indented: bool = False, divs: bool = False
                 ) -> tuple[str, str] | None:
    """The marker and info string of the fence ``line`` opens, or None: up to three spaces
    before it (any number, ``indented``: the code of a list item or a note), backticks
    with no backtick after them (else a code span), colons (a div, ``divs``) with its
    attributes after them."""
    match = _FENCE.match(line)
    if match is None or (len(match.group(1).expandtabs(4)) > 3 and not indented):
        return None
    marker, info = match.group(2), match.group(3)
    if (marker[0] == "`" and "`" in info) or (marker[0] == ":" and not (divs and info.strip())):
        return None
    return marker, info


def _fence_closed(line: str, marker: str, indented: bool) -> bool:
    """Whether ``line`` closes a fence opened by ``marker``: the same character, at least as
    many (any number of colons for a div), nothing after them."""
    match = _FENCE.match(line)
    return match is not None and (indented or len(match.group(1).expandtabs(4)) <= 3) and \
        match.group(2)[0] == marker[0] and not match.group(3).strip() and \
        (marker[0] == ":" or len(match.group(2)) >= len(marker))


def fences(lines: list[str], indented: bool = False, divs: bool = False) -> list[Fence]:
    """The fenced code blocks of ``lines`` (and, ``divs``, the outermost fenced divs, which
    nest, with the code in them), in order: one reading of fences for the section tree, the
    importer's line map (:mod:`briefpress.importer.sourcemap`) and its writer.
    ``indented``: fences indented any amount count too (the code of list items)."""
    found: list[Fence] = []
    stack: list[str] = []  # the markers of the fences open, the outermost first
    for index, line in enumerate(lines):
        if stack and _fence_closed(line, stack[-1], indented):
            stack.pop()
            if not stack:
                found[-1].end = index
            continue
        if stack and stack[-1][0] != ":":
            continue  # code: nothing in it opens a fence
        opened = fence_opened(line, indented, divs)
        if opened is not None:
            if not stack:
                found.append(Fence(index, len(lines) - 1, *opened))
            stack.append(opened[0])
    return found


def fenced_lines(lines: list[str], indented: bool = False, divs: bool = False) -> list[bool]:
    """For each of ``lines``: whether it is a fence of :func:`fences` or within one."""
    inside = [False] * len(lines)
    for fence in fences(lines, indented, divs):
        inside[fence.start:fence.end + 1] = [True] * (fence.end + 1 - fence.start)
    return inside


def heading_lines(lines: list[str]) -> list[int]:
    """Line numbers (1-based) of ATX and setext headings, outside fenced code."""
    found: list[int] = []
    for index, (line, fenced) in enumerate(zip(lines, fenced_lines(lines), strict=True)):
        if fenced:
            continue
        if _ATX.match(line):
            found.append(index + 1)
        elif (_SETEXT.match(line) and index > 0 and lines[index - 1].strip()
              and not _ATX.match(lines[index - 1])
              and (index < 2 or not lines[index - 2].strip())):
            found.append(index)
    return found


def build_sections(body: list[blocks.Block], lines: list[int]
                   ) -> tuple[list[Section], int | None]:
    """Nest the body's blocks into a section tree by heading level.

    Returns the top-level sections and, if text stands before the first heading,
    the line of the first heading (where that text ends) or 1.
    """
    roots: list[Section] = []
    stack: list[Section] = []
    stray: int | None = None
    header_index = 0
    for block in body:
        if isinstance(block, blocks.Header):
            ident, classes, attributes = block.attr
            line = lines[header_index] if header_index < len(lines) else None
            header_index += 1
            section = Section(id=ident, title=blocks.stringify(block.content).strip(),
                              level=block.level, heading=block.content, line=line,
                              classes=classes, attributes=attributes)
            while stack and stack[-1].level >= block.level:
                stack.pop()
            (stack[-1].children if stack else roots).append(section)
            stack.append(section)
        elif stack:
            stack[-1].blocks.append(block)
        elif stray is None:
            stray = lines[0] - 1 if lines else 1
    return roots, (max(stray, 1) if stray is not None else None)


def add_generated_sections(sections: list[Section], doctype: DocType,
                           meta: Any) -> list[Section]:
    """Insert the sections the document type generates (recommendations, author bios).

    Each goes right after the nearest section that precedes it in the type's order.
    """
    result = list(sections)
    order = doctype.sections
    for position, rule in enumerate(order):
        if not rule.from_ or any(s.id == rule.id for s in result):
            continue
        title = rule.title or ""
        if rule.from_ == "authors" and len(meta.authors) > 1 and rule.title_plural:
            title = rule.title_plural
        generated = Section(id=rule.id or "", title=title, level=1, generated_from=rule.from_)
        insert_at = 0
        for earlier in reversed(order[:position]):
            if earlier.body:
                body_ids = [i for i, s in enumerate(result) if doctype.rule(s.id) is None]
                if body_ids:
                    insert_at = body_ids[-1] + 1
                    break
                continue
            found = [i for i, s in enumerate(result) if s.id == earlier.id]
            if found:
                insert_at = found[-1] + 1
                break
        result.insert(insert_at, generated)
    return result


def find_links(nodes: list[blocks.Link], lines: list[str]) -> list[Link]:
    """The body's hyperlinks (``nodes``, in document order), each with the line where its
    phrase first stands."""
    links: list[Link] = []
    for node in nodes:
        text = blocks.stringify(node.content)
        links.append(Link(text=text, url=node.url, line=line_of(text, lines)))
    return links


def line_of(phrase: str, lines: list[str]) -> int | None:
    """The first line where ``phrase`` stands, however its spaces were wrapped."""
    words = phrase.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    for index, line in enumerate(lines):
        if pattern.search(line):
            return index + 1
    first = words[0]
    return next((i + 1 for i, line in enumerate(lines) if first in line), None)
