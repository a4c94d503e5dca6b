"""A read-only window: the report's indicator score table, the total and the grade.

A stand-in until the full editor lands; it shows what ``check`` computes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..model.report import IndicatorNode, Report
from ..scoring.engine import compute
from ..scoring.rounding import percent, plain
from ..scoring.validator import validate
from ..templates.loader import Template

COLUMNS = ["指标", "年度指标值", "实际完成值", "分值", "得分", "得分率"]


class ScoreWindow(QMainWindow):
    def __init__(self, report: Report, template: Template, path: Path | None = None) -> None:
        super().__init__()
        self.report = report
        self.template = template
        title = report.project.name or "未命名报告"
        self.setWindowTitle(f"{title} — {APP_NAME}")
        sheet = compute(report, template.manifest.rules)
        findings = validate(report, template.manifest, sheet)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setAlternatingRowColors(True)
        if sheet.execution_weight is not None:
            item = QTreeWidgetItem(
                [template.manifest.rules.execution.label, "", percent(sheet.execution_rate, 1),
                 plain(sheet.execution_weight), plain(sheet.execution_score),
                 percent(sheet.levels[0].rate)]
            )
            self.tree.addTopLevelItem(item)

        def add(parent: QTreeWidgetItem | None, node: IndicatorNode) -> None:
            ns = sheet.nodes[node.id]
            item = QTreeWidgetItem(
                [node.name, node.target_text, node.actual_text, plain(ns.weight),
                 plain(ns.score) if ns.scored else "—", percent(ns.rate)]
            )
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            for col in (3, 4, 5):
                item.setTextAlignment(col, right)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            for child in node.children:
                add(item, child)

        for node in report.indicators:
            add(None, node)
        self.tree.expandAll()
        self.tree.setColumnWidth(0, 420)

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        lines = [f"总分 <b>{plain(sheet.total)}</b> / {plain(sheet.total_weight)}　"
                 f"评价等次 <b>{sheet.grade}</b>"]
        for reason in (sheet.score_cap_reason, sheet.grade_cap_reason):
            if reason:
                lines.append(reason)
        errors = sum(1 for f in findings if f.level.value == "error")
        lines.append(f"校验：{len(findings)} 个问题，其中强制性 {errors} 个")
        self.summary.setText("<br>".join(lines))
        self.summary.setWordWrap(True)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(QLabel(f"<b>{title}</b>　{template.manifest.name}"))
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        self.setCentralWidget(body)
        self.resize(1100, 720)
