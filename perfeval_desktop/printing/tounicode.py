"""The in-app PDF's text as the report has it: 金, not the Kangxi radical ⾦.

Qt writes each embedded font's ``/ToUnicode`` map from the font's cmap turned round, glyph
→ the lowest code point that maps to it (``QFontSubset``).  Fonts such as Noto CJK give the
Kangxi radicals (U+2F00…), the CJK radicals supplement (U+2E80…) and the CJK strokes
(U+31C0…) the glyphs of the ideographs they look like, so 金 is copied, searched and read
by pdftotext as ⾦ (U+2FA6), 门 as ⻔, 户 as ⼾.  After Qt has written the PDF, each such
radical in a map is put back to the ideograph of the report's text that the fonts the
document asks for draw with the same glyph (Qt's maps name no font file; the match is made
in every face the document uses).  Qt writes the maps uncompressed, as arrays of 4-digit
hex code points: each is replaced by one as long, so the file keeps its object offsets.
Qt is imported inside the functions only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

RADICALS = ((0x2E80, 0x2FDF), (0x31C0, 0x31EF))  # radicals supplement, Kangxi, strokes
_RADICAL_TEXT = "".join(chr(c) for lo, hi in RADICALS for c in range(lo, hi + 1))

_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_ARRAY = re.compile(rb"\[([^\]]*)\]")
_CODE = re.compile(rb"<([0-9A-Fa-f]{4})>")
_STREAM = re.compile(rb"\s*<<\s*/Length\s+(\d+)\s*>>\s*stream\r?\n")


def _ideograph(ch: str) -> bool:
    """A unified ideograph of the Basic Multilingual Plane (CJK and extension A)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _fonts(docs: Iterable[Any]) -> list[Any]:
    """A QRawFont of every installed face (family and weight) the documents' text asks for,
    in order of first use."""
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    wanted: dict[tuple[str, int], None] = {}
    for doc in docs:
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fmt = it.fragment().charFormat()
                for family in fmt.fontFamilies() or []:
                    wanted.setdefault((family, int(fmt.fontWeight())), None)
                it += 1
            block = block.next()
    out = []
    for family, weight in wanted:
        if QFontDatabase.styles(family):  # installed (a fontconfig alias has no styles)
            font = QFont([family])
            font.setWeight(QFont.Weight(weight))
            raw = QRawFont.fromFont(font)
            if raw.isValid():
                out.append(raw)
    return out


def ideographs(fonts: Iterable[Any], text: str) -> dict[int, int]:
    """Radical → the ideograph of ``text`` that one of ``fonts`` (QRawFont) draws with the
    same glyph; the first font that has one decides."""
    candidates = "".join(sorted({ch for ch in text if _ideograph(ch)}))
    out: dict[int, int] = {}
    if not candidates:
        return out
    for raw in fonts:
        by_glyph: dict[int, str] = {}
        for ch, glyph in zip(candidates, raw.glyphIndexesForString(candidates), strict=True):
            if glyph:
                by_glyph.setdefault(glyph, ch)
        glyphs = raw.glyphIndexesForString(_RADICAL_TEXT)
        for ch, glyph in zip(_RADICAL_TEXT, glyphs, strict=True):
            if glyph in by_glyph:
                out.setdefault(ord(ch), ord(by_glyph[glyph]))
    return out


def _streams(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each ``/ToUnicode`` stream's data in the PDF ``data``."""
    out = []
    for number in sorted(set(_TO_UNICODE.findall(data))):
        marker = b"\n" + number + b" 0 obj"
        at = data.find(marker)
        head = _STREAM.match(data, at + len(marker)) if at >= 0 else None
        if head is not None:
            out.append((head.end(), head.end() + int(head.group(1))))
    return out


def remap(cmap: bytes, mapping: dict[int, int]) -> bytes:
    """The CMap ``cmap`` with the code points of its destination arrays (``[<2FA6> …]``)
    that ``mapping`` names replaced, each by one of as many digits."""

    def code(m: re.Match[bytes]) -> bytes:
        to = mapping.get(int(m.group(1), 16))
        return m.group(0) if to is None or to > 0xFFFF else b"<%04X>" % to

    return _ARRAY.sub(lambda a: b"[" + _CODE.sub(code, a.group(1)) + b"]", cmap)


def unify_radicals(pdf: Path, docs: list[Any]) -> None:
    """Rewrite the ``/ToUnicode`` maps of ``pdf``, printed by Qt from the QTextDocuments
    ``docs``: each radical the fonts draw like an ideograph of the text reads as it."""
    data = pdf.read_bytes()
    spans = _streams(data)
    if not spans:
        return
    mapping = ideographs(_fonts(docs), "".join(doc.toPlainText() for doc in docs))
    out = bytearray(data)
    for start, end in spans:
        new = remap(data[start:end], mapping)
        if len(new) == end - start:
            out[start:end] = new
    if out != data:
        pdf.write_bytes(bytes(out))
