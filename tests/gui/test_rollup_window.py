"""工具 → 汇总…: read in a worker with progress and 取消, sort, filter, open by double-click;
导出汇总表 written in a worker too, 取消 leaving no file (issue #11 §4)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, YN
from helpers import Gate, type_text
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from perfeval_desktop.export.staged import STAGE_PREFIX
from perfeval_desktop.rollup import workbook as rollup_workbook
from perfeval_desktop.rollup.generate import generate_folder
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template


def _open_rollup(qtbot: Any, window: Any, folder: Path) -> Any:
    window.actions_by_name["rollup"].trigger()
    tool = window._tool_windows["rollup"]
    qtbot.addWidget(tool)
    tool.choose_folder = lambda: folder
    qtbot.mouseClick(tool.add_button, Qt.MouseButton.LeftButton)
    assert tool.start_button.isEnabled()
    return tool


def test_rollup_window_sort_filter_open(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    folder = tmp_path / "收到"
    folder.mkdir()
    shutil.copy(GD, folder / "源城.pfe")
    shutil.copy(YN, folder / "五华.pfe")
    (folder / "坏.pfe").write_text("不是报告", encoding="utf-8")
    window = make_window(GD)
    tool = _open_rollup(qtbot, window, folder)
    qtbot.mouseClick(tool.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tool.tasks.busy and tool.result is not None, timeout=10000)
    assert tool.proxy.rowCount() == 2
    assert "无法读取 1 个文件" in tool.status.text() and "良 1 份" in tool.status.text()
    assert tool.exceptions.item(0, 1).text() == "坏.pfe"
    grades = {bar.label: bar.value for bar in tool.charts.panels[0][1]}
    assert grades == {"优": 1, "良": 1, "中": 0, "差": 0}
    assert [b.label for b in tool.charts.panels[2][1]] == ["市医保局源城分局", "昆明市五华区医疗保障局"]
    # shown by 总分, highest first; a click on the 总分 header sorts it lowest first
    assert [tool.proxy.index(r, 7).data() for r in range(2)] == ["100", "94"]
    header = tool.table.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(7) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert [tool.proxy.index(r, 7).data() for r in range(2)] == ["94", "100"]
    type_text(qtbot, tool.filter_edit, "五华")
    assert tool.proxy.rowCount() == 1 and tool.proxy.index(0, 13).data() == "五华.pfe"
    tool.filter_edit.clear()
    type_text(qtbot, tool.filter_edit, "良")
    assert tool.proxy.rowCount() == 1 and tool.proxy.index(0, 8).data() == "良"
    tool.filter_edit.clear()
    type_text(qtbot, tool.filter_edit, "yunnan")
    assert tool.proxy.rowCount() == 1
    rect = tool.table.visualRect(tool.proxy.index(0, 0))
    qtbot.mouseClick(tool.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tool.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.ws.path is not None and window.ws.path.name == "五华.pfe"
    target = tmp_path / "汇总.xlsx"
    tool.choose_target = lambda: target
    qtbot.mouseClick(tool.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tool.tasks.busy, timeout=30_000)
    assert load_workbook(target)["汇总表"].max_row == 4
    tool.close()


def test_rollup_progress_and_cancel(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    folder = tmp_path / "很多"
    generate_folder(folder, 300)
    before = sorted(tmp_path.rglob("*"))
    window = make_window(GD)
    tool = _open_rollup(qtbot, window, folder)
    qtbot.mouseClick(tool.start_button, Qt.MouseButton.LeftButton)
    bar = tool.tasks
    assert bar.cancel_button.isVisible() and bar.bar.isVisible()
    assert not tool.start_button.isEnabled() and not tool.add_button.isEnabled()
    qtbot.waitUntil(lambda: bar.bar.value() >= 5, timeout=10000)
    assert bar.bar.maximum() == 300 and "正在汇总：" in bar.label.text()
    assert "/300）" in bar.label.text()
    # the window answers while the worker reads: typing in the filter box works
    type_text(qtbot, tool.filter_edit, "abc")
    assert tool.filter_edit.text() == "abc"
    task = bar.task
    qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible() and tool.start_button.isEnabled()  # free at once
    assert "汇总已取消" in tool.status.text()
    assert task.wait(10)
    qtbot.wait(50)  # a late result is dropped, not shown
    assert tool.result is None and tool.model.rowCount() == 0
    assert sorted(tmp_path.rglob("*")) == before  # nothing written
    tool.close()


def _figures(path: Path) -> dict[str, list[object]]:
    """单位 → 全年预算数, 执行数, 总分, 等次 of one report, scored on its own."""
    report = load(path)
    sheet = compute(report, load_template(report.meta.template_id).manifest.rules)
    basis, executed = sheet.funding.basis, sheet.funding.total["executed"]
    assert basis is not None and executed is not None
    return {report.meta.unit: [float(basis), float(executed), float(sheet.total), sheet.grade]}


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Any:
    """汇总.xlsx's writer waits at the gate after its table, before its first chart."""
    g = Gate()
    monkeypatch.setattr(rollup_workbook, "write_grade_chart",
                        g.wrap(rollup_workbook.write_grade_chart))
    yield g
    g.open.set()  # never leave a worker waiting


def _export_held(qtbot: Any, tool: Any, gate: Gate) -> Any:
    gate.reached.clear()
    gate.open.clear()
    qtbot.mouseClick(tool.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(gate.reached.is_set, timeout=30_000)
    bar = tool.tasks
    qtbot.waitUntil(lambda: "正在导出汇总表：等次分布（2/7）" in bar.label.text())  # queued
    assert bar.isVisible() and bar.bar.value() == 1 and bar.bar.maximum() == 7
    assert not tool.export_button.isEnabled() and not tool.start_button.isEnabled()
    return bar.task


def test_rollup_export_cancelled_leaves_no_file(
    qtbot: Any, make_window: Any, tmp_path: Path, gate: Gate
) -> None:
    """取消 while 汇总.xlsx is written: no file, no staging folder; to the end: the file
    with the figures; 取消 again: the file as it was."""
    folder = tmp_path / "收到"
    folder.mkdir()
    shutil.copy(GD, folder / "源城.pfe")
    shutil.copy(YN, folder / "五华.pfe")
    out = tmp_path / "汇总"
    out.mkdir()
    target = out / "汇总.xlsx"
    window = make_window(GD)
    tool = _open_rollup(qtbot, window, folder)
    qtbot.mouseClick(tool.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tool.result is not None and not tool.tasks.busy, timeout=10000)
    tool.choose_target = lambda: target

    task = _export_held(qtbot, tool, gate)
    QTest.mouseClick(tool.tasks.cancel_button, Qt.MouseButton.LeftButton)
    assert "导出汇总表已取消" in tool.status.text() and tool.export_button.isEnabled()
    gate.open.set()
    assert task.wait(30)
    qtbot.waitUntil(lambda: list(out.iterdir()) == [])  # the staged file removed

    gate.open.set()
    gate.reached.clear()
    qtbot.mouseClick(tool.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tool.tasks.busy, timeout=30_000)
    assert list(out.iterdir()) == [target] and str(target) in tool.status.text()
    book = load_workbook(target)
    table = book["汇总表"]
    rows = {table.cell(r, 2).value: [table.cell(r, c).value for c in (6, 7, 9, 10)]
            for r in (3, 4)}
    assert rows == dict(_figures(GD), **_figures(YN))  # as each report scores by itself
    grades = book["等次分布"]
    assert [[c.value for c in r] for r in grades.iter_rows(min_row=4, max_row=7, max_col=2)] \
        == [["优", 1], ["良", 1], ["中", 0], ["差", 0]]
    saved = target.read_bytes()

    task = _export_held(qtbot, tool, gate)
    QTest.mouseClick(tool.tasks.cancel_button, Qt.MouseButton.LeftButton)
    gate.open.set()
    assert task.wait(30)
    qtbot.waitUntil(lambda: list(out.iterdir()) == [target])
    assert target.read_bytes() == saved and not any(
        p.name.startswith(STAGE_PREFIX) for p in out.iterdir())
    tool.close()


def test_closing_the_rollup_window_while_it_writes_leaves_no_file(
    qtbot: Any, make_window: Any, tmp_path: Path, gate: Gate
) -> None:
    import threading

    folder = tmp_path / "收到"
    folder.mkdir()
    shutil.copy(GD, folder / "源城.pfe")
    out = tmp_path / "汇总"
    out.mkdir()
    window = make_window(GD)
    tool = _open_rollup(qtbot, window, folder)
    qtbot.mouseClick(tool.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tool.result is not None and not tool.tasks.busy, timeout=10000)
    tool.choose_target = lambda: out / "汇总.xlsx"
    task = _export_held(qtbot, tool, gate)
    threading.Timer(0.2, gate.open.set).start()  # the writer goes on while closing waits
    tool.close()
    assert task.wait(0) and list(out.iterdir()) == []


def test_rollup_never_reads_its_own_files(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    """With 同时读取 Excel 自评表 ticked, the 汇总.xlsx an earlier run wrote into the folder
    and an export's leftover staging folder are not read as units' reports; a unit's
    exported 自评表 is."""
    from perfeval_desktop.export import export_report
    from perfeval_desktop.export.staged import stage_export

    folder = tmp_path / "收到"
    folder.mkdir()
    shutil.copy(GD, folder / "源城.pfe")
    report = load(YN)
    template = load_template(report.meta.template_id)
    [sheet] = export_report(report, template, folder, formats=("xlsx",))
    stage_export(report, template, folder, ("xlsx",))  # a crash's leftover: never committed
    window = make_window(GD)
    tool = _open_rollup(qtbot, window, folder)
    qtbot.mouseClick(tool.workbooks, Qt.MouseButton.LeftButton)
    assert tool.workbooks.isChecked()
    qtbot.mouseClick(tool.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tool.result is not None and not tool.tasks.busy, timeout=30_000)
    tool.choose_target = lambda: folder / "汇总.xlsx"
    qtbot.mouseClick(tool.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tool.tasks.busy, timeout=30_000)
    earlier = folder / "2024年汇总.xlsx"  # the clerk renamed last year's output
    (folder / "汇总.xlsx").rename(earlier)
    first = tool.result
    qtbot.mouseClick(tool.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tool.result is not first and not tool.tasks.busy, timeout=30_000)
    assert tool.result is not None
    names = sorted(tool.proxy.index(r, 13).data() for r in range(tool.proxy.rowCount()))
    assert names == sorted([sheet.name, "源城.pfe"])
    assert tool.result.unreadable == [] and tool.result.duplicates == []
    assert "共 2 份报告" in tool.status.text() and "无法读取 0 个文件" in tool.status.text()
    tool.close()
