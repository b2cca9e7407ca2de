"""The command line: exit codes, messages on stderr, nothing written on error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefpress.cli import main
from briefpress.render import FORMATS, Format
from conftest import ARCTIC, REAL, edit


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_real_brief_strict_fails_only_on_missing_link_targets_and_date(capsys, tmp_path):
    # editions of no build folder: what a checkout's build/ holds is no part of the source's
    code, _, err = run(capsys, "check", str(REAL), "--build-dir", str(tmp_path))
    assert code == 0
    assert err.splitlines()[-1] == "0 error(s), 10 warning(s)"
    code, _, err = run(capsys, "check", str(REAL), "--strict", "--build-dir", str(tmp_path))
    assert code == 1
    lines = err.splitlines()
    assert lines[-1] == "0 error(s), 10 warning(s): 10 fail(s) the check under --strict"
    assert all(": warning: link " in line or "no publication `date:`" in line
               for line in lines[:-1])


def test_check_exit_codes(capsys, scratch):
    folder = scratch()
    assert run(capsys, "check", str(folder))[0] == 0
    edit(folder / "recommendations.yaml", "section: traffic", "section: nowhere")
    code, _, err = run(capsys, "check", str(folder))
    assert code == 1 and "points at section 'nowhere'" in err
    (folder / "brief.md").write_bytes(b"---\ntitle: \xff\n---\n")
    code, _, err = run(capsys, "check", str(folder))
    assert code == 2
    assert err == f"{folder / 'brief.md'}:2: error: not UTF-8 text (byte 0xff) " \
        "(fix: save the file as UTF-8)\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_brief_is_named_as_such_with_how_to_save_it(capsys, scratch, encoding):
    folder = scratch()
    path = folder / "brief.md"
    path.write_text(path.read_text(encoding="utf-8"), encoding=encoding)
    code, _, err = run(capsys, "check", str(folder))
    looks = {"utf-16": "UTF-16 (it starts with the byte-order mark FF FE)",
             "utf-16-le": "UTF-16LE without a byte-order mark (a zero byte beside every letter)",
             "utf-16-be": "UTF-16BE without a byte-order mark (a zero byte beside every "
                          "letter)"}[encoding]
    iconv = {"utf-16": "UTF-16", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}[encoding]
    assert (code, err) == (2, f"{path}: error: not UTF-8 text: it looks like {looks} (fix: "
                           "save it as UTF-8 (Notepad: Save As, Encoding: UTF-8; VS Code: Save "
                           f"with Encoding, UTF-8; or `iconv -f {iconv} -t UTF-8 {path} > "
                           f"{path}.new`, then rename {path}.new to brief.md))\n")


def test_a_file_where_the_brief_s_build_folder_goes_is_named(capsys, scratch, tmp_path):
    folder = scratch()
    out = tmp_path / "out"
    out.mkdir()
    (out / folder.name).write_text("in the way", encoding="utf-8")
    code, _, err = run(capsys, "build", str(folder), "--format", "html", "--build-dir", str(out))
    assert (code, err.splitlines()[-1]) == (2, (
        f"{out / folder.name}: error: cannot write: a file is in the way, where a folder must "
        f"be (fix: move or delete the file {out / folder.name}, or build elsewhere with "
        "--build-dir)"))
    assert (out / folder.name).read_text(encoding="utf-8") == "in the way"


def test_check_says_a_warning_about_a_shared_brand_once(capsys, tmp_path, monkeypatch):
    """Four briefs of one brand, whose accent is too light for text: one warning, at the
    brand's file, not one per brief."""
    import shutil

    from conftest import ROOT

    shutil.copytree(ROOT / "tests/fixtures/brands/tidewater", tmp_path / "brands/polar")
    (tmp_path / "content").mkdir()
    (tmp_path / "briefpress.yaml").write_text(
        'programs: [{id: polar, name: "Polar Program", brand: polar}]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for n in range(4):
        assert run(capsys, "new", f"brief-{n}", "--program", "polar")[0] == 0
    code, _, err = run(capsys, "check")
    brand = [line for line in err.splitlines() if line.startswith("brands/polar/brand.yml")]
    assert code == 0 and len(brand) == 1 and "1.99:1" in brand[0]
    assert len(err.splitlines()) == len(set(err.splitlines()))
    warnings = int(err.splitlines()[-1].split(", ")[1].split(" ")[0])
    assert warnings == len(err.splitlines()) - 1  # counted as said


def test_build_refuses_a_brief_with_errors_and_writes_nothing(capsys, scratch, tmp_path,
                                                             monkeypatch):
    folder = scratch()
    edit(folder / "brief.md", "# Conclusion {#conclusion}", "# Conclusion {#closing}")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "build", str(folder), "--format", "html")
    assert code == 2 and out == ""
    assert "required section 'Conclusion' has id 'closing'" in err
    assert not (tmp_path / "build").exists()


def test_unknown_and_unimplemented_formats(capsys, monkeypatch):
    code, _, err = run(capsys, "build", str(ARCTIC), "--format", "epub")
    assert code == 2
    assert err == ("briefpress: error: unknown format 'epub' "
                   f"(fix: use one of: {', '.join(FORMATS)})\n")  # the registry's, in order
    assert list(FORMATS)[:4] == ["pdf", "print", "docx", "html"]
    monkeypatch.setitem(FORMATS, "odt", Format("odt", "briefpress.render.odt", "{slug}.odt"))
    code, _, err = run(capsys, "build", str(ARCTIC), "--format", "odt")
    assert code == 3
    assert err.startswith("briefpress: error: the odt format is not implemented yet")


def test_outline_text_and_json(capsys):
    code, out, _ = run(capsys, "outline", str(ARCTIC))
    assert code == 0
    assert out.splitlines()[:4] == [
        "Executive Summary  #executive-summary", "Policy Recommendations  #policy-recommendations",
        "  Safety Standards  #safety-standards", "    recommendation  #common-ice-class"]
    code, out, _ = run(capsys, "outline", str(ARCTIC), "--json")
    entries = json.loads(out)
    assert entries[-1] == {"kind": "section", "level": 1, "id": "about-the-author",
                           "title": "About the Authors"}
    assert sum(e["kind"] == "recommendation" for e in entries) == 4


@pytest.mark.parametrize("name", ["nosuch.pdf", "nosuch-print.pdf", "NOSUCH.DOCX",
                                  "build/nosuch/index.html"])
def test_outline_of_an_edition_that_is_not_there(capsys, tmp_path, monkeypatch, name):
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "outline", name)
    assert code == 2
    assert err == (f"{name}: error: no such file (fix: check the path: a brief's editions are "
                   "in build/<slug>/ once `briefpress build` made them; or give a brief's slug "
                   "or folder)\n")


def test_outline_of_unknown_file(capsys, tmp_path):
    """One located line (the fix names every edition's suffix: tests/readback/)."""
    path = tmp_path / "notes.md~"
    path.write_text("hello", encoding="utf-8")
    code, _, err = run(capsys, "outline", str(path))
    assert code == 2
    assert err.startswith(f"{path}: error: not a brief or a briefpress output "
                          "(fix: give a brief folder, or a .pdf, .docx")
    assert err.endswith(" file)\n") and err.count("\n") == 1


def test_new_scaffolds_a_brief_that_passes_check(capsys, tmp_path, monkeypatch):
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "new", "arctic-security", "--title", "Arctic Security")
    assert code == 0 and out.startswith("created content/arctic-security/brief.md")
    code, _, err = run(capsys, "check", "arctic-security")
    assert code == 0, err
    # the scaffold's placeholders are warnings: a brief is not published with them
    code, _, err = run(capsys, "check", "arctic-security", "--strict")
    assert code == 1
    assert "content/arctic-security/brief.md:9: warning: placeholder text 'Author Name'" in err
    assert "no publication `date:`" not in err  # dated the day it was written
    assert 'title: "Arctic Security"' in (tmp_path / "content/arctic-security/brief.md").read_text()
    code, _, err = run(capsys, "new", "arctic-security")
    assert code == 2 and "a brief with that slug exists already" in err
    code, _, err = run(capsys, "new", "Bad Slug")
    assert code == 2 and "'Bad Slug' is not a valid slug" in err


def test_new_outside_every_project_starts_one_where_it_runs(capsys, tmp_path, monkeypatch):
    """Tester 11: `new` in a folder with no content/ here or above wrote the brief into the
    briefpress checkout, beside its examples; it starts a project in the folder instead,
    where check and build then find it."""
    from briefpress.support.paths import ROOT

    project = tmp_path / "my-project"
    project.mkdir()
    monkeypatch.chdir(project)
    code, out, _ = run(capsys, "new", "my-brief")
    assert code == 0
    assert out.splitlines()[0] == "created content/my-brief/brief.md and recommendations.yaml"
    assert "a new project starts here" in out
    assert (project / "content" / "my-brief" / "brief.md").is_file()
    assert not (ROOT / "content" / "my-brief").exists()
    assert run(capsys, "check", "my-brief")[0] == 0


def test_new_in_a_project_of_a_config_and_no_brief_yet_starts_its_content(
        capsys, tmp_path, monkeypatch):
    """Tester 12: in a subfolder of a project that has its briefpress.yaml but no content/
    yet, `new` started a second project there, without the config's publisher and lang."""
    (tmp_path / "briefpress.yaml").write_text(
        'publisher: {name: "Arctic Policy Forum", url: "https://arctic.example.org"}\n'
        "lang: en-GB\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    monkeypatch.chdir(tmp_path / "drafts")
    code, out, _ = run(capsys, "new", "b1")
    assert code == 0 and "content/ made beside" in out
    brief = tmp_path / "content" / "b1" / "brief.md"
    assert brief.is_file() and not (tmp_path / "drafts" / "content").exists()
    text = brief.read_text(encoding="utf-8")
    assert "lang: en-GB" in text and "Full legal name" not in text


def test_doctypes_lists_every_type_with_its_sections(capsys):
    code, out, _ = run(capsys, "doctypes")
    assert code == 0
    assert [line for line in out.splitlines() if line and not line.startswith(" ")] == [
        "commentary: Commentary", "issue-brief: Issue Brief", "policy-brief: Policy Brief"]
    assert "  - Recommendations {#policy-recommendations} (made from recommendations.yaml)" in out


def test_new_passes_its_type_and_program_on(capsys, tmp_path, monkeypatch):
    """`new --type` and `new --program` reach the scaffold (which tests/test_scaffold.py
    tests); an unknown program is a message and exit 2."""
    (tmp_path / "content").mkdir()
    (tmp_path / "briefpress.yaml").write_text(
        "programs:\n  - id: polar\n    name: Polar Program\n  - id: risk\n"
        "    name: Global Risk Initiative\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "new", "note", "--type", "commentary")[0] == 0
    assert not (tmp_path / "content/note/recommendations.yaml").exists()
    assert "type: commentary" in (tmp_path / "content/note/brief.md").read_text(
        encoding="utf-8")
    code, _, err = run(capsys, "new", "ice", "--program", "risk")
    assert code == 0, err
    assert 'program: "Global Risk Initiative"' in (tmp_path / "content/ice/brief.md"
                                                   ).read_text(encoding="utf-8")
    code, _, err = run(capsys, "new", "ice-2", "--program", "arctic")
    assert (code, err) == (2, "--program arctic: error: no program 'arctic' in the project "
                           "(fix: use one of: polar, risk (the `programs:` of "
                           "briefpress.yaml:1))\n")
    assert not (tmp_path / "content/ice-2").exists()
    code, _, err = run(capsys, "new", "ice-2", "--type", "white-paper")
    assert (code, err) == (2, "--type white-paper: error: unknown document type 'white-paper' "
                           "(fix: use one of: commentary, issue-brief, policy-brief "
                           "(`briefpress doctypes` describes them))\n")
    assert not (tmp_path / "content/ice-2").exists()


@pytest.mark.parametrize("argv", [["check", "no-such-brief"], ["build", "no-such-brief"]])
def test_console_script_gives_no_traceback(argv, tmp_path):
    result = subprocess.run([str(Path(sys.executable).parent / "briefpress"), *argv],
                            capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error: no brief named 'no-such-brief'" in result.stderr


def test_the_command_ends_with_everything_it_printed(capsys) -> None:
    """What the console script prints into a pipe (buffered) is all there when it ends."""
    assert main(["outline", str(REAL), "--json"]) == 0
    printed = capsys.readouterr().out
    result = subprocess.run([str(Path(sys.executable).parent / "briefpress"), "outline",
                             str(REAL), "--json"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout == printed and len(printed) > 2000


def test_output_into_a_pipe_closed_early_ends_quietly() -> None:
    """`briefpress outline X | head`: the reader has gone, so the command stops, quietly."""
    reader = subprocess.Popen([sys.executable, "-c", "pass"], stdin=subprocess.PIPE)
    reader.wait()  # it exited without reading: every write into its pipe fails
    try:
        result = subprocess.run([str(Path(sys.executable).parent / "briefpress"), "outline",
                                 str(REAL)], stdout=reader.stdin, stderr=subprocess.PIPE,
                                text=True, check=False)
    finally:
        reader.stdin.close()
    assert (result.returncode, result.stderr) == (141, "")


def test_build_does_not_repeat_the_readiness_warnings(capsys, scratch, tmp_path):
    folder = scratch()  # undated
    code, _, err = run(capsys, "build", str(folder), "--format", "html", "--build-dir",
                       str(tmp_path / "build"))
    assert code == 0 and "date" not in err
    code, _, err = run(capsys, "check", str(folder), "--build-dir", str(tmp_path / "build"))
    assert code == 0 and "warning: the brief has no publication `date:`" in err


def test_a_build_of_the_print_edition_says_the_date_an_undated_brief_gets(
        capsys, scratch, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    folder = scratch()  # undated
    build_dir = str(tmp_path / "build")
    code, _, err = run(capsys, "build", str(folder), "--format", "print", "--build-dir",
                       build_dir)
    assert code == 0
    assert [line for line in err.splitlines() if "date" in line] == [
        f"{folder / 'brief.md'}:2: warning: the brief has no publication `date:`; its print "
        "edition is dated 1980-01-01 (a press file carries a date, and a build never takes "
        "the clock's) (fix: add `date: YYYY-MM-DD` to the front matter (or YYYY-MM, or "
        "YYYY), or set SOURCE_DATE_EPOCH (seconds since 1970) for the build)"]
    # nothing rendered, nothing said again
    code, _, err = run(capsys, "build", str(folder), "--format", "print", "--build-dir",
                       build_dir)
    assert code == 0 and "date" not in err


@pytest.mark.parametrize(("config", "flag", "width"), [
    ("page_size: a4\n", [], 595), ("page_size: a4\n", ["--page-size", "letter"], 612),
    ("", [], 612)])
def test_the_paper_size_comes_from_the_flag_else_the_project_else_letter(
        capsys, scratch, tmp_path, monkeypatch, config, flag, width):
    from pypdf import PdfReader

    scratch()
    (tmp_path / "briefpress.yaml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build", ARCTIC.name, "--format", "pdf", *flag]) == 0
    page = PdfReader(tmp_path / "build" / ARCTIC.name / f"{ARCTIC.name}.pdf").pages[0]
    assert round(float(page.mediabox.width)) == width


def test_an_interrupted_cluster_build_names_the_briefs_it_may_still_build() -> None:
    from briefpress.cli import interrupted_lines
    from briefpress.errors import Interrupted

    assert interrupted_lines(Interrupted([], ["arctic-c", "arctic-d"])) == [
        "briefpress: interrupted before any edition was replaced; every output is as it "
        "was, but for:",
        "sent to the cluster and not known to be stopped (a Dask worker did not confirm the "
        "stop: a job running there may yet replace its editions, each whole): arctic-c, "
        "arctic-d"]
    assert interrupted_lines(Interrupted([])) == [
        "briefpress: interrupted before any edition was replaced; every output is as it was"]


def test_a_build_whose_pdfs_fail_counts_its_briefs_partly_built(capsys, scratch, tmp_path,
                                                                monkeypatch):
    """The reviewer's second repro: both briefs' web pages were written, yet the build said
    "0 built, 2 failed" and wrote no catalog. Beside them, a brief that fails its check."""
    first, second, broken = scratch(), scratch(slug="arctic-b"), scratch(slug="arctic-c")
    edit(broken / "brief.md", "# Conclusion {#conclusion}", "# Conclusion {#closing}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFPRESS_LIMIT_PDF_SECONDS", "0")  # refused as each PDF renders
    code, out, err = run(capsys, "build", "--format", "pdf,html", "--jobs", "1")
    assert code == 1
    assert out.splitlines() == ["catalog build/index.html (and 1 program and series pages)"]
    lines = err.splitlines()
    # each as it finishes (in any order), the briefs named at the end in content/'s order
    assert sorted(line.split(" (")[0][6:] for line in lines if line.startswith("[")) == [
        f"{second.name}: built html; pdf failed", f"{broken.name}: failed",
        f"{first.name}: built html; pdf failed"]
    assert lines[-2].startswith("3 brief(s): 0 built, 2 partly built, 0 up to date, 1 failed")
    assert lines[-1] == ("briefpress: 3 of 3 briefs failed, in whole or in part: "
                         f"{second.name} (pdf), {broken.name}, {first.name} (pdf)")
    catalog = (tmp_path / "build" / "index.html").read_text(encoding="utf-8")
    for folder in (first, second):
        assert f'href="{folder.name}/index.html"' in catalog
        assert (tmp_path / "build" / folder.name / "index.html").is_file()
    assert not (tmp_path / "build" / broken.name).exists()


def test_a_build_whose_every_edition_fails_says_failed_not_failed_in_part(
        capsys, scratch, tmp_path, monkeypatch):
    """Each brief's only edition asked for fails: no part of either was built, so the
    build says "failed", not "failed in part", and counts them failed."""
    first, second = scratch(), scratch(slug="arctic-b")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFPRESS_LIMIT_PDF_SECONDS", "0")  # refused as each PDF renders
    code, _, err = run(capsys, "build", "--format", "pdf", "--jobs", "1")
    assert code == 1
    lines = err.splitlines()
    assert lines[-2].startswith("2 brief(s): 0 built, 0 up to date, 2 failed")
    assert lines[-1] == ("briefpress: 2 of 2 briefs failed: "
                         f"{second.name} (pdf), {first.name} (pdf)")


def test_a_brief_given_by_path_is_read_and_built_in_its_own_project(
        capsys, scratch, tmp_path, monkeypatch):
    """Tester 13: from content/<slug>/, `check .`, `outline .` and `build ../<slug>` read the
    brief without the project's briefpress.yaml (a false "publisher: field required"; the
    project's A4 built as Letter, over the A4 edition), and `check .` read the catalog as the
    brief's web page. A brief given by path is read with its own project's config, and its
    editions are those of that project's build folder, wherever the command runs."""
    from pypdf import PdfReader

    (tmp_path / "briefpress.yaml").write_text(
        'publisher: {name: "Arctic Policy Forum", url: "https://arctic.example.org"}\n'
        "page_size: a4\n", encoding="utf-8")
    folder = scratch()
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "new", "ice-roads")[0] == 0
    monkeypatch.chdir(tmp_path / "content" / "ice-roads")
    for argv in (["check", "."], ["outline", "."], ["check", "../ice-roads"]):
        code, _, err = run(capsys, *argv)
        assert code == 0 and "publisher" not in err, (argv, err)
    monkeypatch.chdir(tmp_path / "content")
    for argv in (["check", "ice-roads"], ["check", "./ice-roads"]):
        code, _, err = run(capsys, *argv)
        assert code == 0 and "publisher" not in err, (argv, err)

    monkeypatch.chdir(folder)
    code, out, err = run(capsys, "build", f"../{folder.name}", "--format", "pdf,html")
    assert code == 0, err
    pdf = tmp_path / "build" / folder.name / f"{folder.name}.pdf"
    assert out.splitlines()[0] == f"built {pdf}"
    assert round(float(PdfReader(pdf).pages[0].mediabox.width)) == 595  # the project's A4
    assert not (folder / "build").exists()
    code, _, err = run(capsys, "check", ".")  # the brief's web page, not the catalog
    assert code == 0 and "index.html" not in err, err
    assert err.splitlines()[-1] == "0 error(s), 1 warning(s)"  # its date: none


def test_a_brief_of_another_project_is_built_into_that_project(capsys, scratch, tmp_path,
                                                               monkeypatch):
    """Run in one project, a brief given by its path in another is built into the other's
    build folder (and catalog), and check's fix names it by path; briefs of two projects
    at once are refused, with nothing written."""
    folder = scratch()
    here = tmp_path / "here"
    (here / "content").mkdir(parents=True)
    monkeypatch.chdir(here)
    code, _, err = run(capsys, "build", str(folder), "--format", "html")
    assert code == 0, err
    assert (tmp_path / "build" / folder.name / "index.html").is_file()
    assert (tmp_path / "build" / "index.html").is_file() and not (here / "build").exists()
    edit(folder / "brief.md", "# Conclusion {#conclusion}", "# Conclusion {#closing}")
    edit(folder / "brief.md", "# Conclusion {#closing}", "# Conclusion {#conclusion}\n\nMore.")
    code, _, err = run(capsys, "check", str(folder))
    assert code == 0 and f"`briefpress build {folder} --format html`" in err, err
    ice = here / "content" / "ice"
    import shutil

    shutil.copytree(ARCTIC, ice)
    code, _, err = run(capsys, "build", "content/ice", str(folder), "--format", "html")
    assert (code, err) == (2, f"{folder}: error: the briefs given are in two projects, . (as "
                           f"content/ice) and {tmp_path} (fix: run briefpress once for each "
                           "project: each has its own briefpress.yaml, build folder and "
                           "catalog)\n")
    assert not (here / "build").exists()


def test_outside_every_project_a_command_says_it_uses_the_example_briefs(capsys, tmp_path,
                                                                        monkeypatch):
    """Tester 13: `cd /tmp && briefpress check` checked briefpress's own example briefs
    without a word. One line says so, where a command takes the examples for the project;
    a brief or an edition given by path needs no project, and gets none."""
    from briefpress.support import paths

    monkeypatch.chdir(tmp_path)
    note = (f"note: no content/ folder here or above; using briefpress's example briefs in "
            f"{paths.ROOT / 'content'} (fix: cd into your project, or `briefpress new SLUG` "
            "to start one)")
    code, out, err = run(capsys, "outline", REAL.name)
    assert code == 0 and out and err.splitlines() == [note]
    code, _, err = run(capsys, "check", REAL.name, "--build-dir", str(tmp_path / "b"))
    assert code == 0 and err.splitlines()[0] == note
    code, out, err = run(capsys, "outline", str(ARCTIC))
    assert (code, err) == (0, "")
    (tmp_path / "content").mkdir()
    code, _, err = run(capsys, "check")
    assert "note:" not in err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_build_folder_that_cannot_be_made_is_one_line_and_nothing_written(
        capsys, scratch, tmp_path):
    """Tester 13: `--build-dir /proc/briefpress-build` was three chained tracebacks, exit 1."""
    folder = scratch()
    code, out, err = run(capsys, "build", str(folder), "--format", "html", "--build-dir",
                         "/proc/briefpress-build")
    assert (code, out, err) == (2, "", (
        "/proc/briefpress-build: error: cannot create the build folder: No such file or "
        "directory (fix: build elsewhere with --build-dir, a folder on a disk that can hold "
        "it)\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_new_of_a_type_with_one_file_says_edit_it(capsys, tmp_path, monkeypatch):
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "new", "fisheries", "--type", "commentary")
    assert code == 0
    assert out.splitlines() == ["created content/fisheries/brief.md",
                                "next: edit it, then `briefpress check fisheries`"]
    code, out, _ = run(capsys, "new", "ports")
    assert out.splitlines() == ["created content/ports/brief.md and recommendations.yaml",
                                "next: edit them, then `briefpress check ports`"]
    code, _, err = run(capsys, "new", "Arctic Ports")
    assert (code, err) == (2, "Arctic Ports: error: 'Arctic Ports' is not a valid slug (fix: "
                           "use lowercase letters, digits and hyphens, e.g. arctic-ports)\n")


@pytest.mark.parametrize(("argv", "others"), [((), True), (("--format", "html"), False),
                                              (("--format", "pdf,docx,html"), False)])
def test_only_a_plain_build_names_the_editions_of_other_formats_it_left_stale(
        capsys, scratch, tmp_path, monkeypatch, argv, others):
    """A plain ``build`` names the editions outside its default formats it left stale (a
    print PDF); one whose formats were typed made what was asked, and computes no key of
    another format (a web page's build would pay for the PDF's)."""
    import briefpress.build

    asked = {}

    def build_all(slugs, formats, *args, **kwargs):
        asked.update(formats=formats, others=kwargs["others"])
        return briefpress.build.Report([])

    monkeypatch.setattr(briefpress.build, "build_all", build_all)
    main(["build", str(scratch()), "--build-dir", str(tmp_path / "out"), *argv])
    assert asked == {"formats": ["html"] if argv[1:] == ("html",) else ["pdf", "docx", "html"],
                     "others": others}
