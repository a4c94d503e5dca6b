"""`make windows` (issue #9): build, install and run the Windows program under Wine.

Every step prints one line with its result and time; the run ends with
``windows: N of M steps passed`` and exits 1 when any step failed.  Downloads are cached under
build/windows/cache, so a second run is fast.  See README (developer part) and
docs/windows-under-wine.md for what it proves and what it cannot.

    python installer/windows/build.py                # everything
    python installer/windows/build.py --screenshots  # also docs/screenshots/windows/*.png
    python installer/windows/build.py --fresh        # a new Wine prefix and bundle first
    python installer/windows/build.py --reuse        # keep the bundle and setup.exe built before
    python installer/windows/build.py --only install --only screenshots   # just these steps
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import build_info  # noqa: E402  (installer/build_info.py)
import steps  # noqa: E402  (installer/windows/steps.py)
from wine import StepFailed, Wine, xvfb  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make windows")
    parser.add_argument("--fresh", action="store_true",
                        help="remove the Wine prefix, the bundle and the installer first")
    parser.add_argument("--screenshots", action="store_true",
                        help="also write docs/screenshots/windows/ from the installed program")
    parser.add_argument("--reuse", action="store_true",
                        help="keep an existing bundle and setup.exe (while working on later steps)")
    parser.add_argument("--only", action="append", default=[], metavar="WORDS",
                        help="run only the steps whose names start with WORDS (and the prefix)")
    args = parser.parse_args(argv)
    ctx = steps.Context.create(build_info.read_version())
    ctx.reuse = args.reuse
    if args.fresh:
        for path in (ctx.prefix, ctx.dist, ctx.build / "pyinstaller", ctx.build / "selftest"):
            shutil.rmtree(path, ignore_errors=True)
    plan = steps.plan(screenshots=args.screenshots or any("screenshot" in o for o in args.only))
    if args.only:
        plan = [(name, step) for name, step in plan
                if name == "Wine prefix" or any(name.startswith(o) for o in args.only)]
    started = time.monotonic()
    # the packages first: they bring Xvfb, which every later step runs under
    first = [(n, st) for n, st in plan if n == steps.PACKAGES]
    rest = [(n, st) for n, st in plan if n != steps.PACKAGES]
    passed = sum(_run_step(n, st, ctx) for n, st in first)
    if passed == len(first):
        passed += _run_on_display(rest, ctx)
    total = len(plan)
    minutes = (time.monotonic() - started) / 60
    print(f"windows: {passed} of {total} steps passed ({minutes:.1f} min; logs in "
          f"{ctx.logs.relative_to(ctx.root)})", flush=True)
    return 0 if passed == total else 1


def _run_on_display(plan: list[tuple[str, Callable[[steps.Context], str]]],
                    ctx: steps.Context) -> int:
    """Run the steps in order on a private Xvfb display until one fails; the number passed."""
    passed = 0
    with xvfb() as display:
        ctx.wine = Wine(ctx.prefix, ctx.logs, display)
        try:
            for name, step in plan:
                if not _run_step(name, step, ctx):
                    break
                passed += 1
        finally:
            if ctx.prefix.exists():
                ctx.wine.server("-k")
    return passed


def _run_step(name: str, step: Callable[[steps.Context], str], ctx: steps.Context) -> bool:
    """Run one step and print its line; False when it failed (later steps need it)."""
    t0 = time.monotonic()
    try:
        detail = step(ctx)
        ok = True
    except StepFailed as exc:
        detail, ok = f"{exc}", False
    except Exception as exc:  # a bug in a step is a failed step, reported the same way
        detail, ok = f"{type(exc).__name__}: {exc}", False
    seconds = time.monotonic() - t0
    head, _, rest = detail.partition("\n")
    print(f"{'ok  ' if ok else 'FAIL'} {name:<26} {seconds:6.1f} s  {head}", flush=True)
    if rest:
        print("     " + rest.replace("\n", "\n     "), flush=True)
    return ok


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
