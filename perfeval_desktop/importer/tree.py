"""The indicator tree from the tables read: scored tables build it, the others (a 绩效目标
完成清单 with targets and actuals) fill in the leaves they name.

A leaf keeps the printed score: a manual score, or where the form says how it was scored
(指标性质 ≥ / = / ≤ with numeric target and actual that give the same score) that method.
A leaf without 分值 and 得分 but with a reason is 不适用 (counts 0 of 0, the reason kept).
A branch's 分值 is the sum of its children's.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..errors import InputError
from ..model.numbers import parse_number
from ..model.report import (
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    Nature,
    NotApplicableMethod,
    ScoringMethod,
)
from ..scoring.methods import score_leaf
from ..templates.manifest import Rules
from .tables import IndicatorTable, Row
from .workbook import Pos, Sheet, exact

Problem = Callable[[Sheet, Pos, str], None]
_NATURES = {"≥": Nature.HIGHER, ">=": Nature.HIGHER, "=": Nature.EQUAL, "≤": Nature.LOWER,
            "<=": Nature.LOWER, "正向": Nature.HIGHER, "反向": Nature.LOWER}


def first_level_name(name: str, framework: list[str]) -> str:
    """``决策指标`` → ``决策`` where the template calls it so (and the other way round)."""
    if name in framework or not name:
        return name
    for known in framework:
        if name.removesuffix("指标") == known.removesuffix("指标"):
            return known
    return name


class TreeBuilder:
    def __init__(self, rules: Rules, framework: list[str], problem: Problem) -> None:
        self.rules = rules
        self.framework = framework
        self.problem = problem
        self.roots: list[IndicatorNode] = []
        self.placed: set[tuple[str, Pos]] = set()

    def add_scored(self, table: IndicatorTable) -> None:
        first: IndicatorNode | None = None
        second: IndicatorNode | None = None
        for row in table.rows:
            if first is None or row.l1_new:
                first = self._first(first_level_name(row.l1, self.framework))
                second = None
            if row.l2 and (second is None or row.l2_new):
                second = IndicatorNode(name=row.l2, keep_empty=True)
                first.children.append(second)
            self._mark(table.sheet, row)
            if "l3" in row.values:
                (second or first).children.append(self._leaf(table.sheet, row))
                if second is not None:
                    second.keep_empty = False

    def _first(self, name: str) -> IndicatorNode:
        for node in self.roots:
            if node.name == name:
                return node
        node = IndicatorNode(name=name)
        self.roots.append(node)
        return node

    def _mark(self, sheet: Sheet, row: Row) -> None:
        self.placed.update((sheet.name, pos) for pos in row.cells.values())

    def _number(self, sheet: Sheet, row: Row, role: str, label: str) -> Decimal | None:
        text = row.values.get(role, "")
        if not text or text in ("—", "-", "/", "——"):
            return None
        try:
            value = parse_number(text, label, "score")
            return exact(value) if value is not None else None
        except InputError as exc:
            self.problem(sheet, row.cells[role], exc.message)
            return None

    def _leaf(self, sheet: Sheet, row: Row) -> IndicatorNode:
        v = row.values
        weight = self._number(sheet, row, "weight", "分值")
        score = self._number(sheet, row, "score", "得分")
        reason = v.get("reason", "")
        node = IndicatorNode(
            name=v["l3"], weight=weight, target_text=v.get("target", ""),
            actual_text=v.get("actual", ""), unit=v.get("unit", ""),
        )
        if weight is None and score is None and reason:
            node.method = NotApplicableMethod()
            node.unscored_reason = reason
        else:
            node.method = self._method(node, v.get("nature", ""), score)
            node.deviation_reason = reason
        return node

    def _method(
        self, node: IndicatorNode, nature_text: str, score: Decimal | None
    ) -> ScoringMethod:
        nature = _NATURES.get(nature_text.strip())
        if nature is not None and node.weight is not None and score is not None:
            try:
                target = parse_number(node.target_text, "年度指标值", "number")
                actual = parse_number(node.actual_text, "实际完成值", "number")
            except InputError:
                target = actual = None
            if target is not None and actual is not None:
                trial = node.model_copy(
                    update={"method": CompareMethod(nature=nature, target=target, actual=actual)}
                )
                if score_leaf(trial, self.rules, None).score == score:
                    return trial.method
        return ManualMethod(score=score)

    def fill_from(self, table: IndicatorTable) -> None:
        """Targets, actuals and units from a table without scores, by the 三级 names."""
        leaves: dict[str, list[IndicatorNode]] = {}
        for node in _leaves(self.roots):
            leaves.setdefault(node.name, []).append(node)
        for row in table.rows:
            found = leaves.get(row.values.get("l3", ""), [])
            if not found:
                continue
            node = found.pop(0)
            for role, attr in (("target", "target_text"), ("actual", "actual_text"),
                               ("unit", "unit")):
                if row.values.get(role) and not getattr(node, attr):
                    setattr(node, attr, row.values[role])
            self._mark(table.sheet, row)

    def finish(self) -> list[IndicatorNode]:
        for node in self.roots:
            _sum_weights(node)
        return self.roots


def _leaves(nodes: list[IndicatorNode]) -> list[IndicatorNode]:
    out: list[IndicatorNode] = []
    for node in nodes:
        out += _leaves(node.children) if node.children else ([node] if not node.keep_empty else [])
    return out


def _sum_weights(node: IndicatorNode) -> Decimal | None:
    if not node.children:
        return node.weight
    weights = [w for w in (_sum_weights(c) for c in node.children) if w is not None]
    node.weight = sum(weights, Decimal(0)) if weights else None
    return node.weight
