"""工具 → 汇总…: the reports a finance bureau received, read in a worker thread, as one
sortable, filterable table; double-click opens a report; 导出汇总表 writes 汇总.xlsx, in a
worker too.  Both are :class:`~.tasks.Task` s shown in the window's task bar (progress and
取消); 取消 keeps the last result and leaves no file (汇总.xlsx is staged, then moved)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import PerfevalError
from ..export.staged import Staged
from ..rollup import Rollup, RollupRow, collect
from ..rollup.figures import RATE_LINE, grade_counts
from ..scoring.rounding import amount, percent, plain
from .tasks import Progress, Task, TaskBar

COLUMNS = ("单位", "项目", "年度", "模板", "全年预算数", "执行数", "执行率", "总分", "评价等次",
           "封顶", "强制性", "核实性", "重复", "文件")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def _cells(row: RollupRow, shown: str) -> list[tuple[str, Any]]:
    """(text, sort key) per column."""
    rate = row.execution_rate
    return [
        (row.unit, row.unit), (row.project, row.project),
        (str(row.year or ""), row.year or 0),
        (f"{row.template_id} 第{row.template_version}版", row.template_id),
        (amount(row.annual_budget), float(row.annual_budget or 0)),
        (amount(row.executed), float(row.executed or 0)),
        (percent(rate), float(rate) if rate is not None else -1.0),
        (plain(row.total), float(row.total)), (row.grade, row.grade),
        ("是" if row.capped else "", int(row.capped)),
        (str(row.error_count or ""), row.error_count), (str(row.verify_count or ""),
                                                        row.verify_count),
        ("重复" if row.duplicate_of else "", int(row.duplicate_of is not None)),
        (shown, shown),
    ]


class RollupModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RollupRow] = []
        self._cells: list[list[tuple[str, Any]]] = []

    def set_result(self, result: Rollup) -> None:
        self.beginResetModel()
        self.rows = list(result.rows)
        self._cells = [_cells(r, result.shown(r.path)) for r in self.rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text, key = self._cells[index.row()][index.column()]
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == SORT_ROLE:
            return key
        if role == Qt.ItemDataRole.ToolTipRole:
            return "；".join(x for x in (row.cap_reason, *row.notes) if x) or str(row.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and 4 <= index.column() <= 11:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 6:
            rate = row.execution_rate
            if rate is not None and rate < RATE_LINE:
                from PySide6.QtGui import QColor

                return QColor("#b03020")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


WHILE_RUNNING = "可以筛选、排序和查看上次的结果；点“取消”停止，不会留下文件。"


def _read(folders: list[Path], workbooks: bool, progress: Progress) -> Rollup:
    """In the worker: every report under ``folders``; 取消 takes effect between files."""
    return collect(folders, workbooks=workbooks,
                   progress=lambda done, total, path: progress.step(path.name, done, total))


class RollupWindow(QMainWindow):
    """The roll-up window.  ``open_report`` opens a double-clicked report (the main window)."""

    def __init__(self, open_report: Callable[[Path], object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("汇总收到的报告")
        self.setObjectName("rollupWindow")
        self.open_report = open_report
        self.folders: list[Path] = []
        self.result: Rollup | None = None
        self.choose_folder: Callable[[], Path | None] = self._ask_folder
        self.choose_target: Callable[[], Path | None] = self._ask_target
        self.messages: list[str] = []
        self._build()
        self.resize(1200, 720)

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.add_button = QPushButton("添加文件夹…")
        self.start_button = QPushButton("开始汇总")
        self.export_button = QPushButton("导出汇总表…")
        self.folder_label = QLabel("请添加存放报告 (.pfe) 的文件夹（含子文件夹）。")
        self.folder_label.setWordWrap(True)
        self.workbooks = QCheckBox("同时读取 Excel 自评表")
        self.workbooks.setToolTip("把文件夹中填好的自评表（.xlsx/.xls）按其格式对应的表样读入并汇总")
        for w in (self.add_button, self.start_button, self.export_button, self.workbooks):
            bar.addWidget(w)
        bar.addWidget(self.folder_label, 1)
        layout.addLayout(bar)
        self.tasks = TaskBar()  # what runs, its progress and 取消 (hidden otherwise)
        self.status = QLabel("")
        self.status.setObjectName("rollupStatus")
        layout.addWidget(self.tasks)
        layout.addWidget(self.status)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选：输入单位、项目、等次、模板或文件名中的文字")
        self.filter_edit.setClearButtonEnabled(True)
        layout.addWidget(self.filter_edit)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._table(), "汇总表")
        self.exceptions = QTableWidget(0, 3)
        self.exceptions.setHorizontalHeaderLabels(["类别", "文件", "原因"])
        self.exceptions.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.exceptions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tabs.addTab(self.exceptions, "重复与无法读取")
        from .rollup_charts import RollupCharts

        self.charts = RollupCharts()
        self.tabs.insertTab(1, self.charts, "图表")
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.add_button.clicked.connect(self.add_folder)
        self.start_button.clicked.connect(self.start)
        self.export_button.clicked.connect(self.export)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self._set_running(False)

    def _table(self) -> QTableView:
        self.model = RollupModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setObjectName("rollupTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        widths = (130, 200, 48, 150, 80, 80, 70, 56, 64, 40, 50, 50, 40, 160)
        for col, width in enumerate(widths):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(self._open_row)
        return self.table

    # --- actions -------------------------------------------------------------------------

    def _ask_folder(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, "选择存放报告的文件夹")
        return Path(folder) if folder else None

    def _ask_target(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出汇总表", "汇总.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        return Path(path) if path else None

    def add_folder(self) -> None:
        folder = self.choose_folder()
        if folder is None or folder in self.folders:
            return
        self.folders.append(folder)
        self.folder_label.setText("；".join(str(f) for f in self.folders))
        self._set_running(False)

    def start(self) -> None:
        if not self.folders or self.tasks.busy:
            return
        folders, workbooks = list(self.folders), self.workbooks.isChecked()
        self._run(Task[Rollup]("汇总", lambda progress: _read(folders, workbooks, progress),
                               self._done, self._failed))

    def _run(self, task: Task[Any]) -> None:
        task.finished.connect(lambda: self._task_finished(task))
        self.tasks.run(task, WHILE_RUNNING)
        self._set_running(True)

    def _task_finished(self, task: Task[Any]) -> None:
        if task.cancelled:
            self.status.setText(f"{task.title}已取消，没有写出任何文件。")
        self._set_running(False)

    def _done(self, result: Rollup) -> None:
        self.result = result
        self.model.set_result(result)
        self.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)
        self._fill_exceptions(result)
        self.charts.set_result(result)
        self.status.setText(self._summary(result))
        self._set_running(False)  # 导出汇总表 now has something to write

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        self.messages.append(message)

    def _summary(self, result: Rollup) -> str:
        counts = grade_counts(result.counted)
        grades = "，".join(f"{g} {n} 份" for g, n in counts.items())
        low = sum(1 for r in result.counted
                  if r.execution_rate is not None and r.execution_rate < RATE_LINE)
        errors = sum(1 for r in result.rows if r.error_count)
        return (f"共 {len(result.rows)} 份报告：{grades}；执行率低于 {percent(RATE_LINE, 0)} 的 "
                f"{low} 份；有强制性问题的 {errors} 份；重复 {len(result.duplicates)} 组，"
                f"无法读取 {len(result.unreadable)} 个文件（见“重复与无法读取”）")

    def _fill_exceptions(self, result: Rollup) -> None:
        rows = [("重复", result.shown(p), d.reason) for d in result.duplicates for p in d.paths]
        rows += [("无法读取", result.shown(u.path), u.reason) for u in result.unreadable]
        self.exceptions.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                self.exceptions.setItem(r, c, QTableWidgetItem(text))
        self.exceptions.resizeColumnToContents(1)
        self.tabs.setTabText(self.tabs.indexOf(self.exceptions), f"重复与无法读取（{len(rows)}）")

    def _set_running(self, running: bool) -> None:
        self.add_button.setEnabled(not running)
        self.start_button.setEnabled(not running and bool(self.folders))
        self.export_button.setEnabled(not running and self.result is not None)

    def _open_row(self, index: QModelIndex) -> None:
        row = self.model.rows[self.proxy.mapToSource(index).row()]
        if self.open_report is not None:
            self.open_report(row.path)

    def export(self) -> None:
        from ..rollup.workbook import stage_rollup

        result = self.result
        if result is None or self.tasks.busy:
            return
        target = self.choose_target()
        if target is None:
            return
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        self._run(Task[Staged]("导出汇总表",
                               lambda progress: stage_rollup(result, target, progress.step),
                               self._exported, self._failed, Staged.discard))

    def _exported(self, staged: Staged) -> None:
        try:
            [target] = staged.commit()
        except PerfevalError as exc:
            self._failed(exc.message)
            return
        self.status.setText(f"已导出汇总表：{target}")

    def closeEvent(self, event: Any) -> None:
        task = self.tasks.task
        if task is not None:
            task.cancel()  # a staged 汇总.xlsx is removed when the worker stops
            task.wait(5)
        super().closeEvent(event)
