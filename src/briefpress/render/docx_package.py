"""Turn pandoc's .docx into the briefpress edition, and read back the properties it adds.

Finishing a file makes it reproducible (fixed timestamps, sorted entries, fixed
core properties), gives each SVG picture a PNG every reader shows (render/docx_raster.py),
sets the tables too wide for the text in smaller type (render/docx_tables.py), keeps short
lists and the title of the works cited with what follows (render/docx_keep.py), puts the
title in the running head, records which source
revision it was made from (custom document properties) and embeds that source
itself as a custom XML part, which Word and LibreOffice both keep when they save:
the importer needs it as the base of a three-way merge. Every part it writes or
changes is an lxml element tree, serialised by lxml.

Opening any .docx (untrusted input) is support/docx_open.py's; this module reads back only
what it wrote itself: the custom properties and the embedded source.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Mapping
from typing import Any

from lxml import etree

from briefpress.model.brief import Brief
from briefpress.model.options import RenderOptions
from briefpress.model.schema import Metadata
from briefpress.render.docx_fonts import EmbeddedFace
from briefpress.render.docx_fonts import embed as embed_fonts
from briefpress.render.docx_keep import keep_together
from briefpress.render.docx_raster import SvgFigure, add_png_fallbacks, fit_pictures
from briefpress.render.docx_styles import PROGRAM, SERIES, TITLE_PLACEHOLDER
from briefpress.render.docx_tables import compact_wide_tables
from briefpress.support.docx_open import Package, parse_xml, read_zip_trusted
from briefpress.support.epoch import FALLBACK_EPOCH, edition_date
from briefpress.support.ooxml import (
    CP,
    CT,
    CUSTOM,
    DC,
    DCTERMS,
    DS,
    REL,
    VT,
    XSI,
    R,
    W,
    part_bytes,
    qname,
    switch_on,
    trusted_xml,
    xml_safe,
)

SOURCE_NS = "urn:briefpress:source:1"
PROP_SLUG = "briefpress-slug"
PROP_REVISION = "briefpress-revision"
PROP_FORMAT = "briefpress-format"
FORMAT_VERSION = "1"


# -- finishing the rendered file -------------------------------------------------------------

def finish(raw: bytes, brief: Brief, options: RenderOptions, faces: list[EmbeddedFace],
           figures: Mapping[str, SvgFigure] | None = None) -> bytes:
    """Make pandoc's output the reproducible briefpress edition of ``brief``, with the
    fonts ``faces`` (docx_fonts.embedded_faces: the house's, or its brand's) embedded and
    each SVG picture given its PNG, its text set in those fonts (``figures``: where brief.md
    has each SVG, docx_ast.prepare)."""
    parts = read_zip_trusted(raw)
    if options.paper == "a4":  # first: every picture is fitted to the page it is on
        parts["word/document.xml"] = _a4(parts["word/document.xml"])
    fit_pictures(parts)
    add_png_fallbacks(parts, figures or {}, faces, brief.brand, brief.markdown_path)
    made = edition_date(brief.meta.date)
    for name in [n for n in parts if re.fullmatch(r"word/header\d*\.xml", n)]:
        parts[name] = _running_head(parts[name], _running_title(brief))
    parts["docProps/core.xml"] = core_xml(
        brief.meta, made.strftime("%Y-%m-%dT%H:%M:%SZ") if made else None)
    parts["docProps/custom.xml"] = custom_xml({PROP_SLUG: brief.slug,
                                               PROP_REVISION: brief.revision,
                                               PROP_FORMAT: FORMAT_VERSION})
    # Track Changes on: editors' edits come back listed with author and date
    parts["word/settings.xml"] = switch_on(parts["word/settings.xml"], "trackRevisions")
    parts["word/document.xml"] = _picture_descriptions(parts["word/document.xml"])
    parts["word/document.xml"] = compact_wide_tables(parts["word/document.xml"],
                                                     parts["word/styles.xml"])
    parts["word/document.xml"] = _title_block_end(parts["word/document.xml"],
                                                  parts["word/styles.xml"])
    parts["word/document.xml"] = keep_together(parts["word/document.xml"],
                                               parts.get("word/numbering.xml"))
    _embed_source(parts, brief)
    embed_fonts(parts, faces)
    return write_zip(parts, timestamp(brief))


def timestamp(brief: Brief) -> int:
    """The time of every entry of the zip: the edition's date (``SOURCE_DATE_EPOCH``, else
    the brief's), else the first a zip can store, as every edition's fixed date; never the
    clock. Word shows the file's own dates from docProps/core.xml, which an undated brief's
    file leaves out."""
    made = edition_date(brief.meta.date)
    if made is None:
        return FALLBACK_EPOCH
    return min(max(int(made.timestamp()), FALLBACK_EPOCH), 4354819198)  # zip: 1980 to 2107


def write_zip(parts: dict[str, bytes], stamp: int, compress: bool = True) -> bytes:
    """A zip with the content types first, then every part in name order, all with one date."""
    date = datetime.datetime.fromtimestamp(stamp, datetime.UTC).timetuple()[:6]
    order = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            # embedded fonts are most of the bytes and deflate poorly: level 1 takes 12 ms
            # where 6 takes 28 ms, for a file 8% larger
            archive.writestr(info, parts[name],
                             compresslevel=1 if name.startswith("word/fonts/") else 6)
    return out.getvalue()


# -- building and editing parts, always through lxml ------------------------------------------

def core_xml(meta: Metadata, iso: str | None) -> bytes:
    """docProps/core.xml: what Word shows under File > Info, dated ``iso`` (never the clock;
    no date at all for an undated brief, as its PDF has none)."""
    fields = [
        (DC, "title", meta.title),
        (DC, "subject", meta.subtitle or ""),
        (DC, "creator", "; ".join(a.name for a in meta.authors)),
        (CP, "keywords", ", ".join(meta.keywords)),
        (DC, "description", meta.summary or ""),
        (DC, "language", meta.lang),
        (CP, "lastModifiedBy", "briefpress"),
    ]
    root = etree.Element(qname(CP, "coreProperties"),
                         nsmap={"cp": CP, "dc": DC, "dcterms": DCTERMS, "xsi": XSI})
    for namespace, tag, value in fields:
        if text := xml_safe(value):
            etree.SubElement(root, qname(namespace, tag)).text = text
    for tag in ("created", "modified") if iso else ():
        etree.SubElement(root, qname(DCTERMS, tag),
                         {qname(XSI, "type"): "dcterms:W3CDTF"}).text = iso
    return part_bytes(root)


def custom_xml(values: dict[str, str]) -> bytes:
    """docProps/custom.xml: ``values`` as text-valued custom document properties."""
    root = etree.Element(qname(CUSTOM, "Properties"), nsmap={None: CUSTOM, "vt": VT})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = etree.SubElement(root, qname(CUSTOM, "property"), {
            "fmtid": "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", "pid": str(pid),
            "name": xml_safe(name)})
        etree.SubElement(prop, qname(VT, "lpwstr")).text = xml_safe(value)
    return part_bytes(root)


def _running_title(brief: Brief) -> str:
    return brief.meta.title


def _running_head(header: bytes, title: str) -> bytes:
    """A header part with the reference document's placeholder replaced by ``title``."""
    root = trusted_xml(header)
    texts = [t for t in root.iter(qname(W, "t")) if t.text and TITLE_PLACEHOLDER in t.text]
    if not texts:
        return header
    for text in texts:
        text.text = text.text.replace(TITLE_PLACEHOLDER, xml_safe(title))
    return part_bytes(root)


A4_WIDTH_TWIPS = 11906
"""An A4 page's width in twentieths of a point."""


def _a4(document: bytes) -> bytes:
    """The main part with every section on an A4 page (portrait, in twentieths of a point).
    pandoc sized each picture for the reference document's page, Letter, whose text is
    wider than A4's: :func:`~briefpress.render.docx_raster.fit_pictures` fits them to this
    page after."""
    root = trusted_xml(document)
    for size in root.iter(qname(W, "pgSz")):
        size.attrib.clear()
        size.set(qname(W, "w"), str(A4_WIDTH_TWIPS))
        size.set(qname(W, "h"), "16838")
    return part_bytes(root)


_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _picture_descriptions(document: bytes) -> bytes:
    """The main part with each picture described by its alternative text: pandoc gives the
    picture's own description (``pic:cNvPr descr``) the image's URL, which for an embedded
    image is its whole ``data:`` URI, and LibreOffice takes that for the alternative text
    on saving. Unchanged (the same bytes) when no picture has one."""
    root = trusted_xml(document)
    changed = False
    for drawing in root.iter(qname(_WP, "inline"), qname(_WP, "anchor")):
        frame = drawing.find(qname(_WP, "docPr"))
        alt = frame.get("descr", "") if frame is not None else ""
        for own in drawing.iter(qname(_PIC, "cNvPr")):
            if own.get("descr", "").startswith("data:"):
                own.set("descr", alt)
                changed = True
    return part_bytes(root) if changed else document


def _title_block_end(document: bytes, styles: bytes) -> bytes:
    """The main part with a series that ends the title block (a brief of no program) given
    the program's space after it: the ``Program`` paragraph, which follows the series'
    otherwise, ends the block with the space before the first heading, and Word has no
    spacing that depends on the next paragraph's style. Unchanged (the same bytes) in every
    other case."""
    root = trusted_xml(document)
    series = next((p for p in root.iter(qname(W, "p")) if _style_of(p) == SERIES), None)
    if series is None:
        return document
    following = series.getnext()
    if following is not None and _style_of(following) == PROGRAM:
        return document
    program = next((s for s in trusted_xml(styles).iter(qname(W, "style"))
                    if s.get(qname(W, "styleId")) == PROGRAM), None)
    after = program.find(f"{qname(W, 'pPr')}/{qname(W, 'spacing')}") if program is not None \
        else None
    if after is None or after.get(qname(W, "after")) is None:
        return document
    properties = series.find(qname(W, "pPr"))
    spacing = properties.find(qname(W, "spacing"))
    if spacing is None:
        spacing = etree.Element(qname(W, "spacing"))
        # in the schema's order: before the first property that comes after the spacing
        later = next((child for child in properties
                      if etree.QName(child).localname in _AFTER_SPACING), None)
        if later is None:
            properties.append(spacing)
        else:
            later.addprevious(spacing)
    spacing.set(qname(W, "after"), after.get(qname(W, "after")))
    return part_bytes(root)


_AFTER_SPACING = frozenset({"ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
                            "jc", "textDirection", "textAlignment", "textboxTightWrap",
                            "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"})
"""The paragraph properties the schema (CT_PPrBase) puts after ``w:spacing``."""


def _style_of(paragraph: Any) -> str | None:
    style = paragraph.find(f"{qname(W, 'pPr')}/{qname(W, 'pStyle')}")
    return style.get(qname(W, "val")) if style is not None else None


def _embed_source(parts: dict[str, bytes], brief: Brief) -> None:
    """Store the source revision (brief.md, recommendations.yaml) as a custom XML part."""
    files = {"brief.md": brief.markdown, "recommendations.yaml": brief.recommendations_text}
    source = etree.Element(qname(SOURCE_NS, "source"), {
        "slug": xml_safe(brief.slug), "revision": xml_safe(brief.revision)},
        nsmap={"s": SOURCE_NS})
    for name, text in files.items():
        etree.SubElement(source, qname(SOURCE_NS, "file"), {"name": name}).text = \
            base64.b64encode(text.encode("utf-8")).decode("ascii")
    parts["customXml/item1.xml"] = part_bytes(source)
    item_id = uuid.UUID(hashlib.md5(brief.revision.encode(), usedforsecurity=False).hexdigest())
    item = etree.Element(qname(DS, "datastoreItem"), {
        qname(DS, "itemID"): "{" + str(item_id).upper() + "}"}, nsmap={"ds": DS})
    refs = etree.SubElement(item, qname(DS, "schemaRefs"))
    etree.SubElement(refs, qname(DS, "schemaRef"), {qname(DS, "uri"): SOURCE_NS})
    parts["customXml/itemProps1.xml"] = part_bytes(item, standalone=False)
    rels = etree.Element(qname(REL, "Relationships"), nsmap={None: REL})
    etree.SubElement(rels, qname(REL, "Relationship"), {
        "Id": "rId1", "Type": f"{R}/customXmlProps", "Target": "itemProps1.xml"})
    parts["customXml/_rels/item1.xml.rels"] = part_bytes(rels)

    types = trusted_xml(parts["[Content_Types].xml"])
    etree.SubElement(types, qname(CT, "Override"), {
        "PartName": "/customXml/itemProps1.xml",
        "ContentType": "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"})
    parts["[Content_Types].xml"] = part_bytes(types)
    document_rels = trusted_xml(parts["word/_rels/document.xml.rels"])
    etree.SubElement(document_rels, qname(REL, "Relationship"), {
        "Id": "rIdBriefpressSource", "Type": f"{R}/customXml",
        "Target": "../customXml/item1.xml"})
    parts["word/_rels/document.xml.rels"] = part_bytes(document_rels)


def custom_properties(package: Package) -> dict[str, str]:
    """The custom document properties (name -> text value)."""
    root = package.xml("docProps/custom.xml")
    if root is None:
        return {}
    values = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop):
            values[name] = prop[0].text or ""
    return values


def embedded_source(package: Package) -> dict[str, str] | None:
    """The source files the document was made from, if it carries them intact."""
    for name, data in package.parts.items():
        if not name.startswith("customXml/item") or SOURCE_NS.encode() not in data:
            continue
        root = parse_xml(data, package.path, name)
        if root.tag != f"{{{SOURCE_NS}}}source":
            continue
        files = {}
        for entry in root:
            try:
                files[entry.get("name", "")] = base64.b64decode(
                    "".join((entry.text or "").split()), validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                return None
        if set(files) == {"brief.md", "recommendations.yaml"}:
            return files
    return None
