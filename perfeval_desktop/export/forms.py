"""Which 附件 forms each template family prints, in order; each is drawn once, as a sheet of
its template's ``forms.xlsx`` (filled by :mod:`.templated`).

A part key (``附件1`` …) is what ``export --parts`` selects.  A template folder without a
``forms.xlsx`` prints the built-in one of its family (:data:`FAMILIES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model.report import Report
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


# the forms.xlsx sheet drawing every first-level indicator's table (第三方 表2 …)
LEVEL_SHEET = "一级指标评分表"


@dataclass(frozen=True)
class Family:
    """A family's forms: the built-in template folder whose forms.xlsx a folder without one
    prints, and its parts (not yet filled) in order."""

    builtin: str
    parts: tuple[FormPart, ...]
    # one more part per first-level indicator (表2 …), drawn by the LEVEL_SHEET sheet
    per_indicator: bool = False


FAMILIES: dict[str, Family] = {
    # 附件1 项目支出绩效自评表 (the 广东 report's 附件2 is the report itself)
    "mof_self_eval": Family("mof_self_eval_gd", (FormPart("附件1", "项目支出绩效自评表"),)),
    # 附件1 区级预算支出部门评价表, printed before the report as seed 004 prints it
    "yunnan_dept_eval": Family("yunnan_dept_eval", (
        FormPart("附件1", "区级预算支出部门评价表", first=True),)),
    # seed 000: 附件1 绩效目标完成清单, 附件2 问题清单, 附件3 评分情况表
    "mof_outline_eval": Family("mof_outline_eval_sz", (
        FormPart("附件1", "绩效目标完成清单"), FormPart("附件2", "问题清单"),
        FormPart("附件3", "评分情况表"))),
    # 附件4 has one table, printed inside the 正文 (二、（一）1．资金计划及到位)
    "sichuan_self_eval": Family("sichuan_self_eval", (
        FormPart("资金表", "资金计划、到位及使用情况", section="funds_plan"),)),
    # 表1 项目整体得分情况表, then 表2 … one score table per first-level indicator
    "third_party": Family("third_party_eval", (FormPart("表1", "项目整体得分情况表"),),
                          per_indicator=True),
}


def level_title(name: str) -> str:
    """``决策`` → ``决策指标评分表``; a name that already ends in 指标 keeps it once."""
    return f"{name if name.endswith('指标') else name + '指标'}评分表"


def family_parts(report: Report, manifest: Manifest) -> list[FormPart] | None:
    """The parts ``manifest``'s family prints for ``report``, in order (None: an unknown
    family).  A part following an outline section the manifest lacks is an 附件."""
    family = FAMILIES.get(manifest.family)
    if family is None:
        return None
    ids = {s.id for s in manifest.all_sections()}
    parts = [p if not p.section or p.section in ids else FormPart(p.key, p.title, first=p.first)
             for p in family.parts]
    if family.per_indicator:
        start = len(parts) + 1
        parts += [FormPart(f"表{i}", level_title(first.name), generic=LEVEL_SHEET,
                           indicator=first.id)
                  for i, first in enumerate(report.indicators, start=start)]
    return parts
