"""Searching the library as the clerk types: name, pinyin initials (``zxl`` → 执行率) or
category.  The index keeps one lower-case text per entry, built once; a search is a plain
scan over those texts (5,000 entries in a few milliseconds, see ``bench.py``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .model import LibraryEntry

_HAN = re.compile(r"[\u4e00-\u9fff]")
_KEEP = re.compile(r"[0-9a-z\u4e00-\u9fff]")


def _flat(text: str) -> str:
    return "".join(_KEEP.findall(unicodedata.normalize("NFKC", text).lower()))


def initials(text: str) -> str:
    """The pinyin initials of the Chinese characters (``执行率`` → ``zxl``); other letters
    and digits kept, punctuation dropped.  pypinyin's phrase table reads 率 in 执行率 as lǜ."""
    if not _HAN.search(text):
        return _flat(text)
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(unicodedata.normalize("NFKC", text), style=Style.FIRST_LETTER,
                        errors="default")
    return _flat("".join(parts))


class LibraryIndex:
    """Entries with their search texts; :meth:`search` answers a query."""

    def __init__(self, entries: Iterable[LibraryEntry]) -> None:
        self.entries: list[LibraryEntry] = []
        self._names: list[str] = []
        self._initials: list[str] = []
        self._context: list[str] = []
        self._cache: dict[str, str] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: LibraryEntry) -> None:
        self.entries.append(entry)
        self._names.append(_flat(entry.name))
        cached = self._cache.get(entry.name)
        if cached is None:
            cached = self._cache[entry.name] = initials(entry.name)
        self._initials.append(cached)
        self._context.append(_flat(f"{entry.kind} {entry.l1} {entry.l2}"))

    @property
    def kinds(self) -> list[str]:
        return sorted({e.kind for e in self.entries if e.kind})

    def search(self, query: str, kind: str = "", limit: int = 200) -> list[LibraryEntry]:
        """Entries whose name, pinyin initials or category/一级/二级 contain every word of
        ``query``; names first, then initials, then category matches."""
        words = [_flat(w) for w in query.split() if _flat(w)]
        ranked: list[tuple[int, int]] = []
        for i, entry in enumerate(self.entries):
            if kind and entry.kind != kind:
                continue
            rank = self._rank(i, words)
            if rank is not None:
                ranked.append((rank, i))
        ranked.sort()
        return [self.entries[i] for _rank, i in ranked[:limit]]

    def _rank(self, i: int, words: list[str]) -> int | None:
        worst = 0
        name, letters, context = self._names[i], self._initials[i], self._context[i]
        for word in words:
            if word in name:
                rank = 0 if name.startswith(word) else 1
            elif word in letters:
                rank = 2 if letters.startswith(word) else 3
            elif word in context:
                rank = 4
            else:
                return None
            worst = max(worst, rank)
        return worst
