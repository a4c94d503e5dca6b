"""The command line as a one-shot process (issue #11, export speed): no cyclic collection
while one report is exported, none over the whole heap at the process's exit — and only
for the process's own command line, never for a caller that goes on."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from perfeval_desktop import cli

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"

# A child process: an atexit hook registered before the command runs after the command's
# own hooks (last in, first out) and reports whether the heap was frozen by then.
CHILD = """\
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0, flush=True))
from perfeval_desktop import cli
args = sys.argv[2:]
if sys.argv[1] == "own":
    sys.argv = ["perfeval-desktop", *args]
    code = cli.main()
else:
    code = cli.main(args)
print("exit code:", code, flush=True)
"""


def _child(how: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", CHILD, how, *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_own_command_line_leaves_the_heap_to_the_system_and_writes_everything(
        tmp_path: Path) -> None:
    out = _child("own", "--basedir", str(tmp_path / "base"), "export", str(GD),
                 "-o", str(tmp_path / "out"), "--format", "docx,xlsx")
    assert "exit code: 0" in out and "frozen at exit: True" in out
    assert out.count("已导出：") == 2  # stdout complete
    (docx,) = (tmp_path / "out").glob("*.docx")
    (xlsx,) = (tmp_path / "out").glob("*.xlsx")
    assert any("医疗救助" in p.text for p in Document(str(docx)).paragraphs)
    assert load_workbook(xlsx).worksheets[0].max_row > 10


def test_a_caller_with_its_own_arguments_keeps_its_collector(tmp_path: Path) -> None:
    out = _child("args", "--basedir", str(tmp_path / "base"), "templates")
    assert "exit code: 0" in out and "frozen at exit: False" in out


def test_export_runs_without_cyclic_collection_and_restores_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import perfeval_desktop.export as export

    seen: list[bool] = []
    real = export.export_report

    def spy(*args: object, **kwargs: object) -> list[Path]:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "export_report", spy)
    assert cli.main(["export", str(GD), "-o", str(tmp_path), "--format", "xlsx"]) == 0
    assert seen == [False]
    assert gc.isenabled() and gc.get_freeze_count() == 0
