"""The source of truth of the US-ROK brief is a faithful transcription of the published text.

The fixture ``tests/fixtures/seed/us-rok-brief.txt`` is the brief as extracted from its PDF,
with known layout damage (see the seed's README). This module undoes that damage
programmatically, independently of the briefpress package, and checks that the content in
``content/us-rok-partnership`` holds exactly the published blocks (headings, paragraphs,
recommendations, bio) in the published reading order: nothing lost, nothing copy-edited,
nothing invented.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pypandoc
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed" / "us-rok-brief.txt"
LINKS = ROOT / "tests" / "fixtures" / "seed" / "links.yaml"
CONTENT = ROOT / "content" / "us-rok-partnership"
BRIEF = CONTENT / "brief.md"
RECOMMENDATIONS = CONTENT / "recommendations.yaml"

# The pipeline generates this heading and places the recommendations under it, after the
# Executive Summary; the author's bio is rendered from the front matter after the Conclusion.
RECOMMENDATIONS_HEADING = "Policy Recommendations"

# The brief's structure: (level, id, heading text), in reading order.
EXPECTED_HEADINGS = [
    (1, "executive-summary", "Executive Summary"),
    (1, "introduction", "Introduction"),
    (1, "policy-alignment", "US-ROK Policy Alignment"),
    (1, "security-and-defense", "Strategic Alliance: Security and Defense"),
    (2, "nuclear-consultative-group", "1) US-ROK Nuclear Consultative Group"),
    (2, "joint-military-exercises", "2) Joint US-ROK Military Training Exercises"),
    (2, "defense-cooperation-platforms", "3) Expanding Defense Cooperation Platforms"),
    (1, "nontraditional-security", "Expanding Cooperation: Nontraditional Security"),
    (2, "economic-security", "1) Economic Security & Supply Chain Resiliency"),
    (2, "digital-cybersecurity", "2) Digital & Cybersecurity"),
    (2, "climate-energy-policy", "3) Climate & Energy Policy"),
    (1, "conclusion", "Conclusion"),
]

# Joining rule for page breaks. In the published brief every paragraph is a complete
# sentence sequence and so ends in terminal punctuation (. ? !), possibly followed by a
# closing quote or parenthesis. A seed paragraph that does not is the first half of a
# paragraph cut by a page break (the running title, dropped before joining, or just a blank
# line sat between the halves), so it continues into the next paragraph. Headings are never
# joined, and a page break never splits a paragraph into a heading or a bullet.
TERMINAL = re.compile(r"[.?!][\"')\u201d\u2019]*$")

# Exceptions: paragraphs that end without terminal punctuation in the published brief itself.
# They are complete and must not be joined to what follows.
UNTERMINATED_BY_AUTHOR = (
    # The last paragraph of the Conclusion has no final period in the PDF (an author's slip,
    # kept as published); the author's bio follows it.
    "continuity, and expansion in the Indo-Pacific region",
)

EXPECTED_JOINS = 7  # four with the running title between the halves, three without

# Colophon social glyphs of the back page -> network names used in the front matter.
SOCIAL_GLYPHS = {"f": "facebook", "X": "x", "in": "linkedin"}


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "para" or "bullet"
    text: str


@dataclass(frozen=True)
class Join:
    text: str  # the whole joined paragraph
    halves: tuple[str, str]
    across_running_title: bool


@dataclass(frozen=True)
class Seed:
    title: str
    subtitle: str
    byline: str
    blocks: list[Block]  # the reading order, damage undone
    joins: list[Join]
    colophon: list[str]
    underlined: list[str]  # the <u>...</u> segments, in reading order


def normalize(text: str) -> str:
    """Collapse whitespace: the only difference between equal texts that is not content."""
    return " ".join(text.split())


def clean_inline(text: str) -> str:
    """Strip the extraction's inline markup; superscript becomes pandoc's ``^x^`` notation."""
    text = re.sub(r"<sup>(.*?)</sup>", r"^\1^", text)
    text = text.replace("<u>", "").replace("</u>", "").replace("**", "")
    return normalize(text)


def seed_chunks(text: str) -> list[Block]:
    """Split the seed into headings, paragraphs and bullets (hard-wrapped bullet lines joined)."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        if not chunk.strip():
            continue
        if chunk.startswith("#"):
            blocks.append(Block("heading", clean_inline(chunk.lstrip("#"))))
        elif chunk.startswith(("- ", "• ")):
            items: list[str] = []
            for line in chunk.splitlines():
                if line.startswith(("- ", "• ")):
                    items.append(line[2:])
                else:  # an indented continuation line of a hard-wrapped bullet
                    items[-1] += " " + line
            blocks.extend(Block("bullet", clean_inline(item)) for item in items)
        else:
            blocks.append(Block("para", clean_inline(chunk)))
    return blocks


@cache
def seed() -> Seed:
    raw = SEED.read_text(encoding="utf-8")
    chunks = seed_chunks(raw)

    # Title block: title, subtitle and byline precede the first section. They are metadata.
    first_section = next(
        i for i, b in enumerate(chunks) if b.kind == "heading" and b.text == "Executive Summary"
    )
    (title, subtitle, byline) = (b.text for b in chunks[:first_section])
    assert byline.startswith("By ")
    chunks = chunks[first_section:]

    # Colophon: everything after the author's bio (the back page, under one more running
    # title) is publisher metadata.
    author = byline.removeprefix("By ")
    bio = next(i for i, b in enumerate(chunks) if b.text.startswith(f"{author} is "))
    colophon = [b.text for b in chunks[bio + 1 :] if b.text != title]
    chunks = chunks[: bio + 1]

    # The running title (the title, repeated between paragraphs) and the "(Continued)" headings
    # are layout. A run-in heading colon ("Geopolitical Security Engagement:") is typography.
    kept: list[Block] = []
    after_running_title: list[bool] = []
    dropped_running_title = False
    for b in chunks:
        if b.text == title or (b.kind == "heading" and b.text.endswith("(Continued)")):
            dropped_running_title |= b.text == title
            continue
        if b.kind == "heading":
            b = Block("heading", b.text.removesuffix(":"))
        kept.append(b)
        after_running_title.append(dropped_running_title)
        dropped_running_title = False

    # Join the paragraphs split by a page break (see TERMINAL and UNTERMINATED_BY_AUTHOR).
    blocks: list[Block] = []
    joins: list[Join] = []
    for b, across in zip(kept, after_running_title, strict=True):
        prev = blocks[-1] if blocks else None
        if (
            prev is not None
            and prev.kind == "para"
            and not TERMINAL.search(prev.text)
            and not prev.text.endswith(UNTERMINATED_BY_AUTHOR)
        ):
            assert b.kind == "para", f"unterminated paragraph before a {b.kind}: {prev.text!r}"
            whole = Block("para", f"{prev.text} {b.text}")
            blocks[-1] = whole
            joins.append(Join(whole.text, (prev.text, b.text), across))
        else:
            blocks.append(b)

    underlined = [normalize(u) for u in re.findall(r"<u>(.*?)</u>", raw)]
    return Seed(title, subtitle, byline, blocks, joins, colophon, underlined)


# --- the source -------------------------------------------------------------------------------


def stringify(inlines: list[dict]) -> str:
    """Plain text of pandoc inlines, keeping superscript as ``^x^`` and quotes as typed."""
    out: list[str] = []
    for node in inlines:
        t, c = node["t"], node.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps"):
            out.append(stringify(c))
        elif t in ("Link", "Span"):
            out.append(stringify(c[1]))
        elif t == "Superscript":
            out.append(f"^{stringify(c)}^")
        elif t == "Quoted":
            quote = '"' if c[0]["t"] == "DoubleQuote" else "'"
            out.append(f"{quote}{stringify(c[1])}{quote}")
        elif t in ("Code", "RawInline"):
            out.append(c[1])
        else:
            raise AssertionError(f"unexpected inline {t} in brief.md")
    return normalize("".join(out))


@cache
def ast() -> dict:
    # "-smart": the source keeps the seed's characters (straight quotes, "..."); curly
    # typography is a rendering choice, so read the file as typed.
    return json.loads(pypandoc.convert_file(str(BRIEF), "json", format="markdown-smart"))


@cache
def front_matter() -> dict:
    text = BRIEF.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "brief.md must start with YAML front matter"
    return yaml.safe_load(match.group(1))


@cache
def recommendations() -> dict:
    return yaml.safe_load(RECOMMENDATIONS.read_text(encoding="utf-8"))


@cache
def links_yaml() -> list[dict]:
    return yaml.safe_load(LINKS.read_text(encoding="utf-8"))


def body_blocks() -> list[tuple[str, str]]:
    """(pandoc block type, text) of brief.md's body; Header ids are checked separately."""
    blocks = []
    for node in ast()["blocks"]:
        if node["t"] == "Header":
            blocks.append(("Header", stringify(node["c"][2])))
        elif node["t"] == "Para":
            blocks.append(("Para", stringify(node["c"])))
        else:
            blocks.append((node["t"], json.dumps(node)[:200]))
    return blocks


def source_blocks() -> list[Block]:
    """The published reading order assembled from the source of truth, as the pipeline does."""
    kinds = {"Header": "heading", "Para": "para"}
    body = [Block(kinds.get(t, t), text) for t, text in body_blocks()]
    recs = recommendations()
    inserted = [Block("heading", RECOMMENDATIONS_HEADING), Block("para", normalize(recs["intro"]))]
    for area in recs["areas"]:
        inserted.append(Block("heading", normalize(area["title"])))
        inserted += [Block("bullet", normalize(r["text"])) for r in area["recommendations"]]
    introduction = body.index(Block("heading", "Introduction"))
    bio = Block("para", normalize(front_matter()["authors"][0]["bio"]))
    return body[:introduction] + inserted + body[introduction:] + [bio]


def link_nodes() -> list[tuple[str, str, str]]:
    """(link text, target, text of the enclosing paragraph) of every Link, in reading order."""
    found = []

    def walk(node: object, para: str) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Para":
                para = stringify(node["c"])
            if node.get("t") == "Link":
                found.append((stringify(node["c"][1]), node["c"][2][0], para))
            for value in node.values():
                walk(value, para)
        elif isinstance(node, list):
            for value in node:
                walk(value, para)

    walk(ast()["blocks"], "")
    return found


def brief_body_text() -> str:
    return re.sub(r"\A---\n.*?\n---\n", "", BRIEF.read_text(encoding="utf-8"), flags=re.DOTALL)


# --- the seed side is parsed as documented ----------------------------------------------------


def test_seed_damage_is_undone():
    s = seed()
    for b in s.blocks:
        assert b.text != s.title, "running title survived"
        assert "(Continued)" not in b.text
        assert not re.search(r"<u>|</u>|<sup>|\*\*|^#|^- |^•", b.text), b.text
    assert s.subtitle == "Policy Opportunities, Challenges, and Pitfalls"
    assert s.blocks[-1].text.startswith("Kayla Orta is ")


def test_seed_has_seven_page_break_joins():
    joins = seed().joins
    assert len(joins) == EXPECTED_JOINS, [j.halves for j in joins]
    assert sum(j.across_running_title for j in joins) == 4
    assert ("situated within the ROK", "governments larger") in [
        (j.halves[0][-23:], j.halves[1][:18]) for j in joins
    ]


# --- the source holds the seed, in order, and nothing else ------------------------------------


def test_every_seed_block_is_in_the_source_in_order():
    source = source_blocks()
    position = 0
    for block in seed().blocks:
        try:
            position = source.index(block, position) + 1
        except ValueError:
            pytest.fail(f"seed {block.kind} missing or out of order in the source: {block.text!r}")


def test_source_invents_nothing():
    seed_blocks = seed().blocks
    extra = [b for b in source_blocks() if b not in seed_blocks]
    assert not extra, f"not in the published brief: {extra}"


def test_source_reading_order_is_exactly_the_seed():
    assert source_blocks() == seed().blocks


def test_the_seven_joined_paragraphs_exist_whole():
    paragraphs = [text for t, text in body_blocks() if t == "Para"]
    for join in seed().joins:
        assert join.text in paragraphs, f"paragraph not joined: {join.halves[0][-40:]!r}"
        assert join.halves[0] not in paragraphs and join.halves[1] not in paragraphs


def test_no_running_title_or_continued_heading_survives():
    running_title = seed().title
    body = brief_body_text()
    assert running_title not in body
    assert "(Continued)" not in body
    assert "(Continued)" not in RECOMMENDATIONS.read_text(encoding="utf-8")
    assert all(running_title not in b.text for b in source_blocks())


# --- structure and markup of brief.md ---------------------------------------------------------


def test_body_is_only_headings_and_paragraphs():
    assert {t for t, _ in body_blocks()} == {"Header", "Para"}, body_blocks()


def test_headings_levels_and_ids():
    headings = [
        (n["c"][0], n["c"][1][0], stringify(n["c"][2]))
        for n in ast()["blocks"]
        if n["t"] == "Header"
    ]
    assert headings == EXPECTED_HEADINGS


def test_executive_summary_has_four_paragraphs():
    blocks = body_blocks()
    start = blocks.index(("Header", "Executive Summary"))
    end = blocks.index(("Header", "Introduction"))
    assert [t for t, _ in blocks[start + 1 : end]] == ["Para"] * 4


def test_every_paragraph_is_one_line_separated_by_one_blank_line():
    body = brief_body_text().strip("\n")
    assert "\n\n\n" not in body
    chunks = body.split("\n\n")
    definitions = chunks.pop()  # the link reference definitions, one per line
    assert all("\n" not in chunk for chunk in chunks)
    assert all(re.fullmatch(r"\[[a-z0-9-]+\]: .*", line) for line in definitions.splitlines())


def test_superscript_is_pandoc_markup():
    assert "70^th^ anniversary" in brief_body_text()
    assert "<sup>" not in brief_body_text()
    assert any("70^th^ anniversary" in text for _, text in body_blocks())


# --- links ------------------------------------------------------------------------------------


def test_links_are_the_twelve_phrases_with_their_known_targets():
    expected = [(entry["text"], entry["url"] or "") for entry in links_yaml()]
    assert len(expected) == 12
    assert [(text, url) for text, url, _ in link_nodes()] == expected


def test_links_sit_in_their_published_context():
    for (text, _, para), entry in zip(link_nodes(), links_yaml(), strict=True):
        assert text in para
        assert entry["context"] in para, entry["context"]


def test_links_are_the_underlined_phrases_of_the_seed():
    raw = SEED.read_text(encoding="utf-8")
    underlined = seed().underlined
    texts = [entry["text"] for entry in links_yaml()]
    assert len(underlined) == len(texts)
    for segment, text in zip(underlined, texts, strict=True):
        # A cut underline covers the start of the phrase; the rest follows it in the seed.
        rest = text.removeprefix(segment).strip()
        assert text.startswith(segment)
        assert not rest or f"<u>{segment}</u> {rest}" in raw, text


def test_reference_definitions_close_the_file_in_reading_order():
    body = brief_body_text()
    lines = body.rstrip("\n").split("\n")
    definitions = [re.fullmatch(r"\[([a-z0-9-]+)\]: (.*)", line) for line in lines]
    first = next(i for i, m in enumerate(definitions) if m)
    assert all(definitions[first:]), "reference definitions must all be at the end"
    labels = [m.group(1) for m in definitions[first:]]
    used = list(dict.fromkeys(re.findall(r"\]\[([a-z0-9-]+)\]", body)))
    assert labels == used
    assert len(labels) == len(links_yaml())
    targets = [m.group(2) for m in definitions[first:]]
    assert targets == [entry["url"] or "<>" for entry in links_yaml()], "never invent a URL"


def test_recommendations_are_not_links():
    for area in recommendations()["areas"]:
        for rec in area["recommendations"]:
            assert not re.search(r"[\[\]<>]", rec["text"]), rec["id"]


# --- recommendations --------------------------------------------------------------------------


def test_recommendation_areas_and_counts():
    areas = recommendations()["areas"]
    assert [(a["id"], a["title"], len(a["recommendations"])) for a in areas] == [
        ("geopolitical-security-engagement", "Geopolitical Security Engagement", 4),
        ("economic-security-enhancement", "Economic Security Enhancement", 3),
    ]


def test_recommendation_ids_are_unique_slugs_and_sections_exist():
    recs = [r for a in recommendations()["areas"] for r in a["recommendations"]]
    ids = [r["id"] for r in recs]
    assert len(set(ids)) == len(ids) == 7
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    section_ids = {heading_id for _, heading_id, _ in EXPECTED_HEADINGS}
    assert all(r["section"] in section_ids for r in recs)
    assert all(set(r) == {"id", "section", "text"} for r in recs)


# --- metadata ---------------------------------------------------------------------------------


def test_front_matter_holds_title_block_and_bio():
    s, meta = seed(), front_matter()
    assert meta["title"] == s.title
    assert meta["subtitle"] == s.subtitle
    assert [f"By {a['name']}" for a in meta["authors"]] == [s.byline]
    assert meta["authors"][0]["bio"] == s.blocks[-1].text
    assert meta["type"] == "policy-brief" and meta["lang"] == "en-US"
    assert "date" not in meta, "the seed gives no date"
    assert 5 <= len(meta["keywords"]) <= 8


def test_front_matter_holds_colophon():
    publisher = front_matter()["publisher"]
    address, short_name, *social = seed().colophon
    assert address == " ".join([publisher["name"], *publisher["address"]])
    assert short_name == publisher["short_name"]
    handles = [line.split(" ", 1) for line in social]
    assert [(SOCIAL_GLYPHS[glyph], handle) for glyph, handle in handles] == [
        (entry["network"], entry["handle"]) for entry in publisher["social"]
    ]


def test_bio_is_not_in_the_body():
    bio = normalize(front_matter()["authors"][0]["bio"])
    assert all(bio != text for _, text in body_blocks())
