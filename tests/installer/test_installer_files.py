"""The spec, the Inno Setup script, the PowerShell build, the workflow and the Makefile agree:
one version source, one AppId, the same program names, bundle folder and data folders.

They cannot all run here (Inno Setup and PowerShell are Windows-only), so they are read as text.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import build_info
import pytest

import perfeval_desktop
from perfeval_desktop import paths

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
SPEC = (INSTALLER / "perfeval-desktop.spec").read_text(encoding="utf-8")
ISS = (INSTALLER / "perfeval-desktop.iss").read_text(encoding="utf-8-sig")
PS1 = (INSTALLER / "build-windows.ps1").read_text(encoding="utf-8-sig")
WORKFLOW = (ROOT / ".github" / "workflows" / "windows-installer.yml").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
APP_GUID = "0B58BF6A-AC4D-4665-8072-777B8D722844"


def iss_define(name: str) -> str:
    match = re.search(rf'^#define {name} "([^"]*)"', ISS, re.M)
    assert match, name
    return match.group(1)


def iss_setup(key: str) -> str:
    match = re.search(rf"^{key}=(.*)$", ISS, re.M)
    assert match, key
    return match.group(1).strip()


# --- one version ----------------------------------------------------------------------------

def test_build_info_reads_the_package_version() -> None:
    assert build_info.read_version() == perfeval_desktop.__version__
    assert build_info.app_name() == perfeval_desktop.APP_NAME
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "perfeval_desktop.__version__"}
    assert "version" in PYPROJECT["project"]["dynamic"]


def test_the_spec_writes_version_resources_from_build_info() -> None:
    assert "VERSION = build_info.read_version()" in SPEC
    assert SPEC.count("build_info.write_version_file(") == 2
    assert "version=str(GUI_VERSION) if IS_WIN" in SPEC
    assert "version=str(CLI_VERSION) if IS_WIN" in SPEC
    assert not re.search(r"\d+\.\d+\.\d+", SPEC.split("VERSION =", 1)[1]), "a version literal"


def test_the_installer_takes_the_version_from_the_build() -> None:
    assert "#ifndef AppVersion" in ISS and "#error" in ISS
    assert iss_setup("AppVersion") == "{#AppVersion}"
    assert iss_setup("VersionInfoVersion") == "{#AppVersionNumeric}"
    assert iss_setup("OutputBaseFilename") == "{#AppShortName}-{#AppVersion}-setup"
    assert "installer\\build_info.py version" in PS1
    assert '"/DAppVersion=$Version"' in PS1 and '"/DAppVersionNumeric=$VersionNumeric"' in PS1
    assert "dist\\perfeval-desktop-$Version-setup.exe" in PS1
    assert "dist/perfeval-desktop-*-setup.exe" in WORKFLOW
    assert not re.search(r"^#define AppVersion\b", ISS, re.M), "a version written in the .iss"


def test_numeric_version_and_iscc_defines() -> None:
    assert build_info.numeric_version("0.1.0") == (0, 1, 0, 0)
    assert build_info.numeric_version("1.2") == (1, 2, 0, 0)
    assert build_info.numeric_version("2.3.4rc1") == (2, 3, 4, 0)
    assert build_info.numeric_version("1.2.3.4.5") == (1, 2, 3, 4)
    assert build_info.iscc_defines("1.2.3") == ["/DAppVersion=1.2.3", "/DAppVersionNumeric=1.2.3.0"]


def test_version_resource_text(tmp_path: Path) -> None:
    text = build_info.version_file_text("1.2.3", "perfeval-desktop-gui", "绩效自评填报助手")
    tree = ast.parse(text)  # PyInstaller evaluates it as a Python expression
    assert isinstance(tree.body[0], ast.Expr)
    assert "filevers=(1, 2, 3, 0)" in text and "prodvers=(1, 2, 3, 0)" in text
    assert "StringStruct('ProductVersion', '1.2.3')" in text
    assert "StringStruct('OriginalFilename', 'perfeval-desktop-gui.exe')" in text
    assert "[2052, 1200]" in text  # zh-CN, Unicode
    written = build_info.write_version_file(tmp_path / "v.txt", "1.2.3", "x", "y")
    assert "1.2.3" in written.read_text(encoding="utf-8")


def test_build_info_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert build_info.main(["version"]) == 0
    assert capsys.readouterr().out.strip() == perfeval_desktop.__version__
    assert build_info.main(["iscc-defines"]) == 0
    assert f"/DAppVersion={perfeval_desktop.__version__}" in capsys.readouterr().out
    assert build_info.main(["nonsense"]) == 2


# --- names: programs, bundle folder, data folders ------------------------------------------

def test_program_names_agree() -> None:
    scripts = PYPROJECT["project"]["scripts"]
    gui_scripts = PYPROJECT["project"]["gui-scripts"]
    assert scripts[build_info.CLI_EXE] == "perfeval_desktop.cli:main"
    assert gui_scripts[build_info.GUI_EXE] == "perfeval_desktop.__main__:main"
    assert "name=build_info.GUI_EXE" in SPEC and "name=build_info.CLI_EXE" in SPEC
    assert iss_define("GuiExe") == f"{build_info.GUI_EXE}.exe"
    assert iss_define("CliExe") == f"{build_info.CLI_EXE}.exe"
    assert f'"{build_info.GUI_EXE}.exe"' in PS1 and f'"{build_info.CLI_EXE}.exe"' in PS1
    gui_entry = (INSTALLER / "perfeval_gui.py").read_text(encoding="utf-8")
    cli_entry = (INSTALLER / "perfeval_cli.py").read_text(encoding="utf-8")
    assert "from perfeval_desktop.__main__ import main" in gui_entry
    assert "from perfeval_desktop.cli import main" in cli_entry
    assert 'HERE / "perfeval_gui.py"' in SPEC and 'HERE / "perfeval_cli.py"' in SPEC


def test_the_gui_exe_is_windowed_and_the_cli_a_console() -> None:
    gui = SPEC[SPEC.index("gui = EXE("):SPEC.index("cli = EXE(")]
    cli = SPEC[SPEC.index("cli = EXE("):SPEC.index("coll = COLLECT(")]
    assert "console=False" in gui and "console=True" in cli
    assert "upx=False" in gui and "upx=False" in cli and "upx=True" not in SPEC
    assert "exclude_binaries=True" in gui and "exclude_binaries=True" in cli  # onedir


def test_bundle_folder_agrees() -> None:
    assert build_info.BUNDLE_DIR == "perfeval-desktop"
    assert "name=build_info.BUNDLE_DIR" in SPEC
    assert iss_define("BundleDir") == f"..\\dist\\{build_info.BUNDLE_DIR}"
    assert f'"dist\\{build_info.BUNDLE_DIR}"' in PS1
    assert f"dist/{build_info.BUNDLE_DIR}/" in MAKEFILE


def test_data_folders_agree_with_paths(tmp_path: Path) -> None:
    assert build_info.DATA_FOLDERS == ("templates", "resources")
    assert paths.builtin_templates_dir() == paths.bundle_root() / "templates"
    assert paths.samples_dir() == paths.bundle_root() / "resources" / "samples"
    assert "bundle_filter.data_entries(ROOT, build_info.DATA_FOLDERS)" in SPEC
    # the user data folder (platformdirs, APP_ID) is what the installer promises to keep
    assert iss_define("DataFolder") == perfeval_desktop.APP_ID
    assert iss_define("AppShortName") == perfeval_desktop.APP_ID
    assert "{localappdata}\\{#DataFolder}" in ISS


def test_one_app_id_guid() -> None:
    guids = re.findall(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}", ISS, re.I)
    assert guids == [APP_GUID]
    assert iss_setup("AppId") == "{{" + APP_GUID + "}"


# --- what the installer promises ------------------------------------------------------------

def test_installer_per_user_by_default_with_all_users_choice() -> None:
    assert iss_setup("PrivilegesRequired") == "lowest"
    assert iss_setup("PrivilegesRequiredOverridesAllowed") == "dialog"
    # {autopf}, with the per-user fallback Wine needs (tests/installer/test_windows_build.py)
    assert iss_setup("DefaultDirName") == "{code:DefaultAppDir}\\{#AppShortName}"
    assert iss_setup("MinVersion") == "10.0.17763"
    assert iss_setup("ChangesAssociations") == "yes"


def test_installer_shortcuts_association_and_language() -> None:
    assert '"{autoprograms}\\{#AppName}"' in ISS
    assert '"{autodesktop}\\{#AppName}"' in ISS and "Tasks: desktopicon" in ISS
    assert re.search(r'^Name: "desktopicon";.*Flags: unchecked', ISS, re.M)
    registry = ISS[ISS.index("[Registry]"):ISS.index("[Run]")]
    entries = [line for line in registry.splitlines() if line.startswith("Root:")]
    assert entries and all(line.startswith("Root: HKA;") for line in entries)
    assert 'Subkey: "Software\\Classes\\.pfe"' in registry
    assert '"""{app}\\{#GuiExe}"" ""%1"""' in registry
    assert 'MessagesFile: "{#ChineseMessages}"' in ISS
    assert "ChineseSimplified.isl" in ISS and "ChineseSimplified.isl" in PS1
    assert "ChineseSimplified.isl" in WORKFLOW


def test_uninstaller_never_deletes_user_data() -> None:
    sections = re.findall(r"^\[(\w+)\]", ISS, re.M)
    assert "UninstallDelete" not in sections
    assert "{localappdata}" not in ISS.split("[Code]")[0].split("; No [UninstallDelete]")[0]
    # only the program's own libraries are replaced on upgrade
    install_delete = ISS[ISS.index("[InstallDelete]"):ISS.index("[Files]")]
    assert re.findall(r'Name: "([^"]+)"', install_delete) == ["{app}\\_internal"]


def test_iss_is_utf8_with_bom() -> None:
    raw = (INSTALLER / "perfeval-desktop.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert (INSTALLER / "build-windows.ps1").read_bytes().startswith(b"\xef\xbb\xbf")


# --- the builds ------------------------------------------------------------------------------

def test_windows_build_runs_the_frozen_self_test() -> None:
    assert "installer\\perfeval-desktop.spec" in PS1
    assert "--self-test" in PS1 and "--basedir" in PS1
    assert '"install the program and PyInstaller"' in PS1
    assert '-c", "constraints.txt"' in PS1 and '".[test,bundle]"' in PS1
    assert "installer\\build-windows.ps1" in WORKFLOW
    assert "runs-on: windows-latest" in WORKFLOW
    assert 'pytest -q -m "not libreoffice"' in WORKFLOW
    assert "actions/upload-artifact" in WORKFLOW


def test_linux_build_uses_the_same_spec() -> None:
    assert "installer/perfeval-desktop.spec" in MAKEFILE
    assert "--self-test" in MAKEFILE and "--basedir" in MAKEFILE
    assert "installer/hello/hello.spec" in MAKEFILE
    assert re.search(r"^\.PHONY:.*\bbundle\b.*\bbundle-hello\b", MAKEFILE, re.M)


def test_pyinstaller_is_pinned_for_the_bundle_extra() -> None:
    assert any(dep.startswith("pyinstaller") for dep in
               PYPROJECT["project"]["optional-dependencies"]["bundle"])
    pins = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    assert re.search(r"^pyinstaller==\d", pins, re.M)
    assert re.search(r"^pyinstaller-hooks-contrib==\d", pins, re.M)


def test_icon_exists_and_is_an_ico() -> None:
    ico = ROOT / "resources" / "icons" / "app.ico"
    data = ico.read_bytes()
    assert data[:4] == b"\x00\x00\x01\x00"
    count = int.from_bytes(data[4:6], "little")
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
    assert iss_setup("SetupIconFile") == "..\\resources\\icons\\app.ico"
    assert 'ROOT / "resources" / "icons" / "app.ico"' in SPEC
