"""Issue #13 in the window: huge numbers refused and saving works; repairs told once."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from gui_support import GD
from helpers import retype, shortcut, type_in_cell

from perfeval_desktop.storage import pfe
from perfeval_desktop.ui.indicator_model import COL_WEIGHT

pytestmark = pytest.mark.gui


def test_huge_amount_and_weight_are_refused_and_saving_works(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    path = tmp_path / "r.pfe"
    shutil.copy(GD, path)
    window = make_window(path)
    window.editor.setCurrentWidget(window.editor.funding)
    executed = window.editor.funding.total_edits["executed"]
    before = window.ws.report.funding.total.executed
    retype(qtbot, executed, "1" * 27)
    assert window.ws.report.funding.total.executed == before
    assert "全年执行数" in window.editor.funding.message.text()
    assert "不能超过" in window.editor.funding.message.text()

    window.editor.setCurrentWidget(window.editor.indicators)
    tab = window.editor.indicators
    leaf = window.ws.report.indicators[0].children[0].children[0]
    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_WEIGHT), "1" * 26)
    assert "分值" in tab.message.text() and "不能超过 10000" in tab.message.text()
    assert leaf.weight == Decimal("8")

    type_in_cell(qtbot, tab.tree, tab.model.index_of(leaf.id, COL_WEIGHT), "10000")
    assert leaf.weight == Decimal(10000)
    assert tab.summary.total.text()  # scored without an exception
    shortcut(window, "Ctrl+S")
    assert pfe.load(path).indicators[0].children[0].children[0].weight == Decimal(10000)


def test_duplicate_ids_repaired_on_open_are_told_once(
    qtbot: Any, make_window: Any, dialogs: Any, tmp_path: Path
) -> None:
    import json

    data = json.loads(GD.read_text("utf-8"))
    data["indicators"][1]["id"] = data["indicators"][0]["id"]
    path = tmp_path / "dup.pfe"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    window = make_window(path)
    told = [text for title, text in dialogs.infos if "指标编号重复" in text]
    assert len(told) == 1 and title_of(dialogs, told[0]) == "报告文件已修复"
    assert window.windowTitle().startswith("dup.pfe*")  # unsaved: saving writes the repair
    window.editor.setCurrentWidget(window.editor.indicators)
    assert len([t for _t, t in dialogs.infos if "指标编号重复" in t]) == 1


def title_of(dialogs: Any, text: str) -> str:
    return next(title for title, t in dialogs.infos if t == text)


def test_pasted_control_characters_are_removed(qtbot: Any, make_window: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window = make_window()
    window.editor.setCurrentWidget(window.editor.basic)
    edit = window.editor.basic.edits["project.name"]
    edit.setFocus()
    edit.selectAll()
    QApplication.clipboard().setText("城乡\x07医疗\x00救助")
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    edit.editingFinished.emit()
    assert window.ws.report.project.name == "城乡医疗救助"
    assert pfe.dumps(window.ws.report).encode("utf-8")


def test_new_dialog_lists_a_broken_template_with_its_error(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from perfeval_desktop import paths
    from perfeval_desktop.templates.loader import discover
    from perfeval_desktop.ui.new_dialog import NewReportDialog

    paths.set_basedir(tmp_path)
    try:
        bad = paths.user_templates_dir() / "bureau_2025"
        bad.mkdir(parents=True)
        (bad / "manifest.yaml").write_text("id: bureau_2025\nname: [坏\n", "utf-8")
        dialog = NewReportDialog(list(discover().values()))
        qtbot.addWidget(dialog)
        items = [dialog.list.item(i) for i in range(dialog.list.count())]
        broken = [it for it in items if "bureau_2025" in it.text()]
        assert len(broken) == 1 and "格式错误" in broken[0].text()
        assert not broken[0].flags() & Qt.ItemFlag.ItemIsSelectable
        assert dialog.chosen() is not None  # the usable ones are chosen as usual
    finally:
        paths.set_basedir(None)


def _empty_window(qtbot: Any, dialogs: Any) -> Any:
    from perfeval_desktop.ui.main_window import MainWindow
    from perfeval_desktop.ui.settings import open_settings

    window = MainWindow.create_empty(open_settings(), dialogs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_file_with_a_huge_number_is_refused_naming_the_field_at_start(
    qtbot: Any, dialogs: Any, tmp_path: Path
) -> None:
    import json

    data = json.loads(GD.read_text("utf-8"))
    data["indicators"][0]["weight"] = "1E+30"
    path = tmp_path / "huge.pfe"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    window = _empty_window(qtbot, dialogs)
    window.open_later(path)
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)
    assert not window.has_report and window.placeholder.text() != "正在打开……"
    assert len(dialogs.errors) == 1 and "分值" in dialogs.errors[0]
    assert "不能大于" in dialogs.errors[0]
    from perfeval_desktop.ui.dialogs import CloseAnswer

    dialogs.close_answer = CloseAnswer.DISCARD


def test_start_removes_temps_of_killed_saves_of_recent_reports(
    qtbot: Any, dialogs: Any, tmp_path: Path
) -> None:
    from perfeval_desktop.storage import autosave
    from perfeval_desktop.ui.dialogs import CloseAnswer
    from perfeval_desktop.ui.settings import add_recent, open_settings

    recent = tmp_path / "recent.pfe"
    shutil.copy(GD, recent)
    fresh = tmp_path / f"{pfe.temp_prefix(recent)}abcd1234.tmp"  # seconds old: still removed
    fresh.write_text("half a save", "utf-8")
    stray = autosave.recovery_dir() / ".file-0123.pfe.zz.tmp"
    stray.write_text("half a save", "utf-8")
    add_recent(open_settings(), recent)
    window = _empty_window(qtbot, dialogs)
    window.open_later(path := tmp_path / "other.pfe")
    shutil.copy(GD, path)
    qtbot.waitUntil(lambda: window.has_report, timeout=5000)
    assert not fresh.exists() and not stray.exists()
    assert pfe.load(recent) == pfe.load(GD)
    dialogs.close_answer = CloseAnswer.DISCARD
