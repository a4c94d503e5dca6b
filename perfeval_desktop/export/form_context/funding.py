"""The funding names of a form (资金, 资金类别, 资金明细, 资金来源, 资金计划), each a
:class:`~..live.Live` with the formula Excel recalculates it by."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...model.report import Amounts, FundingKind, FundingSource, Report
from ...scoring.engine import ScoreSheet
from ...scoring.rounding import ZERO
from ...templates.manifest import ExecutionRule, Rules
from ...templates.vocabulary.funding import AMOUNT_NAMES
from ..live import Formula, Key, Many, live_amount, live_number, live_percent, sum_of

# 资金来源 by its name in a template (资金来源.区县级财政)
SOURCE_NAMES = {FundingSource.CENTRAL: "中央财政", FundingSource.PROVINCIAL: "省级财政",
                FundingSource.CITY: "市级财政", FundingSource.COUNTY: "区县级财政",
                FundingSource.OTHER: "其他"}


def _amount_row(name: str, row_key: Key, amounts: Amounts | None, basis: str,
                rate: Decimal | None, decimals: int) -> dict[str, Any]:
    """A row of the funding table: its amounts (keyed by ``row_key``) and 执行率, whose
    live formula divides by the ``basis`` column of the same row."""
    row: dict[str, Any] = {"名称": name}
    for column, caption in AMOUNT_NAMES.items():
        row[caption] = live_amount(getattr(amounts, column) if amounts else None,
                                   ("amount", row_key, column))
    formula = Formula('IF(N({b})<>0,N({x})/{b},"")',
                      {"b": ("amount", row_key, basis), "x": ("amount", row_key, "executed")})
    row["执行率"] = live_percent(rate, decimals, ("rate", row_key), formula)
    return row


def _kind_rows(report: Report, rules: Rules, sheet: ScoreSheet) -> list[dict[str, Any]]:
    """资金类别: the 其中 rows the rule set prints, each rated by the rule's basis."""
    ex, figures = rules.execution, sheet.funding
    rows: list[dict[str, Any]] = []
    for kind in (FundingKind(k) for k in rules.funding_kinds):
        amounts = report.funding.by_kind.get(kind)
        rows.append(_amount_row(
            kind.value, kind.value, amounts, ex.basis,
            figures.rate_of(amounts, ex.basis) if amounts else None, ex.rate_display_decimals))
    return rows


def _row_rate(ex: ExecutionRule, amounts: Amounts | None) -> Decimal | None:
    """A detail line's or a source's 执行率: by the 年初预算数 where the rule's 全年预算数
    is not typed on that row."""
    if amounts is None:
        return None
    denominator: Decimal | None = getattr(amounts, ex.basis)
    if ex.basis == "annual_budget" and denominator is None:
        denominator = amounts.initial_budget
    return (amounts.executed or ZERO) / denominator if denominator else None


def _row_basis(ex: ExecutionRule, sheet: ScoreSheet) -> str:
    """The column the detail lines and sources (云南) divide by: the 年初预算数 where the
    rule's 全年预算数 is typed nowhere."""
    no_annual = ex.basis == "annual_budget" and sheet.funding.total["annual_budget"] is None
    return "initial_budget" if no_annual else ex.basis


def _detail_rows(report: Report, ex: ExecutionRule, basis: str) -> list[dict[str, Any]]:
    """资金明细: one row per detail line, or one empty line to write in."""
    rows = [_amount_row(d.name, ("detail", i), d.amounts, basis, _row_rate(ex, d.amounts),
                        ex.rate_display_decimals)
            for i, d in enumerate(report.funding.details)]
    return rows or [_amount_row("", ("detail", 0), None, basis, None, ex.rate_display_decimals)]


def _sources(report: Report, ex: ExecutionRule, basis: str) -> dict[str, Any]:
    """资金来源: a row per level of government, by its name (资金来源.区县级财政)."""
    by_source = report.funding.by_source
    return {name: _amount_row(name, source.value, by_source.get(source), basis,
                              _row_rate(ex, by_source.get(source)), ex.rate_display_decimals)
            for source, name in SOURCE_NAMES.items()}


def _total_amounts(report: Report, rules: Rules, sheet: ScoreSheet) -> dict[str, Any]:
    """The 年度资金总额 / 合计 row's amounts: a sum of the details where they are typed,
    else of the 其中 rows (or, 云南, of the sources) where the total is derived."""
    figures, details = sheet.funding, report.funding.details
    kinds = [FundingKind(k) for k in rules.funding_kinds]
    row: dict[str, Any] = {}
    for column, name in AMOUNT_NAMES.items():
        value = figures.total[column]
        formula = None
        if figures.derived[column] and details:
            formula = sum_of([("amount", ("detail", i), column) for i in range(len(details))],
                             value)
        elif figures.derived[column]:  # the 其中 rows, else (云南) the sources
            formula = Formula("SUM({x})", {"x": Many(tuple(("amount", k.value, column)
                                                           for k in kinds))}, ("x",), value,
                              otherwise=sum_of([("amount", s.value, column)
                                                for s in SOURCE_NAMES], value))
        row[name] = live_amount(value, ("amount", "total", column), formula)
    return row


def _execution(rules: Rules, sheet: ScoreSheet) -> dict[str, Any]:
    """The total row's 执行率, and the 预算执行率 block's 分值 and 得分 and name."""
    ex, total = rules.execution, sheet.funding.total
    basis_col = ex.basis
    if ex.basis == "annual_budget" and total["annual_budget"] is None:
        basis_col = "initial_budget" if total["initial_budget"] is not None else "annual_budget"
    rate_formula = None
    if basis_col in AMOUNT_NAMES:
        rate_formula = Formula('IF(AND(ISNUMBER({x}),N({b})<>0),{x}/{b},"")',
                               {"b": ("amount", "total", basis_col),
                                "x": ("amount", "total", "executed")})
    score_formula = None
    if sheet.execution_weight is not None:
        score_formula = Formula(
            f"IF(ISNUMBER({{r}}),ROUND(MAX(MIN({{r}},1),0)*{{w}},{ex.decimals}),0)",
            {"r": ("rate", "total"), "w": ("exec_weight",)})
    return {
        "执行率": live_percent(sheet.funding.execution_rate, ex.rate_display_decimals,
                               ("rate", "total"), rate_formula),
        "分值": live_number(sheet.execution_weight, ("exec_weight",)),
        "得分": live_number(sheet.execution_score, ("exec_score",), ex.decimals, score_formula),
        "指标名称": ex.label,
    }


def _plan(sheet: ScoreSheet) -> dict[str, Any]:
    """资金计划、到位及使用情况 (四川): amounts as typed (100, 9.21), 到位率 and 使用率."""
    total = sheet.funding.total
    plan_value = total["initial_budget"]
    if plan_value is None:
        plan_value = total["annual_budget"]
    plan: dict[str, Any] = {}
    for name, value in (("计划数", plan_value), ("到位数", total["received"]),
                        ("使用数", total["executed"])):
        plan[name] = live_number(value, ("plan", name))
    for name, num, den in (("到位率", "到位数", "计划数"), ("使用率", "使用数", "到位数")):
        n, d = plan[num].value, plan[den].value
        plan[name] = live_percent(
            n / d if n is not None and d else None, 2, None,
            Formula('IF(AND(ISNUMBER({n}),N({d})<>0),{n}/{d},"")',
                    {"n": ("plan", num), "d": ("plan", den)}))
    return plan


def funding_context(report: Report, rules: Rules, sheet: ScoreSheet) -> dict[str, Any]:
    """The funding names of :mod:`...templates.vocabulary.funding` a form can use."""
    ex = rules.execution
    basis = _row_basis(ex, sheet)
    return {
        "资金": {**_total_amounts(report, rules, sheet), **_execution(rules, sheet)},
        "资金类别": _kind_rows(report, rules, sheet),
        "资金明细": _detail_rows(report, ex, basis),
        "资金来源": _sources(report, ex, basis),
        "资金计划": _plan(sheet),
    }
