"""The open report: edits as undoable operations that say what changed (no Qt here)."""

from .changes import Change, Container, Effect, Listener, StructureEdit
from .operations import (
    Batch,
    InsertNode,
    InsertNodes,
    InsertRow,
    InsertRows,
    MoveNode,
    Operation,
    RemoveNode,
    RemoveRow,
    SetExplanation,
    SetField,
    SetMethod,
    SetNodeField,
    method_of_kind,
)
from .paths import Location, locate, node_for_path, resolve
from .workspace import MAX_LEVELS, Workspace

__all__ = [
    "MAX_LEVELS",
    "Batch",
    "Change",
    "Container",
    "Effect",
    "InsertNode",
    "InsertNodes",
    "InsertRow",
    "InsertRows",
    "Listener",
    "Location",
    "MoveNode",
    "Operation",
    "RemoveNode",
    "RemoveRow",
    "SetExplanation",
    "SetField",
    "SetMethod",
    "SetNodeField",
    "StructureEdit",
    "Workspace",
    "locate",
    "method_of_kind",
    "node_for_path",
    "resolve",
]
