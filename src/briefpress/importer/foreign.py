"""Turn a Word file briefpress did not make into a new brief folder, as far as it maps.

There is no base revision and no ids, so nothing is merged: the title block
becomes the front matter, headings become sections (ids from Word's bookmarks,
else from their titles), the body becomes Markdown in the house style, a
"Policy Recommendations" section (or paragraphs in the Recommendation styles)
becomes recommendations.yaml and "About the Author" the authors' bios. What
has no place (the publisher, recommendations' sections) is listed in the report;
what the new brief still lacks is what ``briefpress check`` reports of it, run on the
brief as written with the project's configuration."""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any, Literal

import msgspec
import yaml
from msgspec import Struct, field

from briefpress.check.brief import fitting_doctype, with_article
from briefpress.errors import BriefError, Problem, display_path
from briefpress.importer.citations import strip_marks
from briefpress.importer.docxread import Changes, EditedBlock, read_edited
from briefpress.importer.foreign_style import figure_captions, table_captions, tight_lists
from briefpress.importer.markdown import MarkdownWriter, Piece
from briefpress.importer.pipeline import ImportResult, copy_project, media_bytes, write_report
from briefpress.importer.review import read_review
from briefpress.importer.signature import text_of
from briefpress.importer.sourcemap import SourceMap
from briefpress.importer.splice import Change, Outcome, distinctive_words
from briefpress.importer.typography import house_typography
from briefpress.model import blocks
from briefpress.model.doctype import DocType
from briefpress.model.ids import ID_MAX, make_id, word_can_carry, words_of
from briefpress.model.schema import (
    LANG_PATTERN,
    Author,
    Metadata,
    Publisher,
    Recommendation,
    RecommendationArea,
    Recommendations,
)
from briefpress.read.brief import read_brief, split_front_matter
from briefpress.read.config import config_path, load_config, project_config_path
from briefpress.read.doctype import load_doctype
from briefpress.support import paths
from briefpress.support.docx_open import Package
from briefpress.support.files import scratch_folder
from briefpress.support.fsutil import atomic_write_bytes, atomic_write_text
from briefpress.support.locking import brief_lock

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RECOMMENDATIONS = re.compile(r"^(policy\s+)?recommendations?$", re.IGNORECASE)
_NOT_PEOPLE = {name.casefold() for name in (
    "python-docx", "docx4j", "Apache POI", "pandoc", "LibreOffice", "OpenOffice",
    "OpenOffice.org", "Microsoft Office User", "Microsoft Office", "Microsoft Word", "Word",
    "Windows User", "User", "Author", "Administrator", "Admin", "Owner", "Unknown")}
"""Creators in a Word file's properties that name the program that wrote it, or the
placeholder of an installation, never an author (python-docx writes its own name; Word on
a Mac with no user name, "Microsoft Office User")."""


def _listed(names: list[str]) -> str:
    """``names`` quoted, joined with "and"."""
    quoted = [f'"{name}"' for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


_ABOUT = re.compile(r"^about\s+the\s+authors?$", re.IGNORECASE)
# what a recommendation's `section` says until the author names the section that argues it:
# an id (so recommendations.yaml reads) of no section (so `check` asks for the real one)
NO_SECTION = "section-to-name"


def import_foreign(package: Package, brief: str | None, changes: Changes, dry_run: bool,
                   force: bool, build_dir: Path | None) -> ImportResult:
    """Import a .docx with no briefpress revision into ``content/<slug>/`` (a new folder)."""
    docx = package.path
    core = _core_properties(package)
    edited = read_edited(package, changes)
    found = edited.blocks
    for block in found:  # a briefpress file whose properties were lost: its citations' marks
        block.block = strip_marks([block.block])[0]  # are nothing to a new brief
    # the straight quotes of the body, the title and the subtitle as a brief's Markdown
    # reads the body's: the title and subtitle are printed as written, so they are written
    # curled as the text around them prints (tester 12); people's names stay as typed
    typography = house_typography([b for b in found if not b.cls.startswith("meta:")
                                   or b.cls in ("meta:title", "meta:subtitle")],
                                  edited.api_version).notice()
    styled = [typography] if typography else []
    found, captioned = table_captions(found)  # "Table 1: …" beside its table
    styled += captioned
    found, captioned = figure_captions(found)  # "Figure 1: …" beside its picture
    styled += captioned
    tight_lists(found)  # Word has no loose lists
    title = next((text_of([b.block]) for b in found if b.cls == "meta:title"), "") or \
        core.get("title", "") or next((text_of([b.block]) for b in found if b.cls == "heading"),
                                      "") or docx.stem
    slug = _slug_for(brief, title, docx)
    folder = Path(brief) if brief and "/" in brief else paths.content_dir() / slug
    if (folder / "brief.md").exists():
        raise BriefError(Problem(docx, None, f"this .docx was not made by briefpress, and "
                                 f"{display_path(folder)} already holds a brief",
                                 "import it as a new brief: --brief NEW-SLUG (briefpress can "
                                 "only merge a file it made into an existing brief)"))
    defaults = project_defaults()
    converted = _convert(found, title, core, edited.api_version, defaults, styled)
    review = read_review(package)
    result = ImportResult(docx, slug, folder, changes, "", converted.markdown, "",
                          converted.recommendations, converted, review, "", "",
                          new_folder=True, api_version=edited.api_version)
    result.forced = []
    media = media_bytes(result)
    build_dir = build_dir or paths.build_dir()
    with scratch_folder("briefpress-import-") as scratch:
        # the new brief checked before it is written, in a copy of the project (its
        # briefpress.yaml and what that names) so that the project's config applies
        trial = trial_folder(Path(scratch) / "first", folder)
        _write_brief(trial, converted, media)
        fitting = _fitting_type(trial)
        if fitting is not None:
            # the sections are another type's (a short text with no recommendations is a
            # commentary): the brief is made of that type, which the report says
            converted = _convert(found, title, core, edited.api_version,
                                 msgspec.structs.replace(defaults, type=fitting.name), styled)
            converted.notices.insert(0, f"the sections fit {with_article(fitting.label)}, not "
                                     f"the project's default type: `type: {fitting.name}`")
            result = ImportResult(docx, slug, folder, changes, "", converted.markdown, "",
                                  converted.recommendations, converted, review, "", "",
                                  new_folder=True, api_version=edited.api_version)
            result.forced = []
            trial = trial_folder(Path(scratch) / "typed", folder)
            _write_brief(trial, converted, media)
        if dry_run:
            result.todo = _still_needed(trial, folder, build_dir)
            return result
    with brief_lock(build_dir, slug):
        _write_brief(folder, converted, media)
        result.written = True
        # what `briefpress check SLUG` reports of the brief just written
        result.todo = _still_needed(folder, folder, build_dir)
        write_report(result, build_dir)
    return result


def trial_folder(root: Path, folder: Path) -> Path:
    """Where to write the new brief of ``folder`` for a trial: under ``root``, made a copy of
    what a read of the brief takes from its project (the project's briefpress.yaml, the
    brands and the citation style it names: :func:`copy_project`), so that the trial is read
    with the project's configuration, as ``folder`` will be. Copies, not links: nothing the
    trial writes, nor the removal of ``root``, reaches the project."""
    content = folder.parent.name or "content"
    root.mkdir(parents=True)
    # a configuration with a mistake is copied alone: the trial's read reports it, as
    # `check` will
    with contextlib.suppress(BriefError):
        copy_project(config_path(folder).parent, root)
    return root / content / folder.name


def _write_brief(folder: Path, converted: Outcome, media: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in media.items():
        atomic_write_bytes(folder / name, data)
    if converted.recommendations:  # a type without recommendations has no such file
        atomic_write_text(folder / "recommendations.yaml", converted.recommendations)
    atomic_write_text(folder / "brief.md", converted.markdown)


def _fitting_type(trial: Path) -> DocType | None:
    """The document type the new brief's sections fit, when the default type's do not."""
    try:
        return fitting_doctype(read_brief(trial))
    except BriefError:
        return None


def _still_needed(trial: Path, folder: Path, build_dir: Path) -> list[Problem]:
    """What ``briefpress check`` reports as errors of the new brief (read from ``trial``,
    named as ``folder``), in file order: what the author must still do. The same checks as
    ``check``, on the brief as written, so that doing what the list says is enough."""
    from briefpress.check.brief import check_with_editions  # only this import checks

    try:
        brief = read_brief(trial)
    except BriefError as exc:  # what `check` reports of a brief it cannot read (exit 2)
        found = exc.problems
    else:
        found = [p for p in check_with_editions(brief, build_dir) if p.severity == "error"]
    named = [Problem(_named(Path(p.file), trial, folder), p.line, p.message, p.fix,
                     severity=p.severity) for p in found]
    # top to bottom: brief.md before recommendations.yaml, line by line, whole-file last
    order = {"brief.md": 0, "recommendations.yaml": 1}
    return sorted(named, key=lambda p: (order.get(Path(p.file).name, 2), p.line is None,
                                        p.line or 0))


def _named(path: Path, trial: Path, folder: Path) -> Path:
    """``path`` of the trial copy, named as the file of the project it stands for."""
    if trial == folder:
        return path
    if path.is_relative_to(trial):
        return folder / path.relative_to(trial)
    root, project = trial.parent.parent, config_path(folder).parent
    return project / path.relative_to(root) if path.is_relative_to(root) else path


class NewBriefDefaults(Struct, frozen=True):
    """What a new brief of this project starts with, as ``briefpress new`` writes it."""

    type: str = "policy-brief"
    """Its document type."""
    lang: str = "en-US"
    """Its language: the project's `lang:` (briefpress.yaml), which ``briefpress new``
    writes, else en-US. A Word file that names its own language in its properties keeps
    that."""
    publisher: Publisher | None = None
    """The publisher templates/new/ writes into a new brief's front matter."""
    project_publisher: Publisher | None = None
    """The publisher of the project's briefpress.yaml, which every brief of the project
    takes: a brief then needs none of its own."""


def project_defaults() -> NewBriefDefaults:
    """The document type, language and publisher a new brief of this project starts with:
    those ``briefpress new`` writes (the project's briefpress.yaml, else templates/new/),
    when it names them, and the publisher of briefpress.yaml."""
    # only a foreign import needs the template engine: a briefpress file's import is spared it
    from jinja2 import TemplateError

    from briefpress.scaffold import new_files

    config = load_config(project_config_path(paths.content_dir()))
    project = NewBriefDefaults(lang=(config.lang if config else None) or "en-US",
                               project_publisher=config.publisher if config else None)
    try:
        text = new_files("imported")["brief.md"]
        front, _, _ = split_front_matter(text, paths.TEMPLATES / "new" / "brief.md.j2")
        data = yaml.safe_load(front)
    except (OSError, BriefError, TemplateError, yaml.YAMLError):
        return project
    if not isinstance(data, dict):
        return project
    if isinstance(data.get("type"), str) and data["type"]:
        project = msgspec.structs.replace(project, type=data["type"])
    if isinstance(data.get("lang"), str) and re.fullmatch(LANG_PATTERN, data["lang"]):
        project = msgspec.structs.replace(project, lang=data["lang"])
    if data.get("publisher") and project.project_publisher is None:
        try:
            publisher = msgspec.convert(data["publisher"], Publisher)
        except msgspec.ValidationError:
            return project  # a template's publisher no brief could take: none is written
        project = msgspec.structs.replace(project, publisher=publisher)
    return project


def has_recommendations_type(defaults: NewBriefDefaults) -> bool:
    """Whether the document type of ``defaults`` has recommendations."""
    rules = load_doctype(defaults.type)
    return any(r.from_ == "recommendations" for r in rules.sections)


def _slug_for(brief: str | None, title: str, docx: Path) -> str:
    if brief:
        name = Path(brief).name
        if not _SLUG.match(name):
            raise BriefError(Problem(docx, None, f"{name!r} is not a valid slug",
                                     "use lowercase letters, digits and hyphens"))
        return name
    # spelt as ids are ("Über die Häfen" gives uber-die-hafen, "the ROK's Role" the-roks-role)
    words = words_of(title)[:6] or words_of(docx.stem)[:6] or ["imported"]
    return "-".join(words)


def _core_properties(package: Package) -> dict[str, str]:
    root = package.xml("docProps/core.xml")
    found: dict[str, str] = {}
    if root is None:
        return found
    for node in root:
        name = node.tag.rsplit("}", 1)[-1]
        if node.text and node.text.strip():
            found[name] = node.text.strip()
    return found


def _convert(edited: list[EditedBlock], title: str, core: dict[str, str],
             api: list[int], defaults: NewBriefDefaults, styled: list[str]) -> Outcome:
    """brief.md and recommendations.yaml for the blocks of a foreign document; ``styled``,
    the notices of what was made the house's (:mod:`.foreign_style`)."""
    writer = MarkdownWriter(SourceMap([]), "\u2014", api, grid_headerless=True)
    notices: list[str] = list(styled)
    changes: list[Change] = []
    subtitle = [text_of([b.block]) for b in edited if b.cls == "meta:subtitle"]
    authors = [text_of([b.block]) for b in edited if b.cls == "meta:author"]
    program = [text_of([b.block]) for b in edited if b.cls == "meta:program"]
    series = [text_of([b.block]) for b in edited if b.cls == "meta:series"]
    body = [b for b in edited if not b.cls.startswith("meta:") and b.cls != "generated"]
    # the title block's Date paragraph (Word's own style): the brief's `date:`, when it
    # reads as a date; else it stays a paragraph, as it was
    dated = next(((b, found) for b in body[:_TITLE_BLOCK] if b.paragraphs
                  and b.paragraphs[0].style.casefold() == "date"
                  and (found := _date_of(text_of([b.block]))) is not None), None)
    if dated is not None:
        body.remove(dated[0])
    # no Author paragraphs: a byline of the title block ("By A and B") names the authors
    title_block = next((body[:index] for index, b in enumerate(body) if b.cls == "heading"),
                       [])[:_TITLE_BLOCK]
    byline = None if authors else next(
        (b for b in title_block if b.cls == "body" and _byline_names(text_of([b.block]))),
        None)
    if byline is not None:
        body.remove(byline)
        authors = _byline_names(text_of([byline.block]))
        notices.append(f"the author{'s' if len(authors) > 1 else ''} {_listed(authors)} "
                       f"{'were' if len(authors) > 1 else 'was'} read from the byline "
                       f"\"{' '.join(text_of([byline.block]).split())}\": check `authors` in "
                       "brief.md")
    # else the properties' creator: whoever created the file (a colleague, a template's
    # maker), or the program that wrote it, not always the author: said in a notice
    creators = [] if authors else [
        a.strip() for a in re.split(r"[;,]", core.get("creator", "")) if a.strip()]
    authors = authors or [a for a in creators if a.casefold() not in _NOT_PEOPLE]
    tools = [a for a in creators if a.casefold() in _NOT_PEOPLE]

    sections = _split_sections(body)
    with_recommendations = has_recommendations_type(defaults)
    # a type without recommendations keeps a "Policy Recommendations" section, and
    # Recommendation-styled paragraphs, in brief.md as text: nothing of the file is lost
    recs_section = next((s for s in sections if _RECOMMENDATIONS.match(s[0])), None) \
        if with_recommendations else None
    about = next((s for s in sections if _ABOUT.match(s[0])), None)
    styled_recs = [b for b in body if b.cls in ("rec", "area")] if with_recommendations \
        else []
    areas = _areas(styled_recs or (recs_section[2] if recs_section else []), notices, writer)
    # the section's text that is no recommendation (every block but its lists and area
    # headings) opens it in the PDF: recommendations.yaml's `intro:`
    intro_blocks = [b for b in (recs_section[2] if recs_section else []) if b.cls == "body"
                    and not styled_recs and not _items(b)]
    bios = [b for b in (about[2] if about else []) if b.cls in ("body", "bio")]

    pieces: list[Piece] = []
    ids: set[str] = set()
    for heading, header, content in sections:
        if (recs_section and heading == recs_section[0]) or (about and heading == about[0]):
            continue
        if header is not None:
            ident = _heading_id(header, heading, ids)
            pieces.append(Piece([blocks.Header((header.level, blocks.attr(ident),
                                                header.block.content))]))
        for block in content:
            if block.cls == "bio" or (block.cls in ("rec", "area") and with_recommendations):
                continue
            pieces.append(Piece([block.block]))
    intro_piece = Piece([b.block for b in intro_blocks]) if intro_blocks else None
    bio_piece = Piece([b.block for b in bios]) if bios else None
    rec_pieces = [piece for area in areas for piece in area.pieces]
    extra = [p for p in (intro_piece, bio_piece) if p is not None]
    writer.write_pieces(pieces + rec_pieces + extra)

    # the language the file's properties name (rarely any: Word and python-docx write none),
    # else the project's. Not the styles' default proofing language: that is the writing
    # program's or template's setting (python-docx's and Word's own say en-US), which would
    # override the project's `lang:` for nearly every file.
    lang = core.get("language", "")
    if not re.fullmatch(LANG_PATTERN, lang):
        lang = defaults.lang
    # the bios are one text: the first author's, until the author shares it out
    people = [Author(name=name, bio=bio_piece.markdown if number == 0 and bio_piece else None)
              for number, name in enumerate(authors or [NO_AUTHOR])]
    meta = Metadata(title=title, subtitle=subtitle[0] if subtitle else None, type=defaults.type,
                    lang=lang, program=program[0] if program else None,
                    series=series[0] if series else None, authors=people,
                    publisher=defaults.publisher or defaults.project_publisher or _NO_PUBLISHER,
                    date=dated[1][0] if dated else None,
                    date_precision=dated[1][1] if dated else "day")
    if not authors and tools:
        notices.append(f"no author in the Word file (its properties name "
                       f"{_listed(tools)} as its creator, the program or a placeholder, not a "
                       f"person): `authors` says \"{NO_AUTHOR}\"; put the real names there")
    elif not authors:
        notices.append(f"no author in the Word file: `authors` says \"{NO_AUTHOR}\"; "
                       "put the real names there")
    elif creators:
        notices.append(f"the author{'s' if len(authors) > 1 else ''} {_listed(authors)} "
                       f"{'were' if len(authors) > 1 else 'was'} taken from the Word file's "
                       "properties (its creator, who made the file, not always its author): "
                       "check `authors` in brief.md")
    if defaults.project_publisher is not None:
        notices.append("the Word file does not name the publisher: the project's "
                       "(briefpress.yaml) applies; check it")
    elif defaults.publisher is not None:
        notices.append("the Word file does not name the publisher: the project's default "
                       "(what `briefpress new` writes) was used; check it")
    else:
        notices.append("the Word file does not name the publisher: add `publisher:` (name, "
                       "address, url) to the front matter of brief.md")
    # the project's publisher applies without being written; with none, `check` asks for it
    own_publisher = defaults.publisher is not None and defaults.project_publisher is None
    written = _builtins(meta, keep=("type", "lang"), leave=("date_precision", "date")
                        + (() if own_publisher else ("publisher",)))
    if meta.date is not None:  # as an author writes it: to its precision, unquoted
        written["date"] = {"day": meta.date, "month": meta.date_iso(),
                           "year": meta.date.year}[meta.date_precision]
    body_lines: list[str] = []
    previous: type | None = None
    for piece in pieces:  # the body, in order
        kind = type(piece.blocks[0]) if len(piece.blocks) == 1 and isinstance(
            piece.blocks[0], blocks.BulletList | blocks.OrderedList) else None
        if kind is not None and kind is previous:
            # two Word lists one right after the other would read as one (pandoc's own way)
            body_lines.extend(["", "<!-- -->"])
        body_lines.extend(["", piece.markdown])
        previous = kind
    markdown = ("---\n" + dump_yaml(written) + "---\n\n"
                + "\n".join(body_lines).lstrip("\n") + "\n")
    definitions = writer.definitions
    tail = [f"[^{label}]: {text}" for label, text in definitions.new_notes.items()]
    tail += [f"[{label}]: {url or '<>'}" for label, url in definitions.new_links.items()]
    if tail:
        markdown += "\n" + "\n".join(tail) + "\n"

    recommendations = Recommendations(
        intro=intro_piece.markdown if intro_piece is not None else None,
        areas=[RecommendationArea(id=area.id, title=area.title, recommendations=[
            Recommendation(id=rec_id, text=piece.markdown, section=NO_SECTION)
            for rec_id, piece in zip(area.ids, area.pieces, strict=True)]) for area in areas])
    if areas:
        notices.append(f"each recommendation's `section` is `{NO_SECTION}`, which no section "
                       "is: set it to the id of the section of brief.md that argues the "
                       "recommendation (`briefpress check` names each)")
        notices.append("each recommendation's id was made from its distinctive words ("
                       + ", ".join(f"`{i}`" for area in areas for i in area.ids)
                       + "): review them in recommendations.yaml (the id is how links and "
                       "readers will know it)")
    if not areas and recs_section is not None:
        kept = "its text became the `intro:` of recommendations.yaml" if intro_piece \
            else "it is empty"
        notices.append(f"the \"{recs_section[0]}\" section holds no list of recommendations: "
                       f"{kept}; add the recommendations under `areas:` (an area's `id`, "
                       "`title` and `recommendations`, each an `id`, `section` and `text`)")
    elif not with_recommendations:
        kept = [title for title, header, content in sections if _RECOMMENDATIONS.match(title)
                or any(b.cls in ("rec", "area") for b in content)]
        if kept:
            shown = ", ".join(f"\"{title}\"" for title in kept)
            label = load_doctype(defaults.type).label
            notices.append(f"{with_article(label)} has no recommendations: the section(s) "
                           f"{shown} stay in brief.md as part of the text")
    elif not areas:
        notices.append("no recommendations found (no \"Policy Recommendations\" section and "
                       "no paragraph in the Recommendation style): recommendations.yaml has "
                       "none")
    if about is None and not bios:
        notices.append("no \"About the Author\" section: add each author's `bio`")
    for heading, header, _ in sections:
        if header is not None:
            changes.append(Change(None, "section imported", "", heading))
    recs_text = ("# Policy recommendations imported from a Word file; their ids were made "
                 "from their text.\n" + dump_yaml(_builtins(recommendations, keep=("areas",)))
                 if with_recommendations else "")
    outcome = Outcome(markdown, recs_text, [], changes, notices, dict(writer.media))
    return outcome


_TITLE_BLOCK = 4
"""How many paragraphs of the body a Date paragraph may stand among (the title block's)."""

_DATE_FORMATS = (("%B %d, %Y", "day"), ("%d %B %Y", "day"), ("%Y-%m-%d", "day"),
                 ("%B %Y", "month"), ("%Y-%m", "month"), ("%Y", "year"))
"""The ways a Word file's Date paragraph writes a date that its import reads: "July 28,
2014", "28 July 2014", "2014-07-28", "July 2014", "2014-07", "2014" (English month names)."""


def _date_of(text: str) -> tuple[datetime.date, Literal["day", "month", "year"]] | None:
    """The date a Date paragraph's text says, and to what precision; None if none of
    :data:`_DATE_FORMATS` reads it (it then stays a paragraph)."""
    cleaned = " ".join(text.split())
    for pattern, precision in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(cleaned, pattern).date(), precision
        except ValueError:
            continue
    return None


_BYLINE = re.compile(r"^By\s+\S", re.IGNORECASE)
"""A paragraph of the title block that opens with "By": a byline."""


def _byline_names(text: str) -> list[str]:
    """The names of a byline: "By Ingrid Solberg and Tomás Ferreira" → both; commas and
    "and" (or "&") between them. None (an empty list) for a paragraph that only opens with
    "By" ("By 2030, the ports…"): a byline is short, and each name a few capitalised words
    with no digit."""
    line = " ".join(text.split())
    if not _BYLINE.match(line) or len(line) > 160:
        return []
    names = [name.strip() for name in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+",
                                               re.sub(r"^By\s+", "", line, flags=re.I))
             if name.strip()]
    if not names or not all(_NAME.match(name) and name[0].isupper()
                            and name.split()[-1][0].isupper() for name in names):
        return []
    return names


_NAME = re.compile(r"^(?:[^\W\d_][\w.'’-]*)(?: [^\W\d_][\w.'’-]*){0,5}$")
"""A person's name as a byline writes it: one to six words of letters, no digit."""


NO_AUTHOR = "Author Name"
"""The author of a Word file that names none: the name ``briefpress new`` writes for the
writer to replace, so that ``check`` warns of it (and ``check --strict`` fails) until the
real names are in, and no edition goes out by an author of that name unnoticed."""

_NO_PUBLISHER = Publisher(name="no publisher")
"""The publisher of the front matter's record when neither the Word file, the project's
briefpress.yaml nor templates/new/ names one: never written (``check`` asks for the
brief's)."""


_KEY_ORDER: dict[type[Struct], tuple[str, ...]] = {Recommendation: ("id", "section", "text")}
"""Records whose keys a brief writes in another order than the schema's: a recommendation's
``section`` beside its id, before a text of many lines (as templates/new/ writes it, and the
section is what the author of an imported brief must fill in)."""


def _builtins(record: Struct, keep: Collection[str] = (), leave: Collection[str] = ()
              ) -> dict[str, Any]:
    """``record`` as the builtins ``msgspec.to_builtins`` makes of it, without the fields an
    author leaves out (at their default: no subtitle, no ORCID iD, ``organization: false``)
    but those of ``keep`` (at the top), and without those of ``leave``, in the schema's
    order (:data:`_KEY_ORDER`'s, for its records); records within it the same way."""
    written: dict[str, Any] = {}
    order = _KEY_ORDER.get(type(record), ())
    for spec in sorted(msgspec.structs.fields(record),
                       key=lambda spec: order.index(spec.name) if spec.name in order else 0):
        value = getattr(record, spec.name)
        default = (spec.default_factory() if spec.default_factory is not msgspec.NODEFAULT
                   else spec.default)
        if spec.name in leave or (spec.name not in keep and value == default):
            continue
        written[spec.encode_name] = _builtin(value)  # the name YAML reads back
    return written


def _builtin(value: Any) -> Any:
    if isinstance(value, Struct):
        return _builtins(value)
    if isinstance(value, list):
        return [_builtin(item) for item in value]
    return msgspec.to_builtins(value)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing a text of several lines (a bio, the intro, a
    recommendation of two paragraphs) as a literal block, ``|``, as an author would: its
    lines as they are read."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # PyYAML falls back to quotes where a block cannot hold the text (trailing spaces)
    return dumper.represent_scalar("tag:yaml.org,2002:str", text,
                                   style="|" if "\n" in text else None)


_Dumper.add_representer(str, _text)


def dump_yaml(data: dict[str, Any]) -> str:
    """``data`` as YAML a new brief is written in: its keys in the order given, a value on
    one line (quoted only where YAML needs it), a text of several lines as a block."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=2**31)


def _split_sections(found: list[EditedBlock]) -> list[tuple[str, EditedBlock | None,
                                                             list[EditedBlock]]]:
    """(title, heading block, content) of each top-level run under a heading."""
    sections: list[tuple[str, EditedBlock | None, list[EditedBlock]]] = []
    for block in found:
        if block.cls == "heading":
            sections.append((text_of([block.block]), block, []))
        elif sections:
            sections[-1][2].append(block)
        else:
            sections.append(("", None, [block]))
    return sections


def _heading_id(block: EditedBlock, title: str, taken: set[str]) -> str:
    """The heading's bookmark if it is a usable id, else one made from its title."""
    wanted = next((b for b in block.ids if _usable(b)), None)
    return _unique_id(wanted or title, taken)


def _unique_id(text: str, taken: set[str], fallback: str = "section") -> str:
    """``text`` if it is an id every edition carries, else one made of its words; numbered
    if taken."""
    # a usable id's words are itself
    ident = make_id(text, taken, words=ID_MAX if _usable(text) else 6, fallback=fallback)
    taken.add(ident)
    return ident


def _usable(ident: str) -> bool:
    """An id as the Word file names it that the brief can keep (a slug that every edition
    carries)."""
    return bool(_SLUG.match(ident)) and word_can_carry(ident)


def _items(block: EditedBlock) -> list[list[blocks.Block]]:
    """The items of a list; none for any other block."""
    if isinstance(block.block, blocks.BulletList | blocks.OrderedList):
        return block.block.items
    return []


class _Area(Struct):
    """A recommendation area of a foreign document, with its recommendations."""

    id: str
    title: str
    pieces: list[Piece] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


def _areas(found: list[EditedBlock], notices: list[str],
           writer: MarkdownWriter) -> list[_Area]:
    """Areas (headings or Recommendation Area paragraphs) with their recommendations."""
    areas: list[_Area] = []
    ids: set[str] = set()

    def area(title: str) -> _Area:
        areas.append(_Area(_unique_id(title, ids), title))
        return areas[-1]

    texts = [text_of(item) for block in found if block.cls not in ("area", "heading")
             for item in ([[block.block]] if block.cls == "rec" else _items(block))]
    current: _Area | None = None
    previous: EditedBlock | None = None
    for block in found:
        if block.cls in ("area", "heading"):
            current, previous = area(text_of([block.block])), None
            continue
        if block.continues and current is not None and current.pieces and \
                previous is not None and previous.cls == "rec":
            current.pieces[-1].blocks.append(block.block)  # the one before goes on
            continue
        previous = block
        items = [[block.block]] if block.cls == "rec" else _items(block)
        if not items:
            continue
        if current is None:
            current = area("Recommendations")
        for item in items:
            # ids from distinctive words, numbered on collision (see the notice below)
            current.ids.append(_unique_id(distinctive_words(text_of(item), texts), ids,
                                          fallback="recommendation"))
            current.pieces.append(Piece(item))
    return areas
