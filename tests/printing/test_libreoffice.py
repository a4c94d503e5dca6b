"""LibreOffice passes what every printing engine does; 取消 ends its conversion at once."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from contract import EngineContract
from printing_support import gone, hanging_soffice

from perfeval_desktop.printing import Cancelled, PrintEngine
from perfeval_desktop.printing import libreoffice as lo
from perfeval_desktop.printing.layout import InAppLayout

posix_only = pytest.mark.skipif(sys.platform == "win32",
                                reason="a POSIX shell script stands in for soffice")


@pytest.mark.skipif(lo.find_soffice() is None, reason="LibreOffice not installed")
class TestLibreOffice(EngineContract):
    ENGINE = "libreoffice"

    @pytest.fixture
    def engine(self) -> PrintEngine:
        program = lo.find_soffice()
        assert program is not None
        return lo.LibreOffice(program)

    def test_its_fallback_is_the_in_app_layout(self, engine: PrintEngine) -> None:
        assert isinstance(engine.fallback(), InAppLayout)


@posix_only
def test_stop_kills_the_conversion_and_what_it_started(tmp_path: Path) -> None:
    program, pidfile = hanging_soffice(tmp_path)
    source, target = tmp_path / "a.docx", tmp_path / "a.pdf"
    source.write_bytes(b"x")
    asked = time.monotonic() + 0.5  # 取消 pressed half a second into the conversion
    start = time.monotonic()
    with pytest.raises(Cancelled):
        lo.LibreOffice(program).print_docx(source, target,
                                           stop=lambda: time.monotonic() > asked)
    assert time.monotonic() - start < 0.5 + 5 * lo.POLL_S + 5  # not the 180 s timeout
    assert gone(int(pidfile.read_text().strip()))
    assert not target.exists()
    # the next conversion is not held up by the killed one
    pidfile.unlink()
    asked = time.monotonic() + 0.2
    with pytest.raises(Cancelled):
        lo.libreoffice_to_pdf(source, target, program, stop=lambda: time.monotonic() > asked)
