"""A form's labels print on one line: their columns are as wide as their longest label
needs (the family's templates/<family>/forms.xlsx sets the widths of DOCX and XLSX alike),
so no engine breaks “项目资|金” or “实际完成|值”; a longer header breaks between words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from export_support import fold, pdf_words
from openpyxl import load_workbook

from perfeval_desktop.export import export_report, plan_export, write_plan_pdf
from perfeval_desktop.export.grid import display_width
from perfeval_desktop.export.report_docx import is_inline
from perfeval_desktop.model.report import Report
from perfeval_desktop.printing import engine_named
from perfeval_desktop.printing import libreoffice as pdf_export
from perfeval_desktop.templates.loader import load_template

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / (
    "gd_yuancheng_medical_aid_2021.pfe")
# the 自评表's labels (and a figure) that each fit their column on one line
LABELS = ("项目资金", "其中:当年财政拨款", "上年结余结转资金", "年度资金总额", "执行率",
          "实际完成值", "年度指标值", "绩效指标", "社会效益指标", "可持续影响指标",
          "偏差原因分析", "80%以上")
# what a label may break into: between its words
WORDS = {"偏差原因分析及改进措施": ("偏差原因分析", "及改进措施"),
         "年度总体目标": ("年度总体", "目标"),
         "服务对象满意度指标": ("服务对象满意度", "指标")}


def _report() -> Report:
    return Report.model_validate_json(SAMPLE.read_text("utf-8"))


def _needed_pt(text: str, size: float) -> float:
    """Width of ``text`` set at ``size`` pt: a 汉字 1 em, a Latin letter or figure ½ em."""
    return display_width(text) * size / 2


def _cell_size(tc: object) -> float:
    sizes = [float(sz.get(qn("w:val"))) / 2 for sz in tc.iter(qn("w:sz"))]  # type: ignore[attr-defined]
    return max(sizes) if sizes else 10.5


def test_docx_label_cells_are_wide_enough(tmp_path: Path) -> None:
    report = _report()
    (docx,) = export_report(report, load_template(report.meta.template_id), tmp_path,
                            formats=("docx",), parts=["附件1"])
    seen = set()
    for tc in Document(str(docx)).element.body.iter(qn("w:tc")):
        text = fold("".join(t.text or "" for t in tc.iter(qn("w:t"))))
        for label in LABELS:
            if text.startswith(fold(label)) and "(" not in label:
                width_pt = int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))) / 20
                assert width_pt - 7 >= _needed_pt(label, _cell_size(tc)), (label, width_pt)
                seen.add(label)
    assert {"项目资金", "其中:当年财政拨款", "实际完成值", "社会效益指标"} <= seen


def test_xlsx_columns_share_the_docx_widths(tmp_path: Path) -> None:
    """The XLSX prints its columns in the DOCX's proportions (both from forms.xlsx), so
    what fits a DOCX cell above fits the XLSX's, printed to the page's width."""
    report = _report()
    docx, xlsx = export_report(report, load_template(report.meta.template_id), tmp_path,
                               parts=["附件1"])
    grid = [int(gc.get(qn("w:w"))) for gc in
            next(Document(str(docx)).element.body.iter(qn("w:tblGrid"))).iter(qn("w:gridCol"))]
    ws = load_workbook(xlsx).active
    cols = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(grid))]
    assert len(grid) == 9
    for g, c in zip(grid, cols, strict=True):
        assert g / sum(grid) == pytest.approx(c / sum(cols), abs=0.002)
    # 项目资金 and 实际完成值 at least ⅟₁₃ and ⅟₁₀ of the width (they had ⅟₁₄ and ⅟₁₂)
    assert cols[0] / sum(cols) > 1 / 13 and cols[5] / sum(cols) > 1 / 10


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(pdf_export.find_soffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils (pdftotext) needed")
@pytest.mark.parametrize("engine", ["libreoffice", "qt"])
@pytest.mark.parametrize("what", ["report", "附件"])
def test_labels_print_on_one_line(engine: str, what: str, tmp_path: Path) -> None:
    report = _report()
    template = load_template(report.meta.template_id)
    keys = None if what == "report" else [
        p.key for p in plan_export(report, template).available if not is_inline(p)]
    pdf = tmp_path / "out.pdf"
    write_plan_pdf(plan_export(report, template, keys), pdf, engine=engine_named(engine))
    words = [w[4] for page in pdf_words(pdf) for w in page]
    for label in LABELS:
        assert any(fold(label) in w for w in words), (label, engine, what)
    for whole, parts in WORDS.items():
        assert any(whole in w for w in words) or all(
            any(w == p or w.startswith(p) for w in words) for p in parts), (whole, engine)
