"""开始: with no file given, the recent reports and the forms, the form used last first.
Nothing is created until the clerk picks one (Enter or a double-click)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..templates.loader import BrokenTemplate, Template
from .new_dialog import broken_item

LAST_TEMPLATE_KEY = "start/last_template"


def ordered_templates(templates: list[Template], last: str | None) -> list[Template]:
    """The forms with the one used last first (the others as listed)."""
    return sorted(templates, key=lambda t: t.manifest.id != last)


class StartPage(QWidget):
    openRequested = Signal(object)  # the Path of a recent report
    newRequested = Signal(object)  # the Template of a new report

    def __init__(
        self,
        recent: list[Path],
        templates: list[Template],
        last: str | None,
        parent: QWidget | None = None,
        *,
        broken: list[BrokenTemplate] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        self.forms = QListWidget()
        self.forms.setObjectName("startForms")
        self.forms.setWordWrap(True)
        self.forms.setSpacing(3)
        for template in ordered_templates(templates, last):
            m = template.manifest
            used = "（上次使用）" if m.id == last else ""
            item = QListWidgetItem(f"{m.name}{used}")
            item.setData(Qt.ItemDataRole.UserRole, template)
            item.setToolTip(m.description)
            self.forms.addItem(item)
        for bad in broken or []:  # listed with its error, not selectable (issue #13 §5)
            self.forms.addItem(broken_item(bad))
        self.recent = QListWidget()
        self.recent.setObjectName("startRecent")
        for path in recent:
            if path.exists():
                item = QListWidgetItem(f"{path.name}\n{path.parent}")
                item.setData(Qt.ItemDataRole.UserRole, path)
                item.setToolTip(str(path))
                self.recent.addItem(item)
        self.about = QLabel()  # what the selected form is, from its manifest
        self.about.setWordWrap(True)
        self.about.setStyleSheet("color:#5f6368;")
        self.forms.currentItemChanged.connect(
            lambda item, _old: self.about.setText(item.toolTip() if item else "")
        )
        self.forms.itemActivated.connect(
            lambda item: self.newRequested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.recent.itemActivated.connect(
            lambda item: self.openRequested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self._lay_out()

    def _lay_out(self) -> None:
        columns = QHBoxLayout()
        for title, hint, view in (
            ("新建报告", "选择财政部门要求的表式，按回车或双击开始填写：", self.forms),
            ("最近打开的报告", "按回车或双击打开（也可用 文件 → 打开）：", self.recent),
        ):
            box = QVBoxLayout()
            box.addWidget(QLabel(f"<b>{title}</b>"))
            box.addWidget(QLabel(hint))
            if view is self.recent and view.count() == 0:
                box.addWidget(QLabel("（还没有打开过报告）"))
            box.addWidget(view, 1)
            if view is self.forms:
                box.addWidget(self.about)
            columns.addLayout(box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addLayout(columns, 1)
        self.forms.setCurrentRow(0)
        self.forms.setFocus()
