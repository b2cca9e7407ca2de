"""Citations found again by the bookmark each carries in the Word file: an editor who adds,
deletes or moves other footnotes around a citation, or edits its text, gets the source's
``[@key]`` back (and a report of the edit), where matching by place took the wrong note."""

from __future__ import annotations

import copy
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from tests.conftest import WATER

from briefpress.build import build
from briefpress.errors import BriefError
from briefpress.importer import import_docx
from briefpress.importer.citations import mark, restore_citations
from briefpress.model import blocks
from briefpress.support.backup import review_file
from docxedit import edited_parts
from office import soffice_convert_many

from .conftest import water_in_text

pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CITED = "renegotiated less often [@mccaffrey2019, 110]."
COMMISSION = "A commission that meets between crises, with its own secretariat."
TREATIES = "Treaties with a drought clause were renegotiated less often."
TWO = "[@mccaffrey2019, 110; @wolf2017]"
"""Two works cited: the Sources list has an entry each, a paragraph each in Word."""
WRAPPED = ("and a standing commission.[^commissions] Treaties with a drought clause were\n"
           "renegotiated less often, as the [Helsinki Rules] advise [@mccaffrey2019, 110].")
"""The cited paragraph wrapped over two lines, with a shortcut link, a note and a citation."""
THREE = "Three features recur in the agreements of @tbl-agreements that survived a drought"

Roots = dict[str, Any]
"""``document`` and ``footnotes``: the parts an edit changes, as lxml elements."""


def _run_with(root: Any, text: str) -> Any:
    return next(t.getparent() for t in root.iter(f"{W}t") if t.text and text in t.text)


def _note_id(roots: Roots, text: str) -> str:
    note = next(n for n in roots["footnotes"].iter(f"{W}footnote")
                if text in "".join(n.itertext()))
    return note.get(f"{W}id")


def _reference(roots: Roots, ident: str) -> Any:
    """The run of the footnote reference ``ident`` in the body."""
    return next(r.getparent() for r in roots["document"].iter(f"{W}footnoteReference")
                if r.get(f"{W}id") == ident)


def delete_other_note(roots: Roots) -> None:
    """The editor deletes the footnote before the citation, in the same paragraph."""
    ident = _note_id(roots, COMMISSION)
    run = _reference(roots, ident)
    run.getparent().remove(run)
    note = next(n for n in roots["footnotes"].iter(f"{W}footnote") if n.get(f"{W}id") == ident)
    note.getparent().remove(note)


def insert_note(roots: Roots) -> None:
    """The editor puts a new footnote after "Treaties", before the citation's."""
    old = _note_id(roots, COMMISSION)
    note = copy.deepcopy(next(n for n in roots["footnotes"].iter(f"{W}footnote")
                              if n.get(f"{W}id") == old))
    note.set(f"{W}id", "90")
    _run_with(note, COMMISSION).find(f"{W}t").text = "Bilateral treaties only."
    roots["footnotes"].append(note)
    words = _run_with(roots["document"], TREATIES)
    rest = copy.deepcopy(words)
    words.find(f"{W}t").text = "Treaties"
    rest.find(f"{W}t").text = TREATIES.removeprefix("Treaties")
    reference = copy.deepcopy(_reference(roots, old))
    reference.find(f"{W}footnoteReference").set(f"{W}id", "90")
    words.addnext(reference)
    reference.addnext(rest)


def move_sentence(roots: Roots) -> None:
    """The editor moves the cited sentence to the start of its paragraph."""
    words = _run_with(roots["document"], TREATIES)
    citation = words.getnext()
    paragraph = words.getparent()
    space = copy.deepcopy(words)
    space.find(f"{W}t").text = " "
    start = paragraph.index(paragraph.find(f"{W}pPr")) + 1
    for offset, run in enumerate((words, citation, space)):
        paragraph.insert(start + offset, run)


def edit_citation(roots: Roots) -> None:
    """The editor changes the page in the citation's footnote."""
    text = next(t for t in roots["footnotes"].iter(f"{W}t") if t.text and "(2019): 110" in t.text)
    text.text = text.text.replace("(2019): 110", "(2019): 111")


def _import(docx: Path, folder: Path, tmp_path: Path) -> tuple[str, str]:
    """brief.md after importing ``docx``, and review.md."""
    import_docx(docx, str(folder), build_dir=tmp_path / "build")
    review = review_file(folder)
    return ((folder / "brief.md").read_text(encoding="utf-8"),
            review.read_text(encoding="utf-8") if review.is_file() else "")


# -- the Word files: each variant of the brief built once, and copied for each test -------

def _cite_two(folder: Path) -> Path:
    """``folder``'s brief citing a second work beside the first (two entries in Sources)."""
    brief = folder / "brief.md"
    text = brief.read_text(encoding="utf-8")
    assert "[@mccaffrey2019, 110]" in text
    brief.write_text(text.replace("[@mccaffrey2019, 110]", TWO), encoding="utf-8")
    return folder


def _wrap(folder: Path) -> Path:
    """``folder``'s brief with its cited paragraph wrapped and linking with a shortcut
    reference."""
    brief = folder / "brief.md"
    text = brief.read_text(encoding="utf-8")
    old = ("and a standing commission.[^commissions] Treaties with a drought clause were "
           "renegotiated less often [@mccaffrey2019, 110].")
    assert old in text
    brief.write_text(text.replace(old, WRAPPED) + "\n[Helsinki Rules]: https://example.org/"
                     "helsinki\n", encoding="utf-8")
    return folder


def _notes(content: Path) -> Path:
    """The water-security brief copied under ``content`` (its default note style)."""
    folder = content / WATER.name
    shutil.copytree(WATER, folder)
    return folder


VARIANTS: dict[str, Callable[[Path], Path]] = {
    "notes": _notes,
    "in-text": water_in_text,
    "two-notes": lambda content: _cite_two(_notes(content)),
    "two-in-text": lambda content: _cite_two(water_in_text(content)),
    "wrapped-notes": lambda content: _wrap(_notes(content)),
    "wrapped-in-text": lambda content: _wrap(water_in_text(content)),
}
"""The briefs the tests import into, each made in ``content`` by its function: its folder."""


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each variant's project (``content/water-security`` and ``build/``, its Word edition
    built), built once for the module: a test works on a copy (:func:`_copy`)."""
    roots = {}
    for name, make in VARIANTS.items():
        root = roots[name] = tmp_path_factory.mktemp(name)
        build([str(make(root / "content"))], ["docx"], build_dir=root / "build")
    return roots


def _copy(made: dict[str, Path], name: str, tmp_path: Path) -> tuple[Path, Path]:
    """The project of variant ``name`` copied into ``tmp_path``, where a test built it
    before: (its folder, its Word file). The build is byte for byte the same wherever the
    folder stands (test_the_word_file_is_the_same_bytes_when_built_again)."""
    shutil.copytree(made[name], tmp_path, dirs_exist_ok=True)
    return (tmp_path / "content" / WATER.name,
            tmp_path / "build" / WATER.name / f"{WATER.name}.docx")


@pytest.fixture(scope="module")
def resaved(made: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Path]:
    """The Word files of the variants the LibreOffice tests import, as LibreOffice saves
    them again: in one start of LibreOffice (which costs more than the saves)."""
    out = tmp_path_factory.mktemp("resaved")
    named = []  # soffice names each result by its source: one name each
    for name in ("notes", "in-text", "two-notes", "two-in-text"):
        named.append(out / "in" / f"{name}.docx")
        named[-1].parent.mkdir(exist_ok=True)
        shutil.copyfile(made[name] / "build" / WATER.name / f"{WATER.name}.docx", named[-1])
    saved = soffice_convert_many(named, "docx", out / "lo", out / "profile")
    return {path.stem: result for path, result in zip(named, saved, strict=True)}


@pytest.fixture
def word_file(made: dict[str, Path], tmp_path: Path) -> tuple[Path, Path]:
    """The water-security brief (citations, notes, cross-references) copied and its Word
    edition built: (its folder, the .docx). (The module's own: a copy of one build.)"""
    return _copy(made, "notes", tmp_path)


def test_an_untouched_file_has_a_mark_in_its_citations_footnote(
        word_file: tuple[Path, Path]) -> None:
    _folder, built_docx = word_file
    with zipfile.ZipFile(built_docx) as package:
        notes = etree.fromstring(package.read("word/footnotes.xml"))
        body = etree.fromstring(package.read("word/document.xml"))
    marked = [n for n in notes.iter(f"{W}footnote")
              if any(b.get(f"{W}name") == "bpcite0" for b in n.iter(f"{W}bookmarkStart"))]
    assert len(marked) == 1 and "McCaffrey" in "".join(marked[0].itertext())
    assert not [b for b in body.iter(f"{W}bookmarkStart")
                if b.get(f"{W}name", "").startswith("bpcite")]


def test_the_word_file_is_the_same_bytes_when_built_again(
        word_file: tuple[Path, Path], tmp_path: Path) -> None:
    folder, built_docx = word_file
    again, = build([str(folder)], ["docx"], build_dir=tmp_path / "again")
    assert again.read_bytes() == built_docx.read_bytes()


@pytest.mark.parametrize("change", [delete_other_note, insert_note, move_sentence])
def test_a_citation_keeps_its_key_when_other_footnotes_change_around_it(
        change: Callable[[Roots], None], word_file: tuple[Path, Path], tmp_path: Path) -> None:
    folder, built_docx = word_file
    brief, review = _import(edited_parts(built_docx, tmp_path / "edited.docx", change), folder,
                            tmp_path)
    assert brief.count("[@mccaffrey2019, 110]") == 1, brief
    assert "McCaffrey" not in brief and "bpcite" not in brief and "]{" not in brief
    assert "the text of the citation" not in review


def test_a_citations_edited_text_is_reported_when_another_footnote_goes(
        word_file: tuple[Path, Path], tmp_path: Path) -> None:
    """Deleting the note before it and editing the citation's page: by place, the edited
    note was taken for the deleted one (``[^commissions]``), and the citation was lost."""
    folder, built_docx = word_file
    before = (folder / "brief.md").read_text(encoding="utf-8")

    def both(roots: Roots) -> None:
        delete_other_note(roots)
        edit_citation(roots)

    brief, review = _import(edited_parts(built_docx, tmp_path / "edited.docx", both), folder,
                            tmp_path)
    # the deleted note's definition goes with it
    assert brief == before.replace(" and a standing commission.[^commissions] ",
                                   " and a standing commission. ").replace(
        "[^commissions]: A commission that meets between crises, with its own secretariat.\n",
        ""), brief
    assert "the text of the citation [@mccaffrey2019] was edited in Word" in review
    assert "(2019): 111." in review


def test_a_citations_edited_text_is_reported_when_a_footnote_is_added_before_it(
        word_file: tuple[Path, Path], tmp_path: Path) -> None:
    """A new note before the citation and its page edited: by place, the edited citation
    matched nothing and became a footnote of its own in the source."""
    folder, built_docx = word_file

    def both(roots: Roots) -> None:
        insert_note(roots)
        edit_citation(roots)

    brief, review = _import(edited_parts(built_docx, tmp_path / "edited.docx", both), folder,
                            tmp_path)
    line = next(x for x in brief.splitlines() if x.startswith("Three features"))
    # the brief names its notes: the new one is named from its words
    assert line.endswith(" commission.[^commissions] Treaties[^bilateral-treaties-only] with "
                         "a drought clause were renegotiated less often [@mccaffrey2019, "
                         "110]."), line
    assert "[^bilateral-treaties-only]: Bilateral treaties only." in brief
    assert "McCaffrey" not in brief
    assert "the text of the citation [@mccaffrey2019] was edited in Word" in review


@pytest.mark.libreoffice
def test_the_marks_survive_libreoffice_and_still_find_the_citation(
        word_file: tuple[Path, Path], resaved: dict[str, Path], tmp_path: Path) -> None:
    """LibreOffice renames the bookmark (``bpcite0_Copy_1``) at each save; the number holds.
    (That the re-saved file alone imports as no change: tests/end_to_end/test_citations.py.)"""
    folder, _built_docx = word_file
    brief, _review = _import(edited_parts(resaved["notes"], tmp_path / "edited.docx",
                                          move_sentence), folder, tmp_path)
    assert brief.count("[@mccaffrey2019, 110]") == 1 and "McCaffrey" not in brief, brief


# -- an in-text style: the mark spans the phrase "(McCaffrey 2019, 110)" in the body --------

PHRASE = "(McCaffrey 2019, 110)"


@pytest.fixture
def in_text(made: dict[str, Path], tmp_path: Path) -> tuple[Path, Path]:
    return _copy(made, "in-text", tmp_path)


def _replace(old: str, new: str) -> Callable[[Roots], None]:
    def change(roots: Roots) -> None:
        text = next(t for t in roots["document"].iter(f"{W}t") if t.text and old in t.text)
        text.text = text.text.replace(old, new)
    return change


def test_an_in_text_citation_is_marked_around_its_phrase_and_imports_as_no_change(
        in_text: tuple[Path, Path]) -> None:
    folder, built_docx = in_text
    with zipfile.ZipFile(built_docx) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    start = next(b for b in body.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == "bpcite0")
    assert "".join(start.getnext().itertext()) == PHRASE
    result = import_docx(built_docx, str(folder), dry_run=True,
                         build_dir=built_docx.parent.parent)
    assert result.unchanged and not result.outcome.notices, result.diff()


def test_an_in_text_citations_edited_phrase_is_reported_and_an_edit_beside_it_kept(
        in_text: tuple[Path, Path], tmp_path: Path) -> None:
    """By its exact words, an edited phrase was no citation any more: it became plain text
    in the source."""
    folder, built_docx = in_text
    before = (folder / "brief.md").read_text(encoding="utf-8")
    brief, review = _import(edited_parts(built_docx, tmp_path / "phrase.docx",
                                    _replace("2019, 110", "2019, 111")), folder, tmp_path)
    assert brief == before
    assert ("the text of the citation [@mccaffrey2019] was edited in Word (“(McCaffrey "
            "2019, 110)” → “(McCaffrey 2019, 111)”)") in review
    brief, review = _import(edited_parts(built_docx, tmp_path / "beside.docx",
                                    _replace("renegotiated less often",
                                             "renegotiated far less often")), folder, tmp_path)
    assert brief == before.replace(CITED, "renegotiated far less often "
                                   "[@mccaffrey2019, 110].")
    assert "the text of the citation" not in review


@pytest.mark.libreoffice
def test_an_in_text_citation_survives_libreoffice(
        in_text: tuple[Path, Path], resaved: dict[str, Path], tmp_path: Path) -> None:
    """LibreOffice keeps the bookmark around the phrase, and the edited phrase is reported."""
    folder, _built_docx = in_text
    before = (folder / "brief.md").read_text(encoding="utf-8")
    result = import_docx(resaved["in-text"], str(folder), dry_run=True,
                         build_dir=tmp_path / "build")
    assert result.unchanged and not result.outcome.notices, result.diff()
    brief, review = _import(edited_parts(resaved["in-text"], tmp_path / "phrase.docx",
                                    _replace("2019, 11", "2019, 12")), folder, tmp_path)
    assert brief == before
    assert "“(McCaffrey 2019, 110)” → “(McCaffrey 2019, 120)”" in review


def test_an_edited_phrase_ends_where_citeproc_ended_it_when_its_marks_end_moved() -> None:
    """LibreOffice may end a bookmark a character early (after a bookmark around a
    footnote's reference in the paragraph): the phrase runs on to the character citeproc
    ended it with."""
    cite = blocks.Cite(([blocks.Citation("x2019")], [blocks.Span((blocks.attr("bpcite0"), [
        blocks.Str("(X"), blocks.Space(), blocks.Str("2019)")]))]))
    base = [blocks.Para([blocks.Str("Said"), blocks.Space(), cite, blocks.Str(".")])]
    edited = [blocks.Para([blocks.Str("Said"), blocks.Space(), mark(0), blocks.Str("(X"),
                           blocks.Space(), blocks.Str("2020"), mark(0, end=True),
                           blocks.Str(").")])]
    restored, edits = restore_citations(edited, base)
    assert restored == [blocks.Para([blocks.Str("Said"), blocks.Space(),
                                     blocks.Cite((cite.citations, [])), blocks.Str(".")])]
    assert [(e.before, e.after) for e in edits] == [("(X 2019)", "(X 2020)")]
    unchanged = [blocks.Para([blocks.Str("Said"), blocks.Space(), mark(0), blocks.Str("(X"),
                              blocks.Space(), blocks.Str("2019"), mark(0, end=True),
                              blocks.Str(").")])]
    assert restore_citations(unchanged, base) == (restored, [])


def test_a_file_that_lost_its_properties_imports_as_a_new_brief_without_marks(
        word_file: tuple[Path, Path], tmp_path: Path) -> None:
    """Read as a Word file briefpress did not make, the citation is the footnote it shows."""
    _folder, built_docx = word_file
    plain = tmp_path / "plain.docx"
    with zipfile.ZipFile(built_docx) as zin, zipfile.ZipFile(plain, "w") as zout:
        for info in zin.infolist():
            if info.filename != "docProps/custom.xml" and \
                    not info.filename.startswith("customXml"):
                zout.writestr(info, zin.read(info))
    result = import_docx(plain, str(tmp_path / "new" / "plain"), dry_run=True, force=True,
                         build_dir=tmp_path / "build")
    assert result.new_folder
    assert "(2019): 110." in result.markdown_after
    assert "bpcite" not in result.markdown_after and "citation-mark" not in \
        result.markdown_after and "]{" not in result.markdown_after


# -- two works cited: the Sources list has an entry each, a paragraph each in Word ----------

@pytest.fixture(params=["notes", "in-text"])
def two_style(request: pytest.FixtureRequest) -> str:
    """The citation style of :func:`two_works`: the default note style, or an in-text one."""
    return str(request.param)


@pytest.fixture
def two_works(two_style: str, made: dict[str, Path], tmp_path: Path) -> tuple[Path, Path]:
    """The water-security brief citing two works, in the default note style and in an
    in-text one, and its Word file: (its folder, the .docx)."""
    return _copy(made, f"two-{two_style}", tmp_path)


def test_a_brief_citing_two_works_imports_its_own_word_file_as_no_change(
        two_works: tuple[Path, Path]) -> None:
    """The Sources list is one paragraph per work in Word; the base's list held them in
    one block (citeproc's ``refs``), so two works read as one entry changed and one added
    to generated text, and the import refused the file it had just made."""
    folder, built_docx = two_works
    with zipfile.ZipFile(built_docx) as package:
        body = "".join(etree.fromstring(package.read("word/document.xml")).itertext())
    assert "Wolf" in body and "McCaffrey" in body
    result = import_docx(built_docx, str(folder), dry_run=True,
                         build_dir=built_docx.parent.parent)
    assert result.unchanged and not result.outcome.notices, result.diff()


@pytest.mark.libreoffice
def test_a_brief_citing_two_works_imports_as_no_change_after_libreoffice(
        two_works: tuple[Path, Path], two_style: str, resaved: dict[str, Path],
        tmp_path: Path) -> None:
    folder, _built_docx = two_works
    saved = resaved[f"two-{two_style}"]
    result = import_docx(saved, str(folder), dry_run=True, build_dir=tmp_path / "build")
    assert result.unchanged and not result.outcome.notices, result.diff()


def test_an_edit_of_the_sources_list_is_refused_naming_the_bibliography(
        word_file: tuple[Path, Path], tmp_path: Path) -> None:
    """The list of works cited is written from the bibliography file, not the document
    type: the refusal says where the change belongs."""
    folder, built_docx = word_file

    def edit_entry(roots: Roots) -> None:
        text = next(t for t in roots["document"].iter(f"{W}t")
                    if t.text and t.text.startswith("McCaffrey, Stephen C."))
        text.text = text.text.replace("McCaffrey, Stephen C.", "McCaffrey, Steven C.")

    def add_entry(roots: Roots) -> None:
        entry = next(p for p in roots["document"].iter(f"{W}p")
                     if "".join(p.itertext()).startswith("McCaffrey, Stephen C."))
        added = copy.deepcopy(entry)
        for text in added.iter(f"{W}t"):
            text.text = ""
        next(added.iter(f"{W}t")).text = "Gleick, Peter. Water and Conflict. 1993."
        entry.addnext(added)

    with pytest.raises(BriefError) as edited:
        import_docx(edited_parts(built_docx, tmp_path / "entry.docx", edit_entry), str(folder),
                    dry_run=True, build_dir=tmp_path / "build")
    message = str(edited.value)
    assert "document type" not in message, message
    assert ("'McCaffrey, Steven C. “Drought Clauses in Transboundary Wa...' changes the list "
            "of sources, which is written from the bibliography file references.bib (fix: "
            "correct the work's entry in references.bib, or the citation in brief.md;"
            ) in message, message
    with pytest.raises(BriefError) as added:
        import_docx(edited_parts(built_docx, tmp_path / "added.docx", add_entry), str(folder),
                    dry_run=True, build_dir=tmp_path / "build")
    message = str(added.value)
    assert ("'Gleick, Peter. Water and Conflict. 1993.' was added to the list of sources, "
            "which lists the works brief.md cites (fix: cite the work in brief.md, "
            "[@key] with its entry in references.bib;") in message, message


# -- a paragraph wrapped over two lines, with a shortcut link, a note and a citation -------

@pytest.fixture
def wrapped(made: dict[str, Path], tmp_path: Path) -> tuple[Path, Path]:
    """The water-security brief (its note style) whose cited paragraph is wrapped and links
    with a shortcut reference, and its Word file."""
    return _copy(made, "wrapped-notes", tmp_path)


@pytest.mark.parametrize("in_text", [False, True], ids=["notes", "in-text"])
def test_a_paragraph_whose_only_change_is_a_citations_text_is_left_as_written(
        in_text: bool, made: dict[str, Path], tmp_path: Path) -> None:
    """The paragraph reads as the source's once its citation is ``[@key]`` again: no change
    to the source, whatever its lines and link forms (it was rewritten onto one line, its
    ``[Helsinki Rules]`` made ``[Helsinki Rules][Helsinki Rules]``, and listed changed)."""
    folder, built_docx = _copy(made, "wrapped-in-text" if in_text else "wrapped-notes",
                               tmp_path)
    before = (folder / "brief.md").read_text(encoding="utf-8")
    change = _replace("2019, 110", "2019, 111") if in_text else edit_citation
    result = import_docx(edited_parts(built_docx, tmp_path / "page.docx", change),
                         str(folder), build_dir=tmp_path / "build")
    assert (folder / "brief.md").read_text(encoding="utf-8") == before
    assert result.outcome.changes == [], result.outcome.changes
    review = review_file(folder).read_text(encoding="utf-8")
    assert "## Changes to the source (0)" in review
    assert "the text of the citation [@mccaffrey2019] was edited in Word" in review


def _edit_note(roots: Roots) -> None:
    text = next(t for t in roots["footnotes"].iter(f"{W}t") if t.text and "between" in t.text)
    text.text = text.text.replace("between crises", "between droughts")


def test_a_note_edited_with_its_paragraph_is_listed_beside_it(
        wrapped: tuple[Path, Path], tmp_path: Path) -> None:
    """review.md lists the note's change as it does when the note alone changed."""
    folder, built_docx = wrapped

    def both(roots: Roots) -> None:
        _edit_note(roots)
        _replace("renegotiated less often", "renegotiated far less often")(roots)

    for change, listed in ((_edit_note, ["note [^commissions] changed"]),
                           (both, ["paragraph changed", "note [^commissions] changed"])):
        result = import_docx(edited_parts(built_docx, tmp_path / "note.docx", change), str(folder),
                             dry_run=True, build_dir=tmp_path / "build")
        assert [c.what for c in result.outcome.changes] == listed, result.outcome.changes
        note = result.outcome.changes[-1]
        assert (note.section, note.before, note.after) == (
            "agreements", "A commission that meets between crises, with its own secretariat.",
            "A commission that meets between droughts, with its own secretariat.")
        assert "[^commissions]: A commission that meets between droughts" in \
            result.markdown_after
    assert ("renegotiated far less often, as the [Helsinki Rules] advise "
            "[@mccaffrey2019, 110].") in result.markdown_after
    review = result.report()
    assert "- **note [^commissions] changed** (#agreements): “A commission that meets " \
        "between [-crises,-] {+droughts,+} with its own secretariat.”" in review, review


INLINE = "Where any of the three was missing, states fell back on unilateral measures within " \
    "two dry seasons."


@pytest.mark.parametrize("also_labelled", [False, True], ids=["inline", "with-labelled"])
def test_an_edited_inline_note_is_written_back(also_labelled: bool, tmp_path: Path) -> None:
    """An inline note's text (``^[…]``) lives in its paragraph's own line: an edit of it
    alone is a change of that paragraph, written back (it was read as no change, the edit
    lost), also in a paragraph that calls a labelled note too."""
    folder = tmp_path / "content" / WATER.name
    shutil.copytree(WATER, folder)
    brief = folder / "brief.md"
    labelled = "[^commissions]" if also_labelled else ""
    brief.write_text(brief.read_text(encoding="utf-8").replace(
        INLINE, INLINE + labelled + "^[An inline note about unilateral measures.]", 1),
        encoding="utf-8")
    built_docx, = build([str(folder)], ["docx"], build_dir=tmp_path / "build")

    def edit(roots: Roots) -> None:
        text = next(t for t in roots["footnotes"].iter(f"{W}t")
                    if t.text and "unilateral measures" in t.text)
        text.text = text.text.replace("unilateral measures", "unilateral diversions")

    result = import_docx(edited_parts(built_docx, tmp_path / "inline.docx", edit), str(folder),
                         build_dir=tmp_path / "build")
    assert [c.what for c in result.outcome.changes] == ["paragraph changed"]
    written = brief.read_text(encoding="utf-8")
    assert INLINE + labelled + "^[An inline note about unilateral diversions.]" in written
    assert "[^commissions]: A commission that meets between crises, with its own " \
        "secretariat." in written
