"""Live values in the narrative: placeholders the export fills from the tables.

The clerk writes ``经自评得分{{ 总分 }}分，评价等次为“{{ 等次 }}”。`` and the exported report
prints ``经自评得分94分，评价等次为“良”。`` — the very numbers of the 附件 tables, formatted
by :mod:`perfeval_desktop.scoring.rounding` as the form prints them, so the text can
never disagree with the tables.  Pure functions: no Qt, no I/O.

The names (``{{ 名称 }}``; spaces inside the braces are optional, full-width ``｛｛ ｝｝``
work too) are those of the vocabulary (:mod:`perfeval_desktop.templates.vocabulary`)
usable in the narrative: 总分, 等次, 满分, 执行率, the funding totals, the header
(项目名称, 年度 …) and, for each first level X, ``{{ X得分 }}``, ``{{ X分值 }}``,
``{{ X得分率 }}``.

A placeholder that is not in the list is left in the text as typed (the clerk sees it
on paper) and reported by :func:`fill`; nothing a clerk types is ever evaluated, so
the narrative cannot run code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.report import Report
from ..templates.manifest import Manifest, Rules
from ..templates.vocabulary import Use, names
from ..templates.vocabulary.funding import AMOUNT_NAMES
from ..templates.vocabulary.header import NAMES as HEADER
from ..templates.vocabulary.header import header_texts
from ..templates.vocabulary.indicators import RATE_DECIMALS
from .engine import ScoreSheet
from .rounding import as_typed, percent, plain

__all__ = ["PLACEHOLDER_RE", "Filled", "describe", "fill", "live_values", "placeholders_in"]

# {{ 名称 }} with ASCII or full-width braces; the name is anything but braces and line ends
PLACEHOLDER_RE = re.compile(r"[{｛]\s*[{｛]\s*([^{}｛｝\n]*?)\s*[}｝]\s*[}｝]")

def _level_values(sheet: ScoreSheet, rules: Rules) -> dict[str, str]:
    """``X得分``, ``X分值``, ``X得分率`` of each first level X (预算执行率 too where the
    rule set scores it as a block)."""
    values: dict[str, str] = {}
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


def live_values(report: Report, manifest: Manifest, sheet: ScoreSheet) -> dict[str, str]:
    """Every placeholder's text, as the 附件 forms print the same figure."""
    rules = manifest.rules
    totals = sheet.funding.total
    values: dict[str, str] = {
        "总分": plain(sheet.total, rules.total_decimals),
        "等次": sheet.grade,
        "满分": plain(sheet.total_weight, rules.score_decimals),
        "执行率": percent(sheet.execution_rate, rules.execution.rate_display_decimals),
    }
    values.update({name: as_typed(totals.get(column)) for column, name in AMOUNT_NAMES.items()})
    # then the header (年度, 项目名称 …: with the above the dozen a hint names first)
    header = header_texts(report, manifest)
    values.update({n.name: header[n.name] for n in HEADER if Use.NARRATIVE in n.uses})
    values.update(_level_values(sheet, rules))
    return values


def describe(values: dict[str, str]) -> list[tuple[str, str]]:
    """(placeholder, what it is) for the editor's list, in the order of ``values``: the
    vocabulary's description, or for a first level's ``产出指标得分`` its own name."""
    known = {n.name: n.help for n in names(Use.NARRATIVE) if not n.per_level}
    return [(f"{{{{ {key} }}}}", known.get(key, key)) for key in values]


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
