"""Where a filled form sheet's pages end, set as manual page breaks.

A sheet printed "fit to one page wide" (the 广东 自评表) is scaled by how wide its
columns are, and Excel, WPS and LibreOffice read a column's width differently (Excel
and WPS by the default font's digit, about 7 px a unit at Calibri/宋体 11; LibreOffice
measured about a third wider), so each program fitted a different number of rows on a
page and broke wherever that fell: LibreOffice's page 1 of the 广东 form ended inside the
效益指标 group, its label on page 2.

So the pages are cut here, once, for the largest scale a program may use (the narrowest
reading of the widths, capped at 100 %): each page then holds no more than every program
fits, none adds a break of its own, and all break at the same rows.  A block of rows
the template keeps together (``{%tr keep %}``, a 一级 group with its label) starts a new
page when the rest of the page cannot hold it; the column headings (the print titles)
repeat on every page after the first.

A sheet the template fits onto a number of pages (``fitToHeight`` ≥ 1, the 云南 评价表
on one page) is scaled by the program to hold everything: nothing to cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

PT_PER_INCH = 72.0
PAPER = {9: (595.28, 841.89), 8: (841.89, 1190.55), 11: (419.53, 595.28)}  # A4, A3, A5
DIGIT_PX = 7.0  # the digit of Calibri/宋体 11 at 96 dpi: Excel's unit of column width
PX_PT = 0.75
SHRINK = 0.9  # a one-page form printed down to 90 % rather than a page of a row or two


def _paper(ws: Worksheet) -> tuple[float, float]:
    width, height = PAPER.get(int(ws.page_setup.paperSize or 9), PAPER[9])
    if ws.page_setup.orientation == "landscape":
        width, height = height, width
    margins = ws.page_margins
    return (width - ((margins.left or 0) + (margins.right or 0)) * PT_PER_INCH,
            height - ((margins.top or 0) + (margins.bottom or 0)) * PT_PER_INCH)


def _area(ws: Worksheet) -> tuple[int, int, int]:
    """The print area's last column, first and last row."""
    found = re.findall(r"\$?([A-Z]+)\$?(\d+)", str(ws.print_area or ""))
    if len(found) >= 2:
        (_, top), (col, bottom) = found[0], found[-1]
        return column_index_from_string(col), int(top), int(bottom)
    return ws.max_column, 1, ws.max_row


def _column_pt(ws: Worksheet, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    width = dim.width if dim is not None and dim.width else (
        ws.sheet_format.defaultColWidth or 8.43)
    return int((256 * width + int(128 / DIGIT_PX)) / 256 * DIGIT_PX) * PX_PT


def largest_scale(ws: Worksheet) -> float | None:
    """The largest scale a program prints ``ws`` at; None where the program fits the
    sheet onto a set number of pages (nothing to cut)."""
    setup = ws.page_setup
    fits = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    if not fits:
        return (setup.scale or 100) / 100
    if setup.fitToHeight is None or int(setup.fitToHeight) != 0:
        return None
    wide = setup.fitToWidth is None or int(setup.fitToWidth) != 0
    last_col, _, _ = _area(ws)
    columns = sum(_column_pt(ws, c) for c in range(1, last_col + 1))
    return min(1.0, _paper(ws)[0] / columns) if wide and columns else 1.0


def _height(ws: Worksheet, row: int) -> float:
    dim = ws.row_dimensions.get(row)
    if dim is not None and dim.height:
        return float(dim.height)
    return float(ws.sheet_format.defaultRowHeight or 15)


def _titles(ws: Worksheet) -> tuple[int, int] | None:
    nums = [int(x) for x in re.findall(r"\d+", ws.print_title_rows or "")]
    return (nums[0], nums[-1]) if nums else None


def _blocks(ws: Worksheet, keeps: list[tuple[int, int]], top: int,
            bottom: int) -> list[tuple[int, int]]:
    """Rows to print on one page: the template's kept blocks and the rows under each
    merged label (a 一级 group under its name); an empty merged cell holds no label."""
    blocks = [(a, min(b, bottom)) for a, b in keeps if top <= a <= bottom]
    for merged in ws.merged_cells.ranges:
        if merged.max_row > merged.min_row and top <= merged.min_row <= bottom:
            if ws.cell(merged.min_row, merged.min_col).value not in (None, ""):
                blocks.append((merged.min_row, min(merged.max_row, bottom)))
    return sorted(blocks)


def _units(ws: Worksheet, keeps: list[tuple[int, int]], top: int, bottom: int,
           tallest: float, titles: tuple[int, int] | None) -> list[tuple[int, int]]:
    """The rows in print order as (first, last) units printed on one page: blocks that
    fit on a page grown to hold the blocks they overlap, the column headings with the
    unit after them."""
    def height(a: int, b: int) -> float:
        return sum(_height(ws, r) for r in range(a, b + 1))

    blocks = [(a, b) for a, b in _blocks(ws, keeps, top, bottom) if height(a, b) <= tallest]
    units: list[tuple[int, int]] = []
    row = top
    while row <= bottom:
        last = row
        grown = True
        while grown:
            grown = False
            for a, b in blocks:
                if row <= a <= last < b and height(row, b) <= tallest:
                    last, grown = b, True
            if titles and row <= titles[1] and last <= titles[1] and row >= titles[0] \
                    and last < bottom:
                last, grown = last + 1, True  # the headings go with the rows under them
        units.append((row, last))
        row = last + 1
    return _with_the_foot(units, blocks, height, tallest)


def _with_the_foot(units: list[tuple[int, int]], blocks: list[tuple[int, int]],
                   height: Callable[[int, int], float], tallest: float
                   ) -> list[tuple[int, int]]:
    """The rows after the last group (总分, 联系人, 注) printed with that group: a page
    never holds the repeated headings over the form's foot alone."""
    starts = {a for a, _ in blocks}
    last_group = max((i for i, (a, _) in enumerate(units) if a in starts), default=None)
    if last_group is None or last_group == len(units) - 1:
        return units
    first, end = units[last_group][0], units[-1][1]
    if height(first, end) > tallest:
        return units
    return [*units[:last_group], (first, end)]


def page_starts(ws: Worksheet, keeps: list[tuple[int, int]]) -> list[int]:
    """The rows that start a page after the first, for the largest scale."""
    scale = largest_scale(ws)
    if scale is None:
        return []
    room = _paper(ws)[1] / scale
    _, top, bottom = _area(ws)
    titles = _titles(ws)
    repeat = sum(_height(ws, r) for r in range(titles[0], titles[1] + 1)) if titles else 0.0
    starts: list[int] = []
    used = fresh = 0.0  # the page's height used; what it holds before any row
    for first, last in _units(ws, keeps, top, bottom, room - repeat, titles):
        need = sum(_height(ws, r) for r in range(first, last + 1))
        if used + need > room and used > fresh:
            starts.append(first)
            used = fresh = repeat if titles and first > titles[1] else 0.0  # the headings
        used += need
    return starts


def set_page_breaks(ws: Worksheet, keeps: list[tuple[int, int]]) -> None:
    """Manual page breaks before each page's first row (see the module's docstring); a
    sheet a little too long for one page (at most :data:`SHRINK` more) is fitted onto
    one page instead, as a form of one page is meant to print."""
    starts = page_starts(ws, keeps)
    if len(starts) == 1 and (scale := largest_scale(ws)) is not None:
        _, top, bottom = _area(ws)
        rows = sum(_height(ws, r) for r in range(top, bottom + 1))
        if rows * scale * SHRINK <= _paper(ws)[1]:
            ws.page_setup.fitToHeight = 1
            return
    if starts:
        ws.row_breaks = RowBreak(brk=[Break(id=r - 1) for r in starts])
