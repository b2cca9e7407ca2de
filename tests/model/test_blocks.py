"""The typed pandoc model: pandoc's JSON in and out unchanged, walked, stringified, rewritten."""

from __future__ import annotations

import json

import msgspec
import pytest

from briefpress import pandoc
from briefpress.model import blocks as b

KITCHEN_SINK = """\
- a *b* **c** "q" 'r' [l](http://x "t"){.c}[^1] `c` ~s~ ^p^ [sm]{.smallcaps} $m$ [@doe, p. 3]
    1) nested
       - deeper

[^1]: A note.

    Its second paragraph.

| a | b |
|--:|:-|
| 1 | 2 |

: A caption.

![alt](i.png "t")

3) x

Term
:   definition

| a line block

---

> quoted

```python
code
```

::: {#d .c k=v}
text[^2] with [a span]{.s} and ~~struck~~ [under]{.underline}\\
after a break
:::

[^2]: Second.
"""


def parse(markdown: str) -> bytes:
    return pandoc.run(markdown, "json", pandoc.MARKDOWN).encode("utf-8")


def test_decode_encode_is_exact_for_every_construct() -> None:
    raw = parse(KITCHEN_SINK)
    document = b.decode(raw)
    assert json.loads(b.encode(document)) == json.loads(raw)
    kinds = {type(node).__name__ for node in b.walk(document.blocks)}
    assert {"BulletList", "OrderedList", "Table", "Figure", "Note", "Cite", "Quoted",
            "DefinitionList", "LineBlock", "HorizontalRule", "BlockQuote", "CodeBlock",
            "Div", "Span", "Strikeout", "Underline", "LineBreak", "SmallCaps"} <= kinds


def test_the_model_reads_by_name() -> None:
    document = b.decode(parse("# Title {#t}\n\nSee [here](https://e.org \"T\").\n\n3. x\n"))
    header, para, items = document.blocks
    assert isinstance(header, b.Header) and header.level == 1 and header.attr[0] == "t"
    link = next(node for node in b.walk(para) if isinstance(node, b.Link))
    assert (link.url, link.title, b.stringify(link.content)) == ("https://e.org", "T", "here")
    assert isinstance(items, b.OrderedList) and items.start == 3


def test_not_pandoc_json_is_refused() -> None:
    with pytest.raises(msgspec.ValidationError):
        b.decode(b'{"pandoc-api-version": [1, 23], "meta": {}, "blocks": [{"t": "Nope"}]}')


def test_stringify_matches_pandoc_plain_text() -> None:
    document = b.decode(parse('A "quoted" *word*[^1] and `code`.\n\n[^1]: Not in the text.\n'))
    assert b.stringify(document.blocks) == "A \u201cquoted\u201d word and code."


def test_plain_inlines_are_what_pandoc_reads_from_plain_words() -> None:
    [para] = b.decode(parse("Figure  2:\tthe  map\n")).blocks
    assert b.plain_inlines(" Figure 2:  the\nmap ") == para.content
    assert b.plain_inlines("") == []


def test_rewrite_copies_and_splices() -> None:
    document = b.decode(parse("One *two* three.\n"))

    def replace(node: b.Node) -> object:
        if isinstance(node, b.Emph):
            return [b.Str("2"), b.Str("!")]
        return None

    rewritten = b.rewrite(document.blocks, replace)
    assert b.stringify(rewritten) == "One 2! three."
    assert b.stringify(document.blocks) == "One two three."  # the original is unchanged
