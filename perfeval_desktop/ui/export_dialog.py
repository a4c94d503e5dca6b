"""导出: the forms to write, the folder, and the 强制性 problems shown first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
