"""Which widget edits which field path: red frames for findings, and jumping to a field."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..scoring.findings import Finding, Level
from .fields import mark


class FieldRegistry:
    def __init__(self) -> None:
        self.widgets: dict[str, QWidget] = {}

    def register(self, path: str, widget: QWidget) -> QWidget:
        self.widgets[path] = widget
        widget.setProperty("fieldPath", path)
        widget.destroyed.connect(lambda *_: self._forget(path, widget))
        return widget

    def _forget(self, path: str, widget: QWidget) -> None:
        if self.widgets.get(path) is widget:
            del self.widgets[path]

    def widget_for(self, path: str) -> QWidget | None:
        """The widget of ``path`` or of the nearest field above it
        (``funding.total.executed`` → itself; ``sections.advice`` → the editor)."""
        probe = path
        while probe:
            if probe in self.widgets:
                return self.widgets[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return None

    def apply(self, findings: list[Finding]) -> None:
        by_path: dict[str, list[Finding]] = {}
        for finding in findings:
            widget = self.widget_for(finding.path)
            if widget is not None:
                by_path.setdefault(str(widget.property("fieldPath")), []).append(finding)
        for path, widget in list(self.widgets.items()):
            found = by_path.get(path, [])
            levels = {f.level for f in found}
            level = "error" if Level.ERROR in levels else "verify" if Level.VERIFY in levels else ""
            mark(widget, level, "\n".join(f"【{f.level.label}】{f.message}" for f in found))
