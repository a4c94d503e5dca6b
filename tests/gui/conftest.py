"""Fixtures for the GUI tests: a main window with scripted dialogs and settings in tmp."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from perfeval_desktop.templates.loader import Template
from perfeval_desktop.ui.dialogs import CloseAnswer
from perfeval_desktop.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"
GD = SAMPLES / "gd_yuancheng_medical_aid_2021.pfe"
YN = SAMPLES / "yn_wuhua_payables_2024.pfe"


class FakeDialogs:
    """Answers every modal dialog from the test's script, and records what was shown."""

    def __init__(self) -> None:
        self.template: Template | None = None
        self.open: Path | None = None
        self.save: Path | None = None
        self.export: tuple[Path, list[str]] | None = None
        self.close_answer = CloseAnswer.CANCEL
        self.errors: list[str] = []
        self.infos: list[tuple[str, str]] = []
        self.asked_close = 0
        self.restore_answers: list[bool] = []  # popped per recovery offered; default: decline
        self.offered: list[Any] = []
        self.previews: list[Any] = []

    def open_path(self, folder: str) -> Path | None:
        return self.open

    def save_path(self, suggested: str) -> Path | None:
        return self.save

    def choose_template(self, templates: list[Template]) -> Template | None:
        return self.template

    def export_choice(self, formats: list[str], folder: Path, findings: Any) -> Any:
        return self.export

    def ask_close(self, name: str) -> CloseAnswer:
        self.asked_close += 1
        return self.close_answer

    def ask_restore(self, recovery: Any) -> bool:
        self.offered.append(recovery)
        return self.restore_answers.pop(0) if self.restore_answers else False

    def show_preview(self, dialog: Any) -> None:
        self.previews.append(dialog)  # not exec(): the test looks at it, then closes it

    def error(self, text: str) -> None:
        self.errors.append(text)

    def info(self, title: str, text: str) -> None:
        self.infos.append((title, text))

    def about(self, text: str) -> None:
        self.infos.append(("about", text))


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
