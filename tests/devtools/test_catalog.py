"""tools/catalog.py: N varied briefs from the two real-shaped ones, each passing check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tools.catalog import edit_paragraph, generate, slug_of

from briefpress.model import blocks
from briefpress.model.brief import Section
from briefpress.read.brief import read_brief


def _briefpress(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefpress.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


def _body(sections: list[Section]) -> list[blocks.Block]:
    """The blocks written in brief.md (not those generated from YAML), in order."""
    return [block for section in sections if section.generated_from is None
            for block in [*section.blocks, *_body(section.children)]]


def test_a_generated_catalog_is_varied_and_every_brief_passes_check(tmp_path: Path) -> None:
    slugs = generate(tmp_path, 8)
    assert slugs == [slug_of(i) for i in range(8)]
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == sorted(slugs)
    briefs = [read_brief(tmp_path / "content" / slug) for slug in slugs]
    assert len({b.meta.title for b in briefs}) == 8
    assert len({b.meta.date for b in briefs}) > 1
    assert {slug.rsplit("-", 1)[0] for slug in slugs} == {"us-rok-partnership",
                                                          "arctic-shipping"}
    for origin in ("us-rok-partnership", "arctic-shipping"):  # lengths differ per source
        sizes = {len((tmp_path / "content" / s / "brief.md").read_bytes())
                 for s in slugs if s.startswith(origin)}
        assert len(sizes) > 1, origin
    tables = [[len(list(t.rows())) for t in blocks.walk(_body(b.sections))
               if isinstance(t, blocks.Table)] for b in briefs if b.slug.startswith("arctic")]
    assert all(len(found) == 1 for found in tables)
    assert len({found[0] for found in tables}) > 1  # rows trimmed or added
    assert (tmp_path / "content" / slug_of(1) / "transits.png").is_file()

    done = _briefpress("check", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\n0 error(s), " in done.stderr


def test_a_catalog_of_ten_is_the_first_ten_of_a_catalog_of_a_hundred(tmp_path: Path) -> None:
    generate(tmp_path / "small", 3)
    generate(tmp_path / "large", 5)
    for index in range(3):
        for name in ("brief.md", "recommendations.yaml"):
            small = tmp_path / "small" / "content" / slug_of(index) / name
            assert small.read_bytes() == (tmp_path / "large" / "content" / slug_of(index)
                                          / name).read_bytes()


def test_editing_a_paragraph_changes_that_paragraph_only(tmp_path: Path) -> None:
    [slug] = generate(tmp_path, 1)
    folder = tmp_path / "content" / slug
    before = read_brief(folder)
    edit_paragraph(folder, 7)
    after = read_brief(folder)
    assert after.meta == before.meta
    assert [s.id for s in after.sections] == [s.id for s in before.sections]
    old, new = ([blocks.stringify(p) for p in blocks.walk(_body(b.sections))
                 if isinstance(p, blocks.Para)] for b in (before, after))
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed == [(changed[0][0], changed[0][0] + " (Revised 7.)")]
    assert _briefpress("check", slug, cwd=tmp_path).returncode == 0
