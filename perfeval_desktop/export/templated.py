"""The 附件 of a template folder's ``forms.xlsx``: filled once, printed by every writer.

:func:`fill_form_templates` replaces each part that has a sheet in ``forms.xlsx`` (see
:mod:`.xlsx_template`) by that sheet filled with the report; a part of a kind that
repeats (第三方 表2…表N, one per first-level indicator) is filled from a copy of the one
sheet named as its kind (``FormPart.generic``: 一级指标评分表) where no sheet is named
after the part itself.  The Grid goes to the DOCX and PDF writers, and the filled
workbook (kept as bytes in the ExportPlan) is what the XLSX export saves, with the
template's own styles, widths and page set-up.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from collections.abc import Mapping
from pathlib import Path

from openpyxl import load_workbook

from ..model.report import Report
from ..scoring.engine import ScoreSheet
from ..templates.loader import Template
from .form_context import form_context
from .forms import FormPart
from .xlsx import SheetStyle, _sheet_title, grid_values, write_sheet
from .xlsx_template import (
    FORMS_FILE,
    copy_sheet,
    fill_sheet,
    find_sheet,
    open_template,
    workbook_bytes,
)
from .xlsx_values import Cached, store_values

log = logging.getLogger(__name__)


def forms_file(template: Template) -> Path | None:
    if template.folder is None:
        return None
    path = template.folder / FORMS_FILE
    return path if path.is_file() else None


def _shown(template: Template, path: Path) -> str:
    return f"“{template.manifest.name}”的 {path.name}（{path.parent}）"


def fill_form_templates(parts: list[FormPart], report: Report, template: Template,
                        sheet: ScoreSheet) -> tuple[list[FormPart], bytes | None]:
    """``parts`` with those drawn in ``forms.xlsx`` filled from it, and the filled book."""
    path = forms_file(template)
    if path is None:
        return parts, None
    shown = _shown(template, path)
    wb = open_template(path, shown)
    out: list[FormPart] = []
    used: set[str] = set()
    for part in parts:
        name = find_sheet(wb, part.key, part.title)
        if name is not None and name not in used:  # (two parts of one title: filled once)
            ws = wb[name]
        elif part.generic and (generic := find_sheet(wb, part.generic, part.generic)):
            ws = copy_sheet(wb, generic)  # one drawing for every such part
            name = ws.title
        else:
            out.append(part)
            continue
        context = form_context(report, template.manifest, sheet, part.key, part.title,
                               part.indicator)
        filled = fill_sheet(ws, context, shown)
        used.add(name)
        out.append(dataclasses.replace(part, grid=filled.grid, sheet=name, values=filled.values))
    if not used:
        return parts, None
    for name in list(wb.sheetnames):
        if name not in used:
            wb.remove(wb[name])
    return out, workbook_bytes(wb)


def write_filled_xlsx(filled: bytes, parts: list[FormPart], path: Path,
                      style: SheetStyle) -> None:
    """One workbook, one sheet per part in order: filled sheets kept, the others laid out."""
    wb = load_workbook(io.BytesIO(filled))
    wanted = {p.sheet for p in parts if p.sheet}
    for name in list(wb.sheetnames):
        if name not in wanted:
            wb.remove(wb[name])
    titles: set[str] = set()
    order = []
    values: dict[str, Mapping[str, Cached]] = {}
    for part in parts:
        if part.sheet:
            ws = wb[part.sheet]
            ws.title = _sheet_title(part.title or part.grid.name, titles)
            values[ws.title] = part.values
        else:
            ws = wb.create_sheet(_sheet_title(part.title or part.grid.name, titles))
            write_sheet(ws, part.grid, style)
            values[ws.title] = grid_values(part.grid)
        order.append(ws)
    wb._sheets = order  # the parts' order
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True  # Excel and WPS recalculate on opening …
    wb.save(str(path))
    store_values(path, values)  # … and every other reader sees the values
