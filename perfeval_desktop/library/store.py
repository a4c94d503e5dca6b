"""Where the library lives: the built-in YAML in the bundle, the clerk's JSON files in the
user data folder (``paths.data_dir() / "library"``), and the one-file export/import."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .. import paths
from ..errors import PerfevalError
from ..model.report import Report
from .model import LibraryEntry, entry_from_node
from .search import LibraryIndex

BUILTIN = ("resources", "library", "indicators.yaml")
FORMAT = "perfeval-indicator-library"
OWN = "own.json"
FROM_REPORTS = "from_reports.json"
MAX_FROM_REPORTS = 5000  # the oldest offered indicators go first


class LibraryError(PerfevalError):
    """A library file that cannot be read or written (the message names file and fix)."""


def load_builtin(path: Path | None = None) -> list[LibraryEntry]:
    path = path or paths.bundled(*BUILTIN)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        sources = data.get("sources", {})
        entries = []
        for raw in data.get("entries", []):
            src = sources[raw["source"]]
            where = f"{src['title']}（{src['url']}）" if src.get("url") else src["title"]
            entries.append(LibraryEntry(**{**raw, "source": where, "origin": "builtin"}))
        return entries
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValidationError) as exc:
        raise LibraryError(
            f"内置指标库文件“{path}”无法读取（{type(exc).__name__}: {exc}）。请重新安装本程序。"
        ) from exc


def _folder() -> Path:
    folder = paths.data_dir() / "library"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _read_entries(path: Path, origin: str) -> list[LibraryEntry]:
    if not path.exists():
        return []
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("不是本程序的指标库文件")
        return [LibraryEntry(**{**e, "origin": origin}) for e in data.get("entries", [])]
    except (OSError, ValueError, TypeError, ValidationError) as exc:
        raise LibraryError(
            f"指标库文件“{path}”无法读取（{exc}）。请选择由本程序“导出指标库”得到的 .json 文件。"
        ) from exc


def _write_entries(path: Path, entries: list[LibraryEntry]) -> None:
    data = {"format": FORMAT, "version": 1,
            "entries": [e.model_dump(exclude={"origin"}) for e in entries]}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".lib-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except OSError as exc:
        raise LibraryError(
            f"无法写入指标库文件“{path}”（{exc.strerror or exc}）。请检查文件夹权限或磁盘空间。"
        ) from exc


def _merge(old: list[LibraryEntry], new: list[LibraryEntry]) -> tuple[list[LibraryEntry], int]:
    keys = {e.key for e in old}
    added = [e for e in new if e.key not in keys and not keys.add(e.key)]  # type: ignore[func-returns-value]
    return old + added, len(added)


def save_own(entries: list[LibraryEntry]) -> int:
    """Add entries to the clerk's own library; returns how many were new."""
    merged, added = _merge(_read_entries(_folder() / OWN, "own"), entries)
    if added:
        _write_entries(_folder() / OWN, merged)
    return added


def remember_report(report: Report, name: str) -> int:
    """Offer every indicator of an opened report (保存 in ``from_reports.json``)."""
    found = []
    for first in report.indicators:
        for second in first.children:
            for leaf in second.children or []:
                if leaf.is_leaf and leaf.name.strip():
                    found.append(entry_from_node(leaf, first.name, second.name, "已打开的报告",
                                                 f"报告：{name}", "report"))
    path = _folder() / FROM_REPORTS
    merged, added = _merge(_read_entries(path, "report"), found)
    if added:
        _write_entries(path, merged[-MAX_FROM_REPORTS:])
    return added


def export_library(target: Path) -> int:
    """The clerk's own library as one file (for a bureau to hand out)."""
    entries = _read_entries(_folder() / OWN, "own")
    _write_entries(target, entries)
    return len(entries)


def import_library(source: Path) -> int:
    """A library file exported elsewhere, merged into the clerk's own; how many were new."""
    return save_own(_read_entries(source, "own"))


@dataclass
class Library:
    builtin: list[LibraryEntry] = field(default_factory=list)
    own: list[LibraryEntry] = field(default_factory=list)
    from_reports: list[LibraryEntry] = field(default_factory=list)

    def index(self) -> LibraryIndex:
        seen: set[tuple[str, str, str, str]] = set()
        unique = []
        for entry in [*self.own, *self.builtin, *self.from_reports]:
            if entry.key not in seen:
                seen.add(entry.key)
                unique.append(entry)
        return LibraryIndex(unique)


def load_library() -> Library:
    folder = _folder()
    return Library(load_builtin(), _read_entries(folder / OWN, "own"),
                   _read_entries(folder / FROM_REPORTS, "report"))
