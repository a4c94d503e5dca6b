"""The 云南 评价表 and the 四川 资金表 drawn in forms.xlsx (issue #3).

- each form filled from its template prints, cell for cell, what its code builder lays out
  — texts, numbers, merges, title and footer lines, page breaks kept together — and its
  workbook carries the builder's live formulas, cell for cell (the builders stay as the
  oracle and the fallback), for the seed samples and for random reports;
- the exported XLSX and DOCX of the template path pass the same checks as the builders'
  (the checks of test_yunnan_table.py and test_sichuan_tables.py, run on the filled
  workbook and on the DOCX printed from the filled forms);
- the 正文 of the 四川 report prints the 资金表 filled from forms.xlsx inside it.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import test_sichuan_tables as sc
import test_yunnan_table as yn
from docx import Document
from export_support import docx_rows, form_tables, norm, pdf_facts, template_files, to_pdf, visible
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from strategies import indicator_trees, reports
from test_xlsx_template import assert_same_form

from perfeval_desktop.export import ExportPlan, export_report, plan_export
from perfeval_desktop.export.forms import FormPart, builders
from perfeval_desktop.export.grid import Grid
from perfeval_desktop.export.xlsx_template import FORMS_FILE
from perfeval_desktop.model.report import Report, WeightGroup
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import Template, load_template

ROOT = Path(__file__).resolve().parents[2]
YN_ID, SC_ID = "yunnan_dept_eval", "sichuan_self_eval"
SAMPLES = {
    "yn_fund_supervision": (YN_ID, yn.SAMPLES / yn.SEEDS[0].file),
    "yn_payables": (YN_ID, yn.SAMPLES / yn.SEEDS[1].file),
    "sc_supervision": (SC_ID, sc.SAMPLE),
}


def builder_parts(report: Report, template: Template) -> list[FormPart]:
    manifest = template.manifest
    return builders()[manifest.family](report, manifest, compute(report, manifest.rules))


_REF = re.compile(r"\b([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\b")


def _sum_of_nothing(ws: Any, formula: str, printed: Decimal | None) -> bool:
    """A formula printing 0 from empty cells only (a SUM over rows without a number)."""
    if printed != 0:
        return False
    for m in _REF.finditer(re.sub(r'"[^"]*"', "", formula)):
        col, row, last_col, last_row = m.groups()
        cells = ws[f"{col}{row}:{last_col or col}{last_row or row}"]
        if any(c.value is not None for line in cells for c in line):
            return False
    return True


def assert_same_formulas(filled: bytes, got: FormPart, want: Grid, strict: bool = True) -> None:
    """The filled sheet holds the builder's formula in each cell that has one, and (strict)
    no formula anywhere else in the table.

    Not strict (random reports): a formula the builder writes may be missing where it only
    sums empty cells to 0, and the template may write more — where the builders disagree
    among themselves (a SUM of empty weight cells, 执行率 and its 得分 where the 全年预算数
    is empty): the printed values, compared cell for cell, are the same.
    """
    ws = load_workbook(io.BytesIO(filled))[got.sheet]
    top = want.table_top  # the table right under its title lines, in both
    anchors = want.anchors()
    for r in range(want.n_rows):
        for c in range(want.n_cols):
            sheet_cell = ws.cell(top + r, c + 1)
            cell = anchors.get((r, c))
            expected = cell.formula if cell is not None else None
            typed = sheet_cell.value if sheet_cell.data_type == "f" else None  # ("=" is text)
            if typed == expected:
                continue
            printed = cell.value if cell is not None else None
            if not strict and (expected is None or (
                    typed is None and _sum_of_nothing(ws, expected, printed))):
                continue
            raise AssertionError((got.key, sheet_cell.coordinate, typed, expected))


def assert_template_prints_the_builders_forms(report: Report, template: Template,
                                              strict: bool = True) -> None:
    plan = plan_export(report, template)
    got, want = plan.available, builder_parts(report, template)
    assert [(p.key, p.title, p.section) for p in got] == [
        (p.key, p.title, p.section) for p in want]
    assert plan.filled is not None
    for g, w in zip(got, want, strict=True):
        assert g.sheet, f"{g.key} should come from forms.xlsx"
        assert_same_form(g.grid, w.grid)
        assert_same_formulas(plan.filled, g, w.grid, strict)


# ---- the template is the form --------------------------------------------------------------


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_templates_print_the_sample_forms(sample: str) -> None:
    template_id, path = SAMPLES[sample]
    template = load_template(template_id)
    assert (template.folder / FORMS_FILE).is_file()
    assert not (template.folder / "styles.xlsx").exists()  # every form is drawn
    assert_template_prints_the_builders_forms(load(path), template)


@st.composite
def deep_reports(draw: st.DrawFn) -> Report:
    """A random report whose tree may be four or five levels deep (seldom empty)."""
    report = draw(reports(max_nodes=14))
    trees = indicator_trees(max_nodes=14, max_depth=draw(st.integers(3, 5)))
    tree = draw(trees.filter(bool) if draw(st.integers(0, 4)) else trees)
    return report.model_copy(update={"indicators": tree})


@st.composite
def grouped_reports(draw: st.DrawFn) -> Report:
    """A random report whose 分值组 are (mostly) runs of its first-level indicators."""
    report = draw(deep_reports())
    names = [n.name for n in report.indicators]
    groups = []
    start = 0
    while start < len(names):
        size = draw(st.integers(1, 3))
        members = names[start:start + size]
        if draw(st.booleans()):
            groups.append(WeightGroup(label="+".join(members), members=members))
        start += size
    if draw(st.booleans()):
        groups += report.weight_groups  # names that match nothing, or overlap
    return report.model_copy(update={"weight_groups": groups})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grouped_reports())
def test_yunnan_template_prints_any_report_as_the_builder(report: Report) -> None:
    """Trees of any depth, childless 一级/二级 indicators, 分值组 of one to three members,
    not-applicable leaves, details or none, no evaluators, no 地区 read from the units."""
    assert_template_prints_the_builders_forms(report, load_template(YN_ID), strict=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deep_reports())
def test_sichuan_templates_print_any_report_as_the_builder(report: Report) -> None:
    """Trees of any depth, leaves without 指标值, not-applicable leaves, missing amounts."""
    assert_template_prints_the_builders_forms(report, load_template(SC_ID), strict=False)


def test_yunnan_title_without_a_region() -> None:
    """No 区/县 in the 地区 nor in the units: the plain title and a 填报单位 line."""
    report = load(yn.SAMPLES / yn.SEEDS[0].file)
    report.meta.region = ""
    report.meta.unit = report.project.department = report.project.implementer = "某某局"
    report.meta.year = None
    template = load_template(YN_ID)
    (part,) = plan_export(report, template).available
    assert [norm(line.text) for line in part.grid.title_lines] == [
        "附件1：", yn.SHEET, "（）年度", "填报单位：某某局"]
    assert_template_prints_the_builders_forms(report, template)


# ---- 云南: the template path's XLSX and DOCX pass the builder's checks ------------------------


@pytest.fixture(scope="module", params=yn.SEEDS, ids=yn.IDS)
def seed(request: pytest.FixtureRequest) -> yn.Seed:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def yn_plan(seed: yn.Seed) -> ExportPlan:
    return plan_export(yn.load(seed), load_template(YN_ID))


@pytest.fixture(scope="module")
def yn_files(yn_plan: ExportPlan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("yn_template")
    return template_files(yn_plan, out, ["附件1"], docx_name="评价表.docx")


@pytest.fixture(scope="module")
def yn_ws(yn_files: dict[str, Path]) -> Any:
    wb = load_workbook(yn_files["xlsx"])
    assert wb.sheetnames == [yn.SHEET] and wb.calculation.fullCalcOnLoad
    return wb[yn.SHEET]


def test_yn_grid_as_the_builders(yn_plan: ExportPlan, seed: yn.Seed) -> None:
    (part,) = yn_plan.available
    assert (part.key, part.title, part.grid.orientation) == ("附件1", yn.SHEET, "portrait")
    yn.test_grid_numbers_from_the_sheet(part.grid, yn_plan.report, yn_plan.template, seed)
    yn.test_footer_rows_in_the_table(part.grid)


@pytest.mark.parametrize("check", [
    yn.test_xlsx_header, yn.test_xlsx_funding, yn.test_xlsx_indicators,
    yn.test_xlsx_grade_people_signatures,
], ids=lambda f: f.__name__)
def test_yn_xlsx_as_the_builders(check: Callable[[Any, yn.Seed], None], yn_ws: Any,
                                 seed: yn.Seed) -> None:
    check(yn_ws, seed)


def test_yn_xlsx_goals_and_page(yn_ws: Any, yn_plan: ExportPlan) -> None:
    yn.test_xlsx_goals(yn_ws, yn_plan.report)
    ps = yn_ws.page_setup
    assert int(ps.paperSize) == 9 and ps.orientation == "portrait"
    # one A4 page, as the published form (seed 004): one page wide and one tall
    assert yn_ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 1
    assert "&P" in yn_ws.oddFooter.center.text
    assert yn_ws.print_title_rows.replace("$", "") == f"{yn.IND_HEAD}:{yn.IND_HEAD}"
    grid = yn_plan.parts[0].grid  # … and the DOCX keeps the form's margins and row height
    assert grid.margins_mm is not None and all(10 <= m <= 15 for m in grid.margins_mm)
    assert grid.font_size == 9 and grid.row_height is not None and grid.row_height < 11


def test_yn_docx_as_the_builders(yn_files: dict[str, Path], seed: yn.Seed,
                                 yn_plan: ExportPlan) -> None:
    doc = Document(str(yn_files["docx"]))
    yn.test_docx_page_and_lines(doc, seed)
    yn.test_docx_table(doc, seed, yn_plan.report)
    yn.test_docx_fonts_and_borders(doc)
    yn.test_docx_footer_lines_keep_together(doc)


def test_yn_grade_tick_moves(tmp_path: Path) -> None:
    """总分 88: 良 ticked in Word, the live 等次 formula in Excel ticking by the total."""
    template = load_template(YN_ID)
    report = yn.lowered(template)
    plan = plan_export(report, template)
    (part,) = plan.available
    tick = next(c for c in part.grid.cells if c.text.startswith("优"))
    assert norm(tick.text) == "优□良☑中□差□"
    assert_template_prints_the_builders_forms(report, template)
    xlsx, docx = export_report(report, template, tmp_path, formats=("xlsx", "docx"),
                               parts=["附件1"])
    rows = docx_rows(form_tables(Document(str(docx)))[0])
    total = next(r for r in rows if visible(r)[:1] == ["总分"])
    assert visible(total) == ["总分", "100", "", "100", "", "100", "88"]
    assert ["评价等次", "优□良☑中□差□"] in [visible(r) for r in rows]
    ws = load_workbook(xlsx)[yn.SHEET]
    score = next(c for c in ws["H"] if c.value == "=ROUND(SUM(H20:H39),2)")
    formula = ws.cell(score.row + 1, 2).value
    assert f'IF(H{score.row}>=80,"优 □' in formula and "良 ☑" in formula


# ---- 四川: the template path's XLSX and DOCX pass the builder's checks -------------------------


@pytest.fixture(scope="module")
def sc_plan() -> ExportPlan:
    return plan_export(load(sc.SAMPLE), load_template(SC_ID))


@pytest.fixture(scope="module")
def sc_files(sc_plan: ExportPlan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sc_template")
    return template_files(sc_plan, out)


def test_sc_grids_as_the_builders(sc_plan: ExportPlan) -> None:
    parts = sc_plan.available
    sc.test_registry_and_parts(parts, sc_plan.template)
    funding = parts[0].grid
    assert funding.title_lines == [] and funding.repeat_rows == 1
    cells = funding.anchors()
    assert [cells[(0, c)].text for c in range(4)] == sc.FUNDING_HEAD
    assert [cells[(1, c)].text for c in range(4)] == sc.FUNDING_ROW


def test_sc_xlsx_and_docx_as_the_builders(sc_files: dict[str, Path]) -> None:
    sc.check_xlsx_funding_table(load_workbook(sc_files["xlsx"]))
    sc.check_docx_funding_table(Document(str(sc_files["docx"])))


# ---- the report's DOCX prints the filled forms ---------------------------------------------------


@pytest.mark.parametrize("sample", ["yn_payables", "sc_supervision"])
def test_full_report_docx_prints_the_filled_forms(sample: str, tmp_path: Path) -> None:
    """The 正文 with the 四川 资金表 inside it and the forms as 附件, filled from forms.xlsx."""
    template_id, path = SAMPLES[sample]
    report, template = load(path), load_template(template_id)
    plan = plan_export(report, template)
    assert all(p.sheet for p in plan.available)
    (docx,) = export_report(report, template, tmp_path, formats=("docx",))
    doc = Document(str(docx))
    tables = form_tables(doc)
    assert len(tables) == len(plan.available)
    for table, part in zip(tables, plan.available, strict=True):
        rows = docx_rows(table)
        first = [c for c in part.grid.cells if c.row == 0]
        assert visible(rows[0]) == [norm(c.text) for c in sorted(first, key=lambda c: c.col)]
        # (the lines under the form may be a last, borderless row of the table)
        assert part.grid.n_rows <= len(rows) <= part.grid.n_rows + 1, part.key
    if template_id == SC_ID:  # the 资金表 under 1．资金计划及到位, before the 附件
        body = [norm(p.text) for p in doc.paragraphs]
        assert any("资金计划及到位" in t for t in body)
        assert [visible(r) for r in docx_rows(tables[0])] == [
            sc.FUNDING_HEAD, [norm(v) for v in sc.FUNDING_ROW]]


# ---- the live formulas, computed by LibreOffice -------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
@pytest.mark.parametrize("sample", list(SAMPLES))
def test_filled_formulas_give_the_printed_values(sample: str, tmp_path: Path) -> None:
    template_id, path = SAMPLES[sample]
    report, template = load(path), load_template(template_id)
    plan = plan_export(report, template)
    (xlsx,) = export_report(report, template, tmp_path, formats=("xlsx",),
                            parts=[p.key for p in plan.available])
    typed = load_workbook(xlsx)
    computed = load_workbook(sc.convert(xlsx, tmp_path / "calc", "xlsx"), data_only=True)
    n = 0
    for part, name in zip(plan.available, typed.sheetnames, strict=True):
        top = part.grid.table_top
        anchors = part.grid.anchors()
        for row in typed[name].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                printed = anchors[(cell.row - top, cell.column - 1)]
                got = computed[name].cell(cell.row, cell.column).value
                if printed.value is None:
                    assert str(got or "") == printed.text, (name, cell.coordinate)
                else:
                    assert round(Decimal(str(got)), 9) == round(printed.value, 9), (
                        name, cell.coordinate, cell.value)
                n += 1
    # every formula of the builders' (云南: 执行率 of the lines, the 二级 分值, the two 分值组,
    # the 总分 row, 等次; 四川: none, the seed's table holds typed amounts only)
    assert n == sum(1 for p in builder_parts(report, template) for c in p.grid.cells
                    if c.formula)
    if template_id == SC_ID:
        assert n == 0


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
def test_yn_rendered_grade_formula(tmp_path: Path) -> None:
    """The filled XLSX computes 总分 88 and ticks 良 itself (the formulas, not the text)."""
    template = load_template(YN_ID)
    (xlsx,) = export_report(yn.lowered(template), template, tmp_path, formats=("xlsx",),
                            parts=["附件1"])
    _pages, _sizes, text, _raw = pdf_facts(to_pdf(xlsx, tmp_path))
    assert re.search(r"总分\s+100\s+100\s+100\s+88\b", text)
    assert re.search(r"优\s*□\s*良\s*☑\s*中\s*□\s*差\s*□", text)
