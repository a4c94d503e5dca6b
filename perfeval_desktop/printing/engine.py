"""The one interface every printing engine has: a DOCX in, a PDF out.

An engine is a class (:class:`~.libreoffice.LibreOffice`, :class:`~.layout.InAppLayout`);
:func:`perfeval_desktop.printing.choose` picks one at start.  tests/printing/contract.py is
the test class every engine passes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from ..errors import PerfevalError

StopAsked = Callable[[], bool]
"""Asked while an engine works: True once the clerk pressed 取消."""


class Cancelled(PerfevalError):
    """The printing stopped because 取消 was pressed; no PDF was written."""

    def __init__(self) -> None:
        super().__init__("已取消生成 PDF。")


class PrintEngine(ABC):
    """Prints the DOCX ``source`` to the PDF ``target``.

    ``print_docx`` raises :class:`~perfeval_desktop.errors.ExportError` (a Chinese message
    naming the fix) when it cannot, and :class:`Cancelled` when ``stop()`` turned True;
    either way ``target`` is not written.
    """

    name: ClassVar[str]  # "libreoffice", "qt": what write_pdf returns, in logs and tests
    label: ClassVar[str]  # what the clerk reads (self-test, export messages)

    @abstractmethod
    def print_docx(self, source: Path, target: Path, title: str = "",
                   stop: StopAsked | None = None) -> None:
        """Write the PDF ``target`` of the DOCX ``source``; ``title`` is the PDF's title
        where the engine sets one."""

    def fallback(self) -> PrintEngine | None:
        """The engine that takes over when this one fails (not when cancelled)."""
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
