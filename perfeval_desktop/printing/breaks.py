"""Where LibreOffice forbids a line break that Qt allows.

LibreOffice asks the break iterator of the language of the character where a line
overflows.  For Latin letters and digits (``w:lang`` en-US) that is its ICU rules
(i18npool's breakiterator data ``line.txt``, UAX #14 as of Unicode 5.0), whose rule 30
keeps letters and digits with the brackets round them, full-width ones included::

    (AL | HL | NU) × OP        CL × (AL | HL | NU)

Qt (UAX #14 as now) keeps them only with half-width brackets (``CP``), and breaks
“昆财社基（2023）|87号” after the full-width “）” (class CL).  So the in-app layout puts
a WORD JOINER (U+2060, no width, no break either side) between such a pair, as the
DOCX itself carries one inside each number with its unit (``export/nobreak.py``): both are
laid out in :func:`joiner_format`, and the PDF's text has none.

For Chinese (``w:eastAsia`` zh-CN) LibreOffice 7.4 uses its BreakIterator_CJK,
which applies only the forbidden characters of zh_CN (no line starts with ，。）” …, none
ends with （“ …) and breaks anywhere else, a joiner or not.  So ``line.txt``'s quotation
rule (LB 19, × QU and QU ×) does not reach Chinese text: “ never ends a line and ” never
starts one there, as in Qt (UAX #14 LB 19: no break after a Pi quote, none before a Pf
one), and both break before “ and after ” between 汉字.  No rule for quotes is added here;
no sample shows a difference.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..model.text import WORD_JOINER

JOINER = WORD_JOINER
# close punctuation (CL) outside the general category Pe: 、。，．and their small forms
_CL_PUNCT = frozenset("\u3001\u3002\uff0c\uff0e\uff61\uff64\ufe50\ufe52")


def _closing(ch: str) -> bool:
    return unicodedata.category(ch) == "Pe" or ch in _CL_PUNCT


def _opening(ch: str) -> bool:
    return unicodedata.category(ch) == "Ps"


def _letter_or_digit(ch: str) -> bool:
    """AL/HL or NU: a letter or digit that is not full width (those are ID)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return False
    category = unicodedata.category(ch)
    return category == "Nd" or category in ("Lu", "Ll", "Lt", "Lm")


def joined(a: str, b: str) -> bool:
    """True where LibreOffice has no line break between the characters ``a`` and ``b``
    and Qt may have one: a closing bracket before a letter or digit, a letter or digit
    before an opening bracket."""
    return (_closing(a) and _letter_or_digit(b)) or (_letter_or_digit(a) and _opening(b))


def glued_end(text: str, k: int) -> bool:
    """Whether LibreOffice ends a portion after character ``k`` of a paragraph's ``text``
    (so that it gets no character spacing): before a joiner, and at the end of a number
    glued to its unit, which the DOCX sets in a run of another language
    (``export/nobreak.py``).  Measured: “万⁠元” and “元。” there are a full em apart."""
    if k + 1 < len(text) and text[k + 1] == JOINER:
        return True
    return k > 0 and text[k - 1] == JOINER


def joiner_format(fmt: Any) -> Any:
    """``fmt`` for a joiner: kept in its font (no fallback to one that has a glyph for
    it, as the CJK fonts have none), where it is shaped to nothing: no glyph in the PDF,
    no change of font that would split the word in the PDF's text."""
    from PySide6.QtGui import QFont

    out = type(fmt)(fmt)
    font = out.font()
    font.setStyleStrategy(font.styleStrategy() | QFont.StyleStrategy.NoFontMerging)
    out.setFont(font, type(fmt).FontPropertiesInheritanceBehavior.FontPropertiesSpecifiedOnly)
    return out
