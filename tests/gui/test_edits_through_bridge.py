"""The windows edit the report only through ``WorkspaceBridge.execute`` (and its undo/redo):
no module of ui/ calls a Workspace method that changes the report."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import perfeval_desktop.ui as ui_package
from perfeval_desktop.workspace import Workspace

UI = Path(ui_package.__file__).parent
_RUNNERS = ("self.execute(", "self._run(", "self._run_planned(", "self.undo(", "self.redo(")


def mutating_methods() -> set[str]:
    """Workspace methods that run an edit (found in its source, so new ones are covered)."""
    names = {"execute", "undo", "redo"}
    for name, member in vars(Workspace).items():
        if callable(member) and not name.startswith("__"):
            source = inspect.getsource(member)
            if any(runner in source for runner in _RUNNERS):
                names.add(name)
    return names


def _is_workspace(node: ast.expr) -> bool:
    """``ws``, ``self.ws``, ``self.bridge.ws``, ``window.ws`` …"""
    return (isinstance(node, ast.Name) and node.id == "ws") or (
        isinstance(node, ast.Attribute) and node.attr == "ws"
    )


def direct_edits(source: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    mutating = mutating_methods()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in mutating and _is_workspace(func.value):
            found.append((node.lineno, func.attr))
        if (
            isinstance(func, ast.Name)
            and func.id == "getattr"
            and node.args
            and _is_workspace(node.args[0])
        ):
            found.append((node.lineno, "getattr"))
    return found


def test_the_scan_sees_what_it_must_refuse() -> None:
    assert {"add_sibling", "remove_node", "move_up", "indent", "set_field"} <= mutating_methods()
    bad = "ws.add_sibling(x)\nself.bridge.ws.remove_node(x)\ngetattr(self.bridge.ws, how)(x)\n"
    assert [name for _line, name in direct_edits(bad)] == ["add_sibling", "remove_node", "getattr"]
    assert direct_edits("self.bridge.execute(op)\nws.sibling_op(x)\nws.locate(x)\n") == []


def test_ui_edits_only_through_the_bridge() -> None:
    offenders = []
    for path in sorted(UI.glob("*.py")):
        if path.name == "bridge.py":  # the one place that runs edits on the workspace
            continue
        for line, name in direct_edits(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.name}:{line} {name}")
    assert offenders == []
