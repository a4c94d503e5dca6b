"""指标库: indicators to insert into a report, searched by name, pinyin initials or category.

Two parts: the built-in library (``resources/library/indicators.yaml``, every entry taken
from a published document named in its ``source``) and the clerk's own library, plain JSON
files in the user data folder: ``library/own.json`` (saved with 保存到指标库, or imported
from a bureau's file) and ``library/from_reports.json`` (the indicators of the reports the
clerk opened, offered as well).  :func:`export_library` / :func:`import_library` move the
clerk's library as one file.
"""

from __future__ import annotations

from .model import LibraryEntry, entry_from_node, node_from_entry
from .search import LibraryIndex, initials
from .store import (
    BUILTIN,
    Library,
    export_library,
    import_library,
    load_builtin,
    load_library,
    remember_report,
    save_own,
)

__all__ = [
    "BUILTIN",
    "Library",
    "LibraryEntry",
    "LibraryIndex",
    "entry_from_node",
    "export_library",
    "import_library",
    "initials",
    "load_builtin",
    "load_library",
    "node_from_entry",
    "remember_report",
    "save_own",
]
