"""Grids → a .docx document (one A4 section per grid), the table as a bordered Word table.

python-docx traps handled here (docs pitfalls.md): A4 instead of Letter, East-Asian font
slot (``w:eastAsia``) set explicitly and theme fonts removed, merges before text, column
widths on every cell, repeated header rows (``w:tblHeader``) and rows kept whole
(``w:cantSplit``) through raw XML.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt
from docx.text.paragraph import Paragraph

from .grid import Align, Grid, Line, display_width, wrapped_lines
from .libs import story, xml
from .nobreak import glue_document
from .paper import (
    THEME_ATTRS,
    chinese_language,
    landscape_page_number_footers,
    no_hanging_punctuation,
    page_number_footers,
)
from .paper import set_rfonts as _set_rfonts

TABLE_FONT = "宋体"
TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"
MARGIN_MM = 25  # left / right
MARGIN_TB_MM = 20  # top / bottom: a landscape table needs the height more than GB/T 9704's 37/35
PAGE_LONG_MM, PAGE_SHORT_MM = 297, 210
FOOTER_MM = 10  # the page number's distance from the paper's edge

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _prepare_styles(doc: Any, size: float) -> None:
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is not None:
        for rfonts in defaults.iter(qn("w:rFonts")):
            for attr in THEME_ATTRS:
                if qn(attr) in rfonts.attrib:
                    del rfonts.attrib[qn(attr)]
            rfonts.set(qn("w:eastAsia"), TABLE_FONT)
            rfonts.set(qn("w:ascii"), LATIN_FONT)
            rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    chinese_language(doc)
    no_hanging_punctuation(doc)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(size)
    _set_rfonts(normal.element.get_or_add_rPr(), TABLE_FONT)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)


def _run(paragraph: Any, text: str, font: str | None, size: float, bold: bool = False) -> Any:
    """A run in ``size`` pt; ``font`` None leaves the fonts to the paragraph's style."""
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    if font is not None:
        run.font.name = LATIN_FONT
        _set_rfonts(xml(run).get_or_add_rPr(), font)
    return run


def _page(section: Any, grid: Grid) -> None:
    landscape = grid.orientation == "landscape"
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_LONG_MM if landscape else PAGE_SHORT_MM)
    section.page_height = Mm(PAGE_SHORT_MM if landscape else PAGE_LONG_MM)
    top, bottom, left, right = grid.margins_mm or (MARGIN_TB_MM, MARGIN_TB_MM, MARGIN_MM,
                                                   MARGIN_MM)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.header_distance = section.footer_distance = Mm(FOOTER_MM)


def _page_numbers(section: Any, doc: Any, grid: Grid) -> None:
    """``— N —`` in 4号 宋体 as GB/T 9704 §10.2 places it, as in the report: upright pages
    right on odd pages, left on even ones; a landscape page's number turned on its left
    edge (the sheet's foot), FOOTER_MM from it as the upright pages' is from theirs."""
    if grid.orientation == "landscape":
        landscape_page_number_footers(section, doc, edge_mm=FOOTER_MM)
    else:
        page_number_footers(section, doc)


def _text_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def _line(doc: Any, line: Line, width: int, space_after: float = 4,
          space_before: float = 0, keep_next: bool = False) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(space_before)
    if keep_next:
        p.paragraph_format.keep_with_next = True
    font = TITLE_FONT if line.role in ("title", "heading") else TABLE_FONT
    parts = line.parts or [""]
    if len(parts) == 1:
        p.alignment = _ALIGN[line.align]
        _run(p, parts[0], font, line.size, line.bold)
        return
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    step = width // len(parts)
    for i in range(1, len(parts)):
        p.paragraph_format.tab_stops.add_tab_stop(Emu(step * i), WD_TAB_ALIGNMENT.LEFT)
    _run(p, "\t".join(parts), font, line.size, line.bold)


def _row_props(tr: Any, header: bool, min_height_pt: float) -> None:
    trpr = tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(min_height_pt * 20)))
    height.set(qn("w:hRule"), "atLeast")
    trpr.append(height)
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _table_borders(table: Any, top_bottom_twips: int = 30) -> None:
    """Borders on the table itself (not only through the 'Table Grid' style) and cell
    margins, inserted in the schema order of ``w:tblPr``."""
    tblpr = xml(table).tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tail = ("w:tblCaption", "w:tblDescription", "w:tblPrChange")
    tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                *tail)
    margins = OxmlElement("w:tblCellMar")  # a little air above and below wrapped text
    for edge, twips in (("top", top_bottom_twips), ("left", 70),
                        ("bottom", top_bottom_twips), ("right", 70)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.insert_element_before(margins, "w:tblLook", *tail)


def _border_set() -> Any:
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    return borders


_CELL_BORDERS = _border_set()  # copied into each cell
# schema order inside tcPr: tcW, gridSpan, vMerge, tcBorders, shd, …, vAlign
_AFTER_BORDERS = tuple(qn(tag) for tag in ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection",
                                           "w:tcFitText", "w:vAlign", "w:hideMark"))


def _cell_borders(tc: Any) -> None:
    tcpr = tc.get_or_add_tcPr()
    borders = copy.deepcopy(_CELL_BORDERS)
    anchor = None
    for tag in _AFTER_BORDERS:
        anchor = tcpr.find(tag)
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tcpr.append(borders)


def _keep_next(p: Any) -> None:
    """``w:keepNext`` on the paragraph ``p`` (python-docx's ``keepNext_val = True``, which
    scans all of ``w:pPr``'s possible children first): right after ``w:pStyle``."""
    ppr = p.get_or_add_pPr()
    keep = ppr.find(_KEEP_NEXT)
    if keep is not None:
        keep.attrib.pop(qn("w:val"), None)  # on
        return
    keep = OxmlElement("w:keepNext")
    if len(ppr) and ppr[0].tag == _PSTYLE:
        ppr[0].addnext(keep)
    else:
        ppr.insert(0, keep)


_KEEP_NEXT, _PSTYLE = qn("w:keepNext"), qn("w:pStyle")


# a label with its weight: 满意度指标 (10分), 产出指标（50 分）
_WEIGHTED = re.compile(r"^(?P<label>[^\n]+?)\s*(?P<weight>[（(]\s*\d+(?:\.\d+)?\s*分\s*[）)])$")


def weight_on_its_own_line(text: str, chars: float) -> str:
    """A label with its weight that does not fit its column on one line, broken before the
    weight — never inside it (“满意度指标(10” | “分)”): ``chars`` Latin characters wide."""
    m = _WEIGHTED.match(text)
    if m is None or display_width(text) <= chars - 0.5:
        return text
    return f"{m['label']}\n{m['weight']}"


def row_heights(grid: Grid, widths: list[int]) -> list[float]:
    """Estimated height of each table row in points (wrapped text, cell margins, minimum).

    Used to decide whether a block of rows to keep together can fit on one page at all."""
    heights = [min_row_height(grid)] * grid.n_rows
    for c in grid.cells:
        if c.rowspan > 1:
            continue
        size = c.size or grid.font_size
        width_pt = sum(widths[c.col : c.last_col + 1]) / 12700 - 7  # cell margins 2 × 3.5 pt
        chars = max(width_pt / (size / 2), 2.0)  # a Latin character is half an em
        lines = wrapped_lines(c.text, chars) if c.text else 1
        if grid.row_height is not None:  # lines exactly a row apart, no margins
            heights[c.row] = max(heights[c.row], lines * grid.row_height)
        else:
            heights[c.row] = max(heights[c.row], lines * size * 1.25 + 3)
    return heights


def min_row_height(grid: Grid) -> float:
    """The least height of a table row: the form's own, or 1.7 × its font size."""
    return grid.row_height or grid.font_size * 1.7


def line_pitch(grid: Grid) -> float | None:
    """The exact distance of two lines in a table cell where the form sets its rows'
    height: a one-line row holds one line, with no cell margins above and below (as a
    form drawn in Word with single-spaced 宋体); None: single spacing, 1.5 pt margins."""
    if grid.row_height is None:
        return None
    return max(grid.row_height, grid.font_size)


def split_at_headings(grid: Grid) -> tuple[Grid, list[tuple[int, int]]]:
    """``grid`` with every merged cell that starts in the repeated heading rows and runs
    on below them cut in two at the headings' end: the part in the headings with the text
    (the form's 绩效指标, on the line of 一级指标 | 二级指标 … as the published form prints
    it), and an empty part below; and the (row, column) of each cut's lower part.

    LibreOffice repeats such a cell with the headings on the next page and then draws it
    down to the table's end — through the 总分 row and the lines under the form — and the
    in-app renderer draws it to the page's foot.  With the label in the headings, every
    page a form continues onto shows it (in the repeated headings) over a first column
    left blank, as on the first page: no page of rows with an empty first column and no
    label.  The caller hides the rule between the two parts (:func:`open_seams`)."""
    end = grid.repeat_from + grid.repeat_rows
    if not grid.repeat_rows:
        return grid, []
    cells, seams = [], []
    for c in grid.cells:
        if grid.repeat_from <= c.row < end <= c.last_row:
            cells.append(replace(c, rowspan=end - c.row))
            cells.append(replace(c, row=end, rowspan=c.last_row - end + 1, text=""))
            seams.append((end, c.col))
        else:
            cells.append(c)
    return replace(grid, cells=cells), seams


def _no_edge(tc: Any, edge: str) -> None:
    """No rule on ``edge`` of the cell ``tc`` (its ``w:tcBorders`` already written)."""
    el = tc.get_or_add_tcPr().find(qn("w:tcBorders")).find(qn(f"w:{edge}"))
    for attr in list(el.attrib):
        del el.attrib[attr]
    el.set(qn("w:val"), "nil")


def open_seams(tcs: list[list[Any]], grid: Grid, seams: list[tuple[int, int]]) -> None:
    """No rule between the two parts of each cut cell (:func:`split_at_headings`): the
    headings' part open at its foot, the lower part at its head, in every row it spans."""
    for row, col in seams:
        above, below = grid.at(row - 1, col), grid.at(row, col)
        assert above is not None and below is not None
        for r in range(above.row, row):
            _no_edge(tcs[r][col], "bottom")
        for r in range(row, below.last_row + 1):
            _no_edge(tcs[r][col], "top")


def merge_cells(tcs: list[list[Any]], grid: Grid) -> None:
    """Merge the ``w:tc`` of ``tcs`` (by row and grid column) as ``grid``'s cells span.

    The XML of python-docx's ``_Cell.merge`` on empty cells (``gridSpan`` on the left cell,
    its width the sum, the cells right of it removed, ``vMerge`` restart / continue down),
    without walking the table for every cell and without its recursion per merged row (a
    RecursionError from about 1,000 rows)."""
    for c in grid.cells:
        if c.rowspan == 1 and c.colspan == 1:
            continue
        for r in range(c.row, c.last_row + 1):
            tc = tcs[r][c.col]
            for k in range(c.col + 1, c.last_col + 1):
                other = tcs[r][k]
                if tc.width and other.width:
                    tc.width = Length(tc.width + other.width)
                other.getparent().remove(other)
            tc.grid_span = c.colspan
            tc.vMerge = None if c.rowspan == 1 else "restart" if r == c.row else "continue"


class _CellWriter:
    """The texts of a table's cells.  The properties of their paragraphs and runs are made
    once per look by python-docx (on a scratch paragraph) and copied: python-docx inserts
    each property in schema order by scanning the element's children, which was most of
    the time of a large table.  The XML is the same (tests/export/test_docx_speed.py)."""

    def __init__(self, table: Any, style_id: str | None, font: str | None,
                 pitch: float | None = None) -> None:
        self.table, self.style_id, self.font, self.pitch = table, style_id, font, pitch
        self._ppr: dict[Align, Any] = {}
        self._rpr: dict[tuple[float, bool], Any] = {}

    def ppr(self, align: Align) -> Any:
        if align not in self._ppr:
            scratch = OxmlElement("w:p")
            if self.style_id is not None:  # the id once, not the style looked up each time
                scratch.get_or_add_pPr().style = self.style_id
            p = Paragraph(scratch, self.table)
            p.alignment = _ALIGN[align]
            pf = p.paragraph_format
            pf.space_before = pf.space_after = Pt(0)
            if self.pitch is not None:  # the form's rows: lines exactly a row apart
                pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                pf.line_spacing = Pt(self.pitch)
            self._ppr[align] = scratch.pPr
        return copy.deepcopy(self._ppr[align])

    def rpr(self, size: float, bold: bool) -> Any:
        if (size, bold) not in self._rpr:
            scratch = OxmlElement("w:p")
            _run(Paragraph(scratch, self.table), "", self.font, size, bold)
            self._rpr[size, bold] = scratch.r_lst[0].rPr
        return copy.deepcopy(self._rpr[size, bold])

    def write(self, tc: Any, text: str, align: Align, size: float, bold: bool) -> None:
        """``text`` (a paragraph per line) into the empty cell ``tc``, centred vertically."""
        tc.get_or_add_tcPr().vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for i, line in enumerate(text.split("\n") if text else [""]):
            p = tc.p_lst[0] if i == 0 else tc.add_p()
            p.insert(0, self.ppr(align))
            if line:
                r = p.add_r()
                r.text = line
                r.insert(0, self.rpr(size, bold))


def write_table(doc: Any, grid: Grid, width: int, cell_style: str | None = None,
                page_height_pt: float | None = None, footer_rows: bool = False,
                footer_style: str | None = None) -> Any:
    """Append ``grid``'s table to ``doc``'s body, ``width`` EMU wide; return the table.

    With ``cell_style`` (a paragraph style of ``doc``, e.g. 表格文字) the cells' paragraphs
    take that style and their runs name no font, so restyling it in Word restyles the
    tables; without, the runs carry 宋体 themselves (a document of forms alone).

    With ``footer_rows`` the grid's footer lines (signature lines, 注 …) are printed in a
    last, borderless row of the table (paragraphs of ``footer_style``) that is kept with
    the table's last rows: a page can never hold them alone.  Paragraphs after a table
    cannot do that everywhere — LibreOffice ignores "keep with next" from a table's last
    row to the paragraph below — so the caller then writes no footer lines itself.
    """
    total = sum(grid.columns)
    widths = [int(width * w / total) for w in grid.columns]
    table = _new_table(doc, grid, widths)
    # the cells by grid position, taken once (python-docx's ``Table.cell`` walks the whole
    # table on every call); merges first, then the texts
    tcs = [list(tr.tc_lst) for tr in xml(table).tr_lst]
    grid, seams = split_at_headings(grid)
    merge_cells(tcs, grid)
    _write_texts(doc, table, tcs, grid, widths, cell_style)
    footer = footer_rows and bool(grid.footer_lines)
    keep = _kept_rows(grid, widths, width, footer, page_height_pt)
    for r, tr in enumerate(xml(table).tr_lst):
        if r in keep:
            for tc in tr.tc_lst:
                for p in tc.iterchildren(qn("w:p")):
                    _keep_next(p)
    _cell_props(table, grid, widths)
    open_seams(tcs, grid, seams)
    if footer:
        _footer_row(doc, table, grid, sum(widths), footer_style)
    if grid.repeat_rows and grid.repeat_from > 0:
        return split_table(table, grid.repeat_from)
    return table


def _new_table(doc: Any, grid: Grid, widths: list[int]) -> Any:
    """An empty table of the grid's rows and columns, centred, of fixed column widths."""
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    if "Table Grid" in doc.styles:
        table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: the widths below are kept
    _table_borders(table, 30 if grid.row_height is None else 0)
    for i, gc in enumerate(xml(table).tblGrid.gridCol_lst):
        gc.w = Emu(widths[i])
    return table


def _write_texts(doc: Any, table: Any, tcs: list[list[Any]], grid: Grid, widths: list[int],
                 cell_style: str | None) -> None:
    """Each grid cell's text in its cell; with ``cell_style`` every paragraph of the table
    takes that style (cells no grid cell covers, and merged-away ones, too)."""
    style_id = doc.styles[cell_style].style_id if cell_style is not None else None
    cells = _CellWriter(table, style_id, None if cell_style is not None else TABLE_FONT,
                        line_pitch(grid))
    for c in grid.cells:
        width_pt = sum(widths[c.col : c.last_col + 1]) / 12700 - 7  # less the cell margins
        text = weight_on_its_own_line(c.text, width_pt / ((c.size or grid.font_size) / 2))
        cells.write(tcs[c.row][c.col], text, c.horizontal, c.size or grid.font_size, c.bold)
    if style_id is not None:
        for p in xml(table).iter(qn("w:p")):
            ppr = p.get_or_add_pPr()
            if ppr.find(qn("w:pStyle")) is None:
                ppr.style = style_id


def _kept_rows(grid: Grid, widths: list[int], width: int, footer: bool,
               page_height_pt: float | None) -> set[int]:
    """The rows kept with the next: every row of a block but its last, for a block that
    fits on one page (``page_height_pt``: the type area's height) — a longer one would only
    be pushed to the next page, leaving this one half empty."""
    heights = row_heights(grid, widths)
    if footer:  # the footer row joins the block that ends the table, and the last row
        heights.append(footer_height(grid, width))
    end = grid.n_rows - 1
    blocks = [(first, end + 1 if footer and last == end else last)
              for first, last in grid.keep_together]
    # a merged cell is never split from its rows (a 一级 group with its label and weight,
    # 年度总体目标 with its captions), nor the repeated headings from the first row under them
    blocks += [(c.row, c.last_row) for c in grid.cells if c.rowspan > 1]
    if grid.repeat_rows:
        blocks.append((grid.repeat_from, grid.repeat_from + grid.repeat_rows))
    if footer:
        blocks.append((end, end + 1))
    return {
        r
        for first, last in blocks
        if page_height_pt is None or sum(heights[first : last + 1]) <= page_height_pt * 0.9
        for r in range(first, last)
    }


def _cell_props(table: Any, grid: Grid, widths: list[int]) -> None:
    """Widths on every cell (python-docx/Word use tcW, not the grid), borders, row flags."""
    for r, tr in enumerate(xml(table).tr_lst):
        header = grid.repeat_from <= r < grid.repeat_from + grid.repeat_rows
        _row_props(tr, header=header, min_height_pt=min_row_height(grid))
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Emu(sum(widths[col : col + span]))
            tcpr = tc.get_or_add_tcPr()
            valign = tcpr.find(qn("w:vAlign"))
            if valign is None:
                valign = OxmlElement("w:vAlign")
                tcpr.append(valign)
            valign.set(qn("w:val"), "center")
            _cell_borders(tc)
            col += span


def split_table(table: Any, row: int) -> Any:
    """Rows ``row``… of ``table`` as a table of their own, right under it; return it.

    Word and WPS repeat only a table's *first* rows (``w:tblHeader``) on every page: the
    column headings of a form under its 项目名称 block (一级指标 | 二级指标 | …) repeat
    only as the first rows of a table.  The two tables join with no visible gap: a
    paragraph 1 pt high between them, the upper table's bottom edge drawn by the lower
    table's top.
    """
    from docx.table import Table

    tbl = xml(table)
    rows = tbl.tr_lst[row:]
    lower = OxmlElement("w:tbl")
    for part in (tbl.tblPr, tbl.tblGrid):
        lower.append(copy.deepcopy(part))
    for tr in rows:
        lower.append(tr)
    for tc in rows[0].tc_lst:  # a merge from above restarts in the lower table
        if tc.vMerge == "continue":
            tc.vMerge = "restart"
    gap = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    for attr, value in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(qn(f"w:{attr}"), value)
    ppr.append(OxmlElement("w:keepNext"))
    ppr.append(spacing)
    gap.append(ppr)
    tbl.addnext(gap)
    gap.addnext(lower)
    return Table(lower, story(table))


def footer_height(grid: Grid, width: int) -> float:
    """Estimated height in points of the footer lines (one line each, 8 pt above)."""
    height = 8.0
    for line in grid.footer_lines:
        chars = max(width / 12700 / (line.size / 2), 2.0)
        height += wrapped_lines(line.text, chars) * line.size * 1.3
    return height


def paragraph_styler(doc: Any, style: str | None) -> Callable[[Any], None]:
    """What ``p.style = doc.styles[style]`` does to a paragraph ``p`` (nothing when ``doc``
    has no such style), with the style's id found once — no id for the default style, as
    python-docx has it — not the styles searched by name for every paragraph."""
    if style is None or style not in doc.styles:
        return lambda _p: None
    style_id = doc.part.get_style_id(doc.styles[style], WD_STYLE_TYPE.PARAGRAPH)

    def apply(p: Any) -> None:
        xml(p).style = style_id

    return apply


def _footer_row(doc: Any, table: Any, grid: Grid, width: int, style: str | None) -> None:
    """The footer lines in one borderless, unsplittable row across the whole table."""
    tr = OxmlElement("w:tr")
    trpr = OxmlElement("w:trPr")
    trpr.append(OxmlElement("w:cantSplit"))
    tr.append(trpr)
    tc = OxmlElement("w:tc")
    tr.append(tc)
    xml(table).append(tr)
    tcpr = tc.get_or_add_tcPr()
    tc.width = Emu(width)
    tcpr.grid_span = grid.n_cols
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tcpr.append(borders)
    margins = OxmlElement("w:tcMar")  # the lines start at the table's edge, as below it
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tcpr.append(margins)
    from docx.table import _Cell

    cell = _Cell(tc, table)
    styled = paragraph_styler(doc, style)
    for i, line in enumerate(grid.footer_lines):
        p = cell.add_paragraph()
        styled(p)
        pf = p.paragraph_format
        pf.space_before = Pt(8 if i == 0 else 0)
        pf.space_after = Pt(0 if style is None or grid.row_height is not None else 4)
        pf.keep_with_next = False  # the row itself is kept whole
        parts = line.parts or [""]
        font = None if style is not None else (
            TITLE_FONT if line.role in ("title", "heading") else TABLE_FONT)
        if len(parts) == 1:
            p.alignment = _ALIGN[line.align]
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            step = width // len(parts)
            for k in range(1, len(parts)):
                pf.tab_stops.add_tab_stop(Emu(step * k), WD_TAB_ALIGNMENT.LEFT)
        _run(p, "\t".join(parts), font, line.size, line.bold)


def write_grid(doc: Any, grid: Grid, first: bool) -> None:
    section = doc.sections[0] if first else doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, grid)
    _page_numbers(section, doc, grid)
    width = _text_width(section)
    for i, line in enumerate(grid.title_lines):
        _line(doc, line, width, space_after=8 if i == len(grid.title_lines) - 1 else 4)
    height = (section.page_height - section.top_margin - section.bottom_margin) / 12700
    # the lines under the form (联系人 …, 填报人（签字）…, 注) in the table's last, borderless
    # row, kept with its last rows as in the report's 附件: a page never holds them alone
    # (LibreOffice ignores "keep with next" from a table's last row to a paragraph)
    write_table(doc, grid, width, page_height_pt=height, footer_rows=True)


def write_docx(grids: list[tuple[str, Grid]], path: Path) -> None:
    """Write every grid, each in its own A4 section starting on a new page, to ``path``."""
    doc = Document()
    font_size = grids[0][1].font_size if grids else 10.5
    _prepare_styles(doc, font_size)
    # a new document holds one empty paragraph: drop it so the title is the first line
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    for i, (_name, grid) in enumerate(grids):
        write_grid(doc, grid, first=i == 0)
    glue_document(doc)
    doc.save(str(path))
