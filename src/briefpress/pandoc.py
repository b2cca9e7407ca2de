"""Run pandoc (from the pypandoc-binary wheel) and walk its JSON AST."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple

from briefpress.errors import BriefError, Problem

# pandoc's Markdown as briefs use it. The front matter is read by briefpress, not pandoc. A
# brief has no TeX: "$5 million and $10 million" is money, not math, and a backslash
# command is text a reader sees, not TeX that only a LaTeX edition would print. (Without
# the three extensions pandoc also parses the real brief about 10% faster.)
NO_TEX = "-tex_math_dollars-raw_tex-latex_macros"
MARKDOWN = "markdown-yaml_metadata_block" + NO_TEX


# pandoc's runtime sizes its heap from a hint (-H64m by default): a larger heap means
# fewer collections but more fresh memory, and the kernel's time to map it (system time)
# counts as much as pandoc's own. Wall time over the real brief, median of 15 interleaved
# runs: reading Markdown, alone or with the web page's HTML from lua/brief.lua, is
# fastest with a small heap (-H8m -A2m: 80/123 ms, against 98/139 with -H32m -A16m);
# the print HTML (notes moved inline: a second walk), reading or writing a DOCX (zip
# entries inflated and deflated) with a larger one (-H32m -A16m: 153/118/97 ms, against
# 165/131/118 with -H8m -A2m).
_RTS_SMALL = ["+RTS", "-H8m", "-A2m", "-RTS"]
_RTS_LARGE = ["+RTS", "-H32m", "-A16m", "-RTS"]


@cache
def pandoc_path() -> str:
    """The pandoc binary of the pypandoc-binary wheel (found without importing pypandoc,
    which pulls in urllib, http and ssl: a third of briefpress's start-up)."""
    spec = find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "files" / "pandoc"
        if binary.is_file():
            return str(binary)
    import pypandoc  # another layout: let pypandoc find it

    return str(pypandoc.get_pandoc_path())


def identity() -> str:
    """Which pandoc binary this is (what it makes of a text changes with its version): path,
    size and modification time, known without running it."""
    binary = Path(pandoc_path())
    found = binary.stat()
    return f"{binary}:{found.st_size}:{found.st_mtime_ns}"


def parse_key(text: str) -> str:
    """What pandoc's parse of ``text`` (start_parse) depends on, as a name: this pandoc, the
    Markdown dialect and the text."""
    digest = hashlib.sha256()
    for part in (identity(), MARKDOWN, text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


_WARNING_LINE = re.compile(r"line (\d+) column \d+")


class Warning(NamedTuple):
    """Something pandoc warned about while reading, with the input line if it said one."""

    message: str
    line: int | None


def _pandoc(args: list[str], stdin: str | None, source: str) -> tuple[str, list[Warning]]:
    """Run the bundled pandoc in sandbox mode (it may read no file but its input)."""
    return Job(args, stdin or "", source).output_and_warnings()


def _outcome(status: int, stdout: bytes, stderr_bytes: bytes, source: str
             ) -> tuple[str, list[Warning]]:
    """pandoc's output and warnings, or a BriefError with its last error line."""
    stderr = stderr_bytes.decode("utf-8", errors="replace")
    if status != 0:
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        message = lines[-1] if lines else f"exit status {status}"
        raise BriefError(Problem(source, None, f"pandoc could not convert it: {message}",
                                 "check the file is what its name says"))
    warnings = []
    for chunk in stderr.split("[WARNING] ")[1:]:
        text = " ".join(chunk.split())
        match = _WARNING_LINE.search(text)
        warnings.append(Warning(text, int(match.group(1)) if match else None))
    return stdout.decode("utf-8"), warnings


def run(text: str, to: str, fmt: str, extra_args: list[str] | None = None,
        source: str = "<input>") -> str:
    """Convert ``text`` from ``fmt`` to ``to``."""
    return _pandoc(["-f", fmt, "-t", to, *(extra_args or [])], text, source)[0]


def write_file(text: str, to: str, fmt: str, out: str, extra_args: list[str] | None = None,
               source: str = "<input>") -> None:
    """Convert ``text`` into the file ``out`` (for binary formats such as docx)."""
    _pandoc(["-f", fmt, "-t", to, "-o", out, *(extra_args or [])], text, source)


class Job:
    """A pandoc run in the background: started at once, its output collected when needed."""

    def __init__(self, args: list[str], text: str | None, source: str,
                 large: bool | None = None) -> None:
        """``large``: the larger heap (see _RTS_LARGE); by default for DOCX in or out."""
        self.source = source
        # Input goes through a file, not a pipe, so pandoc can read all of it at once
        # while this process goes on with other work.
        with tempfile.TemporaryFile() as stdin:
            stdin.write((text or "").encode("utf-8"))
            stdin.seek(0)
            rts = _RTS_LARGE if (large if large is not None else "docx" in args) \
                else _RTS_SMALL
            self.process = subprocess.Popen([pandoc_path(), *rts, "--sandbox", *args],
                                            stdin=stdin, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE)

    def output_and_warnings(self) -> tuple[str, list[Warning]]:
        """Wait for pandoc: its output and warnings, or a BriefError if it failed."""
        stdout, stderr = self.process.communicate()
        return _outcome(self.process.returncode, stdout, stderr, self.source)

    def output(self) -> str:
        return self.output_and_warnings()[0]

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


def start_read_file(path: str, fmt: str, to: str, extra_args: list[str] | None = None) -> Job:
    """Start converting the file ``path`` (e.g. a .docx) to ``to``; ``output()`` waits."""
    return Job(["-f", fmt, "-t", to, *(extra_args or []), path], None, path)


LUA_FILTER = Path(__file__).resolve().parent / "lua" / "brief.lua"

HTML_VARIANTS = ("endnotes", "inline")
"""The HTML renderings of a brief's parts the reader can ask for: with pandoc's endnotes
(web) or with each note inline where it is called (print footnotes)."""


class Parsed(NamedTuple):
    """What one pandoc run makes of a brief: its AST and the HTML of its parts (lua/brief.lua)."""

    ast: dict[str, Any]
    html: dict[str, str]
    """The HTML variants asked for, e.g. ``{"endnotes": …}``: the parts as htmlparts splits them."""
    warnings: list[Warning]
    text: str = ""
    """pandoc's JSON as it wrote it (with the HTML variants in its metadata, if any)."""


class Draft(NamedTuple):
    """An edition the pandoc run that parses a brief goes on to write, from briefpress's plan
    of it (:class:`DraftJob`, lua/docx.lua): in place of a second run that would read
    briefpress's whole AST of the edition back from JSON."""

    to: str
    """pandoc's output format, e.g. ``docx``."""
    out: Path
    """Where pandoc writes the edition; its folder also takes the run's input."""
    args: list[str]
    """Writer options, e.g. ``--reference-doc``."""
    filter: Path
    plan: Callable[[Any], str]
    """The plan of the edition for a Brief (two lines: see the filter)."""


class ParseJob(Job):
    """A pandoc run parsing Markdown in the background (see :func:`start_parse`)."""

    def __init__(self, text: str, source: str, html: tuple[str, ...]) -> None:
        self.html = html
        super().__init__(["-f", MARKDOWN, "-t", "json", *_html_filter(html)], text, source,
                         large="inline" in html)

    def result(self) -> Parsed:
        output, warnings = self.output_and_warnings()
        return _parsed(output, warnings, self.html)


def _html_filter(html: tuple[str, ...]) -> list[str]:
    """pandoc's options for the HTML variants ``html`` of a brief's parts (lua/brief.lua puts
    them in the AST's metadata)."""
    unknown = set(html) - set(HTML_VARIANTS)
    if unknown:
        raise ValueError(f"unknown HTML variants: {sorted(unknown)}")
    return ["-L", str(LUA_FILTER), "-V", f"briefpress-html={','.join(html)}"] if html else []


def _parsed(output: str, warnings: list[Warning], html: tuple[str, ...]) -> Parsed:
    import msgspec  # loaded by now (the reader validates the YAML while pandoc parses)

    ast = msgspec.json.decode(output)
    parts = {variant: pending_links_as_spans(ast["meta"].pop(f"briefpress-html-{variant}")["c"])
             for variant in html}
    return Parsed(ast, parts, warnings, output)


class Done:
    """A parse already made (recorded, see parses.py) where a ParseJob would stand."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed

    def result(self) -> Parsed:
        return self.parsed

    def cancel(self) -> None:
        pass


class DraftJob:
    """A pandoc run that parses a brief's Markdown like a :class:`ParseJob` (``result()``),
    then writes an edition of it (:class:`Draft`) from the plan it is sent (``send_plan``,
    ``finish``). Its filter hands over the AST, one line of pandoc's JSON on stdout, and
    waits for the plan on stdin."""

    def __init__(self, text: str, source: str, html: tuple[str, ...], draft: Draft) -> None:
        self.source, self.html, self.draft = source, html, draft
        draft.out.parent.mkdir(parents=True, exist_ok=True)
        markdown = draft.out.with_name(f"{draft.out.name}.md")  # stdin takes the plan
        markdown.write_text(text, encoding="utf-8")
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish or cancel)
        self.process = subprocess.Popen(
            [pandoc_path(), *_RTS_LARGE, "--sandbox", "-f", MARKDOWN, "-t", draft.to,
             "-o", str(draft.out), *_html_filter(html), "-L", str(draft.filter),
             *draft.args, str(markdown)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr)

    def result(self) -> Parsed:
        """The parse, as :meth:`ParseJob.result` gives it; pandoc then waits for the plan."""
        assert self.process.stdout is not None
        output = self.process.stdout.readline().decode("utf-8").rstrip("\n")
        if not output:
            self.finish()  # pandoc stopped before its filter: raises its error
        self.stderr.seek(0)  # the reader's warnings are all written by now
        warnings = _outcome(0, b"", self.stderr.read(), self.source)[1]
        return _parsed(output, warnings, self.html)

    def send_plan(self, brief: Any) -> None:
        """The plan of the edition for ``brief``, the Brief read from result()."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(self.draft.plan(brief).encode("utf-8"))
            self.process.stdin.close()
        except BrokenPipeError:  # pandoc has stopped; finish says why
            pass

    def finish(self) -> Path:
        """Wait for pandoc to write the draft: its path, or a BriefError if it failed."""
        status = self.process.wait()
        self.stderr.seek(0)
        stderr = self.stderr.read()
        self._close()
        _outcome(status, b"", stderr, self.source)
        return self.draft.out

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._close()

    def _close(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()
        self.stderr.close()


_PENDING_LINK = re.compile(r'<a href=""(?P<attrs>(?: [^>]*)?)>(?P<text>.*?)</a>', re.DOTALL)
_CLASS = re.compile(r' class="(?P<names>[^"]*)"')
_TITLE = re.compile(r' title="[^"]*"')


def pending_links_as_spans(html: str) -> str:
    """pandoc's HTML with each link whose target is not known yet (``<a href="">``) made
    plain text to a reader: ``<span class="link-pending">``, its other attributes kept."""

    def span(match: re.Match[str]) -> str:
        attrs = _TITLE.sub("", match.group("attrs"))
        if _CLASS.search(attrs):
            attrs = _CLASS.sub(lambda m: f' class="{m.group("names")} link-pending"', attrs, 1)
        else:
            attrs = f'{attrs} class="link-pending"'
        return f"<span{attrs}>{match.group('text')}</span>"

    return _PENDING_LINK.sub(span, html)


def start_parse(text: str, source: str = "<input>", html: tuple[str, ...] = ()) -> ParseJob:
    """Start parsing Markdown to its JSON AST and, for each of the ``html`` variants named
    (see HTML_VARIANTS), the HTML of its parts (lua/brief.lua)."""
    return ParseJob(text, source, html)


def ast_to(ast: dict[str, Any], to: str, extra_args: list[str] | None = None) -> str:
    """Write a pandoc JSON AST in another format."""
    return run(json.dumps(ast), to, "json", extra_args)


def stringify(node: Any) -> str:
    """Plain text of an AST node or list of nodes, as pandoc's ``stringify``."""
    parts: list[str] = []

    def visit(n: Any) -> None:
        if isinstance(n, list):
            for item in n:
                visit(item)
            return
        if not isinstance(n, dict):
            return
        kind, content = n.get("t"), n.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math", "RawInline"):
            parts.append(content[-1] if kind != "RawInline" else "")
        elif kind == "Quoted":
            quote = "\u201c\u201d" if content[0]["t"] == "DoubleQuote" else "\u2018\u2019"
            parts.append(quote[0])
            visit(content[1])
            parts.append(quote[1])
        elif kind == "Note":
            return
        elif kind in ("Link", "Image", "Span", "Cite"):
            visit(content[1])
        elif isinstance(content, list):
            visit(content)

    visit(node)
    return "".join(parts)


def rewrite(node: Any, replace: Callable[[dict[str, Any], Callable[[Any], Any]], Any]) -> Any:
    """A rewritten copy of an AST (the original is left as it was).

    ``replace(element, recurse)`` is asked about every element, outside in: it returns
    what stands in the element's place (calling ``recurse`` on the parts it keeps), or
    None to keep the element with its contents rewritten.
    """

    def recurse(current: Any) -> Any:
        if isinstance(current, list):
            return [recurse(item) for item in current]
        if not isinstance(current, dict):
            return current
        replaced = replace(current, recurse)
        if replaced is not None:
            return replaced
        return {**current, "c": recurse(current["c"])} if "c" in current else current

    return recurse(node)


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every AST element below ``node`` (blocks and inlines), in document order."""
    stack = [node]
    while stack:  # iterative: a brief's AST has tens of thousands of nodes
        current = stack.pop()
        kind = type(current)
        if kind is list:
            stack.extend(reversed(current))
        elif kind is dict:
            if "t" in current:
                yield current
            content = current.get("c")
            if type(content) is list or type(content) is dict:
                stack.append(content)
