"""support/backup.py: an import's backup is dropped once the imported sources have built."""

from __future__ import annotations

from pathlib import Path

from briefpress.model.brief import Brief
from briefpress.model.schema import Author, Metadata, Publisher, Recommendations
from briefpress.support.backup import BACKUP, release_after_build

MARKDOWN = "---\ntitle: T\n---\n\n# Intro\n\nText.\n"
RECS = "areas: []\n"


def brief_on_disk(tmp_path: Path, markdown: str = MARKDOWN, recs: str = RECS) -> Brief:
    """A brief read from ``markdown`` and ``recs``; the files on disk hold MARKDOWN and RECS."""
    folder = tmp_path / "content" / "a-brief"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brief.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "recommendations.yaml").write_text(RECS, encoding="utf-8")
    meta = Metadata(title="T", authors=[Author("A")], publisher=Publisher("P"))
    return Brief("a-brief", folder, meta, [], Recommendations(), [], markdown, recs)


def backup_of(tmp_path: Path) -> Path:
    backup = tmp_path / "build" / "a-brief" / BACKUP
    backup.mkdir(parents=True)
    (backup / "brief.md").write_text("the text before the import")
    return backup


def test_the_backup_of_the_sources_just_built_is_deleted(tmp_path):
    backup = backup_of(tmp_path)
    assert release_after_build(brief_on_disk(tmp_path), tmp_path / "build") is True
    assert not backup.exists()
    assert list(backup.parent.iterdir()) == []  # the renamed copy is gone too


def test_without_a_backup_nothing_happens(tmp_path):
    assert release_after_build(brief_on_disk(tmp_path), tmp_path / "build") is False


def test_the_backup_stays_when_the_sources_changed_since_they_were_read(tmp_path):
    backup = backup_of(tmp_path)
    for brief in (brief_on_disk(tmp_path, markdown=MARKDOWN + "More.\n"),
                  brief_on_disk(tmp_path, recs="intro: x\n")):
        assert release_after_build(brief, tmp_path / "build") is False
        assert (backup / "brief.md").read_text() == "the text before the import"


def test_a_byte_order_mark_on_disk_is_not_a_change(tmp_path):
    backup = backup_of(tmp_path)
    brief = brief_on_disk(tmp_path)
    brief.markdown_path.write_bytes(b"\xef\xbb\xbf" + MARKDOWN.encode())
    assert release_after_build(brief, tmp_path / "build") is True
    assert not backup.exists()


def test_a_release_killed_half_way_is_cleaned_up(tmp_path):
    stale = tmp_path / "build" / "a-brief" / f"{BACKUP}.12345.old"
    (stale / "sub").mkdir(parents=True)
    (stale / "sub" / "brief.md").write_text("x")
    assert release_after_build(brief_on_disk(tmp_path), tmp_path / "build") is False
    assert not stale.exists()
