"""The catalog's program and series pages from the command line: after a program's or series'
id is renamed and one brief is built, no page in the build folder links to a page that is not
there, and the build and ``check`` say which pages link to the old one."""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from tests.conftest import ARCTIC, edit

from briefpress.cli import main

CONFIG = """\
programs:
  - id: {program}
    name: "Polar Institute"
series:
  - id: {series}
    name: "High North Papers"
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _dead_links(build: Path) -> list[str]:
    """Every relative link of a page in ``build`` to a file that is not there."""
    dead = []
    for page in sorted(build.rglob("*.html")):
        tree = lxml.html.fromstring(page.read_bytes())
        for href in tree.xpath("//a/@href | //link/@href"):
            target = urlsplit(str(href))
            if target.scheme or target.netloc or not target.path:
                continue
            path = posixpath.normpath(posixpath.join(page.parent.as_posix(),
                                                     unquote(target.path)))
            if not Path(path).exists():
                dead.append(f"{page.relative_to(build)} -> {href}")
    return dead


def test_renamed_ids_keep_the_old_pages_while_a_built_page_links_to_them(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, warm_cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two briefs of one program and one series; both ids renamed in briefpress.yaml, then
    one brief built (the editing loop): the old program and series pages stay, each named
    with the page that links to it and the command that builds that page again, and
    ``check`` of that page says so. Once it is built again, the old pages go."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    monkeypatch.chdir(tmp_path)
    for slug in ("brief-a", "brief-b"):
        shutil.copytree(ARCTIC, tmp_path / "content" / slug)
        edit(tmp_path / "content" / slug / "brief.md", 'program: "Polar Institute"\n',
             'program: "Polar Institute"\nseries: "High North Papers"\n')
    config = tmp_path / "briefpress.yaml"
    config.write_text(CONFIG.format(program="polar", series="high-north"), encoding="utf-8")
    for slug in ("brief-a", "brief-b"):
        assert _run(capsys, "build", slug, "--format", "html")[0] == 0
    build = tmp_path / "build"
    old = [build / "programs/polar/index.html", build / "series/high-north/index.html"]
    assert all(page.is_file() for page in old) and _dead_links(build) == []

    config.write_text(CONFIG.format(program="pi", series="north"), encoding="utf-8")
    code, out, err = _run(capsys, "build", "brief-a", "--format", "html")
    assert code == 0, err
    assert out.splitlines()[-1] == "catalog build/index.html (and 2 program and series pages)"
    for kind, name in (("program", "programs/polar/index.html"),
                       ("series", "series/high-north/index.html")):
        assert (f"build/{name}: warning: kept, though the catalog has no {kind} page at this "
                "address any more, while a page built before links to it: "
                "build/brief-b/index.html (fix: build that page again (`briefpress build "
                "brief-b --format html`); the next build of the catalog then removes it)"
                ) in err
    assert all(page.is_file() for page in old)
    assert (build / "programs/pi/index.html").is_file()
    assert (build / "series/north/index.html").is_file()
    assert _dead_links(build) == []
    # built again with nothing changed: still kept, and still said
    code, _, again = _run(capsys, "build", "brief-a", "--format", "html")
    assert code == 0 and again.count("warning: kept") == 2

    code, _, err = _run(capsys, "check", "brief-b")
    assert code == 0, err
    assert ("build/brief-b/index.html: warning: the HTML edition links to "
            "build/programs/polar/index.html, a page the catalog keeps only while a built "
            "page links to it: the id of its program or series changed since it was built "
            "(fix: rebuild it with `briefpress build brief-b --format html`)") in err
    assert "links to build/series/high-north/index.html, a page the catalog keeps" in err
    # a kept page deleted by hand: check names the dead link
    old[0].unlink()
    code, _, err = _run(capsys, "check", "brief-b")
    assert ("build/brief-b/index.html: warning: the HTML edition links to "
            "build/programs/polar/index.html, which is not there") in err

    code, _, err = _run(capsys, "build", "brief-b", "--format", "html")
    assert code == 0 and "kept" not in err, err
    assert not old[1].parent.exists()  # the series' page and its folder (the program's
    # page was deleted by hand: its empty folder is not the catalog's to remove)
    assert sorted(p.relative_to(build).as_posix() for p in build.glob("*/*/index.html")) == [
        "programs/pi/index.html", "series/north/index.html"]
    assert _dead_links(build) == []
    assert "links to" not in _run(capsys, "check", "brief-b")[2]
