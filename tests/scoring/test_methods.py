"""Every scoring method of spec §4.2, with the figures the spec and seeds quote."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfeval_desktop.model.report import (
    Band,
    BudgetExecutionMethod,
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    Nature,
    NotApplicableMethod,
    QualitativeMethod,
    RateMethod,
)
from perfeval_desktop.scoring.methods import compare_score, score_leaf
from perfeval_desktop.templates.manifest import DeviationPenalty, Rules


def leaf(method, weight="4", **kw) -> IndicatorNode:
    return IndicatorNode(name="指标", weight=D(weight) if weight is not None else None,
                         method=method, **kw)


RULES = Rules()


def test_manual_score_is_taken_as_typed() -> None:
    result = score_leaf(leaf(ManualMethod(score=D("3.5"))), RULES, None)
    assert result.score == D("3.5")
    assert result.arithmetic == "手工评分"


def test_manual_without_score_names_what_is_missing() -> None:
    result = score_leaf(leaf(ManualMethod()), RULES, None)
    assert result.score is None and result.missing == "得分"


def test_manual_score_above_weight_counts_at_most_the_weight() -> None:
    result = score_leaf(leaf(ManualMethod(score=D(12)), weight="10"), RULES, None)
    assert result.score == D(10)
    assert "超过分值 10" in result.arithmetic


def test_higher_is_better_below_target_is_proportional() -> None:
    # 参保人数 32.67 万 of 33.4 万 → 97.8 % × 4 = 3.91 (spec §4.2)
    m = CompareMethod(nature=Nature.HIGHER, target=D("33.4"), actual=D("32.67"))
    assert score_leaf(leaf(m), RULES, None).score == D("3.91")


def test_higher_is_better_reaching_target_scores_full_weight() -> None:
    m = CompareMethod(nature=Nature.HIGHER, target=D(150), actual=D(160))
    result = score_leaf(leaf(m, weight="20"), RULES, None)
    assert result.score == D(20)
    assert result.achievement == D(160) / D(150)


def test_negative_actual_counts_as_zero() -> None:
    m = CompareMethod(nature=Nature.HIGHER, target=D(10), actual=D(-5))
    assert score_leaf(leaf(m), RULES, None).score == D(0)


def test_equal_with_positive_target_scores_as_higher_is_better() -> None:
    m = CompareMethod(nature=Nature.EQUAL, target=D(100), actual=D(90))
    assert score_leaf(leaf(m, weight="10"), RULES, None).score == D(9)


@pytest.mark.parametrize(("actual", "expected"), [("0", "5"), ("-1", "5"), ("0.5", "0")])
def test_equal_with_zero_target(actual: str, expected: str) -> None:
    m = CompareMethod(nature=Nature.EQUAL, target=D(0), actual=D(actual))
    assert score_leaf(leaf(m, weight="5"), RULES, None).score == D(expected)


@pytest.mark.parametrize(
    ("actual", "formula", "expected"),
    [
        ("8", "linear", "10"),  # within the limit: full weight
        ("10", "linear", "10"),
        ("12", "linear", "8"),  # (1 − 2/10) × 10
        ("15", "linear", "5"),
        ("20", "linear", "0"),  # from twice the target on: 0
        ("25", "linear", "0"),
        ("12", "ratio", "8.33"),  # 10 / 12 × 10
        ("40", "ratio", "2.5"),
    ],
)
def test_lower_is_better_both_regional_formulas(actual: str, formula: str, expected: str) -> None:
    rules = Rules(lower_formula=formula)  # type: ignore[arg-type]
    m = CompareMethod(nature=Nature.LOWER, target=D(10), actual=D(actual))
    assert score_leaf(leaf(m, weight="10"), rules, None).score == D(expected)


def test_compare_arithmetic_is_shown() -> None:
    score, arith = compare_score(Nature.HIGHER, D("33.4"), D("32.67"), D(4), "linear")
    assert "32.67 ÷ 目标 33.4 × 4" in arith
    assert score == D("32.67") / D("33.4") * 4


def test_missing_numbers_are_named() -> None:
    assert score_leaf(leaf(CompareMethod()), RULES, None).missing == "年度指标值（数值）"
    m = CompareMethod(target=D(1))
    assert score_leaf(leaf(m), RULES, None).missing == "实际完成值（数值）"


def test_rate_from_two_amounts() -> None:
    # 资金到位率 = 到位数 / 预算数 = 9.21 / 100 → 9.21 % × 4 = 0.37
    m = RateMethod(numerator=D("9.21"), denominator=D(100))
    result = score_leaf(leaf(m), RULES, None)
    assert result.score == D("0.37")
    assert "9.21%" in result.arithmetic


def test_rate_against_a_target_rate() -> None:
    m = RateMethod(numerator=D(85), denominator=D(100), target_rate=D("0.9"))
    assert score_leaf(leaf(m, weight="10"), RULES, None).score == D("9.44")


def test_rate_with_zero_denominator_is_missing_input() -> None:
    m = RateMethod(numerator=D(1), denominator=D(0))
    assert "分母" in score_leaf(leaf(m), RULES, None).missing


def test_qualitative_band_keeps_the_evaluators_score() -> None:
    # seed 002 医疗救助资金支出率: 部分达成预期, 6 of 8
    m = QualitativeMethod(band=Band.PARTIAL, score=D(6))
    assert score_leaf(leaf(m, weight="8"), RULES, None).score == D(6)


def test_qualitative_without_band_is_missing() -> None:
    m = QualitativeMethod(score=D(6))
    assert score_leaf(leaf(m, weight="8"), RULES, None).missing == "评价档次"


def test_not_applicable_counts_zero_of_zero() -> None:
    result = score_leaf(leaf(NotApplicableMethod(), weight=None), RULES, None)
    assert result.score is None and result.not_applicable


def test_leaf_without_weight_is_missing_its_weight() -> None:
    assert score_leaf(leaf(ManualMethod(score=D(1)), weight=None), RULES, None).missing == "分值"


def test_budget_execution_uses_the_unrounded_rate() -> None:
    rate = D("701.23") / D("1155.5")
    result = score_leaf(leaf(BudgetExecutionMethod(), weight="10"), RULES, rate)
    assert result.score == D("6.07")
    integer = Rules.model_validate({"execution": {"decimals": 0}})
    assert score_leaf(leaf(BudgetExecutionMethod(), weight="10"), integer, rate).score == D(6)


def test_budget_execution_never_above_weight() -> None:
    result = score_leaf(leaf(BudgetExecutionMethod(), weight="4"), RULES, D("1.2"))
    assert result.score == D(4)


def test_budget_execution_without_figures_is_missing() -> None:
    assert score_leaf(leaf(BudgetExecutionMethod()), RULES, None).missing


def test_deviation_penalty_applies_unless_explained() -> None:
    rules = Rules(deviation_penalty=DeviationPenalty(threshold=D("0.3"), points=D(2)))
    m = CompareMethod(nature=Nature.HIGHER, target=D(100), actual=D(140))
    penalised = score_leaf(leaf(m, weight="10"), rules, None)
    assert penalised.score == D(8) and penalised.penalty == D(2)
    assert "扣 2 分" in penalised.arithmetic
    explained = score_leaf(leaf(m, weight="10", deviation_reason="目标设定偏低，已调整"), rules, None)
    assert explained.score == D(10)


def test_deduction_never_takes_score_below_zero() -> None:
    m = ManualMethod(score=D(1))
    assert score_leaf(leaf(m, deduction=D(3)), RULES, None).score == D(0)


def test_computed_scores_round_half_up_to_template_decimals() -> None:
    # 2 / 3 × 4 = 2.666… → 2.67 (two decimals) / 3 (integers)
    m = CompareMethod(nature=Nature.HIGHER, target=D(3), actual=D(2))
    assert score_leaf(leaf(m), RULES, None).score == D("2.67")
    assert score_leaf(leaf(m), Rules(score_decimals=0), None).score == D(3)


def test_rounding_never_lifts_a_score_above_its_weight() -> None:
    # found by the property test: 0.5 分 scored in integers must stay 0.5, not 1
    rules = Rules(score_decimals=0)
    result = score_leaf(leaf(BudgetExecutionMethod(), weight="0.5"), rules, D(1))
    assert result.score == D("0.5")


def test_compare_reads_its_numbers_from_the_typed_texts() -> None:
    """Issue #12: "≥3000人次" / "3583人次" in the grid score a 比较 indicator, typed once."""
    node = leaf(CompareMethod())
    node.target_text, node.actual_text = "≤3600元/人", "3,583元/人"
    result = score_leaf(node, RULES, None)
    assert result.score == node.weight and "3583 ≤ 目标 3600" in result.arithmetic
    node.target_text, node.actual_text = "100%", "98%"
    result = score_leaf(node, RULES, None)
    assert result.achievement == D("0.98") and "98 ÷ 目标 100" in result.arithmetic
    node.actual_text = "98人"  # another unit: not comparable, named as missing
    assert score_leaf(node, RULES, None).missing == "实际完成值（数值）"
    node.method = CompareMethod(target=D(90), actual=D(45))  # typed in the panel: those win
    assert score_leaf(node, RULES, None).achievement == D("0.5")


def test_parse_figure_splits_sign_number_unit() -> None:
    from perfeval_desktop.model.numbers import Figure, parse_figure

    assert parse_figure("≥3000人次") == Figure("≥", D(3000), "人次")
    assert parse_figure("98%") == Figure("", D(98), "%")
    assert parse_figure("≤3600元/人") == Figure("≤", D(3600), "元/人")
    assert parse_figure("不低于 90%") == Figure("≥", D(90), "%")
    assert parse_figure("＞＝95％") == Figure("≥", D(95), "%")
    assert parse_figure("达到80%以上") == Figure("≥", D(80), "%")
    assert parse_figure("5个工作日以内") == Figure("≤", D(5), "个工作日")
    assert parse_figure("≤10%以下") == Figure("≤", D(10), "%")
    for text in ("按时", "有效减轻", "2025年12月31日前", ""):
        assert parse_figure(text) is None
