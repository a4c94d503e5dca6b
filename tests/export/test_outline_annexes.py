"""The three 附件 of seed 000 (宿州): 绩效目标完成清单, 问题清单, 评分情况表 — labels, numbers,
merges, live formulas and paper, from the sample typed in from the seed, as the template's
forms.xlsx prints them (the filled Grids, the exported XLSX and the forms' DOCX)."""

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
    filled_parts,
    form_tables,
    merged,
    norm,
    pdf_facts,
    pdf_norm,
    template_files,
    visible,
)
from openpyxl import load_workbook

from perfeval_desktop.export import export_report, plan_export
from perfeval_desktop.export.form_values import completion_status
from perfeval_desktop.export.forms import FormPart
from perfeval_desktop.export.grid import Grid, Kind
from perfeval_desktop.model.report import NotApplicableMethod, Problem, Report
from perfeval_desktop.scoring.engine import ScoreSheet, compute
from perfeval_desktop.templates.families import families
from perfeval_desktop.templates.loader import Template, load_template

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "sz_fund_supervision_2022.pfe"
GD_SAMPLE = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"
NAME = "医疗保障基金安全监管"
UNIT = "宿州市医疗保障局"
TITLES = [
    f"{NAME}项目支出项目绩效目标完成清单",
    f"{NAME}项目支出项目绩效评价问题清单",
    f"{NAME}项目支出项目绩效评价评分情况表",
]
SHEETS = ["绩效目标完成清单", "问题清单", "评分情况表"]
TOP = 4  # sheet row of each table's first row (附件N, title, 年度 above it)

# 附件1: 三级指标, 年度目标值, 实际完成值, 完成情况 (the indicators with a 年度目标值)
GOALS = [
    ("委托第三方配合开展市打击欺诈骗保基金专项治理工作", "4次", "4次", "已完成"),
    ("开展打击欺诈骗保专项行动", "5次", "5次", "已完成"),
    ("定点医药机构检查覆盖率", "100%", "100%", "已完成"),
    ("项目完成时间", "2022年度完成", "2022年度完成", "已完成"),
    ("项目成本", "≤86.66万元", "73.62万元", "已完成"),
    ("营造社会打击欺诈骗保氛围", "明显提高", "明显提高", "已完成"),
    ("医疗机构满意度", "明显提高", "明显提高", "已完成"),
    ("医保群众对医保基金安全监管满意度", "明显提高", "明显提高", "已完成"),
]
# merged cells of 附件1: (label, first goal index, number of rows, sheet column)
GOAL_BRANCHES = [
    ("产出", 0, 5, "A"), ("产出数量", 0, 2, "B"), ("产出质量", 2, 1, "B"),
    ("产出时效", 3, 1, "B"), ("产出成本", 4, 1, "B"),
    ("效益", 5, 3, "A"), ("实施效益", 5, 1, "B"), ("满意度", 6, 2, "B"),
]

# 附件3: 三级指标, 分值, 得分 (seed 000 prints only the total 97; see the sample's script)
LEAVES = [
    ("立项依据充分性", 3, 3), ("立项程序规范性", 3, 3),
    ("绩效目标合理性", 3, 3), ("绩效指标明确性", 3, 2),
    ("预算编制科学性", 4, 3), ("资金分配合理性", 4, 4),
    ("资金到位率", 4, 4), ("预算执行率", 4, 3), ("资金使用合规性", 4, 4),
    ("管理制度健全性", 4, 4), ("制度执行有效性", 4, 4),
    ("委托第三方配合开展市打击欺诈骗保基金专项治理工作", 5, 5),
    ("开展打击欺诈骗保专项行动", 5, 5),
    ("定点医药机构检查覆盖率", 10, 10),
    ("项目完成时间", 10, 10),
    ("项目成本", 10, 10),
    ("营造社会打击欺诈骗保氛围", 10, 10),
    ("医疗机构满意度", 5, 5), ("医保群众对医保基金安全监管满意度", 5, 5),
]
# merged cells of 附件3: (label, first leaf index, number of leaves, sheet column, weight)
BRANCHES = [
    ("决策", 0, 6, "A", 20), ("项目立项", 0, 2, "B", 6), ("绩效目标", 2, 2, "B", 6),
    ("资金投入", 4, 2, "B", 8),
    ("过程", 6, 5, "A", 20), ("资金管理", 6, 3, "B", 12), ("组织实施", 9, 2, "B", 8),
    ("产出", 11, 5, "A", 40), ("产出数量", 11, 2, "B", 10), ("产出质量", 13, 1, "B", 10),
    ("产出时效", 14, 1, "B", 10), ("产出成本", 15, 1, "B", 10),
    ("效益", 16, 3, "A", 20), ("实施效益", 16, 1, "B", 10), ("满意度", 17, 2, "B", 10),
]
# 评分说明 of the leaves that lost points (index → words it must contain)
NOTES = {
    3: ["效益、满意度指标", "未细化量化"],
    4: ["财政核减3.34万元"],
    7: ["执行率 84.95% × 4 = 3", "跨年项目"],
}
LEAF_ROW = TOP + 1
TOTAL_ROW = LEAF_ROW + len(LEAVES)
PROBLEM = ("财政部门培训不够，预算绩效评价需进一步提高", "去年因疫情开展线上培训，效果不理想",
           "建议财政部门加强各单位绩效评价人员业务培训与指导，以后多举办线下相关业务脱产培训、交流活动",
           UNIT, "2023年度")


@pytest.fixture(scope="module")
def report() -> Report:
    return Report.model_validate_json(SAMPLE.read_text("utf-8"))


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template("mof_outline_eval_sz")


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
    return template_files(plan, tmp_path_factory.mktemp("sz"))


# ---- the engine and the grids --------------------------------------------------------------


def test_sample_total_is_the_seeds(sheet: ScoreSheet, report: Report) -> None:
    assert sheet.total == 97 and sheet.grade == "优"
    assert [(lv.name, lv.weight, lv.score) for lv in sheet.levels] == [
        (name, Decimal(w), Decimal(s))
        for name, w, s in (("决策", 20, 18), ("过程", 20, 19), ("产出", 40, 40), ("效益", 20, 20))
    ]
    assert "综合评价得分：97分" in report.sections["conclusion"]
    figures = sheet.funding
    assert figures.total["annual_budget"] == Decimal("86.66")
    assert figures.total["executed"] == Decimal("73.62")


def test_registry_and_parts(parts: list[FormPart], report: Report) -> None:
    assert families()["mof_outline_eval"].builtin.name == "mof_outline_eval_sz"
    assert [(p.key, p.title) for p in parts] == list(zip(["附件1", "附件2", "附件3"], SHEETS,
                                                         strict=True))
    for part, title, name in zip(parts, TITLES, SHEETS, strict=True):
        assert part.sheet == name  # each drawn once, as a sheet of forms.xlsx
        assert part.grid.title_lines[0].text == part.key
        assert part.grid.title_lines[1].text == title
        part.grid.check()
    assert [p.grid.orientation for p in parts] == ["landscape", "landscape", "portrait"]


def test_score_grid_numbers(parts: list[FormPart], sheet: ScoreSheet) -> None:
    grid = parts[2].grid
    cells = grid.anchors()
    for i, (name, weight, score) in enumerate(LEAVES):
        row = 1 + i
        assert cells[(row, 2)].text == name
        assert cells[(row, 3)].text == str(weight) and cells[(row, 3)].value == weight
        assert cells[(row, 4)].text == str(score) and cells[(row, 4)].kind is Kind.NUMBER
    total = next(c for c in grid.cells if c.text == "合计")
    assert cells[(total.row, 3)].text == "100" and cells[(total.row, 4)].text == "97"
    assert cells[(total.row, 4)].value == sheet.total
    grade = next(c for c in grid.cells if c.text == "评价等次")
    assert cells[(grade.row, 3)].text == "优" and cells[(grade.row, 3)].colspan == 3


# ---- XLSX ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wb(files: dict[str, Path]) -> Any:
    book = load_workbook(files["xlsx"])
    assert book.sheetnames == SHEETS
    assert book.calculation.fullCalcOnLoad
    return book


def test_xlsx_titles(wb: Any) -> None:
    for i, (name, title) in enumerate(zip(SHEETS, TITLES, strict=True), start=1):
        ws = wb[name]
        assert ws["A1"].value == f"附件{i}" and ws["A1"].font.name == "黑体"
        assert ws["A2"].value == title and ws["A2"].font.bold
        assert ws["A3"].value == "（2022年度）"


def test_xlsx_completion_list(wb: Any) -> None:
    ws = wb[SHEETS[0]]
    m = merged(ws)
    assert {"A4:C4", "D4:D5", "E4:E5", "F4:F5"} <= m
    assert [ws.cell(4, c).value for c in (1, 4, 5, 6)] == ["指标", "年度目标值", "实际完成值",
                                                          "完成情况"]
    assert [ws.cell(5, c).value for c in (1, 2, 3)] == ["一级指标", "二级指标", "三级指标"]
    first = 6
    for i, expected in enumerate(GOALS):
        assert [ws.cell(first + i, c).value for c in (3, 4, 5, 6)] == list(expected)
    for label, start, n, col in GOAL_BRANCHES:
        top = first + start
        assert ws[f"{col}{top}"].value == label
        if n > 1:
            assert f"{col}{top}:{col}{top + n - 1}" in m
    assert ws.cell(first + len(GOALS), 1).value is None  # nothing below the table
    assert ws.print_title_rows.replace("$", "") == "4:5"


def test_xlsx_problem_list(wb: Any) -> None:
    ws = wb[SHEETS[1]]
    assert [ws.cell(4, c).value for c in range(1, 7)] == [
        "序号", "问题", "原因", "整改措施/建议", "责任单位", "完成时限"
    ]
    assert ws.cell(5, 1).value == 1
    assert [ws.cell(5, c).value for c in range(2, 7)] == list(PROBLEM)
    assert ws.cell(6, 1).value is None


def test_xlsx_score_table(wb: Any) -> None:
    ws = wb[SHEETS[2]]
    m = merged(ws)
    assert [ws.cell(TOP, c).value for c in range(1, 7)] == [
        "一级指标", "二级指标", "三级指标", "分值", "得分", "评分说明"
    ]
    for i, (name, weight, score) in enumerate(LEAVES):
        row = LEAF_ROW + i
        assert [ws.cell(row, c).value for c in (3, 4, 5)] == [name, weight, score], row
        note = ws.cell(row, 6).value
        if i in NOTES:
            for words in NOTES[i]:
                assert words in note, (row, words)
        else:  # full marks: nothing to explain
            assert note is None, row
    for label, first, n, col, _weight in BRANCHES:
        top, bottom = LEAF_ROW + first, LEAF_ROW + first + n - 1
        if n > 1:
            assert f"{col}{top}:{col}{bottom}" in m
        rng = f"D{top}:D{bottom}" if n > 1 else f"D{top}"
        # every label is wider than its column: the weight goes on a line of its own
        head = f'"{label}"&CHAR(10)&"("'
        assert ws[f"{col}{top}"].value == f'={head}&SUM({rng})&"分)"'
        assert ws[f"{col}{top}"].alignment.wrap_text
    assert f"A{TOTAL_ROW}:C{TOTAL_ROW}" in m and ws[f"A{TOTAL_ROW}"].value == "合计"
    assert ws[f"D{TOTAL_ROW}"].value == f"=SUM(D{LEAF_ROW}:D{TOTAL_ROW - 1})"
    assert ws[f"E{TOTAL_ROW}"].value == f"=ROUND(SUM(E{LEAF_ROW}:E{TOTAL_ROW - 1}),2)"
    grade = TOTAL_ROW + 1
    assert f"A{grade}:C{grade}" in m and f"D{grade}:F{grade}" in m
    assert ws[f"A{grade}"].value == "评价等次"
    assert ws[f"D{grade}"].value == (
        f'=IF(E{TOTAL_ROW}>=90,"优",IF(E{TOTAL_ROW}>=80,"良",IF(E{TOTAL_ROW}>=60,"中","差")))'
    )
    assert ws.cell(grade + 1, 1).value is None


def test_xlsx_page_setup(wb: Any) -> None:
    for name, orientation in zip(SHEETS, ("landscape", "landscape", "portrait"), strict=True):
        ws = wb[name]
        ps = ws.page_setup
        assert int(ps.paperSize) == 9 and ps.orientation == orientation
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # 评分情况表 is a few points too long for one page at 100 %: fitted onto one page
        # (export/xlsx_pages.py) rather than printing 评价等次 alone on a second
        tall = 1 if name == "评分情况表" else 0
        assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == tall
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws["A4"].font.name == "宋体"
    assert wb[SHEETS[2]].print_title_rows.replace("$", "") == "4:4"


def test_xlsx_every_table_cell_bordered(wb: Any, parts: list[FormPart]) -> None:
    """Every drawn edge — each cell's, each merged range's outline — is thin."""
    for part in parts:
        ws = wb[part.title]
        ranges = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    ranges[(r, c)] = (rng.min_row, rng.max_row, rng.min_col, rng.max_col)
        last = TOP + part.grid.n_rows - 1
        for row in ws.iter_rows(min_row=TOP, max_row=last, max_col=part.grid.n_cols):
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


def test_docx_sections_and_titles(doc: Any) -> None:
    assert len(doc.sections) == 3 and len(form_tables(doc)) == 3
    for s, landscape in zip(doc.sections, (True, True, False), strict=True):
        assert (s.orientation == 1) == landscape
        long, short = max(s.page_width.mm, s.page_height.mm), min(s.page_width.mm,
                                                                  s.page_height.mm)
        assert round(long) == 297 and round(short) == 210
    texts = [norm(p.text) for p in doc.paragraphs if p.text.strip()]
    assert texts == ["附件1", TITLES[0], "（2022年度）", "附件2", TITLES[1], "（2022年度）",
                     "附件3", TITLES[2], "（2022年度）"]


def test_docx_completion_list(doc: Any) -> None:
    rows = docx_rows(form_tables(doc)[0])
    assert visible(rows[0]) == ["指标", "年度目标值", "实际完成值", "完成情况"]
    assert rows[0][0][1] == 3 and rows[0][1][2] == "restart"
    assert visible(rows[1]) == ["一级指标", "二级指标", "三级指标"]
    starts: dict[int, list[str]] = {}
    for label, first, _n, _c in GOAL_BRANCHES:
        starts.setdefault(first, []).append(label)
    for i, goal in enumerate(GOALS):
        assert visible(rows[2 + i]) == starts.get(i, []) + [norm(v) for v in goal], i
    for label, first, n, col in GOAL_BRANCHES:
        k = 0 if col == "A" else 1
        assert rows[2 + first][k][2] == ("restart" if n > 1 else None), label
        for j in range(1, n):
            assert rows[2 + first + j][k][2] == "continue"
    assert len(rows) == 2 + len(GOALS)
    for tr in form_tables(doc)[0]._tbl.tr_lst[:2]:
        assert tr.trPr.find(qn("w:tblHeader")) is not None


def test_docx_problem_list(doc: Any) -> None:
    rows = docx_rows(form_tables(doc)[1])
    assert visible(rows[0]) == ["序号", "问题", "原因", "整改措施/建议", "责任单位", "完成时限"]
    assert visible(rows[1]) == ["1"] + [norm(v) for v in PROBLEM]
    assert len(rows) == 2


def test_docx_score_table(doc: Any) -> None:
    rows = docx_rows(form_tables(doc)[2])
    assert visible(rows[0]) == ["一级指标", "二级指标", "三级指标", "分值", "得分", "评分说明"]
    starts: dict[int, list[str]] = {}
    for label, first, _n, _c, weight in BRANCHES:
        starts.setdefault(first, []).append(f"{label}({weight}分)")
    for i, (name, weight, score) in enumerate(LEAVES):
        got = visible(rows[1 + i])
        head = starts.get(i, [])
        assert got[: len(head) + 3] == [*head, name, str(weight), str(score)], i
    total = visible(rows[1 + len(LEAVES)])
    assert total[:3] == ["合计", "100", "97"]
    assert visible(rows[2 + len(LEAVES)]) == ["评价等次", "优"]
    assert len(rows) == 3 + len(LEAVES)
    for tr in form_tables(doc)[2]._tbl.tr_lst:
        for tc in tr.tc_lst:
            borders = tc.tcPr.find(qn("w:tcBorders"))
            assert borders is not None and borders.find(qn("w:left")).get(qn("w:val")) == "single"


# ---- other reports through the same template ---------------------------------------------


def test_completion_status_words(report: Report, sheet: ScoreSheet) -> None:
    leaves = {n.name: n for lvl1 in report.indicators for lvl2 in lvl1.children
              for n in lvl2.children}
    assert completion_status(leaves["项目成本"], sheet) == "已完成"
    assert completion_status(leaves["预算执行率"], sheet) == (
        "部分完成\n结余资金依相关合同约定，因是跨年项目，下年使用该资金。"
    )
    changed = report.model_copy(deep=True)
    node = changed.indicators[0].children[0].children[0]
    node.method = NotApplicableMethod()
    node.unscored_reason = "本年度不适用此项。"
    assert completion_status(node, compute(changed, load_template(
        "mof_outline_eval_sz").manifest.rules)) == "不适用\n本年度不适用此项。"


def test_problem_list_without_problems(report: Report, template: Template) -> None:
    empty = report.model_copy(update={"problems": []})
    grid = filled_parts(empty, template)[1].grid
    assert [c.text for c in grid.cells if c.row == 1] == ["无"]
    two = report.model_copy(update={"problems": [Problem(problem="甲"), Problem(problem="乙")]})
    grid = filled_parts(two, template)[1].grid
    assert [line.text for line in grid.title_lines] == ["附件2", TITLES[1], "（2022年度）"]
    assert [grid.at(r, 0).text for r in (1, 2)] == ["1", "2"]  # type: ignore[union-attr]
    assert [grid.at(r, 1).text for r in (1, 2)] == ["甲", "乙"]  # type: ignore[union-attr]


def test_score_table_with_an_execution_block(template: Template, tmp_path: Path) -> None:
    """A 财政部 自评表 rule set (预算执行率 10 outside the tree): its own row, in the total."""
    gd = Report.model_validate_json(GD_SAMPLE.read_text("utf-8"))
    manifest = load_template("mof_self_eval_gd").manifest.model_copy(
        update={"family": "mof_outline_eval", "forms": None})
    variant = Template(manifest, template.folder)
    grid: Grid = filled_parts(gd, variant)[2].grid
    cells = grid.anchors()
    assert cells[(1, 0)].text == "预算执行率" and cells[(1, 0)].colspan == 3
    assert cells[(1, 3)].text == "10" and cells[(1, 4)].text == "6"
    total = next(c for c in grid.cells if c.text == "合计")
    assert cells[(total.row, 3)].text == "100" and cells[(total.row, 4)].text == "94"
    grade = next(c for c in grid.cells if c.text == "评价等次")
    assert cells[(grade.row, 3)].text == "良"  # capped: 执行率 60.7% below 90%
    (xlsx,) = export_report(gd, variant, tmp_path, formats=("xlsx",), parts=["附件3"])
    ws = load_workbook(xlsx)[SHEETS[2]]
    # 执行率 row + 14 leaves
    assert ws[grid.a1(total.row, 4)].value == "=ROUND(SUM(E5:E19),2)"
    formula = ws[grid.a1(grade.row, 3)].value
    assert '"良"' in formula and "<0.9," in formula
    # why, in a 注 under the table, with the rate as the form prints it: never in the grid
    assert not any("封顶" in c.text for c in grid.cells)
    (note,) = [line.text for line in grid.footer_lines if line.text.startswith("注：")]
    assert "60.7%" in note and "60.69" not in note
    na = next(c for c in grid.cells if c.text.startswith("指标2：重特大疾病"))
    assert cells[(na.row, 3)].text == "" and cells[(na.row, 4)].text == ""
    assert "无法统计" in cells[(na.row, 5)].text


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


def every_value(parts: list[FormPart]) -> list[str]:
    values: list[str] = []
    for part in parts:
        values += [line.text for line in part.grid.title_lines]
        values += [c.text for c in part.grid.cells if c.text]
    return values


@pytest.mark.libreoffice
@pytest.mark.slow
@NEEDS_OFFICE
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_rendered_pdf(fmt: str, files: dict[str, Path], parts: list[FormPart],
                      tmp_path: Path) -> None:
    _, sizes, text, raw = pdf_facts(convert(files[fmt], tmp_path, "pdf"))
    # one page per 附件: landscape, landscape, portrait A4
    assert [(round(w), round(h)) for w, h in sizes] == [(842, 595), (842, 595), (595, 842)]
    flat = pdf_norm(raw)
    for value in every_value(parts):  # nothing cut off in a too-narrow cell
        assert pdf_norm(value) in flat, value
    assert re.search(r"合计\s+100\s+97", text), "合计 row"
    assert re.search(r"评价等次\s+优", text), "评价等次 row"
    for label, *_rest, weight in BRANCHES:  # computed by LibreOffice from SUM formulas
        assert pdf_norm(f"{label} ({weight}分)") in flat, label


@pytest.mark.libreoffice
@pytest.mark.slow
@NEEDS_OFFICE
def test_xlsx_formulas_recalculated(files: dict[str, Path], parts: list[FormPart],
                                    sheet: ScoreSheet, tmp_path: Path) -> None:
    """Every formula, computed by LibreOffice, gives the number or text the grid prints."""
    typed = load_workbook(files["xlsx"])
    book = load_workbook(convert(files["xlsx"], tmp_path, "xlsx"), data_only=True)
    n = 0
    for part in parts:
        anchors = part.grid.anchors()
        for row in typed[part.title].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                printed = anchors[(cell.row - part.grid.table_top, cell.column - 1)]
                got = book[part.title][cell.coordinate].value
                if printed.kind is Kind.LABEL:
                    assert got == printed.text, (part.key, printed.text)
                else:
                    assert Decimal(str(got)) == printed.value, (part.key, printed.text)
                n += 1
    assert n == len(BRANCHES) + 3
    total = book[SHEETS[2]][f"E{TOTAL_ROW}"].value
    assert Decimal(str(total)) == sheet.total == 97
