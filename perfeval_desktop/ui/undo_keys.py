"""Ctrl+Z / Ctrl+Y to the window's 撤销/重做 (a light module: the window shell imports it)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

_TEXT_EDITORS = (QLineEdit, QPlainTextEdit)


class UndoKeysToWindow(QObject):
    """Line and text editors would take Ctrl+Z / Ctrl+Y for their own little undo; let the
    window's 撤销/重做 have them so that there is one history."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # every event of the application passes here: the cheap test first
        if isinstance(obj, _TEXT_EDITORS) and event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(
                QKeySequence.StandardKey.Redo
            ):
                return True  # not accepted: the shortcut goes to the window's action
            from PySide6.QtCore import Qt  # (not at import: the window's shell goes without)

            ctrl_y = event.key() == Qt.Key.Key_Y and event.modifiers() == (
                Qt.KeyboardModifier.ControlModifier
            )
            return ctrl_y
        return False
