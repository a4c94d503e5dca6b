"""基本信息 has a 联系人 of its own (issue #10): typed by keys (an IME commit too), saved, and
printed as 联系人 under the 自评表 while the cover keeps the 填报人."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from gui_support import GD
from helpers import retype
from openpyxl import load_workbook
from PySide6.QtWidgets import QLabel

from perfeval_desktop.export import export_report
from perfeval_desktop.templates.loader import load_template
from perfeval_desktop.workspace import Workspace


def test_contact_typed_in_basic_info_prints_under_the_form(
        qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    copy = tmp_path / "广东.pfe"
    shutil.copy(GD, copy)
    window = make_window(copy)
    window.editor.setCurrentWidget(window.editor.basic)
    basic = window.editor.basic
    contact, filler = basic.edits["meta.contact"], basic.edits["meta.filler"]
    labels = [w.text() for w in basic.findChildren(QLabel)]
    assert "联系人" in labels and "填报人" in labels  # two fields, side by side
    assert (contact.text(), filler.text()) == ("潘攀", "潘挚")

    retype(qtbot, contact, "王芳1")  # 王芳 as input-method commits, 1 by key, then Enter
    assert window.ws.report.meta.contact == "王芳1"
    assert window.ws.report.meta.filler == "潘挚"  # the 填报人 untouched
    window.ws.save()

    saved = Workspace.open(copy).report
    assert (saved.meta.contact, saved.meta.filler) == ("王芳1", "潘挚")
    template = load_template(saved.meta.template_id)
    (xlsx,) = export_report(saved, template, tmp_path, formats=("xlsx",))
    values = [c.value for row in load_workbook(xlsx).active.iter_rows() for c in row
              if isinstance(c.value, str)]
    assert "联系人：王芳1" in values and not any("潘挚" in v for v in values)
