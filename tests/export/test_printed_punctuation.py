"""LibreOffice's PDF of a report prints every 、，。；： of its DOCX.

LibreOffice hangs a comma or stop that does not fit past the right margin and then leaves
it out of its PDF ("…利用大数据分析实现精准打击" without its "，"): a report a bureau sends
back.  The DOCX turns hanging off for LibreOffice (paper.no_hanging_punctuation), so the
comma takes the character before it to the next line instead.  Counted per mark: the text
of the DOCX's body against ``pdftotext`` of LibreOffice's PDF.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from perfeval_desktop.export import plan_export
from perfeval_desktop.export.report_docx import write_report_docx
from perfeval_desktop.model.report import Report
from perfeval_desktop.printing import engine_named
from perfeval_desktop.printing import libreoffice as pdf_export
from perfeval_desktop.templates.loader import load_template

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
MARKS = "、，。；："
W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def _marks(text: str) -> Counter[str]:
    return Counter(ch for ch in text if ch in MARKS)


def docx_marks(path: Path) -> Counter[str]:
    """The marks of the DOCX's body text (its tables too)."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    return _marks("".join(t.text or "" for t in root.iter(W_T)))


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(pdf_export.find_soffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils (pdftotext) needed")
@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.pfe")))
def test_libreoffice_prints_every_comma(name: str, tmp_path: Path) -> None:
    report = Report.model_validate_json((SAMPLES / name).read_text("utf-8"))
    plan = plan_export(report, load_template(report.meta.template_id))
    docx, pdf = tmp_path / "report.docx", tmp_path / "report.pdf"
    write_report_docx(plan.report, plan.template, plan.sheet, plan.report_parts, docx)
    engine_named("libreoffice").print_docx(docx, pdf)
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
    want = docx_marks(docx)
    assert sum(want.values()) > 50  # a report's text, not an empty one
    assert _marks(printed) == want
