"""The 区级预算支出部门评价表 export reproduces seed 004's 附件1 for both of its projects:
labels, numbers, merges (the grouped 40 / 60 first-level weights), the ticked 评价等次, the
evaluators and signature lines, and the paper (portrait A4) — as the template's forms.xlsx
prints it (the filled Grid, the exported XLSX and the forms' DOCX)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from export_support import (
    docx_rows,
    filled_parts,
    form_tables,
    is_under_form,
    merged,
    norm,
    pdf_facts,
    pdf_norm,
    template_files,
    to_pdf,
    under_form_lines,
    visible,
)
from openpyxl import load_workbook

from perfeval_desktop.export import export_report, paper, plan_export
from perfeval_desktop.export.docx import write_table
from perfeval_desktop.export.form_values import grade_legend
from perfeval_desktop.export.grid import Grid, Kind
from perfeval_desktop.model.report import CompareMethod, Report, iter_nodes
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.templates.loader import Template, load_template
from perfeval_desktop.templates.vocabulary.header import region_of

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
SHEET = "区级预算支出部门评价表"
TITLE = "五华区区级预算支出部门评价表"
UNIT = "昆明市五华区医疗保障局"
LEGEND = "100-90（含）分为优、90-80（含）分为良、80-60（含）分为中、60分以下为差"
TICKED_GOOD = "优☑良□中□差□"
NOTE = "注：绩效评价指标可参考《云南省项目支出绩效评价管理办法》中附件2：《项目支出绩效评价指标体系框架》设置。"
SIGNATURES = ["填报人（签字）：", "评价组组长（签字）：", "评价部门负责人（签字并盖章）："]

Leaf = tuple[str, str, str]  # 三级指标, 分值, 得分
Second = tuple[str, str, list[Leaf]]  # 二级指标, 分值, leaves (none: an empty row)
First = tuple[str, list[Second]]

DECISION: First = ("决策", [
    ("项目立项", "6", [("立项依据充分性", "3", "3"), ("立项程序规范性", "3", "3")]),
    ("绩效目标", "7", [("绩效目标合理性", "3.5", "3.5"), ("绩效指标明确性", "3.5", "3.5")]),
    ("资金投入", "7", [("预算编制科学性", "3.5", "3.5"), ("资金分配合理性", "3.5", "3.5")]),
])
PROCESS: First = ("过程", [
    ("资金管理", "8", [("资金到位率", "4", "4"), ("预算执行率", "4", "4")]),
    ("资金管理", "6", [("资金使用合规性", "6", "6")]),
    ("组织实施", "6", [("管理制度健全性", "3", "3"), ("制度执行有效性", "3", "3")]),
])


@dataclass(frozen=True)
class Seed:
    """One project of seed 004 as printed."""

    file: str
    name: str
    leader: str
    detail: tuple[str, str, str, str, str]  # 明细, 年初预算数, 实际到位数, 实际支出数, 执行率
    source: str  # the 其中 row holding the money
    tree: list[First]
    evaluators: list[tuple[str, str, str]]


SEEDS = [
    Seed(
        "yn_wuhua_fund_supervision_2024.pfe",
        "昆财社基（2023）87号提前下达2024年中央财政医保服务与保障能力提升补助资金",
        "王国艳",
        ("昆财社基（2023）87号提前下达2024年中央财政医保服务与保障能力提升补助资金",
         "9", "9", "9", "100%"),  # as the seed prints them
        "中央财政",
        [DECISION, PROCESS,
         ("产出", [("数量指标", "20", [("现场检查定点医疗机构", "20", "20")]),
                   ("质量指标", "10", [("医保综合监管能力", "10", "10")]),
                   ("产出时效", "10", [("第三方检查工作的及时性", "10", "10")]),
                   ("产出成本", "", []), ("产出成本", "", [])]),
         ("效益", [("经济效益", "", []),
                   ("社会效益", "5", [("健全医疗保障基金安全防控机制", "5", "5")]),
                   ("可持续影响", "5", [("医保标准化水平持续提高", "5", "5")]),
                   ("满意度", "10", [("参保人员对医保服务的满意度", "10", "10")])])],
        [("陈玉泉", "局长", UNIT), ("曾伟", "副局长", UNIT), ("王国艳", "基金监管科科长", UNIT)],
    ),
    Seed(
        "yn_wuhua_payables_2024.pfe",
        "应付未付专项资金",
        "毛雁洁",
        ("应付未付专项资金", "12.73", "12.73", "12.73", "100%"),
        "区级财政",
        [DECISION, PROCESS,
         ("产出", [("数量指标", "20", [("应付事项完成率", "20", "20")]),
                   ("质量指标", "20", [("付款审批手续率", "10", "10"),
                                       ("付款单据真实合法性", "10", "10")]),
                   ("产出时效", "5", [("付款及时性", "5", "5")]),
                   ("产出成本", "", []), ("产出成本", "", [])]),
         ("效益", [("经济效益", "", []),
                   ("社会效益", "5", [("促进社会和谐发展", "5", "5")]),
                   ("环境效益", "", []),
                   ("可持续影响", "", []),
                   ("满意度", "10", [("社会公众或服务对象满意度", "10", "10")])])],
        [("陈玉泉", "局长", UNIT), ("曾伟", "副局长", UNIT), ("毛雁洁", "办公室主任", UNIT)],
    ),
]
IDS = ["fund_supervision", "payables"]
SOURCES = ["中央财政", "省级财政", "市级财政", "区级财政", "其他"]
GROUPS = [("40", ("决策", "过程")), ("60", ("产出", "效益"))]

# sheet layout: 附件1： / title / 年度 above the table
TOP = 4
FUND = TOP + 4  # 项目资金 header row
TOTAL_FUND = FUND + 2  # 合计 (one detail line)
GOALS = TOTAL_FUND + 6
IND_HEAD = GOALS + 3  # 一级指标 | 分值 | …
FIRST_ROW = IND_HEAD + 1


def flat_rows(seed: Seed) -> list[tuple[str, str, str, str, str, str]]:
    """Every printed indicator row: 一级, 二级, 二级分值, 三级, 分值, 得分."""
    out = []
    for first, seconds in seed.tree:
        for second, weight, leaves in seconds:
            for leaf in leaves or [("", "", "")]:
                out.append((first, second, weight, *leaf))
    return out


def spans(seed: Seed) -> tuple[dict[str, tuple[int, int]], list[tuple[int, int, str, str]],
                               dict[str, tuple[int, int]]]:
    """(first-level rows, second-level (first, last, name, weight), group rows) — 0-based
    indicator row indexes, last inclusive."""
    firsts: dict[str, tuple[int, int]] = {}
    seconds: list[tuple[int, int, str, str]] = []
    i = 0
    for first, items in seed.tree:
        start = i
        for second, weight, leaves in items:
            n = max(len(leaves), 1)
            seconds.append((i, i + n - 1, second, weight))
            i += n
        firsts[first] = (start, i - 1)
    groups = {w: (firsts[a][0], firsts[b][1]) for w, (a, b) in GROUPS}
    return firsts, seconds, groups


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template("yunnan_dept_eval")


def load(seed: Seed) -> Report:
    return Report.model_validate_json((SAMPLES / seed.file).read_text("utf-8"))


def form_grid(report: Report, template: Template) -> Grid:
    """The 评价表 of ``report`` filled from the template's forms.xlsx."""
    (part,) = filled_parts(report, template)
    return part.grid  # type: ignore[no-any-return]


def form_title(report: Report) -> str:
    """The title the filled 评价表 prints (its second line, under 附件1：)."""
    return norm(form_grid(report, load_template("yunnan_dept_eval")).title_lines[1].text)


@pytest.fixture(scope="module", params=SEEDS, ids=IDS)
def seed(request: pytest.FixtureRequest) -> Seed:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def report(seed: Seed) -> Report:
    return load(seed)


@pytest.fixture(scope="module")
def plan(report: Report, template: Template) -> Any:
    return plan_export(report, template)


@pytest.fixture(scope="module")
def grid(plan: Any) -> Grid:
    (part,) = plan.available
    return part.grid  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def files(plan: Any, seed: Seed, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("yunnan")
    return template_files(plan, out, docx_name=f"{Path(seed.file).stem}.docx")


# ---- the grid ---------------------------------------------------------------------------


def test_parts_registered(plan: Any) -> None:
    sheet = plan.sheet
    assert sheet.total == 100 and sheet.grade == "优"
    parts = plan.available
    assert [(p.key, p.title) for p in parts] == [("附件1", SHEET)]
    assert parts[0].grid.orientation == "portrait"
    assert parts[0].sheet == SHEET and parts[0].first  # printed before the 正文


def test_title_region_and_legend(report: Report, template: Template) -> None:
    assert region_of(report) == "五华区"
    assert form_title(report) == TITLE
    assert grade_legend(template.manifest.rules) == LEGEND
    other = report.model_copy(deep=True)
    other.meta.region = ""  # nothing typed: the region is read from the units' names
    other.meta.unit = other.project.department = other.project.implementer = "某某局"
    assert region_of(other) is None and form_title(other) == SHEET
    grid = form_grid(other, template)
    assert [norm(line.text) for line in grid.title_lines] == [
        "附件1：", SHEET, "（2024）年度", "填报单位：某某局"]
    county = report.model_copy(deep=True)
    county.meta.region = ""
    county.meta.unit = "云南省曲靖市陆良县医疗保障局"
    assert form_title(county) == "陆良县县级预算支出部门评价表"


def test_grid_numbers_from_the_sheet(grid: Grid, report: Report, template: Template,
                                     seed: Seed) -> None:
    grid.check()
    sheet = compute(report, template.manifest.rules)
    cells = {(c.row, c.col): c for c in grid.cells}
    # every leaf's 分值 and 得分 are the engine's
    leaves = [n for _p, level, n in iter_nodes(report.indicators) if level == 3]
    rows = [c.row for c in grid.cells if c.col == 4 and c.kind is Kind.TEXT
            and (c.row, 6) in cells and cells[(c.row, 6)].kind is Kind.NUMBER]
    assert len(rows) == len(leaves)
    for row, node in zip(rows, leaves, strict=True):
        ns = sheet.nodes[node.id]
        assert cells[(row, 6)].value == ns.weight and cells[(row, 7)].value == ns.score
    # 合计 left blank, as the published form prints it
    assert not [getattr(cells.get((TOTAL_FUND - TOP, c)), "text", "") for c in (4, 5, 6, 7)
                if getattr(cells.get((TOTAL_FUND - TOP, c)), "text", "")]
    rate = cells[(TOTAL_FUND - TOP + 1 + SOURCES.index(seed.source), 7)]
    assert rate.kind is Kind.PERCENT and rate.value == sheet.funding.execution_rate == 1


# ---- XLSX -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ws(files: dict[str, Path]) -> Any:
    wb = load_workbook(files["xlsx"])
    assert wb.sheetnames == [SHEET]
    assert wb.calculation.fullCalcOnLoad
    return wb[SHEET]


def num(value: Any) -> str:
    """A number as the form prints it (3.5, 100), formulas excluded."""
    assert not (isinstance(value, str) and value.startswith("=")), value
    return "" if value is None else format(Decimal(str(value)).normalize(), "f")


def test_xlsx_header(ws: Any, seed: Seed) -> None:
    assert ws["A1"].value == "附件1："
    assert ws["A2"].value == TITLE and ws["A2"].font.name == "黑体" and ws["A2"].font.b
    assert norm(ws["A3"].value) == "（2024）年度"
    m = merged(ws)
    assert {"A2:H2", "B4:H4", "B5:D5", "F5:H5", "B6:D6", "F6:H6", "B7:H7"} <= m
    assert ws["A4"].value == "项目名称" and ws["B4"].value == seed.name
    assert ws["A5"].value == "主管部门" and ws["B5"].value == UNIT
    assert ws["E5"].value == "项目实施单位" and ws["F5"].value == UNIT
    assert ws["A6"].value == "项目负责人" and ws["B6"].value == seed.leader
    assert ws["E6"].value == "联系电话" and ws["F6"].value == "63399978"
    assert ws["A7"].value == "项目类型"
    assert norm(ws["B7"].value) == "经常性项目（√）一次性项目（）"
    assert ws["A4"].font.name == "宋体"


def test_xlsx_funding(ws: Any, seed: Seed) -> None:
    m = merged(ws)
    assert f"A{FUND}:A{FUND + 1}" in m and norm(ws[f"A{FUND}"].value) == "项目资金（万元）"
    assert ws[f"B{FUND}"].value == "项目支出明细内容" and f"B{FUND}:D{FUND}" in m
    assert [ws.cell(FUND, c).value for c in range(5, 9)] == [
        "年初预算数", "实际到位数", "实际支出数", "执行率"]
    name, *money, rate = seed.detail
    row = FUND + 1
    assert ws[f"B{row}"].value == name
    assert [Decimal(str(ws.cell(row, c).value)) for c in (5, 6, 7)] == [Decimal(v) for v in money]
    assert ws[f"H{row}"].value == f'=IF(N(E{row})<>0,N(G{row})/E{row},"")'
    assert ws[f"H{row}"].number_format == "0%" and rate == "100%"
    # 合计: blank, as the published form leaves it
    t = TOTAL_FUND
    assert f"A{t}:D{t}" in m and norm(ws[f"A{t}"].value) == "合计"
    assert [ws.cell(t, c).value for c in (5, 6, 7, 8)] == [None] * 4
    assert ws.cell(t, 5).border.left.style == "thin"  # drawn, empty
    for i, source in enumerate(SOURCES):
        r = t + 1 + i
        assert f"A{r}:D{r}" in m
        assert norm(ws[f"A{r}"].value) == ("其中：" if i == 0 else "") + source
        values = [ws.cell(r, c).value for c in (5, 6, 7)]
        if source == seed.source:
            assert [Decimal(str(v)) for v in values] == [Decimal(v) for v in money]
        else:
            assert values == [None, None, None]
        assert ws[f"H{r}"].value.startswith("=IF(N(E")


def test_xlsx_goals(ws: Any, report: Report) -> None:
    m = merged(ws)
    g = GOALS
    assert f"A{g}:A{g + 1}" in m and ws[f"A{g}"].value == "年度总体目标"
    assert f"B{g}:E{g}" in m and f"F{g}:H{g}" in m
    assert ws[f"B{g}"].value == "预期目标" and ws[f"F{g}"].value == "实际完成情况"
    assert ws[f"B{g + 1}"].value == report.goals.expected
    assert ws[f"F{g + 1}"].value == report.goals.actual
    assert f"A{g + 2}:H{g + 2}" in m and ws[f"A{g + 2}"].value == "二、绩效评价指标评分（参考）"


def test_xlsx_indicators(ws: Any, seed: Seed) -> None:
    m = merged(ws)
    assert [ws.cell(IND_HEAD, c).value for c in (1, 2, 3, 4, 5, 7, 8)] == [
        "一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分"]
    assert f"E{IND_HEAD}:F{IND_HEAD}" in m
    rows = flat_rows(seed)
    for i, (_first, _second, _w2, third, weight, score) in enumerate(rows):
        r = FIRST_ROW + i
        assert f"E{r}:F{r}" in m
        assert norm(ws[f"E{r}"].value) == third, r
        assert num(ws[f"G{r}"].value) == weight and num(ws[f"H{r}"].value) == score, r
    firsts, seconds, groups = spans(seed)
    for name, (a, b) in firsts.items():
        assert f"A{FIRST_ROW + a}:A{FIRST_ROW + b}" in m and ws[f"A{FIRST_ROW + a}"].value == name
    for a, b, name, weight in seconds:
        top, bottom = FIRST_ROW + a, FIRST_ROW + b
        assert norm(ws[f"C{top}"].value) == name
        if b > a:
            assert f"C{top}:C{bottom}" in m and f"D{top}:D{bottom}" in m
        if weight:
            assert ws[f"D{top}"].value == (f"=SUM(G{top}:G{bottom})" if b > a
                                           else f"=SUM(G{top})")
        else:
            assert ws[f"D{top}"].value is None and ws[f"G{top}"].value is None
    # the grouped first-level 分值: 40 over 决策 + 过程, 60 over 产出 + 效益
    for weight, (a, b) in groups.items():
        top, bottom = FIRST_ROW + a, FIRST_ROW + b
        assert f"B{top}:B{bottom}" in m
        assert ws[f"B{top}"].value == f"=SUM(G{top}:G{bottom})", weight
    total = FIRST_ROW + len(rows)
    assert ws[f"A{total}"].value == "总分"
    b0 = groups["60"][0]
    assert ws[f"B{total}"].value == f"=SUM(B{FIRST_ROW},B{FIRST_ROW + b0})"
    assert ws[f"D{total}"].value.startswith("=SUM(D")
    assert ws[f"G{total}"].value == f"=SUM(G{FIRST_ROW}:G{total - 1})"
    assert ws[f"H{total}"].value == f"=ROUND(SUM(H{FIRST_ROW}:H{total - 1}),2)"
    assert f"E{total}:F{total}" in m and ws[f"C{total}"].value is None


def test_xlsx_grade_people_signatures(ws: Any, seed: Seed) -> None:
    m = merged(ws)
    g = FIRST_ROW + len(flat_rows(seed)) + 1
    assert f"A{g}:A{g + 1}" in m and ws[f"A{g}"].value == "评价等次"
    grade = ws[f"B{g}"].value
    total = f"H{g - 1}"
    assert grade.startswith(f"=IF({total}>=90,") and '"优 ☑' in grade
    assert norm(ws[f"B{g + 1}"].value) == LEGEND
    assert ws[f"A{g + 2}"].value == "问题和建议" and ws[f"B{g + 2}"].value == "无"
    p = g + 3
    assert f"A{p}:H{p}" in m and ws[f"A{p}"].value == "评价人员"
    assert [ws.cell(p + 1, c).value for c in (1, 3, 5, 7)] == ["姓名", "职务/职称", "单位", "签字"]
    for i, person in enumerate(seed.evaluators):
        r = p + 2 + i
        assert {f"A{r}:B{r}", f"C{r}:D{r}", f"E{r}:F{r}", f"G{r}:H{r}"} <= m
        assert tuple(ws.cell(r, c).value for c in (1, 3, 5)) == person
        assert ws.cell(r, 7).value is None
    foot = p + 2 + len(seed.evaluators) + 1
    for i, caption in enumerate(SIGNATURES):
        assert ws.cell(foot + i, 1).value == caption
        assert norm(ws.cell(foot + i, 5).value) == "年月日"
    assert norm(ws.cell(foot + 3, 1).value) == NOTE and ws.cell(foot + 3, 1).font.size == 9
    assert ws.print_area.replace("$", "").endswith(f"!A1:H{foot + 3}")


def test_xlsx_page_setup(ws: Any, grid: Grid) -> None:
    ps = ws.page_setup
    assert int(ps.paperSize) == 9 and ps.orientation == "portrait"
    # one A4 page, as the published form (seed 004): one page wide and one tall
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 1
    assert "&P" in ws.oddFooter.center.text
    # the column headings of the indicator table repeat where the form runs onto a page
    assert ws.print_title_rows.replace("$", "") == f"{IND_HEAD}:{IND_HEAD}"
    # … and the DOCX keeps the form's margins and row height
    assert grid.margins_mm is not None and all(10 <= m <= 15 for m in grid.margins_mm)
    assert grid.font_size == 9 and grid.row_height is not None and grid.row_height < 11


# ---- DOCX -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc(files: dict[str, Path]) -> Any:
    return Document(str(files["docx"]))


def test_docx_page_and_lines(doc: Any, seed: Seed) -> None:
    s = doc.sections[0]
    assert s.orientation == 0  # portrait
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    texts = [norm(p.text) for p in doc.paragraphs]
    assert texts[:3] == ["附件1：", TITLE, "（2024）年度"]
    feet = [norm(t) for t in under_form_lines(doc)]  # in the table's last, borderless row
    assert feet[-4:-1] == [f"{c}年月日" for c in SIGNATURES]
    assert feet[-1] == NOTE


def test_docx_table(doc: Any, seed: Seed, report: Report) -> None:
    assert len(form_tables(doc)) == 1
    rows = docx_rows(form_tables(doc)[0])
    assert visible(rows[0]) == ["项目名称", norm(seed.name)]
    assert visible(rows[1]) == ["主管部门", UNIT, "项目实施单位", UNIT]
    assert visible(rows[2]) == ["项目负责人", seed.leader, "联系电话", "63399978"]
    assert visible(rows[3]) == ["项目类型", "经常性项目（√）一次性项目（）"]
    assert visible(rows[4]) == ["项目资金（万元）", "项目支出明细内容", "年初预算数",
                                "实际到位数", "实际支出数", "执行率"]
    assert rows[4][0][2] == "restart" and rows[5][0][2] == "continue"
    assert visible(rows[5]) == [norm(v) for v in seed.detail]
    money = list(seed.detail[1:])
    assert visible(rows[6]) == ["合计", "", "", "", ""]
    for i, source in enumerate(SOURCES):
        expected = money if source == seed.source else ["", "", "", ""]
        assert visible(rows[7 + i]) == [("其中：" if i == 0 else "") + source, *expected]
    assert visible(rows[12]) == ["年度总体目标", "预期目标", "实际完成情况"]
    assert visible(rows[13]) == [norm(report.goals.expected), norm(report.goals.actual)]
    assert visible(rows[14]) == ["二、绩效评价指标评分（参考）"]
    assert visible(rows[15]) == ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分"]
    firsts, seconds, groups = spans(seed)
    starts_first = {a: name for name, (a, _b) in firsts.items()}
    starts_group = {a: w for w, (a, _b) in groups.items()}
    starts_second = {a: (name, weight) for a, _b, name, weight in seconds}
    for i, (_f, _s, _w, third, weight, score) in enumerate(flat_rows(seed)):
        expected = []
        if i in starts_first:
            expected.append(starts_first[i])
        if i in starts_group:
            expected.append(starts_group[i])
        if i in starts_second:
            expected += [norm(starts_second[i][0]), starts_second[i][1]]
        expected += [third, weight, score]
        row = rows[16 + i]
        assert visible(row) == expected, i
        # 一级 name and the grouped 分值 restart only where their block starts
        assert row[0][2] == ("restart" if i in starts_first else "continue")
        assert row[1][2] == ("restart" if i in starts_group else "continue")
    n = 16 + len(flat_rows(seed))
    assert visible(rows[n]) == ["总分", "100", "", "100", "", "100", "100"]
    assert visible(rows[n + 1]) == ["评价等次", TICKED_GOOD]
    assert rows[n + 2][0][2] == "continue" and visible(rows[n + 2]) == [LEGEND]
    assert visible(rows[n + 3]) == ["问题和建议", "无"]
    assert visible(rows[n + 4]) == ["评价人员"]
    assert visible(rows[n + 5]) == ["姓名", "职务/职称", "单位", "签字"]
    for i, person in enumerate(seed.evaluators):
        assert visible(rows[n + 6 + i]) == [*person, ""]
    assert len(rows) == n + 6 + len(seed.evaluators)


def test_docx_fonts_and_borders(doc: Any) -> None:
    for tr in form_tables(doc)[0]._tbl.tr_lst:
        assert tr.trPr.find(qn("w:cantSplit")) is not None
        for tc in tr.tc_lst:
            assert tc.tcPr.find(qn("w:tcBorders")) is not None
            for r in tc.iter(qn("w:r")):
                rfonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
                assert rfonts.get(qn("w:eastAsia")) == "宋体"


# ---- the grade follows the score ----------------------------------------------------------


def lowered(template: Template) -> Report:
    """Seed 004's first project with 现场检查定点医疗机构 at 60 of 150 (8 of 20): 总分 88."""
    report = load(SEEDS[0])
    for _p, _level, node in iter_nodes(report.indicators):
        if node.name == "现场检查定点医疗机构":
            node.method = CompareMethod(target=Decimal(150), actual=Decimal(60))
            node.actual_text = "60家"
    return report


def test_grade_tick_moves(template: Template, tmp_path: Path) -> None:
    report = lowered(template)
    sheet = compute(report, template.manifest.rules)
    assert sheet.total == 88 and sheet.grade == "良"
    grid = form_grid(report, template)
    tick = next(c for c in grid.cells if c.text.startswith("优"))
    assert norm(tick.text) == "优□良☑中□差□"
    xlsx, docx = export_report(report, template, tmp_path, formats=("xlsx", "docx"),
                               parts=["附件1"])
    rows = docx_rows(form_tables(Document(str(docx)))[0])
    total = next(r for r in rows if visible(r)[:1] == ["总分"])
    assert visible(total) == ["总分", "100", "", "100", "", "100", "88"]
    assert ["评价等次", "优□良☑中□差□"] in [visible(r) for r in rows]
    ws = load_workbook(xlsx)[SHEET]
    score = next(c for c in ws["H"] if c.value == "=ROUND(SUM(H20:H39),2)")
    formula = ws.cell(score.row + 1, 2).value
    assert f'IF(H{score.row}>=80,"优 □' in formula and "良 ☑" in formula


# ---- rendered by LibreOffice ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
def test_rendered_pdf(fmt: str, files: dict[str, Path], seed: Seed, report: Report,
                      tmp_path: Path) -> None:
    pages, sizes, text, raw = pdf_facts(to_pdf(files[fmt], tmp_path))
    assert 1 <= pages <= 3
    assert sizes and all(round(w) == 595 and round(h) == 842 for w, h in sizes)  # A4 portrait
    flat = pdf_norm(raw)
    values = ["附件1", TITLE, "（2024）年度", "项目名称", seed.name, "主管部门", "项目实施单位",
              UNIT, "项目负责人", seed.leader, "联系电话", "63399978", "项目类型", "经常性项目",
              "一次性项目", "项目资金", "（万元）", "项目支出明细内容", "年初预算数", "实际到位数",
              "实际支出数", "执行率", *seed.detail, "合", "计", *SOURCES, "年度总体目标",
              "预期目标", "实际完成情况", report.goals.expected, report.goals.actual,
              "二、绩效评价指标评分（参考）", "一级指标", "二级指标", "三级指标", "分值", "得分",
              "评价等次", LEGEND, "问题和建议", "评价人员", "姓名", "职务/职称", "单位", "签字",
              *SIGNATURES, *NOTE.split("》中附件2：")]
    for first, seconds in seed.tree:
        values.append(first)
        for second, _w, leaves in seconds:
            values += [second] + [leaf[0] for leaf in leaves]
    for person in seed.evaluators:
        values += list(person)
    for value in values:
        assert pdf_norm(value) in flat, value
    # the detail line as typed, 合计 left blank (as the form), then 其中; numbers computed by
    # LibreOffice from the formulas: the grouped weights, 总分
    money = r"\s+".join(re.escape(v) for v in seed.detail[1:])
    assert re.search(money, text) and re.search(r"合\s*计[ \t]*\n", text), "合计 row"
    assert re.search(r"总分\s+100\s+100\s+100\s+100", text), "总分 row"
    assert re.search(r"优\s*☑\s*良\s*□\s*中\s*□\s*差\s*□", text), "评价等次"
    layout = pdf_norm(text)
    for weight, (first, _second) in GROUPS:
        assert weight in layout and first in layout


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
def test_rendered_grade_formula(template: Template, tmp_path: Path) -> None:
    """The XLSX computes 总分 88 and ticks 良 itself (the formulas, not the cached text)."""
    report = lowered(template)
    (xlsx,) = export_report(report, template, tmp_path, formats=("xlsx",))
    _pages, _sizes, text, _raw = pdf_facts(to_pdf(xlsx, tmp_path))
    assert re.search(r"总分\s+100\s+100\s+100\s+88\b", text)
    assert re.search(r"优\s*□\s*良\s*☑\s*中\s*□\s*差\s*□", text)


def test_typed_region_names_the_form() -> None:
    """The 地区 typed in 基本信息 wins over what the unit's name suggests."""
    from perfeval_desktop.storage.pfe import load

    report = load(SAMPLES / "yn_wuhua_payables_2024.pfe")
    assert region_of(report) == "五华区"
    report.meta.region = "盘龙区"
    assert form_title(report) == "盘龙区区级预算支出部门评价表"
    report.meta.region = ""
    report.meta.unit = "某某县医疗保障局"
    report.project.department = report.project.implementer = "某某县医疗保障局"
    assert form_title(report) == "某某县县级预算支出部门评价表"


# ---- the form's end stays together (issue #3: no page holding the 注 alone) ---------------

SUGGESTIONS = "\n".join(
    f"{i}. 项目因资金不足，导致支付延迟。建议建立应付账款动态监控机制，加强项目过程管理，确保及时结算。"
    for i in (1, 2))


def with_suggestions(report: Report) -> Report:
    """Two lines of 问题和建议: enough to push the end of the form past its second page."""
    longer = report.model_copy(deep=True)
    longer.suggestions = SUGGESTIONS
    return longer


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    return [norm(page) for page in text.split("\f") if page.strip()]


def annex_docx(grid: Grid, path: Path) -> None:
    """The form as an 附件 of a report: a GB/T 9704 page, the report's styles, its label and
    title, and the footer lines in the table's last row (``footer_rows``)."""
    doc = Document()
    paper.apply_styles(doc)
    section = doc.sections[0]
    paper.setup_page(section, grid.orientation)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    doc.add_paragraph("附件1", style=paper.LABEL_STYLE)
    doc.add_paragraph(TITLE, style=paper.ANNEX_TITLE_STYLE)
    height = (section.page_height - section.top_margin - section.bottom_margin) / 12700
    write_table(doc, grid, paper.text_width(section), cell_style=paper.TABLE_TEXT_STYLE,
                page_height_pt=height, footer_rows=True, footer_style=paper.TABLE_NOTE_STYLE)
    doc.save(str(path))


def assert_end_kept_together(pages: list[str]) -> None:
    """The 注 shares its page with the signature lines, 评价人员 and 评价等次."""
    last = next(p for p in pages if norm(NOTE)[:20] in p)
    for caption in ("评价等次", "问题和建议", "评价人员", *SIGNATURES):
        assert norm(caption) in last, caption


def test_footer_rows_in_the_table(grid: Grid) -> None:
    """``footer_rows``: the lines under the form are a last, borderless, unsplittable row,
    kept with 评价等次 … 评价人员 (every row of that block keeps with the next)."""
    doc = Document()
    write_table(doc, grid, int(Mm(156)), footer_rows=True)
    (table,) = form_tables(doc)  # (written as two tables: the headings repeat)
    rows = table._tbl.tr_lst
    assert len(rows) == grid.n_rows + 1
    foot = rows[-1]
    assert foot.trPr.find(qn("w:cantSplit")) is not None
    (tc,) = foot.tc_lst
    assert tc.grid_span == grid.n_cols
    borders = tc.tcPr.find(qn("w:tcBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    lines = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iterchildren(qn("w:p"))]
    assert [norm(line) for line in lines] == [f"{c}年月日" for c in SIGNATURES] + [NOTE]
    grade = next(r for r, row in enumerate(docx_rows(table)) if visible(row)[:1] == ["评价等次"])
    for tr in rows[grade:-1]:
        for p in tr.iter(qn("w:p")):
            assert p.pPr is not None and p.pPr.keepNext_val, "kept with the next row"
    assert (grade, grid.n_rows - 1) in grid.keep_together


def test_docx_footer_lines_keep_together(doc: Any) -> None:
    """The forms' own DOCX: the signature lines and the 注 in the table's last row, one row
    that never splits, kept with the form's last rows (LibreOffice too: it ignores "keep
    with next" from a table's last row to a paragraph)."""
    trs = form_tables(doc)[0]._tbl.tr_lst
    feet, last_row = trs[-1], trs[-2]
    assert is_under_form(feet) and feet.trPr.find(qn("w:cantSplit")) is not None
    assert all(p.pPr.keepNext_val for p in last_row.iter(qn("w:p")))
    assert [norm(t) for t in under_form_lines(doc)][-1] == NOTE


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
def test_annex_end_kept_together(report: Report, template: Template, tmp_path: Path) -> None:
    """In a GB/T 9704 type area (156 × 225 mm) the form in its 9 pt takes two pages (the
    report prints it on one, in a section with the form's own margins, as seed 004); with
    a longer 问题和建议 the whole end — 评价等次 to the 注 — stays together, never the 注 or
    the signature lines alone."""
    for name, rep, pages in (("as_typed", report, 2), ("longer", with_suggestions(report), 2)):
        grid = form_grid(rep, template)
        path = tmp_path / f"{name}.docx"
        annex_docx(grid, path)
        printed = pdf_pages(to_pdf(path, tmp_path))
        assert len(printed) == pages, name
        assert_end_kept_together(printed)


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
def test_report_annex_end_kept_together(template: Template, tmp_path: Path) -> None:
    """The whole report (正文, then the 评价表 as 附件1) printed by LibreOffice."""
    report = with_suggestions(load(SEEDS[1]))
    (path,) = export_report(report, template, tmp_path, formats=("docx",))
    assert_end_kept_together(pdf_pages(to_pdf(path, tmp_path)))
