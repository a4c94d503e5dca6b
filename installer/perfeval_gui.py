"""Entry of the frozen window program ``perfeval-desktop-gui`` (installer/perfeval-desktop.spec).

* ``--self-test [--basedir DIR]``: the smoke test of the installed program —
  :func:`perfeval_desktop.selftest.run_self_test` (templates, samples, exports), then
  :func:`gui_check` (Qt starts with the bundled plugins, Qt's Chinese translations are
  loaded, every sample opens in an editor window).  Offscreen: no window appears.  The
  windowed program on Windows has no console, so the lines go to ``DIR/self-test.log``.
* anything else goes to :func:`perfeval_desktop.__main__.main` unchanged (``FILE``,
  ``--basedir``).  With ``PERFEVAL_QUIT_AFTER_SHOWN=1`` the program quits as soon as its
  first window has been shown (exit 0, or 3 when no window is visible): that is what
  ``installer/measure_start.py`` times.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

QUIT_ENV = "PERFEVAL_QUIT_AFTER_SHOWN"
NO_WINDOW = 3


def _say(out: TextIO | None, text: str) -> None:
    if out is not None:
        out.write(text + "\n")
        out.flush()


def gui_check(out: TextIO | None = None) -> int:
    """Start Qt as the program does and open every sample in an editor window; 0 if fine.

    Uses the basedir already set (``paths.set_basedir``) for settings and autosaves."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication, QImageReader

    from perfeval_desktop import paths
    from perfeval_desktop.ui.app import create_app, open_window

    failed = 0

    def result(ok: bool, what: str) -> None:
        nonlocal failed
        failed += not ok
        _say(out, f"{'通过' if ok else '失败'}  {what}")

    app = create_app(sys.argv[:1])
    result(True, f"Qt 界面启动（平台插件 {QGuiApplication.platformName()}）")
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    result(cancel == "取消", f"Qt 中文翻译已载入（“Cancel”显示为“{cancel}”）")
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    result("png" in formats and "ico" in formats, "图像格式 png、ico 可用")
    for sample in sorted(paths.samples_dir().glob("*.pfe")):
        try:
            window = open_window(sample)
            app.processEvents()
            shown = window is not None and window.isVisible()
        except Exception as exc:
            result(False, f"编辑窗口打开 {sample.name}：{type(exc).__name__}: {exc}")
            continue
        result(shown, f"编辑窗口打开 {sample.name}")
        if window is not None:
            window.hide()
            window.deleteLater()
            app.processEvents()
    try:
        pages, engine = _preview_check(app)
        result(pages > 0, f"打印预览显示导出的 PDF（{engine}，{pages} 页，pypdfium2 渲染）")
    except Exception as exc:
        result(False, f"打印预览：{type(exc).__name__}: {exc}")
    _say(out, f"界面自检：{'全部通过' if not failed else f'{failed} 项失败'}")
    return 1 if failed else 0


def _preview_check(app: object) -> tuple[int, str]:
    """The print preview of the first sample: its PDF made and a page drawn by pypdfium2."""
    from perfeval_desktop import paths
    from perfeval_desktop.ui.print_preview import PrintPreview
    from perfeval_desktop.workspace import Workspace

    sample = sorted(paths.samples_dir().glob("*.pfe"))[0]
    dialog = PrintPreview.made_here(Workspace.open(sample))
    try:
        image = dialog.pages.image(0, 30)
        if image.isNull() or image.width() < 100:
            raise RuntimeError("第 1 页没有画出")
        return len(dialog.pages), dialog.engine
    finally:
        dialog.close()
        dialog.deleteLater()


def self_test(argv: list[str]) -> int:
    import argparse  # here, not at the top: neither is needed on the way to the window
    import tempfile

    parser = argparse.ArgumentParser(prog="perfeval-desktop-gui --self-test")
    parser.add_argument("--self-test", action="store_true", required=True)
    parser.add_argument("--basedir", help="自检写入的文件夹（默认临时文件夹，结束后删除）")
    args = parser.parse_args(argv)
    if args.basedir:
        return _self_test_in(Path(args.basedir))
    with tempfile.TemporaryDirectory(prefix="perfeval-self-test-") as tmp:
        return _self_test_in(Path(tmp))


def _self_test_in(basedir: Path) -> int:
    from perfeval_desktop.selftest import run_self_test
    from perfeval_desktop.ui.app import create_app

    # the window's QApplication first, as at a normal start: the self-test's in-app PDF
    # would otherwise make a widget-less QGuiApplication (printing/ uses no widgets)
    create_app(sys.argv[:1])
    basedir.mkdir(parents=True, exist_ok=True)
    out: TextIO | None = sys.stdout
    log: TextIO | None = None
    if out is None:  # the windowed program on Windows has no console
        log = out = open(basedir / "self-test.log", "w", encoding="utf-8")
        sys.stderr = log
    else:
        reconfigure = getattr(out, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    try:
        core = run_self_test(basedir, out)
        gui = gui_check(out)
        return 1 if core or gui else 0
    finally:
        if log is not None:
            log.close()


def quit_after_first_window() -> None:
    """Make ``QApplication.exec()`` return as soon as the event loop has shown the first
    window (what start-up timing measures)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    original = QApplication.exec

    def exec_once() -> int:
        def done() -> None:
            visible = any(w.isVisible() for w in QApplication.topLevelWidgets())
            QApplication.exit(0 if visible else NO_WINDOW)

        QTimer.singleShot(0, done)
        return original()

    QApplication.exec = staticmethod(exec_once)  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--self-test" in args:
        return self_test(args)
    if os.environ.get(QUIT_ENV):
        quit_after_first_window()
    from perfeval_desktop.__main__ import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
