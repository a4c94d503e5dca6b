"""导入 Excel: a 自评表 retyped by hand (blanks for merged cells, labels spaced, columns in
another order, a stray note and a bad figure) and an old .xls file."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from perfeval_desktop.export import export_report
from perfeval_desktop.importer import import_workbook
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template

GD = load_template("mof_self_eval_gd")
SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

ROWS = [
    ["", "（2023年度）"],
    ["项目名称：", "城乡居民医疗救助", "", "主管部门", "某县医疗保障局"],
    ["实施单位", "某县医疗保障事务中心"],
    [],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分"],
    ["", "年度资金总额", 100, "1,200.00", "1,080", "90%", 10, 9],
    ["", "其中：当年财政拨款", "", 800],
    ["", "上年结转资金", "", 400],
    ["年度总体目标", "预期目标", "", "", "实际完成情况"],
    ["", "1.资助困难群众参保；\n2.住院救助应救尽救。", "", "", "全部完成"],
    [],
    ["一 级 指 标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
     "偏差原因分析及改进措施", "备注"],
    ["产出指标（50分）", "数量指标", "资助参保人数", "≥3000人", "2950人", 20, 19.67,
     "个别对象外出务工"],
    ["", "", "住院救助人次", "≥500", "520", 10, 10],
    ["", "质量指标", "政策范围内救助比例", "≥70%", "72%", 20, 20, "", "已核对"],
    ["效益指标（30分）", "社会效益指标", "困难群众负担减轻", "有效减轻", "有效减轻", 30, 28],
    ["满意度指标（10分）", "服务对象满意度指标", "救助对象满意度", "≥90%", "93%", 10, "八分"],
    ["总分", "", "", "", "", 100, 86.67, "良"],
    ["联系人：张三", "", "", "联系电话：0551-1234567"],
]


def retyped(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    for row in ROWS:
        ws.append(row)
    wb.save(path)
    return path


def test_retyped_sheet_is_read_by_its_labels(tmp_path: Path) -> None:
    result = import_workbook(retyped(tmp_path / "手填.xlsx"), GD)
    report = result.report
    assert (report.meta.year, report.project.name, report.project.department) == (
        2023, "城乡居民医疗救助", "某县医疗保障局")
    assert report.project.implementer == "某县医疗保障事务中心"
    assert (report.meta.contact, report.meta.phone) == ("张三", "0551-1234567")  # 联系人
    total = report.funding.total
    assert (total.initial_budget, total.annual_budget, total.executed) == (100, 1200, 1080)
    kinds = {k.value: v.annual_budget for k, v in report.funding.by_kind.items() if v.annual_budget}
    assert kinds == {"当年财政拨款": 800, "上年结余结转资金": 400}
    assert report.goals.actual == "全部完成" and report.goals.expected.startswith("1.资助")
    assert [(n.name, n.weight) for n in report.indicators] == [
        ("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    output = report.indicators[0]
    assert [(c.name, [x.name for x in c.children]) for c in output.children] == [
        ("数量指标", ["资助参保人数", "住院救助人次"]), ("质量指标", ["政策范围内救助比例"])]
    leaf = output.children[0].children[0]
    assert (leaf.target_text, leaf.actual_text, leaf.deviation_reason) == (
        "≥3000人", "2950人", "个别对象外出务工")
    sheet = compute(report, GD.manifest.rules)
    assert sheet.execution_score == 9 and sheet.total == Decimal("86.67") and sheet.grade == "良"
    described = [u.describe() for u in result.unplaced]
    assert described[0].startswith("工作表“自评表”第 17 行 G 列（G17）：“八分”——")
    assert "得分" in described[0] and "数字" in described[0]
    assert "工作表“自评表”第 15 行 I 列（I15）：“已核对”，未能对应到报告的栏目" in described
    assert len(described) == 3  # and the 备注 heading (I12), which has no field either
    assert any("（I12）：“备注”" in d for d in described)


def to_xls(sources: list[Path], out: Path) -> None:
    """Save as the old .xls format with LibreOffice (as WPS/Excel 2003 would)."""
    profile = Path("/tmp") / f"perfeval-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "xls", "--outdir", str(out), *map(str, sources)],
            check=True, capture_output=True, timeout=240,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_old_xls_files(tmp_path: Path) -> None:
    source = retyped(tmp_path / "手填.xlsx")
    sample = load(SAMPLES / "gd_yuancheng_medical_aid_2021.pfe")
    (export,) = export_report(sample, GD, tmp_path, formats=["xlsx"])
    to_xls([source, Path(export)], tmp_path / "xls")
    # the program's own export with its merged 一级/二级 cells and label formulas
    old = import_workbook(tmp_path / "xls" / f"{Path(export).stem}.xls", GD)
    expected = compute(sample, GD.manifest.rules)
    got = compute(old.report, GD.manifest.rules)
    assert (got.total, got.grade, got.levels) == (expected.total, expected.grade, expected.levels)
    assert [n.name for n in old.report.indicators] == ["产出指标", "效益指标", "满意度指标"]
    assert old.unplaced == []
    # the retyped sheet reads the same from .xls as from .xlsx
    xls = import_workbook(tmp_path / "xls" / "手填.xls", GD).report
    xlsx = import_workbook(source, GD).report
    assert xls.model_dump(exclude={"indicators"}) == xlsx.model_dump(exclude={"indicators"})
    strip = {"__all__": {"id": True, "children": {"__all__": {"id": True, "children": {
        "__all__": {"id": True}}}}}}
    assert [n.model_dump(exclude=strip["__all__"]) for n in xls.indicators] == [  # type: ignore[arg-type]
        n.model_dump(exclude=strip["__all__"]) for n in xlsx.indicators]  # type: ignore[arg-type]
