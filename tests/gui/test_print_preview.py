"""打印预览 (Ctrl+P) of the report and each 附件: the pages of the exported PDF; 导出 PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from gui_support import GD, SAMPLES, FakeDialogs
from helpers import shortcut, wait_task
from PySide6.QtGui import QImage, QPageLayout, QTransform
from PySide6.QtPrintSupport import QPrinter

from perfeval_desktop.export import export_report
from perfeval_desktop.printing import libreoffice as pdf_export
from perfeval_desktop.ui.print_preview import ALL, BODY, PdfPages, PrintPreview, paint


@pytest.fixture
def in_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """No LibreOffice: the in-app renderer makes the PDF (fast)."""
    monkeypatch.setattr(pdf_export, "find_soffice", lambda: None)


def _pages(dialog: PrintPreview, key: str, qtbot: Any) -> int:
    dialog.select(key)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)  # made in a worker
    assert dialog.shown == key
    dialog.preview.updatePreview()
    assert dialog.preview.pageCount() == dialog.pages_painted == len(dialog.pages)
    return int(dialog.preview.pageCount())


def _open(window: Any, dialogs: FakeDialogs, qtbot: Any) -> PrintPreview:
    shortcut(window, "Ctrl+P")
    wait_task(qtbot, window)
    [dialog] = dialogs.previews
    assert isinstance(dialog, PrintPreview)
    qtbot.addWidget(dialog)
    return dialog


def _grey(path: Path, dpi: float) -> list[QImage]:
    """Every page of a PDF as a small grey image (pypdfium2, as the preview draws it)."""
    pages = PdfPages(path)
    try:
        return [pages.image(i, dpi) for i in range(len(pages))]
    finally:
        pages.close()


def _differ(a: QImage, b: QImage) -> float:
    """How far two page images differ: the mean grey difference (0 … 255) of the pages
    smoothed down to 100 pixels wide (a shifted row or column of a table shows; the
    antialiasing of a raster printed again does not)."""
    from PySide6.QtCore import Qt

    height = round(100 * b.height() / b.width())

    def small(image: QImage) -> bytes:
        smooth = image.scaled(100, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        flat = smooth.convertToFormat(QImage.Format.Format_Grayscale8)
        return b"".join(bytes(flat.constScanLine(y))[: flat.width()]
                        for y in range(flat.height()))

    assert abs(a.width() - b.width()) <= 1 and abs(a.height() - b.height()) <= 1
    pa, pb = small(a), small(b)
    return sum(abs(x - y) for x, y in zip(pa, pb, strict=True)) / len(pa)


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.pfe")))
def test_print_preview_of_report_and_each_annex(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, sample: str, in_app: None
) -> None:
    window = make_window(SAMPLES / sample)
    dialog = _open(window, dialogs, qtbot)
    assert dialog.engine == "qt"
    whole = _pages(dialog, ALL, qtbot)
    body = _pages(dialog, BODY, qtbot)
    keys = [dialog.choice.itemData(i) for i in range(2, dialog.choice.count())]
    # 附件 forms are offered one by one (the 第三方 report and 四川's 附件4 print their
    # tables in the 正文)
    assert keys or sample.startswith(("third_party", "sc_"))
    annexes = [_pages(dialog, key, qtbot) for key in keys]
    assert whole > 0 and body > 0 and all(n > 0 for n in annexes)
    assert whole >= body and whole >= max(annexes, default=0)
    dialog.close()
    assert not dialog.folder.path.exists()  # its PDFs removed


def test_annex_alone_prints_in_its_own_orientation(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, in_app: None
) -> None:
    dialog = _open(make_window(GD), dialogs, qtbot)
    key = dialog.choice.itemData(2)
    grid = next(p.grid for p in dialog.plan.available if p.key == key)
    assert grid.orientation == "landscape"
    _pages(dialog, key, qtbot)
    assert dialog.printer().pageLayout().orientation() == QPageLayout.Orientation.Landscape
    _pages(dialog, ALL, qtbot)  # text and forms together: portrait paper, the form turned on it
    assert dialog.printer().pageLayout().orientation() == QPageLayout.Orientation.Portrait
    dialog.close()


def test_preview_follows_the_edits(qtbot: Any, make_window: Any, dialogs: FakeDialogs,
                                   in_app: None) -> None:
    window = make_window(GD)
    plain = _open(window, dialogs, qtbot)
    before = _pages(plain, BODY, qtbot)
    plain.close()
    window.ws.set_field("sections.advice", "建议。" * 3000)  # several pages more
    dialogs.previews.clear()
    dialog = _open(window, dialogs, qtbot)
    assert _pages(dialog, BODY, qtbot) > before + 5
    dialog.close()


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(pdf_export.find_soffice() is None, reason="LibreOffice not installed")
def test_preview_and_paper_are_the_exported_pdf(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    """One print path: the preview shows the pages of the PDF the export writes (here
    LibreOffice's), and printing from it sends those pages: the paper (a PDF printer)
    looks like the export, page by page, the 自评表 turned on portrait paper."""
    window = make_window(GD)
    (exported,) = export_report(window.ws.report, window.ws.template, tmp_path, ["pdf"])
    dialog = _open(window, dialogs, qtbot)
    assert dialog.engine == "libreoffice"
    assert _pages(dialog, ALL, qtbot) == len(pdfium.PdfDocument(str(exported)))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "paper.pdf"))
    printer.setResolution(150)
    assert paint(dialog.pages, printer) == dialog.preview.pageCount()
    paper, export = _grey(tmp_path / "paper.pdf", 150), _grey(exported, 150)
    assert len(paper) == len(export)
    for i, (a, b) in enumerate(zip(paper, export, strict=True)):
        if b.width() > b.height():  # a landscape page: turned on the portrait paper
            a = a.transformed(QTransform().rotate(90))
        assert _differ(a, b) < 2.0, f"page {i + 1}"  # the page shifted 2 mm: over 3.8
    assert "LibreOffice" in subprocess.run(["pdfinfo", str(exported)], capture_output=True,
                                           text=True, check=True).stdout
    dialog.close()


def test_export_pdf_from_the_window(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf_export, "find_soffice", lambda: None)  # Qt prints it: fast
    window = make_window(GD)
    dialogs.export = (tmp_path, ["pdf"])
    window.actions_by_name["export"].trigger()
    wait_task(qtbot, window)
    assert not dialogs.errors
    [pdf] = list(tmp_path.glob("*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert dialogs.exported == [[pdf]]  # 导出完成 lists it, to open


def test_export_dialog_offers_pdf(qtbot: Any, make_window: Any) -> None:
    from PySide6.QtWidgets import QCheckBox

    from perfeval_desktop.export import FORMATS
    from perfeval_desktop.ui.export_dialog import ExportDialog

    dialog = ExportDialog(list(FORMATS), Path.home(), [])
    qtbot.addWidget(dialog)
    box = dialog.findChild(QCheckBox, "format_pdf")
    assert box is not None and "PDF" in box.text()
    box.setChecked(True)
    assert "pdf" in dialog.choice()[1]


def test_a_broken_form_template_is_explained_and_nothing_is_lost(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path,
) -> None:
    """A bureau's forms.xlsx with a misspelt placeholder: 导出 and 打印预览 say which file,
    sheet, cell and placeholder; no file is written and the report is untouched."""
    import shutil

    from openpyxl import load_workbook

    from perfeval_desktop import paths

    user = paths.user_templates_dir() / "mof_self_eval_gd"
    shutil.copytree(SAMPLES.parent.parent / "templates" / "mof_self_eval_gd", user)
    wb = load_workbook(user / "forms.xlsx")
    wb["项目支出绩效自评表"]["C5"].value = "{{ 项目名 }}"
    wb.save(user / "forms.xlsx")

    window = make_window(GD)
    before = window.ws.report.model_dump()
    out = tmp_path / "out"
    out.mkdir()
    dialogs.export = (out, ["docx", "xlsx"])
    window.actions_by_name["export"].trigger()
    wait_task(qtbot, window)
    assert len(dialogs.errors) == 1
    message = dialogs.errors[0]
    for word in ("forms.xlsx", "项目支出绩效自评表", "C5", "{{ 项目名 }}", "项目名称"):
        assert word in message, (word, message)
    assert list(out.iterdir()) == []
    shortcut(window, "Ctrl+P")
    wait_task(qtbot, window)
    assert len(dialogs.errors) == 2 and "C5" in dialogs.errors[1] and not dialogs.previews
    assert window.ws.report.model_dump() == before and not window.ws.dirty
