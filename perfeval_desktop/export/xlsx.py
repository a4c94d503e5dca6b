"""Grids → an .xlsx workbook (one sheet per grid), printable as the paper form.

Page setup follows spec §6: A4, landscape where the grid says so, fitted to one page
wide, header rows repeated, every table cell bordered, 宋体.  Derived numbers carry live
formulas (``wb.calculation.fullCalcOnLoad``: Excel, WPS and LibreOffice compute them when
the file is opened) — openpyxl itself stores no computed values.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .grid import Cell, Grid, Kind, Line, wrapped_lines

TABLE_FONT = "宋体"
TITLE_FONT = "黑体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MM_PER_INCH = Decimal("25.4")


def _inches(mm: int) -> float:
    return float(Decimal(mm) / MM_PER_INCH)


def number_format(cell: Cell) -> str:
    if cell.number_format:
        return cell.number_format
    if cell.kind is Kind.AMOUNT:
        return "0." + "0" * cell.decimals if cell.decimals else "0"
    if cell.kind is Kind.PERCENT:
        return ("0." + "0" * cell.decimals if cell.decimals else "0") + "%"
    if cell.kind is Kind.NUMBER:
        return "General"
    return "@"


def _value(cell: Cell) -> str | Decimal | None:
    if cell.formula:
        return cell.formula if cell.formula.startswith("=") else "=" + cell.formula
    if cell.value is not None and cell.kind in (Kind.NUMBER, Kind.AMOUNT, Kind.PERCENT):
        return Decimal(format(cell.value, "f"))  # no exponent notation in the file
    return cell.text or None


def _line_height(size: float) -> float:
    return size * 1.4


def _row_heights(grid: Grid) -> list[float]:
    """Row heights in points, enough for the wrapped text of every cell."""
    line = _line_height(grid.font_size)
    heights = [line + 6.0] * grid.n_rows
    for c in grid.cells:
        if c.rowspan == 1:
            width = sum(grid.columns[c.col : c.last_col + 1])
            need = wrapped_lines(c.text, width) * _line_height(c.size or grid.font_size) + 6.0
            heights[c.row] = max(heights[c.row], need)
    for c in grid.cells:  # vertically merged cells: spread what is missing
        if c.rowspan > 1:
            width = sum(grid.columns[c.col : c.last_col + 1])
            need = wrapped_lines(c.text, width) * _line_height(c.size or grid.font_size) + 6.0
            have = sum(heights[c.row : c.last_row + 1])
            if need > have:
                extra = (need - have) / c.rowspan
                for r in range(c.row, c.last_row + 1):
                    heights[r] += extra
    return heights


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "Sheet"
    title = title[:31]
    base, n = title, 2
    while title in used:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def _line_row(ws: Worksheet, row: int, line: Line, n_cols: int) -> None:
    parts = line.parts or [""]
    k = len(parts)
    bounds = [round(i * n_cols / k) for i in range(k + 1)]
    font = Font(
        name=TITLE_FONT if line.role in ("title", "heading") else TABLE_FONT,
        size=line.size, bold=line.bold,
    )
    for i, text in enumerate(parts):
        first, last = bounds[i] + 1, bounds[i + 1]
        cell = ws.cell(row=row, column=first, value=text or None)
        cell.font = font
        cell.alignment = Alignment(horizontal=line.align if k == 1 else "left",
                                   vertical="center", wrap_text=False)
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    ws.row_dimensions[row].height = _line_height(line.size) + 8.0


def write_sheet(ws: Worksheet, grid: Grid) -> None:
    n_cols = grid.n_cols
    for i, width in enumerate(grid.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for i, line in enumerate(grid.title_lines, start=1):
        _line_row(ws, i, line, n_cols)

    top = grid.table_top
    n_rows = grid.n_rows
    # style every table cell first (borders survive merging), then values, then merges
    for r in range(n_rows):
        for k in range(n_cols):
            cell = ws.cell(row=top + r, column=k + 1)
            cell.border = BORDER
            cell.font = Font(name=TABLE_FONT, size=grid.font_size)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c in grid.cells:
        cell = ws.cell(row=top + c.row, column=c.col + 1, value=_value(c))
        cell.font = Font(name=TABLE_FONT, size=c.size or grid.font_size, bold=c.bold)
        cell.alignment = Alignment(horizontal=c.horizontal, vertical="center", wrap_text=True)
        cell.number_format = number_format(c)
        cell.border = BORDER
    for c in grid.cells:
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(start_row=top + c.row, start_column=c.col + 1,
                           end_row=top + c.last_row, end_column=c.last_col + 1)
    # merging re-borders only the outer edges of a range: give every cell all four sides,
    # so that any office program draws the full grid whatever it reads
    for row in ws.iter_rows(min_row=top, max_row=top + n_rows - 1, max_col=n_cols):
        for cell in row:
            cell.border = BORDER
    for r, height in enumerate(_row_heights(grid)):
        ws.row_dimensions[top + r].height = round(height, 1)

    foot = top + n_rows + 1  # one empty row between table and footer
    for i, line in enumerate(grid.footer_lines):
        _line_row(ws, foot + i, line, n_cols)
    last_row = foot + len(grid.footer_lines) - 1 if grid.footer_lines else top + n_rows - 1

    # page setup
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = (
        ws.ORIENTATION_LANDSCAPE if grid.orientation == "landscape" else ws.ORIENTATION_PORTRAIT
    )
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = _inches(15)
    ws.page_margins.top = _inches(20)
    ws.page_margins.bottom = _inches(20)
    ws.page_margins.header = ws.page_margins.footer = _inches(8)
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = TABLE_FONT
    ws.oddFooter.center.size = 10
    if grid.repeat_rows:
        ws.print_title_rows = f"{top}:{top + grid.repeat_rows - 1}"
    ws.print_area = f"A1:{get_column_letter(n_cols)}{last_row}"
    ws.sheet_view.showGridLines = False


def write_xlsx(grids: list[tuple[str, Grid]], path: Path) -> None:
    """Write one sheet per (sheet name, grid) to ``path`` (overwritten)."""
    wb = Workbook()
    default = wb.active
    used: set[str] = set()
    for name, grid in grids:
        ws = wb.create_sheet(_sheet_title(name or grid.name, used))
        write_sheet(ws, grid)
    if default is not None and grids:
        wb.remove(default)
    wb.calculation.fullCalcOnLoad = True
    wb.save(str(path))
