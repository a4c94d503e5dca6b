"""Filling the 附件 forms from an ordinary Excel workbook a bureau can restyle: ``forms.xlsx``.

A template folder may hold ``forms.xlsx`` with one worksheet per form, named as the form
(``项目支出绩效自评表``) or by its key (``附件1``).  A form of which a report has several —
the 第三方 score table of each first-level indicator (表2 决策指标评分表, 表3 …, as many as
the report has) — is drawn once, on a sheet named as its kind (``一级指标评分表``): each
of them is filled from a copy, with its own ``附件标识``/``表名`` (表2, 决策指标评分表) and
``本表一级指标`` naming the indicator it is about; a sheet named after one of them (``表3``)
draws that one alone.  The sheet is the printed form drawn in Excel or WPS — fonts,
borders, merged cells, column widths, row heights, page set-up, print titles, footer —
with placeholders where the report's values go:

``{{ 项目名称 }}``
    a value of the report (the names are listed by ``perfeval-desktop templates --help``
    and in the README).  A cell holding only one placeholder takes the value's type: a
    number is written as a number, with a live formula where the value is computed from
    other cells of the sheet (sums, 执行率, 得分率, 总分, 等次 …) — the template itself
    never needs a formula.  A number in a cell formatted with fixed decimals (``0.00``)
    prints them in Word too (3 → 3.00), as Excel shows it.  Text around placeholders
    (``（{{ 年度 }} 年度）``) is kept.
``{%tr for 行 in 指标行 %}`` … ``{%tr endfor %}``
    in any cell of a row of its own: the rows between are repeated for every item
    (indicator rows, funding kinds, problems, evaluators …); the two marker rows are not
    printed.  ``{%tr if 条件 %}`` … ``{%tr endif %}`` prints rows only where the
    condition holds.  Loops nest; inside, ``loop.index`` counts from 1.
``{%tr keep %}`` … ``{%tr endkeep %}``
    the rows between are printed on one page where they fit on one;
    ``{%tr keep with next %}`` keeps them with the row printed after them too (a
    heading and the table header with the first indicator row).
``{%tc for 项 in 一级指标 %}`` … ``{%tc endfor %}``
    in cells of a row of its own (not printed): the columns from the first marker's to
    the second's (both may be in one cell) are repeated for every item, left to right,
    with their widths (a column per first-level indicator); merges across them stretch,
    merges inside them repeat.  Their cells name the item (``{{ 项.名称 }}``).
``{%vm 键 %}`` at the start of a cell in a repeated row
    merges the cell with the same cell of the following rows while ``键`` stays the same
    (the 一级/二级指标 cells of the indicator tree: ``{%vm 行.一级 %}{{ 行.一级.标签 }}``);
    ``{%vm %}`` without a key merges equal texts.
``{%hm 条件 %}`` at the start of a cell
    merges the cell into the one on its left where the condition holds (a two-level
    indicator's name spanning the 二级 and 三级 columns).

A merged range of the template is repeated with its row when it lies inside a repeated
row, and stretched over all the repetitions when it spans them (as Excel does when rows
are inserted); print titles and the print area follow.  Cell styles, column widths and
the page set-up are the template's own; row heights grow where wrapped text needs it.

The same filled sheet is also turned into a :class:`~.grid.Grid` (bordered rows are the
table, the rows above and below it the title and footer lines), which the DOCX and PDF
writers print — so Word, PDF and Excel show one form.

Expressions run in Jinja's immutable sandbox: a template can read the values it is given
and nothing else.  Any problem raises :class:`~perfeval_desktop.errors.TemplateError`
naming the file, the sheet, the cell and the placeholder.

Why not a library: xltpl (0.21, the maintained XLSX templating package) was evaluated.
It renders with an ordinary, unsandboxed Jinja environment, pulls in xlrd/xlwt, copies
formulas unchanged when rows repeat, and has no notion of merging a tree's cells by key;
the form rules above are small enough to own on top of openpyxl.
"""

from __future__ import annotations

import copy
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.formula.tokenizer import TokenizerError
from openpyxl.formula.translate import Translator
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import TemplateError
from ..scoring.rounding import amount, as_typed, plain
from . import libs
from .grid import Align, Cell, Grid, Kind, Line, wrapped_lines
from .live import Key, Live, Placed
from .print_titles import labels_in_title_rows
from .sandbox import BudgetedSandbox, BudgetExceeded, deadline
from .template_safety import check_formula, check_package
from .xlsx_pages import set_page_breaks
from .xlsx_values import Cached

FORMS_FILE = "forms.xlsx"

_MARKER = re.compile(r"^\s*{%-?\s*tr\s+(.*?)\s*-?%}\s*$", re.DOTALL)
_PREFIX = re.compile(r"^\s*{%-?\s*(vm|hm)\b\s*(.*?)\s*-?%}", re.DOTALL)
_ONLY = re.compile(r"^{{((?:(?!}}|{{|{%).)*)}}\s*$", re.DOTALL)
_FOR = re.compile(r"^for\s+(\w+)\s+in\s+(.+)$", re.DOTALL)
_IF = re.compile(r"^if\s+(.+)$", re.DOTALL)
_TC = re.compile(r"{%-?\s*tc\s+(.*?)\s*-?%}", re.DOTALL)
_FIXED = re.compile(r"^0(?:\.(0+))?$")
# what a template expression can raise on odd data (an index past the end, a loop)
_EXPRESSION_ERRORS = (JinjaTemplateError, TypeError, ValueError, ArithmeticError, LookupError,
                      AttributeError, RecursionError, BudgetExceeded)
_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def environment() -> ImmutableSandboxedEnvironment:
    """The sandbox: no ``_`` attributes, no mutation, no undefined names, budgets on size,
    counts and loops (sandbox.py)."""
    return BudgetedSandbox(undefined=StrictUndefined, autoescape=False)


# ---- the template's structure ---------------------------------------------------------


@dataclass
class _Rows:
    """A run of rows: the sheet itself, a loop body or a conditional body."""

    items: list[int | _Loop | _If | _Keep] = field(default_factory=list)


@dataclass
class _Loop:
    var: str
    expr: str
    row: int  # the marker row
    body: _Rows = field(default_factory=_Rows)
    first: int = 0  # the body's template rows
    last: int = 0


@dataclass
class _If:
    expr: str
    row: int
    body: _Rows = field(default_factory=_Rows)


@dataclass
class _Keep:
    row: int
    body: _Rows = field(default_factory=_Rows)
    with_next: bool = False  # kept with the row printed after the block too


@dataclass
class _OutRow:
    tpl: int  # template row
    out: int  # sheet row written
    lineage: tuple[tuple[int, int], ...]  # (loop marker row, iteration) of enclosing loops
    context: dict[str, Any]


@dataclass
class _Out:
    """A written cell: what it shows, how it was made."""

    row: int
    col: int
    text: str = ""
    value: Any = None  # what goes into the sheet cell
    kind: Kind = Kind.TEXT
    live: Live | None = None
    formula_text: str | None = None  # a formula the template typed (translated)
    decimals: int = 2
    vm_key: Any = None
    vm: bool = False
    hm: bool = False


class _Where:
    """Names the place of a problem in error messages."""

    def __init__(self, shown: str, sheet: str) -> None:
        self.shown, self.sheet = shown, sheet

    def __call__(self, row: int, col: int) -> str:
        return f"模板 {self.shown} 工作表“{self.sheet}”单元格 {get_column_letter(col)}{row}"


def _marker(ws: Worksheet, row: int, max_col: int) -> str | None:
    for col in range(1, max_col + 1):
        v = ws.cell(row, col).value
        if isinstance(v, str):
            m = _MARKER.match(v)
            if m:
                return m.group(1).strip()
    return None


def _structure(ws: Worksheet, where: _Where, skip: int | None = None
               ) -> tuple[_Rows, list[_Loop]]:
    root = _Rows()
    stack: list[tuple[_Rows, _Loop | _If | _Keep | None]] = [(root, None)]
    loops: list[_Loop] = []
    max_col = ws.max_column
    for row in range(1, ws.max_row + 1):
        if row == skip:  # the {%tc %} row: not printed
            continue
        stmt = _marker(ws, row, max_col)
        current, _owner = stack[-1]
        if stmt is None:
            current.items.append(row)
            continue
        if m := _FOR.match(stmt):
            loop = _Loop(m.group(1), m.group(2).strip(), row, first=row + 1)
            current.items.append(loop)
            loops.append(loop)
            stack.append((loop.body, loop))
        elif m := _IF.match(stmt):
            cond = _If(m.group(1).strip(), row)
            current.items.append(cond)
            stack.append((cond.body, cond))
        elif (words := " ".join(stmt.split())) in ("keep", "keep with next"):
            keep = _Keep(row, with_next=words != "keep")
            current.items.append(keep)
            stack.append((keep.body, keep))
        elif stmt in _OPENERS:
            owner = stack[-1][1]
            wanted, opener = _OPENERS[stmt]
            if not isinstance(owner, wanted):
                raise TemplateError(
                    f"{where(row, 1)}：{{%tr {stmt} %}} 没有对应的 "
                    f"{{%tr {opener} %}}。请检查标记行是否成对。"
                )
            if isinstance(owner, _Loop):
                owner.last = row - 1
            stack.pop()
        else:
            raise TemplateError(
                f"{where(row, 1)}：不认识的行标记 {{%tr {stmt} %}}。"
                "可用：{%tr for 行 in 列表 %}、{%tr endfor %}、{%tr if 条件 %}、{%tr endif %}、"
                "{%tr keep %}（或 {%tr keep with next %}）、{%tr endkeep %}。"
            )
    if len(stack) > 1:
        owner = stack[-1][1]
        assert owner is not None
        word = next(k for k, (kind, _o) in _OPENERS.items() if isinstance(owner, kind))
        raise TemplateError(f"{where(owner.row, 1)}：标记行缺少对应的 {{%tr {word} %}}。")
    return root, loops


_OPENERS: dict[str, tuple[type, str]] = {
    "endfor": (_Loop, "for … in …"),
    "endif": (_If, "if …"),
    "endkeep": (_Keep, "keep"),
}


# ---- repeated columns ----------------------------------------------------------------------


@dataclass
class _ColLoop:
    var: str
    expr: str
    first: int  # the template columns repeated
    last: int


def _column_loops(ws: Worksheet, where: _Where) -> tuple[int | None, list[_ColLoop]]:
    """The ``{%tc for … %}`` … ``{%tc endfor %}`` row and its loops, left to right."""
    row_of: int | None = None
    loops: list[_ColLoop] = []
    open_: _ColLoop | None = None
    for (r, c), cell in sorted(libs.cells(ws).items()):
        v = cell.value
        if not isinstance(v, str) or "{%" not in v:
            continue
        tags = _TC.findall(v)
        if not tags:
            continue
        if _TC.sub("", v).strip():
            raise TemplateError(f"{where(r, c)}：列标记 {{%tc … %}} 要单独写在单元格中。")
        if row_of is None:
            row_of = r
        elif r != row_of:
            raise TemplateError(
                f"{where(r, c)}：列标记 {{%tc … %}} 要都写在同一行（第 {row_of} 行）。")
        for stmt in (t.strip() for t in tags):
            if m := _FOR.match(stmt):
                if open_ is not None:
                    raise TemplateError(f"{where(r, c)}：列循环不能嵌套，请先写 {{%tc endfor %}}。")
                open_ = _ColLoop(m.group(1), m.group(2).strip(), c, c)
            elif stmt == "endfor":
                if open_ is None:
                    raise TemplateError(
                        f"{where(r, c)}：{{%tc endfor %}} 没有对应的 {{%tc for … in … %}}。")
                open_.last = c
                loops.append(open_)
                open_ = None
            else:
                raise TemplateError(
                    f"{where(r, c)}：不认识的列标记 {{%tc {stmt} %}}。"
                    "可用：{%tc for 项 in 列表 %}、{%tc endfor %}。")
    if open_ is not None:
        raise TemplateError(
            f"{where(row_of or 1, open_.first)}：列标记缺少对应的 {{%tc endfor %}}。")
    return row_of, loops


def _expand_columns(ws: Worksheet, filler: _Filler) -> int | None:
    """Repeat the columns of each ``{%tc for %}`` loop for every item, in place.

    The cells, styles and widths of the repeated columns are copied; merges inside the
    repeated columns are repeated, merges across them stretched.  ``filler.columns`` gets
    the loop variable of every repeated sheet column.  Returns the marker row (not printed).
    """
    row_of, loops = _column_loops(ws, filler.where)
    if row_of is None or not loops:
        return row_of
    max_col = ws.max_column
    widths = _column_widths(ws, max_col)
    plan: list[tuple[int, dict[str, Any] | None]] = []  # new column: template column, names
    col = 1
    for loop in loops:
        plan += [(c, None) for c in range(col, loop.first)]
        seq = filler.evaluate(loop.expr, filler.context, row_of, loop.first)
        if isinstance(seq, (str, bytes)) or not isinstance(seq, Iterable | None):
            raise TemplateError(
                f"{filler.where(row_of, loop.first)}：{{%tc for {loop.var} in {loop.expr} %}} "
                f"中的“{loop.expr}”不是可以逐列列出的内容。")
        values = list(seq or [])
        for i, item in enumerate(values):
            names = {loop.var: item, "loop": {"index": i + 1, "index0": i, "first": i == 0,
                                              "last": i == len(values) - 1,
                                              "length": len(values)}}
            plan += [(c, names) for c in range(loop.first, loop.last + 1)]
        col = loop.last + 1
    plan += [(c, None) for c in range(col, max_col + 1)]

    by_col: dict[int, list[tuple[int, Any, StyleArray]]] = {}
    for (r, c), cell in libs.cells(ws).items():
        by_col.setdefault(c, []).append((r, cell.value, copy.copy(libs.style_of(cell))))
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    libs.cells(ws).clear()
    for key in list(ws.column_dimensions.keys()):
        del ws.column_dimensions[key]
    copies: dict[int, list[int]] = {}
    for new, (c, bound) in enumerate(plan, start=1):
        copies.setdefault(c, []).append(new)
        ws.column_dimensions[get_column_letter(new)].width = widths[c - 1]
        for r, value, style in by_col.get(c, []):
            cell = ws.cell(r, new)
            cell.value = None if r == row_of else value
            libs.set_style(cell, copy.copy(style))
        if bound is not None:
            filler.columns[new] = bound
    for r1, c1, r2, c2 in merges:
        inside = any(lp.first <= c1 and c2 <= lp.last for lp in loops)
        if inside:  # repeated with its columns
            spans = list(zip(copies.get(c1, []), copies.get(c2, []), strict=False))
        else:  # stretched over the repetitions
            news = [n for n, (c, _names) in enumerate(plan, start=1) if c1 <= c <= c2]
            spans = [(min(news), max(news))] if news else []
        for a, b in spans:
            if (r1, a) != (r2, b):
                ws.merge_cells(start_row=r1, start_column=a, end_row=r2, end_column=b)
    return row_of


# ---- filling ----------------------------------------------------------------------------


class _Filler:
    def __init__(self, ws: Worksheet, context: Mapping[str, Any], where: _Where) -> None:
        self.ws = ws
        self.context = dict(context)
        self.where = where
        self.env = environment()
        self.rows: list[_OutRow] = []
        self.keeps: list[tuple[int, int]] = []  # sheet rows to print on one page
        self.with_next: set[int] = set()  # indexes of keeps extended to the next row
        self.columns: dict[int, dict[str, Any]] = {}  # names of a repeated column
        self._compiled: dict[str, Any] = {}  # each expression compiled once per sheet …
        self._templates: dict[str, Template] = {}  # … and each text with {{ }} (a row repeated)

    def at(self, ctx: dict[str, Any], col: int) -> dict[str, Any]:
        """The names of a cell: its row's, and its column's in a repeated column."""
        names = self.columns.get(col)
        return ctx if names is None else {**ctx, **names}

    # expressions
    def _fail(self, exc: Exception, row: int, col: int, text: str) -> TemplateError:
        place = self.where(row, col)
        m = _NAME.search(str(exc))
        name = (m.group(1) or m.group(2)) if m else ""
        if isinstance(exc, SecurityError) or name.startswith("_"):
            return TemplateError(
                f"{place} 中的 {text.strip()} 试图访问程序内部，为安全起见不允许。"
                f"请删除它，只使用这些占位符：{available(self.context)}。"
            )
        if isinstance(exc, UndefinedError):
            name = name or str(exc)
            return TemplateError(
                f"{place} 中的占位符 {text.strip()} 用了不存在的名称“{name}”。"
                f"可用：{available(self.context)}。"
            )
        return TemplateError(
            f"{place} 中的 {text.strip()} 无法计算（{exc}）。"
            "请检查 {{ }} 与 {% %} 是否成对、名称是否写对。"
        )

    def evaluate(self, expr: str, ctx: Mapping[str, Any], row: int, col: int) -> Any:
        try:
            fn = self._compiled.get(expr)
            if fn is None:
                fn = self.env.compile_expression(expr, undefined_to_none=False)
                self._compiled[expr] = fn
            value = fn(**ctx)
            if hasattr(value, "_undefined_name") or type(value).__name__ == "StrictUndefined":
                str(value)  # raises UndefinedError
            return value
        except _EXPRESSION_ERRORS as exc:
            raise self._fail(exc, row, col, "{{ " + expr + " }}") from exc

    def render(self, text: str, ctx: Mapping[str, Any], row: int, col: int) -> str:
        try:
            template = self._templates.get(text)
            if template is None:
                template = self._templates[text] = self.env.from_string(text)
            return template.render(**ctx)
        except _EXPRESSION_ERRORS as exc:
            raise self._fail(exc, row, col, text) from exc

    # rows
    def expand(self, rows: _Rows, ctx: dict[str, Any],
               lineage: tuple[tuple[int, int], ...]) -> None:
        for item in rows.items:
            if isinstance(item, int):
                self.rows.append(_OutRow(item, len(self.rows) + 1, lineage, ctx))
            elif isinstance(item, _Loop):
                seq = self.evaluate(item.expr, ctx, item.row, 1)
                if seq is None:
                    seq = []
                if isinstance(seq, (str, bytes)) or not isinstance(seq, Iterable):
                    raise TemplateError(
                        f"{self.where(item.row, 1)}：{{%tr for {item.var} in {item.expr} %}} "
                        f"中的“{item.expr}”不是可以逐行列出的内容。"
                    )
                values = list(seq)
                for i, value in enumerate(values):
                    inner = dict(ctx)
                    inner[item.var] = value
                    inner["loop"] = {"index": i + 1, "index0": i, "first": i == 0,
                                     "last": i == len(values) - 1, "length": len(values)}
                    self.expand(item.body, inner, (*lineage, (item.row, i)))
            elif isinstance(item, _Keep):
                first = len(self.rows) + 1
                self.expand(item.body, ctx, lineage)
                if len(self.rows) >= first:
                    if item.with_next:
                        self.with_next.add(len(self.keeps))
                    self.keeps.append((first, len(self.rows)))
            elif self.evaluate(item.expr, ctx, item.row, 1):
                self.expand(item.body, ctx, lineage)


@dataclass
class _TplCell:
    value: Any
    style: StyleArray
    number_format: str = "General"


def available(context: Mapping[str, Any]) -> str:
    names = [k for k in context if k != "loop"]
    return "、".join(names[:40]) + ("……" if len(names) > 40 else "")


def _column_widths(ws: Worksheet, n: int) -> list[float]:
    default = ws.sheet_format.defaultColWidth or 8.43
    widths = [float(default)] * n
    for dim in ws.column_dimensions.values():
        if dim.width is None or (not dim.customWidth and dim.width == 13):
            continue
        lo = dim.min or column_index_from_string(dim.index)
        hi = dim.max or lo
        for c in range(lo, min(hi, n) + 1):
            widths[c - 1] = float(dim.width)
    return widths


def _rows_of(title_rows: str | None) -> tuple[int, int] | None:
    if not title_rows:
        return None
    nums = [int(x) for x in re.findall(r"\d+", title_rows)]
    return (nums[0], nums[-1]) if nums else None


@dataclass
class FilledSheet:
    """The sheet written in place, the same form as a Grid, and the result of each formula
    written ({A1: value}, for :func:`~.xlsx_values.store_values`)."""

    grid: Grid
    values: dict[str, Cached] = field(default_factory=dict)


def fill_sheet(ws: Worksheet, context: Mapping[str, Any], shown: str) -> FilledSheet:
    """Fill ``ws`` (a template sheet) in place with ``context``; return its Grid.

    Within the sandbox's time budget: a template still running after it is stopped with
    a TemplateError naming the file and sheet."""
    try:
        with deadline():
            return _fill_sheet(ws, context, shown)
    except BudgetExceeded as exc:
        raise TemplateError(
            f"表格模板 {shown} 的“{ws.title}”工作表无法填写：{exc}。请简化模板中的占位符。"
        ) from exc


@dataclass
class _Sheet:
    """The template sheet as drawn, taken before it is rewritten: its cells (value, style,
    number format), row heights, merges, print titles and column widths."""

    max_col: int
    tpl: dict[tuple[int, int], _TplCell]
    heights: dict[int, float]
    merges: list[tuple[int, int, int, int]]
    title_rows: tuple[int, int] | None
    widths: list[float]


def _snapshot(ws: Worksheet) -> _Sheet:
    max_col = ws.max_column
    tpl = {(r, c): _TplCell(cell.value, copy.copy(libs.style_of(cell)), cell.number_format)
           for (r, c), cell in list(libs.cells(ws).items())}
    return _Sheet(
        max_col, tpl,
        {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None},
        [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges],
        _rows_of(ws.print_title_rows), _column_widths(ws, max_col))


def _evaluate_cells(filler: _Filler, sheet: _Sheet,
                    out_rows: list[_OutRow]) -> dict[tuple[int, int], _Out]:
    """Every cell of the filled rows, evaluated."""
    cells: dict[tuple[int, int], _Out] = {}
    for orow in out_rows:
        for col in range(1, sheet.max_col + 1):
            t = sheet.tpl.get((orow.tpl, col))
            if t is None or t.value is None:
                continue
            cells[(orow.out, col)] = _evaluate(filler, t.value, orow, col, sheet.widths,
                                               t.number_format)
    return cells


def _merges(cells: dict[tuple[int, int], _Out], sheet: _Sheet, loops: list[_Loop],
            out_rows: list[_OutRow]) -> list[tuple[int, int, int, int]]:
    """The merges of the filled sheet: the template's, then {%vm%} and {%hm%}."""
    out_merges = _template_merges(sheet.merges, loops, out_rows)
    covered = _covered(out_merges)
    out_merges = _vertical_merges(cells, out_merges, covered)
    return _horizontal_merges(cells, out_merges)


def _covered(merges: list[tuple[int, int, int, int]]) -> set[tuple[int, int]]:
    """The cells under a merge other than its anchor."""
    return {(r, c) for (r1, c1, r2, c2) in merges
            for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}


def _clear(ws: Worksheet) -> None:
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    libs.cells(ws).clear()
    for key in list(ws.row_dimensions.keys()):
        del ws.row_dimensions[key]


def _write_cells(ws: Worksheet, sheet: _Sheet, out_rows: list[_OutRow],
                 cells: dict[tuple[int, int], _Out],
                 out_merges: list[tuple[int, int, int, int]]) -> dict[Key, Placed]:
    """The filled cells written over the cleared sheet, with their styles and merges;
    returns where each live value landed."""
    style_at: dict[tuple[int, int], StyleArray] = {}
    for orow in out_rows:
        for col in range(1, sheet.max_col + 1):
            t = sheet.tpl.get((orow.tpl, col))
            if t is not None:
                style_at[(orow.out, col)] = t.style
    hidden = _covered(out_merges)
    for (r, c), style in style_at.items():
        libs.set_style(ws.cell(r, c), copy.copy(style))
    placed: dict[Key, Placed] = {}
    for (r, c), out in cells.items():
        if (r, c) in hidden:
            continue
        cell = ws.cell(r, c)
        cell.value = out.value
        if out.formula_text is None and isinstance(out.value, str):
            cell.data_type = "s"  # a typed text starting with = is text, not a formula
        if out.live is not None and cell.number_format == "General":
            cell.number_format = _format_of(out.live)
        if out.live is not None and out.live.key is not None and out.live.key not in placed:
            placed[out.live.key] = Placed(r, c, out.live.number)
    sums = libs.MergeSums(ws.parent)
    for (r1, c1, r2, c2) in out_merges:
        libs.merge_cells(ws, r1, c1, r2, c2, sums)  # ws.merge_cells(…), its sums once
        for r in range(r1, r2 + 1):  # keep each covered cell's own borders
            for c in range(c1, c2 + 1):
                style = style_at.get((r, c))
                if style is not None and isinstance(ws.cell(r, c), MergedCell):
                    libs.set_style(ws.cell(r, c), copy.copy(style))
    return placed


def _write_formulas(ws: Worksheet, sheet: _Sheet, cells: dict[tuple[int, int], _Out],
                    out_merges: list[tuple[int, int, int, int]],
                    placed: dict[Key, Placed]) -> dict[str, Cached]:
    """Each live value's formula over the cells it landed in; returns each formula's
    result, as the form prints it."""
    anchors = {(r1, c1): (r1, c1, r2, c2) for (r1, c1, r2, c2) in out_merges}
    hidden = _covered(out_merges)
    values: dict[str, Cached] = {}
    for (r, c), out in cells.items():
        if out.live is not None and (r, c) not in hidden:
            width = _span_width(sheet.widths, anchors.get((r, c)), c)
            formula = out.live.fitted(width)[1]
            resolved = formula.resolve(placed) if formula is not None else None
            if resolved is not None:
                ws.cell(r, c).value = resolved
                values[f"{get_column_letter(c)}{r}"] = _result(out)
    return values


def _fill_sheet(ws: Worksheet, context: Mapping[str, Any], shown: str) -> FilledSheet:
    where = _Where(shown, ws.title)
    filler = _Filler(ws, context, where)
    skip = _expand_columns(ws, filler)
    root, loops = _structure(ws, where, skip)
    sheet = _snapshot(ws)

    filler.expand(root, filler.context, ())
    out_rows = filler.rows
    filler.keeps = [(a, min(b + 1, len(out_rows)) if i in filler.with_next else b)
                    for i, (a, b) in enumerate(filler.keeps)]
    cells = _evaluate_cells(filler, sheet, out_rows)
    out_merges = _merges(cells, sheet, loops, out_rows)

    _clear(ws)
    placed = _write_cells(ws, sheet, out_rows, cells, out_merges)
    values = _write_formulas(ws, sheet, cells, out_merges, placed)

    grid = _grid(ws, cells, out_merges, sheet.widths, out_rows, sheet.title_rows)
    table_top = _table_top(ws, len(out_rows), grid.n_cols)
    grid.keep_together = [(a - table_top, min(b, table_top + grid.n_rows - 1) - table_top)
                          for a, b in filler.keeps if table_top <= a < table_top + grid.n_rows]
    grid.row_height = _one_line_height(out_rows, sheet.heights, table_top, grid.n_rows)
    _row_heights(ws, grid, out_rows, sheet.heights, cells)
    if sheet.title_rows is not None:
        first, last = sheet.title_rows
        mapped = [o.out for o in out_rows if first <= o.tpl <= last]
        ws.print_title_rows = f"{min(mapped)}:{max(mapped)}" if mapped else None
        labels_in_title_rows(ws)  # 绩效指标 printed with the titles on every page
    if out_rows:
        ws.print_area = f"A1:{get_column_letter(sheet.max_col)}{len(out_rows)}"
    set_page_breaks(ws, filler.keeps)  # the same pages in Excel, WPS and LibreOffice
    return FilledSheet(grid, values)


def _result(out: _Out) -> Cached:
    """What a live formula gives: the number it computes, else the text it prints."""
    if out.live is not None and out.live.kind not in (Kind.LABEL, Kind.TEXT):
        number = out.live.number
        return number if number is not None else ""
    return out.text


def typed_format(number: Decimal | None) -> str:
    """The number format that shows ``number`` as typed (General where it has no decimals)."""
    exponent = number.as_tuple().exponent if number is not None else 0
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "General"


def _format_of(live: Live) -> str:
    """The format of a value placed in a General cell: amounts as typed, rates with the
    decimals the form prints."""
    digits = "0." + "0" * live.decimals if live.decimals else "0"
    if live.kind is Kind.AMOUNT:
        return typed_format(live.number)
    if live.kind is Kind.PERCENT:
        return digits + "%"
    return "General"


def _span_width(widths: list[float], merge: tuple[int, int, int, int] | None, col: int) -> float:
    if merge is None:
        return widths[col - 1]
    return sum(widths[merge[1] - 1 : merge[3]])


def _moved_formula(filler: _Filler, text: str, tpl_row: int, row: int, col: int) -> str:
    """A formula the template typed, moved to its output row; refused when it reaches out."""
    check_formula(text, filler.where(tpl_row, col))
    try:
        moved = Translator(text, origin=f"{get_column_letter(col)}{tpl_row}")
        return str(moved.translate_formula(f"{get_column_letter(col)}{row}"))
    except (TokenizerError, ValueError, IndexError) as exc:
        raise TemplateError(
            f"{filler.where(tpl_row, col)} 的公式 {text} 无法识别（{exc}）。"
            "请在 Excel 中改正该公式，或改为占位符。"
        ) from exc


def _evaluate(filler: _Filler, raw: Any, orow: _OutRow, col: int,
              widths: list[float], number_format: str = "General") -> _Out:
    row = orow.out
    out = _Out(row, col)
    ctx = filler.at(orow.context, col)
    if not isinstance(raw, str):
        out.value = raw
        if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
            out.kind, out.text = Kind.NUMBER, plain(Decimal(str(raw)))
        else:
            out.kind, out.text = Kind.LABEL, str(raw)
        return out
    text = raw
    while m := _PREFIX.match(text):
        word, arg = m.group(1), m.group(2).strip()
        text = text[m.end():]
        if word == "vm":
            out.vm = True
            out.vm_key = (filler.evaluate(arg, ctx, orow.tpl, col) if arg
                          else None)
            if arg:
                out.vm_key = _identity(out.vm_key)
        else:
            out.hm = bool(filler.evaluate(arg, ctx, orow.tpl, col)) if arg else True
    if text.startswith("="):
        out.value = out.formula_text = _moved_formula(filler, text, orow.tpl, row, col)
        out.kind = Kind.NUMBER
        return out
    if "{{" not in text and "{%" not in text:
        out.value = text or None
        out.text, out.kind = text, Kind.LABEL
        return out
    m = _ONLY.match(text)
    if m:
        value = filler.evaluate(m.group(1).strip(), ctx, orow.tpl, col)
        _set_value(out, value, widths[col - 1], number_format)
    else:
        rendered = filler.render(text, ctx, orow.tpl, col)
        out.value = rendered or None
        out.text, out.kind = rendered, Kind.TEXT
    if out.vm and out.vm_key is None:
        out.vm_key = ("text", out.text)
    return out


def _identity(value: Any) -> Any:
    if isinstance(value, Mapping):
        return ("id", value.get("id", id(value)))
    try:
        hash(value)
    except TypeError:
        return ("obj", id(value))
    return value


def _fixed(number_format: str) -> int | None:
    """The decimals of a fixed number format (``0.00`` → 2), None for any other."""
    m = _FIXED.match(number_format)
    return None if m is None else len(m.group(1) or "")


def _set_value(out: _Out, value: Any, width: float, number_format: str = "General") -> None:
    fixed = _fixed(number_format)
    if value is None:
        out.value, out.text = None, ""
        return
    if isinstance(value, Live):
        out.live = value
        out.kind = value.kind
        out.decimals = value.decimals
        text, _formula = value.fitted(width)
        out.text = text
        if value.kind in (Kind.LABEL, Kind.TEXT):
            out.value = text or None
        else:
            number = value.number
            out.value = Decimal(format(number, "f")) if number is not None else None
            if fixed is not None and number is not None and value.kind is Kind.NUMBER:
                out.text = amount(number, fixed)  # as the cell's 0.00 shows it
            elif number is not None and value.kind is Kind.AMOUNT:
                # a fixed format prints its decimals; General prints the amount as typed
                out.text = amount(number, fixed) if fixed is not None else as_typed(number)
        return
    if isinstance(value, bool):
        out.value = out.text = "是" if value else "否"
        return
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
        out.kind = Kind.NUMBER
        out.text = plain(number) if fixed is None else amount(number, fixed)
        out.value = number
        return
    out.text = str(value)
    out.value = out.text or None
    out.kind = Kind.TEXT


def _template_merges(merges: list[tuple[int, int, int, int]], loops: list[_Loop],
                     rows: list[_OutRow]) -> list[tuple[int, int, int, int]]:
    """Each template merge per repetition of its innermost loop, or stretched over it."""
    out: list[tuple[int, int, int, int]] = []
    for r1, c1, r2, c2 in merges:
        scope = [lp for lp in loops if lp.first <= r1 and r2 <= lp.last]
        inner = max(scope, key=lambda lp: lp.first) if scope else None
        groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
        for o in rows:
            if not r1 <= o.tpl <= r2:
                continue
            if inner is None:
                key: tuple[tuple[int, int], ...] = ()
            else:
                depth = next((i for i, (marker, _n) in enumerate(o.lineage)
                              if marker == inner.row), None)
                if depth is None:
                    continue
                key = o.lineage[: depth + 1]
            groups.setdefault(key, []).append(o.out)
        for outs in groups.values():
            lo, hi = min(outs), max(outs)
            if (lo, c1) != (hi, c2):
                out.append((lo, c1, hi, c2))
    return out


def _vertical_merges(cells: dict[tuple[int, int], _Out],
                     merges: list[tuple[int, int, int, int]],
                     covered: set[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    by_anchor = {(m[0], m[1]): m for m in merges}
    result = list(merges)
    columns: dict[int, list[_Out]] = {}
    for (r, c), out in sorted(cells.items()):
        if out.vm and (r, c) not in covered:
            columns.setdefault(c, []).append(out)
    for col, outs in columns.items():
        outs.sort(key=lambda o: o.row)
        run: list[_Out] = []

        def flush(run: list[_Out], col: int = col) -> None:
            if len(run) < 2:
                return
            first, last = run[0], run[-1]
            spans = [by_anchor.get((o.row, col)) for o in run]
            c2 = max((s[3] for s in spans if s is not None), default=col)
            for s in spans:
                if s is not None and s in result:
                    result.remove(s)
            result.append((first.row, col, last.row, c2))
            for o in run[1:]:
                o.value, o.text, o.live = None, "", None

        for o in outs:
            if run and o.row == run[-1].row + 1 and o.vm_key == run[-1].vm_key:
                run.append(o)
            else:
                flush(run)
                run = [o]
        flush(run)
    return result


def _horizontal_merges(cells: dict[tuple[int, int], _Out],
                       merges: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    result = list(merges)
    for (r, c), out in sorted(cells.items()):
        if not out.hm or c == 1:
            continue
        left = next((m for m in result if m[0] <= r <= m[2] and m[1] <= c - 1 <= m[3]),
                    (r, c - 1, r, c - 1))
        rows = range(left[0], left[2] + 1)
        if not all((cells.get((rr, c)) is not None and cells[(rr, c)].hm) for rr in rows):
            continue
        if left in result:
            result.remove(left)
        result.append((left[0], left[1], left[2], max(left[3], c)))
        for rr in rows:
            gone = cells[(rr, c)]
            gone.value, gone.text, gone.live, gone.hm = None, "", None, False
    return result


# ---- the Grid view ------------------------------------------------------------------------


def _bordered(ws: Worksheet, r: int, c: int) -> bool:
    b = ws.cell(r, c).border
    return any(side is not None and side.style for side in (b.left, b.right, b.top, b.bottom))


def _align(ws: Worksheet, r: int, c: int) -> Align | None:
    h = ws.cell(r, c).alignment.horizontal
    return h if h in ("left", "center", "right") else None


def _role(font_name: str | None, size: float, bold: bool = False) -> str:
    if font_name and ("黑" in font_name or "标宋" in font_name):
        return "title" if size >= 16 or bold else "heading"
    return "body"


def _line(ws: Worksheet, cells: dict[tuple[int, int], _Out], hidden: set[tuple[int, int]],
          max_col: int, r: int) -> Line | None:
    """Row ``r`` above or below the table as a line of text (title, 填报单位, 注 …)."""
    outs = [cells[(r, c)] for c in range(1, max_col + 1)
            if (r, c) in cells and (r, c) not in hidden and cells[(r, c)].text]
    if not outs:
        return None
    first = ws.cell(r, outs[0].col)
    size = float(first.font.sz or 11)
    align: Align = _align(ws, r, outs[0].col) or "left"
    role = _role(first.font.name, size, bool(first.font.b))
    return Line([o.text for o in outs], align=align if len(outs) == 1 else "left",
                bold=bool(first.font.b), size=size, role=role)  # type: ignore[arg-type]


def _grid_cell(ws: Worksheet, grid: Grid, out: _Out | None, r: int, c: int, top: int,
               m: tuple[int, int, int, int], last_col: int) -> Cell:
    """The table's cell at (r, c), spanning its merge ``m``."""
    font = ws.cell(r, c).font
    size = float(font.sz) if font.sz else None
    value = None
    if out is not None and out.live is not None:
        value = out.live.number
    elif out is not None and isinstance(out.value, Decimal):
        value = out.value
    return Cell(
        r - top, c - 1, out.text if out is not None else "", m[2] - m[0] + 1,
        min(m[3], last_col) - c + 1,
        out.kind if out is not None else Kind.LABEL,  # a blank drawn cell
        align=_align(ws, r, c), bold=bool(font.b),
        size=size if size is not None and size != grid.font_size else None,
        value=value, decimals=out.decimals if out is not None else 2,
    )


def _grid(ws: Worksheet, cells: dict[tuple[int, int], _Out],
          merges: list[tuple[int, int, int, int]], widths: list[float],
          rows: list[_OutRow], title_rows: tuple[int, int] | None) -> Grid:
    n_rows = len(rows)
    max_col = len(widths)
    table_rows = [r for r in range(1, n_rows + 1)
                  if any(_bordered(ws, r, c) for c in range(1, max_col + 1))]
    top = table_rows[0] if table_rows else n_rows + 1
    bottom = table_rows[-1] if table_rows else n_rows
    span = {(m[0], m[1]): m for m in merges}
    hidden = _covered(merges)
    last_col = max((c for r in range(top, bottom + 1) for c in range(1, max_col + 1)
                    if _bordered(ws, r, c)), default=max_col)
    grid = Grid(columns=widths[:last_col], name=ws.title,
                orientation="landscape" if ws.page_setup.orientation == "landscape"
                else "portrait")
    grid.margins_mm = _one_page_margins(ws)
    sizes = Counter(float(ws.cell(r, c).font.sz or 11) for r in range(top, bottom + 1)
                    for c in range(1, last_col + 1) if (r, c) in cells)
    grid.font_size = sizes.most_common(1)[0][0] if sizes else 10.5
    grid.title_lines += [ln for r in range(1, top)
                         if (ln := _line(ws, cells, hidden, max_col, r)) is not None]
    grid.footer_lines += [ln for r in range(bottom + 1, n_rows + 1)
                          if (ln := _line(ws, cells, hidden, max_col, r)) is not None]
    # the Grid's table begins right under its title lines, as the XLSX writer lays it out
    for r in range(top, bottom + 1):
        for c in range(1, last_col + 1):
            m = span.get((r, c), (r, c, r, c))
            if (r, c) in hidden or ((r, c) not in cells and m == (r, c, r, c)):
                continue
            grid.add(_grid_cell(ws, grid, cells.get((r, c)), r, c, top, m, last_col))
    if title_rows is not None:  # the print titles: the rows repeated on every page
        outs = [o.out for o in rows if title_rows[0] <= o.tpl <= title_rows[1]]
        if outs and top <= min(outs) and max(outs) <= bottom:
            grid.repeat_from, grid.repeat_rows = min(outs) - top, max(outs) - min(outs) + 1
    grid.check()
    return grid


def _one_page_margins(ws: Worksheet) -> tuple[float, float, float, float] | None:
    """The sheet's margins (mm: top, bottom, left, right) where it fits one page tall."""
    fit = ws.sheet_properties.pageSetUpPr
    if fit is None or not fit.fitToPage or ws.page_setup.fitToHeight != 1:
        return None
    m = ws.page_margins
    return (m.top * 25.4, m.bottom * 25.4, m.left * 25.4, m.right * 25.4)


def _table_top(ws: Worksheet, n_rows: int, n_cols: int) -> int:
    """The sheet row of the table's first (bordered) row."""
    for r in range(1, n_rows + 1):
        if any(_bordered(ws, r, c) for c in range(1, n_cols + 1)):
            return r
    return n_rows + 1


def _one_line_height(rows: list[_OutRow], heights: dict[int, float], top: int,
                     n_rows: int) -> float | None:
    """The template's height of most table rows (a one-line row), if it sets one."""
    drawn = Counter(heights[o.tpl] for o in rows
                    if top <= o.out < top + n_rows and o.tpl in heights)
    return drawn.most_common(1)[0][0] if drawn else None


def _row_heights(ws: Worksheet, grid: Grid, rows: list[_OutRow], heights: dict[int, float],
                 cells: dict[tuple[int, int], _Out]) -> None:
    """The template's row heights, raised where wrapped table text needs more."""
    top = _table_top(ws, len(rows), grid.n_cols)
    need: dict[int, float] = {}
    for c in grid.cells:
        if c.rowspan > 1 or not c.text:
            continue
        width = sum(grid.columns[c.col : c.last_col + 1])
        lines = wrapped_lines(c.text, width)
        size = c.size or grid.font_size
        r = top + c.row
        need[r] = max(need.get(r, 0.0), lines * size * 1.4 + 6.0)
    for c in grid.cells:
        if c.rowspan <= 1 or not c.text:
            continue
        width = sum(grid.columns[c.col : c.last_col + 1])
        want = wrapped_lines(c.text, width) * (c.size or grid.font_size) * 1.4 + 6.0
        span = range(top + c.row, top + c.last_row + 1)
        have = sum(max(need.get(r, 0.0), heights.get(rows[r - 1].tpl, 0.0)) for r in span)
        if want > have:
            extra = (want - have) / c.rowspan
            for r in span:
                need[r] = max(need.get(r, 0.0), heights.get(rows[r - 1].tpl, 0.0)) + extra
    for o in rows:
        h = max(heights.get(o.tpl, 0.0), need.get(o.out, 0.0))
        if h:
            ws.row_dimensions[o.out].height = round(h, 1)


# ---- a template workbook -------------------------------------------------------------------


def find_sheet(wb: Workbook, key: str, title: str) -> str | None:
    """The template sheet of a form: named as the form's title or its key."""
    for name in wb.sheetnames:
        if name.strip() in (title, key, f"{key} {title}", f"{key}{title}"):
            return str(name)
    return None


def copy_sheet(wb: Workbook, name: str) -> Worksheet:
    """A copy of sheet ``name``, to fill for one of the several parts it draws: cells,
    styles, widths, heights, merges, page set-up, print titles, header and footer."""
    src = wb[name]
    ws = wb.copy_worksheet(src)
    ws.merged_cells = MultiCellRange()  # openpyxl's copy shares the source's ranges
    for rng in src.merged_cells.ranges:
        ws.merge_cells(rng.coord)
    ws.HeaderFooter = copy.deepcopy(src.HeaderFooter)
    ws.views = copy.deepcopy(src.views)
    ws.print_title_rows = src.print_title_rows  # (the print area is set when filled)
    ws.print_title_cols = src.print_title_cols
    return ws


def open_template(path: Path, shown: str) -> Workbook:
    check_package(path, shown)  # no zip bomb, entity or outside link: before opening
    try:
        return load_workbook(str(path))
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TemplateError(
            f"表格模板 {shown} 无法读取（{type(exc).__name__}: {exc}）。"
            "请在 Excel 或 WPS 中另存为 .xlsx 格式，或删除该文件以使用内置格式。"
        ) from exc


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
