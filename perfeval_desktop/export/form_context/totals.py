"""The totals of a form (总分值, 总分, 等次 …) with their live formulas, and the lists
beside them (问题清单, 评价人员, 计分说明)."""

from __future__ import annotations

from typing import Any

from ...model.report import Report
from ...scoring.engine import ScoreSheet
from ...scoring.rounding import ZERO
from ...templates.manifest import Rules
from ...templates.vocabulary.indicators import RATE_DECIMALS
from ..form_values import cap_notes, grade_legend, grade_ticks, suggestions_text
from ..formulas import grade_formula, number_literal, total_expression
from ..live import Formula, Key, Live, Many, live_label, live_number, live_percent, sum_of
from .indicators import Indicators, rate_formula


def _rate_literal(sheet: ScoreSheet) -> dict[str, str]:
    """The 执行率 written into a formula where its cell is not on the sheet."""
    rate = sheet.funding.execution_rate
    return {"rate": number_literal(rate) if rate is not None else '""'}


def _total_weight(report: Report, sheet: ScoreSheet, weight_keys: Many) -> Live:
    """总分值: the leaves' 分值 (and the 预算执行率 block's), or on a table of the first
    levels (第三方 表1) theirs."""
    level_weights = Many(tuple(("weight", n.id) for n in report.indicators))
    return live_number(
        sheet.total_weight, ("total_weight",),
        formula=Formula("SUM({x})", {"x": weight_keys}, ("x",), sheet.total_weight,
                        otherwise=Formula("SUM({x})", {"x": level_weights}, ("x",),
                                          sheet.total_weight)))


def _total(report: Report, rules: Rules, sheet: ScoreSheet, score_keys: Many,
           weight_keys: Many) -> Live:
    """总分 by the rule set's formula (rescaled, capped), else the first levels' sum."""
    td = rules.total_decimals
    level_scores = Many(tuple(("level_score", n.id) for n in report.indicators))
    check = not rules.rescale_not_applicable and sheet.score_cap_reason is None
    return live_number(
        sheet.total, ("total",), td,
        Formula(total_expression(rules, "SUM({s})", "SUM({w})", "{tw}", "{rate}"),
                {"s": score_keys, "w": weight_keys, "tw": ("total_weight",),
                 "rate": ("rate", "total")},
                sums=("s",) if check else (), total=sheet.total if check else None,
                round_to=td, literals=_rate_literal(sheet),
                otherwise=Formula(f"ROUND(SUM({{x}}),{td})", {"x": level_scores}, ("x",),
                                  sheet.total, round_to=td)),
    )


def _grades(rules: Rules, sheet: ScoreSheet) -> dict[str, Any]:
    """等次, 等次勾选 and 等次说明: the grade by the rule set's bands, live."""
    slots: dict[str, Key] = {"t": ("total",), "rate": ("rate", "total")}
    grade = Live(None, live_label("").kind, key=("grade",), label=sheet.grade,
                 formula=Formula(grade_formula(rules, "{t}", "{rate}")[1:], slots,
                                 literals=_rate_literal(sheet)))
    ticks = {g.name: grade_ticks(rules, g.name) for g in rules.grades}
    ticked = live_label(grade_ticks(rules, sheet.grade), None,
                        Formula(grade_formula(rules, "{t}", "{rate}", ticks)[1:], slots,
                                literals=_rate_literal(sheet)))
    return {"等次": grade, "等次勾选": ticked, "等次说明": grade_legend(rules)}


def _weight_sums(report: Report, sheet: ScoreSheet, group_keys: list[Key]) -> dict[str, Any]:
    """一级分值合计 (the 分值组 cells) and 二级分值合计 (the second levels with children)."""
    level_weight = sum((sheet.nodes[n.id].weight for n in report.indicators), ZERO)
    second_keys = [("weight", n2.id) for n1 in report.indicators for n2 in n1.children
                   if n2.children]
    return {
        "一级分值合计": live_number(level_weight, None, formula=sum_of(group_keys, level_weight)),
        "二级分值合计": live_number(level_weight, None, formula=sum_of(second_keys, level_weight)),
    }


def _lists(report: Report, sheet: ScoreSheet) -> dict[str, Any]:
    """问题清单, 问题和建议, 评价人员, 计分说明."""
    return {
        "问题清单": [{"问题": p.problem, "原因": p.cause, "整改措施": p.measure,
                      "责任单位": p.owner, "完成时限": p.deadline} for p in report.problems],
        "问题和建议": suggestions_text(report),
        "评价人员": [{"姓名": e.name, "职务": e.title, "单位": e.unit} for e in report.evaluators],
        "计分说明": [{"标题": caption, "内容": text} for caption, text in cap_notes(sheet)],
    }


def totals_context(report: Report, rules: Rules, sheet: ScoreSheet,
                   indicators: Indicators) -> dict[str, Any]:
    """The totals names of :mod:`...templates.vocabulary.totals` a form can use."""
    # the leaves' cells, and the 预算执行率 block's where the rule set has one
    no_block: frozenset[Key] = (frozenset({("exec_weight",), ("exec_score",)})
                                if sheet.execution_weight is None else frozenset())
    weight_keys = Many(tuple([("exec_weight",), *(("weight", lf.node.id)
                                                  for lf in indicators.leaves)]), no_block)
    score_keys = Many(tuple([("exec_score",), *(("score", lf.node.id)
                                                for lf in indicators.leaves)]), no_block)
    total_rate = live_percent(sheet.total / sheet.total_weight if sheet.total_weight else None,
                              RATE_DECIMALS, None, rate_formula(("total_weight",), ("total",)))
    return {
        "总分值": _total_weight(report, sheet, weight_keys),
        **_weight_sums(report, sheet, indicators.group_keys),
        "总分": _total(report, rules, sheet, score_keys, weight_keys),
        "总得分率": total_rate,
        **_grades(rules, sheet),
        **_lists(report, sheet),
    }
