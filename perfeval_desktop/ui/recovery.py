"""Autosave on a timer and after structural edits; which recovery files are really orphans.

The writing itself is Qt-free (:mod:`perfeval_desktop.storage.autosave`).  Here: a
``QTimer`` every 60 s, a short single-shot after a row/indicator was inserted, removed or
moved, the exception hook's ``before_dialog`` callback, and a ``QLockFile`` per run so that
a second copy of the program (the clerk double-clicked another .pfe) never offers to
"recover" the unsaved work of a copy that is still running.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, QTimer

from . import excepthook

if TYPE_CHECKING:  # imported when first needed: the window's shell is built before them
    from ..storage import autosave
    from ..workspace import Change, Workspace
    from .bridge import WorkspaceBridge

SESSION = os.urandom(8).hex()  # this run of the program
STRUCTURAL_DELAY_MS = 500  # several quick moves make one autosave
_locks: dict[Path, QLockFile] = {}


def _lock_path(folder: Path, session: str) -> Path:
    return folder / f"session-{session}.lock"


def hold_session_lock() -> None:
    """Mark this run as alive in the autosave folder (once per folder)."""
    from ..storage import autosave

    folder = autosave.recovery_dir()
    if folder in _locks:
        return
    lock = QLockFile(str(_lock_path(folder, SESSION)))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        _locks[folder] = lock


def session_alive(session: str) -> bool:
    """True when the run that wrote a recovery file is still running (this one included)."""
    if not session:
        return False
    if session == SESSION:
        return True
    from ..storage import autosave

    path = _lock_path(autosave.recovery_dir(), session)
    if not path.exists():
        return False
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # never stale by age: only when its process is gone
    if lock.tryLock(0):
        lock.unlock()  # a crashed run's lock: removed
        return False
    return lock.error() == QLockFile.LockError.LockFailedError


def other_instance_alive() -> bool:
    """True when another copy of the program holds its session lock in the autosave folder."""
    from ..storage import autosave

    for lock in autosave.recovery_dir().glob("session-*.lock"):
        session = lock.name.removeprefix("session-").removesuffix(".lock")
        if session != SESSION and session_alive(session):
            return True
    return False


def clean_temps_at_start(recent: list[Path]) -> list[Path]:
    """The temp files killed saves left (recent reports, autosave folder), unless another
    copy of the program runs: its saves may be under way."""
    from ..storage import autosave

    if other_instance_alive():
        return []
    return autosave.clean_temps_at_start(recent)


def orphaned_recoveries() -> list[autosave.Recovery]:
    """Recovery files left by runs that ended without cleaning up (crash, power cut)."""
    from ..storage import autosave

    return [r for r in autosave.pending_recoveries() if not session_alive(r.session)]


class AutosaveController(QObject):
    """Drives an :class:`autosave.Autosaver` for the window's current workspace."""

    def __init__(self, parent: QObject | None = None, interval_s: int | None = None):
        """``interval_s``: ``autosave.INTERVAL_S`` unless given (read when a workspace is
        attached: the window's shell exists before the storage modules are imported)."""
        super().__init__(parent)
        self._interval_s = interval_s
        self.saver: autosave.Autosaver | None = None
        self._bridge: WorkspaceBridge | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.save_now)
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(STRUCTURAL_DELAY_MS)
        self.soon.timeout.connect(self.save_now)
        excepthook.before_dialog.append(self.save_now)

    def attach(self, bridge: WorkspaceBridge, key: str | None = None) -> None:
        """Follow a new workspace (the previous one's recovery file is deleted: the window
        only replaces a report after it was saved or the clerk chose not to save it)."""
        from ..storage import autosave

        key = key or autosave.key_for(bridge.ws.path)
        if self.saver is not None and self.saver.key != key:
            self.saver.discard()
        if self._bridge is not None:
            self._bridge.changed.disconnect(self._changed)
        hold_session_lock()
        self.saver = autosave.Autosaver(bridge.ws, key, SESSION)
        self._bridge = bridge
        bridge.changed.connect(self._changed)
        interval_s = autosave.INTERVAL_S if self._interval_s is None else self._interval_s
        self.timer.setInterval(interval_s * 1000)
        self.timer.start()

    @property
    def ws(self) -> Workspace | None:
        return self.saver.ws if self.saver is not None else None

    def _changed(self, change: Change) -> None:
        if change.edits and not self.soon.isActive():
            self.soon.start()

    def save_now(self) -> bool:
        """Write the recovery file now if there is unsaved work not in it yet."""
        return self.saver.save_now() if self.saver is not None else False

    def saved(self) -> None:
        if self.saver is not None:
            self.saver.saved()

    def close(self) -> None:
        """A clean close: nothing to recover, no more timers, out of the exception hook."""
        self.timer.stop()
        self.soon.stop()
        if self.saver is not None:
            self.saver.discard()
        if self.save_now in excepthook.before_dialog:
            excepthook.before_dialog.remove(self.save_now)
