"""C001–C004 (issue #12): what would print empty is found, not passed as 没有发现问题."""

from __future__ import annotations

from pathlib import Path

from perfeval_desktop.scoring.findings import Level
from perfeval_desktop.scoring.validator import validate
from perfeval_desktop.templates.factory import new_report
from perfeval_desktop.templates.loader import load_template
from perfeval_desktop.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def _codes(findings: list, code: str) -> list:
    return [f for f in findings if f.code == code]


def test_an_empty_gd_report_is_not_without_problems() -> None:
    template = load_template("mof_self_eval_gd")
    report = new_report(template.manifest)
    found = validate(report, template.manifest)
    goals = _codes(found, "C001")
    assert {f.path for f in goals} == {"goals.expected", "goals.actual"}
    assert all(f.level is Level.ERROR and "绩效目标" in f.message for f in goals)
    sections = _codes(found, "C002")
    leaves = [s for s in template.manifest.all_sections() if not s.children]
    assert len(sections) == len(leaves) and all("只印出标题" in f.message for f in sections)
    columns = _codes(found, "C004")
    assert columns and {f.path.rsplit(".", 1)[1] for f in columns} == {"target_text", "actual_text"}


def test_filled_sample_has_none_and_emptying_finds_each() -> None:
    ws = Workspace.open(SAMPLES / "gd_yuancheng_medical_aid_2021.pfe")
    assert not [f for f in ws.findings if f.code.startswith("C")]
    leaf = ws.report.indicators[0].children[0].children[0]
    leaf.actual_text = " "
    ws.report.goals.expected = ""
    first = next(iter(ws.report.sections))
    ws.report.sections[first] = ""
    found = validate(ws.report, ws.manifest)
    assert [f.path for f in _codes(found, "C004")] == ["indicators[0].children[0].children[0].actual_text"]
    assert "实际完成值" in _codes(found, "C004")[0].message
    assert [f.path for f in _codes(found, "C001")] == ["goals.expected"]
    assert [f.path for f in _codes(found, "C002")] == [f"sections.{first}"]


def test_evaluators_only_where_the_form_prints_them() -> None:
    yn = Workspace.open(SAMPLES / "yn_wuhua_payables_2024.pfe")
    assert not _codes(yn.findings, "C003")
    yn.report.evaluators.clear()
    found = validate(yn.report, yn.manifest)
    assert [f.path for f in _codes(found, "C003")] == ["evaluators"]
    gd = Workspace.open(SAMPLES / "gd_yuancheng_medical_aid_2021.pfe")
    gd.report.evaluators.clear()
    assert not _codes(validate(gd.report, gd.manifest), "C003")
