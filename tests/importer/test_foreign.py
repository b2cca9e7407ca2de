"""importer/foreign.py: a Word file briefpress did not make becomes a new brief that passes
``check``, or the import lists, in order, what the author must still do, and exits 1.

The files are the Word-made ones of pandoc's test suite (``tests/fixtures/docx/word/``).
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import msgspec
import pytest
import yaml

from briefpress import pandoc
from briefpress.check.brief import check_brief
from briefpress.cli import main
from briefpress.importer import import_docx
from briefpress.importer.foreign import NO_AUTHOR, _date_of, project_defaults, trial_folder
from briefpress.model import blocks
from briefpress.model.schema import Publisher
from briefpress.read.brief import read_brief, split_front_matter
from briefpress.scaffold import placeholders
from briefpress.support.backup import REVIEWS

WORD = Path(__file__).resolve().parents[1] / "fixtures" / "docx" / "word"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    return tmp_path


@pytest.mark.parametrize("name", sorted(p.name for p in WORD.glob("*.docx")))
def test_every_word_file_passes_check_or_says_what_is_missing(
        name: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", str(WORD / name), "--brief", "imported",
                 "--build-dir", str(workdir / "b")])
    out = capsys.readouterr().out
    folder = workdir / "content" / "imported"
    errors = [p for p in check_brief(read_brief(folder)) if p.severity == "error"]
    if not errors:
        assert code == 0 and "does not pass" not in out
        return
    assert code == 1
    listed = out.split("still to do, in order", 1)[1].splitlines()[1:]
    # every failing check, each with its fix, brief.md top to bottom, then the YAML
    assert listed == [f"  {n}. {line}" for n, line in enumerate(
        (str(p).replace(": error: ", ": ", 1) for p in _in_order(errors)), start=1)]
    assert all("(fix: " in line for line in listed)
    report = (workdir / REVIEWS / "imported.md").read_text(encoding="utf-8")
    assert f"## Still to do before the brief passes check ({len(errors)})" in report


def _in_order(problems: list) -> list:
    order = {"brief.md": 0, "recommendations.yaml": 1}
    return sorted(problems, key=lambda p: (order.get(Path(p.file).name, 2), p.line is None,
                                           p.line or 0))


def test_the_list_for_a_file_of_headings(workdir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(WORD / "headers.docx"), "--build-dir",
                 str(workdir / "b")]) == 1
    out = capsys.readouterr().out
    assert out.split("review report: .briefpress/reviews/a-test-of-headers.md\n", 1)[1] == (
        "the new brief does not pass `briefpress check` yet; still to do, in order (1):\n"
        "  1. content/a-test-of-headers/brief.md:5: no author has a bio: the section 'About "
        "the Author' would be empty (fix: add `bio:` under the author)\n")


def test_publisher_and_type_come_from_the_project_defaults(workdir: Path) -> None:
    defaults = project_defaults()
    assert defaults.type == "policy-brief"
    assert defaults.publisher is not None and defaults.project_publisher is None
    # the scaffold's placeholders, which check names until they are filled in
    assert defaults.publisher.name == "Full legal name of the publisher"
    import_docx(WORD / "notes.docx", "imported", build_dir=workdir / "b")
    brief = workdir / "content" / "imported" / "brief.md"
    front, _, _ = split_front_matter(brief.read_text(encoding="utf-8"), brief)
    data = yaml.safe_load(front)
    assert msgspec.convert(data["publisher"], Publisher) == defaults.publisher
    # a few sections and no recommendations fit a commentary, not the default policy brief
    assert data["type"] == "commentary"


@pytest.mark.parametrize(("language", "lang"), [(None, "en-GB"), ("fr-CA", "fr-CA"),
                                                  ("French", "en-GB")])
def test_the_language_is_the_files_else_the_projects(language: str | None, lang: str,
                                                     workdir: Path) -> None:
    """A Word file names its language in its properties, if anywhere (python-docx and Word
    write none): that, else the project's `lang:`, as `briefpress new` writes it (the
    import wrote en-US over a project's en-GB: US dates, en-US hyphenation)."""
    (workdir / "briefpress.yaml").write_text("lang: en-GB\n", encoding="utf-8")
    assert project_defaults().lang == "en-GB"
    path = _memo(workdir, "Jo Fisher")
    if language is not None:
        import docx

        document = docx.Document(str(path))
        document.core_properties.language = language
        document.save(str(path))
    import_docx(path, "memo", build_dir=workdir / "b")
    brief = workdir / "content" / "memo" / "brief.md"
    front, _, _ = split_front_matter(brief.read_text(encoding="utf-8"), brief)
    assert yaml.safe_load(front)["lang"] == lang
    assert read_brief(workdir / "content" / "memo").meta.lang == lang


def test_sections_of_another_type_make_a_brief_of_that_type(workdir: Path) -> None:
    result = import_docx(WORD / "headers.docx", "headed", build_dir=workdir / "b")
    assert "the sections fit a commentary, not the project's default type: `type: " \
        "commentary`" in result.report()
    assert result.todo[0].message.startswith("no author has a bio")


def test_a_publisher_in_briefpress_yaml_is_not_written_into_the_brief(workdir: Path) -> None:
    (workdir / "briefpress.yaml").write_text(
        "publisher:\n  name: Harbour Institute\n  url: https://harbour.example\n",
        encoding="utf-8")
    result = import_docx(WORD / "headers.docx", "headed", build_dir=workdir / "b")
    text = (workdir / "content" / "headed" / "brief.md").read_text(encoding="utf-8")
    assert "publisher:" not in text
    assert "the project's (briefpress.yaml) applies" in result.report()
    assert read_brief(workdir / "content" / "headed").meta.publisher.name == "Harbour Institute"


def test_a_word_file_completed_as_listed_passes_check(workdir: Path) -> None:
    """Doing what the list says is enough: nothing else stands between the import and
    a brief that builds."""
    result = import_docx(WORD / "headers.docx", "headed", build_dir=workdir / "b")
    folder = workdir / "content" / "headed"
    text = (folder / "brief.md").read_text(encoding="utf-8")
    text = text.replace("- name: Jesse Rosenthal\n",
                        "- name: Jesse Rosenthal\n  bio: Jesse writes tests.\n")
    (folder / "brief.md").write_text(text, encoding="utf-8")
    assert len(result.todo) == 1
    assert not (folder / "recommendations.yaml").exists()  # a commentary has none
    assert [p for p in check_brief(read_brief(folder)) if p.severity == "error"] == []


def test_recommendations_of_a_word_file_get_readable_unique_ids(workdir: Path) -> None:
    """Ids from distinctive words (not the words every recommendation opens with), numbered
    on collision, and a notice to review them."""
    import docx  # python-docx writes the Word file a user might bring

    document = docx.Document()
    document.add_heading("Ports", 1)
    document.add_paragraph("Ports close in storms.")
    document.add_heading("Policy Recommendations", 1)
    for text in ("The United States and its partners should fund a joint cyber range.",
                 "The United States and its partners should fund a joint cyber range too.",
                 "The United States and its partners should publish storm data."):
        document.add_paragraph(text, style="List Bullet")
    document.save(workdir / "ports.docx")
    result = import_docx(workdir / "ports.docx", "ports", build_dir=workdir / "b")
    recs = yaml.safe_load((workdir / "content" / "ports" / "recommendations.yaml").read_text(
        encoding="utf-8"))
    assert [r["id"] for r in recs["areas"][0]["recommendations"]] == [
        "fund-joint-cyber-range", "fund-joint-cyber-range-2", "publish-storm-data"]
    assert ("each recommendation's id was made from its distinctive words "
            "(`fund-joint-cyber-range`, `fund-joint-cyber-range-2`, `publish-storm-data`): "
            "review them in recommendations.yaml (the id is how links and readers will know "
            "it)") in result.outcome.notices


def test_a_recommendation_continued_paragraph_goes_on_with_the_one_before(
        workdir: Path) -> None:
    """A Word file in the house's styles (an edition whose properties were lost, a
    colleague's copy): a Recommendation Continued paragraph is the recommendation before it
    going on, as in a brief's own Word file; a Recommendation paragraph starts one."""
    import docx  # python-docx writes the Word file a user might bring
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    for name in ("Recommendation", "Recommendation Continued"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_heading("Ports", 1)
    document.add_paragraph("Ports close in storms.")
    document.add_heading("Policy Recommendations", 1)
    for text, style in (("Fund a repair pool.", "Recommendation"),
                        ("Pay into it from port dues.", "Recommendation Continued"),
                        ("Publish storm data.", "Recommendation")):
        document.add_paragraph(text, style=style)
    document.save(workdir / "ports.docx")
    import_docx(workdir / "ports.docx", "ports", build_dir=workdir / "b")
    recs = yaml.safe_load((workdir / "content" / "ports" / "recommendations.yaml").read_text(
        encoding="utf-8"))
    assert [(r["id"], r["text"].strip()) for r in recs["areas"][0]["recommendations"]] == [
        ("fund-repair-pool", "Fund a repair pool.\n\nPay into it from port dues."),
        ("publish-storm-data", "Publish storm data.")]


def test_headings_and_recommendations_that_open_with_numbers_get_ids_word_carries(
        workdir: Path) -> None:
    """A Word bookmark name starts with a letter: "2024 Outlook" is ``outlook`` (as pandoc's
    auto_identifiers make it), a recommendation's number is left out, and one of numbers
    only falls back to ``recommendation``."""
    import docx  # python-docx writes the Word file a user might bring

    document = docx.Document()
    document.add_heading("2024 Outlook", 1)
    document.add_paragraph("Ports close in storms.")
    document.add_heading("Policy Recommendations", 1)
    for text in ("2030 targets for storm data.", "2030 2040."):
        document.add_paragraph(text, style="List Bullet")
    document.save(workdir / "ports.docx")
    import_docx(workdir / "ports.docx", "ports", build_dir=workdir / "b")
    folder = workdir / "content" / "ports"
    assert "# 2024 Outlook {#outlook}" in (folder / "brief.md").read_text(encoding="utf-8")
    recs = yaml.safe_load((folder / "recommendations.yaml").read_text(encoding="utf-8"))
    assert [r["id"] for r in recs["areas"][0]["recommendations"]] == [
        "targets-storm-data", "recommendation"]


def test_the_new_brief_s_yaml_is_written_as_an_author_would_and_reads_back(
        workdir: Path) -> None:
    """The front matter and recommendations.yaml are the model's records written by one
    YAML serialiser: keys in the schema's order (a recommendation's section beside its id,
    as templates/new/ writes it), a value quoted only where YAML needs it, a
    text of several paragraphs as a block; read again, they are what the Word file said."""
    import docx

    document = docx.Document()
    document.core_properties.author = "Lena Ortiz"
    document.add_paragraph("Ports: What Now?", style="Title")
    document.add_paragraph('Storm season, "2025"', style="Subtitle")
    for heading, paragraphs, style in [
            ("Executive Summary", ["Ports close in storms."], "Normal"),
            ("Policy Recommendations", ["Two things matter.", "Both are cheap."], "Normal"),
            ("", ["Fund *a* joint cyber range: now.", "Publish storm data."], "List Bullet"),
            ("About the Author", ["Lena Ortiz studies ports.", "She lives in Bergen."],
             "Normal")]:
        if heading:
            document.add_heading(heading, 1)
        for text in paragraphs:
            document.add_paragraph(text, style=style)
    document.save(workdir / "ports.docx")
    import_docx(workdir / "ports.docx", "ports", build_dir=workdir / "b")
    folder = workdir / "content" / "ports"
    text = (folder / "brief.md").read_text(encoding="utf-8")
    assert text[:text.index("# Executive")] == (
        "---\ntitle: 'Ports: What Now?'\nsubtitle: Storm season, “2025”\n"
        "type: policy-brief\nlang: en-US\nauthors:\n- name: Lena Ortiz\n  bio: |-\n"
        "    Lena Ortiz studies ports.\n\n    She lives in Bergen.\npublisher:\n"
        "  name: Full legal name of the publisher\n"
        "  short_name: Publisher\n  address:\n  - Street address\n"
        "  - City, postal code\n"
        "  url: https://www.example.org\n---\n\n")
    assert (folder / "recommendations.yaml").read_text(encoding="utf-8") == (
        "# Policy recommendations imported from a Word file; their ids were made from their "
        "text.\nintro: |-\n  Two things matter.\n\n  Both are cheap.\nareas:\n"
        "- id: recommendations\n  title: Recommendations\n  recommendations:\n"
        "  - id: fund-joint-cyber-range\n    section: section-to-name\n"
        "    text: 'Fund \\*a\\* joint cyber range: now.'\n  - id: publish-storm-data\n"
        "    section: section-to-name\n    text: Publish storm data.\n")
    brief = read_brief(folder)
    # the subtitle's quotes curled, as the text around it prints them (tester 12)
    assert (brief.meta.title, brief.meta.subtitle) == ("Ports: What Now?", "Storm season, “2025”")
    assert brief.meta.authors[0].bio == "Lena Ortiz studies ports.\n\nShe lives in Bergen."
    assert brief.recommendations.intro == "Two things matter.\n\nBoth are cheap."
    assert [rec.text for rec in brief.recommendations.areas[0].recommendations] == [
        "Fund \\*a\\* joint cyber range: now.", "Publish storm data."]


def _word_file(path: Path, sections: list[tuple[str, list[str], str]]) -> Path:
    """A Word file made with python-docx, as a user might bring: each section a Heading 1
    and its paragraphs, in the style named (Normal, or List Bullet for a list)."""
    import docx

    document = docx.Document()
    document.core_properties.author = "Lena Ortiz"
    for heading, paragraphs, style in sections:
        document.add_heading(heading, 1)
        for text in paragraphs:
            document.add_paragraph(text, style=style)
    document.save(path)
    return path


def _check_errors(slug: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The errors `briefpress check SLUG` prints, as the import's list words them."""
    main(["check", slug])
    lines = capsys.readouterr().err.splitlines()
    return sorted(line.replace(": error: ", ": ", 1) for line in lines if ": error: " in line)


def _listed(out: str) -> list[str]:
    lines = out.split("still to do, in order", 1)[1].splitlines()[1:]
    return sorted(line.split(". ", 1)[1] for line in lines)


def test_the_list_is_what_check_reports_with_the_projects_config(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A publisher in briefpress.yaml is no item, nor its brand (in the project's brands/);
    the missing sections, the bio and each recommendation's section are, exactly as `check`
    then reports them."""
    shutil.copytree(WORD.parents[1] / "brands" / "tidewater",
                    workdir / "brands" / "tidewater")
    (workdir / "briefpress.yaml").write_text(
        "publisher:\n  name: Harbour Policy Lab\n  url: https://harbour.example.org\n"
        "type: policy-brief\nbrand: tidewater\n", encoding="utf-8")
    docx_file = _word_file(workdir / "memo.docx", [
        ("Summary", ["Quotas were cut by a third in 2024."], "Normal"),
        ("Findings", ["Small boats suffered most."], "Normal"),
        ("Recommendations", ["Fund gear conversion for small boats.",
                             "Publish landing data monthly."], "List Bullet")])
    assert main(["import", str(docx_file), "--brief", "memo", "--build-dir",
                 str(workdir / "b")]) == 1
    out = capsys.readouterr().out
    listed = _listed(out)
    assert listed == _check_errors("memo", capsys)
    assert not any("publisher" in line for line in listed)
    assert any("section 'Summary' stands where a policy brief has 'Executive Summary'" in line
               for line in listed)
    assert any("required section 'Introduction' is missing" in line for line in listed)
    assert any("no author has a bio" in line for line in listed)
    assert sum("points at section 'section-to-name', which does not exist" in line
               for line in listed) == 2
    recs = read_brief(workdir / "content" / "memo").recommendations  # it reads
    assert [r.section for r in recs.areas[0].recommendations] == ["section-to-name"] * 2


@pytest.mark.parametrize("shared", [False, True], ids=["own-brand", "shared-brand"])
def test_the_trial_project_is_a_copy_of_what_its_read_needs_and_holds_no_link(
        shared: bool, workdir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The trial brief is read in a copy of the project: its briefpress.yaml, the brand and
    the citation style it names, each a copy (the trial was made of symbolic links to every
    entry of the project: a write, or Python 3.11.7's cleanup of a temporary folder
    (CVE-2023-6597), could follow one into the project). Nothing else of the project is
    copied: not its other brands, build folder or Word files. A brand's folder may be a link
    to one shared by projects: its files are copied."""
    for name in ("tidewater", "other"):
        shutil.copytree(WORD.parents[1] / "brands" / "tidewater", workdir / "brands" / name)
    if shared:
        elsewhere = tmp_path_factory.mktemp("shared") / "tidewater"
        shutil.move(workdir / "brands" / "tidewater", elsewhere)
        (workdir / "brands" / "tidewater").symlink_to(elsewhere, target_is_directory=True)
    (workdir / "styles" / "csl").mkdir(parents=True)
    shutil.copyfile(WORD.parents[1] / "briefs" / "author-date.csl",
                    workdir / "styles" / "csl" / "house.csl")
    (workdir / "briefpress.yaml").write_text(
        "publisher:\n  name: Harbour Policy Lab\n  url: https://harbour.example.org\n"
        "brand: tidewater\ncsl: styles/csl/house.csl\n", encoding="utf-8")
    (workdir / "b").mkdir()
    shutil.copyfile(WORD / "notes.docx", workdir / "notes.docx")
    trial = trial_folder(workdir / "scratch", workdir / "content" / "memo")
    assert trial == workdir / "scratch" / "content" / "memo"
    copied = {p.relative_to(workdir / "scratch").as_posix(): p
              for p in (workdir / "scratch").rglob("*")}
    own = (workdir / "brands" / "tidewater").resolve()
    brand = [f"brands/tidewater/{p.relative_to(own).as_posix()}" for p in own.rglob("*")]
    assert len(brand) > 3
    assert sorted(copied) == sorted(["briefpress.yaml", "brands", "brands/tidewater", "styles",
                                     "styles/csl", "styles/csl/house.csl", *brand])
    assert not any(p.is_symlink() for p in copied.values())
    assert (workdir / "scratch" / "brands" / "tidewater" / "brand.yml").read_bytes() == \
        (workdir / "brands" / "tidewater" / "brand.yml").read_bytes()


def test_a_trial_project_with_a_mistaken_config_holds_the_config_alone(
        workdir: Path) -> None:
    """A briefpress.yaml naming a brand the project lacks: copied alone (a read of the trial
    reports the mistake, at the project's file, as `check` will)."""
    (workdir / "briefpress.yaml").write_text("brand: nowhere\n", encoding="utf-8")
    trial_folder(workdir / "scratch", workdir / "content" / "memo")
    assert [p.name for p in (workdir / "scratch").iterdir()] == ["briefpress.yaml"]


def test_a_dry_run_lists_what_the_import_would(workdir: Path) -> None:
    (workdir / "briefpress.yaml").write_text(
        "publisher:\n  name: Harbour Policy Lab\n  url: https://harbour.example.org\n",
        encoding="utf-8")
    docx_file = _word_file(workdir / "memo.docx", [
        ("Summary", ["Quotas were cut."], "Normal"),
        ("Recommendations", ["Fund gear conversion."], "List Bullet")])
    dry = import_docx(docx_file, "memo", dry_run=True, build_dir=workdir / "b")
    assert not (workdir / "content" / "memo").exists()
    real = import_docx(docx_file, "memo", build_dir=workdir / "b")
    assert dry.todo == real.todo and real.todo


def test_a_recommendations_section_without_a_list_becomes_the_intro(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The section is found; its paragraphs, no recommendations, are the intro, all of them,
    and the notice says so and how to add the recommendations."""
    docx_file = _word_file(workdir / "roads.docx", [
        ("Executive Summary", ["Winter roads close earlier every year."], "Normal"),
        ("Policy Recommendations", ["Build all-season roads.", "Start with the largest "
                                    "communities."], "Normal"),
        ("Introduction", ["Communities depend on them for fuel."], "Normal"),
        ("The Thaw", ["The ice forms later."], "Normal"),
        ("Conclusion", ["Act before the next thaw."], "Normal")])
    assert main(["import", str(docx_file), "--brief", "roads", "--build-dir",
                 str(workdir / "b")]) == 1
    out = capsys.readouterr().out
    assert ('note: the "Policy Recommendations" section holds no list of recommendations: '
            "its text became the `intro:` of recommendations.yaml; add the recommendations "
            "under `areas:`") in out
    assert "no recommendations found" not in out
    folder = workdir / "content" / "roads"
    recs = yaml.safe_load((folder / "recommendations.yaml").read_text(encoding="utf-8"))
    assert recs == {"intro": "Build all-season roads.\n\nStart with the largest communities.",
                    "areas": []}
    assert "policy-brief" in (folder / "brief.md").read_text(encoding="utf-8")
    listed = _listed(out)
    assert listed == _check_errors("roads", capsys)
    assert any("no recommendation areas" in line for line in listed)


def test_sections_that_fit_a_commentary_keep_their_recommendations_text(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A "Policy Recommendations" paragraph among sections that fit a commentary: the brief
    is a commentary (as `check` would say), and the section stays in brief.md."""
    docx_file = _word_file(workdir / "ice.docx", [
        ("Executive Summary", ["Winter roads close earlier every year."], "Normal"),
        ("Introduction", ["Communities depend on them for fuel."], "Normal"),
        ("Policy Recommendations", ["Build all-season roads."], "Normal"),
        ("Conclusion", ["Act before the next thaw."], "Normal")])
    assert main(["import", str(docx_file), "--brief", "ice", "--build-dir",
                 str(workdir / "b")]) == 1
    out = capsys.readouterr().out
    assert "note: the sections fit a commentary, not the project's default type: " \
        "`type: commentary`" in out
    assert ('note: a commentary has no recommendations: the section(s) "Policy '
            'Recommendations" stay in brief.md as part of the text') in out
    folder = workdir / "content" / "ice"
    text = (folder / "brief.md").read_text(encoding="utf-8")
    assert "# Policy Recommendations {#policy-recommendations}\n\nBuild all-season roads.\n" \
        in text
    assert not (folder / "recommendations.yaml").exists()
    assert _listed(out) == _check_errors("ice", capsys) == [
        "content/ice/brief.md:5: no author has a bio: the section 'About the Author' would "
        "be empty (fix: add `bio:` under the author)"]


def test_every_paragraph_of_a_recommendations_section_is_kept(workdir: Path) -> None:
    """Paragraphs before and after the list are the intro, in order; the items are the
    recommendations (before, only the first paragraph was kept)."""
    import docx

    document = docx.Document()
    document.add_heading("Policy Recommendations", 1)
    document.add_paragraph("Three steps follow.")
    for text in ("Fund gear conversion.", "Publish landing data."):
        document.add_paragraph(text, style="List Bullet")
    document.add_paragraph("Each is cheap.")
    document.save(workdir / "recs.docx")
    import_docx(workdir / "recs.docx", "recs", build_dir=workdir / "b")
    recs = yaml.safe_load((workdir / "content" / "recs" / "recommendations.yaml").read_text(
        encoding="utf-8"))
    assert recs["intro"] == "Three steps follow.\n\nEach is cheap."
    assert [r["text"] for r in recs["areas"][0]["recommendations"]] == [
        "Fund gear conversion.", "Publish landing data."]


def test_the_series_and_program_paragraphs_become_the_front_matters(workdir: Path) -> None:
    """A title block's paragraphs of the styles Series and Program (as a briefpress file has
    them, its customXml gone) are the new brief's `series:` and `program:`, not dropped."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.core_properties.author = "Lena Ortiz"
    for name in ("Series", "Program"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Shipping lanes", style="Title")
    document.add_paragraph("High North", style="Series")
    document.add_paragraph("Polar Institute", style="Program")
    document.add_heading("Summary", 1)
    document.add_paragraph("Ice melts.")
    document.save(workdir / "foreign.docx")
    import_docx(workdir / "foreign.docx", "foreign-one", build_dir=workdir / "b")
    brief_md = workdir / "content" / "foreign-one" / "brief.md"
    front, body, _ = split_front_matter(brief_md.read_text(encoding="utf-8"), brief_md)
    assert (yaml.safe_load(front)["series"], yaml.safe_load(front)["program"]) == (
        "High North", "Polar Institute")
    assert "High North" not in body
    assert read_brief(workdir / "content" / "foreign-one").meta.series == "High North"


def _memo(workdir: Path, creator: str | None, first: str | None = None) -> Path:
    """A short Word file python-docx made, its properties' creator ``creator`` (None:
    python-docx's own, "python-docx"), and ``first`` a paragraph under its title."""
    import docx

    document = docx.Document()
    if creator is not None:
        document.core_properties.author = creator
    document.add_heading("Fisheries at Risk", 0)
    if first is not None:
        document.add_paragraph(first)
    document.add_heading("Introduction", 1)
    document.add_paragraph("Small boats cannot follow the fish.")
    document.save(workdir / "memo.docx")
    return workdir / "memo.docx"


def _authors(workdir: Path) -> list[str]:
    path = workdir / "content" / "memo" / "brief.md"
    front = split_front_matter(path.read_text(encoding="utf-8"), path)[0]
    return [a["name"] for a in yaml.safe_load(front)["authors"]]


def test_an_author_from_the_file_properties_is_named_as_such(workdir: Path) -> None:
    """The properties' creator is whoever created the file, often not the author: used,
    with a notice saying where the name came from (it was used silently)."""
    result = import_docx(_memo(workdir, "Jo Fisher"), "memo", build_dir=workdir / "b")
    assert _authors(workdir) == ["Jo Fisher"]
    assert ("the author \"Jo Fisher\" was taken from the Word file's properties (its "
            "creator, who made the file, not always its author): check `authors` in "
            "brief.md") in result.outcome.notices


def test_the_title_block_s_author_paragraphs_are_the_authors(workdir: Path) -> None:
    """Word's own title block (pandoc's test file: two Author paragraphs): both names are
    the brief's authors, nothing from the properties, no notice of a missing author (the
    paragraphs were read, then dropped for the properties' creator, of which there is none)."""
    shutil.copy(WORD / "metadata.docx", workdir / "memo.docx")
    result = import_docx(workdir / "memo.docx", "memo", build_dir=workdir / "b")
    assert _authors(workdir) == ["Mary Ann Evans", "Aurore Dupin"]
    assert not any("no author" in notice or "properties" in notice
                   for notice in result.outcome.notices), result.outcome.notices
    # its Date paragraph is the date, no paragraph of the body
    path = workdir / "content" / "memo" / "brief.md"
    front, body, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
    assert yaml.safe_load(front)["date"] == datetime.date(2014, 7, 28)  # unquoted
    assert read_brief(workdir / "content" / "memo").meta.date_display() == "July 28, 2014"
    assert "July 28, 2014" not in body


@pytest.mark.parametrize(("text", "date"), [
    ("July 28, 2014", (datetime.date(2014, 7, 28), "day")),
    ("28 July 2014", (datetime.date(2014, 7, 28), "day")),
    ("July 2014", (datetime.date(2014, 7, 1), "month")), ("2014", (datetime.date(2014, 1, 1),
                                                                   "year")),
    ("Summer 2014", None), ("", None)])
def test_a_date_paragraph_reads_as_a_date_or_stays_a_paragraph(text: str, date: object) -> None:
    assert _date_of(text) == date


def test_a_byline_under_the_title_names_the_authors(workdir: Path) -> None:
    """A file with no Author paragraphs, a byline under its title: its names are the
    authors (before the properties' creator), with a notice; the byline is no paragraph."""
    result = import_docx(_memo(workdir, "Jo Fisher", "By Ingrid Solberg and Tomás Ferreira"),
                         "memo", build_dir=workdir / "b")
    assert _authors(workdir) == ["Ingrid Solberg", "Tomás Ferreira"]
    assert ('the authors "Ingrid Solberg" and "Tomás Ferreira" were read from the byline '
            '"By Ingrid Solberg and Tomás Ferreira": check `authors` in brief.md'
            ) in result.outcome.notices
    assert "By Ingrid" not in (workdir / "content" / "memo" / "brief.md").read_text(
        encoding="utf-8")


def test_a_byline_of_one_name_is_one_author_in_the_notice(workdir: Path) -> None:
    result = import_docx(_memo(workdir, None, "By Ingrid Solberg"), "memo",
                         build_dir=workdir / "b")
    assert _authors(workdir) == ["Ingrid Solberg"]
    assert ('the author "Ingrid Solberg" was read from the byline "By Ingrid Solberg": '
            "check `authors` in brief.md") in result.outcome.notices


def test_a_paragraph_that_opens_with_by_is_no_byline(workdir: Path) -> None:
    import_docx(_memo(workdir, "Jo Fisher", "By 2030, the fleet will have doubled."), "memo",
                build_dir=workdir / "b")
    assert _authors(workdir) == ["Jo Fisher"]
    assert "By 2030, the fleet" in (workdir / "content" / "memo" / "brief.md").read_text(
        encoding="utf-8")


@pytest.mark.parametrize("creator", [None, "Microsoft Office User", "LibreOffice"])
def test_a_tool_named_as_the_files_creator_is_no_author(creator: str | None,
                                                        workdir: Path) -> None:
    """python-docx writes itself as the creator, and some installations of Word a
    placeholder: no author's name (it became `name: python-docx`)."""
    result = import_docx(_memo(workdir, creator), "memo", build_dir=workdir / "b")
    assert _authors(workdir) == [NO_AUTHOR]
    assert NO_AUTHOR in placeholders()  # check warns of it, --strict fails on it
    named = creator or "python-docx"
    assert (f"no author in the Word file (its properties name \"{named}\" as its creator, "
            "the program or a placeholder, not a person): `authors` says \"Author "
            "Name\"; put the real names there") in result.outcome.notices


def test_a_new_brief_s_folder_is_named_as_ids_spell_words() -> None:
    """Accents dropped and an apostrophe kept in its word, as a heading's id is
    (``model.ids.words_of``): not ``ber-die-h-fen`` nor ``the-rok-s-role``."""
    from briefpress.importer.foreign import _slug_for

    assert _slug_for(None, "Über die Häfen: the ROK's Role", Path("x.docx")) == \
        "uber-die-hafen-the-roks-role"
    assert _slug_for(None, "", Path("l'Arctique été.docx")) == "larctique-ete"
    assert _slug_for(None, "北極", Path("北極.docx")) == "imported"


def test_straight_quotes_are_written_as_briefs_write_them_and_read_curled(
        workdir: Path) -> None:
    """A Word file typed with straight apostrophes and quotes (python-docx writes what it is
    given, as Word does with AutoFormat off): brief.md and recommendations.yaml write them
    as a brief does, ``it's``, with no backslash (pandoc's writer escaped each, ``it\\'s``,
    and the YAML value kept the backslash, which the editions printed as a typewriter
    apostrophe); read, they are the house's curly ones, and the report says so."""
    path = _word_file(workdir / "quotes.docx", [
        ("Executive Summary", ['It\'s time: the "grey zone" -- and more...'], "Normal"),
        ("Policy Recommendations", ["Index zones to the survey's centre."], "List Bullet"),
        ("About the Author", ["Lena Ortiz studies the world's ports."], "Normal")])
    result = import_docx(path, "quotes", build_dir=workdir / "b")
    folder = workdir / "content" / "quotes"
    text = (folder / "brief.md").read_text(encoding="utf-8")
    recs = (folder / "recommendations.yaml").read_text(encoding="utf-8")
    assert "\\" not in text + recs
    assert "It's time: the \"grey zone\" – and more...\n" in text
    assert "  bio: Lena Ortiz studies the world's ports.\n" in text
    assert "    text: Index zones to the survey's centre.\n" in recs
    brief = read_brief(folder)
    assert blocks.stringify(brief.sections[0].blocks) == \
        "It\u2019s time: the \u201cgrey zone\u201d \u2013 and more\u2026"
    assert blocks.stringify(brief.fragments["rec:index-zones-surveys-centre"]) == \
        "Index zones to the survey\u2019s centre."
    assert blocks.stringify(brief.fragments["bio:0"]) == \
        "Lena Ortiz studies the world\u2019s ports."
    assert ("the Word file's text has straight characters, which a brief's Markdown reads "
            "as every edition prints them: 5 straight quote(s) and apostrophe(s) curl "
            "(it's → it’s); 1 double or triple hyphen(s) are a dash (-- → –); 1 run(s) of "
            "three dots are an ellipsis (... → …). brief.md and recommendations.yaml write "
            "them as briefs do, with no backslash (`it's`, not `it\\'s`)"
            ) in result.outcome.notices


def test_word_lists_are_written_tight(workdir: Path) -> None:
    """Word has no loose lists: a list of one paragraph an item is written as a brief
    writes one, with no blank line between items (it was loose: ``<li><p>`` on the web
    page); an item of two paragraphs keeps its own list loose, the lists around it tight;
    two lists one right after the other stay two (pandoc's ``<!-- -->``)."""
    path = _word_file(workdir / "lists.docx", [
        ("Executive Summary", ["the stock moved north;", "catches doubled."], "List Bullet"),
        ("Introduction", ["Index quotas.", "Fund a vessel."], "List Number")])
    import_docx(path, "lists", build_dir=workdir / "b")
    text = (workdir / "content" / "lists" / "brief.md").read_text(encoding="utf-8")
    assert "\n\n- the stock moved north;\n- catches doubled.\n\n" in text
    assert "\n\n1. Index quotas.\n2. Fund a vessel.\n" in text
    found = [block for section in read_brief(workdir / "content" / "lists").sections
             for block in section.blocks]
    assert [[type(part) for part in item] for block in found for item in block.items] == [
        [blocks.Plain]] * 4

    import_docx(WORD / "lists.docx", "nested", build_dir=workdir / "b")
    text = (workdir / "content" / "nested" / "brief.md").read_text(encoding="utf-8")
    assert ("1. one\n2. two\n   a. a\n   b. b\n\n- one\n- two\n  - three\n    - four\n\n"
            "      Sub paragraph\n\n<!-- -->\n\n- Same list\n- Different list") in text
    body = [block for section in read_brief(workdir / "content" / "nested").sections
            for block in section.blocks if not isinstance(block, blocks.RawBlock)]
    assert [type(block) for block in body] == [blocks.OrderedList, blocks.BulletList,
                                               blocks.BulletList]
    four = [node for node in blocks.walk(body[1]) if isinstance(node, blocks.BulletList)][-1]
    assert [type(part) for part in four.items[0]] == [blocks.Para, blocks.Para]


def test_a_table_s_typed_caption_beside_it_becomes_its_caption(workdir: Path) -> None:
    """A paragraph "Table 1: …" right below a table (or "Table 2. …" right above one) is
    that table's caption, its typed number gone (every edition numbers tables: it stayed a
    paragraph, which the PDF could set on the next page); one between two tables belongs to
    neither and stays."""
    import docx

    document = docx.Document()
    document.core_properties.author = "Lena Ortiz"
    document.add_heading("Executive Summary", 1)

    def table(first: str) -> None:
        grid = document.add_table(rows=2, cols=2)
        grid.style = "Table Grid"
        for row, cells in enumerate([[first, "Catch"], ["2000", "12"]]):
            for column, text in enumerate(cells):
                grid.cell(row, column).text = text

    table("Year")
    document.add_paragraph("Table 1: Cod biomass by year.")
    document.add_paragraph("Landings come second.")
    document.add_paragraph("Table 2. Landings by port.")
    table("Port")
    document.add_paragraph("Two tables follow.")
    table("Zone")
    document.add_paragraph("Table 3: Between two tables.")
    table("Area")
    document.save(workdir / "tables.docx")
    result = import_docx(workdir / "tables.docx", "tables", build_dir=workdir / "b")
    folder = workdir / "content" / "tables"
    text = (folder / "brief.md").read_text(encoding="utf-8")
    assert "| 2000 | 12    |\n\n: Cod biomass by year.\n\nLandings come second.\n\n| Port |" \
        in text
    assert "| 2000 | 12    |\n\n: Landings by port.\n\nTwo tables follow.\n\n| Zone |" in text
    assert "| 2000 | 12    |\n\nTable 3: Between two tables.\n\n| Area |" in text
    brief = read_brief(folder)
    found = [block for block in brief.sections[0].blocks if isinstance(block, blocks.Table)]
    assert [blocks.stringify(table.caption) for table in found] == [
        "Cod biomass by year.", "Landings by port.", "", ""]
    assert not [p for p in check_brief(brief) if "typed number" in p.message]
    assert [n for n in result.outcome.notices if "caption" in n] == [
        'the paragraph "Table 1: Cod biomass by year." below a table became its caption, '
        "without its typed number, which every edition writes itself",
        'the paragraph "Table 2. Landings by port." above a table became its caption, '
        "without its typed number, which every edition writes itself"]


def test_a_picture_s_typed_caption_beside_it_makes_it_a_figure(workdir: Path) -> None:
    """A picture with "Figure 1: …" under it is a figure with that caption (it was an image
    and a paragraph, and check's fix for the missing alt text, `![description](…)`, made
    the description a second caption over the paragraph); the picture has no description
    in the Word file, so its alt text is empty and the list asks for it in the figure's
    attributes; given there, the brief's figure has its caption and its alt text."""
    import io

    import docx
    from docx.shared import Inches
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 20), (30, 60, 110)).save(png, "PNG")
    document = docx.Document()
    document.core_properties.author = "Lena Ortiz"
    document.add_heading("Executive Summary", 1)
    document.add_paragraph("Ice roads are melting.")
    document.add_picture(io.BytesIO(png.getvalue()), width=Inches(2))
    document.add_paragraph("Figure 1: Season length, 2000-2024.")
    document.add_paragraph("The season shortens.")
    document.save(workdir / "ice.docx")
    result = import_docx(workdir / "ice.docx", "ice", build_dir=workdir / "b")
    path = workdir / "content" / "ice" / "brief.md"
    text = path.read_text(encoding="utf-8")
    assert '\n\n![Season length, 2000-2024.](image-1.png){alt="" width="2.0in" ' \
        'height="1.0in"}\n\nThe season shortens.\n' in text
    assert "Figure 1" not in text
    assert ('the paragraph "Figure 1: Season length, 2000-2024." below a picture became its '
            "caption, without its typed number, which every edition writes itself"
            ) in result.outcome.notices
    [alt] = [p for p in result.todo if "alternative text" in p.message]
    assert alt.fix == ('describe it for readers who cannot see it: `alt="description"` in '
                       "the braces after `![…](image-1.png)` (the words in the brackets are "
                       "its caption)")
    path.write_text(text.replace('alt=""', 'alt="Bars fall from 2000 to 2024."'),
                    encoding="utf-8")
    brief = read_brief(workdir / "content" / "ice")
    [figure] = [b for b in brief.sections[0].blocks if isinstance(b, blocks.Figure)]
    [image] = [n for n in blocks.walk(figure) if isinstance(n, blocks.Image)]
    assert (blocks.stringify(figure.caption), blocks.stringify(image.content)) == (
        "Season length, 2000-2024.", "Bars fall from 2000 to 2024.")
    assert not [p for p in check_brief(brief) if "alternative text" in p.message]


def test_a_table_without_a_header_row_is_a_grid_table_that_reads_back_the_same(
        workdir: Path) -> None:
    """A Word table without a header row: a pipe table cannot omit one, and pandoc wrote a
    row of blank cells (``|  |  |``), an empty header to whoever reads brief.md; a grid
    table has none, and reads back as the table pandoc reads from the Word file, its
    widths too (the table with multi-paragraph cells, written as raw HTML, too)."""
    import_docx(WORD / "tables.docx", "tables", build_dir=workdir / "b")
    text = (workdir / "content" / "tables" / "brief.md").read_text(encoding="utf-8")
    assert "|  " not in text.replace("|   ", "")  # no row of blank cells
    assert "<table>" not in text
    assert "\n+---" in text and "| Sinple " in text
    word, _ = pandoc.read_file(WORD / "tables.docx", "docx")
    brief = read_brief(workdir / "content" / "tables")
    tables = [node for node in blocks.walk([b for s in brief.walk() for b in s.blocks])
              if isinstance(node, blocks.Table)]
    headerless = [node for node in word.blocks if isinstance(node, blocks.Table)][1:]
    assert [not table.c[3][1] for table in headerless] == [True, True]
    assert tables[1:] == headerless
