"""Turn real briefs, their brief.md and recommendations.yaml mutated at random, into a tally.

The source-side twin of :mod:`tools.fuzz` (which mutates Word files for the importer)::

    python -m tools.fuzz_source [--seconds 60] [--seed 0] [--iterations N]   (or: make fuzz)

The seeds are every brief in content/ and the fixture briefs. Each case copies one seed
into a scratch folder and applies one to three mutations to its ``brief.md`` or its
``recommendations.yaml``: bytes flipped, the file cut short, garbage spliced in, lines
duplicated, deleted or swapped, nesting hundreds deep (lists, quotes, divs, brackets,
YAML), a huge line, odd Unicode (bidi overrides, combining marks, lone surrogates, BOMs,
NULs), YAML values of the wrong type, and a broken front matter.

Each case runs ``briefpress check`` and then ``briefpress build`` (every format) in a forked
child of this process (the command's own ``main``; a hard time limit and its own stdout and
stderr). Every case must end with exit status 0, 1 or 2, no traceback on stderr, within
the time limit, with the two source files byte-identical afterwards; anything else is a
crash, saved with its two files and its output in ``build/fuzz-source/crashes/``
(``--seed S --iterations 1`` replays case S). The exit status is 1 if any case crashed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from msgspec import Struct

from briefpress.support import paths
from tools.fuzz import (
    case_numbers,
    flip_bytes,
    refusal_pattern,
    say_tally,
    splice_garbage,
    truncate,
)

SOURCES = ("brief.md", "recommendations.yaml")


class Outcome(Struct, frozen=True):
    kind: str
    """``clean`` (both commands exit 0), ``refused`` (1 or 2, a clear message) or ``crash``."""
    detail: str
    """What the commands printed, or what went wrong."""


# --- mutations (each takes and gives a file's bytes) -------------------------------------------

def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    span = lines[at:at + rng.randint(1, 8)]
    lines[at:at] = span * rng.choice([1, 1, 2, 50])
    return b"\n".join(lines)


def delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    del lines[at:at + rng.randint(1, 6)]
    return b"\n".join(lines)


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    if len(lines) > 1:
        a, b = rng.sample(range(len(lines)), 2)
        lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


NESTS = (b"> ", b"- ", b"1. ", b"   ", b"::: {.x}\n", b"[", b"*", b"<div>", b"  - a:\n",
         b"[", b"{", b"    ")


def nest_deep(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    opener = rng.choice(NESTS)
    depth = rng.choice([9, 40, 300, 2000])
    closer = {b"[": b"]", b"{": b"}", b"*": b"*", b"<div>": b"</div>"}.get(opener, b"")
    line = opener * depth + b"x" + closer * depth
    lines.insert(rng.randrange(len(lines) + 1), line)
    return b"\n".join(lines)


def huge_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    piece = rng.choice([b"word ", b"x", b"*a* ", b"[l](u) ", b"|a", b"\\", b"`"])
    lines.insert(rng.randrange(len(lines) + 1),
                 piece * (rng.choice([10_000, 200_000, 500_000]) // len(piece)))
    return b"\n".join(lines)


ODD = ["\u202e", "\u200b", "\ufeff", "\u0301" * 50, "\U0001f4a5", "\u2028", "\x00", "\x1b[2J",
       "\ud800", "\uffff", "\r", "\r\n", "\t", "\u00a0", "e\u0301", "\u0130", "\ufdfa" * 30]


def odd_unicode(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    odd = "".join(rng.choice(ODD) for _ in range(rng.randint(1, 6)))
    return data[:at] + odd.encode("utf-8", "surrogatepass") + data[at:]


YAML_VALUES = [b"[1, 2]", b"{a: b}", b"null", b"~", b"123", b"-1", b"1e999", b"true", b"no",
               b"2024-13-45", b"2024-02-30", b"!!python/object:os.system x", b"&a x", b"*a",
               b"!!binary AAAA", b"''", b'"\\u0000"', b"|", b">-", b"? x", b"- - - x",
               b"'" + b"x" * 5000 + b"'", b"!!set {a}", b"0x10", b".nan", b"@x", b"%TAG"]


def yaml_confusion(rng: random.Random, data: bytes) -> bytes:
    """A value after ``key:`` on some line replaced by one of another type (or YAML trouble)."""
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if b": " in line or line.rstrip().endswith(b":")]
    if not keyed:
        return data
    i = rng.choice(keyed)
    key = lines[i].split(b":", 1)[0]
    lines[i] = key + b": " + rng.choice(YAML_VALUES)
    return b"\n".join(lines)


def break_front_matter(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    fences = [i for i, line in enumerate(lines) if line.strip() == b"---"][:2]
    choice = rng.randrange(5)
    if choice == 0 and fences:
        del lines[rng.choice(fences)]
    elif choice == 1 and len(fences) == 2:  # a key twice
        lines.insert(fences[1], lines[fences[0] + 1] if fences[1] > fences[0] + 1 else b"x: 1")
    elif choice == 2:
        lines.insert(0, b"---")
    elif choice == 3 and fences:
        lines[fences[0]] = rng.choice([b"--- ", b"----", b"...", b"+++",
                                       "\ufeff---".encode()])
    else:
        lines.insert(1, b"\t bad: [indent")
    return b"\n".join(lines)


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    f.__name__: f for f in (flip_bytes, truncate, splice_garbage, duplicate_lines, delete_lines,
                            swap_lines, nest_deep, huge_line, odd_unicode, yaml_confusion,
                            break_front_matter)
}
WEIGHTS = {"flip_bytes": 2, "truncate": 1, "splice_garbage": 1, "huge_line": 1}
"""Byte-level damage mostly stops at the decoder: drawn less than structural mutations (3)."""


def mutate(rng: random.Random, files: dict[str, bytes]) -> tuple[dict[str, bytes], list[str]]:
    """``files`` after one to three random mutations, and what was done to which."""
    files = dict(files)
    names = list(MUTATIONS)
    weights = [WEIGHTS.get(name, 3) for name in names]
    applied = []
    for name in rng.choices(names, weights, k=rng.choice([1, 1, 2, 3])):
        target = rng.choice([f for f in SOURCES if f in files])
        files[target] = MUTATIONS[name](rng, files[target])
        applied.append(f"{name}({target})")
    return files, applied


# --- running the commands on a case -------------------------------------------------------

def command(argv: list[str]) -> int:
    """``briefpress ARGV`` as its ``main`` runs it (an exception escaping it is a crash)."""
    from briefpress.cli import main

    return main(argv)


def run_command(argv: list[str], cwd: Path, timeout: float) -> tuple[int | None, str, float]:
    """``argv`` run by :func:`command` in a forked child: exit status (None: hung), the
    child's stderr and stdout, and the seconds it took."""
    with tempfile.TemporaryFile() as output:
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 3
            try:
                os.setpgid(0, 0)  # pandoc and all: one group to kill on a hang
                os.dup2(output.fileno(), 1)
                os.dup2(output.fileno(), 2)
                # the command's prints to the file too, whatever sys.stdout was (pytest's)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                os.chdir(cwd)
                code = command(argv)
            except BaseException:
                traceback.print_exc()
                code = 3
            finally:
                with contextlib.suppress(BaseException):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        deadline = started + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None, "", time.monotonic() - started
            time.sleep(0.005)
        elapsed = time.monotonic() - started
        output.seek(0)
        text = output.read(200_000).decode("utf-8", "replace")
    return os.waitstatus_to_exitcode(status), text, elapsed


def run_case(folder: Path, scratch: Path, timeout: float) -> Outcome:
    """``check`` and ``build`` of the brief in ``folder`` (under ``scratch/content``)."""
    before = _digests(folder)
    codes, texts = [], []
    for argv in (["check", folder.name], ["build", folder.name]):
        code, text, elapsed = run_command(argv, scratch, timeout)
        shown = f"$ briefpress {' '.join(argv)}\n{text}"
        if code is None:
            return Outcome("crash", f"{shown}hang: no answer in {timeout:.0f} s")
        if code not in (0, 1, 2):
            return Outcome("crash", f"{shown}exit status {code}")
        if "Traceback (most recent call last)" in text:
            return Outcome("crash", f"{shown}a traceback")
        if _digests(folder) != before:
            return Outcome("crash", f"{shown}the sources changed")
        codes.append(code)
        texts.append(shown + f"exit {code} in {elapsed:.1f} s\n")
    return Outcome("clean" if codes == [0, 0] else "refused", "".join(texts))


def _digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
            for name in SOURCES if (folder / name).is_file()}


# --- seeds, the loop, the report ---------------------------------------------------------------

def seed_folders() -> list[Path]:
    """Every brief in content/ and the fixture briefs."""
    from briefpress.read.brief import all_slugs, find_brief

    fixtures = paths.ROOT / "tests" / "fixtures" / "briefs"
    return [find_brief(slug) for slug in all_slugs()] + sorted(
        p.parent for p in fixtures.glob("*/brief.md"))


def fuzz(seeds: list[Path], out: Path, seconds: float, first: int, iterations: int | None,
         timeout: float, say: Callable[[str], None] = print) -> Counter[str]:
    """Run cases ``first``, ``first + 1``… until the time or the count is used up."""
    work, crashes = out / "work", out / "crashes"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    tally: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    for number in case_numbers(first, iterations, seconds):
        rng = random.Random(number)
        seed = rng.choice(seeds)
        files = {name: (seed / name).read_bytes() for name in SOURCES if (seed / name).is_file()}
        mutated, applied = mutate(rng, files)
        scratch = work / f"case-{number}"
        folder = scratch / "content" / seed.name
        shutil.copytree(seed, folder)
        for name, data in mutated.items():
            (folder / name).write_bytes(data)
        outcome = run_case(folder, scratch, timeout)
        tally[outcome.kind] += 1
        if outcome.kind == "refused":
            errors = [line for line in outcome.detail.splitlines() if ": error: " in line]
            refusals[refusal_pattern(errors[0].split(": error: ", 1)[1] if errors else "")] += 1
        if outcome.kind == "crash":
            saved = crashes / f"case-{number}"
            saved.mkdir(parents=True, exist_ok=True)
            for name, data in mutated.items():
                (saved / name).write_bytes(data)
            report = (f"case {number}: {seed.name} + {', '.join(applied)}\n"
                      f"replay: python -m tools.fuzz_source --seed {number} --iterations 1\n\n"
                      f"{outcome.detail}")
            (saved / "report.txt").write_text(report, encoding="utf-8")
            say(f"CRASH {report}\n(saved {saved})")
        shutil.rmtree(scratch, ignore_errors=True)
    tally["cases"] = sum(tally[kind] for kind in ("clean", "refused", "crash"))
    say_tally(tally, refusals, "clean", "refused with a message", say, most=12)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz_source",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run")
    parser.add_argument("--seed", type=int, default=0, help="number of the first case")
    parser.add_argument("--iterations", type=int, help="run this many cases (not --seconds)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds a command may take before it counts as a hang")
    parser.add_argument("--out", type=Path, help="work folder (default: build/fuzz-source)")
    args = parser.parse_args(argv)
    out = args.out or paths.build_dir() / "fuzz-source"
    os.environ.setdefault("BRIEFPRESS_CACHE", str(out / "cache"))  # shared, kept warm
    # briefpress's own time limits well inside the hang timeout: a mutant that costs too
    # much must end as a located refusal of those limits, which is what is being tested
    from briefpress.support import limits

    for limit, share in ((limits.PANDOC_SECONDS, 0.2), (limits.PDF_SECONDS, 0.4)):
        os.environ.setdefault(limit.env, str(max(1, int(args.timeout * share))))
    seeds = seed_folders()
    # the slow engines once, here, so that each forked case starts with them loaded
    import weasyprint  # noqa: F401

    print(f"fuzzing the sources of {len(seeds)} briefs; crashes go to {out / 'crashes'}",
          flush=True)
    tally = fuzz(seeds, out, args.seconds, args.seed, args.iterations, args.timeout)
    return 1 if tally["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
