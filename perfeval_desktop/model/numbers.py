"""Numbers as clerks type them: ``１２３``, ``1,155.5万``, ``60.7%``, ``28 133.5 元``.

``parse_number`` accepts full-width digits and punctuation, thousands separators, spaces
and a trailing unit where the field allows it, and converts to the field's unit exactly.
Anything else raises :class:`InputError` naming the field and what may be typed.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal

from ..errors import InputError

Kind = Literal["amount", "rate", "number"]

_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_HUNDRED = Decimal(100)
_WAN = Decimal(10000)

# unit → (kinds it may follow, factor to the field's unit)
_UNITS: dict[str, tuple[tuple[Kind, ...], Decimal]] = {
    "万元": (("amount",), Decimal(1)),
    "万": (("amount",), Decimal(1)),
    "元": (("amount",), Decimal(1) / _WAN),
    "%": (("rate",), Decimal(1) / _HUNDRED),
    "分": (("number",), Decimal(1)),
}


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), Chinese punctuation to ASCII, no spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("，", ",").replace("。", ".").replace("﹪", "%").replace("－", "-")
    text = text.replace("−", "-")
    return re.sub(r"\s+", "", text)


def _hint(kind: Kind) -> str:
    return {
        "amount": "请输入金额（万元），如 1155.5、1,155.5万 或 28133.5元",
        "rate": "请输入百分比，如 60.7% 或 0.607",
        "number": "请输入数字，如 3.5",
    }[kind]


def parse_number(text: str, field: str, kind: Kind = "number") -> Decimal | None:
    """Parse what a clerk typed into ``field``; empty text is None (the field is left empty).

    amount: in 万元 (``28133.5元`` → 2.81335); rate: a fraction (``60.7%`` → 0.607, and a
    bare number above 1 is read as a percentage: ``85`` → 0.85); number: as typed.
    """
    raw = normalize(text)
    if raw in ("", "-", "—", "/"):
        return None
    factor = Decimal(1)
    for unit, (kinds, unit_factor) in _UNITS.items():
        if raw.endswith(unit):
            if kind not in kinds:
                raise InputError(f"“{field}”不能带单位“{unit}”。{_hint(kind)}。")
            raw = raw[: -len(unit)]
            factor = unit_factor
            break
    sign = ""
    if raw and raw[0] in "+-":  # ("" in "+-" is True: a lone 万 or % must not get here)
        sign, raw = raw[0], raw[1:]
    if "," in raw:
        if not _GROUPED.match(raw):
            raise InputError(f"“{field}”中的千分位逗号位置不对：“{text.strip()}”。{_hint(kind)}。")
        raw = raw.replace(",", "")
    match = _NUMBER.match(sign + raw)
    if not match:
        raise InputError(f"“{field}”应为数字，“{text.strip()}”无法识别。{_hint(kind)}。")
    try:
        value = Decimal(match.group(0)) * factor
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        raise InputError(f"“{field}”应为数字。{_hint(kind)}。") from None
    if kind == "rate" and factor == 1 and abs(value) > 1:
        value = value / _HUNDRED
    return value.normalize() if value == value.to_integral_value() else value
