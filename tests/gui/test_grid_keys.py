"""Excel keys in the indicator grid and the tables, through real key and input-method events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from helpers import shortcut, type_on_cell
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from perfeval_desktop.model.report import CompareMethod
from perfeval_desktop.ui.indicator_model import (
    COL_ACTUAL,
    COL_L1,
    COL_L2,
    COL_NAME,
    COL_NATURE,
    COL_REASON,
    COL_SCORE,
    COL_TARGET,
    COL_UNIT,
    COL_WEIGHT,
)
from perfeval_desktop.workspace import SetMethod


def _tab(window: Any) -> Any:
    window.editor.setCurrentWidget(window.editor.indicators)
    return window.editor.indicators


def _focus(view: QAbstractItemView, index: QModelIndex) -> None:
    view.setFocus()
    view.setCurrentIndex(index)
    QApplication.processEvents()


def _commit(qtbot: Any, view: QAbstractItemView, text: str) -> None:
    """An input-method commit (拼音) sent to whatever has the focus in ``view``."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    target = QApplication.focusWidget() or view
    QApplication.sendEvent(target, event)
    QApplication.processEvents()


def _editor(view: QAbstractItemView) -> QLineEdit | None:
    widget = view.indexWidget(view.currentIndex())
    return widget if isinstance(widget, QLineEdit) else None


def _select(view: QAbstractItemView, *cells: QModelIndex) -> None:
    sel = view.selectionModel()
    sel.clearSelection()
    for cell in cells:
        sel.select(cell, QItemSelectionModel.SelectionFlag.Select)
    sel.setCurrentIndex(cells[0], QItemSelectionModel.SelectionFlag.NoUpdate)
    view.setFocus()


def test_tab_enter_and_arrows_move_like_excel(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    tree, model = tab.tree, tab.model
    quantity = window.ws.report.indicators[0].children[0]
    first, second = quantity.children[0], quantity.children[1]
    _focus(tree, model.index_of(first.id, COL_NAME))
    names = [n.name for n in quantity.children]

    qtbot.keyClick(tree, Qt.Key.Key_Tab)
    assert tree.currentIndex() == model.index_of(first.id, COL_NATURE)  # across, not down
    qtbot.keyClick(tree, Qt.Key.Key_Tab)
    assert tree.currentIndex() == model.index_of(first.id, COL_TARGET)
    qtbot.keyClick(tree, Qt.Key.Key_Right)
    assert tree.currentIndex() == model.index_of(first.id, COL_UNIT)
    qtbot.keyClick(tree, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert tree.currentIndex() == model.index_of(first.id, COL_TARGET)
    qtbot.keyClick(tree, Qt.Key.Key_Left)
    qtbot.keyClick(tree, Qt.Key.Key_Left)
    assert tree.currentIndex() == model.index_of(first.id, COL_NAME)
    # ← from 三级 reaches the 二级 cell merged over the group's rows; ↓ leaves the group
    qtbot.keyClick(tree, Qt.Key.Key_Left)
    assert tab.current_id() == quantity.id
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    below = window.ws.report.indicators[0].children[1]
    assert tab.current_id() == below.id
    qtbot.keyClick(tree, Qt.Key.Key_Up)
    assert tab.current_id() == quantity.id
    _focus(tree, model.index_of(first.id, COL_NAME))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert tree.currentIndex() == model.index_of(second.id, COL_NAME)
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    qtbot.keyClick(tree, Qt.Key.Key_Up)
    assert tree.currentIndex() == model.index_of(second.id, COL_NAME)
    assert [n.name for n in quantity.children] == names  # moving never wrote anything
    assert not window.ws.dirty


def test_typing_on_a_cell_edits_it_then_tab_and_enter_commit_and_move(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    tab = _tab(window)
    tree, model = tab.tree, tab.model
    quantity = window.ws.report.indicators[0].children[0]
    first, second = quantity.children[0], quantity.children[1]
    _focus(tree, model.index_of(first.id, COL_TARGET))

    type_on_cell(qtbot, tree, ">=95%")  # the first key opens the editor, replacing the text
    editor = _editor(tree)
    assert editor is not None and editor.text() == ">=95%"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.wait(1)
    assert first.target_text == ">=95%"
    assert tree.currentIndex() == model.index_of(first.id, COL_UNIT)
    assert tree.state() != QAbstractItemView.State.EditingState  # moved, not editing
    assert first.unit == "%" == model.index_of(first.id, COL_UNIT).data()
    qtbot.keyClick(tree, Qt.Key.Key_Tab)

    type_on_cell(qtbot, tree, "96%")
    editor = _editor(tree)
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(1)
    assert first.actual_text == "96%"
    assert tree.currentIndex() == model.index_of(second.id, COL_ACTUAL)  # Enter: down

    # F2 edits the cell as it is; Esc leaves it unchanged
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    editor = _editor(tree)
    assert editor is not None and editor.text() == second.actual_text
    qtbot.keyClicks(editor, "xyz")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.wait(1)
    assert "xyz" not in second.actual_text
    assert tree.state() != QAbstractItemView.State.EditingState


def test_input_method_commit_on_a_selected_cell_is_kept(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    tree, model = tab.tree, tab.model
    leaf = window.ws.report.indicators[0].children[0].children[0]
    _focus(tree, model.index_of(leaf.id, COL_NAME))

    _commit(qtbot, tree, "资金到位率")  # no F2, no double-click first
    editor = _editor(tree)
    assert editor is not None and editor.text() == "资金到位率"
    _commit(qtbot, tree, "高")  # the next syllables go on in the editor
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(1)
    assert leaf.name == "资金到位率高"
    assert model.index_of(leaf.id, COL_NAME).data() == "资金到位率高"


def test_delete_clears_selected_cells_in_one_undo_step(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    tree, model = tab.tree, tab.model
    leaf = window.ws.report.indicators[0].children[0].children[0]
    count = len(window.ws.report.indicators[0].children[0].children)
    target, actual = leaf.target_text, leaf.actual_text
    assert target and actual
    _select(tree, model.index_of(leaf.id, COL_TARGET), model.index_of(leaf.id, COL_ACTUAL))

    qtbot.keyClick(tree, Qt.Key.Key_Delete)

    assert (leaf.target_text, leaf.actual_text) == ("", "")
    assert len(window.ws.report.indicators[0].children[0].children) == count  # row kept
    assert window.ws.undo_label == "清除2个单元格"
    shortcut(tree, "Ctrl+Z")
    assert (leaf.target_text, leaf.actual_text) == (target, actual)

    _select(tree, model.index_of(leaf.id, COL_WEIGHT))
    qtbot.keyClick(tree, Qt.Key.Key_Backspace)
    assert leaf.weight is None
    shortcut(tree, "Ctrl+Z")
    assert leaf.weight == Decimal("8")


def test_ctrl_minus_and_context_menu_remove_a_row_undoably(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    quantity = window.ws.report.indicators[0].children[0]
    first = quantity.children[0]
    tab.select(first.id, COL_WEIGHT)
    shortcut(tab.tree, "Ctrl+-")
    assert all(c.id != first.id for c in quantity.children)
    assert window.ws.undo_label.startswith("删除指标")
    shortcut(tab.tree, "Ctrl+Z")
    assert quantity.children[0].id == first.id
    menu_texts = [a.text() for a in tab.tree.actions()]
    assert {"删除指标", "复制", "粘贴", "清除内容"} <= set(menu_texts)
    assert tab.tree.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu


def test_copy_gives_tab_separated_cells(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    tree, model = tab.tree, tab.model
    quantity = window.ws.report.indicators[0].children[0]
    a, b = quantity.children[0], quantity.children[1]
    _select(
        tree,
        model.index_of(a.id, COL_WEIGHT),
        model.index_of(a.id, COL_SCORE),
        model.index_of(b.id, COL_WEIGHT),
        model.index_of(b.id, COL_SCORE),
    )
    qtbot.keyClick(tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    expected = "".join(
        f"{model.index_of(n.id, COL_WEIGHT).data()}\t{model.index_of(n.id, COL_SCORE).data()}\r\n"
        for n in (a, b)
    )
    assert QGuiApplication.clipboard().text() == expected


def test_paste_block_adds_rows_reports_bad_cells_and_undoes_in_one_step(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    tab = _tab(window)
    tree, model = tab.tree, tab.model
    quantity = window.ws.report.indicators[0].children[0]
    before = window.ws.report.model_copy(deep=True)
    last = quantity.children[-1]
    rows = [  # 三级指标, 指标性质, 年度指标值, 度量单位, 实际完成值, 分值, 得分
        ["门诊人次", "", "≥3000人次", "", "3583人次", "2"],
        ["满意度", "", "≥90%", "", "95%", "两分"],  # a bad 分值: named, the rest pasted
        ["新增培训", "", '="A"', "次", "按时", "1.5", "0.9"],
    ]
    QGuiApplication.clipboard().setText(
        "\r\n".join("\t".join(r) for r in rows).replace('="A"', '"含""引号"""') + "\r\n"
    )
    _select(tree, model.index_of(last.id, COL_NAME))
    qtbot.keyClick(tree, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    names = [c.name for c in quantity.children]
    # the last row of its group, then two new ones in that group (not the next group)
    assert names[-3:] == ["门诊人次", "满意度", "新增培训"]
    assert window.ws.report.indicators[0].children[1].name == before.indicators[0].children[1].name
    pasted = quantity.children[-3:]
    assert pasted[0].id == last.id and pasted[0].target_text == "≥3000人次"
    assert pasted[0].weight == Decimal("2")
    assert pasted[1].actual_text == "95%" and pasted[1].weight is None
    assert pasted[2].target_text == '含"引号"' and pasted[2].weight == Decimal("1.5")
    assert pasted[2].method.kind == "manual" and pasted[2].method.score == Decimal("0.9")
    assert tab.message.isVisible()
    assert "第2行第6列（分值）" in tab.message.text() and "两分" in tab.message.text()
    assert (pasted[0].unit, pasted[1].unit, pasted[2].unit) == ("人次", "%", "次")
    assert model.index_of(pasted[2].id, COL_SCORE).data() == "0.9"
    assert window.ws.undo_label == "粘贴3行"

    shortcut(tree, "Ctrl+Z")  # one step takes back the whole paste
    assert window.ws.report == before
    assert len(quantity.children) == len(before.indicators[0].children[0].children)
    assert model.rowCount() == sum(len(c.children) for t in before.indicators for c in t.children)


def test_paste_into_computed_column_is_refused_by_cell(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    leaf = window.ws.report.indicators[0].children[0].children[0]
    window.bridge.execute(  # a 比较 indicator: its 得分 is computed
        SetMethod(leaf.id, CompareMethod())
    )
    QGuiApplication.clipboard().setText("99\t说明\r\n")
    _select(tab.tree, tab.model.index_of(leaf.id, COL_SCORE))
    qtbot.keyClick(tab.tree, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert leaf.deviation_reason == "说明"
    assert "第1行第1列（得分）由程序计算" in tab.message.text()
    assert tab.model.index_of(leaf.id, COL_REASON).data() == "说明"


def test_problems_table_keys_paste_delete_and_remove(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = window.editor.problems
    window.editor.setCurrentWidget(tab)
    table, model = tab.table, tab.model
    problems = window.ws.report.problems
    count = len(problems)
    assert count >= 1
    _focus(table, model.index(count - 1, 0))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert table.currentIndex() == model.index(count - 1, 1)
    qtbot.keyClick(table, Qt.Key.Key_Left)
    assert table.currentIndex() == model.index(count - 1, 0)

    QGuiApplication.clipboard().setText("问题甲\t原因甲\r\n问题乙\t原因乙\r\n问题丙\t\"多行\n原因\"\r\n")
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(problems) == count + 2
    assert [p.problem for p in problems[-3:]] == ["问题甲", "问题乙", "问题丙"]
    assert problems[-1].cause == "多行\n原因"
    assert window.ws.undo_label == "粘贴3行"

    _select(table, model.index(count, 0), model.index(count, 1))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert (problems[count].problem, problems[count].cause) == ("", "")
    assert len(problems) == count + 2

    _commit(qtbot, table, "新问题")
    editor = _editor(table)
    assert editor is not None and editor.text() == "新问题"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(1)
    assert problems[count].problem == "新问题"
    assert table.currentIndex() == model.index(count + 1, 0)

    shortcut(table, "Ctrl+-")
    assert len(problems) == count + 1
    shortcut(table, "Ctrl+Z")
    assert len(problems) == count + 2 and problems[count + 1].problem == "问题丙"


def test_paste_with_group_names_adds_rows_to_their_groups(qtbot: Any, make_window: Any) -> None:
    """Rows copied from an Excel 自评表 with their 一级 / 二级 cells (blank under a merged
    cell, the same name, or the next group's) pasted on the last row of a group: new rows
    go into the group they name, a new 二级 / 一级 where the name is another, no cell is
    refused and no group is renamed; one undo step."""
    window = make_window()
    tab = _tab(window)
    tree, model = tab.tree, tab.model
    top = window.ws.report.indicators[0]
    quantity = top.children[0]
    before = window.ws.report.model_copy(deep=True)
    last = quantity.children[-1]
    timely = top.children[-1]
    kept = [c.id for c in timely.children]
    rows = [  # 一级, 二级, 三级, 指标性质, 年度指标值
        [top.name, quantity.name, last.name, "", last.target_text],
        ["", "", "新增人次", "", "≥100人次"],  # blank: the merged cells above
        [top.name, quantity.name, "新增户数", "", "≥20户"],  # the same names
        ["", "服务质量", "回访率", "", "≥90%"],  # another 二级
        ["", "", "投诉办结率", "", "100%"],
        ["", timely.name, "拨付及时率", "", "100%"],  # an existing 二级: at its end
        ["群众获得感", "", "受益群众评价", "", "好评"],  # another 一级
    ]
    QGuiApplication.clipboard().setText("\r\n".join("\t".join(r) for r in rows) + "\r\n")
    _select(tree, model.index(model.index_of(last.id).row(), COL_L1))  # its 一级 column
    qtbot.keyClick(tree, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert not tab.message.isVisible(), tab.message.text()  # nothing refused
    assert [c.name for c in quantity.children[-3:]] == [last.name, "新增人次", "新增户数"]
    assert top.name == before.indicators[0].name and quantity.name == before.indicators[0].children[0].name
    added = top.children[1]
    assert added.name == "服务质量" and [c.name for c in added.children] == ["回访率", "投诉办结率"]
    assert added.children[0].target_text == "≥90%"
    assert [c.id for c in timely.children][:-1] == kept
    assert timely.children[-1].name == "拨付及时率"
    new_top = window.ws.report.indicators[1]
    assert new_top.name == "群众获得感"
    assert [c.name for c in new_top.children[0].children] == ["受益群众评价"]
    assert model.index_of(added.id, COL_L2).data() == "服务质量"  # shown merged in its column
    assert window.ws.undo_label == "粘贴7行"
    shortcut(tree, "Ctrl+Z")
    assert window.ws.report == before
