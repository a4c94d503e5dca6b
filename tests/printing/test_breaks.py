"""LibreOffice's line-break rule the in-app layout follows where Qt's differs: no break
between a closing bracket and a letter or digit, nor a letter or digit and an opening
bracket (perfeval_desktop/printing/breaks.py)."""

from __future__ import annotations

import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from perfeval_desktop.printing import breaks
from perfeval_desktop.printing.layout import InAppLayout


@pytest.mark.parametrize(("a", "b"), [
    ("）", "8"), ("）", "a"), ("」", "B"), ("】", "2"), ("，", "8"), ("。", "x"), ("、", "9"),
    ("3", "（"), ("b", "【"), ("8", "《"),
])
def test_no_break_between_bracket_and_letter_or_digit(a: str, b: str) -> None:
    assert breaks.joined(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("）", "号"), ("基", "（"), ("8", "7"), ("）", "（"), ("号", "8"), ("）", "８"), ("”", "8"),
    ("（", "2"),  # Qt keeps these already (no break after an opening bracket)
])
def test_breaks_left_as_qt_has_them(a: str, b: str) -> None:
    assert not breaks.joined(a, b)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils needed")
def test_in_app_pdf_keeps_bracket_with_number_and_no_joiner_in_text(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    lines = [("测" * k) + "昆财社基（2023）87号提前下达" + "测" * 30 for k in range(28, 48)]
    for text in lines:
        doc.add_paragraph(text)
    source, target = tmp_path / "in.docx", tmp_path / "out.pdf"
    doc.save(str(source))
    InAppLayout().print_docx(source, target)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    assert breaks.JOINER not in text and "\ufffd" not in text
    assert text.count("（2023）87") == len(lines)  # the text runs on over the joiner
    rows = [r.strip() for r in text.splitlines() if r.strip()]
    pairs = list(pairwise(rows))
    assert not [(a, b) for a, b in pairs if a.endswith("）") and b[:1].isdigit()]
    # the layout met the case: "（2023）" moved whole to the next line
    assert [(a, b) for a, b in pairs if a.endswith("基") and b.startswith("（2023）87")]
