"""The in-app layout: the engine that prints a DOCX where LibreOffice is missing.

:class:`InAppLayout` (:func:`qt_docx_pdf`) prints a DOCX with Qt (``QTextDocument`` on
``QPdfWriter``) as LibreOffice does, in four steps, each in its module:

- :mod:`.docx_read` reads the DOCX back with python-docx: each section's page, orientation,
  margins (GB/T 9704 from :mod:`..export.paper`), document grid and page numbers, the
  styles resolved (fonts from :mod:`.fonts`, sizes, line heights, indents, spacing, tabs);
- :mod:`.qt_document` builds one ``QTextDocument`` per section: paragraphs, the 目录's dot
  leaders, the air Word adds between 汉字 and Latin or digits, tables with their widths,
  merges, borders and repeated header rows;
- :mod:`.pagination` does what Qt's layout lacks, after it: headings kept with the next
  paragraph, widows and orphans, rows never split and kept blocks of rows moved together
  to the next page, text in cells across a page break put at the top;
- this module draws the pages, and the page numbers ``— N —`` where the DOCX has them.

tests/export/test_pdf_layout.py compares it with LibreOffice, page by page and cell by
cell.  Qt embeds the Chinese fonts.  Only QtGui is used (no widgets).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from ..errors import ExportError
from ..export import paper
from . import page_lines, tounicode
from .docx_read import TWIPS_PER_INCH, DocxSection, docx_sections
from .engine import Cancelled, PrintEngine, StopAsked
from .fonts import SONG
from .qt_document import QtDocx


def _qt_app() -> Any:
    """The running Qt application, or a new one (offscreen where there is no display)."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication([sys.argv[0] if sys.argv else "perfeval-desktop"])
    return app


# device pixels are twips, as in LibreOffice's and Word's layout: every length, font size and
# character spacing of a DOCX is a whole number of them, so Qt's rounding of glyph advances
# to device pixels adds nothing ("-0.25 pt" is -5 px, not -4.17 → -4)
RESOLUTION = TWIPS_PER_INCH
BORDER_PT = 0.3  # the clip leaves room for half a table border (0.5 pt) on the page's edge


def _draw_page(painter: Any, doc: Any, page: Any,
               room: tuple[float, float, float], carried: list[Any]) -> None:
    """Draw one page (``page``, in document coordinates) of ``doc``: what lies on it, clipped
    to it, but for the left and right margins (``room[0]``, ``room[1]``) and ``room[2]`` above,
    where the half of a border drawn on the type area's edge shows (a table as wide as the
    type area would otherwise lose its right border, a table continued on a page the top
    border of its repeated header); as much less below: the top border of the row that
    starts the next page, pushed just off this page, would show at its foot.  The blocks
    ``carried`` over from the page before print only their lines on this page
    (:mod:`.page_lines`)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QAbstractTextDocumentLayout

    left, right, edge = room
    painter.save()
    painter.setClipRect(QRectF(page.x() - left, page.y() - edge,
                               page.width() + left + right, page.height()))
    context = QAbstractTextDocumentLayout.PaintContext()
    # a twip short of the page's foot: Qt paints the pages the clip reaches, its last row
    # on the foot included, and with it the next page's repeated heading rows, whose top
    # border, a twip from the painter's clip, shows at the foot in a coarse rendering
    context.clip = page.adjusted(0, 0, 0, -1)
    with page_lines.lines_on_page(painter, doc, page, carried):
        doc.documentLayout().draw(painter, context)
    painter.restore()


def _go_on(stop: StopAsked | None) -> None:
    """:class:`Cancelled` once 取消 was pressed (asked before each section and page)."""
    if stop is not None and stop():
        raise Cancelled


def qt_docx_pdf(source: Path, target: Path, title: str = "",
                stop: StopAsked | None = None) -> None:
    """Print the DOCX ``source`` to the PDF ``target`` with Qt, as Word would lay it out:
    its sections' pages and margins, styles, tables and page numbers.  ``stop`` is asked
    before each section is laid out and each page drawn (the unfinished file is the
    caller's to remove)."""
    from docx import Document

    _qt_app()
    from PySide6.QtGui import QPdfWriter

    from .. import APP_NAME

    document = Document(str(source))
    sections = [s for s in docx_sections(document) if s.elements]
    if not sections:
        raise ExportError("没有可打印的内容。")
    writer = QPdfWriter(str(target))
    writer.setResolution(RESOLUTION)
    writer.setTitle(title or (document.core_properties.title or ""))
    writer.setCreator(APP_NAME)
    builder = QtDocx(document, writer, RESOLUTION)
    docs: list[Any] = []  # each section laid out before painting starts
    for laid in sections:
        _go_on(stop)
        docs.append(builder.document(laid))
    _Pages(writer, stop).draw(sections, docs, target)
    tounicode.unify_radicals(target, [doc for doc, _w, _h in docs])  # 金, not ⾦


def _page_layout(section: DocxSection) -> Any:
    """The ``QPageLayout`` of the section's page: its size and orientation, no margins."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize

    w, h = section.page
    landscape = w > h
    orient = QPageLayout.Orientation.Landscape if landscape else (
        QPageLayout.Orientation.Portrait)
    size = QPageSize(QSizeF(min(w, h), max(w, h)), QPageSize.Unit.Millimeter, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)  # A4 within a millimetre
    return QPageLayout(size, orient, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


class _Pages:
    """The PDF's pages drawn one after the other on ``writer``, each section's laid-out
    document page by page, with the page numbers counted across the sections."""

    def __init__(self, writer: Any, stop: StopAsked | None) -> None:
        from PySide6.QtGui import QFont

        self.writer, self.stop = writer, stop
        self.px_per_mm = RESOLUTION / 25.4
        self.number_font = QFont()
        self.number_font.setFamilies(SONG)
        self.number_font.setPointSizeF(14)
        self.page_no = 0  # the number printed
        self.printed = 0  # pages printed

    def draw(self, sections: list[DocxSection], docs: list[Any], target: Path) -> None:
        """Draw ``docs`` (per section: its document, width and page height) to ``target``."""
        from PySide6.QtGui import QPainter

        self.writer.setPageLayout(_page_layout(sections[0]))
        painter = QPainter()
        if not painter.begin(self.writer):
            raise ExportError(f"无法写入 PDF 文件“{target.name}”，请检查文件夹权限后重试。")
        try:
            for i, (section, laid) in enumerate(zip(sections, docs, strict=True)):
                if i:
                    self.writer.setPageLayout(_page_layout(section))
                if section.start is not None:
                    self.page_no = section.start - 1
                self._section(painter, section, *laid)
        finally:
            painter.end()

    def _section(self, painter: Any, section: DocxSection, doc: Any, width: float,
                 height: float) -> None:
        """The pages of one section's document ``doc`` (type area ``width`` × ``height``)."""
        from PySide6.QtCore import QPointF, QRectF

        top, _bottom, left, right = section.margins
        mm = self.px_per_mm
        carried = page_lines.carried_over(doc, height)
        for p in range(doc.pageCount()):
            _go_on(self.stop)
            if self.printed:
                self.writer.newPage()
            self.printed += 1
            self.page_no += 1
            painter.save()
            painter.translate(QPointF(left * mm, top * mm - p * height))
            _draw_page(painter, doc, QRectF(0, p * height, width, height),
                       (left * mm, right * mm, BORDER_PT / 72 * RESOLUTION),
                       carried.get(p, []))
            painter.restore()
            if section.numbered:
                self._number(painter, section, width)

    def _number(self, painter: Any, section: DocxSection, width: float) -> None:
        """``— N —`` at the foot of the page just drawn (odd pages and even pages aligned
        as the section's footers are), or turned along a landscape page's edge."""
        from PySide6.QtCore import QRectF, Qt

        page_no, mm = self.page_no, self.px_per_mm
        align = section.align_odd if page_no % 2 else section.align_even
        painter.setFont(self.number_font)
        if section.turned_at is not None:
            _turned_number(painter, section, f"— {page_no} —", align, mm)
            return
        one_char = 14 / 72 * RESOLUTION
        left, page_h = section.margins[2], section.page[1]
        box = QRectF(left * mm + (one_char if align == "left" else 0),
                     (page_h - section.footer_mm - 10) * mm,
                     width - (one_char if align in ("left", "right") else 0),
                     10 * mm)
        flag = {"left": Qt.AlignmentFlag.AlignLeft,
                "right": Qt.AlignmentFlag.AlignRight}.get(
                    align, Qt.AlignmentFlag.AlignHCenter)
        painter.drawText(box, flag | Qt.AlignmentFlag.AlignBottom, f"— {page_no} —")


def _turned_number(painter: Any, section: DocxSection, text: str, align: str,
                   px_per_mm: float) -> None:
    """``— N —`` turned a quarter clockwise along the landscape page's left edge, in the
    footer's text box (:func:`.paper.landscape_page_number_footers`)."""
    from PySide6.QtCore import QPointF, QRectF, Qt

    top, bottom, _left, _right = section.margins
    box = paper.NUMBER_BOX_MM * px_per_mm
    length = (section.page[1] - top - bottom) * px_per_mm
    one_char = paper.PAGE_NUMBER_PT / 72 * 25.4 * px_per_mm
    painter.save()
    at = section.turned_at if section.turned_at is not None else paper.FOOTER_DISTANCE_MM
    painter.translate(QPointF(at * px_per_mm + box, top * px_per_mm))
    painter.rotate(90)  # x runs down the edge, the glyphs' tops face the page
    rect = QRectF(one_char if align == "left" else 0, 0, length - one_char, box)
    flag = Qt.AlignmentFlag.AlignRight if align == "right" else Qt.AlignmentFlag.AlignLeft
    painter.drawText(rect, flag | Qt.AlignmentFlag.AlignVCenter, text)
    painter.restore()


class InAppLayout(PrintEngine):
    """The in-app layout (Qt's ``QTextDocument`` with its pagination): always there."""

    name = "qt"
    label = "Qt 排版"

    def print_docx(self, source: Path, target: Path, title: str = "",
                   stop: StopAsked | None = None) -> None:
        _go_on(stop)
        try:
            qt_docx_pdf(source, target, title, stop)
        except Cancelled:
            target.unlink(missing_ok=True)  # the pages drawn before 取消: no PDF left
            raise
