"""support/paths.py: where templates, content and build outputs are."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpress.errors import BriefError
from briefpress.support import paths


def test_the_project_root_holds_templates_and_styles():
    assert (paths.TEMPLATES / "doctypes" / "policy-brief.yaml").is_file()
    assert paths.STYLES == paths.ROOT / "styles" and paths.STYLES.is_dir()
    assert paths.FONTS == paths.STYLES / "fonts"


def test_briefpress_root_overrides_the_project_root(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFPRESS_ROOT", str(tmp_path / "elsewhere" / ".." / "root"))
    assert paths._project_root() == (tmp_path / "root").resolve()
    monkeypatch.delenv("BRIEFPRESS_ROOT")
    assert paths._project_root() == Path(paths.__file__).resolve().parents[3]


def test_content_in_the_working_directory_comes_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.content_dir() == paths.ROOT / "content"
    assert paths.build_dir() == paths.ROOT / "build"
    (tmp_path / "content").mkdir()
    assert paths.content_dir() == tmp_path / "content"
    assert paths.build_dir() == tmp_path / "build"


def test_a_file_named_content_is_not_a_content_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").write_text("not a folder")
    assert paths.content_dir() == paths.ROOT / "content"


def test_a_command_run_inside_a_project_finds_its_content_above(tmp_path, monkeypatch):
    """From content/<slug>/ (or any folder below the project), the project's content/ and
    build/ are found, as git finds its repository from a subfolder."""
    (tmp_path / "content" / "ice").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "content" / "ice")
    assert paths.content_dir() == tmp_path / "content"
    assert paths.build_dir() == tmp_path / "build"


def test_new_writes_into_the_project_else_beside_its_config_else_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's content/ when there is one above; else beside the nearest
    briefpress.yaml; else a new project here: never the checkout's example briefs."""
    from briefpress.support.paths import new_content_dir

    drafts = tmp_path / "project" / "drafts"
    drafts.mkdir(parents=True)
    monkeypatch.chdir(drafts)
    assert new_content_dir() == (drafts / "content", drafts)
    (tmp_path / "project" / "briefpress.yaml").write_text("lang: en-GB\n", encoding="utf-8")
    assert new_content_dir() == (tmp_path / "project" / "content", tmp_path / "project")
    (tmp_path / "content").mkdir()
    assert new_content_dir() == (tmp_path / "content", None)


def test_a_brief_folder_s_project_is_the_folder_that_holds_its_content(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tester 13: from the path as typed, `.` in content/<slug>/ has no `content` above it
    (its parent is `.` again); the path is made absolute, its `..` taken away, first."""
    (tmp_path / "content" / "ice").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "content" / "ice")
    assert paths.project_of(Path(".")) == tmp_path
    assert paths.project_of(Path("../ice")) == tmp_path
    assert paths.project_of(tmp_path / "content" / "ice") == tmp_path
    assert paths.project_of(tmp_path / "fixtures" / "ice") is None  # in no content/


def test_a_project_chosen_stands_for_the_working_directory_s_until_the_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "here" / "content").mkdir(parents=True)
    (tmp_path / "there" / "content").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "here")
    with paths.project(tmp_path / "elsewhere" / ".." / "there"):
        assert paths.content_dir() == tmp_path / "there" / "content"
        assert paths.build_dir() == tmp_path / "there" / "build"
        assert paths.working_content_dir() == tmp_path / "here" / "content"
        with paths.project(None):  # none chosen: the working directory's
            assert paths.build_dir() == tmp_path / "here" / "build"
        assert paths.build_dir() == tmp_path / "there" / "build"
    assert paths.content_dir() == tmp_path / "here" / "content"
    with pytest.raises(RuntimeError), paths.project(tmp_path / "there"):
        raise RuntimeError  # an error on the way out leaves the working directory's, too
    assert paths.build_dir() == tmp_path / "here" / "build"


def test_the_project_of_the_briefs_given_by_path_is_one_or_none(
        tmp_path: Path, scratch, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command given briefs by path acts on their project, whatever the working
    directory; slugs, or briefs in no content/, leave it to the working directory; briefs
    of two projects are refused (each has its own build folder and catalog)."""
    import shutil

    from briefpress.support.paths import briefs_project
    from conftest import ARCTIC

    folder = scratch()
    other = tmp_path / "other" / "content" / "ice"
    shutil.copytree(ARCTIC, other)
    monkeypatch.chdir(tmp_path / "other")
    assert briefs_project(["ice", "no-such-brief"]) is None  # slugs
    assert briefs_project(["content/ice", "ice"]) == tmp_path / "other"
    assert briefs_project([str(folder), f"{folder}/brief.md"]) == tmp_path
    assert briefs_project([str(ARCTIC), "arctic-shipping"]) is None
    with pytest.raises(BriefError) as caught:
        briefs_project(["content/ice", str(folder)])
    assert [str(p) for p in caught.value.problems] == [
        f"{folder}: error: the briefs given are in two projects, . (as content/ice) and "
        f"{tmp_path} (fix: run briefpress once for each project: each has its own "
        "briefpress.yaml, build folder and catalog)"]
