"""复制上年 in the window: 文件 → 新建 → 复制上年报告…, and last year's texts shown beside
this year's fields as hints (read-only, never copied into the report)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ..model.report import IndicatorNode, Report
    from .main_window import MainWindow

HINT_STYLE = "background:#fffbea; border:1px solid #e6d9a8; color:#5c4b00; padding:4px;"


def _year_text(report: Report) -> str:
    hints = report.last_year
    return f"{hints.year} 年" if hints is not None and hints.year else "上年"


def actual_hint(report: Report, node: IndicatorNode) -> QLabel | None:
    """The label “上年实际完成值” beside a leaf's inputs, or None without a hint."""
    hints = report.last_year
    text = hints.actuals.get(node.id, "") if hints is not None else ""
    if not text.strip():
        return None
    label = QLabel(text)
    label.setObjectName("lastYearActual")
    label.setWordWrap(True)
    label.setToolTip(f"{_year_text(report)}报告中本指标的实际完成值，仅供参考，未复制到今年的报告。")
    label.setStyleSheet(HINT_STYLE)
    return label


def section_hint(report: Report, section_id: str, width: int) -> QWidget | None:
    """Last year's text of a section, read-only, to put beside this year's editor."""
    hints = report.last_year
    text = hints.sections.get(section_id, "") if hints is not None else ""
    box = _hint_box(report, text, f"lastYear.{section_id}")
    if box is not None:
        box.setFixedWidth(width)
    return box


def goals_hint(report: Report) -> QWidget | None:
    """Last year's 实际完成情况, under this year's."""
    hints = report.last_year
    box = _hint_box(report, hints.goals_actual if hints is not None else "", "lastYear.goals")
    if box is not None:
        box.setMaximumHeight(160)
    return box


def _hint_box(report: Report, text: str, name: str) -> QWidget | None:
    if not text.strip():
        return None
    box = QWidget()
    box.setObjectName(name)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 6, 0, 0)
    layout.addWidget(QLabel(f"<b>{_year_text(report)}填写（参考，未复制）</b>"))
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    view.setStyleSheet(HINT_STYLE)
    view.setToolTip("可选中后复制需要的文字；今年的内容请另行填写。")
    layout.addWidget(view)
    return box


def new_from_last_year(window: MainWindow) -> None:
    """Pick last year's .pfe, make this year's report from it, show what changed."""
    from ..carryover import carry_over
    from ..errors import PerfevalError
    from ..storage.pfe import load
    from ..templates.loader import load_template
    from ..workspace import Workspace

    path = window.dialogs.open_path(window._folder())
    if path is None:
        return
    try:
        last = load(path)
        template = load_template(last.meta.template_id)
    except PerfevalError as exc:
        window.dialogs.error(exc.message)
        return
    if not window._may_discard():
        return
    report = carry_over(last, template.manifest, path)
    ws = Workspace(report, template)
    ws.mark_unsaved()
    window.set_workspace(ws)
    window.dialogs.info("复制上年报告", carryover_summary(report))


def carryover_summary(report: Report) -> str:
    hints = report.last_year
    lines = [
        f"已由{_year_text(report)}的报告新建 {report.meta.year or ''} 年度报告（尚未保存）。",
        "保留：项目、单位、指标体系、分值、计分方法、年度指标值和度量单位。",
        "已清空：金额、实际完成值、得分、报告正文、偏差原因和核实性问题的说明。",
        "上年的实际完成值和正文显示在相应栏目旁，仅供参考。",
    ]
    if hints is not None and hints.notes:
        lines.append("表样已变化：")
        lines += [f"· {note}" for note in hints.notes]
    return "\n".join(lines)
