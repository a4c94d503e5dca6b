"""mypy strict covers ui/ too, and nothing in ui/ holds the workspace as ``Any``
(issue #11 §6): a typo in a call on the workspace is a type error, not a crash."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import perfeval_desktop

PACKAGE = Path(perfeval_desktop.__file__).parent
WORKSPACE_NAMES = {"ws", "workspace", "bridge"}


def _is_any(annotation: ast.expr | None) -> bool:
    return annotation is not None and ast.unparse(annotation).strip("'\"") in {"Any",
                                                                             "typing.Any"}


def untyped_workspace(tree: ast.AST) -> list[int]:
    """Lines where a workspace or bridge is annotated ``Any``: a parameter, a variable, an
    attribute or a property of that name."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in WORKSPACE_NAMES and _is_any(
                node.returns):
            lines.append(node.lineno)
        elif isinstance(node, ast.arg) and node.arg in WORKSPACE_NAMES and _is_any(
                node.annotation):
            lines.append(node.lineno)
        elif isinstance(node, ast.AnnAssign) and _is_any(node.annotation):
            target = node.target
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name in WORKSPACE_NAMES:
                lines.append(node.lineno)
    return lines


def test_mypy_strict_covers_the_whole_package() -> None:
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text("utf-8"))["tool"]["mypy"]
    assert config["strict"] is True and config["packages"] == ["perfeval_desktop"]
    assert not config.get("exclude")


def test_no_workspace_is_typed_any_in_ui() -> None:
    found = [f"{path.name}:{line}" for path in sorted((PACKAGE / "ui").rglob("*.py"))
             for line in untyped_workspace(ast.parse(path.read_text("utf-8")))]
    assert found == []


def test_the_check_sees_an_untyped_workspace() -> None:
    source = ("class M:\n"
              "    @property\n"
              "    def ws(self) -> Any: ...\n"
              "    def f(self, bridge: Any, other: Any) -> None:\n"
              "        self.ws: Any = None\n")
    assert sorted(untyped_workspace(ast.parse(source))) == [3, 4, 5]
