"""The DOCX read back for the in-app layout: sections, styles and fonts resolved.

python-docx gives the document; the page, orientation, margins and page numbers of each
section (:func:`docx_sections`), and each paragraph's look and each run's font through the
style chain (:class:`Styles`), are read from its XML here, as Word resolves them.  No Qt here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

from ..export import paper
from ..export.libs import section_xml, xml
from . import title_face
from .fonts import cjk_families, latin_families

A4_MM = (float(paper.A4_SHORT_MM), float(paper.A4_LONG_MM))

TWIPS_PER_PT = 20.0
TWIPS_PER_INCH = 1440
DEFAULT_CELL_PADDING_PT = (0.0, 5.4, 0.0, 5.4)  # Word's default: top, right, bottom, left


def wchild(el: Any, tag: str) -> Any:
    return el.find(qn(tag)) if el is not None else None


def wattr(el: Any, name: str) -> str | None:
    return None if el is None else el.get(qn(name))


def toggle(el: Any) -> bool | None:
    """A toggle property (``<w:b/>``, ``<w:b w:val="0"/>``): None when absent."""
    if el is None:
        return None
    return wattr(el, "w:val") not in ("0", "false", "off")


@dataclass
class Para:
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
    hang: bool = True  # a comma, stop … that does not fit hangs past the right margin
    tabs: list[tuple[float, str, str]] = field(default_factory=list)  # pos, align, leader


@dataclass
class Font:
    families: list[str]
    size: float
    bold: bool
    latin: int = 0  # how many of ``families`` are the Latin font and its stand-in
    spacing: float = 0.0  # w:spacing: points added after every character (may be < 0)
    heavy: bool = False  # the East Asian font emboldened (a title's stand-in, .title_face)

    def asian(self) -> Font:
        """The same font without its Latin families: the East Asian font alone."""
        return Font(self.families[self.latin:] or self.families, self.size,
                     self.bold or self.heavy, spacing=self.spacing)


class Styles:
    """Paragraph and run properties of a document, resolved through the style chain."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        root = doc.styles.element
        self.by_id = {s.get(qn("w:styleId")): s for s in root.iterchildren(qn("w:style"))}
        self.default_para = next(
            (s for s in root.iterchildren(qn("w:style"))
             if wattr(s, "w:type") == "paragraph" and wattr(s, "w:default") == "1"), None)
        defaults = wchild(root, "w:docDefaults")
        self.default_rpr = wchild(wchild(defaults, "w:rPrDefault"), "w:rPr")
        # the style of the table whose cells are being read: it comes between the
        # paragraph's style and the document defaults (Table Grid: single line spacing)
        self.table_style: Any = None
        self.default_ppr = wchild(wchild(defaults, "w:pPrDefault"), "w:pPr")

    def chain(self, style: Any) -> list[Any]:
        """``style`` and its bases, the style itself first."""
        out: list[Any] = []
        while style is not None and len(out) < 20:
            out.append(style)
            based = wchild(style, "w:basedOn")
            style = self.by_id.get(wattr(based, "w:val")) if based is not None else None
        return out

    def para_style(self, p: Any) -> Any:
        pstyle = wchild(wchild(p, "w:pPr"), "w:pStyle")
        if pstyle is not None and wattr(pstyle, "w:val") in self.by_id:
            return self.by_id[wattr(pstyle, "w:val")]
        return self.default_para

    def _pprs(self, p: Any) -> list[Any]:
        """pPr elements from the most specific (direct) to the least (docDefaults)."""
        out = [wchild(p, "w:pPr")]
        out += [wchild(s, "w:pPr") for s in self.chain(self.para_style(p))]
        out += [wchild(s, "w:pPr") for s in self.chain(self.table_style)]
        out.append(self.default_ppr)
        return [x for x in out if x is not None]

    def para(self, p: Any) -> Para:
        look = Para()
        pprs = self._pprs(p)

        def first(tag: str) -> Any:
            return next((el for ppr in pprs if (el := wchild(ppr, tag)) is not None), None)

        jc = first("w:jc")
        if jc is not None:
            look.align = {"start": "left", "end": "right", "both": "justify",
                          "distribute": "justify"}.get(wattr(jc, "w:val") or "", wattr(
                              jc, "w:val") or "left")
        # spacing and indents: each attribute from the most specific element that has it
        def attr(tag: str, name: str) -> str | None:
            for ppr in pprs:
                el = wchild(ppr, tag)
                if el is not None and wattr(el, name) is not None:
                    return wattr(el, name)
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
        look.page_break_before = bool(toggle(first("w:pageBreakBefore")))
        look.keep_next = bool(toggle(first("w:keepNext")))
        look.keep_lines = bool(toggle(first("w:keepLines")))
        look.snap = toggle(first("w:snapToGrid")) is not False
        # as LibreOffice reads w:overflowPunct: the other way round from its spec (and
        # Word), "on" keeps the punctuation inside (writerfilter: hanging = val == 0)
        look.hang = toggle(first("w:overflowPunct")) is not True
        for ppr in reversed(pprs):  # tab stops add up from the style to the paragraph
            for tab in ppr.iterchildren(qn("w:tabs")):
                for t in tab.iterchildren(qn("w:tab")):
                    pos = int(wattr(t, "w:pos") or 0) / TWIPS_PER_PT
                    kind = wattr(t, "w:val") or "left"
                    look.tabs = [x for x in look.tabs if abs(x[0] - pos) > 0.5]
                    if kind != "clear":
                        look.tabs.append((pos, kind, wattr(t, "w:leader") or "none"))
        look.tabs.sort()
        return look

    def font(self, p: Any, r: Any | None) -> Font:
        """The font of run ``r`` of paragraph ``p`` (``r`` None: the paragraph mark's)."""
        rprs: list[Any] = []
        if r is not None:
            rpr = wchild(r, "w:rPr")
            rprs.append(rpr)
            rstyle = wchild(rpr, "w:rStyle")
            if rstyle is not None and wattr(rstyle, "w:val") in self.by_id:
                rprs += [wchild(s, "w:rPr") for s in self.chain(self.by_id[wattr(rstyle, "w:val")])]
        rprs += [wchild(s, "w:rPr") for s in self.chain(self.para_style(p))]
        rprs += [wchild(s, "w:rPr") for s in self.chain(self.table_style)]
        rprs.append(self.default_rpr)
        rprs = [x for x in rprs if x is not None]

        def first(tag: str) -> Any:
            return next((el for rpr in rprs if (el := wchild(rpr, tag)) is not None), None)

        def font_attr(name: str) -> str | None:
            for rpr in rprs:
                value = wattr(wchild(rpr, "w:rFonts"), name)
                if value:
                    return value
            return None

        sz = wattr(first("w:sz"), "w:val")
        size = int(sz) / 2 if sz and sz.isdigit() else 10.5
        latin = font_attr("w:ascii")
        east = font_attr("w:eastAsia")
        families, heavy = title_face.faces(east) if title_face.is_title(east) else (
            cjk_families(east), False)
        latins = latin_families(latin)
        # character spacing (twentieths of a point), inherited like any run property: the
        # report's styles condense by 0.25 pt so that a body line holds 28 characters, and
        # the form's cells (表格文字, based on Normal) inherit it
        spacing = wattr(first("w:spacing"), "w:val")
        condensed = int(spacing) / TWIPS_PER_PT if spacing and spacing.lstrip(
            "-").isdigit() else 0.0
        return Font(latins + families, size, bool(toggle(first("w:b"))), len(latins), condensed,
                     heavy)


@dataclass
class DocxSection:
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
        jc = wchild(wchild(p, "w:pPr"), "w:jc")
        if jc is not None and "".join(t.text or "" for t in p.iter(qn("w:t"))).strip():
            align = {"start": "left", "end": "right"}.get(wattr(jc, "w:val") or "",
                                                         wattr(jc, "w:val") or "center")
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
    pitch = wattr(grid, "w:linePitch")
    if wattr(grid, "w:type") not in ("lines", "linesAndChars", "snapToChars") or not (
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


def docx_sections(doc: Any) -> list[DocxSection]:
    """The document's sections with their body elements (paragraphs, tables)."""
    sections = list(doc.sections)
    even_odd = bool(doc.settings.odd_and_even_pages_header_footer)
    out: list[DocxSection] = []
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
        start = wattr(pg, "w:start")
        out.append(DocxSection(
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
                content = wchild(el, "w:sdtContent")
                if content is not None:
                    walk(content)
            elif tag in ("p", "tbl"):
                add(el)
                if tag == "p" and wchild(wchild(el, "w:pPr"), "w:sectPr") is not None:
                    k += 1

    walk(doc.element.body)
    return out
