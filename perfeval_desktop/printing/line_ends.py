"""Line ends as LibreOffice (and Word) make them, after Qt has broken the lines.

At a line's end LibreOffice counts characters otherwise than Qt does:

- **no character spacing after a line's last character** (spacing comes between the
  characters of a portion, and a line ends one): a 3号 line condensed by 0.25 pt holds 28
  characters only where the 28th fits at its full 16 pt — Qt counts it at 15.75 pt;
- **hanging punctuation** (``allowPunctuationOutsideMargin``, outside tables only, and
  where the paragraph lets it: docx_read's ``Para.hang``): a comma, full stop, colon …
  that does not fit stays on the line and hangs into the margin — Qt carries it, with
  the character before it (no line starts with "，"), to the next line;
- **no air between 汉字 and Latin letters or digits at a line's end** (``autoSpaceDE``/
  ``autoSpaceDN``, given as letter spacing to the character before the boundary): Qt
  counts it, and wraps a cell's "市域内覆盖100%" after 覆;
- **advances only**: Qt also counts the ink of a line's last glyph that reaches past its
  advance (“资” in Noto Serif CJK SC: 7 twips at 三号), and its absolute letter spacing
  rounded to 1/64 px at 96 dpi (−0.25 pt is −4.92 twips a character, not −5), so a
  line with a number or two grows by a twip or two: Qt carried “资” over from a line that
  held it by its advance with 0.1 twip to spare in LibreOffice (第三方 report, p. 6).

So after the layout, line by line: a last character that LibreOffice would not fit loses
its condensing (Qt then carries it over); where the first characters after a break would
come back with a hanging comma or without their air, that is tried, and kept where the
line then ends with them.  Qt is imported inside the functions only.
"""

from __future__ import annotations

from typing import Any

from .breaks import JOINER, glued_end

# LibreOffice's hanging characters for zh_CN (i18npool's locale data); it lets none hang
# in a table cell (sw's SwTextGuess: not IsInTab)
HANGING = frozenset("!,.:;?、。！，．：；？")
AIR = 0x100000 + 3  # QTextFormat.UserProperty + 3: the air (format units) a character has
HUNG = 0x100000 + 4  # a hanging character, made of no width
NO_HANGING = 0x100000 + 8  # a block whose punctuation does not hang (w:overflowPunct)
FITTED = 0x100000 + 5  # a line's last character narrowed so that Qt keeps it (_fit_advance)
_LOOK_AHEAD = 12  # characters after a break: a word, “良”。 with the stop it carries, or
# "〔1999〕23" (a joiner inside) with the air of its 3 dropped
_EPS = 0.01  # device pixels
_NUMERAL = frozenset("0123456789.,")
_BREAK = "\u200b"  # ZERO WIDTH SPACE: a break, no width


class _Block:
    """One block's characters: their formats and widths, changed one at a time."""

    def __init__(self, block: Any, device: Any, scale: float) -> None:
        from PySide6.QtGui import QTextCursor

        self.block, self.device, self.scale = block, device, scale
        self.text = block.text()
        self.hang = (QTextCursor(block).currentTable() is None
                     and not block.blockFormat().property(NO_HANGING))

    def lines(self) -> list[Any]:
        layout = self.block.layout()
        return [layout.lineAt(i) for i in range(layout.lineCount())]

    def _cursor(self, p: Any) -> Any:
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(self.block)
        cursor.setPosition(self.block.position() + p)
        cursor.setPosition(self.block.position() + p + 1, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def format(self, p: int) -> Any:
        return self._cursor(p).charFormat()

    def set_format(self, p: int, fmt: Any) -> None:
        self._cursor(p).setCharFormat(fmt)

    def spacing(self, p: int, fmt: Any) -> float:
        """The letter spacing character ``p`` has in ``fmt``, in device pixels."""
        from PySide6.QtGui import QFont

        if fmt.fontLetterSpacingType() == QFont.SpacingType.PercentageSpacing:
            share = float(fmt.fontLetterSpacing() or 100.0)
            return self.glyph(p, fmt) * (share - 100) / 100
        return float(fmt.fontLetterSpacing()) * self.scale

    def glyph(self, p: int, fmt: Any) -> float:
        """The advance of character ``p`` without its letter spacing (device pixels)."""
        from PySide6.QtGui import QFont, QFontMetricsF

        font = fmt.font()
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0)
        return float(QFontMetricsF(font, self.device).horizontalAdvance(self.text[p]))

    def width(self, p: int) -> float:
        fmt = self.format(p)
        return self.glyph(p, fmt) + self.spacing(p, fmt)

    def with_spacing(self, p: int, pixels: float, mark: int | None = None) -> Any:
        """Character ``p``'s format with ``pixels`` of letter spacing (and ``mark``)."""
        from PySide6.QtGui import QFont

        fmt = self.format(p)
        out = type(fmt)(fmt)
        out.clearProperty(AIR)
        out.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
        out.setFontLetterSpacing(pixels / self.scale)
        if mark is not None:
            out.setProperty(mark, True)
        return out

    def swap(self, p: int, ch: str) -> None:
        """Character ``p`` (a joiner or a break) replaced by ``ch`` in its format."""
        cursor = self._cursor(p)
        cursor.insertText(ch, cursor.charFormat())
        self.text = self.text[:p] + ch + self.text[p + 1:]

    def open_after(self, p: int) -> int:
        """1 where a hanging stop ``p`` is held to what follows by the layout's joiner
        (“。⁠2021年”): LibreOffice breaks after a stop it hangs, so the joiner becomes a
        zero-width break; else 0."""
        if self.text[p] in HANGING and self.text[p + 1:p + 2] == JOINER:
            self.swap(p + 1, _BREAK)
            return 1
        return 0

    def at_end(self, p: int) -> Any | None:
        """Character ``p``'s format at a line's end where it takes less room there (a
        hanging comma, an airy character), else None."""
        fmt = self.format(p)
        if self.hang and self.text[p] in HANGING:
            return self.with_spacing(p, -self.glyph(p, fmt), HUNG)
        if fmt.property(AIR):
            return self.with_spacing(p, 0.0)
        return None


def _widen(chars: _Block, line: Any) -> bool:
    """The line's last character at its full width where LibreOffice counts it so and it
    then does not fit: Qt carries it over.  True when it was changed."""
    end = line.textStart() + line.textLength() - 1
    while end > line.textStart() and chars.text[end].isspace():
        end -= 1
    fmt = chars.format(end)
    spacing = chars.spacing(end, fmt)
    if spacing >= 0 or fmt.property(HUNG) or fmt.property(FITTED):
        return False
    if line.naturalTextWidth() - spacing <= line.width() + _EPS:
        return False
    chars.set_format(end, chars.with_spacing(end, 0.0))
    return True


def _ahead(text: str, n: int) -> list[int]:
    """The positions from ``n`` on that may come back with a hanging stop: _LOOK_AHEAD
    characters, a number glued to its unit by joiners (``export/nobreak.py``) free."""
    out: list[int] = []
    counted, p = 0, n
    while p < len(text) and counted < _LOOK_AHEAD:
        out.append(p)
        glued = JOINER in text[max(p - 1, 0):p + 2] or text[p] in _NUMERAL
        counted += not glued
        p += 1
    return out


def _in_number(text: str, p: int) -> bool:
    """Whether character ``p`` is a point or comma between digits (“1.65”, “1,155”)."""
    return (text[p] in ".," and 0 < p < len(text) - 1 and text[p - 1].isdigit()
            and text[p + 1].isdigit())


def _after_latin(text: str, p: int) -> bool:
    """A stop or comma right after a Latin letter, digit or ``%``, which LibreOffice does
    not hang (measured: “支出率|60.7%，” breaks before the figure)."""
    return text[p] in HANGING and p > 0 and text[p - 1].isascii() and not text[p - 1].isspace()


def _pull_back(chars: _Block, index: int) -> bool:
    """The first characters after line ``index``'s break back on it where a hanging comma
    or dropped air makes them fit.  True when the line changed."""
    lines = chars.lines()
    line, n = lines[index], lines[index + 1].textStart()
    room = line.width() - line.naturalTextWidth()
    need = 0.0
    for p in _ahead(chars.text, n):
        if _in_number(chars.text, p):
            need += chars.width(p)  # a decimal point or separator: no stop, no comma
            continue
        narrow = chars.at_end(p) if not _after_latin(chars.text, p) else None
        if narrow is not None and need + chars.glyph(p, narrow) + chars.spacing(
                p, narrow) <= room + _EPS:
            old = chars.format(p)
            chars.set_format(p, narrow)
            opened = chars.open_after(p)
            after = chars.lines()
            ends = (after[index + 1].textStart() if index + 1 < len(after)
                    else len(chars.text))
            if ends == p + 1 + opened:
                return True
            if opened:
                chars.swap(p + 1, JOINER)
            chars.set_format(p, old)
        if chars.text[p] in HANGING:
            return False  # nothing after a comma comes back with it
        need += chars.width(p)
        if need > room:
            return False
    return False


def _drift(chars: _Block, line: Any) -> float:
    """How much wider Qt makes ``line`` than LibreOffice by rounding each character's
    absolute letter spacing to 1/64 (format units), in device pixels (less than 0 where
    it comes out narrower)."""
    from PySide6.QtGui import QFont

    out = 0.0
    for p in range(line.textStart(), line.textStart() + line.textLength()):
        fmt = chars.format(p)
        if fmt.fontLetterSpacingType() == QFont.SpacingType.AbsoluteSpacing:
            wanted = float(fmt.fontLetterSpacing())
            out += (round(wanted * 64) / 64 - wanted) * chars.scale
    return out


def _overhang(chars: _Block, p: int, fmt: Any) -> float:
    """The ink of character ``p`` in ``fmt`` past its advance, which Qt counts at a
    line's end (device pixels, 0 where none)."""
    from PySide6.QtGui import QTextLayout

    layout = QTextLayout(chars.text[p], fmt.font(), chars.device)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(1e6)
    layout.endLayout()
    return max(0.0, line.naturalTextWidth() - chars.glyph(p, fmt) - chars.spacing(p, fmt))


def _break_after(text: str, p: int) -> bool:
    """Whether Qt may break ``text`` after character ``p``."""
    from PySide6.QtCore import QTextBoundaryFinder

    if p + 1 >= len(text):
        return True
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    finder.setPosition(p + 1)
    return bool(finder.isAtBoundary())


def _fit_advance(chars: _Block, index: int) -> bool:
    """The first character after line ``index``'s break back on it where LibreOffice fits
    it by its advance (its full width: no spacing at a line's end) and Qt did not (the
    ink past the advance, the rounded spacing): it is narrowed, as much as Qt needs.
    True when the line changed."""
    lines = chars.lines()
    line, p = lines[index], lines[index + 1].textStart()
    text = chars.text
    if text[p] in HANGING or text[p].isspace() or glued_end(text, p) or text[p] == JOINER:
        return False
    fmt = chars.format(p)
    glyph = chars.glyph(p, fmt)
    qt_room = line.width() - line.naturalTextWidth()
    most = line.textLength() * chars.scale / 128  # the drift is under 1/128 a character
    if glyph > qt_room + most + _EPS or glyph > qt_room + _drift(chars, line) + _EPS:
        return False
    if not _break_after(text, p):
        return False  # a number, a word, an opening quote goes on with what follows
    # narrowed, the character starts a run of its own format, where Qt counts its ink
    # twice (the break before it takes its right bearing too)
    spacing = min(0.0, qt_room - glyph - 2 * _overhang(chars, p, fmt) - _EPS)
    chars.set_format(p, chars.with_spacing(p, spacing, FITTED))
    after = chars.lines()
    if (after[index + 1].textStart() if index + 1 < len(after) else len(text)) == p + 1:
        return True
    chars.set_format(p, fmt)
    return False


def _block(block: Any, device: Any, scale: float) -> None:
    chars = _Block(block, device, scale)
    index = 0
    for _ in range(4 * len(chars.text) + 4):  # each change moves a line's end once
        lines = chars.lines()
        if index >= len(lines):
            return
        if index + 1 < len(lines) and (_pull_back(chars, index)
                                       or _fit_advance(chars, index)):
            continue
        if _widen(chars, chars.lines()[index]):
            continue
        index += 1


def fix_line_ends(doc: Any, device: Any, scale: float) -> None:
    """Every block of the laid-out ``doc`` (on ``device``, ``scale`` device pixels per
    format unit) with its line ends as LibreOffice makes them (see the module's text)."""
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        if layout is not None and layout.lineCount() > 0 and block.text():
            _block(block, device, scale)
        block = block.next()
