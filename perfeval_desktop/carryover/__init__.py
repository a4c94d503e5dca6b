"""复制上年: this year's report of a continuing project (延续项目) made from last year's.

Kept: the template, project, units, people, the indicator tree with its weights, scoring
methods (their kind, 指标性质, target), targets and 度量单位, the 预期目标 and the funding
table's rows.  Moved: the year by one.  Cleared: every amount, actual value, score,
narrative text, 偏差原因, problem, declared grade and explanation of a check.  Last year's
实际完成值, 实际完成情况 and section texts are kept as hints (``Report.last_year``) that
the editor shows beside the fields, never copied into them.

When the template changed since last year, the report is carried into the current
template: its sections, funding rows and first/second-level indicators follow the current
framework, and each thing that moved or was dropped is named in ``last_year.notes``.
"""

from __future__ import annotations

from pathlib import Path

from ..model.report import (
    Amounts,
    BudgetExecutionMethod,
    CompareMethod,
    FundingTable,
    Goals,
    IndicatorNode,
    LastYearHints,
    ManualMethod,
    Meta,
    NotApplicableMethod,
    QualitativeMethod,
    RateMethod,
    Report,
    ScoringMethod,
    WeightGroup,
    iter_nodes,
)
from ..templates.factory import new_report
from ..templates.manifest import FrameworkNode, Manifest
from .tree import rearrange

__all__ = ["carry_over"]


def carry_over(last: Report, manifest: Manifest, source: Path | str = "") -> Report:
    """This year's report from ``last`` (loaded, not changed) in ``manifest``'s layout."""
    notes: list[str] = []
    report = new_report(manifest)
    report.meta = _meta(last.meta, manifest)
    report.project = last.project.model_copy(deep=True)
    report.funding = _funding(last.funding, report.funding)
    report.goals = Goals(expected=last.goals.expected)
    report.indicators = _indicators(last.indicators, manifest.framework, notes)
    report.weight_groups = _weight_groups(last, manifest)
    report.evaluators = [e.model_copy(deep=True) for e in last.evaluators]
    report.last_year = LastYearHints(
        year=last.meta.year,
        source=str(source),
        actuals=_actuals(last, report),
        sections=_sections(last, manifest, notes),
        goals_actual=last.goals.actual,
        notes=notes,
    )
    return report


def _actuals(last: Report, report: Report) -> dict[str, str]:
    """Last year's 实际完成值 of the indicators this year's report still has."""
    typed = {node.id: node.actual_text for _p, _lv, node in iter_nodes(last.indicators)}
    return {
        node.id: typed[node.id]
        for _p, _lv, node in iter_nodes(report.indicators)
        if typed.get(node.id, "").strip()
    }


def _sections(last: Report, manifest: Manifest, notes: list[str]) -> dict[str, str]:
    """Last year's texts of the sections the current outline has; the others are noted."""
    ids = {s.id for s in manifest.all_sections() if not s.children}
    for sid in sorted(set(last.sections) - ids):
        if last.sections[sid].strip():
            notes.append(f"上年报告正文中的一节（{sid}）在现行表样中已没有，其文字未带入。")
    for sid in sorted(ids - set(last.sections)):
        notes.append(f"现行表样新增了报告正文“{_heading(manifest, sid)}”，请填写。")
    return {sid: text for sid, text in last.sections.items() if sid in ids and text.strip()}


def _heading(manifest: Manifest, sid: str) -> str:
    for section in manifest.all_sections():
        if section.id == sid:
            return section.heading
    return sid


def _meta(meta: Meta, manifest: Manifest) -> Meta:
    return Meta(
        year=meta.year + 1 if meta.year is not None and meta.year < 2100 else meta.year,
        unit=meta.unit,
        region=meta.region,
        filler=meta.filler,
        phone=meta.phone,
        project_type=meta.project_type,
        unit_head=meta.unit_head,
        report_title=meta.report_title,
        template_id=manifest.id,
        template_version=manifest.version,
    )


def _funding(last: FundingTable, fresh: FundingTable) -> FundingTable:
    """The rows of last year's table and the template's, every amount empty (none is dropped)."""
    return FundingTable(
        by_kind={kind: Amounts() for kind in [*fresh.by_kind, *last.by_kind]},
        by_source={source: Amounts() for source in [*fresh.by_source, *last.by_source]},
        details=[d.model_copy(update={"amounts": Amounts()}) for d in last.details],
    )


def cleared_method(method: ScoringMethod) -> ScoringMethod:
    """The same way of scoring with this year's figures still to come."""
    if isinstance(method, CompareMethod):
        return CompareMethod(nature=method.nature, target=method.target)
    if isinstance(method, RateMethod):
        # a rate linked to 项目资金 stays linked: it reads this year's figures
        return RateMethod(target_rate=method.target_rate, source=method.source)
    if isinstance(method, QualitativeMethod):
        return QualitativeMethod()
    if isinstance(method, NotApplicableMethod | BudgetExecutionMethod):
        return method.model_copy()
    return ManualMethod()


def cleared_node(node: IndicatorNode) -> IndicatorNode:
    """Name, weight, target, 度量单位 and method kept (same id: the hints follow it)."""
    return IndicatorNode(
        id=node.id,
        name=node.name,
        weight=node.weight,
        target_text=node.target_text,
        unit=node.unit,
        method=cleared_method(node.method),
        unscored_reason=node.unscored_reason,
        keep_empty=node.keep_empty,
        children=[cleared_node(c) for c in node.children],
    )


def _weight_groups(last: Report, manifest: Manifest) -> list[WeightGroup]:
    spec = [(g.label, list(g.members)) for g in manifest.weight_groups]
    if spec == [(g.label, g.members) for g in last.weight_groups]:
        return [g.model_copy(deep=True) for g in last.weight_groups]
    return [WeightGroup(label=g.label, members=list(g.members), weight=g.weight)
            for g in manifest.weight_groups]


def _indicators(
    last: list[IndicatorNode], framework: list[FrameworkNode], notes: list[str]
) -> list[IndicatorNode]:
    """Last year's tree, cleared, arranged by the current framework's 一级/二级 names."""
    tree = [cleared_node(n) for n in last]
    if not framework:
        return tree
    return rearrange(tree, framework, notes)
