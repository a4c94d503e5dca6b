"""The thin Qt adapter of a :class:`Workspace`: listener calls become signals.

Views connect to ``changed`` (a :class:`Change`) and decide for themselves what to redraw;
item models connect to ``aboutToRestructure`` / ``restructured`` to call
``beginInsertRows`` & co. around the list edits.  Connections are direct (synchronous).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

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


class WorkspaceBridge(QObject):
    changed = Signal(object)  # Change
    aboutToRestructure = Signal(object)  # StructureEdit
    restructured = Signal(object)  # StructureEdit
    inputRefused = Signal(str)  # a message naming the field; the old value was kept

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self._relay = _Relay(self)
        ws.add_listener(self._relay)

    def detach(self) -> None:
        self.ws.remove_listener(self._relay)

    def execute(self, op: Operation, *, merge: bool = False) -> Change | None:
        """Run an edit; a refused value is reported through ``inputRefused``."""
        try:
            return self.ws.execute(op, merge=merge)
        except InputError as exc:
            self.inputRefused.emit(exc.message)
            return None
