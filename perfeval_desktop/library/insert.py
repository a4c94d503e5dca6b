"""Library entries into a report as one undoable edit.

Each entry goes under the report's 一级/二级 of its names (``产出`` and ``产出指标`` are the
same 一级); a 一级 or 二级 the report lacks is added with it.  With ``under`` (a 二级 the
clerk selected) every entry goes there instead.
"""

from __future__ import annotations

from ..importer.tree import first_level_name
from ..model.report import IndicatorNode, Report
from ..workspace import Batch, InsertNode, Operation
from .model import LibraryEntry, node_from_entry


def _find(nodes: list[IndicatorNode], name: str) -> IndicatorNode | None:
    return next((n for n in nodes if n.name == name), None)


def insert_entries(
    report: Report, entries: list[LibraryEntry], under: str | None = None
) -> tuple[Batch, list[str]]:
    """The edit inserting ``entries``, and the ids of the new 三级 indicators."""
    ops: list[Operation] = []
    leaves = [node_from_entry(e) for e in entries]
    if under is not None:
        parent = _node(report, under)
        base = len(parent.children) if parent is not None else 0
        ops = [InsertNode(under, base + i, leaf) for i, leaf in enumerate(leaves)]
        return Batch(ops, f"从指标库插入{len(leaves)}个指标"), [n.id for n in leaves]
    firsts = [n.name for n in report.indicators]
    new_firsts: dict[str, IndicatorNode] = {}
    new_seconds: dict[tuple[str, str], IndicatorNode] = {}
    counts: dict[str, int] = {}
    for entry, leaf in zip(entries, leaves, strict=True):
        l1 = first_level_name(entry.l1, firsts) or "产出指标"
        first = _find(report.indicators, l1)
        if first is None:
            first = new_firsts.get(l1)
            if first is None:
                first = new_firsts[l1] = IndicatorNode(name=l1)
                ops.append(InsertNode(None, len(report.indicators) + len(new_firsts) - 1, first))
        second = _find(first.children, entry.l2) if first.id not in {
            n.id for n in new_firsts.values()} else None
        if second is None:
            key = (l1, entry.l2)
            second = new_seconds.get(key)
            if second is None:
                second = new_seconds[key] = IndicatorNode(name=entry.l2 or "其他指标")
                if l1 in new_firsts:
                    first.children.append(second)
                else:
                    row = len(first.children) + counts.get(first.id, 0)
                    counts[first.id] = counts.get(first.id, 0) + 1
                    ops.append(InsertNode(first.id, row, second))
            second.children.append(leaf)
            continue
        row = len(second.children) + counts.get(second.id, 0)
        counts[second.id] = counts.get(second.id, 0) + 1
        ops.append(InsertNode(second.id, row, leaf))
    return Batch(ops, f"从指标库插入{len(leaves)}个指标"), [n.id for n in leaves]


def _node(report: Report, node_id: str) -> IndicatorNode | None:
    stack = list(report.indicators)
    while stack:
        node = stack.pop()
        if node.id == node_id:
            return node
        stack += node.children
    return None
