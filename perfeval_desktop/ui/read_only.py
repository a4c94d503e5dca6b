"""A report shown read-only (its template is broken, issue #13 §5): the banner saying why,
and the actions that would change, save or export it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

#: the main window's actions disabled while a read-only report is shown (另存为 stays:
#: it writes a full copy under another name, Workspace.save)
BLOCKED_ACTIONS = ("save", "export", "print_preview", "library", "save_to_library")


def banner(message: str) -> QLabel:
    """The message above the editor: what is wrong with the template and what may be done."""
    label = QLabel(f"只读：{message}")
    label.setObjectName("readOnlyBanner")
    label.setWordWrap(True)
    label.setStyleSheet(
        "QLabel#readOnlyBanner { background:#fff4ce; color:#5c3c00;"
        " border-bottom:1px solid #e0c060; padding:6px 12px; }"
    )
    return label


def lock(page: QWidget) -> None:
    """Nothing on ``page`` takes typing: text fields read-only, no cell editors, choices
    and buttons disabled (what still gets through is refused by ``Workspace.execute``)."""
    for edit in page.findChildren(QLineEdit):
        edit.setReadOnly(True)
    for text in page.findChildren(QTextEdit):
        text.setReadOnly(True)
    for plain in page.findChildren(QPlainTextEdit):
        plain.setReadOnly(True)
    for spin in page.findChildren(QAbstractSpinBox):
        spin.setReadOnly(True)
    for view in page.findChildren(QAbstractItemView):
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for choice in (*page.findChildren(QComboBox), *page.findChildren(QAbstractButton)):
        choice.setEnabled(False)  # (radio buttons, check boxes, 添加 / 删除 指标…)
