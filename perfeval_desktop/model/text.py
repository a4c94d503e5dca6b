"""Text as a report may hold it: no control characters (issue #13 §4).

Text pasted from other programs brings ``\\x07``, ``\\x0b``, ``\\x00``…, which Word and Excel
files cannot hold (openpyxl refuses them, Word reports the file damaged), and lone
surrogates, which UTF-8 cannot encode (saving would fail); bidi overrides turn text around
on the printed page.  :func:`clean_text` keeps tab, newline and carriage return, turns
vertical tab and form feed (Word's line and page breaks) into a newline and drops the rest.
It drops the WORD JOINER (U+2060) too: the exported DOCX keeps numbers with their units by
it (``export/nobreak.py``), and text copied out of it and pasted back must not bring it in.
It runs on typing and paste (the workspace's field edits) and on load (``storage/pfe.py``,
which names the fields).
"""

from __future__ import annotations

import re
from typing import Any

WORD_JOINER = "\u2060"  # no width, no line break either side (UAX #14 class WJ)
_BREAKS = re.compile("[\x0b\x0c]")
# C0/C1 controls, bidi overrides and isolates (U+202E shows “资金救助” as “助救金资”),
# the word joiner, lone surrogates and the two non-characters
_ANY = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2060\u2066-\u2069\ud800-\udfff"
    "\ufffe\uffff]"
)
# what json.loads turns into such a character: \b \f or a \u escape of one
_JSON_ESCAPE = re.compile(
    r"\\[bf]|\\u00[01][0-9a-f]|\\u00[89][0-9a-f]|\\u007f|\\u202[a-e]|\\u2060|\\u206[6-9]|\\ud[89a-f]"
    r"|\\ufff[ef]",
    re.IGNORECASE,
)
# one search for any of \b \f \u: 5× faster than three substring tests on a big file
_ESCAPE_START = re.compile(r"\\[bfu]")


def clean_text(text: str) -> str:
    """``text`` without control characters; line breaks become ``\\n``, tabs stay."""
    if not _ANY.search(text):
        return text
    return _ANY.sub("", _BREAKS.sub("\n", text))


def clean_value(value: Any) -> Any:
    """:func:`clean_text` on a string; anything else unchanged."""
    return clean_text(value) if isinstance(value, str) else value


def may_hold_control(json_text: str) -> bool:
    """False when the JSON text surely decodes to no control character (the fast path)."""
    if _ANY.search(json_text):
        return True
    if not _ESCAPE_START.search(json_text):
        return False  # no escape at all: spares the regex on a big file
    return bool(_JSON_ESCAPE.search(json_text))


def clean_tree(data: Any, loc: tuple[int | str, ...] = ()) -> list[tuple[int | str, ...]]:
    """Clean every string inside decoded JSON in place; return where something was removed."""
    found: list[tuple[int | str, ...]] = []
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(data, loc)]
    while stack:
        item, where = stack.pop()
        keys: Any = item.keys() if isinstance(item, dict) else range(len(item))
        for key in list(keys):
            value = item[key]
            if isinstance(value, str):
                cleaned = clean_text(value)
                if cleaned != value:
                    item[key] = cleaned
                    found.append((*where, key))
            elif isinstance(value, (dict, list)):
                stack.append((value, (*where, key)))
    return found
