"""打印预览 (Ctrl+P): the pages of the PDF the export makes, and printing sends them.

The PDF is ``export.write_plan_pdf``'s — LibreOffice when installed, else the in-app
renderer — made once per choice in the toolbar (the whole report, the 正文, one 附件) into
a temp folder, off the UI thread (:func:`make_pdf` run as a :class:`~.tasks.Task`, with a
progress bar and 取消: the main window's for the first, the dialog's own below its pages
for the others).  Its pages are rendered by pypdfium2 and drawn on the ``QPrinter``: in the
preview at ``PREVIEW_DPI``, on paper at the printer's resolution (at most
``PRINT_DPI_MAX``), so that the preview, the PDF file and the paper show the same pages.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import (
    QCloseEvent,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintEngine,
    QPainter,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QToolBar, QWidget

from ..export import ExportPlan, plan_export, write_plan_pdf
from ..export.report_docx import is_inline
from ..model.report import Report
from ..templates.loader import Template
from ..workspace import Workspace
from .tasks import Progress, Task, TaskBar

ALL, BODY = "all", "report"
PREVIEW_DPI = 150  # what the preview keeps per page: 2 MB of grey
PRINT_DPI_MAX = 600
ENGINE_LABELS = {"libreoffice": "LibreOffice 排版", "qt": "程序内排版"}


class PdfPages:
    """The pages of a PDF file: their sizes in points and their images (greyscale)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._doc = pdfium.PdfDocument(str(path))
        self.sizes = [self._doc[i].get_size() for i in range(len(self._doc))]

    def __len__(self) -> int:
        return len(self.sizes)

    def image(self, index: int, dpi: float) -> QImage:
        bitmap = self._doc[index].render(scale=dpi / 72, grayscale=True)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_Grayscale8)
        return image.copy()  # detached from pdfium's buffer

    def close(self) -> None:
        self._doc.close()


def _layout(landscape: bool) -> QPageLayout:
    orient = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), orient, QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )


def _fit(page: tuple[float, float], box: QRectF) -> QRectF:
    """``page`` (w, h) scaled into ``box`` keeping its proportions, centred."""
    scale = min(box.width() / page[0], box.height() / page[1])
    w, h = page[0] * scale, page[1] * scale
    return QRectF(box.x() + (box.width() - w) / 2, box.y() + (box.height() - h) / 2, w, h)


def paint(pages: PdfPages, printer: QPrinter) -> int:
    """Draw ``pages`` on ``printer`` (the preview or paper); returns the pages drawn.

    A print job keeps one paper orientation (Qt cannot change it while printing): when
    portrait and landscape pages are printed together, the paper is portrait and the
    landscape pages are turned on it, as a printer prints them."""
    if not len(pages):
        return 0
    turned = [w > h for w, h in pages.sizes]
    paper_landscape = all(turned)
    printer.setFullPage(True)  # the PDF's pages carry their own margins
    printer.setPageLayout(_layout(paper_landscape))
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    preview = painter.paintEngine().type() == QPaintEngine.Type.Picture
    dpi = PREVIEW_DPI if preview else min(printer.resolution(), PRINT_DPI_MAX)
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    try:
        for i, size in enumerate(pages.sizes):
            if i:
                printer.newPage()
            painter.save()
            box = QRectF(0, 0, paper.width(), paper.height())
            if turned[i] != paper_landscape:  # the page's top along the paper's left edge
                painter.translate(0, paper.height())
                painter.rotate(-90)
                box = QRectF(0, 0, paper.height(), paper.width())
            painter.drawImage(_fit(size, box), pages.image(i, dpi))
            painter.restore()
    finally:
        painter.end()
    return len(pages)


@dataclass
class MadePdf:
    """The PDF of one choice (``ALL``, ``BODY`` or a part key), made by :func:`make_pdf`."""

    key: str
    plan: ExportPlan
    path: Path
    engine: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def make_pdf(report: Report, template: Template, key: str, target: Path,
             progress: Progress | None = None) -> MadePdf:
    """The PDF of ``key`` for ``report`` (a copy when this runs in a worker thread)."""
    if progress is not None:
        progress.step("计算得分，填写表格", 0, 2)
    plan = plan_export(report, template, None if key == ALL else [key])
    if progress is not None:
        progress.step("排版页面", 1, 2)
    stop = (lambda: progress.cancelled) if progress is not None else None  # ends LibreOffice
    engine = write_plan_pdf(plan, target, stop=stop)
    return MadePdf(key, plan, target, engine)


class PreviewFolder:
    """The temp folder of a preview's PDFs (one file per choice)."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="perfeval-preview-")
        self.path = Path(self._tmp.name)
        self._count = 0

    def next_file(self) -> Path:
        self._count += 1
        return self.path / f"{self._count}.pdf"

    def cleanup(self) -> None:
        self._tmp.cleanup()


class PrintPreview(QPrintPreviewDialog):
    """The preview of the whole report or of one part (chosen in the dialog's toolbar).

    It opens on ``first`` (made before, off the UI thread, into ``folder`` which it then
    owns); the other choices are made when chosen, for the ``report`` copy it was opened
    with."""

    def __init__(self, name: str, report: Report, template: Template, folder: PreviewFolder,
                 first: MadePdf, parent: QWidget | None = None) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(_layout(False))
        printer.setDocName(name)
        super().__init__(printer, parent)
        self._printer = printer  # the dialog does not own it
        self.report, self.template, self.folder = report, template, folder
        self.setWindowTitle(f"打印预览 — {name}")
        self.resize(1000, 860)
        self._pdfs: dict[str, PdfPages] = {first.key: PdfPages(first.path)}
        self.engine = first.engine
        self.plan = first.plan
        self.shown = first.key
        self.pages = self._pdfs[first.key]
        self.choice = QComboBox()
        self.choice.setObjectName("previewPart")
        self.choice.addItem("全部（报告正文及附件）", ALL)
        self.choice.addItem("报告正文", BODY)
        for part in self.plan.available:
            if not is_inline(part):
                self.choice.addItem(f"{part.key}　{part.title}", part.key)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.engine_label = QLabel(f"  {ENGINE_LABELS.get(self.engine, self.engine)}，"
                                   "与导出的 PDF 相同")
        self.engine_label.setObjectName("previewEngine")
        self.tasks = TaskBar()
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addWidget(QLabel(" 预览内容："))
            toolbar.addWidget(self.choice)
            toolbar.addWidget(self.engine_label)
        layout = self.layout()
        if layout is not None:  # below the pages, as the main window's status bar
            layout.addWidget(self.tasks)
        self.pages_painted = 0
        self.paintRequested.connect(self._paint)

    @classmethod
    def made_here(cls, ws: Workspace, parent: QWidget | None = None) -> PrintPreview:
        """The preview of ``ws`` with its first PDF made on this thread (the bundle's
        self-test; the window makes it in a worker, MainWindow.print_preview)."""
        folder = PreviewFolder()
        try:
            first = make_pdf(ws.report, ws.template, ALL, folder.next_file())
        except BaseException:
            folder.cleanup()
            raise
        return cls(ws.display_name, ws.report, ws.template, folder, first, parent)

    @property
    def preview(self) -> QPrintPreviewWidget:
        widget = self.findChild(QPrintPreviewWidget)
        assert widget is not None
        return widget

    @property
    def busy(self) -> bool:
        """A choice's PDF is being made."""
        return self.tasks.busy

    def select(self, key: str) -> None:
        i = self.choice.findData(key)
        if i >= 0:
            self.choice.setCurrentIndex(i)

    def _chosen(self, _index: int) -> None:
        key = self.choice.currentData()
        if key in self._pdfs:
            self._show(key)
            return
        target = self.folder.next_file()
        report, template = self.report, self.template
        task: Task[MadePdf] = Task(
            "生成预览", lambda progress: make_pdf(report, template, key, target, progress),
            self._made, self._failed, MadePdf.discard)
        task.finished.connect(lambda: self._task_ended(task))
        self.choice.setEnabled(False)  # one at a time; 取消 goes back to what was shown
        self.tasks.run(task)

    def _made(self, made: MadePdf) -> None:
        self._pdfs[made.key] = PdfPages(made.path)
        self._show(made.key)

    def _show(self, key: str) -> None:
        self.shown = key
        self.pages = self._pdfs[key]
        self.preview.updatePreview()

    def _task_ended(self, task: Task[MadePdf]) -> None:
        self.choice.setEnabled(True)
        if task.cancelled:
            self._back()

    def _failed(self, message: str) -> None:
        self._back()
        self.failed(message)

    def _back(self) -> None:
        """The choice back to what is shown (its PDF was not made)."""
        self.choice.blockSignals(True)
        self.select(self.shown)
        self.choice.blockSignals(False)

    def failed(self, message: str) -> None:
        QMessageBox.critical(self, "打印预览", message)

    def _paint(self, printer: QPrinter) -> None:
        self.pages_painted = paint(self.pages, printer)

    def done(self, result: int) -> None:
        super().done(result)
        self.cleanup()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.cleanup()

    def cleanup(self) -> None:
        """Stop what is being made; close the PDFs and remove them (one per choice)."""
        if self.tasks.task is not None:
            self.tasks.task.cancel()
        for pages in self._pdfs.values():
            pages.close()
        self._pdfs.clear()
        self.folder.cleanup()
