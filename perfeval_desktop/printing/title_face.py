"""The face the in-app layout prints a GB/T 9704 title in: 方正小标宋简体, or what stands in.

The report's titles ask for 方正小标宋简体 at its regular weight: a face heavier than 宋体
by design.  Where it is installed, or 方正小标宋_GBK, or 华文中宋 (which MS Office installs, and
which the DOCX names as its alternative: Word takes it, as a clerk's Word would), the title
prints in it as it is.  Elsewhere a plain 宋体 would print the title thin, so the serif
stands in at bold, as LibreOffice prints it with the project's fontconfig aliases on Linux
(resources/fontconfig/fonts.conf: Noto Serif CJK SC Bold): a real bold face where the
serif has one (Noto Serif CJK SC, 思源宋体), else Qt's synthetic bold (SimSun, which has no
bold face on Windows: Qt draws it twice, a little apart, as Word and WPS embolden it).
Only the East Asian part is emboldened; the title's digits and Latin letters stay in the
regular Latin font, as LibreOffice prints them.  Qt is imported inside the functions only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

# heavy by design: printed at the weight the DOCX asks for (Windows names them in English too)
HEAVY = ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05",
         "华文中宋", "STZhongsong")
# the serifs that stand in at bold: those with a bold face first
SERIFS = ("Noto Serif CJK SC", "Source Han Serif SC", "思源宋体", "宋体", "SimSun")
_KEYS = ("小标宋", "中宋", "xiaobiaosong", "zhongsong")


def is_title(name: str | None) -> bool:
    """Whether the East Asian font ``name`` is a title face (小标宋, 中宋)."""
    return bool(name) and any(k in (name or "").lower() for k in _KEYS)


@cache
def installed(family: str) -> bool:
    """Whether ``family`` is a face on this computer: a fontconfig alias (方正小标宋简体 →
    Noto Serif CJK SC on Linux) is a family to Qt too, but one without styles."""
    from PySide6.QtGui import QFontDatabase

    return bool(QFontDatabase.styles(family))


def choose(have: Callable[[str], bool]) -> tuple[list[str], bool]:
    """The title's East Asian families and whether they are emboldened, where ``have``
    tells the installed faces."""
    serifs = [f for f in SERIFS if have(f)]
    heavy = [f for f in HEAVY if have(f)]
    if heavy:
        return heavy + serifs, False
    return serifs or list(SERIFS), True


@cache
def _faces() -> tuple[tuple[str, ...], bool]:
    families, bold = choose(installed)
    return tuple(families), bold


def faces(name: str | None = None) -> tuple[list[str], bool]:
    """:func:`choose` on this computer's fonts (asked once), after ``name`` (the font the
    DOCX names) where it is installed."""
    families, bold = _faces()
    first = [name] if name and name not in families and installed(name) else []
    return first + list(families), bold
