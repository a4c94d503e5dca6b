"""Where a long title breaks: between words, never inside one.

A report's title is its project's name and the document's name (“昆财社基（2023）87号提前下达
2024年中央财政医保服务与保障能力提升补助资金 | 项目支出绩效评价报告”).  Left to the word
processor, a title of more than a line wraps wherever the line is full — inside the document
name (“…项目支 | 出绩效…”) or inside a word of the project's name (“…2024年中央 | 财政…”).
So a long title gets manual line breaks: before its document name, and inside the project's
name only where a word ends — after a document number's 号 or a closing bracket, after a
year (2024年), before a number, after a pause mark, before the kind of fund (补助资金 …).
"""

from __future__ import annotations

import re

from .grid import display_width

# the name of the document, printed on a line of its own (…经费 | 项目支出绩效自评报告)
TITLE_TAILS = ("项目支出绩效自评报告", "项目支出绩效评价报告", "支出绩效自评总结报告",
               "财政支出绩效自评报告", "项目绩效自评报告", "项目绩效评价报告", "支出绩效自评报告",
               "绩效自评总结报告", "绩效自评报告", "绩效评价报告", "自评报告", "评价报告")

# a word ends: after a closing bracket, a pause mark, a document number's 号 or a year's 年;
# before a number that follows 汉字, and before the kind of fund or expense
_WORD_END = re.compile(r"(?<=[）)〕】\]、，,；;：:])|(?<=\d[号年])|(?<=[\u4e00-\u9fff])(?=\d)"
                       r"|(?=(?:补助|专项|转移支付|项目)?(?:资金|经费)$)")


def em_width(text: str) -> float:
    """The width of ``text`` in ems: a 汉字 or full-width mark is one, a digit or Latin
    letter a half."""
    return display_width(text) / 2


def word_ends(text: str) -> list[int]:
    """The positions inside ``text`` where a line may break between two words."""
    return sorted({m.start() for m in _WORD_END.finditer(text) if 0 < m.start() < len(text)})


def _fill(text: str, per_line: float, offset: int) -> list[int]:
    """Breaks of ``text`` at its word ends, each line as full as fits ``per_line`` ems (a
    word longer than a line stays whole: it wraps by itself); positions from ``offset``."""
    breaks, start = [], 0
    ends = [*word_ends(text), len(text)]
    while em_width(text[start:]) > per_line:
        fitting = [e for e in ends if e > start and em_width(text[start:e]) <= per_line]
        later = [e for e in ends if e > start]
        at = fitting[-1] if fitting else later[0]
        if at >= len(text):
            break
        breaks.append(offset + at)
        start = at
    return breaks


def title_breaks(text: str, per_line: float) -> list[int]:
    """Where a title wider than ``per_line`` ems breaks: before its document name (never
    inside it), and inside the rest only between words.  [] when it fits on one line."""
    if em_width(text) <= per_line:
        return []
    for tail in TITLE_TAILS:
        at = text.rfind(tail)
        if at > 0 and at + len(tail) == len(text) and em_width(tail) <= per_line:
            return [*_fill(text[:at], per_line, 0), at]
    return _fill(text, per_line, 0)
