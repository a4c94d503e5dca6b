"""The program's start: the window first (no model imported), the report opened right after."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, FakeDialogs
from helpers import shortcut, type_text, wait_task
from PySide6.QtWidgets import QToolBar

from perfeval_desktop.ui.dialogs import CloseAnswer

REPORT_ACTIONS = ("save", "save_as", "export", "print_preview", "validate")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "医疗救助.pfe"
    shutil.copyfile(GD, target)
    return target


def test_the_window_shell_imports_no_model() -> None:
    """What the window needs before it is shown: Qt and light modules only."""
    heavy = [
        "pydantic",
        "perfeval_desktop.model.report",
        "perfeval_desktop.templates.manifest",
        "perfeval_desktop.templates.loader",
        "perfeval_desktop.workspace",
        "perfeval_desktop.storage.autosave",
        "perfeval_desktop.storage.pfe",
        "perfeval_desktop.export",
        "perfeval_desktop.scoring.findings",
        "perfeval_desktop.ui.editor",
        "perfeval_desktop.ui.checks_dock",  # with the dock, on the event loop's next pass
        "perfeval_desktop.ui.undo_keys",
    ]
    code = (
        "import sys\n"
        "from perfeval_desktop.ui.app import create_app, start_window\n"
        "from perfeval_desktop.ui.main_window import MainWindow\n"
        f"print([m for m in {heavy!r} if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_the_first_frame_needs_neither_the_qt_namespace_nor_every_wrapper(
    tmp_path: Path,
) -> None:
    """The shell's first frame: PySide6 builds the ``Qt`` namespace's enums (~12 ms) and,
    once an unwrapped object passes a Python event filter, every lazily loaded class
    (~20 ms) only after it — with a start-up timer's application-wide filter installed."""
    code = (
        "import sys\n"
        "from PySide6 import QtCore, QtWidgets\n"
        "from perfeval_desktop import paths\n"
        f"paths.set_basedir({str(tmp_path)!r})\n"
        "from perfeval_desktop.ui.app import create_app\n"
        "from perfeval_desktop.ui.main_window import MainWindow\n"
        "app = create_app(sys.argv[:1])\n"
        "class Watch(QtCore.QObject):\n"
        "    def eventFilter(self, obj, event):\n"
        "        return False\n"
        "watch = Watch()\n"
        "app.installEventFilter(watch)\n"
        "window = MainWindow.create_empty()\n"
        "window.show()\n"
        "app.processEvents()\n"
        "first = ('Qt' in vars(QtCore), 'QWizard' in vars(QtWidgets), window.isVisible())\n"
        "window._finish_shell()\n"
        "print(first, 'Qt' in vars(QtCore), window.checks.isVisible())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "(False, False, True) True True", done.stdout + done.stderr


def test_empty_window_shows_menus_and_waits(empty_window: Any) -> None:
    window = empty_window
    assert not window.has_report
    assert window.placeholder.isVisible()
    assert window.placeholder.text() == "正在打开……"
    assert window.menuBar().isVisible() and window.statusBar().isVisible()
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "校验(&C)", "工具(&T)", "帮助(&H)"]
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert toolbar.isVisible() and len(toolbar.actions()) == 8
    for name in REPORT_ACTIONS:
        assert not window.actions_by_name[name].isEnabled(), name
    for name in ("new", "open", "quit", "help", "about"):
        assert window.actions_by_name[name].isEnabled(), name


def test_open_later_opens_the_report_in_the_shown_window(
    qtbot: Any, empty_window: Any, copy: Path
) -> None:
    window = empty_window
    window.open_later(copy)
    assert window.loading and not window.has_report  # not before the event loop runs
    qtbot.waitUntil(lambda: window.has_report, timeout=5000)
    assert not window.loading
    assert window.editor is not None and window.editor.isVisible()
    assert not window.placeholder.isVisible()
    assert window.ws.path == copy
    assert copy.stem in window.windowTitle()
    assert "总分" in window.status.text()
    for name in REPORT_ACTIONS:
        assert window.actions_by_name[name].isEnabled(), name
    assert window.checks.tree.topLevelItemCount() > 0


def test_shortcuts_work_as_soon_as_the_report_is_open(
    qtbot: Any, empty_window: Any, dialogs: FakeDialogs, copy: Path
) -> None:
    """The shell's actions carry their shortcuts from the first frame; the checks dock and
    its F7 join before the report is read."""
    window = empty_window
    window.open_later(copy)
    qtbot.waitUntil(lambda: window.has_report, timeout=5000)
    assert window.checks.isVisible()
    check_menu = window.menuBar().actions()[2].menu()
    assert [a.text() for a in check_menu.actions()] == ["显示校验结果(&V)", "立即校验(&K)"]
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)
    edit = window.editor.basic.edits["meta.filler"]
    edit.setFocus()
    type_text(qtbot, edit, "张三")
    assert window.ws.report.meta.filler.endswith("张三") and window.ws.dirty
    shortcut(edit, "Ctrl+Z")
    assert not window.ws.report.meta.filler.endswith("张三")
    shortcut(edit, "Ctrl+Y")
    assert window.ws.report.meta.filler.endswith("张三")
    shortcut(window, "Ctrl+S")
    assert not window.ws.dirty and window.ws.path == copy
    shortcut(window, "Ctrl+P")
    wait_task(qtbot, window)
    assert len(dialogs.previews) == 1
    dialogs.previews[0].close()
    shortcut(window, "F7")  # 显示校验结果 toggles the dock
    assert not window.checks.isVisible()


def test_without_a_file_the_start_page_waits_for_a_pick(
    qtbot: Any, empty_window: Any, copy: Path
) -> None:
    """Issue #12: no report of the first form is made behind the clerk's back; the start
    page lists the forms (the one used last first) and the recent reports."""
    from PySide6.QtCore import Qt

    from perfeval_desktop.ui.settings import add_recent

    window = empty_window
    add_recent(window.settings, copy)
    window.settings.setValue("start/last_template", "mof_self_eval_gd")
    window.open_later(None)
    qtbot.waitUntil(lambda: window.start_page is not None and not window.loading, timeout=5000)
    page = window.start_page
    assert not window.has_report  # nothing created yet
    assert page.forms.item(0).text().startswith("项目支出绩效自评表")
    assert "上次使用" in page.forms.item(0).text() and page.forms.count() >= 5
    assert page.recent.count() == 1 and copy.name in page.recent.item(0).text()
    # the checks dock, with nothing to check yet, is a narrow count beside the page
    from perfeval_desktop.ui.checks_dock import COLLAPSED_WIDTH

    window.show()
    qtbot.waitUntil(lambda: window.checks.width() <= COLLAPSED_WIDTH)
    assert window.checks.collapsed and "（0）" in window.checks.widget().text()
    assert page.width() > window.width() - COLLAPSED_WIDTH - 40
    page.forms.setFocus()
    qtbot.keyClick(page.forms, Qt.Key.Key_Down)
    picked = page.forms.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(page.forms, Qt.Key.Key_Return)
    assert window.has_report and window.ws.path is None
    assert window.ws.template.manifest.id == picked.manifest.id
    assert window.start_page is None
    assert window.settings.value("start/last_template") == picked.manifest.id
    window.checks.refresh()  # the new report's findings: the dock opens to list them
    assert window.checks.collapsed == (not window.ws.findings)


def test_start_page_opens_a_recent_report(qtbot: Any, empty_window: Any, copy: Path) -> None:
    from PySide6.QtCore import Qt

    from perfeval_desktop.ui.settings import add_recent

    window = empty_window
    add_recent(window.settings, copy)
    window.open_later(None)
    qtbot.waitUntil(lambda: window.start_page is not None and not window.loading, timeout=5000)
    recent = window.start_page.recent
    recent.setFocus()
    recent.setCurrentRow(0)
    qtbot.keyClick(recent, Qt.Key.Key_Return)
    assert window.has_report and window.ws.path == copy.resolve()


def test_damaged_file_shows_the_message_and_the_window_stays(
    qtbot: Any, empty_window: Any, dialogs: FakeDialogs, tmp_path: Path, copy: Path
) -> None:
    window = empty_window
    damaged = tmp_path / "损坏.pfe"
    damaged.write_bytes(b"PK\x03\x04 this is not a report")
    window.open_later(damaged)
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)
    assert len(dialogs.errors) == 1
    assert any("\u4e00" <= ch <= "\u9fff" for ch in dialogs.errors[0])  # in Chinese
    assert window.isVisible() and not window.has_report
    assert "新建" in window.placeholder.text()
    assert window.actions_by_name["new"].isEnabled()
    assert window.actions_by_name["open"].isEnabled()
    assert not window.actions_by_name["save"].isEnabled()
    # the clerk then opens another file through 文件 → 打开
    dialogs.open = copy
    window.actions_by_name["open"].trigger()
    assert window.has_report and window.ws.path == copy
    assert not window.placeholder.isVisible()


def test_start_window_is_the_program_start_and_offers_recovery(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, dialogs: FakeDialogs, copy: Path
) -> None:
    from perfeval_desktop.storage import autosave
    from perfeval_desktop.ui import app, main_window
    from perfeval_desktop.workspace import Workspace

    ws = Workspace.open(copy)
    ws.set_field("meta.filler", "张三")
    assert autosave.Autosaver(ws, session="crashed-run").save_now()

    monkeypatch.setattr(main_window, "Dialogs", lambda parent: dialogs)
    dialogs.restore_answers = [True]
    window = app.start_window(copy)
    qtbot.addWidget(window)
    assert window.isVisible() and not window.has_report
    qtbot.waitUntil(lambda: window.has_report and not window.loading, timeout=5000)
    assert len(dialogs.offered) == 1
    assert window.ws.report.meta.filler == "张三" and window.ws.dirty
    dialogs.close_answer = CloseAnswer.DISCARD
    window.close()


def test_the_report_is_shown_as_soon_as_it_is_attached(
    empty_window: Any, copy: Path
) -> None:
    """No event-loop pass between the report being attached and its editor being seen: a
    widget added to a shown window's layout is otherwise shown only on the next pass (Qt's
    queued ``_q_showIfNotHidden``), so for one pass the window had a report but showed
    none, and under load the test above saw that (``has_report`` true, editor hidden)."""
    from perfeval_desktop.workspace import Workspace

    window = empty_window
    assert window.isVisible() and window.placeholder.isVisible()
    window.attach(Workspace.open(copy))  # no event handled from here on
    assert window.has_report and window.editor.isVisible()
    assert not window.placeholder.isVisible()
