"""打印预览 (Ctrl+P): the report and each 附件 on A4, as the PDF export prints them.

The content is the PDF exporter's own (``export.print_content`` of an export plan: the
title, the 正文 sections, the forms' grids) and its own HTML (``export.pdf.body_html`` /
``grid_html``), so that preview, paper and PDF agree.  Here only the painting on a
``QPrinter``: portrait for the text, each form in its grid's orientation (landscape for
the wide tables), GB/T 9704 margins, ``— N —`` page numbers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QWidget

from ..export import pdf as pdf_export
from ..export import plan_export, print_content
from ..export.grid import Grid
from ..export.pdf import PrintContent
from ..export.report_docx import is_inline
from ..workspace import Workspace

ALL, BODY = "all", "report"
PAGE_NUMBER_PT = 14.0  # 4号, as the exports
PRINT_DPI = 300  # the preview's printer; text and rules stay vectors on paper
LAYOUT_DPI = 300  # pages are laid out at this resolution (as the PDF export)


@dataclass(frozen=True)
class Block:
    """One run of pages: the 正文, or one form."""

    landscape: bool
    margins: tuple[float, float, float, float]  # mm: top, bottom, left, right
    html: str
    grid: Grid | None


def blocks(content: PrintContent, px_per_mm: float) -> list[Block]:
    out: list[Block] = []
    if content.include_body:
        out.append(Block(False, pdf_export.BODY_MARGINS, pdf_export.body_html(content), None))
    for grid in content.forms:
        out.append(
            Block(
                grid.orientation == "landscape",
                pdf_export.FORM_MARGINS,
                pdf_export.grid_html(grid, px_per_mm),
                grid,
            )
        )
    return out


def _layout(landscape: bool) -> QPageLayout:
    orient = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), orient, QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )


def _document(block: Block, device: Any, width: float, height: float) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    doc.setHtml(block.html)
    doc.setPageSize(QSizeF(width, height))
    if block.grid is not None:
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()  # one relayout for all the cells, not one per cell
        pdf_export._fix_column_widths(doc, block.grid)
        cursor.endEditBlock()
    return doc


def _layout_device() -> QImage:
    """Text is laid out as for a 300 dpi page whatever the printer's resolution (as the PDF
    export does), so that preview, PDF and paper break pages at the same places."""
    image = QImage(1, 1, QImage.Format.Format_Mono)
    dots_per_metre = round(LAYOUT_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def paint(content: PrintContent, printer: QPrinter) -> int:
    """Paint ``content`` on ``printer`` (preview or paper); returns the pages painted.

    A print job keeps one page orientation (Qt cannot change it while printing): when the
    text and a wide form are printed together, the paper is portrait and the landscape
    pages are turned on it, as a printer prints them; a form alone gets its own orientation.
    """
    printer.setFullPage(True)  # our own margins, measured from the paper's edge
    px_per_mm = LAYOUT_DPI / 25.4
    todo = blocks(content, px_per_mm)
    if not todo:
        return 0
    paper_landscape = all(b.landscape for b in todo)
    printer.setPageLayout(_layout(paper_landscape))
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    number_font = QFont()
    number_font.setFamilies(pdf_export.SONG)
    number_font.setPointSizeF(PAGE_NUMBER_PT)
    short, long = pdf_export.A4_MM
    scale = printer.resolution() / LAYOUT_DPI
    device = _layout_device()  # kept alive while the documents use it
    page_no = 0
    try:
        for block in todo:
            top, bottom, left, right = block.margins
            page_w, page_h = (long, short) if block.landscape else (short, long)
            width = (page_w - left - right) * px_per_mm
            height = (page_h - top - bottom) * px_per_mm
            doc = _document(block, device, width, height)
            turned = block.landscape and not paper_landscape
            for p in range(doc.pageCount()):
                if page_no:
                    printer.newPage()
                page_no += 1
                painter.save()
                painter.scale(scale, scale)
                if turned:  # the page's top along the paper's left edge
                    painter.translate(QPointF(0, long * px_per_mm))
                    painter.rotate(-90)
                painter.save()
                painter.translate(QPointF(left * px_per_mm, top * px_per_mm - p * height))
                doc.drawContents(painter, QRectF(0, p * height, width, height))
                painter.restore()
                painter.setFont(number_font)
                y = (top + pdf_export.PAGE_NUMBER_GAP_MM) * px_per_mm + height
                box = QRectF(left * px_per_mm, y, width, 10 * px_per_mm)
                side = Qt.AlignmentFlag.AlignRight if page_no % 2 else Qt.AlignmentFlag.AlignLeft
                painter.drawText(box, side | Qt.AlignmentFlag.AlignTop, f"— {page_no} —")
                painter.restore()
    finally:
        painter.end()
    return page_no


class PrintPreview(QPrintPreviewDialog):
    """The preview of the whole report or of one part (chosen in the dialog's toolbar)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setResolution(PRINT_DPI)
        printer.setPageLayout(_layout(False))
        printer.setDocName(ws.display_name)
        super().__init__(printer, parent)
        self._printer = printer  # the dialog does not own it
        self.setWindowTitle(f"打印预览 — {ws.display_name}")
        self.resize(1000, 860)
        self.plan = plan_export(ws.report, ws.template)
        self.content = print_content(self.plan)
        self.choice = QComboBox()
        self.choice.setObjectName("previewPart")
        self.choice.addItem("全部（报告正文及附件）", ALL)
        self.choice.addItem("报告正文", BODY)
        for part in self.plan.available:
            if not is_inline(part):
                self.choice.addItem(f"{part.key}　{part.title}", part.key)
        self.choice.currentIndexChanged.connect(lambda _i: self.preview.updatePreview())
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addWidget(QLabel(" 预览内容："))
            toolbar.addWidget(self.choice)
        self.pages_painted = 0
        self.paintRequested.connect(self._paint)

    @property
    def preview(self) -> QPrintPreviewWidget:
        widget = self.findChild(QPrintPreviewWidget)
        assert widget is not None
        return widget

    def select(self, key: str) -> None:
        i = self.choice.findData(key)
        if i >= 0:
            self.choice.setCurrentIndex(i)

    def selected_content(self) -> PrintContent:
        key = self.choice.currentData()
        if key == ALL:
            return self.content
        inline = [p.grid for p in self.plan.available if is_inline(p)]
        if key == BODY:
            return dataclasses.replace(self.content, forms=inline, include_body=True)
        grids = [p.grid for p in self.plan.available if p.key == key]
        return dataclasses.replace(self.content, forms=grids, include_body=False)

    def _paint(self, printer: QPrinter) -> None:
        self.pages_painted = paint(self.selected_content(), printer)
