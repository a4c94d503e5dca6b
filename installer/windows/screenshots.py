"""`make windows WINDOWS_ARGS=--screenshots`: the installed window program with a sample, on the
Xvfb display through Qt's Windows platform plugin (not offscreen), photographed from the display.

Input goes in as real X events (xdotool through XTest), as a clerk's mouse and keyboard would:
a click on the 指标评分 tab, then on the toolbar's 打印预览. Written to docs/screenshots/windows/.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import build_info
from context import Context
from wine import StepFailed, need

SAMPLE = "gd_yuancheng_medical_aid_2021.pfe"
SHOTS = ("installer", "indicators", "print-preview")
# where the 指标评分 tab and the 打印预览 button are in the 1366×768 window
# (docs/screenshots/windows/indicators.png)
INDICATOR_TAB = ("265", "69")
PREVIEW_BUTTON = ("366", "40")


def _xdo(ctx: Context, *args: str) -> str:
    out = subprocess.run([need("xdotool"), *args], env=ctx.wine.env("zh"), capture_output=True,
                         text=True, timeout=60, check=False)
    return out.stdout.strip()


def _wait_window(ctx: Context, name: str, seconds: float = 180) -> str:
    """The X window id of the first visible window whose title holds ``name``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = _xdo(ctx, "search", "--onlyvisible", "--name", name).split()
        if found:
            return found[-1]
        time.sleep(2)
    raise StepFailed(f"no window titled “{name}” within {seconds:.0f} s")


def _grab(ctx: Context, window: str, target: Path) -> None:
    subprocess.run(["import", "-display", ctx.wine.display, "-window", window, str(target)],
                   check=True, timeout=60)


def _wizard(ctx: Context, target: Path) -> None:
    """The installer's first page (its wizard in Chinese), then cancelled."""
    proc = subprocess.Popen(["wine", str(ctx.setup_exe), "/CURRENTUSER"], env=ctx.wine.env("zh"),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        window = _wait_window(ctx, "安装 - 绩效自评填报助手", 120)
        time.sleep(5)
        _grab(ctx, window, target)
    finally:
        proc.terminate()
        ctx.wine.run(["taskkill", "/F", "/IM", ctx.setup_exe.name], "taskkill", check=False)
        # the wizard itself runs as <setup>.tmp from %TEMP%
        ctx.wine.run(["taskkill", "/F", "/IM", ctx.setup_exe.stem + ".tmp"], "taskkill",
                     check=False)
        proc.wait(60)


def take(ctx: Context) -> str:
    """Screenshots of 指标评分 and the print preview into docs/screenshots/windows/."""
    out_dir = ctx.root / "docs" / "screenshots" / "windows"
    out_dir.mkdir(parents=True, exist_ok=True)
    _wizard(ctx, out_dir / "installer.png")
    report = ctx.user / "Documents" / SAMPLE
    shutil.copy(ctx.root / "resources" / "samples" / SAMPLE, report)
    exe = ctx.app_dir / f"{build_info.GUI_EXE}.exe"
    env = ctx.wine.env("zh")
    proc = subprocess.Popen(["wine", str(exe), ctx.win(report)], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        main = _wait_window(ctx, "绩效自评填报助手")
        time.sleep(8)  # the report opens on the next turn of the event loop; tabs build lazily
        _xdo(ctx, "windowsize", main, "1366", "768")
        time.sleep(3)
        # a click on the 指标评分 tab, the fourth (Wine takes real XTest input, not XSendEvent)
        _xdo(ctx, "mousemove", "--window", main, *INDICATOR_TAB, "click", "1")
        time.sleep(6)
        _grab(ctx, main, out_dir / "indicators.png")
        # no window manager gives the window the keyboard: the toolbar's 打印预览 button
        _xdo(ctx, "mousemove", "--window", main, *PREVIEW_BUTTON, "click", "1")
        preview = _wait_window(ctx, "打印预览", 120)
        _xdo(ctx, "windowsize", preview, "1366", "900")  # the whole toolbar, no » overflow
        time.sleep(10)
        _grab(ctx, preview, out_dir / "print-preview.png")
    finally:
        proc.terminate()
        ctx.wine.run(["taskkill", "/F", "/IM", f"{build_info.GUI_EXE}.exe"], "taskkill",
                     check=False)
        proc.wait(60)
    return f"{', '.join(f'docs/screenshots/windows/{s}.png' for s in SHOTS)} (look at them)"
