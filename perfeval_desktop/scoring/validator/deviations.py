"""D001–D003: where the actual differs from the target, and the reasons asked for."""

from __future__ import annotations

from decimal import Decimal

from ...model.numbers import parse_figure
from ...model.report import BudgetExecutionMethod, CompareMethod, IndicatorNode, Nature, RateMethod
from ..findings import MIN_REASON_CHARS, Level
from ..funding import FundingFigures
from ..methods import LeafScore, compare_inputs, rate_amounts
from ..rounding import ZERO, percent, plain
from .common import filled
from .context import SCORED, Context, Row, rows
from .rule import Hit, each

_NATURES = {nature.value: nature for nature in Nature}  # (Nature(sign) per leaf: 100,000 calls)


def _over(c: Context, leaf: LeafScore | None) -> bool:
    ratio = c.rules.over_achievement_ratio
    achievement = leaf.achievement if leaf is not None else None
    return ratio is not None and achievement is not None and achievement >= ratio


def _met(nature: Nature, target: Decimal, actual: Decimal) -> bool:
    """A target met in its own direction (≥ with more, ≤ with less) asks for no reason
    (an over-achievement far beyond it is D002's business)."""
    if nature is Nature.HIGHER:
        return actual >= target
    if nature is Nature.LOWER:
        return actual <= target
    return actual == target


def actual_vs_target(node: IndicatorNode, funding: FundingFigures | None = None) -> str:
    """Why the actual differs from the target, or "" where it does not / cannot tell."""
    method = node.method
    if isinstance(method, CompareMethod):
        nature, target, actual = compare_inputs(node, method)
        if target is None or actual is None or actual == target or _met(nature, target, actual):
            return ""
        return f"实际完成值 {plain(actual)} 与年度指标值 {plain(target)} 不同"
    if isinstance(method, RateMethod):
        numerator, denominator = rate_amounts(method, funding)
        if numerator is not None and denominator:
            rate = numerator / denominator
            if rate != method.target_rate:
                return f"实际比率 {percent(rate)} 与目标 {percent(method.target_rate)} 不同"
        return ""
    typed_target, typed_actual = parse_figure(node.target_text), parse_figure(node.actual_text)
    if (
        typed_target is not None
        and typed_actual is not None
        and typed_target.unit == typed_actual.unit
        and typed_target.number != typed_actual.number
        and not _met(_NATURES[typed_target.sign or "="], typed_target.number, typed_actual.number)
    ):
        return f"实际完成值 {node.actual_text.strip()} 与年度指标值 {node.target_text.strip()} 不同"
    return ""


@each(rows, "D002", Level.VERIFY, "over-achievement ≥ rules.over_achievement_ratio with no "
      "偏差原因分析", kinds=[SCORED])
def over_achieved(c: Context, row: Row) -> Hit | None:
    leaf, ratio = row.score, c.rules.over_achievement_ratio
    if leaf is None or leaf.achievement is None or ratio is None or not _over(c, leaf):
        return None
    return (f"{row.path}.deviation_reason",
            f"{row.label}：实际完成值为年度指标值的 {percent(leaf.achievement, 1)}，超过 "
            f"{percent(ratio, 0)}。请在“偏差原因分析及改进措施”中说明超额完成的原因"
            f"（至少 {MIN_REASON_CHARS} 个字）。")


def _why(c: Context, row: Row, score: Decimal, weight: Decimal) -> str:
    """Why D001 asks for a reason: a score below the 分值 (unless 执行率偏低原因 explains a
    预算执行率 leaf), or an actual other than the target."""
    if score < weight:
        explained = isinstance(row.node.method, BudgetExecutionMethod) and filled(
            c.report.funding.execution_reason)
        return "" if explained else f"得分 {plain(score)} 低于分值 {plain(weight)}"
    return actual_vs_target(row.node, c.sheet.funding)


@each(rows, "D001", Level.VERIFY, "score below 分值, or actual ≠ target, with no 偏差原因分析",
      kinds=[SCORED])
def deviation_unexplained(c: Context, row: Row) -> Hit | None:
    leaf, weight = row.score, row.node.weight
    if leaf is None or leaf.score is None or weight is None or _over(c, leaf):
        return None
    why = _why(c, row, leaf.score, weight)
    if not why:
        return None
    return (f"{row.path}.deviation_reason",
            f"{row.label}：{why}。请在“偏差原因分析及改进措施”中写明原因和改进措施"
            f"（至少 {MIN_REASON_CHARS} 个字）。")


@each(rows, "D003", Level.HINT, "a deviation penalty (rules.deviation_penalty) was deducted",
      kinds=[SCORED])
def deviation_penalty(c: Context, row: Row) -> Hit | None:
    dev, leaf = c.rules.deviation_penalty, row.score
    if dev is None or leaf is None:
        return None
    points = leaf.penalty - (row.node.deduction or ZERO)
    if points <= ZERO:
        return None
    return (f"{row.path}.deviation_reason",
            f"{row.label}：实际与目标偏离 {percent(dev.threshold, 0)} 以上且未说明原因，已扣 "
            f"{plain(points)} 分。填写偏差原因后不再扣分。")
