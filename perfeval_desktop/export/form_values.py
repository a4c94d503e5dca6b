"""What the forms print about a report beyond its typed fields (the form templates' values,
:mod:`.form_context`): the indicator rows in form order, 完成情况 and 评分说明, 指标性质 and
the figures a method compares, the ticked 等次 and its legend, and the 注 explaining caps
(the 区/县 of the unit is the vocabulary's: templates/vocabulary/header.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model.report import (
    BudgetExecutionMethod,
    CompareMethod,
    IndicatorNode,
    NotApplicableMethod,
    QualitativeMethod,
    RateMethod,
    Report,
)
from ..scoring.engine import ScoreSheet
from ..scoring.methods import rate_amounts
from ..scoring.rounding import HUNDRED, ZERO, percent, plain
from ..templates.manifest import Rules

IDEO = "\u3000"  # ideographic space: kept by every office program, one CJK character wide
QUALITATIVE = "定性"
# Word scales the grid's columns to the type area, which is narrower than the sheet for
# the 附件 of a GB/T 9704 report (225 mm landscape): judge "fits on one line" with margin
FIT_SHARE = 0.8

# ---- the indicator tree in form order ----------------------------------------------------


@dataclass
class Leaf:
    """One printed indicator row: ``node`` is a leaf (or a childless branch kept on the
    form) and ``path`` its ancestors and itself, level 1 first."""

    node: IndicatorNode
    path: list[IndicatorNode]


def leaf_rows(nodes: list[IndicatorNode]) -> list[Leaf]:
    """Every childless node of the tree in form order, with its path."""
    out: list[Leaf] = []

    def walk(items: list[IndicatorNode], path: list[IndicatorNode]) -> None:
        for n in items:
            if n.children:
                walk(n.children, [*path, n])
            else:
                out.append(Leaf(n, [*path, n]))

    walk(nodes, [])
    return out


def level_rows(node: IndicatorNode) -> list[tuple[IndicatorNode | None, IndicatorNode]]:
    """(second level, printed node) for every row of a first-level indicator's table."""
    out: list[tuple[IndicatorNode | None, IndicatorNode]] = []

    def walk(items: list[IndicatorNode], second: IndicatorNode | None) -> None:
        for n in items:
            if n.children:
                walk(n.children, second or n)
            else:
                out.append((second, n))

    walk(node.children, None)
    return out


def weight_group_spans(report: Report) -> dict[int, list[int]]:
    """First-level index → the indexes of its 分值组 (report.weight_groups), where the group
    is printable as one merged cell: its members all found, contiguous and in no other."""
    firsts = report.indicators
    out: dict[int, list[int]] = {}
    for group in report.weight_groups:
        idx = [i for i, n in enumerate(firsts) if n.name in group.members]
        names = sorted(firsts[i].name for i in idx)
        contiguous = bool(idx) and idx == list(range(idx[0], idx[0] + len(idx)))
        if not contiguous or names != sorted(group.members) or any(i in out for i in idx):
            continue  # each of its members prints its own weight
        for i in idx:
            out[i] = idx
    return out


# ---- an indicator's printed words and figures ---------------------------------------------


def completion_status(node: IndicatorNode, sheet: ScoreSheet) -> str:
    """完成情况 of a leaf: from its score against its 分值, with the 偏差原因 where written."""
    if isinstance(node.method, NotApplicableMethod):
        return "\n".join(t for t in ("不适用", node.unscored_reason.strip()) if t)
    ns = sheet.nodes[node.id]
    if not ns.scored or node.weight is None:
        status = ""
    elif ns.score >= ns.weight:
        status = "已完成"
    elif ns.score > ZERO:
        status = "部分完成"
    else:
        status = "未完成"
    reason = node.deviation_reason.strip() if status and status != "已完成" else ""
    return "\n".join(t for t in (status, reason) if t)


def score_note(node: IndicatorNode, sheet: ScoreSheet) -> str:
    """评分说明 where points were lost: the arithmetic of a computed score below its 分值
    or of a deduction, and the 偏差原因; the reason of an indicator not scored."""
    if isinstance(node.method, NotApplicableMethod):
        return node.unscored_reason.strip() or "不适用，不计分"
    ns = sheet.nodes[node.id]
    leaf = ns.leaf
    if leaf is None or leaf.score is None or (ns.score >= ns.weight and not leaf.penalty):
        return ""
    parts: list[str] = []
    if leaf.penalty or isinstance(node.method, CompareMethod | RateMethod |
                                  BudgetExecutionMethod):
        parts.append(leaf.arithmetic)
    if node.deviation_reason.strip():
        parts.append(node.deviation_reason.strip())
    return "\n".join(parts)


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


def _rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


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
        return _figure(_rate(*rate_amounts(method, sheet.funding)), node.unit)
    if isinstance(method, BudgetExecutionMethod):
        return _figure(sheet.execution_rate, node.unit)
    return ""


# ---- the grade, the notes ---------------------------------------------------------


def grade_ticks(rules: Rules, chosen: str | None) -> str:
    """``优 ☑　　良 □　　中 □　　差 □`` with ``chosen`` ticked."""
    return (IDEO * 2).join(f"{g.name} {'☑' if g.name == chosen else '□'}" for g in rules.grades)


def grade_legend(rules: Rules) -> str:
    """``100-90（含）分为优、90-80（含）分为良、80-60（含）分为中、60分以下为差``."""
    parts: list[str] = []
    upper = rules.total_weight
    for band in rules.grades:
        if band.min > ZERO:
            parts.append(f"{plain(upper)}-{plain(band.min)}（含）分为{band.name}")
        else:
            parts.append(f"{plain(upper)}分以下为{band.name}")
        upper = band.min
    return "、".join(parts)


def cap_notes(sheet: ScoreSheet) -> list[tuple[str, str]]:
    """(caption, text) rows explaining caps and rescaling, with the arithmetic: the 注
    under a form (计分说明), never rows of its grid."""
    notes: list[tuple[str, str]] = []
    if sheet.score_cap_reason:
        notes.append(("总分封顶说明", sheet.score_cap_reason))
    if sheet.grade_cap_reason:
        notes.append(("等次封顶说明", sheet.grade_cap_reason))
    for note in sheet.notes:
        notes.append(("计分说明", note))
    return notes


def suggestions_text(report: Report) -> str:
    """问题和建议: as typed, else the problems numbered with their measures."""
    return report.suggestions.strip() or "\n".join(
        f"{i}. {p.problem}" + (f"建议：{p.measure}" if p.measure else "")
        for i, p in enumerate(report.problems, start=1) if p.problem
    )
