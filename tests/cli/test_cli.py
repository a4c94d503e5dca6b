"""The command line on the samples gives exactly the seeds' printed figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from perfeval_desktop.cli import main
from perfeval_desktop.model.report import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"
GD = SAMPLES / "gd_yuancheng_medical_aid_2021.pfe"
YN = [SAMPLES / "yn_wuhua_fund_supervision_2024.pfe", SAMPLES / "yn_wuhua_payables_2024.pfe"]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_check_json_seed_002(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = run_json(capsys, str(GD))
    assert result["total"] == 94
    assert result["total_weight"] == 100
    assert result["grade"] == "良"
    assert result["uncapped_grade"] == "优"
    assert "因预算执行率60.7%低于90%" in result["grade_cap_reason"]
    assert result["execution_score"] == 6
    levels = {lv["name"]: lv for lv in result["levels"]}
    assert levels["预算执行率"] == {"name": "预算执行率", "weight": 10, "score": 6, "rate": 0.6}
    assert levels["产出指标"]["weight"] == 50 and levels["产出指标"]["score"] == 48
    assert levels["产出指标"]["rate"] == 0.96
    assert levels["效益指标"]["score"] == 30 and levels["满意度指标"]["score"] == 10
    for finding in result["findings"]:
        assert set(finding) == {"code", "level", "path", "message"}
        assert finding["level"] in ("error", "verify", "hint")
    # the sample is complete: no error-level finding, so the exit code is 0
    assert [f for f in result["findings"] if f["level"] == "error"] == []
    assert code == 0


@pytest.mark.parametrize("path", YN, ids=["fund_supervision", "payables"])
def test_check_json_seed_004_both_projects(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    _, result = run_json(capsys, str(path))
    assert result["total"] == 100
    assert result["grade"] == "优"
    assert result["grade_cap_reason"] is None
    assert [lv["name"] for lv in result["levels"]] == ["决策", "过程", "产出", "效益"]
    assert sum(lv["weight"] for lv in result["levels"]) == 100
    assert [f for f in result["findings"] if f["code"].startswith("W")] == []


def test_a_group_that_no_longer_adds_up_is_an_error_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(YN[0].read_text("utf-8"))
    decision = data["indicators"][0]
    assert decision["name"] == "决策"
    leaf = decision["children"][0]["children"][0]
    leaf["weight"] = "4"  # 立项依据充分性 3 → 4: 决策+过程 becomes 41
    changed = tmp_path / "changed.pfe"
    changed.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    code, result = run_json(capsys, str(changed))
    group = [f for f in result["findings"] if f["code"] == "W003"]
    assert len(group) == 1
    assert group[0]["level"] == "error"
    assert "决策+过程" in group[0]["message"]
    assert code == 1


def test_check_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(GD)])
    out = capsys.readouterr().out
    assert "总分" in out and "94" in out
    assert "评价等次：良" in out
    assert "因预算执行率60.7%低于90%" in out


def test_new_creates_a_report_and_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "新报告.pfe"
    assert main(["new", "--template", "yunnan_dept_eval", "-o", str(target)]) == 0
    data = json.loads(target.read_text("utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION == 2
    assert data["meta"]["template_id"] == "yunnan_dept_eval"
    assert [n["name"] for n in data["indicators"]] == ["决策", "过程", "产出", "效益"]
    target.write_text("已填写的内容", "utf-8")
    assert main(["new", "--template", "yunnan_dept_eval", "-o", str(target)]) == 2
    assert "已存在" in capsys.readouterr().err
    assert target.read_text("utf-8") == "已填写的内容"


def test_unknown_template_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--template", "nope", "-o", str(tmp_path / "x.pfe")]) == 2
    err = capsys.readouterr().err
    assert "找不到表样“nope”" in err and "templates" in err and "nope.pft" in err


def test_damaged_file_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    damaged = tmp_path / "坏文件.pfe"
    damaged.write_bytes(GD.read_bytes()[:500])
    result = subprocess.run(
        [sys.executable, "-m", "perfeval_desktop.cli", "check", str(damaged)],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "坏文件.pfe" in result.stderr


def test_templates_lists_both_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    assert "mof_self_eval_gd" in out and "yunnan_dept_eval" in out


def test_schema_is_the_report_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Report"
    assert {"meta", "indicators", "funding", "schema_version"} <= set(schema["properties"])


def test_export_writes_the_self_eval_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(GD), "-o", str(tmp_path), "--format", "xlsx,docx"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert any(n.endswith(".xlsx") for n in names) and any(n.endswith(".docx") for n in names)
    assert all("医疗救助补助资金" in n for n in names)


def test_export_rejects_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(GD), "-o", str(tmp_path), "--format", "odt"]) == 2
    assert "不支持的导出格式" in capsys.readouterr().err
