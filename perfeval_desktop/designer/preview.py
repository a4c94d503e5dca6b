"""The designer's live preview: a sample report of the form, scored under its rules, and
its 附件 forms as HTML tables (no Qt here)."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

from ..export.grid import Grid
from ..model.report import (
    Band,
    BudgetExecutionMethod,
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    NotApplicableMethod,
    QualitativeMethod,
    RateMethod,
    Report,
)
from ..scoring.engine import ScoreSheet, compute
from ..scoring.rounding import amount, percent, plain
from ..templates.factory import new_report
from ..templates.loader import Template
from ..templates.manifest import Manifest

CENT = Decimal("0.01")
SAMPLE_SHARE = Decimal("0.9")  # each sample leaf reaches 90 % of its 分值
SAMPLE_BUDGET, SAMPLE_EXECUTED = Decimal("100"), Decimal("86.5")  # 执行率 86.5 %


def _split(total: Decimal, nodes: list[IndicatorNode]) -> list[Decimal]:
    """Weights of ``nodes`` adding up to ``total``: fixed ones kept, the rest shared out."""
    fixed = sum((n.weight for n in nodes if n.weight is not None), Decimal(0))
    free = [n for n in nodes if n.weight is None and not n.keep_empty]
    share = ((total - fixed) / len(free)).quantize(CENT) if free else Decimal(0)
    out = [n.weight if n.weight is not None else (Decimal(0) if n.keep_empty else share)
           for n in nodes]
    if free:  # the rounding remainder goes to the last free node
        last = max(i for i, n in enumerate(nodes) if n.weight is None and not n.keep_empty)
        out[last] += total - sum(out, Decimal(0))
    return out


def _fill(node: IndicatorNode, weight: Decimal) -> None:
    node.weight = weight if node.children or not node.keep_empty else None
    if node.children:
        for child, w in zip(node.children, _split(weight, node.children), strict=True):
            _fill(child, w)
        return
    if node.keep_empty:
        return
    node.target_text, node.actual_text = "≥95%", "90%"
    node.deviation_reason = "样例：部分工作未按期完成。"
    m = node.method
    if isinstance(m, CompareMethod):
        node.method = CompareMethod(nature=m.nature, target=Decimal(100), actual=Decimal(90))
    elif isinstance(m, RateMethod):
        node.method = RateMethod(numerator=Decimal(90), denominator=Decimal(100))
    elif isinstance(m, QualitativeMethod):
        node.method = QualitativeMethod(band=Band.ACHIEVED, score=(weight * SAMPLE_SHARE)
                                        .quantize(CENT))
    elif isinstance(m, BudgetExecutionMethod | NotApplicableMethod):
        node.unscored_reason = "样例：本项目不涉及此项指标。"
    else:
        node.method = ManualMethod(score=(weight * SAMPLE_SHARE).quantize(CENT))


def _first_level_weights(report: Report, manifest: Manifest) -> list[Decimal]:
    rules = manifest.rules
    rest = rules.total_weight - (rules.execution.weight or Decimal(0))
    out: list[Decimal | None] = [n.weight for n in report.indicators]
    for group in manifest.weight_groups:
        members = [i for i, n in enumerate(report.indicators) if n.name in group.members]
        if group.weight is None or not members:
            continue
        nodes = [report.indicators[i] for i in members]
        for i, w in zip(members, _split(group.weight, nodes), strict=True):
            out[i] = w
    unknown = [report.indicators[i] for i, w in enumerate(out) if w is None]
    if unknown:
        known = sum((w for w in out if w is not None), Decimal(0))
        shares = iter(_split(rest - known, unknown))
        out = [w if w is not None else next(shares) for w in out]
    return [w if w is not None else Decimal(0) for w in out]


def sample_report(manifest: Manifest) -> Report:
    """A filled report of this form: every leaf at 90 % of its 分值, 执行率 86.5 %."""
    report = new_report(manifest)
    report.meta.year = dt.date.today().year - 1
    report.meta.unit = report.project.implementer = "样例单位"
    report.meta.filler, report.meta.phone = "张三", "0755-12345678"
    report.meta.fill_date = dt.date.today()
    report.project.name, report.project.department = "样例项目", "样例主管部门"
    report.funding.total.annual_budget = report.funding.total.initial_budget = SAMPLE_BUDGET
    report.funding.total.received = SAMPLE_BUDGET
    report.funding.total.executed = SAMPLE_EXECUTED
    report.funding.execution_reason = "样例：部分资金年底拨付。"
    for node, weight in zip(report.indicators, _first_level_weights(report, manifest),
                            strict=True):
        _fill(node, weight)
    return report


def score_html(sheet: ScoreSheet, manifest: Manifest, problems: list[str]) -> str:
    """The sample's scores as the clerk would see them, with the form's problems."""
    rows = "".join(
        f"<tr><td>{html.escape(lv.name)}</td><td align=right>{plain(lv.weight)}</td>"
        f"<td align=right>{plain(lv.score, manifest.rules.score_decimals)}</td>"
        f"<td align=right>{percent(lv.rate)}</td></tr>" for lv in sheet.levels)
    notes = [r for r in (sheet.score_cap_reason, sheet.grade_cap_reason, *sheet.notes) if r]
    parts = [
        f"<p>样例：预算 {amount(SAMPLE_BUDGET)} 万元，执行 {amount(SAMPLE_EXECUTED)} 万元，"
        f"每项指标按分值的 {percent(SAMPLE_SHARE, 0)} 得分。</p>",
        "<table border=1 cellspacing=0 cellpadding=3><tr><th>指标</th><th>分值</th><th>得分</th>"
        f"<th>得分率</th></tr>{rows}<tr><th>总分</th><th align=right>{plain(sheet.total_weight)}"
        f"</th><th align=right>{plain(sheet.total, manifest.rules.total_decimals)}</th>"
        f"<th>{html.escape(sheet.grade)}</th></tr></table>",
    ]
    parts += [f"<p>{html.escape(n)}</p>" for n in notes]
    if problems:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
        parts.append(f"<p style='color:#b03020'><b>表样分值有误：</b></p><ul>{items}</ul>")
    return "".join(parts)


def grid_html(title: str, grid: Grid) -> str:
    """One 附件 form as an HTML table (merges kept)."""
    anchors = grid.anchors()
    covered = {(r, c) for cell in grid.cells for r in range(cell.row, cell.last_row + 1)
               for c in range(cell.col, cell.last_col + 1)}
    rows = []
    for r in range(grid.n_rows):
        tds = []
        for c in range(grid.n_cols):
            cell = anchors.get((r, c))
            if cell is None:
                if (r, c) not in covered:
                    tds.append("<td></td>")
                continue
            text = html.escape(cell.text).replace("\n", "<br>")
            if cell.bold:
                text = f"<b>{text}</b>"
            tds.append(f"<td rowspan={cell.rowspan} colspan={cell.colspan} "
                       f"align={cell.horizontal}>{text}</td>")
        rows.append(f"<tr>{''.join(tds)}</tr>")
    head = "".join(f"<p align=center><b>{html.escape(line.text)}</b></p>"
                   for line in grid.title_lines)
    foot = "".join(f"<p>{html.escape(line.text)}</p>" for line in grid.footer_lines)
    return (f"<h3>{html.escape(title)}</h3>{head}<table border=1 cellspacing=0 cellpadding=2>"
            f"{''.join(rows)}</table>{foot}")


def preview(template: Template, problems: list[str]) -> tuple[str, str]:
    """(scores HTML, 附件 HTML) of the sample report under ``template``."""
    from ..errors import PerfevalError
    from ..export import plan_export

    report = sample_report(template.manifest)
    sheet = compute(report, template.manifest.rules)
    scores = score_html(sheet, template.manifest, problems)
    try:
        plan = plan_export(report, template)
        forms = "".join(grid_html(f"{p.key} {p.title}", p.grid) for p in plan.available)
    except PerfevalError as exc:
        forms = f"<p style='color:#b03020'>{html.escape(exc.message)}</p>"
    return scores, forms
