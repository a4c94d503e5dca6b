"""Bench lines of issue #14 (``make bench``): importing a 300-indicator XLSX, and a search of
a 5,000-entry indicator library per keystroke."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

IMPORT_TARGET_S = 1.0
SEARCH_TARGET_MS = 16.0
KEYSTROKES = ("y", "yl", "ylj", "yljz", "满", "满意", "满意度", "产出 hgl", "zxl", "资金")


def measure_import_xlsx(folder: Path, repeat: int = 3) -> float:
    """Seconds to import the 300-indicator report's exported XLSX (median)."""
    from .bench import generate_report
    from .export import export_report
    from .importer import import_workbook
    from .templates.loader import load_template

    report = generate_report(300)
    template = load_template(report.meta.template_id)
    out = folder / "import-300"
    out.mkdir()
    (xlsx,) = export_report(report, template, out, formats=["xlsx"])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = import_workbook(Path(xlsx), template)
        times.append(time.perf_counter() - start)
    leaves = sum(len(s.children) for f in result.report.indicators for s in f.children)
    if leaves != 300:
        raise SystemExit(f"import_xlsx_300 read {leaves} of 300 indicators")
    return statistics.median(times)


def library_5000() -> list[object]:
    """5,000 entries: the built-in library's, renamed per copy (each a distinct name)."""
    from .library import load_builtin

    builtin = load_builtin()
    entries: list[object] = []
    copy = 0
    while len(entries) < 5000:
        copy += 1
        for entry in builtin:
            entries.append(entry.model_copy(update={"name": f"{entry.name}（第{len(entries)}条）",
                                                    "kind": f"{entry.kind}{copy % 7}"}))
    return entries[:5000]


def measure_library_search(repeat: int = 5) -> float:
    """The slowest keystroke's median search time over a 5,000-entry library, in ms."""
    from .library import LibraryEntry, LibraryIndex

    entries = [e for e in library_5000() if isinstance(e, LibraryEntry)]
    index = LibraryIndex(entries)
    worst = 0.0
    for query in KEYSTROKES:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            index.search(query)
            times.append(time.perf_counter() - start)
        worst = max(worst, statistics.median(times) * 1000)
    return worst
