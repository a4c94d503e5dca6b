"""The roll-up's figures in the window: grade distribution, 执行率 bands around the 90 %
line, scores by unit — painted bars (the same figures as the charts of 汇总.xlsx)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from ..rollup import Rollup
from ..rollup.figures import RATE_LINE, grade_counts, rate_buckets, unit_scores
from ..scoring.rounding import percent, plain

BLUE, RED, GREEN, GREY = QColor("#2e75b6"), QColor("#c0392b"), QColor("#2e8b57"), QColor("#666")
MAX_UNITS = 15


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    colour: QColor


class RollupCharts(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rollupCharts")
        self.panels: list[tuple[str, list[Bar], float]] = []

    def set_result(self, result: Rollup) -> None:
        rows = result.counted
        grades = [Bar(g, n, str(n), BLUE) for g, n in grade_counts(rows).items()]
        rates = [Bar(b.label, b.count, str(b.count), RED if b.below_line else GREEN)
                 for b in rate_buckets(rows)]
        every = unit_scores(rows)
        units = every[:MAX_UNITS]
        scores = [Bar(u.unit, float(u.average), plain(u.average), BLUE) for u in units]
        line = percent(RATE_LINE, 0)
        self.panels = [
            ("评价等次分布（份）", grades, max([b.value for b in grades] + [1])),
            (f"预算执行率分布（份）：红色低于 {line}，绿色达到 {line}", rates,
             max([b.value for b in rates] + [1])),
            ("各单位平均总分" + (f"（最低的 {len(units)} 个单位）" if len(every) > len(units)
                                else ""), scores, 100.0),
        ]
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.panels:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        top_h = h * 0.45
        half = w / 2
        self._columns(painter, QRectF(0, 0, half, top_h), *self.panels[0])
        self._columns(painter, QRectF(half, 0, half, top_h), *self.panels[1])
        self._rows(painter, QRectF(0, top_h, w, h - top_h), *self.panels[2])
        painter.end()

    def _columns(self, p: QPainter, area: QRectF, title: str, bars: list[Bar],
                 top: float) -> None:
        inner = area.adjusted(16, 46, -16, -36)
        p.setPen(GREY)
        p.drawText(area.adjusted(8, 4, -8, 0), Qt.AlignmentFlag.AlignHCenter, title)
        p.drawLine(inner.bottomLeft(), inner.bottomRight())
        step = inner.width() / max(len(bars), 1)
        for i, bar in enumerate(bars):
            height = inner.height() * bar.value / top
            rect = QRectF(inner.left() + i * step + step * 0.2, inner.bottom() - height,
                          step * 0.6, height)
            p.fillRect(rect, bar.colour)
            p.setPen(Qt.GlobalColor.black)
            p.drawText(QRectF(rect.left() - 10, rect.top() - 18, rect.width() + 20, 16),
                       Qt.AlignmentFlag.AlignCenter, bar.text)
            p.drawText(QRectF(inner.left() + i * step, inner.bottom() + 4, step, 30),
                       Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, bar.label)

    def _rows(self, p: QPainter, area: QRectF, title: str, bars: list[Bar], top: float) -> None:
        p.setPen(GREY)
        p.drawText(area.adjusted(8, 4, -8, 0), Qt.AlignmentFlag.AlignHCenter, title)
        inner = area.adjusted(200, 26, -60, -8)
        step = inner.height() / max(len(bars), 1)
        for i, bar in enumerate(bars):
            y = inner.top() + i * step
            p.setPen(Qt.GlobalColor.black)
            p.drawText(QRectF(area.left() + 8, y, 186, step),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, bar.label)
            width = inner.width() * bar.value / top
            p.fillRect(QRectF(inner.left(), y + step * 0.15, width, step * 0.7), bar.colour)
            p.drawText(QRectF(inner.left() + width + 4, y, 56, step),
                       Qt.AlignmentFlag.AlignVCenter, bar.text)
