"""基本信息: the project, the units, 填报人, 联系人, 电话, 填报日期 and 项目类型."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from ..model.report import ProjectType
from ..workspace import Change
from .bridge import WorkspaceBridge
from .fields import DateEdit, RefusalMessage, ReportField, TextEdit
from .registry import FieldRegistry

TEXT_FIELDS = [
    ("project.name", "项目名称"),
    ("project.department", "主管部门"),
    ("project.implementer", "实施单位"),
    ("project.leader", "项目负责人"),
    ("meta.unit", "填报单位"),
    ("meta.region", "地区（区、县）"),
    ("meta.filler", "填报人"),
    ("meta.contact", "联系人"),
    ("meta.phone", "联系电话"),
    ("meta.unit_head", "单位负责人"),
]


class YearSpin(QSpinBox):
    """年度; the lowest value stands for “not filled in”."""

    def __init__(self, bridge: WorkspaceBridge) -> None:
        super().__init__()
        self.access = ReportField(bridge, "meta.year", "年度")
        self.setRange(1989, 2100)
        self.setSpecialValueText("（未填）")
        self._updating = False
        self._refresh()
        self.valueChanged.connect(self._picked)
        bridge.changed.connect(lambda c: self._refresh() if self.access.touched(c) else None)

    def _picked(self, value: int) -> None:
        if not self._updating:
            year = None if value == self.minimum() else value
            if year != self.access.get():
                self.access.set(year, True)

    def _refresh(self) -> None:
        value = self.access.get() or self.minimum()
        if self.value() != value:
            self._updating = True
            self.setValue(value)
            self._updating = False


class ProjectTypeChoice(QWidget):
    def __init__(self, bridge: WorkspaceBridge) -> None:
        super().__init__()
        self.access = ReportField(bridge, "meta.project_type", "项目类型")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[ProjectType | None, QRadioButton] = {}
        for value, text in (
            (ProjectType.RECURRING, "经常性项目"),
            (ProjectType.ONE_OFF, "一次性项目"),
            (None, "不填"),
        ):
            button = QRadioButton(text)
            self.group.addButton(button)
            self.buttons[value] = button
            layout.addWidget(button)
            button.toggled.connect(lambda on, v=value: self._picked(v) if on else None)
        layout.addStretch(1)
        self._refresh()
        bridge.changed.connect(lambda c: self._refresh() if self.access.touched(c) else None)

    def _picked(self, value: ProjectType | None) -> None:
        if value != self.access.get():
            self.access.set(value, False)

    def _refresh(self) -> None:
        button = self.buttons.get(self.access.get())
        if button is not None and not button.isChecked():
            button.setChecked(True)


class BasicTab(QScrollArea):
    def __init__(self, bridge: WorkspaceBridge, registry: FieldRegistry) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(24, 18, 24, 18)
        form.setVerticalSpacing(10)
        self.edits: dict[str, QWidget] = {}
        for path, label in TEXT_FIELDS[:4]:
            self._text(bridge, registry, form, path, label)
        year = registry.register("meta.year", YearSpin(bridge))
        year.setObjectName("meta.year")
        form.addRow("年度", year)
        for path, label in TEXT_FIELDS[4:]:
            self._text(bridge, registry, form, path, label)
        self.message = RefusalMessage("basicMessage")
        date = registry.register(
            "meta.fill_date",
            DateEdit(
                ReportField(bridge, "meta.fill_date", "填报日期"), self.message.show_message
            ),
        )
        date.setObjectName("meta.fill_date")
        form.addRow("填报日期", date)
        form.addRow("", self.message)
        kind = registry.register("meta.project_type", ProjectTypeChoice(bridge))
        form.addRow("项目类型", kind)
        title = self._text(bridge, registry, form, "meta.report_title", "报告标题")
        assert isinstance(title, QLineEdit)
        self.title_edit = title
        self._placeholder(bridge)
        bridge.changed.connect(self._changed)
        self.bridge = bridge
        self.setWidget(body)

    def _text(
        self,
        bridge: WorkspaceBridge,
        registry: FieldRegistry,
        form: QFormLayout,
        path: str,
        label: str,
    ) -> QWidget:
        edit = TextEdit(ReportField(bridge, path, label))
        edit.setObjectName(path)
        edit.setMinimumWidth(480)
        if path == "meta.phone":
            edit.setPlaceholderText("7–12 位数字，可含“-”，如 0753-2222222")
        registry.register(path, edit)
        self.edits[path] = edit
        form.addRow(label, edit)
        return edit

    def _placeholder(self, bridge: WorkspaceBridge) -> None:
        ws = bridge.ws
        name = ws.report.project.name or "（项目名称）"
        self.title_edit.setPlaceholderText(
            "留空时为：" + ws.manifest.report_title.replace("{project}", name)
        )

    def _changed(self, change: Change) -> None:
        if change.touches("project.name"):
            self._placeholder(self.bridge)
