"""The OOXML helpers every Word module uses (support/ooxml.py): safe text, parts and settings."""

from __future__ import annotations

import pytest
from lxml import etree

from briefpress.support.ooxml import (
    W,
    part_bytes,
    qname,
    schema_child,
    switch_on,
    trusted_xml,
    w,
    xml_safe,
)

HOSTILE = "Ties <&> \"allies\" & 'partners'\x01\x0b\x1f\ufffe: a ]]> test\x00"
CLEAN = "Ties <&> \"allies\" & 'partners': a ]]> test"

SETTINGS = (f'<?xml version="1.0" encoding="UTF-8"?><w:settings xmlns:w="{W}">'
            '<w:zoom w:percent="100" /><w:embedSystemFonts /><!-- kept -->'
            '<w:proofState w:grammar="clean" /><w:doNotTrackMoves />'
            '<w:defaultTabStop w:val="720" /></w:settings>').encode()

# CT_Settings (ECMA-376 Part 1, 17.15.1.78) up to w:defaultTabStop, written out here rather
# than read from the module: the test states the standard's order on its own
SETTINGS_ORDER = [
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState",
    "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions",
    "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop"]


def parse(data: bytes) -> etree._Element:
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'")
    return etree.fromstring(data)


def names(root: etree._Element) -> list[str]:
    return [c.tag.removeprefix(f"{{{W}}}") if isinstance(c.tag, str) else "comment"
            for c in root]


def test_xml_safe_keeps_text_and_drops_what_xml_cannot_carry() -> None:
    assert xml_safe(HOSTILE) == CLEAN
    kept = "tab\there\nnew line\r, Hangul 한국, emoji \U0001f30f, private \ue000"
    assert xml_safe(kept) == kept
    assert xml_safe("lone \ud800 surrogate") == "lone  surrogate"


def test_xml_safe_keeps_exactly_the_characters_of_xml_1_0_s_char_production() -> None:
    def allowed(code: int) -> bool:  # Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | ...
        return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF
                or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)
    every = "".join(map(chr, range(0x110000)))
    assert xml_safe(every) == "".join(chr(code) for code in range(0x110000) if allowed(code))


def test_what_xml_safe_leaves_lxml_can_write_and_read_back() -> None:
    element = etree.Element(w("t"))
    with pytest.raises(ValueError):
        element.text = HOSTILE
    element.text = xml_safe(HOSTILE)
    assert parse(part_bytes(element)).text == CLEAN


def test_qname_is_clark_notation() -> None:
    assert qname(W, "p") == "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
    assert etree.QName(qname(W, "p")).localname == "p"
    assert w("p") == qname(W, "p")  # the WordprocessingML shorthand


def test_trusted_parts_keep_comments_and_whitespace_through_a_round_trip() -> None:
    data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document '
            f'xmlns:w="{W}"><!-- pandoc --><w:body>\n  <w:p><w:r><w:t xml:space="preserve">'
            ' two  spaces </w:t></w:r></w:p>\n</w:body></w:document>').encode()
    root = trusted_xml(data)
    written = part_bytes(root)
    assert written.startswith(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>")
    again = etree.fromstring(written)
    assert again[0].tag is etree.Comment and again[0].text == " pandoc "
    assert again.find(f"{w('body')}/{w('p')}//{w('t')}").text == " two  spaces "
    assert again.find(w("body")).text == "\n  "
    assert part_bytes(root, standalone=False).startswith(
        b"<?xml version='1.0' encoding='UTF-8' standalone='no'?>")


def test_trusted_parts_expand_no_entities() -> None:
    data = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<d>&e;</d>')
    root = trusted_xml(data)
    assert "root:" not in (root.text or "")
    assert b"root:" not in part_bytes(root)


def test_a_schema_child_is_found_or_added_where_the_schema_puts_it() -> None:
    """The run properties' children (CT_RPr: rFonts, b, …, color, spacing, …, sz, …, u):
    one already there is returned as it is; a missing one is added between its schema
    neighbours, once."""
    order = ["rStyle", "rFonts", "b", "i", "color", "spacing", "w", "kern", "sz", "u"]
    rpr = trusted_xml(f'<w:rPr xmlns:w="{W}"><w:b/><w:color w:val="FF0000"/><!-- kept -->'
                      '<w:sz w:val="20"/><w:u w:val="single"/></w:rPr>'.encode())
    color = rpr.find(w("color"))
    assert schema_child(rpr, "color", order) is color
    spacing = schema_child(rpr, "spacing", order)
    assert spacing.getprevious().tag is etree.Comment and spacing.getnext().tag == w("sz")
    assert schema_child(rpr, "spacing", order) is spacing
    schema_child(rpr, "rFonts", order)
    assert names(rpr) == ["rFonts", "b", "color", "comment", "spacing", "sz", "u"]
    assert not schema_child(rpr, "rFonts", order).attrib  # a new one is empty


def test_settings_switches_go_where_the_schema_puts_them() -> None:
    tracked = switch_on(SETTINGS, "trackRevisions")
    assert names(parse(tracked)) == ["zoom", "embedSystemFonts", "comment", "proofState",
                                     "trackRevisions", "doNotTrackMoves", "defaultTabStop"]
    both = switch_on(tracked, "embedTrueTypeFonts")
    assert names(parse(both)) == ["zoom", "embedTrueTypeFonts", "embedSystemFonts", "comment",
                                  "proofState", "trackRevisions", "doNotTrackMoves",
                                  "defaultTabStop"]
    assert switch_on(both, "trackRevisions") == both  # once is enough
    # an explicit "off" is turned on, not left beside a second element
    off = SETTINGS.replace(b"<w:doNotTrackMoves />", b'<w:trackRevisions w:val="false"/>')
    root = parse(switch_on(off, "trackRevisions"))
    assert len(root.findall(w("trackRevisions"))) == 1
    assert root.find(w("trackRevisions")).get(w("val")) is None
    bare = f'<w:settings xmlns:w="{W}"/>'.encode()
    assert names(parse(switch_on(bare, "trackRevisions"))) == ["trackRevisions"]


@pytest.mark.parametrize("start", [0, 7, 19])
def test_every_switch_turned_on_in_any_order_keeps_the_schema_order(start: int) -> None:
    """Switching on each setting the helper knows, one after another from an arbitrary
    point, leaves the part in the standard's order, the settings it had kept around them."""
    switchable = SETTINGS_ORDER[:SETTINGS_ORDER.index("trackRevisions") + 1]
    data = SETTINGS
    for name in switchable[start:] + switchable[:start]:
        data = switch_on(data, name)
    found = [n for n in names(parse(data)) if n != "comment"]
    assert found == [n for n in SETTINGS_ORDER if n in found]
    assert set(found) == set(switchable) | {"doNotTrackMoves", "defaultTabStop"}

