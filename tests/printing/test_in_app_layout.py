"""The in-app layout passes what every printing engine does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from contract import EngineContract, pages, write_document

from perfeval_desktop.printing import Cancelled, PrintEngine, layout
from perfeval_desktop.printing.layout import InAppLayout


class TestInAppLayout(EngineContract):
    ENGINE = "qt"

    @pytest.fixture
    def engine(self) -> PrintEngine:
        return InAppLayout()

    def test_it_has_no_fallback(self, engine: PrintEngine) -> None:
        assert engine.fallback() is None  # its failure is said, not hidden


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pages the in-app layout draws, counted as it draws them."""
    count: list[int] = []
    draw = layout._draw_page

    def counted(*args: Any) -> Any:
        count.append(1)
        return draw(*args)

    monkeypatch.setattr(layout, "_draw_page", counted)
    return count


def test_cancel_takes_effect_between_pages(tmp_path: Path, drawn: list[int]) -> None:
    """取消 while pages are drawn: the next page is not, and the pages drawn so far are not
    left behind as a PDF."""
    source = tmp_path / "document.docx"
    write_document(source)
    whole = tmp_path / "whole.pdf"
    InAppLayout().print_docx(source, whole)
    assert len(drawn) == len(pages(whole)) == 3
    drawn.clear()
    target = tmp_path / "out.pdf"
    with pytest.raises(Cancelled):
        InAppLayout().print_docx(source, target, stop=lambda: len(drawn) >= 1)
    assert len(drawn) == 1 and not target.exists()


def test_cancel_takes_effect_between_sections(tmp_path: Path, drawn: list[int]) -> None:
    """取消 while the sections are laid out (before any page is drawn): no PDF."""
    source = tmp_path / "document.docx"
    write_document(source)  # two sections
    asked: list[int] = []

    def stop() -> bool:  # asked at the start, then before each section: the second says stop
        asked.append(1)
        return len(asked) == 3

    target = tmp_path / "out.pdf"
    with pytest.raises(Cancelled):
        InAppLayout().print_docx(source, target, stop=stop)
    assert len(asked) == 3 and drawn == [] and not target.exists()
