"""Shared pieces of the GUI tests: sample paths and scripted dialogs.

Imported as ``from gui_support import …`` (``tests/`` is on ``sys.path``); not from
``conftest``, whose module name several test folders share.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from perfeval_desktop.templates.loader import Template
from perfeval_desktop.ui.dialogs import CloseAnswer

ROOT = Path(__file__).resolve().parents[1]
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
        self.excel: Path | None = None
        self.library: Path | None = None
        self.dialog_answers: list[Any] = []  # per dialog of ours: True/False, or a function
        self.shown_dialogs: list[Any] = []
        self.exported: list[list[Path]] = []  # the files each 导出完成 listed

    def open_path(self, folder: str) -> Path | None:
        return self.open

    def open_excel(self, folder: str) -> Path | None:
        return self.excel

    def library_file(self, save: bool, folder: str) -> Path | None:
        return self.library

    def run_dialog(self, dialog: Any) -> bool:
        """The test drives the dialog (a function of it) or just answers (True/False)."""
        self.shown_dialogs.append(dialog)
        answer = self.dialog_answers.pop(0) if self.dialog_answers else False
        return bool(answer(dialog) if callable(answer) else answer)

    def save_path(self, suggested: str) -> Path | None:
        return self.save

    def choose_template(self, templates: list[Template]) -> Template | None:
        return self.template

    def export_choice(self, formats: list[str], folder: Path, findings: Any) -> Any:
        return self.export

    def export_done(self, written: list[Path]) -> None:
        self.exported.append(written)

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
