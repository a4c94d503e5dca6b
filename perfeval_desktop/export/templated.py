"""The 附件 of a template: each drawn once, as a sheet of ``forms.xlsx``, filled once and
printed by every writer.

:func:`fill_form_templates` fills the sheet of each part of the family (:mod:`.forms`) with the
report; a part of a kind that repeats (第三方 表2…表N, one per first-level indicator) is
filled from a copy of the one sheet named as its kind (``FormPart.generic``: 一级指标评分表)
where no sheet is named after the part itself.  A template folder without ``forms.xlsx``
prints the built-in one of its family.  The Grid goes to the DOCX and PDF writers, and the
filled workbook (kept as bytes in the ExportPlan) is what the XLSX export saves, with the
template's own styles, widths and page set-up.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Mapping
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.properties import CalcProperties

from ..errors import TemplateError
from ..model.report import Report
from ..scoring.engine import ScoreSheet
from ..templates.families import builtin_folder
from ..templates.loader import Template
from .form_context import form_context
from .forms import FormPart
from .xlsx_template import (
    FORMS_FILE,
    copy_sheet,
    fill_sheet,
    find_sheet,
    open_template,
    workbook_bytes,
)
from .xlsx_values import Cached, store_values


def forms_file(template: Template) -> Path:
    """The template folder's ``forms.xlsx``, else the built-in one of its family."""
    if (template.folder / FORMS_FILE).is_file():
        return template.folder / FORMS_FILE
    builtin = builtin_folder(template.manifest)
    if builtin is None:
        raise TemplateError(
            f"模板“{template.manifest.name}”的文件夹中没有 {FORMS_FILE}，其类别"
            f"“{template.manifest.family}”也没有内置的表格。请补上 {FORMS_FILE} 后重试。")
    return builtin / FORMS_FILE


def _shown(template: Template, path: Path) -> str:
    return f"“{template.manifest.name}”的 {path.name}（{path.parent}）"


def fill_form_templates(parts: list[FormPart], report: Report, template: Template,
               sheet: ScoreSheet) -> tuple[list[FormPart], bytes]:
    """``parts`` filled from their sheets of ``forms.xlsx``, and the filled book."""
    path = forms_file(template)
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
            wanted = f"“{part.title}”" + (f"或“{part.generic}”" if part.generic else "")
            raise TemplateError(
                f"表格模板 {shown} 中没有名为{wanted}的工作表，无法导出{part.key}。"
                "请在 Excel 或 WPS 中补上该工作表，或删除该文件以使用内置格式。")
        context = form_context(report, template.manifest, sheet, part.key, part.title,
                               part.indicator)
        filled = fill_sheet(ws, context, shown)
        used.add(name)
        out.append(dataclasses.replace(part, grid=filled.grid, sheet=name, values=filled.values))
    for name in list(wb.sheetnames):
        if name not in used:
            wb.remove(wb[name])
    return out, workbook_bytes(wb)


def sheet_title(name: str, used: set[str]) -> str:
    """``name`` as a sheet name Excel accepts, unique among ``used`` (which it joins)."""
    title = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "Sheet"
    title = title[:31]
    base, n = title, 2
    while title in used:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def write_filled_xlsx(filled: bytes, parts: list[FormPart], path: Path) -> None:
    """One workbook, one filled sheet per part, in the parts' order."""
    wb = load_workbook(io.BytesIO(filled))
    wanted = {p.sheet for p in parts}
    for name in list(wb.sheetnames):
        if name not in wanted:
            wb.remove(wb[name])
    titles: set[str] = set()
    order = []
    values: dict[str, Mapping[str, Cached]] = {}
    for part in parts:
        ws = wb[part.sheet]
        ws.title = sheet_title(part.title or part.grid.name, titles)
        values[ws.title] = part.values
        order.append(ws)
    for i, ws in enumerate(order):  # the parts' order
        wb.move_sheet(ws, i - wb.index(ws))
    wb.active = 0
    # the template's own calculation settings (manual mode, iteration, its full recalculation
    # on opening…) are dropped; Excel and WPS recalculate on opening only a workbook holding
    # the program's live formulas (issue #13 §3) …
    wb.calculation = CalcProperties(fullCalcOnLoad=any(part.values for part in parts))
    wb.save(str(path))
    store_values(path, values)  # … and every other reader sees their values
