"""Design rule 1, enforced on the source: Qt (PySide6, shiboken6) is imported only by ``ui/``
and ``printing/``, and ``printing/`` uses no widgets (issue #11 §6).

In the manner of qutebrowser's ``check_pyqt_imports``, but over the syntax tree: every
``import``/``from … import`` of every .py of the package, inside functions and classes too,
and ``importlib.import_module("PySide6…")`` / ``__import__("PySide6…")`` with a literal name.
(tests/test_core_without_qt.py imports the core with Qt blocked: this one also sees the
imports that only run when a function is called.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import perfeval_desktop

PACKAGE = Path(perfeval_desktop.__file__).parent
QT = ("PySide6", "shiboken6")
QT_USERS = ("ui", "printing")
NO_WIDGETS = ("PySide6.QtWidgets", "PySide6.QtPrintSupport")  # not in printing/


def imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in ``tree``, wherever it stands."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module
            for alias in node.names:  # from PySide6 import QtWidgets
                yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name in ("import_module", "__import__") and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                yield node.lineno, first.value


def is_under(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def violations(path: Path) -> list[str]:
    rel = path.relative_to(PACKAGE)
    area = rel.parts[0] if len(rel.parts) > 1 else ""
    found = []
    for line, module in imported(ast.parse(path.read_text("utf-8"), str(path))):
        where = f"{rel.as_posix()}:{line}: {module}"
        if is_under(module, QT) and area not in QT_USERS:
            found.append(where)
        elif area == "printing" and is_under(module, NO_WIDGETS):
            found.append(where + " (printing/ uses QtGui only)")
    return found


def test_qt_only_in_ui_and_printing() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 50 and PACKAGE / "printing" / "layout.py" in files
    found = [v for path in files for v in violations(path)]
    assert found == [], "Qt imported outside ui/ and printing/:\n" + "\n".join(found)


def test_the_scan_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The scan itself: what it must catch, and what it must let pass."""
    source = (
        "import os\n"
        "def f():\n"
        "    from PySide6.QtGui import QFont\n"
        "    class C:\n"
        "        def g(self):\n"
        "            import PySide6.QtCore\n"
        "            from PySide6 import QtWidgets\n"
        "    importlib.import_module('shiboken6')\n"
        "    __import__('PySide6.QtPdf')\n"
        "    importlib.util.find_spec('PySide6')  # asks, does not import\n"
        "from . import ui\n"
    )
    found = [m for _line, m in imported(ast.parse(source))]
    assert sorted(m for m in found if is_under(m, QT)) == sorted([
        "PySide6.QtGui", "PySide6.QtGui.QFont", "PySide6.QtCore", "PySide6",
        "PySide6.QtWidgets", "shiboken6", "PySide6.QtPdf"])
    assert "os" in found and not any("find_spec" in m for m in found)
