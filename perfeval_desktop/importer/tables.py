"""Indicator tables of a sheet: the header row found by its labels, then one row per 三级.

A 一级/二级 cell starts a new group where it has text; a blank cell or the lower part of a
merged cell continues the group above (so both merged cells and a retyped sheet's blanks
read the same).  Two groups of one name stay two groups (云南 has two 资金管理 rows).
A table without a 一级 column (第三方 表2…表N, one per 一级) takes its 一级 from its title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import INDICATOR_COLUMNS, TABLE_END, bare, norm, split_weight
from .workbook import Pos, Sheet

LEVELS = ("l1", "l2")
_TITLE = re.compile(r"^(?:表\d+)?(.+?)(?:评分表|评分情况表)$")


@dataclass
class Row:
    """One row of an indicator table: its 一级/二级 (``new`` where a group starts there)
    and the row's own values by role (l3, weight, score, target, actual, …)."""

    row: int
    l1: str
    l1_new: bool
    l2: str
    l2_new: bool
    values: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Pos] = field(default_factory=dict)


@dataclass
class IndicatorTable:
    sheet: Sheet
    header_row: int
    columns: dict[int, str]
    first_level: str = ""  # for a table without a 一级 column
    rows: list[Row] = field(default_factory=list)
    label_cells: list[Pos] = field(default_factory=list)
    end_cells: list[Pos] = field(default_factory=list)

    @property
    def roles(self) -> set[str]:
        return set(self.columns.values())

    @property
    def scored(self) -> bool:
        return bool({"weight", "score"} & self.roles)


def _header_roles(sheet: Sheet, row: int) -> tuple[dict[int, str], list[Pos]]:
    """Role per column from the header row (and the row above it, for a two-row header
    whose cells merge down into it); weights follow the level column before them."""
    found: dict[int, str] = {}
    labels: list[Pos] = []
    cols = {c for (r, c) in sheet.cells if r in (row, row - 1)}
    for col in sorted(cols):
        pos = (row, col)
        if pos not in sheet.cells and sheet.anchor_of.get(pos) == (row - 1, col):
            pos = (row - 1, col)
        role = INDICATOR_COLUMNS.get(bare(sheet.text(*pos)))
        if role is not None:
            found[col] = role
            labels.append(pos)
    last_level = "l3"
    for col in sorted(found):
        role = found[col]
        if role in ("l1", "l2", "l3"):
            last_level = role
        elif role == "weight":
            found[col] = f"weight_{last_level}" if last_level in LEVELS else "weight"
    return found, labels


def find_tables(sheet: Sheet) -> list[IndicatorTable]:
    tables: list[IndicatorTable] = []
    for (row, _col), text in sorted(sheet.cells.items()):
        if bare(text) not in ("三级指标", "三级指标名称"):
            continue
        if any(t.header_row == row for t in tables):
            continue
        columns, labels = _header_roles(sheet, row)
        table = IndicatorTable(sheet, row, columns, label_cells=labels)
        if "l1" not in table.roles:
            table.first_level = _title_above(sheet, row)
        _read_rows(table)
        tables.append(table)
    return tables


def _title_above(sheet: Sheet, row: int) -> str:
    for r in range(row - 1, max(0, row - 4), -1):
        for _c, text in sheet.row_cells(r):
            found = _TITLE.match(norm(text))
            if found:
                return found.group(1)
    found = _TITLE.match(norm(sheet.name))
    return found.group(1) if found else norm(sheet.name)


def _is_end(sheet: Sheet, row: int, last_col: int) -> bool:
    for col, text in sheet.row_cells(row):
        if col <= last_col and (bare(text) in TABLE_END or bare(text) in ("三级指标",)):
            return True
    return False


def _level(sheet: Sheet, row: int, col: int | None, current: str) -> tuple[str, bool]:
    if col is None:
        return current, False
    text = sheet.text(row, col)
    if text and not sheet.is_continuation(row, col):
        return split_weight(text)[0], True
    return current, False


def _read_rows(table: IndicatorTable) -> None:
    sheet = table.sheet
    by_role = {role: col for col, role in table.columns.items()}
    last_col = max(table.columns, default=0)
    l1, l2 = table.first_level, ""
    for row in range(table.header_row + 1, sheet.max_row + 1):
        if _is_end(sheet, row, last_col):
            table.end_cells += [(row, c) for c, _t in sheet.row_cells(row)]
            break
        values = {role: sheet.text(row, col) for col, role in table.columns.items()
                  if sheet.text(row, col) and not sheet.is_continuation(row, col)}
        if not values:
            if row > table.header_row + 1 and not any(
                sheet.is_continuation(row, c) for c in table.columns
            ):
                break
            continue
        l1, l1_new = _level(sheet, row, by_role.get("l1"), l1)
        new_l2_name, l2_new = _level(sheet, row, by_role.get("l2"), l2)
        l2 = new_l2_name if l2_new or not l1_new else ""
        cells = {role: (row, by_role[role]) for role in values}
        table.rows.append(Row(row, l1, l1_new, l2, l2_new, values, cells))
