"""Numbers as clerks type them: ``１２３``, ``1,155.5万``, ``60.7%``, ``28 133.5 元``.

``parse_number`` accepts full-width digits and punctuation, thousands separators, spaces
and a trailing unit where the field allows it, and converts to the field's unit exactly.
Anything else raises :class:`InputError` naming the field and what may be typed: other
digit forms (``1²``, ``①``, ``٣``), and numbers past the model's limits (``model/limits.py``:
size and at most 6 decimals), so that what the editor accepts can always be saved and scored.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, localcontext
from typing import NamedTuple

from ..errors import InputError
from .limits import LIMITS, MAX_DECIMALS, Kind, limit_text

__all__ = ["Figure", "Kind", "normalize", "parse_figure", "parse_number"]

_NUMBER = re.compile(r"^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$")
_DIGITS_ALLOWED = frozenset("0123456789０１２３４５６７８９")
_SPACES = re.compile(r"\s+")
_MAX_CHARS = 60  # far more than any figure a clerk types (thousands separators included)
_HUNDRED = Decimal(100)
_WAN = Decimal(10000)

# unit → (kinds it may follow, factor to the field's unit)
_UNITS: dict[str, tuple[tuple[Kind, ...], Decimal]] = {
    "万元": (("amount",), Decimal(1)),
    "万": (("amount",), Decimal(1)),
    "元": (("amount",), Decimal(1) / _WAN),
    "%": (("rate",), Decimal(1) / _HUNDRED),
    "分": (("number", "score"), Decimal(1)),
}


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), Chinese punctuation to ASCII, no spaces."""
    if text.isascii():  # NFKC and the replacements below change nothing: the fast path
        return _SPACES.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.replace("，", ",").replace("。", ".").replace("﹪", "%").replace("－", "-")
    text = text.replace("−", "-")
    return _SPACES.sub("", text)


def _hint(kind: Kind) -> str:
    return {
        "amount": "请输入金额（万元），如 1155.5、1,155.5万 或 28133.5元",
        "rate": "请输入百分比，如 60.7% 或 0.607",
        "number": "请输入数字，如 3.5",
        "score": "请输入分数，如 3.5",
    }[kind]


def _foreign_digit(text: str) -> str | None:
    """The first digit-like character that is not 0–9 or ０–９ (``²``, ``①``, ``٣``, ``Ⅻ``)."""
    for ch in text:
        if unicodedata.category(ch) in ("Nd", "No", "Nl") and ch not in _DIGITS_ALLOWED:
            return ch
    return None


def parse_number(text: str, field: str, kind: Kind = "number") -> Decimal | None:
    """Parse what a clerk typed into ``field``; empty text is None (the field is left empty).

    amount: in 万元 (``28133.5元`` → 2.81335); rate: a fraction (``60.7%`` → 0.607, and a
    bare number above 1 is read as a percentage: ``85`` → 0.85); number and score: as typed.
    """
    foreign = _foreign_digit(text)
    if foreign is not None:
        raise InputError(
            f"“{field}”中的“{foreign}”不是普通数字，只能使用 0–9（全角 ０–９ 也可以）。"
            f"{_hint(kind)}。"
        )
    raw = normalize(text)
    if raw in ("", "-", "—", "/"):
        return None
    if len(raw) > _MAX_CHARS:
        raise InputError(f"“{field}”的数字太长（超过 {_MAX_CHARS} 个字符）。{_hint(kind)}。")
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
    with localcontext(prec=2 * _MAX_CHARS + 10):  # exact: no digit typed is rounded away
        value = Decimal(match.group(0)) * factor
        if kind == "rate" and factor == 1 and abs(value) > 1:
            value = value / _HUNDRED
    _check_bounds(value, field, kind)
    return value.normalize() if value == value.to_integral_value() else value


def _check_bounds(value: Decimal, field: str, kind: Kind) -> None:
    """The model's limits (``model/limits.py``), so that what is typed can always be saved."""
    if abs(value) > LIMITS[kind]:
        raise InputError(
            f"“{field}”的数值过大：不能超过 {limit_text(kind)}。请检查是否多输入了数字。"
        )
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        precision = {
            "amount": "金额最多精确到 0.000001 万元（0.01 元）",
            "rate": "百分比最多保留 4 位小数（如 60.1234%）",
        }.get(kind, f"最多保留 {MAX_DECIMALS} 位小数")
        raise InputError(f"“{field}”的小数位数过多：{precision}。请删去多余的小数位。")


# --- a figure as typed into 年度指标值 / 实际完成值 -----------------------------------------

_FIGURE = re.compile(
    r"^(?P<sign>>=|<=|≥|≤|>|<|=|≧|≦)?(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?P<unit>[^0-9]*)$"
)
_SIGN_WORDS = {
    "不低于": "≥",
    "不少于": "≥",
    "大于等于": "≥",
    "达到": "≥",
    "不高于": "≤",
    "不超过": "≤",
    "不多于": "≤",
    "小于等于": "≤",
}
_SIGN_WORD = re.compile("|".join(_SIGN_WORDS))
# a bound written after the figure: 80%以上 → ≥ 80 %, 5天以内 → ≤ 5 天
_BOUND_WORDS = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤"}
_SIGNS = {">=": "≥", ">": "≥", "≧": "≥", "≥": "≥", "<=": "≤", "<": "≤", "≦": "≤", "≤": "≤"}


class Figure(NamedTuple):
    """``≥3000人次`` → sign ``≥``, number 3000, unit ``人次``; ``98%`` → no sign, 98, ``%``."""

    sign: str  # "≥", "≤", "=" or "" when none was typed
    number: Decimal
    unit: str


@functools.lru_cache(maxsize=4096)  # a form repeats its figures: 100%, ≥95%, 按时完成
def parse_figure(text: str) -> Figure | None:
    """The sign, number and unit of what a clerk typed as a target or an actual value; None
    when it holds no single number (``按时``, ``有效减轻``, ``2025年12月31日前``)."""
    raw = normalize(text)
    sign = ""
    word = _SIGN_WORD.match(raw)  # one regex, not a startswith per word: 100,000 leaves
    if word is not None:
        raw, sign = raw[word.end() :], _SIGN_WORDS[word.group()]
    match = _FIGURE.match(raw)
    if match is None:
        return None
    typed = match.group("sign") or ""
    sign = _SIGNS.get(typed, typed) or sign
    number = Decimal(match.group("num").replace(",", ""))
    unit = match.group("unit")
    for bound, symbol in _BOUND_WORDS.items():
        if unit.endswith(bound):
            unit, sign = unit[: -len(bound)], sign or symbol
            break
    return Figure(sign, number, unit)
