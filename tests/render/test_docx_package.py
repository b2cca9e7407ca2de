"""The Word package's XML builders (render/docx_package.py): properties, running head, source.

Each part is parsed back with lxml and asserted on as elements and text, never as a
string: what matters is what Word reads, not how the bytes are laid out.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import msgspec
import pytest
from lxml import etree
from tests.support.test_ooxml import CLEAN, HOSTILE, SETTINGS, parse, w

from briefpress.model.brief import Brief
from briefpress.model.schema import Author, Metadata, Publisher
from briefpress.render.docx_package import (
    PROP_REVISION,
    PROP_SLUG,
    SOURCE_NS,
    _embed_source,
    _running_head,
    core_xml,
    custom_properties,
    custom_xml,
    embedded_source,
    timestamp,
)
from briefpress.render.docx_styles import TITLE_PLACEHOLDER
from briefpress.support.docx_open import Package
from briefpress.support.epoch import FALLBACK_DATE
from briefpress.support.ooxml import CT, REL, R, W, part_bytes

DC = "{http://purl.org/dc/elements/1.1/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
DCTERMS = "{http://purl.org/dc/terms/}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


def test_core_properties_carry_the_metadata_escaped(arctic_brief: Brief) -> None:
    meta = msgspec.structs.replace(arctic_brief.meta, title=HOSTILE, subtitle=None,
                                   keywords=["a<b", "c&d"], summary="x\x02y")
    root = parse(core_xml(meta, "2024-03-01T00:00:00Z"))
    assert root.tag == f"{CP}coreProperties"
    assert root.findtext(f"{DC}title") == CLEAN
    assert root.find(f"{DC}subject") is None  # no subtitle: no empty element
    assert root.findtext(f"{DC}creator") == "; ".join(a.name for a in meta.authors)
    assert root.findtext(f"{CP}keywords") == "a<b, c&d"
    assert root.findtext(f"{DC}description") == "xy"
    assert root.findtext(f"{DC}language") == meta.lang
    assert root.findtext(f"{CP}lastModifiedBy") == "briefpress"
    for tag in ("created", "modified"):
        element = root.find(f"{DCTERMS}{tag}")
        assert element.text == "2024-03-01T00:00:00Z"
        assert element.get(f"{XSI}type") == "dcterms:W3CDTF"
    # the xsi:type value names dcterms: by prefix, so the prefix must be the declared one
    assert root.nsmap["dcterms"] == DCTERMS[1:-1]


def test_the_file_is_dated_by_the_epoch_else_the_brief_else_as_every_edition(
        arctic_brief: Brief, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the clock: an undated brief's zip entries take the fixed date of every edition
    (1980-01-01, the first a zip stores), and its properties no date at all, as its PDF."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    undated = msgspec.structs.replace(arctic_brief, meta=msgspec.structs.replace(
        arctic_brief.meta, date=None))
    assert datetime.datetime.fromtimestamp(timestamp(undated), datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ") == FALLBACK_DATE
    dated = msgspec.structs.replace(arctic_brief, meta=msgspec.structs.replace(
        arctic_brief.meta, date=datetime.date(2024, 3, 1)))
    assert timestamp(dated) == int(datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC
                                                     ).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert timestamp(undated) == timestamp(dated) == 1700000000


def test_an_undated_brief_s_properties_carry_no_date() -> None:
    meta = Metadata(title="T", authors=[Author("A")], publisher=Publisher("P"))
    root = parse(core_xml(meta, None))
    assert root.find(f"{DCTERMS}created") is None and root.find(f"{DCTERMS}modified") is None
    assert root.findtext(f"{DC}title") == "T"


def test_custom_properties_round_trip(tmp_path: Path) -> None:
    values = {PROP_SLUG: "arctic-shipping", PROP_REVISION: "0123abcd", "odd <&\"'>": HOSTILE}
    data = custom_xml(values)
    root = parse(data)
    props = list(root)
    assert [p.get("pid") for p in props] == ["2", "3", "4"]
    assert {p.get("fmtid") for p in props} == {"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"}
    assert props[2].get("name") == "odd <&\"'>"
    assert props[2][0].tag == "{http://schemas.openxmlformats.org/officeDocument/2006/" \
        "docPropsVTypes}lpwstr"
    package = Package(tmp_path / "x.docx", {"docProps/custom.xml": data}, "word/document.xml")
    assert custom_properties(package) == {PROP_SLUG: "arctic-shipping",
                                          PROP_REVISION: "0123abcd", "odd <&\"'>": CLEAN}


def test_running_head_gets_the_title_as_text() -> None:
    header = (f'<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>{TITLE_PLACEHOLDER}</w:t></w:r>'
              '<w:r><w:tab/></w:r></w:p></w:hdr>').encode()
    root = parse(_running_head(header, HOSTILE))
    assert [t.text for t in root.iter(w("t"))] == [CLEAN]
    first_page = f'<w:hdr xmlns:w="{W}"><w:p/></w:hdr>'.encode()
    assert _running_head(first_page, HOSTILE) is first_page  # untouched, not re-serialised


def package_parts() -> dict[str, bytes]:
    types = etree.Element(f"{{{CT}}}Types", nsmap={None: CT})
    etree.SubElement(types, f"{{{CT}}}Default", Extension="xml", ContentType="application/xml")
    rels = etree.Element(f"{{{REL}}}Relationships", nsmap={None: REL})
    etree.SubElement(rels, f"{{{REL}}}Relationship", Id="rId1", Target="styles.xml",
                     Type=f"{R}/styles")
    table = etree.Element(w("fonts"), nsmap={"w": W})
    existing = etree.SubElement(table, w("font"), {w("name"): "House Serif"})
    etree.SubElement(existing, w("altName"), {w("val"): "Georgia"})
    etree.SubElement(existing, w("embedRegular"), {w("fontKey"): "{stale}"})
    return {"[Content_Types].xml": part_bytes(types),
            "word/_rels/document.xml.rels": part_bytes(rels),
            "word/fontTable.xml": part_bytes(table),
            "word/settings.xml": SETTINGS}


def test_source_is_embedded_and_read_back(arctic_brief: Brief, tmp_path: Path) -> None:
    brief = msgspec.structs.replace(arctic_brief, markdown=arctic_brief.markdown + "\n" + CLEAN)
    parts = package_parts()
    _embed_source(parts, brief)
    item = parse(parts["customXml/item1.xml"])
    assert (item.tag, item.get("slug"), item.get("revision")) == (
        f"{{{SOURCE_NS}}}source", brief.slug, brief.revision)
    props = parse(parts["customXml/itemProps1.xml"])
    assert props.find(".//{*}schemaRef").get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/customXml}uri") == SOURCE_NS
    types = parse(parts["[Content_Types].xml"])
    assert types[-1].get("PartName") == "/customXml/itemProps1.xml"
    rels = parse(parts["word/_rels/document.xml.rels"])
    assert (rels[-1].get("Type"), rels[-1].get("Target")) == (
        f"{R}/customXml", "../customXml/item1.xml")
    item_rels = parse(parts["customXml/_rels/item1.xml.rels"])
    assert item_rels[0].get("Target") == "itemProps1.xml"
    package = Package(tmp_path / "x.docx", parts, "word/document.xml")
    assert embedded_source(package) == {"brief.md": brief.markdown,
                                        "recommendations.yaml": brief.recommendations_text}


def test_a_picture_is_described_by_its_alternative_text_not_its_data_uri() -> None:
    from briefpress.render.docx_package import _picture_descriptions

    document = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        b'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        b'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>'
        b'<wp:inline><wp:docPr descr="Tidewater Institute logo" id="1" name="Picture"/>'
        b'<pic:pic><pic:nvPicPr><pic:cNvPr descr="data:image/png;base64,iVBORw0KGgo=" id="2" '
        b'name="Picture"/></pic:nvPicPr></pic:pic></wp:inline>'
        b'</w:body></w:document>')
    described = _picture_descriptions(document)
    assert b"data:" not in described
    assert described.count(b'descr="Tidewater Institute logo"') == 2
    plain = document.replace(b"data:image/png;base64,iVBORw0KGgo=", b"figure.png")
    assert _picture_descriptions(plain) is plain  # nothing to describe: the same bytes


def test_a_series_that_ends_the_title_block_takes_the_program_s_space_after() -> None:
    """With no program after it, the series' paragraph is the title block's last: it is
    given the program's space after (its own style has little), in the schema's order; with
    a program after it, nothing changes."""
    from briefpress.render.docx_package import _title_block_end

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    styles = (f'<w:styles {ns}><w:style w:styleId="Program"><w:pPr><w:spacing w:before="80" '
              'w:after="504"/></w:pPr></w:style></w:styles>').encode()

    def document(after_series: str) -> bytes:
        return (f'<w:document {ns}><w:body><w:p><w:pPr><w:pStyle w:val="Series"/><w:jc '
                f'w:val="left"/></w:pPr><w:r><w:t>High North</w:t></w:r></w:p>{after_series}'
                '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:p></w:body>'
                '</w:document>').encode()

    ended = parse(_title_block_end(document(""), styles))
    properties = ended.find(f".//{w('pPr')}")
    assert [etree.QName(child).localname for child in properties] == [
        "pStyle", "spacing", "jc"]
    assert properties.find(w("spacing")).get(w("after")) == "504"
    program = '<w:p><w:pPr><w:pStyle w:val="Program"/></w:pPr></w:p>'
    assert _title_block_end(document(program), styles) == document(program)
