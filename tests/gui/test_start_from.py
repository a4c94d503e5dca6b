"""Start from what the clerk has: 复制上年 in the window (last year's texts as hints)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gui_support import GD, YN, FakeDialogs
from helpers import wait_task
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template
from perfeval_desktop.ui.dialogs import CloseAnswer
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

    goals = window.editor.goals
    window.editor.setCurrentWidget(goals)
    qtbot.waitUntil(goals.isVisible)
    assert window.ws.report.goals.actual == ""
    box = goals.findChild(QWidget, "lastYear.goals")
    assert box is not None and box.findChild(QPlainTextEdit).toPlainText() == "全部完成"


def test_import_excel_of_another_family_previews_then_opens(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    from perfeval_desktop.export import export_report
    from perfeval_desktop.ui.import_dialog import ImportDialog

    sample = load(YN)
    template = load_template(sample.meta.template_id)
    (xlsx,) = export_report(sample, template, tmp_path, formats=["xlsx"])
    window = make_window(GD)  # a 广东 report open; the file is a 云南 评价表
    before = window.ws
    dialogs.excel = Path(xlsx)
    seen: list[ImportDialog] = []

    def look_then_cancel(dialog: ImportDialog) -> bool:
        seen.append(dialog)
        return False

    dialogs.dialog_answers = [look_then_cancel]
    window.actions_by_name["import_excel"].trigger()
    wait_task(qtbot, window)  # read in a worker
    (dialog,) = seen
    assert dialog.template.id == "yunnan_dept_eval"  # guessed from the sheet
    assert "17 个三级指标" in dialog.summary.text() and "总分 100" in dialog.summary.text()
    assert dialog.tree.topLevelItemCount() == 4 and dialog.tree.topLevelItem(0).text(0) == "决策"
    assert dialog.unplaced.count() == 1 and "都已读入" in dialog.unplaced.item(0).text()
    assert window.ws is before and not before.dirty  # nothing written on 取消

    dialogs.dialog_answers = [True]
    window.actions_by_name["import_excel"].trigger()
    wait_task(qtbot, window)  # read in a worker
    ws = window.ws
    assert ws is not before and ws.path is None and ws.dirty
    assert ws.report.meta.template_id == "yunnan_dept_eval"
    expected = compute(sample, template.manifest.rules)
    assert (ws.sheet.total, ws.sheet.grade, ws.sheet.levels) == (
        expected.total, expected.grade, expected.levels)
    assert "总分 100" in window.status.text()


def test_import_names_unplaced_cells(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    for row in (["一级指标", "二级指标", "三级指标", "分值", "得分"],
                ["产出指标", "数量指标", "救助人次", 10, 9],
                ["", "", "", "", "", "请领导审阅"]):
        sheet.append(row)
    book.save(tmp_path / "手填.xlsx")
    window = make_window(GD)
    dialogs.excel = tmp_path / "手填.xlsx"
    seen: list[Any] = []
    dialogs.dialog_answers = [lambda d: seen.append(d)]
    window.actions_by_name["import_excel"].trigger()
    wait_task(qtbot, window)  # read in a worker
    texts = [seen[0].unplaced.item(i).text() for i in range(seen[0].unplaced.count())]
    assert texts == ["工作表“自评表”第 3 行 F 列（F3）：“请领导审阅”，未能对应到报告的栏目"]
    assert seen[0].tabs.tabText(2) == "未读入的单元格（1）"


THREE = (("xsyljz", "享受医疗救助人次"), ("yljzhgl", "医疗救助合规率"), ("lyl", "列养率"))


def _search_and_insert(qtbot: Any, dialog: Any) -> bool:
    """Type each pinyin query key by key, Enter to the first result, click 插入所选指标."""
    from helpers import type_text
    from PySide6.QtCore import Qt as QtKeys

    dialog.show()
    for query, name in THREE:
        dialog.search.setFocus()
        dialog.search.selectAll()
        qtbot.keyClick(dialog.search, QtKeys.Key.Key_Delete)
        type_text(qtbot, dialog.search, query)
        assert dialog.table.item(0, 3).text() == name
        assert "出处：" in dialog.detail.text()
        qtbot.keyClick(dialog.search, QtKeys.Key.Key_Return)  # to the first result
        qtbot.mouseClick(dialog.insert_button, QtKeys.MouseButton.LeftButton)
    assert dialog.status.text() == "已插入 1 个指标（可撤销）"
    dialog.close()
    return True


def test_insert_three_indicators_by_pinyin_search(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs
) -> None:
    window = make_window(GD)
    dialogs.dialog_answers = [lambda dialog: _search_and_insert(qtbot, dialog)]
    window.actions_by_name["library"].trigger()
    quantity = window.ws.report.indicators[0].children[0]
    quality = window.ws.report.indicators[0].children[1]
    assert [c.name for c in quantity.children][-2:] == ["享受医疗救助人次", "列养率"]
    assert quality.children[-1].name == "医疗救助合规率"
    assert quantity.children[-2].target_text == "≥50000人次"
    assert window.editor.indicators.current_id() == quantity.children[-1].id
    window.ws.undo()
    assert [c.name for c in quantity.children][-1] == "享受医疗救助人次"


def test_done_when_last_year_then_excel_of_another_family_then_library(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    """The issue's scenario in one window: 复制上年 from the 广东 sample, 导入 Excel of a
    云南 评价表 (same figures), three indicators from the library by pinyin."""
    from perfeval_desktop.export import export_report

    window = make_window(GD)
    dialogs.open = GD
    window.actions_by_name["new_from_last_year"].trigger()
    assert window.ws.report.meta.year == 2022 and window.ws.report.last_year is not None

    sample = load(YN)
    template = load_template(sample.meta.template_id)
    (xlsx,) = export_report(sample, template, tmp_path, formats=["xlsx"])
    dialogs.excel = Path(xlsx)
    dialogs.close_answer = CloseAnswer.DISCARD  # the unsaved 2022 report is let go
    dialogs.dialog_answers = [True]
    window.actions_by_name["import_excel"].trigger()
    wait_task(qtbot, window)  # read in a worker
    expected = compute(sample, template.manifest.rules)
    sheet = window.ws.sheet
    assert (sheet.total, sheet.grade, sheet.levels) == (expected.total, expected.grade,
                                                        expected.levels)

    dialogs.dialog_answers = [lambda dialog: _search_and_insert(qtbot, dialog)]
    window.actions_by_name["library"].trigger()
    output = next(n for n in window.ws.report.indicators if n.name == "产出")
    names = [leaf.name for second in output.children for leaf in second.children]
    assert {"享受医疗救助人次", "医疗救助合规率", "列养率"} <= set(names)


def test_save_to_library_and_find_it_again(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs
) -> None:
    window = make_window(GD)
    tab = window.editor.indicators
    window.editor.setCurrentWidget(tab)
    leaf = window.ws.report.indicators[2].children[0].children[1]  # 指标2：工作满意度
    _select(qtbot, tab, leaf.id)
    window.actions_by_name["save_to_library"].trigger()
    assert "已保存到指标库" in window.statusBar().currentMessage()
    seen: list[Any] = []
    dialogs.dialog_answers = [lambda d: seen.append(d)]
    window.actions_by_name["library"].trigger()
    dialog = seen[0]
    dialog.kind.setCurrentText("本单位指标")
    dialog.search.setText("gzmyd")
    assert dialog.shown[0].name == "指标2：工作满意度"
    assert dialog.shown[0].source == "医疗救助补助资金（2021年度报告）"
