"""docs/screenshots/: every picture the README shows is there, and each picture there is
declared by exactly one screenshot script, which writes only what it declares and removes
nothing — so running one script never deletes another's pictures (issue #11)."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"
SCRIPTS = {  # the script → the folder under docs/screenshots/ it writes into
    ROOT / "scripts" / "screenshots.py": "",
    ROOT / "scripts" / "task_screenshots.py": "",
    ROOT / "scripts" / "tool_screenshots.py": "",
    ROOT / "installer" / "windows" / "screenshots.py": "windows/",
}
LINK = re.compile(r"\((?:\.\./)?(?:docs/)?screenshots/([^)\s]+\.png)\)")


def _load(path: Path) -> ModuleType:
    """A script as a module (its folder on sys.path, as when it runs)."""
    extra = [str(path.parent), str(ROOT / "installer")]
    sys.path[:0] = extra
    try:
        name = f"_shots_{path.parent.name}_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        del sys.path[:len(extra)]


def _declared() -> dict[str, Path]:
    """Picture (relative to docs/screenshots/) → the script that makes it."""
    owners: dict[str, Path] = {}
    for script, sub in SCRIPTS.items():
        module = _load(script)
        names = getattr(module, "OUTPUTS", None)
        if names is None:  # installer/windows/screenshots.py: its SHOTS, one .png each
            names = tuple(f"{shot}.png" for shot in module.SHOTS)
        for name in names:
            assert sub + name not in owners, f"{sub + name} declared by two scripts"
            owners[sub + name] = script
    return owners


def _linked() -> set[str]:
    texts = [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    return {m for p in texts for m in LINK.findall(p.read_text(encoding="utf-8"))}


def test_every_linked_picture_exists_and_is_made_by_a_script() -> None:
    linked = _linked()
    assert {"rollup-charts.png", "designer.png", "gd-4-indicators.png"} <= linked
    declared = _declared()
    for name in sorted(linked):
        assert (SHOTS / name).is_file(), f"the README shows docs/screenshots/{name}: missing"
        assert name in declared, f"docs/screenshots/{name} is made by no screenshot script"


def test_every_picture_there_is_declared_and_every_declared_one_is_there() -> None:
    there = {p.relative_to(SHOTS).as_posix() for p in SHOTS.rglob("*.png")}
    declared = set(_declared())
    assert there - declared == set(), "pictures no script recreates (a run would keep them stale)"
    assert declared - there == set(), "declared pictures not committed"


def _removals(tree: ast.AST) -> list[str]:
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in {"unlink", "rmtree", "remove", "rmdir", "removedirs"}:
            calls.append(f"line {node.lineno}: .{node.func.attr}()")
    return calls


@pytest.mark.parametrize("script", [*SCRIPTS, ROOT / "scripts" / "shot_files.py"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_screenshot_script_removes_a_file(script: Path) -> None:
    """Each writes its own pictures over the old ones; none deletes (the old screenshots.py
    removed every picture but the laptop ones, also those of the other scripts)."""
    assert _removals(ast.parse(script.read_text(encoding="utf-8"))) == []


def test_save_writes_only_a_declared_picture(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shot_files = _load(ROOT / "scripts" / "shot_files.py")
    monkeypatch.setattr(shot_files, "OUT", tmp_path)
    saved: list[str] = []

    class Picture:
        def save(self, path: str) -> bool:
            Path(path).write_bytes(b"png")
            saved.append(Path(path).name)
            return True

    class Widget:
        def grab(self) -> Any:
            return Picture()

    shot_files.save(Widget(), "a.png", ("a.png",))
    with pytest.raises(SystemExit, match=r"b\.png"):
        shot_files.save(Widget(), "b.png", ("a.png",))
    assert saved == ["a.png"] and [p.name for p in tmp_path.iterdir()] == ["a.png"]
