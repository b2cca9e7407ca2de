"""read/tokens.py: the design tokens as styles/tokens.yaml has them, now."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpress.read import tokens as tokens_file


def test_the_design_tokens_follow_the_file(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = tmp_path / "tokens.yaml"
    tokens.write_bytes(tokens_file.TOKENS.read_bytes())
    monkeypatch.setattr(tokens_file, "TOKENS", tokens)
    before = tokens_file.house_tokens()["colors"]["navy"]
    assert before != "#123456"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace(before, "#123456", 1),
                      encoding="utf-8")
    assert tokens_file.house_tokens()["colors"]["navy"] == "#123456"


def test_a_token_length_is_read_in_points() -> None:
    """One reading of the tokens' lengths, for the Word styles and the tables' widths."""
    from briefpress.read.tokens import points

    assert [points(v) for v in ("12pt", "1in", "25.4mm", "2.54cm", "9", 7.5)] == pytest.approx(
        [12, 72, 72, 72, 9, 7.5])
    assert points("0.5em", em=11) == 5.5
    for bad in ("0.5em", "wide", "12px"):
        with pytest.raises(ValueError):
            points(bad)
