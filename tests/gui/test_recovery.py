"""Nothing lost: autosave, recovery after a crash, failed saves keep everything in memory."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from gui_support import GD, FakeDialogs
from helpers import retype, shortcut
from PySide6.QtWidgets import QApplication

from perfeval_desktop.errors import SaveError
from perfeval_desktop.storage import autosave, pfe
from perfeval_desktop.ui import excepthook, recovery
from perfeval_desktop.ui.dialogs import CloseAnswer
from perfeval_desktop.workspace import Workspace


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "医疗救助.pfe"
    shutil.copyfile(GD, target)
    return target


def crashed_run(path: Path | None, edit: str = "张三") -> Workspace:
    """What a run that crashed leaves behind: an autosave of unsaved work, no session."""
    ws = Workspace.open(path) if path else Workspace.new(Workspace.open(GD).template)
    ws.set_field("meta.filler", edit)
    ws.set_field("project.name", ws.report.project.name + "（修改）")
    saver = autosave.Autosaver(ws, session="crashed-run")
    assert saver.save_now()
    return ws


def start(monkeypatch: pytest.MonkeyPatch, dialogs: FakeDialogs, qtbot: Any, path: Path | None) -> Any:
    """Start the program as ``python -m perfeval_desktop [path]`` does, with scripted dialogs."""
    from perfeval_desktop.ui import app, main_window

    monkeypatch.setattr(main_window, "Dialogs", lambda parent: dialogs)
    window = app.open_window(path)
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    return window


def test_restore_after_crash_opens_the_work_unsaved_and_leaves_the_file(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, dialogs: FakeDialogs, copy: Path
) -> None:
    before = copy.read_bytes()
    lost = crashed_run(copy)
    dialogs.restore_answers = [True]
    window = start(monkeypatch, dialogs, qtbot, copy)
    [offered] = dialogs.offered
    assert offered.original == copy and offered.name == "医疗救助.pfe"
    assert window.ws.report == lost.report
    assert window.ws.path == copy and window.ws.dirty
    assert window.windowTitle().startswith("医疗救助.pfe*")
    assert window.editor.basic.edits["meta.filler"].text() == "张三"
    assert copy.read_bytes() == before  # the original is untouched until the clerk saves
    assert len(autosave.pending_recoveries()) == 1  # still protected until saved
    shortcut(window, "Ctrl+S")
    assert pfe.load(copy) == lost.report
    assert autosave.pending_recoveries() == []
    window.close()


def test_declined_recovery_is_deleted_and_the_file_opens_as_it_was(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, dialogs: FakeDialogs, copy: Path
) -> None:
    before = copy.read_bytes()
    crashed_run(copy)
    dialogs.restore_answers = [False]
    window = start(monkeypatch, dialogs, qtbot, copy)
    assert len(dialogs.offered) == 1
    assert autosave.pending_recoveries() == []
    assert window.ws.report == pfe.load(copy) and not window.ws.dirty
    assert copy.read_bytes() == before
    window.close()


def test_recovery_of_a_new_report_and_of_another_file_open_in_their_own_window(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, dialogs: FakeDialogs, copy: Path, tmp_path: Path
) -> None:
    untitled = crashed_run(None, "新报告的人")
    other = tmp_path / "other.pfe"
    shutil.copyfile(GD, other)
    time.sleep(1.1)  # newer: offered first
    edited = crashed_run(other, "另一份")
    dialogs.restore_answers = [True, True]
    window = start(monkeypatch, dialogs, qtbot, copy)
    assert [r.name for r in dialogs.offered] == ["other.pfe", "未命名.pfe"]
    assert window.ws.report == pfe.load(copy)  # the file asked for stays in this window
    first, second = window.extra_windows
    assert first.ws.report == edited.report and first.ws.path == other
    assert second.ws.report == untitled.report and second.ws.path is None and second.ws.dirty
    for w in (first, second):
        dialogs.close_answer = CloseAnswer.DISCARD
        assert w.close()
    assert autosave.pending_recoveries() == []
    window.close()


def test_recovery_of_a_run_still_alive_is_not_offered(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, copy: Path
) -> None:
    window = make_window(copy)
    window.ws.set_field("meta.filler", "张三")
    assert window.autosave.save_now()
    [mine] = autosave.pending_recoveries()
    assert mine.session == recovery.SESSION
    assert recovery.orphaned_recoveries() == []
    assert window.offer_recovery() == 0 and dialogs.offered == []


def test_autosave_after_structural_edit_and_on_timer(
    qtbot: Any, make_window: Any, copy: Path
) -> None:
    window = make_window(copy)
    assert autosave.pending_recoveries() == []
    tab = window.editor.indicators
    window.editor.setCurrentWidget(tab)
    leaf = window.ws.report.indicators[0].children[0].children[1]
    tab.select(leaf.id)
    shortcut(tab.tree, "Alt+Shift+Up")
    qtbot.waitUntil(lambda: len(autosave.pending_recoveries()) == 1, timeout=3000)
    assert autosave.pending_recoveries()[0].load() == window.ws.report
    window.autosave.timer.setInterval(50)  # the 60 s timer, shortened
    window.autosave.timer.start()
    retype(qtbot, window.editor.basic.edits["meta.filler"], "李四")
    qtbot.waitUntil(
        lambda: autosave.pending_recoveries()[0].load().meta.filler == "李四", timeout=3000
    )
    shortcut(window, "Ctrl+Z")
    shortcut(window, "Ctrl+Z")  # back to the file's state: nothing left to recover
    qtbot.waitUntil(lambda: autosave.pending_recoveries() == [], timeout=3000)


def test_clean_close_and_discard_delete_the_recovery(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, copy: Path
) -> None:
    window = make_window(copy)
    window.ws.set_field("meta.filler", "张三")
    window.autosave.save_now()
    assert autosave.pending_recoveries()
    dialogs.close_answer = CloseAnswer.CANCEL
    assert not window.close()
    assert autosave.pending_recoveries()  # still open, still protected
    dialogs.close_answer = CloseAnswer.DISCARD
    assert window.close()
    assert autosave.pending_recoveries() == []
    assert window.autosave.save_now not in excepthook.before_dialog


def test_exception_hook_autosaves_before_its_dialog(
    qtbot: Any, make_window: Any, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(copy)
    window.ws.set_field("meta.filler", "崩溃前")
    seen: list[list[autosave.Recovery]] = []
    monkeypatch.setattr(
        excepthook, "show_dialog", lambda m, p: seen.append(autosave.pending_recoveries())
    )
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        excepthook.handle(*sys.exc_info())  # type: ignore[arg-type]
    assert seen and seen[0][0].load().meta.filler == "崩溃前"


@pytest.mark.parametrize(
    "error",
    [
        PermissionError(13, "Permission denied"),
        OSError(28, "No space left on device"),
    ],
    ids=["read-only-or-locked", "disk-full"],
)
def test_failed_save_says_so_and_keeps_everything(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, copy: Path,
    monkeypatch: pytest.MonkeyPatch, error: OSError,
) -> None:
    window = make_window(copy)
    before = copy.read_bytes()
    retype(qtbot, window.editor.basic.edits["meta.filler"], "张三")

    real_replace = os.replace

    def fail(src: Any, dst: Any) -> None:
        if Path(dst).parent == copy.parent:  # the report's folder; the data folder is fine
            raise error
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail)  # the rename over the report fails
    shortcut(window, "Ctrl+S")
    monkeypatch.undo()
    [message] = dialogs.errors
    assert message.startswith("无法保存") and "医疗救助.pfe" in message
    assert ("磁盘空间不足" if error.errno == 28 else "写入权限") in message
    assert "另存为" in message
    assert window.ws.report.meta.filler == "张三" and window.ws.dirty
    assert window.windowTitle().startswith("医疗救助.pfe*")
    assert copy.read_bytes() == before
    assert [p.name for p in copy.parent.iterdir() if p.name.endswith(".tmp")] == []
    # the recovery copy was brought up to date when the save failed
    assert autosave.pending_recoveries()[0].load().meta.filler == "张三"
    shortcut(window, "Ctrl+S")  # the folder is writable again: saved, nothing to recover
    assert pfe.load(copy).meta.filler == "张三" and not window.ws.dirty
    assert autosave.pending_recoveries() == []


def test_save_error_from_workspace_keeps_data(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(copy)
    window.ws.set_field("meta.filler", "张三")

    def locked(report: Any, path: Any) -> None:
        raise SaveError("无法保存：文件被其他程序占用。请关闭 WPS/Excel 中打开的该文件后重试")

    monkeypatch.setattr(pfe, "save", locked)
    assert not window.save()
    assert "WPS" in dialogs.errors[-1]
    assert window.ws.dirty and window.ws.report.meta.filler == "张三"


def test_stale_temp_files_of_a_killed_save_are_cleaned_on_open_and_save(
    qtbot: Any, make_window: Any, dialogs: FakeDialogs, copy: Path
) -> None:
    old = copy.parent / f".{copy.name}.k1ll3d.tmp"
    fresh = copy.parent / f".{copy.name}.running.tmp"
    for f in (old, fresh):
        f.write_bytes(b"{")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    window = make_window(GD)
    dialogs.open = copy
    assert window.open_path(copy)
    assert not old.exists() and fresh.exists()
    os.utime(fresh, (two_hours_ago, two_hours_ago))
    window.ws.set_field("meta.filler", "张三")
    assert window.save()
    assert not fresh.exists()
    QApplication.processEvents()
