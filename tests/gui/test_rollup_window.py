"""工具 → 汇总…: read in a worker with progress and 取消, sort, filter, open by double-click."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from gui_support import GD, YN
from helpers import type_text
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt

from perfeval_desktop.rollup.generate import generate_folder


def _open_rollup(qtbot: Any, window: Any, folder: Path) -> Any:
    window.actions_by_name["rollup"].trigger()
    tool = window._tool_windows["rollup"]
    qtbot.addWidget(tool)
    tool.choose_folder = lambda: folder
    qtbot.mouseClick(tool.add_button, Qt.MouseButton.LeftButton)
    assert tool.start_button.isEnabled()
    return tool


def test_rollup_window_sort_filter_open(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    folder = tmp_path / "收到"
    folder.mkdir()
    shutil.copy(GD, folder / "源城.pfe")
    shutil.copy(YN, folder / "五华.pfe")
    (folder / "坏.pfe").write_text("不是报告", encoding="utf-8")
    window = make_window(GD)
    tool = _open_rollup(qtbot, window, folder)
    qtbot.mouseClick(tool.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tool.worker is None and tool.result is not None, timeout=10000)
    assert tool.proxy.rowCount() == 2
    assert "无法读取 1 个文件" in tool.status.text() and "良 1 份" in tool.status.text()
    assert tool.exceptions.item(0, 1).text() == "坏.pfe"
    grades = {bar.label: bar.value for bar in tool.charts.panels[0][1]}
    assert grades == {"优": 1, "良": 1, "中": 0, "差": 0}
    assert [b.label for b in tool.charts.panels[2][1]] == ["市医保局源城分局", "昆明市五华区医疗保障局"]
    # shown by 总分, highest first; a click on the 总分 header sorts it lowest first
    assert [tool.proxy.index(r, 7).data() for r in range(2)] == ["100", "94"]
    header = tool.table.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(7) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert [tool.proxy.index(r, 7).data() for r in range(2)] == ["94", "100"]
    type_text(qtbot, tool.filter_edit, "五华")
    assert tool.proxy.rowCount() == 1 and tool.proxy.index(0, 13).data() == "五华.pfe"
    tool.filter_edit.clear()
    type_text(qtbot, tool.filter_edit, "良")
    assert tool.proxy.rowCount() == 1 and tool.proxy.index(0, 8).data() == "良"
    tool.filter_edit.clear()
    type_text(qtbot, tool.filter_edit, "yunnan")
    assert tool.proxy.rowCount() == 1
    rect = tool.table.visualRect(tool.proxy.index(0, 0))
    qtbot.mouseClick(tool.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tool.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.ws.path is not None and window.ws.path.name == "五华.pfe"
    target = tmp_path / "汇总.xlsx"
    tool.choose_target = lambda: target
    qtbot.mouseClick(tool.export_button, Qt.MouseButton.LeftButton)
    assert load_workbook(target)["汇总表"].max_row == 4
    tool.close()


def test_rollup_progress_and_cancel(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    folder = tmp_path / "很多"
    generate_folder(folder, 300)
    window = make_window(GD)
    tool = _open_rollup(qtbot, window, folder)
    qtbot.mouseClick(tool.start_button, Qt.MouseButton.LeftButton)
    assert tool.cancel_button.isVisible() and tool.progress.isVisible()
    assert not tool.start_button.isEnabled()
    qtbot.waitUntil(lambda: tool.progress.value() >= 5, timeout=10000)
    # the window answers while the worker reads: typing in the filter box works
    type_text(qtbot, tool.filter_edit, "abc")
    assert tool.filter_edit.text() == "abc"
    qtbot.mouseClick(tool.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tool.worker is None, timeout=10000)
    assert tool.result is None and "已取消" in tool.status.text()
    assert tool.progress.value() < 300
    assert not tool.cancel_button.isVisible() and tool.start_button.isEnabled()
    tool.close()
