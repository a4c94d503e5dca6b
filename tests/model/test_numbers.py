"""Numbers as clerks type them are understood; anything else names the field and the fix."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfeval_desktop.errors import InputError
from perfeval_desktop.model.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("１２３", "number", D(123)),
        ("１２３．５", "number", D("123.5")),
        ("1,155.5万", "amount", D("1155.5")),
        ("1，155.5 万元", "amount", D("1155.5")),
        (" 701.23 ", "amount", D("701.23")),
        ("28,133.5元", "amount", D("2.81335")),
        ("60.7%", "rate", D("0.607")),
        ("６０．７％", "rate", D("0.607")),
        ("0.607", "rate", D("0.607")),
        ("85", "rate", D("0.85")),
        ("-3", "number", D(-3)),
        ("3.5分", "number", D("3.5")),
        ("", "amount", None),
        ("—", "amount", None),
    ],
)
def test_accepted(text: str, kind: str, expected: D | None) -> None:
    assert parse_number(text, "全年预算数", kind) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("12a", "amount", "应为数字"),
        ("abc", "number", "应为数字"),
        ("12,3万", "amount", "千分位"),
        ("1.2.3", "number", "应为数字"),
        ("60%", "amount", "不能带单位"),
        ("5万", "rate", "不能带单位"),
        ("万", "amount", "应为数字"),  # a unit alone (found by the GUI monkey test)
        ("%", "rate", "应为数字"),
    ],
)
def test_refused_with_field_name_and_hint(text: str, kind: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_number(text, "全年预算数", kind)  # type: ignore[arg-type]
    assert "全年预算数" in info.value.message
    assert fragment in info.value.message
    assert "请输入" in info.value.message
