"""The in-app layout's pagination: what Qt's layout lacks, done after it.

Qt lays a ``QTextDocument`` out on pages but keeps no heading with the next paragraph,
splits rows across a page break, and has no widow control.  :class:`Pagination` mends the
laid-out document from its top down, one fault at a time: a paragraph kept whole, a widow
or orphan (:mod:`.widows`), a heading kept with the next block, a table's rows never split
and its kept blocks of rows moved together, then the text of cells across a page break put
at the top.  It knows only the Qt document (the block and cell properties below mark what
the DOCX asked for), not the DOCX.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import line_ends, widows

KEEP_NEXT = 0x100000 + 1  # QTextFormat.UserProperty + 1: a block kept with the next
SPACER = 0x100000 + 2  # a cell of the empty row that ends a page in a table
HARD_BREAK = 0x100000 + 5  # a block after a page break of the DOCX's own


def _line_spans(doc: Any, block: Any) -> list[tuple[float, float]]:
    """(top, bottom) of each line of ``block`` in document coordinates (device pixels)."""
    doc.idealWidth()  # Qt lays a long document out lazily, on timer ticks: finish it now
    layout = block.layout()
    if layout is None or layout.lineCount() == 0:
        return []
    top = doc.documentLayout().blockBoundingRect(block).top()
    lines = [layout.lineAt(i) for i in range(layout.lineCount())]
    return [(top + ln.y(), top + ln.y() + ln.height()) for ln in lines]


def _page_break() -> Any:
    """A block format that only starts a page (for ``mergeBlockFormat``)."""
    from PySide6.QtGui import QTextBlockFormat, QTextFormat

    fmt = QTextBlockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    return fmt


def _line_tops(doc: Any, block: Any) -> list[float]:
    """The top of each line of ``block`` in document coordinates (device pixels)."""
    return [a for a, _b in _line_spans(doc, block)]


def _starts_page(block: Any) -> None:
    from PySide6.QtGui import QTextCursor, QTextFormat

    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)


def _at_top(y: float, page_height: float) -> bool:
    return y - int((y + 0.5) // page_height) * page_height < 1


def _split_whole(doc: Any, whole: list[tuple[Any, Any]], page_height: float,
                 start: int) -> tuple[int, Callable[[], None]] | None:
    """"Keep lines together": the first paragraph from ``start`` on whose lines fall on
    two pages, and its fix: it starts a page."""
    for first, last in whole:
        if first.position() < start:
            continue
        tops = _line_tops(doc, first) + (_line_tops(doc, last) if last != first else [])
        if not tops or int((tops[0] + 0.5) // page_height) == int(
                (tops[-1] + 0.5) // page_height) or _at_top(tops[0], page_height):
            continue
        return first.position(), lambda block=first: _starts_page(block)
    return None


def _loose_heading(doc: Any, kept: list[tuple[Any, Any]], page_height: float,
                   start: int) -> tuple[int, Callable[[], None]] | None:
    """"Keep with next" (headings): the first kept paragraph from ``start`` on whose last
    line and the next block's first line fall on different pages, and its fix: it starts
    a page, with the kept ones before it that share its page (a chain of headings), as
    Word and LibreOffice do."""

    def page(y: float) -> int:
        return int((y + 0.5) // page_height)

    for i, (first, last) in enumerate(kept):
        if last.position() < start:
            continue
        tops, after = _line_tops(doc, last), _line_tops(doc, last.next())
        if not tops or not after or page(tops[-1]) == page(after[0]):
            continue
        k = i
        while k and kept[k - 1][1].next() == kept[k][0] and page(
                _line_tops(doc, kept[k - 1][0])[0]) == page(_line_tops(doc, first)[0]):
            k -= 1
        head = kept[k][0]
        if _at_top(_line_tops(doc, head)[0], page_height):
            continue
        return head.position(), lambda block=head: _starts_page(block)
    return None


def _row_lines(doc: Any, table: Any, r: int) -> list[tuple[float, float]]:
    """(top, bottom) of the text lines of the cells that start in row ``r`` and end there."""
    tops: list[tuple[float, float]] = []
    for c in range(table.columns()):
        cell = table.cellAt(r, c)
        if cell.row() != r or cell.column() != c or cell.rowSpan() != 1:
            continue
        block, end = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
        while block.isValid():
            tops += _line_spans(doc, block)
            if block == end:
                break
            block = block.next()
    return tops


def _heads_height(doc: Any, table: Any, heads: int, page: Callable[[float], int]) -> float:
    """The height of a table's ``heads`` heading rows where the page starts them (the
    first line of the row under them less theirs; 0 where none or split by a page)."""
    if not heads or heads >= table.rows():
        return 0.0
    first, under = _row_lines(doc, table, 0), _row_lines(doc, table, heads)
    if not first or not under:
        return 0.0
    top, below = min(a for a, _b in first), min(a for a, _b in under)
    return below - top if page(top) == page(below) else 0.0


def _row_bottom(doc: Any, table: Any, r: int, scale: float) -> float:
    """The foot of row ``r`` (device pixels): its cells' last lines with the padding and
    the border under them (a row whose text ends on the page but its foot not is split)."""
    bottom = 0.0
    for c in range(table.columns()):
        cell = table.cellAt(r, c)
        if cell.row() != r or cell.column() != c or cell.rowSpan() != 1:
            continue
        block, end = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
        lines: list[tuple[float, float]] = []
        while block.isValid():
            lines += _line_spans(doc, block)
            if block == end:
                break
            block = block.next()
        if lines:
            fmt = cell.format().toTableCellFormat()
            bottom = max(bottom, max(b for _a, b in lines) + (
                fmt.bottomPadding() + fmt.bottomBorder()) * scale)
    return bottom


def _rows_whole(doc: Any, table: Any, keeps: list[bool], page_height: float,
                scale: float, point: float) -> None:
    """Rows are never split by a page break (Word's "cantSplit"; Qt would print half a row
    on each page), and rows kept with the next row (a heading, 评价人员 and its people …)
    move to the next page together where they fit on one: the first row of the block then
    starts the page (a page break before its first cell)."""
    from PySide6.QtGui import (
        QTextBlockFormat,
        QTextCharFormat,
        QTextCursor,
        QTextFormat,
        QTextFrameFormat,
    )

    def page(y: float) -> int:
        return int((y + 0.5) // page_height)

    def break_before(r: int, top: float, here: int | None = None) -> bool | None:
        """Row ``r`` to the next page: True when a row was inserted for it, None when the
        table or its title was moved instead, False when it cannot be done.

        Qt has no page break between rows (a break in a cell moves that cell's text
        alone): an empty, borderless row fills the rest of the page instead.  Before row
        0 the table starts a page, with the paragraphs kept with it (its title).  With
        ``here``, Qt already started row ``r`` on the page after ``here`` and stretched the
        row above to the page's foot: the empty row takes that stretch instead."""
        if r == 0:  # the table starts a page, with the title or heading kept with it
            head = table.firstCursorPosition().block().previous()
            while head.isValid() and head.blockFormat().property(KEEP_NEXT) and (
                    head.previous().isValid()
                    and head.previous().blockFormat().property(KEEP_NEXT)):
                head = head.previous()
            if head.isValid() and head.blockFormat().property(KEEP_NEXT):
                lines = _line_spans(doc, head)
                if lines and lines[0][0] - page(lines[0][0]) * page_height > 1:
                    QTextCursor(head).mergeBlockFormat(_page_break())
                    return None
                return False
            fmt = table.format()
            if fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
                return False
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            table.setFormat(fmt)
            return None
        # row r's top: its text's top less its padding; the window for the empty row's
        # height: the next row's first line just off the page (less) and the empty row
        # pushed over itself (more) — first tried in its middle
        _split_across(doc, table, r)
        first = next(cell for c in range(table.columns())
                     if (cell := table.cellAt(r, c)).row() == r and cell.column() == c)
        start = top - first.format().toTableCellFormat().topPadding() * scale
        line = min((b - a for a, b in _row_lines(doc, table, r)), default=12 * point)
        guess = 0.0 if here is not None else (
            (page(top) + 1) * page_height - start - line / 2) / scale
        here = page(top) if here is None else here
        spacer: list[Any] = []
        edit = QTextCursor(doc)
        edit.beginEditBlock()  # the new row and its cells laid out once
        table.insertRows(r, 1)
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            if cell.row() != r or cell.column() != c:
                continue  # a cell merged across the break: it simply grows
            fmt = cell.format().toTableCellFormat()
            for side in ("Top", "Bottom", "Left", "Right"):
                getattr(fmt, f"set{side}Border")(0)
                getattr(fmt, f"set{side}BorderStyle")(
                    QTextFrameFormat.BorderStyle.BorderStyle_None)
                getattr(fmt, f"set{side}Padding")(0)
            if not spacer:  # one cell is enough: a row is as tall as its tallest cell
                fmt.setBottomPadding(guess)
                fmt.setProperty(SPACER, True)
            fmt.setTableCellRowSpan(1)
            fmt.setTableCellColumnSpan(cell.columnSpan())
            cell.setFormat(fmt)
            tiny = QTextBlockFormat()
            tiny.setLineHeight(0.01, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            small = QTextCharFormat()  # Qt keeps a line of the cell's font free under a row
            small.setFontPointSize(1)
            cur = cell.firstCursorPosition()
            cur.setBlockFormat(tiny)
            cur.mergeBlockCharFormat(small)
            spacer.append(cell)
        edit.endEditBlock()
        if not spacer:
            table.removeRows(r, 1)
            return False

        def pages() -> tuple[int, int]:
            mine = _line_tops(doc, spacer[0].firstCursorPosition().block())[0]
            after = _row_lines(doc, table, r + 1)
            return page(mine), page(min((a for a, _b in after), default=mine))

        def pages_with(pad: float) -> tuple[int, int]:
            fmt = spacer[0].format().toTableCellFormat()
            fmt.setBottomPadding(pad)
            spacer[0].setFormat(fmt)
            return pages()

        mine, after = pages()
        if mine == here < after:
            return True
        # else halving: the positions Qt reports for cells leave out their centring
        low, high = 0.0, page_height / scale
        for _ in range(9):  # to a 500th of the page: the next row's first line is taller
            mid = (low + high) / 2
            mine, after = pages_with(mid)
            if mine > here:
                high = mid  # the empty row itself went over
            elif after > here:
                high = mid  # enough: try less
            else:
                low = mid
        mine, after = pages_with(high)
        if mine == here < after:
            return True
        table.removeRows(r, 1)  # no such padding: leave the row where Qt put it
        return False

    def first_on_page(r: int, top: float) -> bool:
        if r:
            above = _row_lines(doc, table, r - 1)
        else:  # the table's first row: the text before the table
            before = table.firstCursorPosition().block().previous()
            above = _line_spans(doc, before) if before.isValid() else []
        return not above or page(max(b for _a, b in above) - 1) != page(top)

    def spacer_row(k: int) -> bool:
        return any(table.cellAt(k, c).format().property(SPACER)
                   for c in range(table.columns()))

    def past(moved: bool | None, n: int, r: int) -> tuple[int, int]:
        """The row count and the next row to look at after a break before row ``r``: past
        the row inserted for it (kept with nothing), or past ``r`` when none could be."""
        if moved:
            keeps.insert(r, False)
            return n + 1, r + 1
        return n, r + 1 if moved is False else r

    n = table.rows()
    heads = table.format().headerRowCount()  # Qt repeats them on the next page
    heads_height = _heads_height(doc, table, heads, page)
    r = 0
    for _ in range(4 * n):  # every break moves rows down; each row moves at most twice
        if r >= n:
            return
        lines = _row_lines(doc, table, r)
        if not lines:
            r += 1
            continue
        top = min(a for a, _b in lines)
        pages = {page(a) for a, _b in lines} | {page(_row_bottom(doc, table, r, scale) - 1)}
        if r and first_on_page(r, top) and not spacer_row(r - 1) and (
                _row_lines(doc, table, r - 1)):  # Qt broke the page before r itself
            if break_before(r, top, page(top) - 1):
                n, r = past(True, n, r)
                continue
        if len(pages) > 1 and not first_on_page(r, top):
            n, r = past(break_before(r, top), n, r)
            continue
        end = r
        while end < n - 1 and end < len(keeps) and keeps[end]:
            end += 1
        if end > r and (r == 0 or not keeps[r - 1]):
            bottom = max(_row_bottom(doc, table, end, scale), top)
            # the block's height without the foot of the page it leaves empty
            on_first = [b for k in range(r, end + 1) for a, b in _row_lines(doc, table, k)
                        if page(a) == page(top)]
            gap = (page(top) + 1) * page_height - max(on_first, default=top)
            if r < heads:  # the headings are in the block: moved, it does not repeat them
                gap += heads_height
            if page(bottom - 1) != page(top) and bottom - top - gap < page_height * 0.95 and (
                    not first_on_page(r, top)):
                n, r = past(break_before(r, top), n, r)
                continue
        r += 1


def _split_across(doc: Any, table: Any, r: int) -> None:
    """Cells merged over rows above and from row ``r`` on, where a page break comes before
    ``r``, split in two as LibreOffice prints them: each page frames its own rows only (no
    empty box down the page's foot), and the text stays in the upper part where it fits
    there, else goes with the lower one (the 年度总体目标 label, two lines over a one-line
    row, goes with its goals to the next page)."""
    from PySide6.QtGui import QTextCursor

    def row_top(k: int) -> float | None:
        lines = _row_lines(doc, table, k)
        return min(a for a, _b in lines) if lines else None

    def text_height(cell: Any) -> float:
        block, end = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
        height = 0.0
        while block.isValid():
            height += sum(b - a for a, b in _line_spans(doc, block))
            if block == end:
                break
            block = block.next()
        return height

    edit = QTextCursor(doc)
    edit.beginEditBlock()
    for c in range(table.columns()):
        cell = table.cellAt(r, c)
        top, col, rows, cols = cell.row(), cell.column(), cell.rowSpan(), cell.columnSpan()
        if top >= r or col != c:
            continue
        start, middle = row_top(top), row_top(r)
        below = start is None or middle is None or text_height(cell) > middle - start
        fmt = cell.format().toTableCellFormat()
        table.splitCell(top, col, r - top, cols)
        table.mergeCells(r, col, top + rows - r, cols)
        for row, n in ((top, r - top), (r, top + rows - r)):
            part = table.cellAt(row, col)
            fmt.setTableCellRowSpan(n)
            fmt.setTableCellColumnSpan(cols)
            part.setFormat(fmt)
        if below:
            upper, lower = table.cellAt(top, col), table.cellAt(r, col)
            cursor = upper.firstCursorPosition()
            cursor.setPosition(upper.lastCursorPosition().position(),
                               QTextCursor.MoveMode.KeepAnchor)
            text = cursor.selection()
            cursor.removeSelectedText()
            lower.firstCursorPosition().insertFragment(text)
    edit.endEditBlock()


def _no_drift(doc: Any, table: Any, page_height: float) -> None:
    """Cells whose rows a page break follows or crosses print their text at the top.

    Qt stretches the last row before a page break to the foot of the page (and a merged
    cell across the break over both pages): centred text would drift down into the gap,
    or across the break, where each page prints half of the line."""
    from PySide6.QtGui import QTextCharFormat, QTextCursor

    def page(y: float) -> int:
        return int((y + 0.5) // page_height)

    top: list[Any] = []  # the cells to print from the top
    tops: list[float | None] = []
    for r in range(table.rows()):
        lines = [a for c in range(table.columns())
                 if (cell := table.cellAt(r, c)).row() == r and cell.column() == c
                 for a in _line_tops(doc, cell.firstCursorPosition().block())[:1]]
        tops.append(min(lines) if lines else None)
    for r in range(table.rows()):
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            if cell.row() != r or cell.column() != c:
                continue
            below = next((t for t in tops[r + cell.rowSpan():] if t is not None), None)
            first = tops[r]
            if first is None or below is None or page(first) == page(below):
                continue
            top.append(cell)
    edit = QTextCursor(doc)
    edit.beginEditBlock()  # one layout for all the changes
    for cell in top:
        fmt = cell.format()
        fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignTop)
        cell.setFormat(fmt)
    edit.endEditBlock()


class Pagination:
    """What Qt's layout lacks, done after it, on ``doc`` laid out on pages
    ``page_height`` device pixels tall (``scale``: device pixels per format unit;
    ``point``: device pixels per point; ``device``: the paint device)."""

    def __init__(self, doc: Any, page_height: float, scale: float, point: float,
                 device: Any) -> None:
        self.doc = doc
        self.page_height = page_height
        self.scale = scale
        self.point = point
        self.device = device

    def run(self, tables: list[tuple[Any, list[bool]]], kept: list[tuple[Any, Any]],
            whole: list[tuple[Any, Any]]) -> None:
        """Each step on the pages the ones before it left (a paragraph a step moves to a
        page's top loses its space above).  ``tables``: each table with which of its rows
        keep with the next; ``kept``: (first, last block) of the paragraphs kept with the
        next; ``whole``: … of those whose lines keep together."""
        doc, page_height = self.doc, self.page_height

        def tops() -> None:
            widows.no_space_at_page_tops(doc, page_height, self.scale, HARD_BREAK)

        line_ends.fix_line_ends(doc, self.device, self.scale)
        tops()
        # the first thing wrong from the top, mended, then the next: each step moves
        # only what comes after it (no step works on pages a later one changes)
        pending = sorted(tables, key=lambda tk: tk[0].firstPosition())
        start = 0
        for _ in range(8 * (doc.blockCount() + len(pending)) + 8):
            found = [f for f in (
                _split_whole(doc, whole, page_height, start),
                widows.first_fix(doc, page_height, KEEP_NEXT, start),
                _loose_heading(doc, kept, page_height, start)) if f is not None]
            step = min(found, key=lambda f: f[0], default=None)
            if pending and (step is None or pending[0][0].firstPosition() < step[0]):
                table, keeps = pending.pop(0)
                start = table.firstPosition()
                _rows_whole(doc, table, keeps, page_height, self.scale, self.point)
            elif step is None:
                break
            else:
                start = step[0]
                step[1]()
            tops()
        for table, _keeps in tables:
            _no_drift(doc, table, page_height)
