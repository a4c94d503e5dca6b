"""The indicator names of a form (指标行, 绩效目标行, 一级指标, 本表一级指标): an entry per
node (名称, 分值, 得分, 得分率, 标签), shared by every row naming it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...model.report import IndicatorNode, NotApplicableMethod, Report
from ...scoring.engine import ScoreSheet
from ...scoring.rounding import ZERO, plain, round_half_up
from ...templates.families import family_forms
from ...templates.manifest import Manifest, Rules
from ...templates.vocabulary.indicators import RATE_DECIMALS
from ..form_values import (
    FIT_SHARE,
    Leaf,
    actual_of,
    completion_status,
    leaf_rows,
    level_rows,
    nature_of,
    score_note,
    target_of,
    weight_group_spans,
)
from ..formulas import quote
from ..live import Formula, Key, Live, Many, live_label, live_number, live_percent, sum_of

# how wide a one-line 标签 (``产出 (40分)``) may be, as (share of the cell, margin): a
# family whose 附件 are printed in Word with their columns scaled to the type area
# (``narrow_labels``: 宿州, 四川) has narrower cells
NARROW_FIT, WIDE_FIT = (FIT_SHARE, 1.0), (1.0, 0.5)


def rate_formula(weight: Key, score: Key) -> Formula:
    """得分率: the score over the weight, empty where the weight is 0."""
    return Formula('IF(N({w})<>0,{s}/{w},"")', {"w": weight, "s": score})


def _label(node: IndicatorNode, weight: Any, weight_keys: tuple[Key, ...],
           fit: tuple[float, float]) -> Live:
    """标签 of a branch: ``产出 (40分)`` on one line, or on two where the cell is narrow."""
    w = plain(weight)
    one = Formula(quote(node.name + " (") + "&SUM({x})&" + quote("分)"),
                  {"x": Many(weight_keys)}, ("x",), weight)
    two = Formula(quote(node.name) + "&CHAR(10)&" + quote("(") + "&SUM({x})&" + quote("分)"),
                  {"x": Many(weight_keys)}, ("x",), weight)
    return Live(None, live_label("").kind, label=f"{node.name} ({w}分)", formula=one,
                narrow=f"{node.name}\n({w}分)", narrow_formula=two, fit=fit)


def _node_entry(node: IndicatorNode, sheet: ScoreSheet, leaves_under: list[IndicatorNode],
                leaf: bool, rules: Rules, fit: tuple[float, float]) -> dict[str, Any]:
    ns = sheet.nodes[node.id]
    d = rules.score_decimals
    weight_keys: tuple[Key, ...] = tuple(("weight", n.id) for n in leaves_under)
    score_keys: tuple[Key, ...] = tuple(("score", n.id) for n in leaves_under)
    shown = round_half_up(ns.score, d)
    return {
        "id": node.id,
        "名称": node.name,
        "分值": live_number(ns.weight, ("weight", node.id),
                            formula=sum_of(weight_keys, ns.weight) if not leaf else None),
        "得分": live_number(ns.score, ("level_score", node.id), d, formula=None if leaf else
                            Formula(f"ROUND(SUM({{x}}),{d})", {"x": Many(score_keys)}, ("x",),
                                    shown, round_to=d)),
        "得分率": live_percent(ns.rate, RATE_DECIMALS, None,
                              rate_formula(("weight", node.id), ("level_score", node.id)))
        if ns.rate is not None else None,
        "标签": live_label(node.name) if leaf else _label(node, ns.weight, weight_keys, fit),
    }


@dataclass
class Entries:
    """The entry of each node, made once and shared by every row naming it."""

    sheet: ScoreSheet
    rules: Rules
    fit: tuple[float, float]
    leaves: list[Leaf]
    under: dict[str, list[IndicatorNode]] = field(default_factory=dict)  # branch → leaves
    made: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for lf in self.leaves:
            for n in lf.path[:-1]:
                self.under.setdefault(n.id, []).append(lf.node)

    def __call__(self, node: IndicatorNode) -> dict[str, Any]:
        if node.id not in self.made:
            self.made[node.id] = _node_entry(node, self.sheet, self.under.get(node.id, [node]),
                                             node.id not in self.under, self.rules, self.fit)
        return self.made[node.id]


def _score_rows(first: IndicatorNode, sheet: ScoreSheet, rules: Rules,
                entry: Entries) -> list[dict[str, Any]]:
    """本表一级指标.评分行: the rows of a first-level indicator's own score table."""
    rows: list[dict[str, Any]] = []
    for second, node in level_rows(first):
        ns = sheet.nodes[node.id]
        na = isinstance(node.method, NotApplicableMethod)
        weight = node.weight if na else (ns.weight if node.weight is not None else None)
        if na:
            score = live_label("不适用", ("score", node.id))
        elif second is None and node.weight is None:
            score = live_number(None, ("score", node.id))
        else:
            score = live_number(ns.score if ns.scored else None, ("score", node.id),
                                rules.score_decimals)
        rows.append({
            "id": node.id,
            "二级": entry(second if second is not None else node),
            "名称": node.name if second is not None else "",
            "绩效分值": live_number(weight, ("weight", node.id)),
            "实际得分": score,
            "不适用": na,
        })
    return rows


def weight_groups(report: Report, sheet: ScoreSheet,
                  entries: Entries) -> tuple[dict[str, dict[str, Any]], list[Key]]:
    """The 分值 cell of each first-level indicator, shared by the members of a 分值组 (云南),
    by the first level's id; and the keys of the cells printed."""
    groups = weight_group_spans(report)
    group_of: dict[str, dict[str, Any]] = {}
    group_keys: list[Key] = []
    for i, n1 in enumerate(report.indicators):
        if n1.id in group_of:
            continue
        members = [report.indicators[k] for k in groups.get(i, [i])]
        if all(not n.children and n.weight is None for n in members):
            weight_cell = live_number(None)  # nothing to print
        else:
            value = sum((sheet.nodes[n.id].weight for n in members), ZERO)
            group_key: Key = ("group_weight", members[0].id)
            keys = [("weight", lf.id) for n in members for lf in entries.under.get(n.id, [n])]
            weight_cell = live_number(value, group_key, formula=sum_of(keys, value))
            group_keys.append(group_key)
        group = {"id": f"group:{members[0].id}", "分值": weight_cell}
        for n in members:
            group_of[n.id] = group
    return group_of, group_keys


def _leaf_row(lf: Leaf, sheet: ScoreSheet, rules: Rules, entry: Entries,
              group: dict[str, Any]) -> dict[str, Any]:
    """指标行: one printed indicator row."""
    node, ns = lf.node, sheet.nodes[lf.node.id]
    level = len(lf.path)
    na = isinstance(node.method, NotApplicableMethod)
    if na:
        reason = "\n".join(t for t in (node.unscored_reason, node.deviation_reason) if t)
    else:
        reason = node.deviation_reason
    weight = live_number(None if na or node.weight is None else ns.weight, ("weight", node.id))
    return {
        "id": node.id,
        "一级": entry(lf.path[0]),
        "二级": entry(lf.path[1]) if level >= 2 else entry(lf.path[0]),
        "名称": "／".join(n.name for n in lf.path[2:]) if level > 3 else node.name,
        "层级": level,
        "年度指标值": node.target_text,
        "实际完成值": node.actual_text,
        "指标性质": nature_of(node),
        "指标值": target_of(node),
        "度量单位": node.unit,
        "完成值": actual_of(node, sheet),
        "分值": weight,
        "分值组": group,
        "二级分值": live_number(node.weight if level == 2 else None),
        "三级分值": weight if level >= 3 else live_number(None, ("weight", node.id)),
        "得分": live_number(ns.score if ns.scored and not na else None,
                            ("score", node.id), rules.score_decimals),
        "偏差原因": reason,
        "不适用": na,
        "不适用原因": node.unscored_reason,
        "完成情况": completion_status(node, sheet),
        "评分说明": score_note(node, sheet),
    }


@dataclass
class Indicators:
    """The indicator names of a form, and the keys the totals sum."""

    names: dict[str, Any]
    leaves: list[Leaf]
    group_keys: list[Key]


def indicator_context(report: Report, manifest: Manifest, sheet: ScoreSheet,
                      indicator: str = "") -> Indicators:
    """指标行 …; ``indicator``: the id of the first level a per-indicator table is about."""
    rules = manifest.rules
    forms = family_forms(manifest)
    fit = NARROW_FIT if forms is not None and forms.narrow_labels else WIDE_FIT
    leaves = leaf_rows(report.indicators)
    entry = Entries(sheet, rules, fit, leaves)
    group_of, group_keys = weight_groups(report, sheet, entry)
    rows = [_leaf_row(lf, sheet, rules, entry, group_of[lf.path[0].id]) for lf in leaves]
    goals = [row for row, lf in zip(rows, leaves, strict=True) if lf.node.target_text.strip()]
    firsts = [entry(n) for n in report.indicators]
    for n, first in zip(report.indicators, firsts, strict=True):
        first["评分行"] = _score_rows(n, sheet, rules, entry)
    names: dict[str, Any] = {"指标行": rows, "绩效目标行": goals or rows, "一级指标": firsts}
    this = next((first for n, first in zip(report.indicators, firsts, strict=True)
                 if n.id == indicator), None)
    if this is not None:
        names["本表一级指标"] = this
    return Indicators(names, leaves, group_keys)
