"""A global exception hook: log to ``data_dir()/logs/`` and show a Chinese dialog.

``show_dialog`` is a module attribute so that tests can replace it; ``before_dialog``
holds callbacks run first (autosave will register itself there).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from .. import APP_NAME, __version__, paths

before_dialog: list[Callable[[], object]] = []


def log_dir() -> Path:
    folder = paths.data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_log(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path:
    import datetime as dt  # (here: the program's start does without them)
    import traceback

    now = dt.datetime.now()
    path = log_dir() / f"error-{now:%Y%m%d}.log"
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    with path.open("a", encoding="utf-8") as f:
        f.write(f"=== {now:%Y-%m-%d %H:%M:%S} {APP_NAME} {__version__}\n{text}\n")
    return path


def _default_show(message: str, log_path: Path | None) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        print(message, file=sys.stderr)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message)
    box.setInformativeText(
        f"详细信息已记录在：{log_path}\n请把该文件发给技术支持人员。" if log_path else ""
    )
    box.exec()


show_dialog: Callable[[str, Path | None], None] = _default_show


def handle(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log_path: Path | None
    try:
        log_path = write_log(exc_type, exc, tb)
    except OSError:
        log_path = None
    for callback in list(before_dialog):
        try:
            callback()
        except Exception:
            pass
    message = (
        "程序遇到了一个意外错误，但您填写的内容仍在窗口中。"
        "请先保存（Ctrl+S，建议“另存为”一个新文件），然后重新打开程序。\n\n"
        f"错误：{exc_type.__name__}: {exc}"
    )
    show_dialog(message, log_path)


def install() -> None:
    sys.excepthook = handle
