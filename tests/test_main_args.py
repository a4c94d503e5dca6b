"""``perfeval-desktop-gui [FILE] [--basedir DIR]``: the window program's arguments (#4, #5)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from perfeval_desktop.__main__ import parse_args


@pytest.mark.parametrize(("argv", "expected"), [
    ([], (None, None)),
    (["报告.pfe"], ("报告.pfe", None)),
    (["--basedir", "D:/数据", "报告.pfe"], ("报告.pfe", "D:/数据")),
    (["报告.pfe", "--basedir=D:/数据"], ("报告.pfe", "D:/数据")),
])
def test_file_and_basedir(argv: list[str], expected: tuple[str | None, str | None]) -> None:
    assert parse_args(argv) == expected


def test_unknown_options_and_extra_files_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--bogus"], ["a.pfe", "b.pfe"]):
        with pytest.raises(SystemExit) as info:
            parse_args(argv)
        assert info.value.code == 2
    assert "perfeval-desktop-gui" in capsys.readouterr().err


def test_the_usual_start_does_not_load_argparse() -> None:
    """Opening the program, or a double-clicked report, is on the start-up path: no argparse
    (with its gettext/locale lookup, ~8 ms before the first window)."""
    code = ("import sys; from perfeval_desktop.__main__ import parse_args; "
            "parse_args([]); parse_args(['a.pfe']); print('argparse' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
