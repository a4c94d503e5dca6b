"""The XLSX forms break their pages where the program cannot choose otherwise (#10): a
一级 group never split from its label, the headings never left at a page's foot, and
the same pages in Excel, WPS and LibreOffice (export/xlsx_pages.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from export_support import to_pdf
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from perfeval_desktop.export import export_report
from perfeval_desktop.export.xlsx_pages import largest_scale, page_starts
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def sheet(heights: list[float], merges: list[str], titles: str | None = "3:3") -> Worksheet:
    """A landscape A4 sheet one page wide: column A labels, B its rows."""
    ws = Workbook().active
    assert ws is not None
    ws.page_setup.paperSize = 9
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 30, 90
    for r, h in enumerate(heights, start=1):
        ws.row_dimensions[r].height = h
        ws.cell(r, 2).value = f"行{r}"
    for m in merges:
        ws.merge_cells(m)
        ws[m.split(":")[0]].value = "一级"
    ws.print_title_rows = titles
    ws.print_area = f"A1:B{len(heights)}"
    return ws


def labelled(ws: Worksheet) -> list[tuple[int, int]]:
    return [(m.min_row, m.max_row) for m in ws.merged_cells.ranges
            if m.max_row > m.min_row and ws.cell(m.min_row, m.min_col).value]


def test_a_group_moves_whole_and_the_headings_with_it() -> None:
    # a page holds ~451 pt at 100 % (openpyxl's default margins): rows 1-3 (90 pt) + group 4-9 (6 × 40) + group 10-15
    ws = sheet([30.0] * 3 + [40.0] * 12, ["A4:A9", "A10:A15"])
    assert largest_scale(ws) == 1.0
    assert page_starts(ws, []) == [10]  # not 13, inside the second group
    # the headings row stays with the group under it: 8 rows of 55 pt then row 9 the
    # headings, row 10-15 a group; a break may not fall between 9 and 10
    ws = sheet([55.0] * 8 + [30.0] + [40.0] * 6, ["A10:A15"], titles="9:9")
    assert page_starts(ws, []) == [9]


def test_an_empty_merged_cell_is_no_label_and_a_group_taller_than_a_page_is_cut() -> None:
    ws = sheet([30.0] * 3 + [40.0] * 12, ["A4:A15"])
    ws["A4"].value = None  # the 绩效指标 column's empty lower part
    assert page_starts(ws, []) == [13]
    ws = sheet([30.0] * 3 + [60.0] * 12, ["A4:A15"])  # 720 pt: cannot be kept whole
    starts = page_starts(ws, [])
    assert starts and all(4 < s <= 15 for s in starts)


def test_a_sheet_fitted_onto_its_pages_is_not_cut() -> None:
    ws = sheet([30.0] * 3 + [40.0] * 12, ["A4:A9"])
    ws.page_setup.fitToHeight = 1
    assert largest_scale(ws) is None and page_starts(ws, []) == []


def export_xlsx(name: str, out: Path) -> Path:
    report = load(SAMPLES / name)
    (path,) = export_report(report, load_template(report.meta.template_id), out,
                            formats=("xlsx",))
    return path


def test_the_gd_form_breaks_before_a_group_and_the_headings(tmp_path: Path) -> None:
    ws = load_workbook(export_xlsx("gd_yuancheng_medical_aid_2021.pfe", tmp_path)).worksheets[0]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks, "the 自评表 is longer than one page at the largest scale"
    for first, last in labelled(ws):
        assert not any(first <= b < last for b in breaks), (first, last, breaks)
    title = int(ws.print_title_rows.replace("$", "").split(":")[-1])
    assert title not in breaks  # the headings never end a page
    # the form's foot (总分, 联系人, 注) printed with the last group, not alone under the
    # repeated headings
    assert breaks[-1] + 1 in {first for first, _ in labelled(ws)}


def test_the_sz_score_sheet_a_little_too_long_fits_one_page(tmp_path: Path) -> None:
    wb = load_workbook(export_xlsx("sz_fund_supervision_2022.pfe", tmp_path))
    ws = wb["评分情况表"]
    assert int(ws.page_setup.fitToHeight) == 1 and not ws.row_breaks.brk


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_prints_the_gd_groups_whole(tmp_path: Path) -> None:
    xlsx = export_xlsx("gd_yuancheng_medical_aid_2021.pfe", tmp_path)
    pdf = to_pdf(xlsx, tmp_path)
    ws = load_workbook(xlsx).worksheets[0]
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True, timeout=60).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) == len(ws.row_breaks.brk) + 1  # LibreOffice adds no break of its own
    benefit = [p for p in pages if "效益指标" in p]
    assert len(benefit) == 1 and "医疗救助对象看病就医方" in benefit[0]
    assert "三级指标" in benefit[0]  # the headings over it
    assert "满意度指标" in pages[-1] and "总分" in pages[-1] and "联系人" in pages[-1]
