"""What is wrong with the weights a form defines (shown in the designer as it is edited).

The manifest model accepts any weights; a report of the form would then fail checks
W001–W004.  These are the same checks on the form itself, where the form fixes the
weights (a level whose children carry no weight yet is left to the clerk).
"""

from __future__ import annotations

from decimal import Decimal

from ..scoring.rounding import plain
from ..templates.manifest import FrameworkNode, Manifest


def _sum_text(parts: list[tuple[str, Decimal]]) -> str:
    return " + ".join(f"{name} {plain(w)}" for name, w in parts)


def _branch_problems(node: FrameworkNode, out: list[str]) -> None:
    weights = [c.weight for c in node.children]
    if node.weight is not None and node.children and all(w is not None for w in weights):
        total = sum((w for w in weights if w is not None), Decimal(0))
        if total != node.weight:
            parts = _sum_text([(c.name, c.weight) for c in node.children if c.weight is not None])
            out.append(f"指标体系 / {node.name}：分值 {plain(node.weight)} 与下级指标分值合计不符"
                       f"（{parts} = {plain(total)}）。请调整本级或下级指标的分值，使两者相等。")
    for child in node.children:
        _branch_problems(child, out)


def _first_level(manifest: Manifest) -> dict[str, Decimal | None]:
    return {n.name: n.weight for n in manifest.framework}


def _total_problem(manifest: Manifest) -> list[str]:
    """Execution block + first levels ≠ total; a first level without 分值 counts through
    its merged group's 分值 (云南), and without either the total is left to the clerk."""
    rules = manifest.rules
    parts: list[tuple[str, Decimal]] = []
    if rules.execution.weight is not None:
        parts.append((rules.execution.label, rules.execution.weight))
    counted: set[str] = set()
    for node in manifest.framework:
        if node.weight is not None:
            parts.append((node.name, node.weight))
            continue
        group = next((g for g in manifest.weight_groups
                      if node.name in g.members and g.weight is not None), None)
        if group is None:
            return []
        if group.label not in counted:
            counted.add(group.label)
            parts.append((group.label, group.weight or Decimal(0)))
    total = sum((w for _, w in parts), Decimal(0))
    if total == rules.total_weight:
        return []
    return [f"总分值为 {_sum_text(parts)} = {plain(total)}，应为 {plain(rules.total_weight)}。"
            "请调整一级指标或预算执行率的分值。"]


def _group_problems(manifest: Manifest) -> list[str]:
    out: list[str] = []
    first = _first_level(manifest)
    for g in manifest.weight_groups:
        unknown = [m for m in g.members if m not in first]
        if unknown:
            out.append(f"合并分值格“{g.label}”：一级指标“{'、'.join(unknown)}”不在指标体系中，"
                       "请改为已有的一级指标名称。")
            continue
        weights = [first[m] for m in g.members]
        if g.weight is not None and all(w is not None for w in weights):
            total = sum((w for w in weights if w is not None), Decimal(0))
            if total != g.weight:
                out.append(f"合并分值格“{g.label}”：分值 {plain(g.weight)} 与所含一级指标合计 "
                           f"{plain(total)} 不符，请调整。")
    share = manifest.rules.min_share
    if share is not None:
        missing = [m for m in share.members if m not in first]
        if missing:
            out.append(f"{share.label}占比规则：一级指标“{'、'.join(missing)}”不在指标体系中。")
    return out


def weight_problems(manifest: Manifest) -> list[str]:
    """Every inconsistency of the weights the form fixes, in Chinese, naming the fix."""
    out = _total_problem(manifest)
    for node in manifest.framework:
        _branch_problems(node, out)
    return out + _group_problems(manifest)
