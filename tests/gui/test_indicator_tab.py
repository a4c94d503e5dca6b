"""指标评分 on the real tree: typing into cells moves the total, 得分率 and grade on screen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from helpers import shortcut, type_in_cell
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from perfeval_desktop.ui.indicator_model import COL_NAME, COL_SCORE, COL_WEIGHT


def _tab(window: Any) -> Any:
    window.editor.setCurrentWidget(window.editor.indicators)
    return window.editor.indicators


def test_score_edit_moves_total_and_clearing_cap_gives_you(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    model, tree = tab.model, tab.tree
    assert "94" in tab.summary.total.text() and tab.summary.grade.text() == "良"
    assert "因预算执行率60.7%低于90%" in tab.summary.cap.text()
    leaf = window.ws.report.indicators[0].children[0].children[0]
    index = model.index_of(leaf.id, COL_SCORE)
    assert index.data() == "6"

    type_in_cell(qtbot, tree, index, "8")

    assert model.index_of(leaf.id, COL_SCORE).data() == "8"
    assert window.ws.sheet.nodes[leaf.id].rate == 1
    parent = window.ws.report.indicators[0].children[0]
    tab.select(parent.id)  # the 二级 cell: the side panel shows the group's totals
    assert tab.panel._totals is not None and "得分 17" in tab.panel._totals.text()
    assert "<b>96</b>" in tab.summary.total.text()
    assert tab.summary.grade.text() == "良"
    assert window.windowTitle().startswith("gd_yuancheng_medical_aid_2021.pfe*")

    # 执行数 1100 of 1155.5: the rate passes 90 %, the cap goes, 优
    window.editor.setCurrentWidget(window.editor.funding)
    from helpers import retype

    executed = window.editor.funding.total_edits["executed"]
    retype(qtbot, executed, "1,100万")
    assert window.ws.report.funding.total.executed == Decimal("1100")
    assert executed.text() == "1100.00"
    assert "95.20%" in window.editor.funding.result.text()
    assert "<b>100</b>" in tab.summary.total.text()
    assert tab.summary.grade.text() == "优"
    assert not tab.summary.cap.isVisible()


def test_bad_number_in_cell_is_refused_with_message(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    leaf = window.ws.report.indicators[0].children[0].children[0]
    before = window.ws.report.model_copy(deep=True)

    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_WEIGHT), "八分")

    assert tab.message.isVisible()
    assert "分值" in tab.message.text() and "指标1" in tab.message.text()
    assert leaf.weight == Decimal("8")
    assert tab.model.index_of(leaf.id, COL_WEIGHT).data() == "8"
    assert window.ws.report == before and not window.ws.dirty


def test_name_edit_and_undo_redo_by_shortcut(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    leaf = window.ws.report.indicators[0].children[0].children[0]
    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_NAME), "资金支出率")
    assert leaf.name == "资金支出率"
    shortcut(tab.tree, "Ctrl+Z")
    assert leaf.name == "指标1：医疗救助资金支出率"
    assert tab.model.index_of(leaf.id, COL_NAME).data() == leaf.name
    assert not window.windowTitle().startswith("gd_yuancheng_medical_aid_2021.pfe*")
    shortcut(tab.tree, "Ctrl+Y")
    assert tab.model.index_of(leaf.id, COL_NAME).data() == "资金支出率"


def test_tree_moves_insert_delete_with_buttons_and_shortcuts(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    quantity = window.ws.report.indicators[0].children[0]
    names = [c.name for c in quantity.children]
    first = quantity.children[0]
    tab.select(first.id)

    shortcut(tab.tree, "Alt+Shift+Down")
    assert [c.name for c in quantity.children] == [names[1], names[0], names[2]]
    assert tab.current_id() == first.id  # the moved row stays selected
    shortcut(tab.tree, "Alt+Shift+Left")  # 升级: now a second-level indicator
    assert window.ws.report.indicators[0].children[1].id == first.id
    assert tab.model.level(tab.model.index_of(first.id)) == 2
    assert tab.model.index_of(first.id).column() == 1  # its name in the 二级 column
    qtbot.mouseClick(
        tab.toolbar.widgetForAction(tab.actions_by_name["indent"]), Qt.MouseButton.LeftButton
    )
    assert quantity.children[-1].id == first.id

    qtbot.mouseClick(
        tab.toolbar.widgetForAction(tab.actions_by_name["sibling"]), Qt.MouseButton.LeftButton
    )
    assert quantity.children[-1].name == "新指标"
    new_id = quantity.children[-1].id
    assert tab.current_id() == new_id
    type_in_cell(qtbot, tab.tree, tab.model.index_of(new_id, COL_WEIGHT), "2")
    assert window.ws.sheet.nodes[quantity.id].weight == Decimal(19)
    assert tab.current_id() != new_id  # Enter moved down, as in Excel
    tab.select(new_id)
    shortcut(tab.tree, "Ctrl+-")  # removing a row is its own command (Del clears cells)
    assert all(c.id != new_id for c in quantity.children)

    for _ in range(6):
        shortcut(tab.tree, "Ctrl+Z")
    assert [c.name for c in quantity.children] == names
    assert not window.ws.dirty
    assert tab.model.layout.spans[quantity.id][1] - tab.model.layout.spans[quantity.id][0] == 2


def test_method_change_through_leaf_panel(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    leaf = window.ws.report.indicators[0].children[0].children[0]
    tab.select(leaf.id)
    combo = tab.panel.findChild(QComboBox, "methodCombo")
    assert combo is not None and combo.currentText() == "定性分档"
    combo.setFocus()
    # pick 比较指标值 with the keyboard as a clerk would
    steps = 0
    while combo.currentData() != "compare":
        qtbot.keyClick(combo, Qt.Key.Key_Up)  # each step is an edit (activated)
        steps += 1
    assert leaf.method.kind == "compare"
    assert tab.model.index_of(leaf.id, COL_SCORE).data() == "—"
    from helpers import retype
    from PySide6.QtWidgets import QLineEdit

    target = tab.panel.findChild(QLineEdit, "method_target")
    actual = tab.panel.findChild(QLineEdit, "method_actual")
    retype(qtbot, target, "85%")  # typed as in the grid's cell: the number is taken
    assert leaf.method.target == Decimal(85)
    retype(qtbot, target, "八五")  # not a number: refused, named
    assert tab.message.isVisible() and "年度指标值" in tab.message.text()
    assert leaf.method.target == Decimal(85)
    retype(qtbot, actual, "60.7%")
    assert tab.model.index_of(leaf.id, COL_SCORE).data() == "5.71"  # 60.7 / 85 × 8
    assert "60.7" in tab.panel.arithmetic.text()
    sources = tab.panel.sources.text()
    assert "得分取自：面板" in sources and "60.7" in sources
    for _ in range(steps + 2):
        shortcut(tab.tree, "Ctrl+Z")
    assert leaf.method.kind == "qualitative" and not window.ws.dirty
    assert tab.model.index_of(leaf.id, COL_SCORE).data() == "6"


def test_keystroke_on_300_indicators_updates_only_changed_rows(
    qtbot: Any, make_window: Any
) -> None:
    import time

    from gui_support import GD

    from perfeval_desktop.model.report import IndicatorNode, ManualMethod
    from perfeval_desktop.workspace import Workspace

    ws = Workspace.open(GD)
    quantity = ws.report.indicators[0].children[0]
    for i in range(300):
        quantity.children.append(
            IndicatorNode(
                name=f"x{i}", weight=Decimal("0.1"), method=ManualMethod(score=Decimal("0.1"))
            )
        )
    window = make_window(ws=Workspace(ws.report, ws.template, GD))
    tab = _tab(window)
    model = tab.model
    resets: list[int] = []
    changed: list[str] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda tl, _br, _roles: changed.append(model.node_id(tl)))
    leaf = window.ws.report.indicators[0].children[0].children[0]
    start = time.perf_counter()
    type_in_cell(qtbot, tab.tree, model.index_of(leaf.id, COL_SCORE), "7")
    qtbot.wait(1)
    elapsed = time.perf_counter() - start
    assert resets == []
    assert set(changed) == {leaf.id}  # the groups' totals are not cells of the grid
    assert elapsed < 1.0  # the whole simulated edit incl. opening the editor
