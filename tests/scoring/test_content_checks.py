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


def test_the_templates_guidance_left_in_place_is_not_written() -> None:
    """Seed 000 kept its template's instruction as its 摘要 (“（主要从……概述）”), and so
    does the 宿州 sample: that is no content — it is a C002 finding naming it, and the
    report prints nothing there (tests/export/test_report_docx.py)."""
    sz = Workspace.open(SAMPLES / "sz_fund_supervision_2022.pfe")
    summary = next(s for s in sz.manifest.all_sections() if s.id == "summary")
    assert sz.report.sections["summary"].startswith("（主要从")
    assert summary.written(sz.report.sections["summary"]) == ""
    (finding,) = _codes(sz.findings, "C002")
    assert finding.path == "sections.summary" and finding.level is Level.VERIFY
    assert "摘要" in finding.message and "仍是模板的填写说明" in finding.message
    # the 摘要's page is not printed at all while it is empty (report_docx, #10)
    assert "不印出这一页" in finding.message and "只印出标题" not in finding.message
    # the same words with other spaces, line breaks or bracket widths: still the guidance
    spaced = summary.guidance.replace("综合评价情况", "综合评价情况 ").replace("（", "(")
    assert summary.written("\n" + spaced + "  ") == ""
    # anything the clerk added is the clerk's: printed, no finding
    own = summary.guidance + "本项目总体完成年度目标。"
    assert summary.written(own) == own
    sz.report.sections["summary"] = own
    assert not _codes(validate(sz.report, sz.manifest), "C002")
    sz.report.sections["summary"] = " "
    (empty,) = _codes(validate(sz.report, sz.manifest), "C002")
    assert "尚未填写" in empty.message
