"""A label merged from a sheet's print titles down: kept in the titles, on every page.

The 财政部/广东 自评表 merges 绩效指标 from the column headings (the sheet's print titles,
repeated on every page) down over the indicator rows.  Excel, WPS and LibreOffice print
a merged cell's text once, centred over the whole range: the label stands on the first
page, and every page the form continues onto prints rows under an empty first column.
So, as in the DOCX (``docx.split_at_headings``), the range is cut at the titles' end:
the label in the titles' part, repeated with them, and an empty part below it, the rule
between the two parts taken away so that the column reads as one cell.
"""

from __future__ import annotations

import copy
import re

from openpyxl.styles import Border, Side
from openpyxl.worksheet.worksheet import Worksheet


def _title_rows(ws: Worksheet) -> tuple[int, int] | None:
    nums = [int(x) for x in re.findall(r"\d+", ws.print_title_rows or "")]
    return (nums[0], nums[-1]) if nums else None


def _open(ws: Worksheet, row: int, col: int, edge: str) -> None:
    """No rule on ``edge`` (top or bottom) of the cell at ``row``, ``col``."""
    cell = ws.cell(row, col)
    border = copy.copy(cell.border) if cell.border is not None else Border()
    setattr(border, edge, Side(style=None))
    cell.border = border


def labels_in_title_rows(ws: Worksheet) -> list[tuple[int, int]]:
    """Cut every merged range of ``ws`` that starts in its print titles and runs on below
    them at the titles' last row: its text stays in the titles' part; return the (row,
    column) of each empty lower part's top-left cell."""
    rows = _title_rows(ws)
    if rows is None:
        return []
    last = rows[1]
    cut = []
    for rng in list(ws.merged_cells.ranges):
        if not rows[0] <= rng.min_row <= last < rng.max_row:
            continue
        top, left, bottom, right = rng.min_row, rng.min_col, rng.max_row, rng.max_col
        sides = [copy.copy(ws.cell(top, c).border) for c in range(left, right + 1)]
        ws.unmerge_cells(str(rng))
        for c, border in zip(range(left, right + 1), sides, strict=True):
            for r in range(top, bottom + 1):  # the range's left and right rules, kept
                cell = ws.cell(r, c)
                cell.border = Border(left=border.left if c == left else cell.border.left,
                                     right=border.right if c == right else cell.border.right,
                                     top=cell.border.top, bottom=cell.border.bottom)
        for c, border in zip(range(left, right + 1), sides, strict=True):
            cell = ws.cell(bottom, c)
            cell.border = Border(left=cell.border.left, right=cell.border.right,
                                 top=cell.border.top, bottom=border.bottom)
        if (last, right) != (top, left):
            ws.merge_cells(start_row=top, start_column=left, end_row=last, end_column=right)
        if (bottom, right) != (last + 1, left):
            ws.merge_cells(start_row=last + 1, start_column=left, end_row=bottom,
                           end_column=right)
        for c in range(left, right + 1):
            _open(ws, last, c, "bottom")
            _open(ws, last + 1, c, "top")
        cut.append((last + 1, left))
    return cut
