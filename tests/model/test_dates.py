from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from perfeval_desktop.model.dates import chinese_date, chinese_year_month


def test_no_leading_zeros() -> None:
    assert chinese_date(dt.date(2022, 4, 6)) == "2022年4月6日"
    assert chinese_date(dt.date(2021, 12, 31)) == "2021年12月31日"
    assert chinese_year_month(dt.date(2022, 4, 6)) == "2022年4月"


def test_datetime_is_a_date() -> None:
    assert chinese_date(dt.datetime(2023, 3, 20, 23, 59)) == "2023年3月20日"


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_reads_back(date: dt.date) -> None:
    text = chinese_date(date)
    year, rest = text.split("年")
    month, rest = rest.split("月")
    assert rest.endswith("日") and text.isprintable()
    assert dt.date(int(year), int(month), int(rest[:-1])) == date
    assert chinese_year_month(date) == text[: text.index("月") + 1]
