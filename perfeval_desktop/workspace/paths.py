"""Field paths into a report (``funding.by_kind.其他资金.executed``) and indicator lookup.

The syntax is the validator's (see :func:`perfeval_desktop.scoring.validator.value_at`);
indicator nodes are addressed by their stable ``id`` so that an edit stays valid after
rows above it are inserted, removed or moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..errors import InputError
from ..model.report import (
    Amounts,
    FundingKind,
    FundingSource,
    FundingTable,
    IndicatorNode,
    Report,
    WeightGroup,
)

_TOKEN = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")
_NODE_PATH = re.compile(r"^indicators(?:\[\d+\](?:\.children)?)*")


def tokens(path: str) -> list[str | int]:
    out: list[str | int] = []
    for match in _TOKEN.finditer(path):
        name, index = match.group(1), match.group(2)
        out.append(int(index) if index is not None else name)
    return out


def _dict_key(mapping: dict[Any, Any], name: str) -> Any:
    for key in mapping:
        if str(getattr(key, "value", key)) == name:
            return key
    return None


@dataclass
class Slot:
    """Where a path points: the owner object and the key inside it."""

    owner: Any
    key: Any
    created: tuple[dict[Any, Any], Any] | None = None  # a funding row created on the way

    def get(self) -> Any:
        if isinstance(self.owner, BaseModel):
            return getattr(self.owner, self.key)
        if isinstance(self.owner, dict):
            return self.owner.get(self.key)
        return self.owner[self.key]

    def exists(self) -> bool:
        if isinstance(self.owner, dict):
            return self.key in self.owner
        return True


def resolve(root: Any, path: str, *, create: bool = False) -> Slot:
    """The slot at ``path`` under ``root``; with ``create`` a missing 其中 / 来源 row of the
    funding table is created on the way (and named in ``Slot.created``)."""
    parts = tokens(path)
    if not parts:
        raise KeyError(path)
    current: Any = root
    created: tuple[dict[Any, Any], Any] | None = None
    for i, part in enumerate(parts[:-1]):
        if isinstance(part, int):
            if not isinstance(current, list) or part >= len(current):
                raise KeyError(path)
            current = current[part]
        elif isinstance(current, dict):
            key = _dict_key(current, part)
            if key is None:
                new_key = _new_funding_key(current, root, parts[:i], part) if create else None
                if new_key is None:
                    raise KeyError(path)
                current[new_key] = Amounts()
                created = (current, new_key)
                key = new_key
            current = current[key]
        elif isinstance(current, BaseModel) and part in type(current).model_fields:
            current = getattr(current, part)
        else:
            raise KeyError(path)
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(current, list) or last >= len(current):
            raise KeyError(path)
        return Slot(current, last, created)
    if isinstance(current, dict):
        key = _dict_key(current, last)
        return Slot(current, key if key is not None else last, created)
    if isinstance(current, BaseModel) and last in type(current).model_fields:
        return Slot(current, last, created)
    raise KeyError(path)


def _new_funding_key(
    mapping: dict[Any, Any], root: Any, before: list[str | int], name: str
) -> FundingKind | FundingSource | None:
    """The enum key for a missing funding row (``funding.by_kind.其他资金``)."""
    if not isinstance(root, Report) or before[:1] != ["funding"] or len(before) != 2:
        return None
    table: FundingTable = root.funding
    try:
        if before[1] == "by_kind" and mapping is table.by_kind:
            return FundingKind(name)
        if before[1] == "by_source" and mapping is table.by_source:
            return FundingSource(name)
    except ValueError:
        return None
    return None


# --- indicator nodes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """A node, the list it sits in, its row there and its parent (None at the first level)."""

    node: IndicatorNode
    siblings: list[IndicatorNode]
    row: int
    parent: IndicatorNode | None
    level: int
    path: str


def locate(report: Report, node_id: str) -> Location:
    def walk(
        items: list[IndicatorNode], parent: IndicatorNode | None, level: int, prefix: str
    ) -> Location | None:
        for i, node in enumerate(items):
            path = f"{prefix}[{i}]"
            if node.id == node_id:
                return Location(node, items, i, parent, level, path)
            found = walk(node.children, node, level + 1, f"{path}.children")
            if found is not None:
                return found
        return None

    found = walk(report.indicators, None, 1, "indicators")
    if found is None:
        raise KeyError(node_id)
    return found


def children_of(report: Report, parent_id: str | None) -> list[IndicatorNode]:
    return report.indicators if parent_id is None else locate(report, parent_id).node.children


def node_for_path(report: Report, path: str) -> tuple[IndicatorNode | None, str]:
    """The indicator a field path points into and the rest of the path
    (``indicators[0].children[1].weight`` → (node, "weight")); (None, path) otherwise."""
    match = _NODE_PATH.match(path)
    if match is None or match.group(0) == "indicators":
        return None, path
    node_path = match.group(0).removesuffix(".children")
    rest = path[len(node_path) :].lstrip(".")
    node: IndicatorNode | None = None
    items = report.indicators
    for part in tokens(node_path)[1:]:
        if isinstance(part, int):
            if part >= len(items):
                return None, path
            node = items[part]
            items = node.children
    return node, rest


def subtree_height(node: IndicatorNode) -> int:
    """1 for a leaf, 2 for a node with leaves under it, …"""
    return 1 + max((subtree_height(c) for c in node.children), default=0)


def set_value(slot: Slot, value: Any, label: str) -> None:
    """Write ``value``; a value the model refuses becomes an InputError naming ``label``."""
    from pydantic import ValidationError

    try:
        if isinstance(slot.owner, BaseModel):
            setattr(slot.owner, slot.key, value)
        else:
            slot.owner[slot.key] = value
    except ValidationError as exc:
        detail = exc.errors(include_url=False)[0].get("msg", "")
        raise InputError(f"“{label}”的值“{value}”不符合要求（{detail}），已保留原值。") from None


def field_label(slot: Slot) -> str:
    """The pydantic title of the slot's field (项目名称), else its key."""
    if isinstance(slot.owner, WeightGroup) and slot.key == "weight":
        return f"{slot.owner.label}的分值"  # a merged 分值 cell: “决策+过程的分值”
    if isinstance(slot.owner, BaseModel):
        info = type(slot.owner).model_fields.get(slot.key)
        if info is not None and info.title:
            return info.title
    return str(getattr(slot.key, "value", slot.key))
