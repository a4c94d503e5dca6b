"""A small, format-neutral description of a printed form table.

A :class:`Grid` is what a form looks like on paper — title lines, a table of cells with
merges, footer lines, column widths, page orientation — with no knowledge of XLSX or
DOCX.  A form template's sheet filled with a report (:mod:`.xlsx_template`) gives its
grid; the DOCX writers (:mod:`.docx`, :mod:`.report_docx`) print it.

Every number is printed from ``Cell.text`` (already formatted by
:mod:`perfeval_desktop.scoring.rounding`).  For XLSX a cell may also carry ``value``
(the exact ``Decimal`` that the text shows) and ``formula`` (a live formula in A1
notation, referring to other cells of the same grid by :meth:`Grid.a1`), whose result is
expected to equal ``value``.  Layout measures (column widths, font sizes) are floats:
they are never printed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Literal

from openpyxl.utils import get_column_letter

Align = Literal["left", "center", "right"]
Orientation = Literal["landscape", "portrait"]
FontRole = Literal["title", "heading", "body"]


class Kind(str, Enum):
    """What a cell holds; writers pick number formats and alignment from it."""

    LABEL = "label"  # a printed caption of the form (项目名称, 分值 …)
    TEXT = "text"  # free text typed by the clerk
    NUMBER = "number"  # a weight or score: 94, 3.5 (General)
    AMOUNT = "amount"  # money in 万元, as typed (1155.5, 228.50) unless a cell fixes its places
    PERCENT = "percent"  # a rate stored as a fraction, printed 60.7%


@dataclass
class Cell:
    """One (possibly merged) cell; ``row``/``col`` are 0-based inside the table."""

    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    kind: Kind = Kind.TEXT
    align: Align | None = None  # None: by kind (labels/numbers centred, text left)
    bold: bool = False
    size: float | None = None  # pt; None: the grid's font size
    value: Decimal | None = None  # the exact number ``text`` shows (number kinds)
    formula: str | None = None  # XLSX: "=SUM(G20:G22)"; its result should equal value/text
    number_format: str | None = None  # XLSX: overrides the kind's default format
    decimals: int = 2  # AMOUNT / PERCENT: decimals printed

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1

    @property
    def horizontal(self) -> Align:
        if self.align is not None:
            return self.align
        return "left" if self.kind is Kind.TEXT else "center"


@dataclass
class Line:
    """A line of text above or below the table.

    With several ``parts`` the line is divided into equal columns (联系人 … | 联系电话 … |
    单位负责人签名 …); a single part is aligned by ``align``.
    """

    parts: list[str]
    align: Align = "center"
    bold: bool = False
    size: float = 10.5
    role: FontRole = "body"

    @property
    def text(self) -> str:
        return "    ".join(self.parts)


@dataclass
class Grid:
    """A form: title lines, the table, footer lines and page setup."""

    columns: list[float]  # column widths in (Latin) characters; a CJK character counts 2
    cells: list[Cell] = field(default_factory=list)
    title_lines: list[Line] = field(default_factory=list)
    footer_lines: list[Line] = field(default_factory=list)
    orientation: Orientation = "landscape"
    # the column headings repeated on every page the table runs onto: ``repeat_rows`` rows
    # from table row ``repeat_from`` (一级指标 | 二级指标 | … under the 项目名称 block)
    repeat_rows: int = 0
    repeat_from: int = 0
    # row ranges (first, last; inclusive) to keep on one page where they fit on one
    keep_together: list[tuple[int, int]] = field(default_factory=list)
    font_size: float = 10.5
    # pt: the height of a one-line table row as the form draws it (its template's row
    # height); the DOCX lays table lines exactly this far apart less the cell margins.
    # None: as the font needs (a line of 1.3 em or so)
    row_height: float | None = None
    # mm, top, bottom, left, right: a form printed on one page (its sheet fits one page
    # tall) keeps its own margins in every writer; None: the writer's
    margins_mm: tuple[float, float, float, float] | None = None
    name: str = ""  # e.g. the sheet name

    @property
    def n_cols(self) -> int:
        return len(self.columns)

    @property
    def n_rows(self) -> int:
        return max((c.last_row + 1 for c in self.cells), default=0)

    def add(self, cell: Cell) -> Cell:
        if cell.last_col >= self.n_cols:
            raise ValueError(f"cell at ({cell.row}, {cell.col}) spans past column {self.n_cols}")
        self.cells.append(cell)
        return cell

    def at(self, row: int, col: int) -> Cell | None:
        """The cell whose merged area covers (row, col)."""
        for c in self.cells:
            if c.row <= row <= c.last_row and c.col <= col <= c.last_col:
                return c
        return None

    @property
    def table_top(self) -> int:
        """1-based sheet row of the table's first row: the title lines come first, one a row.

        Writers must keep this layout, since formulas refer to cells by :meth:`a1`.
        """
        return len(self.title_lines) + 1

    def a1(self, row: int, col: int) -> str:
        """A1 reference (sheet coordinates) of table cell (row, col)."""
        return f"{get_column_letter(col + 1)}{self.table_top + row}"

    def anchors(self) -> dict[tuple[int, int], Cell]:
        return {(c.row, c.col): c for c in self.cells}

    def check(self) -> None:
        """Raise ValueError when two cells overlap (a template bug)."""
        seen: dict[tuple[int, int], Cell] = {}
        for c in self.cells:
            for r in range(c.row, c.last_row + 1):
                for k in range(c.col, c.last_col + 1):
                    if (r, k) in seen:
                        raise ValueError(f"cells overlap at row {r}, column {k}")
                    seen[(r, k)] = c


def display_width(text: str) -> int:
    """Width of ``text`` in Latin characters: wide (CJK) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (estimate)."""
    usable = max(width - 0.5, 2.0)
    total = 0
    for para in text.split("\n") or [""]:
        w = display_width(para)
        n = 1
        while w > usable * n:
            n += 1
        total += n
    return max(total, 1)
