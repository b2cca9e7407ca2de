"""support/xmlescape.py: text and attribute values escaped for XML written as strings."""

from __future__ import annotations

from lxml import etree

from briefpress.support.xmlescape import xml_attr, xml_text


def test_text_escapes_markup_but_not_quotes():
    assert xml_text('a < b & c > "d" \'e\'') == 'a &lt; b &amp; c &gt; "d" \'e\''


def test_attribute_is_quoted_and_escaped():
    assert xml_attr('say "hi" & <go>') == '"say &quot;hi&quot; &amp; &lt;go&gt;"'


def test_escaped_values_parse_back_to_themselves():
    value = 'R&D <"quoted"> \'single\' – é'
    root = etree.fromstring(f"<r a={xml_attr(value)}>{xml_text(value)}</r>")
    assert root.get("a") == value
    assert root.text == value
