"""区级预算支出部门评价表 (云南; spec §3.2, seed 004 附件1) as a Grid, portrait A4.

Eight columns; the header block, the funding block and the score table share them::

    A          B     C          D     E                F          G          H
    项目名称   {项目名称} (B:H)
    主管部门   {主管部门} (B:D)        项目实施单位     {实施单位} (F:H)
    项目负责人 {负责人} (B:D)          联系电话         {联系电话} (F:H)
    项目类型   经常性项目（ √ ）  一次性项目（  ） (B:H)
    项目资金   项目支出明细内容 (B:D)  年初预算数       实际到位数 实际支出数 执行率
    （万元）   {明细} (B:D)            9.00             9.00       9.00       100%
    合　　计 (A:D)                     …
    其中：中央财政 / 省级财政 / 市级财政 / 区级财政 / 其他 (A:D) …
    年度总体   预期目标 (B:E)                           实际完成情况 (F:H)
    目标       {预期目标} (B:E)                         {实际完成情况} (F:H)
    二、绩效评价指标评分（参考） (A:H)
    一级指标   分值  二级指标   分值  三级指标 (E:F)               分值       得分
    决策       40    项目立项   6     立项依据充分性               3          3
    …          (merged over 决策 and 过程: the grouped weight cell of ``weight_groups``)
    总分       100              100                                100        100
    评价等次   优 ☑　　良 □　　中 □　　差 □ (B:H)
               100-90（含）分为优、90-80（含）分为良、80-60（含）分为中、60分以下为差
    问题和建议 {问题和建议} (B:H)
    评价人员 (A:H)
    姓名 (A:B) 职务/职称 (C:D)         单位 (E:F)                  签字 (G:H)

Below the table: the three signature lines with 年 月 日 and the 注.  Every number
comes from the ScoreSheet and the rounding helpers; the XLSX cells of sums, rates, the
grouped weights, 总分 and the ticked 评价等次 carry live formulas giving the same values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ..model.dates import chinese_date
from ..model.report import (
    Amounts,
    FundingSource,
    NotApplicableMethod,
    ProjectType,
    Report,
)
from ..scoring.engine import ScoreSheet
from ..scoring.rounding import ZERO, as_typed, percent, plain, round_half_up
from ..templates.manifest import Manifest, Rules
from .builder import (
    Leaf,
    grade_formula,
    leaf_rows,
    note_lines,
    number_literal,
    suggestions_text,
    sum_formula,
    total_formula,
    weight_group_spans,
)
from .forms import FormPart
from .grid import Align, Cell, Grid, Kind, Line
from .xlsx_template import typed_format

A, B, C, D, E, F, G, H = range(8)
COLUMN_WIDTHS = [12.0, 6.0, 13.0, 6.0, 14.0, 13.0, 13.0, 11.0]
FORM_TITLE = "区级预算支出部门评价表"
# the 注 below the form: one line in 小五 (9 pt), which the widest sheet still holds unwrapped
NOTE = ("注：绩效评价指标可参考《云南省项目支出绩效评价管理办法》中附件2："
        "《项目支出绩效评价指标体系框架》设置。")
NOTE_SIZE = 9.0
IDEO = "\u3000"  # ideographic space: kept by every office program, one CJK character wide

# which table column holds which amount of the funding block
AMOUNT_COLS: dict[str, int] = {"initial_budget": E, "received": F, "executed": G}
SOURCES: tuple[FundingSource, ...] = (
    FundingSource.CENTRAL,
    FundingSource.PROVINCIAL,
    FundingSource.CITY,
    FundingSource.COUNTY,
    FundingSource.OTHER,
)

_REGION = re.compile(
    r"^(?:[^省]{2,8}?(?:省|自治区))?"
    r"(?:[^市州]{2,8}?(?:市|自治州|州|地区|盟))?"
    r"([^省市州区县]{1,6}?(?:区|县|旗))"
)


# ---- small shared helpers (also used by third_party_tables) ------------------------------


def checked_sum(grid: Grid, refs: Sequence[tuple[int, int]], expected: Decimal | None,
                decimals: int | None = None) -> str | None:
    """``=SUM(refs)`` when the values of the cells at ``refs`` add up to ``expected``.

    With ``decimals`` the sum is wrapped in ``ROUND`` and compared after rounding.
    """
    if expected is None:
        return None
    anchors = grid.anchors()
    values = [c.value for rc in refs if (c := anchors.get(rc)) is not None and c.value is not None]
    if not values:
        return None
    total = sum(values, ZERO)
    formula = sum_formula(grid, refs)
    if decimals is not None:
        total = round_half_up(total, decimals)
        formula = f"ROUND({formula},{decimals})"
    return "=" + formula if total == expected else None


def grade_ticks(rules: Rules, chosen: str | None) -> str:
    """``优 ☑　　良 □　　中 □　　差 □`` with ``chosen`` ticked."""
    return (IDEO * 2).join(f"{g.name} {'☑' if g.name == chosen else '□'}" for g in rules.grades)


def grade_legend(rules: Rules) -> str:
    """``100-90（含）分为优、90-80（含）分为良、80-60（含）分为中、60分以下为差``."""
    parts: list[str] = []
    upper = rules.total_weight
    for band in rules.grades:
        if band.min > ZERO:
            parts.append(f"{plain(upper)}-{plain(band.min)}（含）分为{band.name}")
        else:
            parts.append(f"{plain(upper)}分以下为{band.name}")
        upper = band.min
    return "、".join(parts)


def region_of(report: Report) -> str | None:
    """The 区/县: the 地区 the clerk typed, else read from the unit's name
    (``昆明市五华区医疗保障局`` → ``五华区``); None when unknown."""
    if report.meta.region.strip():
        return report.meta.region.strip()
    for text in (report.meta.unit, report.project.department, report.project.implementer):
        m = _REGION.match(text.strip())
        if m:
            return m.group(1)
    return None


def _level_char(region: str | None) -> str:
    """区 or 县: the level the form is printed for (五华区 → 区级, 某某县 → 县级)."""
    return "县" if region is not None and region.endswith("县") else "区"


def yunnan_title(report: Report) -> str:
    region = region_of(report)
    if region is None:
        return FORM_TITLE
    return f"{region}{_level_char(region)}级预算支出部门评价表"


class _Builder:
    def __init__(self, report: Report, manifest: Manifest, sheet: ScoreSheet) -> None:
        self.report = report
        self.rules = manifest.rules
        self.sheet = sheet
        self.grid = Grid(columns=list(COLUMN_WIDTHS), orientation="portrait", name=FORM_TITLE)
        self.region = region_of(report)
        self.row = 0
        self.grade_row = 0
        self.indicator_head = 0
        self.rate_ref: str | None = None

    # ---- cells -------------------------------------------------------------------------
    def label(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1,
              align: Align | None = None, bold: bool = False, formula: str | None = None,
              value: Decimal | None = None) -> Cell:
        return self.grid.add(Cell(row, col, text, rowspan, colspan, Kind.LABEL, align=align,
                                  bold=bold, formula=formula, value=value))

    def text(self, row: int, col: int, text: str, colspan: int = 1,
             align: Align | None = None) -> Cell:
        return self.grid.add(Cell(row, col, text, 1, colspan, Kind.TEXT, align=align))

    def number(self, row: int, col: int, value: Decimal | None, decimals: int = 2,
               rowspan: int = 1, colspan: int = 1, formula: str | None = None) -> Cell:
        if value is None:
            return self.grid.add(Cell(row, col, "", rowspan, colspan, Kind.NUMBER))
        shown = round_half_up(value, decimals)
        return self.grid.add(Cell(row, col, plain(shown, decimals), rowspan, colspan,
                                  Kind.NUMBER, value=shown, formula=formula))

    def money(self, row: int, col: int, value: Decimal | None,
              formula: str | None = None) -> Cell:
        if value is None:
            return self.grid.add(Cell(row, col, "", kind=Kind.AMOUNT))
        return self.grid.add(Cell(row, col, as_typed(value), kind=Kind.AMOUNT, value=value,
                                  formula=formula, number_format=typed_format(value)))

    def rate(self, row: int, value: Decimal | None, formula: str | None) -> Cell:
        d = self.rules.execution.rate_display_decimals
        return self.grid.add(Cell(row, H, percent(value, d), kind=Kind.PERCENT, value=value,
                                  formula=formula, decimals=d))

    # ---- the form ----------------------------------------------------------------------
    def build(self, attachment: str | None) -> Grid:
        m = self.report.meta
        year = str(m.year) if m.year is not None else IDEO * 2
        if attachment:
            self.grid.title_lines.append(
                Line([f"{attachment}："], align="left", size=14, role="heading"))
        self.grid.title_lines += [
            Line([yunnan_title(self.report)], align="center", bold=True, size=18, role="title"),
            Line([f"（ {year} ）年度"], align="center", size=12),
        ]
        if self.region is None:
            unit = m.unit or self.report.project.implementer
            self.grid.title_lines.append(Line([f"填报单位：{unit}"], align="left", size=12))
        self.header()
        self.funding()
        self.goals()
        self.indicators()
        self.grade()
        self.people()
        # 评价等次 … 评价人员 travel together (with the signature lines and the 注 where the
        # writer keeps them with the table): a page never holds the lines under the form alone
        self.grid.keep_together.append((self.grade_row, self.row - 1))
        self.grid.repeat_rows, self.grid.repeat_from = 1, self.indicator_head
        self.footer()
        self.grid.check()
        return self.grid

    def header(self) -> None:
        p, m = self.report.project, self.report.meta
        self.label(0, A, "项目名称")
        self.text(0, B, p.name, colspan=7)
        self.label(1, A, "主管部门")
        self.text(1, B, p.department, colspan=3)
        self.label(1, E, "项目实施单位")
        self.text(1, F, p.implementer, colspan=3)
        self.label(2, A, "项目负责人")
        self.text(2, B, p.leader, colspan=3)
        self.label(2, E, "联系电话")
        self.text(2, F, m.phone, colspan=3)
        self.label(3, A, "项目类型")
        tick = {t: "√" if m.project_type is t else IDEO for t in ProjectType}
        self.text(3, B, f"经常性项目（ {tick[ProjectType.RECURRING]} ）{IDEO * 4}"
                        f"一次性项目（ {tick[ProjectType.ONE_OFF]} ）", colspan=7)
        self.row = 4

    # funding -----------------------------------------------------------------------------
    def _basis_col(self) -> int | None:
        """Column of the execution rate's denominator, None when the form has none."""
        basis, figures = self.rules.execution.basis, self.sheet.funding
        if basis == "annual_budget":
            return E if figures.total["annual_budget"] is None else None
        return AMOUNT_COLS.get(basis)

    def _row_rate(self, amounts: Amounts | None) -> Decimal | None:
        if amounts is None:
            return None
        basis = self.rules.execution.basis
        denominator: Decimal | None = getattr(amounts, basis)
        if basis == "annual_budget" and denominator is None:
            denominator = amounts.initial_budget
        if not denominator:
            return None
        return (amounts.executed or ZERO) / denominator

    def _amount_row(self, row: int, amounts: Amounts | None) -> None:
        for column, col in AMOUNT_COLS.items():
            self.money(row, col, getattr(amounts, column) if amounts else None)
        basis_col = self._basis_col()
        formula = None
        if basis_col is not None:
            b, x = self.grid.a1(row, basis_col), self.grid.a1(row, G)
            formula = f'=IF(N({b})<>0,N({x})/{b},"")'
        self.rate(row, self._row_rate(amounts), formula)

    def funding(self) -> None:
        table, figures = self.report.funding, self.sheet.funding
        top = self.row
        details = table.details or []
        n_details = max(len(details), 1)
        self.label(top, A, "项目资金\n（万元）", rowspan=1 + n_details)
        self.label(top, B, "项目支出明细内容", colspan=3)
        for col, caption in zip((E, F, G, H), ("年初预算数", "实际到位数", "实际支出数", "执行率"),
                                strict=True):
            self.label(top, col, caption)
        detail_rows = [top + 1 + i for i in range(n_details)]
        for i, row in enumerate(detail_rows):
            d = details[i] if i < len(details) else None
            self.text(row, B, d.name if d else "", colspan=3)
            self._amount_row(row, d.amounts if d else None)
        total_row = top + 1 + n_details
        source_rows = [total_row + 1 + i for i in range(len(SOURCES))]

        # 其中 rows first: the 合计 formulas may refer to them
        level = _level_char(self.region)
        names = {s: s.value for s in SOURCES}
        names[FundingSource.COUNTY] = f"{level}级财政"
        width = max(len(n) for n in names.values()) + 3
        for i, (source, row) in enumerate(zip(SOURCES, source_rows, strict=True)):
            name = ("其中：" if i == 0 else IDEO * 3) + names[source]
            self.label(row, A, name.ljust(width, IDEO), colspan=4)
            self._amount_row(row, table.by_source.get(source))

        # 合计 is left blank, as the published form prints it; formulas needing the
        # execution rate use the computed rate as a literal
        self.label(total_row, A, f"合{IDEO * 2}计", colspan=4)
        for col in (E, F, G, H):
            self.text(total_row, col, "")
        rate = figures.execution_rate
        self.rate_ref = number_literal(rate) if rate is not None else None
        self.row = source_rows[-1] + 1

    def goals(self) -> None:
        g, top = self.report.goals, self.row
        self.label(top, A, "年度总体目标", rowspan=2)
        self.label(top, B, "预期目标", colspan=4)
        self.label(top, F, "实际完成情况", colspan=3)
        self.text(top + 1, B, g.expected, colspan=4)
        self.text(top + 1, F, g.actual, colspan=3)
        self.row = top + 2

    # indicators --------------------------------------------------------------------------
    def indicators(self) -> None:
        top = self.row
        self.label(top, A, "二、绩效评价指标评分（参考）", colspan=8, align="left", bold=True)
        head = top + 1
        self.indicator_head = head
        for col, caption in ((A, "一级指标"), (B, "分值"), (C, "二级指标"), (D, "分值"),
                             (G, "分值"), (H, "得分")):
            self.label(head, col, caption)
        self.label(head, E, "三级指标", colspan=2)
        first = head + 1
        rows = leaf_rows(self.report.indicators)
        rows_of: dict[str, list[int]] = {}
        for i, item in enumerate(rows):
            for n in item.path:
                rows_of.setdefault(n.id, []).append(first + i)
        # the printed rows first: the merged cells' formulas refer to their 分值 cells
        for i, item in enumerate(rows):
            self.indicator_row(first + i, item)
        if not rows:
            self.grid.add(Cell(first, A, "", colspan=8))
        last = first + max(len(rows), 1) - 1
        leaf_weights = [(r, G) for r in range(first, last + 1)]

        # second level: name and weight merged over its rows
        second_cells: list[tuple[int, int]] = []
        for n1 in self.report.indicators:
            for n2 in n1.children:
                rs = rows_of[n2.id]
                self.label(rs[0], C, n2.name, rowspan=len(rs))
                if n2.children:
                    weight = self.sheet.nodes[n2.id].weight
                    refs = [(r, G) for r in rs]
                    self.number(rs[0], D, weight, rowspan=len(rs),
                                formula=checked_sum(self.grid, refs, weight))
                    second_cells.append((rs[0], D))
        # first level: names merged over their rows, weights merged over their groups
        groups = weight_group_spans(self.report)
        first_cells: list[tuple[int, int]] = []
        done: set[int] = set()
        for i, n1 in enumerate(self.report.indicators):
            rs = rows_of[n1.id]
            self.label(rs[0], A, n1.name, rowspan=len(rs))
            if i in done:
                continue
            members = groups.get(i, [i])
            done.update(members)
            span = [r for k in members for r in rows_of[self.report.indicators[k].id]]
            weight = sum((self.sheet.nodes[self.report.indicators[k].id].weight
                          for k in members), ZERO)
            if all(not self.report.indicators[k].children for k in members) and all(
                    self.report.indicators[k].weight is None for k in members):
                self.number(span[0], B, None, rowspan=len(span))
                continue
            self.number(span[0], B, weight, rowspan=len(span),
                        formula=checked_sum(self.grid, [(r, G) for r in span], weight))
            first_cells.append((span[0], B))

        # 总分 100 | 100 | 100 | 100
        s, row = self.sheet, last + 1
        weight = sum((s.nodes[n.id].weight for n in self.report.indicators), ZERO)
        self.label(row, A, "总分")
        self.number(row, B, weight, formula=checked_sum(self.grid, first_cells, weight))
        self.label(row, C, "")
        self.number(row, D, weight, formula=checked_sum(self.grid, second_cells, weight))
        self.label(row, E, "", colspan=2)
        self.number(row, G, weight, formula=checked_sum(self.grid, leaf_weights, weight))
        score_refs = [(r, H) for r in range(first, last + 1)]
        formula = total_formula(self.grid, self.rules, s, score_refs, leaf_weights,
                                self.grid.a1(row, G), self.rate_ref)
        if s.execution_weight is not None:
            formula = None  # the 预算执行率 block is not on this form: its scores alone fall short
        self.number(row, H, s.total, self.rules.total_decimals, formula=formula)
        self.total_ref = self.grid.a1(row, H)
        # no heading left alone at the foot of a page
        self.grid.keep_together.append((top, min(first, last)))
        self.row = row + 1

    def indicator_row(self, row: int, item: Leaf) -> None:
        node, level = item.node, len(item.path)
        ns = self.sheet.nodes[node.id]
        na = isinstance(node.method, NotApplicableMethod)
        if level == 1:  # a first-level indicator without children: an empty row
            self.label(row, C, "")
            self.label(row, D, "")
            self.label(row, E, "", colspan=2)
        elif level == 2:  # an empty second-level row (产出成本, 经济效益 …)
            self.number(row, D, node.weight)
            self.label(row, E, "", colspan=2)
        else:
            name = node.name if level == 3 else "／".join(n.name for n in item.path[2:])
            if na and node.unscored_reason:
                name += f"（不适用：{node.unscored_reason}）"
            self.text(row, E, name, colspan=2, align="center")
        empty_branch = level < 3 and node.weight is None
        if na or empty_branch:
            self.number(row, G, None)
            self.number(row, H, None)
            return
        if level < 3:
            self.number(row, G, None)
        else:
            self.number(row, G, ns.weight if node.weight is not None else None)
        self.number(row, H, ns.score if ns.scored else None, self.rules.score_decimals)

    # grade, people, signatures -------------------------------------------------------------
    def grade(self) -> None:
        row, s, rules = self.row, self.sheet, self.rules
        self.grade_row = row
        self.label(row, A, "评价等次", rowspan=2)
        ticks = {g.name: grade_ticks(rules, g.name) for g in rules.grades}
        formula = grade_formula(rules, self.total_ref, self.rate_ref, ticks)
        self.label(row, B, grade_ticks(rules, s.grade), colspan=7, align="left",
                   formula=formula)
        self.text(row + 1, B, grade_legend(rules), colspan=7)
        self.grid.keep_together.append((row, row + 1))
        row += 2
        self.label(row, A, "问题和建议")
        self.text(row, B, suggestions_text(self.report), colspan=7)
        self.row = row + 1

    def people(self) -> None:
        row = self.row
        self.label(row, A, "评价人员", colspan=8)
        spans = ((A, "姓名"), (C, "职务/职称"), (E, "单位"), (G, "签字"))
        for col, caption in spans:
            self.label(row + 1, col, caption, colspan=2)
        people = self.report.evaluators
        n = len(people) if people else 3  # blank rows to write in by hand
        for i in range(n):
            r = row + 2 + i
            p = people[i] if people else None
            for (col, _caption), value in zip(
                spans, (p.name, p.title, p.unit, "") if p else ("", "", "", ""), strict=True
            ):
                self.text(r, col, value, colspan=2, align="center")
        self.grid.keep_together.append((row, row + 1 + n))
        self.row = row + 2 + n

    def footer(self) -> None:
        fill_date = self.report.meta.fill_date
        blank_date = f"年{IDEO * 2}月{IDEO * 2}日"
        filled = (chinese_date(fill_date)
                  if fill_date is not None else blank_date)
        for caption, date in (("填报人（签字）：", filled), ("评价组组长（签字）：", blank_date),
                              ("评价部门负责人（签字并盖章）：", blank_date)):
            self.grid.footer_lines.append(Line([caption, date], align="left", size=12))
        self.grid.footer_lines.append(Line([NOTE], align="left", size=NOTE_SIZE))
        self.grid.footer_lines += note_lines(self.sheet)


def build_yunnan_grid(report: Report, manifest: Manifest, sheet: ScoreSheet,
                      attachment: str | None = "附件1") -> Grid:
    """The 区级预算支出部门评价表 of ``report`` as printed (seed 004 附件1).

    ``sheet`` is ``compute(report, manifest.rules)``; ``attachment`` is the 附件 label
    printed above the title (None: none).
    """
    return _Builder(report, manifest, sheet).build(attachment)


def build_parts(report: Report, manifest: Manifest, sheet: ScoreSheet) -> list[FormPart]:
    """附件1 区级预算支出部门评价表, printed before the report as seed 004 prints it."""
    return [FormPart("附件1", FORM_TITLE, build_yunnan_grid(report, manifest, sheet),
                     first=True)]
