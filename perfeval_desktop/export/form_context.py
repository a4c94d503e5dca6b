"""What a form template (``forms.xlsx``) can name: the report and its scores as placeholders.

Every computed figure is a :class:`~.live.Live` that knows its live formula, so the
filled sheet recalculates in Excel/WPS exactly as the engine computed it.  The names
(Chinese, as the forms print them) are listed in :data:`FORM_CONTEXT_HELP`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..model.dates import chinese_date
from ..model.report import (
    Amounts,
    FundingKind,
    FundingSource,
    IndicatorNode,
    NotApplicableMethod,
    Report,
)
from ..scoring.engine import ScoreSheet
from ..scoring.rounding import ZERO, plain, round_half_up
from ..templates.families import family_forms
from ..templates.manifest import Manifest, Rules
from .form_values import (
    FIT_SHARE,
    actual_of,
    cap_notes,
    completion_status,
    grade_legend,
    grade_ticks,
    leaf_rows,
    level_char,
    level_rows,
    nature_of,
    region_of,
    score_note,
    suggestions_text,
    target_of,
    weight_group_spans,
)
from .formulas import grade_formula, number_literal, quote, total_expression
from .live import (
    Formula,
    Key,
    Live,
    Many,
    live_amount,
    live_label,
    live_number,
    live_percent,
    sum_of,
)

FORM_CONTEXT_HELP: dict[str, str] = {
    "附件标识": "附件编号，如 附件1",
    "表名": "表格名称",
    "项目名称": "项目名称",
    "主管部门": "主管部门",
    "实施单位": "实施单位",
    "项目负责人": "项目负责人",
    "项目类型": "项目类型：经常性、一次性，未选时为空",
    "地区": "地区（区、县名称，如 五华区）：填写的地区，未填时从单位名称中读出，读不出时为空",
    "地区级别": "区 或 县（地区以“县”结尾时），如 {{ 地区级别 }}级财政",
    "填报单位": "填报单位（未填时同实施单位）",
    "年度": "评价年度",
    "联系人": "联系人（基本信息中的联系人，可与填报人不同）",
    "联系电话": "联系电话",
    "单位负责人": "单位负责人",
    "填报日期": "填报日期，如 2024年5月6日；未填时为空",
    "预期目标": "年度总体目标：预期目标",
    "实际完成情况": "年度总体目标：实际完成情况",
    "资金": "年度资金总额（合计）：资金.年初预算数、资金.全年预算数、资金.实际到位数、"
            "资金.全年执行数、资金.分值、资金.执行率、资金.得分；资金.指标名称（预算执行率这一项"
            "的名称，资金.分值 为空时没有这一项）",
    "资金类别": "资金来源各行（循环）：类.名称、类.年初预算数、类.全年预算数、类.实际到位数、"
                "类.全年执行数、类.执行率",
    "资金明细": "项目支出明细内容各行（循环；没有明细时为一个空行）：项.名称 及金额、执行率，"
                "同 资金类别",
    "资金来源": "按财政级次的各行：资金来源.中央财政、资金来源.省级财政、资金来源.市级财政、"
                "资金来源.区县级财政、资金来源.其他，各有金额、执行率，同 资金类别",
    "资金计划": "资金计划、到位及使用情况：资金计划.计划数（年初预算数，未填时为全年预算数）、"
                "资金计划.到位数、资金计划.使用数、资金计划.到位率、资金计划.使用率",
    "指标行": "每个末级指标一行（循环）：行.一级、行.二级（各有 名称、分值、得分、得分率、"
              "标签）、行.名称、行.层级、行.年度指标值、行.实际完成值、行.分值、行.得分、"
              "行.偏差原因、行.不适用、行.不适用原因、行.完成情况（已完成/部分完成/未完成及偏差"
              "原因）、行.评分说明（失分的计算过程及原因）；行.指标性质（≥、=、≤、定性）、"
              "行.指标值、行.完成值（年度指标值、实际完成值，未填时为计分方法中的数值）、"
              "行.度量单位；按级次分列分值的表（云南）：行.分值组.分值（一级指标的分值格，"
              "同一分值组的一级指标共用一格，如 决策+过程 40）、行.二级分值（没有下级的二级"
              "指标的分值，其他行为空）、行.三级分值（三级指标的分值，没有下级的一级、二级"
              "指标为空）",
    "绩效目标行": "填了年度指标值的末级指标（都没填时为全部末级指标；循环），内容同 指标行",
    "一级指标": "一级指标（循环）：项.名称、项.分值、项.得分、项.得分率、项.标签、"
                "项.评分行（见 本表一级指标）",
    "本表一级指标": "每个一级指标一张的表（第三方 表2…表N，工作表名为“一级指标评分表”）"
                    "所评的一级指标，内容同 一级指标 的一项；本表一级指标.评分行 每个末级指标"
                    "一行（循环）：行.二级（名称 等）、行.名称（没有下级的二级指标为空）、"
                    "行.绩效分值、行.实际得分（不适用时为“不适用”）",
    "问题清单": "存在的问题（循环）：项.问题、项.原因、项.整改措施、项.责任单位、项.完成时限",
    "总分值": "各项分值合计",
    "一级分值合计": "一级指标分值格（行.分值组.分值）合计",
    "二级分值合计": "有下级的二级指标分值合计",
    "总分": "总分",
    "总得分率": "总分 ÷ 总分值",
    "等次": "评价等次",
    "等次勾选": "各等次打勾：优 ☑　　良 □　　中 □　　差 □",
    "等次说明": "各等次的分数段：100-90（含）分为优、90-80（含）分为良……",
    "问题和建议": "问题和建议：填写的内容，未填时为各条问题及整改建议",
    "评价人员": "评价人员（循环）：人.姓名、人.职务（职务/职称）、人.单位",
    "计分说明": "总分/等次封顶说明等（循环）：说明.标题、说明.内容",
}

AMOUNT_NAMES = {"initial_budget": "年初预算数", "annual_budget": "全年预算数",
                "received": "实际到位数", "executed": "全年执行数"}
# how wide a one-line 标签 (``产出 (40分)``) may be, as (share of the cell, margin): a
# family whose 附件 are printed in Word with their columns scaled to the type area
# (``narrow_labels``: 宿州, 四川) has narrower cells
NARROW_FIT, WIDE_FIT = (FIT_SHARE, 1.0), (1.0, 0.5)
# 资金来源 by its name in a template (资金来源.区县级财政)
SOURCE_NAMES = {FundingSource.CENTRAL: "中央财政", FundingSource.PROVINCIAL: "省级财政",
                FundingSource.CITY: "市级财政", FundingSource.COUNTY: "区县级财政",
                FundingSource.OTHER: "其他"}
RATE_DECIMALS = 2  # 得分率


def _rate_formula(weight: Key, score: Key) -> Formula:
    return Formula('IF(N({w})<>0,{s}/{w},"")', {"w": weight, "s": score})


def _node_entry(node: IndicatorNode, sheet: ScoreSheet, leaves_under: list[IndicatorNode],
                leaf: bool, rules: Rules, fit: tuple[float, float]) -> dict[str, Any]:
    ns = sheet.nodes[node.id]
    d = rules.score_decimals
    weight_keys: tuple[Key, ...] = tuple(("weight", n.id) for n in leaves_under)
    score_keys: tuple[Key, ...] = tuple(("score", n.id) for n in leaves_under)
    if leaf:
        label = live_label(node.name)
    else:
        w = plain(ns.weight)
        one = Formula(quote(node.name + " (") + "&SUM({x})&" + quote("分)"),
                      {"x": Many(weight_keys)}, ("x",), ns.weight)
        two = Formula(quote(node.name) + "&CHAR(10)&" + quote("(") + "&SUM({x})&" + quote("分)"),
                      {"x": Many(weight_keys)}, ("x",), ns.weight)
        label = Live(None, live_label("").kind, label=f"{node.name} ({w}分)", formula=one,
                     narrow=f"{node.name}\n({w}分)", narrow_formula=two, fit=fit)
    shown = round_half_up(ns.score, d)
    return {
        "id": node.id,
        "名称": node.name,
        "分值": live_number(ns.weight, ("weight", node.id),
                            formula=sum_of(weight_keys, ns.weight) if not leaf else None),
        "得分": live_number(ns.score, ("level_score", node.id), d, formula=None if leaf else
                            Formula(f"ROUND(SUM({{x}}),{d})", {"x": Many(score_keys)}, ("x",),
                                    shown, round_to=d)),
        "得分率": live_percent(ns.rate, RATE_DECIMALS, None,
                              _rate_formula(("weight", node.id), ("level_score", node.id)))
        if ns.rate is not None else None,
        "标签": label,
    }


def _amount_row(name: str, row_key: Key, amounts: Amounts | None, basis: str,
                rate: Decimal | None, decimals: int) -> dict[str, Any]:
    """A row of the funding table: its amounts (keyed by ``row_key``) and 执行率, whose
    live formula divides by the ``basis`` column of the same row."""
    row: dict[str, Any] = {"名称": name}
    for column, caption in AMOUNT_NAMES.items():
        row[caption] = live_amount(getattr(amounts, column) if amounts else None,
                                   ("amount", row_key, column))
    formula = Formula('IF(N({b})<>0,N({x})/{b},"")',
                      {"b": ("amount", row_key, basis), "x": ("amount", row_key, "executed")})
    row["执行率"] = live_percent(rate, decimals, ("rate", row_key), formula)
    return row


def _score_rows(first: IndicatorNode, sheet: ScoreSheet, rules: Rules,
                entry: Callable[[IndicatorNode], dict[str, Any]]) -> list[dict[str, Any]]:
    """本表一级指标.评分行: the rows of a first-level indicator's own score table."""
    rows: list[dict[str, Any]] = []
    for second, node in level_rows(first):
        ns = sheet.nodes[node.id]
        na = isinstance(node.method, NotApplicableMethod)
        weight = node.weight if na else (ns.weight if node.weight is not None else None)
        if na:
            score = live_label("不适用", ("score", node.id))
        elif second is None and node.weight is None:
            score = live_number(None, ("score", node.id))
        else:
            score = live_number(ns.score if ns.scored else None, ("score", node.id),
                                rules.score_decimals)
        rows.append({
            "id": node.id,
            "二级": entry(second if second is not None else node),
            "名称": node.name if second is not None else "",
            "绩效分值": live_number(weight, ("weight", node.id)),
            "实际得分": score,
            "不适用": na,
        })
    return rows


def form_context(report: Report, manifest: Manifest, sheet: ScoreSheet,
                 key: str = "", title: str = "", indicator: str = "") -> dict[str, Any]:
    """The placeholders of a form template for ``report`` scored as ``sheet``; ``indicator``
    is the id of the first-level indicator a per-indicator table is about."""
    rules, meta, project = manifest.rules, report.meta, report.project
    region = region_of(report)
    ex = rules.execution
    figures = sheet.funding

    # ---- funding ----
    kinds = [FundingKind(k) for k in rules.funding_kinds]
    kind_rows: list[dict[str, Any]] = []
    for kind in kinds:
        amounts = report.funding.by_kind.get(kind)
        kind_rows.append(_amount_row(
            kind.value, kind.value, amounts, ex.basis,
            figures.rate_of(amounts, ex.basis) if amounts else None, ex.rate_display_decimals))
    # the detail lines and the sources (云南): a rate by the 年初预算数 where the rule's
    # 全年预算数 is typed nowhere
    no_annual = ex.basis == "annual_budget" and figures.total["annual_budget"] is None
    row_basis = "initial_budget" if no_annual else ex.basis

    def row_rate(amounts: Amounts | None) -> Decimal | None:
        if amounts is None:
            return None
        denominator: Decimal | None = getattr(amounts, ex.basis)
        if ex.basis == "annual_budget" and denominator is None:
            denominator = amounts.initial_budget
        return (amounts.executed or ZERO) / denominator if denominator else None

    details = report.funding.details
    detail_rows = [_amount_row(d.name, ("detail", i), d.amounts, row_basis, row_rate(d.amounts),
                               ex.rate_display_decimals) for i, d in enumerate(details)]
    if not detail_rows:  # one empty line to write in
        detail_rows = [_amount_row("", ("detail", 0), None, row_basis, None,
                                   ex.rate_display_decimals)]
    sources = {
        SOURCE_NAMES[source]: _amount_row(
            SOURCE_NAMES[source], source.value, report.funding.by_source.get(source), row_basis,
            row_rate(report.funding.by_source.get(source)), ex.rate_display_decimals)
        for source in SOURCE_NAMES
    }

    total_row: dict[str, Any] = {}
    for column, name in AMOUNT_NAMES.items():
        value = figures.total[column]
        formula = None
        if figures.derived[column] and details:
            formula = sum_of([("amount", ("detail", i), column) for i in range(len(details))],
                             value)
        elif figures.derived[column]:  # the 其中 rows, else (云南) the sources
            formula = Formula("SUM({x})", {"x": Many(tuple(("amount", k.value, column)
                                                           for k in kinds))}, ("x",), value,
                              otherwise=sum_of([("amount", s.value, column)
                                                for s in SOURCE_NAMES], value))
        total_row[name] = live_amount(value, ("amount", "total", column), formula)

    # 资金计划、到位及使用情况 (四川): amounts as typed (100, 9.21), 到位率 and 使用率
    plan_value = figures.total["initial_budget"]
    if plan_value is None:
        plan_value = figures.total["annual_budget"]
    plan: dict[str, Any] = {}
    for name, value in (("计划数", plan_value), ("到位数", figures.total["received"]),
                        ("使用数", figures.total["executed"])):
        plan[name] = live_number(value, ("plan", name))
    for name, num, den in (("到位率", "到位数", "计划数"), ("使用率", "使用数", "到位数")):
        n, d = plan[num].value, plan[den].value
        plan[name] = live_percent(
            n / d if n is not None and d else None, 2, None,
            Formula('IF(AND(ISNUMBER({n}),N({d})<>0),{n}/{d},"")',
                    {"n": ("plan", num), "d": ("plan", den)}))
    basis_col = ex.basis
    if ex.basis == "annual_budget" and figures.total["annual_budget"] is None:
        basis_col = "initial_budget" if figures.total["initial_budget"] is not None \
            else "annual_budget"
    rate_formula = None
    if basis_col in AMOUNT_NAMES:
        rate_formula = Formula('IF(AND(ISNUMBER({x}),N({b})<>0),{x}/{b},"")',
                               {"b": ("amount", "total", basis_col),
                                "x": ("amount", "total", "executed")})
    total_row["执行率"] = live_percent(figures.execution_rate, ex.rate_display_decimals,
                                     ("rate", "total"), rate_formula)
    total_row["分值"] = live_number(sheet.execution_weight, ("exec_weight",))
    score_formula = None
    if sheet.execution_weight is not None:
        score_formula = Formula(
            f"IF(ISNUMBER({{r}}),ROUND(MAX(MIN({{r}},1),0)*{{w}},{ex.decimals}),0)",
            {"r": ("rate", "total"), "w": ("exec_weight",)})
    total_row["得分"] = live_number(sheet.execution_score, ("exec_score",), ex.decimals,
                                   score_formula)
    total_row["指标名称"] = ex.label

    # ---- indicators ----
    leaves = leaf_rows(report.indicators)
    under: dict[str, list[IndicatorNode]] = {}
    for lf in leaves:
        for n in lf.path[:-1]:
            under.setdefault(n.id, []).append(lf.node)
    entries: dict[str, dict[str, Any]] = {}
    forms = family_forms(manifest)
    fit = NARROW_FIT if forms is not None and forms.narrow_labels else WIDE_FIT

    def entry(node: IndicatorNode) -> dict[str, Any]:
        if node.id not in entries:
            is_leaf = node.id not in under
            entries[node.id] = _node_entry(node, sheet, under.get(node.id, [node]), is_leaf,
                                           rules, fit)
        return entries[node.id]

    # the 分值 cell of each first-level indicator, shared by the members of a 分值组 (云南)
    groups = weight_group_spans(report)
    group_of: dict[str, dict[str, Any]] = {}
    group_keys: list[Key] = []
    for i, n1 in enumerate(report.indicators):
        if n1.id in group_of:
            continue
        members = [report.indicators[k] for k in groups.get(i, [i])]
        if all(not n.children and n.weight is None for n in members):
            weight_cell = live_number(None)  # nothing to print
        else:
            value = sum((sheet.nodes[n.id].weight for n in members), ZERO)
            group_key: Key = ("group_weight", members[0].id)
            keys = [("weight", lf.id) for n in members for lf in under.get(n.id, [n])]
            weight_cell = live_number(value, group_key, formula=sum_of(keys, value))
            group_keys.append(group_key)
        group = {"id": f"group:{members[0].id}", "分值": weight_cell}
        for n in members:
            group_of[n.id] = group

    rows: list[dict[str, Any]] = []
    for lf in leaves:
        node, ns = lf.node, sheet.nodes[lf.node.id]
        level = len(lf.path)
        na = isinstance(node.method, NotApplicableMethod)
        if na:
            reason = "\n".join(t for t in (node.unscored_reason, node.deviation_reason) if t)
        else:
            reason = node.deviation_reason
        name = "／".join(n.name for n in lf.path[2:]) if level > 3 else node.name
        weight = live_number(None if na or node.weight is None else ns.weight,
                             ("weight", node.id))
        rows.append({
            "id": node.id,
            "一级": entry(lf.path[0]),
            "二级": entry(lf.path[1]) if level >= 2 else entry(lf.path[0]),
            "名称": name,
            "层级": level,
            "年度指标值": node.target_text,
            "实际完成值": node.actual_text,
            "指标性质": nature_of(node),
            "指标值": target_of(node),
            "度量单位": node.unit,
            "完成值": actual_of(node, sheet),
            "分值": weight,
            "分值组": group_of[lf.path[0].id],
            "二级分值": live_number(node.weight if level == 2 else None),
            "三级分值": weight if level >= 3 else live_number(None, ("weight", node.id)),
            "得分": live_number(ns.score if ns.scored and not na else None,
                                ("score", node.id), rules.score_decimals),
            "偏差原因": reason,
            "不适用": na,
            "不适用原因": node.unscored_reason,
            "完成情况": completion_status(node, sheet),
            "评分说明": score_note(node, sheet),
        })
    goals = [row for row, lf in zip(rows, leaves, strict=True) if lf.node.target_text.strip()]
    firsts = [entry(n) for n in report.indicators]
    for n, first in zip(report.indicators, firsts, strict=True):
        first["评分行"] = _score_rows(n, sheet, rules, entry)
    this = next((first for n, first in zip(report.indicators, firsts, strict=True)
                 if n.id == indicator), None)

    # ---- totals ----
    # the leaves' cells (and the 预算执行率 block's, where the rule set has one), or on a
    # table of the first-level indicators (第三方 表1) theirs
    leaf_weights: list[Key] = [("weight", lf.node.id) for lf in leaves]
    leaf_scores: list[Key] = [("score", lf.node.id) for lf in leaves]
    no_block: frozenset[Key] = (frozenset({("exec_weight",), ("exec_score",)})
                                if sheet.execution_weight is None else frozenset())
    weight_keys = Many(tuple([("exec_weight",), *leaf_weights]), no_block)
    score_keys = Many(tuple([("exec_score",), *leaf_scores]), no_block)
    level_weights = Many(tuple(("weight", n.id) for n in report.indicators))
    level_scores = Many(tuple(("level_score", n.id) for n in report.indicators))
    td = rules.total_decimals
    rate_literal = {"rate": number_literal(figures.execution_rate)
                    if figures.execution_rate is not None else '""'}  # where not on the sheet
    check = not rules.rescale_not_applicable and sheet.score_cap_reason is None
    total_weight = live_number(
        sheet.total_weight, ("total_weight",),
        formula=Formula("SUM({x})", {"x": weight_keys}, ("x",), sheet.total_weight,
                        otherwise=Formula("SUM({x})", {"x": level_weights}, ("x",),
                                          sheet.total_weight)))
    level_weight = sum((sheet.nodes[n.id].weight for n in report.indicators), ZERO)
    second_keys = [("weight", n2.id) for n1 in report.indicators for n2 in n1.children
                   if n2.children]
    total = live_number(
        sheet.total, ("total",), td,
        Formula(total_expression(rules, "SUM({s})", "SUM({w})", "{tw}", "{rate}"),
                {"s": score_keys, "w": weight_keys, "tw": ("total_weight",),
                 "rate": ("rate", "total")},
                sums=("s",) if check else (), total=sheet.total if check else None,
                round_to=td, literals=rate_literal,
                otherwise=Formula(f"ROUND(SUM({{x}}),{td})", {"x": level_scores}, ("x",),
                                  sheet.total, round_to=td)),
    )
    total_rate = live_percent(sheet.total / sheet.total_weight if sheet.total_weight else None,
                              RATE_DECIMALS, None, _rate_formula(("total_weight",), ("total",)))
    grade = Live(None, live_label("").kind, key=("grade",), label=sheet.grade,
                 formula=Formula(grade_formula(rules, "{t}", "{rate}")[1:],
                                 {"t": ("total",), "rate": ("rate", "total")},
                                 literals=rate_literal))
    ticks = {g.name: grade_ticks(rules, g.name) for g in rules.grades}
    ticked = live_label(grade_ticks(rules, sheet.grade), None,
                        Formula(grade_formula(rules, "{t}", "{rate}", ticks)[1:],
                                {"t": ("total",), "rate": ("rate", "total")},
                                literals=rate_literal))
    notes = [{"标题": caption, "内容": text} for caption, text in cap_notes(sheet)]

    context: dict[str, Any] = {
        "附件标识": key,
        "表名": title,
        "项目名称": project.name,
        "主管部门": project.department,
        "实施单位": project.implementer,
        "项目负责人": project.leader,
        "项目类型": meta.project_type.value if meta.project_type is not None else "",
        "地区": region or "",
        "地区级别": level_char(region),
        "填报单位": meta.unit or project.implementer,
        "年度": str(meta.year) if meta.year is not None else "    ",
        "联系人": meta.contact,
        "联系电话": meta.phone,
        "单位负责人": meta.unit_head,
        "填报日期": (chinese_date(meta.fill_date)
                     if meta.fill_date is not None else ""),
        "预期目标": report.goals.expected,
        "实际完成情况": report.goals.actual,
        "资金": total_row,
        "资金类别": kind_rows,
        "资金明细": detail_rows,
        "资金来源": sources,
        "资金计划": plan,
        "指标行": rows,
        "绩效目标行": goals or rows,
        "一级指标": firsts,
        "问题清单": [{"问题": p.problem, "原因": p.cause, "整改措施": p.measure,
                      "责任单位": p.owner, "完成时限": p.deadline} for p in report.problems],
        "总分值": total_weight,
        "一级分值合计": live_number(level_weight, None,
                                    formula=sum_of(group_keys, level_weight)),
        "二级分值合计": live_number(level_weight, None,
                                    formula=sum_of(second_keys, level_weight)),
        "总分": total,
        "总得分率": total_rate,
        "等次": grade,
        "等次勾选": ticked,
        "等次说明": grade_legend(rules),
        "问题和建议": suggestions_text(report),
        "评价人员": [{"姓名": e.name, "职务": e.title, "单位": e.unit} for e in report.evaluators],
        "计分说明": notes,
    }
    if this is not None:
        context["本表一级指标"] = this
    return context

