"""The indicator grid as the form: a 比较 indicator scored from what is typed in its cells,
a rate from 项目资金 by choice, the side panel following renames."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import type_in_cell
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from perfeval_desktop.scoring.rounding import plain
from perfeval_desktop.ui.indicator_model import COL_ACTUAL, COL_NAME, COL_SCORE, COL_TARGET


def _tab(window: Any) -> Any:
    window.editor.setCurrentWidget(window.editor.indicators)
    return window.editor.indicators


def _pick_method(qtbot: Any, tab: Any, kind: str) -> None:
    combo = tab.panel.findChild(QComboBox, "methodCombo")
    assert combo is not None
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == kind:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == kind


def test_compare_indicator_scored_from_its_cells_typed_once(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    model = tab.model
    leaf = window.ws.report.indicators[0].children[0].children[0]
    tab.select(leaf.id)
    _pick_method(qtbot, tab, "compare")
    assert leaf.method.kind == "compare" and leaf.method.target is None
    note = [w.text() for w in tab.panel.findChildren(QLabel) if "不必再填" in w.text()]
    assert note and "年度指标值" in note[0]

    type_in_cell(qtbot, tab.tree, model.index_of(leaf.id, COL_TARGET), "≤3600元/人")
    type_in_cell(qtbot, tab.tree, model.index_of(leaf.id, COL_ACTUAL), "3583元/人")
    assert model.index_of(leaf.id, COL_SCORE).data() == "8"  # the full 分值, typed once
    tab.select(leaf.id)  # (Enter moved down a row)
    assert "3583 ≤ 目标 3600" in tab.panel.arithmetic.text()
    assert leaf.method.target is None and leaf.method.actual is None
    window.bridge.flush()
    reasons = [f for f in window.ws.findings if f.code == "D001" and leaf.id in str(f.path)]
    assert not reasons  # a met target asks for no 偏差原因

    type_in_cell(qtbot, tab.tree, model.index_of(leaf.id, COL_ACTUAL), "4000元/人")
    assert Decimal(model.index_of(leaf.id, COL_SCORE).data()) < Decimal(8)


def test_panel_title_follows_rename(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    leaf = window.ws.report.indicators[0].children[0].children[0]
    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_NAME), "资金拨付及时率")
    tab.select(leaf.id)
    assert tab.panel._title is not None and "资金拨付及时率" in tab.panel._title.text()
    # renamed while shown (e.g. undo): the title follows without reselecting
    window.actions_by_name["undo"].trigger()
    assert tab.panel._title is not None and leaf.name in tab.panel._title.text()
    assert "资金拨付及时率" not in tab.panel._title.text()


def test_rate_linked_to_funding_follows_it_and_is_saved(
    qtbot: Any, make_window: Any, dialogs: Any, tmp_path: Path
) -> None:
    """A rate picks 项目资金's 到位数 ÷ 预算数 in the panel: nothing is copied, the score
    follows what is typed later in 项目资金, and the link is saved in the .pfe."""
    from helpers import retype, shortcut
    from PySide6.QtWidgets import QLineEdit

    from perfeval_desktop.workspace import Workspace

    window = make_window()
    tab = _tab(window)
    leaf = window.ws.report.indicators[0].children[0].children[0]
    weight = leaf.weight
    tab.select(leaf.id)
    _pick_method(qtbot, tab, "rate")
    source = tab.panel.findChild(QComboBox, "rateSource")
    assert source is not None and source.currentIndex() == 0  # typed amounts
    source.setFocus()
    qtbot.keyClick(source, Qt.Key.Key_Down)  # 项目资金：到位数 ÷ 预算数
    assert leaf.method.source == "received"
    assert leaf.method.numerator is None and leaf.method.denominator is None  # not a copy
    assert window.ws.undo_label == f"修改“{leaf.name}”的金额取自项目资金"
    score = tab.model.index_of(leaf.id, COL_SCORE)
    assert score.data() == "—"  # the sample's 到位数 is empty
    assert "缺少项目资金的到位数" in tab.panel.arithmetic.text()
    typed = tab.panel.findChildren(QLineEdit, "method_numerator")
    assert not [edit for edit in typed if edit.isVisible()]  # the amounts are 项目资金's

    editor = window.editor
    received = editor.funding.findChild(QLineEdit, "funding.total.received")
    editor.setCurrentWidget(editor.funding)
    retype(qtbot, received, "1155.5")  # = 预算数: 100 %
    editor.setCurrentWidget(tab)
    assert score.data() == plain(weight)
    linked = tab.panel.findChild(QLabel, "linkedAmounts")
    assert linked is not None and "到位数 1155.5 万元 ÷ 预算数 1155.5 万元" in linked.text()
    editor.setCurrentWidget(editor.funding)
    retype(qtbot, received, "577.75")  # 50 %
    assert score.data() == plain(weight / 2)
    assert "到位数 577.75 万元" in linked.text()
    window.actions_by_name["undo"].trigger()
    assert score.data() == plain(weight)

    dialogs.save = tmp_path / "到位率.pfe"
    shortcut(window, "Ctrl+Shift+S")
    saved = Workspace.open(dialogs.save)
    method = saved.node(leaf.id).method
    assert method.kind == "rate" and method.source == "received"  # type: ignore[union-attr]
    assert saved.sheet.nodes[leaf.id].score == weight


def test_undo_and_redo_bring_their_tab_into_view(qtbot: Any, make_window: Any) -> None:
    from helpers import retype, shortcut

    window = make_window()
    editor = window.editor
    tab = _tab(window)
    leaf = window.ws.report.indicators[0].children[0].children[0]
    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_TARGET), "≥90%")
    editor.setCurrentWidget(editor.basic)
    name = editor.basic.edits["project.name"]
    old_name = window.ws.report.project.name
    retype(qtbot, name, "医疗救助资金")
    editor.setCurrentWidget(editor.problems)

    shortcut(editor.problems.table, "Ctrl+Z")  # the name: 基本信息 comes into view
    assert editor.currentWidget() is editor.basic and name.hasFocus()
    assert window.ws.report.project.name == old_name and name.text() == old_name
    shortcut(window, "Ctrl+Z")  # the indicator's cell: 指标评分, its row selected
    assert editor.currentWidget() is tab and tab.current_id() == leaf.id
    assert leaf.target_text != "≥90%"
    editor.setCurrentWidget(editor.basic)
    shortcut(window, "Ctrl+Y")
    assert editor.currentWidget() is tab and leaf.target_text == "≥90%"
    undo_texts = [window.actions_by_name[n].text() for n in ("undo", "redo")]
    assert all("target" not in t and "actual" not in t for t in undo_texts)


def test_toolbar_undo_button_keeps_its_text(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    tab = _tab(window)
    undo = window.actions_by_name["undo"]
    button = window.toolbar.widgetForAction(undo)
    width = button.sizeHint().width()
    leaf = window.ws.report.indicators[0].children[0].children[0]
    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_NAME), "一个很长很长的指标名称用来试宽度")
    assert button.text() == "撤销" and button.sizeHint().width() == width
    # named once typing pauses (not re-laid out on every keystroke)
    qtbot.waitUntil(lambda: undo.text().startswith("撤销 修改"))
    assert "指标名称" in undo.toolTip() and button.text() == "撤销"


def _cut_names(tab: Any) -> list[str]:
    """The 一级 / 二级 names the grid shows cut short: wrapped in their merged cell as the
    grid draws them, taller than the cell."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFont, QFontMetrics

    layout, view, cut = tab.model.layout, tab.tree, []
    for level in (1, 2):
        for node_id, _first, _last in layout.groups(level):
            index = tab.model.index_of(node_id, COL_NAME)
            rect = view.visualRect(index)
            font = QFont(view.font())
            font.setBold(level == 1)
            flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter)
            text = QFontMetrics(font).boundingRect(
                QRect(0, 0, rect.width() - 8, 10_000), flags, index.data()
            )
            if text.height() > rect.height():
                cut.append(index.data())
    return cut


def test_merged_names_of_one_row_show_whole(qtbot: Any, make_window: Any) -> None:
    """A 一级 / 二级 cell one row tall (四川's 满意度指标) is made tall enough for its name,
    also after it is renamed by typing, and shrinks back on undo."""
    from gui_support import SAMPLES

    window = make_window(SAMPLES / "sc_panzhihua_supervision_2022.pfe")
    tab = _tab(window)
    layout = tab.model.layout
    single = [layout.nodes[n].name for n, first, last in layout.groups(1) if first == last]
    assert "满意度指标" in single  # one row: the case that showed 满…
    qtbot.waitUntil(lambda: not _cut_names(tab))
    base = tab.tree.verticalHeader().defaultSectionSize()
    second = next(n for n, first, last in layout.groups(2) if first == last)
    row = layout.spans[second][0]
    before = tab.tree.rowHeight(row)
    type_in_cell(
        qtbot, tab.tree, tab.model.index_of(second, COL_NAME), "服务对象满意度及投诉处理情况指标"
    )
    assert tab.tree.rowHeight(row) > before and not _cut_names(tab)
    window.actions_by_name["undo"].trigger()
    assert tab.tree.rowHeight(row) == before and before >= base
