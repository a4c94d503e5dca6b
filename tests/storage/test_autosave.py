"""Recovery files: written atomically by pfe.save, listed after a crash, discarded cleanly."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest

from perfeval_desktop import paths
from perfeval_desktop.errors import SaveError
from perfeval_desktop.storage import autosave, pfe
from perfeval_desktop.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    copy = tmp_path / "报告[1].pfe"
    shutil.copyfile(GD, copy)
    return Workspace.open(copy)


def test_keys_are_stable_per_path_and_unique_for_new_reports(tmp_path: Path) -> None:
    a = tmp_path / "a.pfe"
    assert autosave.key_for(a) == autosave.key_for(tmp_path / "." / "a.pfe")
    assert autosave.key_for(a) != autosave.key_for(tmp_path / "b.pfe")
    assert autosave.key_for(a).startswith("file-")
    first, second = autosave.key_for(None), autosave.key_for(None)
    assert first.startswith("untitled-") and first != second


def test_write_then_pending_then_discard(ws: Workspace) -> None:
    ws.set_field("meta.filler", "张三")
    written = autosave.write(ws.report, "file-x", ws.path, ws.display_name, "s1")
    assert written.file.parent == paths.data_dir() / "autosave"
    [found] = autosave.pending_recoveries()
    assert found.key == "file-x" and found.original == ws.path and found.session == "s1"
    assert found.name == "报告[1].pfe"
    assert abs((found.saved_at - dt.datetime.now()).total_seconds()) < 60
    now = found.saved_at
    assert found.time_text == f"{now.year}年{now.month}月{now.day}日 {now:%H:%M:%S}"
    assert found.load() == ws.report
    autosave.discard(found)
    assert autosave.pending_recoveries() == []
    assert list(autosave.recovery_dir().iterdir()) == []


def test_recovery_is_written_by_pfe_save(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real = pfe.save
    monkeypatch.setattr(pfe, "save", lambda report, path: (calls.append(Path(path)), real(report, path)))
    ws.set_field("meta.filler", "张三")
    saver = autosave.Autosaver(ws)
    assert saver.save_now()
    assert calls == [saver.file]
    ws.set_field("meta.filler", "李四")
    assert saver.save_now()
    assert pfe.backup_path(saver.file).is_file()  # the previous autosave is kept as .bak
    autosave.discard(saver.key)
    assert not pfe.backup_path(saver.file).exists()


def test_autosaver_writes_only_new_unsaved_work(ws: Workspace, tmp_path: Path) -> None:
    saver = autosave.Autosaver(ws)
    assert not saver.save_now() and not saver.file.exists()  # clean: nothing to lose
    ws.set_field("meta.filler", "张三")
    assert saver.save_now() and saver.file.is_file()
    assert not saver.save_now()  # nothing new since
    ws.set_field("meta.filler", "张三丰")
    assert saver.save_now()
    assert autosave.pending_recoveries()[0].load().meta.filler == "张三丰"
    ws.undo()
    ws.undo()  # back to the saved state: nothing to lose, the recovery file goes
    assert not saver.save_now() and not saver.file.exists()
    ws.set_field("meta.filler", "王五")
    saver.save_now()
    ws.save()
    saver.saved()
    assert autosave.pending_recoveries() == []


def test_new_report_recovery_is_renamed_after_its_first_save(tmp_path: Path) -> None:
    ws = Workspace.new(Workspace.open(GD).template)
    saver = autosave.Autosaver(ws)
    assert saver.key.startswith("untitled-")
    ws.set_field("project.name", "新项目")
    saver.save_now()
    [found] = autosave.pending_recoveries()
    assert found.original is None and found.name == "未命名.pfe"
    ws.save(tmp_path / "新.pfe")
    saver.saved()
    assert autosave.pending_recoveries() == []
    assert saver.key == autosave.key_for(tmp_path / "新.pfe")


def test_failing_autosave_is_reported_not_raised(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(report: object, path: object) -> None:
        raise SaveError("磁盘空间不足")

    monkeypatch.setattr(pfe, "save", fail)
    ws.set_field("meta.filler", "张三")
    saver = autosave.Autosaver(ws)
    assert not saver.save_now()
    assert saver.last_error == "磁盘空间不足"
    assert ws.report.meta.filler == "张三" and ws.dirty


def test_damaged_description_still_lists_the_recovery(ws: Workspace) -> None:
    recovery = autosave.write(ws.report, "untitled-abc", None, "未命名.pfe")
    recovery.file.with_suffix(".json").write_text("{not json", encoding="utf-8")
    [found] = autosave.pending_recoveries()
    assert found.original is None and found.name == "未命名.pfe"
    assert found.load() == ws.report


def test_recovered_workspace_is_unsaved_until_saved(ws: Workspace, tmp_path: Path) -> None:
    original = ws.path
    assert original is not None
    before = original.read_bytes()
    ws.set_field("meta.filler", "张三")
    restored = Workspace.recovered(ws.report.model_copy(deep=True), original)
    assert restored.dirty and restored.path == original
    restored.set_field("meta.phone", "1")
    restored.undo()
    assert restored.dirty  # undo cannot reach the file's state
    assert original.read_bytes() == before
    restored.save()
    assert not restored.dirty


def test_clean_stale_temps_removes_only_old_temps_of_that_report(tmp_path: Path) -> None:
    report = tmp_path / "报告[1].pfe"
    report.write_text("{}", encoding="utf-8")
    old = tmp_path / ".报告[1].pfe.abc123.tmp"
    old_bak = tmp_path / ".报告[1].pfe.def456.bak.tmp"
    young = tmp_path / ".报告[1].pfe.ghi789.tmp"
    other = tmp_path / ".其他.pfe.abc.tmp"
    for f in (old, old_bak, young, other):
        f.write_bytes(b"x")
    hour_ago = time.time() - 2 * 3600
    for f in (old, old_bak, other):
        os.utime(f, (hour_ago, hour_ago))
    removed = autosave.clean_stale_temps(report)
    assert sorted(removed) == sorted([old, old_bak])
    assert young.exists() and other.exists() and report.exists()
    assert autosave.clean_stale_temps(tmp_path / "missing" / "x.pfe") == []
