"""read/config.py: briefpress.yaml fills every brief's front matter, and its mistakes are
all reported at once, located in the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import edit
from tests.read.test_brand import TIDEWATER, with_brand

from briefpress.errors import BriefError
from briefpress.read.brief import read_brief, read_front_matter
from briefpress.read.config import load_config, named_files
from briefpress.scaffold import new_brief, new_files

CONFIG = """\
# The project's defaults
publisher:
  name: "Arctic Policy Forum"
  short_name: "APF"
  url: "https://arctic.example.org"
programs:
  - id: polar
    name: "Polar Program"
type: policy-brief
lang: en-GB
page_size: a4
"""


def without_publisher(folder: Path) -> None:
    text = (folder / "brief.md").read_text(encoding="utf-8")
    start = text.index("publisher:")
    end = text.index("keywords:")
    (folder / "brief.md").write_text(text[:start] + text[end:], encoding="utf-8")


def test_the_config_fills_what_the_front_matter_leaves_out(scratch) -> None:
    folder = scratch()
    (folder.parent.parent / "briefpress.yaml").write_text(CONFIG, encoding="utf-8")
    without_publisher(folder)
    edit(folder / "brief.md", "lang: en-US\n", "")
    edit(folder / "brief.md", 'program: "Polar Institute"', "program: polar")
    brief = read_brief(folder)
    assert brief.meta.publisher.name == "Arctic Policy Forum"
    assert brief.meta.lang == "en-GB"
    assert brief.meta.program == "Polar Program"
    assert read_front_matter(folder).publisher.short_name == "APF"


def test_the_front_matter_overrides_the_config(scratch) -> None:
    folder = scratch()
    (folder.parent.parent / "briefpress.yaml").write_text(CONFIG, encoding="utf-8")
    meta = read_brief(folder).meta
    assert meta.publisher.short_name == "The Wilson Center"
    assert meta.lang == "en-US" and meta.program == "Polar Institute"


def test_no_publisher_anywhere_says_where_to_give_one(scratch) -> None:
    folder = scratch()
    without_publisher(folder)
    with pytest.raises(BriefError) as caught:
        read_brief(folder)
    [problem] = caught.value.problems
    assert problem.message == "publisher: field required"
    assert "briefpress.yaml" in problem.fix


def test_every_mistake_of_the_config_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "briefpress.yaml"
    path.write_text("publisher:\n  name: X\n  urll: https://x.org\nlang: English\n"
                    "page_size: A5\nprogram: [1]\n", encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        load_config(path)
    found = [(p.line, p.message) for p in caught.value.problems]
    assert all(p.file == path for p in caught.value.problems)
    assert [line for line, _ in found] == [3, 4, 5, 6]
    assert "unknown key 'publisher.urll'" in found[0][1]
    assert "not a language tag" in found[1][1]
    assert "page_size" in found[2][1]
    assert "unknown key 'program'" in found[3][1]


def test_a_bad_config_stops_the_brief_with_its_own_location(scratch) -> None:
    folder = scratch()
    config = folder.parent.parent / "briefpress.yaml"
    config.write_text("type: [policy-brief\n", encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        read_brief(folder)
    assert caught.value.problems[0].file == config


def test_no_config_and_an_empty_config(tmp_path: Path) -> None:
    assert load_config(tmp_path / "briefpress.yaml") is None
    (tmp_path / "briefpress.yaml").write_text("# nothing yet\n", encoding="utf-8")
    config = load_config(tmp_path / "briefpress.yaml")
    assert config is not None and config.publisher is None


def test_a_program_s_brand_that_does_not_exist_is_an_error_at_its_line(scratch) -> None:
    """The README's example, in a project without brands/: every brief, whatever its program,
    and every command that reads the config (`new` too) stop at the program's `brand:`."""
    folder = scratch()
    config = folder.parent.parent / "briefpress.yaml"
    config.write_text("programs:\n  - id: other\n    name: Other\n"
                      "  - id: polar\n    name: Polar Program\n    brand: polar\n",
                      encoding="utf-8")
    for read in (lambda: load_config(config), lambda: read_brief(folder),
                 lambda: read_front_matter(folder),
                 lambda: new_files("fresh", content=folder.parent, program="polar")):
        with pytest.raises(BriefError) as caught:
            read()
        [problem] = caught.value.problems
        assert (problem.file, problem.line) == (config, 6)
        assert problem.message.startswith("no brand `polar` (")
        assert problem.fix == "create brands/polar/brand.yml in the project, or remove `brand:`"


def test_a_brief_that_gives_its_program_s_name_takes_the_program_s_brand(scratch) -> None:
    """`briefpress new --program polar` writes the program's name: that brief is the
    program's, and has its brand."""
    folder = scratch()
    with_brand(folder, "polar")
    (folder.parent.parent / "briefpress.yaml").write_text(
        "programs:\n  - id: polar\n    name: Polar Program\n    brand: polar\n",
        encoding="utf-8")
    new_brief("fresh", root=folder.parent, program="polar")
    assert 'program: "Polar Program"' in (folder.parent / "fresh" / "brief.md").read_text()
    edit(folder / "brief.md", 'program: "Polar Institute"', 'program: "Polar Program"')
    brief = read_brief(folder)
    assert brief.meta.program == "Polar Program"
    assert brief.brand is not None and brief.brand.name == "polar"


def test_each_missing_brand_type_and_style_of_the_config_is_located(tmp_path: Path) -> None:
    path = tmp_path / "briefpress.yaml"
    path.write_text("# defaults\nbrand: nosuch\ntype: nosuch\n"
                    "programs: [{id: polar, name: Polar, brand: gone}]\n"
                    "csl: styles/csl/missing.csl\n", encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        load_config(path)
    found = [(p.file, p.line, p.message) for p in caught.value.problems]
    assert [(file, line) for file, line, _ in found] == [(path, 2), (path, 3), (path, 4),
                                                          (path, 5)]
    assert found[0][2].startswith("no brand `nosuch`")
    assert found[1][2] == "unknown document type 'nosuch'"
    assert found[2][2].startswith("no brand `gone`")
    assert found[3][2] == ("`csl: styles/csl/missing.csl` is no file in the project's "
                           "styles/csl/ folder")


def test_an_existing_brand_named_by_the_config_lists_the_brands_there_are(
        tmp_path: Path) -> None:
    shutil.copytree(TIDEWATER, tmp_path / "brands" / "tidewater")
    path = tmp_path / "briefpress.yaml"
    path.write_text("brand: tidewater\nprograms:\n  - {id: a, name: A, brand: tidewatr}\n",
                    encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        load_config(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.fix) == (
        3, "name one of: tidewater, or create brands/tidewatr/brand.yml in the project")


def test_the_files_the_config_names_are_listed_from_the_project_root(tmp_path: Path) -> None:
    """What a copy of the project needs to read as the project does (the import reads its
    result in one): the brands and the citation style the config names."""
    shutil.copytree(TIDEWATER, tmp_path / "brands" / "tidewater")
    (tmp_path / "styles" / "csl").mkdir(parents=True)
    (tmp_path / "styles" / "csl" / "house.csl").write_text("<style/>\n", encoding="utf-8")
    path = tmp_path / "briefpress.yaml"
    path.write_text("brand: tidewater\ncsl: styles/csl/house.csl\n", encoding="utf-8")
    assert named_files(path) == [Path("brands/tidewater"), Path("styles/csl/house.csl")]
    path.write_text("lang: en-GB\n", encoding="utf-8")
    assert named_files(path) == []
    assert named_files(tmp_path / "none.yaml") == []


@pytest.mark.parametrize("linked", ["styles/csl", "styles"])
def test_a_style_folder_linked_from_outside_the_project_is_named_as_the_config_names_it(
        linked: str, tmp_path: Path) -> None:
    """``styles/csl`` (or ``styles``) a symbolic link to a folder shared by projects: the
    config reads (its style is in the project's styles/csl/ as the link makes it), and the
    style is named at its place in the project, not where it resolves (a traceback: the
    resolved path is not in the project)."""
    shared = tmp_path / "shared"
    (shared / "csl" if linked == "styles" else shared).mkdir(parents=True)
    style = shared / ("csl/house.csl" if linked == "styles" else "house.csl")
    style.write_text("<style/>\n", encoding="utf-8")
    project = tmp_path / "proj"
    (project / linked).parent.mkdir(parents=True, exist_ok=True)
    (project / linked).symlink_to(shared, target_is_directory=True)
    path = project / "briefpress.yaml"
    path.write_text("csl: styles/csl/house.csl\n", encoding="utf-8")
    assert load_config(path) is not None
    assert named_files(path) == [Path("styles/csl/house.csl")]
    path.write_text("csl: ./styles/csl/house.csl\n", encoding="utf-8")
    assert named_files(path) == [Path("styles/csl/house.csl")]


def test_a_series_named_by_id_becomes_its_name(scratch) -> None:
    """A brief's `series:` names a series of the config by id (what the catalog's page of it
    is called) or by name; any other text is the series' name as it is."""
    folder = scratch()
    (folder.parent.parent / "briefpress.yaml").write_text(
        "series:\n  - id: high-north\n    name: High North Papers\n", encoding="utf-8")
    assert read_brief(folder).meta.series is None
    for given, shown in (("high-north", "High North Papers"),
                         ('"High North Papers"', "High North Papers"),
                         ('"Ice Notes"', "Ice Notes")):
        text = (folder / "brief.md").read_text(encoding="utf-8")
        text = "\n".join(line for line in text.split("\n") if not line.startswith("series:"))
        (folder / "brief.md").write_text(
            text.replace('program: "Polar Institute"\n',
                         f'program: "Polar Institute"\nseries: {given}\n'), encoding="utf-8")
        assert read_brief(folder).meta.series == shown
        assert read_front_matter(folder).series == shown


def test_two_programs_or_series_of_one_id_are_errors_at_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "briefpress.yaml"
    path.write_text("programs:\n  - {id: polar, name: Polar}\n  - {id: polar, name: Ice}\n"
                    "series:\n  - id: notes\n    name: Notes\n  - id: notes\n    name: Papers\n",
                    encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        load_config(path)
    assert [(p.line, p.message, p.fix) for p in caught.value.problems] == [
        (3, "two of `programs:` have the id 'polar'", "give each its own id"),
        (7, "two of `series:` have the id 'notes'", "give each its own id")]


def test_two_series_of_one_name_are_an_error_at_the_second(tmp_path: Path) -> None:
    """A brief gives its series by name as often as by id: two of one name could not be
    told apart (nor their catalog pages)."""
    path = tmp_path / "briefpress.yaml"
    path.write_text("series:\n  - {id: notes, name: Arctic Notes}\n"
                    "  - {id: old-notes, name: Arctic Notes}\n", encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        load_config(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "two of `series:` have the name 'Arctic Notes'")]


def test_a_series_or_program_the_config_does_not_list_is_a_warning_at_its_line(scratch) -> None:
    """Renamed in the config, a series a brief still gives by its old name would have a
    catalog page of its own: when the config lists series (or programs), a brief's value
    that names none of them, by id or by name, is a warning at its line."""
    folder = scratch()
    config = folder.parent.parent / "briefpress.yaml"
    config.write_text("series:\n  - id: high-north\n    name: High North Studies\n",
                      encoding="utf-8")
    edit(folder / "brief.md", 'program: "Polar Institute"\n',
         'program: "Polar Institute"\nseries: "High North Papers"\n')
    found = [p for p in read_brief(folder).findings if "briefpress.yaml lists" in p.message]
    assert [(p.line, p.severity, p.message, p.fix) for p in found] == [
        (6, "warning", "series 'High North Papers' is none of the series briefpress.yaml "
         "lists: the catalog gives it a page of its own", "name one by its id (high-north "
         "(High North Studies)), or add it under `series:` in briefpress.yaml")]
    edit(folder / "brief.md", 'series: "High North Papers"', "series: high-north")
    assert not [p for p in read_brief(folder).findings if "lists" in p.message]
    config.write_text("programs:\n  - {id: polar, name: Polar Program}\n", encoding="utf-8")
    edit(folder / "brief.md", "series: high-north\n", "")  # no series listed: none asked
    [problem] = [p for p in read_brief(folder).findings if "lists" in p.message]
    assert problem.message.startswith("program 'Polar Institute' is none of the programs")


def test_a_brief_named_from_inside_its_project_takes_the_project_s_config(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tester 13: `check .` in content/<slug>/, and `check ./<slug>` in content/, looked for
    briefpress.yaml two folders up from the path as typed (`.`, content/) and found none: a
    false "publisher: field required", and the A4 of the project built as Letter."""
    from briefpress.read.config import config_path

    (tmp_path / "briefpress.yaml").write_text(CONFIG, encoding="utf-8")
    new_brief("ice-roads", root=tmp_path / "content")
    monkeypatch.chdir(tmp_path / "content" / "ice-roads")
    assert config_path(Path(".")) == config_path(Path("../ice-roads")) == \
        tmp_path / "briefpress.yaml"
    for given in (".", "../ice-roads"):
        assert read_brief(given).meta.publisher.name == "Arctic Policy Forum"
    monkeypatch.chdir(tmp_path / "content")
    for given in ("ice-roads", "./ice-roads"):
        assert read_brief(given).meta.publisher.name == "Arctic Policy Forum"
