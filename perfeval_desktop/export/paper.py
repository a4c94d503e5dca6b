"""The paper of a report (spec §6, GB/T 9704-2012): page, fonts, named styles, page numbers.

Used twice: by ``scripts/build_doc_templates.py`` to write the styles into each
``templates/<id>/report.docx`` (where a bureau restyles them in Word or WPS), and by the
exporters to set up the sections they add (附件 pages, landscape tables).

Every look lives in a named style, so that changing a style in Word changes all its
uses.  Style names are what a clerk sees in Chinese Word/WPS; built-in styles are used
where Word gives them a meaning (``heading 1``–``heading 4`` for the navigation pane
and the table of contents, ``toc 1`` for its entries, ``footer``):

==============  ==========================  ===============================================
style           shown in Chinese Word as    look
==============  ==========================  ===============================================
Normal          正文                          3号 仿宋, fixed line spacing 28.9 pt
报告正文          报告正文                      Normal + first line indented two characters
heading 1       标题 1                        一、 3号 黑体, indented two characters
heading 2       标题 2                        （一） 3号 楷体
heading 3       标题 3                        1. 3号 仿宋
heading 4       标题 4                        （1） 3号 仿宋
报告标题          报告标题                      2号 title font, centred
封面标题 …        (see ``PARAGRAPH_STYLES``)
==============  ==========================  ===============================================

Fonts: ``font.name`` in python-docx sets only the Latin slots, so every style names its
East-Asian font in ``w:eastAsia`` and the theme-font attributes (which would win) are
removed (pitfalls.md).  The fonts are the ones every Chinese Windows has (仿宋 FangSong,
宋体 SimSun, 黑体 SimHei, 楷体 KaiTi); ``fontTable.xml`` lists them with their English
names as ``w:altName`` so that Word and WPS find them under either name.

The title font: GB/T 9704 prints titles in 小标宋 (方正小标宋简体), which most offices
install but Windows does not ship.  Word has no font fallback list: a missing font is
replaced by whatever Word picks, usually a plain 宋体 that looks thin at 22 pt.  So the
default title font is **宋体 bold**, which every Windows has and which prints close to
小标宋; a bureau that has 方正小标宋简体 installed builds its templates with
``--title-font 方正小标宋简体`` (or sets the font of the style 报告标题 in Word): the
style then names 方正小标宋简体 without bold, and ``fontTable.xml`` gives 宋体 as its
``w:altName`` so that a PC without it substitutes 宋体 rather than an arbitrary font.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips

from .libs import section_xml, story, xml

Orientation = Literal["portrait", "landscape"]

# ---- page (GB/T 9704-2012 §5) -------------------------------------------------------------
A4_SHORT_MM, A4_LONG_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 37, 35
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 28, 26
HEADER_DISTANCE_MM = 15
# the page number's top sits about 7 mm below the type area: 35 − 7 − one 4号 line (≈ 6 mm)
FOOTER_DISTANCE_MM = 22

# ---- type (GB/T 9704-2012 §7) -------------------------------------------------------------
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
PAGE_NUMBER_PT = 14.0  # 4号
TABLE_PT = 10.5  # 五号, for table cells
LINE_PT = 28.9  # 22 lines in the 225 mm type area
CHARS_PER_LINE = 28  # 3号 characters in the 156 mm type area (the document grid)
GRID_CONDENSE_TWIPS = -5  # 16 − 0.25 pt per character: 28 × 15.75 pt ≤ 156 mm
TITLE_LINE_PT = 35.0

FANGSONG, SONGTI, HEITI, KAITI = "仿宋", "宋体", "黑体", "楷体"
XIAOBIAOSONG = "方正小标宋简体"
LATIN = "Times New Roman"
DEFAULT_TITLE_FONT = XIAOBIAOSONG  # falls back to 华文中宋 / 宋体 (fontTable altName)
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
EM_DASH = "—"

# name → (English name for w:altName, w:family, pitch); charset 86 = GB2312
FONT_TABLE: dict[str, tuple[str, str, str]] = {
    FANGSONG: ("FangSong", "modern", "fixed"),
    SONGTI: ("SimSun", "auto", "variable"),
    HEITI: ("SimHei", "modern", "fixed"),
    KAITI: ("KaiTi", "modern", "fixed"),
    XIAOBIAOSONG: ("华文中宋", "roman", "variable"),
}

# ---- styles -------------------------------------------------------------------------------
BODY_STYLE = "报告正文"
TITLE_STYLE = "报告标题"
COVER_TITLE_STYLE = "封面标题"
COVER_SUBTITLE_STYLE = "封面副标题"
COVER_LINE_STYLE = "封面信息"
COVER_DATE_STYLE = "封面日期"
LABEL_STYLE = "附件标识"
ANNEX_TITLE_STYLE = "附件标题"
ANNEX_LIST_STYLE = "附件说明"
TABLE_NOTE_STYLE = "表格说明"
TABLE_TITLE_STYLE = "表格标题"
TABLE_TEXT_STYLE = "表格文字"
PAGE_TITLE_STYLE = "页首标题"
TOC_ENTRY_STYLE = "toc 1"
DIRECTIVE_STYLE = "模板指令"
LEAD1_STYLE = "一级引题"
LEAD2_STYLE = "二级引题"
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")


@dataclass(frozen=True)
class StyleSpec:
    """One named style: fonts, size, alignment, indents and spacing (all in points)."""

    name: str
    style_id: str
    east_asia: str = FANGSONG
    size: float = BODY_PT
    bold: bool = False
    kind: Literal["paragraph", "character"] = "paragraph"
    based_on: str | None = "Normal"
    align: Literal["left", "center", "right", "both"] | None = None
    first_line_chars: int = 0  # first-line indent in characters of this style's size
    left_chars: int = 0
    line_exact: float | None = None  # None: as the base style
    line_single: bool = False
    before: float = 0.0
    after: float = 0.0
    keep_next: bool = False
    outline_level: int | None = None
    page_break_before: bool = False
    color: str | None = None
    tight: bool = False  # no automatic space between Chinese and Latin/digits (附件1)


def paragraph_styles(title_font: str = DEFAULT_TITLE_FONT) -> list[StyleSpec]:
    """The styles of a report, in the order the style gallery lists them."""
    title_bold = title_font != XIAOBIAOSONG
    return [
        StyleSpec("Normal", "Normal", based_on=None, align="both", line_exact=LINE_PT),
        StyleSpec(BODY_STYLE, "ReportBody", first_line_chars=2),
        StyleSpec("Heading 1", "Heading1", HEITI, first_line_chars=2, keep_next=True,
                  outline_level=0),
        StyleSpec("Heading 2", "Heading2", KAITI, first_line_chars=2, keep_next=True,
                  outline_level=1),
        StyleSpec("Heading 3", "Heading3", FANGSONG, first_line_chars=2, keep_next=True,
                  outline_level=2),
        StyleSpec("Heading 4", "Heading4", FANGSONG, first_line_chars=2, keep_next=True,
                  outline_level=3),
        StyleSpec(TITLE_STYLE, "ReportTitle", title_font, TITLE_PT, bold=title_bold,
                  align="center", line_exact=TITLE_LINE_PT, after=LINE_PT, keep_next=True),
        StyleSpec(COVER_TITLE_STYLE, "CoverTitle", title_font, 26.0, bold=title_bold,
                  align="center", line_exact=44.0, before=3 * LINE_PT, after=LINE_PT),
        StyleSpec(COVER_SUBTITLE_STYLE, "CoverSubtitle", title_font, TITLE_PT, bold=title_bold,
                  align="center", line_exact=TITLE_LINE_PT, after=LINE_PT),
        StyleSpec(COVER_LINE_STYLE, "CoverLine", FANGSONG, left_chars=2, line_exact=LINE_PT,
                  after=14.0, align="left"),
        StyleSpec(COVER_DATE_STYLE, "CoverDate", FANGSONG, align="center",
                  before=4 * LINE_PT),
        StyleSpec(LABEL_STYLE, "AnnexLabel", HEITI, align="left", keep_next=True,
                  tight=True),
        StyleSpec(ANNEX_TITLE_STYLE, "AnnexTitle", title_font, TITLE_PT, bold=title_bold,
                  align="center", line_exact=TITLE_LINE_PT, before=LINE_PT, after=8.0,
                  keep_next=True),
        StyleSpec(ANNEX_LIST_STYLE, "AnnexList", FANGSONG, left_chars=2, align="left",
                  keep_next=True),
        StyleSpec(TABLE_NOTE_STYLE, "TableNote", SONGTI, 12.0, align="left", line_single=True,
                  after=4.0, keep_next=True),
        StyleSpec(TABLE_TITLE_STYLE, "TableTitle", HEITI, 14.0, align="center",
                  line_single=True, before=6.0, after=6.0, keep_next=True),
        StyleSpec(TABLE_TEXT_STYLE, "TableText", SONGTI, TABLE_PT, align="center",
                  line_single=True),
        StyleSpec(PAGE_TITLE_STYLE, "PageTitle", title_font, TITLE_PT, bold=title_bold,
                  align="center", line_exact=TITLE_LINE_PT, after=LINE_PT,
                  page_break_before=True, keep_next=True),
        StyleSpec(TOC_ENTRY_STYLE, "TOC1", FANGSONG, align="left"),
        StyleSpec("Footer", "Footer", SONGTI, PAGE_NUMBER_PT, line_single=True),
        StyleSpec(DIRECTIVE_STYLE, "TemplateDirective", SONGTI, 9.0, align="left",
                  line_single=True, color="808080"),
        StyleSpec(LEAD1_STYLE, "LeadHeading1", HEITI, kind="character", based_on=None),
        StyleSpec(LEAD2_STYLE, "LeadHeading2", KAITI, kind="character", based_on=None),
    ]


# ---- low-level XML helpers ----------------------------------------------------------------


def _drop_theme(rfonts: Any) -> None:
    for attr in THEME_ATTRS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]


def set_rfonts(rpr: Any, east_asia: str, latin: str = LATIN) -> None:
    """Name the font of every slot (``w:eastAsia`` included) and drop the theme fonts."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    _drop_theme(rfonts)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


# the schema order of w:pPr's children (Word rejects a file whose order is wrong)
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def _child(ppr: Any, tag: str) -> Any:
    """``ppr``'s child ``tag``, inserted in schema order when missing."""
    el = ppr.find(qn(tag))
    if el is not None:
        return el
    el = OxmlElement(tag)
    later = PPR_ORDER[PPR_ORDER.index(tag) + 1:]
    for child in ppr:
        name = child.tag.split("}")[-1]
        if f"w:{name}" in later:
            child.addprevious(el)
            return el
    ppr.append(el)
    return el


def _clear(el: Any) -> None:
    for child in list(el):
        el.remove(child)


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _indent(ppr: Any, spec: StyleSpec) -> None:
    """Indents in characters (``w:firstLineChars``: Word/WPS keep them when the size
    changes) and the same in twips for readers that ignore the character units."""
    if not (spec.first_line_chars or spec.left_chars):
        return
    ind = _child(ppr, "w:ind")
    twips_per_char = int(spec.size * 20)
    if spec.left_chars:
        ind.set(qn("w:left"), str(spec.left_chars * twips_per_char))
        ind.set(qn("w:leftChars"), str(spec.left_chars * 100))
    if spec.first_line_chars:
        ind.set(qn("w:firstLine"), str(spec.first_line_chars * twips_per_char))
        ind.set(qn("w:firstLineChars"), str(spec.first_line_chars * 100))


_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
                      "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
                      "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish")


def _condense(rpr: Any, twips: int) -> None:
    """``w:spacing`` (character spacing) in ``rpr``, in the schema's place."""
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    el = OxmlElement("w:spacing")
    el.set(qn("w:val"), str(twips))
    later = next((c for c in rpr if f"w:{c.tag.split('}')[-1]}" in _RPR_AFTER_SPACING), None)
    if later is not None:
        later.addprevious(el)
    else:
        rpr.append(el)


def on_grid(spec: StyleSpec) -> bool:
    """A 3号 text style laid on the 22 × 28 document grid (tables, notes, titles are not)."""
    return not spec.line_single and spec.size == BODY_PT


def _apply_spec(doc: Any, spec: StyleSpec) -> Any:
    styles = doc.styles
    kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
    if spec.name in styles:
        style = styles[spec.name]
    else:
        style = styles.add_style(spec.name, kind)
        style.element.set(qn("w:styleId"), spec.style_id)
    el = style.element
    # start from nothing: theme fonts, colours, borders and spacing of the default template go
    for tag in ("w:pPr", "w:rPr", "w:link", "w:rsid", "w:basedOn", "w:next"):
        for old in el.findall(qn(tag)):
            el.remove(old)
    if spec.based_on and spec.name != "Normal":
        style.base_style = styles[spec.based_on]
    style.quick_style = True
    style.hidden = False
    style.unhide_when_used = False
    if spec.kind == "paragraph":
        if spec.name.startswith("Heading") or spec.name in (TITLE_STYLE, COVER_TITLE_STYLE,
                                                              ANNEX_TITLE_STYLE, LABEL_STYLE):
            style.next_paragraph_style = styles[BODY_STYLE] if BODY_STYLE in styles else None
        pf = style.paragraph_format
        if spec.align is not None:
            pf.alignment = _ALIGN[spec.align]
        if spec.line_exact is not None:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(spec.line_exact)
        elif spec.line_single:
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.space_before = Pt(spec.before)
        pf.space_after = Pt(spec.after)
        if spec.keep_next:
            pf.keep_with_next = True
        if spec.page_break_before:
            pf.page_break_before = True
        ppr = el.get_or_add_pPr()
        if not on_grid(spec):  # tables, notes, titles: off the grid
            _child(ppr, "w:snapToGrid").set(qn("w:val"), "0")
        _indent(ppr, spec)
        if spec.tight:
            _child(ppr, "w:autoSpaceDE").set(qn("w:val"), "0")
            _child(ppr, "w:autoSpaceDN").set(qn("w:val"), "0")
        if spec.outline_level is not None:
            _child(ppr, "w:outlineLvl").set(qn("w:val"), str(spec.outline_level))
        if spec.name == TOC_ENTRY_STYLE:
            text_width = Mm(A4_SHORT_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM)
            pf.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    rpr = el.get_or_add_rPr()
    set_rfonts(rpr, spec.east_asia)
    if spec.kind == "paragraph" and on_grid(spec):
        # 3号 characters 0.25 pt closer: 28 to the 156 mm line also where the grid snaps
        # each character to whole cells (LibreOffice); Word and WPS keep the grid's 28
        _condense(rpr, GRID_CONDENSE_TWIPS)
    if spec.color:
        font.color.rgb = RGBColor.from_string(spec.color)
    return style


def _doc_defaults(doc: Any) -> None:
    """docDefaults: named fonts instead of the theme's, 3号, Chinese language, no spacing,
    no hanging punctuation."""
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles_el.insert(0, defaults)
    _clear(defaults)
    defaults.append(parse_xml(
        f'<w:rPrDefault {nsdecls("w")}><w:rPr>'
        f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:cs="{LATIN}" w:eastAsia="{FANGSONG}"/>'
        f'<w:kern w:val="2"/><w:sz w:val="{int(BODY_PT * 2)}"/>'
        f'<w:szCs w:val="{int(BODY_PT * 2)}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    ))
    defaults.append(parse_xml(
        f'<w:pPrDefault {nsdecls("w")}><w:pPr>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    ))
    no_hanging_punctuation(doc)


def no_hanging_punctuation(doc: Any) -> None:
    """No comma, stop, colon … hung past the right margin (``w:overflowPunct`` off in
    docDefaults): LibreOffice hangs it but leaves it out of its PDF — a report without
    its commas — so one that does not fit takes the character before it to the next line,
    in Word, WPS and LibreOffice alike (and the in-app renderer reads it, docx_read)."""
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles_el.insert(0, defaults)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)  # (after w:rPrDefault in the schema order)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    _child(ppr, "w:overflowPunct").set(qn("w:val"), "1")


def _font_table(doc: Any, names: Iterable[str]) -> None:
    """List the Chinese fonts with their English names (``w:altName``) in fontTable.xml."""
    for part in doc.part.package.iter_parts():
        if str(part.partname).endswith("/fontTable.xml"):
            break
    else:
        return
    root = parse_xml(part.blob)
    present = {f.get(qn("w:name")) for f in root.iterchildren(qn("w:font"))}
    for name in names:
        if name in present or name not in FONT_TABLE:
            continue
        alt, family, pitch = FONT_TABLE[name]
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{family}"/>'
            f'<w:pitch w:val="{pitch}"/></w:font>'
        ))
    from lxml import etree  # type: ignore[import-untyped]

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def chinese_language(doc: Any) -> None:
    """Simplified Chinese as the East-Asian language of every run (docDefaults ``w:lang``)
    and of the theme: without it LibreOffice lays out CJK lines by Latin rules (table lines
    of 12.2 pt instead of 10.5 pt × 1.15, measured) and Word picks Japanese glyph forms."""
    rpr = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/"
                                  + qn("w:rPr"))
    if rpr is not None:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)  # (the last child of rPr in the schema order)
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        lang.set(qn("w:bidi"), "ar-SA")
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:eastAsia"), "zh-CN")


def _settings(doc: Any) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    chinese_language(doc)


def apply_styles(doc: Any, title_font: str = DEFAULT_TITLE_FONT) -> None:
    """Give ``doc`` the report's named styles, docDefaults, fonts and settings."""
    _doc_defaults(doc)
    specs = paragraph_styles(title_font)
    # the body style first: the headings name it as their next style
    by_name = {s.name: s for s in specs}
    _apply_spec(doc, by_name["Normal"])
    _apply_spec(doc, by_name[BODY_STYLE])
    for spec in specs:
        if spec.name not in ("Normal", BODY_STYLE):
            _apply_spec(doc, spec)
    _font_table(doc, [FANGSONG, SONGTI, HEITI, KAITI, title_font])
    _settings(doc)


# ---- sections, page numbers ---------------------------------------------------------------


def setup_page(section: Any, orientation: Orientation = "portrait") -> None:
    """A4 with the GB/T 9704 margins; a landscape page keeps the same type area turned
    with the paper (binding edge 28 mm at the top, page number at the bottom)."""
    if orientation == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(A4_LONG_MM), Mm(A4_SHORT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
        section.left_margin, section.right_margin = Mm(MARGIN_BOTTOM_MM), Mm(MARGIN_TOP_MM)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM - (MARGIN_BOTTOM_MM - MARGIN_RIGHT_MM))
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(A4_SHORT_MM), Mm(A4_LONG_MM)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.gutter = Mm(0)


def text_width(section: Any) -> int:
    """Width of the type area in EMU."""
    return int(section.page_width - section.left_margin - section.right_margin)


def set_page_number_start(section: Any, start: int | None) -> None:
    """Restart numbering at ``start`` in this section (None: continue from the previous)."""
    sectpr = section_xml(section)
    pg = sectpr.find(qn("w:pgNumType"))
    if start is None:
        if pg is not None and qn("w:start") in pg.attrib:
            del pg.attrib[qn("w:start")]
        return
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        # schema order: … pgSz, pgMar, paperSrc, pgBorders, lnNumType, pgNumType, cols …
        anchor = None
        for tag in ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                    "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid"):
            anchor = sectpr.find(qn(tag))
            if anchor is not None:
                break
        if anchor is not None:
            anchor.addprevious(pg)
        else:
            sectpr.append(pg)
    pg.set(qn("w:start"), str(start))


def _grid_element(section: Any) -> Any:
    sectpr = section_xml(section)
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectpr.append(grid)  # (the last child of sectPr in the schema order)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    return grid


def set_doc_grid(section: Any) -> None:
    """The grid of a body page (GB/T 9704 §5.2.2): 22 lines of ``LINE_PT`` in the type
    area, and 28 characters of 3号 to a line by the body styles' spacing (−0.25 pt).

    A line grid (``w:type="lines"``), not ``linesAndChars``: with any character pitch below
    the font size (``w:charSpace`` < 0, what 28 × 16 pt in 156 mm needs) LibreOffice gives
    each 3号 character two grid cells, 14 to a line (measured), while the condensed spacing
    prints 28 in Word, WPS and LibreOffice alike.
    """
    grid = _grid_element(section)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))


def no_doc_grid(section: Any) -> None:
    """No grid: the 附件 pages are tables, laid out by their own widths."""
    _grid_element(section).set(qn("w:linePitch"), str(round(LINE_PT * 20)))


def _field_runs(
    paragraph: Any, instruction: str, shown: str, new_run: Callable[[], Any] | None = None
) -> None:
    """A field (PAGE, PAGEREF …) as begin / instrText / separate / cached result / end.

    ``new_run`` makes each run (e.g. with a font set); by default a plain run.
    """
    for kind in ("begin", "instr", "separate", "text", "end"):
        r = xml(new_run() if new_run is not None else paragraph.add_run())
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = shown
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r.append(el)


def add_field(
    paragraph: Any, instruction: str, shown: str, new_run: Callable[[], Any] | None = None
) -> None:
    _field_runs(paragraph, instruction, shown, new_run)


def _page_number_paragraph(paragraph: Any, odd: bool) -> None:
    """``— N —`` in 4号 宋体 (the Footer style), one character in from the edge."""
    for r in list(paragraph.runs):
        xml(r).getparent().remove(xml(r))
    pf = paragraph.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    one_char = Twips(int(PAGE_NUMBER_PT * 20))
    if odd:
        pf.right_indent = one_char
    else:
        pf.left_indent = one_char
    _page_number_runs(paragraph)


def _page_number_runs(paragraph: Any) -> None:
    """``— PAGE —`` in 4号 宋体."""
    paragraph.add_run(f"{EM_DASH} ")
    _field_runs(paragraph, "PAGE", "1")
    paragraph.add_run(f" {EM_DASH}")
    for r in paragraph.runs:
        r.font.size = Pt(PAGE_NUMBER_PT)
        set_rfonts(xml(r).get_or_add_rPr(), SONGTI)


def page_number_footers(section: Any, doc: Any) -> None:
    """Odd pages right, even pages left (``w:evenAndOddHeaders`` in settings)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        if "Footer" in doc.styles:
            p.style = doc.styles["Footer"]
        _page_number_paragraph(p, odd)
        for extra in footer.paragraphs[1:]:
            xml(extra).getparent().remove(xml(extra))


# GB/T 9704-2012 §10.2: a table printed landscape keeps its page number where the other
# pages have theirs, and its head at the binding edge on odd pages (at the cut edge on even
# ones).  So the landscape page's top is the sheet's left edge and the sheet's foot — where
# ``— N —`` sits — is the landscape page's left edge: the number is printed there, turned a
# quarter clockwise (it reads upright when the bound sheet is held upright), at the foot of
# that edge on odd pages (the sheet's right) and at its head on even ones (the sheet's left).
NUMBER_BOX_MM = 7.0  # the turned number's box: one 4号 line across


def _turned_number_box(section: Any, odd: bool, edge_mm: float) -> Any:
    """A text box in the footer along the landscape page's left edge, holding ``— N —``
    turned clockwise (``wps:bodyPr vert="vert"``), ``edge_mm`` from the edge as the
    upright pages' number is from theirs.

    The box starts at the page's left edge (``wp:align``) and the type area's top
    (relative to the margin), ``edge_mm`` + NUMBER_BOX_MM wide, the line at its far side
    (``anchor="t"``: the head of turned text): LibreOffice ignores a page-relative offset
    of a footer's box on some pages and drew the number on the paper's edge."""
    emu = 36000
    cx = int((edge_mm + NUMBER_BOX_MM) * emu)
    cy = int(section.page_height - section.top_margin - section.bottom_margin)
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
    indent = int(PAGE_NUMBER_PT * 20)
    jc, ind = ("right", f'w:right="{indent}"') if odd else ("left", f'w:left="{indent}"')
    return parse_xml(
        f'<w:r {ns}><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" '
        'simplePos="0" relativeHeight="251659264" behindDoc="0" locked="1" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:align>left</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{4000 + (1 if odd else 2)}" name="页码"/>'
        '<wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        '</wps:spPr><wps:txbx><w:txbxContent>'
        f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:ind {ind}/><w:jc w:val="{jc}"/></w:pPr>'
        '</w:p></w:txbxContent></wps:txbx>'
        '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" '
        'anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>'
        '</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')


def landscape_page_number_footers(section: Any, doc: Any,
                                  edge_mm: float = FOOTER_DISTANCE_MM) -> None:
    """The footers of a landscape section: the page number turned on its left edge,
    ``edge_mm`` from it (the upright pages' footer distance)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        for extra in footer.paragraphs[1:]:
            xml(extra).getparent().remove(xml(extra))
        for r in list(xml(p).iterchildren(qn("w:r"))):
            xml(p).remove(r)
        if "Footer" in doc.styles:
            p.style = doc.styles["Footer"]
        box = _turned_number_box(section, odd, edge_mm)
        xml(p).append(box)
        from docx.text.paragraph import Paragraph

        inner = box.find(".//" + qn("w:p"))
        _page_number_runs(Paragraph(inner, story(p)))


def no_page_numbers(section: Any) -> None:
    """Empty footers of their own (a cover page carries no number)."""
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        for p in footer.paragraphs:
            for r in list(p.runs):
                xml(r).getparent().remove(xml(r))


def style_fonts(doc: Any) -> dict[str, tuple[str | None, str | None]]:
    """{style name: (w:eastAsia, any theme-font attribute left)} — for checks and tests."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for style in doc.styles:
        rpr = style.element.find(qn("w:rPr"))
        rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if rfonts is None:
            out[style.name] = (None, None)
            continue
        theme = next((a for a in THEME_ATTRS if rfonts.get(qn(a)) is not None), None)
        out[style.name] = (rfonts.get(qn("w:eastAsia")), theme)
    return out
