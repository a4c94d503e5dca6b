"""四川 附件4 (seed 001): the report's one table, 资金计划、到位及使用情况, printed as the seed
prints it (资金情况 | 计划数 | 到位数 | 使用数; 金额（万元） | 100 | 9.21 | 9.21), and nothing
the published 附件4 does not have: no 到位率/使用率 columns, no 项目支出绩效自评表, no 附件1
— as the template's forms.xlsx prints it."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from export_support import (
    docx_rows,
    filled_parts,
    form_tables,
    norm,
    pdf_facts,
    template_files,
    visible,
)
from openpyxl import load_workbook

from perfeval_desktop.export import plan_export
from perfeval_desktop.export.form_values import actual_of, nature_of, target_of
from perfeval_desktop.export.forms import FormPart
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
from perfeval_desktop.templates.families import families
from perfeval_desktop.templates.loader import Template, load_template

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "sc_panzhihua_supervision_2022.pfe"
SHEETS = ["资金计划、到位及使用情况"]

# the seed's table: 资金情况 | 计划数 | 到位数 | 使用数 / 金额（万元） | 100 | 9.21 | 9.21
FUNDING_HEAD = ["资金情况", "计划数", "到位数", "使用数"]
FUNDING_ROW = ["金额（万元）", "100", "9.21", "9.21"]
NEEDS_OFFICE = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing")


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
def plan(report: Report, template: Template) -> Any:
    return plan_export(report, template)


@pytest.fixture(scope="module")
def parts(plan: Any) -> list[FormPart]:
    return list(plan.available)


@pytest.fixture(scope="module")
def files(plan: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return template_files(plan, tmp_path_factory.mktemp("sc"))


def test_sample_figures_are_the_seeds(report: Report, sheet: ScoreSheet) -> None:
    total = sheet.funding.total
    assert (total["initial_budget"], total["received"], total["executed"]) == (
        Decimal(100), Decimal("9.21"), Decimal("9.21")
    )
    assert report.sections["issues_problems"] == "无" and report.problems == []


def test_registry_and_parts(parts: list[FormPart], template: Template) -> None:
    """附件4 is the report with its one table inside it: no 附件 of its own."""
    assert families()["sichuan_self_eval"].builtin.name == "sichuan_self_eval"
    assert [(p.key, p.title) for p in parts] == [("资金表", SHEETS[0])]
    assert parts[0].sheet == SHEETS[0]  # drawn once, as a sheet of forms.xlsx
    inline = parts[0]
    assert inline.section == "funds_plan" and inline.grid.orientation == "portrait"
    assert "funds_plan" in {s.id for s in template.manifest.all_sections()}
    assert "自评表" not in template.manifest.name


def test_funding_grid(parts: list[FormPart]) -> None:
    grid = parts[0].grid
    assert grid.title_lines == []  # printed right under 1．资金计划及到位。 as on the seed
    cells = grid.anchors()
    assert grid.n_cols == 4
    assert [cells[(0, c)].text for c in range(4)] == FUNDING_HEAD
    assert [cells[(1, c)].text for c in range(4)] == FUNDING_ROW


def test_funding_plan_falls_back_to_the_annual_budget(report: Report, template: Template
                                                      ) -> None:
    changed = report.model_copy(deep=True)
    changed.funding.total = Amounts(annual_budget=Decimal("12.5"), received=Decimal(10))
    changed.funding.by_kind = {}
    (part,) = filled_parts(changed, template)
    grid = part.grid
    assert [c.text for c in grid.cells if c.row == 1] == ["金额（万元）", "12.5", "10", ""]


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
    linked = rate.model_copy(update={"method": RateMethod(source="received")})
    assert actual_of(linked, sheet) == "100"  # 项目资金's 到位数 9.21 ÷ 预算数 9.21, as printed
    execution = IndicatorNode(name="预算执行率", weight=Decimal(5),
                              method=BudgetExecutionMethod())
    assert nature_of(execution) == "≥" and actual_of(execution, sheet) == "100.00%"


# ---- XLSX and DOCX --------------------------------------------------------------------------


def test_xlsx_funding_table(files: dict[str, Path]) -> None:
    check_xlsx_funding_table(load_workbook(files["xlsx"]))


def check_xlsx_funding_table(wb: Any) -> None:
    assert wb.sheetnames == SHEETS
    ws = wb[SHEETS[0]]
    assert ws.max_column == 4
    assert [ws.cell(1, c).value for c in range(1, 5)] == FUNDING_HEAD
    assert ws["A2"].value == "金额（万元）"
    assert [ws.cell(2, c).value for c in (2, 3, 4)] == [100, 9.21, 9.21]
    # as typed: 100 shows 100, 9.21 shows 9.21
    assert ws["B2"].number_format == "General"
    ps = ws.page_setup
    assert int(ps.paperSize) == 9 and ps.orientation == "portrait"
    assert ws.print_title_rows.replace("$", "") == "1:1"


def test_docx_funding_table(files: dict[str, Path]) -> None:
    check_docx_funding_table(Document(str(files["docx"])))


def check_docx_funding_table(doc: Any) -> None:
    assert len(form_tables(doc)) == 1
    rows = docx_rows(form_tables(doc)[0])
    assert [visible(r) for r in rows] == [FUNDING_HEAD, [norm(v) for v in FUNDING_ROW]]


def convert(path: Path, out: Path, fmt: str) -> Path:
    """``path`` converted by LibreOffice headless to ``fmt`` (pdf, or xlsx: recalculated)."""
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
def test_report_pdf_is_the_seeds_content(report: Report, template: Template,
                                         tmp_path: Path) -> None:
    """The whole 附件4 printed by LibreOffice: the table with the seed's figures under
    1．资金计划及到位, no rate columns, no 自评表 and no 附件1 label anywhere."""
    from perfeval_desktop.export import export_report

    (docx,) = export_report(report, template, tmp_path, formats=("docx",))
    _, _sizes, text, _raw = pdf_facts(convert(docx, tmp_path / "pdf", "pdf"))
    flat = re.sub(r"\s+", " ", text)
    assert re.search(r"资金情况 计划数 到位数 使用数 金额（万元） 100 9\.21 9\.21", flat)
    lines = [norm(line) for line in text.splitlines() if line.strip()]
    # 附件4, then the title in two lines broken before its document name, not in a word
    assert lines[:3] == ["附件4", "2022年医保定点医药机构监管经费", "项目支出绩效自评报告"]
    assert not re.search(r"使用数 (到位率|使用率)", flat)  # no added rate columns
    for absent in ("自评表", "附件1", "附件：", "100.00"):
        assert absent not in text, absent
