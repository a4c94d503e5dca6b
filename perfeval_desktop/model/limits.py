"""The bounds of every number in a report (issue #13).

A report's figures are budget amounts, weights and scores: nothing real comes close to
these limits, and inside them every sum, rate and rounding the program does is exact
(well within :data:`decimal.DefaultContext`'s 28 digits, see ``scoring/rounding.py``).

- an amount (万元) or a compared figure (人数, 件数…): at most 10¹² in size;
- a weight, score, deduction or grade line: at most 10⁴;
- a rate (a fraction: 0.607 for 60.7%): at most 10⁴ (1,000,000%);
- at most 6 decimals (0.01 元 in 万元; 0.0001% in a rate).

pydantic enforces them when a file is read or a field is set (``Report`` below) and
``parse_number`` when the clerk types, both with a Chinese message naming the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, ValidatorFunctionWrapHandler, WrapValidator

Kind = Literal["amount", "rate", "number", "score"]

MAX_DECIMALS = 6
MAX_AMOUNT = Decimal(10) ** 12
MAX_SCORE = Decimal(10) ** 4
MAX_RATE = Decimal(10) ** 4

LIMITS: dict[Kind, Decimal] = {
    "amount": MAX_AMOUNT,
    "number": MAX_AMOUNT,
    "score": MAX_SCORE,
    "rate": MAX_RATE,
}


def _bounded(kind: Kind) -> object:
    limit = LIMITS[kind]
    return Field(ge=-limit, le=limit, decimal_places=MAX_DECIMALS, allow_inf_nan=False)


class _Seen:
    """A file repeats the same few figures (分值 "10", 得分 "8"…) thousands of times: each
    text is checked by pydantic once per kind, and the same (immutable) Decimal handed out
    again (100,000 indicators: reading 0.3 s faster).  Only what passed is kept; a refused
    text goes through pydantic every time, with its message."""

    __slots__ = ("known",)
    LIMIT = 4096  # texts kept per kind

    def __init__(self) -> None:
        self.known: dict[str, Decimal] = {}

    def __call__(self, value: Any, handler: ValidatorFunctionWrapHandler) -> Decimal:
        if type(value) is not str:
            result: Decimal = handler(value)
            return result
        known = self.known.get(value)
        if known is None:
            known = handler(value)
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            self.known[value] = known
        return known


AmountValue = Annotated[Decimal, _bounded("amount"), WrapValidator(_Seen())]
NumberValue = Annotated[Decimal, _bounded("number"), WrapValidator(_Seen())]
ScoreValue = Annotated[Decimal, _bounded("score"), WrapValidator(_Seen())]
RateValue = Annotated[Decimal, _bounded("rate"), WrapValidator(_Seen())]


def limit_text(kind: Kind) -> str:
    """The limit as the clerk reads it: "1000000000000 万元", "10000"."""
    unit = {"amount": " 万元", "rate": "（即 1000000%）"}.get(kind, "")
    return f"{LIMITS[kind]:f}{unit}"
