"""Properties of the scoring engine over random reports (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import reports

from perfeval_desktop.model.report import IndicatorNode, Report
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.scoring.findings import Level
from perfeval_desktop.scoring.validator import validate
from perfeval_desktop.templates.manifest import GradeCap, Manifest, Rules, ScoreCap, ScoreCapBand

ZERO = Decimal(0)

RULESETS = st.sampled_from(
    [
        Rules(),
        Rules.model_validate({"execution": {"weight": 10, "decimals": 0}, "score_decimals": 0}),
        Rules(lower_formula="ratio", rescale_not_applicable=True),
        Rules(caps=[GradeCap(below=Decimal("0.9"), max_grade="良", reason="执行率低")]),
        Rules(caps=[ScoreCap(bands=[ScoreCapBand(below=Decimal("0.8"), max_score=Decimal(89)),
                                    ScoreCapBand(below=Decimal("0.5"), max_score=Decimal(59))])]),
    ]
)


def walk(nodes: list[IndicatorNode]) -> list[IndicatorNode]:
    out: list[IndicatorNode] = []
    for n in nodes:
        out.append(n)
        out.extend(walk(n.children))
    return out


@settings(max_examples=150, deadline=None)
@given(reports(), RULESETS)
def test_a_score_never_exceeds_its_weight_nor_goes_below_zero(report: Report, rules: Rules) -> None:
    sheet = compute(report, rules)
    for node in walk(report.indicators):
        ns = sheet.nodes[node.id]
        if ns.weight >= ZERO:  # negative weights are refused by the validator (W006)
            assert ZERO <= ns.score <= max(ns.applicable_weight, ZERO), (node.name, ns)
    if sheet.execution_score is not None and sheet.execution_weight is not None:
        assert ZERO <= sheet.execution_score <= sheet.execution_weight


@settings(max_examples=150, deadline=None)
@given(reports(), RULESETS)
def test_every_total_is_the_sum_of_its_parts(report: Report, rules: Rules) -> None:
    sheet = compute(report, rules)
    for node in walk(report.indicators):
        if node.children:
            ns = sheet.nodes[node.id]
            kids = [sheet.nodes[c.id] for c in node.children]
            assert ns.weight == sum((k.weight for k in kids), ZERO)
            assert ns.score == sum((k.score for k in kids), ZERO)
            assert ns.applicable_weight == sum((k.applicable_weight for k in kids), ZERO)
    assert sheet.raw_total == sum((lv.score for lv in sheet.levels), ZERO)
    assert sheet.total_weight == sum((lv.weight for lv in sheet.levels), ZERO)
    if not rules.rescale_not_applicable and not rules.caps:
        assert sheet.total == sheet.raw_total.quantize(Decimal("0.01"))


@settings(max_examples=100, deadline=None)
@given(reports(), RULESETS)
def test_grade_matches_the_total_unless_a_cap_says_why(report: Report, rules: Rules) -> None:
    sheet = compute(report, rules)
    names = [g.name for g in rules.grades]
    if sheet.grade_cap_reason is None:
        assert sheet.grade == sheet.uncapped_grade
    else:
        assert names.index(sheet.grade) > names.index(sheet.uncapped_grade)


@settings(max_examples=60, deadline=None)
@given(reports())
def test_validator_never_crashes_and_every_finding_is_well_formed(report: Report) -> None:
    manifest = Manifest(id="t", name="测试", family="mof_self_eval")
    findings = validate(report, manifest)
    for f in findings:
        assert f.code[0] in "WSMDTRLGC" and f.code[1:].isdigit()
        assert isinstance(f.level, Level)
        assert f.message and f.path
    assert len({f.key for f in findings}) == len(findings)
