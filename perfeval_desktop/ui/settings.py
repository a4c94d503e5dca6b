"""Window geometry and recent files in an INI file under the user's config folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from .. import paths

MAX_RECENT = 8


def open_settings() -> QSettings:
    """A fresh QSettings on ``config_dir()/settings.ini`` (honours --basedir; no registry)."""
    return QSettings(str(paths.config_dir() / "settings.ini"), QSettings.Format.IniFormat)


def recent_files(settings: QSettings) -> list[Path]:
    value = settings.value("recent_files", [])
    if isinstance(value, str):
        return [Path(value)] if value else []
    if isinstance(value, list):
        return [Path(str(v)) for v in value]
    return []


def add_recent(settings: QSettings, path: Path) -> list[Path]:
    path = path.resolve()
    items = [p for p in recent_files(settings) if p != path]
    items.insert(0, path)
    items = items[:MAX_RECENT]
    settings.setValue("recent_files", [str(p) for p in items])
    settings.sync()
    return items
