"""Long work off the UI thread: 导出, PDF and the print preview's pages.

A :class:`Task` runs a function in a worker thread (a ``QThread``: the in-app PDF layout's
Qt objects start timers, which need the thread's event dispatcher) while the window stays
responsive.  The function gets a :class:`Progress`; each ``progress.step(text, done,
total)`` reports how far it is and is the point where 取消 takes effect (:class:`Cancelled`
is raised there).  Its
result or error comes back to the UI thread through a queued signal; a result that
arrives after 取消 is handed to ``discard`` (e.g. the staged files are removed), in the
worker and again on the UI thread: ``discard`` must not mind being called twice.

The work must not touch what the window edits: callers hand it a copy of the report
(``report.model_copy(deep=True)``), so the clerk goes on editing while it runs.

:class:`TaskBar` shows the running task in the window: what it does, a progress bar and
取消.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ..errors import PerfevalError

log = logging.getLogger(__name__)

T = TypeVar("T")


class Cancelled(Exception):
    """取消 was pressed: the work stops at its next step."""


class Progress:
    """Handed to the work: ``step`` reports progress and raises :class:`Cancelled` once
    取消 was pressed."""

    def __init__(self, relay: _Relay, stop: threading.Event) -> None:
        self._relay = relay
        self._stop = stop

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def step(self, text: str, done: int, total: int) -> None:
        if self._stop.is_set():
            raise Cancelled
        self._relay.progressed.emit(text, done, total)


class _Relay(QObject):
    """Lives on the UI thread; the worker emits, the UI thread receives (queued)."""

    progressed = Signal(str, int, int)
    ended = Signal(object, object)  # (result, exception or None)


class _Worker(QThread):
    def __init__(self, body: Callable[[], None], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self._body = body

    def run(self) -> None:
        self._body()


class Task(QObject, Generic[T]):
    """``work(progress)`` in a worker thread; ``done(result)`` or ``failed(message)`` on the
    UI thread afterwards, unless cancelled (then ``discard(result)`` for a late result, or
    ``abandon()`` where the work stopped without one: e.g. a LibreOffice conversion
    killed)."""

    progressed = Signal(str, int, int)
    finished = Signal()  # before done / failed, or on cancel: the window is free again
    _alive: set[Task[Any]] = set()  # kept until their worker's result arrived

    def __init__(self, title: str, work: Callable[[Progress], T], done: Callable[[T], None],
                 failed: Callable[[str], None],
                 discard: Callable[[T], None] | None = None,
                 abandon: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.title = title
        self._work, self._done, self._failed, self._discard = work, done, failed, discard
        self._abandon = abandon
        self._stop = threading.Event()
        self._relay = _Relay()
        self._relay.progressed.connect(self.progressed)
        self._relay.ended.connect(self._ended)
        self._thread = _Worker(self._run, f"task-{title}")
        self.running = False

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def start(self) -> None:
        self.running = True
        Task._alive.add(self)
        self._thread.start()

    def cancel(self) -> None:
        """Stop at the work's next step; the window is free at once.  What the work still
        produces is discarded."""
        if not self.running:
            return
        self._stop.set()
        self.running = False
        self.finished.emit()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the worker thread (e.g. before the program exits); True when it ended."""
        if self._thread.isRunning():
            if timeout is None:
                self._thread.wait()
            else:
                self._thread.wait(int(timeout * 1000))
        return not self._thread.isRunning()

    def _run(self) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = self._work(Progress(self._relay, self._stop))
        except BaseException as exc:  # handed to the UI thread, which decides
            error = exc
        if error is None and self._stop.is_set() and self._discard is not None:
            self._discard(result)  # here too: the program may be exiting (discard: idempotent)
        elif error is not None and self._stop.is_set() and self._abandon is not None:
            self._abandon()
        self._relay.ended.emit(result, error)

    def _ended(self, result: Any, error: BaseException | None) -> None:
        Task._alive.discard(self)
        if self._stop.is_set():  # cancelled: nobody waits for it any more
            if error is None and self._discard is not None:
                self._discard(result)
            elif error is not None and not isinstance(error, Cancelled):
                log.warning("cancelled %s ended with %r", self.title, error)
            return
        self.running = False
        self.finished.emit()
        if error is None:
            self._done(result)
        elif isinstance(error, PerfevalError):
            self._failed(error.message)
        elif isinstance(error, Cancelled):  # (not cancelled here: cannot happen)
            return
        else:
            raise error  # a bug: the program's excepthook reports it as any other


class TaskBar(QWidget):
    """What the running task does, its progress and 取消 (hidden while nothing runs)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("taskLabel")
        self.bar = QProgressBar()
        self.bar.setObjectName("taskProgress")
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setObjectName("taskCancel")
        row.addWidget(self.label, 1)  # the text takes the room; the bar and 取消 keep their size
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.task: Task[Any] | None = None
        self.hide()

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def run(self, task: Task[Any], note: str = "") -> None:
        """Show ``task`` here and start it; ``note`` (a tooltip) says what the clerk may do
        meanwhile."""
        self.task = task
        self._title = task.title
        self._say(f"正在{task.title}……")
        self.setToolTip(note)
        self.bar.setRange(0, 0)  # busy until the first step says how far
        task.progressed.connect(self._progressed)
        task.finished.connect(self._finished)
        self.cancel_button.clicked.connect(task.cancel)
        self.show()
        task.start()

    def _progressed(self, text: str, done: int, total: int) -> None:
        self._say(f"正在{self._title}：{text}（{done + 1}/{total}）……")
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _say(self, text: str) -> None:
        """Show ``text`` whole: the status bar's other texts give way (cut at the right)."""
        self.label.setText(text)
        self.label.setMinimumWidth(self.label.sizeHint().width())

    def _finished(self) -> None:
        if self.task is not None:
            self.cancel_button.clicked.disconnect(self.task.cancel)
        self.task = None
        self.hide()
