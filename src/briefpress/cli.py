"""Turn command lines into calls of the pipeline; no logic of its own."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from briefpress import __version__
from briefpress.errors import BriefError, Problem, display_path
from briefpress.model.options import RenderOptions
from briefpress.render import FORMATS
from briefpress.support import paths
from briefpress.support.files import BUILD_ELSEWHERE, WRITABLE, fault

LAST_LINE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES}

DEFAULT_FORMATS = "pdf,docx,html"
"""What a plain ``briefpress build`` makes (``--format`` not given)."""
"""OSErrors ``main`` reports as a message (exit 2) when no deeper code caught them."""

# Each command imports what it needs when it runs: start-up time is part of every build.


def run() -> None:
    """The ``briefpress`` command: :func:`main` as a process of its own.

    When the reader of its output goes away early (``briefpress outline X | head``) it
    stops quietly with status 141, as a command the pipe's SIGPIPE ended does in a shell.
    """
    try:
        code = main()
        sys.stdout.flush()  # here, not at exit, where a closed pipe could not be caught
    except BrokenPipeError:
        # stdout to devnull, so that the interpreter's own flush at exit finds nothing to
        # write (the Python documentation's "Note on SIGPIPE")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 128 + signal.SIGPIPE
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except BriefError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        # the last line for a fault of the machine no deeper code named a file for (a full,
        # read-only or forbidden disk); any other OSError is a bug and keeps its traceback
        if exc.errno not in LAST_LINE_ERRNOS:
            raise
        print(fault(exc.filename or "briefpress", exc, WRITABLE, BUILD_ELSEWHERE).problems[0],
              file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        for line in interrupted_lines(exc):
            print(line, file=sys.stderr)
        return 130


def interrupted_lines(exc: KeyboardInterrupt) -> list[str]:
    """What a Ctrl-C leaves, in words: the editions a build had replaced before it (whole
    and new), and that every other output is as it was."""
    from briefpress.errors import Interrupted

    if not isinstance(exc, Interrupted):  # not a build's (an import, a check): it wrote
        return ["briefpress: interrupted; earlier outputs are as they were"]  # nothing half
    running = ([f"sent to the cluster and not known to be stopped (a Dask worker did not "
                f"confirm the stop: a job running there may yet replace its editions, each "
                f"whole): {', '.join(exc.running)}"] if exc.running else [])
    if not exc.replaced:
        return ["briefpress: interrupted before any edition was replaced; every output is "
                "as it was" + (", but for:" if running else ""), *running]
    return ["briefpress: interrupted; replaced before the interrupt (complete, new):",
            *(f"  {display_path(path)}" for path in exc.replaced),
            "every other edition, catalog page and asset is as it was before this build",
            *running]


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefpress",
        description="Publish policy briefs from one Markdown source: print PDF, DOCX, web page.")
    parser.add_argument("--version", action="version", version=f"briefpress {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cmd = commands.add_parser("build", help="render briefs to build/<slug>/")
    cmd.add_argument("slugs", nargs="*", metavar="SLUG", help="briefs to build (default: all)")
    cmd.add_argument("--format", default=None,
                     help=f"comma-separated formats: {', '.join(FORMATS)} "
                     f"(default: {DEFAULT_FORMATS})")
    cmd.add_argument("--page-size", choices=["letter", "a4"], default=None,
                     help="paper size of the PDF (default: briefpress.yaml's, else letter)")
    cmd.add_argument("--pdf-variant", choices=["ua", "a"], default="ua",
                     help="ua: accessible PDF/UA-1 (default); a: archival PDF/A")
    cmd.add_argument("--pdf-layout", choices=["single", "facing"],
                     help="pages of the PDF editions: single, or facing (mirrored margins, "
                     "heads and folios outside; the print edition's default)")
    cmd.add_argument("--base-url", help="where the web edition is published (canonical URLs)")
    cmd.add_argument("--build-dir", type=Path, help="output folder (default: build/)")
    cmd.add_argument("--force", action="store_true",
                     help="rebuild every edition, even those that are up to date")
    cmd.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                     help="worker processes for a build of several briefs (default: one per "
                     "CPU)")
    cmd.add_argument("--scheduler", metavar="ADDRESS",
                     help="build on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786 "
                     "(needs briefpress[cluster]; see docs/catalog.md)")
    cmd.set_defaults(run=run_build)

    cmd = commands.add_parser("check", help="check sources and built editions")
    cmd.add_argument("slugs", nargs="*", metavar="SLUG", help="briefs to check (default: all)")
    cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    cmd.add_argument("--build-dir", type=Path, help="where built editions are (default: build/)")
    cmd.set_defaults(run=run_check)

    cmd = commands.add_parser("outline", help="print the outline of a brief or an edition")
    cmd.add_argument("path", help="brief slug or folder, or a built .pdf, .docx or .html")
    cmd.add_argument("--json", action="store_true", help="print JSON")
    cmd.set_defaults(run=run_outline)

    cmd = commands.add_parser("import", help="bring an edited .docx back into the source")
    cmd.add_argument("docx", nargs="?", type=Path, help="the edited Word file")
    cmd.add_argument("--brief", metavar="SLUG",
                     help="brief to update (default: the one the file was built from)")
    cmd.add_argument("--changes", choices=["accept", "reject"], default="accept",
                     help="what to do with tracked changes (default: accept)")
    cmd.add_argument("--dry-run", action="store_true",
                     help="print the diff and the report, write nothing")
    cmd.add_argument("--force", action="store_true",
                     help="accept an import that drops or moves sections, recommendations "
                     "or links")
    cmd.add_argument("--undo", action="store_true",
                     help="restore the sources the last import of the brief replaced")
    cmd.add_argument("--build-dir", type=Path,
                     help="where built editions are, which the import locks and checks "
                     "against (default: build/); the review report goes to "
                     ".briefpress/reviews/<slug>.md, never there")
    cmd.set_defaults(run=run_import)

    cmd = commands.add_parser("new", help="scaffold a new brief that passes check")
    cmd.add_argument("slug", help="folder name under content/, e.g. arctic-security")
    cmd.add_argument("--title", help="working title")
    cmd.add_argument("--type", dest="doctype", metavar="TYPE",
                     help="document type (default: briefpress.yaml's, else policy-brief; "
                     "see `briefpress doctypes`)")
    cmd.add_argument("--program", metavar="ID", help="a program of briefpress.yaml")
    cmd.add_argument("--series", metavar="ID", help="a series of briefpress.yaml")
    cmd.set_defaults(run=run_new)

    cmd = commands.add_parser("doctypes", help="list the document types and their sections")
    cmd.set_defaults(run=run_doctypes)

    cmd = commands.add_parser("serve", help="preview a brief on 127.0.0.1, rebuilt and "
                              "reloaded on every save")
    cmd.add_argument("slug", nargs="?", metavar="SLUG", help="brief to preview (default: all)")
    cmd.add_argument("--port", type=_port, default=8000,
                     help="port on 127.0.0.1 (default: 8000; 0: any free port)")
    cmd.add_argument("--page-size", choices=["letter", "a4"], default=None,
                     help="paper size of the PDF (default: briefpress.yaml's, else letter)")
    cmd.add_argument("--build-dir", type=Path, help="output folder (default: build/)")
    cmd.set_defaults(run=run_serve)
    return parser


@contextmanager
def in_project_of(names: Sequence[str], *, uses_project: bool = True) -> Iterator[None]:
    """Act on the project of the briefs ``names`` gives as folders (a brief given by path is
    read with its own project's briefpress.yaml, and its editions are in that project's
    build folder, wherever the command runs); else on the working directory's project.
    Outside every project, when the command uses one (``uses_project``), one line says that
    briefpress's own example briefs stand in for it."""
    root = paths.briefs_project(names)
    if root is None and uses_project and paths.found_content_dir() is None:
        print(f"note: no content/ folder here or above; using briefpress's example briefs in "
              f"{display_path(paths.content_dir())} (fix: cd into your project, or "
              f"`briefpress new SLUG` to start one)", file=sys.stderr)
    with paths.project(root):
        yield


def run_build(args: argparse.Namespace) -> int:
    from briefpress.read.brief import all_slugs

    # as asked: the build fills in the project's paper size, and records the options as
    # asked, so that check's fix repeats only what was typed
    options = RenderOptions(page_size=args.page_size, pdf_variant=args.pdf_variant,
                            pdf_layout=args.pdf_layout, base_url=args.base_url)
    formats = [name.strip() for name in (args.format or DEFAULT_FORMATS).split(",")
               if name.strip()]
    with in_project_of(args.slugs):
        return _build(args, options, formats, args.slugs or all_slugs())


def _build(args: argparse.Namespace, options: RenderOptions, formats: list[str],
           slugs: list[str]) -> int:
    from briefpress.build import build_all
    from briefpress.run.cluster import cluster_executor
    from briefpress.run.progress import Progress
    from briefpress.support.interrupt import ctrl_c

    # Ctrl-C raises at once, as Python's own handler does, and is remembered: one raised
    # inside a library's __del__ (WeasyPrint's) is printed and lost, and the build must still
    # stop, before its next edition
    with ctrl_c(threading.Event(), raise_first=True) as stop, \
            cluster_executor(args.scheduler) as executor, Progress(len(slugs)) as progress:
        # each brief's warnings and errors are shown as it finishes, after its line
        report = build_all(slugs, formats, options, build_dir=args.build_dir,
                           warn=progress.problem, force=args.force, jobs=args.jobs,
                           executor=executor, done=progress.advance, stop=stop,
                           # a plain build names the editions of other formats it left
                           # stale (a print PDF); one of formats typed knows what it made,
                           # and pays no key of another format (15% of a web page's build)
                           others=args.format is None)
    if len(report.results) == 1:
        result = report.results[0]
        # the outputs are those of the formats built or up to date, in the order asked (a
        # format that failed has its error above, and stopped none after it)
        done = [name for name in formats if name in result.built or name in result.current]
        for name, output in zip(done, result.outputs, strict=False):
            print(f"{'up to date' if name in result.current else 'built'} "
                  f"{display_path(output)}")
    if report.collections:  # the catalog page, then its program and series pages
        main, *more = report.collections
        beside = f" (and {len(more)} program and series pages)" if more else ""
        print(f"catalog {display_path(main)}{beside}")
    if len(report.results) > 1:
        print(progress.summary(), file=sys.stderr)
    if report.failed:
        if len(report.results) == 1:
            return report.failed[0].exit_code
        # a brief some of whose editions failed is named with them; "in part" only where
        # others were built or are up to date (every edition failing is no part built)
        names = ", ".join((r.slug or r.name) + (f" ({', '.join(r.failed_formats)})"
                                                if r.failed_formats else "")
                          for r in report.failed)
        some = [r.partly_built for r in report.failed]
        how = "failed in part" if all(some) else "failed, in whole or in part" if any(some) \
            else "failed"
        print(f"briefpress: {len(report.failed)} of {len(report.results)} briefs {how}: "
              f"{names}", file=sys.stderr)
        return 1
    return 0


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return int(text)


def run_serve(args: argparse.Namespace) -> int:
    from briefpress.serve import serve

    with in_project_of([args.slug] if args.slug else []):
        serve(args.slug, args.port, args.build_dir, RenderOptions(page_size=args.page_size))
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return int(text)


def run_check(args: argparse.Namespace) -> int:
    with in_project_of(args.slugs):
        return _check(args)


def _check(args: argparse.Namespace) -> int:
    from briefpress.check.brief import check_with_editions
    from briefpress.read.brief import all_slugs, read_brief
    from briefpress.support import cache

    problems: list[Problem] = []
    unreadable: list[Problem] = []
    build_dir = args.build_dir or paths.build_dir()
    checked = set()
    for slug in args.slugs or all_slugs():
        try:
            brief = read_brief(slug)
        except BriefError as exc:
            unreadable.extend(exc.problems)
            continue
        checked.add(brief.slug)
        problems += check_with_editions(brief, build_dir)
    # whatever was asked: the build folder of a brief withdrawn from content/ is published
    # with the rest, and only a look at the build folder finds it (one listing of it)
    problems += cache.withdrawn_warnings(build_dir, paths.content_dir(),
                                         {*all_slugs(), *checked})
    # a finding about a file the briefs share (their brand's brand.yml, briefpress.yaml) is
    # found once per brief: it is said, and counted, once
    problems = list(dict.fromkeys(problems))
    for problem in dict.fromkeys(unreadable + problems):
        _print_problem(problem)
    if unreadable:
        return 2
    failing = [p for p in problems if p.severity == "error" or args.strict]
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    # under --strict a warning fails the check as an error does: the summary says so
    print(f"{errors} error(s), {warnings} warning(s)"
          + (f": {warnings} fail(s) the check under --strict" if args.strict and warnings
             else " (strict)" if args.strict else ""), file=sys.stderr)
    return 1 if failing else 0


def run_outline(args: argparse.Namespace) -> int:
    from briefpress.readback.outline import format_outline, read_outline

    # an edition's file, or a brief given by path outside every project, needs no project
    given = Path(args.path)
    own = (given.is_file() and given.name != "brief.md") or \
        paths.given_folder(args.path) is not None
    with in_project_of([args.path], uses_project=not own):
        print(format_outline(read_outline(args.path), as_json=args.json))
    return 0


def run_import(args: argparse.Namespace) -> int:
    # a brief named by its folder: its project's build folder is the one locked and checked
    with in_project_of([args.brief] if args.brief else []):
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    from briefpress.importer import import_docx

    if args.undo:
        from briefpress.importer.pipeline import undo_import

        folder = undo_import(args.brief, build_dir=args.build_dir, force=args.force)
        print(f"restored {display_path(folder)} to what it was before the last import")
        return 0
    if args.docx is None:
        raise BriefError(Problem("briefpress import", None, "no .docx given",
                                 "briefpress import EDITED.docx [--brief SLUG]"))
    result = import_docx(args.docx, args.brief, args.changes, dry_run=args.dry_run,
                         force=args.force, build_dir=args.build_dir)
    if args.dry_run:
        print(result.diff(), end="")
        print(result.report())
    for line in result.summary():
        print(line)
    # a Word file briefpress did not make: its new brief still fails check (listed above)
    return 1 if result.todo else 0


def run_new(args: argparse.Namespace) -> int:
    from briefpress.scaffold import new_brief
    from briefpress.support.paths import new_content_dir

    root, started = new_content_dir()
    folder = new_brief(args.slug, title=args.title, doctype=args.doctype, program=args.program,
                       series=args.series, root=root)
    both = (folder / "recommendations.yaml").exists()  # a type without recommendations: one
    print(f"created {display_path(folder)}/brief.md" + (" and recommendations.yaml" if both
                                                        else ""))
    if started is not None and (started / "briefpress.yaml").is_file():
        print(f"the project's first brief: content/ made beside "
              f"{display_path(started / 'briefpress.yaml')}")
    elif started is not None:
        print("no content/ folder here or above: a new project starts here (content/; "
              "briefpress.yaml beside it gives its defaults)")
    print(f"next: edit {'them' if both else 'it'}, then `briefpress check {Path(folder).name}`")
    return 0


def run_doctypes(args: argparse.Namespace) -> int:
    from briefpress.model.doctype import describe_doctype
    from briefpress.read.doctype import known_doctypes, load_doctype

    print("\n\n".join(describe_doctype(load_doctype(name)) for name in known_doctypes()))
    return 0


def _print_problem(problem: Problem) -> None:
    print(problem, file=sys.stderr)


if __name__ == "__main__":
    run()
