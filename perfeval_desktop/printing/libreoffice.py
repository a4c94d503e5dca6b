"""The LibreOffice engine: the DOCX converted headless by ``soffice``.

A private user profile in a temp folder (the clerk's own LibreOffice and its settings are
never touched; macros, update checks and remote links are off), one conversion at a time,
under a timeout, killed on 取消.  LibreOffice embeds (subsets of) every font it prints
with.  A conversion that fails leaves the work to the in-app layout (:meth:`fallback`).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import ExportError
from .engine import Cancelled, PrintEngine, StopAsked

TIMEOUT_S = 180.0  # one conversion; a first start with a fresh profile takes ~10 s
WINDOWS_SOFFICE = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice() -> str | None:
    """The LibreOffice program, or None: ``soffice`` / ``libreoffice`` on PATH, or the
    usual install folders on Windows."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        for candidate in WINDOWS_SOFFICE:
            if Path(candidate).is_file():
                return candidate
    return None


_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments"><prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""  # noqa: E501

_lock = threading.Lock()  # one conversion at a time: they share the private profile
_profile: Path | None = None


def _profile_dir() -> Path:
    """A private LibreOffice profile for this process, removed when it exits."""
    global _profile
    if _profile is None or not _profile.is_dir():
        _profile = Path(tempfile.mkdtemp(prefix="perfeval-lo-"))
        user = _profile / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_REGISTRY, "utf-8")
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def _reset_profile() -> None:
    global _profile
    if _profile is not None:
        shutil.rmtree(_profile, ignore_errors=True)
        _profile = None


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End the converter and what it started (soffice → oosplash → soffice.bin)."""
    try:
        if sys.platform == "win32":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                           capture_output=True, timeout=30, check=False)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, subprocess.SubprocessError):
        pass
    proc.kill()
    proc.wait(timeout=30)


POLL_S = 0.2  # how often a running conversion asks whether 取消 was pressed


def _wait(proc: subprocess.Popen[bytes], timeout: float, stop: StopAsked | None) -> bytes:
    """The converter's output once it ended; killed at the timeout or on 取消."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        try:
            output, _ = proc.communicate(timeout=max(min(left, POLL_S), 0.0) if stop else left)
            return output
        except subprocess.TimeoutExpired:
            if stop is not None and stop():
                _kill(proc)
                _reset_profile()
                raise Cancelled from None
            if time.monotonic() < deadline:
                continue
            _kill(proc)
            _reset_profile()  # a killed LibreOffice may leave its profile locked
            raise ExportError(
                f"LibreOffice 在 {int(timeout)} 秒内没有完成 PDF 转换，已停止。"
                "请关闭其他程序后重试，或先导出 Word 文档再手工打印。"
            ) from None


def libreoffice_to_pdf(source: Path, target: Path, soffice: str,
                       timeout: float = TIMEOUT_S, stop: StopAsked | None = None) -> None:
    """Convert ``source`` (.docx / .xlsx) to the PDF ``target`` with LibreOffice headless;
    ``stop()`` turning True ends it (soffice killed, :class:`.Cancelled` raised)."""
    with _lock, tempfile.TemporaryDirectory(prefix="perfeval-pdf-") as tmp:
        outdir = Path(tmp)
        args = [
            soffice, f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless", "--invisible", "--nologo", "--nodefault", "--norestore",
            "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir), str(source),
        ]
        kwargs: dict[str, Any] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = subprocess.CREATE_NO_WINDOW  # type: ignore[attr-defined]
        else:
            kwargs["start_new_session"] = True
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        try:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, env=env, **kwargs)
        except OSError as exc:
            raise ExportError(f"无法启动 LibreOffice（{soffice}）：{exc.strerror or exc}") from exc
        output = _wait(proc, timeout, stop)
        produced = outdir / (source.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = output.decode("utf-8", "replace").strip()[-300:]
            raise ExportError(
                f"LibreOffice 未能把文件转换为 PDF（退出码 {proc.returncode}）：{detail}"
            )
        try:
            shutil.copyfile(produced, target)
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise ExportError(f"无法写入 PDF 文件“{target.name}”（{exc.strerror or exc}），"
                              "请检查文件夹权限后重试。") from exc


class LibreOffice(PrintEngine):
    """LibreOffice headless, where it is installed (``program``: its ``soffice``)."""

    name = "libreoffice"
    label = "LibreOffice"

    def __init__(self, program: str, timeout: float = TIMEOUT_S) -> None:
        self.program = program
        self.timeout = timeout

    def print_docx(self, source: Path, target: Path, title: str = "",
                   stop: StopAsked | None = None) -> None:
        libreoffice_to_pdf(source, target, self.program, self.timeout, stop)

    def fallback(self) -> PrintEngine:
        from .layout import InAppLayout

        return InAppLayout()
