"""Turn OOXML parts into lxml trees and back: the namespaces and helpers of every .docx module."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"

_TRUSTED = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
"""For parts pandoc or python-docx just wrote: comments and whitespace stay as they were."""

# the characters XML 1.0 excludes, listed rather than as the complement of those it allows:
# the same set (tests/support/test_ooxml.py compares every code point), but a class of a few
# short ranges compiles in 0.3 ms where the complement of the large ones took 3.3 ms of
# every command that writes or reads a Word file (the least of 15 fresh processes: re's
# compiler walks each range's code points)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry (control characters, lone
    surrogates, U+FFFE/U+FFFF): lxml refuses them, and Word refuses a part holding them."""
    return _NOT_XML.sub("", value)


def trusted_xml(data: bytes) -> Any:
    """A part briefpress or pandoc wrote, as an lxml element to edit."""
    return etree.fromstring(data, _TRUSTED)


def part_bytes(root: Any, standalone: bool = True) -> bytes:
    """The serialised part: UTF-8, with the XML declaration Word writes."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                standalone=standalone))


def qname(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def w(tag: str) -> str:
    """The WordprocessingML name ``w:tag``, as lxml spells it."""
    return qname(W, tag)


# CT_Settings (ECMA-376 Part 1, 17.15.1.78) up to w:trackRevisions: Word refuses a settings
# part whose children stand in another order
_SETTINGS_ORDER = [
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState",
    "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions"]


# CT_PPr: the children of a w:pPr (CT_PPrBase's sequence, then rPr, sectPr, pPrChange)
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
             "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
             "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange"]


def in_schema_order(parent: Any, child: Any, order: list[str]) -> Any:
    """``child`` put into ``parent`` where the schema puts it: before the first child that
    ``order`` (the schema's sequence of local names, up to ``child``'s at least) does not put
    before it; Word refuses a part whose children stand in another order."""
    earlier = set(order[:order.index(etree.QName(child).localname)])
    following = next((existing for existing in parent.iterchildren(etree.Element)
                      if etree.QName(existing).localname not in earlier), None)
    if following is None:
        parent.append(child)
    else:
        following.addprevious(child)
    return child


def schema_child(parent: Any, tag: str, order: list[str]) -> Any:
    """``parent``'s ``w:tag`` child; if it has none, a new empty one put where the schema
    puts it (``order``, as for :func:`in_schema_order`)."""
    child = parent.find(w(tag))
    if child is None:
        child = in_schema_order(parent, parent.makeelement(w(tag), {}), order)
    return child


def switch_on(settings: bytes, name: str) -> bytes:
    """word/settings.xml with the on/off setting ``w:name`` (one of ``_SETTINGS_ORDER``) on,
    placed where the schema puts it."""
    root = trusted_xml(settings)
    element = schema_child(root, name, _SETTINGS_ORDER)
    element.attrib.pop(w("val"), None)  # on, whatever it said
    return part_bytes(root)
