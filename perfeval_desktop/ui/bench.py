"""The measurements of ``make bench`` that need Qt (perfeval_desktop/bench.py runs them):
the start-up children and the editor — one keystroke, the pause after it, a paste."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QRegion
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QStyleOptionViewItem

from .. import paths
from ..bench import EDITS, PASTE_ROWS, generate_report, median_ms, sample_path
from ..workspace import Workspace
from ..workspace.operations import SetField
from .app import create_app, start_window
from .indicator_model import COL_NAME, COL_SCORE
from .main_window import MainWindow

# ---- the child processes of the start-up measurement (bench.py measure_startup) ----------


def _quit_when_shown(app: Any) -> Any:
    """End the event loop as soon as the first top-level window has been shown."""
    class Shown(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Show and getattr(obj, "isWindow", lambda: False)():
                QTimer.singleShot(0, app.quit)
            return False

    watcher = Shown(app)
    app.installEventFilter(watcher)
    return watcher


def child_startup(file: str, basedir: str) -> None:
    paths.set_basedir(basedir)
    app = create_app([sys.argv[0]])
    _watcher = _quit_when_shown(app)
    _window = start_window(Path(file))  # as __main__: the report opens once the loop runs
    app.exec()
    os._exit(0)  # the interpreter's tear-down is not part of the start


def child_bare() -> None:
    app = QApplication([sys.argv[0]])
    _watcher = _quit_when_shown(app)
    window = QMainWindow()
    window.resize(1440, 900)
    window.show()
    app.exec()
    os._exit(0)


class _NoDialogs:
    """The window's dialogs, answered without showing anything."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        return lambda *args, **kwargs: None


def measure_editor(folder: Path, edits: int = EDITS) -> dict[str, float]:
    app = create_app([sys.argv[0]])
    report = generate_report(300)
    file = folder / "300.pfe"
    Workspace(report, Workspace.open(sample_path()).template).save(file)

    dialogs = _NoDialogs()
    window = MainWindow(Workspace.open(sample_path()), dialogs=dialogs)  # type: ignore[arg-type]
    window.resize(1600, 960)
    window.show()
    app.processEvents()
    results: dict[str, float] = {}

    def reopen() -> None:
        window.ws.mark_saved()
        window.open_path(file)
        app.processEvents()

    results["open_300"] = median_ms(reopen, 7)

    editor_tab = window.editor
    assert editor_tab is not None
    tab = editor_tab.indicators
    editor_tab.setCurrentWidget(tab)
    app.processEvents()
    tree, model = tab.tree, tab.model
    delegate = tree.itemDelegate()
    leaves = [
        model.index_of(leaf.id, COL_SCORE)
        for top in window.ws.report.indicators
        for second in top.children
        for leaf in second.children
    ]
    times: list[float] = []
    cpu_times: list[float] = []  # CPU time of this process: what a busy machine adds is not in it
    checks: list[float] = []
    repaints: list[float] = []
    painted = _paint_log(tree.viewport(), tab.summary.total)
    for i in range(edits):
        index = leaves[(i * 37) % len(leaves)]
        tree.scrollTo(index)
        app.processEvents()
        option = QStyleOptionViewItem()
        editor = delegate.createEditor(tree.viewport(), option, index)
        assert isinstance(editor, QLineEdit)
        delegate.setEditorData(editor, index)
        node_id = model.node_id(index)
        assert node_id is not None
        weight = window.ws.node(node_id).weight or Decimal(1)
        editor.setText(str((weight * Decimal((i % 9) + 1) / 10).quantize(Decimal("0.0001"))))
        painted.clear()
        start, cpu = time.perf_counter(), time.process_time()
        delegate.setModelData(editor, model, index)  # the edit, as the view commits it
        QApplication.processEvents()  # recomputed, the changed cells and totals painted
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
        _check_painted(painted, tree, index, tab.summary.total)
        editor.deleteLater()
        start = time.perf_counter()
        tree.viewport().repaint()
        repaints.append((time.perf_counter() - start) * 1000)
        # the pause after typing: the deferred checks, with the views' delayed layouts
        start = time.perf_counter()
        window.flush_checks()
        for _ in range(3):
            QApplication.processEvents()
        tree.viewport().repaint()
        checks.append((time.perf_counter() - start) * 1000)
    results["edit_recompute_repaint_300"] = statistics.median(times)
    results["checks_after_pause_300"] = statistics.median(checks)
    results["edit_recompute_repaint_300_p90"] = statistics.quantiles(times, n=10)[-1]
    results["edit_cpu"] = statistics.median(cpu_times)
    results["edit_cpu_p90"] = statistics.quantiles(cpu_times, n=10)[-1]
    results["repaint_visible_300"] = statistics.median(repaints)

    results["paste_50x6"], results["paste_cpu"] = measure_paste(window, PASTE_ROWS)
    assert window.bridge is not None  # edits go through the bridge, as the widgets' do
    window.bridge.execute(SetField("meta.filler", "基准测试"))
    results["save_300"] = median_ms(window.save, 7)
    window.ws.mark_saved()
    window.close()
    return results


def _paint_log(*widgets: Any) -> Any:
    """An event filter noting the region each of ``widgets`` painted since ``clear()``."""
    class PaintLog(QObject):
        def __init__(self) -> None:
            super().__init__(widgets[0])
            self.regions: dict[Any, Any] = {}
            self.clear()
            for widget in widgets:
                widget.installEventFilter(self)

        def clear(self) -> None:
            self.regions = {widget: QRegion() for widget in widgets}

        def eventFilter(self, obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint and obj in self.regions:
                self.regions[obj] = self.regions[obj].united(event.region())
            return False

    return PaintLog()


def _check_painted(painted: Any, tree: Any, index: Any, total: Any) -> None:
    """The edit was measured up to the screen: the edited cell and the 总分 were repainted."""
    if not painted.regions[tree.viewport()].contains(tree.visualRect(index)):
        raise SystemExit("bench: the edited cell was not repainted")
    if painted.regions[total].isEmpty():
        raise SystemExit("bench: the total was not repainted")


def measure_paste(window: Any, rows: int, repeat: int = 5) -> tuple[float, float]:
    """A block of ``rows`` × 6 cells copied from Excel pasted at an indicator's 三级指标 cell
    (三级指标, 指标性质 left blank, 年度指标值, 度量单位, 实际完成值, 分值): most rows are
    new, the workspace applies it as one step, recomputes, the grid is repainted.  Returns
    the median wall and CPU milliseconds."""
    tab = window.editor.indicators
    leaf = window.ws.report.indicators[0].children[0].children[0]
    block = "".join(
        f"粘贴指标{i}\t\t≥{i + 1}00人次\t人次\t{i + 1}05人次\t0.5\r\n" for i in range(rows)
    )
    QGuiApplication.clipboard().setText(block)
    times, cpu_times = [], []
    for _ in range(repeat):
        tab.select(leaf.id, COL_NAME)
        QApplication.processEvents()
        start, cpu = time.perf_counter(), time.process_time()
        tab.commands.paste()
        QApplication.processEvents()
        tab.tree.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
        assert window.bridge is not None
        window.bridge.undo()
        QApplication.processEvents()
    return statistics.median(times), statistics.median(cpu_times)
