"""The report editor: the tabs generated from the template, field jumping and error frames."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QTabWidget, QToolButton, QWidget

from ..model.report import Evaluator, Problem
from ..templates.manifest import Section
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
    """The tabs.  Only the first is built at once; each other tab is built the first time
    it is shown (or its page is asked for: ``editor.funding``, a jump to one of its fields),
    so that the window appears without building pages the clerk may not open."""

    def __init__(self, bridge: WorkspaceBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportEditor")
        self.setDocumentMode(True)
        self.setUsesScrollButtons(True)
        self.bridge = bridge
        self.registry = FieldRegistry()
        manifest = bridge.ws.manifest
        # (name, build) per tab; the page replaces its placeholder when first needed
        self._builders: list[tuple[str, Callable[[], QWidget]]] = [
            ("basic", lambda: BasicTab(bridge, self.registry)),
            ("funding", lambda: FundingTab(bridge, self.registry)),
            ("goals", lambda: GoalsTab(bridge, self.registry)),
            ("indicators", lambda: IndicatorTab(bridge, self.registry)),
        ]
        titles = ["基本信息", "项目资金", "绩效目标", "指标评分"]
        tips = ["", "", "", ""]
        def section_tab(section: Section) -> Callable[[], QWidget]:
            return lambda: SectionTab(bridge, self.registry, section)

        for n, section in enumerate(manifest.outline):
            self._builders.append((f"section{n}", section_tab(section)))
            titles.append(_short(section.number, section.title))
            tips.append(section.heading)
        self._builders.append(
            (
                "problems",
                lambda: RowsTab(
                    bridge,
                    self.registry,
                    "problems",
                    Problem,
                    "问题",
                    "问题、原因、整改措施一一对应；选中单元格直接输入，可从 Excel 粘贴（Ctrl+V）。",
                    ("suggestions", "问题和建议（评价表中的“问题和建议”栏）"),
                ),
            )
        )
        titles.append("问题与整改")
        self._builders.append(
            (
                "evaluators",
                lambda: RowsTab(
                    bridge,
                    self.registry,
                    "evaluators",
                    Evaluator,
                    "评价人员",
                    "签字栏在打印的表上手签。",
                ),
            )
        )
        titles.append("评价人员")
        tips += ["", ""]
        self._section_count = len(manifest.outline)
        self._pages: dict[int, QWidget] = {}
        self._swapping = False
        for i, (title, tip) in enumerate(zip(titles, tips, strict=True)):
            if i == 0:
                self.addTab(self._build(0), title)
            else:
                self.addTab(QWidget(), title)
            if tip:
                self.setTabToolTip(i, tip)
        self.currentChanged.connect(self._shown)
        self.registry.apply(bridge.ws.findings)
        bridge.changed.connect(self._changed)
        self._all_tabs_button()

    # --- building the pages on demand ------------------------------------------------------

    def _build(self, i: int) -> QWidget:
        page = self._builders[i][1]()
        self._pages[i] = page
        # the red / orange frames of fields with findings (the indicator tree has its own
        # colours: the style sheet stays off the tree, whose cells it would slow down)
        if isinstance(page, IndicatorTab):
            page.panel.setStyleSheet(FINDING_STYLE)
        else:
            page.setStyleSheet(FINDING_STYLE)
        if self.bridge.ws.read_only is not None:  # its template is broken (issue #13 §5)
            from .read_only import lock

            lock(page)
        return page

    def page(self, i: int) -> QWidget:
        """The page of tab ``i``, built now if it was not yet."""
        page = self._pages.get(i)
        if page is not None:
            return page
        page = self._build(i)
        placeholder = self.widget(i)
        title, tip = self.tabText(i), self.tabToolTip(i)
        current = self.currentIndex()
        self._swapping = True
        self.blockSignals(True)
        try:
            self.removeTab(i)
            self.insertTab(i, page, title)
            self.setTabToolTip(i, tip)
            self.setCurrentIndex(current)
        finally:
            self.blockSignals(False)
            self._swapping = False
        if placeholder is not None:
            placeholder.deleteLater()
        self.registry.apply(self.bridge.ws.findings)
        return page

    def build_all(self) -> None:
        for i in range(self.count()):
            self.page(i)

    def _shown(self, i: int) -> None:
        if not self._swapping and i >= 0:
            self.page(i)

    def _named(self, name: str) -> QWidget:
        i = next(n for n, (key, _) in enumerate(self._builders) if key == name)
        return self.page(i)

    @property
    def basic(self) -> BasicTab:
        return cast(BasicTab, self._named("basic"))

    @property
    def funding(self) -> FundingTab:
        return cast(FundingTab, self._named("funding"))

    @property
    def goals(self) -> GoalsTab:
        return cast(GoalsTab, self._named("goals"))

    @property
    def indicators(self) -> IndicatorTab:
        return cast(IndicatorTab, self._named("indicators"))

    @property
    def sections(self) -> list[SectionTab]:
        return [cast(SectionTab, self._named(f"section{n}")) for n in range(self._section_count)]

    @property
    def problems(self) -> RowsTab:
        return cast(RowsTab, self._named("problems"))

    @property
    def evaluators(self) -> RowsTab:
        return cast(RowsTab, self._named("evaluators"))

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
        # rows added or removed move the paths of findings; when the checks are left for
        # the pause after typing, their own change brings them (validating now would cost
        # a paste the validator's run)
        pending = self.bridge.ws.validation_pending
        if change.findings or change.reload or (change.edits and not pending):
            self.registry.apply(self.bridge.ws.findings)

    def show_change(self, change: Change) -> None:
        """Bring what an undo or redo changed into view: its tab, the indicator's row."""
        if change.nodes or change.restructured("indicators"):
            self.setCurrentWidget(self.indicators)
            ws = self.bridge.ws
            for node_id in sorted(change.nodes):
                try:
                    ws.node(node_id)
                except KeyError:
                    continue  # (taken out by this undo)
                self.indicators.select(node_id)
                break
            return
        containers = [e.container for e in change.edits]
        paths = sorted(p for p in change.paths if p != "explanations") + containers
        if paths:
            self.focus_path(paths[0])

    def focus_path(self, path: str) -> bool:
        """Show the field a finding points at: switch tab, select the row / focus the widget."""
        ws = self.bridge.ws
        if path.startswith("indicators"):
            self.setCurrentWidget(self.indicators)
            node, rest = node_for_path(ws.report, path)
            if node is not None:
                self.indicators.select(node.id, _NODE_COLUMNS.get(rest.split(".", 1)[0], COL_NAME))
            else:
                self.indicators.tree.setFocus()
            return True
        if path.startswith("weight_groups"):  # the merged 分值 cells under the tree
            self.setCurrentWidget(self.indicators)
            widget = self.registry.widget_for(path)
            (widget or self.indicators.tree).setFocus()
            return True
        widget = self.registry.widget_for(path)
        if widget is None and len(self._pages) < self.count():
            self.build_all()  # the field may be on a tab not built yet
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
