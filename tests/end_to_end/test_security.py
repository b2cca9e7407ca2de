"""Hostile input against each promise of SECURITY.md, through the public entry points.

Renders: a brief refers to secrets outside its folder (``/etc/passwd``, an absolute
path, ``../``, ``file:``, a symlink out, a symlinked folder), to a server (a local one
that counts requests) and to a big ``data:`` URL, in every form Markdown and raw HTML
allow (image, link, ``<img>``, ``<link>``, ``<style>`` with ``@import`` and ``url()``,
``<object>``, ``<embed>``, attachments, ``<iframe>``…). For the PDF, the web page and
the DOCX alike, each reference is refused with the line that holds it or has no effect;
no secret reaches any output and no request reaches the server. A control test puts the
same secrets inside the brief's folder and sees the detectors find them.

The web page carries no script, handler, ``javascript:`` URL, embedding element or
hiding style, and every HTML template escapes what it is given.

Import: zip bombs (ratio, declared size, sizes that lie), a 100 MB image, entity bombs
and external entities (in UTF-8 and UTF-16, in any part), absurd nesting, unsafe entry
names, macros, truncated and fake files, and a file that names a path as its brief: each
refused in under 5 s and 64 MB of Python allocations, sources and build folder untouched.
The import backup (in .briefpress/imports/, never the published build folder) outlives builds
and lasts until the next import of the brief.
"""

from __future__ import annotations

import base64
import http.server
import random
import re
import shutil
import struct
import subprocess
import threading
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from lxml import html as lxml_html

from briefpress.build import build
from briefpress.cli import main
from briefpress.read.brief import read_brief
from briefpress.support import docx_open
from briefpress.support.backup import IMPORTS
from conftest import ARCTIC, SharedBuild, edit

pytestmark = pytest.mark.slow

SECRET = "TOPSECRET-7f3a"
"""In every secret file; no output may ever contain it."""
PASSWD = "root:x:0:0"
"""The first line of /etc/passwd on every Debian system."""
SECRET_IMAGE = (37, 23)
"""The secret PNG's size: an image of this size in a PDF is the secret, re-encoded."""
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ANCHOR = "Vessel counts tell the story plainly.\n"


# --- the secrets and the brief that reaches for them --------------------------------------------

def png(width: int, height: int, comment: str) -> bytes:
    """A valid RGB PNG with ``comment`` in a tEXt chunk (kept by a byte-for-byte copy)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    rows = b"".join(b"\0" + b"\xc0\x20\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\0" + comment.encode())
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


SECRETS = {
    "png": png(*SECRET_IMAGE, f"{SECRET}-png"),
    "css": f'p::after {{ content: "{SECRET}-css"; }}\n'.encode(),
    "txt": f"{SECRET}-txt\n".encode(),
}


class Server(http.server.ThreadingHTTPServer):
    """A server on 127.0.0.1 that serves the secrets and remembers every request."""

    requests: list[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        body = SECRETS.get(self.path.rsplit(".", 1)[-1], SECRETS["txt"])
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server(("127.0.0.1", 0), _Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()


@dataclass
class Site:
    """A project with the arctic brief, secrets beside the project, and ways to reach them."""

    root: Path
    folder: Path
    outside: Path
    port: int

    @property
    def out(self) -> Path:
        return self.root / "build"

    @property
    def brief_md(self) -> Path:
        return self.folder / "brief.md"

    def plant(self, snippet: str) -> int:
        """Put ``snippet`` in a paragraph of its own in the body; return its line."""
        text = self.brief_md.read_text(encoding="utf-8")
        text = text.replace(ANCHOR, f"{ANCHOR}\n{snippet}\n", 1)
        self.brief_md.write_text(text, encoding="utf-8")
        return text.splitlines().index(snippet.splitlines()[0]) + 1


@pytest.fixture(scope="module")
def font_cache(warm_cache: Path) -> Path:
    """The run's warm cache, for the module's many builds (each has its own build/)."""
    return warm_cache


@pytest.fixture
def site(tmp_path: Path, server: Server, font_cache: Path,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(font_cache))
    outside = tmp_path / "outside"
    outside.mkdir()
    for ext, data in SECRETS.items():
        (outside / f"secret.{ext}").write_bytes(data)
    root = tmp_path / "project"
    folder = root / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    for ext in SECRETS:
        (folder / f"leak.{ext}").symlink_to(outside / f"secret.{ext}")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(root)  # the catalog lists content/ of the working directory
    server.requests.clear()
    yield Site(root, folder, outside, server.server_address[1])
    assert server.requests == [], "a render asked the network for something"


REFERENCES: dict[str, Callable[[Site, str], str]] = {
    "/etc/passwd": lambda site, ext: "/etc/passwd",
    "absolute path": lambda site, ext: str(site.outside / f"secret.{ext}"),
    "../ escape": lambda site, ext: f"../../../outside/secret.{ext}",
    "file: URL": lambda site, ext: (site.outside / f"secret.{ext}").as_uri(),
    "http: URL": lambda site, ext: f"http://127.0.0.1:{site.port}/secret.{ext}",
    "protocol-relative URL": lambda site, ext: f"//127.0.0.1:{site.port}/secret.{ext}",
    "symlink out": lambda site, ext: f"leak.{ext}",
    "symlinked folder": lambda site, ext: f"elsewhere/secret.{ext}",
}

FORMS: dict[str, tuple[str, str]] = {
    "Markdown image": ("![a chart]({ref})", "png"),
    "Markdown link": ("See [the source]({ref}) here.", "txt"),
    "raw <img>": ('See <img src="{ref}" alt="a chart"> here.', "png"),
    "raw <link> stylesheet": ('<link rel="stylesheet" href="{ref}">', "css"),
    "<style> @import": ('<style>@import url("{ref}");</style>', "css"),
    "<style> url()": ('<style>p {{ background-image: url("{ref}"); }}</style>', "png"),
    "raw <object>": ('<object data="{ref}" type="image/png">a chart</object>', "png"),
    "raw <embed>": ('<embed src="{ref}" type="image/png">', "png"),
    "raw <a rel=attachment>": ('See <a rel="attachment" href="{ref}">the data</a>.', "txt"),
    "raw <link rel=attachment>": ('<link rel="attachment" href="{ref}">', "txt"),
    "raw <iframe>": ('<iframe src="{ref}"></iframe>', "txt"),
    "raw <video>": ('<video poster="{ref}" src="{ref}"></video>', "png"),
    "raw <svg><image>": ('<svg width="10" height="10"><image href="{ref}" width="10" '
                         'height="10"/></svg>', "png"),
    "raw <input type=image>": ('<input type="image" src="{ref}" alt="go">', "png"),
}

REFUSED_BY: dict[str, set[str]] = {
    "Markdown image": {"pdf", "html", "docx"},
    "raw <img>": {"pdf", "html"},
    "raw <embed>": {"pdf", "html"},
    "raw <link> stylesheet": {"pdf"},
    "<style> @import": {"pdf"},
    "<style> url()": {"pdf"},
    "raw <object>": {"pdf"},
    "raw <a rel=attachment>": {"pdf"},
    "raw <link rel=attachment>": {"pdf"},
}
"""The forms each edition would load: refused with their line. Every other form is left out
(the web page drops the element, the DOCX has no raw HTML) or is a link, which loads nothing."""

LINK_FORMS = {"Markdown link", "raw <a rel=attachment>", "raw <link rel=attachment>",
              "raw <link> stylesheet", "raw <svg><image>"}
"""The forms whose reference is an ``href``: a ``file:`` URL there is refused by ``check``."""

REFUSAL = re.compile(r"reference '.+' (is outside the brief's folder|is not a file of the "
                     r"brief: renders fetch nothing from the network|names another machine)")


def build_cli(site: Site, fmt: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["build", str(site.folder), "--format", fmt, "--build-dir", str(site.out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


# --- finding a secret in an output --------------------------------------------------------------

def leaks(root: Path) -> list[str]:
    """Every place under ``root`` where a secret shows: raw bytes, zip entries, PDF streams,
    PDF text (pdftotext) and PDF images of the secret image's size."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        for where, data in _readings(path):
            found += [f"{where}: {marker}" for marker in (SECRET, PASSWD)
                      if marker.encode() in data]
    return found


def _readings(path: Path) -> Iterator[tuple[str, bytes]]:
    data = path.read_bytes()
    yield str(path), data
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                yield f"{path}!{info.filename}", archive.read(info)
    if data[:5] == b"%PDF-":
        yield f"{path} (text)", subprocess.run(["pdftotext", str(path), "-"], check=True,
                                               capture_output=True).stdout
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if not isinstance(obj, pikepdf.Stream):
                    continue
                if obj.get("/Subtype") == "/Image" and \
                        (int(obj.get("/Width", 0)), int(obj.get("/Height", 0))) == SECRET_IMAGE:
                    yield f"{path} (image)", SECRET.encode()
                try:
                    yield f"{path} (stream)", obj.read_bytes()
                except pikepdf.PdfError:
                    yield f"{path} (stream)", obj.read_raw_bytes()


def test_the_detectors_find_secrets_let_in_from_the_brief_folder(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    """The control: the same secrets as files of the brief are used, and found in each edition.
    """
    for ext in SECRETS:
        (site.folder / f"leak.{ext}").unlink()
        (site.folder / f"leak.{ext}").write_bytes(SECRETS[ext])
    site.plant("![a chart](leak.png)")
    site.plant('<link rel="stylesheet" href="leak.css">')
    site.plant('See <a rel="attachment" href="leak.txt">the data</a>.')
    for fmt in ("pdf", "docx", "html"):
        assert build_cli(site, fmt, capsys)[0] == 0
    found = "\n".join(leaks(site.out))
    pdf, docx = site.out / ARCTIC.name / f"{ARCTIC.name}.pdf", site.out / ARCTIC.name
    assert f"{pdf} (image): {SECRET}" in found
    assert f"{pdf} (text): {SECRET}" in found  # the stylesheet's generated text
    assert f"{pdf} (stream): {SECRET}" in found  # the attachment
    assert re.search(rf"{docx}/{ARCTIC.name}.docx!word/media/\S+: {SECRET}", found)
    assert f"{site.out / ARCTIC.name}/assets/media/leak.png: {SECRET}" in found


# --- what a render may read ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["pdf", "html", "docx"])
@pytest.mark.parametrize("reference", REFERENCES)
def test_an_image_from_outside_the_brief_is_refused_in_every_edition(
        site: Site, reference: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    line = site.plant(FORMS["Markdown image"][0].format(ref=REFERENCES[reference](site, "png")))
    code, err = build_cli(site, fmt, capsys)
    assert code == 2
    [message] = err.splitlines()
    assert message.startswith(f"content/{ARCTIC.name}/brief.md:{line}: error: "), message
    assert REFUSAL.search(message), message
    written = site.out / ARCTIC.name  # the brief's own files (the cache is elsewhere)
    assert not written.exists() or [p.name for p in written.rglob("*")] == [".lock"]


RAW_REFUSALS = [(form, fmt, reference) for (form, fmt), reference in zip(
    [(form, fmt) for form, formats in REFUSED_BY.items() for fmt in sorted(formats)
     if form != "Markdown image"],
    ["absolute path", "http: URL", "symlink out", "../ escape"] * len(REFUSED_BY), strict=False)]
"""Each raw form with one of the references (in turn): the form decides whether the edition
loads it at all; which references the sandbox refuses is the Markdown image test's business."""


@pytest.mark.parametrize(("form", "fmt", "reference"), RAW_REFUSALS)
def test_raw_html_that_would_load_a_resource_is_refused(
        site: Site, form: str, fmt: str, reference: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    template, ext = FORMS[form]
    line = site.plant(template.format(ref=REFERENCES[reference](site, ext)))
    code, err = build_cli(site, fmt, capsys)
    assert code == 2
    [message] = err.splitlines()
    assert message.startswith(f"content/{ARCTIC.name}/brief.md:{line}: error: "), message
    assert REFUSAL.search(message), message
    assert not leaks(site.root / "build") if (site.root / "build").exists() else True


@pytest.mark.parametrize("fmt", ["pdf", "html", "docx"])
def test_every_other_form_is_left_out_and_reads_nothing(
        site: Site, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every form an edition does not refuse, with every reference, in one brief: it builds,
    and no secret is in any file it wrote."""
    for form, (template, ext) in FORMS.items():
        if fmt in REFUSED_BY.get(form, set()):
            continue
        for name, make in REFERENCES.items():
            if name == "file: URL" and form in LINK_FORMS:
                continue  # refused by check: test_unsafe_links_are_refused_in_the_source
            site.plant(template.format(ref=make(site, ext)))
    code, err = build_cli(site, fmt, capsys)
    assert code == 0, err
    assert leaks(site.out) == []
    written = site.out / ARCTIC.name
    if fmt == "html":
        page = (written / "index.html").read_text(encoding="utf-8")
        assert "file:" not in page
        assert [p.name for p in (written / "assets").glob("media/*")] == ["transits.png"]
        body = " ".join(lxml_html.fromstring(page).text_content().split())
        assert "See the source here." in body and "See the data." in body


@pytest.mark.parametrize("fmt", ["pdf", "html", "docx"])
def test_a_big_data_url_is_refused_and_a_small_one_is_used(
        site: Site, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    from briefpress.support.sandbox import MAX_DATA_URL_BYTES

    small = "data:image/png;base64," + base64.b64encode(png(4, 4, "small")).decode()
    site.plant(f"![a small chart]({small})")
    assert build_cli(site, fmt, capsys)[0] == 0
    noise = random.Random(0).randbytes(MAX_DATA_URL_BYTES)
    big = "data:image/png;base64," + base64.b64encode(png(8, 8, "x") + noise).decode()
    line = site.plant(f"![a big chart]({big})")
    code, err = build_cli(site, fmt, capsys)
    assert code == 2
    assert err == (f"content/{ARCTIC.name}/brief.md:{line}: error: reference "
                   f"'{big[:40]}…' is a data: URL of {len(big) // 1024} kB, over the "
                   f"{MAX_DATA_URL_BYTES // 1024} kB limit (fix: save the image as a file "
                   "beside brief.md and refer to it)\n")


@pytest.mark.parametrize("fmt", ["pdf", "html", "docx"])
def test_a_file_of_the_brief_that_is_not_an_image_is_refused_not_dropped(
        site: Site, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Refused by check before any edition renders (check/files.py), in every format alike."""
    (site.folder / "notes.txt").write_text("Notes, not a chart.\n", encoding="utf-8")
    line = site.plant("![a chart](notes.txt)")
    assert build_cli(site, fmt, capsys) == (
        2, f"content/{ARCTIC.name}/brief.md:{line}: error: image 'notes.txt' is not an image "
        "file (text/plain) (fix: refer to a PNG, JPEG, GIF, WebP or SVG file)\n")


def test_every_pandoc_run_is_sandboxed(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """pandoc reads author-supplied text in every edition and on import: always with
    ``--sandbox``, so that it can read no file but its input."""
    from briefpress import pandoc
    from briefpress.importer import import_docx

    commands: list[list[str]] = []

    class Recording(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, args: list[str], *rest: object, **options: object) -> None:
            commands.append([str(a) for a in args])
            super().__init__(args, *rest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(subprocess, "Popen", Recording)
    docx, *_ = build([str(site.folder)], ["docx", "html"], build_dir=site.out)
    built = len(commands)
    import_docx(docx, str(site.folder), dry_run=True, build_dir=site.out)
    info = {"--version", "--print-default-data-file"}  # runs that read no input at all

    def kinds(found: list[list[str]]) -> list[tuple[str, str]]:
        runs = [c for c in found if c[0] == pandoc.pandoc_path() and not info & set(c)]
        return [(run[run.index("-f") + 1].split("-")[0], run[run.index("-t") + 1])
                for run in runs]

    # the build reads the brief once, then writes the Word file and the web page's parts
    # from its model; the import reads the Word file and the brief
    assert kinds(commands[:built]) == [("markdown", "json"), ("json", "docx"), ("json", "html5")]
    assert sorted(kinds(commands[built:])) == [("docx", "json"), ("markdown", "json")]
    # every run is sandboxed, those that read no input too (pandoc's default reference.docx)
    runs = [c for c in commands if c[0] == pandoc.pandoc_path() and "--version" not in c]
    assert all("--sandbox" in run for run in runs), [r for r in runs if "--sandbox" not in r]


# --- what the web page may contain --------------------------------------------------------------

HOSTILE_MARKUP = [
    "<script>document.title = 'pwned'</script>",
    'Inline <script>alert("inline")</script> script.',
    '<img src="transits.png" alt="chart one" onerror="alert(1)" onload="alert(2)">',
    '<p onclick="alert(3)" onmouseover="alert(4)">visible-1</p>',
    '<details ontoggle="alert(5)" open><summary>visible-2</summary>visible-3</details>',
    '<svg onload="alert(6)"><script>alert(7)</script></svg>',
    '<iframe src="https://evil.example/"></iframe><object data="x.swf"></object>',
    '<form action="https://evil.example/"><input name="q"><button>go</button></form>',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://e">',
    '<span style="display:none">visible-11</span> <span style="visibility: hidden">visible-12'
    '</span> <span style="font-size:0">visible-13</span> <span style="color:#fff;'
    'background:#fff">visible-14</span> <span style="opacity:0">visible-15</span>',
    '<div style="position:absolute;left:-9999px">visible-16</div>',
    '[visible-17]{style="display:none"} [visible-18]{.visually-hidden} [visible-19]{hidden=""}'
    " [visible-20]{.skip-link} [visible-21]{.toc} [visible-22]{.downloads}",
    '::: {style="visibility:hidden"}\nvisible-23\n:::',
    '<table><tr><td style="text-align: right; display: none">visible-24</td></tr></table>',
]
VISIBLE = [f"visible-{n}" for n in (*range(1, 4), *range(11, 25))]
"""(visible-4 to -10 were links to ``javascript:`` and the like: ``check`` now refuses them,
UNSAFE_LINKS below; the sanitiser's handling of them is tests/render/test_web.py's.)"""
DANGEROUS_ELEMENTS = ("iframe", "object", "embed", "frame", "frameset", "applet", "form", "input",
                      "button", "base", "meta[@http-equiv]", "svg", "math", "style", "link")
PAGE_STYLES = {"td": re.compile(r"text-align: (left|right|center);"),
               "th": re.compile(r"text-align: (left|right|center);"),
               "img": re.compile(r"(width|height): ?[\d.]+%;?"),
               "col": re.compile(r"width: ?[\d.]+%;?")}
"""The only inline styles an author's content keeps: pandoc's alignment and relative sizes."""
HIDING_CLASSES = {"visually-hidden", "skip-link", "toc", "downloads"}
"""Classes of styles/web.css that hide text (off screen, clipped, or not printed)."""


def test_the_web_page_carries_no_script_handler_or_hidden_text(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    for snippet in HOSTILE_MARKUP:
        site.plant(snippet)
    code, err = build_cli(site, "html", capsys)
    assert code == 0, err
    source = (site.out / ARCTIC.name / "index.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(source)
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert "alert" not in source and "pwned" not in source and "evil.example" not in source
    body = tree.xpath('//*[@data-briefpress="brief-body"]')[0]
    for name in DANGEROUS_ELEMENTS:
        assert not tree.xpath(f"//body//{name}"), name
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert not [a for a in element.attrib if a.lower().startswith("on")], element.attrib
        for attribute in ("href", "src", "action", "formaction", "poster", "data"):
            value = re.sub(r"[\s\x00-\x1f]", "", element.get(attribute, "")).lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:")), value
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("style") is not None:
            pattern = PAGE_STYLES.get(element.tag)
            assert pattern and pattern.fullmatch(element.get("style").strip()), \
                (element.tag, element.get("style"))
        assert element.get("hidden") is None
        assert not HIDING_CLASSES & set((element.get("class") or "").split()), element.attrib
    text = " ".join(body.text_content().split())
    for word in VISIBLE:
        assert re.search(rf"\b{word}\b", text), word


def test_every_html_template_escapes_what_it_is_given(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    from briefpress.render import pdf, web

    for environment in (pdf._environment(), web._environment()):
        names = [n for n in environment.list_templates() if n.endswith(".html.j2")]
        assert "partials/colophon.html.j2" in names
        for name in names:
            assert environment.autoescape is True or environment.autoescape(name), name
            assert "autoescape false" not in environment.loader.get_source(environment, name)[0]
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\' &amp;'
    text = site.brief_md.read_text(encoding="utf-8")
    for key in ("title", "program"):
        text = re.sub(rf'^{key}: .*$', f"{key}: {hostile!r}".replace("\\'", "''"), text, count=1,
                      flags=re.M)
    text = text.replace('name: "Ana Lindqvist"', f"name: {hostile!r}".replace("\\'", "''"))
    text = text.replace('short_name: "The Wilson Center"',
                        f"short_name: {hostile!r}".replace("\\'", "''"))
    site.brief_md.write_text(text, encoding="utf-8")
    brief = read_brief(site.folder)
    assert brief.meta.title == hostile and brief.meta.authors[0].name == hostile
    print_html = pdf.render_html(brief, pdf.RenderOptions())
    code, err = build_cli(site, "html", capsys)
    assert code == 0, err
    web_html = (site.out / ARCTIC.name / "index.html").read_text(encoding="utf-8")
    for page in (print_html, web_html):
        tree = lxml_html.fromstring(page)
        assert all(s.get("type") == "application/ld+json" for s in tree.iter("script"))
        assert not tree.xpath("//img[@onerror]") and not tree.xpath("//img[@src='x']")
        assert hostile in tree.text_content()
    assert "publisher.url: not an absolute http(s) address (got 'javascript:alert(1)')" in \
        _build_error(site, 'url: "https://www.wilsoncenter.org"', 'url: "javascript:alert(1)"',
                     capsys)


UNSAFE_LINKS = [
    '<math><mi xlink:href="javascript:alert(8)">x</mi></math>',
    "[visible-4](javascript:alert(9))",
    "[visible-5](JaVaScRiPt:alert(10))",
    "[visible-6](vbscript:msgbox)",
    "[visible-7](data:text/html,<script>alert(11)</script>)",
    '<a href=" javascript:alert(12)">visible-8</a>',
    '<a href="&#106;avascript:alert(13)">visible-9</a>',
    '<a href="java&#x09;script:alert(14)">visible-10</a>',
    "[percent-escaped](%6Aava%73cript:alert(15))",
    "[spaced](<  jav\tascript:alert(16)>)",
    "[a file](file:///etc/passwd)",
    "[a FILE](FILE:///etc/passwd)",
    '<a href="file:///etc/passwd">raw file</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">raw data</a>',
    "![an image](javascript:alert(17))",
    "[nowhere](#)",
    '<a href=" # ">raw nowhere</a>',
]
"""Links (and an image) that would be live in the PDF or the Word file: each refused by
``check`` at its own line, so no edition is written with it."""


def _plant_all(site: Site, snippets: list[str] | tuple[str, ...]) -> list[int]:
    """Plant ``snippets`` in their order; the line of each's first line once all are in."""
    for snippet in reversed(snippets):
        site.plant(snippet)
    lines = site.brief_md.read_text(encoding="utf-8").splitlines()
    return [lines.index(snippet.splitlines()[0]) + 1 for snippet in snippets]


def test_unsafe_links_are_refused_in_the_source(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _plant_all(site, UNSAFE_LINKS)
    assert len(set(lines)) == len(UNSAFE_LINKS)
    code = main(["check", str(site.folder)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    found = {int(line.split(":")[1]): line for line in err.splitlines() if ": error: " in line}
    assert sorted(found) == sorted(lines), err
    for snippet, line in zip(UNSAFE_LINKS, lines, strict=True):
        assert ("unsafe" in found[line]) != ("nowhere" in snippet), found[line]
    for fmt in ("pdf", "docx", "html"):
        code, err = build_cli(site, fmt, capsys)
        assert code == 2, err
        written = site.out / ARCTIC.name
        assert not written.exists() or [p.name for p in written.rglob("*")] == [".lock"]


def test_unsafe_links_in_recommendations_and_bios_are_refused(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    recommendations = site.folder / "recommendations.yaml"
    text = recommendations.read_text(encoding="utf-8")
    rec = next(n for n, line in enumerate(text.splitlines(), start=1) if "text:" in line)
    edit(recommendations, 'text: "', 'text: "[Act](vbscript:msgbox) now. ', 1)
    edit(site.brief_md, 'bio: "', 'bio: "See [files](file:///etc/passwd). ', 1)
    bio = next(n for n, line in enumerate(site.brief_md.read_text(encoding="utf-8")
                                          .splitlines(), start=1) if "bio:" in line)
    code = main(["check", str(site.folder)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"content/{ARCTIC.name}/brief.md:{bio}: error: link 'files' has an unsafe file: " \
        "address" in err
    assert f"content/{ARCTIC.name}/recommendations.yaml:{rec}: error: link 'Act' has an unsafe " \
        "vbscript: address" in err


def test_javascript_canonical_url_is_refused_before_anything_is_written(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site.brief_md, "keywords:", "canonical_url: javascript:alert(1)\nkeywords:")
    line = site.brief_md.read_text(encoding="utf-8").splitlines().index(
        "canonical_url: javascript:alert(1)") + 1
    for fmt in ("pdf", "docx", "html"):
        code, err = build_cli(site, fmt, capsys)
        assert code == 2
        assert err == (f"content/{ARCTIC.name}/brief.md:{line}: error: canonical_url: not an "
                       "absolute http(s) address (got 'javascript:alert(1)') (fix: write the "
                       "full address, e.g. https://www.example.org)\n")
        written = site.out / ARCTIC.name
        assert not written.exists() or [p.name for p in written.rglob("*")] == [".lock"]


# --- nothing live in the Word file --------------------------------------------------------------

OPENXML_FIELDS = (
    '```{=openxml}\n<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
    'xml:space="preserve"> INCLUDETEXT "file:///etc/passwd" </w:instrText></w:r><w:r><w:fldChar '
    'w:fldCharType="end"/></w:r></w:p>\n```',
    "A picture `<w:r><w:fldSimple w:instr='INCLUDEPICTURE \"http://127.0.0.1:9/x.png\"'/>"
    "</w:r>`{=openxml} here.",
    '```{=docx}\n<w:p><w:fldSimple w:instr="INCLUDETEXT x"/></w:p>\n```',
)


def _fields(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as archive:
        tree = etree.fromstring(archive.read("word/document.xml"))
    found = [*tree.iter(f"{{{W}}}fldSimple"), *tree.iter(f"{{{W}}}instrText")]
    return [etree.tostring(f, encoding="unicode") for f in found]


def test_raw_openxml_is_refused_and_never_reaches_the_word_file(
        site: Site, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from briefpress.model.options import RenderOptions
    from briefpress.render import docx

    lines = _plant_all(site, OPENXML_FIELDS)
    code = main(["check", str(site.folder)])
    err = capsys.readouterr().err
    assert code == 1
    for line, fmt in zip(lines, ("openxml", "openxml", "docx"), strict=True):
        # a fenced block is named by its first line of content, an inline by its own line
        assert re.search(rf"brief\.md:({line}|{line + 1}): error: raw '{fmt}' is not allowed",
                         err), err
    assert build_cli(site, "docx", capsys)[0] == 2
    # and the Word renderer itself, given the unchecked brief, writes no field
    out = tmp_path / "brief.docx"
    docx.render(read_brief(site.folder), out, RenderOptions())
    assert _fields(out) == []
    with zipfile.ZipFile(out) as archive:
        assert b"INCLUDE" not in archive.read("word/document.xml")


def test_control_the_field_detector_finds_a_field(tmp_path: Path) -> None:
    """The control: a Word file with a field in it is seen to have one."""
    document = (f'<w:document xmlns:w="{W}"><w:body><w:p><w:fldSimple w:instr="PAGE"/>'
                '</w:p></w:body></w:document>')
    path = tmp_path / "field.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", document)
    assert len(_fields(path)) == 1


HOSTILE_SVG = f"""<?xml version="1.0"?>
<?xml-stylesheet href="http://127.0.0.1:9/a.css"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="40" height="20" onload="alert(1)">
  <style>@import url("http://127.0.0.1:9/b.css"); rect {{ fill: url(http://127.0.0.1:9/c) }}</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#123456"/></linearGradient></defs>
  <script>alert(2)</script>
  <foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml"
    src="http://127.0.0.1:9/d"/></foreignObject>
  <a xlink:href="javascript:alert(3)"><rect width="10" height="10" fill="url(#g)"
    onclick="alert(4)"/></a>
  <a href="http://127.0.0.1:9/e"><text x="0" y="15">kept text &secret;</text></a>
  <image href="file:///etc/passwd" width="5" height="5"/>
  <image xlink:href="http://127.0.0.1:9/f.png" width="5" height="5"/>
  <image href="data:image/png;base64,{base64.b64encode(png(1, 1, "dot")).decode()}"
    width="5" height="5"/>
  <use href="#g"/><use xlink:href="file:///etc/passwd#x"/>
  <set attributeName="href" to="javascript:alert(5)"/>
  <rect width="5" height="5" style="fill: url('http://127.0.0.1:9/g')"/>
</svg>
"""


def test_an_svg_in_the_word_file_keeps_no_script_or_external_link(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    (site.folder / "hostile.svg").write_text(HOSTILE_SVG, encoding="utf-8")
    site.plant("![a drawing](hostile.svg)")
    code, err = build_cli(site, "docx", capsys)
    assert code == 0, err
    with zipfile.ZipFile(site.out / ARCTIC.name / f"{ARCTIC.name}.docx") as archive:
        svgs = [archive.read(n) for n in archive.namelist() if n.endswith(".svg")]
    assert svgs, "the SVG is embedded"
    for data in svgs:
        tree = etree.fromstring(data)
        text = data.decode("utf-8")
        for word in ("script", "foreignObject", "iframe", "alert", "127.0.0.1", "file:",
                     "passwd", "@import", "ENTITY", "xml-stylesheet"):
            assert word not in text, (word, text)
        for element in tree.iter(tag=etree.Element):
            assert not [a for a in element.attrib if etree.QName(a).localname
                        .startswith("on")], element.attrib
            for name, value in element.attrib.items():
                if etree.QName(name).localname == "href":
                    assert value.startswith(("#", "data:image/png")), value
        assert "kept text" in text and 'fill="url(#g)"' in text  # the picture is still drawn


def test_an_svg_that_is_not_xml_is_refused_for_the_word_file(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    (site.folder / "broken.svg").write_text("<svg><g></svg>", encoding="utf-8")
    line = site.plant("![a drawing](broken.svg)")
    code, err = build_cli(site, "docx", capsys)
    assert code == 2
    assert err.startswith(f"content/{ARCTIC.name}/brief.md:{line}: error: image 'broken.svg' "
                          "cannot be read as an SVG: not well-formed XML"), err


def _build_error(site: Site, old: str, new: str, capsys: pytest.CaptureFixture[str]) -> str:
    edit(site.brief_md, old, new)
    code, err = build_cli(site, "html", capsys)
    assert code == 2
    return err


# --- what import refuses ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docx_parts(built_once: Callable[..., SharedBuild]) -> dict[str, bytes]:
    """The parts of the arctic brief's Word edition, to build hostile variants from."""
    path, = built_once([ARCTIC], ["docx"]).outputs
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_docx(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def raw_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip written by hand: (name, deflated bytes, CRC, declared size) per entry, so that
    the declared sizes can be anything."""
    local, central = bytearray(), bytearray()
    for name, payload, crc, size in entries:
        encoded = name.encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                               len(payload), size, len(encoded), 0, 0, 0, 0, 0,
                               len(local)) + encoded
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(payload),
                             size, len(encoded), 0) + encoded + payload
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                      len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def deflate_stream(chunks: Iterator[bytes]) -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    return b"".join(squeeze.compress(chunk) for chunk in chunks) + squeeze.flush()


def zeros(megabytes: int) -> Iterator[bytes]:
    block = bytes(1024 * 1024)
    for _ in range(megabytes):
        yield block


def _with_part(name: str, data: bytes) -> Callable[[dict[str, bytes], Path], Path]:
    def make(parts: dict[str, bytes], path: Path) -> Path:
        return write_docx(path, {**parts, name: data})
    return make


def _document_with(parts: dict[str, bytes], head: str, body: str, encoding: str = "utf-8"
                   ) -> bytes:
    """document.xml with ``head`` (a DTD) after the declaration and ``body`` in the first run."""
    xml = parts["word/document.xml"].decode("utf-8")
    xml = re.sub(r"^<\?xml[^>]*\?>", f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
                 + head, xml)
    xml = re.sub(r"(<w:t(?: [^>]*)?>)", r"\g<1>" + body.replace("\\", "\\\\"), xml, count=1)
    return xml.encode(encoding)


LAUGHS = ('<!DOCTYPE w:document [<!ENTITY a "ha">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                    for i in range(9)) + "]>")


def _laughs(encoding: str, part: str = "word/document.xml"
            ) -> Callable[[dict[str, bytes], Path], Path]:
    def make(parts: dict[str, bytes], path: Path) -> Path:
        if part == "word/document.xml":
            data = _document_with(parts, LAUGHS, "&j;", encoding)
        else:  # a part briefpress leaves to pandoc
            xml = parts[part].decode("utf-8")
            root = re.search(r"</(w:\w+)>$", xml).group(1)
            data = re.sub(r"^<\?xml[^>]*\?>", '<?xml version="1.0"?>' + LAUGHS.replace(
                "w:document", root), xml).replace(f"</{root}>", f"<x>&j;</x></{root}>").encode()
        return write_docx(path, {**parts, part: data})
    return make


def _external(head: str, body: str) -> Callable[[dict[str, bytes], Path], Path]:
    def make(parts: dict[str, bytes], path: Path) -> Path:
        return write_docx(path, {**parts, "word/document.xml": _document_with(parts, head, body)})
    return make


def _nested(depth: int) -> Callable[[dict[str, bytes], Path], Path]:
    def make(parts: dict[str, bytes], path: Path) -> Path:
        body = "<w:sdt><w:sdtContent>" * depth + "</w:sdtContent></w:sdt>" * depth
        xml = parts["word/document.xml"].decode().replace("<w:body>", "<w:body>" + body, 1)
        return write_docx(path, {**parts, "word/document.xml": xml.encode()})
    return make


def _nested_tables(depth: int) -> Callable[[dict[str, bytes], Path], Path]:
    """Tables in tables, within the XML parser's depth limit (3 levels a table)."""
    def make(parts: dict[str, bytes], path: Path) -> Path:
        cell = "<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
        body = "<w:tbl><w:tr><w:tc>" * depth + cell + "</w:tc></w:tr></w:tbl>" * depth
        xml = parts["word/document.xml"].decode().replace("<w:body>", "<w:body>" + body, 1)
        return write_docx(path, {**parts, "word/document.xml": xml.encode()})
    return make


def _ratio_bomb(parts: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open("word/document.xml", "w") as stream:
            for block in zeros(50):
                stream.write(block)
    return path


def _huge_image(parts: dict[str, bytes], path: Path) -> Path:
    """A 100 MB image part, streamed (it compresses to a few hundred kB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("word/media/image9.png", "w") as stream:
            stream.write(png(1, 1, "head"))
            for block in zeros(100):
                stream.write(block)
    return path


def _declared_total(parts: dict[str, bytes], path: Path) -> Path:
    """Entries that each stay under the part limit and the ratio, together over the total."""
    each = docx_open.MAX_MEDIA_BYTES - 1
    count = docx_open.MAX_UNPACKED_BYTES // each + 1
    payload = random.Random(0).randbytes(each // docx_open.MAX_RATIO + 1)
    entries = [(name, deflate_stream(iter([data])), zlib.crc32(data), len(data))
               for name, data in parts.items()]
    entries += [(f"word/media/image{n}.png", payload, 0, each) for n in range(count)]
    return raw_zip(path, entries)


def _lying_sizes(parts: dict[str, bytes], path: Path) -> Path:
    """document.xml declares 12 bytes and inflates to 256 MB."""
    entries = [(name, deflate_stream(iter([data])), zlib.crc32(data), len(data))
               for name, data in parts.items() if name != "word/document.xml"]
    entries.append(("word/document.xml", deflate_stream(zeros(256)), 0, 12))
    return raw_zip(path, entries)


def _entry_named(name: str) -> Callable[[dict[str, bytes], Path], Path]:
    return lambda parts, path: write_docx(path, {**parts, name: b"<x/>"})


def _macro_content_type(parts: dict[str, bytes], path: Path) -> Path:
    types = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    assert types != parts["[Content_Types].xml"]
    return write_docx(path, {**parts, "[Content_Types].xml": types})


def _truncated(keep: float) -> Callable[[dict[str, bytes], Path], Path]:
    def make(parts: dict[str, bytes], path: Path) -> Path:
        data = write_docx(path, parts).read_bytes()
        path.write_bytes(data[:int(len(data) * keep)])
        return path
    return make


def _encrypted(parts: dict[str, bytes], path: Path) -> Path:
    data = bytearray(write_docx(path, parts).read_bytes())
    for signature in (b"PK\x01\x02", b"PK\x03\x04"):  # set "encrypted" in every header
        start = 0
        while (start := data.find(signature, start)) >= 0:
            offset = start + (8 if signature == b"PK\x01\x02" else 6)
            data[offset] |= 1
            start += 4
    path.write_bytes(bytes(data))
    return path


def _unknown_zip_version(parts: dict[str, bytes], path: Path) -> Path:
    """An entry that needs zip version 14.8 to extract (found by the fuzzer)."""
    data = bytearray(write_docx(path, parts).read_bytes())
    header = data.find(b"PK\x01\x02")
    data[header + 6:header + 8] = struct.pack("<H", 148)
    path.write_bytes(bytes(data))
    return path


def _duplicate_entry(parts: dict[str, bytes], path: Path) -> Path:
    write_docx(path, parts)
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/document.xml", parts["word/document.xml"])
    return path


def _names_a_path(parts: dict[str, bytes], path: Path) -> Path:
    """A file made from the brief, edited, that names another folder as the brief to write."""
    custom = parts["docProps/custom.xml"].replace(b">arctic-shipping<",
                                                  b">../elsewhere/arctic-shipping<")
    document = parts["word/document.xml"].replace(b"story plainly", b"story clearly")
    assert custom != parts["docProps/custom.xml"] and document != parts["word/document.xml"]
    return write_docx(path, {**parts, "docProps/custom.xml": custom,
                             "word/document.xml": document})


def _plain_bytes(data: bytes) -> Callable[[dict[str, bytes], Path], Path]:
    def make(parts: dict[str, bytes], path: Path) -> Path:
        path.write_bytes(data)
        return path
    return make


HOSTILE_PACKAGES: dict[str, tuple[Callable[[dict[str, bytes], Path], Path], str]] = {
    "zip bomb: compression ratio": (_ratio_bomb, "the .docx entry 'word/document.xml' is "
                                    "compressed "),
    "zip bomb: declared total size": (_declared_total, "the .docx unpacks to more than "
                                      f"{docx_open.MAX_UNPACKED_BYTES / 1e6:.0f} MB"),
    "zip bomb: sizes that lie": (_lying_sizes, "the .docx is corrupt: cannot unpack "
                                 "word/document.xml (Bad CRC-32"),
    "100 MB image": (_huge_image, "the .docx part 'word/media/image9.png' unpacks to 100 MB, "
                     "over the 32 MB limit for one part"),
    "billion laughs": (_laughs("utf-8"), "the .docx part word/document.xml declares a DTD"),
    "billion laughs in UTF-16": (_laughs("utf-16"), "the .docx part word/document.xml declares "
                                 "a DTD"),
    "billion laughs in a part pandoc reads": (_laughs("utf-8", "word/numbering.xml"),
                                              "the .docx part word/numbering.xml declares a "
                                              "DTD"),
    "external entity": (_external('<!DOCTYPE w:document [<!ENTITY x SYSTEM '
                                  '"file:///etc/passwd">]>', "&x;"),
                        "the .docx part word/document.xml declares a DTD"),
    "external DTD": (_external('<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/evil.dtd">',
                               ""), "the .docx part word/document.xml declares a DTD"),
    "nesting 10,000 deep": (_nested(10_000), "the .docx part word/document.xml nests elements "
                            "more than 256 deep"),
    "tables nested 60 deep": (_nested_tables(60), "the .docx nests tables, lists or other "
                              "blocks too deeply to be read as a brief"),
    "../ entry name": (_entry_named("../../evil.xml"), "the .docx contains an unsafe entry name "
                       "'../../evil.xml'"),
    "absolute entry name": (_entry_named("/etc/evil.xml"), "the .docx contains an unsafe entry "
                            "name '/etc/evil.xml'"),
    "drive letter entry name": (_entry_named("C:/evil.xml"), "the .docx contains an unsafe "
                                "entry name 'C:/evil.xml'"),
    "backslash entry name": (_entry_named("word\\..\\..\\evil.xml"), "the .docx contains an "
                             "unsafe entry name 'word\\\\..\\\\..\\\\evil.xml'"),
    "duplicate entry": (_duplicate_entry, "the .docx contains the entry 'word/document.xml' "
                        "twice"),
    ".docm content type renamed .docx": (_macro_content_type, "the document contains macros, "
                                         "which briefpress does not accept"),
    "vbaProject.bin renamed .docx": (_with_part("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),
                                     "the document contains macros"),
    "encrypted entries": (_encrypted, "the .docx is encrypted"),
    "unknown zip version": (_unknown_zip_version, "the .docx is corrupt: zip file version 14.8"),
    "truncated to half": (_truncated(0.5), "not a Word .docx file (it is not a zip package) "
                          "(fix: give the .docx that Word or LibreOffice saved, whole: this "
                          "one may have been cut short"),
    "last bytes cut off": (_truncated(0.999), "not a Word .docx file (it is not a zip package)"),
    "a text file named .docx": (_plain_bytes(b"Dear editor,\nhere is the text.\n"),
                                "not a Word .docx file (it is not a zip package)"),
    "an empty file": (_plain_bytes(b""), "not a Word .docx file (it is not a zip package)"),
    "names a path as its brief": (_names_a_path, "the .docx names its brief "
                                  "'../elsewhere/arctic-shipping', which is not a slug"),
}

MAX_SECONDS = 5.0
MAX_PYTHON_MEGABYTES = 64


@pytest.mark.parametrize("case", HOSTILE_PACKAGES)
def test_a_hostile_package_is_refused_quickly_in_bounded_memory_with_the_source_untouched(
        case: str, docx_parts: dict[str, bytes], tmp_path: Path, server: Server,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    make, message = HOSTILE_PACKAGES[case]
    docx = make(docx_parts, tmp_path / "edited.docx")
    folder = tmp_path / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    shutil.copytree(ARCTIC, tmp_path / "elsewhere" / ARCTIC.name)
    monkeypatch.chdir(tmp_path)
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    brief = [] if case == "names a path as its brief" else ["--brief", ARCTIC.name]
    server.requests.clear()

    tracemalloc.start()
    started = time.perf_counter()
    try:
        code = main(["import", str(docx), *brief])
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith(f"edited.docx: error: {message}"), line
    assert elapsed < MAX_SECONDS, f"{elapsed:.1f} s"
    assert peak < MAX_PYTHON_MEGABYTES * 2**20, f"{peak / 2**20:.0f} MB"
    assert {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()} == before
    assert server.requests == []


# --- the import backup --------------------------------------------------------------------------

def test_the_import_backup_outlives_builds_until_the_next_import(
        tmp_path: Path, font_cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A build, failed or successful, leaves the backup (the preview rebuilds within a
    second of an import); the next import replaces it, and --undo then undoes that one."""
    from docxedit import DocxEditor

    monkeypatch.setenv("BRIEFPRESS_CACHE", str(font_cache))
    folder = tmp_path / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    monkeypatch.chdir(tmp_path)
    original = (folder / "brief.md").read_bytes()
    assert main(["build", ARCTIC.name, "--format", "docx"]) == 0
    doc = DocxEditor(tmp_path / "build" / ARCTIC.name / f"{ARCTIC.name}.docx")
    doc.replace("Vessel counts tell the story plainly", "plainly", "clearly")
    assert main(["import", str(doc.save(tmp_path / "edited.docx"))]) == 0
    backup = tmp_path / IMPORTS / ARCTIC.name
    assert (backup / "brief.md").read_bytes() == original
    # beside content/, not in the build folder a publisher copies to a web server
    assert not [p for p in (tmp_path / "build").rglob("*") if p.name == "import.json"]

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")  # the build is refused
    assert main(["build", ARCTIC.name, "--format", "docx,pdf"]) == 2
    assert (backup / "brief.md").read_bytes() == original, "a failed build ended the backup"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert main(["build", ARCTIC.name, "--format", "docx"]) == 0
    assert (backup / "brief.md").read_bytes() == original, "a build ended the backup"
    imported = (folder / "brief.md").read_bytes()
    doc = DocxEditor(tmp_path / "build" / ARCTIC.name / f"{ARCTIC.name}.docx")
    doc.replace("Vessel counts tell the story clearly", "clearly", "at once")
    assert main(["import", str(doc.save(tmp_path / "again.docx"))]) == 0
    assert (backup / "brief.md").read_bytes() == imported  # the next import's backup
    assert main(["import", "--undo", "--brief", ARCTIC.name]) == 0
    assert (folder / "brief.md").read_bytes() == imported
    assert not backup.exists()
    capsys.readouterr()
    assert main(["import", "--undo", "--brief", ARCTIC.name]) == 2
    assert f"no import of '{ARCTIC.name}' to undo" in capsys.readouterr().err
