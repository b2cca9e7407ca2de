"""The web edition in Debian's Chromium: accessibility, phones, keyboard, requests, reading order.

The pages are built once, served from 127.0.0.1 under a sub-path (as a static host
would), and driven with Playwright's sync API. No browser is downloaded: the tests
use /usr/bin/chromium, which `make test` installs with apt-get. A (page, width) that
several tests only read is loaded once for them all (``shared_page``); a test that
changes its page loads a document of its own (``open_page``).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefpress.build import build
from briefpress.model import blocks as b
from briefpress.model.brief import Brief
from briefpress.read.brief import read_brief
from conftest import ARCTIC, FRENCH, REAL, ROOT, WATER, edit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Every rule runs on every node either way; a passing rule's nodes are left out of the
# report (it names the rule and one node), which spares axe most of its selectors.
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                      resultTypes: ['violations']})"""
SCREENSHOTS = ROOT / "build" / "screenshots"
PHONE, DESKTOP = 375, 1280
SLUGS = ["us-rok-partnership", "arctic-shipping"]
PATHS = [*(f"{slug}/" for slug in SLUGS), ""]  # the briefs' pages and the catalog


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("served") / "briefs"
    # the real brief's page beside its PDF and Word file, as a whole build leaves it: its
    # download buttons on the page and in the catalog for every test (stand-ins: the page
    # lists what is beside it, by size)
    (out / REAL.name).mkdir(parents=True)
    for suffix in (".pdf", ".docx"):
        (out / REAL.name / f"{REAL.name}{suffix}").write_bytes(b"0" * 90_000)
    # the French brief: its page for one axe run, its entry in the catalog for every test
    build([str(REAL), str(ARCTIC), str(FRENCH)], ["html"], build_dir=out)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site) -> Iterator[str]:
    """The built folder served at http://127.0.0.1:<port>/briefs/ (not at the server root)."""
    handler = functools.partial(_QuietHandler, directory=str(site.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{site.name}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


def _recording(page: Any) -> Any:
    """``page``, recording every request, failed request and console error of the document
    it loads next (its lists start empty at each :func:`_load`)."""
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("request", lambda request: page.pending.add(request))
    page.on("requestfinished", lambda request: page.pending.discard(request))
    page.on("requestfailed", lambda request: page.pending.discard(request))
    page.on("response", lambda response: page.responses.append(response.url))
    page.on("requestfailed", lambda request: page.failures.append(request.url))
    page.on("response", lambda r: r.status >= 400 and page.failures.append(r.url))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return page


def _load(page: Any, url: str) -> Any:
    """A new document of ``url`` in ``page``, loaded with its faces, recorded from the start."""
    page.requests, page.responses, page.failures, page.errors = [], [], [], []
    page.pending = set()  # the requests started and not yet finished nor failed
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    return page


def _open(browser: Any, url: str, width: int, height: int) -> tuple[Any, Any]:
    """A page of ``url`` in a context of its own (no cache shared with another page)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    return context, _load(_recording(context.new_page()), url)


def _settle(page: Any) -> None:
    """Wait until what the page's last change started has finished: two frames drawn (in
    which the renderer starts the loads a scroll asks for; the pages run no script of
    their own, so nothing starts one later), then every request started has ended. The
    event itself, where networkidle would be long past on a page loaded before the test
    (and waits a quiet 500 ms on a fresh one)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    for _ in range(500):
        if not page.pending:
            return
        page.wait_for_timeout(20)  # the sync API hands the events over while it waits
    raise AssertionError(f"requests that never ended: {[r.url for r in page.pending]}")


@pytest.fixture(scope="module")
def _spare(browser) -> Iterator[Any]:
    context = browser.new_context()
    yield _recording(context.new_page())
    context.close()


@pytest.fixture
def open_page(_spare, base_url) -> Any:
    """A new document of a page of the site (or of a file, by its path) at a width, for
    this test alone: for a test that changes the page (focus, location, the document) or
    whose claim is about a fresh load. The tests load theirs one after another in one
    spare page: a navigation makes a new document (focus, location, events, recordings all
    new), where a new page would also start a renderer process for each test (0.3 to
    0.6 s); the HTTP cache they share matters to none of their claims."""

    def open_(where: str | Path, width: int = DESKTOP, height: int = 800) -> Any:
        _spare.set_viewport_size({"width": width, "height": height})
        return _load(_spare, where.as_uri() if isinstance(where, Path) else base_url + where)

    return open_


# What a test that only reads a shared page must leave as it found it: the location, the
# focus, the media, the document's elements and styles (a test may scroll: the
# next one starts at the top).
PRISTINE = """() => [location.hash, document.activeElement === document.body,
    matchMedia('screen').matches, document.getElementsByTagName('*').length,
    document.querySelectorAll('[style]').length, document.adoptedStyleSheets.length]"""


@pytest.fixture(scope="module")
def _loaded(browser, base_url) -> Iterator[dict[tuple[str, int], tuple[Any, Any]]]:
    loaded: dict[tuple[str, int], tuple[Any, Any]] = {}
    yield loaded
    for context, _ in loaded.values():
        context.close()


# The (page, width) pairs that several tests read: kept loaded.
KEPT = {(path, width) for path in PATHS for width in (DESKTOP, PHONE)}


@pytest.fixture
def shared_page(_loaded, browser, base_url, open_page) -> Any:
    """A page of the site at a width, for a test that only reads it. A pair several tests
    read (KEPT) is loaded once, in a page of its own kept for them all (a load costs as
    much as most checks): its requests, failures and console errors are recorded from its
    load, whichever test opened it; it is handed over scrolled to the top, and a test that
    left it changed fails the next one (PRISTINE), so no test reads another's leftovers.
    Any other pair is loaded for the test alone (:func:`open_page`)."""

    def open_(path: str, width: int = DESKTOP) -> Any:
        if (path, width) not in KEPT:
            return open_page(path, width)
        if (path, width) not in _loaded:
            context, page = _open(browser, base_url + path, width, 800)
            page.pristine = page.evaluate(PRISTINE)
            _loaded[path, width] = context, page
        page = _loaded[path, width][1]
        page.evaluate("window.scrollTo(0, 0)")
        assert page.evaluate(PRISTINE) == page.pristine, f"a test left {path} at {width} changed"
        return page

    return open_


# --- accessibility -----------------------------------------------------------------------------

@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("path", PATHS)
def test_axe_finds_no_wcag_21_aa_violation(shared_page, path, width):
    page = shared_page(path, width)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(AXE_RUN, AXE_TAGS)
    violations = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                  for v in results["violations"]]
    assert violations == []
    passed = {rule["id"] for rule in results["passes"]}
    assert {"color-contrast", "bypass", "document-title", "html-has-lang", "link-name",
            "list", "listitem"} <= passed


def test_axe_finds_no_violation_on_a_page_in_another_language(shared_page):
    """A French page whose English words are marked lang="en" (the catalog, English with
    a French entry, is in the runs above): each lang a valid one."""
    page = shared_page(f"{FRENCH.name}/")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(AXE_RUN, AXE_TAGS)
    assert [v["id"] for v in results["violations"]] == []
    assert {"html-has-lang", "html-lang-valid", "valid-lang"} <= {
        rule["id"] for rule in results["passes"]}


# --- phones ------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [320, PHONE])
@pytest.mark.parametrize("path", PATHS)
def test_no_horizontal_scroll_on_a_phone(shared_page, path, width):
    page = shared_page(path, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.mouse.wheel(600, 0)
    assert page.evaluate("window.scrollX") == 0


@pytest.mark.parametrize("slug", SLUGS)
def test_contents_and_every_anchor_work_on_a_phone(open_page, slug):
    page = open_page(f"{slug}/", PHONE, height=700)
    toc = page.locator("nav.toc a")
    assert toc.count() >= 7
    assert toc.first.is_visible()
    links = page.locator('main a[href^="#"]')
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) > toc.count()
    for index, href in enumerate(hrefs):
        links.nth(index).click()  # from the top of the page: the last round went back there
        # where the click went, in one round trip, then back to the top for the next link
        hash_, top, at_end = page.evaluate("""id => {
            const seen = [location.hash, document.getElementById(id).getBoundingClientRect().top,
                          innerHeight + scrollY >= document.documentElement.scrollHeight - 1];
            window.scrollTo(0, 0);
            return seen;
        }""", href[1:])
        assert hash_ == href
        # At the top of the screen, or lower when the page cannot scroll any further.
        assert 0 <= top <= 24 or (at_end and 0 <= top < 700), (href, top)


# --- keyboard ----------------------------------------------------------------------------------

ACTIVE = """() => { const a = document.activeElement;
  return {tag: a.tagName, cls: a.className, href: a.getAttribute('href'), id: a.id,
          inMain: !!a.closest('main'), inToc: !!a.closest('nav.toc'),
          outline: getComputedStyle(a).outlineStyle, outlineWidth: getComputedStyle(a).outlineWidth,
          box: a.getBoundingClientRect().toJSON()} }"""


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_keyboard_skip_link_and_contents_reach_the_text(open_page, width):
    page = open_page("us-rok-partnership/", width)
    page.keyboard.press("Tab")
    skip = page.evaluate(ACTIVE)
    assert (skip["cls"], skip["href"]) == ("skip-link", "#bp-main")
    assert skip["box"]["top"] >= 0 and skip["box"]["left"] >= 0  # visible once focused
    assert skip["outline"] == "solid" and skip["outlineWidth"] == "3px"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#bp-main"
    assert page.evaluate(ACTIVE)["tag"] == "MAIN"

    target = "#digital-cybersecurity"
    for _ in range(40):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        assert active["inMain"], active
        if active["href"] == target:
            break
    assert active["inToc"] and active["href"] == target
    assert active["outline"] == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    top = page.evaluate("document.getElementById('digital-cybersecurity')"
                        ".getBoundingClientRect().top")
    assert 0 <= top <= 24
    page.keyboard.press("Tab")
    # the next stop is in the section or after it: the keyboard user is now reading there
    assert page.evaluate("""() => { const s = document.getElementById('digital-cybersecurity');
        const a = document.activeElement;
        return s.contains(a) || !!(s.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")


# --- requests, fonts, disk -----------------------------------------------------------------------

@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("path", PATHS)
def test_no_request_leaves_the_page_folder(shared_page, base_url, path, width):
    """Every request the page made from its load on, and those scrolling to its end makes."""
    page = shared_page(path, width)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    _settle(page)
    folder = base_url + path
    assert [url for url in page.requests if not url.startswith(folder)] == []
    assert page.failures == [] and page.errors == []
    assert folder + "assets/web.css" in page.requests
    assert any(url.endswith(".woff2") for url in page.requests)


FACES = """() => {
  const loaded = new Set([...document.fonts].filter(f => f.status === 'loaded')
                         .map(f => `${f.family.replace(/"/g, '')}|${f.weight}|${f.style}`));
  const used = new Set();
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    const family = s.fontFamily.split(',')[0].replace(/"/g, '').trim();
    used.add(`${family}|${s.fontWeight}|${s.fontStyle}`);
  }
  return {used: [...used].sort(), missing: [...used].filter(u => !loaded.has(u)).sort()};
}"""


@pytest.mark.parametrize("slug", SLUGS)
def test_all_text_is_set_in_the_bundled_faces(shared_page, slug):
    faces = shared_page(f"{slug}/").evaluate(FACES)
    assert faces["missing"] == []
    families = {face.split("|")[0] for face in faces["used"]}
    assert families == {"Source Serif 4", "Source Sans 3"}


def test_the_page_works_opened_from_disk(open_page, site):
    page = open_page(site / "arctic-shipping" / "index.html")
    state = page.evaluate("""() => ({
        font: getComputedStyle(document.body).fontFamily,
        header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
        image: document.querySelector('figure img').naturalWidth,
        serif: document.fonts.check('16px "Source Serif 4"'),
        loaded: [...document.fonts].filter(f => f.status === 'loaded').length})""")
    assert state["font"].startswith('"Source Serif 4"')
    assert state["header"] == "rgb(11, 37, 69)"  # the navy token: the stylesheet applied
    assert state["image"] > 0 and state["serif"] and state["loaded"] >= 4
    assert page.errors == []


def test_content_security_policy_stops_what_slips_through(open_page, base_url):
    page = open_page("arctic-shipping/")
    # the same server under another name: another origin, and a file that is there
    elsewhere = base_url.replace("127.0.0.1", "localhost") + "arctic-shipping/assets/icon.svg"
    blocked = page.evaluate("""url => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', e => resolve(e.blockedURI));
        setTimeout(() => resolve(null), 3000);
        const img = document.createElement('img');
        img.src = url;
        document.body.append(img);
    })""", elsewhere)
    _settle(page)
    assert blocked == elsewhere
    assert [url for url in page.responses if "localhost" in url] == []


# --- reading order -----------------------------------------------------------------------------

def _paragraphs(nodes: Any) -> Iterator[str]:
    """Text of every paragraph, in order, leaving out footnotes (they are read at the end)."""
    for node in b.children(nodes):
        if isinstance(node, b.Para):
            yield " ".join(b.stringify(node.content).split())
        elif not isinstance(node, b.Note):
            yield from _paragraphs(node)


def _notes(blocks: list[Any]) -> Iterator[str]:
    for node in b.walk(blocks):
        if isinstance(node, b.Note):
            yield from _paragraphs(node.content)


def _in_order(needles: list[str], haystack: str) -> list[str]:
    """The needles not found in order in haystack (empty when all are)."""
    missing, position = [], 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            missing.append(needle)
        else:
            position = found + len(needle)
    return missing


@pytest.mark.parametrize("source", [REAL, ARCTIC], ids=["us-rok", "arctic"])
def test_every_paragraph_of_the_source_is_read_in_order(shared_page, source):
    brief: Brief = read_brief(source)
    page = shared_page(f"{brief.slug}/", PHONE)
    body, notes = page.evaluate("""() => {
        const notes = document.querySelector('.endnotes');
        const noteText = notes ? notes.innerText : '';
        // the text read without the notes and their marks, by a sheet of its own that
        // then goes: the page is left as it was for the tests after this one
        const sheets = [...document.adoptedStyleSheets], hide = new CSSStyleSheet();
        hide.replaceSync('.endnotes, .footnote-ref { display: none !important; }');
        document.adoptedStyleSheets = [...sheets, hide];
        const text = document.querySelector('main').innerText;
        document.adoptedStyleSheets = sheets;
        return [text, noteText];
    }""")
    body, notes = " ".join(body.split()), " ".join(notes.split())
    paragraphs = list(_paragraphs(brief.body()))
    assert len(paragraphs) >= (39 if source == REAL else 8)
    assert _in_order(paragraphs, body) == []
    # the page reads the recommendations' intro, the recommendations, then the bios
    keys = sorted(brief.fragments, key=lambda k: ("intro", "rec", "bio").index(k.split(":")[0]))
    from_yaml = [p for key in keys for p in _paragraphs(brief.fragments[key])]
    assert len(from_yaml) == len(brief.fragments)
    assert _in_order(from_yaml, body) == []
    assert _in_order(list(_notes(brief.body())), notes) == []


def test_reading_order_check_can_fail():
    assert _in_order(["b", "a"], "a b") == ["a"]
    assert _in_order(["a", "x"], "a b") == ["x"]


# --- layout for review -------------------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_screenshots_at_phone_and_desktop_width(shared_page, slug):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (PHONE, DESKTOP):
        page = shared_page(f"{slug}/", width)
        path = SCREENSHOTS / f"{slug}-{width}.png"
        png = page.screenshot(path=str(path), full_page=True)
        assert path.read_bytes() == png and png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == width


def test_contents_stay_in_view_on_a_wide_screen(shared_page):
    page = shared_page("us-rok-partnership/", DESKTOP)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    box = page.locator("nav.toc").bounding_box()
    assert box is not None and 0 <= box["y"] <= 40
    assert page.evaluate("scrollY") > 2000


def test_print_stylesheet(shared_page):
    page = shared_page("us-rok-partnership/", DESKTOP)
    page.emulate_media(media="print")
    try:
        style = page.evaluate("""() => ({
            toc: getComputedStyle(document.querySelector('nav.toc')).display,
            skip: getComputedStyle(document.querySelector('.skip-link')).display,
            size: getComputedStyle(document.body).fontSize,
            header: getComputedStyle(document.querySelector('.site-header')).backgroundColor})""")
    finally:
        page.emulate_media(media="null")  # the screen again, for the tests after this one
    assert style == {"toc": "none", "skip": "none", "size": "14px",  # 10.5 pt, the token
                     "header": "rgba(0, 0, 0, 0)"}


def test_a_brand_s_page_sets_its_text_in_the_brand_s_faces(open_page, tmp_path):
    folder = tmp_path / "content" / "water-security"
    shutil.copytree(WATER, folder)
    shutil.copytree(ROOT / "tests" / "fixtures" / "brands" / "tidewater",
                    tmp_path / "brands" / "tidewater")
    edit(folder / "brief.md", "\nlang:", "\nbrand: tidewater\nlang:")
    out = tmp_path / "build"
    build([str(folder)], ["html"], build_dir=out)
    page = open_page(out / "water-security" / "index.html")
    faces = page.evaluate(FACES)
    loaded = page.evaluate("""() => [...document.fonts].filter(f => f.status === 'loaded')
                              .map(f => f.family.replace(/"/g, '')).sort()""")
    assert page.failures == []
    assert {face.split("|")[0] for face in faces["used"]} == {"Fira Sans", "Fira Sans Medium"}
    assert set(loaded) == {"Fira Sans", "Fira Sans Medium"}


def test_what_is_wider_than_a_phone_scrolls_in_its_frame_or_wraps(open_page, tmp_path):
    """A twelve-column table, and one whose cell is a word of ninety letters, scroll inside
    their focusable regions; a long word and a long line of code wrap: the page itself never
    scrolls sideways on a phone."""
    from tests.render.test_pdf import WIDE_BODY
    folder = tmp_path / "content" / "wide"
    shutil.copytree(ARCTIC, folder)
    head, _, _ = (folder / "brief.md").read_text(encoding="utf-8").partition(
        "# Executive Summary")
    (folder / "brief.md").write_text(head + WIDE_BODY, encoding="utf-8")
    build([str(folder)], ["html"], build_dir=tmp_path / "out")
    state = open_page(tmp_path / "out" / "wide" / "index.html", 320).evaluate("""() => ({
        page: document.documentElement.scrollWidth,
        regions: [...document.querySelectorAll('.table-scroll')].map(
            r => [r.clientWidth, r.scrollWidth, r.tabIndex]),
        code: [...document.querySelectorAll('pre')].map(p => [p.clientWidth, p.scrollWidth])
    })""")
    assert state["page"] <= 320
    for client, scroll, tab_index in state["regions"]:  # both tables are wider than a phone
        assert client <= 320 < scroll and tab_index == 0  # scroll, and a keyboard reaches them
    assert state["code"] and all(scroll <= client for client, scroll in state["code"])


def test_the_download_buttons_stand_in_line(shared_page):
    """Side by side on a wide screen, the PDF's and the Word file's buttons stand in line
    (the space the body keeps between list items once pushed the second one 5.7 px down);
    on a phone, where they wrap, the second is in line or wholly below the first. (The
    served page: the site's build has the real brief's PDF and Word file beside it.)"""
    tops = {}
    for width in (DESKTOP, PHONE):
        tops[width] = shared_page(f"{REAL.name}/", width).evaluate(
            """() => [...document.querySelectorAll('.downloads a')]
            .map(a => { const box = a.getBoundingClientRect(); return [box.top, box.bottom]; })""")
    (pdf, docx) = tops[DESKTOP]
    assert pdf == docx
    (pdf, docx) = tops[PHONE]
    assert docx == pdf or docx[0] >= pdf[1]  # in line, or a row of its own
