"""Issue #11 §4: 导出 and 打印预览 run off the UI thread, with a progress bar and 取消 in the
window; the clerk goes on typing meanwhile; 取消 leaves no file behind.

The worker is held at a gate (the file writer waits for the test) so that the test acts
while it runs: what a long LibreOffice conversion or a 3,000-indicator export does."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, FakeDialogs
from helpers import Gate, shortcut, type_text, wait_task
from printing_support import gone, hanging_soffice
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import perfeval_desktop.export as export_pkg
from perfeval_desktop.export.staged import STAGE_PREFIX
from perfeval_desktop.printing import libreoffice as pdf_export
from perfeval_desktop.ui import print_preview


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """The workbook writer of 导出 and the PDF of 打印预览 wait at the gate."""
    monkeypatch.setattr(pdf_export, "find_soffice", lambda: None)  # in-app PDF: fast
    g = Gate()
    monkeypatch.setattr(export_pkg, "_write_forms_xlsx", g.wrap(export_pkg._write_forms_xlsx))
    monkeypatch.setattr(print_preview, "write_plan_pdf", g.wrap(print_preview.write_plan_pdf))
    yield g
    g.open.set()  # never leave a worker waiting


def _held(qtbot: Any, gate: Gate) -> None:
    qtbot.waitUntil(gate.reached.is_set, timeout=30_000)


def _click_cancel(window: Any) -> None:
    button = window.tasks.cancel_button
    assert button.isVisible() and button.text() == "取消"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_export_runs_while_the_clerk_types(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path, gate: Gate
) -> None:
    window = make_window(GD)
    dialogs.export = (tmp_path, ["docx", "xlsx"])
    shortcut(window, "Ctrl+E")
    _held(qtbot, gate)
    bar = window.tasks
    assert bar.isVisible() and bar.bar.isVisible() and "正在导出" in bar.label.text()
    qtbot.waitUntil(lambda: bar.bar.value() >= 1)  # the steps so far are counted
    assert bar.bar.maximum() == 3  # scoring, the DOCX, the workbook
    assert not window.actions_by_name["export"].isEnabled()  # one at a time
    assert not window.actions_by_name["print_preview"].isEnabled()
    # the window answers: the clerk types a name while the export waits
    edit = window.editor.basic.edits["meta.filler"]
    edit.setFocus()
    type_text(qtbot, edit, "李四")
    assert window.ws.report.meta.filler.endswith("李四") and window.ws.dirty
    [staging] = tmp_path.iterdir()  # nothing in place yet
    assert staging.name.startswith(STAGE_PREFIX)
    gate.open.set()
    wait_task(qtbot, window)
    assert not dialogs.errors
    [files] = dialogs.exported
    assert sorted(f.suffix for f in files) == [".docx", ".xlsx"]
    assert sorted(tmp_path.iterdir()) == sorted(files)  # the staging folder is gone
    assert not bar.isVisible() and window.actions_by_name["export"].isEnabled()
    from docx import Document

    text = "\n".join(p.text for p in Document(str(files[0] if files[0].suffix == ".docx"
                                                   else files[1])).paragraphs)
    assert "李四" not in text  # the report as it was when 导出 was pressed


def test_cancelled_export_leaves_no_file(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path, gate: Gate
) -> None:
    window = make_window(GD)
    dialogs.export = (tmp_path, ["docx", "xlsx"])
    window.actions_by_name["export"].trigger()
    _held(qtbot, gate)  # the DOCX is written (staged), the workbook waits
    task = window.tasks.task
    _click_cancel(window)
    assert not window.tasks.isVisible()  # free at once, not when the worker stops
    assert window.actions_by_name["export"].isEnabled()
    gate.open.set()
    assert task.wait(60)
    qtbot.waitUntil(lambda: not list(tmp_path.iterdir()))  # staged files removed
    qtbot.wait(50)  # the worker's late result is discarded, not shown
    assert not dialogs.exported and not dialogs.errors


def test_cancel_keeps_the_previous_export(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path, gate: Gate
) -> None:
    window = make_window(GD)
    dialogs.export = (tmp_path, ["docx", "xlsx"])
    gate.open.set()
    window.actions_by_name["export"].trigger()
    wait_task(qtbot, window)
    [files] = dialogs.exported
    before = {f: f.read_bytes() for f in files}
    gate.open.clear()
    gate.reached.clear()
    window.actions_by_name["export"].trigger()
    _held(qtbot, gate)
    task = window.tasks.task
    _click_cancel(window)
    gate.open.set()
    assert task.wait(60)
    qtbot.waitUntil(lambda: sorted(tmp_path.iterdir()) == sorted(before))
    assert {f: f.read_bytes() for f in files} == before


def test_closing_the_window_stops_the_export(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path, gate: Gate
) -> None:
    from perfeval_desktop.ui.dialogs import CloseAnswer

    window = make_window(GD)
    dialogs.export = (tmp_path, ["docx", "xlsx"])
    window.actions_by_name["export"].trigger()
    _held(qtbot, gate)
    task = window.tasks.task
    threading.Timer(0.2, gate.open.set).start()  # the writer finishes while closing waits
    dialogs.close_answer = CloseAnswer.DISCARD
    window.close()
    assert task.wait(0) and list(tmp_path.iterdir()) == []
    assert not dialogs.exported


def test_print_preview_is_made_in_a_worker_and_can_be_cancelled(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, gate: Gate
) -> None:
    window = make_window(GD)
    shortcut(window, "Ctrl+P")
    _held(qtbot, gate)
    assert "打印预览" in window.tasks.label.text() and not dialogs.previews
    task = window.tasks.task
    _click_cancel(window)
    gate.open.set()
    assert task.wait(60)
    qtbot.wait(50)
    assert not dialogs.previews and not dialogs.errors
    # again, to the end: the dialog opens on the PDF made in the worker
    shortcut(window, "Ctrl+P")
    wait_task(qtbot, window)
    [dialog] = dialogs.previews
    qtbot.addWidget(dialog)
    assert dialog.pages_painted == 0 and len(dialog.pages) > 0
    folder = dialog.folder.path
    dialog.close()
    assert not folder.exists()


def test_a_part_of_the_preview_can_be_cancelled(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, gate: Gate
) -> None:
    window = make_window(GD)
    gate.open.set()
    shortcut(window, "Ctrl+P")
    wait_task(qtbot, window)
    [dialog] = dialogs.previews
    qtbot.addWidget(dialog)
    dialog.show()
    whole = len(dialog.pages)
    gate.open.clear()
    gate.reached.clear()
    combo = dialog.choice
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)  # 报告正文
    _held(qtbot, gate)
    assert dialog.busy and not combo.isEnabled() and dialog.tasks.isVisible()
    QTest.mouseClick(dialog.tasks.cancel_button, Qt.MouseButton.LeftButton)
    assert combo.isEnabled() and combo.currentData() == print_preview.ALL
    assert len(dialog.pages) == whole and dialog.shown == print_preview.ALL
    gate.open.set()
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)  # again, to the end
    qtbot.waitUntil(lambda: dialog.shown == print_preview.BODY, timeout=60_000)
    assert 0 < len(dialog.pages) < whole
    dialog.close()


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script stands in for soffice")
def test_cancel_ends_the_libreoffice_conversion(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """取消 during a LibreOffice conversion kills soffice and what it started, so the next
    PDF does not wait up to 180 s for it."""
    program, pidfile = hanging_soffice(tmp_path)
    monkeypatch.setattr(pdf_export, "find_soffice", lambda: program)
    made: list[Path] = []

    class Folder(print_preview.PreviewFolder):
        def __init__(self) -> None:
            super().__init__()
            made.append(self.path)

    monkeypatch.setattr(print_preview, "PreviewFolder", Folder)
    window = make_window(GD)
    shortcut(window, "Ctrl+P")
    qtbot.waitUntil(pidfile.exists, timeout=30_000)  # soffice runs
    task = window.tasks.task
    _click_cancel(window)
    assert task.wait(5)  # the worker stops at once, not at the timeout
    assert gone(int(pidfile.read_text().strip()))
    qtbot.wait(50)
    assert not dialogs.previews and not dialogs.errors
    assert made and not made[0].exists()  # the preview's temp folder removed


def test_the_in_app_pdf_made_in_a_worker_warns_nothing(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, qtlog: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The in-app layout's Qt objects start timers: the worker is a QThread, whose event
    dispatcher they need (a plain Python thread printed “QBasicTimer::start: current
    thread's event dispatcher has already been destroyed”)."""
    monkeypatch.setattr(pdf_export, "find_soffice", lambda: None)
    window = make_window(GD)
    shortcut(window, "Ctrl+P")
    wait_task(qtbot, window)
    [dialog] = dialogs.previews
    qtbot.addWidget(dialog)
    assert len(dialog.pages) > 0
    dialog.close()
    assert [r.message for r in qtlog.records if "Timer" in r.message] == []


def test_the_in_app_pdf_is_cancelled_between_pages(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """导出 PDF with the in-app layout, 取消 clicked while its second page is drawn: the
    third is not drawn, and neither the PDF nor the staging folder is left."""
    from perfeval_desktop.printing import layout

    monkeypatch.setattr(pdf_export, "find_soffice", lambda: None)
    gate, drawn, targets = Gate(), [], []
    draw, print_pdf = layout._draw_page, layout.qt_docx_pdf

    def counted(*args: Any) -> Any:
        drawn.append(1)
        if len(drawn) == 2:  # a page in the middle of the report
            gate.reached.set()
            assert gate.open.wait(60), "the test never opened the gate"
        return draw(*args)

    def recorded(source: Path, target: Path, *args: Any) -> None:
        targets.append(target)
        print_pdf(source, target, *args)

    monkeypatch.setattr(layout, "_draw_page", counted)
    monkeypatch.setattr(layout, "qt_docx_pdf", recorded)
    window = make_window(GD)
    dialogs.export = (tmp_path, ["pdf"])
    shortcut(window, "Ctrl+E")
    qtbot.waitUntil(gate.reached.is_set, timeout=60_000)
    assert "正在导出" in window.tasks.label.text()
    task = window.tasks.task
    _click_cancel(window)
    gate.open.set()
    assert task.wait(60)
    assert len(drawn) == 2  # stopped before the next page, not at the end
    [target] = targets
    assert not target.exists()
    qtbot.waitUntil(lambda: list(tmp_path.iterdir()) == [])
    qtbot.wait(50)
    assert not dialogs.exported and not dialogs.errors
    # to the end: every page drawn, the PDF in place
    drawn.clear()
    shortcut(window, "Ctrl+E")
    wait_task(qtbot, window)
    [files] = dialogs.exported
    assert [f.suffix for f in files] == [".pdf"] and len(drawn) > 2
    assert files[0].read_bytes().startswith(b"%PDF-")
