"""The limits module: defaults, overrides from the environment, refusals of nonsense."""

from __future__ import annotations

import pytest

from briefpress.errors import BriefError
from briefpress.support import limits
from conftest import ROOT


def test_each_limit_has_its_default_unless_the_environment_says_otherwise(monkeypatch):
    for limit in limits.ALL:
        monkeypatch.delenv(limit.env, raising=False)
        assert limit.value() == limit.default
    monkeypatch.setenv("BRIEFPRESS_LIMIT_SECTIONS", "5_000")
    assert limits.SECTIONS.value() == 5000
    monkeypatch.setenv("BRIEFPRESS_LIMIT_NOTES", "0")
    assert limits.NOTES.value() == 0


@pytest.mark.parametrize("value", ["0", "-3", "ten", "1.5"])
def test_a_time_limit_must_be_a_positive_whole_number(monkeypatch, value):
    monkeypatch.setenv("BRIEFPRESS_LIMIT_PANDOC_SECONDS", value)
    with pytest.raises(BriefError) as caught:
        limits.PANDOC_SECONDS.value()
    assert str(caught.value) == (
        f"BRIEFPRESS_LIMIT_PANDOC_SECONDS: error: {value!r} is not a whole number of at least 1 "
        "(fix: set BRIEFPRESS_LIMIT_PANDOC_SECONDS to a number of seconds (default 60), or "
        "unset it)")


def test_every_limit_is_documented_with_its_variable():
    security = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    names = [limit.name for limit in limits.ALL]
    assert len(set(names)) == len(names)
    for limit in limits.ALL:
        assert f"`{limit.env}`" in security, limit.env
