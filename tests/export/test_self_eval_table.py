"""The 项目支出绩效自评表 export reproduces seed 002's 附件1: labels, numbers, merges, paper."""

from __future__ import annotations

import re
import shutil
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
    is_under_form,
    merged,
    norm,
    pdf_facts,
    pdf_norm,
    to_pdf,
    under_form_lines,
    visible,
)
from openpyxl import load_workbook

from perfeval_desktop.errors import ExportError
from perfeval_desktop.export import export_report, safe_filename
from perfeval_desktop.export.grid import Grid, Kind
from perfeval_desktop.model.report import Report
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.templates.loader import Template, load_template
from perfeval_desktop.templates.manifest import ScoreCap, ScoreCapBand

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / (
    "gd_yuancheng_medical_aid_2021.pfe"
)
STEM = "医疗救助补助资金-项目支出绩效自评表"
SHEET = "项目支出绩效自评表"
NA_REASON = "因我省未对此项作明确定义，故无法统计。"

# the seed's indicator rows: 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因
LEAVES = [
    ("指标1：医疗救助资金支出率", "85%", "部分达成预期", "8", "6", ""),
    ("指标2：重特大疾病医疗救助人次占直接救助人次比例", "≥28%", "", "", "", NA_REASON),
    ("指标3：资助收入型医疗救助对象参加城乡居民（职工）基本医疗保险率", "达到100%", "达成预期",
     "9", "9", ""),
    ("指标1：重点医疗救助对象住院政策范围内基本医疗救助比例", "达到80%以上", "达成预期",
     "8", "8", ""),
    ("指标2：特困供养人员住院政策范围内基本医疗救助比例", "达到100%", "达成预期", "8", "8", ""),
    ("指标1：“一站式”即时结算覆盖地区", "市域内覆盖100%", "达成预期", "10", "10", ""),
    ("指标2：财政补助资金拨付时限", "按时拨付", "达成预期", "7", "7", ""),
    ("指标1：医疗救助对象看病就医方便程度", "明显提高", "达成预期", "6", "6", ""),
    ("指标2：医疗救助对象覆盖范围", "逐步扩大", "达成预期", "5", "5", ""),
    ("指标3：医疗救助对象医疗费用负担减轻程度", "有效缓解", "达成预期", "5", "5", ""),
    ("指标1：对健全社会救助体系的影响", "成效明显", "达成预期", "7", "7", ""),
    ("指标2：对健全医疗保障制度体系的作用", "成效明显", "达成预期", "7", "7", ""),
    ("指标1：政策知晓率", "≥80%", "达成预期", "5", "5", ""),
    ("指标2：工作满意度", "≥85%", "达成预期", "5", "5", ""),
]
# merged first-/second-level cells: (label, first leaf index, number of leaves, sheet column)
BRANCHES = [
    ("产出指标(50分)", 0, 7, "B"),
    ("数量指标(17分)", 0, 3, "C"),
    ("质量指标(16分)", 3, 2, "C"),
    ("时效指标(17分)", 5, 2, "C"),
    ("效益指标(30分)", 7, 5, "B"),
    ("社会效益指标(16分)", 7, 3, "C"),
    ("可持续影响指标(14分)", 10, 2, "C"),
    ("满意度指标(10分)", 12, 2, "B"),
    ("服务对象满意度指标(10分)", 12, 2, "C"),
]
# funding block: label, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 — as seed 002
# prints them: each amount with the decimals the clerk typed (1155.5 beside 228.50), and
# "-" for the 年初预算数 of 上年结余结转资金 and 其他资金 (a carry-over has none)
FUNDING = [
    ("年度资金总额", "", "1155.5", "701.23", "10", "60.7%", "6"),
    ("其中:当年财政拨款", "", "80.96", "", "—", "0.0%", "—"),
    ("上级追加", "", "845.51", "", "—", "0.0%", "—"),
    ("上年结余结转资金", "-", "228.50", "", "—", "0.0%", "—"),
    ("其他资金", "-", "0.53", "", "—", "0.0%", "—"),
]
TOP = 5  # sheet row of the table's first row (附件1, title, 年度, 填报单位 above it)
LEAF_ROW = TOP + 11  # first indicator leaf (sheet row 16)
TOTAL_ROW = LEAF_ROW + len(LEAVES)  # 总分 (sheet row 30)


@pytest.fixture(scope="module")
def report() -> Report:
    return Report.model_validate_json(SAMPLE.read_text("utf-8"))


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template("mof_self_eval_gd")


@pytest.fixture(scope="module")
def grid(report: Report, template: Template) -> Grid:
    (part,) = filled_parts(report, template)
    return part.grid


@pytest.fixture(scope="module")
def exported(report: Report, template: Template, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("export")
    paths = export_report(report, template, out, parts=["附件1"])
    return {p.suffix[1:]: p for p in paths}


# ---- the grid ---------------------------------------------------------------------------


def test_grid_every_number_from_the_sheet(grid: Grid) -> None:
    grid.check()
    texts = {(c.row, c.col): c.text for c in grid.cells}
    assert texts[(3, 3)] == "1155.5" and texts[(3, 4)] == "701.23"
    assert texts[(3, 5)] == "10" and texts[(3, 6)] == "60.7%" and texts[(3, 7)] == "6"
    rate = next(c for c in grid.cells if (c.row, c.col) == (3, 6))
    assert rate.kind is Kind.PERCENT and rate.value == Decimal("701.23") / Decimal("1155.5")
    total = next(c for c in grid.cells if c.text == "总分")
    assert [texts[(total.row, k)] for k in (6, 7, 8)] == ["100", "94", "良"]
    # the table ends with 总分: why the grade is capped is a 注 under it, with the rate as
    # the 执行率 cell prints it (60.7%, never a second precision beside it)
    assert total.row == grid.n_rows - 1 and not any("封顶" in c.text for c in grid.cells)
    reason = grid.footer_lines[1].text
    assert reason == "注：因预算执行率60.7%低于90%，总分94分的评价等次由“优”降为“良”" and "60.7%" in reason
    assert "60.69" not in reason and "94" in reason and "“优”" in reason and "“良”" in reason
    assert [norm(line.text) for line in grid.title_lines] == [
        "附件1", norm(STEM), "(2021年度)", "填报单位(公章)市医保局源城分局"
    ]
    assert norm(grid.footer_lines[0].text) == "联系人：潘攀联系电话：3893981单位负责人签名：潘攀"


def test_score_cap_row(report: Report, template: Template, tmp_path: Path) -> None:
    manifest = template.manifest.model_copy(deep=True)
    manifest.rules.caps = [ScoreCap(bands=[ScoreCapBand(below=Decimal("0.7"),
                                                        max_score=Decimal(79))])]
    sheet = compute(report, manifest.rules)
    assert sheet.total == 79 and sheet.score_cap_reason
    (part,) = filled_parts(report, template, manifest)
    grid = part.grid
    texts = {(c.row, c.col): c for c in grid.cells}
    total = next(c for c in grid.cells if c.text == "总分")
    assert texts[(total.row, 7)].text == "79"
    (xlsx,) = export_report(report, Template(manifest, template.folder), tmp_path,
                            formats=("xlsx",))
    assert "MIN(" in load_workbook(xlsx)[SHEET][grid.a1(total.row, 7)].value
    (note,) = [line.text for line in grid.footer_lines if line.text.startswith("注：")]
    assert "94 − 15 = 79" in note


# ---- XLSX -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ws(exported: dict[str, Path]) -> Any:
    wb = load_workbook(exported["xlsx"])
    assert wb.sheetnames == [SHEET]
    assert wb.calculation.fullCalcOnLoad
    return wb[SHEET]


def test_xlsx_titles_and_header(ws: Any) -> None:
    assert ws["A1"].value == "附件1"
    assert ws["A2"].value == STEM and ws["A2"].font.name == "黑体"
    assert ws["A3"].value == "(2021 年度)"
    assert ws["A4"].value == "填报单位(公章) 市医保局源城分局"
    m = merged(ws)
    assert {"A2:I2", "A5:B5", "C5:I5", "A6:B6", "C6:E6", "G6:I6"} <= m
    assert ws["A5"].value == "项目名称" and ws["C5"].value == "医疗救助补助资金"
    assert ws["A6"].value == "主管部门" and ws["C6"].value == "市医保局源城分局"
    assert ws["F6"].value == "实施单位" and ws["G6"].value == "市医保局源城分局"
    assert ws["A5"].font.name == "宋体" and 10.5 <= ws["A5"].font.size <= 11


def test_xlsx_funding_block(ws: Any) -> None:
    m = merged(ws)
    assert {"A7:A12", "H7:I7", "H8:I8", "H9:I9", "H12:I12"} <= m
    assert norm(ws["A7"].value) == "项目资金(万元)"
    assert [ws.cell(7, c).value for c in range(3, 9)] == [
        "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"
    ]
    for i, (label, initial, annual, executed, weight, _rate, score) in enumerate(FUNDING):
        row = 8 + i
        assert ws.cell(row, 2).value == label
        for col, expected in ((3, initial), (4, annual), (5, executed)):
            cell = ws.cell(row, col)
            if expected == "-":
                assert cell.value == "-"
            elif expected:  # the number, shown with the places typed (1155.5 → 0.0)
                assert Decimal(str(cell.value)) == Decimal(expected)
                assert cell.number_format == "0." + "0" * len(expected.split(".")[1])
            else:
                assert cell.value is None
        if i == 0:
            assert ws.cell(row, 6).value == 10
        else:
            assert ws.cell(row, 6).value == weight == "—"
            assert ws.cell(row, 8).value == score == "—"
        rate = ws.cell(row, 7)
        assert rate.number_format == "0.0%"
        assert rate.value.startswith("=IF(") and f"/D{row}" in rate.value
    assert ws["G8"].value == '=IF(AND(ISNUMBER(E8),N(D8)<>0),E8/D8,"")'
    assert ws["H8"].value == "=IF(ISNUMBER(G8),ROUND(MAX(MIN(G8,1),0)*F8,0),0)"


def test_xlsx_goals(ws: Any, report: Report) -> None:
    assert {"A13:A14", "B13:D13", "E13:I13", "B14:D14", "E14:I14"} <= merged(ws)
    assert ws["A13"].value == "年度总体目标"
    assert ws["B13"].value == "预期目标" and ws["E13"].value == "实际完成情况"
    assert ws["B14"].value == report.goals.expected and ws["E14"].value == "全部完成"


def test_xlsx_indicators(ws: Any) -> None:
    m = merged(ws)
    # 绩效指标 in the print titles (row 15), repeated on every page; its column under
    # the titles one empty merged cell (tests/export/test_print_titles.py)
    assert f"A16:A{TOTAL_ROW - 1}" in m and ws["A15"].value == "绩效指标"
    assert ws.print_title_rows == "$15:$15"
    assert [ws.cell(15, c).value for c in range(2, 10)] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施",
    ]
    for i, (name, target, actual, weight, score, reason) in enumerate(LEAVES):
        row = LEAF_ROW + i
        got = [ws.cell(row, c).value for c in range(4, 10)]
        assert got == [name, target, actual or None, int(weight) if weight else None,
                       int(score) if score else None, reason or None], row
    for label, first, n, col in BRANCHES:
        top, bottom = LEAF_ROW + first, LEAF_ROW + first + n - 1
        assert f"{col}{top}:{col}{bottom}" in m
        formula = ws[f"{col}{top}"].value
        name = label.split("(")[0]
        assert formula.startswith(f'="{name}') and f"SUM(G{top}:G{bottom})" in formula
        assert formula.endswith('&"分)"')


def test_xlsx_total_and_cap(ws: Any) -> None:
    m = merged(ws)
    assert f"A{TOTAL_ROW}:F{TOTAL_ROW}" in m and ws[f"A{TOTAL_ROW}"].value == "总分"
    assert ws[f"G{TOTAL_ROW}"].value == f"=SUM(F8,G{LEAF_ROW}:G{TOTAL_ROW - 1})"
    assert ws[f"H{TOTAL_ROW}"].value == f"=ROUND(SUM(H8,H{LEAF_ROW}:H{TOTAL_ROW - 1}),2)"
    grade = ws[f"I{TOTAL_ROW}"].value
    assert grade.startswith("=IF(AND(ISNUMBER(G8),G8<0.9,") and '"良"' in grade
    # the table ends with 总分; below it the 联系人 line, then why the grade is capped (注)
    assert ws[f"A{TOTAL_ROW + 1}"].value is None
    footer = [ws.cell(TOTAL_ROW + 2, c).value for c in (1, 4, 7)]
    assert footer == ["联系人：潘攀", "联系电话：3893981", "单位负责人签名：潘攀"]
    note = ws[f"A{TOTAL_ROW + 3}"]
    assert note.value == "注：因预算执行率60.7%低于90%，总分94分的评价等次由“优”降为“良”"
    assert not note.border.left.style  # a line under the form, not a row of its grid


def test_xlsx_every_table_cell_bordered(ws: Any) -> None:
    """Every edge that is drawn — each cell's, each merged range's outline — is thin, but
    for the seam between the 绩效指标 label in the print titles and the empty rest of its
    column (they read as one cell: tests/export/test_print_titles.py).

    (openpyxl re-creates the inner cells of a merged range on loading, keeping only the
    outline; inner edges of a merged range are never drawn.)"""
    title = int(ws.print_title_rows.split(":")[-1].strip("$"))
    seam = {(title, 1, "bottom"), (title + 1, 1, "top")}
    ranges = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                ranges[(r, c)] = (rng.min_row, rng.max_row, rng.min_col, rng.max_col)
    for row in ws.iter_rows(min_row=TOP, max_row=TOTAL_ROW, min_col=1, max_col=9):
        for cell in row:
            r, c = cell.row, cell.column
            r0, r1, c0, c1 = ranges.get((r, c), (r, r, c, c))
            b = cell.border
            for drawn, side, edge in ((c == c0, b.left, "left"), (c == c1, b.right, "right"),
                                      (r == r0, b.top, "top"), (r == r1, b.bottom, "bottom")):
                if drawn:
                    expected = None if (r, c, edge) in seam else "thin"
                    assert side.style == expected, (cell.coordinate, edge)


def test_xlsx_page_setup(ws: Any) -> None:
    ps = ws.page_setup
    assert int(ps.paperSize) == 9 and ps.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 0
    assert ws.print_options.horizontalCentered
    # the column headings 一级指标 … 偏差原因 repeat on every page, not the 项目名称 row
    assert ws.print_title_rows.replace("$", "") == f"{LEAF_ROW - 1}:{LEAF_ROW - 1}"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws["D16"].alignment.wrap_text and ws["A15"].alignment.vertical == "center"
    assert ws.column_dimensions["D"].width > ws.column_dimensions["G"].width


# ---- DOCX -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc(exported: dict[str, Path]) -> Any:
    return Document(str(exported["docx"]))


def test_docx_page_and_titles(doc: Any) -> None:
    s = doc.sections[0]
    assert s.orientation == 1  # landscape
    assert round(s.page_width.mm) == 297 and round(s.page_height.mm) == 210
    assert round(s.left_margin.mm) == 25
    texts = [norm(p.text) for p in doc.paragraphs]
    assert texts[:4] == ["附件1", norm(STEM), "(2021年度)", "填报单位(公章)市医保局源城分局"]
    feet = [norm(t) for t in under_form_lines(doc)]  # in the table's last, borderless row
    assert feet[-2] == "联系人：潘攀联系电话：3893981单位负责人签名：潘攀"
    assert feet[-1] == "注：因预算执行率60.7%低于90%，总分94分的评价等次由“优”降为“良”"
    title_run = doc.paragraphs[1].runs[0]._element
    rfonts = title_run.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "黑体"
    assert rfonts.get(qn("w:eastAsiaTheme")) is None


def test_docx_table(doc: Any, report: Report) -> None:
    assert len(form_tables(doc)) == 1
    table = form_tables(doc)[0]
    rows = docx_rows(table)
    assert visible(rows[0]) == ["项目名称", "医疗救助补助资金"]
    assert [span for _t, span, _v in rows[0]] == [2, 7]
    assert visible(rows[1]) == ["主管部门", "市医保局源城分局", "实施单位", "市医保局源城分局"]
    assert visible(rows[2]) == ["项目资金(万元)", "", "年初预算数", "全年预算数", "全年执行数",
                                "分值", "执行率", "得分"]
    assert rows[2][0][2] == "restart"
    for i, expected in enumerate(FUNDING):
        row = rows[3 + i]
        assert row[0][2] == "continue"
        assert visible(row) == list(expected)
    assert visible(rows[8]) == ["年度总体目标", "预期目标", "实际完成情况"]
    assert visible(rows[9]) == [norm(report.goals.expected), "全部完成"]
    # the repeated headings hold the 绩效指标 label, the part of its cell over the indicator
    # rows is empty (a merge from the headings down is drawn to the table's end by
    # LibreOffice on the next page): every page the form continues onto shows the label
    # (test_no_cell_runs_from_the_repeated_headings_into_the_rows)
    assert visible(rows[10]) == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值",
                                 "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    assert rows[10][0][2] is None
    starts = {first: [] for _l, first, _n, _c in BRANCHES}  # type: dict[int, list[str]]
    for label, first, _n, _c in BRANCHES:
        starts[first].append(label)
    starts[0].insert(0, "")
    for i, leaf in enumerate(LEAVES):
        row = rows[11 + i]
        assert visible(row) == starts.get(i, []) + [norm(v) for v in leaf], i
        # A starts on the first indicator row; the branch columns are continued except where
        # a group starts
        assert row[0][2] == ("restart" if i == 0 else "continue")
    for label, first, n, _c in BRANCHES:
        col = 1 if label in ("产出指标(50分)", "效益指标(30分)", "满意度指标(10分)") else 2
        assert rows[11 + first][col][2] == "restart"
        for k in range(1, n):
            assert rows[11 + first + k][col][2] == "continue"
    total = rows[11 + len(LEAVES)]
    assert visible(total) == ["总分", "100", "94", "良"] and total[0][1] == 6
    assert len(rows) == 12 + len(LEAVES)  # nothing after 总分 in the grid


def test_docx_table_format(doc: Any) -> None:
    table = form_tables(doc)[0]
    trs = [tr for tr in table._tbl.tr_lst if not is_under_form(tr)]
    for i, tr in enumerate(trs):
        trpr = tr.trPr
        assert trpr.find(qn("w:cantSplit")) is not None
        # the column headings (一级指标 …) repeat: the first row of the form's lower table
        assert (trpr.find(qn("w:tblHeader")) is not None) == (i == LEAF_ROW - 1 - TOP)
        for k, tc in enumerate(tr.tc_lst):
            tcpr = tc.tcPr
            assert tcpr.find(qn("w:tcW")) is not None, "width on every cell"
            borders = tcpr.find(qn("w:tcBorders"))
            assert borders is not None
            for edge in ("top", "left", "bottom", "right"):
                # the two parts of the 绩效指标 cell (headings | indicators) join unruled
                seam = k == 0 and ((i == LEAF_ROW - 1 - TOP and edge == "bottom") or (
                    LEAF_ROW - TOP <= i < LEAF_ROW - TOP + len(LEAVES) and edge == "top"))
                expected = "nil" if seam else "single"
                assert borders.find(qn(f"w:{edge}")).get(qn("w:val")) == expected, (i, edge)
            assert tcpr.find(qn("w:vAlign")).get(qn("w:val")) == "center"
            for r in tc.iter(qn("w:r")):
                rfonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
                assert rfonts.get(qn("w:eastAsia")) == "宋体"
    assert table.style.name == "Table Grid"


# ---- export_report ----------------------------------------------------------------------


def test_file_names(exported: dict[str, Path]) -> None:
    assert exported["xlsx"].name == f"{STEM}.xlsx"
    assert exported["docx"].name == f"{STEM}.docx"
    assert not [p for p in exported["xlsx"].parent.iterdir() if p.name.startswith(".~")]
    assert safe_filename('a/b\\c:d*e?f"g<h>i|j. ') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_filename("") == "未命名"


def test_locked_target_raises_export_error(
    report: Report, template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / f"{STEM}.xlsx"
    target.write_bytes(b"old")

    def locked(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr("perfeval_desktop.export.os.replace", locked)
    with pytest.raises(ExportError) as info:
        export_report(report, template, tmp_path, formats=("xlsx",))
    msg = str(info.value)
    assert f"{STEM}.xlsx" in msg and "WPS" in msg and "关闭" in msg and "重试" in msg
    assert target.read_bytes() == b"old"  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left


def test_family_without_exporter(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A family nobody declares is a clear error naming it, and nothing is written."""
    other = load_template("yunnan_dept_eval")
    other = Template(other.manifest.model_copy(update={"family": "county_new", "forms": None}),
                     other.folder)
    with pytest.raises(ExportError, match="不能导出"):
        export_report(report, other, tmp_path)
    assert list(tmp_path.iterdir()) == []


# ---- rendered by LibreOffice ------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_rendered_pdf(fmt: str, exported: dict[str, Path], tmp_path: Path) -> None:
    pages, sizes, text, raw = pdf_facts(to_pdf(exported[fmt], tmp_path))
    assert 1 <= pages <= 3  # 3 in Word: the 一级 groups kept whole, the serif 宋体 rows
    assert sizes and all(round(w) == 842 and round(h) == 595 for w, h in sizes)
    flat = pdf_norm(raw)
    for value in ("附件1", STEM, "(2021年度)", "填报单位(公章)市医保局源城分局", "项目名称",
                  "主管部门", "实施单位", "项目资金", "(万元)", "年初预算数", "全年预算数",
                  "全年执行数", "执行率", "年度资金总额", "1155.5", "701.23", "60.7%",
                  "其中:当年财政拨款", "上级追加", "上年结余结转资金", "其他资金", "80.96",
                  "845.51", "228.50", "0.53", "0.0%", "—", "年度总体目标", "预期目标",
                  "实际完成情况", "全部完成", "绩效指标", "一级指标", "二级指标", "三级指标",
                  "年度指标值", "实际完成值", "偏差原因分析及改进措施", "总分", "良",
                  "注：因预算执行率60.7%低于90%", "联系人：潘攀", "联系电话：3893981",
                  "单位负责人签名：潘攀"):
        assert pdf_norm(value) in flat, value
    for label, *_rest in BRANCHES:  # the weights computed by LibreOffice from SUM formulas
        assert pdf_norm(label) in flat, label
    for name, target, actual, _w, _s, reason in LEAVES:
        for part in (name, target, actual, reason):
            assert pdf_norm(part) in flat, part
    # the 总分 row: 100 | 94 | 良 (formulas computed), the 执行率 row: 10 | 60.7% | 6
    assert re.search(r"总分\s+100\s+94\s+良", text), "总分 row"
    assert re.search(r"1155\.5\s+701\.23\s+10\s+60\.7%\s+6\b", text), "年度资金总额 row"


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
def test_rendered_score_cap_formula(report: Report, template: Template, tmp_path: Path) -> None:
    """A score cap (一体化平台 rule) computed live: 94 capped to 79, grade 中, reason row."""
    manifest = template.manifest.model_copy(deep=True)
    manifest.rules.caps = [ScoreCap(bands=[
        ScoreCapBand(below=Decimal("0.7"), max_score=Decimal(79)),
        ScoreCapBand(below=Decimal("0.8"), max_score=Decimal(89)),
    ])]
    (xlsx,) = export_report(report, Template(manifest, template.folder), tmp_path,
                            formats=("xlsx",))
    _pages, _sizes, text, raw = pdf_facts(to_pdf(xlsx, tmp_path))
    assert re.search(r"总分\s+100\s+79\s+中", text)
    assert pdf_norm("注：预算执行率偏低") in pdf_norm(raw) and pdf_norm("94−15=79") in pdf_norm(raw)


def _merged_out_of_headings(tbl: Any) -> list[int]:
    """Grid columns where a cell of ``tbl``'s repeated heading rows (w:tblHeader) is
    vertically merged with the row under the headings."""
    trs = tbl.tr_lst
    heads = 0
    while heads < len(trs) and trs[heads].trPr is not None and (
            trs[heads].trPr.find(qn("w:tblHeader")) is not None):
        heads += 1
    if not heads or heads >= len(trs):
        return []

    def columns(tr: Any) -> dict[int, str | None]:
        out, col = {}, 0
        for tc in tr.tc_lst:
            out[col] = tc.vMerge
            col += tc.grid_span
        return out

    above, below = columns(trs[heads - 1]), columns(trs[heads])
    return [c for c, vm in below.items() if vm == "continue" and above.get(c) is not None]


@pytest.mark.parametrize("parts", [None, ["附件1"]], ids=["report", "附件"])
def test_no_cell_runs_from_the_repeated_headings_into_the_rows(
        report: Report, template: Template, parts: list[str] | None, tmp_path: Path) -> None:
    """LibreOffice repeats a cell merged from the column headings down with the headings on
    the next page and draws it to the table's end, through 总分 and the lines under the form
    (广东 report page 10, 附件 page 3): the 绩效指标 label is in the headings, repeated
    with them on every page the form continues onto (page 10 printed rows under an empty
    first column, the label on page 9 only); the headings' part of its column is open at
    the foot, the empty part under it over the indicator rows open at the head."""
    (path,) = export_report(report, template, tmp_path, formats=["docx"], parts=parts)
    body = Document(str(path)).element.body
    tables = list(body.iter(qn("w:tbl")))
    assert tables
    for tbl in tables:
        assert _merged_out_of_headings(tbl) == []
    (indicators,) = [t for t in tables if "绩效指标" in "".join(
        x.text or "" for x in t.tr_lst[0].tc_lst[0].iter(qn("w:t")))]
    assert not "".join(x.text or "" for x in indicators.tr_lst[1].tc_lst[0].iter(qn("w:t")))
    heading, first = indicators.tr_lst[0].tc_lst[0], indicators.tr_lst[1].tc_lst[0]
    assert heading.tcPr.find(qn("w:tcBorders")).find(qn("w:bottom")).get(qn("w:val")) == "nil"
    assert first.tcPr.find(qn("w:tcBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"
    assert first.vMerge == "restart"
