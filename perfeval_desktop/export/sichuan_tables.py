"""四川 附件4 自评报告 (seed 001): its one table, as a Grid.

资金计划、到位及使用情况 (portrait, printed in 二、（一）1．资金计划及到位, no title of its own)::

    资金情况      计划数  到位数  使用数
    金额（万元）  100     9.21    9.21

计划数 is the 年初预算数 (计划) of the funding table, falling back to the 全年预算数;
到位数 the 实际到位数 and 使用数 the 全年执行数, printed as typed (100, not 100.00).
附件4 is the report alone: it has no 自评表 and no rate columns, and neither is added.

``nature_of``/``target_of``/``actual_of`` give an indicator's 指标性质, 指标值 and 实际完成值
as 四川-style forms print them (the form templates' 行.指标性质 …).
"""

from __future__ import annotations

from decimal import Decimal

from ..model.report import (
    BudgetExecutionMethod,
    CompareMethod,
    IndicatorNode,
    QualitativeMethod,
    RateMethod,
    Report,
)
from ..scoring.engine import ScoreSheet
from ..scoring.rounding import HUNDRED, percent, plain
from ..templates.manifest import Manifest
from .forms import FormPart
from .grid import Cell, Grid, Kind

FUNDING_KEY = "资金表"
FUNDING_TITLE = "资金计划、到位及使用情况"
FUNDING_SECTION = "funds_plan"  # the outline section (manifest id) the table follows
QUALITATIVE = "定性"

# ---- 资金计划、到位及使用情况 ------------------------------------------------------------

FUNDING_WIDTHS = [16.0, 12.0, 12.0, 12.0]
FUNDING_HEADERS = ("资金情况", "计划数", "到位数", "使用数")


def _plan(sheet: ScoreSheet) -> Decimal | None:
    total = sheet.funding.total
    return total["initial_budget"] if total["initial_budget"] is not None else total[
        "annual_budget"]


def _rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def build_funding_grid(report: Report, sheet: ScoreSheet) -> Grid:
    """The 资金计划、到位及使用情况 table: amounts as the seed prints them (100, 9.21).

    No title line: in the report it follows the heading 1．资金计划及到位。 as on the seed.
    """
    grid = Grid(columns=list(FUNDING_WIDTHS), name=FUNDING_TITLE, orientation="portrait")
    for col, caption in enumerate(FUNDING_HEADERS):
        grid.add(Cell(0, col, caption, kind=Kind.LABEL, bold=True))
    grid.add(Cell(1, 0, "金额（万元）", kind=Kind.LABEL))
    total = sheet.funding.total
    plan, received, used = _plan(sheet), total["received"], total["executed"]
    for col, value in ((1, plan), (2, received), (3, used)):
        if value is None:
            grid.add(Cell(1, col, "", kind=Kind.AMOUNT))
        else:  # printed with at most two decimals, as on the seed (计划数 100)
            grid.add(Cell(1, col, plain(value), kind=Kind.AMOUNT, value=value,
                          number_format="General"))
    grid.repeat_rows = 1
    grid.check()
    return grid


# ---- an indicator's 指标性质, 指标值 and 实际完成值 -------------------------------------


def nature_of(node: IndicatorNode) -> str:
    """指标性质: ≥ / = / ≤ of a compared indicator, 定性 of a qualitative one."""
    method = node.method
    if isinstance(method, CompareMethod):
        return method.nature.value
    if isinstance(method, RateMethod | BudgetExecutionMethod):
        return "≥"
    if isinstance(method, QualitativeMethod):
        return QUALITATIVE
    return ""


def _figure(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    return plain(value * HUNDRED) if unit.strip() == "%" else percent(value)


def target_of(node: IndicatorNode) -> str:
    """指标值: the typed 年度指标值, else the figure the method compares against."""
    if node.target_text.strip():
        return node.target_text
    method = node.method
    if isinstance(method, CompareMethod):
        return plain(method.target)
    if isinstance(method, RateMethod):
        return _figure(method.target_rate, node.unit)
    return ""


def actual_of(node: IndicatorNode, sheet: ScoreSheet) -> str:
    """实际完成值: the typed value, else the figure the method computed."""
    if node.actual_text.strip():
        return node.actual_text
    method = node.method
    if isinstance(method, CompareMethod):
        return plain(method.actual)
    if isinstance(method, RateMethod):
        return _figure(_rate(method.numerator, method.denominator), node.unit)
    if isinstance(method, BudgetExecutionMethod):
        return _figure(sheet.execution_rate, node.unit)
    return ""


def build_parts(report: Report, manifest: Manifest, sheet: ScoreSheet) -> list[FormPart]:
    """资金表 (资金计划、到位及使用情况, inside the 正文): 附件4 has no other table."""
    ids = {s.id for s in manifest.all_sections()}
    return [
        FormPart(FUNDING_KEY, FUNDING_TITLE, build_funding_grid(report, sheet),
                 section=FUNDING_SECTION if FUNDING_SECTION in ids else ""),
    ]
