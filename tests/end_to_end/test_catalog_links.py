"""The catalog's program and series pages from the command line: after a program's or series'
id is renamed and one brief is built, no page in the build folder links to a page that is not
there, and the build and ``check`` say which pages link to the old one."""

from __future__ import annotations

import json
import posixpath
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from tests.conftest import ARCTIC, edit

from briefpress.cli import main
from briefpress.support.cache import RECORD

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
    for kind, name, other in (("program", "programs/polar/index.html", old[1]),
                              ("series", "series/high-north/index.html", old[0])):
        # each old page lists brief-b, whose label links to the other old page
        assert (f"build/{name}: warning: kept, though the catalog has no {kind} page at this "
                "address any more, while a page built before links to it: "
                f"build/brief-b/index.html; and the kept page {other.relative_to(tmp_path)} "
                "links to it, kept for build/brief-b/index.html (fix: build that page again "
                "(`briefpress build brief-b --format html`); the next build of the catalog "
                "then removes it)") in err
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


def test_the_kept_warning_names_the_pages_that_hold_the_link(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, warm_cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A program and a series both renamed; ship-b links only to the old program's page,
    water-c only to the old series' page, and the two old pages link to each other (both
    list ship-a): each warning names the built page that links to it and the other kept
    page, kept for its own built page, and its fix builds both again."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    monkeypatch.chdir(tmp_path)
    fronts = {"ship-a": 'program: "Polar Institute"\nseries: "High North Papers"\n',
              "ship-b": 'program: "Polar Institute"\n',
              "water-c": 'program: "Water Programme"\nseries: "High North Papers"\n'}
    for slug, front in fronts.items():
        shutil.copytree(ARCTIC, tmp_path / "content" / slug)
        edit(tmp_path / "content" / slug / "brief.md", 'program: "Polar Institute"\n', front)
    config = tmp_path / "briefpress.yaml"
    config.write_text(CONFIG.format(program="polar", series="high-north"), encoding="utf-8")
    assert _run(capsys, "build", "--format", "html")[0] == 0
    config.write_text(CONFIG.format(program="pi", series="north"), encoding="utf-8")
    code, _, err = _run(capsys, "build", "ship-a", "--format", "html")
    assert code == 0, err
    fix = ("(fix: build those pages again (`briefpress build ship-b --format html`, "
           "`briefpress build water-c --format html`); the next build of the catalog then "
           "removes it)")
    assert ("build/programs/polar/index.html: warning: kept, though the catalog has no "
            "program page at this address any more, while a page built before links to it: "
            "build/ship-b/index.html; and the kept page build/series/high-north/index.html "
            f"links to it, kept for build/water-c/index.html {fix}") in err
    assert ("build/series/high-north/index.html: warning: kept, though the catalog has no "
            "series page at this address any more, while a page built before links to it: "
            "build/water-c/index.html; and the kept page build/programs/polar/index.html "
            f"links to it, kept for build/ship-b/index.html {fix}") in err
    build = tmp_path / "build"
    for page, links in (("ship-b", {"programs/polar/index.html"}),
                        ("water-c", {"series/high-north/index.html"})):
        assert _linked(build / page / "index.html", build) >= links
        assert not _linked(build / page / "index.html", build) & ({
            "programs/polar/index.html", "series/high-north/index.html"} - links)

    # ship-b built again: the old program's page is kept only by the old series' page
    code, _, err = _run(capsys, "build", "ship-b", "--format", "html")
    assert code == 0, err
    assert ("build/programs/polar/index.html: warning: kept, though the catalog has no "
            "program page at this address any more, while the kept page "
            "build/series/high-north/index.html links to it, kept for "
            "build/water-c/index.html (fix: build that page again (`briefpress build water-c "
            "--format html`); the next build of the catalog then removes it)") in err
    assert ("build/series/high-north/index.html: warning: kept, though the catalog has no "
            "series page at this address any more, while a page built before links to it: "
            "build/water-c/index.html; and the kept page build/programs/polar/index.html "
            "links to it, kept only while this page is (fix: build that page again") in err
    assert _run(capsys, "build", "water-c", "--format", "html")[2].count("kept") == 0
    assert not (build / "programs/polar").exists()
    assert not (build / "series/high-north").exists()
    assert _dead_links(build) == []


def _linked(page: Path, build: Path) -> set[str]:
    """The program and series pages ``page`` links to, relative to ``build``."""
    from briefpress.render.web import linked_pages

    return linked_pages(page, build)


def _withdrawn(folder: str, what: str, fix: str) -> str:
    return (f"{folder}: warning: holds the editions of {what}: a copy of the build folder "
            f"publishes them still (fix: remove it (`rm -r {folder}`); {fix})")


MOVED = ("if the brief moved to another folder, build it from there (`briefpress build "
         "PATH/TO/FOLDER`)")


def test_a_brief_withdrawn_from_content_is_named_not_removed(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, warm_cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A brief's folder deleted from content/: the catalog drops it, and every build that
    writes the catalog, and ``check`` of any brief, names its build folder (which a copy of
    build/ would publish) with the command that removes it; nothing is removed. A brief
    built from a folder outside content/ is not named while that folder is there, nor one
    moved out of content/ and built from where it is now."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    monkeypatch.chdir(tmp_path)
    for slug in ("gone", "kept"):
        shutil.copytree(ARCTIC, tmp_path / "content" / slug)
    shutil.copytree(ARCTIC, tmp_path / "drafts" / "outside")
    assert _run(capsys, "build", "--format", "html")[0] == 0
    code, _, err = _run(capsys, "build", "drafts/outside", "--format", "html")
    assert code == 0 and "holds the editions" not in err, err
    build = tmp_path / "build"
    before = sorted(p.relative_to(build) for p in (build / "gone").rglob("*"))
    # the records name the folders relative to the build folder: no absolute path, and a
    # copy of the whole project is a project of its own
    sources = {e["source"] for slug in ("gone", "kept", "outside")
               for e in json.loads((build / slug / RECORD).read_text())["editions"].values()}
    assert sources == {"../content/gone", "../content/kept", "../drafts/outside"}
    copy = tmp_path.parent / f"{tmp_path.name}-copy"
    shutil.copytree(tmp_path, copy, symlinks=True)
    shutil.rmtree(copy / "content" / "gone")
    monkeypatch.chdir(copy)
    code, _, err = _run(capsys, "check", "kept")
    assert code == 0 and err.count("holds the editions") == 1, err
    assert "build/gone: warning: holds the editions of a brief withdrawn" in err
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(capsys, "check", "kept")
    assert code == 0 and "holds the editions" not in err, err

    shutil.rmtree(tmp_path / "content" / "gone")
    warning = _withdrawn("build/gone", "a brief withdrawn from content/ (there is no "
                         "content/gone any more)", MOVED)
    code, _, err = _run(capsys, "build", "kept", "--format", "html")
    assert code == 0 and warning in err, err
    assert err.count("holds the editions") == 1  # not the brief built from drafts/
    assert "gone/" not in (build / "index.html").read_text(encoding="utf-8")
    assert sorted(p.relative_to(build) for p in (build / "gone").rglob("*")) == before
    for argv in (("check",), ("check", "kept")):
        code, _, err = _run(capsys, *argv)
        assert code == 0 and warning in err and err.count("holds the editions") == 1, err

    # the brief outside content/ deleted too; the other one moved out and built from there
    shutil.rmtree(tmp_path / "drafts" / "outside")
    (tmp_path / "content" / "kept").rename(tmp_path / "drafts" / "kept")
    code, _, err = _run(capsys, "build", "drafts/kept", "--format", "html")
    assert code == 0, err  # up to date: its record now says where it is
    assert warning in err
    assert _withdrawn("build/outside", "a brief built from drafts/outside, which is not "
                      "there any more (nor in content/)", MOVED) in err
    assert "build/kept:" not in err and err.count("holds the editions") == 2

    # a record of an earlier briefpress does not say where the brief was built from
    record = build / "gone" / RECORD
    data = json.loads(record.read_text(encoding="utf-8"))
    for edition in data["editions"].values():
        del edition["source"]
    record.write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "content" / "other").mkdir()  # a content/ with no brief in it
    shutil.copytree(ARCTIC, tmp_path / "content" / "other", dirs_exist_ok=True)
    code, _, err = _run(capsys, "check", "other")
    assert _withdrawn("build/gone", "a brief not in content/ (there is no content/gone; its "
                      "record, from an earlier briefpress, does not say which folder it was "
                      "built from)", "if it is a brief in a folder outside content/, build "
                      "it from there (`briefpress build PATH/TO/FOLDER`), which records "
                      "where it is") in err, err
    assert (build / "gone" / "index.html").is_file() and (build / "outside").is_dir()


def test_a_kept_page_s_fix_builds_a_brief_from_its_folder_and_removes_a_withdrawn_one(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, warm_cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The old program page after a rename, kept for a brief built from a folder outside
    content/ and for one withdrawn from content/: the fix builds the first from its folder
    and removes the second's build folder (building its page again cannot happen)."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    monkeypatch.chdir(tmp_path)
    for folder in ("content/brief-a", "content/brief-c", "drafts/brief-b"):
        shutil.copytree(ARCTIC, tmp_path / folder)
    config = tmp_path / "briefpress.yaml"
    config.write_text(CONFIG.format(program="polar", series="high-north"), encoding="utf-8")
    assert _run(capsys, "build", "drafts/brief-b", "--format", "html")[0] == 0
    assert _run(capsys, "build", "--format", "html")[0] == 0
    config.write_text(CONFIG.format(program="pi", series="north"), encoding="utf-8")
    shutil.rmtree(tmp_path / "content" / "brief-c")
    code, _, err = _run(capsys, "build", "brief-a", "--format", "html")
    assert code == 0, err
    assert ("build/programs/polar/index.html: warning: kept, though the catalog has no "
            "program page at this address any more, while pages built before link to it: "
            "build/brief-b/index.html, build/brief-c/index.html (fix: build that page again "
            "(`briefpress build drafts/brief-b --format html`); remove that folder (`rm -r "
            "build/brief-c`), which no brief in content/ builds any more; the next build of "
            "the catalog then removes it)") in err
    assert "build/brief-c: warning: holds the editions of a brief withdrawn" in err
    assert "build/brief-b: warning" not in err
