"""How one leaf is scored (spec §4.2): pure functions of the leaf's inputs and the rule set."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from ..model.numbers import parse_figure
from ..model.report import (
    RATE_SOURCES,
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    Nature,
    NotApplicableMethod,
    QualitativeMethod,
    RateMethod,
)
from ..templates.manifest import Rules
from .funding import FundingFigures
from .rounding import ONE, ZERO, percent, plain, round_half_up


class LeafScore(NamedTuple):  # 100,000 made per check: 5× faster than a frozen dataclass
    """The outcome of scoring one leaf.

    ``score`` is None when the indicator is not applicable or an input is missing
    (``missing`` then names it).  ``arithmetic`` shows the clerk how it was reached.
    """

    score: Decimal | None
    arithmetic: str = ""
    missing: str = ""
    not_applicable: bool = False
    achievement: Decimal | None = None  # actual / target where it has a meaning
    penalty: Decimal = ZERO


def ratio_score(ratio: Decimal, weight: Decimal) -> Decimal:
    """min(ratio, 1) × weight, never below 0."""
    if ratio <= ZERO:
        return ZERO
    return min(ratio, ONE) * weight


def compare_score(
    nature: Nature, target: Decimal, actual: Decimal, weight: Decimal, lower_formula: str
) -> tuple[Decimal, str]:
    """Score of a ≥ / = / ≤ indicator, unrounded, with its arithmetic."""
    w = plain(weight)
    if nature is Nature.LOWER:
        if actual <= target:
            return weight, f"实际 {plain(actual)} ≤ 目标 {plain(target)}，得满分 {w}"
        if target <= ZERO:
            return ZERO, f"实际 {plain(actual)} > 目标 {plain(target)}，得 0 分"
        if lower_formula == "ratio":
            return (
                target / actual * weight,
                f"目标 {plain(target)} ÷ 实际 {plain(actual)} × {w}",
            )
        share = ONE - (actual - target) / target
        return (
            max(share, ZERO) * weight,
            f"(1 − (实际 {plain(actual)} − 目标 {plain(target)}) ÷ 目标 {plain(target)}) × {w}",
        )
    if nature is Nature.EQUAL and target == ZERO:
        if actual <= ZERO:
            return weight, f"目标为 0，实际 {plain(actual)} ≤ 0，得满分 {w}"
        return ZERO, f"目标为 0，实际 {plain(actual)} > 0，得 0 分"
    if actual < ZERO:
        return ZERO, f"实际 {plain(actual)} 为负数，按 0 计"
    if actual >= target:
        return weight, f"实际 {plain(actual)} ≥ 目标 {plain(target)}，得满分 {w}"
    if target <= ZERO:
        return ZERO, f"目标 {plain(target)} 不为正数，得 0 分"
    return actual / target * weight, f"实际 {plain(actual)} ÷ 目标 {plain(target)} × {w}"


def compare_inputs(
    node: IndicatorNode, method: CompareMethod
) -> tuple[Nature, Decimal | None, Decimal | None]:
    """The sign, target and actual a 比较 indicator is scored with: those typed in the side
    panel, else those read from what the grid's 年度指标值 / 实际完成值 say (``≥3000人次``,
    ``3583人次``), so that nothing is typed twice."""
    nature, target, actual = method.nature, method.target, method.actual
    target_fig, actual_fig = parse_figure(node.target_text), parse_figure(node.actual_text)
    if target is None and target_fig is not None:
        target = target_fig.number
        nature = Nature(target_fig.sign) if target_fig.sign else nature
    if actual is None and actual_fig is not None:
        units = {target_fig.unit if target_fig else "", actual_fig.unit} - {""}
        actual = actual_fig.number if len(units) <= 1 else None
    return nature, target, actual


def rate_amounts(
    method: RateMethod, funding: FundingFigures | None
) -> tuple[Decimal | None, Decimal | None]:
    """A rate's 分子 and 分母: linked to 项目资金 (its 到位数 or 执行数 ÷ 预算数, the
    预算执行率's basis), else the amounts typed in the panel."""
    if method.source is None or funding is None:
        return method.numerator, method.denominator
    return funding.total[method.source], funding.basis


def _rate_missing(method: RateMethod) -> tuple[str, str]:
    """What a rate lacks, named as the clerk fills it."""
    if method.source is None:
        return "比率的分子金额", "比率的分母金额（不能为 0）"
    what = RATE_SOURCES[method.source]
    return f"项目资金的{what}（比率的分子）", "项目资金的预算数（比率的分母，不能为 0）"


@dataclass(slots=True)  # 100,000 made per check
class _Raw:
    """A leaf's score by its method, before bounds, rounding and deductions."""

    score: Decimal
    arith: str
    typed: bool  # typed by the clerk (bounded, not rounded)
    achievement: Decimal | None = None  # actual ÷ target, for the deviation rule
    decimals: int | None = None  # the rounding (None: the rule set's score decimals)


def _typed_raw(method: ManualMethod | QualitativeMethod) -> _Raw | LeafScore:
    if isinstance(method, QualitativeMethod) and method.band is None:
        return LeafScore(None, missing="评价档次")
    if method.score is None:
        return LeafScore(None, missing="得分")
    if isinstance(method, QualitativeMethod) and method.band is not None:
        return _Raw(method.score, f"定性：{method.band.value}", True)
    return _Raw(method.score, "手工评分", True)


def _compare_raw(node: IndicatorNode, method: CompareMethod, weight: Decimal,
                 rules: Rules) -> _Raw | LeafScore:
    nature, target, actual = compare_inputs(node, method)
    if target is None:
        return LeafScore(None, missing="年度指标值（数值）")
    if actual is None:
        return LeafScore(None, missing="实际完成值（数值）")
    raw, arith = compare_score(nature, target, actual, weight, rules.lower_formula)
    return _Raw(raw, arith, False, actual / target if target > ZERO else None)


def _rate_raw(method: RateMethod, weight: Decimal,
              funding: FundingFigures | None) -> _Raw | LeafScore:
    numerator, denominator = rate_amounts(method, funding)
    if numerator is None:
        return LeafScore(None, missing=_rate_missing(method)[0])
    if not denominator:
        return LeafScore(None, missing=_rate_missing(method)[1])
    rate = numerator / denominator
    target_rate = method.target_rate
    if target_rate <= ZERO:
        return LeafScore(None, missing="目标比率（须大于 0）")
    linked = f"项目资金{RATE_SOURCES[method.source]}÷预算数 " if method.source else ""
    arith = (
        f"比率 {linked}{plain(numerator)} ÷ {plain(denominator)} = {percent(rate)}；"
        f"÷ 目标 {percent(target_rate)} × {plain(weight)}"
    )
    return _Raw(ratio_score(rate / target_rate, weight), arith, False, rate / target_rate)


_TYPED = (ManualMethod, QualitativeMethod)  # (a tuple: ``A | B`` is built on every call)


def _raw(node: IndicatorNode, rules: Rules, weight: Decimal, execution_rate: Decimal | None,
         funding: FundingFigures | None) -> _Raw | LeafScore:
    method = node.method
    if isinstance(method, _TYPED):
        return _typed_raw(method)
    if isinstance(method, CompareMethod):
        return _compare_raw(node, method, weight, rules)
    if isinstance(method, RateMethod):
        return _rate_raw(method, weight, funding)
    # budget execution
    if execution_rate is None:
        return LeafScore(None, missing="项目资金的预算数与执行数")
    return _Raw(ratio_score(execution_rate, weight),
                f"执行率 {percent(execution_rate)} × {plain(weight)}", False,
                decimals=rules.execution.decimals)


def _penalty(node: IndicatorNode, rules: Rules, achievement: Decimal | None) -> tuple[Decimal, str]:
    """The points deducted (a deviation not explained, the clerk's 扣分) and why."""
    penalty, why = ZERO, ""
    dev = rules.deviation_penalty
    if (
        dev is not None
        and achievement is not None
        and abs(achievement - ONE) >= dev.threshold
        and not node.deviation_reason.strip()
    ):
        penalty = dev.points
        why += f"；偏离 {percent(abs(achievement - ONE))} 未说明原因，扣 {plain(dev.points)} 分"
    if node.deduction:
        penalty += node.deduction
        why += f"；扣分 {plain(node.deduction)}"
    return penalty, why


def score_leaf(
    node: IndicatorNode,
    rules: Rules,
    execution_rate: Decimal | None,
    funding: FundingFigures | None = None,
) -> LeafScore:
    """Score one leaf by its method; deductions and the deviation rule applied after
    (``funding``: 项目资金's figures, for a rate linked to them)."""
    if isinstance(node.method, NotApplicableMethod):
        return LeafScore(None, "不适用，不计分（0 / 0）", not_applicable=True)
    if node.weight is None:
        return LeafScore(None, missing="分值")
    weight = node.weight
    raw = _raw(node, rules, weight, execution_rate, funding)
    if isinstance(raw, LeafScore):
        return raw
    score, arith = raw.score, raw.arith
    if raw.typed:
        if score > weight:
            arith += f"；填写 {plain(score)} 分超过分值 {plain(weight)}，按 {plain(weight)} 计"
        score = min(max(score, ZERO), weight)
    else:
        decimals = raw.decimals if raw.decimals is not None else rules.score_decimals
        # rounding must not lift a score above its weight (0.5 分 rounded to integers)
        score = min(round_half_up(score, decimals), weight)
        arith += f" = {plain(score, decimals)}"
    penalty, why = _penalty(node, rules, raw.achievement)
    if penalty:
        score = max(score - penalty, ZERO)
    return LeafScore(score, arith + why, achievement=raw.achievement, penalty=penalty)
