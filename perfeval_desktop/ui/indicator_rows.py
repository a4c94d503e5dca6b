"""The indicator tree laid out as the printed form's rows (no Qt).

The form has one row per 三级 indicator; its 一级 and 二级 cells are merged down over the
rows of their group.  A node without children at any level (a new 一级 with no 二级 yet)
is a row of its own, its deeper name cells empty.  Each row knows the ids of its 一级,
二级 and 三级 nodes (None where the row ends above that level) and its own node, the
one whose figures the row shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.report import IndicatorNode

LEVELS = 3


@dataclass
class Layout:
    #: per row: the ids at 一级 / 二级 / 三级 (None where the row ends above that level)
    names: list[tuple[str | None, ...]] = field(default_factory=list)
    #: per row: the id of the node the row ends at (its figures are the row's)
    ends: list[str] = field(default_factory=list)
    #: every node: its rows, first and last (a group spans its descendants' rows)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    level: dict[str, int] = field(default_factory=dict)
    parent: dict[str, str | None] = field(default_factory=dict)
    nodes: dict[str, IndicatorNode] = field(default_factory=dict)

    def row_of(self, node_id: str) -> int | None:
        span = self.spans.get(node_id)
        return None if span is None else span[0]

    def groups(self, level: int) -> list[tuple[str, int, int]]:
        """(id, first row, last row) of the nodes at ``level``."""
        return [
            (node_id, first, last)
            for node_id, (first, last) in self.spans.items()
            if self.level[node_id] == level
        ]

    def next_in_group(self, row: int) -> int | None:
        """The row below ``row`` when it ends at a sibling of this row's node."""
        below = row + 1
        if row < 0 or below >= len(self.ends):
            return None
        here, there = self.ends[row], self.ends[below]
        same = self.parent.get(there) == self.parent.get(here)
        return below if same and self.level[there] == self.level[here] else None


def lay_out(roots: list[IndicatorNode]) -> Layout:
    layout = Layout()

    def walk(items: list[IndicatorNode], path: tuple[str, ...], parent: str | None) -> None:
        for node in items:
            first = len(layout.ends)
            here = (*path, node.id)
            layout.level[node.id] = len(here)
            layout.parent[node.id] = parent
            layout.nodes[node.id] = node
            if node.children and len(here) < LEVELS:
                walk(node.children, here, node.id)
            if len(layout.ends) == first:  # no row below it: the node is a row of its own
                layout.names.append(here + (None,) * (LEVELS - len(here)))
                layout.ends.append(node.id)
            layout.spans[node.id] = (first, len(layout.ends) - 1)

    walk(roots, (), None)
    return layout
