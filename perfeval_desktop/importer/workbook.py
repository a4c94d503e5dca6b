"""A filled Excel form as plain grids: each sheet's cells as text, and its merged ranges.

``.xlsx`` is read with openpyxl, twice: once for the formulas and once for the values an
office program cached when it saved the file.  A formula without a cached value (a file
this program exported and nobody opened since) gives its quoted text where it has some
(``="产出指标 ("&SUM(G16:G22)&"分)"`` → ``产出指标``) and is otherwise a *computed* cell
that the program recomputes anyway.  Old ``.xls`` files are read with xlrd (2.x reads
only .xls; its values are the cached results).
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..errors import PerfevalError

Pos = tuple[int, int]  # 1-based (row, column)

_LITERAL = re.compile(r'"((?:[^"]|"")*)"')


def exact(value: Decimal) -> Decimal:
    """``1E+1`` as ``10``: a whole number keeps its digits (as the .pfe file shows them)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def column_name(col: int) -> str:
    name = ""
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


@dataclass
class Sheet:
    name: str
    cells: dict[Pos, str] = field(default_factory=dict)  # non-empty texts
    computed: set[Pos] = field(default_factory=set)  # formulas without a value
    anchor_of: dict[Pos, Pos] = field(default_factory=dict)  # merged, non-anchor → anchor
    span: dict[Pos, Pos] = field(default_factory=dict)  # anchor → bottom-right
    _rows: dict[int, list[tuple[int, str]]] | None = field(default=None, repr=False)

    @property
    def max_row(self) -> int:
        return max((r for r, _c in [*self.cells, *self.computed]), default=0)

    def text(self, row: int, col: int) -> str:
        return self.cells.get((row, col), "")

    def is_continuation(self, row: int, col: int) -> bool:
        """A cell inside a merged range but not its top-left one."""
        return (row, col) in self.anchor_of

    def row_cells(self, row: int) -> list[tuple[int, str]]:
        """The texts of one row by column (an index built on first use: read-only after)."""
        if self._rows is None:
            self._rows = {}
            for (r, c), t in sorted(self.cells.items()):
                self._rows.setdefault(r, []).append((c, t))
        return self._rows.get(row, [])

    def where(self, row: int, col: int) -> str:
        return f"工作表“{self.name}”第 {row} 行 {column_name(col)} 列（{column_name(col)}{row}）"


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        d = Decimal(repr(value))
        return format(d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize(), "f")
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip()


def formula_text(formula: str) -> str:
    """The label a text formula shows: its first quoted part, without a trailing “(”."""
    found = _LITERAL.search(formula)
    if not found:
        return ""
    return found.group(1).replace('""', '"').strip().rstrip("(（").strip()


def _read_xlsx(path: Path) -> list[Sheet]:
    """Both workbooks read-only (streamed: fast), the merged ranges from the sheet XML
    (openpyxl's full mode restyles every merged range's borders on loading: slow)."""
    import openpyxl

    formulas = openpyxl.load_workbook(path, data_only=False, read_only=True)
    values = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        with zipfile.ZipFile(path) as archive:
            return [_xlsx_sheet(ws, values[ws.title], archive) for ws in formulas.worksheets]
    finally:
        formulas.close()
        values.close()


def _xlsx_sheet(ws: Any, cached_ws: Any, archive: zipfile.ZipFile) -> Sheet:
    sheet = Sheet(ws.title)
    cached = {(c.row, c.column): c.value for row in cached_ws.iter_rows() for c in row
              if getattr(c, "value", None) is not None}
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            pos = (cell.row, cell.column)
            if isinstance(value, str) and value.startswith("="):
                value = cached.get(pos)
                if value is None:
                    value = formula_text(str(cell.value))
                    if not value:
                        sheet.computed.add(pos)
            text = _text(value)
            if text:
                sheet.cells[pos] = text
    for r0, c0, r1, c1 in _merged_ranges(archive, ws._worksheet_path):
        _merge(sheet, r0, c0, r1, c1)
    return sheet


def _merged_ranges(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    from openpyxl.utils.cell import range_boundaries

    out = []
    with archive.open(member) as stream:
        for _event, element in ElementTree.iterparse(stream):
            if element.tag.endswith("}mergeCell") or element.tag == "mergeCell":
                c0, r0, c1, r1 = range_boundaries(element.get("ref", ""))
                out.append((r0, c0, r1, c1))
            element.clear()
    return out


def _merge(sheet: Sheet, r0: int, c0: int, r1: int, c1: int) -> None:
    sheet.span[(r0, c0)] = (r1, c1)
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            if (r, c) != (r0, c0):
                sheet.anchor_of[(r, c)] = (r0, c0)
                sheet.cells.pop((r, c), None)


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True)
    sheets = []
    for ws in book.sheets():
        sheet = Sheet(ws.name)
        for r in range(ws.nrows):
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                value: Any = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_BOOLEAN):
                    value = None
                text = _text(value)
                if text:
                    sheet.cells[(r + 1, c + 1)] = text
        for r0, r1, c0, c1 in ws.merged_cells:
            _merge(sheet, r0 + 1, c0 + 1, r1, c1)
        sheets.append(sheet)
    return sheets


def read_workbook(path: Path) -> list[Sheet]:
    """Every sheet of an .xlsx/.xlsm or .xls file (ImportFileError in Chinese otherwise)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
        if suffix == ".xls":
            return _read_xls(path)
    except FileNotFoundError as exc:
        raise ImportFileError(f"找不到文件“{path}”，请检查文件名和文件夹。") from exc
    except PermissionError as exc:
        raise ImportFileError(
            f"无法读取“{path.name}”：文件正被其他程序占用或没有权限。关闭 Excel/WPS 后重试。"
        ) from exc
    except Exception as exc:  # a damaged or mislabelled file: openpyxl/xlrd raise anything
        raise ImportFileError(
            f"无法读取“{path.name}”：文件已损坏，或不是 Excel 表格（{type(exc).__name__}）。"
            "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。"
        ) from exc
    raise ImportFileError(
        f"“{path.name}”不是 Excel 表格。请选择 .xlsx 或 .xls 文件；"
        "WPS 的 .et 文件请先另存为 .xlsx。"
    )


class ImportFileError(PerfevalError):
    """An Excel file that cannot be read at all."""
