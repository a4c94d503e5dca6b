"""Done-when of #15: a bureau makes a new form from a built-in one in 表样设计, exports it
as .pft, a clerk imports it on another PC (basedir) and makes, scores and exports a report
with it — through the windows, keys and menus."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from gui_support import GD
from helpers import open_editor, type_text, wait_task
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from perfeval_desktop import paths
from perfeval_desktop.templates.loader import Template, discover, load_template


class FakeShare:
    """Answers of 导出表样 / 导入表样."""

    def __init__(self) -> None:
        self.template_id = ""
        self.out: Path | None = None
        self.pft: Path | None = None
        self.asked: list[str] = []
        self.told: list[str] = []

    def choose_template(self, templates: list[Template]) -> Template | None:
        return next(t for t in templates if t.id == self.template_id)

    def folder(self) -> Path | None:
        return self.out

    def pft_file(self) -> Path | None:
        return self.pft

    def confirm(self, title: str, text: str) -> bool:
        self.asked.append(text)
        return True

    def inform(self, title: str, text: str) -> None:
        self.told.append(text)


def _retype(qtbot: Any, edit: Any, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, text)


def _design(qtbot: Any, window: Any) -> Any:
    window.actions_by_name["designer"].trigger()
    tool = window._tool_windows["designer"]
    qtbot.addWidget(tool)
    assert tool.base.currentData() == "mof_self_eval_gd"
    type_text(qtbot, tool.new_id, "county_2025")
    type_text(qtbot, tool.new_name, "某县项目支出绩效自评表")
    qtbot.mouseClick(tool.copy_button, Qt.MouseButton.LeftButton)
    assert tool.draft.manifest.id == "county_2025" and tool.tabs.isEnabled()
    tool.tabs.setCurrentWidget(tool.rules)
    _retype(qtbot, tool.rules.execution_weight, "2x")  # as typed: refused and named
    assert "预算执行率分值（rules.execution.weight）：应为数字" in tool.messages.text()
    _retype(qtbot, tool.rules.execution_weight, "20")
    assert tool.messages.text() == ""
    tool.refresh_preview()
    assert "应为 100" in tool.score_view.toPlainText()  # 20 + 50 + 30 + 10 = 110
    tool.tabs.setCurrentWidget(tool.framework)
    tree = tool.framework.tree
    editor = open_editor(qtbot, tree, tree.model().index(0, 1))
    editor.selectAll()
    type_text(qtbot, editor, "40")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tool.draft.manifest.framework[0].weight == 40, timeout=2000)
    assert tool.draft.problems() == []
    # a leaf's method: chosen in the combo below the tree for the selected leaf
    leaf = tree.topLevelItem(0).child(0).child(0)
    tree.setCurrentItem(leaf)
    combo = tool.framework.method
    assert combo.isEnabled() and combo.currentData() == "manual"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # 手工评分 → 比较指标值
    assert tool.draft.manifest.framework[0].children[0].children[0].method.kind == "compare"
    assert tree.topLevelItem(0).child(0).child(0).text(2) == "比较指标值（≥ / = / ≤）"
    tree.setCurrentItem(tree.topLevelItem(0).child(0).child(0))
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # back to 手工评分
    assert tool.draft.manifest.framework[0].children[0].children[0].method.kind == "manual"
    tool.tabs.setCurrentWidget(tool.rules)
    tool.rules.score_decimals.setFocus()
    qtbot.keyClick(tool.rules.score_decimals, Qt.Key.Key_Down)  # 2 → 1 decimal
    assert tool.draft.manifest.rules.score_decimals == 1
    qtbot.waitUntil(lambda: "应为 100" not in tool.score_view.toPlainText(), timeout=3000)
    assert "预算执行率" in tool.score_view.toPlainText()
    assert "项目支出绩效自评表" in tool.forms_view.toPlainText()
    qtbot.mouseClick(tool.save_button, Qt.MouseButton.LeftButton)
    assert "已保存" in tool.status.text()
    return tool


def test_design_hand_out_import_make_score_export(
    qtbot: Any, make_window: Any, dialogs: Any, tmp_path: Path
) -> None:
    window = make_window(GD)
    tool = _design(qtbot, window)
    saved = load_template("county_2025")
    assert saved.manifest.rules.execution.weight == 20
    assert (saved.folder / "forms.xlsx").is_file()
    # 导出表样
    share = FakeShare()
    share.template_id, share.out = "county_2025", tmp_path
    window.share_dialogs = share
    window.actions_by_name["export_template"].trigger()
    pft = tmp_path / "county_2025.pft"
    assert pft.is_file() and "已导出" in share.told[-1]
    tool.close()
    # another PC: its own user folder, without the form
    paths.set_basedir(tmp_path / "乡镇")
    assert "county_2025" not in discover()
    share.pft = pft
    window.actions_by_name["import_template"].trigger()
    assert "某县项目支出绩效自评表" in share.asked[0] and "第 1 版" in share.asked[0]
    assert "已安装" in share.told[-1]
    template = load_template("county_2025")
    # make, score and export a report with it
    dialogs.template = template
    window.ws.mark_saved()
    window.actions_by_name["new"].trigger()
    ws = window.ws
    assert ws.report.meta.template_id == "county_2025"
    ws.set_field("funding.total.annual_budget", Decimal("1000"))
    ws.set_field("funding.total.executed", Decimal("607.49"))
    # 产出 40 over its 4 leaves, 效益 30 over 4, 满意度 10 over 1; each leaf scored 90 %
    for top, leaf_weight in zip(ws.report.indicators, ("10", "7.5", "10"), strict=True):
        for second in top.children:
            leaf = second.children[0]
            ws.set_node_field(leaf.id, "weight", Decimal(leaf_weight))
            ws.set_node_field(leaf.id, "method.score", Decimal(leaf_weight) * Decimal("0.9"))
    sheet = ws.sheet
    # 607.49 / 1000 = 60.749 %; × 20 = 12.1498 → 12 (the copied form rounds this row to
    # whole points); 40 × 0.9 = 36, 30 × 0.9 = 27, 10 × 0.9 = 9 → 12 + 36 + 27 + 9 = 84
    assert sheet.execution_weight == 20 and sheet.execution_score == 12
    assert sheet.total_weight == 100 and sheet.total == 84
    assert sheet.grade == "良"
    out = tmp_path / "导出"
    out.mkdir()
    dialogs.export = (out, ["docx", "xlsx"])
    window.actions_by_name["export"].trigger()
    wait_task(qtbot, window)
    assert not dialogs.errors
    [xlsx] = list(out.glob("*.xlsx"))
    assert list(out.glob("*.docx"))
    values = [c.value for row in load_workbook(xlsx).active.iter_rows() for c in row]
    assert 20 in values or "20" in values  # the 预算执行率 row's 分值 printed as 20


def test_layout_files_open_in_system_program_and_reload(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    import os

    window = make_window(GD)
    window.actions_by_name["designer"].trigger()
    tool = window._tool_windows["designer"]
    qtbot.addWidget(tool)
    type_text(qtbot, tool.new_id, "county_layout")
    qtbot.mouseClick(tool.copy_button, Qt.MouseButton.LeftButton)
    opened: list[Path] = []
    tool.open_file = opened.append
    qtbot.mouseClick(tool.forms_button, Qt.MouseButton.LeftButton)
    [forms] = opened
    # the user's copy is opened, never the built-in file
    assert forms == paths.user_templates_dir() / "county_layout" / "forms.xlsx"
    stat = forms.stat()
    os.utime(forms, (stat.st_atime, stat.st_mtime + 5))  # saved in Excel/WPS
    qtbot.mouseClick(tool.reload_button, Qt.MouseButton.LeftButton)
    assert tool.status.text() == "已重新载入 forms.xlsx"
    # the outline: a section title typed in the tree, an empty title refused
    tool.tabs.setCurrentWidget(tool.outline)
    tree = tool.outline.tree
    editor = open_editor(qtbot, tree, tree.model().index(0, 1))
    editor.selectAll()
    type_text(qtbot, editor, "项目基本情况")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tool.draft.manifest.outline[0].title == "项目基本情况", timeout=2000)
    editor = open_editor(qtbot, tree, tree.model().index(0, 3))
    type_text(qtbot, editor, "0")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "字数" in tool.messages.text() or "limit" in tool.messages.text(),
                    timeout=2000)
    assert "应大于 0" in tool.messages.text()
    assert tool.draft.manifest.outline[0].limit is None
    tool.close()
