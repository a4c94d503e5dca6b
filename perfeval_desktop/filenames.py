"""File names the program writes: at most 255 bytes, safe on Windows (issue #13 §9).

NTFS counts UTF-16 units and ext4 bytes, both up to 255: a Chinese character is 3 bytes
in UTF-8, so every name is measured in UTF-8 bytes, the stricter of the two.  Long names
are shortened in the stem, keeping the extension.
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 255  # bytes in one path component (ext4; NTFS allows 255 UTF-16 units)
EXPORT_STEM_MAX = 200  # bytes: room for an extension and the temp-file prefix

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# bidi controls (U+202E turns “exe.docx” around on screen), zero-width and BOM
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_DEVICE = re.compile(
    r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|CLOCK\$|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE
)


def fit_bytes(text: str, limit: int) -> str:
    """``text`` cut (at a character, never inside one) to at most ``limit`` UTF-8 bytes."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def fit_name(name: str, limit: int = NAME_MAX) -> str:
    """A file name within ``limit`` bytes: the stem shortened, the extension(s) kept."""
    if len(name.encode("utf-8", "surrogatepass")) <= limit:
        return name
    stem, dot, ext = name.partition(".") if not name.startswith(".") else (name, "", "")
    tail = dot + ext
    if len(tail.encode("utf-8")) > limit // 2:
        return fit_bytes(name, limit)
    return fit_bytes(stem, limit - len(tail.encode("utf-8"))) + tail


def is_device_name(stem: str) -> bool:
    """Windows' reserved names, whatever follows the first dot: ``CON .docx``, ``COM¹.x``."""
    base = stem.split(".", 1)[0].rstrip(" ")
    return bool(_DEVICE.match(unicodedata.normalize("NFC", base)))


def safe_stem(name: str, limit: int = EXPORT_STEM_MAX) -> str:
    """A file stem Windows accepts and the clerk reads as shown: no \\ / : * ? " < > |, no
    control, bidi or zero-width characters, no trailing dots or spaces, no device name,
    at most ``limit`` bytes, not empty."""
    cleaned = _INVISIBLE.sub("", _FORBIDDEN.sub("_", name)).strip().rstrip(". ")
    cleaned = fit_bytes(cleaned, limit).rstrip(". ")
    if is_device_name(cleaned):
        cleaned = "_" + cleaned
    return cleaned or "未命名"
