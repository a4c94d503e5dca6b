"""The report editor: the tabs generated from the template, field jumping and error frames."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QTabWidget, QToolButton, QWidget

from ..model.report import Evaluator, Problem
from ..workspace import Change, node_for_path
from .basic_tab import BasicTab
from .bridge import WorkspaceBridge
from .fields import FINDING_STYLE
from .funding_tab import FundingTab
from .goals_tab import GoalsTab
from .indicator_model import COL_NAME, COL_REASON, COL_SCORE, COL_WEIGHT
from .indicator_tab import IndicatorTab
from .registry import FieldRegistry
from .rows_tab import RowsTab
from .section_tab import SectionTab

_NODE_COLUMNS = {"weight": COL_WEIGHT, "method": COL_SCORE, "deviation_reason": COL_REASON}


class ReportEditor(QTabWidget):
    def __init__(self, bridge: WorkspaceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportEditor")
        self.setDocumentMode(True)
        self.setUsesScrollButtons(True)
        self.setStyleSheet(FINDING_STYLE)
        self.bridge = bridge
        self.registry = FieldRegistry()
        manifest = bridge.ws.manifest
        self.basic = BasicTab(bridge, self.registry)
        self.addTab(self.basic, "基本信息")
        self.funding = FundingTab(bridge, self.registry)
        self.addTab(self.funding, "项目资金")
        self.goals = GoalsTab(bridge, self.registry)
        self.addTab(self.goals, "绩效目标")
        self.indicators = IndicatorTab(bridge)
        self.addTab(self.indicators, "指标评分")
        self.sections: list[SectionTab] = []
        for section in manifest.outline:
            tab = SectionTab(bridge, self.registry, section)
            self.sections.append(tab)
            i = self.addTab(tab, _short(section.number, section.title))
            self.setTabToolTip(i, section.heading)
        self.problems = RowsTab(
            bridge,
            self.registry,
            "problems",
            Problem,
            "问题",
            "问题、原因、整改措施一一对应；双击单元格编辑。",
            ("suggestions", "问题和建议（评价表中的“问题和建议”栏）"),
        )
        self.addTab(self.problems, "问题与整改")
        self.evaluators = RowsTab(
            bridge, self.registry, "evaluators", Evaluator, "评价人员", "签字栏在打印的表上手签。"
        )
        self.addTab(self.evaluators, "评价人员")
        self.registry.apply(bridge.ws.findings)
        bridge.changed.connect(self._changed)
        self._all_tabs_button()

    def _all_tabs_button(self) -> None:
        """全部栏目 ▾: every tab by its full heading, for when the tab bar cannot show all."""
        button = QToolButton(self)
        button.setObjectName("allTabs")
        button.setText("全部栏目 ▾")
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        button.setToolTip("列出全部栏目，点击即可转到")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(button)
        for i in range(self.count()):
            full = self.tabToolTip(i) or self.tabText(i)
            action = menu.addAction(full)
            action.triggered.connect(lambda _=False, i=i: self.setCurrentIndex(i))
        button.setMenu(menu)
        self.setCornerWidget(button, Qt.Corner.TopRightCorner)
        self.tabs_menu = menu

    def tab_titles(self) -> list[str]:
        return [self.tabText(i) for i in range(self.count())]

    def _changed(self, change: Change) -> None:
        if change.findings or change.reload or change.edits:
            self.registry.apply(self.bridge.ws.findings)

    def focus_path(self, path: str) -> bool:
        """Show the field a finding points at: switch tab, select the row / focus the widget."""
        ws = self.bridge.ws
        if path.startswith("indicators") or path.startswith("weight_groups"):
            self.setCurrentWidget(self.indicators)
            node, rest = node_for_path(ws.report, path)
            if node is not None:
                self.indicators.select(node.id, _NODE_COLUMNS.get(rest.split(".", 1)[0], COL_NAME))
            else:
                self.indicators.tree.setFocus()
            return True
        widget = self.registry.widget_for(path)
        if widget is None:
            return False
        for i in range(self.count()):
            page = self.widget(i)
            if page is not None and page.isAncestorOf(widget):
                self.setCurrentIndex(i)
                break
        scroller = self.currentWidget()
        if hasattr(scroller, "ensureWidgetVisible"):
            scroller.ensureWidgetVisible(widget)
        widget.setFocus()
        return True


TAB_CHARS = 12


def _short(number: str, title: str) -> str:
    """A tab's title: the section's number and title without a trailing remark in
    brackets (“（附相关评分表）”), cut at 12 characters; the full heading is the tooltip
    and is listed in the 全部栏目 menu."""
    title = re.sub(r"（[^（）]*）$", "", title.rstrip("。")) or title
    text = f"{number}{title}"
    return text if len(text) <= TAB_CHARS else text[: TAB_CHARS - 1] + "…"
