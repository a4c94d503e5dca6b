"""The private attributes of python-docx and openpyxl that the export needs, in one place.

Checked against python-docx 1.2.0 and openpyxl 3.1.5 (constraints.txt pins them;
tests/export/test_libs.py fails when another version is installed, so that an upgrade
looks here first, and when a module outside this one reaches into their privates).

- python-docx has no public way from its proxy objects (Paragraph, Run, Table, a
  section's footer) to their XML element, which the paper layout edits directly (field
  codes, text boxes, rows moved between tables), nor to the story a proxy belongs to;
- openpyxl has no public way to list a worksheet's cells without creating the empty ones
  in between, to drop them all (a sheet rebuilt row by row), nor to copy a cell's whole
  style (font, border, fill, number format, alignment, protection) as one value; and its
  ``merge_cells`` hashes whole Border objects for every cell on a merge's edges, which was
  most of the time of filling a form (:func:`merge_cells` does the same work once per
  distinct border).
"""

from __future__ import annotations

from typing import Any

DOCX_VERSION = "1.2.0"
OPENPYXL_VERSION = "3.1.5"


# ---- python-docx ---------------------------------------------------------------------------


def xml(proxy: Any) -> Any:
    """The XML element behind a python-docx proxy (``Paragraph._p``, ``Run._r``,
    ``Table._tbl``, a header's or footer's ``_element``: all are ``_element``)."""
    return proxy._element


def story(proxy: Any) -> Any:
    """The object a python-docx proxy belongs to (its ``_parent``): what a new proxy on
    an element of the same story is made with."""
    return proxy._parent


def section_xml(section: Any) -> Any:
    """The ``w:sectPr`` element behind a python-docx ``Section`` (its ``_sectPr``)."""
    return section._sectPr


def document_part(section: Any) -> Any:
    """The document part a python-docx ``Section`` belongs to (its ``_document_part``): what
    a ``Section`` on another ``w:sectPr`` of the same document is made with."""
    return section._document_part


# ---- openpyxl ------------------------------------------------------------------------------


def cells(ws: Any) -> dict[tuple[int, int], Any]:
    """A worksheet's cells by (row, column), only those that exist (``ws._cells``; the
    dict itself: clearing it empties the sheet)."""
    table: dict[tuple[int, int], Any] = ws._cells
    return table


def style_of(cell: Any) -> Any:
    """A cell's whole style as one value (``cell._style``, a StyleArray), to copy."""
    return cell._style


def set_style(cell: Any, style: Any) -> None:
    """Give ``cell`` the whole style ``style`` (a StyleArray of the same workbook)."""
    cell._style = style


class MergeSums:
    """The border and protection sums :func:`merge_cells` made in one workbook: each sum of
    two styles of its lists (by index) once, then the index it got — the lists only grow,
    and an equal value always gets the index the first one got (``IndexedList.add``)."""

    def __init__(self, wb: Any) -> None:
        self.borders = wb._borders
        self.protections = wb._protections
        self.done: dict[tuple[Any, ...], int] = {}

    def border(self, base: int, name: str, other: int) -> int:
        """``borders[base] + Border(name=borders[other].name)`` (``name`` "corner": the
        right and bottom of ``other``), as an index of the list."""
        key = (base, name, other)
        if key not in self.done:
            from openpyxl.styles.borders import Border

            side = self.borders[other]
            added = Border(right=side.right, bottom=side.bottom) if name == "corner" \
                else Border(**{name: getattr(side, name)})
            self.done[key] = self.borders.add(self.borders[base] + added)
        return self.done[key]

    def protection(self, of: int) -> int:
        """The index ``copy(protections[of])`` gets."""
        key = ("protection", of)
        if key not in self.done:
            import copy

            self.done[key] = self.protections.add(copy.copy(self.protections[of]))
        return self.done[key]


def merge_cells(ws: Any, r1: int, c1: int, r2: int, c2: int, sums: MergeSums) -> None:
    """``ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)`` as
    openpyxl 3.1.5 does it (``MergedCellRange.__init__`` and ``_get_borders``,
    ``Worksheet._clean_merge_range``, ``MergedCellRange.format``): the same cells, styles
    and style lists, each sum of two styles made once (``sums``)
    (tests/export/test_xlsx_merge_speed.py compares them)."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergedCellRange

    cells = ws._cells
    mcr = MergedCellRange.__new__(MergedCellRange)  # its __init__ without _get_borders:
    mcr.ws = ws
    CellRange.__init__(mcr, min_col=c1, min_row=r1, max_col=c2, max_row=r2)
    start = cells.get((r1, c1))
    if start is None:
        start = ws.cell(row=r1, column=c1)
    mcr.start_cell = start
    if start._style is None:  # (reading a cell's border gives it a style array)
        start._style = StyleArray()
    end = cells.get((r2, c2))
    if end is not None:  # the corner's right and bottom borders on the anchor
        if end._style is None:
            end._style = StyleArray()
        start._style.borderId = sums.border(start._style.borderId, "corner",
                                            end._style.borderId)
    ws.merged_cells.add(mcr)
    for r in range(r1, r2 + 1):  # _clean_merge_range: each covered cell a new MergedCell
        for c in range(c1, c2 + 1):
            if (r, c) != (r1, c1):
                cells[r, c] = MergedCell(ws, r, c)
    for name in ("top", "left", "right", "bottom"):  # format(): the anchor's edges
        anchor = start._style.borderId  # as it is before this edge (the anchor is on it)
        side = getattr(sums.borders[anchor], name)
        if side and side.style is None:
            continue
        for coord in getattr(mcr, name):
            cell = cells[coord]
            if cell._style is None:
                cell._style = StyleArray()
            cell._style.borderId = sums.border(cell._style.borderId, name, anchor)
    protection = sums.protection(start._style.protectionId)
    for coord in mcr.cells:
        cell = cells[coord]
        if cell._style is None:
            cell._style = StyleArray()
        cell._style.protectionId = protection
