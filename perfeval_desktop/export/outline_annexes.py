"""The three 附件 of the 财政部参考提纲 绩效评价报告 (宿州, spec §3.3, seed 000) as Grids.

附件1 绩效目标完成清单 (landscape)::

    指标 (A:C)                              年度目标值  实际完成值  完成情况
    一级指标  二级指标   三级指标
    产出      产出数量   委托第三方…            4次         4次         已完成
    (merged)  (merged)   …

附件2 问题清单 (landscape)::

    序号  问题  原因  整改措施/建议  责任单位  完成时限

附件3 评分情况表 (portrait)::

    一级指标     二级指标       三级指标        分值  得分  评分说明
    决策 (20分)  项目立项 (6分)  立项依据充分性  3     3
    …
    合计 (A:C)                                  100   97
    评价等次 (A:C)                              优 (D:F)

The 一级/二级 cells are merged over their leaves; in XLSX their weights, the 合计 row and
the 评价等次 are live formulas (``SUM``/``ROUND``/``IF``) that give the numbers printed here,
which come from the ScoreSheet through :mod:`perfeval_desktop.scoring.rounding`.

The tree layout and the total/grade formulas are shared with :mod:`.sichuan_tables`.
The built-in template draws the three forms in its ``forms.xlsx`` (filled by
:mod:`.xlsx_template`); these builders lay them out where a folder has none, and are what
the templates are tested against (tests/export/test_form_templates_families.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..model.report import (
    BudgetExecutionMethod,
    CompareMethod,
    IndicatorNode,
    NotApplicableMethod,
    RateMethod,
    Report,
)
from ..scoring.engine import ScoreSheet
from ..scoring.rounding import ZERO, plain, round_half_up
from ..templates.manifest import Manifest
from .builder import (
    Leaf,
    grade_formula,
    leaf_rows,
    note_lines,
    number_literal,
    quote,
    sum_formula,
    total_formula,
)
from .forms import FormPart
from .grid import Cell, Grid, Kind, Line, display_width

__all__ = [
    "BranchSpan",
    "annex_title",
    "branch_spans",
    "build_completion_grid",
    "build_parts",
    "build_problem_grid",
    "build_score_grid",
    "completion_status",
    "leaf_name",
]

NONE_TEXT = "无"

# what the seed calls its three 附件: "{项目名称}项目支出项目绩效目标完成清单" …
ANNEX_NAMES = {
    "附件1": "绩效目标完成清单",
    "附件2": "问题清单",
    "附件3": "评分情况表",
}
_TITLE_TAILS = {
    "附件1": "项目支出项目绩效目标完成清单",
    "附件2": "项目支出项目绩效评价问题清单",
    "附件3": "项目支出项目绩效评价评分情况表",
}


def annex_title(report: Report, key: str) -> str:
    """The printed title of 附件1/2/3, as in seed 000's list of 附件."""
    return f"{report.project.name or '未命名项目'}{_TITLE_TAILS[key]}"


# ---- shared by the indicator tables ----------------------------------------------------


@dataclass(frozen=True)
class BranchSpan:
    """A first- (level 0) or second-level (level 1) cell merged over its leaves' rows."""

    node: IndicatorNode
    level: int
    rows: list[int]


def branch_spans(leaves: Sequence[Leaf], first_row: int) -> list[BranchSpan]:
    """The merged 一级/二级 cells of ``leaves`` printed one a row from ``first_row``."""
    rows_of: dict[str, list[int]] = {}
    order: list[tuple[IndicatorNode, int]] = []
    for i, leaf in enumerate(leaves):
        for level, node in enumerate(leaf.path[:-1][:2]):
            if node.id not in rows_of:
                rows_of[node.id] = []
                order.append((node, level))
            rows_of[node.id].append(first_row + i)
    return [BranchSpan(node, level, rows_of[node.id]) for node, level in order]


def leaf_name(leaf: Leaf) -> tuple[int, str]:
    """(0-based level column, printed name) of a leaf: a leaf directly under a first-level
    indicator is printed from the 二级 column on; deeper trees name the whole tail."""
    level = len(leaf.path)
    if level > 3:
        return 2, "／".join(n.name for n in leaf.path[2:])
    return level - 1, leaf.node.name


# Word scales the grid's columns to the type area, which is narrower than the sheet for
# the 附件 of a GB/T 9704 report (225 mm landscape): judge "fits on one line" with margin
FIT_SHARE = 0.8


def branch_label(node: IndicatorNode, weight: Decimal | None, width: float) -> tuple[str, bool]:
    """``产出 (40分)``, or with the weight on a line of its own where it may not fit
    (rather than breaking inside the brackets)."""
    if weight is None:
        return node.name, False
    one_line = f"{node.name} ({plain(weight)}分)"
    if display_width(one_line) > width * FIT_SHARE - 1:
        return f"{node.name}\n({plain(weight)}分)", True
    return one_line, False


def branch_formula(node: IndicatorNode, wrapped: bool, sum_formula: str | None) -> str | None:
    """``="产出 ("&SUM(D5:D12)&"分)"`` from ``=SUM(D5:D12)`` (None: none)."""
    if sum_formula is None:
        return None
    head = f"{quote(node.name)}&CHAR(10)&{quote('(')}" if wrapped else quote(node.name + " (")
    return f"={head}&{sum_formula[1:]}&{quote('分)')}"


def checked_sum(grid: Grid, refs: Sequence[tuple[int, int]], expected: Decimal | None
                ) -> str | None:
    """``=SUM(refs)`` when the values printed in ``refs`` add up to ``expected``."""
    if expected is None:
        return None
    anchors = grid.anchors()
    values = [c.value for rc in refs if (c := anchors.get(rc)) is not None and c.value is not None]
    if sum(values, ZERO) != expected:
        return None
    return "=" + sum_formula(grid, refs)


def completion_status(node: IndicatorNode, sheet: ScoreSheet) -> str:
    """完成情况 of a leaf: from its score against its 分值, with the 偏差原因 where written."""
    if isinstance(node.method, NotApplicableMethod):
        return "\n".join(t for t in ("不适用", node.unscored_reason.strip()) if t)
    ns = sheet.nodes[node.id]
    if not ns.scored or node.weight is None:
        status = ""
    elif ns.score >= ns.weight:
        status = "已完成"
    elif ns.score > ZERO:
        status = "部分完成"
    else:
        status = "未完成"
    reason = node.deviation_reason.strip() if status and status != "已完成" else ""
    return "\n".join(t for t in (status, reason) if t)


def score_note(node: IndicatorNode, sheet: ScoreSheet) -> str:
    """评分说明 where points were lost: the arithmetic of a computed score below its 分值
    or of a deduction, and the 偏差原因; the reason of an indicator not scored."""
    if isinstance(node.method, NotApplicableMethod):
        return node.unscored_reason.strip() or "不适用，不计分"
    ns = sheet.nodes[node.id]
    leaf = ns.leaf
    if leaf is None or leaf.score is None or (ns.score >= ns.weight and not leaf.penalty):
        return ""
    parts: list[str] = []
    if leaf.penalty or isinstance(node.method, CompareMethod | RateMethod |
                                  BudgetExecutionMethod):
        parts.append(leaf.arithmetic)
    if node.deviation_reason.strip():
        parts.append(node.deviation_reason.strip())
    return "\n".join(parts)


def _heading_lines(grid: Grid, report: Report, key: str, attachment: bool) -> None:
    if attachment:
        grid.title_lines.append(Line([key], align="left", size=14, role="heading"))
    year = str(report.meta.year) if report.meta.year is not None else "    "
    grid.title_lines += [
        Line([annex_title(report, key)], align="center", bold=True, size=16, role="title"),
        Line([f"（{year}年度）"], align="center", size=12),
    ]


# ---- 附件1 绩效目标完成清单 --------------------------------------------------------------

# 一级 | 二级 | 三级 | 年度目标值 | 实际完成值 | 完成情况
COMPLETION_WIDTHS = [11.0, 14.0, 47.0, 20.0, 20.0, 20.0]


def goalleaf_rows(report: Report) -> list[Leaf]:
    """The indicators that carry a 年度目标值 (the 绩效目标); all leaves where none does."""
    leaves = leaf_rows(report.indicators)
    with_target = [lf for lf in leaves if lf.node.target_text.strip()]
    return with_target or leaves


def build_completion_grid(report: Report, sheet: ScoreSheet, attachment: bool = True) -> Grid:
    """附件1 绩效目标完成清单: one row per indicator with a 年度目标值."""
    grid = Grid(columns=list(COMPLETION_WIDTHS), name=ANNEX_NAMES["附件1"],
                orientation="landscape")
    _heading_lines(grid, report, "附件1", attachment)
    grid.add(Cell(0, 0, "指标", colspan=3, kind=Kind.LABEL, bold=True))
    for col, caption in ((3, "年度目标值"), (4, "实际完成值"), (5, "完成情况")):
        grid.add(Cell(0, col, caption, rowspan=2, kind=Kind.LABEL, bold=True))
    for col, caption in enumerate(("一级指标", "二级指标", "三级指标")):
        grid.add(Cell(1, col, caption, kind=Kind.LABEL, bold=True))
    first = 2
    leaves = goalleaf_rows(report)
    for i, leaf in enumerate(leaves):
        row = first + i
        col, name = leaf_name(leaf)
        grid.add(Cell(row, col, name, colspan=3 - col, kind=Kind.TEXT))
        grid.add(Cell(row, 3, leaf.node.target_text, kind=Kind.TEXT, align="center"))
        grid.add(Cell(row, 4, leaf.node.actual_text, kind=Kind.TEXT, align="center"))
        grid.add(Cell(row, 5, completion_status(leaf.node, sheet), kind=Kind.TEXT,
                      align="center"))
    for span in branch_spans(leaves, first):
        grid.add(Cell(span.rows[0], span.level, span.node.name, rowspan=len(span.rows),
                      kind=Kind.LABEL))
    if not leaves:
        grid.add(Cell(first, 0, NONE_TEXT, colspan=6, kind=Kind.LABEL))
    grid.repeat_rows = 2
    grid.check()
    return grid


# ---- 附件2 问题清单 ----------------------------------------------------------------------

PROBLEM_WIDTHS = [7.0, 33.0, 28.0, 36.0, 20.0, 14.0]
PROBLEM_HEADERS = ("序号", "问题", "原因", "整改措施/建议", "责任单位", "完成时限")


def build_problem_grid(report: Report, attachment: bool = True) -> Grid:
    """附件2 问题清单: one row per problem of ``report.problems`` (a 无 row where none)."""
    grid = Grid(columns=list(PROBLEM_WIDTHS), name=ANNEX_NAMES["附件2"],
                orientation="landscape")
    _heading_lines(grid, report, "附件2", attachment)
    for col, caption in enumerate(PROBLEM_HEADERS):
        grid.add(Cell(0, col, caption, kind=Kind.LABEL, bold=True))
    for i, p in enumerate(report.problems):
        row = 1 + i
        grid.add(Cell(row, 0, str(i + 1), kind=Kind.NUMBER, value=Decimal(i + 1)))
        for col, text in enumerate((p.problem, p.cause, p.measure), start=1):
            grid.add(Cell(row, col, text, kind=Kind.TEXT))
        grid.add(Cell(row, 4, p.owner, kind=Kind.TEXT, align="center"))
        grid.add(Cell(row, 5, p.deadline, kind=Kind.TEXT, align="center"))
    if not report.problems:
        grid.add(Cell(1, 0, NONE_TEXT, colspan=6, kind=Kind.LABEL))
    grid.repeat_rows = 1
    grid.check()
    return grid


# ---- 附件3 评分情况表 --------------------------------------------------------------------

# 一级 | 二级 | 三级 | 分值 | 得分 | 评分说明
SCORE_WIDTHS = [10.0, 13.0, 26.0, 6.0, 6.0, 25.0]
D_WEIGHT, E_SCORE = 3, 4


def build_score_grid(report: Report, manifest: Manifest, sheet: ScoreSheet,
                     attachment: bool = True) -> Grid:
    """附件3 评分情况表: every leaf with 分值 and 得分, 合计 and 评价等次 live."""
    rules = manifest.rules
    grid = Grid(columns=list(SCORE_WIDTHS), name=ANNEX_NAMES["附件3"], orientation="portrait")
    _heading_lines(grid, report, "附件3", attachment)
    for col, caption in enumerate(("一级指标", "二级指标", "三级指标", "分值", "得分",
                                   "评分说明")):
        grid.add(Cell(0, col, caption, kind=Kind.LABEL, bold=True))
    first = 1
    row = first
    weight_refs: list[tuple[int, int]] = []
    score_refs: list[tuple[int, int]] = []

    # a 预算执行率 block outside the tree (财政部 自评表 style rule sets) is a row of its own
    if sheet.execution_weight is not None:
        grid.add(Cell(row, 0, rules.execution.label, colspan=3, kind=Kind.LABEL))
        grid.add(Cell(row, D_WEIGHT, plain(sheet.execution_weight), kind=Kind.NUMBER,
                      value=sheet.execution_weight))
        score = sheet.execution_score
        grid.add(Cell(row, E_SCORE, plain(score, rules.execution.decimals), kind=Kind.NUMBER,
                      value=score))
        grid.add(Cell(row, 5, "", kind=Kind.TEXT))
        weight_refs.append((row, D_WEIGHT))
        score_refs.append((row, E_SCORE))
        row += 1
        first = row

    leaves = leaf_rows(report.indicators)
    for i, leaf in enumerate(leaves):
        r = first + i
        node = leaf.node
        ns = sheet.nodes[node.id]
        col, name = leaf_name(leaf)
        grid.add(Cell(r, col, name, colspan=3 - col, kind=Kind.TEXT))
        na = isinstance(node.method, NotApplicableMethod)
        if na or node.weight is None:
            grid.add(Cell(r, D_WEIGHT, "", kind=Kind.NUMBER))
        else:
            grid.add(Cell(r, D_WEIGHT, plain(ns.weight), kind=Kind.NUMBER, value=ns.weight))
        if na or not ns.scored:
            grid.add(Cell(r, E_SCORE, "", kind=Kind.NUMBER))
        else:
            shown = round_half_up(ns.score, rules.score_decimals)
            grid.add(Cell(r, E_SCORE, plain(shown, rules.score_decimals), kind=Kind.NUMBER,
                          value=shown))
        grid.add(Cell(r, 5, score_note(node, sheet), kind=Kind.TEXT))
        weight_refs.append((r, D_WEIGHT))
        score_refs.append((r, E_SCORE))
    for span in branch_spans(leaves, first):
        weight = sheet.nodes[span.node.id].weight
        text, wrapped = branch_label(span.node, weight, grid.columns[span.level])
        formula = branch_formula(
            span.node, wrapped, checked_sum(grid, [(r, D_WEIGHT) for r in span.rows], weight)
        )
        grid.add(Cell(span.rows[0], span.level, text, rowspan=len(span.rows), kind=Kind.LABEL,
                      formula=formula))
    if not leaves:
        grid.add(Cell(first, 0, NONE_TEXT, colspan=6, kind=Kind.LABEL))
    row = first + max(len(leaves), 1)

    # 合计: 分值 and 得分 live
    total_row = row
    grid.add(Cell(row, 0, "合计", colspan=3, kind=Kind.LABEL, bold=True))
    grid.add(Cell(row, D_WEIGHT, plain(sheet.total_weight), kind=Kind.NUMBER, bold=True,
                  value=sheet.total_weight,
                  formula=checked_sum(grid, weight_refs, sheet.total_weight)
                  if weight_refs else None))
    rate = sheet.execution_rate
    rate_literal = number_literal(rate) if rate is not None else None
    formula = (total_formula(grid, rules, sheet, score_refs, weight_refs,
                             grid.a1(row, D_WEIGHT), rate_literal) if score_refs else None)
    grid.add(Cell(row, E_SCORE, plain(sheet.total, rules.total_decimals), kind=Kind.NUMBER,
                  bold=True, value=sheet.total, formula=formula))
    grid.add(Cell(row, 5, "", kind=Kind.TEXT))
    row += 1
    grid.add(Cell(row, 0, "评价等次", colspan=3, kind=Kind.LABEL, bold=True))
    grid.add(Cell(row, D_WEIGHT, sheet.grade, colspan=3, kind=Kind.LABEL, bold=True,
                  formula=grade_formula(rules, grid.a1(total_row, E_SCORE), rate_literal)))
    row += 1
    grid.footer_lines += note_lines(sheet)
    grid.repeat_rows = 1
    grid.check()
    return grid


def build_parts(report: Report, manifest: Manifest, sheet: ScoreSheet) -> list[FormPart]:
    """附件1 绩效目标完成清单, 附件2 问题清单, 附件3 评分情况表 (seed 000)."""
    return [
        FormPart("附件1", ANNEX_NAMES["附件1"], build_completion_grid(report, sheet)),
        FormPart("附件2", ANNEX_NAMES["附件2"], build_problem_grid(report)),
        FormPart("附件3", ANNEX_NAMES["附件3"], build_score_grid(report, manifest, sheet)),
    ]

