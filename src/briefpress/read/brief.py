"""Turn a brief's source folder (brief.md + recommendations.yaml) into a Brief."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpress import pandoc, parses
from briefpress.errors import BriefError, Problem
from briefpress.read.yamlfile import node_line, parse_yaml, validate
from briefpress.support.paths import content_dir

if TYPE_CHECKING:
    from briefpress.model.brief import Brief, Link, Section
    from briefpress.model.doctype import DocType

# Everything up to pandoc's start loads without msgspec (the model, the document types and
# the schemas are msgspec Structs): it loads while pandoc parses.

MAX_SOURCE_BYTES = 2_000_000
"""A brief's Markdown or YAML larger than this is refused (the real brief is 28 kB)."""

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def find_brief(name: str | Path) -> Path:
    """The folder of a brief, given its slug or a path to the folder or its brief.md."""
    candidate = Path(name)
    if candidate.name == "brief.md":
        candidate = candidate.parent
    if not candidate.is_dir():
        candidate = content_dir() / str(name)
    if not (candidate / "brief.md").is_file():
        known = ", ".join(all_slugs()) or "none"
        raise BriefError(Problem(candidate / "brief.md", None, f"no brief named {str(name)!r}",
                                 f"give a slug from content/ ({known}) or a folder with brief.md"))
    return candidate


def all_slugs() -> list[str]:
    """Slugs of every brief under content/."""
    root = content_dir()
    return sorted(p.parent.name for p in root.glob("*/brief.md")) if root.is_dir() else []


def read_brief(name: str | Path, html: tuple[str, ...] = (), recorded: bool = False) -> Brief:
    """Read, parse and validate one brief; raise BriefError for input that cannot be used.

    ``html`` names the HTML variants of its parts to render in the same pandoc run
    (``pandoc.HTML_VARIANTS``; a renderer asks for the one it needs). With ``recorded``,
    a parse the build of a Word file recorded (parses.py) stands in for pandoc's.
    """
    return start_reading(name, html, recorded=recorded).finish()


def is_current(brief: Brief) -> bool:
    """Whether brief.md and recommendations.yaml still hold the texts ``brief`` was read from
    (an import may have rewritten them since, one file after the other)."""
    def text(path: Path) -> str:
        try:
            return path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
        except FileNotFoundError:
            return ""

    return (text(brief.markdown_path), text(brief.recommendations_path)) == \
        (brief.markdown, brief.recommendations_text)


def start_reading(name: str | Path, html: tuple[str, ...] = (),
                  draft: pandoc.Draft | None = None, recorded: bool = False) -> Reading:
    """Read a brief's files and start pandoc on its Markdown (and on ``html``, the HTML
    variants to render, as in :func:`read_brief`); ``finish()`` gives the Brief.

    pandoc runs while the caller goes on (importing renderers, validating the YAML). With
    ``draft``, the run goes on to write that edition (the Word file) from the plan
    ``finish()`` sends it; the Brief's ``drafts`` holds the run. With ``recorded`` (an
    import), a parse recorded for the same text (parses.py) stands in for a pandoc run.
    """
    folder = find_brief(name)
    md_path, recs_path = folder / "brief.md", folder / "recommendations.yaml"
    markdown = read_text(md_path)
    front, body, body_first_line = split_front_matter(markdown, md_path)
    data, node = parse_yaml(front, md_path, first_line=2)
    recs_text, recs = "", None
    if recs_path.is_file():  # one the document type needs but is not there: finish() says so
        recs_text = read_text(recs_path)
        recs = parse_yaml(recs_text, recs_path)

    # Blank lines stand in for the front matter so pandoc's view keeps brief.md's line numbers;
    # the Markdown held in YAML (recommendations, bios) rides along in the same pandoc call,
    # after the body, so that it shares the body's link definitions.
    padded = "\n" * (body_first_line - 1) + body
    snippets = fenced_extras(yaml_markdown(data, recs[0] if recs else None))
    pandoc_input = padded + "\n\n" + snippets
    known = parses.recorded(pandoc_input) if recorded and not html else None
    job: pandoc.ParseJob | pandoc.DraftJob | pandoc.Done
    if known:
        job = pandoc.Done(known)
    elif draft:
        job = pandoc.DraftJob(pandoc_input, str(md_path), html, draft)
    else:
        job = pandoc.start_parse(pandoc_input, source=str(md_path), html=html)
    return Reading(folder, markdown, recs_text, (data, node), recs, body_first_line, padded,
                   pandoc_input, job)


class Reading:
    """A brief whose files are read and whose Markdown pandoc is parsing."""

    def __init__(self, folder: Path, markdown: str, recs_text: str, front: tuple[Any, Any],
                 recs: tuple[Any, Any] | None, body_first_line: int, padded: str,
                 pandoc_input: str,
                 job: pandoc.ParseJob | pandoc.DraftJob | pandoc.Done) -> None:
        self.folder, self.markdown, self.recs_text = folder, markdown, recs_text
        self.front = front
        self.recs = recs
        """recommendations.yaml parsed (data, node tree), or None if the brief has none."""
        self.body_first_line, self.padded, self.pandoc_input = body_first_line, padded, \
            pandoc_input
        self.job = job

    def finish(self) -> Brief:
        """Validate the YAML, wait for pandoc, and assemble the Brief."""
        from briefpress.model.brief import Brief
        from briefpress.model.schema import Metadata, Recommendations

        md_path = self.folder / "brief.md"
        try:
            doctype = self._doctype()
            meta, findings = validate(Metadata, *self.front, md_path, first_line=2)
            recommendations = Recommendations()
            if self.recs is not None:
                recommendations, more = validate(Recommendations, *self.recs,
                                                 self.folder / "recommendations.yaml")
                findings += more
            parsed = self.job.result()
        except BaseException:
            self.cancel()
            raise
        ast, lines = parsed.ast, self.padded.splitlines()
        findings += [Problem(md_path, w.line, f"pandoc: {w.message}",
                             "mend the Markdown at that line", severity="warning")
                     for w in parsed.warnings
                     if not w.message.startswith("Duplicate identifier")  # check_ids reports it
                     and (w.line is None or w.line <= len(lines))]
        fragments = split_extras(ast)
        sections, stray = build_sections(ast["blocks"], heading_lines(lines))
        if stray is not None:
            findings.append(Problem(md_path, stray, "text before the first section heading",
                                    "start the brief with `# Executive Summary` or move the "
                                    "text into a section"))
        sections = add_generated_sections(sections, doctype, meta)
        brief = Brief(
            slug=self.folder.name, folder=self.folder, meta=meta, sections=sections,
            recommendations=recommendations, links=find_links(ast, lines), ast=ast,
            markdown=self.markdown, recommendations_text=self.recs_text,
            front_matter_lines=self.body_first_line - 1, findings=findings,
            doctype=doctype, fragments=fragments, html=parsed.html,
            pandoc_input=self.pandoc_input, parsed=parsed,
        )
        if isinstance(self.job, pandoc.DraftJob):
            self._send_plan(brief, self.job)
        return brief

    def _doctype(self) -> DocType:
        """The rules of the brief's document type (its front matter's ``type``)."""
        from briefpress.model.doctype import load_doctype

        md_path = self.folder / "brief.md"
        data, node = self.front
        name = data.get("type", "policy-brief") if isinstance(data, dict) else "policy-brief"
        try:
            doctype = load_doctype(name if isinstance(name, str) else "policy-brief")
        except BriefError as exc:
            line = node_line(node, ("type",), 2)
            raise BriefError([Problem(md_path, line, p.message, p.fix)
                              for p in exc.problems]) from None
        if self.recs is None and any(r.from_ == "recommendations" for r in doctype.sections):
            read_text(self.folder / "recommendations.yaml")  # not there: says so, and how
        return doctype

    def cancel(self) -> None:
        """Stop the pandoc runs."""
        self.job.cancel()

    def _send_plan(self, brief: Brief, drafting: pandoc.DraftJob) -> None:
        """Let pandoc go on to write the draft; without it (the plan could not be made, e.g.
        for a missing image) the renderer makes the edition itself, and reports why."""
        try:
            drafting.send_plan(brief)
        except BriefError:
            drafting.cancel()
            return
        except BaseException:
            drafting.cancel()
            raise
        brief.drafts[drafting.draft.to] = drafting


_EXTRA_CLASS = "briefpress-fragment"  # also named in lua/brief.lua
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def yaml_markdown(front: Any, recommendations: Any) -> dict[str, str]:
    """The Markdown snippets that live in YAML, keyed as in ``Brief.fragments``.

    Taken from the YAML as parsed, before validation (which runs while pandoc parses
    them); whatever is not of the expected shape is left to validation to report.
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


def split_extras(ast: dict[str, Any]) -> dict[str, list[Any]]:
    """Take the YAML snippets' blocks off the end of the AST, keyed by their marker."""
    fragments: dict[str, list[Any]] = {}
    blocks = ast["blocks"]
    while blocks and blocks[-1]["t"] == "Div" and _EXTRA_CLASS in blocks[-1]["c"][0][1]:
        div = blocks.pop()
        key = dict(div["c"][0][2])["key"]
        fragments[key] = div["c"][1]
    return dict(reversed(list(fragments.items())))


def read_text(path: Path) -> str:
    """Read a UTF-8 source file, with located errors for missing, huge or mis-encoded files."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BriefError(Problem(path, None, "file not found",
                                 "create it; `briefpress new SLUG` makes a complete brief")
                         ) from None
    except OSError as exc:
        raise BriefError(Problem(path, None, f"cannot read file: {exc.strerror}")) from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise BriefError(Problem(path, None,
                                 f"file is {len(raw) / 1e6:.1f} MB, over the "
                                 f"{MAX_SOURCE_BYTES / 1e6:.1f} MB limit for a brief's source",
                                 "split the text or move data out of the brief"))
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


def heading_lines(lines: list[str]) -> list[int]:
    """Line numbers (1-based) of ATX and setext headings, outside fenced code."""
    found: list[int] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        if match := _FENCE.match(line):
            marker = match.group(1)[0]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence:
            continue
        if _ATX.match(line):
            found.append(index + 1)
        elif (_SETEXT.match(line) and index > 0 and lines[index - 1].strip()
              and not _ATX.match(lines[index - 1])
              and (index < 2 or not lines[index - 2].strip())):
            found.append(index)
    return found


def build_sections(blocks: list[Any], lines: list[int]) -> tuple[list[Section], int | None]:
    """Nest the AST blocks into a section tree by heading level.

    Returns the top-level sections and, if text stands before the first heading,
    the line of the first heading (where that text ends) or 1.
    """
    from briefpress.model.brief import Section

    roots: list[Section] = []
    stack: list[Section] = []
    stray: int | None = None
    header_index = 0
    for block in blocks:
        if block["t"] == "Header":
            level, (ident, _classes, _attrs), inlines = block["c"]
            line = lines[header_index] if header_index < len(lines) else None
            header_index += 1
            section = Section(id=ident, title=pandoc.stringify(inlines).strip(), level=level,
                              heading=inlines, line=line)
            while stack and stack[-1].level >= level:
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
    from briefpress.model.brief import Section

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


def find_links(ast: dict[str, Any], lines: list[str]) -> list[Link]:
    """Every hyperlink of the body, with the line where its phrase first stands."""
    from briefpress.model.brief import Link

    links: list[Link] = []
    for node in pandoc.walk(ast["blocks"]):
        if node["t"] != "Link":
            continue
        text = pandoc.stringify(node["c"][1])
        url = node["c"][2][0]
        links.append(Link(text=text, url=url, line=line_of(text, lines)))
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
