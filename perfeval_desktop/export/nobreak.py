"""No line break inside a number with its unit: “9.21万元”, “2022年”, “〔2008〕9号”.

Chinese text may break between any two 汉字, and between a digit and a 汉字, so Word, WPS,
LibreOffice and the in-app layout all break “9.21|万元” or “0.53万|元” at a line's end.
Every number with the unit after it is kept together by a WORD JOINER (U+2060) wherever a
break could come inside it: between the number and its unit, between the unit's 汉字, and
inside a number of full-width digits; not between ASCII digits, separators and ``%``,
which no line breaker splits (UAX #14 LB25).

Why U+2060: it is the Unicode character meant for this (UAX #14 class WJ, “do not break
before or after”).  LibreOffice's own rules (i18npool ``line.txt``, rule LB 11) and Qt's
honour it, measured: “9.21⁠万⁠元” swept over a line's end stays whole in both PDFs, and
pdftotext reads “9.21万元” from them (no joiner in the PDF's text).  U+200D, which Word's
Symbol dialog offers as “no-width non break”, is no joiner in LibreOffice's rules and
stays in its PDF's text; U+FEFF (the old ZWNBSP) is not honoured by Qt.  U+2060 is a
default-ignorable code point: the shapers (HarfBuzz in LibreOffice and Qt, DirectWrite/
Uniscribe under Word and WPS) draw it as nothing, so fonts without a glyph for it (SimSun,
FangSong) print no box.  The joiner costs the ¼ em of air LibreOffice sets between digits
and 汉字 (its autospace sees the joiner, not the digit); the in-app layout does the same.

Applied once, to the whole document just before it is saved (:func:`glue_document`), so
the template's text, the narrative, the figures filled into it, titles and table cells
are treated alike.  The joiners are layout only: :func:`~..model.text.clean_text` drops
them from text typed or pasted back in, and :func:`glue` first removes any already there,
so a round trip never adds one.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..model.text import WORD_JOINER

__all__ = ["WORD_JOINER", "glue", "glue_document", "glue_spans"]

_D = "0-9０-９"
# digits; thousands groups after , ， or a space; a decimal part (never a bare "3." of a
# list number, nor "。", which ends a sentence)
_GROUP = rf"(?:[,，]| (?=[{_D}]{{3}}(?![{_D}])))[{_D}]{{3}}"
_NUMBER = rf"(?<![{_D}.．])[{_D}]+(?:{_GROUP})*(?:[.．][{_D}]+)?"
# measure words after a number (the seeds': 万元 年 月 日 号 分 家 人 项 次 …), longest first
MEASURES = (
    "百分点", "平方米", "人次", "户次", "家次", "批次", "小时", "分钟", "公里", "千米", "学时",
    "课时",
    "元", "人", "户", "家", "个", "项", "次", "份", "条", "张", "名", "期", "例", "起", "岁",
    "天", "日", "月", "年", "号", "分", "秒", "周", "倍", "所", "台", "套", "辆", "篇", "册",
    "件", "批", "场", "处", "座", "床", "亩", "吨", "米", "届", "笔", "宗", "块", "页", "栋",
)
_MEASURE = "|".join(MEASURES)
_UNIT = (rf"(?:[万亿][余多]?(?:{_MEASURE})?|[千百][余多]?(?:{_MEASURE})|[余多](?:{_MEASURE})"
         rf"|(?:{_MEASURE})|[%％‰﹪])")
_NUMBER_UNIT = re.compile(rf"{_NUMBER} ?{_UNIT}")


def _breakable(a: str, b: str) -> bool:
    """Whether some line breaker may break between ``a`` and ``b`` (no joiner needed
    where none may: before a space, and between ASCII digits, separators and %)."""
    if b == " ":
        return False
    return not (a.isascii() and b.isascii() and a != " ")


def glue_spans(text: str) -> list[tuple[int, int, list[int]]]:
    """Each number with its unit in ``text`` (which holds no joiner) that needs a joiner:
    (start, end, the indices a joiner goes before)."""
    out = []
    for m in _NUMBER_UNIT.finditer(text):
        at = [k for k in range(m.start() + 1, m.end()) if _breakable(text[k - 1], text[k])]
        if at:
            out.append((m.start(), m.end(), at))
    return out


def glue(text: str) -> str:
    """``text`` with a joiner wherever a line could break inside a number with its unit
    (any joiner it held first removed)."""
    text = text.replace(WORD_JOINER, "")
    at = {k for _s, _e, ks in glue_spans(text) for k in ks}
    return "".join(WORD_JOINER + ch if k in at else ch for k, ch in enumerate(text))


# what stands between two w:t of a paragraph and keeps them apart: a tab, a line break,
# a field's code, a picture …
_APART = frozenset(qn(t) for t in (
    "w:tab", "w:ptab", "w:br", "w:cr", "w:sym", "w:instrText", "w:fldChar", "w:drawing",
    "w:pict", "w:object", "w:footnoteReference", "w:endnoteReference", "w:noBreakHyphen",
    "w:softHyphen"))
_P, _R, _T, _RPR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:rPr")
# LibreOffice 7.4 (and any whose BreakIterator_CJK lacks the no-break check for U+2060
# that its current source has) breaks Chinese (and Japanese) text by its forbidden characters
# alone (i18npool's BreakIterator_CJK), joiner or not; text in another language goes by
# its ICU rules (line.txt, LB 11 honours the joiner).  So a glued number is set in a run
# of its own whose East Asian language is not Chinese: measured, that keeps it whole.
GLUED_LANGUAGE = "en-US"


def _pieces(p: Any) -> list[Any]:
    """The paragraph's own w:t (not a text box's inside it) in order, None for what
    keeps two of them apart."""
    out: list[Any] = []
    for el in p.iter():
        if el.tag in _APART:
            out.append(None)
        elif el.tag == _T and next(el.iterancestors(_P)) is p:
            out.append(el)
    return out


def _new_run(rpr: Any, text: str, glued: bool) -> Any:
    run = OxmlElement("w:r")
    if rpr is not None or glued:
        props = copy.deepcopy(rpr) if rpr is not None else OxmlElement("w:rPr")
        if glued:
            lang = props.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                props.append(lang)  # (the last child of rPr in the schema order)
            lang.set(qn("w:eastAsia"), GLUED_LANGUAGE)
        run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def _split(t: Any, parts: list[tuple[str, bool]]) -> None:
    """The w:t ``t`` as runs of ``parts`` (text, glued), in its run's place and format."""
    run = t.getparent()
    if run.tag != _R:
        t.text = "".join(text for text, _glued in parts)
        return
    rpr = run.find(_RPR)
    kids = [k for k in run if k.tag != _RPR]
    after = kids[kids.index(t) + 1:]
    new = [_new_run(rpr, text, glued) for text, glued in parts if text]
    if after:
        tail = OxmlElement("w:r")
        if rpr is not None:
            tail.append(copy.deepcopy(rpr))
        tail.extend(after)
        new.append(tail)
    anchor = run
    for r in new:
        anchor.addnext(r)
        anchor = r
    run.remove(t)
    if not [k for k in run if k.tag != _RPR]:
        run.getparent().remove(run)


def _parts(text: str, start: int, at: set[int], inside: set[int]) -> list[tuple[str, bool]]:
    """``text`` (at ``start`` in its paragraph) cut where it enters or leaves a glued
    number, the joiners put in: [(text, glued)]."""
    out: list[tuple[str, bool]] = []
    for i, ch in enumerate(text):
        glued = start + i in inside
        piece = WORD_JOINER + ch if start + i in at else ch
        if out and out[-1][1] == glued:
            out[-1] = (out[-1][0] + piece, glued)
        else:
            out.append((piece, glued))
    return out


HEADINGS = frozenset({"Heading1", "Heading2", "Heading3", "Heading4"})
_TAIL = re.compile(r"[、，](?P<tail>[^、，。；：\s]{2,6})$")


def heading_tail(text: str) -> list[tuple[int, int, list[int]]]:
    """A heading's last item after its last pause mark (“…评价方法、评价标准等”) as one
    span to glue, so the heading never ends on a line holding “等” alone."""
    m = _TAIL.search(text)
    if m is None or m.start() < 4:  # “一、…”: the heading's number, not an item
        return []
    s, e = m.start("tail"), m.end("tail")
    return [(s, e, [k for k in range(s + 1, e) if _breakable(text[k - 1], text[k])])]


def _is_heading(p: Any) -> bool:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style is not None and style.get(qn("w:val")) in HEADINGS


def _glue_paragraph(p: Any) -> None:
    pieces = _pieces(p)
    texts = [(el.text or "").replace(WORD_JOINER, "") if el is not None else "\n"
             for el in pieces]
    spans = glue_spans("".join(texts))
    if _is_heading(p):
        spans += heading_tail("".join(texts))
    at = {k for _s, _e, ks in spans for k in ks}
    inside = {k for s, e, _ks in spans for k in range(s, e)}
    start = 0
    for el, text in zip(pieces, texts, strict=True):
        end = start + len(text)
        if el is not None:
            if inside.intersection(range(start, end)):
                _split(el, _parts(text, start, at, inside))
            elif text != el.text:
                el.text = text
        start = end


def glue_document(doc: Any) -> None:
    """Every paragraph of the python-docx ``doc``'s body (its tables' too) with its numbers
    kept with their units (:func:`glue`).  The headers and footers hold page numbers only."""
    for p in list(doc.element.body.iter(_P)):
        _glue_paragraph(p)
