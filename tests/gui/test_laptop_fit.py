"""A 1366×768 laptop: the window opens within the screen, an empty checks dock is a count."""

from __future__ import annotations

from typing import Any

from gui_support import GD
from PySide6.QtGui import QGuiApplication

from perfeval_desktop.ui.checks_dock import COLLAPSED_WIDTH
from perfeval_desktop.workspace import Workspace


def test_window_opens_within_available_geometry(qtbot: Any, dialogs: Any) -> None:
    from perfeval_desktop.ui.main_window import MainWindow
    from perfeval_desktop.ui.settings import open_settings

    window = MainWindow(Workspace.open(GD), open_settings(), dialogs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert window.width() <= area.width() and window.height() <= area.height()
    assert area.contains(window.geometry())
    window.ws.mark_saved()


def test_empty_checks_dock_collapses_to_a_count(
    qtbot: Any, make_window: Any, monkeypatch: Any
) -> None:
    window = make_window()
    dock = window.checks
    assert not dock.collapsed and dock.tree.isVisible()
    wide = dock.width()
    monkeypatch.setattr(Workspace, "findings", property(lambda self: []))
    dock.refresh()
    qtbot.waitUntil(lambda: dock.width() <= COLLAPSED_WIDTH)
    assert dock.collapsed and not dock.tree.isVisible()
    assert dock.summary.text() == "没有发现问题（0）"
    qtbot.waitUntil(lambda: window.editor.width() > window.width() - wide)  # room to the editor
    monkeypatch.undo()
    dock.refresh()
    qtbot.waitUntil(lambda: dock.width() > COLLAPSED_WIDTH)
    assert dock.tree.isVisible() and "共" in dock.summary.text()


def test_dock_says_where_a_verify_reason_goes(qtbot: Any, make_window: Any) -> None:
    from PySide6.QtCore import Qt

    window = make_window()
    dock = window.checks
    for code, where in (("D001", "偏差原因分析及改进措施"), ("T003", "供审核时查看")):
        item = dock.item_for(code)
        assert item is not None
        rect = dock.tree.visualItemRect(item)
        qtbot.mouseClick(dock.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert dock.explain_box.isVisible()
        assert "不会打印" in dock.reason_label.text() and where in dock.reason_label.text()
