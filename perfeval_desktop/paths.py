"""The one place that knows folders: bundled resources and templates, the user's data.

In development the bundled folders sit beside the package; in a PyInstaller bundle they
sit under ``sys._MEIPASS``.  ``set_basedir`` (the ``--basedir`` flag) moves every user
folder under one directory so tests and smoke runs never touch the real home folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import APP_ID

_basedir: Path | None = None


def set_basedir(path: Path | str | None) -> None:
    global _basedir
    _basedir = Path(path) if path is not None else None


def bundle_root() -> Path:
    """The folder holding ``templates/`` and ``resources/`` (frozen or from source)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def bundled(*parts: str) -> Path:
    """A bundled file, e.g. ``bundled("resources", "samples", "x.pfe")``."""
    return bundle_root().joinpath(*parts)


def builtin_templates_dir() -> Path:
    return bundled("templates")


def samples_dir() -> Path:
    return bundled("resources", "samples")


def data_dir() -> Path:
    """Autosaves, logs and the user's own templates."""
    if _basedir:
        path = _basedir / "data"
    else:
        from platformdirs import user_data_path  # imported when first needed: start-up time

        path = user_data_path(APP_ID, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    if _basedir:
        path = _basedir / "config"
    else:
        from platformdirs import user_config_path

        path = user_config_path(APP_ID, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_templates_dir() -> Path:
    path = data_dir() / "templates"
    path.mkdir(parents=True, exist_ok=True)
    return path
