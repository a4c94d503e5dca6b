"""The in-app layout: the engine that prints a DOCX where LibreOffice is missing.

:class:`InAppLayout` (:func:`qt_docx_pdf`) reads the DOCX back with python-docx and lays it
out with ``QTextDocument`` on ``QPdfWriter`` as LibreOffice does: each section's page,
orientation and margins (GB/T 9704 from :mod:`..export.paper`), the styles (fonts with
fallbacks, sizes, the fixed 28.9 pt line, indents, spacing, page breaks, tab stops, the
目录's dot leaders, the space Word adds between 汉字 and Latin or digits), the cover, 目录
and 摘要 as the template lays them out, tables with their widths, merges, borders and
repeated header rows, and page numbers ``— N —`` where the DOCX has them.  Its pagination
does what Qt's layout lacks, after it: headings kept with the next paragraph, rows never
split and kept blocks of rows moved together to the next page, text in cells across a page
break put at the top.  tests/export/test_pdf_layout.py compares it with LibreOffice, page
by page and cell by cell.  Qt embeds the Chinese fonts.  Only QtGui is used (no widgets).
"""

from __future__ import annotations

import math
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from ..errors import ExportError
from ..export import paper
from ..export.libs import section_xml, xml
from . import breaks, justify, line_ends, page_lines, title_face, tounicode, widows
from .engine import Cancelled, PrintEngine, StopAsked

# fonts: the GB/T 9704 names first, then what every Windows has, then the Linux faces of
# resources/fontconfig/fonts.conf (Qt matches installed families only, not fontconfig aliases)
FANGSONG = ["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", "Noto Sans CJK SC"]
SONG = ["宋体", "SimSun", "Noto Serif CJK SC", "Noto Sans CJK SC"]
HEI = ["黑体", "SimHei", "Noto Sans CJK SC"]
KAI = ["楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC", "Noto Sans CJK SC"]
# the titles (小标宋): printing/title_face.py

A4_MM = (float(paper.A4_SHORT_MM), float(paper.A4_LONG_MM))


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


# ---- the in-app renderer, from the DOCX: what LibreOffice would have printed ------------------
#
# The report's DOCX (report_docx: the template rendered, then the 附件) is read back with
# python-docx and laid out by Qt section by section: page size, orientation and margins of
# each section, the paragraphs with their styles resolved (fonts, sizes, exact line spacing,
# indents, spacing, alignment, page breaks, tab stops, TOC dot leaders), the tables with
# their column widths, merges, borders, padding and repeated header rows, and the page
# numbers where a section's footer has a PAGE field (restarts honoured, odd pages right,
# even pages left).  So the cover, 目录, 摘要, inline tables and 附件 print as in Word.

TWIPS_PER_PT = 20.0
TWIPS_PER_INCH = 1440
DEFAULT_CELL_PADDING_PT = (0.0, 5.4, 0.0, 5.4)  # Word's default: top, right, bottom, left

_CJK_FONTS: tuple[tuple[tuple[str, ...], list[str]], ...] = (
    (("仿宋", "fangsong"), FANGSONG),
    (("楷", "kaiti"), KAI),
    (("黑", "simhei", "heiti"), HEI),
    (("宋", "simsun", "song"), SONG),
)


# where the Latin fonts Word documents name are missing (Linux), LibreOffice prints with
# their metric-compatible stand-ins (fontconfig's aliases): so does the in-app renderer, or
# its figures come out wider, in the CJK font, and wrap ("60.7%" in a narrow column)
LATIN_STAND_INS = {
    "times new roman": "Liberation Serif", "arial": "Liberation Sans",
    "courier new": "Liberation Mono", "calibri": "Carlito", "cambria": "Caladea",
}


def latin_families(name: str | None) -> list[str]:
    """The Latin font ``name`` (``w:ascii``) and its metric-compatible stand-in."""
    if not name:
        return []
    stand_in = LATIN_STAND_INS.get(name.lower())
    return [name, stand_in] if stand_in else [name]


def cjk_families(name: str | None) -> list[str]:
    """The font ``name`` (a ``w:eastAsia`` font) followed by what stands in for it where it
    is missing (仿宋 → 仿宋_GB2312 … Noto Serif CJK SC)."""
    if not name:
        return list(SONG)
    low = name.lower()
    for keys, families in _CJK_FONTS:
        if any(k in low for k in keys):
            return [name] + [f for f in families if f != name]
    return [name, *SONG]


def _w(el: Any, tag: str) -> Any:
    return el.find(qn(tag)) if el is not None else None


def _attr(el: Any, name: str) -> str | None:
    return None if el is None else el.get(qn(name))


def _on(el: Any) -> bool | None:
    """A toggle property (``<w:b/>``, ``<w:b w:val="0"/>``): None when absent."""
    if el is None:
        return None
    return _attr(el, "w:val") not in ("0", "false", "off")


@dataclass
class _Para:
    """A paragraph's resolved look (points)."""

    align: str = "left"
    first_line: float = 0.0
    left: float = 0.0
    right: float = 0.0
    before: float = 0.0
    after: float = 0.0
    line: float | None = None  # exact or at-least height
    line_rule: str = "auto"
    line_factor: float = 1.0  # auto: multiple of a single line
    page_break_before: bool = False
    keep_next: bool = False
    keep_lines: bool = False
    snap: bool = True  # w:snapToGrid: its lines on the section's document grid
    tabs: list[tuple[float, str, str]] = field(default_factory=list)  # pos, align, leader


@dataclass
class _Font:
    families: list[str]
    size: float
    bold: bool
    latin: int = 0  # how many of ``families`` are the Latin font and its stand-in
    spacing: float = 0.0  # w:spacing: points added after every character (may be < 0)
    heavy: bool = False  # the East Asian font emboldened (a title's stand-in, .title_face)

    def asian(self) -> _Font:
        """The same font without its Latin families: the East Asian font alone."""
        return _Font(self.families[self.latin:] or self.families, self.size,
                     self.bold or self.heavy, spacing=self.spacing)


WEAK = frozenset("“”‘’")  # quotes: no spacing as a share of the em (not full width)


def _script(ch: str) -> str:
    """``asian``, ``latin`` or ``weak``, by Unicode block as LibreOffice tells them
    (i18npool's table: Basic Latin … Armenian Latin; CJK radicals … Hangul, the CJK
    compatibility and full-width forms Asian; punctuation, symbols, ≥, □ … weak)."""
    o = ord(ch)
    if (o < 0x0590 and not 0x0300 <= o < 0x0370) or 0x1E00 <= o < 0x2000:
        return "latin"
    if 0x2E80 <= o < 0xD7B0 or 0xFE30 <= o < 0xFE50 or 0xFF00 <= o < 0xFFF0 or o >= 0x20000:
        return "asian"
    return "weak"


def east_asian(text: str) -> list[bool]:
    """For each character of ``text``, whether LibreOffice prints it in the East Asian
    font: a weak one (“, ≥, □ …) takes the script of the character before it (at the
    start, of the first that has one) — "≥6800" after 汉字 prints a full-width ≥."""
    kinds = [_script(ch) for ch in text]
    prev = next((k for k in kinds if k != "weak"), "latin")
    out = []
    for kind in kinds:
        prev = prev if kind == "weak" else kind
        out.append(prev == "asian")
    return out
LEADER_SLACK_PT = 0.5  # a 目录 leader's dots end this much short of the room they fill
AIR_EM = 0.2  # LibreOffice's air between 汉字 and Latin or digits: a fifth of the font size


class _Styles:
    """Paragraph and run properties of a document, resolved through the style chain."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        root = doc.styles.element
        self.by_id = {s.get(qn("w:styleId")): s for s in root.iterchildren(qn("w:style"))}
        self.default_para = next(
            (s for s in root.iterchildren(qn("w:style"))
             if _attr(s, "w:type") == "paragraph" and _attr(s, "w:default") == "1"), None)
        defaults = _w(root, "w:docDefaults")
        self.default_rpr = _w(_w(defaults, "w:rPrDefault"), "w:rPr")
        # the style of the table whose cells are being read: it comes between the
        # paragraph's style and the document defaults (Table Grid: single line spacing)
        self.table_style: Any = None
        self.default_ppr = _w(_w(defaults, "w:pPrDefault"), "w:pPr")

    def chain(self, style: Any) -> list[Any]:
        """``style`` and its bases, the style itself first."""
        out: list[Any] = []
        while style is not None and len(out) < 20:
            out.append(style)
            based = _w(style, "w:basedOn")
            style = self.by_id.get(_attr(based, "w:val")) if based is not None else None
        return out

    def para_style(self, p: Any) -> Any:
        pstyle = _w(_w(p, "w:pPr"), "w:pStyle")
        if pstyle is not None and _attr(pstyle, "w:val") in self.by_id:
            return self.by_id[_attr(pstyle, "w:val")]
        return self.default_para

    def _pprs(self, p: Any) -> list[Any]:
        """pPr elements from the most specific (direct) to the least (docDefaults)."""
        out = [_w(p, "w:pPr")]
        out += [_w(s, "w:pPr") for s in self.chain(self.para_style(p))]
        out += [_w(s, "w:pPr") for s in self.chain(self.table_style)]
        out.append(self.default_ppr)
        return [x for x in out if x is not None]

    def para(self, p: Any) -> _Para:
        look = _Para()
        pprs = self._pprs(p)

        def first(tag: str) -> Any:
            return next((el for ppr in pprs if (el := _w(ppr, tag)) is not None), None)

        jc = first("w:jc")
        if jc is not None:
            look.align = {"start": "left", "end": "right", "both": "justify",
                          "distribute": "justify"}.get(_attr(jc, "w:val") or "", _attr(
                              jc, "w:val") or "left")
        # spacing and indents: each attribute from the most specific element that has it
        def attr(tag: str, name: str) -> str | None:
            for ppr in pprs:
                el = _w(ppr, tag)
                if el is not None and _attr(el, name) is not None:
                    return _attr(el, name)
            return None

        def twips(tag: str, name: str) -> float:
            value = attr(tag, name)
            return int(value) / TWIPS_PER_PT if value and value.lstrip("-").isdigit() else 0.0

        look.before, look.after = twips("w:spacing", "w:before"), twips("w:spacing", "w:after")
        line, rule = attr("w:spacing", "w:line"), attr("w:spacing", "w:lineRule") or "auto"
        if line and line.lstrip("-").isdigit():
            if rule == "auto":
                look.line_factor = int(line) / 240
            else:
                look.line, look.line_rule = int(line) / TWIPS_PER_PT, rule
        look.left = twips("w:ind", "w:left") or twips("w:ind", "w:start")
        look.right = twips("w:ind", "w:right") or twips("w:ind", "w:end")
        look.first_line = twips("w:ind", "w:firstLine") - twips("w:ind", "w:hanging")
        look.page_break_before = bool(_on(first("w:pageBreakBefore")))
        look.keep_next = bool(_on(first("w:keepNext")))
        look.keep_lines = bool(_on(first("w:keepLines")))
        look.snap = _on(first("w:snapToGrid")) is not False
        for ppr in reversed(pprs):  # tab stops add up from the style to the paragraph
            for tab in ppr.iterchildren(qn("w:tabs")):
                for t in tab.iterchildren(qn("w:tab")):
                    pos = int(_attr(t, "w:pos") or 0) / TWIPS_PER_PT
                    kind = _attr(t, "w:val") or "left"
                    look.tabs = [x for x in look.tabs if abs(x[0] - pos) > 0.5]
                    if kind != "clear":
                        look.tabs.append((pos, kind, _attr(t, "w:leader") or "none"))
        look.tabs.sort()
        return look

    def font(self, p: Any, r: Any | None) -> _Font:
        """The font of run ``r`` of paragraph ``p`` (``r`` None: the paragraph mark's)."""
        rprs: list[Any] = []
        if r is not None:
            rpr = _w(r, "w:rPr")
            rprs.append(rpr)
            rstyle = _w(rpr, "w:rStyle")
            if rstyle is not None and _attr(rstyle, "w:val") in self.by_id:
                rprs += [_w(s, "w:rPr") for s in self.chain(self.by_id[_attr(rstyle, "w:val")])]
        rprs += [_w(s, "w:rPr") for s in self.chain(self.para_style(p))]
        rprs += [_w(s, "w:rPr") for s in self.chain(self.table_style)]
        rprs.append(self.default_rpr)
        rprs = [x for x in rprs if x is not None]

        def first(tag: str) -> Any:
            return next((el for rpr in rprs if (el := _w(rpr, tag)) is not None), None)

        def font_attr(name: str) -> str | None:
            for rpr in rprs:
                value = _attr(_w(rpr, "w:rFonts"), name)
                if value:
                    return value
            return None

        sz = _attr(first("w:sz"), "w:val")
        size = int(sz) / 2 if sz and sz.isdigit() else 10.5
        latin = font_attr("w:ascii")
        east = font_attr("w:eastAsia")
        families, heavy = title_face.faces(east) if title_face.is_title(east) else (
            cjk_families(east), False)
        latins = latin_families(latin)
        # character spacing (twentieths of a point), inherited like any run property: the
        # report's styles condense by 0.25 pt so that a body line holds 28 characters, and
        # the form's cells (表格文字, based on Normal) inherit it
        spacing = _attr(first("w:spacing"), "w:val")
        condensed = int(spacing) / TWIPS_PER_PT if spacing and spacing.lstrip(
            "-").isdigit() else 0.0
        return _Font(latins + families, size, bool(_on(first("w:b"))), len(latins), condensed,
                     heavy)


@dataclass
class _DocxSection:
    """One section: its page (mm), page numbers, and its body elements."""

    page: tuple[float, float]
    margins: tuple[float, float, float, float]  # top, bottom, left, right
    footer_mm: float
    numbered: bool
    start: int | None
    align_odd: str
    align_even: str
    elements: list[Any] = field(default_factory=list)
    # mm from the left edge of the page number turned on it (a landscape page, §10.2)
    turned_at: float | None = None
    pitch: float | None = None  # the line pitch (pt) of its document grid, if it has one


def _footer_align(footer: Any) -> tuple[bool, str]:
    """(has a PAGE field, alignment) of a header/footer part."""
    el = xml(footer)
    instr = " ".join((t.text or "") for t in el.iter(qn("w:instrText")))
    simple = " ".join((f.get(qn("w:instr")) or "") for f in el.iter(qn("w:fldSimple")))
    numbered = re.search(r"\bPAGE\b", instr + " " + simple) is not None
    align = "center"
    for p in el.iter(qn("w:p")):
        jc = _w(_w(p, "w:pPr"), "w:jc")
        if jc is not None and "".join(t.text or "" for t in p.iter(qn("w:t"))).strip():
            align = {"start": "left", "end": "right"}.get(_attr(jc, "w:val") or "",
                                                         _attr(jc, "w:val") or "center")
    return numbered, align


_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _turned_at(footer: Any) -> float | None:
    """For a footer whose text box turns its text a quarter clockwise (``vert``), the
    number's distance from the page's left edge in mm (the box, from that edge, ends with
    its line: :func:`.paper.landscape_page_number_footers`); else None."""
    for anchor in xml(footer).iter(_WP + "anchor"):
        if not any(b.get("vert") == "vert" for b in anchor.iter(
                "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}bodyPr")):
            continue
        extent = anchor.find(_WP + "extent")
        width = (extent.get("cx") or "") if extent is not None else ""
        if not width.isdigit():
            return paper.FOOTER_DISTANCE_MM
        return int(width) / 36000 - paper.NUMBER_BOX_MM
    return None


def _effective_footer(sections: list[Any], i: int, even: bool) -> Any:
    for k in range(i, -1, -1):
        part = sections[k].even_page_footer if even else sections[k].footer
        if not part.is_linked_to_previous:
            return part
    return sections[0].even_page_footer if even else sections[0].footer


def _grid_pitch(grid: Any) -> float | None:
    """The line pitch in points of a section's ``w:docGrid`` with lines (None: no grid)."""
    pitch = _attr(grid, "w:linePitch")
    if _attr(grid, "w:type") not in ("lines", "linesAndChars", "snapToChars") or not (
            pitch and pitch.isdigit() and int(pitch) > 0):
        return None
    return int(pitch) / TWIPS_PER_PT


def on_grid(line: float, pitch: float | None) -> float:
    """The height LibreOffice gives a line of ``line`` points on a document grid of
    ``pitch``: as many whole pitches as it takes (the 广东 cover's 18 pt line of
    "(一级预算单位)" takes one 28.9 pt line of the grid)."""
    if not pitch:
        return line
    return max(1, math.ceil(line / pitch - 0.01)) * pitch


def docx_sections(doc: Any) -> list[_DocxSection]:
    """The document's sections with their body elements (paragraphs, tables)."""
    sections = list(doc.sections)
    even_odd = bool(doc.settings.odd_and_even_pages_header_footer)
    out: list[_DocxSection] = []
    for i, s in enumerate(sections):
        mm = 1 / 36000
        w = (s.page_width or 0) * mm or A4_MM[0]
        h = (s.page_height or 0) * mm or A4_MM[1]
        margins = tuple((m or 0) * mm for m in (s.top_margin, s.bottom_margin, s.left_margin,
                                                 s.right_margin))
        odd_numbered, align_odd = _footer_align(_effective_footer(sections, i, False))
        if even_odd:
            even_numbered, align_even = _footer_align(_effective_footer(sections, i, True))
        else:
            even_numbered, align_even = odd_numbered, align_odd
        pg = section_xml(s).find(qn("w:pgNumType"))
        grid = section_xml(s).find(qn("w:docGrid"))
        start = _attr(pg, "w:start")
        out.append(_DocxSection(
            (w, h), margins,  # type: ignore[arg-type]
            (s.footer_distance or 0) * mm or 10.0, odd_numbered or even_numbered,
            int(start) if start and start.isdigit() else None, align_odd, align_even,
            turned_at=_turned_at(_effective_footer(sections, i, False)),
            pitch=_grid_pitch(grid)))
    k = 0

    def add(el: Any) -> None:
        out[min(k, len(out) - 1)].elements.append(el)

    def walk(parent: Any) -> None:
        nonlocal k
        for el in parent.iterchildren():
            tag = el.tag.split("}")[-1]
            if tag == "sdt":
                content = _w(el, "w:sdtContent")
                if content is not None:
                    walk(content)
            elif tag in ("p", "tbl"):
                add(el)
                if tag == "p" and _w(_w(el, "w:pPr"), "w:sectPr") is not None:
                    k += 1

    walk(doc.element.body)
    return out


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


def _kind(ch: str) -> str:
    """``han`` (an ideograph or kana), ``latin``, ``digit`` or ``other``."""
    if ch.isascii():
        return "digit" if ch.isdigit() else "latin" if ch.isalpha() else "other"
    if unicodedata.east_asian_width(ch) in ("W", "F") and unicodedata.category(ch) == "Lo":
        return "han"
    return "other"


def autospace(text: str, latin: bool = True, digits: bool = True) -> set[int]:
    """Indexes of the characters after which Word and WPS add a little air: where 汉字
    meet Latin letters (``autoSpaceDE``) or digits (``autoSpaceDN``), either way round."""
    out: set[int] = set()
    for i in range(len(text) - 1):
        a, b = _kind(text[i]), _kind(text[i + 1])
        pair = {a, b}
        if (latin and pair == {"han", "latin"}) or (digits and pair == {"han", "digit"}):
            out.add(i)
    return out


class _QtDocx:
    """Builds one QTextDocument per section of a DOCX, on ``device`` (a QPdfWriter)."""

    def __init__(self, doc: Any, device: Any, dpi: float) -> None:
        self.styles = _Styles(doc)
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
    def char_format(self, font: _Font) -> Any:
        from PySide6.QtGui import QFont, QTextCharFormat

        fmt = QTextCharFormat()
        fmt.setFontFamilies(font.families)
        fmt.setFontPointSize(font.size)
        fmt.setFontWeight(QFont.Weight.Bold if font.bold else QFont.Weight.Normal)
        if font.spacing:
            fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            fmt.setFontLetterSpacing(font.spacing * self.px)
        return fmt

    def block_format(self, look: _Para, gap: float = 0.0) -> Any:
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
            fmt.setProperty(_HARD_BREAK, True)
        if look.keep_next:
            fmt.setProperty(_KEEP_NEXT, True)
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
    def runs(self, p: Any) -> list[tuple[str, _Font]]:
        """The printed text of ``p`` as (text, font) pieces: field instructions skipped,
        cached field results (PAGEREF, TOC) kept, tabs, line and page breaks as characters."""
        pieces: list[tuple[str, _Font]] = []
        fields: list[bool] = []  # open fields: True while in the instruction part
        for r in p.iter(qn("w:r")):
            font = self.styles.font(p, r)
            for child in r.iterchildren():
                tag = child.tag.split("}")[-1]
                if tag == "fldChar":
                    kind = _attr(child, "w:fldCharType")
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
                    page = _attr(child, "w:type") == "page"
                    pieces.append(("\f" if page else "\u2028", font))
                elif tag == "noBreakHyphen":
                    pieces.append(("-", font))
        return pieces

    def _leaders(self, pieces: list[tuple[str, _Font]], look: _Para,
                 width: float) -> list[tuple[str, _Font]]:
        """A right tab with a dot leader (目录 entries): the dots written out."""
        from PySide6.QtGui import QFont, QFontMetricsF

        dotted = [t for t in look.tabs if t[2] in ("dot", "middleDot", "hyphen", "underscore")
                  and t[1] in ("right", "end")]
        text = "".join(t for t, _f in pieces)
        if not dotted or text.count("\t") != 1:
            return pieces
        pos = min(dotted[0][0], width / self.px)
        before, after = text.split("\t")

        def measure(s: str, f: _Font) -> float:
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
        dot = measure(".", _Font(font.families, font.size, font.bold, font.latin)) or 1.0
        n = max(int(room / dot), 2)
        spread = _Font(font.families, font.size, font.bold, font.latin,
                       max(room / n - dot, 0.0) / self.px)
        out: list[tuple[str, _Font]] = []
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
                    brk.setProperty(_HARD_BREAK, True)
                    brk.setTextIndent(0)
                    cursor.insertBlock(brk, self.char_format(mark))
                    self._offset += 1  # the page break itself
                if part:
                    self._insert(cursor, part, font, look, spaced)
        return look.after

    def _insert(self, cursor: Any, text: str, font: _Font, look: _Para,
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
            last = k + 1 < len(whole) and asian[k] != asian[k + 1]
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
        from PySide6.QtCore import Qt
        from PySide6.QtGui import (
            QBrush,
            QColor,
            QTextCharFormat,
            QTextFrameFormat,
            QTextLength,
            QTextTableFormat,
        )

        grid = [int(_attr(g, "w:w") or 0) for g in tbl.iter(qn("w:gridCol"))]
        rows = list(tbl.iterchildren(qn("w:tr")))
        if not rows:
            return
        # the cells: (row, col) → (tc, colspan); vertical merges counted afterwards
        cells: dict[tuple[int, int], tuple[Any, int]] = {}
        restart: dict[tuple[int, int], int] = {}
        n_cols = len(grid)
        header_rows = 0
        for r, tr in enumerate(rows):
            trpr = _w(tr, "w:trPr")
            if r == header_rows and trpr is not None and _on(_w(trpr, "w:tblHeader")):
                header_rows += 1
            col = int(_attr(_w(trpr, "w:gridBefore"), "w:val") or 0) if trpr is not None else 0
            for tc in tr.iterchildren(qn("w:tc")):
                tcpr = _w(tc, "w:tcPr")
                span = int(_attr(_w(tcpr, "w:gridSpan"), "w:val") or 1)
                vmerge = _w(tcpr, "w:vMerge")
                if vmerge is not None and _attr(vmerge, "w:val") != "restart":
                    above = next((k for k in range(r - 1, -1, -1) if (k, col) in restart), None)
                    if above is not None:
                        restart[(above, col)] += 1
                else:
                    cells[(r, col)] = (tc, span)
                    if vmerge is not None:
                        restart[(r, col)] = 1
                col += span
            n_cols = max(n_cols, col)
        if not grid or len(grid) < n_cols:
            grid = (grid + [0] * n_cols)[:n_cols]
        if not any(grid):
            grid = [1] * n_cols
        total = sum(grid)
        widths = [g / TWIPS_PER_PT * self.px for g in grid]
        if sum(widths) > width:  # never wider than the type area
            widths = [width * g / total for g in grid]

        black = QBrush(QColor("black"))
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
        table = cursor.insertTable(len(rows), n_cols, fmt)
        tstyle = _attr(_w(_w(tbl, "w:tblPr"), "w:tblStyle"), "w:val")
        self.styles.table_style = self.styles.by_id.get(tstyle)
        # rows whose paragraphs all keep with the next (docx.write_table's kept blocks)
        keeps = []
        for tr in rows:
            ps = list(tr.iter(qn("w:p")))
            keeps.append(bool(ps) and all(self.styles.para(q).keep_next for q in ps))
        self._tables.append((table, keeps))
        pad = self._padding(tbl)
        for (r, c), (_tc, span) in sorted(cells.items()):
            rowspan = restart.get((r, c), 1)
            if rowspan > 1 or span > 1:
                table.mergeCells(r, c, rowspan, span)
        # every cell looked up once: a lookup after a change rebuilds the table's grid
        qcells = {rc: table.cellAt(*rc) for rc in sorted(cells)}
        fills: list[tuple[Any, Any, float]] = []
        for (r, c), (tc, span) in sorted(cells.items()):
            cell = qcells[(r, c)]
            cell_fmt = cell.format().toTableCellFormat()
            top, right, bottom, left = self._padding(tc, pad)
            rowspan = restart.get((r, c), 1)
            outer = {"top": r == 0, "bottom": r + rowspan >= len(rows), "left": c == 0,
                     "right": c + span >= n_cols}
            borders = self._borders(tbl, tc, outer)
            # Qt takes half of each collapsed border off the content width, Word and
            # LibreOffice do not: text exactly as wide as the cell's width less its margins
            # fits there ("项目资金" condensed to 41 pt wraps in 40.75 pt, as in LibreOffice)
            right = max(right - borders["right"] / 2, 0.0)
            left = max(left - borders["left"] / 2, 0.0)
            cell_fmt.setTopPadding(top * self.px)
            cell_fmt.setBottomPadding(bottom * self.px)
            cell_fmt.setLeftPadding(left * self.px)
            cell_fmt.setRightPadding(right * self.px)
            valign = _attr(_w(_w(tc, "w:tcPr"), "w:vAlign"), "w:val")
            cell_fmt.setVerticalAlignment({
                "center": QTextCharFormat.VerticalAlignment.AlignMiddle,
                "bottom": QTextCharFormat.VerticalAlignment.AlignBottom,
            }.get(valign or "", QTextCharFormat.VerticalAlignment.AlignTop))
            for edge, width_of in borders.items():
                side = edge.capitalize()
                getattr(cell_fmt, f"set{side}Border")(width_of * self.px)
                getattr(cell_fmt, f"set{side}BorderStyle")(
                    QTextFrameFormat.BorderStyle.BorderStyle_Solid if width_of
                    else QTextFrameFormat.BorderStyle.BorderStyle_None)
                getattr(cell_fmt, f"set{side}BorderBrush")(black)
            cell_fmt.setTableCellRowSpan(restart.get((r, c), 1))  # or setFormat undoes merges
            cell_fmt.setTableCellColumnSpan(span)
            cell.setFormat(cell_fmt)
            fills.append((cell, tc, sum(widths[c : c + span]) - (left + right) * self.px))
        for cell, tc, inner in fills:
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
        self.styles.table_style = None

    @staticmethod
    def _borders(tbl: Any, tc: Any, outer: dict[str, bool]) -> dict[str, float]:
        """Width in points of each edge of cell ``tc`` (0: none): the cell's own borders,
        else the table's (outer edges, or insideH / insideV), else the table style's grid."""
        own = _w(_w(tc, "w:tcPr"), "w:tcBorders")
        tblpr = _w(tbl, "w:tblPr")
        table = _w(tblpr, "w:tblBorders")
        styled = _w(tblpr, "w:tblStyle") is not None
        out: dict[str, float] = {}
        for edge in ("top", "bottom", "left", "right"):
            inside = "insideH" if edge in ("top", "bottom") else "insideV"
            el = _w(own, f"w:{edge}")
            if el is None:
                el = _w(table, f"w:{edge if outer[edge] else inside}")
            if el is None:
                out[edge] = 0.5 if styled else 0.0
                continue
            val = _attr(el, "w:val") or "single"
            size = _attr(el, "w:sz")
            out[edge] = 0.0 if val in ("nil", "none") else (
                max(int(size) / 8, 0.25) if size and size.isdigit() else 0.5)
        return out

    def _padding(self, el: Any, base: tuple[float, float, float, float] | None = None
                 ) -> tuple[float, float, float, float]:
        """Cell margins (top, right, bottom, left) in points: ``tblCellMar`` of a table or
        ``tcMar`` of a cell over ``base``."""
        pr = _w(el, "w:tblPr") if el.tag == qn("w:tbl") else _w(el, "w:tcPr")
        mar = _w(pr, "w:tblCellMar") if el.tag == qn("w:tbl") else _w(pr, "w:tcMar")
        out = list(base or DEFAULT_CELL_PADDING_PT)
        for i, edges in enumerate((("top",), ("right", "end"), ("bottom",), ("left", "start"))):
            for edge in edges:
                m = _w(mar, f"w:{edge}")
                value = _attr(m, "w:w")
                if value and value.isdigit() and _attr(m, "w:type") in (None, "dxa"):
                    out[i] = int(value) / TWIPS_PER_PT
        return out[0], out[1], out[2], out[3]

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

    def document(self, section: _DocxSection) -> Any:
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
        reuse, gap = True, 0.0  # the document's first block, and the empty one after a table
        first = section.elements[0] if section.elements else None
        if first is not None and first.tag == qn("w:p"):
            before = self.styles.para(first).before
            if before > 0:  # Qt drops the space above a document's first block: a spacer
                spacer = QTextBlockFormat()
                spacer.setLineHeight(before * self.px,
                                     QTextBlockFormat.LineHeightTypes.FixedHeight.value)
                cursor.setBlockFormat(spacer)
                reuse, gap = False, -before
        kept: list[tuple[Any, Any]] = []  # (first, last block) of paragraphs kept with next
        whole: list[tuple[Any, Any]] = []  # … of paragraphs whose lines keep together
        after_table = False
        for el in section.elements:
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
        if reuse and not doc.isEmpty():  # the empty block Qt keeps after a last table
            tiny = QTextBlockFormat()
            tiny.setLineHeight(1, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            cursor.setBlockFormat(tiny)
        page_height = height * self.scale
        doc.documentLayout().setPaintDevice(self.device)
        doc.setPageSize(QSizeF(width * self.scale, page_height))
        doc.idealWidth()  # the whole layout, not only its first steps (see _line_spans)
        self._paginate(doc, kept, whole, page_height)
        return doc, width * self.scale, page_height

    def _paginate(self, doc: Any, kept: list[tuple[Any, Any]], whole: list[tuple[Any, Any]],
                  page_height: float) -> None:
        """What Qt's layout lacks, done after it, each step on the pages the ones before
        it left (a paragraph a step moves to a page's top loses its space above)."""

        def tops() -> None:
            widows.no_space_at_page_tops(doc, page_height, self.scale, _HARD_BREAK)

        line_ends.fix_line_ends(doc, self.device, self.scale)
        tops()
        # the first thing wrong from the top, mended, then the next: each step moves
        # only what comes after it (no step works on pages a later one changes)
        tables = sorted(self._tables, key=lambda tk: tk[0].firstPosition())
        start = 0
        for _ in range(8 * (doc.blockCount() + len(tables)) + 8):
            found = [f for f in (
                _split_whole(doc, whole, page_height, start),
                widows.first_fix(doc, page_height, _KEEP_NEXT, start),
                _loose_heading(doc, kept, page_height, start)) if f is not None]
            step = min(found, key=lambda f: f[0], default=None)
            if tables and (step is None or tables[0][0].firstPosition() < step[0]):
                table, keeps = tables.pop(0)
                start = table.firstPosition()
                _rows_whole(doc, table, keeps, page_height, self.scale, self.px * self.scale)
            elif step is None:
                break
            else:
                start = step[0]
                step[1]()
            tops()
        for table, _keeps in self._tables:
            _no_drift(doc, table, page_height)
        justify.justify(doc, self.device, self.scale, east_asian)


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


_KEEP_NEXT = 0x100000 + 1  # QTextFormat.UserProperty + 1: a block kept with the next
_SPACER = 0x100000 + 2  # a cell of the empty row that ends a page in a table
_HARD_BREAK = 0x100000 + 5  # a block after a page break of the DOCX's own


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
            while head.isValid() and head.blockFormat().property(_KEEP_NEXT) and (
                    head.previous().isValid()
                    and head.previous().blockFormat().property(_KEEP_NEXT)):
                head = head.previous()
            if head.isValid() and head.blockFormat().property(_KEEP_NEXT):
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
                fmt.setProperty(_SPACER, True)
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
        return any(table.cellAt(k, c).format().property(_SPACER)
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
    from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    from .. import APP_NAME

    document = Document(str(source))
    sections = [s for s in docx_sections(document) if s.elements]
    if not sections:
        raise ExportError("没有可打印的内容。")
    # device pixels are twips, as in LibreOffice's and Word's layout: every length, font
    # size and character spacing of a DOCX is a whole number of them, so Qt's rounding of
    # glyph advances to device pixels adds nothing ("-0.25 pt" is -5 px, not -4.17 → -4)
    resolution = TWIPS_PER_INCH
    px_per_mm = resolution / 25.4
    writer = QPdfWriter(str(target))
    writer.setResolution(resolution)
    writer.setTitle(title or (document.core_properties.title or ""))
    writer.setCreator(APP_NAME)
    builder = _QtDocx(document, writer, resolution)

    def layout(section: _DocxSection) -> Any:
        w, h = section.page
        landscape = w > h
        orient = QPageLayout.Orientation.Landscape if landscape else (
            QPageLayout.Orientation.Portrait)
        size = QPageSize(QSizeF(min(w, h), max(w, h)), QPageSize.Unit.Millimeter, "",
                         QPageSize.SizeMatchPolicy.FuzzyMatch)  # A4 within a millimetre
        return QPageLayout(size, orient, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)

    docs: list[Any] = []  # each section laid out before painting starts
    for laid in sections:
        _go_on(stop)
        docs.append(builder.document(laid))
    writer.setPageLayout(layout(sections[0]))
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError(f"无法写入 PDF 文件“{target.name}”，请检查文件夹权限后重试。")
    number_font = QFont()
    number_font.setFamilies(SONG)
    number_font.setPointSizeF(14)
    page_no = 0  # the number printed
    printed = 0  # pages printed
    try:
        for i, (section, (doc, width, height)) in enumerate(zip(sections, docs, strict=True)):
            if i:
                writer.setPageLayout(layout(section))
            if section.start is not None:
                page_no = section.start - 1
            top, _bottom, left, right = section.margins
            page_h = section.page[1]
            carried = page_lines.carried_over(doc, height)
            for p in range(doc.pageCount()):
                _go_on(stop)
                if printed:
                    writer.newPage()
                printed += 1
                page_no += 1
                painter.save()
                painter.translate(QPointF(left * px_per_mm, top * px_per_mm - p * height))
                _draw_page(painter, doc, QRectF(0, p * height, width, height),
                           (left * px_per_mm, right * px_per_mm, BORDER_PT / 72 * resolution),
                           carried.get(p, []))
                painter.restore()
                if not section.numbered:
                    continue
                align = section.align_odd if page_no % 2 else section.align_even
                painter.setFont(number_font)
                if section.turned_at is not None:
                    _turned_number(painter, section, f"— {page_no} —", align, px_per_mm)
                    continue
                one_char = 14 / 72 * resolution
                box = QRectF(left * px_per_mm + (one_char if align == "left" else 0),
                             (page_h - section.footer_mm - 10) * px_per_mm,
                             width - (one_char if align in ("left", "right") else 0),
                             10 * px_per_mm)
                flag = {"left": Qt.AlignmentFlag.AlignLeft,
                        "right": Qt.AlignmentFlag.AlignRight}.get(
                            align, Qt.AlignmentFlag.AlignHCenter)
                painter.drawText(box, flag | Qt.AlignmentFlag.AlignBottom, f"— {page_no} —")
    finally:
        painter.end()
    tounicode.unify_radicals(target, [doc for doc, _w, _h in docs])  # 金, not ⾦


def _turned_number(painter: Any, section: _DocxSection, text: str, align: str,
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
