"""总分, the grade as a coloured badge, the cap reason and the 预算执行率 block."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..scoring.rounding import percent, plain
from ..workspace import Change
from .bridge import WorkspaceBridge

GRADE_COLOURS = {"优": "#1e8e3e", "良": "#1a73e8", "中": "#e37400", "差": "#d93025"}


class SummaryBar(QFrame):
    def __init__(self, bridge: WorkspaceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setObjectName("summaryBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#summaryBar { background: #f6f8fb; }")
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(top)
        layout.addWidget(self.cap)
        self.refresh()
        bridge.changed.connect(self._changed)

    def _changed(self, change: Change) -> None:
        if change.summary or change.reload:
            self.refresh()

    def refresh(self) -> None:
        ws = self.bridge.ws
        sheet = ws.sheet
        decimals = ws.manifest.rules.total_decimals
        self.total.setText(
            f"<span style='font-size:14pt'>总分 <b>{plain(sheet.total, decimals)}</b>"
            f" / {plain(sheet.total_weight)}</span>"
        )
        colour = GRADE_COLOURS.get(sheet.grade, "#5f6368")
        self.grade.setText(sheet.grade)
        self.grade.setToolTip(f"评价等次：{sheet.grade}")
        self.grade.setStyleSheet(
            f"background:{colour}; color:white; font-size:14pt; font-weight:bold;"
            "border-radius:6px; padding:2px 14px;"
        )
        parts = []
        rules = ws.manifest.rules
        for level in sheet.levels:
            parts.append(f"{level.name} {plain(level.score)}/{plain(level.weight)}")
        rate = sheet.execution_rate
        if rate is not None:
            parts.append(f"（执行率 {percent(rate, rules.execution.rate_display_decimals)}）")
        for group in ws.report.weight_groups:
            if group.weight is not None:
                parts.append(f"{group.label} 分值 {plain(group.weight)}")
        self.levels.setText("　".join(parts))
        reasons = [r for r in (sheet.score_cap_reason, sheet.grade_cap_reason) if r]
        reasons += sheet.notes
        self.cap.setText("\n".join(reasons))
        self.cap.setVisible(bool(reasons))
