"""新建: pick a form family; each is shown with the description from its manifest."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..templates.loader import BrokenTemplate, Template, broken_templates


def broken_item(bad: BrokenTemplate) -> QListWidgetItem:
    """A broken template in a list of forms: its folder and error, not selectable (#13 §5)."""
    item = QListWidgetItem(f"{bad.id}（模板有错误，不能使用）\n{bad.message}")
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    item.setToolTip(bad.message)
    return item


class NewReportDialog(QDialog):
    def __init__(self, templates: list[Template], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建报告 — 选择表式")
        self.resize(720, 420)
        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        for template in templates:
            m = template.manifest
            item = QListWidgetItem(f"{m.name}\n{m.description}")
            item.setData(Qt.ItemDataRole.UserRole, template)
            item.setToolTip(m.description)
            self.list.addItem(item)
        for bad in broken_templates():  # listed with its error, not selectable
            self.list.addItem(broken_item(bad))
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("请选择财政部门要求的表式（可在模板文件夹中增加新的表式）："))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def chosen(self) -> Template | None:
        item = self.list.currentItem()
        if item is None:
            return None
        template = item.data(Qt.ItemDataRole.UserRole)
        return template if isinstance(template, Template) else None
