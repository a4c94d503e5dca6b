"""Start from what the clerk has: 复制上年 in the window (last year's texts as hints)."""

from __future__ import annotations

from typing import Any

from gui_support import GD, YN, FakeDialogs
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from perfeval_desktop.ui.indicator_model import COL_NAME


def _select(qtbot: Any, tab: Any, node_id: str) -> None:
    index = tab.model.index_of(node_id, COL_NAME)
    tab.tree.scrollTo(index)
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.tree.visualRect(index).center())


def test_copy_last_year_shows_hints_and_keeps_the_frame(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs
) -> None:
    window = make_window(YN)
    dialogs.open = GD
    window.actions_by_name["new_from_last_year"].trigger()
    ws = window.ws
    assert ws.report.meta.year == 2022 and ws.path is None and ws.dirty
    assert ws.report.meta.template_id == "mof_self_eval_gd"
    assert "2021 年" in dialogs.infos[-1][1] and "已清空" in dialogs.infos[-1][1]
    assert window.windowTitle().startswith("未命名.pfe*")
    assert "总分 0" in window.status.text()

    tab = window.editor.indicators
    window.editor.setCurrentWidget(tab)
    qtbot.waitUntil(tab.isVisible)  # the new editor is shown on the event loop's next pass
    leaf = ws.report.indicators[0].children[0].children[0]
    assert leaf.actual_text == "" and leaf.weight == 8 and leaf.target_text == "85%"
    _select(qtbot, tab, leaf.id)
    assert tab.panel.node_id == leaf.id

    def hints() -> list[str]:
        labels = tab.panel.findChildren(QLabel, "lastYearActual")
        return [w.text() for w in labels if w.isVisible()]

    qtbot.waitUntil(lambda: hints() == ["部分达成预期"])

    section = window.editor.sections[0]
    window.editor.setCurrentWidget(section)
    editor = section.editors[0]
    assert editor.edit.toPlainText() == ""
    qtbot.waitUntil(section.isVisible)
    box = section.findChild(QWidget, f"lastYear.{editor.section.id}")
    assert box is not None and box.isVisible()
    shown = box.findChild(QPlainTextEdit).toPlainText()
    assert shown and shown == window.ws.report.last_year.sections[editor.section.id]
    assert "2021 年填写" in box.findChild(QLabel).text()
