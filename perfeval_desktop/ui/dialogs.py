"""Every modal dialog the main window opens, behind one object that tests replace."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from .. import APP_NAME

if TYPE_CHECKING:  # the window's shell imports this module before the model exists (and
    # the Qt classes are imported when a dialog is opened: less to do before the first frame)
    from PySide6.QtWidgets import QDialog, QWidget

    from ..scoring.findings import Finding
    from ..storage.autosave import Recovery
    from ..templates.loader import Template

FILE_FILTER = "绩效自评报告 (*.pfe)"


class CloseAnswer(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Dialogs:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def open_path(self, folder: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self.parent, "打开报告", folder, FILE_FILTER)
        return Path(path) if path else None

    def open_excel(self, folder: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self.parent, "导入 Excel", folder, "Excel 表格 (*.xlsx *.xlsm *.xls)"
        )
        return Path(path) if path else None

    def library_file(self, save: bool, folder: str) -> Path | None:
        """The one-file indicator library to export (``save``) or import."""
        from PySide6.QtWidgets import QFileDialog

        kinds = "指标库 (*.json)"
        if save:
            path, _ = QFileDialog.getSaveFileName(self.parent, "导出指标库",
                                                  str(Path(folder) / "指标库.json"), kinds)
        else:
            path, _ = QFileDialog.getOpenFileName(self.parent, "导入指标库", folder, kinds)
        return Path(path) if path else None

    def run_dialog(self, dialog: QDialog) -> bool:
        """A dialog of ours (导入 Excel, 指标库): True when the clerk accepts it."""
        from PySide6.QtWidgets import QDialog

        return dialog.exec() == QDialog.DialogCode.Accepted

    def save_path(self, suggested: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self.parent, "另存为", suggested, FILE_FILTER)
        if not path:
            return None
        target = Path(path)
        return target if target.suffix.lower() == ".pfe" else target.with_suffix(".pfe")

    def choose_template(self, templates: list[Template]) -> Template | None:
        from PySide6.QtWidgets import QDialog

        from .new_dialog import NewReportDialog

        dialog = NewReportDialog(templates, self.parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def export_choice(
        self, formats: list[str], folder: Path, findings: list[Finding]
    ) -> tuple[Path, list[str]] | None:
        from PySide6.QtWidgets import QDialog

        from .export_dialog import ExportDialog

        dialog = ExportDialog(formats, folder, findings, self.parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def export_done(self, written: list[Path]) -> None:
        """导出完成: the files, with 打开文件 and 打开文件夹."""
        from .export_dialog import ExportDoneDialog

        ExportDoneDialog(written, self.parent).exec()

    def ask_close(self, name: str) -> CloseAnswer:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            APP_NAME,
            f"“{name}”有尚未保存的修改。是否保存？",
            parent=self.parent,
        )
        save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return CloseAnswer.SAVE
        if clicked is discard:
            return CloseAnswer.DISCARD
        return CloseAnswer.CANCEL

    def ask_restore(self, recovery: Recovery) -> bool:
        """After a crash: restore the autosaved report (True) or delete it (False)?"""
        from PySide6.QtWidgets import QMessageBox

        where = (
            f"原文件：{recovery.original}" if recovery.original else "（新建的报告，尚未保存过）"
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_NAME,
            f"上次程序没有正常关闭。“{recovery.name}”有未保存的修改，"
            f"已于 {recovery.time_text} 自动保存。\n\n是否恢复这些修改？",
            parent=self.parent,
        )
        box.setInformativeText(
            f"{where}\n恢复后请检查内容，再用“保存”或“另存为”保存；原文件在保存前不会改动。"
            "\n选择“不恢复”将删除这份自动保存的内容。"
        )
        restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("不恢复", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore

    def show_preview(self, dialog: QDialog) -> None:
        dialog.exec()

    def error(self, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(self.parent, APP_NAME, text)

    def info(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self.parent, title, text)

    def about(self, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self.parent, f"关于 {APP_NAME}", text)
