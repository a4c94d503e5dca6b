"""填报日期 typed as clerks write it; the calendar opens at the date, today when none."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from helpers import retype
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QTableView

from perfeval_desktop.ui.fields import DateEdit


def _date(window: Any) -> DateEdit:
    window.editor.setCurrentWidget(window.editor.basic)
    widget = window.editor.registry.widgets["meta.fill_date"]
    assert isinstance(widget, DateEdit)
    return widget


@pytest.mark.parametrize("typed", ["2025-03-15", "2025.3.15", "2025年3月15日", "20250315"])
def test_typed_dates(qtbot: Any, make_window: Any, typed: str) -> None:
    window = make_window()
    edit = _date(window)
    retype(qtbot, edit, typed)
    assert window.ws.report.meta.fill_date == dt.date(2025, 3, 15)
    assert edit.text() == "2025年3月15日"
    assert window.ws.undo_label == "修改“填报日期”"


def test_bad_date_is_refused_named_and_old_kept(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    edit = _date(window)
    old = window.ws.report.meta.fill_date
    retype(qtbot, edit, "2025-02-30")
    assert window.ws.report.meta.fill_date == old
    message = window.editor.basic.message
    assert message.isVisible() and "填报日期" in message.text() and "2025-03-15" in message.text()
    retype(qtbot, edit, "")  # emptied: not filled in
    assert window.ws.report.meta.fill_date is None and not message.isVisible()


def test_calendar_opens_at_today_when_empty_and_picks(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    edit = _date(window)
    retype(qtbot, edit, "")
    edit.calendar_action.trigger()
    calendar = edit.calendar
    assert calendar is not None and calendar.isVisible()
    assert calendar.selectedDate() == QDate.currentDate()
    days = calendar.findChild(QTableView)
    assert days is not None
    qtbot.keyClick(days, Qt.Key.Key_Right)  # the next day, picked with Enter
    qtbot.keyClick(days, Qt.Key.Key_Return)
    picked = QDate.currentDate().addDays(1)
    assert window.ws.report.meta.fill_date == dt.date(picked.year(), picked.month(), picked.day())
    assert edit.text() == f"{picked.year()}年{picked.month()}月{picked.day()}日"
    assert edit.calendar is None
    edit.calendar_action.trigger()
    assert edit.calendar is not None and edit.calendar.selectedDate() == picked
    edit.calendar.close()
