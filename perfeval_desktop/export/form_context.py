"""What a form template (``forms.xlsx``) can name: the report and its scores as placeholders.

Every computed figure is a :class:`~.live.Live` that knows its live formula, so the
filled sheet recalculates in Excel/WPS exactly as the engine computed it.  The names
(Chinese, as the forms print them) are listed in :data:`FORM_CONTEXT_HELP`.
"""

from __future__ import annotations

from typing import Any

from ..model.report import FundingKind, IndicatorNode, NotApplicableMethod, Report
from ..scoring.engine import ScoreSheet
from ..scoring.rounding import plain
from ..templates.manifest import Manifest
from .builder import grade_formula, leaf_rows, quote, total_expression
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
    "填报单位": "填报单位（未填时同实施单位）",
    "年度": "评价年度",
    "联系人": "联系人（填报人）",
    "联系电话": "联系电话",
    "单位负责人": "单位负责人",
    "预期目标": "年度总体目标：预期目标",
    "实际完成情况": "年度总体目标：实际完成情况",
    "资金": "年度资金总额：资金.年初预算数、资金.全年预算数、资金.全年执行数、资金.分值、"
            "资金.执行率、资金.得分",
    "资金类别": "资金来源各行（循环）：类.名称、类.年初预算数、类.全年预算数、类.全年执行数、"
                "类.执行率",
    "指标行": "每个末级指标一行（循环）：行.一级、行.二级（各有 名称、分值、得分、得分率、"
              "标签）、行.名称、行.层级、行.年度指标值、行.实际完成值、行.分值、行.得分、"
              "行.偏差原因、行.不适用",
    "一级指标": "一级指标（循环）：项.名称、项.分值、项.得分、项.得分率、项.标签",
    "总分值": "各项分值合计",
    "总分": "总分",
    "等次": "评价等次",
    "计分说明": "总分/等次封顶说明等（循环）：说明.标题、说明.内容",
}

AMOUNT_NAMES = {"initial_budget": "年初预算数", "annual_budget": "全年预算数",
                "executed": "全年执行数"}


def _node_entry(node: IndicatorNode, sheet: ScoreSheet, leaves_under: list[IndicatorNode],
                leaf: bool) -> dict[str, Any]:
    ns = sheet.nodes[node.id]
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
                     narrow=f"{node.name}\n({w}分)", narrow_formula=two)
    return {
        "id": node.id,
        "名称": node.name,
        "分值": live_number(ns.weight, ("weight", node.id) if not leaf else None,
                            formula=sum_of(weight_keys, ns.weight) if not leaf else None),
        "得分": live_number(ns.score, None, formula=None if leaf else
                            sum_of(score_keys, ns.score)),
        "得分率": live_percent(ns.rate, 2) if ns.rate is not None else None,
        "标签": label,
    }


def form_context(report: Report, manifest: Manifest, sheet: ScoreSheet,
                 key: str = "", title: str = "") -> dict[str, Any]:
    """The placeholders of a form template for ``report`` scored as ``sheet``."""
    rules, meta, project = manifest.rules, report.meta, report.project
    ex = rules.execution
    figures = sheet.funding

    # ---- funding ----
    kinds = [FundingKind(k) for k in rules.funding_kinds]
    kind_rows: list[dict[str, Any]] = []
    for kind in kinds:
        amounts = report.funding.by_kind.get(kind)
        row: dict[str, Any] = {"名称": kind.value}
        for column, name in AMOUNT_NAMES.items():
            row[name] = live_amount(getattr(amounts, column) if amounts else None,
                                    ("amount", kind.value, column))
        basis = ex.basis if ex.basis in AMOUNT_NAMES else None
        formula = None
        if basis is not None:
            formula = Formula('IF(N({b})<>0,N({x})/{b},"")',
                              {"b": ("amount", kind.value, basis),
                               "x": ("amount", kind.value, "executed")})
        row["执行率"] = live_percent(figures.rate_of(amounts, ex.basis) if amounts else None,
                                    ex.rate_display_decimals, ("rate", kind.value), formula)
        kind_rows.append(row)

    total_row: dict[str, Any] = {}
    for column, name in AMOUNT_NAMES.items():
        value = figures.total[column]
        formula = None
        if figures.derived[column] and not report.funding.details:
            formula = sum_of([("amount", k.value, column) for k in kinds], value)
        total_row[name] = live_amount(value, ("amount", "total", column), formula)
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

    # ---- indicators ----
    leaves = leaf_rows(report.indicators)
    under: dict[str, list[IndicatorNode]] = {}
    for lf in leaves:
        for n in lf.path[:-1]:
            under.setdefault(n.id, []).append(lf.node)
    entries: dict[str, dict[str, Any]] = {}

    def entry(node: IndicatorNode) -> dict[str, Any]:
        if node.id not in entries:
            is_leaf = node.id not in under
            entries[node.id] = _node_entry(node, sheet, under.get(node.id, [node]), is_leaf)
        return entries[node.id]

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
        rows.append({
            "id": node.id,
            "一级": entry(lf.path[0]),
            "二级": entry(lf.path[1]) if level >= 2 else entry(lf.path[0]),
            "名称": name,
            "层级": level,
            "年度指标值": node.target_text,
            "实际完成值": node.actual_text,
            "分值": live_number(None if na or node.weight is None else ns.weight,
                                ("weight", node.id)),
            "得分": live_number(ns.score if ns.scored and not na else None,
                                ("score", node.id), rules.score_decimals),
            "偏差原因": reason,
            "不适用": na,
        })
    firsts = [entry(n) for n in report.indicators]

    # ---- totals ----
    leaf_weights: list[Key] = [("weight", lf.node.id) for lf in leaves]
    leaf_scores: list[Key] = [("score", lf.node.id) for lf in leaves]
    weight_keys = tuple([("exec_weight",), *leaf_weights])
    score_keys = tuple([("exec_score",), *leaf_scores])
    check = not rules.rescale_not_applicable and sheet.score_cap_reason is None
    total_weight = live_number(sheet.total_weight, ("total_weight",),
                               formula=sum_of(weight_keys, sheet.total_weight))
    total = live_number(
        sheet.total, ("total",), rules.total_decimals,
        Formula(total_expression(rules, "SUM({s})", "SUM({w})", "{tw}", "{rate}"),
                {"s": Many(score_keys), "w": Many(weight_keys), "tw": ("total_weight",),
                 "rate": ("rate", "total")},
                sums=("s",) if check else (), total=sheet.total if check else None,
                round_to=rules.total_decimals),
    )
    grade = Live(None, live_label("").kind, key=("grade",), label=sheet.grade,
                 formula=Formula(grade_formula(rules, "{t}", "{rate}")[1:],
                                 {"t": ("total",), "rate": ("rate", "total")},
                                 literals={"rate": '""'}))
    notes: list[dict[str, str]] = []
    if sheet.score_cap_reason:
        notes.append({"标题": "总分封顶说明", "内容": sheet.score_cap_reason})
    if sheet.grade_cap_reason:
        notes.append({"标题": "等次封顶说明", "内容": sheet.grade_cap_reason})
    notes += [{"标题": "计分说明", "内容": n} for n in sheet.notes]

    return {
        "附件标识": key,
        "表名": title,
        "项目名称": project.name,
        "主管部门": project.department,
        "实施单位": project.implementer,
        "填报单位": meta.unit or project.implementer,
        "年度": str(meta.year) if meta.year is not None else "    ",
        "联系人": meta.filler,
        "联系电话": meta.phone,
        "单位负责人": meta.unit_head,
        "预期目标": report.goals.expected,
        "实际完成情况": report.goals.actual,
        "资金": total_row,
        "资金类别": kind_rows,
        "指标行": rows,
        "一级指标": firsts,
        "总分值": total_weight,
        "总分": total,
        "等次": grade,
        "计分说明": notes,
    }

