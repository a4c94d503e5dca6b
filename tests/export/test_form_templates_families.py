"""The 宿州 附件1–3 and the 第三方 表1…表N drawn in forms.xlsx (issue #3).

- each form filled from its template prints, cell for cell, what its code builder lays out
  (the builders stay as the oracle and the fallback) — for the sample and random reports;
- the exported XLSX and DOCX of the template path pass the same checks of labels, numbers,
  merges, live formulas and page set-up as the builders' (the checks of
  test_outline_annexes.py and test_third_party_tables.py, run on the filled workbook);
- one sheet ``一级指标评分表`` draws every first-level indicator's table, whatever their
  number; a sheet named after one part (``表3``) draws that part alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import test_outline_annexes as sz
import test_third_party_tables as tp
from docx import Document
from export_support import docx_rows, form_tables, norm, template_files, visible
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook
from strategies import reports
from test_xlsx_template import assert_same_form

from perfeval_desktop import paths
from perfeval_desktop.export import export_report, plan_export
from perfeval_desktop.export.forms import FormPart, builders
from perfeval_desktop.export.third_party_tables import LEVEL_SHEET
from perfeval_desktop.export.xlsx_template import FORMS_FILE
from perfeval_desktop.model.report import Report
from perfeval_desktop.scoring.engine import ScoreSheet, compute
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import Template, load_template

ROOT = Path(__file__).resolve().parents[2]
SZ_ID, TP_ID = "mof_outline_eval_sz", "third_party_eval"
SAMPLES = {SZ_ID: sz.SAMPLE, TP_ID: tp.SAMPLE}


def builder_parts(report: Report, template: Template) -> list[FormPart]:
    manifest = template.manifest
    return builders()[manifest.family](report, manifest, compute(report, manifest.rules))


def assert_template_prints_the_builders_forms(report: Report, template: Template) -> None:
    got = plan_export(report, template).available
    want = builder_parts(report, template)
    assert [(p.key, p.title) for p in got] == [(p.key, p.title) for p in want]
    for g, w in zip(got, want, strict=True):
        assert g.sheet, f"{g.key} should come from forms.xlsx"
        assert_same_form(g.grid, w.grid)


# ---- the template is the form -----------------------------------------------------------------


@pytest.mark.parametrize("template_id", [SZ_ID, TP_ID])
def test_templates_print_the_sample_forms(template_id: str) -> None:
    template = load_template(template_id)
    assert (template.folder / FORMS_FILE).is_file()
    assert not (template.folder / "styles.xlsx").exists()  # every form is drawn
    assert_template_prints_the_builders_forms(load(SAMPLES[template_id]), template)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(max_nodes=14))
def test_outline_templates_print_any_report_as_the_builder(report: Report) -> None:
    """Trees of any depth, leaves without 年度目标值, not-applicable leaves, no problems."""
    assert_template_prints_the_builders_forms(report, load_template(SZ_ID))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(max_nodes=14))
def test_third_party_templates_print_any_report_as_the_builder(report: Report) -> None:
    """Any number of first-level indicators (表1 columns, 表2…表N), childless ones."""
    assert_template_prints_the_builders_forms(report, load_template(TP_ID))


def test_score_table_with_an_execution_block_and_caps() -> None:
    """附件3 under the 财政部 自评表 rules (预算执行率 outside the tree, a grade cap)."""
    gd = load(ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe")
    manifest = load_template("mof_self_eval_gd").manifest.model_copy(
        update={"family": "mof_outline_eval"})
    template = Template(manifest, load_template(SZ_ID).folder)
    assert_template_prints_the_builders_forms(gd, template)
    xlsx = plan_export(gd, template, ["附件3"])
    (part,) = xlsx.parts
    texts = [c.text for c in part.grid.cells]
    assert "预算执行率" in texts and not any("封顶" in t for t in texts)
    notes = [line.text for line in part.grid.footer_lines]
    assert any(t.startswith("注：") and "60.7%" in t for t in notes)  # under the table


# ---- the template path's XLSX and DOCX pass the builders' checks ---------------------------------


@pytest.fixture(scope="module")
def sz_plan() -> Any:
    return plan_export(load(sz.SAMPLE), load_template(SZ_ID))


@pytest.fixture(scope="module")
def sz_files(sz_plan: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sz_template")
    return template_files(sz_plan, out)


@pytest.fixture(scope="module")
def sz_wb(sz_files: dict[str, Path]) -> Any:
    book = load_workbook(sz_files["xlsx"])
    assert book.sheetnames == sz.SHEETS and book.calculation.fullCalcOnLoad
    return book


@pytest.mark.parametrize("check", [
    sz.test_xlsx_titles, sz.test_xlsx_completion_list, sz.test_xlsx_problem_list,
    sz.test_xlsx_score_table, sz.test_xlsx_page_setup,
], ids=lambda f: f.__name__)
def test_sz_xlsx_as_the_builders(check: Callable[[Any], None], sz_wb: Any) -> None:
    check(sz_wb)


def test_sz_xlsx_every_table_cell_bordered(sz_wb: Any, sz_plan: Any) -> None:
    sz.test_xlsx_every_table_cell_bordered(sz_wb, sz_plan.parts)


def test_sz_grids_as_the_builders(sz_plan: Any) -> None:
    sz.test_registry_and_parts(sz_plan.parts, sz_plan.report)
    sz.test_score_grid_numbers(sz_plan.parts, sz_plan.sheet)


@pytest.mark.parametrize("check", [
    sz.test_docx_sections_and_titles, sz.test_docx_completion_list, sz.test_docx_problem_list,
    sz.test_docx_score_table,
], ids=lambda f: f.__name__)
def test_sz_docx_as_the_builders(check: Callable[[Any], None], sz_files: dict[str, Path]) -> None:
    check(Document(str(sz_files["docx"])))


@pytest.fixture(scope="module")
def tp_plan() -> Any:
    return plan_export(load(tp.SAMPLE), load_template(TP_ID))


@pytest.fixture(scope="module")
def tp_files(tp_plan: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("tp_template")
    return template_files(tp_plan, out, docx_name="评分表.docx")


def test_third_party_xlsx_as_the_builders(tp_files: dict[str, Path]) -> None:
    wb = load_workbook(tp_files["xlsx"])
    assert wb.calculation.fullCalcOnLoad
    tp.test_xlsx_summary(wb)
    tp.test_xlsx_level_tables(wb)
    for name in wb.sheetnames:  # each drawn table keeps the template's page
        ws = wb[name]
        assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 9
        assert "&P" in ws.oddFooter.center.text
    assert wb.sheetnames[1:] == [title for _k, title in tp.PARTS[1:]]
    assert [wb[n].print_title_rows.replace("$", "") for n in wb.sheetnames[1:]] == ["3:3"] * 4


def test_third_party_grids_and_docx_as_the_builders(tp_plan: Any, tp_files: dict[str, Path],
                                                   ) -> None:
    sheet: ScoreSheet = tp_plan.sheet
    tp.test_parts(tp_plan.parts)
    tp.test_summary_against_engine(tp_plan.parts, sheet)
    tp.test_level_tables_against_engine(tp_plan.parts, tp_plan.report, sheet)
    tp.test_docx(tp_files)


def test_full_report_docx_prints_the_filled_forms(tmp_path: Path) -> None:
    """The report's DOCX prints the tables filled from forms.xlsx."""
    for template_id in (SZ_ID, TP_ID):
        report, template = load(SAMPLES[template_id]), load_template(template_id)
        plan = plan_export(report, template)
        (docx,) = export_report(report, template, tmp_path, formats=("docx",))
        tables = form_tables(Document(str(docx)))
        assert len(tables) == len(plan.available)
        for table, part in zip(tables, plan.available, strict=True):
            rows = docx_rows(table)
            first = [c for c in part.grid.cells if c.row == 0]
            assert visible(rows[0]) == [norm(c.text) for c in sorted(first, key=lambda c: c.col)]
            assert len(rows) == part.grid.n_rows, part.key


# ---- one sheet for every first-level indicator's table -------------------------------------------


def test_a_sheet_named_after_one_part_draws_that_part_alone(tmp_path: Path) -> None:
    user = paths.user_templates_dir() / TP_ID
    shutil.copytree(ROOT / "templates" / TP_ID, user)
    wb = load_workbook(user / FORMS_FILE)
    own = wb.copy_worksheet(wb[LEVEL_SHEET])
    own.title = "表3"
    own["A4"].value = "二级指标（过程）"
    wb.save(user / FORMS_FILE)

    template = load_template(TP_ID)
    assert template.folder == user
    report = load(tp.SAMPLE)
    plan = plan_export(report, template)
    firsts = {p.key: p.grid.cells[0].text for p in plan.available[1:]}
    assert firsts == {"表2": "二级指标", "表3": "二级指标（过程）", "表4": "二级指标",
                      "表5": "二级指标"}
    (xlsx,) = export_report(report, template, tmp_path, formats=("xlsx",))
    out = load_workbook(xlsx)
    assert out.sheetnames == [title for _k, title in tp.PARTS]
    assert out["过程指标评分表"]["A3"].value == "二级指标（过程）"
    assert out["决策指标评分表"]["A1"].value == "表2\u3000决策指标评分表"
    assert out["效益指标评分表"]["A1"].value == "表5\u3000效益指标评分表"


# ---- the live formulas, computed by LibreOffice ----------------------------------------------------


def gd_variant() -> tuple[Report, Template]:
    """附件1–3 under the 财政部 自评表 rules: a 预算执行率 block, a grade cap."""
    gd = load(ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe")
    manifest = load_template("mof_self_eval_gd").manifest.model_copy(
        update={"family": "mof_outline_eval"})
    return gd, Template(manifest, load_template(SZ_ID).folder)


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("case", [SZ_ID, TP_ID, "gd_rules"])
def test_filled_formulas_give_the_printed_values(case: str, tmp_path: Path) -> None:
    report, template = (gd_variant() if case == "gd_rules"
                        else (load(SAMPLES[case]), load_template(case)))
    plan = plan_export(report, template)
    (xlsx,) = export_report(report, template, tmp_path, formats=("xlsx",),
                            parts=[p.key for p in plan.available])
    typed = load_workbook(xlsx)
    computed = load_workbook(sz.convert(xlsx, tmp_path / "calc", "xlsx"), data_only=True)
    n = 0
    for part, name in zip(plan.available, typed.sheetnames, strict=True):
        grid = part.grid
        top = len(grid.title_lines) + 1  # the table right under its title lines
        anchors = grid.anchors()
        for row in typed[name].iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                printed = anchors[(cell.row - top, cell.column - 1)]
                got = computed[name].cell(cell.row, cell.column).value
                if printed.value is None:
                    assert str(got or "") == printed.text, (name, cell.coordinate)
                else:
                    assert round(Decimal(str(got)), 9) == round(printed.value, 9), (
                        name, cell.coordinate, cell.value)
                n += 1
    # 宿州: the 一级/二级 labels, 合计 and 等次; 第三方: 5 得分率, 合计 权重 and 分值, 4 小计 × 2
    if case == "gd_rules":
        assert n >= 3
    else:
        assert n == {SZ_ID: len(sz.BRANCHES) + 3, TP_ID: 5 + 2 + 4 * 2}[case]
