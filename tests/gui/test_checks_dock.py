"""校验结果 is updated in place after each validation: the selection, the reason being
typed, the scroll position and every unchanged row stay as they were."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from gui_support import GD
from helpers import type_text
from PySide6.QtCore import Qt

from perfeval_desktop.bench import generate_report
from perfeval_desktop.scoring.findings import Level
from perfeval_desktop.workspace import Workspace


def _rows(dock: Any, level: Level) -> list[Any]:
    group = dock.tree.topLevelItem(list(Level).index(level))
    return [group.child(j) for j in range(group.childCount())]


def _leaves(report: Any) -> list[Any]:
    return [leaf for top in report.indicators for second in top.children for leaf in second.children]


def _window_with_many_findings(make_window: Any, tmp_path: Path) -> Any:
    """60 scored leaves, 40 of them below full marks: 40 核实性 D001 findings."""
    report = generate_report(60)
    for leaf in _leaves(report)[:40]:
        leaf.method.score = leaf.weight / 2
    template = Workspace.open(GD).template
    window = make_window(ws=Workspace(report, template, tmp_path / "60.pfe"))
    window.resize(1500, 700)
    return window


def test_revalidation_keeps_selection_typing_scroll_and_unchanged_rows(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = _window_with_many_findings(make_window, tmp_path)
    ws, dock = window.ws, window.checks
    tree = dock.tree
    rows = _rows(dock, Level.VERIFY)
    d001 = [r for r in rows if r.data(0, Qt.ItemDataRole.UserRole).code == "D001"]
    assert len(d001) == 40
    chosen = d001[30]
    tree.scrollToItem(chosen)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(chosen).center()
    )
    assert tree.currentItem() is chosen and dock.explain_box.isVisible()
    scrolled = tree.verticalScrollBar().value()
    assert scrolled > 0
    type_text(qtbot, dock.reason, "已按")  # the clerk is writing the reason…
    before = {r.text(0): r for r in rows}

    # …when edits elsewhere settle a finding above and add one below (one validation)
    leaves = _leaves(ws.report)
    ws.set_node_field(leaves[0].id, "method.score", leaves[0].weight)
    ws.set_node_field(leaves[50].id, "method.score", Decimal(0))
    window.flush_checks()

    after = _rows(dock, Level.VERIFY)
    assert len(after) == len(rows)  # one gone, one come
    gone = set(before) - {r.text(0) for r in after}
    come = {r.text(0) for r in after} - set(before)
    assert len(gone) == 1 and "满意度" not in gone.pop()  # leaves[0]: 产出, above
    assert len(come) == 1
    for row in after:  # every row that still shows the same finding is the same row
        if row.text(0) in before:
            assert row is before[row.text(0)]
    assert tree.currentItem() is chosen and dock.explain_box.isVisible()
    assert dock.reason.text() == "已按"  # not reset by the revalidation
    assert abs(tree.verticalScrollBar().value() - scrolled) <= 1
    qtbot.waitUntil(lambda: tree.viewport().rect().intersects(tree.visualItemRect(chosen)))
    assert dock.summary.text().startswith(f"共 {len(ws.findings)} 个问题")
    assert dock.counts()[Level.VERIFY] == len(rows)

    # the updated list still jumps and still takes the reason
    type_text(qtbot, dock.reason, "实际口径核实，原因已写明")
    qtbot.keyClick(dock.reason, Qt.Key.Key_Return)
    assert dock.counts()[Level.VERIFY] == len(rows) - 1
    assert tree.currentItem() is None and not dock.explain_box.isVisible()
    assert any(text.startswith("已按实际口径") for text in ws.report.explanations.values())
    target = _rows(dock, Level.VERIFY)[5]
    tree.scrollToItem(target)
    pos = tree.visualItemRect(target).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    finding = target.data(0, Qt.ItemDataRole.UserRole)
    assert window.editor.currentWidget() is window.editor.indicators
    node_path = finding.path.rsplit(".", 1)[0]
    node = next(n for n in leaves if f"{n.id}" == window.editor.indicators.current_id())
    assert window.ws.locate(node.id).path == node_path


def test_changed_message_updates_the_row_in_place(make_window: Any) -> None:
    """A finding whose message changes (its figures) keeps its row, which is re-texted."""
    window = make_window(GD)
    dock = window.checks
    (t003,) = [r for r in _rows(dock, Level.VERIFY) if r.data(0, Qt.ItemDataRole.UserRole).code == "T003"]
    dock.tree.setCurrentItem(t003)
    old = t003.text(0)
    window.ws.set_field("funding.total.executed", Decimal("800"))
    window.flush_checks()
    (now,) = [r for r in _rows(dock, Level.VERIFY) if r.data(0, Qt.ItemDataRole.UserRole).code == "T003"]
    assert now is t003 and now.text(0) != old
    assert dock.tree.currentItem() is t003
    assert now.text(0) in dock.reason_label.text()
    assert now.toolTip(0).startswith("T003")
