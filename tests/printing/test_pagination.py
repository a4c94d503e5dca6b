"""The in-app layout's pagination on Qt documents built here, without a DOCX: a row never
split by a page break, a kept block of rows and a heading kept with the next paragraph
moved together, widows and orphans (perfeval_desktop/printing/pagination.py)."""

from __future__ import annotations

from typing import Any

import pytest

from perfeval_desktop.printing.pagination import Pagination
from perfeval_desktop.printing.positions import (
    KEEP_NEXT,
    SPACER,
    line_tops,
    page_of,
    row_lines,
)

LINE = 20.0  # px: every line of these documents
PAGE = 300.0  # px: fifteen lines to a page


@pytest.fixture
def device(qapp: Any) -> Any:
    from PySide6.QtGui import QImage

    return QImage(10, 10, QImage.Format.Format_RGB32)  # 96 dpi: a format unit is a pixel


def _document(device: Any) -> Any:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.documentLayout().setPaintDevice(device)
    doc.setPageSize(QSizeF(400, PAGE))
    return doc


def _block_format(keep_next: bool = False) -> Any:
    from PySide6.QtGui import QTextBlockFormat

    fmt = QTextBlockFormat()
    fmt.setLineHeight(LINE, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    if keep_next:
        fmt.setProperty(KEEP_NEXT, True)
    return fmt


def _paragraph(cursor: Any, lines: int, first: bool = False, keep_next: bool = False) -> Any:
    """A paragraph of ``lines`` lines (line separators); its block."""
    text = "\u2028".join(f"第{k + 1}行" for k in range(lines))
    if first:
        cursor.setBlockFormat(_block_format(keep_next))
    else:
        cursor.insertBlock(_block_format(keep_next))
    cursor.insertText(text)
    return cursor.block()


def _pages(doc: Any, block: Any) -> list[int]:
    return [page_of(y, PAGE) for y in line_tops(doc, block)]


def _paginate(doc: Any, device: Any, tables: list[tuple[Any, list[bool]]] | None = None,
              kept: list[tuple[Any, Any]] | None = None) -> None:
    doc.idealWidth()
    Pagination(doc, PAGE, 1.0, 96 / 72, device).run(tables or [], kept or [], [])


def _table(doc: Any, cursor: Any, rows: int, lines: int) -> Any:
    """A one-column table of ``rows`` rows, each ``lines`` lines tall."""
    from PySide6.QtGui import QTextCursor, QTextTableFormat

    fmt = QTextTableFormat()
    fmt.setBorder(0)
    fmt.setCellPadding(0)
    fmt.setCellSpacing(0)
    fmt.setMargin(0)
    table = cursor.insertTable(rows, 1, fmt)
    for r in range(rows):
        cell = table.cellAt(r, 0).firstCursorPosition()
        cell.setBlockFormat(_block_format())
        cell.insertText("\u2028".join(f"行{r + 1}" for _ in range(lines)))
    cursor.movePosition(QTextCursor.MoveOperation.End)
    return table


def _row_pages(doc: Any, table: Any) -> list[set[int]]:
    """The pages of each row's lines, the empty rows that end a page left out."""
    return [{page_of(a, PAGE) for a, _b in row_lines(doc, table, r)}
            for r in range(table.rows()) if not table.cellAt(r, 0).format().property(SPACER)]


def test_a_row_a_page_break_would_split_starts_the_next_page(device: Any) -> None:
    from PySide6.QtGui import QTextCursor

    doc = _document(device)
    cursor = QTextCursor(doc)
    _paragraph(cursor, 1, first=True)  # the rows start half a row down the page
    table = _table(doc, cursor, rows=6, lines=3)
    doc.idealWidth()
    assert [len(p) for p in _row_pages(doc, table)].count(2) == 1  # Qt splits row 5
    _paginate(doc, device, tables=[(table, [False] * 6)])
    rows = _row_pages(doc, table)
    assert [len(p) for p in rows] == [1] * 6  # none split
    assert [min(p) for p in rows] == [0, 0, 0, 0, 1, 1]
    spacer = [r for r in range(table.rows())
              if table.cellAt(r, 0).format().property(SPACER)]
    assert len(spacer) == 1 and table.rows() == 7  # an empty row ends the first page


def test_a_kept_block_of_rows_moves_to_the_next_page_together(device: Any) -> None:
    from PySide6.QtGui import QTextCursor

    doc = _document(device)
    cursor = QTextCursor(doc)
    _paragraph(cursor, 5, first=True)
    table = _table(doc, cursor, rows=6, lines=2)  # rows 4 and 5 on pages 0 and 1
    keeps = [False, False, False, False, True, False]
    doc.idealWidth()
    assert [min(p) for p in _row_pages(doc, table)] == [0, 0, 0, 0, 0, 1]
    _paginate(doc, device, tables=[(table, keeps)])
    rows = _row_pages(doc, table)
    assert [min(p) for p in rows] == [0, 0, 0, 0, 1, 1]  # row 4 went over with row 5


def test_a_heading_is_kept_with_the_next_paragraph(device: Any) -> None:
    from PySide6.QtGui import QTextCursor

    doc = _document(device)
    cursor = QTextCursor(doc)
    _paragraph(cursor, 13, first=True)
    title = _paragraph(cursor, 1, keep_next=True)
    heading = _paragraph(cursor, 1, keep_next=True)  # the page's last line
    body = _paragraph(cursor, 4)
    doc.idealWidth()
    assert (_pages(doc, title), _pages(doc, heading), _pages(doc, body)[0]) == ([0], [0], 1)
    _paginate(doc, device, kept=[(title, title), (heading, heading)])
    # the chain of headings goes over with the paragraph, the first at the page's top
    assert (_pages(doc, title), _pages(doc, heading), _pages(doc, body)[0]) == ([1], [1], 1)
    assert PAGE <= line_tops(doc, title)[0] < PAGE + LINE  # the page's first line


def test_a_widow_takes_a_line_with_it(device: Any) -> None:
    from PySide6.QtGui import QTextCursor

    doc = _document(device)
    cursor = QTextCursor(doc)
    _paragraph(cursor, 10, first=True)
    last = _paragraph(cursor, 6)  # five lines on page 0, its last alone on page 1
    doc.idealWidth()
    assert _pages(doc, last) == [0] * 5 + [1]
    _paginate(doc, device)
    first, rest = _blocks(last)  # split in two: the second part starts page 1
    assert set(_pages(doc, first)) == {0}
    assert _pages(doc, rest) == [1, 1]  # two lines at the next page's head


def test_an_orphan_goes_over_with_its_paragraph(device: Any) -> None:
    from PySide6.QtGui import QTextCursor

    doc = _document(device)
    cursor = QTextCursor(doc)
    _paragraph(cursor, 14, first=True)
    last = _paragraph(cursor, 4)  # its first line alone at page 0's foot
    doc.idealWidth()
    assert _pages(doc, last) == [0, 1, 1, 1]
    _paginate(doc, device)
    assert _pages(doc, last) == [1, 1, 1, 1]


def _blocks(block: Any) -> list[Any]:
    """``block`` and the blocks after it (a split paragraph's parts)."""
    out = []
    while block.isValid():
        out.append(block)
        block = block.next()
    return out
