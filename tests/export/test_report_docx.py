"""The whole report as DOCX: report.docx templates rendered in a sandbox, paper, 附件.

Every sample is exported and reopened with python-docx: cover lines, headings in order,
the narrative with its live values, the 附件 labels and titles, page size and margins
(GB/T 9704), East-Asian fonts, odd/even page numbers; the templates themselves render,
refuse Jinja that reaches for Python internals and name an unknown placeholder; and a
render through LibreOffice checks what paper shows.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from export_support import form_tables, read_docx, to_pdf

from perfeval_desktop import paths
from perfeval_desktop.errors import TemplateError
from perfeval_desktop.export import export_report, paper, plan_export
from perfeval_desktop.export.forms import FormPart
from perfeval_desktop.export.report_docx import (
    REPORT_DOCX,
    annex_title,
    is_inline,
    narrative_paragraphs,
    template_file,
    write_report_docx,
)
from perfeval_desktop.model.report import Meta, Report
from perfeval_desktop.scoring.engine import ScoreSheet
from perfeval_desktop.scoring.live_values import fill, live_values
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import MANIFEST, Template, load_template, parse_manifest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.pfe"))
TEMPLATE_DIRS = sorted(p.parent for p in (ROOT / "templates").glob(f"*/{MANIFEST}"))
GD = "gd_yuancheng_medical_aid_2021"
SZ = "sz_fund_supervision_2022"
SC = "sc_panzhihua_supervision_2022"
PLACEHOLDER = re.compile(r"[{｛][{｛%]|[%}｝][}｝]")


@dataclass
class Exported:
    report: Report
    template: Template
    sheet: ScoreSheet
    parts: list[FormPart]
    path: Path
    warnings: list[str]

    @property
    def doc(self) -> Any:
        return read_docx(self.path)

    @property
    def annexes(self) -> list[FormPart]:
        """The 附件 printed after the 正文."""
        return [p for p in self.parts if not is_inline(p) and not p.first]

    @property
    def firsts(self) -> list[FormPart]:
        """The 附件 printed before the 正文 (云南: the 评价表 first, as seed 004)."""
        return [p for p in self.parts if not is_inline(p) and p.first]


def export(report: Report, template: Template, out: Path) -> Exported:
    plan = plan_export(report, template)
    sheet, parts = plan.sheet, plan.available
    warnings = write_report_docx(report, template, sheet, parts, out)
    return Exported(report, template, sheet, parts, out, warnings)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Exported]:
    out = tmp_path_factory.mktemp("report_docx")
    result = {}
    for sample in SAMPLES:
        report = load(sample)
        result[sample.stem] = export(report, load_template(report.meta.template_id),
                                     out / f"{sample.stem}.docx")
    return result


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_paragraphs(doc: Any) -> list[Any]:
    return list(doc.paragraphs)


def all_texts(doc: Any) -> list[str]:
    """Every paragraph's text: body, table cells, headers and footers."""
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t")))
             for p in doc.element.body.iter(qn("w:p"))]
    for s in doc.sections:
        for hf in (s.header, s.even_page_header, s.footer, s.even_page_footer):
            texts += [p.text for p in hf.paragraphs]
    return texts


def heading_texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]


def is_subsequence(wanted: list[str], seen: list[str]) -> bool:
    it = iter(seen)
    return all(any(w == s for s in it) for w in wanted)


def expected_headings(template: Template) -> list[str]:
    return [s.heading for s in template.manifest.all_sections()
            if s.number.strip() or s.title.strip() not in ("摘要", "摘 要")]


# ---- every sample ---------------------------------------------------------------------------

sample_ids = [s.stem for s in SAMPLES]


@pytest.mark.parametrize("name", sample_ids)
def test_headings_in_order_and_no_placeholder_left(exported: dict[str, Exported],
                                                   name: str) -> None:
    e = exported[name]
    doc = e.doc
    assert is_subsequence(expected_headings(e.template), heading_texts(doc)), heading_texts(doc)
    leftovers = [t for t in all_texts(doc) if PLACEHOLDER.search(t)]
    assert leftovers == []
    assert not PLACEHOLDER.search(doc.core_properties.title or "")
    assert e.warnings == []


@pytest.mark.parametrize("name", sample_ids)
def test_narrative_printed_with_live_values(exported: dict[str, Exported], name: str) -> None:
    e = exported[name]
    values = live_values(e.report, e.template.manifest, e.sheet)
    printed = {norm(t) for t in all_texts(e.doc)}
    keys = {p.key for p in e.parts} | {p.title for p in e.parts}
    missing = []
    outline = {s.id: s for s in e.template.manifest.all_sections()}
    for sid, text in e.report.sections.items():
        # what the clerk wrote (the 宿州 摘要 is its template's instruction: not printed)
        for line in outline[sid].written(text).splitlines():
            m = re.fullmatch(r"\s*\{\{\s*(.*?)\s*\}\}\s*", line)
            if not line.strip() or (m and m.group(1) in keys):
                continue
            for para in narrative_paragraphs(fill(line, values).text):
                if norm(para["引题"] + para["文字"]) not in printed:
                    missing.append((sid, line[:30]))
    assert missing == []


@pytest.mark.parametrize("name", sample_ids)
def test_annex_labels_titles_and_sections(exported: dict[str, Exported], name: str) -> None:
    e = exported[name]
    doc = e.doc
    paras = body_paragraphs(doc)
    labels = [i for i, p in enumerate(paras) if p.style.name == paper.LABEL_STYLE]
    annexes = e.annexes
    for i, part in enumerate(e.firsts):  # on the first pages, the 正文 on a new page after
        assert paras[2 * i].text == f"{part.key}：" and i * 2 in labels
        assert norm(paras[2 * i + 1].text) == norm(annex_title(part, e.report.project.name))
    if e.firsts:
        opening = next(p for p in paras if p.style.name == paper.TITLE_STYLE)
        # on a new page: a page break before it, or the 评价表's own section (its margins)
        # ending right before it on a new page
        before = opening._p.getprevious()
        ppr = before.find(qn("w:pPr")) if before is not None else None
        sect = ppr.find(qn("w:sectPr")) if ppr is not None else None
        kind = sect.find(qn("w:type")) if sect is not None else None
        new_page = sect is not None and (kind is None or kind.get(qn("w:val")) == "nextPage")
        assert opening.paragraph_format.page_break_before or new_page
        assert not any(norm(p.text).startswith("附件：") for p in paras)  # no invented list
    annex_labels = labels[len(labels) - len(annexes):] if annexes else []
    assert [paras[i].text for i in annex_labels] == [p.key for p in annexes]
    for i, part in zip(annex_labels, annexes, strict=True):
        # the label opens its own section: the paragraph before it ends the previous one
        prev = paras[i - 1]._p
        assert prev.find(qn("w:pPr")) is not None
        assert prev.find(qn("w:pPr")).find(qn("w:sectPr")) is not None
        title = paras[i + 1]
        assert title.style.name == paper.ANNEX_TITLE_STYLE
        assert norm(title.text) == norm(annex_title(part, e.report.project.name))
        assert title.alignment is None and doc.styles[paper.ANNEX_TITLE_STYLE].paragraph_format \
            .alignment == WD_ALIGN_PARAGRAPH.CENTER
    # one section per 附件 after the 正文; each in its grid's orientation
    tail = doc.sections[len(doc.sections) - len(annexes):] if annexes else []
    for section, part in zip(tail, annexes, strict=True):
        landscape = part.grid.orientation == "landscape"
        assert (section.orientation == 1) == landscape
        pg = section._sectPr.find(qn("w:pgNumType"))
        assert pg is None or pg.get(qn("w:start")) is None, "numbering continues"
        # GB/T 9704 §10.2: a landscape 附件 has footers of its own, the number turned on its
        # left edge (test_paper_gbt); an upright one after it numbers upright again
        if landscape:
            assert not section.footer.is_linked_to_previous and turned(section.footer)
            assert not section.even_page_footer.is_linked_to_previous
        else:
            assert section.footer.is_linked_to_previous or not turned(section.footer)


def form_sections(e: Exported, doc: Any) -> list[Any]:
    """The leading sections of the forms printed first on a page of their own margins (the
    云南 评价表 on one page, as seed 004): one per such form."""
    return list(doc.sections)[:sum(1 for p in e.firsts if p.grid.margins_mm is not None)]


@pytest.mark.parametrize("name", sample_ids)
def test_paper_a4_and_gb_margins(exported: dict[str, Exported], name: str) -> None:
    e = exported[name]
    doc = e.doc
    forms = form_sections(e, doc)
    for s, part in zip(forms, e.firsts, strict=False):  # the form's own margins
        assert s.orientation == 0 and part.grid.margins_mm is not None
        assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
        margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
        assert [round(m.mm, 1) for m in margins] == [round(m, 1) for m in part.grid.margins_mm]
    for s in list(doc.sections)[len(forms):]:
        if s.orientation == 0:
            assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
            margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
            assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
        else:
            assert (round(s.page_width.mm), round(s.page_height.mm)) == (297, 210)
            margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
            assert [round(m.mm) for m in margins] == [28, 26, 35, 37]  # the same, turned


def turned(footer: Any) -> bool:
    """The footer's number is in a text box turned clockwise (a landscape page)."""
    return any(b.get("vert") == "vert" for b in footer._element.iter(
        "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}bodyPr"))


def footer_text(footer: Any) -> str:
    return "".join(p.text for p in footer.paragraphs)


def has_page_field(footer: Any) -> bool:
    return any("PAGE" in (t.text or "") for t in footer._element.iter(qn("w:instrText")))


@pytest.mark.parametrize("name", sample_ids)
def test_page_numbers_odd_right_even_left(exported: dict[str, Exported], name: str) -> None:
    e = exported[name]
    doc = e.doc
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    forms = form_sections(e, doc)
    sections = list(doc.sections)[len(forms):]
    numbered = [s for s in sections if not s.footer.is_linked_to_previous
                and has_page_field(s.footer) and not turned(s.footer)]
    # one upright numbered footer, inherited by every later section … but a landscape
    # section's (turned, test_paper_gbt) and the upright ones after such a section
    assert numbered, "a numbered footer"
    for later in numbered[1:]:
        assert sections[sections.index(later) - 1].orientation == 1
        assert [p.text for p in later.footer.paragraphs] == [
            p.text for p in numbered[0].footer.paragraphs]
    body = numbered[0]
    odd, even = body.footer.paragraphs[0], body.even_page_footer.paragraphs[0]
    assert footer_text(body.footer) == "— 1 —" and footer_text(body.even_page_footer) == "— 1 —"
    assert has_page_field(body.even_page_footer)
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for run in odd.runs:
        rfonts = run._r.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == "宋体" and run.font.size.pt == 14
    for form in forms:  # a form printed first: numbered as the 正文 (its pages count)
        assert footer_text(form.footer) == footer_text(body.footer)
        assert footer_text(form.even_page_footer) == footer_text(body.even_page_footer)
        assert has_page_field(form.footer) and not turned(form.footer)
    first = sections.index(body) if body in sections else 0
    cover = sections[:first]
    for s in cover:  # the cover (and 目录, 摘要) carry no number; the 正文 starts at 1
        assert not has_page_field(s.footer) and not has_page_field(s.even_page_footer)
    if cover:
        assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def section_grid(section: Any) -> Any:
    return section._sectPr.find(qn("w:docGrid"))


@pytest.mark.parametrize("name", sample_ids)
def test_gb_t_9704_grid_22_lines_of_28_characters(exported: dict[str, Exported],
                                                  name: str) -> None:
    """§5.2.2: the body pages' grid holds 22 lines (w:docGrid, 28.9 pt line pitch) of 28
    characters (3号 with −0.25 pt spacing: 28 × 15.75 pt in the 156 mm line); the 附件
    sections (tables) and the tables, notes and titles are off the grid."""
    e = exported[name]
    doc = e.doc
    tail = len(e.annexes)
    forms = form_sections(e, doc)
    for s in forms:  # a form printed first on a page of its own margins: off the grid
        assert section_grid(s) is None or section_grid(s).get(qn("w:type")) is None
    body = list(doc.sections)[len(forms): len(doc.sections) - tail]
    for s in body:
        grid = section_grid(s)
        assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "578"
        assert 22 * 578 <= round((s.page_height - s.top_margin - s.bottom_margin) / 635) \
            < 23 * 578
        width_pt = (s.page_width - s.left_margin - s.right_margin) / 12700
        assert 28 * (16 - 0.25) <= width_pt < 29 * (16 - 0.25)
    for s in list(doc.sections)[len(forms) + len(body):]:
        assert section_grid(s).get(qn("w:type")) is None
    styles = doc.styles
    for style in ("Normal", paper.BODY_STYLE, "Heading 1", "Heading 2", "Heading 3"):
        rpr = styles[style].element.find(qn("w:rPr"))
        assert rpr.find(qn("w:spacing")).get(qn("w:val")) == "-5", style
        assert rpr.find(qn("w:sz")).get(qn("w:val")) == "32"
    for style in (paper.TABLE_TEXT_STYLE, paper.TABLE_NOTE_STYLE, paper.TITLE_STYLE):
        ppr = styles[style].element.find(qn("w:pPr"))
        assert ppr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0", style
        assert styles[style].element.find(qn("w:rPr")).find(qn("w:spacing")) is None


@pytest.mark.parametrize("name", sample_ids)
def test_gb_t_9704_title_in_xiaobiaosong_with_a_fallback(exported: dict[str, Exported],
                                                         name: str) -> None:
    """§7.3.3: 2号 方正小标宋简体 (not bold: the face is heavy); where it is not installed
    Word and WPS take the font table's alternative, 华文中宋, else the GB2312 serif 宋体."""
    doc = exported[name].doc
    title = doc.styles[paper.TITLE_STYLE]
    assert paper.style_fonts(doc)[paper.TITLE_STYLE] == ("方正小标宋简体", None)
    assert title.font.size.pt == 22 and not title.font.bold
    table = next(p for p in doc.part.package.iter_parts()
                 if str(p.partname).endswith("/fontTable.xml"))
    from docx.oxml import parse_xml

    fonts = {f.get(qn("w:name")): f for f in parse_xml(table.blob).iterchildren(qn("w:font"))}
    entry = fonts["方正小标宋简体"]
    assert entry.find(qn("w:altName")).get(qn("w:val")) == "华文中宋"
    assert entry.find(qn("w:charset")).get(qn("w:val")) == "86"  # GB2312: a 宋体-like serif
    assert "宋体" in fonts


@pytest.mark.parametrize("name", sample_ids)
def test_styles_name_east_asian_fonts(exported: dict[str, Exported], name: str) -> None:
    doc = exported[name].doc
    fonts = paper.style_fonts(doc)
    expected = {
        "Normal": "仿宋", paper.BODY_STYLE: "仿宋", "Heading 1": "黑体", "Heading 2": "楷体",
        "Heading 3": "仿宋", "Heading 4": "仿宋", paper.TITLE_STYLE: "方正小标宋简体",
        paper.LABEL_STYLE: "黑体", paper.ANNEX_TITLE_STYLE: "方正小标宋简体",
        paper.TABLE_TEXT_STYLE: "宋体", "Footer": "宋体", paper.LEAD2_STYLE: "楷体",
    }
    for style, font in expected.items():
        assert fonts[style] == (font, None), style
    styles = doc.styles
    assert styles["Normal"].font.size.pt == 16 and styles["Heading 1"].font.size.pt == 16
    assert styles[paper.TITLE_STYLE].font.size.pt == 22
    assert styles["Normal"].paragraph_format.line_spacing.pt == pytest.approx(28.9, abs=0.05)
    body = styles[paper.BODY_STYLE].element.find(qn("w:pPr")).find(qn("w:ind"))
    assert body.get(qn("w:firstLineChars")) == "200" and body.get(qn("w:firstLine")) == "640"
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rfonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "仿宋"
    assert not [a for a in paper.THEME_ATTRS if rfonts.get(qn(a)) is not None]
    # no run anywhere brings a theme font back
    for r in doc.element.body.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        rf = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if rf is not None:
            assert not [a for a in paper.THEME_ATTRS if rf.get(qn(a)) is not None]


@pytest.mark.parametrize("name", sample_ids)
def test_tables_repeat_headers_and_keep_rows_whole(exported: dict[str, Exported],
                                                  name: str) -> None:
    e = exported[name]
    doc = e.doc
    grids = [p.grid for p in e.parts]
    assert len(form_tables(doc)) == len(grids)
    # tables appear in the document in the order: inline ones inside the 正文, then 附件
    annexes = [p.grid for p in e.firsts + e.annexes]
    ordered = ([p.grid for p in e.firsts] + [p.grid for p in e.parts if is_inline(p)]
               + [p.grid for p in e.annexes])
    for table, grid in zip(form_tables(doc), ordered, strict=True):
        rows = table._tbl.tr_lst
        # an 附件's lines under the form (signatures, 注) are its last, borderless row
        assert len(rows) in (grid.n_rows, grid.n_rows + 1)
        assert (len(rows) > grid.n_rows) == (bool(grid.footer_lines) and grid in annexes)
        for i, tr in enumerate(rows):
            assert tr.trPr.find(qn("w:cantSplit")) is not None
            heading = grid.repeat_from <= i < grid.repeat_from + grid.repeat_rows
            assert (tr.trPr.find(qn("w:tblHeader")) is not None) == heading
            style = "TableText" if i < grid.n_rows else "TableNote"
            for p in tr.iter(qn("w:p")):
                assert p.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) == style


# ---- family specifics -----------------------------------------------------------------------


def test_gd_cover_block_and_report_title(exported: dict[str, Exported]) -> None:
    doc = exported[GD].doc
    texts = [norm(p.text) for p in doc.paragraphs if p.text.strip()]
    assert texts[:10] == [
        "附件2", "源城区2022年财政支出绩效自评报告", "项目名称：医疗救助补助资金",
        "项目(用款)单位：市医保局源城分局", "主管部门：市医保局源城分局", "(一级预算单位)",
        "填报人姓名：潘挚", "联系电话：3893981", "填报日期：2022年4月6日",
        "医疗救助补助资金支出绩效自评总结报告",
    ]
    title = next(p for p in doc.paragraphs if p.text == "医疗救助补助资金支出绩效自评总结报告")
    assert title.style.name == paper.TITLE_STYLE
    assert len(doc.sections) == 3  # cover, 正文, 附件1 (landscape)
    assert doc.sections[2].orientation == 1
    # the seed's narrative: headings 一 … 六, the lead-in "1.数量指标。" in the body font
    assert heading_texts(doc)[:3] == ["一、项目支出基本情况", "二、绩效自评工作开展情况",
                                      "三、绩效自评结果及分析"]


def test_live_values_fill_the_narrative(tmp_path: Path) -> None:
    report = load(ROOT / "resources" / "samples" / f"{GD}.pfe")
    report.sections["results_score"] = (
        "经自评得分{{ 总分 }}分，预算执行率{{ 执行率 }}，评价等次为“{{ 等次 }}”。\n"
        "产出指标得分{{ 产出指标得分 }}分（{{ 产出指标得分率 }}），{{ 没有这个 }}。"
    )
    e = export(report, load_template(report.meta.template_id), tmp_path / "r.docx")
    texts = [p.text for p in e.doc.paragraphs]
    assert "经自评得分94分，预算执行率60.7%，评价等次为“良”。" in texts
    assert "产出指标得分48分（96.00%），{{ 没有这个 }}。" in texts
    assert len(e.warnings) == 1 and "{{ 没有这个 }}" in e.warnings[0]


def test_sz_cover_toc_summary(exported: dict[str, Exported]) -> None:
    e = exported[SZ]
    doc = e.doc
    texts = [norm(p.text) for p in doc.paragraphs if p.text.strip()]
    assert texts[:3] == ["项目支出绩效评价报告", norm(f"{e.report.project.name}项目支出绩效评价报告"),
                         "2023年3月"]
    # the sample's 摘要 is left empty: no 摘要 page (see the test below)
    assert "目录" in texts and "摘要" not in texts
    instr = [t.text for t in doc.element.body.iter(qn("w:instrText"))]
    assert any(t.strip().startswith('TOC \\o "1-1"') for t in instr)
    level1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    entries = [p for p in doc.paragraphs if p.style.name == "toc 1"]
    assert [p.text.split("\t")[0] for p in entries] == level1
    assert level1[0] == "一、项目基本情况" and level1[-1] == "八、其他需要说明的问题"
    bookmarks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    refs = [re.search(r"PAGEREF (\S+)", t).group(1) for t in instr if "PAGEREF" in t]
    assert len(refs) == len(level1) and set(refs) <= bookmarks
    # the 正文 is numbered from 1 after the unnumbered cover, 目录 and 摘要
    assert doc.sections[1]._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert [p.text for p in doc.paragraphs if p.style.name == paper.LABEL_STYLE] == [
        "附件1", "附件2", "附件3"]
    items = [p.text for p in doc.paragraphs if p.style.name == paper.ANNEX_LIST_STYLE]
    assert items[0] == "附件：" and len(items) == 4 and items[1].startswith("1. ")


def test_sc_inline_funding_table(exported: dict[str, Exported]) -> None:
    e = exported[SC]
    doc = e.doc
    inline = [p for p in e.parts if is_inline(p)]
    assert inline, "the 四川 资金表 is printed inside the 正文"
    body = list(doc.element.body.iterchildren())
    tbl = doc.tables[0]._tbl  # (a table of two rows, not split)
    at = body.index(tbl)
    before = ["".join(t.text or "" for t in el.iter(qn("w:t"))) for el in body[:at]]
    after = ["".join(t.text or "" for t in el.iter(qn("w:t"))) for el in body[at + 1:]]
    assert "1．资金计划及到位。" in before[-3:]
    assert "2．资金使用。" in after
    values = {norm(c.text) for row in doc.tables[0].rows for c in row.cells}
    assert {"计划数", "到位数", "使用数"} <= values


# ---- the templates --------------------------------------------------------------------------


@pytest.mark.parametrize("folder", TEMPLATE_DIRS, ids=[p.name for p in TEMPLATE_DIRS])
def test_every_template_renders(folder: Path, tmp_path: Path) -> None:
    """An empty report through every report.docx: no Jinja error (e.g. a tag split by
    Word), no tag left, the styles a bureau restyles are there."""
    assert (folder / REPORT_DOCX).is_file(), (
        f"{folder.name}: run `python scripts/build_doc_templates.py` to make report.docx")
    manifest = parse_manifest(folder / MANIFEST)
    report = Report(meta=Meta(template_id=manifest.id, year=2024), project={"name": "测试项目"})
    e = export(report, Template(manifest, folder), tmp_path / "r.docx")
    doc = e.doc
    assert not [t for t in all_texts(doc) if PLACEHOLDER.search(t)]
    assert is_subsequence(expected_headings(e.template), heading_texts(doc))
    template = Document(str(folder / REPORT_DOCX))
    names = {s.name for s in template.styles}
    assert {"Normal", paper.BODY_STYLE, "Heading 1", "Heading 2", paper.TITLE_STYLE,
            paper.LABEL_STYLE, paper.TABLE_TEXT_STYLE} <= names
    directives = [p.text for p in template.paragraphs if p.text.startswith("{%p")]
    assert "{%p for 章节 in 正文 %}" in directives


def _with_paragraph(src: Path, dst: Path, *runs: str) -> Path:
    shutil.copytree(src, dst)
    doc = Document(str(dst / REPORT_DOCX))
    p = doc.add_paragraph()
    for text in runs:
        p.add_run(text)
    doc.save(str(dst / REPORT_DOCX))
    return dst


@pytest.fixture
def gd_report() -> Report:
    return load(ROOT / "resources" / "samples" / f"{GD}.pfe")


def test_tag_split_across_runs_renders(gd_report: Report, tmp_path: Path) -> None:
    """Word splits runs when it spell-checks; docxtpl must still see one tag."""
    builtin = load_template("mof_self_eval_gd")
    folder = _with_paragraph(builtin.folder, tmp_path / "t", "本局：{{ 项目", "名称 }", "}")
    e = export(gd_report, Template(builtin.manifest, folder), tmp_path / "r.docx")
    assert "本局：医疗救助补助资金" in [p.text for p in e.doc.paragraphs]


def test_user_folder_overrides_the_builtin(gd_report: Report, tmp_path: Path) -> None:
    builtin = load_template("mof_self_eval_gd")
    user = paths.user_templates_dir() / "mof_self_eval_gd"
    _with_paragraph(builtin.folder, user, "本局自定义模板：{{ 填报单位 }}")
    template = load_template("mof_self_eval_gd")
    assert template.folder == user and template_file(template) == user / REPORT_DOCX
    e = export(gd_report, template, tmp_path / "r.docx")
    assert "本局自定义模板：市医保局源城分局" in [p.text for p in e.doc.paragraphs]


def test_user_folder_without_docx_falls_back(gd_report: Report, tmp_path: Path) -> None:
    builtin = load_template("mof_self_eval_gd")
    user = tmp_path / "mof_self_eval_gd"
    user.mkdir()
    shutil.copy(builtin.folder / MANIFEST, user / MANIFEST)
    assert template_file(Template(builtin.manifest, user)) == builtin.folder / REPORT_DOCX


@pytest.mark.parametrize("tag, word", [
    ("{{ ''.__class__ }}", "__class__"),
    ("{{ 正文.__class__.__mro__[1].__subclasses__() }}", "__class__"),
    ("{{ cycler.__init__.__globals__ }}", "__init__"),
    ("{{ 项目名称.__len__() }}", "__len__"),
    ("{{ 正文.pop() }}", "pop"),
])
def test_sandbox_refuses_python_internals(gd_report: Report, tmp_path: Path, tag: str,
                                          word: str) -> None:
    builtin = load_template("mof_self_eval_gd")
    folder = _with_paragraph(builtin.folder, tmp_path / "t", tag)
    with pytest.raises(TemplateError) as info:
        export(gd_report, Template(builtin.manifest, folder), tmp_path / "r.docx")
    msg = str(info.value)
    assert str(folder / REPORT_DOCX) in msg and tag in msg
    assert f"（{word}）" in msg and "不允许" in msg and "项目名称" in msg
    assert not (tmp_path / "r.docx").exists()


def test_unknown_placeholder_named_with_the_file(gd_report: Report, tmp_path: Path) -> None:
    builtin = load_template("mof_self_eval_gd")
    folder = _with_paragraph(builtin.folder, tmp_path / "t", "{{ 项目名 }}")
    with pytest.raises(TemplateError) as info:
        export(gd_report, Template(builtin.manifest, folder), tmp_path / "r.docx")
    msg = str(info.value)
    assert msg.startswith(f"模板 {folder / REPORT_DOCX} 中的占位符 {{{{ 项目名 }}}} 不存在")
    assert "是否应为：项目名称" in msg and "可用：" in msg and "年度" in msg


def test_unknown_attribute_in_a_loop(gd_report: Report, tmp_path: Path) -> None:
    builtin = load_template("mof_self_eval_gd")
    folder = tmp_path / "t"
    shutil.copytree(builtin.folder, folder)
    doc = Document(str(folder / REPORT_DOCX))
    for text in ("{%p for 章节 in 正文 %}", "{{ 章节.标题名 }}", "{%p endfor %}"):
        doc.add_paragraph(text)
    doc.save(str(folder / REPORT_DOCX))
    with pytest.raises(TemplateError, match=r"占位符 \{\{ 章节\.标题名 \}\} 不存在（“标题名”）"):
        export(gd_report, Template(builtin.manifest, folder), tmp_path / "r.docx")


def test_builtin_template_shown_relative(gd_report: Report, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    builtin = load_template("mof_self_eval_gd")
    root = tmp_path / "bundle"
    folder = _with_paragraph(builtin.folder, root / "templates" / "mof_self_eval_gd", "{{ 年份 }}")
    monkeypatch.setattr(paths, "bundle_root", lambda: root)
    with pytest.raises(TemplateError) as info:
        export(gd_report, Template(builtin.manifest, folder), tmp_path / "r.docx")
    assert "模板 templates/mof_self_eval_gd/report.docx 中的占位符 {{ 年份 }} 不存在" in str(info.value)


def test_syntax_error_and_broken_file(gd_report: Report, tmp_path: Path) -> None:
    builtin = load_template("mof_self_eval_gd")
    folder = _with_paragraph(builtin.folder, tmp_path / "t", "{%p if 总分 %}")
    with pytest.raises(TemplateError, match="语法错误"):
        export(gd_report, Template(builtin.manifest, folder), tmp_path / "r.docx")
    (folder / REPORT_DOCX).write_bytes(b"not a docx")
    with pytest.raises(TemplateError, match="不是有效的 Word 文档"):
        export(gd_report, Template(builtin.manifest, folder), tmp_path / "r.docx")


# ---- rendered by LibreOffice ----------------------------------------------------------------


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True,
                          capture_output=True, text=True).stdout
    return [(round(float(w)), round(float(h)))
            for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def page_text(pdf: Path, page: int | None = None, layout: bool = True) -> str:
    args = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("name, pages", [(GD, (8, 13)), (SZ, (11, 18)), (SC, (5, 9))])
def test_libreoffice_pages(exported: dict[str, Exported], tmp_path: Path, name: str,
                           pages: tuple[int, int]) -> None:
    e = exported[name]
    pdf = to_pdf(e.path, tmp_path)
    sizes = page_sizes(pdf)
    assert pages[0] <= len(sizes) <= pages[1], len(sizes)
    assert set(sizes) <= {(595, 842), (842, 595)}
    assert sizes[0] == (595, 842)
    # each 附件 starts on a page of its grid's orientation, with its label on top
    texts = [page_text(pdf, i + 1) for i in range(len(sizes))]
    starts = [i for i, t in enumerate(texts) if re.match(r"\s*附件\s*\d", t)]
    annex_starts = starts[len(starts) - len(e.annexes):]
    assert len(annex_starts) == len(e.annexes)
    for i, part in zip(annex_starts, e.annexes, strict=True):
        want = (842, 595) if part.grid.orientation == "landscape" else (595, 842)
        assert sizes[i] == want, (part.key, i)
    whole = norm(page_text(pdf))
    for heading in expected_headings(e.template):
        assert norm(heading) in whole, heading
    raw = norm(page_text(pdf, None, layout=False))
    for part in e.parts:  # every number of every table, nothing cut off in a narrow cell
        for cell in part.grid.cells:
            for number in re.findall(r"\d[\d.,]*%?", cell.text):
                assert number in raw, (part.key, cell.text)
            if len(norm(cell.text)) <= 2:  # a two-character label never wraps
                assert norm(cell.text) in raw, (part.key, cell.text)
    assert "—1—" in whole and "—2—" in whole


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice / poppler-utils not installed")
def test_gb_t_9704_pages_print_22_lines_of_28_characters(exported: dict[str, Exported],
                                                          tmp_path: Path) -> None:
    """The 宿州 report printed by LibreOffice: a full page of 正文 holds 22 lines, a full
    line 28 characters (it held 27 without the grid's spacing)."""
    pdf = to_pdf(exported[SZ].path, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    pages = [[re.sub(r"\s+", "", line) for line in page.splitlines()
              if line.strip() and "—" not in line] for page in text.split("\f")]
    first_annex = next(i for i, p in enumerate(pages) if p and p[0].startswith("附件"))
    body = [p for p in pages[:first_annex]
            if p and not any("目录" in line or "摘要" in line for line in p)]
    assert max(len(p) for p in body) == 22
    # (a punctuation mark may hang past the line's end: not one of its 28)
    widths = [len(line.rstrip("，。、；：！？）")) for p in body for line in p
              if re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef]+", line)]
    assert max(widths) == 28 and widths.count(28) > 20


def lines_of(title: str, per_line: float) -> list[str]:
    from perfeval_desktop.export.titles import title_breaks

    ends = [*title_breaks(title, per_line), len(title)]
    return [title[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def test_a_long_title_breaks_before_its_document_name(exported: dict[str, Exported]) -> None:
    assert lines_of("2022年医保定点医药机构监管经费项目支出绩效自评报告", 20) == [
        "2022年医保定点医药机构监管经费", "项目支出绩效自评报告"]
    assert lines_of("医疗救助补助资金支出绩效自评总结报告", 20) == [
        "医疗救助补助资金支出绩效自评总结报告"]  # fits
    doc = exported[SC].doc
    title_p = next(p for p in doc.paragraphs if p.style.name == paper.TITLE_STYLE)
    assert title_p._p.find(f".//{qn('w:br')}") is not None
    assert title_p.text.replace("\n", "|") == "2022年医保定点医药机构监管经费|项目支出绩效自评报告"


def test_a_long_project_name_breaks_between_words() -> None:
    """A name longer than a line breaks where a word ends — after a document number's 号
    or a bracket, after a year, before a number or the kind of fund — never inside a word
    (the 云南 title wrapped “…2024年中央 | 财政…”); each line as full as fits."""
    from perfeval_desktop.export.titles import em_width

    yn = "昆财社基（2023）87号提前下达2024年中央财政医保服务与保障能力提升补助资金项目支出绩效评价报告"
    assert lines_of(yn, 20) == ["昆财社基（2023）87号提前下达2024年",
                                "中央财政医保服务与保障能力提升补助资金", "项目支出绩效评价报告"]
    assert lines_of(yn, 14) == ["昆财社基（2023）87号提前下达", "2024年", "中央财政医保服务与保障能力提升",
                                "补助资金", "项目支出绩效评价报告"]
    assert em_width("（2023）87号") == 6.0  # digits are half an em
    # no word end that fits: the word stays whole (it wraps by itself), the name still apart
    assert lines_of("医疗保障基金安全监管第三方服务购买资金项目支出绩效评价报告", 12) == [
        "医疗保障基金安全监管第三方服务购买", "资金", "项目支出绩效评价报告"]


def test_the_yunnan_title_breaks_between_words(tmp_path: Path) -> None:
    """The exported 云南 report: its 正文 title in three lines broken between words."""
    sample = ROOT / "resources" / "samples" / "yn_wuhua_fund_supervision_2024.pfe"
    report = Report.model_validate_json(sample.read_text("utf-8"))
    (path,) = export_report(report, load_template(report.meta.template_id), tmp_path,
                            formats=("docx",), parts=["report"])
    doc = read_docx(path)
    title = next(p for p in doc.paragraphs if p.style.name == paper.TITLE_STYLE)
    assert title.text.split("\n") == ["昆财社基（2023）87号提前下达2024年",
                                      "中央财政医保服务与保障能力提升补助资金", "项目支出绩效评价报告"]


def test_the_guidance_left_as_the_summary_prints_nothing(tmp_path: Path) -> None:
    """The 宿州 sample's 摘要 is its template's instruction (as seed 000 printed it): it is
    nowhere in the report, nor the 摘要's title and page (a page holding its heading only;
    the check C002 tells the clerk); once written, the 摘要 prints on its page."""
    sample = ROOT / "resources" / "samples" / "sz_fund_supervision_2022.pfe"
    report = Report.model_validate_json(sample.read_text("utf-8"))
    template = load_template(report.meta.template_id)
    (path,) = export_report(report, template, tmp_path, formats=("docx",), parts=["report"])
    doc = read_docx(path)
    texts = [p.text.strip() for p in doc.paragraphs]
    assert not any("主要从" in t or "简要概述" in t for t in texts)
    assert not any(t.replace(" ", "") == "摘要" for t in texts)
    at = next(i for i, t in enumerate(texts) if t.replace(" ", "") == "目录")
    entries = [p for p in doc.paragraphs[at + 1:] if p.style.name == "toc 1"]
    level1 = [t for p, t in zip(doc.paragraphs, texts, strict=True)
              if p.style.name == "Heading 1"]
    following = next(t for t in texts[at + 1 + len(entries):] if t)
    assert following == level1[0] == "一、项目基本情况"  # the 正文 after the 目录
    written = report.model_copy(deep=True)
    written.sections["summary"] = "本项目全年预算执行率百分之九十五。"
    out = tmp_path / "written"
    out.mkdir()
    (path,) = export_report(written, template, out, formats=("docx",), parts=["report"])
    texts = [p.text.strip() for p in read_docx(path).paragraphs if p.text.strip()]
    at = next(i for i, t in enumerate(texts) if t.replace(" ", "") == "摘要")
    assert texts[at + 1] == "本项目全年预算执行率百分之九十五。"
