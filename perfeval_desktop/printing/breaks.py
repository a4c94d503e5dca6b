"""Where LibreOffice forbids a line break that Qt allows.

LibreOffice breaks lines with its own ICU rules (i18npool's breakiterator data
``line.txt``, UAX #14 as of Unicode 5.0), for Chinese too.  Its rule 30 keeps letters and
digits with the brackets round them, full-width ones included::

    (AL | HL | NU) × OP        CL × (AL | HL | NU)

Qt (UAX #14 as now) keeps them only with half-width brackets (``CP``), and breaks
“昆财社基（2023）|87号” after the full-width “）” (class CL).  So the in-app layout puts
a WORD JOINER (U+2060, no width, no break either side) between such a pair; it is
dropped again from the PDF's text (see :func:`unjoined`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

JOINER = "\u2060"
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
