"""The main tabs of the editor on the samples, offscreen, as PNGs in docs/screenshots/.

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py --editor   # the tabs only
QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py --laptop   # only these:

the laptop screens of issue #12 (1366×768 at 125 %, 1920×1080 at 150 %): each in its own
process with QT_SCALE_FACTOR set, the window as large as the screen's logical pixels
less the taskbar, the 广东 sample's 指标评分, 问题与整改 and 基本信息 tabs, 指标评分 with a
rate linked to 项目资金 (…-rate.png), and the start page.

A short, fixed list (the files are committed and shown in the README): the clerk's main
tabs on the 广东 sample, the 指标评分 tab of three other families, and the print preview.
Each run replaces these files (its ``OUTPUTS``) and touches no other (shot_files.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfeval_desktop import paths  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from shot_files import save  # noqa: E402

SIZE = (1440, 900)

# (sample, tab title or section prefix, file name)
SHOTS = [
    ("gd_yuancheng_medical_aid_2021", "基本信息", "gd-1-basic.png"),
    ("gd_yuancheng_medical_aid_2021", "项目资金", "gd-2-funding.png"),
    ("gd_yuancheng_medical_aid_2021", "绩效目标", "gd-3-goals.png"),
    ("gd_yuancheng_medical_aid_2021", "指标评分", "gd-4-indicators.png"),
    ("gd_yuancheng_medical_aid_2021", "三、", "gd-5-section.png"),
    ("gd_yuancheng_medical_aid_2021", "问题与整改", "gd-6-problems.png"),
    ("yn_wuhua_fund_supervision_2024", "指标评分", "yn-indicators.png"),
    ("yn_wuhua_fund_supervision_2024", "项目资金", "yn-funding.png"),
    ("sc_panzhihua_supervision_2022", "指标评分", "sc-indicators.png"),
    ("third_party_qingxi_medical_aid_2023", "指标评分", "third-party-indicators.png"),
]


LAPTOPS = [((1366, 768), 1.25), ((1920, 1080), 1.5)]
LAPTOP_TABS = [("指标评分", "indicators"), ("问题与整改", "problems"), ("基本信息", "basic")]
TASKBAR = 40  # physical pixels of a Windows taskbar


def laptop_name(screen: tuple[int, int], scale: float, tab: str) -> str:
    return f"laptop-{screen[0]}x{screen[1]}-{round(scale * 100)}-{tab}.png"


PREVIEW = "gd-7-print-preview.png"
OUTPUTS = (
    *(name for _sample, _tab, name in SHOTS), PREVIEW,
    *(laptop_name(screen, scale, short) for screen, scale in LAPTOPS
      for short in (*(s for _t, s in LAPTOP_TABS), "rate", "start")),
)
"""Every file this script writes (and the only ones)."""


def laptops() -> int:
    """Each laptop screen in a child process (the scale is fixed when Qt starts)."""
    import subprocess

    for (width, height), scale in LAPTOPS:
        env = dict(os.environ, QT_SCALE_FACTOR=str(scale))
        args = [sys.executable, __file__, "--one-laptop", f"{width}x{height}", str(scale)]
        subprocess.run(args, env=env, check=True)
    return 0


def one_laptop(screen: tuple[int, int], scale: float) -> int:
    paths.set_basedir(tempfile.mkdtemp(prefix="perfeval-shots-"))
    from perfeval_desktop.ui.app import create_app
    from perfeval_desktop.ui.main_window import MainWindow
    from perfeval_desktop.workspace import Workspace

    app = create_app([sys.argv[0]])
    path = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"
    window = MainWindow(Workspace.open(path))
    window.resize(round(screen[0] / scale), round((screen[1] - TASKBAR) / scale) - 30)
    window.show()
    editor = window.editor
    assert editor is not None
    for tab, short in LAPTOP_TABS:
        editor.setCurrentIndex(editor.tab_titles().index(tab))
        if editor.currentWidget() is editor.indicators:
            editor.indicators.select(_first_leaf(window.ws.report.indicators))
        for _ in range(5):  # the panel's wrapped labels settle over a few passes
            app.processEvents()
        save(window, laptop_name(screen, scale, short), OUTPUTS)
    rate_linked(app, window, laptop_name(screen, scale, "rate"))
    window.ws.mark_saved()
    window.close()
    start = MainWindow.create_empty()  # no file given: the start page
    start.resize(window.size())
    start.show()
    start.open_later(None)
    while start.start_page is None or start.loading:
        app.processEvents()
    save(start, laptop_name(screen, scale, "start"), OUTPUTS)
    start.close()
    return 0


def rate_linked(app, window, name: str) -> None:  # type: ignore[no-untyped-def]
    """指标评分 with the first indicator (医疗救助资金支出率) made a rate linked to 项目资金's
    执行数 ÷ 预算数 (in the window only, nothing saved): the panel's 金额来源."""
    from perfeval_desktop.model.report import RateMethod
    from perfeval_desktop.workspace import SetMethod

    editor = window.editor
    editor.setCurrentWidget(editor.indicators)
    leaf = _first_leaf(window.ws.report.indicators)
    window.bridge.execute(SetMethod(leaf, RateMethod(source="executed", target_rate=1)))
    editor.indicators.select(leaf)
    window.flush_checks()  # the checks as they read once typing pauses
    for _ in range(5):
        app.processEvents()
    save(window, name, OUTPUTS)


def main() -> int:
    if sys.argv[1:2] == ["--laptop"]:
        return laptops()
    if sys.argv[1:2] == ["--one-laptop"]:
        width, height = (int(v) for v in sys.argv[2].split("x"))
        return one_laptop((width, height), float(sys.argv[3]))
    paths.set_basedir(tempfile.mkdtemp(prefix="perfeval-shots-"))

    from perfeval_desktop.ui.app import create_app
    from perfeval_desktop.ui.main_window import MainWindow
    from perfeval_desktop.ui.print_preview import PrintPreview
    from perfeval_desktop.workspace import Workspace

    app = create_app([sys.argv[0]])
    editor_only = sys.argv[1:2] == ["--editor"]  # the main window's tabs only
    windows: dict[str, MainWindow] = {}
    for sample, tab, name in SHOTS:
        window = windows.get(sample)
        if window is None:
            path = ROOT / "resources" / "samples" / f"{sample}.pfe"
            window = windows[sample] = MainWindow(Workspace.open(path))
            window.resize(*SIZE)
            window.show()
        editor = window.editor
        assert editor is not None
        index = next(i for i, t in enumerate(editor.tab_titles()) if t.startswith(tab))
        editor.setCurrentIndex(index)
        if editor.currentWidget() is editor.indicators:
            editor.indicators.select(_first_leaf(window.ws.report.indicators))
        for _ in range(5):  # the panel's wrapped labels settle over a few passes
            app.processEvents()
        save(window, name, OUTPUTS)
    if editor_only:
        for window in windows.values():
            window.ws.mark_saved()
        return 0

    window = windows["gd_yuancheng_medical_aid_2021"]
    preview = PrintPreview.made_here(window.ws, window)
    preview.resize(*SIZE)
    preview.show()
    preview.preview.setViewMode(preview.preview.ViewMode.AllPagesView)
    app.processEvents()
    save(preview, PREVIEW, OUTPUTS)
    preview.close()

    for window in windows.values():
        window.ws.mark_saved()
        window.close()
    app.processEvents()
    return 0


def _first_leaf(nodes):  # type: ignore[no-untyped-def]
    for node in nodes:
        if node.children:
            return _first_leaf(node.children)
        return node.id
    return None


if __name__ == "__main__":
    raise SystemExit(main())
