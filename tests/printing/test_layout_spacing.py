"""The in-app layout's vertical spacing as LibreOffice's (issue #10, the 封面): between two
paragraphs the larger of the space after the first and the space before the second, and
on a document grid (``w:docGrid`` lines) a line as many whole pitches as it needs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from perfeval_desktop.printing.docx_read import on_grid
from perfeval_desktop.printing.layout import InAppLayout

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils needed")


def _tops(pdf: Path) -> dict[str, float]:
    """The top (pt) of each word of the first page, by its text."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return {m.group(2): float(m.group(1)) for m in re.finditer(
        r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', xml)}


def _document(grid: bool) -> Any:
    from docx import Document
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    if grid:
        el = doc.sections[0]._sectPr.find(qn("w:docGrid"))
        if el is None:
            el = OxmlElement("w:docGrid")
            doc.sections[0]._sectPr.append(el)
        el.set(qn("w:type"), "lines")
        el.set(qn("w:linePitch"), "578")  # 28.9 pt

    def para(text: str, line: float, before: float, after: float, size: float = 16) -> Any:
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(size)
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
        pf.space_before, pf.space_after = Pt(before), Pt(after)
        return p

    return doc, para


@needs_poppler
def test_the_larger_of_space_after_and_before_between_paragraphs(tmp_path: Path) -> None:
    """A line with 14 pt after it, then one with 100 pt before: 100 pt between them (the
    封面's date under 评价机构: it sat 14 pt lower than in LibreOffice), and with 5 pt
    before: 14 pt."""
    doc, para = _document(grid=False)
    para("AAAA", 28.9, 0, 14)
    para("BBBB", 28.9, 100, 0)
    para("CCCC", 28.9, 0, 14)
    para("DDDD", 28.9, 5, 0)
    src, pdf = tmp_path / "spacing.docx", tmp_path / "spacing.pdf"
    doc.save(str(src))
    InAppLayout().print_docx(src, pdf)
    tops = _tops(pdf)
    assert tops["BBBB"] - tops["AAAA"] == pytest.approx(28.9 + 100, abs=0.5)
    assert tops["DDDD"] - tops["CCCC"] == pytest.approx(28.9 + 14, abs=0.5)


@needs_poppler
def test_a_line_on_the_document_grid_takes_whole_pitches(tmp_path: Path) -> None:
    """广东's cover: "(一级预算单位)" in 小四 on an 18 pt line, its paragraph on the grid of
    28.9 pt: LibreOffice gives it a whole line of the grid; off the grid (snapToGrid 0) it
    keeps its 18 pt."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    assert on_grid(18, 28.9) == pytest.approx(28.9)
    assert on_grid(28.9, 28.9) == pytest.approx(28.9)
    assert on_grid(35, 28.9) == pytest.approx(57.8)
    assert on_grid(18, None) == 18
    doc, para = _document(grid=True)
    para("AAAA", 28.9, 0, 0)
    para("BBBB", 18, 0, 0, size=12)
    para("CCCC", 28.9, 0, 0)
    off = para("DDDD", 18, 0, 0, size=12)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    off._p.get_or_add_pPr().insert(0, snap)
    para("EEEE", 28.9, 0, 0)
    src, pdf = tmp_path / "grid.docx", tmp_path / "grid.pdf"
    doc.save(str(src))
    InAppLayout().print_docx(src, pdf)
    tops = _tops(pdf)
    assert tops["CCCC"] - tops["AAAA"] == pytest.approx(2 * 28.9, abs=0.5)
    assert tops["EEEE"] - tops["CCCC"] == pytest.approx(28.9 + 18, abs=0.5)
