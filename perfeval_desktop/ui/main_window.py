"""The main window: menus, toolbar, title, settings; the editor and the checks dock inside.

It only wires things together: editing lives in the tabs, the rules in the workspace.

The window can be built without a report (:meth:`MainWindow.create_empty`): this module
imports only Qt and light modules, so that the program shows its window before the model,
scoring, templates and storage are imported; :meth:`MainWindow.open_later` then opens the
report in a zero-delay timer and :meth:`MainWindow.attach` puts the editor in.

The first frame is the window's *shell*: the menu bar with its menus, the toolbar, the
status bar and “正在打开……”.  It is built without touching ``Qt`` (PySide6 builds the
Python enums of the whole ``Qt`` namespace on first use, ~12 ms: shortcuts are set with
``setShortcuts``, the label is centred by stretches) and without a layout animation (see
:data:`_NO_ANIMATION`).  The checks dock, the toolbar's text style and the saved dock
state follow on the event loop's next pass (:meth:`MainWindow._finish_shell`), before the
report is read; a window built on a report gets everything at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME, __version__
from ..errors import PerfevalError, SaveError
from .dialogs import CloseAnswer, Dialogs
from .recovery import AutosaveController, clean_temps_at_start, orphaned_recoveries
from .screen_fit import fit_to_screen
from .settings import add_recent, open_settings, recent_files

if TYPE_CHECKING:  # imported when a report is opened (see the module's docstring)
    from PySide6.QtGui import QCloseEvent

    from ..export.staged import Staged
    from ..model.report import Report
    from ..templates.loader import Template
    from ..workspace import Change, Workspace
    from .bridge import WorkspaceBridge
    from .checks_dock import ChecksDock
    from .editor import ReportEditor
    from .print_preview import MadePdf, PreviewFolder
    from .start_page import StartPage
    from .tasks import Task, TaskBar

HELP_TEXT = """\
1. 文件 → 新建：选择财政部门要求的表式；或 文件 → 打开 已有的 .pfe 报告。
2. 按标签页依次填写：基本信息、项目资金、绩效目标、指标评分，以及报告正文各部分。
3. 指标评分：像 Excel 一样选中单元格直接输入，Tab 右移、回车下移，Delete 清除，
   Ctrl+- 删除整行，可从 Excel 粘贴；右侧选择计分方法，得分自动计算。
   工具栏可添加、删除、上移、下移、升级、降级指标。
4. 金额可输入 1,155.5、1155.5万、28133.5元；比率可输入 60.7% 或 0.607。
5. 右侧“校验结果”列出问题：强制性必须改正；核实性可改正或写明原因；双击可跳到相应位置。
6. Ctrl+S 保存，Ctrl+Z 撤销，Ctrl+Y 重做；文件 → 导出 生成上报表格，Ctrl+P 打印预览。
7. 未保存的修改每分钟自动备份一次；程序意外关闭后再次打开时，可选择恢复。"""


CLOSE_WAIT_S = 10.0  # closing waits this long for a cancelled export to stop
UNDO_NAMES_DELAY_MS = 150  # after the last keystroke: 撤销/重做 name the edit
CHECKS_WIDTH = 330  # the checks dock's first width (then as the clerk left it)
LOADING_TEXT = "正在打开……"
NOT_OPENED_TEXT = "没有打开报告。请用“文件 → 新建”或“文件 → 打开”。"
# what needs a report: disabled while the window has none
_REPORT_ACTIONS = ("save", "save_as", "export", "print_preview", "undo", "redo", "validate",
                   "library", "save_to_library")
_TASK_ACTIONS = ("export", "print_preview")  # disabled while one runs
_TOOLBAR_ACTIONS = ("new", "open", "save", "undo", "redo", "export", "print_preview", "validate")
# The main window places its toolbar, docks and central widget through zero-length
# geometry animations unless the style's animation duration is 0.  In the first frame that
# would start Qt's animation timer, an object of a class PySide6 does not wrap: the first
# time such an object passes an application-wide Python event filter (UndoKeysToWindow,
# installed with the checks dock; a start-up timer's), PySide6 loads every lazily loaded
# wrapper class with its enums (~20 ms).  The toolbar and the central widget carry this
# style sheet until the shell is finished (not longer: a style sheet slows down the
# painting of all that is inside).
_NO_ANIMATION = "widget-animation-duration: 0;"


class MainWindow(QMainWindow):
    def __init__(
        self,
        ws: Workspace | None,
        settings: QSettings | None = None,
        dialogs: Dialogs | None = None,
        parent: QWidget | None = None,
        recovery_key: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or open_settings()
        self.dialogs = dialogs or Dialogs(self)
        self.setObjectName("mainWindow")
        self.bridge: WorkspaceBridge | None = None
        self.editor: ReportEditor | None = None
        central = self._central = QWidget(self)
        central.setObjectName("editorHolder")
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        # “正在打开……” in the middle: a label is vertically centred by default, the
        # stretches centre it across (an alignment flag would need the Qt namespace)
        self._placeholder_box = QWidget()
        row = QHBoxLayout(self._placeholder_box)
        self.placeholder = QLabel(LOADING_TEXT)
        self.placeholder.setObjectName("loadingLabel")
        row.addStretch(1)
        row.addWidget(self.placeholder)
        row.addStretch(1)
        self._central_layout.addWidget(self._placeholder_box)
        self.setCentralWidget(central)
        self._checks: ChecksDock | None = None
        self.start_page: StartPage | None = None
        self.read_only_banner: QLabel | None = None
        self.status = QLabel()
        self.status.setObjectName("statusSummary")
        self.status.setMinimumWidth(1)  # on a narrow screen the task bar's text wins
        self.statusBar().addPermanentWidget(self.status)
        self.autosave = AutosaveController(self)
        self.extra_windows: list[MainWindow] = []
        self._tasks: TaskBar | None = None
        self._build_actions()
        self.resize(1440, 900)
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        fit_to_screen(self)
        self._pending: tuple[Path | None] | None = None
        if ws is not None:
            self._finish_shell()
            self.set_workspace(ws, recovery_key)
        else:
            for widget in (self.toolbar, central):
                widget.setStyleSheet(_NO_ANIMATION)
            self._update()

    @classmethod
    def create_empty(
        cls, settings: QSettings | None = None, dialogs: Dialogs | None = None
    ) -> MainWindow:
        """The window without a report yet (“正在打开……”): menus, toolbar and status bar;
        新建 / 打开 work, what needs a report is disabled until :meth:`attach`.  The checks
        dock joins on the event loop's next pass (:meth:`open_later`) or when first asked
        for (:attr:`checks`)."""
        return cls(None, settings, dialogs)

    def _finish_shell(self) -> None:
        """What the first frame goes without (see the module's docstring): the checks dock
        and its 显示校验结果 action, the toolbar's text-only style, the saved toolbar and
        dock positions.  Once; after it the window is as if built in one go."""
        if self._checks is not None:
            return
        from PySide6.QtCore import Qt

        from .checks_dock import ChecksDock
        from .undo_keys import UndoKeysToWindow

        # Ctrl+Z / Ctrl+Y to 撤销/重做 in line edits too (there are none before the report)
        self._undo_keys = UndoKeysToWindow(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._undo_keys)
        for widget in (self.toolbar, self._central):
            widget.setStyleSheet("")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        checks = self._checks = ChecksDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, checks)
        checks.show()  # now, not on the next pass: the report is read before that
        width = min(CHECKS_WIDTH, self.width() // 5)  # a 1366×768 laptop at 125 %: 218
        self.resizeDocks([checks], [width], Qt.Orientation.Horizontal)
        show_checks = checks.toggleViewAction()
        show_checks.setText("显示校验结果(&V)")
        show_checks.setShortcuts([QKeySequence("F7")])
        self.check_menu.insertAction(self.actions_by_name["validate"], show_checks)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    @property
    def checks(self) -> ChecksDock:
        """校验结果, the dock of findings (built now if the shell is not finished yet)."""
        self._finish_shell()
        assert self._checks is not None
        return self._checks

    @property
    def ws(self) -> Workspace:
        assert self.bridge is not None
        return self.bridge.ws

    @property
    def has_report(self) -> bool:
        return self.bridge is not None

    @property
    def loading(self) -> bool:
        """True between :meth:`open_later` and the report being attached (or refused)."""
        return self._pending is not None

    def attach(self, ws: Workspace, recovery_key: str | None = None) -> None:
        """Show ``ws`` in this window (the editor is built, the actions enabled)."""
        self.set_workspace(ws, recovery_key)

    def open_later(self, path: Path | None) -> None:
        """Open ``path`` (None: show the start page, nothing created until the clerk picks)
        once the event loop runs, then offer the recovery files of a crashed run.  A file
        that cannot be opened is reported in Chinese; the window stays, empty, for 新建 /
        打开."""
        self._pending = (path,)
        self.placeholder.setText(LOADING_TEXT)
        # two zero-delay hops: the event loop's first pass shows the window (and lets a
        # start-up timer, ``PERFEVAL_QUIT_AFTER_SHOWN``, see it), the next one opens
        QTimer.singleShot(0, self._open_soon)

    def _open_soon(self) -> None:
        QTimer.singleShot(0, self._open_pending)

    def _open_pending(self) -> None:
        if self._pending is None:
            return
        (path,) = self._pending
        self._finish_shell()
        if self.isVisible():  # the clerk sees the whole window before the modules load
            layout = self.layout()
            if layout is not None:
                layout.activate()
            self.repaint()
        try:
            from ..workspace import Workspace

            if path is None:  # no file: the start page, nothing created until picked
                self._show_start_page()
                return
            try:
                ws = Workspace.start(path)
            except PerfevalError as exc:
                self.placeholder.setText(NOT_OPENED_TEXT)
                self.dialogs.error(exc.message)
            else:
                self.attach(ws)
                if path is not None:
                    from ..storage import autosave

                    autosave.clean_stale_temps(path)
        finally:
            self._pending = None
            clean_temps_at_start(recent_files(self.settings))
            self.offer_recovery()

    def _show_start_page(self) -> None:
        from ..templates.loader import scan
        from .start_page import LAST_TEMPLATE_KEY, StartPage

        try:
            found, broken = scan()  # a broken template listed with its error (#13 §5)
        except PerfevalError as exc:
            self.placeholder.setText(NOT_OPENED_TEXT)
            self.dialogs.error(exc.message)
            return
        last = self.settings.value(LAST_TEMPLATE_KEY)
        page = self.start_page = StartPage(
            recent_files(self.settings), list(found.values()), str(last) if last else None,
            broken=broken,
        )
        self.checks.show_no_report()
        page.newRequested.connect(self._new_of)
        page.openRequested.connect(self.open_path)
        self._placeholder_box.hide()
        self._central_layout.addWidget(page)
        page.show()
        page.forms.setFocus()

    def _new_of(self, template: Template) -> None:
        from ..workspace import Workspace
        from .start_page import LAST_TEMPLATE_KEY

        if self._may_discard():
            self.settings.setValue(LAST_TEMPLATE_KEY, template.manifest.id)
            self.set_workspace(Workspace.new(template))

    # --- actions and menus ---------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        slot: Any,
        keys: str | tuple[str, ...] = (),
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if keys:
            # setShortcuts: setShortcut's argument conversion builds the Qt namespace
            names = (keys,) if isinstance(keys, str) else keys
            action.setShortcuts([QKeySequence(k) for k in names])
        action.triggered.connect(slot)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        a = self._action
        file_menu = self.menuBar().addMenu("文件(&F)")
        new_menu = file_menu.addMenu("新建(&N)")
        new_menu.setObjectName("newMenu")
        new_menu.addAction(a("new", "按表样新建(&N)…", self.new_report, "Ctrl+N"))
        self.actions_by_name["new"].setIconText("新建")
        new_menu.addAction(
            a("new_from_last_year", "复制上年报告(&L)…", self._start_from("last_year"))
        )
        file_menu.addAction(a("open", "打开(&O)…", self.open_dialog, "Ctrl+O"))
        file_menu.addAction(a("import_excel", "导入 Excel(&I)…", self._start_from("excel")))
        self.recent_menu = QMenu("最近打开(&R)", self)
        self.recent_menu.setObjectName("recentMenu")
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(a("save", "保存(&S)", self.save, "Ctrl+S"))
        file_menu.addAction(a("save_as", "另存为(&A)…", self.save_as, "Ctrl+Shift+S"))
        file_menu.addSeparator()
        file_menu.addAction(a("export", "导出(&E)…", self.export, "Ctrl+E"))
        file_menu.addAction(a("print_preview", "打印预览(&V)…", self.print_preview, "Ctrl+P"))
        file_menu.addSeparator()
        file_menu.addAction(a("quit", "退出(&X)", self.close, "Ctrl+Q"))
        edit_menu = self.menuBar().addMenu("编辑(&E)")
        self._undo_names = QTimer(self)
        self._undo_names.setSingleShot(True)
        self._undo_names.setInterval(UNDO_NAMES_DELAY_MS)
        self._undo_names.timeout.connect(self._name_undo)
        edit_menu.aboutToShow.connect(self._name_undo)
        edit_menu.addAction(a("undo", "撤销(&U)", self.undo, "Ctrl+Z"))
        edit_menu.addAction(a("redo", "重做(&R)", self.redo, ("Ctrl+Y", "Ctrl+Shift+Z")))
        edit_menu.addSeparator()
        library = self._start_from("library")
        edit_menu.addAction(a("library", "从指标库插入(&L)…", library, "Ctrl+L"))
        edit_menu.addAction(a("save_to_library", "保存到指标库(&B)", self._start_from("save")))
        # 显示校验结果 (the dock's own action) is put first when the dock is built
        self.check_menu = self.menuBar().addMenu("校验(&C)")
        self.check_menu.addAction(a("validate", "立即校验(&K)", self.validate_now, "F5"))
        tools_menu = self.menuBar().addMenu("工具(&T)")
        tools_menu.setObjectName("toolsMenu")
        tools_menu.addAction(a("designer", "表样设计(&D)…", self._tool("designer")))
        tools_menu.addAction(a("export_template", "导出表样(&X)…", self._tool("export_template")))
        tools_menu.addAction(a("import_template", "导入表样(&I)…", self._tool("import_template")))
        tools_menu.addSeparator()
        tools_menu.addAction(a("rollup", "汇总(&H)…", self._tool("rollup")))
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.addAction(a("help", "填报说明(&G)", self.show_help, "F1"))
        help_menu.addAction(a("about", "关于(&A)", self.show_about))

        self.toolbar = QToolBar("常用")
        self.toolbar.setObjectName("mainToolbar")
        # (text only: without icons the buttons show their text; the style is set with
        # the dock, see _finish_shell)
        for name in _TOOLBAR_ACTIONS:
            self.toolbar.addAction(self.actions_by_name[name])
        self.addToolBar(self.toolbar)
        self._fill_recent()

    def _start_from(self, what: str) -> Callable[[], None]:
        """复制上年 / 导入 Excel / 指标库 (ui/last_year.py, import_dialog.py, library_dialog.py),
        imported when used."""

        def run() -> None:
            if what == "excel":
                from .import_dialog import import_excel

                import_excel(self)
            elif what == "last_year":
                from .last_year import new_from_last_year

                new_from_last_year(self)
            else:
                from . import library_dialog

                {"library": library_dialog.open_library, "save": library_dialog.save_to_library,
                 "opened": library_dialog.remember_opened}[what](self)

        return run

    def _tool(self, name: str) -> Callable[[], None]:
        """工具 menu: the finance bureau's windows (ui/tools.py), imported when used."""

        def run() -> None:
            from . import tools

            tools.open_tool(self, name)

        return run

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        items = recent_files(self.settings)
        for path in items:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(items))

    # --- the workspace ----------------------------------------------------------------------

    def set_workspace(self, ws: Workspace, recovery_key: str | None = None) -> None:
        from .bridge import WorkspaceBridge
        from .editor import ReportEditor

        self._finish_shell()
        old_editor, old_bridge = self.editor, self.bridge
        self.bridge = WorkspaceBridge(ws, self)
        self.autosave.attach(self.bridge, recovery_key)
        self.bridge.changed.connect(self._changed)
        self.editor = ReportEditor(self.bridge)
        self._show_read_only(ws.read_only)
        # the editor is swapped inside a fixed central widget: replacing the central widget
        # of a shown window would hand its width to the checks dock; shown now, not on the
        # event loop's next pass (Qt's default for a widget added to a shown layout), so the
        # window never has a report without showing it
        self._central_layout.addWidget(self.editor)
        self.editor.show()
        self._placeholder_box.hide()
        if self.start_page is not None:  # picked: the start page goes
            self._central_layout.removeWidget(self.start_page)
            self.start_page.hide()
            self.start_page.deleteLater()
            self.start_page = None
        self.checks.set_bridge(self.bridge)
        self.checks.jumpRequested.connect(self.editor.focus_path)
        if old_bridge is not None:
            old_bridge.detach()
            old_bridge.deleteLater()
        if old_editor is not None:
            self._central_layout.removeWidget(old_editor)
            old_editor.hide()
            old_editor.deleteLater()
        self._update()
        notes, ws.load_notes = ws.load_notes, []  # told once: what reading the file repaired
        if notes:
            self.dialogs.info("报告文件已修复", "\n".join(notes))

    def _show_read_only(self, message: str | None) -> None:
        """The banner of a read-only report (its template is broken), or none."""
        if self.read_only_banner is not None:
            self._central_layout.removeWidget(self.read_only_banner)
            self.read_only_banner.deleteLater()
            self.read_only_banner = None
        if message is not None:
            from .read_only import banner

            self.read_only_banner = banner(message)
            self._central_layout.addWidget(self.read_only_banner)
            self.read_only_banner.show()  # with the editor, not a pass later
            if self.bridge is not None:  # what still gets through is refused: say so
                self.bridge.inputRefused.connect(
                    lambda text: self.statusBar().showMessage(text, 10_000)
                )

    def _changed(self, change: Change) -> None:
        self._update(change.findings or change.reload)

    def flush_checks(self) -> None:
        """Bring the findings up to date (the validator runs shortly after typing pauses)."""
        if self.bridge is not None:
            self.bridge.flush()

    def _name_undo(self) -> None:
        """撤销 / 重做 say what they take back (in the menu and the tooltip; the toolbar
        button keeps its short text and width).  A changed text re-lays the toolbar out,
        so it is set only when it differs."""
        self._undo_names.stop()
        if self.bridge is None:
            return
        ws = self.ws
        undo, redo = self.actions_by_name["undo"], self.actions_by_name["redo"]
        for action, short, label, key in (
            (undo, "撤销", ws.undo_label if ws.can_undo else "", "(&U)"),
            (redo, "重做", ws.redo_label if ws.can_redo else "", "(&R)"),
        ):
            text = f"{short} {label}" if label else f"{short}{key}"
            if action.text() != text:
                action.setText(text)
                action.setToolTip(text.replace(key, ""))
            if action.iconText() != short:
                action.setIconText(short)

    def _update(self, recount: bool = True) -> None:
        if self.bridge is None:
            self.setWindowTitle(APP_NAME)
            for name in _REPORT_ACTIONS:
                self.actions_by_name[name].setEnabled(False)
            return
        from ..scoring.findings import Level
        from ..scoring.rounding import plain

        ws = self.ws
        # each action's state worked out first, then set once: an action switched on and
        # off again re-lays the toolbar out and repaints the window on every keystroke
        enabled = dict.fromkeys(_REPORT_ACTIONS, True)
        if self._tasks is not None and self._tasks.busy:  # one at a time
            enabled.update(dict.fromkeys(_TASK_ACTIONS, False))
        if ws.read_only is not None:
            from .read_only import BLOCKED_ACTIONS

            enabled.update(dict.fromkeys(BLOCKED_ACTIONS, False))
        enabled["undo"] = enabled["undo"] and ws.can_undo
        enabled["redo"] = enabled["redo"] and ws.can_redo
        for name, on in enabled.items():
            action = self.actions_by_name[name]
            if action.isEnabled() != on:
                action.setEnabled(on)
        shown = f"{ws.display_name}（只读）" if ws.read_only is not None else ws.display_name
        self.setWindowTitle(f"{shown}{'*' if ws.dirty else ''} — {APP_NAME}")
        if recount:
            self._name_undo()
        else:  # typing: named once it pauses (or when the menu opens), not per keystroke
            self._undo_names.start()
        sheet = ws.sheet
        if recount or not ws.validation_pending:
            self._errors = sum(1 for f in ws.findings if f.level is Level.ERROR)
        errors = self._errors
        scored = (  # (a stand-in for a missing template has no total or grade of its own)
            "总分、评价等次：表样未安装，未计算" if ws.template.stand_in else
            f"总分 {plain(sheet.total, ws.manifest.rules.total_decimals)}　评价等次 {sheet.grade}"
        )
        self.status.setText(f"{scored}　强制性问题 {errors} 个　模板：{ws.manifest.name}")

    # --- file commands ----------------------------------------------------------------------

    def _folder(self) -> str:
        if self.bridge is not None and self.ws.path is not None:
            return str(self.ws.path.parent)
        recent = recent_files(self.settings)
        return str(recent[0].parent) if recent else str(Path.home())

    def _may_discard(self) -> bool:
        """Ask 保存 / 不保存 / 取消 when there are unsaved changes; True to go on."""
        if self.bridge is None or not self.ws.dirty:
            return True
        answer = self.dialogs.ask_close(self.ws.display_name)
        if answer is CloseAnswer.SAVE:
            return self.save()
        return answer is CloseAnswer.DISCARD

    def new_report(self) -> None:
        from ..templates.loader import discover

        try:
            templates = list(discover().values())
        except PerfevalError as exc:
            self.dialogs.error(exc.message)
            return
        template = self.dialogs.choose_template(templates)
        if template is not None:
            self._new_of(template)

    def open_dialog(self) -> None:
        path = self.dialogs.open_path(self._folder())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        from ..storage import autosave
        from ..workspace import Workspace

        if not self._may_discard():
            return False
        try:
            ws = Workspace.open(path)
        except PerfevalError as exc:
            self.dialogs.error(exc.message)
            return False
        autosave.clean_stale_temps(path)
        self.set_workspace(ws)
        self._start_from("opened")()  # its indicators offered in the 指标库
        add_recent(self.settings, path)
        self._fill_recent()
        return True

    def save(self) -> bool:
        if self.ws.path is None:
            return self.save_as()
        return self._save_to(self.ws.path)

    def save_as(self) -> bool:
        name = (
            self.ws.path.name if self.ws.path else f"{self.ws.report.project.name or '未命名'}.pfe"
        )
        path = self.dialogs.save_path(str(Path(self._folder()) / name))
        return self._save_to(path) if path is not None else False

    def _save_to(self, path: Path) -> bool:
        from ..storage import autosave

        self.flush_checks()
        try:
            self.ws.save(path)
        except SaveError as exc:
            self.autosave.save_now()  # at least the recovery copy is up to date
            self.dialogs.error(exc.message)  # everything stays in memory, still dirty
            return False
        self.autosave.saved()
        autosave.clean_stale_temps(path)
        add_recent(self.settings, path)
        self._fill_recent()
        self._update()
        self.statusBar().showMessage(f"已保存到 {path}", 5000)
        return True

    # --- long work: off the UI thread, with progress and 取消 in the status bar ---------------

    @property
    def tasks(self) -> TaskBar:
        """The running export or preview: what it does, its progress and 取消."""
        if self._tasks is None:
            from .tasks import TaskBar

            self._tasks = TaskBar()
            self.statusBar().addWidget(self._tasks, 1)
        return self._tasks

    def _run(self, task: Task[Any], note: str = "可以继续填写；导出和预览的是开始时的内容。"
             ) -> None:
        """Run ``task`` in a worker; export, 打印预览 and 导入 Excel wait until it ends or is
        cancelled.  The report stays editable: the work has a copy of it as it was (or,
        for 导入, does not touch it); ``note`` says so on the task bar."""
        task.finished.connect(self._update)
        self.tasks.run(task, note)
        self._update()

    def export(self) -> None:
        from ..export import FORMATS
        from ..export.staged import Staged, stage_export
        from .tasks import Task

        self.flush_checks()
        folder = self.ws.path.parent if self.ws.path else Path(self._folder())
        choice = self.dialogs.export_choice(list(FORMATS), folder, self.ws.findings)
        if choice is None or self.tasks.busy:
            return
        out_dir, formats = choice
        report, template = self.ws.report.model_copy(deep=True), self.ws.template
        self._run(Task[Staged](
            "导出", lambda progress: stage_export(report, template, out_dir, formats,
                                                 progress.step,
                                                 lambda: progress.cancelled),
            self._exported, self.dialogs.error, Staged.discard))

    def _exported(self, staged: Staged) -> None:
        try:
            written = staged.commit()
        except PerfevalError as exc:
            self.dialogs.error(exc.message)
            return
        self.dialogs.export_done(written)

    def print_preview(self) -> None:
        """打印预览 of the whole report or of one 附件 (chosen in the preview's toolbar)."""
        from .print_preview import ALL, MadePdf, PreviewFolder, make_pdf
        from .tasks import Task

        self.flush_checks()
        if self.tasks.busy:
            return
        folder = PreviewFolder()
        report, template = self.ws.report.model_copy(deep=True), self.ws.template
        target = folder.next_file()

        def failed(message: str) -> None:
            folder.cleanup()
            self.dialogs.error(message)

        task = Task[MadePdf]("生成打印预览",
                             lambda progress: make_pdf(report, template, ALL, target, progress),
                             lambda made: self._preview(report, folder, made), failed,
                             lambda _made: folder.cleanup(), folder.cleanup)
        self._run(task)

    def _preview(self, report: Report, folder: PreviewFolder, made: MadePdf) -> None:
        from .print_preview import PrintPreview

        dialog = PrintPreview(self.ws.display_name, report, made.plan.template, folder, made,
                              self)
        self.dialogs.show_preview(dialog)

    # --- recovery after a crash -------------------------------------------------------------

    def offer_recovery(self) -> int:
        """Offer each recovery file a crashed run left behind (newest first); returns how
        many were restored.  Restored reports open unsaved, their files untouched; a
        declined one is deleted.  The first goes into this window when it shows nothing
        the clerk has touched, the others into windows of their own."""
        from PySide6.QtCore import Qt

        from ..storage import autosave
        from ..workspace import Workspace

        restored = 0
        for recovery in orphaned_recoveries():
            if not self.dialogs.ask_restore(recovery):
                autosave.discard(recovery)
                continue
            try:
                report = recovery.load()
                ws = Workspace.recovered(report, recovery.original)
            except PerfevalError as exc:
                self.dialogs.error(f"无法恢复“{recovery.name}”：{exc.message}")
                continue
            target = self
            if restored or (
                self.bridge is not None
                and (
                    self.ws.dirty
                    or (self.ws.path is not None and self.ws.path != recovery.original)
                )
            ):
                target = MainWindow(ws, self.settings, self.dialogs, recovery_key=recovery.key)
                target.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                self.extra_windows.append(target)
                target.show()
            else:
                self.set_workspace(ws, recovery.key)
            target.autosave.save_now()
            then = "此报告只读，请用 另存为 保存一份副本" if ws.read_only else "请检查后保存"
            target.statusBar().showMessage(
                f"已恢复 {recovery.time_text} 自动保存的内容，{then}。", 15000
            )
            restored += 1
        return restored

    # --- edit, checks, help ----------------------------------------------------------------------

    def undo(self) -> None:
        if self.bridge is None:
            return
        change = self.bridge.undo()
        if change is not None and self.editor is not None:
            self.editor.show_change(change)  # the tab it changed comes into view

    def redo(self) -> None:
        if self.bridge is None:
            return
        change = self.bridge.redo()
        if change is not None and self.editor is not None:
            self.editor.show_change(change)

    def validate_now(self) -> None:
        self.flush_checks()
        self.checks.show()
        self.checks.refresh()

    def show_help(self) -> None:
        self.dialogs.info("填报说明", HELP_TEXT)

    def show_about(self) -> None:
        self.dialogs.about(
            f"<b>{APP_NAME}</b> 版本 {__version__}<br>"
            "项目支出绩效自评报告的填报、计分、校验与导出。<br>离线运行，数据只保存在本机。"
        )

    # --- closing ----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush_checks()
        if not self._may_discard():
            event.ignore()
            return
        self._pending = None  # closed before its report was opened: not opened
        self.autosave.close()  # saved or deliberately not: nothing to recover
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self._checks is not None:  # (else the dock's place is not known: kept as saved)
            self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        if self.bridge is not None:
            self.bridge.detach()
        if self._tasks is not None and self._tasks.task is not None:
            task = self._tasks.task
            task.cancel()  # an export's staged files are removed when it stops
            task.wait(CLOSE_WAIT_S)
        event.accept()
