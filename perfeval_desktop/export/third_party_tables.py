"""项目整体得分情况表与各一级指标评分表（第三方绩效评价报告; spec §2 "A fifth family").

表1 项目整体得分情况表, one column per first-level indicator::

    评价项目  决策指标  过程指标  产出指标  效益指标  合计
    权重      23        22        30        25        100
    分值      18.88     18.64     29.14     22.48     89.14
    得分率    82.09%    84.73%    97.13%    89.92%    89.14%

then one table per first-level indicator (表2 决策指标评分表 …)::

    二级指标   三级指标          绩效分值  实际得分
    项目立项   立项依据充分性    3         3.00
    (merged)   立项程序规范性    3         3.00
    …
    小计 (A:B)                   23        18.88

Weights and scores print as the form writes them (23, 3.5, 18.88, 3: rounded to the
rule set's decimals, no trailing zeros), 得分率 as a percentage with two decimals.  In the
XLSX the 合计 column, the 得分率 row and the 小计 rows are live formulas giving the same
values.

The built-in template draws 表1 and one ``一级指标评分表`` for every 表2…表N in its
``forms.xlsx`` (filled by :mod:`.xlsx_template`); these builders lay them out where a
folder has none, and are what the templates are tested against.
"""

from __future__ import annotations

from decimal import Decimal

from ..model.report import IndicatorNode, NotApplicableMethod, Report
from ..scoring.engine import ScoreSheet
from ..scoring.rounding import percent, plain, round_half_up
from ..templates.manifest import Manifest
from .forms import FormPart
from .grid import Cell, Grid, Kind, Line
from .yunnan_table import checked_sum

SUMMARY_TITLE = "项目整体得分情况表"
# the forms.xlsx sheet drawing every first-level indicator's table (表2 …)
LEVEL_SHEET = "一级指标评分表"
RATE_DECIMALS = 2


def level_label(name: str) -> str:
    """``决策`` → ``决策指标``; a name that already ends in 指标 stays as it is."""
    return name if name.endswith("指标") else f"{name}指标"


def _title_lines(key: str, title: str) -> list[Line]:
    return [
        Line([f"{key}{'　'}{title}"], align="center", bold=True, size=14, role="title"),
        Line(["单位：分"], align="right", size=10.5),
    ]


def _score(value: Decimal | None, decimals: int, formula: str | None = None,
           row: int = 0, col: int = 0, colspan: int = 1) -> Cell:
    """A score rounded to ``decimals`` places, printed as forms print scores (18.88, 3)."""
    if value is None:
        return Cell(row, col, "", colspan=colspan, kind=Kind.NUMBER)
    shown = round_half_up(value, decimals)
    return Cell(row, col, plain(shown, decimals), colspan=colspan, kind=Kind.NUMBER,
                value=shown, formula=formula, number_format="General")


def _weight(value: Decimal | None, row: int, col: int, formula: str | None = None,
            rowspan: int = 1) -> Cell:
    if value is None:
        return Cell(row, col, "", rowspan=rowspan, kind=Kind.NUMBER)
    return Cell(row, col, plain(value), rowspan=rowspan, kind=Kind.NUMBER, value=value,
                formula=formula)


def _rate(value: Decimal | None, row: int, col: int, formula: str | None) -> Cell:
    return Cell(row, col, percent(value, RATE_DECIMALS), kind=Kind.PERCENT, value=value,
                formula=formula, decimals=RATE_DECIMALS)


def build_summary_grid(report: Report, manifest: Manifest, sheet: ScoreSheet,
                       key: str = "表1") -> Grid:
    """表1 项目整体得分情况表: 权重 / 分值 / 得分率 of each first-level indicator."""
    levels = sheet.levels
    n = len(levels)
    grid = Grid(columns=[12.0] + [12.0] * n + [12.0], orientation="portrait",
                name=SUMMARY_TITLE)
    grid.title_lines = _title_lines(key, SUMMARY_TITLE)
    decimals = manifest.rules.score_decimals
    total_col = n + 1
    grid.add(Cell(0, 0, "评价项目", kind=Kind.LABEL, bold=True))
    for i, level in enumerate(levels, start=1):
        grid.add(Cell(0, i, level_label(level.name), kind=Kind.LABEL, bold=True))
    grid.add(Cell(0, total_col, "合计", kind=Kind.LABEL, bold=True))
    for row, caption in ((1, "权重"), (2, "分值"), (3, "得分率")):
        grid.add(Cell(row, 0, caption, kind=Kind.LABEL))
    for i, level in enumerate(levels, start=1):
        grid.add(_weight(level.weight, 1, i))
        grid.add(_score(level.score, decimals, row=2, col=i))
        w, s = grid.a1(1, i), grid.a1(2, i)
        grid.add(_rate(level.rate, 3, i, f'=IF(N({w})<>0,{s}/{w},"")'))
    cols = range(1, n + 1)
    grid.add(_weight(sheet.total_weight, 1, total_col,
                     checked_sum(grid, [(1, c) for c in cols], sheet.total_weight)))
    grid.add(_score(sheet.total, manifest.rules.total_decimals,
                    checked_sum(grid, [(2, c) for c in cols], sheet.total,
                                manifest.rules.total_decimals),
                    row=2, col=total_col))
    w, s = grid.a1(1, total_col), grid.a1(2, total_col)
    rate = sheet.total / sheet.total_weight if sheet.total_weight else None
    grid.add(_rate(rate, 3, total_col, f'=IF(N({w})<>0,{s}/{w},"")'))
    grid.repeat_rows = 1
    grid.keep_together.append((0, 3))
    grid.check()
    return grid


def level_rows(node: IndicatorNode) -> list[tuple[IndicatorNode | None, IndicatorNode]]:
    """(second level, printed node) for every row of a first-level table."""
    out: list[tuple[IndicatorNode | None, IndicatorNode]] = []

    def walk(items: list[IndicatorNode], second: IndicatorNode | None) -> None:
        for n in items:
            if n.children:
                walk(n.children, second or n)
            else:
                out.append((second, n))

    walk(node.children, None)
    return out


def build_level_grid(report: Report, manifest: Manifest, sheet: ScoreSheet,
                     first: IndicatorNode, key: str) -> Grid:
    """One first-level indicator's table: 二级指标 | 三级指标 | 绩效分值 | 实际得分, 小计."""
    title = f"{level_label(first.name)}评分表"
    grid = Grid(columns=[18.0, 36.0, 12.0, 12.0], orientation="portrait", name=title)
    grid.title_lines = _title_lines(key, title)
    decimals = manifest.rules.score_decimals
    for col, caption in enumerate(("二级指标", "三级指标", "绩效分值", "实际得分")):
        grid.add(Cell(0, col, caption, kind=Kind.LABEL, bold=True))
    rows = level_rows(first)
    rows_of: dict[str, list[int]] = {}
    for i, (second, node) in enumerate(rows, start=1):
        ns = sheet.nodes[node.id]
        if second is None:  # a second-level indicator without children (an empty row)
            rows_of.setdefault(node.id, []).append(i)
            grid.add(Cell(i, 1, "", kind=Kind.TEXT))
        else:
            rows_of.setdefault(second.id, []).append(i)
            grid.add(Cell(i, 1, node.name, kind=Kind.TEXT))
        if isinstance(node.method, NotApplicableMethod):
            grid.add(_weight(node.weight, i, 2))
            grid.add(Cell(i, 3, "不适用", kind=Kind.LABEL))
        elif second is None and node.weight is None:
            grid.add(Cell(i, 2, "", kind=Kind.NUMBER))
            grid.add(Cell(i, 3, "", kind=Kind.NUMBER))
        else:
            grid.add(_weight(ns.weight if node.weight is not None else None, i, 2))
            grid.add(_score(ns.score if ns.scored else None, decimals, row=i, col=3))
    for second in first.children:
        rs = rows_of.get(second.id, [])
        if rs:
            grid.add(Cell(rs[0], 0, second.name, rowspan=len(rs), kind=Kind.LABEL))
    last = len(rows) if rows else 1
    if not rows:
        grid.add(Cell(1, 0, "", colspan=4))
    sub = last + 1
    ns = sheet.nodes[first.id]
    grid.add(Cell(sub, 0, "小计", colspan=2, kind=Kind.LABEL, bold=True))
    grid.add(_weight(ns.weight, sub, 2,
                     checked_sum(grid, [(r, 2) for r in range(1, last + 1)], ns.weight)))
    score_formula = checked_sum(grid, [(r, 3) for r in range(1, last + 1)],
                                round_half_up(ns.score, decimals), decimals)
    grid.add(_score(ns.score, decimals, score_formula, row=sub, col=3))
    grid.repeat_rows = 1
    grid.keep_together.append((0, sub))  # a short table: kept on one page where it fits
    grid.check()
    return grid


def build_parts(report: Report, manifest: Manifest, sheet: ScoreSheet) -> list[FormPart]:
    """表1 项目整体得分情况表, then 表2 … one score table per first-level indicator."""
    parts = [FormPart("表1", SUMMARY_TITLE, build_summary_grid(report, manifest, sheet))]
    for i, first in enumerate(report.indicators, start=2):
        key = f"表{i}"
        grid = build_level_grid(report, manifest, sheet, first, key)
        parts.append(FormPart(key, grid.name, grid, generic=LEVEL_SHEET, indicator=first.id))
    return parts

