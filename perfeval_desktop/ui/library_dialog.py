"""编辑 → 从指标库插入…: search the indicator library as you type (name, pinyin initials,
category) and insert the chosen indicators, or their whole 二级 group, into the report;
编辑 → 保存到指标库 keeps the selected indicator in the clerk's own library."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import PerfevalError
from ..library import Library, LibraryEntry, load_library
from ..library.insert import insert_entries

if TYPE_CHECKING:
    from ..workspace import Workspace
    from .bridge import WorkspaceBridge
    from .main_window import MainWindow

COLUMNS = ("类别", "一级指标", "二级指标", "三级指标", "性质", "指标值示例", "度量单位", "出处")
WIDTHS = (96, 80, 110, 250, 44, 110, 64, 300)
ALL_KINDS = "全部类别"


class LibraryDialog(QDialog):
    def __init__(self, bridge: WorkspaceBridge, library: Library, selected_second: str | None,
                 parent: QWidget | None = None,
                 pick_file: Callable[[bool], Path | None] | None = None) -> None:
        super().__init__(parent)
        self.pick_file = pick_file
        self.setObjectName("libraryDialog")
        self.setWindowTitle("从指标库插入")
        self.bridge = bridge
        self.index = library.index()
        self.selected_second = selected_second
        self.shown: list[LibraryEntry] = []
        self.inserted: list[str] = []
        layout = QVBoxLayout(self)
        layout.addLayout(self._search_row())
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("libraryResults")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        for col, width in enumerate(WIDTHS):
            self.table.setColumnWidth(col, width)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._describe)
        self.table.doubleClicked.connect(lambda _i: self.insert_selected())
        layout.addWidget(self.table, 1)
        self.detail = QLabel()
        self.detail.setObjectName("libraryDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("color:#3c4043; background:#f6f8fb; padding:6px;")
        layout.addWidget(self.detail)
        layout.addLayout(self._button_row())
        room = self.screen().availableGeometry()
        self.resize(min(1180, room.width() - 40), min(640, room.height() - 60))
        self.refresh()

    def _search_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("输入指标名称、拼音首字母（如 zxl 找“执行率”）或类别")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._first_row)
        self.kind = QComboBox()
        self.kind.setObjectName("libraryKind")
        self.kind.addItems([ALL_KINDS, *self.index.kinds])
        self.kind.currentIndexChanged.connect(self.refresh)
        row.addWidget(QLabel("查找"))
        row.addWidget(self.search, 1)
        row.addWidget(QLabel("类别"))
        row.addWidget(self.kind)
        return row

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.under = QCheckBox("插入到指标评分中选中的二级指标下")
        self.under.setObjectName("libraryUnder")
        self.under.setEnabled(self.selected_second is not None)
        row.addWidget(self.under)
        row.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("libraryStatus")
        row.addWidget(self.status)
        self.insert_button = QPushButton("插入所选指标")
        self.insert_button.setObjectName("libraryInsert")
        self.insert_button.clicked.connect(self.insert_selected)
        self.group_button = QPushButton("插入整个二级指标")
        self.group_button.setObjectName("libraryInsertGroup")
        self.group_button.clicked.connect(self.insert_group)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        exchange = QHBoxLayout()
        for text, save in (("导入指标库…", False), ("导出本单位指标库…", True)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, save=save: self._exchange(save))
            button.setEnabled(self.pick_file is not None)
            exchange.addWidget(button)
        row.insertLayout(0, exchange)
        for button in (self.insert_button, self.group_button, close):
            row.addWidget(button)
        return row

    def _exchange(self, save: bool) -> None:
        """导出 / 导入 the clerk's own library as one file (a bureau hands it out)."""
        from ..library import export_library, import_library

        path = self.pick_file(save) if self.pick_file is not None else None
        if path is None:
            return
        try:
            if save:
                self.status.setText(f"已导出 {export_library(path)} 条到 {path.name}")
                return
            added = import_library(path)
            self.index = load_library().index()
            self.refresh()
            self.status.setText(f"已导入 {added} 条新指标")
        except PerfevalError as exc:
            self.status.setText(exc.message)

    # --- searching ---------------------------------------------------------------------------

    def refresh(self) -> None:
        kind = self.kind.currentText()
        self.shown = self.index.search(self.search.text(), "" if kind == ALL_KINDS else kind)
        self.table.setRowCount(len(self.shown))
        for row, entry in enumerate(self.shown):
            values = (entry.kind, entry.l1, entry.l2, entry.name, entry.nature, entry.target,
                      entry.unit, entry.source)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, col, item)
        if self.shown:
            self.table.selectRow(0)
        self._describe()

    def _first_row(self) -> None:
        if self.shown:
            self.table.setFocus()
            self.table.selectRow(0)

    def selected(self) -> list[LibraryEntry]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.shown[r] for r in rows if r < len(self.shown)]

    def _describe(self) -> None:
        chosen = self.selected()
        self.insert_button.setEnabled(bool(chosen))
        self.group_button.setEnabled(bool(chosen))
        if not chosen:
            hint = "没有找到时，可换用名称中的字或拼音首字母。"
            self.detail.setText(f"共 {len(self.shown)} 条。{hint}")
            return
        entry = chosen[0]
        note = f"\n说明：{entry.note}" if entry.note else ""
        where = f"{entry.l1} / {entry.l2} / {entry.name}"
        self.detail.setText(f"{where}　指标值示例：{entry.target or '—'}"
                            f"\n出处：{entry.source or '（未注明）'}{note}")

    # --- inserting ---------------------------------------------------------------------------

    def insert_selected(self) -> None:
        self._insert(self.selected())

    def insert_group(self) -> None:
        groups = {(e.kind, e.l1, e.l2) for e in self.selected()}
        self._insert([e for e in self.index.entries if (e.kind, e.l1, e.l2) in groups])

    def _insert(self, entries: list[LibraryEntry]) -> None:
        if not entries:
            return
        under = self.selected_second if self.under.isChecked() else None
        batch, ids = insert_entries(self.bridge.ws.report, entries, under)
        self.bridge.execute(batch)
        self.inserted += ids
        self.status.setText(f"已插入 {len(entries)} 个指标（可撤销）")


def _selected_node(window: MainWindow) -> tuple[str | None, int]:
    """The indicator selected in 指标评分 and its level (0 when none)."""
    from ..model.report import iter_nodes

    editor = window.editor
    if editor is None:
        return None, 0
    node_id = editor.indicators.current_id()
    for _path, level, node in iter_nodes(window.ws.report.indicators):
        if node.id == node_id:
            return node_id, level
    return None, 0


def open_library(window: MainWindow) -> None:
    try:
        library = load_library()
    except PerfevalError as exc:
        window.dialogs.error(exc.message)
        return
    node_id, level = _selected_node(window)
    assert window.bridge is not None
    dialog = LibraryDialog(window.bridge, library, node_id if level == 2 else None, window,
                           lambda save: window.dialogs.library_file(save, window._folder()))
    window.dialogs.run_dialog(dialog)
    if dialog.inserted and window.editor is not None:
        window.editor.setCurrentWidget(window.editor.indicators)
        window.editor.indicators.select(dialog.inserted[-1])


def remember_opened(window: MainWindow) -> None:
    """Offer the indicators of the report just opened in the library (never in the way)."""
    from ..library import remember_report

    ws = window.ws
    try:
        remember_report(ws.report, ws.display_name)
    except PerfevalError:
        pass  # the offered list is a convenience: a read-only data folder must not stop opening


def save_to_library(window: MainWindow) -> None:
    from ..library import entry_from_node, save_own
    from ..model.report import iter_nodes

    node_id, _level = _selected_node(window)
    ws: Workspace = window.ws
    found = [(path, node) for path, _lv, node in iter_nodes(ws.report.indicators)
             if node.id == node_id]
    if not found or not found[0][1].is_leaf:
        window.dialogs.error("请先在“指标评分”中选中一个三级指标，再选“保存到指标库”。")
        return
    path, node = found[0]
    rows = [int(n) for n in re.findall(r"\[(\d+)\]", path)]
    first = ws.report.indicators[rows[0]]
    second = first.children[rows[1]].name if len(rows) > 2 else ""
    report = ws.report
    source = f"{report.project.name or '未命名项目'}（{report.meta.year or ''}年度报告）"
    try:
        added = save_own([entry_from_node(node, first.name, second, "本单位指标", source)])
    except PerfevalError as exc:
        window.dialogs.error(exc.message)
        return
    text = "已保存到指标库" if added else "指标库中已有此指标，未重复保存"
    window.statusBar().showMessage(f"{text}：{node.name}", 6000)
