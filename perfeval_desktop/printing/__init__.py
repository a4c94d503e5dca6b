"""Printing: a DOCX to the PDF that is previewed, printed and exported, by one engine.

The engine is chosen once, at start (:func:`choose`; the first print chooses where nothing
did): :class:`~.libreoffice.LibreOffice` where it is installed, else the in-app layout
(:class:`~.layout.InAppLayout`).  Both print the same DOCX — the report's, or for the 附件
alone the forms' own — so the preview shows, and the printer gets, the pages of one PDF.
A LibreOffice that fails on a document leaves it to the in-app layout (its ``fallback``).

This package and ``ui/`` are the only users of Qt (QtGui here, no widgets);
tests/test_qt_boundary.py scans the source for it.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import ExportError
from . import libreoffice
from .engine import Cancelled, PrintEngine, StopAsked
from .libreoffice import LibreOffice

__all__ = [
    "ENGINES",
    "Cancelled",
    "PrintEngine",
    "StopAsked",
    "choose",
    "chosen",
    "engine_named",
    "write_pdf",
]

log = logging.getLogger(__name__)

ENGINES = ("libreoffice", "qt")

_chosen: PrintEngine | None = None


def engine_named(name: str | None = None) -> PrintEngine:
    """The engine ``name`` (one of :data:`ENGINES`), or with None the best one here:
    LibreOffice when installed, else the in-app layout."""
    if name not in (None, *ENGINES):
        raise ValueError(f"unknown printing engine {name!r}")
    program = libreoffice.find_soffice() if name in (None, "libreoffice") else None
    if program:
        return LibreOffice(program)
    if name == "libreoffice":
        raise ExportError("没有找到 LibreOffice：请安装 LibreOffice，或改用程序内排版打印。")
    from .layout import InAppLayout  # it imports export/, which imports this package

    return InAppLayout()


def choose(name: str | None = None) -> PrintEngine:
    """Choose the engine every later print uses (see :func:`engine_named`)."""
    global _chosen
    _chosen = engine_named(name)
    log.info("printing with %s", _chosen.name)
    return _chosen


def chosen() -> PrintEngine:
    """The engine chosen at start; the first call chooses where nothing did."""
    return _chosen if _chosen is not None else choose()


def write_pdf(target: Path, source: Callable[[Path], None], title: str = "",
              engine: PrintEngine | None = None, stop: StopAsked | None = None) -> str:
    """Write the PDF ``target`` of the DOCX that ``source`` writes; return the name of the
    engine that printed it (:func:`chosen`'s, or ``engine``'s)."""
    printer = engine or chosen()
    with tempfile.TemporaryDirectory(prefix="perfeval-src-") as tmp:
        src = Path(tmp) / "document.docx"
        source(src)
        try:
            printer.print_docx(src, target, title, stop)
        except ExportError as exc:  # not Cancelled: that is no failure
            fallback = printer.fallback()
            if fallback is None:
                raise
            log.warning("%s failed, printing with %s: %s", printer.name, fallback.name, exc)
            fallback.print_docx(src, target, title, stop)
            return fallback.name
    return printer.name
