"""The writer of forms laid out by code (export/xlsx.py): typed text is never a formula."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from perfeval_desktop.export.grid import Cell, Grid, Kind
from perfeval_desktop.export.xlsx import write_xlsx


def test_text_starting_with_equals_stays_text(tmp_path: Path) -> None:
    grid = Grid(columns=[10.0, 10.0])
    grid.add(Cell(0, 0, "=6339-12", kind=Kind.TEXT))  # what a clerk typed (a phone number)
    grid.add(Cell(0, 1, "3", kind=Kind.NUMBER, value=Decimal(3), formula="=1+2"))
    write_xlsx([("表", grid)], tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").active
    assert ws["A1"].value == "=6339-12" and ws["A1"].data_type == "s"
    assert ws["B1"].value == "=1+2" and ws["B1"].data_type == "f"
