"""项目资金: effective column totals and the budget execution rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model.report import AMOUNT_COLUMNS, Amounts, FundingTable
from ..templates.manifest import ExecutionRule
from .rounding import ZERO


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


@dataclass(frozen=True)
class FundingFigures:
    total: dict[str, Decimal | None]  # column → 年度资金总额 / 合计 (typed or derived)
    derived: dict[str, bool]  # column → True when the total was derived, not typed
    execution_rate: Decimal | None  # unrounded
    basis: Decimal | None  # the denominator used

    def rate_of(self, amounts: Amounts, basis: str) -> Decimal | None:
        denominator: Decimal | None = getattr(amounts, basis)
        if not denominator:
            return None
        return (amounts.executed or ZERO) / denominator


def column_parts(table: FundingTable, column: str) -> Decimal | None:
    """The derived total of one column: details, else 其中 rows, else sources."""
    for rows in (
        [d.amounts for d in table.details],
        list(table.by_kind.values()),
        list(table.by_source.values()),
    ):
        value = _sum([getattr(a, column) for a in rows])
        if value is not None:
            return value
    return None


def funding_figures(table: FundingTable, rule: ExecutionRule) -> FundingFigures:
    total: dict[str, Decimal | None] = {}
    derived: dict[str, bool] = {}
    for column in AMOUNT_COLUMNS:
        typed = getattr(table.total, column)
        if typed is not None:
            total[column], derived[column] = typed, False
        else:
            total[column], derived[column] = column_parts(table, column), True
    basis = total[rule.basis]
    if rule.basis == "annual_budget" and basis is None:
        basis = total["initial_budget"]
    executed = total["executed"]
    rate = executed / basis if basis and executed is not None else None
    return FundingFigures(total, derived, rate, basis)
