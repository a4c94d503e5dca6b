"""Where the rows a paste adds to the indicator grid go (no Qt).

A block copied from an Excel 自评表 may carry the 一级 / 二级 names: blank under a merged
cell, the same name again, or another name where the next group starts.  A new row goes
into the group of the row above it while its 一级 / 二级 cells are blank or name that group.
Another name moves on to the group of that name if there is one (its new rows at its end),
else starts a new 二级 (after the current one) or 一级 (after the current one) — as the
form reads.  Each place gets its new rows in one insertion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model.report import IndicatorNode
from ..workspace import InsertNodes, Operation
from .indicator_cells import COL_L1, COL_L2
from .indicator_rows import Layout

Row = dict[int, Any]


def _named(nodes: list[IndicatorNode], name: str) -> IndicatorNode | None:
    return next((n for n in nodes if n.name.strip() == name), None)


class _Placer:
    """Follows the 一级 / 二级 names down the pasted rows."""

    def __init__(self, roots: list[IndicatorNode], layout: Layout, leaf_id: str) -> None:
        self.second = layout.nodes[layout.parent[leaf_id] or ""]
        self.first = layout.nodes[layout.parent[self.second.id] or ""]
        self._roots = roots
        self._new: set[str] = set()  # the groups this paste makes
        self._anchor1 = self.first  # a new 一级 goes after it
        self._anchor2: IndicatorNode | None = self.second  # a new 二级 after it (None: last)
        # (parent id, row) → the nodes inserted there, in order
        self.inserts: dict[tuple[str | None, int], list[IndicatorNode]] = {}
        self.leaves = self._after(self.second.id, self.second.children, leaf_id)

    def _after(self, parent: str | None, siblings: list[IndicatorNode], node_id: str) -> Any:
        row = next(i for i, n in enumerate(siblings) if n.id == node_id) + 1
        return self.inserts.setdefault((parent, row), [])

    def _end_of(self, node: IndicatorNode) -> list[IndicatorNode]:
        if node.id in self._new:
            return node.children
        return self.inserts.setdefault((node.id, len(node.children)), [])

    def _make(self, name: str, into: list[IndicatorNode]) -> IndicatorNode:
        node = IndicatorNode(name=name)
        into.append(node)
        self._new.add(node.id)
        return node

    def place(self, values: Row, leaf: IndicatorNode) -> None:
        first = str(values.get(COL_L1, "")).strip()
        second = str(values.get(COL_L2, "")).strip()
        if first and first != self.first.name.strip():
            self._enter_first(first)
            self._enter_second(second)
        elif second and second != self.second.name.strip():
            self._enter_second(second)
        self.leaves.append(leaf)

    def _enter_first(self, name: str) -> None:
        existing = _named(self._roots, name)
        if existing is not None:
            self.first = self._anchor1 = existing
            self._anchor2 = None
        else:
            self.first = self._make(name, self._after(None, self._roots, self._anchor1.id))

    def _enter_second(self, name: str) -> None:
        first = self.first
        existing = None if first.id in self._new else _named(first.children, name)
        if existing is None and not name and first.id not in self._new and first.children:
            existing = first.children[0]  # a 一级 named without its 二级: its first
        if existing is not None:
            self.second = self._anchor2 = existing
            self.leaves = self._end_of(existing)
            return
        if first.id in self._new or self._anchor2 is None:
            into = self._end_of(first)
        else:
            into = self._after(first.id, first.children, self._anchor2.id)
        self.second = self._make(name, into)
        self.leaves = self.second.children

    def ops(self) -> list[Operation]:
        """The insertions, the later rows first (one never moves the place of another)."""
        places = sorted(self.inserts.items(), key=lambda item: -item[0][1])
        return [InsertNodes(parent, row, nodes) for (parent, row), nodes in places if nodes]


def place_new_rows(
    roots: list[IndicatorNode],
    layout: Layout,
    leaf_id: str,
    rows: list[Row],
    make: Callable[[Row], IndicatorNode],
) -> list[Operation] | None:
    """The insertions for ``rows`` pasted below the 三级 row ``leaf_id``; None when that row
    is not a 三级 indicator (the caller adds them as its siblings)."""
    if layout.level.get(leaf_id) != 3:
        return None
    placer = _Placer(roots, layout, leaf_id)
    for values in rows:
        placer.place(values, make(values))
    return placer.ops()
