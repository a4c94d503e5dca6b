"""A DOCX table read back for the in-app layout: its cells on the grid, borders, margins.

Word writes a table as rows of cells, a cell spanning columns (``w:gridSpan``) or merged
with the cells under it (``w:vMerge``), on a grid of column widths (``w:tblGrid``); the
borders and margins come from the cell, else the table, else the table style.  Read here
as Word resolves them, for :mod:`.qt_document` to build the Qt table.  No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from .docx_read import DEFAULT_CELL_PADDING_PT, TWIPS_PER_PT, toggle, wattr, wchild


@dataclass
class TableGrid:
    """A table's rows (``w:tr``) and cells: (row, column) → (``w:tc``, columns spanned),
    the rows each vertical merge spans (by its first cell), the column widths in twips
    (never all 0) and how many rows repeat as headings."""

    rows: list[Any]
    cells: dict[tuple[int, int], tuple[Any, int]]
    row_spans: dict[tuple[int, int], int]
    widths: list[int]
    header_rows: int

    @property
    def columns(self) -> int:
        return len(self.widths)


def table_grid(tbl: Any) -> TableGrid | None:
    """The cells of the table ``tbl`` on its grid (None: a table without rows)."""
    grid = [int(wattr(g, "w:w") or 0) for g in tbl.iter(qn("w:gridCol"))]
    rows = list(tbl.iterchildren(qn("w:tr")))
    if not rows:
        return None
    # the cells: (row, col) → (tc, colspan); vertical merges counted afterwards
    cells: dict[tuple[int, int], tuple[Any, int]] = {}
    restart: dict[tuple[int, int], int] = {}
    n_cols = len(grid)
    header_rows = 0
    for r, tr in enumerate(rows):
        trpr = wchild(tr, "w:trPr")
        if r == header_rows and trpr is not None and toggle(wchild(trpr, "w:tblHeader")):
            header_rows += 1
        col = int(wattr(wchild(trpr, "w:gridBefore"), "w:val") or 0) if trpr is not None else 0
        for tc in tr.iterchildren(qn("w:tc")):
            tcpr = wchild(tc, "w:tcPr")
            span = int(wattr(wchild(tcpr, "w:gridSpan"), "w:val") or 1)
            vmerge = wchild(tcpr, "w:vMerge")
            if vmerge is not None and wattr(vmerge, "w:val") != "restart":
                above = next((k for k in range(r - 1, -1, -1) if (k, col) in restart), None)
                if above is not None:
                    restart[(above, col)] += 1
            else:
                cells[(r, col)] = (tc, span)
                if vmerge is not None:
                    restart[(r, col)] = 1
            col += span
        n_cols = max(n_cols, col)
    if not grid or len(grid) < n_cols:
        grid = (grid + [0] * n_cols)[:n_cols]
    if not any(grid):
        grid = [1] * n_cols
    return TableGrid(rows, cells, restart, grid, header_rows)


def cell_borders(tbl: Any, tc: Any, outer: dict[str, bool]) -> dict[str, float]:
    """Width in points of each edge of cell ``tc`` (0: none): the cell's own borders,
    else the table's (outer edges, or insideH / insideV), else the table style's grid."""
    own = wchild(wchild(tc, "w:tcPr"), "w:tcBorders")
    tblpr = wchild(tbl, "w:tblPr")
    table = wchild(tblpr, "w:tblBorders")
    styled = wchild(tblpr, "w:tblStyle") is not None
    out: dict[str, float] = {}
    for edge in ("top", "bottom", "left", "right"):
        inside = "insideH" if edge in ("top", "bottom") else "insideV"
        el = wchild(own, f"w:{edge}")
        if el is None:
            el = wchild(table, f"w:{edge if outer[edge] else inside}")
        if el is None:
            out[edge] = 0.5 if styled else 0.0
            continue
        val = wattr(el, "w:val") or "single"
        size = wattr(el, "w:sz")
        out[edge] = 0.0 if val in ("nil", "none") else (
            max(int(size) / 8, 0.25) if size and size.isdigit() else 0.5)
    return out


def cell_padding(el: Any, base: tuple[float, float, float, float] | None = None
                 ) -> tuple[float, float, float, float]:
    """Cell margins (top, right, bottom, left) in points: ``tblCellMar`` of a table or
    ``tcMar`` of a cell over ``base``."""
    pr = wchild(el, "w:tblPr") if el.tag == qn("w:tbl") else wchild(el, "w:tcPr")
    mar = wchild(pr, "w:tblCellMar") if el.tag == qn("w:tbl") else wchild(pr, "w:tcMar")
    out = list(base or DEFAULT_CELL_PADDING_PT)
    for i, edges in enumerate((("top",), ("right", "end"), ("bottom",), ("left", "start"))):
        for edge in edges:
            m = wchild(mar, f"w:{edge}")
            value = wattr(m, "w:w")
            if value and value.isdigit() and wattr(m, "w:type") in (None, "dxa"):
                out[i] = int(value) / TWIPS_PER_PT
    return out[0], out[1], out[2], out[3]
