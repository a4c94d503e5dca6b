"""The commands themselves on the fuzz inputs (issue #13, done when): ``check``, ``export``
and ``templates`` print no traceback for any input and return within 30 s, with exit code
0/1 (a result), 2 (a Chinese error) or 4 (``check`` of a report whose template is broken or
missing: its message, then what can be checked), never 3 (the last net's “程序内部出错”)."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest

from fuzz.fuzzing import ROOT, SAMPLES, mutate_text, replay
from fuzz.test_fuzz import _pfe_text
from perfeval_desktop import paths
from perfeval_desktop.cli import main

LIMIT_S = 30.0
CLI_SEEDS = range(300, 360)  # other seeds than test_fuzz's in-process cases
EXPORT_EVERY = 10


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    started = time.monotonic()
    code = main(argv)
    elapsed = time.monotonic() - started
    out = capsys.readouterr()
    text = out.out + out.err
    assert elapsed < LIMIT_S, f"{argv[0]}: {elapsed:.1f} s"
    assert "Traceback" not in text, text[-2000:]
    assert code in (0, 1, 2, 4), f"{argv[0]} → {code}: {out.err[-500:]}"
    if code == 2:
        assert out.err.startswith("错误：") and len(out.err) > 10
    if code == 4:
        assert argv[0] == "check" and out.out.startswith("注意：") and "表样" in out.out
    return code, text


def _check_and_export(text: str, folder: Path, export: bool,
                      capsys: pytest.CaptureFixture[str]) -> None:
    path = folder / "fuzz.pfe"
    path.write_text(text, "utf-8", errors="surrogatepass")
    before = path.read_bytes()
    code, _ = _run(["check", str(path)], capsys)
    if export and code != 2:
        out = folder / "out"
        out.mkdir(exist_ok=True)
        _run(["export", str(path), "-o", str(out), "--format", "docx"], capsys)
    assert path.read_bytes() == before


def test_check_and_export_commands_on_damaged_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for seed in CLI_SEEDS:
        _check_and_export(_pfe_text(seed), tmp_path, seed % EXPORT_EVERY == 0, capsys)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_check_and_export_commands_on_the_samples(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fuzz seeds' starting points, each a result: the export path taken in full."""
    _check_and_export(sample.read_text("utf-8"), tmp_path, True, capsys)
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".docx"]


@pytest.mark.parametrize("case", replay("pfe"), ids=lambda c: c.get("name", "case"))
def test_check_and_export_commands_on_kept_files(
    case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check_and_export(case["text"], tmp_path, True, capsys)


def _templates_with(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = paths.user_templates_dir() / "mof_self_eval_gd"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.yaml").write_text(text, "utf-8", errors="surrogatepass")
    code, out = _run(["templates"], capsys)
    assert code == 0 and "yunnan_dept_eval" in out  # the others listed as usual


def test_templates_command_on_damaged_manifests(capsys: pytest.CaptureFixture[str]) -> None:
    source = (ROOT / "templates" / "mof_self_eval_gd" / "manifest.yaml").read_text("utf-8")
    for seed in range(300, 320):
        rng = random.Random(seed)
        _templates_with(mutate_text(source, rng, rng.randrange(1, 5)), capsys)


@pytest.mark.parametrize("case", replay("manifest"), ids=lambda c: c.get("name", "case"))
def test_templates_command_on_kept_manifests(
    case: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    _templates_with(case["text"], capsys)
