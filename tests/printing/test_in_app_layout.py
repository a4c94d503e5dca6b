"""The in-app layout passes what every printing engine does."""

from __future__ import annotations

import pytest
from contract import EngineContract

from perfeval_desktop.printing import PrintEngine
from perfeval_desktop.printing.layout import InAppLayout


class TestInAppLayout(EngineContract):
    @pytest.fixture
    def engine(self) -> PrintEngine:
        return InAppLayout()

    def test_it_has_no_fallback(self, engine: PrintEngine) -> None:
        assert engine.fallback() is None  # its failure is said, not hidden
