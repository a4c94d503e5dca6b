"""Long work in progress (issue #11 §4), offscreen, as PNGs in docs/screenshots/:

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/task_screenshots.py

- ``rollup-progress.png``: 汇总 reading 400 reports in its worker, the table of the
  previous roll-up still there, the progress bar and 取消 above it;
- ``import-progress.png``: the main window while 导入 Excel reads a file, its task bar
  (what it does, the progress and 取消) in the status bar, the report still editable;

each also at 1366×768 and 125 % (``laptop-1366x768-125-…``; a child process per scale, the
window as large as the screen's logical pixels less the taskbar).  Real work, caught at
its first progress reports (导入 held at its first step until then); nothing is written
into the samples' folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfeval_desktop import paths  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from shot_files import save, settle  # noqa: E402

SIZES = {"": ((1440, 900), 1.0), "laptop-1366x768-125-": ((1093, 584), 1.25)}
# (1366 × (768 - a 40 px taskbar)) / 1.25, less the title bar: as scripts/screenshots.py
SHOTS = ("rollup-progress.png", "import-progress.png")
OUTPUTS = tuple(prefix + name for prefix in SIZES for name in SHOTS)
"""Every file this script writes (and the only ones)."""


def rollup_shot(app: Any, size: tuple[int, int], name: str, work: Path) -> None:
    from perfeval_desktop.rollup.generate import generate_folder
    from perfeval_desktop.ui.rollup_window import RollupWindow

    before, received = work / "第一批报告", work / "第二批报告"
    generate_folder(before, 24)
    generate_folder(received, 400, seed=7)
    tool = RollupWindow()
    tool.resize(*size)
    tool.show()
    tool.choose_folder = lambda: before
    tool.add_folder()
    tool.start()
    settle(app, lambda: tool.result is not None and not tool.tasks.busy, limit=200_000)
    tool.choose_folder = lambda: received
    tool.add_folder()
    tool.start()
    settle(app, lambda: tool.tasks.bar.value() >= 90, limit=200_000)
    app.processEvents()
    save(tool, name, OUTPUTS)
    task = tool.tasks.task
    assert task is not None
    task.cancel()
    task.wait()
    tool.close()


def import_shot(app: Any, size: tuple[int, int], name: str, work: Path) -> None:
    from perfeval_desktop.export import export_report
    from perfeval_desktop.storage.pfe import load
    from perfeval_desktop.templates.loader import load_template
    from perfeval_desktop.ui.main_window import MainWindow
    from perfeval_desktop.workspace import Workspace

    samples = ROOT / "resources" / "samples"
    last = load(samples / "yn_wuhua_payables_2024.pfe")
    (xlsx,) = export_report(last, load_template(last.meta.template_id), work, ["xlsx"])
    window = MainWindow(Workspace.open(samples / "gd_yuancheng_medical_aid_2021.pfe"))
    window.resize(*size)
    window.show()
    window.dialogs.open_excel = lambda _folder: Path(xlsx)  # type: ignore[method-assign]
    window.dialogs.run_dialog = lambda _dialog: False  # type: ignore[method-assign]
    from perfeval_desktop.ui import import_dialog

    reading, release = threading.Event(), threading.Event()
    read = import_dialog.read_workbook

    def held(path: Path) -> Any:  # the worker waits here until the picture is taken
        reading.set()
        release.wait(60)
        return read(path)

    import_dialog.read_workbook = held  # type: ignore[assignment]
    window.actions_by_name["import_excel"].trigger()
    settle(app, lambda: reading.is_set() and "（" in window.tasks.label.text(), limit=200_000)
    for _ in range(10):  # the status bar laid out again for the longer text
        app.processEvents()
    save(window, name, OUTPUTS)
    release.set()
    task = window.tasks.task
    assert task is not None
    task.wait()
    import_dialog.read_workbook = read  # type: ignore[assignment]
    window.close()


def one(prefix: str) -> int:
    paths.set_basedir(tempfile.mkdtemp(prefix="perfeval-shots-"))
    from perfeval_desktop.ui.app import create_app

    app = create_app([sys.argv[0]])
    size = SIZES[prefix][0]
    with tempfile.TemporaryDirectory(prefix="perfeval-shots-work-") as tmp:
        for shot, name in zip((rollup_shot, import_shot), SHOTS, strict=True):
            work = Path(tmp) / name.removesuffix(".png")
            work.mkdir()
            shot(app, size, prefix + name, work)
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--one"]:
        return one(sys.argv[2] if len(sys.argv) > 2 else "")
    for prefix, (_size, scale) in SIZES.items():
        env = dict(os.environ, QT_SCALE_FACTOR=str(scale))
        subprocess.run([sys.executable, __file__, "--one", prefix], env=env, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
