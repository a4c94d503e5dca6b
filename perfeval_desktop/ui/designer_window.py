"""工具 → 表样设计…: copy a form, change it with every change validated as typed, see a
sample report scored under it and its 附件 forms, save it into the user template folder;
forms.xlsx / report.docx open in Excel/WPS/Word with one click and are reloaded on return."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .. import paths
from ..designer import DesignError, TemplateDraft
from ..designer.save import save_draft
from ..errors import PerfevalError
from ..templates.loader import Template, discover
from ..templates.vocabulary import Use
from .designer_rules import RulesTab
from .designer_trees import FrameworkTab, OutlineTab
from .placeholder_help import placeholder_tooltip

PREVIEW_DELAY_MS = 300


class DesignerWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("表样设计")
        self.setObjectName("designerWindow")
        self.templates = discover()
        first = self.templates.get("mof_self_eval_gd") or next(iter(self.templates.values()))
        self.draft = TemplateDraft.edit(first)
        self.problems: dict[str, list[str]] = {}
        self.open_file: Callable[[Path], object] = _open_in_system
        self._watched: dict[Path, float] = {}
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._build()
        self._set_editing(False)
        self.resize(1280, 800)

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(self._copy_bar())
        split = QSplitter(Qt.Orientation.Horizontal)
        self.tabs = QTabWidget()
        self.basic = self._basic_tab()
        self.tabs.addTab(self.basic, "名称与说明")
        self.outline = OutlineTab(self.draft, self._report)
        self.tabs.addTab(self.outline, "报告提纲")
        self.framework = FrameworkTab(self.draft, self._report)
        self.tabs.addTab(self.framework, "指标体系")
        self.rules = RulesTab(self.draft, self._report)
        self.tabs.addTab(self.rules, "计分规则")
        split.addWidget(self.tabs)
        self.preview_tabs = QTabWidget()
        self.score_view = QTextBrowser()
        self.score_view.setObjectName("scorePreview")
        self.forms_view = QTextBrowser()
        self.forms_view.setObjectName("formsPreview")
        self.preview_tabs.addTab(self.score_view, "样例报告得分")
        self.preview_tabs.addTab(self.forms_view, "附件表格")
        split.addWidget(self.preview_tabs)
        split.setSizes([620, 620])
        layout.addWidget(split, 1)
        self.messages = QLabel("")
        self.messages.setObjectName("designerMessages")
        self.messages.setWordWrap(True)
        self.messages.setStyleSheet("color: #b03020")
        layout.addWidget(self.messages)
        layout.addLayout(self._bottom_bar())
        self.setCentralWidget(central)

    def _copy_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.base = QComboBox()
        self.base.setObjectName("baseTemplate")
        self.base.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.base.setMinimumContentsLength(16)
        for tid, t in sorted(self.templates.items()):
            self.base.addItem(f"{t.manifest.name}（{tid}）", tid)
        self.new_id = QLineEdit()
        self.new_id.setObjectName("newId")
        self.new_id.setPlaceholderText("新表样编号，如 county_2025")
        self.new_name = QLineEdit()
        self.new_name.setObjectName("newName")
        self.new_name.setPlaceholderText("新表样名称")
        self.copy_button = QPushButton("复制为新表样")
        self.edit_button = QPushButton("修改此表样")
        self.copy_button.clicked.connect(self.copy_template)
        self.edit_button.clicked.connect(self.edit_template)
        for w in (QLabel("基于："), self.base, self.new_id, self.new_name, self.copy_button,
                  self.edit_button):
            bar.addWidget(w)
        self.base.setCurrentIndex(max(0, self.base.findData(self.draft.manifest.id)))
        self.base.currentIndexChanged.connect(lambda _=0: self._base_changed())
        self._base_changed()
        return bar

    def _basic_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.id_label = QLabel("")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("formName")
        self.version_edit = QLineEdit()
        self.version_edit.setObjectName("formVersion")
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("formDescription")
        form.addRow("表样编号", self.id_label)
        form.addRow("表样名称", self.name_edit)
        form.addRow("版本（发给各单位的新版本请加大）", self.version_edit)
        form.addRow("说明", self.description_edit)
        self.name_edit.textEdited.connect(lambda t: self._set("name", "name", t))
        self.version_edit.textEdited.connect(lambda t: self._set("version", "version", t))
        self.description_edit.textChanged.connect(
            lambda: self._set("description", "description",
                              self.description_edit.toPlainText()))
        return page

    def _bottom_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.save_button = QPushButton("保存表样")
        self.forms_button = QPushButton("编辑表格版式（Excel/WPS）")
        self.forms_button.setToolTip(placeholder_tooltip(
            Use.FORMS, "保存后用 Excel/WPS 打开本表样的 forms.xlsx。"))
        self.docx_button = QPushButton("编辑正文版式（Word/WPS）")
        self.docx_button.setToolTip(placeholder_tooltip(
            Use.REPORT, "保存后用 Word/WPS 打开本表样的 report.docx。"))
        self.reload_button = QPushButton("重新载入")
        self.status = QLabel("")
        self.status.setObjectName("designerStatus")
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(120)
        self.save_button.clicked.connect(self.save)
        self.forms_button.clicked.connect(lambda: self.open_layout("forms.xlsx"))
        self.docx_button.clicked.connect(lambda: self.open_layout("report.docx"))
        self.reload_button.clicked.connect(self.reload_layout)
        for w in (self.save_button, self.forms_button, self.docx_button, self.reload_button):
            bar.addWidget(w)
        bar.addWidget(self.status, 1)
        return bar

    # --- choosing what to design ----------------------------------------------------------

    def _base(self) -> Template:
        return self.templates[self.base.currentData()]

    def _is_user(self, template: Template) -> bool:
        return template.folder.parent.resolve() == paths.user_templates_dir().resolve()

    def _base_changed(self) -> None:
        self.edit_button.setEnabled(self._is_user(self._base()))

    def copy_template(self) -> None:
        new_id = self.new_id.text().strip()
        name = self.new_name.text().strip() or f"{self._base().manifest.name}（副本）"
        if new_id in self.templates:
            self._report("copy", [f"表样编号“{new_id}”已被“{self.templates[new_id].manifest.name}”"
                                  "使用，请换一个编号"])
            return
        try:
            draft = TemplateDraft.copy_of(self._base(), new_id, name)
        except DesignError as exc:
            self._report("copy", exc.problems)
            return
        self._report("copy", [])
        self._start(draft)
        self.status.setText(f"已复制“{self._base().manifest.name}”，修改后请保存")

    def edit_template(self) -> None:
        self._start(TemplateDraft.edit(self._base()))

    def _start(self, draft: TemplateDraft) -> None:
        self.draft = draft
        self.problems = {}
        for tab in (self.outline, self.framework, self.rules):
            tab.set_draft(draft)
        self._load_basic()
        self._set_editing(True)
        self._changed()

    def _load_basic(self) -> None:
        m = self.draft.manifest
        self.id_label.setText(m.id)
        self.name_edit.setText(m.name)
        self.version_edit.setText(m.version)
        self.description_edit.blockSignals(True)
        self.description_edit.setPlainText(m.description)
        self.description_edit.blockSignals(False)

    def _set_editing(self, on: bool) -> None:
        self.tabs.setEnabled(on)
        for b in (self.save_button, self.forms_button, self.docx_button, self.reload_button):
            b.setEnabled(on)
        if not on:
            self.status.setText("选择一个表样，填写新编号和名称后点“复制为新表样”；"
                                "自己的表样也可直接修改")

    # --- changes, problems, preview ------------------------------------------------------

    def _set(self, key: str, field: str, value: str) -> None:
        try:
            self.draft.set(field, value)
        except DesignError as exc:
            self._report(key, exc.problems)
        else:
            self._report(key, [])

    def _report(self, key: str, problems: list[str]) -> None:
        """A field's problems (empty: it was applied); the preview follows each change."""
        self.problems[key] = problems
        shown = [p for ps in self.problems.values() for p in ps]
        self.messages.setText("\n".join(shown))
        if not problems:
            self._changed()

    def _changed(self) -> None:
        self._preview_timer.start()

    def refresh_preview(self) -> None:
        from ..designer.preview import preview

        self._preview_timer.stop()
        template = Template(self.draft.manifest, self.draft.source or Path("."))
        scores, forms = preview(template, self.draft.problems())
        self.score_view.setHtml(scores)
        self.forms_view.setHtml(forms)

    # --- saving, the layout files ----------------------------------------------------------

    def save(self) -> Path | None:
        try:
            folder = save_draft(self.draft)
        except PerfevalError as exc:
            self.status.setText(exc.message)
            return None
        self.templates = discover()
        self.status.setText(f"已保存到 {folder}；新建报告时即可选用“{self.draft.manifest.name}”")
        return folder

    def open_layout(self, name: str) -> None:
        """Save first (a copy never edits the built-in files), then open the user's copy."""
        folder = self.save()
        if folder is None:
            return
        path = folder / name
        if not path.is_file():
            self.status.setText(f"此表样没有 {name}，表格由程序按内置格式排版。")
            return
        self._watched[path] = path.stat().st_mtime
        self.open_file(path)
        self.status.setText(f"已打开 {path}；在 Excel/WPS/Word 中保存后回到本窗口即自动重新载入")

    def reload_layout(self) -> bool:
        """Reload after forms.xlsx/report.docx changed outside; True when something did."""
        changed = [p for p, t in self._watched.items() if p.is_file() and p.stat().st_mtime != t]
        for p in changed:
            self._watched[p] = p.stat().st_mtime
        try:
            template = discover([self.draft.source.parent])[self.draft.manifest.id] \
                if self.draft.source is not None else None
        except PerfevalError as exc:
            self.status.setText(exc.message)
            return False
        if template is not None:
            self.draft.manifest = template.manifest
            self._start(self.draft)
        self.refresh_preview()
        names = "、".join(p.name for p in changed)
        self.status.setText(f"已重新载入 {names}" if names else "已重新载入")
        return bool(changed)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            if any(p.is_file() and p.stat().st_mtime != t for p, t in self._watched.items()):
                QTimer.singleShot(0, self.reload_layout)


def _open_in_system(path: Path) -> object:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
