"""The in-app layout's pagination: what Qt's layout lacks, done after it.

Qt lays a ``QTextDocument`` out on pages but keeps no heading with the next paragraph,
splits rows across a page break, and has no widow control.  :class:`Pagination` mends the
laid-out document from its top down, one fault at a time: a paragraph kept whole, a widow
or orphan (:mod:`.widows`), a heading kept with the next block, a table's rows never split
and its kept blocks of rows moved together (:mod:`.table_rows`), then the text of cells
across a page break put at the top.  It knows only the Qt document (block and cell
properties, :mod:`.positions`, mark what the DOCX asked for), not the DOCX.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import line_ends, widows
from .positions import HARD_BREAK, KEEP_NEXT, at_top, line_tops, page_of
from .table_rows import TableRows, no_drift

Fix = tuple[int, Callable[[], None]]  # where a fault is (a position), and what mends it


def _starts_page(block: Any) -> None:
    from PySide6.QtGui import QTextCursor, QTextFormat

    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)


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

    def page(self, y: float) -> int:
        return page_of(y, self.page_height)

    def run(self, tables: list[tuple[Any, list[bool]]], kept: list[tuple[Any, Any]],
            whole: list[tuple[Any, Any]]) -> None:
        """Each step on the pages the ones before it left (a paragraph a step moves to a
        page's top loses its space above).  ``tables``: each table with which of its rows
        keep with the next; ``kept``: (first, last block) of the paragraphs kept with the
        next; ``whole``: … of those whose lines keep together."""
        line_ends.fix_line_ends(self.doc, self.device, self.scale)
        self._no_space_at_tops()
        # the first thing wrong from the top, mended, then the next: each step moves
        # only what comes after it (no step works on pages a later one changes)
        pending = sorted(tables, key=lambda tk: tk[0].firstPosition())
        start = 0
        for _ in range(8 * (self.doc.blockCount() + len(pending)) + 8):
            step = self.first_fault(kept, whole, start)
            if pending and (step is None or pending[0][0].firstPosition() < step[0]):
                table, keeps = pending.pop(0)
                start = table.firstPosition()
                self.rows(table, keeps).keep_whole()
            elif step is None:
                break
            else:
                start = step[0]
                step[1]()
            self._no_space_at_tops()
        for table, _keeps in tables:
            no_drift(self.doc, table, self.page_height)

    def rows(self, table: Any, keeps: list[bool]) -> TableRows:
        """The rows of ``table`` on these pages (``keeps``: which keep with the next)."""
        return TableRows(self.doc, table, keeps, self.page_height, self.scale, self.point)

    def _no_space_at_tops(self) -> None:
        widows.no_space_at_page_tops(self.doc, self.page_height, self.scale, HARD_BREAK)

    def first_fault(self, kept: list[tuple[Any, Any]], whole: list[tuple[Any, Any]],
                    start: int) -> Fix | None:
        """The first paragraph from position ``start`` on that is not where it should be,
        and its fix: kept whole, a widow or orphan, a heading kept with the next."""
        found = [f for f in (
            self.split_whole(whole, start),
            widows.first_fix(self.doc, self.page_height, KEEP_NEXT, start),
            self.loose_heading(kept, start)) if f is not None]
        return min(found, key=lambda f: f[0], default=None)

    def split_whole(self, whole: list[tuple[Any, Any]], start: int) -> Fix | None:
        """"Keep lines together": the first paragraph from ``start`` on whose lines fall on
        two pages, and its fix: it starts a page."""
        doc = self.doc
        for first, last in whole:
            if first.position() < start:
                continue
            tops = line_tops(doc, first) + (line_tops(doc, last) if last != first else [])
            if not tops or self.page(tops[0]) == self.page(tops[-1]) or (
                    at_top(tops[0], self.page_height)):
                continue
            return first.position(), lambda block=first: _starts_page(block)
        return None

    def loose_heading(self, kept: list[tuple[Any, Any]], start: int) -> Fix | None:
        """"Keep with next" (headings): the first kept paragraph from ``start`` on whose last
        line and the next block's first line fall on different pages, and its fix: it starts
        a page, with the kept ones before it that share its page (a chain of headings), as
        Word and LibreOffice do."""
        doc, page = self.doc, self.page
        for i, (first, last) in enumerate(kept):
            if last.position() < start:
                continue
            tops, after = line_tops(doc, last), line_tops(doc, last.next())
            if not tops or not after or page(tops[-1]) == page(after[0]):
                continue
            k = i
            while k and kept[k - 1][1].next() == kept[k][0] and page(
                    line_tops(doc, kept[k - 1][0])[0]) == page(line_tops(doc, first)[0]):
                k -= 1
            head = kept[k][0]
            if at_top(line_tops(doc, head)[0], self.page_height):
                continue
            return head.position(), lambda block=head: _starts_page(block)
        return None
