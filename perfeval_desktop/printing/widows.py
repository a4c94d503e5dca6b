"""Widow and orphan control, as LibreOffice applies it to a Word document's paragraphs.

A paragraph outside the tables that a page break splits keeps at least two lines on
each page: with one line at a page's foot (an orphan) it starts the next page; with one
line at the next page's head (a widow) its line before the break goes over too, unless
that left an orphan.  Qt has neither: the paragraph is split in two blocks instead, the
second starting the page, the first keeping its last line justified.  Qt is imported
inside the functions only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import justify

LINES = 2  # LibreOffice's widows and orphans for a Word document


def _line_tops(doc: Any, block: Any) -> list[float]:
    layout = block.layout()
    top = doc.documentLayout().blockBoundingRect(block).top()
    return [top + layout.lineAt(i).y() for i in range(layout.lineCount())]


def _split(block: Any, line: int) -> None:
    """Start the page with line ``line`` of ``block``: the lines after it become a block
    of their own, starting a page."""
    from PySide6.QtGui import QTextCursor, QTextFormat

    fmt = block.blockFormat()
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + block.layout().lineAt(line).textStart())
    rest = block.blockFormat()
    rest.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    rest.setTextIndent(0)
    rest.setTopMargin(0)
    cursor.insertBlock(rest)
    if fmt.property(justify.JUSTIFIED):  # the line before the break is no paragraph's
        fmt.setProperty(justify.FORCED, True)  # last: it is justified too
        QTextCursor(block).setBlockFormat(fmt)


def _starts_page(block: Any, kept: int) -> None:
    """``block`` starts a page, with the headings before it kept with it (blocks with the
    property ``kept``)."""
    from PySide6.QtGui import QTextCursor, QTextFormat

    while block.previous().isValid() and block.previous().blockFormat().property(kept):
        block = block.previous()
    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)


def _fix(doc: Any, block: Any, page_height: float, kept: int) -> Callable[[], None] | None:
    """What ``block``'s first page break needs (None: nothing)."""
    tops = _line_tops(doc, block)
    pages = [int((t + 0.5) // page_height) for t in tops]
    cut = next((i for i in range(1, len(pages)) if pages[i] != pages[i - 1]), None)
    if cut is None:
        return None
    at_top = tops[0] - pages[0] * page_height < 1
    if cut < LINES or (len(tops) - cut < LINES and cut - 1 < LINES):
        if at_top:
            return None
        return lambda: _starts_page(block, kept)  # an orphan: the paragraph goes over
    if len(tops) - cut < LINES:
        return lambda: _split(block, cut - 1)  # a widow: one more line over
    return None


def first_fix(doc: Any, page_height: float, kept: int,
              start: int = 0) -> tuple[int, Callable[[], None]] | None:
    """The first paragraph of ``doc`` from position ``start`` on, outside its tables, with
    fewer than two lines on a page it is printed on (``page_height`` in device pixels;
    ``kept``: the block property of the headings kept with the next block), and what
    mends it: (its position, the fix)."""
    from PySide6.QtGui import QTextCursor

    doc.idealWidth()  # the positions after the last change
    block = doc.findBlock(start)
    while block.isValid():
        layout = block.layout()
        if layout is not None and layout.lineCount() >= LINES and (
                QTextCursor(block).currentTable() is None):
            fix = _fix(doc, block, page_height, kept)
            if fix is not None:
                return block.position(), fix
        block = block.next()
    return None


def no_space_at_page_tops(doc: Any, page_height: float, scale: float, hard: int) -> None:
    """A paragraph that a page break (not its own, ``hard``: a Word page break before it)
    put at the top of a page loses its space above, as in LibreOffice (a table's title on
    a new page starts at the type area's top); ``scale``: device pixels per format unit."""
    from PySide6.QtGui import QTextCursor

    block = doc.begin().next()  # the document's first block keeps its space
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.topMargin() > 0 and not fmt.property(hard) and (
                QTextCursor(block).currentTable() is None):
            doc.idealWidth()  # the positions after the last change
            above = doc.documentLayout().blockBoundingRect(block).top() - (
                fmt.topMargin() * scale)
            if abs(above - round(above / page_height) * page_height) < 1:
                fmt.setTopMargin(0)
                QTextCursor(block).setBlockFormat(fmt)
        block = block.next()
