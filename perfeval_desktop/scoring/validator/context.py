"""What the rules look at: the report, its rule set and ScoreSheet, one walk of the tree,
and what several rules need, computed once per check."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from ...model.report import IndicatorNode, NotApplicableMethod, Report
from ...templates.families import family_forms
from ...templates.manifest import FamilyForms, Manifest, Rules
from ..engine import ScoreSheet
from ..live_values import live_values
from ..methods import LeafScore
from ..rounding import ZERO
from .common import level_key, section_labels

# what an indicator is on the form: the rules of one indicator say which they look at
BRANCH = "branch"  # it has indicators under it
EMPTY = "empty"  # a first/second-level indicator with none under it
NOT_APPLICABLE = "not applicable"  # a leaf marked 不适用
NO_WEIGHT = "no weight"  # an applicable leaf without 分值
UNSCORED = "unscored"  # a leaf with 分值 the ScoreSheet could not score yet
SCORED = "scored"  # a leaf with 分值 and its score


class Row(NamedTuple):
    """An indicator as the form prints it: its field path, level (1–3), node, label
    (``产出指标 / 数量指标 / 救助人次``), kind and, for a leaf with 分值, the ScoreSheet's
    score."""

    path: str
    level: int
    node: IndicatorNode
    label: str
    kind: str
    score: LeafScore | None


_NA = NotApplicableMethod


class Context:
    def __init__(self, report: Report, manifest: Manifest, sheet: ScoreSheet) -> None:
        self.report = report
        self.manifest = manifest
        self.rules: Rules = manifest.rules
        self.sheet = sheet
        self.rows: list[Row] = []  # parents before children
        self._effective: dict[int, Decimal] = {}  # id(node) → declared 分值 or children's sum
        self._walk(report.indicators, "indicators", 1, "")

    def _walk(self, nodes: list[IndicatorNode], prefix: str, level: int, parent: str) -> Decimal:
        total = ZERO
        append, effective = self.rows.append, self._effective  # (100,000 nodes)
        for i, node in enumerate(nodes):
            path = f"{prefix}[{i}]"
            name = node.name.strip() or f"（第 {i + 1} 项，未命名）"
            label = f"{parent} / {name}" if parent else name
            kind, score = self._kind(node, level)
            # (tuple.__new__: a NamedTuple's own __new__ costs 0.4 µs per row of 100,000)
            append(tuple.__new__(Row, (path, level, node, label, kind, score)))
            # (a leaf: no call for its empty list of children)
            children = (
                self._walk(node.children, f"{path}.children", level + 1, label)
                if node.children else ZERO
            )
            eff = node.weight if node.weight is not None else children
            effective[id(node)] = eff
            total += eff
        return total

    def _kind(self, node: IndicatorNode, level: int) -> tuple[str, LeafScore | None]:
        """What ``node`` is on the form (BRANCH … SCORED) and, for a leaf with 分值, its
        score."""
        if node.children:
            return BRANCH, None
        if level < 3:
            return EMPTY, None
        if isinstance(node.method, _NA):
            return NOT_APPLICABLE, None
        if node.weight is None:
            return NO_WEIGHT, None
        scored = self.sheet.nodes.get(node.id)
        score = scored.leaf if scored is not None else None
        return (SCORED if score is not None and score.score is not None else UNSCORED), score

    def eff(self, node: IndicatorNode) -> Decimal:
        """A node's weight as declared (or, undeclared, its children's) — for W001."""
        return self._effective[id(node)]

    def printed(self, node: IndicatorNode) -> Decimal:
        """A node's weight as the form prints it: the sum of its leaves (the ScoreSheet)."""
        return self.sheet.nodes[node.id].weight

    @cached_property
    def first_level(self) -> list[tuple[str, IndicatorNode]]:
        """(path, node) of each first-level indicator."""
        return [(f"indicators[{i}]", n) for i, n in enumerate(self.report.indicators)]

    @cached_property
    def by_name(self) -> dict[str, tuple[str, IndicatorNode]]:
        """First-level indicators by :func:`.common.level_key` (the first of a name wins)."""
        return {level_key(n.name): (p, n) for p, n in reversed(self.first_level)}

    @cached_property
    def forms(self) -> FamilyForms | None:
        return family_forms(self.manifest)

    @cached_property
    def section_labels(self) -> dict[str, str]:
        return section_labels(self.manifest.outline)

    @cached_property
    def values(self) -> dict[str, str]:
        """The live values a ``{{ 名称 }}`` may name (computed when first needed)."""
        return live_values(self.report, self.manifest, self.sheet)


def rows(c: Context) -> list[Row]:
    """What :func:`.rule.each` walks for the rules of one indicator at a time."""
    return c.rows
