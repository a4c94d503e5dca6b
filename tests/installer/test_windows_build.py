"""`make windows` (issue #9): the parts of the Wine build that can be checked without Wine.

The build itself runs in CI (`.ci/run`); these catch a broken driver, stand-in or messages file
before that long run.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import context
import install_steps
import pytest
import steps

ROOT = Path(__file__).resolve().parents[2]
STUBS = ROOT / "installer" / "windows" / "stubs"
ISS = (ROOT / "installer" / "perfeval-desktop.iss").read_text(encoding="utf-8-sig")
ISL = ROOT / "installer" / "ChineseSimplified.isl"
# what Qt6Core.dll of PySide6 6.11 imports from icuuc.dll (x86_64-w64-mingw32-objdump -p)
QT_ICU_IMPORTS = {
    "ucnv_open", "ucnv_close", "UCNV_FROM_U_CALLBACK_SUBSTITUTE", "UCNV_TO_U_CALLBACK_SUBSTITUTE",
    "ucnv_reset", "ucnv_getMaxCharSize", "ucnv_getName", "ucnv_getToUCallBack",
    "ucnv_getFromUCallBack", "ucnv_setToUCallBack", "ucnv_setFromUCallBack",
    "ucnv_cbToUWriteUChars", "ucnv_toUnicode", "ucnv_cbFromUWriteUChars", "ucnv_toUCountPending",
    "ucnv_fromUCountPending", "ucnv_getStandardName", "ucnv_getAvailableName",
    "ucnv_countAvailable", "ucnv_fromUnicode",
}


def def_exports(name: str) -> set[str]:
    text = (STUBS / f"{name}.def").read_text(encoding="utf-8")
    body = text.split("EXPORTS", 1)[1]
    return {line.strip() for line in body.splitlines() if line.strip() and ";" not in line}


def c_functions(name: str) -> set[str]:
    text = (STUBS / f"{name}.c").read_text(encoding="utf-8")
    defined = set(re.findall(r"__declspec\(dllexport\)[^(]*?(\w+)\(", text))
    return defined | set(re.findall(r"^ZERO\((\w+)\)$", text, re.M))


@pytest.mark.parametrize("name", context.STAND_INS)
def test_stand_in_exports_are_defined(name: str) -> None:
    assert def_exports(name) == c_functions(name) - {"fn"}
    assert f"LIBRARY {name}.dll" in (STUBS / f"{name}.def").read_text(encoding="utf-8")


def test_icu_stand_in_covers_what_qt_imports() -> None:
    assert def_exports("icuuc") == QT_ICU_IMPORTS
    assert def_exports("bcryptprimitives") == {"ProcessPrng"}


def test_windows_requirements_are_pinned() -> None:
    reqs = steps.requirements(ROOT)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert set(project["dependencies"]) <= set(reqs)
    assert "pefile" in reqs and "pywin32-ctypes" in reqs  # pip on Linux skips their win32 markers
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line}
    names = {re.split(r"[<>=!\[ ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in reqs}
    assert names <= pinned


def test_windows_paths(tmp_path: Path) -> None:
    ctx = context.Context(tmp_path, "1.2.3")
    user = ctx.prefix / "drive_c" / "users" / "clerk" / "Documents" / "报告.pfe"
    assert ctx.win(user) == "C:\\users\\clerk\\Documents\\报告.pfe"
    assert ctx.win(Path("/work/x y/z")) == "Z:\\work\\x y\\z"
    assert ctx.setup_exe == tmp_path / "dist" / "windows" / "perfeval-desktop-1.2.3-setup.exe"


def test_network_pattern() -> None:
    inet = '1234 connect(5, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("1.2.3.4")}, 16) = 0'
    inet6 = '99 connect(7, {sa_family=AF_INET6, sin6_port=htons(80), ...}, 28) = -1 ENETUNREACH'
    unix = '1234 connect(3, {sa_family=AF_UNIX, sun_path="/tmp/.wine-0/server-803-1/socket"}, 110) = 0'
    assert install_steps.NETWORK.search(inet) and install_steps.NETWORK.search(inet6)
    assert not install_steps.NETWORK.search(unix)


def test_messages_file_is_the_repositorys_and_chinese() -> None:
    raw = ISL.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "LanguageID=$0804" in text and "LanguageCodePage=936" in text
    assert "Inno Setup version 6.4" in text
    assert '#define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"' in ISS
    assert "compiler:Languages" not in ISS
    assert re.search(r"^UninstalledAll=已顺利从您的电脑中移除 %1。", text, re.M)
    assert install_steps.UNINSTALLED_ALL in text


def test_per_user_install_dir_survives_wine() -> None:
    """Wine 8 cannot expand {autopf} per user; the .iss falls back to the folder Windows uses."""
    assert re.search(r"^DefaultDirName=\{code:DefaultAppDir\}\\\{#AppShortName\}$", ISS, re.M)
    code = ISS[ISS.index("function DefaultAppDir"):]
    assert "ExpandConstant('{autopf}')" in code
    assert "ExpandConstant('{localappdata}\\Programs')" in code
    assert "IsAdminInstallMode" in code  # all users: no fallback, the error stands


def test_make_windows_target() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^windows: \$\(STAMP\)\n\t\$\(BIN\)/python installer/windows/build.py",
                     makefile, re.M)
    names = [name for name, _ in steps.plan()]
    assert names[0] == "Debian packages" and names[-1] == "uninstall"
    assert names.index("upgrade in place") > names.index("report + data saved")
    assert sum(n.startswith("self-test") for n in names) == 4
    with_shots = [name for name, _ in steps.plan(screenshots=True)]
    assert with_shots.index("screenshots") < with_shots.index("upgrade in place")


def test_wine_spooler_is_told_apart() -> None:
    trace = "\n".join([
        '31518 connect(14, {sa_family=AF_INET6, sin6_port=htons(631), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 EINPROGRESS',
        '31518 connect(14, {sa_family=AF_INET, sin_port=htons(631), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS',
        '31519 connect(15, {sa_family=AF_INET, sin_port=htons(631), sin_addr=inet_addr("10.0.0.5")}, 16) = 0',
        '31520 connect(3, {sa_family=AF_UNIX, sun_path="/tmp/.wine-0/server/socket"}, 110) = 0',
    ])
    program, spooler = install_steps.network_connections(trace)
    assert spooler == 2
    assert program == [trace.splitlines()[2]]  # CUPS on another machine is the network
