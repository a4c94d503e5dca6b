"""The in-app help of the placeholders is the vocabulary's (the README's table comes from
the same place): a line under each section's guidance whose tooltip lists every name the
narrative can use, and the designer's layout buttons listing the names of forms.xlsx and
report.docx."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from gui_support import GD
from helpers import type_text
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolTip

from perfeval_desktop.export import export_report
from perfeval_desktop.templates.vocabulary import Use, help_lines, names
from perfeval_desktop.ui.placeholder_help import placeholder_tooltip


def _lines(tooltip: str) -> list[str]:
    """The tooltip's rich text as the lines it shows."""
    body = tooltip.removeprefix("<qt>").removesuffix("</qt>")
    return [html.unescape(re.sub(r"<[^>]+>", "", part)) for part in body.split("<br>")]


def test_each_section_lists_the_narratives_names_on_hover(qtbot: Any, make_window: Any) -> None:
    window = make_window(GD)
    window.editor.build_all()
    hints = [h for tab in window.editor.sections for h in tab.findChildren(QLabel)
             if h.objectName().startswith("placeholders.")]
    assert len(hints) == sum(len(tab.editors) for tab in window.editor.sections) > 0
    for hint in hints:
        assert hint.toolTip() == placeholder_tooltip(Use.NARRATIVE)
    shown = _lines(hints[0].toolTip())
    assert shown[1:] == help_lines(Use.NARRATIVE)
    assert all(f"{n.shown}：" in "\n".join(shown) for n in names(Use.NARRATIVE))

    tab = window.editor.sections[0]
    window.editor.setCurrentWidget(tab)
    hint = next(h for h in tab.findChildren(QLabel) if h.objectName().startswith("placeholders."))
    tab.ensureWidgetVisible(hint)
    qtbot.mouseMove(hint, QPoint(20, 8))
    QApplication.sendEvent(hint, _help_event(hint))
    qtbot.waitUntil(QToolTip.isVisible, timeout=3000)
    assert _lines(QToolTip.text())[1:] == help_lines(Use.NARRATIVE)
    QToolTip.hideText()


def _help_event(widget: Any) -> Any:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent

    pos = QPoint(20, 8)
    return QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos))


def test_a_name_from_the_help_typed_in_a_section_prints_its_value(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    """{{ 地区 }} and {{ 填报人 }} are in the narrative's help: typed, they print the values
    the forms print (they were left as typed before the vocabulary was one)."""
    from docx import Document

    window = make_window(GD)
    tab = window.editor.sections[0]
    window.editor.setCurrentWidget(tab)
    edit = tab.editors[0].edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    type_text(qtbot, edit, "本项目由{{ 地区 }}{{ 填报人 }}填报。")
    report = window.ws.report
    assert "{{ 地区 }}" in report.sections[tab.editors[0].section.id]
    (docx,) = export_report(report, window.ws.template, tmp_path, formats=("docx",))
    text = "".join(p.text for p in Document(str(docx)).paragraphs)
    assert f"本项目由{report.meta.region}{report.meta.filler}填报。" in text
    assert report.meta.region and report.meta.filler


def test_the_designer_buttons_list_the_names_of_their_files(qtbot: Any, make_window: Any) -> None:
    window = make_window(GD)
    window.actions_by_name["designer"].trigger()
    tool = window._tool_windows["designer"]
    qtbot.addWidget(tool)
    forms = _lines(tool.forms_button.toolTip())
    assert forms[0].endswith("forms.xlsx。") and forms[3:] == help_lines(Use.FORMS)
    report = _lines(tool.docx_button.toolTip())
    assert report[0].endswith("report.docx。") and report[3:] == help_lines(Use.REPORT)
