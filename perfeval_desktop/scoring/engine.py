"""Totals, 得分率, the grade and the caps of a whole report (spec §4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from ..model.report import IndicatorNode, NotApplicableMethod, Report
from ..templates.manifest import GradeCap, Rules, ScoreCap
from .funding import FundingFigures, funding_figures
from .methods import LeafScore, score_leaf
from .rounding import ZERO, percent, plain, round_half_up


class NodeScore(NamedTuple):  # 100,000 made per check: 5× faster than a frozen dataclass
    path: str
    level: int
    name: str
    weight: Decimal  # 分值: a leaf's own, a branch's the sum of its children
    applicable_weight: Decimal  # without not-applicable leaves
    score: Decimal  # 得分 (0 where unscored)
    scored: bool  # False where a leaf has no score yet or is not applicable
    leaf: LeafScore | None = None

    @property
    def rate(self) -> Decimal | None:
        """得分率 = score / applicable weight (None where nothing is applicable)."""
        if self.applicable_weight <= ZERO:
            return None
        return self.score / self.applicable_weight


@dataclass(frozen=True)
class LevelScore:
    name: str
    weight: Decimal
    score: Decimal
    rate: Decimal | None


@dataclass(frozen=True)
class ScoreSheet:
    nodes: dict[str, NodeScore]  # by node id
    levels: list[LevelScore]
    funding: FundingFigures
    execution_weight: Decimal | None
    execution_score: Decimal | None
    total_weight: Decimal
    applicable_weight: Decimal
    raw_total: Decimal  # sum of level scores, before rescaling and caps
    total: Decimal  # 总分 after rescaling and score caps
    grade: str
    uncapped_grade: str
    grade_cap_reason: str | None
    score_cap_reason: str | None
    notes: list[str] = field(default_factory=list)

    @property
    def execution_rate(self) -> Decimal | None:
        return self.funding.execution_rate

    def node(self, node: IndicatorNode) -> NodeScore:
        return self.nodes[node.id]


def grade_for(total: Decimal, rules: Rules) -> str:
    """The grade of a total: the first band whose lower bound (inclusive) it reaches."""
    for band in rules.grades:
        if total >= band.min:
            return band.name
    return rules.grades[-1].name


@dataclass(frozen=True)
class Reuse:
    """What an edit left as it was: the scores of the leaves it did not write are taken
    from the previous sheet (same place in the tree, same execution rate)."""

    previous: ScoreSheet
    touched: frozenset[str]  # ids of the nodes whose own fields the edit wrote


def _score_tree(
    nodes: list[IndicatorNode],
    rules: Rules,
    funding: FundingFigures,
    out: dict[str, NodeScore],
    prefix: str,
    level: int,
    reuse: Reuse | None = None,
) -> tuple[Decimal, Decimal, Decimal]:
    """Fill ``out`` for ``nodes``; return their (weight, applicable weight, score) sums."""
    weight = applicable = score = ZERO
    old = reuse.previous.nodes if reuse is not None else None
    for i, node in enumerate(nodes):
        path = f"{prefix}[{i}]"
        kept = old.get(node.id) if old is not None and reuse is not None else None
        if node.children:
            w, a, s = _score_tree(
                node.children, rules, funding, out, f"{path}.children", level + 1, reuse
            )
            ns = NodeScore(path, level, node.name, w, a, s, True)
        elif (
            kept is not None
            and reuse is not None
            and node.id not in reuse.touched
            and kept.path == path
            and kept.leaf is not None
        ):
            ns = kept  # not written by the edit: scored as before
        else:
            leaf = score_leaf(node, rules, funding.execution_rate, funding)
            w = node.weight if node.weight is not None else ZERO
            na = isinstance(node.method, NotApplicableMethod)
            ns = NodeScore(
                path, level, node.name, w, ZERO if na else w,
                leaf.score if leaf.score is not None else ZERO, leaf.score is not None, leaf,
            )
        out[node.id] = ns
        weight += ns.weight
        applicable += ns.applicable_weight
        score += ns.score
    return weight, applicable, score


def _execution_score(rules: Rules, rate: Decimal | None) -> Decimal | None:
    """The 预算执行率 block's score (None: the rule set has no such block)."""
    ex_weight = rules.execution.weight
    if ex_weight is None:
        return None
    if rate is None:
        return ZERO
    share = min(max(rate, ZERO), Decimal(1))
    return min(round_half_up(share * ex_weight, rules.execution.decimals), ex_weight)


def _rescaled(raw: Decimal, applicable: Decimal, total_weight: Decimal, rules: Rules,
              notes: list[str]) -> Decimal:
    """The total, rescaled to the full weight where indicators do not apply (the rule set's
    百分制折算, with its note), rounded."""
    total = raw
    if rules.rescale_not_applicable and ZERO < applicable < total_weight:
        total = raw / applicable * total_weight
        notes.append(
            f"有不适用指标，按百分制折算：{plain(raw)} ÷ {plain(applicable)} × "
            f"{plain(total_weight)} = {plain(round_half_up(total, rules.total_decimals))}"
        )
    return round_half_up(total, rules.total_decimals)


def _score_capped(total: Decimal, rules: Rules,
                  rate: Decimal | None) -> tuple[Decimal, str | None]:
    """The total under the rule set's score caps by the execution rate, and why."""
    # the rate as the forms print it (60.7%), never a second precision beside it (60.69%)
    shown_rate = percent(rate, rules.execution.rate_display_decimals)
    reason: str | None = None
    for cap in rules.caps:
        if isinstance(cap, ScoreCap) and rate is not None:
            limits = [b.max_score for b in cap.bands if rate < b.below]
            if limits and total > min(limits):
                limit = min(limits)
                band = min((b for b in cap.bands if rate < b.below), key=lambda b: b.max_score)
                reason = (
                    f"{cap.reason}：预算执行率 {shown_rate} 低于 {percent(band.below, 0)}，"
                    f"总分最高 {plain(limit)} 分，"
                    f"{plain(total)} − {plain(total - limit)} = {plain(limit)}"
                )
                total = limit
    return total, reason


def _grade_capped(total: Decimal, rules: Rules,
                  rate: Decimal | None) -> tuple[str, str, str | None]:
    """(the grade of ``total``, the grade under the caps by the execution rate, why)."""
    shown_rate = percent(rate, rules.execution.rate_display_decimals)
    uncapped = grade = grade_for(total, rules)
    reason: str | None = None
    order = [g.name for g in rules.grades]
    for cap in rules.caps:
        if isinstance(cap, GradeCap) and rate is not None and rate < cap.below:
            if order.index(grade) < order.index(cap.max_grade):
                # one plain sentence (the template's ``reason`` would say the same twice)
                reason = (f"因预算执行率{shown_rate}低于{percent(cap.below, 0)}，总分{plain(total)}"
                          f"分的评价等次由“{uncapped}”降为“{cap.max_grade}”")
                grade = cap.max_grade
    return uncapped, grade, reason


def compute(report: Report, rules: Rules, reuse: Reuse | None = None) -> ScoreSheet:
    """Score the whole report by the template's rule set (with ``reuse``: only the leaves
    an edit wrote are scored again, the sums and the grade are all recomputed)."""
    figures = funding_figures(report.funding, rules.execution)
    rate = figures.execution_rate
    if reuse is not None and reuse.previous.funding != figures:
        reuse = None  # every 预算执行率 leaf and cap, every rate linked to 项目资金 follows it
    nodes: dict[str, NodeScore] = {}
    levels: list[LevelScore] = []
    notes: list[str] = []

    ex_weight = rules.execution.weight
    ex_score = _execution_score(rules, rate)
    total_weight = applicable = raw = ZERO
    if ex_weight is not None and ex_score is not None:
        levels.append(
            LevelScore(rules.execution.label, ex_weight, ex_score,
                       ex_score / ex_weight if ex_weight else None)
        )
        total_weight += ex_weight
        applicable += ex_weight
        raw += ex_score

    w, a, s = _score_tree(report.indicators, rules, figures, nodes, "indicators", 1, reuse)
    total_weight += w
    applicable += a
    raw += s
    for node in report.indicators:
        ns = nodes[node.id]
        levels.append(LevelScore(node.name, ns.weight, ns.score, ns.rate))

    total = _rescaled(raw, applicable, total_weight, rules, notes)
    total, score_cap_reason = _score_capped(total, rules, rate)
    uncapped, grade, grade_cap_reason = _grade_capped(total, rules, rate)

    return ScoreSheet(
        nodes=nodes,
        levels=levels,
        funding=figures,
        execution_weight=ex_weight,
        execution_score=ex_score,
        total_weight=total_weight,
        applicable_weight=applicable,
        raw_total=raw,
        total=total,
        grade=grade,
        uncapped_grade=uncapped,
        grade_cap_reason=grade_cap_reason,
        score_cap_reason=score_cap_reason,
        notes=notes,
    )
