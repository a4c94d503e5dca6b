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
