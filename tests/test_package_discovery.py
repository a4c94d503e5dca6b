"""Package discovery must not walk build/ (issue #9).

`make windows` keeps a Wine prefix in build/windows/prefix whose dosdevices/z: links to /.
setuptools' namespace finder (the default with pyproject.toml) walks every folder and follows
symlinks, so `pip install -e .` walked the whole file system through z: and never finished.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages
from setuptools.discovery import PackageFinder, PEP420PackageFinder

ROOT = Path(__file__).resolve().parents[1]


def test_only_real_packages_are_found() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    find = config["tool"]["setuptools"]["packages"]["find"]
    assert find["namespaces"] is False
    found = set(find_packages(str(ROOT), include=find["include"]))
    folders = {".".join(p.parent.relative_to(ROOT).parts)
               for p in (ROOT / "perfeval_desktop").rglob("*.py") if "__pycache__" not in p.parts}
    assert found == folders  # every folder of the package has its __init__.py: nothing lost


def test_a_symlink_loop_outside_the_package_is_not_walked(tmp_path: Path) -> None:
    (tmp_path / "perfeval_desktop" / "model").mkdir(parents=True)
    (tmp_path / "perfeval_desktop" / "__init__.py").write_text("")
    (tmp_path / "perfeval_desktop" / "model" / "__init__.py").write_text("")
    drive = tmp_path / "build" / "windows" / "prefix" / "dosdevices"
    drive.mkdir(parents=True)
    (drive / "z:").symlink_to(tmp_path)  # a loop back to the root, like Z: → /
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    find = config["tool"]["setuptools"]["packages"]["find"]
    assert find["namespaces"] is False  # else the finder below would walk the loop
    finder = PEP420PackageFinder if find["namespaces"] else PackageFinder
    found = finder.find(str(tmp_path), include=find["include"])
    assert sorted(found) == ["perfeval_desktop", "perfeval_desktop.model"]
