"""Turn real Word files, mutated at random, into a tally of what the importer makes of them.

Every case must end in a clean import or a clear refusal (a BriefError); anything else
is a crash: another exception, a hang, memory past a limit, or a dry run that wrote::

    python -m tools.fuzz [--seconds 60] [--seed 0] [--iterations N]    (or: make fuzz)

The seeds are the Word editions of every brief in content/ and of the fixture briefs
(built first, into ``build/fuzz/seeds/``) and the Word files of pandoc's test suite in
``tests/fixtures/docx/``. Each case takes one seed and applies one to three mutations:
byte flips, truncation, garbage spliced in, zip entries swapped, dropped, renamed or
doubled, and in an XML part elements deleted, duplicated, moved, renamed or nested
hundreds deep, attributes set to garbage, text replaced, bytes flipped.

The importer runs on each case as ``import --dry-run`` does, on a scratch copy of the
seed's brief, in a forked child of this process (the same code, a hard time limit and
its own memory account). A crash's file is saved in ``build/fuzz/crashes/`` with its
traceback; ``--seed S --iterations 1`` replays case S. The exit status is 1 if any case
crashed.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import io
import os
import random
import re
import resource
import shutil
import signal
import sys
import time
import traceback
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from msgspec import Struct

from briefpress.errors import BriefError
from briefpress.support import paths

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
Entries = list[tuple[str, bytes]]


class Seed(Struct, frozen=True):
    """A Word file to mutate and the brief folder it was built from (None: a file briefpress
    did not make, imported as a new brief)."""

    docx: Path
    source: Path | None


class Outcome(Struct, frozen=True):
    kind: str
    """``clean``, ``refused`` or ``crash``."""
    detail: str
    """The refusal's message, or what went wrong and its traceback."""


# --- mutations --------------------------------------------------------------------------------

GARBAGE_VALUES = ("", "-1", "0", "99999999999999999999", "NaN", "1e308", "\ue000", "\ue0007",
                  "../../../etc/passwd", "/etc/passwd", "javascript:alert(1)", "rId99999",
                  "\u202e", "x" * 5000, "<>&\"'", "%s%n", "\U0001f4a5" * 3)


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def splice_garbage(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 512)) + data[at:]


def _entries(data: bytes) -> Entries | None:
    """The entries of a zip this fuzzer can take apart safely, or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > 64 * 2**20:
                return None
            return [(info.filename, archive.read(info)) for info in infos]
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError):
        return None


def _zip(entries: Entries) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # "Duplicate name": doubling entries is the point
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def on_entries(change: Callable[[random.Random, Entries], Entries]
               ) -> Callable[[random.Random, bytes], bytes]:
    """A mutation of the zip's entries (a file that is no longer a zip is left as it is)."""
    def mutate(rng: random.Random, data: bytes) -> bytes:
        entries = _entries(data)
        return data if not entries else _zip(change(rng, entries))
    mutate.__name__ = change.__name__
    return mutate


@on_entries
def swap_entries(rng: random.Random, entries: Entries) -> Entries:
    if len(entries) < 2:
        return entries
    a, b = rng.sample(range(len(entries)), 2)
    entries[a], entries[b] = (entries[a][0], entries[b][1]), (entries[b][0], entries[a][1])
    return entries


@on_entries
def drop_entry(rng: random.Random, entries: Entries) -> Entries:
    del entries[rng.randrange(len(entries))]
    return entries


@on_entries
def rename_entry(rng: random.Random, entries: Entries) -> Entries:
    index = rng.randrange(len(entries))
    names = [n for n, _ in entries] + ["word/document2.xml", "../word/document.xml",
                                       "Word/Document.xml", "word//document.xml", "mimetype"]
    entries[index] = (rng.choice(names), entries[index][1])
    return entries


@on_entries
def double_entry(rng: random.Random, entries: Entries) -> Entries:
    entries.append(rng.choice(entries))
    return entries


def _xml_part(rng: random.Random, entries: Entries) -> int | None:
    """The index of an XML entry to mutate: the main document most often."""
    xml = [i for i, (name, _) in enumerate(entries) if name.endswith((".xml", ".rels"))]
    if not xml:
        return None
    main = [i for i in xml if entries[i][0] == "word/document.xml"]
    return rng.choice(main * len(xml) + xml)


def on_xml(change: Callable[[random.Random, Any], None]
           ) -> Callable[[random.Random, bytes], bytes]:
    """A mutation of the element tree of one XML part."""
    from lxml import etree

    def mutate_entries(rng: random.Random, entries: Entries) -> Entries:
        index = _xml_part(rng, entries)
        if index is None:
            return entries
        name, data = entries[index]
        try:
            root = etree.fromstring(data, etree.XMLParser(resolve_entities=False,
                                                          no_network=True))
        except etree.XMLSyntaxError:
            return entries
        change(rng, root)
        entries[index] = (name, etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                               standalone=True))
        return entries

    mutate_entries.__name__ = change.__name__
    return on_entries(mutate_entries)


def _element(rng: random.Random, root: Any) -> Any:
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    return rng.choice(elements)


@on_xml
def delete_element(rng: random.Random, root: Any) -> None:
    element = _element(rng, root)
    if element.getparent() is not None:
        element.getparent().remove(element)


@on_xml
def duplicate_element(rng: random.Random, root: Any) -> None:
    element = _element(rng, root)
    if element.getparent() is not None:
        for _ in range(rng.choice([1, 1, 2, 50])):
            element.addnext(copy.deepcopy(element))


@on_xml
def move_element(rng: random.Random, root: Any) -> None:
    element, target = _element(rng, root), _element(rng, root)
    if element.getparent() is None or element is target or \
            element in list(target.iterancestors()):
        return
    target.insert(rng.randint(0, len(target)), element)


@on_xml
def rename_element(rng: random.Random, root: Any) -> None:
    tags = ("p", "r", "t", "tbl", "tr", "tc", "body", "sectPr", "pPr", "rPr", "pStyle",
            "hyperlink", "bookmarkStart", "bookmarkEnd", "ins", "del", "footnoteReference",
            "drawing", "sdt", "sdtContent", "comment", "style", "numPr", "br", "tab")
    _element(rng, root).tag = f"{{{W}}}{rng.choice(tags)}"


@on_xml
def garbage_attribute(rng: random.Random, root: Any) -> None:
    element = _element(rng, root)
    names = [*element.attrib, f"{{{W}}}val", f"{{{W}}}id", f"{{{W}}}name", "Target", "Id",
             "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
             "TargetMode", "Type"]
    element.set(rng.choice(names), rng.choice(GARBAGE_VALUES))


@on_xml
def garbage_text(rng: random.Random, root: Any) -> None:
    texts = [e for e in root.iter(f"{{{W}}}t")] or [_element(rng, root)]
    alphabet = "abc \t\n\ue000\ue0017\u00a0\u200b\u202e\U0001f600<>&*_#[]()`\\|^~:{}"
    rng.choice(texts).text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))


@on_xml
def nest_deep(rng: random.Random, root: Any) -> None:
    from lxml import etree

    element = _element(rng, root)
    parent = element.getparent()
    if parent is None:
        return
    wrappers = rng.choice([("tbl", "tr", "tc"), ("sdt", "sdtContent"), ("ins",), ("r",),
                           ("hyperlink",), ("p",)])
    depth = rng.choice([2, 10, 80, 300])
    outer = inner = None
    for _ in range(depth):
        for tag in wrappers:
            node = etree.Element(f"{{{W}}}{tag}")
            if inner is None:
                outer = node
            else:
                inner.append(node)
            inner = node
    parent.replace(element, outer)
    inner.append(element)


@on_entries
def flip_xml_bytes(rng: random.Random, entries: Entries) -> Entries:
    index = _xml_part(rng, entries)
    if index is not None:
        name, data = entries[index]
        entries[index] = (name, flip_bytes(rng, data))
    return entries


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    f.__name__: f for f in (
        flip_bytes, truncate, splice_garbage, swap_entries, drop_entry, rename_entry,
        double_entry, delete_element, duplicate_element, move_element, rename_element,
        garbage_attribute, garbage_text, nest_deep, flip_xml_bytes)
}
WEIGHTS = {"flip_bytes": 1, "truncate": 1, "splice_garbage": 1, "swap_entries": 1,
           "drop_entry": 1, "rename_entry": 1, "double_entry": 1, "flip_xml_bytes": 2}
"""Mutations that mostly make a corrupt zip are drawn less often than those of the XML (3)."""


def mutate(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    """``data`` after one to three random mutations, and their names."""
    names = list(MUTATIONS)
    weights = [WEIGHTS.get(name, 3) for name in names]
    applied = rng.choices(names, weights, k=rng.choice([1, 1, 2, 3]))
    for name in applied:
        with contextlib.suppress(ValueError):  # lxml refuses some garbage: no mutation then
            data = MUTATIONS[name](rng, data)
    return data, applied


# --- running the importer on a case -------------------------------------------------------------

def attempt(case: Path, seed: Seed, scratch: Path) -> tuple[int, str]:
    """Import ``case`` as a dry run; 0 for a clean import, 2 and the message for a refusal.

    Any other exception propagates: that is a crash.
    """
    from briefpress.importer import import_docx

    brief = str(scratch / "content" / seed.source.name) if seed.source else "fuzzed"
    try:
        result = import_docx(case, brief, dry_run=True, build_dir=scratch / "build")
        result.diff()
        result.report()
        result.summary()
    except BriefError as exc:
        return 2, "\n".join(p.message for p in exc.problems)
    return 0, ""


def run_case(case: Path, seed: Seed, scratch: Path, timeout: float, memory: int) -> Outcome:
    """Run :func:`attempt` in a forked child with a time limit; judge what came back."""
    before = _snapshot(scratch)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        code, text = 3, ""
        try:
            os.setpgid(0, 0)  # pandoc and all: one group to kill on a hang
            os.chdir(scratch)  # a new brief from a foreign file goes to ./content
            code, text = attempt(case, seed, scratch)
        except BaseException:
            code, text = 3, traceback.format_exc()
        finally:
            data = text.encode("utf-8", "replace")
            if len(data) > 60000:  # the pipe holds 64 kB: the start and the end (the error)
                data = data[:20000] + b"\n[...]\n" + data[-40000:]
            os.write(writer, data)
            os._exit(code)
    os.close(writer)
    deadline = time.monotonic() + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            os.wait4(pid, 0)
            os.close(reader)
            return Outcome("crash", f"hang: no answer in {timeout:.0f} s")
        time.sleep(0.005)
    with os.fdopen(reader, "rb") as pipe:
        text = pipe.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if _snapshot(scratch) != before:
        return Outcome("crash", "a dry run wrote files")
    if usage.ru_maxrss * 1024 > memory:
        return Outcome("crash", f"memory: {usage.ru_maxrss // 1024} MB at most")
    if code == 0:
        return Outcome("clean", "")
    if code == 2:
        return Outcome("refused", text)
    if code < 0:
        return Outcome("crash", f"killed by signal {-code}")
    return Outcome("crash", text or f"exit status {code}")


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by content (lock files aside: taking a lock is no output)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


# --- seeds, the loop, the report ----------------------------------------------------------------

def make_seeds(out: Path) -> list[Seed]:
    """Build the Word edition of every brief in content/ and of the fixture briefs; add the
    Word files of pandoc's test suite."""
    from briefpress.build import build
    from briefpress.read.brief import all_slugs, find_brief

    folders = [find_brief(slug) for slug in all_slugs()]
    fixtures = paths.ROOT / "tests" / "fixtures"
    folders += sorted(p.parent for p in (fixtures / "briefs").glob("*/brief.md"))
    seeds = []
    for folder in folders:
        docx, = build([str(folder)], ["docx"], build_dir=out / "seeds")
        seeds.append(Seed(docx, folder))
    seeds += [Seed(p, None) for p in sorted((fixtures / "docx").rglob("*.docx"))]
    return seeds


def _scratch_for(seed: Seed, work: Path) -> Path:
    scratch = work / (seed.source.name if seed.source else "foreign")
    if not scratch.exists():
        (scratch / "content").mkdir(parents=True)
        if seed.source:
            shutil.copytree(seed.source, scratch / "content" / seed.source.name)
    return scratch


def fuzz(seeds: list[Seed], out: Path, seconds: float, first: int, iterations: int | None,
         timeout: float, memory: int, say: Callable[[str], None] = print) -> Counter[str]:
    """Run cases ``first``, ``first + 1``… until the time or the count is used up."""
    work, crashes = out / "work", out / "crashes"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    tally: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    for number in case_numbers(first, iterations, seconds):
        rng = random.Random(number)
        # the files briefpress made reach the merge and splice code: drawn more than half
        made = [s for s in seeds if s.source is not None]
        seed = rng.choice(made if made and rng.random() < 0.6 else seeds)
        data, applied = mutate(rng, seed.docx.read_bytes())
        case = work / "case.docx"
        case.write_bytes(data)
        scratch = _scratch_for(seed, work)
        outcome = run_case(case, seed, scratch, timeout, memory)
        tally[outcome.kind] += 1
        if outcome.kind == "refused":
            refusals[refusal_pattern(outcome.detail)] += 1
        elif outcome.kind == "crash":
            crashes.mkdir(parents=True, exist_ok=True)
            saved = crashes / f"case-{number}.docx"
            shutil.copyfile(case, saved)
            report = (f"case {number}: {seed.docx.name} + {', '.join(applied)}\n"
                      f"replay: python -m tools.fuzz --seed {number} --iterations 1\n\n"
                      f"{outcome.detail}")
            saved.with_suffix(".txt").write_text(report, encoding="utf-8")
            say(f"CRASH {report}\n(saved {saved})")
            shutil.rmtree(scratch)  # a fresh copy of the source for the next case
    tally["cases"] = sum(tally[kind] for kind in ("clean", "refused", "crash"))
    say_tally(tally, refusals, "clean imports", "clear refusals", say)
    return tally


def case_numbers(first: int, iterations: int | None, seconds: float) -> Iterator[int]:
    """Case numbers from ``first``: ``iterations`` of them, else as many as ``seconds``
    allow (each case is made from its number, so any one can be replayed alone)."""
    deadline = time.monotonic() + seconds
    number = first
    while (number < first + iterations) if iterations is not None else \
            (time.monotonic() < deadline):
        yield number
        number += 1


def say_tally(tally: Counter[str], refusals: Counter[str], clean: str, refused: str,
              say: Callable[[str], None], most: int = 15) -> None:
    """The run's counts, then its most common kinds of refusal."""
    say(f"{tally['cases']} cases: {tally['clean']} {clean}, {tally['refused']} {refused}, "
        f"{tally['crash']} crashes")
    for pattern, count in refusals.most_common(most):
        say(f"  {count:6d}  {pattern}")


def refusal_pattern(message: str) -> str:
    """A refusal with its particulars (quoted names, numbers) blanked, to count kinds."""
    first = message.splitlines()[0] if message else ""
    first = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", first)
    first = re.sub(r"\(.*\)", "(…)", first)
    return re.sub(r"\d+", "N", first)[:110]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz", description=__doc__.split(
        "\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run")
    parser.add_argument("--seed", type=int, default=0, help="number of the first case")
    parser.add_argument("--iterations", type=int, help="run this many cases (not --seconds)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds a case may take before it counts as a hang")
    parser.add_argument("--memory-mb", type=int, default=768,
                        help="memory a case may add to this process's before it is a crash")
    parser.add_argument("--out", type=Path, help="work folder (default: build/fuzz)")
    args = parser.parse_args(argv)
    out = args.out or paths.build_dir() / "fuzz"
    try:
        seeds = make_seeds(out)
    except BriefError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"fuzzing the importer with {len(seeds)} seed files; crashes go to "
          f"{out / 'crashes'}", flush=True)
    tally = fuzz(seeds, out, args.seconds, args.seed, args.iterations, args.timeout,
                 baseline + args.memory_mb * 2**20)
    return 1 if tally["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
