"""The main window on real widgets: new/save/reopen, title, undo, tables, checks, settings."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, YN, FakeDialogs
from helpers import retype, shortcut, type_in_cell, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QToolBar

from perfeval_desktop import paths
from perfeval_desktop.model.report import iter_nodes
from perfeval_desktop.scoring.findings import Level
from perfeval_desktop.scoring.rounding import plain
from perfeval_desktop.templates.loader import discover
from perfeval_desktop.ui.dialogs import CloseAnswer
from perfeval_desktop.ui.indicator_model import COL_SCORE, COL_WEIGHT
from perfeval_desktop.workspace import Workspace


def double_click(qtbot: Any, tree: Any, item: Any) -> None:
    pos = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def _click_action(qtbot: Any, window: Any, name: str) -> None:
    toolbar = window.findChild(QToolBar, "mainToolbar")
    qtbot.mouseClick(
        toolbar.widgetForAction(window.actions_by_name[name]), Qt.MouseButton.LeftButton
    )


@pytest.mark.parametrize("template_id", sorted(discover()))
def test_new_from_each_family_type_save_reopen(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path, template_id: str
) -> None:
    window = make_window(GD)
    dialogs.template = discover()[template_id]
    _click_action(qtbot, window, "new")
    ws = window.ws
    assert ws.report.meta.template_id == template_id and ws.path is None
    assert window.windowTitle() == "未命名.pfe — 绩效自评填报助手"
    assert "指标评分" in window.editor.tab_titles()
    assert next(s.heading for s in ws.manifest.outline)[:4] in "".join(window.editor.tab_titles())

    basic = window.editor.basic
    window.editor.setCurrentWidget(basic)
    retype(qtbot, basic.edits["project.name"], "城乡医疗救助资金")
    retype(qtbot, basic.edits["meta.phone"], "0753-2222222")
    assert ws.report.project.name == "城乡医疗救助资金"
    assert window.windowTitle() == "未命名.pfe* — 绩效自评填报助手"

    tab = window.editor.indicators
    window.editor.setCurrentWidget(tab)
    leaf = next(n for _p, lvl, n in iter_nodes(ws.report.indicators) if n.is_leaf and lvl == 3)
    before = ws.sheet.total
    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_WEIGHT), "5")
    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_SCORE), "4")
    assert ws.sheet.nodes[leaf.id].rate == Decimal("0.8")
    assert ws.sheet.total == before + Decimal(4)
    assert f"<b>{plain(ws.sheet.total)}</b>" in tab.summary.total.text()
    assert tab.summary.grade.text() == ws.sheet.grade

    dialogs.save = tmp_path / "新报告.pfe"
    shortcut(window, "Ctrl+S")
    assert dialogs.save.is_file() and not ws.dirty
    assert window.windowTitle() == "新报告.pfe — 绩效自评填报助手"
    reopened = Workspace.open(dialogs.save)
    assert reopened.report == ws.report
    assert reopened.sheet.total == ws.sheet.total


def test_field_edit_undo_redo_and_title(qtbot: Any, make_window: Any) -> None:
    window = make_window(GD)
    edit = window.editor.basic.edits["project.name"]
    window.editor.setCurrentWidget(window.editor.basic)
    edit.setFocus()
    edit.end(False)
    type_text(qtbot, edit, "（第二批）")
    assert window.ws.report.project.name == "医疗救助补助资金（第二批）"
    assert window.windowTitle().startswith("gd_yuancheng_medical_aid_2021.pfe*")
    qtbot.waitUntil(lambda: window.actions_by_name["undo"].text() == "撤销 修改“项目名称”")
    shortcut(edit, "Ctrl+Z")  # the window's history, not the line edit's own
    assert window.ws.report.project.name == "医疗救助补助资金"
    assert edit.text() == "医疗救助补助资金"
    assert not window.windowTitle().startswith("gd_yuancheng_medical_aid_2021.pfe*")
    shortcut(edit, "Ctrl+Y")
    assert edit.text() == "医疗救助补助资金（第二批）"


def test_bad_amount_is_refused_with_message_and_old_value_kept(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window(GD)
    funding = window.editor.funding
    window.editor.setCurrentWidget(funding)
    edit = funding.total_edits["annual_budget"]
    before = window.ws.report.model_copy(deep=True)
    retype(qtbot, edit, "1155.5亿")
    assert funding.message.isVisible()
    assert "年度资金总额（合计）的全年预算数" in funding.message.text()
    assert window.ws.report == before and not window.ws.dirty
    assert edit.text() == "1155.50"  # the old value is shown again
    retype(qtbot, edit, "１，２００")  # full-width digits and comma are fine
    assert window.ws.report.funding.total.annual_budget == Decimal("1200")


def test_problem_rows_insert_edit_delete_undo(qtbot: Any, make_window: Any) -> None:
    window = make_window(GD)
    tab = window.editor.problems
    window.editor.setCurrentWidget(tab)
    rows = len(window.ws.report.problems)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert len(window.ws.report.problems) == rows + 1
    qtbot.keyClick(tab.table, Qt.Key.Key_Escape)
    type_in_cell(qtbot, tab.table, tab.model.index(rows, 1), "cause")
    assert window.ws.report.problems[rows].cause == "cause"
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    first = window.ws.report.problems[0]
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert first not in window.ws.report.problems
    assert tab.model.rowCount() == rows
    for _ in range(3):
        shortcut(tab.table, "Ctrl+Z")
    assert window.ws.report.problems[0] == first and len(window.ws.report.problems) == rows
    assert tab.model.rowCount() == rows and not window.ws.dirty
    shortcut(tab.table, "Ctrl+Y")
    assert tab.model.index(rows, 0).data() == ""


def test_models_pass_the_model_tester(qtmodeltester: Any, make_window: Any) -> None:
    window = make_window(YN)
    qtmodeltester.check(window.editor.indicators.model)
    qtmodeltester.check(window.editor.problems.model)
    qtmodeltester.check(window.editor.evaluators.model)


def test_model_tester_follows_structural_edits(qtmodeltester: Any, make_window: Any) -> None:
    window = make_window(GD)
    model = window.editor.indicators.model
    qtmodeltester.check(model, force_py=True)
    ws = window.ws
    quantity = ws.report.indicators[0].children[0]
    ws.move_down(quantity.children[0].id)
    ws.outdent(quantity.children[0].id)
    ws.add_child(quantity.children[0].id)
    ws.remove_node(ws.report.indicators[1].id)
    ws.undo()
    qtmodeltester.check(model, force_py=True)


def test_checks_dock_counts_jump_and_explanation(qtbot: Any, make_window: Any) -> None:
    window = make_window(GD)
    dock = window.checks
    assert dock.counts() == {Level.ERROR: 0, Level.VERIFY: 2, Level.HINT: 0}
    item = dock.item_for("D001")
    double_click(qtbot, dock.tree, item)
    tab = window.editor.indicators
    assert window.editor.currentWidget() is tab
    leaf = window.ws.report.indicators[0].children[0].children[0]
    assert tab.current_id() == leaf.id

    item = dock.item_for("T003")
    qtbot.mouseClick(
        dock.tree.viewport(), Qt.MouseButton.LeftButton, pos=dock.tree.visualItemRect(item).center()
    )
    assert dock.explain_box.isVisible()
    reason = dock.findChild(QLineEdit, "explanation")
    type_text(qtbot, reason, "按当年下达资金口径计算")
    qtbot.keyClick(reason, Qt.Key.Key_Return)
    assert dock.item_for("T003") is None
    assert dock.counts()[Level.VERIFY] == 1
    key = next(k for k in window.ws.report.explanations if k.startswith("T003@"))
    assert window.ws.report.explanations[key] == "按当年下达资金口径计算"
    shortcut(window, "Ctrl+Z")
    qtbot.waitUntil(lambda: dock.item_for("T003") is not None)  # checks follow shortly
    assert dock.item_for("T003") is not None


def test_error_frame_and_jump_to_field(qtbot: Any, make_window: Any) -> None:
    window = make_window(YN)
    date = window.editor.registry.widgets["meta.fill_date"]
    assert date.property("finding") == "error" and "填报日期" in date.toolTip()
    item = window.checks.item_for("R001")
    double_click(qtbot, window.checks.tree, item)
    assert window.editor.currentWidget() is window.editor.basic
    assert date.hasFocus()
    phone = window.editor.basic.edits["meta.phone"]
    retype(qtbot, phone, "12")
    qtbot.waitUntil(lambda: phone.property("finding") == "error")  # checks follow shortly
    assert phone.property("finding") == "error" and "联系电话" in phone.toolTip()
    retype(qtbot, phone, "63399978")
    qtbot.waitUntil(lambda: phone.property("finding") == "")
    assert phone.property("finding") == ""


def test_close_prompt_three_answers(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    window = make_window(GD)
    window.ws.set_field("meta.filler", "张三")
    dialogs.close_answer = CloseAnswer.CANCEL
    assert not window.close() and window.isVisible()
    dialogs.close_answer = CloseAnswer.SAVE
    dialogs.save = None  # the sample has a path: saved in place → use a copy instead
    window.ws.path = tmp_path / "copy.pfe"
    assert window.close()
    assert Workspace.open(tmp_path / "copy.pfe").report.meta.filler == "张三"
    window2 = make_window(GD)
    window2.ws.set_field("meta.filler", "李四")
    dialogs.close_answer = CloseAnswer.DISCARD
    assert window2.close()
    assert dialogs.asked_close == 3


def test_settings_in_ini_under_config_dir(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs
) -> None:
    window = make_window(GD)
    dialogs.open = YN
    _click_action(qtbot, window, "open")
    assert window.ws.path == YN
    window.resize(1234, 800)
    window.close()
    ini = paths.config_dir() / "settings.ini"
    assert ini.is_file() and "recent_files" in ini.read_text(encoding="utf-8")
    again = make_window(GD)
    assert [a.text() for a in again.recent_menu.actions()] == [str(YN.resolve())]
    assert again.width() == 1500  # the fixture resizes; geometry was restored before that
    from perfeval_desktop.ui.settings import open_settings

    assert open_settings().value("window/geometry") is not None


def test_about_shows_version(qtbot: Any, make_window: Any, dialogs: FakeDialogs) -> None:
    from perfeval_desktop import __version__

    window = make_window(GD)
    window.actions_by_name["about"].trigger()
    assert __version__ in dialogs.infos[-1][1]


def test_exception_hook_logs_and_shows_chinese_dialog(monkeypatch: Any) -> None:
    from perfeval_desktop.ui import excepthook

    shown: list[tuple[str, Path | None]] = []
    monkeypatch.setattr(excepthook, "show_dialog", lambda m, p: shown.append((m, p)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    excepthook.install()
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    assert shown and "意外错误" in shown[0][0] and "boom" in shown[0][0]
    log = shown[0][1]
    assert log is not None and log.parent == paths.data_dir() / "logs"
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")


def test_checks_follow_when_typing_pauses_and_before_saving(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    """Scores follow each keystroke; the validator runs shortly after, or at once before
    anything reads the findings (saving here)."""
    window = make_window(YN)
    phone = window.editor.basic.edits["meta.phone"]
    retype(qtbot, phone, "12")
    assert window.ws.validation_pending
    qtbot.waitUntil(lambda: not window.ws.validation_pending)
    assert window.checks.item_for("R002") is not None
    retype(qtbot, phone, "63399978")
    assert window.ws.validation_pending
    window._save_to(tmp_path / "saved.pfe")
    assert not window.ws.validation_pending
    assert window.checks.item_for("R002") is None
    assert phone.property("finding") == ""


def test_tabs_are_built_when_first_shown(make_window: Any) -> None:
    window = make_window(GD)
    editor = window.editor
    assert len(editor._pages) == 1
    editor.setCurrentIndex(2)
    assert editor.currentWidget() is editor.goals
    assert editor.tab_titles()[2] == "绩效目标"
    editor.build_all()
    assert len(editor._pages) == editor.count()


def test_region_typed_in_basic_info_reaches_the_report_cover(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    """地区 is typed once in 基本信息 and printed on the 广东 cover title (seed 002)."""
    from export_support import read_docx

    from perfeval_desktop.export import export_report

    window = make_window(GD)
    window.editor.setCurrentWidget(window.editor.basic)
    edit = window.editor.basic.edits["meta.region"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, "江东区")
    assert window.ws.report.meta.region == "江东区"
    (docx,) = export_report(window.ws.report, window.ws.template, tmp_path, formats=("docx",))
    texts = ["".join(p.text.split()) for p in read_docx(docx).paragraphs if p.text.strip()]
    assert "江东区2022年财政支出绩效自评报告" in texts
