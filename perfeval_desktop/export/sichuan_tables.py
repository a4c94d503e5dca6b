"""四川 附件4 自评报告的表格 (seed 001) as Grids.

资金计划、到位及使用情况 (portrait, printed in 二、（一）1．资金计划及到位)::

    资金情况      计划数  到位数  使用数  到位率   使用率
    金额（万元）  100     9.21    9.21    9.21%    100.00%

计划数 is the 年初预算数 (计划) of the funding table, falling back to the 全年预算数;
到位数 the 实际到位数 and 使用数 the 全年执行数.  到位率 = 到位数 ÷ 计划数 and
使用率 = 使用数 ÷ 到位数 are live formulas in XLSX.

项目支出绩效自评表 in 四川's layout (landscape; 预算执行率 10 + 绩效指标 90)::

    A        B         C        D           E      F      G      H       I      J     K
    项目名称 (A:B)      {项目名称} (C:K)
    主管部门 (A:B)      {主管部门} (C:F)                  实施单位 (G:H)  {实施单位} (I:K)
    项目资金 (B:C)      全年预算数(A) 全年执行数(B) (E:F) 分值   执行率(B/A) (H:I)  得分 (J:K)
    (万元)   年度资金总额 9.21        9.21                10     100.00%            10
             其中：当年财政拨款 …
    年度总体 年初设定目标 (B:F)              年度总体目标完成情况综述 (G:K)
    目标     …
    绩效指标 一级指标 二级指标 三级指标 指标性质 指标值 度量单位 实际完成值 分值 得分 偏差原因…
    总分 (A:H)                                                          100   100   优

The 一级/二级 cells are merged over their leaves with the weight printed (``产出指标
(50分)``, live ``SUM`` in XLSX); 执行率, its 得分, 总分 and 等次 are live formulas too.
"""

from __future__ import annotations

from decimal import Decimal

from ..model.report import (
    BudgetExecutionMethod,
    CompareMethod,
    FundingKind,
    IndicatorNode,
    NotApplicableMethod,
    QualitativeMethod,
    RateMethod,
    Report,
)
from ..scoring.engine import ScoreSheet
from ..scoring.rounding import HUNDRED, percent, plain
from ..templates.manifest import Manifest
from .builder import FormBuilder, Leaf, cap_notes, grade_formula, leaf_rows, total_formula
from .forms import FormPart
from .grid import Cell, Grid, Kind, Line
from .outline_annexes import (
    branch_formula,
    branch_label,
    branch_spans,
    checked_sum,
    leaf_name,
)
from .self_eval_table import DASH

FUNDING_KEY = "资金表"
FUNDING_TITLE = "资金计划、到位及使用情况"
FUNDING_SECTION = "funds_plan"  # the outline section (manifest id) the table follows
SELF_EVAL_TITLE = "项目支出绩效自评表"
QUALITATIVE = "定性"

# ---- 资金计划、到位及使用情况 ------------------------------------------------------------

FUNDING_WIDTHS = [16.0, 12.0, 12.0, 12.0, 12.0, 12.0]
FUNDING_HEADERS = ("资金情况", "计划数", "到位数", "使用数", "到位率", "使用率")


def _plan(sheet: ScoreSheet) -> Decimal | None:
    total = sheet.funding.total
    return total["initial_budget"] if total["initial_budget"] is not None else total[
        "annual_budget"]


def _rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def build_funding_grid(report: Report, sheet: ScoreSheet) -> Grid:
    """The 资金计划、到位及使用情况 table: amounts as the seed prints them (100, 9.21).

    No title line: in the report it follows the heading 1．资金计划及到位。 as on the seed.
    """
    grid = Grid(columns=list(FUNDING_WIDTHS), name=FUNDING_TITLE, orientation="portrait")
    for col, caption in enumerate(FUNDING_HEADERS):
        grid.add(Cell(0, col, caption, kind=Kind.LABEL, bold=True))
    grid.add(Cell(1, 0, "金额（万元）", kind=Kind.LABEL))
    total = sheet.funding.total
    plan, received, used = _plan(sheet), total["received"], total["executed"]
    for col, value in ((1, plan), (2, received), (3, used)):
        if value is None:
            grid.add(Cell(1, col, "", kind=Kind.AMOUNT))
        else:  # printed with at most two decimals, as on the seed (计划数 100)
            grid.add(Cell(1, col, plain(value), kind=Kind.AMOUNT, value=value,
                          number_format="General"))
    for col, (num, den) in ((4, (2, 1)), (5, (3, 2))):
        value = _rate(grid.at(1, num).value, grid.at(1, den).value)  # type: ignore[union-attr]
        n, d = grid.a1(1, num), grid.a1(1, den)
        grid.add(Cell(1, col, percent(value), kind=Kind.PERCENT, value=value, decimals=2,
                      formula=f'=IF(AND(ISNUMBER({n}),N({d})<>0),{n}/{d},"")'))
    grid.repeat_rows = 1
    grid.check()
    return grid


# ---- 项目支出绩效自评表 --------------------------------------------------------------------

A, B, C, D, E, F, G, H, I, J, K = range(11)  # noqa: E741 (the form's column letters)
# sized for the narrowest print (a GB/T 9704 附件, 225 mm, where Word scales the 159.5
# characters to 4 pt each) so that the usual texts print on one line: 4 characters in
# 指标值 and 度量单位 (个百分点, 万人次), 5 in 一级 (满意度指标) and 实际完成值, 6 in 二级
# (社会效益指标), 2 in 指标性质 (定性, ≥), 分值 and 得分
SELF_EVAL_WIDTHS = [12.5, 15.5, 18.0, 29.5, 7.5, 13.0, 13.0, 15.5, 8.0, 8.0, 19.0]
INDICATOR_HEADERS = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位",
                     "实际完成值", "分值", "得分", "偏差原因分析及改进措施")


def nature_of(node: IndicatorNode) -> str:
    """指标性质: ≥ / = / ≤ of a compared indicator, 定性 of a qualitative one."""
    method = node.method
    if isinstance(method, CompareMethod):
        return method.nature.value
    if isinstance(method, RateMethod | BudgetExecutionMethod):
        return "≥"
    if isinstance(method, QualitativeMethod):
        return QUALITATIVE
    return ""


def _figure(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    return plain(value * HUNDRED) if unit.strip() == "%" else percent(value)


def target_of(node: IndicatorNode) -> str:
    """指标值: the typed 年度指标值, else the figure the method compares against."""
    if node.target_text.strip():
        return node.target_text
    method = node.method
    if isinstance(method, CompareMethod):
        return plain(method.target)
    if isinstance(method, RateMethod):
        return _figure(method.target_rate, node.unit)
    return ""


def actual_of(node: IndicatorNode, sheet: ScoreSheet) -> str:
    """实际完成值: the typed value, else the figure the method computed."""
    if node.actual_text.strip():
        return node.actual_text
    method = node.method
    if isinstance(method, CompareMethod):
        return plain(method.actual)
    if isinstance(method, RateMethod):
        return _figure(_rate(method.numerator, method.denominator), node.unit)
    if isinstance(method, BudgetExecutionMethod):
        return _figure(sheet.execution_rate, node.unit)
    return ""


class _SelfEval(FormBuilder):
    def __init__(self, report: Report, manifest: Manifest, sheet: ScoreSheet) -> None:
        super().__init__(report, manifest, sheet,
                         Grid(columns=list(SELF_EVAL_WIDTHS), name=SELF_EVAL_TITLE,
                              orientation="landscape"))
        self.exec_row: int | None = None
        self.rate_ref: str | None = None

    # ---- the form ------------------------------------------------------------------------
    def build(self, attachment: str | None) -> Grid:
        m, p = self.report.meta, self.report.project
        year = str(m.year) if m.year is not None else "    "
        if attachment:
            self.grid.title_lines.append(Line([attachment], align="left", size=14,
                                              role="heading"))
        self.grid.title_lines += [
            Line([SELF_EVAL_TITLE], align="center", bold=True, size=18, role="title"),
            Line([f"（{year}年度）"], align="center", size=12),
            Line([f"填报单位（盖章）：{m.unit or p.implementer}"], align="left", size=12),
        ]
        self.header()
        self.funding()
        self.goals()
        self.indicators()
        self.total()
        self.grid.footer_lines.append(
            Line([f"联系人：{m.filler}", f"联系电话：{m.phone}", f"单位负责人签名：{m.unit_head}"],
                 align="left", size=12)
        )
        self.grid.repeat_rows = 1
        self.grid.check()
        return self.grid

    def header(self) -> None:
        p = self.report.project
        self.label(0, A, "项目名称", colspan=2)
        self.text(0, C, p.name, colspan=9)
        self.label(1, A, "主管部门", colspan=2)
        self.text(1, C, p.department, colspan=4)
        self.label(1, G, "实施单位", colspan=2)
        self.text(1, I, p.implementer, colspan=3)
        self.row = 2

    def funding(self) -> None:
        ex = self.rules.execution
        if self.sheet.execution_weight is None:
            return  # a rule set without the 预算执行率 block: no funding block on this form
        figures = self.sheet.funding
        kinds = [FundingKind(k) for k in self.rules.funding_kinds]
        top = self.row
        self.label(top, A, "项目资金\n(万元)", rowspan=2 + len(kinds))
        self.label(top, B, "", colspan=2)
        self.label(top, D, "全年预算数(A)")
        self.label(top, E, "全年执行数(B)", colspan=2)
        self.label(top, G, "分值")
        self.label(top, H, "执行率(B/A)", colspan=2)
        self.label(top, J, "得分", colspan=2)
        total_row = top + 1
        kind_rows = {k: total_row + 1 + i for i, k in enumerate(kinds)}
        budget = "annual_budget"
        for i, kind in enumerate(kinds):
            row = kind_rows[kind]
            amounts = self.report.funding.by_kind.get(kind)
            self.label(row, B, ("其中：" if i == 0 else "") + kind.value, colspan=2,
                       align="left")
            self.money(row, D, amounts.annual_budget if amounts else None)
            self.money(row, E, amounts.executed if amounts else None, colspan=2)
            self.label(row, G, DASH)
            b, x = self.grid.a1(row, D), self.grid.a1(row, E)
            value = figures.rate_of(amounts, budget) if amounts else None
            self.rate(row, H, value, f'=IF(N({b})<>0,N({x})/{b},"")', colspan=2)
            self.label(row, J, DASH, colspan=2)

        self.label(total_row, B, "年度资金总额", colspan=2, align="left")
        derived = figures.derived
        for column, col, span in (("annual_budget", D, 1), ("executed", E, 2)):
            value = figures.total[column]
            formula = None
            if derived[column] and not self.report.funding.details and kinds:
                formula = checked_sum(self.grid, [(kind_rows[k], col) for k in kinds], value)
            self.money(total_row, col, value, colspan=span, formula=formula)
        self.number(total_row, G, self.sheet.execution_weight)
        b, x = self.grid.a1(total_row, D), self.grid.a1(total_row, E)
        rate_formula = None
        if ex.basis == "annual_budget" and figures.total["annual_budget"] is not None:
            rate_formula = f'=IF(AND(ISNUMBER({x}),N({b})<>0),{x}/{b},"")'
        self.rate(total_row, H, figures.execution_rate, rate_formula, colspan=2)
        self.rate_ref = self.grid.a1(total_row, H) if rate_formula else None
        score_formula = None
        if self.rate_ref is not None:
            r, w = self.rate_ref, self.grid.a1(total_row, G)
            score_formula = f"=IF(ISNUMBER({r}),ROUND(MAX(MIN({r},1),0)*{w},{ex.decimals}),0)"
        self.number(total_row, J, self.sheet.execution_score, ex.decimals, colspan=2,
                    formula=score_formula)
        self.exec_row = total_row
        self.row = total_row + 1 + len(kinds)

    def goals(self) -> None:
        g, top = self.report.goals, self.row
        self.label(top, A, "年度总体目标", rowspan=2)
        self.label(top, B, "年初设定目标", colspan=5)
        self.label(top, G, "年度总体目标完成情况综述", colspan=5)
        self.text(top + 1, B, g.expected, colspan=5)
        self.text(top + 1, G, g.actual, colspan=5)
        self.row = top + 2

    def indicators(self) -> None:
        top = self.row
        leaves = leaf_rows(self.report.indicators)
        self.label(top, A, "绩效指标", rowspan=1 + max(len(leaves), 1))
        self.indicator_top = top
        for col, caption in enumerate(INDICATOR_HEADERS, start=B):
            self.label(top, col, caption)
        first = top + 1
        for i, leaf in enumerate(leaves):
            self.leaf(first + i, leaf)
        for span in branch_spans(leaves, first):
            weight = self.sheet.nodes[span.node.id].weight
            col = B + span.level
            text, wrapped = branch_label(span.node, weight, self.grid.columns[col])
            formula = branch_formula(
                span.node, wrapped, checked_sum(self.grid, [(r, I) for r in span.rows], weight)
            )
            self.label(span.rows[0], col, text, rowspan=len(span.rows), formula=formula)
        if not leaves:
            self.grid.add(Cell(first, B, "", colspan=10))
        self.leaf_rows = [first + i for i in range(len(leaves))]
        self.row = first + max(len(leaves), 1)

    def leaf(self, row: int, leaf: Leaf) -> None:
        node = leaf.node
        ns = self.sheet.nodes[node.id]
        level_col, name = leaf_name(leaf)
        col = B + level_col
        self.text(row, col, name, colspan=D - col + 1)
        self.text(row, E, nature_of(node), align="center")
        self.text(row, F, target_of(node), align="center")
        self.text(row, G, node.unit, align="center")
        self.text(row, H, actual_of(node, self.sheet), align="center")
        if isinstance(node.method, NotApplicableMethod):
            self.number(row, I, None)
            self.number(row, J, None)
            reason = "\n".join(t for t in (node.unscored_reason, node.deviation_reason) if t)
        else:
            self.number(row, I, ns.weight if node.weight is not None else None)
            self.number(row, J, ns.score if ns.scored else None, self.rules.score_decimals)
            reason = node.deviation_reason
        self.text(row, K, reason)

    def total(self) -> None:
        s, rules, row = self.sheet, self.rules, self.row
        self.label(row, A, "总分", colspan=8, bold=True)
        weight_refs = [(r, I) for r in self.leaf_rows]
        score_refs = [(r, J) for r in self.leaf_rows]
        if self.exec_row is not None:
            weight_refs.insert(0, (self.exec_row, G))
            score_refs.insert(0, (self.exec_row, J))
        self.number(row, I, s.total_weight, bold=True,
                    formula=checked_sum(self.grid, weight_refs, s.total_weight))
        rate = self.rate_ref
        if rate is None and s.execution_rate is not None:
            rate = plain(s.execution_rate, 12)
        formula = total_formula(self.grid, rules, s, score_refs, weight_refs,
                                self.grid.a1(row, I), rate) if score_refs else None
        self.number(row, J, s.total, rules.total_decimals, formula=formula, bold=True)
        self.label(row, K, s.grade, bold=True,
                   formula=grade_formula(rules, self.grid.a1(row, J), rate))
        row += 1
        for caption, content in cap_notes(s):
            self.label(row, A, caption, colspan=3)
            self.text(row, D, content, colspan=8)
            row += 1
        self.row = row
        self.grid.keep_together.append((self.indicator_top, row - 1))


def build_self_eval_grid(report: Report, manifest: Manifest, sheet: ScoreSheet,
                         attachment: str | None = "附件1") -> Grid:
    """The 项目支出绩效自评表 in 四川's layout (指标性质, 指标值, 度量单位 columns)."""
    return _SelfEval(report, manifest, sheet).build(attachment)


def build_parts(report: Report, manifest: Manifest, sheet: ScoreSheet) -> list[FormPart]:
    """资金表 (资金计划、到位及使用情况, inside the 正文) and 附件1 项目支出绩效自评表."""
    ids = {s.id for s in manifest.all_sections()}
    return [
        FormPart(FUNDING_KEY, FUNDING_TITLE, build_funding_grid(report, sheet),
                 section=FUNDING_SECTION if FUNDING_SECTION in ids else ""),
        FormPart("附件1", SELF_EVAL_TITLE, build_self_eval_grid(report, manifest, sheet)),
    ]
