"""``python -m perfeval_desktop [FILE.pfe]``: the editor window (a new report when no file)."""

from __future__ import annotations

import sys
from pathlib import Path

from . import paths


def parse_args(argv: list[str]) -> tuple[str | None, str | None]:
    """(file, basedir) of ``[FILE] [--basedir DIR]``.

    The usual start (no argument, or a double-clicked report) does without argparse:
    argparse and the gettext/locale lookup it brings cost ~8 ms before the first window.
    """
    if len(argv) <= 1 and not any(a.startswith("-") for a in argv):
        return (argv[0] if argv else None), None
    import argparse

    parser = argparse.ArgumentParser(prog="perfeval-desktop-gui")
    parser.add_argument("file", nargs="?", help="要打开的报告文件 (.pfe)")
    parser.add_argument("--basedir", help="用户数据目录（测试用）")
    args = parser.parse_args(argv)
    return args.file, args.basedir


def main(argv: list[str] | None = None) -> int:
    file, basedir = parse_args(argv if argv is not None else sys.argv[1:])
    if basedir:
        paths.set_basedir(basedir)

    from .ui.app import create_app, start_window

    app = create_app(sys.argv[:1])
    # shown at once; the report is opened by the event loop (a damaged file: a message,
    # and the window stays for 新建 / 打开)
    _window = start_window(Path(file) if file else None)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
