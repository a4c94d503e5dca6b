"""Running Windows programs under Wine for `make windows` (issue #9): one prefix of our own
under build/windows/, an Xvfb display, and the traps of docs/windows-under-wine.md handled once.

- Output is always read through a pipe: ``wine x.exe > file`` dies with "init_sys_streams:
  Invalid handle".
- The installer creates its wizard window even when silent: everything runs with DISPLAY set to
  an Xvfb display this module starts.
- ``wineserver -p`` keeps one server (and the prefix's services) alive for the whole run, so a
  traced program's process tree is only the program itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

LOCALES = {"zh": "zh_CN.UTF-8", "en": "en_US.UTF-8"}
CODE_PAGES = {"zh": 936, "en": 1252}


class StepFailed(Exception):
    """A step's check failed; the message says what was seen."""


def windows_path(path: Path) -> str:
    """The Wine path of a Linux path (Wine maps Z: to /)."""
    return str(PureWindowsPath("Z:/", *path.resolve().parts[1:]))


@dataclass
class Wine:
    prefix: Path
    logs: Path
    display: str = ""
    locale: str = "en"
    env_extra: dict[str, str] = field(default_factory=dict)

    def env(self, locale: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("LC_", "QT_", "PYTHON", "VIRTUAL_ENV"))}
        env.update(WINEPREFIX=str(self.prefix), WINEARCH="win64", WINEDEBUG="-all",
                   # no Mono/Gecko download prompts: the program needs neither
                   WINEDLLOVERRIDES="mscoree,mshtml=", LANG=LOCALES[locale or self.locale],
                   LC_ALL=LOCALES[locale or self.locale], DISPLAY=self.display)
        env.update(self.env_extra)
        return env

    def run(self, args: Sequence[str | Path], log: str, *, locale: str | None = None,
            timeout: float = 900, check: bool = True, wrap: Sequence[str] = (),
            extra_env: dict[str, str] | None = None) -> str:
        """Run ``wine args`` with its output piped into logs/<log>.log; return the output."""
        env = self.env(locale)
        env.update(extra_env or {})
        cmd = [*wrap, "wine", *(str(a) for a in args)]
        out = run_logged(cmd, self.logs / f"{log}.log", env=env, timeout=timeout)
        if check and out.returncode != 0:
            raise StepFailed(f"exit {out.returncode}: {tail(out.text)}")
        return out.text

    def reg_query(self, key: str, value: str | None = None, locale: str | None = None
                  ) -> str | None:
        """`wine reg query`: the value's data, or None when the key/value does not exist."""
        args = ["reg", "query", key] + (["/v", value] if value is not None else ["/ve"])
        # reg.exe writes a pipe in the console code page (GBK under zh_CN)
        out = run_logged(["wine", *args], self.logs / "reg.log", env=self.env(locale),
                         timeout=120, append=True,
                         encoding="gbk" if (locale or self.locale) == "zh" else "cp437")
        if out.returncode != 0:
            return None
        for line in out.text.splitlines():
            parts = line.strip().split(None, 2)
            if len(parts) == 3 and parts[1].startswith("REG_"):
                return parts[2]
        return ""

    def reg_add(self, key: str, value: str, data: str, kind: str = "REG_SZ") -> None:
        name = ["/ve"] if value == "" else ["/v", value]
        self.run(["reg", "add", key, *name, "/t", kind, "/d", data, "/f"], "reg")

    def user_dir(self) -> Path:
        """C:\\users\\<user> of the prefix, as a Linux path."""
        users = self.prefix / "drive_c" / "users"
        found = [p for p in users.iterdir() if p.is_dir() and p.name != "Public"]
        if len(found) != 1:
            raise StepFailed(f"expected one user folder in {users}, found {found}")
        return found[0]

    def start_server(self) -> None:
        """One persistent server for the whole run, and the prefix's services started with no
        pipe to inherit: a service started by a piped program would hold the pipe open (and the
        read of its output) until the server ends."""
        subprocess.run(["wineserver", "-p"], env=self.env(), check=True, timeout=60)
        subprocess.run(["wine", "wineboot"], env=self.env(), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
                       check=True)

    def server(self, *args: str) -> None:
        subprocess.run(["wineserver", *args], env=self.env(), check=False, timeout=120)


@dataclass
class Result:
    returncode: int
    text: str


def run_logged(cmd: Sequence[str], log: Path, *, env: dict[str, str] | None = None,
               timeout: float = 900, append: bool = False, cwd: Path | None = None,
               encoding: str = "utf-8") -> Result:
    """Run cmd, its stdout and stderr through one pipe into ``log`` (and returned)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run(list(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=env, timeout=timeout, cwd=cwd)
        text, code = proc.stdout.decode(encoding, "replace"), proc.returncode
    except subprocess.TimeoutExpired as exc:
        text = (exc.stdout or b"").decode("utf-8", "replace") + f"\n[timed out after {timeout}s]"
        code = -1
    with log.open("a" if append else "w", encoding="utf-8") as f:
        f.write(f"$ {' '.join(cmd)}\n{text}\n[exit {code}]\n")
    return Result(code, text)


def tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


@contextlib.contextmanager
def xvfb(size: str = "1600x1000x24") -> Iterator[str]:
    """A private Xvfb display for the run; yields its DISPLAY value."""
    number = next(n for n in range(91, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                  and not Path(f"/tmp/.X{n}-lock").exists())
    proc = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", size, "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.1)
        else:
            raise StepFailed("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)


def need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise StepFailed(f"{program} is not installed")
    return path
