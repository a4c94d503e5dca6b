"""绩效目标: 预期目标 beside 实际完成情况."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from .bridge import WorkspaceBridge
from .fields import LongTextEdit, ReportField
from .last_year import goals_hint
from .registry import FieldRegistry


class GoalsTab(QWidget):
    def __init__(self, bridge: WorkspaceBridge, registry: FieldRegistry) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(18, 12, 18, 12)
        for col, (path, title, hint) in enumerate(
            (
                ("goals.expected", "预期目标", "逐条填写，如“1.……；2.……”"),
                ("goals.actual", "实际完成情况", "与预期目标逐条对应，写明完成情况"),
            )
        ):
            grid.addWidget(
                QLabel(f"<b>{title}</b>　<span style='color:#5f6368'>{hint}</span>"), 0, col
            )
            edit = LongTextEdit(ReportField(bridge, path, title))
            edit.setObjectName(path)
            registry.register(path, edit)
            grid.addWidget(edit, 1, col)
        last_year = goals_hint(bridge.ws.report)  # 复制上年: last year's 实际完成情况
        if last_year is not None:
            grid.addWidget(last_year, 2, 1)
