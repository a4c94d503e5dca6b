"""M001–M008: the funding table and the execution rate."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...model.report import AMOUNT_COLUMNS, Amounts
from ..findings import MIN_REASON_CHARS, Level
from ..rounding import HUNDRED, ZERO, amount, percent, plain, round_half_up
from .common import COLUMN_LABELS
from .context import Context
from .rule import Hit, each, once


def _total_label(c: Context) -> str:
    return c.forms.funding_total if c.forms is not None else "年度资金总额"


def _rows(c: Context) -> list[tuple[str, str, Amounts]]:
    """(path, label, amounts) of every row of the funding table."""
    table = c.report.funding
    rows: list[tuple[str, str, Amounts]] = [("funding.total", _total_label(c), table.total)]
    rows += [
        (f"funding.by_kind.{k.value}", f"其中：{k.value}", a) for k, a in table.by_kind.items()
    ]
    rows += [(f"funding.by_source.{s.value}", s.value, a) for s, a in table.by_source.items()]
    rows += [
        (f"funding.details[{i}].amounts", f"明细第 {i + 1} 行“{d.name or '未命名'}”", d.amounts)
        for i, d in enumerate(table.details)
    ]
    return rows


@once("M007", Level.ERROR, "a negative amount")
def negative_amount(c: Context) -> Iterator[Hit]:
    for prefix, row_label, amounts in _rows(c):
        for col in AMOUNT_COLUMNS:
            value = getattr(amounts, col)
            if value is not None and value < ZERO:
                yield (f"{prefix}.{col}",
                       f"项目资金 / {row_label} / {COLUMN_LABELS[col]}：{amount(value)} "
                       "为负数。请填写 0 或正数（万元）。")


def typed_totals(c: Context) -> list[tuple[str, Decimal]]:
    """(column, 合计 typed) of each column of the total row that is filled in."""
    total = c.report.funding.total
    return [(col, typed) for col in AMOUNT_COLUMNS
            if (typed := getattr(total, col)) is not None]


def _sum_differs(c: Context, column: tuple[str, Decimal], what: str,
                 group: list[Amounts]) -> Hit | None:
    col, typed = column
    values = [v for v in (getattr(a, col) for a in group) if v is not None]
    total = sum(values, ZERO)
    if not values or total == typed:
        return None
    return (f"funding.total.{col}",
            f"项目资金 / {_total_label(c)} / {COLUMN_LABELS[col]}：填写 {amount(typed)}，"
            f"{what}合计 {' + '.join(amount(v) for v in values)} = {amount(total)}，"
            "两者不符。请核对合计数与各行金额。")


@each(typed_totals, "M001", Level.ERROR,
      "a column's 年度资金总额 ≠ sum of its 其中 rows (by_kind)")
def by_kind_sum(c: Context, column: tuple[str, Decimal]) -> Hit | None:
    return _sum_differs(c, column, "其中各行", list(c.report.funding.by_kind.values()))


@each(typed_totals, "M002", Level.ERROR,
      "a column's 合计 ≠ sum of the 中央/省/市/区/其他 split (by_source)")
def by_source_sum(c: Context, column: tuple[str, Decimal]) -> Hit | None:
    return _sum_differs(c, column, "中央、省、市、区(县)级财政及其他",
                        list(c.report.funding.by_source.values()))


@each(typed_totals, "M003", Level.ERROR,
      "a column's 合计 ≠ sum of the 项目支出明细 lines (details)")
def details_sum(c: Context, column: tuple[str, Decimal]) -> Hit | None:
    return _sum_differs(c, column, "各明细行", [d.amounts for d in c.report.funding.details])


@once("M004", Level.VERIFY, "执行数 > 预算数 (the execution basis) or > 实际到位数")
def executed_above(c: Context) -> Iterator[Hit]:
    rule, figures = c.rules.execution, c.sheet.funding
    executed, basis = figures.total.get("executed"), figures.basis
    received = figures.total.get("received")
    problems: list[str] = []
    if executed is not None and basis is not None and executed > basis:
        basis_label = COLUMN_LABELS[rule.basis]
        problems.append(f"执行数 {amount(executed)} 大于{basis_label} {amount(basis)}")
    if (rule.basis != "received" and executed is not None and received is not None
            and executed > received):
        problems.append(f"执行数 {amount(executed)} 大于实际到位数 {amount(received)}")
    if problems:
        yield ("funding.total.executed",
               f"项目资金 / {_total_label(c)} / 全年执行数：{'，'.join(problems)}。"
               "请核对金额；如确属实际情况，请写明原因。")


@once("M008", Level.ERROR, "the form has a 预算执行率 block but the rate cannot be computed")
def rate_not_computed(c: Context) -> Iterator[Hit]:
    rule, figures = c.rules.execution, c.sheet.funding
    if figures.execution_rate is not None or rule.weight is None:
        return
    basis_label = COLUMN_LABELS[rule.basis]
    miss = "funding.total.executed" if figures.basis else f"funding.total.{rule.basis}"
    what = "全年执行数：未填写" if figures.basis else f"{basis_label}：未填写或为 0"
    yield (miss, f"项目资金 / {_total_label(c)} / {what}，无法计算{rule.label}"
                 f"（分值 {plain(rule.weight)} 分暂按 0 计）。请填写金额。")


@once("M005", Level.VERIFY, "预算执行率 below rules.execution.reason_below, no 执行率偏低原因")
def low_rate_unexplained(c: Context) -> Iterator[Hit]:
    rule, rate = c.rules.execution, c.sheet.funding.execution_rate
    if rate is not None and rate < rule.reason_below:
        yield ("funding.execution_reason",
               f"项目资金 / 执行率偏低原因：{rule.label} "
               f"{percent(rate, rule.rate_display_decimals)}，"
               f"低于 {percent(rule.reason_below, 0)}。请写明执行率偏低的原因"
               f"（至少 {MIN_REASON_CHARS} 个字）。")


@once("M006", Level.ERROR, "执行率 typed by hand differs from 执行数 ÷ 预算数")
def typed_rate_differs(c: Context) -> Iterator[Hit]:
    rule, figures = c.rules.execution, c.sheet.funding
    rate, typed_rate = figures.execution_rate, c.report.funding.typed_execution_rate
    executed = figures.total.get("executed")
    if rate is None or typed_rate is None:
        return
    typed_pct = typed_rate * HUNDRED
    exp = typed_pct.normalize().as_tuple().exponent
    own = -exp if isinstance(exp, int) and exp < 0 else 0
    d = min(own, rule.rate_display_decimals)
    if round_half_up(typed_pct, d) != round_half_up(rate * HUNDRED, d):
        yield ("funding.typed_execution_rate",
               f"项目资金 / 执行率：手填 {percent(typed_rate, own if own <= 2 else 2)}，"
               f"按执行数 ÷ {COLUMN_LABELS[rule.basis]}计算为 {amount(executed)} ÷ "
               f"{amount(figures.basis)} = {percent(rate, rule.rate_display_decimals)}。"
               "请改为计算值，或清空由程序计算。")
