"""Justified lines stretched where LibreOffice stretches them, after Qt has broken them.

Qt justifies a line of Chinese by adding the same space after every glyph of its Han
runs, and digits, ``.`` and ``%`` join the run of the 汉字 before them: "96.11%" and
"1105.57" come out letter-spaced.  LibreOffice (sw's ``SwTextAdjuster``, measured on its
PDFs) adds the line's room in equal shares after each East Asian character, after a
Latin portion's last character where East Asian text follows, and at spaces — never
inside a number or a word — and not after the line's last character.

So the in-app layout lets Qt lay a justified paragraph out left-aligned (the same line
breaks) with the block property :data:`JUSTIFIED`, and this module, once the pages are
final, gives the characters after which LibreOffice stretches their share as letter
spacing.  A paragraph's last line stays as it is, as does a line ending in a line break,
unless the block has :data:`FORCED` (the first part of a paragraph a page break split in
two: its last line is no paragraph's last).  Qt is imported inside the functions only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .breaks import joined

JUSTIFIED = 0x100000 + 6  # QTextFormat.UserProperty + 6: a block laid out justified
FORCED = 0x100000 + 7  # … whose last line is justified too
JOINER = "\u2060"
LINE_BREAK = "\u2028"
_SHORT = 0.02  # format units a stretched line stays short of its width (rounding)
_LESS = (1.0, 3.0, 8.0)  # … a line that would break elsewhere, in turn (format units)
QUANTUM = 64  # Qt keeps a letter spacing to 1/64 format unit (a pixel at 96 dpi)


def stretch_points(text: str, asian: list[bool], start: int, end: int) -> list[int]:
    """Indexes of the characters of ``text[start:end]`` (one line) after which LibreOffice
    adds a share of the line's room: an East Asian character, a character before an East
    Asian one, a space; not the line's last printed character, not a word joiner (and a
    character before a joiner is judged by the one after it)."""
    last = end - 1
    while last >= start and (text[last].isspace() or text[last] == JOINER):
        last -= 1
    out = []
    for p in range(start, last):
        if text[p] == JOINER:
            continue
        q = p + 1
        while q < last and text[q] == JOINER:
            q += 1
        if q > p + 1 and not asian[p] and not joined(text[p], text[q]):
            continue  # a figure's end glued to its unit: no share
        if asian[p] or asian[q] or text[p] == " ":
            out.append(p)
    return out


def _spacing(fmt: Any, advance: float) -> float:
    """The letter spacing (format units) ``fmt`` gives a character of ``advance``."""
    from PySide6.QtGui import QFont

    if fmt.fontLetterSpacingType() == QFont.SpacingType.PercentageSpacing:
        return advance * (float(fmt.fontLetterSpacing() or 100.0) - 100) / 100
    return float(fmt.fontLetterSpacing())


def _stretched(fmt: Any, spacing: float) -> Any:
    """``fmt`` with an absolute letter spacing of ``spacing`` format units (a percentage
    is kept by Qt to 1/64 of the advance only: a stretch of a few hundredths is lost)."""
    from PySide6.QtGui import QFont

    out = type(fmt)(fmt)
    out.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
    out.setFontLetterSpacing(spacing)
    return out


class _Chars:
    """A block's characters with their formats and advances (format units)."""

    def __init__(self, block: Any, device: Any, scale: float) -> None:
        from PySide6.QtGui import QFont, QFontMetricsF

        self.block = block
        self.text = block.text()
        self.scale = scale
        self.formats: list[Any] = []
        self.advances: list[float] = []
        self.metrics: list[Any] = []
        metrics: dict[str, Any] = {}
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            font = fmt.font()
            font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0)
            key = font.key()
            if key not in metrics:
                metrics[key] = QFontMetricsF(font, device)
            for ch in frag.text():
                self.formats.append(fmt)
                self.metrics.append(metrics[key])
                self.advances.append(float(metrics[key].horizontalAdvance(ch)) / scale)
            it += 1

    def overhang(self, p: int) -> float:
        """How far character ``p``'s ink reaches past its advance (format units): Qt wants
        that room at a line's end, or carries the character over."""
        return max(0.0, -float(self.metrics[p].rightBearing(self.text[p]))) / self.scale

    def breaks(self) -> list[tuple[int, int]]:
        layout = self.block.layout()
        return [(layout.lineAt(i).textStart(), layout.lineAt(i).textLength())
                for i in range(layout.lineCount())]

    def apply(self, extras: dict[int, float]) -> None:
        """Give each character ``p`` of ``extras`` that much more spacing (Qt keeps an
        absolute spacing to 1/64 unit: rounded down, what is left carried to the next
        character, so that a line's characters get their total, never more), runs of
        like characters with one edit."""
        from PySide6.QtGui import QTextCursor

        spacing: dict[int, float] = {}
        carry = 0.0
        for p in sorted(extras):
            want = _spacing(self.formats[p], self.advances[p]) + extras[p] + carry
            spacing[p] = math.floor(want * QUANTUM + 1e-6) / QUANTUM
            carry = want - spacing[p]
        cursor = QTextCursor(self.block)
        pos = self.block.position()
        keys = sorted(spacing)
        k = 0
        while k < len(keys):
            p, j = keys[k], k
            while j + 1 < len(keys) and keys[j + 1] == keys[j] + 1 and (
                    self.formats[keys[j + 1]] == self.formats[p]) and (
                    spacing[keys[j + 1]] == spacing[p]):
                j += 1
            cursor.setPosition(pos + p)
            cursor.setPosition(pos + keys[j] + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(_stretched(self.formats[p], spacing[p]))
            k = j + 1

    def restore(self, keys: list[int]) -> None:
        """The characters ``keys`` back in their own formats."""
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(self.block)
        for p in keys:
            cursor.setPosition(self.block.position() + p)
            cursor.setPosition(self.block.position() + p + 1,
                               QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(self.formats[p])


def _extras(chars: _Chars, asian: list[bool], forced: bool,
            short: dict[int, float]) -> dict[int, float]:
    """Per character, the spacing its line's stretch gives it (format units; the lines
    are measured in device pixels), line ``i`` left short of its width by its last
    character's overhang and ``short[i]`` (:data:`_SHORT` unless given)."""
    layout = chars.block.layout()
    out: dict[int, float] = {}
    count = layout.lineCount()
    for i in range(count):
        line = layout.lineAt(i)
        start, end = line.textStart(), line.textStart() + line.textLength()
        if (i == count - 1 and not forced) or LINE_BREAK in chars.text[start:end]:
            continue
        points = stretch_points(chars.text, asian, start, end)
        if not points:
            continue
        last = max(p for p in range(start, end) if not chars.text[p].isspace())
        room = float(line.width() - line.naturalTextWidth()) / chars.scale - short.get(
            i, _SHORT) - chars.overhang(last)
        # no air after a line's last character (LibreOffice's air comes between 汉字 and
        # the digits on the next line): its room is shared out instead
        air = _spacing(chars.formats[last], chars.advances[last])
        if air > 0:
            out[last] = -air
            room += air
        for p in points if room > 0 else ():
            out[p] = room / len(points)
    return out


@dataclass
class _Work:
    """A justified block: its characters, scripts, and its lines' breaks as Qt made
    them; how short of its width each line is to stay (see :func:`_extras`)."""

    chars: _Chars
    asian: list[bool]
    forced: bool
    before: list[tuple[int, int]]
    short: dict[int, float] = field(default_factory=dict)
    keys: list[int] = field(default_factory=list)

    def stretch(self) -> None:
        extras = _extras(self.chars, self.asian, self.forced, self.short)
        self.keys = sorted(extras)
        self.chars.apply(extras)

    def moved(self) -> bool:
        """Whether a break moved; if so the block is put back, the first line that
        moved to stay shorter next time."""
        after = self.chars.breaks()
        if after == self.before:
            return False
        self.chars.restore(self.keys)
        line = next(i for i, (a, b) in enumerate(zip(self.before, after, strict=False))
                    if a != b)
        self.short[line] = next((x for x in _LESS if x > self.short.get(line, 0.0)),
                                math.inf)
        return True


def justify(doc: Any, device: Any, scale: float,
            east_asian: Callable[[str], list[bool]]) -> None:
    """Stretch the lines of every :data:`JUSTIFIED` block of the laid-out ``doc`` (on
    ``device``, ``scale`` device pixels per format unit) as LibreOffice does; the breaks
    stay where they are.  Qt also wants room at a line's end for what it takes a glyph's
    ink past its advance (a little more than the font's metrics say): a line a stretch
    would break elsewhere is stretched less (``_LESS``), in a next round.  Each round
    edits the document at once and lays it out once."""
    from PySide6.QtGui import QTextCursor

    doc.idealWidth()
    work: list[_Work] = []
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.property(JUSTIFIED) and block.layout() is not None and block.text():
            chars = _Chars(block, device, scale)
            work.append(_Work(chars, east_asian(chars.text), bool(fmt.property(FORCED)),
                              chars.breaks()))
        block = block.next()
    edit = QTextCursor(doc)
    for _ in range(len(_LESS) + 2):
        if not work:
            break
        edit.beginEditBlock()  # one change of the document: laid out once
        for w in work:
            w.stretch()
        edit.endEditBlock()
        doc.idealWidth()
        edit.beginEditBlock()
        work = [w for w in work if w.moved()]
        edit.endEditBlock()
        doc.idealWidth()
