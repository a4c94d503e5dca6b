"""文件 → 导入 Excel…: the preview of what was read from a filled 自评表, and every cell
that could not be placed, before anything is written.  Accepting opens the result as a new,
unsaved report; the Excel file and the open report are never changed.

The file is read in a worker (:func:`read_excel`, a :class:`~.tasks.Task` with progress and
取消 in the window's status bar): a large workbook takes a while, and the clerk goes on
with the open report meanwhile.  取消 drops what was read; nothing else changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..importer import ImportResult, guess_family, import_workbook, read_workbook
from ..importer.workbook import Sheet
from ..model.report import IndicatorNode, Report
from ..scoring.engine import compute
from ..scoring.rounding import plain
from ..templates.loader import Template

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .tasks import Progress


@dataclass
class ExcelRead:
    """What the worker read: the file's sheets, the templates, the one the sheets look
    like, and the sheets read into a report of it."""

    path: Path
    sheets: list[Sheet]
    templates: list[Template]
    chosen: Template
    outcome: ImportResult


def read_excel(path: Path, progress: Progress) -> ExcelRead:
    """In the worker: read the file once, guess its template, read it into a report."""
    from ..templates.loader import discover

    progress.step("读取表格", 0, 3)
    sheets = read_workbook(path)
    progress.step("识别表样", 1, 3)
    templates = list(discover().values())
    family = guess_family(sheets)
    chosen = next((t for t in templates if t.manifest.family == family), templates[0])
    progress.step("读入指标和资金", 2, 3)
    return ExcelRead(path, sheets, templates, chosen, import_workbook(path, chosen, sheets))


class ImportDialog(QDialog):
    def __init__(self, read: ExcelRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(f"导入 Excel — {read.path.name}")
        self.path = read.path
        self.sheets = read.sheets  # another 表样 reads these again, not the file
        self.templates = templates = read.templates
        chosen = read.chosen
        self.outcome: ImportResult = read.outcome
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.template_box = QComboBox()
        self.template_box.setObjectName("importTemplate")
        for template in templates:
            self.template_box.addItem(template.manifest.name, template.id)
        self.template_box.setCurrentIndex(templates.index(chosen))
        self.template_box.currentIndexChanged.connect(self._read)
        form.addRow("按表样", self.template_box)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        form.addRow("读取结果", self.summary)
        layout.addLayout(form)
        self.tabs = QTabWidget()
        self.tree = QTreeWidget()
        self.tree.setObjectName("importTree")
        self.tree.setHeaderLabels(["指标", "分值", "得分", "年度指标值", "实际完成值"])
        for col, width in enumerate((330, 60, 60, 150)):
            self.tree.setColumnWidth(col, width)
        self.fields = QLabel()
        self.fields.setObjectName("importFields")
        self.fields.setWordWrap(True)
        self.fields.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.fields.setMargin(8)
        self.fields.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unplaced = QListWidget()
        self.unplaced.setObjectName("importUnplaced")
        self.unplaced.setWordWrap(True)
        self.tabs.addTab(self.tree, "指标")
        self.tabs.addTab(self.fields, "项目、资金与目标")
        self.tabs.addTab(self.unplaced, "未读入的单元格")
        layout.addWidget(self.tabs, 1)
        note = QLabel("点“导入”后作为新报告打开（尚未保存）；Excel 文件和当前报告都不会改动。")
        note.setStyleSheet("color:#5f6368;")
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        room = self.screen().availableGeometry()  # 1366×768 at 125 %: 1093×614 to fit in
        self.resize(min(900, room.width() - 40), min(620, room.height() - 60))
        self._show()

    @property
    def template(self) -> Template:
        return self.templates[self.template_box.currentIndex()]

    def _read(self) -> None:
        self.outcome = import_workbook(self.path, self.template, self.sheets)
        self._show()

    def _show(self) -> None:
        report = self.outcome.report
        sheet = compute(report, self.template.manifest.rules)
        decimals = self.template.manifest.rules.total_decimals
        self.summary.setText(
            "\n".join(self.outcome.summary)
            + f"\n按此表样计算：总分 {plain(sheet.total, decimals)}，评价等次 {sheet.grade}。"
        )
        self.tree.clear()
        scores = {nid: ns.score for nid, ns in sheet.nodes.items()}
        for node in report.indicators:
            self.tree.addTopLevelItem(_item(node, scores))
        self.tree.expandAll()
        self.fields.setText(_fields_text(report, sheet.funding.total))
        self.unplaced.clear()
        for cell in self.outcome.unplaced:
            self.unplaced.addItem(cell.describe())
        count = len(self.outcome.unplaced)
        self.tabs.setTabText(2, f"未读入的单元格（{count}）")
        if not count:
            self.unplaced.addItem("表中每个有内容的单元格都已读入。")


def _item(node: IndicatorNode, scores: Mapping[str, Decimal | None]) -> QTreeWidgetItem:
    score = scores.get(node.id)
    item = QTreeWidgetItem([
        node.name, plain(node.weight) if node.weight is not None else "",
        plain(score) if score is not None else "", node.target_text, node.actual_text,
    ])
    for child in node.children:
        item.addChild(_item(child, scores))
    return item


def _fields_text(report: Report, total: dict[str, Decimal | None]) -> str:
    def amount(column: str) -> str:
        return plain(total.get(column)) or "—"

    lines = [
        f"年度：{report.meta.year or '（未读到）'}",
        f"项目名称：{report.project.name or '（未读到）'}",
        f"主管部门：{report.project.department or '（未读到）'}",
        f"实施单位：{report.project.implementer or '（未读到）'}",
        f"填报人：{report.meta.filler or '（未读到）'}",
        f"联系电话：{report.meta.phone or '（未读到）'}",
        f"资金合计（万元）：年初预算数 {amount('initial_budget')}，全年预算数 "
        f"{amount('annual_budget')}，实际到位数 {amount('received')}，"
        f"全年执行数 {amount('executed')}；明细 {len(report.funding.details)} 行",
        f"预期目标：{_short(report.goals.expected)}",
        f"实际完成情况：{_short(report.goals.actual)}",
    ]
    return "\n".join(lines)


def _short(text: str, limit: int = 120) -> str:
    if not text:
        return "（未读到）"
    return text if len(text) <= limit else text[:limit] + "…"


def import_excel(window: MainWindow) -> None:
    """Pick an Excel file, read it in a worker, preview what was read, open it as a new
    report if accepted."""
    from .tasks import Task

    path = window.dialogs.open_excel(window._folder())
    if path is None:
        return
    if window.tasks.busy:
        window.statusBar().showMessage("请等“正在……”的工作完成，或点“取消”后再导入。", 8000)
        return
    window._run(Task[ExcelRead]("导入 Excel", lambda progress: read_excel(path, progress),
                                lambda read: _preview(window, read), window.dialogs.error),
                "可以继续填写当前报告；导入的内容将作为新报告打开，当前报告不会改动。")


def _preview(window: MainWindow, read: ExcelRead) -> None:
    from ..workspace import Workspace

    dialog = ImportDialog(read, window)
    if not window.dialogs.run_dialog(dialog) or not window._may_discard():
        return
    ws = Workspace(dialog.outcome.report, dialog.template)
    ws.mark_unsaved()
    window.set_workspace(ws)
    window.statusBar().showMessage(f"已从 {read.path.name} 导入，尚未保存", 8000)
