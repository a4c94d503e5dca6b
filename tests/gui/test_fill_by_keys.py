"""Issue #12's test: a 广东 report's indicator table filled from nothing by keystrokes and one
Excel-style paste (Tab / Enter / Delete, a pinyin commit, the paste undone and redone), and
the exported form prints every typed value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import shortcut, type_on_cell
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from perfeval_desktop.export import export_report
from perfeval_desktop.templates.loader import load_template
from perfeval_desktop.ui.indicator_model import COL_NAME, COL_NATURE, COL_SCORE, COL_UNIT
from perfeval_desktop.workspace import Workspace

# (二级, rows typed by keys: 三级指标, 年度指标值, 实际完成值, 分值, 得分; Tab passes over
# 指标性质 and 度量单位, read from what is typed in 年度指标值)
TYPED = {
    "数量指标": [("门诊救助人次", "≥3000人次", "3583人次", "10", "10")],
    "时效指标": [("救助资金拨付及时率", "100%", "98%", "10", "9.5")],
    "成本指标": [("人均救助成本", "≤3600元/人", "3583元/人", "15", "15")],
    "经济效益指标": [("减轻群众医疗负担", "有效减轻", "有效减轻", "5", "5")],
    "社会效益指标": [("困难群众就医保障", "明显提升", "明显提升", "15", "14")],
    "生态效益指标": [("无纸化结算比例", "≥90%", "93%", "5", "5")],
    "可持续影响指标": [("救助机制长效运行", "长期", "长期", "5", "5")],
    "服务对象满意度指标": [("救助对象满意度", "≥90%", "95%", "10", "10")],
}
# the block copied from Excel into 质量指标 (its placeholder row, then two new rows), in the
# printed form's columns: 三级指标, 指标性质, 年度指标值, 度量单位, 实际完成值, 分值, 得分
PASTED = [
    ("重点救助对象资助参保率", "", "100%", "%", "100%", "5", "5"),
    ("特困人员住院救助比例", "", "≥70%", "%", "72%", "5", "5"),
    ("“一站式”结算覆盖率", "", "100%", "%", "100%", "5", "4"),
]
NAME, TARGET, ACTUAL = 0, 2, 4


def _tab(window: Any) -> Any:
    window.editor.setCurrentWidget(window.editor.indicators)
    return window.editor.indicators


def _group(ws: Workspace, name: str) -> Any:
    return next(c for top in ws.report.indicators for c in top.children if c.name == name)


def _type_row(qtbot: Any, tab: Any, leaf_id: str, cells: tuple[str, ...]) -> None:
    """三级指标 Tab (指标性质) Tab 年度指标值 Tab (度量单位) Tab 实际完成值 Tab 分值 Tab 得分
    Enter, as a clerk goes along the printed form's row."""
    tab.select(leaf_id, COL_NAME)
    name, target, actual, weight, score = cells
    for i, text in enumerate((name, "", target, "", actual, weight, score)):
        if text:
            type_on_cell(qtbot, tab.tree, text)
        key = Qt.Key.Key_Return if i == 6 else Qt.Key.Key_Tab
        qtbot.keyClick(QApplication.focusWidget(), key)
        qtbot.wait(1)


def test_fill_gd_indicator_table_by_keys_and_one_paste(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    ws = Workspace.new(load_template("mof_self_eval_gd"))
    window = make_window(ws=ws)
    tab = _tab(window)
    ws = window.ws

    for group, rows in TYPED.items():
        (leaf,) = _group(ws, group).children
        _type_row(qtbot, tab, leaf.id, rows[0])
        assert (leaf.name, leaf.target_text, leaf.actual_text) == rows[0][:3]
        assert leaf.weight == Decimal(rows[0][3]) and leaf.method.score == Decimal(rows[0][4])
    # the sign and unit typed in 年度指标值 read into 指标性质 and 度量单位
    visits = _group(ws, "数量指标").children[0]
    assert tab.model.index_of(visits.id, COL_NATURE).data() == "≥"
    assert visits.unit == tab.model.index_of(visits.id, COL_UNIT).data() == "人次"

    quality = _group(ws, "质量指标")
    before = ws.report.model_copy(deep=True)
    QGuiApplication.clipboard().setText("".join("\t".join(r) + "\r\n" for r in PASTED))
    tab.select(quality.children[0].id, COL_NAME)
    qtbot.keyClick(tab.tree, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [c.name for c in quality.children] == [r[NAME] for r in PASTED]
    shortcut(tab.tree, "Ctrl+Z")  # the whole paste, one step
    assert ws.report == before and len(quality.children) == 1
    shortcut(tab.tree, "Ctrl+Y")
    assert [(c.name, c.target_text, c.actual_text, c.unit) for c in quality.children] == [
        (r[NAME], r[TARGET], r[ACTUAL], "%") for r in PASTED
    ]

    # a wrong 得分 cleared with Delete and typed again
    last = quality.children[-1]
    tab.select(last.id, COL_SCORE)
    qtbot.keyClick(tab.tree, Qt.Key.Key_Delete)
    assert last.method.score is None
    type_on_cell(qtbot, tab.tree, "4.5")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(1)
    assert last.method.score == Decimal("4.5")

    # every 一级 adds up to the 分值 the form gives it: nothing left unscored
    for top, weight in zip(ws.report.indicators, (50, 30, 10), strict=True):
        assert ws.sheet.nodes[top.id].weight == Decimal(weight), top.name
    typed = [r for rows in TYPED.values() for r in rows]
    typed += [(r[NAME], r[TARGET], r[ACTUAL], r[5], r[6]) for r in PASTED]
    assert len(typed) == 11

    (xlsx,) = export_report(ws.report, ws.template, tmp_path, ["xlsx"])
    book = load_workbook(xlsx)
    printed = {
        str(cell.value).strip()
        for sheet_ in book.worksheets
        for row in sheet_.iter_rows()
        for cell in row
        if cell.value is not None
    }
    for name, target, actual, _weight, _score in typed:
        for value in (name, target, actual):
            assert value in printed, (value, name)
    assert "4.5" in printed or any(v.startswith("4.5") for v in printed)
