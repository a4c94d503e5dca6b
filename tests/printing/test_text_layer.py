"""The in-app PDF's text layer (what copying, searching and pdftotext see) holds the report's
text: each line once, on its own page, and the characters the report has, not the
radicals Qt's font subset maps some of their glyphs back to (⾦ for 金, ⻔ for 门)."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from perfeval_desktop.export import plan_export
from perfeval_desktop.export.report_docx import write_report_docx
from perfeval_desktop.model.report import Report
from perfeval_desktop.printing.layout import InAppLayout
from perfeval_desktop.templates.loader import load_template

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
NAMES = sorted(p.name for p in SAMPLES.glob("*.pfe"))
RADICALS = re.compile("[\u2e80-\u2fdf\u31c0-\u31ef]")  # CJK radicals, Kangxi radicals, strokes
HAN = re.compile("[\u2e80-\u2fdf\u31c0-\u31ef\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext) needed")


def _docx_text(path: Path) -> str:
    from docx import Document

    return "".join(t.text or "" for t in Document(str(path)).element.body.iter(qn("w:t")))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, list[str]]]:
    """Per sample: the report's DOCX text and the in-app PDF's pages as pdftotext reads
    them (layout mode)."""
    out: dict[str, tuple[str, list[str]]] = {}
    folder = tmp_path_factory.mktemp("text-layer")
    for name in NAMES:
        report = Report.model_validate_json((SAMPLES / name).read_text("utf-8"))
        plan = plan_export(report, load_template(report.meta.template_id))
        docx, pdf = folder / f"{name}.docx", folder / f"{name}.pdf"
        write_report_docx(plan.report, plan.template, plan.sheet, plan.report_parts, docx)
        InAppLayout().print_docx(docx, pdf)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                              capture_output=True, text=True, timeout=120).stdout
        out[name] = (_docx_text(docx), text.split("\f")[:-1])
    return out


def _lines(page: str) -> list[str]:
    return [s for line in page.splitlines()
            if (s := line.strip()) and not PAGE_NUMBER.fullmatch(s)]


@pytest.mark.parametrize("name", NAMES)
def test_no_page_begins_with_the_previous_pages_last_line(
        name: str, printed: dict[str, tuple[str, list[str]]]) -> None:
    _source, pages = printed[name]
    assert len(pages) > 1
    repeated = [(k + 2, _lines(b)[0]) for k, (a, b) in enumerate(pairwise(pages))
                if _lines(a) and _lines(b) and _lines(b)[0] == _lines(a)[-1]]
    assert not repeated, f"pages beginning with the line before them: {repeated}"


@pytest.mark.parametrize("name", NAMES)
def test_text_has_the_reports_characters_not_radicals(
        name: str, printed: dict[str, tuple[str, list[str]]]) -> None:
    source, pages = printed[name]
    text = "".join(pages)
    extra = set(RADICALS.findall(text)) - set(source)
    assert not extra, f"radicals the report does not have: {''.join(sorted(extra))}"
    # every 汉字 of the report is found by searching the PDF, and nothing else is printed
    assert set(HAN.findall(text)) == set(HAN.findall(source))
    for word in ("资金", "项目", "执行", "部门", "人员", "一"):
        if word in source:
            assert word in text


def test_a_cells_text_across_pages_is_printed_once(tmp_path: Path) -> None:
    """A cell taller than a page: its lines carried over to each next page are drawn there
    (and only there), as a paragraph's are."""
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "说明"
    table.cell(1, 0).text = "长单元格"
    table.cell(1, 1).text = "".join(f"第{i}句资金执行情况说明文字较长需要换行显示。"
                                    for i in range(160))
    source, target = tmp_path / "cell.docx", tmp_path / "cell.pdf"
    doc.save(str(source))
    InAppLayout().print_docx(source, target)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 3
    said = [int(n) for n in re.findall(r"第(\d+)句", re.sub(r"\s+", "", text))]
    assert said == list(range(160))  # each sentence once, in order
    assert not [k for k, (a, b) in enumerate(pairwise(pages))
                if _lines(a) and _lines(b) and _lines(b)[0] == _lines(a)[-1]]
