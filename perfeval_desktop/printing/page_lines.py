"""Each line of text in the in-app PDF once: on the page it is printed on.

Qt draws a paragraph a page break splits on both pages, clipped: its ``QTextLayout::draw``
starts one line before the first line inside the clip (the last line wholly above it), and
``QTextDocumentLayout`` draws a block whose foot touches the page's top.  The clip hides
that line on paper, but the PDF holds its text twice: copied, searched or read by
``pdftotext``, a page begins with the previous page's last line.  So a block that started
on an earlier page is hidden from Qt's drawing of the page (``QTextBlock.setVisible``, which
leaves the layout as it is) and its lines on the page are drawn here, one by one.  Qt is
imported inside the functions only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

EPS = 0.5  # device pixels: lines and pages are laid out on whole twips


def _page(y: float, page_height: float) -> int:
    return int((y + EPS) // page_height)


def _origin(doc: Any, block: Any) -> Any:
    """The origin of ``block``'s layout (its lines' positions are from it), in document
    coordinates: ``blockBoundingRect`` puts its rect's top left there."""
    return doc.documentLayout().blockBoundingRect(block).topLeft()


def _in_heading_row(block: Any) -> bool:
    """Whether ``block`` is in a table's repeated heading rows: Qt draws those again at the
    top of each page the table continues onto."""
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(block)
    table = cursor.currentTable()
    return table is not None and table.cellAt(cursor).row() < table.format().headerRowCount()


def carried_over(doc: Any, page_height: float) -> dict[int, list[Any]]:
    """Page index → the blocks that start on an earlier page and reach that page's top:
    those Qt would draw there too (the last line before the page among them)."""
    doc.idealWidth()  # laid out to the end
    out: dict[int, list[Any]] = {}
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        if layout is not None and layout.lineCount():
            # the lines' extent, as Qt tests it before drawing a block
            rect = layout.boundingRect().translated(_origin(doc, block))
            first = _page(rect.top(), page_height)
            last = int((rect.bottom() + EPS) // page_height)
            if last > first and not _in_heading_row(block):
                for page in range(first + 1, last + 1):
                    out.setdefault(page, []).append(block)
        block = block.next()
    return out


@contextmanager
def lines_on_page(painter: Any, doc: Any, page: Any, blocks: list[Any]) -> Iterator[None]:
    """Draw the lines of ``blocks`` (:func:`carried_over`) that lie on ``page`` (a rect in
    document coordinates) and hide the blocks from Qt while the page is drawn in the
    ``with`` body."""
    from PySide6.QtCore import QPointF

    for block in blocks:
        origin = _origin(doc, block)
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            top = origin.y() + line.y()
            if page.top() - EPS <= top < page.bottom() - EPS:
                line.draw(painter, QPointF(origin.x(), origin.y()))
        block.setVisible(False)
    try:
        yield
    finally:
        for block in blocks:
            block.setVisible(True)
