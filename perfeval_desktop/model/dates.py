"""Chinese dates, formatted by hand: the one way the program writes 2022年4月6日.

Never pass Chinese text through ``strftime``/``strptime``: on a Windows runtime the C library
formats in the ANSI code page, and ``"%Y年%m月%d日"`` fails there under every locale
(``UnicodeEncodeError`` under code page 1252, ``ValueError: Invalid format string`` under 936).
``tests/test_no_strftime.py`` guards the package source against it.
"""

from __future__ import annotations

import datetime as _dt


def chinese_date(date: _dt.date) -> str:
    """2022年4月6日 — year, month and day without leading zeros, as the published reports write."""
    return f"{date.year}年{date.month}月{date.day}日"


def chinese_year_month(date: _dt.date) -> str:
    """2022年4月 — the 填报年月 of a cover page."""
    return f"{date.year}年{date.month}月"
