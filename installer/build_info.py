"""The one version and the names every build file shares, for the spec and the build scripts.

``perfeval_desktop.__version__`` is the single source: pyproject reads it (dynamic
version), the spec reads it through :func:`read_version` to write the Windows version
resources, ``build-windows.ps1`` asks this script for it and passes it to Inno Setup as
``/DAppVersion=…``, and the About box shows it.  Nothing here imports the program, so
the version can be read before anything is installed::

    python installer/build_info.py version           # 0.1.0
    python installer/build_info.py version-numeric   # 0.1.0.0 (Windows resources)
    python installer/build_info.py iscc-defines      # /DAppVersion=0.1.0 /DAppVersionNumeric=…
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INIT = ROOT / "perfeval_desktop" / "__init__.py"

# shared with perfeval-desktop.spec, perfeval-desktop.iss, build-windows.ps1 and the
# workflow (tests/installer/ checks that they agree)
GUI_EXE = "perfeval-desktop-gui"
CLI_EXE = "perfeval-desktop"
BUNDLE_DIR = "perfeval-desktop"
DATA_FOLDERS = ("templates", "resources")
PUBLISHER = "绩效自评填报助手项目组"


def _constant(name: str, init: Path = INIT) -> str:
    tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return node.value.value
    raise SystemExit(f"{init}: no string constant {name}")


def read_version(init: Path = INIT) -> str:
    """``__version__`` of the package, read without importing it."""
    return _constant("__version__", init)


def app_name(init: Path = INIT) -> str:
    return _constant("APP_NAME", init)


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """The leading ``a.b.c.d`` numbers of ``version`` (missing parts 0): Windows version
    resources and Inno Setup's VersionInfoVersion take numbers only."""
    match = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?", version)
    if match is None:
        raise SystemExit(f"version {version!r} does not start with a number")
    a, b, c, d = (int(part) if part else 0 for part in match.groups())
    return a, b, c, d


def version_file_text(version: str, exe: str, description: str,
                      product: str | None = None) -> str:
    """A PyInstaller version file (``EXE(version=…)``): the Windows version resource."""
    nums = numeric_version(version)
    product = product or app_name()
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": exe,
        "LegalCopyright": PUBLISHER,
        "OriginalFilename": f"{exe}.exe",
        "ProductName": product,
        "ProductVersion": version,
    }
    structs = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# Written by installer/build_info.py from perfeval_desktop.__version__; do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={nums!r},
    prodvers={nums!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080404b0',
        [
{structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])])
  ]
)
"""


def write_version_file(path: Path, version: str, exe: str, description: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_file_text(version, exe, description), encoding="utf-8")
    return path


def iscc_defines(version: str) -> list[str]:
    numeric = ".".join(str(n) for n in numeric_version(version))
    return [f"/DAppVersion={version}", f"/DAppVersionNumeric={numeric}"]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "version"
    version = read_version()
    if command == "version":
        print(version)
    elif command == "version-numeric":
        print(".".join(str(n) for n in numeric_version(version)))
    elif command == "iscc-defines":
        print(" ".join(iscc_defines(version)))
    else:
        print(f"unknown command {command!r}: version, version-numeric, iscc-defines",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
