"""Turn the repository's two real-shaped briefs into a catalog of N varied ones in a folder.

The bench's catalog group (:mod:`tools.bench`) builds these; a publisher's catalog is not
one brief copied N times, so each generated brief differs from its source in its title,
date, keywords and length (body paragraphs repeated or trimmed), in the rows of its table
where the source has one, and in which recommendations it keeps::

    python -m tools.catalog FOLDER [--count N] [--seed S]

writes ``FOLDER/content/<slug>/brief.md`` and ``recommendations.yaml`` (and the images a
brief uses). Brief ``i`` is the same whatever ``N``, so a catalog of 10 is the first 10 of a
catalog of 100. The sources are ``content/us-rok-partnership`` (long, with links) and
``tests/fixtures/briefs/arctic-shipping`` (short, with notes, a figure and a table). The
body is changed as pandoc's document model (:mod:`briefpress.model.blocks`) and written by
pandoc's Markdown writer; the front matter and recommendations as YAML by PyYAML.
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from msgspec import Struct

from briefpress import pandoc
from briefpress.model import blocks
from briefpress.read.brief import read_text, split_front_matter
from briefpress.support import paths

SOURCES = (paths.ROOT / "content" / "us-rok-partnership",
           paths.ROOT / "tests" / "fixtures" / "briefs" / "arctic-shipping")

_TITLE_TURNS = ("", "Revisited", "A Second Look", "What Comes Next", "The Case for Action",
                "An Update", "Lessons So Far")
_LENGTHS = ("short", "as written", "as written", "long", "very long")
_WRITE_ARGS = ["--wrap=none"]  # a paragraph on one line, as the sources write them


class Source(Struct, frozen=True):
    """One source brief, read once: its front matter, body and recommendations."""

    folder: Path
    front: dict[str, Any]
    body: bytes
    """The body as pandoc's JSON (decoded afresh for each brief: a private copy to change)."""
    recommendations: dict[str, Any]


@cache
def source(index: int) -> Source:
    folder = SOURCES[index]
    path = folder / "brief.md"
    front, body, _ = split_front_matter(read_text(path), path)
    document, _ = pandoc.parse_markdown(body, str(path))
    recommendations = yaml.safe_load(read_text(folder / "recommendations.yaml"))
    return Source(folder, yaml.safe_load(front), blocks.encode(document), recommendations)


def slug_of(index: int) -> str:
    """The slug of brief ``index``: its source's slug and its number."""
    return f"{SOURCES[index % len(SOURCES)].name}-{index:04d}"


def generate(folder: Path, count: int, seed: int = 0) -> list[str]:
    """Write ``count`` varied briefs under ``folder/content``; return their slugs."""
    content = folder / "content"
    content.mkdir(parents=True, exist_ok=True)
    return [write_brief(content, index, seed) for index in range(count)]


def write_brief(content: Path, index: int, seed: int = 0) -> str:
    """Write brief ``index`` of the catalog into ``content/<slug>/``; return its slug."""
    rng = random.Random(f"{seed}:{index}")
    origin = source(index % len(SOURCES))
    slug = slug_of(index)
    target = content / slug
    target.mkdir(parents=True, exist_ok=True)
    for extra in origin.folder.iterdir():  # the images the brief uses
        if extra.name not in ("brief.md", "recommendations.yaml") and extra.is_file():
            shutil.copyfile(extra, target / extra.name)

    front = dict(origin.front)
    turn = rng.choice(_TITLE_TURNS)
    front["title"] = f"{front['title']}{': ' + turn if turn else ''} (No. {index + 1})"
    front["date"] = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2000))
    keywords = list(front.get("keywords", []))
    rng.shuffle(keywords)
    front["keywords"] = keywords[:max(1, rng.randint(len(keywords) // 2, len(keywords)))]

    document = blocks.decode(origin.body)
    document.blocks = _vary_lengths(document.blocks, rng.choice(_LENGTHS), rng)
    for table in (b for b in document.blocks if isinstance(b, blocks.Table)):
        _vary_rows(table, rng)
    body = pandoc.convert(document, pandoc.MARKDOWN, _WRITE_ARGS, str(target / "brief.md"))
    _write_brief_md(target / "brief.md", yaml.safe_dump(front, sort_keys=False,
                                                        allow_unicode=True, width=1000), body)
    (target / "recommendations.yaml").write_text(
        yaml.safe_dump(_vary_recommendations(origin.recommendations, rng), sort_keys=False,
                       allow_unicode=True, width=1000), encoding="utf-8")
    return slug


def _write_brief_md(path: Path, front: str, body: str) -> None:
    path.write_text(f"---\n{front.rstrip()}\n---\n\n{body}", encoding="utf-8")


def _vary_lengths(body: list[blocks.Block], length: str, rng: random.Random
                  ) -> list[blocks.Block]:
    """The body with paragraphs trimmed (short) or repeated (long), each section keeping its
    first paragraph, every heading and every figure and table."""
    out: list[blocks.Block] = []
    first_in_section = True
    for block in body:
        if isinstance(block, blocks.Header):
            first_in_section = True
            out.append(block)
            continue
        if not isinstance(block, blocks.Para) or first_in_section:
            first_in_section = first_in_section and not isinstance(block, blocks.Para)
            out.append(block)
            continue
        if length == "short" and rng.random() < 0.5:
            continue
        out.append(block)
        repeats = {"long": 1, "very long": 3}.get(length, 0)
        out.extend(block for _ in range(rng.randint(0, repeats)))
    return out


def _vary_rows(table: blocks.Table, rng: random.Random) -> None:
    """Keep some of the table's body rows and add later years after them."""
    for body in table.c[4]:
        rows = body[3]
        if not rows:
            continue
        kept = rows[:rng.randint(1, len(rows))]
        last = kept[-1]
        values = [_number(cell) for cell in last[1]]
        for step in range(1, rng.randint(0, 4) + 1):
            if None in values:
                break
            cells = [(cell[0], cell[1], cell[2], cell[3],
                      [blocks.Plain([blocks.Str(str(value + step * (2 if column == 0 else
                                                                      rng.randint(1, 9))))])])
                     for column, (cell, value) in enumerate(zip(last[1], values, strict=True))
                     if value is not None]
            kept.append((last[0], cells))
        rows[:] = kept


def _number(cell: blocks.Cell) -> int | None:
    text = blocks.stringify(cell[4])
    return int(text) if text.isdigit() else None


def _vary_recommendations(recommendations: dict[str, Any], rng: random.Random
                          ) -> dict[str, Any]:
    """The recommendations with some left out (each area keeps at least one)."""
    areas = []
    for area in recommendations.get("areas", []):
        recs = list(area.get("recommendations", []))
        kept = [rec for rec in recs if rng.random() < 0.75] or recs[:1]
        areas.append({**area, "recommendations": kept})
    return {**recommendations, "areas": areas}


def edit_paragraph(folder: Path, revision: int) -> None:
    """Change one paragraph of the brief in ``folder``: its last top-level paragraph gains a
    sentence naming ``revision`` (no heading, listing or description changes)."""
    path = folder / "brief.md"
    front, body, _ = split_front_matter(read_text(path), path)
    document, _ = pandoc.parse_markdown(body, str(path))
    last = max(i for i, block in enumerate(document.blocks) if isinstance(block, blocks.Para))
    para = document.blocks[last]
    assert isinstance(para, blocks.Para)
    para.c.extend([blocks.Space(), blocks.Str("(Revised"), blocks.Space(),
                   blocks.Str(f"{revision}.)")])
    _write_brief_md(path, front, pandoc.convert(document, pandoc.MARKDOWN, _WRITE_ARGS,
                                                str(path)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.catalog", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    slugs = generate(args.folder, args.count, args.seed)
    print(f"{len(slugs)} briefs in {args.folder / 'content'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
