"""Install, run, upgrade and uninstall steps of `make windows`, each with its checks."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable

import build_info
from context import DATA_MARKER, SAVED_REPORT, Context
from wine import CODE_PAGES, StepFailed, tail

PROG_ID = "PerfevalDesktop.Report"
ASSOC_DESCRIPTION = "绩效自评报告"
SHORTCUT = "绩效自评填报助手.lnk"
# the uninstaller's final message in installer/ChineseSimplified.isl
UNINSTALLED_ALL = "已顺利从您的电脑中移除"
# ours, [CustomMessages] DataKept in installer/perfeval-desktop.iss
DATA_KEPT = "您保存的报告文件（.pfe）不受影响"
# ucrtbase/strace: what a connection attempt looks like in `strace -e trace=connect`
NETWORK = re.compile(r"connect\(\d+, \{sa_family=AF_INET6?,")
# Wine's print spooler (winspool.drv → libcups) asks the local CUPS at localhost:631 for the
# printers when Qt's print support starts; Windows asks its local spooler. Not the program's.
WINE_SPOOLER = re.compile(r'htons\(631\).*(inet_addr\("127\.0\.0\.1"\)|"::1")')


def network_connections(trace: str) -> tuple[list[str], int]:
    """(connections the program made, connections of Wine's spooler to the local CUPS)."""
    found = [line for line in trace.splitlines() if NETWORK.search(line)]
    spooler = [line for line in found if WINE_SPOOLER.search(line)]
    return [line for line in found if line not in spooler], len(spooler)


def plan() -> list[tuple[str, Callable[[Context], str]]]:
    return [
        ("install (per user)", install),
        ("self-test cli zh_CN cp936", lambda c: self_test(c, "cli", "zh")),
        ("self-test gui zh_CN cp936", lambda c: self_test(c, "gui", "zh")),
        ("self-test cli en_US cp1252", lambda c: self_test(c, "cli", "en")),
        ("self-test gui en_US cp1252", lambda c: self_test(c, "gui", "en")),
        ("report + data saved", save_user_data),
        ("upgrade in place", upgrade),
        ("uninstall", uninstall),
    ]


def _setup(ctx: Context, log: str) -> None:
    ctx.wine.run([ctx.setup_exe, "/CURRENTUSER", "/VERYSILENT", "/SUPPRESSMSGBOXES",
                  "/NORESTART", f"/LOG={ctx.win(ctx.logs / f'{log}-inno.log')}"], log, timeout=900)


def _installed_checks(ctx: Context) -> list[str]:
    """What must hold while the program is installed; the problems found."""
    problems = []
    for name in (build_info.GUI_EXE, build_info.CLI_EXE):
        if not (ctx.app_dir / f"{name}.exe").is_file():
            problems.append(f"{name}.exe not in {ctx.win(ctx.app_dir)}")
    command = ctx.wine.reg_query(rf"HKCU\Software\Classes\{PROG_ID}\shell\open\command")
    expected = f'"{ctx.win(ctx.app_dir)}\\{build_info.GUI_EXE}.exe" "%1"'
    if ctx.wine.reg_query(r"HKCU\Software\Classes\.pfe") != PROG_ID:
        problems.append(r"HKCU\Software\Classes\.pfe is not " + PROG_ID)
    if (command or "").lower() != expected.lower():
        problems.append(f".pfe opens with {command!r}, expected {expected!r}")
    description = ctx.wine.reg_query(rf"HKCU\Software\Classes\{PROG_ID}", locale="zh")
    if description != ASSOC_DESCRIPTION:
        problems.append(f"association description {description!r} != {ASSOC_DESCRIPTION}")
    if not (ctx.start_menu / SHORTCUT).is_file():
        problems.append(f"no Start-menu shortcut {ctx.win(ctx.start_menu / SHORTCUT)}")
    return problems


def _uninstaller_chinese(ctx: Context) -> list[str]:
    """The uninstaller's messages are Simplified Chinese: Inno Setup 6.4 writes the standard ones
    (its final message among them) into unins000.exe, ours ([CustomMessages]) into unins000.dat."""
    found = b"".join((ctx.app_dir / name).read_bytes() for name in ("unins000.exe", "unins000.dat")
                     if (ctx.app_dir / name).is_file())
    return [f"the uninstaller lacks “{text}”" for text in (UNINSTALLED_ALL, DATA_KEPT)
            if text.encode("utf-16-le") not in found]


def install(ctx: Context) -> str:
    """Silent per-user install: under AppData\\Local\\Programs, .pfe, Start menu, Chinese."""
    _setup(ctx, "install")
    problems = _installed_checks(ctx)
    problems += _uninstaller_chinese(ctx)
    if problems:
        raise StepFailed("; ".join(problems))
    return (f"{ctx.win(ctx.app_dir)}; .pfe → {PROG_ID} ({ASSOC_DESCRIPTION}); "
            f"Start menu {SHORTCUT}")


def code_page(ctx: Context, locale: str) -> int:
    out = ctx.wine.run([ctx.python, "-c", "import ctypes; print(ctypes.windll.kernel32.GetACP())"],
                       f"acp-{locale}", locale=locale)
    return int(out.strip().splitlines()[-1])


def self_test(ctx: Context, program: str, locale: str) -> str:
    """The installed program's --self-test under a locale, traced for network connections."""
    acp = code_page(ctx, locale)
    if acp != CODE_PAGES[locale]:
        raise StepFailed(f"the prefix runs code page {acp} under {locale}, "
                         f"not {CODE_PAGES[locale]}")
    basedir = ctx.build / "selftest" / f"{program}-{locale}"
    shutil.rmtree(basedir, ignore_errors=True)
    exe = build_info.GUI_EXE if program == "gui" else build_info.CLI_EXE
    trace = ctx.logs / f"strace-{program}-{locale}.log"
    out = ctx.wine.run([ctx.app_dir / f"{exe}.exe", "--self-test", "--basedir", ctx.win(basedir)],
                       f"self-test-{program}-{locale}", locale=locale, check=False, timeout=1800,
                       wrap=["strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect",
                             "-o", str(trace)])
    if program == "gui":  # the windowed program has no console: its lines are in the log
        log = basedir / "self-test.log"
        out = log.read_text(encoding="utf-8") if log.is_file() else out
    summary = [line for line in out.splitlines() if "自检完成" in line or "界面自检" in line]
    connections, spooler = network_connections(trace.read_text())
    failures = [line for line in out.splitlines() if line.startswith("失败")]
    if connections:
        raise StepFailed(f"network connections: {connections[:3]}")
    if failures:
        raise StepFailed(f"{len(failures)} failed\n" + "\n".join(failures[:20]))
    if not summary or any("0 项失败" not in s and "全部通过" not in s for s in summary):
        raise StepFailed("; ".join(summary) or f"no summary line: {tail(out)}")
    cups = f" (Wine's spooler asked the local CUPS {spooler}×)" if spooler else ""
    return f"{' '.join(summary)}; code page {acp}; no network connection (strace){cups}"


def save_user_data(ctx: Context) -> str:
    """A report saved by the installed program, and the clerk's data folder, before upgrade."""
    report = ctx.user / "Documents" / SAVED_REPORT
    report.unlink(missing_ok=True)
    ctx.wine.run([ctx.app_dir / f"{build_info.CLI_EXE}.exe", "new", "--template",
                  "mof_self_eval_gd", "-o", ctx.win(report)], "new-report", locale="zh")
    if not report.is_file():
        raise StepFailed(f"{ctx.win(report)} was not written")
    ctx.data_dir.mkdir(parents=True, exist_ok=True)
    (ctx.data_dir / DATA_MARKER).write_text("make windows: must survive upgrade and uninstall\n",
                                            encoding="utf-8")
    return f"{ctx.win(report)}; {ctx.win(ctx.data_dir / DATA_MARKER)}"


def _user_data_kept(ctx: Context) -> list[str]:
    report = ctx.user / "Documents" / SAVED_REPORT
    kept = [report, ctx.data_dir / DATA_MARKER]
    return [f"{ctx.win(p)} is gone" for p in kept if not p.is_file()]


def upgrade(ctx: Context) -> str:
    """The same setup.exe over the installed program: in place, data kept, still runs."""
    marker = ctx.app_dir / "_internal" / "make-windows-old-file.txt"
    marker.write_text("an upgrade replaces _internal completely\n", encoding="utf-8")
    _setup(ctx, "upgrade")
    problems = _installed_checks(ctx) + _user_data_kept(ctx)
    if marker.exists():
        problems.append("the upgrade left an old file in _internal")
    report = ctx.user / "Documents" / SAVED_REPORT
    out = ctx.wine.run([ctx.app_dir / f"{build_info.CLI_EXE}.exe", "check", ctx.win(report)],
                       "check-after-upgrade", locale="zh", check=False)
    if "Traceback" in out or not out.strip():
        problems.append(f"the saved report does not open after the upgrade: {tail(out, 5)}")
    version = ctx.wine.run([ctx.app_dir / f"{build_info.CLI_EXE}.exe", "--version"], "version")
    if ctx.version not in version:
        problems.append(f"--version says {version.strip()!r}")
    if problems:
        raise StepFailed("; ".join(problems))
    return f"same folder, {SAVED_REPORT} opens, data folder kept, version {ctx.version}"


def uninstall(ctx: Context) -> str:
    """Silent uninstall: program, association and shortcut gone; the clerk's data kept."""
    uninstaller = ctx.app_dir / "unins000.exe"
    ctx.wine.run([uninstaller, "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                  f"/LOG={ctx.win(ctx.logs / 'uninstall-inno.log')}"], "uninstall")
    # the uninstaller runs a copy of itself from %TEMP% and returns at once: wait for it
    deadline = time.monotonic() + 300
    while uninstaller.exists() and time.monotonic() < deadline:
        time.sleep(1)
    problems = _user_data_kept(ctx)
    if (ctx.app_dir / f"{build_info.GUI_EXE}.exe").exists():
        problems.append(f"{ctx.win(ctx.app_dir)} still holds the program")
    if ctx.wine.reg_query(rf"HKCU\Software\Classes\{PROG_ID}") is not None:
        problems.append(f"HKCU\\Software\\Classes\\{PROG_ID} is still there")
    if (ctx.start_menu / SHORTCUT).exists():
        problems.append("the Start-menu shortcut is still there")
    if problems:
        raise StepFailed("; ".join(problems))
    return f"program, .pfe association and shortcut removed; {SAVED_REPORT} and data folder kept"
