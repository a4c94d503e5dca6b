"""What an edit changed, so that each view decides for itself what to redraw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

#: Lists whose rows can be inserted, removed or moved.  ``indicators`` is the tree
#: (``parent`` is a node id or None for the first level); the others are flat tables.
Container = Literal["indicators", "problems", "evaluators", "funding.details"]


@dataclass(frozen=True)
class StructureEdit:
    """One row inserted, removed or moved, announced before and after it happens.

    ``dest_row`` follows Qt's ``beginMoveRows``: the row *before which* the item lands,
    counted in the destination list before the item is taken out.
    """

    container: Container
    kind: Literal["insert", "remove", "move"]
    parent: str | None
    row: int
    dest_parent: str | None = None
    dest_row: int = 0
    count: int = 1  # rows inserted or removed from ``row`` on (a paste adds many at once)

    @property
    def last(self) -> int:
        return self.row + self.count - 1


@dataclass(frozen=True)
class Effect:
    """What an operation itself wrote (before anything is recomputed)."""

    paths: frozenset[str] = frozenset()  # report field paths, e.g. "project.name"
    nodes: frozenset[str] = frozenset()  # ids of indicator nodes whose own fields changed
    edit: StructureEdit | None = None
    explanations: bool = False
    edits: tuple[StructureEdit, ...] = ()  # the row edits of a batch, in order

    def all_edits(self) -> tuple[StructureEdit, ...]:
        return ((self.edit,) if self.edit is not None else ()) + self.edits


def combine(effects: list[Effect]) -> Effect:
    """One effect for the parts of a batch, the row edits in the order they happened."""
    return Effect(
        paths=frozenset().union(*(e.paths for e in effects)),
        nodes=frozenset().union(*(e.nodes for e in effects)),
        explanations=any(e.explanations for e in effects),
        edits=tuple(edit for e in effects for edit in e.all_edits()),
    )


@dataclass(frozen=True)
class Change:
    """What an edit (or its undo) changed, including what the recompute changed.

    ``paths`` are field paths outside the indicator tree (``funding.total.executed``,
    ``sections.advice``, ``problems[0].cause``); ``nodes`` the indicator ids whose own
    fields were written; ``edits`` the rows inserted/removed/moved; ``scores`` the ids of
    indicators whose computed score, weight or 得分率 changed; ``summary`` is True when the
    total, grade, caps, level scores or funding figures changed; ``findings`` when the
    validator's list changed.  ``reload`` means: redraw everything.
    """

    paths: frozenset[str] = frozenset()
    nodes: frozenset[str] = frozenset()
    edits: tuple[StructureEdit, ...] = ()
    explanations: bool = False
    scores: frozenset[str] = frozenset()
    summary: bool = False
    findings: bool = False
    reload: bool = False
    dirty_changed: bool = False

    def touches(self, prefix: str) -> bool:
        """True when a written path is ``prefix`` or lies under it."""
        if self.reload:
            return True
        return any(
            p == prefix or p.startswith((prefix + ".", prefix + "[")) for p in self.paths
        ) or any(e.container == prefix or e.container.startswith(prefix + ".") for e in self.edits)

    def restructured(self, container: Container) -> bool:
        return self.reload or any(e.container == container for e in self.edits)


class Listener(Protocol):
    """A view of the workspace; every method is called synchronously."""

    def structure_about_to_change(self, edit: StructureEdit) -> None: ...

    def structure_changed(self, edit: StructureEdit) -> None: ...

    def changed(self, change: Change) -> None: ...
