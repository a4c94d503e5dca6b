"""导出: the forms to write, the folder, and the 强制性 problems shown first; afterwards
the files written, with 打开文件 (the system's program for it, e.g. WPS) and 打开文件夹."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..scoring.findings import Finding, Level

FORMAT_LABELS = {"xlsx": "Excel 表格（.xlsx）", "docx": "Word 文档（.docx）", "pdf": "PDF（.pdf）"}


class ExportDialog(QDialog):
    def __init__(
        self,
        formats: list[str],
        folder: Path,
        findings: list[Finding],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出表格")
        self.resize(620, 360)
        layout = QVBoxLayout(self)
        errors = [f for f in findings if f.level is Level.ERROR]
        if errors:
            shown = "<br>".join(f"• {f.message}" for f in errors[:8])
            more = f"<br>……另有 {len(errors) - 8} 个" if len(errors) > 8 else ""
            warn = QLabel(
                f"<b style='color:#b3261e'>报告还有 {len(errors)} 个强制性问题</b>，"
                f"导出的表格可作草稿，正式上报前请改正：<br>{shown}{more}"
            )
            warn.setObjectName("exportErrors")
            warn.setWordWrap(True)
            layout.addWidget(warn)
        self.checks: dict[str, QCheckBox] = {}
        for fmt in formats:
            box = QCheckBox(FORMAT_LABELS.get(fmt, fmt))
            box.setChecked(fmt != "pdf")  # PDF takes a while (LibreOffice): on request
            box.setObjectName(f"format_{fmt}")
            self.checks[fmt] = box
            layout.addWidget(box)
        row = QHBoxLayout()
        self.folder = QLineEdit(str(folder))
        browse = QPushButton("选择文件夹…")
        browse.clicked.connect(self._browse)
        row.addWidget(QLabel("保存到"))
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        layout.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择导出文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def choice(self) -> tuple[Path, list[str]]:
        return Path(self.folder.text()), [f for f, box in self.checks.items() if box.isChecked()]


class ExportDoneDialog(QDialog):
    """导出完成: the files written; 打开文件 opens the chosen one with the program the system
    has for it (WPS, Word, Excel, a PDF reader), 打开文件夹 the folder they are in."""

    def __init__(self, written: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出完成")
        self.resize(620, 300)
        self.written = written
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"已导出 {len(written)} 个文件到“{written[0].parent}”："))
        self.files = QListWidget()
        self.files.setObjectName("exportedFiles")
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for path in written:
            item = QListWidgetItem(path.name)
            item.setToolTip(str(path))
            self.files.addItem(item)
        self.files.setCurrentRow(0)
        self.files.itemActivated.connect(lambda _item: self.open_file())
        layout.addWidget(self.files, 1)
        buttons = QDialogButtonBox()
        role = QDialogButtonBox.ButtonRole.ActionRole
        self.open_file_button = buttons.addButton("打开文件", role)
        self.open_file_button.setObjectName("openFile")
        self.open_file_button.setDefault(True)
        self.open_folder_button = buttons.addButton("打开文件夹", role)
        self.open_folder_button.setObjectName("openFolder")
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("closeDone")
        self.open_file_button.clicked.connect(self.open_file)
        self.open_folder_button.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> Path:
        row = self.files.currentRow()
        return self.written[row if row >= 0 else 0]

    def open_file(self) -> bool:
        path = self.chosen()
        if _open(path):
            return True
        self.failed(f"无法打开文件“{path.name}”：系统中没有能打开 {path.suffix} 文件的程序。"
                    "请安装 WPS Office 或 Microsoft Office（PDF 可用任一 PDF 阅读器）后重试，"
                    "或点“打开文件夹”后手工打开。")
        return False

    def open_folder(self) -> bool:
        folder = self.written[0].parent
        if _open(folder):
            return True
        self.failed(f"无法打开文件夹“{folder}”，请在资源管理器中手工打开。")
        return False

    def failed(self, message: str) -> None:
        QMessageBox.warning(self, "导出完成", message)


def _open(path: Path) -> bool:
    """Open ``path`` with the system's program for it (a folder: the file manager)."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
