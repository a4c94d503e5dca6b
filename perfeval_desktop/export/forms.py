"""Which 附件 forms each template family prints, in order.

Each family module exposes ``build_parts(report, manifest, sheet) -> list[FormPart]``;
this registry maps ``Manifest.family`` to it.  A part key (``附件1`` …) is what
``export --parts`` selects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..model.report import Report
from ..scoring.engine import ScoreSheet
from ..templates.manifest import Manifest
from .grid import Grid
from .xlsx_values import Cached


@dataclass(frozen=True)
class FormPart:
    key: str  # 附件1, 附件2 … (what --parts selects)
    title: str  # the form's name, used for the sheet name and the file name
    grid: Grid
    # printed inside the 正文 after the heading of this outline section (or at a narrative
    # line ``{{ key }}``) rather than as an 附件; "" for an 附件
    section: str = ""
    # the sheet of the template's forms.xlsx this form was filled from ("" for a form
    # laid out by its builder); its filled copy is in ExportPlan.filled
    sheet: str = ""
    # a part of a kind that repeats (one table per first-level indicator): the forms.xlsx
    # sheet that draws every such part where none is named after this one, and the id of
    # the indicator this part is about (the template's ``本表一级指标``)
    generic: str = ""
    indicator: str = ""
    # an 附件 printed before the 正文, as its family's published report does (云南: the
    # 评价表 first); it is then not listed under 附件：
    first: bool = False
    # the result of each live formula of the filled sheet ({A1: value}): stored beside the
    # formulas in the XLSX, as Excel does, for readers that do not recalculate
    values: Mapping[str, Cached] = field(default_factory=dict, compare=False)


PartsBuilder = Callable[[Report, Manifest, ScoreSheet], list[FormPart]]


def builders() -> dict[str, PartsBuilder]:
    from . import (
        outline_annexes,
        self_eval_table,
        sichuan_tables,
        third_party_tables,
        yunnan_table,
    )

    return {
        "mof_self_eval": self_eval_table.build_parts,
        "yunnan_dept_eval": yunnan_table.build_parts,
        "mof_outline_eval": outline_annexes.build_parts,
        "sichuan_self_eval": sichuan_tables.build_parts,
        "third_party": third_party_tables.build_parts,
    }
