"""Tests of `briefpress serve`: files served only from the build folder, the script only in
responses, rebuilds on save, errors shown without stopping, a clean Ctrl-C, and the page
reloading by itself in Debian's Chromium."""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from pypdf import PdfReader

from briefpress.build import build
from briefpress.model.options import RenderOptions
from briefpress.serve import (
    EVENTS,
    PROJECT_WATCHED,
    SCRIPT,
    Builder,
    Preview,
    served_file,
    snapshot,
    watched_roots,
    with_preview_script,
)
from briefpress.support import paths
from conftest import ARCTIC, ROOT, edit

pytestmark = pytest.mark.slow

SLUG = ARCTIC.name
OLD_SENTENCE = "Rules written for a frozen ocean now govern a busy one."
NEW_SENTENCE = "Only the preview has seen this sentence yet."
TITLE_LINE = 'title: "Shipping Lanes at the Top of the World: Governing Arctic Transit in a Warming Decade"'  # noqa: E501


class Served:
    """`briefpress serve` running as a process in a project of its own (tmp/content/<slug>)."""

    def __init__(self, project: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.project = project
        self.brief = project / "content" / SLUG / "brief.md"
        self.env = {**os.environ,  # BRIEFPRESS_CACHE: the run's warm cache (conftest.py)
                    "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT),
                                                   os.environ.get("PYTHONPATH", "")]),
                    **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefpress.cli", "serve", *args],
            cwd=project, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline() if self.process.stdout else ""
        if "http://" not in line:
            raise AssertionError(f"serve did not start: {line}{self.stop()[2]}")
        self.url = line.split()[2]
        self.port = int(self.url.split(":")[2].split("/")[0])
        self.built: Path | None = None
        """A copy of the project as the first build left it (:func:`shared`)."""

    def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path`` exactly as written (no normalisation of ``..`` on the way)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def events(self) -> Events:
        return Events(self.port)

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str, str]:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


class Events:
    """The preview's event stream, read as a browser's EventSource would."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.connection.request("GET", EVENTS)
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next(self) -> dict[str, Any]:
        while True:
            line = self.response.readline().decode()
            if not line:
                raise AssertionError("the event stream ended")
            if line.startswith("data: "):
                return json.loads(line[6:])

    def until(self, test: Any, seconds: float = 60) -> dict[str, Any]:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            state = self.next()
            if test(state):
                return state
        raise AssertionError("no such state in time")

    def close(self) -> None:
        self.connection.close()


def idle(state: dict[str, Any]) -> bool:
    return not state["building"] and (state["pdf_generation"] > 0 or bool(state["problems"]))


def ready(state: dict[str, Any]) -> bool:
    """The preview's first round is over, whether it built anything or found every edition
    up to date (it publishes that it builds first of all, and that it stopped last)."""
    return state["serial"] > 0 and not state["building"]


def serve_arctic(project: Path, built: Path | None = None) -> Iterator[Served]:
    """The arctic brief previewed in ``project``, from the end of its first build; with
    ``built``, a project whose editions are built (copied with their records), from the end
    of its first round, which finds them up to date."""
    if built is None:
        shutil.copytree(ARCTIC, project / "content" / SLUG)
    else:
        shutil.copytree(built, project, dirs_exist_ok=True)
    server = Served(project, SLUG, "--port", "0")
    events = server.events()
    events.until(idle if built is None else ready)  # the first build or round is done
    events.close()
    yield server
    server.stop()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    yield from serve_arctic(tmp_path)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One preview shared, in this file's order, by the server's tests that start from an
    idle preview (each waits for one) and leave it previewing a brief that builds: the
    editions served, the files of a normal build, a save; then errors, which stops it. A
    test run alone gets a preview of its own, as with :func:`served`. Its project as its
    first build left it is kept (:func:`served_built`)."""
    project = tmp_path_factory.mktemp("shared")
    for server in serve_arctic(project):
        server.built = tmp_path_factory.mktemp("built")
        for name in ("content", "build"):
            shutil.copytree(project / name, server.built / name)
        yield server


@pytest.fixture
def served_built(shared: Served, tmp_path: Path) -> Iterator[Served]:
    """A preview of its own, of a copy of the project the shared preview's first build
    made: its first round finds every edition up to date, and builds nothing (for a test
    that does not look at the first build, nor needs a process that built before)."""
    assert shared.built is not None
    yield from serve_arctic(tmp_path, shared.built)


# --- pieces ----------------------------------------------------------------------------------

def test_served_file_never_leaves_the_build_folder(tmp_path: Path) -> None:
    root = tmp_path / "build"
    (root / "brief").mkdir(parents=True)
    (root / "brief" / "index.html").write_text("page")
    (root / "brief" / ".editions.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "brief" / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert served_file(root, "/brief/index.html") == root / "brief" / "index.html"
    assert served_file(root, "/brief/./index.html") == root / "brief" / "index.html"
    for path in ("/../secret.txt", "/brief/../../secret.txt", "/brief/.editions.json",
                 "/.cache/fonts", "/brief/link.txt", "/brief/..\\..\\secret.txt"):
        assert served_file(root, path) is None, path


def test_the_script_is_added_and_allowed_only_in_the_response(tmp_path: Path) -> None:
    build([str(ARCTIC)], ["html"], build_dir=tmp_path)
    page = (tmp_path / SLUG / "index.html").read_bytes()
    served = with_preview_script(page, 3)
    assert b"__briefpress" not in page
    import lxml.html

    document = lxml.html.document_fromstring(served)
    script = document.body[-1]
    assert (script.tag, script.get("src"), script.get("data-generation")) == ("script", SCRIPT,
                                                                               "3")
    policy = document.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "default-src 'none'" in policy  # the rest of the page's policy is kept
    assert document.findtext(".//h1") == lxml.html.document_fromstring(page).findtext(".//h1")


class InProcess:
    """The preview's builder alone, in this process, with what it prints."""

    def __init__(self, folder: Path, build_dir: Path) -> None:
        self.out, self.err = io.StringIO(), io.StringIO()
        self.builder = Builder([str(folder)], RenderOptions(), build_dir, Preview(), self.out,
                               self.err)

    def rebuild(self) -> str:
        """Rebuild, and what it printed on stderr."""
        start = len(self.err.getvalue())
        assert self.builder.rebuild(lambda: False)
        return self.err.getvalue()[start:]


UNLINKED = ("seasonal highways", "story plainly", "planned jointly")
"""Phrases of the arctic brief made links with no target: three warnings, on three lines (the
kind of warning, and the only kind, the real brief has nine of; its web page and PDF cost
two to three times the arctic one's in each of the rebuilds below)."""


def with_warnings(folder: Path) -> Path:
    """The arctic brief in ``folder`` with the links of :data:`UNLINKED` (each a warning)."""
    for phrase in UNLINKED:
        edit(folder / "brief.md", phrase, f"[{phrase}]()")
    return folder


def test_warnings_are_printed_once_and_again_only_when_they_change(
        scratch, tmp_path: Path, warm_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = with_warnings(scratch())
    preview = InProcess(folder, tmp_path / "build")
    first = preview.rebuild().splitlines()
    # the web page and the PDF are each built from the brief: its warnings are printed once
    assert first and len(first) == len(set(first))
    for phrase in UNLINKED:
        assert sum(f"'{phrase}' has no target" in line for line in first) == 1, phrase
    for word in ("alpha", "beta"):  # edits that change no warning
        edit(folder / "brief.md", "# Conclusion", f"A {word} paragraph.\n\n# Conclusion")
        assert preview.rebuild() == ""
    edit(folder / "brief.md", "# Conclusion", "A [new link]().\n\n# Conclusion")
    again = preview.rebuild().splitlines()
    assert any("'new link' has no target" in line for line in again)
    assert sorted(set(again) - set(first)) == [line for line in again if "new link" in line]
    assert "built the PDF" in preview.out.getvalue()
    # a new preview of the same editions, all up to date: nothing built, the same warnings
    # printed once (the brief read and checked)
    restarted = InProcess(folder, tmp_path / "build")
    assert restarted.rebuild().splitlines() == again
    assert restarted.out.getvalue() == ""
    assert restarted.rebuild() == ""
    # a preview of the whole project does not read its up-to-date briefs at start (a pandoc
    # run each: minutes of a large catalog before the first reload); `check` lists them
    monkeypatch.chdir(tmp_path)
    catalog = InProcess(folder, tmp_path / "build")
    catalog.builder.slugs = []
    assert catalog.rebuild() == ""


def test_warnings_are_printed_again_once_a_failure_is_undone(
        scratch, tmp_path: Path, warm_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Restoring the exact text that built makes every edition up to date (nothing is read
    again): its warnings come from the last build that read it."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = with_warnings(scratch())
    preview = InProcess(folder, tmp_path / "build")
    first = preview.rebuild().splitlines()
    assert len(first) == len(UNLINKED) and all("has no target" in line for line in first)
    text = (folder / "brief.md").read_text(encoding="utf-8")
    (folder / "brief.md").write_text(text.replace("---\n", "---\nbad: [broken\n", 1),
                                     encoding="utf-8")
    failed = preview.rebuild().splitlines()
    assert "the build failed" in failed[0]
    (folder / "brief.md").write_text(text, encoding="utf-8")
    again = preview.rebuild().splitlines()
    assert preview.out.getvalue().splitlines()[-1].endswith(" the sources build again")
    assert again == first
    assert preview.rebuild() == ""  # and then only when they change


def test_an_earlier_version_s_backup_moved_by_an_up_to_date_round_is_said_once(
        scratch, tmp_path: Path, warm_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefpress.support.backup import LEGACY, backup_dir

    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = scratch()
    preview = InProcess(folder, tmp_path / "build")
    preview.rebuild()
    legacy = tmp_path / "build" / folder.name / LEGACY
    legacy.mkdir()
    (legacy / "import.json").write_text("{}", encoding="utf-8")
    [said] = preview.rebuild().splitlines()
    assert "warning: moved the import backup an earlier briefpress left" in said
    assert (backup_dir(folder) / "import.json").is_file() and not legacy.exists()
    assert preview.rebuild() == ""


def test_a_set_stopping_flag_stops_the_preview_build_before_any_edition(
        scratch, tmp_path: Path) -> None:
    import threading

    stopping = threading.Event()
    stopping.set()
    folder = scratch()
    builder = Builder([str(folder)], RenderOptions(), tmp_path / "build", Preview(),
                      io.StringIO(), io.StringIO(), stopping)
    assert builder.rebuild(lambda: False)
    assert not (tmp_path / "build" / SLUG / "index.html").exists()


def test_a_brief_that_never_built_is_not_said_to_be_served(
        scratch, tmp_path: Path, warm_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = scratch()
    edit(folder / "brief.md", TITLE_LINE, "title: [broken")
    preview = InProcess(folder, tmp_path / "build")
    said = preview.rebuild().splitlines()
    assert said[0].endswith(f"the build failed, and {SLUG} was never built: nothing to serve "
                            "until its sources build (the page says it is not built yet):")
    assert "last good edition" not in "".join(said)
    edit(folder / "brief.md", "title: [broken", TITLE_LINE)
    assert preview.rebuild() == ""
    edit(folder / "brief.md", TITLE_LINE, "title: [broken")
    said = preview.rebuild().splitlines()
    assert said[0].endswith(" the build failed; serving the last good edition:")


def test_the_page_that_is_not_built_yet_says_so_under_errors_too() -> None:
    import lxml.html

    from briefpress.serve import PREVIEW_JS, _waiting_page

    script = lxml.html.document_fromstring(_waiting_page(0)).body[-1]
    assert script.get("data-waiting") == ""  # the banner does not call it the last good one
    assert "dataset.waiting" in PREVIEW_JS and "this page was never built" in PREVIEW_JS


def test_the_watch_list_names_the_brief_templates_styles_and_config(tmp_path: Path,
                                                                    monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / SLUG).mkdir(parents=True)
    roots = watched_roots([tmp_path / "content" / SLUG])
    assert tmp_path / "content" / SLUG in roots
    for name in PROJECT_WATCHED:
        assert paths.ROOT / name in roots and tmp_path / name in roots
    (tmp_path / "content" / SLUG / "brief.md").write_text("one")
    (tmp_path / "content" / SLUG / ".brief.md.swp").write_text("swap")
    before = snapshot(roots)
    assert str(tmp_path / "content" / SLUG / ".brief.md.swp") not in before
    (tmp_path / "content" / SLUG / "brief.md").write_text("one, two")
    assert snapshot(roots) != before
    (tmp_path / "briefpress.yaml").write_text("publisher: x\n")  # a config file, later
    assert str(tmp_path / "briefpress.yaml") in snapshot(roots)


# --- the server --------------------------------------------------------------------------------

def wait_until_idle(served: Served) -> None:
    """Wait for the end of the rebuild an earlier test's save started, if one is under way."""
    events = served.events()
    events.until(idle)
    events.close()


def test_serves_the_editions_and_nothing_outside_the_build_folder(shared: Served) -> None:
    served = shared
    wait_until_idle(served)
    build_dir = served.project / "build"
    (build_dir / SLUG / "escape.txt").symlink_to(served.project / "content" / SLUG / "brief.md")
    status, page = served.get(f"/{SLUG}/")
    assert status == 200 and SCRIPT.encode() in page
    status, pdf = served.get(f"/{SLUG}/{SLUG}.pdf")
    assert status == 200 and pdf == (build_dir / SLUG / f"{SLUG}.pdf").read_bytes()
    assert served.get("/")[0] == 302
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.request("GET", f"/{SLUG}/", headers={"Host": "briefs.example.org"})
    assert connection.getresponse().status == 403  # another site's name pointed here
    connection.close()
    for path in ("/../../../../etc/passwd", f"/{SLUG}/../../content/{SLUG}/brief.md",
                 "/%2e%2e/%2e%2e/etc/passwd", f"/{SLUG}/%2e%2e%2f%2e%2e%2fcontent",
                 f"/{SLUG}/.editions.json", f"/{SLUG}/.lock", "/.cache/",
                 f"/{SLUG}/escape.txt", "/etc/passwd"):
        status, body = served.get(path)
        assert status == 404, path
        assert b"Executive Summary" not in body and b"root:" not in body, path


def test_the_built_files_are_those_of_a_normal_build(shared: Served, tmp_path: Path) -> None:
    served = shared
    wait_until_idle(served)
    normal = tmp_path / "normal"
    build([str(served.project / "content" / SLUG)], ["pdf", "html"], build_dir=normal)
    ours = served.project / "build" / SLUG
    for name in ("index.html", f"{SLUG}.pdf"):
        assert (ours / name).read_bytes() == (normal / SLUG / name).read_bytes(), name
    assert b"__briefpress" not in (ours / "index.html").read_bytes()


def test_a_save_rebuilds_the_page_then_the_pdf(shared: Served) -> None:
    served = shared
    events = served.events()
    first = events.until(idle)
    edit(served.brief, OLD_SENTENCE, NEW_SENTENCE)
    page = events.until(lambda s: s["generation"] > first["generation"])
    assert page["pdf_generation"] == first["pdf_generation"]  # the web page comes first
    assert NEW_SENTENCE.encode() in served.get(f"/{SLUG}/")[1]
    events.until(lambda s: s["pdf_generation"] > first["pdf_generation"])
    pdf = PdfReader(io.BytesIO(served.get(f"/{SLUG}/{SLUG}.pdf")[1]))
    assert "Only the preview has seen" in "".join(p.extract_text() for p in pdf.pages)
    events.close()


def test_errors_are_shown_and_the_last_good_edition_stays(shared: Served) -> None:
    served = shared
    events = served.events()
    first = events.until(idle)
    edit(served.brief, TITLE_LINE, "title: [not closed")
    broken = events.until(lambda s: bool(s["problems"]))
    assert broken["problems"][0].startswith(f"content/{SLUG}/brief.md:2: error: malformed YAML")
    assert served.process.poll() is None
    status, page = served.get(f"/{SLUG}/")
    assert status == 200 and b"Governing Arctic Transit" in page  # the last good edition
    edit(served.brief, "title: [not closed", TITLE_LINE)
    mended = events.until(lambda s: not s["problems"] and not s["building"])
    assert mended["generation"] == first["generation"]  # the same sources: nothing to build
    edit(served.brief, "# Introduction {#introduction}", "# Introduction {#executive-summary}")
    failed = events.until(lambda s: bool(s["problems"]))  # a failed check, not a bad file
    assert any("executive-summary" in p for p in failed["problems"])
    events.close()
    code, _, err = served.stop()
    assert code == 0
    assert f"content/{SLUG}/brief.md:2: error: malformed YAML" in err
    assert "Traceback" not in err


def test_every_brief_without_a_slug_and_a_broken_one_stops_no_other(tmp_path: Path) -> None:
    shutil.copytree(ARCTIC, tmp_path / "content" / SLUG)
    shutil.copytree(ARCTIC, tmp_path / "content" / "other")
    server = Served(tmp_path, "--port", "0")
    try:
        events = server.events()
        first = events.until(idle)
        status, catalog = server.get("/")
        assert status == 200 and SCRIPT.encode() in catalog and b'href="other/' in catalog
        edit(tmp_path / "content" / "other" / "brief.md", TITLE_LINE, "title: [not closed")
        events.until(lambda s: bool(s["problems"]))
        edit(server.brief, OLD_SENTENCE, NEW_SENTENCE)
        state = events.until(lambda s: s["generation"] > first["generation"])
        assert state["problems"][0].startswith("content/other/brief.md:2: error: ")
        assert NEW_SENTENCE.encode() in server.get(f"/{SLUG}/")[1]
        events.close()
    finally:
        code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err


def test_a_changed_stylesheet_rebuilds_its_edition_in_the_new_style(tmp_path: Path) -> None:
    """The renderers keep the stylesheets they read for the life of a process: the preview,
    which outlives every edit, must end up with the files a fresh build writes."""
    for name in ("templates", "styles"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(ARCTIC, tmp_path / "content" / SLUG)
    server = Served(tmp_path, SLUG, "--port", "0", env={"BRIEFPRESS_ROOT": str(tmp_path)})
    try:
        events = server.events()
        first = events.until(idle)
        with (tmp_path / "styles" / "web.css").open("a", encoding="utf-8") as css:
            css.write("\nbody { color: #123456; }\n")
        web = events.until(lambda s: s["generation"] > first["generation"] and not s["building"])
        assert web["pdf_generation"] == first["pdf_generation"]  # the PDF does not use it
        assert b"#123456" in server.get(f"/{SLUG}/assets/web.css")[1]
        with (tmp_path / "styles" / "print.css").open("a", encoding="utf-8") as css:
            css.write("\nbody { color: #123456; }\n")
        events.until(lambda s: s["pdf_generation"] > web["pdf_generation"] and not s["building"])
        events.close()
    finally:
        code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err
    fresh = subprocess.run(
        [sys.executable, "-m", "briefpress.cli", "build", SLUG, "--format", "pdf,html",
         "--build-dir", str(tmp_path / "fresh")],
        cwd=tmp_path, env=server.env, capture_output=True, text=True, timeout=300)
    assert fresh.returncode == 0, fresh.stderr
    for name in (f"{SLUG}.pdf", "index.html", "assets/web.css"):
        assert (tmp_path / "build" / SLUG / name).read_bytes() == \
            (tmp_path / "fresh" / SLUG / name).read_bytes(), name


def test_a_busy_port_is_one_message_and_exit_2(tmp_path: Path) -> None:
    shutil.copytree(ARCTIC, tmp_path / "content" / SLUG)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "briefpress.cli", "serve", SLUG, "--port", str(port)],
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"})
    assert result.returncode == 2
    assert result.stderr == (f"127.0.0.1:{port}: error: port {port} is in use by another "
                             "program (fix: stop it, or choose another port with --port N)\n")


@pytest.mark.parametrize("moment", ["reading", "laying out the PDF"])
def test_ctrl_c_during_a_build_stops_cleanly(served: Served, moment: str) -> None:
    events = served.events()
    first = events.until(idle)
    edit(served.brief, OLD_SENTENCE, NEW_SENTENCE)
    if moment == "reading":
        events.until(lambda s: s["building"])
    else:
        events.until(lambda s: s["generation"] > first["generation"])
    time.sleep(0.3)  # into pandoc's run, or WeasyPrint's layout (which once lost the signal)
    children = psutil.Process(served.process.pid).children(recursive=True)
    code, out, err = served.stop()
    events.close()
    assert code == 0
    assert "Traceback" not in err and "Exception ignored" not in err
    assert out.splitlines()[-1].endswith("briefpress serve: stopped")
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]


# --- in Chromium ------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.mark.browser
def test_the_open_page_follows_the_source_in_chromium(served_built: Served) -> None:
    served = served_built
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(served.url)
            expect(page.get_by_text(OLD_SENTENCE)).to_be_visible()
            page.evaluate("window.notReloaded = true")

            edit(served.brief, OLD_SENTENCE, NEW_SENTENCE)  # no reload asked for
            expect(page.get_by_text(NEW_SENTENCE)).to_be_visible(timeout=30_000)
            assert page.evaluate("window.notReloaded") is None  # the script reloaded it

            edit(served.brief, TITLE_LINE, "title: [not closed")
            banner = page.locator("#briefpress-preview-errors")
            expect(banner).to_be_visible(timeout=30_000)
            expect(banner).to_contain_text(f"content/{SLUG}/brief.md:2: error: malformed YAML")
            assert served.process.poll() is None
            expect(page.get_by_text(NEW_SENTENCE)).to_be_visible()  # the last good edition

            edit(served.brief, "title: [not closed", TITLE_LINE.replace("Warming", "Warmer"))
            expect(banner).to_be_hidden(timeout=30_000)
            expect(page.locator("h1")).to_contain_text("Warmer Decade", timeout=30_000)
            assert errors == []  # the policy let the script and its event stream run
        finally:
            browser.close()
    code, _, err = served.stop()
    assert code in (0, 130) and "Traceback" not in err
