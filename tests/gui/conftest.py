"""Fixtures for the GUI tests: a main window with scripted dialogs and settings in tmp."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, FakeDialogs
from PySide6.QtWidgets import QApplication

from perfeval_desktop.ui.dialogs import CloseAnswer
from perfeval_desktop.workspace import Workspace


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def make_window(qtbot: Any, dialogs: FakeDialogs) -> Iterator[Callable[..., Any]]:
    from perfeval_desktop.ui.main_window import MainWindow
    from perfeval_desktop.ui.settings import open_settings

    windows: list[Any] = []

    def make(path: Path | None = GD, ws: Workspace | None = None) -> Any:
        if ws is None:
            assert path is not None
            ws = Workspace.open(path)
        window = MainWindow(ws, open_settings(), dialogs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.resize(1500, 900)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        dialogs.close_answer = CloseAnswer.DISCARD
        window.close()


@pytest.fixture
def empty_window(qtbot: Any, dialogs: FakeDialogs) -> Any:
    """The window before a report: “正在打开……”, then what open_later brings."""
    from perfeval_desktop.ui.main_window import MainWindow
    from perfeval_desktop.ui.settings import open_settings

    window = MainWindow.create_empty(open_settings(), dialogs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1500, 900)
    window.show()
    qtbot.waitExposed(window)
    yield window
    dialogs.close_answer = CloseAnswer.DISCARD
    window.close()
