from __future__ import annotations

import datetime as dt

import pytest

from perfeval_desktop.errors import InputError
from perfeval_desktop.model.dates import parse_date


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-15",
        "2025.3.15",
        "2025年3月15日",
        "20250315",
        "2025/3/15",
        "２０２５．３．１５",
        " 2025-3-15 ",
    ],
)
def test_dates_as_clerks_write_them(text: str) -> None:
    assert parse_date(text, "填报日期") == dt.date(2025, 3, 15)


def test_empty_is_not_filled_in() -> None:
    assert parse_date("  ", "填报日期") is None


@pytest.mark.parametrize("text", ["2025-02-30", "3月15日", "abc", "2025315"])
def test_bad_dates_are_named(text: str) -> None:
    with pytest.raises(InputError, match="填报日期") as info:
        parse_date(text, "填报日期")
    assert "2025-03-15" in info.value.message
