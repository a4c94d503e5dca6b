"""打印预览 (Ctrl+P) of the report and each 附件, and 导出 PDF from the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, SAMPLES, FakeDialogs
from helpers import shortcut
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter

from perfeval_desktop.export import pdf as pdf_export
from perfeval_desktop.ui.print_preview import ALL, BODY, PrintPreview, paint


def _pages(dialog: PrintPreview, key: str) -> int:
    dialog.select(key)
    dialog.preview.updatePreview()
    assert dialog.preview.pageCount() == dialog.pages_painted
    return int(dialog.preview.pageCount())


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.pfe")))
def test_print_preview_of_report_and_each_annex(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, sample: str
) -> None:
    window = make_window(SAMPLES / sample)
    shortcut(window, "Ctrl+P")
    [dialog] = dialogs.previews
    assert isinstance(dialog, PrintPreview)
    qtbot.addWidget(dialog)
    whole = _pages(dialog, ALL)
    body = _pages(dialog, BODY)
    keys = [dialog.choice.itemData(i) for i in range(2, dialog.choice.count())]
    # 附件 forms are offered one by one (the 第三方 family prints its tables in the 正文)
    assert keys or sample.startswith("third_party")
    annexes = [_pages(dialog, key) for key in keys]
    assert whole > 0 and body > 0 and all(n > 0 for n in annexes)
    assert whole == body + sum(annexes)  # the whole report is the 正文 then each 附件
    dialog.close()


def test_annex_alone_prints_in_its_own_orientation(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs
) -> None:
    window = make_window(GD)
    window.actions_by_name["print_preview"].trigger()
    dialog = dialogs.previews[0]
    qtbot.addWidget(dialog)
    key = dialog.choice.itemData(2)
    grid = next(p.grid for p in dialog.plan.available if p.key == key)
    assert grid.orientation == "landscape"
    _pages(dialog, key)
    assert dialog.printer().pageLayout().orientation() == QPageLayout.Orientation.Landscape
    _pages(dialog, ALL)  # text and forms together: portrait paper, the form turned on it
    assert dialog.printer().pageLayout().orientation() == QPageLayout.Orientation.Portrait
    dialog.close()


def test_preview_follows_the_edits(qtbot: Any, make_window: Any, dialogs: FakeDialogs) -> None:
    window = make_window(GD)
    window.ws.set_field("sections.advice", "建议。" * 3000)  # several pages more
    window.actions_by_name["print_preview"].trigger()
    dialog = dialogs.previews[0]
    qtbot.addWidget(dialog)
    assert "建议。建议。" in "".join(s.text for s in dialog.content.sections)
    assert _pages(dialog, BODY) > 7
    dialog.close()


def test_paint_on_a_pdf_printer_matches_the_preview(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    window = make_window(GD)
    window.actions_by_name["print_preview"].trigger()
    dialog = dialogs.previews[0]
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    assert paint(dialog.content, printer) == _pages(dialog, ALL)
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    dialog.close()


def test_export_pdf_from_the_window(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf_export, "find_soffice", lambda: None)  # Qt prints it: fast
    window = make_window(GD)
    dialogs.export = (tmp_path, ["pdf"])
    window.actions_by_name["export"].trigger()
    assert not dialogs.errors
    [pdf] = list(tmp_path.glob("*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert dialogs.infos[-1][0] == "导出完成"


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
    assert len(dialogs.errors) == 1
    message = dialogs.errors[0]
    for word in ("forms.xlsx", "项目支出绩效自评表", "C5", "{{ 项目名 }}", "项目名称"):
        assert word in message, (word, message)
    assert list(out.iterdir()) == []
    shortcut(window, "Ctrl+P")
    assert len(dialogs.errors) == 2 and "C5" in dialogs.errors[1] and not dialogs.previews
    assert window.ws.report.model_dump() == before and not window.ws.dirty
