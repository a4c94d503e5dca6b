"""Live values: the narrative's {{ 总分 }} … print the very figures of the tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfeval_desktop.model.report import Report
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.scoring.live_values import describe, fill, live_values, placeholders_in
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import Template, load_template

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


@pytest.fixture(scope="module")
def gd() -> tuple[Report, Template]:
    report = load(SAMPLES / "gd_yuancheng_medical_aid_2021.pfe")
    return report, load_template(report.meta.template_id)


@pytest.fixture(scope="module")
def values(gd: tuple[Report, Template]) -> dict[str, str]:
    report, template = gd
    return live_values(report, template.manifest, compute(report, template.manifest.rules))


def test_values_as_the_form_prints_them(values: dict[str, str]) -> None:
    # seed 002: 94 分, 良 (capped: 执行率 below 90 %), 701.23 / 1155.5 = 60.7 %
    assert values["总分"] == "94"
    assert values["等次"] == "良"
    assert values["满分"] == "100"
    assert values["执行率"] == "60.7%"  # one decimal, as the 自评表 prints it
    assert values["全年预算数"] == "1155.5"  # as typed, as the 自评表 prints it
    assert values["全年执行数"] == "701.23"
    assert values["年初预算数"] == ""  # not filled on the form
    assert values["年度"] == "2021"
    assert values["项目名称"] == "医疗救助补助资金"
    # each first level, 预算执行率 block included (an integer score, as the form rounds it)
    assert values["预算执行率得分"] == "6" and values["预算执行率分值"] == "10"
    assert values["产出指标得分"] == "48" and values["产出指标分值"] == "50"
    assert values["产出指标得分率"] == "96.00%"
    assert values["效益指标得分"] == "30" and values["满意度指标得分"] == "10"


def test_first_levels_of_another_family() -> None:
    report = load(SAMPLES / "yn_wuhua_payables_2024.pfe")
    template = load_template(report.meta.template_id)
    values = live_values(report, template.manifest, compute(report, template.manifest.rules))
    assert values["总分"] == "100" and values["等次"] == "优"
    assert [values[f"{n}分值"] for n in ("决策", "过程", "产出", "效益")] == ["20", "20", "45", "15"]
    assert values["实际到位数"] == "12.73" and values["执行率"] == "100%"


def test_fill_replaces_known_placeholders(values: dict[str, str]) -> None:
    text = "经自评得分{{ 总分 }}分，评价等次为“{{等次}}”，预算执行率为｛｛ 执行率 ｝｝。"
    filled = fill(text, values)
    assert filled.text == "经自评得分94分，评价等次为“良”，预算执行率为60.7%。"
    assert filled.unknown == ()


def test_fill_leaves_unknown_visible_and_reports_it_once(values: dict[str, str]) -> None:
    text = "得分{{ 总分数 }}分，{{ 总分数 }}；产出{{ 产出指标得分 }}分"
    filled = fill(text, values)
    assert filled.text == "得分{{ 总分数 }}分，{{ 总分数 }}；产出48分"
    assert filled.unknown == ("总分数",)


def test_fill_never_evaluates(values: dict[str, str]) -> None:
    for text in ("{{ ''.__class__.__mro__ }}", "{{ 总分 + 1 }}", "{% for x in y %}{{ x }}{% endfor %}",
                 "{{ lipsum.__globals__ }}", "{{", "}}", "{{}}", "{ 总分 }"):
        filled = fill(text, values)
        assert "__" not in filled.text or filled.text == text
        assert "94" not in filled.text  # nothing computed, nothing looked up but a bare name
    assert fill("{{ 总分 + 1 }}", values).unknown == ("总分 + 1",)


def test_placeholders_in_and_describe(values: dict[str, str]) -> None:
    assert placeholders_in("a {{ 总分 }} b {{等次}} c") == ["总分", "等次"]
    listed = dict(describe(values))
    assert listed["{{ 总分 }}"].startswith("总分")
    assert "{{ 产出指标得分率 }}" in listed and listed["{{ 产出指标得分率 }}"] == "产出指标得分率"
    assert next(iter(listed)) == "{{ 总分 }}"
