"""Issue #13 §5 in the window: a report of a broken template opens read-only with the
template's message; the start page lists a broken template with its error."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, FakeDialogs
from helpers import retype, shortcut, type_text

from perfeval_desktop import paths
from perfeval_desktop.storage import pfe

pytestmark = pytest.mark.gui

BROKEN = "rules: 3\n"  # rules must be a mapping: the bureau's copy is broken


def _break_template_of(report: Path) -> str:
    tid = pfe.load(report).meta.template_id
    folder = paths.user_templates_dir() / tid
    folder.mkdir(parents=True)
    (folder / "manifest.yaml").write_text(f"id: {tid}\nname: 坏的\n{BROKEN}", "utf-8")
    return tid


def test_a_report_of_a_broken_template_opens_read_only_with_the_message(
    qtbot: Any, empty_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QRadioButton

    path = tmp_path / "医疗救助.pfe"
    shutil.copyfile(GD, path)
    before = path.read_bytes()
    tid = _break_template_of(path)
    window = empty_window
    dialogs.open = path
    shortcut(window, "Ctrl+O")  # 文件 → 打开, as the clerk does
    assert window.has_report and not dialogs.errors
    assert window.ws.read_only is not None
    banner = window.read_only_banner
    assert banner is not None and banner.isVisible()
    assert tid in banner.text() and "manifest.yaml" in banner.text() and "rules" in banner.text()
    assert "只读" in banner.text() and "（只读）" in window.windowTitle()
    assert "应为键值结构" in banner.text() and "Input should" not in banner.text()
    for name in ("save", "export", "print_preview"):
        assert not window.actions_by_name[name].isEnabled(), name
    assert window.actions_by_name["save_as"].isEnabled()  # a full copy (另存为) may be saved
    # typing changes nothing: the field takes no key, and an edit that gets through is refused
    name = window.ws.report.project.name
    edit = window.editor.basic.edits["project.name"]
    assert edit.isReadOnly()
    kind = window.editor.basic.findChild(QRadioButton)
    assert kind is not None and not kind.isEnabled()  # 项目类型 cannot be picked
    # (a read-only field is no input-method target: no 拼音 commit reaches it)
    assert not edit.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    retype(qtbot, edit, "abc")
    assert window.ws.report.project.name == name and edit.text() == name
    window.editor.setCurrentWidget(window.editor.indicators)
    tab = window.editor.indicators
    tab.tree.setFocus()
    tab.tree.setCurrentIndex(tab.model.index(0, 0))
    type_text(qtbot, tab.tree, "9")
    qtbot.keyClick(tab.tree, "\r")
    # moving between rows does not switch 添加/删除/上移… back on (clicks would be refused)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up):
        qtbot.keyClick(tab.tree, key)
        assert tab.current_id() is not None
        enabled = [name for name, action in tab.actions_by_name.items() if action.isEnabled()]
        assert enabled == [], enabled
    rows = tab.model.rowCount()
    shortcut(window, "Ins")  # 添加同级指标
    assert tab.model.rowCount() == rows
    assert pfe.dumps(window.ws.report) == pfe.dumps(pfe.load(path))
    shortcut(window, "Ctrl+S")
    assert path.read_bytes() == before and not window.ws.dirty
    # the scores are shown as the report has them (the built-in form of the same id)
    assert window.ws.sheet.total == pfe_total(path)


def pfe_total(path: Path) -> Any:
    from perfeval_desktop.scoring.engine import compute
    from perfeval_desktop.templates.loader import _read_folder

    report = pfe.load(path)
    builtin = _read_folder(paths.builtin_templates_dir() / report.meta.template_id)
    return compute(report, builtin.manifest.rules).total


def test_a_report_of_a_broken_template_without_a_built_in_one_opens_read_only(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    import json

    from perfeval_desktop.workspace import Workspace

    data = json.loads(GD.read_text("utf-8"))
    data["meta"]["template_id"] = "bureau_2025"
    path = tmp_path / "bureau.pfe"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    folder = paths.user_templates_dir() / "bureau_2025"
    folder.mkdir(parents=True)
    (folder / "manifest.yaml").write_text("id: bureau_2025\nname: [坏\n", "utf-8")
    ws = Workspace.open(path)
    assert ws.read_only is not None and "格式错误" in ws.read_only
    window = make_window(ws=ws)
    assert window.read_only_banner is not None and "bureau_2025" in window.read_only_banner.text()
    # its sections are shown from the report itself
    assert window.editor.count() >= 4 + len(data["sections"])


def test_the_start_page_lists_a_broken_template_with_its_error(
    qtbot: Any, empty_window: Any
) -> None:
    from PySide6.QtCore import Qt

    folder = paths.user_templates_dir() / "bureau_2025"
    folder.mkdir(parents=True)
    (folder / "manifest.yaml").write_text("id: bureau_2025\nname: [坏\n", "utf-8")
    misnamed = paths.user_templates_dir() / "copy_of_gd"
    shutil.copytree(paths.builtin_templates_dir() / "mof_self_eval_gd", misnamed)
    window = empty_window
    window.open_later(None)
    qtbot.waitUntil(lambda: window.start_page is not None and not window.loading, timeout=5000)
    forms = window.start_page.forms
    items = [forms.item(i) for i in range(forms.count())]
    bad = {it.text().split("（")[0]: it for it in items if "模板有错误" in it.text()}
    assert set(bad) == {"bureau_2025", "copy_of_gd"}
    assert "格式错误" in bad["bureau_2025"].text() and "不一致" in bad["copy_of_gd"].text()
    assert "方括号 [ ] 没有配对" in bad["bureau_2025"].text()  # (not the parser's English)
    assert all(not it.flags() & Qt.ItemFlag.ItemIsSelectable for it in bad.values())
    # keys pass over them: the usable forms are picked as usual
    forms.setFocus()
    for _ in range(forms.count()):
        qtbot.keyClick(forms, Qt.Key.Key_Down)
    assert "模板有错误" not in forms.currentItem().text()
    qtbot.keyClick(forms, Qt.Key.Key_Return)
    assert window.has_report and window.ws.read_only is None


def test_a_report_of_a_template_not_installed_opens_read_only_and_saves_a_copy(
    qtbot: Any, empty_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    """Issue #13: a report of a form this computer does not have is no longer refused: it
    opens read-only saying which form is missing and how to get on, and 另存为 keeps it all."""
    from PySide6.QtWidgets import QApplication

    report = pfe.load(GD)
    report.meta.template_id = "bureau_2025"
    path = tmp_path / "下发表样的报告.pfe"
    pfe.save(report, path)
    before = path.read_bytes()
    window = empty_window
    dialogs.open = path
    shortcut(window, "Ctrl+O")
    assert window.has_report and not dialogs.errors
    banner = window.read_only_banner
    assert banner is not None and banner.isVisible()
    text = banner.text()
    assert "找不到表样“bureau_2025”" in text and "bureau_2025.pft" in text
    assert "工具 → 导入表样" in text and "复制" in text and "另存为" in text
    assert "（只读）" in window.windowTitle()
    assert not window.actions_by_name["export"].isEnabled()
    # no finding, total or grade made up by the stand-in form (its total is not the report's)
    assert {f.code for f in window.ws.findings} == {"D001", "T003"}
    assert "总分、评价等次：表样未安装，未计算" in window.status.text()
    # its sections are titled as the installed forms title them, not by their ids
    titles = [window.editor.tabText(i) for i in range(window.editor.count())]
    assert "一、项目基本情况" in titles and "basic" not in titles
    # the text can be selected and copied into a report of another form
    edit = window.editor.basic.edits["project.name"]
    edit.setFocus()
    shortcut(edit, "Ctrl+A")
    shortcut(edit, "Ctrl+C")
    assert QApplication.clipboard().text() == report.project.name
    shortcut(window, "Ctrl+S")  # its own file: never written
    assert path.read_bytes() == before
    dialogs.save = tmp_path / "副本.pfe"
    shortcut(window, "Ctrl+Shift+S")  # 另存为
    assert not dialogs.errors
    assert dialogs.save.read_bytes() == before and path.read_bytes() == before
    assert window.ws.path == dialogs.save and "副本.pfe（只读）" in window.windowTitle()


def test_restoring_a_recovery_copy_of_a_template_since_removed_opens_read_only(
    qtbot: Any, empty_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    """Issue #13: a crash left a recovery copy; its form was removed before the restart.
    The restore prompt's 是 opens it read-only with the message, the typed work kept and
    unsaved, and 另存为 writes it (then the recovery copy goes)."""
    from perfeval_desktop.storage import autosave
    from perfeval_desktop.workspace import Workspace

    folder = paths.user_templates_dir() / "bureau_2025"
    shutil.copytree(paths.builtin_templates_dir() / "mof_self_eval_gd", folder)
    manifest = folder / "manifest.yaml"
    text = manifest.read_text("utf-8").replace("id: mof_self_eval_gd", "id: bureau_2025")
    manifest.write_text(text, "utf-8")
    report = pfe.load(GD)
    report.meta.template_id = "bureau_2025"
    path = tmp_path / "下发表样的报告.pfe"
    pfe.save(report, path)
    before = path.read_bytes()
    crashed = Workspace.open(path)
    crashed.set_field("meta.filler", "张三")
    assert autosave.Autosaver(crashed, session="crashed-run").save_now()
    shutil.rmtree(folder)  # the form is gone when the program starts again
    window = empty_window
    dialogs.restore_answers = [True]
    assert window.offer_recovery() == 1
    assert len(dialogs.offered) == 1 and not dialogs.errors
    banner = window.read_only_banner
    assert banner is not None
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    assert "找不到表样“bureau_2025”" in banner.text() and "另存为" in banner.text()
    assert window.windowTitle().startswith("下发表样的报告.pfe（只读）*")
    assert "请用 另存为" in window.statusBar().currentMessage()
    assert window.editor.basic.edits["meta.filler"].text() == "张三"
    assert window.ws.report == crashed.report and window.ws.dirty
    assert not window.actions_by_name["save"].isEnabled()
    shortcut(window, "Ctrl+S")  # its own file: never written; the recovery copy stays
    assert path.read_bytes() == before and len(autosave.pending_recoveries()) == 1
    dialogs.save = tmp_path / "恢复的副本.pfe"
    shortcut(window, "Ctrl+Shift+S")  # 另存为
    assert not dialogs.errors and pfe.load(dialogs.save) == crashed.report
    assert not window.ws.dirty and autosave.pending_recoveries() == []
    assert path.read_bytes() == before
    assert "恢复的副本.pfe（只读）" in window.windowTitle()
