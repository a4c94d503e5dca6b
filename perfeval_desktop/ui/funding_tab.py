"""项目资金: the funding table, 执行率 and its score computed live, the reason when low."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..model.report import AMOUNT_COLUMNS, Amounts, FundingDetail, FundingKind, FundingSource
from ..scoring.rounding import amount, percent, plain
from ..workspace import Change, InsertRow, RemoveRow
from .bridge import WorkspaceBridge
from .fields import LongTextEdit, NumberEdit, RefusalMessage, ReportField, TextEdit
from .registry import FieldRegistry

COLUMN_TITLES = {c: str(Amounts.model_fields[c].title) for c in AMOUNT_COLUMNS}


class FundingTab(QScrollArea):
    def __init__(self, bridge: WorkspaceBridge, registry: FieldRegistry) -> None:
        super().__init__()
        self.bridge = bridge
        self.registry = registry
        self.setWidgetResizable(True)
        rules = bridge.ws.manifest.rules
        self.basis = rules.execution.basis
        self.rate_labels: list[tuple[QLabel, str]] = []  # (label, amounts path)
        self.total_edits: dict[str, NumberEdit] = {}

        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(18, 12, 18, 12)

        self.message = RefusalMessage("fundingMessage")

        box = QGroupBox("项目资金（万元）")
        self.grid = QGridLayout(box)
        self.grid.setHorizontalSpacing(8)
        self._header(0)
        row = 1
        row = self._amount_row(row, "年度资金总额（合计）", "funding.total", bold=True)
        for kind in rules.funding_kinds:
            row = self._amount_row(
                row, f"　其中：{kind}", f"funding.by_kind.{FundingKind(kind).value}"
            )
        if rules.funding_sources:
            for source in FundingSource:
                row = self._amount_row(
                    row, f"　其中：{source.value}", f"funding.by_source.{source.value}"
                )
        outer.addWidget(box)

        self.details_box = QGroupBox("项目支出明细内容")
        self.details_layout = QVBoxLayout(self.details_box)
        self.details_body: QWidget | None = None
        self._build_details()
        if not rules.funding_sources and not bridge.ws.report.funding.details:
            self.details_box.setVisible(False)
        outer.addWidget(self.details_box)
        outer.addWidget(self.message)

        result = QGroupBox(rules.execution.label)
        form = QGridLayout(result)
        typed = NumberEdit(
            ReportField(bridge, "funding.typed_execution_rate", "执行率（手填）"),
            "rate",
            self.show_message,
        )
        typed.setObjectName("funding.typed_execution_rate")
        typed.setMaximumWidth(140)
        typed.setPlaceholderText("可不填")
        registry.register("funding.typed_execution_rate", typed)
        form.addWidget(QLabel("表上手填的执行率"), 0, 0)
        form.addWidget(typed, 0, 1, Qt.AlignmentFlag.AlignLeft)
        self.result = QLabel()
        self.result.setObjectName("executionResult")
        self.result.setWordWrap(True)
        form.addWidget(self.result, 1, 0, 1, 2)
        reason = LongTextEdit(ReportField(bridge, "funding.execution_reason", "执行率偏低原因"))
        reason.setObjectName("funding.execution_reason")
        reason.setMaximumHeight(110)
        registry.register("funding.execution_reason", reason)
        form.addWidget(
            QLabel(f"执行率偏低原因（低于 {percent(rules.execution.reason_below, 0)} 时必填）"),
            2,
            0,
            1,
            2,
        )
        form.addWidget(reason, 3, 0, 1, 2)
        outer.addWidget(result)
        outer.addStretch(1)
        self.setWidget(body)
        self._refresh_figures()
        bridge.changed.connect(self._changed)
        bridge.inputRefused.connect(self.show_message)

    def show_message(self, text: str) -> None:
        self.message.show_message(text)

    def _header(self, row: int) -> None:
        self.grid.addWidget(QLabel("<b>项目</b>"), row, 0)
        for i, col in enumerate(AMOUNT_COLUMNS, start=1):
            title = COLUMN_TITLES[col] + ("（执行率分母）" if col == self.basis else "")
            self.grid.addWidget(QLabel(f"<b>{title}</b>"), row, i, Qt.AlignmentFlag.AlignCenter)
        self.grid.addWidget(QLabel("<b>执行率</b>"), row, len(AMOUNT_COLUMNS) + 1)

    def _amount_row(self, row: int, title: str, prefix: str, bold: bool = False) -> int:
        label = QLabel(f"<b>{title}</b>" if bold else title)
        self.grid.addWidget(label, row, 0)
        for i, col in enumerate(AMOUNT_COLUMNS, start=1):
            path = f"{prefix}.{col}"
            edit = self._amount_edit(path, f"{title.strip('　')}的{COLUMN_TITLES[col]}")
            edit.setMinimumWidth(110)
            self.grid.addWidget(edit, row, i)
            if prefix == "funding.total":
                self.total_edits[col] = edit
        rate = QLabel()
        rate.setMinimumWidth(70)
        rate.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.grid.addWidget(rate, row, len(AMOUNT_COLUMNS) + 1)
        self.rate_labels.append((rate, prefix))
        return row + 1

    def _amount_edit(self, path: str, label: str) -> NumberEdit:
        """An amount entry (万元) for the report field ``path``, named ``label`` in messages."""
        edit = NumberEdit(ReportField(self.bridge, path, label), "amount", self.show_message)
        edit.setObjectName(path)
        self.registry.register(path, edit)
        return edit

    def _build_details(self) -> None:
        if self.details_body is not None:
            self.details_body.hide()
            self.details_body.deleteLater()
        self.rate_labels = [
            (lbl, p) for lbl, p in self.rate_labels if not p.startswith("funding.details")
        ]
        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(QLabel("<b>明细名称</b>"), 0, 0)
        for i, col in enumerate(AMOUNT_COLUMNS, start=1):
            grid.addWidget(
                QLabel(f"<b>{COLUMN_TITLES[col]}</b>"), 0, i, Qt.AlignmentFlag.AlignCenter
            )
        details = self.bridge.ws.report.funding.details
        for r, _detail in enumerate(details, start=1):
            prefix = f"funding.details[{r - 1}]"
            name = TextEdit(ReportField(self.bridge, f"{prefix}.name", "明细名称"))
            name.setObjectName(f"{prefix}.name")
            self.registry.register(f"{prefix}.name", name)
            grid.addWidget(name, r, 0)
            for i, col in enumerate(AMOUNT_COLUMNS, start=1):
                path = f"{prefix}.amounts.{col}"
                grid.addWidget(self._amount_edit(path, f"明细第 {r} 行的{COLUMN_TITLES[col]}"),
                               r, i)
            remove = QPushButton("删除")
            remove.clicked.connect(
                lambda _=False, row=r - 1: self.bridge.execute(RemoveRow("funding.details", row))
            )
            grid.addWidget(remove, r, len(AMOUNT_COLUMNS) + 1)
        add = QPushButton("添加明细行")
        add.setObjectName("addDetail")
        add.clicked.connect(
            lambda: self.bridge.execute(
                InsertRow(
                    "funding.details", len(self.bridge.ws.report.funding.details), FundingDetail()
                )
            )
        )
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addStretch(1)
        grid.addLayout(buttons, len(details) + 1, 0, 1, len(AMOUNT_COLUMNS) + 1)
        self.details_layout.addWidget(body)
        self.details_body = body

    def _changed(self, change: Change) -> None:
        if change.restructured("funding.details"):
            self._build_details()
            self.details_box.setVisible(True)
        if change.summary or change.touches("funding") or change.reload:
            self._refresh_figures()

    def _refresh_figures(self) -> None:
        ws = self.bridge.ws
        sheet = ws.sheet
        figures = sheet.funding
        rule = ws.manifest.rules.execution
        for col, edit in self.total_edits.items():
            derived = figures.total.get(col) if figures.derived.get(col) else None
            edit.setPlaceholderText(f"合计 {amount(derived)}" if derived is not None else "")
        for label, prefix in self.rate_labels:
            if prefix == "funding.total":
                rate = sheet.execution_rate
            else:
                access = ReportField(self.bridge, prefix)
                amounts = access.get()
                rate = figures.rate_of(amounts, rule.basis) if amounts else None
            label.setText(percent(rate, rule.rate_display_decimals))
        rate = sheet.execution_rate
        if rate is None:
            text = "预算执行率：尚未计算（请填写预算数和执行数）。"
        else:
            text = (
                f"预算执行率 = 执行数 {amount(figures.total.get('executed'))} ÷ "
                f"{COLUMN_TITLES[rule.basis]} {amount(figures.basis)} = <b>{percent(rate, 2)}</b>"
            )
            if sheet.execution_weight is not None:
                text += (
                    f"；得分 = min(执行率, 100%) × {plain(sheet.execution_weight)} = "
                    f"<b>{plain(sheet.execution_score)}</b> / {plain(sheet.execution_weight)}"
                )
        self.result.setText(text)
