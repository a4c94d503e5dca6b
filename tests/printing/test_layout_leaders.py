"""The 目录's dot leaders in the in-app PDF as LibreOffice draws them (issue #10): from
the entry's last character to the page number, evenly spread, the number's right edge on
the tab stop (LibreOffice: 76 dots from 206.7 to 511.7 pt, the 1 at 514.5–521.1 pt)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from printing_support import in_app_report_pdf

TAB_STOP_PT = (1587 + 8844) / 20  # the left margin and the TOC 1 style's right tab


def _lines(pdf: Path, page: int) -> list[list[tuple[str, float, float]]]:
    """The characters of each line of ``page`` (0-based) as (char, left, right) in pt."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = doc[page].get_textpage()
        chars = []
        for k in range(text.count_chars()):
            ch = text.get_text_range(k, 1)
            left, bottom, right, top = text.get_charbox(k)
            if ch.strip():
                chars.append(((bottom + top) / 2, ch, left, right))
        lines: list[list[tuple[float, str, float, float]]] = []
        for c in sorted(chars, reverse=True):  # top down; a line's fonts sit a little apart
            if lines and lines[-1][-1][0] - c[0] < 8:
                lines[-1].append(c)
            else:
                lines.append([c])
        return [sorted(((ch, a, b) for _y, ch, a, b in line), key=lambda c: c[1])
                for line in lines]
    finally:
        doc.close()


def test_toc_dots_run_from_the_entry_to_its_page_number(tmp_path: Path) -> None:
    pdf = in_app_report_pdf("sz_fund_supervision_2022.pfe", tmp_path)
    entries = [line for line in _lines(pdf, 1) if sum(c == "." for c, _l, _r in line) > 10]
    assert len(entries) == 8  # 一 … 八
    for line in entries:
        dots = [k for k, (c, _l, _r) in enumerate(line) if c == "."]
        # the dots: one run, right after the entry's text, up to the number
        assert dots == list(range(dots[0], dots[-1] + 1))
        text_end = line[dots[0] - 1][2]
        number = line[dots[-1] + 1:]
        assert "".join(c for c, _l, _r in number).isdigit()
        # no space before the dots (a closing bracket's ink is on its left half)
        room = 3.0 + (11.0 if line[dots[0] - 1][0] in "）》」" else 0.0)
        assert line[dots[0]][1] - text_end < room, line
        assert number[0][1] - line[dots[-1]][2] < 4.0, line  # nor after them
        assert abs(number[-1][2] - TAB_STOP_PT) < 1.5  # the number on the tab stop
        steps = [b[1] - a[1] for a, b in pairwise(line[dots[0]:dots[-1] + 1])]
        assert max(steps) - min(steps) < 0.3  # evenly spread
