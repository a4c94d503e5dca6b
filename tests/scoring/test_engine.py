"""Totals, 得分率, rounding, grades and caps (spec §4.1, §4.3) on the real templates and seeds."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from perfeval_desktop.model.report import (
    Amounts,
    CompareMethod,
    FundingTable,
    IndicatorNode,
    ManualMethod,
    Meta,
    Nature,
    NotApplicableMethod,
    Report,
)
from perfeval_desktop.scoring.engine import compute, grade_for
from perfeval_desktop.scoring.rounding import amount, percent, plain, round_half_up
from perfeval_desktop.templates.loader import load_template
from perfeval_desktop.templates.manifest import GradeCap, Rules, ScoreCap, ScoreCapBand

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [ROOT / "templates"]
SAMPLES = ROOT / "resources" / "samples"


def sample(name: str) -> Report:
    return Report.model_validate_json((SAMPLES / name).read_text("utf-8"))


def manual(name: str, weight: str, score: str) -> IndicatorNode:
    return IndicatorNode(name=name, weight=D(weight), method=ManualMethod(score=D(score)))


def simple_report(scores: list[tuple[str, str]], executed: str | None = None) -> Report:
    return Report(
        meta=Meta(template_id="t"),
        funding=FundingTable(total=Amounts(annual_budget=D(100), executed=D(executed) if executed else None)),
        indicators=[
            IndicatorNode(name=f"一级{i}", children=[
                IndicatorNode(name="二级", children=[manual("三级", w, s)])
            ])
            for i, (w, s) in enumerate(scores)
        ],
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"),
     ("60", "中"), ("59.99", "差"), ("0", "差")],
)
def test_grade_boundaries_are_inclusive_at_the_lower_end(total: str, grade: str) -> None:
    assert grade_for(D(total), Rules()) == grade


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [("2.675", 2, "2.68"), ("2.665", 2, "2.67"), ("6.5", 0, "7"), ("6.0688", 0, "6"),
     ("-1.005", 2, "-1.01"), ("94", 2, "94.00")],
)
def test_round_half_up(value: str, decimals: int, expected: str) -> None:
    assert round_half_up(D(value), decimals) == D(expected)
    assert str(round_half_up(D(value), decimals)) == expected


def test_display_helpers() -> None:
    assert plain(D("94.00")) == "94"
    assert plain(D("3.50")) == "3.5"
    assert plain(D("17.034")) == "17.03"
    assert amount(D("228.5")) == "228.50"
    assert percent(D("701.23") / D("1155.5"), 1) == "60.7%"
    assert percent(None) == ""


def test_seed_002_totals_grade_and_cap() -> None:
    report = sample("gd_yuancheng_medical_aid_2021.pfe")
    sheet = compute(report, load_template("mof_self_eval_gd", TEMPLATES).manifest.rules)
    assert sheet.total == D(94)
    assert sheet.execution_score == D(6) and sheet.execution_weight == D(10)
    assert percent(sheet.execution_rate, 1) == "60.7%"
    assert [(lv.name, lv.weight, lv.score) for lv in sheet.levels] == [
        ("预算执行率", D(10), D(6)),
        ("产出指标", D(50), D(48)),
        ("效益指标", D(30), D(30)),
        ("满意度指标", D(10), D(10)),
    ]
    assert sheet.uncapped_grade == "优" and sheet.grade == "良"
    assert sheet.grade_cap_reason is not None
    assert sheet.grade_cap_reason == "因预算执行率60.7%低于90%，总分94分的评价等次由“优”降为“良”"  # one sentence
    # the rate as the forms print it (rate_display_decimals 1): 60.7%, never 60.69% beside it
    assert "60.7%" in sheet.grade_cap_reason and "94" in sheet.grade_cap_reason
    assert "60.69" not in sheet.grade_cap_reason
    # second level weights printed on the form: 数量 17, 质量 16, 时效 17, 社会效益 16 …
    weights = {ns.name: ns.weight for ns in sheet.nodes.values() if ns.level == 2}
    assert weights == {"数量指标": D(17), "质量指标": D(16), "时效指标": D(17),
                       "社会效益指标": D(16), "可持续影响指标": D(14), "服务对象满意度指标": D(10)}


def test_level_sums_and_rates() -> None:
    report = simple_report([("50", "40"), ("50", "45")])
    sheet = compute(report, Rules())
    assert sheet.total == D(85)
    first = sheet.nodes[report.indicators[0].id]
    assert first.weight == D(50) and first.score == D(40) and first.rate == D("0.8")
    assert sheet.grade == "良"


def test_not_applicable_left_out_and_optionally_rescaled() -> None:
    report = simple_report([("60", "60"), ("40", "30")])
    report.indicators[1].children[0].children.append(
        IndicatorNode(name="不适用", weight=D(20), method=NotApplicableMethod(),
                      unscored_reason="本年度未开展")
    )
    plain_sheet = compute(report, Rules())
    assert plain_sheet.total == D(90) and plain_sheet.total_weight == D(120)
    second = plain_sheet.nodes[report.indicators[1].id]
    assert second.applicable_weight == D(40) and second.rate == D("0.75")
    rescaled = compute(report, Rules(rescale_not_applicable=True, total_weight=D(120)))
    # 90 / 100 × 120
    assert rescaled.total == D(108)
    assert "百分制" in rescaled.notes[0]


def test_grade_cap_by_execution_rate() -> None:
    rules = Rules(caps=[GradeCap(below=D("0.9"), max_grade="良", reason="因预算执行率低于90%")])
    capped = compute(simple_report([("100", "95")], executed="89.99"), rules)
    assert capped.grade == "良" and capped.uncapped_grade == "优"
    assert capped.total == D(95)
    free = compute(simple_report([("100", "95")], executed="90"), rules)
    assert free.grade == "优" and free.grade_cap_reason is None
    # a grade already below the cap is not touched
    low = compute(simple_report([("100", "70")], executed="50"), rules)
    assert low.grade == "中" and low.grade_cap_reason is None


SCORE_CAP = ScoreCap(
    bands=[ScoreCapBand(below=D("0.8"), max_score=D(89)), ScoreCapBand(below=D("0.7"), max_score=D(79)),
           ScoreCapBand(below=D("0.6"), max_score=D(69)), ScoreCapBand(below=D("0.5"), max_score=D(59))],
    reason="一体化平台规则",
)


@pytest.mark.parametrize(
    ("executed", "total", "grade"),
    [("80", "98", "优"), ("79.99", "89", "良"), ("70", "89", "良"), ("65", "79", "中"),
     ("55", "69", "中"), ("49", "59", "差")],
)
def test_score_cap_bands(executed: str, total: str, grade: str) -> None:
    sheet = compute(simple_report([("100", "98")], executed=executed), Rules(caps=[SCORE_CAP]))
    assert sheet.total == D(total)
    assert sheet.grade == grade
    if total != "98":
        assert sheet.score_cap_reason is not None
        assert f"98 − {98 - int(total)} = {total}" in sheet.score_cap_reason


def test_score_cap_does_not_raise_a_lower_score() -> None:
    sheet = compute(simple_report([("100", "50")], executed="65"), Rules(caps=[SCORE_CAP]))
    assert sheet.total == D(50) and sheet.score_cap_reason is None


def test_budget_execution_block_and_total_decimals() -> None:
    rules = Rules.model_validate({"execution": {"weight": 10, "decimals": 2}, "total_decimals": 2})
    report = simple_report([("90", "80.555")], executed="66.666")
    sheet = compute(report, rules)
    assert sheet.execution_score == D("6.67")
    assert sheet.total == D("87.23")  # 6.67 + 80.555 = 87.225 → 87.23


def test_funding_totals_derived_from_parts_when_not_typed() -> None:
    yn = sample("yn_wuhua_payables_2024.pfe") if (SAMPLES / "yn_wuhua_payables_2024.pfe").exists() else None
    report = simple_report([("100", "100")])
    report.funding = FundingTable(
        details=[{"name": "明细", "amounts": {"initial_budget": "12.73", "executed": "12.73"}}]  # type: ignore[list-item]
    )
    sheet = compute(report, Rules.model_validate({"execution": {"basis": "initial_budget"}}))
    assert sheet.funding.total["initial_budget"] == D("12.73") and sheet.funding.derived["initial_budget"]
    assert sheet.execution_rate == D(1)
    if yn is not None:
        ysheet = compute(yn, load_template("yunnan_dept_eval", TEMPLATES).manifest.rules)
        assert ysheet.execution_rate == D(1)


def test_lower_is_better_inside_a_report() -> None:
    report = simple_report([("100", "100")])
    report.indicators[0].children[0].children = [
        IndicatorNode(name="成本", weight=D(100),
                      method=CompareMethod(nature=Nature.LOWER, target=D(10), actual=D(11)))
    ]
    assert compute(report, Rules()).total == D(90)
