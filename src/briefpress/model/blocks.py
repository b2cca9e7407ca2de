"""Turn pandoc's JSON into typed blocks and inlines, and back, with nothing lost.

The body of a brief is pandoc's document model (pandoc-types 1.23, as pandoc 3
writes it), typed: every element is a :class:`msgspec.Struct` named as pandoc names
it, whose one field ``c`` holds what pandoc's JSON holds under ``"c"``, typed.
``decode`` and ``encode`` are exact inverses for anything pandoc writes, so a
renderer that needs pandoc (HTML, DOCX) hands it the model as it is, and a reader
of an edition (the importer) gets the same types back. Named properties
(``Header.level``, ``Link.url``…) say what each position of ``c`` means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import msgspec
from msgspec import Struct, field

Attr = tuple[str, list[str], list[tuple[str, str]]]
"""An element's id, classes and key-value attributes."""
Target = tuple[str, str]
"""A link's or image's URL and title."""

NO_ATTR: Attr = ("", [], [])


def attr(ident: str = "", classes: list[str] | None = None,
         pairs: list[tuple[str, str]] | None = None) -> Attr:
    """A fresh Attr (the lists are new: elements may change theirs)."""
    return (ident, list(classes or []), list(pairs or []))


class Node(Struct, tag_field="t", tag=True):
    """An element of pandoc's document model; its JSON is ``{"t": <class name>, "c": …}``."""


# ------------------------------------------------------------------ enumerations (no "c")

class SingleQuote(Node): pass  # noqa: E701
class DoubleQuote(Node): pass  # noqa: E701
class DisplayMath(Node): pass  # noqa: E701
class InlineMath(Node): pass  # noqa: E701
class AuthorInText(Node): pass  # noqa: E701
class SuppressAuthor(Node): pass  # noqa: E701
class NormalCitation(Node): pass  # noqa: E701
class DefaultStyle(Node): pass  # noqa: E701
class Example(Node): pass  # noqa: E701
class Decimal(Node): pass  # noqa: E701
class LowerRoman(Node): pass  # noqa: E701
class UpperRoman(Node): pass  # noqa: E701
class LowerAlpha(Node): pass  # noqa: E701
class UpperAlpha(Node): pass  # noqa: E701
class DefaultDelim(Node): pass  # noqa: E701
class Period(Node): pass  # noqa: E701
class OneParen(Node): pass  # noqa: E701
class TwoParens(Node): pass  # noqa: E701
class AlignLeft(Node): pass  # noqa: E701
class AlignRight(Node): pass  # noqa: E701
class AlignCenter(Node): pass  # noqa: E701
class AlignDefault(Node): pass  # noqa: E701
class ColWidthDefault(Node): pass  # noqa: E701


class ColWidth(Node):
    c: float
    """The column's share of the text width."""


QuoteType = SingleQuote | DoubleQuote
MathType = DisplayMath | InlineMath
CitationMode = AuthorInText | SuppressAuthor | NormalCitation
ListNumberStyle = (DefaultStyle | Example | Decimal | LowerRoman | UpperRoman | LowerAlpha
                   | UpperAlpha)
ListNumberDelim = DefaultDelim | Period | OneParen | TwoParens
Alignment = AlignLeft | AlignRight | AlignCenter | AlignDefault
ColumnWidth = ColWidth | ColWidthDefault


# ------------------------------------------------------------------ inlines

class Str(Node):
    c: str


class Space(Node): pass  # noqa: E701
class SoftBreak(Node): pass  # noqa: E701
class LineBreak(Node): pass  # noqa: E701


class _Styled(Node):
    c: list[Inline]

    @property
    def content(self) -> list[Inline]:
        return self.c


class Emph(_Styled): pass  # noqa: E701
class Underline(_Styled): pass  # noqa: E701
class Strong(_Styled): pass  # noqa: E701
class Strikeout(_Styled): pass  # noqa: E701
class Superscript(_Styled): pass  # noqa: E701
class Subscript(_Styled): pass  # noqa: E701
class SmallCaps(_Styled): pass  # noqa: E701


class Quoted(Node):
    c: tuple[QuoteType, list[Inline]]

    @property
    def double(self) -> bool:
        return isinstance(self.c[0], DoubleQuote)

    @property
    def content(self) -> list[Inline]:
        return self.c[1]


class Citation(Struct, rename="camel"):
    """One key of a citation (``[@key, p. 4]``)."""

    citation_id: str
    citation_prefix: list[Inline] = field(default_factory=list)
    citation_suffix: list[Inline] = field(default_factory=list)
    citation_mode: CitationMode = field(default_factory=NormalCitation)
    citation_note_num: int = 0
    citation_hash: int = 0


class Cite(Node):
    c: tuple[list[Citation], list[Inline]]

    @property
    def citations(self) -> list[Citation]:
        return self.c[0]

    @property
    def content(self) -> list[Inline]:
        return self.c[1]


class Code(Node):
    c: tuple[Attr, str]

    @property
    def text(self) -> str:
        return self.c[1]


class Math(Node):
    c: tuple[MathType, str]

    @property
    def text(self) -> str:
        return self.c[1]


class RawInline(Node):
    c: tuple[str, str]
    """Format and text."""

    @property
    def format(self) -> str:
        return self.c[0]


class _Linked(Node):
    c: tuple[Attr, list[Inline], Target]

    @property
    def attr(self) -> Attr:
        return self.c[0]

    @property
    def content(self) -> list[Inline]:
        return self.c[1]

    @property
    def url(self) -> str:
        return self.c[2][0]

    @property
    def title(self) -> str:
        return self.c[2][1]


class Link(_Linked): pass  # noqa: E701
class Image(_Linked): pass  # noqa: E701


class Note(Node):
    c: list[Block]

    @property
    def content(self) -> list[Block]:
        return self.c


class Span(Node):
    c: tuple[Attr, list[Inline]]

    @property
    def attr(self) -> Attr:
        return self.c[0]

    @property
    def content(self) -> list[Inline]:
        return self.c[1]


Inline = (Str | Space | SoftBreak | LineBreak | Emph | Underline | Strong | Strikeout | Superscript
          | Subscript | SmallCaps | Quoted | Cite | Code | Math | RawInline | Link | Image | Note
          | Span)


# ------------------------------------------------------------------ blocks

class Plain(Node):
    c: list[Inline]

    @property
    def content(self) -> list[Inline]:
        return self.c


class Para(Plain): pass  # noqa: E701


class LineBlock(Node):
    c: list[list[Inline]]


class CodeBlock(Node):
    c: tuple[Attr, str]

    @property
    def text(self) -> str:
        return self.c[1]


class RawBlock(Node):
    c: tuple[str, str]
    """Format and text."""

    @property
    def format(self) -> str:
        return self.c[0]


class BlockQuote(Node):
    c: list[Block]

    @property
    def content(self) -> list[Block]:
        return self.c


ListAttributes = tuple[int, ListNumberStyle, ListNumberDelim]
"""An ordered list's start number, numbering style and delimiter."""


class OrderedList(Node):
    c: tuple[ListAttributes, list[list[Block]]]

    @property
    def start(self) -> int:
        return self.c[0][0]

    @property
    def items(self) -> list[list[Block]]:
        return self.c[1]


class BulletList(Node):
    c: list[list[Block]]

    @property
    def items(self) -> list[list[Block]]:
        return self.c


class DefinitionList(Node):
    c: list[tuple[list[Inline], list[list[Block]]]]


class Header(Node):
    c: tuple[int, Attr, list[Inline]]

    @property
    def level(self) -> int:
        return self.c[0]

    @property
    def attr(self) -> Attr:
        return self.c[1]

    @property
    def content(self) -> list[Inline]:
        return self.c[2]


class HorizontalRule(Node): pass  # noqa: E701


Caption = tuple[list[Inline] | None, list["Block"]]
"""A table's or figure's short caption (rarely given) and caption."""
ColSpec = tuple[Alignment, ColumnWidth]
Cell = tuple[Attr, Alignment, int, int, list["Block"]]
"""A cell's attributes, alignment, row span, column span and content."""
Row = tuple[Attr, list[Cell]]
TableHead = tuple[Attr, list[Row]]
TableBody = tuple[Attr, int, list[Row], list[Row]]
"""Attributes, row-head columns, intermediate head rows and body rows."""
TableFoot = tuple[Attr, list[Row]]


class Table(Node):
    c: tuple[Attr, Caption, list[ColSpec], TableHead, list[TableBody], TableFoot]

    @property
    def attr(self) -> Attr:
        return self.c[0]

    @property
    def caption(self) -> list[Block]:
        return self.c[1][1]

    @property
    def colspecs(self) -> list[ColSpec]:
        return self.c[2]

    def rows(self) -> Iterator[Row]:
        """Every row, head, bodies and foot, in order."""
        yield from self.c[3][1]
        for body in self.c[4]:
            yield from body[2]
            yield from body[3]
        yield from self.c[5][1]


class Figure(Node):
    c: tuple[Attr, Caption, list[Block]]

    @property
    def attr(self) -> Attr:
        return self.c[0]

    @property
    def caption(self) -> list[Block]:
        return self.c[1][1]

    @property
    def content(self) -> list[Block]:
        return self.c[2]


class Div(Node):
    c: tuple[Attr, list[Block]]

    @property
    def attr(self) -> Attr:
        return self.c[0]

    @property
    def content(self) -> list[Block]:
        return self.c[1]


Block = (Plain | Para | LineBlock | CodeBlock | RawBlock | BlockQuote | OrderedList | BulletList
         | DefinitionList | Header | HorizontalRule | Table | Figure | Div)


# ------------------------------------------------------------------ documents

class MetaMap(Node):
    c: dict[str, MetaValue]


class MetaList(Node):
    c: list[MetaValue]


class MetaBool(Node):
    c: bool


class MetaString(Node):
    c: str


class MetaInlines(Node):
    c: list[Inline]


class MetaBlocks(Node):
    c: list[Block]


MetaValue = MetaMap | MetaList | MetaBool | MetaString | MetaInlines | MetaBlocks


class Document(Struct):
    """A whole pandoc document, as ``pandoc -t json`` writes it."""

    api_version: list[int] = field(name="pandoc-api-version")
    meta: dict[str, MetaValue]
    blocks: list[Block]


def decode(data: bytes | str) -> Document:
    """pandoc's JSON as a typed Document (msgspec.ValidationError if it is not one)."""
    return _DECODER.decode(data)


def encode(value: Document | Node | list[Any]) -> bytes:
    """The JSON pandoc reads for a Document (or any part of one)."""
    return _ENCODER.encode(value)


def document(blocks: list[Block], api_version: list[int]) -> Document:
    return Document(list(api_version), {}, blocks)


_DECODER = msgspec.json.Decoder(Document)
_ENCODER = msgspec.json.Encoder()


# ------------------------------------------------------------------ walking the tree

def children(value: Any) -> Iterator[Node | Citation]:
    """The elements directly below ``value`` (a node, a list or tuple of parts, a Citation)."""
    if isinstance(value, Node):
        value = getattr(value, "c", None)
    elif isinstance(value, Citation):
        value = (value.citation_prefix, value.citation_suffix)
    if isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (Node, Citation)):
                yield item
            elif isinstance(item, (list, tuple)):
                yield from children(item)


def walk(value: Any) -> Iterator[Node]:
    """Every element at or below ``value`` (a node or a list of them), in document order.

    Iterative: a brief's body has tens of thousands of elements, and several stages walk
    it, so the parts below a node go on the stack as they are, not copied into lists; the
    text and numbers among them fall through when popped, which costs less than sorting
    them out when pushed (1.4 ms a walk of the real brief against 2.1)."""
    stack: list[Any] = [value]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        current = pop()
        if isinstance(current, Node):
            yield current
            content = getattr(current, "c", None)
            if isinstance(content, (list, tuple)):
                push(content)
        elif isinstance(current, (list, tuple)):
            extend(reversed(current))
        elif isinstance(current, Citation):
            push((current.citation_prefix, current.citation_suffix))


def plain_inlines(text: str) -> list[Inline]:
    """Inlines of plain text: words and spaces, as pandoc's readers give them."""
    inlines: list[Inline] = []
    for index, word in enumerate(text.split()):
        if index:
            inlines.append(Space())
        inlines.append(Str(word))
    return inlines


def stringify(value: Any) -> str:
    """Plain text of an element or list of elements, as pandoc's ``stringify``: quotes as
    curly quotes, breaks as spaces, notes and raw text left out."""
    parts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):  # the closing quote of a Quoted, pushed below
            parts.append(current)
        elif isinstance(current, list):
            stack.extend(reversed(current))
        elif isinstance(current, Str):
            parts.append(current.c)
        elif isinstance(current, (Space, SoftBreak, LineBreak)):
            parts.append(" ")
        elif isinstance(current, (Code, Math)):
            parts.append(current.c[1])
        elif isinstance(current, Quoted):
            opening, closing = "\u201c\u201d" if current.double else "\u2018\u2019"
            parts.append(opening)
            stack.append(closing)
            stack.extend(reversed(current.content))
        elif isinstance(current, (Note, RawInline, RawBlock)):
            continue
        elif isinstance(current, (Link, Image, Span, Cite)):
            stack.extend(reversed(current.content))
        elif isinstance(current, Node):
            stack.extend(reversed(list(children(current))))
    return "".join(parts)


N = TypeVar("N")


def rewrite(value: N, replace: Callable[[Node], Any]) -> N:
    """A rewritten copy of ``value`` (a node or a list or tuple of parts); the original is
    left as it was.

    ``replace(node)`` is asked about every element, outside in: it returns what stands in
    the element's place (a node, or a list of nodes spliced into the enclosing list), or
    None to keep the element with its contents rewritten.
    """

    def recurse(current: Any) -> Any:
        if isinstance(current, list):
            out: list[Any] = []
            for item in current:
                new = recurse_node(item) if isinstance(item, Node) else recurse(item)
                if isinstance(item, Node) and isinstance(new, list):
                    out.extend(new)
                else:
                    out.append(new)
            return out
        if isinstance(current, tuple):
            return tuple(recurse(item) for item in current)
        if isinstance(current, Node):
            return recurse_node(current)
        if isinstance(current, Citation):
            return msgspec.structs.replace(
                current, citation_prefix=recurse(current.citation_prefix),
                citation_suffix=recurse(current.citation_suffix))
        return current

    def recurse_node(node: Node) -> Any:
        replaced = replace(node)
        if replaced is not None:
            return replaced
        if not hasattr(node, "c"):
            return node
        return msgspec.structs.replace(node, c=recurse(node.c))

    return recurse(value)
