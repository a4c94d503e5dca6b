"""The #14 bench lines run (their figures are read in `make bench`, never asserted here)."""

from __future__ import annotations

from pathlib import Path

from perfeval_desktop.bench_start import library_5000, measure_import_xlsx, measure_library_search
from perfeval_desktop.library import LibraryEntry


def test_bench_lines_run(tmp_path: Path) -> None:
    assert measure_import_xlsx(tmp_path, repeat=1) > 0  # and it read all 300 indicators
    entries = library_5000()
    assert len(entries) == 5000 and all(isinstance(e, LibraryEntry) for e in entries)
    assert len({e.name for e in entries if isinstance(e, LibraryEntry)}) == 5000
    assert measure_library_search(repeat=1) > 0
