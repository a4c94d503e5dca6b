"""指标评分's summary: the declared 评价等次 and 云南's merged 分值 cells, typed on screen."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from gui_support import GD, YN
from helpers import retype, shortcut, type_in_cell
from PySide6.QtCore import Qt

from perfeval_desktop.scoring.findings import Level
from perfeval_desktop.ui.indicator_model import COL_WEIGHT
from perfeval_desktop.workspace import Workspace


def _open_copy(make_window: Any, tmp_path: Path, sample: Path = YN) -> Any:
    copy = tmp_path / sample.name
    shutil.copyfile(sample, copy)
    window = make_window(copy)
    window.editor.setCurrentWidget(window.editor.indicators)
    return window


def _double_click(qtbot: Any, tree: Any, item: Any) -> None:
    pos = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_merged_weight_cell_typed_refused_undone_and_saved(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = _open_copy(make_window, tmp_path)
    ws, tab = window.ws, window.editor.indicators
    summary, dock = tab.summary, window.checks
    first, second = summary.group_edits
    assert (first.text(), second.text()) == ("40", "60")
    assert summary.group_sums[0].text() == "（决策 20 + 过程 20 = 40）"
    assert summary.group_sums[1].text() == "（产出 45 + 效益 15 = 60）"
    assert dock.item_for("W003") is None

    # a 决策 leaf gets 2 more points: the sum beside the cell follows, W003 flags the cell
    leaf = ws.report.indicators[0].children[0].children[0]  # 立项依据充分性 3
    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_WEIGHT), "5")
    assert summary.group_sums[0].text() == "（决策 22 + 过程 20 = 42）"
    window.flush_checks()
    assert dock.item_for("W003") is not None
    assert first.property("finding") == "error" and "≠ 40" in first.toolTip()

    # typed as clerks type: full-width digits and 分 (an input-method commit)
    retype(qtbot, first, "４２分")
    assert ws.report.weight_groups[0].weight == Decimal(42)
    assert first.text() == "42"
    assert ws.undo_label == "修改“决策+过程的分值”"
    window.flush_checks()
    assert dock.item_for("W003") is None
    assert first.property("finding") == ""

    # refused: named in Chinese right under the cells, the old value kept and shown again
    before = ws.report.model_copy(deep=True)
    retype(qtbot, first, "四十")
    assert summary.message.isVisible()
    assert "决策+过程的分值" in summary.message.text()
    assert ws.report == before and first.text() == "42"
    retype(qtbot, first, "60.7%")
    assert "决策+过程的分值" in summary.message.text() and "%" in summary.message.text()
    assert ws.report == before
    retype(qtbot, second, "58")
    assert not summary.message.isVisible()

    shortcut(second, "Ctrl+Z")  # the window's history, not the line edit's
    assert ws.report.weight_groups[1].weight == Decimal(60) and second.text() == "60"
    shortcut(first, "Ctrl+Z")
    assert ws.report.weight_groups[0].weight == Decimal(40) and first.text() == "40"
    shortcut(first, "Ctrl+Y")
    assert ws.report.weight_groups[0].weight == Decimal(42) and first.text() == "42"

    shortcut(window, "Ctrl+S")
    assert not ws.dirty
    reopened = Workspace.open(ws.path)
    assert reopened.report == ws.report
    assert [g.weight for g in reopened.report.weight_groups] == [Decimal(42), Decimal(60)]
    assert not any(f.code == "W003" for f in reopened.findings)


def test_declared_grade_picked_by_keyboard_flagged_jumped_to_undone_and_saved(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = _open_copy(make_window, tmp_path)
    ws, summary, dock = window.ws, window.editor.indicators.summary, window.checks
    combo = summary.declared
    assert summary.grade.text() == "优" and combo.currentText() == "优"
    assert [combo.itemText(i) for i in range(combo.count())] == ["（未填）", "优", "良", "中", "差"]

    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # 优 → 良, as a clerk picks it
    assert ws.report.declared_grade == "良" and combo.currentText() == "良"
    assert window.windowTitle().startswith(f"{ws.path.name}*")
    assert ws.undo_label == "修改“填写的评价等次”"
    window.flush_checks()
    item = dock.item_for("G001")
    assert item is not None and "“良”" in item.text(0) and "“优”" in item.text(0)
    assert combo.property("finding") == "error"
    assert dock.counts()[Level.ERROR] == 2  # with the sample's missing 填报日期

    window.editor.setCurrentWidget(window.editor.basic)
    _double_click(qtbot, dock.tree, item)  # the finding jumps to the entry
    assert window.editor.currentWidget() is window.editor.indicators
    assert combo.hasFocus()

    shortcut(window, "Ctrl+Z")
    assert ws.report.declared_grade == "优" and combo.currentText() == "优"
    qtbot.waitUntil(lambda: dock.item_for("G001") is None)
    shortcut(window, "Ctrl+Y")
    assert combo.currentText() == "良"
    qtbot.keyClick(combo, Qt.Key.Key_Home)  # （未填）: nothing declared, nothing to check
    assert ws.report.declared_grade is None
    window.flush_checks()
    assert dock.item_for("G001") is None and combo.property("finding") == ""
    qtbot.keyClick(combo, Qt.Key.Key_End)
    assert ws.report.declared_grade == "差"

    shortcut(window, "Ctrl+S")
    reopened = Workspace.open(ws.path)
    assert reopened.report == ws.report and reopened.report.declared_grade == "差"


def test_no_merged_cells_where_the_template_has_none(make_window: Any, tmp_path: Path) -> None:
    window = _open_copy(make_window, tmp_path, GD)
    summary = window.editor.indicators.summary
    assert summary.group_edits == [] and summary.group_sums == []
    assert summary.declared.currentText() == "（未填）"
    assert window.ws.report.declared_grade is None


def test_declared_grade_not_among_the_grades_is_shown_as_it_is(
    make_window: Any, tmp_path: Path
) -> None:
    """A value from an older file stays visible (and flagged) until the clerk picks one."""
    ws = Workspace.open(YN)
    ws.report.declared_grade = "优秀"
    window = make_window(ws=Workspace(ws.report, ws.template, tmp_path / "old.pfe"))
    combo = window.editor.indicators.summary.declared
    assert combo.currentText() == "优秀"
    assert window.checks.item_for("G001") is not None
