"""The 第三方 family: its template, its sample (ratio-scored leaves, two-decimal scores) and
its tables — 项目整体得分情况表 (权重 / 分值 / 得分率) and one score table per first-level
indicator with its 小计 — as the template's forms.xlsx prints them: the filled Grids, the
exported XLSX with live formulas and the forms' DOCX."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from export_support import (
    docx_rows,
    form_tables,
    norm,
    pdf_norm,
    template_files,
    to_pdf,
    visible,
)
from openpyxl import load_workbook

from perfeval_desktop.export import plan_export
from perfeval_desktop.export.forms import FormPart
from perfeval_desktop.model.report import (
    CompareMethod,
    ManualMethod,
    RateMethod,
    Report,
    iter_nodes,
)
from perfeval_desktop.scoring.engine import ScoreSheet, compute
from perfeval_desktop.scoring.validator import validate
from perfeval_desktop.templates.factory import new_report
from perfeval_desktop.templates.loader import Template, load_template

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / (
    "third_party_qingxi_medical_aid_2023.pfe"
)
PARTS = [("表1", "项目整体得分情况表"), ("表2", "决策指标评分表"), ("表3", "过程指标评分表"),
         ("表4", "产出指标评分表"), ("表5", "效益指标评分表")]
# 项目整体得分情况表 as printed
SUMMARY = [
    ["评价项目", "决策指标", "过程指标", "产出指标", "效益指标", "合计"],
    ["权重", "23", "22", "30", "25", "100"],
    ["分值", "18.88", "18.64", "29.14", "22.48", "89.14"],
    ["得分率", "82.09%", "84.73%", "97.13%", "89.92%", "89.14%"],
]
# per first-level table: (二级指标, [(三级指标, 绩效分值, 实际得分)]), 小计; scores as the
# form prints them, without trailing zeros (3, not 3.00)
LEVELS: list[tuple[list[tuple[str, list[tuple[str, str, str]]]], tuple[str, str]]] = [
    ([("项目立项", [("立项依据充分性", "3", "3"), ("立项程序规范性", "3", "3")]),
      ("绩效目标", [("绩效目标合理性", "4", "3.5"), ("绩效指标明确性", "4", "2.5")]),
      ("资金投入", [("预算编制科学性", "4", "2.38"), ("资金分配合理性", "5", "4.5")])],
     ("23", "18.88")),
    ([("资金管理", [("资金到位率", "4", "3.84"), ("预算执行率", "5", "4.3"),
                    ("资金使用合规性", "5", "4")]),
      ("组织实施", [("管理制度健全性", "4", "3.5"), ("制度执行有效性", "4", "3")])],
     ("22", "18.64")),
    ([("产出数量", [("资助参加城乡居民医保人数", "4", "3.9"), ("住院救助人次", "4", "3.83"),
                    ("门诊救助人次", "4", "4")]),
      ("产出质量", [("困难群众资助参保率", "4", "3.98"),
                    ("政策范围内住院费用救助比例", "4", "3.91")]),
      ("产出时效", [("救助资金按时结算率", "5", "4.69")]),
      ("产出成本", [("次均住院救助金额", "5", "4.83")])],
     ("30", "29.14")),
    ([("社会效益", [("救助对象个人自付费用下降幅度", "6", "5.16"),
                    ("“一站式”结算定点医疗机构覆盖率", "4", "3.71"),
                    ("因病致贫返贫风险监测户帮扶率", "5", "4.79")]),
      ("可持续影响", [("长效机制建立情况", "4", "3")]),
      ("满意度", [("救助对象满意度", "6", "5.82")])],
     ("25", "22.48")),
]


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template("third_party_eval")


@pytest.fixture(scope="module")
def report() -> Report:
    return Report.model_validate_json(SAMPLE.read_text("utf-8"))


@pytest.fixture(scope="module")
def sheet(report: Report, template: Template) -> ScoreSheet:
    return compute(report, template.manifest.rules)


@pytest.fixture(scope="module")
def plan(report: Report, template: Template) -> Any:
    return plan_export(report, template)


@pytest.fixture(scope="module")
def parts(plan: Any) -> list[FormPart]:
    return list(plan.available)


@pytest.fixture(scope="module")
def files(plan: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return template_files(plan, tmp_path_factory.mktemp("third_party"), docx_name="评分表.docx")


# ---- template and sample ------------------------------------------------------------------


def test_template(template: Template) -> None:
    m = template.manifest
    assert m.family == "third_party"
    assert [(n.name, n.weight) for n in m.framework] == [
        ("决策", Decimal(23)), ("过程", Decimal(22)), ("产出", Decimal(30)), ("效益", Decimal(25))]
    assert [s.heading for s in m.outline] == [
        "摘要", "一、项目基本情况", "二、评价结论和绩效分析", "三、问题和建议"]
    assert [s.heading for s in m.outline[1].children] == [
        "（一）立项背景", "（二）项目管理", "（三）资金情况", "（四）绩效目标"]
    assert all(s.guidance for s in m.all_sections() if not s.children)
    assert m.rules.score_decimals == 2 and [g.name for g in m.rules.grades] == [
        "优", "良", "中", "差"]
    empty = new_report(m)
    for node in empty.indicators:  # every level's weight is the sum of its children's
        assert node.weight == sum(c.weight or 0 for c in node.children)
        for child in node.children:
            assert child.weight == sum(g.weight or 0 for g in child.children)
    assert compute(empty, m.rules).total_weight == 100


def test_sample_scores(report: Report, template: Template, sheet: ScoreSheet) -> None:
    """Two-decimal scores, many computed from the project's figures; nothing to fix."""
    assert [(lv.name, lv.weight, lv.score) for lv in sheet.levels] == [
        ("决策", Decimal(23), Decimal("18.88")), ("过程", Decimal(22), Decimal("18.64")),
        ("产出", Decimal(30), Decimal("29.14")), ("效益", Decimal(25), Decimal("22.48"))]
    assert sheet.total == Decimal("89.14") and sheet.grade == "良"
    assert sheet.funding.total["annual_budget"] == Decimal("1286.40")
    assert sheet.funding.total["executed"] == Decimal("1105.57")
    assert round(sheet.execution_rate * 10000) == 8594  # type: ignore[operator]
    leaves = [n for _p, _l, n in iter_nodes(report.indicators) if not n.children]
    computed = [n for n in leaves if not isinstance(n.method, ManualMethod)]
    assert len(computed) >= 12
    assert sum(isinstance(n.method, RateMethod) for n in leaves) >= 5
    assert sum(isinstance(n.method, CompareMethod) for n in leaves) >= 5
    assert all(report.sections.get(s.id, "").strip()
               for s in template.manifest.all_sections() if not s.children)
    assert report.problems and report.evaluators and report.suggestions
    assert validate(report, template.manifest, sheet) == []


# ---- the grids ----------------------------------------------------------------------------


def grid_rows(part: FormPart) -> list[list[str]]:
    """Each table row's anchored cell texts, left to right."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for c in part.grid.cells:
        rows.setdefault(c.row, []).append((c.col, c.text))
    return [[t for _c, t in sorted(rows[r])] for r in sorted(rows)]


def test_parts(parts: list[FormPart]) -> None:
    assert [(p.key, p.title) for p in parts] == PARTS
    # 表1 drawn by its own sheet, 表2 … by the one sheet of every first-level table
    assert parts[0].sheet == PARTS[0][1] and parts[1].generic == "一级指标评分表"
    assert len({p.sheet for p in parts}) == len(PARTS)
    for p in parts:
        p.grid.check()
        assert p.grid.orientation == "portrait" and p.grid.repeat_rows == 1
        assert norm(p.grid.title_lines[0].text) == f"{p.key}{p.title}"


def test_summary_against_engine(parts: list[FormPart], sheet: ScoreSheet) -> None:
    summary = parts[0]
    assert grid_rows(summary) == SUMMARY
    cells = {(c.row, c.col): c for c in summary.grid.cells}
    for i, level in enumerate(sheet.levels, start=1):
        assert cells[(1, i)].value == level.weight
        assert cells[(2, i)].value == level.score
        assert cells[(3, i)].value == level.rate
    assert cells[(2, 5)].value == sheet.total and cells[(1, 5)].value == sheet.total_weight


def test_level_tables_against_engine(parts: list[FormPart], report: Report,
                                     sheet: ScoreSheet) -> None:
    for part, first, (seconds, (weight, score)) in zip(parts[1:], report.indicators, LEVELS,
                                                      strict=True):
        expected = [["二级指标", "三级指标", "绩效分值", "实际得分"]]
        for second, leaves in seconds:
            for i, leaf in enumerate(leaves):
                expected.append(([second] if i == 0 else []) + list(leaf))
        expected.append(["小计", weight, score])
        assert grid_rows(part) == expected, part.title
        ns = sheet.nodes[first.id]
        sub = next(c for c in part.grid.cells if c.text == "小计")
        cells = {(c.row, c.col): c for c in part.grid.cells}
        assert cells[(sub.row, 2)].value == ns.weight
        assert cells[(sub.row, 3)].value == ns.score
        merges = [(c.text, c.rowspan) for c in part.grid.cells if c.col == 0 and c.row > 0]
        assert merges == [(s, len(leaves)) for s, leaves in seconds] + [("小计", 1)]


# ---- XLSX ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wb(files: dict[str, Path]) -> Any:
    book = load_workbook(files["xlsx"])
    assert book.calculation.fullCalcOnLoad
    return book


def test_xlsx_summary(wb: Any) -> None:
    assert wb.sheetnames == [title for _k, title in PARTS]
    ws = wb["项目整体得分情况表"]
    assert norm(ws["A1"].value) == "表1项目整体得分情况表" and ws["A2"].value == "单位：分" and ws["A2"].alignment.horizontal == "right"
    assert [ws.cell(3, c).value for c in range(1, 7)] == SUMMARY[0]
    assert [ws.cell(r, 1).value for r in (4, 5, 6)] == ["权重", "分值", "得分率"]
    assert [ws.cell(4, c).value for c in range(2, 6)] == [23, 22, 30, 25]
    assert [Decimal(str(ws.cell(5, c).value)) for c in range(2, 6)] == [
        Decimal("18.88"), Decimal("18.64"), Decimal("29.14"), Decimal("22.48")]
    assert ws["F4"].value == "=SUM(B4:E4)"
    assert ws["F5"].value == "=ROUND(SUM(B5:E5),2)"
    for col in "BCDEF":
        assert ws[f"{col}6"].value == f'=IF(N({col}4)<>0,{col}5/{col}4,"")'
        assert ws[f"{col}6"].number_format == "0.00%"
        assert ws[f"{col}5"].number_format == "General"  # 18.88 and 3, not 3.00
    ps = ws.page_setup
    assert int(ps.paperSize) == 9 and ps.orientation == "portrait"
    assert ws.print_title_rows.replace("$", "") == "3:3"


def test_xlsx_level_tables(wb: Any) -> None:
    for (_key, title), (seconds, _total) in zip(PARTS[1:], LEVELS, strict=True):
        ws = wb[title]
        m = {str(r) for r in ws.merged_cells.ranges}
        assert [ws.cell(3, c).value for c in range(1, 5)] == [
            "二级指标", "三级指标", "绩效分值", "实际得分"]
        row = 4
        for second, leaves in seconds:
            if len(leaves) > 1:
                assert f"A{row}:A{row + len(leaves) - 1}" in m
            assert ws[f"A{row}"].value == second
            for name, w, s in leaves:
                assert ws[f"B{row}"].value == name
                assert Decimal(str(ws[f"C{row}"].value)) == Decimal(w)
                assert Decimal(str(ws[f"D{row}"].value)) == Decimal(s)
                assert ws[f"D{row}"].number_format == "General"
                row += 1
        assert f"A{row}:B{row}" in m and ws[f"A{row}"].value == "小计"
        assert ws[f"C{row}"].value == f"=SUM(C4:C{row - 1})", title
        assert ws[f"D{row}"].value == f"=ROUND(SUM(D4:D{row - 1}),2)", title


# ---- DOCX ---------------------------------------------------------------------------------


def test_docx(files: dict[str, Path]) -> None:
    doc: Any = Document(str(files["docx"]))
    assert len(form_tables(doc)) == len(PARTS) and len(doc.sections) == len(PARTS)
    for s in doc.sections:
        assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    titles = [norm(p.text) for p in doc.paragraphs if p.text.startswith("表")]
    assert titles == [f"{k}{t}" for k, t in PARTS]
    assert [visible(r) for r in docx_rows(form_tables(doc)[0])] == SUMMARY
    for table, (seconds, (weight, score)) in zip(form_tables(doc)[1:], LEVELS, strict=True):
        rows = docx_rows(table)
        assert visible(rows[0]) == ["二级指标", "三级指标", "绩效分值", "实际得分"]
        i = 1
        for second, leaves in seconds:
            for k, leaf in enumerate(leaves):
                assert visible(rows[i]) == ([second] if k == 0 else []) + [norm(v) for v in leaf]
                assert rows[i][0][2] == (None if len(leaves) == 1 else
                                         "restart" if k == 0 else "continue")
                i += 1
        assert visible(rows[i]) == ["小计", weight, score] and rows[i][0][1] == 2
        assert len(rows) == i + 1
        assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None


# ---- rendered by LibreOffice --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
def test_rendered_pdf(fmt: str, files: dict[str, Path], tmp_path: Path) -> None:
    """One A4 portrait page per table; every value there, the totals and 得分率 computed by
    LibreOffice from the formulas."""
    pdf = to_pdf(files[fmt], tmp_path)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    assert pages == len(PARTS)
    assert all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in sizes)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    for row in SUMMARY:
        assert re.search(r"\s+".join(re.escape(v) for v in row), text), row
    flat = pdf_norm(text)
    for key, title in PARTS:
        assert pdf_norm(f"{key}{title}") in flat
    for seconds, (weight, score) in LEVELS:
        for second, leaves in seconds:
            assert pdf_norm(second) in flat
            for name, w, s in leaves:
                assert re.search(re.escape(name.strip("“”")[-6:]) + r"\S*\s+" + re.escape(w)
                                 + r"\s+" + re.escape(s), text), name
        assert re.search(r"小计\s+" + re.escape(weight) + r"\s+" + re.escape(score), text)
