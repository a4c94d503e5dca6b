"""导出完成: the files written, 打开文件 (the system's program, e.g. WPS) and 打开文件夹."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, FakeDialogs
from helpers import wait_task
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest

from perfeval_desktop.ui import export_dialog
from perfeval_desktop.ui.export_dialog import ExportDoneDialog


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """QDesktopServices.openUrl patched: what it was asked to open (it succeeds)."""
    urls: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return urls


@pytest.fixture
def written(tmp_path: Path) -> list[Path]:
    files = [tmp_path / "医疗救助补助资金-支出绩效自评总结报告.docx",
             tmp_path / "医疗救助补助资金-项目支出绩效自评表.xlsx"]
    for f in files:
        f.write_bytes(b"x")
    return files


def test_open_file_and_folder_by_click(qtbot: Any, opened: list[QUrl],
                                       written: list[Path]) -> None:
    dialog = ExportDoneDialog(written)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.open_file_button.text() == "打开文件"
    assert dialog.open_folder_button.text() == "打开文件夹"
    QTest.mouseClick(dialog.open_file_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(written[0]))]  # the first file is chosen
    QTest.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened[-1] == QUrl.fromLocalFile(str(written[0].parent))
    assert dialog.isVisible()  # stays open for the next file


def test_choose_another_file_by_keys(qtbot: Any, opened: list[QUrl],
                                     written: list[Path]) -> None:
    """↓ to the second file, Enter opens it (the list's activation)."""
    dialog = ExportDoneDialog(written)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.files.setFocus()
    QTest.keyClick(dialog.files, Qt.Key.Key_Down)
    QTest.keyClick(dialog.files, Qt.Key.Key_Return)
    assert opened[-1] == QUrl.fromLocalFile(str(written[1]))
    assert [dialog.files.item(i).text() for i in range(2)] == [p.name for p in written]


def test_no_program_for_the_file_is_explained(qtbot: Any, written: list[Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    said: list[str] = []
    dialog = ExportDoneDialog(written)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "failed", said.append)
    QTest.mouseClick(dialog.open_file_button, Qt.MouseButton.LeftButton)
    assert len(said) == 1 and written[0].name in said[0] and "WPS" in said[0]
    QTest.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert str(written[0].parent) in said[1]


def test_export_from_the_window_offers_the_files(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    window = make_window(GD)
    dialogs.export = (tmp_path, ["docx", "xlsx"])
    window.actions_by_name["export"].trigger()
    wait_task(qtbot, window)
    assert not dialogs.errors
    [files] = dialogs.exported
    assert sorted(f.suffix for f in files) == [".docx", ".xlsx"]
    assert all(f.parent == tmp_path and f.is_file() for f in files)


def test_the_real_dialogs_show_it(qtbot: Any, written: list[Path],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Dialogs.export_done opens ExportDoneDialog (exec patched: no modal loop)."""
    from perfeval_desktop.ui.dialogs import Dialogs

    shown: list[ExportDoneDialog] = []
    monkeypatch.setattr(export_dialog.ExportDoneDialog, "exec",
                        lambda self: shown.append(self) or 0)
    Dialogs(None).export_done(written)  # type: ignore[arg-type]
    assert len(shown) == 1 and shown[0].written == written
    shown[0].deleteLater()
