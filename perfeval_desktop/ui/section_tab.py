"""One top-level section of the report outline: its subsections as titled editors, each
with its 填写说明 beside it and a live character count against the section's limit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..templates.manifest import Section
from ..workspace import Change
from .bridge import WorkspaceBridge
from .fields import LongTextEdit, ReportField
from .last_year import section_hint
from .placeholder_help import placeholder_hint
from .registry import FieldRegistry


def char_count(text: str) -> int:
    """字数 as the validator counts it: characters other than whitespace."""
    return sum(1 for ch in text if not ch.isspace())


class SectionEditor(QWidget):
    """A heading, the editor, the count and the guidance box."""

    def __init__(
        self,
        bridge: WorkspaceBridge,
        registry: FieldRegistry,
        section: Section,
        heading: str,
        single: bool,
    ) -> None:
        super().__init__()
        self.bridge = bridge
        self.section = section
        self.path = f"sections.{section.id}"
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 6, 0, 6)
        title = QLabel(f"<b style='font-size:12pt'>{heading}</b>")
        grid.addWidget(title, 0, 0, 1, 2)
        self.edit = LongTextEdit(ReportField(bridge, self.path, section.heading))
        self.edit.setObjectName(self.path)
        self.edit.setMinimumHeight(360 if single else 170)
        registry.register(self.path, self.edit)
        grid.addWidget(self.edit, 1, 0)
        self.count = QLabel()
        self.count.setObjectName(f"count.{section.id}")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.count, 2, 0)
        guide = QLabel(f"<b>填写说明</b><br>{section.guidance or '按实际情况填写。'}")
        guide.setWordWrap(True)
        guide.setAlignment(Qt.AlignmentFlag.AlignTop)
        guide.setFrameShape(QFrame.Shape.StyledPanel)
        guide.setStyleSheet("background:#f6f8fb; padding:8px; color:#3c4043;")
        guide.setFixedWidth(300)
        side = QVBoxLayout()
        side.addWidget(guide)
        side.addWidget(placeholder_hint(section.id))
        hint = section_hint(bridge.ws.report, section.id, 300)
        if hint is not None:
            side.addWidget(hint, 1)
        else:
            side.addStretch(1)
        grid.addLayout(side, 1, 1, 2, 1)
        grid.setColumnStretch(0, 1)
        self.edit.textChanged.connect(self._count)
        self._count()

    def _count(self) -> None:
        n = char_count(self.edit.toPlainText())
        limit = self.section.limit
        if limit is None:
            self.count.setText(f"{n} 字")
            self.count.setStyleSheet("color:#5f6368;")
        else:
            over = n > limit
            self.count.setText(f"{n} / {limit} 字" + ("（已超出字数上限）" if over else ""))
            self.count.setStyleSheet(
                "color:#b3261e; font-weight:bold;" if over else "color:#5f6368;"
            )


class SectionTab(QScrollArea):
    def __init__(self, bridge: WorkspaceBridge, registry: FieldRegistry, section: Section) -> None:
        super().__init__()
        self.section = section
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 8, 18, 8)
        self.editors: list[SectionEditor] = []
        leaves = _leaves(section, "")
        for leaf, heading in leaves:
            editor = SectionEditor(bridge, registry, leaf, heading, single=len(leaves) == 1)
            self.editors.append(editor)
            layout.addWidget(editor)
        layout.addStretch(1)
        self.setWidget(body)
        bridge.changed.connect(self._changed)

    def section_ids(self) -> set[str]:
        return {e.section.id for e in self.editors}

    def _changed(self, change: Change) -> None:  # counts follow undo as well
        if change.touches("sections"):
            for editor in self.editors:
                editor._count()


def _leaves(section: Section, prefix: str) -> list[tuple[Section, str]]:
    heading = f"{prefix}{section.heading}"
    if not section.children:
        return [(section, heading)]
    out: list[tuple[Section, str]] = []
    for child in section.children:
        out += _leaves(child, "")
    return out
