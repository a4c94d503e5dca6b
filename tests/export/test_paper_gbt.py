"""GB/T 9704-2012 in the exported report DOCX of every sample, checked in its XML.

The report is exported as the clerk exports it (``export_report``, the templates'
``forms.xlsx``): §5.2.2 the body pages' grid of 22 lines × 28 characters, §7.3.3 the title
in 方正小标宋简体 with a fallback, §7.5 / §10.2 the page numbers: ``— N —`` in 4号 宋体,
right on odd pages and left on even ones, and on a landscape 附件 page where it sits on
the other pages once the sheet is turned — on the landscape page's left edge, turned a
quarter clockwise, at its foot on odd pages and at its head on even ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from perfeval_desktop.export import export_report, paper, plan_export
from perfeval_desktop.export.docx import FOOTER_MM
from perfeval_desktop.export.report_docx import is_inline
from perfeval_desktop.model.report import Report
from perfeval_desktop.templates.loader import load_template

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.pfe"))
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
EMU_PER_MM = 36000


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = {}
    for sample in SAMPLES:
        report = Report.model_validate_json(sample.read_text("utf-8"))
        folder = tmp_path_factory.mktemp(sample.stem)
        (path,) = export_report(report, load_template(report.meta.template_id), folder,
                                formats=("docx",), parts=None)
        out[sample.stem] = Document(str(path))
    return out


def section_contents(doc: Any) -> list[list[Any]]:
    """The body elements (paragraphs, tables) of each section, in order."""
    blocks: list[list[Any]] = [[]]
    for el in doc.element.body.iterchildren():
        if el.tag in (qn("w:p"), qn("w:tbl")):
            blocks[-1].append(el)
            ppr = el.find(qn("w:pPr"))
            if el.tag == qn("w:p") and ppr is not None and ppr.find(qn("w:sectPr")) is not None:
                blocks.append([])
    return [b for b in blocks if b] if not blocks[-1] else blocks


def effective_footer(sections: list[Any], i: int, even: bool) -> Any:
    for k in range(i, -1, -1):
        footer = sections[k].even_page_footer if even else sections[k].footer
        if not footer.is_linked_to_previous:
            return footer
    return None


def page_field(el: Any) -> bool:
    return any("PAGE" in (t.text or "") for t in el.iter(qn("w:instrText")))


def styles_of(block: list[Any]) -> set[str]:
    return {s.get(qn("w:val")) for el in block for s in el.iter(qn("w:pStyle"))}


def assert_number_runs(p: Any) -> None:
    """``— N —`` in 4号 宋体: the PAGE field between two em dashes."""
    text = "".join(t.text or "" for t in p.iter(qn("w:t")))
    assert text == "— 1 —" and page_field(p)
    for r in p.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
        assert rpr.find(qn("w:sz")).get(qn("w:val")) == "28"


def assert_page_numbers(doc: Any, edge_mm: float) -> int:
    """§10.2 on every numbered page of ``doc``: upright pages right on odd pages and left on
    even ones; a landscape page's number turned on its left edge, ``edge_mm`` from it (the
    upright pages' footer distance).  Returns how many footers carry a number."""
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    sections = list(doc.sections)
    numbered = 0
    for i, section in enumerate(sections):
        for even in (False, True):
            footer = effective_footer(sections, i, even)
            if footer is None or not page_field(footer._element):
                continue  # the cover, 目录
            numbered += 1
            boxes = list(footer._element.iter(WPS + "bodyPr"))
            if section.orientation == 0:  # upright: right on odd pages, left on even ones
                assert not boxes
                (p,) = [p for p in footer._element.iter(qn("w:p")) if page_field(p)]
                assert p.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == (
                    "left" if even else "right")
                assert_number_runs(p)
                continue
            assert_turned_number(footer, section, even, edge_mm)
    return numbered


def assert_turned_number(footer: Any, section: Any, even: bool, edge_mm: float) -> None:
    """A landscape page: a text box turned clockwise on the page's left edge, as long as
    the type area is high, from the paper's edge (wp:align, not an offset LibreOffice may
    drop) to ``edge_mm`` + NUMBER_BOX_MM, the line at its far side (anchor t)."""
    (body,) = list(footer._element.iter(WPS + "bodyPr"))
    assert body.get("vert") == "vert" and body.get("anchor") == "t"
    anchor = next(footer._element.iter(WP + "anchor"))
    h, v = anchor.find(WP + "positionH"), anchor.find(WP + "positionV")
    assert h.get("relativeFrom") == "page" and h.find(WP + "align").text == "left"
    assert v.get("relativeFrom") == "margin" and v.find(WP + "posOffset").text == "0"
    extent = anchor.find(WP + "extent")
    cx = int(extent.get("cx"))
    assert cx == round((edge_mm + paper.NUMBER_BOX_MM) * EMU_PER_MM)
    assert int(extent.get("cy")) == (section.page_height - section.top_margin
                                     - section.bottom_margin)
    assert cx < section.left_margin  # in the margin
    (p,) = list(anchor.iter(qn("w:p")))
    ppr = p.find(qn("w:pPr"))
    # odd: at the foot of the edge (the sheet's right); even: at its head
    assert ppr.find(qn("w:jc")).get(qn("w:val")) == ("left" if even else "right")
    indent = ppr.find(qn("w:ind")).get(qn("w:left" if even else "w:right"))
    assert int(indent) == paper.PAGE_NUMBER_PT * 20  # one character in
    assert_number_runs(p)


@pytest.mark.parametrize("name", [s.stem for s in SAMPLES])
def test_page_numbers_upright_and_turned(docs: dict[str, Any], name: str) -> None:
    assert assert_page_numbers(docs[name], paper.FOOTER_DISTANCE_MM) >= 2


def forms_alone(name: str) -> tuple[Report, Any, list[str]]:
    """The sample's report, template and the keys of its forms outside the 正文."""
    report = Report.model_validate_json((SAMPLES[0].parent / f"{name}.pfe").read_text("utf-8"))
    template = load_template(report.meta.template_id)
    return report, template, [
        p.key for p in plan_export(report, template).available if not is_inline(p)]


@pytest.mark.parametrize("name", [s.stem for s in SAMPLES if forms_alone(s.stem)[2]])
def test_forms_alone_page_numbers_upright_and_turned(name: str, tmp_path: Path) -> None:
    """The 附件 exported alone: §10.2 as in the report, each section its own footers (a
    landscape form's number turned on its left edge, not centred at its foot), FOOTER_MM
    from the paper's edge as the upright forms' footer is."""
    report, template, keys = forms_alone(name)
    (path,) = export_report(report, template, tmp_path, formats=("docx",), parts=keys)
    doc = Document(str(path))
    sections = list(doc.sections)
    for section in sections:
        assert round(section.footer_distance / EMU_PER_MM) == FOOTER_MM
        assert not section.footer.is_linked_to_previous
        assert not section.even_page_footer.is_linked_to_previous
    landscape = [s for s in sections if s.orientation == 1]
    assert assert_page_numbers(doc, FOOTER_MM) == 2 * len(sections)
    if name.startswith(("gd_", "sz_")):  # their 附件 are (partly) landscape
        assert landscape


@pytest.mark.parametrize("name", [s.stem for s in SAMPLES])
def test_grid_on_body_pages_only_and_title_font(docs: dict[str, Any], name: str) -> None:
    """§5.2.2: 22 lines of 28.9 pt in the 正文's sections; the forms' sections have none.
    §7.3.3: the title style in 方正小标宋简体, 华文中宋 its alternative in the font table."""
    doc = docs[name]
    sections = list(doc.sections)
    blocks = section_contents(doc)
    assert len(blocks) == len(sections)
    body_sections = 0
    for section, block in zip(sections, blocks, strict=True):
        grid = section._sectPr.find(qn("w:docGrid"))
        styles = styles_of(block)
        if "ReportBody" in styles:
            body_sections += 1
            assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "578"
            margins = [round(m / EMU_PER_MM) for m in (
                section.top_margin, section.bottom_margin, section.left_margin,
                section.right_margin)]
            assert margins == [37, 35, 28, 26]
        elif any(el.tag == qn("w:tbl") for el in block) and "AnnexLabel" in styles:
            assert grid.get(qn("w:type")) is None  # a 附件's form: off the grid
    assert body_sections >= 1
    assert paper.style_fonts(doc)[paper.TITLE_STYLE] == ("方正小标宋简体", None)
    table = next(p for p in doc.part.package.iter_parts()
                 if str(p.partname).endswith("/fontTable.xml"))
    assert "方正小标宋简体" in table.blob.decode() and "华文中宋" in table.blob.decode()
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert rpr.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize("name", [s.stem for s in SAMPLES if s.stem.startswith("yn_")])
def test_yunnan_form_first_on_a_section_of_its_own(docs: dict[str, Any], name: str) -> None:
    """The 评价表 on one page: a first section with the template's margins, no grid, the
    report's page numbers; the 正文 in the next, on GB/T 9704 pages."""
    doc = docs[name]
    first, body = list(doc.sections)[:2]
    blocks = section_contents(doc)
    assert sum(el.tag == qn("w:tbl") for el in blocks[0]) >= 1
    assert "ReportBody" not in styles_of(blocks[0]) and "ReportBody" in styles_of(blocks[1])
    assert [round(m / EMU_PER_MM) for m in (first.top_margin, first.bottom_margin,
                                            first.left_margin, first.right_margin)] \
        == [12, 12, 15, 15]
    assert first._sectPr.find(qn("w:docGrid")).get(qn("w:type")) is None
    assert body.page_height - body.top_margin - body.bottom_margin > 0
    assert page_field(first.footer._element) and page_field(first.even_page_footer._element)
