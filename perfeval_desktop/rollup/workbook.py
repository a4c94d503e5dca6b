"""汇总.xlsx: the table, one sheet per chart (native Excel charts) and the 问题清单."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..export.staged import Staged, stage_file
from ..scoring.rounding import HUNDRED
from .collect import Rollup, RollupRow
from .figures import RATE_LINE, grade_counts, no_rate_count, rate_buckets, unit_scores
from .own import SHEETS

TABLE_HEADER = (
    "序号", "单位", "项目", "年度", "模板", "全年预算数（万元）", "全年执行数（万元）",
    "执行率", "总分", "评价等次", "是否封顶", "强制性问题", "核实性问题", "重复", "备注", "文件",
)
_WIDTHS = (5, 20, 40, 6, 22, 11, 11, 9, 7, 6, 6, 7, 7, 30, 40, 30)
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_FONT = "宋体"
# one style object each, shared by every cell (openpyxl keeps one copy per distinct style)
_BODY_FONT = Font(name=_FONT, size=10)
_PLAIN = Alignment(vertical="center")
_WRAP = Alignment(vertical="center", wrap_text=True)


def _header(ws: Worksheet, row: int, labels: tuple[str, ...] | list[str]) -> None:
    ws.row_dimensions[row].height = 30
    for col, label in enumerate(labels, 1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = Font(name=_FONT, bold=True, size=11)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _title(ws: Worksheet, text: str, span: int) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(name=_FONT, bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=span)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")


def _body(ws: Worksheet, row: int, values: list[object],
          widths: tuple[int, ...] | None = None) -> None:
    """One bordered row; with ``widths`` long texts wrap and the row is made tall enough
    (LibreOffice and WPS do not grow rows by themselves)."""
    lines = 1
    for col, value in enumerate(values, 1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = _BODY_FONT
        cell.border = _BORDER
        wrap = widths is not None and isinstance(value, str)
        cell.alignment = _WRAP if wrap else _PLAIN
        if wrap and widths is not None:
            lines = max(lines, -(-_text_width(str(value)) // max(1, widths[col - 1] - 1)))
    if lines > 1:
        ws.row_dimensions[row].height = 14 * lines


def _text_width(text: str) -> int:
    """Width in Excel character units: a CJK character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _landscape(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows


def _row_values(n: int, row: RollupRow, shown: Callable[[Path], str]) -> list[object]:
    template = f"{row.template_id} 第{row.template_version}版"
    return [
        n, row.unit, row.project, row.year, template, row.annual_budget, row.executed,
        row.execution_rate, row.total, row.grade, "是" if row.capped else "否",
        row.error_count, row.verify_count,
        f"与 {shown(row.duplicate_of)} 重复" if row.duplicate_of else "",
        "；".join((row.cap_reason, *row.notes)).strip("；"), shown(row.path),
    ]


def write_table(ws: Worksheet, result: Rollup) -> None:
    _title(ws, f"项目支出绩效自评汇总表（共 {len(result.rows)} 份报告）", len(TABLE_HEADER))
    _header(ws, 2, TABLE_HEADER)
    for i, row in enumerate(result.rows, 1):
        _body(ws, i + 2, _row_values(i, row, result.shown), _WIDTHS)
        for col, fmt in ((6, "0.00"), (7, "0.00"), (8, "0.00%"), (9, "0.##")):
            ws.cell(row=i + 2, column=col).number_format = fmt
    for col, width in enumerate(_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "C3"
    last = max(3, len(result.rows) + 2)
    ws.auto_filter.ref = f"A2:{get_column_letter(len(TABLE_HEADER))}{last}"
    _landscape(ws, "2:2")


def _data_block(ws: Worksheet, labels: tuple[str, ...], rows: list[list[object]]) -> None:
    _header(ws, 3, labels)
    for i, values in enumerate(rows, 4):
        _body(ws, i, values)
    for col in range(1, len(labels) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 16 if col > 1 else 26


def _bar(title: str, y_title: str, x_title: str) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.x_axis.title = x_title
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 22, 11
    chart.dataLabels = _values_only()
    return chart


def _values_only() -> DataLabelList:
    labels = DataLabelList()
    labels.showVal = True
    labels.showSerName = labels.showCatName = labels.showLegendKey = False
    labels.showPercent = labels.showLeaderLines = False
    return labels


def _chart_page(ws: Worksheet, last_col: str, last_row: int, tall: bool = False) -> None:
    """Landscape A4, the data and the chart(s) on one page (a long unit list: one page wide)."""
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0 if tall else 1


def write_grade_chart(ws: Worksheet, result: Rollup) -> None:
    counts = grade_counts(result.counted)
    _title(ws, "评价等次分布", 3)
    total = sum(counts.values()) or 1
    _data_block(ws, ("评价等次", "报告数", "占比"),
                [[g, n, Decimal(n) / total] for g, n in counts.items()])
    for r in range(4, 4 + len(counts)):
        ws.cell(row=r, column=3).number_format = "0.0%"
    chart = _bar("评价等次分布（份）", "报告数", "评价等次")
    data = Reference(ws, min_col=2, min_row=3, max_row=3 + len(counts))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=3 + len(counts)))
    chart.legend = None
    ws.add_chart(chart, "E3")
    _chart_page(ws, "P", 24)


def write_rate_chart(ws: Worksheet, result: Rollup) -> None:
    """Counts per 执行率 band, bands below 90 % and from 90 % on as two coloured series,
    and every report's rate (sorted) against the 90 % line."""
    buckets = rate_buckets(result.counted)
    line = f"{int(RATE_LINE * HUNDRED)}%"
    _title(ws, f"预算执行率分布（{line} 线）", 3)
    _data_block(ws, ("执行率区间", f"低于{line}", f"达到{line}"),
                [[b.label, b.count if b.below_line else None,
                  None if b.below_line else b.count] for b in buckets])
    chart = _bar(f"预算执行率分布（份）：红色低于 {int(RATE_LINE * HUNDRED)}%", "报告数", "执行率")
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=3, max_row=3 + len(buckets)),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=3 + len(buckets)))
    missing = no_rate_count(result.counted)
    if missing:
        ws.cell(row=4 + len(buckets), column=1,
                value=f"另有 {missing} 份报告缺少预算数或执行数，无法计算执行率")
    for series, colour in zip(chart.series, ("C0392B", "2E8B57"), strict=True):
        series.graphicalProperties.solidFill = colour
    chart.legend.position = "b"
    ws.add_chart(chart, "E3")
    _rate_scatter(ws, result, 3)
    _chart_page(ws, "P", 47)


def _rate_scatter(ws: Worksheet, result: Rollup, start: int) -> None:
    """The scatter's data sits in columns R–T, right of the printed area."""
    rates = sorted(r.execution_rate for r in result.counted if r.execution_rate is not None)
    line = f"{int(RATE_LINE * HUNDRED)}% 线"
    for col, label in ((18, "序（按执行率排序）"), (19, "执行率（%）"), (20, line)):
        ws.cell(row=start, column=col, value=label).font = Font(name=_FONT, bold=True)
    for i, rate in enumerate(rates, 1):
        ws.cell(row=start + i, column=18, value=i)
        ws.cell(row=start + i, column=19, value=(rate * HUNDRED).quantize(Decimal("0.01")))
        ws.cell(row=start + i, column=20, value=RATE_LINE * HUNDRED)
    if not rates:
        return
    ws.add_chart(_scatter(ws, start, start + len(rates)), "E25")


def _scatter(ws: Worksheet, start: int, end: int) -> ScatterChart:
    chart = ScatterChart()
    chart.title = f"各报告预算执行率（按高低排列，红线为 {int(RATE_LINE * HUNDRED)}%）"
    chart.style = 13
    chart.x_axis.title = "报告（按执行率由低到高）"
    chart.y_axis.title = "执行率（%）"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 22, 11
    chart.x_axis.scaling.min = 0
    chart.x_axis.scaling.max = end - start + 1
    chart.y_axis.scaling.min = 0
    xs = Reference(ws, min_col=18, min_row=start + 1, max_row=end)
    dots = Series(Reference(ws, min_col=19, min_row=start, max_row=end), xs, title_from_data=True)
    dots.marker.symbol = "circle"
    dots.marker.size = 5
    dots.marker.graphicalProperties = GraphicalProperties(solidFill="2E75B6")
    dots.marker.graphicalProperties.line.solidFill = "2E75B6"
    dots.graphicalProperties.line.noFill = True
    line = Series(Reference(ws, min_col=20, min_row=start, max_row=end), xs, title_from_data=True)
    line.marker.symbol = "none"
    line.graphicalProperties.line.solidFill = "C0392B"
    line.graphicalProperties.line.width = 28575
    line.smooth = False
    dots.smooth = False
    chart.series.extend([dots, line])
    chart.legend.position = "b"
    return chart


def write_unit_chart(ws: Worksheet, result: Rollup) -> None:
    scores = unit_scores(result.counted)
    _title(ws, "各单位得分", 4)
    _data_block(ws, ("单位", "平均总分", "最低总分", "报告数"),
                [[u.unit, u.average, u.lowest, u.count] for u in scores])
    for r in range(4, 4 + len(scores)):
        ws.cell(row=r, column=2).number_format = "0.00"
        ws.cell(row=r, column=3).number_format = "0.00"
    chart = _bar("各单位平均总分与最低总分", "总分", "单位")
    chart.type = "bar"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=3, max_row=3 + len(scores)),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=3 + len(scores)))
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.height = max(11, 1.0 * len(scores) + 3)
    chart.legend.position = "b"
    ws.add_chart(chart, "F3")
    _chart_page(ws, "R", max(24, 6 + int(chart.height * 2), 4 + len(scores)),
                tall=len(scores) > 12)


def write_problems(ws: Worksheet, result: Rollup) -> None:
    labels = ("序号", "单位", "项目", "年度", "代码", "位置", "问题（强制性）", "文件")
    _title(ws, "问题清单（强制性问题，须改正后重新报送）", len(labels))
    _header(ws, 2, labels)
    widths = (5, 18, 30, 6, 6, 24, 60, 28)
    r = 3
    for row in result.rows:
        for f in row.errors:
            _body(ws, r, [r - 2, row.unit, row.project, row.year, f.code, f.path, f.message,
                          result.shown(row.path)], widths)
            r += 1
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A3"
    _landscape(ws, "2:2")


def write_exceptions(ws: Worksheet, result: Rollup) -> None:
    labels = ("类别", "文件", "原因")
    _title(ws, "重复与无法读取的文件", len(labels))
    _header(ws, 2, labels)
    widths = (10, 50, 70)
    r = 3
    for dup in result.duplicates:
        for path in dup.paths:
            _body(ws, r, ["重复", result.shown(path), dup.reason], widths)
            r += 1
    for bad in result.unreadable:
        _body(ws, r, ["无法读取", result.shown(bad.path), bad.reason], widths)
        r += 1
    if r == 3:
        _body(ws, r, ["—", "", "没有重复或无法读取的文件"])
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _landscape(ws, "2:2")


Step = Callable[[str, int, int], None]
"""Told each sheet before it is written: (what, done, total); 取消 raises from it."""


def build_workbook(result: Rollup, step: Step | None = None) -> Workbook:
    writers = (write_table, write_grade_chart, write_rate_chart, write_unit_chart,
               write_problems, write_exceptions)
    parts = tuple(zip(SHEETS, writers, strict=True))  # own.py knows 汇总.xlsx by its sheets
    wb = Workbook()
    for i, (title, write) in enumerate(parts):
        if step is not None:
            step(title, i, len(parts) + 1)
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        write(ws, result)
    if step is not None:
        step("保存", len(parts), len(parts) + 1)
    return wb


def stage_rollup(result: Rollup, target: Path, step: Step | None = None) -> Staged:
    """汇总.xlsx written beside ``target``, hidden, until :meth:`Staged.commit` puts it in
    place (:meth:`Staged.discard`, e.g. after 取消, leaves nothing): for the window's
    worker.  ``step`` is told each sheet."""
    wb = build_workbook(result, step)
    return stage_file(target, wb.save)


def write_rollup(result: Rollup, target: Path) -> None:
    """Write 汇总.xlsx atomically (ExportError with the reason when it cannot be written)."""
    stage_rollup(result, target).commit()


__all__ = ["build_workbook", "stage_rollup", "write_rollup"]
