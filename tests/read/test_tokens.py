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
