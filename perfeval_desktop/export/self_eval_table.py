"""项目支出绩效自评表 in the Ministry of Finance layout (spec §3.1, seed 002 附件1) as a Grid.

Nine columns, as on the seed form::

    A        B          C           D          E           F          G       H     I
    项目名称 (A:B)       {项目名称} (C:I)
    主管部门 (A:B)       {主管部门} (C:E)                  实施单位   {实施单位} (G:I)
    项目资金  (blank)    年初预算数  全年预算数  全年执行数  分值       执行率   得分 (H:I)
    (万元)   年度资金总额 …          1155.50    701.23      10         60.7%    6
             其中:当年财政拨款 …                           —          0.0%     —
    年度总体 预期目标 (B:D)                     实际完成情况 (E:I)
    目标     {expected} (B:D)                   {actual} (E:I)
    绩效指标 一级指标   二级指标    三级指标    年度指标值  实际完成值 分值    得分  偏差原因…
             产出指标   数量指标    指标1: …    85%         部分达成   8       6
             (50分)     (17分)      …
    总分 (A:F)                                                         100     94    良

Every number comes from the ScoreSheet and is printed with the rounding helpers; the
XLSX writer additionally gets live formulas whose results are these same numbers.
"""

from __future__ import annotations

from ..model.report import FundingKind, IndicatorNode, NotApplicableMethod, Report
from ..scoring.engine import ScoreSheet
from ..scoring.rounding import plain
from ..templates.manifest import Manifest
from .builder import FormBuilder, Leaf, grade_formula, leaf_rows, note_lines, quote, total_formula
from .forms import FormPart
from .grid import Cell, Grid, Kind, Line, display_width

# column indices
A, B, C, D, E, F, G, H, I = range(9)  # noqa: E741 (the form's column letters)
# wide enough for their longest words on one line in a 225 mm 附件 (全年执行数, 执行率,
# 产出指标 (50分))
COLUMN_WIDTHS = [11.0, 20.0, 14.0, 37.0, 14.0, 12.0, 9.0, 8.0, 22.0]
DASH = "—"

# which table column holds which amount of the funding block
AMOUNT_COLS: dict[str, int] = {"initial_budget": C, "annual_budget": D, "executed": E}


def table_title(report: Report) -> str:
    return f"{report.project.name or '未命名项目'}-项目支出绩效自评表"


class _Builder(FormBuilder):
    def __init__(self, report: Report, manifest: Manifest, sheet: ScoreSheet) -> None:
        super().__init__(report, manifest, sheet,
                         Grid(columns=list(COLUMN_WIDTHS), name="项目支出绩效自评表"))

    # ---- the form ----------------------------------------------------------------------
    def build(self, attachment: str | None) -> Grid:
        r, m = self.report, self.report.meta
        year = str(m.year) if m.year is not None else "    "
        if attachment:
            self.grid.title_lines.append(
                Line([attachment], align="left", size=14, role="heading")
            )
        self.grid.title_lines += [
            Line([table_title(r)], align="center", bold=True, size=18, role="title"),
            Line([f"({year} 年度)"], align="center", size=12),
            Line([f"填报单位(公章) {m.unit or r.project.implementer}"], align="left", size=12),
        ]
        self.header()
        self.funding()
        self.goals()
        self.indicators()
        self.total()
        self.grid.footer_lines.append(
            Line(
                [f"联系人：{m.contact}", f"联系电话：{m.phone}", f"单位负责人签名：{m.unit_head}"],
                align="left", size=12,
            )
        )
        self.grid.footer_lines += note_lines(self.sheet)  # 注: a cap, with its arithmetic
        self.grid.repeat_rows, self.grid.repeat_from = 1, self.indicator_top
        self.grid.check()
        return self.grid

    def header(self) -> None:
        p = self.report.project
        self.label(0, A, "项目名称", colspan=2)
        self.text(0, C, p.name, colspan=7)
        self.label(1, A, "主管部门", colspan=2)
        self.text(1, C, p.department, colspan=3)
        self.label(1, F, "实施单位")
        self.text(1, G, p.implementer, colspan=3)
        self.row = 2

    def funding(self) -> None:
        rules, figures = self.rules, self.sheet.funding
        ex = rules.execution
        kinds = [FundingKind(k) for k in rules.funding_kinds]
        top = self.row
        self.label(top, A, "项目资金\n(万元)", rowspan=2 + len(kinds))
        self.label(top, B, "")
        for col, caption in zip(
            (C, D, E, F, G, H),
            ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
            strict=True,
        ):
            self.label(top, col, caption, colspan=2 if col == H else 1)
        total_row = top + 1
        kind_rows = {k: total_row + 1 + i for i, k in enumerate(kinds)}

        # 其中 rows first (the total's formulas refer to them)
        for i, kind in enumerate(kinds):
            row = kind_rows[kind]
            amounts = self.report.funding.by_kind.get(kind)
            self.label(row, B, ("其中:" if i == 0 else "") + kind.value, align="left")
            for column, col in AMOUNT_COLS.items():
                self.money(row, col, getattr(amounts, column) if amounts else None)
            self.label(row, F, DASH)
            value = figures.rate_of(amounts, ex.basis) if amounts else None
            basis_col = AMOUNT_COLS.get(ex.basis)
            formula = None
            if basis_col is not None:
                b, x = self.grid.a1(row, basis_col), self.grid.a1(row, E)
                formula = f'=IF(N({b})<>0,N({x})/{b},"")'
            self.rate(row, G, value, formula)
            self.label(row, H, DASH, colspan=2)

        # 年度资金总额
        self.label(total_row, B, "年度资金总额", align="left")
        for column, col in AMOUNT_COLS.items():
            value = figures.total[column]
            formula = None
            if figures.derived[column] and not self.report.funding.details:
                formula = self.checked_sum([(kind_rows[k], col) for k in kinds], value)
            self.money(total_row, col, value, formula)
        weight_cell = self.number(total_row, F, self.sheet.execution_weight)
        basis_col = self._basis_col()
        rate_ref = self.grid.a1(total_row, G)
        formula = None
        if basis_col is not None:
            b, x = self.grid.a1(total_row, basis_col), self.grid.a1(total_row, E)
            formula = f'=IF(AND(ISNUMBER({x}),N({b})<>0),{x}/{b},"")'
        self.rate(total_row, G, figures.execution_rate, formula)
        score_formula = None
        if weight_cell.value is not None:
            w = self.grid.a1(total_row, F)
            score_formula = (
                f"=IF(ISNUMBER({rate_ref}),ROUND(MAX(MIN({rate_ref},1),0)*{w},{ex.decimals}),0)"
            )
        self.number(total_row, H, self.sheet.execution_score, ex.decimals, colspan=2,
                    formula=score_formula)
        self.exec_rows = (total_row, rate_ref)
        self.row = total_row + 1 + len(kinds)

    def _basis_col(self) -> int | None:
        ex, figures = self.rules.execution, self.sheet.funding
        if ex.basis == "annual_budget" and figures.total["annual_budget"] is None:
            return C if figures.total["initial_budget"] is not None else D
        return AMOUNT_COLS.get(ex.basis)

    def goals(self) -> None:
        g, top = self.report.goals, self.row
        self.label(top, A, "年度总体目标", rowspan=2)
        self.label(top, B, "预期目标", colspan=3)
        self.label(top, E, "实际完成情况", colspan=5)
        self.text(top + 1, B, g.expected, colspan=3)
        self.text(top + 1, E, g.actual, colspan=5)
        self.row = top + 2

    def indicators(self) -> None:
        top = self.row
        leaves = leaf_rows(self.report.indicators)
        self.label(top, A, "绩效指标", rowspan=1 + max(len(leaves), 1))
        self.indicator_top = top
        for col, caption in zip(
            (B, C, D, E, F, G, H, I),
            ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "偏差原因分析及改进措施"),
            strict=True,
        ):
            self.label(top, col, caption)
        first = top + 1
        rows_of: dict[str, list[int]] = {}
        for i, leaf in enumerate(leaves):
            for n in leaf.path[:-1]:
                rows_of.setdefault(n.id, []).append(first + i)
        # leaves first: the branch labels' formulas refer to their 分值 cells
        for i, leaf in enumerate(leaves):
            self.leaf(first + i, leaf)
        # merged first-/second-level cells
        done: set[str] = set()
        for leaf in leaves:
            for level, n in enumerate(leaf.path[:-1][:2]):
                if n.id in done:
                    continue
                done.add(n.id)
                rows = rows_of[n.id]
                self.branch(rows[0], B + level, n, rows)
        if not leaves:
            self.grid.add(Cell(first, B, "", colspan=8))
        self.leaf_rows = [first + i for i in range(len(leaves))]
        self.row = first + max(len(leaves), 1)

    def branch(self, row: int, col: int, node: IndicatorNode, rows: list[int]) -> None:
        """A merged first-/second-level cell: ``产出指标 (50分)``, the weight live in XLSX.

        Where the label does not fit the column on one line the weight goes on a line of
        its own (``可持续影响指标`` / ``(14分)``) rather than breaking inside the brackets.
        """
        weight = self.sheet.nodes[node.id].weight
        one_line = f"{node.name} ({plain(weight)}分)"
        wrap = display_width(one_line) > self.grid.columns[col] - 0.5
        text = f"{node.name}\n({plain(weight)}分)" if wrap else one_line
        formula = self.checked_sum([(r, G) for r in rows], weight)
        if formula is not None:  # ="产出指标 ("&SUM(G20:G33)&"分)"
            head = f"{quote(node.name)}&CHAR(10)&{quote('(')}" if wrap else quote(node.name + " (")
            formula = f"={head}&{formula[1:]}&{quote('分)')}"
        self.grid.add(
            Cell(row, col, text, rowspan=len(rows), kind=Kind.LABEL, formula=formula)
        )

    def leaf(self, row: int, leaf: Leaf) -> None:
        node = leaf.node
        ns = self.sheet.nodes[node.id]
        level = len(leaf.path)
        name_col = B + min(level, 3) - 1
        if level > 3:  # deeper trees: the third-level cell names the whole tail
            name = "／".join(n.name for n in leaf.path[2:])
        else:
            name = node.name
        self.text(row, name_col, name, colspan=D - name_col + 1)
        self.text(row, E, node.target_text, align="center")
        self.text(row, F, node.actual_text, align="center")
        na = isinstance(node.method, NotApplicableMethod)
        if na:
            self.number(row, G, None)
            self.number(row, H, None)
            reason = "\n".join(t for t in (node.unscored_reason, node.deviation_reason) if t)
        else:
            self.number(row, G, ns.weight if node.weight is not None else None)
            self.number(row, H, ns.score if ns.scored else None, self.rules.score_decimals)
            reason = node.deviation_reason
        self.text(row, I, reason)

    def total(self) -> None:
        s, rules, row = self.sheet, self.rules, self.row
        total_row, rate_ref = self.exec_rows
        self.label(row, A, "总分", colspan=6)
        g_refs = [(total_row, F)] + [(r, G) for r in self.leaf_rows]
        h_refs = [(total_row, H)] + [(r, H) for r in self.leaf_rows]
        self.number(row, G, s.total_weight, formula=self.checked_sum(g_refs, s.total_weight))

        # 总分: executed score + leaf scores, rescaled and capped as the rule set says
        formula = total_formula(self.grid, rules, s, h_refs, g_refs, self.grid.a1(row, G),
                                rate_ref)
        self.number(row, H, s.total, rules.total_decimals, formula=formula)
        # 等次 (grade) from the total, then the grade caps, strictest first
        grade = grade_formula(rules, self.grid.a1(row, H), rate_ref)
        self.grid.add(Cell(row, I, s.grade, kind=Kind.LABEL, formula=grade))
        row += 1

        self.row = row
        self.grid.keep_together.append((self.indicator_top, row - 1))


def build_self_eval_grid(
    report: Report, manifest: Manifest, sheet: ScoreSheet, attachment: str | None = "附件1"
) -> Grid:
    """The 项目支出绩效自评表 of ``report`` as printed (seed 002 附件1).

    ``sheet`` is ``compute(report, manifest.rules)``; ``attachment`` is the 附件 label
    printed above the title (None: none).
    """
    return _Builder(report, manifest, sheet).build(attachment)


def build_parts(report: Report, manifest: Manifest, sheet: ScoreSheet) -> list[FormPart]:
    """附件1 项目支出绩效自评表 (the 广东 report's 附件2 is the report itself)."""
    grid = build_self_eval_grid(report, manifest, sheet)
    return [FormPart("附件1", "项目支出绩效自评表", grid)]
