"""The DOCX as Qt text documents: one ``QTextDocument`` per section, as Word lays it out.

:class:`QtDocx` builds each section's document from what :mod:`.docx_read` resolved: the
paragraphs with their fonts, sizes, exact line heights, indents, spacing, alignment, page
breaks, tab stops and the 目录's dot leaders, the character spacing and the air between
汉字 and Latin or digits as LibreOffice sets them; the tables with their column widths,
merges, borders, padding and repeated header rows.  Laid out on the device's pages, each
document is then paginated (:class:`.pagination.Pagination`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from docx.oxml.ns import qn

from . import breaks, justify, line_ends
from .docx_read import (
    TWIPS_PER_PT,
    DocxSection,
    Font,
    Para,
    Styles,
    on_grid,
    wattr,
    wchild,
)
from .docx_tables import TableGrid, cell_borders, cell_padding, table_grid
from .fonts import AIR_EM, LEADER_SLACK_PT, WEAK, autospace, east_asian
from .pagination import Pagination
from .positions import HARD_BREAK, KEEP_NEXT


def _format_scale(device: Any) -> float:
    """Device pixels per length unit of Qt's text formats, on ``device``."""
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextDocument

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    doc.setPageSize(QSizeF(1e6, 1e6))
    fmt = QTextBlockFormat()
    fmt.setLineHeight(1000, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    QTextCursor(doc).setBlockFormat(fmt)
    height = float(doc.size().height())
    return height / 1000 if height > 0 else 1.0


def _table_format(widths: list[float], header_rows: int) -> Any:
    """A table as wide as its columns ``widths`` (format units), centred, its cells drawing
    their own borders, as in Word; ``header_rows`` repeat on each page."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextFrameFormat, QTextLength, QTextTableFormat

    fmt = QTextTableFormat()
    fmt.setBorderCollapse(True)  # the cells draw their own borders, as in Word
    fmt.setBorder(0)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_None)
    fmt.setCellSpacing(0)
    fmt.setCellPadding(0)
    fmt.setMargin(0)
    fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    fmt.setWidth(QTextLength(QTextLength.Type.FixedLength, sum(widths)))
    fmt.setColumnWidthConstraints(
        [QTextLength(QTextLength.Type.FixedLength, w) for w in widths])
    if header_rows:
        fmt.setHeaderRowCount(header_rows)
    return fmt


def _set_borders(cell_fmt: Any, borders: dict[str, float], px: float) -> None:
    """Each edge's border (``borders``: points, 0 for none) on the cell format, black."""
    from PySide6.QtGui import QBrush, QColor, QTextFrameFormat

    black = QBrush(QColor("black"))
    for edge, width_of in borders.items():
        side = edge.capitalize()
        getattr(cell_fmt, f"set{side}Border")(width_of * px)
        getattr(cell_fmt, f"set{side}BorderStyle")(
            QTextFrameFormat.BorderStyle.BorderStyle_Solid if width_of
            else QTextFrameFormat.BorderStyle.BorderStyle_None)
        getattr(cell_fmt, f"set{side}BorderBrush")(black)


class QtDocx:
    """Builds one QTextDocument per section of a DOCX, on ``device`` (a QPdfWriter)."""

    def __init__(self, doc: Any, device: Any, dpi: float) -> None:
        self.styles = Styles(doc)
        self.device = device
        # lengths in text formats (margins, line heights, widths) are logical pixels that
        # the layout scales to the device (×300/96 on a 96 dpi screen): measured, not assumed
        self.scale = _format_scale(device)
        self.px = dpi / 72 / self.scale  # format units per point
        self._offset = 0  # characters of the current paragraph inserted so far
        self._text = ""  # the current paragraph's text
        self._asian: list[bool] = []  # … which of its characters are East Asian
        self._first_block: Any = None  # the first block of the paragraph added last
        self._tables: list[tuple[Any, list[bool]]] = []  # tables of the current section
        self.pitch: float | None = None  # the current section's document grid

    # ---- formats ---------------------------------------------------------------------
    def char_format(self, font: Font) -> Any:
        from PySide6.QtGui import QFont, QTextCharFormat

        fmt = QTextCharFormat()
        fmt.setFontFamilies(font.families)
        fmt.setFontPointSize(font.size)
        fmt.setFontWeight(QFont.Weight.Bold if font.bold else QFont.Weight.Normal)
        if font.spacing:
            fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            fmt.setFontLetterSpacing(font.spacing * self.px)
        return fmt

    def block_format(self, look: Para, gap: float = 0.0) -> Any:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QTextBlockFormat, QTextFormat, QTextOption

        fmt = QTextBlockFormat()
        # justified: laid out left-aligned, stretched once the pages are final as
        # LibreOffice stretches (justify.py: never inside a number)
        fmt.setAlignment({
            "left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
            "right": Qt.AlignmentFlag.AlignRight,
        }.get(look.align, Qt.AlignmentFlag.AlignLeft))
        if look.align == "justify":
            fmt.setProperty(justify.JUSTIFIED, True)
        # between two paragraphs LibreOffice leaves the larger of the space after the first
        # and the space before the second (measured: the 封面 date's 115.6 pt before, under
        # a line with 14 pt after, starts 115.6 pt under that line, not 129.6): the space
        # after is carried to the next block (``gap``; below 0: a share of ``before`` that
        # is already given, by a spacer or under a table)
        top = look.before + gap if gap < 0 else max(look.before, gap)
        fmt.setTopMargin(top * self.px)
        fmt.setBottomMargin(0)
        # horizontal margins and the indent are device pixels (Qt does not scale them)
        fmt.setLeftMargin(look.left * self.px * self.scale)
        fmt.setRightMargin(look.right * self.px * self.scale)
        fmt.setTextIndent(look.first_line * self.px * self.scale)
        kinds = QTextBlockFormat.LineHeightTypes
        line = on_grid(look.line, self.pitch if look.snap else None) if (
            look.line is not None) else None
        if line is not None and look.line_rule == "exact":
            fmt.setLineHeight(line * self.px, kinds.FixedHeight.value)
        elif line is not None:  # at least
            fmt.setLineHeight(line * self.px, kinds.MinimumHeight.value)
        elif abs(look.line_factor - 1) > 0.01:
            fmt.setLineHeight(look.line_factor * 100, kinds.ProportionalHeight.value)
        if look.page_break_before:
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            fmt.setProperty(HARD_BREAK, True)
        if look.keep_next:
            fmt.setProperty(KEEP_NEXT, True)
        if not look.hang:
            fmt.setProperty(line_ends.NO_HANGING, True)
        tabs = []
        for pos, kind, _leader in look.tabs:
            qt_kind = {"right": QTextOption.TabType.RightTab, "end": QTextOption.TabType.RightTab,
                       "center": QTextOption.TabType.CenterTab}.get(
                           kind, QTextOption.TabType.LeftTab)
            tabs.append(QTextOption.Tab((pos - look.left) * self.px, qt_kind))
        if tabs:
            fmt.setTabPositions(tabs)
        return fmt

    # ---- content ---------------------------------------------------------------------
    def runs(self, p: Any) -> list[tuple[str, Font]]:
        """The printed text of ``p`` as (text, font) pieces: field instructions skipped,
        cached field results (PAGEREF, TOC) kept, tabs, line and page breaks as characters."""
        pieces: list[tuple[str, Font]] = []
        fields: list[bool] = []  # open fields: True while in the instruction part
        for r in p.iter(qn("w:r")):
            font = self.styles.font(p, r)
            for child in r.iterchildren():
                tag = child.tag.split("}")[-1]
                if tag == "fldChar":
                    kind = wattr(child, "w:fldCharType")
                    if kind == "begin":
                        fields.append(True)
                    elif kind == "separate" and fields:
                        fields[-1] = False
                    elif kind == "end" and fields:
                        fields.pop()
                elif any(fields):
                    continue
                elif tag == "t":
                    pieces.append((child.text or "", font))
                elif tag == "tab":
                    pieces.append(("\t", font))
                elif tag in ("br", "cr"):
                    page = wattr(child, "w:type") == "page"
                    pieces.append(("\f" if page else "\u2028", font))
                elif tag == "noBreakHyphen":
                    pieces.append(("-", font))
        return pieces

    def _leaders(self, pieces: list[tuple[str, Font]], look: Para,
                 width: float) -> list[tuple[str, Font]]:
        """A right tab with a dot leader (目录 entries): the dots written out."""
        from PySide6.QtGui import QFont, QFontMetricsF

        dotted = [t for t in look.tabs if t[2] in ("dot", "middleDot", "hyphen", "underscore")
                  and t[1] in ("right", "end")]
        text = "".join(t for t, _f in pieces)
        if not dotted or text.count("\t") != 1:
            return pieces
        pos = min(dotted[0][0], width / self.px)
        before, after = text.split("\t")

        def measure(s: str, f: Font) -> float:
            font = QFont()
            font.setFamilies(f.families)
            font.setPointSizeF(f.size)
            font.setBold(f.bold)
            if f.spacing:
                font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, f.spacing * self.px)
            return float(QFontMetricsF(font, self.device).horizontalAdvance(s)) / self.scale

        font = next((f for t, f in pieces if "\t" in t), pieces[0][1])
        first_font = pieces[0][1]
        used = measure(before, first_font) + measure(after, font)
        room = (pos - look.left - look.first_line - LEADER_SLACK_PT) * self.px - used
        # LibreOffice fills the tab with dots of the font without its character spacing,
        # spread to end where the page number starts: n dots, as many as fit, spaced so
        # that they fill the room; the right tab then puts the number at the tab stop
        dot = measure(".", Font(font.families, font.size, font.bold, font.latin)) or 1.0
        n = max(int(room / dot), 2)
        spread = Font(font.families, font.size, font.bold, font.latin,
                       max(room / n - dot, 0.0) / self.px)
        out: list[tuple[str, Font]] = []
        for t, f in pieces:
            if "\t" not in t:
                out.append((t, f))
                continue
            head, tail = t.split("\t")
            out += [(x, g) for x, g in ((head, f), ("." * n, spread), ("\t", f), (tail, f))
                    if x]
        return out

    def paragraph(self, cursor: Any, p: Any, width: float, reuse: bool,
                  gap: float = 0.0) -> float:
        """Add ``p`` as a block (``reuse``: into the cursor's empty block); return the space
        after it, in points, for the next block (``gap``: the previous one's)."""
        look = self.styles.para(p)
        mark = self.styles.font(p, None)
        pieces = self.runs(p)
        pieces = self._leaders(pieces, look, width)
        self._text = "".join(t for t, _f in pieces)
        # LibreOffice adds the air whatever w:autoSpaceDE/DN say (附件3 prints "附件 3")
        spaced = autospace(self._text)
        self._asian = east_asian(self._text)
        self._offset = 0
        first_fmt = self.block_format(look, gap)
        if reuse:
            cursor.setBlockFormat(first_fmt)
            cursor.mergeBlockCharFormat(self.char_format(mark))  # a cell keeps its spans
        else:
            cursor.insertBlock(first_fmt, self.char_format(mark))
        self._first_block = cursor.block()
        for text, font in pieces:
            parts = text.split("\f")
            for i, part in enumerate(parts):
                if i:
                    from PySide6.QtGui import QTextFormat

                    brk = self.block_format(look)
                    brk.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    brk.setProperty(HARD_BREAK, True)
                    brk.setTextIndent(0)
                    cursor.insertBlock(brk, self.char_format(mark))
                    self._offset += 1  # the page break itself
                if part:
                    self._insert(cursor, part, font, look, spaced)
        return look.after

    def _insert(self, cursor: Any, text: str, font: Font, look: Para,
                spaced: set[int]) -> None:
        """Insert ``text`` as LibreOffice spaces it: its character spacing (``font.spacing``)
        comes between the characters of a script's run, not after its last one; where
        汉字 meet Latin or digits (index in ``spaced``, counted over the paragraph, see
        :func:`autospace`) a fifth of an em of air comes instead (LibreOffice's kerning
        portion between the scripts)."""
        start = self._offset
        self._offset += len(text)
        whole = self._text
        formats: dict[tuple[str, bool], Any] = {}

        def fmt(gap: str, asian: bool) -> Any:
            if (gap, asian) not in formats:
                from PySide6.QtGui import QFont

                f = self.char_format(font.asian() if asian else font)
                if gap == "wide" and font.spacing:
                    # a full-width character's spacing as a share of its em: Qt keeps an
                    # absolute spacing to 1/64 px at 96 dpi (-0.25 pt came out -0.246)
                    f.setFontLetterSpacingType(QFont.SpacingType.PercentageSpacing)
                    f.setFontLetterSpacing(100 * (font.size + font.spacing) / font.size)
                elif gap not in ("normal", "wide") and (font.spacing or gap == "air"):
                    air = font.size * AIR_EM if gap == "air" else 0.0
                    f.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
                    f.setFontLetterSpacing(air * self.px)
                    if air:
                        f.setProperty(line_ends.AIR, air * self.px)
                formats[(gap, asian)] = f
            return formats[(gap, asian)]

        asian = self._asian
        run, key = "", ("normal", False)
        for i, ch in enumerate(text):
            k = start + i
            if ch == breaks.JOINER:  # the DOCX's own (a number with its unit), as ours
                cursor.insertText(run, fmt(*key))
                cursor.insertText(ch, breaks.joiner_format(fmt("none", asian[k])))
                run = ""
                continue
            last = (k + 1 < len(whole) and asian[k] != asian[k + 1]) or breaks.glued_end(
                whole, k)
            wide = ch not in WEAK and unicodedata.east_asian_width(ch) in ("W", "F")
            here = ("air" if k in spaced else "none" if last else "wide" if wide
                    else "normal", asian[k])
            if here != key and run:
                cursor.insertText(run, fmt(*key))
                run = ""
            run, key = run + ch, here
            if k + 1 < len(whole) and breaks.joined(ch, whole[k + 1]):
                cursor.insertText(run, fmt(*key))  # the joiner without spacing or air
                cursor.insertText(breaks.JOINER, breaks.joiner_format(fmt("none", asian[k])))
                run = ""
        if run:
            cursor.insertText(run, fmt(*key))

    def table(self, cursor: Any, tbl: Any, width: float) -> None:
        """Add the DOCX table ``tbl`` at ``cursor``, never wider than ``width`` (the type
        area, format units), with its merges, borders, margins and repeated headings."""
        grid = table_grid(tbl)
        if grid is None:
            return
        total = sum(grid.widths)
        widths = [g / TWIPS_PER_PT * self.px for g in grid.widths]
        if sum(widths) > width:  # never wider than the type area
            widths = [width * g / total for g in grid.widths]
        table = cursor.insertTable(len(grid.rows), grid.columns,
                                   _table_format(widths, grid.header_rows))
        tstyle = wattr(wchild(wchild(tbl, "w:tblPr"), "w:tblStyle"), "w:val")
        self.styles.table_style = self.styles.by_id.get(tstyle)
        # rows whose paragraphs all keep with the next (docx.write_table's kept blocks)
        keeps = []
        for tr in grid.rows:
            ps = list(tr.iter(qn("w:p")))
            keeps.append(bool(ps) and all(self.styles.para(q).keep_next for q in ps))
        self._tables.append((table, keeps))
        pad = cell_padding(tbl)
        for (r, c), (_tc, span) in sorted(grid.cells.items()):
            rowspan = grid.row_spans.get((r, c), 1)
            if rowspan > 1 or span > 1:
                table.mergeCells(r, c, rowspan, span)
        # every cell looked up once: a lookup after a change rebuilds the table's grid
        qcells = {rc: table.cellAt(*rc) for rc in sorted(grid.cells)}
        fills: list[tuple[Any, Any, float]] = []
        for (r, c), (tc, span) in sorted(grid.cells.items()):
            cell = qcells[(r, c)]
            sides = self._cell_format(cell, tbl, grid, (r, c), pad)
            fills.append((cell, tc, sum(widths[c : c + span]) - sides * self.px))
        for cell, tc, inner in fills:
            self._fill_cell(cell, tc, inner)
        self.styles.table_style = None

    def _cell_format(self, cell: Any, tbl: Any, grid: TableGrid, at: tuple[int, int],
                     pad: tuple[float, float, float, float]) -> float:
        """The format of the Qt cell ``cell`` of the DOCX cell at ``at`` (row, column) of
        ``grid``: its margins (over the table's ``pad``), alignment, borders and spans;
        returns its left and right margins together (points)."""
        from PySide6.QtGui import QTextCharFormat

        (r, c), (tc, span) = at, grid.cells[at]
        cell_fmt = cell.format().toTableCellFormat()
        top, right, bottom, left = cell_padding(tc, pad)
        rowspan = grid.row_spans.get((r, c), 1)
        outer = {"top": r == 0, "bottom": r + rowspan >= len(grid.rows), "left": c == 0,
                 "right": c + span >= grid.columns}
        borders = cell_borders(tbl, tc, outer)
        # Qt takes half of each collapsed border off the content width, Word and
        # LibreOffice do not: text exactly as wide as the cell's width less its margins
        # fits there ("项目资金" condensed to 41 pt wraps in 40.75 pt, as in LibreOffice)
        right = max(right - borders["right"] / 2, 0.0)
        left = max(left - borders["left"] / 2, 0.0)
        cell_fmt.setTopPadding(top * self.px)
        cell_fmt.setBottomPadding(bottom * self.px)
        cell_fmt.setLeftPadding(left * self.px)
        cell_fmt.setRightPadding(right * self.px)
        valign = wattr(wchild(wchild(tc, "w:tcPr"), "w:vAlign"), "w:val")
        cell_fmt.setVerticalAlignment({
            "center": QTextCharFormat.VerticalAlignment.AlignMiddle,
            "bottom": QTextCharFormat.VerticalAlignment.AlignBottom,
        }.get(valign or "", QTextCharFormat.VerticalAlignment.AlignTop))
        _set_borders(cell_fmt, borders, self.px)
        cell_fmt.setTableCellRowSpan(rowspan)  # or setFormat undoes merges
        cell_fmt.setTableCellColumnSpan(span)
        cell.setFormat(cell_fmt)
        return left + right

    def _fill_cell(self, cell: Any, tc: Any, inner: float) -> None:
        """The paragraphs of the DOCX cell ``tc`` into ``cell``, ``inner`` wide; a nested
        table's text, paragraph by paragraph."""
        cc = cell.firstCursorPosition()
        reuse, gap = True, 0.0
        for el in tc.iterchildren():
            tag = el.tag.split("}")[-1]
            if tag == "p":
                gap = self.paragraph(cc, el, inner, reuse, gap)
                reuse = False
            elif tag == "tbl":  # a nested table: its text, paragraph by paragraph
                for q in el.iter(qn("w:p")):
                    gap = self.paragraph(cc, q, inner, reuse, gap)
                    reuse = False

    def _margin(self, top: float | None = None, bottom: float | None = None) -> None:
        """The space (points) above or under the table added last."""
        table = self._tables[-1][0]
        fmt = table.format()
        if top is not None:
            fmt.setTopMargin(top * self.px)
        if bottom is not None:
            fmt.setBottomMargin(bottom * self.px)
        table.setFormat(fmt)

    def _empty_height(self, p: Any) -> float:
        """The height in points of the empty paragraph ``p``, its spacing included."""
        from PySide6.QtGui import QFont, QFontMetricsF

        look, mark = self.styles.para(p), self.styles.font(p, None)
        font = QFont()
        font.setFamilies(mark.families)
        font.setPointSizeF(mark.size)
        natural = float(QFontMetricsF(font, self.device).height()) / self.scale / self.px
        if look.line is None:
            line = natural * look.line_factor
        else:
            line = on_grid(look.line, self.pitch if look.snap else None)
            line = line if look.line_rule == "exact" else max(line, natural)
        return look.before + line + look.after

    def document(self, section: DocxSection) -> Any:
        """The ``QTextDocument`` of ``section``, laid out on its pages and paginated: (the
        document, the type area's width, its height), in device pixels."""
        from PySide6.QtCore import QSizeF
        from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextDocument

        top, bottom, left, right = section.margins
        self.pitch = section.pitch
        # the page size is in device pixels, everything inside in format units
        width = (section.page[0] - left - right) / 25.4 * 72 * self.px
        height = (section.page[1] - top - bottom) / 25.4 * 72 * self.px
        # built without a layout (each edit would lay a long table out again), laid out on
        # the device's pages once complete
        doc = QTextDocument()
        doc.setUndoRedoEnabled(False)
        doc.setDocumentMargin(0)
        cursor = QTextCursor(doc)
        self._tables = []
        kept, whole, reuse = self._elements(cursor, section.elements, width,
                                            *self._space_above(cursor, section))
        if reuse and not doc.isEmpty():  # the empty block Qt keeps after a last table
            tiny = QTextBlockFormat()
            tiny.setLineHeight(1, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            cursor.setBlockFormat(tiny)
        page_height = height * self.scale
        doc.documentLayout().setPaintDevice(self.device)
        doc.setPageSize(QSizeF(width * self.scale, page_height))
        doc.idealWidth()  # the whole layout, not only its first steps (see line_spans)
        Pagination(doc, page_height, self.scale, self.px * self.scale, self.device).run(
            self._tables, kept, whole)
        justify.justify(doc, self.device, self.scale, east_asian)
        return doc, width * self.scale, page_height

    def _space_above(self, cursor: Any, section: DocxSection) -> tuple[bool, float]:
        """The space above the section's first paragraph, which Qt drops above a
        document's first block, as a spacer block: (whether the cursor's block is still to
        be used, the space already given, less than 0)."""
        from PySide6.QtGui import QTextBlockFormat

        first = section.elements[0] if section.elements else None
        if first is not None and first.tag == qn("w:p"):
            before = self.styles.para(first).before
            if before > 0:  # Qt drops the space above a document's first block: a spacer
                spacer = QTextBlockFormat()
                spacer.setLineHeight(before * self.px,
                                     QTextBlockFormat.LineHeightTypes.FixedHeight.value)
                cursor.setBlockFormat(spacer)
                return False, -before
        return True, 0.0  # the document's first block, and the empty one after a table

    def _elements(self, cursor: Any, elements: list[Any], width: float, reuse: bool,
                  gap: float) -> tuple[list[tuple[Any, Any]], list[tuple[Any, Any]], bool]:
        """The section's paragraphs and tables added at ``cursor``: (first, last block) of
        the paragraphs kept with the next, … of those whose lines keep together, and
        whether the cursor's block is the empty one Qt keeps after a last table."""
        from PySide6.QtGui import QTextCursor

        kept: list[tuple[Any, Any]] = []  # (first, last block) of paragraphs kept with next
        whole: list[tuple[Any, Any]] = []  # … of paragraphs whose lines keep together
        after_table = False
        for el in elements:
            if after_table and el.tag == qn("w:p"):
                # Qt gives an empty block after a table no height and drops the space
                # above the block after a table: both go under the table instead (the
                # 8 pt gap under an inline table), as its bottom margin
                if not "".join(t for t, _f in self.runs(el)):
                    gap += self._empty_height(el)
                    continue
                before = self.styles.para(el).before
                self._margin(bottom=gap + before)
                gap = -before
            if el.tag == qn("w:tbl") and after_table:
                gap = 0.0  # a form split for its repeated headings: its parts stay joined
            after_table = el.tag == qn("w:tbl")
            if el.tag == qn("w:p"):
                gap = self.paragraph(cursor, el, width, reuse, gap)
                if self.styles.para(el).keep_next:
                    kept.append((self._first_block, cursor.block()))
                if self.styles.para(el).keep_lines:
                    whole.append((self._first_block, cursor.block()))
                reuse = False
            else:
                self.table(cursor, el, width)
                if gap > 0:  # the space after the paragraph above: Qt would drop it
                    self._margin(top=gap)
                cursor.movePosition(QTextCursor.MoveOperation.End)
                reuse, gap = True, 0.0
        return kept, whole, reuse
