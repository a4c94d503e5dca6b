"""Issue #13 §8/§9: every file written fits 255 bytes; export names are safe on Windows;
temp files of killed saves are removed at the next start (real SIGKILLs)."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from perfeval_desktop import paths
from perfeval_desktop.export import export_report, safe_filename
from perfeval_desktop.filenames import NAME_MAX
from perfeval_desktop.storage import autosave, pfe
from perfeval_desktop.templates.loader import load_template

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"


def _name_of_bytes(size: int) -> str:
    """A .pfe name of exactly ``size`` UTF-8 bytes, mostly Chinese."""
    body = size - len(".pfe")
    return "报" * (body // 3) + "x" * (body % 3) + ".pfe"


@pytest.mark.parametrize("size", [200, 238, 241, 242, 250, 255])
def test_long_report_names_save_again_and_again(tmp_path: Path, size: int) -> None:
    report = pfe.load(GD)
    target = tmp_path / _name_of_bytes(size)
    assert len(target.name.encode()) == size
    for _ in range(3):
        pfe.save(report, target)
    assert pfe.load(target) == report
    assert pfe.load(pfe.backup_path(target)) == report
    names = [p.name for p in tmp_path.iterdir()]
    assert all(len(n.encode()) <= NAME_MAX for n in names)
    assert len(names) == 2  # the report and its .bak, no temp left
    assert pfe.temp_prefix(target).startswith(".报")


@pytest.mark.parametrize(("name", "expected"), [
    ("CONIN$", "_CONIN$"),
    ("COM¹", "_COM¹"),
    ("con", "_con"),
    ("CON .docx", "_CON .docx"),
    ("LPT9.项目", "_LPT9.项目"),
    ("报告\u202excod.exe", "报告xcod.exe"),
    ("项目\u200b名称…. . ", "项目名称…"),
    ("a/b:c*d", "a_b_c_d"),
    ("CONSOLE", "CONSOLE"),
    ("", "未命名"),
])
def test_export_names_are_safe_on_windows(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_long_project_name_exports_within_255_bytes(tmp_path: Path) -> None:
    report = pfe.load(GD)
    report.project.name = "城乡医疗救助资金" * 40  # 320 characters, 960 bytes
    out = tmp_path / "out"
    out.mkdir()
    written = export_report(report, load_template(report.meta.template_id), out,
                            formats=("docx", "xlsx"))
    assert len(written) == 2
    for path in out.iterdir():
        assert len(path.name.encode()) <= NAME_MAX
        assert path.name.startswith("城乡医疗救助资金")


CHILD = """
import sys
from perfeval_desktop import paths
from perfeval_desktop.storage import autosave, pfe
paths.set_basedir(sys.argv[3])
report = pfe.load(sys.argv[1])
report.sections["big"] = "概况。" * 200000
target = sys.argv[2]
print("ready", flush=True)
while True:
    pfe.save(report, target)
    autosave.write(report, "file-0123456789abcdef", None, "r.pfe")
"""


@pytest.mark.slow
def test_temps_of_killed_saves_are_removed_at_next_start(tmp_path: Path) -> None:
    base = tmp_path / "base"
    work = tmp_path / "work"
    work.mkdir()
    target = work / "报告.pfe"
    rng = random.Random(13)
    left: set[str] = set()
    for _ in range(40):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(GD), str(target), str(base)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.05, 0.4))
        finally:
            child.kill()  # SIGKILL
            child.communicate(timeout=10)
        recovery = base / "data" / autosave.FOLDER
        left = {p.name for d in (work, recovery) if d.is_dir() for p in d.iterdir()
                if p.name.endswith(".tmp")}
        if any(n.startswith(".报告") for n in left) and len(left) >= 2:
            break
    assert left, "no kill landed inside a save"
    paths.set_basedir(base)
    try:
        removed = autosave.clean_temps_at_start([target])
    finally:
        paths.set_basedir(None)
    assert {p.name for p in removed} == left
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]
    assert not [p for p in recovery.iterdir() if p.name.endswith(".tmp")]
    assert pfe.load(target).sections["big"].startswith("概况。")


def test_word_title_property_is_cut_to_its_limit(tmp_path: Path) -> None:
    from docx import Document

    report = pfe.load(GD)
    report.project.name = "城乡医疗救助资金" * 40
    written = export_report(report, load_template(report.meta.template_id), tmp_path,
                            formats=("docx",))
    title = Document(str(written[0])).core_properties.title
    assert title.startswith("城乡医疗救助资金") and len(title) == 255


@pytest.mark.parametrize("name", ["城" * 200, "a" * 300, "😀" * 100, "项目a" * 80])
def test_safe_filename_cuts_at_bytes_not_characters(name: str) -> None:
    """What failed: safe_filename cut at 150 characters (450 bytes of Chinese: too long for
    a file name with its suffix), and 150 ASCII characters where more fit."""
    out = safe_filename(name)
    assert name.startswith(out) and out
    assert len(out.encode()) + len(" 自评表.xlsx".encode()) <= NAME_MAX
    assert len(out.encode()) > 150  # as much of the name as fits is kept
