"""Edits of a report as small undoable operations.

Each operation applies itself to a report and reverts itself, returning an
:class:`Effect` (what it wrote); structural ones also announce their
:class:`StructureEdit` beforehand (``plan``) so that item models can call
``beginInsertRows`` and friends before the lists change.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Literal

from pydantic import BaseModel

from ..model.report import (
    METHOD_LABELS,
    BudgetExecutionMethod,
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    NotApplicableMethod,
    QualitativeMethod,
    RateMethod,
    Report,
    ScoringMethod,
)
from ..model.text import clean_text, clean_value
from .changes import Container, Effect, StructureEdit, combine
from .paths import Slot, children_of, field_label, locate, resolve, set_value

_MISSING = object()


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same type (1155.50 and 1155.5 are the same amount)."""
    return type(a) is type(b) and bool(a == b)


class Operation(ABC):
    """One undoable edit.  ``label`` names it in Chinese for 撤销/重做."""

    label: str = "编辑"

    def plan(self, report: Report, *, undo: bool = False) -> StructureEdit | None:
        """The row edit this operation (or its undo) is about to make, if any."""
        return None

    @abstractmethod
    def apply(self, report: Report) -> Effect: ...

    @abstractmethod
    def revert(self, report: Report) -> Effect: ...

    def merge(self, newer: Operation) -> Operation | None:
        """One operation doing both ``self`` then ``newer`` (typing into one field), or None."""
        return None

    def is_noop(self) -> bool:
        """True when applying it leaves the report as it was (typing back the old value)."""
        return False


class Batch(Operation):
    """Several edits as one undo step (a paste, clearing selected cells).  The workspace
    runs the parts one by one so that item models hear of every row edit."""

    def __init__(self, ops: list[Operation], label: str) -> None:
        self.ops = ops
        self.label = label

    def apply(self, report: Report) -> Effect:
        return combine([op.apply(report) for op in self.ops])

    def revert(self, report: Report) -> Effect:
        return combine([op.revert(report) for op in reversed(self.ops)])


# --- fields ------------------------------------------------------------------------------


class SetField(Operation):
    """Set the report field at ``path`` (``project.name``, ``funding.total.executed``,
    ``sections.advice``, ``problems[0].cause``).  Indicator fields use :class:`SetNodeField`."""

    def __init__(self, path: str, value: Any, label: str | None = None) -> None:
        self.path = path
        self.value = clean_value(value)  # typed or pasted: no control characters
        self._old: Any = _MISSING
        self._created: tuple[dict[Any, Any], Any] | None = None
        self._name = label
        self.label = f"修改“{label or path}”"

    def apply(self, report: Report) -> Effect:
        slot = resolve(report, self.path, create=True)
        name = self._name or field_label(slot)
        self.label = f"修改“{name}”"
        old = slot.get() if slot.exists() else _MISSING
        try:
            set_value(slot, self.value, name)
        except Exception:
            if slot.created is not None:
                del slot.created[0][slot.created[1]]
            raise
        if self._old is _MISSING:
            self._old = old
            self._created = slot.created
        return Effect(paths=frozenset({self.path}))

    def revert(self, report: Report) -> Effect:
        slot = resolve(report, self.path)
        if self._old is _MISSING and isinstance(slot.owner, dict):
            slot.owner.pop(slot.key, None)
        else:
            set_value(slot, self._old, self.label)
        if self._created is not None:
            mapping, key = self._created
            mapping.pop(key, None)
        return Effect(paths=frozenset({self.path}))

    def is_noop(self) -> bool:
        return self._created is None and self._old is not _MISSING and _same(self._old, self.value)

    def merge(self, newer: Operation) -> Operation | None:
        if isinstance(newer, SetField) and newer.path == self.path and newer._created is None:
            merged = SetField(self.path, newer.value, self._name)
            merged._old, merged._created, merged.label = self._old, self._created, self.label
            return merged
        return None


class SetNodeField(Operation):
    """Set a field of an indicator node: ``weight``, ``name``, ``method.score`` …"""

    def __init__(self, node_id: str, attr: str, value: Any) -> None:
        self.node_id = node_id
        self.attr = attr
        self.value = clean_value(value)
        self._old: Any = _MISSING
        self.label = "修改指标"

    def _slot(self, report: Report) -> Slot:
        return resolve(locate(report, self.node_id).node, self.attr)

    def apply(self, report: Report) -> Effect:
        slot = self._slot(report)
        name = field_label(slot)
        node = locate(report, self.node_id).node
        self.label = f"修改“{node.name or '指标'}”的{name}"
        old = slot.get()
        set_value(slot, self.value, name)
        if self._old is _MISSING:
            self._old = old
        return Effect(nodes=frozenset({self.node_id}))

    def revert(self, report: Report) -> Effect:
        set_value(self._slot(report), self._old, self.label)
        return Effect(nodes=frozenset({self.node_id}))

    def is_noop(self) -> bool:
        return self._old is not _MISSING and _same(self._old, self.value)

    def merge(self, newer: Operation) -> Operation | None:
        if isinstance(newer, SetNodeField) and (newer.node_id, newer.attr) == (
            self.node_id,
            self.attr,
        ):
            merged = SetNodeField(self.node_id, self.attr, newer.value)
            merged._old, merged.label = self._old, self.label
            return merged
        return None


def method_of_kind(kind: str, old: BaseModel | None = None) -> ScoringMethod:
    """A fresh scoring method of ``kind``; a typed score carries over between 手工 and 定性."""
    score = getattr(old, "score", None)
    if kind == "manual":
        return ManualMethod(score=score)
    if kind == "qualitative":
        return QualitativeMethod(score=score)
    if kind == "compare":
        return CompareMethod()
    if kind == "rate":
        return RateMethod()
    if kind == "not_applicable":
        return NotApplicableMethod()
    if kind == "budget_execution":
        return BudgetExecutionMethod()
    raise KeyError(kind)


class SetMethod(Operation):
    """Change a leaf's scoring method (the old method, with its inputs, comes back on undo)."""

    def __init__(self, node_id: str, method: ScoringMethod) -> None:
        self.node_id = node_id
        self.method = method
        self._old: ScoringMethod | None = None
        self.label = f"计分方法改为“{METHOD_LABELS[method.kind]}”"

    def apply(self, report: Report) -> Effect:
        node = locate(report, self.node_id).node
        if self._old is None:
            self._old = node.method
        node.method = self.method
        return Effect(nodes=frozenset({self.node_id}))

    def revert(self, report: Report) -> Effect:
        assert self._old is not None
        locate(report, self.node_id).node.method = self._old
        return Effect(nodes=frozenset({self.node_id}))


class SetExplanation(Operation):
    """The written reason for a 核实性 finding (``report.explanations[key]``); empty removes it."""

    def __init__(self, key: str, text: str) -> None:
        self.key = key
        self.text = clean_text(text)
        self._old: str | None = None
        self._had = False
        self.label = "填写核实说明"

    def apply(self, report: Report) -> Effect:
        self._had = self.key in report.explanations
        self._old = report.explanations.get(self.key)
        if self.text.strip():
            report.explanations[self.key] = self.text
        else:
            report.explanations.pop(self.key, None)
        return Effect(explanations=True, paths=frozenset({"explanations"}))

    def revert(self, report: Report) -> Effect:
        if self._had and self._old is not None:
            report.explanations[self.key] = self._old
        else:
            report.explanations.pop(self.key, None)
        return Effect(explanations=True, paths=frozenset({"explanations"}))

    def merge(self, newer: Operation) -> Operation | None:
        if isinstance(newer, SetExplanation) and newer.key == self.key:
            merged = SetExplanation(self.key, newer.text)
            merged._old, merged._had = self._old, self._had
            return merged
        return None


# --- table rows --------------------------------------------------------------------------


def _rows(report: Report, container: Container) -> list[Any]:
    if container == "problems":
        return report.problems
    if container == "evaluators":
        return report.evaluators
    if container == "funding.details":
        return report.funding.details
    raise KeyError(container)


_ROW_NAMES: dict[str, str] = {
    "problems": "问题",
    "evaluators": "评价人员",
    "funding.details": "明细行",
}


class InsertRow(Operation):
    def __init__(self, container: Container, row: int, item: BaseModel) -> None:
        self.container = container
        self.row = row
        self.item = item
        self.label = f"添加{_ROW_NAMES.get(container, '行')}"

    def plan(self, report: Report, *, undo: bool = False) -> StructureEdit:
        return StructureEdit(self.container, "remove" if undo else "insert", None, self.row)

    def apply(self, report: Report) -> Effect:
        _rows(report, self.container).insert(self.row, self.item)
        return Effect(edit=self.plan(report))

    def revert(self, report: Report) -> Effect:
        del _rows(report, self.container)[self.row]
        return Effect(edit=self.plan(report, undo=True))


class InsertRows(Operation):
    """Several rows of a flat table inserted from ``row`` on in one row edit (a paste)."""

    def __init__(self, container: Container, row: int, items: list[BaseModel]) -> None:
        self.container = container
        self.row = row
        self.items = items
        self.label = f"添加{len(items)}行{_ROW_NAMES.get(container, '')}"

    def plan(self, report: Report, *, undo: bool = False) -> StructureEdit:
        kind: Literal["insert", "remove"] = "remove" if undo else "insert"
        return StructureEdit(self.container, kind, None, self.row, count=len(self.items))

    def apply(self, report: Report) -> Effect:
        _rows(report, self.container)[self.row : self.row] = self.items
        return Effect(edit=self.plan(report))

    def revert(self, report: Report) -> Effect:
        del _rows(report, self.container)[self.row : self.row + len(self.items)]
        return Effect(edit=self.plan(report, undo=True))


class RemoveRow(Operation):
    def __init__(self, container: Container, row: int) -> None:
        self.container = container
        self.row = row
        self._item: Any = None
        self.label = f"删除{_ROW_NAMES.get(container, '行')}"

    def plan(self, report: Report, *, undo: bool = False) -> StructureEdit:
        return StructureEdit(self.container, "insert" if undo else "remove", None, self.row)

    def apply(self, report: Report) -> Effect:
        self._item = _rows(report, self.container).pop(self.row)
        return Effect(edit=self.plan(report))

    def revert(self, report: Report) -> Effect:
        _rows(report, self.container).insert(self.row, self._item)
        return Effect(edit=self.plan(report, undo=True))


# --- the indicator tree ------------------------------------------------------------------


class InsertNode(Operation):
    """Insert ``node`` as row ``row`` under ``parent_id`` (None: a first-level indicator)."""

    def __init__(self, parent_id: str | None, row: int, node: IndicatorNode) -> None:
        self.parent_id = parent_id
        self.row = row
        self.node = node
        self.label = "添加指标"

    def plan(self, report: Report, *, undo: bool = False) -> StructureEdit:
        return StructureEdit("indicators", "remove" if undo else "insert", self.parent_id, self.row)

    def apply(self, report: Report) -> Effect:
        children_of(report, self.parent_id).insert(self.row, self.node)
        return Effect(nodes=frozenset({self.node.id}), edit=self.plan(report))

    def revert(self, report: Report) -> Effect:
        del children_of(report, self.parent_id)[self.row]
        return Effect(edit=self.plan(report, undo=True))


class InsertNodes(Operation):
    """Insert several ``nodes`` as rows ``row``… under ``parent_id`` in one row edit (the
    rows a paste adds: the views hear of them once, not once per row)."""

    def __init__(self, parent_id: str | None, row: int, nodes: list[IndicatorNode]) -> None:
        self.parent_id = parent_id
        self.row = row
        self.nodes = nodes
        self.label = f"添加{len(nodes)}个指标"

    def plan(self, report: Report, *, undo: bool = False) -> StructureEdit:
        kind: Literal["insert", "remove"] = "remove" if undo else "insert"
        return StructureEdit("indicators", kind, self.parent_id, self.row, count=len(self.nodes))

    def apply(self, report: Report) -> Effect:
        children_of(report, self.parent_id)[self.row : self.row] = self.nodes
        return Effect(nodes=frozenset(n.id for n in self.nodes), edit=self.plan(report))

    def revert(self, report: Report) -> Effect:
        del children_of(report, self.parent_id)[self.row : self.row + len(self.nodes)]
        return Effect(edit=self.plan(report, undo=True))


class RemoveNode(Operation):
    """Delete an indicator with everything under it (all of it comes back on undo)."""

    def __init__(self, node_id: str) -> None:
        self.node_id = node_id
        self._parent_id: str | None = None
        self._row = 0
        self._node: IndicatorNode | None = None
        self.label = "删除指标"

    def plan(self, report: Report, *, undo: bool = False) -> StructureEdit:
        if not undo:
            loc = locate(report, self.node_id)
            self._parent_id = loc.parent.id if loc.parent else None
            self._row = loc.row
        return StructureEdit(
            "indicators", "insert" if undo else "remove", self._parent_id, self._row
        )

    def apply(self, report: Report) -> Effect:
        edit = self.plan(report)
        self._node = children_of(report, self._parent_id).pop(self._row)
        self.label = f"删除指标“{self._node.name}”"
        return Effect(edit=edit)

    def revert(self, report: Report) -> Effect:
        assert self._node is not None
        children_of(report, self._parent_id).insert(self._row, self._node)
        return Effect(nodes=frozenset({self.node_id}), edit=self.plan(report, undo=True))


class MoveNode(Operation):
    """Move an indicator (with its subtree) before row ``dest_row`` of ``dest_parent``'s
    children, ``dest_row`` counted before the node is taken out (Qt's convention)."""

    def __init__(self, node_id: str, dest_parent: str | None, dest_row: int, label: str) -> None:
        self.node_id = node_id
        self.dest_parent = dest_parent
        self.dest_row = dest_row
        self.label = label
        self._src: tuple[str | None, int] | None = None

    def plan(self, report: Report, *, undo: bool = False) -> StructureEdit:
        loc = locate(report, self.node_id)
        parent = loc.parent.id if loc.parent else None
        if not undo:
            self._src = (parent, loc.row)
            return StructureEdit(
                "indicators", "move", parent, loc.row, self.dest_parent, self.dest_row
            )
        assert self._src is not None
        back_parent, back_row = self._src
        qt_row = back_row + 1 if back_parent == parent and back_row > loc.row else back_row
        return StructureEdit("indicators", "move", parent, loc.row, back_parent, qt_row)

    @staticmethod
    def _move(report: Report, edit: StructureEdit) -> None:
        source = children_of(report, edit.parent)
        node = source.pop(edit.row)
        target = children_of(report, edit.dest_parent)
        row = edit.dest_row
        if target is source and row > edit.row:
            row -= 1
        target.insert(row, node)

    def apply(self, report: Report) -> Effect:
        edit = self.plan(report)
        self._move(report, edit)
        return Effect(nodes=frozenset({self.node_id}), edit=edit)

    def revert(self, report: Report) -> Effect:
        edit = self.plan(report, undo=True)
        self._move(report, edit)
        return Effect(nodes=frozenset({self.node_id}), edit=edit)
