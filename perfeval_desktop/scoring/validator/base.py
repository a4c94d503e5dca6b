"""The checker's state: the report, its rule set and ScoreSheet, one walk of the tree."""

from __future__ import annotations

from decimal import Decimal

from ...model.report import (
    IndicatorNode,
    Report,
)
from ...templates.manifest import Manifest, Rules
from ..engine import ScoreSheet
from ..findings import Finding, Level
from ..rounding import ZERO


class CheckerBase:
    def __init__(self, report: Report, manifest: Manifest, sheet: ScoreSheet) -> None:
        self.report = report
        self.manifest = manifest
        self.rules: Rules = manifest.rules
        self.sheet = sheet
        self.values: dict[str, str] | None = None  # live values, computed when first needed
        self.out: list[Finding] = []
        # one walk of the tree: (path, level, node, label), parents before children
        self.nodes: list[tuple[str, int, IndicatorNode, str]] = []
        self.effective: dict[int, Decimal] = {}  # id(node) → declared 分值 or children's sum
        self._walk(report.indicators, "indicators", 1, "")

    # helpers
    def add(self, code: str, level: Level, path: str, message: str) -> None:
        self.out.append(Finding(code, level, path, message))

    def _walk(self, nodes: list[IndicatorNode], prefix: str, level: int, parent: str) -> Decimal:
        total = ZERO
        append, effective = self.nodes.append, self.effective  # (100,000 nodes)
        for i, node in enumerate(nodes):
            path = f"{prefix}[{i}]"
            name = node.name.strip() or f"（第 {i + 1} 项，未命名）"
            label = f"{parent} / {name}" if parent else name
            append((path, level, node, label))
            # (a leaf: no call for its empty list of children)
            children = (
                self._walk(node.children, f"{path}.children", level + 1, label)
                if node.children else ZERO
            )
            eff = node.weight if node.weight is not None else children
            effective[id(node)] = eff
            total += eff
        return total

    def eff(self, node: IndicatorNode) -> Decimal:
        """A node's weight as declared (or, undeclared, its children's) — for W001."""
        return self.effective[id(node)]

    def printed(self, node: IndicatorNode) -> Decimal:
        """A node's weight as the form prints it: the sum of its leaves (the ScoreSheet)."""
        return self.sheet.nodes[node.id].weight
