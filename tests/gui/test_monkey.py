"""A monkey: 2,000 random edits on the real widgets, no exception, a report that still holds.

Keys typed into random fields and cells (good and bad numbers, Chinese through the input
method), clicks on the indicator tools and the table buttons, method changes, explanations
in the checks dock, undo/redo, saves, tab switches — with a fixed seed, so that a failure
can be replayed.  Any exception anywhere (a slot, a model method, a paint) fails the test.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import shiboken6
from gui_support import GD, FakeDialogs
from helpers import type_in_cell, type_text
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QToolBar

from perfeval_desktop.model.report import Report
from perfeval_desktop.storage import pfe
from perfeval_desktop.ui.indicator_model import (
    COL_ACTUAL,
    COL_NAME,
    COL_REASON,
    COL_SCORE,
    COL_TARGET,
    COL_WEIGHT,
)

SEED = int(os.environ.get("MONKEY_SEED", "20240504"))
ACTIONS = 2000
PIECES = ["1", "2", "5", "0", "9", ".", ",", "%", "万", "元", " ", "-", "１２", "abc", "测试", "x"]


def _text(rng: random.Random, most: int = 4) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, most)))


def _alive(widget: Any) -> bool:
    return widget is not None and shiboken6.isValid(widget)


class Monkey:
    def __init__(self, qtbot: Any, window: Any, dialogs: FakeDialogs, folder: Path) -> None:
        self.qtbot, self.window, self.dialogs = qtbot, window, dialogs
        self.rng = random.Random(SEED)
        self.folder = folder
        self.counts: dict[str, int] = {}

    @property
    def editor(self) -> Any:
        editor = self.window.editor
        editor.build_all()  # tabs are built when first shown: give the monkey every field
        return editor

    def run(self, n: int) -> None:
        actions = [
            (self.type_in_field, 30),
            (self.edit_tree_cell, 14),
            (self.tree_tool, 16),
            (self.undo_redo, 14),
            (self.table_rows, 8),
            (self.change_method, 6),
            (self.explain, 3),
            (self.switch_tab, 6),
            (self.save, 1),
        ]
        funcs, weights = zip(*actions, strict=True)
        for _ in range(n):
            action = self.rng.choices(funcs, weights)[0]
            action()
            self.counts[action.__name__] = self.counts.get(action.__name__, 0) + 1

    # --- the actions ------------------------------------------------------------------

    def type_in_field(self) -> None:
        fields = [
            w for w in self.editor.registry.widgets.values()
            if _alive(w) and isinstance(w, QLineEdit | QPlainTextEdit)
        ]
        widget = self.rng.choice(fields)
        self.editor.focus_path(str(widget.property("fieldPath")))
        widget.setFocus()
        if isinstance(widget, QLineEdit) and self.rng.random() < 0.5:
            widget.selectAll()
            self.qtbot.keyClick(widget, Qt.Key.Key_Delete)
        type_text(self.qtbot, widget, _text(self.rng))
        if self.rng.random() < 0.5:
            self.qtbot.keyClick(widget, Qt.Key.Key_Tab if self.rng.random() < 0.5 else Qt.Key.Key_Return)

    def _tree(self) -> Any:
        tab = self.editor.indicators
        self.editor.setCurrentWidget(tab)
        return tab

    def _random_node(self, tab: Any) -> str | None:
        ids = [i for i in tab.model.layout.spans]
        return self.rng.choice(ids) if ids else None

    def edit_tree_cell(self) -> None:
        tab = self._tree()
        node_id = self._random_node(tab)
        if node_id is None:
            return
        col = self.rng.choice([COL_NAME, COL_TARGET, COL_ACTUAL, COL_WEIGHT, COL_SCORE, COL_REASON])
        index = tab.model.index_of(node_id, col)
        if not tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return
        type_in_cell(self.qtbot, tab.tree, index, _text(self.rng, 3))

    def tree_tool(self) -> None:
        tab = self._tree()
        node_id = self._random_node(tab)
        if node_id is not None:
            tab.select(node_id)
        name = self.rng.choice(["sibling", "child", "delete", "up", "down", "outdent", "indent"])
        if name == "delete" and len(tab.model.layout.spans) < 8:
            name = "sibling"  # keep something to work on
        action = tab.actions_by_name[name]
        button = tab.toolbar.widgetForAction(action)
        if self.rng.random() < 0.5 and button is not None and button.isEnabled():
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        else:
            action.trigger()  # also when disabled: must be harmless

    def undo_redo(self) -> None:
        name = "undo" if self.rng.random() < 0.6 else "redo"
        for _ in range(self.rng.randint(1, 4)):
            self.window.actions_by_name[name].trigger()

    def table_rows(self) -> None:
        tab = self.rng.choice([self.editor.problems, self.editor.evaluators])
        self.editor.setCurrentWidget(tab)
        roll = self.rng.random()
        if roll < 0.35:
            self.qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
            self.qtbot.keyClick(tab.table, Qt.Key.Key_Escape)
        elif roll < 0.6 and tab.model.rowCount() > 0:
            tab.table.setCurrentIndex(tab.model.index(self.rng.randrange(tab.model.rowCount()), 0))
            self.qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
        elif tab.model.rowCount() > 0:
            index = tab.model.index(
                self.rng.randrange(tab.model.rowCount()),
                self.rng.randrange(tab.model.columnCount(QModelIndex())),
            )
            if tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                type_in_cell(self.qtbot, tab.table, index, _text(self.rng, 3))

    def change_method(self) -> None:
        tab = self._tree()
        node_id = self._random_node(tab)
        if node_id is None:
            return
        tab.select(node_id)
        combo = tab.panel.findChild(object, "methodCombo")
        if _alive(combo) and combo.isVisible():
            combo.setCurrentIndex(self.rng.randrange(combo.count()))
            combo.activated.emit(combo.currentIndex())

    def explain(self) -> None:
        dock = self.window.checks
        items = [
            dock.tree.topLevelItem(i).child(j)
            for i in range(dock.tree.topLevelItemCount())
            for j in range(dock.tree.topLevelItem(i).childCount())
        ]
        if not items:
            return
        item = self.rng.choice(items)
        dock.tree.setCurrentItem(item)
        if dock.explain_box.isVisible():
            type_text(self.qtbot, dock.reason, "已核实，" + _text(self.rng, 6))
            self.qtbot.keyClick(dock.reason, Qt.Key.Key_Return)
        else:
            dock._double_clicked(item, 0)

    def switch_tab(self) -> None:
        self.editor.setCurrentIndex(self.rng.randrange(self.editor.count()))

    def save(self) -> None:
        self.dialogs.save = self.folder / "monkey.pfe"
        self.window.save()


def test_monkey_2000_random_edits(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, tmp_path: Path, monkeypatch: Any,
    qtmodeltester: Any,
) -> None:
    errors: list[BaseException] = []

    def failing_hook(exc_type: Any, exc: BaseException, tb: Any) -> None:
        errors.append(exc)
        sys.__excepthook__(exc_type, exc, tb)

    monkeypatch.setattr(sys, "excepthook", failing_hook)
    copy = tmp_path / "monkey-start.pfe"
    shutil.copyfile(GD, copy)
    window = make_window(copy)
    monkey = Monkey(qtbot, window, dialogs, tmp_path)
    start = time.perf_counter()
    monkey.run(ACTIONS)
    QApplication.processEvents()
    elapsed = time.perf_counter() - start

    print(monkey.counts, f"{elapsed:.1f} s", "revision", window.ws.revision)
    assert errors == [], errors[:3]
    assert sum(monkey.counts.values()) == ACTIONS
    assert elapsed < 90, f"{elapsed:.0f} s for {ACTIONS} actions ({monkey.counts})"
    ws = window.ws
    assert ws.revision > 500  # it did edit a lot
    report = ws.report
    assert Report.model_validate(report.model_dump()) == report
    # the views still agree with the report
    qtmodeltester.check(window.editor.indicators.model, force_py=True)
    from perfeval_desktop.ui.indicator_rows import lay_out

    rows = lay_out(report.indicators)
    assert window.editor.indicators.model.rowCount() == len(rows.ends) >= len(report.indicators)
    assert window.editor.indicators.model.layout.names == rows.names
    assert window.editor.problems.model.rowCount() == len(report.problems)
    # and it saves and loads back equal
    target = tmp_path / "after-monkey.pfe"
    ws.save(target)
    assert pfe.load(target) == report
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert toolbar is not None
