"""指标评分: the indicator table as the printed form's grid, its editing tools, the side
panel (method details) and the summary bar."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QRect, Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHeaderView,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..model.report import METHOD_LABELS
from ..workspace import Change, RemoveNode
from .bridge import WorkspaceBridge
from .fields import RefusalMessage
from .grid import GridCommands, GridTableView, setup_grid
from .indicator_model import (
    COL_L1,
    COL_L2,
    COL_L3,
    COL_METHOD,
    COL_NAME,
    COLUMNS,
    Index,
    IndicatorModel,
)
from .leaf_panel import LeafPanel
from .paste_table import paste_indicator_table
from .registry import FieldRegistry
from .summary_bar import SummaryBar

# 一级 二级 三级 性质 年度指标值 单位 实际完成值 分值 得分 偏差原因 计分方法
_WIDTHS = [44, 62, 180, 38, 80, 42, 80, 38, 38, 80, 80]
NAME_MIN_WIDTH, NAME_MAX_WIDTH = 116, 420
_CELL_MARGINS = 8  # a cell's text margins, both sides together


class MethodDelegate(QStyledItemDelegate):
    """计分方法 cells are edited with a drop-down of METHOD_LABELS."""

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        if index.column() != COL_METHOD:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for kind, label in METHOD_LABELS.items():
            combo.addItem(label, kind)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox) and index.column() == COL_METHOD:
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox) and index.column() == COL_METHOD:
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class IndicatorTab(QWidget):
    def __init__(
        self,
        bridge: WorkspaceBridge,
        registry: FieldRegistry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.model = IndicatorModel(bridge, self)
        self.tree = GridTableView()  # (named so since it was a tree: the grid of the form)
        self.tree.setObjectName("indicatorTree")
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(MethodDelegate(self.tree))
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)  # a merged 一级 cell: its name in two lines
        self.tree.verticalHeader().setVisible(False)
        self.tree.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.tree.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        setup_grid(self.tree)
        header = self.tree.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        for col, width in enumerate(_WIDTHS):
            self.tree.setColumnWidth(col, width)
        header.sectionResized.connect(self._column_resized)
        self._names_width: int | None = None
        self._tall_rows: set[int] = set()  # rows made taller for a group's name
        self._keep: tuple[str | None, int] = (None, COL_NAME)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._after_reset)
        self._merge_groups()

        self.message = RefusalMessage("inputMessage")
        self.commands = GridCommands(self.tree, bridge, self.show_message)
        self.commands.paste_table = lambda block: paste_indicator_table(
            bridge, block, self.show_message
        )
        self.model.inputRefused.connect(self.show_message)
        bridge.inputRefused.connect(self.show_message)

        self.toolbar = QToolBar("指标")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, keys, slot in (
            ("sibling", "添加同级指标", "Ins", self.add_sibling),
            ("child", "添加下级指标", "Ctrl+Ins", self.add_child),
            ("delete", "删除指标", "Ctrl+-", self.delete),
            ("up", "上移", "Alt+Shift+Up", self.move_up),
            ("down", "下移", "Alt+Shift+Down", self.move_down),
            ("outdent", "升级", "Alt+Shift+Left", self.outdent),
            ("indent", "降级", "Alt+Shift+Right", self.indent),
        ):
            action = QAction(text, self)
            action.setObjectName(f"indicator_{name}")
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(
                f"{text}（{QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)}）"
            )
            action.triggered.connect(slot)
            self.toolbar.addAction(action)
            self.tree.addAction(action)
            self.actions_by_name[name] = action
        self.actions_by_name["delete"].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

        self.panel = LeafPanel(bridge)
        self.panel.setMinimumWidth(210)
        self.summary = SummaryBar(bridge, registry)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.toolbar)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.message)
        splitter = self.splitter = QSplitter()
        splitter.addWidget(left)
        side = self._side = QScrollArea()  # a short laptop screen scrolls the panel
        side.setObjectName("panelScroll")
        side.setWidgetResizable(True)
        side.setFrameShape(QFrame.Shape.NoFrame)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.setWidget(self.panel)
        side.setMinimumWidth(self.panel.minimumWidth() + 12)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        self._user_split = False
        splitter.splitterMoved.connect(self._split_by_hand)
        splitter.installEventFilter(self)
        self.tree.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)

        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        bridge.changed.connect(self._changed)
        self._update_actions()

    # --- helpers ---------------------------------------------------------------------------

    def fit_names(self, measure: bool = True) -> None:
        """Make the 三级指标 column as wide as its longest name as far as the grid leaves room
        for the columns beside it (the full name is also the cell's tooltip and heads the
        panel on the right)."""
        if measure or self._names_width is None:
            self._names_width = self._measure_names()
        others = sum(_WIDTHS) - _WIDTHS[COL_L3]  # (the last column stretches into the rest)
        room = self.tree.viewport().width() - others
        width = min(self._names_width, NAME_MAX_WIDTH, max(room, NAME_MIN_WIDTH))
        self.tree.setColumnWidth(COL_L3, max(width, NAME_MIN_WIDTH))

    def _measure_names(self) -> int:
        """The widest 三级 name (all rows, not only those shown), with the cell's margins."""
        metrics = self.tree.fontMetrics()
        layout = self.model.layout
        names = (layout.nodes[n].name for n in (row[2] for row in layout.names) if n)
        return max((metrics.horizontalAdvance(name) for name in names), default=0) + 16

    def _merge_groups(self) -> None:
        """一级 / 二级 cells merged down over their rows, as on the printed form."""
        self.tree.clearSpans()
        for row, column, rows in self.model.group_spans():
            self.tree.setSpan(row, column, rows, 1)
        self._fit_group_rows()

    def _fit_group_rows(self) -> None:
        """A 一级 / 二级 cell shows its whole name, wrapped in its column: where its rows are
        too short for it (a 满意度指标 of one row), its last row is made taller."""
        header = self.tree.verticalHeader()
        base = header.defaultSectionSize()
        extra: dict[int, int] = {}  # row → height added
        for level in (2, 1):  # a 一级 cell gains what its 二级 cells added already
            for node_id, first, last in self.model.layout.groups(level):
                needed = self._name_height(node_id, COL_L1 + level - 1)
                have = sum(base + extra.get(r, 0) for r in range(first, last + 1))
                if needed > have:
                    extra[last] = extra.get(last, 0) + needed - have
        for row in self._tall_rows - extra.keys():
            if row < self.model.rowCount():
                header.resizeSection(row, base)
        for row, more in extra.items():
            if header.sectionSize(row) != base + more:
                header.resizeSection(row, base + more)
        self._tall_rows = set(extra)

    def _name_height(self, node_id: str, column: int) -> int:
        """The height of a group's name wrapped in its column as the grid draws it."""
        font = QFont(self.tree.font())
        font.setBold(column == COL_L1)
        width = max(self.tree.columnWidth(column) - _CELL_MARGINS, 1)
        rect = QFontMetrics(font).boundingRect(
            QRect(0, 0, width, 10_000),
            int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter),
            self.model.layout.nodes[node_id].name,
        )
        return rect.height() + _CELL_MARGINS

    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        if column in (COL_L1, COL_L2):
            self._fit_group_rows()

    def _remember_current(self) -> None:
        current = self.tree.currentIndex()
        self._keep = (self.model.node_id(current), current.column())

    def _after_reset(self) -> None:
        self._merge_groups()
        node_id, column = self._keep
        index = self.model.index_of(node_id, column) if node_id else QModelIndex()
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if obj is self.tree.viewport():
                self.fit_names(measure=False)
            elif obj is self.splitter and not self._user_split:
                self._share_width()
        return False

    def _split_by_hand(self, *_args: object) -> None:
        self._user_split = True

    def _share_width(self) -> None:
        """The grid gets the width all its columns need (三级 as wide as its names, up to
        NAME_MAX_WIDTH) as far as there is room beside the panel at its narrowest; the
        panel takes what is left."""
        total = self.splitter.width() - self.splitter.handleWidth()
        side = self._side.minimumWidth()
        if self._names_width is None:
            self._names_width = self._measure_names()
        names = min(max(self._names_width, NAME_MIN_WIDTH), NAME_MAX_WIDTH)
        columns = sum(_WIDTHS) - _WIDTHS[COL_L3] + names
        chrome = 24 + 2 * self.tree.frameWidth()  # the vertical scroll bar and a margin
        method = 90  # room left over: the 计分方法 column (the last) spelled out first
        grid = max(min(columns + chrome + method, total - side), 0)
        self.splitter.setSizes([grid, total - grid])

    def show_message(self, text: str) -> None:
        self.message.show_message(text)

    def current_id(self) -> str | None:
        return self.model.node_id(self.tree.currentIndex())

    def select(self, node_id: str, column: int = COL_NAME) -> None:
        index = self.model.index_of(node_id, column)
        if not index.isValid():
            return
        self.tree.scrollTo(index)
        # the cell, as in a spreadsheet (a whole row selected would all be cleared by Delete)
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.tree.setFocus()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node_id = self.model.node_id(current)
        if node_id != self.panel.node_id or node_id is None:
            self.panel.show_node(node_id)
            self._update_actions()

    def _changed(self, change: Change) -> None:
        if change.edits or change.reload:
            self._update_actions()
        level = self.model.layout.level
        if any(level.get(node_id, 3) < 3 for node_id in change.nodes):  # a group renamed
            self._fit_group_rows()

    def _update_actions(self) -> None:
        if self.bridge.ws.read_only is not None:  # its template is broken (issue #13 §5)
            for action in self.actions_by_name.values():
                action.setEnabled(False)
            return
        node_id = self.current_id()
        flags = self.bridge.ws.can_move(node_id) if node_id else {}
        for name in ("up", "down", "indent", "outdent", "child"):
            self.actions_by_name[name].setEnabled(bool(flags.get(name)))
        self.actions_by_name["delete"].setEnabled(node_id is not None)

    def _after(self, node_id: str | None) -> None:
        if node_id is not None:
            self.select(node_id)
        self._update_actions()

    # --- the structural edits -----------------------------------------------------------------

    def add_sibling(self) -> None:
        current = self.current_id()
        op = self.bridge.ws.sibling_op(current)
        if self.bridge.execute(op) is not None:
            self._after(op.node.id)

    def add_child(self) -> None:
        current = self.current_id()
        op = self.bridge.ws.child_op(current) if current is not None else None
        if op is not None and self.bridge.execute(op) is not None:
            self._after(op.node.id)

    def delete(self) -> None:
        current = self.current_id()
        if current is None:
            return
        ws = self.bridge.ws
        loc = ws.locate(current)
        if self.bridge.execute(RemoveNode(current)) is None:
            return
        if loc.siblings:
            self._after(loc.siblings[min(loc.row, len(loc.siblings) - 1)].id)
        else:
            self._after(loc.parent.id if loc.parent else None)

    def _move(self, how: str) -> None:
        current = self.current_id()
        if current is None:
            return
        op = self.bridge.ws.move_op(current, how)
        if op is not None:
            self.bridge.execute(op)
        self._after(current)

    def move_up(self) -> None:
        self._move("up")

    def move_down(self) -> None:
        self._move("down")

    def indent(self) -> None:
        self._move("indent")

    def outdent(self) -> None:
        self._move("outdent")


__all__ = ["COLUMNS", "IndicatorTab"]
