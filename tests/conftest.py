"""Shared fixtures.  Qt runs offscreen; no test touches the real home folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
TEMPLATES = ROOT / "templates"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _basedir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test keeps user data (templates, autosaves, settings) in a temp folder."""
    from perfeval_desktop import paths

    paths.set_basedir(tmp_path_factory.mktemp("basedir"))
    yield
    paths.set_basedir(None)


@pytest.fixture(autouse=True)
def _printing_chosen_per_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test chooses its printing engine afresh (at its first print, or by
    ``printing.choose``), as a new start of the program does."""
    from perfeval_desktop import printing

    monkeypatch.setattr(printing, "_chosen", None)


@pytest.fixture(scope="session", autouse=True)
def _one_qt_application(qapp: object) -> None:
    """The run's Qt application is pytest-qt's QApplication, made before any test: the
    in-app printing engine makes a (widget-less) QGuiApplication where none runs, and the
    window tests after it could not make their widgets."""
