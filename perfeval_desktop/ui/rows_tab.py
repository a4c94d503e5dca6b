"""A table tab (问题与整改, 评价人员): add and delete rows, edit cells, optional long text."""

from __future__ import annotations

from pydantic import BaseModel
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..workspace import Batch, Container, InsertRow, Operation, RemoveRow
from .bridge import WorkspaceBridge
from .fields import LongTextEdit, RefusalMessage, ReportField
from .grid import GridCommands, GridTableView, setup_grid
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
        self.noun = noun
        self.table = GridTableView()
        self.table.setObjectName(f"table.{container}")
        self.table.setModel(self.model)
        setup_grid(self.table)
        self.message = RefusalMessage("inputMessage")
        self.commands = GridCommands(self.table, bridge, self.message.show_message)
        self.remove_action = QAction(f"删除{noun}（整行）", self)
        self.remove_action.setObjectName("removeRowAction")
        self.remove_action.setShortcut(QKeySequence("Ctrl+-"))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_row)
        self.table.addAction(self.remove_action)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        registry.register(container, self.table)
        self.add_button = QPushButton(f"添加{noun}")
        self.add_button.setObjectName("addRow")
        self.remove_button = QPushButton(f"删除选中的{noun}（Ctrl+-）")
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
        layout.addWidget(self.message)
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
        """The rows of the selected cells (or of the current one), as one undo step."""
        cells = self.table.selectionModel().selectedIndexes() or [self.table.currentIndex()]
        rows = sorted({c.row() for c in cells if c.isValid()}, reverse=True)
        if not rows:
            return
        ops: list[Operation] = [RemoveRow(self.container, row) for row in rows]
        label = f"删除{len(rows)}行{self.noun}" if len(rows) > 1 else ops[0].label
        self.bridge.execute(Batch(ops, label))
        left = self.model.rowCount()
        if left:
            self.table.setCurrentIndex(self.model.index(min(rows[-1], left - 1), 0))
