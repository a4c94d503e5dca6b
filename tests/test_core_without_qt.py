"""The core must never import Qt (design rule 1): import every core module with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import perfeval_desktop

PACKAGE = Path(perfeval_desktop.__file__).parent


def core_modules() -> list[str]:
    mods = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if "ui" in parts or parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods.append(".".join(parts))
    return mods


def test_core_modules_import_with_pyside6_blocked() -> None:
    modules = core_modules()
    assert "perfeval_desktop.scoring.engine" in modules
    assert "perfeval_desktop.cli" in modules
    code = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'PySide6' or name.startswith('PySide6.') or name.startswith('shiboken6'):\n"
        "            raise ImportError('Qt is blocked in the core: ' + name)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "assert not any(k.startswith('PySide6') for k in sys.modules)\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
