"""表样设计 → 报告提纲 and 指标体系: trees edited in place; each edit goes to the draft and
a refused one is named (the cell shows the draft's value again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..designer import DesignError, TemplateDraft
from ..model.report import METHOD_LABELS
from ..scoring.rounding import plain
from ..templates.manifest import FrameworkNode, Section

Report = Callable[[str, list[str]], None]
EDITABLE = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable)
ID_ROLE = Qt.ItemDataRole.UserRole


class _TreeTab(QWidget):
    """A tree, its buttons, and the loop edit → draft → reload."""

    headers: tuple[str, ...] = ()
    key = ""
    first_width = 260

    def __init__(self, draft: TemplateDraft, report: Report) -> None:
        super().__init__()
        self.draft = draft
        self.report = report
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setObjectName(f"{self.key}Tree")
        self.tree.setHeaderLabels(list(self.headers))
        self.tree.setColumnWidth(0, self.first_width)
        self.tree.setColumnWidth(1, 200)
        layout.addWidget(self.tree, 1)
        self.buttons = QHBoxLayout()
        layout.addLayout(self.buttons)
        self.add_button = self._button("添加同级", self.add_sibling)
        self.child_button = self._button("添加下级", self.add_child)
        self.remove_button = self._button("删除", self.remove)
        self.buttons.addStretch(1)
        self.tree.itemChanged.connect(self._edited)
        self.load()

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def _apply(self, change: Callable[[], None]) -> bool:
        try:
            change()
        except DesignError as exc:
            self.report(self.key, exc.problems)
            QTimer.singleShot(0, self.load)  # not inside the tree's own itemChanged
            return False
        self.report(self.key, [])
        return True

    def set_draft(self, draft: TemplateDraft) -> None:
        self.draft = draft
        self.load()

    def load(self) -> None:
        raise NotImplementedError

    def add_sibling(self) -> None:
        raise NotImplementedError

    def add_child(self) -> None:
        raise NotImplementedError

    def remove(self) -> None:
        raise NotImplementedError

    def _edited(self, item: QTreeWidgetItem, column: int) -> None:
        raise NotImplementedError


class OutlineTab(_TreeTab):
    """Sections: 编号 | 标题 | 填写说明 | 字数上限 (id shown in the tooltip)."""

    headers = ("编号", "标题", "填写说明", "字数上限")
    key = "outline"
    first_width = 110
    fields = ("number", "title", "guidance", "limit")

    def load(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()

        def add(parent: Any, sections: list[Section]) -> None:
            for s in sections:
                item = QTreeWidgetItem(parent, [s.number, s.title, s.guidance,
                                                "" if s.limit is None else str(s.limit)])
                item.setData(0, ID_ROLE, s.id)
                item.setToolTip(0, f"章节 id：{s.id}")
                item.setFlags(EDITABLE)
                add(item, s.children)

        add(self.tree, self.draft.manifest.outline)
        self.tree.expandAll()
        self.tree.blockSignals(False)

    def _edited(self, item: QTreeWidgetItem, column: int) -> None:
        value: Any = item.text(column).strip()
        if self.fields[column] == "limit":
            value = value or None
        sid = item.data(0, ID_ROLE)
        self._apply(lambda: self.draft.set_section(sid, **{self.fields[column]: value}))

    def _new_id(self) -> str:
        ids = {s.id for s in self.draft.manifest.all_sections()}
        n = 1
        while f"section{n}" in ids:
            n += 1
        return f"section{n}"

    def add_sibling(self) -> None:
        item = self.tree.currentItem()
        parent = item.parent() if item is not None else None
        pid = parent.data(0, ID_ROLE) if parent is not None else None
        self._apply(lambda: self.draft.add_section(self._new_id(), "", "新章节", parent=pid))
        self.load()

    def add_child(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        pid = item.data(0, ID_ROLE)
        self._apply(lambda: self.draft.add_section(self._new_id(), "", "新章节", parent=pid))
        self.load()

    def remove(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            sid = item.data(0, ID_ROLE)
            self._apply(lambda: self.draft.remove_section(sid))
            self.load()


class FrameworkTab(_TreeTab):
    """Indicators: 指标 | 分值 | 计分方法 (chosen below the tree for the selected one)."""

    headers = ("指标", "分值", "计分方法")
    key = "framework"

    def __init__(self, draft: TemplateDraft, report: Report) -> None:
        super().__init__(draft, report)
        self.method = QComboBox()
        self.method.setObjectName("methodCombo")
        for kind, label in METHOD_LABELS.items():
            self.method.addItem(label, kind)
        self.buttons.insertWidget(3, self.method)
        self.method.activated.connect(self._method_chosen)
        self.tree.currentItemChanged.connect(lambda item, _old: self._show_method(item))

    def _show_method(self, item: QTreeWidgetItem | None) -> None:
        """The combo shows the selected leaf's method (a level has none)."""
        leaf = item is not None and item.childCount() == 0
        self.method.setEnabled(leaf)
        if item is not None and leaf:
            node = self.draft.manifest.framework[self._path(item)[0]]
            for i in self._path(item)[1:]:
                node = node.children[i]
            self.method.setCurrentIndex(max(0, self.method.findData(node.method.kind)))

    def load(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()

        def add(parent: Any, nodes: list[FrameworkNode], path: tuple[int, ...]) -> None:
            for i, n in enumerate(nodes):
                method = METHOD_LABELS.get(n.method.kind, n.method.kind) if not n.children else ""
                item = QTreeWidgetItem(parent, [n.name, plain(n.weight), method])
                item.setData(0, ID_ROLE, (*path, i))
                item.setFlags(EDITABLE)
                add(item, n.children, (*path, i))

        add(self.tree, self.draft.manifest.framework, ())
        self.tree.expandAll()
        self.tree.blockSignals(False)

    def _path(self, item: QTreeWidgetItem | None) -> tuple[int, ...]:
        return tuple(item.data(0, ID_ROLE)) if item is not None else ()

    def _edited(self, item: QTreeWidgetItem, column: int) -> None:
        path = self._path(item)
        text = item.text(column).strip()
        if column == 0:
            self._apply(lambda: self.draft.set_node(path, name=text))
        elif column == 1:
            self._apply(lambda: self.draft.set_node(path, weight=text or None))
        else:
            self.load()

    def _method_chosen(self, index: int) -> None:
        item = self.tree.currentItem()
        if item is None or item.childCount():
            return
        kind = self.method.itemData(index)
        path = self._path(item)
        if self._apply(lambda: self.draft.set_node(path, method={"kind": kind})):
            self.load()

    def add_sibling(self) -> None:
        path = self._path(self.tree.currentItem())
        parent, index = (path[:-1], path[-1] + 1) if path else ((), None)
        self._apply(lambda: self.draft.add_node(parent, "新指标", index=index))
        self.load()

    def add_child(self) -> None:
        path = self._path(self.tree.currentItem())
        if path and len(path) < 3:
            self._apply(lambda: self.draft.add_node(path, "新指标"))
            self.load()

    def remove(self) -> None:
        path = self._path(self.tree.currentItem())
        if path:
            self._apply(lambda: self.draft.remove_node(path))
            self.load()
