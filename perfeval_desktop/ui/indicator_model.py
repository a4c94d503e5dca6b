"""The indicator table as the printed form's grid: a Qt table model over the workspace's
report (not a copy).

One row per 三级 indicator (:mod:`indicator_rows`), the 一级 / 二级 cells spanned down over
their groups by the view, columns as the form has them (:mod:`indicator_cells`).  Edits go
through the bridge as operations.  What a repaint asks is answered from a per-cell cache
(all paint roles in one ``multiData`` call); an edit clears and announces only the cells
it touched: a keystroke in a leaf, its row; a changed score, its 分值 and 得分 cells; a
rename of a group, its name cell.  A structural edit (rows added, removed, moved) lays the
rows out again (a model reset; the tab keeps the current cell by node id).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ..errors import InputError
from ..model.report import IndicatorNode
from ..scoring.findings import Finding, Level
from ..workspace import (
    Change,
    InsertNodes,
    Operation,
    SetMethod,
    SetNodeField,
    StructureEdit,
    Workspace,
    method_of_kind,
    node_for_path,
)
from . import indicator_cells as cells
from .bridge import WorkspaceBridge
from .indicator_cells import (
    ATTR_COLUMN,
    COL_ACTUAL,
    COL_L1,
    COL_L2,
    COL_L3,
    COL_METHOD,
    COL_NAME,
    COL_NATURE,
    COL_REASON,
    COL_SCORE,
    COL_TARGET,
    COL_UNIT,
    COL_WEIGHT,
    COLUMNS,
    NAME_COLUMNS,
)
from .indicator_rows import Layout, lay_out
from .paste_rows import place_new_rows

Index = QModelIndex | QPersistentModelIndex

__all__ = [
    "COLUMNS",
    "COL_ACTUAL",
    "COL_L1",
    "COL_L2",
    "COL_L3",
    "COL_METHOD",
    "COL_NAME",
    "COL_NATURE",
    "COL_REASON",
    "COL_SCORE",
    "COL_TARGET",
    "COL_UNIT",
    "COL_WEIGHT",
    "Index",
    "IndicatorModel",
]

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_ERROR_BG = QBrush(QColor("#fdecea"))
_VERIFY_BG = QBrush(QColor("#fff4d6"))
_GROUP_BG = (QBrush(QColor("#eef3fb")), QBrush(QColor("#f5f8fc")))
_COMPUTED_FG = QBrush(QColor("#1a5fb4"))
_READ_FG = QBrush(QColor("#5f6368"))  # 性质 / 单位 read from the typed 年度指标值
_BOLD = QFont()
_BOLD.setBold(True)
_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole,
)
_SLOTS = {int(role.value): i for i, role in enumerate(_ROLES)}
_FLAG_SLOT = len(_ROLES)
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _SELECTABLE | Qt.ItemFlag.ItemIsEditable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_ALIGN = {COL_WEIGHT: _RIGHT, COL_SCORE: _RIGHT, COL_NATURE: _CENTER, COL_UNIT: _CENTER}
_SCORE_COLUMNS = (COL_WEIGHT, COL_SCORE)
_NCOL = len(COLUMNS)


class IndicatorModel(QAbstractTableModel):
    inputRefused = Signal(str)

    def __init__(self, bridge: WorkspaceBridge, parent: Any = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.layout: Layout = lay_out(bridge.ws.report.indicators)
        self._cells: dict[tuple[int, int], tuple[Any, ...]] = {}
        self._findings: dict[tuple[str, int], list[Finding]] = {}
        self._map_findings()
        bridge.restructured.connect(self._restructured)
        bridge.changed.connect(self._changed)

    @property
    def ws(self) -> Workspace:
        return self.bridge.ws

    # --- which node a cell belongs to ------------------------------------------------------

    def _cell_node_id(self, row: int, col: int) -> str | None:
        layout = self.layout
        if not 0 <= row < len(layout.ends):
            return None
        if col in NAME_COLUMNS:
            return layout.names[row][col - COL_L1]
        return layout.ends[row]

    def node_id(self, index: Index) -> str | None:
        if not index.isValid():
            return None
        return self._cell_node_id(index.row(), index.column())

    def node(self, index: Index) -> IndicatorNode | None:
        node_id = self.node_id(index)
        return self.layout.nodes.get(node_id) if node_id else None

    def level(self, index: Index) -> int:
        node_id = self.node_id(index)
        return self.layout.level.get(node_id, 0) if node_id else 0

    def name_column(self, node_id: str) -> int:
        return COL_L1 + self.layout.level.get(node_id, 1) - 1

    def index_of(self, node_id: str | None, column: int = COL_NAME) -> QModelIndex:
        """The node's cell in ``column``: a name column means its own level's name cell (a
        group's: the first row of its span); a figure of a group: its first row's."""
        row = self.layout.row_of(node_id) if node_id else None
        if row is None or node_id is None:
            return QModelIndex()
        if column in NAME_COLUMNS:
            column = self.name_column(node_id)
        return self.index(row, column)

    def group_spans(self) -> list[tuple[int, int, int]]:
        """(first row, column, row count) of each 一级 / 二级 cell merged over several rows."""
        out = []
        for node_id, (first, last) in self.layout.spans.items():
            col = self.name_column(node_id)
            if col in (COL_L1, COL_L2) and last > first:
                out.append((first, col, last - first + 1))
        return out

    # --- QAbstractItemModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.layout.ends)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else _NCOL

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < _NCOL else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return cells.HEADERS[section] if 0 <= section < _NCOL else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        key = (index.row(), index.column())
        cell = self._cells.get(key) or (self._cell(*key) if index.isValid() else None)
        if cell is None:
            return _NO_FLAGS
        return cell[_FLAG_SLOT]  # type: ignore[no-any-return]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        slot = _SLOTS.get(role)
        if slot is not None:
            cell = self._cell(index.row(), index.column())
            return None if cell is None else cell[slot]
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.EditRole:
            if index.column() in NAME_COLUMNS:
                return node.name
            return cells.edit_value(node, index.column(), self.ws.sheet)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, index.column())
        return None

    def multiData(self, index: Index, span: Any) -> None:
        """All the roles a delegate paints a cell with, in one call from C++."""
        row, col = index.row(), index.column()
        cell = self._cells.get((row, col)) or self._cell(row, col)
        slots = _SLOTS
        for role_data in span:
            # a delegate asks the paint roles (also check state and icon: none here)
            slot = slots.get(role_data.role())
            value = cell[slot] if slot is not None and cell is not None else None
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    # --- the per-cell cache -----------------------------------------------------------------

    def _cell(self, row: int, col: int) -> tuple[Any, ...] | None:
        cell = self._cells.get((row, col))
        if cell is None:
            node_id = self._cell_node_id(row, col)
            if not 0 <= col < _NCOL or (node_id is None and col not in NAME_COLUMNS):
                return None
            cell = self._paint(row, col, node_id)
            self._cells[(row, col)] = cell
        return cell

    def _paint(self, row: int, col: int, node_id: str | None) -> tuple[Any, ...]:
        """(text, alignment, background, foreground, font, flags) of a cell."""
        if node_id is None:  # a row ending above this level: an empty, inert cell
            return ("", None, None, None, None, _SELECTABLE)
        node = self.layout.nodes[node_id]
        level = self._finding_level(node_id, col)
        background = _ERROR_BG if level is Level.ERROR else _VERIFY_BG if level else None
        if col in NAME_COLUMNS:
            first = self.layout.spans[node_id][0] == row
            if col != COL_L3 and background is None:
                background = _GROUP_BG[col - COL_L1]
            font = _BOLD if col == COL_L1 else None
            return (node.name if first else "", None, background, None, font, _EDITABLE)
        text = cells.display(node, col, self.ws.sheet)
        foreground = None
        if col == COL_SCORE and not cells.editable(node, col):
            foreground = _COMPUTED_FG
        elif col in (COL_NATURE, COL_UNIT) and not cells.editable(node, col):
            foreground = _READ_FG
        elif col == COL_UNIT and not node.unit:
            foreground = _READ_FG
        flags = _EDITABLE if cells.editable(node, col) else _SELECTABLE
        return (text, _ALIGN.get(col), background, foreground, None, flags)

    def _tooltip(self, node: IndicatorNode, col: int) -> str | None:
        column = self.name_column(node.id) if col in NAME_COLUMNS else col
        lines = [f.message for f in self._findings.get((node.id, column), [])]
        if col in NAME_COLUMNS:
            lines.insert(0, node.name)
        elif col in cells.TEXT_ATTR and getattr(node, cells.TEXT_ATTR[col]):
            lines.insert(0, str(getattr(node, cells.TEXT_ATTR[col])))
        ns = self.ws.sheet.nodes.get(node.id)
        if col == COL_SCORE and ns is not None and ns.leaf is not None:
            if ns.leaf.arithmetic:
                lines.append("计算：" + ns.leaf.arithmetic)
            if ns.leaf.missing:
                lines.append(f"尚缺：{ns.leaf.missing}")
        if col in (COL_NATURE, COL_UNIT) and not node.unit and cells.typed_sign(node):
            lines.append("按“年度指标值”中填写的符号和单位读取")
        return "\n".join(lines) or None

    def _finding_level(self, node_id: str, col: int) -> Level | None:
        levels = [f.level for f in self._findings.get((node_id, col), [])]
        if Level.ERROR in levels:
            return Level.ERROR
        return Level.VERIFY if Level.VERIFY in levels else None

    # --- editing ---------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        node = self.node(index)
        assert node is not None
        col = index.column()
        what = COLUMNS[col] if col not in NAME_COLUMNS else "名称"
        try:
            parsed = self.parse_cell(col, str(value), f"{node.name or '指标'}的{what}")
        except InputError as exc:
            self.inputRefused.emit(exc.message)
            return False
        self.inputRefused.emit("")
        op = self.set_op(index, parsed)
        return op is None or self.bridge.execute(op) is not None

    # --- the grid commands (paste, clear): see grid.GridModel ---------------------------

    def column_title(self, column: int) -> str:
        return COLUMNS[column]

    def parse_cell(self, column: int, text: str, field: str) -> Any:
        return cells.parse_cell(column, text, field)

    def set_op(self, index: Index, value: Any) -> Operation | None:
        node = self.node(index)
        col = index.column()
        if node is None or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return None
        if col in NAME_COLUMNS:
            if not str(value).strip() and self.layout.spans[node.id][0] != index.row():
                return None  # a blank under a merged cell (as Excel copies it): no rename
            return None if value == node.name else SetNodeField(node.id, "name", value)
        if col == COL_TARGET:
            return cells.target_op(node, value)
        if col == COL_NATURE:
            return cells.nature_op(node, value)
        if col in cells.TEXT_ATTR or col == COL_UNIT:
            attr = cells.TEXT_ATTR.get(col, "unit")
            return None if value == getattr(node, attr) else SetNodeField(node.id, attr, value)
        if col == COL_METHOD:
            if value == node.method.kind:
                return None
            return SetMethod(node.id, method_of_kind(str(value), node.method))
        attr = "weight" if col == COL_WEIGHT else "method.score"
        current = node.weight if col == COL_WEIGHT else getattr(node.method, "score", None)
        return None if value == current else SetNodeField(node.id, attr, value)

    def new_row_editable(self, column: int) -> bool:
        return True  # 一级 / 二级 of a new row: its group (paste_rows.py)

    def row_below(self, index: Index) -> QModelIndex:
        """The next row of the same group (a paste goes on there, else adds rows)."""
        below = self.layout.next_in_group(index.row()) if index.isValid() else None
        return QModelIndex() if below is None else self.index(below, index.column())

    def new_rows_ops(self, after: Index, rows: list[dict[int, Any]]) -> list[Operation]:
        node_id = self.layout.ends[after.row()] if after.isValid() else None
        if node_id is not None:
            placed = place_new_rows(
                self.ws.report.indicators, self.layout, node_id, rows, cells.new_node
            )
            if placed is not None:
                return placed
        parent = self.layout.parent.get(node_id) if node_id else None
        siblings = self.layout.nodes[parent].children if parent else self.ws.report.indicators
        first = next(i for i, n in enumerate(siblings) if n.id == node_id) + 1 if node_id else 0
        if node_id is None:
            first = len(siblings)
        return [InsertNodes(parent, first, [cells.new_node(values) for values in rows])]

    # --- following the workspace ------------------------------------------------------------

    def _restructured(self, edit: StructureEdit) -> None:
        if edit.container == "indicators":
            self._relayout()

    def _relayout(self) -> None:
        self.beginResetModel()
        self.layout = lay_out(self.ws.report.indicators)
        self._cells.clear()
        self.endResetModel()

    def _map_findings(self) -> set[tuple[str, int]]:
        """Findings by (node id, column); returns the cells whose findings changed."""
        old = self._findings
        new: dict[tuple[str, int], list[Finding]] = {}
        report = self.ws.report
        for finding in self.ws.findings:
            if not finding.path.startswith("indicators["):
                continue
            node, rest = node_for_path(report, finding.path)
            if node is None:
                continue
            attr = rest.split(".", 1)[0]
            col = ATTR_COLUMN.get(attr) if node.is_leaf else None
            if col is None:
                col = self.name_column(node.id)
            new.setdefault((node.id, col), []).append(finding)
        self._findings = new
        return {k for k in set(old) | set(new) if old.get(k) != new.get(k)}

    def _changed(self, change: Change) -> None:
        if change.reload:
            self._relayout()
            self._map_findings()
            return
        touched: set[tuple[str, int | None]] = {(n, None) for n in change.nodes}
        touched |= {(n, -1) for n in change.scores if n not in change.nodes}
        if change.findings or (change.edits and not self.ws.validation_pending):
            touched |= set(self._map_findings())
        for node_id, col in touched:
            self._announce(node_id, col)

    def _announce(self, node_id: str, col: int | None) -> None:
        """Clear and announce the cells an edit touched: ``col`` None, all the node's cells;
        -1, its score cells; else that one."""
        span = self.layout.spans.get(node_id)
        if span is None:
            return
        first, last = span
        own = self.name_column(node_id)
        if first != last or self.layout.ends[first] != node_id:  # a group: its name cell
            if col == -1:
                return
            columns: tuple[int, ...] = (own,)
        elif col is None:
            columns = (own, *range(COL_L3 + 1, _NCOL))
        elif col == -1:
            columns = _SCORE_COLUMNS
        else:
            columns = (col,)
        for c in columns:
            for r in range(first, last + 1):
                self._cells.pop((r, c), None)
        lo, hi = min(columns), max(columns)
        self.dataChanged.emit(self.index(first, lo), self.index(last, hi))
