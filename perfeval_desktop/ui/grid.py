"""Excel keys for the item views (the indicator grid, 问题与整改, 评价人员).

Tab / Shift+Tab move across a row, Enter moves down (also after typing into a cell), the
arrows move between cells, typing or an input-method commit on a selected cell starts
editing with that text, F2 edits, Esc cancels.  :class:`GridCommands` adds 复制 (cells as
tab-separated text), 粘贴 (a block from Excel/WPS, rows added as needed, one undo step,
bad cells named by row and column), 清除内容 (Delete / Backspace, one undo step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QAction, QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLineEdit,
    QTableView,
    QTreeView,
    QWidget,
)

from ..errors import InputError
from ..workspace import Batch, Operation
from .bridge import WorkspaceBridge
from .tsv import parse_tsv, to_tsv

Index = QModelIndex | QPersistentModelIndex
_Action = QAbstractItemView.CursorAction
_Hint = QAbstractItemDelegate.EndEditHint
_EDITABLE = Qt.ItemFlag.ItemIsEditable


class GridModel(Protocol):
    """What a model offers the grid commands (both the tree and the flat tables)."""

    def column_title(self, column: int) -> str: ...

    def parse_cell(self, column: int, text: str, field: str) -> Any:
        """The value ``text`` stands for in ``column`` (InputError naming ``field``)."""

    def set_op(self, index: Index, value: Any) -> Operation | None:
        """The edit writing ``value`` into the cell, None when it holds it already."""

    def new_rows_ops(self, after: Index, rows: list[dict[int, Any]]) -> list[Operation]:
        """New rows after the row of ``after`` (invalid: at the end) holding ``rows``."""

    def new_row_editable(self, column: int) -> bool: ...


class GridView:
    """Mixed into a QTreeView / QTableView (before it): the Excel keys."""

    def _view(self) -> QAbstractItemView:
        assert isinstance(self, QAbstractItemView)
        return self

    def neighbour(self, index: QModelIndex, rows: int, columns: int) -> QModelIndex:
        """The cell ``rows`` down and ``columns`` across (the tree: the next shown row)."""
        view = self._view()
        model = view.model()
        if not index.isValid():
            return QModelIndex()
        result = index
        for _ in range(abs(rows)):
            if isinstance(view, QTreeView):
                result = view.indexBelow(result) if rows > 0 else view.indexAbove(result)
            else:
                result = self._row_step(view, result, 1 if rows > 0 else -1)
            if not result.isValid():
                return QModelIndex()
        column = result.column() + columns
        if not 0 <= column < model.columnCount(result.parent()):
            return QModelIndex()
        return result.siblingAtColumn(column)

    @staticmethod
    def _row_step(view: QAbstractItemView, index: QModelIndex, step: int) -> QModelIndex:
        """The cell a row up or down in a table, past the rows of a merged cell."""
        assert isinstance(view, QTableView)
        row, column = index.row(), index.column()
        if view.rowSpan(row, column) == 1 and view.rowSpan(row + step, column) == 1:
            return index.sibling(row + step, column)

        def rect(r: int) -> QRect:
            return view.visualRect(index.sibling(r, column))

        count, here, target = view.model().rowCount(), rect(row), row + step
        while 0 <= target < count and rect(target) == here:  # out of its own merged cell
            target += step
        if step < 0 and target >= 0:  # to the top of the merged cell above
            there = rect(target)
            while target > 0 and rect(target - 1) == there:
                target -= 1
        return index.sibling(target, column)

    def _across(self, index: QModelIndex, step: int, wrap: bool) -> QModelIndex:
        target = self.neighbour(index, 0, step)
        if target.isValid() or not wrap:
            return target if target.isValid() else index
        row = self.neighbour(index.siblingAtColumn(0), 1 if step > 0 else -1, 0)
        if not row.isValid():
            return index
        last = self._view().model().columnCount(row.parent()) - 1
        return row.siblingAtColumn(0 if step > 0 else last)

    def moveCursor(self, action: _Action, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        current = self._view().currentIndex()
        if current.isValid():
            if action in (_Action.MoveNext, _Action.MovePrevious):
                return self._across(current, 1 if action == _Action.MoveNext else -1, True)
            if action in (_Action.MoveRight, _Action.MoveLeft):
                return self._across(current, 1 if action == _Action.MoveRight else -1, False)
        return super().moveCursor(action, modifiers)  # type: ignore[misc,no-any-return]

    def _go(self, index: QModelIndex) -> None:
        if index.isValid():
            view = self._view()
            view.setCurrentIndex(index)
            view.scrollTo(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        view = self._view()
        current = view.currentIndex()
        editing = view.state() == QAbstractItemView.State.EditingState
        if not editing and current.isValid():
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                step = -1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
                self._go(self.neighbour(current, step, 0))
                return
            plain = not event.modifiers() & ~(
                Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
            )
            if plain and event.text().isprintable() and event.text():
                # typing starts editing with that key (also + - * that a tree would take
                # for expanding and collapsing)
                if current.flags() & _EDITABLE:
                    view.edit(current, QAbstractItemView.EditTrigger.AnyKeyPressed, event)
                return
        super().keyPressEvent(event)  # type: ignore[misc]

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        """A pinyin commit on a selected cell opens its editor with that text in it."""
        view = self._view()
        current = view.currentIndex()
        if (
            view.state() != QAbstractItemView.State.EditingState
            and current.isValid()
            and current.flags() & _EDITABLE
            and (event.commitString() or event.preeditString())
        ):
            view.edit(current)
            editor = view.indexWidget(current)
            if editor is not None:
                target = editor.focusProxy() or editor
                if isinstance(target, QLineEdit):
                    target.selectAll()
                    target.del_()
                QGuiApplication.sendEvent(target, event)
                return
        super().inputMethodEvent(event)  # type: ignore[misc]

    def closeEditor(self, editor: QWidget, hint: _Hint) -> None:
        """Tab / Enter in an editor: commit and move right / down, not into another editor."""
        view = self._view()
        current = view.currentIndex()
        if hint in (_Hint.EditNextItem, _Hint.EditPreviousItem):
            super().closeEditor(editor, _Hint.NoHint)  # type: ignore[misc]
            self._go(self._across(current, 1 if hint == _Hint.EditNextItem else -1, True))
            return
        super().closeEditor(editor, hint)  # type: ignore[misc]
        if hint == _Hint.SubmitModelCache and current.isValid():
            self._go(self.neighbour(current, 1, 0))


class GridTreeView(GridView, QTreeView):
    pass


class GridTableView(GridView, QTableView):
    pass


def setup_grid(view: QAbstractItemView) -> None:
    """Cells selected one by one (or as a block), keys as in Excel."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setTabKeyNavigation(True)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)


class GridCommands(QObject):
    """复制 / 粘贴 / 清除内容 on a grid, each edit one undo step through the workspace."""

    def __init__(
        self,
        view: GridTreeView | GridTableView,
        bridge: WorkspaceBridge,
        message: Callable[[str], None],
    ) -> None:
        super().__init__(view)
        self.view = view
        self.bridge = bridge
        self.message = message
        self.actions: dict[str, QAction] = {}
        #: a whole table pasted on an empty 指标评分 grid (ui/paste_table.py): True when taken
        self.paste_table: Callable[[list[list[str]]], bool] | None = None
        for name, text, keys, slot in (
            ("copy", "复制", [QKeySequence.StandardKey.Copy], self.copy),
            ("paste", "粘贴", [QKeySequence.StandardKey.Paste], self.paste),
            ("clear", "清除内容", ["Del", "Backspace"], self.clear),
        ):
            action = QAction(text, view)
            action.setObjectName(f"grid_{name}")
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            view.addAction(action)
            self.actions[name] = action

    @property
    def model(self) -> GridModel:
        return self.view.model()  # type: ignore[return-value]

    def _block(self) -> tuple[list[QModelIndex], list[int]]:
        """The selected cells' rows (in the order shown) and columns."""
        view = self.view
        cells = view.selectionModel().selectedIndexes() or [view.currentIndex()]
        cells = [c for c in cells if c.isValid()]
        rows: dict[tuple[int, int], QModelIndex] = {}
        for cell in cells:
            if isinstance(view, QTreeView):
                key = (view.visualRect(cell.siblingAtColumn(0)).top(), cell.internalId())
            else:
                key = (cell.row(), 0)
            rows.setdefault(key, cell.siblingAtColumn(0))
        columns = sorted({c.column() for c in cells})
        return [rows[k] for k in sorted(rows)], columns

    def copy(self) -> None:
        rows, columns = self._block()
        table = [[str(r.siblingAtColumn(c).data() or "") for c in columns] for r in rows]
        if table:
            QGuiApplication.clipboard().setText(to_tsv(table))

    def clear(self) -> None:
        ops: list[Operation] = []
        for cell in self.view.selectionModel().selectedIndexes():
            if not cell.flags() & _EDITABLE:
                continue
            try:
                value = self.model.parse_cell(cell.column(), "", "")
            except InputError:
                continue  # a cell that cannot be empty (计分方法) keeps its value
            op = self.model.set_op(cell, value)
            if op is not None:
                ops.append(op)
        if ops:
            self.bridge.execute(Batch(ops, f"清除{len(ops)}个单元格"))

    def paste(self) -> None:
        block = parse_tsv(QGuiApplication.clipboard().text())
        if not block or (self.paste_table is not None and self.paste_table(block)):
            return
        start = self._start()
        ops, errors = self._paste_ops(block, start)
        if ops:
            self.bridge.execute(Batch(ops, f"粘贴{len(block)}行"))
        self._report(errors)
        if start.isValid():
            self.view.setCurrentIndex(start)

    def _start(self) -> QModelIndex:
        rows, columns = self._block()
        if not rows:
            return QModelIndex()
        return rows[0].siblingAtColumn(columns[0])

    def _paste_ops(
        self, block: list[list[str]], start: QModelIndex
    ) -> tuple[list[Operation], list[str]]:
        ops: list[Operation] = []
        errors: list[str] = []
        new_rows: list[dict[int, Any]] = []
        row, last = start, QModelIndex()
        first_column = max(start.column(), 0)
        for r, cells in enumerate(block, 1):
            values = self._parse_row(cells, first_column, r, row, errors)
            if row.isValid():
                for column, value in values.items():
                    op = self.model.set_op(row.siblingAtColumn(column), value)
                    if op is not None:
                        ops.append(op)
                last = row
                row = self._below(row)  # within its group
            else:
                new_rows.append(values)
        if new_rows:
            ops.extend(self.model.new_rows_ops(last, new_rows))
        return ops, errors

    def _below(self, row: QModelIndex) -> QModelIndex:
        below = getattr(self.model, "row_below", None)
        if below is not None:
            return below(row)  # type: ignore[no-any-return]
        return row.sibling(row.row() + 1, row.column())

    def _parse_row(
        self, cells: list[str], first: int, r: int, row: QModelIndex, errors: list[str]
    ) -> dict[int, Any]:
        model = self.model
        values: dict[int, Any] = {}
        for c, text in enumerate(cells, 1):
            column = first + c - 1
            if column >= self.view.model().columnCount(row.parent()):
                if text.strip():
                    errors.append(f"粘贴内容第{r}行第{c}列超出表格，未粘贴")
                continue
            title = model.column_title(column)
            where = f"粘贴内容第{r}行第{c}列（{title}）"
            editable = (
                bool(row.siblingAtColumn(column).flags() & _EDITABLE)
                if row.isValid()
                else model.new_row_editable(column)
            )
            if not editable:
                if text.strip():
                    errors.append(f"{where}由程序计算，不能填写，未粘贴")
                continue
            try:
                values[column] = model.parse_cell(column, text, title)
            except InputError as exc:
                if text.strip():  # an empty cell where empty is no value: left as it is
                    errors.append(f"{where}：{exc.message}")
        return values

    def _report(self, errors: list[str]) -> None:
        if not errors:
            self.message("")
            return
        shown = errors[:5]
        more = f"\n……另有{len(errors) - 5}处" if len(errors) > 5 else ""
        self.message(
            f"有{len(errors)}个单元格没有粘贴，其余已粘贴：\n" + "\n".join(shown) + more
        )
