"""四川 (seed 001): the 资金计划、到位及使用情况 table and the 项目支出绩效自评表 in 四川's
layout (预算执行率 10 + 指标性质 / 指标值 / 度量单位) — labels, numbers, merges, live
formulas and paper, from the sample typed in from the seed."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from export_support import docx_rows, grid_files, merged, norm, pdf_facts, pdf_norm, visible
from openpyxl import load_workbook

from perfeval_desktop.export.forms import FormPart, builders
from perfeval_desktop.export.grid import Kind
from perfeval_desktop.export.sichuan_tables import (
    actual_of,
    build_funding_grid,
    build_parts,
    nature_of,
    target_of,
)
from perfeval_desktop.model.report import (
    Amounts,
    BudgetExecutionMethod,
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    Nature,
    RateMethod,
    Report,
)
from perfeval_desktop.scoring.engine import ScoreSheet, compute
from perfeval_desktop.templates.loader import Template, load_template
from perfeval_desktop.templates.manifest import GradeCap

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "sc_panzhihua_supervision_2022.pfe"
NAME = "医保定点医药机构监管经费"
UNIT = "攀枝花市医疗保障事务中心"
SHEETS = ["资金计划、到位及使用情况", "项目支出绩效自评表"]

# the seed's table: 资金情况 | 计划数 | 到位数 | 使用数 / 金额（万元） | 100 | 9.21 | 9.21
FUNDING_HEAD = ["资金情况", "计划数", "到位数", "使用数", "到位率", "使用率"]
FUNDING_ROW = ["金额（万元）", "100", "9.21", "9.21", "9.21%", "100.00%"]

# 自评表 funding block: label, 全年预算数(A), 全年执行数(B), 分值, 执行率(B/A), 得分
BLOCK = [
    ("年度资金总额", "9.21", "9.21", "10", "100.00%", "10"),
    ("其中：当年财政拨款", "9.21", "9.21", "—", "100.00%", "—"),
    ("上年结余结转资金", "", "", "—", "", "—"),
    ("其他资金", "", "", "—", "", "—"),
]
# 三级指标, 指标性质, 指标值, 度量单位, 实际完成值, 分值, 得分
LEAVES = [
    ("支付医学专家劳务费和费用审核聘用人员工资、五险一金", "定性", "按时足额支付", "",
     "按时足额支付", "10", "10"),
    ("开展定点医药机构监管专项行动", "定性", "多次开展", "", "开展多次专项行动", "10", "10"),
    ("费用审核工作按时完成率", "=", "100", "%", "100", "15", "15"),
    ("截至2022年12月31日资金使用率", "≥", "100", "%", "100", "15", "15"),
    ("医保公共服务水平", "定性", "稳步提高", "", "稳步提高", "15", "15"),
    ("医保基金运行", "定性", "平稳有序", "", "平稳有序", "15", "15"),
    ("参保人员对医保工作的评价", "定性", "满意", "", "满意", "10", "10"),
]
# merged 一级 (column B) / 二级 (column C) cells: label, first leaf, leaves, column
BRANCHES = [
    ("产出指标(50分)", 0, 4, "B"), ("数量指标(20分)", 0, 2, "C"), ("质量指标(15分)", 2, 1, "C"),
    ("时效指标(15分)", 3, 1, "C"),
    ("效益指标(30分)", 4, 2, "B"), ("社会效益指标(15分)", 4, 1, "C"),
    ("可持续影响指标(15分)", 5, 1, "C"),
    ("满意度指标(10分)", 6, 1, "B"), ("服务对象满意度指标(10分)", 6, 1, "C"),
]
ONE_LINE: set[str] = set()  # branch labels printed on one line (none fits with margin)
TOP = 5  # 附件1, title, 年度, 填报单位 above the table
BLOCK_ROW = TOP + 3  # 年度资金总额
GOALS_ROW = BLOCK_ROW + len(BLOCK)
HEAD_ROW = GOALS_ROW + 2
LEAF_ROW = HEAD_ROW + 1
TOTAL_ROW = LEAF_ROW + len(LEAVES)


@pytest.fixture(scope="module")
def report() -> Report:
    return Report.model_validate_json(SAMPLE.read_text("utf-8"))


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template("sichuan_self_eval")


@pytest.fixture(scope="module")
def sheet(report: Report, template: Template) -> ScoreSheet:
    return compute(report, template.manifest.rules)


@pytest.fixture(scope="module")
def parts(report: Report, template: Template, sheet: ScoreSheet) -> list[FormPart]:
    return build_parts(report, template.manifest, sheet)


@pytest.fixture(scope="module")
def files(parts: list[FormPart], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return grid_files(parts, tmp_path_factory.mktemp("sc"))


# ---- the engine and the grids --------------------------------------------------------------


def test_sample_figures_are_the_seeds(report: Report, sheet: ScoreSheet) -> None:
    total = sheet.funding.total
    assert (total["initial_budget"], total["received"], total["executed"]) == (
        Decimal(100), Decimal("9.21"), Decimal("9.21")
    )
    assert sheet.execution_rate == 1 and sheet.execution_score == 10
    assert sheet.total == 100 and sheet.grade == "优"
    assert [(lv.name, lv.weight, lv.score) for lv in sheet.levels] == [
        (name, Decimal(w), Decimal(w))
        for name, w in (("预算执行率", 10), ("产出指标", 50), ("效益指标", 30), ("满意度指标", 10))
    ]
    assert report.sections["issues_problems"] == "无" and report.problems == []


def test_registry_and_parts(parts: list[FormPart], template: Template) -> None:
    from perfeval_desktop.export import sichuan_tables

    assert builders()["sichuan_self_eval"] is sichuan_tables.build_parts
    assert [(p.key, p.title) for p in parts] == [("资金表", SHEETS[0]), ("附件1", SHEETS[1])]
    inline = parts[0]
    assert isinstance(inline, FormPart) and inline.section == "funds_plan"
    assert "funds_plan" in {s.id for s in template.manifest.all_sections()}
    assert [p.grid.orientation for p in parts] == ["portrait", "landscape"]


def test_funding_grid(parts: list[FormPart]) -> None:
    grid = parts[0].grid
    assert grid.title_lines == []  # printed right under 1．资金计划及到位。 as on the seed
    cells = grid.anchors()
    assert [cells[(0, c)].text for c in range(6)] == FUNDING_HEAD
    assert [cells[(1, c)].text for c in range(6)] == FUNDING_ROW
    assert cells[(1, 4)].kind is Kind.PERCENT and cells[(1, 4)].value == Decimal("0.0921")
    assert cells[(1, 4)].formula == '=IF(AND(ISNUMBER(C2),N(B2)<>0),C2/B2,"")'
    assert cells[(1, 5)].formula == '=IF(AND(ISNUMBER(D2),N(C2)<>0),D2/C2,"")'


def test_funding_plan_falls_back_to_the_annual_budget(report: Report, template: Template
                                                      ) -> None:
    changed = report.model_copy(deep=True)
    changed.funding.total = Amounts(annual_budget=Decimal("12.5"), received=Decimal(10))
    changed.funding.by_kind = {}
    grid = build_funding_grid(changed, compute(changed, template.manifest.rules))
    assert [c.text for c in grid.cells if c.row == 1] == ["金额（万元）", "12.5", "10", "", "80.00%",
                                                          ""]


def test_indicator_columns() -> None:
    compare = IndicatorNode(name="x", weight=Decimal(5), unit="次",
                            method=CompareMethod(nature=Nature.LOWER, target=Decimal(3),
                                                 actual=Decimal(2)))
    assert (nature_of(compare), target_of(compare)) == ("≤", "3")
    rate = IndicatorNode(name="y", weight=Decimal(5), unit="%",
                         method=RateMethod(numerator=Decimal(9), denominator=Decimal(10)))
    assert (nature_of(rate), target_of(rate)) == ("≥", "100")
    manual = IndicatorNode(name="z", weight=Decimal(5), method=ManualMethod(score=Decimal(5)))
    assert nature_of(manual) == "" and target_of(manual) == ""
    report = Report.model_validate_json(SAMPLE.read_text("utf-8"))
    sheet = compute(report, load_template("sichuan_self_eval").manifest.rules)
    assert actual_of(compare, sheet) == "2" and actual_of(rate, sheet) == "90"
    execution = IndicatorNode(name="预算执行率", weight=Decimal(5),
                              method=BudgetExecutionMethod())
    assert nature_of(execution) == "≥" and actual_of(execution, sheet) == "100.00%"


def test_grade_cap_note(report: Report, template: Template) -> None:
    changed = report.model_copy(deep=True)
    changed.funding.total.executed = Decimal("7.00")
    changed.funding.by_kind = {}
    changed.funding.execution_reason = "部分款项跨年支付，下年使用该资金。"
    manifest = template.manifest.model_copy(deep=True)
    manifest.rules.caps = [GradeCap(below=Decimal("0.9"), max_grade="良",
                                    reason="因预算执行率低于90%")]
    sheet = compute(changed, manifest.rules)
    grid = build_parts(changed, manifest, sheet)[1].grid
    cells = grid.anchors()
    total = next(c for c in grid.cells if c.text == "总分")
    assert cells[(total.row, 9)].text == "97.6" and cells[(total.row, 10)].text == "良"
    assert "<0.9," in (cells[(total.row, 10)].formula or "")
    cap = next(c for c in grid.cells if c.text == "等次封顶说明")
    assert "76.00%" in cells[(cap.row, 3)].text


# ---- XLSX ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wb(files: dict[str, Path]) -> Any:
    book = load_workbook(files["xlsx"])
    assert book.sheetnames == SHEETS
    assert book.calculation.fullCalcOnLoad
    return book


def test_xlsx_funding_table(wb: Any) -> None:
    ws = wb[SHEETS[0]]
    assert [ws.cell(1, c).value for c in range(1, 7)] == FUNDING_HEAD
    assert ws["A2"].value == "金额（万元）"
    assert [ws.cell(2, c).value for c in (2, 3, 4)] == [100, 9.21, 9.21]
    assert all(ws.cell(2, c).number_format == "General" for c in (2, 3, 4))
    assert ws["E2"].value == '=IF(AND(ISNUMBER(C2),N(B2)<>0),C2/B2,"")'
    assert ws["F2"].value == '=IF(AND(ISNUMBER(D2),N(C2)<>0),D2/C2,"")'
    assert ws["E2"].number_format == ws["F2"].number_format == "0.00%"
    ps = ws.page_setup
    assert int(ps.paperSize) == 9 and ps.orientation == "portrait"
    assert ws.print_title_rows.replace("$", "") == "1:1"


def test_xlsx_self_eval_header(wb: Any) -> None:
    ws = wb[SHEETS[1]]
    assert [ws.cell(r, 1).value for r in range(1, 5)] == [
        "附件1", "项目支出绩效自评表", "（2022年度）", f"填报单位（盖章）：{UNIT}"
    ]
    m = merged(ws)
    assert {"A5:B5", "C5:K5", "A6:B6", "C6:F6", "G6:H6", "I6:K6"} <= m
    assert [ws["A5"].value, ws["C5"].value] == ["项目名称", NAME]
    assert [ws["A6"].value, ws["C6"].value, ws["G6"].value, ws["I6"].value] == [
        "主管部门", "攀枝花市医疗保障局", "实施单位", UNIT
    ]


def test_xlsx_self_eval_funding_block(wb: Any) -> None:
    ws = wb[SHEETS[1]]
    m = merged(ws)
    top = BLOCK_ROW - 1
    assert f"A{top}:A{top + len(BLOCK)}" in m and norm(ws[f"A{top}"].value) == "项目资金(万元)"
    assert [ws[f"{c}{top}"].value for c in "DEGHJ"] == [
        "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"
    ]
    assert {f"B{top}:C{top}", f"E{top}:F{top}", f"H{top}:I{top}", f"J{top}:K{top}"} <= m
    for i, (label, budget, executed, weight, _rate, score) in enumerate(BLOCK):
        row = BLOCK_ROW + i
        assert {f"B{row}:C{row}", f"E{row}:F{row}", f"H{row}:I{row}", f"J{row}:K{row}"} <= m
        assert ws[f"B{row}"].value == label
        for col, expected in (("D", budget), ("E", executed)):
            value = ws[f"{col}{row}"].value
            assert (Decimal(str(value)) == Decimal(expected)) if expected else value is None
            assert ws[f"{col}{row}"].number_format == "0.00"
        if i == 0:
            assert ws[f"G{row}"].value == 10
            assert ws[f"H{row}"].value == f'=IF(AND(ISNUMBER(E{row}),N(D{row})<>0),E{row}/D{row},"")'
            assert ws[f"J{row}"].value == f"=IF(ISNUMBER(H{row}),ROUND(MAX(MIN(H{row},1),0)*G{row},2),0)"
        else:
            assert ws[f"G{row}"].value == weight == ws[f"J{row}"].value == score == "—"
            assert ws[f"H{row}"].value == f'=IF(N(D{row})<>0,N(E{row})/D{row},"")'
        assert ws[f"H{row}"].number_format == "0.00%"


def test_xlsx_self_eval_goals_and_indicators(wb: Any, report: Report) -> None:
    ws = wb[SHEETS[1]]
    m = merged(ws)
    g = GOALS_ROW
    assert {f"A{g}:A{g + 1}", f"B{g}:F{g}", f"G{g}:K{g}", f"B{g + 1}:F{g + 1}",
            f"G{g + 1}:K{g + 1}"} <= m
    assert [ws[f"A{g}"].value, ws[f"B{g}"].value, ws[f"G{g}"].value] == [
        "年度总体目标", "年初设定目标", "年度总体目标完成情况综述"
    ]
    assert ws[f"B{g + 1}"].value == report.goals.expected
    assert ws[f"G{g + 1}"].value == report.goals.actual
    assert f"A{HEAD_ROW}:A{TOTAL_ROW - 1}" in m and ws[f"A{HEAD_ROW}"].value == "绩效指标"
    assert [ws.cell(HEAD_ROW, c).value for c in range(2, 12)] == [
        "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值",
        "分值", "得分", "偏差原因分析及改进措施",
    ]
    for i, (name, nature, target, unit, actual, weight, score) in enumerate(LEAVES):
        row = LEAF_ROW + i
        got = [ws.cell(row, c).value for c in range(4, 12)]
        assert got == [name, nature, target, unit or None, actual, int(weight), int(score),
                       None], row
    for label, first, n, col in BRANCHES:
        top, bottom = LEAF_ROW + first, LEAF_ROW + first + n - 1
        if n > 1:
            assert f"{col}{top}:{col}{bottom}" in m
        rng = f"I{top}:I{bottom}" if n > 1 else f"I{top}"
        name = label.split("(")[0]
        # labels wider than their column carry the weight on a line of their own
        head = f'"{name}"&CHAR(10)&"("' if name not in ONE_LINE else f'"{name} ("'
        assert ws[f"{col}{top}"].value == f'={head}&SUM({rng})&"分)"'


def test_xlsx_self_eval_total(wb: Any) -> None:
    ws = wb[SHEETS[1]]
    m = merged(ws)
    t = TOTAL_ROW
    assert f"A{t}:H{t}" in m and ws[f"A{t}"].value == "总分"
    assert ws[f"I{t}"].value == f"=SUM(G{BLOCK_ROW},I{LEAF_ROW}:I{t - 1})"
    assert ws[f"J{t}"].value == f"=ROUND(SUM(J{BLOCK_ROW},J{LEAF_ROW}:J{t - 1}),2)"
    assert ws[f"K{t}"].value == (
        f'=IF(J{t}>=90,"优",IF(J{t}>=80,"良",IF(J{t}>=60,"中","差")))'
    )
    assert ws.cell(t + 1, 1).value is None
    assert [ws.cell(t + 2, c).value for c in (1, 5, 8)] == [
        "联系人：", "联系电话：", "单位负责人签名："
    ]
    ps = ws.page_setup
    assert int(ps.paperSize) == 9 and ps.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 0
    assert ws.print_title_rows.replace("$", "") == "5:5"


def test_xlsx_every_table_cell_bordered(wb: Any, parts: list[FormPart]) -> None:
    for part in parts:
        ws = wb[part.title]
        top = part.grid.table_top
        ranges = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    ranges[(r, c)] = (rng.min_row, rng.max_row, rng.min_col, rng.max_col)
        for row in ws.iter_rows(min_row=top, max_row=top + part.grid.n_rows - 1,
                                max_col=part.grid.n_cols):
            for cell in row:
                r, c = cell.row, cell.column
                r0, r1, c0, c1 = ranges.get((r, c), (r, r, c, c))
                b = cell.border
                for drawn, side in ((c == c0, b.left), (c == c1, b.right), (r == r0, b.top),
                                    (r == r1, b.bottom)):
                    if drawn:
                        assert side.style == "thin", (part.key, cell.coordinate)


# ---- DOCX ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc(files: dict[str, Path]) -> Any:
    return Document(str(files["docx"]))


def test_docx_funding_table(doc: Any) -> None:
    assert len(doc.sections) == 2 and len(doc.tables) == 2
    s = doc.sections[0]
    assert s.orientation == 0 and round(s.page_width.mm) == 210
    rows = docx_rows(doc.tables[0])
    assert [visible(r) for r in rows] == [FUNDING_HEAD, [norm(v) for v in FUNDING_ROW]]


def test_docx_self_eval(doc: Any, report: Report) -> None:
    s = doc.sections[1]
    assert s.orientation == 1 and round(s.page_width.mm) == 297
    texts = [norm(p.text) for p in doc.paragraphs if p.text.strip()]
    assert texts == ["附件1", "项目支出绩效自评表", "（2022年度）", f"填报单位（盖章）：{UNIT}",
                     "联系人：联系电话：单位负责人签名："]
    rows = docx_rows(doc.tables[1])
    assert visible(rows[0]) == ["项目名称", NAME]
    assert visible(rows[1]) == ["主管部门", "攀枝花市医疗保障局", "实施单位", UNIT]
    assert visible(rows[2]) == ["项目资金(万元)", "", "全年预算数(A)", "全年执行数(B)", "分值",
                                "执行率(B/A)", "得分"]
    for i, expected in enumerate(BLOCK):
        assert rows[3 + i][0][2] == "continue"
        assert visible(rows[3 + i]) == [norm(v) for v in expected], i
    g = 3 + len(BLOCK)
    assert visible(rows[g]) == ["年度总体目标", "年初设定目标", "年度总体目标完成情况综述"]
    assert visible(rows[g + 1]) == [norm(report.goals.expected), norm(report.goals.actual)]
    assert visible(rows[g + 2]) == ["绩效指标", "一级指标", "二级指标", "三级指标", "指标性质",
                                    "指标值", "度量单位", "实际完成值", "分值", "得分",
                                    "偏差原因分析及改进措施"]
    starts: dict[int, list[str]] = {}
    for label, first, _n, _c in BRANCHES:
        starts.setdefault(first, []).append(label)
    for i, leaf in enumerate(LEAVES):
        assert visible(rows[g + 3 + i]) == starts.get(i, []) + [norm(v) for v in leaf] + [""], i
    for label, first, n, col in BRANCHES:
        k = 1 if col == "B" else 2
        assert rows[g + 3 + first][k][2] == ("restart" if n > 1 else None), label
    total = rows[g + 3 + len(LEAVES)]
    assert visible(total) == ["总分", "100", "100", "优"] and total[0][1] == 8
    assert len(rows) == g + 4 + len(LEAVES)


# ---- rendered by LibreOffice -----------------------------------------------------------------

NEEDS_OFFICE = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice / poppler-utils not installed",
)


def convert(path: Path, out: Path, fmt: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
         "--norestore", "--convert-to", fmt, "--outdir", str(out), str(path)],
        check=True, timeout=180, capture_output=True,
    )
    result = out / f"{path.stem}.{fmt}"
    assert result.exists()
    return result


@pytest.mark.libreoffice
@pytest.mark.slow
@NEEDS_OFFICE
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_rendered_pdf(fmt: str, files: dict[str, Path], parts: list[FormPart],
                      tmp_path: Path) -> None:
    _, sizes, text, raw = pdf_facts(convert(files[fmt], tmp_path, "pdf"))
    # the funding table on a portrait page, the 自评表 landscape: one page in XLSX (fitted
    # to the width), two in Word, where the indicator block is kept whole on its own page
    pages = [(595, 842)] + [(842, 595)] * (1 if fmt == "xlsx" else 2)
    assert [(round(w), round(h)) for w, h in sizes] == pages
    flat = pdf_norm(raw)
    for part in parts:  # every value, nothing cut off in a too-narrow cell
        for value in [line.text for line in part.grid.title_lines + part.grid.footer_lines] + [
            c.text for c in part.grid.cells if c.text
        ]:
            assert pdf_norm(value) in flat, value
    assert re.search(r"金额（万元）\s+100\s+9\.21\s+9\.21\s+9\.21%\s+100\.00%", text)
    assert re.search(r"年度资金总额\s+9\.21\s+9\.21\s+10\s+100\.00%\s+10\b", text)
    assert re.search(r"总分\s+100\s+100\s+优", text)


@pytest.mark.libreoffice
@pytest.mark.slow
@NEEDS_OFFICE
def test_xlsx_formulas_recalculated(files: dict[str, Path], parts: list[FormPart],
                                    sheet: ScoreSheet, tmp_path: Path) -> None:
    """Every formula, computed by LibreOffice, gives the number or text the grid prints."""
    book = load_workbook(convert(files["xlsx"], tmp_path, "xlsx"), data_only=True)
    n = 0
    for part in parts:
        ws = book[part.title]
        for cell in part.grid.cells:
            if not cell.formula:
                continue
            got = ws[part.grid.a1(cell.row, cell.col)].value
            if cell.kind is Kind.LABEL:
                assert got == cell.text, (part.key, cell.text)
            elif cell.value is None:
                assert got in (None, ""), (part.key, cell.row, cell.col)
            else:
                assert Decimal(str(got)).quantize(Decimal("1E-12")) == cell.value.quantize(
                    Decimal("1E-12")), (part.key, cell.text)
            n += 1
    assert n == 2 + 4 + 1 + len(BRANCHES) + 3  # 到位率 使用率, 执行率 ×4, 得分, SUMs, totals
    ws = book[SHEETS[1]]
    assert Decimal(str(ws[f"J{TOTAL_ROW}"].value)) == sheet.total == 100


# ---- column widths: short texts on one line (issue #3) ----------------------------------

# the narrowest print of the 自评表: an 附件 of a GB/T 9704 report, landscape, 225 mm wide
ANNEX_WIDTH_PT = (297 - 37 - 35) / 25.4 * 72
CELL_MARGINS_PT = 7.0  # 2 × 3.5 pt (docx.py)
# the texts a column must hold on one line at 10.5 pt (a CJK character 1 em, else ½ em)
ONE_LINE_TEXTS = {"B": "满意度指标", "C": "社会效益指标", "E": "定性", "F": "按时足额",
                  "G": "个百分点", "H": "实际完成值", "I": "100", "J": "100"}
UNITS = ["人次", "个百分点", "%", "万元", "家", "万人次"]


def test_short_texts_fit_their_columns_on_the_narrowest_page(parts: list[FormPart]) -> None:
    """Word scales the grid's columns to the type area: every short column still holds its
    usual text on one line (度量单位 the longest unit, 个百分点), with a little to spare."""
    grid = parts[1].grid
    total = sum(grid.columns)
    for letter, text in ONE_LINE_TEXTS.items():
        col = ord(letter) - ord("A")
        room = ANNEX_WIDTH_PT * grid.columns[col] / total - CELL_MARGINS_PT
        need = sum(10.5 if ord(ch) > 0x2E80 else 5.25 for ch in text)
        assert room >= need + 1.5, (letter, text, room, need)


@pytest.mark.libreoffice
@pytest.mark.slow
@NEEDS_OFFICE
def test_units_print_on_one_line(report: Report, template: Template, tmp_path: Path) -> None:
    """The report's DOCX (the 自评表 as a 225 mm 附件), the forms' own DOCX and the XLSX,
    printed by LibreOffice: 度量单位, 实际完成值 and every unit on one line, nothing cut off."""
    from perfeval_desktop.export import export_report
    from perfeval_desktop.model.report import iter_nodes

    changed = report.model_copy(deep=True)
    units = iter(UNITS)
    for _p, _level, node in iter_nodes(changed.indicators):
        if not node.children:
            node.unit = next(units, "")
    written = export_report(changed, template, tmp_path, formats=("docx", "xlsx"))
    forms = tmp_path / "forms"
    forms.mkdir()
    written += export_report(changed, template, forms, formats=("docx",), parts=["附件1"])
    assert len(written) == 3
    for path in written:
        pdf = convert(path, tmp_path / f"pdf-{path.suffix[1:]}-{path.parent.name}", "pdf")
        _, sizes, text, _raw = pdf_facts(pdf)
        lines = [norm(line) for line in text.splitlines()]
        for word in ["度量单位", "实际完成值", *UNITS]:
            assert any(word in line for line in lines), (path.name, word)
        assert any("偏差原因" in line for line in lines), path.name  # the last column
        assert (842, 595) in [(round(w), round(h)) for w, h in sizes]
