"""Turn the brief before and after an import into the structural losses the import would cause.

An import may change any word, but it may not silently drop or reorder a
section, drop a recommendation, break a link or turn a cross-reference into fixed
text: those are refused with a message naming what went missing, unless the user
forces the import.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection
from pathlib import Path

from briefpress.check.brief import check_brief, check_notes, undefined_notes
from briefpress.errors import Problem
from briefpress.importer.signature import normalize_url
from briefpress.model import blocks, xref
from briefpress.model.brief import Brief

FORCE = "restore it in the Word file and import again, or import with --force to accept"


JOINED_FIX = ("reject that change in Word (the paragraph break before the heading) and "
              "import again, or import with --force to accept")


def structural_losses(before: Brief, after: Brief, docx: Path | str,
                      joined: Collection[str] = ()) -> list[Problem]:
    """What ``after`` loses from ``before``: sections, order, recommendations, links.
    ``joined`` names (by id or title) the headings a tracked change to the paragraph
    break before them joined to the paragraph before: a section dropped that way is
    said to be, since the editor removed a break, not the section."""
    problems: list[Problem] = []
    kept = {s.id for s in after.walk()}
    joined = {" ".join(name.split()).casefold() for name in joined}
    for section in before.walk():
        if section.id in kept:
            continue
        message = f"the import would drop section {section.title!r} (#{section.id})"
        if (section.id.casefold() in joined
                or " ".join(section.title.split()).casefold() in joined):
            problems.append(Problem(docx, None, f"{message}: a tracked change takes away the "
                                    "paragraph break before its heading, which joins the "
                                    "heading to the paragraph before it", JOINED_FIX))
        else:
            problems.append(Problem(docx, None, message, FORCE))
    order_before = [s.id for s in before.walk() if s.id in kept]
    still = {s.id for s in before.walk()}
    order_after = [s.id for s in after.walk() if s.id in still]
    # the sections off the longest common order are the ones that moved
    matcher = difflib.SequenceMatcher(None, order_before, order_after, autojunk=False)
    staying = {order_after[b.b + k] for b in matcher.get_matching_blocks() for k in range(b.size)}
    for index, ident in enumerate(order_after):
        if ident in staying:
            continue
        section = after.section(ident)
        was = order_before.index(ident)
        problems.append(Problem(docx, None, "the import would move section "
                                f"{_title(section, ident)!r} (#{ident}) from after "
                                f"{_after(before, order_before, was)} to after "
                                f"{_after(after, order_after, index)}", FORCE))
    recs_after = {r.id for a in after.recommendations.areas for r in a.recommendations}
    for area in before.recommendations.areas:
        for rec in area.recommendations:
            if rec.id not in recs_after:
                problems.append(Problem(docx, None, f"the import would drop recommendation "
                                        f"{rec.id!r} (area {area.title!r})", FORCE))
    for label in lost_notes(before, after):
        problems.append(Problem(docx, None, f"the import would leave the call of note "
                                f"[^{label}] without its definition (every edition would "
                                f"print \"[^{label}]\" as text)", FORCE))
    problems.extend(_references_made_text(before, after, docx))
    targets_after = {normalize_url(link.url) for link in after.links if link.url.strip()}
    phrases_after = {" ".join(link.text.split()) for link in after.links}
    # a phrase still linked, to another address, was given a new target: that is an edit
    retargeted = {" ".join(link.text.split()) for link in after.links if link.url.strip()}
    dropped = []
    for link in before.links:
        phrase = " ".join(link.text.split())
        if link.url.strip() and normalize_url(link.url) not in targets_after and \
                phrase not in retargeted:
            problems.append(Problem(docx, None, f"the import would break the link "
                                    f"{link.text!r} to {link.url}", FORCE))
        elif not link.url.strip() and phrase not in phrases_after:
            dropped.append(link)
    # a link still to be found has no address to be known by: each one the source did not
    # have is one of those gone, its words edited (the likeliest of them)
    phrases_before = {" ".join(link.text.split()) for link in before.links}
    for link in after.links:
        phrase = " ".join(link.text.split())
        if dropped and not link.url.strip() and phrase not in phrases_before:
            dropped.remove(max(dropped, key=lambda gone: difflib.SequenceMatcher(
                None, " ".join(gone.text.split()), phrase, autojunk=False).ratio()))
    problems.extend(Problem(docx, None, f"the import would drop the link {link.text!r}, whose "
                            "target is still to be found", FORCE) for link in dropped)
    return problems


def _references_made_text(before: Brief, after: Brief, docx: Path | str) -> list[Problem]:
    """The cross-references ``after`` turns into fixed text: a target still there that a
    paragraph refers to fewer times, while that same paragraph holds its label ("Figure
    1", a section's title as written) as typed words more often than before. The importer
    makes such words a reference again where the reference stood (``xref.retyped``); words
    typed anywhere else would go stale when a figure or table is added before it. A label
    typed in another paragraph ("the conclusion of the war" beside a section titled
    "Conclusion"), or words the paragraph already had, are no reference made text."""
    was = _reference_counts(before)
    if not was:
        return []
    now = _reference_counts(after)
    table, still = xref.targets(before), xref.targets(after)
    fewer = {key for key, count in was.items()
             if now[key] < count and key in table and key in still}
    if not fewer:
        return []
    paragraphs_after = _paragraphs(after)
    texts_after = [blocks.stringify(paragraph) for paragraph in paragraphs_after]
    made: list[str] = []
    for paragraph in _paragraphs(before):
        refs = _references_in(paragraph)
        if not fewer.intersection(refs):
            continue
        text = blocks.stringify(paragraph)
        # the paragraph the editor made of it: the one of ``after`` whose words are likest
        likeness, place = _likest(text, texts_after)
        if likeness < 0.5:
            continue  # deleted, or rewritten past knowing: no label typed in its place
        edited = paragraphs_after[place]
        left = _references_in(edited)
        typed_before = Counter(xref.typed_keys([paragraph], table))
        typed_after = Counter(xref.typed_keys([edited], table))
        made.extend(key for key in sorted(fewer.intersection(refs), key=list(was).index)
                    if left[key] < refs[key] and typed_after[key] > typed_before[key]
                    and key not in made)
    problems = []
    for key in sorted(made, key=list(was).index):
        target = table[key]
        follows = "title" if target.kind == "section" else "number"
        problems.append(Problem(
            docx, None, f"the import would turn the cross-reference @{key} into the fixed "
            f"text {target.label!r}, which would not follow the {target.kind}'s {follows} "
            "when the brief changes",
            f"keep the reference in the Word file (edit the words around it, not the "
            f"reference) and import again, or import with --force and write @{key} for the "
            "text in the source after"))
    return problems


def _likest(text: str, others: list[str]) -> tuple[float, int]:
    """How alike ``text`` and the likest of ``others`` are (0 to 1), and which it is."""
    best, place = 0.0, -1
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(text)
    for number, other in enumerate(others):
        matcher.set_seq1(other)
        # the cheap upper bounds first: most paragraphs are nothing like it
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            ratio = matcher.ratio()
            if ratio > best:
                best, place = ratio, number
    return best, place


def _paragraphs(brief: Brief) -> list[blocks.Block]:
    """The runs of words of ``brief`` (paragraphs, list items, captions), each once: the
    outermost, a note's paragraphs within its own."""
    found: list[blocks.Block] = []
    for block in _all_blocks(brief):
        if isinstance(block, blocks.Plain):
            found.append(block)
        else:
            found.extend(node for node in blocks.walk(block) if isinstance(node, blocks.Plain))
    return found


def _references_in(paragraph: blocks.Block) -> Counter[str]:
    """How many times ``paragraph`` refers to each cross-reference key."""
    return Counter(key for node in blocks.walk(paragraph)
                   for key in xref.reference_keys(node))


def _reference_counts(brief: Brief) -> Counter[str]:
    """How many times the text of ``brief`` refers to each cross-reference key."""
    index = brief.index
    return Counter(citation.citation_id for cite in index.find(blocks.Cite, index.whole)
                   if xref.is_xref(cite) for citation in cite.citations)


def _all_blocks(brief: Brief) -> list[blocks.Block]:
    """The sections' own blocks and the fragments held in YAML, in one list."""
    return [*(block for section in brief.walk() for block in section.blocks),
            *(block for content in brief.fragments.values() for block in content)]


def lost_notes(before: Brief, after: Brief) -> list[str]:
    """The labels of the notes ``after`` calls without a definition that ``before`` had."""
    undefined = undefined_notes(before)
    return [label for label in undefined_notes(after) if label not in undefined]


def source_errors(after: Brief, adding: Collection[str] = (),
                  before: Brief | None = None) -> list[Problem]:
    """Errors ``check`` would report on the imported source (warnings are left to check),
    once the files in ``adding`` (the images taken from the Word file) are beside it. With
    ``before``, a note call the import leaves without its definition is left to
    :func:`structural_losses`, which names it as a loss."""
    errors = [p for p in check_brief(after, adding=adding) if p.severity == "error"]
    if before is None or not (lost := lost_notes(before, after)):
        return errors
    reported = {(p.line, p.message) for p in check_notes(after)
                if any(f"[^{label}]" in p.message for label in lost)}
    return [p for p in errors if (p.line, p.message) not in reported]


def _title(section: object, ident: str) -> str:
    return getattr(section, "title", ident)


def _after(brief: Brief, order: list[str], index: int) -> str:
    if index == 0:
        return "the title"
    ident = order[index - 1]
    return f"{_title(brief.section(ident), ident)!r}"
