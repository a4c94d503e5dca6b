"""A flat table of the report (问题, 评价人员) as a Qt model over the report's list."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ..workspace import Change, Container, InsertRows, Operation, SetField, StructureEdit
from .bridge import WorkspaceBridge

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    def __init__(
        self,
        bridge: WorkspaceBridge,
        container: Container,
        item_type: type[BaseModel],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.container = container
        self.item_type = item_type
        self.fields = [n for n in item_type.model_fields]
        self.titles = [str(item_type.model_fields[n].title or n) for n in self.fields]
        bridge.aboutToRestructure.connect(self._about)
        bridge.restructured.connect(self._done)
        bridge.changed.connect(self._changed)

    def rows(self) -> list[Any]:
        return getattr(self.bridge.ws.report, self.container)  # type: ignore[no-any-return]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.titles[section] if 0 <= section < len(self.titles) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows()):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return str(getattr(self.rows()[index.row()], self.fields[index.column()]))
        return None

    def path(self, row: int, column: int) -> str:
        return f"{self.container}[{row}].{self.fields[column]}"

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        op = self.set_op(index, str(value))
        return op is None or self.bridge.execute(op) is not None

    # --- the grid commands (paste, clear): see grid.GridModel ---------------------------

    def column_title(self, column: int) -> str:
        return self.titles[column]

    def parse_cell(self, column: int, text: str, field: str) -> Any:
        return text

    def set_op(self, index: Index, value: Any) -> Operation | None:
        if value == self.data(index):
            return None
        return SetField(self.path(index.row(), index.column()), value, self.titles[index.column()])

    def new_row_editable(self, column: int) -> bool:
        return True

    def new_rows_ops(self, after: Index, rows: list[dict[int, Any]]) -> list[Operation]:
        first = after.row() + 1 if after.isValid() else len(self.rows())
        items = [self.item_type(**{self.fields[c]: v for c, v in r.items()}) for r in rows]
        return [InsertRows(self.container, first, items)]

    def _about(self, edit: StructureEdit) -> None:
        if edit.container != self.container:
            return
        if edit.kind == "insert":
            self.beginInsertRows(QModelIndex(), edit.row, edit.last)
        elif edit.kind == "remove":
            self.beginRemoveRows(QModelIndex(), edit.row, edit.last)

    def _done(self, edit: StructureEdit) -> None:
        if edit.container != self.container:
            return
        if edit.kind == "insert":
            self.endInsertRows()
        elif edit.kind == "remove":
            self.endRemoveRows()

    def _changed(self, change: Change) -> None:
        if change.reload:
            self.beginResetModel()
            self.endResetModel()
            return
        prefix = f"{self.container}["
        for path in change.paths:
            if path.startswith(prefix):
                row = int(path[len(prefix) : path.index("]")])
                if row < len(self.rows()):
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.fields) - 1))
