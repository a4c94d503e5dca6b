"""Driving the real widgets: cells of item views, line edits, shortcuts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget


def open_editor(qtbot: Any, view: QAbstractItemView, index: QModelIndex) -> QWidget:
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    editors = [
        w
        for w in view.viewport().findChildren(QWidget)
        if w.isVisible()
        and w.parent() is view.viewport()
        and w.metaObject().className() != "QWidget"
    ]
    assert editors, "no cell editor opened"
    return editors[-1]


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type ``text``: ASCII key by key, Chinese as an input-method commit (like 拼音输入法)."""
    from PySide6.QtGui import QInputMethodEvent

    run = ""
    for ch in text + "\0":
        if ch.isascii() and ch != "\0":
            run += ch
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        if ch != "\0":
            event = QInputMethodEvent("", [])
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def type_in_cell(qtbot: Any, view: QAbstractItemView, index: QModelIndex, text: str) -> None:
    editor = open_editor(qtbot, view, index)
    assert isinstance(editor, QLineEdit), type(editor)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(1)  # the delegate commits through a queued call


def retype(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Select all, type ``text`` key by key, press Enter (as a clerk does)."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.wait(1)


def shortcut(widget: QWidget, keys: str) -> None:
    from PySide6.QtGui import QKeySequence

    widget.activateWindow()
    if not isinstance(widget.focusWidget(), QLineEdit):
        widget.setFocus()
    QTest.keySequence(widget, QKeySequence(keys))
    QApplication.processEvents()


def type_on_cell(qtbot: Any, view: QAbstractItemView, text: str) -> None:
    """Type on the selected cell as a clerk does, no F2 or double-click first: the first key
    (or input-method commit) opens its editor, the rest goes on in the editor."""
    from PySide6.QtGui import QInputMethodEvent

    first, rest = text[0], text[1:]
    if first.isascii():
        qtbot.keyClick(view, first)
    else:
        event = QInputMethodEvent("", [])
        event.setCommitString(first)
        QApplication.sendEvent(view, event)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "typing did not open the cell's editor"
    if rest:
        type_text(qtbot, editor, rest)


def wait_task(qtbot: Any, window: Any, timeout: int = 60_000) -> None:
    """Wait until the window's export / preview worker has ended (its progress bar gone)."""
    qtbot.waitUntil(lambda: window._tasks is None or not window._tasks.busy, timeout=timeout)


class Gate:
    """Wraps a writer: the worker reaching it says so and waits until the test opens it."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.open = threading.Event()

    def wrap(self, write: Callable[..., Any]) -> Callable[..., Any]:
        def gated(*args: Any, **kwargs: Any) -> Any:
            self.reached.set()
            assert self.open.wait(60), "the test never opened the gate"
            return write(*args, **kwargs)

        return gated
