"""粘贴整张指标表: a block copied from an Excel 自评表 pasted on an empty 指标评分 grid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gui_support import GD, FakeDialogs
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from perfeval_desktop.templates.loader import discover
from perfeval_desktop.ui.indicator_model import COL_NAME
from perfeval_desktop.workspace import Workspace

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
          "偏差原因分析及改进措施"]
ROWS = [  # merged 一级/二级 cells come as blanks
    ["产出指标 (40分)", "数量指标", "资助参保人数", "≥3000人", "2950人", "20", "19.67", "外出务工"],
    ["", "", "住院救助人次", "≥500人次", "520人次", "10", "10", ""],
    ["", "质量指标", "救助比例", "≥70%", "72%", "10", "10", ""],
    ["效益指标", "社会效益指标", "负担减轻", "有效减轻", "有效减轻", "30", "28", ""],
    ["满意度指标", "服务对象满意度指标", "救助对象满意度", "≥90%", "93%", "10", "十分", ""],
]


def _paste(qtbot: Any, window: Any, rows: list[list[str]]) -> Any:
    tab = window.editor.indicators
    window.editor.setCurrentWidget(tab)
    qtbot.waitUntil(tab.isVisible)
    first = window.ws.report.indicators[0]
    tab.tree.setFocus()
    tab.tree.setCurrentIndex(tab.model.index_of(first.id, COL_NAME))
    QGuiApplication.clipboard().setText("".join("\t".join(r) + "\r\n" for r in rows))
    qtbot.keyClick(tab.tree, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    return tab


def test_table_with_header_builds_the_tree(qtbot: Any, make_window: Any) -> None:
    window = make_window(ws=Workspace.new(discover()["mof_self_eval_gd"]))
    before = window.ws.report.model_copy(deep=True)
    tab = _paste(qtbot, window, [HEADER, *ROWS])
    report = window.ws.report
    assert [(n.name, n.weight) for n in report.indicators] == [
        ("产出指标", 40), ("效益指标", 30), ("满意度指标", 10)]
    output = report.indicators[0]
    assert [(c.name, [x.name for x in c.children]) for c in output.children] == [
        ("数量指标", ["资助参保人数", "住院救助人次"]), ("质量指标", ["救助比例"])]
    leaf = output.children[0].children[0]
    assert (leaf.target_text, leaf.actual_text, leaf.weight) == ("≥3000人", "2950人", 20)
    assert leaf.method.score == Decimal("19.67") and leaf.deviation_reason == "外出务工"
    assert "3个一级指标，5个三级指标（按表头识别各列" in tab.message.text()
    window.ws.undo()  # one step back to the template's empty framework
    assert window.ws.report == before


def test_table_without_header_and_a_bad_cell(qtbot: Any, make_window: Any,
                                             dialogs: FakeDialogs) -> None:
    window = make_window(ws=Workspace.new(discover()["mof_self_eval_gd"]))
    _paste(qtbot, window, ROWS)
    report = window.ws.report
    assert [n.name for n in report.indicators] == ["产出指标", "效益指标", "满意度指标"]
    satisfied = report.indicators[2].children[0].children[0]
    assert satisfied.name == "救助对象满意度" and satisfied.method.score is None
    message = window.editor.indicators.message.text()
    assert "没有表头" in message and "粘贴内容第5行第7列" in message  # 十分 named


def test_filled_grid_keeps_the_ordinary_paste(qtbot: Any, make_window: Any) -> None:
    window = make_window(GD)
    ids = [n.id for n in window.ws.report.indicators]
    _paste(qtbot, window, [HEADER, *ROWS])
    # the grid's ordinary cell paste: the clerk's tree is edited in place, never replaced
    assert [n.id for n in window.ws.report.indicators][:3] == ids
    assert "按粘贴的指标表建立" not in window.editor.indicators.message.text()
