"""Issue #11, speed of export: a form's merges made by ``libs.merge_cells`` — openpyxl's
``ws.merge_cells`` with each border and protection sum made once — leave the same cells,
styles and style lists, and so the same workbook, as openpyxl's own call."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Border, Protection, Side

from perfeval_desktop.bench import generate_report
from perfeval_desktop.export import libs, plan_export
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def _openpyxl_merge(ws: Any, r1: int, c1: int, r2: int, c2: int, _sums: Any) -> None:
    ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _state(wb: Any) -> list[Any]:
    """Everything a merge can change: the style lists, and per sheet its merges and every
    cell's kind and style array."""
    out: list[Any] = [list(wb._borders), list(wb._protections), list(wb._cell_styles)]
    for ws in wb.worksheets:
        out.append(sorted(str(r) for r in ws.merged_cells.ranges))
        out.append({k: (type(c).__name__, None if c._style is None else tuple(c._style))
                    for k, c in libs.cells(ws).items()})
    return out


def _drawn(merge: Any) -> Any:
    """A sheet with bordered, protected and blank cells, merged in overlapping shapes."""
    wb = Workbook()
    ws = wb.active
    thin, thick = Side(style="thin"), Side(style="thick", color="FF0000")
    for r in range(1, 13):
        for c in range(1, 8):
            if (r + c) % 4 == 0:
                continue  # some cells never made: the merge makes them
            cell = ws.cell(r, c, f"{r},{c}" if c % 3 else None)
            if r % 3 == 0:
                cell.border = Border(top=thin, left=thick, right=thin if c % 2 else None)
            if c == 4:
                cell.border = Border(bottom=thick, right=thick)
            if r == 5:
                cell.protection = Protection(locked=False)
    sums = libs.MergeSums(wb)
    for r1, c1, r2, c2 in [(1, 1, 3, 1), (1, 2, 1, 5), (3, 3, 6, 4), (7, 1, 9, 3),
                           (10, 4, 12, 7), (2, 6, 2, 6), (5, 5, 8, 7), (11, 1, 12, 2)]:
        merge(ws, r1, c1, r2, c2, sums)
    return wb


def test_merges_leave_what_openpyxl_leaves_on_a_drawn_sheet() -> None:
    assert _state(_drawn(libs.merge_cells)) == _state(_drawn(_openpyxl_merge))
    wb = _drawn(libs.merge_cells)
    assert isinstance(wb.active.cell(2, 1), MergedCell)
    ws = wb.active  # sums were made: the corner's bottom on the anchor, its left down the edge
    assert ws.cell(3, 3).border.bottom.style == "thick"
    assert ws.cell(5, 3).border.left.style == "thick" and ws.cell(5, 3).value is None


def _plans(monkeypatch: pytest.MonkeyPatch, reference: bool) -> list[tuple[str, Any]]:
    reports = [(p.stem, load(p)) for p in sorted(SAMPLES.glob("*.pfe"))]
    reports.append(("generated_60", generate_report(60)))
    with monkeypatch.context() as m:
        if reference:
            m.setattr(libs, "merge_cells", _openpyxl_merge)
        return [(name, plan_export(r, load_template(r.meta.template_id))) for name, r in reports]


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # (its time)


def test_every_filled_form_is_the_workbook_openpyxls_merges_made(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _plans(monkeypatch, reference=False)
    slow = _plans(monkeypatch, reference=True)
    assert len(fast) > 5
    for (name, a), (_name, b) in zip(fast, slow, strict=True):
        assert _members(a.filled) == _members(b.filled), name
        assert [p.grid for p in a.available] == [p.grid for p in b.available], name
