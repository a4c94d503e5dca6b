"""Live values in the narrative: placeholders the export fills from the tables.

The clerk writes ``经自评得分{{ 总分 }}分，评价等次为“{{ 等次 }}”。`` and the exported report
prints ``经自评得分94分，评价等次为“良”。`` — the very numbers of the 附件 tables, formatted
by :mod:`perfeval_desktop.scoring.rounding` as the form prints them, so the text can
never disagree with the tables.  Pure functions: no Qt, no I/O.

Placeholders (``{{ 名称 }}``; spaces inside the braces are optional, full-width
``｛｛ ｝｝`` work too):

=================  ===========================================================
``{{ 总分 }}``       总分 as the form prints it (94, 88.57)
``{{ 等次 }}``       评价等次 after caps (优 / 良 / 中 / 差)
``{{ 满分 }}``       the total 分值 (100)
``{{ 执行率 }}``     预算执行率 as the form prints it (60.7%)
``{{ 年初预算数 }}``  ``{{ 全年预算数 }}``  ``{{ 实际到位数 }}``  ``{{ 全年执行数 }}``
                   the funding table's 年度资金总额 / 合计 in 万元 (1155.50)
``{{ 年度 }}``       the year evaluated (2021)
``{{ 项目名称 }}``  ``{{ 主管部门 }}``  ``{{ 实施单位 }}``  ``{{ 填报单位 }}``
``{{ X得分 }}``      for each first level X (产出指标, 效益指标, 决策 … and 预算执行率
``{{ X分值 }}``      where the form has that block): its score, its 分值 and its
``{{ X得分率 }}``    得分率 (92.5%): ``{{ 产出指标得分 }}``, ``{{ 决策分值 }}``
=================  ===========================================================

A placeholder that is not in the list is left in the text as typed (the clerk sees it
on paper) and reported by :func:`fill`; nothing a clerk types is ever evaluated, so
the narrative cannot run code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.report import Report
from ..templates.manifest import Manifest
from .engine import ScoreSheet
from .rounding import amount, percent, plain

__all__ = ["PLACEHOLDER_RE", "Filled", "describe", "fill", "live_values", "placeholders_in"]

# {{ 名称 }} with ASCII or full-width braces; the name is anything but braces and line ends
PLACEHOLDER_RE = re.compile(r"[{｛]\s*[{｛]\s*([^{}｛｝\n]*?)\s*[}｝]\s*[}｝]")

RATE_DECIMALS = 2  # 得分率 as 92.5%, 87.33%

# name → what it is, in the order the editor lists them (first-level names are added)
FIXED: dict[str, str] = {
    "总分": "总分（按评分表）",
    "等次": "评价等次（已按执行率等规则封顶）",
    "满分": "总分值",
    "执行率": "预算执行率（与表中一致）",
    "年初预算数": "年初预算数（万元）",
    "全年预算数": "全年预算数（万元）",
    "实际到位数": "实际到位数（万元）",
    "全年执行数": "全年执行数（万元）",
    "年度": "年度",
    "项目名称": "项目名称",
    "主管部门": "主管部门",
    "实施单位": "实施单位",
    "填报单位": "填报单位",
}


def live_values(report: Report, manifest: Manifest, sheet: ScoreSheet) -> dict[str, str]:
    """Every placeholder's text, as the 附件 forms print the same figure."""
    rules = manifest.rules
    totals = sheet.funding.total
    values: dict[str, str] = {
        "总分": plain(sheet.total, rules.total_decimals),
        "等次": sheet.grade,
        "满分": plain(sheet.total_weight, rules.score_decimals),
        "执行率": percent(sheet.execution_rate, rules.execution.rate_display_decimals),
        "年初预算数": amount(totals.get("initial_budget")),
        "全年预算数": amount(totals.get("annual_budget")),
        "实际到位数": amount(totals.get("received")),
        "全年执行数": amount(totals.get("executed")),
        "年度": str(report.meta.year) if report.meta.year is not None else "",
        "项目名称": report.project.name,
        "主管部门": report.project.department,
        "实施单位": report.project.implementer,
        "填报单位": report.meta.unit or report.project.implementer,
    }
    for level in sheet.levels:
        name = level.name.strip()
        if not name:
            continue
        is_execution = sheet.execution_weight is not None and name == rules.execution.label
        decimals = rules.execution.decimals if is_execution else rules.score_decimals
        values[f"{name}得分"] = plain(level.score, decimals)
        values[f"{name}分值"] = plain(level.weight, rules.score_decimals)
        values[f"{name}得分率"] = percent(level.rate, RATE_DECIMALS)
    return values


def describe(values: dict[str, str]) -> list[tuple[str, str]]:
    """(placeholder, what it is) for the editor's list, in a stable order."""
    out = [(f"{{{{ {k} }}}}", v) for k, v in FIXED.items() if k in values]
    for key in values:
        if key in FIXED:
            continue
        for suffix, what in (("得分率", "得分率"), ("得分", "得分"), ("分值", "分值")):
            if key.endswith(suffix):
                out.append((f"{{{{ {key} }}}}", f"{key[: -len(suffix)]}{what}"))
                break
        else:
            out.append((f"{{{{ {key} }}}}", key))
    return out


def placeholders_in(text: str) -> list[str]:
    """The placeholder names written in ``text``, in order."""
    return [m.group(1) for m in PLACEHOLDER_RE.finditer(text)]


@dataclass(frozen=True)
class Filled:
    text: str  # the text with every known placeholder replaced
    unknown: tuple[str, ...]  # names of placeholders left as typed, first occurrence order


def fill(text: str, values: dict[str, str]) -> Filled:
    """Replace every ``{{ 名称 }}`` known in ``values``; leave the others visible.

    Never raises and never evaluates anything: a placeholder is a name looked up in
    ``values``, nothing more.
    """
    unknown: list[str] = []

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in values:
            return values[name]
        if name not in unknown:
            unknown.append(name)
        return m.group(0)

    return Filled(PLACEHOLDER_RE.sub(sub, text), tuple(unknown))
