"""The thin Qt adapter of a :class:`Workspace`: listener calls become signals.

Views connect to ``changed`` (a :class:`Change`) and decide for themselves what to redraw;
item models connect to ``aboutToRestructure`` / ``restructured`` to call
``beginInsertRows`` & co. around the list edits.  Connections are direct (synchronous).

Scores, totals and the grade follow every keystroke; the validator runs once typing pauses
(``VALIDATE_DELAY_MS`` after the last edit, the timer restarted by each one), then a
``Change(findings=True)`` updates the checks dock and the red frames.  Whatever reads or
writes the findings (saving, exporting, print preview, closing, 立即校验) calls
:meth:`WorkspaceBridge.flush` first.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from ..errors import InputError
from ..workspace import Change, Operation, StructureEdit, Workspace


class _Relay:
    """The workspace's listener (a Signal attribute would shadow a ``changed`` method)."""

    def __init__(self, bridge: WorkspaceBridge) -> None:
        self.bridge = bridge

    def structure_about_to_change(self, edit: StructureEdit) -> None:
        self.bridge.aboutToRestructure.emit(edit)

    def structure_changed(self, edit: StructureEdit) -> None:
        self.bridge.restructured.emit(edit)

    def changed(self, change: Change) -> None:
        self.bridge.changed.emit(change)
        if self.bridge.ws.validation_pending:
            self.bridge.validation_timer.start()


VALIDATE_DELAY_MS = 120


class WorkspaceBridge(QObject):
    changed = Signal(object)  # Change
    aboutToRestructure = Signal(object)  # StructureEdit
    restructured = Signal(object)  # StructureEdit
    inputRefused = Signal(str)  # a message naming the field; the old value was kept

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.validation_timer = QTimer(self)
        self.validation_timer.setSingleShot(True)
        self.validation_timer.setInterval(VALIDATE_DELAY_MS)
        self.validation_timer.timeout.connect(self.flush)
        ws.defer_validation = True
        self._relay = _Relay(self)
        ws.add_listener(self._relay)

    def flush(self) -> None:
        """Run a validation an edit left for later now (the checks and frames follow)."""
        self.validation_timer.stop()
        self.ws.flush_validation()

    def detach(self) -> None:
        self.validation_timer.stop()
        self.ws.remove_listener(self._relay)
        self.ws.defer_validation = False
        self.ws.flush_validation()

    def execute(self, op: Operation, *, merge: bool = False) -> Change | None:
        """Run an edit; a refused value is reported through ``inputRefused``."""
        try:
            return self.ws.execute(op, merge=merge)
        except InputError as exc:
            self.inputRefused.emit(exc.message)
            return None

    def undo(self) -> Change | None:
        return self.ws.undo()

    def redo(self) -> Change | None:
        return self.ws.redo()
