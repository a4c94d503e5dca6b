"""The 附件 forms a report prints, in order; each is drawn once, as a sheet of its template's
``forms.xlsx`` (filled by :mod:`.templated`).

Which forms a family prints is data: the ``forms`` of the manifest declaring the family
(:mod:`..templates.families`).  A part key (``附件1`` …) is what ``export --parts`` selects.
A template folder without a ``forms.xlsx`` prints the built-in one of its family.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model.report import Report
from ..templates.families import family_forms
from ..templates.manifest import Manifest
from .grid import Grid
from .xlsx_values import Cached


@dataclass(frozen=True)
class FormPart:
    key: str  # 附件1, 附件2 … (what --parts selects)
    title: str  # the form's name, used for the sheet name and the file name
    grid: Grid = field(default_factory=lambda: Grid(columns=[]))
    # printed inside the 正文 after the heading of this outline section (or at a narrative
    # line ``{{ key }}``) rather than as an 附件; "" for an 附件
    section: str = ""
    # the sheet of the forms.xlsx this form was filled from; its filled copy is in
    # ExportPlan.filled
    sheet: str = ""
    # the forms.xlsx sheet that draws this part where none is named after its key or title
    # (for a part that repeats, one table per first-level indicator: 一级指标评分表), and
    # the id of the indicator such a part is about (the template's ``本表一级指标``)
    generic: str = ""
    indicator: str = ""
    # an 附件 printed before the 正文, as its family's published report does (云南: the
    # 评价表 first); it is then not listed under 附件：
    first: bool = False
    # the result of each live formula of the filled sheet ({A1: value}): stored beside the
    # formulas in the XLSX, as Excel does, for readers that do not recalculate
    values: Mapping[str, Cached] = field(default_factory=dict, compare=False)


def level_title(name: str) -> str:
    """``决策`` → ``决策指标评分表``; a name that already ends in 指标 keeps it once."""
    return f"{name if name.endswith('指标') else name + '指标'}评分表"


def family_parts(report: Report, manifest: Manifest) -> list[FormPart] | None:
    """The parts ``manifest``'s family prints for ``report``, in order (None: an unknown
    family).  A part following an outline section the manifest lacks is an 附件."""
    forms = family_forms(manifest)
    if forms is None:
        return None
    ids = {s.id for s in manifest.all_sections()}
    parts = [FormPart(p.key, p.title, section=p.section if p.section in ids else "",
                      generic=p.sheet, first=p.first) for p in forms.parts]
    if forms.repeat_per_indicator:
        start = len(parts) + 1
        parts += [FormPart(f"表{i}", level_title(first.name), generic=forms.repeat_sheet,
                           indicator=first.id)
                  for i, first in enumerate(report.indicators, start=start)]
    return parts
