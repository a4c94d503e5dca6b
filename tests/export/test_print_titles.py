"""The 附件 XLSX: a label merged from the print titles down stays in the titles (issue #10,
广东 自评表): Excel, WPS and LibreOffice print a merged cell's text once, centred over
its range — 绩效指标 stood on the first page, and the page the form continues onto
printed its indicator rows under an empty first column."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from perfeval_desktop.export import export_report
from perfeval_desktop.export.print_titles import labels_in_title_rows
from perfeval_desktop.model.report import Report
from perfeval_desktop.templates.loader import load_template

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def test_the_indicator_label_is_printed_with_the_titles(tmp_path: Path) -> None:
    report = Report.model_validate_json(
        (SAMPLES / "gd_yuancheng_medical_aid_2021.pfe").read_text("utf-8"))
    (path,) = export_report(report, load_template(report.meta.template_id), tmp_path,
                            formats=("xlsx",))
    ws = load_workbook(path).worksheets[0]
    first, last = (int(x) for x in ws.print_title_rows.replace("$", "").split(":"))
    assert [ws.cell(last, c).value for c in (1, 2, 3)] == ["绩效指标", "一级指标", "二级指标"]
    # no merged range runs from the titles into the rows under them
    assert not [str(m) for m in ws.merged_cells.ranges if first <= m.min_row <= last < m.max_row]
    # under the label, its column: one empty merged cell over the indicator rows, the
    # rule between the two open (they read as one cell), its sides and foot ruled
    (below,) = [m for m in ws.merged_cells.ranges if m.min_row == last + 1 and m.min_col == 1]
    assert below.max_row > last + 10 and ws.cell(last + 1, 1).value is None
    assert ws.cell(last, 1).border.bottom.style is None
    assert ws.cell(last + 1, 1).border.top.style is None
    assert ws.cell(last + 5, 1).border.left.style == "thin"
    assert ws.cell(last + 5, 1).border.right.style == "thin"
    assert ws.cell(below.max_row, 1).border.bottom.style == "thin"
    assert ws.cell(below.max_row + 1, 1).value == "总分"


def test_a_label_in_several_title_rows_and_columns(tmp_path: Path) -> None:
    """A range starting in two title rows and two columns wide: its titles' part merged
    over those rows and columns, the rest below; a range inside the titles, or starting
    under them, stays as it is."""
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    wb = Workbook()
    ws = wb.active
    ws.print_title_rows = "2:3"
    for r in range(1, 12):
        for c in range(1, 5):
            ws.cell(r, c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A2"] = "标签"
    ws.merge_cells("A2:B9")
    ws.merge_cells("C2:D3")  # inside the titles
    ws.merge_cells("C5:D7")  # under them
    assert labels_in_title_rows(ws) == [(4, 1)]
    assert sorted(str(m) for m in ws.merged_cells.ranges) == ["A2:B3", "A4:B9", "C2:D3", "C5:D7"]
    assert ws["A2"].value == "标签" and ws["A4"].value is None
    assert ws["A3"].border.bottom.style is None and ws["B4"].border.top.style is None
