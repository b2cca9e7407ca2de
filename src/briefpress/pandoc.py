"""Run pandoc (from the pypandoc-binary wheel): Markdown or a file into typed blocks, blocks out.

Every function starts one pandoc process in sandbox mode (it may read no file but its
input), waits for it and closes it. The document model is :mod:`briefpress.model.blocks`.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from msgspec import Struct

from briefpress.errors import BriefError, Problem
from briefpress.model import blocks
from briefpress.support import limits
from briefpress.support.files import cache_while_unchanged

# pandoc's Markdown as briefs use it. The front matter is read by briefpress, not pandoc. A
# brief has no TeX: "$5 million and $10 million" is money, not math, and a backslash
# command is text a reader sees, not TeX that only a LaTeX edition would print. (Without
# the three extensions pandoc also parses the real brief about 10% faster.)
NO_TEX = "-tex_math_dollars-raw_tex-latex_macros"
MARKDOWN = "markdown-yaml_metadata_block" + NO_TEX

# pandoc's runtime sizes its heap from a hint (-H64m by default). Reading a brief's Markdown
# is faster with a small one: the real brief's body, median of 15 interleaved runs, 74 ms
# with -H8m -A2m, 96 with -H32m -A16m, 122 with none (the kernel's time to map a larger
# heap counts as much as pandoc's own). Writing HTML from JSON gains nothing measurable.
_MARKDOWN_HEAP = ["+RTS", "-H8m", "-A2m", "-RTS"]

DOCX_HEAP = ["+RTS", "-H32m", "-A16m", "-RTS"]
"""pandoc's runtime options for writing or reading a Word file: a larger allocation area
than its runtime's default means fewer collections while it deflates or inflates the zip
entries (on the real brief, 86 against 100 ms of CPU time writing, 85 against 98 reading)."""


@cache
def pandoc_path() -> str:
    """The pandoc binary of the pypandoc-binary wheel (found without importing pypandoc,
    which pulls in urllib, http and ssl: a third of briefpress's start-up)."""
    spec = find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "files" / "pandoc"
        if binary.is_file():
            return str(binary)
    # a fallback boundary: only a pypandoc of another layout needs pypandoc itself imported
    import pypandoc

    return str(pypandoc.get_pandoc_path())


_WARNING_LINE = re.compile(r"line (\d+) column \d+")


class Warning(Struct, frozen=True):
    """Something pandoc warned about while reading, with the input line if it said one."""

    message: str
    line: int | None


def _pandoc(args: list[str], stdin: bytes, source: str) -> tuple[bytes, list[Warning]]:
    """Run the bundled pandoc in sandbox mode, within its time and heap limits: its output
    and warnings, or a BriefError with its last error line."""
    seconds, megabytes = limits.PANDOC_SECONDS.value(), limits.PANDOC_MEMORY_MB.value()
    # -M caps the heap pandoc's runtime may grow to; past it pandoc stops by itself with
    # "Heap exhausted". On a timeout subprocess.run kills pandoc and waits for it.
    heap = ["+RTS", f"-M{megabytes}m", "-RTS"]
    try:
        done = subprocess.run([pandoc_path(), *heap, "--sandbox", *args], input=stdin,
                              capture_output=True, check=False, timeout=seconds)
    except subprocess.TimeoutExpired:
        raise BriefError(Problem(source, None, f"pandoc took longer than the limit of "
                                 f"{seconds} s to convert it (brackets, emphasis or lists "
                                 f"nested deeply make pandoc's time grow fast)",
                                 f"simplify the nesting, or {limits.PANDOC_SECONDS.how()}")
                         ) from None
    stderr = done.stderr.decode("utf-8", errors="replace")
    if done.returncode != 0 and "Heap exhausted" in stderr:
        raise BriefError(Problem(source, None, f"pandoc needed more than the limit of "
                                 f"{megabytes} MB of memory to convert it",
                                 f"shorten or simplify the text, or "
                                 f"{limits.PANDOC_MEMORY_MB.how()}"))
    if done.returncode != 0:
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        message = lines[-1] if lines else f"exit status {done.returncode}"
        raise BriefError(Problem(source, None, f"pandoc could not convert it: {message}",
                                 "check the file is what its name says"))
    warnings = []
    for chunk in stderr.split("[WARNING] ")[1:]:
        text = " ".join(chunk.split())
        match = _WARNING_LINE.search(text)
        warnings.append(Warning(text, int(match.group(1)) if match else None))
    return done.stdout, warnings


def run(text: str, to: str, fmt: str, extra_args: list[str] | None = None,
        source: str = "<input>") -> str:
    """Convert ``text`` from ``fmt`` to ``to``."""
    args = ["-f", fmt, "-t", to, *(extra_args or [])]
    return _pandoc(args, text.encode("utf-8"), source)[0].decode("utf-8")


def parse_markdown(text: str, source: str = "<input>") -> tuple[blocks.Document, list[Warning]]:
    """A brief's Markdown (``MARKDOWN``) as a typed Document, and pandoc's warnings."""
    output, warnings = _pandoc([*_MARKDOWN_HEAP, "-f", MARKDOWN, "-t", "json"],
                               text.encode("utf-8"), source)
    return blocks.decode(output), warnings


def read_file(path: Path, fmt: str, extra_args: list[str] | None = None
              ) -> tuple[blocks.Document, list[Warning]]:
    """The file ``path`` (e.g. a .docx) as a typed Document, and pandoc's warnings."""
    output, warnings = _pandoc(["-f", fmt, "-t", "json", *(extra_args or []), str(path)],
                               b"", str(path))
    return blocks.decode(output), warnings


def convert(document: blocks.Document, to: str, extra_args: list[str] | None = None,
            source: str = "<input>") -> str:
    """``document`` written by pandoc's ``to`` writer, as text."""
    output, _ = _pandoc(["-f", "json", "-t", to, *(extra_args or [])],
                        blocks.encode(document), source)
    return output.decode("utf-8")


def write(document: blocks.Document, to: str, out: Path, extra_args: list[str] | None = None,
          source: str = "<input>") -> None:
    """``document`` written by pandoc's ``to`` writer into the file ``out`` (for binary
    formats such as docx)."""
    _pandoc(["-f", "json", "-t", to, "-o", str(out), *(extra_args or [])],
            blocks.encode(document), source)


def default_data_file(name: str) -> bytes:
    """pandoc's own default data file ``name`` (e.g. ``reference.docx``), as pandoc ships it."""
    return _pandoc(["--print-default-data-file", name], b"", f"pandoc's default {name}")[0]


def citeproc(document: blocks.Document, bibliography: Path, csl: Path,
             source: str = "<input>") -> blocks.Document:
    """``document`` with its citations rendered by pandoc's citeproc: each ``Cite`` keeps its
    keys and holds its text (in a note style, a ``Note``), and a ``Div`` with the id
    ``refs`` (placed by the caller, else appended) holds the bibliography. The two files
    are named on the command line: the only files pandoc's sandbox lets it read.

    The same document with the same two files gives the same result, kept for the process:
    the PDF and the web page render the same parts, so a build of both runs citeproc once.
    """
    return blocks.decode(_citeproc(blocks.encode(document), bibliography, csl, source))


@cache_while_unchanged(lambda data, bibliography, csl, source: [bibliography, csl], maxsize=4)
def _citeproc(data: bytes, bibliography: Path, csl: Path, source: str) -> bytes:
    output, _ = _pandoc(["-f", "json", "-t", "json", "--citeproc",
                         f"--bibliography={bibliography}", f"--csl={csl}"], data, source)
    return output
