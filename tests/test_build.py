"""Builds that are killed, builds that race each other and builds during an import.

Every case runs ``briefpress build`` (PDF, DOCX and web page of the arctic brief) as a
process of its own (the build after a kill, whose files alone are looked at, runs in this
process: the same code, folder and cache). A build killed with SIGKILL, at moments spread
over its run or just before it renames a finished file into place, leaves each output
exactly as it was or exactly as the complete new build makes it, never a part of one; the
next build succeeds and clears the temporary files the killed one left. Two builds at once
give what one build gives; a build during an import builds one revision of the sources,
never a mix.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefpress.build import build
from briefpress.read.brief import read_brief
from briefpress.support import locking
from briefpress.support.cache import RECORD
from briefpress.support.locking import brief_lock
from conftest import ARCTIC, edit

pytestmark = pytest.mark.slow

SLUG = ARCTIC.name
OUTPUTS = (f"{SLUG}/{SLUG}.pdf", f"{SLUG}/{SLUG}.docx", f"{SLUG}/index.html", "index.html")
"""The editions and the catalog, relative to build/."""

KILL_BEFORE_RENAME = """
import os, signal, sys
from briefpress import build
wanted, real = sys.argv[1], os.replace
def replace(source, target):
    if os.path.basename(str(target)) == wanted:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(source, target)
build.os.replace = replace
from briefpress.cli import main
sys.exit(main(sys.argv[2:]))
"""
"""Run the CLI, killing the process as it is about to rename the output named argv[1] into
place (the temporary file is complete; everything before it is done)."""


@dataclass
class Project:
    root: Path
    env: dict[str, str]

    @property
    def folder(self) -> Path:
        return self.root / "content" / SLUG

    @property
    def out(self) -> Path:
        return self.root / "build"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "briefpress.cli", *args]

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.command(*args), cwd=self.root, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(self.command(*args), cwd=self.root, env=self.env,
                              capture_output=True, check=False)

    def build_here(self) -> list[Path]:
        """What ``briefpress build`` (every edition) does here, in this process: the same
        code, folder and cache, without a command's start; for a build whose files, not
        whose process, a test looks at (the build after a kill, say)."""
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(self.root)
            patch.setenv("BRIEFPRESS_CACHE", self.env["BRIEFPRESS_CACHE"])
            return build([], ["pdf", "docx", "html"], build_dir=self.out)

    def outputs(self) -> dict[str, bytes | None]:
        return {name: (self.out / name).read_bytes() if (self.out / name).is_file() else None
                for name in OUTPUTS}

    def files(self) -> dict[str, bytes]:
        """Every file a build writes (its lock, temporary files a killed one left and its
        record of the editions aside: the record is updated edition by edition, and an
        edition it does not describe is rebuilt, which test_record_matches_the_files checks)."""
        return {str(p.relative_to(self.out)): p.read_bytes() for p in sorted(self.out.rglob("*"))
                if p.is_file() and p.name not in (".lock", RECORD)
                and p not in leftovers(self.out)}


def new_project(root: Path, cache: Path) -> Project:
    shutil.copytree(ARCTIC, root / "content" / SLUG)
    (root / "tmp").mkdir()  # what a killed build leaves in its temporary folder stays here
    env = {**os.environ, "BRIEFPRESS_CACHE": str(cache), "TMPDIR": str(root / "tmp")}
    return Project(root, env)


def leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*") if ".tmp" in p.name]


def assert_whole(files: dict[str, bytes]) -> None:
    """Each edition reads as what it is."""
    pdf = files[f"{SLUG}/{SLUG}.pdf"]
    assert pdf.rstrip().endswith(b"%%EOF") and len(PdfReader(_io(pdf)).pages) > 2
    with zipfile.ZipFile(_io(files[f"{SLUG}/{SLUG}.docx"])) as archive:
        assert archive.testzip() is None and "word/document.xml" in archive.namelist()
    for page in (files[f"{SLUG}/index.html"], files["index.html"]):
        assert page.rstrip().endswith(b"</html>")


def _io(data: bytes) -> object:
    import io

    return io.BytesIO(data)


@dataclass
class States:
    """Two revisions of the brief and everything a complete build of each writes."""

    project: Project
    before: dict[str, bytes]
    after: dict[str, bytes]
    seconds: float
    """How long a build of the second revision takes, start-up included."""


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> States:
    project = new_project(tmp_path_factory.mktemp("atomic"), warm_cache)
    # the first revision's build in this process; the second one, timed, is the command
    # the tests run
    project.build_here()
    before = project.files()
    edit(project.folder / "brief.md", "quadrupled in five years", "quadrupled in six years")
    edit(project.folder / "recommendations.yaml", "premiums follow risk", "premiums track risk")
    started = time.perf_counter()
    assert project.run("build").returncode == 0
    seconds = time.perf_counter() - started
    after = project.files()
    assert_whole(before)
    assert_whole(after)
    for name in OUTPUTS:
        assert before[name] != after[name], name
    return States(project, before, after, seconds)


def restore(project: Project, files: dict[str, bytes]) -> None:
    shutil.rmtree(project.out)
    for name, data in files.items():
        (project.out / name).parent.mkdir(parents=True, exist_ok=True)
        (project.out / name).write_bytes(data)


def assert_old_or_new(project: Project, states: States) -> None:
    """Every file is the previous build's or the new build's, whole; nothing in between."""
    files = project.files()
    for name in OUTPUTS:
        assert files.get(name) in (states.before[name], states.after[name]), name
    for name, data in files.items():
        assert data in (states.before.get(name), states.after.get(name)), name


@pytest.mark.parametrize("moment", [0.2, 0.4, 0.6, 0.8])
def test_a_build_killed_at_any_moment_leaves_every_output_whole(
        states: States, moment: float) -> None:
    project = states.project
    restore(project, states.before)
    build_process = project.start("build")
    time.sleep(states.seconds * moment)
    build_process.send_signal(signal.SIGKILL)
    build_process.wait()
    assert_old_or_new(project, states)
    assert_whole({**states.before, **project.files()})


@pytest.mark.parametrize("output", [f"{SLUG}.pdf", f"{SLUG}.docx", "index.html"])
def test_a_build_killed_just_before_a_rename_leaves_the_old_file_and_a_temporary_one(
        states: States, output: str) -> None:
    """Killed with the new file complete beside the old one: the old one stays, the
    temporary file is left, and the next build clears it and succeeds."""
    project = states.project
    restore(project, states.before)
    killed = subprocess.run([sys.executable, "-c", KILL_BEFORE_RENAME, output, "build"],
                            cwd=project.root, env=project.env, capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL
    assert project.files()[f"{SLUG}/{output}"] == states.before[f"{SLUG}/{output}"]
    assert_old_or_new(project, states)
    [temporary] = leftovers(project.out)
    assert temporary.parent == project.out / SLUG
    project.build_here()
    assert leftovers(project.out) == []
    assert project.outputs() == {name: states.after[name] for name in OUTPUTS}


def test_the_build_after_kills_succeeds_and_clears_what_they_left(states: States) -> None:
    project = states.project
    restore(project, states.before)
    for moment in (0.4, 0.7):
        build_process = project.start("build")
        time.sleep(states.seconds * moment)
        build_process.send_signal(signal.SIGKILL)
        build_process.wait()
    project.build_here()
    assert leftovers(project.out) == []
    assert project.files() == states.after


def test_two_builds_at_once_give_what_one_build_gives(states: States) -> None:
    project = states.project
    restore(project, states.before)
    first, second = project.start("build"), project.start("build")
    for process in (first, second):
        _, err = process.communicate()
        assert process.returncode == 0, err.decode()
    assert project.files() == states.after
    assert leftovers(project.out) == []


def test_a_build_waits_while_another_process_holds_the_brief(states: States) -> None:
    project = states.project
    restore(project, states.before)
    with brief_lock(project.out, SLUG):
        waiting = project.start("build")
        time.sleep(states.seconds)  # time enough to build everything, were it not waiting
        assert waiting.poll() is None
        assert project.files() == states.before and leftovers(project.out) == []
    _, err = waiting.communicate()
    assert waiting.returncode == 0, err.decode()
    assert project.files() == states.after


def test_a_build_during_an_import_builds_one_revision(states: States,
                                                      tmp_path_factory: pytest.TempPathFactory
                                                      ) -> None:
    """The import and the build start together; whichever takes the brief first, the
    editions are all of the sources before the import or all of those after it."""
    from docxedit import DocxEditor

    project = states.project
    restore(project, states.after)
    doc = DocxEditor(project.out / SLUG / f"{SLUG}.docx")
    doc.replace("Vessel counts tell the story plainly", "plainly", "starkly")
    doc.replace("Pool loss data so that premiums track risk", "track risk", "match risk")
    edited = doc.save(tmp_path_factory.mktemp("edited") / "edited.docx")
    sources_before = _sources(project)

    # what the import alone makes, in a scratch copy (in this process: the command's code)
    from briefpress.cli import main

    alone = new_project(tmp_path_factory.mktemp("alone"), Path(project.env["BRIEFPRESS_CACHE"]))
    for name, text in sources_before.items():
        (alone.folder / name).write_bytes(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(alone.root)
        assert main(["import", str(edited)]) == 0
    sources_after = _sources(alone)
    assert sources_after != sources_before

    importing, building = project.start("import", str(edited)), project.start("build")
    for process in (importing, building):
        _, err = process.communicate()
        assert process.returncode == 0, err.decode()
    assert _sources(project) == sources_after
    editions = {name: project.outputs()[name] for name in OUTPUTS[:3]}
    # the editions of the imported sources, built here (the PDF depends on the folder's path)
    project.build_here()
    imported = {name: project.outputs()[name] for name in OUTPUTS[:3]}
    assert imported != {name: states.after[name] for name in OUTPUTS[:3]}
    assert editions in ({name: states.after[name] for name in OUTPUTS[:3]}, imported)


def _sources(project: Project) -> dict[str, bytes]:
    return {name: (project.folder / name).read_bytes()
            for name in ("brief.md", "recommendations.yaml")}


def test_an_import_between_reading_and_locking_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build reads its briefs before it takes their locks; an import that rewrites both
    source files in between is built whole (not the old text, nor half of each)."""
    folder = tmp_path / "content" / SLUG
    shutil.copytree(ARCTIC, folder)
    real_lock = locking.brief_lock

    @contextlib.contextmanager
    def lock_after_an_import(build_dir: Path, slug: str) -> Iterator[None]:
        edit(folder / "brief.md", "tell the story plainly", "tell the story clearly")
        edit(folder / "recommendations.yaml", "premiums follow risk", "premiums track risk")
        with real_lock(build_dir, slug):
            yield

    monkeypatch.setattr(locking, "brief_lock", lock_after_an_import)
    docx, = build([str(folder)], ["docx"], build_dir=tmp_path / "build")
    with zipfile.ZipFile(docx) as archive:
        properties = archive.read("docProps/custom.xml").decode()
    assert read_brief(folder).revision in properties


def test_the_pdf_engine_the_registry_names_is_the_module_its_renderer_lays_out_with() -> None:
    """build() imports each format's engine in the background while it reads; a wrong name
    there would only lose that head start, silently, so it is checked here."""
    import importlib

    from briefpress.render import FORMATS
    from briefpress.render import pdf as pdf_format

    assert {fmt.name: fmt.engine for fmt in FORMATS.values() if fmt.engine} == {
        "pdf": "briefpress.render.pdf_layout", "print": "briefpress.render.pdf_layout"}
    engine = importlib.import_module(FORMATS["pdf"].engine or "")
    assert "from briefpress.render.pdf_layout import write_pdf" in \
        Path(pdf_format.__file__).read_text(encoding="utf-8")
    assert callable(engine.write_pdf)


def test_a_build_of_many_briefs_builds_each_in_order(scratch, tmp_path) -> None:
    folders = [scratch(slug=f"brief-{n}") for n in range(3)]
    built = build([str(f) for f in folders], ["html"], build_dir=tmp_path / "build")
    # each brief's page, then the catalog and its program pages (of these briefs' program
    # and of the briefs of content/ it lists too)
    paths = [p.relative_to(tmp_path / "build").as_posix() for p in built]
    assert paths[:4] == [f"{f.name}/index.html" for f in folders] + ["index.html"]
    assert "programs/polar-institute-924f38/index.html" in paths[4:]  # no id: the name's
    assert all(path.startswith("programs/") for path in paths[4:])


# --- the record follows the latest build; an earlier version's backup leaves build/ -----


def test_a_build_that_makes_one_edition_records_its_options_for_the_others_up_to_date(
        scratch, tmp_path, warm_cache, monkeypatch) -> None:
    """The Word file built with --page-size a4 (the config's paper already), then a plain
    build of it and the web page: the web page is built, the Word file is up to date under
    the options asked, and the record says those, not the --page-size typed before."""
    from briefpress.build import build_all
    from briefpress.model.options import RenderOptions
    from briefpress.support import cache

    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = scratch()
    (tmp_path / "briefpress.yaml").write_text("page_size: a4\n", encoding="utf-8")
    out = tmp_path / "build"
    build([str(folder)], ["docx"], RenderOptions(page_size="a4"), build_dir=out)
    report = build_all([str(folder)], ["docx", "html"], RenderOptions(), out, jobs=0)
    assert (report.results[0].current, report.results[0].built) == (["docx"], ["html"])
    editions = cache.load_record(out / folder.name).editions
    assert editions["docx"].options == editions["html"].options == RenderOptions()


# --- the editions of other formats a build leaves: named when stale --------------------


def test_a_build_names_each_edition_of_another_format_it_left_stale(
        scratch, tmp_path, warm_cache, monkeypatch) -> None:
    """The Word file built, the brief edited, then only the web page built (as a plain build
    leaves a print PDF): each build says that the Word file is older than its sources, as
    check says it, with the command that rebuilds it, until it is rebuilt. The preview's
    builds (``others=False``) name none."""
    from briefpress.build import build_all
    from briefpress.check.brief import check_outputs

    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = scratch()
    out = tmp_path / "build"

    def told(formats: list[str], others: bool = True) -> list[str]:
        found: list = []
        report = build_all([str(folder)], formats, None, out, warn=found.append, jobs=0,
                           others=others)
        assert not report.failed
        return [str(problem) for problem in found]

    assert told(["docx"]) == []
    assert told(["html"]) == []  # the Word file is as its sources are
    edit(folder / "brief.md", "govern a busy one.", "govern a crowded one.")
    docx = (f"{out / folder.name / (folder.name + '.docx')}: warning: the DOCX edition is "
            f"older than its sources (the brief, or the templates, styles, briefpress.yaml "
            f"or brand it is made with, or briefpress itself, changed since it was built) "
            f"(fix: rebuild it with `briefpress build {folder} --format docx --build-dir "
            f"{out}`)")
    assert told(["html"], others=False) == []
    assert told(["html"]) == [docx]  # up to date now: said again
    assert [str(p) for p in check_outputs(read_brief(folder), out)] == [docx]
    assert told(["docx"]) == []  # the web page shows its size, which is the same
    assert told(["html"]) == []
    assert check_outputs(read_brief(folder), out) == []


def test_a_build_with_no_edition_of_another_format_imports_nothing_for_them(
        scratch, tmp_path) -> None:
    """Only the web page in the build folder, up to date: the build looks for the other
    editions (a file each) and, finding none, imports neither the checks nor WeasyPrint."""
    folder = scratch()
    out = tmp_path / "build"
    build([str(folder)], ["html"], build_dir=out)
    code = ("import sys\nfrom briefpress.build import build_all\n"
            f"[r] = build_all([{str(folder)!r}], ['html'], None, build_dir=__import__("
            f"'pathlib').Path({str(out)!r}), jobs=0).results\n"
            "assert r.current == ['html'], r\n"
            "print('briefpress.check.brief' in sys.modules, 'weasyprint' in sys.modules)")

    def imported() -> str:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout.strip()

    assert imported() == "False False"
    # a print PDF there (which no build recorded, as an earlier briefpress's): looked at
    (out / folder.name / f"{folder.name}-print.pdf").write_bytes(b"%PDF-")
    assert imported() == "True False"


def legacy_import(out: Path, folder: Path) -> bytes:
    """What an import of an earlier version left in the brief's build folder: the backup
    (returned: its import.json) and the review report."""
    backup = out / folder.name / ".import-backup"
    backup.mkdir(parents=True, exist_ok=True)
    record = f'{{"brief": "{folder}", "imported": {{}}, "added_files": []}}'.encode()
    (backup / "import.json").write_bytes(record)
    (backup / "brief.md").write_bytes((folder / "brief.md").read_bytes())
    (out / folder.name / "review.md").write_text("# Review\n", encoding="utf-8")
    return record


@pytest.mark.parametrize("up_to_date", [True, False], ids=["up-to-date", "stale"])
def test_the_next_build_moves_an_earlier_version_s_import_backup_out_of_build(
        scratch, tmp_path, warm_cache, monkeypatch, up_to_date) -> None:
    """Whether the build finds the brief up to date (no lock taken otherwise) or builds it,
    the backup and review report an earlier version left in build/<slug>/ go to the
    project's .briefpress/, and the build says so once, in one line."""
    from briefpress.build import build_all
    from briefpress.support.backup import backup_dir, review_file

    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = scratch()
    out = tmp_path / "build"
    if up_to_date:
        build([str(folder)], ["docx"], build_dir=out)
    record = legacy_import(out, folder)
    said: list = []
    report = build_all([str(folder)], ["docx"], None, out, said.append, jobs=0)
    assert report.results[0].current == (["docx"] if up_to_date else [])
    [note] = said
    assert note.severity == "warning" and "moved the import backup" in note.message
    assert (backup_dir(folder) / "import.json").read_bytes() == record
    assert review_file(folder).read_text(encoding="utf-8") == "# Review\n"
    assert sorted(p.name for p in (out / folder.name).iterdir()) == [
        ".editions.json", ".lock", f"{folder.name}.docx"]
    said.clear()
    build_all([str(folder)], ["docx"], None, out, said.append, jobs=0)
    assert said == []  # once


def test_a_backup_that_cannot_be_moved_fails_the_build_and_stays(
        scratch, tmp_path, warm_cache, monkeypatch, capsys) -> None:
    from briefpress.cli import main

    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = scratch()
    out = tmp_path / "build"
    build([str(folder)], ["docx"], build_dir=out)
    record = legacy_import(out, folder)
    (tmp_path / ".briefpress").write_text("in the way", encoding="utf-8")
    assert main(["build", str(folder), "--format", "docx", "--build-dir", str(out)]) == 2
    assert "error: cannot move" in capsys.readouterr().err
    assert (out / folder.name / ".import-backup" / "import.json").read_bytes() == record


# --- an edition that fails: the next ones are built, and the failure says what to do ------


def test_an_edition_that_does_not_read_back_stops_no_other_and_names_no_rebuild(
        scratch, tmp_path, warm_cache, monkeypatch, capsys) -> None:
    """The tester's M1: the Word edition read back without a section (its id a digest, as
    pandoc names an id no bookmark can be), so the build failed; the web page after it was
    not built and nothing said so, and the fix was the command that had just failed."""
    from briefpress.build import READ_BACK_FIX
    from briefpress.cli import main
    from briefpress.model.brief import OutlineEntry
    from briefpress.render import get_format

    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = scratch()
    out = tmp_path / "build"
    module = get_format("docx").load()
    read_outline = module.read_outline

    def digest_for_traffic(path: Path) -> list[OutlineEntry]:
        return [OutlineEntry(e.kind, e.level, "X3ffc437427799023603c360657c1842fdcf5eda", e.title)
                if e.id == "traffic" else e for e in read_outline(path)]

    monkeypatch.setattr(module, "read_outline", digest_for_traffic)
    capsys.readouterr()
    code = main(["build", str(folder), "--format", "docx,html", "--build-dir", str(out)])
    said = capsys.readouterr()
    docx = out / folder.name / f"{folder.name}.docx"
    assert code == 2
    # the web page, then the catalog that lists it (the Word file's failure skips it no more)
    built, catalog = said.out.splitlines()
    assert built == f"built {out / folder.name / 'index.html'}"
    assert catalog.startswith(f"catalog {out / 'index.html'}")
    assert said.err.splitlines() == [
        f"{docx}: error: the DOCX edition is missing section 'The Traffic Is Already Here' "
        f"(traffic) (fix: {READ_BACK_FIX})",
        f"{docx}: error: the DOCX edition has section 'The Traffic Is Already Here' that the "
        f"source does not have (fix: {READ_BACK_FIX})"]
    assert "briefpress build" not in said.err
    assert not docx.exists() and (out / folder.name / "index.html").is_file()


def test_a_failed_pdf_skips_neither_the_catalog_nor_the_brief_s_listing(
        scratch, tmp_path, monkeypatch, capsys) -> None:
    """The reviewer's defect: a brief whose PDF failed had its web page replaced, yet the
    catalog was not written (a build of one brief and of all), and the brief was reported
    "failed, 0 built"."""
    from briefpress.cli import main

    folder = scratch()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFPRESS_LIMIT_PDF_SECONDS", "0")  # refused as the PDF renders
    code = main(["build", folder.name, "--format", "pdf,html"])
    said = capsys.readouterr()
    assert code == 2
    assert said.out.splitlines() == [
        f"built build/{folder.name}/index.html",
        "catalog build/index.html (and 1 program and series pages)"]
    assert "BRIEFPRESS_LIMIT_PDF_SECONDS: error:" in said.err
    catalog = (tmp_path / "build" / "index.html").read_text(encoding="utf-8")
    assert f'href="{folder.name}/index.html"' in catalog
    assert not (tmp_path / "build" / folder.name / f"{folder.name}.pdf").exists()


def test_a_brief_whose_web_page_failed_is_listed_beside_the_page_it_had(
        scratch, tmp_path, warm_cache, monkeypatch) -> None:
    """Its Word file is built, so the catalog is written; the brief is listed as one not
    built now (from its front matter, with the description its last page was built with),
    linking to its previous page, which stays as it was."""
    import lxml.html

    from briefpress.build import build_all
    from briefpress.model.brief import OutlineEntry
    from briefpress.render import get_format
    from briefpress.support import cache

    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    monkeypatch.chdir(tmp_path)
    folder = scratch()
    out = tmp_path / "build"
    build([folder.name], ["html"], build_dir=out)
    page = (out / folder.name / "index.html").read_bytes()
    described = cache.load_record(out / folder.name).description
    edit(folder / "brief.md", 'title: "Shipping Lanes', 'title: "Sea Lanes')
    edit(folder / "brief.md", "Arctic", "Polar", count=-1)  # another description
    module = get_format("html").load()
    read_outline = module.read_outline

    def without_a_section(path: Path) -> list[OutlineEntry]:
        return read_outline(path)[1:]

    monkeypatch.setattr(module, "read_outline", without_a_section)
    report = build_all([folder.name], ["docx", "html"], None, out, jobs=0)
    [result] = report.results
    assert (result.built, result.failed_formats, result.partly_built) == (
        ["docx"], ["html"], True)
    assert result.listing is None
    assert report.collections[0] == out / "index.html"
    assert (out / folder.name / "index.html").read_bytes() == page
    assert cache.load_record(out / folder.name).description == described
    catalog = lxml.html.fromstring((out / "index.html").read_bytes())
    links = catalog.xpath("//a/@href")
    assert f"{folder.name}/index.html" in links and f"{folder.name}/{folder.name}.docx" in links
    text = catalog.text_content()
    assert "Sea Lanes at the Top" in text and described and described in text


# --- Ctrl-C: what the message says is what the build did -----------------------------------

@pytest.fixture
def built_once(tmp_path: Path, warm_cache: Path, monkeypatch: pytest.MonkeyPatch
               ) -> tuple[Path, Path]:
    """The arctic brief's web page and Word file built once, then a paragraph edited: (its
    folder, the build folder)."""
    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    folder = Path(shutil.copytree(ARCTIC, tmp_path / "content" / SLUG))
    out = tmp_path / "build"
    build([str(folder)], ["html", "docx"], build_dir=out)
    edit(folder / "brief.md", "Rules written for a frozen ocean now govern a busy one.",
         "Rules written for a frozen ocean now govern a crowded one.")
    return folder, out


def _interrupted_at_docx(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Ctrl-C while the Word edition renders (a real SIGINT to this process, which the
    command's handler meets): raised there (the edition is not replaced), or raised where a
    library swallowed it (a WeasyPrint ``__del__``): then only the flag the SIGINT handler
    sets is left, and the edition under way is finished."""
    from briefpress.render import get_format

    module = get_format("docx").load()
    render = module.render

    def interrupted(brief: object, path: Path, options: object) -> object:
        if how == "raised":
            signal.raise_signal(signal.SIGINT)
        with contextlib.suppress(KeyboardInterrupt):  # the library that swallows it
            signal.raise_signal(signal.SIGINT)
        return render(brief, path, options)

    monkeypatch.setattr(module, "render", interrupted)


@pytest.mark.parametrize("how", ["raised", "swallowed"])
def test_ctrl_c_names_the_editions_it_replaced_and_leaves_the_others(
        built_once: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys, how) -> None:
    from briefpress.cli import main

    folder, out = built_once
    docx = out / SLUG / f"{SLUG}.docx"
    before = docx.read_bytes()
    _interrupted_at_docx(monkeypatch, how)
    capsys.readouterr()
    code = main(["build", str(folder), "--format", "html,docx,pdf", "--build-dir", str(out)])
    err = capsys.readouterr().err
    replaced = [out / SLUG / "index.html"] + ([docx] if how == "swallowed" else [])
    assert (code, err.splitlines()[-len(replaced) - 2:]) == (130, [
        "briefpress: interrupted; replaced before the interrupt (complete, new):",
        *(f"  {path}" for path in replaced),
        "every other edition, catalog page and asset is as it was before this build"])
    assert (docx.read_bytes() == before) == (how == "raised")
    assert not (out / SLUG / f"{SLUG}.pdf").exists()  # never started
    assert not [p for p in (out / SLUG).iterdir() if ".tmp" in p.name]


def test_ctrl_c_before_any_edition_was_replaced_says_so(
        built_once: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from briefpress.cli import main

    folder, out = built_once
    _interrupted_at_docx(monkeypatch, "raised")
    capsys.readouterr()
    assert main(["build", str(folder), "--format", "docx", "--build-dir", str(out)]) == 130
    assert capsys.readouterr().err.splitlines()[-1] == (
        "briefpress: interrupted before any edition was replaced; every output is as it was")


def test_a_set_stop_flag_stops_the_build_before_any_edition(
        built_once: tuple[Path, Path]) -> None:
    """The flag is a parameter (serve passes its own): once set, nothing more is built."""
    import threading

    from briefpress.build import build_all
    from briefpress.errors import Interrupted

    folder, out = built_once
    before = {p: p.stat().st_mtime_ns for p in (out / SLUG).iterdir()}
    stop = threading.Event()
    stop.set()
    with pytest.raises(Interrupted) as caught:
        build_all([str(folder)], ["html", "docx"], build_dir=out, jobs=0, stop=stop)
    assert caught.value.replaced == []
    assert {p: p.stat().st_mtime_ns for p in (out / SLUG).iterdir()} == before
    build_all([str(folder)], ["html"], build_dir=out, jobs=0, stop=threading.Event())
    assert (out / SLUG / "index.html").stat().st_mtime_ns != before[out / SLUG / "index.html"]


def test_a_sigint_the_shell_ignores_stays_ignored(
        built_once: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A background job of a script starts with SIGINT ignored: `build & kill -INT $!`
    builds on, and ends with status 0, as before the build had its own handler."""
    from briefpress.cli import main
    from briefpress.render import get_format

    module = get_format("docx").load()
    render = module.render
    seen = []

    def interrupted(brief: object, path: Path, options: object) -> object:
        seen.append(signal.getsignal(signal.SIGINT))
        signal.raise_signal(signal.SIGINT)
        return render(brief, path, options)

    monkeypatch.setattr(module, "render", interrupted)
    folder, out = built_once
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        code = main(["build", str(folder), "--format", "html,docx", "--build-dir", str(out)])
    finally:
        signal.signal(signal.SIGINT, previous)
    assert (code, seen) == (0, [signal.SIG_IGN])


def test_a_real_ctrl_c_of_a_pool_build_says_exactly_what_it_replaced(
        tmp_path: Path, warm_cache: Path) -> None:
    """A SIGINT to the process group of `briefpress build --jobs 2` (a terminal's Ctrl-C)
    as its first brief is reported: status 130, the files it lists are exactly the files
    that changed, no temporary file and no process is left."""
    import psutil

    from briefpress.support.files import file_version

    project = new_project(tmp_path, warm_cache)
    briefs = Path(__file__).parent / "fixtures" / "briefs"
    slugs = ["one-arctic", "two-constructs", "three-water", "four-arctic"]
    for slug, source in zip(slugs, ["arctic-shipping", "arctic-constructs", "water-security",
                                    "arctic-shipping"], strict=True):
        shutil.copytree(briefs / source, project.root / "content" / slug)
    with pytest.MonkeyPatch.context() as patch:  # an earlier build, in this process
        patch.chdir(project.root)
        build(slugs, ["html"], build_dir=project.out)

    def versions() -> dict[Path, object]:
        return {p: file_version(p) for p in project.out.rglob("*")
                if p.is_file() and not any(part.startswith(".")
                                           for part in p.relative_to(project.out).parts)}

    before = versions()
    process = subprocess.Popen(
        project.command("build", *slugs, "--format", "html,docx,pdf", "--force",
                        "--jobs", "2"),
        cwd=project.root, env=project.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, text=True)
    said = []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            said.append(line)
            if ": built " in line:
                break
        children = psutil.Process(process.pid).children(recursive=True)
        assert children, "the pool's workers"
        os.killpg(process.pid, signal.SIGINT)
        _, rest = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    said.append(rest)
    err = "".join(said)
    assert process.returncode == 130, err
    lines = err.splitlines()
    heading = "briefpress: interrupted; replaced before the interrupt (complete, new):"
    assert heading in lines, err
    listed = [project.root / line.strip()
              for line in lines[lines.index(heading) + 1:] if line.startswith("  ")]
    now = versions()
    changed = {p for p in {*before, *now} if before.get(p) != now.get(p)}
    assert set(listed) == changed and len(listed) == len(changed), err
    assert any(p.suffix == ".pdf" for p in listed)  # the first brief's, at least
    assert not leftovers(project.out)
    _, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, [p.cmdline() for p in alive]


def test_what_the_read_does_not_need_is_imported_while_pandoc_reads() -> None:
    """The command's start imports what reading a brief needs, and no check, renderer or
    lxml: those load in the loader thread while pandoc reads (build._prepare)."""
    code = ("import sys\nimport briefpress.cli, briefpress.build\n"
            "print(sorted(m for m in sys.modules if m.startswith(('briefpress.check',"
            " 'briefpress.render.', 'lxml', 'html.parser', 'socket'))))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip() == "[]"


def test_every_web_page_failing_still_writes_the_catalog(
        scratch, tmp_path, warm_cache, monkeypatch) -> None:
    """``--format html`` and every brief's web page fails: no brief failed as a whole, so
    the catalog is written (as docs/catalog.md says), listing the brief beside the page
    it had; nothing of it was built, so it is no partly built brief."""
    from briefpress.build import build_all
    from briefpress.model.brief import OutlineEntry
    from briefpress.render import get_format

    monkeypatch.setenv("BRIEFPRESS_CACHE", str(warm_cache))
    monkeypatch.chdir(tmp_path)
    folder = scratch()
    out = tmp_path / "build"
    build([folder.name], ["html"], build_dir=out)
    (out / "index.html").unlink()
    edit(folder / "brief.md", 'title: "Shipping Lanes', 'title: "Sea Lanes')
    module = get_format("html").load()
    read_outline = module.read_outline

    def without_a_section(path: Path) -> list[OutlineEntry]:
        return read_outline(path)[1:]

    monkeypatch.setattr(module, "read_outline", without_a_section)
    report = build_all([folder.name], ["html"], None, out, jobs=0)
    [result] = report.results
    assert (result.built, result.current, result.failed_formats, result.partly_built) == (
        [], [], ["html"], False)
    assert report.collections[0] == out / "index.html"
    catalog = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{folder.name}/index.html"' in catalog


def test_a_brief_s_job_acts_on_the_project_the_build_acts_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build given briefs of another project by path acts on that project; its jobs, in
    worker processes that have only the working directory, carry it (their caches go to
    that project's build folder, not to the working directory's)."""
    import pickle

    from briefpress import build as build_module
    from briefpress.build import BriefJob
    from briefpress.model.options import RenderOptions
    from briefpress.support import paths

    seen = []
    monkeypatch.setattr(build_module, "build_brief",
                        lambda name, job, stop=None: seen.append(paths.build_dir()))
    monkeypatch.chdir(tmp_path)
    with paths.project(tmp_path / "project"):
        job = build_module.BriefJob(["html"], RenderOptions(), tmp_path / "out",
                                    project=paths.chosen_project())
    pickle.loads(pickle.dumps(job))("a-brief")  # as a worker gets it
    BriefJob(["html"], RenderOptions(), tmp_path / "out")("a-brief")
    assert seen == [tmp_path / "project" / "build", paths.ROOT / "build"]
