"""Grids → an .xlsx workbook (one sheet per grid), printable as the paper form.

Page setup follows spec §6: A4, landscape where the grid says so, fitted to one page
wide, header rows repeated, every table cell bordered, 宋体.  Derived numbers carry live
formulas (``wb.calculation.fullCalcOnLoad``: Excel, WPS and LibreOffice compute them when
the file is opened) — openpyxl itself stores no computed values.

The look is a :class:`SheetStyle`; a template folder may hold ``styles.xlsx`` (made by
``scripts/build_xlsx_styles.py``) whose sheet ``样式`` a bureau restyles in Excel or WPS:
the font of cell B2 is the title font, B3 the table font and size, B3's border colour the
grid's, and the sheet's own page margins and footer are used for every form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .grid import Cell, Grid, Kind, Line, wrapped_lines
from .xlsx_values import Cached, store_values

TABLE_FONT = "宋体"
TITLE_FONT = "黑体"
MM_PER_INCH = Decimal("25.4")


def _inches(mm: int | float) -> float:
    return float(Decimal(str(mm)) / MM_PER_INCH)


STYLE_FILE = "styles.xlsx"
STYLE_SHEET = "样式"


@dataclass(frozen=True)
class SheetStyle:
    """What a bureau may restyle in the exported workbooks (see the module docstring)."""

    title_font: str = TITLE_FONT
    table_font: str = TABLE_FONT
    table_size: float = 10.5  # the body size; every size of a form scales with it
    border_color: str = "000000"
    margins_mm: tuple[float, float, float, float] = (15, 15, 20, 20)  # left right top bottom
    footer: str = "第 &P 页 共 &N 页"

    @property
    def border(self) -> Border:
        side = Side(style="thin", color=self.border_color)
        return Border(left=side, right=side, top=side, bottom=side)


DEFAULT_STYLE = SheetStyle()


def load_style(path: Path) -> SheetStyle:
    """The style held by a ``styles.xlsx``; a missing or broken file is a TemplateError."""
    from ..errors import TemplateError

    try:
        wb = load_workbook(str(path))
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TemplateError(
            f"表格样式文件 {path} 无法读取（{exc}）。请用 Excel/WPS 重新保存为 .xlsx，"
            "或删除该文件以使用默认样式。"
        ) from exc
    if STYLE_SHEET not in wb.sheetnames:
        raise TemplateError(
            f"表格样式文件 {path} 中没有名为“{STYLE_SHEET}”的工作表。请不要重命名该工作表。"
        )
    ws = wb[STYLE_SHEET]
    title, table = ws["B2"].font, ws["B3"].font
    color = ws["B3"].border.left.color
    rgb = color.rgb if color is not None and isinstance(color.rgb, str) else "FF000000"
    m = ws.page_margins
    mm = [round(float(v) * 25.4, 1) for v in (m.left, m.right, m.top, m.bottom)]
    footer = ws.oddFooter.center.text or DEFAULT_STYLE.footer
    return SheetStyle(
        title_font=title.name or TITLE_FONT,
        table_font=table.name or TABLE_FONT,
        table_size=float(table.sz) if table.sz else DEFAULT_STYLE.table_size,
        border_color=rgb[-6:],
        margins_mm=(mm[0], mm[1], mm[2], mm[3]),
        footer=footer,
    )


def write_style_file(path: Path, style: SheetStyle = DEFAULT_STYLE) -> None:
    """A ``styles.xlsx`` holding ``style``, with a note on what each cell controls."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = STYLE_SHEET
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 30
    ws["A1"] = (
        "本表控制导出的 Excel 表格的样式：修改 B 列单元格的字体、字号、边框颜色，"
        "以及本工作表的页边距和页脚。"
    )
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 48
    ws["A2"] = "标题字体（如“黑体”）"
    ws["B2"] = "项目支出绩效自评表"
    ws["B2"].font = Font(name=style.title_font, size=16, bold=True)
    ws["A3"] = "表格字体、字号、边框颜色"
    ws["B3"] = "年度资金总额 1155.50"
    ws["B3"].font = Font(name=style.table_font, size=style.table_size)
    ws["B3"].border = style.border
    ws["A4"] = "页边距与页脚：在“页面设置”中修改本工作表的设置"
    left, right, top, bottom = style.margins_mm
    ws.page_margins.left, ws.page_margins.right = _inches(left), _inches(right)
    ws.page_margins.top, ws.page_margins.bottom = _inches(top), _inches(bottom)
    ws.oddFooter.center.text = style.footer
    wb.save(str(path))


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


def _line_row(
    ws: Worksheet, row: int, line: Line, n_cols: int, style: SheetStyle = DEFAULT_STYLE
) -> None:
    parts = line.parts or [""]
    k = len(parts)
    bounds = [round(i * n_cols / k) for i in range(k + 1)]
    font = Font(
        name=style.title_font if line.role in ("title", "heading") else style.table_font,
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


def write_sheet(ws: Worksheet, grid: Grid, style: SheetStyle = DEFAULT_STYLE) -> None:
    n_cols = grid.n_cols
    scale = style.table_size / DEFAULT_STYLE.table_size  # 12 pt → every size × 12/10.5
    size = grid.font_size * scale
    border = style.border
    for i, width in enumerate(grid.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = round(width * scale, 1)
    for i, line in enumerate(grid.title_lines, start=1):
        _line_row(ws, i, line, n_cols, style)

    top = grid.table_top
    n_rows = grid.n_rows
    # style every table cell first (borders survive merging), then values, then merges
    for r in range(n_rows):
        for k in range(n_cols):
            cell = ws.cell(row=top + r, column=k + 1)
            cell.border = border
            cell.font = Font(name=style.table_font, size=size)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c in grid.cells:
        cell = ws.cell(row=top + c.row, column=c.col + 1, value=_value(c))
        if not c.formula and isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # typed text such as "=6339…" is text, not a formula
        cell.font = Font(name=style.table_font, size=(c.size or grid.font_size) * scale,
                         bold=c.bold)
        cell.alignment = Alignment(horizontal=c.horizontal, vertical="center", wrap_text=True)
        cell.number_format = number_format(c)
        cell.border = border
    for c in grid.cells:
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(start_row=top + c.row, start_column=c.col + 1,
                           end_row=top + c.last_row, end_column=c.last_col + 1)
    # merging re-borders only the outer edges of a range: give every cell all four sides,
    # so that any office program draws the full grid whatever it reads
    for row in ws.iter_rows(min_row=top, max_row=top + n_rows - 1, max_col=n_cols):
        for cell in row:
            cell.border = border
    for r, height in enumerate(_row_heights(grid)):
        ws.row_dimensions[top + r].height = round(height * scale, 1)

    foot = top + n_rows + 1  # one empty row between table and footer
    for i, line in enumerate(grid.footer_lines):
        _line_row(ws, foot + i, line, n_cols, style)
    last_row = foot + len(grid.footer_lines) - 1 if grid.footer_lines else top + n_rows - 1

    page_setup(ws, grid.orientation == "landscape", style)
    if grid.repeat_rows:
        first = top + grid.repeat_from
        ws.print_title_rows = f"{first}:{first + grid.repeat_rows - 1}"
    ws.print_area = f"A1:{get_column_letter(n_cols)}{last_row}"


def page_setup(ws: Worksheet, landscape: bool, style: SheetStyle = DEFAULT_STYLE) -> None:
    """A4, fitted to one page wide, centred, the style's margins and 第 &P 页 共 &N 页."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = (
        ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    )
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    left, right, top_mm, bottom = style.margins_mm
    ws.page_margins.left, ws.page_margins.right = _inches(left), _inches(right)
    ws.page_margins.top, ws.page_margins.bottom = _inches(top_mm), _inches(bottom)
    ws.page_margins.header = ws.page_margins.footer = _inches(8)
    ws.oddFooter.center.text = style.footer
    ws.oddFooter.center.font = style.table_font
    ws.oddFooter.center.size = 10
    ws.sheet_view.showGridLines = False


def style_for(folder: Path | None) -> SheetStyle:
    """The style of a template folder: its ``styles.xlsx``, else the defaults."""
    if folder is None or not (folder / STYLE_FILE).is_file():
        return DEFAULT_STYLE
    return load_style(folder / STYLE_FILE)


def write_xlsx(
    grids: list[tuple[str, Grid]], path: Path, style: SheetStyle = DEFAULT_STYLE
) -> None:
    """Write one sheet per (sheet name, grid) to ``path`` (overwritten)."""
    wb = Workbook()
    default = wb.active
    used: set[str] = set()
    values: dict[str, Mapping[str, Cached]] = {}
    for name, grid in grids:
        ws = wb.create_sheet(_sheet_title(name or grid.name, used))
        write_sheet(ws, grid, style)
        values[ws.title] = grid_values(grid)
    if default is not None and grids:
        wb.remove(default)
    wb.calculation.fullCalcOnLoad = True  # Excel and WPS recalculate on opening …
    wb.save(str(path))
    store_values(path, values)  # … and every other reader sees the values


def grid_values(grid: Grid) -> dict[str, Cached]:
    """The result of each formula of ``grid`` ({A1: value}): the number it prints, else
    its text (a grade)."""
    return {grid.a1(c.row, c.col): (c.value if c.value is not None and c.kind is not Kind.LABEL
                                    else c.text)
            for c in grid.cells if c.formula}
