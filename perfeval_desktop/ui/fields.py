"""Editors bound to one field of the report: they write through the workspace and follow it.

An *access* says how to read and write the field and whether a :class:`Change` touched
it; the editors (single line, number, long text, date, choice) are the same for report
fields (``project.name``) and indicator fields (``method.target`` of a node id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QWidget,
)

from ..errors import InputError
from ..model.dates import chinese_date, parse_date
from ..model.numbers import Kind, parse_number
from ..scoring.rounding import amount, plain
from ..workspace import Change, SetField, SetNodeField, resolve
from .bridge import WorkspaceBridge
from .undo_keys import UndoKeysToWindow as UndoKeysToWindow  # where it was

_UNSET = object()


class ReportField:
    """A field of the report by path (``funding.total.executed``)."""

    def __init__(self, bridge: WorkspaceBridge, path: str, label: str = "") -> None:
        self.bridge = bridge
        self.path = path
        self.label = label or path

    def get(self) -> Any:
        try:
            slot = resolve(self.bridge.ws.report, self.path)
        except KeyError:
            return None
        return slot.get() if slot.exists() else None

    def set(self, value: Any, merge: bool) -> bool:
        return self.bridge.execute(SetField(self.path, value, self.label), merge=merge) is not None

    def touched(self, change: Change) -> bool:
        return change.touches(self.path)


class NodeField:
    """A field of one indicator (``weight``, ``method.target``) by the node's id."""

    def __init__(self, bridge: WorkspaceBridge, node_id: str, attr: str, label: str) -> None:
        self.bridge = bridge
        self.node_id = node_id
        self.attr = attr
        self.label = label

    def get(self) -> Any:
        try:
            return resolve(self.bridge.ws.node(self.node_id), self.attr).get()
        except KeyError:
            return None

    def set(self, value: Any, merge: bool) -> bool:
        op = SetNodeField(self.node_id, self.attr, value)
        return self.bridge.execute(op, merge=merge) is not None

    def touched(self, change: Change) -> bool:
        return change.reload or self.node_id in change.nodes


Access = ReportField | NodeField


def mark(widget: QWidget, level: str, tooltip: str) -> None:
    """Frame a widget red (error) / orange (verify) with the message as tooltip."""
    if widget.property("finding") == level and widget.toolTip() == tooltip:
        return
    widget.setProperty("finding", level)
    widget.setToolTip(tooltip)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


FINDING_STYLE = """
QLineEdit[finding="error"], QPlainTextEdit[finding="error"], QDateEdit[finding="error"],
QComboBox[finding="error"], QSpinBox[finding="error"] { border: 2px solid #d93025; }
QLineEdit[finding="verify"], QPlainTextEdit[finding="verify"], QDateEdit[finding="verify"],
QComboBox[finding="verify"], QSpinBox[finding="verify"] { border: 2px solid #e8a100; }
QLineEdit[invalid="true"] { border: 2px solid #d93025; background: #fdecea; }
"""


class RefusalMessage(QLabel):
    """The inline message under an editor when an entry is refused: in Chinese, naming the
    field and what may be typed; hidden while there is none."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setStyleSheet("color:#b3261e; background:#fdecea; padding:4px; border-radius:3px;")
        self.hide()

    def show_message(self, text: str) -> None:
        """Show ``text`` (empty: hide)."""
        self.setText(text)
        self.setVisible(bool(text))


class _SealOnFocusOut:
    """Typing into a field ends (one undo step) when it loses focus."""

    access: Access

    def _seal(self) -> None:
        self.access.bridge.ws.seal()


class TextEdit(QLineEdit, _SealOnFocusOut):
    def __init__(self, access: Access, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access = access
        self._refresh()
        self.textEdited.connect(lambda text: self.access.set(text, True))
        self.editingFinished.connect(self._seal)
        access.bridge.changed.connect(self._on_change)

    def _refresh(self) -> None:
        value = self.access.get() or ""
        if self.text() != value:
            self.setText(str(value))

    def _on_change(self, change: Change) -> None:
        if self.access.touched(change):
            self._refresh()


class NumberEdit(QLineEdit, _SealOnFocusOut):
    """A number as clerks type it (parse_number); bad input is refused, the old value kept."""

    def __init__(
        self,
        access: Access,
        kind: Kind = "number",
        message: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.access = access
        self.kind = kind
        self._message = message or access.bridge.inputRefused.emit
        self._start: object = _UNSET
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._refresh(force=True)
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._finished)
        access.bridge.changed.connect(self._on_change)

    def format(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        if self.kind == "amount":
            return amount(value)
        if self.kind == "rate":
            return plain(value * 100, 4) + "%"
        return plain(value, 4)

    def _set_invalid(self, invalid: bool) -> None:
        if bool(self.property("invalid")) != invalid:
            self.setProperty("invalid", invalid)
            self.style().unpolish(self)
            self.style().polish(self)

    def _parse(self) -> tuple[bool, Decimal | None]:
        try:
            return True, parse_number(self.text(), self.access.label, self.kind)
        except InputError as exc:
            self._set_invalid(True)
            self._message(exc.message)
            return False, None

    def _typed(self, _text: str) -> None:
        if self._start is _UNSET:
            self._start = self.access.get()
        ok, value = self._parse()
        if ok:
            self._set_invalid(False)
            self._message("")
            if value != self.access.get():
                self.access.set(value, True)

    def _finished(self) -> None:
        ok, _value = self._parse()
        if not ok:
            # refused: the value from before this bit of typing is kept and shown again
            if self._start is not _UNSET and self._start != self.access.get():
                self.access.set(self._start, True)
            self._set_invalid(False)
        self._start = _UNSET
        self._refresh(force=True)
        self._seal()

    def _refresh(self, force: bool = False) -> None:
        value = self.access.get()
        if not force and self.hasFocus():
            try:
                if parse_number(self.text(), self.access.label, self.kind) == value:
                    return  # keep what the clerk is typing ("1,1" → "1,155")
            except InputError:
                pass
        text = self.format(value)
        if self.text() != text:
            self.setText(text)

    def _on_change(self, change: Change) -> None:
        if self.access.touched(change):
            self._refresh()


class LongTextEdit(QPlainTextEdit):
    """Narrative text: plain text only (paste drops formatting), IME intact, undo via the
    window's 撤销 so that every edit is in one history."""

    def __init__(self, access: Access, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access = access
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self._updating = False
        self._refresh()
        self.textChanged.connect(self._typed)
        access.bridge.changed.connect(self._on_change)

    def _typed(self) -> None:
        if not self._updating:
            self.access.set(self.toPlainText(), True)

    def _refresh(self) -> None:
        value = str(self.access.get() or "")
        if self.toPlainText() != value:
            self._updating = True
            cursor = self.textCursor().position()
            self.setPlainText(value)
            c = self.textCursor()
            c.setPosition(min(cursor, len(value)))
            self.setTextCursor(c)
            self._updating = False

    def _on_change(self, change: Change) -> None:
        if self.access.touched(change):
            self._refresh()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.access.bridge.ws.seal()
        super().focusOutEvent(event)

    def insertFromMimeData(self, source: Any) -> None:
        self.insertPlainText(source.text())


class DateEdit(QLineEdit, _SealOnFocusOut):
    """A date typed as clerks write it (``2025-03-15``, ``2025.3.15``, ``2025年3月15日``,
    ``20250315``) or picked in a calendar that opens at the date shown, today when none."""

    def __init__(
        self,
        access: Access,
        message: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.access = access
        self._message = message or access.bridge.inputRefused.emit
        self.setPlaceholderText("（未填）如 2025-03-15")
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        self.calendar_action = self.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip("从日历中选择")
        self.calendar_action.triggered.connect(self.open_calendar)
        self.calendar: QCalendarWidget | None = None
        self._refresh()
        self.editingFinished.connect(self._finished)
        access.bridge.changed.connect(self._on_change)

    def _finished(self) -> None:
        try:
            value = parse_date(self.text(), self.access.label)
        except InputError as exc:
            self._message(exc.message)
            self._refresh()
            return
        self._message("")
        if value != self.access.get():
            self.access.set(value, False)
        self._refresh()

    def open_calendar(self) -> None:
        calendar = self.calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        value = self.access.get()
        calendar.setSelectedDate(
            QDate(value.year, value.month, value.day) if value else QDate.currentDate()
        )
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()

    def _picked(self, date: QDate) -> None:
        if self.calendar is not None:
            self.calendar.close()
            self.calendar = None
        value = dt.date(date.year(), date.month(), date.day())
        if value != self.access.get():
            self.access.set(value, False)
        self._refresh()

    def _refresh(self) -> None:
        value = self.access.get()
        text = chinese_date(value) if value else ""
        if self.text() != text:
            self.setText(text)

    def _on_change(self, change: Change) -> None:
        if self.access.touched(change):
            self._refresh()
