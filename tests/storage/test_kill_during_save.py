"""A process killed at any moment of a save leaves a complete file (design rule 6).

A child process saves two big reports alternately to the same path as fast as it can; it is
killed with SIGKILL (TerminateProcess on Windows) at random moments.  After every kill the
file, and its ``.bak``, must load as one of the two reports, complete.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from perfeval_desktop.model.report import (
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    Meta,
    ProjectInfo,
    Report,
)
from perfeval_desktop.storage import pfe

pytestmark = pytest.mark.slow

KILLS = 30
MAX_DELAY_S = 0.150

CHILD = """
import sys
from perfeval_desktop.storage import pfe
a, b = pfe.load(sys.argv[1]), pfe.load(sys.argv[2])
target = sys.argv[3]
print("ready", flush=True)
while True:
    pfe.save(a, target)
    pfe.save(b, target)
"""


def big_report(tag: str) -> Report:
    """5 first-level × 5 second-level × 8 leaves = 230 indicators."""
    groups = []
    for i in range(5):
        subgroups = []
        for j in range(5):
            leaves = [
                IndicatorNode(
                    id=f"{tag}-{i}-{j}-{k}",
                    name=f"{tag}指标{i}.{j}.{k}：培训教师人数",
                    weight=Decimal("1.25"),
                    target_text=f"≥{k * 10}",
                    actual_text=f"{k * 10 + 1}",
                    unit="人次",
                    method=CompareMethod(target=Decimal(k * 10), actual=Decimal(k * 10 + 1))
                    if k % 2
                    else ManualMethod(score=Decimal("1.25")),
                    deviation_reason=f"{tag}：部分乡镇因天气原因推迟开班。" * (k + 1),
                )
                for k in range(8)
            ]
            subgroups.append(IndicatorNode(id=f"{tag}-{i}-{j}", name=f"二级{j}", children=leaves))
        groups.append(IndicatorNode(id=f"{tag}-{i}", name=f"一级{i}", children=subgroups))
    return Report(
        meta=Meta(year=2023, unit=f"{tag}县财政局", template_id="yunnan_dept_eval"),
        project=ProjectInfo(name=f"{tag}项目"),
        indicators=groups,
        sections={"overview": f"{tag}概况。" * 200},
    )


def test_file_is_complete_after_a_kill_at_any_moment(tmp_path: Path) -> None:
    report_a, report_b = big_report("甲"), big_report("乙")
    file_a, file_b = tmp_path / "a.pfe", tmp_path / "b.pfe"
    pfe.save(report_a, file_a)
    pfe.save(report_b, file_b)
    work = tmp_path / "work"
    work.mkdir()
    target = work / "报告.pfe"
    pfe.save(report_a, target)  # a kill before the child's first save leaves this one
    rng = random.Random(20240315)
    seen: set[str] = set()
    started = time.monotonic()
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(file_a), str(file_b), str(target)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            line = child.stdout.readline()
            assert line.strip() == "ready", child.stderr.read() if child.stderr else line
            time.sleep(rng.uniform(0, MAX_DELAY_S))
        finally:
            child.kill()
            child.communicate(timeout=10)
        for path in (target, pfe.backup_path(target)):
            if not path.exists():
                continue
            loaded = pfe.load(path)
            assert loaded in (report_a, report_b)
            if path == target:
                seen.add("a" if loaded == report_a else "b")
    assert time.monotonic() - started < 60
    assert seen == {"a", "b"}, "the kills never landed on both reports"
    # A kill can leave a temporary file beside the target, never a damaged target.
    leftovers = {p.name for p in work.iterdir()} - {target.name, pfe.backup_path(target).name}
    assert all(name.startswith(f".{target.name}.") and name.endswith(".tmp") for name in leftovers)
