"""Deliver 5: two published county forms made with the designer's engine (no YAML by
hand), a report scored under each and checked against hand-worked arithmetic."""

from __future__ import annotations

from decimal import Decimal

from perfeval_desktop.designer import TemplateDraft, rules
from perfeval_desktop.designer.save import save_draft
from perfeval_desktop.model.report import (
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    Nature,
    RateMethod,
    Report,
    ScoringMethod,
)
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.templates.factory import new_report
from perfeval_desktop.templates.loader import load_template

D = Decimal


def _leaf(report: Report, first: int, second: int) -> IndicatorNode:
    return report.indicators[first].children[second].children[0]


def _fill(report: Report, leaves: dict[tuple[int, int], tuple[str, ScoringMethod]]) -> None:
    """Leaf (一级, 二级) → (分值, method); funding: 1000 万元 budget, 607.49 executed."""
    for (i, j), (weight, method) in leaves.items():
        leaf = _leaf(report, i, j)
        leaf.weight = D(weight)
        leaf.method = method
        leaf.deviation_reason = "偏差原因已说明。"
    report.funding.total.annual_budget = D("1000")
    report.funding.total.executed = D("607.49")


def _compare(target: str, actual: str, nature: Nature = Nature.HIGHER) -> CompareMethod:
    return CompareMethod(nature=nature, target=D(target), actual=D(actual))


def _rate(num: str, den: str) -> RateMethod:
    return RateMethod(numerator=D(num), denominator=D(den))


def _manual(score: str) -> ManualMethod:
    return ManualMethod(score=D(score))


def test_execution_row_20_points_one_decimal_unrounded_rate() -> None:
    """湖北/云南 county style: 预算执行 20 + 绩效指标 80, scores to 1 decimal."""
    draft = TemplateDraft.copy_of(load_template("mof_self_eval_gd"), "county_exec20",
                                  "项目支出绩效自评表（预算执行率 20 分）")
    rules.set_execution(draft, 20)
    assert draft.problems()  # 20 + 50 + 30 + 10 = 110: the designer says so
    draft.set_node((0,), weight="40")  # 产出 50 → 40
    assert draft.problems() == []
    rules.set_rounding(draft, scores=1, totals=1, execution=1)
    save_draft(draft)

    template = load_template("county_exec20")  # as installed, from the written file
    assert template.manifest.rules.execution.weight == 20
    assert template.manifest.rules.expected_first_level == {
        "预算执行率": 20, "产出指标": 40, "效益指标": 30, "满意度指标": 10}
    report = new_report(template.manifest)
    _fill(report, {
        (0, 0): ("10", _compare("33.4", "32.67")),  # 32.67 / 33.4 × 10 = 9.781… → 9.8
        (0, 1): ("10", _manual("9.5")),  # typed 9.5
        (0, 2): ("10", _manual("10")),
        (0, 3): ("10", _compare("100", "104", Nature.LOWER)),  # (1 − 4/100) × 10 = 9.6
        (1, 0): ("5", _manual("5")),
        (1, 1): ("10", _rate("86.2", "100")),  # 86.2 % × 10 = 8.62 → 8.6
        (1, 2): ("5", _manual("4.5")),
        (1, 3): ("10", _manual("9")),
        (2, 0): ("10", _compare("95", "92")),  # 92 / 95 × 10 = 9.684… → 9.7
    })
    sheet = compute(report, template.manifest.rules)
    # 执行率 607.49 / 1000 = 60.749 %; × 20 = 12.1498 → 12.1 (one decimal) — from the
    # unrounded rate: the rate rounded first (60.75 %) would give 12.15 → 12.2
    assert sheet.execution_score == D("12.1")
    assert [lv.score for lv in sheet.levels] == [D("12.1"), D("38.9"), D("27.1"), D("9.7")]
    assert sheet.total == D("87.8")  # 12.1 + 38.9 + 27.1 + 9.7
    assert sheet.grade == "良" and sheet.total_weight == 100


def test_whole_point_rounding_of_every_leaf() -> None:
    """A county form rounding every computed leaf, the total and the 执行率 row to whole
    points (8.62 → 9)."""
    draft = TemplateDraft.copy_of(load_template("mof_self_eval_gd"), "county_whole",
                                  "项目支出绩效自评表（整数计分）")
    rules.set_rounding(draft, scores=0, totals=0, execution=0)
    save_draft(draft)
    template = load_template("county_whole")
    report = new_report(template.manifest)
    _fill(report, {
        (0, 0): ("20", _compare("33.4", "32.67")),  # 19.562… → 20
        (0, 1): ("10", _rate("86.2", "100")),  # 8.62 → 9
        (0, 2): ("10", _manual("10")),
        (0, 3): ("10", _compare("100", "104", Nature.LOWER)),  # 9.6 → 10
        (1, 0): ("5", _manual("5")),
        (1, 1): ("10", _compare("95", "92")),  # 9.684… → 10
        (1, 2): ("5", _manual("4")),
        (1, 3): ("10", _rate("86.2", "100")),  # 8.62 → 9
        (2, 0): ("10", _compare("95", "90.25")),  # 9.5 → 10 (half up)
    })
    sheet = compute(report, template.manifest.rules)
    assert sheet.node(_leaf(report, 0, 1)).score == D(9)
    assert sheet.execution_score == D(6)  # 60.749 % × 10 = 6.0749 → 6
    assert [lv.score for lv in sheet.levels] == [D(6), D(49), D(28), D(10)]
    assert sheet.total == D(93) and sheet.uncapped_grade == "优"
    assert sheet.grade == "良"  # 执行率 60.7 % below 90 %: the copied cap still applies
    # the same report under the built-in form (two decimals) keeps 8.62
    builtin = compute(report, load_template("mof_self_eval_gd").manifest.rules)
    assert builtin.node(_leaf(report, 0, 1)).score == D("8.62")
