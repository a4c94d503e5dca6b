"""The frozen programs' entry scripts: --self-test dispatch, the start-time hook, the GUI check."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import perfeval_cli
import perfeval_gui
import pytest

import perfeval_desktop.cli
import perfeval_desktop.selftest


def test_cli_entry_accepts_self_test_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def fake_main(argv: list[str]) -> int:
        calls.append(argv)
        return 7

    monkeypatch.setattr(perfeval_desktop.cli, "main", fake_main)
    assert perfeval_cli.main(["--self-test", "--basedir", "X"]) == 7
    assert perfeval_cli.main(["--basedir", "X", "--self-test"]) == 7
    assert perfeval_cli.main(["check", "a.pfe", "--json"]) == 7
    assert calls == [["self-test", "--basedir", "X"], ["--basedir", "X", "self-test"],
                     ["check", "a.pfe", "--json"]]


def test_gui_entry_dispatches(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import perfeval_desktop.__main__ as gui_main

    seen: list[Any] = []

    def fake_gui(argv: list[str]) -> int:
        seen.append(("gui", argv))
        return 0

    def fake_self_test(basedir: Path) -> int:
        seen.append(("self-test", basedir))
        return 0

    monkeypatch.setattr(gui_main, "main", fake_gui)
    monkeypatch.setattr(perfeval_gui, "_self_test_in", fake_self_test)
    monkeypatch.delenv(perfeval_gui.QUIT_ENV, raising=False)
    assert perfeval_gui.main(["report.pfe", "--basedir", str(tmp_path)]) == 0
    assert perfeval_gui.main(["--self-test", "--basedir", str(tmp_path)]) == 0
    assert seen == [("gui", ["report.pfe", "--basedir", str(tmp_path)]),
                    ("self-test", tmp_path)]


@pytest.mark.gui
def test_quit_after_first_window(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    monkeypatch.setattr(QApplication, "exec", QApplication.exec)  # restored afterwards
    perfeval_gui.quit_after_first_window()
    label = QLabel("你好")
    label.show()
    assert qapp.exec() == 0
    label.hide()
    visible = any(w.isVisible() for w in QApplication.topLevelWidgets())
    assert qapp.exec() == (0 if visible else perfeval_gui.NO_WINDOW)


@pytest.mark.gui
def test_gui_check_opens_every_sample(qapp: Any, tmp_path: Path) -> None:
    from perfeval_desktop import paths

    paths.set_basedir(tmp_path)
    out = io.StringIO()
    assert perfeval_gui.gui_check(out) == 0, out.getvalue()
    text = out.getvalue()
    assert "Qt 中文翻译已载入" in text
    for sample in paths.samples_dir().glob("*.pfe"):
        assert f"通过  编辑窗口打开 {sample.name}" in text
    assert "通过  打印预览显示导出的 PDF" in text and "pypdfium2 渲染" in text
    assert list(tmp_path.rglob("*")), "settings and autosaves go under the basedir"


def test_windowed_self_test_writes_a_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(perfeval_desktop.selftest, "run_self_test",
                        lambda basedir, out: out.write("通过  x\n") and 0)
    monkeypatch.setattr(perfeval_gui, "gui_check", lambda out: out.write("界面\n") and 0)
    monkeypatch.setattr("sys.stdout", None)  # the windowed program on Windows
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert perfeval_gui.main(["--self-test", "--basedir", str(tmp_path)]) == 0
    assert (tmp_path / "self-test.log").read_text(encoding="utf-8") == "通过  x\n界面\n"
