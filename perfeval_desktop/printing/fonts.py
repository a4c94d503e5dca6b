"""Which font prints each character, and the air between scripts, as LibreOffice does.

The Chinese font families with what stands in for each where it is missing (the GB/T 9704
names, then Windows', then the Linux faces), the Latin fonts' metric-compatible stand-ins,
each character's script (East Asian or Latin, as LibreOffice's i18npool tells them), and
where Word adds a fifth of an em between 汉字 and Latin letters or digits.  No Qt here.
"""

from __future__ import annotations

import unicodedata

# fonts: the GB/T 9704 names first, then what every Windows has, then the Linux faces of
# resources/fontconfig/fonts.conf (Qt matches installed families only, not fontconfig aliases)
FANGSONG = ["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", "Noto Sans CJK SC"]
SONG = ["宋体", "SimSun", "Noto Serif CJK SC", "Noto Sans CJK SC"]
HEI = ["黑体", "SimHei", "Noto Sans CJK SC"]
KAI = ["楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC", "Noto Sans CJK SC"]
# the titles (小标宋): printing/title_face.py

_CJK_FONTS: tuple[tuple[tuple[str, ...], list[str]], ...] = (
    (("仿宋", "fangsong"), FANGSONG),
    (("楷", "kaiti"), KAI),
    (("黑", "simhei", "heiti"), HEI),
    (("宋", "simsun", "song"), SONG),
)


# where the Latin fonts Word documents name are missing (Linux), LibreOffice prints with
# their metric-compatible stand-ins (fontconfig's aliases): so does the in-app renderer, or
# its figures come out wider, in the CJK font, and wrap ("60.7%" in a narrow column)
LATIN_STAND_INS = {
    "times new roman": "Liberation Serif", "arial": "Liberation Sans",
    "courier new": "Liberation Mono", "calibri": "Carlito", "cambria": "Caladea",
}


def latin_families(name: str | None) -> list[str]:
    """The Latin font ``name`` (``w:ascii``) and its metric-compatible stand-in."""
    if not name:
        return []
    stand_in = LATIN_STAND_INS.get(name.lower())
    return [name, stand_in] if stand_in else [name]


def cjk_families(name: str | None) -> list[str]:
    """The font ``name`` (a ``w:eastAsia`` font) followed by what stands in for it where it
    is missing (仿宋 → 仿宋_GB2312 … Noto Serif CJK SC)."""
    if not name:
        return list(SONG)
    low = name.lower()
    for keys, families in _CJK_FONTS:
        if any(k in low for k in keys):
            return [name] + [f for f in families if f != name]
    return [name, *SONG]


WEAK = frozenset("“”‘’")  # quotes: no spacing as a share of the em (not full width)


def _script(ch: str) -> str:
    """``asian``, ``latin`` or ``weak``, by Unicode block as LibreOffice tells them
    (i18npool's table: Basic Latin … Armenian Latin; CJK radicals … Hangul, the CJK
    compatibility and full-width forms Asian; punctuation, symbols, ≥, □ … weak)."""
    o = ord(ch)
    if (o < 0x0590 and not 0x0300 <= o < 0x0370) or 0x1E00 <= o < 0x2000:
        return "latin"
    if 0x2E80 <= o < 0xD7B0 or 0xFE30 <= o < 0xFE50 or 0xFF00 <= o < 0xFFF0 or o >= 0x20000:
        return "asian"
    return "weak"


def east_asian(text: str) -> list[bool]:
    """For each character of ``text``, whether LibreOffice prints it in the East Asian
    font: a weak one (“, ≥, □ …) takes the script of the character before it (at the
    start, of the first that has one) — "≥6800" after 汉字 prints a full-width ≥."""
    kinds = [_script(ch) for ch in text]
    prev = next((k for k in kinds if k != "weak"), "latin")
    out = []
    for kind in kinds:
        prev = prev if kind == "weak" else kind
        out.append(prev == "asian")
    return out
LEADER_SLACK_PT = 0.5  # a 目录 leader's dots end this much short of the room they fill
AIR_EM = 0.2  # LibreOffice's air between 汉字 and Latin or digits: a fifth of the font size


def _kind(ch: str) -> str:
    """``han`` (an ideograph or kana), ``latin``, ``digit`` or ``other``."""
    if ch.isascii():
        return "digit" if ch.isdigit() else "latin" if ch.isalpha() else "other"
    if unicodedata.east_asian_width(ch) in ("W", "F") and unicodedata.category(ch) == "Lo":
        return "han"
    return "other"


def autospace(text: str, latin: bool = True, digits: bool = True) -> set[int]:
    """Indexes of the characters after which Word and WPS add a little air: where 汉字
    meet Latin letters (``autoSpaceDE``) or digits (``autoSpaceDN``), either way round."""
    out: set[int] = set()
    for i in range(len(text) - 1):
        a, b = _kind(text[i]), _kind(text[i + 1])
        pair = {a, b}
        if (latin and pair == {"han", "latin"}) or (digits and pair == {"han", "digit"}):
            out.add(i)
    return out
