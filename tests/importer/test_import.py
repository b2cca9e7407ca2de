"""briefpress import: identity, an editor's session, tracked changes, comments, merges,
conflicts, refusals, and Word files briefpress did not make.

The edited files are made here from the real build output, with :mod:`docxedit`
(the XML Word writes) and with Debian's LibreOffice, which rewrites all of it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from copy import deepcopy as copy_element
from pathlib import Path
from typing import Any

import pytest

from briefpress.build import build
from briefpress.cli import main
from briefpress.errors import BriefError
from briefpress.importer import import_docx
from briefpress.importer.pipeline import ImportResult
from briefpress.model import blocks
from briefpress.read.brief import read_brief
from briefpress.render.htmlparts import split_parts
from briefpress.support.backup import REVIEWS, review_file
from conftest import ARCTIC, REAL, WATER, SharedBuild, edit
from docxedit import DocxEditor, edited_parts, w, word_like_resave
from office import soffice_convert_many

pytestmark = pytest.mark.slow

DATE = "2024-03-04T10:00:00Z"
WORD = Path(__file__).resolve().parents[1] / "fixtures" / "docx" / "word"
CONSTRUCTS = ARCTIC.parent / "arctic-constructs"
"""The brief of every construct the round trip carries."""


@pytest.fixture(scope="module")
def built(built_once: Callable[..., SharedBuild]) -> dict[str, Path]:
    """Both briefs' Word editions, as the test files that read them share them."""
    real, = built_once([REAL], ["docx"]).outputs
    arctic, = built_once([ARCTIC], ["docx"]).outputs
    return {"real": real, "arctic": arctic}


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lo-profile")


def with_series(folder: Path) -> Path:
    """The arctic brief in ``folder`` given a series ("High North"): ``folder``."""
    brief_md = folder / "brief.md"
    brief_md.write_text(brief_md.read_text(encoding="utf-8").replace(
        'program: "Polar Institute"\n', 'program: "Polar Institute"\nseries: "High North"\n'),
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The arctic brief with a series, and its Word file: (its folder, the .docx)."""
    out = tmp_path_factory.mktemp("series")
    folder = out / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    with_series(folder)
    docx_file, = build([str(folder)], ["docx"], build_dir=out / "b")
    return {"folder": folder, "docx": docx_file}


@pytest.fixture(scope="module")
def resaved(built: dict[str, Path], series: dict[str, Path], profile: Path,
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The built files, the editor's session on the real one and the brief with a series,
    after LibreOffice opened and saved them (all their XML rewritten): in one start of
    LibreOffice, which costs more than the saves (the tests each started one)."""
    out = tmp_path_factory.mktemp("resaved")
    sources = {"real": built["real"], "arctic": built["arctic"], "series": series["docx"],
               "session": session(built["real"], out / "session.docx")}
    (out / "in").mkdir()
    named = {}  # soffice names each result by its source: one name each
    for name, path in sources.items():
        named[name] = out / "in" / f"{name}.docx"
        shutil.copyfile(path, named[name])
    saved = soffice_convert_many(list(named.values()), "docx", out / "lo", profile)
    return {**dict(zip(named, saved, strict=True)), "session-edited": sources["session"]}


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of a fixture brief to import into, and a build folder for reports. The copy is
    a project of its own (the working directory): its `check` reads that project's build
    folder, not the checkout's, which `make pdf` fills with editions of the same slugs."""
    monkeypatch.chdir(tmp_path)

    def make(source: Path = REAL) -> Path:
        folder = tmp_path / "content" / source.name
        shutil.copytree(source, folder)
        return folder

    return make


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def session(source: Path, out: Path) -> Path:
    """An editor's session on the real brief: a paragraph, a recommendation and a heading
    retyped; a tracked insertion and deletion; a comment; a new paragraph."""
    doc = DocxEditor(source)
    doc.replace("Long-time strategic allies", "share decades of", "share seven decades of")
    doc.replace("The United States should expand the Strategic Cybersecurity Cooperation",
                "should expand", "should broaden")
    doc.replace("2) Joint US-ROK Military Training Exercises", "Military Training Exercises",
                "Military Exercises")
    doc.insert("Regularization and expansion of US-ROK joint", "could play a role", " also",
               author="Jane Editor", date=DATE)
    doc.delete("As one of the United States’ closest allies, the ROK plays", "important and ",
               author="Jane Editor", date=DATE)
    doc.comment("The 2023 Washington Declaration reaffirmed", "greater strategic clarity",
                author="Sam Reviewer", date=DATE, text="Source for this?")
    doc.add_paragraph("Regularization and expansion of US-ROK joint",
                      "A new paragraph the editor wrote.")
    # a paragraph with a link whose target is still unknown, and one with a live link
    doc.replace("South Korean public opinion polls stressed", "large-scale uptick",
                "sharp uptick")
    doc.replace("The 1953 Mutual Defense", "devastating Korea War", "devastating Korean War")
    return doc.save(out)


# -- identity ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["real", "arctic"])
def test_unedited_file_changes_nothing(name: str, built: dict[str, Path], copy,
                                       tmp_path: Path) -> None:
    folder = copy(REAL if name == "real" else ARCTIC)
    before = snapshot(folder)
    result = import_docx(built[name], str(folder), build_dir=tmp_path / "build")
    assert result.unchanged
    assert snapshot(folder) == before
    assert not review_file(folder).exists()


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["real", "arctic"])
def test_file_resaved_by_libreoffice_changes_nothing(name: str, resaved: dict[str, Path],
                                                     copy, tmp_path: Path) -> None:
    folder = copy(REAL if name == "real" else ARCTIC)
    before = snapshot(folder)
    with zipfile.ZipFile(resaved[name]) as archive:  # LibreOffice really rewrote it
        assert b"LibreOffice" in archive.read("docProps/app.xml")
    result = import_docx(resaved[name], str(folder), build_dir=tmp_path / "build")
    assert result.unchanged, result.diff()
    assert snapshot(folder) == before


@pytest.mark.parametrize("name", ["real", "arctic"])
def test_file_saved_as_word_saves_changes_nothing(name: str, built: dict[str, Path], copy,
                                                  tmp_path: Path) -> None:
    folder = copy(REAL if name == "real" else ARCTIC)
    before = snapshot(folder)
    resaved = word_like_resave(built[name], tmp_path / "word.docx")
    result = import_docx(resaved, str(folder), build_dir=tmp_path / "build")
    assert result.unchanged, result.diff()
    assert snapshot(folder) == before
    from briefpress.render.docx import read_outline

    assert read_outline(resaved) == read_brief(folder).outline()


def test_every_paragraph_comes_back_as_written(built: dict[str, Path]) -> None:
    """Rewriting an unchanged paragraph from the Word file gives its source line back, byte
    for byte (links, dashes, quotes, superscripts, notes): an edit changes only itself."""
    from briefpress.importer.docxread import read_edited
    from briefpress.importer.markdown import MarkdownWriter, Piece
    from briefpress.importer.signature import signature
    from briefpress.importer.sourcemap import source_map
    from briefpress.importer.splice import _figures, _images, _notes
    from briefpress.render.docx_ast import brief_units
    from briefpress.support.docx_open import open_docx

    for name, source in (("real", REAL), ("arctic", ARCTIC)):
        brief = read_brief(source)
        smap = source_map(brief)
        edited = read_edited(open_docx(built[name]), "accept")
        by_signature = {signature([b.block]): b for b in edited.blocks}
        units = [u for u in brief_units(brief) if u.kind == "block"]
        pieces = [Piece([by_signature[signature(u.blocks)].block],
                        context=smap.text(smap.blocks[u.key]), base_notes=_notes(u.blocks),
                        base_images=_images(u.blocks), base_figures=_figures(u.blocks))
                  for u in units]
        written = MarkdownWriter(smap, brief.markdown, edited.api_version).write(pieces)
        same = [p.context == w for p, w in zip(pieces, written, strict=True)]
        padded = [i for i, u in enumerate(units)
                  if isinstance(u.blocks[0], blocks.Table | blocks.Figure)]
        # a pipe table comes back with its cells padded and a figure with `width="80%"`
        # quoted; everything else exactly as written
        assert [i for i, ok in enumerate(same) if not ok] == padded, name
        assert len(units) > (35 if name == "real" else 8)


# -- an editor's session --------------------------------------------------------------------

EXPECTED_LINES = {
    "Long-time strategic allies, the United States and Republic of Korea share seven decades "
    "of military and defense integration",
    "## 2) Joint US-ROK Military Exercises {#joint-military-exercises}",
    "Regularization and expansion of US-ROK joint training exercises in the region could play "
    "a role also in further alleviating",
    "A new paragraph the editor wrote.",
    "As one of the United States' closest allies, the ROK plays an growing role in the "
    "Indo-Pacific region.",
    "With the large-scale uptick" + "",  # placeholder replaced below
}


def test_editor_session_lands_in_the_source(built: dict[str, Path], copy,
                                            tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy()
    brief_before = (folder / "brief.md").read_text(encoding="utf-8")
    recs_before = (folder / "recommendations.yaml").read_text(encoding="utf-8")
    edited = session(built["real"], tmp_path / "edited.docx")
    code = main(["import", str(edited), "--brief", str(folder), "--build-dir",
                 str(tmp_path / "build")])
    out = capsys.readouterr().out
    assert code == 0
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    old_lines, new_lines = brief_before.split("\n"), brief.split("\n")
    removed = [line for line in old_lines if line not in new_lines]
    added = [line for line in new_lines if line not in old_lines]
    assert len(removed) == 6 and len(added) == 7  # six retyped lines and one new paragraph
    expected = [
        ("share decades of military", "share seven decades of military"),
        ("## 2) Joint US-ROK Military Training Exercises {#joint-military-exercises}",
         "## 2) Joint US-ROK Military Exercises {#joint-military-exercises}"),
        ("could play a role in further", "could play a role also in further"),
        ("the ROK plays an important and growing role", "the ROK plays an growing role"),
        ("With the large-scale uptick", "With the sharp uptick"),
        ("devastating Korea War", "devastating Korean War"),
    ]
    for old, new in expected:
        line = next(x for x in removed if old in x)
        assert line.replace(old, new) in added, (old, new)
    assert "A new paragraph the editor wrote." in added
    position = new_lines.index("A new paragraph the editor wrote.")
    assert new_lines[position - 2].startswith("Regularization and expansion")
    assert new_lines[position + 2] == "## 3) Expanding Defense Cooperation Platforms " \
        "{#defense-cooperation-platforms}"
    # links kept as the source writes them: reference links, the unknown target too
    assert "stressed the [domestic perception][domestic-perception] of future" in brief
    assert "The 1953 Mutual Defense [Treaty][treaty], signed" in brief
    recs = (folder / "recommendations.yaml").read_text(encoding="utf-8")
    assert recs == recs_before.replace("The United States should expand the Strategic",
                                       "The United States should broaden the Strategic")
    report = review_file(folder).read_text(encoding="utf-8")
    assert ("1. **inserted** by Jane Editor on 2024-03-04 10:00, in 2) Joint US-ROK Military "
            "Exercises (#joint-military-exercises): “also”") in report
    assert ("2. **deleted** by Jane Editor on 2024-03-04 10:00, in Conclusion (#conclusion): "
            "“important and”") in report
    assert ("1.  **Sam Reviewer** on 2024-03-04 10:00, in 1) US-ROK Nuclear Consultative Group "
            "(#nuclear-consultative-group), on “greater strategic clarity”:\n"
            "    > Source for this?") in report
    assert "**recommendation 'cybersecurity-framework' changed** (#policy-recommendations): " \
        "“The United States should [-expand-] {+broaden+} the Strategic" in report
    assert "2 tracked change(s), all accepted:" in out
    assert "  deleted by Jane Editor on 2024-03-04 10:00 in Conclusion (#conclusion): " \
        "'important and'" in out
    assert "1 comment(s):" in out
    # shown relative to the working directory, the project (see `copy`)
    assert f"review report: .briefpress/reviews/{folder.name}.md" in out


def test_rejecting_tracked_changes_keeps_the_text_as_it_was(built: dict[str, Path], copy,
                                                           tmp_path: Path) -> None:
    folder = copy()
    edited = session(built["real"], tmp_path / "edited.docx")
    result = import_docx(edited, str(folder), changes="reject", build_dir=tmp_path / "b")
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    assert "could play a role in further alleviating" in brief
    assert "the ROK plays an important and growing role" in brief
    assert "share seven decades of military" in brief  # typed without Track Changes: kept
    assert [r.kind for r in result.review.revisions] == ["inserted", "deleted"]
    assert "## Tracked changes (2, rejected)" in result.report()


@pytest.mark.libreoffice
def test_editor_session_survives_libreoffice(resaved: dict[str, Path], copy,
                                             tmp_path: Path) -> None:
    direct, via = copy(), tmp_path / "via"
    shutil.copytree(direct, via / direct.name)
    first = import_docx(resaved["session-edited"], str(direct), build_dir=tmp_path / "b1")
    second = import_docx(resaved["session"], str(via / direct.name), build_dir=tmp_path / "b2")
    assert second.markdown_after == first.markdown_after
    assert second.recommendations_after == first.recommendations_after
    assert [(r.kind, r.author, r.text) for r in second.review.revisions] == \
        [(r.kind, r.author, r.text) for r in first.review.revisions]
    assert [(c.author, c.anchor, c.text) for c in second.review.comments] == \
        [("Sam Reviewer", "greater strategic clarity", "Source for this?")]


def test_title_footnote_and_new_recommendation(built: dict[str, Path], copy,
                                               tmp_path: Path) -> None:
    folder = copy(ARCTIC)
    doc = DocxEditor(built["arctic"])
    doc.replace("Shipping Lanes at the Top of the World", "Warming Decade", "Warming Century")
    doc.add_paragraph("Make position reporting mandatory",
                      "Fund a shared icebreaker pool for emergencies.", style="Recommendation")
    doc.replace_in_part("word/footnotes.xml", "are excluded.", "are not counted.")
    edited = doc.save(tmp_path / "edited.docx")
    result = import_docx(edited, str(folder), build_dir=tmp_path / "b")
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    assert 'title: "Shipping Lanes at the Top of the World: Governing Arctic Transit in a ' \
        'Warming Century"' in brief
    assert "[^transits]: Counts of full transits reported by the route administrations; " \
        "partial voyages are not counted.\n[^code]: International Code for Ships Operating " \
        "in Polar Waters, in force since 2017.\n" in brief  # the next note stays
    assert "quadrupled in five years.[^transits] Rules" in brief
    recs = (folder / "recommendations.yaml").read_text(encoding="utf-8")
    assert ("      - id: mandatory-reporting\n"
            "        section: what-should-change\n"
            "        text: \"Make position reporting mandatory beyond the Polar Code's minimum.\"\n"
            "      - id: fund-shared-icebreaker-pool\n"
            "        section: what-should-change\n"
            "        text: \"Fund a shared icebreaker pool for emergencies.\"\n"
            "  - id: search-and-rescue\n") in recs
    assert "new recommendation 'fund-shared-icebreaker-pool' points at section " \
        "'what-should-change': its id was made from its words and its section taken from its " \
        "neighbour; review both in recommendations.yaml (the id is how links and readers will " \
        "know it)" in result.outcome.notices
    assert main(["check", str(folder)]) in (0, 1)


def _footnote_after(source: Path, target: Path, phrase: str, text: str) -> Path:
    """``source`` with a footnote ``text`` put right after ``phrase`` (which ends a run of its
    paragraph), as Word writes one: a copy of the file's first note and of its call."""
    def add(roots: dict[str, Any]) -> None:
        call = next(r.getparent() for r in roots["document"].iter(w("footnoteReference")))
        number = call.find(w("footnoteReference")).get(w("id"))
        note = copy_element(next(n for n in roots["footnotes"].iter(w("footnote"))
                                 if n.get(w("id")) == number))
        note.set(w("id"), "90")
        texts = [t for t in note.iter(w("t")) if t.text and t.text.strip()]
        texts[0].text = text
        for extra in texts[1:]:
            extra.text = ""
        roots["footnotes"].append(note)
        words = next(t.getparent() for t in roots["document"].iter(w("t"))
                     if t.text and t.text.endswith(phrase))
        new_call = copy_element(call)
        new_call.find(w("footnoteReference")).set(w("id"), "90")
        words.addnext(new_call)

    return edited_parts(source, target, add)


def test_a_footnote_added_to_a_recommendation_is_in_every_edition(copy,
                                                                  tmp_path: Path) -> None:
    """The note a recommendation calls is defined in brief.md, with the brief's next number
    (its notes are numbered); here the brief's note stands right under its link definitions,
    as an import writes a new one, and a new note once took its label again: two
    definitions of ``[^1]``, and the first note's text in no edition."""
    folder = copy()
    edit(folder / "brief.md", "approximately 28,500 US troops", "approximately 28,500 US "
         "troops[^1]")
    source = folder / "brief.md"
    source.write_text(source.read_text(encoding="utf-8")
                      + "[^1]: Figure as of 2024, according to US Forces Korea.\n", "utf-8")
    made, = build([str(folder)], ["docx"], build_dir=tmp_path / "made")
    edited = _footnote_after(made, tmp_path / "edited.docx", "and cryptocurrency theft.",
                             "See the April 2023 framework text.")
    import_docx(edited, str(folder), build_dir=tmp_path / "b")
    brief = source.read_text(encoding="utf-8")
    assert brief.endswith("[tripling-nuclear]: <>\n[^1]: Figure as of 2024, according to US "
                          "Forces Korea.\n[^2]: See the April 2023 framework text.\n")
    recs = (folder / "recommendations.yaml").read_text(encoding="utf-8")
    assert "including in addressing DPRK's cyber threats and cryptocurrency theft.[^2]\"" in recs
    assert main(["check", str(folder)]) in (0, 1)  # warnings only: links without targets
    build([str(folder)], ["html"], build_dir=tmp_path / "out")
    page = tmp_path / "out" / folder.name / "index.html"
    parts = split_parts(read_brief(folder), "endnotes")
    assert "cryptocurrency theft.<a" in parts[0]["rec:cybersecurity-framework"]
    html = page.read_text(encoding="utf-8")
    assert "See the April 2023 framework text." in html
    assert "Figure as of 2024, according to US Forces Korea." in html


# -- concurrent edits ----------------------------------------------------------------------

def test_source_and_word_edits_to_different_paragraphs_merge(built: dict[str, Path], copy,
                                                             tmp_path: Path) -> None:
    folder = copy()
    source = folder / "brief.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("paramount for signaling strong deterrence",
                                   "essential for signaling strong deterrence"), "utf-8")
    doc = DocxEditor(built["real"])
    doc.replace("Regularization and expansion of US-ROK joint", "could play a role",
                "could play a larger role")
    result = import_docx(doc.save(tmp_path / "e.docx"), str(folder), build_dir=tmp_path / "b")
    assert result.merged
    merged = source.read_text(encoding="utf-8")
    assert "essential for signaling strong deterrence" in merged
    assert "could play a larger role in further alleviating" in merged
    assert merged == text.replace("paramount for signaling strong deterrence",
                                  "essential for signaling strong deterrence").replace(
        "could play a role in further alleviating", "could play a larger role in further "
        "alleviating")
    assert "the source was at" in result.report()


def test_a_paragraph_deleted_in_the_source_and_the_next_edited_in_word_merge(
        built: dict[str, Path], copy, tmp_path: Path) -> None:
    # the blank line after the deleted paragraph once made the two changes one conflict
    folder = copy()
    source = folder / "brief.md"
    text = source.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[71].startswith("The United States and the Republic of Korea continue")
    deleted = "\n".join(lines[:71] + lines[73:])
    source.write_text(deleted, "utf-8")
    doc = DocxEditor(built["real"])
    doc.replace("The 2023 Washington Declaration reaffirmed", "reaffirmed", "restated")
    result = import_docx(doc.save(tmp_path / "e.docx"), str(folder), build_dir=tmp_path / "b")
    assert result.merged
    assert source.read_text(encoding="utf-8") == deleted.replace(
        "The 2023 Washington Declaration reaffirmed", "The 2023 Washington Declaration restated")


def test_source_and_word_edits_to_one_paragraph_conflict(built: dict[str, Path], copy,
                                                         tmp_path: Path) -> None:
    folder = copy()
    source = folder / "brief.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "could play a role in further", "could play a part in further"), "utf-8")
    before = snapshot(folder)
    doc = DocxEditor(built["real"])
    doc.replace("Regularization and expansion of US-ROK joint", "could play a role",
                "could play a larger role")
    with pytest.raises(BriefError) as caught:
        import_docx(doc.save(tmp_path / "e.docx"), str(folder), build_dir=tmp_path / "b")
    [problem] = caught.value.problems
    assert problem.line == 78
    assert problem.message == (
        "conflict in section '2) Joint US-ROK Military Training Exercises' "
        "(#joint-military-exercises): this was changed in brief.md and in the Word file since "
        "the file was made; brief.md now reads \"…could play a part in further alleviating the "
        "ROK's concerns…\", the Word file reads \"…could play a larger role in further "
        "alleviating the ROK's…\"")
    assert snapshot(folder) == before


# -- refusals ------------------------------------------------------------------------------

FORCE = "restore it in the Word file and import again, or import with --force to accept"


def _refused(edited: Path, folder: Path, tmp_path: Path) -> list[str]:
    before = snapshot(folder)
    with pytest.raises(BriefError) as caught:
        import_docx(edited, str(folder), build_dir=tmp_path / "b")
    assert snapshot(folder) == before
    assert all(p.fix.startswith(FORCE) or "--force" in p.fix for p in caught.value.problems)
    # the Word file as given, with its folder, not its name alone (tester 13)
    assert {str(p.file) for p in caught.value.problems} == {str(edited)}
    return [p.message for p in caught.value.problems]


def test_dropping_a_section_is_refused_unless_forced(built: dict[str, Path], copy,
                                                     tmp_path: Path) -> None:
    folder = copy()
    doc = DocxEditor(built["real"])
    doc.remove_paragraph("2) Joint US-ROK Military Training Exercises")
    edited = doc.save(tmp_path / "e.docx")
    assert _refused(edited, folder, tmp_path) == [
        "the import would drop section '2) Joint US-ROK Military Training Exercises' "
        "(#joint-military-exercises)"]
    result = import_docx(edited, str(folder), force=True, build_dir=tmp_path / "b")
    assert "{#joint-military-exercises}" not in (folder / "brief.md").read_text("utf-8")
    assert result.forced[0].message.startswith("the import would drop section")


@pytest.mark.parametrize("pasted", [False, True])
def test_moving_a_section_is_refused(built: dict[str, Path], copy, tmp_path: Path,
                                     pasted: bool) -> None:
    """``pasted``: as LibreOffice pastes the section, its bookmark renamed
    ``policy-alignment_Copy_1`` (while a tracked move keeps the original where it was). It is
    a move all the same, as a moved recommendation is, and keeps its id; it was refused as
    dropped and, forced, written back under a new id (``{#us-rok-policy-alignment}``)."""
    folder = copy()
    doc = DocxEditor(built["real"])
    doc.move("US-ROK Policy Alignment", "To this end, the Republic of Korea followed",
             "Expanding Cooperation: Nontraditional Security")
    if pasted:
        [bookmark] = [b for b in doc.doc.iter(w("bookmarkStart"))
                      if b.get(w("name")) == "policy-alignment"]
        bookmark.set(w("name"), "policy-alignment_Copy_1")
    edited = doc.save(tmp_path / "e.docx")
    assert _refused(edited, folder, tmp_path) == [
        "the import would move section 'US-ROK Policy Alignment' (#policy-alignment) from "
        "after 'Introduction' to after '3) Expanding Defense Cooperation Platforms'"]
    import_docx(edited, str(folder), force=True, build_dir=tmp_path / "b")
    text = (folder / "brief.md").read_text(encoding="utf-8")
    assert text.index("# US-ROK Policy Alignment {#policy-alignment}") > \
        text.index("{#defense-cooperation-platforms}")
    assert text.count("In February 2022, the Biden administration announced") == 1
    assert text.count("{#policy-alignment}") == 1 and "_Copy_" not in text


def test_a_heading_level_changed_is_said_with_where_the_section_now_stands(
        built: dict[str, Path], copy, tmp_path: Path) -> None:
    """Tester 6's M4: a subsection heading given the style of a chapter's (untracked, as
    LibreOffice saves it) is imported, and the report says the level changed, where the
    section now stands and that no tracked change did it, not only "heading changed"."""
    folder = copy()
    doc = DocxEditor(built["real"])
    style = doc.paragraph("Strategic Alliance: Security and Defense").find(
        f"{w('pPr')}/{w('pStyle')}").get(w("val"))
    doc.paragraph("1) US-ROK Nuclear Consultative Group").find(
        f"{w('pPr')}/{w('pStyle')}").set(w("val"), style)
    result = import_docx(doc.save(tmp_path / "e.docx"), str(folder),
                         build_dir=tmp_path / "b")
    what = ("heading '1) US-ROK Nuclear Consultative Group' moved from level 2 to level 1 "
            "(## → #): now a top-level section; with '2) Joint US-ROK Military Training "
            "Exercises' and '3) Expanding Defense Cooperation Platforms' now under it")
    assert [change.what for change in result.outcome.changes] == [what]
    assert f"  {what} in #nuclear-consultative-group" in result.summary()
    assert f"- **{what}** (#nuclear-consultative-group)" in result.report()
    assert result.outcome.notices == [
        "the level of heading '1) US-ROK Nuclear Consultative Group' "
        "(#nuclear-consultative-group) changed from 2 to 1 with no tracked change "
        "(LibreOffice tracks no change of paragraph style, and deleting the paragraphs before "
        "a heading can give it the style of the first one deleted): check that the new level "
        "was meant"]
    assert "\n# 1) US-ROK Nuclear Consultative Group {#nuclear-consultative-group}\n" in \
        (folder / "brief.md").read_text(encoding="utf-8")


def test_dropping_a_recommendation_is_refused(built: dict[str, Path], copy,
                                              tmp_path: Path) -> None:
    folder = copy()
    doc = DocxEditor(built["real"])
    doc.remove_paragraph("Strengthening US-ROK strategic defense cooperation")
    assert _refused(doc.save(tmp_path / "e.docx"), folder, tmp_path) == [
        "the import would drop recommendation 'ncg-defense-cooperation' (area 'Geopolitical "
        "Security Engagement')"]


def test_breaking_a_link_is_refused(built: dict[str, Path], copy, tmp_path: Path) -> None:
    folder = copy()
    doc = DocxEditor(built["real"])
    doc.unlink("The 1953 Mutual Defense", "Treaty")
    assert _refused(doc.save(tmp_path / "e.docx"), folder, tmp_path) == [
        "the import would break the link 'Treaty' to "
        "https://avalon.law.yale.edu/20th_century/kor001.asp"]


@pytest.mark.parametrize(("where", "old", "new", "message"), [
    ("1300 Pennsylvania Avenue NW", "1300", "1301",
     "the text '1301 Pennsylvania Avenue NW' changes text generated from the publisher in the "
     "front matter"),
    ("Policy Recommendations", "Policy Recommendations", "Our Recommendations",
     "the text 'Our Recommendations' (section 'policy-recommendations') replaces the heading "
     "'Policy Recommendations', which is generated"),
])
def test_editing_generated_text_is_refused(where: str, old: str, new: str, message: str,
                                           built: dict[str, Path], copy,
                                           tmp_path: Path) -> None:
    folder = copy()
    doc = DocxEditor(built["real"])
    doc.replace(where, old, new)
    assert _refused(doc.save(tmp_path / "e.docx"), folder, tmp_path) == [message]


def test_editing_an_affiliation_in_the_title_block_is_refused(built: dict[str, Path], copy,
                                                               tmp_path: Path) -> None:
    """The title block's affiliations (tester 13, finding 7) come from the front matter: an
    edit there is refused with where to make it, like the colophon's."""
    folder = copy(ARCTIC)
    doc = DocxEditor(built["arctic"])
    # the bio names the initiative too: the affiliation's own paragraph, by its whole text
    affiliation, = [p for p in doc.doc.iter(w("p")) if doc.text(p) == "Global Risk Initiative"]
    for run_text in affiliation.iter(w("t")):
        run_text.text = run_text.text.replace("Global Risk", "Planetary Risk")
    assert _refused(doc.save(tmp_path / "e.docx"), folder, tmp_path) == [
        "the text 'Planetary Risk Initiative' changes text generated from the author's "
        "`affiliation` in the front matter"]


# -- dry run, review of an unchanged text (the undo: test_pipeline.py) -----------------------

def test_dry_run_prints_and_writes_nothing(built: dict[str, Path], copy, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy()
    before = snapshot(folder)
    edited = session(built["real"], tmp_path / "edited.docx")
    assert main(["import", str(edited), "--brief", str(folder), "--dry-run", "--build-dir",
                 str(tmp_path / "build")]) == 0
    out = capsys.readouterr().out
    assert "-Long-time strategic allies, the United States and Republic of Korea share " \
        "decades" in out
    assert "+Long-time strategic allies, the United States and Republic of Korea share " \
        "seven decades" in out
    assert "# Review of edited.docx" in out
    assert "would import edited.docx into" in out
    assert snapshot(folder) == before
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").rglob("*.md"))
    assert not (tmp_path / REVIEWS).exists()


def test_comments_alone_are_reported(built: dict[str, Path], copy, tmp_path: Path) -> None:
    folder = copy(ARCTIC)
    before = snapshot(folder)
    doc = DocxEditor(built["arctic"])
    doc.comment("Vessel counts tell the story", "plainly", author="Sam Reviewer", date=DATE,
                text="Which counts?")
    result = import_docx(doc.save(tmp_path / "e.docx"), str(folder), build_dir=tmp_path / "b")
    assert result.unchanged and snapshot(folder) == before
    report = review_file(folder).read_text(encoding="utf-8")
    assert "**Sam Reviewer** on 2024-03-04 10:00, in The Traffic Is Already Here (#traffic), " \
        "on “plainly”:\n    > Which counts?" in report


# -- files that are not what they claim -----------------------------------------------------

@pytest.mark.parametrize(("content", "message"), [
    (b"Just some text.\n", "not a Word .docx file (it is not a zip package)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
     "this is an old-style Word .doc or a password-protected file, not a .docx"),
    # a zip's start cut short: said as the first, not in zipfile's words (tester 13)
    (b"PK\x03\x04broken", "not a Word .docx file (it is not a zip package)"),
])
def test_not_a_docx(content: bytes, message: str, copy, tmp_path: Path,
                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy()
    before = snapshot(folder)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    assert main(["import", str(bad), "--brief", str(folder)]) == 2
    assert f"bad.docx: error: {message}" in capsys.readouterr().err
    assert snapshot(folder) == before


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/' \
    b'package/2006/content-types"/>'


@pytest.mark.parametrize(("entries", "message"), [
    ({"[Content_Types].xml": CONTENT_TYPES, "../evil.xml": b"<x/>"},
     "the .docx contains an unsafe entry name '../evil.xml'"),
    ({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"\0" * (8 * 1024 * 1024)},
     "the .docx entry 'word/document.xml' is compressed"),
    ({"word/document.xml": b"<x/>"}, "the .docx is corrupt: it has no [Content_Types].xml"),
    ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
     "this is an OpenDocument (.odt) file, not a .docx"),
    ({"[Content_Types].xml": CONTENT_TYPES.replace(b"/>", b"><Default Extension=\"bin\" "
                                                   b"ContentType=\"application/vnd.ms-office."
                                                   b"vbaProject\"/></Types>"),
      "word/document.xml": b"<x/>", "word/vbaProject.bin": b"macro"},
     "the document contains macros, which briefpress does not accept"),
    ({"[Content_Types].xml": CONTENT_TYPES,
      "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'},
     "the .docx part word/document.xml declares a DTD"),
    ({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document><unclosed>"},
     "the .docx is corrupt: word/document.xml is not well-formed XML"),
])
def test_hostile_or_broken_packages(entries: dict[str, bytes], message: str, copy,
                                    tmp_path: Path) -> None:
    folder = copy()
    before = snapshot(folder)
    with pytest.raises(BriefError) as caught:
        import_docx(_zip(tmp_path / "bad.docx", entries), str(folder),
                    build_dir=tmp_path / "b")
    assert caught.value.problems[0].message.startswith(message)
    assert snapshot(folder) == before


# -- Word files briefpress did not make ------------------------------------------------------

@pytest.mark.parametrize(("name", "accepted", "rejected"), [
    ("track_changes_insertion.docx", "This is a text with two exciting insertions.",
     "This is a text with insertions."),
    ("track_changes_deletion.docx", "This is a text with a deletion.",
     "This is a text with an excessively modified deletion."),
])
def test_word_tracked_changes(name: str, accepted: str, rejected: str, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    for changes, text in (("accept", accepted), ("reject", rejected)):
        slug = f"word-{changes}"
        result = import_docx(WORD / name, slug, changes=changes, build_dir=tmp_path / "b")
        assert text in (tmp_path / "content" / slug / "brief.md").read_text(encoding="utf-8")
        [revision] = result.review.revisions
        assert revision.author == "eng-dept"
        assert revision.date == "2014-06-25T10:40:00Z" if "insertion" in name else True


def test_word_comments_are_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    result = import_docx(WORD / "comments.docx", "commented", build_dir=tmp_path / "b")
    comments = [(c.author, c.anchor, c.text, c.reply_to is not None)
                for c in result.review.comments]
    assert comments[0] == ("Jesse Rosenthal", "some text to have a comment", "I left a comment.",
                           False)
    assert comments[1][1] == "a new paragraph. And so"
    assert comments[4] == ("Jesse Rosenthal", "comment in a comment", "Do something else.",
                           True)
    report = (tmp_path / REVIEWS / "commented.md").read_text(encoding="utf-8")
    assert "(reply to comment 4)" in report


@pytest.mark.parametrize(("name", "expected"), [
    ("headers.docx", ["# A Test of Headers {#a-test-of-headers}", "## Second Level",
                      "Some plain text."]),
    ("lists.docx", ["1. one", "   a. a"]),  # `1. item`, not pandoc's `1.  item`
    ("tables.docx", ["| Lebron James"]),
    ("notes.docx", ["Test footnote.[^1]", "[^1]: My note."]),
    ("links.docx", ["[external link][external-link]", "[external-link]: http://google.com"]),
    ("image.docx", ["](image-1.jpg \"An unhappy fish.\")"]),
])
def test_word_files_import_as_new_briefs(name: str, expected: list[str], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    result = import_docx(WORD / name, "imported", build_dir=tmp_path / "b")
    brief = (tmp_path / "content" / "imported" / "brief.md").read_text(encoding="utf-8")
    for line in expected:
        assert line in brief, (line, brief)
    report = (tmp_path / REVIEWS / "imported.md").read_text(encoding="utf-8")
    assert "briefpress did not make this file" in report
    assert "the project's default (what `briefpress new` writes) was used" in report
    assert result.new_folder
    if name == "image.docx":
        assert (tmp_path / "content" / "imported" / "image-1.jpg").read_bytes()[:2] == \
            b"\xff\xd8"


def test_foreign_file_never_overwrites_a_brief(copy, tmp_path: Path) -> None:
    folder = copy()
    with pytest.raises(BriefError) as caught:
        import_docx(WORD / "headers.docx", str(folder), build_dir=tmp_path / "b")
    assert caught.value.problems[0].message.startswith("this .docx was not made by briefpress")


def test_bio_intro_and_a_new_section(built: dict[str, Path], copy, tmp_path: Path) -> None:
    folder = copy(ARCTIC)
    doc = DocxEditor(built["arctic"])
    doc.replace("Ana Lindqvist is a fellow", "maritime governance", "maritime law")
    doc.replace("Three areas of action would make", "safer", "much safer")
    doc.add_paragraph("Insurers should share loss data", "Ports of Refuge", style="Heading2")
    doc.add_paragraph("Ports of Refuge", "Every route needs places to shelter.")
    import_docx(doc.save(tmp_path / "e.docx"), str(folder), build_dir=tmp_path / "b")
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    assert 'bio: "Ana Lindqvist is a fellow with the Polar Institute, where she studies ' \
        'maritime law."' in brief
    assert ("Insurers should share loss data so that premiums follow risk.\n\n"
            "## Ports of Refuge {#ports-of-refuge}\n\n"
            "Every route needs places to shelter.\n\n# Conclusion {#conclusion}") in brief
    recs = (folder / "recommendations.yaml").read_text(encoding="utf-8")
    assert recs.startswith('intro: "Three areas of action would make Arctic transit much safer '
                           'without closing it."\n')
    assert main(["check", str(folder)]) == 0


def test_a_section_added_with_a_number_first_gets_an_id_every_edition_carries(
        built: dict[str, Path], copy, tmp_path: Path) -> None:
    """The tester's M1: "4) Health Security" added in Word was written ``{#4-health-security}``,
    which no Word bookmark can be (a letter first), and every later build failed; the id is
    made as pandoc's auto_identifiers make one, and the brief builds."""
    folder = copy()
    doc = DocxEditor(built["real"])
    doc.add_paragraph("With tensions rising in the region", "4) Health Security",
                      style="Heading2", author="Jane Editor", date=DATE)
    doc.add_paragraph("4) Health Security", "Pandemics know no borders.", author="Jane Editor",
                      date=DATE)
    result = _imported(doc, folder, tmp_path)
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    assert "\n## 4) Health Security {#health-security}\n\nPandemics know no borders.\n" in brief
    assert ("health-security", "section added") in \
        [(c.section, c.what) for c in result.outcome.changes]
    docx, = build([str(folder)], ["docx"], build_dir=tmp_path / "rebuilt")  # read back: whole
    assert docx.is_file()


def test_editing_the_words_of_a_link_still_to_be_found_keeps_it(
        built: dict[str, Path], copy, tmp_path: Path) -> None:
    """The tester's M3: words typed with Track Changes into "domestic perception" (in the
    Link Without Target style, which the typed words take) were refused as a dropped link,
    and with --force written with a new label and a new empty definition beside the old one.
    As a link with an address does, it keeps its label."""
    folder = copy()
    definitions = "[domestic-perception]: <>"
    assert (folder / "brief.md").read_text(encoding="utf-8").count(definitions) == 1
    doc = DocxEditor(built["real"])
    doc.insert("South Korean public opinion polls", "domestic ", "public ", "Jane Editor", DATE,
               formatted=True)
    result = _imported(doc, folder, tmp_path)
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    assert "stressed the [domestic public perception][domestic-perception] of future" in brief
    assert brief.count(definitions) == 1 and "domestic-public-perception" not in brief
    assert [c.what for c in result.outcome.changes] == ["paragraph changed"]
    assert main(["check", str(folder)]) == 0


def test_a_link_given_a_new_target_is_an_edit(built: dict[str, Path], copy,
                                              tmp_path: Path) -> None:
    folder = copy()
    doc = DocxEditor(built["real"])
    rels = doc.parts["word/_rels/document.xml.rels"].decode()
    doc.parts["word/_rels/document.xml.rels"] = rels.replace(
        "https://avalon.law.yale.edu/20th_century/kor001.asp",
        "https://avalon.law.yale.edu/20th_century/kor001.htm").encode()
    import_docx(doc.save(tmp_path / "e.docx"), str(folder), build_dir=tmp_path / "b")
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    assert "The 1953 Mutual Defense [Treaty][treaty], signed" in brief
    assert "\n[treaty]: https://avalon.law.yale.edu/20th_century/kor001.htm\n" in brief
    assert "kor001.asp" not in brief


def test_dollars_typed_in_word_come_back_as_written(built: dict[str, Path], copy,
                                                    tmp_path: Path) -> None:
    folder = copy()
    doc = DocxEditor(built["real"])
    doc.replace("Regularization and expansion of US-ROK joint", "could play a role",
                "could play a $2 billion role, not \\emph{a} $1 one,")
    import_docx(doc.save(tmp_path / "e.docx"), str(folder), build_dir=tmp_path / "b")
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    assert "could play a $2 billion role, not \\emph{a} $1 one, in further" in brief

    pieces, _ = split_parts(read_brief(folder), "endnotes")  # and a reader sees just that
    assert "could play a $2 billion role, not \\emph{a} $1 one, in further" in "".join(
        pieces.values())


def test_a_bio_changed_and_extended_keeps_both(built: dict[str, Path], copy,
                                               tmp_path: Path) -> None:
    """An edited bio that also gained a paragraph is written once, with both edits, as a
    block of its paragraphs (it was one quoted line, ``"…\\n\\nShe sails."``)."""
    folder = copy(ARCTIC)
    doc = DocxEditor(built["arctic"])
    doc.replace("Ana Lindqvist is a fellow", "maritime governance", "maritime law")
    doc.add_paragraph("Ana Lindqvist is a fellow", "She sails.", style="AuthorBio")
    import_docx(doc.save(tmp_path / "e.docx"), str(folder), build_dir=tmp_path / "b")
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    assert "    bio: |\n      Ana Lindqvist is a fellow with the Polar Institute, where she " \
        "studies maritime law.\n\n      She sails.\n" in brief
    assert main(["check", str(folder)]) == 0


def test_a_deleted_break_before_a_heading_is_named_as_what_joined_it(
        built: dict[str, Path], copy, tmp_path: Path) -> None:
    """The break at the end of the paragraph before "Conclusion" deleted: accepted, the
    heading is words of that paragraph (as Word shows it), so the section goes; the
    refusal says why, and that rejecting the change in Word mends it."""
    folder = copy()
    doc = DocxEditor(built["real"])
    doc.delete_mark("political appetite and climate for bilateral", author="Jane Editor", date=DATE)
    edited = doc.save(tmp_path / "e.docx")
    before = snapshot(folder)
    with pytest.raises(BriefError) as refused:
        import_docx(edited, str(folder), build_dir=tmp_path / "b")
    assert snapshot(folder) == before
    dropped = refused.value.problems[0]
    assert dropped.message == (
        "the import would drop section 'Conclusion' (#conclusion): a tracked change takes "
        "away the paragraph break before its heading, which joins the heading to the "
        "paragraph before it")
    assert dropped.fix.startswith("reject that change in Word")
    assert "--force" in dropped.fix


def test_a_tracked_deletion_leaving_an_empty_heading_is_named_then_made(
        built: dict[str, Path], copy, tmp_path: Path) -> None:
    folder = copy()
    doc = DocxEditor(built["real"])
    doc.delete_paragraph("2) Joint US-ROK Military Training Exercises", author="Jane Editor",
                         date=DATE)
    doc.delete_paragraph("Regularization and expansion of US-ROK joint", author="Jane Editor",
                         date=DATE)
    edited = doc.save(tmp_path / "e.docx")
    with pytest.raises(BriefError) as refused:
        import_docx(edited, str(folder), build_dir=tmp_path / "b")
    assert [p.message for p in refused.value.problems] == [
        "the import would drop section '2) Joint US-ROK Military Training Exercises' "
        "(#joint-military-exercises)"]
    import_docx(edited, str(folder), force=True, build_dir=tmp_path / "b")
    brief = (folder / "brief.md").read_text(encoding="utf-8")
    assert "Joint US-ROK Military" not in brief and "Regularization" not in brief
    assert "\n## \n" not in brief and "{#section}" not in brief


@pytest.mark.parametrize(("source", "paragraph", "old", "new"), [
    (ARCTIC, "Vessel counts tell the story plainly.", "plainly", "clearly"),
    (WATER, "Where any of the three was missing", "unilateral measures", "unilateral steps")],
    ids=["no-bibliography", "bibliography"])
def test_a_project_citation_style_is_read_in_the_import(
        source: Path, paragraph: str, old: str, new: str, tmp_path: Path) -> None:
    """A project whose briefpress.yaml names its own style (``csl: styles/csl/house.csl``):
    the import reads the result and the base in a copy of the project that has that style
    too (every import was refused: "`csl: …` is no file in the project's styles/csl/")."""
    (tmp_path / "styles" / "csl").mkdir(parents=True)
    shutil.copyfile(WATER.parent / "author-date.csl", tmp_path / "styles" / "csl" / "house.csl")
    (tmp_path / "briefpress.yaml").write_text("csl: styles/csl/house.csl\n", encoding="utf-8")
    folder = tmp_path / "content" / source.name
    shutil.copytree(source, folder)
    built_docx, = build([str(folder)], ["docx"], build_dir=tmp_path / "build")
    doc = DocxEditor(built_docx)
    doc.replace(paragraph, old, new)
    result = import_docx(doc.save(tmp_path / "edited.docx"), str(folder),
                         build_dir=tmp_path / "build")
    assert [c.what for c in result.outcome.changes] == ["paragraph changed"]
    assert paragraph.replace(old, new) in (folder / "brief.md").read_text(encoding="utf-8")


CODE_SPAN = ("Vessel counts, matched by `grep ^[0-9]` on the logs,[^code] tell the story "
             "plainly.^[Logs of the route administrations.]")
ESCAPED = ("Vessel counts, logged under C:\\\\^[A drive of the route offices.] by year,[^code] "
           "tell the story plainly.^[Logs of the route administrations.]")


@pytest.mark.parametrize("paragraph", [CODE_SPAN, ESCAPED], ids=["code-span", "escaped"])
def test_a_caret_in_a_code_span_leaves_the_notes_of_its_paragraph_as_they_are(
        paragraph: str, copy, tmp_path: Path) -> None:
    """A paragraph whose code span holds ``^[`` calls a labelled note, then an inline one:
    one word retyped in Word changes that word only, both notes as they were (the code
    span's ``^[`` was counted as an inline note: the labelled note became inline and the
    inline note's text was lost). So too a paragraph with an inline note after an escaped
    backslash (``\\\\^[…]``), which was not counted."""
    folder = copy(ARCTIC)
    source = folder / "brief.md"
    text = source.read_text(encoding="utf-8").replace("Vessel counts tell the story plainly.",
                                                      paragraph, 1)
    doc = _built_with(folder, text, tmp_path)
    doc.replace("Vessel counts, ", "plainly", "clearly")
    result = _imported(doc, folder, tmp_path)
    assert source.read_text(encoding="utf-8") == text.replace("the story plainly.^[",
                                                              "the story clearly.^[")
    assert [c.what for c in result.outcome.changes] == ["paragraph changed"]


def test_a_labelled_note_after_a_code_span_with_a_caret_changes_only_its_definition(
        copy, tmp_path: Path) -> None:
    """The text of a labelled note retyped in Word, in a paragraph whose code span holds
    ``^[`` and which calls an inline note too: its definition changes, the paragraph's line
    stays as written (the code span's ``^[`` made the labelled note count as inline, its
    text the paragraph's own: the paragraph was rewritten)."""
    folder = copy(ARCTIC)
    source = folder / "brief.md"
    text = source.read_text(encoding="utf-8").replace(
        "Vessel counts tell the story plainly.", CODE_SPAN.replace("[^code]", "[^vessels]"),
        1).replace("[^transits]: ", "[^vessels]: Counted from the port logs.\n[^transits]: ", 1)
    doc = _built_with(folder, text, tmp_path)
    doc.replace_in_part("word/footnotes.xml", "the port logs", "the harbour logs")
    result = _imported(doc, folder, tmp_path)
    assert source.read_text(encoding="utf-8") == text.replace("the port logs",
                                                              "the harbour logs")
    assert [c.what for c in result.outcome.changes] == ["note [^vessels] changed"]


CODE_CALL = "Vessel counts, tagged `[^code]` in the logs, tell the story plainly."
"""A paragraph whose code span holds a note call's brackets: it calls no note."""


def _with_code_call(folder: Path, tmp_path: Path) -> tuple[str, DocxEditor]:
    """The arctic brief in ``folder`` with CODE_CALL for its paragraph "Vessel counts…",
    built: its brief.md's text, and an editor of its Word file."""
    text = (folder / "brief.md").read_text(encoding="utf-8").replace(
        "Vessel counts tell the story plainly.", CODE_CALL, 1)
    return text, _built_with(folder, text, tmp_path)


def _built_with(folder: Path, text: str, tmp_path: Path) -> DocxEditor:
    """The brief in ``folder`` with ``text`` for its brief.md, built: an editor of its Word
    file."""
    (folder / "brief.md").write_text(text, encoding="utf-8")
    built_docx, = build([str(folder)], ["docx"], build_dir=tmp_path / "out")
    return DocxEditor(built_docx)


def _imported(doc: DocxEditor, folder: Path, tmp_path: Path) -> ImportResult:
    """The Word file as ``doc`` edited it, imported into the brief in ``folder``."""
    return import_docx(doc.save(tmp_path / "edited.docx"), str(folder),
                       build_dir=tmp_path / "b")


def test_a_deleted_paragraph_takes_its_notes_definition_though_a_code_span_shows_its_call(
        copy, tmp_path: Path) -> None:
    """The one paragraph calling ``[^code]`` deleted in Word, another showing `` `[^code]` ``
    in a code span: the note's definition goes with the paragraph (the code span's text was
    counted as a second call, and the definition stayed, called by nothing)."""
    folder = copy(ARCTIC)
    source = folder / "brief.md"
    _, doc = _with_code_call(folder, tmp_path)
    doc.remove_paragraph("The Polar Code sets a floor")
    result = _imported(doc, folder, tmp_path)
    after = source.read_text(encoding="utf-8")
    assert "The Polar Code sets a floor" not in after
    assert "[^code]:" not in after and CODE_CALL in after
    assert [c.what for c in result.outcome.changes] == ["paragraph deleted"]
    assert main(["check", str(folder)]) == 0


def test_a_note_retyped_in_word_is_listed_once_not_under_a_code_span_showing_its_call(
        copy, tmp_path: Path) -> None:
    """A paragraph showing `` `[^code]` `` in a code span retyped, and the text of the note
    ``[^code]`` (called in another paragraph) retyped: the note's change is listed once, in
    the section of the paragraph that calls it (the code span's paragraph listed it too)."""
    folder = copy(ARCTIC)
    source = folder / "brief.md"
    text, doc = _with_code_call(folder, tmp_path)
    doc.replace("Vessel counts, tagged", "plainly", "clearly")
    doc.replace_in_part("word/footnotes.xml", "in force since 2017", "in force since 2017, "
                        "amended since")
    result = _imported(doc, folder, tmp_path)
    assert source.read_text(encoding="utf-8") == text.replace(
        "the story plainly.", "the story clearly.").replace(
        "in force since 2017.", "in force since 2017, amended since.")
    assert [(c.section, c.what) for c in result.outcome.changes] == [
        ("traffic", "paragraph changed"), ("what-should-change", "note [^code] changed")]


def _edited_in_project(project: Path, tmp_path: Path, front: str = "") -> None:
    """The arctic brief in ``project`` (``front`` added to its front matter), built, one
    word retyped in Word and imported: that one change, made."""
    folder = project / "content" / ARCTIC.name
    shutil.copytree(ARCTIC, folder)
    source = folder / "brief.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "type: policy-brief\n", f"type: policy-brief\n{front}", 1), encoding="utf-8")
    built_docx, = build([str(folder)], ["docx"], build_dir=tmp_path / "build")
    doc = DocxEditor(built_docx)
    doc.replace("Vessel counts tell the story plainly.", "plainly", "clearly")
    result = import_docx(doc.save(tmp_path / "edited.docx"), str(folder),
                         build_dir=tmp_path / "build")
    assert [c.what for c in result.outcome.changes] == ["paragraph changed"]
    assert "Vessel counts tell the story clearly." in source.read_text(encoding="utf-8")


def test_a_project_style_folder_linked_from_outside_the_project_is_read_in_the_import(
        tmp_path: Path) -> None:
    """``styles/csl`` a symbolic link to a folder of styles outside the project: builds
    read it, and so does the import's copy of the project (every import stopped with a
    traceback: the style's resolved path is not in the project)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copyfile(WATER.parent / "author-date.csl", shared / "house.csl")
    project = tmp_path / "proj"
    (project / "styles").mkdir(parents=True)
    (project / "styles" / "csl").symlink_to(shared, target_is_directory=True)
    (project / "briefpress.yaml").write_text("csl: styles/csl/house.csl\n", encoding="utf-8")
    _edited_in_project(project, tmp_path)


def test_a_brand_folder_linked_from_outside_the_project_is_read_in_the_import(
        tmp_path: Path) -> None:
    """A brand the brief names, its folder a symbolic link to one shared by projects: the
    import reads the base and the result beside a copy of that brand's files (copies, never
    links into the project)."""
    shared = tmp_path / "shared" / "tidewater"
    shutil.copytree(WORD.parents[1] / "brands" / "tidewater", shared)
    project = tmp_path / "proj"
    (project / "brands").mkdir(parents=True)
    (project / "brands" / "tidewater").symlink_to(shared, target_is_directory=True)
    _edited_in_project(project, tmp_path, front="brand: tidewater\n")


# -- the series of a brief -----------------------------------------------------------------

def test_a_series_edited_or_deleted_in_word_lands_in_the_front_matter(
        copy, tmp_path: Path, series: dict[str, Path], resaved: dict[str, Path]) -> None:
    """The series is its own paragraph (style "Series") of the title block: unedited, and
    after LibreOffice saved it, it is no change; retyped, it is the front matter's new value;
    deleted, the key goes."""
    folder = with_series(copy(ARCTIC))
    brief_md = folder / "brief.md"
    assert brief_md.read_bytes() == (series["folder"] / "brief.md").read_bytes()
    docx_file = series["docx"]
    before = snapshot(folder)
    for unedited in (docx_file, resaved["series"]):
        assert import_docx(unedited, str(folder), build_dir=tmp_path / "b").unchanged
        assert snapshot(folder) == before

    doc = DocxEditor(docx_file)
    assert doc.paragraph("High North").find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) \
        == "Series"
    doc.replace("High North", "High North", "High North Papers")
    result = import_docx(doc.save(tmp_path / "retyped.docx"), str(folder),
                         build_dir=tmp_path / "b")
    assert 'series: "High North Papers"\n' in brief_md.read_text(encoding="utf-8")
    assert [(c.what, c.before, c.after) for c in result.outcome.changes] == [
        ("series changed", "High North", "High North Papers")]

    docx_file, = build([str(folder)], ["docx"], build_dir=tmp_path / "b")
    doc = DocxEditor(docx_file)
    doc.remove_paragraph("High North Papers")
    result = import_docx(doc.save(tmp_path / "deleted.docx"), str(folder),
                         build_dir=tmp_path / "b")
    assert "series:" not in brief_md.read_text(encoding="utf-8")
    assert [c.what for c in result.outcome.changes] == ["series deleted"]


def test_the_pipeline_after_the_reads_is_not_imported_before_them() -> None:
    """`briefpress import` starts its two pandoc reads with what they need; the pipeline
    (alignment, splicing, merging, the guard and the checks) is imported while they run,
    the foreign-file import only for a file briefpress did not make."""
    code = ("import sys\nimport briefpress.cli, briefpress.importer\n"
            "print(sorted(m for m in sys.modules if m.startswith(('briefpress.check',"
            " 'briefpress.importer.pipeline', 'briefpress.importer.foreign',"
            " 'briefpress.render.docx_ast', 'importlib.metadata'))))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip() == "[]"


LISTS = """Three lines of action follow:

1. common safety standards;
2. shared search-and-rescue capacity;
3. an insurance regime that prices risk honestly.

Some bullets:

- first bullet item;
- second bullet item, with
  a continuation line;
- third bullet item.

Nested and loose:

* outer one

  its second paragraph here.

* outer two
    + inner alpha
    + inner beta

* outer three

Counted the same:

1) alpha item
1) beta item
"""


def test_an_edited_list_keeps_the_sources_markers_and_its_other_items_lines(
        copy, tmp_path: Path) -> None:
    """One word retyped in an item of each list (a nested item, an item's second
    paragraph) and an item added: only those items' lines change, in the source's style
    (``2. item``, ``1)`` on every item, ``*`` and ``+`` four columns in), not pandoc's
    (``2.  item``, ``-``); the wrapped item the edit left as it was keeps its two lines."""
    folder = copy(ARCTIC)
    text = (folder / "brief.md").read_text(encoding="utf-8").replace(
        "Vessel counts tell the story plainly.\n",
        f"Vessel counts tell the story plainly.\n\n{LISTS}", 1)
    doc = _built_with(folder, text, tmp_path)
    doc.replace("shared search-and-rescue capacity;", "shared", "joint")
    doc.replace("third bullet item.", "third", "last")
    doc.replace("inner beta", "beta", "gamma")
    doc.replace("its second paragraph here.", "second", "other")
    item = doc.paragraph("beta item")
    added = copy_element(item)
    for run in added.iter(w("t")):
        run.text = run.text.replace("beta", "delta")
    item.addnext(added)
    _imported(doc, folder, tmp_path)
    after = (folder / "brief.md").read_text(encoding="utf-8")
    assert after == text.replace("2. shared", "2. joint").replace(
        "- third bullet", "- last bullet").replace("+ inner beta", "+ inner gamma").replace(
        "its second paragraph", "its other paragraph").replace(
        "1) beta item\n", "1) beta item\n1) delta item\n")
    assert main(["check", str(folder)]) == 0


def test_an_edited_table_keeps_its_unpadded_rows_and_lays_out_its_new_ones_like_them(
        copy, tmp_path: Path) -> None:
    """The arctic brief's pipe table writes its rows unpadded (``| 2021 | 27 | 9 |``). One
    cell retyped in Word, a row added under it and another deleted: the edited and the new
    row are written as the source writes its rows, not padded to pandoc's columns (which
    mixed two styles in one table); the header, the dashes (``|-----:|``) and the other
    rows keep their lines, and the table is the one Word has."""
    folder = copy(ARCTIC)
    text = (folder / "brief.md").read_text(encoding="utf-8")
    doc = _built_with(folder, text, tmp_path)

    def cell(words: str) -> Any:
        """The paragraph of the one table cell that reads ``words``."""
        found, = [p for p in doc.doc.iter(w("p")) if doc.text(p) == words]
        return found

    cell("27").find(f"{w('r')}/{w('t')}").text = "28"
    row = cell("2021").getparent().getparent()
    added = copy_element(row)
    for run, new in zip(added.iter(w("t")), ["2022", "41", "12"], strict=True):
        run.text = new
    row.addnext(added)
    gone = cell("2019").getparent().getparent()
    gone.getparent().remove(gone)
    result = _imported(doc, folder, tmp_path)
    assert (folder / "brief.md").read_text(encoding="utf-8") == text.replace(
        "| 2019 | 12 | 3 |\n| 2021 | 27 | 9 |\n", "| 2021 | 28 | 9 |\n| 2022 | 41 | 12 |\n")
    assert [c.what for c in result.outcome.changes] == ["table changed"]
    assert main(["check", str(folder)]) == 0


def _arctic_with_links_and_code(folder: Path) -> str:
    """The arctic brief's text with an inline link, a note of two paragraphs holding an
    inline link, and a code block fenced with four tildes and a class."""
    return (folder / "brief.md").read_text(encoding="utf-8").replace(
        "Insurers should share loss data", "Insurers should share [loss data]"
        "(https://example.org/data)", 1).replace(
        "in force since 2017.", "in force since 2017. See [the IMO page]"
        "(https://www.imo.org/polar).\n\n    A second paragraph of the note.\n", 1).replace(
        "cover the distances involved.\n", "cover the distances involved.\n\n"
        "~~~~ {.text}\nPOSITION 71N 168W\n  SPEED 12 KN\n~~~~\n", 1)


def test_inline_links_code_fences_and_a_notes_blank_lines_come_back_as_written(
        copy, tmp_path: Path) -> None:
    """A word retyped before an inline link and its address changed, a word of a note
    holding an inline link, a number in a fenced code block: only those lines change. The
    links stay inline (they came back as `[loss data][loss-data]` with a definition added at
    the end), the note's blank line stays empty (it was four spaces), the code keeps its
    fence (it came back indented)."""
    folder = copy(ARCTIC)
    source = folder / "brief.md"
    text = _arctic_with_links_and_code(folder)
    doc = _built_with(folder, text, tmp_path)
    doc.replace("Insurers should share", "share", "pool")
    rels = doc.parts["word/_rels/document.xml.rels"].decode()
    doc.parts["word/_rels/document.xml.rels"] = rels.replace(
        "https://example.org/data", "https://example.org/loss-data").encode()
    doc.replace_in_part("word/footnotes.xml", "in force since 2017", "in force since 1 "
                        "January 2017")
    doc.replace("SPEED 12 KN", "12", "14")
    _imported(doc, folder, tmp_path)
    assert source.read_text(encoding="utf-8") == text.replace(
        "share [loss data](https://example.org/data)",
        "pool [loss data](https://example.org/loss-data)").replace(
        "since 2017.", "since 1 January 2017.").replace("SPEED 12 KN", "SPEED 14 KN")
    assert main(["check", str(folder)]) == 0


def test_a_figures_caption_deleted_leaves_its_image_with_the_figures_id(
        built: dict[str, Path], copy, tmp_path: Path) -> None:
    """The caption's paragraph deleted in Word: the figure's id stays, on its image, and
    its description (the caption's words, which Word keeps) becomes its ``alt``; a notice
    says it is numbered no more. The id was lost and the caption's words stayed the
    image's, which pandoc shows as the caption again."""
    folder = copy(ARCTIC)
    doc = DocxEditor(built["arctic"])
    doc.remove_paragraph("Transits through the Northern Sea Route")
    result = _imported(doc, folder, tmp_path)
    after = (folder / "brief.md").read_text(encoding="utf-8")
    assert '\n![](transits.png){#fig-transits alt="Transits through the Northern Sea Route, ' \
        '2019–2023 (illustrative)." width="80%"}\n' in after
    assert any("caption of figure #fig-transits was deleted" in notice
               for notice in result.outcome.notices)
    assert main(["check", str(folder)]) == 0


def test_a_figures_caption_deleted_is_refused_when_a_reference_points_to_it(
        copy, tmp_path: Path) -> None:
    """Without a caption, a figure is an image to pandoc, numbered no more: ``@fig-x`` would
    point to nothing."""
    folder = copy(ARCTIC)
    text = (folder / "brief.md").read_text(encoding="utf-8").replace(
        "Insurers should share loss data", "As @fig-transits shows, insurers should share "
        "loss data", 1)
    doc = _built_with(folder, text, tmp_path)
    doc.remove_paragraph("Transits through the Northern Sea Route")
    with pytest.raises(BriefError) as raised:
        _imported(doc, folder, tmp_path)
    assert any("deletes the caption of figure #fig-transits, which @fig-transits refers to"
               in p.message for p in raised.value.problems)
    assert (folder / "brief.md").read_text(encoding="utf-8") == text


def test_a_tracked_edit_in_a_code_block_lands_in_the_source(copy, tmp_path: Path) -> None:
    """``72N`` retyped ``73N`` in a code block with Track Changes on (as the Word edition
    opens): the editor's words arrive (pandoc's reader dropped a tracked change's runs in a
    Source Code paragraph, and the import wrote ``POSITION  170W``)."""
    folder = copy(ARCTIC.parent / "arctic-constructs")
    doc = _built_with(folder, (folder / "brief.md").read_text(encoding="utf-8"), tmp_path)
    doc.insert("POSITION 72N", "POSITION ", "73N", author="Jane Editor", date=DATE)
    doc.delete("POSITION 73N", "72N", author="Jane Editor", date=DATE)
    result = import_docx(doc.save(tmp_path / "e.docx"), str(folder), build_dir=tmp_path / "b")
    text = (folder / "brief.md").read_text(encoding="utf-8")
    assert "POSITION 73N 170W" in text and "72N" not in text
    assert "POSITION 71N 168W\n  SPEED 12 KN" in text
    assert [c.what for c in result.outcome.changes] == ["paragraph changed"]


@pytest.mark.parametrize(("old", "new"), [
    ("in force since 2017", "in force since 1 January 2017"),  # the long note's first line
    ("A third paragraph.", "A third paragraph, retyped."),  # its last, right above [^ports]
    ("Port costs are shared unevenly.", "Port costs are shared very unevenly."),  # [^ports]
])
def test_an_edit_of_a_note_right_above_another_definition_changes_that_note_only(
        old: str, new: str, copy, tmp_path: Path) -> None:
    """The arctic brief ends with a three-paragraph note ``[^code]`` and, on the very next
    line, ``[^ports]``: an edit of either note is that edit only (an edit of ``[^code]``
    deleted the definition of ``[^ports]``; one of ``[^ports]`` was dropped as no change)."""
    folder = copy(CONSTRUCTS)
    source = folder / "brief.md"
    text = source.read_text(encoding="utf-8")
    doc = DocxEditor(build([str(folder)], ["docx"], build_dir=tmp_path / "out")[0])
    doc.replace_in_part("word/footnotes.xml", old, new)
    result = _imported(doc, folder, tmp_path)
    after = source.read_text(encoding="utf-8")
    if "Port costs" in old:
        assert after == text.replace(old, new, 1)
    else:
        # (the note's own link may be written in another form: only its lines change)
        head = text.partition("\n[^code]: ")[0]
        assert after.startswith(head + "\n[^code]: ") and new in after
        third = new if "third" in new else "A third paragraph."
        assert f"\n    {third}\n[^ports]: Port costs are shared unevenly.\n" in after
    label = "ports" if "Port costs" in old else "code"
    assert [c.what for c in result.outcome.changes] == [f"note [^{label}] changed"]


@pytest.fixture(scope="module")
def constructs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Word file of the brief of every construct."""
    built_docx, = build([str(CONSTRUCTS)], ["docx"],
                        build_dir=tmp_path_factory.mktemp("constructs"))
    return built_docx


def test_the_first_of_two_quotations_deleted_and_the_second_edited_are_reported_so(
        copy, tmp_path: Path) -> None:
    """Two quotations one after the other (one in Word), the first deleted and the second
    edited: the report names the first deleted and the second changed (the edited
    quotation was paired with the first, alike enough: the report said the first changed
    into the second's words, and the second deleted)."""
    folder = copy(ARCTIC)
    source = folder / "brief.md"
    counts = "Vessel counts tell the story plainly."
    edit(source, counts, f"{counts}\n\n> A quotation.\n\n> Another quotation right after.")
    text = source.read_text(encoding="utf-8")
    built, = build([str(folder)], ["docx"], build_dir=tmp_path / "built")
    doc = DocxEditor(built)
    doc.remove_paragraph("A quotation.")
    doc.replace("Another quotation right after", "right after", "just after")
    result = _imported(doc, folder, tmp_path)
    assert source.read_text(encoding="utf-8") == text.replace(
        "> A quotation.\n\n> Another quotation right after.", "> Another quotation just after.")
    assert [(c.what, c.before, c.after) for c in result.outcome.changes] == [
        ("paragraph deleted", "A quotation.", ""),
        ("paragraph changed", "Another quotation right after.",
         "Another quotation just after.")]


@pytest.mark.parametrize(("containing", "old", "new"), [
    # two quotations one after the other (one in Word), and two lists apart only by an
    # HTML comment (one list in Word): each edit inside lands in its own block
    ("A second paragraph of the quotation", "in code.", "in code form."),
    ("Another quotation, right after", "right after", "just after"),
    ("then crews.", "then crews", "then the crews"),
    ("Data last.", "Data last", "Data at last"),
    # a definition list, lists of three kinds one after the other, and the paragraph
    # between them (each refused: "cannot tell its blocks apart")
    ("An icebreaker leading", "leading a convoy", "leading a convoy of ships"),
    ("Marks used in older notices", "older notices", "old notices"),
    ("in their turn", "in their turn", "in due turn"),
    ("the last kind", "the last kind", "the final kind"),
])
def test_an_edit_among_constructs_word_joins_or_a_definition_list_is_that_edit_only(
        containing: str, old: str, new: str, constructs: Path, copy, tmp_path: Path) -> None:
    folder = copy(CONSTRUCTS)
    source = folder / "brief.md"
    text = source.read_text(encoding="utf-8")
    doc = DocxEditor(constructs)
    doc.replace(containing, old, new)
    result = _imported(doc, folder, tmp_path)
    assert source.read_text(encoding="utf-8") == text.replace(old, new, 1)
    assert len(result.outcome.changes) == 1


RUSSELL = ("- alpha item one, as argued by\nB. Russell in 1912\n- beta item two\n"
           "- delta item four\n\nA paragraph after the list.\n\n> One quotation.\n\n"
           "> Another quotation.")


def test_an_item_wrapped_before_an_initial_is_edited_in_place(copy, tmp_path: Path) -> None:
    """A bullet item wrapped so that a line opens ``B. Russell`` (one space: no item to
    pandoc), then a paragraph and two quotations: an item retyped in Word lands on its
    line (the map read four items, and the import refused the section at its end)."""
    folder = copy(ARCTIC)
    source = folder / "brief.md"
    text = source.read_text(encoding="utf-8").replace(
        "Vessel counts tell the story plainly.",
        f"Vessel counts tell the story plainly.\n\n{RUSSELL}", 1)
    doc = _built_with(folder, text, tmp_path)
    doc.replace("beta item two", "two", "two, revised")
    result = _imported(doc, folder, tmp_path)
    assert source.read_text(encoding="utf-8") == text.replace("- beta item two\n",
                                                              "- beta item two, revised\n")
    assert [c.what for c in result.outcome.changes] == ["list changed"]


def test_an_import_into_a_brief_named_by_its_folder_uses_that_project_s_build_folder(
        built: dict[str, Path], copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Run from another project, `import --brief path/to/content/SLUG` locks (and checks
    against) the build folder of the brief's own project, as check and build given the
    path do, not the working directory's; the review report is that project's too."""
    folder = copy()
    other = tmp_path / "other"
    (other / "content").mkdir(parents=True)
    monkeypatch.chdir(other)
    edited = session(built["real"], tmp_path / "edited.docx")
    assert main(["import", str(edited), "--brief", str(folder)]) == 0, capsys.readouterr().err
    assert (tmp_path / "build" / folder.name / ".lock").is_file()
    assert (tmp_path / ".briefpress" / "reviews" / f"{folder.name}.md").is_file()
    assert not (other / "build").exists() and not (other / ".briefpress").exists()
