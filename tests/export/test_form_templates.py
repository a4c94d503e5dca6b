"""Each 附件 form exists once, as a sheet of its template's ``forms.xlsx`` (issue #10 §5).

- every built-in template draws all its family's forms; there is no other layout of them;
- a template folder without ``forms.xlsx`` prints the built-in one of its family;
- any report fills every family's forms: the cells never overlap, and every formula of the
  exported XLSX carries the value the form prints;
- a sheet named after one part (``表3``) draws that part alone, the one sheet
  ``一级指标评分表`` every other first-level indicator's table;
- the report's DOCX prints the filled forms (the 四川 资金表 inside the 正文);
- the live formulas, computed by LibreOffice, give the printed values.

The printed content of each family's forms is asserted in test_self_eval_table.py,
test_yunnan_table.py, test_outline_annexes.py, test_sichuan_tables.py and
test_third_party_tables.py, all on the filled template.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import test_outline_annexes as sz
import test_sichuan_tables as sc
import test_third_party_tables as tp
import test_yunnan_table as yn
from docx import Document
from export_support import docx_rows, form_tables, norm, visible
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from strategies import indicator_trees, reports

from perfeval_desktop import paths
from perfeval_desktop.export import export_report, plan_export
from perfeval_desktop.export.forms import family_parts
from perfeval_desktop.export.grid import Kind
from perfeval_desktop.export.xlsx_template import FORMS_FILE
from perfeval_desktop.model.report import Report, WeightGroup
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.families import families
from perfeval_desktop.templates.loader import Template, load_template

LEVEL_SHEET = "一级指标评分表"  # third_party_eval/manifest.yaml forms.repeat_sheet

ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = ROOT / "resources" / "samples"
GD_ID, YN_ID, SZ_ID, SC_ID, TP_ID = (
    "mof_self_eval_gd", "yunnan_dept_eval", "mof_outline_eval_sz", "sichuan_self_eval",
    "third_party_eval")
SAMPLES = {
    "gd": (GD_ID, SAMPLES_DIR / "gd_yuancheng_medical_aid_2021.pfe"),
    "yn_fund_supervision": (YN_ID, yn.SAMPLES / yn.SEEDS[0].file),
    "yn_payables": (YN_ID, yn.SAMPLES / yn.SEEDS[1].file),
    "sz": (SZ_ID, sz.SAMPLE),
    "sc": (SC_ID, sc.SAMPLE),
    "tp": (TP_ID, tp.SAMPLE),
}
BUILTIN = [GD_ID, YN_ID, SZ_ID, SC_ID, TP_ID]


# ---- one drawing per form ------------------------------------------------------------------


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_builtin_templates_draw_every_form(sample: str) -> None:
    template_id, path = SAMPLES[sample]
    template = load_template(template_id)
    assert template.folder is not None and (template.folder / FORMS_FILE).is_file()
    assert not (template.folder / "styles.xlsx").exists()  # no second look of the forms
    assert families()[template.manifest.family].builtin == template.folder
    report = load(path)
    plan = plan_export(report, template)
    want = family_parts(report, template.manifest)
    assert want is not None
    assert [(p.key, p.title, p.section) for p in plan.available] == [
        (p.key, p.title, p.section) for p in want]
    sheets = load_workbook(template.folder / FORMS_FILE).sheetnames
    for part in plan.available:
        assert part.sheet  # filled from forms.xlsx
        assert (part.title if not part.generic else LEVEL_SHEET) in sheets
        part.grid.check()


@pytest.mark.parametrize("template_id", BUILTIN)
def test_a_folder_without_forms_xlsx_prints_the_builtin_forms(template_id: str,
                                                              tmp_path: Path) -> None:
    """A user folder made without forms.xlsx (or after deleting it) prints its family's
    built-in forms.xlsx: the same forms, cell for cell, with the same page set-up."""
    sample = next(path for tid, path in SAMPLES.values() if tid == template_id)
    report = load(sample)
    builtin = plan_export(report, load_template(template_id))
    user = paths.user_templates_dir() / template_id
    shutil.copytree(ROOT / "templates" / template_id, user)
    (user / FORMS_FILE).unlink()
    template = load_template(template_id)
    assert template.folder == user
    plan = plan_export(report, template)
    assert [(p.key, p.title, p.sheet) for p in plan.available] == [
        (p.key, p.title, p.sheet) for p in builtin.available]
    for got, want in zip(plan.available, builtin.available, strict=True):
        assert got.grid == want.grid, got.key
    (xlsx,) = export_report(report, template, tmp_path, formats=("xlsx",),
                            parts=[p.key for p in plan.available])
    out, ref = load_workbook(xlsx), load_workbook(ROOT / "templates" / template_id / FORMS_FILE)
    for part, name in zip(plan.available, out.sheetnames, strict=True):
        ws, src = out[name], ref[part.sheet if not part.generic else LEVEL_SHEET]
        assert ws.page_setup.orientation == src.page_setup.orientation
        assert ws.column_dimensions["A"].width == src.column_dimensions["A"].width


def test_a_folder_of_another_id_prints_its_familys_forms(tmp_path: Path) -> None:
    """A bureau's own template (its own id, no forms.xlsx) of the 云南 family prints the
    built-in 评价表."""
    user = paths.user_templates_dir() / "yunnan_bureau_own"
    shutil.copytree(ROOT / "templates" / YN_ID, user)
    (user / FORMS_FILE).unlink()
    manifest = user / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace(f"id: {YN_ID}",
                                                           "id: yunnan_bureau_own"), "utf-8")
    template = load_template("yunnan_bureau_own")
    assert template.folder == user
    (xlsx,) = export_report(load(yn.SAMPLES / yn.SEEDS[1].file), template, tmp_path,
                            formats=("xlsx",))
    ws = load_workbook(xlsx)[yn.SHEET]
    assert ws["A4"].value == "项目名称" and ws["A4"].font.name == "宋体"
    assert ws["A2"].value == yn.TITLE


# ---- any report fills every family's forms ---------------------------------------------------


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


def printed(part: Any, row: int, col: int) -> Any:
    """What the form prints in sheet cell (row, col): a number, or the text."""
    cell = part.grid.anchors()[(row - part.grid.table_top, col - 1)]
    if cell.kind is Kind.LABEL or cell.value is None:
        return cell.text or None
    return cell.value


def assert_fills(report: Report, template_id: str, out: Path) -> None:
    """Every part filled from its sheet, no overlapping cells, and each formula of the
    exported workbook stored with the value the form prints."""
    template = load_template(template_id)
    plan = plan_export(report, template)
    want = family_parts(report, template.manifest)
    assert want is not None and [p.key for p in plan.available] == [p.key for p in want]
    for part in plan.available:
        assert part.sheet
        part.grid.check()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    (xlsx,) = export_report(report, template, out, formats=("xlsx",),
                            parts=[p.key for p in plan.available])
    typed, values = load_workbook(xlsx), load_workbook(xlsx, data_only=True)
    for part, name in zip(plan.available, typed.sheetnames, strict=True):
        for row in typed[name].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                got = values[name][cell.coordinate].value
                want_value = printed(part, cell.row, cell.column)
                if isinstance(want_value, Decimal):  # (a float keeps 15 digits)
                    error = abs(Decimal(str(got)) - want_value)
                    assert error <= abs(want_value) * Decimal("1e-14") + Decimal("1e-12"), (
                        name, cell.coordinate, got, want_value)
                else:
                    assert got == want_value, (name, cell.coordinate, got, want_value)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grouped_reports())
def test_yunnan_form_fills_any_report(report: Report) -> None:
    """Trees of any depth, childless 一级/二级 indicators, 分值组 of one to three members,
    not-applicable leaves, details or none, no evaluators, no 地区 read from the units."""
    assert_fills(report, YN_ID, paths.user_templates_dir().parent / "fills")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deep_reports())
@pytest.mark.parametrize("template_id", [GD_ID, SZ_ID, SC_ID, TP_ID])
def test_forms_fill_any_report(template_id: str, report: Report) -> None:
    """Trees of any depth, leaves without 指标值, not-applicable leaves, missing amounts,
    any number of first-level indicators (第三方 表2…表N), no problems."""
    assert_fills(report, template_id, paths.user_templates_dir().parent / "fills")


def test_yunnan_title_without_a_region() -> None:
    """No 区/县 in the 地区 nor in the units: the plain title and a 填报单位 line."""
    report = load(yn.SAMPLES / yn.SEEDS[0].file)
    report.meta.region = ""
    report.meta.unit = report.project.department = report.project.implementer = "某某局"
    report.meta.year = None
    (part,) = plan_export(report, load_template(YN_ID)).available
    assert [norm(line.text) for line in part.grid.title_lines] == [
        "附件1：", yn.SHEET, "（）年度", "填报单位：某某局"]


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


# ---- the report's DOCX prints the filled forms ---------------------------------------------------


@pytest.mark.parametrize("sample", ["yn_payables", "sz", "sc", "tp"])
def test_full_report_docx_prints_the_filled_forms(sample: str, tmp_path: Path) -> None:
    """The 正文 with the 四川 资金表 inside it and the forms as 附件, filled from forms.xlsx."""
    template_id, path = SAMPLES[sample]
    report, template = load(path), load_template(template_id)
    plan = plan_export(report, template)
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

# the formulas of each sample's forms: 云南 the 执行率 of the lines, the 二级 分值, the two
# 分值组, the 总分 row and 等次; 宿州 the 一级/二级 labels, 合计 and 等次; 第三方 5 得分率,
# 合计 权重 and 分值, 4 小计 × 2; 四川 none (the seed's table holds typed amounts only)
FORMULAS = {"gd": 18, "yn_fund_supervision": 25, "yn_payables": 24,
            "sz": len(sz.BRANCHES) + 3, "sc": 0, "tp": 5 + 2 + 4 * 2}


def gd_variant() -> tuple[Report, Template]:
    """宿州 附件1–3 under the 财政部 自评表 rules: a 预算执行率 block, a grade cap."""
    gd = load(SAMPLES["gd"][1])
    manifest = load_template(GD_ID).manifest.model_copy(update={"family": "mof_outline_eval", "forms": None})
    return gd, Template(manifest, load_template(SZ_ID).folder)


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("case", [*SAMPLES, "gd_rules"])
def test_filled_formulas_give_the_printed_values(case: str, tmp_path: Path) -> None:
    if case == "gd_rules":
        report, template = gd_variant()
    else:
        report, template = load(SAMPLES[case][1]), load_template(SAMPLES[case][0])
    plan = plan_export(report, template)
    (xlsx,) = export_report(report, template, tmp_path, formats=("xlsx",),
                            parts=[p.key for p in plan.available])
    typed = load_workbook(xlsx)
    computed = load_workbook(sc.convert(xlsx, tmp_path / "calc", "xlsx"), data_only=True)
    n = 0
    for part, name in zip(plan.available, typed.sheetnames, strict=True):
        for row in typed[name].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                want = printed(part, cell.row, cell.column)
                got = computed[name].cell(cell.row, cell.column).value
                if isinstance(want, Decimal):
                    assert round(Decimal(str(got)), 9) == round(want, 9), (
                        name, cell.coordinate, cell.value)
                else:
                    assert str(got or "") == (want or ""), (name, cell.coordinate)
                n += 1
    if case == "gd_rules":
        assert n >= 3
    else:
        assert n == FORMULAS[case]
