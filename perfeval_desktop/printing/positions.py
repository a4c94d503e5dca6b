"""Where Qt laid a document's text out, and the marks the builder leaves for pagination.

Positions are in document coordinates (device pixels, the pages one under the other):
each line of a block, each line of a table cell, the page a position falls on.  The
block and cell properties mark what the DOCX asked for and Qt has no format for; the
builder (:mod:`.qt_document`) sets them, :mod:`.pagination` reads them.  Qt is not
imported here: the functions take its objects.
"""

from __future__ import annotations

from typing import Any

KEEP_NEXT = 0x100000 + 1  # QTextFormat.UserProperty + 1: a block kept with the next
SPACER = 0x100000 + 2  # a cell of the empty row that ends a page in a table
HARD_BREAK = 0x100000 + 5  # a block after a page break of the DOCX's own


def page_of(y: float, page_height: float) -> int:
    """The page (from 0) that the position ``y`` falls on."""
    return int((y + 0.5) // page_height)


def at_top(y: float, page_height: float) -> bool:
    """Whether ``y`` is at the top of its page (within a device pixel)."""
    return y - page_of(y, page_height) * page_height < 1


def line_spans(doc: Any, block: Any) -> list[tuple[float, float]]:
    """(top, bottom) of each line of ``block`` in document coordinates (device pixels)."""
    doc.idealWidth()  # Qt lays a long document out lazily, on timer ticks: finish it now
    layout = block.layout()
    if layout is None or layout.lineCount() == 0:
        return []
    top = doc.documentLayout().blockBoundingRect(block).top()
    lines = [layout.lineAt(i) for i in range(layout.lineCount())]
    return [(top + ln.y(), top + ln.y() + ln.height()) for ln in lines]


def line_tops(doc: Any, block: Any) -> list[float]:
    """The top of each line of ``block`` in document coordinates (device pixels)."""
    return [a for a, _b in line_spans(doc, block)]


def cell_spans(doc: Any, cell: Any) -> list[tuple[float, float]]:
    """(top, bottom) of each line of the table cell ``cell``, block after block."""
    block, end = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
    spans: list[tuple[float, float]] = []
    while block.isValid():
        spans += line_spans(doc, block)
        if block == end:
            break
        block = block.next()
    return spans


def row_lines(doc: Any, table: Any, r: int) -> list[tuple[float, float]]:
    """(top, bottom) of the text lines of the cells that start in row ``r`` and end there."""
    tops: list[tuple[float, float]] = []
    for c in range(table.columns()):
        cell = table.cellAt(r, c)
        if cell.row() != r or cell.column() != c or cell.rowSpan() != 1:
            continue
        tops += cell_spans(doc, cell)
    return tops
