"""A table's rows on the pages, as Word and LibreOffice print them.

Rows are never split by a page break (Word's "cantSplit"; Qt would print half a row on
each page), and rows kept with the next row (a heading, 评价人员 and its people …) move to
the next page together where they fit on one (:class:`TableRows`).  Cells merged across
such a break are split in two, each page framing its own rows (:func:`split_across`), and
cells a page break follows or crosses print their text at the top (:func:`no_drift`).  Qt
is imported inside the functions only.
"""

from __future__ import annotations

from typing import Any

from .positions import KEEP_NEXT, SPACER, cell_spans, line_spans, line_tops, page_of, row_lines


def _page_break() -> Any:
    """A block format that only starts a page (for ``mergeBlockFormat``)."""
    from PySide6.QtGui import QTextBlockFormat, QTextFormat

    fmt = QTextBlockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    return fmt


def _empty_cell(cell: Any, pad: float | None) -> None:
    """``cell`` of the empty row made borderless, unpadded and one tiny line tall;
    ``pad``: the bottom padding of the one cell that gives the row its height."""
    from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextFrameFormat

    fmt = cell.format().toTableCellFormat()
    for side in ("Top", "Bottom", "Left", "Right"):
        getattr(fmt, f"set{side}Border")(0)
        getattr(fmt, f"set{side}BorderStyle")(QTextFrameFormat.BorderStyle.BorderStyle_None)
        getattr(fmt, f"set{side}Padding")(0)
    if pad is not None:
        fmt.setBottomPadding(pad)
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


class TableRows:
    """The rows of ``table`` in ``doc`` (pages ``page_height`` device pixels tall;
    ``scale``: device pixels per format unit; ``point``: device pixels per point) kept
    whole; ``keeps``: for each row, whether it keeps with the next."""

    def __init__(self, doc: Any, table: Any, keeps: list[bool], page_height: float,
                 scale: float, point: float) -> None:
        self.doc, self.table, self.keeps = doc, table, keeps
        self.page_height, self.scale, self.point = page_height, scale, point
        self.rows = table.rows()  # grows with each empty row inserted

    def page(self, y: float) -> int:
        return page_of(y, self.page_height)

    def keep_whole(self) -> None:
        """Each row from the top, moved to the next page where a break would split it or
        its kept block; the first row of the block then starts the page."""
        heads = self.table.format().headerRowCount()  # Qt repeats them on the next page
        heads_height = self._heads_height(heads)
        r = 0
        for _ in range(4 * self.rows):  # every break moves rows down; each at most twice
            if r >= self.rows:
                return
            r = self._step(r, heads, heads_height)

    def _step(self, r: int, heads: int, heads_height: float) -> int:
        """Row ``r`` moved to the next page where it must be; the next row to look at."""
        doc, table = self.doc, self.table
        lines = row_lines(doc, table, r)
        if not lines:
            return r + 1
        top = min(a for a, _b in lines)
        pages = {self.page(a) for a, _b in lines} | {self.page(self._row_bottom(r) - 1)}
        if r and self.first_on_page(r, top) and not self._spacer_row(r - 1) and (
                row_lines(doc, table, r - 1)):  # Qt broke the page before r itself
            if self.break_before(r, top, self.page(top) - 1):
                return self._past(True, r)
        if len(pages) > 1 and not self.first_on_page(r, top):
            return self._past(self.break_before(r, top), r)
        if self._block_goes_over(r, top, heads, heads_height):
            return self._past(self.break_before(r, top), r)
        return r + 1

    def _block_goes_over(self, r: int, top: float, heads: int, heads_height: float) -> bool:
        """Whether the block of rows kept together that row ``r`` starts (top ``top``)
        crosses a page break and fits on one page: then it goes to the next page."""
        keeps, page = self.keeps, self.page
        end = r
        while end < self.rows - 1 and end < len(keeps) and keeps[end]:
            end += 1
        if end == r or (r != 0 and keeps[r - 1]):
            return False
        bottom = max(self._row_bottom(end), top)
        # the block's height without the foot of the page it leaves empty
        on_first = [b for k in range(r, end + 1) for a, b in row_lines(self.doc, self.table, k)
                    if page(a) == page(top)]
        gap = (page(top) + 1) * self.page_height - max(on_first, default=top)
        if r < heads:  # the headings are in the block: moved, it does not repeat them
            gap += heads_height
        return page(bottom - 1) != page(top) and (
            bottom - top - gap < self.page_height * 0.95) and not self.first_on_page(r, top)

    def _past(self, moved: bool | None, r: int) -> int:
        """The next row to look at after a break before row ``r``: past the row inserted
        for it (kept with nothing), or past ``r`` when none could be."""
        if moved:
            self.keeps.insert(r, False)
            self.rows += 1
            return r + 1
        return r + 1 if moved is False else r

    def break_before(self, r: int, top: float, here: int | None = None) -> bool | None:
        """Row ``r`` (its text's top ``top``) to the next page: True when a row was inserted
        for it, None when the table or its title was moved instead, False when it cannot
        be done.

        Qt has no page break between rows (a break in a cell moves that cell's text
        alone): an empty, borderless row fills the rest of the page instead.  Before row
        0 the table starts a page, with the paragraphs kept with it (its title).  With
        ``here``, Qt already started row ``r`` on the page after ``here`` and stretched the
        row above to the page's foot: the empty row takes that stretch instead."""
        if r == 0:
            return self._table_starts_page()
        # row r's top: its text's top less its padding; the window for the empty row's
        # height: the next row's first line just off the page (less) and the empty row
        # pushed over itself (more) — first tried in its middle
        doc, table, page = self.doc, self.table, self.page
        split_across(doc, table, r)
        first = next(cell for c in range(table.columns())
                     if (cell := table.cellAt(r, c)).row() == r and cell.column() == c)
        start = top - first.format().toTableCellFormat().topPadding() * self.scale
        line = min((b - a for a, b in row_lines(doc, table, r)), default=12 * self.point)
        guess = 0.0 if here is not None else (
            (page(top) + 1) * self.page_height - start - line / 2) / self.scale
        here = page(top) if here is None else here
        spacer = self._insert_empty_row(r, guess)
        if spacer is None:
            table.removeRows(r, 1)
            return False
        return self._fit(spacer, r, here)

    def _table_starts_page(self) -> bool | None:
        """The table starts a page, with the title or heading kept with it: None when
        done, False when it already does."""
        from PySide6.QtGui import QTextCursor, QTextFormat

        table = self.table
        head = table.firstCursorPosition().block().previous()
        while head.isValid() and head.blockFormat().property(KEEP_NEXT) and (
                head.previous().isValid()
                and head.previous().blockFormat().property(KEEP_NEXT)):
            head = head.previous()
        if head.isValid() and head.blockFormat().property(KEEP_NEXT):
            lines = line_spans(self.doc, head)
            if lines and lines[0][0] - self.page(lines[0][0]) * self.page_height > 1:
                QTextCursor(head).mergeBlockFormat(_page_break())
                return None
            return False
        fmt = table.format()
        if fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
            return False
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        table.setFormat(fmt)
        return None

    def _insert_empty_row(self, r: int, guess: float) -> Any | None:
        """An empty row inserted before row ``r``, its first cell ``guess`` tall (format
        units): that cell, or None where every cell is merged across the break."""
        from PySide6.QtGui import QTextCursor

        table = self.table
        spacer: list[Any] = []
        edit = QTextCursor(self.doc)
        edit.beginEditBlock()  # the new row and its cells laid out once
        table.insertRows(r, 1)
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            if cell.row() != r or cell.column() != c:
                continue  # a cell merged across the break: it simply grows
            # one cell is enough: a row is as tall as its tallest cell
            _empty_cell(cell, None if spacer else guess)
            spacer.append(cell)
        edit.endEditBlock()
        return spacer[0] if spacer else None

    def _spacer_pages(self, spacer: Any, r: int, pad: float | None = None) -> tuple[int, int]:
        """The pages of the empty row ``r`` (its cell ``spacer``, with the bottom padding
        ``pad`` where given) and of the row after it."""
        if pad is not None:
            fmt = spacer.format().toTableCellFormat()
            fmt.setBottomPadding(pad)
            spacer.setFormat(fmt)
        mine = line_tops(self.doc, spacer.firstCursorPosition().block())[0]
        after = row_lines(self.doc, self.table, r + 1)
        return self.page(mine), self.page(min((a for a, _b in after), default=mine))

    def _fit(self, spacer: Any, r: int, here: int) -> bool:
        """The empty row ``r`` as tall as it takes to end page ``here`` and push the next
        row over; False (the row removed) where no height does."""
        mine, after = self._spacer_pages(spacer, r)
        if mine == here < after:
            return True
        # else halving: the positions Qt reports for cells leave out their centring
        low, high = 0.0, self.page_height / self.scale
        for _ in range(9):  # to a 500th of the page: the next row's first line is taller
            mid = (low + high) / 2
            mine, after = self._spacer_pages(spacer, r, mid)
            if mine > here:
                high = mid  # the empty row itself went over
            elif after > here:
                high = mid  # enough: try less
            else:
                low = mid
        mine, after = self._spacer_pages(spacer, r, high)
        if mine == here < after:
            return True
        self.table.removeRows(r, 1)  # no such padding: leave the row where Qt put it
        return False

    def first_on_page(self, r: int, top: float) -> bool:
        """Whether row ``r`` (its text's top ``top``) is the first thing on its page."""
        if r:
            above = row_lines(self.doc, self.table, r - 1)
        else:  # the table's first row: the text before the table
            before = self.table.firstCursorPosition().block().previous()
            above = line_spans(self.doc, before) if before.isValid() else []
        return not above or self.page(max(b for _a, b in above) - 1) != self.page(top)

    def _spacer_row(self, k: int) -> bool:
        return any(self.table.cellAt(k, c).format().property(SPACER)
                   for c in range(self.table.columns()))

    def _heads_height(self, heads: int) -> float:
        """The height of the table's ``heads`` heading rows where the page starts them (the
        first line of the row under them less theirs; 0 where none or split by a page)."""
        doc, table = self.doc, self.table
        if not heads or heads >= table.rows():
            return 0.0
        first, under = row_lines(doc, table, 0), row_lines(doc, table, heads)
        if not first or not under:
            return 0.0
        top, below = min(a for a, _b in first), min(a for a, _b in under)
        return below - top if self.page(top) == self.page(below) else 0.0

    def _row_bottom(self, r: int) -> float:
        """The foot of row ``r`` (device pixels): its cells' last lines with the padding and
        the border under them (a row whose text ends on the page but its foot not is split)."""
        bottom = 0.0
        for c in range(self.table.columns()):
            cell = self.table.cellAt(r, c)
            if cell.row() != r or cell.column() != c or cell.rowSpan() != 1:
                continue
            lines = cell_spans(self.doc, cell)
            if lines:
                fmt = cell.format().toTableCellFormat()
                bottom = max(bottom, max(b for _a, b in lines) + (
                    fmt.bottomPadding() + fmt.bottomBorder()) * self.scale)
        return bottom


def split_across(doc: Any, table: Any, r: int) -> None:
    """Cells merged over rows above and from row ``r`` on, where a page break comes before
    ``r``, split in two as LibreOffice prints them: each page frames its own rows only (no
    empty box down the page's foot), and the text stays in the upper part where it fits
    there, else goes with the lower one (the 年度总体目标 label, two lines over a one-line
    row, goes with its goals to the next page)."""
    from PySide6.QtGui import QTextCursor

    def row_top(k: int) -> float | None:
        lines = row_lines(doc, table, k)
        return min(a for a, _b in lines) if lines else None

    def text_height(cell: Any) -> float:
        return sum(b - a for a, b in cell_spans(doc, cell))

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


def no_drift(doc: Any, table: Any, page_height: float) -> None:
    """Cells whose rows a page break follows or crosses print their text at the top.

    Qt stretches the last row before a page break to the foot of the page (and a merged
    cell across the break over both pages): centred text would drift down into the gap,
    or across the break, where each page prints half of the line."""
    from PySide6.QtGui import QTextCharFormat, QTextCursor

    top: list[Any] = []  # the cells to print from the top
    tops: list[float | None] = []
    for r in range(table.rows()):
        lines = [a for c in range(table.columns())
                 if (cell := table.cellAt(r, c)).row() == r and cell.column() == c
                 for a in line_tops(doc, cell.firstCursorPosition().block())[:1]]
        tops.append(min(lines) if lines else None)
    for r in range(table.rows()):
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            if cell.row() != r or cell.column() != c:
                continue
            below = next((t for t in tops[r + cell.rowSpan():] if t is not None), None)
            first = tops[r]
            if first is None or below is None or (
                    page_of(first, page_height) == page_of(below, page_height)):
                continue
            top.append(cell)
    edit = QTextCursor(doc)
    edit.beginEditBlock()  # one layout for all the changes
    for cell in top:
        fmt = cell.format()
        fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignTop)
        cell.setFormat(fmt)
    edit.endEditBlock()
