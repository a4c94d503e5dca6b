"""A table tab (问题与整改, 评价人员): add and delete rows, edit cells, optional long text."""

from __future__ import annotations

from pydantic import BaseModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..workspace import Container, InsertRow, RemoveRow
from .bridge import WorkspaceBridge
from .fields import LongTextEdit, ReportField
from .registry import FieldRegistry
from .rows_model import RowsModel


class RowsTab(QWidget):
    def __init__(
        self,
        bridge: WorkspaceBridge,
        registry: FieldRegistry,
        container: Container,
        item_type: type[BaseModel],
        noun: str,
        hint: str = "",
        text_field: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.bridge = bridge
        self.container = container
        self.item_type = item_type
        self.model = RowsModel(bridge, container, item_type, self)
        self.table = QTableView()
        self.table.setObjectName(f"table.{container}")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        registry.register(container, self.table)
        self.add_button = QPushButton(f"添加{noun}")
        self.add_button.setObjectName("addRow")
        self.remove_button = QPushButton(f"删除选中的{noun}")
        self.remove_button.setObjectName("removeRow")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        if hint:
            label = QLabel(hint)
            label.setStyleSheet("color:#5f6368;")
            buttons.addWidget(label)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 2)
        if text_field is not None:
            path, title = text_field
            layout.addWidget(QLabel(f"<b>{title}</b>"))
            edit = LongTextEdit(ReportField(bridge, path, title))
            edit.setObjectName(path)
            registry.register(path, edit)
            layout.addWidget(edit, 1)

    def add_row(self) -> None:
        row = len(self.model.rows())
        self.bridge.execute(InsertRow(self.container, row, self.item_type()))
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_row(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.bridge.execute(RemoveRow(self.container, index.row()))
