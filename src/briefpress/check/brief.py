"""Turn a Brief into findings: structure, empty sections, ids, recommendations and links."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from briefpress.check.anchors import check_anchors
from briefpress.check.citations import check_citations
from briefpress.check.files import check_files
from briefpress.check.safety import check_safety
from briefpress.check.tables import check_tables
from briefpress.check.xref import check_xrefs
from briefpress.errors import BriefError, Problem, display_path
from briefpress.model import blocks, xref
from briefpress.model.brief import Brief, OutlineEntry, Section
from briefpress.model.doctype import DocType, SectionRule
from briefpress.model.ids import ID_MAX, make_id, word_can_carry
from briefpress.model.options import RenderOptions
from briefpress.read.brief import line_of, split_front_matter
from briefpress.read.doctype import known_doctypes, load_doctype
from briefpress.read.yamlfile import parse_yaml
from briefpress.render import FORMATS, NotImplementedFormat
from briefpress.support import limits, paths
from briefpress.support.epoch import FALLBACK_DATE, source_date_epoch

if TYPE_CHECKING:
    from briefpress.model.index import Part
    from briefpress.model.schema import Metadata
    from briefpress.render import Format
    from briefpress.support.cache import Edition


def check_brief(brief: Brief, readiness: bool = True, every_edition: bool = True,
                adding: Collection[str] = (), building: Collection[str] = ()
                ) -> list[Problem]:
    """Every finding about a brief's source, errors and warnings together, in file order.

    ``readiness=False`` leaves out the warnings that only say a draft is not ready to
    publish yet (:data:`READINESS`: the scaffold's placeholders, no date): ``build`` does
    not repeat them on every build of a draft; ``check`` reports them, and ``check
    --strict`` fails on them.

    ``every_edition=False`` (``build``) leaves out what only some editions refuse: the files
    raw HTML would load (the PDF loads an ``<object>``, the web page an ``<img>``, the Word
    file none), an image without alternative text (the PDF's): each of those editions
    refuses it as it renders, and the others must still build. ``check`` asks as for the
    default editions, the PDF among them.

    ``adding`` names files (relative to the brief's folder) about to be written beside the
    source, the images an import takes from a Word file: references to them are not missing.

    ``building`` names the editions a build is about to render: with ``readiness=False``,
    the readiness checks one of them needs (:data:`EDITION_READINESS`) run all the same.
    """
    problems = list(brief.findings)
    for rule_check in CHECKS:
        problems.extend(rule_check(brief))
    problems.extend(check_files(brief, adding=adding, every_edition=every_edition))
    edition_checks = [rule_check for name in building
                      for rule_check in EDITION_READINESS.get(name, [])]
    for rule_check in READINESS if readiness else dict.fromkeys(edition_checks):
        problems.extend(rule_check(brief))
    return problems


def check_structure(brief: Brief) -> list[Problem]:
    """Required top-level sections present, in the document type's order, nothing extra.

    When the sections do not fit the brief's type but fit another type exactly, the one
    finding is that type: moving sections about to fit the wrong type helps no one.
    """
    doctype: DocType = brief.doctype  # type: ignore[assignment]
    problems = _structure(brief, doctype)
    if not problems:
        return []
    fitting = fitting_doctype(brief)
    if fitting is None:
        return problems
    written = [s.title for s in brief.sections if s.generated_from is None]
    shown = ", ".join(written[:4]) + (", …" if len(written) > 4 else "")
    line = brief.front_lines.get(("type",)) or 2
    return [Problem(brief.markdown_path, line,
                    f"the sections ({shown}) do not fit {with_article(doctype.label)} "
                    f"({len(problems)} finding(s)), but they fit {with_article(fitting.label)}",
                    f"set `type: {fitting.name}` in the front matter (`briefpress doctypes` "
                    "lists the sections of each type)")]


def fitting_doctype(brief: Brief) -> DocType | None:
    """Another document type whose sections the brief's fit exactly, when its own type's do
    not; None when its own type fits, or no other does."""
    doctype: DocType = brief.doctype  # type: ignore[assignment]
    if not _structure(brief, doctype):
        return None
    return next((other for other in _other_doctypes(doctype) if not _structure(brief, other)),
                None)


def with_article(label: str) -> str:
    """A type's label in prose, with its article: "a policy brief", "an issue brief"."""
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label.lower()}"


def _other_doctypes(doctype: DocType) -> list[DocType]:
    """Every other document type whose rules can be read, by name."""
    found = []
    for name in known_doctypes():
        if name == doctype.name:
            continue
        try:
            found.append(load_doctype(name))
        except BriefError:
            continue  # a broken rules file is reported when a brief names it
    return found


def _structure(brief: Brief, doctype: DocType) -> list[Problem]:
    """The findings of :func:`check_structure` for ``doctype`` (the brief's or another)."""
    path, problems = brief.markdown_path, []
    written = [s for s in brief.sections if s.generated_from is None]
    written_ids = {s.id for s in written}
    slots: list[tuple[Section, int]] = []
    renamed: dict[str, Section] = {}
    body_slot = next((i for i, r in enumerate(doctype.sections) if r.body), None)
    for section in written:
        rule = doctype.rule(section.id)
        if rule is not None and rule.from_:
            source = "recommendations.yaml" if rule.from_ == "recommendations" else \
                "the authors' `bio` in the front matter"
            problems.append(Problem(path, section.line,
                                    f"section {section.title!r} is generated from {source}",
                                    "remove this heading and its text from brief.md"))
            continue
        if rule is None:
            rule = next((r for r in doctype.sections if r.id and not r.from_
                         and r.id not in written_ids and r.id not in renamed
                         and r.known_as(section.id, section.title)), None)
            if rule is not None and rule.id:
                renamed[rule.id] = section
                problems.append(Problem(
                    path, section.line, f"section {section.title!r} stands where "
                    f"{with_article(doctype.label)} has {rule.title!r}",
                    f"write the heading as `# {rule.title} {{#{rule.id}}}`, or choose the "
                    "type whose sections these are (`briefpress doctypes`)"))
        if rule is not None:
            slots.append((section, doctype.sections.index(rule)))
        elif body_slot is not None:
            slots.append((section, body_slot))
        else:
            problems.append(Problem(path, section.line,
                                    f"extra section {section.title!r}: a {doctype.label.lower()} "
                                    "has no place for it", "remove it or fold it into a section"))

    has_recommendations = any(r.from_ == "recommendations" for r in doctype.sections)
    if brief.recommendations.areas and not has_recommendations:
        problems.append(Problem(brief.recommendations_path, 1,
                                f"{with_article(doctype.label)} has no recommendations",
                                "remove recommendations.yaml, or choose a type with "
                                "recommendations (`briefpress doctypes`)"))
    for index, rule in enumerate(doctype.sections):
        if rule.body or rule.optional or rule.from_ or rule.id in written_ids \
                or rule.id in renamed:
            continue
        problems.append(_missing(brief, index, rule, slots))

    highest = -1
    for section, slot in slots:
        if slot < highest:
            later = next(s for s, k in slots if k == highest)
            problems.append(Problem(path, section.line,
                                    f"section {section.title!r} is out of order: it must come "
                                    f"before {later.title!r}",
                                    f"move it above {_where(later)}"))
        highest = max(highest, slot)

    body = doctype.body_rule()
    if body is not None:
        count = sum(1 for _, slot in slots if slot == body_slot)
        if count < body.min:
            before = _neighbour_title(doctype, body_slot, -1)
            after = _neighbour_title(doctype, body_slot, +1)
            where = next((s.line for s, slot in slots if body_slot is not None
                          and slot > body_slot), None)  # the heading the body must precede
            problems.append(Problem(path, where,
                                    f"the brief has no body: at least {body.min} section(s) must "
                                    f"stand between {before!r} and {after!r}",
                                    "add the argument as `# Heading {#id}` sections there"))
    return problems


def check_date(brief: Brief) -> list[Problem]:
    """A brief without a publication date (a warning: every edition and the catalog show it,
    and a draft may not know it yet); with no ``SOURCE_DATE_EPOCH`` either, the date its
    print edition then carries is named (a press file must carry one: a fixed date, never
    the clock's, see :data:`~briefpress.support.epoch.FALLBACK_DATE`)."""
    if brief.meta.date is not None:
        return []
    message, fix = ("the brief has no publication `date:`",
                    "add `date: YYYY-MM-DD` to the front matter (or YYYY-MM, or YYYY)")
    if _no_epoch():
        message += (f"; its print edition is dated {FALLBACK_DATE[:10]} (a press file "
                    f"carries a date, and a build never takes the clock's)")
        fix += ", or set SOURCE_DATE_EPOCH (seconds since 1970) for the build"
    return [Problem(brief.markdown_path, brief.front_lines.get(("title",)) or 2,
                    message, fix, severity="warning")]


def check_title_typography(brief: Brief) -> list[Problem]:
    """A warning for each straight quote or apostrophe in the title, the subtitle and an
    area's title: they are text, printed as typed (the cover, the page's title, the Word
    file's, the area's label), while the body's are curled (pandoc's ``smart`` reading); a
    publication sets them alike."""
    texts = [(brief.markdown_path, brief.front_lines.get((field,)) or 2, f"the {field}",
              getattr(brief.meta, field) or "") for field in ("title", "subtitle")]
    # an area's title is text too (tester 12: RESCUE'S "CORE" on the PDF's label)
    texts += [(brief.recommendations_path,
               brief.recommendation_lines.get(("areas", index, "title")),
               f"the title of area {area.id!r}", area.title)
              for index, area in enumerate(brief.recommendations.areas)]
    found = []
    for path, line, what, text in texts:
        straight = sorted({c for c in text if c in "'\""})
        if straight:
            found.append(Problem(
                path, line, f"{what} has straight quotes ({' '.join(straight)}), which every "
                f"edition prints as typed (the text's are curled)",
                "write ’ for an apostrophe, and “ ” (or ‘ ’) around a quotation",
                severity="warning"))
    return found


def check_press_date(brief: Brief) -> list[Problem]:
    """:func:`check_date` where the print edition would carry the fixed date: what a build
    of that edition says even of a draft (a printer reads the file's date)."""
    return check_date(brief) if _no_epoch() else []


def _no_epoch() -> bool:
    """Whether no SOURCE_DATE_EPOCH is set; one that is not a number counts as set (a
    build refuses it before anything else, with its own message; check and import, which
    do not read it, go on)."""
    try:
        return source_date_epoch() is None
    except BriefError:
        return False


def check_length(brief: Brief) -> list[Problem]:
    """A body longer than its document type's ``max_words`` (a warning)."""
    doctype: DocType = brief.doctype  # type: ignore[assignment]
    if doctype.max_words is None:
        return []
    words = len(blocks.stringify(brief.body()).split())
    if words <= doctype.max_words:
        return []
    first = next((s.line for s in brief.sections if s.generated_from is None), None)
    return [Problem(brief.markdown_path, first,
                    f"the text has {words} words; {with_article(doctype.label)} has at most "
                    f"{doctype.max_words}", "shorten it, or choose a longer type "
                    "(`briefpress doctypes`)", severity="warning")]


def check_empty(brief: Brief) -> list[Problem]:
    """Sections with a heading and nothing under it; generated sections with nothing to show."""
    problems = []
    doctype: DocType = brief.doctype  # type: ignore[assignment]
    for section in brief.walk():
        rule = doctype.rule(section.id) if section.level == 1 else None
        if section.generated_from == "recommendations":
            if not brief.recommendations.areas:
                # at `areas:` when the file has it (`areas: []`, as an import that removed
                # the last area writes it), else at the top
                line = brief.recommendation_lines.get(("areas",)) or 1
                problems.append(Problem(brief.recommendations_path, line,
                                        "no recommendation areas: the section "
                                        f"{section.title!r} would be empty",
                                        "give `areas:` at least one area with a "
                                        "recommendation under it"))
        elif section.generated_from == "authors":
            if not any(author.bio for author in brief.meta.authors):
                problems.append(Problem(brief.markdown_path, brief.front_lines.get(("authors",)),
                                        f"no author has a bio: the section {section.title!r} "
                                        "would be empty", "add `bio:` under the author"))
        elif not section.blocks and not section.children and not (rule and rule.may_be_empty):
            problems.append(Problem(brief.markdown_path, section.line,
                                    f"section {section.title!r} is empty",
                                    "write its text or remove the heading"))
    return problems


def check_ids(brief: Brief) -> list[Problem]:
    """Every section, area and recommendation id is unique in the brief, compared after
    Unicode NFC normalisation and case folding: ``café`` typed two ways looks the same to an
    author, and Word's bookmarks and many file systems ignore case."""
    seen: dict[str, tuple[str, str, Path, int | None]] = {}
    problems = []
    lines = brief.recommendation_lines
    entries: list[tuple[str, str, Path, int | None]] = [
        (s.id, f"section {s.title!r}", brief.markdown_path, s.line) for s in brief.walk()]
    for a, area in enumerate(brief.recommendations.areas):
        entries.append((area.id, f"recommendation area {area.title!r}",
                        brief.recommendations_path, lines.get(("areas", a, "id"))))
        entries.extend((rec.id, "a recommendation", brief.recommendations_path,
                        lines.get(("areas", a, "recommendations", r, "id")))
                       for r, rec in enumerate(area.recommendations))
    for ident, what, path, line in entries:
        key = id_key(ident)
        if key not in seen:
            seen[key] = (ident, what, path, line)
            continue
        first, other, other_path, other_line = seen[key]
        where = "" if other_line is None else f" (line {other_line})" if other_path == path \
            else f" ({other_path.name} line {other_line})"
        if first == ident:
            problems.append(Problem(path, line, f"duplicate id {ident!r}: {what} has the same "
                                    f"id as {other}{where}", "give one of them another id"))
        else:
            problems.append(Problem(path, line, f"duplicate id {ident!r}: {what} has an id that "
                                    f"differs only in case or Unicode form from {first!r} of "
                                    f"{other}{where}", "give one of them another id (ids are "
                                    "compared ignoring case and Unicode normalisation)"))
    return problems


WORD_ID_RULE = f"starts with a letter and has at most {ID_MAX} characters"
"""What an id the Word edition carries is (a Word bookmark name)."""


def check_word_ids(brief: Brief) -> list[Problem]:
    """Every id of a section, area, recommendation, figure and table is one the Word edition
    carries as its bookmark name (:func:`briefpress.model.ids.word_can_carry`): it starts
    with a letter and has at most 40 characters. The Word edition names any other by a
    digest, so its outline would not match the source and ``build`` would refuse it; the
    fix names an id made from the title, as the import makes one."""
    targets = xref.targets(brief)
    taken = {s.id for s in brief.walk()} | set(targets)
    for area in brief.recommendations.areas:
        taken.add(area.id)
        taken.update(rec.id for rec in area.recommendations)
    problems = []

    def refuse(ident: str, what: str, path: Path, line: int | None, fix: str) -> None:
        problems.append(Problem(path, line, f"{what} has the id {ident!r}, which the Word "
                                f"edition cannot carry: a Word bookmark name {WORD_ID_RULE}", fix))

    for section in brief.walk():
        if section.generated_from is None and not word_can_carry(section.id):
            better = make_id(section.title, taken)
            taken.add(better)
            refuse(section.id, f"section {section.title!r}", brief.markdown_path, section.line,
                   f"write `{{#{better}}}` at the end of its heading line (and the same id in "
                   "every `section:` and `@sec-` that names it)")
    for target in targets.values():
        if target.kind in ("figure", "table") and not word_can_carry(target.anchor):
            prefix = "fig-" if target.kind == "figure" else "tbl-"
            better = make_id(target.anchor, taken, fallback=prefix + "1")
            taken.add(better)
            refuse(target.anchor, f"the {target.kind} {target.label!r}", brief.markdown_path,
                   _line(brief.markdown, re.escape("#" + target.anchor)),
                   f"write `{{#{better}}}` (and the same id in every `@{target.anchor}`)")
    for a, area in enumerate(brief.recommendations.areas):
        entries = [(area.id, f"recommendation area {area.title!r}", area.title, ("areas", a))]
        entries.extend((rec.id, "a recommendation", rec.text, ("areas", a, "recommendations", r))
                       for r, rec in enumerate(area.recommendations))
        for ident, what, title, place in entries:
            line = brief.recommendation_lines.get((*place, "id"))
            if not word_can_carry(ident):
                better = make_id(ident, taken, fallback="") or make_id(title, taken)
                taken.add(better)
                refuse(ident, what, brief.recommendations_path, line, f"use `id: {better}`")
    return problems


def id_key(ident: str) -> str:
    """What two ids are compared by: NFC-normalised and case-folded."""
    return unicodedata.normalize("NFC", ident).casefold()


def check_recommendations(brief: Brief) -> list[Problem]:
    """Every recommendation points at a real section; every area has a recommendation."""
    # once each: duplicate ids are check_ids' finding, not a longer list of choices
    ids = list(dict.fromkeys(s.id for s in brief.walk() if s.generated_from is None))
    problems = []
    path = brief.recommendations_path
    lines = brief.recommendation_lines
    for a, area in enumerate(brief.recommendations.areas):
        if not area.recommendations:
            problems.append(Problem(path, lines.get(("areas", a, "id")),
                                    f"recommendation area {area.title!r} has no recommendation",
                                    "add one under `recommendations:` or remove the area"))
        for r, rec in enumerate(area.recommendations):
            if rec.section in ids:
                continue
            close = difflib.get_close_matches(rec.section, ids, n=1)
            fix = f"did you mean {close[0]!r}?" if close else \
                f"use a section id of brief.md ({', '.join(ids[:6])}…)"
            problems.append(Problem(path, lines.get(("areas", a, "recommendations", r,
                                                     "section")),
                                    f"recommendation {rec.id!r} points at section "
                                    f"{rec.section!r}, which does not exist", fix))
    return problems


def check_links(brief: Brief) -> list[Problem]:
    """Links whose target is not known yet (a warning: the phrase stays a link reference)."""
    return [
        Problem(brief.markdown_path, link.line, f"link {link.text!r} has no target",
                "put its URL in the link's reference definition at the end of brief.md",
                severity="warning")
        for link in brief.links if not link.url.strip()
    ]


def check_placeholders(brief: Brief) -> list[Problem]:
    """The scaffold's placeholder text still in the sources, one warning a value (``check
    --strict`` fails on it, so a brief is not published with "Author Name" on its cover).

    The texts are those templates/new/ marks as placeholders (``scaffold.placeholders``),
    each compared with the value of the field the scaffold wrote it in
    (``scaffold.placeholder_fields``: the subtitle, an author's bio, an area's title, a
    paragraph of the body), as YAML or Markdown reads it (a folded bio is one value), never
    with the rest of the file. See :func:`placeholder_in` for when a value is one.
    """
    from briefpress.scaffold import placeholder_fields, placeholders  # Jinja: only check

    texts = placeholders()
    # a placeholder written inside a sentence of another ("Author Name" in the bio) is a
    # hole there, which the writer fills; one that is a whole sentence of another (a
    # section's paragraph with and without "This section is optional…") is not
    holes = [text for text in texts if any(text in sentence and text != sentence
                                           for other in texts if other != text
                                           for sentence in _sentences(other))]
    front, _, _ = split_front_matter(brief.markdown, brief.markdown_path)
    trees = {"brief.md": (brief.markdown_path, parse_yaml(front, brief.markdown_path, 2)[1], 2),
             "recommendations.yaml": (brief.recommendations_path, parse_yaml(
                 brief.recommendations_text, brief.recommendations_path)[1], 1)}
    found: dict[tuple[int, int], tuple[Path, str]] = {}
    for (name, *loc), wanted in placeholder_fields().items():
        path, tree, first = trees[name]
        values = (_paragraphs(brief) if (name, *loc) == ("brief.md", "body") else
                  [(node.value, node.start_mark.line + first) for node in _scalars(tree, loc)])
        for value, line in values:
            piece = placeholder_in(value, wanted, holes)
            if piece is not None:
                found.setdefault((list(trees).index(name), line or 0), (path, piece))
    return [Problem(path, line or None, f"placeholder text {piece!r} from `briefpress new` is "
                    "still here", "replace it with the brief's own text", severity="warning")
            for (_, line), (path, piece) in sorted(found.items())]


def placeholder_in(value: str, texts: Sequence[str], holes: Sequence[str]) -> str | None:
    """The piece of a placeholder ``value`` still is, else None: one of its sentences is a
    sentence of one of ``texts`` that holds no other placeholder ("Replace this with the
    author's bio.", "First Area", whole), or every one of its sentences is a sentence of
    ``texts`` with the placeholders it holds (``holes``: "Author Name") filled in ("Ana
    Lind is a fellow with the program." alone). A value that only shares words with a
    placeholder ("First Area Studies"), or adds sentences of its own to one that names the
    author ("Ana Lind is a fellow with the program. She studies ..."), is the writer's."""
    patterns = []
    for text in texts:
        for sentence in _sentences(text):
            chunks = [sentence]
            for hole in holes:
                if hole != text and hole in sentence:
                    chunks = [part for chunk in chunks for part in chunk.split(hole)]
            patterns.append(chunks)
    sentences = _sentences(value)
    for sentence in sentences:
        if [sentence] in patterns:
            return sentence
    fitting = [next((c for c in patterns if _fits(s, c)), None) for s in sentences]
    if sentences and all(fitting):
        return max((chunk.strip() for chunk in fitting[0] or []), key=len)
    return None


def _sentences(text: str) -> list[str]:
    """Sentences and clauses (after ``;`` or ``:``) of plain text, spaces and quotes
    made plain."""
    plain = " ".join(text.translate(_PLAIN_QUOTES).split())
    return [s for s in re.split(r"(?<=[.;:])\s+", plain) if s]  # plain text, not markup


_PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _fits(sentence: str, chunks: list[str]) -> bool:
    """Whether ``sentence`` is ``chunks`` with some text between each two (the holes)."""
    if len(chunks) == 1:
        return sentence == chunks[0]
    if not (sentence.startswith(chunks[0]) and sentence.endswith(chunks[-1])):
        return False
    at, end = len(chunks[0]), len(sentence) - len(chunks[-1])
    for chunk in chunks[1:-1]:
        found = sentence.find(chunk, at + 1, end)
        if found < 0 or not sentence[at:found].strip():
            return False
        at = found + len(chunk)
    return bool(sentence[at:end].strip())


def _scalars(node: Any, loc: Sequence[str]) -> list[Any]:
    """The scalar nodes at ``loc`` (keys, ``"*"`` for every item of a list) in a YAML tree:
    their values as YAML reads them (folded lines joined), their marks for the line."""
    if not loc:
        return [node] if isinstance(node, yaml.ScalarNode) else []
    key, rest = loc[0], loc[1:]
    if key == "*" and isinstance(node, yaml.SequenceNode):
        return [found for item in node.value for found in _scalars(item, rest)]
    if isinstance(node, yaml.MappingNode):
        return [found for k, v in node.value if k.value == key for found in _scalars(v, rest)]
    return []


def _paragraphs(brief: Brief) -> list[tuple[str, int | None]]:
    """The text of every paragraph of brief.md's body, with its line (found in order, from
    the end of the front matter)."""
    lines = brief.markdown.splitlines()
    at = brief.front_matter_lines
    found: list[tuple[str, int | None]] = []
    for node in brief.index.find(blocks.Plain, brief.index.body):  # Para too
        text = blocks.stringify(node.content)
        line = line_of(" ".join(text.split()[:6]), lines[at:])
        if line is not None:
            at += line - 1
        found.append((text, at + 1 if line is not None else None))
    return found


MAX_NESTING = limits.NESTING.default
"""Lists and quotes nested deeper than this are refused: no brief needs them, renderers choke
(the limit in force is ``limits.NESTING.value()``)."""

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Tags(HTMLParser):
    """The start and end tags of a raw HTML fragment, in order, each with its text as written:
    ``(closing, name, text)``. Void and self-closed elements are left out."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self.found: list[tuple[bool, str, str]] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.found.append((False, tag, self.get_starttag_text() or f"<{tag}>"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <tag/> closes itself

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # the parser is at the end tag's start: its text runs from there to its ">"
        line, column = self.getpos()
        start = sum(len(row) for row in self.fragment.splitlines(keepends=True)[:line - 1])
        start += column
        end = self.fragment.find(">", start)
        self.found.append((True, tag, self.fragment[start:end + 1 if end >= 0 else None]))


def check_body(brief: Brief) -> list[Problem]:
    """Body text pandoc read but no edition can render well: deep nesting, broken HTML, tables."""
    problems: list[Problem] = []
    lines = brief.markdown.splitlines()
    path = brief.markdown_path

    body = brief.body()
    depth, nesting = _max_depth(body), limits.NESTING.value()
    if depth > nesting:
        problems.append(Problem(path, _deepest_line(lines),
                                f"lists or quotes nested {depth} levels deep (at most "
                                f"{nesting})", f"flatten the list, or {limits.NESTING.how()}"))

    open_tags: list[tuple[str, str]] = []
    for node in brief.index.find((blocks.RawBlock, blocks.RawInline), brief.index.body):
        if node.format == "html":  # type: ignore[attr-defined]
            for closing, name, text in _Tags(node.c[1]).found:
                if not closing:
                    open_tags.append((name, text))
                elif open_tags and open_tags[-1][0] == name:
                    open_tags.pop()
                else:
                    problems.append(Problem(path, _line(brief.markdown, re.escape(text)),
                                            f"raw HTML closes <{name}> that is not open",
                                            "balance the tags, or write it in Markdown"))
    problems.extend(Problem(path, _line(brief.markdown, re.escape(tag)),
                            f"raw HTML opens <{name}> and never closes it",
                            f"add </{name}>, or write it in Markdown")
                    for name, tag in open_tags)

    for block in body:
        if isinstance(block, blocks.Plain) and _starts_with_bar(block.content):  # Para too
            text = blocks.stringify(block.content).strip()
            if text.startswith("|") and text.count("|") >= 4:
                problems.append(Problem(path, _table_line(text, lines),
                                        "this looks like a table, but pandoc could not read it "
                                        "as one", "give every row the same number of cells and "
                                        "a `|---|` line under the header"))
    return problems


_CALL = re.compile(r"\[\^([^\]\s]+)\]")
"""A note call in the text pandoc read: a call without its definition stays as these
characters (a code span's are Code, not Str)."""


def check_notes(brief: Brief) -> list[Problem]:
    """Note calls ``[^label]`` with no definition, in brief.md or in the Markdown held in
    YAML (a recommendation's text, the intro, a bio, whose notes are defined in brief.md):
    pandoc leaves them as text, which every edition would print, and a later import could
    not tie them to a note."""
    problems = [Problem(brief.markdown_path, line, f"note [^{label}] is called but never "
                        f"defined: every edition would print \"[^{label}]\" as text",
                        f"add its definition, `[^{label}]: the note's text`, at the end of "
                        "brief.md, or remove the call")
                for label, line in undefined_notes(brief).items()]
    for part in brief.index.parts_of("fragment"):
        for label in _called(brief, part):
            path, line, what = _fragment_call(brief, part.key, label)
            if line is None:
                continue  # written escaped, ``\[^label]``: brackets as meant
            problems.append(Problem(
                path, line, f"note [^{label}] in {what} is called but never defined: "
                f"every edition would print \"[^{label}]\" as text",
                f"add its definition, `[^{label}]: the note's text`, at the end of "
                "brief.md (the notes of recommendations.yaml and of the bios are defined "
                f"there), write the note inline, `^[the note's text]`, or remove the call"))
    return problems


def _called(brief: Brief, part: Part) -> list[str]:
    """The labels of the note calls pandoc left as text in ``part`` (no definition), each
    once, in order."""
    return list(dict.fromkeys(label for node in brief.index.find(blocks.Str, part)
                              for label in _CALL.findall(node.c)))


def _fragment_call(brief: Brief, key: str, label: str) -> tuple[Path, int | None, str]:
    """The file and line where the YAML fragment ``key`` calls ``[^label]`` unescaped, and
    what the fragment is, in words."""
    if key.startswith("bio:"):
        lines = brief.markdown.splitlines()[:brief.front_matter_lines]
        start = brief.front_lines.get(("authors", int(key.removeprefix("bio:")), "bio")) or 1
        return brief.markdown_path, _call_line(lines, label, start - 1), "an author's bio"
    lines = brief.recommendations_text.splitlines()
    if key.startswith("rec:"):
        ident = key.removeprefix("rec:")
        start = brief.recommendation_line(ident, "text") or 1
        line = _call_line(lines, label, start - 1)
        return brief.recommendations_path, line, f"recommendation {ident!r}"
    start = brief.recommendation_lines.get(("intro",)) or 1
    return (brief.recommendations_path, _call_line(lines, label, start - 1),
            "the recommendations' intro")


def undefined_notes(brief: Brief) -> dict[str, int]:
    """The labels of brief.md's note calls that have no definition, with the line of each
    one's first call (a call written ``\\[^label]``, literal brackets, is none)."""
    lines = brief.markdown.splitlines()
    found: dict[str, int] = {}
    for label in _called(brief, brief.index.body):
        line = _call_line(lines, label, brief.front_matter_lines)
        if line is not None:
            found[label] = line
    return found


def _call_line(lines: list[str], label: str, after: int) -> int | None:
    """The first line past the front matter that calls ``[^label]`` unescaped."""
    call = re.compile(r"(?<!\\)\[\^" + re.escape(label) + r"\](?!:)")
    return next((number for number, line in enumerate(lines, start=1)
                 if number > after and call.search(line)), None)


def _starts_with_bar(inlines: list[blocks.Inline]) -> bool:
    first = next((i for i in inlines if not isinstance(i, (blocks.Space, blocks.SoftBreak))),
                 None)
    return isinstance(first, blocks.Str) and first.c.startswith("|")


def _table_line(text: str, lines: list[str]) -> int | None:
    """Where a paragraph that looks like a table stands (pandoc's smart dashes hide `---`)."""
    words = re.findall(r"\w+", text)
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("|") and all(w in line for w in words[:3]):
            return number
    return None


_NESTING = (blocks.BulletList, blocks.OrderedList, blocks.BlockQuote, blocks.DefinitionList,
            blocks.Div)


def _max_depth(body: list[blocks.Block]) -> int:
    """How deeply lists, quotes and divs nest in ``body`` (notes' blocks included)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(body, 0)]
    while stack:  # iterative: a brief is made of thousands of words
        current, level = stack.pop()
        for item in blocks.children(current):
            if isinstance(item, (blocks.Str, blocks.Space)):
                continue
            here = level + 1 if isinstance(item, _NESTING) else level
            deepest = max(deepest, here)
            stack.append((item, here))
    return deepest


def _deepest_line(lines: list[str]) -> int | None:
    indents = [(len(line) - len(line.lstrip(" >")), number)
               for number, line in enumerate(lines, start=1) if line.strip()]
    return max(indents)[1] if indents else None


CHECKS: list[Callable[[Brief], list[Problem]]] = [
    check_structure, check_empty, check_ids, check_word_ids, check_recommendations, check_links,
    check_body, check_notes, check_safety, check_length, check_citations, check_xrefs,
    check_anchors,
    check_tables,
]

READINESS: list[Callable[[Brief], list[Problem]]] = [check_placeholders, check_date,
                                                     check_title_typography]
"""Checks of whether a draft is ready to publish, which ``build`` does not repeat."""

EDITION_READINESS: dict[str, list[Callable[[Brief], list[Problem]]]] = {
    "print": [check_press_date],
}
"""What of :data:`READINESS` a build says all the same when it renders an edition (by the
edition's name): what that edition would otherwise carry unseen (the press file's date)."""


def compare_outlines(expected: list[OutlineEntry], actual: list[OutlineEntry],
                     label: str, path: object,
                     fix: str = "rebuild it with `briefpress build`") -> list[Problem]:
    """Findings where an output's outline differs from the source's: missing, extra, reordered.

    Entries are matched by id where the output carries ids, by title otherwise; ``fix`` is
    the command that makes the output again.
    """
    use_ids = bool(actual) and all(entry.id for entry in actual)

    def key(entry: OutlineEntry) -> tuple[str, str]:
        name = entry.id if use_ids else " ".join(entry.title.split()).casefold()
        return entry.kind, name

    wanted, got = [key(e) for e in expected], [key(a) for a in actual]
    problems = []
    for entry in expected:
        if key(entry) not in got:
            # an id the Word edition names by a digest (a source check_word_ids refuses)
            named = f"{entry.title!r}" + (f" ({entry.id})" if entry.id != entry.title else "")
            problems.append(Problem(path, None, f"{label} is missing {entry.kind} "
                                    f"{named}", fix if word_can_carry(
                                        entry.id) else f"give it an id that {WORD_ID_RULE} "
                                    "(`briefpress check` names one), then build again"))
    for entry in actual:
        if key(entry) not in wanted:
            problems.append(Problem(path, None, f"{label} has {entry.kind} {entry.title!r} "
                                    "that the source does not have", fix))
    common_wanted = [k for k in wanted if k in got]
    common_got = [k for k in got if k in wanted]
    if common_wanted != common_got:
        first = next(i for i, (a, b) in enumerate(zip(common_wanted, common_got, strict=False))
                     if a != b)
        problems.append(Problem(path, None, f"{label} has its sections out of order: "
                                f"{common_got[first][1]!r} stands where the source has "
                                f"{common_wanted[first][1]!r}", fix))
    return problems


def _missing(brief: Brief, index: int, rule: SectionRule,
             slots: list[tuple[Section, int]]) -> Problem:
    """A required section that is not there, and where the type's order puts it: after the
    last written section whose place comes before its own (a body section, a renamed one),
    else above the first."""
    if rule.from_ == "recommendations":
        return Problem(brief.recommendations_path, None, "the recommendations file is missing",
                       "create recommendations.yaml")
    previous = [section for section, slot in slots if slot < index]
    same_title = next((s for s in brief.walk() if s.title.casefold() == (rule.title or "")
                       .casefold()), None)
    nested = next((s for s in brief.walk() if s.id == rule.id and s.level > 1), None)
    if nested is not None:
        # its id is right, its level is not (a chapter demoted to a subsection in Word)
        parent = next((s for s in brief.walk() if nested in s.children), None)
        under = f" under {parent.title!r}" if parent is not None else ""
        return Problem(brief.markdown_path, nested.line,
                       f"required section {rule.title!r} (#{rule.id}) is a level-{nested.level} "
                       f"heading (`{'#' * nested.level}`){under}, not a top-level one",
                       f"write the heading as `# {nested.title} {{#{rule.id}}}`")
    if same_title is not None:
        return Problem(brief.markdown_path, same_title.line,
                       f"required section {rule.title!r} has id {same_title.id!r}, not {rule.id!r}",
                       f"write the heading as `# {rule.title} {{#{rule.id}}}`")
    if previous:
        after, line = f"after {_where(previous[-1])}", previous[-1].line
    elif slots:
        after, line = f"above {_where(slots[0][0])}", slots[0][0].line
    else:
        after, line = "after the front matter", brief.front_matter_lines + 1
    return Problem(brief.markdown_path, line, f"required section {rule.title!r} is missing",
                   f"add `# {rule.title} {{#{rule.id}}}` {after}")


def _where(section: Section) -> str:
    return f"{section.title!r} (line {section.line})" if section.line else repr(section.title)


def _neighbour_title(doctype: DocType, slot: int | None, step: int) -> str:
    index = (slot or 0) + step
    while 0 <= index < len(doctype.sections):
        if doctype.sections[index].title:
            return doctype.sections[index].title or ""
        index += step
    return "the start" if step < 0 else "the end"


def _line(text: str, pattern: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(pattern, line):
            return number
    return None


def check_with_editions(brief: Brief, build_dir: Path) -> list[Problem]:
    """What ``briefpress check`` reports of a brief: every finding about its source and, when
    the source has no error, about the editions already built from it. A source with an
    error cannot be built, so its editions are not compared: each difference would ask for
    a rebuild that cannot happen until the source is mended."""
    problems = check_brief(brief)
    if any(p.severity == "error" for p in problems):
        return problems
    return problems + check_outputs(brief, build_dir)


def check_outputs(brief: Brief, build_dir: Path) -> list[Problem]:
    """Compare every edition already built for ``brief`` with the source: its outline (an
    edition whose outline differs is stale), else its key, as ``build`` takes it to decide
    what is up to date, with the options and ``SOURCE_DATE_EPOCH`` it was built with and
    the project's config as it is now (an edition built before the last change to its
    inputs is older than them: a warning). Each fix names the command that rebuilds that
    edition, with the options typed for it (plain ``briefpress build`` makes only the
    default formats; what the config decided, it decides again)."""
    from briefpress.support import cache  # the build's record and keys

    problems = []
    expected = brief.outline()
    record = cache.load_record(build_dir / brief.slug)
    older = _Staleness(brief.folder, brief.meta, build_dir)
    for fmt in FORMATS.values():
        output = fmt.output(build_dir, brief.slug)
        if not output.is_file():
            continue
        try:
            module = fmt.load()
        except NotImplementedFormat:
            continue
        edition = record.editions.get(fmt.name)
        command = older.command(fmt, edition)
        try:
            actual = module.read_outline(output)
        except BriefError as exc:  # an edition briefpress made, damaged since: made again
            problems.extend(Problem(p.file, p.line, p.message, f"rebuild it with `{command}`")
                            for p in exc.problems)
            continue
        found = compare_outlines(expected, actual, f"the {fmt.name.upper()} edition", output,
                                 f"rebuild it with `{command}`")
        if len(found) > 1:  # one edition, one rebuild: one line, its first difference named
            more = len(found) - 1
            found = [Problem(output, None, f"{found[0].message}, and {more} more "
                             f"difference{'s' if more > 1 else ''} from the source",
                             found[0].fix)]
        problems.extend(found)
        # its links to the catalog's program and series pages at an id changed since
        for target in getattr(module, "outdated_links", lambda *args: [])(brief, output,
                                                                         build_dir):
            where = ("a page the catalog keeps only while a built page links to it"
                     if target.is_file() else "which is not there")
            problems.append(Problem(
                output, None, f"the {fmt.name.upper()} edition links to "
                f"{display_path(target)}, {where}: the id of its program or series changed "
                f"since it was built", f"rebuild it with `{command}`", severity="warning"))
        if not found:  # else said already
            problems.extend(older.warning(fmt, edition))
    return problems


def stale_editions(folder: Path, meta: Metadata, build_dir: Path,
                   formats: Collection[str]) -> list[Problem]:
    """What ``build`` says after it of the brief's editions of ``formats`` that it did not
    make (a print PDF beside a plain build's editions): each one in ``build_dir`` whose key
    is not the one it was built from, as :func:`check_outputs` finds it (with the options
    and ``SOURCE_DATE_EPOCH`` it was built with), with the command that rebuilds it. No
    edition is read: only the record and the hashes of the inputs. ``meta`` is the brief's
    front matter."""
    from briefpress.support import cache  # the build's record and keys

    record = cache.load_record(build_dir / folder.name)
    older = _Staleness(folder, meta, build_dir)
    return [problem for name in formats
            if FORMATS[name].output(build_dir, folder.name).is_file()
            for problem in older.warning(FORMATS[name], record.editions.get(name))]


class _Staleness:
    """Whether the editions of the brief in ``folder`` (front matter ``meta``) in
    ``build_dir`` are older than their inputs, by their keys, and the command that
    rebuilds each: for ``check`` and for what ``build`` says of the editions it left."""

    def __init__(self, folder: Path, meta: Metadata, build_dir: Path) -> None:
        from briefpress.read.config import config_path, load_config

        self.folder, self.meta, self.build_dir = folder, meta, build_dir
        # the brief by its slug when the slug, typed where the command runs, finds it; else
        # by its path, which builds into its own project's build folder from anywhere
        here = paths.working_content_dir() or paths.ROOT / "content"
        local = (here / folder.name).resolve() == folder.resolve()
        self.target = folder.name if local else display_path(folder)
        self.elsewhere = "" if build_dir.resolve() == paths.build_dir().resolve() else \
            f" --build-dir {display_path(build_dir)}"
        config = load_config(config_path(folder))
        self.page_size = config.page_size if config else None
        self.projects: dict[tuple[str, str], str] = {}  # the project files' hashes, once

    def command(self, fmt: Format, edition: Edition | None) -> str:
        """The command that builds the edition of ``fmt`` again as it was built: with the
        options typed for it, and its ``SOURCE_DATE_EPOCH``."""
        options = edition.options if edition is not None else None
        epoch = f"SOURCE_DATE_EPOCH={edition.epoch} " if edition and edition.epoch else ""
        return (f"{epoch}briefpress build {self.target} --format {fmt.name}"
                f"{_option_flags(fmt.options, options)}{self.elsewhere}")

    def warning(self, fmt: Format, edition: Edition | None) -> list[Problem]:
        """A warning if the recorded ``edition`` of ``fmt`` was built from another key than
        its inputs have now, saying which of them changed; none for an edition built by an
        earlier briefpress (no options recorded: no key to compare)."""
        from briefpress.support import cache  # the build's record and keys

        if edition is None or edition.options is None:
            return []
        keys = cache.EditionKeys(self.folder, edition.options, self.build_dir, FORMATS,
                                 self.meta, self.page_size, epoch=edition.epoch,
                                 projects=self.projects)
        if edition.key == keys.key(fmt.name):
            return []
        name = fmt.name.upper()
        if edition.key == keys.key(fmt.name, edition.shown):
            # its own inputs are what they were: another edition it shows changed
            shown = keys.shown[fmt.name]
            changed = sorted(other.upper() for other in shown.keys() | edition.shown.keys()
                             if shown.get(other) != edition.shown.get(other))
            editions = " and ".join(changed)
            reason = (f"the {editions} edition{'s' if len(changed) > 1 else ''} it lists, "
                      f"built again or removed since it was built")
        else:
            reason = ("its sources (the brief, or the templates, styles, briefpress.yaml or "
                      "brand it is made with, or briefpress itself, changed since it was "
                      "built)")
        return [Problem(fmt.output(self.build_dir, self.folder.name), None,
                        f"the {name} edition is older than {reason}",
                        f"rebuild it with `{self.command(fmt, edition)}`", severity="warning")]


def _option_flags(reads: Collection[str] | None, options: RenderOptions | None) -> str:
    """The command-line options that build an edition again as it was built: those of
    ``options`` (as they were asked) that the format ``reads`` and that were typed; a
    value the project's config or the default gave is left to them."""
    if options is None:
        return ""
    defaults = RenderOptions()
    flags = []
    for name in reads if reads is not None else RenderOptions.__struct_fields__:
        value = getattr(options, name)
        if value is not None and value != getattr(defaults, name):
            flags.append(f" --{name.replace('_', '-')} {value}")
    return "".join(flags)
