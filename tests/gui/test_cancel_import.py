"""Issue #11 §4: 导入 Excel reads the file in a worker, with progress and 取消 in the status
bar; the clerk goes on typing in the open report; 取消 changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, YN, FakeDialogs
from helpers import Gate, type_text, wait_task
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from perfeval_desktop.export import export_report
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template
from perfeval_desktop.ui import import_dialog


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """Reading the Excel file waits at the gate."""
    g = Gate()
    monkeypatch.setattr(import_dialog, "read_workbook", g.wrap(import_dialog.read_workbook))
    yield g
    g.open.set()  # never leave a worker waiting


@pytest.fixture
def yunnan_xlsx(tmp_path: Path) -> Path:
    sample = load(YN)
    (xlsx,) = export_report(sample, load_template(sample.meta.template_id), tmp_path,
                            formats=["xlsx"])
    return Path(xlsx)


def _menu_import_excel(qtbot: Any, window: Any) -> None:
    """文件(&F) → 导入 Excel(&I)… by keys, as a clerk without a mouse does."""
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert "导入 Excel(&I)…" in [a.text() for a in menu.actions()]
    QTest.keyClick(menu, Qt.Key.Key_I)


def test_cancelled_import_changes_nothing(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, yunnan_xlsx: Path, gate: Gate
) -> None:
    window = make_window(GD)
    ws = window.ws
    before = ws.report.model_dump_json()
    dialogs.excel = yunnan_xlsx
    dialogs.dialog_answers = [True]  # would import, were it not cancelled
    _menu_import_excel(qtbot, window)
    qtbot.waitUntil(gate.reached.is_set, timeout=30_000)
    bar = window.tasks
    qtbot.waitUntil(lambda: "正在导入 Excel：读取表格（1/3）" in bar.label.text())
    assert bar.isVisible() and bar.bar.maximum() == 3 and "当前报告不会改动" in bar.toolTip()
    task = bar.task
    QTest.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()  # free at once
    gate.open.set()
    assert task.wait(30)
    qtbot.wait(50)  # what the worker read is dropped: no preview, nothing opened
    assert not dialogs.shown_dialogs and not dialogs.errors
    assert window.ws is ws and not ws.dirty and not ws.can_undo
    assert ws.report.model_dump_json() == before


def test_the_clerk_types_while_the_import_reads(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, yunnan_xlsx: Path, gate: Gate
) -> None:
    """The open report stays editable; the import then opens as a new report (the clerk
    is asked about the typed change first)."""
    from perfeval_desktop.ui.dialogs import CloseAnswer

    window = make_window(GD)
    dialogs.excel = yunnan_xlsx
    seen: list[Any] = []
    dialogs.dialog_answers = [lambda dialog: seen.append(dialog) or True]
    _menu_import_excel(qtbot, window)
    qtbot.waitUntil(gate.reached.is_set, timeout=30_000)
    edit = window.editor.basic.edits["meta.filler"]
    edit.setFocus()
    type_text(qtbot, edit, "李四")
    assert window.ws.report.meta.filler.endswith("李四") and window.ws.dirty
    dialogs.close_answer = CloseAnswer.DISCARD
    gate.open.set()
    wait_task(qtbot, window)
    [dialog] = seen
    assert dialog.template.id == "yunnan_dept_eval"
    assert window.ws.report.meta.template_id == "yunnan_dept_eval" and window.ws.path is None
