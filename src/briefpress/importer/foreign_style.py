"""Turn the blocks of a Word file briefpress did not make into what a brief of the house says.

A brief's Markdown is read with pandoc's ``smart`` extension: a straight quote or
apostrophe reads as a curly one, ``--`` as a dash, ``...`` as an ellipsis, and every
edition prints them so. A Word file someone typed without Word's AutoFormat (or one a
program wrote) holds the straight characters; written back as they are, pandoc's
Markdown writer escapes each (``it\\'s``, and a recommendation's YAML value keeps the
backslash). So the body's text is first made what a brief reads: the paragraphs that
hold such characters are written by pandoc without ``smart`` and read again with it,
which curls them as the house's own Markdown would, and the import's writer (with
``smart``) then writes them plainly (``it's``). :func:`house_typography` does that.

Word lists have no looseness: pandoc's docx reader makes every item a paragraph, which
Markdown writes as a loose list (a blank line between items, ``<li><p>`` on the web page);
:func:`tight_lists` makes a list of one paragraph an item tight, as a brief writes it.
"""

from __future__ import annotations

import re

from msgspec import Struct

from briefpress import pandoc
from briefpress.importer.docxread import EditedBlock
from briefpress.model import blocks

_STRAIGHT = ("'", '"', "--", "...")
"""What pandoc's ``smart`` reading turns into typography: straight quotes and apostrophes,
two or three hyphens (a dash), three dots (an ellipsis)."""

_SPLIT = "<!--briefpress-typography-->"

# pandoc's own Markdown, all its extensions, with and without ``smart``: the paragraphs are
# written and read in one dialect, so that only what ``smart`` reads changes
_WRITTEN = "markdown-smart"
_READ = "markdown+smart"


def _has_straight(node: blocks.Node) -> bool:
    return any(isinstance(inner, blocks.Str) and any(s in inner.c for s in _STRAIGHT)
               for inner in blocks.walk(node))


def _count(found: list[blocks.Inline]) -> dict[str, int]:
    """How many of each of :data:`_STRAIGHT` the words of ``found`` hold (``---`` counts as
    one dash, ``--`` inside it not again)."""
    counts = dict.fromkeys(("quotes", "dashes", "dots"), 0)
    for node in blocks.walk(found):
        if isinstance(node, blocks.Str):
            counts["quotes"] += node.c.count("'") + node.c.count('"')
            counts["dashes"] += len(re.findall("-{2,3}", node.c))
            counts["dots"] += node.c.count("...")
    return counts


class Typography(Struct):
    """What :func:`house_typography` changed, for the import's report."""

    quotes: int = 0
    """Straight quotes and apostrophes curled."""
    dashes: int = 0
    """``--`` and ``---`` read as dashes."""
    dots: int = 0
    """``...`` read as an ellipsis."""

    def notice(self) -> str | None:
        """The report's line, or None when nothing changed."""
        parts = []
        if self.quotes:
            parts.append(f"{self.quotes} straight quote(s) and apostrophe(s) curl (it's → it’s)")
        if self.dashes:
            parts.append(f"{self.dashes} double or triple hyphen(s) are a dash (-- → –)")
        if self.dots:
            parts.append(f"{self.dots} run(s) of three dots are an ellipsis (... → …)")
        if not parts:
            return None
        return ("the Word file's text has straight characters, which a brief's Markdown "
                "reads as every edition prints them: " + "; ".join(parts) + ". brief.md "
                "and recommendations.yaml write them as briefs do, with no backslash "
                "(`it's`, not `it\\'s`)")


def house_typography(found: list[EditedBlock], api: list[int]) -> Typography:
    """Make the text of ``found`` (in place) what a brief's Markdown reads: each paragraph,
    heading or other run of words holding a straight quote, ``--`` or ``...`` written by
    pandoc without ``smart`` and read again with it (two pandoc runs for the whole file,
    none when no paragraph holds one). What changed is counted, for the report."""
    runs: list[list[blocks.Inline]] = []

    def collect(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.Plain | blocks.Header):  # Plain, Para or Header
            if _has_straight(node):
                runs.append(node.content)
            return node  # a note's paragraphs go with the paragraph that calls it
        return None

    for block in found:
        blocks.rewrite(block.block, collect)
    done = Typography()
    if not runs:
        return done
    body: list[blocks.Block] = [blocks.RawBlock(("html", _SPLIT))]
    for inlines in runs:
        body += [blocks.Para(inlines), blocks.RawBlock(("html", _SPLIT))]
    text = pandoc.convert(blocks.document(body, api), _WRITTEN, ["--wrap=preserve"])
    read = blocks.decode(pandoc.run(text, "json", _READ)).blocks
    parts: list[list[blocks.Block]] = [[]]
    for block in read:
        if isinstance(block, blocks.RawBlock) and block.c == ("html", _SPLIT):
            parts.append([])
        else:
            parts[-1].append(block)
    parts = parts[1:-1]
    if len(parts) != len(runs) or not all(
            len(part) == 1 and isinstance(part[0], blocks.Plain) for part in parts):
        return done  # read otherwise than written (never seen): the text stays as it was
    typeset = iter(part[0].content for part in parts)
    olds = iter(runs)

    def replace(node: blocks.Node) -> blocks.Node | None:
        if isinstance(node, blocks.Plain | blocks.Header):
            if not _has_straight(node):
                return node
            new, old = next(typeset), next(olds)
            before, after = _count(old), _count(new)
            done.quotes += before["quotes"] - after["quotes"]
            done.dashes += before["dashes"] - after["dashes"]
            done.dots += before["dots"] - after["dots"]
            if isinstance(node, blocks.Header):
                return blocks.Header((node.level, node.attr, new))
            return type(node)(new)
        return None

    for block in found:
        block.block = blocks.rewrite(block.block, replace)
    return done


def tight_lists(found: list[EditedBlock]) -> None:
    """Make each list of ``found`` (in place) tight where Word's was: every item one
    paragraph, perhaps followed by lists (each looked at on its own). pandoc's docx reader
    makes every item a paragraph (Word has no loose lists, only paragraph spacing), which
    Markdown writes with a blank line between items and the web page as ``<li><p>``. A list
    whose item holds two paragraphs (or a paragraph and a table, a quote…) stays loose, as
    Markdown needs it."""

    def tighten(node: blocks.Node) -> blocks.Node | None:
        if not isinstance(node, blocks.BulletList | blocks.OrderedList):
            return None
        items = [blocks.rewrite(item, tighten) for item in node.items]
        if all(_one_paragraph(item) for item in items):
            items = [[blocks.Plain(part.content) if type(part) is blocks.Para else part
                      for part in item] for item in items]
        if isinstance(node, blocks.OrderedList):
            return blocks.OrderedList((node.c[0], items))
        return blocks.BulletList(items)

    for block in found:
        block.block = blocks.rewrite(block.block, tighten)


def _one_paragraph(item: list[blocks.Block]) -> bool:
    """Whether a list item is at most one paragraph (or plain text), then only lists."""
    rest = item[1:] if item and isinstance(item[0], blocks.Plain) else item
    return all(isinstance(part, blocks.BulletList | blocks.OrderedList) for part in rest)
