"""Short lists and the Sources title kept with what follows in the Word file (docx_keep.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from briefpress import pandoc
from briefpress.render.docx_keep import keep_together
from briefpress.support.docx_open import read_zip_trusted
from briefpress.support.ooxml import w
from conftest import WATER, SharedBuild


def _parts(markdown: str, tmp_path: Path) -> dict[str, bytes]:
    """The parts of the .docx pandoc writes for ``markdown`` (its lists as it numbers them)."""
    document, _ = pandoc.parse_markdown(markdown)
    out = tmp_path / "lists.docx"
    pandoc.write(document, "docx", out)
    return read_zip_trusted(out.read_bytes())


def _kept(document: bytes) -> list[str]:
    """The words of each body paragraph that keeps with the next."""
    root = etree.fromstring(document)
    return ["".join(p.itertext()) for p in root.find(w("body")).iterchildren(w("p"))
            if p.find(f"{w('pPr')}/{w('keepNext')}") is not None]


def test_no_list_item_is_left_alone_at_a_page_turn(tmp_path: Path) -> None:
    """Tester 13 (finding 6, the Word edition): the first item keeps with the second and
    the item before the last with the last, whatever its unnumbered paragraphs and nested
    lists; a list of one item and the paragraphs around a list keep nothing."""
    parts = _parts("Lead-in:\n\n- one\n- two\n- three\n\nBetween.\n\n"
                   "1. first\n\n   first, more\n2. second\n   - second a\n   - second b\n"
                   "3. third\n4. fourth\n\nAlone:\n\n- only\n\nAfter.\n", tmp_path)
    document = keep_together(parts["word/document.xml"], parts["word/numbering.xml"])
    assert _kept(document) == ["one", "two", "first, more", "third"]
    # put where the schema puts it: after the style, before the numbering
    root = etree.fromstring(document)
    first = next(p for p in root.iter(w("p")) if "".join(p.itertext()) == "one")
    assert [etree.QName(c).localname for c in first.find(w("pPr"))][:3] == [
        "pStyle", "keepNext", "numPr"]
    assert keep_together(document, parts["word/numbering.xml"]) == document  # the same bytes
    plain = _parts("No list here.\n\nNone at all.\n", tmp_path)["word/document.xml"]
    assert keep_together(plain, None) is plain


def test_the_sources_title_keeps_with_the_first_work(built_once: Callable[..., SharedBuild]
                                                     ) -> None:
    """Tester 13 (finding 7): "Sources" ended a page, its works began the next."""
    path = next(p for p in built_once([WATER], ["docx"]).outputs if p.suffix == ".docx")
    document = read_zip_trusted(path.read_bytes())["word/document.xml"]
    root = etree.fromstring(document)
    listed = [p for p in root.find(w("body")).iterchildren(w("p"))
              if (style := p.find(f"{w('pPr')}/{w('pStyle')}")) is not None
              and style.get(w("val")) == "Bibliography"]
    assert "".join(listed[0].itertext()) == "Sources" and len(listed) > 1
    assert [p.find(f"{w('pPr')}/{w('keepNext')}") is not None for p in listed] == [
        True] + [False] * (len(listed) - 1)
