"""What every printing engine does: the test class each engine's tests subclass.

In the manner of Dangerzone's isolation providers (tests/isolation_provider/base.py): one
class of tests, and per engine a subclass whose ``engine`` fixture gives that engine.  A new
engine passes these before it may be chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Mm
from export_support import fold

from perfeval_desktop.errors import ExportError, PerfevalError
from perfeval_desktop.export import paper
from perfeval_desktop.printing import ENGINES, Cancelled, PrintEngine, write_pdf

A4 = (float(paper.A4_SHORT_MM) * 72 / 25.4, float(paper.A4_LONG_MM) * 72 / 25.4)  # points
WORDS = ["项目支出绩效自评报告", "预算执行率", "年度资金总额", "1155.5"]


def write_document(path: Path) -> None:
    """Two portrait A4 pages (a page break), then a landscape A4 section with a table."""
    doc = Document()
    first = doc.sections[0]
    first.page_width, first.page_height = Mm(paper.A4_SHORT_MM), Mm(paper.A4_LONG_MM)
    doc.add_paragraph(WORDS[0])
    doc.add_paragraph(f"{WORDS[1]}60.7%，得分6。")
    doc.add_page_break()
    doc.add_paragraph("第二页")
    turned = doc.add_section(WD_SECTION.NEW_PAGE)
    turned.orientation = WD_ORIENT.LANDSCAPE
    turned.page_width, turned.page_height = Mm(paper.A4_LONG_MM), Mm(paper.A4_SHORT_MM)
    doc.add_paragraph("附件")
    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = WORDS[2], WORDS[3]
    table.cell(1, 0).text, table.cell(1, 1).text = "执行数", "701.23"
    doc.add_paragraph()  # Word ends a document with a paragraph
    doc.save(str(path))


def pages(pdf: Path) -> list[tuple[tuple[float, float], str]]:
    """Each page's (width, height) in points and its text."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        found = []
        for page in document:
            text = page.get_textpage().get_text_range()
            found.append((page.get_size(), fold(text)))
        return found
    finally:
        document.close()


def same_size(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 3 and abs(a[1] - b[1]) < 3  # within a millimetre


class EngineContract:
    """Subclasses name their engine (``ENGINE``, one of ``printing.ENGINES``) and provide it
    (the ``engine`` fixture); tests/printing/test_engines.py checks each engine has one."""

    ENGINE: ClassVar[str]

    @pytest.fixture
    def engine(self) -> PrintEngine:
        raise NotImplementedError

    @pytest.fixture
    def document(self, tmp_path: Path) -> Path:
        path = tmp_path / "文档.docx"
        write_document(path)
        return path

    def test_it_names_itself(self, engine: PrintEngine) -> None:
        assert engine.name == self.ENGINE and engine.name in ENGINES and engine.label.strip()

    def test_every_page_on_its_paper_with_its_text(self, engine: PrintEngine, document: Path,
                                                   tmp_path: Path) -> None:
        target = tmp_path / "out.pdf"
        engine.print_docx(document, target, "标题")
        printed = pages(target)
        assert len(printed) == 3, [size for size, _ in printed]
        assert same_size(printed[0][0], A4) and same_size(printed[1][0], A4)
        assert same_size(printed[2][0], (A4[1], A4[0]))  # the landscape section
        assert WORDS[0] in printed[0][1] and "预算执行率60.7%,得分6" in printed[0][1]
        assert "第二页" in printed[1][1]
        assert WORDS[2] in printed[2][1] and WORDS[3] in printed[2][1]

    def test_write_pdf_reports_the_engine_that_printed(self, engine: PrintEngine,
                                                       tmp_path: Path) -> None:
        target = tmp_path / "out.pdf"
        assert write_pdf(target, write_document, "标题", engine) == engine.name
        assert target.read_bytes().startswith(b"%PDF-")

    def test_an_unwritable_target_is_explained_and_nothing_written(
            self, engine: PrintEngine, document: Path, tmp_path: Path) -> None:
        target = tmp_path / "missing folder" / "out.pdf"
        with pytest.raises(ExportError) as info:
            engine.print_docx(document, target)
        assert "out.pdf" in info.value.message or "missing folder" in info.value.message
        assert not target.parent.exists()

    def test_cancelled_before_it_starts_writes_nothing(self, engine: PrintEngine,
                                                       document: Path, tmp_path: Path) -> None:
        target = tmp_path / "out.pdf"
        with pytest.raises(Cancelled) as info:
            engine.print_docx(document, target, stop=lambda: True)
        assert isinstance(info.value, PerfevalError) and "取消" in info.value.message
        assert list(tmp_path.iterdir()) == [document]
