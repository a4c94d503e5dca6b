"""The indicator tree as a Qt item model over the workspace's report (not a copy).

Rows are indicator nodes, addressed by their stable ids (``internalId`` is a small integer
key per id).  Edits go through the workspace; the model follows the workspace's
:class:`Change`: ``dataChanged`` only for the rows whose own fields, score or findings
changed (a leaf and its ancestors on a keystroke), proper insert/remove/move signals for
structural edits, never a reset except when a whole new report is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ..errors import InputError
from ..model.numbers import parse_number
from ..model.report import (
    METHOD_LABELS,
    IndicatorNode,
    ManualMethod,
    QualitativeMethod,
)
from ..scoring.findings import Finding, Level
from ..scoring.rounding import percent, plain
from ..workspace import (
    Change,
    InsertNodes,
    Operation,
    SetMethod,
    SetNodeField,
    StructureEdit,
    method_of_kind,
    node_for_path,
)
from .bridge import WorkspaceBridge

Index = QModelIndex | QPersistentModelIndex

COLUMNS = [
    "指标名称",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "得分率",
    "计分方法",
    "偏差原因分析及改进措施",
]
COL_NAME, COL_TARGET, COL_ACTUAL, COL_WEIGHT, COL_SCORE, COL_RATE, COL_METHOD, COL_REASON = range(8)
_TEXT_ATTR = {
    COL_NAME: "name",
    COL_TARGET: "target_text",
    COL_ACTUAL: "actual_text",
    COL_REASON: "deviation_reason",
}
_ATTR_COLUMN = {
    "name": COL_NAME,
    "target_text": COL_TARGET,
    "actual_text": COL_ACTUAL,
    "weight": COL_WEIGHT,
    "method": COL_SCORE,
    "deviation_reason": COL_REASON,
    "unscored_reason": COL_METHOD,
    "children": COL_NAME,
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ERROR_BG = QBrush(QColor("#fdecea"))
_VERIFY_BG = QBrush(QColor("#fff4d6"))
_LEVEL1_BG = QBrush(QColor("#eef3fb"))
_COMPUTED_FG = QBrush(QColor("#1a5fb4"))
_BOLD = QFont()
_BOLD.setBold(True)
_PAINT_ROLES = tuple(
    int(r.value)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
    )
)
_PAINT_SLOTS = {role: i for i, role in enumerate(_PAINT_ROLES)}
_FLAGS = len(_PAINT_ROLES)  # the slot after the roles: True when the cell is editable
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _SELECTABLE | Qt.ItemFlag.ItemIsEditable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_COLUMN_COUNT = len(COLUMNS)
_OTHER_ROLES = frozenset(
    int(r.value) for r in (Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole)
)


_METHOD_KINDS = {label: kind for kind, label in METHOD_LABELS.items()}


def _new_node(values: dict[int, Any]) -> IndicatorNode:
    """A pasted row: its texts, 分值, 计分方法 and (手工/定性) 得分."""
    node = IndicatorNode(**{_TEXT_ATTR[c]: v for c, v in values.items() if c in _TEXT_ATTR})
    node.weight = values.get(COL_WEIGHT)
    typed = ManualMethod(score=values.get(COL_SCORE))
    node.method = method_of_kind(values.get(COL_METHOD, "manual"), typed)
    return node


def _scorable(node: IndicatorNode) -> bool:
    """A leaf that is scored (not an empty row kept on the printed form)."""
    return node.is_leaf and not (node.keep_empty and node.weight is None)


class IndicatorModel(QAbstractItemModel):
    inputRefused = Signal(str)

    def __init__(self, bridge: WorkspaceBridge, parent: Any = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._keys: dict[str, int] = {}
        self._ids: dict[int, str] = {}
        self._parent: dict[str, str | None] = {}
        self._row: dict[str, int] = {}
        self._level: dict[str, int] = {}
        self._findings: dict[str, list[tuple[int, Finding]]] = {}
        self._cells: dict[tuple[int, int], tuple[Any, ...]] = {}
        self._rebuild()
        self._map_findings()
        bridge.aboutToRestructure.connect(self._about_to_restructure)
        bridge.restructured.connect(self._restructured)
        bridge.changed.connect(self._changed)

    @property
    def ws(self) -> Any:
        return self.bridge.ws

    # --- the id ↔ index bookkeeping ------------------------------------------------------

    def _key(self, node_id: str) -> int:
        key = self._keys.get(node_id)
        if key is None:
            key = len(self._keys) + 1
            self._keys[node_id] = key
            self._ids[key] = node_id
        return key

    def _rebuild(self) -> None:
        self._cells.clear()
        self._parent.clear()
        self._row.clear()
        self._level.clear()
        self._nodes: dict[str, IndicatorNode] = {}
        # what the view asks while painting, answered from plain dicts: the keys of a
        # parent's children (0 for the top level) and each row's parent index
        self._child_keys: dict[int, list[int]] = {}
        self._parent_of_key: dict[int, QModelIndex] = {}
        self._flags: dict[tuple[int, int], Qt.ItemFlag] = {}

        def walk(items: list[IndicatorNode], parent: str | None, level: int, pkey: int) -> None:
            keys = self._child_keys[pkey] = []
            parent_index = QModelIndex()
            if parent is not None:
                parent_index = self.createIndex(self._row[parent], 0, pkey)
            for i, node in enumerate(items):
                key = self._key(node.id)
                keys.append(key)
                self._parent_of_key[key] = parent_index
                self._parent[node.id] = parent
                self._row[node.id] = i
                self._level[node.id] = level
                self._nodes[node.id] = node
                walk(node.children, node.id, level + 1, key)

        walk(self.ws.report.indicators, None, 1, 0)

    def _children(self, node_id: str | None) -> list[IndicatorNode]:
        if node_id is None:
            return self.ws.report.indicators  # type: ignore[no-any-return]
        return self._nodes[node_id].children

    def node_id(self, index: Index) -> str | None:
        if not index.isValid():
            return None
        return self._ids.get(index.internalId())

    def node(self, index: Index) -> IndicatorNode | None:
        node_id = self.node_id(index)
        return self._nodes.get(node_id) if node_id else None

    def level(self, index: Index) -> int:
        node_id = self.node_id(index)
        return self._level.get(node_id, 0) if node_id else 0

    def index_of(self, node_id: str | None, column: int = 0) -> QModelIndex:
        if node_id is None or node_id not in self._row:
            return QModelIndex()
        return self.createIndex(self._row[node_id], column, self._key(node_id))

    def _parent_index(self, node_id: str | None) -> QModelIndex:
        return self.index_of(node_id) if node_id is not None else QModelIndex()

    # --- QAbstractItemModel ---------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        # called for every painted cell: plain dict look-ups, no node objects
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            keys = self._child_keys.get(parent.internalId())
        else:
            keys = self._child_keys.get(0)
        if keys is None or not (0 <= row < len(keys) and 0 <= column < _COLUMN_COUNT):
            return QModelIndex()
        return self.createIndex(row, column, keys[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self._parent_of_key.get(index.internalId())
        return QModelIndex() if parent is None else parent

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        node_id = self.node_id(parent)
        if parent.isValid() and node_id is None:
            return 0
        return len(self._children(node_id))

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        key = (index.internalId(), index.column())
        flags = self._flags.get(key)
        if flags is None:
            cell = self._cell(index)
            if cell is None:
                return _NO_FLAGS
            flags = self._flags[key] = _EDITABLE if cell[_FLAGS] is not None else _SELECTABLE
        return flags

    def _editable(self, index: Index) -> bool:
        node = self.node(index)
        return node is not None and self._editable_cell(node, index.column())

    def _editable_cell(self, node: IndicatorNode, col: int) -> bool:
        if col in _TEXT_ATTR:
            return col != COL_REASON or node.is_leaf
        if col == COL_WEIGHT:
            return True
        if col == COL_SCORE:
            return _scorable(node) and isinstance(node.method, ManualMethod | QualitativeMethod)
        if col == COL_METHOD:
            return _scorable(node)
        return False

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks every visible cell for five roles: those come from a per-cell
        # cache that _changed() clears for exactly the rows an edit touched.
        slot = _PAINT_SLOTS.get(role)
        if slot is not None:
            cell = self._cell(index)
            return cell[slot] if cell is not None else None
        if role not in _OTHER_ROLES:
            return None
        node = self.node(index)
        if node is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(node, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, col)
        return None

    def multiData(self, index: Index, span: Any) -> None:
        """What a delegate asks when it paints a cell: all roles in one call (one trip
        from C++ into Python instead of seven)."""
        cell = self._cells.get((index.internalId(), index.column())) or self._cell(index)
        if cell is None:
            for role_data in span:
                role_data.clearData()
            return
        slots = _PAINT_SLOTS
        for role_data in span:
            role = role_data.role()
            slot = slots.get(role)
            if slot is not None:
                value = cell[slot]
            elif role in _OTHER_ROLES:
                value = self.data(index, role)
            else:
                value = None
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def _cell(self, index: Index) -> tuple[Any, ...] | None:
        key = (index.internalId(), index.column())
        cell = self._cells.get(key)
        if cell is None:
            node = self.node(index)
            if node is None:
                return None
            col = index.column()
            cell = (
                *(self._role(node, col, r) for r in _PAINT_ROLES),
                True if self._editable_cell(node, col) else None,
            )
            self._cells[key] = cell
        return cell

    def _role(self, node: IndicatorNode, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in (COL_WEIGHT, COL_SCORE, COL_RATE) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            level = self._finding_level(node.id, col)
            if level is Level.ERROR:
                return _ERROR_BG
            if level is Level.VERIFY:
                return _VERIFY_BG
            if self._level.get(node.id) == 1:
                return _LEVEL1_BG
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col in (COL_SCORE, COL_RATE) and not self._editable_cell(node, col):
                return _COMPUTED_FG
            return None
        if role == Qt.ItemDataRole.FontRole and self._level.get(node.id) == 1:
            return _BOLD
        return None

    def _display(self, node: IndicatorNode, col: int) -> str:
        if col in _TEXT_ATTR:
            return str(getattr(node, _TEXT_ATTR[col]))
        ns = self.ws.sheet.nodes.get(node.id)
        if col == COL_METHOD:
            if node.is_leaf and not _scorable(node):
                return "（表中保留的空行）"
            return METHOD_LABELS[node.method.kind] if node.is_leaf else ""
        if ns is None:
            return ""
        if col == COL_WEIGHT:
            if node.is_leaf and node.weight is None:
                return "—" if node.method.kind == "not_applicable" else ""
            return plain(ns.weight)
        if col == COL_SCORE:
            if node.is_leaf and not ns.scored:
                return "—"
            return plain(ns.score)
        if col == COL_RATE:
            if node.is_leaf and not ns.scored:
                return "—"
            return percent(ns.rate)
        return ""

    def _edit_value(self, node: IndicatorNode, col: int) -> Any:
        if col in _TEXT_ATTR:
            return getattr(node, _TEXT_ATTR[col])
        if col == COL_WEIGHT:
            return plain(node.weight, 4)
        if col == COL_SCORE:
            return plain(getattr(node.method, "score", None), 4)
        if col == COL_METHOD:
            return node.method.kind
        return self._display(node, col)

    def _tooltip(self, node: IndicatorNode, col: int) -> str | None:
        lines = [f.message for c, f in self._findings.get(node.id, []) if c == col]
        if col in _TEXT_ATTR and getattr(node, _TEXT_ATTR[col]):
            lines.insert(0, str(getattr(node, _TEXT_ATTR[col])))
        ns = self.ws.sheet.nodes.get(node.id)
        if col in (COL_SCORE, COL_RATE) and ns is not None and ns.leaf is not None:
            if ns.leaf.arithmetic:
                lines.append("计算：" + ns.leaf.arithmetic)
            if ns.leaf.missing:
                lines.append(f"尚缺：{ns.leaf.missing}")
        if col == COL_WEIGHT and not node.is_leaf and node.weight is not None and ns is not None:
            if node.weight != ns.weight:
                lines.append(f"填写的分值 {plain(node.weight)}，下级合计 {plain(ns.weight)}")
        return "\n".join(lines) or None

    def _finding_level(self, node_id: str, col: int) -> Level | None:
        levels = [f.level for c, f in self._findings.get(node_id, []) if c == col]
        if Level.ERROR in levels:
            return Level.ERROR
        if Level.VERIFY in levels:
            return Level.VERIFY
        return None

    # --- editing ---------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._editable(index):
            return False
        node = self.node(index)
        assert node is not None
        col = index.column()
        try:
            parsed = self.parse_cell(col, str(value), f"{node.name or '指标'}的{COLUMNS[col]}")
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
        if column in _TEXT_ATTR:
            return text
        if column == COL_METHOD:
            kind = _METHOD_KINDS.get(text.strip(), text.strip())
            if kind not in METHOD_LABELS:
                names = "、".join(METHOD_LABELS.values())
                raise InputError(f"“{field}”应为以下之一：{names}。")
            return kind
        if column in (COL_WEIGHT, COL_SCORE):
            return parse_number(text, field, "score")
        raise InputError(f"“{field}”由程序计算，不能填写。")

    def set_op(self, index: Index, value: Any) -> Operation | None:
        node = self.node(index)
        col = index.column()
        if node is None or not self._editable_cell(node, col):
            return None
        if col in _TEXT_ATTR:
            if value == getattr(node, _TEXT_ATTR[col]):
                return None
            return SetNodeField(node.id, _TEXT_ATTR[col], value)
        if col == COL_METHOD:
            if value == node.method.kind:
                return None
            return SetMethod(node.id, method_of_kind(str(value), node.method))
        attr = "weight" if col == COL_WEIGHT else "method.score"
        current = node.weight if col == COL_WEIGHT else getattr(node.method, "score", None)
        return None if value == current else SetNodeField(node.id, attr, value)

    def new_row_editable(self, column: int) -> bool:
        return column in _TEXT_ATTR or column in (COL_WEIGHT, COL_SCORE, COL_METHOD)

    def new_rows_ops(self, after: Index, rows: list[dict[int, Any]]) -> list[Operation]:
        node_id = self.node_id(after)
        parent = self._parent.get(node_id) if node_id else None
        first = self._row[node_id] + 1 if node_id else len(self._children(None))
        return [InsertNodes(parent, first, [_new_node(values) for values in rows])]

    # --- following the workspace ------------------------------------------------------------

    def _about_to_restructure(self, edit: StructureEdit) -> None:
        if edit.container != "indicators":
            return
        parent = self._parent_index(edit.parent)
        if edit.kind == "insert":
            self.beginInsertRows(parent, edit.row, edit.last)
        elif edit.kind == "remove":
            self.beginRemoveRows(parent, edit.row, edit.last)
        else:
            dest = self._parent_index(edit.dest_parent)
            ok = self.beginMoveRows(parent, edit.row, edit.row, dest, edit.dest_row)
            assert ok, edit

    def _restructured(self, edit: StructureEdit) -> None:
        if edit.container != "indicators":
            return
        self._rebuild()
        if edit.kind == "insert":
            self.endInsertRows()
        elif edit.kind == "remove":
            self.endRemoveRows()
        else:
            self.endMoveRows()

    def _map_findings(self) -> set[str]:
        """Findings by node id and column; returns the ids whose findings changed."""
        old = self._findings
        new: dict[str, list[tuple[int, Finding]]] = {}
        report = self.ws.report
        for finding in self.ws.findings:
            if not finding.path.startswith("indicators["):
                continue
            node, rest = node_for_path(report, finding.path)
            if node is None:
                continue
            col = _ATTR_COLUMN.get(rest.split(".", 1)[0], COL_NAME)
            new.setdefault(node.id, []).append((col, finding))
        self._findings = new
        return {k for k in set(old) | set(new) if old.get(k) != new.get(k)}

    def _changed(self, change: Change) -> None:
        if change.reload:
            self.beginResetModel()
            self._rebuild()
            self.endResetModel()
            self._map_findings()
            return
        rows = set(change.nodes) | set(change.scores)
        # findings are kept by node id: rows moving about leave them right until the
        # deferred checks announce theirs
        if change.findings or (change.edits and not self.ws.validation_pending):
            rows |= self._map_findings()
        last = len(COLUMNS) - 1
        for node_id in rows:
            if node_id in self._row:
                key = self._key(node_id)
                for col in range(len(COLUMNS)):
                    self._cells.pop((key, col), None)
                    self._flags.pop((key, col), None)
                self.dataChanged.emit(self.index_of(node_id, 0), self.index_of(node_id, last))
