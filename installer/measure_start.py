"""Frozen start time and size: ours against the bare PySide6 "hello" floor (issue #5).

Start time is process start → first window shown → exit: each program runs offscreen with
``PERFEVAL_QUIT_AFTER_SHOWN=1`` (installer/perfeval_gui.py and installer/hello/hello.py
quit as soon as their first window is shown).  One warm-up run, then the median of
``--runs``.  Build both first (``make bundle bundle-hello``), then::

    .venv/bin/python installer/measure_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if sys.platform == "win32" else ""


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def time_start(command: list[str], runs: int) -> list[float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PERFEVAL_QUIT_AFTER_SHOWN="1")
    times: list[float] = []
    for i in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=120)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{command[0]} exited {done.returncode}: "
                             f"{done.stderr.decode(errors='replace')[-500:]}")
        if i:  # the first run only warms the disk cache
            times.append(elapsed)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    args = parser.parse_args(argv)
    dist = Path(args.dist)
    ours = dist / "perfeval-desktop"
    hello = dist / "hello"
    results = {}
    with tempfile.TemporaryDirectory(prefix="perfeval-measure-") as basedir:
        programs = {
            "perfeval-desktop": (ours, [str(ours / f"perfeval-desktop-gui{EXE}"),
                                        "--basedir", basedir]),
            "hello (floor)": (hello, [str(hello / f"hello{EXE}")]),
        }
        for label, (folder, command) in programs.items():
            if not Path(command[0]).is_file():
                raise SystemExit(f"{command[0]} is missing: run `make bundle bundle-hello`")
            times = time_start(command, args.runs)
            results[label] = (folder_size(folder), statistics.median(times), times)
    for label, (size, median, times) in results.items():
        shown = ", ".join(f"{t:.2f}" for t in times)
        print(f"{label:18} {size / 2**20:7.1f} MiB   start median {median:.2f} s  ({shown})")
    (our_size, our_start, _), (floor_size, floor_start, _) = results.values()
    print(f"size ratio {our_size / floor_size:.2f} (target ≤ 1.00); "
          f"start ratio {our_start / floor_start:.2f} (target ≤ 1.30)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
