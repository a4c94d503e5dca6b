"""The in-app PDF's ToUnicode maps put back to the report's ideographs
(perfeval_desktop/printing/tounicode.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from perfeval_desktop.printing import tounicode
from perfeval_desktop.printing.layout import InAppLayout


def test_remap_rewrites_destinations_only_and_keeps_the_length() -> None:
    cmap = (b"2 beginbfrange\n<0000> <0000> <0000>\n<0001> <0004> [<2FA6> <4E00> <2ED4> "
            b"<D840DC00>]\n<2FA6> <2FA6> [<2F00>]\nendbfrange\n")
    new = tounicode.remap(cmap, {0x2FA6: 0x91D1, 0x2ED4: 0x95E8, 0x2F00: 0x4E00})
    assert len(new) == len(cmap)
    assert b"[<91D1> <4E00> <95E8> <D840DC00>]" in new
    assert b"<2FA6> <2FA6> [<4E00>]" in new  # the source codes are left as they are
    # an ideograph beyond the BMP would need a longer code: the radical stays
    assert tounicode.remap(b"[<2FA6>]", {0x2FA6: 0x20000}) == b"[<2FA6>]"


@pytest.fixture
def serif() -> object:
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    from perfeval_desktop.printing.layout import _qt_app

    _qt_app()
    if not QFontDatabase.styles("Noto Serif CJK SC"):
        pytest.skip("fonts-noto-cjk needed")
    return QRawFont.fromFont(QFont(["Noto Serif CJK SC"]))


def test_radicals_map_to_the_texts_ideograph_of_the_same_glyph(serif: object) -> None:
    mapping = tounicode.ideographs([serif], "资金户门一人")
    assert mapping[0x2FA6] == ord("金")  # ⾦ KANGXI RADICAL GOLD
    assert mapping[0x2ED4] == ord("门")  # ⻔ CJK RADICAL C-SIMPLIFIED GATE (no NFKC form)
    assert mapping[0x2F3E] == ord("户")  # ⼾: NFKC says 戶, the SC font draws 户
    assert mapping[0x2F00] == ord("一") and mapping[0x2F08] == ord("人")
    # only ideographs of the text: 戶 is not in it, nor anything ⾨ could stand for
    assert ord("戶") not in mapping.values() and 0x2FA8 not in mapping


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils needed")
def test_in_app_pdf_stays_whole_after_the_maps_are_rewritten(tmp_path: Path) -> None:
    """Every object the cross-reference table points at is where it says (the maps were
    rewritten in place), and the text reads as typed."""
    import subprocess

    from docx import Document

    doc = Document()
    doc.add_paragraph("医疗救助资金一人一门户")
    source, target = tmp_path / "in.docx", tmp_path / "out.pdf"
    doc.save(str(source))
    InAppLayout().print_docx(source, target)
    data = target.read_bytes()
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    assert data[start:start + 4] == b"xref"
    first, count = map(int, re.match(rb"xref\s+(\d+)\s+(\d+)\s+", data[start:]).groups())
    offsets = re.findall(rb"(\d{10}) \d{5} n", data[start:])
    assert len(offsets) == count - 1 and first == 0
    for number, offset in enumerate(offsets, start=1):
        assert data[int(offset):].startswith(b"%d 0 obj" % number)
    text = subprocess.run(["pdftotext", str(target), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    assert "医疗救助资金一人一门户" in text
