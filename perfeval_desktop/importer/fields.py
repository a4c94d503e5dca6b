"""Header fields, the funding block, goals and the small row tables (问题清单, 评价人员)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal

from ..errors import InputError
from ..model.numbers import parse_number
from ..model.report import Amounts, FundingDetail, FundingKind, FundingSource, FundingTable
from .labels import (
    AMOUNT_COLUMNS,
    COMPUTED_ROWS,
    FUNDING_COMPUTED,
    FUNDING_DETAIL_COLUMN,
    FUNDING_TOTAL,
    GOAL_ACTUAL,
    GOAL_EXPECTED,
    HEADER_FIELDS,
    KIND_ALIASES,
    SOURCE_ALIASES,
    bare,
    norm,
)
from .workbook import Pos, Sheet, exact

Problem = Callable[[Sheet, Pos, str], None]
Placed = set[tuple[str, Pos]]
_YEAR = re.compile(r"[(（]?\s*(\d{4})\s*[)）]?\s*年度")
_DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")


def _label_of(text: str) -> tuple[str, str] | None:
    """(field, value written in the same cell) for a label cell such as ``联系电话：123``."""
    flat = norm(text)
    for label in sorted(HEADER_FIELDS, key=len, reverse=True):
        if flat == label or flat.startswith(label + ":") or (
            flat.startswith(label) and label.startswith("填报单位")
        ):
            return HEADER_FIELDS[label], flat[len(label):].lstrip(":")
    return None


def header_fields(sheet: Sheet, placed: Placed) -> dict[str, tuple[str, Pos]]:
    """Each header field found: its value and where it was read."""
    found: dict[str, tuple[str, Pos]] = {}
    for (row, col), text in sorted(sheet.cells.items()):
        got = _label_of(text)
        if got is None or got[0] in found:
            continue
        key, inline = got
        placed.add((sheet.name, (row, col)))
        if inline:
            found[key] = (inline, (row, col))
            continue
        for c, value in sheet.row_cells(row):
            if c > col:
                if _label_of(value) is None:
                    found[key] = (value.strip(), (row, c))
                    placed.add((sheet.name, (row, c)))
                break
    return found


def declared_grade(sheet: Sheet, grades: list[str], placed: Placed) -> str | None:
    """The grade written on the form (``优 ☑ 良 □ …`` or just ``优``) beside 评价等次."""
    for (row, col), text in sorted(sheet.cells.items()):
        if bare(text) not in ("评价等次", "等次"):
            continue
        placed.add((sheet.name, (row, col)))
        for c, value in sheet.row_cells(row):
            flat = norm(value)
            ticked = re.search(r"(\S)[☑√✓■]", flat)
            chosen = ticked.group(1) if ticked else flat
            if c > col and chosen in grades:
                placed.add((sheet.name, (row, c)))
                return chosen
    return None


def computed_rows(sheet: Sheet, placed: Placed) -> None:
    """Rows the program recomputes (a summary table's 权重/分值/得分率, 等次封顶说明)."""
    for row in sorted({r for r, _c in sheet.cells}):
        cells = sheet.row_cells(row)
        if bare(cells[0][1]) in COMPUTED_ROWS:
            placed.update((sheet.name, (row, c)) for c, _t in cells)


def year_of(sheet: Sheet, placed: Placed) -> int | None:
    for (row, col), text in sorted(sheet.cells.items()):
        found = _YEAR.search(norm(text)) if row <= 6 else None
        if found and 1990 <= int(found.group(1)) <= 2100:
            placed.add((sheet.name, (row, col)))
            return int(found.group(1))
    return None


def parse_date(text: str) -> _dt.date | None:
    found = _DATE.search(text)
    if not found:
        return None
    try:
        return _dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def goals(sheet: Sheet, placed: Placed) -> dict[str, str]:
    """预期目标 / 实际完成情况: the texts under their labels."""
    out: dict[str, str] = {}
    for (row, col), text in sorted(sheet.cells.items()):
        label = bare(text)
        key = "expected" if label in GOAL_EXPECTED else "actual" if label in GOAL_ACTUAL else ""
        if not key or key in out:
            continue
        below = sheet.span.get((row, col), (row, col))[0] + 1
        placed.add((sheet.name, (row, col)))
        if sheet.text(below, col):
            out[key] = sheet.text(below, col)
            placed.add((sheet.name, (below, col)))
    return out


def _amount(sheet: Sheet, pos: Pos, label: str, problem: Problem) -> Decimal | None:
    text = sheet.text(*pos)
    if not text or text in ("—", "-", "/"):
        return None
    try:
        value = parse_number(text, label, "amount")
        return exact(value) if value is not None else None
    except InputError as exc:
        problem(sheet, pos, exc.message)
        return None


def _funding_header(sheet: Sheet) -> tuple[int, dict[int, str], list[int]] | None:
    rows: dict[int, dict[int, str]] = {}
    for (row, col), text in sheet.cells.items():
        column = AMOUNT_COLUMNS.get(bare(text))
        if column is not None:
            rows.setdefault(row, {})[col] = column
    for row in sorted(rows):
        if len(rows[row]) >= 2:
            computed = [c for c, t in sheet.row_cells(row) if bare(t) in FUNDING_COMPUTED]
            return row, rows[row], computed
    return None


def funding(
    sheet: Sheet, table: FundingTable, sources: bool, placed: Placed, problem: Problem
) -> bool:
    """Fill ``table`` from the sheet's funding block; False when the sheet has none."""
    header = _funding_header(sheet)
    if header is None:
        return False
    head, columns, computed = header
    placed.update((sheet.name, (head, c)) for c, _t in sheet.row_cells(head))
    first = min(columns)
    detail_col = next((c for c, t in sheet.row_cells(head) if bare(t) == FUNDING_DETAIL_COLUMN),
                      None)
    seen_total = False
    for row in range(head + 1, sheet.max_row + 1):
        labels = [(c, t) for c, t in sheet.row_cells(row) if c < first]
        figures = any((row, c) in sheet.cells for c in columns)
        if not labels:
            if figures:
                continue
            break
        col, label = labels[-1]
        name = bare(label).removeprefix("其中").lstrip(":")
        target = _funding_row(table, name, sources, col == detail_col and not seen_total)
        if target is None:
            break
        seen_total = seen_total or col != detail_col
        placed.update((sheet.name, (row, c)) for c, _t in sheet.row_cells(row)
                      if c < first or c in columns or c in computed)
        for c, column in columns.items():
            value = _amount(sheet, (row, c), f"{label}的{sheet.text(head, c)}", problem)
            if value is not None and getattr(target, column) is None:
                setattr(target, column, value)
    return True


def _funding_row(table: FundingTable, label: str, sources: bool, detail: bool) -> Amounts | None:
    if label in FUNDING_TOTAL or label.startswith("金额"):
        return table.total
    if label in KIND_ALIASES and not (label == "其他" and sources):
        kind = FundingKind(KIND_ALIASES[label])
        return table.by_kind.setdefault(kind, Amounts())
    if label in SOURCE_ALIASES:
        source = FundingSource(SOURCE_ALIASES[label])
        return table.by_source.setdefault(source, Amounts())
    if detail and label:
        table.details.append(FundingDetail(name=label))
        return table.details[-1].amounts
    return None


def row_table(
    sheet: Sheet, columns: dict[str, str], needed: tuple[str, ...], placed: Placed
) -> list[dict[str, str]]:
    """Rows of a small table whose header names at least ``needed`` (问题清单, 评价人员)."""
    for (row, _col), _text in sorted(sheet.cells.items()):
        roles = {c: columns[bare(t)] for c, t in sheet.row_cells(row) if bare(t) in columns}
        if not set(needed) <= set(roles.values()):
            continue
        placed.update((sheet.name, (row, c)) for c in roles)
        out: list[dict[str, str]] = []
        for r in range(row + 1, sheet.max_row + 1):
            values = {roles[c]: t for c, t in sheet.row_cells(r) if c in roles}
            if not values:
                break
            placed.update((sheet.name, (r, c)) for c, t in sheet.row_cells(r) if c in roles
                          or (c < min(roles) and t.strip().isdigit()))
            out.append(values)
        return out
    return []
