"""Chinese dates, formatted by hand: the one way the program writes 2022年4月6日.

Never pass Chinese text through ``strftime``/``strptime``: on a Windows runtime the C library
formats in the ANSI code page, and ``"%Y年%m月%d日"`` fails there under every locale
(``UnicodeEncodeError`` under code page 1252, ``ValueError: Invalid format string`` under 936).
``tests/test_no_strftime.py`` guards the package source against it.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..errors import InputError
from .numbers import normalize

_SEPARATED = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
DATE_HINT = "如 2025-03-15、2025.3.15、2025年3月15日 或 20250315"


def chinese_date(date: _dt.date) -> str:
    """2022年4月6日 — year, month and day without leading zeros, as the published reports write."""
    return f"{date.year}年{date.month}月{date.day}日"


def chinese_year_month(date: _dt.date) -> str:
    """2022年4月 — the 填报年月 of a cover page."""
    return f"{date.year}年{date.month}月"


def parse_date(text: str, field: str) -> _dt.date | None:
    """A date as clerks type it (``2025-03-15``, ``2025.3.15``, ``2025/3/15``,
    ``2025年3月15日``, ``20250315``, full-width digits too) into ``field``; empty is None."""
    raw = normalize(text)
    if not raw:
        return None
    match = _SEPARATED.match(raw) or _COMPACT.match(raw)
    if match is None:
        raise InputError(f"“{field}”应为日期，“{text.strip()}”无法识别。请输入日期，{DATE_HINT}。")
    year, month, day = (int(g) for g in match.groups())
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise InputError(
            f"“{field}”没有这一天：{year}年{month}月{day}日。请输入日期，{DATE_HINT}。"
        ) from None
