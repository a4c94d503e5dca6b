"""Every formula of an exported XLSX also carries its value, as Excel saves it (issue #10).

A reader that does not recalculate (file previewers, import tools, a bureau's system;
openpyxl ``data_only=True`` here) sees the totals, 得分率 and grades, and they are the
values the form prints; LibreOffice, recalculating, gets the same numbers.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from perfeval_desktop.export import export_report, plan_export
from perfeval_desktop.export.grid import Grid, Kind
from perfeval_desktop.export.xlsx_values import store_values
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.pfe"))


def exported(sample: Path, out: Path) -> tuple[Path, Any]:
    report = load(sample)
    template = load_template(report.meta.template_id)
    plan = plan_export(report, template)
    (xlsx,) = export_report(report, template, out, formats=("xlsx",),
                            parts=[p.key for p in plan.available])
    return xlsx, plan


def printed(grid: Grid, row: int, col: int) -> Any:
    """What the form prints in sheet cell (row, col): a number, or the text."""
    cell = grid.anchors()[(row - grid.table_top, col - 1)]
    if cell.kind is Kind.LABEL or cell.value is None:
        return cell.text or None
    return cell.value


def formula_cells(wb: Any) -> list[tuple[str, Any]]:
    return [(ws.title, c) for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_formula_has_the_printed_value(sample: Path, tmp_path: Path) -> None:
    xlsx, plan = exported(sample, tmp_path)
    typed, values = load_workbook(xlsx), load_workbook(xlsx, data_only=True)
    cells = formula_cells(typed)
    # Excel and WPS still recalculate where there are formulas (only there, issue #13 §3)
    assert typed.calculation.fullCalcOnLoad == bool(cells)
    grids = dict(zip(typed.sheetnames, [p.grid for p in plan.available], strict=True))
    for sheet, cell in cells:
        got = values[sheet][cell.coordinate].value
        want = printed(grids[sheet], cell.row, cell.column)
        if isinstance(want, Decimal):
            assert isinstance(got, (int, float)), (sheet, cell.coordinate, got)
            assert round(Decimal(str(got)), 12) == round(want, 12), (
                sheet, cell.coordinate, got, want)
        else:
            assert got == want, (sheet, cell.coordinate, got, want)
    families_with_totals = {"mof_self_eval", "yunnan_dept_eval", "mof_outline_eval",
                            "third_party"}
    if plan.template.manifest.family in families_with_totals:
        assert cells  # totals, 得分率, grades are formulas


def test_the_stored_values_are_excels_form(tmp_path: Path) -> None:
    """``<v>`` beside ``<f>``: numbers plain (94, 0.607), text results ``t="str"``."""
    xlsx, _plan = exported(ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe",
                           tmp_path)
    with zipfile.ZipFile(xlsx) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
        app = zf.read("docProps/app.xml").decode()
    # not "Microsoft Excel Compatible": LibreOffice recalculates a file Excel did not save
    assert "<Application>perfeval-desktop</Application>" in app
    assert "<v></v>" not in xml and "<v/>" not in xml.replace(' t="str"><f', "")
    values = load_workbook(xlsx, data_only=True).active
    total = next(c for row in values.iter_rows() for c in row if c.value == "总分")
    scores = [c.value for c in values[total.row] if c.value is not None]
    assert scores == ["总分", 100, 94, "良"]


def test_nothing_to_store_leaves_the_file_as_it_is(tmp_path: Path) -> None:
    xlsx, _plan = exported(ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe",
                           tmp_path)
    before = xlsx.read_bytes()
    store_values(xlsx, {})
    assert xlsx.read_bytes() == before


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_stored_values_are_what_libreoffice_computes(sample: Path, tmp_path: Path) -> None:
    xlsx, _plan = exported(sample, tmp_path)
    out = tmp_path / "calc"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--norestore", "--convert-to", "xlsx", "--outdir", str(out), str(xlsx)],
        check=True, timeout=180, capture_output=True,
    )
    ours = load_workbook(xlsx, data_only=True)
    theirs = load_workbook(out / xlsx.name, data_only=True)
    for sheet, cell in formula_cells(load_workbook(xlsx)):
        a, b = ours[sheet][cell.coordinate].value, theirs[sheet][cell.coordinate].value
        if isinstance(a, (int, float)):
            assert round(Decimal(str(a)), 9) == round(Decimal(str(b)), 9), (sheet, cell, a, b)
        else:
            assert (a or "") == (b or ""), (sheet, cell.coordinate, a, b)
