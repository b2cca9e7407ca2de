"""Turn saves of a brief's sources into a live preview: its web page and PDF, rebuilt, reloaded.

``briefpress serve [SLUG]`` runs three things in one process:

- a watcher (the main thread) that polls the size and modification time of every file
  :func:`watched_roots` names: the brief's folder, ``templates/``, ``styles/`` and the
  project's configuration file;
- a builder (the same thread, so WeasyPrint is imported once and its signal-based memory
  limit works) that rebuilds what changed with :func:`briefpress.build.build_all` and the
  edition cache: the web page first, so that it shows at once, then the PDF, then the web
  page again if it lists the new PDF's size;
- a server (``ThreadingHTTPServer``) of the files below the build folder, and nothing
  else, that adds to each HTML page it serves one script: it listens to
  ``/__briefpress/events`` (Server-Sent Events) and reloads the page when a new web page
  was built, or shows the build's errors over the last good edition. The script exists
  only in the responses: the files in the build folder are those ``briefpress build``
  writes.
"""

from __future__ import annotations

import errno
import mimetypes
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit

import lxml.html
import msgspec
from lxml.html import builder as E
from msgspec import Struct, field
from msgspec.structs import replace

from briefpress.errors import BriefError, Problem
from briefpress.model.options import RenderOptions
from briefpress.support import paths
from briefpress.support.interrupt import ctrl_c

HOST = "127.0.0.1"
"""The preview listens on the loopback interface only: it is for the author's own browser."""

PROJECT_WATCHED = ("templates", "styles", "briefpress.yaml", "brands")
"""The project files and folders (below the project root) whose change rebuilds the preview,
besides the briefs' own folders: the one list to extend when the project gains a file."""

ROUNDS = (("html",), ("pdf",), ("html",))
"""What one rebuild builds, in order: the web page first (it shows fast), then the PDF,
then the web page again (it lists the PDF's size; the cache skips it when that is the same)."""

FORMAT_NAMES = {"html": "the web page", "pdf": "the PDF"}

POLL_SECONDS = 0.025
"""How often the watched files are looked at (a look costs about a millisecond)."""

SETTLE_SECONDS = 0.01
"""How long a change must stay still before it is built (an editor's save in two writes)."""

KEEP_ALIVE_SECONDS = 15.0
"""How often an idle event stream sends a comment, to notice a closed browser tab."""

PREFIX = "/__briefpress/"
EVENTS = PREFIX + "events"
SCRIPT = PREFIX + "preview.js"

PREVIEW_JS = """\
// briefpress serve: reload when a new edition is built; show the build's errors.
(() => {
  "use strict";
  const loaded = Number(document.currentScript.dataset.generation);
  const edition = document.currentScript.dataset.waiting === undefined;
  let box = null;
  function show(problems) {
    if (!box) {
      box = document.createElement("div");
      box.id = "briefpress-preview-errors";
      box.setAttribute("role", "alert");
      Object.assign(box.style, {
        position: "fixed", top: "0", left: "0", right: "0", zIndex: "2147483647",
        maxHeight: "50vh", overflow: "auto", margin: "0", padding: "1em 1.5em",
        background: "#fff4f4", color: "#6b0000", borderBottom: "3px solid #b00020",
        font: "14px/1.5 monospace", whiteSpace: "pre-wrap",
        boxShadow: "0 2px 8px rgba(0,0,0,.25)"});
      document.body.append(box);
    }
    box.textContent = (edition
      ? "briefpress: the last save did not build; this is the last good edition."
      : "briefpress: the sources do not build, and this page was never built.") +
      "\\n\\n" + problems.join("\\n");
  }
  function hide() {
    if (box) { box.remove(); box = null; }
  }
  const events = new EventSource("/__briefpress/events");
  events.onmessage = (event) => {
    const state = JSON.parse(event.data);
    if (state.generation > loaded) { location.reload(); return; }
    if (state.problems.length) { show(state.problems); } else { hide(); }
  };
})();
"""


class State(Struct, frozen=True):
    """What the preview's pages are told: how many web pages and PDFs were built, whether a
    build is running, and the problems of the last one (empty when it built)."""

    serial: int = 0
    """Counts every change of the state (an event stream sends each one once)."""
    generation: int = 0
    """Web pages built since the server started: a page served before the last one reloads."""
    pdf_generation: int = 0
    building: bool = False
    problems: list[str] = field(default_factory=list)


class Preview:
    """The state the builder publishes and the event streams wait on."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._state = State()
        self._closed = False

    @property
    def state(self) -> State:
        with self._changed:
            return self._state

    def publish(self, **changes: object) -> State:
        with self._changed:
            self._state = replace(self._state, serial=self._state.serial + 1, **changes)
            self._changed.notify_all()
            return self._state

    def wait(self, serial: int, timeout: float) -> State | None:
        """The state once its serial differs from ``serial`` (or the same one after
        ``timeout`` seconds); None once the preview is closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._state.serial != serial,
                                   timeout)
            return None if self._closed else self._state

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


# --- what is watched ---------------------------------------------------------------------------

def watched_roots(folders: Sequence[Path]) -> list[Path]:
    """The files and folders whose change rebuilds the preview: the briefs' folders (or the
    whole content folder, so that a new brief is seen), then :func:`project_roots`."""
    return list(dict.fromkeys([*folders, *project_roots()]))


def project_roots() -> list[Path]:
    """:data:`PROJECT_WATCHED` below the project root and beside content/."""
    tops = dict.fromkeys((paths.ROOT, paths.content_dir().parent))
    return [top / name for top in tops for name in PROJECT_WATCHED]


Snapshot = dict[str, tuple[int, int]]


def snapshot(roots: Sequence[Path]) -> Snapshot:
    """The modification time and size of every visible file below ``roots`` (hidden files,
    an editor's swap file say, are left out as the edition keys leave them out)."""
    found: Snapshot = {}

    def add(path: str) -> None:
        try:
            info = os.stat(path)
        except OSError:
            return  # deleted between the listing and the look: the next poll sees it gone
        found[path] = (info.st_mtime_ns, info.st_size)

    for root in roots:
        if root.is_file():
            add(str(root))
            continue
        for top, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                if not name.startswith("."):
                    add(os.path.join(top, name))
    return found


# --- the server -----------------------------------------------------------------------------

def with_preview_script(page: bytes, generation: int, waiting: bool = False) -> bytes:
    """A page of the build folder with the preview's script added (and allowed by the page's
    Content-Security-Policy), for the response only; ``waiting``: the page says that the
    edition is not built (then a failed build's banner does not call it the last good one)."""
    document = lxml.html.document_fromstring(page)
    for meta in document.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-security-policy":
            meta.set("content", _allow_preview(meta.get("content") or ""))
    data = {"data-generation": str(generation)}
    if waiting:
        data["data-waiting"] = ""
    document.body.append(E.SCRIPT(src=SCRIPT, **data))
    doctype = document.getroottree().docinfo.doctype
    return lxml.html.tostring(document, doctype=doctype or None, encoding="utf-8")


def _allow_preview(policy: str) -> str:
    """A Content-Security-Policy that also lets the page run this server's script and open
    its event stream (the published page allows neither)."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    kept = [d for d in directives if d.split()[0].lower() not in ("script-src", "connect-src")]
    return "; ".join([*kept, "script-src 'self'", "connect-src 'self'"])


def _waiting_page(generation: int) -> bytes:
    """What a page that is not built (yet) shows: a note, and the script that shows the
    build's errors and reloads once the page exists."""
    page = E.HTML(
        E.HEAD(E.META(charset="utf-8"), E.TITLE("briefpress preview")),
        E.BODY(E.P("This page is not built yet: briefpress serve is building it, or its "
                   "sources have errors (shown here and in the terminal).")))
    return with_preview_script(lxml.html.tostring(page, doctype="<!DOCTYPE html>"), generation,
                               waiting=True)


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: files below ``root``, the script and the event stream."""

    daemon_threads = True
    block_on_close = False
    """The end waits for no request: an event stream still open, or a connection a browser
    opened ahead of time and sent nothing on, would hold it up for ever."""

    def __init__(self, port: int, root: Path, preview: Preview, home: str) -> None:
        self.root, self.preview, self.home = root.absolute(), preview, home
        try:
            super().__init__((HOST, port), PreviewHandler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                message, fix = (f"port {port} is in use by another program",
                                "stop it, or choose another port with --port N")
            elif exc.errno == errno.EACCES:
                message, fix = (f"port {port} may not be used by this user",
                                "choose a port above 1023 with --port N")
            else:
                raise
            raise BriefError(Problem(f"{HOST}:{port}", None, message, fix)) from None

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a browser that closes or reloads a tab drops its connections mid-request: no
        # fault of the preview's, and no traceback for the terminal
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class PreviewHandler(BaseHTTPRequestHandler):
    """One request to the preview: a file of the build folder, the script or the events."""

    server: PreviewServer
    protocol_version = "HTTP/1.0"  # one response per connection: the event stream ends it
    timeout = 60  # a connection that sends no request is closed after this many seconds

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows the builds, not every request

    def _respond(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        port = self.server.port
        if self.headers.get("Host", "").lower() not in (f"{HOST}:{port}", f"localhost:{port}"):
            # a page of another site whose name was made to point here (DNS rebinding)
            # must not read the drafts in the build folder
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                       f"this preview answers only at http://{HOST}:{port}/\n".encode(), body)
        elif path == EVENTS and body:
            self._events()
        elif path == SCRIPT:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", PREVIEW_JS.encode(), body)
        elif path == "/" and self.server.home != "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.server.home)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._file(path, body)

    def _file(self, path: str, body: bool) -> None:
        generation = self.server.preview.state.generation  # before the file: never too new
        target = served_file(self.server.root, path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = served_file(self.server.root, path + "index.html")
        if target is None or not target.is_file():
            if path.endswith("/") or path.endswith(".html"):  # a page that may come
                self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8",
                           _waiting_page(generation), body)
            else:
                self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8",
                           b"not found\n", body)
            return
        try:
            data = target.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n", body)
            return
        media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if media_type == "text/html":
            data = with_preview_script(data, generation)
            media_type = "text/html; charset=utf-8"
        self._send(HTTPStatus.OK, media_type, data, body)

    def _send(self, status: HTTPStatus, media_type: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # every look is at the latest build
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """The preview's state as Server-Sent Events: the current one at once, then each
        change, until the browser goes away or the server stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        serial = -1
        try:
            self.wfile.write(b"retry: 500\n\n")  # reconnect soon after a restarted server
            while (state := self.server.preview.wait(serial, KEEP_ALIVE_SECONDS)) is not None:
                if state.serial == serial:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    self.wfile.write(b"data: " + msgspec.json.encode(state) + b"\n\n")
                    serial = state.serial
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded


def served_file(root: Path, url_path: str) -> Path | None:
    """The path below ``root`` that a URL's path names, or None when it names nothing the
    preview serves: a way out of ``root`` (``..``, a symbolic link pointing elsewhere), a
    hidden file (the edition records, the caches, the locks)."""
    parts = [part for part in url_path.split("/") if part not in ("", ".")]
    if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        resolved = candidate.resolve()
        inside = resolved.is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symbolic link loop
        return None
    return candidate if inside else None


# --- the watcher and builder ---------------------------------------------------------------

class Builder:
    """Rebuilds the preview's briefs, round after round (:data:`ROUNDS`), and says so."""

    def __init__(self, slugs: Sequence[str], options: RenderOptions, build_dir: Path,
                 preview: Preview, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
                 stopping: threading.Event | None = None) -> None:
        self.slugs, self.options, self.build_dir = list(slugs), options, build_dir
        self.preview, self.out, self.err = preview, out, err
        self.stopping = stopping or threading.Event()
        self._warnings: dict[str, list[str]] = {}
        """The warnings last printed, by brief ("" for the catalog's): printed again only
        when they change."""
        self._found: dict[str, list[str]] = {}
        """The warnings of each brief's last build that read it: a brief whose failure was
        undone (its earlier text restored) is up to date, not read again, and its warnings
        are printed again from here. A brief up to date when the preview starts is read and
        checked once for them (:meth:`_checked`)."""

    def rebuild(self, changed_since: Callable[[], bool]) -> bool:
        """Build the rounds, stopping early when a file changed meanwhile (``changed_since``
        says so: then the caller starts again, web page first); whether all of them ran."""
        from briefpress.build import build_all
        from briefpress.read.brief import all_slugs

        had_problems = bool(self.preview.publish(building=True).problems)
        slugs = self.slugs or all_slugs()
        # each round that reads a brief finds its warnings again: they are gathered by
        # brief, once each, and printed below only where they changed since the last print
        warnings: dict[str, dict[str, None]] = {}
        briefs: dict[str, str] = {}  # every brief the rounds built or found up to date,
        # by its slug: the name it was built by (a folder outside content/, a slug)
        problems: list[str] = []
        unbuilt: list[str] = []  # failing briefs with no web page of an earlier build
        try:
            for formats in ROUNDS:
                started = time.monotonic()
                told: list[Problem] = []
                # the editions the preview does not make (Word, print) are not its to name
                report = build_all(slugs, formats, self.options, self.build_dir,
                                   warn=told.append, force=False, jobs=0, stop=self.stopping,
                                   others=False)
                of_briefs: set[str] = set()
                for result in report.results:
                    if not result.failed:
                        briefs[result.slug or result.name] = result.name
                    if result.built:  # read and checked in this round: its warnings now
                        found = warnings.setdefault(result.slug or result.name, {})
                        found.update(dict.fromkeys(str(p) for p in result.warnings))
                    elif not result.failed:
                        # an up-to-date brief reads nothing: what it says is a one-off (an
                        # earlier version's import backup moved out of the build folder)
                        for problem in result.warnings:
                            print(problem, file=self.err, flush=True)
                    of_briefs.update(str(p) for p in result.warnings)
                own = [str(p) for p in told if str(p) not in of_briefs]  # the catalog's
                if own:
                    warnings.setdefault("", {}).update(dict.fromkeys(own))
                problems = list(dict.fromkeys(
                    problems + [str(p) for r in report.failed for p in r.errors]))
                unbuilt = list(dict.fromkeys(
                    unbuilt + [r.slug or r.name for r in report.failed
                               if not self._served_before(r.slug)]))
                built = [r.slug for r in report.results if formats[0] in r.built]
                changes: dict[str, object] = {}
                if built:
                    counter = "generation" if formats[0] == "html" else "pdf_generation"
                    changes[counter] = getattr(self.preview.state, counter) + 1
                if problems != self.preview.state.problems:
                    changes["problems"] = problems
                if changes:
                    self.preview.publish(**changes)
                if built:
                    print(f"{_now()} built {FORMAT_NAMES[formats[0]]} of {', '.join(built)} "
                          f"({time.monotonic() - started:.2f} s)", file=self.out, flush=True)
                if all(r.failed for r in report.results):
                    break  # nothing that the next rounds could build
                if self.stopping.is_set() or changed_since():
                    return False
        except KeyboardInterrupt:
            if not self.stopping.is_set():
                raise
            # Ctrl-C, which the build noticed before its next brief or edition
        except BriefError as exc:  # no brief at all, a bad SOURCE_DATE_EPOCH
            problems = [str(p) for p in exc.problems]
            self.preview.publish(problems=problems)
        except Exception:  # a bug: said, and the server goes on with the last good edition
            problems = ["briefpress serve: the build failed unexpectedly (please report "
                        "this):\n" + traceback.format_exc()]
            self.preview.publish(problems=problems)
        finally:
            self.preview.publish(building=False)
        if self.stopping.is_set():
            return True  # a build Ctrl-C cut short (its pandoc killed, say) is no failure
        if problems:
            print(f"{_now()} {failure_heading(unbuilt, self.slugs)}", file=self.err)
            for line in problems:
                print(line, file=self.err)
            self.err.flush()
            self._warnings = {}  # said again once the sources build, below the failure
            return True
        for name, found in warnings.items():
            if name:
                self._found[name] = list(found)
        for name in dict.fromkeys([*briefs, *warnings]):
            if self.slugs and name and name not in warnings and name not in self._found:
                # up to date since before the preview started: never read in it. Only for
                # briefs the preview was asked for by name: a whole catalog's would be a
                # pandoc run each, minutes of a thousand briefs before the first reload
                self._found[name] = self._checked(briefs[name])
            # a brief read in this rebuild: its warnings now; one up to date: its last ones
            lines = list(warnings[name]) if name in warnings else self._found.get(name, [])
            if lines != self._warnings.get(name, []):
                for line in lines:
                    print(line, file=self.err, flush=True)
                self._warnings[name] = lines
        if had_problems:
            print(f"{_now()} the sources build again", file=self.out, flush=True)
        return True


    def _checked(self, name: str) -> list[str]:
        """The warnings a build of the brief ``name`` prints (of its read and its check,
        for the editions the preview builds), for a brief whose editions were all up to
        date: read and checked, not built (a pandoc run, once a preview)."""
        from briefpress.check.brief import check_brief
        from briefpress.read.brief import read_brief

        try:
            brief = read_brief(name)
        except BriefError:
            return []  # changed meanwhile: the next rebuild reads it and says what is wrong
        building = list(dict.fromkeys(fmt for formats in ROUNDS for fmt in formats))
        return list(dict.fromkeys(
            str(p) for p in check_brief(brief, readiness=False, every_edition=False,
                                        building=building) if p.severity == "warning"))

    def _served_before(self, slug: str) -> bool:
        """Whether a web page of the brief ``slug`` is in the build folder (from an earlier
        build), for the preview to show while its sources do not build."""
        from briefpress.render import FORMATS

        return bool(slug) and FORMATS["html"].output(self.build_dir, slug).is_file()


def failure_heading(unbuilt: Sequence[str], slugs: Sequence[str]) -> str:
    """The line above a failed build's problems: what the preview shows meanwhile, which is
    the last good edition only of a brief that was built before."""
    if not unbuilt:
        return "the build failed; serving the last good edition:"
    names = ", ".join(Path(name).name for name in unbuilt)
    if slugs:  # the one brief previewed
        return (f"the build failed, and {names} was never built: nothing to serve until its "
                "sources build (the page says it is not built yet):")
    return (f"the build failed; {names}: never built, nothing to serve until the sources "
            "build; every other brief: its last good edition:")


def _now() -> str:
    return datetime.now().strftime("%H:%M:%S")


def serve(slug: str | None, port: int, build_dir: Path | None = None,
          options: RenderOptions | None = None, out: TextIO = sys.stdout,
          err: TextIO = sys.stderr) -> None:
    """Preview ``slug`` (every brief under content/ when None) on 127.0.0.1:``port`` (0:
    any free port) until interrupted (Ctrl-C, which returns normally)."""
    from briefpress.read.brief import find_brief

    folders = [find_brief(slug)] if slug else [paths.content_dir()]
    build_dir = (build_dir or paths.build_dir()).absolute()
    slugs = [str(folders[0])] if slug else []  # a folder outside content/ is built as a path
    preview = Preview()
    home = f"/{folders[0].name}/" if slug else "/"
    server = PreviewServer(port, build_dir, preview, home)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="briefpress-serve", daemon=True)
    thread.start()
    stopping = threading.Event()
    builder = Builder(slugs, options or RenderOptions(), build_dir, preview, out, err, stopping)
    roots = watched_roots(folders)
    print(f"briefpress serve: http://{HOST}:{server.port}{home} (Ctrl-C to stop)",
          file=out, flush=True)

    # Ctrl-C sets a flag the loop and the builder look at (the build, before its next brief
    # or edition), instead of raising in the middle of whatever runs: a KeyboardInterrupt
    # raised inside a library's __del__ (WeasyPrint's) is printed and lost, and the preview
    # would go on. A second Ctrl-C does not wait for the edition under way.
    try:
        with ctrl_c(stopping, raise_first=False):
            seen: Snapshot | None = None
            while not stopping.is_set():
                now = snapshot(roots)
                if now != seen:
                    time.sleep(SETTLE_SECONDS)
                    settled = snapshot(roots)
                    if settled != now:
                        continue  # still being written
                    seen = now
                    if not builder.rebuild(lambda before=now: snapshot(roots) != before):
                        seen = None  # changed during the build: start again, web page first
                    continue
                time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        pass
    finally:
        print(f"{_now()} briefpress serve: stopped", file=out, flush=True)
        preview.close()
        server.shutdown()
        server.server_close()
        thread.join()
