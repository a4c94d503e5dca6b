"""校验: the validator's findings live, grouped 强制性 / 核实性 / 提示性 with counts.

Double-click jumps to the field; a 核实性 finding takes its written reason right here
(stored in ``report.explanations[finding.key]``), after which it is settled and gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..scoring.findings import MIN_REASON_CHARS, Finding, Level

if TYPE_CHECKING:  # the window's shell builds the dock before the model is imported
    from ..workspace import Change
    from .bridge import WorkspaceBridge

_COLOURS = {Level.ERROR: "#d93025", Level.VERIFY: "#e37400", Level.HINT: "#5f6368"}
_ROLE = Qt.ItemDataRole.UserRole


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped message at the dock's current width (a tree widget
    lays out each row one line high otherwise, and cuts the message off)."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        base = super().sizeHint(option, index)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        width = self.view.viewport().width() - self.view.indentation() * (depth + 1) - 12
        if width <= 40:
            return base
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        rect = QFontMetrics(font).boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(width, max(base.height(), rect.height() + 6))


class _RelayoutOnResize(QObject):
    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view
        self._width = -1

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.view.viewport().width() != self._width:
            self._width = self.view.viewport().width()
            self.view.scheduleDelayedItemsLayout()
        return False


class ChecksDock(QDockWidget):
    jumpRequested = Signal(str)  # a field path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("校验结果", parent)
        self.setObjectName("checksDock")
        self.bridge: WorkspaceBridge | None = None
        self.setMinimumWidth(260)
        self._finding: Finding | None = None
        self._built = False

    def _build(self) -> None:
        """The dock's contents, built with the first report (an empty dock until then: the
        window's shell is shown before any report is opened)."""
        if self._built:
            return
        self._built = True
        self.tree = QTreeWidget()
        self.tree.setObjectName("findingsTree")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setIndentation(14)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(True)
        self.tree.setItemDelegate(WrapDelegate(self.tree))
        self.tree.viewport().installEventFilter(_RelayoutOnResize(self.tree))
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.summary = QLabel()
        self.summary.setObjectName("checksSummary")
        self.summary.setWordWrap(True)
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("explanation")
        self.reason.setPlaceholderText(f"在此写明原因（至少 {MIN_REASON_CHARS} 个字），按回车确认")
        self.reason_button = QPushButton("确认说明")
        self.reason.returnPressed.connect(self._explain)
        self.reason_button.clicked.connect(self._explain)
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.reason_button)
        self.explain_box = QWidget()
        box = QVBoxLayout(self.explain_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.reason_label)
        box.addLayout(row)
        self.explain_box.hide()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.explain_box)
        self.setWidget(body)

    def set_bridge(self, bridge: WorkspaceBridge) -> None:
        self._build()
        if self.bridge is not None:
            self.bridge.changed.disconnect(self._changed)
        self.bridge = bridge
        bridge.changed.connect(self._changed)
        self.refresh()

    def _changed(self, change: Change) -> None:
        if change.findings or change.reload:
            self.refresh()

    def refresh(self) -> None:
        assert self.bridge is not None
        findings = self.bridge.ws.findings
        current = self._finding.key if self._finding else None
        self.tree.clear()
        counts = {level: 0 for level in Level}
        groups: dict[Level, QTreeWidgetItem] = {}
        for level in Level:
            group = QTreeWidgetItem([level.label])
            group.setForeground(0, QBrush(QColor(_COLOURS[level])))
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            groups[level] = group
        select: QTreeWidgetItem | None = None
        for finding in findings:
            counts[finding.level] += 1
            item = QTreeWidgetItem([finding.message])
            item.setToolTip(0, f"{finding.code}　{finding.message}")
            item.setData(0, _ROLE, finding)
            groups[finding.level].addChild(item)
            if finding.key == current:
                select = item
        for level, group in groups.items():
            group.setText(0, f"{level.label}（{counts[level]}）")
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
        total = sum(counts.values())
        self.summary.setText(
            "没有发现问题。"
            if total == 0
            else f"共 {total} 个问题：强制性 {counts[Level.ERROR]}，核实性 {counts[Level.VERIFY]}，"
            f"提示性 {counts[Level.HINT]}。双击一项可跳到相应位置。"
        )
        if select is not None:
            self.tree.setCurrentItem(select)
        else:
            self._show_explain(None)

    def counts(self) -> dict[Level, int]:
        return {level: self._group(i).childCount() for i, level in enumerate(Level)}

    def _group(self, i: int) -> QTreeWidgetItem:
        group = self.tree.topLevelItem(i)
        assert group is not None
        return group

    def item_for(self, code: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            group = self._group(i)
            for j in range(group.childCount()):
                child = group.child(j)
                if child is not None and child.data(0, _ROLE).code == code:
                    return child
        return None

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        finding = item.data(0, _ROLE)
        if isinstance(finding, Finding):
            self.jumpRequested.emit(finding.path)

    def _current_changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        finding = item.data(0, _ROLE) if item is not None else None
        self._show_explain(finding if isinstance(finding, Finding) else None)

    def _show_explain(self, finding: Finding | None) -> None:
        self._finding = finding
        if finding is None or finding.level is not Level.VERIFY:
            self.explain_box.hide()
            return
        assert self.bridge is not None
        self.reason_label.setText(f"核实性问题需写明原因：{finding.message}")
        self.reason.setText(self.bridge.ws.report.explanations.get(finding.key, ""))
        self.explain_box.show()

    def _explain(self) -> None:
        if self._finding is None or self.bridge is None:
            return
        text = self.reason.text().strip()
        key = self._finding.key
        if len("".join(text.split())) < MIN_REASON_CHARS:
            self.reason_label.setText(
                f"说明至少需要 {MIN_REASON_CHARS} 个字（现为 {len(''.join(text.split()))} 个）。"
            )
            return
        self._finding = None
        from ..workspace import SetExplanation

        self.bridge.execute(SetExplanation(key, text))
        self.bridge.flush()  # a confirmed reason settles its finding at once
