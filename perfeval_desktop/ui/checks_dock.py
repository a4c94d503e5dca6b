"""校验: the validator's findings live, grouped 强制性 / 核实性 / 提示性 with counts.

Double-click jumps to the field; a 核实性 finding takes its written reason right here
(stored in ``report.explanations[finding.key]``), after which it is settled and gone.

After each validation the list is updated in place: only the findings that came, went or
changed their text are touched, so the selected finding, the reason being typed for it and
the scroll position stay as they were (a finding is the same one across validations when
its ``code@path`` key is: the n-th finding of a key stays the n-th).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt, Signal
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
_ROLE = Qt.ItemDataRole.UserRole  # the Finding an item shows
_IDENT = Qt.ItemDataRole.UserRole + 1  # its identity across validations (key, n-th)
_SIZE_CACHE_MAX = 4000

Ident = tuple[str, int]
EXPANDED_MIN_WIDTH = 200
COLLAPSED_WIDTH = 130


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped message at the dock's current width (a tree widget
    lays out each row one line high otherwise, and cuts the message off)."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view
        # (text, width, depth) → size: a relayout measures every row again, most unchanged
        self._sizes: dict[tuple[str, int, int], QSize] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        width = self.view.viewport().width() - self.view.indentation() * (depth + 1) - 12
        if width <= 40:
            return super().sizeHint(option, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        key = (text, width, depth)
        size = self._sizes.get(key)
        if size is not None:
            return size
        base = super().sizeHint(option, index)
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        rect = QFontMetrics(font).boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        size = QSize(width, max(base.height(), rect.height() + 6))
        if len(self._sizes) >= _SIZE_CACHE_MAX:
            self._sizes.clear()
        self._sizes[key] = size
        return size


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


def reason_destination(finding: Finding) -> str:
    """Where a reason typed in the dock ends up (issue #12: the clerk must know)."""
    kept = "写在这里的说明只保存在报告文件（.pfe）中，不会打印"
    if finding.path.endswith(".deviation_reason"):
        return f"{kept}；要印在表上，请填写该指标的“偏差原因分析及改进措施”栏（填写后此项消除）。"
    if finding.path == "funding.execution_reason":
        return f"{kept}；要印在表上，请填写“项目资金”页的“执行率偏低原因”。"
    return f"{kept}，供审核时查看。"


class ChecksDock(QDockWidget):
    jumpRequested = Signal(str)  # a field path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("校验结果", parent)
        self.setObjectName("checksDock")
        self.bridge: WorkspaceBridge | None = None
        self.setMinimumWidth(EXPANDED_MIN_WIDTH)
        self.collapsed = False
        self._finding: Finding | None = None
        self._built = False
        self._groups: dict[Level, QTreeWidgetItem] = {}
        self._items: dict[Ident, QTreeWidgetItem] = {}
        self._updating = False

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
        for level in Level:  # the three groups stay; their findings come and go
            group = QTreeWidgetItem([level.label])
            group.setForeground(0, QBrush(QColor(_COLOURS[level])))
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
            self._groups[level] = group
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

    def show_no_report(self) -> None:
        """Before any report (the start page): a narrow count, the room to the page."""
        if self._built:
            return
        label = QLabel("尚未打开报告（0）")
        label.setObjectName("checksSummary")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setMargin(4)
        self.setWidget(label)
        self.collapsed = True
        self.setMinimumWidth(COLLAPSED_WIDTH)
        self.setMaximumWidth(COLLAPSED_WIDTH)

    def set_bridge(self, bridge: WorkspaceBridge) -> None:
        self._build()
        if self.bridge is not None:
            self.bridge.changed.disconnect(self._changed)
        self.bridge = bridge
        bridge.changed.connect(self._changed)
        self._select_nothing()  # (another report)
        self._show_explain(None)
        self.refresh()

    def _select_nothing(self) -> None:
        self.tree.clearSelection()
        self.tree.setCurrentIndex(QModelIndex())

    def _changed(self, change: Change) -> None:
        if change.findings or change.reload:
            self.refresh()

    def refresh(self) -> None:
        """Show the workspace's findings: items added, removed, moved or re-texted where
        they differ from what is shown; the others (and the selection) are left alone."""
        assert self.bridge is not None
        wanted: dict[Level, list[tuple[Ident, Finding]]] = {level: [] for level in Level}
        seen: dict[str, int] = {}
        for finding in self.bridge.ws.findings:
            n = seen.get(finding.key, 0)
            seen[finding.key] = n + 1
            wanted[finding.level].append(((finding.key, n), finding))
        idents = {ident for pairs in wanted.values() for ident, _f in pairs}
        current = self.tree.currentItem()
        current_ident = current.data(0, _IDENT) if current is not None else None
        self._updating = True
        try:
            if current_ident is not None and current_ident not in idents:
                self._select_nothing()  # its finding is gone
                current_ident = None
            for level, pairs in wanted.items():
                self._place(self._groups[level], pairs, idents)
            if current_ident is not None:
                item = self._items[current_ident]
                if self.tree.currentItem() is not item:  # (it was moved)
                    self.tree.setCurrentItem(item)
        finally:
            self._updating = False
        counts = {level: len(pairs) for level, pairs in wanted.items()}
        for level, group in self._groups.items():
            title = f"{level.label}（{counts[level]}）"
            if group.text(0) != title:
                group.setText(0, title)
        total = sum(counts.values())
        self.summary.setText(
            "没有发现问题（0）"
            if total == 0
            else f"共 {total} 个问题：强制性 {counts[Level.ERROR]}，核实性 {counts[Level.VERIFY]}，"
            f"提示性 {counts[Level.HINT]}。双击一项可跳到相应位置。"
        )
        self._collapse(total == 0)
        shown = self.tree.currentItem()
        selected = shown.data(0, _ROLE) if shown is not None else None
        if not isinstance(selected, Finding):
            self._show_explain(None)
        elif selected != self._finding:  # the selected finding's text changed
            self._show_explain(selected, keep_typing=True)

    def _collapse(self, empty: bool) -> None:
        """With nothing found the dock is a narrow count, the room goes to the editor."""
        if empty == self.collapsed:
            return
        self.collapsed = empty
        self.tree.setVisible(not empty)
        if empty:
            self.setMinimumWidth(COLLAPSED_WIDTH)
            self.setMaximumWidth(COLLAPSED_WIDTH)
            return
        self.setMaximumWidth(16777215)
        self.setMinimumWidth(EXPANDED_MIN_WIDTH)

    def _place(
        self, group: QTreeWidgetItem, pairs: list[tuple[Ident, Finding]], idents: set[Ident]
    ) -> None:
        """Make ``group``'s children show ``pairs`` in order, reusing the items there are."""
        mine = {ident for ident, _f in pairs}
        for j in reversed(range(group.childCount())):
            child = group.child(j)
            ident = child.data(0, _IDENT) if child is not None else None
            if ident not in mine:
                group.takeChild(j)
                if ident is not None and ident not in idents:
                    self._items.pop(ident, None)
        for i, (ident, finding) in enumerate(pairs):
            item = self._items.get(ident)
            if item is None:
                item = self._items[ident] = QTreeWidgetItem()
                item.setData(0, _IDENT, ident)
                self._show_finding(item, finding)
                group.insertChild(i, item)
                continue
            if group.child(i) is not item:
                parent = item.parent()
                if parent is not None:
                    parent.removeChild(item)
                group.insertChild(i, item)
            if item.data(0, _ROLE) != finding:
                self._show_finding(item, finding)

    @staticmethod
    def _show_finding(item: QTreeWidgetItem, finding: Finding) -> None:
        item.setText(0, finding.message)
        item.setToolTip(0, f"{finding.code}　{finding.message}")
        item.setData(0, _ROLE, finding)

    def counts(self) -> dict[Level, int]:
        return {level: group.childCount() for level, group in self._groups.items()}

    def item_for(self, code: str) -> QTreeWidgetItem | None:
        """The first item shown for a finding of ``code`` (None when there is none)."""
        for group in self._groups.values():
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
        if self._updating:  # refresh() settles the selection itself
            return
        finding = item.data(0, _ROLE) if item is not None else None
        self._show_explain(finding if isinstance(finding, Finding) else None)

    def _show_explain(self, finding: Finding | None, keep_typing: bool = False) -> None:
        """The reason box for a selected 核实性 finding; ``keep_typing``: the same finding
        with a new message, the reason typed so far stays."""
        self._finding = finding
        if finding is None or finding.level is not Level.VERIFY:
            self.explain_box.hide()
            return
        assert self.bridge is not None
        self.reason_label.setText(
            f"核实性问题需写明原因：{finding.message}\n{reason_destination(finding)}"
        )
        if not keep_typing:
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
