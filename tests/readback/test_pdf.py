"""A PDF's bookmarks and named destinations read into its outline (readback/pdf.py), on small
PDFs made with pikepdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest

from briefpress.errors import BriefError
from briefpress.model.brief import OutlineEntry
from briefpress.readback.pdf import outline_entries, pdf_places, read_pdf_outline

Target = tuple[int, float] | str | pikepdf.Object
"""Where a bookmark points: (page index, top) for an explicit destination, a name for a
named one, or any destination object as it is."""

Mark = tuple[str, Target | None, list[Any]]
"""A bookmark: its title, its target and its children (marks too)."""

NAMES = {
    "executive-summary": (0, 700.0),
    "recommendations": (1, 720.0),
    "area:ports": (1, 500.0),
    "recommendation:pilotage": (1, 380.0),
    "recommendation:charts": (2, 750.0),
    "conclusion": (2, 600.0),
}
"""The named destinations of a brief of three pages as WeasyPrint writes them: one per
element id, the recommendations' too."""

MARKS: list[Mark] = [
    ("Executive Summary", (0, 700.0), []),
    ("Recommendations", (1, 720.0), [("Ports and Pilots", (1, 500.0), [])]),
    ("Conclusion", (2, 600.0), []),
]

OUTLINE = [
    OutlineEntry("section", 1, "executive-summary", "Executive Summary"),
    OutlineEntry("section", 1, "recommendations", "Recommendations"),
    OutlineEntry("area", 2, "ports", "Ports and Pilots"),
    OutlineEntry("recommendation", 3, "pilotage", "pilotage"),
    OutlineEntry("recommendation", 3, "charts", "charts"),
    OutlineEntry("section", 1, "conclusion", "Conclusion"),
]


def xyz(pdf: pikepdf.Pdf, page: int, top: float) -> pikepdf.Array:
    """An explicit destination [page /XYZ left top zoom], as WeasyPrint writes them."""
    return pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.XYZ, 72, top, 0])


def _destination(pdf: pikepdf.Pdf, target: Target) -> Any:
    if isinstance(target, tuple):
        return xyz(pdf, *target)
    return target


def _items(pdf: pikepdf.Pdf, marks: list[Mark]) -> list[pikepdf.OutlineItem]:
    items = []
    for title, target, children in marks:
        item = pikepdf.OutlineItem(title)
        if target is not None:
            item.destination = _destination(pdf, target)
        item.children.extend(_items(pdf, children))
        items.append(item)
    return items


def make_pdf(path: Path, names: dict[str, Target] | None = None,
             marks: list[Mark] | None = None, *, old_dests: bool = False, pages: int = 3
             ) -> Path:
    """A PDF of ``pages`` blank Letter pages with these named destinations (in the name
    tree, or in the catalog's older /Dests dictionary) and bookmarks; saved with object
    streams, as WeasyPrint saves."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
    named = {name: _destination(pdf, target)
             for name, target in (NAMES if names is None else names).items()}
    if old_dests:
        pdf.Root.Dests = pikepdf.Dictionary({f"/{name}": value for name, value in named.items()})
    else:
        tree = pikepdf.NameTree.new(pdf)
        for name, value in named.items():
            tree[name] = value
        pdf.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
    with pdf.open_outline() as outline:
        outline.root.extend(_items(pdf, MARKS if marks is None else marks))
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return path


@pytest.fixture
def brief_pdf(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "brief.pdf")


# --------------------------------------------------------------------------- the outline

def test_sections_areas_and_recommendations_in_reading_order(brief_pdf: Path) -> None:
    assert read_pdf_outline(brief_pdf) == OUTLINE


def test_the_places_of_names_and_bookmarks(brief_pdf: Path) -> None:
    named, marks = pdf_places(brief_pdf)
    assert sorted(named) == sorted(NAMES.items())
    assert marks == [(1, "Executive Summary", (0, 700.0)), (1, "Recommendations", (1, 720.0)),
                     (2, "Ports and Pilots", (1, 500.0)), (1, "Conclusion", (2, 600.0))]


def test_the_catalog_s_older_dests_dictionary_reads_as_the_name_tree(tmp_path: Path) -> None:
    """PDF 1.1's /Dests dictionary, and bookmarks that name their destination (as a string
    or as a name), read as the name tree WeasyPrint writes."""
    by_name: list[Mark] = [("Executive Summary", "executive-summary", []),
                           ("Recommendations", pikepdf.Name("/recommendations"),
                            [("Ports and Pilots", pikepdf.String("area:ports"), [])]),
                           ("Conclusion", (2, 600.0), [])]
    old = make_pdf(tmp_path / "old.pdf", marks=by_name, old_dests=True)
    assert pdf_places(old) == pdf_places(make_pdf(tmp_path / "new.pdf"))
    assert read_pdf_outline(old) == OUTLINE


def test_a_bookmark_may_go_to_its_place_through_an_action(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "brief.pdf", marks=[])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_outline() as outline:
            outline.root.extend([
                pikepdf.OutlineItem("Executive Summary", action=pikepdf.Dictionary(
                    S=pikepdf.Name.GoTo, D=xyz(pdf, 0, 700))),
                pikepdf.OutlineItem("Conclusion", action=pikepdf.Dictionary(
                    S=pikepdf.Name.GoTo, D=pikepdf.String("conclusion")))])
        pdf.save(path)
    assert pdf_places(path)[1] == [(1, "Executive Summary", (0, 700.0)),
                                   (1, "Conclusion", (2, 600.0))]


def test_a_title_s_white_space_is_collapsed(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "brief.pdf",
                    marks=[(" Executive\n  Summary\t", (0, 700.0), [])])
    assert pdf_places(path)[1] == [(1, "Executive Summary", (0, 700.0))]


def test_each_kind_of_destination_gives_its_top(tmp_path: Path) -> None:
    """/XYZ, /FitH, /FitBH and /FitR name the top of their view; /Fit shows the whole page
    (0); a destination in a dictionary ({/D [...]}) is read through; one that names no page
    of the file, or is malformed, has no place and is left out."""
    base = make_pdf(tmp_path / "base.pdf", names={}, marks=[])
    with pikepdf.open(base, allow_overwriting_input=True) as pdf:
        page = pdf.pages[1].obj
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        for name, value in {
            "xyz": [page, pikepdf.Name.XYZ, 0, 512.34, 0],
            "xyz-null": [page, pikepdf.Name.XYZ, None, None, None],
            "fith": [page, pikepdf.Name.FitH, 300],
            "fitbh": [page, pikepdf.Name.FitBH, 301],
            "fitr": [page, pikepdf.Name.FitR, 10, 20, 500, 400],
            "fit": [page, pikepdf.Name.Fit],
            "fitv": [page, pikepdf.Name.FitV, 40],
            "short-xyz": [page, pikepdf.Name.XYZ],
            "in-a-dictionary": {"/D": [page, pikepdf.Name.FitH, 99.96]},
            # no place:
            "not-a-page": [pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Page)),
                           pikepdf.Name.Fit],
            "page-number": [1, pikepdf.Name.Fit],
            "too-short": [page],
            "not-an-array": pikepdf.String("conclusion"),
            "top-not-a-number": [page, pikepdf.Name.XYZ, 0, pikepdf.Name.Top, 0],
        }.items():
            tree[name] = (pikepdf.Dictionary({"/D": pikepdf.Array(value["/D"])})
                          if isinstance(value, dict) else
                          pikepdf.Array(value) if isinstance(value, list) else value)
        pdf.save(base)
    named, _ = pdf_places(base)
    assert dict(named) == {"xyz": (1, 512.3), "xyz-null": (1, 0.0), "fith": (1, 300.0),
                           "fitbh": (1, 301.0), "fitr": (1, 400.0), "fit": (1, 0.0),
                           "fitv": (1, 0.0), "short-xyz": (1, 0.0),
                           "in-a-dictionary": (1, 100.0)}


def test_a_bookmark_without_a_place_is_a_section_without_an_id(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "brief.pdf", names={"intro": (0, 700.0)},
                    marks=[("Nowhere", None, []), ("Lost", "no-such-name", []),
                           ("Introduction", (0, 700.0), [])])
    assert read_pdf_outline(path) == [OutlineEntry("section", 1, "", "Nowhere"),
                                      OutlineEntry("section", 1, "", "Lost"),
                                      OutlineEntry("section", 1, "intro", "Introduction")]


# --------------------------------------------------------------------------- outline_entries

def test_recommendations_go_where_their_place_falls_between_the_bookmarks() -> None:
    """Bookmarks keep their own order; a recommendation goes before the first bookmark
    whose place comes after it (down the page, then on later pages), a level below the
    area before it; those after every bookmark go last."""
    named = [("recommendation:late", (3, 100.0)), ("recommendation:second", (1, 200.0)),
             ("recommendation:first", (1, 400.0)), ("area:one", (1, 500.0)),
             ("sec", (0, 700.0)), ("end", (2, 700.0))]
    marks = [(1, "Section", (0, 700.0)), (2, "Area One", (1, 500.0)), (1, "End", (2, 700.0))]
    found = outline_entries(named, marks)
    assert [(e.kind, e.level, e.id) for e in found] == [
        ("section", 1, "sec"), ("area", 2, "one"), ("recommendation", 3, "first"),
        ("recommendation", 3, "second"), ("section", 1, "end"), ("recommendation", 3, "late")]
    assert [e.title for e in found] == ["Section", "Area One", "first", "second", "End", "late"]


def test_a_reordered_outline_stays_reordered() -> None:
    """The bookmarks' order is what the reader sees: it is kept, so a check can report it."""
    named = [("a", (0, 700.0)), ("b", (1, 700.0))]
    assert [e.id for e in outline_entries(named, [(1, "B", (1, 700.0)), (1, "A", (0, 700.0))])
            ] == ["b", "a"]


def test_a_name_with_a_colon_is_no_section_id_and_a_recommendation_with_no_area() -> None:
    """Several names at one place: the section's is the one without a colon; before any
    area, a recommendation is one level down from the top."""
    named = [("recommendation:r", (0, 650.0)), ("other:x", (0, 700.0)), ("sec", (0, 700.0))]
    assert outline_entries(named, [(1, "Sec", (0, 700.0))]) == [
        OutlineEntry("section", 1, "sec", "Sec"),
        OutlineEntry("recommendation", 1, "r", "r")]
    assert outline_entries([("other:x", (0, 700.0))], [(1, "Sec", (0, 700.0))]) == [
        OutlineEntry("section", 1, "", "Sec")]
    assert outline_entries([], []) == []


# --------------------------------------------------------------------------- other files

@pytest.mark.parametrize("layout", ["no object streams", "uncompressed", "qdf", "preserved"])
def test_the_pdf_saved_in_other_layouts_reads_the_same(brief_pdf: Path, tmp_path: Path,
                                                       layout: str) -> None:
    resaved = tmp_path / "resaved.pdf"
    with pikepdf.open(brief_pdf) as pdf:
        pdf.save(resaved, **{
            "no object streams": {"object_stream_mode": pikepdf.ObjectStreamMode.disable},
            "uncompressed": {"compress_streams": False,
                             "object_stream_mode": pikepdf.ObjectStreamMode.disable},
            "qdf": {"qdf": True},
            "preserved": {},
        }[layout])
    assert read_pdf_outline(resaved) == OUTLINE


@pytest.mark.parametrize(("damage", "reason"), [
    ("truncated", "unable to find trailer dictionary"),
    ("empty", "unable to find trailer dictionary"),
    ("not a PDF", "unable to find trailer dictionary"),
    ("a folder", "Is a directory"),
    ("missing", "No such file or directory"),
])
def test_a_damaged_or_foreign_file_is_a_located_error(brief_pdf: Path, tmp_path: Path,
                                                      damage: str, reason: str) -> None:
    path = tmp_path / "other.pdf"
    if damage == "truncated":
        data = brief_pdf.read_bytes()
        path.write_bytes(data[:len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "not a PDF":
        path.write_text("# A brief\n\nMarkdown, not a PDF.\n", encoding="utf-8")
    elif damage == "a folder":
        path.mkdir()
    with pytest.raises(BriefError) as caught:
        read_pdf_outline(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (path, None)
    assert problem.message.startswith("cannot read the PDF: ") and reason in problem.message
    assert str(path) not in problem.message  # the Problem names the file once
    assert problem.fix == "rebuild it with `briefpress build`"


def test_an_outline_of_the_wrong_structure_is_a_located_error(brief_pdf: Path) -> None:
    """Found by review: pikepdf raises OutlineStructureError, no PdfError, for a bookmark
    whose /Next is not a dictionary."""
    with pikepdf.open(brief_pdf, allow_overwriting_input=True) as pdf:
        pdf.Root.Outlines.First.Next = 5
        pdf.save(brief_pdf)
    with pytest.raises(BriefError) as caught:
        read_pdf_outline(brief_pdf)
    [problem] = caught.value.problems
    assert problem.message.startswith("cannot read the PDF: Outline object")
    assert problem.fix == "rebuild it with `briefpress build`"


def test_a_pdf_without_names_or_bookmarks_has_an_empty_outline(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "bare.pdf", names={}, marks=[])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.Root.Names
        pdf.save(path)
    assert pdf_places(path) == ([], [])
    assert read_pdf_outline(path) == []
