"""Justified lines in the in-app PDF stretched where LibreOffice stretches them (issue
#10): after 汉字 and where Latin text meets 汉字, never between the digits of a number
(the 第三方 report's 摘要 printed "9 6 . 1 1 %" and "1 1 0 5 . 5 7" letter-spaced)."""

from __future__ import annotations

import unicodedata
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from printing_support import in_app_report_pdf

from perfeval_desktop.printing.fonts import east_asian
from perfeval_desktop.printing.justify import JOINER, stretch_points

NUMBER = frozenset("0123456789.%")


def test_stretch_points_as_libreoffice_has_them() -> None:
    """LibreOffice's line "资金到位率96.11%；实际支出1105.57万元，预算执行率": a share after
    each 汉字 and after a number's last character, none inside the numbers, none after
    the line's last character."""
    text = "资金到位率96.11%；实际支出1105.57万元，预算执行率"
    points = stretch_points(text, east_asian(text), 0, len(text))
    assert [text[p] for p in points] == list("资金到位率%；实际支出7万元，预算执行")
    # a line of a longer paragraph: its own characters only, trailing spaces left out
    assert stretch_points("甲乙丙丁 ", east_asian("甲乙丙丁 "), 1, 5) == [1, 2]
    # spaces in Latin text, and a joiner judged by the character after it
    assert stretch_points("ab cd", east_asian("ab cd"), 0, 5) == [2]
    joined = f"〕{JOINER}23号"
    assert [joined[p] for p in stretch_points(joined, east_asian(joined), 0, 5)] == [
        "〕", "3"]
    # a figure glued to its unit by the DOCX's joiners (export/nobreak.py): no share after
    # its last digit, one between the unit's 汉字 (LibreOffice's p. 3 and 7 of 第三方)
    glued = f"得22.48{JOINER}分，支出742.00{JOINER}万{JOINER}元。"
    points = stretch_points(glued, east_asian(glued), 0, len(glued))
    assert "".join(glued[p] for p in points) == "得分，支出万元"


def _lines(pdf: Path, page: int) -> list[list[tuple[str, float, float, float]]]:
    """The characters of each line of ``page`` (0-based): (char, left, right, origin) in
    pt: the ink's left and right, the glyph's origin (where its advance starts)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = doc[page].get_textpage()
        chars: list[tuple[float, str, float, float, float]] = []
        for k in range(text.count_chars()):
            ch = text.get_text_range(k, 1)
            left, bottom, right, top = text.get_charbox(k)
            if ch.strip():
                origin = text.get_charbox(k, loose=True)[0]
                chars.append(((bottom + top) / 2, ch, left, right, origin))
        lines: list[list[Any]] = []
        for c in sorted(chars, reverse=True):
            if lines and lines[-1][-1][0] - c[0] < 8:
                lines[-1].append(c)
            else:
                lines.append([c])
        return [sorted(((ch, a, b, o) for _y, ch, a, b, o in line), key=lambda c: c[3])
                for line in lines]
    finally:
        doc.close()


def _number_steps(line: list[tuple[str, float, float, float]]) -> list[float]:
    """The advances of the line's digits followed by a digit (origin to origin)."""
    return [b[3] - a[3] for a, b in pairwise(line) if a[0].isdigit() and b[0].isdigit()]


@pytest.fixture(scope="module")
def third_party(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 第三方 sample report printed by the in-app layout."""
    return in_app_report_pdf("third_party_qingxi_medical_aid_2023.pfe",
                             tmp_path_factory.mktemp("third_party"))


def test_the_third_party_summary_keeps_its_numbers_whole(third_party: Path) -> None:
    """The 第三方 report's 摘要 (page 3): every line but a paragraph's last fills the
    type area, and no digit of a number stands further from the next than on a line
    that is not stretched (3号 Times New Roman: 8 pt less the 0.25 pt condensing)."""
    lines = [line for line in _lines(third_party, 2) if len(line) > 20]  # the 摘要's text
    assert len(lines) >= 10
    # justified: the lines ending in a 汉字 (a stop's ink sits left) end at the type
    # area's edge, but for the paragraphs' last lines (2 paragraphs)
    han = [line for line in lines if unicodedata.category(line[-1][0]) == "Lo"]
    right = max(line[-1][2] for line in han)
    full = [line for line in han if right - line[-1][2] < 2.0]
    assert len(han) >= 6 and len(full) >= len(han) - 2
    steps = [s for line in lines for s in _number_steps(line)]
    assert steps and max(steps) < 7.8, steps  # 8 pt less the 0.25 pt condensing
    text = ["".join(c[0] for c in line) for line in lines]
    # the line LibreOffice stretches most: “95.80万元” whole on the next line (#10)
    stretched = next(k for k, t in enumerate(text) if "742.00" in t)
    assert right - lines[stretched][-1][2] < 2.0
    gaps = [b[3] - a[3] for a, b in pairwise(lines[stretched])
            if a[0] not in NUMBER and b[0] not in NUMBER]
    assert min(gaps) > 17.5  # its 汉字 spread (LibreOffice: 18.4 pt apart)


def test_the_third_party_lines_hold_what_libreoffice_fits(third_party: Path) -> None:
    """The 第三方 report's p. 6: LibreOffice fits “资” at the end of “…≥9000⁠人⁠次；困难群众”
    by its advance (Qt counted the ink it has past its advance in Noto Serif CJK, and the
    figures' condensing rounded to 1/64 px) and hangs nothing; p. 7: a figure glued to its
    unit (“22.48⁠分”) is not stretched apart on a justified line."""
    text = ["".join(c[0] for c in line) for line in _lines(third_party, 5)]
    assert "院救助人次≥6800人次；门诊救助人次≥9000人次；困难群众资" in text, text
    lines = _lines(third_party, 6)
    (line,) = [line for line in lines if "22.48分" in "".join(c[0] for c in line)]
    steps = [b[3] - a[3] for a, b in pairwise(line) if a[0] == "8" and b[0] == "分"]
    assert steps and max(steps) < 8.1, steps  # 8 pt: the digit at its full width, no share
