"""SOURCE_DATE_EPOCH read and checked (support/epoch.py)."""

from __future__ import annotations

import datetime

import pytest

from briefpress.errors import BriefError, Problem
from briefpress.support.epoch import (
    FALLBACK_DATE,
    FALLBACK_EPOCH,
    MAX_EPOCH,
    edition_date,
    source_date_epoch,
)

FIX = "set it to a whole number of seconds, e.g. `git log -1 --format=%ct`, or unset it"


@pytest.mark.parametrize(("value", "seconds"), [
    (None, None), ("", None), ("  \n", None), ("0", 0), (" 1700000000\n", 1700000000),
    (str(MAX_EPOCH), 253402300799)])
def test_seconds_or_none(monkeypatch: pytest.MonkeyPatch, value: str | None,
                         seconds: int | None) -> None:
    if value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert source_date_epoch() == seconds


@pytest.mark.parametrize(("value", "shown"), [
    ("-1", "-1"), ("1.5", "1.5"), ("253402300800", "253402300800"),
    ("\u0661\u0662", "\u0661\u0662"),  # Arabic-Indic digits: str.isdigit, yet no number
    ("1" * 41, "1" * 40 + "…"), ("x" * 40, "x" * 40)])
def test_anything_else_is_refused_and_shown_shortened(monkeypatch: pytest.MonkeyPatch,
                                                      value: str, shown: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(BriefError) as caught:
        source_date_epoch()
    assert caught.value.problems == [Problem(
        "SOURCE_DATE_EPOCH", None,
        f"not a number of seconds since 1970 up to year 9999: {shown!r}", FIX)]


def test_an_edition_is_dated_by_the_epoch_else_the_brief_else_not_at_all(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert edition_date(None) is None
    assert edition_date(datetime.date(2024, 3, 1)) == datetime.datetime(
        2024, 3, 1, tzinfo=datetime.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert edition_date(None) == edition_date(datetime.date(2024, 3, 1)) == (
        datetime.datetime.fromtimestamp(1700000000, datetime.UTC))
    # the one fixed date, where a format needs one: the same instant both ways
    assert datetime.datetime.fromtimestamp(FALLBACK_EPOCH, datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ") == FALLBACK_DATE
