"""总分, the grade as a coloured badge, the cap reason and the 预算执行率 block; below them
what the clerk writes on the form: the declared 评价等次 and the merged 分值 cells.

The declared grade (``Report.declared_grade``, the 等次 written on the form) is picked from
the template's grades; the validator (G001) flags it when it differs from the computed
one.  The merged 分值 cells (``Report.weight_groups``, e.g. 云南's “决策+过程” 40) are
typed like every number (full-width digits, “40分”); beside each, the sum of its
first-level indicators, which the validator (W003) requires it to equal.  Both are
ordinary report fields: every change is one undo step of the window's 撤销/重做.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..scoring.rounding import percent, plain
from ..workspace import Change
from .bridge import WorkspaceBridge
from .fields import FINDING_STYLE, NumberEdit, RefusalMessage, ReportField
from .registry import FieldRegistry

GRADE_COLOURS = {"优": "#1e8e3e", "良": "#1a73e8", "中": "#e37400", "差": "#d93025"}
NOT_FILLED = "（未填）"
DECLARED_LABEL = "填写的评价等次"


class DeclaredGradeChoice(QComboBox):
    """表上填写的评价等次: （未填） or one of the template's grades.  A value from elsewhere
    (an older file) is listed as it is, for the clerk to replace."""

    def __init__(self, bridge: WorkspaceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access = ReportField(bridge, "declared_grade", DECLARED_LABEL)
        self._values: list[str | None] = [None]
        self.addItem(NOT_FILLED)
        for band in bridge.ws.manifest.rules.grades:
            self._values.append(band.name)
            self.addItem(band.name)
        self.setToolTip("表上填写的评价等次，应与按总分计算的等次一致")
        self._refresh()
        self.activated.connect(self._picked)
        bridge.changed.connect(self._on_change)

    def value(self) -> str | None:
        return self._values[self.currentIndex()] if self.currentIndex() >= 0 else None

    def _picked(self, i: int) -> None:
        value = self._values[i]
        if value != (self.access.get() or None):
            self.access.set(value, False)

    def _refresh(self) -> None:
        value = self.access.get() or None
        if value not in self._values:
            self._values.append(value)
            self.addItem(str(value))
        i = self._values.index(value)
        if self.currentIndex() != i:
            self.setCurrentIndex(i)

    def _on_change(self, change: Change) -> None:
        if self.access.touched(change):
            self._refresh()


class SummaryBar(QFrame):
    def __init__(
        self,
        bridge: WorkspaceBridge,
        registry: FieldRegistry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setObjectName("summaryBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # the red / orange frames of the two entries below (FieldRegistry.apply)
        self.setStyleSheet("#summaryBar { background: #f6f8fb; }" + FINDING_STYLE)
        self.total = QLabel()
        self.total.setObjectName("total")
        self.grade = QLabel()
        self.grade.setObjectName("grade")
        self.grade.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grade.setMinimumWidth(64)
        self.levels = QLabel()
        self.levels.setObjectName("levels")
        self.levels.setWordWrap(True)
        self.cap = QLabel()
        self.cap.setObjectName("capReason")
        self.cap.setWordWrap(True)
        self.cap.setStyleSheet("color: #b3261e;")

        top = QHBoxLayout()
        top.addWidget(self.total)
        top.addWidget(self.grade)
        top.addSpacing(16)
        top.addWidget(self.levels, 1)

        entries = QHBoxLayout()
        entries.addWidget(QLabel("表上填写的评价等次"))
        self.declared = DeclaredGradeChoice(bridge)
        self.declared.setObjectName("declared_grade")
        self.declared.setMinimumWidth(90)
        entries.addWidget(self.declared)
        self.group_edits: list[NumberEdit] = []
        self.group_sums: list[QLabel] = []
        groups = bridge.ws.report.weight_groups
        if groups:
            entries.addSpacing(24)
            title = QLabel("合并分值格")
            title.setToolTip("表上几个一级指标合用的分值格，应等于这些一级指标分值之和")
            entries.addWidget(title)
        for i, group in enumerate(groups):
            path = f"weight_groups[{i}].weight"
            edit = NumberEdit(
                ReportField(bridge, path, f"{group.label}的分值"), "score", self.show_message
            )
            edit.setObjectName(path)
            edit.setMaximumWidth(70)
            edit.setPlaceholderText("不填")
            entries.addWidget(QLabel(group.label))
            entries.addWidget(edit)
            members = QLabel()
            members.setObjectName(f"weight_groups[{i}].members")
            members.setStyleSheet("color: #5f6368;")
            entries.addWidget(members)
            self.group_edits.append(edit)
            self.group_sums.append(members)
            if registry is not None:
                registry.register(path, edit)
        entries.addStretch(1)
        if registry is not None:
            registry.register("declared_grade", self.declared)

        self.message = RefusalMessage("summaryMessage")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(top)
        layout.addLayout(entries)
        layout.addWidget(self.message)
        layout.addWidget(self.cap)
        self.refresh()
        bridge.changed.connect(self._changed)

    def show_message(self, text: str) -> None:
        """A refused entry, in Chinese, naming the field (empty: hidden)."""
        self.message.show_message(text)

    def _changed(self, change: Change) -> None:
        if change.summary or change.reload:
            self.refresh()

    def refresh(self) -> None:
        ws = self.bridge.ws
        sheet = ws.sheet
        decimals = ws.manifest.rules.total_decimals
        stand_in = ws.template.stand_in  # its template is missing: no total or grade
        total = (
            "<b>—</b>" if stand_in
            else f"<b>{plain(sheet.total, decimals)}</b> / {plain(sheet.total_weight)}"
        )
        self.total.setText(f"<span style='font-size:14pt'>总分 {total}</span>")
        grade = "—" if stand_in else sheet.grade
        colour = GRADE_COLOURS.get(grade, "#5f6368")
        self.grade.setText(grade)
        self.grade.setToolTip("表样未安装，总分和等次未计算" if stand_in else f"评价等次：{grade}")
        style = (
            f"background:{colour}; color:white; font-size:14pt; font-weight:bold;"
            "border-radius:6px; padding:2px 14px;"
        )
        if self.grade.styleSheet() != style:  # (a style sheet set again re-lays out the bar)
            self.grade.setStyleSheet(style)
        parts = []
        rules = ws.manifest.rules
        for level in sheet.levels:
            parts.append(f"{level.name} {plain(level.score)}/{plain(level.weight)}")
        rate = sheet.execution_rate
        if rate is not None:
            parts.append(f"（执行率 {percent(rate, rules.execution.rate_display_decimals)}）")
        self.levels.setText("　".join(parts))
        reasons = [r for r in (sheet.score_cap_reason, sheet.grade_cap_reason) if r]
        reasons += sheet.notes
        self.cap.setText("\n".join(reasons))
        self.cap.setVisible(bool(reasons))
        self._refresh_group_sums()

    def _refresh_group_sums(self) -> None:
        """Beside each merged cell: its first-level indicators' 分值 and their sum."""
        ws = self.bridge.ws
        weights: dict[str, Decimal] = {}
        for node in ws.report.indicators:
            ns = ws.sheet.nodes.get(node.id)
            weights.setdefault(node.name.strip(), ns.weight if ns is not None else Decimal(0))
        for group, label in zip(ws.report.weight_groups, self.group_sums, strict=False):
            parts = [
                f"{m} {plain(weights[m.strip()])}" if m.strip() in weights else f"{m} ？"
                for m in group.members
            ]
            total = sum((weights.get(m.strip(), Decimal(0)) for m in group.members), Decimal(0))
            label.setText(f"（{' + '.join(parts)} = {plain(total)}）")
