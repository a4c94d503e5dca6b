"""The one place where numbers are rounded and formatted for the clerk."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Half-up rounding (四舍五入) to ``decimals`` places: 2.675 → 2.68, 6.5 → 7.

    The result's digits, not the context's 28, bound the precision: a figure inside the
    model's limits (model/limits.py) or any product or rate of two of them rounds exactly.
    """
    quantum = Decimal(1).scaleb(-decimals)
    digits = max(value.adjusted(), 0) + decimals + 2
    with localcontext(prec=max(28, min(digits, 4000))):
        return value.quantize(quantum, rounding=ROUND_HALF_UP)


def plain(value: Decimal | None, decimals: int = 2) -> str:
    """A score or weight as forms print it: at most ``decimals`` places, no trailing zeros.

    94 → "94", 3.50 → "3.5", 17.03 → "17.03"; None → "".
    """
    if value is None:
        return ""
    q = round_half_up(value, decimals)
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def amount(value: Decimal | None, decimals: int = 2) -> str:
    """An amount in 万元 with exactly ``decimals`` places (228.50)."""
    if value is None:
        return ""
    return f"{round_half_up(value, decimals):f}"


def as_typed(value: Decimal | None) -> str:
    """An amount with the decimals it was typed with (typed precision): 100 → "100",
    9.21 → "9.21", 228.50 → "228.50"; sums keep their terms' places."""
    return "" if value is None else f"{value:f}"


def percent(rate: Decimal | None, decimals: int = 2) -> str:
    """A rate (0.60688…) as a percentage: "60.69%" (decimals=2), "60.7%" (decimals=1)."""
    if rate is None:
        return ""
    return f"{round_half_up(rate * HUNDRED, decimals):f}%"
